//! Each task's light kept current: what the rules need per task ([`clock_rows`] and the
//! milestones, indicators and reports beside them), the light written back on the task with
//! its reasons and forecast ([`write_lights`]), the office's manual light, and each closed
//! period's light per task with the dashboards' trend ([`close_period`], [`repair`]).

use super::COUNTED;
use crate::{Audit, Sql, StoreError, Tx, ledger, sql};
use duban_core::light::Light;
use duban_core::lists::TaskId;
use jiff::civil::Date;
use serde::Serialize;

/// What a task's light is computed from (core::progress::light::TaskClock is built from it).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClockRow {
    pub id: i64,
    pub year: i64,
    pub lead_unit_id: i64,
    pub due_date: Option<jiff_sqlx::Date>,
    pub cadence: Option<String>,
    pub progress: f64,
    pub weight: f64,
    pub light: String,
    pub manual_light: Option<String>,
    pub manual_reason: Option<String>,
    /// Approved sub-tasks: a task with any takes its figures from them and owes no report.
    pub children: i64,
}

const CLOCK: &str = "SELECT t.id, t.year, t.lead_unit_id, t.due_date, t.cadence, t.progress,
    t.weight, t.light, l.manual_light, l.manual_reason,
    (SELECT COUNT(*) FROM tasks ch WHERE ch.parent_id = t.id AND ch.state = 'approved')
        AS children
    FROM tasks t LEFT JOIN task_lights l ON l.task_id = t.id";

/// Approved tasks of a year with ids above `after`, in id order, `limit` at a time.
pub async fn clock_rows(
    tx: &mut Tx,
    year: i16,
    after: i64,
    limit: i64,
) -> Result<Vec<ClockRow>, StoreError> {
    Sql::assembled(format!(
        "{CLOCK} WHERE t.year = $1 AND t.state = 'approved' AND t.id > $2 ORDER BY t.id LIMIT $3"
    ))
    .bind(i64::from(year))
    .bind(after)
    .bind(limit)
    .fetch_all(tx)
    .await
}

pub async fn clock_row(tx: &mut Tx, task: TaskId) -> Result<ClockRow, StoreError> {
    Sql::assembled(format!("{CLOCK} WHERE t.id = $1"))
        .bind(task)
        .fetch_one(tx)
        .await
}

/// Milestones of tasks `from..=to` (id range): (task, due, target values JSON).
pub async fn milestones_between(
    tx: &mut Tx,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, jiff_sqlx::Date, String)>, StoreError> {
    sql(
        "SELECT task_id, due_date, target_values FROM task_milestones
         WHERE task_id BETWEEN $1 AND $2 ORDER BY task_id, position",
    )
    .bind(from)
    .bind(to)
    .fetch_all(tx)
    .await
}

/// Latest accepted indicator actuals of tasks `from..=to`: (task, position, actual).
pub async fn actuals_between(
    tx: &mut Tx,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, i64, Option<f64>)>, StoreError> {
    sql("SELECT task_id, position, actual FROM task_indicators
         WHERE task_id BETWEEN $1 AND $2 ORDER BY task_id, position")
    .bind(from)
    .bind(to)
    .fetch_all(tx)
    .await
}

/// Reports of tasks `from..=to` that have left their author (sent, submitted or accepted) for
/// one of `periods`: (task, period).
pub async fn sent_between(
    tx: &mut Tx,
    from: i64,
    to: i64,
    periods: &[String],
) -> Result<Vec<(i64, String)>, StoreError> {
    let mut params: Vec<crate::Param> = vec![from.into(), to.into()];
    let mut holders = Vec::new();
    for p in periods {
        params.push(p.as_str().into());
        holders.push(format!("${}", params.len()));
    }
    let text = format!(
        "SELECT task_id, period FROM progress_reports
         WHERE task_id BETWEEN $1 AND $2 AND state IN ('unit_review', 'submitted', 'accepted')
           AND period IN ({})",
        holders.join(", ")
    );
    Sql::with_params(text, params).fetch_all(tx).await
}

/// Accepted progress of tasks `from..=to` as (task, day sent, percent), oldest first: the
/// forecast's history.
pub async fn history_between(
    tx: &mut Tx,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, jiff_sqlx::Timestamp, f64)>, StoreError> {
    sql(
        "SELECT task_id, COALESCE(sent_at, decided_at) AS at, percent FROM progress_reports
         WHERE task_id BETWEEN $1 AND $2 AND state = 'accepted'
         ORDER BY task_id, COALESCE(sent_at, decided_at)",
    )
    .bind(from)
    .bind(to)
    .fetch_all(tx)
    .await
}

/// A task's light as computed, to be written back.
#[derive(Debug, Clone)]
pub struct LightWrite {
    pub task: i64,
    pub light: Light,
    pub expected: f64,
    pub reasons: String,
    pub forecast_on: Option<Date>,
    pub forecast_late: bool,
}

/// Rows per statement when lights are written in bulk (6 parameters each, under the 900
/// a statement binds quickly on SQLite).
const WRITE_BATCH: usize = 140;

/// Records in the ledger that the lights of `year` were recomputed on `day` (`n` tasks): the
/// daily job changes what every dashboard shows, so it moves the ledger's head like any write.
pub async fn record_daily(
    tx: &mut Tx,
    audit: &Audit,
    year: i16,
    day: Date,
    n: usize,
) -> Result<(), StoreError> {
    ledger::append(
        tx,
        audit,
        ledger::Change::new("lights.daily", "year", i64::from(year))
            .after(&serde_json::json!({ "day": day.to_string(), "tasks": n })),
    )
    .await?;
    Ok(())
}

/// Writes the lights computed on `on`: on the task (what dashboards count) and the reasons
/// and forecast beside it; a whole year's in a few hundred statements.
pub async fn write_lights(
    tx: &mut Tx,
    on: Date,
    at: jiff::Timestamp,
    lights: &[LightWrite],
) -> Result<(), StoreError> {
    for chunk in lights.chunks(WRITE_BATCH) {
        let mut params: Vec<crate::Param> = vec![on.into()];
        let mut rows = Vec::with_capacity(chunk.len());
        for w in chunk {
            let n = params.len();
            params.push(w.task.into());
            params.push(w.light.as_str().into());
            params.push(w.expected.into());
            rows.push(format!("(${}, ${}, ${})", n + 1, n + 2, n + 3));
        }
        // VALUES columns are column1, column2 … on both backends; the casts type them.
        let text = format!(
            "UPDATE tasks SET light = v.light, expected = v.expected, light_on = $1
             FROM (SELECT CAST(column1 AS BIGINT) AS id, CAST(column2 AS TEXT) AS light,
                          CAST(column3 AS DOUBLE PRECISION) AS expected
                   FROM (VALUES {}) AS x) AS v
             WHERE tasks.id = v.id",
            rows.join(", ")
        );
        Sql::with_params(text, params).execute(tx).await?;
        let rows: Vec<Vec<crate::Param>> = chunk
            .iter()
            .map(|w| {
                vec![
                    w.task.into(),
                    w.reasons.as_str().into(),
                    w.forecast_on.into(),
                    w.forecast_late.into(),
                    at.into(),
                ]
            })
            .collect();
        if let Some(q) = crate::insert_many(
            "INSERT INTO task_lights (task_id, reasons, forecast_on, forecast_late, updated_at)",
            rows,
        ) {
            q.on_conflict(
                " ON CONFLICT (task_id) DO UPDATE SET reasons = excluded.reasons,
                  forecast_on = excluded.forecast_on, forecast_late = excluded.forecast_late,
                  updated_at = excluded.updated_at",
            )
            .execute(tx)
            .await?;
        }
    }
    Ok(())
}

/// The light and why, as stored for a task.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct StoredLight {
    pub light: String,
    pub expected: f64,
    #[serde(skip)]
    pub light_on: Option<jiff_sqlx::Date>,
    pub reasons: Option<String>,
    #[serde(skip)]
    pub forecast_on: Option<jiff_sqlx::Date>,
    pub forecast_late: Option<bool>,
    pub manual_light: Option<String>,
    pub manual_reason: Option<String>,
}

pub async fn stored_light(tx: &mut Tx, task: TaskId) -> Result<StoredLight, StoreError> {
    sql(
        "SELECT t.light, t.expected, t.light_on, l.reasons, l.forecast_on, l.forecast_late,
                l.manual_light, l.manual_reason
         FROM tasks t LEFT JOIN task_lights l ON l.task_id = t.id WHERE t.id = $1",
    )
    .bind(task)
    .fetch_one(tx)
    .await
}

/// Sets (or with `None` clears) the office's manual light with its reason.
pub async fn set_manual(
    tx: &mut Tx,
    audit: &Audit,
    task: TaskId,
    light: Option<Light>,
    reason: &str,
) -> Result<(), StoreError> {
    sql("INSERT INTO task_lights (task_id, manual_light, manual_reason, manual_by, manual_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (task_id) DO UPDATE SET manual_light = $2, manual_reason = $3,
             manual_by = $4, manual_at = $5, updated_at = $5")
    .bind(task)
    .bind(light.map(Light::as_str))
    .bind(reason)
    .bind(audit.actor.map(|u| u.0))
    .bind(audit.at)
    .execute(tx)
    .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("task.light", "task", task.0)
            .after(&serde_json::json!({ "light": light.map(Light::as_str), "reason": reason })),
    )
    .await?;
    Ok(())
}

/// One closed period of a task, as kept.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct HistoryRow {
    pub period: String,
    pub light: String,
    pub reasons: String,
    pub progress: f64,
    pub expected: f64,
    pub repaired: bool,
}

pub async fn history(tx: &mut Tx, task: TaskId) -> Result<Vec<HistoryRow>, StoreError> {
    sql(
        "SELECT period, light, reasons, progress, expected, repaired FROM task_light_history
         WHERE task_id = $1 ORDER BY period",
    )
    .bind(task)
    .fetch_all(tx)
    .await
}

/// Has this month been closed already?
pub async fn period_closed(tx: &mut Tx, year: i16, period: &str) -> Result<bool, StoreError> {
    let n: (i64,) = sql("SELECT COUNT(*) FROM light_trend WHERE year = $1 AND period = $2")
        .bind(i64::from(year))
        .bind(period)
        .fetch_one(tx)
        .await?;
    Ok(n.0 > 0)
}

/// Closes a month: every approved task's current light (computed as of the month's last day
/// just before) is kept as that month's light, and the dashboards' trend gets its counts per
/// unit, campaign and list kind. Running it twice for a month changes nothing.
pub async fn close_period(tx: &mut Tx, year: i16, period: &str) -> Result<u64, StoreError> {
    let kept = sql(
        "INSERT INTO task_light_history (task_id, period, light, reasons, progress, expected)
         SELECT t.id, $2, t.light, COALESCE(l.reasons, '[]'), t.progress, t.expected
         FROM tasks t LEFT JOIN task_lights l ON l.task_id = t.id
         WHERE t.year = $1 AND t.state = 'approved'
         ON CONFLICT (task_id, period) DO NOTHING",
    )
    .bind(i64::from(year))
    .bind(period)
    .execute(tx)
    .await?;
    sql(
        "INSERT INTO light_trend (year, period, unit_id, campaign_id, list_kind, green, yellow,
             red, progress_sum, expected_sum, weight_sum)
         SELECT t.year, $2, t.lead_unit_id, COALESCE(t.campaign_id, 0), t.list_kind,
                SUM(CASE WHEN t.light = 'green' THEN 1 ELSE 0 END),
                SUM(CASE WHEN t.light = 'yellow' THEN 1 ELSE 0 END),
                SUM(CASE WHEN t.light = 'red' THEN 1 ELSE 0 END),
                SUM(t.progress * t.weight), SUM(t.expected * t.weight), SUM(t.weight)
         FROM tasks t WHERE t.year = $1 AND t.state = 'approved' AND t.parent_id IS NULL
         GROUP BY t.year, t.lead_unit_id, COALESCE(t.campaign_id, 0), t.list_kind
         ON CONFLICT (year, period, unit_id, campaign_id, list_kind) DO NOTHING",
    )
    .bind(i64::from(year))
    .bind(period)
    .execute(tx)
    .await?;
    Ok(kept)
}

/// Red months of a task not yet repaired, with the 序时进度 of each: (period, expected).
pub async fn unrepaired_reds(tx: &mut Tx, task: TaskId) -> Result<Vec<(String, f64)>, StoreError> {
    sql("SELECT period, expected FROM task_light_history
         WHERE task_id = $1 AND light = 'red' AND NOT repaired ORDER BY period")
    .bind(task)
    .fetch_all(tx)
    .await
}

/// Re-evaluates a past month: the task's light there becomes `light` (a red caught up later
/// becomes yellow), and the month's trend counts move with it.
pub async fn repair(
    tx: &mut Tx,
    audit: &Audit,
    task: TaskId,
    period: &str,
    light: Light,
) -> Result<(), StoreError> {
    let touched = sql("UPDATE task_light_history SET light = $3, repaired = TRUE
         WHERE task_id = $1 AND period = $2 AND light = 'red' AND NOT repaired")
    .bind(task)
    .bind(period)
    .bind(light.as_str())
    .execute(tx)
    .await?;
    if touched == 0 || light == Light::Red {
        return Ok(());
    }
    let column = match light {
        Light::Green => "green",
        _ => "yellow",
    };
    Sql::assembled(format!(
        "UPDATE light_trend SET red = red - 1, {column} = {column} + 1
         WHERE period = $2 AND red > 0 AND (year, unit_id, campaign_id, list_kind) IN
             (SELECT year, lead_unit_id, COALESCE(campaign_id, 0), list_kind FROM tasks t
              WHERE t.id = $1 AND {COUNTED})"
    ))
    .bind(task)
    .bind(period)
    .execute(tx)
    .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("task.light_repaired", "task", task.0)
            .after(&serde_json::json!({ "period": period, "light": light.as_str() })),
    )
    .await?;
    Ok(())
}

/// Tasks of a year reporting on `cadence` (their own, or the year's `plan_cadence`) that have
/// sent nothing for `period`, counted per lead unit: (unit, how many).
pub async fn missing_by_unit(
    tx: &mut Tx,
    year: i16,
    cadence: &str,
    plan_cadence: &str,
    period: &str,
) -> Result<Vec<(i64, i64)>, StoreError> {
    sql("SELECT t.lead_unit_id, COUNT(*) FROM tasks t
         WHERE t.year = $1 AND t.state = 'approved' AND t.progress < 100
           AND NOT EXISTS (SELECT 1 FROM tasks ch
               WHERE ch.parent_id = t.id AND ch.state = 'approved')
           AND COALESCE(t.cadence, $3) = $2
           AND NOT EXISTS (SELECT 1 FROM progress_reports r WHERE r.task_id = t.id
               AND r.period = $4 AND r.state IN ('unit_review', 'submitted', 'accepted'))
         GROUP BY t.lead_unit_id")
    .bind(i64::from(year))
    .bind(cadence)
    .bind(plan_cadence)
    .bind(period)
    .fetch_all(tx)
    .await
}

/// Were any of a year's lights computed on or after `day`? (A month is closed only from
/// lights computed in it, never from the defaults of a new database.)
pub async fn computed_since(tx: &mut Tx, year: i16, day: Date) -> Result<bool, StoreError> {
    let row: Option<(i64,)> = sql(
        "SELECT id FROM tasks WHERE year = $1 AND state = 'approved' AND light_on >= $2 LIMIT 1",
    )
    .bind(i64::from(year))
    .bind(day)
    .fetch_optional(tx)
    .await?;
    Ok(row.is_some())
}

/// Keeps the lights computed for a past month (history before the system ran, e.g. the
/// demo's seeded months): each task's light and the trend's counts per unit, campaign and
/// kind, summed from those same rows. A month already kept is left as it is.
pub async fn keep_month(
    tx: &mut Tx,
    year: i16,
    period: &str,
    rows: &[(LightWrite, f64)],
) -> Result<(), StoreError> {
    if period_closed(tx, year, period).await? {
        return Ok(());
    }
    for chunk in rows.chunks(WRITE_BATCH) {
        let values = chunk
            .iter()
            .map(|(w, progress)| {
                vec![
                    w.task.into(),
                    period.into(),
                    w.light.as_str().into(),
                    w.reasons.as_str().into(),
                    (*progress).into(),
                    w.expected.into(),
                ]
            })
            .collect();
        if let Some(q) = crate::insert_many(
            "INSERT INTO task_light_history (task_id, period, light, reasons, progress, expected)",
            values,
        ) {
            q.on_conflict(" ON CONFLICT (task_id, period) DO NOTHING")
                .execute(tx)
                .await?;
        }
    }
    sql(
        "INSERT INTO light_trend (year, period, unit_id, campaign_id, list_kind, green, yellow,
             red, progress_sum, expected_sum, weight_sum)
         SELECT t.year, $2, t.lead_unit_id, COALESCE(t.campaign_id, 0), t.list_kind,
                SUM(CASE WHEN h.light = 'green' THEN 1 ELSE 0 END),
                SUM(CASE WHEN h.light = 'yellow' THEN 1 ELSE 0 END),
                SUM(CASE WHEN h.light = 'red' THEN 1 ELSE 0 END),
                SUM(h.progress * t.weight), SUM(h.expected * t.weight), SUM(t.weight)
         FROM task_light_history h JOIN tasks t ON t.id = h.task_id
         WHERE t.year = $1 AND h.period = $2 AND t.parent_id IS NULL
         GROUP BY t.year, t.lead_unit_id, COALESCE(t.campaign_id, 0), t.list_kind
         ON CONFLICT (year, period, unit_id, campaign_id, list_kind) DO NOTHING",
    )
    .bind(i64::from(year))
    .bind(period)
    .execute(tx)
    .await?;
    Ok(())
}

/// Regroups the dashboards' counts (`light_groups`) of a year from the tasks: for one lead
/// unit, or the whole year with `None`.
pub async fn regroup(tx: &mut Tx, year: i16, unit: Option<i64>) -> Result<(), StoreError> {
    let (filter, params): (&str, Vec<crate::Param>) = match unit {
        Some(u) => (
            " AND lead_unit_id = $2",
            vec![i64::from(year).into(), u.into()],
        ),
        None => ("", vec![i64::from(year).into()]),
    };
    Sql::with_params(
        format!("DELETE FROM light_groups WHERE year = $1{filter}"),
        params.clone(),
    )
    .execute(tx)
    .await?;
    let t_filter = filter.replace("lead_unit_id", "t.lead_unit_id");
    Sql::with_params(
        format!(
            "INSERT INTO light_groups (year, lead_unit_id, campaign_id, list_kind, light, n,
                 progress_sum, expected_sum, weight_sum, below_half)
             SELECT t.year, t.lead_unit_id, COALESCE(t.campaign_id, 0), t.list_kind, t.light,
                    COUNT(*), SUM(t.progress * t.weight), SUM(t.expected * t.weight),
                    SUM(t.weight), SUM(CASE WHEN t.progress < 50 THEN 1 ELSE 0 END)
             FROM tasks t WHERE t.year = $1 AND t.state = 'approved' AND {COUNTED}{t_filter}
             GROUP BY t.year, t.lead_unit_id, COALESCE(t.campaign_id, 0), t.list_kind, t.light"
        ),
        params,
    )
    .execute(tx)
    .await?;
    Ok(())
}
