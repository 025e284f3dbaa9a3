//! Accounts, sessions, API tokens and failed sign-ins. Tokens are stored only as SHA-256
//! hashes; the secret itself is shown once and never kept.

use crate::ledger::{self, Change};
use crate::{Audit, StoreError, Tx, sql};
use duban_core::org::{PersonId, UserId};
use duban_core::role::Role;
use serde::Serialize;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub person_id: Option<i64>,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub active: bool,
    pub must_change_password: bool,
    pub locale: Option<String>,
    pub person_name: Option<String>,
}

impl User {
    pub fn user_id(&self) -> UserId {
        UserId(self.id)
    }
    pub fn role(&self) -> Role {
        Role::parse(&self.role).expect("the role column has a CHECK constraint")
    }
}

/// What goes into the ledger about an account: never the password hash.
#[derive(Serialize)]
struct UserAudit<'a> {
    username: &'a str,
    role: &'a str,
    person_id: Option<i64>,
    active: bool,
}

impl<'a> From<&'a User> for UserAudit<'a> {
    fn from(u: &'a User) -> Self {
        UserAudit {
            username: &u.username,
            role: &u.role,
            person_id: u.person_id,
            active: u.active,
        }
    }
}

const USER_SELECT: &str = "SELECT u.id, u.person_id, u.username, u.password_hash, u.role, u.active,
        u.must_change_password, u.locale, p.name AS person_name
    FROM users u LEFT JOIN people p ON p.id = u.person_id";

pub async fn get_user(tx: &mut Tx, id: UserId) -> Result<User, StoreError> {
    crate::Sql::assembled(format!("{USER_SELECT} WHERE u.id = $1"))
        .bind(id)
        .fetch_one(tx)
        .await
}

pub async fn find_user_by_person(
    tx: &mut Tx,
    person: PersonId,
) -> Result<Option<User>, StoreError> {
    crate::Sql::assembled(format!("{USER_SELECT} WHERE u.person_id = $1"))
        .bind(person)
        .fetch_optional(tx)
        .await
}

/// The account for a sign-in name: a user name (any case) or the person's mobile number.
pub async fn find_user_for_login(tx: &mut Tx, login: &str) -> Result<Option<User>, StoreError> {
    crate::Sql::assembled(format!(
        "{USER_SELECT} WHERE u.username = $1 OR (p.mobile = $2 AND p.mobile IS NOT NULL)"
    ))
    .bind(login.to_ascii_lowercase())
    .bind(login)
    .fetch_optional(tx)
    .await
}

pub async fn count_users(tx: &mut Tx) -> Result<i64, StoreError> {
    let (n,): (i64,) = sql("SELECT COUNT(*) FROM users").fetch_one(tx).await?;
    Ok(n)
}

pub struct NewUser<'a> {
    pub person_id: Option<PersonId>,
    pub username: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub must_change_password: bool,
}

pub async fn insert_user(
    tx: &mut Tx,
    audit: &Audit,
    u: &NewUser<'_>,
) -> Result<UserId, StoreError> {
    let (id,): (i64,) = sql(
        "INSERT INTO users (person_id, username, password_hash, role, active, must_change_password, created_at, updated_at)
         VALUES ($1, $2, $3, $4, TRUE, $5, $6, $6) RETURNING id",
    )
    .bind(u.person_id)
    .bind(u.username)
    .bind(u.password_hash)
    .bind(u.role.as_str())
    .bind(u.must_change_password)
    .bind(audit.at)
    .fetch_one(tx)
    .await?;
    let user = get_user(tx, UserId(id)).await?;
    ledger::append(
        tx,
        audit,
        Change::new("user.create", "user", id).after(&UserAudit::from(&user)),
    )
    .await?;
    Ok(UserId(id))
}

/// What a new password ended besides the old one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordSet {
    pub sessions_ended: u64,
    pub tokens_revoked: u64,
}

/// Sets a new password hash. `reset` marks an admin's reset (the user must choose a new one at
/// the next sign-in). Either way whoever held the old password loses what it bought: every
/// session of the user except `keep_session` (the browser making the change) ends, and every
/// live API token of the user is revoked; the ledger entry counts both.
pub async fn set_password(
    tx: &mut Tx,
    audit: &Audit,
    id: UserId,
    password_hash: &str,
    reset: bool,
    keep_session: Option<&str>,
) -> Result<PasswordSet, StoreError> {
    sql("UPDATE users SET password_hash = $1, must_change_password = $2, updated_at = $3 WHERE id = $4")
        .bind(password_hash)
        .bind(reset)
        .bind(audit.at)
        .bind(id)
        .execute(tx)
        .await?;
    let sessions_ended = sql("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(id)
        .bind(keep_session.unwrap_or(""))
        .execute(tx)
        .await?;
    let tokens_revoked = revoke_all_tokens(tx, audit, id).await?;
    let action = if reset {
        "user.password_reset"
    } else {
        "user.password_change"
    };
    let after = serde_json::json!({
        "sessions_ended": sessions_ended,
        "tokens_revoked": tokens_revoked,
    });
    ledger::append(tx, audit, Change::new(action, "user", id.0).after(&after)).await?;
    Ok(PasswordSet {
        sessions_ended,
        tokens_revoked,
    })
}

pub async fn set_role(
    tx: &mut Tx,
    audit: &Audit,
    id: UserId,
    role: Role,
) -> Result<(), StoreError> {
    let before = get_user(tx, id).await?;
    sql("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
        .bind(role.as_str())
        .bind(audit.at)
        .bind(id)
        .execute(tx)
        .await?;
    let after = get_user(tx, id).await?;
    let change = Change::new("user.update", "user", id.0)
        .before(&UserAudit::from(&before))
        .after(&UserAudit::from(&after));
    ledger::append(tx, audit, change).await?;
    Ok(())
}

/// A preference, not a business fact: no ledger entry.
pub async fn set_locale(tx: &mut Tx, id: UserId, locale: &str) -> Result<(), StoreError> {
    sql("UPDATE users SET locale = $1 WHERE id = $2")
        .bind(locale)
        .bind(id)
        .execute(tx)
        .await?;
    Ok(())
}

pub async fn record_login(tx: &mut Tx, audit: &Audit, id: UserId) -> Result<(), StoreError> {
    sql("UPDATE users SET last_login_at = $1 WHERE id = $2")
        .bind(audit.at)
        .bind(id)
        .execute(tx)
        .await?;
    ledger::append(tx, audit, Change::new("user.login", "user", id.0)).await?;
    Ok(())
}

// ---- sessions -------------------------------------------------------------------------------

pub async fn insert_session(
    tx: &mut Tx,
    token_hash: &str,
    user: UserId,
    now: jiff::Timestamp,
    expires: jiff::Timestamp,
) -> Result<(), StoreError> {
    sql("INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $3)")
        .bind(token_hash)
        .bind(user)
        .bind(now)
        .bind(expires)
        .execute(tx)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub user_id: i64,
    pub last_seen_at: jiff_sqlx::Timestamp,
}

/// The live session for a token hash, if it has not expired.
pub async fn find_session(
    tx: &mut Tx,
    token_hash: &str,
    now: jiff::Timestamp,
) -> Result<Option<SessionRow>, StoreError> {
    sql("SELECT user_id, last_seen_at FROM sessions WHERE token_hash = $1 AND expires_at > $2")
        .bind(token_hash)
        .bind(now)
        .fetch_optional(tx)
        .await
}

/// Slides a session's expiry (callers do this at most every few minutes, not per request).
pub async fn touch_session(
    tx: &mut Tx,
    token_hash: &str,
    now: jiff::Timestamp,
    expires: jiff::Timestamp,
) -> Result<(), StoreError> {
    sql("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3")
        .bind(now)
        .bind(expires)
        .bind(token_hash)
        .execute(tx)
        .await?;
    Ok(())
}

pub async fn delete_session(tx: &mut Tx, token_hash: &str) -> Result<(), StoreError> {
    sql("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(tx)
        .await?;
    Ok(())
}

/// Removes expired sessions and old failed sign-ins; returns how many rows went.
pub async fn purge_expired(
    tx: &mut Tx,
    now: jiff::Timestamp,
    failures_before: jiff::Timestamp,
) -> Result<u64, StoreError> {
    let a = sql("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(tx)
        .await?;
    let b = sql("DELETE FROM login_failures WHERE at < $1")
        .bind(failures_before)
        .execute(tx)
        .await?;
    Ok(a + b)
}

// ---- API tokens -----------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: jiff_sqlx::Timestamp,
    pub last_used_at: Option<jiff_sqlx::Timestamp>,
    pub revoked_at: Option<jiff_sqlx::Timestamp>,
}

pub async fn insert_token(
    tx: &mut Tx,
    audit: &Audit,
    user: UserId,
    name: &str,
    token_hash: &str,
    prefix: &str,
) -> Result<i64, StoreError> {
    let (id,): (i64,) = sql(
        "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user)
    .bind(name)
    .bind(token_hash)
    .bind(prefix)
    .bind(audit.at)
    .fetch_one(tx)
    .await?;
    let after = serde_json::json!({ "user_id": user, "name": name, "prefix": prefix });
    ledger::append(
        tx,
        audit,
        Change::new("token.create", "api_token", id).after(&after),
    )
    .await?;
    Ok(id)
}

pub async fn list_tokens(tx: &mut Tx, user: UserId) -> Result<Vec<ApiToken>, StoreError> {
    sql("SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC")
        .bind(user)
        .fetch_all(tx)
        .await
}

/// Revokes one of the user's own tokens; [`StoreError::NotFound`] if it is not theirs or
/// already revoked.
pub async fn revoke_token(
    tx: &mut Tx,
    audit: &Audit,
    user: UserId,
    id: i64,
) -> Result<(), StoreError> {
    let n = sql("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
        .bind(audit.at)
        .bind(id)
        .bind(user)
        .execute(tx)
        .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    ledger::append(tx, audit, Change::new("token.revoke", "api_token", id)).await?;
    Ok(())
}

/// Revokes every live token of the user (a password change or reset does this); returns how
/// many. One ledger entry records it, the caller's.
async fn revoke_all_tokens(tx: &mut Tx, audit: &Audit, user: UserId) -> Result<u64, StoreError> {
    sql("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(audit.at)
        .bind(user)
        .execute(tx)
        .await
}

/// A live token: its id, its user, and when it was last used.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LiveToken {
    pub id: i64,
    pub user_id: i64,
    pub last_used_at: Option<jiff_sqlx::Timestamp>,
}

pub async fn find_token_user(
    tx: &mut Tx,
    token_hash: &str,
) -> Result<Option<LiveToken>, StoreError> {
    sql(
        "SELECT t.id, t.user_id, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active",
    )
    .bind(token_hash)
    .fetch_optional(tx)
    .await
}

pub async fn touch_token(tx: &mut Tx, id: i64, now: jiff::Timestamp) -> Result<(), StoreError> {
    sql("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(tx)
        .await?;
    Ok(())
}

// ---- failed sign-ins ------------------------------------------------------------------------

pub async fn record_login_failure(
    tx: &mut Tx,
    account: &str,
    address: &str,
    at: jiff::Timestamp,
) -> Result<(), StoreError> {
    sql("INSERT INTO login_failures (account, address, at) VALUES ($1, $2, $3)")
        .bind(account.to_lowercase())
        .bind(address)
        .bind(at)
        .execute(tx)
        .await?;
    Ok(())
}

/// Failures since `since` for this account name and for this address.
pub async fn count_login_failures(
    tx: &mut Tx,
    account: &str,
    address: &str,
    since: jiff::Timestamp,
) -> Result<(i64, i64), StoreError> {
    let (by_account,): (i64,) =
        sql("SELECT COUNT(*) FROM login_failures WHERE account = $1 AND at > $2")
            .bind(account.to_lowercase())
            .bind(since)
            .fetch_one(tx)
            .await?;
    let (by_address,): (i64,) =
        sql("SELECT COUNT(*) FROM login_failures WHERE address = $1 AND at > $2")
            .bind(address)
            .bind(since)
            .fetch_one(tx)
            .await?;
    Ok((by_account, by_address))
}

pub async fn clear_login_failures(tx: &mut Tx, account: &str) -> Result<(), StoreError> {
    sql("DELETE FROM login_failures WHERE account = $1")
        .bind(account.to_lowercase())
        .execute(tx)
        .await?;
    Ok(())
}
