//! The progress report's lifecycle (进展填报, DOMAIN §2.6): the liaison drafts and sends, the
//! unit head approves or sends back, the supervision office accepts or returns (a return is
//! counted for assessment). Only an accepted report counts.

use crate::cases::facts::text_enum;
use crate::light::Light;
use jiff::civil::Date;

text_enum! {
    ReportState {
        /// 草稿: saved, not sent.
        Draft = "draft",
        /// 待单位审核: waiting for the unit head.
        UnitReview = "unit_review",
        /// 已报送: waiting for the supervision office.
        Submitted = "submitted",
        /// 已采纳: counts.
        Accepted = "accepted",
        /// 已退回: the office found no substance; the unit revises and sends again.
        Returned = "returned",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportCommand {
    /// Save without sending.
    Save,
    /// Send: to the unit head, or straight to the office when the head writes it.
    Send { by_head: bool },
    /// The unit head approves: it goes to the office.
    Approve,
    /// The unit head sends it back to the author.
    SendBack,
    /// The supervision office accepts it.
    Accept,
    /// The supervision office returns it (退回).
    Return,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a report that is {state:?} cannot take {command:?}")]
pub struct ReportError {
    pub state: ReportState,
    pub command: ReportCommand,
}

impl ReportState {
    /// The author may still change it.
    pub fn editable(self) -> bool {
        matches!(self, ReportState::Draft | ReportState::Returned)
    }
}

/// The state after `command`; `None` is a report not written yet.
pub fn apply(
    state: Option<ReportState>,
    command: ReportCommand,
) -> Result<ReportState, ReportError> {
    use ReportCommand as C;
    use ReportState as S;
    let next = match (state, command) {
        (None | Some(S::Draft | S::Returned), C::Save) => S::Draft,
        (None | Some(S::Draft | S::Returned), C::Send { by_head: false }) => S::UnitReview,
        (None | Some(S::Draft | S::Returned | S::UnitReview), C::Send { by_head: true }) => {
            S::Submitted
        }
        (Some(S::UnitReview), C::Approve) => S::Submitted,
        (Some(S::UnitReview), C::SendBack) => S::Draft,
        (Some(S::Submitted), C::Accept) => S::Accepted,
        (Some(S::Submitted), C::Return) => S::Returned,
        (state, command) => {
            return Err(ReportError {
                state: state.unwrap_or(S::Draft),
                command,
            });
        }
    };
    Ok(next)
}

/// On time: it left the unit (or its author) by the day it was due.
pub fn on_time(sent_on: Date, due: Date) -> bool {
    sent_on <= due
}

/// A past period's light once a later accepted report shows the task caught up (瓯海's
/// 三色预警: a red repaired later becomes yellow; other lights stay).
pub fn repaired(past: Light, caught_up: bool) -> Light {
    match (past, caught_up) {
        (Light::Red, true) => Light::Yellow,
        (light, _) => light,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReportCommand as C;
    use ReportState as S;
    use jiff::civil::date;

    #[test]
    fn every_state_against_every_command() {
        let commands = [
            C::Save,
            C::Send { by_head: false },
            C::Send { by_head: true },
            C::Approve,
            C::SendBack,
            C::Accept,
            C::Return,
        ];
        let states = [
            None,
            Some(S::Draft),
            Some(S::UnitReview),
            Some(S::Submitted),
            Some(S::Accepted),
            Some(S::Returned),
        ];
        // The allowed moves, exactly the lifecycle of DOMAIN §2.6.
        let allowed = |s: Option<S>, c: C| -> Option<S> {
            match (s, c) {
                (None | Some(S::Draft | S::Returned), C::Save) => Some(S::Draft),
                (None | Some(S::Draft | S::Returned), C::Send { by_head: false }) => {
                    Some(S::UnitReview)
                }
                (
                    None | Some(S::Draft | S::Returned | S::UnitReview),
                    C::Send { by_head: true },
                ) => Some(S::Submitted),
                (Some(S::UnitReview), C::Approve) => Some(S::Submitted),
                (Some(S::UnitReview), C::SendBack) => Some(S::Draft),
                (Some(S::Submitted), C::Accept) => Some(S::Accepted),
                (Some(S::Submitted), C::Return) => Some(S::Returned),
                _ => None,
            }
        };
        let mut moves = 0;
        for s in states {
            for c in commands {
                assert_eq!(apply(s, c).ok(), allowed(s, c), "{s:?} {c:?}");
                moves += usize::from(allowed(s, c).is_some());
            }
        }
        assert_eq!(moves, 14);
        assert!(
            apply(Some(S::Accepted), C::Save).is_err(),
            "an accepted report is final"
        );
    }

    #[test]
    fn only_drafts_and_returned_reports_are_editable() {
        let editable: Vec<_> = S::ALL.iter().filter(|s| s.editable()).collect();
        assert_eq!(editable, [&S::Draft, &S::Returned]);
    }

    #[test]
    fn a_red_caught_up_later_becomes_yellow() {
        assert_eq!(repaired(Light::Red, true), Light::Yellow);
        assert_eq!(repaired(Light::Red, false), Light::Red);
        assert_eq!(repaired(Light::Yellow, true), Light::Yellow);
        assert_eq!(repaired(Light::Green, true), Light::Green);
    }

    #[test]
    fn on_time_means_by_the_due_day() {
        let due = date(2026, 10, 28);
        assert!(on_time(due, due));
        assert!(!on_time(date(2026, 10, 29), due));
    }
}
