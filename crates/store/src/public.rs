//! Public problem reports (`public_requests`) and the per-minute request counters
//! (`rate_counters`) that limit them across processes. Two kinds of reads: the office's
//! ([`PublicRequest`], contact data included) and the public's ([`PublicRow`], which has no
//! contact columns at all, so a public page cannot show them by mistake).

use crate::{Audit, StoreError, Tx, ledger, sql};
use duban_core::cases::CaseId;
use duban_core::cases::state::CaseState;
use duban_core::public::{
    Channel, Moderation, PublicStatus, Report, TrackingNumber, public_status,
};

/// A report as the office sees it.
#[derive(Debug, Clone)]
pub struct PublicRequest {
    pub id: i64,
    pub tracking: String,
    pub channel: Channel,
    pub category: String,
    pub description: String,
    pub address: String,
    pub position: Option<(f64, f64)>,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub media_url: String,
    pub photo_id: Option<i64>,
    pub moderation: Moderation,
    pub reason: String,
    pub public_reply: String,
    pub case_id: Option<CaseId>,
    /// The linked case's state, when there is a case.
    pub case_state: Option<CaseState>,
    pub created_at: jiff::Timestamp,
    pub updated_at: jiff::Timestamp,
}

impl PublicRequest {
    pub fn status(&self) -> PublicStatus {
        public_status(self.moderation, self.case_state)
    }
}

/// A report as the public may see it: no contact data, no internal notes, no photo.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicRow {
    pub tracking: String,
    pub category: String,
    pub description: String,
    pub address: String,
    pub position: Option<(f64, f64)>,
    pub status: PublicStatus,
    /// The reason of a refusal or the office's published reply.
    pub notes: String,
    pub requested_at: jiff::Timestamp,
    /// The latest change the public can see (the report's or its case's).
    pub updated_at: jiff::Timestamp,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    tracking: String,
    channel: String,
    category: String,
    description: String,
    address: String,
    lat: Option<f64>,
    lng: Option<f64>,
    contact_name: String,
    contact_email: String,
    contact_phone: String,
    media_url: String,
    photo_id: Option<i64>,
    moderation: String,
    reason: String,
    public_reply: String,
    case_id: Option<i64>,
    case_state: Option<String>,
    case_updated_at: Option<jiff_sqlx::Timestamp>,
    created_at: jiff_sqlx::Timestamp,
    updated_at: jiff_sqlx::Timestamp,
}

const SELECT: &str = "SELECT p.id, p.tracking, p.channel, p.category, p.description, p.address,
        p.lat, p.lng, p.contact_name, p.contact_email, p.contact_phone, p.media_url, p.photo_id,
        p.moderation, p.reason, p.public_reply, p.case_id, c.state AS case_state,
        c.updated_at AS case_updated_at, p.created_at, p.updated_at
     FROM public_requests p LEFT JOIN cases c ON c.id = p.case_id";

fn bad(what: &str) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        format!("{what} in the public_requests table").into(),
    ))
}

impl TryFrom<Row> for PublicRequest {
    type Error = StoreError;

    fn try_from(r: Row) -> Result<Self, StoreError> {
        let case_state = match r.case_state.as_deref() {
            Some(s) => Some(CaseState::parse(s).ok_or_else(|| bad("an unknown case state"))?),
            None => None,
        };
        let case_updated = r.case_updated_at.map(|t| t.to_jiff());
        let updated_at = r.updated_at.to_jiff();
        Ok(PublicRequest {
            id: r.id,
            tracking: r.tracking,
            channel: Channel::parse(&r.channel).ok_or_else(|| bad("an unknown channel"))?,
            category: r.category,
            description: r.description,
            address: r.address,
            position: r.lat.zip(r.lng),
            contact_name: r.contact_name,
            contact_email: r.contact_email,
            contact_phone: r.contact_phone,
            media_url: r.media_url,
            photo_id: r.photo_id,
            moderation: Moderation::parse(&r.moderation)
                .ok_or_else(|| bad("an unknown moderation state"))?,
            reason: r.reason,
            public_reply: r.public_reply,
            case_id: r.case_id.map(CaseId),
            case_state,
            created_at: r.created_at.to_jiff(),
            updated_at: case_updated.map_or(updated_at, |c| c.max(updated_at)),
        })
    }
}

impl PublicRequest {
    /// The public fields only.
    pub fn public_row(&self) -> PublicRow {
        let notes = match self.moderation {
            Moderation::Rejected => self.reason.clone(),
            _ => self.public_reply.clone(),
        };
        PublicRow {
            tracking: self.tracking.clone(),
            category: self.category.clone(),
            description: self.description.clone(),
            address: self.address.clone(),
            position: self.position,
            status: self.status(),
            notes,
            requested_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// A new report with its tracking number (drawn by the caller).
pub struct NewPublicRequest<'a> {
    pub tracking: &'a TrackingNumber,
    pub channel: Channel,
    pub report: &'a Report,
    pub photo_id: Option<i64>,
}

/// Stores a report in the intake queue (state `new`), with a `public_request.create` ledger
/// entry that names its number and category but not its text or contact data.
pub async fn insert_request(
    tx: &mut Tx,
    audit: &Audit,
    new: &NewPublicRequest<'_>,
) -> Result<i64, StoreError> {
    let r = new.report;
    let (id,): (i64,) = sql(
        "INSERT INTO public_requests (tracking, channel, category, description, address, lat, lng,
            contact_name, contact_email, contact_phone, media_url, photo_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
    )
    .bind(new.tracking.as_str())
    .bind(new.channel.as_str())
    .bind(r.category.as_str())
    .bind(r.description.as_str())
    .bind(r.address.as_str())
    .bind(r.position.map(|p| p.0))
    .bind(r.position.map(|p| p.1))
    .bind(r.name.as_str())
    .bind(r.email.as_str())
    .bind(r.phone.as_str())
    .bind(r.media_url.as_str())
    .bind(new.photo_id)
    .bind(audit.at)
    .returning("id")
    .fetch_one(tx)
    .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("public_request.create", "public_request", id).after(
            &serde_json::json!({
                "tracking": new.tracking.as_str(),
                "channel": new.channel.as_str(),
                "category": r.category,
                "photo_id": new.photo_id,
            }),
        ),
    )
    .await?;
    Ok(id)
}

pub async fn find_request(tx: &mut Tx, id: i64) -> Result<Option<PublicRequest>, StoreError> {
    sql_select("WHERE p.id = $1")
        .bind(id)
        .fetch_optional::<Row>(tx)
        .await?
        .map(TryInto::try_into)
        .transpose()
}

pub async fn find_by_tracking(
    tx: &mut Tx,
    tracking: &TrackingNumber,
) -> Result<Option<PublicRequest>, StoreError> {
    sql_select("WHERE p.tracking = $1")
        .bind(tracking.as_str())
        .fetch_optional::<Row>(tx)
        .await?
        .map(TryInto::try_into)
        .transpose()
}

fn sql_select(tail: &str) -> crate::Sql {
    crate::Sql::assembled(format!("{SELECT} {tail}"))
}

/// The intake queue: reports in one moderation state, newest first.
pub async fn list_requests(
    tx: &mut Tx,
    moderation: Moderation,
    limit: i64,
) -> Result<Vec<PublicRequest>, StoreError> {
    sql_select("WHERE p.moderation = $1 ORDER BY p.id DESC LIMIT $2")
        .bind(moderation.as_str())
        .bind(limit)
        .fetch_all::<Row>(tx)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}

/// Which published reports to list.
#[derive(Debug, Clone, Default)]
pub struct PublicFilter {
    /// Only these tracking numbers (Open311 `service_request_id`).
    pub tracking: Vec<String>,
    /// Only these categories (Open311 `service_code`).
    pub categories: Vec<String>,
    /// Filed at or after / before.
    pub from: Option<jiff::Timestamp>,
    pub until: Option<jiff::Timestamp>,
    /// Only reports whose description, address, public reply or tracking number hold every
    /// word (the portal's search).
    pub terms: Option<duban_core::search::Terms>,
    /// Newest change first (the feed) instead of newest filed first.
    pub by_update: bool,
    pub limit: i64,
}

/// Published reports — accepted by the office, never new or rejected ones — newest first,
/// as public rows only.
pub async fn list_public(tx: &mut Tx, f: &PublicFilter) -> Result<Vec<PublicRow>, StoreError> {
    let mut text = format!("{SELECT} WHERE p.moderation = 'accepted'");
    let mut params: Vec<crate::Param> = Vec::new();
    let mut push = |text: &mut String, cond: &str, p: crate::Param| {
        params.push(p);
        text.push_str(&cond.replace('?', &format!("${}", params.len())));
    };
    if !f.tracking.is_empty() {
        text.push_str(" AND p.tracking IN (");
        for (i, t) in f.tracking.iter().enumerate() {
            let sep = if i == 0 { "?" } else { ", ?" };
            push(&mut text, sep, t.clone().into());
        }
        text.push(')');
    }
    if !f.categories.is_empty() {
        text.push_str(" AND p.category IN (");
        for (i, c) in f.categories.iter().enumerate() {
            let sep = if i == 0 { "?" } else { ", ?" };
            push(&mut text, sep, c.clone().into());
        }
        text.push(')');
    }
    if let Some(from) = f.from {
        push(&mut text, " AND p.created_at >= ?", from.into());
    }
    if let Some(until) = f.until {
        push(&mut text, " AND p.created_at <= ?", until.into());
    }
    if let Some(terms) = &f.terms {
        let (like, escape) = crate::search::like_operator(tx.backend());
        for w in terms.words() {
            let cond = format!(
                " AND (p.description || ' ' || p.address || ' ' || p.public_reply || ' ' \
                 || p.tracking) {like} ?{escape}"
            );
            push(&mut text, &cond, crate::search::like_pattern(w).into());
        }
    }
    let order = if f.by_update {
        " ORDER BY p.updated_at DESC, p.id DESC LIMIT ?"
    } else {
        " ORDER BY p.id DESC LIMIT ?"
    };
    push(&mut text, order, f.limit.into());
    crate::Sql::with_params(text, params)
        .fetch_all::<Row>(tx)
        .await?
        .into_iter()
        .map(|r| PublicRequest::try_from(r).map(|p| p.public_row()))
        .collect()
}

/// Accepts a new report: it now stands for `case`. Fails with a conflict
/// (`public_requests_state_changed`) when it was decided meanwhile.
pub async fn accept(tx: &mut Tx, audit: &Audit, id: i64, case: CaseId) -> Result<(), StoreError> {
    decide(tx, audit, id, Moderation::Accepted, Some(case), "").await
}

/// Rejects a new report with the reason shown to the citizen.
pub async fn reject(tx: &mut Tx, audit: &Audit, id: i64, reason: &str) -> Result<(), StoreError> {
    decide(tx, audit, id, Moderation::Rejected, None, reason).await
}

async fn decide(
    tx: &mut Tx,
    audit: &Audit,
    id: i64,
    to: Moderation,
    case: Option<CaseId>,
    reason: &str,
) -> Result<(), StoreError> {
    let n = sql(
        "UPDATE public_requests SET moderation = $1, case_id = $2, reason = $3, decided_by = $4,
            decided_at = $5, updated_at = $5
         WHERE id = $6 AND moderation = 'new'",
    )
    .bind(to.as_str())
    .bind(case.map(|c| c.0))
    .bind(reason)
    .bind(audit.actor)
    .bind(audit.at)
    .bind(id)
    .execute(tx)
    .await?;
    if n == 0 {
        return Err(StoreError::Conflict {
            constraint: "public_requests_state_changed".into(),
        });
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("public_request.decide", "public_request", id).after(
            &serde_json::json!({ "moderation": to.as_str(), "case_id": case.map(|c| c.0), "reason": reason }),
        ),
    )
    .await?;
    Ok(())
}

/// Publishes (or replaces) the office's reply to an accepted report.
pub async fn set_reply(tx: &mut Tx, audit: &Audit, id: i64, reply: &str) -> Result<(), StoreError> {
    let n = sql("UPDATE public_requests SET public_reply = $1, updated_at = $2 WHERE id = $3")
        .bind(reply)
        .bind(audit.at)
        .bind(id)
        .execute(tx)
        .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("public_request.reply", "public_request", id)
            .after(&serde_json::json!({ "public_reply": reply })),
    )
    .await?;
    Ok(())
}

/// The first event on a case's timeline (its registration), to hang a report's photo on.
pub async fn first_case_event(tx: &mut Tx, case: CaseId) -> Result<i64, StoreError> {
    let (id,): (Option<i64>,) = sql("SELECT MIN(id) FROM case_events WHERE case_id = $1")
        .bind(case.0)
        .fetch_one(tx)
        .await?;
    id.ok_or(StoreError::NotFound)
}

/// Counts one request under `key` in the minute starting at `window` and returns the count
/// so far, in one statement (an upsert), so two processes never lose a count. Windows older
/// than `forget_before` are deleted on the way.
pub async fn count_request(
    tx: &mut Tx,
    key: &str,
    window: jiff::Timestamp,
    forget_before: jiff::Timestamp,
) -> Result<i64, StoreError> {
    sql("DELETE FROM rate_counters WHERE window_start < $1")
        .bind(forget_before)
        .execute(tx)
        .await?;
    let (n,): (i64,) = sql(
        "INSERT INTO rate_counters (key, window_start, n) VALUES ($1, $2, 1)
         ON CONFLICT (key, window_start) DO UPDATE SET n = rate_counters.n + 1",
    )
    .bind(key)
    .bind(window)
    .returning("n")
    .fetch_one(tx)
    .await?;
    Ok(n)
}
