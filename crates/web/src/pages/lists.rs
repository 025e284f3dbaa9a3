//! The four lists on screen: browse and filter, a task with its tree, timeline, change
//! requests and history; submitting a unit's lists and reviewing tasks. Forms for tasks and
//! change requests are in `lists_form`, import and export in `lists_files`.

use super::render;
use crate::auth::{CsrfForm, Ctx};
use crate::error::{AppError, back_with_problem};
use crate::service::lists::view::{self, TaskListQuery, TaskView};
use crate::service::lists::{self as svc};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::lists::browse::TaskOrder;
use duban_core::lists::state::TaskState;
use duban_core::lists::{ChangeId, Due, ListKind, TaskId};
use duban_core::org::UnitId;
use duban_core::policy::{Action, Object};
use duban_store::campaigns::{self, Campaign};
use duban_store::lists::browse::TaskRow;
use duban_store::lists::review::{self, ChangeRow};
use duban_store::org::{self as org_store, Unit, UnitFilter};
use serde::Deserialize;

/// How a due value reads on screen: a date, or the cadence of an ongoing task.
pub fn due_text(ctx: &Ctx, due: Option<Due>) -> String {
    match due {
        Some(Due::By { date }) => date.to_string(),
        Some(Due::Ongoing { cadence }) => {
            format!(
                "{} · {}",
                ctx.t("lists.ongoing"),
                ctx.t(&format!("cadence.{}", cadence.as_str()))
            )
        }
        None => String::new(),
    }
}

/// Whether the user may write some unit's list (their own unit's, or any for the office):
/// the gate of the new-task form and the import pages.
pub fn may_write_lists(ctx: &Ctx) -> bool {
    crate::service::lists::import::authorize_writer(&ctx.actor).is_ok()
}

/// Refuses users who may write no list, with the policy's reason.
pub fn authorize_list_writer(ctx: &Ctx) -> Result<(), AppError> {
    crate::service::lists::import::authorize_writer(&ctx.actor)
}

/// A number as people write it (no trailing .0), for templates.
pub fn num(v: &f64) -> String {
    duban_docs::lists::format_number(*v)
}

/// Whether an optional id is the given one (select boxes in templates).
pub fn is(selected: &Option<i64>, id: &i64) -> bool {
    selected.as_ref() == Some(id)
}

#[derive(Template)]
#[template(path = "lists/index.html")]
struct IndexPage {
    ctx: Ctx,
    q: TaskListQuery,
    year: i16,
    rows: Vec<TaskRow>,
    total: i64,
    page: i64,
    pages: i64,
    campaigns: Vec<Campaign>,
    units: Vec<Unit>,
    leaders: Vec<duban_store::people::Person>,
    kinds: [ListKind; 4],
    states: [TaskState; 4],
    orders: [TaskOrder; 4],
    /// The query string of the current filters (for export links and paging).
    filter_qs: String,
    can_create: bool,
    can_import: bool,
    submit_unit: Option<(i64, String)>,
    /// The reader's home unit: "my list" exports only what it leads (and imports back as is).
    own_list: Option<i64>,
    can_decide: bool,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    ok: Option<String>,
    #[serde(default)]
    err: Option<String>,
}

/// The filters as a query string, without the page.
fn filter_query(q: &TaskListQuery) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    let mut add = |k: &'static str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
            pairs.push((k, v));
        }
    };
    add("year", q.year.map(|y| y.to_string()));
    add("campaign", q.campaign.map(|c| c.to_string()));
    add("kind", q.kind.clone());
    add("unit", q.unit.map(|c| c.to_string()));
    add("lead", q.lead.clone());
    add("leader", q.leader.map(|c| c.to_string()));
    add("person", q.person.map(|c| c.to_string()));
    add("state", q.state.clone());
    add("due_from", q.due_from.clone());
    add("due_to", q.due_to.clone());
    add("q", q.q.clone());
    add("top", q.top.clone());
    add("mine", q.mine.clone());
    add("light", q.light.clone());
    add("due", q.due.clone());
    add("days", q.due.as_ref().and(q.days).map(|d| d.to_string()));
    add("sort", q.sort.clone());
    serde_urlencoded::to_string(&pairs).unwrap_or_default()
}

pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TaskListQuery>,
    Query(p): Query<PageQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewTasks, Object::City)?;
    let year = q.year.unwrap_or(state.today().year());
    let mut filter = q.to_filter(state.today(), &ctx.actor)?;
    let page = p.page.unwrap_or(1).max(1);
    filter.limit = 30;
    filter.offset = (page - 1) * 30;
    let (rows, total) = view::list(&state, &ctx.actor, filter).await?;
    let mut tx = state.store.begin_read().await?;
    let campaigns = campaigns::list_campaigns(&mut tx, i64::from(year)).await?;
    let units = org_store::list_units(&mut tx, &UnitFilter::default()).await?;
    let leaders = duban_store::people::list_leaders(&mut tx).await?;
    drop(tx);
    let home = ctx.actor.scope.home_unit;
    let can_create = may_write_lists(&ctx);
    let submit_unit = home
        .filter(|u| {
            ctx.may(
                Action::SubmitTasks,
                Object::Unit {
                    id: *u,
                    active: true,
                },
            )
        })
        .and_then(|u| units.iter().find(|x| x.id == u.0))
        .map(|u| (u.id, u.short_name.clone()));
    let notice = match p.ok.as_deref() {
        Some(n) if n.chars().all(|c| c.is_ascii_digit()) => {
            Some(ctx.t("lists.submitted_n").replace("{n}", n))
        }
        _ => None,
    };
    render(IndexPage {
        filter_qs: filter_query(&q),
        can_import: can_create,
        can_decide: ctx.may(Action::DecideChange, Object::City),
        ctx,
        q,
        year,
        rows,
        total,
        page,
        pages: (total + 29) / 30,
        campaigns,
        units,
        leaders,
        kinds: ListKind::ALL,
        states: TaskState::ALL,
        orders: TaskOrder::ALL,
        can_create,
        submit_unit,
        own_list: home.map(|u| u.0),
        notice,
    })
}

#[derive(Template)]
#[template(path = "lists/task.html")]
struct TaskPage {
    ctx: Ctx,
    v: TaskView,
    notice: Option<&'static str>,
    problem: Option<(String, String)>,
    /// The light, reports and history (approved tasks).
    progress: Option<crate::service::progress::view::TaskProgress>,
}

impl TaskPage {
    fn half_year_key(&self) -> &'static str {
        use duban_core::progress::schedule::HalfYear;
        match self.progress.as_ref().map(|p| p.half_year) {
            Some(HalfYear::Met) => "met",
            Some(HalfYear::Missed) => "missed",
            _ => "not_yet",
        }
    }

    fn due(&self, due: Option<Due>) -> String {
        due_text(&self.ctx, due)
    }

    /// An instant as a local date and time (`2026-11-25 04:00`).
    fn local(&self, at: jiff::Timestamp) -> String {
        self.ctx.local(at)
    }

    fn due_of(&self, due: &Due) -> String {
        due_text(&self.ctx, Some(*due))
    }

    /// (indicator, target, actual) as text.
    fn indicator_rows(&self) -> Vec<(String, String, String)> {
        let t = &self.v.task;
        t.fields
            .indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| {
                let actual = match t.actuals.get(i).copied().flatten() {
                    Some(a) => format!("{}{}", num(&a), ind.unit),
                    None => "—".into(),
                };
                (
                    ind.name.clone(),
                    format!("{}{}", num(&ind.target), ind.unit),
                    actual,
                )
            })
            .collect()
    }

    /// A tree node's indicator: value / target unit.
    fn figure(&self, value: &Option<f64>, target: &f64, unit: &str) -> String {
        let v = value.map(|v| num(&v)).unwrap_or_else(|| "—".into());
        format!("{v}/{}{unit}", num(target))
    }

    fn field_value(&self, field: &str, json: &str) -> String {
        history_value(&self.ctx, field, json)
    }
}

/// A history value (JSON) as a person reads it.
pub fn history_value(ctx: &Ctx, field: &str, json: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    match field {
        "due" => match serde_json::from_value::<Due>(v.clone()) {
            Ok(d) => due_text(ctx, Some(d)),
            Err(_) => json.to_string(),
        },
        "indicators" => v
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|i| {
                        format!(
                            "{} {}{}",
                            i["name"].as_str().unwrap_or_default(),
                            duban_docs::lists::format_number(
                                i["target"].as_f64().unwrap_or_default()
                            ),
                            i["unit"].as_str().unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("；")
            })
            .unwrap_or_default(),
        "milestones" => v
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|m| {
                        format!(
                            "{} {}",
                            m["due"].as_str().unwrap_or_default(),
                            m["target_text"].as_str().unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("；")
            })
            .unwrap_or_default(),
        _ if v.is_null() => "—".into(),
        _ => v.to_string().trim_matches('"').to_string(),
    }
}

pub async fn task(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(p): Query<PageQuery>,
) -> Result<Response, AppError> {
    let v = view::task_view(&state, &ctx.actor, TaskId(id)).await?;
    let notice = match p.ok.as_deref() {
        Some("created") => Some("notice.created"),
        Some("saved") => Some("notice.saved"),
        Some("submitted") => Some("lists.notice_submitted"),
        Some("approved") => Some("lists.notice_approved"),
        Some("returned") => Some("lists.notice_returned"),
        Some("proposed") => Some("lists.notice_proposed"),
        Some("decided") => Some("lists.notice_decided"),
        Some("report_sent") => Some("progress.notice_sent"),
        Some("report_saved") => Some("progress.notice_saved"),
        Some("light_set") => Some("progress.notice_light"),
        _ => None,
    };
    let progress = if v.task.state == TaskState::Approved {
        Some(crate::service::progress::view::load(&state, &ctx.actor, TaskId(id)).await?)
    } else {
        None
    };
    let problem = super::Notice {
        ok: None,
        err: p.err,
    }
    .problem(&ctx);
    render(TaskPage {
        ctx,
        v,
        notice,
        problem,
        progress,
    })
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
}

pub async fn review(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ReviewForm>,
) -> Result<Response, AppError> {
    let approve = f.decision == "approve";
    match svc::review_task(&state, &ctx.actor, TaskId(id), approve, &f.comment).await {
        Ok(to) => {
            Ok(Redirect::to(&format!("/lists/tasks/{id}?ok={}", to.as_str())).into_response())
        }
        Err(e) => back_with_problem(&format!("/lists/tasks/{id}"), e),
    }
}

#[derive(Deserialize)]
pub struct SubmitForm {
    /// Default: the head's own unit.
    #[serde(default)]
    unit: Option<i64>,
    #[serde(default)]
    year: Option<i16>,
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<SubmitForm>,
) -> Result<Response, AppError> {
    let unit = f
        .unit
        .map(UnitId)
        .or(ctx.actor.scope.home_unit)
        .ok_or(AppError::Forbidden(duban_core::policy::Denied::Role))?;
    let year = f.year.unwrap_or(state.today().year());
    let n = svc::submit_unit(&state, &ctx.actor, unit, year).await?;
    Ok(Redirect::to(&format!("/lists?year={year}&unit={}&ok={n}", unit.0)).into_response())
}

#[derive(Template)]
#[template(path = "lists/changes.html")]
struct ChangesPage {
    ctx: Ctx,
    changes: Vec<ChangeRow>,
}

impl ChangesPage {
    fn field_value(&self, field: &str, json: &serde_json::Value) -> String {
        history_value(&self.ctx, field, &json.to_string())
    }
}

/// The supervision office's queue of pending change requests.
pub async fn changes(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.authorize(Action::DecideChange, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    let changes = review::list_pending_changes(&mut tx, 200).await?;
    render(ChangesPage { ctx, changes })
}

#[derive(Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
}

pub async fn decide_change(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<DecideForm>,
) -> Result<Response, AppError> {
    let approve = f.decision == "approve";
    match svc::decide_change(&state, &ctx.actor, ChangeId(id), approve, &f.note).await {
        Ok(task) => {
            Ok(Redirect::to(&format!("/lists/tasks/{}?ok=decided", task.0)).into_response())
        }
        Err(e) => back_with_problem("/lists/changes", e),
    }
}
