//! The reports people have to act on: the tasks a unit still has to report for this period
//! ("my reports due"), and the reports waiting for the unit head or the supervision office.

use crate::{Param, Sql, StoreError, Tx};
use duban_core::org::{PersonId, UnitId};
use serde::Serialize;

/// A task to report on, with this period's report if one was started.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct DueRow {
    pub id: i64,
    pub path: String,
    pub title: String,
    pub lead_unit_name: String,
    pub progress: f64,
    pub light: String,
    pub cadence: Option<String>,
    pub period: String,
    pub report_id: Option<i64>,
    pub report_state: Option<String>,
}

/// The current period's key for each cadence, in the order weekly, monthly, quarterly,
/// half-yearly, yearly.
pub struct PeriodKeys(pub [String; 5]);

/// Approved, unfinished tasks of `year` led by `units` or naming `person`, with the report of
/// their current period (by their own cadence or `plan_cadence`); those not yet sent first.
pub async fn due(
    tx: &mut Tx,
    year: i16,
    units: &[UnitId],
    person: Option<PersonId>,
    plan_cadence: &str,
    keys: &PeriodKeys,
    limit: i64,
) -> Result<Vec<DueRow>, StoreError> {
    let mut params: Vec<Param> = vec![i64::from(year).into(), plan_cadence.into()];
    for k in &keys.0 {
        params.push(k.as_str().into());
    }
    let mut who = Vec::new();
    if !units.is_empty() {
        let hs: Vec<String> = units
            .iter()
            .map(|u| {
                params.push((*u).into());
                format!("${}", params.len())
            })
            .collect();
        who.push(format!("t.lead_unit_id IN ({})", hs.join(", ")));
    }
    if let Some(p) = person {
        params.push(p.into());
        who.push(format!("t.person_id = ${}", params.len()));
    }
    if who.is_empty() {
        return Ok(Vec::new());
    }
    params.push(limit.into());
    let text = format!(
        "SELECT t.id, t.path, t.title, u.short_name AS lead_unit_name, t.progress, t.light,
                t.cadence, p.period, r.id AS report_id, r.state AS report_state
         FROM tasks t JOIN units u ON u.id = t.lead_unit_id
         JOIN (SELECT id AS task_id, CASE COALESCE(cadence, $2) WHEN 'weekly' THEN $3
                   WHEN 'monthly' THEN $4 WHEN 'quarterly' THEN $5 WHEN 'half_yearly' THEN $6
                   ELSE $7 END AS period FROM tasks) p ON p.task_id = t.id
         LEFT JOIN progress_reports r ON r.task_id = t.id AND r.period = p.period
         WHERE t.year = $1 AND t.state = 'approved' AND t.progress < 100 AND ({})
         ORDER BY CASE WHEN r.state IS NULL OR r.state IN ('draft', 'returned') THEN 0 ELSE 1 END,
                  t.lead_unit_id, t.sort_key
         LIMIT ${}",
        who.join(" OR "),
        params.len()
    );
    Sql::with_params(text, params).fetch_all(tx).await
}

/// A report waiting for someone.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct QueueRow {
    pub id: i64,
    pub task_id: i64,
    pub path: String,
    pub title: String,
    pub lead_unit_name: String,
    pub period: String,
    pub percent: f64,
    pub no_change: bool,
    pub progress_text: String,
    pub pace: Option<String>,
    pub returns: i64,
}

/// Reports in `state` (unit_review for a head, submitted for the office), of `units` only
/// when given; oldest first.
pub async fn waiting(
    tx: &mut Tx,
    state: &str,
    units: Option<&[UnitId]>,
    limit: i64,
) -> Result<(Vec<QueueRow>, i64), StoreError> {
    let mut params: Vec<Param> = vec![state.into()];
    let mut w = String::from("r.state = $1");
    if let Some(units) = units {
        let hs: Vec<String> = units
            .iter()
            .map(|u| {
                params.push((*u).into());
                format!("${}", params.len())
            })
            .collect();
        if hs.is_empty() {
            return Ok((Vec::new(), 0));
        }
        w.push_str(&format!(" AND r.unit_id IN ({})", hs.join(", ")));
    }
    let count: (i64,) = Sql::with_params(
        format!("SELECT COUNT(*) FROM progress_reports r WHERE {w}"),
        params.clone(),
    )
    .fetch_one(tx)
    .await?;
    params.push(limit.into());
    let text = format!(
        "SELECT r.id, r.task_id, t.path, t.title, u.short_name AS lead_unit_name, r.period,
                r.percent, r.no_change, r.progress_text, r.pace, r.returns
         FROM progress_reports r JOIN tasks t ON t.id = r.task_id
         JOIN units u ON u.id = r.unit_id
         WHERE {w} ORDER BY r.updated_at, r.id LIMIT ${}",
        params.len()
    );
    let rows = Sql::with_params(text, params).fetch_all(tx).await?;
    Ok((rows, count.0))
}
