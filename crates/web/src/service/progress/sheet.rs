//! The monthly progress sheet (月度进展报送表, DOMAIN §4.2). A unit downloads it pre-filled
//! with the tasks it reports on this period, fills it in (or sends its own sheet in the same
//! layout) and uploads it. The preview runs every row through the same submit as the form,
//! inside a transaction that is then rolled back, and names each row's problems; the upload is
//! kept so the commit re-plans exactly what was previewed and sends all rows or none.

use super::{ReportInput, queues, submit_in};
use crate::error::{AppError, FieldError};
use crate::i18n::Lang;
use crate::service::lists::import::sheet_error;
use crate::service::lists::load_visible;
use crate::state::AppState;
use duban_core::lists::TaskId;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_docs::progress::{
    ProgressSheetRow, indicator_actuals, read_progress_sheet_within, write_progress_sheet,
};
use duban_store::Tx;
use serde::Serialize;
use std::collections::HashSet;

/// The largest upload read.
pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;
/// Marks progress-sheet uploads in `import_uploads`.
const UPLOAD_KIND: &str = "progress";

/// The sheet pre-filled with the tasks the actor reports on this period (task code = id).
pub async fn export(state: &AppState, actor: &Actor) -> Result<Vec<u8>, AppError> {
    let q = queues::queues(state, actor, &queues::QueueQuery::default()).await?;
    let rows: Vec<ProgressSheetRow> = q
        .due
        .iter()
        .filter(|t| {
            t.report_state
                .as_deref()
                .is_none_or(|s| s == "draft" || s == "returned")
        })
        .enumerate()
        .map(|(i, t)| ProgressSheetRow {
            seq: (i + 1).to_string(),
            task_code: t.id.to_string(),
            task_name: format!("{} {}", t.path, t.title),
            lead_unit: t.lead_unit_name.clone(),
            ..ProgressSheetRow::default()
        })
        .collect();
    let title = format!("{}年重点工作进展报送表", state.today().year());
    write_progress_sheet(&title, &q.period_label, &rows)
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// What one row of the sheet will send.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedRow {
    pub row: u32,
    pub task_id: Option<i64>,
    pub task: String,
    pub percent: Option<f64>,
    /// 本期无变化: the row sends the task's figures as they stand.
    pub no_change: bool,
    /// Left as downloaded: the row is not sent (and has no problems).
    pub skipped: bool,
    /// Every problem of the row, in Chinese and English.
    pub problems: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportPlan {
    pub upload_id: i64,
    pub file_name: String,
    pub period: Option<String>,
    pub rows: Vec<PlannedRow>,
}

impl ImportPlan {
    pub fn problem_count(&self) -> usize {
        self.rows.iter().map(|r| r.problems.len()).sum()
    }

    /// How many rows the commit sends (those not left as downloaded).
    pub fn sent_count(&self) -> usize {
        self.rows.iter().filter(|r| !r.skipped).count()
    }
}

/// A refusal of a row's submit, in both languages.
fn refusal(state: &AppState, e: &AppError) -> Vec<(String, String)> {
    let both = |key: &str| {
        (
            state.catalogs.get(Lang::Zh).get(key).to_string(),
            state.catalogs.get(Lang::En).get(key).to_string(),
        )
    };
    match e {
        AppError::Invalid(fields) => fields
            .iter()
            .map(|f: &FieldError| {
                let (fz, fe) = both(&format!("field.{}", f.field));
                let (cz, ce) = both(&format!("err.{}", f.code));
                (format!("{fz}：{cz}"), format!("{fe}: {ce}"))
            })
            .collect(),
        _ => vec![both("progress.not_yours")],
    }
}

/// Plans every row by sending it in `tx` (which the caller rolls back for a preview).
async fn plan(
    tx: &mut Tx,
    state: &AppState,
    actor: &Actor,
    upload_id: i64,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportPlan, AppError> {
    let sheet = read_progress_sheet_within(bytes, state.today().year(), &state.config.sheets)
        .map_err(sheet_error)?;
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for r in &sheet.rows {
        let p = &r.parsed;
        if r.untouched {
            rows.push(PlannedRow {
                row: r.row,
                task_id: p.task_code.trim().parse::<i64>().ok(),
                task: p.task_name.clone(),
                percent: None,
                no_change: false,
                skipped: true,
                problems: Vec::new(),
            });
            continue;
        }
        let mut problems: Vec<(String, String)> =
            r.problems.iter().map(|x| (x.zh(), x.to_string())).collect();
        let task_id = p.task_code.trim().parse::<i64>().ok();
        match task_id {
            None => problems.push((
                format!(
                    "第{}行：任务编号“{}”不是本系统的任务编号",
                    r.row, p.task_code
                ),
                format!(
                    "row {}: task code “{}” is not a task of this system",
                    r.row, p.task_code
                ),
            )),
            Some(id) if !seen.insert(id) => problems.push((
                format!("第{}行：任务编号{id}重复", r.row),
                format!("row {}: task {id} appears twice", r.row),
            )),
            Some(_) => {}
        }
        if let (Some(id), true) = (task_id, problems.is_empty()) {
            // 累计完成 gives the indicators' actuals it states (a task the actor may not see
            // is refused by the submit below, with the same words as the form).
            let values = match load_visible(tx, actor, TaskId(id)).await {
                Ok(task) if !p.no_change => {
                    indicator_actuals(&task.fields.indicators, &p.cumulative)
                }
                _ => Vec::new(),
            };
            let input = ReportInput {
                percent: p.percent,
                no_change: p.no_change,
                values,
                lower_reason: p.lower_reason.clone(),
                progress_text: [p.progress.trim(), p.cumulative.trim()]
                    .iter()
                    .filter(|t| !t.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join("；"),
                problems: p.issues.clone(),
                next_steps: p.next_steps.clone(),
                coordination: p.coordination.clone(),
                action: "send".into(),
                ..ReportInput::default()
            };
            if let Err(e) = submit_in(tx, state, actor, TaskId(id), &input).await {
                if !matches!(
                    e,
                    AppError::Invalid(_) | AppError::Forbidden(_) | AppError::NotFound
                ) {
                    return Err(e);
                }
                problems.extend(
                    refusal(state, &e).into_iter().map(|(z, e)| {
                        (format!("第{}行：{z}", r.row), format!("row {}: {e}", r.row))
                    }),
                );
            }
        }
        rows.push(PlannedRow {
            row: r.row,
            task_id,
            task: p.task_name.clone(),
            percent: p.percent,
            no_change: p.no_change,
            skipped: false,
            problems,
        });
    }
    Ok(ImportPlan {
        upload_id,
        file_name: file_name.to_string(),
        period: sheet.period_label,
        rows,
    })
}

/// Keeps the upload and plans it; no report is written.
pub async fn preview(
    state: &AppState,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportPlan, AppError> {
    decide(actor, Action::ViewTasks, Object::City)?;
    decide(actor, Action::UploadFile, Object::City)?;
    if bytes.len() > MAX_UPLOAD {
        return Err(AppError::TooLarge);
    }
    // A broken file is refused before it is kept.
    read_progress_sheet_within(bytes, state.today().year(), &state.config.sheets)
        .map_err(sheet_error)?;
    let mut tx = state.store.begin_write().await?;
    let id = duban_store::imports::insert_upload(
        &mut tx,
        actor.user,
        file_name,
        bytes,
        state.today().year(),
        Some(UPLOAD_KIND),
        state.now(),
    )
    .await?;
    tx.commit().await?;
    // The dry run: every row sent, then rolled back.
    let mut dry = state.store.begin_write().await?;
    let plan = plan(&mut dry, state, actor, id, file_name, bytes).await?;
    drop(dry);
    Ok(plan)
}

/// Re-plans the kept upload and, if no row has a problem, sends every row not left as
/// downloaded — in one transaction. Returns how many reports were sent.
pub async fn commit(state: &AppState, actor: &Actor, upload_id: i64) -> Result<usize, AppError> {
    decide(actor, Action::ViewTasks, Object::City)?;
    decide(actor, Action::UploadFile, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    let upload = duban_store::imports::get_upload(&mut tx, upload_id).await?;
    if upload.user_id != actor.user.map(|u| u.0) || upload.list_kind.as_deref() != Some(UPLOAD_KIND)
    {
        return Err(AppError::NotFound);
    }
    if upload.committed {
        return Err(AppError::Invalid(vec![FieldError::new(
            "upload",
            "already_committed",
        )]));
    }
    let plan = plan(
        &mut tx,
        state,
        actor,
        upload_id,
        &upload.file_name,
        &upload.content,
    )
    .await?;
    if plan.problem_count() > 0 {
        return Err(AppError::Invalid(vec![FieldError::new(
            "upload",
            "has_problems",
        )]));
    }
    duban_store::imports::mark_committed(&mut tx, upload_id).await?;
    tx.commit().await?;
    Ok(plan.sent_count())
}

/// The 月度进展汇总表 of `period` (the current period of the year's cadence when `None`): the
/// whole city's reports that have left their units for the office, admins and top leaders;
/// for everyone else the reports of their own units (drafts included, which they may read).
/// State words come from `state_label` (the reader's language).
pub async fn summary(
    state: &AppState,
    actor: &Actor,
    period: Option<&str>,
    state_label: impl Fn(&str) -> String,
) -> Result<Vec<u8>, AppError> {
    use duban_core::progress::period::Period;
    use duban_docs::progress::SummarySheetRow;
    use duban_store::progress::summary::period_reports;
    decide(actor, Action::ViewDashboard, Object::City)?;
    let today = state.today();
    let mut tx = state.store.begin_read().await?;
    let plan = super::lights::plan(&mut tx, today.year()).await?;
    let period = match period.map(str::trim).filter(|p| !p.is_empty()) {
        Some(key) => Period::parse(key)
            .ok_or_else(|| AppError::Invalid(vec![FieldError::new("period", "bad_choice")]))?,
        None => Period::containing(plan.cadence, today),
    };
    let key = period.key();
    let year = key
        .get(..4)
        .and_then(|y| y.parse::<i16>().ok())
        .unwrap_or(today.year());
    let whole_city = actor.role.is_some_and(|r| r.sees_whole_city());
    let own: Vec<duban_core::org::UnitId> = actor.scope.units.iter().copied().collect();
    let (units, states): (Option<&[_]>, &[&str]) = if whole_city {
        (None, &["submitted", "accepted", "returned"])
    } else {
        (
            Some(&own),
            &["draft", "unit_review", "submitted", "accepted", "returned"],
        )
    };
    let (reports, values) = period_reports(&mut tx, year, &key, units, states).await?;
    let rows: Vec<SummarySheetRow> = reports
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let actuals: Vec<String> = values
                .iter()
                .filter(|v| v.report_id == r.id)
                .map(|v| {
                    let n = duban_docs::lists::format_number(v.value);
                    format!("{}：{n}{}", v.name, v.unit)
                })
                .collect();
            SummarySheetRow {
                report: ProgressSheetRow {
                    seq: (i + 1).to_string(),
                    task_code: r.task_id.to_string(),
                    task_name: format!("{} {}", r.path, r.title),
                    lead_unit: r.unit_name.clone(),
                    progress: r.progress_text.clone(),
                    cumulative: actuals.join("\n"),
                    percent: Some(r.percent),
                    no_change: r.no_change,
                    lower_reason: r.lower_reason.clone(),
                    pace: r.pace.as_deref().and_then(pace_of),
                    issues: r.problems.clone(),
                    next_steps: r.next_steps.clone(),
                    coordination: r.coordination.clone(),
                    ..ProgressSheetRow::default()
                },
                previous: r.previous,
                state: state_label(&r.state),
            }
        })
        .collect();
    let title = format!("{year}年重点工作月度进展汇总表");
    duban_docs::progress::write_progress_summary(&title, &key, &rows)
        .map_err(|e| AppError::Internal(e.to_string()))
}

fn pace_of(stored: &str) -> Option<duban_core::progress::schedule::Pace> {
    use duban_core::progress::schedule::Pace;
    match stored {
        "behind" => Some(Pace::Behind),
        "on_pace" => Some(Pace::OnPace),
        "ahead" => Some(Pace::Ahead),
        "done" => Some(Pace::Done),
        _ => None,
    }
}
