//! A parent task's figures kept rolled up from its approved sub-tasks: what the roll-up reads
//! (the children's stored figures, already rolled up for their own sub-trees) and where it
//! writes (the parent's progress and indicator actuals). The rule itself is
//! `duban_core::lists::rollup`; the order (deepest parents first) is the caller's.

use crate::{StoreError, Tx, sql};
use duban_core::lists::TaskId;

/// One approved sub-task's stored figures.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Child {
    pub id: i64,
    pub weight: f64,
    pub progress: f64,
}

/// One indicator of a task with its stored actual.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IndicatorRow {
    pub task_id: i64,
    pub position: i64,
    pub name: String,
    pub target: f64,
    pub unit: String,
    pub actual: Option<f64>,
}

/// The parent of a task, if it has one.
pub async fn parent_of(tx: &mut Tx, task: TaskId) -> Result<Option<TaskId>, StoreError> {
    let row: Option<(Option<i64>,)> = sql("SELECT parent_id FROM tasks WHERE id = $1")
        .bind(task)
        .fetch_optional(tx)
        .await?;
    Ok(row.and_then(|(p,)| p).map(TaskId))
}

/// A task's approved sub-tasks with their stored figures, in order.
pub async fn children(tx: &mut Tx, parent: TaskId) -> Result<Vec<Child>, StoreError> {
    sql("SELECT id, weight, progress FROM tasks
         WHERE parent_id = $1 AND state = 'approved' ORDER BY sort_key, id")
    .bind(parent)
    .fetch_all(tx)
    .await
}

/// The indicators of a task and of its approved sub-tasks.
pub async fn indicators_of_family(
    tx: &mut Tx,
    parent: TaskId,
) -> Result<Vec<IndicatorRow>, StoreError> {
    sql(
        "SELECT i.task_id, i.position, i.name, i.target, i.unit, i.actual
         FROM task_indicators i JOIN tasks t ON t.id = i.task_id
         WHERE t.id = $1 OR (t.parent_id = $1 AND t.state = 'approved')
         ORDER BY i.task_id, i.position",
    )
    .bind(parent)
    .fetch_all(tx)
    .await
}

/// Writes a parent's rolled-up progress and the indicator actuals that changed
/// (`(position, value)`); the caller compares with what is stored.
pub async fn set_figures(
    tx: &mut Tx,
    task: TaskId,
    progress: f64,
    actuals: &[(i64, Option<f64>)],
    at: jiff::Timestamp,
) -> Result<(), StoreError> {
    sql("UPDATE tasks SET progress = $2, updated_at = $3 WHERE id = $1")
        .bind(task)
        .bind(progress)
        .bind(at)
        .execute(tx)
        .await?;
    for (position, actual) in actuals {
        sql("UPDATE task_indicators SET actual = $3 WHERE task_id = $1 AND position = $2")
            .bind(task)
            .bind(*position)
            .bind(*actual)
            .execute(tx)
            .await?;
    }
    Ok(())
}

/// The approved tasks of a year that have approved sub-tasks, deepest first (so children are
/// rolled up before their parents).
pub async fn parents_of_year(tx: &mut Tx, year: i16) -> Result<Vec<TaskId>, StoreError> {
    let rows: Vec<(i64,)> = sql("SELECT t.id FROM tasks t
         WHERE t.year = $1 AND t.state = 'approved' AND EXISTS (SELECT 1 FROM tasks ch
             WHERE ch.parent_id = t.id AND ch.state = 'approved')
         ORDER BY t.depth DESC, t.id")
    .bind(i64::from(year))
    .fetch_all(tx)
    .await?;
    Ok(rows.into_iter().map(|(id,)| TaskId(id)).collect())
}
