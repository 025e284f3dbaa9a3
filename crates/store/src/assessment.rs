//! Assessment (督考) in the database: scheme versions, score events with the totals kept per
//! period, unit and module, manual proposals (four eyes) and appeals. The facts events are
//! drawn from are read in [`facts`]. Events are only ever inserted; a reversal is an event.

pub mod facts;

use crate::{Audit, Param, Sql, StoreError, Tx, insert_many, ledger, sql};
use duban_core::assessment::event::{EventKind, Part};
use duban_core::assessment::period::Period;
use duban_core::assessment::scheme::Scheme;
use duban_core::assessment::{Centi, score};
use duban_core::org::{UnitId, UserId};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

fn decode(what: &str) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        format!("assessment: stored {what} is not valid").into(),
    ))
}

/// One adopted version of a year's scheme.
#[derive(Debug, Clone, Serialize)]
pub struct SchemeVersion {
    pub year: i16,
    pub version: i64,
    pub scheme: Scheme,
    pub in_force_from: Date,
    pub reason: String,
    pub adopted_at: jiff::Timestamp,
    pub adopted_by: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SchemeRow {
    year: i64,
    version: i64,
    body: String,
    in_force_from: jiff_sqlx::Date,
    reason: String,
    adopted_at: jiff_sqlx::Timestamp,
    adopted_by: Option<String>,
}

impl SchemeRow {
    fn into_version(self) -> Result<SchemeVersion, StoreError> {
        Ok(SchemeVersion {
            year: i16::try_from(self.year).map_err(|_| decode("year"))?,
            version: self.version,
            scheme: serde_json::from_str(&self.body).map_err(|_| decode("scheme"))?,
            in_force_from: self.in_force_from.to_jiff(),
            reason: self.reason,
            adopted_at: self.adopted_at.to_jiff(),
            adopted_by: self.adopted_by,
        })
    }
}

/// Every version of a year's scheme, oldest first.
pub async fn versions(tx: &mut Tx, year: i16) -> Result<Vec<SchemeVersion>, StoreError> {
    let rows: Vec<SchemeRow> = sql(
        "SELECT s.year, s.version, s.body, s.in_force_from, s.reason, s.adopted_at,
                COALESCE(pp.name, u.username) AS adopted_by
         FROM assessment_schemes s LEFT JOIN users u ON u.id = s.adopted_by
         LEFT JOIN people pp ON pp.id = u.person_id
         WHERE s.year = $1 ORDER BY s.version",
    )
    .bind(i64::from(year))
    .fetch_all(tx)
    .await?;
    rows.into_iter().map(SchemeRow::into_version).collect()
}

/// The version in force on `day` among `versions` (oldest first): the last one in force from
/// that day or earlier.
pub fn in_force(versions: &[SchemeVersion], day: Date) -> Option<&SchemeVersion> {
    versions.iter().rev().find(|v| v.in_force_from <= day)
}

/// Adopts a new version of a year's scheme (validated by the caller). Returns its number.
pub async fn adopt(
    tx: &mut Tx,
    audit: &Audit,
    year: i16,
    scheme: &Scheme,
    in_force_from: Date,
    reason: &str,
) -> Result<i64, StoreError> {
    let (last,): (Option<i64>,) =
        sql("SELECT MAX(version) FROM assessment_schemes WHERE year = $1")
            .bind(i64::from(year))
            .fetch_one(tx)
            .await?;
    let version = last.unwrap_or(0) + 1;
    let body = serde_json::to_string(scheme).expect("a scheme is plain data");
    let (id,): (i64,) = sql(
        "INSERT INTO assessment_schemes (year, version, body, in_force_from, reason, adopted_by,
            adopted_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(i64::from(year))
    .bind(version)
    .bind(body)
    .bind(in_force_from)
    .bind(reason)
    .bind(audit.actor)
    .bind(audit.at)
    .returning("id")
    .fetch_one(tx)
    .await?;
    #[derive(Serialize)]
    struct Adopted<'a> {
        year: i16,
        version: i64,
        in_force_from: Date,
        reason: &'a str,
        scheme: &'a Scheme,
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("assessment.adopt", "assessment_scheme", id).after(&Adopted {
            year,
            version,
            in_force_from,
            reason,
            scheme,
        }),
    )
    .await?;
    Ok(version)
}

/// What an event is about: the unique key that makes harvesting idempotent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Source {
    pub kind: &'static str,
    pub id: i64,
    /// A month (`2026-10`) for a red month, the step for a case's rework, else empty.
    pub reference: String,
}

/// An event about to be appended.
#[derive(Debug, Clone, Serialize)]
pub struct NewEvent {
    pub day: Date,
    pub unit: UnitId,
    pub kind: EventKind,
    pub part: Part,
    pub module: String,
    pub points: Centi,
    pub scheme_version: i64,
    pub source: Source,
    /// The source's title when the event was made, for the unit's list of points.
    pub title: String,
    /// Where the source is read (`/cases/12`).
    pub href: String,
    pub reason: String,
    pub reverses: Option<i64>,
}

/// The keys of a year's events already appended: `(kind, source kind, source id, reference,
/// unit)`.
pub type Key = (String, String, i64, String, i64);

pub async fn keys(tx: &mut Tx, year: i16) -> Result<HashSet<Key>, StoreError> {
    let rows: Vec<Key> = sql(
        "SELECT kind, source_kind, source_id, source_ref, unit_id FROM score_events
         WHERE year = $1",
    )
    .bind(i64::from(year))
    .fetch_all(tx)
    .await?;
    Ok(rows.into_iter().collect())
}

pub fn key_of(e: &NewEvent) -> Key {
    (
        e.kind.as_str().to_string(),
        e.source.kind.to_string(),
        e.source.id,
        e.source.reference.clone(),
        e.unit.0,
    )
}

/// Rows per multi-row insert (PostgreSQL allows 65,535 parameters; 17 a row).
const CHUNK: usize = 1000;

/// Appends events of one year with one ledger entry for the batch (`what` says why:
/// `assessment.harvest`, `assessment.approve`, `assessment.appeal_granted`), and adds them to
/// the maintained totals. Returns the ids, in order, and the ledger entry's number.
pub async fn append(
    tx: &mut Tx,
    audit: &Audit,
    year: i16,
    what: &'static str,
    events: &[NewEvent],
) -> Result<(Vec<i64>, Option<i64>), StoreError> {
    if events.is_empty() {
        return Ok((Vec::new(), None));
    }
    #[derive(Serialize)]
    struct Batch<'a> {
        year: i16,
        count: usize,
        points: Centi,
        events: &'a [NewEvent],
    }
    // The ledger entry lists the events in full for a small batch, counts them for a harvest.
    let listed: &[NewEvent] = if events.len() <= 20 { events } else { &[] };
    let seq = ledger::append(
        tx,
        audit,
        ledger::Change {
            action: what,
            object_type: "score_events",
            object_id: None,
            before: serde_json::Value::Null,
            after: serde_json::to_value(Batch {
                year,
                count: events.len(),
                points: events.iter().map(|e| e.points).sum(),
                events: listed,
            })
            .expect("plain data"),
        },
    )
    .await?;
    let mut ids = Vec::with_capacity(events.len());
    for chunk in events.chunks(CHUNK) {
        let rows: Vec<Vec<Param>> = chunk
            .iter()
            .map(|e| {
                vec![
                    Param::from(i64::from(year)),
                    e.day.into(),
                    e.unit.into(),
                    e.kind.as_str().into(),
                    e.part.as_str().into(),
                    e.module.clone().into(),
                    e.points.into(),
                    e.scheme_version.into(),
                    e.source.kind.into(),
                    e.source.id.into(),
                    e.source.reference.clone().into(),
                    e.title.clone().into(),
                    e.href.clone().into(),
                    e.reason.clone().into(),
                    e.reverses.into(),
                    seq.into(),
                    audit.at.into(),
                ]
            })
            .collect();
        let q = insert_many(
            "INSERT INTO score_events (year, day, unit_id, kind, part, module, points,
                scheme_version, source_kind, source_id, source_ref, title, href, reason, reverses,
                ledger_seq, created_at)",
            rows,
        )
        .expect("a chunk has rows")
        .returning("id");
        let got: Vec<(i64,)> = q.fetch_all(tx).await?;
        ids.extend(got.into_iter().map(|(id,)| id));
    }
    let mut deltas: BTreeMap<(String, i64, String), (Centi, i64)> = BTreeMap::new();
    for e in events {
        for p in Period::containing(e.day) {
            let d = deltas
                .entry((p.key(), e.unit.0, e.module.clone()))
                .or_insert((0, 0));
            d.0 += e.points;
            d.1 += 1;
        }
    }
    add_totals(tx, year, deltas).await?;
    Ok((ids, Some(seq)))
}

async fn add_totals(
    tx: &mut Tx,
    year: i16,
    deltas: BTreeMap<(String, i64, String), (Centi, i64)>,
) -> Result<(), StoreError> {
    let rows: Vec<Vec<Param>> = deltas
        .into_iter()
        .map(|((period, unit, module), (points, n))| {
            vec![
                Param::from(i64::from(year)),
                period.into(),
                unit.into(),
                module.into(),
                points.into(),
                n.into(),
            ]
        })
        .collect();
    for chunk in rows.chunks(CHUNK) {
        if let Some(q) = insert_many(
            "INSERT INTO score_totals (year, period, unit_id, module, points, events)",
            chunk.to_vec(),
        ) {
            q.on_conflict(
                " ON CONFLICT (period, unit_id, module) DO UPDATE SET
                    points = score_totals.points + excluded.points,
                    events = score_totals.events + excluded.events",
            )
            .execute(tx)
            .await?;
        }
    }
    Ok(())
}

/// Rebuilds a year's totals from its events (after a restore, or to prove they agree).
pub async fn rebuild_totals(tx: &mut Tx, year: i16) -> Result<(), StoreError> {
    sql("DELETE FROM score_totals WHERE year = $1")
        .bind(i64::from(year))
        .execute(tx)
        .await?;
    let rows: Vec<(jiff_sqlx::Date, i64, String, i64, i64)> = sql(
        "SELECT day, unit_id, module, CAST(SUM(points) AS BIGINT), COUNT(*) FROM score_events WHERE year = $1
         GROUP BY day, unit_id, module",
    )
    .bind(i64::from(year))
    .fetch_all(tx)
    .await?;
    let mut deltas: BTreeMap<(String, i64, String), (Centi, i64)> = BTreeMap::new();
    for (day, unit, module, points, n) in rows {
        for p in Period::containing(day.to_jiff()) {
            let d = deltas
                .entry((p.key(), unit, module.clone()))
                .or_insert((0, 0));
            d.0 += points;
            d.1 += n;
        }
    }
    add_totals(tx, year, deltas).await
}

/// One unit's sums per module for a period.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UnitSums {
    pub sums: BTreeMap<String, Centi>,
    pub events: i64,
}

/// Every unit's sums for a period, from the maintained totals.
pub async fn totals(tx: &mut Tx, period: Period) -> Result<BTreeMap<i64, UnitSums>, StoreError> {
    let rows: Vec<(i64, String, i64, i64)> =
        sql("SELECT unit_id, module, points, events FROM score_totals WHERE period = $1")
            .bind(period.key())
            .fetch_all(tx)
            .await?;
    let mut out: BTreeMap<i64, UnitSums> = BTreeMap::new();
    for (unit, module, points, n) in rows {
        let u = out.entry(unit).or_default();
        u.sums.insert(module, points);
        u.events += n;
    }
    Ok(out)
}

/// Every unit's sums for a period counted straight from the events (the check of the
/// maintained totals, and the benchmark's "recompute").
pub async fn totals_from_events(
    tx: &mut Tx,
    period: Period,
) -> Result<BTreeMap<i64, UnitSums>, StoreError> {
    let (from, to) = period.range();
    let rows: Vec<(i64, String, i64, i64)> = sql(
        "SELECT unit_id, module, CAST(SUM(points) AS BIGINT), COUNT(*) FROM score_events
         WHERE day >= $1 AND day <= $2 GROUP BY unit_id, module",
    )
    .bind(from)
    .bind(to)
    .fetch_all(tx)
    .await?;
    let mut out: BTreeMap<i64, UnitSums> = BTreeMap::new();
    for (unit, module, points, n) in rows {
        let u = out.entry(unit).or_default();
        u.sums.insert(module, points);
        u.events += n;
    }
    Ok(out)
}

/// A unit's score for a period under a scheme, from sums.
pub fn score_of(scheme: &Scheme, sums: Option<&UnitSums>) -> score::UnitScore {
    score::unit_score(scheme, &sums.map(|s| s.sums.clone()).unwrap_or_default())
}

/// One event as read, with its appeal and reversal.
#[derive(Debug, Clone, Serialize)]
pub struct EventRow {
    pub id: i64,
    pub day: Date,
    pub unit_id: i64,
    pub unit_name: String,
    pub kind: String,
    pub part: String,
    pub module: String,
    pub points: Centi,
    pub scheme_version: i64,
    pub source_kind: String,
    pub source_id: i64,
    pub source_ref: String,
    pub title: String,
    pub href: String,
    pub reason: String,
    pub reverses: Option<i64>,
    /// The event reversing this one, if any.
    pub reversed_by: Option<i64>,
    pub ledger_seq: Option<i64>,
    pub appeal_id: Option<i64>,
    pub appeal_state: Option<String>,
}

#[derive(sqlx::FromRow)]
struct EventDb {
    id: i64,
    day: jiff_sqlx::Date,
    unit_id: i64,
    unit_name: String,
    kind: String,
    part: String,
    module: String,
    points: i64,
    scheme_version: i64,
    source_kind: String,
    source_id: i64,
    source_ref: String,
    title: String,
    href: String,
    reason: String,
    reverses: Option<i64>,
    reversed_by: Option<i64>,
    ledger_seq: Option<i64>,
    appeal_id: Option<i64>,
    appeal_state: Option<String>,
}

impl From<EventDb> for EventRow {
    fn from(r: EventDb) -> EventRow {
        EventRow {
            id: r.id,
            day: r.day.to_jiff(),
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            kind: r.kind,
            part: r.part,
            module: r.module,
            points: r.points,
            scheme_version: r.scheme_version,
            source_kind: r.source_kind,
            source_id: r.source_id,
            source_ref: r.source_ref,
            title: r.title,
            href: r.href,
            reason: r.reason,
            reverses: r.reverses,
            reversed_by: r.reversed_by,
            ledger_seq: r.ledger_seq,
            appeal_id: r.appeal_id,
            appeal_state: r.appeal_state,
        }
    }
}

const EVENT_SELECT: &str = "SELECT e.id, e.day, e.unit_id, u.short_name AS unit_name, e.kind,
        e.part, e.module, e.points, e.scheme_version, e.source_kind, e.source_id, e.source_ref,
        e.title, e.href, e.reason, e.reverses, r.id AS reversed_by, e.ledger_seq, a.id AS appeal_id,
        a.state AS appeal_state
    FROM score_events e
    JOIN units u ON u.id = e.unit_id
    LEFT JOIN score_events r ON r.reverses = e.id
    LEFT JOIN score_appeals a ON a.event_id = e.id";

/// A unit's events of a period, in day order.
pub async fn events_of(
    tx: &mut Tx,
    unit: UnitId,
    period: Period,
) -> Result<Vec<EventRow>, StoreError> {
    let (from, to) = period.range();
    let rows: Vec<EventDb> = Sql::assembled(format!(
        "{EVENT_SELECT} WHERE e.unit_id = $1 AND e.day >= $2 AND e.day <= $3
         ORDER BY e.day, e.id"
    ))
    .bind(unit)
    .bind(from)
    .bind(to)
    .fetch_all(tx)
    .await?;
    Ok(rows.into_iter().map(EventRow::from).collect())
}

pub async fn event(tx: &mut Tx, id: i64) -> Result<Option<EventRow>, StoreError> {
    let row: Option<EventDb> = Sql::assembled(format!("{EVENT_SELECT} WHERE e.id = $1"))
        .bind(id)
        .fetch_optional(tx)
        .await?;
    Ok(row.map(EventRow::from))
}

/// Events of one kind and source kind not yet reversed (a red month repaired since).
pub async fn standing(
    tx: &mut Tx,
    year: i16,
    kind: EventKind,
) -> Result<Vec<EventRow>, StoreError> {
    let rows: Vec<EventDb> = Sql::assembled(format!(
        "{EVENT_SELECT} WHERE e.year = $1 AND e.kind = $2 AND e.reverses IS NULL
            AND r.id IS NULL ORDER BY e.id"
    ))
    .bind(i64::from(year))
    .bind(kind.as_str())
    .fetch_all(tx)
    .await?;
    Ok(rows.into_iter().map(EventRow::from).collect())
}

/// A manual event awaiting (or past) its second officer.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Proposal {
    pub id: i64,
    pub year: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub kind: String,
    pub part: String,
    pub day: jiff_sqlx::Date,
    pub reason: String,
    pub state: String,
    pub proposed_by: i64,
    pub proposer_name: String,
    pub proposed_at: jiff_sqlx::Timestamp,
    pub decided_by: Option<i64>,
    pub decider_name: Option<String>,
    pub decision_note: String,
    pub event_id: Option<i64>,
}

const PROPOSAL_SELECT: &str = "SELECT p.id, p.year, p.unit_id, un.short_name AS unit_name,
        p.kind, p.part, p.day, p.reason, p.state, p.proposed_by,
        COALESCE(ap.name, a.username) AS proposer_name, p.proposed_at, p.decided_by,
        COALESCE(bp.name, b.username) AS decider_name, p.decision_note, p.event_id
    FROM score_proposals p JOIN units un ON un.id = p.unit_id
    JOIN users a ON a.id = p.proposed_by LEFT JOIN people ap ON ap.id = a.person_id
    LEFT JOIN users b ON b.id = p.decided_by LEFT JOIN people bp ON bp.id = b.person_id";

pub struct NewProposal<'a> {
    pub year: i16,
    pub unit: UnitId,
    pub kind: EventKind,
    pub part: Part,
    pub day: Date,
    pub reason: &'a str,
    pub proposed_by: UserId,
}

pub async fn propose(tx: &mut Tx, audit: &Audit, p: &NewProposal<'_>) -> Result<i64, StoreError> {
    let (id,): (i64,) = sql(
        "INSERT INTO score_proposals (year, unit_id, kind, part, day, reason, proposed_by,
            proposed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(i64::from(p.year))
    .bind(p.unit)
    .bind(p.kind.as_str())
    .bind(p.part.as_str())
    .bind(p.day)
    .bind(p.reason)
    .bind(p.proposed_by)
    .bind(audit.at)
    .returning("id")
    .fetch_one(tx)
    .await?;
    #[derive(Serialize)]
    struct Logged<'a> {
        unit: i64,
        kind: &'a str,
        part: &'a str,
        day: Date,
        reason: &'a str,
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("assessment.propose", "score_proposal", id).after(&Logged {
            unit: p.unit.0,
            kind: p.kind.as_str(),
            part: p.part.as_str(),
            day: p.day,
            reason: p.reason,
        }),
    )
    .await?;
    Ok(id)
}

pub async fn proposal(tx: &mut Tx, id: i64) -> Result<Option<Proposal>, StoreError> {
    Sql::assembled(format!("{PROPOSAL_SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(tx)
        .await
}

/// A year's proposals, open ones first, newest first.
pub async fn proposals(tx: &mut Tx, year: i16) -> Result<Vec<Proposal>, StoreError> {
    Sql::assembled(format!(
        "{PROPOSAL_SELECT} WHERE p.year = $1
         ORDER BY CASE WHEN p.state = 'proposed' THEN 0 ELSE 1 END, p.id DESC"
    ))
    .bind(i64::from(year))
    .fetch_all(tx)
    .await
}

/// Records the second officer's decision (the caller appends the event when approved).
/// Returns false when the proposal was decided already.
pub async fn decide_proposal(
    tx: &mut Tx,
    audit: &Audit,
    id: i64,
    approve: bool,
    note: &str,
    event: Option<i64>,
) -> Result<bool, StoreError> {
    let state = if approve { "approved" } else { "rejected" };
    let n = sql(
        "UPDATE score_proposals SET state = $1, decided_by = $2, decided_at = $3,
            decision_note = $4, event_id = $5 WHERE id = $6 AND state = 'proposed'",
    )
    .bind(state)
    .bind(audit.actor)
    .bind(audit.at)
    .bind(note)
    .bind(event)
    .bind(id)
    .execute(tx)
    .await?;
    if n == 0 {
        return Ok(false);
    }
    #[derive(Serialize)]
    struct Decided<'a> {
        state: &'a str,
        note: &'a str,
        event: Option<i64>,
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("assessment.decide_proposal", "score_proposal", id).after(&Decided {
            state,
            note,
            event,
        }),
    )
    .await?;
    Ok(true)
}

/// An appeal as read.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Appeal {
    pub id: i64,
    pub event_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub reason: String,
    pub evidence: String,
    pub state: String,
    pub filed_by: i64,
    pub filer_name: String,
    pub filed_at: jiff_sqlx::Timestamp,
    pub decided_by: Option<i64>,
    pub decider_name: Option<String>,
    pub decision_note: String,
    pub reversal_id: Option<i64>,
    pub event_title: String,
    pub event_kind: String,
    pub event_points: i64,
    pub event_day: jiff_sqlx::Date,
}

const APPEAL_SELECT: &str = "SELECT a.id, a.event_id, a.unit_id, un.short_name AS unit_name,
        a.reason, a.evidence, a.state, a.filed_by, COALESCE(fp.name, f.username) AS filer_name,
        a.filed_at, a.decided_by, COALESCE(dp.name, d.username) AS decider_name,
        a.decision_note, a.reversal_id,
        e.title AS event_title, e.kind AS event_kind, e.points AS event_points,
        e.day AS event_day
    FROM score_appeals a JOIN units un ON un.id = a.unit_id
    JOIN score_events e ON e.id = a.event_id
    JOIN users f ON f.id = a.filed_by LEFT JOIN people fp ON fp.id = f.person_id
    LEFT JOIN users d ON d.id = a.decided_by LEFT JOIN people dp ON dp.id = d.person_id";

pub async fn file_appeal(
    tx: &mut Tx,
    audit: &Audit,
    event: &EventRow,
    filed_by: UserId,
    reason: &str,
    evidence: &str,
) -> Result<i64, StoreError> {
    let (id,): (i64,) = sql(
        "INSERT INTO score_appeals (event_id, unit_id, reason, evidence, filed_by, filed_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(event.id)
    .bind(event.unit_id)
    .bind(reason)
    .bind(evidence)
    .bind(filed_by)
    .bind(audit.at)
    .returning("id")
    .fetch_one(tx)
    .await?;
    #[derive(Serialize)]
    struct Filed<'a> {
        event: i64,
        reason: &'a str,
        evidence: &'a str,
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("assessment.appeal", "score_appeal", id).after(&Filed {
            event: event.id,
            reason,
            evidence,
        }),
    )
    .await?;
    Ok(id)
}

pub async fn appeal(tx: &mut Tx, id: i64) -> Result<Option<Appeal>, StoreError> {
    Sql::assembled(format!("{APPEAL_SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(tx)
        .await
}

/// Appeals, open ones first: every unit's (`None`) or one unit's.
pub async fn appeals(tx: &mut Tx, unit: Option<UnitId>) -> Result<Vec<Appeal>, StoreError> {
    Sql::assembled(format!(
        "{APPEAL_SELECT} WHERE ($1 IS NULL OR a.unit_id = $1)
         ORDER BY CASE WHEN a.state = 'filed' THEN 0 ELSE 1 END, a.id DESC LIMIT 500"
    ))
    .bind(unit.map(|u| u.0))
    .fetch_all(tx)
    .await
}

/// Records the decision on an appeal; false when it was decided already.
pub async fn decide_appeal(
    tx: &mut Tx,
    audit: &Audit,
    id: i64,
    grant: bool,
    note: &str,
    reversal: Option<i64>,
) -> Result<bool, StoreError> {
    let state = if grant { "granted" } else { "refused" };
    let n = sql(
        "UPDATE score_appeals SET state = $1, decided_by = $2, decided_at = $3,
            decision_note = $4, reversal_id = $5 WHERE id = $6 AND state = 'filed'",
    )
    .bind(state)
    .bind(audit.actor)
    .bind(audit.at)
    .bind(note)
    .bind(reversal)
    .bind(id)
    .execute(tx)
    .await?;
    if n == 0 {
        return Ok(false);
    }
    #[derive(Serialize)]
    struct Decided<'a> {
        state: &'a str,
        note: &'a str,
        reversal: Option<i64>,
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("assessment.decide_appeal", "score_appeal", id).after(&Decided {
            state,
            note,
            reversal,
        }),
    )
    .await?;
    Ok(true)
}

/// Counts of a year's events by kind (the scheme page's "what happened so far").
pub async fn counts_by_kind(tx: &mut Tx, year: i16) -> Result<Vec<(String, i64, i64)>, StoreError> {
    sql(
        "SELECT kind, COUNT(*), CAST(SUM(points) AS BIGINT) FROM score_events WHERE year = $1
         GROUP BY kind ORDER BY kind",
    )
    .bind(i64::from(year))
    .fetch_all(tx)
    .await
}
