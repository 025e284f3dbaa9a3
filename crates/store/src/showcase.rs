//! The half-year showcase (晒拼) in the database: events, presenters with their statements,
//! judges (accounts and guest links) and score cards. The rules (which state follows, whether
//! a card may be written) are decided in `duban_core::showcase` before these functions are
//! called; every state change here is conditional on the state it was decided from, so two
//! racing writers cannot both win. A submitted card is never updated (the migration's
//! trigger refuses it whoever asks).

pub mod facts;

use crate::{Audit, StoreError, Tx, ledger, sql};
use duban_core::org::{UnitId, UserId};
use duban_core::showcase::state::{EventState, ScoringState};
use duban_core::showcase::{
    CardId, Criterion, EventSetup, JudgeGroup, JudgeId, PresenterId, ShowcaseId, UnitStatement,
};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

/// An event as stored, with its presenters in running order.
#[derive(Debug, Clone, Serialize)]
pub struct Showcase {
    pub id: ShowcaseId,
    pub title: String,
    pub held_on: Date,
    pub half_year: String,
    pub minutes: u32,
    pub trim: bool,
    pub criteria: Vec<Criterion>,
    pub judge_groups: Vec<JudgeGroup>,
    pub state: EventState,
    pub presenters: Vec<Presenter>,
    pub created_at: Timestamp,
}

/// A presenting unit of an event.
#[derive(Debug, Clone, Serialize)]
pub struct Presenter {
    pub id: PresenterId,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub group: String,
    /// 1-based place in the running order.
    pub position: i64,
    pub scoring: ScoringState,
    pub highlights: String,
    pub shortfalls: String,
    pub statement_at: Option<Timestamp>,
}

impl Showcase {
    pub fn presenter(&self, id: PresenterId) -> Option<&Presenter> {
        self.presenters.iter().find(|p| p.id == id)
    }
}

/// A judge on the panel.
#[derive(Debug, Clone, Serialize)]
pub struct Judge {
    pub id: JudgeId,
    pub showcase_id: ShowcaseId,
    pub judge_group: usize,
    pub name: String,
    pub user_id: Option<UserId>,
    pub unit_id: Option<UnitId>,
    /// A guest link: whether (and when) a device claimed it.
    pub guest: bool,
    pub device_hash: Option<String>,
    pub claimed_at: Option<Timestamp>,
}

/// A judge to put on the panel: an account (with its home unit) or a guest link (the hash of
/// its token).
#[derive(Debug, Clone, Serialize)]
pub struct NewJudge {
    pub judge_group: usize,
    pub name: String,
    pub user_id: Option<UserId>,
    pub unit_id: Option<UnitId>,
    #[serde(skip)]
    pub link_hash: Option<String>,
}

/// A score card as read, for the ranking, the audit view and the export.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub id: CardId,
    pub presenter_id: PresenterId,
    pub unit_name: String,
    pub judge_id: JudgeId,
    pub judge_name: String,
    pub judge_group: usize,
    pub guest: bool,
    pub scores: Vec<u32>,
    /// Σ score × weight in hundredths.
    pub total: i64,
    pub submitted_at: Option<Timestamp>,
    pub updated_at: Timestamp,
}

/// A card to save (a draft) or submit.
#[derive(Debug, Clone, Serialize)]
pub struct CardWrite {
    pub showcase: ShowcaseId,
    pub presenter: PresenterId,
    pub judge: JudgeId,
    pub scores: Vec<u32>,
    pub total: i64,
    pub submit: bool,
}

fn bad(what: &str) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        format!("unknown {what} in the showcase tables").into(),
    ))
}

fn conflict(what: &str) -> StoreError {
    StoreError::Conflict {
        constraint: what.to_string(),
    }
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("showcase values are plain data")
}

fn parse_json<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|_| bad(what))
}

/// Creates an event (a draft) with its presenters in the given order.
pub async fn insert_showcase(
    tx: &mut Tx,
    audit: &Audit,
    setup: &EventSetup,
) -> Result<ShowcaseId, StoreError> {
    let (id,): (i64,) = sql(
        "INSERT INTO showcases (title, held_on, half_year, minutes, trim_cards, criteria,
            judge_groups, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(setup.title.as_str())
    .bind(setup.held_on)
    .bind(setup.half_year.as_str())
    .bind(i64::from(setup.minutes))
    .bind(setup.trim)
    .bind(json(&setup.criteria))
    .bind(json(&setup.judge_groups))
    .bind(audit.actor)
    .bind(audit.at)
    .returning("id")
    .fetch_one(tx)
    .await?;
    for (i, p) in setup.presenters.iter().enumerate() {
        sql(
            "INSERT INTO showcase_presenters (showcase_id, unit_id, group_name, position)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(p.unit)
        .bind(p.group.as_str())
        .bind(i as i64 + 1)
        .execute(tx)
        .await?;
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("showcase.create", "showcase", id).after(setup),
    )
    .await?;
    Ok(ShowcaseId(id))
}

#[derive(sqlx::FromRow)]
struct ShowcaseColumns {
    id: i64,
    title: String,
    held_on: jiff_sqlx::Date,
    half_year: String,
    minutes: i64,
    trim_cards: bool,
    criteria: String,
    judge_groups: String,
    state: String,
    created_at: jiff_sqlx::Timestamp,
}

#[derive(sqlx::FromRow)]
struct PresenterColumns {
    id: i64,
    unit_id: i64,
    unit_name: String,
    group_name: String,
    position: i64,
    scoring: String,
    highlights: String,
    shortfalls: String,
    statement_at: Option<jiff_sqlx::Timestamp>,
}

impl ShowcaseColumns {
    fn into_showcase(self, presenters: Vec<Presenter>) -> Result<Showcase, StoreError> {
        Ok(Showcase {
            id: ShowcaseId(self.id),
            title: self.title,
            held_on: self.held_on.to_jiff(),
            half_year: self.half_year,
            minutes: u32::try_from(self.minutes).map_err(|_| bad("minutes"))?,
            trim: self.trim_cards,
            criteria: parse_json(&self.criteria, "criteria")?,
            judge_groups: parse_json(&self.judge_groups, "judge groups")?,
            state: EventState::parse(&self.state).ok_or_else(|| bad("state"))?,
            presenters,
            created_at: self.created_at.to_jiff(),
        })
    }
}

const SHOWCASE_COLUMNS: &str =
    "id, title, held_on, half_year, minutes, trim_cards, criteria, judge_groups, state, created_at";

/// One event with its presenters, or `None`.
pub async fn find_showcase(tx: &mut Tx, id: ShowcaseId) -> Result<Option<Showcase>, StoreError> {
    let row: Option<ShowcaseColumns> = crate::Sql::assembled(format!(
        "SELECT {SHOWCASE_COLUMNS} FROM showcases WHERE id = $1"
    ))
    .bind(id.0)
    .fetch_optional(tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let rows: Vec<PresenterColumns> = sql(
        "SELECT p.id, p.unit_id, COALESCE(u.short_name, u.name) AS unit_name, p.group_name,
                p.position, p.scoring, p.highlights, p.shortfalls, p.statement_at
         FROM showcase_presenters p JOIN units u ON u.id = p.unit_id
         WHERE p.showcase_id = $1 ORDER BY p.position",
    )
    .bind(id.0)
    .fetch_all(tx)
    .await?;
    let presenters = rows
        .into_iter()
        .map(|p| {
            Ok(Presenter {
                id: PresenterId(p.id),
                unit_id: UnitId(p.unit_id),
                unit_name: p.unit_name,
                group: p.group_name,
                position: p.position,
                scoring: ScoringState::parse(&p.scoring).ok_or_else(|| bad("scoring"))?,
                highlights: p.highlights,
                shortfalls: p.shortfalls,
                statement_at: p.statement_at.map(|t| t.to_jiff()),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    row.into_showcase(presenters).map(Some)
}

/// Every event, newest held first (without presenters).
pub async fn list_showcases(tx: &mut Tx) -> Result<Vec<Showcase>, StoreError> {
    let rows: Vec<ShowcaseColumns> = crate::Sql::assembled(format!(
        "SELECT {SHOWCASE_COLUMNS} FROM showcases ORDER BY held_on DESC, id DESC"
    ))
    .fetch_all(tx)
    .await?;
    rows.into_iter()
        .map(|r| r.into_showcase(Vec::new()))
        .collect()
}

/// Moves the event from `from` to `to`; locking also closes every open scoring window.
/// A conflict when the event is no longer in `from`.
pub async fn set_state(
    tx: &mut Tx,
    audit: &Audit,
    id: ShowcaseId,
    from: EventState,
    to: EventState,
) -> Result<(), StoreError> {
    let touched =
        sql("UPDATE showcases SET state = $3, updated_at = $4 WHERE id = $1 AND state = $2")
            .bind(id.0)
            .bind(from.as_str())
            .bind(to.as_str())
            .bind(audit.at)
            .execute(tx)
            .await?;
    if touched == 0 {
        return Err(conflict("showcases_state_changed"));
    }
    if to == EventState::Locked {
        sql("UPDATE showcase_presenters SET scoring = 'closed' WHERE showcase_id = $1 AND scoring = 'open'")
            .bind(id.0)
            .execute(tx)
            .await?;
    }
    let action = match to {
        EventState::Live => "showcase.open",
        EventState::Locked => "showcase.lock",
        EventState::Published => "showcase.publish",
        EventState::Draft => "showcase.draft",
    };
    ledger::append(
        tx,
        audit,
        ledger::Change::new(action, "showcase", id.0)
            .before(&serde_json::json!({ "state": from }))
            .after(&serde_json::json!({ "state": to })),
    )
    .await?;
    Ok(())
}

/// Opens or closes one presenter's scoring window, from the state it was decided from.
pub async fn set_scoring(
    tx: &mut Tx,
    audit: &Audit,
    presenter: PresenterId,
    from: ScoringState,
    to: ScoringState,
) -> Result<(), StoreError> {
    let touched = sql("UPDATE showcase_presenters SET scoring = $3 WHERE id = $1 AND scoring = $2")
        .bind(presenter.0)
        .bind(from.as_str())
        .bind(to.as_str())
        .execute(tx)
        .await?;
    if touched == 0 {
        return Err(conflict("showcase_presenters_scoring_changed"));
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("showcase.scoring", "showcase_presenter", presenter.0)
            .before(&serde_json::json!({ "scoring": from }))
            .after(&serde_json::json!({ "scoring": to })),
    )
    .await?;
    Ok(())
}

/// Keeps a presenter's highlights and 短板与差距.
pub async fn save_statement(
    tx: &mut Tx,
    audit: &Audit,
    presenter: &Presenter,
    statement: &UnitStatement,
) -> Result<(), StoreError> {
    sql("UPDATE showcase_presenters SET highlights = $2, shortfalls = $3, statement_at = $4 WHERE id = $1")
        .bind(presenter.id.0)
        .bind(statement.highlights.as_str())
        .bind(statement.shortfalls.as_str())
        .bind(audit.at)
        .execute(tx)
        .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("showcase.statement", "showcase_presenter", presenter.id.0)
            .before(&UnitStatement {
                highlights: presenter.highlights.clone(),
                shortfalls: presenter.shortfalls.clone(),
            })
            .after(statement),
    )
    .await?;
    Ok(())
}

/// Puts a judge on the panel (an account, or a guest link by the hash of its token).
pub async fn insert_judge(
    tx: &mut Tx,
    audit: &Audit,
    showcase: ShowcaseId,
    new: &NewJudge,
) -> Result<JudgeId, StoreError> {
    let (id,): (i64,) = sql(
        "INSERT INTO showcase_judges (showcase_id, judge_group, name, user_id, unit_id,
            link_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(showcase.0)
    .bind(new.judge_group as i64)
    .bind(new.name.as_str())
    .bind(new.user_id)
    .bind(new.unit_id)
    .bind(new.link_hash.clone())
    .bind(audit.at)
    .returning("id")
    .fetch_one(tx)
    .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("showcase.judge", "showcase_judge", id)
            .after(&serde_json::json!({ "showcase": showcase.0, "judge": new })),
    )
    .await?;
    Ok(JudgeId(id))
}

#[derive(sqlx::FromRow)]
struct JudgeColumns {
    id: i64,
    showcase_id: i64,
    judge_group: i64,
    name: String,
    user_id: Option<i64>,
    unit_id: Option<i64>,
    link_hash: Option<String>,
    device_hash: Option<String>,
    claimed_at: Option<jiff_sqlx::Timestamp>,
}

impl From<JudgeColumns> for Judge {
    fn from(j: JudgeColumns) -> Judge {
        Judge {
            id: JudgeId(j.id),
            showcase_id: ShowcaseId(j.showcase_id),
            judge_group: usize::try_from(j.judge_group).unwrap_or(0),
            name: j.name,
            user_id: j.user_id.map(UserId),
            unit_id: j.unit_id.map(UnitId),
            guest: j.link_hash.is_some(),
            device_hash: j.device_hash,
            claimed_at: j.claimed_at.map(|t| t.to_jiff()),
        }
    }
}

const JUDGE_COLUMNS: &str = "id, showcase_id, judge_group, name, user_id, unit_id, link_hash, \
     device_hash, claimed_at";

/// The panel of an event, in the order judges were added.
pub async fn list_judges(tx: &mut Tx, showcase: ShowcaseId) -> Result<Vec<Judge>, StoreError> {
    let rows: Vec<JudgeColumns> = crate::Sql::assembled(format!(
        "SELECT {JUDGE_COLUMNS} FROM showcase_judges WHERE showcase_id = $1 ORDER BY id"
    ))
    .bind(showcase.0)
    .fetch_all(tx)
    .await?;
    Ok(rows.into_iter().map(Judge::from).collect())
}

/// The judge an account is on an event's panel as, if any.
pub async fn find_judge_by_user(
    tx: &mut Tx,
    showcase: ShowcaseId,
    user: UserId,
) -> Result<Option<Judge>, StoreError> {
    let row: Option<JudgeColumns> = crate::Sql::assembled(format!(
        "SELECT {JUDGE_COLUMNS} FROM showcase_judges WHERE showcase_id = $1 AND user_id = $2"
    ))
    .bind(showcase.0)
    .bind(user)
    .fetch_optional(tx)
    .await?;
    Ok(row.map(Judge::from))
}

/// The guest judge a link's token hash belongs to, if any.
pub async fn find_judge_by_link(tx: &mut Tx, link_hash: &str) -> Result<Option<Judge>, StoreError> {
    let row: Option<JudgeColumns> = crate::Sql::assembled(format!(
        "SELECT {JUDGE_COLUMNS} FROM showcase_judges WHERE link_hash = $1"
    ))
    .bind(link_hash)
    .fetch_optional(tx)
    .await?;
    Ok(row.map(Judge::from))
}

/// Binds an unclaimed guest link to the device that opened it first. A conflict when another
/// device claimed it meanwhile.
pub async fn claim_link(
    tx: &mut Tx,
    audit: &Audit,
    judge: JudgeId,
    device_hash: &str,
) -> Result<(), StoreError> {
    let touched = sql(
        "UPDATE showcase_judges SET device_hash = $2, claimed_at = $3
         WHERE id = $1 AND device_hash IS NULL AND link_hash IS NOT NULL",
    )
    .bind(judge.0)
    .bind(device_hash)
    .bind(audit.at)
    .execute(tx)
    .await?;
    if touched == 0 {
        return Err(conflict("showcase_judges_link_claimed"));
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("showcase.claim_link", "showcase_judge", judge.0),
    )
    .await?;
    Ok(())
}

/// Saves or submits a card. An existing card is changed only while it is not submitted;
/// otherwise a conflict (`showcase_cards_submitted`), and nothing is written.
pub async fn write_card(
    tx: &mut Tx,
    audit: &Audit,
    card: &CardWrite,
) -> Result<CardId, StoreError> {
    let submitted_at = card.submit.then_some(audit.at);
    let existing: Option<(i64, Option<jiff_sqlx::Timestamp>)> = sql(
        "SELECT id, submitted_at FROM showcase_cards WHERE presenter_id = $1 AND judge_id = $2",
    )
    .bind(card.presenter.0)
    .bind(card.judge.0)
    .fetch_optional(tx)
    .await?;
    let id = match existing {
        Some((_, Some(_))) => return Err(conflict("showcase_cards_submitted")),
        Some((id, None)) => {
            let touched = sql(
                "UPDATE showcase_cards SET scores = $2, total = $3, submitted_at = $4,
                    updated_at = $5
                 WHERE id = $1 AND submitted_at IS NULL",
            )
            .bind(id)
            .bind(json(&card.scores))
            .bind(card.total)
            .bind(submitted_at)
            .bind(audit.at)
            .execute(tx)
            .await?;
            if touched == 0 {
                return Err(conflict("showcase_cards_submitted"));
            }
            id
        }
        None => {
            let (id,): (i64,) = sql(
                "INSERT INTO showcase_cards (showcase_id, presenter_id, judge_id, scores, total,
                    submitted_at, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
            )
            .bind(card.showcase.0)
            .bind(card.presenter.0)
            .bind(card.judge.0)
            .bind(json(&card.scores))
            .bind(card.total)
            .bind(submitted_at)
            .bind(audit.at)
            .returning("id")
            .fetch_one(tx)
            .await?;
            id
        }
    };
    let action = if card.submit {
        "showcase.card_submit"
    } else {
        "showcase.card_save"
    };
    ledger::append(
        tx,
        audit,
        ledger::Change::new(action, "showcase_card", id).after(card),
    )
    .await?;
    Ok(CardId(id))
}

#[derive(sqlx::FromRow)]
struct CardColumns {
    id: i64,
    presenter_id: i64,
    unit_name: String,
    judge_id: i64,
    judge_name: String,
    judge_group: i64,
    guest: i64,
    scores: String,
    total: i64,
    submitted_at: Option<jiff_sqlx::Timestamp>,
    updated_at: jiff_sqlx::Timestamp,
}

/// Which cards to read.
#[derive(Debug, Clone, Copy, Default)]
pub struct CardFilter {
    /// Only submitted cards (the ranking counts nothing else).
    pub submitted_only: bool,
    /// Only this judge's cards.
    pub judge: Option<JudgeId>,
}

/// An event's cards in running order, then by judge.
pub async fn list_cards(
    tx: &mut Tx,
    showcase: ShowcaseId,
    filter: CardFilter,
) -> Result<Vec<Card>, StoreError> {
    let rows: Vec<CardColumns> = sql(
        "SELECT c.id, c.presenter_id, COALESCE(u.short_name, u.name) AS unit_name, c.judge_id,
                j.name AS judge_name, j.judge_group, CAST(CASE WHEN j.link_hash IS NULL THEN 0 ELSE 1 END AS BIGINT) AS guest,
                c.scores, c.total, c.submitted_at, c.updated_at
         FROM showcase_cards c
         JOIN showcase_presenters p ON p.id = c.presenter_id
         JOIN units u ON u.id = p.unit_id
         JOIN showcase_judges j ON j.id = c.judge_id
         WHERE c.showcase_id = $1 AND ($2 = FALSE OR c.submitted_at IS NOT NULL)
           AND ($3 IS NULL OR c.judge_id = $3)
         ORDER BY p.position, c.judge_id",
    )
    .bind(showcase.0)
    .bind(filter.submitted_only)
    .bind(filter.judge.map(|j| j.0))
    .fetch_all(tx)
    .await?;
    rows.into_iter()
        .map(|c| {
            Ok(Card {
                id: CardId(c.id),
                presenter_id: PresenterId(c.presenter_id),
                unit_name: c.unit_name,
                judge_id: JudgeId(c.judge_id),
                judge_name: c.judge_name,
                judge_group: usize::try_from(c.judge_group).unwrap_or(0),
                guest: c.guest != 0,
                scores: parse_json(&c.scores, "scores")?,
                total: c.total,
                submitted_at: c.submitted_at.map(|t| t.to_jiff()),
                updated_at: c.updated_at.to_jiff(),
            })
        })
        .collect()
}

/// How many cards an event has, and how many are submitted (for the live screen's cheap
/// "anything new?" check).
pub async fn count_cards(tx: &mut Tx, showcase: ShowcaseId) -> Result<(i64, i64), StoreError> {
    sql("SELECT COUNT(*), COUNT(submitted_at) FROM showcase_cards WHERE showcase_id = $1")
        .bind(showcase.0)
        .fetch_one(tx)
        .await
}
