//! The reports people have to act on: the tasks a unit still has to report for this period
//! ("my reports due"), and the reports waiting for the unit head or the supervision office.

use super::REPORTS_FIGURES;
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
         WHERE t.year = $1 AND t.state = 'approved' AND t.progress < 100 AND {REPORTS_FIGURES}
           AND ({})
         ORDER BY CASE WHEN r.state IS NULL OR r.state IN ('draft', 'returned') THEN 0 ELSE 1 END,
                  t.lead_unit_id, t.sort_key
         LIMIT ${}",
        who.join(" OR "),
        params.len()
    );
    Sql::with_params(text, params).fetch_all(tx).await
}

/// A report waiting for someone, with what its reviewer weighs: the previous accepted value,
/// the target date's 序时进度 and the evidence attached.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct QueueRow {
    pub id: i64,
    pub task_id: i64,
    pub path: String,
    pub title: String,
    pub lead_unit_name: String,
    pub period: String,
    pub percent: f64,
    /// The task's accepted progress now (what the report would change).
    pub accepted: f64,
    /// 序时进度 today.
    pub expected: f64,
    pub light: String,
    pub no_change: bool,
    pub progress_text: String,
    pub pace: Option<String>,
    pub returns: i64,
    /// Sent after its due day.
    pub late: bool,
    /// Files attached as evidence.
    pub files: i64,
    #[serde(skip)]
    pub due_on: jiff_sqlx::Date,
}

/// Which waiting reports a queue shows. Every field narrows.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub unit: Option<UnitId>,
    pub campaign: Option<i64>,
    pub light: Option<String>,
    pub no_change_only: bool,
    pub late_only: bool,
    pub limit: i64,
    pub offset: i64,
}

/// Reports in `state` (unit_review for a head, submitted for the office), of `units` only
/// when given, narrowed by `f`; oldest first; with how many there are in all.
pub async fn waiting(
    tx: &mut Tx,
    state: &str,
    units: Option<&[UnitId]>,
    f: &QueueFilter,
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
    if let Some(u) = f.unit {
        params.push(u.into());
        w.push_str(&format!(" AND r.unit_id = ${}", params.len()));
    }
    if let Some(c) = f.campaign {
        params.push(c.into());
        w.push_str(&format!(" AND t.campaign_id = ${}", params.len()));
    }
    if let Some(l) = &f.light {
        params.push(l.as_str().into());
        w.push_str(&format!(" AND t.light = ${}", params.len()));
    }
    if f.no_change_only {
        w.push_str(" AND r.no_change = TRUE");
    }
    if f.late_only {
        w.push_str(" AND r.sent_late = TRUE");
    }
    let count: (i64,) = Sql::with_params(
        format!(
            "SELECT COUNT(*) FROM progress_reports r JOIN tasks t ON t.id = r.task_id WHERE {w}"
        ),
        params.clone(),
    )
    .fetch_one(tx)
    .await?;
    params.push(f.limit.into());
    let l = params.len();
    params.push(f.offset.into());
    let o = params.len();
    let text = format!(
        "SELECT r.id, r.task_id, t.path, t.title, u.short_name AS lead_unit_name, r.period,
                r.percent, t.progress AS accepted, t.expected, t.light, r.no_change,
                r.progress_text, r.pace, r.returns, r.sent_late AS late,
                (SELECT COUNT(*) FROM attachment_links a
                    WHERE a.object_type = 'report' AND a.object_id = r.id) AS files,
                r.due_on
         FROM progress_reports r JOIN tasks t ON t.id = r.task_id
         JOIN units u ON u.id = r.unit_id
         WHERE {w} ORDER BY r.updated_at, r.id LIMIT ${l} OFFSET ${o}"
    );
    let rows = Sql::with_params(text, params).fetch_all(tx).await?;
    Ok((rows, count.0))
}
