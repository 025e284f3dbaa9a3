//! Meetings (日会商、周例会) whose decisions became cases.

use crate::{Audit, StoreError, Tx, ledger, sql};
use duban_core::cases::MeetingId;
use duban_core::org::PersonId;
use jiff::civil::Date;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct MeetingFields {
    pub year: i16,
    /// `daily`, `weekly` or `other`.
    pub kind: String,
    pub held_on: Date,
    pub title: String,
    pub chair_id: Option<PersonId>,
    pub notes: String,
}

pub async fn insert_meeting(
    tx: &mut Tx,
    audit: &Audit,
    m: &MeetingFields,
) -> Result<MeetingId, StoreError> {
    let (id,): (i64,) = sql(
        "INSERT INTO meetings (year, kind, held_on, title, chair_id, notes, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(i64::from(m.year))
    .bind(m.kind.as_str())
    .bind(m.held_on)
    .bind(m.title.as_str())
    .bind(m.chair_id)
    .bind(m.notes.as_str())
    .bind(audit.actor)
    .bind(audit.at)
    .returning("id")
    .fetch_one(tx)
    .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("meeting.create", "meeting", id).after(m),
    )
    .await?;
    Ok(MeetingId(id))
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct MeetingRow {
    pub id: i64,
    pub year: i64,
    pub kind: String,
    #[serde(skip)]
    pub held_on: jiff_sqlx::Date,
    pub title: String,
    pub chair_name: Option<String>,
    pub notes: String,
    pub decisions: i64,
}

const SELECT: &str = "SELECT m.id, m.year, m.kind, m.held_on, m.title, p.name AS chair_name,
        m.notes, (SELECT COUNT(*) FROM cases c WHERE c.meeting_id = m.id) AS decisions
    FROM meetings m LEFT JOIN people p ON p.id = m.chair_id";

pub async fn get_meeting(tx: &mut Tx, id: MeetingId) -> Result<Option<MeetingRow>, StoreError> {
    crate::Sql::assembled(format!("{SELECT} WHERE m.id = $1"))
        .bind(id.0)
        .fetch_optional(tx)
        .await
}

/// A year's meetings, newest first.
pub async fn list_meetings(tx: &mut Tx, year: i16) -> Result<Vec<MeetingRow>, StoreError> {
    crate::Sql::assembled(format!(
        "{SELECT} WHERE m.year = $1 ORDER BY m.held_on DESC, m.id DESC"
    ))
    .bind(i64::from(year))
    .fetch_all(tx)
    .await
}
