//! Cases of the closed loop (督办事项 / 问题) in the database: the facts fixed at registration,
//! the handling that changes step by step, co- and split units, linked tasks and the timeline.
//! Lists and counts are in [`browse`], escalation steps and issued documents in [`steps`], the
//! year's windows and ladder in [`settings`]. The rules (who may, which state follows) are
//! decided in `duban_core::cases` before these functions are called; they only write.

pub mod browse;
pub mod settings;
pub mod steps;

use crate::{Audit, StoreError, Tx, ledger, sql};
use duban_core::cases::facts::{CaseKind, Source, Urgency};
use duban_core::cases::state::{CaseState, Rating};
use duban_core::cases::{CaseId, MeetingId};
use duban_core::lists::TaskId;
use duban_core::org::{PersonId, SectionId, UnitId};
use jiff::civil::Date;
use serde::Serialize;

/// What is fixed when a case is registered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseFacts {
    pub year: i16,
    pub kind: CaseKind,
    pub source: Source,
    pub title: String,
    pub content: String,
    pub category: String,
    pub urgency: Urgency,
    pub found_on: Date,
    pub raised_by: Option<PersonId>,
    pub reopened_from: Option<CaseId>,
    pub meeting_id: Option<MeetingId>,
    pub task_ids: Vec<TaskId>,
}

/// What changes as the case is handled; every step writes the whole of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Handling {
    pub state: CaseState,
    pub suspended_from: Option<CaseState>,
    pub lead_unit_id: Option<UnitId>,
    pub leader_id: Option<PersonId>,
    pub co_unit_ids: Vec<UnitId>,
    pub split_unit_ids: Vec<UnitId>,
    pub section_id: Option<SectionId>,
    pub handler_id: Option<PersonId>,
    /// The deadline rule in its stored form (`2026-06-30`, `15d`, `7wd`, `3m`).
    pub deadline_rule: Option<String>,
    pub deadline_from: Option<Date>,
    pub due_on: Option<Date>,
    pub ack_due_on: Option<Date>,
    pub return_due_on: Option<Date>,
    pub plan_on: Option<Date>,
    /// Ongoing or deferred: the next periodic 续报 is due by this day.
    pub report_due_on: Option<Date>,
    pub rating: Option<Rating>,
    pub measures: String,
    pub progress_note: String,
    pub evidence_note: String,
    pub verifier_id: Option<PersonId>,
    pub closed_on: Option<Date>,
}

impl Handling {
    /// A case just registered: no unit, no deadline.
    pub fn registered() -> Handling {
        Handling {
            state: CaseState::Registered,
            suspended_from: None,
            lead_unit_id: None,
            leader_id: None,
            co_unit_ids: Vec::new(),
            split_unit_ids: Vec::new(),
            section_id: None,
            handler_id: None,
            deadline_rule: None,
            deadline_from: None,
            due_on: None,
            ack_due_on: None,
            return_due_on: None,
            plan_on: None,
            report_due_on: None,
            rating: None,
            measures: String::new(),
            progress_note: String::new(),
            evidence_note: String::new(),
            verifier_id: None,
            closed_on: None,
        }
    }

    /// Every unit the case is assigned to: lead, co and split.
    pub fn units(&self) -> Vec<UnitId> {
        self.lead_unit_id
            .iter()
            .chain(&self.co_unit_ids)
            .chain(&self.split_unit_ids)
            .copied()
            .collect()
    }
}

/// A case with names resolved for display.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    pub id: CaseId,
    pub facts: CaseFacts,
    pub handling: Handling,
    pub lead_unit_name: Option<String>,
    pub leader_name: Option<String>,
    pub section_name: Option<String>,
    pub handler_name: Option<String>,
    pub raised_by_name: Option<String>,
    pub verifier_name: Option<String>,
    pub units: Vec<CaseUnit>,
    pub tasks: Vec<LinkedTask>,
    pub created_at: jiff::Timestamp,
    pub updated_at: jiff::Timestamp,
}

impl Case {
    /// 督〔2026〕17号-style reference shown to people: year and id.
    pub fn code(&self) -> String {
        code(self.facts.year, self.id)
    }
}

/// The reference of a case: `DB2026-0017`.
pub fn code(year: i16, id: CaseId) -> String {
    format!("DB{year}-{:04}", id.0)
}

/// A co- or split unit with the opinion it sent to the lead unit, and a split unit's own
/// part (分办, `core::cases::part`): its state, last report, evidence and close-out.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct CaseUnit {
    pub unit_id: i64,
    pub unit_name: String,
    pub role: String,
    pub opinion: String,
    #[serde(skip)]
    pub opinion_at: Option<jiff_sqlx::Timestamp>,
    /// A split unit's part: `assigned`, `handling`, `completion_claimed`, `closed_out`;
    /// `None` for a co-unit.
    pub part_state: Option<String>,
    pub part_note: String,
    pub part_evidence: String,
    #[serde(skip)]
    pub part_closed_on: Option<jiff_sqlx::Date>,
    pub part_verifier_id: Option<i64>,
}

impl CaseUnit {
    /// The state of a split unit's part (`None` for a co-unit).
    pub fn part(&self) -> Option<CaseState> {
        self.part_state.as_deref().and_then(CaseState::parse)
    }

    /// The day the part was verified and closed.
    pub fn part_closed(&self) -> Option<Date> {
        self.part_closed_on.map(|d| d.to_jiff())
    }
}

impl Case {
    /// The split units' parts with their states, in the case's unit order.
    pub fn parts(&self) -> Vec<(UnitId, CaseState)> {
        self.units
            .iter()
            .filter_map(|u| Some((UnitId(u.unit_id), u.part()?)))
            .collect()
    }
}

/// A split unit's part as a step writes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    pub state: CaseState,
    pub note: String,
    pub evidence: String,
    pub closed_on: Option<Date>,
    pub verifier_id: Option<PersonId>,
}

impl Part {
    /// The part as stored on the unit's row.
    pub fn of(u: &CaseUnit) -> Option<Part> {
        Some(Part {
            state: u.part()?,
            note: u.part_note.clone(),
            evidence: u.part_evidence.clone(),
            closed_on: u.part_closed(),
            verifier_id: u.part_verifier_id.map(PersonId),
        })
    }
}

/// Which part a step is on: the case, the state it was read in, the split unit.
#[derive(Debug, Clone, Copy)]
pub struct PartKey {
    pub case: CaseId,
    pub case_state: CaseState,
    pub unit: UnitId,
}

/// Writes one step on a split unit's part (only if the case is still in the state the step
/// was decided from and the part still in `before.state`), its timeline event and its ledger
/// entry. Returns the event's id.
pub async fn save_part_step(
    tx: &mut Tx,
    audit: &Audit,
    key: PartKey,
    before: &Part,
    after: &Part,
    event: &NewEvent,
) -> Result<i64, StoreError> {
    let PartKey {
        case: id,
        case_state,
        unit,
    } = key;
    let touched = sql("UPDATE cases SET updated_at = $3 WHERE id = $1 AND state = $2")
        .bind(id.0)
        .bind(case_state.as_str())
        .bind(audit.at)
        .execute(tx)
        .await?;
    if touched == 0 {
        return Err(StoreError::Conflict {
            constraint: "cases_state_changed".into(),
        });
    }
    let touched = sql(
        "UPDATE case_units SET part_state = $4, part_note = $5, part_evidence = $6,
            part_closed_on = $7, part_verifier_id = $8
         WHERE case_id = $1 AND unit_id = $2 AND role = 'split' AND part_state = $3",
    )
    .bind(id.0)
    .bind(unit)
    .bind(before.state.as_str())
    .bind(after.state.as_str())
    .bind(after.note.as_str())
    .bind(after.evidence.as_str())
    .bind(after.closed_on)
    .bind(after.verifier_id)
    .execute(tx)
    .await?;
    if touched == 0 {
        // Someone else moved the part first.
        return Err(StoreError::Conflict {
            constraint: "case_parts_state_changed".into(),
        });
    }
    let event_id = insert_event(tx, audit, id, None, None, event).await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new(ledger_action(event.kind), "case", id.0)
            .before(&serde_json::json!({ "unit": unit.0, "part": before }))
            .after(&serde_json::json!({
                "unit": unit.0, "part": after, "note": event.note, "data": event.data
            })),
    )
    .await?;
    Ok(event_id)
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct LinkedTask {
    pub task_id: i64,
    pub path: String,
    pub title: String,
    pub lead_unit_name: String,
}

/// One step on a case's timeline, to be written.
#[derive(Debug, Clone, Serialize)]
pub struct NewEvent {
    /// What happened: a command (`assign`, `acknowledge` …), an escalation step (`remind`,
    /// `urge` …) or a note (`opinion`, `instruction`, `interview`).
    pub kind: &'static str,
    pub note: String,
    pub data: serde_json::Value,
}

impl NewEvent {
    pub fn new(kind: &'static str, note: impl Into<String>) -> NewEvent {
        NewEvent {
            kind,
            note: note.into(),
            data: serde_json::Value::Null,
        }
    }

    pub fn with_data(mut self, data: serde_json::Value) -> NewEvent {
        self.data = data;
        self
    }
}

/// One step on a case's timeline, as read.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct CaseEvent {
    pub id: i64,
    pub kind: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub note: String,
    pub data: String,
    pub actor_name: Option<String>,
    #[serde(skip)]
    pub at: jiff_sqlx::Timestamp,
}

/// Registers a case and writes its first event and ledger entry.
pub async fn insert_case(
    tx: &mut Tx,
    audit: &Audit,
    facts: &CaseFacts,
    handling: &Handling,
) -> Result<CaseId, StoreError> {
    let (id,): (i64,) = sql(
        "INSERT INTO cases (year, kind, source, title, content, category, urgency, found_on,
            raised_by, reopened_from, meeting_id, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
    )
    .bind(i64::from(facts.year))
    .bind(facts.kind.as_str())
    .bind(facts.source.as_str())
    .bind(facts.title.as_str())
    .bind(facts.content.as_str())
    .bind(facts.category.as_str())
    .bind(facts.urgency.as_str())
    .bind(facts.found_on)
    .bind(facts.raised_by)
    .bind(facts.reopened_from.map(|c| c.0))
    .bind(facts.meeting_id.map(|m| m.0))
    .bind(audit.actor)
    .bind(audit.at)
    .returning("id")
    .fetch_one(tx)
    .await?;
    let id = CaseId(id);
    for task in &facts.task_ids {
        sql("INSERT INTO case_tasks (case_id, task_id) VALUES ($1, $2)")
            .bind(id.0)
            .bind(task.0)
            .execute(tx)
            .await?;
    }
    write_handling(tx, audit, id, handling).await?;
    insert_event(
        tx,
        audit,
        id,
        None,
        Some(handling.state),
        &NewEvent::new("register", ""),
    )
    .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("case.register", "case", id.0)
            .after(&serde_json::json!({ "facts": facts, "handling": handling })),
    )
    .await?;
    Ok(id)
}

/// Writes one step: the new handling (only if the case is still in `before.state`), its
/// timeline event and its ledger entry.
pub async fn save_step(
    tx: &mut Tx,
    audit: &Audit,
    id: CaseId,
    before: &Handling,
    after: &Handling,
    event: &NewEvent,
) -> Result<i64, StoreError> {
    let touched = sql("UPDATE cases SET updated_at = $3 WHERE id = $1 AND state = $2")
        .bind(id.0)
        .bind(before.state.as_str())
        .bind(audit.at)
        .execute(tx)
        .await?;
    if touched == 0 {
        // Someone else moved it first; the caller read a state that is no longer true.
        return Err(StoreError::Conflict {
            constraint: "cases_state_changed".into(),
        });
    }
    write_handling(tx, audit, id, after).await?;
    let event_id =
        insert_event(tx, audit, id, Some(before.state), Some(after.state), event).await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new(ledger_action(event.kind), "case", id.0)
            .before(before)
            .after(
                &serde_json::json!({ "handling": after, "note": event.note, "data": event.data }),
            ),
    )
    .await?;
    Ok(event_id)
}

/// Adds a note to the timeline without changing the handling (an opinion, an instruction,
/// an interview record, an escalation step), with its ledger entry. Returns the event's id.
pub async fn add_note(
    tx: &mut Tx,
    audit: &Audit,
    id: CaseId,
    event: &NewEvent,
) -> Result<i64, StoreError> {
    let event_id = insert_event(tx, audit, id, None, None, event).await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new(ledger_action(event.kind), "case", id.0)
            .after(&serde_json::json!({ "note": event.note, "data": event.data })),
    )
    .await?;
    Ok(event_id)
}

/// Records a co-unit's opinion to the lead unit. Returns the timeline event's id.
pub async fn set_opinion(
    tx: &mut Tx,
    audit: &Audit,
    id: CaseId,
    unit: UnitId,
    opinion: &str,
) -> Result<i64, StoreError> {
    let touched = sql(
        "UPDATE case_units SET opinion = $3, opinion_at = $4 WHERE case_id = $1 AND unit_id = $2",
    )
    .bind(id.0)
    .bind(unit)
    .bind(opinion)
    .bind(audit.at)
    .execute(tx)
    .await?;
    if touched == 0 {
        return Err(StoreError::NotFound);
    }
    add_note(
        tx,
        audit,
        id,
        &NewEvent::new("opinion", opinion).with_data(serde_json::json!({ "unit": unit.0 })),
    )
    .await
}

fn ledger_action(kind: &str) -> &'static str {
    // The ledger's action names are static; a kind outside the known set is still recorded.
    const KNOWN: &[&str] = &[
        "assign",
        "acknowledge",
        "request_return",
        "approve_return",
        "reject_return",
        "report",
        "dispatch",
        "coordinate",
        "claim_done",
        "propose_ongoing",
        "propose_defer",
        "accept_proposal",
        "reject_proposal",
        "resume_handling",
        "verify_ok",
        "rework",
        "rate",
        "suspend",
        "resume",
        "opinion",
        "instruction",
        "interview",
        "remind",
        "urge",
        "notice",
        "bulletin",
        "redate",
        "part_acknowledge",
        "part_report",
        "part_claim_done",
        "part_verify_ok",
        "part_rework",
    ];
    const ACTIONS: &[&str] = &[
        "case.assign",
        "case.acknowledge",
        "case.request_return",
        "case.approve_return",
        "case.reject_return",
        "case.report",
        "case.dispatch",
        "case.coordinate",
        "case.claim_done",
        "case.propose_ongoing",
        "case.propose_defer",
        "case.accept_proposal",
        "case.reject_proposal",
        "case.resume_handling",
        "case.verify_ok",
        "case.rework",
        "case.rate",
        "case.suspend",
        "case.resume",
        "case.opinion",
        "case.instruction",
        "case.interview",
        "case.remind",
        "case.urge",
        "case.notice",
        "case.bulletin",
        "case.redate",
        "case.reopen",
        "case.part_acknowledge",
        "case.part_report",
        "case.part_claim_done",
        "case.part_verify_ok",
        "case.part_rework",
    ];
    KNOWN
        .iter()
        .position(|k| *k == kind)
        .map_or("case.step", |i| ACTIONS[i])
}

async fn write_handling(
    tx: &mut Tx,
    audit: &Audit,
    id: CaseId,
    h: &Handling,
) -> Result<(), StoreError> {
    sql(
        "UPDATE cases SET state = $2, suspended_from = $3, lead_unit_id = $4, leader_id = $5,
            section_id = $6, handler_id = $7, deadline_rule = $8, deadline_from = $9, due_on = $10,
            ack_due_on = $11, return_due_on = $12, plan_on = $13, rating = $14, measures = $15,
            progress_note = $16, evidence_note = $17, verifier_id = $18, closed_on = $19,
            updated_at = $20, report_due_on = $21
         WHERE id = $1",
    )
    .bind(id.0)
    .bind(h.state.as_str())
    .bind(h.suspended_from.map(CaseState::as_str))
    .bind(h.lead_unit_id)
    .bind(h.leader_id)
    .bind(h.section_id)
    .bind(h.handler_id)
    .bind(h.deadline_rule.clone())
    .bind(h.deadline_from)
    .bind(h.due_on)
    .bind(h.ack_due_on)
    .bind(h.return_due_on)
    .bind(h.plan_on)
    .bind(h.rating.map(Rating::as_str))
    .bind(h.measures.as_str())
    .bind(h.progress_note.as_str())
    .bind(h.evidence_note.as_str())
    .bind(h.verifier_id)
    .bind(h.closed_on)
    .bind(audit.at)
    .bind(h.report_due_on)
    .execute(tx)
    .await?;
    // Units: replace the co and split units that changed, keeping the opinions of those that
    // stay.
    let current: Vec<(i64, String)> =
        sql("SELECT unit_id, role FROM case_units WHERE case_id = $1")
            .bind(id.0)
            .fetch_all(tx)
            .await?;
    let wanted: Vec<(i64, &str)> = h
        .co_unit_ids
        .iter()
        .map(|u| (u.0, "co"))
        .chain(h.split_unit_ids.iter().map(|u| (u.0, "split")))
        .collect();
    for (unit, role) in &current {
        if !wanted.iter().any(|(u, r)| u == unit && r == role) {
            sql("DELETE FROM case_units WHERE case_id = $1 AND unit_id = $2")
                .bind(id.0)
                .bind(*unit)
                .execute(tx)
                .await?;
        }
    }
    for (unit, role) in wanted {
        if !current.iter().any(|(u, r)| *u == unit && r == role) {
            // A split unit gets its own part, waiting for its 签收.
            let part = (role == "split").then_some(CaseState::Assigned.as_str());
            sql("INSERT INTO case_units (case_id, unit_id, role, part_state) VALUES ($1, $2, $3, $4)")
                .bind(id.0)
                .bind(unit)
                .bind(role)
                .bind(part)
                .execute(tx)
                .await?;
        }
    }
    Ok(())
}

async fn insert_event(
    tx: &mut Tx,
    audit: &Audit,
    id: CaseId,
    from: Option<CaseState>,
    to: Option<CaseState>,
    e: &NewEvent,
) -> Result<i64, StoreError> {
    let (event_id,): (i64,) = sql(
        "INSERT INTO case_events (case_id, at, actor_id, kind, from_state, to_state, note, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(id.0)
    .bind(audit.at)
    .bind(audit.actor)
    .bind(e.kind)
    .bind(from.map(CaseState::as_str))
    .bind(to.map(CaseState::as_str))
    .bind(e.note.as_str())
    .bind(e.data.to_string())
    .fetch_one(tx)
    .await?;
    Ok(event_id)
}

/// The timeline of a case, oldest first.
pub async fn list_events(tx: &mut Tx, id: CaseId) -> Result<Vec<CaseEvent>, StoreError> {
    sql(
        "SELECT e.id, e.kind, e.from_state, e.to_state, e.note, e.data,
                COALESCE(p.name, u.username) AS actor_name, e.at
         FROM case_events e
         LEFT JOIN users u ON u.id = e.actor_id
         LEFT JOIN people p ON p.id = u.person_id
         WHERE e.case_id = $1 ORDER BY e.id",
    )
    .bind(id.0)
    .fetch_all(tx)
    .await
}

#[derive(sqlx::FromRow)]
struct CaseColumns {
    id: i64,
    year: i64,
    kind: String,
    source: String,
    title: String,
    content: String,
    category: String,
    urgency: String,
    found_on: jiff_sqlx::Date,
    state: String,
    suspended_from: Option<String>,
    lead_unit_id: Option<i64>,
    leader_id: Option<i64>,
    section_id: Option<i64>,
    handler_id: Option<i64>,
    deadline_rule: Option<String>,
    deadline_from: Option<jiff_sqlx::Date>,
    due_on: Option<jiff_sqlx::Date>,
    ack_due_on: Option<jiff_sqlx::Date>,
    return_due_on: Option<jiff_sqlx::Date>,
    plan_on: Option<jiff_sqlx::Date>,
    report_due_on: Option<jiff_sqlx::Date>,
    raised_by: Option<i64>,
    rating: Option<String>,
    reopened_from: Option<i64>,
    meeting_id: Option<i64>,
    measures: String,
    progress_note: String,
    evidence_note: String,
    verifier_id: Option<i64>,
    closed_on: Option<jiff_sqlx::Date>,
    created_at: jiff_sqlx::Timestamp,
    updated_at: jiff_sqlx::Timestamp,
    lead_unit_name: Option<String>,
    leader_name: Option<String>,
    section_name: Option<String>,
    handler_name: Option<String>,
    raised_by_name: Option<String>,
    verifier_name: Option<String>,
}

fn bad(what: &str) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        format!("unknown {what} in the cases table").into(),
    ))
}

fn date(d: Option<jiff_sqlx::Date>) -> Option<Date> {
    d.map(|d| d.to_jiff())
}

/// One case with its units, linked tasks and names.
pub async fn get_case(tx: &mut Tx, id: CaseId) -> Result<Option<Case>, StoreError> {
    let row: Option<CaseColumns> = sql(
        "SELECT c.*, u.short_name AS lead_unit_name, l.name AS leader_name,
                s.name AS section_name, h.name AS handler_name, r.name AS raised_by_name,
                v.name AS verifier_name
         FROM cases c
         LEFT JOIN units u ON u.id = c.lead_unit_id
         LEFT JOIN people l ON l.id = c.leader_id
         LEFT JOIN sections s ON s.id = c.section_id
         LEFT JOIN people h ON h.id = c.handler_id
         LEFT JOIN people r ON r.id = c.raised_by
         LEFT JOIN people v ON v.id = c.verifier_id
         WHERE c.id = $1",
    )
    .bind(id.0)
    .fetch_optional(tx)
    .await?;
    let Some(c) = row else { return Ok(None) };
    let units: Vec<CaseUnit> = sql(
        "SELECT cu.unit_id, un.short_name AS unit_name, cu.role, cu.opinion, cu.opinion_at,
                cu.part_state, cu.part_note, cu.part_evidence, cu.part_closed_on,
                cu.part_verifier_id
         FROM case_units cu JOIN units un ON un.id = cu.unit_id
         WHERE cu.case_id = $1 ORDER BY cu.role, un.sort_order, un.id",
    )
    .bind(id.0)
    .fetch_all(tx)
    .await?;
    let tasks: Vec<LinkedTask> = sql(
        "SELECT t.id AS task_id, t.path, t.title, u.short_name AS lead_unit_name
         FROM case_tasks ct JOIN tasks t ON t.id = ct.task_id JOIN units u ON u.id = t.lead_unit_id
         WHERE ct.case_id = $1 ORDER BY t.id",
    )
    .bind(id.0)
    .fetch_all(tx)
    .await?;
    let of_role = |role: &str| -> Vec<UnitId> {
        units
            .iter()
            .filter(|u| u.role == role)
            .map(|u| UnitId(u.unit_id))
            .collect()
    };
    let state = |s: &str| CaseState::parse(s).ok_or_else(|| bad("state"));
    let facts = CaseFacts {
        year: i16::try_from(c.year).map_err(|_| bad("year"))?,
        kind: CaseKind::parse(&c.kind).ok_or_else(|| bad("kind"))?,
        source: Source::parse(&c.source).ok_or_else(|| bad("source"))?,
        title: c.title,
        content: c.content,
        category: c.category,
        urgency: Urgency::parse(&c.urgency).ok_or_else(|| bad("urgency"))?,
        found_on: c.found_on.to_jiff(),
        raised_by: c.raised_by.map(PersonId),
        reopened_from: c.reopened_from.map(CaseId),
        meeting_id: c.meeting_id.map(MeetingId),
        task_ids: tasks.iter().map(|t| TaskId(t.task_id)).collect(),
    };
    let handling = Handling {
        state: state(&c.state)?,
        suspended_from: c.suspended_from.as_deref().map(state).transpose()?,
        lead_unit_id: c.lead_unit_id.map(UnitId),
        leader_id: c.leader_id.map(PersonId),
        co_unit_ids: of_role("co"),
        split_unit_ids: of_role("split"),
        section_id: c.section_id.map(SectionId),
        handler_id: c.handler_id.map(PersonId),
        deadline_rule: c.deadline_rule,
        deadline_from: date(c.deadline_from),
        due_on: date(c.due_on),
        ack_due_on: date(c.ack_due_on),
        return_due_on: date(c.return_due_on),
        plan_on: date(c.plan_on),
        report_due_on: date(c.report_due_on),
        rating: c
            .rating
            .as_deref()
            .map(|r| Rating::parse(r).ok_or_else(|| bad("rating")))
            .transpose()?,
        measures: c.measures,
        progress_note: c.progress_note,
        evidence_note: c.evidence_note,
        verifier_id: c.verifier_id.map(PersonId),
        closed_on: date(c.closed_on),
    };
    Ok(Some(Case {
        id: CaseId(c.id),
        facts,
        handling,
        lead_unit_name: c.lead_unit_name,
        leader_name: c.leader_name,
        section_name: c.section_name,
        handler_name: c.handler_name,
        raised_by_name: c.raised_by_name,
        verifier_name: c.verifier_name,
        units,
        tasks,
        created_at: c.created_at.to_jiff(),
        updated_at: c.updated_at.to_jiff(),
    }))
}
