//! What a report starts from and what it may not do silently. A "无变化" (no change) report
//! and the pre-filled form carry the task's figures as they stand — its accepted progress and
//! indicator actuals, or a newer report still under review — never an older report's; and a
//! report that lowers the accepted percentage must say why (进度下调说明).

use jiff::civil::Date;

/// Percentage points below the accepted value that still count as "not lower" (float noise
/// only: a typed `73.5` equals a stored `73.5`).
pub const LOWER_TOLERANCE: f64 = 1e-6;

/// A task's figures: 完成比例 (0–100) and each indicator's actual by position, in the task's
/// order (`None`: nothing reported for it yet).
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub percent: f64,
    pub actuals: Vec<Option<f64>>,
}

impl Figures {
    /// The actuals as a report stores them: `(position, value)` for each one that has a value.
    pub fn values(&self) -> Vec<(i64, f64)> {
        self.actuals
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (i as i64, v)))
            .collect()
    }
}

/// A report of another period that has left its author but is not decided yet (待单位审核 or
/// 已报送).
#[derive(Debug, Clone, Copy)]
pub struct Pending<'a> {
    /// Its period's key (`2026-10`), for the form's label.
    pub period: &'a str,
    /// The last day of its period.
    pub ends: Date,
    pub percent: f64,
    /// The indicator values it sets, by position; the others stay as accepted.
    pub values: &'a [(i64, f64)],
}

/// Where carried figures come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The task's accepted progress and actuals (已采纳).
    Accepted,
    /// A newer report of `period` still under review: what the unit last said, not yet
    /// counted.
    Pending { period: String },
}

/// The figures a "no change" report sends and the form starts from, and where they come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Carried {
    pub figures: Figures,
    pub source: Source,
}

/// The carry-over rule. `accepted` is what the task holds now (the maintained aggregate, set
/// only by acceptance); `accepted_through` is the last day of the period of the last accepted
/// report (`None` when no report was accepted yet: the figures come from the list). A pending
/// report counts only if its period ends after that: it is newer than what was accepted, so
/// it is what the unit last said. Its percentage replaces the accepted one; its indicator
/// values replace the accepted actuals at their positions (positions the task does not have
/// are ignored), the rest stay as accepted — exactly what accepting it would leave on the task.
pub fn carry_over(
    accepted: &Figures,
    accepted_through: Option<Date>,
    pending: Option<Pending<'_>>,
) -> Carried {
    let newer = pending.filter(|p| accepted_through.is_none_or(|through| p.ends > through));
    match newer {
        None => Carried {
            figures: accepted.clone(),
            source: Source::Accepted,
        },
        Some(p) => {
            let mut actuals = accepted.actuals.clone();
            for (pos, v) in p.values {
                if let Some(slot) = usize::try_from(*pos).ok().and_then(|i| actuals.get_mut(i)) {
                    *slot = Some(*v);
                }
            }
            Carried {
                figures: Figures {
                    percent: p.percent,
                    actuals,
                },
                source: Source::Pending {
                    period: p.period.to_string(),
                },
            }
        }
    }
}

/// The report's percentage is below the accepted one: sending it needs a reason.
pub fn lowers(accepted: f64, percent: f64) -> bool {
    percent < accepted - LOWER_TOLERANCE
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn accepted() -> Figures {
        Figures {
            percent: 73.5,
            actuals: vec![Some(12.0), None, Some(3.5)],
        }
    }

    #[test]
    fn with_nothing_pending_a_no_change_report_carries_the_accepted_figures() {
        let c = carry_over(&accepted(), Some(date(2026, 10, 31)), None);
        assert_eq!(c.figures, accepted());
        assert_eq!(c.source, Source::Accepted);
        assert_eq!(c.figures.values(), vec![(0, 12.0), (2, 3.5)]);
    }

    #[test]
    fn the_accepted_figures_win_over_any_older_report_value() {
        // The case: the task stands at 73.5 % while an older report said 58.8 %;
        // that older report is not an input at all, only what acceptance left on the task.
        let c = carry_over(&accepted(), Some(date(2026, 8, 31)), None);
        assert_eq!(c.figures.percent, 73.5);
    }

    #[test]
    fn a_newer_report_under_review_is_carried_over_the_accepted_figures() {
        let values = [(1, 4.0), (2, 5.0)];
        let pending = Pending {
            period: "2026-10",
            ends: date(2026, 10, 31),
            percent: 80.0,
            values: &values,
        };
        let c = carry_over(&accepted(), Some(date(2026, 9, 30)), Some(pending));
        assert_eq!(
            c,
            Carried {
                figures: Figures {
                    percent: 80.0,
                    actuals: vec![Some(12.0), Some(4.0), Some(5.0)],
                },
                source: Source::Pending {
                    period: "2026-10".into()
                },
            }
        );
    }

    #[test]
    fn a_pending_report_not_newer_than_the_last_accepted_one_is_ignored() {
        for ends in [date(2026, 9, 30), date(2026, 8, 31)] {
            let pending = Pending {
                period: "2026-09",
                ends,
                percent: 10.0,
                values: &[(0, 1.0)],
            };
            let c = carry_over(&accepted(), Some(date(2026, 9, 30)), Some(pending));
            assert_eq!((c.figures, c.source), (accepted(), Source::Accepted));
        }
    }

    #[test]
    fn a_pending_report_counts_when_nothing_was_accepted_yet() {
        let pending = Pending {
            period: "2026-Q3",
            ends: date(2026, 9, 30),
            percent: 20.0,
            values: &[],
        };
        let c = carry_over(&accepted(), None, Some(pending));
        assert_eq!(c.figures.percent, 20.0);
        assert_eq!(c.figures.actuals, accepted().actuals);
    }

    #[test]
    fn a_pending_value_for_an_indicator_the_task_no_longer_has_is_ignored() {
        let pending = Pending {
            period: "2026-10",
            ends: date(2026, 10, 31),
            percent: 75.0,
            values: &[(7, 9.0), (-1, 9.0)],
        };
        let c = carry_over(&accepted(), Some(date(2026, 9, 30)), Some(pending));
        assert_eq!(c.figures.actuals, accepted().actuals);
    }

    #[test]
    fn only_a_lower_percentage_needs_a_reason() {
        let cases = [
            (73.5, 73.5, false),
            (73.5, 80.0, false),
            (73.5, 73.4, true),
            (73.5, 58.8, true),
            (0.0, 0.0, false),
            (73.5, 73.5 - 1e-9, false),
        ];
        for (accepted, percent, lower) in cases {
            assert_eq!(lowers(accepted, percent), lower, "{accepted} → {percent}");
        }
    }
}
