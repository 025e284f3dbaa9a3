//! The four lists in the database: tasks with their units, indicators and milestones.
//! Reading many tasks (filters, pages, subtrees) is in [`browse`]; review, change requests
//! and field history in [`review`]. The rules (who may, which state follows) are decided in
//! `duban_core::lists` before these functions are called; they only write.

pub mod browse;
pub mod lookup;
mod read;
pub mod review;

pub use read::{get_task, get_tasks};

use crate::{Audit, StoreError, Tx, ledger, sql};
use duban_core::lists::baseline::Baseline;
use duban_core::lists::state::TaskState;
use duban_core::lists::{CampaignId, Due, Indicator, ListKind, Milestone, TaskId, sort_key};
use duban_core::org::{PersonId, PostId, SectionId, UnitId};
use serde::Serialize;
use std::collections::HashMap;

/// Everything a unit writes about a task (form, API, import), as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskFields {
    pub year: i16,
    pub campaign_id: Option<CampaignId>,
    pub list_kind: ListKind,
    pub parent_id: Option<TaskId>,
    /// Dotted path inside the lead unit's list; must be a valid `core::lists::sort_key`.
    pub path: String,
    pub title: String,
    pub content: String,
    pub lead_leader_id: Option<PersonId>,
    pub lead_unit_id: UnitId,
    pub co_unit_ids: Vec<UnitId>,
    pub section_id: Option<SectionId>,
    pub post_id: Option<PostId>,
    pub person_id: Option<PersonId>,
    pub due: Due,
    pub weight: f64,
    pub indicators: Vec<Indicator>,
    pub milestones: Vec<Milestone>,
    pub remark: String,
}

impl TaskFields {
    /// The baseline fields of these values.
    pub fn baseline(&self) -> Baseline {
        Baseline {
            due: self.due,
            indicators: self.indicators.clone(),
            milestones: self.milestones.clone(),
            weight: self.weight,
            lead_unit: self.lead_unit_id.0,
            lead_leader: self.lead_leader_id.map(|p| p.0),
            section: self.section_id.map(|s| s.0),
            post: self.post_id.map(|p| p.0),
            person: self.person_id.map(|p| p.0),
        }
    }

    /// These values with the baseline fields replaced by `b` (an approved change request).
    pub fn with_baseline(&self, b: &Baseline) -> TaskFields {
        TaskFields {
            due: b.due,
            indicators: b.indicators.clone(),
            milestones: b.milestones.clone(),
            weight: b.weight,
            lead_unit_id: UnitId(b.lead_unit),
            lead_leader_id: b.lead_leader.map(PersonId),
            section_id: b.section.map(SectionId),
            post_id: b.post.map(PostId),
            person_id: b.person.map(PersonId),
            ..self.clone()
        }
    }
}

/// One task with everything that belongs to it, names resolved for display.
#[derive(Debug, Clone, Serialize)]
pub struct Task {
    pub id: TaskId,
    pub fields: TaskFields,
    pub depth: i64,
    pub state: TaskState,
    pub review_comment: String,
    /// Frozen at approval; `None` before.
    pub baseline: Option<Baseline>,
    pub progress: f64,
    /// Latest accepted value per indicator (same order as `fields.indicators`).
    pub actuals: Vec<Option<f64>>,
    pub campaign_name: Option<String>,
    pub lead_unit_name: String,
    pub co_unit_names: Vec<String>,
    pub lead_leader_name: Option<String>,
    pub section_name: Option<String>,
    pub post_name: Option<String>,
    pub person_name: Option<String>,
    pub parent_title: Option<String>,
    pub created_at: jiff::Timestamp,
    pub updated_at: jiff::Timestamp,
}

/// The id of the task at `path` in a unit's list of `year`, if any.
pub async fn find_task_by_path(
    tx: &mut Tx,
    year: i16,
    unit: UnitId,
    path: &str,
) -> Result<Option<TaskId>, StoreError> {
    let row: Option<(i64,)> =
        sql("SELECT id FROM tasks WHERE year = $1 AND lead_unit_id = $2 AND path = $3")
            .bind(i64::from(year))
            .bind(unit)
            .bind(path)
            .fetch_optional(tx)
            .await?;
    Ok(row.map(|(id,)| TaskId(id)))
}

/// The path the next child of `parent` (or the next top-level task) of a unit's list gets.
///
/// Two writers numbering the same list at once would both read the same last path; on
/// PostgreSQL the first takes a transaction-scoped advisory lock on the list (year, unit) and
/// the second waits for it to commit, then reads the first one's task. SQLite has one writer
/// at a time already.
pub async fn next_path(
    tx: &mut Tx,
    year: i16,
    unit: UnitId,
    parent: Option<&str>,
) -> Result<String, StoreError> {
    if tx.backend() == crate::Backend::Postgres {
        sql("SELECT pg_advisory_xact_lock(hashtextextended('duban.tasks.path:' || $1 || ':' || $2, 0))")
            .bind(i64::from(year))
            .bind(unit)
            .execute(&mut *tx)
            .await?;
    }
    let paths: Vec<(String,)> = match parent {
        Some(p) => sql(
            "SELECT t.path FROM tasks t JOIN tasks pt ON pt.id = t.parent_id
                 WHERE t.year = $1 AND t.lead_unit_id = $2 AND pt.path = $3",
        )
        .bind(i64::from(year))
        .bind(unit)
        .bind(p),
        // Top-level numbers of the list, shares of other units' tasks included.
        None => sql(
            "SELECT path FROM tasks WHERE year = $1 AND lead_unit_id = $2 AND path NOT LIKE '%.%'",
        )
        .bind(i64::from(year))
        .bind(unit),
    }
    .fetch_all(tx)
    .await?;
    let last = paths
        .iter()
        .filter_map(|(p,)| p.rsplit('.').next()?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    Ok(duban_core::lists::child_path(parent, last + 1))
}

/// Creates a task with its units, indicators and milestones, as a draft.
pub async fn insert_task(tx: &mut Tx, audit: &Audit, f: &TaskFields) -> Result<TaskId, StoreError> {
    let ids = insert_tasks(tx, audit, std::slice::from_ref(f)).await?;
    Ok(ids[0])
}

/// Creates many draft tasks (an import), a few statements per hundred tasks rather than a few
/// per task. Parents must already exist (insert a tree level by level). Returns the ids in the
/// order of `fields`.
pub async fn insert_tasks(
    tx: &mut Tx,
    audit: &Audit,
    fields: &[TaskFields],
) -> Result<Vec<TaskId>, StoreError> {
    use crate::Param;
    let mut rows: Vec<Vec<Param>> = Vec::with_capacity(fields.len());
    for f in fields {
        let key = sort_key(&f.path).ok_or_else(|| StoreError::Conflict {
            constraint: "tasks_path_check".into(),
        })?;
        rows.push(vec![
            i64::from(f.year).into(),
            f.campaign_id.map(|c| c.0).into(),
            f.list_kind.as_str().into(),
            f.parent_id.map(|p| p.0).into(),
            (f.path.matches('.').count() as i64).into(),
            f.path.as_str().into(),
            key.into(),
            f.title.trim().into(),
            f.content.as_str().into(),
            f.lead_leader_id.into(),
            f.lead_unit_id.into(),
            f.section_id.into(),
            f.post_id.into(),
            f.person_id.into(),
            f.due.date().into(),
            f.due.cadence().map(|c| c.as_str()).into(),
            f.weight.into(),
            "draft".into(),
            f.remark.as_str().into(),
            audit.at.into(),
            audit.at.into(),
        ]);
    }
    // (lead unit, path) identifies a task of the year; RETURNING order is not guaranteed.
    let mut by_key: HashMap<(i64, String), i64> = HashMap::with_capacity(fields.len());
    for chunk in ledger::chunked(rows, 21) {
        let Some(q) = crate::insert_many(
            "INSERT INTO tasks (year, campaign_id, list_kind, parent_id, depth, path, sort_key, title, content,
                                lead_leader_id, lead_unit_id, section_id, post_id, person_id, due_date, cadence,
                                weight, state, remark, created_at, updated_at)",
            chunk,
        ) else {
            continue;
        };
        let back: Vec<(i64, i64, String)> =
            q.returning("id, lead_unit_id, path").fetch_all(tx).await?;
        by_key.extend(back.into_iter().map(|(id, u, p)| ((u, p), id)));
    }
    let ids: Vec<TaskId> = fields
        .iter()
        .map(|f| {
            by_key
                .get(&(f.lead_unit_id.0, f.path.clone()))
                .map(|id| TaskId(*id))
                .ok_or(StoreError::NotFound)
        })
        .collect::<Result<_, _>>()?;
    let pairs: Vec<(TaskId, &TaskFields)> = ids.iter().copied().zip(fields).collect();
    write_parts(tx, &pairs, &HashMap::new()).await?;
    let changes = pairs
        .iter()
        .map(|(id, f)| ledger::Change::new("task.create", "task", id.0).after(f))
        .collect();
    ledger::append_many(tx, audit, changes).await?;
    Ok(ids)
}

/// Replaces a task's values (a draft being edited, or an approved change applied). The
/// caller has checked the state and the policy. `actuals` of indicators carry over by position.
pub async fn update_task(
    tx: &mut Tx,
    audit: &Audit,
    id: TaskId,
    f: &TaskFields,
) -> Result<(), StoreError> {
    let before = get_task(tx, id).await?;
    let key = sort_key(&f.path).ok_or_else(|| StoreError::Conflict {
        constraint: "tasks_path_check".into(),
    })?;
    sql(
        "UPDATE tasks SET campaign_id = $2, list_kind = $3, path = $4, sort_key = $5, depth = $6,
                title = $7, content = $8, lead_leader_id = $9, lead_unit_id = $10, section_id = $11,
                post_id = $12, person_id = $13, due_date = $14, cadence = $15, weight = $16,
                remark = $17, updated_at = $18
         WHERE id = $1",
    )
    .bind(id.0)
    .bind(f.campaign_id.map(|c| c.0))
    .bind(f.list_kind.as_str())
    .bind(f.path.as_str())
    .bind(key)
    .bind(f.path.matches('.').count() as i64)
    .bind(f.title.trim())
    .bind(f.content.as_str())
    .bind(f.lead_leader_id)
    .bind(f.lead_unit_id)
    .bind(f.section_id)
    .bind(f.post_id)
    .bind(f.person_id)
    .bind(f.due.date())
    .bind(f.due.cadence().map(|c| c.as_str()))
    .bind(f.weight)
    .bind(f.remark.as_str())
    .bind(audit.at)
    .execute(tx)
    .await?;
    for table in ["task_units", "task_indicators", "task_milestones"] {
        crate::Sql::assembled(format!("DELETE FROM {table} WHERE task_id = $1"))
            .bind(id.0)
            .execute(tx)
            .await?;
    }
    write_parts(
        tx,
        &[(id, f)],
        &HashMap::from([(id, before.actuals.clone())]),
    )
    .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("task.update", "task", id.0)
            .before(&before.fields)
            .after(f),
    )
    .await?;
    Ok(())
}

/// Units, indicators and milestones of a task (after its row exists).
async fn write_parts(
    tx: &mut Tx,
    tasks: &[(TaskId, &TaskFields)],
    actuals: &HashMap<TaskId, Vec<Option<f64>>>,
) -> Result<(), StoreError> {
    use crate::{Param, insert_many};
    let mut units: Vec<Vec<Param>> = Vec::new();
    let mut indicators: Vec<Vec<Param>> = Vec::new();
    let mut milestones: Vec<Vec<Param>> = Vec::new();
    for (id, f) in tasks {
        let mut seen = std::collections::BTreeSet::new();
        let assigned = std::iter::once((f.lead_unit_id, "lead"))
            .chain(f.co_unit_ids.iter().map(|u| (*u, "co")))
            .filter(|(u, _)| seen.insert(*u));
        for (pos, (unit, role)) in assigned.enumerate() {
            units.push(vec![
                id.0.into(),
                unit.into(),
                role.into(),
                (pos as i64).into(),
            ]);
        }
        let kept = actuals.get(id);
        for (pos, ind) in f.indicators.iter().enumerate() {
            let actual = kept.and_then(|a| a.get(pos).copied().flatten());
            indicators.push(vec![
                id.0.into(),
                (pos as i64).into(),
                ind.name.as_str().into(),
                ind.target.into(),
                ind.unit.as_str().into(),
                actual.into(),
            ]);
        }
        for (pos, m) in f.milestones.iter().enumerate() {
            milestones.push(vec![
                id.0.into(),
                (pos as i64).into(),
                m.due.into(),
                m.target_text.as_str().into(),
                serde_json::to_string(&m.values)
                    .expect("numbers always serialize")
                    .into(),
            ]);
        }
    }
    let tables: [(&'static str, usize, Vec<Vec<Param>>); 3] = [
        (
            "INSERT INTO task_units (task_id, unit_id, role, position)",
            4,
            units,
        ),
        (
            "INSERT INTO task_indicators (task_id, position, name, target, unit, actual)",
            6,
            indicators,
        ),
        (
            "INSERT INTO task_milestones (task_id, position, due_date, target_text, target_values)",
            5,
            milestones,
        ),
    ];
    for (head, columns, rows) in tables {
        for chunk in ledger::chunked(rows, columns) {
            if let Some(q) = insert_many(head, chunk) {
                q.execute(tx).await?;
            }
        }
    }
    Ok(())
}

/// Sets a task's latest accepted progress and indicator actuals (the maintained aggregate the
/// progress reports keep up to date; the demo seeds it).
pub async fn set_task_progress(
    tx: &mut Tx,
    id: TaskId,
    progress: f64,
    actuals: &[Option<f64>],
) -> Result<(), StoreError> {
    sql("UPDATE tasks SET progress = $2 WHERE id = $1")
        .bind(id.0)
        .bind(progress)
        .execute(tx)
        .await?;
    for (pos, a) in actuals.iter().enumerate() {
        sql("UPDATE task_indicators SET actual = $3 WHERE task_id = $1 AND position = $2")
            .bind(id.0)
            .bind(pos as i64)
            .bind(*a)
            .execute(tx)
            .await?;
    }
    Ok(())
}
