//! 分办 — a split unit's own part of a case (issue 19, item 4). Each split unit handles its
//! part on its own: it acknowledges (签收), reports (续报), claims it done with evidence
//! (申请办结), and the office verifies it (核查销号) or sends it back (退回重办):
//!
//! ```text
//! Assigned ──acknowledge(SU)──▶ Handling ──report(SU)──▶ Handling
//! Handling ──claim done(SU, evidence)──▶ CompletionClaimed ──verify ok(SO)──▶ ClosedOut
//!                                                          ──rework(SO, reason)──▶ Handling
//! ```
//!
//! A part moves only while its case is under way (assigned and not returned, suspended or
//! closed). The lead unit's part is the case's own handling ([`super::state`]); the case is
//! struck off (销号) only after every split part is closed, so verifying the last part first
//! and then the lead's claim closes the case. A part uses the case's states and the case's
//! transitions for these five steps, and the case's deadline, acknowledgement window and
//! timeliness rules ([`super::timeliness`]) with its own state.

use super::state::{self, CaseCommand, CaseError, CaseState};

/// Whether a case in `state` lets its split units' parts move.
pub fn under_way(state: CaseState) -> bool {
    state.is_open() && !matches!(state, CaseState::Registered | CaseState::ReturnRequested)
}

/// The next state of a part, or why the step is refused.
pub fn apply(
    case: CaseState,
    part: CaseState,
    command: &CaseCommand,
) -> Result<CaseState, CaseError> {
    use CaseCommand as C;
    let refused = CaseError::PartNotAllowed {
        from: part.as_str(),
    };
    if !under_way(case) {
        return Err(refused);
    }
    match command {
        C::Acknowledge | C::Report | C::ClaimDone { .. } | C::VerifyOk | C::Rework { .. } => {}
        _ => return Err(refused),
    }
    match state::apply(part, command) {
        Err(CaseError::NotAllowed { .. }) => Err(refused),
        other => other,
    }
}

/// 销号 of the case: allowed only when every split part is closed.
pub fn may_close(parts: impl IntoIterator<Item = CaseState>) -> Result<(), CaseError> {
    if parts.into_iter().all(|p| p == CaseState::ClosedOut) {
        Ok(())
    } else {
        Err(CaseError::PartsOpen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseCommand as C;
    use CaseState as S;

    #[test]
    fn a_part_goes_round_its_own_loop_while_the_case_is_handled() {
        let steps = [
            C::Acknowledge,
            C::Report,
            C::ClaimDone { evidence: 1 },
            C::VerifyOk,
        ];
        let end = steps
            .iter()
            .try_fold(S::Assigned, |p, c| apply(S::Handling, p, c));
        assert_eq!(end, Ok(S::ClosedOut));
    }

    #[test]
    fn a_part_is_sent_back_with_a_reason_and_needs_evidence_to_be_claimed() {
        assert_eq!(
            apply(S::Handling, S::Handling, &C::ClaimDone { evidence: 0 }),
            Err(CaseError::EvidenceRequired)
        );
        assert_eq!(
            apply(
                S::Handling,
                S::CompletionClaimed,
                &C::Rework { reason: " ".into() }
            ),
            Err(CaseError::ReasonRequired)
        );
        assert_eq!(
            apply(
                S::CompletionClaimed,
                S::CompletionClaimed,
                &C::Rework {
                    reason: "照片不全".into()
                }
            ),
            Ok(S::Handling)
        );
    }

    #[test]
    fn a_part_takes_only_its_five_steps_and_only_while_the_case_is_under_way() {
        for cmd in [
            C::Assign,
            C::ProposeDefer,
            C::Suspend { reason: "x".into() },
            C::RequestReturn { reason: "x".into() },
        ] {
            assert_eq!(
                apply(S::Handling, S::Handling, &cmd),
                Err(CaseError::PartNotAllowed { from: "handling" }),
                "{cmd:?}"
            );
        }
        for case in [
            S::Registered,
            S::ReturnRequested,
            S::Suspended,
            S::ClosedOut,
        ] {
            assert!(
                apply(case, S::Assigned, &C::Acknowledge).is_err(),
                "{case:?}"
            );
        }
        for case in [S::Assigned, S::Handling, S::CompletionClaimed, S::Deferred] {
            assert_eq!(
                apply(case, S::Assigned, &C::Acknowledge),
                Ok(S::Handling),
                "{case:?}"
            );
        }
        assert_eq!(
            apply(S::Handling, S::ClosedOut, &C::VerifyOk),
            Err(CaseError::PartNotAllowed { from: "closed_out" }),
            "a closed part stays closed"
        );
    }

    #[test]
    fn the_case_closes_only_when_every_part_has() {
        assert_eq!(
            may_close([]),
            Ok(()),
            "no split units: the lead's part alone"
        );
        assert_eq!(may_close([S::ClosedOut, S::ClosedOut]), Ok(()));
        assert_eq!(
            may_close([S::ClosedOut, S::CompletionClaimed]),
            Err(CaseError::PartsOpen)
        );
    }
}
