//! The reminder and escalation ladder (DOMAIN §2.1), configurable per year: a reminder some
//! days before the deadline, 催办 the day after it, a formal 督办单 after N working days
//! overdue, listing in the next bulletin after more, an interview (约谈) after more still.
//!
//! [`schedule`] gives the day each step falls due for one deadline; [`applies`] says whether a
//! case in a given state still climbs the ladder; [`on_run`] says whether a rung whose job
//! runs today is still worth sending (after downtime only the highest rung now due is). All
//! are pure; the jobs that fire the steps live at the edge and check them when they run.

use super::state::CaseState;
use crate::calendar::{Calendar, CalendarError};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One rung of the ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 到期提醒 — to the handler, the unit head and the portfolio leader.
    Remind,
    /// 催办 — the day after the deadline, copied to the portfolio leader.
    Urge,
    /// 督办单 — a formal supervision notice, a generated document.
    Notice,
    /// 通报 — listed in the next bulletin.
    Bulletin,
    /// 约谈 — the unit head is called to an interview; the office records it.
    Interview,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Remind,
        Step::Urge,
        Step::Notice,
        Step::Bulletin,
        Step::Interview,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Step::Remind => "remind",
            Step::Urge => "urge",
            Step::Notice => "notice",
            Step::Bulletin => "bulletin",
            Step::Interview => "interview",
        }
    }

    pub fn parse(s: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A year's ladder. `None` switches a rung off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ladder {
    /// Calendar days before the deadline for the reminder (DOMAIN: 3).
    pub remind_days_before: Option<u32>,
    /// Calendar days after the deadline for 催办 (DOMAIN: 1, "the day after").
    pub urge_days_after: Option<u32>,
    /// Working days after the deadline for the 督办单.
    pub notice_workdays_after: Option<u32>,
    /// Working days after the deadline for listing in the bulletin.
    pub bulletin_workdays_after: Option<u32>,
    /// Working days after the deadline for the interview.
    pub interview_workdays_after: Option<u32>,
}

impl Default for Ladder {
    fn default() -> Self {
        Ladder {
            remind_days_before: Some(3),
            urge_days_after: Some(1),
            notice_workdays_after: Some(5),
            bulletin_workdays_after: Some(10),
            interview_workdays_after: Some(15),
        }
    }
}

/// The day each switched-on step falls due for a deadline `due`, in ladder order.
pub fn schedule(
    ladder: &Ladder,
    due: Date,
    calendar: &Calendar,
) -> Result<Vec<(Step, Date)>, CalendarError> {
    let days = |n: i64| due.checked_add(jiff::Span::new().days(n)).ok();
    let mut out = Vec::new();
    if let Some(d) = ladder.remind_days_before.and_then(|n| days(-i64::from(n))) {
        out.push((Step::Remind, d));
    }
    if let Some(d) = ladder.urge_days_after.and_then(|n| days(i64::from(n))) {
        out.push((Step::Urge, d));
    }
    for (step, n) in [
        (Step::Notice, ladder.notice_workdays_after),
        (Step::Bulletin, ladder.bulletin_workdays_after),
        (Step::Interview, ladder.interview_workdays_after),
    ] {
        if let Some(n) = n {
            out.push((step, calendar.add_workdays(due, i64::from(n))?));
        }
    }
    Ok(out)
}

/// Whether a case in `state` is still on the clock: reminders go to cases being handled,
/// escalation to cases not claimed done. A claimed, struck-off, suspended, ongoing or
/// deferred case climbs no further.
pub fn applies(state: CaseState) -> bool {
    matches!(
        state,
        CaseState::Assigned
            | CaseState::ReturnRequested
            | CaseState::Handling
            | CaseState::OngoingProposed
            | CaseState::DeferProposed
    )
}

/// What to do with a rung when its job runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnRun {
    /// Send it: it is the highest rung due today.
    Take,
    /// Skip it for good: a higher rung is due too (the runner was down while this one came
    /// due), so only that one speaks.
    Superseded(Step),
    /// Skip it for good: a reminder *before* the deadline makes no sense after it.
    PastDeadline,
}

/// Whether the rung `step` of the ladder `schedule` (from [`schedule`], for `deadline`) is
/// sent when its job runs on `today`. Normally a job runs on its own day and the answer is
/// [`OnRun::Take`]; after downtime several rungs' jobs run on one day, and only the highest
/// rung whose day has come is taken, once — the lower ones are skipped, never sent late.
pub fn on_run(schedule: &[(Step, Date)], step: Step, deadline: Date, today: Date) -> OnRun {
    if step == Step::Remind && today > deadline {
        return OnRun::PastDeadline;
    }
    let highest = schedule
        .iter()
        .filter(|(s, day)| *s > step && *day <= today)
        .map(|(s, _)| *s)
        .max();
    match highest {
        Some(higher) => OnRun::Superseded(higher),
        None => OnRun::Take,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::official_schedule;
    use jiff::civil::date;

    fn cal() -> Calendar {
        Calendar::new(official_schedule(2026))
    }

    #[test]
    fn the_default_ladder_counts_working_days_after_the_deadline() {
        // Due 2026-09-24 (Thursday). Mid-Autumn is off 09-25 to 09-27, National Day 10-01 to
        // 10-07, and Saturday 10-10 is a make-up working day: the working days after the
        // deadline are 09-28, 09-29, 09-30, 10-08, 10-09 (5th), 10-10, 10-12 … 10-15 (10th) …
        let s = schedule(&Ladder::default(), date(2026, 9, 24), &cal()).unwrap();
        assert_eq!(
            s,
            vec![
                (Step::Remind, date(2026, 9, 21)),
                (Step::Urge, date(2026, 9, 25)),
                (Step::Notice, date(2026, 10, 9)),
                (Step::Bulletin, date(2026, 10, 15)),
                (Step::Interview, date(2026, 10, 22)),
            ]
        );
    }

    #[test]
    fn switched_off_rungs_are_left_out() {
        let ladder = Ladder {
            remind_days_before: None,
            bulletin_workdays_after: None,
            interview_workdays_after: None,
            ..Ladder::default()
        };
        let s = schedule(&ladder, date(2026, 3, 20), &cal()).unwrap();
        let steps: Vec<Step> = s.iter().map(|(s, _)| *s).collect();
        assert_eq!(steps, vec![Step::Urge, Step::Notice]);
        assert_eq!(s[1].1, date(2026, 3, 27));
    }

    #[test]
    fn only_cases_on_the_clock_climb() {
        for s in CaseState::ALL {
            let expected = matches!(
                s,
                CaseState::Assigned
                    | CaseState::ReturnRequested
                    | CaseState::Handling
                    | CaseState::OngoingProposed
                    | CaseState::DeferProposed
            );
            assert_eq!(applies(s), expected, "{s:?}");
        }
    }

    #[test]
    fn a_rung_run_on_its_own_day_is_taken() {
        let due = date(2026, 9, 24);
        let s = schedule(&Ladder::default(), due, &cal()).unwrap();
        for (step, day) in &s {
            assert_eq!(on_run(&s, *step, due, *day), OnRun::Take, "{step:?}");
        }
    }

    #[test]
    fn after_downtime_only_the_highest_rung_now_due_is_taken() {
        // The server was down from 09-20 to 10-12: remind (09-21), urge (09-25) and notice
        // (10-09) all ran late on 10-12; the bulletin (10-15) is not due yet.
        let due = date(2026, 9, 24);
        let s = schedule(&Ladder::default(), due, &cal()).unwrap();
        let today = date(2026, 10, 12);
        let taken: Vec<(Step, OnRun)> = s
            .iter()
            .filter(|(_, day)| *day <= today)
            .map(|(step, _)| (*step, on_run(&s, *step, due, today)))
            .collect();
        assert_eq!(
            taken,
            vec![
                (Step::Remind, OnRun::PastDeadline),
                (Step::Urge, OnRun::Superseded(Step::Notice)),
                (Step::Notice, OnRun::Take),
            ]
        );
        // Up on 10-22 instead: the interview alone speaks.
        let late = date(2026, 10, 22);
        assert_eq!(
            on_run(&s, Step::Notice, due, late),
            OnRun::Superseded(Step::Interview)
        );
        assert_eq!(on_run(&s, Step::Interview, due, late), OnRun::Take);
    }

    #[test]
    fn a_reminder_before_the_deadline_is_never_sent_after_it() {
        // With 催办 switched off nothing supersedes the reminder; the deadline still does.
        let ladder = Ladder {
            urge_days_after: None,
            notice_workdays_after: None,
            bulletin_workdays_after: None,
            interview_workdays_after: None,
            ..Ladder::default()
        };
        let due = date(2026, 3, 20);
        let s = schedule(&ladder, due, &cal()).unwrap();
        assert_eq!(
            on_run(&s, Step::Remind, due, date(2026, 3, 18)),
            OnRun::Take
        );
        assert_eq!(on_run(&s, Step::Remind, due, due), OnRun::Take);
        assert_eq!(
            on_run(&s, Step::Remind, due, date(2026, 3, 21)),
            OnRun::PastDeadline
        );
    }

    #[test]
    fn switched_off_rungs_supersede_nothing() {
        let ladder = Ladder {
            notice_workdays_after: None,
            ..Ladder::default()
        };
        let due = date(2026, 9, 24);
        let s = schedule(&ladder, due, &cal()).unwrap();
        // 10-12: the notice would be due, but it is off; 催办 is the highest rung.
        assert_eq!(on_run(&s, Step::Urge, due, date(2026, 10, 12)), OnRun::Take);
    }

    #[test]
    fn steps_round_trip_through_their_text() {
        for s in Step::ALL {
            assert_eq!(Step::parse(s.as_str()), Some(s));
        }
    }
}
