//! Report reminders (报送提醒): who owes a progress report is reminded some days before the
//! report day, and on the day after a missed one the unit head hears of it too. Per-year
//! settings ([`Reminders`]); [`nudges_on`] says which periods call for a reminder on a day,
//! [`owes`] whether a task still owes its report, [`audience`] who is told, and [`group`]
//! gathers one unit's tasks into one message so a unit with twenty tasks due gets one
//! reminder a day, not twenty. All pure: the job at the edge asks them once a day.

use super::period::Period;
use super::report::ReportState;
use crate::lists::Cadence;
use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A year's reminder settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminders {
    /// Reminders at all (both kinds).
    pub on: bool,
    /// Calendar days before the report day for the first reminder (0: on the day itself).
    pub days_before: i64,
    /// A reminder on the day after a missed report day, to the reporters and the unit head.
    pub overdue: bool,
}

impl Default for Reminders {
    fn default() -> Self {
        Reminders {
            on: true,
            days_before: 3,
            overdue: true,
        }
    }
}

/// The most days before a report day a reminder may go out (a month's report day gives no
/// meaning to more).
pub const MAX_DAYS_BEFORE: i64 = 27;

impl Reminders {
    /// Settings a person may save: `days_before` from 0 to [`MAX_DAYS_BEFORE`].
    pub fn valid(&self) -> bool {
        (0..=MAX_DAYS_BEFORE).contains(&self.days_before)
    }
}

/// Which reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Nudge {
    /// The report day of `period` is `days_before` days away.
    Before,
    /// The report day of `period` was yesterday.
    Overdue,
}

/// The periods of `cadence` whose report calls for a reminder on `today`, with the report
/// day: the one due in exactly `days_before` days, and (with `overdue`) the one due
/// yesterday. Nothing when reminders are off.
pub fn nudges_on(
    rules: &Reminders,
    cadence: Cadence,
    report_day: i8,
    today: Date,
) -> Vec<(Nudge, Period, Date)> {
    let mut out = Vec::new();
    if !rules.on {
        return out;
    }
    let ahead = today.checked_add(rules.days_before.clamp(0, MAX_DAYS_BEFORE).days());
    if let Ok(day) = ahead {
        let p = Period::containing(cadence, day);
        if p.due(report_day) == day {
            out.push((Nudge::Before, p, day));
        }
    }
    if rules.overdue
        && let Ok(yesterday) = today.yesterday()
    {
        let p = Period::containing(cadence, yesterday);
        if p.due(report_day) == yesterday {
            out.push((Nudge::Overdue, p, yesterday));
        }
    }
    out
}

/// Whether a task still owes the report of a period: none written, a draft (also one the
/// head sent back), or one the office returned. A finished task (100 %) owes nothing more.
pub fn owes(progress: f64, report: Option<ReportState>) -> bool {
    progress < 100.0 && report.is_none_or(|s| s.editable())
}

/// Who hears of a nudge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Audience {
    /// Whoever writes the unit's reports (its liaisons; the head when it has none).
    pub reporters: bool,
    /// The unit head.
    pub head: bool,
}

pub fn audience(nudge: Nudge) -> Audience {
    Audience {
        reporters: true,
        head: nudge == Nudge::Overdue,
    }
}

/// One owed report: the task, its title and the report day.
#[derive(Debug, Clone, PartialEq)]
pub struct Owed {
    pub task: i64,
    pub title: String,
    pub nudge: Nudge,
    pub due: Date,
}

/// One unit's reminder of a day: its owed reports, overdue first, then by report day and
/// task.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitReminder {
    pub unit: i64,
    pub items: Vec<Owed>,
}

impl UnitReminder {
    /// Any report already overdue (the head is told).
    pub fn overdue(&self) -> bool {
        self.items.iter().any(|o| o.nudge == Nudge::Overdue)
    }
}

/// Gathers owed reports by unit (units in ascending id), one reminder each.
pub fn group(owed: Vec<(i64, Owed)>) -> Vec<UnitReminder> {
    let mut by_unit: std::collections::BTreeMap<i64, Vec<Owed>> = Default::default();
    for (unit, o) in owed {
        by_unit.entry(unit).or_default().push(o);
    }
    by_unit
        .into_iter()
        .map(|(unit, mut items)| {
            items.sort_by(|a, b| {
                (std::cmp::Reverse(a.nudge), a.due, a.task).cmp(&(
                    std::cmp::Reverse(b.nudge),
                    b.due,
                    b.task,
                ))
            });
            UnitReminder { unit, items }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const DAY: i8 = 25;

    fn on(today: Date) -> Vec<(Nudge, String, Date)> {
        nudges_on(&Reminders::default(), Cadence::Monthly, DAY, today)
            .into_iter()
            .map(|(n, p, d)| (n, p.key(), d))
            .collect()
    }

    #[test]
    fn a_monthly_report_is_reminded_three_days_before_and_the_day_after() {
        assert_eq!(
            on(date(2026, 11, 22)),
            vec![(Nudge::Before, "2026-11".to_string(), date(2026, 11, 25))]
        );
        assert_eq!(
            on(date(2026, 11, 26)),
            vec![(Nudge::Overdue, "2026-11".to_string(), date(2026, 11, 25))]
        );
        for quiet in [21, 23, 24, 25, 27] {
            assert_eq!(on(date(2026, 11, quiet)), vec![], "{quiet}");
        }
    }

    #[test]
    fn a_short_month_moves_the_report_day_and_its_reminders() {
        // Report day 31: February's is the 28th (2026 is no leap year).
        let r = Reminders::default();
        let got = nudges_on(&r, Cadence::Monthly, 31, date(2026, 2, 25));
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].0, got[0].2), (Nudge::Before, date(2026, 2, 28)));
        let got = nudges_on(&r, Cadence::Monthly, 31, date(2026, 3, 1));
        assert_eq!(
            (got[0].0, got[0].1.key()),
            (Nudge::Overdue, "2026-02".into())
        );
    }

    #[test]
    fn a_quarterly_report_is_reminded_only_in_the_quarters_last_month() {
        let r = Reminders::default();
        assert!(nudges_on(&r, Cadence::Quarterly, DAY, date(2026, 8, 22)).is_empty());
        let got = nudges_on(&r, Cadence::Quarterly, DAY, date(2026, 9, 22));
        assert_eq!(got[0].1.key(), "2026-Q3");
    }

    #[test]
    fn switched_off_reminders_say_nothing() {
        let off = Reminders {
            on: false,
            ..Reminders::default()
        };
        assert!(nudges_on(&off, Cadence::Monthly, DAY, date(2026, 11, 22)).is_empty());
        assert!(nudges_on(&off, Cadence::Monthly, DAY, date(2026, 11, 26)).is_empty());
        let no_overdue = Reminders {
            overdue: false,
            ..Reminders::default()
        };
        assert!(nudges_on(&no_overdue, Cadence::Monthly, DAY, date(2026, 11, 26)).is_empty());
        let same_day = Reminders {
            days_before: 0,
            ..Reminders::default()
        };
        assert_eq!(
            nudges_on(&same_day, Cadence::Monthly, DAY, date(2026, 11, 25))[0].0,
            Nudge::Before
        );
    }

    #[test]
    fn only_a_missing_draft_or_returned_report_is_owed() {
        assert!(owes(40.0, None));
        assert!(owes(40.0, Some(ReportState::Draft)));
        assert!(owes(40.0, Some(ReportState::Returned)));
        for sent in [
            ReportState::UnitReview,
            ReportState::Submitted,
            ReportState::Accepted,
        ] {
            assert!(!owes(40.0, Some(sent)), "{sent:?}");
        }
        assert!(!owes(100.0, None), "a finished task owes nothing");
    }

    #[test]
    fn the_head_hears_only_of_missed_reports() {
        assert_eq!(
            audience(Nudge::Before),
            Audience {
                reporters: true,
                head: false
            }
        );
        assert!(audience(Nudge::Overdue).head);
    }

    #[test]
    fn a_unit_gets_one_reminder_listing_its_tasks_overdue_first() {
        let o = |task, nudge, d| Owed {
            task,
            title: format!("t{task}"),
            nudge,
            due: date(2026, 11, d),
        };
        let got = group(vec![
            (7, o(3, Nudge::Before, 28)),
            (2, o(9, Nudge::Before, 28)),
            (7, o(1, Nudge::Overdue, 25)),
            (7, o(2, Nudge::Before, 28)),
        ]);
        let shape: Vec<(i64, Vec<i64>, bool)> = got
            .iter()
            .map(|u| {
                (
                    u.unit,
                    u.items.iter().map(|o| o.task).collect(),
                    u.overdue(),
                )
            })
            .collect();
        assert_eq!(shape, vec![(2, vec![9], false), (7, vec![1, 2, 3], true)]);
    }

    #[test]
    fn settings_bound_the_days_before() {
        assert!(Reminders::default().valid());
        let bad = |days_before| Reminders {
            days_before,
            ..Reminders::default()
        };
        assert!(!bad(-1).valid());
        assert!(!bad(MAX_DAYS_BEFORE + 1).valid());
        assert!(bad(MAX_DAYS_BEFORE).valid());
    }
}
