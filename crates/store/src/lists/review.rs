//! Review of a unit's lists (submit, approve, return), the timeline of a task, change
//! requests (调整申请) and the per-field history they leave.

use crate::{Audit, StoreError, Tx, ledger, sql};
use duban_core::lists::baseline::{Baseline, ChangeState, FieldChange};
use duban_core::lists::state::TaskState;
use duban_core::lists::{ChangeId, TaskId};
use serde::Serialize;

/// Moves a task to `to` (already decided by `core::lists::state::apply`), records the event
/// with its comment, and on approval freezes the baseline.
pub async fn set_task_state(
    tx: &mut Tx,
    audit: &Audit,
    id: TaskId,
    from: TaskState,
    to: TaskState,
    comment: &str,
    baseline: Option<&Baseline>,
) -> Result<(), StoreError> {
    let touched = sql(
        "UPDATE tasks SET state = $3, review_comment = $4, updated_at = $5
         WHERE id = $1 AND state = $2",
    )
    .bind(id.0)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(comment)
    .bind(audit.at)
    .execute(tx)
    .await?;
    if touched == 0 {
        // Someone else moved it first; the caller read a state that is no longer true.
        return Err(StoreError::Conflict {
            constraint: "tasks_state_changed".into(),
        });
    }
    if let Some(b) = baseline {
        // Frozen once: a later approval (there is none in the lifecycle today) keeps the first.
        sql(
            "INSERT INTO task_baselines (task_id, baseline, approved_at) VALUES ($1, $2, $3)
             ON CONFLICT (task_id) DO NOTHING",
        )
        .bind(id.0)
        .bind(serde_json::to_string(b).expect("baselines serialize"))
        .bind(audit.at)
        .execute(tx)
        .await?;
    }
    insert_event(tx, audit, id, to.as_str(), comment).await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("task.state", "task", id.0)
            .before(&serde_json::json!({ "state": from.as_str() }))
            .after(&serde_json::json!({ "state": to.as_str(), "comment": comment, "baseline": baseline })),
    )
    .await?;
    Ok(())
}

async fn insert_event(
    tx: &mut Tx,
    audit: &Audit,
    id: TaskId,
    kind: &str,
    comment: &str,
) -> Result<(), StoreError> {
    sql("INSERT INTO task_events (task_id, kind, comment, actor_id, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id.0)
        .bind(kind)
        .bind(comment)
        .bind(audit.actor)
        .bind(audit.at)
        .execute(tx)
        .await?;
    Ok(())
}

/// One step on a task's timeline.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct TaskEvent {
    pub kind: String,
    pub comment: String,
    pub actor_name: Option<String>,
    #[serde(skip)]
    pub at: jiff_sqlx::Timestamp,
}

pub async fn list_task_events(tx: &mut Tx, id: TaskId) -> Result<Vec<TaskEvent>, StoreError> {
    sql(
        "SELECT e.kind, e.comment, COALESCE(p.name, u.username) AS actor_name, e.at
         FROM task_events e
         LEFT JOIN users u ON u.id = e.actor_id
         LEFT JOIN people p ON p.id = u.person_id
         WHERE e.task_id = $1 ORDER BY e.id",
    )
    .bind(id.0)
    .fetch_all(tx)
    .await
}

/// A change request as stored.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ChangeRow {
    pub id: i64,
    pub task_id: i64,
    pub task_title: String,
    pub lead_unit_id: i64,
    pub lead_unit_name: String,
    pub state: String,
    pub reason: String,
    #[serde(skip)]
    pub proposed: String,
    #[serde(skip)]
    pub changes: String,
    pub proposed_by_name: Option<String>,
    #[serde(skip)]
    pub proposed_at: jiff_sqlx::Timestamp,
    pub decided_by_name: Option<String>,
    pub decision_note: String,
}

impl ChangeRow {
    pub fn change_id(&self) -> ChangeId {
        ChangeId(self.id)
    }
    pub fn state(&self) -> Option<ChangeState> {
        ChangeState::parse(&self.state)
    }
    pub fn proposed(&self) -> Result<Baseline, StoreError> {
        serde_json::from_str(&self.proposed)
            .map_err(|e| StoreError::Db(sqlx::Error::Decode(e.into())))
    }
    /// The field changes as JSON values (field, before, after).
    pub fn changes(&self) -> Vec<serde_json::Value> {
        serde_json::from_str(&self.changes).unwrap_or_default()
    }
}

const CHANGE_SELECT: &str = "SELECT c.id, c.task_id, t.title AS task_title, t.lead_unit_id,
        un.short_name AS lead_unit_name, c.state, c.reason, c.proposed, c.changes,
        COALESCE(pp.name, pu.username) AS proposed_by_name, c.proposed_at,
        COALESCE(dp.name, du.username) AS decided_by_name, c.decision_note
    FROM task_changes c
    JOIN tasks t ON t.id = c.task_id
    JOIN units un ON un.id = t.lead_unit_id
    LEFT JOIN users pu ON pu.id = c.proposed_by
    LEFT JOIN people pp ON pp.id = pu.person_id
    LEFT JOIN users du ON du.id = c.decided_by
    LEFT JOIN people dp ON dp.id = du.person_id";

/// Files a change request. The one-pending-per-task rule is also a unique index.
pub async fn insert_change(
    tx: &mut Tx,
    audit: &Audit,
    task: TaskId,
    reason: &str,
    proposed: &Baseline,
    changes: &[FieldChange],
) -> Result<ChangeId, StoreError> {
    let (id,): (i64,) = sql("INSERT INTO task_changes (task_id, state, reason, proposed, changes, proposed_by, proposed_at)
         VALUES ($1, 'pending', $2, $3, $4, $5, $6) RETURNING id")
    .bind(task.0)
    .bind(reason.trim())
    .bind(serde_json::to_string(proposed).expect("baselines serialize"))
    .bind(serde_json::to_string(changes).expect("changes serialize"))
    .bind(audit.actor)
    .bind(audit.at)
    .fetch_one(tx)
    .await?;
    insert_event(tx, audit, task, "change_proposed", reason.trim()).await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("task_change.propose", "task_change", id).after(&serde_json::json!({
            "task": task.0, "reason": reason.trim(), "changes": changes,
        })),
    )
    .await?;
    Ok(ChangeId(id))
}

pub async fn get_change(tx: &mut Tx, id: ChangeId) -> Result<ChangeRow, StoreError> {
    crate::Sql::assembled(format!("{CHANGE_SELECT} WHERE c.id = $1"))
        .bind(id.0)
        .fetch_one(tx)
        .await
}

pub async fn list_changes_of_task(tx: &mut Tx, task: TaskId) -> Result<Vec<ChangeRow>, StoreError> {
    crate::Sql::assembled(format!(
        "{CHANGE_SELECT} WHERE c.task_id = $1 ORDER BY c.id DESC"
    ))
    .bind(task.0)
    .fetch_all(tx)
    .await
}

/// Pending change requests, oldest first (the supervision office's queue).
pub async fn list_pending_changes(tx: &mut Tx, limit: i64) -> Result<Vec<ChangeRow>, StoreError> {
    crate::Sql::assembled(format!(
        "{CHANGE_SELECT} WHERE c.state = 'pending' ORDER BY c.id LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(tx)
    .await
}

/// Records the decision on a pending request. On approval the caller applies the values with
/// `lists::update_task` and this writes one history row per changed field.
pub async fn decide_change(
    tx: &mut Tx,
    audit: &Audit,
    change: &ChangeRow,
    to: ChangeState,
    note: &str,
) -> Result<(), StoreError> {
    let touched = sql(
        "UPDATE task_changes SET state = $2, decided_by = $3, decided_at = $4, decision_note = $5
         WHERE id = $1 AND state = 'pending'",
    )
    .bind(change.id)
    .bind(to.as_str())
    .bind(audit.actor)
    .bind(audit.at)
    .bind(note.trim())
    .execute(tx)
    .await?;
    if touched == 0 {
        return Err(StoreError::Conflict {
            constraint: "task_changes_decided".into(),
        });
    }
    let task = TaskId(change.task_id);
    if to == ChangeState::Approved {
        for c in change.changes() {
            sql(
                "INSERT INTO task_history (task_id, field, before, after, change_id, actor_id, at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(task.0)
            .bind(c["field"].as_str().unwrap_or_default())
            .bind(c["before"].to_string())
            .bind(c["after"].to_string())
            .bind(change.id)
            .bind(audit.actor)
            .bind(audit.at)
            .execute(tx)
            .await?;
        }
    }
    insert_event(
        tx,
        audit,
        task,
        &format!("change_{}", to.as_str()),
        note.trim(),
    )
    .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("task_change.decide", "task_change", change.id)
            .before(&serde_json::json!({ "state": change.state }))
            .after(&serde_json::json!({ "state": to.as_str(), "note": note.trim() })),
    )
    .await?;
    Ok(())
}

/// One field's change after approval.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct HistoryRow {
    pub field: String,
    pub before: String,
    pub after: String,
    pub change_id: Option<i64>,
    pub reason: Option<String>,
    pub actor_name: Option<String>,
    #[serde(skip)]
    pub at: jiff_sqlx::Timestamp,
}

pub async fn list_task_history(tx: &mut Tx, task: TaskId) -> Result<Vec<HistoryRow>, StoreError> {
    sql("SELECT h.field, h.before, h.after, h.change_id, c.reason,
                COALESCE(p.name, u.username) AS actor_name, h.at
         FROM task_history h
         LEFT JOIN task_changes c ON c.id = h.change_id
         LEFT JOIN users u ON u.id = h.actor_id
         LEFT JOIN people p ON p.id = u.person_id
         WHERE h.task_id = $1 ORDER BY h.id")
    .bind(task.0)
    .fetch_all(tx)
    .await
}

/// Tasks of a unit's list in `year` that a head's submission moves (draft or returned).
pub async fn list_submittable(
    tx: &mut Tx,
    year: i16,
    unit: duban_core::org::UnitId,
) -> Result<Vec<(TaskId, TaskState)>, StoreError> {
    // A unit submits the tasks written in its list: its own, and the shares of its tasks
    // that other units lead (a town's share of a department's task is the department's to
    // submit), but not the shares other units wrote for it.
    let rows: Vec<(i64, String)> = sql("SELECT t.id, t.state FROM tasks t
         LEFT JOIN tasks p ON p.id = t.parent_id
         WHERE t.year = $1
           AND (t.lead_unit_id = $2 OR t.parent_id IN
                (SELECT o.id FROM tasks o WHERE o.year = $1 AND o.lead_unit_id = $2))
           AND COALESCE(p.lead_unit_id, t.lead_unit_id) = $2
           AND t.state IN ('draft', 'returned') ORDER BY t.sort_key, t.id")
    .bind(i64::from(year))
    .bind(unit)
    .fetch_all(tx)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, s)| Some((TaskId(id), TaskState::parse(&s)?)))
        .collect())
}
