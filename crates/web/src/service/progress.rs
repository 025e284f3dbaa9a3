//! Progress reports, shared by pages, the API and the sheet import: write and send this
//! period's report of a task (or "无变化" in one tap), the unit head's approval, the office's
//! acceptance or return, the office's manual light. Each step loads the task and its report,
//! asks the policy and the lifecycle (`core::progress::report`), and writes in one
//! transaction; an accepted report updates the task's progress, indicators and light.

pub mod dashboard;
pub mod lights;
pub mod queues;
pub mod remind;
pub mod rollup;
pub mod sheet;
pub mod tell;
pub mod view;

use super::audit;
use super::lists::{load_visible, task_object};
use crate::error::{AppError, FieldError};
use crate::state::AppState;
use duban_core::light::Light;
use duban_core::lists::TaskId;
use duban_core::lists::state::TaskState;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::progress::carry::{Carried, Figures, Pending, carry_over, lowers};
use duban_core::progress::counting::reports_figures;
use duban_core::progress::light::Reason;
use duban_core::progress::period::Period;
use duban_core::progress::report::{self as lifecycle, ReportCommand, ReportState};
use duban_core::progress::schedule::{Pace, expected_percent, pace};
use duban_core::role::Role;
use duban_store::Tx;
use duban_store::lists::Task;
use duban_store::progress::rollup as rollup_store;
use duban_store::progress::{self as store, NewReport, Report, ReportFields, Step, Tally};
use serde::Deserialize;

/// Percentage points either side of 序时进度 that still count as 达进度.
pub const PACE_TOLERANCE: f64 = 5.0;
/// The longest text a report field takes.
pub const MAX_TEXT: usize = 2000;

/// A report as typed into the form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ReportInput {
    /// 完成比例, 0–100 (required unless `no_change`).
    #[serde(default)]
    pub percent: Option<f64>,
    /// 无变化: send the task's figures as they stand — its accepted progress and indicator
    /// actuals, or those of a newer report still under review — whatever `percent` and
    /// `values` say.
    #[serde(default)]
    pub no_change: bool,
    #[serde(default)]
    pub progress_text: String,
    #[serde(default)]
    pub problems: String,
    #[serde(default)]
    pub next_steps: String,
    /// 需市领导协调事项
    #[serde(default)]
    pub coordination: String,
    /// The actual value of each indicator, in the task's order (`null` for none).
    #[serde(default)]
    pub values: Vec<Option<f64>>,
    /// 进度下调说明: required to send a percentage below the task's accepted one.
    #[serde(default)]
    pub lower_reason: String,
    /// `send` (default) or `save` (a draft).
    #[serde(default)]
    pub action: String,
    /// Evidence uploaded first with `POST /api/v1/attachments` (the caller's own uploads).
    #[serde(default)]
    pub attachment_ids: Vec<i64>,
}

/// A task and where its report for this period stands.
pub struct Reportable {
    pub task: Task,
    pub period: Period,
    pub due_on: jiff::civil::Date,
    pub current: Option<Report>,
    /// What "无变化" sends and a new report starts from (`core::progress::carry`).
    pub carried: Carried,
    pub expected: Option<f64>,
    /// The task has approved sub-tasks: its figures are rolled up from them, and its report
    /// carries text only.
    pub rolled_up: bool,
}

/// The figures a task holds now: set only by accepting reports (or by the list).
pub fn accepted_figures(task: &Task) -> Figures {
    Figures {
        percent: task.progress,
        actuals: task.actuals.clone(),
    }
}

/// The carry-over rule applied to a task, its last accepted report and a pending one.
pub fn carried(task: &Task, previous: Option<&Report>, pending: Option<&Report>) -> Carried {
    let through = previous
        .and_then(|p| Period::parse(&p.period))
        .map(|p| p.end);
    let pending = pending.and_then(|p| {
        Period::parse(&p.period).map(|period| Pending {
            period: &p.period,
            ends: period.end,
            percent: p.fields.percent,
            values: &p.fields.values,
        })
    });
    carry_over(&accepted_figures(task), through, pending)
}

fn invalid(field: &'static str, code: &'static str) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, code)])
}

/// Loads a task the actor may report on, with this period's report and what a new one
/// carries (the accepted figures, or those of a newer report still under review).
pub async fn reportable(
    tx: &mut Tx,
    state: &AppState,
    actor: &Actor,
    id: TaskId,
) -> Result<Reportable, AppError> {
    let task = load_visible(tx, actor, id).await?;
    decide(actor, Action::ReportProgress, task_object(&task))?;
    if task.state != TaskState::Approved {
        return Err(invalid("task", "not_approved"));
    }
    let today = state.today();
    let plan = lights::plan(tx, task.fields.year).await?;
    let cadence = task.fields.due.cadence().unwrap_or(plan.cadence);
    let period = Period::containing(cadence, today);
    let due_on = period.due(plan.report_day);
    let current = store::find_report(tx, id, &period.key()).await?;
    let previous = store::last_accepted(tx, id).await?;
    let pending = store::latest_pending(tx, id, &period.key()).await?;
    let carried = carried(&task, previous.as_ref(), pending.as_ref());
    let start = lights::year_start(i64::from(task.fields.year));
    let expected = task
        .fields
        .due
        .date()
        .map(|d| expected_percent(start, d, today));
    let rolled_up = !reports_figures(rollup_store::children(tx, id).await?.len());
    Ok(Reportable {
        task,
        period,
        due_on,
        current,
        carried,
        expected,
        rolled_up,
    })
}

/// Whether the actor may report on this task at all (asked before a form's body is read).
pub async fn may_report(state: &AppState, actor: &Actor, id: TaskId) -> Result<(), AppError> {
    let mut tx = state.store.begin_read().await?;
    let task = load_visible(&mut tx, actor, id).await?;
    decide(actor, Action::ReportProgress, task_object(&task))?;
    Ok(())
}

/// Checks the input into the fields a report stores. "无变化" takes the `carried` figures, never
/// the typed ones; so does a task whose figures are `rolled_up` from its sub-tasks, whatever
/// was typed; a report sent with a percentage below the `accepted` one needs `lower_reason`.
pub fn validate(
    input: &ReportInput,
    indicators: usize,
    carried: &Carried,
    accepted: f64,
    sending: bool,
    rolled_up: bool,
) -> Result<ReportFields, AppError> {
    let mut problems = Vec::new();
    let text = |raw: &str, field: &'static str, problems: &mut Vec<FieldError>| {
        let t = raw.trim().to_string();
        if t.chars().count() > MAX_TEXT {
            problems.push(FieldError::new(field, "too_long"));
        }
        t
    };
    let progress_text = text(&input.progress_text, "progress_text", &mut problems);
    let problems_text = text(&input.problems, "problems", &mut problems);
    let next_steps = text(&input.next_steps, "next_steps", &mut problems);
    let coordination = text(&input.coordination, "coordination", &mut problems);
    let lower_reason = text(&input.lower_reason, "lower_reason", &mut problems);
    let (percent, values) = if input.no_change || rolled_up {
        (carried.figures.percent, carried.figures.values())
    } else {
        let percent = match input.percent {
            Some(p) if p.is_finite() && (0.0..=100.0).contains(&p) => p,
            Some(_) => {
                problems.push(FieldError::new("percent", "out_of_range"));
                0.0
            }
            None => {
                problems.push(FieldError::new("percent", "required"));
                0.0
            }
        };
        if input.values.len() > indicators {
            problems.push(FieldError::new("values", "too_many"));
        }
        let mut values = Vec::new();
        for (i, v) in input.values.iter().enumerate() {
            match v {
                Some(v) if v.is_finite() && *v >= 0.0 => values.push((i as i64, *v)),
                Some(_) => problems.push(FieldError::new("values", "bad_number")),
                None => {}
            }
        }
        (percent, values)
    };
    let lower = lowers(accepted, percent);
    if sending && lower && lower_reason.is_empty() {
        problems.push(FieldError::new("lower_reason", "required"));
    }
    // A reason is kept only where the percentage is lower, so reviewers never read a stale one.
    let lower_reason = if lower { lower_reason } else { String::new() };
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    Ok(ReportFields {
        percent,
        no_change: input.no_change,
        progress_text,
        problems: problems_text,
        next_steps,
        coordination,
        values,
        lower_reason,
    })
}

fn pace_str(p: Pace) -> &'static str {
    match p {
        Pace::Behind => "behind",
        Pace::OnPace => "on_pace",
        Pace::Ahead => "ahead",
        Pace::Done => "done",
    }
}

/// Saves or sends this period's report of a task; returns the report's id and its new state.
pub async fn submit(
    state: &AppState,
    actor: &Actor,
    id: TaskId,
    input: &ReportInput,
) -> Result<(i64, ReportState), AppError> {
    let mut tx = state.store.begin_write().await?;
    let r = submit_in(&mut tx, state, actor, id, input).await?;
    tx.commit().await?;
    Ok(r)
}

/// [`submit`] inside the caller's transaction (the form with attachments, the sheet import).
pub async fn submit_in(
    tx: &mut Tx,
    state: &AppState,
    actor: &Actor,
    id: TaskId,
    input: &ReportInput,
) -> Result<(i64, ReportState), AppError> {
    let r = reportable(tx, state, actor, id).await?;
    let by_head = actor.role == Some(Role::UnitHead);
    let command = match input.action.trim() {
        "save" => ReportCommand::Save,
        "" | "send" => ReportCommand::Send { by_head },
        _ => return Err(invalid("action", "bad_choice")),
    };
    let fields = validate(
        input,
        r.task.fields.indicators.len(),
        &r.carried,
        r.task.progress,
        command != ReportCommand::Save,
        r.rolled_up,
    )?;
    let before = r.current.as_ref().map(|c| c.state);
    let after = lifecycle::apply(before, command).map_err(|_| invalid("state", "wrong_state"))?;
    let sending = command != ReportCommand::Save;
    let pace = r
        .expected
        .map(|e| pace_str(pace(fields.percent, e, PACE_TOLERANCE)))
        .filter(|_| sending);
    let new = NewReport {
        task: id,
        unit: r.task.fields.lead_unit_id,
        period: r.period.key(),
        due_on: r.due_on,
    };
    let step = Step {
        report: r.current.as_ref().map(|c| c.id),
        new: Some(&new),
        before,
        after,
        fields: Some(&fields),
        kind: if sending { "sent" } else { "saved" },
        comment: "",
        pace,
        sent: sending,
        approved: after == ReportState::Submitted && by_head,
        decided: false,
        on_time: None,
    };
    let audit = audit(state, actor);
    let report = store::write(tx, &audit, &step).await?;
    if sending {
        let late = !lifecycle::on_time(state.today(), r.due_on);
        store::mark_sent_late(tx, report, late).await?;
    }
    tell::arrived(state, tx, &audit, &r.task, after).await?;
    for id_ in &input.attachment_ids {
        use crate::service::attachments::{self as files_svc, Link};
        let (a, name) = files_svc::load_linkable(tx, actor, *id_).await?;
        let link = Link {
            object_type: duban_core::attachments::LinkedTo::Report,
            object_id: report,
            task_id: Some(id),
            case_id: None,
            file_name: name,
        };
        files_svc::link(tx, &audit, a.id, link).await?;
    }
    Ok((report, after))
}

/// A review of a sent report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// The unit head lets it go to the office.
    Approve,
    /// The unit head sends it back to its author.
    SendBack,
    /// The office accepts it: it counts.
    Accept,
    /// The office returns it (退回).
    Return,
}

impl Review {
    pub fn parse(s: &str) -> Option<Review> {
        match s {
            "approve" => Some(Review::Approve),
            "send_back" => Some(Review::SendBack),
            "accept" => Some(Review::Accept),
            "return" => Some(Review::Return),
            _ => None,
        }
    }
}

/// Loads a report and its task, if the actor may read the report (`ViewReport`).
pub async fn load_report(tx: &mut Tx, actor: &Actor, id: i64) -> Result<(Report, Task), AppError> {
    let report = store::get_report(tx, id).await?.ok_or(AppError::NotFound)?;
    let task = load_visible(tx, actor, report.task_id).await?;
    let object = task_object(&task);
    decide(
        actor,
        Action::ViewReport,
        report_object(&object, report.state),
    )?;
    Ok((report, task))
}

/// A report as the policy sees it: its task (a [`task_object`]) and its state.
pub fn report_object<'a>(task: &'a Object<'a>, state: ReportState) -> Object<'a> {
    Object::Report { task, state }
}

/// Whether the actor may read a report of this task in this state (`ViewReport`): one still
/// inside its unit only by those who write or approve it; once sent out, by every reader of
/// the task.
pub fn readable(actor: &Actor, task: &Task, state: ReportState) -> bool {
    let object = task_object(task);
    decide(actor, Action::ViewReport, report_object(&object, state)).is_ok()
}

/// Approves, sends back, accepts or returns a report; a send-back or return needs a comment.
pub async fn review(
    state: &AppState,
    actor: &Actor,
    id: i64,
    review: Review,
    comment: &str,
) -> Result<ReportState, AppError> {
    let mut tx = state.store.begin_write().await?;
    let after = review_in(&mut tx, state, actor, id, review, comment).await?;
    tx.commit().await?;
    Ok(after)
}

/// The most reports one batch review takes.
pub const MAX_BATCH: usize = 500;

/// Approves or accepts several reports in one step: each gets its own event and ledger entry,
/// all in one transaction. A report that cannot take the step refuses the whole batch, named
/// in the error ([`AppError::InBatch`]), and nothing is written.
pub async fn review_many(
    state: &AppState,
    actor: &Actor,
    ids: &[i64],
    review: Review,
    comment: &str,
) -> Result<usize, AppError> {
    decide(actor, Action::ViewTasks, Object::City)?;
    if ids.is_empty() {
        return Err(invalid("reports", "required"));
    }
    if ids.len() > MAX_BATCH {
        return Err(invalid("reports", "too_many"));
    }
    let mut seen = std::collections::HashSet::new();
    let mut tx = state.store.begin_write().await?;
    for id in ids {
        if !seen.insert(*id) {
            continue;
        }
        review_in(&mut tx, state, actor, *id, review, comment)
            .await
            .map_err(|e| AppError::InBatch {
                report: *id,
                inner: Box::new(e),
            })?;
    }
    tx.commit().await?;
    Ok(seen.len())
}

/// [`review`] inside the caller's transaction.
async fn review_in(
    tx: &mut Tx,
    state: &AppState,
    actor: &Actor,
    id: i64,
    review: Review,
    comment: &str,
) -> Result<ReportState, AppError> {
    let (report, task) = load_report(tx, actor, id).await?;
    let (action, command, kind) = match review {
        Review::Approve => (Action::ApproveReport, ReportCommand::Approve, "approved"),
        Review::SendBack => (Action::ApproveReport, ReportCommand::SendBack, "sent_back"),
        Review::Accept => (Action::AcceptReport, ReportCommand::Accept, "accepted"),
        Review::Return => (Action::AcceptReport, ReportCommand::Return, "returned"),
    };
    decide(actor, action, task_object(&task))?;
    let comment = comment.trim();
    if matches!(review, Review::SendBack | Review::Return) && comment.is_empty() {
        return Err(invalid("comment", "required"));
    }
    if comment.chars().count() > MAX_TEXT {
        return Err(invalid("comment", "too_long"));
    }
    let after = lifecycle::apply(Some(report.state), command)
        .map_err(|_| invalid("state", "wrong_state"))?;
    let audit = audit(state, actor);
    let today = state.today();
    let on_time = (review == Review::Accept).then(|| {
        let sent = report
            .sent_at
            .map_or(today, |t| t.to_zoned(state.config.timezone.clone()).date());
        lifecycle::on_time(sent, report.due_on)
    });
    let step = Step {
        report: Some(report.id),
        new: None,
        before: Some(report.state),
        after,
        fields: None,
        kind,
        comment,
        pace: None,
        sent: false,
        approved: review == Review::Approve,
        decided: matches!(review, Review::Accept | Review::Return),
        on_time,
    };
    store::write(tx, &audit, &step).await?;
    tell::arrived(state, tx, &audit, &task, after).await?;
    tell::decided(state, tx, &audit, &report, &task, after, comment).await?;
    let year = task.fields.year;
    let unit = task.fields.lead_unit_id;
    match (review, on_time) {
        (Review::Accept, Some(on_time)) => {
            // A task with sub-tasks keeps the figures rolled up from them; its own report
            // carries text only (core::progress::counting).
            if rollup_store::children(tx, task.id).await?.is_empty() {
                store::apply_accepted(tx, task.id, &report.fields, audit.at).await?;
            }
            let tally = if on_time { Tally::OnTime } else { Tally::Late };
            store::tally(tx, year, unit, tally, 1).await?;
            let assessment = lights::refresh_task(tx, task.id, today, audit.at).await?;
            let lag = assessment.reasons.iter().find_map(|(_, r)| match r {
                Reason::Lagging { points, .. } => Some(*points),
                _ => None,
            });
            let rules = store::light_rules(tx, year).await?;
            lights::repair_history(tx, &audit, task.id, lag, &rules).await?;
            rollup::roll_up_ancestors(tx, task.id, today, audit.at).await?;
            crate::service::commitments::track_linked(tx, &audit, task.id).await?;
        }
        (Review::Return, _) => store::tally(tx, year, unit, Tally::Returned, 1).await?,
        _ => {}
    }
    Ok(after)
}

/// The office sets a task's light by hand with a reason, or clears it (`light: None`).
pub async fn set_light(
    state: &AppState,
    actor: &Actor,
    id: TaskId,
    light: Option<Light>,
    reason: &str,
) -> Result<(), AppError> {
    let mut tx = state.store.begin_write().await?;
    let task = load_visible(&mut tx, actor, id).await?;
    decide(actor, Action::AcceptReport, Object::City)?;
    let reason = reason.trim();
    if light.is_some() && reason.is_empty() {
        return Err(invalid("reason", "required"));
    }
    if reason.chars().count() > MAX_TEXT {
        return Err(invalid("reason", "too_long"));
    }
    let audit = audit(state, actor);
    duban_store::progress::lights::set_manual(&mut tx, &audit, task.id, light, reason).await?;
    lights::refresh_task(&mut tx, task.id, state.today(), audit.at).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a year's light rules (and, when given, its report reminders) and recomputes that
/// year's lights with them.
pub async fn save_light_rules(
    state: &AppState,
    actor: &Actor,
    year: i16,
    rules: &duban_core::progress::light::LightRules,
    reminders: Option<&duban_core::progress::remind::Reminders>,
) -> Result<(), AppError> {
    decide(actor, Action::ManagePlan, Object::City)?;
    let ok = (0..=60).contains(&rules.due_soon_days)
        && rules.yellow_lag_points.is_finite()
        && rules.red_lag_points.is_finite()
        && 0.0 < rules.yellow_lag_points
        && rules.yellow_lag_points < rules.red_lag_points
        && rules.red_lag_points <= 100.0;
    if !ok {
        return Err(invalid("red_lag_points", "bad_thresholds"));
    }
    if reminders.is_some_and(|r| !r.valid()) {
        return Err(invalid("remind_days_before", "out_of_range"));
    }
    let mut tx = state.store.begin_write().await?;
    let audit = audit(state, actor);
    store::save_light_rules(&mut tx, &audit, year, rules).await?;
    if let Some(r) = reminders {
        store::remind::save_reminders(&mut tx, &audit, year, r).await?;
    }
    lights::refresh_year(&mut tx, year, state.today(), audit.at).await?;
    tx.commit().await?;
    Ok(())
}

/// [`submit`] with evidence files from the form, in one transaction: the report is written
/// and each file stored and linked to it, or nothing is.
pub async fn submit_with_files(
    state: &AppState,
    actor: &Actor,
    id: TaskId,
    input: &ReportInput,
    files: &[(String, Vec<u8>)],
) -> Result<(i64, ReportState), AppError> {
    let mut tx = state.store.begin_write().await?;
    let r = submit_in(&mut tx, state, actor, id, input).await?;
    attach(&mut tx, state, actor, id, r.0, files).await?;
    tx.commit().await?;
    Ok(r)
}

/// Stores each evidence file and links it to the report, guarded by the task's policy.
async fn attach(
    tx: &mut Tx,
    state: &AppState,
    actor: &Actor,
    task: TaskId,
    report: i64,
    files: &[(String, Vec<u8>)],
) -> Result<(), AppError> {
    use crate::service::attachments::{self as files_svc, Link};
    let limits = state.config.attachments;
    if let Some((name, _)) = files.get(limits.max_files) {
        return Err(files_svc::too_many(name, limits.max_files));
    }
    let audit = audit(state, actor);
    for (name, bytes) in files {
        let saved = files_svc::save_upload(state, tx, actor, &audit, name, bytes).await?;
        let link = Link {
            object_type: duban_core::attachments::LinkedTo::Report,
            object_id: report,
            task_id: Some(task),
            case_id: None,
            file_name: saved.file_name.clone(),
        };
        files_svc::link(tx, &audit, saved.id, link).await?;
    }
    Ok(())
}
