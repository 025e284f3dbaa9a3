//! Suggestions and proposals: offices scoped to their kind, units to their assignment,
//! proposers to their own items; nobody but a proposer rates.

use super::*;
use crate::proposals::kind::Kind;

const LEAD: UnitId = UnitId(10);
const CO: UnitId = UnitId(11);
const SPLIT: UnitId = UnitId(12);
const OTHER: UnitId = UnitId(99);
const PROPOSER: PersonId = PersonId(100);
const COSIGNER: PersonId = PersonId(101);
const LEADER: PersonId = PersonId(102);

fn actor(role: Role, person: i64, unit: Option<UnitId>) -> Actor {
    Actor {
        user: Some(UserId(person)),
        person: Some(PersonId(person)),
        role: Some(role),
        scope: Scope::new(unit, [], []),
    }
}

fn item(kind: Kind) -> Object<'static> {
    Object::Proposal {
        kind,
        lead_unit: Some(LEAD),
        co_units: &[CO],
        split_units: &[SPLIT],
        proposer: Some(PROPOSER),
        cosigners: &[COSIGNER],
        leader: Some(LEADER),
    }
}

#[test]
fn each_office_registers_and_sees_only_its_own_kind() {
    let npc = actor(Role::NpcOffice, 1, None);
    let cppcc = actor(Role::CppccOffice, 2, None);
    let s = item(Kind::Suggestion);
    let p = item(Kind::Proposal);
    assert_eq!(decide(&npc, Action::IntakeProposal, s), Ok(()));
    assert_eq!(
        decide(&npc, Action::IntakeProposal, p),
        Err(Denied::OutOfScope)
    );
    assert_eq!(decide(&cppcc, Action::IntakeProposal, p), Ok(()));
    assert_eq!(decide(&npc, Action::ViewProposal, s), Ok(()));
    assert_eq!(
        decide(&npc, Action::ViewProposal, p),
        Err(Denied::OutOfScope)
    );
    assert_eq!(
        decide(&npc, Action::HandOutProposal, s),
        Err(Denied::Role),
        "hand-out is the government's"
    );
    let office = actor(Role::SupervisionOffice, 3, None);
    assert_eq!(
        decide(&office, Action::IntakeProposal, s),
        Err(Denied::Role)
    );
    assert_eq!(decide(&office, Action::HandOutProposal, s), Ok(()));
}

#[test]
fn only_a_proposer_in_their_own_account_rates_and_never_a_unit() {
    let s = item(Kind::Suggestion);
    assert_eq!(
        decide(&actor(Role::Deputy, 100, None), Action::RateProposal, s),
        Ok(())
    );
    assert_eq!(
        decide(&actor(Role::Deputy, 101, None), Action::RateProposal, s),
        Ok(()),
        "a co-signer (whether it counts is the year's setting)"
    );
    assert_eq!(
        decide(&actor(Role::Deputy, 555, None), Action::RateProposal, s),
        Err(Denied::OutOfScope)
    );
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Deputy) {
        // Even an account whose person is the proposer, when it is not a deputy's account.
        let a = actor(role, 100, Some(LEAD));
        assert!(decide(&a, Action::RateProposal, s).is_err(), "{role}");
    }
}

#[test]
fn units_handle_sign_and_countersign_by_their_part_in_the_assignment() {
    let s = item(Kind::Suggestion);
    let head = |u| actor(Role::UnitHead, 7, Some(u));
    let liaison = |u| actor(Role::UnitLiaison, 8, Some(u));
    assert_eq!(decide(&liaison(LEAD), Action::HandleProposal, s), Ok(()));
    assert_eq!(decide(&liaison(SPLIT), Action::HandleProposal, s), Ok(()));
    assert_eq!(
        decide(&liaison(CO), Action::HandleProposal, s),
        Err(Denied::OutOfScope)
    );
    assert_eq!(
        decide(&liaison(LEAD), Action::SignProposalReply, s),
        Err(Denied::Role)
    );
    assert_eq!(decide(&head(LEAD), Action::SignProposalReply, s), Ok(()));
    assert_eq!(
        decide(&head(SPLIT), Action::SignProposalReply, s),
        Err(Denied::OutOfScope)
    );
    assert_eq!(decide(&liaison(CO), Action::CountersignProposal, s), Ok(()));
    assert_eq!(
        decide(&head(LEAD), Action::CountersignProposal, s),
        Err(Denied::OutOfScope),
        "the lead unit is not a co-unit"
    );
    assert_eq!(
        decide(&head(OTHER), Action::ViewProposal, s),
        Err(Denied::OutOfScope)
    );
    assert_eq!(decide(&head(CO), Action::ViewProposal, s), Ok(()));
}

#[test]
fn proposers_see_their_own_items_and_leaders_the_key_items_they_supervise() {
    let s = item(Kind::Proposal);
    for p in [100, 101] {
        assert_eq!(
            decide(&actor(Role::Deputy, p, None), Action::ViewProposal, s),
            Ok(())
        );
    }
    assert_eq!(
        decide(&actor(Role::Deputy, 5, None), Action::ViewProposal, s),
        Err(Denied::OutOfScope)
    );
    assert_eq!(
        decide(
            &actor(Role::PortfolioLeader, 102, None),
            Action::ViewProposal,
            s
        ),
        Ok(())
    );
    assert_eq!(
        decide(
            &actor(Role::PortfolioLeader, 103, None),
            Action::ViewProposal,
            s
        ),
        Err(Denied::OutOfScope)
    );
    assert_eq!(
        decide(&actor(Role::Deputy, 5, None), Action::ViewProposalRates, s),
        Err(Denied::Role)
    );
}

#[test]
fn a_deputy_files_and_withdraws_only_their_own() {
    let d = actor(Role::Deputy, 100, None);
    assert_eq!(decide(&d, Action::SubmitProposal, Object::City), Ok(()));
    assert_eq!(
        decide(&d, Action::SubmitProposal, item(Kind::Suggestion)),
        Ok(())
    );
    assert_eq!(
        decide(
            &actor(Role::Deputy, 101, None),
            Action::SubmitProposal,
            item(Kind::Suggestion)
        ),
        Err(Denied::OutOfScope),
        "a co-signer does not withdraw the item"
    );
    assert_eq!(
        decide(
            &actor(Role::NpcOffice, 1, None),
            Action::SubmitProposal,
            Object::City
        ),
        Err(Denied::Role)
    );
}

#[test]
fn the_auditor_reads_every_item_and_writes_none() {
    let a = actor(Role::Auditor, 9, None);
    let s = item(Kind::Suggestion);
    assert_eq!(decide(&a, Action::ViewProposal, s), Ok(()));
    assert_eq!(decide(&a, Action::ViewProposalRates, s), Ok(()));
    for w in [
        Action::IntakeProposal,
        Action::HandOutProposal,
        Action::RateProposal,
        Action::HandleProposal,
    ] {
        assert_eq!(decide(&a, w, s), Err(Denied::Role));
    }
}
