//! Notifications on the web side: the typed [`NotifyConfig`], [`notify_people`] for callers
//! without a transaction of their own, the inbox use cases ([`inbox`]) and what the job runner
//! (`crate::jobs`) needs to send: [`deliver`] (one delivery by [`smtp`] or [`webhook`]) and
//! [`digest`] (one person's daily digest).
//!
//! Requests only write rows (`duban_store::notifications::notify`); nothing here sends from a
//! request, so a slow mail server or a hanging webhook never holds one up.

pub mod deliver;
pub mod digest;
pub mod inbox;
pub mod smtp;
pub mod webhook;

use crate::error::AppError;
use crate::state::AppState;
use duban_core::org::PersonId;
use duban_store::Audit;
use duban_store::notifications::{self, Channels, Message, NotificationId};
use std::fmt;
use std::time::Duration;

/// Delivery settings (the CLI's `[notify]` section). The default sends nothing but the
/// in-app inbox.
#[derive(Clone)]
pub struct NotifyConfig {
    /// `smtp://host:25`, `smtp://user:pass@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:pass@host:465`; `None`: no e-mail.
    pub smtp_url: Option<String>,
    /// The sender, e.g. `掌上督 <duban@example.gov.cn>`.
    pub mail_from: String,
    /// Generic webhooks (group-chat robots) that get a JSON post per message.
    pub webhook_urls: Vec<String>,
    /// Robots with a kind (DingTalk, WeCom) and, for DingTalk, a signing secret.
    pub webhooks: Vec<webhook::Webhook>,
    /// How long one webhook post may take before it counts as failed.
    pub webhook_timeout: Duration,
    /// How long one SMTP conversation may take.
    pub smtp_timeout: Duration,
    /// The local hour (0–23) at which daily digests go out.
    pub digest_hour: i8,
    /// How often the job runner looks for due jobs.
    pub jobs_interval: Duration,
    /// Where links in e-mails and posts point (`https://duban.example.gov.cn`); empty: paths.
    pub public_url: String,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            smtp_url: None,
            mail_from: "duban@localhost".into(),
            webhook_urls: Vec::new(),
            webhooks: Vec::new(),
            webhook_timeout: Duration::from_secs(5),
            smtp_timeout: Duration::from_secs(30),
            digest_hour: 8,
            jobs_interval: Duration::from_secs(30),
            public_url: String::new(),
        }
    }
}

/// Passwords and robot tokens stay out of logs: URLs show their scheme and host only.
impl fmt::Debug for NotifyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NotifyConfig")
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field(
                "webhook_urls",
                &self
                    .webhook_urls
                    .iter()
                    .map(|u| redact_url(u))
                    .collect::<Vec<_>>(),
            )
            .field(
                "webhooks",
                &self
                    .webhooks
                    .iter()
                    .map(|w| (w.kind, redact_url(&w.url), w.secret.is_some()))
                    .collect::<Vec<_>>(),
            )
            .field("webhook_timeout", &self.webhook_timeout)
            .field("smtp_timeout", &self.smtp_timeout)
            .field("digest_hour", &self.digest_hour)
            .field("jobs_interval", &self.jobs_interval)
            .field("public_url", &self.public_url)
            .finish()
    }
}

impl NotifyConfig {
    /// The channels `notify` writes deliveries for.
    pub fn channels(&self) -> Channels {
        let mut webhooks = self.webhook_urls.clone();
        for w in &self.webhooks {
            if !webhooks.contains(&w.url) {
                webhooks.push(w.url.clone());
            }
        }
        Channels {
            email: self.smtp_url.as_deref().is_some_and(|u| !u.is_empty()),
            webhooks,
        }
    }

    /// The robot a delivery's URL belongs to: a configured kind, else generic (also for a
    /// URL no longer configured, whose queued posts still go out as they were meant).
    pub fn webhook(&self, url: &str) -> webhook::Webhook {
        self.webhooks
            .iter()
            .find(|w| w.url == url)
            .cloned()
            .unwrap_or_else(|| webhook::Webhook {
                url: url.to_string(),
                ..Default::default()
            })
    }

    /// A path inside duban as a link people can open from outside.
    pub fn absolute(&self, link: &str) -> String {
        if link.is_empty() || !link.starts_with('/') {
            return link.to_string();
        }
        format!("{}{link}", self.public_url.trim_end_matches('/'))
    }
}

/// `scheme://host[:port]/…`: everything that may hold a secret (user, password, path, query)
/// left out.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "********".into();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let tail = if end < rest.len() { "/…" } else { "" };
    format!("{scheme}://{host}{tail}")
}

/// Tells `recipients` `message` in a transaction of its own, as the system (for callers that
/// have none, and for tests); returns the inbox rows' ids. Only rows are written: sending is
/// the job runner's.
pub async fn notify_people(
    state: &AppState,
    recipients: &[PersonId],
    message: &Message,
) -> Result<Vec<NotificationId>, AppError> {
    let audit = Audit::system(state.now());
    let mut tx = state.store.begin_write().await?;
    let ids =
        notifications::notify(&mut tx, &audit, &state.channels(), recipients, message).await?;
    tx.commit().await?;
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_in_logs_show_only_scheme_and_host() {
        assert_eq!(
            redact_url("smtps://duban:s3cret@mail.example.gov.cn:465"),
            "smtps://mail.example.gov.cn:465"
        );
        assert_eq!(
            redact_url("https://oapi.dingtalk.com/robot/send?access_token=abc"),
            "https://oapi.dingtalk.com/…"
        );
        assert_eq!(redact_url("not a url"), "********");
        let cfg = NotifyConfig {
            smtp_url: Some("smtp://u:p4ss@h:587".into()),
            webhook_urls: vec!["https://hook.example/k/t0ken".into()],
            webhooks: vec![webhook::Webhook {
                kind: webhook::WebhookKind::DingTalk,
                url: "https://oapi.dingtalk.com/robot/send?access_token=d1ng".into(),
                secret: Some("SECs1gn".into()),
            }],
            ..Default::default()
        };
        let shown = format!("{cfg:?}");
        for secret in ["p4ss", "t0ken", "d1ng", "SECs1gn"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }

    #[test]
    fn channels_follow_the_configuration() {
        let off = NotifyConfig::default().channels();
        assert!(!off.email && off.webhooks.is_empty());
        let on = NotifyConfig {
            smtp_url: Some("smtp://127.0.0.1:25".into()),
            webhook_urls: vec!["http://127.0.0.1:1/hook".into()],
            ..Default::default()
        }
        .channels();
        assert!(on.email);
        assert_eq!(on.webhooks.len(), 1);
        let typed = NotifyConfig {
            webhook_urls: vec!["http://127.0.0.1:1/hook".into()],
            webhooks: vec![webhook::Webhook {
                kind: webhook::WebhookKind::WeCom,
                url: "http://127.0.0.1:2/wecom".into(),
                secret: None,
            }],
            ..Default::default()
        };
        assert_eq!(typed.channels().webhooks.len(), 2);
        assert_eq!(
            typed.webhook("http://127.0.0.1:2/wecom").kind,
            webhook::WebhookKind::WeCom
        );
        assert_eq!(
            typed.webhook("http://127.0.0.1:1/hook").kind,
            webhook::WebhookKind::Generic
        );
    }

    #[test]
    fn links_become_absolute_with_a_public_url() {
        let cfg = NotifyConfig {
            public_url: "https://duban.example.gov.cn/".into(),
            ..Default::default()
        };
        assert_eq!(
            cfg.absolute("/cases/12"),
            "https://duban.example.gov.cn/cases/12"
        );
        assert_eq!(NotifyConfig::default().absolute("/cases/12"), "/cases/12");
        assert_eq!(cfg.absolute(""), "");
    }
}
