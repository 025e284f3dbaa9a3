//! Importing a unit's task list from .xlsx: read the sheet (`duban_docs::lists`), resolve
//! names against the organisation (units, leaders, sections, posts, people, campaigns),
//! check every row with the same rules and policy as the form, and show a preview. The
//! commit re-plans the same bytes and writes every row in one transaction, or nothing.

use super::draft_object;
use crate::error::AppError;
use duban_core::lists::names::{Resolved, fold};
use duban_core::lists::state::TaskState;
use duban_core::lists::{CampaignId, Due, ListKind, TaskId, check_task};
use duban_core::org::{PersonId, PostId, SectionId, UnitId};
use duban_core::policy::{Action, Actor, decide};
use duban_docs::lists::{self as sheet, TaskRow, TaskSheet};
use duban_store::lists::{self as store, TaskFields};
use duban_store::{Audit, Tx};
use lookup::Lookup;
use serde::Serialize;
use std::collections::HashMap;

mod lookup;

/// A problem of one row, in both languages.
#[derive(Debug, Clone, Serialize)]
pub struct RowProblem {
    pub column: Option<String>,
    pub zh: String,
    pub en: String,
}

/// What the commit will do with a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    Create,
    /// Replace an existing draft (re-importing a corrected sheet).
    Update(TaskId),
    /// The task exists with exactly these values (a unit's own export sent back): nothing is
    /// written, whatever the task's state.
    Unchanged(TaskId),
}

/// One row of the preview: the sheet's row, what it resolved to, and its problems.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedRow {
    pub sheet: TaskRow,
    pub action: RowAction,
    pub lead_unit: Option<String>,
    pub co_units: Vec<String>,
    pub lead_leader: Option<String>,
    pub campaign: Option<String>,
    pub fields: Option<TaskFields>,
    pub problems: Vec<RowProblem>,
}

/// The whole preview.
#[derive(Debug, Clone, Serialize)]
pub struct ImportPlan {
    pub sheet_name: String,
    pub header_row: u32,
    pub ignored_columns: Vec<String>,
    pub rows: Vec<PlannedRow>,
}

impl ImportPlan {
    pub fn problem_count(&self) -> usize {
        self.rows.iter().map(|r| r.problems.len()).sum()
    }
    /// Rows without problems that will create a task.
    pub fn creates(&self) -> usize {
        self.clean()
            .filter(|r| r.action == RowAction::Create)
            .count()
    }
    /// Rows without problems that will replace a draft.
    pub fn updates(&self) -> usize {
        self.clean()
            .filter(|r| matches!(r.action, RowAction::Update(_)))
            .count()
    }
    /// Rows that name a task as it already is: nothing is written for them.
    pub fn unchanged(&self) -> usize {
        self.clean()
            .filter(|r| matches!(r.action, RowAction::Unchanged(_)))
            .count()
    }
    /// Rows with at least one problem.
    pub fn refused(&self) -> usize {
        self.rows.len() - self.clean().count()
    }
    fn clean(&self) -> impl Iterator<Item = &PlannedRow> {
        self.rows.iter().filter(|r| r.problems.is_empty())
    }
}

/// A file that cannot be read at all, as a 422 with the message in both languages.
pub fn file_error(e: &sheet::FileError) -> AppError {
    let message = format!("{} / {e}", e.zh());
    match e {
        sheet::FileError::OverLimit(_) => AppError::SheetRefused(message),
        _ => AppError::BadRequest(message),
    }
}

/// Why a problem list or progress sheet could not be read: a bound it goes past is a 422
/// naming it in Chinese and English, anything else a 400 in the reader's words.
pub fn sheet_error(e: sheet::FileError) -> AppError {
    match e {
        sheet::FileError::OverLimit(_) | sheet::FileError::SaveAsXlsx { .. } => file_error(&e),
        e => AppError::BadRequest(e.to_string()),
    }
}

fn problem(column: Option<&str>, zh: String, en: String) -> RowProblem {
    RowProblem {
        column: column.map(str::to_string),
        zh,
        en,
    }
}

fn header_of(sheet: &TaskSheet, column: sheet::Column) -> Option<String> {
    sheet
        .columns
        .iter()
        .find(|c| c.column == column)
        .map(|c| c.header.clone())
}

/// Reads and checks a sheet: every row resolved, every problem named. Writes nothing.
pub async fn plan(
    tx: &mut Tx,
    actor: &Actor,
    bytes: &[u8],
    year: i16,
    default_kind: Option<ListKind>,
    limits: &duban_docs::Limits,
) -> Result<ImportPlan, AppError> {
    decide(actor, Action::ViewTasks, duban_core::policy::Object::City)?;
    let parsed = sheet::read_task_list_within(bytes, year, limits).map_err(|e| file_error(&e))?;
    let lookup = Lookup::load(tx, year).await?;
    let kinds_in_use = duban_store::campaigns::find_plan_year(tx, year)
        .await?
        .map(|p| p.list_kinds);
    let col = |c: sheet::Column| header_of(&parsed, c);
    // Rows planned so far, by (unit, path): for parents inside the sheet.
    let mut in_sheet: HashMap<(i64, String), Option<Due>> = HashMap::new();
    let mut rows = Vec::with_capacity(parsed.rows.len());
    for r in &parsed.rows {
        let mut problems: Vec<RowProblem> = r
            .problems
            .iter()
            .map(|p| problem(p.column.as_deref(), p.kind.zh(), p.kind.to_string()))
            .collect();
        let unit_col = col(sheet::Column::LeadUnit).or(col(sheet::Column::ResponsibleUnits));
        let lead_unit = if r.lead_unit.is_empty() {
            None
        } else {
            match lookup.names.unit(&r.lead_unit) {
                Resolved::One(u) => Some(UnitId(u)),
                Resolved::NotFound => {
                    problems.push(problem(
                        unit_col.as_deref(),
                        format!("找不到单位“{}”（可由管理员添加别名）", r.lead_unit),
                        format!(
                            "no unit is called “{}” (an admin can add it as an alias)",
                            r.lead_unit
                        ),
                    ));
                    None
                }
                Resolved::Ambiguous(_) => {
                    problems.push(problem(
                        unit_col.as_deref(),
                        format!("单位“{}”对应多个单位，请写全称", r.lead_unit),
                        format!(
                            "“{}” matches several units; write the full name",
                            r.lead_unit
                        ),
                    ));
                    None
                }
            }
        };
        let mut co_units = Vec::new();
        for name in &r.co_units {
            match lookup.names.unit(name) {
                Resolved::One(u) => co_units.push(UnitId(u)),
                _ => problems.push(problem(
                    col(sheet::Column::CoUnits).or(unit_col.clone()).as_deref(),
                    format!("找不到配合单位“{name}”"),
                    format!("no co-unit is called “{name}”"),
                )),
            }
        }
        let leader = if r.lead_leader.is_empty() {
            None
        } else {
            match lookup.names.person(&r.lead_leader) {
                Resolved::One(p) if lookup.leaders.contains_key(&p) => Some(PersonId(p)),
                Resolved::Ambiguous(ids) => {
                    let leaders: Vec<i64> = ids
                        .into_iter()
                        .filter(|p| lookup.leaders.contains_key(p))
                        .collect();
                    if let [one] = leaders.as_slice() {
                        Some(PersonId(*one))
                    } else {
                        problems.push(problem(
                            col(sheet::Column::LeadLeader).as_deref(),
                            format!("“{}”对应多位市领导，请写全名", r.lead_leader),
                            format!(
                                "“{}” matches several city leaders; write the full name",
                                r.lead_leader
                            ),
                        ));
                        None
                    }
                }
                _ => {
                    problems.push(problem(
                        col(sheet::Column::LeadLeader).as_deref(),
                        format!("找不到市领导“{}”", r.lead_leader),
                        format!("no city leader is called “{}”", r.lead_leader),
                    ));
                    None
                }
            }
        };
        let campaign = if r.campaign.is_empty() {
            None
        } else {
            let found = lookup.campaign(&r.campaign);
            if found.is_none() {
                problems.push(problem(
                    col(sheet::Column::Campaign).as_deref(),
                    format!("{year}年没有攻坚行动“{}”", r.campaign),
                    format!("{year} has no campaign “{}”", r.campaign),
                ));
            }
            found
        };
        let list_kind = r.list_kind.or(default_kind);
        if let (Some(k), Some(kinds)) = (list_kind, &kinds_in_use)
            && !kinds.contains(&k)
        {
            problems.push(problem(
                col(sheet::Column::ListKind).as_deref(),
                format!("{year}年未启用{}", k.label_zh()),
                format!("{year} does not use the {} list", k.as_str()),
            ));
        }
        if list_kind.is_none()
            && !r
                .problems
                .iter()
                .any(|p| matches!(p.kind, sheet::ProblemKind::UnknownListKind { .. }))
        {
            problems.push(problem(
                col(sheet::Column::ListKind).as_deref(),
                "没有填写清单类别（也可在导入页选择默认类别）".into(),
                "no list kind (choose a default on the import page)".into(),
            ));
        }
        let (mut section, mut post, mut person) = (None, None, None);
        if let Some(u) = lead_unit {
            if !r.section.is_empty() {
                section = lookup
                    .sections
                    .get(&(u.0, fold(&r.section)))
                    .map(|s| SectionId(*s));
                if section.is_none() {
                    problems.push(problem(
                        col(sheet::Column::Section)
                            .or(col(sheet::Column::SectionPerson))
                            .as_deref(),
                        format!("{}没有科室“{}”", lookup.unit_names[&u.0], r.section),
                        format!("{} has no section “{}”", lookup.unit_names[&u.0], r.section),
                    ));
                }
            }
            if !r.post.is_empty() {
                post = lookup.post(u.0, &r.post, section.map(|s| s.0)).map(PostId);
                if post.is_none() {
                    problems.push(problem(
                        col(sheet::Column::Post).as_deref(),
                        format!("{}没有岗位“{}”", lookup.unit_names[&u.0], r.post),
                        format!("{} has no post “{}”", lookup.unit_names[&u.0], r.post),
                    ));
                }
            }
            if !r.person.is_empty() {
                let members = lookup
                    .members
                    .get(&u.0)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                let candidates: Vec<i64> = match lookup.names.person(&r.person) {
                    Resolved::One(p) => vec![p],
                    Resolved::Ambiguous(ids) => ids,
                    Resolved::NotFound => vec![],
                };
                let in_unit: Vec<i64> = candidates
                    .into_iter()
                    .filter(|p| members.contains(p))
                    .collect();
                match in_unit.as_slice() {
                    [one] => person = Some(PersonId(*one)),
                    _ => problems.push(problem(
                        col(sheet::Column::Person)
                            .or(col(sheet::Column::SectionPerson))
                            .as_deref(),
                        format!("{}没有名为“{}”的人员", lookup.unit_names[&u.0], r.person),
                        format!(
                            "{} has nobody called “{}”",
                            lookup.unit_names[&u.0], r.person
                        ),
                    )),
                }
            }
        }
        // The parent: a row above in the sheet, or a task already in the unit's list.
        let mut parent_due = None;
        let mut parent_id = None;
        if let (Some(pp), Some(u)) = (&r.parent_path, lead_unit) {
            if let Some(due) = in_sheet.get(&(u.0, pp.clone())) {
                parent_due = due.and_then(Due::date);
            } else if let Some((id, _, due)) = lookup.existing.get(&(u.0, pp.clone())) {
                parent_id = Some(TaskId(*id));
                parent_due = *due;
            } else {
                problems.push(problem(col(sheet::Column::Code).as_deref(), format!("序号{}的上级任务{pp}不在{}的清单中；子任务的牵头单位须与上级任务相同，其他单位请填在配合单位", r.path, lookup.unit_names[&u.0]), format!("the parent {pp} of {} is not in {}'s list; a sub-task has its parent's lead unit (put other units under co-units)", r.path, lookup.unit_names[&u.0])));
            }
        }
        let weight = r.weight.unwrap_or(1.0);
        let mut action = RowAction::Create;
        let mut existing: Option<(TaskId, String)> = None;
        let mut deferred_policy: Option<UnitId> = None;
        if let (Some(u), Some(due)) = (lead_unit, r.due) {
            if let (Some(pd), Some(d)) = (parent_due, due.date())
                && d > pd
            {
                problems.push(problem(
                    col(sheet::Column::Deadline).as_deref(),
                    format!("完成时限{d}晚于上级任务的{pd}"),
                    format!("the deadline {d} is after the parent's {pd}"),
                ));
            }
            if let Err(e) = check_task(
                year,
                &r.path,
                &r.title,
                weight,
                due,
                &r.indicators,
                &r.milestones,
            ) {
                problems.push(problem(None, format!("{e}"), format!("{e}")));
            }
            existing = lookup
                .existing
                .get(&(u.0, r.path.clone()))
                .map(|(id, st, _)| (TaskId(*id), st.clone()));
            deferred_policy = Some(u);
        }
        if let Some(u) = lead_unit {
            in_sheet.insert((u.0, r.path.clone()), r.due);
        }
        let candidate = match (lead_unit, r.due, list_kind) {
            (Some(u), Some(due), Some(kind)) => Some(TaskFields {
                year,
                campaign_id: campaign.as_ref().map(|(id, _)| CampaignId(*id)),
                list_kind: kind,
                parent_id,
                path: r.path.clone(),
                title: r.title.clone(),
                content: [r.content.as_str(), r.annual_target.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n"),
                lead_leader_id: leader,
                lead_unit_id: u,
                co_unit_ids: co_units.clone(),
                section_id: section,
                post_id: post,
                person_id: person,
                due,
                weight,
                indicators: r.indicators.clone(),
                milestones: r.milestones.clone(),
                remark: r.remark.clone(),
            }),
            _ => None,
        };
        if let Some((id, st)) = &existing {
            let stored = store::get_task(tx, *id).await?;
            // A parent named in the sheet is linked on write; here it is the stored one.
            let same = candidate.as_ref().is_some_and(|c| {
                let mut c = c.clone();
                if c.parent_id.is_none()
                    && let Some(pp) = &r.parent_path
                {
                    c.parent_id = lookup
                        .existing
                        .get(&(c.lead_unit_id.0, pp.clone()))
                        .map(|(id, _, _)| TaskId(*id));
                }
                unchanged(&c, &stored.fields)
            });
            match TaskState::parse(st) {
                _ if same => action = RowAction::Unchanged(*id),
                Some(s) if s.editable_by_unit() => action = RowAction::Update(*id),
                _ => {
                    let u = stored.fields.lead_unit_id;
                    problems.push(problem(col(sheet::Column::Code).as_deref(), format!("{}的任务{}已报送或已审定，不能用导入修改；请提出调整申请", lookup.unit_names[&u.0], r.path), format!("{}'s task {} is submitted or approved; change it with a change request", lookup.unit_names[&u.0], r.path)));
                }
            }
        }
        // Even a row that changes nothing belongs to a list the actor may write.
        if let Some(u) = deferred_policy
            && decide(actor, Action::EditTask, draft_object_for(u, &co_units)).is_err()
        {
            problems.push(problem(
                unit_col.as_deref(),
                format!("您无权编制{}的清单", lookup.unit_names[&u.0]),
                format!("you may not write {}'s list", lookup.unit_names[&u.0]),
            ));
        }
        let fields = candidate.filter(|_| problems.is_empty());
        rows.push(PlannedRow {
            sheet: r.clone(),
            action,
            lead_unit: lead_unit.map(|u| lookup.unit_names[&u.0].clone()),
            co_units: co_units
                .iter()
                .map(|u| lookup.unit_names[&u.0].clone())
                .collect(),
            lead_leader: leader.map(|p| lookup.leaders[&p.0].clone()),
            campaign: campaign.map(|(_, n)| n),
            fields,
            problems,
        });
    }
    Ok(ImportPlan {
        sheet_name: parsed.sheet_name,
        header_row: parsed.header_row,
        ignored_columns: parsed.ignored_columns,
        rows,
    })
}

/// Whether a row says what is stored: every field an export writes, co-units in any order;
/// the remark only when the sheet gives one (the export has no 备注 column).
fn unchanged(row: &TaskFields, stored: &TaskFields) -> bool {
    let comparable = |f: &TaskFields| {
        let mut co = f.co_unit_ids.clone();
        co.sort();
        TaskFields {
            co_unit_ids: co,
            remark: String::new(),
            ..f.clone()
        }
    };
    comparable(row) == comparable(stored) && (row.remark.is_empty() || row.remark == stored.remark)
}

fn draft_object_for(unit: UnitId, co: &[UnitId]) -> duban_core::policy::Object<'_> {
    duban_core::policy::Object::Task {
        lead_unit: unit,
        co_units: co,
        leader: None,
        person: None,
        state: TaskState::Draft,
    }
}

/// Writes a plan without problems: parents before children, all in the caller's transaction.
/// Returns (created, updated).
pub async fn write(
    tx: &mut Tx,
    audit: &Audit,
    actor: &Actor,
    plan: &ImportPlan,
    mut progress: impl FnMut(usize),
) -> Result<(usize, usize), AppError> {
    if plan.problem_count() > 0 {
        return Err(AppError::BadRequest(format!(
            "the sheet still has {} problems; fix them and upload it again",
            plan.problem_count()
        )));
    }
    // Level by level, so that parents exist before their children; new tasks of a level are
    // written in batches (a few statements per batch, not per row).
    let mut ids: HashMap<(UnitId, String), TaskId> = HashMap::new();
    let (mut created, mut updated, mut done) = (0, 0, 0);
    let depth = |r: &PlannedRow| r.fields.as_ref().map_or(0, |f| f.path.matches('.').count());
    let max_depth = plan.rows.iter().map(depth).max().unwrap_or(0);
    for level in 0..=max_depth {
        let mut batch: Vec<TaskFields> = Vec::new();
        for row in plan.rows.iter().filter(|r| depth(r) == level) {
            let Some(fields) = &row.fields else { continue };
            let mut fields = fields.clone();
            if let Some(pp) = &row.sheet.parent_path
                && let Some(pid) = ids.get(&(fields.lead_unit_id, pp.clone()))
            {
                fields.parent_id = Some(*pid);
            }
            if !matches!(row.action, RowAction::Unchanged(_)) {
                decide(actor, Action::EditTask, draft_object(&fields, None))?;
            }
            match row.action {
                RowAction::Create => batch.push(fields),
                RowAction::Update(id) => {
                    store::update_task(tx, audit, id, &fields).await?;
                    ids.insert((fields.lead_unit_id, fields.path.clone()), id);
                    updated += 1;
                    done += 1;
                    progress(done);
                }
                RowAction::Unchanged(id) => {
                    ids.insert((fields.lead_unit_id, fields.path.clone()), id);
                    done += 1;
                    progress(done);
                }
            }
        }
        for chunk in batch.chunks(500) {
            let new_ids = store::insert_tasks(tx, audit, chunk).await?;
            for (f, id) in chunk.iter().zip(new_ids) {
                ids.insert((f.lead_unit_id, f.path.clone()), id);
            }
            created += chunk.len();
            done += chunk.len();
            progress(done);
        }
    }
    Ok((created, updated))
}

/// Refuses actors who may write no list (their own unit's, or any for the office).
pub fn authorize_writer(actor: &Actor) -> Result<(), AppError> {
    decide(actor, Action::ViewTasks, duban_core::policy::Object::City)?;
    if decide(actor, Action::ReviewTask, duban_core::policy::Object::City).is_ok() {
        return Ok(());
    }
    let home = actor
        .scope
        .home_unit
        .ok_or(duban_core::policy::Denied::Role)?;
    decide(actor, Action::EditTask, draft_object_for(home, &[]))?;
    Ok(())
}

/// An import of this many rows or more is a bulk write: the planner's statistics are
/// refreshed after it (`Store::refresh_statistics`).
const BULK_ROWS: usize = 500;

/// Commits an upload of `actor`: re-plans the same bytes and writes them in one transaction.
/// A second commit of the same upload is refused. Returns (created, updated).
pub async fn commit_upload(
    state: &crate::state::AppState,
    actor: &Actor,
    id: i64,
) -> Result<(usize, usize), AppError> {
    let mut tx = state.store.begin_write().await?;
    let upload = duban_store::imports::get_upload(&mut tx, id).await?;
    if upload.user_id != actor.user.map(|u| u.0) {
        return Err(AppError::NotFound);
    }
    if !duban_store::imports::mark_committed(&mut tx, id).await? {
        return Err(AppError::BadRequest(
            "this upload was already imported / 该文件已经导入".into(),
        ));
    }
    let kind = upload.list_kind.as_deref().and_then(ListKind::parse);
    let plan = plan(
        &mut tx,
        actor,
        &upload.content,
        upload.year as i16,
        kind,
        &state.config.sheets,
    )
    .await?;
    let audit = crate::service::audit(state, actor);
    let counts = write(&mut tx, &audit, actor, &plan, |_| {}).await?;
    tx.commit().await?;
    if plan.rows.len() >= BULK_ROWS {
        state.store.refresh_statistics().await?;
    }
    tracing::info!(
        import.rows = plan.rows.len(),
        import.created = counts.0,
        import.updated = counts.1,
        "list imported"
    );
    Ok(counts)
}
