//! The problem list (问题清单 / 整改销号表, DOMAIN §4.4) as a spreadsheet: export of any
//! filtered case list, and import with preview-then-commit. An import makes one assigned case
//! per row; it is planned fully before anything is written, the upload is kept so the commit
//! re-plans exactly what was previewed, and the commit writes all rows or none.

use super::steps;
use super::view::{CaseListQuery, sheet_status, source_zh};
use crate::error::{AppError, FieldError};
use crate::service::lists::import::sheet_error;
use crate::service::{Problems, audit};
use crate::state::AppState;
use duban_core::cases::CaseId;
use duban_core::cases::facts::{CaseKind, Source, Urgency};
use duban_core::cases::state::CaseState;
use duban_core::lists::names::Resolved;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_docs::cases::{
    ProblemRow, ProblemStatus, read_problem_list_within, write_problem_list_xlsx,
};
use duban_store::cases::CaseFacts;
use duban_store::cases::browse;
use serde::Serialize;

/// The most rows one export writes.
const EXPORT_LIMIT: i64 = 20_000;
/// The largest upload read.
pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;
/// Marks case uploads in `import_uploads`.
const UPLOAD_KIND: &str = "cases";

/// Exports the cases matching `q` (all pages) as the problem-list sheet.
pub async fn export_xlsx(
    state: &AppState,
    actor: &Actor,
    q: &CaseListQuery,
) -> Result<Vec<u8>, AppError> {
    decide(actor, Action::ViewCases, Object::City)?;
    let today = state.today();
    let mut tx = state.store.begin_read().await?;
    let mut filter = q.to_filter(actor, today, today)?;
    filter.limit = EXPORT_LIMIT;
    filter.offset = 0;
    let (rows, _) = browse::list_cases(&mut tx, &filter).await?;
    let sheet: Vec<ProblemRow> = rows
        .iter()
        .map(|r| ProblemRow {
            code: duban_store::cases::code(i16::try_from(r.year).unwrap_or_default(), CaseId(r.id)),
            source: Source::parse(&r.source).map_or("", source_zh).to_string(),
            found_on: Some(r.found()),
            description: r.title.clone(),
            category: r.category.clone(),
            lead_unit: r.lead_unit_name.clone().unwrap_or_default(),
            co_units: r.co_unit_names(),
            leader: r.leader_name.clone().unwrap_or_default(),
            measures: r.measures.clone(),
            deadline: r.due().map(|d| d.to_string()).unwrap_or_default(),
            progress: r.progress_note.clone(),
            status: sheet_status(r.state().unwrap_or(CaseState::Registered)),
            evidence: r.evidence_note.clone(),
            verifier: r.verifier_name.clone().unwrap_or_default(),
            closed_on: r.closed(),
        })
        .collect();
    let title = format!("{}年问题清单（整改销号表）", q.year.unwrap_or(today.year()));
    write_problem_list_xlsx(&title, &sheet).map_err(|e| AppError::Internal(e.to_string()))
}

/// What a planned row will become.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedRow {
    pub row: u32,
    pub title: String,
    pub source: Source,
    pub lead_unit: String,
    pub lead_unit_id: Option<i64>,
    pub co_units: Vec<String>,
    pub deadline: String,
    /// Every problem of the row, in Chinese (the sheet's own language) and English.
    pub problems: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportPlan {
    pub upload_id: i64,
    pub file_name: String,
    pub title: Option<String>,
    pub rows: Vec<PlannedRow>,
}

impl ImportPlan {
    pub fn problem_count(&self) -> usize {
        self.rows.iter().map(|r| r.problems.len()).sum()
    }
}

/// Guesses the source from the sheet's free text (督查 is the usual origin of such lists).
pub fn source_of(text: &str) -> Source {
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if has(&["批示"]) {
        Source::Instruction
    } else if has(&["12345", "热线"]) {
        Source::Hotline
    } else if has(&["代表", "委员", "建议", "提案"]) {
        Source::Deputy
    } else if has(&["群众", "信访", "媒体", "曝光"]) {
        Source::Public
    } else if has(&["专班", "指挥部"]) {
        Source::TaskForce
    } else if has(&["会议", "例会", "会商"]) {
        Source::Meeting
    } else {
        Source::Inspection
    }
}

async fn plan(
    tx: &mut duban_store::Tx,
    state: &AppState,
    upload_id: i64,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportPlan, AppError> {
    let sheet = read_problem_list_within(bytes, &state.config.sheets).map_err(sheet_error)?;
    let names = crate::service::names::NameIndexes::load(tx).await?;
    let mut rows = Vec::new();
    for r in &sheet.rows {
        let mut problems: Vec<(String, String)> = r
            .problems
            .iter()
            .map(|p| (p.kind.zh(), p.kind.to_string()))
            .collect();
        let at = |col: &str| format!("第{}行{col}", r.row);
        let lead_unit_id = if r.parsed.lead_unit.is_empty() {
            None
        } else {
            match names.unit(&r.parsed.lead_unit) {
                Resolved::One(id) => Some(id),
                Resolved::NotFound => {
                    problems.push((
                        format!("{}：找不到单位“{}”", at("责任单位"), r.parsed.lead_unit),
                        format!("row {}: no unit is called “{}”", r.row, r.parsed.lead_unit),
                    ));
                    None
                }
                Resolved::Ambiguous(_) => {
                    problems.push((
                        format!("{}：“{}”对应多个单位", at("责任单位"), r.parsed.lead_unit),
                        format!(
                            "row {}: “{}” matches several units",
                            r.row, r.parsed.lead_unit
                        ),
                    ));
                    None
                }
            }
        };
        for co in &r.parsed.co_units {
            if !matches!(names.unit(co), Resolved::One(_)) {
                problems.push((
                    format!("{}：找不到单位“{co}”", at("配合单位")),
                    format!("row {}: no single unit is called “{co}”", r.row),
                ));
            }
        }
        if r.parsed.deadline.is_empty()
            && !r
                .problems
                .iter()
                .any(|p| matches!(p.kind, duban_docs::cases::RowProblemKind::BadDeadline(_)))
        {
            problems.push((
                format!("{}：缺少整改时限", at("整改时限")),
                format!("row {}: the deadline is missing", r.row),
            ));
        }
        if !matches!(
            r.parsed.status,
            ProblemStatus::NotStarted | ProblemStatus::InProgress
        ) {
            problems.push((
                format!(
                    "{}：只能导入未启动或整改中的问题，其余请在系统中办理",
                    at("状态")
                ),
                format!(
                    "row {}: only problems not started or in progress can be imported",
                    r.row
                ),
            ));
        }
        rows.push(PlannedRow {
            row: r.row,
            title: r.parsed.description.clone(),
            source: source_of(&r.parsed.source),
            lead_unit: r.parsed.lead_unit.clone(),
            lead_unit_id,
            co_units: r.parsed.co_units.clone(),
            deadline: r.parsed.deadline.clone(),
            problems,
        });
    }
    Ok(ImportPlan {
        upload_id,
        file_name: file_name.to_string(),
        title: sheet.title,
        rows,
    })
}

/// Keeps the upload and plans it; nothing else is written.
pub async fn preview(
    state: &AppState,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportPlan, AppError> {
    decide(actor, Action::ManageCase, Object::City)?;
    if bytes.len() > MAX_UPLOAD {
        return Err(AppError::TooLarge);
    }
    let mut tx = state.store.begin_write().await?;
    // Read first: a broken file is refused before it is kept.
    read_problem_list_within(bytes, &state.config.sheets).map_err(sheet_error)?;
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
    let plan = plan(&mut tx, state, id, file_name, bytes).await?;
    tx.commit().await?;
    Ok(plan)
}

/// Re-plans the kept upload and, if no row has a problem, makes one assigned case per row —
/// all in one transaction. Returns the new cases in row order.
pub async fn commit(
    state: &AppState,
    actor: &Actor,
    upload_id: i64,
) -> Result<Vec<CaseId>, AppError> {
    decide(actor, Action::ManageCase, Object::City)?;
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
    let audit = audit(state, actor);
    let today = state.today();
    let calendar = duban_store::calendar::load_calendar(&mut tx).await?;
    let settings = duban_store::cases::settings::get_settings(&mut tx, today.year()).await?;
    let mut ids = Vec::new();
    for row in &plan.rows {
        let step = steps::StepInput {
            step: "assign".into(),
            lead_unit_id: row.lead_unit_id,
            co_units: row.co_units.join("、"),
            deadline: row.deadline.clone(),
            ..steps::StepInput::default()
        };
        let mut p = Problems::default();
        let title = p.take("title", duban_core::org::parse_text(&row.title, 200));
        p.finish()?;
        let facts = CaseFacts {
            year: today.year(),
            kind: CaseKind::Problem,
            source: row.source,
            title: title.expect("checked"),
            content: String::new(),
            category: String::new(),
            urgency: Urgency::Normal,
            found_on: today,
            raised_by: None,
            reopened_from: None,
            meeting_id: None,
            task_ids: Vec::new(),
        };
        let at = steps::Assigning {
            today,
            calendar: &calendar,
            settings: &settings,
        };
        let id = steps::register_assigned(&mut tx, state, &audit, &facts, &step, &at).await?;
        ids.push(id);
    }
    duban_store::imports::mark_committed(&mut tx, upload_id).await?;
    tx.commit().await?;
    Ok(ids)
}
