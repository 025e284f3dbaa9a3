//! Creating, editing and deactivating people, their accounts, and password resets (admin).

use super::{Problems, audit};
use crate::error::{AppError, FieldError};
use crate::password;
use crate::state::AppState;
use duban_core::org::{self, PersonId, PostId, SectionId, UnitId};
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::role::Role;
use duban_store::{Tx, accounts, org as org_store, people};
use serde::Deserialize;

/// A person as typed into a form or sent to the API, before validation. A user name makes
/// (or keeps) an account with the given role.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub mobile: String,
    #[serde(default)]
    pub unit_id: Option<i64>,
    #[serde(default)]
    pub section_id: Option<i64>,
    #[serde(default)]
    pub post_id: Option<i64>,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub role: String,
}

struct Valid {
    fields: people::PersonFields,
    account: Option<(String, Role)>,
}

async fn validate(tx: &mut Tx, input: &PersonInput) -> Result<Valid, AppError> {
    let mut p = Problems::default();
    let name = p.take("name", org::parse_name(&input.name));
    let title = if input.title.trim().is_empty() {
        Some(String::new())
    } else {
        p.take("title", org::parse_text(&input.title, 32))
    };
    let mobile = if input.mobile.trim().is_empty() {
        Some(None)
    } else {
        p.take("mobile", org::parse_mobile(&input.mobile)).map(Some)
    };
    let account = if input.username.trim().is_empty() {
        None
    } else {
        let username = p.take("username", org::parse_username(&input.username));
        let role = Role::parse(input.role.trim());
        if role.is_none() {
            p.add("role", "bad_choice");
        }
        username.zip(role)
    };
    if let Some(unit) = input.unit_id {
        match org_store::get_unit(tx, UnitId(unit)).await {
            Ok(_) => {}
            Err(duban_store::StoreError::NotFound) => p.add("unit_id", "not_found_ref"),
            Err(e) => return Err(e.into()),
        }
        if let Some(s) = input.section_id {
            match org_store::get_section(tx, SectionId(s)).await {
                Ok(sec) if sec.unit_id == unit => {}
                Ok(_) | Err(duban_store::StoreError::NotFound) => {
                    p.add("section_id", "not_in_unit")
                }
                Err(e) => return Err(e.into()),
            }
        }
        if let Some(post) = input.post_id {
            match org_store::get_post(tx, PostId(post)).await {
                Ok(po) if po.unit_id == unit => {}
                Ok(_) | Err(duban_store::StoreError::NotFound) => p.add("post_id", "not_in_unit"),
                Err(e) => return Err(e.into()),
            }
        }
    } else if input.section_id.is_some() || input.post_id.is_some() {
        p.add("unit_id", "empty");
    }
    p.finish()?;
    Ok(Valid {
        fields: people::PersonFields {
            name: name.expect("checked"),
            title: title.expect("checked"),
            mobile: mobile.expect("checked"),
            unit_id: input.unit_id.map(UnitId),
            section_id: input.section_id.map(SectionId),
            post_id: input.post_id.map(PostId),
        },
        account,
    })
}

/// Creates a person (and an account when a user name is given). Returns the id and, for a new
/// account, the one-time password to hand over.
pub async fn create_person(
    state: &AppState,
    actor: &Actor,
    input: &PersonInput,
) -> Result<(PersonId, Option<String>), AppError> {
    decide(actor, Action::ManageOrg, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    let v = validate(&mut tx, input).await?;
    let audit = audit(state, actor);
    let id = people::insert_person(&mut tx, &audit, &v.fields, state.today()).await?;
    let mut temp = None;
    if let Some((username, role)) = v.account {
        temp = Some(add_account(&mut tx, &audit, id, &username, role).await?);
    }
    tx.commit().await?;
    Ok((id, temp))
}

/// Updates a person; gives them an account if a user name is newly set, changes the role of
/// an existing one. Returns a one-time password when an account was created.
pub async fn update_person(
    state: &AppState,
    actor: &Actor,
    id: PersonId,
    input: &PersonInput,
) -> Result<Option<String>, AppError> {
    decide(actor, Action::ManageOrg, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    let v = validate(&mut tx, input).await?;
    let audit = audit(state, actor);
    people::update_person(&mut tx, &audit, id, &v.fields, state.today()).await?;
    let mut temp = None;
    if let Some((username, role)) = v.account {
        match accounts::find_user_by_person(&mut tx, id).await? {
            Some(user) if user.username == username => {
                if user.role() != role {
                    accounts::set_role(&mut tx, &audit, user.user_id(), role).await?;
                }
            }
            Some(_) => {
                return Err(AppError::Invalid(vec![FieldError::new(
                    "username",
                    "cannot_rename",
                )]));
            }
            None => {
                temp = Some(add_account(&mut tx, &audit, id, &username, role).await?);
            }
        }
    }
    tx.commit().await?;
    Ok(temp)
}

pub async fn set_person_active(
    state: &AppState,
    actor: &Actor,
    id: PersonId,
    active: bool,
) -> Result<(), AppError> {
    decide(actor, Action::ManageOrg, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    people::set_person_active(&mut tx, &audit(state, actor), id, active).await?;
    tx.commit().await?;
    Ok(())
}

/// Gives the person's account a new one-time password, ends their sessions, revokes their API
/// tokens, and returns it.
pub async fn reset_password(
    state: &AppState,
    actor: &Actor,
    id: PersonId,
) -> Result<String, AppError> {
    let mut tx = state.store.begin_write().await?;
    let user = accounts::find_user_by_person(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    decide(
        actor,
        Action::ResetPassword,
        Object::Account { id: user.user_id() },
    )?;
    let pw = temporary_password();
    accounts::set_password(
        &mut tx,
        &audit(state, actor),
        user.user_id(),
        &password::hash(&pw),
        true,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(pw)
}

/// Gives a person an account with a one-time password (to change at the first sign-in) and
/// returns that password.
async fn add_account(
    tx: &mut Tx,
    audit: &duban_store::Audit,
    person: PersonId,
    username: &str,
    role: Role,
) -> Result<String, AppError> {
    let pw = temporary_password();
    let hash = password::hash(&pw);
    let new = accounts::NewUser {
        person_id: Some(person),
        username,
        password_hash: &hash,
        role,
        must_change_password: true,
    };
    accounts::insert_user(tx, audit, &new).await?;
    Ok(pw)
}

/// 12 characters from an alphabet without look-alikes (no 0/O, 1/l/I), letters and digits.
pub fn temporary_password() -> String {
    use rand::Rng;
    const LETTERS: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGITS: &[u8] = b"23456789";
    let mut rng = rand::rng();
    let mut s: String = (0..9)
        .map(|_| LETTERS[rng.random_range(0..LETTERS.len())] as char)
        .collect();
    for _ in 0..3 {
        s.push(DIGITS[rng.random_range(0..DIGITS.len())] as char);
    }
    s
}

/// Adds a person (named by user name or mobile) to a task force or command HQ from today.
pub async fn add_member(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    who: &str,
) -> Result<PersonId, AppError> {
    decide(actor, Action::ManageOrg, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    let u = org_store::get_unit(&mut tx, unit).await?;
    if !u.kind().is_cross_unit() {
        return Err(AppError::Invalid(vec![FieldError::new(
            "unit_id",
            "not_cross_unit",
        )]));
    }
    let Some(person) = people::find_person_by_login(&mut tx, who).await? else {
        return Err(AppError::Invalid(vec![FieldError::new(
            "login",
            "no_such_person",
        )]));
    };
    let today = state.today();
    if people::member_units(&mut tx, person, today)
        .await?
        .iter()
        .any(|(m, _)| *m == unit)
    {
        return Err(AppError::Invalid(vec![FieldError::new(
            "login",
            "already_member",
        )]));
    }
    people::join_unit(&mut tx, &audit(state, actor), person, unit, today).await?;
    tx.commit().await?;
    Ok(person)
}

/// Ends a person's membership of a task force or command HQ yesterday (they are out today).
pub async fn remove_member(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    person: PersonId,
) -> Result<(), AppError> {
    decide(actor, Action::ManageOrg, Object::City)?;
    let today = state.today();
    let last_day = today.yesterday().unwrap_or(today);
    let mut tx = state.store.begin_write().await?;
    people::leave_unit(&mut tx, &audit(state, actor), person, unit, last_day).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn temporary_passwords_meet_the_strength_rule() {
        for _ in 0..50 {
            let pw = super::temporary_password();
            assert_eq!(pw.len(), 12);
            assert_eq!(crate::password::check_strength(&pw), Ok(()));
        }
    }
}
