//! A task's progress as pages and the API show it: the light with every reason that fired,
//! the forecast, the half-year check, each closed month's light, the reports, and what the
//! reader may do.

use crate::error::AppError;
use crate::service::lists::task_object;
use crate::state::AppState;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::progress::carry::lowers;
use duban_core::progress::report::ReportState;
use duban_core::progress::schedule::{HalfYear, half_year};
use duban_store::Tx;
use duban_store::lists::Task;
use duban_store::progress::lights::{self as store, HistoryRow};
use duban_store::progress::{self as reports, Report, ReportEvent};
use serde::Serialize;

/// One rule that fired, ready to be put in words.
#[derive(Debug, Clone, Serialize)]
pub struct ReasonLine {
    pub light: String,
    /// overdue, due_soon, lagging, milestone_missed, report_missing, manual
    pub rule: String,
    pub due: Option<String>,
    pub days_left: Option<i64>,
    pub expected: Option<f64>,
    pub actual: Option<f64>,
    pub points: Option<f64>,
    pub since: Option<String>,
    pub reason: Option<String>,
}

impl ReasonLine {
    fn from_json(v: &serde_json::Value) -> Option<ReasonLine> {
        let light = v.get(0)?.as_str()?.to_string();
        let r = v.get(1)?;
        let s = |k: &str| r.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let f = |k: &str| r.get(k).and_then(|x| x.as_f64());
        Some(ReasonLine {
            light,
            rule: s("rule")?,
            due: s("due"),
            days_left: r.get("days_left").and_then(|x| x.as_i64()),
            expected: f("expected"),
            actual: f("actual"),
            points: f("points"),
            since: s("since"),
            reason: s("reason"),
        })
    }
}

/// The reasons stored with a light, in order.
pub fn reasons(json: &str) -> Vec<ReasonLine> {
    serde_json::from_str::<Vec<serde_json::Value>>(json)
        .unwrap_or_default()
        .iter()
        .filter_map(ReasonLine::from_json)
        .collect()
}

/// The task's accepted figures beside a report not accepted yet, so its reviewers see what
/// each figure would change (`None` once accepted: the task then holds the report's own).
#[derive(Debug, Clone, Serialize)]
pub struct AcceptedBeside {
    /// 已采纳 完成比例.
    pub percent: f64,
    /// Accepted actual per indicator position, in the task's order.
    pub actuals: Vec<Option<f64>>,
    /// The report's percentage is below the accepted one (it carries a `lower_reason`).
    pub lower: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    #[serde(flatten)]
    pub report: Report,
    pub accepted: Option<AcceptedBeside>,
    pub events: Vec<ReportEvent>,
    /// Evidence files (photos with thumbnails, documents).
    pub attachments: Vec<crate::service::attachments::AttachmentView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskProgress {
    pub light: String,
    pub light_on: Option<String>,
    pub progress: f64,
    pub expected: f64,
    pub reasons: Vec<ReasonLine>,
    pub forecast_on: Option<String>,
    pub forecast_late: bool,
    pub manual_light: Option<String>,
    pub manual_reason: Option<String>,
    /// 时间过半、任务过半: not_yet, met, missed.
    pub half_year: HalfYear,
    pub history: Vec<HistoryRow>,
    pub reports: Vec<Report>,
    pub can_report: bool,
    pub can_approve: bool,
    pub can_accept: bool,
}

/// The progress of a task the reader has already been allowed to see.
pub async fn task_progress(
    tx: &mut Tx,
    state: &AppState,
    actor: &Actor,
    task: &Task,
) -> Result<TaskProgress, AppError> {
    let stored = store::stored_light(tx, task.id).await?;
    let history = store::history(tx, task.id).await?;
    let reports: Vec<Report> = reports::reports_of_task(tx, task.id)
        .await?
        .into_iter()
        .filter(|r| super::readable(actor, task, r.state))
        .collect();
    let object = task_object(task);
    let approved = task.state == duban_core::lists::state::TaskState::Approved;
    Ok(TaskProgress {
        light: stored.light,
        light_on: stored.light_on.map(|d| d.to_jiff().to_string()),
        progress: task.progress,
        expected: stored.expected,
        reasons: reasons(stored.reasons.as_deref().unwrap_or("[]")),
        forecast_on: stored.forecast_on.map(|d| d.to_jiff().to_string()),
        forecast_late: stored.forecast_late.unwrap_or(false),
        manual_light: stored.manual_light,
        manual_reason: stored.manual_reason.filter(|r| !r.is_empty()),
        half_year: half_year(task.fields.year, task.progress, state.today()),
        history,
        reports,
        can_report: approved && decide(actor, Action::ReportProgress, object).is_ok(),
        can_approve: decide(actor, Action::ApproveReport, object).is_ok(),
        can_accept: decide(actor, Action::AcceptReport, Object::City).is_ok(),
    })
}

/// A task's progress, loading the task with the reader's rights.
pub async fn load(
    state: &AppState,
    actor: &Actor,
    id: duban_core::lists::TaskId,
) -> Result<TaskProgress, AppError> {
    let mut tx = state.store.begin_read().await?;
    let task = crate::service::lists::load_visible(&mut tx, actor, id).await?;
    task_progress(&mut tx, state, actor, &task).await
}

/// One report with its timeline, for a reader who may see its task.
pub async fn report(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(ReportView, Task), AppError> {
    let mut tx = state.store.begin_read().await?;
    let (report, task) = super::load_report(&mut tx, actor, id).await?;
    let events = reports::report_events(&mut tx, report.id).await?;
    let attachments = crate::service::attachments::list_for(
        &mut tx,
        duban_core::attachments::LinkedTo::Report,
        report.id,
    )
    .await?;
    let accepted = (report.state != ReportState::Accepted).then(|| AcceptedBeside {
        percent: task.progress,
        actuals: task.actuals.clone(),
        lower: lowers(task.progress, report.fields.percent),
    });
    Ok((
        ReportView {
            report,
            accepted,
            events,
            attachments,
        },
        task,
    ))
}
