//! The business life of a case (督办事项 / 问题), DOMAIN §2.1 and §2.3:
//!
//! ```text
//! Registered ──assign(SO)──▶ Assigned ──acknowledge(LU)──▶ Handling
//! Assigned ──request return(LU, reason)──▶ ReturnRequested ──approve(SO)──▶ Registered (reassign)
//!                                                          ──reject(SO)──▶ Assigned (clock runs on)
//! Handling ──report(LU)──▶ Handling            (续报; also while Ongoing or Deferred)
//! Handling ──claim done(LU, evidence)──▶ CompletionClaimed ──verify ok(SO)──▶ ClosedOut (销号)
//!                                                        ──rework(SO, reason)──▶ Handling
//! Handling ──propose ongoing(LU)──▶ OngoingProposed ──accept(SO)──▶ Ongoing
//! Handling ──propose defer(LU, plan)──▶ DeferProposed ──accept(SO)──▶ Deferred (挂账)
//!     (a rejected proposal goes back to Handling; Deferred and Ongoing resume Handling)
//! CompletionClaimed | ClosedOut ──rated dissatisfied(raiser)──▶ Handling
//! any open state ──suspend(SO, reason)──▶ Suspended ──resume(SO)──▶ the state it left
//! ```
//! Timeliness (overdue, due soon) is computed beside the state, never stored in its place.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// 立项 — registered by the office, not yet handed out.
    Registered,
    /// 交办 — handed to a lead unit, waiting for 签收.
    Assigned,
    /// 申请退回/调整 — the unit asks to be relieved, with a reason.
    ReturnRequested,
    /// 办理中 — acknowledged and being handled.
    Handling,
    /// 申请办结 — the unit reports it done, with evidence; the office verifies.
    CompletionClaimed,
    OngoingProposed,
    /// 常态落实 — a continuing duty, reported periodically.
    Ongoing,
    DeferProposed,
    /// 挂账 — cannot be solved now; a plan date and periodic 续报.
    Deferred,
    /// 销号 — verified and struck off.
    ClosedOut,
    /// 中止 — stopped with a reason; resumes where it was.
    Suspended,
}

impl CaseState {
    pub const ALL: [CaseState; 11] = [
        CaseState::Registered,
        CaseState::Assigned,
        CaseState::ReturnRequested,
        CaseState::Handling,
        CaseState::CompletionClaimed,
        CaseState::OngoingProposed,
        CaseState::Ongoing,
        CaseState::DeferProposed,
        CaseState::Deferred,
        CaseState::ClosedOut,
        CaseState::Suspended,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Registered => "registered",
            CaseState::Assigned => "assigned",
            CaseState::ReturnRequested => "return_requested",
            CaseState::Handling => "handling",
            CaseState::CompletionClaimed => "completion_claimed",
            CaseState::OngoingProposed => "ongoing_proposed",
            CaseState::Ongoing => "ongoing",
            CaseState::DeferProposed => "defer_proposed",
            CaseState::Deferred => "deferred",
            CaseState::ClosedOut => "closed_out",
            CaseState::Suspended => "suspended",
        }
    }

    pub fn parse(s: &str) -> Option<CaseState> {
        CaseState::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Still in the loop (not struck off, not stopped).
    pub fn is_open(self) -> bool {
        !matches!(self, CaseState::ClosedOut | CaseState::Suspended)
    }
}

/// How the person who raised a case rates the feedback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Satisfied,
    BasicallySatisfied,
    Dissatisfied,
}

impl Rating {
    pub const ALL: [Rating; 3] = [
        Rating::Satisfied,
        Rating::BasicallySatisfied,
        Rating::Dissatisfied,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::BasicallySatisfied => "basically_satisfied",
            Rating::Dissatisfied => "dissatisfied",
        }
    }

    pub fn parse(s: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseCommand {
    Assign,
    Acknowledge,
    RequestReturn {
        reason: String,
    },
    ApproveReturn,
    RejectReturn,
    Report,
    ClaimDone {
        evidence: usize,
    },
    ProposeOngoing,
    ProposeDefer,
    AcceptProposal,
    RejectProposal,
    ResumeHandling,
    VerifyOk,
    Rework {
        reason: String,
    },
    Rate {
        rating: Rating,
    },
    Suspend {
        reason: String,
    },
    /// Back to the state the case was suspended in (kept by the caller).
    Resume {
        previous: CaseState,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    #[error("a case in state {from} cannot take this step")]
    NotAllowed { from: &'static str },
    #[error("this step needs a reason")]
    ReasonRequired,
    #[error("declaring a case done needs evidence (a file or a written account)")]
    EvidenceRequired,
    /// 销号 of a case while a split unit's part (分办) is not verified yet.
    #[error("every split unit's part must be verified before the case is closed")]
    PartsOpen,
    /// A step on a split unit's part that parts do not take, or while the case is not
    /// under way (not yet assigned, a return pending, suspended or closed).
    #[error("a split unit's part in state {from} cannot take this step now")]
    PartNotAllowed { from: &'static str },
}

fn need(reason: &str) -> Result<(), CaseError> {
    if reason.trim().is_empty() {
        Err(CaseError::ReasonRequired)
    } else {
        Ok(())
    }
}

/// The next state, or why the step is refused.
pub fn apply(state: CaseState, command: &CaseCommand) -> Result<CaseState, CaseError> {
    use CaseCommand as C;
    use CaseState as S;
    let next = match (state, command) {
        (S::Registered, C::Assign) => S::Assigned,
        (S::Assigned, C::Acknowledge) => S::Handling,
        (S::Assigned, C::RequestReturn { reason }) => {
            need(reason)?;
            S::ReturnRequested
        }
        (S::ReturnRequested, C::ApproveReturn) => S::Registered,
        (S::ReturnRequested, C::RejectReturn) => S::Assigned,
        (S::Handling | S::Ongoing | S::Deferred, C::Report) => state,
        (S::Handling, C::ClaimDone { evidence }) => {
            if *evidence == 0 {
                return Err(CaseError::EvidenceRequired);
            }
            S::CompletionClaimed
        }
        (S::Handling, C::ProposeOngoing) => S::OngoingProposed,
        (S::Handling, C::ProposeDefer) => S::DeferProposed,
        (S::OngoingProposed, C::AcceptProposal) => S::Ongoing,
        (S::DeferProposed, C::AcceptProposal) => S::Deferred,
        (S::OngoingProposed | S::DeferProposed, C::RejectProposal) => S::Handling,
        (S::Ongoing | S::Deferred, C::ResumeHandling) => S::Handling,
        (S::CompletionClaimed, C::VerifyOk) => S::ClosedOut,
        (S::CompletionClaimed, C::Rework { reason }) => {
            need(reason)?;
            S::Handling
        }
        (S::CompletionClaimed | S::ClosedOut, C::Rate { rating }) => match rating {
            Rating::Dissatisfied => S::Handling,
            _ => state,
        },
        (s, C::Suspend { reason }) if s.is_open() => {
            need(reason)?;
            S::Suspended
        }
        (S::Suspended, C::Resume { previous }) if previous.is_open() => *previous,
        _ => {
            return Err(CaseError::NotAllowed {
                from: state.as_str(),
            });
        }
    };
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseCommand as C;
    use CaseState as S;

    fn run(steps: &[C]) -> Result<S, CaseError> {
        steps.iter().try_fold(S::Registered, apply)
    }

    #[test]
    fn a_case_goes_round_the_loop_to_close_out() {
        let s = run(&[
            C::Assign,
            C::Acknowledge,
            C::Report,
            C::ClaimDone { evidence: 2 },
            C::VerifyOk,
        ]);
        assert_eq!(s, Ok(S::ClosedOut));
    }

    #[test]
    fn a_rework_and_a_dissatisfied_rating_send_the_case_back() {
        let claimed = run(&[C::Assign, C::Acknowledge, C::ClaimDone { evidence: 1 }]).unwrap();
        assert_eq!(
            apply(claimed, &C::Rework { reason: " ".into() }),
            Err(CaseError::ReasonRequired)
        );
        assert_eq!(
            apply(
                claimed,
                &C::Rework {
                    reason: "整改照片不全".into()
                }
            ),
            Ok(S::Handling)
        );
        let rating = |r| C::Rate { rating: r };
        assert_eq!(
            apply(S::ClosedOut, &rating(Rating::Dissatisfied)),
            Ok(S::Handling)
        );
        assert_eq!(
            apply(S::ClosedOut, &rating(Rating::BasicallySatisfied)),
            Ok(S::ClosedOut)
        );
    }

    #[test]
    fn a_return_request_is_approved_to_reassign_or_rejected_and_the_clock_runs_on() {
        let asked = run(&[
            C::Assign,
            C::RequestReturn {
                reason: "不属于本单位职责".into(),
            },
        ])
        .unwrap();
        assert_eq!(asked, S::ReturnRequested);
        assert_eq!(apply(asked, &C::ApproveReturn), Ok(S::Registered));
        assert_eq!(apply(asked, &C::RejectReturn), Ok(S::Assigned));
        assert_eq!(
            run(&[
                C::Assign,
                C::RequestReturn {
                    reason: String::new()
                }
            ]),
            Err(CaseError::ReasonRequired)
        );
    }

    #[test]
    fn ongoing_and_deferred_are_proposed_by_the_unit_and_accepted_by_the_office() {
        let h = run(&[C::Assign, C::Acknowledge]).unwrap();
        let o = apply(h, &C::ProposeOngoing).unwrap();
        assert_eq!(apply(o, &C::AcceptProposal), Ok(S::Ongoing));
        assert_eq!(apply(o, &C::RejectProposal), Ok(S::Handling));
        let d = apply(apply(h, &C::ProposeDefer).unwrap(), &C::AcceptProposal).unwrap();
        assert_eq!(d, S::Deferred);
        assert_eq!(apply(d, &C::Report), Ok(S::Deferred), "续报 while 挂账");
        assert_eq!(apply(d, &C::ResumeHandling), Ok(S::Handling));
    }

    #[test]
    fn done_needs_evidence_and_a_closed_case_cannot_be_claimed_again() {
        let h = run(&[C::Assign, C::Acknowledge]).unwrap();
        assert_eq!(
            apply(h, &C::ClaimDone { evidence: 0 }),
            Err(CaseError::EvidenceRequired)
        );
        assert!(apply(S::ClosedOut, &C::ClaimDone { evidence: 1 }).is_err());
        assert!(
            apply(S::Registered, &C::Acknowledge).is_err(),
            "not yet assigned"
        );
    }

    #[test]
    fn a_suspended_case_resumes_where_it_was() {
        let h = run(&[C::Assign, C::Acknowledge]).unwrap();
        let s = apply(
            h,
            &C::Suspend {
                reason: "政策调整".into(),
            },
        )
        .unwrap();
        assert_eq!(s, S::Suspended);
        assert_eq!(
            apply(
                s,
                &C::Resume {
                    previous: S::Handling
                }
            ),
            Ok(S::Handling)
        );
        assert!(apply(s, &C::Report).is_err());
        assert!(apply(S::ClosedOut, &C::Suspend { reason: "x".into() }).is_err());
    }

    #[test]
    fn states_round_trip_through_their_text() {
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
    }

    /// Every state against every command: exactly the transitions of the diagram in the
    /// module's documentation are allowed, everything else is refused.
    #[test]
    fn every_state_and_command_is_allowed_exactly_as_the_diagram_says() {
        let reason = || "理由".to_string();
        let commands: Vec<(&str, C)> = vec![
            ("assign", C::Assign),
            ("acknowledge", C::Acknowledge),
            ("request_return", C::RequestReturn { reason: reason() }),
            ("approve_return", C::ApproveReturn),
            ("reject_return", C::RejectReturn),
            ("report", C::Report),
            ("claim_done", C::ClaimDone { evidence: 1 }),
            ("propose_ongoing", C::ProposeOngoing),
            ("propose_defer", C::ProposeDefer),
            ("accept", C::AcceptProposal),
            ("reject", C::RejectProposal),
            ("resume_handling", C::ResumeHandling),
            ("verify_ok", C::VerifyOk),
            ("rework", C::Rework { reason: reason() }),
            (
                "rate_ok",
                C::Rate {
                    rating: Rating::Satisfied,
                },
            ),
            (
                "rate_bad",
                C::Rate {
                    rating: Rating::Dissatisfied,
                },
            ),
            ("suspend", C::Suspend { reason: reason() }),
            (
                "resume",
                C::Resume {
                    previous: S::Handling,
                },
            ),
        ];
        let allowed: &[(S, &str, S)] = &[
            (S::Registered, "assign", S::Assigned),
            (S::Assigned, "acknowledge", S::Handling),
            (S::Assigned, "request_return", S::ReturnRequested),
            (S::ReturnRequested, "approve_return", S::Registered),
            (S::ReturnRequested, "reject_return", S::Assigned),
            (S::Handling, "report", S::Handling),
            (S::Ongoing, "report", S::Ongoing),
            (S::Deferred, "report", S::Deferred),
            (S::Handling, "claim_done", S::CompletionClaimed),
            (S::Handling, "propose_ongoing", S::OngoingProposed),
            (S::Handling, "propose_defer", S::DeferProposed),
            (S::OngoingProposed, "accept", S::Ongoing),
            (S::DeferProposed, "accept", S::Deferred),
            (S::OngoingProposed, "reject", S::Handling),
            (S::DeferProposed, "reject", S::Handling),
            (S::Ongoing, "resume_handling", S::Handling),
            (S::Deferred, "resume_handling", S::Handling),
            (S::CompletionClaimed, "verify_ok", S::ClosedOut),
            (S::CompletionClaimed, "rework", S::Handling),
            (S::CompletionClaimed, "rate_ok", S::CompletionClaimed),
            (S::ClosedOut, "rate_ok", S::ClosedOut),
            (S::CompletionClaimed, "rate_bad", S::Handling),
            (S::ClosedOut, "rate_bad", S::Handling),
            (S::Suspended, "resume", S::Handling),
        ];
        let mut checked = 0;
        for from in CaseState::ALL {
            for (name, command) in &commands {
                let want = if *name == "suspend" && from.is_open() {
                    Some(S::Suspended)
                } else {
                    allowed
                        .iter()
                        .find(|(f, n, _)| *f == from && n == name)
                        .map(|(_, _, to)| *to)
                };
                let got = apply(from, command);
                match want {
                    Some(to) => assert_eq!(got, Ok(to), "{from:?} + {name}"),
                    None => assert_eq!(
                        got,
                        Err(CaseError::NotAllowed {
                            from: from.as_str()
                        }),
                        "{from:?} + {name}"
                    ),
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 11 * 18);
    }
}
