//! Visual tracking over JSON: the reports to act on, a task's progress and light, writing and
//! reviewing reports, the office's manual light, the dashboards and the year's light rules.
//! The same services as the pages.

use super::ApiJson;
use super::{ApiPath, ApiQuery};
use crate::auth::ApiUser;
use crate::error::{ApiError, AppError, FieldError};
use crate::service::progress::dashboard::{self, BoardQuery, BoardTasks, DashQuery, Dashboard};
use crate::service::progress::queues::{self, QueueQuery, Queues};
use crate::service::progress::view::{self, ReportView, TaskProgress};
use crate::service::progress::{self as svc, ReportInput, Review};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use duban_core::light::Light;
use duban_core::lists::TaskId;
use duban_core::policy::{Action, Object, decide};
use duban_core::progress::light::LightRules;
use duban_core::progress::remind::Reminders;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What the caller has to do about reports: tasks to report on this period, reports waiting
/// for their approval (unit heads) or acceptance (the office), filtered and 100 a page.
#[utoipa::path(get, path = "/api/v1/reports", tag = "progress", security(("bearer" = [])),
    params(QueueQuery), responses((status = 200, body = Object), (status = 400, description = "a bad light or page")))]
pub async fn my_reports(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(f): ApiQuery<QueueQuery>,
) -> Result<Json<Queues>, ApiError> {
    Ok(Json(queues::queues(&state, &api.actor, &f).await?))
}

/// Several reports reviewed in one step.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BatchReview {
    /// The reports, all of which must be able to take the step.
    #[serde(default)]
    pub reports: Vec<i64>,
    /// `approve` (unit heads) or `accept` (the office).
    #[serde(default)]
    pub action: String,
}

/// Approves (a unit head) or accepts (the office) several reports at once, each with its own
/// event and ledger entry, in one transaction. One report that cannot take the step refuses
/// the batch: the problem names it (`report`) and nothing is written.
#[utoipa::path(post, path = "/api/v1/reports/review", tag = "progress", security(("bearer" = [])),
    request_body = BatchReview,
    responses((status = 200, body = Object, description = "`{\"reviewed\": n}`"), (status = 403, description = "not yours to review"), (status = 404, description = "a report you cannot see"), (status = 422, description = "a report that cannot take the step, named in `report`")))]
pub async fn review_batch(
    State(state): State<AppState>,
    api: ApiUser,
    ApiJson(input): ApiJson<BatchReview>,
) -> Result<Json<serde_json::Value>, ApiError> {
    decide(&api.actor, Action::ViewTasks, Object::City)?;
    let review = match input.action.as_str() {
        "approve" => Review::Approve,
        "accept" => Review::Accept,
        _ => {
            return Err(AppError::Invalid(vec![FieldError::new("action", "bad_choice")]).into());
        }
    };
    let n = svc::review_many(&state, &api.actor, &input.reports, review, "").await?;
    Ok(Json(serde_json::json!({ "reviewed": n })))
}

/// A task's light with its reasons, forecast, half-year check, monthly history and reports.
#[utoipa::path(get, path = "/api/v1/tasks/{id}/progress", tag = "progress", security(("bearer" = [])),
    params(("id" = i64, Path, description = "task id")),
    responses((status = 200, body = Object), (status = 403, description = "outside your scope")))]
pub async fn task_progress(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TaskProgress>, ApiError> {
    Ok(Json(view::load(&state, &api.actor, TaskId(id)).await?))
}

#[derive(Serialize, ToSchema)]
pub struct ReportDone {
    pub id: i64,
    /// draft, unit_review, submitted, accepted, returned
    pub state: String,
}

/// Writes this period's report of a task and sends it (`action: "save"` keeps a draft). A
/// unit head's report goes straight to the office; a liaison's waits for the head.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/reports", tag = "progress", security(("bearer" = [])),
    params(("id" = i64, Path, description = "task id")), request_body = ReportInput,
    responses((status = 201, body = ReportDone), (status = 403, description = "not yours to report"), (status = 422, description = "invalid values or the report cannot change now")))]
pub async fn submit_report(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ReportInput>,
) -> Result<(StatusCode, Json<ReportDone>), ApiError> {
    let (id, s) = svc::submit(&state, &api.actor, TaskId(id), &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(ReportDone {
            id,
            state: s.as_str().into(),
        }),
    ))
}

/// A report with its timeline.
#[utoipa::path(get, path = "/api/v1/reports/{id}", tag = "progress", security(("bearer" = [])),
    params(("id" = i64, Path, description = "report id")),
    responses((status = 200, body = Object), (status = 404, description = "no such report")))]
pub async fn get_report(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ReportView>, ApiError> {
    Ok(Json(view::report(&state, &api.actor, id).await?.0))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ReviewInput {
    /// approve | send_back (unit head) · accept | return (supervision office)
    #[serde(default)]
    pub action: String,
    /// Required to send back or return.
    #[serde(default)]
    pub comment: String,
}

/// Reviews a report: the unit head approves or sends back, the office accepts or returns
/// (退回, counted). Accepting updates the task's progress, indicators and light.
#[utoipa::path(post, path = "/api/v1/reports/{id}/review", tag = "progress", security(("bearer" = [])),
    params(("id" = i64, Path, description = "report id")), request_body = ReviewInput,
    responses((status = 200, body = ReportDone), (status = 403, description = "not yours to review"), (status = 422, description = "not in a state for this, or a comment is missing")))]
pub async fn review_report(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ReviewInput>,
) -> Result<Json<ReportDone>, ApiError> {
    let review =
        Review::parse(input.action.trim()).ok_or(AppError::Invalid(vec![FieldError::new(
            "action",
            "bad_choice",
        )]))?;
    let s = svc::review(&state, &api.actor, id, review, &input.comment).await?;
    Ok(Json(ReportDone {
        id,
        state: s.as_str().into(),
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct LightInput {
    /// green | yellow | red, or null to return to the rules.
    #[serde(default)]
    pub light: Option<String>,
    /// Required when a light is set.
    #[serde(default)]
    pub reason: String,
}

/// Sets a task's light by hand with a reason, or clears it (supervision office).
#[utoipa::path(put, path = "/api/v1/tasks/{id}/light", tag = "progress", security(("bearer" = [])),
    params(("id" = i64, Path, description = "task id")), request_body = LightInput,
    responses((status = 200, body = Object), (status = 403, description = "office only"), (status = 422, description = "no reason, or not a light")))]
pub async fn put_light(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<LightInput>,
) -> Result<Json<TaskProgress>, ApiError> {
    decide(&api.actor, Action::AcceptReport, Object::City).map_err(AppError::from)?;
    let light = match input.light.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(l) => Some(
            Light::parse(l).ok_or(AppError::Invalid(vec![FieldError::new(
                "light",
                "bad_choice",
            )]))?,
        ),
    };
    svc::set_light(&state, &api.actor, TaskId(id), light, &input.reason).await?;
    Ok(Json(view::load(&state, &api.actor, TaskId(id)).await?))
}

/// The tasks a dashboard counts (its drill-down), narrowed by light, attention list or words,
/// 50 a page: the same filter as the dashboard's counts, so `total` equals the count shown.
#[utoipa::path(get, path = "/api/v1/dashboard/tasks", tag = "progress", security(("bearer" = [])),
    params(DashQuery, BoardQuery), responses((status = 200, body = BoardTasks), (status = 400, description = "a bad light, attention or page"), (status = 403, description = "deputies have no dashboard")))]
pub async fn get_dashboard_tasks(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<DashQuery>,
    ApiQuery(n): ApiQuery<BoardQuery>,
) -> Result<Json<BoardTasks>, ApiError> {
    Ok(Json(
        dashboard::board_tasks(&state, &api.actor, &q, &n).await?,
    ))
}

/// A dashboard: the city's, a unit's (`unit`), a task force's (`force`) or a leader's
/// (`leader`), for a campaign or list kind; limited to the caller's scope.
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "progress", security(("bearer" = [])),
    params(DashQuery), responses((status = 200, body = Object), (status = 403, description = "deputies have no dashboard")))]
pub async fn get_dashboard(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<DashQuery>,
) -> Result<Json<Dashboard>, ApiError> {
    Ok(Json(dashboard::dashboard(&state, &api.actor, &q).await?))
}

/// The year's light rules with its report reminders.
#[derive(Debug, Serialize)]
pub struct LightSettings {
    #[serde(flatten)]
    pub rules: LightRules,
    pub reminders: Reminders,
}

/// The year's light rules and report reminders (defaults until the office sets them).
#[utoipa::path(get, path = "/api/v1/light-rules/{year}", tag = "progress", security(("bearer" = [])),
    params(("year" = i16, Path, description = "year")), responses((status = 200, body = Object)))]
pub async fn get_light_rules(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(year): ApiPath<i16>,
) -> Result<Json<LightSettings>, ApiError> {
    decide(&api.actor, Action::ViewTasks, Object::City).map_err(AppError::from)?;
    let mut tx = state.store().begin_read().await.map_err(AppError::from)?;
    let rules = duban_store::progress::light_rules(&mut tx, year)
        .await
        .map_err(AppError::from)?;
    let reminders = duban_store::progress::remind::reminders(&mut tx, year)
        .await
        .map_err(AppError::from)?;
    Ok(Json(LightSettings { rules, reminders }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LightRulesInput {
    pub due_soon_days: i64,
    pub yellow_lag_points: f64,
    pub red_lag_points: f64,
    /// Report reminders; left as they are when absent.
    #[serde(default)]
    pub reminders: Option<RemindersInput>,
}

/// Report reminders (报送提醒) of a year.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RemindersInput {
    /// Reminders at all.
    pub on: bool,
    /// Days before the report day for the first reminder, 0–27.
    pub days_before: i64,
    /// A reminder the day after a missed report day, the unit head told too.
    pub overdue: bool,
}

/// Sets the year's light rules and recomputes every light (office and admin).
#[utoipa::path(put, path = "/api/v1/light-rules/{year}", tag = "progress", security(("bearer" = [])),
    params(("year" = i16, Path, description = "year")), request_body = LightRulesInput,
    responses((status = 200, body = Object), (status = 403, description = "office only"), (status = 422, description = "thresholds out of order")))]
pub async fn put_light_rules(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(year): ApiPath<i16>,
    body: super::ApiBody,
) -> Result<Json<LightSettings>, ApiError> {
    decide(&api.actor, Action::ManagePlan, Object::City).map_err(AppError::from)?;
    let input: LightRulesInput = body.parse()?;
    let rules = LightRules {
        due_soon_days: input.due_soon_days,
        yellow_lag_points: input.yellow_lag_points,
        red_lag_points: input.red_lag_points,
    };
    let given = input.reminders.map(|r| Reminders {
        on: r.on,
        days_before: r.days_before,
        overdue: r.overdue,
    });
    svc::save_light_rules(&state, &api.actor, year, &rules, given.as_ref()).await?;
    let mut tx = state.store().begin_read().await.map_err(AppError::from)?;
    let reminders = duban_store::progress::remind::reminders(&mut tx, year)
        .await
        .map_err(AppError::from)?;
    Ok(Json(LightSettings { rules, reminders }))
}

/// This period's progress sheet (月度进展报送表) pre-filled with the caller's tasks to report.
#[utoipa::path(get, path = "/api/v1/reports/export", tag = "progress", security(("bearer" = [])),
    responses((status = 200, description = "the .xlsx file")))]
pub async fn export_sheet(
    State(state): State<AppState>,
    api: ApiUser,
) -> Result<impl axum::response::IntoResponse, ApiError> {
    let bytes = crate::service::progress::sheet::export(&state, &api.actor).await?;
    Ok(super::file_response(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "进展报送表.xlsx",
        bytes,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SheetQuery {
    /// The name of the uploaded file, for the record.
    pub file_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SheetPreview {
    pub upload_id: i64,
    /// Problems in all rows; 0 means the commit will send every row.
    pub problems: usize,
    #[schema(value_type = Object)]
    pub plan: crate::service::progress::sheet::ImportPlan,
}

/// Uploads a filled-in progress sheet (the .xlsx bytes as the body) and previews it: every
/// row is tried and its problems named; nothing is sent.
#[utoipa::path(post, path = "/api/v1/report-imports", tag = "progress", security(("bearer" = [])),
    params(SheetQuery), request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, body = SheetPreview), (status = 400, description = "not a progress sheet"), (status = 413, description = "too large")))]
pub async fn upload_sheet(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<SheetQuery>,
    body: axum::body::Body,
) -> Result<Json<SheetPreview>, ApiError> {
    decide(&api.actor, Action::ViewTasks, Object::City).map_err(AppError::from)?;
    decide(&api.actor, Action::UploadFile, Object::City).map_err(AppError::from)?;
    let body = axum::body::to_bytes(body, crate::service::progress::sheet::MAX_UPLOAD)
        .await
        .map_err(|_| AppError::TooLarge)?;
    let name = q.file_name.unwrap_or_else(|| "progress.xlsx".into());
    let plan = crate::service::progress::sheet::preview(&state, &api.actor, &name, &body).await?;
    Ok(Json(SheetPreview {
        upload_id: plan.upload_id,
        problems: plan.problem_count(),
        plan,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct SheetSent {
    pub sent: usize,
}

/// Sends every row of a previewed sheet in one transaction, or none if any row has a problem.
#[utoipa::path(post, path = "/api/v1/report-imports/{id}/commit", tag = "progress", security(("bearer" = [])),
    params(("id" = i64, Path, description = "upload id")),
    responses((status = 200, body = SheetSent), (status = 404, description = "not your upload"), (status = 422, description = "rows with problems, or already sent")))]
pub async fn commit_sheet(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SheetSent>, ApiError> {
    let sent = crate::service::progress::sheet::commit(&state, &api.actor, id).await?;
    Ok(Json(SheetSent { sent }))
}
