//! The intake queue of public reports over JSON (supervision office): the same service as the
//! `/intake` pages. Contact data is included here — this is the office's view.

use super::ApiJson;
use super::{ApiPath, ApiQuery};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::service::public::{self as svc, AcceptInput};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use duban_core::public::Moderation;
use duban_store::public::PublicRequest;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A public report as the office sees it.
#[derive(Serialize, ToSchema)]
pub struct IntakeItem {
    pub id: i64,
    /// The citizen's tracking number (Open311 `service_request_id`).
    pub tracking: String,
    /// portal | open311
    pub channel: String,
    /// The category code (Open311 `service_code`).
    pub category: String,
    pub description: String,
    pub address: String,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub media_url: String,
    /// `/intake/{id}/photo` when a photo came with it.
    pub photo_url: Option<String>,
    /// new | accepted | rejected
    pub moderation: String,
    /// received | in_progress | closed | declined — what the public sees.
    pub public_status: String,
    pub reason: String,
    pub public_reply: String,
    pub case_id: Option<i64>,
    pub created_at: String,
}

impl From<&PublicRequest> for IntakeItem {
    fn from(r: &PublicRequest) -> Self {
        IntakeItem {
            id: r.id,
            tracking: r.tracking.clone(),
            channel: r.channel.as_str().into(),
            category: r.category.clone(),
            description: r.description.clone(),
            address: r.address.clone(),
            lat: r.position.map(|p| p.0),
            long: r.position.map(|p| p.1),
            contact_name: r.contact_name.clone(),
            contact_email: r.contact_email.clone(),
            contact_phone: r.contact_phone.clone(),
            media_url: r.media_url.clone(),
            photo_url: r.photo_id.map(|_| format!("/intake/{}/photo", r.id)),
            moderation: r.moderation.as_str().into(),
            public_status: r.status().as_str().into(),
            reason: r.reason.clone(),
            public_reply: r.public_reply.clone(),
            case_id: r.case_id.map(|c| c.0),
            created_at: r.created_at.to_string(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IntakeListQuery {
    /// new (default) | accepted | rejected
    #[serde(default)]
    state: String,
}

/// The intake queue: reports in one moderation state, newest first (at most 200).
#[utoipa::path(get, path = "/api/v1/intake", tag = "intake", security(("bearer" = [])), params(IntakeListQuery),
    responses((status = 200, body = Vec<IntakeItem>), (status = 403, description = "supervision office only")))]
pub async fn list_intake(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<IntakeListQuery>,
) -> Result<Json<Vec<IntakeItem>>, ApiError> {
    let moderation = Moderation::parse(&q.state).unwrap_or(Moderation::New);
    let rows = svc::queue(&state, &api.actor, moderation).await?;
    Ok(Json(rows.iter().map(IntakeItem::from).collect()))
}

/// One public report with its contact data.
#[utoipa::path(get, path = "/api/v1/intake/{id}", tag = "intake", security(("bearer" = [])),
    params(("id" = i64, Path, description = "the report")),
    responses((status = 200, body = IntakeItem), (status = 403, description = "supervision office only"), (status = 404, description = "no such report")))]
pub async fn get_intake(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<IntakeItem>, ApiError> {
    Ok(Json(IntakeItem::from(
        &svc::get(&state, &api.actor, id).await?,
    )))
}

#[derive(Serialize, ToSchema)]
pub struct Accepted {
    /// The case registered for it (source `public`, waiting for 交办).
    pub case_id: i64,
}

/// Accepts a new report: registers its case in the closed loop and links it.
#[utoipa::path(post, path = "/api/v1/intake/{id}/accept", tag = "intake", security(("bearer" = [])),
    params(("id" = i64, Path, description = "the report")), request_body = AcceptInput,
    responses((status = 201, body = Accepted), (status = 403, description = "supervision office only"), (status = 404, description = "no such report"), (status = 422, description = "already decided, or an invalid title or urgency")))]
pub async fn accept_intake(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AcceptInput>,
) -> Result<(StatusCode, Json<Accepted>), ApiError> {
    let case = svc::accept(&state, &api.actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(Accepted { case_id: case.0 })))
}

#[derive(Deserialize, ToSchema)]
pub struct RejectInput {
    /// Why it is not taken up; shown to the citizen.
    #[serde(default)]
    pub reason: String,
}

/// Rejects a new report (不予受理) with a reason the citizen reads.
#[utoipa::path(post, path = "/api/v1/intake/{id}/reject", tag = "intake", security(("bearer" = [])),
    params(("id" = i64, Path, description = "the report")), request_body = RejectInput,
    responses((status = 204), (status = 403, description = "supervision office only"), (status = 404, description = "no such report"), (status = 422, description = "no reason, or already decided")))]
pub async fn reject_intake(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RejectInput>,
) -> Result<StatusCode, ApiError> {
    svc::reject(&state, &api.actor, id, &input.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct ReplyInput {
    /// The answer published on the report's public page (empty removes it).
    #[serde(default)]
    pub public_reply: String,
}

/// Publishes the office's reply on an accepted report.
#[utoipa::path(put, path = "/api/v1/intake/{id}/reply", tag = "intake", security(("bearer" = [])),
    params(("id" = i64, Path, description = "the report")), request_body = ReplyInput,
    responses((status = 204), (status = 403, description = "supervision office only"), (status = 404, description = "no such report"), (status = 422, description = "not accepted, or too long")))]
pub async fn put_reply(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ReplyInput>,
) -> Result<StatusCode, ApiError> {
    svc::reply(&state, &api.actor, id, &input.public_reply).await?;
    Ok(StatusCode::NO_CONTENT)
}
