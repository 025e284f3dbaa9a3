//! The duty list and joint matters (县乡一体): who reads the list, who keeps it, who raises a
//! joint matter, and which side takes which step.

use super::*;

const TOWN: UnitId = HOME;
const DEPT: UnitId = UnitId(40);

fn department_desk(role: Role) -> Actor {
    Actor {
        user: Some(UserId(2)),
        person: Some(PersonId(2)),
        role: Some(role),
        scope: Scope::new(Some(DEPT), [], []),
    }
}

#[test]
fn everyone_signed_in_reads_the_duty_list_and_only_the_office_keeps_it() {
    for role in Role::ALL {
        assert_eq!(
            decide(&actor(role), Action::ViewDuties, Object::City),
            Ok(())
        );
        let want = if role == Role::SupervisionOffice {
            Ok(())
        } else {
            Err(Denied::Role)
        };
        assert_eq!(
            decide(&actor(role), Action::ManageDuties, Object::City),
            want,
            "{role}"
        );
    }
    assert_eq!(
        decide(&Actor::default(), Action::ViewDuties, Object::City),
        Err(Denied::NotSignedIn)
    );
}

#[test]
fn a_towns_desk_raises_joint_matters_for_its_own_town_only() {
    for role in Role::ALL {
        let want = match role {
            Role::UnitHead | Role::UnitLiaison => Ok(()),
            _ => Err(Denied::Role),
        };
        assert_eq!(
            decide(&actor(role), Action::RaiseJoint, unit(TOWN)),
            want,
            "{role}"
        );
    }
    assert_eq!(
        decide(&actor(Role::UnitHead), Action::RaiseJoint, unit(ELSEWHERE)),
        Err(Denied::OutOfScope)
    );
}

#[test]
fn each_side_takes_only_its_own_steps() {
    let depts = [DEPT];
    let joint = Object::Joint {
        town: TOWN,
        departments: &depts,
    };
    let town = actor(Role::UnitLiaison);
    let dept = department_desk(Role::UnitLiaison);
    assert_eq!(decide(&town, Action::CoordinateJoint, joint), Ok(()));
    assert_eq!(
        decide(&town, Action::ActAsNamedDepartment, joint),
        Err(Denied::NotNamed),
        "the town cannot report in or rate itself"
    );
    assert_eq!(decide(&dept, Action::ActAsNamedDepartment, joint), Ok(()));
    assert_eq!(
        decide(&dept, Action::CoordinateJoint, joint),
        Err(Denied::OutOfScope),
        "a department cannot close or rate departments"
    );
    let other = Actor {
        scope: Scope::new(Some(ELSEWHERE), [], []),
        ..dept.clone()
    };
    assert_eq!(
        decide(&other, Action::ActAsNamedDepartment, joint),
        Err(Denied::NotNamed)
    );
    assert_eq!(
        decide(&other, Action::ViewJoint, joint),
        Err(Denied::OutOfScope)
    );
    assert_eq!(decide(&dept, Action::ViewJoint, joint), Ok(()));
    assert_eq!(decide(&town, Action::ViewJoint, joint), Ok(()));
    for role in [Role::SupervisionOffice, Role::TopLeader, Role::Auditor] {
        assert_eq!(decide(&actor(role), Action::ViewJoint, joint), Ok(()));
        assert!(decide(&actor(role), Action::CoordinateJoint, joint).is_err());
    }
    assert_eq!(
        decide(&actor(Role::Deputy), Action::ViewJoint, joint),
        Err(Denied::Role)
    );
    assert_eq!(
        decide(
            &department_desk(Role::SectionStaff),
            Action::ActAsNamedDepartment,
            joint
        ),
        Err(Denied::Role)
    );
}
