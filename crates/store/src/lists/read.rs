//! Reading whole tasks (with their units, indicators, milestones and names): one at a time for
//! a task page, or hundreds per query for exports.

use super::{Task, TaskFields};
use crate::{Sql, StoreError, Tx};
use duban_core::lists::state::TaskState;
use duban_core::lists::{CampaignId, Due, Indicator, ListKind, Milestone, TaskId};
use duban_core::org::{PersonId, PostId, SectionId, UnitId};
use std::collections::HashMap;

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
    task_id: i64,
    name: String,
    target: f64,
    unit: String,
    actual: Option<f64>,
}

#[derive(sqlx::FromRow)]
struct MilestoneRow {
    task_id: i64,
    due_date: jiff_sqlx::Date,
    target_text: String,
    target_values: String,
}

#[derive(sqlx::FromRow)]
struct CoUnitRow {
    task_id: i64,
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
    get_tasks(tx, &[id])
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
}

/// Reads many tasks at once (an export): four queries per few hundred tasks, in the order of
/// `ids`; ids that do not exist are left out.
pub async fn get_tasks(tx: &mut Tx, ids: &[TaskId]) -> Result<Vec<Task>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(400) {
        // Ids are integers, not user input.
        let list = chunk
            .iter()
            .map(|i| i.0.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let rows: Vec<TaskDbRow> = Sql::assembled(format!(
            "SELECT t.id, t.year, t.campaign_id, c.name AS campaign_name, t.list_kind,
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
             WHERE t.id IN ({list})"
        ))
        .fetch_all(tx)
        .await?;
        let co: Vec<CoUnitRow> = Sql::assembled(format!(
            "SELECT tu.task_id, tu.unit_id, u.short_name AS name FROM task_units tu
             JOIN units u ON u.id = tu.unit_id
             WHERE tu.task_id IN ({list}) AND tu.role = 'co' ORDER BY tu.task_id, tu.position"
        ))
        .fetch_all(tx)
        .await?;
        let inds: Vec<IndicatorRow> = Sql::assembled(format!(
            "SELECT task_id, name, target, unit, actual FROM task_indicators
             WHERE task_id IN ({list}) ORDER BY task_id, position"
        ))
        .fetch_all(tx)
        .await?;
        let ms: Vec<MilestoneRow> = Sql::assembled(format!(
            "SELECT task_id, due_date, target_text, target_values FROM task_milestones
             WHERE task_id IN ({list}) ORDER BY task_id, position"
        ))
        .fetch_all(tx)
        .await?;
        let mut by_id: HashMap<i64, TaskDbRow> = rows.into_iter().map(|r| (r.id, r)).collect();
        let group = |v: Vec<(i64, usize)>| {
            let mut m: HashMap<i64, Vec<usize>> = HashMap::new();
            for (task, i) in v {
                m.entry(task).or_default().push(i);
            }
            m
        };
        let co_of = group(co.iter().enumerate().map(|(i, c)| (c.task_id, i)).collect());
        let inds_of = group(
            inds.iter()
                .enumerate()
                .map(|(i, c)| (c.task_id, i))
                .collect(),
        );
        let ms_of = group(ms.iter().enumerate().map(|(i, c)| (c.task_id, i)).collect());
        for id in chunk {
            let Some(r) = by_id.remove(&id.0) else {
                continue;
            };
            let pick = |m: &HashMap<i64, Vec<usize>>| m.get(&id.0).cloned().unwrap_or_default();
            let co: Vec<&CoUnitRow> = pick(&co_of).into_iter().map(|i| &co[i]).collect();
            let inds: Vec<&IndicatorRow> = pick(&inds_of).into_iter().map(|i| &inds[i]).collect();
            let ms: Vec<&MilestoneRow> = pick(&ms_of).into_iter().map(|i| &ms[i]).collect();
            out.push(assemble(r, &co, &inds, &ms)?);
        }
    }
    Ok(out)
}

/// One task from its row and its parts.
fn assemble(
    r: TaskDbRow,
    co: &[&CoUnitRow],
    inds: &[&IndicatorRow],
    ms: &[&MilestoneRow],
) -> Result<Task, StoreError> {
    let milestones = ms
        .iter()
        .map(|m| {
            Ok(Milestone {
                due: m.due_date.to_jiff(),
                target_text: m.target_text.clone(),
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
        co_unit_names: co.iter().map(|c| c.name.clone()).collect(),
        lead_leader_name: r.lead_leader_name,
        section_name: r.section_name,
        post_name: r.post_name,
        person_name: r.person_name,
        parent_title: r.parent_title,
        created_at: r.created_at.to_jiff(),
        updated_at: r.updated_at.to_jiff(),
    })
}
