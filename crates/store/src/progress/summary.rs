//! The office's 月度进展汇总表: every report of one period, of all units or of some, with the
//! accepted percentage before it and the indicator actuals it states. Read for the sheet
//! download only; the reports' own pages read them one by one.

use crate::{Param, Sql, StoreError, Tx};
use duban_core::org::UnitId;
use serde::Serialize;

/// One report of the period, with its task and unit.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct SummaryRow {
    pub id: i64,
    pub task_id: i64,
    pub path: String,
    pub title: String,
    pub unit_name: String,
    pub state: String,
    pub percent: f64,
    /// The percentage of the task's last accepted report of an earlier period, if any.
    pub previous: Option<f64>,
    pub no_change: bool,
    pub pace: Option<String>,
    pub progress_text: String,
    pub problems: String,
    pub next_steps: String,
    pub coordination: String,
    pub lower_reason: String,
}

/// An indicator actual a report states: its report, the indicator's name and unit, the value.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct SummaryValue {
    pub report_id: i64,
    pub name: String,
    pub unit: String,
    pub value: f64,
}

/// Pushes `items` and names their placeholders, `$3, $4`.
fn list(params: &mut Vec<Param>, items: Vec<Param>) -> String {
    items
        .into_iter()
        .map(|p| {
            params.push(p);
            format!("${}", params.len())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The reports of `period` of tasks of `year`, in list order (lead unit, then 序号); of
/// `units` only when given; in `states` only. Each report's indicator values come second,
/// in the reports' and indicators' order.
pub async fn period_reports(
    tx: &mut Tx,
    year: i16,
    period: &str,
    units: Option<&[UnitId]>,
    states: &[&str],
) -> Result<(Vec<SummaryRow>, Vec<SummaryValue>), StoreError> {
    let mut params: Vec<Param> = vec![i64::from(year).into(), period.into()];
    let mut w = String::from("t.year = $1 AND r.period = $2");
    if states.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let s = list(&mut params, states.iter().map(|s| (*s).into()).collect());
    w.push_str(&format!(" AND r.state IN ({s})"));
    if let Some(units) = units {
        if units.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let u = list(&mut params, units.iter().map(|u| (*u).into()).collect());
        w.push_str(&format!(" AND r.unit_id IN ({u})"));
    }
    let rows: Vec<SummaryRow> = Sql::with_params(
        format!(
            "SELECT r.id, r.task_id, t.path, t.title, u.short_name AS unit_name, r.state,
                    r.percent,
                    (SELECT p.percent FROM progress_reports p
                      WHERE p.task_id = r.task_id AND p.state = 'accepted'
                        AND p.period < r.period
                      ORDER BY p.period DESC LIMIT 1) AS previous,
                    r.no_change, r.pace, r.progress_text, r.problems, r.next_steps,
                    r.coordination, r.lower_reason
             FROM progress_reports r JOIN tasks t ON t.id = r.task_id
             JOIN units u ON u.id = r.unit_id
             WHERE {w} ORDER BY t.lead_unit_id, t.sort_key, r.id"
        ),
        params.clone(),
    )
    .fetch_all(&mut *tx)
    .await?;
    let values: Vec<SummaryValue> = Sql::with_params(
        format!(
            "SELECT r.id AS report_id, i.name, i.unit, v.value
             FROM progress_reports r JOIN tasks t ON t.id = r.task_id
             JOIN report_values v ON v.report_id = r.id
             JOIN task_indicators i ON i.task_id = r.task_id AND i.position = v.position
             WHERE {w} ORDER BY r.id, v.position"
        ),
        params,
    )
    .fetch_all(tx)
    .await?;
    Ok((rows, values))
}
