//! A split unit (分办) acts only on its own part of a case (issue 19, item 4): the rows of the
//! policy for [`Object::case_part`], role by role and unit by unit.

use super::*;

const SPLIT_A: UnitId = HOME;
const SPLIT_B: UnitId = UnitId(41);
const LEAD: UnitId = UnitId(40);

fn desk(role: Role, unit: UnitId) -> Actor {
    Actor {
        user: Some(UserId(3)),
        person: Some(PersonId(3)),
        role: Some(role),
        scope: Scope::new(Some(unit), [], []),
    }
}

/// (role, unit, action, on A's part, on B's part)
type Row = (Role, UnitId, Action, Result<(), Denied>, Result<(), Denied>);

#[test]
fn a_split_units_desk_handles_and_its_head_concludes_its_own_part_only() {
    let mine = Object::case_part(SPLIT_A, CaseState::Handling);
    let theirs = Object::case_part(SPLIT_B, CaseState::Handling);
    let rows: &[Row] = &[
        (
            Role::UnitLiaison,
            SPLIT_A,
            Action::HandleCase,
            Ok(()),
            Err(Denied::OutOfScope),
        ),
        (
            Role::UnitHead,
            SPLIT_A,
            Action::HandleCase,
            Ok(()),
            Err(Denied::OutOfScope),
        ),
        (
            Role::UnitHead,
            SPLIT_A,
            Action::ConcludeCase,
            Ok(()),
            Err(Denied::OutOfScope),
        ),
        (
            Role::UnitLiaison,
            SPLIT_A,
            Action::ConcludeCase,
            Err(Denied::Role),
            Err(Denied::Role),
        ),
        (
            Role::UnitHead,
            SPLIT_A,
            Action::ManageCase,
            Err(Denied::Role),
            Err(Denied::Role),
        ),
        // The lead unit does not act on a split unit's part.
        (
            Role::UnitHead,
            LEAD,
            Action::HandleCase,
            Err(Denied::OutOfScope),
            Err(Denied::OutOfScope),
        ),
        (
            Role::UnitHead,
            LEAD,
            Action::ConcludeCase,
            Err(Denied::OutOfScope),
            Err(Denied::OutOfScope),
        ),
        // The office verifies or sends back any part, and handles none.
        (
            Role::SupervisionOffice,
            LEAD,
            Action::ManageCase,
            Ok(()),
            Ok(()),
        ),
        (
            Role::SupervisionOffice,
            LEAD,
            Action::HandleCase,
            Err(Denied::Role),
            Err(Denied::Role),
        ),
        (
            Role::SectionStaff,
            SPLIT_A,
            Action::HandleCase,
            Err(Denied::Role),
            Err(Denied::Role),
        ),
    ];
    for (role, unit, action, a, b) in rows {
        let who = desk(*role, *unit);
        assert_eq!(
            decide(&who, *action, mine),
            *a,
            "{role} of {unit:?} {action:?} on A"
        );
        assert_eq!(
            decide(&who, *action, theirs),
            *b,
            "{role} of {unit:?} {action:?} on B"
        );
    }
}

#[test]
fn the_auditor_and_the_public_take_no_step_on_a_part() {
    let part = Object::case_part(SPLIT_A, CaseState::Handling);
    for action in [Action::HandleCase, Action::ConcludeCase, Action::ManageCase] {
        assert!(decide(&desk(Role::Auditor, SPLIT_A), action, part).is_err());
        assert_eq!(
            decide(&Actor::default(), action, part),
            Err(Denied::NotSignedIn)
        );
    }
}
