use super::*;
use Command as C;
use State as S;
use jiff::civil::date;

fn rate(rating: Rating, by_lead: bool, class: OutcomeClass) -> C {
    C::Rate {
        rating,
        by_lead,
        already_rated: false,
        class,
    }
}

fn run(from: S, steps: &[C]) -> Result<S, Error> {
    steps.iter().try_fold(from, apply)
}

fn adjust(on: jiff::civil::Date) -> C {
    C::RequestAdjustment {
        reason: "不属于本单位职责".into(),
        on,
        window_ends: date(2026, 3, 27),
    }
}

#[test]
fn a_session_item_goes_from_hand_out_to_a_satisfied_close() {
    let s = run(
        S::Registered,
        &[
            C::HandOut,
            C::SignIn,
            C::RecordContact,
            C::CoOpinion,
            C::DraftReply {
                class: Some(OutcomeClass::A),
            },
            C::Countersign,
            C::Review {
                missing_countersigns: 0,
            },
            C::Sign,
            C::RecordContact,
            rate(Rating::Satisfied, true, OutcomeClass::A),
        ],
    );
    assert_eq!(s, Ok(S::Closed));
}

#[test]
fn a_dissatisfied_lead_proposer_reopens_the_item_for_a_second_round() {
    let s = run(
        S::Replied,
        &[rate(Rating::Dissatisfied, true, OutcomeClass::B)],
    )
    .unwrap();
    assert_eq!(s, S::ReHandling);
    let s = run(
        s,
        &[
            C::DraftReply {
                class: Some(OutcomeClass::B),
            },
            C::Review {
                missing_countersigns: 0,
            },
            C::Sign,
            rate(Rating::BasicallySatisfied, true, OutcomeClass::B),
        ],
    );
    assert_eq!(s, Ok(S::FollowUpOwed), "B owes follow-ups");
}

#[test]
fn b_and_c_items_owe_follow_ups_until_one_reports_them_solved() {
    for class in [OutcomeClass::B, OutcomeClass::C] {
        let s = apply(S::Replied, &rate(Rating::Satisfied, true, class)).unwrap();
        assert_eq!(s, S::FollowUpOwed);
        assert_eq!(
            apply(s, &C::FollowUp { solved: false }),
            Ok(S::FollowUpOwed)
        );
        assert_eq!(apply(s, &C::FollowUp { solved: true }), Ok(S::Closed));
    }
    assert_eq!(
        apply(S::Replied, &rate(Rating::Satisfied, true, OutcomeClass::D)),
        Ok(S::Closed),
        "D is explained, not followed up"
    );
}

#[test]
fn a_second_rating_and_a_rating_before_the_reply_are_refused() {
    let twice = C::Rate {
        rating: Rating::Satisfied,
        by_lead: true,
        already_rated: true,
        class: OutcomeClass::A,
    };
    assert_eq!(apply(S::Replied, &twice), Err(Error::AlreadyRated));
    assert!(apply(S::Handling, &rate(Rating::Satisfied, true, OutcomeClass::A)).is_err());
    // A co-signer rates the same reply after the lead did; the state stays.
    assert_eq!(
        apply(
            S::Closed,
            &rate(Rating::Dissatisfied, false, OutcomeClass::A)
        ),
        Ok(S::Closed)
    );
}

#[test]
fn an_adjustment_is_asked_inside_the_window_only_and_decided_by_the_office() {
    let asked = apply(S::HandedOut, &adjust(date(2026, 3, 27))).unwrap();
    assert_eq!(asked, S::AdjustmentRequested);
    assert_eq!(
        apply(S::HandedOut, &adjust(date(2026, 3, 30))),
        Err(Error::AdjustmentLate {
            window_ends: date(2026, 3, 27)
        })
    );
    assert_eq!(apply(asked, &C::ApproveAdjustment), Ok(S::HandedOut));
    assert_eq!(
        apply(
            asked,
            &C::RefuseAdjustment {
                reason: "职责明确".into()
            }
        ),
        Ok(S::SignedIn)
    );
    assert_eq!(
        apply(asked, &C::RefuseAdjustment { reason: " ".into() }),
        Err(Error::ReasonRequired)
    );
}

#[test]
fn a_reply_needs_a_class_and_every_countersign_before_review() {
    assert_eq!(
        apply(S::Handling, &C::DraftReply { class: None }),
        Err(Error::ClassRequired)
    );
    assert_eq!(
        apply(
            S::ReplyDrafted,
            &C::Review {
                missing_countersigns: 2
            }
        ),
        Err(Error::CountersignMissing(2))
    );
    assert_eq!(
        apply(
            S::ReplyReviewed,
            &C::SendBack {
                reason: "答复未针对代表所提问题".into()
            }
        ),
        Ok(S::Handling)
    );
}

#[test]
fn intake_accepts_rejects_with_a_reason_merges_and_the_proposer_may_withdraw() {
    assert_eq!(apply(S::Submitted, &C::Accept), Ok(S::Registered));
    assert_eq!(
        apply(S::Submitted, &C::Reject { reason: "".into() }),
        Err(Error::ReasonRequired)
    );
    assert_eq!(apply(S::Registered, &C::Merge), Ok(S::Merged));
    assert_eq!(apply(S::Handling, &C::Withdraw), Ok(S::Withdrawn));
    assert!(apply(S::Replied, &C::Withdraw).is_err(), "answered already");
}

#[test]
fn texts_round_trip() {
    for s in S::ALL {
        assert_eq!(S::parse(s.as_str()), Some(s));
        assert!(!s.label_zh().is_empty());
    }
    for c in OutcomeClass::ALL {
        assert_eq!(OutcomeClass::parse(c.as_str()), Some(c));
        assert_eq!(OutcomeClass::parse(&c.as_str().to_lowercase()), Some(c));
    }
    for r in Rating::ALL {
        assert_eq!(Rating::parse(r.as_str()), Some(r));
    }
    assert_eq!(OutcomeClass::parse("E"), None);
}

/// Every state against every command: exactly the transitions of the diagram in the module's
/// documentation are allowed, everything else is refused with `NotAllowed`.
#[test]
fn every_state_and_command_is_allowed_exactly_as_the_diagram_says() {
    let reason = || "理由".to_string();
    let a = OutcomeClass::A;
    let b = OutcomeClass::B;
    let commands: Vec<(&str, C)> = vec![
        ("accept", C::Accept),
        ("reject", C::Reject { reason: reason() }),
        ("merge", C::Merge),
        ("withdraw", C::Withdraw),
        ("hand_out", C::HandOut),
        ("sign_in", C::SignIn),
        ("adjust", adjust(date(2026, 3, 20))),
        ("approve_adjust", C::ApproveAdjustment),
        ("refuse_adjust", C::RefuseAdjustment { reason: reason() }),
        ("contact", C::RecordContact),
        ("co_opinion", C::CoOpinion),
        ("draft", C::DraftReply { class: Some(a) }),
        ("countersign", C::Countersign),
        (
            "review",
            C::Review {
                missing_countersigns: 0,
            },
        ),
        ("send_back", C::SendBack { reason: reason() }),
        ("sign", C::Sign),
        ("rate_a_ok", rate(Rating::Satisfied, true, a)),
        ("rate_b_ok", rate(Rating::BasicallySatisfied, true, b)),
        ("rate_bad", rate(Rating::Dissatisfied, true, a)),
        ("co_rate", rate(Rating::Satisfied, false, a)),
        ("follow_up", C::FollowUp { solved: false }),
        ("solved", C::FollowUp { solved: true }),
    ];
    let before_reply = [
        S::Submitted,
        S::Registered,
        S::HandedOut,
        S::AdjustmentRequested,
        S::SignedIn,
        S::Handling,
        S::ReplyDrafted,
        S::ReplyReviewed,
    ];
    let mut allowed: Vec<(S, &str, S)> = vec![
        (S::Submitted, "accept", S::Registered),
        (S::Submitted, "reject", S::Rejected),
        (S::Registered, "reject", S::Rejected),
        (S::Submitted, "merge", S::Merged),
        (S::Registered, "merge", S::Merged),
        (S::Registered, "hand_out", S::HandedOut),
        (S::HandedOut, "sign_in", S::SignedIn),
        (S::HandedOut, "adjust", S::AdjustmentRequested),
        (S::AdjustmentRequested, "approve_adjust", S::HandedOut),
        (S::AdjustmentRequested, "refuse_adjust", S::SignedIn),
        (S::SignedIn, "contact", S::Handling),
        (S::Handling, "contact", S::Handling),
        (S::ReplyDrafted, "contact", S::ReplyDrafted),
        (S::ReplyReviewed, "contact", S::ReplyReviewed),
        (S::Replied, "contact", S::Replied),
        (S::ReHandling, "contact", S::ReHandling),
        (S::FollowUpOwed, "contact", S::FollowUpOwed),
        (S::Closed, "contact", S::Closed),
        (S::SignedIn, "co_opinion", S::SignedIn),
        (S::Handling, "co_opinion", S::Handling),
        (S::ReHandling, "co_opinion", S::ReHandling),
        (S::SignedIn, "draft", S::ReplyDrafted),
        (S::Handling, "draft", S::ReplyDrafted),
        (S::ReHandling, "draft", S::ReplyDrafted),
        (S::ReplyDrafted, "draft", S::ReplyDrafted),
        (S::ReplyDrafted, "countersign", S::ReplyDrafted),
        (S::ReplyDrafted, "review", S::ReplyReviewed),
        (S::ReplyDrafted, "send_back", S::Handling),
        (S::ReplyReviewed, "send_back", S::Handling),
        (S::ReplyReviewed, "sign", S::Replied),
        (S::Replied, "rate_a_ok", S::Closed),
        (S::Replied, "rate_b_ok", S::FollowUpOwed),
        (S::Replied, "rate_bad", S::ReHandling),
        (S::Replied, "co_rate", S::Replied),
        (S::ReHandling, "co_rate", S::ReHandling),
        (S::FollowUpOwed, "co_rate", S::FollowUpOwed),
        (S::Closed, "co_rate", S::Closed),
        (S::FollowUpOwed, "follow_up", S::FollowUpOwed),
        (S::FollowUpOwed, "solved", S::Closed),
    ];
    for s in before_reply {
        allowed.push((s, "withdraw", S::Withdrawn));
    }
    let mut checked = 0;
    for from in S::ALL {
        for (name, command) in &commands {
            let want = allowed
                .iter()
                .find(|(f, n, _)| *f == from && n == name)
                .map(|(_, _, to)| *to);
            let got = apply(from, command);
            match want {
                Some(to) => assert_eq!(got, Ok(to), "{from:?} + {name}"),
                None => assert_eq!(
                    got,
                    Err(Error::NotAllowed {
                        from: from.as_str()
                    }),
                    "{from:?} + {name}"
                ),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 15 * 22);
}
