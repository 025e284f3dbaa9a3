//! Signing in and out, changing one's password, personal API tokens.

use super::audit;
use crate::auth::{random_token, sha256_hex};
use crate::error::{AppError, FieldError};
use crate::password;
use crate::state::AppState;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_store::{Audit, accounts};

/// A successful sign-in: the session secret for the cookie.
pub struct SignedIn {
    pub session_token: String,
}

/// Checks the password, throttling failures per account name and per client address. The
/// same message answers an unknown name and a wrong password, so names cannot be probed.
pub async fn login(
    state: &AppState,
    login: &str,
    pw: &str,
    address: &str,
) -> Result<SignedIn, AppError> {
    let login = login.trim();
    if login.is_empty() || pw.is_empty() {
        let mut errors = Vec::new();
        if login.is_empty() {
            errors.push(FieldError::new("login", "empty"));
        }
        if pw.is_empty() {
            errors.push(FieldError::new("password", "empty"));
        }
        return Err(AppError::Invalid(errors));
    }
    let now = state.now();
    let cfg = &state.config;
    let since = now - jiff::SignedDuration::from_mins(cfg.failure_window_minutes);
    let mut tx = state.store.begin_read().await?;
    let (by_account, by_address) =
        accounts::count_login_failures(&mut tx, login, address, since).await?;
    if by_account >= cfg.max_failures_per_account || by_address >= cfg.max_failures_per_address {
        return Err(AppError::TooManyAttempts);
    }
    let user = accounts::find_user_for_login(&mut tx, login).await?;
    drop(tx);
    // Hash even for an unknown name so both answers take as long.
    let stored = user
        .as_ref()
        .map(|u| u.password_hash.as_str())
        .unwrap_or(DUMMY_HASH);
    let ok = password::verify(pw, stored) && user.as_ref().is_some_and(|u| u.active);
    let mut tx = state.store.begin_write().await?;
    let Some(user) = user.filter(|_| ok) else {
        accounts::record_login_failure(&mut tx, login, address, now).await?;
        tx.commit().await?;
        return Err(AppError::Invalid(vec![FieldError::new(
            "password",
            "bad_login",
        )]));
    };
    let token = random_token();
    let expires = now + jiff::SignedDuration::from_mins(cfg.session_idle_minutes);
    accounts::insert_session(&mut tx, &sha256_hex(&token), user.user_id(), now, expires).await?;
    accounts::clear_login_failures(&mut tx, login).await?;
    let audit = Audit::new(Some(user.user_id()), now);
    accounts::record_login(&mut tx, &audit, user.user_id()).await?;
    // Housekeeping rides on sign-ins (indexed deletes): expired sessions and failures older
    // than a day go, so neither table grows without bound and no process-local job is needed.
    accounts::purge_expired(&mut tx, now, now - jiff::SignedDuration::from_hours(24)).await?;
    tx.commit().await?;
    Ok(SignedIn {
        session_token: token,
    })
}

/// A valid argon2id hash of a random password nobody knows.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0hQ7fGfTFBMj6HJqHl2lJd1oJ2qjRHWlSkV8P7XrKkE";

pub async fn logout(state: &AppState, session_token: &str) -> Result<(), AppError> {
    let mut tx = state.store.begin_write().await?;
    accounts::delete_session(&mut tx, &sha256_hex(session_token)).await?;
    tx.commit().await?;
    Ok(())
}

/// Changes one's own password after checking the current one; other sessions of the account
/// end and its API tokens are revoked (a script must be given a new token).
pub async fn change_password(
    state: &AppState,
    actor: &Actor,
    current: &str,
    new: &str,
    confirm: &str,
    session_token: Option<&str>,
) -> Result<(), AppError> {
    let user_id = actor.user.ok_or(AppError::NotSignedIn)?;
    decide(
        actor,
        Action::ManageOwnAccount,
        Object::Account { id: user_id },
    )?;
    let mut tx = state.store.begin_write().await?;
    let user = accounts::get_user(&mut tx, user_id).await?;
    let mut errors = Vec::new();
    if !password::verify(current, &user.password_hash) {
        errors.push(FieldError::new("current", "bad_password"));
    }
    match password::check_strength(new) {
        Ok(()) => {}
        Err(password::Weak::TooShort) => errors.push(FieldError::new("new", "password_short")),
        Err(password::Weak::TooLong) => errors.push(FieldError::new("new", "too_long")),
        Err(password::Weak::OneKind) => errors.push(FieldError::new("new", "password_kinds")),
    }
    if new != confirm {
        errors.push(FieldError::new("confirm", "password_mismatch"));
    }
    if new == current && errors.is_empty() {
        errors.push(FieldError::new("new", "password_same"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let keep = session_token.map(sha256_hex);
    accounts::set_password(
        &mut tx,
        &audit(state, actor),
        user_id,
        &password::hash(new),
        false,
        keep.as_deref(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A new personal API token; the secret is returned once and only its hash is stored.
pub async fn create_token(
    state: &AppState,
    actor: &Actor,
    name: &str,
) -> Result<(i64, String), AppError> {
    let user_id = actor.user.ok_or(AppError::NotSignedIn)?;
    decide(
        actor,
        Action::ManageOwnAccount,
        Object::Account { id: user_id },
    )?;
    let name = duban_core::org::parse_text(name, 64)
        .map_err(|e| AppError::Invalid(vec![FieldError::from_org("name", &e)]))?;
    let secret = format!("dbn_{}", random_token());
    let prefix: String = secret.chars().take(10).collect();
    let mut tx = state.store.begin_write().await?;
    let id = accounts::insert_token(
        &mut tx,
        &audit(state, actor),
        user_id,
        &name,
        &sha256_hex(&secret),
        &prefix,
    )
    .await?;
    tx.commit().await?;
    Ok((id, secret))
}

pub async fn revoke_token(state: &AppState, actor: &Actor, id: i64) -> Result<(), AppError> {
    let user_id = actor.user.ok_or(AppError::NotSignedIn)?;
    decide(
        actor,
        Action::ManageOwnAccount,
        Object::Account { id: user_id },
    )?;
    let mut tx = state.store.begin_write().await?;
    accounts::revoke_token(&mut tx, &audit(state, actor), user_id, id).await?;
    tx.commit().await?;
    Ok(())
}
