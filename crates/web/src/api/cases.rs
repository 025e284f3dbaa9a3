//! The closed loop over JSON: list, register, read, take steps, documents, meetings, the
//! problem-list export and import, the year's windows and ladder. The same services as the
//! pages.

use super::{ApiJson, Paging};
use super::{ApiPath, ApiQuery};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::service::cases::files::{self, ImportPlan};
use crate::service::cases::meetings::{self, MeetingInput};
use crate::service::cases::steps::{self, StepInput};
use crate::service::cases::view::{self, CaseDetail, CaseListQuery, ListedCase};
use crate::service::cases::{self as svc, CaseInput};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use duban_core::cases::CaseId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct CasePage {
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<ListedCase>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// Counts by state for the same filter (state aside).
    #[schema(value_type = Object)]
    pub by_state: std::collections::BTreeMap<String, i64>,
    /// Counts by light for today (red, yellow, green).
    #[schema(value_type = Object)]
    pub by_light: std::collections::BTreeMap<String, i64>,
}

/// Cases in the caller's scope, filtered and paginated, the most urgent first.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", security(("bearer" = [])), params(CaseListQuery, Paging),
    responses((status = 200, body = CasePage), (status = 400, description = "a filter value is not valid")))]
pub async fn list_cases(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(mut q): ApiQuery<CaseListQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<CasePage>, ApiError> {
    let (per_page, _) = paging.limit_offset()?;
    q.page = paging.page;
    q.per_page = Some(per_page);
    let list = view::list(&state, &api.actor, &q).await?;
    Ok(Json(CasePage {
        total: list.total,
        page: q.page.unwrap_or(1).max(1),
        per_page,
        by_state: list.by_state.into_iter().collect(),
        by_light: list
            .by_light
            .iter()
            .map(|(l, n)| (l.as_str().to_string(), *n))
            .collect(),
        items: list.rows,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// 立项 — registers a case (supervision office, leaders). It waits for 交办.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", security(("bearer" = [])), request_body = CaseInput,
    responses((status = 201, body = Created), (status = 403, description = "role may not register cases"), (status = 422, description = "invalid fields")))]
pub async fn create_case(
    State(state): State<AppState>,
    api: ApiUser,
    ApiJson(input): ApiJson<CaseInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = svc::register(&state, &api.actor, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.0 })))
}

/// A case with its flags, light, timeline, escalation steps and the steps the caller may
/// take now.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", security(("bearer" = [])),
    params(("id" = i64, Path, description = "case id")),
    responses((status = 200, body = Object), (status = 403, description = "outside your scope"), (status = 404, description = "no such case")))]
pub async fn get_case(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CaseDetail>, ApiError> {
    Ok(Json(view::detail(&state, &api.actor, CaseId(id)).await?))
}

#[derive(Serialize, ToSchema)]
pub struct StepDone {
    /// The state after the step.
    pub state: String,
}

/// Takes one step: 交办, 签收, 退回, 续报, 申请办结, 核查销号, 评价 … An illegal step is
/// refused with 422 and writes nothing.
#[utoipa::path(post, operation_id = "take_case_step", path = "/api/v1/cases/{id}/steps", tag = "cases", security(("bearer" = [])),
    params(("id" = i64, Path, description = "case id")), request_body = StepInput,
    responses((status = 200, body = StepDone), (status = 403, description = "not yours to take"), (status = 422, description = "not allowed in this state, or invalid values")))]
pub async fn take_step(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<StepInput>,
) -> Result<Json<StepDone>, ApiError> {
    let s = steps::act(&state, &api.actor, CaseId(id), &input).await?;
    Ok(Json(StepDone {
        state: s.as_str().to_string(),
    }))
}

/// An issued document (催办通知书, 督办单) as .docx.
#[utoipa::path(get, path = "/api/v1/cases/{id}/documents/{doc}", tag = "cases", security(("bearer" = [])),
    params(("id" = i64, Path, description = "case id"), ("doc" = i64, Path, description = "document id")),
    responses((status = 200, description = "the .docx file"), (status = 404, description = "no such document")))]
pub async fn get_document(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath((id, doc)): ApiPath<(i64, i64)>,
) -> Result<impl IntoResponse, ApiError> {
    let d = view::document(&state, &api.actor, CaseId(id), doc).await?;
    Ok(file_response(&d.media_type, &d.file_name, d.bytes))
}

/// A download with its name (UTF-8, RFC 6266).
pub fn file_response(
    media_type: &str,
    file_name: &str,
    bytes: Vec<u8>,
) -> impl IntoResponse + use<> {
    let encoded: String = file_name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, media_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"case-file\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
}

#[derive(Serialize, ToSchema)]
pub struct MeetingCreated {
    pub meeting: i64,
    /// The cases made from the decisions, in line order.
    pub cases: Vec<i64>,
}

/// Records a meeting (日会商、周例会); each decision line becomes an assigned case.
#[utoipa::path(post, path = "/api/v1/meetings", tag = "cases", security(("bearer" = [])), request_body = MeetingInput,
    responses((status = 201, body = MeetingCreated), (status = 403, description = "supervision office only"), (status = 422, description = "invalid fields or decision lines")))]
pub async fn create_meeting(
    State(state): State<AppState>,
    api: ApiUser,
    ApiJson(input): ApiJson<MeetingInput>,
) -> Result<(StatusCode, Json<MeetingCreated>), ApiError> {
    let (m, cases) = meetings::record_meeting(&state, &api.actor, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(MeetingCreated {
            meeting: m.0,
            cases: cases.into_iter().map(|c| c.0).collect(),
        }),
    ))
}

/// The problem list (问题清单 / 整改销号表) of the cases matching the filter, as .xlsx.
#[utoipa::path(get, path = "/api/v1/cases/export", tag = "cases", security(("bearer" = [])), params(CaseListQuery),
    responses((status = 200, description = "the .xlsx file")))]
pub async fn export_cases(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<CaseListQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let bytes = files::export_xlsx(&state, &api.actor, &q).await?;
    Ok(file_response(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "问题清单.xlsx",
        bytes,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    pub file_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CaseImportPreview {
    pub upload_id: i64,
    pub problems: usize,
    #[schema(value_type = Object)]
    pub plan: ImportPlan,
}

/// Uploads a problem list (.xlsx body) and returns the preview: every row as it will be
/// imported and every problem with its row and column. Nothing but the upload is written.
#[utoipa::path(post, operation_id = "upload_case_import", path = "/api/v1/case-imports", tag = "cases", security(("bearer" = [])), params(UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, body = CaseImportPreview), (status = 400, description = "not a readable sheet"), (status = 413, description = "over 10 MB")))]
pub async fn upload_import(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<UploadQuery>,
    body: axum::body::Body,
) -> Result<Json<CaseImportPreview>, ApiError> {
    duban_core::policy::decide(
        &api.actor,
        duban_core::policy::Action::ManageCase,
        duban_core::policy::Object::City,
    )
    .map_err(crate::error::AppError::from)?;
    let body = axum::body::to_bytes(body, files::MAX_UPLOAD)
        .await
        .map_err(|_| crate::error::AppError::TooLarge)?;
    let name = q.file_name.unwrap_or_else(|| "problems.xlsx".into());
    let plan = files::preview(&state, &api.actor, &name, &body).await?;
    Ok(Json(CaseImportPreview {
        upload_id: plan.upload_id,
        problems: plan.problem_count(),
        plan,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct CaseImportResult {
    pub cases: Vec<i64>,
}

/// Commits a previewed upload: one assigned case per new row, the changed notes of the cases
/// rows name by 编号; all or none.
#[utoipa::path(post, operation_id = "commit_case_import", path = "/api/v1/case-imports/{id}/commit", tag = "cases", security(("bearer" = [])),
    params(("id" = i64, Path, description = "upload id")),
    responses((status = 200, body = CaseImportResult), (status = 404, description = "no such upload of yours"), (status = 422, description = "rows with problems, or already committed")))]
pub async fn commit_import(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CaseImportResult>, ApiError> {
    let ids = files::commit(&state, &api.actor, id).await?;
    Ok(Json(CaseImportResult {
        cases: ids.into_iter().map(|c| c.0).collect(),
    }))
}

/// A year's deadline windows and escalation ladder (defaults when never set).
#[utoipa::path(get, path = "/api/v1/case-settings/{year}", tag = "cases", security(("bearer" = [])),
    params(("year" = i16, Path, description = "year")),
    responses((status = 200, body = Object), (status = 403, description = "supervision office only")))]
pub async fn get_settings(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(year): ApiPath<i16>,
) -> Result<Json<duban_store::cases::settings::CaseSettings>, ApiError> {
    Ok(Json(
        crate::service::cases::settings::get(&state, &api.actor, year).await?,
    ))
}

/// Sets a year's windows and ladder; an empty rung switches it off.
#[utoipa::path(put, path = "/api/v1/case-settings/{year}", tag = "cases", security(("bearer" = [])),
    params(("year" = i16, Path, description = "year")),
    request_body = crate::service::cases::settings::SettingsInput,
    responses((status = 200, body = Object), (status = 403, description = "supervision office only"), (status = 422, description = "invalid values")))]
pub async fn put_settings(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(year): ApiPath<i16>,
    ApiJson(input): ApiJson<crate::service::cases::settings::SettingsInput>,
) -> Result<Json<duban_store::cases::settings::CaseSettings>, ApiError> {
    Ok(Json(
        crate::service::cases::settings::save(&state, &api.actor, year, &input).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct ReopenInput {
    /// How the problem came back.
    #[serde(default)]
    pub note: String,
}

/// 复发 — registers a new case linked to a closed-out one (office).
#[utoipa::path(post, path = "/api/v1/cases/{id}/reopen", tag = "cases", security(("bearer" = [])),
    params(("id" = i64, Path, description = "the closed-out case")), request_body = ReopenInput,
    responses((status = 201, body = Created), (status = 403, description = "supervision office only"), (status = 422, description = "not closed out, or no reason")))]
pub async fn reopen_case(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ReopenInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let new = svc::reopen(&state, &api.actor, CaseId(id), &input.note).await?;
    Ok((StatusCode::CREATED, Json(Created { id: new.0 })))
}
