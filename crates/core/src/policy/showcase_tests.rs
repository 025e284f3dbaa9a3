//! 晒拼: who sees, sets up, fills and scores a showcase.

use super::*;

const HOME: UnitId = UnitId(10);
const ELSEWHERE: UnitId = UnitId(99);

fn actor(role: Role) -> Actor {
    Actor {
        user: Some(UserId(1)),
        person: Some(PersonId(1)),
        role: Some(role),
        scope: Scope::new((role != Role::Deputy).then_some(HOME), [], []),
    }
}

fn presenter(unit: UnitId, state: EventState) -> Object<'static> {
    Object::Presenter { unit, state }
}

#[test]
fn published_results_are_for_everyone_signed_in_and_drafts_for_whole_city_roles() {
    for role in Role::ALL {
        let a = actor(role);
        let published = Object::Showcase {
            state: EventState::Published,
        };
        assert_eq!(
            decide(&a, Action::ViewShowcase, published),
            Ok(()),
            "{role}"
        );
        let live = Object::Showcase {
            state: EventState::Live,
        };
        assert_eq!(
            decide(&a, Action::ViewShowcase, live).is_ok(),
            role.sees_whole_city(),
            "{role}"
        );
    }
    let public = Actor::default();
    let published = Object::Showcase {
        state: EventState::Published,
    };
    assert_eq!(
        decide(&public, Action::ViewShowcase, published),
        Err(Denied::NotSignedIn)
    );
}

#[test]
fn a_unit_sees_and_fills_its_own_page_before_publication_and_no_other() {
    for role in [Role::UnitHead, Role::UnitLiaison] {
        let a = actor(role);
        let mine = presenter(HOME, EventState::Draft);
        let theirs = presenter(ELSEWHERE, EventState::Draft);
        assert_eq!(decide(&a, Action::ViewShowcase, mine), Ok(()));
        assert_eq!(decide(&a, Action::FillShowcase, mine), Ok(()));
        assert_eq!(
            decide(&a, Action::ViewShowcase, theirs),
            Err(Denied::OutOfScope)
        );
        assert_eq!(
            decide(&a, Action::FillShowcase, theirs),
            Err(Denied::OutOfScope)
        );
    }
    for role in [
        Role::SectionStaff,
        Role::Deputy,
        Role::TopLeader,
        Role::Auditor,
    ] {
        let mine = presenter(HOME, EventState::Draft);
        assert!(
            decide(&actor(role), Action::FillShowcase, mine).is_err(),
            "{role}"
        );
    }
}

#[test]
fn only_the_office_manages_and_the_office_and_auditor_read_raw_cards() {
    for role in Role::ALL {
        let a = actor(role);
        let ev = Object::Showcase {
            state: EventState::Live,
        };
        assert_eq!(
            decide(&a, Action::ManageShowcase, ev).is_ok(),
            role == Role::SupervisionOffice,
            "{role}"
        );
        assert_eq!(
            decide(&a, Action::ViewShowcaseCards, ev).is_ok(),
            matches!(role, Role::SupervisionOffice | Role::Auditor),
            "{role}"
        );
    }
}

#[test]
fn a_judge_never_scores_their_own_unit_and_the_auditor_never_scores() {
    for role in Role::ALL {
        let a = actor(role);
        let other = presenter(ELSEWHERE, EventState::Live);
        assert_eq!(
            decide(&a, Action::ScoreShowcase, other).is_ok(),
            role != Role::Auditor,
            "{role}"
        );
        let own = presenter(HOME, EventState::Live);
        if role != Role::Deputy {
            assert!(decide(&a, Action::ScoreShowcase, own).is_err(), "{role}");
        }
    }
    assert_eq!(
        decide(
            &Actor::default(),
            Action::ScoreShowcase,
            presenter(ELSEWHERE, EventState::Live)
        ),
        Err(Denied::NotSignedIn)
    );
}

#[test]
fn a_guest_link_is_its_own_gate() {
    assert_eq!(
        decide(
            &Actor::default(),
            Action::GuestScoreShowcase,
            presenter(ELSEWHERE, EventState::Live)
        ),
        Ok(())
    );
}
