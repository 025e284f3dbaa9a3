//! Notifications: the in-app inbox (one row per recipient, read or unread), each person's
//! preferences (e-mail on or off, a daily digest instead of a message per event) and
//! deliveries by e-mail or webhook with a record of every attempt.
//!
//! [`notify`] only writes rows — inbox rows, delivery rows and a `deliver` job per delivery —
//! so the request that notifies never waits for a mail server or a webhook: the job runner
//! (`duban_web::jobs`) sends, retries with backoff and records each attempt here. Sending is
//! at least once: a process that dies between sending and recording sends again.

mod deliveries;

pub use deliveries::{
    Attempt, AttemptRow, Delivery, DeliveryFilter, DeliveryId, get_delivery, list_attempts,
    list_deliveries, queue_delivery, record_attempt,
};

use crate::ledger::{self, Change};
use crate::{Audit, StoreError, Tx, sql};
use duban_core::org::PersonId;
use jiff::Timestamp;
use serde::Serialize;

/// An inbox row's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct NotificationId(pub i64);

/// The job kind that sends one delivery (payload `{"delivery": id}`).
pub const DELIVER_JOB: &str = "deliver";
/// The job kind that sends one person's daily digest (payload `{"person": id, "day": …}`).
pub const DIGEST_JOB: &str = "digest";

/// What to tell people. `kind` is a stable word the digest groups by (`case.assigned`);
/// `link` a path inside duban (`/cases/12`), made absolute when sent.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Message {
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub link: String,
    /// The case it is about, if any (no foreign key: the inbox outlives what it mentions).
    pub case_id: Option<i64>,
}

/// The delivery channels this installation has configured.
#[derive(Debug, Clone, Default)]
pub struct Channels {
    /// An SMTP server is configured.
    pub email: bool,
    /// Webhook URLs (group-chat robots) that get one post per message.
    pub webhooks: Vec<String>,
}

/// A recipient and how they want to hear.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Recipient {
    pub person_id: i64,
    pub name: String,
    pub email: Option<String>,
    pub locale: Option<String>,
    /// Deactivated people keep their inbox but are sent nothing.
    pub active: bool,
    /// E-mail wanted (preference; default on).
    pub email_on: bool,
    /// A daily digest instead of a message per event (default off).
    pub digest: bool,
}

impl Recipient {
    /// The address to e-mail, when e-mail is configured, wanted and possible.
    fn mail_to(&self, channels: &Channels) -> Option<&str> {
        let address = self.email.as_deref().filter(|a| !a.is_empty())?;
        (channels.email && self.email_on && self.active).then_some(address)
    }
}

const RECIPIENT_SELECT: &str = "SELECT p.id AS person_id, p.name, p.email, u.locale, p.active,
        COALESCE(np.email, TRUE) AS email_on, COALESCE(np.digest, FALSE) AS digest
    FROM people p
    LEFT JOIN notification_prefs np ON np.person_id = p.id
    LEFT JOIN users u ON u.person_id = p.id";

pub async fn get_recipient(tx: &mut Tx, person: PersonId) -> Result<Recipient, StoreError> {
    crate::Sql::assembled(format!("{RECIPIENT_SELECT} WHERE p.id = $1"))
        .bind(person)
        .fetch_one(tx)
        .await
}

/// Tells `recipients` (duplicates ignored) `message`: an inbox row each and, unless they
/// prefer the daily digest (or are deactivated), an e-mail delivery each (when configured, wanted and they have an
/// address) and one post per configured webhook naming them. Every delivery gets a `deliver`
/// job due at once. Returns the inbox rows' ids in recipient order.
pub async fn notify(
    tx: &mut Tx,
    audit: &Audit,
    channels: &Channels,
    recipients: &[PersonId],
    message: &Message,
) -> Result<Vec<NotificationId>, StoreError> {
    let mut people: Vec<PersonId> = Vec::with_capacity(recipients.len());
    for p in recipients {
        if !people.contains(p) {
            people.push(*p);
        }
    }
    if people.is_empty() {
        return Ok(vec![]);
    }
    // Person ids are integers, not user input.
    let list: Vec<String> = people.iter().map(|p| p.0.to_string()).collect();
    let found: Vec<Recipient> = crate::Sql::assembled(format!(
        "{RECIPIENT_SELECT} WHERE p.id IN ({})",
        list.join(",")
    ))
    .fetch_all(tx)
    .await?;
    let mut ids = Vec::with_capacity(people.len());
    let mut immediate = Vec::new();
    let mut deliveries = 0;
    for person in &people {
        let r = found
            .iter()
            .find(|r| r.person_id == person.0)
            .ok_or(StoreError::NotFound)?;
        let mail_to = r.mail_to(channels);
        let (id,): (i64,) = sql(
            "INSERT INTO notifications (person_id, kind, subject, body, link, case_id, in_digest, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(*person)
        .bind(message.kind.as_str())
        .bind(message.subject.as_str())
        .bind(message.body.as_str())
        .bind(message.link.as_str())
        .bind(message.case_id)
        .bind(r.digest && mail_to.is_some())
        .bind(audit.at)
        .fetch_one(&mut *tx)
        .await?;
        ids.push(NotificationId(id));
        if r.digest || !r.active {
            continue;
        }
        immediate.push((id, r.name.clone(), r.person_id));
        if let Some(address) = mail_to {
            let payload = serde_json::json!({
                "kind": message.kind, "subject": message.subject, "body": message.body,
                "link": message.link, "locale": r.locale,
            });
            queue_delivery(
                tx,
                audit.at,
                Some(NotificationId(id)),
                "email",
                address,
                &payload,
            )
            .await?;
            deliveries += 1;
        }
    }
    if !immediate.is_empty() {
        let about = match immediate.as_slice() {
            [(id, _, _)] => Some(NotificationId(*id)),
            _ => None,
        };
        let names: Vec<&str> = immediate.iter().map(|(_, n, _)| n.as_str()).collect();
        // Their ids, not their mobile numbers: a robot that @-mentions reads the numbers
        // when it sends, so no copy of them is kept with the delivery.
        let ids: Vec<i64> = immediate.iter().map(|(_, _, p)| *p).collect();
        let payload = serde_json::json!({
            "kind": message.kind, "subject": message.subject, "body": message.body,
            "link": message.link, "recipients": names, "people": ids,
        });
        for url in &channels.webhooks {
            queue_delivery(tx, audit.at, about, "webhook", url, &payload).await?;
            deliveries += 1;
        }
    }
    ledger::append(
        tx,
        audit,
        Change::new("notification.send", "notification", ids[0].0).after(&serde_json::json!({
            "kind": message.kind, "subject": message.subject, "link": message.link,
            "case_id": message.case_id, "recipients": people.iter().map(|p| p.0).collect::<Vec<_>>(),
            "notifications": ids.iter().map(|n| n.0).collect::<Vec<_>>(), "deliveries": deliveries,
        })),
    )
    .await?;
    Ok(ids)
}

/// [`notify`] for those of `recipients` who have no unread notification of the same kind and
/// link yet: a message that stands for "something waits for you there" is said once until it
/// is read, however many reports arrive meanwhile. Returns the new inbox rows' ids.
pub async fn notify_once(
    tx: &mut Tx,
    audit: &Audit,
    channels: &Channels,
    recipients: &[PersonId],
    message: &Message,
) -> Result<Vec<NotificationId>, StoreError> {
    if recipients.is_empty() {
        return Ok(vec![]);
    }
    // Person ids are integers, not user input.
    let list: Vec<String> = recipients.iter().map(|p| p.0.to_string()).collect();
    let waiting: Vec<(i64,)> = crate::Sql::assembled(format!(
        "SELECT DISTINCT person_id FROM notifications
         WHERE kind = $1 AND link = $2 AND read_at IS NULL AND person_id IN ({})",
        list.join(",")
    ))
    .bind(message.kind.as_str())
    .bind(message.link.as_str())
    .fetch_all(&mut *tx)
    .await?;
    let fresh: Vec<PersonId> = recipients
        .iter()
        .copied()
        .filter(|p| !waiting.iter().any(|(w,)| *w == p.0))
        .collect();
    notify(tx, audit, channels, &fresh, message).await
}

/// Mobile numbers of people, for robots that @-mention by number (people without one are
/// left out).
pub async fn mobiles(tx: &mut Tx, people: &[i64]) -> Result<Vec<(i64, String)>, StoreError> {
    if people.is_empty() {
        return Ok(vec![]);
    }
    // Integers, not user input.
    let list: Vec<String> = people.iter().map(i64::to_string).collect();
    crate::Sql::assembled(format!(
        "SELECT id, mobile FROM people WHERE id IN ({}) AND active AND mobile IS NOT NULL AND mobile <> ''
         ORDER BY id",
        list.join(",")
    ))
    .fetch_all(tx)
    .await
}

/// One inbox row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Notification {
    pub id: i64,
    pub person_id: i64,
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub link: String,
    pub case_id: Option<i64>,
    pub created_at: jiff_sqlx::Timestamp,
    pub read_at: Option<jiff_sqlx::Timestamp>,
}

const NOTIFICATION_COLUMNS: &str =
    "id, person_id, kind, subject, body, link, case_id, created_at, read_at";

/// A person's inbox, newest first: `limit` rows with ids below `before` (paging), if given.
pub async fn inbox(
    tx: &mut Tx,
    person: PersonId,
    limit: i64,
    before: Option<NotificationId>,
) -> Result<Vec<Notification>, StoreError> {
    crate::Sql::assembled(format!(
        "SELECT {NOTIFICATION_COLUMNS} FROM notifications
         WHERE person_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
    ))
    .bind(person)
    .bind(before.map_or(i64::MAX, |b| b.0))
    .bind(limit)
    .fetch_all(tx)
    .await
}

pub async fn unread_count(tx: &mut Tx, person: PersonId) -> Result<i64, StoreError> {
    let (n,): (i64,) =
        sql("SELECT COUNT(*) FROM notifications WHERE person_id = $1 AND read_at IS NULL")
            .bind(person)
            .fetch_one(tx)
            .await?;
    Ok(n)
}

/// Which notifications to mark read.
#[derive(Debug, Clone, Copy)]
pub enum Which<'a> {
    Ids(&'a [NotificationId]),
    All,
}

/// Marks the person's own unread notifications read (others' ids are ignored); returns how
/// many changed. Reading is personal state, like a session, and not in the ledger.
pub async fn mark_read(
    tx: &mut Tx,
    person: PersonId,
    which: Which<'_>,
    now: Timestamp,
) -> Result<u64, StoreError> {
    let filter = match which {
        Which::All => String::new(),
        Which::Ids([]) => return Ok(0),
        Which::Ids(ids) => {
            // Integers, not user text.
            let list: Vec<String> = ids.iter().map(|i| i.0.to_string()).collect();
            format!(" AND id IN ({})", list.join(","))
        }
    };
    crate::Sql::assembled(format!(
        "UPDATE notifications SET read_at = $2 WHERE person_id = $1 AND read_at IS NULL{filter}"
    ))
    .bind(person)
    .bind(now)
    .execute(tx)
    .await
}

/// How a person wants to hear about notifications, and where e-mail goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prefs {
    pub email: bool,
    pub digest: bool,
    pub address: Option<String>,
}

pub async fn prefs(tx: &mut Tx, person: PersonId) -> Result<Prefs, StoreError> {
    let r = get_recipient(tx, person).await?;
    Ok(Prefs {
        email: r.email_on,
        digest: r.digest,
        address: r.email,
    })
}

/// Saves a person's preferences and e-mail address (ledgered, like other personal data).
pub async fn set_prefs(
    tx: &mut Tx,
    audit: &Audit,
    person: PersonId,
    new: &Prefs,
) -> Result<(), StoreError> {
    let before = prefs(tx, person).await?;
    sql(
        "INSERT INTO notification_prefs (person_id, email, digest, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (person_id) DO UPDATE
         SET email = excluded.email, digest = excluded.digest, updated_at = excluded.updated_at",
    )
    .bind(person)
    .bind(new.email)
    .bind(new.digest)
    .bind(audit.at)
    .execute(&mut *tx)
    .await?;
    sql("UPDATE people SET email = $2, updated_at = $3 WHERE id = $1")
        .bind(person)
        .bind(new.address.as_deref().filter(|a| !a.is_empty()))
        .bind(audit.at)
        .execute(&mut *tx)
        .await?;
    ledger::append(
        tx,
        audit,
        Change::new("notification_prefs.set", "person", person.0)
            .before(&before)
            .after(new),
    )
    .await?;
    Ok(())
}

/// Adds today's digest job for everyone who wants a digest by e-mail and has an address:
/// key `digest:{person}:{day}`, due `due_at`. Idempotent, so every runner tick may call it.
pub async fn schedule_digests(
    tx: &mut Tx,
    day: jiff::civil::Date,
    due_at: Timestamp,
    now: Timestamp,
) -> Result<u64, StoreError> {
    // SQLite needs the WHERE to read `ON CONFLICT` as the insert's clause.
    sql(
        "INSERT INTO jobs (kind, key, due_at, payload, state, attempts, last_error, created_at)
         SELECT $1, 'digest:' || np.person_id || ':' || $2, $3,
                '{\"person\":' || np.person_id || ',\"day\":\"' || $2 || '\"}', 'pending', 0, '', $4
         FROM notification_prefs np JOIN people p ON p.id = np.person_id
         WHERE np.digest AND np.email AND p.active AND p.email IS NOT NULL AND p.email <> ''
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(DIGEST_JOB)
    .bind(day.to_string())
    .bind(due_at)
    .bind(now)
    .execute(tx)
    .await
}

/// The person's notifications waiting for their digest and still unread, oldest first.
pub async fn digest_items(tx: &mut Tx, person: PersonId) -> Result<Vec<Notification>, StoreError> {
    crate::Sql::assembled(format!(
        "SELECT {NOTIFICATION_COLUMNS} FROM notifications
         WHERE person_id = $1 AND in_digest AND read_at IS NULL ORDER BY id"
    ))
    .bind(person)
    .fetch_all(tx)
    .await
}

/// Takes the person's notifications up to `upto` out of the digest queue (read ones too:
/// they need no e-mail any more).
pub async fn clear_digest(
    tx: &mut Tx,
    person: PersonId,
    upto: Option<NotificationId>,
) -> Result<u64, StoreError> {
    sql("UPDATE notifications SET in_digest = FALSE WHERE person_id = $1 AND in_digest AND id <= $2")
        .bind(person)
        .bind(upto.map_or(i64::MAX, |n| n.0))
        .execute(tx)
        .await
}
