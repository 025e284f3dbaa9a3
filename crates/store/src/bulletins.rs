//! Bulletins (通报) in the database: drafts with their frozen content and editable
//! commentary, the year's series (number prefix, last number, schedule), and issuing — the
//! next number taken by incrementing the series row in the issuing transaction (the row lock
//! on PostgreSQL, the single writer on SQLite; `UNIQUE (year, seq)` refuses a duplicate in any
//! case), the state and hash written in one statement that only touches a draft.

use crate::{Audit, StoreError, Tx, ledger, sql};
use duban_core::assessment::bulletin::content::{Commentary, Content};
use duban_core::assessment::bulletin::number::{DEFAULT_PREFIX, DocNumber};
use duban_core::assessment::bulletin::schedule::Schedule;
use duban_core::assessment::bulletin::{Cadence, Covers, State};
use jiff::civil::Date;
use serde::Serialize;

fn decode(what: &str) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        format!("bulletins: stored {what} is not valid").into(),
    ))
}

/// A bulletin as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Bulletin {
    pub id: i64,
    pub year: i16,
    pub period: String,
    pub cadence: Cadence,
    pub state: State,
    pub title: String,
    pub content: Content,
    pub commentary: Commentary,
    pub generated_at: jiff::Timestamp,
    pub number: Option<String>,
    pub seq: Option<i64>,
    pub content_hash: Option<String>,
    pub public: bool,
    pub issued_at: Option<jiff::Timestamp>,
    pub issued_on: Option<Date>,
    pub ledger_seq: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    year: i64,
    period: String,
    cadence: String,
    state: String,
    title: String,
    content: String,
    commentary: String,
    generated_at: jiff_sqlx::Timestamp,
    number: Option<String>,
    seq: Option<i64>,
    content_hash: Option<String>,
    public: bool,
    issued_at: Option<jiff_sqlx::Timestamp>,
    issued_on: Option<jiff_sqlx::Date>,
    ledger_seq: Option<i64>,
}

impl Row {
    fn into_bulletin(self) -> Result<Bulletin, StoreError> {
        Ok(Bulletin {
            id: self.id,
            year: i16::try_from(self.year).map_err(|_| decode("year"))?,
            period: self.period,
            cadence: Cadence::parse(&self.cadence).ok_or_else(|| decode("cadence"))?,
            state: State::parse(&self.state).ok_or_else(|| decode("state"))?,
            title: self.title,
            content: serde_json::from_str(&self.content).map_err(|_| decode("content"))?,
            commentary: serde_json::from_str(&self.commentary).map_err(|_| decode("commentary"))?,
            generated_at: self.generated_at.to_jiff(),
            number: self.number,
            seq: self.seq,
            content_hash: self.content_hash,
            public: self.public,
            issued_at: self.issued_at.map(|t| t.to_jiff()),
            issued_on: self.issued_on.map(|d| d.to_jiff()),
            ledger_seq: self.ledger_seq,
        })
    }
}

const SELECT: &str = "SELECT id, year, period, cadence, state, title, content, commentary,
        generated_at, number, seq, content_hash, public, issued_at, issued_on, ledger_seq
    FROM bulletins";

/// One line of the list (no content).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Listed {
    pub id: i64,
    pub year: i64,
    pub period: String,
    pub cadence: String,
    pub state: String,
    pub title: String,
    pub number: Option<String>,
    pub public: bool,
    #[serde(skip)]
    pub generated_at: jiff_sqlx::Timestamp,
    #[serde(skip)]
    pub issued_on: Option<jiff_sqlx::Date>,
}

/// Bulletins newest first; drafts only when `drafts`.
pub async fn list(tx: &mut Tx, drafts: bool) -> Result<Vec<Listed>, StoreError> {
    let text = if drafts {
        "SELECT id, year, period, cadence, state, title, number, public, generated_at, issued_on
         FROM bulletins ORDER BY year DESC, COALESCE(seq, 1000000) DESC, id DESC"
    } else {
        "SELECT id, year, period, cadence, state, title, number, public, generated_at, issued_on
         FROM bulletins WHERE state = 'issued' ORDER BY year DESC, seq DESC"
    };
    sql(text).fetch_all(tx).await
}

pub async fn find(tx: &mut Tx, id: i64) -> Result<Option<Bulletin>, StoreError> {
    let row: Option<Row> = crate::Sql::assembled(format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(tx)
        .await?;
    row.map(Row::into_bulletin).transpose()
}

/// Whether a draft or issued bulletin of this period exists (the schedule makes one at most).
pub async fn exists_for(tx: &mut Tx, period: Covers) -> Result<bool, StoreError> {
    let (n,): (i64,) = sql("SELECT COUNT(*) FROM bulletins WHERE period = $1")
        .bind(period.key())
        .fetch_one(tx)
        .await?;
    Ok(n > 0)
}

/// Stores a new draft; returns its id.
pub async fn insert_draft(
    tx: &mut Tx,
    audit: &Audit,
    period: Covers,
    content: &Content,
    commentary: &Commentary,
) -> Result<i64, StoreError> {
    let (id,): (i64,) = sql(
        "INSERT INTO bulletins (year, period, cadence, state, title, content, commentary,
            generated_by, generated_at) VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8)",
    )
    .bind(i64::from(period.year()))
    .bind(period.key())
    .bind(period.cadence().as_str())
    .bind(content.title.as_str())
    .bind(serde_json::to_string(content).expect("plain data serialises"))
    .bind(serde_json::to_string(commentary).expect("plain data serialises"))
    .bind(audit.actor)
    .bind(audit.at)
    .returning("id")
    .fetch_one(tx)
    .await?;
    #[derive(Serialize)]
    struct Logged<'a> {
        period: &'a str,
        title: &'a str,
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("bulletin.generate", "bulletin", id).after(&Logged {
            period: &period.key(),
            title: &content.title,
        }),
    )
    .await?;
    Ok(id)
}

/// Replaces a draft's commentary. `NotFound` when the bulletin is not (or no longer) a draft:
/// the statement itself refuses an issued row, whatever the caller checked before.
pub async fn update_commentary(
    tx: &mut Tx,
    audit: &Audit,
    id: i64,
    before: &Commentary,
    commentary: &Commentary,
) -> Result<(), StoreError> {
    let n = sql("UPDATE bulletins SET commentary = $1 WHERE id = $2 AND state = 'draft'")
        .bind(serde_json::to_string(commentary).expect("plain data serialises"))
        .bind(id)
        .execute(tx)
        .await?;
    if n != 1 {
        return Err(StoreError::NotFound);
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("bulletin.edit", "bulletin", id)
            .before(before)
            .after(commentary),
    )
    .await?;
    Ok(())
}

/// A year's series and schedule as set (the default prefix and no schedule when unset).
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub year: i16,
    pub prefix: String,
    pub last_seq: i64,
    pub schedule: Option<Schedule>,
}

pub async fn series(tx: &mut Tx, year: i16) -> Result<Series, StoreError> {
    let row: Option<(String, i64, String, i64)> =
        sql("SELECT prefix, last_seq, cadence, working_day FROM bulletin_series WHERE year = $1")
            .bind(i64::from(year))
            .fetch_optional(tx)
            .await?;
    Ok(match row {
        None => Series {
            year,
            prefix: DEFAULT_PREFIX.into(),
            last_seq: 0,
            schedule: None,
        },
        Some((prefix, last_seq, cadence, day)) => Series {
            year,
            prefix,
            last_seq,
            schedule: Cadence::parse(&cadence)
                .and_then(|c| Schedule::new(c, u8::try_from(day).ok()?).ok()),
        },
    })
}

/// Years with a schedule set.
pub async fn scheduled(tx: &mut Tx) -> Result<Vec<Series>, StoreError> {
    let years: Vec<(i64,)> =
        sql("SELECT year FROM bulletin_series WHERE cadence <> '' ORDER BY year")
            .fetch_all(tx)
            .await?;
    let mut out = Vec::new();
    for (y,) in years {
        out.push(series(tx, i16::try_from(y).map_err(|_| decode("year"))?).await?);
    }
    Ok(out)
}

/// Sets a year's prefix and schedule (the numbers given out stay).
pub async fn set_series(
    tx: &mut Tx,
    audit: &Audit,
    year: i16,
    prefix: &str,
    schedule: Option<Schedule>,
) -> Result<(), StoreError> {
    let (cadence, day) = schedule.map_or(("", 3), |s| (s.cadence.as_str(), s.working_day));
    sql(
        "INSERT INTO bulletin_series (year, prefix, last_seq, cadence, working_day)
         VALUES ($1, $2, 0, $3, $4)
         ON CONFLICT (year) DO UPDATE SET prefix = excluded.prefix, cadence = excluded.cadence,
            working_day = excluded.working_day",
    )
    .bind(i64::from(year))
    .bind(prefix)
    .bind(cadence)
    .bind(i64::from(day))
    .execute(tx)
    .await?;
    #[derive(Serialize)]
    struct Logged<'a> {
        prefix: &'a str,
        cadence: &'a str,
        working_day: u8,
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("bulletin.series", "bulletin_series", i64::from(year)).after(&Logged {
            prefix,
            cadence,
            working_day: day,
        }),
    )
    .await?;
    Ok(())
}

/// Takes the next number of the year's series: the series row is created if missing and its
/// counter incremented in the caller's transaction, which holds the row until it commits.
pub async fn next_number(tx: &mut Tx, year: i16) -> Result<DocNumber, StoreError> {
    sql("INSERT INTO bulletin_series (year, prefix) VALUES ($1, $2) ON CONFLICT (year) DO NOTHING")
        .bind(i64::from(year))
        .bind(DEFAULT_PREFIX)
        .execute(tx)
        .await?;
    let (prefix, seq): (String, i64) = sql(
        "UPDATE bulletin_series SET last_seq = last_seq + 1 WHERE year = $1
         RETURNING prefix, last_seq",
    )
    .bind(i64::from(year))
    .fetch_one(tx)
    .await?;
    Ok(DocNumber { prefix, year, seq })
}

/// What issuing writes.
pub struct Issue<'a> {
    pub id: i64,
    pub number: &'a DocNumber,
    pub hash: &'a str,
    pub public: bool,
    pub issued_on: Date,
}

/// Marks a draft issued with its number and hash, and records the hash in the ledger.
/// `NotFound` when it is not a draft any more (someone issued it first).
pub async fn issue(tx: &mut Tx, audit: &Audit, i: &Issue<'_>) -> Result<i64, StoreError> {
    #[derive(Serialize)]
    struct Logged<'a> {
        number: String,
        sha256: &'a str,
        public: bool,
        issued_on: Date,
    }
    let seq = ledger::append(
        tx,
        audit,
        ledger::Change::new("bulletin.issue", "bulletin", i.id).after(&Logged {
            number: i.number.to_string(),
            sha256: i.hash,
            public: i.public,
            issued_on: i.issued_on,
        }),
    )
    .await?;
    let n = sql(
        "UPDATE bulletins SET state = 'issued', seq = $1, number = $2, content_hash = $3,
            public = $4, issued_by = $5, issued_at = $6, issued_on = $7, ledger_seq = $8
         WHERE id = $9 AND state = 'draft'",
    )
    .bind(i.number.seq)
    .bind(i.number.to_string())
    .bind(i.hash)
    .bind(i.public)
    .bind(audit.actor)
    .bind(audit.at)
    .bind(i.issued_on)
    .bind(seq)
    .bind(i.id)
    .execute(tx)
    .await?;
    if n != 1 {
        return Err(StoreError::NotFound);
    }
    Ok(seq)
}

/// Issued bulletins published on the portal, newest first.
pub async fn published(tx: &mut Tx) -> Result<Vec<Listed>, StoreError> {
    sql(
        "SELECT id, year, period, cadence, state, title, number, public, generated_at, issued_on
         FROM bulletins WHERE state = 'issued' AND public ORDER BY year DESC, seq DESC",
    )
    .fetch_all(tx)
    .await
}

/// An approved manual score event (praise, criticism, false data) not since reversed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MentionRow {
    pub unit_name: String,
    pub day: jiff_sqlx::Date,
    pub kind: String,
    pub reason: String,
    pub title: String,
    pub points: i64,
}

/// The manual events of a period, in day order: who was praised or criticised, and why.
pub async fn mentions(tx: &mut Tx, from: Date, to: Date) -> Result<Vec<MentionRow>, StoreError> {
    sql(
        "SELECT u.short_name AS unit_name, e.day, e.kind, e.reason, e.title, e.points
         FROM score_events e JOIN units u ON u.id = e.unit_id
         WHERE e.kind IN ('leader_praise', 'leader_criticism', 'false_data')
           AND e.reverses IS NULL AND e.day >= $1 AND e.day <= $2
           AND NOT EXISTS (SELECT 1 FROM score_events r WHERE r.reverses = e.id)
         ORDER BY e.day, e.id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(tx)
    .await
}
