//! The one authorization policy: may this actor do this action to this object?
//!
//! Every handler asks [`decide`] and nothing else decides access. The answer depends on the
//! actor's role, the actor's scope (home unit, task forces, current portfolio) and the object's
//! state (an inactive unit is visible only to whole-city roles). Scope is data of the actor,
//! computed once per request by the caller from memberships and dated portfolios with
//! [`Scope::new`].

use crate::org::{PersonId, UnitId, UserId};
use crate::role::Role;
use std::collections::BTreeSet;

/// Who is asking. `role == None` is the anonymous public.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub user: Option<UserId>,
    pub person: Option<PersonId>,
    pub role: Option<Role>,
    pub scope: Scope,
}

/// The units an actor may see beyond what is public.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// The person's home unit (primary membership), if any.
    pub home_unit: Option<UnitId>,
    /// Every unit the actor may see: home unit, task forces / command HQs they are members of,
    /// and, for leaders, the units of their current portfolio.
    pub units: BTreeSet<UnitId>,
}

impl Scope {
    /// Builds a scope from the actor's memberships and the units of portfolios valid today.
    pub fn new(
        home_unit: Option<UnitId>,
        member_of: impl IntoIterator<Item = UnitId>,
        portfolio_units: impl IntoIterator<Item = UnitId>,
    ) -> Scope {
        let mut units: BTreeSet<UnitId> = member_of.into_iter().collect();
        units.extend(portfolio_units);
        units.extend(home_unit);
        Scope { home_unit, units }
    }
}

/// What the actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See the signed-in home page ("my work").
    ViewHome,
    /// See the list of units (names and kinds) and who leads the city.
    ViewDirectory,
    /// See a unit's sections, posts, people and leaders.
    ViewUnit,
    /// See a person's details (contact data included).
    ViewPerson,
    /// See the table of leader portfolios (分管).
    ViewPortfolios,
    /// Create, edit, deactivate units, sections, posts, people and portfolios.
    ManageOrg,
    /// Set a new password for someone else's account.
    ResetPassword,
    /// Read the audit ledger and its verification.
    ViewLedger,
    /// Change one's own password, manage one's own API tokens.
    ManageOwnAccount,
}

/// What the action is done to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    /// The city as a whole (lists, forms that create things).
    City,
    /// One unit, with whether it is still active.
    Unit { id: UnitId, active: bool },
    /// One person, seen through the unit they belong to (`None`: no unit, e.g. a deputy).
    Person {
        id: PersonId,
        unit: Option<UnitId>,
        active: bool,
    },
    /// One login account.
    Account { id: UserId },
}

/// Why an action was refused, in words for the person refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("please sign in first")]
    NotSignedIn,
    #[error("your role does not allow this")]
    Role,
    #[error("this is outside the units you are responsible for")]
    OutOfScope,
    #[error("this item is no longer active")]
    Inactive,
}

/// The single entry point: `Ok(())` to proceed, or the reason for refusal.
pub fn decide(actor: &Actor, action: Action, object: Object) -> Result<(), Denied> {
    let Some(role) = actor.role else {
        return Err(Denied::NotSignedIn);
    };
    match action {
        Action::ViewHome | Action::ManageOwnAccount => match object {
            Object::Account { id } if actor.user != Some(id) => Err(Denied::OutOfScope),
            _ => Ok(()),
        },
        Action::ViewDirectory | Action::ViewPortfolios => Ok(()),
        Action::ViewUnit => match object {
            Object::Unit { id, active } => see_unit(actor, role, id, active),
            _ => Ok(()),
        },
        Action::ViewPerson => match object {
            Object::Person { id, .. } if actor.person == Some(id) => Ok(()),
            Object::Person {
                unit: Some(unit),
                active,
                ..
            } => see_unit(actor, role, unit, active),
            Object::Person { unit: None, .. } if role.sees_whole_city() => Ok(()),
            _ => Err(Denied::OutOfScope),
        },
        Action::ManageOrg | Action::ResetPassword => match role {
            Role::Admin => Ok(()),
            _ => Err(Denied::Role),
        },
        Action::ViewLedger => match role {
            Role::Admin | Role::SupervisionOffice => Ok(()),
            _ => Err(Denied::Role),
        },
    }
}

fn see_unit(actor: &Actor, role: Role, unit: UnitId, active: bool) -> Result<(), Denied> {
    if role.sees_whole_city() {
        return Ok(());
    }
    if role == Role::Deputy {
        return Err(Denied::Role);
    }
    if !actor.scope.units.contains(&unit) {
        return Err(Denied::OutOfScope);
    }
    if !active {
        return Err(Denied::Inactive);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
