//! Deliveries: one message to send by e-mail or webhook, its `deliver` job, and a record of
//! every attempt with the other side's status or the error.

use super::{DELIVER_JOB, NotificationId};
use crate::{StoreError, Tx, jobs, sql};
use jiff::Timestamp;
use serde::Serialize;

/// A delivery's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct DeliveryId(pub i64);

/// Adds a pending delivery and its `deliver` job, due `at`.
pub async fn queue_delivery(
    tx: &mut Tx,
    at: Timestamp,
    notification: Option<NotificationId>,
    channel: &str,
    target: &str,
    payload: &serde_json::Value,
) -> Result<DeliveryId, StoreError> {
    let (id,): (i64,) = sql(
        "INSERT INTO deliveries (notification_id, channel, target, payload, state, attempts, last_error, created_at)
         VALUES ($1, $2, $3, $4, 'pending', 0, '', $5) RETURNING id",
    )
    .bind(notification.map(|n| n.0))
    .bind(channel)
    .bind(target)
    .bind(payload.to_string())
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    jobs::enqueue(
        tx,
        DELIVER_JOB,
        &format!("deliver:{id}"),
        at,
        &serde_json::json!({ "delivery": id }),
    )
    .await?;
    Ok(DeliveryId(id))
}

/// A delivery as stored. `target` is an e-mail address or a webhook URL (which may hold the
/// robot's token: redact it before showing).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Delivery {
    pub id: i64,
    pub notification_id: Option<i64>,
    /// `email` or `webhook`.
    pub channel: String,
    pub target: String,
    /// The message as JSON (kind, subject, body, link, and recipients or locale).
    pub payload: String,
    /// `pending`, `sent` or `failed`.
    pub state: String,
    pub attempts: i64,
    pub last_error: String,
    /// The last HTTP status (webhook) or SMTP reply code (e-mail), if there was a reply.
    pub last_status: Option<i64>,
    pub created_at: jiff_sqlx::Timestamp,
    pub sent_at: Option<jiff_sqlx::Timestamp>,
}

const DELIVERY_COLUMNS: &str = "id, notification_id, channel, target, payload, state, attempts, last_error, last_status, created_at, sent_at";

pub async fn get_delivery(tx: &mut Tx, id: DeliveryId) -> Result<Delivery, StoreError> {
    crate::Sql::assembled(format!(
        "SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE id = $1"
    ))
    .bind(id.0)
    .fetch_one(tx)
    .await
}

#[derive(Debug, Clone, Default)]
pub struct DeliveryFilter {
    pub notification: Option<NotificationId>,
    /// `email` or `webhook`.
    pub channel: Option<String>,
    pub limit: i64,
}

/// Deliveries, newest first.
pub async fn list_deliveries(tx: &mut Tx, f: &DeliveryFilter) -> Result<Vec<Delivery>, StoreError> {
    crate::Sql::assembled(format!(
        "SELECT {DELIVERY_COLUMNS} FROM deliveries
         WHERE ($1 IS NULL OR notification_id = $1) AND ($2 IS NULL OR channel = $2)
         ORDER BY id DESC LIMIT $3"
    ))
    .bind(f.notification.map(|n| n.0))
    .bind(f.channel.clone())
    .bind(f.limit)
    .fetch_all(tx)
    .await
}

/// The result of one attempt at a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The HTTP status or SMTP reply code, when the other side answered.
    pub status: Option<i64>,
    /// Empty when the attempt succeeded.
    pub error: String,
    /// What the delivery is after it: `sent`, `pending` (will retry) or `failed` (gave up).
    pub outcome: &'static str,
}

/// Records an attempt and moves the delivery to its outcome.
pub async fn record_attempt(
    tx: &mut Tx,
    id: DeliveryId,
    at: Timestamp,
    attempt: &Attempt,
) -> Result<(), StoreError> {
    sql("INSERT INTO delivery_attempts (delivery_id, at, status, error) VALUES ($1, $2, $3, $4)")
        .bind(id.0)
        .bind(at)
        .bind(attempt.status)
        .bind(attempt.error.as_str())
        .execute(&mut *tx)
        .await?;
    let sent_at = (attempt.outcome == "sent").then_some(at);
    sql(
        "UPDATE deliveries SET state = $2, attempts = attempts + 1, last_error = $3,
            last_status = $4, sent_at = $5
         WHERE id = $1",
    )
    .bind(id.0)
    .bind(attempt.outcome)
    .bind(attempt.error.as_str())
    .bind(attempt.status)
    .bind(sent_at)
    .execute(tx)
    .await?;
    Ok(())
}

/// One recorded attempt.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttemptRow {
    pub at: jiff_sqlx::Timestamp,
    pub status: Option<i64>,
    pub error: String,
}

/// Every attempt at a delivery, in order.
pub async fn list_attempts(tx: &mut Tx, id: DeliveryId) -> Result<Vec<AttemptRow>, StoreError> {
    sql("SELECT at, status, error FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id")
        .bind(id.0)
        .fetch_all(tx)
        .await
}
