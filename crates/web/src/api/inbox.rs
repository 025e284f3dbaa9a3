//! The caller's own notifications and delivery preferences. Everyone sees only their own
//! inbox; the service asks the policy about the caller's own account.

use super::ApiJson;
use super::ApiQuery;
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::notify::inbox::{self, PAGE, PrefsChange};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use duban_store::notifications::{Notification, Prefs};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct NotificationResponse {
    pub id: i64,
    /// What it is about, e.g. `case.assign`, `case.remind`.
    pub kind: String,
    pub subject: String,
    pub body: String,
    /// A path inside duban, e.g. `/cases/12`; may be empty.
    pub link: String,
    pub case_id: Option<i64>,
    /// RFC 3339 instants.
    pub created_at: String,
    pub read_at: Option<String>,
}

impl From<Notification> for NotificationResponse {
    fn from(n: Notification) -> Self {
        NotificationResponse {
            id: n.id,
            kind: n.kind,
            subject: n.subject,
            body: n.body,
            link: n.link,
            case_id: n.case_id,
            created_at: n.created_at.to_jiff().to_string(),
            read_at: n.read_at.map(|t| t.to_jiff().to_string()),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct InboxResponse {
    /// Unread notifications in the whole inbox.
    pub unread: i64,
    /// Newest first.
    pub items: Vec<NotificationResponse>,
    /// Pass as `before` for the next (older) page; absent on the last page.
    pub next_before: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// Items per page, 1–200 (default 30).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// Only notifications older than this id (paging).
    pub before: Option<i64>,
}

/// My notifications, newest first, with the unread count.
#[utoipa::path(get, path = "/api/v1/inbox", tag = "notifications", security(("bearer" = [])), params(InboxQuery),
    responses((status = 200, body = InboxResponse), (status = 401, description = "not signed in")))]
pub async fn get_inbox(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<InboxQuery>,
) -> Result<Json<InboxResponse>, ApiError> {
    let limit = super::check_range("limit", "per_page_range", q.limit, (1, super::MAX_PER_PAGE))?;
    let page = inbox::page(&state, &api.actor, limit.unwrap_or(PAGE), q.before).await?;
    Ok(Json(InboxResponse {
        unread: page.unread,
        items: page.items.into_iter().map(Into::into).collect(),
        next_before: page.next_before,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct MarkReadRequest {
    /// These notifications (others' ids are ignored); empty or absent: all of mine.
    #[serde(default)]
    pub ids: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct MarkReadResponse {
    /// How many were unread and are now read.
    pub marked: u64,
    pub unread: i64,
}

/// Mark some or all of my notifications read.
#[utoipa::path(post, path = "/api/v1/inbox/read", tag = "notifications", security(("bearer" = [])), request_body = MarkReadRequest,
    responses((status = 200, body = MarkReadResponse), (status = 400, description = "malformed JSON"), (status = 401, description = "not signed in")))]
pub async fn mark_read(
    State(state): State<AppState>,
    api: ApiUser,
    ApiJson(req): ApiJson<MarkReadRequest>,
) -> Result<Json<MarkReadResponse>, ApiError> {
    let (marked, unread) = inbox::mark_read(&state, &api.actor, Some(&req.ids)).await?;
    Ok(Json(MarkReadResponse { marked, unread }))
}

#[derive(Serialize, ToSchema)]
pub struct NotificationPrefsResponse {
    /// Send notifications by e-mail (when the server has e-mail configured).
    pub email: bool,
    /// One e-mail a day listing unread notifications, instead of one per notification.
    pub digest: bool,
    /// Where e-mail goes.
    pub address: Option<String>,
}

impl From<Prefs> for NotificationPrefsResponse {
    fn from(p: Prefs) -> Self {
        NotificationPrefsResponse {
            email: p.email,
            digest: p.digest,
            address: p.address,
        }
    }
}

/// How I want to hear about notifications.
#[utoipa::path(get, path = "/api/v1/me/notification-prefs", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = NotificationPrefsResponse), (status = 401, description = "not signed in")))]
pub async fn get_prefs(
    State(state): State<AppState>,
    api: ApiUser,
) -> Result<Json<NotificationPrefsResponse>, ApiError> {
    Ok(Json(inbox::prefs(&state, &api.actor).await?.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct NotificationPrefsRequest {
    /// Absent: unchanged.
    pub email: Option<bool>,
    /// Absent: unchanged.
    pub digest: Option<bool>,
    /// Absent: unchanged; empty: removed.
    pub address: Option<String>,
}

/// Change how I want to hear about notifications.
#[utoipa::path(put, path = "/api/v1/me/notification-prefs", tag = "notifications", security(("bearer" = [])), request_body = NotificationPrefsRequest,
    responses((status = 200, body = NotificationPrefsResponse), (status = 400, description = "malformed JSON"),
        (status = 401, description = "not signed in"), (status = 422, description = "not an e-mail address, or the account is no person's")))]
pub async fn put_prefs(
    State(state): State<AppState>,
    api: ApiUser,
    ApiJson(req): ApiJson<NotificationPrefsRequest>,
) -> Result<Json<NotificationPrefsResponse>, ApiError> {
    let change = PrefsChange {
        email: req.email,
        digest: req.digest,
        address: req.address,
    };
    Ok(Json(
        inbox::save_prefs(&state, &api.actor, change).await?.into(),
    ))
}
