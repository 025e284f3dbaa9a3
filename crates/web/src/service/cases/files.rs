//! The problem list (问题清单 / 整改销号表, DOMAIN §4.4) as a spreadsheet: export of any
//! filtered case list, and import with preview-then-commit. A row without a case 编号 makes
//! one assigned case; a row whose 编号 names a case (an exported list sent back) updates the
//! notes that changed, is unchanged, or is refused for what only the case's own steps change.
//! New rows are checked by the assign step's own check (`steps::check_assign`) in the
//! preview and in the commit alike. It is planned fully before anything is written, the
//! upload is kept so the commit re-plans exactly what was previewed, and the commit writes
//! all rows or none.

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

/// What the commit does with a row.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    /// A new case, registered and assigned.
    Create,
    /// The case the row's 编号 names gets the notes that changed (整改措施, 整改进展, 佐证材料).
    Update { case: i64, fields: Vec<String> },
    /// The case the row's 编号 names, as it is: nothing is written.
    Unchanged { case: i64 },
}

/// What a planned row will become.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedRow {
    pub row: u32,
    pub action: RowAction,
    pub title: String,
    pub source: Source,
    pub lead_unit: String,
    pub lead_unit_id: Option<i64>,
    pub co_units: Vec<String>,
    pub deadline: String,
    pub measures: String,
    pub progress: String,
    pub evidence: String,
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

/// The case a 编号 names (`DB2026-0017`), if it is one.
fn case_of_code(code: &str) -> Option<(i16, CaseId)> {
    let rest = code.trim().strip_prefix("DB")?;
    let (year, id) = rest.split_once('-')?;
    Some((year.parse().ok()?, CaseId(id.parse().ok()?)))
}

/// The assign step a new row takes, in the preview and in the commit alike.
fn assign_input(row: &PlannedRow) -> steps::StepInput {
    steps::StepInput {
        step: "assign".into(),
        lead_unit_id: row.lead_unit_id,
        co_units: row.co_units.join("、"),
        deadline: row.deadline.clone(),
        ..steps::StepInput::default()
    }
}

/// A refusal of the assign check, named by the row and the sheet's column.
fn assign_problem(row: u32, f: &FieldError) -> (String, String) {
    let (col, col_en) = match f.field {
        "deadline" => ("整改时限", "deadline"),
        "co_units" | "split_units" => ("配合单位", "co-units"),
        _ => ("责任单位", "responsible unit"),
    };
    let (zh, en) = match f.code {
        "in_past" => ("整改时限早于今天", "the deadline is before today"),
        "bad_deadline" => ("整改时限无法识别", "the deadline cannot be read"),
        "empty" => ("未填写", "is empty"),
        "inactive" => ("单位已停用", "the unit is no longer active"),
        "unknown_unit" => ("找不到单位", "no unit is called so"),
        "ambiguous_unit" => ("对应多个单位", "matches several units"),
        _ => ("无法交办", "cannot be assigned"),
    };
    (
        format!("第{row}行{col}：{zh}"),
        format!("row {row}, {col_en}: {en}"),
    )
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
    actor: &Actor,
    upload_id: i64,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportPlan, AppError> {
    let sheet = read_problem_list_within(bytes, &state.config.sheets).map_err(sheet_error)?;
    let names = crate::service::names::NameIndexes::load(tx).await?;
    let today = state.today();
    let calendar = duban_store::calendar::load_calendar(tx).await?;
    let mut rows = Vec::new();
    for r in &sheet.rows {
        let at = |col: &str| format!("第{}行{col}", r.row);
        // A case the office registered but has not assigned yet has no unit: its row is fine.
        let names_case = case_of_code(&r.parsed.code).is_some();
        let mut problems: Vec<(String, String)> = r
            .problems
            .iter()
            .filter(|p| {
                !(names_case
                    && matches!(p.kind, duban_docs::cases::RowProblemKind::MissingLeadUnit))
            })
            .map(|p| {
                let col = p.column.clone().unwrap_or_default();
                (
                    format!("{}：{}", at(&col), p.kind.zh()),
                    format!("row {}, {col}: {}", r.row, p.kind),
                )
            })
            .collect();
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
        let mut row = PlannedRow {
            row: r.row,
            action: RowAction::Create,
            title: r.parsed.description.clone(),
            source: source_of(&r.parsed.source),
            lead_unit: r.parsed.lead_unit.clone(),
            lead_unit_id,
            co_units: r.parsed.co_units.clone(),
            deadline: r.parsed.deadline.clone(),
            measures: r.parsed.measures.trim().to_string(),
            progress: r.parsed.progress.trim().to_string(),
            evidence: r.parsed.evidence.trim().to_string(),
            problems: Vec::new(),
        };
        match case_of_code(&r.parsed.code) {
            Some((year, id)) => {
                // A case this system exported: update it, never a second one.
                match duban_store::cases::get_case(tx, id).await? {
                    Some(case) if case.facts.year == year => {
                        let changes = compare(&row, &r.parsed, &case, &names);
                        row.action = existing_action(&case, actor, changes, &mut problems, &at);
                    }
                    _ => problems.push((
                        format!("{}：编号{}不是本系统的问题", at("序号"), r.parsed.code),
                        format!("row {}: {} is no case of this system", r.row, r.parsed.code),
                    )),
                }
            }
            None => {
                if r.parsed.deadline.is_empty()
                    && !r.problems.iter().any(|p| {
                        matches!(p.kind, duban_docs::cases::RowProblemKind::BadDeadline(_))
                    })
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
                if duban_core::org::parse_text(&row.title, 200).is_err() {
                    problems.push((
                        format!("{}：问题描述不能为空且不超过200字", at("问题描述")),
                        format!("row {}: the description is empty or too long", r.row),
                    ));
                }
                // Exactly the check the commit's assign step makes.
                if problems.is_empty()
                    && let Err(e) =
                        steps::check_assign(tx, &assign_input(&row), today, &calendar).await
                {
                    match e {
                        AppError::Invalid(fields) => {
                            problems.extend(fields.iter().map(|f| assign_problem(r.row, f)))
                        }
                        e => return Err(e),
                    }
                }
            }
        }
        row.problems = problems;
        rows.push(row);
    }
    Ok(ImportPlan {
        upload_id,
        file_name: file_name.to_string(),
        title: sheet.title,
        rows,
    })
}

/// What a row says differently from its case: (column, whether the import may write it).
fn compare(
    row: &PlannedRow,
    parsed: &ProblemRow,
    case: &duban_store::cases::Case,
    names: &crate::service::names::NameIndexes,
) -> Vec<(&'static str, bool)> {
    let h = &case.handling;
    let mut out = Vec::new();
    if row.title.trim() != case.facts.title.trim() {
        out.push(("问题描述", false));
    }
    if row.lead_unit_id.map(duban_core::org::UnitId) != h.lead_unit_id {
        out.push(("责任单位", false));
    }
    let mut co: Vec<i64> = row
        .co_units
        .iter()
        .filter_map(|n| match names.unit(n) {
            Resolved::One(id) => Some(id),
            _ => None,
        })
        .collect();
    co.sort_unstable();
    let mut stored: Vec<i64> = h.co_unit_ids.iter().map(|u| u.0).collect();
    stored.sort_unstable();
    if co != stored {
        out.push(("配合单位", false));
    }
    let deadline_same = match h.due_on {
        None => row.deadline.is_empty(),
        Some(d) => {
            d.to_string() == row.deadline || h.deadline_rule.as_deref() == Some(&row.deadline)
        }
    };
    if !deadline_same {
        out.push(("整改时限", false));
    }
    if parsed.status != sheet_status(h.state) {
        out.push(("状态", false));
    }
    for (col, sheet, stored) in [
        ("整改措施", &row.measures, &h.measures),
        ("整改进展", &row.progress, &h.progress_note),
        ("佐证材料", &row.evidence, &h.evidence_note),
    ] {
        if sheet.trim() != stored.trim() {
            out.push((col, true));
        }
    }
    out
}

/// The action for a row naming an existing case, with a problem for each change it may not
/// make: facts, units, deadline and state change only through the case's own steps; notes
/// only while the case is open and only by those who manage cases.
fn existing_action(
    case: &duban_store::cases::Case,
    actor: &Actor,
    changes: Vec<(&'static str, bool)>,
    problems: &mut Vec<(String, String)>,
    at: &dyn Fn(&str) -> String,
) -> RowAction {
    let id = case.id.0;
    let code = case.code();
    let open = case.handling.state.is_open();
    let may = decide(actor, Action::ManageCase, Object::City).is_ok();
    let mut fields = Vec::new();
    for (col, writable) in changes {
        if writable && open && may {
            fields.push(col.to_string());
        } else if writable {
            problems.push((
                format!(
                    "{}：{code}已{}，不能再修改",
                    at(col),
                    if open { "无权修改" } else { "办结" }
                ),
                format!("{col}: {code} can no longer be changed"),
            ));
        } else {
            problems.push((
                format!("{}：{code}的{col}不能通过导入修改，请在系统中办理", at(col)),
                format!("{col} of {code} changes only through the case's own steps"),
            ));
        }
    }
    if fields.is_empty() {
        RowAction::Unchanged { case: id }
    } else {
        RowAction::Update { case: id, fields }
    }
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
    let plan = plan(&mut tx, state, actor, id, file_name, bytes).await?;
    tx.commit().await?;
    Ok(plan)
}

/// Re-plans the kept upload and, if no row has a problem, makes one assigned case per new row
/// and writes the changed notes of the cases rows name by 编号 — all in one transaction.
/// Returns the cases created or updated, in row order.
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
    let audit = audit(state, actor);
    let today = state.today();
    let calendar = duban_store::calendar::load_calendar(&mut tx).await?;
    let settings = duban_store::cases::settings::get_settings(&mut tx, today.year()).await?;
    let mut ids = Vec::new();
    for row in &plan.rows {
        match &row.action {
            RowAction::Unchanged { .. } => continue,
            RowAction::Update { case, .. } => {
                let id = CaseId(*case);
                let stored = duban_store::cases::get_case(&mut tx, id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let before = stored.handling.clone();
                let mut after = before.clone();
                after.measures.clone_from(&row.measures);
                after.progress_note.clone_from(&row.progress);
                after.evidence_note.clone_from(&row.evidence);
                let event = duban_store::cases::NewEvent::new("imported", row.progress.clone());
                duban_store::cases::save_step(&mut tx, &audit, id, &before, &after, &event).await?;
                ids.push(id);
                continue;
            }
            RowAction::Create => {}
        }
        let step = assign_input(row);
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
