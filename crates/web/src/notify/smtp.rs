//! E-mail deliveries over SMTP (lettre): plain `smtp://`, STARTTLS with `?tls=required`, or
//! TLS with `smtps://`; plain-text UTF-8 messages. A 4xx reply or a connection problem is
//! retried; a 5xx reply (no such mailbox, refused sender) is not.

use super::NotifyConfig;
use super::deliver::{Failed, Sent};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::response::Code;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

/// Sends one message to `to`.
pub async fn send(cfg: &NotifyConfig, to: &str, subject: &str, text: &str) -> Result<Sent, Failed> {
    let Some(url) = cfg.smtp_url.as_deref().filter(|u| !u.is_empty()) else {
        return Err(Failed::permanent(
            "e-mail is not configured (notify.smtp_url)",
        ));
    };
    let from: Mailbox = cfg
        .mail_from
        .parse()
        .map_err(|e| Failed::permanent(&format!("notify.mail_from is not an address: {e}")))?;
    let to: Mailbox = to
        .parse()
        .map_err(|e| Failed::permanent(&format!("not an e-mail address: {e}")))?;
    let message = lettre::Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(text.to_string())
        .map_err(|e| Failed::permanent(&format!("could not build the message: {e}")))?;
    // The URL's password must not reach the error text: lettre's errors do not include it.
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|e| Failed::permanent(&format!("notify.smtp_url is not usable: {e}")))?
        .timeout(Some(cfg.smtp_timeout))
        .build();
    match transport.send(message).await {
        Ok(reply) => Ok(Sent {
            status: code(reply.code()),
        }),
        Err(e) => {
            let failed = Failed::new(e.status().and_then(code), &e.to_string());
            Err(if e.is_permanent() {
                Failed {
                    retry: false,
                    ..failed
                }
            } else {
                failed
            })
        }
    }
}

fn code(c: Code) -> Option<i64> {
    c.to_string().parse().ok()
}

/// Whether `address` is one SMTP would accept as a recipient.
pub fn is_address(address: &str) -> bool {
    address.parse::<lettre::Address>().is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn addresses_are_checked_the_way_smtp_will_use_them() {
        assert!(super::is_address("wang@example.gov.cn"));
        assert!(!super::is_address("wang at example"));
        assert!(!super::is_address("wang@"));
    }
}
