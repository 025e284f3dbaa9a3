use super::*;
use Command as C;
use CommitmentState as S;

fn commands() -> Vec<(&'static str, Command)> {
    vec![
        ("edit", C::Edit),
        ("submit", C::Submit),
        (
            "return",
            C::Return {
                comment: "目标不够量化".into(),
            },
        ),
        ("approve", C::Approve),
        ("sign", C::Sign),
        ("track", C::Track),
        (
            "self_report",
            C::SelfReport {
                text: "全部完成".into(),
            },
        ),
        (
            "conclude_ok",
            C::Conclude {
                verdict: Verdict::Fulfilled,
            },
        ),
        (
            "conclude_part",
            C::Conclude {
                verdict: Verdict::PartlyFulfilled,
            },
        ),
        (
            "conclude_no",
            C::Conclude {
                verdict: Verdict::NotFulfilled,
            },
        ),
    ]
}

/// Every commitment state against every command: exactly the diagram's moves are allowed.
#[test]
fn every_commitment_state_and_command_is_allowed_exactly_as_the_diagram_says() {
    let allowed: &[(S, &str, S)] = &[
        (S::Drafted, "edit", S::Drafted),
        (S::Returned, "edit", S::Drafted),
        (S::Drafted, "submit", S::UnderReview),
        (S::UnderReview, "return", S::Returned),
        (S::UnderReview, "approve", S::Approved),
        (S::Approved, "sign", S::Published),
        (S::Published, "track", S::Fulfilling),
        (S::Fulfilling, "self_report", S::UnderEvaluation),
        (S::UnderEvaluation, "conclude_ok", S::Fulfilled),
        (S::UnderEvaluation, "conclude_part", S::PartlyFulfilled),
        (S::UnderEvaluation, "conclude_no", S::NotFulfilled),
    ];
    let mut checked = 0;
    for from in S::ALL {
        for (name, command) in commands() {
            let want = allowed
                .iter()
                .find(|(f, n, _)| *f == from && *n == name)
                .map(|(_, _, to)| *to);
            let got = apply(from, &command);
            match want {
                Some(to) => assert_eq!(got, Ok(to), "{from:?} + {name}"),
                None => assert_eq!(
                    got,
                    Err(CommitmentError::NotAllowed {
                        from: from.as_str()
                    }),
                    "{from:?} + {name}"
                ),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 10 * 10);
}

/// Every version state against every command.
#[test]
fn every_version_state_and_command_is_allowed_exactly_as_the_diagram_says() {
    use VersionState as V;
    let allowed: &[(V, &str, V)] = &[
        (V::Drafted, "edit", V::Drafted),
        (V::Returned, "edit", V::Drafted),
        (V::Drafted, "submit", V::UnderReview),
        (V::UnderReview, "return", V::Returned),
        (V::UnderReview, "approve", V::Approved),
        (V::Approved, "sign", V::Signed),
    ];
    for from in V::ALL {
        for (name, command) in commands() {
            let want = allowed
                .iter()
                .find(|(f, n, _)| *f == from && *n == name)
                .map(|(_, _, to)| *to);
            let got = apply_version(from, &command);
            match want {
                Some(to) => assert_eq!(got, Ok(to), "{from:?} + {name}"),
                None => assert!(got.is_err(), "{from:?} + {name} should be refused"),
            }
        }
    }
}

#[test]
fn a_signed_version_takes_no_step_at_all() {
    for (name, command) in commands() {
        assert!(
            apply_version(VersionState::Signed, &command).is_err(),
            "signed + {name}"
        );
    }
}

#[test]
fn returning_needs_a_comment_and_a_self_report_needs_text() {
    assert_eq!(
        apply(
            S::UnderReview,
            &C::Return {
                comment: " ".into()
            }
        ),
        Err(CommitmentError::CommentRequired)
    );
    assert_eq!(
        apply_version(
            VersionState::UnderReview,
            &C::Return {
                comment: String::new()
            }
        ),
        Err(CommitmentError::CommentRequired)
    );
    assert_eq!(
        apply(S::Fulfilling, &C::SelfReport { text: "\n".into() }),
        Err(CommitmentError::ReportRequired)
    );
}

#[test]
fn only_signed_commitments_are_public_and_only_live_ones_amendable() {
    let public: Vec<S> = S::ALL.into_iter().filter(|s| s.is_public()).collect();
    assert_eq!(
        public,
        vec![
            S::Published,
            S::Fulfilling,
            S::UnderEvaluation,
            S::Fulfilled,
            S::PartlyFulfilled,
            S::NotFulfilled
        ]
    );
    let amendable: Vec<S> = S::ALL.into_iter().filter(|s| s.amendable()).collect();
    assert_eq!(amendable, vec![S::Published, S::Fulfilling]);
}

#[test]
fn states_round_trip_through_their_text() {
    for s in S::ALL {
        assert_eq!(S::parse(s.as_str()), Some(s));
    }
    for s in VersionState::ALL {
        assert_eq!(VersionState::parse(s.as_str()), Some(s));
    }
}
