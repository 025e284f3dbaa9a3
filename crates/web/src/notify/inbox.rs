//! The inbox use cases shared by the page and the API: read one's own notifications, mark
//! them read, and set how one wants to hear (e-mail on or off, a daily digest, the address).
//! A person sees only their own inbox: each call asks the policy about the caller's own
//! account. An account without a person (a bare admin login) has an empty inbox.

use crate::error::{AppError, FieldError};
use crate::state::AppState;
use duban_core::org::PersonId;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_store::notifications::{self, Notification, NotificationId, Prefs, Which};

/// Notifications per page.
pub const PAGE: i64 = 30;

/// A page of one's inbox.
pub struct InboxPage {
    pub items: Vec<Notification>,
    pub unread: i64,
    /// The id to page on from (`before`), when there may be more.
    pub next_before: Option<i64>,
}

/// The caller's own person, after asking the policy about their own account.
fn own_person(actor: &Actor, action: Action) -> Result<Option<PersonId>, AppError> {
    let user = actor.user.ok_or(AppError::NotSignedIn)?;
    decide(actor, action, Object::Account { id: user })?;
    Ok(actor.person)
}

pub async fn page(
    state: &AppState,
    actor: &Actor,
    limit: i64,
    before: Option<i64>,
) -> Result<InboxPage, AppError> {
    let Some(person) = own_person(actor, Action::ViewHome)? else {
        return Ok(InboxPage {
            items: vec![],
            unread: 0,
            next_before: None,
        });
    };
    let limit = limit.clamp(1, 200);
    let mut tx = state.store.begin_read().await?;
    let items = notifications::inbox(&mut tx, person, limit, before.map(NotificationId)).await?;
    let unread = notifications::unread_count(&mut tx, person).await?;
    let next_before = (items.len() as i64 == limit)
        .then(|| items.last().map(|n| n.id))
        .flatten();
    Ok(InboxPage {
        items,
        unread,
        next_before,
    })
}

/// Marks some or all of one's notifications read; returns how many changed and how many
/// stay unread.
pub async fn mark_read(
    state: &AppState,
    actor: &Actor,
    ids: Option<&[i64]>,
) -> Result<(u64, i64), AppError> {
    let Some(person) = own_person(actor, Action::ViewHome)? else {
        return Ok((0, 0));
    };
    let ids: Vec<NotificationId> = ids
        .unwrap_or_default()
        .iter()
        .copied()
        .map(NotificationId)
        .collect();
    let which = if ids.is_empty() {
        Which::All
    } else {
        Which::Ids(&ids)
    };
    let mut tx = state.store.begin_write().await?;
    let n = notifications::mark_read(&mut tx, person, which, state.now()).await?;
    let unread = notifications::unread_count(&mut tx, person).await?;
    tx.commit().await?;
    Ok((n, unread))
}

/// One's preferences (the defaults for an account without a person).
pub async fn prefs(state: &AppState, actor: &Actor) -> Result<Prefs, AppError> {
    let Some(person) = own_person(actor, Action::ManageOwnAccount)? else {
        return Ok(Prefs {
            email: true,
            digest: false,
            address: None,
        });
    };
    let mut tx = state.store.begin_read().await?;
    Ok(notifications::prefs(&mut tx, person).await?)
}

/// Changes to one's preferences; `None` keeps the current value.
#[derive(Debug, Default)]
pub struct PrefsChange {
    pub email: Option<bool>,
    pub digest: Option<bool>,
    /// An e-mail address, or empty to remove it.
    pub address: Option<String>,
}

pub async fn save_prefs(
    state: &AppState,
    actor: &Actor,
    change: PrefsChange,
) -> Result<Prefs, AppError> {
    let Some(person) = own_person(actor, Action::ManageOwnAccount)? else {
        return Err(AppError::Invalid(vec![FieldError::new(
            "form",
            "no_person",
        )]));
    };
    let mut tx = state.store.begin_write().await?;
    let current = notifications::prefs(&mut tx, person).await?;
    let address = match change.address {
        Some(a) => Some(a.trim().to_string()).filter(|a| !a.is_empty()),
        None => current.address.clone(),
    };
    if let Some(a) = &address
        && (a.chars().count() > 254 || !super::smtp::is_address(a))
    {
        return Err(AppError::Invalid(vec![FieldError::new(
            "email",
            "bad_email",
        )]));
    }
    let new = Prefs {
        email: change.email.unwrap_or(current.email),
        digest: change.digest.unwrap_or(current.digest),
        address,
    };
    if new != current {
        let audit = crate::service::audit(state, actor);
        notifications::set_prefs(&mut tx, &audit, person, &new).await?;
        tx.commit().await?;
    }
    Ok(new)
}
