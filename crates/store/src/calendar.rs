//! The working-day calendar table: special days (holidays, make-up working days) that an admin
//! can load and edit per year. Counting happens in `duban_core::calendar`.

use crate::ledger::{self, Change};
use crate::{Audit, StoreError, Tx, sql};
use duban_core::calendar::{Calendar, SpecialDay};
use jiff::civil::Date;

#[derive(sqlx::FromRow)]
struct DayRow {
    day: jiff_sqlx::Date,
    workday: bool,
    name: String,
}

impl From<DayRow> for SpecialDay {
    fn from(r: DayRow) -> SpecialDay {
        SpecialDay {
            day: r.day.to_jiff(),
            workday: r.workday,
            name: r.name,
        }
    }
}

/// Special days from `from` to `to`, inclusive, in date order.
pub async fn list_special_days(
    tx: &mut Tx,
    from: Date,
    to: Date,
) -> Result<Vec<SpecialDay>, StoreError> {
    let rows: Vec<DayRow> = sql(
        "SELECT day, workday, name FROM calendar_days WHERE day >= $1 AND day <= $2 ORDER BY day",
    )
    .bind(from)
    .bind(to)
    .fetch_all(tx)
    .await?;
    Ok(rows.into_iter().map(SpecialDay::from).collect())
}

/// The whole calendar (a few dozen rows a year).
pub async fn load_calendar(tx: &mut Tx) -> Result<Calendar, StoreError> {
    let rows: Vec<DayRow> = sql("SELECT day, workday, name FROM calendar_days")
        .fetch_all(tx)
        .await?;
    Ok(Calendar::new(rows.into_iter().map(SpecialDay::from)))
}

/// Sets one day's status (inserting or replacing it).
pub async fn set_day(tx: &mut Tx, audit: &Audit, d: &SpecialDay) -> Result<(), StoreError> {
    let before = list_special_days(tx, d.day, d.day).await?.pop();
    sql("INSERT INTO calendar_days (day, workday, name, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (day) DO UPDATE SET workday = excluded.workday, name = excluded.name, updated_at = excluded.updated_at")
    .bind(d.day)
    .bind(d.workday)
    .bind(d.name.as_str())
    .bind(audit.at)
    .execute(tx)
    .await?;
    let as_json = |s: &SpecialDay| serde_json::json!({ "day": s.day.to_string(), "workday": s.workday, "name": s.name });
    let mut change = Change {
        action: "calendar.set",
        object_type: "calendar_day",
        object_id: None,
        before: serde_json::Value::Null,
        after: as_json(d),
    };
    if let Some(b) = &before {
        change.before = as_json(b);
    }
    ledger::append(tx, audit, change).await?;
    Ok(())
}

/// Removes a day's special status, so the Monday–Friday rule applies again.
pub async fn clear_day(tx: &mut Tx, audit: &Audit, day: Date) -> Result<(), StoreError> {
    let Some(before) = list_special_days(tx, day, day).await?.pop() else {
        return Err(StoreError::NotFound);
    };
    sql("DELETE FROM calendar_days WHERE day = $1")
        .bind(day)
        .execute(tx)
        .await?;
    let before = serde_json::json!({ "day": before.day.to_string(), "workday": before.workday, "name": before.name });
    let change = Change {
        action: "calendar.clear",
        object_type: "calendar_day",
        object_id: None,
        before,
        after: serde_json::Value::Null,
    };
    ledger::append(tx, audit, change).await?;
    Ok(())
}
