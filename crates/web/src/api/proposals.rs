//! Suggestions and proposals over JSON: list, register or submit, read, take steps, the rates
//! and the items behind each rate. The same services as the pages.

use super::{ApiJson, ApiPath, ApiQuery, Paging};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::service::proposals::files;
use crate::service::proposals::rates::{self, Dashboard, DrillQuery, RatesQuery};
use crate::service::proposals::steps::{self, StepInput};
use crate::service::proposals::view::{self, ListQuery, Listed};
use crate::service::proposals::{self as svc, ProposalInput};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use duban_core::proposals::ProposalId;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ProposalPage {
    pub items: Vec<Listed>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Suggestions and proposals in the caller's scope (offices: their kind; units: theirs;
/// deputies: their own and co-signed), filtered and paginated, by number.
#[utoipa::path(get, path = "/api/v1/proposals", tag = "proposals", security(("bearer" = [])), params(ListQuery, Paging),
    responses((status = 200, body = ProposalPage), (status = 400, description = "a filter value is not valid")))]
pub async fn list_proposals(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(mut q): ApiQuery<ListQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<ProposalPage>, ApiError> {
    let (per_page, _) = paging.limit_offset()?;
    q.page = paging.page;
    q.per_page = Some(per_page);
    let list = view::list(&state, &api.actor, &q).await?;
    Ok(Json(ProposalPage {
        items: list.rows,
        total: list.total,
        page: q.page.unwrap_or(1).max(1),
        per_page,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// 登记 / 立案 — the NPC office registers a suggestion, the CPPCC office a proposal (its own
/// kind only). It waits for 交办.
#[utoipa::path(post, path = "/api/v1/proposals", tag = "proposals", security(("bearer" = [])), request_body = ProposalInput,
    responses((status = 201, body = Created), (status = 403, description = "not the office of this kind"), (status = 422, description = "invalid fields")))]
pub async fn create_proposal(
    State(state): State<AppState>,
    api: ApiUser,
    ApiJson(input): ApiJson<ProposalInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = svc::register(&state, &api.actor, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.0 })))
}

/// A deputy or member files an item online between sessions; the office accepts or rejects
/// it.
#[utoipa::path(post, path = "/api/v1/proposals/submit", tag = "proposals", security(("bearer" = [])), request_body = ProposalInput,
    responses((status = 201, body = Created), (status = 403, description = "deputies and members only"), (status = 422, description = "invalid fields")))]
pub async fn submit_proposal(
    State(state): State<AppState>,
    api: ApiUser,
    ApiJson(input): ApiJson<ProposalInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = svc::submit(&state, &api.actor, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.0 })))
}

/// One item with its units, contacts, replies, ratings (未评价 shown as such), follow-ups,
/// timeline and the steps the caller may take now.
#[utoipa::path(get, path = "/api/v1/proposals/{id}", tag = "proposals", security(("bearer" = [])),
    params(("id" = i64, Path, description = "item id")),
    responses((status = 200, body = Object), (status = 403, description = "outside your scope"), (status = 404, description = "no such item")))]
pub async fn get_proposal(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<view::Detail>, ApiError> {
    Ok(Json(
        view::detail(&state, &api.actor, ProposalId(id)).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct StepDone {
    /// The state after the step.
    pub state: String,
}

/// Takes one step: 立案, 交办, 签收, 申请调整, 见面 (报到/现场/回访), 协办意见, 答复, 会签, 审核,
/// 签发, 评价, 续报, 延期 … An illegal step is refused with 422 and writes nothing.
#[utoipa::path(post, operation_id = "take_proposal_step", path = "/api/v1/proposals/{id}/steps", tag = "proposals", security(("bearer" = [])),
    params(("id" = i64, Path, description = "item id")), request_body = StepInput,
    responses((status = 200, body = StepDone), (status = 403, description = "not yours to take"), (status = 422, description = "not allowed in this state, outside its window, or invalid values")))]
pub async fn take_step(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<StepInput>,
) -> Result<Json<StepDone>, ApiError> {
    let s = steps::act(&state, &api.actor, ProposalId(id), &input).await?;
    Ok(Json(StepDone {
        state: s.as_str().to_string(),
    }))
}

/// The rates per lead unit, per category and for the city, with their definitions.
#[utoipa::path(get, path = "/api/v1/proposals/rates", tag = "proposals", security(("bearer" = [])), params(RatesQuery),
    responses((status = 200, body = Dashboard), (status = 403, description = "deputies do not see the rates")))]
pub async fn get_rates(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<RatesQuery>,
) -> Result<Json<Dashboard>, ApiError> {
    Ok(Json(rates::dashboard(&state, &api.actor, &q).await?))
}

/// Exactly the items behind one rate (its numerator or its denominator).
#[utoipa::path(get, path = "/api/v1/proposals/rates/items", tag = "proposals", security(("bearer" = [])), params(DrillQuery),
    responses((status = 200, body = Vec<Listed>), (status = 400, description = "unknown measure"), (status = 403, description = "deputies do not see the rates")))]
pub async fn get_rate_items(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<DrillQuery>,
) -> Result<Json<Vec<Listed>>, ApiError> {
    Ok(Json(rates::drill(&state, &api.actor, &q).await?))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoundQuery {
    /// The reply's round (default the latest signed reply).
    pub round: Option<u32>,
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The signed reply's letter (答复函) as .docx, in the unified layout.
#[utoipa::path(get, path = "/api/v1/proposals/{id}/reply.docx", tag = "proposals", security(("bearer" = [])),
    params(("id" = i64, Path, description = "item id"), RoundQuery),
    responses((status = 200, description = "the letter", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 403, description = "outside your scope"), (status = 404, description = "no such item or no signed reply")))]
pub async fn proposal_reply_docx(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<RoundQuery>,
) -> Result<axum::response::Response, ApiError> {
    let (name, bytes) = files::reply_paper(
        &state,
        &api.actor,
        ProposalId(id),
        q.round,
        files::Paper::Letter,
    )
    .await?;
    Ok(super::file_response(DOCX, &name, bytes).into_response())
}

/// The proposer's feedback form (征询意见表) for the signed reply, as .docx.
#[utoipa::path(get, path = "/api/v1/proposals/{id}/feedback.docx", tag = "proposals", security(("bearer" = [])),
    params(("id" = i64, Path, description = "item id"), RoundQuery),
    responses((status = 200, description = "the form", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 403, description = "outside your scope"), (status = 404, description = "no such item or no signed reply")))]
pub async fn proposal_feedback_docx(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<RoundQuery>,
) -> Result<axum::response::Response, ApiError> {
    let (name, bytes) = files::reply_paper(
        &state,
        &api.actor,
        ProposalId(id),
        q.round,
        files::Paper::FeedbackForm,
    )
    .await?;
    Ok(super::file_response(DOCX, &name, bytes).into_response())
}

/// 办理情况汇总表: every handed-out item of the session in the caller's scope, as .xlsx
/// (DOMAIN §4.3 columns).
#[utoipa::path(get, path = "/api/v1/proposals/summary.xlsx", tag = "proposals", security(("bearer" = [])), params(RatesQuery),
    responses((status = 200, description = "the summary", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "deputies do not see the summary")))]
pub async fn proposal_summary_xlsx(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<RatesQuery>,
) -> Result<axum::response::Response, ApiError> {
    let (name, bytes) = files::summary_xlsx(&state, &api.actor, &q).await?;
    Ok(super::file_response(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &name,
        bytes,
    )
    .into_response())
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HandoutUploadQuery {
    /// The file's name, kept with the upload.
    pub file_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct HandoutImportPreview {
    pub upload_id: i64,
    /// `register` (the NPC or CPPCC office: each row becomes an item of its kind) or
    /// `hand_out` (the government office: each row's registered item is handed out).
    pub mode: &'static str,
    /// Problems in all rows; 0 means the commit will register (or hand out) every row.
    pub problems: usize,
    /// Every row as it will be registered (its number, proposer, units) or handed out (the
    /// item it matches, lead / co / split units, the reply deadline), with its problems, each
    /// naming row and column in Chinese and English.
    #[schema(value_type = Object)]
    pub plan: svc::handout::Preview,
}

/// Uploads the hand-out sheet (建议提案交办表, .xlsx body) and returns the preview. The NPC or
/// CPPCC office's upload registers the rows of its kind; the government office's hands out
/// the registered items the rows name by number (J2026-068, T2026-005). Every problem names
/// its row and column. Nothing but the upload is written.
#[utoipa::path(post, operation_id = "proposals_upload_import", path = "/api/v1/proposal-imports", tag = "proposals", security(("bearer" = [])), params(HandoutUploadQuery),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, body = HandoutImportPreview), (status = 400, description = "not a readable hand-out sheet"), (status = 403, description = "not the NPC or CPPCC office nor the government office"), (status = 413, description = "over 10 MB"), (status = 422, description = "past a bound of the sheet readers, or a CSV / WPS file")))]
pub async fn upload_import(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<HandoutUploadQuery>,
    body: axum::body::Body,
) -> Result<Json<HandoutImportPreview>, ApiError> {
    svc::handout::Mode::of(&api.actor)?;
    let body = axum::body::to_bytes(body, state.config.sheets.max_file_bytes)
        .await
        .map_err(|_| crate::error::AppError::TooLarge)?;
    let name = q.file_name.unwrap_or_else(|| "交办表.xlsx".into());
    let plan = svc::handout::preview_sheet(&state, &api.actor, &name, &body).await?;
    Ok(Json(HandoutImportPreview {
        upload_id: plan.upload_id(),
        mode: plan.mode(),
        problems: plan.problem_count(),
        plan,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct HandoutImportResult {
    /// The items registered (or handed out), in row order.
    pub proposals: Vec<i64>,
}

/// Commits a previewed hand-out sheet, all in one transaction or nothing: the office's upload
/// registers every row (as `POST /api/v1/proposals` would), the government office's hands out
/// every row's item (as the `hand_out` step would).
#[utoipa::path(post, operation_id = "proposals_commit_import", path = "/api/v1/proposal-imports/{id}/commit", tag = "proposals", security(("bearer" = [])),
    params(("id" = i64, Path, description = "upload id")),
    responses((status = 200, body = HandoutImportResult), (status = 403, description = "not the NPC or CPPCC office nor the government office"), (status = 404, description = "no such upload of yours"), (status = 422, description = "rows with problems, or already committed")))]
pub async fn commit_import(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<HandoutImportResult>, ApiError> {
    let (_, ids) = svc::handout::commit_sheet(&state, &api.actor, id).await?;
    Ok(Json(HandoutImportResult {
        proposals: ids.into_iter().map(|p| p.0).collect(),
    }))
}
