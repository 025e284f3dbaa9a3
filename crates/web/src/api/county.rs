//! County and township as one (县乡一体) over JSON: the duty list (browse, search, keep,
//! import with preview and commit, export, match a text), joint matters (吹哨报到: raise,
//! report in, feed back, close, rate both ways) and the year's figures. The same services as
//! the pages.

use super::cases::{Created, file_response};
use super::{ApiJson, ApiPath, ApiQuery};
use crate::auth::ApiUser;
use crate::error::{ApiError, AppError};
use crate::service::duties::{self, DutyImportPlan, DutyInput, DutyProposal, DutyView};
use crate::service::joint::settings::{
    self as joint_settings, JointSettingsInput, JointSettingsView,
};
use crate::service::joint::{
    self, Figures, JointDetail, JointListed, JointQuery, NoteInput, RaiseInput, RateInput,
    ReportInInput,
};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use duban_core::cases::CaseId;
use duban_core::duties::DutyId;
use duban_core::policy::{Action, Object, decide};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DutyQuery {
    /// Any Chinese words (`油烟 劝导`); every word must be found.
    pub q: Option<String>,
    /// Only entries valid on this day (`2026-11-25`).
    #[param(value_type = Option<String>)]
    pub on: Option<jiff::civil::Date>,
}

#[derive(Serialize, ToSchema)]
pub struct DutyList {
    pub items: Vec<DutyView>,
    pub total: usize,
}

/// The duty list (属地管理事项责任清单), searched by any Chinese words.
#[utoipa::path(get, path = "/api/v1/duties", tag = "county", security(("bearer" = [])), params(DutyQuery),
    responses((status = 200, body = DutyList), (status = 401, description = "not signed in")))]
pub async fn list_duties(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<DutyQuery>,
) -> Result<Json<DutyList>, ApiError> {
    let items = duties::search(&state, &api.actor, q.q.as_deref().unwrap_or(""), q.on).await?;
    Ok(Json(DutyList {
        total: items.len(),
        items,
    }))
}

/// Adds an entry (supervision office).
#[utoipa::path(post, path = "/api/v1/duties", tag = "county", security(("bearer" = [])), request_body = DutyInput,
    responses((status = 201, body = Created), (status = 403, description = "only the office keeps the list"), (status = 422, description = "invalid fields, or a department that matches no unit or several")))]
pub async fn create_duty(
    State(state): State<AppState>,
    api: ApiUser,
    ApiJson(input): ApiJson<DutyInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = duties::create(&state, &api.actor, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.0 })))
}

/// One entry.
#[utoipa::path(get, path = "/api/v1/duties/{id}", tag = "county", security(("bearer" = [])),
    params(("id" = i64, Path, description = "entry id")),
    responses((status = 200, body = DutyView), (status = 404, description = "no such entry")))]
pub async fn get_duty(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DutyView>, ApiError> {
    Ok(Json(duties::get(&state, &api.actor, DutyId(id)).await?))
}

/// Replaces an entry (supervision office).
#[utoipa::path(put, path = "/api/v1/duties/{id}", tag = "county", security(("bearer" = [])),
    params(("id" = i64, Path, description = "entry id")), request_body = DutyInput,
    responses((status = 204, description = "saved"), (status = 403, description = "only the office keeps the list"), (status = 404, description = "no such entry"), (status = 422, description = "invalid fields")))]
pub async fn update_duty(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DutyInput>,
) -> Result<StatusCode, ApiError> {
    duties::update(&state, &api.actor, DutyId(id), &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The list (or a search of it) as .xlsx, in the layout the import reads.
#[utoipa::path(get, path = "/api/v1/duties/export", tag = "county", security(("bearer" = [])), params(DutyQuery),
    responses((status = 200, description = "the .xlsx file")))]
pub async fn export_duties(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<DutyQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let bytes = duties::export(&state, &api.actor, q.q.as_deref().unwrap_or("")).await?;
    Ok(file_response(XLSX, "属地管理事项责任清单.xlsx", bytes))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProposeQuery {
    /// The case's title and content as typed.
    pub text: Option<String>,
}

/// The entries a text is about and the department they make responsible (for the
/// registration form).
#[utoipa::path(get, path = "/api/v1/duties/propose", tag = "county", security(("bearer" = [])), params(ProposeQuery),
    responses((status = 200, body = DutyProposal)))]
pub async fn propose_duty(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<ProposeQuery>,
) -> Result<Json<DutyProposal>, ApiError> {
    Ok(Json(
        duties::propose(&state, &api.actor, q.text.as_deref().unwrap_or("")).await?,
    ))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    pub file_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DutyImportPreview {
    /// Commit with `POST /api/v1/duties/imports/{upload_id}/commit`.
    pub upload_id: i64,
    pub plan: DutyImportPlan,
}

/// Uploads a duty list (.xlsx as the raw body) and previews it: every problem with its row
/// and column, in Chinese and English. Nothing is written until committed.
#[utoipa::path(post, path = "/api/v1/duties/imports", tag = "county", security(("bearer" = [])), params(UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, body = DutyImportPreview), (status = 400, description = "not a readable duty list"), (status = 403, description = "only the office keeps the list")))]
pub async fn upload_duties(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<UploadQuery>,
    body: axum::body::Body,
) -> Result<Json<DutyImportPreview>, ApiError> {
    decide(&api.actor, Action::ManageDuties, Object::City).map_err(AppError::from)?;
    let body = axum::body::to_bytes(body, duban_docs::lists::MAX_FILE_BYTES)
        .await
        .map_err(|_| AppError::TooLarge)?;
    let name = q.file_name.unwrap_or_else(|| "upload.xlsx".into());
    let (upload_id, plan) = duties::upload(&state, &api.actor, &name, &body).await?;
    Ok(Json(DutyImportPreview { upload_id, plan }))
}

#[derive(Serialize, ToSchema)]
pub struct DutyImportResult {
    pub created: usize,
    pub updated: usize,
}

/// Commits a previewed upload: every row, or nothing when any row has a problem (422).
#[utoipa::path(post, path = "/api/v1/duties/imports/{id}/commit", tag = "county", security(("bearer" = [])),
    params(("id" = i64, Path, description = "upload id")),
    responses((status = 200, body = DutyImportResult), (status = 403, description = "only the office keeps the list"), (status = 404, description = "no such upload of yours"), (status = 422, description = "the file has problems, or was imported already")))]
pub async fn commit_duties(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DutyImportResult>, ApiError> {
    let (created, updated) = duties::commit(&state, &api.actor, id).await?;
    Ok(Json(DutyImportResult { created, updated }))
}

#[derive(Serialize, ToSchema)]
pub struct JointList {
    pub items: Vec<JointListed>,
}

/// Joint matters (联办) of a year the caller may see: a town its own, a department those
/// naming it, whole-city roles all.
#[utoipa::path(get, path = "/api/v1/joint", tag = "county", security(("bearer" = [])), params(JointQuery),
    responses((status = 200, body = JointList), (status = 403, description = "deputies see no joint matters")))]
pub async fn list_joint(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<JointQuery>,
) -> Result<Json<JointList>, ApiError> {
    Ok(Json(JointList {
        items: joint::list(&state, &api.actor, &q).await?,
    }))
}

/// 吹哨 — a town raises a joint matter naming the departments it needs; each must report in
/// within the year's window in working hours.
#[utoipa::path(post, path = "/api/v1/joint", tag = "county", security(("bearer" = [])), request_body = RaiseInput,
    responses((status = 201, body = Created), (status = 403, description = "only a town's head or liaison, for its own town"), (status = 422, description = "invalid fields, unknown departments, or not a town")))]
pub async fn raise_joint(
    State(state): State<AppState>,
    api: ApiUser,
    ApiJson(input): ApiJson<RaiseInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = joint::raise(&state, &api.actor, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.0 })))
}

/// A joint matter with its departments' report-ins, feedback and ratings, and the steps the
/// caller may take.
#[utoipa::path(get, path = "/api/v1/joint/{id}", tag = "county", security(("bearer" = [])),
    params(("id" = i64, Path, description = "case id")),
    responses((status = 200, body = JointDetail), (status = 403, description = "outside your scope"), (status = 404, description = "no such joint matter")))]
pub async fn get_joint(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<JointDetail>, ApiError> {
    Ok(Json(joint::detail(&state, &api.actor, CaseId(id)).await?))
}

#[derive(Serialize, ToSchema)]
pub struct ReportedIn {
    /// The report-in came after the window.
    pub late: bool,
}

/// 报到 — a named department names its handler. A unit not named is refused (403).
#[utoipa::path(post, path = "/api/v1/joint/{id}/report-in", tag = "county", security(("bearer" = [])),
    params(("id" = i64, Path, description = "case id")), request_body = ReportInInput,
    responses((status = 200, body = ReportedIn), (status = 403, description = "your unit is not named"), (status = 422, description = "reported in already, or the handler is not of the unit")))]
pub async fn report_in(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ReportInInput>,
) -> Result<Json<ReportedIn>, ApiError> {
    let late = joint::report_in(&state, &api.actor, CaseId(id), &input).await?;
    Ok(Json(ReportedIn { late }))
}

/// A named department's feedback (its co-unit opinion), after reporting in.
#[utoipa::path(post, path = "/api/v1/joint/{id}/feedback", tag = "county", security(("bearer" = [])),
    params(("id" = i64, Path, description = "case id")), request_body = NoteInput,
    responses((status = 204, description = "saved"), (status = 403, description = "your unit is not named"), (status = 422, description = "not reported in yet, closed, or empty")))]
pub async fn feed_back(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<NoteInput>,
) -> Result<StatusCode, ApiError> {
    joint::feed_back(&state, &api.actor, CaseId(id), &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The town verifies and closes, once every department has reported in and fed back.
#[utoipa::path(post, path = "/api/v1/joint/{id}/close", tag = "county", security(("bearer" = [])),
    params(("id" = i64, Path, description = "case id")), request_body = NoteInput,
    responses((status = 204, description = "closed"), (status = 403, description = "not the town's desk"), (status = 422, description = "a department has not reported in or fed back")))]
pub async fn close_joint(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<NoteInput>,
) -> Result<StatusCode, ApiError> {
    joint::close(&state, &api.actor, CaseId(id), &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 块评条 — the town rates one department (speed, effect, attitude 1–5), once, after closing.
#[utoipa::path(post, path = "/api/v1/joint/{id}/ratings/department", tag = "county", security(("bearer" = [])),
    params(("id" = i64, Path, description = "case id")), request_body = RateInput,
    responses((status = 204, description = "saved"), (status = 403, description = "only the town rates its departments"), (status = 422, description = "rated already, not closed, or a bad score")))]
pub async fn rate_department(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RateInput>,
) -> Result<StatusCode, ApiError> {
    joint::rate_department(&state, &api.actor, CaseId(id), &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 条评块 — a named department rates the town's coordination (1–5), once, after closing.
#[utoipa::path(post, path = "/api/v1/joint/{id}/ratings/town", tag = "county", security(("bearer" = [])),
    params(("id" = i64, Path, description = "case id")), request_body = RateInput,
    responses((status = 204, description = "saved"), (status = 403, description = "your unit is not named"), (status = 422, description = "rated already, not closed, or a bad score")))]
pub async fn rate_town(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RateInput>,
) -> Result<StatusCode, ApiError> {
    joint::rate_town(&state, &api.actor, CaseId(id), &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// Default: this year.
    pub year: Option<i16>,
}

/// The year's figures: per department (mean scores, report-in on-time rate, matters, returns
/// refused), per town, and the towns × departments matrix — over what the caller may see.
#[utoipa::path(get, path = "/api/v1/joint/figures", tag = "county", security(("bearer" = [])), params(FiguresQuery),
    responses((status = 200, body = Figures), (status = 403, description = "deputies see no joint matters")))]
pub async fn get_figures(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<FiguresQuery>,
) -> Result<Json<Figures>, ApiError> {
    let year = q.year.unwrap_or(state.today().year());
    Ok(Json(joint::figures(&state, &api.actor, year).await?))
}

/// The year's figures as .xlsx (a sheet of departments, one of towns).
#[utoipa::path(get, path = "/api/v1/joint/figures/export", tag = "county", security(("bearer" = [])), params(FiguresQuery),
    responses((status = 200, description = "the .xlsx file")))]
pub async fn export_figures(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<FiguresQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let year = q.year.unwrap_or(state.today().year());
    let bytes = joint::export(&state, &api.actor, year).await?;
    Ok(file_response(
        XLSX,
        &format!("{year}年吹哨报到评价.xlsx"),
        bytes,
    ))
}

/// A year's working day and report-in window of joint matters (the defaults when never set).
#[utoipa::path(get, path = "/api/v1/joint/settings/{year}", tag = "county", security(("bearer" = [])),
    params(("year" = i16, Path, description = "year")),
    responses((status = 200, body = JointSettingsView), (status = 403, description = "supervision office only")))]
pub async fn get_joint_settings(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(year): ApiPath<i16>,
) -> Result<Json<JointSettingsView>, ApiError> {
    Ok(Json(joint_settings::get(&state, &api.actor, year).await?))
}

/// Sets a year's working day (`08:30-12:00,13:30-17:30`) and report-in window (1–40 working
/// hours); joint matters raised from then on count their window on it. Nothing is written
/// when a value is wrong (422 naming the field).
#[utoipa::path(put, path = "/api/v1/joint/settings/{year}", tag = "county", security(("bearer" = [])),
    params(("year" = i16, Path, description = "year")), request_body = JointSettingsInput,
    responses((status = 200, body = JointSettingsView), (status = 403, description = "supervision office only"), (status = 422, description = "invalid values")))]
pub async fn put_joint_settings(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(year): ApiPath<i16>,
    ApiJson(input): ApiJson<JointSettingsInput>,
) -> Result<Json<JointSettingsView>, ApiError> {
    Ok(Json(
        joint_settings::save(&state, &api.actor, year, &input).await?,
    ))
}
