//! Commitments (承诺) in the database: the commitment, its versions with their linked tasks
//! and supervisors, the timeline and the evaluations. A signed version is never updated:
//! every writing function here touches only versions that are not signed (and says so in its
//! `WHERE`), and the migration's triggers refuse any `UPDATE` or `DELETE` of a signed row, or
//! a change to its links, whoever sends it. The rules (who may, which state follows) are
//! decided in `duban_core::commitments` before these functions are called.

use crate::{Audit, StoreError, Tx, ledger, sql};
use duban_core::commitments::state::{CommitmentState, VersionState};
use duban_core::commitments::{CommitmentContent, CommitmentId, VersionId, content_hash};
use duban_core::org::{PersonId, UnitId};
use jiff::Timestamp;
use serde::Serialize;
use std::collections::HashMap;

/// A commitment about to be drafted.
#[derive(Debug, Clone, Serialize)]
pub struct NewCommitment {
    pub year: i16,
    pub committer: PersonId,
    /// The committer's home unit (a vice-mayor's is the city leadership).
    pub unit: Option<UnitId>,
}

/// One version of a commitment.
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    pub id: VersionId,
    pub number: i64,
    pub state: VersionState,
    pub content: CommitmentContent,
    /// Why this version replaces the previous one (empty for the first).
    pub reason: String,
    pub review_comment: String,
    /// The canonical JSON that was signed (see `duban_core::commitments::canonical_json`).
    pub signed_json: Option<String>,
    pub signed_hash: Option<String>,
    pub signed_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// A commitment with its versions, oldest first, and names for display.
#[derive(Debug, Clone, Serialize)]
pub struct Commitment {
    pub id: CommitmentId,
    pub year: i16,
    pub committer_id: PersonId,
    pub committer_name: String,
    pub committer_title: String,
    pub unit_id: Option<UnitId>,
    pub unit_name: Option<String>,
    /// The unit's kind (`leadership` for a city leader's commitment).
    pub unit_kind: Option<String>,
    pub state: CommitmentState,
    pub current_version_id: Option<VersionId>,
    pub self_report: String,
    pub result_score: Option<f64>,
    pub versions: Vec<Version>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Commitment {
    /// The signed version in force, if any.
    pub fn current(&self) -> Option<&Version> {
        self.versions
            .iter()
            .find(|v| Some(v.id) == self.current_version_id)
    }

    /// The newest version (a draft, an amendment under way, or the signed one).
    pub fn latest(&self) -> &Version {
        self.versions
            .last()
            .expect("a commitment is created with its first version")
    }

    /// An amendment being prepared: the latest version when it is not yet signed and a
    /// signed one exists.
    pub fn pending_amendment(&self) -> Option<&Version> {
        let latest = self.latest();
        (self.current_version_id.is_some() && latest.state != VersionState::Signed)
            .then_some(latest)
    }
}

fn conflict(what: &str) -> StoreError {
    StoreError::Conflict {
        constraint: format!("{what}_state_changed"),
    }
}

fn bad(what: &str) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        format!("unknown {what} in the commitments tables").into(),
    ))
}

/// Drafts a commitment with its first version. Returns both ids.
pub async fn insert_commitment(
    tx: &mut Tx,
    audit: &Audit,
    new: &NewCommitment,
    content: &CommitmentContent,
) -> Result<(CommitmentId, VersionId), StoreError> {
    let (id,): (i64,) = sql(
        "INSERT INTO commitments (year, committer_id, unit_id, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(i64::from(new.year))
    .bind(new.committer)
    .bind(new.unit)
    .bind(audit.actor)
    .bind(audit.at)
    .returning("id")
    .fetch_one(tx)
    .await?;
    let id = CommitmentId(id);
    let version = insert_version(tx, audit, id, 1, content, "").await?;
    insert_event(
        tx,
        audit,
        id,
        Some(version),
        "draft",
        None,
        Some(CommitmentState::Drafted),
        "",
    )
    .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("commitment.draft", "commitment", id.0).after(
            &serde_json::json!({ "commitment": new, "version": version.0, "content": content }),
        ),
    )
    .await?;
    Ok((id, version))
}

/// Starts an amendment: a new draft version after the latest one, with its public reason.
pub async fn insert_amendment(
    tx: &mut Tx,
    audit: &Audit,
    id: CommitmentId,
    content: &CommitmentContent,
    reason: &str,
) -> Result<VersionId, StoreError> {
    let (number,): (i64,) = sql(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM commitment_versions WHERE commitment_id = $1",
    )
    .bind(id.0)
    .fetch_one(tx)
    .await?;
    let version = insert_version(tx, audit, id, number, content, reason).await?;
    insert_event(tx, audit, id, Some(version), "amend", None, None, reason).await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("commitment.amend", "commitment_version", version.0).after(
            &serde_json::json!({ "commitment": id.0, "number": number, "reason": reason, "content": content }),
        ),
    )
    .await?;
    Ok(version)
}

async fn insert_version(
    tx: &mut Tx,
    audit: &Audit,
    id: CommitmentId,
    number: i64,
    c: &CommitmentContent,
    reason: &str,
) -> Result<VersionId, StoreError> {
    let (vid,): (i64,) = sql(
        "INSERT INTO commitment_versions (commitment_id, number, title, content, target_text,
            target_value, target_unit, deadline, reason, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(id.0)
    .bind(number)
    .bind(c.title.as_str())
    .bind(c.content.as_str())
    .bind(c.target_text.as_str())
    .bind(c.target_value)
    .bind(c.target_unit.as_str())
    .bind(c.deadline)
    .bind(reason)
    .bind(audit.at)
    .returning("id")
    .fetch_one(tx)
    .await?;
    let vid = VersionId(vid);
    write_links(tx, vid, c).await?;
    Ok(vid)
}

async fn write_links(tx: &mut Tx, v: VersionId, c: &CommitmentContent) -> Result<(), StoreError> {
    for t in &c.task_ids {
        sql("INSERT INTO commitment_version_tasks (version_id, task_id) VALUES ($1, $2)")
            .bind(v.0)
            .bind(*t)
            .execute(tx)
            .await?;
    }
    for p in &c.supervisor_ids {
        sql("INSERT INTO commitment_version_supervisors (version_id, person_id) VALUES ($1, $2)")
            .bind(v.0)
            .bind(*p)
            .execute(tx)
            .await?;
    }
    Ok(())
}

/// Replaces a draft's (or returned draft's) content; it becomes a draft again. Refused with
/// a conflict when the version has moved on (under review, approved or signed).
pub async fn update_draft(
    tx: &mut Tx,
    audit: &Audit,
    id: CommitmentId,
    version: VersionId,
    before: &CommitmentContent,
    c: &CommitmentContent,
) -> Result<(), StoreError> {
    let touched = sql(
        "UPDATE commitment_versions SET state = 'drafted', title = $3, content = $4,
            target_text = $5, target_value = $6, target_unit = $7, deadline = $8, updated_at = $9
         WHERE id = $1 AND commitment_id = $2 AND state IN ('drafted', 'returned')",
    )
    .bind(version.0)
    .bind(id.0)
    .bind(c.title.as_str())
    .bind(c.content.as_str())
    .bind(c.target_text.as_str())
    .bind(c.target_value)
    .bind(c.target_unit.as_str())
    .bind(c.deadline)
    .bind(audit.at)
    .execute(tx)
    .await?;
    if touched == 0 {
        return Err(conflict("commitment_versions"));
    }
    sql("DELETE FROM commitment_version_tasks WHERE version_id = $1")
        .bind(version.0)
        .execute(tx)
        .await?;
    sql("DELETE FROM commitment_version_supervisors WHERE version_id = $1")
        .bind(version.0)
        .execute(tx)
        .await?;
    write_links(tx, version, c).await?;
    // A returned first version makes its commitment a draft again.
    sql("UPDATE commitments SET state = 'drafted', updated_at = $2 WHERE id = $1 AND state = 'returned'")
        .bind(id.0)
        .bind(audit.at)
        .execute(tx)
        .await?;
    insert_event(tx, audit, id, Some(version), "edit", None, None, "").await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("commitment.edit", "commitment_version", version.0)
            .before(before)
            .after(c),
    )
    .await?;
    Ok(())
}

/// One step on a commitment: the version's and/or the commitment's state move, each only
/// if still in the state the step was decided from.
#[derive(Debug, Clone)]
pub struct Step {
    /// `submit`, `return`, `approve`, `track`, `self_report`, `conclude`.
    pub kind: &'static str,
    pub version: Option<(VersionId, VersionState, VersionState)>,
    pub commitment: Option<(CommitmentState, CommitmentState)>,
    pub note: String,
    /// `return`: the comment kept on the version.
    pub review_comment: Option<String>,
    /// `self_report`: the text kept on the commitment.
    pub self_report: Option<String>,
    /// `conclude`: the mean score.
    pub result_score: Option<f64>,
}

fn step_action(kind: &str) -> &'static str {
    match kind {
        "submit" => "commitment.submit",
        "return" => "commitment.return",
        "approve" => "commitment.approve",
        "track" => "commitment.track",
        "self_report" => "commitment.self_report",
        "conclude" => "commitment.conclude",
        _ => "commitment.step",
    }
}

/// Writes a step with its event and ledger entry.
pub async fn save_step(
    tx: &mut Tx,
    audit: &Audit,
    id: CommitmentId,
    step: &Step,
) -> Result<(), StoreError> {
    if let Some((v, from, to)) = step.version {
        let touched = sql("UPDATE commitment_versions SET state = $3, updated_at = $4,
                review_comment = COALESCE($5, review_comment)
             WHERE id = $1 AND state = $2 AND state <> 'signed'")
        .bind(v.0)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(audit.at)
        .bind(step.review_comment.clone())
        .execute(tx)
        .await?;
        if touched == 0 {
            return Err(conflict("commitment_versions"));
        }
    }
    let (from, to) = match step.commitment {
        Some((f, t)) => (Some(f), Some(t)),
        None => (None, None),
    };
    let touched = sql(
        "UPDATE commitments SET state = COALESCE($3, state), updated_at = $4,
            self_report = COALESCE($5, self_report), result_score = COALESCE($6, result_score)
         WHERE id = $1 AND ($2 IS NULL OR state = $2)",
    )
    .bind(id.0)
    .bind(from.map(CommitmentState::as_str))
    .bind(to.map(CommitmentState::as_str))
    .bind(audit.at)
    .bind(step.self_report.clone())
    .bind(step.result_score)
    .execute(tx)
    .await?;
    if touched == 0 {
        return Err(conflict("commitments"));
    }
    let version = step.version.map(|(v, _, _)| v);
    insert_event(tx, audit, id, version, step.kind, from, to, &step.note).await?;
    let (object_type, object_id) = match version {
        Some(v) => ("commitment_version", v.0),
        None => ("commitment", id.0),
    };
    ledger::append(
        tx,
        audit,
        ledger::Change::new(step_action(step.kind), object_type, object_id).after(
            &serde_json::json!({
                "commitment": id.0,
                "version_state": step.version.map(|(_, f, t)| [f.as_str(), t.as_str()]),
                "state": step.commitment.map(|(f, t)| [f.as_str(), t.as_str()]),
                "note": step.note,
                "self_report": step.self_report,
                "result_score": step.result_score,
            }),
        ),
    )
    .await?;
    Ok(())
}

/// 签诺 — signs an approved version: keeps the signed text and its hash on the version,
/// makes it the version in force and, for the first version, publishes the commitment
/// (`publish` = the commitment's `Approved → Published`). The ledger entry
/// (`commitment.sign`, object `commitment_version`) has the signed text as its `after_json`,
/// byte for byte.
pub async fn sign_version(
    tx: &mut Tx,
    audit: &Audit,
    id: CommitmentId,
    version: VersionId,
    publish: Option<(CommitmentState, CommitmentState)>,
    signed_json: &str,
) -> Result<(), StoreError> {
    let touched = sql(
        "UPDATE commitment_versions SET state = 'signed', signed_json = $3, signed_hash = $4,
            signed_at = $5, signed_by = $6, updated_at = $5
         WHERE id = $1 AND commitment_id = $2 AND state = 'approved'",
    )
    .bind(version.0)
    .bind(id.0)
    .bind(signed_json)
    .bind(content_hash(signed_json))
    .bind(audit.at)
    .bind(audit.actor)
    .execute(tx)
    .await?;
    if touched == 0 {
        return Err(conflict("commitment_versions"));
    }
    let (from, to) = match publish {
        Some((f, t)) => (Some(f), Some(t)),
        None => (None, None),
    };
    let touched = sql(
        "UPDATE commitments SET current_version_id = $2, state = COALESCE($4, state), updated_at = $5
         WHERE id = $1 AND ($3 IS NULL OR state = $3)",
    )
    .bind(id.0)
    .bind(version.0)
    .bind(from.map(CommitmentState::as_str))
    .bind(to.map(CommitmentState::as_str))
    .bind(audit.at)
    .execute(tx)
    .await?;
    if touched == 0 {
        return Err(conflict("commitments"));
    }
    insert_event(tx, audit, id, Some(version), "sign", from, to, "").await?;
    let signed: serde_json::Value = serde_json::from_str(signed_json)
        .map_err(|e| StoreError::Db(sqlx::Error::Decode(format!("signed content: {e}").into())))?;
    let mut change = ledger::Change::new("commitment.sign", "commitment_version", version.0);
    change.after = signed;
    ledger::append(tx, audit, change).await?;
    Ok(())
}

#[expect(clippy::too_many_arguments, reason = "one event row's columns")]
async fn insert_event(
    tx: &mut Tx,
    audit: &Audit,
    id: CommitmentId,
    version: Option<VersionId>,
    kind: &str,
    from: Option<CommitmentState>,
    to: Option<CommitmentState>,
    note: &str,
) -> Result<(), StoreError> {
    sql(
        "INSERT INTO commitment_events (commitment_id, version_id, at, actor_id, kind, from_state, to_state, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.0)
    .bind(version.map(|v| v.0))
    .bind(audit.at)
    .bind(audit.actor)
    .bind(kind)
    .bind(from.map(CommitmentState::as_str))
    .bind(to.map(CommitmentState::as_str))
    .bind(note)
    .execute(tx)
    .await?;
    Ok(())
}

/// One step on the timeline, as read.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Event {
    pub id: i64,
    pub version_id: Option<i64>,
    pub kind: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub note: String,
    pub actor_name: Option<String>,
    #[serde(skip)]
    pub at: jiff_sqlx::Timestamp,
}

/// The timeline of a commitment, oldest first.
pub async fn list_events(tx: &mut Tx, id: CommitmentId) -> Result<Vec<Event>, StoreError> {
    sql(
        "SELECT e.id, e.version_id, e.kind, e.from_state, e.to_state, e.note,
                COALESCE(p.name, u.username) AS actor_name, e.at
         FROM commitment_events e
         LEFT JOIN users u ON u.id = e.actor_id
         LEFT JOIN people p ON p.id = u.person_id
         WHERE e.commitment_id = $1 ORDER BY e.id",
    )
    .bind(id.0)
    .fetch_all(tx)
    .await
}

/// A public moment of a published commitment, for the portal's feed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicEvent {
    pub id: i64,
    pub commitment_id: i64,
    /// `sign` (亮诺 or a signed amendment), `self_report` or `conclude`.
    pub kind: String,
    pub to_state: Option<String>,
    /// The signed version's number (`sign` only).
    pub version_number: Option<i64>,
    pub at: jiff_sqlx::Timestamp,
}

/// The newest signings, self-reports and results of commitments that are public now,
/// newest first.
pub async fn public_events(tx: &mut Tx, limit: i64) -> Result<Vec<PublicEvent>, StoreError> {
    let public = CommitmentState::ALL
        .into_iter()
        .filter(|s| s.is_public())
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    // The public states are our own constants, not user input.
    crate::Sql::assembled(format!(
        "SELECT e.id, e.commitment_id, e.kind, e.to_state, v.number AS version_number, e.at
         FROM commitment_events e
         JOIN commitments c ON c.id = e.commitment_id
         LEFT JOIN commitment_versions v ON v.id = e.version_id
         WHERE e.kind IN ('sign', 'self_report', 'conclude') AND c.state IN ({public})
         ORDER BY e.at DESC, e.id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(tx)
    .await
}

#[derive(sqlx::FromRow)]
struct CommitmentColumns {
    id: i64,
    year: i64,
    committer_id: i64,
    committer_name: String,
    committer_title: String,
    unit_id: Option<i64>,
    unit_name: Option<String>,
    unit_kind: Option<String>,
    state: String,
    current_version_id: Option<i64>,
    self_report: String,
    result_score: Option<f64>,
    created_at: jiff_sqlx::Timestamp,
    updated_at: jiff_sqlx::Timestamp,
}

#[derive(sqlx::FromRow)]
struct VersionColumns {
    id: i64,
    number: i64,
    state: String,
    title: String,
    content: String,
    target_text: String,
    target_value: Option<f64>,
    target_unit: String,
    deadline: jiff_sqlx::Date,
    reason: String,
    review_comment: String,
    signed_json: Option<String>,
    signed_hash: Option<String>,
    signed_at: Option<jiff_sqlx::Timestamp>,
    created_at: jiff_sqlx::Timestamp,
}

/// One commitment with all its versions.
pub async fn get_commitment(
    tx: &mut Tx,
    id: CommitmentId,
) -> Result<Option<Commitment>, StoreError> {
    Ok(get_commitments(tx, &[id]).await?.pop())
}

/// Several commitments with all their versions, in the order of `ids` (ids that name none are
/// left out): four statements for any number of commitments, so a list never asks once per row.
pub async fn get_commitments(
    tx: &mut Tx,
    ids: &[CommitmentId],
) -> Result<Vec<Commitment>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let backend = tx.backend();
    let raw: Vec<i64> = ids.iter().map(|c| c.0).collect();
    let set = || crate::query::ids_param(backend, &raw);
    let rows: Vec<CommitmentColumns> = crate::Sql::assembled(format!(
        "SELECT c.id, c.year, c.committer_id, p.name AS committer_name, p.title AS committer_title,
                c.unit_id, u.short_name AS unit_name, u.kind AS unit_kind, c.state,
                c.current_version_id,
                c.self_report, c.result_score, c.created_at, c.updated_at
         FROM commitments c JOIN people p ON p.id = c.committer_id
         LEFT JOIN units u ON u.id = c.unit_id
         WHERE {}",
        crate::query::in_ids(backend, "c.id", 1)
    ))
    .bind(set())
    .fetch_all(tx)
    .await?;
    let versions: Vec<(i64, VersionColumns)> = crate::Sql::assembled(format!(
        "SELECT commitment_id, id, number, state, title, content, target_text, target_value,
                target_unit, deadline, reason, review_comment, signed_json, signed_hash,
                signed_at, created_at
         FROM commitment_versions WHERE {} ORDER BY commitment_id, number",
        crate::query::in_ids(backend, "commitment_id", 1)
    ))
    .bind(set())
    .fetch_all(tx)
    .await?
    .into_iter()
    .map(|v: VersionRow| (v.commitment_id, v.version))
    .collect();
    let links: Vec<(i64, i64)> = crate::Sql::assembled(format!(
        "SELECT l.version_id, l.task_id FROM commitment_version_tasks l
         JOIN commitment_versions v ON v.id = l.version_id
         WHERE {} ORDER BY l.task_id",
        crate::query::in_ids(backend, "v.commitment_id", 1)
    ))
    .bind(set())
    .fetch_all(tx)
    .await?;
    let sups: Vec<(i64, i64)> = crate::Sql::assembled(format!(
        "SELECT l.version_id, l.person_id FROM commitment_version_supervisors l
         JOIN commitment_versions v ON v.id = l.version_id
         WHERE {} ORDER BY l.person_id",
        crate::query::in_ids(backend, "v.commitment_id", 1)
    ))
    .bind(set())
    .fetch_all(tx)
    .await?;
    let mut by_commitment: HashMap<i64, Vec<Version>> = HashMap::new();
    for (commitment, v) in versions {
        let of = |l: &[(i64, i64)]| {
            l.iter()
                .filter(|(vid, _)| *vid == v.id)
                .map(|(_, x)| *x)
                .collect()
        };
        let version = Version {
            id: VersionId(v.id),
            number: v.number,
            state: VersionState::parse(&v.state).ok_or_else(|| bad("version state"))?,
            content: CommitmentContent {
                title: v.title,
                content: v.content,
                target_text: v.target_text,
                target_value: v.target_value,
                target_unit: v.target_unit,
                deadline: v.deadline.to_jiff(),
                task_ids: of(&links),
                supervisor_ids: of(&sups),
            },
            reason: v.reason,
            review_comment: v.review_comment,
            signed_json: v.signed_json,
            signed_hash: v.signed_hash,
            signed_at: v.signed_at.map(|t| t.to_jiff()),
            created_at: v.created_at.to_jiff(),
        };
        by_commitment.entry(commitment).or_default().push(version);
    }
    let mut found: HashMap<i64, Commitment> = HashMap::new();
    for c in rows {
        let commitment = Commitment {
            id: CommitmentId(c.id),
            year: i16::try_from(c.year).map_err(|_| bad("year"))?,
            committer_id: PersonId(c.committer_id),
            committer_name: c.committer_name,
            committer_title: c.committer_title,
            unit_id: c.unit_id.map(UnitId),
            unit_name: c.unit_name,
            unit_kind: c.unit_kind,
            state: CommitmentState::parse(&c.state).ok_or_else(|| bad("state"))?,
            current_version_id: c.current_version_id.map(VersionId),
            self_report: c.self_report,
            result_score: c.result_score,
            versions: by_commitment.remove(&c.id).unwrap_or_default(),
            created_at: c.created_at.to_jiff(),
            updated_at: c.updated_at.to_jiff(),
        };
        found.insert(c.id, commitment);
    }
    Ok(ids.iter().filter_map(|id| found.remove(&id.0)).collect())
}

/// A version row with its commitment's id.
#[derive(sqlx::FromRow)]
struct VersionRow {
    commitment_id: i64,
    #[sqlx(flatten)]
    version: VersionColumns,
}

/// Filters of the commitment list (all optional).
#[derive(Debug, Clone, Default)]
pub struct CommitmentFilter {
    pub year: Option<i16>,
    pub committer: Option<PersonId>,
    pub unit: Option<UnitId>,
    pub state: Option<CommitmentState>,
    /// Only published and later (the public, deputies).
    pub public_only: bool,
}

/// The ids of the commitments matching a filter, by unit order then id. Commitments are few
/// (one per leader and unit head a year), so the list reads them whole.
pub async fn list_commitment_ids(
    tx: &mut Tx,
    f: &CommitmentFilter,
) -> Result<Vec<CommitmentId>, StoreError> {
    let public: Vec<&str> = CommitmentState::ALL
        .into_iter()
        .filter(|s| s.is_public())
        .map(CommitmentState::as_str)
        .collect();
    // The public states are our own constants, not user input.
    let public_cond = if f.public_only {
        format!(
            " AND c.state IN ({})",
            public
                .iter()
                .map(|s| format!("'{s}'"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        String::new()
    };
    let text = format!(
        "SELECT c.id FROM commitments c LEFT JOIN units u ON u.id = c.unit_id
         WHERE ($1 IS NULL OR c.year = $1) AND ($2 IS NULL OR c.committer_id = $2)
           AND ($3 IS NULL OR c.unit_id = $3) AND ($4 IS NULL OR c.state = $4){public_cond}
         ORDER BY COALESCE(u.sort_order, 0), c.id"
    );
    let rows: Vec<(i64,)> = crate::Sql::assembled(text)
        .bind(f.year.map(i64::from))
        .bind(f.committer)
        .bind(f.unit)
        .bind(f.state.map(CommitmentState::as_str))
        .fetch_all(tx)
        .await?;
    Ok(rows.into_iter().map(|(id,)| CommitmentId(id)).collect())
}

/// Published commitments (not yet tracked) whose version in force links `task`.
pub async fn published_linking(
    tx: &mut Tx,
    task: duban_core::lists::TaskId,
) -> Result<Vec<CommitmentId>, StoreError> {
    let rows: Vec<(i64,)> = sql("SELECT c.id FROM commitments c
         JOIN commitment_version_tasks t ON t.version_id = c.current_version_id
         WHERE c.state = 'published' AND t.task_id = $1 ORDER BY c.id")
    .bind(task.0)
    .fetch_all(tx)
    .await?;
    Ok(rows.into_iter().map(|(id,)| CommitmentId(id)).collect())
}

/// A linked task as fulfilment and the page need it.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct LinkedTask {
    pub id: i64,
    pub path: String,
    pub title: String,
    pub lead_unit_name: String,
    pub progress: f64,
    pub weight: f64,
    pub light: String,
    pub state: String,
}

/// The tasks with these ids, with their maintained progress and light.
pub async fn linked_tasks(tx: &mut Tx, ids: &[i64]) -> Result<Vec<LinkedTask>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let backend = tx.backend();
    crate::Sql::assembled(format!(
        "SELECT t.id, t.path, t.title, u.short_name AS lead_unit_name, t.progress, t.weight,
                t.light, t.state
         FROM tasks t JOIN units u ON u.id = t.lead_unit_id
         WHERE {} ORDER BY t.id",
        crate::query::in_ids(backend, "t.id", 1)
    ))
    .bind(crate::query::ids_param(backend, ids))
    .fetch_all(tx)
    .await
}

/// An evaluation to record.
#[derive(Debug, Clone, Serialize)]
pub struct NewEvaluation {
    /// The deputy or member; `None` for a member of the public (each their own row).
    pub evaluator: Option<PersonId>,
    pub kind: &'static str,
    pub verdict: &'static str,
    pub score: u8,
    pub comment: String,
    /// A citizen's evaluation on the portal: the hash that keeps it once per browser (kept
    /// out of the ledger).
    #[serde(skip)]
    pub voter_key: Option<String>,
    /// … and the hash that keeps it once per client address (likewise).
    #[serde(skip)]
    pub address_key: Option<String>,
    /// Arrived in a burst: shown to the office, which may set it aside.
    pub flagged: bool,
}

/// One evaluation, as read.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Evaluation {
    pub id: i64,
    pub evaluator_id: Option<i64>,
    pub evaluator_name: Option<String>,
    pub evaluator_kind: String,
    pub verdict: String,
    pub score: i64,
    pub comment: String,
    pub flagged: bool,
    /// Set aside by the office, with this reason: it no longer counts.
    pub set_aside_reason: Option<String>,
}

/// Records an evaluation; a deputy's or member's second evaluation replaces their first, and
/// so does a second one from the same browser on the portal.
pub async fn save_evaluation(
    tx: &mut Tx,
    audit: &Audit,
    id: CommitmentId,
    e: &NewEvaluation,
) -> Result<(), StoreError> {
    let conflict = if e.voter_key.is_some() {
        // A citizen's: the one from this browser or this address goes, this one stays.
        sql("DELETE FROM commitment_evaluations WHERE commitment_id = $1
               AND (voter_key = $2 OR address_key = $3)")
        .bind(id.0)
        .bind(e.voter_key.as_deref())
        .bind(e.address_key.as_deref())
        .execute(tx)
        .await?;
        "(commitment_id, voter_key)"
    } else {
        "(commitment_id, evaluator_id)"
    };
    crate::Sql::assembled(format!(
        "INSERT INTO commitment_evaluations (commitment_id, evaluator_id, evaluator_kind, verdict,
            score, comment, recorded_by, created_at, updated_at, voter_key, address_key, flagged)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11)
         ON CONFLICT {conflict} DO UPDATE SET verdict = excluded.verdict,
            score = excluded.score, comment = excluded.comment, recorded_by = excluded.recorded_by,
            updated_at = excluded.updated_at"
    ))
    .bind(id.0)
    .bind(e.evaluator)
    .bind(e.kind)
    .bind(e.verdict)
    .bind(i64::from(e.score))
    .bind(e.comment.as_str())
    .bind(audit.actor)
    .bind(audit.at)
    .bind(e.voter_key.as_deref())
    .bind(e.address_key.as_deref())
    .bind(e.flagged)
    .execute(tx)
    .await?;
    insert_event(tx, audit, id, None, "evaluate", None, None, "").await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("commitment.evaluate", "commitment", id.0).after(e),
    )
    .await?;
    Ok(())
}

/// The evaluations of a commitment, deputies and members first.
pub async fn list_evaluations(
    tx: &mut Tx,
    id: CommitmentId,
) -> Result<Vec<Evaluation>, StoreError> {
    sql(
        "SELECT e.id, e.evaluator_id, p.name AS evaluator_name, e.evaluator_kind, e.verdict,
                e.score, e.comment, e.flagged, e.set_aside_reason
         FROM commitment_evaluations e LEFT JOIN people p ON p.id = e.evaluator_id
         WHERE e.commitment_id = $1 ORDER BY e.evaluator_kind, e.id",
    )
    .bind(id.0)
    .fetch_all(tx)
    .await
}

/// How many citizens' evaluations of a commitment were given (or changed) since `since`.
pub async fn count_public_evaluations_since(
    tx: &mut Tx,
    id: CommitmentId,
    since: jiff::Timestamp,
) -> Result<i64, StoreError> {
    let (n,): (i64,) = sql("SELECT COUNT(*) FROM commitment_evaluations
         WHERE commitment_id = $1 AND evaluator_kind = 'public' AND updated_at >= $2")
    .bind(id.0)
    .bind(since)
    .fetch_one(tx)
    .await?;
    Ok(n)
}

/// Sets a flagged citizen's evaluation aside with the office's reason: it stays, and no longer
/// counts. `NotFound` unless it is a flagged public evaluation of this commitment not already
/// set aside.
pub async fn set_aside_evaluation(
    tx: &mut Tx,
    audit: &Audit,
    id: CommitmentId,
    evaluation: i64,
    reason: &str,
) -> Result<(), StoreError> {
    let n = sql(
        "UPDATE commitment_evaluations SET set_aside_reason = $1, updated_at = $2
         WHERE id = $3 AND commitment_id = $4 AND evaluator_kind = 'public' AND flagged
           AND set_aside_reason IS NULL",
    )
    .bind(reason)
    .bind(audit.at)
    .bind(evaluation)
    .bind(id.0)
    .execute(tx)
    .await?;
    if n != 1 {
        return Err(StoreError::NotFound);
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("commitment.evaluation_set_aside", "commitment", id.0)
            .after(&serde_json::json!({ "evaluation_id": evaluation, "reason": reason })),
    )
    .await?;
    Ok(())
}

/// A signed version whose text no longer matches its signing entry in the ledger.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Mismatch {
    pub commitment_id: i64,
    pub version_id: i64,
    pub number: i64,
    /// The ledger entry of its signing, if there is one.
    pub seq: Option<i64>,
}

/// Every signed version whose stored text differs from the `after_json` of its
/// `commitment.sign` ledger entry (or has none): what `duban verify` reports. Returns how
/// many signed versions there are, and the mismatches.
pub async fn check_signed(tx: &mut Tx) -> Result<(i64, Vec<Mismatch>), StoreError> {
    let (n,): (i64,) = sql("SELECT COUNT(*) FROM commitment_versions WHERE state = 'signed'")
        .fetch_one(tx)
        .await?;
    let bad = sql("SELECT v.commitment_id, v.id AS version_id, v.number, l.seq
         FROM commitment_versions v
         LEFT JOIN ledger l ON l.action = 'commitment.sign'
              AND l.object_type = 'commitment_version' AND l.object_id = v.id
         WHERE v.state = 'signed' AND (l.seq IS NULL OR l.after_json <> v.signed_json
               OR v.signed_json IS NULL)
         ORDER BY v.commitment_id, v.number")
    .fetch_all(tx)
    .await?;
    Ok((n, bad))
}
