//! Assessment (督考) over JSON: the group tables, a unit's scores with every point, the
//! year's scheme and new versions of it, manual events (four eyes), appeals, and the office's
//! refresh. The same services as the pages.

use super::{ApiBody, ApiJson, ApiPath, ApiQuery};
use crate::auth::ApiUser;
use crate::error::{ApiError, AppError};
use crate::service::assessment::{
    self as svc, AdoptInput, AppealInput, DecisionInput, ProposeInput, Rankings, UnitScores,
    period_of,
};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use duban_core::org::UnitId;
use duban_core::policy::{Action, Object, decide};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// `2026-10`, `2026-Q3`, `2026-H2` or `2026` (default: this month).
    pub period: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// Default: this year.
    pub year: Option<i16>,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Appended {
    /// Events appended.
    pub events: usize,
}

/// The group tables of a period: module scores, total, rank, change and stars per unit.
#[utoipa::path(get, path = "/api/v1/assessment/rankings", tag = "assessment", security(("bearer" = [])), params(PeriodQuery),
    responses((status = 200, body = Rankings), (status = 204, description = "no scheme adopted for the year"), (status = 400, description = "bad period"), (status = 403, description = "the tables are not open to you")))]
pub async fn get_rankings(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let period = period_of(q.period.as_deref(), state.today())?;
    Ok(match svc::rankings(&state, &api.actor, period).await? {
        Some(r) => Json(r).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

/// A unit's score for a period with every event behind it, grouped by kind.
#[utoipa::path(get, path = "/api/v1/assessment/units/{id}", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path, description = "unit id"), PeriodQuery),
    responses((status = 200, body = UnitScores), (status = 400, description = "bad period"), (status = 403, description = "not your unit"), (status = 404, description = "no such unit")))]
pub async fn get_unit_scores(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Json<UnitScores>, ApiError> {
    let period = period_of(q.period.as_deref(), state.today())?;
    Ok(Json(
        svc::unit_scores(&state, &api.actor, UnitId(id), period).await?,
    ))
}

/// The year's scheme versions (each in full) and the events scored so far by kind.
#[utoipa::path(get, path = "/api/v1/assessment/scheme", tag = "assessment", security(("bearer" = [])), params(YearQuery),
    responses((status = 200, body = Object), (status = 403, description = "deputies do not see assessment")))]
pub async fn get_scheme(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<svc::SchemeView>, ApiError> {
    let year = q.year.unwrap_or(state.today().year());
    Ok(Json(svc::scheme(&state, &api.actor, year).await?))
}

/// Adopts a new version of the year's scheme. Weights must sum to 100, star thresholds
/// descend, no activity metric (log-ins, time online, clock-ins, photos) may be scored; from
/// the second version on a reason is required and it scores from today on.
#[utoipa::path(post, path = "/api/v1/assessment/scheme", tag = "assessment", security(("bearer" = [])), params(YearQuery), request_body = AdoptInput,
    responses((status = 201, body = Created, description = "the version number as id"), (status = 403, description = "office only"), (status = 422, description = "the scheme breaks a rule")))]
pub async fn adopt_scheme(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<YearQuery>,
    body: ApiBody,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    decide(&api.actor, Action::ManageScheme, Object::City).map_err(AppError::from)?;
    let input: AdoptInput = body.parse()?;
    let year = q.year.unwrap_or(state.today().year());
    let v = svc::adopt(&state, &api.actor, year, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: v })))
}

/// Appends the year's new score events now (the daily job does it by itself).
#[utoipa::path(post, path = "/api/v1/assessment/refresh", tag = "assessment", security(("bearer" = [])), params(YearQuery),
    responses((status = 200, body = Appended), (status = 403, description = "office only")))]
pub async fn refresh(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Appended>, ApiError> {
    let year = q.year.unwrap_or(state.today().year());
    let events = svc::refresh(&state, &api.actor, year).await?;
    Ok(Json(Appended { events }))
}

/// Manual events proposed in a year, open ones first.
#[utoipa::path(get, path = "/api/v1/assessment/proposals", tag = "assessment", security(("bearer" = [])), params(YearQuery),
    responses((status = 200, body = Vec<Object>), (status = 403, description = "office and auditor only")))]
pub async fn list_score_proposals(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Vec<duban_store::assessment::Proposal>>, ApiError> {
    let year = q.year.unwrap_or(state.today().year());
    Ok(Json(svc::proposals(&state, &api.actor, year).await?))
}

/// Proposes a manual event (领导批示肯定, 通报批评, 弄虚作假) with a reason; another officer
/// decides.
#[utoipa::path(post, path = "/api/v1/assessment/proposals", tag = "assessment", security(("bearer" = [])), request_body = ProposeInput,
    responses((status = 201, body = Created), (status = 403, description = "office only"), (status = 422, description = "invalid fields")))]
pub async fn create_score_proposal(
    State(state): State<AppState>,
    api: ApiUser,
    ApiJson(input): ApiJson<ProposeInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = svc::propose(&state, &api.actor, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Approves (appending the event) or rejects a manual event; never by its proposer.
#[utoipa::path(post, path = "/api/v1/assessment/proposals/{id}/decision", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path, description = "proposal id")), request_body = DecisionInput,
    responses((status = 204), (status = 403, description = "office only"), (status = 404, description = "no such proposal"), (status = 422, description = "decided already, or the proposer deciding")))]
pub async fn decide_proposal(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<StatusCode, ApiError> {
    svc::decide_proposal(&state, &api.actor, id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Appeals the caller may see: all for the office, a unit's own for the unit.
#[utoipa::path(get, path = "/api/v1/assessment/appeals", tag = "assessment", security(("bearer" = [])),
    responses((status = 200, body = Vec<Object>), (status = 403, description = "not visible to you")))]
pub async fn list_appeals(
    State(state): State<AppState>,
    api: ApiUser,
) -> Result<Json<Vec<duban_store::assessment::Appeal>>, ApiError> {
    Ok(Json(svc::appeals(&state, &api.actor).await?))
}

/// 申诉 — the unit's head objects to one of its events within the year's window.
#[utoipa::path(post, path = "/api/v1/assessment/events/{id}/appeal", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path, description = "score event id")), request_body = AppealInput,
    responses((status = 201, body = Created), (status = 403, description = "not the head of the event's unit"), (status = 404, description = "no such event"), (status = 422, description = "no reason, after the window, or appealed already")))]
pub async fn appeal_event(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AppealInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = svc::appeal(&state, &api.actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Grants (appending a reversing event) or refuses an appeal, with the office's reasons.
#[utoipa::path(post, path = "/api/v1/assessment/appeals/{id}/decision", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path, description = "appeal id")), request_body = DecisionInput,
    responses((status = 204), (status = 403, description = "office only"), (status = 404, description = "no such appeal"), (status = 422, description = "decided already, or no reason")))]
pub async fn decide_appeal(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<StatusCode, ApiError> {
    svc::decide_appeal(&state, &api.actor, id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
