//! Progress reports in the database: one report per task and period with its indicator values
//! and timeline ([`write`] moves it from one state to the next, checking it is still in the
//! state the step was decided from); the latest accepted values kept on the task; the year's
//! light rules. Each task's light, its history and the dashboards' aggregates are in
//! [`lights`]; the dashboards' queries in [`dashboard`].

pub mod dashboard;
pub mod lights;
pub mod queues;
pub mod remind;
pub mod rollup;
pub mod summary;

/// The tasks the dashboards count, as a condition on a task aliased `t`: top-level ones, each
/// with its sub-tasks rolled up (`duban_core::progress::counting::counted`).
pub const COUNTED: &str = "t.parent_id IS NULL";

/// The tasks that report figures of their own, as a condition on a task aliased `t`: those
/// without approved sub-tasks (`duban_core::progress::counting::reports_figures`).
pub const REPORTS_FIGURES: &str = "NOT EXISTS (SELECT 1 FROM tasks ch
    WHERE ch.parent_id = t.id AND ch.state = 'approved')";

use crate::{Audit, StoreError, Tx, ledger, sql};
use duban_core::lists::TaskId;
use duban_core::org::{UnitId, UserId};
use duban_core::progress::light::LightRules;
use duban_core::progress::report::ReportState;
use jiff::civil::Date;
use serde::Serialize;

/// What the author writes: the percentage, the indicator values and four short texts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReportFields {
    pub percent: f64,
    /// "无变化": the previous report's values, one tap.
    pub no_change: bool,
    pub progress_text: String,
    pub problems: String,
    pub next_steps: String,
    pub coordination: String,
    /// Actual value per indicator position.
    pub values: Vec<(i64, f64)>,
    /// 进度下调说明: why the percentage is below the accepted one (empty otherwise).
    pub lower_reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub id: i64,
    pub task_id: TaskId,
    pub unit_id: UnitId,
    pub period: String,
    pub due_on: Date,
    pub state: ReportState,
    pub fields: ReportFields,
    pub pace: Option<String>,
    pub author_id: Option<i64>,
    pub sent_at: Option<jiff::Timestamp>,
    pub approved_by: Option<i64>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<jiff::Timestamp>,
    pub comment: String,
    pub returns: i64,
    pub on_time: Option<bool>,
    pub updated_at: jiff::Timestamp,
}

#[derive(sqlx::FromRow)]
struct ReportColumns {
    id: i64,
    task_id: i64,
    unit_id: i64,
    period: String,
    due_on: jiff_sqlx::Date,
    state: String,
    percent: f64,
    no_change: bool,
    progress_text: String,
    problems: String,
    next_steps: String,
    coordination: String,
    lower_reason: String,
    pace: Option<String>,
    author_id: Option<i64>,
    sent_at: Option<jiff_sqlx::Timestamp>,
    approved_by: Option<i64>,
    decided_by: Option<i64>,
    decided_at: Option<jiff_sqlx::Timestamp>,
    comment: String,
    returns: i64,
    on_time: Option<bool>,
    updated_at: jiff_sqlx::Timestamp,
}

impl ReportColumns {
    fn into_report(self, values: Vec<(i64, f64)>) -> Report {
        Report {
            id: self.id,
            task_id: TaskId(self.task_id),
            unit_id: UnitId(self.unit_id),
            period: self.period,
            due_on: self.due_on.to_jiff(),
            state: ReportState::parse(&self.state).unwrap_or(ReportState::Draft),
            fields: ReportFields {
                percent: self.percent,
                no_change: self.no_change,
                progress_text: self.progress_text,
                problems: self.problems,
                next_steps: self.next_steps,
                coordination: self.coordination,
                values,
                lower_reason: self.lower_reason,
            },
            pace: self.pace,
            author_id: self.author_id,
            sent_at: self.sent_at.map(|t| t.to_jiff()),
            approved_by: self.approved_by,
            decided_by: self.decided_by,
            decided_at: self.decided_at.map(|t| t.to_jiff()),
            comment: self.comment,
            returns: self.returns,
            on_time: self.on_time,
            updated_at: self.updated_at.to_jiff(),
        }
    }
}

const COLUMNS: &str = "SELECT id, task_id, unit_id, period, due_on, state, percent, no_change,
    progress_text, problems, next_steps, coordination, lower_reason, pace, author_id, sent_at,
    approved_by, decided_by, decided_at, comment, returns, on_time, updated_at FROM progress_reports";

async fn with_values(tx: &mut Tx, rows: Vec<ReportColumns>) -> Result<Vec<Report>, StoreError> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let values: Vec<(i64, f64)> =
            sql("SELECT position, value FROM report_values WHERE report_id = $1 ORDER BY position")
                .bind(r.id)
                .fetch_all(tx)
                .await?;
        out.push(r.into_report(values));
    }
    Ok(out)
}

async fn one(tx: &mut Tx, q: crate::Sql) -> Result<Option<Report>, StoreError> {
    let rows: Vec<ReportColumns> = q.fetch_all(tx).await?;
    Ok(with_values(tx, rows).await?.into_iter().next())
}

pub async fn get_report(tx: &mut Tx, id: i64) -> Result<Option<Report>, StoreError> {
    one(
        tx,
        crate::Sql::assembled(format!("{COLUMNS} WHERE id = $1")).bind(id),
    )
    .await
}

/// The task's report for a period, if one was written.
pub async fn find_report(
    tx: &mut Tx,
    task: TaskId,
    period: &str,
) -> Result<Option<Report>, StoreError> {
    let q = crate::Sql::assembled(format!("{COLUMNS} WHERE task_id = $1 AND period = $2"))
        .bind(task)
        .bind(period);
    one(tx, q).await
}

/// The latest accepted report of a task (what a new report starts from).
pub async fn last_accepted(tx: &mut Tx, task: TaskId) -> Result<Option<Report>, StoreError> {
    let q = crate::Sql::assembled(format!(
        "{COLUMNS} WHERE task_id = $1 AND state = 'accepted' ORDER BY decided_at DESC, id DESC LIMIT 1"
    ))
    .bind(task);
    one(tx, q).await
}

/// The latest report of a task that has left its author but is not decided yet (待单位审核 or
/// 已报送), of a period other than `except_period` (the one being written): what the unit last
/// said, if it is newer than what was accepted (`core::progress::carry`).
pub async fn latest_pending(
    tx: &mut Tx,
    task: TaskId,
    except_period: &str,
) -> Result<Option<Report>, StoreError> {
    let q = crate::Sql::assembled(format!(
        "{COLUMNS} WHERE task_id = $1 AND period <> $2 AND state IN ('unit_review', 'submitted')
         ORDER BY sent_at DESC, id DESC LIMIT 1"
    ))
    .bind(task)
    .bind(except_period);
    one(tx, q).await
}

/// A task's reports, newest period first.
pub async fn reports_of_task(tx: &mut Tx, task: TaskId) -> Result<Vec<Report>, StoreError> {
    let rows: Vec<ReportColumns> = crate::Sql::assembled(format!(
        "{COLUMNS} WHERE task_id = $1 ORDER BY created_at DESC, id DESC LIMIT 24"
    ))
    .bind(task)
    .fetch_all(tx)
    .await?;
    with_values(tx, rows).await
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ReportEvent {
    pub kind: String,
    pub comment: String,
    pub actor_name: Option<String>,
    #[serde(skip)]
    pub at: jiff_sqlx::Timestamp,
}

pub async fn report_events(tx: &mut Tx, report: i64) -> Result<Vec<ReportEvent>, StoreError> {
    sql("SELECT e.kind, e.comment, p.name AS actor_name, e.at
         FROM report_events e LEFT JOIN users u ON u.id = e.actor_id
         LEFT JOIN people p ON p.id = u.person_id
         WHERE e.report_id = $1 ORDER BY e.id")
    .bind(report)
    .fetch_all(tx)
    .await
}

/// Where a new report goes: its task, unit and period.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub task: TaskId,
    pub unit: UnitId,
    pub period: String,
    pub due_on: Date,
}

/// One step of a report: the state it was decided from and the one it goes to, what the
/// step writes besides, and its timeline entry.
#[derive(Debug, Clone)]
pub struct Step<'a> {
    /// `None`: the report does not exist yet (`new` says where it goes).
    pub report: Option<i64>,
    pub new: Option<&'a NewReport>,
    pub before: Option<ReportState>,
    pub after: ReportState,
    /// The author's fields, when the step writes them (saving, sending).
    pub fields: Option<&'a ReportFields>,
    /// saved, sent, approved, sent_back, accepted, returned
    pub kind: &'static str,
    pub comment: &'a str,
    pub pace: Option<&'a str>,
    /// Set when it first leaves its author.
    pub sent: bool,
    /// The unit head's approval.
    pub approved: bool,
    /// The office's decision, with whether it came in on time (acceptance).
    pub decided: bool,
    pub on_time: Option<bool>,
}

/// Writes one step in one go: the report (inserted, or updated only if still in `before`),
/// its values, its timeline entry and its ledger entry. Returns the report's id.
pub async fn write(tx: &mut Tx, audit: &Audit, step: &Step<'_>) -> Result<i64, StoreError> {
    let actor = audit.actor.map(|u: UserId| u.0);
    let id = match step.report {
        None => {
            let new = step.new.ok_or(StoreError::NotFound)?;
            let f = step.fields.cloned().unwrap_or_default();
            let row: (i64,) = sql(
                "INSERT INTO progress_reports (task_id, unit_id, period, due_on,
                    state, percent, no_change, progress_text, problems, next_steps, coordination,
                    pace, author_id, sent_at, created_at, updated_at, lower_reason)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16)
                 RETURNING id",
            )
            .bind(new.task)
            .bind(new.unit)
            .bind(new.period.as_str())
            .bind(new.due_on)
            .bind(step.after.as_str())
            .bind(f.percent)
            .bind(f.no_change)
            .bind(f.progress_text.as_str())
            .bind(f.problems.as_str())
            .bind(f.next_steps.as_str())
            .bind(f.coordination.as_str())
            .bind(step.pace)
            .bind(actor)
            .bind(step.sent.then_some(audit.at))
            .bind(audit.at)
            .bind(f.lower_reason.as_str())
            .fetch_one(tx)
            .await?;
            row.0
        }
        Some(id) => {
            let before = step.before.map(ReportState::as_str);
            let touched = sql("UPDATE progress_reports SET state = $3, updated_at = $4,
                    sent_at = CASE WHEN $5 AND sent_at IS NULL THEN $4 ELSE sent_at END,
                    approved_by = CASE WHEN $6 THEN $7 ELSE approved_by END,
                    decided_by = CASE WHEN $8 THEN $7 ELSE decided_by END,
                    decided_at = CASE WHEN $8 THEN $4 ELSE decided_at END,
                    on_time = COALESCE($9, on_time),
                    returns = returns + CASE WHEN $3 = 'returned' THEN 1 ELSE 0 END,
                    comment = CASE WHEN $10 <> '' THEN $10 ELSE comment END,
                    pace = COALESCE($11, pace)
                 WHERE id = $1 AND state = $2")
            .bind(id)
            .bind(before)
            .bind(step.after.as_str())
            .bind(audit.at)
            .bind(step.sent)
            .bind(step.approved)
            .bind(actor)
            .bind(step.decided)
            .bind(step.on_time)
            .bind(step.comment)
            .bind(step.pace)
            .execute(tx)
            .await?;
            if touched == 0 {
                return Err(StoreError::Conflict {
                    constraint: "progress_reports_state_changed".into(),
                });
            }
            if let Some(f) = step.fields {
                sql(
                    "UPDATE progress_reports SET percent = $2, no_change = $3, progress_text = $4,
                        problems = $5, next_steps = $6, coordination = $7, author_id = $8,
                        lower_reason = $9
                     WHERE id = $1",
                )
                .bind(id)
                .bind(f.percent)
                .bind(f.no_change)
                .bind(f.progress_text.as_str())
                .bind(f.problems.as_str())
                .bind(f.next_steps.as_str())
                .bind(f.coordination.as_str())
                .bind(actor)
                .bind(f.lower_reason.as_str())
                .execute(tx)
                .await?;
            }
            id
        }
    };
    if let Some(f) = step.fields {
        sql("DELETE FROM report_values WHERE report_id = $1")
            .bind(id)
            .execute(tx)
            .await?;
        let rows = f
            .values
            .iter()
            .map(|(pos, v)| vec![id.into(), (*pos).into(), (*v).into()])
            .collect();
        if let Some(q) = crate::insert_many(
            "INSERT INTO report_values (report_id, position, value)",
            rows,
        ) {
            q.execute(tx).await?;
        }
    }
    sql(
        "INSERT INTO report_events (report_id, kind, comment, actor_id, at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(step.kind)
    .bind(step.comment)
    .bind(actor)
    .bind(audit.at)
    .execute(tx)
    .await?;
    let action = match step.kind {
        "saved" => "report.save",
        "sent" => "report.send",
        "approved" => "report.approve",
        "sent_back" => "report.send_back",
        "accepted" => "report.accept",
        _ => "report.return",
    };
    ledger::append(
        tx,
        audit,
        ledger::Change::new(action, "progress_report", id)
            .before(&step.before.map(ReportState::as_str))
            .after(&serde_json::json!({
                "state": step.after.as_str(),
                "fields": step.fields,
                "comment": step.comment,
            })),
    )
    .await?;
    Ok(id)
}

/// Marks whether a report's first send came after its due day (later sends change nothing).
pub async fn mark_sent_late(tx: &mut Tx, report: i64, late: bool) -> Result<(), StoreError> {
    sql("UPDATE progress_reports SET sent_late = $2 WHERE id = $1 AND sent_late IS NULL")
        .bind(report)
        .bind(late)
        .execute(tx)
        .await?;
    Ok(())
}

/// Keeps the accepted values on the task: its progress and each indicator's actual.
pub async fn apply_accepted(
    tx: &mut Tx,
    task: TaskId,
    fields: &ReportFields,
    at: jiff::Timestamp,
) -> Result<(), StoreError> {
    sql("UPDATE tasks SET progress = $2, updated_at = $3 WHERE id = $1")
        .bind(task)
        .bind(fields.percent)
        .bind(at)
        .execute(tx)
        .await?;
    for (pos, v) in &fields.values {
        sql("UPDATE task_indicators SET actual = $3 WHERE task_id = $1 AND position = $2")
            .bind(task)
            .bind(*pos)
            .bind(*v)
            .execute(tx)
            .await?;
    }
    Ok(())
}

/// Which counter of the unit's report timeliness a step moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tally {
    OnTime,
    Late,
    Missing,
    Returned,
}

/// Adds `n` to one of a unit's yearly report counters.
pub async fn tally(
    tx: &mut Tx,
    year: i16,
    unit: UnitId,
    what: Tally,
    n: i64,
) -> Result<(), StoreError> {
    let text = match what {
        Tally::OnTime => {
            "INSERT INTO report_stats (year, unit_id, on_time) VALUES ($1, $2, $3)
             ON CONFLICT (year, unit_id) DO UPDATE SET on_time = report_stats.on_time + $3"
        }
        Tally::Late => {
            "INSERT INTO report_stats (year, unit_id, late) VALUES ($1, $2, $3)
             ON CONFLICT (year, unit_id) DO UPDATE SET late = report_stats.late + $3"
        }
        Tally::Missing => {
            "INSERT INTO report_stats (year, unit_id, missing) VALUES ($1, $2, $3)
             ON CONFLICT (year, unit_id) DO UPDATE SET missing = report_stats.missing + $3"
        }
        Tally::Returned => {
            "INSERT INTO report_stats (year, unit_id, returned) VALUES ($1, $2, $3)
             ON CONFLICT (year, unit_id) DO UPDATE SET returned = report_stats.returned + $3"
        }
    };
    sql(text)
        .bind(i64::from(year))
        .bind(unit)
        .bind(n)
        .execute(tx)
        .await?;
    Ok(())
}

/// The year's light rules (defaults when the year has none).
pub async fn light_rules(tx: &mut Tx, year: i16) -> Result<LightRules, StoreError> {
    let row: Option<(i64, f64, f64)> = sql(
        "SELECT due_soon_days, yellow_lag_points, red_lag_points FROM light_settings WHERE year = $1",
    )
    .bind(i64::from(year))
    .fetch_optional(tx)
    .await?;
    Ok(
        row.map_or_else(LightRules::default, |(d, y, r)| LightRules {
            due_soon_days: d,
            yellow_lag_points: y,
            red_lag_points: r,
        }),
    )
}

pub async fn save_light_rules(
    tx: &mut Tx,
    audit: &Audit,
    year: i16,
    rules: &LightRules,
) -> Result<(), StoreError> {
    let before = light_rules(tx, year).await?;
    sql("INSERT INTO light_settings (year, due_soon_days, yellow_lag_points, red_lag_points, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (year) DO UPDATE SET due_soon_days = $2, yellow_lag_points = $3,
             red_lag_points = $4, updated_at = $5")
    .bind(i64::from(year))
    .bind(rules.due_soon_days)
    .bind(rules.yellow_lag_points)
    .bind(rules.red_lag_points)
    .bind(audit.at)
    .execute(tx)
    .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("light_settings.save", "light_settings", i64::from(year))
            .before(&before)
            .after(rules),
    )
    .await?;
    Ok(())
}

/// A report accepted before the system ran (the demo's earlier months), written in bulk.
#[derive(Debug, Clone)]
pub struct PastReport {
    pub task: TaskId,
    pub unit: UnitId,
    pub period: String,
    pub due_on: Date,
    pub percent: f64,
    pub progress_text: String,
    pub sent_at: jiff::Timestamp,
    pub decided_at: jiff::Timestamp,
    pub on_time: bool,
}

/// Writes accepted past reports in batches, with one ledger entry for the lot. Returns how
/// many.
pub async fn write_past(
    tx: &mut Tx,
    audit: &Audit,
    reports: &[PastReport],
) -> Result<usize, StoreError> {
    // 13 parameters a row: 65 rows stay under the 900 a statement binds quickly on SQLite.
    for chunk in reports.chunks(65) {
        let rows = chunk
            .iter()
            .map(|r| {
                vec![
                    r.task.into(),
                    r.unit.into(),
                    r.period.as_str().into(),
                    r.due_on.into(),
                    r.percent.into(),
                    r.progress_text.as_str().into(),
                    r.sent_at.into(),
                    r.decided_at.into(),
                    r.on_time.into(),
                    r.decided_at.into(),
                    r.decided_at.into(),
                    "accepted".into(),
                    (!r.on_time).into(),
                ]
            })
            .collect();
        if let Some(q) = crate::insert_many(
            "INSERT INTO progress_reports (task_id, unit_id, period, due_on, percent,
                progress_text, sent_at, decided_at, on_time, created_at, updated_at, state,
                sent_late)",
            rows,
        ) {
            q.execute(tx).await?;
        }
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("report.seed", "progress_report", 0)
            .after(&serde_json::json!({ "accepted_reports": reports.len() })),
    )
    .await?;
    Ok(reports.len())
}
