//! Timeliness flags of a case, computed beside its business state (DOMAIN §2.1): 领办逾期 when
//! an assignment is not acknowledged within its window, 反馈逾期 when an ongoing or deferred
//! case misses its periodic 续报, due soon within N working days of the deadline, overdue
//! after it. They are facts of a day, so `today` and the calendar are
//! parameters.

use super::state::CaseState;
use crate::calendar::Calendar;
use jiff::civil::Date;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// 领办逾期 — assigned and not acknowledged by the acknowledgement deadline.
    AckOverdue,
    /// 反馈逾期 — ongoing (常态落实) or deferred (挂账) and the periodic 续报 is late.
    ReportOverdue,
    /// The deadline is within `due_soon_workdays` working days.
    DueSoon,
    /// The deadline has passed and the case is not done.
    Overdue,
}

/// What the flags are computed from.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub state: CaseState,
    pub ack_due: Option<Date>,
    pub due: Option<Date>,
    /// Ongoing or deferred: the next 续报 is due by this day.
    pub report_due: Option<Date>,
    /// E.g. 3: the reminder window before a deadline.
    pub due_soon_workdays: i64,
}

/// The flags that hold on `today`.
pub fn flags(c: &Clock, today: Date, calendar: &Calendar) -> Vec<Flag> {
    let mut out = Vec::new();
    let running = super::ladder::applies(c.state);
    if c.state == CaseState::Assigned && c.ack_due.is_some_and(|d| today > d) {
        out.push(Flag::AckOverdue);
    }
    if reports_periodically(c.state) && c.report_due.is_some_and(|d| today > d) {
        out.push(Flag::ReportOverdue);
    }
    if let (true, Some(due)) = (running, c.due) {
        if today > due {
            out.push(Flag::Overdue);
        } else if calendar
            .workdays(today, due)
            .is_ok_and(|n| n <= c.due_soon_workdays)
        {
            out.push(Flag::DueSoon);
        }
    }
    out
}

/// Ongoing (常态落实) and deferred (挂账) cases run no deadline but report periodically.
pub fn reports_periodically(state: CaseState) -> bool {
    matches!(state, CaseState::Ongoing | CaseState::Deferred)
}

pub use crate::light::Light;

/// The light of a case (DOMAIN §3.1): red when overdue, yellow when due soon, not
/// acknowledged in time or late with its periodic 续报, green while on the clock otherwise;
/// `None` off the clock (claimed, closed, suspended, not yet assigned).
pub fn light(state: CaseState, flags: &[Flag]) -> Option<Light> {
    if !super::ladder::applies(state) && !reports_periodically(state) {
        return None;
    }
    Some(if flags.contains(&Flag::Overdue) {
        Light::Red
    } else if flags.is_empty() {
        Light::Green
    } else {
        Light::Yellow
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::official_schedule;
    use jiff::civil::date;

    fn clock(state: CaseState) -> Clock {
        Clock {
            state,
            ack_due: Some(date(2026, 3, 4)),
            due: Some(date(2026, 3, 20)),
            report_due: Some(date(2026, 3, 31)),
            due_soon_workdays: 3,
        }
    }

    #[test]
    fn an_unacknowledged_assignment_is_flagged_after_its_window_without_changing_state() {
        let cal = Calendar::new(official_schedule(2026));
        assert!(flags(&clock(CaseState::Assigned), date(2026, 3, 4), &cal).is_empty());
        assert_eq!(
            flags(&clock(CaseState::Assigned), date(2026, 3, 5), &cal),
            vec![Flag::AckOverdue]
        );
        assert!(
            flags(&clock(CaseState::Handling), date(2026, 3, 5), &cal).is_empty(),
            "acknowledged"
        );
    }

    #[test]
    fn due_soon_counts_working_days_and_overdue_starts_the_day_after() {
        let cal = Calendar::new(official_schedule(2026));
        // 03-16 (Mon) … 03-20 (Fri) is 5 working days: not yet due soon; 03-18 … 03-20 is 3.
        assert!(flags(&clock(CaseState::Handling), date(2026, 3, 16), &cal).is_empty());
        assert_eq!(
            flags(&clock(CaseState::Handling), date(2026, 3, 18), &cal),
            vec![Flag::DueSoon]
        );
        assert_eq!(
            flags(&clock(CaseState::Handling), date(2026, 3, 20), &cal),
            vec![Flag::DueSoon]
        );
        assert_eq!(
            flags(&clock(CaseState::Handling), date(2026, 3, 21), &cal),
            vec![Flag::Overdue]
        );
    }

    #[test]
    fn claimed_closed_and_suspended_cases_run_no_clock() {
        let cal = Calendar::new(official_schedule(2026));
        for s in [
            CaseState::CompletionClaimed,
            CaseState::ClosedOut,
            CaseState::Suspended,
        ] {
            assert!(flags(&clock(s), date(2026, 4, 1), &cal).is_empty(), "{s:?}");
        }
    }

    #[test]
    fn the_light_follows_the_worst_flag() {
        use CaseState::Handling;
        assert_eq!(light(Handling, &[]), Some(Light::Green));
        assert_eq!(light(Handling, &[Flag::DueSoon]), Some(Light::Yellow));
        assert_eq!(
            light(CaseState::Assigned, &[Flag::AckOverdue]),
            Some(Light::Yellow)
        );
        assert_eq!(
            light(CaseState::Assigned, &[Flag::AckOverdue, Flag::Overdue]),
            Some(Light::Red)
        );
        assert_eq!(light(CaseState::ClosedOut, &[]), None);
        assert_eq!(light(CaseState::Deferred, &[]), Some(Light::Green));
        assert_eq!(
            light(CaseState::Ongoing, &[Flag::ReportOverdue]),
            Some(Light::Yellow)
        );
        assert_eq!(light(CaseState::Registered, &[]), None);
    }

    #[test]
    fn an_ongoing_or_deferred_case_is_late_when_its_periodic_report_is() {
        let cal = Calendar::new(official_schedule(2026));
        for s in [CaseState::Ongoing, CaseState::Deferred] {
            assert!(
                flags(&clock(s), date(2026, 3, 31), &cal).is_empty(),
                "{s:?}"
            );
            assert_eq!(
                flags(&clock(s), date(2026, 4, 1), &cal),
                vec![Flag::ReportOverdue],
                "{s:?}: no deadline flags, only the missing 续报"
            );
        }
        assert!(
            flags(&clock(CaseState::ClosedOut), date(2026, 4, 1), &cal).is_empty(),
            "closed"
        );
    }
}
