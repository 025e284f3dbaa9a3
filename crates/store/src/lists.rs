//! The four lists in the database: tasks with their units, indicators and milestones.
//! Reading many tasks (filters, pages, subtrees) is in [`browse`]; review, change requests
//! and field history in [`review`]. The rules (who may, which state follows) are decided in
//! `duban_core::lists` before these functions are called; they only write.

pub mod browse;
pub mod lookup;
pub mod review;

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

#[derive(sqlx::FromRow)]
struct TaskDbRow {
    id: i64,
    year: i64,
    campaign_id: Option<i64>,
    campaign_name: Option<String>,
    list_kind: String,
    parent_id: Option<i64>,
    parent_title: Option<String>,
    depth: i64,
    path: String,
    title: String,
    content: String,
    lead_leader_id: Option<i64>,
    lead_leader_name: Option<String>,
    lead_unit_id: i64,
    lead_unit_name: String,
    section_id: Option<i64>,
    section_name: Option<String>,
    post_id: Option<i64>,
    post_name: Option<String>,
    person_id: Option<i64>,
    person_name: Option<String>,
    due_date: Option<jiff_sqlx::Date>,
    cadence: Option<String>,
    weight: f64,
    state: String,
    review_comment: String,
    baseline: Option<String>,
    progress: f64,
    remark: String,
    created_at: jiff_sqlx::Timestamp,
    updated_at: jiff_sqlx::Timestamp,
}

#[derive(sqlx::FromRow)]
struct IndicatorRow {
    name: String,
    target: f64,
    unit: String,
    actual: Option<f64>,
}

#[derive(sqlx::FromRow)]
struct MilestoneRow {
    due_date: jiff_sqlx::Date,
    target_text: String,
    target_values: String,
}

#[derive(sqlx::FromRow)]
struct CoUnitRow {
    unit_id: i64,
    name: String,
}

/// A stored value the database constraints should have kept out.
fn corrupt(what: &str, id: i64) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        format!("task {id}: stored {what} is not valid").into(),
    ))
}

/// Reads one task with its units, indicators and milestones.
pub async fn get_task(tx: &mut Tx, id: TaskId) -> Result<Task, StoreError> {
    let r: TaskDbRow = sql("SELECT t.id, t.year, t.campaign_id, c.name AS campaign_name, t.list_kind,
                t.parent_id, pt.title AS parent_title, t.depth, t.path, t.title, t.content,
                t.lead_leader_id, l.name AS lead_leader_name, t.lead_unit_id, u.short_name AS lead_unit_name,
                t.section_id, s.name AS section_name, t.post_id, po.name AS post_name,
                t.person_id, pe.name AS person_name, t.due_date, t.cadence, t.weight, t.state,
                t.review_comment, b.baseline, t.progress, t.remark, t.created_at, t.updated_at
         FROM tasks t
         LEFT JOIN task_baselines b ON b.task_id = t.id
         JOIN units u ON u.id = t.lead_unit_id
         LEFT JOIN campaigns c ON c.id = t.campaign_id
         LEFT JOIN tasks pt ON pt.id = t.parent_id
         LEFT JOIN people l ON l.id = t.lead_leader_id
         LEFT JOIN sections s ON s.id = t.section_id
         LEFT JOIN posts po ON po.id = t.post_id
         LEFT JOIN people pe ON pe.id = t.person_id
         WHERE t.id = $1")
    .bind(id.0)
    .fetch_one(tx)
    .await?;
    let co: Vec<CoUnitRow> = sql("SELECT tu.unit_id, u.short_name AS name FROM task_units tu
         JOIN units u ON u.id = tu.unit_id
         WHERE tu.task_id = $1 AND tu.role = 'co' ORDER BY tu.position")
    .bind(id.0)
    .fetch_all(tx)
    .await?;
    let inds: Vec<IndicatorRow> = sql(
        "SELECT name, target, unit, actual FROM task_indicators WHERE task_id = $1 ORDER BY position",
    )
    .bind(id.0)
    .fetch_all(tx)
    .await?;
    let ms: Vec<MilestoneRow> = sql(
        "SELECT due_date, target_text, target_values FROM task_milestones
         WHERE task_id = $1 ORDER BY position",
    )
    .bind(id.0)
    .fetch_all(tx)
    .await?;
    let milestones = ms
        .into_iter()
        .map(|m| {
            Ok(Milestone {
                due: m.due_date.to_jiff(),
                target_text: m.target_text,
                values: serde_json::from_str(&m.target_values)
                    .map_err(|_| corrupt("milestone values", r.id))?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let due = Due::from_columns(r.due_date.map(|d| d.to_jiff()), r.cadence.as_deref())
        .ok_or_else(|| corrupt("deadline", r.id))?;
    let baseline = match &r.baseline {
        Some(text) => Some(serde_json::from_str(text).map_err(|_| corrupt("baseline", r.id))?),
        None => None,
    };
    Ok(Task {
        id: TaskId(r.id),
        fields: TaskFields {
            year: r.year as i16,
            campaign_id: r.campaign_id.map(CampaignId),
            list_kind: ListKind::parse(&r.list_kind).ok_or_else(|| corrupt("list kind", r.id))?,
            parent_id: r.parent_id.map(TaskId),
            path: r.path,
            title: r.title,
            content: r.content,
            lead_leader_id: r.lead_leader_id.map(PersonId),
            lead_unit_id: UnitId(r.lead_unit_id),
            co_unit_ids: co.iter().map(|c| UnitId(c.unit_id)).collect(),
            section_id: r.section_id.map(SectionId),
            post_id: r.post_id.map(PostId),
            person_id: r.person_id.map(PersonId),
            due,
            weight: r.weight,
            indicators: inds
                .iter()
                .map(|i| Indicator {
                    name: i.name.clone(),
                    target: i.target,
                    unit: i.unit.clone(),
                })
                .collect(),
            milestones,
            remark: r.remark,
        },
        depth: r.depth,
        state: TaskState::parse(&r.state).ok_or_else(|| corrupt("state", r.id))?,
        review_comment: r.review_comment,
        baseline,
        progress: r.progress,
        actuals: inds.iter().map(|i| i.actual).collect(),
        campaign_name: r.campaign_name,
        lead_unit_name: r.lead_unit_name,
        co_unit_names: co.into_iter().map(|c| c.name).collect(),
        lead_leader_name: r.lead_leader_name,
        section_name: r.section_name,
        post_name: r.post_name,
        person_name: r.person_name,
        parent_title: r.parent_title,
        created_at: r.created_at.to_jiff(),
        updated_at: r.updated_at.to_jiff(),
    })
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
pub async fn next_path(
    tx: &mut Tx,
    year: i16,
    unit: UnitId,
    parent: Option<&str>,
) -> Result<String, StoreError> {
    let paths: Vec<(String,)> = match parent {
        Some(p) => sql(
            "SELECT t.path FROM tasks t JOIN tasks pt ON pt.id = t.parent_id
                 WHERE t.year = $1 AND t.lead_unit_id = $2 AND pt.path = $3",
        )
        .bind(i64::from(year))
        .bind(unit)
        .bind(p),
        None => sql(
            "SELECT path FROM tasks WHERE year = $1 AND lead_unit_id = $2 AND parent_id IS NULL",
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
