//! Escalation steps taken on cases (at most one per step and deadline, whichever process
//! gets there first) and the documents issued with them (督办单 / 催办通知书).

use crate::{Audit, StoreError, Tx, sql};
use duban_core::cases::CaseId;
use duban_core::cases::ladder::Step;
use jiff::civil::Date;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Records that `step` was taken for the deadline `due_on`. Returns the step's id, or `None`
/// when it had already been taken (by another process, or before a restart).
pub async fn record_step(
    tx: &mut Tx,
    audit: &Audit,
    case: CaseId,
    step: Step,
    due_on: Date,
    taken_on: Date,
) -> Result<Option<i64>, StoreError> {
    let row: Option<(i64,)> = sql(
        "INSERT INTO case_steps (case_id, step, due_on, taken_on, at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (case_id, step, due_on) DO NOTHING",
    )
    .bind(case.0)
    .bind(step.as_str())
    .bind(due_on)
    .bind(taken_on)
    .bind(audit.at)
    .returning("id")
    .fetch_optional(tx)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// Records a rung as skipped (`skipped_for`: the higher step due at the same time, or
/// `past_deadline`), once per case, step and deadline like a taken one: it is never sent
/// later. Returns false when the rung was already taken or skipped.
pub async fn record_skipped(
    tx: &mut Tx,
    audit: &Audit,
    case: CaseId,
    step: Step,
    due_on: Date,
    taken_on: Date,
    skipped_for: &str,
) -> Result<bool, StoreError> {
    let n = sql(
        "INSERT INTO case_steps (case_id, step, due_on, taken_on, at, skipped_for)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (case_id, step, due_on) DO NOTHING",
    )
    .bind(case.0)
    .bind(step.as_str())
    .bind(due_on)
    .bind(taken_on)
    .bind(audit.at)
    .bind(skipped_for)
    .execute(tx)
    .await?;
    Ok(n == 1)
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct StepRow {
    pub id: i64,
    pub case_id: i64,
    pub step: String,
    #[serde(skip)]
    pub due_on: jiff_sqlx::Date,
    #[serde(skip)]
    pub taken_on: jiff_sqlx::Date,
    pub document_id: Option<i64>,
    pub document_number: Option<String>,
}

/// The steps taken on a case, in order (skipped rungs left out).
pub async fn list_steps(tx: &mut Tx, case: CaseId) -> Result<Vec<StepRow>, StoreError> {
    sql(
        "SELECT s.id, s.case_id, s.step, s.due_on, s.taken_on, d.id AS document_id,
                d.number AS document_number
         FROM case_steps s LEFT JOIN case_documents d ON d.step_id = s.id
         WHERE s.case_id = $1 AND s.skipped_for IS NULL ORDER BY s.id",
    )
    .bind(case.0)
    .fetch_all(tx)
    .await
}

/// Cases with a step taken in a period (e.g. `bulletin` for the next bulletin).
pub async fn cases_with_step(
    tx: &mut Tx,
    step: Step,
    from: Date,
    to: Date,
) -> Result<Vec<i64>, StoreError> {
    let rows: Vec<(i64,)> = sql("SELECT DISTINCT case_id FROM case_steps
         WHERE step = $1 AND taken_on >= $2 AND taken_on <= $3 AND skipped_for IS NULL
         ORDER BY case_id")
    .bind(step.as_str())
    .bind(from)
    .bind(to)
    .fetch_all(tx)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The next number of a kind of document in a year: `prefix〔2026〕N号`. The counter row is
/// incremented in the caller's write transaction, so two processes issuing at once wait for
/// each other and never take the same number.
pub async fn next_document_number(tx: &mut Tx, prefix: &str, year: i16) -> Result<i64, StoreError> {
    let series = format!("{prefix}〔{year}〕");
    let (n,): (i64,) = sql("INSERT INTO document_counters (series, last) VALUES ($1, 1)
         ON CONFLICT (series) DO UPDATE SET last = document_counters.last + 1")
    .bind(series)
    .returning("last")
    .fetch_one(tx)
    .await?;
    Ok(n)
}

/// A document as issued.
pub struct NewDocument<'a> {
    pub case: CaseId,
    pub step_id: Option<i64>,
    pub number: &'a str,
    pub file_name: &'a str,
    pub media_type: &'a str,
    pub bytes: Vec<u8>,
}

pub async fn insert_document(
    tx: &mut Tx,
    audit: &Audit,
    d: NewDocument<'_>,
) -> Result<i64, StoreError> {
    let sha = hex::encode(Sha256::digest(&d.bytes));
    let (id,): (i64,) = sql(
        "INSERT INTO case_documents (case_id, step_id, number, file_name, media_type, sha256, bytes, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(d.case.0)
    .bind(d.step_id)
    .bind(d.number)
    .bind(d.file_name)
    .bind(d.media_type)
    .bind(sha.as_str())
    .bind(d.bytes)
    .bind(audit.at)
    .returning("id")
    .fetch_one(tx)
    .await?;
    crate::ledger::append(
        tx,
        audit,
        crate::ledger::Change::new("case.document", "case", d.case.0)
            .after(&serde_json::json!({ "document": id, "number": d.number, "sha256": sha })),
    )
    .await?;
    Ok(id)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Document {
    pub id: i64,
    pub case_id: i64,
    pub number: String,
    pub file_name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

pub async fn get_document(tx: &mut Tx, id: i64) -> Result<Option<Document>, StoreError> {
    sql("SELECT id, case_id, number, file_name, media_type, bytes FROM case_documents WHERE id = $1")
        .bind(id)
        .fetch_optional(tx)
        .await
}

/// People with an active account of `role` whose home unit (open primary membership) is
/// `unit` — e.g. the unit heads a reminder goes to.
pub async fn people_of_unit_with_role(
    tx: &mut Tx,
    unit: duban_core::org::UnitId,
    role: duban_core::role::Role,
) -> Result<Vec<duban_core::org::PersonId>, StoreError> {
    let rows: Vec<(i64,)> = sql("SELECT DISTINCT us.person_id FROM users us
         JOIN memberships m ON m.person_id = us.person_id AND m.is_primary AND m.valid_to IS NULL
         WHERE m.unit_id = $1 AND us.role = $2 AND us.active
         ORDER BY us.person_id")
    .bind(unit)
    .bind(role.as_str())
    .fetch_all(tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id,)| duban_core::org::PersonId(id))
        .collect())
}

/// People with an active account of `role`, whatever their unit (e.g. the office).
pub async fn people_with_role(
    tx: &mut Tx,
    role: duban_core::role::Role,
) -> Result<Vec<duban_core::org::PersonId>, StoreError> {
    let rows: Vec<(i64,)> = sql(
        "SELECT person_id FROM users WHERE role = $1 AND active AND person_id IS NOT NULL
         ORDER BY person_id",
    )
    .bind(role.as_str())
    .fetch_all(tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id,)| duban_core::org::PersonId(id))
        .collect())
}
