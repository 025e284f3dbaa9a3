//! 消息 — one's notifications, newest first, with "mark all read" and the delivery
//! preferences (e-mail on or off, a daily digest instead, the address e-mail goes to).

use super::render;
use crate::auth::{CsrfForm, Ctx};
use crate::error::{AppError, FieldError};
use crate::notify::inbox::{self, PAGE, PrefsChange};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use duban_store::notifications::Prefs;
use serde::Deserialize;

/// One notification as the page shows it.
struct Row {
    id: i64,
    subject: String,
    body: String,
    link: String,
    at: String,
    unread: bool,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    ctx: Ctx,
    rows: Vec<Row>,
    unread: i64,
    next_before: Option<i64>,
    prefs: Prefs,
    /// The address as typed (kept when the form comes back with an error).
    address: String,
    has_person: bool,
    email_configured: bool,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
}

impl InboxPage {
    fn error(&self, field: &str) -> Option<String> {
        self.ctx.error_for(&self.errors, field)
    }
}

#[derive(Deserialize, Default)]
pub struct InboxQuery {
    #[serde(default)]
    before: Option<i64>,
    #[serde(default)]
    ok: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<InboxQuery>,
) -> Result<Response, AppError> {
    let notice = match q.ok.as_deref() {
        Some("read") => Some("inbox.all_read"),
        other => super::Notice {
            ok: other.map(str::to_string),
            err: None,
        }
        .key(),
    };
    inbox_page(&state, ctx, q.before, vec![], None, notice).await
}

async fn inbox_page(
    state: &AppState,
    ctx: Ctx,
    before: Option<i64>,
    errors: Vec<FieldError>,
    typed_address: Option<String>,
    notice: Option<&'static str>,
) -> Result<Response, AppError> {
    let page = inbox::page(state, &ctx.actor, PAGE, before).await?;
    let prefs = inbox::prefs(state, &ctx.actor).await?;
    let zone = state.config.timezone.clone();
    let rows = page
        .items
        .into_iter()
        .map(|n| Row {
            id: n.id,
            at: n
                .created_at
                .to_jiff()
                .to_zoned(zone.clone())
                .strftime("%Y-%m-%d %H:%M")
                .to_string(),
            unread: n.read_at.is_none(),
            subject: n.subject,
            body: n.body,
            link: n.link,
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let address = typed_address.unwrap_or_else(|| prefs.address.clone().unwrap_or_default());
    let view = InboxPage {
        has_person: ctx.actor.person.is_some(),
        email_configured: state.channels().email,
        ctx,
        rows,
        unread: page.unread,
        next_before: page.next_before,
        prefs,
        address,
        errors,
        notice,
    };
    Ok((status, render(view)?).into_response())
}

#[derive(Deserialize)]
pub struct ReadForm {
    /// One notification; none: all of them.
    #[serde(default)]
    id: Option<i64>,
    /// Where to go next: the notification's link (a path inside duban).
    #[serde(default)]
    next: Option<String>,
}

pub async fn read(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<ReadForm>,
) -> Result<Response, AppError> {
    let ids: Vec<i64> = f.id.into_iter().collect();
    inbox::mark_read(&state, &ctx.actor, Some(&ids)).await?;
    let to = match (f.id, f.next.as_deref()) {
        (Some(_), Some(next)) if is_local_path(next) => next.to_string(),
        (Some(_), _) => "/inbox".to_string(),
        (None, _) => "/inbox?ok=read".to_string(),
    };
    Ok(Redirect::to(&to).into_response())
}

/// Only paths on this site (`/cases/12`), never `//elsewhere` or `https://…`.
fn is_local_path(p: &str) -> bool {
    p.starts_with('/') && !p.starts_with("//") && !p.contains('\\')
}

#[derive(Deserialize)]
pub struct PrefsForm {
    /// Checkboxes: present when ticked.
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    digest: Option<String>,
    #[serde(default)]
    address: String,
}

pub async fn save_prefs(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<PrefsForm>,
) -> Result<Response, AppError> {
    let change = PrefsChange {
        email: Some(f.email.is_some()),
        digest: Some(f.digest.is_some()),
        address: Some(f.address.clone()),
    };
    match inbox::save_prefs(&state, &ctx.actor, change).await {
        Ok(_) => Ok(Redirect::to("/inbox?ok=saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            inbox_page(&state, ctx, None, errors, Some(f.address), None).await
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_paths_on_this_site_are_followed_after_reading() {
        assert!(super::is_local_path("/cases/12"));
        assert!(!super::is_local_path("//evil.example/x"));
        assert!(!super::is_local_path("https://evil.example/"));
        assert!(!super::is_local_path("/\\evil.example"));
    }
}
