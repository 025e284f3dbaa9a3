use super::*;

const HOME: UnitId = UnitId(10);
const TASK_FORCE: UnitId = UnitId(20);
const PORTFOLIO: UnitId = UnitId(30);
const ELSEWHERE: UnitId = UnitId(99);

fn actor(role: Role) -> Actor {
    let portfolio = if role == Role::PortfolioLeader {
        vec![PORTFOLIO]
    } else {
        vec![]
    };
    let home = (role != Role::Deputy).then_some(HOME);
    Actor {
        user: Some(UserId(1)),
        person: Some(PersonId(1)),
        role: Some(role),
        scope: Scope::new(home, [TASK_FORCE], portfolio),
    }
}

fn unit(id: UnitId) -> Object {
    Object::Unit { id, active: true }
}

#[test]
fn the_anonymous_public_is_asked_to_sign_in_for_everything_internal() {
    let public = Actor::default();
    for action in [
        Action::ViewHome,
        Action::ViewDirectory,
        Action::ViewUnit,
        Action::ManageOrg,
    ] {
        assert_eq!(
            decide(&public, action, Object::City),
            Err(Denied::NotSignedIn)
        );
    }
}

#[test]
fn whole_city_roles_see_every_unit_even_inactive_ones() {
    for role in [Role::Admin, Role::SupervisionOffice, Role::TopLeader] {
        let a = actor(role);
        assert_eq!(decide(&a, Action::ViewUnit, unit(ELSEWHERE)), Ok(()));
        let inactive = Object::Unit {
            id: ELSEWHERE,
            active: false,
        };
        assert_eq!(decide(&a, Action::ViewUnit, inactive), Ok(()));
    }
}

#[test]
fn unit_roles_see_their_home_unit_and_task_forces_but_not_other_units() {
    for role in [Role::UnitHead, Role::UnitLiaison, Role::SectionStaff] {
        let a = actor(role);
        assert_eq!(decide(&a, Action::ViewUnit, unit(HOME)), Ok(()), "{role}");
        assert_eq!(
            decide(&a, Action::ViewUnit, unit(TASK_FORCE)),
            Ok(()),
            "{role}"
        );
        assert_eq!(
            decide(&a, Action::ViewUnit, unit(PORTFOLIO)),
            Err(Denied::OutOfScope)
        );
        assert_eq!(
            decide(&a, Action::ViewUnit, unit(ELSEWHERE)),
            Err(Denied::OutOfScope)
        );
    }
}

#[test]
fn a_portfolio_leader_sees_the_units_of_the_current_portfolio() {
    let a = actor(Role::PortfolioLeader);
    assert_eq!(decide(&a, Action::ViewUnit, unit(PORTFOLIO)), Ok(()));
    assert_eq!(
        decide(&a, Action::ViewUnit, unit(ELSEWHERE)),
        Err(Denied::OutOfScope)
    );
}

#[test]
fn an_inactive_unit_in_scope_is_hidden_from_unit_roles() {
    let a = actor(Role::UnitHead);
    let inactive = Object::Unit {
        id: HOME,
        active: false,
    };
    assert_eq!(
        decide(&a, Action::ViewUnit, inactive),
        Err(Denied::Inactive)
    );
}

#[test]
fn deputies_see_the_directory_but_no_unit_internals() {
    let a = actor(Role::Deputy);
    assert_eq!(decide(&a, Action::ViewDirectory, Object::City), Ok(()));
    assert_eq!(decide(&a, Action::ViewUnit, unit(HOME)), Err(Denied::Role));
    let someone = Object::Person {
        id: PersonId(5),
        unit: Some(HOME),
        active: true,
    };
    assert_eq!(decide(&a, Action::ViewPerson, someone), Err(Denied::Role));
}

#[test]
fn everyone_signed_in_sees_their_own_person_record() {
    for role in Role::ALL {
        let me = Object::Person {
            id: PersonId(1),
            unit: None,
            active: true,
        };
        assert_eq!(
            decide(&actor(role), Action::ViewPerson, me),
            Ok(()),
            "{role}"
        );
    }
}

#[test]
fn people_are_visible_exactly_where_their_unit_is() {
    let a = actor(Role::UnitLiaison);
    let colleague = Object::Person {
        id: PersonId(2),
        unit: Some(HOME),
        active: true,
    };
    let stranger = Object::Person {
        id: PersonId(3),
        unit: Some(ELSEWHERE),
        active: true,
    };
    let no_unit = Object::Person {
        id: PersonId(4),
        unit: None,
        active: true,
    };
    assert_eq!(decide(&a, Action::ViewPerson, colleague), Ok(()));
    assert_eq!(
        decide(&a, Action::ViewPerson, stranger),
        Err(Denied::OutOfScope)
    );
    assert_eq!(
        decide(&a, Action::ViewPerson, no_unit),
        Err(Denied::OutOfScope)
    );
}

#[test]
fn only_the_admin_manages_the_organisation_and_resets_passwords() {
    for role in Role::ALL {
        let expected = if role == Role::Admin {
            Ok(())
        } else {
            Err(Denied::Role)
        };
        assert_eq!(
            decide(&actor(role), Action::ManageOrg, Object::City),
            expected,
            "{role}"
        );
        let other = Object::Account { id: UserId(2) };
        assert_eq!(
            decide(&actor(role), Action::ResetPassword, other),
            expected,
            "{role}"
        );
    }
}

#[test]
fn the_ledger_is_for_the_admin_and_the_supervision_office() {
    for role in Role::ALL {
        let allowed = matches!(role, Role::Admin | Role::SupervisionOffice);
        assert_eq!(
            decide(&actor(role), Action::ViewLedger, Object::City).is_ok(),
            allowed
        );
    }
}

#[test]
fn one_manages_only_ones_own_account() {
    let a = actor(Role::Admin);
    assert_eq!(
        decide(
            &a,
            Action::ManageOwnAccount,
            Object::Account { id: UserId(1) }
        ),
        Ok(())
    );
    let other = Object::Account { id: UserId(2) };
    assert_eq!(
        decide(&a, Action::ManageOwnAccount, other),
        Err(Denied::OutOfScope)
    );
}

#[test]
fn scope_gathers_home_task_forces_and_portfolio_without_duplicates() {
    let s = Scope::new(Some(HOME), [TASK_FORCE, HOME], [PORTFOLIO]);
    assert_eq!(
        s.units.into_iter().collect::<Vec<_>>(),
        vec![HOME, TASK_FORCE, PORTFOLIO]
    );
}
