//! Suggestions and proposals (人大代表建议 · 政协提案) in the database: the intake facts, the
//! handling that every step writes whole, co-signers, co- and split units, contacts (三个一),
//! replies and countersigns, ratings, follow-ups and the timeline. Lists, drill-downs and the
//! rows the rates add up are in [`browse`], the counts kept of them in [`counts`] (every write to
//! an item's row here settles them); a year's windows in [`settings`]. The rules (who
//! may, which state follows) are decided in `duban_core::proposals` and the policy before these
//! functions are called; they only write.

pub mod browse;
pub mod counts;
pub mod published;
pub mod settings;
pub mod text;

use crate::{Audit, StoreError, Tx, ledger, sql};
use duban_core::org::{PersonId, UnitId};
use duban_core::proposals::ProposalId;
use duban_core::proposals::kind::{Kind, RejectReason};
use duban_core::proposals::state::{OutcomeClass, Rating, State};
use jiff::civil::Date;
use serde::Serialize;

/// What is fixed at registration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Intake {
    pub year: i16,
    pub kind: Kind,
    /// The sequence number inside the kind and year; `None` takes the next free one.
    pub seq: Option<u32>,
    pub title: String,
    pub content: String,
    pub proposer_id: PersonId,
    pub cosigner_ids: Vec<PersonId>,
    /// 代表团 / 界别
    pub group_name: String,
    pub category: String,
    pub key_item: bool,
    pub leader_id: Option<PersonId>,
}

/// What changes as the item is handled; every step writes the whole of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Handling {
    pub state: State,
    pub reject_reason: Option<RejectReason>,
    pub reject_note: String,
    pub merged_into: Option<ProposalId>,
    pub lead_unit_id: Option<UnitId>,
    pub co_unit_ids: Vec<UnitId>,
    pub split_unit_ids: Vec<UnitId>,
    pub handed_out_on: Option<Date>,
    pub reply_rule: Option<String>,
    pub original_due_on: Option<Date>,
    pub reply_due_on: Option<Date>,
    pub extension_reason: String,
    pub adjustment_ends_on: Option<Date>,
    pub adjustment_reason: String,
    pub co_opinion_due_on: Option<Date>,
    pub round: u32,
    pub rehandling_due_on: Option<Date>,
    pub follow_up_due_on: Option<Date>,
    pub first_replied_on: Option<Date>,
    pub class: Option<OutcomeClass>,
    pub solved: bool,
    pub follow_ups: u32,
    pub first_rating: Option<Rating>,
    pub rating: Option<Rating>,
    pub rating_pending: bool,
    pub evaluation_due_on: Option<Date>,
}

impl Handling {
    /// A new item: registered by the office, or submitted online by its proposer.
    pub fn new(state: State) -> Handling {
        Handling {
            state,
            reject_reason: None,
            reject_note: String::new(),
            merged_into: None,
            lead_unit_id: None,
            co_unit_ids: Vec::new(),
            split_unit_ids: Vec::new(),
            handed_out_on: None,
            reply_rule: None,
            original_due_on: None,
            reply_due_on: None,
            extension_reason: String::new(),
            adjustment_ends_on: None,
            adjustment_reason: String::new(),
            co_opinion_due_on: None,
            round: 1,
            rehandling_due_on: None,
            follow_up_due_on: None,
            first_replied_on: None,
            class: None,
            solved: false,
            follow_ups: 0,
            first_rating: None,
            rating: None,
            rating_pending: false,
            evaluation_due_on: None,
        }
    }
}

/// A co- or split unit with the opinion it sent to the lead unit.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ItemUnit {
    pub unit_id: i64,
    pub unit_name: String,
    pub role: String,
    pub opinion: String,
}

/// A co-signer (联名人).
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Cosigner {
    pub person_id: i64,
    pub name: String,
}

/// A suggestion or proposal with names resolved for display.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub id: ProposalId,
    pub number: String,
    pub intake: Intake,
    pub handling: Handling,
    pub proposer_name: String,
    pub leader_name: Option<String>,
    pub lead_unit_name: Option<String>,
    pub units: Vec<ItemUnit>,
    pub cosigners: Vec<Cosigner>,
    /// 报到, 现场, 回访 recorded; a face-to-face contact; the unit head took part.
    pub contact_flags: [bool; 5],
}

/// A contact with the proposer (三个一).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewContact {
    pub unit_id: UnitId,
    /// `report` (报到), `site` (现场) or `revisit` (回访).
    pub stage: &'static str,
    pub held_on: Date,
    /// `face_to_face`, `site_visit` or `phone`.
    pub way: &'static str,
    pub participants: String,
    pub head_took_part: bool,
    pub note: String,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Contact {
    pub id: i64,
    pub unit_name: String,
    pub stage: String,
    #[serde(skip)]
    pub held_on: jiff_sqlx::Date,
    pub way: String,
    pub participants: String,
    pub head_took_part: bool,
    pub note: String,
}

impl Contact {
    pub fn held(&self) -> Date {
        self.held_on.to_jiff()
    }
}

/// One round's reply.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Reply {
    pub id: i64,
    pub round: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub class: String,
    pub reviewed_class: Option<String>,
    pub review_note: String,
    pub body: String,
    #[serde(skip)]
    pub signed_on: Option<jiff_sqlx::Date>,
    pub reviewed: bool,
}

impl Reply {
    /// The class in force: as reviewed, else as drafted.
    pub fn class(&self) -> Option<OutcomeClass> {
        OutcomeClass::parse(self.reviewed_class.as_deref().unwrap_or(&self.class))
    }
    pub fn signed(&self) -> Option<Date> {
        self.signed_on.map(|d| d.to_jiff())
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct RatingRow {
    pub round: i64,
    pub person_id: i64,
    pub name: String,
    pub rating: String,
    pub comment: String,
    /// 同意公开 (the lead proposer's consent to publish the reply).
    pub publish: bool,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct FollowUp {
    pub id: i64,
    #[serde(skip)]
    pub reported_on: jiff_sqlx::Date,
    pub body: String,
    pub solved: bool,
}

/// One step on the timeline, to be written.
#[derive(Debug, Clone, Serialize)]
pub struct NewEvent {
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

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Event {
    pub id: i64,
    pub kind: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub note: String,
    pub actor_name: Option<String>,
    #[serde(skip)]
    pub at: jiff_sqlx::Timestamp,
}

/// Registers an item (its number is the next free one of its kind and year unless given) and
/// writes its first event and ledger entry.
pub async fn insert(
    tx: &mut Tx,
    audit: &Audit,
    intake: &Intake,
    handling: &Handling,
) -> Result<ProposalId, StoreError> {
    let seq = match intake.seq {
        Some(s) => i64::from(s),
        None => {
            let (max,): (Option<i64>,) =
                sql("SELECT MAX(seq) FROM proposals WHERE kind = $1 AND year = $2")
                    .bind(intake.kind.as_str())
                    .bind(i64::from(intake.year))
                    .fetch_one(tx)
                    .await?;
            max.unwrap_or(0) + 1
        }
    };
    let number = intake
        .kind
        .number(intake.year, u32::try_from(seq).unwrap_or(0));
    let (id,): (i64,) = sql(
        "INSERT INTO proposals (year, kind, seq, number, title, content, proposer_id, group_name,
            category, key_item, leader_id, state, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)",
    )
    .bind(i64::from(intake.year))
    .bind(intake.kind.as_str())
    .bind(seq)
    .bind(number.as_str())
    .bind(intake.title.as_str())
    .bind(intake.content.as_str())
    .bind(intake.proposer_id)
    .bind(intake.group_name.as_str())
    .bind(intake.category.as_str())
    .bind(intake.key_item)
    .bind(intake.leader_id)
    .bind(handling.state.as_str())
    .bind(audit.actor)
    .bind(audit.at)
    .returning("id")
    .fetch_one(tx)
    .await?;
    let id = ProposalId(id);
    counts::settle(tx, id, counts::Part::default()).await?;
    text::write_new(tx, id, number.as_str(), &intake.title, &intake.content).await?;
    for p in &intake.cosigner_ids {
        if *p == intake.proposer_id {
            continue;
        }
        sql("INSERT INTO proposal_cosigners (proposal_id, person_id) VALUES ($1, $2)")
            .bind(id.0)
            .bind(*p)
            .on_conflict(" ON CONFLICT DO NOTHING")
            .execute(tx)
            .await?;
    }
    let units = !handling.co_unit_ids.is_empty() || !handling.split_unit_ids.is_empty();
    write_handling(tx, audit, id, handling, None, units).await?;
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
        ledger::Change::new("proposal.register", "proposal", id.0).after(
            &serde_json::json!({ "number": number, "intake": intake, "handling": handling }),
        ),
    )
    .await?;
    Ok(id)
}

/// Writes one step: the new handling (only if the item is still in `before.state`), its
/// timeline event and its ledger entry.
pub async fn save_step(
    tx: &mut Tx,
    audit: &Audit,
    id: ProposalId,
    before: &Handling,
    after: &Handling,
    event: &NewEvent,
) -> Result<i64, StoreError> {
    let units_changed =
        before.co_unit_ids != after.co_unit_ids || before.split_unit_ids != after.split_unit_ids;
    let touched = write_handling(tx, audit, id, after, Some(before.state), units_changed).await?;
    if touched == 0 {
        return Err(StoreError::Conflict {
            constraint: "proposals_state_changed".into(),
        });
    }
    let event_id =
        insert_event(tx, audit, id, Some(before.state), Some(after.state), event).await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new(ledger_action(event.kind), "proposal", id.0)
            .before(before)
            .after(
                &serde_json::json!({ "handling": after, "note": event.note, "data": event.data }),
            ),
    )
    .await?;
    Ok(event_id)
}

fn ledger_action(kind: &str) -> &'static str {
    const ACTIONS: &[(&str, &str)] = &[
        ("accept", "proposal.accept"),
        ("reject", "proposal.reject"),
        ("merge", "proposal.merge"),
        ("withdraw", "proposal.withdraw"),
        ("hand_out", "proposal.hand_out"),
        ("sign_in", "proposal.sign_in"),
        ("request_adjustment", "proposal.request_adjustment"),
        ("approve_adjustment", "proposal.approve_adjustment"),
        ("refuse_adjustment", "proposal.refuse_adjustment"),
        ("contact", "proposal.contact"),
        ("opinion", "proposal.opinion"),
        ("draft_reply", "proposal.draft_reply"),
        ("countersign", "proposal.countersign"),
        ("review", "proposal.review"),
        ("send_back", "proposal.send_back"),
        ("sign", "proposal.sign"),
        ("rate", "proposal.rate"),
        ("follow_up", "proposal.follow_up"),
        ("extend", "proposal.extend"),
    ];
    ACTIONS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("proposal.step", |(_, a)| a)
}

/// Writes an item's handling (only while it is still in `expected`, when given) and, if
/// `units` says they changed, its co- and split units. Returns the rows updated (0: the item
/// moved on meanwhile).
async fn write_handling(
    tx: &mut Tx,
    audit: &Audit,
    id: ProposalId,
    h: &Handling,
    expected: Option<State>,
    units: bool,
) -> Result<u64, StoreError> {
    let before = counts::part(tx, id).await?;
    let touched = sql(
        "UPDATE proposals SET state = $2, reject_reason = $3, reject_note = $4, merged_into = $5,
            lead_unit_id = $6, handed_out_on = $7, reply_rule = $8, original_due_on = $9,
            reply_due_on = $10, extension_reason = $11, adjustment_ends_on = $12,
            adjustment_reason = $13, co_opinion_due_on = $14, round = $15,
            rehandling_due_on = $16, follow_up_due_on = $17, first_replied_on = $18, class = $19,
            solved = $20, follow_ups = $21, first_rating = $22, rating = $23,
            rating_pending = $24, evaluation_due_on = $25, updated_at = $26
         WHERE id = $1 AND ($27 IS NULL OR state = $27)",
    )
    .bind(id.0)
    .bind(h.state.as_str())
    .bind(h.reject_reason.map(RejectReason::as_str))
    .bind(h.reject_note.as_str())
    .bind(h.merged_into.map(|m| m.0))
    .bind(h.lead_unit_id)
    .bind(h.handed_out_on)
    .bind(h.reply_rule.clone())
    .bind(h.original_due_on)
    .bind(h.reply_due_on)
    .bind(h.extension_reason.as_str())
    .bind(h.adjustment_ends_on)
    .bind(h.adjustment_reason.as_str())
    .bind(h.co_opinion_due_on)
    .bind(i64::from(h.round))
    .bind(h.rehandling_due_on)
    .bind(h.follow_up_due_on)
    .bind(h.first_replied_on)
    .bind(h.class.map(OutcomeClass::as_str))
    .bind(h.solved)
    .bind(i64::from(h.follow_ups))
    .bind(h.first_rating.map(Rating::as_str))
    .bind(h.rating.map(Rating::as_str))
    .bind(h.rating_pending)
    .bind(h.evaluation_due_on)
    .bind(audit.at)
    .bind(expected.map(State::as_str))
    .execute(tx)
    .await?;
    if touched > 0 {
        counts::settle(tx, id, before).await?;
    }
    if touched == 0 || !units {
        return Ok(touched);
    }
    let current: Vec<(i64, String)> =
        sql("SELECT unit_id, role FROM proposal_units WHERE proposal_id = $1")
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
            sql("DELETE FROM proposal_units WHERE proposal_id = $1 AND unit_id = $2")
                .bind(id.0)
                .bind(*unit)
                .execute(tx)
                .await?;
        }
    }
    for (unit, role) in wanted {
        if !current.iter().any(|(u, r)| *u == unit && r == role) {
            sql("INSERT INTO proposal_units (proposal_id, unit_id, role) VALUES ($1, $2, $3)")
                .bind(id.0)
                .bind(unit)
                .bind(role)
                .execute(tx)
                .await?;
        }
    }
    Ok(touched)
}

async fn insert_event(
    tx: &mut Tx,
    audit: &Audit,
    id: ProposalId,
    from: Option<State>,
    to: Option<State>,
    e: &NewEvent,
) -> Result<i64, StoreError> {
    let (event_id,): (i64,) = sql(
        "INSERT INTO proposal_events (proposal_id, at, actor_id, kind, from_state, to_state, note, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(id.0)
    .bind(audit.at)
    .bind(audit.actor)
    .bind(e.kind)
    .bind(from.map(State::as_str))
    .bind(to.map(State::as_str))
    .bind(e.note.as_str())
    .bind(e.data.to_string())
    .fetch_one(tx)
    .await?;
    Ok(event_id)
}

/// Adds co-signers (the proposers of an item merged into this one), skipping those already
/// named and the lead proposer.
pub async fn add_cosigners(
    tx: &mut Tx,
    id: ProposalId,
    people: &[PersonId],
) -> Result<(), StoreError> {
    for p in people {
        sql("INSERT INTO proposal_cosigners (proposal_id, person_id)
             SELECT $1, $2 WHERE NOT EXISTS
                (SELECT 1 FROM proposals WHERE id = $1 AND proposer_id = $2)")
        .bind(id.0)
        .bind(*p)
        .on_conflict(" ON CONFLICT DO NOTHING")
        .execute(tx)
        .await?;
    }
    Ok(())
}

/// Records a contact and keeps the item's contact flags (the rates read them) in step.
pub async fn insert_contact(
    tx: &mut Tx,
    audit: &Audit,
    id: ProposalId,
    c: &NewContact,
) -> Result<i64, StoreError> {
    let (contact_id,): (i64,) = sql(
        "INSERT INTO proposal_contacts (proposal_id, unit_id, stage, held_on, way, participants,
            head_took_part, note, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(id.0)
    .bind(c.unit_id)
    .bind(c.stage)
    .bind(c.held_on)
    .bind(c.way)
    .bind(c.participants.as_str())
    .bind(c.head_took_part)
    .bind(c.note.as_str())
    .bind(audit.actor)
    .bind(audit.at)
    .fetch_one(tx)
    .await?;
    let flag = match c.stage {
        "report" => "reported",
        "site" => "site",
        _ => "revisit",
    };
    let text = format!(
        "UPDATE proposals SET {flag} = TRUE,
            face_to_face = face_to_face OR $2, head = head OR $3, updated_at = $4
         WHERE id = $1"
    );
    let before = counts::part(tx, id).await?;
    crate::Sql::assembled(text)
        .bind(id.0)
        .bind(c.way != "phone")
        .bind(c.head_took_part)
        .bind(audit.at)
        .execute(tx)
        .await?;
    counts::settle(tx, id, before).await?;
    Ok(contact_id)
}

/// Records a co-unit's opinion to the lead unit.
pub async fn set_opinion(
    tx: &mut Tx,
    audit: &Audit,
    id: ProposalId,
    unit: UnitId,
    opinion: &str,
) -> Result<(), StoreError> {
    let touched = sql("UPDATE proposal_units SET opinion = $3, opinion_at = $4
         WHERE proposal_id = $1 AND unit_id = $2 AND role = 'co'")
    .bind(id.0)
    .bind(unit)
    .bind(opinion)
    .bind(audit.at)
    .execute(tx)
    .await?;
    if touched == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Writes this round's draft (a new draft replaces the old one and clears its countersigns).
pub async fn save_draft(
    tx: &mut Tx,
    audit: &Audit,
    id: ProposalId,
    round: u32,
    unit: UnitId,
    class: OutcomeClass,
    body: &str,
) -> Result<i64, StoreError> {
    let existing: Option<(i64,)> =
        sql("SELECT id FROM proposal_replies WHERE proposal_id = $1 AND round = $2")
            .bind(id.0)
            .bind(i64::from(round))
            .fetch_optional(tx)
            .await?;
    if let Some((reply,)) = existing {
        sql("DELETE FROM proposal_countersigns WHERE reply_id = $1")
            .bind(reply)
            .execute(tx)
            .await?;
        sql(
            "UPDATE proposal_replies SET unit_id = $2, class = $3, body = $4, drafted_by = $5,
                drafted_at = $6, reviewed_class = NULL, review_note = '', reviewed_by = NULL,
                reviewed_at = NULL, signed_by = NULL, signed_on = NULL
             WHERE id = $1",
        )
        .bind(reply)
        .bind(unit)
        .bind(class.as_str())
        .bind(body)
        .bind(audit.actor)
        .bind(audit.at)
        .execute(tx)
        .await?;
        text::refresh(tx, id).await?;
        return Ok(reply);
    }
    let (reply,): (i64,) = sql(
        "INSERT INTO proposal_replies (proposal_id, round, unit_id, class, body, drafted_by, drafted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(id.0)
    .bind(i64::from(round))
    .bind(unit)
    .bind(class.as_str())
    .bind(body)
    .bind(audit.actor)
    .bind(audit.at)
    .fetch_one(tx)
    .await?;
    text::refresh(tx, id).await?;
    Ok(reply)
}

/// 会签 by a co-unit. A second countersign by the same unit is a conflict.
pub async fn countersign(
    tx: &mut Tx,
    audit: &Audit,
    reply: i64,
    unit: UnitId,
    note: &str,
) -> Result<(), StoreError> {
    sql(
        "INSERT INTO proposal_countersigns (reply_id, unit_id, note, signed_by, signed_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(reply)
    .bind(unit)
    .bind(note)
    .bind(audit.actor)
    .bind(audit.at)
    .execute(tx)
    .await?;
    Ok(())
}

/// The co-units that have countersigned a reply.
pub async fn countersigned_by(tx: &mut Tx, reply: i64) -> Result<Vec<UnitId>, StoreError> {
    let rows: Vec<(i64,)> = sql("SELECT unit_id FROM proposal_countersigns WHERE reply_id = $1")
        .bind(reply)
        .fetch_all(tx)
        .await?;
    Ok(rows.into_iter().map(|(u,)| UnitId(u)).collect())
}

/// The office's review: the class it confirms or corrects.
pub async fn review_reply(
    tx: &mut Tx,
    audit: &Audit,
    reply: i64,
    class: OutcomeClass,
    note: &str,
) -> Result<(), StoreError> {
    sql(
        "UPDATE proposal_replies SET reviewed_class = $2, review_note = $3, reviewed_by = $4,
            reviewed_at = $5 WHERE id = $1",
    )
    .bind(reply)
    .bind(class.as_str())
    .bind(note)
    .bind(audit.actor)
    .bind(audit.at)
    .execute(tx)
    .await?;
    Ok(())
}

pub async fn sign_reply(
    tx: &mut Tx,
    audit: &Audit,
    reply: i64,
    on: Date,
) -> Result<(), StoreError> {
    sql("UPDATE proposal_replies SET signed_by = $2, signed_on = $3 WHERE id = $1")
        .bind(reply)
        .bind(audit.actor)
        .bind(on)
        .execute(tx)
        .await?;
    Ok(())
}

/// A proposer's rating of one round's reply.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewRating {
    pub round: u32,
    pub person: PersonId,
    pub rating: Rating,
    pub comment: String,
    /// 同意公开: the lead proposer agrees to the reply's publication on the public portal.
    pub publish: bool,
}

/// A proposer's rating of one round; a second one by the same proposer is a conflict
/// (`proposal_ratings_proposal_id_round_person_id_key`).
pub async fn insert_rating(
    tx: &mut Tx,
    audit: &Audit,
    id: ProposalId,
    r: &NewRating,
) -> Result<(), StoreError> {
    sql(
        "INSERT INTO proposal_ratings (proposal_id, round, person_id, rating, comment, rated_at,
            publish)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.0)
    .bind(i64::from(r.round))
    .bind(r.person)
    .bind(r.rating.as_str())
    .bind(r.comment.as_str())
    .bind(audit.at)
    .bind(r.publish)
    .execute(tx)
    .await?;
    Ok(())
}

/// Whether `person` rated this round already.
pub async fn has_rated(
    tx: &mut Tx,
    id: ProposalId,
    round: u32,
    person: PersonId,
) -> Result<bool, StoreError> {
    let row: Option<(i64,)> = sql(
        "SELECT id FROM proposal_ratings WHERE proposal_id = $1 AND round = $2 AND person_id = $3",
    )
    .bind(id.0)
    .bind(i64::from(round))
    .bind(person)
    .fetch_optional(tx)
    .await?;
    Ok(row.is_some())
}

pub async fn insert_follow_up(
    tx: &mut Tx,
    audit: &Audit,
    id: ProposalId,
    on: Date,
    body: &str,
    solved: bool,
) -> Result<(), StoreError> {
    sql(
        "INSERT INTO proposal_follow_ups (proposal_id, reported_on, body, solved, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.0)
    .bind(on)
    .bind(body)
    .bind(solved)
    .bind(audit.actor)
    .bind(audit.at)
    .execute(tx)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Columns {
    id: i64,
    year: i64,
    kind: String,
    seq: i64,
    number: String,
    title: String,
    content: String,
    proposer_id: i64,
    group_name: String,
    category: String,
    key_item: bool,
    leader_id: Option<i64>,
    state: String,
    reject_reason: Option<String>,
    reject_note: String,
    merged_into: Option<i64>,
    lead_unit_id: Option<i64>,
    handed_out_on: Option<jiff_sqlx::Date>,
    reply_rule: Option<String>,
    original_due_on: Option<jiff_sqlx::Date>,
    reply_due_on: Option<jiff_sqlx::Date>,
    extension_reason: String,
    adjustment_ends_on: Option<jiff_sqlx::Date>,
    adjustment_reason: String,
    co_opinion_due_on: Option<jiff_sqlx::Date>,
    round: i64,
    rehandling_due_on: Option<jiff_sqlx::Date>,
    follow_up_due_on: Option<jiff_sqlx::Date>,
    first_replied_on: Option<jiff_sqlx::Date>,
    class: Option<String>,
    solved: bool,
    follow_ups: i64,
    first_rating: Option<String>,
    rating: Option<String>,
    rating_pending: bool,
    evaluation_due_on: Option<jiff_sqlx::Date>,
    reported: bool,
    site: bool,
    revisit: bool,
    face_to_face: bool,
    head: bool,
    proposer_name: String,
    leader_name: Option<String>,
    lead_unit_name: Option<String>,
}

pub(crate) fn bad(what: &str) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        format!("unknown {what} in the proposals table").into(),
    ))
}

pub(crate) fn date(d: Option<jiff_sqlx::Date>) -> Option<Date> {
    d.map(|d| d.to_jiff())
}

pub(crate) fn rating(r: Option<&str>) -> Result<Option<Rating>, StoreError> {
    r.map(|r| Rating::parse(r).ok_or_else(|| bad("rating")))
        .transpose()
}

pub(crate) fn class(c: Option<&str>) -> Result<Option<OutcomeClass>, StoreError> {
    c.map(|c| OutcomeClass::parse(c).ok_or_else(|| bad("class")))
        .transpose()
}

/// When the item was registered (or submitted online).
pub async fn registered_at(tx: &mut Tx, id: ProposalId) -> Result<jiff::Timestamp, StoreError> {
    let (at,): (jiff_sqlx::Timestamp,) = sql("SELECT created_at FROM proposals WHERE id = $1")
        .bind(id.0)
        .fetch_one(tx)
        .await?;
    Ok(at.to_jiff())
}

/// One item with its units, co-signers and names.
pub async fn get(tx: &mut Tx, id: ProposalId) -> Result<Option<Proposal>, StoreError> {
    let row: Option<Columns> = sql(
        "SELECT p.*, pp.name AS proposer_name, l.name AS leader_name, u.short_name AS lead_unit_name
         FROM proposals p
         JOIN people pp ON pp.id = p.proposer_id
         LEFT JOIN people l ON l.id = p.leader_id
         LEFT JOIN units u ON u.id = p.lead_unit_id
         WHERE p.id = $1",
    )
    .bind(id.0)
    .fetch_optional(tx)
    .await?;
    let Some(c) = row else { return Ok(None) };
    let units: Vec<ItemUnit> = sql(
        "SELECT pu.unit_id, un.short_name AS unit_name, pu.role, pu.opinion
         FROM proposal_units pu JOIN units un ON un.id = pu.unit_id
         WHERE pu.proposal_id = $1 ORDER BY pu.role, un.sort_order, un.id",
    )
    .bind(id.0)
    .fetch_all(tx)
    .await?;
    let cosigners: Vec<Cosigner> = sql(
        "SELECT pc.person_id, pe.name FROM proposal_cosigners pc JOIN people pe ON pe.id = pc.person_id
         WHERE pc.proposal_id = $1 ORDER BY pe.id",
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
    let intake = Intake {
        year: i16::try_from(c.year).map_err(|_| bad("year"))?,
        kind: Kind::parse(&c.kind).ok_or_else(|| bad("kind"))?,
        seq: u32::try_from(c.seq).ok(),
        title: c.title,
        content: c.content,
        proposer_id: PersonId(c.proposer_id),
        cosigner_ids: cosigners.iter().map(|c| PersonId(c.person_id)).collect(),
        group_name: c.group_name,
        category: c.category,
        key_item: c.key_item,
        leader_id: c.leader_id.map(PersonId),
    };
    let handling = Handling {
        state: State::parse(&c.state).ok_or_else(|| bad("state"))?,
        reject_reason: c
            .reject_reason
            .as_deref()
            .map(|r| RejectReason::parse(r).ok_or_else(|| bad("reject reason")))
            .transpose()?,
        reject_note: c.reject_note,
        merged_into: c.merged_into.map(ProposalId),
        lead_unit_id: c.lead_unit_id.map(UnitId),
        co_unit_ids: of_role("co"),
        split_unit_ids: of_role("split"),
        handed_out_on: date(c.handed_out_on),
        reply_rule: c.reply_rule,
        original_due_on: date(c.original_due_on),
        reply_due_on: date(c.reply_due_on),
        extension_reason: c.extension_reason,
        adjustment_ends_on: date(c.adjustment_ends_on),
        adjustment_reason: c.adjustment_reason,
        co_opinion_due_on: date(c.co_opinion_due_on),
        round: u32::try_from(c.round).map_err(|_| bad("round"))?,
        rehandling_due_on: date(c.rehandling_due_on),
        follow_up_due_on: date(c.follow_up_due_on),
        first_replied_on: date(c.first_replied_on),
        class: class(c.class.as_deref())?,
        solved: c.solved,
        follow_ups: u32::try_from(c.follow_ups).unwrap_or(0),
        first_rating: rating(c.first_rating.as_deref())?,
        rating: rating(c.rating.as_deref())?,
        rating_pending: c.rating_pending,
        evaluation_due_on: date(c.evaluation_due_on),
    };
    Ok(Some(Proposal {
        id: ProposalId(c.id),
        number: c.number,
        intake,
        handling,
        proposer_name: c.proposer_name,
        leader_name: c.leader_name,
        lead_unit_name: c.lead_unit_name,
        units,
        cosigners,
        contact_flags: [c.reported, c.site, c.revisit, c.face_to_face, c.head],
    }))
}

/// Contacts, oldest first.
pub async fn contacts(tx: &mut Tx, id: ProposalId) -> Result<Vec<Contact>, StoreError> {
    sql(
        "SELECT c.id, un.short_name AS unit_name, c.stage, c.held_on, c.way, c.participants,
                c.head_took_part, c.note
         FROM proposal_contacts c JOIN units un ON un.id = c.unit_id
         WHERE c.proposal_id = $1 ORDER BY c.held_on, c.id",
    )
    .bind(id.0)
    .fetch_all(tx)
    .await
}

/// Replies, by round.
pub async fn replies(tx: &mut Tx, id: ProposalId) -> Result<Vec<Reply>, StoreError> {
    sql(
        "SELECT r.id, r.round, r.unit_id, un.short_name AS unit_name, r.class, r.reviewed_class,
                r.review_note, r.body, r.signed_on, r.reviewed_at IS NOT NULL AS reviewed
         FROM proposal_replies r JOIN units un ON un.id = r.unit_id
         WHERE r.proposal_id = $1 ORDER BY r.round",
    )
    .bind(id.0)
    .fetch_all(tx)
    .await
}

pub async fn ratings(tx: &mut Tx, id: ProposalId) -> Result<Vec<RatingRow>, StoreError> {
    sql(
        "SELECT r.round, r.person_id, pe.name, r.rating, r.comment, r.publish
         FROM proposal_ratings r JOIN people pe ON pe.id = r.person_id
         WHERE r.proposal_id = $1 ORDER BY r.round, r.id",
    )
    .bind(id.0)
    .fetch_all(tx)
    .await
}

pub async fn follow_ups(tx: &mut Tx, id: ProposalId) -> Result<Vec<FollowUp>, StoreError> {
    sql(
        "SELECT id, reported_on, body, solved FROM proposal_follow_ups
         WHERE proposal_id = $1 ORDER BY reported_on, id",
    )
    .bind(id.0)
    .fetch_all(tx)
    .await
}

/// The timeline, oldest first.
pub async fn events(tx: &mut Tx, id: ProposalId) -> Result<Vec<Event>, StoreError> {
    sql("SELECT e.id, e.kind, e.from_state, e.to_state, e.note,
                COALESCE(p.name, u.username) AS actor_name, e.at
         FROM proposal_events e
         LEFT JOIN users u ON u.id = e.actor_id
         LEFT JOIN people p ON p.id = u.person_id
         WHERE e.proposal_id = $1 ORDER BY e.id")
    .bind(id.0)
    .fetch_all(tx)
    .await
}
