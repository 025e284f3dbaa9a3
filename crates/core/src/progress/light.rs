//! A task's light and why (DOMAIN §3.1): the most severe of configurable rules — the deadline
//! (overdue is red, the last days yellow), lag behind 序时进度 in percentage points, a missed
//! milestone, a missing report — unless the supervision office set it by hand with a reason.
//! Every rule that fired is returned with its numbers, so a page can say why.

use super::schedule::expected_percent;
use crate::light::Light;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A year's thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LightRules {
    /// Yellow within this many calendar days of the deadline.
    pub due_soon_days: i64,
    /// Yellow from this many percentage points behind 序时进度 …
    pub yellow_lag_points: f64,
    /// … red beyond this many.
    pub red_lag_points: f64,
}

impl Default for LightRules {
    fn default() -> Self {
        LightRules {
            due_soon_days: 3,
            yellow_lag_points: 10.0,
            red_lag_points: 30.0,
        }
    }
}

/// What a task's light is computed from, as of one day.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskClock {
    /// When the task started counting (the plan's start, e.g. 1 January).
    pub start: Date,
    /// `None` for 长期坚持 tasks (no deadline; only reports and milestones count).
    pub due: Option<Date>,
    /// Latest accepted progress, 0–100.
    pub progress: f64,
    /// Milestones: their day and whether their report was accepted as met.
    pub milestones: Vec<(Date, bool)>,
    /// The day this period's report was due, if it has not been accepted.
    pub report_missing_since: Option<Date>,
    /// A light set by hand by the supervision office, with its reason.
    pub manual: Option<(Light, String)>,
}

/// Why a light is what it is: one entry per rule that fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Reason {
    Overdue {
        due: Date,
    },
    DueSoon {
        due: Date,
        days_left: i64,
    },
    Lagging {
        expected: f64,
        actual: f64,
        points: f64,
    },
    MilestoneMissed {
        due: Date,
    },
    ReportMissing {
        since: Date,
    },
    Manual {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub light: Light,
    /// Each rule that fired with its light, most severe first.
    pub reasons: Vec<(Light, Reason)>,
}

/// The light of a task on `today`.
pub fn assess(c: &TaskClock, rules: &LightRules, today: Date) -> Assessment {
    let mut reasons: Vec<(Light, Reason)> = Vec::new();
    let done = c.progress >= 100.0;
    if let (Some(due), false) = (c.due, done) {
        let days_left = (due - today).get_days() as i64;
        if today > due {
            reasons.push((Light::Red, Reason::Overdue { due }));
        } else if days_left <= rules.due_soon_days {
            reasons.push((Light::Yellow, Reason::DueSoon { due, days_left }));
        }
        let expected = expected_percent(c.start, due, today);
        let points = expected - c.progress;
        if points > rules.red_lag_points {
            reasons.push((Light::Red, lag(expected, c.progress, points)));
        } else if points >= rules.yellow_lag_points {
            reasons.push((Light::Yellow, lag(expected, c.progress, points)));
        }
    }
    for (due, met) in &c.milestones {
        if !met && *due < today && !done {
            reasons.push((Light::Yellow, Reason::MilestoneMissed { due: *due }));
        }
    }
    if let Some(since) = c.report_missing_since.filter(|d| *d < today && !done) {
        reasons.push((Light::Yellow, Reason::ReportMissing { since }));
    }
    if let Some((light, reason)) = &c.manual {
        // The office's judgement stands over the rules; the rules stay listed beside it.
        reasons.insert(
            0,
            (
                *light,
                Reason::Manual {
                    reason: reason.clone(),
                },
            ),
        );
        return Assessment {
            light: *light,
            reasons,
        };
    }
    reasons.sort_by_key(|(light, _)| std::cmp::Reverse(*light));
    let light = reasons.first().map_or(Light::Green, |(l, _)| *l);
    Assessment { light, reasons }
}

/// Whether a milestone counts as met: every figure it sets is reached by the latest accepted
/// indicator actuals; a milestone with no figure is judged by the task's progress against the
/// 序时进度 of its day (`expected_then`, `None` for a task without a deadline, which cannot
/// miss one).
pub fn milestone_met(
    targets: &[Option<f64>],
    actuals: &[Option<f64>],
    progress: f64,
    expected_then: Option<f64>,
) -> bool {
    let figures: Vec<(usize, f64)> = targets
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.map(|t| (i, t)))
        .collect();
    if figures.is_empty() {
        return expected_then.is_none_or(|e| progress >= e);
    }
    figures
        .iter()
        .all(|(i, t)| actuals.get(*i).copied().flatten().is_some_and(|a| a >= *t))
}

fn lag(expected: f64, actual: f64, points: f64) -> Reason {
    let round = |v: f64| (v * 10.0).round() / 10.0;
    Reason::Lagging {
        expected: round(expected),
        actual: round(actual),
        points: round(points),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finished_task_owes_no_report() {
        let c = TaskClock {
            start: jiff::civil::date(2026, 1, 1),
            due: Some(jiff::civil::date(2026, 12, 31)),
            progress: 100.0,
            milestones: vec![],
            report_missing_since: Some(jiff::civil::date(2026, 10, 28)),
            manual: None,
        };
        let a = assess(&c, &LightRules::default(), jiff::civil::date(2026, 11, 25));
        assert_eq!((a.light, a.reasons.len()), (Light::Green, 0));
        let c = TaskClock {
            progress: 60.0,
            ..c
        };
        let a = assess(&c, &LightRules::default(), jiff::civil::date(2026, 11, 25));
        assert!(
            a.reasons
                .iter()
                .any(|(_, r)| matches!(r, Reason::ReportMissing { .. }))
        );
    }

    #[test]
    fn a_milestone_is_met_by_its_figures_or_else_by_the_pace_of_its_day() {
        assert!(milestone_met(
            &[Some(2.0), None],
            &[Some(2.5), None],
            0.0,
            Some(90.0)
        ));
        assert!(!milestone_met(&[Some(2.0)], &[Some(1.9)], 100.0, None));
        assert!(
            !milestone_met(&[Some(2.0)], &[None], 100.0, None),
            "no actual yet"
        );
        assert!(milestone_met(&[None], &[], 50.0, Some(40.0)));
        assert!(!milestone_met(&[], &[], 30.0, Some(40.0)));
        assert!(
            milestone_met(&[], &[], 0.0, None),
            "no deadline: nothing to miss"
        );
    }
    use jiff::civil::date;

    fn clock(progress: f64) -> TaskClock {
        TaskClock {
            start: date(2026, 1, 1),
            due: Some(date(2026, 12, 31)),
            progress,
            milestones: vec![],
            report_missing_since: None,
            manual: None,
        }
    }

    #[test]
    fn lag_behind_the_time_proportional_target_turns_yellow_then_red() {
        let mid = date(2026, 7, 2); // 序时进度 ≈ 50%
        let r = LightRules::default();
        assert_eq!(assess(&clock(45.0), &r, mid).light, Light::Green);
        let yellow = assess(&clock(35.0), &r, mid);
        assert_eq!(yellow.light, Light::Yellow);
        assert!(
            matches!(yellow.reasons[0].1, Reason::Lagging { points, .. } if (points - 15.0).abs() < 0.5)
        );
        assert_eq!(assess(&clock(15.0), &r, mid).light, Light::Red);
    }

    #[test]
    fn the_deadline_milestones_and_reports_fire_and_the_worst_wins() {
        let r = LightRules::default();
        let mut c = clock(99.0);
        assert_eq!(
            assess(&c, &r, date(2026, 12, 29)).light,
            Light::Yellow,
            "due soon"
        );
        assert_eq!(
            assess(&c, &r, date(2027, 1, 1)).light,
            Light::Red,
            "overdue"
        );
        c.progress = 100.0;
        assert_eq!(
            assess(&c, &r, date(2027, 1, 1)).light,
            Light::Green,
            "done is never late"
        );
        let mut c = clock(50.0);
        c.milestones = vec![(date(2026, 6, 30), false), (date(2026, 3, 31), true)];
        c.report_missing_since = Some(date(2026, 6, 28));
        let a = assess(&c, &r, date(2026, 7, 2));
        assert_eq!(a.light, Light::Yellow);
        assert_eq!(a.reasons.len(), 2, "{a:?}");
    }

    #[test]
    fn the_office_overrides_with_a_reason_and_the_rules_stay_visible() {
        let mut c = clock(15.0);
        c.manual = Some((Light::Yellow, "审批流程所致，已协调".into()));
        let a = assess(&c, &LightRules::default(), date(2026, 7, 2));
        assert_eq!(a.light, Light::Yellow);
        assert!(matches!(&a.reasons[0].1, Reason::Manual { reason } if reason.contains("协调")));
        assert!(
            a.reasons.iter().any(|(l, _)| *l == Light::Red),
            "the red lag is still listed"
        );
    }

    #[test]
    fn an_ongoing_task_has_no_deadline_rules() {
        let mut c = clock(0.0);
        c.due = None;
        assert_eq!(
            assess(&c, &LightRules::default(), date(2026, 11, 1)).light,
            Light::Green
        );
    }
}
