//! Who may see and change assessment (督考): the office runs it; a unit sees its own scores
//! and every point behind them, and appeals through its head; leaders see the tables and the
//! units of their scope; deputies see none of it (published bulletins reach them elsewhere).

use super::{Action, Actor, Denied, Object};
use crate::role::Role;

pub(super) fn decide(
    actor: &Actor,
    role: Role,
    action: Action,
    object: Object<'_>,
) -> Result<(), Denied> {
    match action {
        Action::ViewScores => match (role, object) {
            (Role::Deputy | Role::NpcOffice | Role::CppccOffice, _) => Err(Denied::Role),
            _ if role.sees_whole_city() => Ok(()),
            (_, Object::Unit { id, .. }) if actor.scope.units.contains(&id) => Ok(()),
            (_, Object::Unit { .. }) => Err(Denied::OutOfScope),
            _ => Ok(()),
        },
        Action::ViewRankings => match (role, object) {
            (
                Role::Admin | Role::SupervisionOffice | Role::TopLeader | Role::PortfolioLeader,
                _,
            ) => Ok(()),
            (
                Role::UnitHead | Role::UnitLiaison | Role::SectionStaff,
                Object::Rankings {
                    open_to_units: true,
                },
            ) => Ok(()),
            _ => Err(Denied::Role),
        },
        Action::AppealScore => match (role, object) {
            (Role::UnitHead, Object::Unit { id, .. }) if actor.scope.home_unit == Some(id) => {
                Ok(())
            }
            (Role::UnitHead, _) => Err(Denied::OutOfScope),
            _ => Err(Denied::Role),
        },
        Action::ViewBulletin => match (role, object) {
            (Role::SupervisionOffice, _) => Ok(()),
            (
                Role::Admin
                | Role::TopLeader
                | Role::PortfolioLeader
                | Role::UnitHead
                | Role::UnitLiaison
                | Role::SectionStaff,
                Object::Bulletin { issued: true },
            ) => Ok(()),
            (Role::Deputy | Role::NpcOffice | Role::CppccOffice, _) => Err(Denied::Role),
            _ => Err(Denied::OutOfScope),
        },
        _ => match role {
            Role::SupervisionOffice => Ok(()),
            _ => Err(Denied::Role),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Scope, decide};
    use super::*;
    use crate::org::{PersonId, UnitId, UserId};

    fn actor(role: Role, unit: Option<i64>) -> Actor {
        let home = unit.map(UnitId);
        Actor {
            user: Some(UserId(1)),
            person: Some(PersonId(1)),
            role: Some(role),
            scope: Scope::new(home, [], []),
        }
    }

    fn unit(id: i64) -> Object<'static> {
        Object::Unit {
            id: UnitId(id),
            active: true,
        }
    }

    #[test]
    fn a_unit_sees_its_own_scores_only() {
        for role in [Role::UnitHead, Role::UnitLiaison, Role::SectionStaff] {
            let a = actor(role, Some(7));
            assert_eq!(decide(&a, Action::ViewScores, unit(7)), Ok(()));
            assert_eq!(
                decide(&a, Action::ViewScores, unit(8)),
                Err(Denied::OutOfScope)
            );
        }
        for role in [
            Role::SupervisionOffice,
            Role::TopLeader,
            Role::Admin,
            Role::Auditor,
        ] {
            assert_eq!(
                decide(&actor(role, None), Action::ViewScores, unit(8)),
                Ok(())
            );
        }
        assert_eq!(
            decide(&actor(Role::Deputy, None), Action::ViewScores, unit(8)),
            Err(Denied::Role)
        );
    }

    #[test]
    fn group_tables_open_to_units_only_when_the_scheme_says_so() {
        let closed = Object::Rankings {
            open_to_units: false,
        };
        let open = Object::Rankings {
            open_to_units: true,
        };
        let head = actor(Role::UnitHead, Some(7));
        assert_eq!(
            decide(&head, Action::ViewRankings, closed),
            Err(Denied::Role)
        );
        assert_eq!(decide(&head, Action::ViewRankings, open), Ok(()));
        for role in [
            Role::SupervisionOffice,
            Role::TopLeader,
            Role::PortfolioLeader,
            Role::Auditor,
        ] {
            assert_eq!(
                decide(&actor(role, None), Action::ViewRankings, closed),
                Ok(())
            );
        }
        for role in [Role::Deputy, Role::NpcOffice, Role::CppccOffice] {
            assert_eq!(
                decide(&actor(role, None), Action::ViewRankings, open),
                Err(Denied::Role)
            );
            assert_eq!(
                decide(&actor(role, None), Action::ViewScores, Object::City),
                Err(Denied::Role)
            );
        }
    }

    #[test]
    fn issued_bulletins_reach_every_unit_and_leader_and_drafts_only_the_office() {
        let issued = Object::Bulletin { issued: true };
        let draft = Object::Bulletin { issued: false };
        for role in [
            Role::UnitHead,
            Role::UnitLiaison,
            Role::SectionStaff,
            Role::TopLeader,
            Role::PortfolioLeader,
            Role::Admin,
        ] {
            let a = actor(role, Some(7));
            assert_eq!(decide(&a, Action::ViewBulletin, issued), Ok(()));
            assert!(decide(&a, Action::ViewBulletin, draft).is_err());
            assert!(decide(&a, Action::ManageBulletins, Object::City).is_err());
        }
        let office = actor(Role::SupervisionOffice, None);
        assert_eq!(decide(&office, Action::ViewBulletin, draft), Ok(()));
        assert_eq!(
            decide(&office, Action::ManageBulletins, Object::City),
            Ok(())
        );
        assert_eq!(
            decide(&actor(Role::Deputy, None), Action::ViewBulletin, issued),
            Err(Denied::Role)
        );
        assert_eq!(
            decide(&actor(Role::Auditor, None), Action::ViewBulletin, draft),
            Ok(())
        );
    }

    #[test]
    fn only_the_head_of_the_unit_appeals() {
        assert_eq!(
            decide(
                &actor(Role::UnitHead, Some(7)),
                Action::AppealScore,
                unit(7)
            ),
            Ok(())
        );
        assert_eq!(
            decide(
                &actor(Role::UnitHead, Some(7)),
                Action::AppealScore,
                unit(8)
            ),
            Err(Denied::OutOfScope)
        );
        for role in [Role::UnitLiaison, Role::SupervisionOffice, Role::Auditor] {
            assert!(decide(&actor(role, Some(7)), Action::AppealScore, unit(7)).is_err());
        }
    }

    #[test]
    fn the_office_runs_the_scheme_events_and_appeals() {
        for action in [
            Action::ManageScheme,
            Action::ProposeScore,
            Action::DecideScore,
            Action::DecideAppeal,
        ] {
            assert_eq!(
                decide(&actor(Role::SupervisionOffice, None), action, Object::City),
                Ok(())
            );
            for role in [
                Role::Admin,
                Role::TopLeader,
                Role::PortfolioLeader,
                Role::UnitHead,
                Role::Deputy,
                Role::Auditor,
            ] {
                assert!(decide(&actor(role, Some(7)), action, Object::City).is_err());
            }
        }
    }
}
