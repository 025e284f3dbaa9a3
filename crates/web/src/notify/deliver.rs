//! The `deliver` job: sends one delivery (e-mail or webhook) and records the attempt. The
//! send happens outside any transaction, so a slow server holds no lock and no request
//! waits; the attempt and the delivery's new state are written afterwards. A delivery that
//! is already sent or given up is left alone, so running the job again is harmless.

use super::{smtp, webhook};
use crate::jobs::JobFailure;
use crate::state::AppState;
use duban_store::jobs::{self, Job};
use duban_store::notifications::{self, Attempt, DeliveryId};
use jiff::Timestamp;
use serde::Deserialize;

/// The other side accepted the message; `status` is its HTTP status or SMTP reply code.
#[derive(Debug)]
pub struct Sent {
    pub status: Option<i64>,
}

/// An attempt failed. `retry` is false when trying again cannot help (a refused mailbox, no
/// SMTP server configured).
#[derive(Debug)]
pub struct Failed {
    pub status: Option<i64>,
    pub error: String,
    pub retry: bool,
}

impl Failed {
    pub fn new(status: Option<i64>, error: &str) -> Failed {
        Failed {
            status,
            error: error.to_string(),
            retry: true,
        }
    }

    pub fn permanent(error: &str) -> Failed {
        Failed {
            status: None,
            error: error.to_string(),
            retry: false,
        }
    }
}

/// The message as `notify` stored it with the delivery.
#[derive(Debug, Default, Deserialize)]
struct Outgoing {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    link: String,
    #[serde(default)]
    recipients: Vec<String>,
    /// The recipients' person ids, in the order of `recipients` (posts written before these
    /// were kept have none).
    #[serde(default)]
    people: Vec<i64>,
}

/// Runs a `deliver` job (payload `{"delivery": id}`).
pub async fn run(
    state: &AppState,
    http: &reqwest::Client,
    job: &Job,
    now: Timestamp,
) -> Result<(), JobFailure> {
    let id = job
        .payload
        .get("delivery")
        .and_then(serde_json::Value::as_i64)
        .map(DeliveryId)
        .ok_or_else(|| JobFailure::permanent("the job names no delivery"))?;
    let mut tx = state.store.begin_read().await?;
    let delivery = notifications::get_delivery(&mut tx, id).await?;
    drop(tx);
    if delivery.state != "pending" {
        return Ok(());
    }
    let result = send(state, http, &delivery, now).await;
    let retry = jobs::retry_at(now, job.attempts);
    let attempt = match &result {
        Ok(sent) => Attempt {
            status: sent.status,
            error: String::new(),
            outcome: "sent",
        },
        Err(failed) => Attempt {
            status: failed.status,
            error: failed.error.clone(),
            outcome: if failed.retry && retry.is_some() {
                "pending"
            } else {
                "failed"
            },
        },
    };
    let mut tx = state.store.begin_write().await?;
    notifications::record_attempt(&mut tx, id, now, &attempt).await?;
    tx.commit().await?;
    match result {
        Ok(_) => Ok(()),
        Err(f) => Err(JobFailure {
            error: f.error,
            retry: f.retry,
        }),
    }
}

async fn send(
    state: &AppState,
    http: &reqwest::Client,
    d: &notifications::Delivery,
    now: Timestamp,
) -> Result<Sent, Failed> {
    let out: Outgoing = serde_json::from_str(&d.payload)
        .map_err(|e| Failed::permanent(&format!("the stored message is not readable: {e}")))?;
    let cfg = &state.config.notify;
    let link = cfg.absolute(&out.link);
    match d.channel.as_str() {
        "email" => smtp::send(cfg, &d.target, &out.subject, &email_text(&out.body, &link)).await,
        "webhook" => {
            let hook = cfg.webhook(&d.target);
            let mentions = mentions(state, hook.kind, &out).await?;
            let text = webhook::content(hook.kind, &out.subject, &out.body, &link, &mentions);
            let body = webhook::body(hook.kind, &text, &mentions);
            let url = match (&hook.kind, &hook.secret) {
                (webhook::WebhookKind::DingTalk, Some(secret)) => {
                    webhook::signed_url(&d.target, secret, now.as_millisecond())
                }
                _ => d.target.clone(),
            };
            webhook::post(http, &url, &body).await
        }
        other => Err(Failed::permanent(&format!("unknown channel {other:?}"))),
    }
}

/// Who a post names: each recipient's name and, for robots that mention by number, their
/// mobile as it is now (read when sending, so the delivery keeps no copy).
async fn mentions(
    state: &AppState,
    kind: webhook::WebhookKind,
    out: &Outgoing,
) -> Result<Vec<webhook::Mention>, Failed> {
    let mut mobiles = std::collections::HashMap::new();
    if kind != webhook::WebhookKind::Generic && !out.people.is_empty() {
        let read = async {
            let mut tx = state.store.begin_read().await?;
            notifications::mobiles(&mut tx, &out.people).await
        };
        mobiles = read
            .await
            .map_err(|e| Failed::new(None, &format!("database: {e}")))?
            .into_iter()
            .collect();
    }
    Ok(out
        .recipients
        .iter()
        .enumerate()
        .map(|(i, name)| webhook::Mention {
            name: name.clone(),
            mobile: out.people.get(i).and_then(|p| mobiles.get(p).cloned()),
        })
        .collect())
}

/// An e-mail's text: the body, then the link.
fn email_text(body: &str, link: &str) -> String {
    match (body.is_empty(), link.is_empty()) {
        (_, true) => body.to_string(),
        (true, false) => link.to_string(),
        (false, false) => format!("{body}\n\n{link}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_email_is_the_body_then_the_link() {
        assert_eq!(
            super::email_text("请签收", "/cases/1"),
            "请签收\n\n/cases/1"
        );
        assert_eq!(super::email_text("请签收", ""), "请签收");
        assert_eq!(super::email_text("", "/inbox"), "/inbox");
    }
}
