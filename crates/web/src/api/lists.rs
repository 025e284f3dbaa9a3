//! The four lists over JSON: list and filter, read, create, update, decompose, submit,
//! review, change requests. The same services as the pages.

use super::{ApiJson, Paging};
use super::{ApiPath, ApiQuery};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::service::lists::view::{self, TaskListQuery, TaskView};
use crate::service::lists::{self as svc, ChangeInput, TaskInput};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use duban_core::lists::{ChangeId, Due, TaskId};
use duban_core::org::UnitId;
use duban_store::lists::browse::TaskRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One task in a list.
#[derive(Serialize, ToSchema)]
pub struct TaskSummary {
    pub id: i64,
    pub year: i64,
    pub path: String,
    pub title: String,
    pub campaign_id: Option<i64>,
    pub campaign: Option<String>,
    pub list_kind: String,
    pub parent_id: Option<i64>,
    pub depth: i64,
    pub lead_unit_id: i64,
    pub lead_unit: String,
    pub lead_leader_id: Option<i64>,
    pub lead_leader: Option<String>,
    pub person_id: Option<i64>,
    pub person: Option<String>,
    /// `{"kind":"by","date":"2026-06-30"}` or `{"kind":"ongoing","cadence":"monthly"}`.
    #[schema(value_type = Object)]
    pub due: Option<Due>,
    pub weight: f64,
    pub state: String,
    pub progress: f64,
    /// Today's light: green, yellow or red.
    pub light: String,
    pub children: i64,
}

impl From<TaskRow> for TaskSummary {
    fn from(r: TaskRow) -> Self {
        let due = r.due();
        TaskSummary {
            id: r.id,
            year: r.year,
            path: r.path,
            title: r.title,
            campaign_id: r.campaign_id,
            campaign: r.campaign_name,
            list_kind: r.list_kind,
            parent_id: r.parent_id,
            depth: r.depth,
            lead_unit_id: r.lead_unit_id,
            lead_unit: r.lead_unit_name,
            lead_leader_id: r.lead_leader_id,
            lead_leader: r.lead_leader_name,
            person_id: r.person_id,
            person: r.person_name,
            due,
            weight: r.weight,
            state: r.state,
            progress: r.progress,
            light: r.light,
            children: r.children,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TaskPage {
    pub items: Vec<TaskSummary>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Tasks of the four lists in the caller's scope, filtered and paginated, in list order or
/// by deadline, light or progress (`sort`); `due` keeps unfinished, overdue or soon-due tasks.
#[utoipa::path(get, path = "/api/v1/tasks", tag = "lists", security(("bearer" = [])), params(TaskListQuery, Paging),
    responses((status = 200, body = TaskPage), (status = 400, description = "a filter value is not valid"), (status = 403, description = "role may not see lists")))]
pub async fn list_tasks(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<TaskListQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<TaskPage>, ApiError> {
    let mut filter = q.to_filter(state.today(), &api.actor)?;
    let (limit, offset) = paging.limit_offset()?;
    filter.limit = limit;
    filter.offset = offset;
    let (rows, total) = view::list(&state, &api.actor, filter).await?;
    Ok(Json(TaskPage {
        items: rows.into_iter().map(TaskSummary::from).collect(),
        total,
        page: offset / limit + 1,
        per_page: limit,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Creates a top-level task as a draft in a unit's list.
#[utoipa::path(post, path = "/api/v1/tasks", tag = "lists", security(("bearer" = [])), request_body = TaskInput,
    responses((status = 201, body = Created), (status = 403, description = "not your unit's list"), (status = 422, description = "invalid fields")))]
pub async fn create_task(
    State(state): State<AppState>,
    api: ApiUser,
    ApiJson(input): ApiJson<TaskInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = svc::create_task(&state, &api.actor, None, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.0 })))
}

/// 分解 — adds a sub-task under a task (same unit list; owner down to section, post, person),
/// or, when `lead_unit_id` names another unit, that unit's share (on its list, reported by it,
/// rolled up into the parent).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/subtasks", tag = "lists", security(("bearer" = [])), request_body = TaskInput,
    params(("id" = i64, Path, description = "parent task id")),
    responses((status = 201, body = Created), (status = 403, description = "not your unit's list"), (status = 422, description = "invalid fields")))]
pub async fn create_subtask(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<TaskInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = svc::create_task(&state, &api.actor, Some(TaskId(id)), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.0 })))
}

/// A task with its decomposition tree (rolled up), timeline, change requests and field history.
#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "lists", security(("bearer" = [])),
    params(("id" = i64, Path, description = "task id")),
    responses((status = 200, body = Object), (status = 403, description = "outside your scope"), (status = 404, description = "no such task")))]
pub async fn get_task(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TaskView>, ApiError> {
    Ok(Json(view::task_view(&state, &api.actor, TaskId(id)).await?))
}

/// Replaces a draft or returned task's values. Approved tasks change through change requests.
#[utoipa::path(put, path = "/api/v1/tasks/{id}", tag = "lists", security(("bearer" = [])), request_body = TaskInput,
    params(("id" = i64, Path, description = "task id")),
    responses((status = 204), (status = 403, description = "outside your scope, or approved (locked)"), (status = 422, description = "invalid fields")))]
pub async fn update_task(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<TaskInput>,
) -> Result<StatusCode, ApiError> {
    svc::update_task(&state, &api.actor, TaskId(id), &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmitQuery {
    /// The year of the lists (default: this year).
    pub year: Option<i16>,
}

#[derive(Serialize, ToSchema)]
pub struct Submitted {
    pub submitted: usize,
}

/// 报送 — the unit head submits every draft or returned task of the unit's list.
#[utoipa::path(post, path = "/api/v1/units/{id}/tasks/submit", tag = "lists", security(("bearer" = [])),
    params(("id" = i64, Path, description = "unit id"), SubmitQuery),
    responses((status = 200, body = Submitted), (status = 403, description = "only the unit's head submits")))]
pub async fn submit_unit(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<SubmitQuery>,
) -> Result<Json<Submitted>, ApiError> {
    let year = q.year.unwrap_or(state.today().year());
    let n = svc::submit_unit(&state, &api.actor, UnitId(id), year).await?;
    Ok(Json(Submitted { submitted: n }))
}

#[derive(Deserialize, ToSchema)]
pub struct ReviewRequest {
    /// `approve` or `return`.
    #[serde(default)]
    pub decision: String,
    /// Required for a return: what to fix.
    #[serde(default)]
    pub comment: String,
}

#[derive(Serialize, ToSchema)]
pub struct StateResponse {
    pub state: String,
}

/// 审定 / 退回 — the supervision office approves a submitted task or returns it with a comment.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/review", tag = "lists", security(("bearer" = [])), request_body = ReviewRequest,
    params(("id" = i64, Path, description = "task id")),
    responses((status = 200, body = StateResponse), (status = 403, description = "only the supervision office reviews"), (status = 422, description = "wrong state or missing comment")))]
pub async fn review_task(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<ReviewRequest>,
) -> Result<Json<StateResponse>, ApiError> {
    duban_core::policy::decide(
        &api.actor,
        duban_core::policy::Action::ReviewTask,
        duban_core::policy::Object::City,
    )?;
    let approve = match r.decision.as_str() {
        "approve" => true,
        "return" => false,
        other => {
            return Err(crate::error::AppError::BadRequest(format!(
                "`decision`: `{other}` is neither `approve` nor `return`"
            ))
            .into());
        }
    };
    let to = svc::review_task(&state, &api.actor, TaskId(id), approve, &r.comment).await?;
    Ok(Json(StateResponse {
        state: to.as_str().into(),
    }))
}

/// 调整申请 — proposes new deadline, targets, weight or owners for an approved task.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/changes", tag = "lists", security(("bearer" = [])), request_body = ChangeInput,
    params(("id" = i64, Path, description = "task id")),
    responses((status = 201, body = Created), (status = 403, description = "not your unit's task"), (status = 422, description = "no reason, nothing changed, not approved or already pending")))]
pub async fn propose_change(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ChangeInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = svc::propose_change(&state, &api.actor, TaskId(id), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.0 })))
}

#[derive(Deserialize, ToSchema)]
pub struct DecisionRequest {
    #[serde(default)]
    pub approve: bool,
    #[serde(default)]
    pub note: String,
}

/// The supervision office approves (values apply, history is written) or rejects a change request.
#[utoipa::path(post, path = "/api/v1/changes/{id}/decision", tag = "lists", security(("bearer" = [])), request_body = DecisionRequest,
    params(("id" = i64, Path, description = "change request id")),
    responses((status = 204), (status = 403, description = "only the supervision office decides"), (status = 422, description = "already decided")))]
pub async fn decide_change(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(d): ApiJson<DecisionRequest>,
) -> Result<StatusCode, ApiError> {
    svc::decide_change(&state, &api.actor, ChangeId(id), d.approve, &d.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The year of the list (default: this year).
    pub year: Option<i16>,
    /// The list kind for rows whose sheet has no 清单类别 column.
    pub list_kind: Option<String>,
    /// A name to keep with the upload.
    pub file_name: Option<String>,
}

/// The preview of an upload: every row read and resolved, every problem; `upload_id` commits it.
#[derive(Serialize, ToSchema)]
pub struct ImportPreview {
    pub upload_id: i64,
    pub problems: usize,
    #[schema(value_type = Object)]
    pub plan: crate::service::lists::import::ImportPlan,
}

/// Uploads a task list (.xlsx as the raw request body) and previews it. Nothing is written
/// to the lists until the upload is committed.
#[utoipa::path(post, operation_id = "upload_task_import", path = "/api/v1/imports", tag = "lists", security(("bearer" = [])), params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, body = ImportPreview), (status = 400, description = "not a readable task list"), (status = 403, description = "you write no list"), (status = 413, description = "over 10 MB"), (status = 422, description = "past a bound of the sheet readers (rows, columns, cell size, unpacked size, time); the detail names it")))]
pub async fn upload_import(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: axum::body::Body,
) -> Result<Json<ImportPreview>, ApiError> {
    crate::service::lists::import::authorize_writer(&api.actor)?;
    // This route takes files up to the import limit, above the usual body limit.
    let body = axum::body::to_bytes(body, duban_docs::lists::MAX_FILE_BYTES)
        .await
        .map_err(|_| crate::error::AppError::TooLarge)?;
    let year = q.year.unwrap_or(state.today().year());
    let kind = match q.list_kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => Some(duban_core::lists::ListKind::parse(k).ok_or_else(|| {
            crate::error::AppError::BadRequest(format!("`list_kind`: `{k}` is not a list kind"))
        })?),
        None => None,
    };
    let mut tx = state.store.begin_write().await?;
    let plan = crate::service::lists::import::plan(
        &mut tx,
        &api.actor,
        &body,
        year,
        kind,
        &state.config.sheets,
    )
    .await?;
    let name = q.file_name.unwrap_or_else(|| "upload.xlsx".into());
    let id = duban_store::imports::insert_upload(
        &mut tx,
        api.actor.user,
        &name,
        &body,
        year,
        kind.map(|k| k.as_str()),
        state.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(ImportPreview {
        upload_id: id,
        problems: plan.problem_count(),
        plan,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ImportResult {
    pub created: usize,
    pub updated: usize,
}

/// Commits a previewed upload: all rows in one transaction, or nothing when a problem remains.
#[utoipa::path(post, operation_id = "commit_task_import", path = "/api/v1/imports/{id}/commit", tag = "lists", security(("bearer" = [])),
    params(("id" = i64, Path, description = "upload id from the preview")),
    responses((status = 200, body = ImportResult), (status = 400, description = "problems remain, or already committed"), (status = 403, description = "you write no list"), (status = 404, description = "no such upload of yours")))]
pub async fn commit_import(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ImportResult>, ApiError> {
    crate::service::lists::import::authorize_writer(&api.actor)?;
    let (created, updated) =
        crate::service::lists::import::commit_upload(&state, &api.actor, id).await?;
    Ok(Json(ImportResult { created, updated }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// The year (default: this year).
    pub year: Option<i16>,
}

/// A year's set-up: the list kinds in use, the reporting cadence and the campaigns.
#[derive(Serialize, ToSchema)]
pub struct PlanResponse {
    pub year: i16,
    /// Whether the office has set the year up (otherwise these are the defaults).
    pub configured: bool,
    pub list_kinds: Vec<String>,
    pub report_cadence: String,
    pub report_day: i64,
    #[schema(value_type = Vec<Object>)]
    pub campaigns: Vec<duban_store::campaigns::Campaign>,
}

/// The year's set-up and campaigns (ids to use in task filters and bodies).
#[utoipa::path(get, path = "/api/v1/plan", tag = "lists", security(("bearer" = [])), params(YearQuery),
    responses((status = 200, body = PlanResponse), (status = 403, description = "role may not see lists")))]
pub async fn get_plan(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<PlanResponse>, ApiError> {
    duban_core::policy::decide(
        &api.actor,
        duban_core::policy::Action::ViewTasks,
        duban_core::policy::Object::City,
    )?;
    let year = q.year.unwrap_or(state.today().year());
    let mut tx = state.store.begin_read().await?;
    let found = duban_store::campaigns::find_plan_year(&mut tx, year).await?;
    let configured = found.is_some();
    let plan = found.unwrap_or_else(|| duban_store::campaigns::PlanYear::default_for(year));
    let campaigns = duban_store::campaigns::list_campaigns(&mut tx, i64::from(year)).await?;
    Ok(Json(PlanResponse {
        year,
        configured,
        list_kinds: plan
            .list_kinds
            .iter()
            .map(|k| k.as_str().to_string())
            .collect(),
        report_cadence: plan.report_cadence.as_str().into(),
        report_day: plan.report_day,
        campaigns,
    }))
}
