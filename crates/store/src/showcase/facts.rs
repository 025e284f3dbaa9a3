//! What a presenting unit's showcase page reads from data already in duban for the half-year:
//! its tasks' key indicators, its milestones due in the period, its cases due in the period
//! (and those closed late or still open past their day) and its commitments by outcome.
//! Nothing here is typed by the unit; lights and progress come from the dashboard's queries
//! (`crate::progress::dashboard`).

use crate::{StoreError, Tx, sql};
use duban_core::org::UnitId;
use jiff::civil::Date;
use serde::Serialize;

/// A key indicator (关键指标) of one of the unit's approved tasks: target against actual.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct IndicatorRow {
    pub task_title: String,
    pub name: String,
    pub target: f64,
    pub actual: Option<f64>,
    pub unit: String,
}

/// The indicators of the unit's approved top-level tasks of `year`, in list order.
pub async fn indicators(
    tx: &mut Tx,
    unit: UnitId,
    year: i16,
    limit: i64,
) -> Result<Vec<IndicatorRow>, StoreError> {
    sql(
        "SELECT t.title AS task_title, i.name, i.target, i.actual, i.unit
         FROM task_indicators i JOIN tasks t ON t.id = i.task_id
         WHERE t.lead_unit_id = $1 AND t.year = $2 AND t.state = 'approved' AND t.depth = 0
         ORDER BY t.sort_key, i.position LIMIT $3",
    )
    .bind(unit)
    .bind(i64::from(year))
    .bind(limit)
    .fetch_all(tx)
    .await
}

/// A milestone (节点) of one of the unit's approved tasks, due in the period, with what is
/// needed to judge whether it was met (`duban_core::progress::light::milestone_met`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MilestoneRow {
    pub task_id: i64,
    pub task_title: String,
    pub due_date: jiff_sqlx::Date,
    pub target_text: String,
    /// JSON array, one target per indicator (`null` where the milestone sets none).
    pub target_values: String,
    pub progress: f64,
    pub task_due: Option<jiff_sqlx::Date>,
}

/// Milestones of the unit's approved tasks due from `from` to `to` (inclusive), by day.
pub async fn milestones(
    tx: &mut Tx,
    unit: UnitId,
    from: Date,
    to: Date,
) -> Result<Vec<MilestoneRow>, StoreError> {
    sql(
        "SELECT m.task_id, t.title AS task_title, m.due_date, m.target_text, m.target_values,
                t.progress, t.due_date AS task_due
         FROM task_milestones m JOIN tasks t ON t.id = m.task_id
         WHERE t.lead_unit_id = $1 AND t.state = 'approved' AND m.due_date BETWEEN $2 AND $3
         ORDER BY m.due_date, t.sort_key, m.position",
    )
    .bind(unit)
    .bind(from)
    .bind(to)
    .fetch_all(tx)
    .await
}

/// The latest indicator actuals of the given tasks: (task, position, actual).
pub async fn actuals(
    tx: &mut Tx,
    unit: UnitId,
    year: i16,
) -> Result<Vec<(i64, i64, Option<f64>)>, StoreError> {
    sql(
        "SELECT i.task_id, i.position, i.actual FROM task_indicators i
         JOIN tasks t ON t.id = i.task_id
         WHERE t.lead_unit_id = $1 AND t.year = $2 ORDER BY i.task_id, i.position",
    )
    .bind(unit)
    .bind(i64::from(year))
    .fetch_all(tx)
    .await
}

/// A case the unit leads that was due in the period.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct CaseRow {
    pub id: i64,
    pub title: String,
    pub state: String,
    pub due_on: jiff_sqlx::Date,
    pub closed_on: Option<jiff_sqlx::Date>,
}

impl CaseRow {
    /// Overdue as of `day`: still open after its due day, or closed after it.
    pub fn overdue(&self, day: Date) -> bool {
        let due = self.due_on.to_jiff();
        match self.closed_on {
            Some(c) => c.to_jiff() > due,
            None => day > due,
        }
    }
}

/// Cases the unit leads with a due day from `from` to `to`, by due day.
pub async fn cases_due(
    tx: &mut Tx,
    unit: UnitId,
    from: Date,
    to: Date,
) -> Result<Vec<CaseRow>, StoreError> {
    sql("SELECT id, title, state, due_on, closed_on FROM cases
         WHERE lead_unit_id = $1 AND due_on BETWEEN $2 AND $3 ORDER BY due_on, id")
    .bind(unit)
    .bind(from)
    .bind(to)
    .fetch_all(tx)
    .await
}

/// How many of the unit's commitments of `year` are in each state: (state, count).
pub async fn commitment_states(
    tx: &mut Tx,
    unit: UnitId,
    year: i16,
) -> Result<Vec<(String, i64)>, StoreError> {
    sql(
        "SELECT state, COUNT(*) FROM commitments WHERE unit_id = $1 AND year = $2
         GROUP BY state ORDER BY state",
    )
    .bind(unit)
    .bind(i64::from(year))
    .fetch_all(tx)
    .await
}
