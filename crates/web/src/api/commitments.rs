//! Commitments and livelihood projects over JSON: list, draft, read, edit a draft, amend,
//! take steps, evaluate; projects, votes and closing the voting. The same services as the
//! pages.

use super::ApiJson;
use super::{ApiPath, ApiQuery};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::service::commitments::view::{
    self, CommitmentDetail, CommitmentListQuery, ListedCommitment,
};
use crate::service::commitments::{self as svc, CommitmentInput, EvaluationInput, StepInput};
use crate::service::livelihood::{self, ProjectInput, ProjectView, VoteInput};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use duban_core::commitments::CommitmentId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct StateAfter {
    /// The commitment's state after the step.
    pub state: String,
}

/// Commitments the caller may see (deputies: published ones), with progress and light from
/// the linked tasks.
#[utoipa::path(get, path = "/api/v1/commitments", tag = "commitments", security(("bearer" = [])), params(CommitmentListQuery),
    responses((status = 200, body = Vec<ListedCommitment>), (status = 400, description = "a filter value is not valid")))]
pub async fn list_commitments(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<CommitmentListQuery>,
) -> Result<Json<Vec<ListedCommitment>>, ApiError> {
    Ok(Json(view::list(&state, &api.actor, &q).await?))
}

/// 起草 — drafts a commitment of the caller's own (leaders, unit heads).
#[utoipa::path(post, path = "/api/v1/commitments", tag = "commitments", security(("bearer" = [])), request_body = CommitmentInput,
    responses((status = 201, body = Created), (status = 403, description = "role may not commit"), (status = 422, description = "invalid fields")))]
pub async fn create_commitment(
    State(state): State<AppState>,
    api: ApiUser,
    ApiJson(input): ApiJson<CommitmentInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = svc::draft(&state, &api.actor, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.0 })))
}

/// A commitment: versions with what each amendment changed and whether each signed text is
/// intact, linked tasks with lights, fulfilment, supervisors, evaluations, timeline, and
/// the steps the caller may take.
#[utoipa::path(get, path = "/api/v1/commitments/{id}", tag = "commitments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "commitment id")),
    responses((status = 200, body = Object), (status = 403, description = "not visible to you"), (status = 404, description = "no such commitment")))]
pub async fn get_commitment(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CommitmentDetail>, ApiError> {
    Ok(Json(
        view::detail(&state, &api.actor, CommitmentId(id)).await?,
    ))
}

/// Edits the committer's draft (or returned draft, or amendment not yet submitted).
#[utoipa::path(put, path = "/api/v1/commitments/{id}", tag = "commitments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "commitment id")), request_body = CommitmentInput,
    responses((status = 204), (status = 403, description = "not your commitment"), (status = 422, description = "not a draft, or invalid fields")))]
pub async fn update_commitment(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CommitmentInput>,
) -> Result<StatusCode, ApiError> {
    svc::edit(&state, &api.actor, CommitmentId(id), &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Starts an amendment of a published commitment: a new version with a public `reason`.
#[utoipa::path(post, path = "/api/v1/commitments/{id}/amendments", tag = "commitments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "commitment id")), request_body = CommitmentInput,
    responses((status = 201), (status = 403, description = "not your commitment"), (status = 422, description = "no reason, nothing changed, or not amendable now")))]
pub async fn amend_commitment(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CommitmentInput>,
) -> Result<StatusCode, ApiError> {
    svc::amend(&state, &api.actor, CommitmentId(id), &input).await?;
    Ok(StatusCode::CREATED)
}

/// Takes a step: submit, return, approve, sign, track, self_report, conclude. An illegal
/// step is refused and writes nothing.
#[utoipa::path(post, operation_id = "take_commitment_step", path = "/api/v1/commitments/{id}/steps", tag = "commitments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "commitment id")), request_body = StepInput,
    responses((status = 200, body = StateAfter), (status = 403, description = "not yours to take"), (status = 422, description = "not allowed in this state")))]
pub async fn take_step(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<StepInput>,
) -> Result<Json<StateAfter>, ApiError> {
    let s = svc::act(&state, &api.actor, CommitmentId(id), &input).await?;
    Ok(Json(StateAfter {
        state: s.as_str().to_string(),
    }))
}

/// 评诺 — a deputy's or member's evaluation, or one from the public recorded by the office.
#[utoipa::path(post, path = "/api/v1/commitments/{id}/evaluations", tag = "commitments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "commitment id")), request_body = EvaluationInput,
    responses((status = 204), (status = 403, description = "may not evaluate"), (status = 422, description = "not under evaluation, or invalid values")))]
pub async fn evaluate_commitment(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<EvaluationInput>,
) -> Result<StatusCode, ApiError> {
    svc::evaluate(&state, &api.actor, CommitmentId(id), &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A flagged citizen's evaluation to set aside, and why (shown to the office; the portal
/// shows how many were set aside).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetAsideInput {
    #[serde(default)]
    pub evaluation_id: i64,
    /// 1–200 characters.
    #[serde(default)]
    pub reason: String,
}

/// Sets a citizen's evaluation that arrived in a burst aside (the office): it is kept and
/// ledgered, and no longer counts.
#[utoipa::path(post, path = "/api/v1/commitments/{id}/evaluations/set-aside", tag = "commitments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "commitment id")), request_body = SetAsideInput,
    responses((status = 204), (status = 403, description = "only the supervision office"), (status = 422, description = "no such flagged evaluation, or no reason")))]
pub async fn set_aside_evaluation(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<SetAsideInput>,
) -> Result<StatusCode, ApiError> {
    svc::set_aside_evaluation(
        &state,
        &api.actor,
        CommitmentId(id),
        input.evaluation_id,
        &input.reason,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    pub year: Option<i16>,
}

/// 民生实事 projects with progress, lights and vote counts.
#[utoipa::path(get, path = "/api/v1/livelihood", tag = "commitments", security(("bearer" = [])), params(YearQuery),
    responses((status = 200, body = Vec<Object>)))]
pub async fn list_projects(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Vec<crate::service::commitments::public::PublicProject>>, ApiError> {
    Ok(Json(livelihood::list(&state, &api.actor, q.year).await?))
}

/// Creates a livelihood project (supervision office).
#[utoipa::path(post, path = "/api/v1/livelihood", tag = "commitments", security(("bearer" = [])), request_body = ProjectInput,
    responses((status = 201, body = Created), (status = 403, description = "office only"), (status = 422, description = "invalid fields")))]
pub async fn create_project(
    State(state): State<AppState>,
    api: ApiUser,
    ApiJson(input): ApiJson<ProjectInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = livelihood::create(&state, &api.actor, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.0 })))
}

/// One project, with the caller's own vote.
#[utoipa::path(get, path = "/api/v1/livelihood/{id}", tag = "commitments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "project id")),
    responses((status = 200, body = Object), (status = 404, description = "no such project")))]
pub async fn get_project(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProjectView>, ApiError> {
    Ok(Json(livelihood::detail(&state, &api.actor, id).await?))
}

/// A deputy's vote (满意 / 基本满意 / 不满意 / 弃权), replacing theirs while voting is open.
#[utoipa::path(post, path = "/api/v1/livelihood/{id}/votes", tag = "commitments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "project id")), request_body = VoteInput,
    responses((status = 204), (status = 403, description = "deputies only"), (status = 422, description = "voting closed or bad choice")))]
pub async fn vote_project(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<VoteInput>,
) -> Result<StatusCode, ApiError> {
    livelihood::vote(&state, &api.actor, id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Closes the voting on a project (supervision office).
#[utoipa::path(post, path = "/api/v1/livelihood/{id}/close", tag = "commitments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "project id")),
    responses((status = 204), (status = 403, description = "office only"), (status = 422, description = "already closed")))]
pub async fn close_project(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    livelihood::close(&state, &api.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
