//! Report reminders in the database: the year's settings (columns of `light_settings`, edited
//! with the light rules) and what the daily reminder reads — a year's approved leaf tasks and
//! the state of their reports for a few periods.

use crate::{Audit, Sql, StoreError, Tx, ledger, sql};
use duban_core::progress::remind::Reminders;

/// The year's reminder settings (defaults when the year has none).
pub async fn reminders(tx: &mut Tx, year: i16) -> Result<Reminders, StoreError> {
    let row: Option<(bool, i64, bool)> = sql(
        "SELECT report_reminders, remind_days_before, remind_overdue FROM light_settings
         WHERE year = $1",
    )
    .bind(i64::from(year))
    .fetch_optional(tx)
    .await?;
    Ok(
        row.map_or_else(Reminders::default, |(on, days_before, overdue)| Reminders {
            on,
            days_before,
            overdue,
        }),
    )
}

/// Saves the year's reminder settings (the light rules keep their values or defaults).
pub async fn save_reminders(
    tx: &mut Tx,
    audit: &Audit,
    year: i16,
    new: &Reminders,
) -> Result<(), StoreError> {
    let before = reminders(tx, year).await?;
    sql(
        "INSERT INTO light_settings (year, report_reminders, remind_days_before, remind_overdue, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (year) DO UPDATE SET report_reminders = $2, remind_days_before = $3,
             remind_overdue = $4, updated_at = $5",
    )
    .bind(i64::from(year))
    .bind(new.on)
    .bind(new.days_before)
    .bind(new.overdue)
    .bind(audit.at)
    .execute(&mut *tx)
    .await?;
    if before != *new {
        ledger::append(
            tx,
            audit,
            ledger::Change::new("report_reminders.save", "light_settings", i64::from(year))
                .before(&before)
                .after(new),
        )
        .await?;
    }
    Ok(())
}

/// An approved task that reports on its own (no sub-tasks: a parent's figures are its
/// sub-tasks').
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReminderTask {
    pub id: i64,
    pub lead_unit_id: i64,
    pub title: String,
    pub cadence: Option<String>,
    pub progress: f64,
}

/// A year's approved tasks without sub-tasks, by id.
pub async fn reminder_tasks(tx: &mut Tx, year: i16) -> Result<Vec<ReminderTask>, StoreError> {
    sql(
        "SELECT t.id, t.lead_unit_id, t.title, t.cadence, t.progress FROM tasks t
         WHERE t.year = $1 AND t.state = 'approved'
           AND NOT EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = t.id AND c.state = 'approved')
         ORDER BY t.id",
    )
    .bind(i64::from(year))
    .fetch_all(tx)
    .await
}

/// The reports of a year's tasks for the given periods: (task, period, state).
pub async fn report_states(
    tx: &mut Tx,
    year: i16,
    periods: &[String],
) -> Result<Vec<(i64, String, String)>, StoreError> {
    if periods.is_empty() {
        return Ok(Vec::new());
    }
    let mut params: Vec<crate::Param> = vec![i64::from(year).into()];
    let mut holders = Vec::new();
    for p in periods {
        params.push(p.as_str().into());
        holders.push(format!("${}", params.len()));
    }
    let text = format!(
        "SELECT r.task_id, r.period, r.state FROM progress_reports r
         JOIN tasks t ON t.id = r.task_id
         WHERE t.year = $1 AND r.period IN ({})",
        holders.join(", ")
    );
    Sql::with_params(text, params).fetch_all(tx).await
}
