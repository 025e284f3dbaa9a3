//! Webhook deliveries: a JSON POST to a group-chat robot in the format its kind speaks
//! ([`WebhookKind`]): DingTalk (`at.atMobiles`, and the mobiles in the text so they show as
//! mentions; a signed URL when a secret is configured, [`signed_url`]), WeCom
//! (`text.mentioned_mobile_list`), or generic (`{"msgtype":"text","text":{"content":"…"}}`).
//! A post that times out, cannot connect, answers non-2xx, or answers 200 with a robot error
//! code (`{"errcode":310000,…}`) has failed, and the job runner retries it.

use super::deliver::{Failed, Sent};
use hmac::{KeyInit, Mac};
use std::time::Duration;

/// Which robot a webhook is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WebhookKind {
    /// Any endpoint taking `{"msgtype":"text","text":{"content":"…"}}`; names as `@name`.
    #[default]
    Generic,
    /// 钉钉自定义机器人.
    DingTalk,
    /// 企业微信群机器人.
    WeCom,
}

impl WebhookKind {
    pub fn parse(s: &str) -> Option<WebhookKind> {
        match s {
            "generic" => Some(WebhookKind::Generic),
            "dingtalk" => Some(WebhookKind::DingTalk),
            "wecom" => Some(WebhookKind::WeCom),
            _ => None,
        }
    }
}

/// One configured robot.
#[derive(Clone, Default)]
pub struct Webhook {
    pub kind: WebhookKind,
    pub url: String,
    /// DingTalk's 加签 secret (`SEC…`); `None`: the URL is posted as it is.
    pub secret: Option<String>,
}

/// A person a post is for: their name, and their mobile number when the robot mentions by
/// number and they have one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub name: String,
    pub mobile: Option<String>,
}

/// The client for one run of the job runner (connections are reused within it).
pub fn client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client with a timeout and no redirects builds")
}

/// The body posted for a message (`text` from [`content`]) to a robot of `kind`.
pub fn body(kind: WebhookKind, text: &str, mentions: &[Mention]) -> serde_json::Value {
    let mobiles: Vec<&str> = mentions
        .iter()
        .filter_map(|m| m.mobile.as_deref())
        .collect();
    match kind {
        WebhookKind::Generic => {
            serde_json::json!({ "msgtype": "text", "text": { "content": text } })
        }
        WebhookKind::DingTalk => serde_json::json!({
            "msgtype": "text",
            "text": { "content": text },
            "at": { "atMobiles": mobiles, "isAtAll": false },
        }),
        WebhookKind::WeCom => serde_json::json!({
            "msgtype": "text",
            "text": { "content": text, "mentioned_mobile_list": mobiles },
        }),
    }
}

/// The text of a post: subject, body, link, and who it is for — `@name` each, except that a
/// DingTalk robot is given `@mobile` for those with a number (DingTalk turns those into
/// mentions only when the number is in the text).
pub fn content(kind: WebhookKind, subject: &str, body: &str, link: &str, to: &[Mention]) -> String {
    let mut out = format!("【掌上督】{subject}");
    for part in [body, link] {
        if !part.is_empty() {
            out.push('\n');
            out.push_str(part);
        }
    }
    if !to.is_empty() {
        out.push('\n');
        let names: Vec<String> = to
            .iter()
            .map(|m| match (kind, &m.mobile) {
                (WebhookKind::DingTalk, Some(mobile)) => format!("@{mobile}"),
                _ => format!("@{}", m.name),
            })
            .collect();
        out.push_str(&names.join(" "));
    }
    out
}

/// DingTalk's signature (加签) for a post at `timestamp_ms`: base64 of HMAC-SHA256 over
/// `"{timestamp}\n{secret}"` keyed with the secret.
pub fn sign(secret: &str, timestamp_ms: i64) -> String {
    use base64::Engine;
    let mut mac = hmac::Hmac::<sha2_011::Sha256>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(format!("{timestamp_ms}\n{secret}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// `url` with DingTalk's `&timestamp=…&sign=…` (the signature URL-encoded) appended.
pub fn signed_url(url: &str, secret: &str, timestamp_ms: i64) -> String {
    let query = serde_urlencoded::to_string([
        ("timestamp", timestamp_ms.to_string()),
        ("sign", sign(secret, timestamp_ms)),
    ])
    .expect("two string pairs encode");
    let joint = if url.contains('?') { '&' } else { '?' };
    format!("{url}{joint}{query}")
}

/// Posts `body` to `url`.
pub async fn post(
    client: &reqwest::Client,
    url: &str,
    body: &serde_json::Value,
) -> Result<Sent, Failed> {
    let res = client.post(url).json(body).send().await.map_err(|e| {
        let what = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "could not connect"
        } else {
            "request failed"
        };
        // reqwest's message names the URL, which may hold the robot's token.
        Failed::new(None, what)
    })?;
    let status = i64::from(res.status().as_u16());
    if !res.status().is_success() {
        return Err(Failed::new(Some(status), &format!("HTTP {status}")));
    }
    // Robots answer 200 with an error code for a bad token or a rate limit.
    let text = res.text().await.unwrap_or_default();
    if let Ok(answer) = serde_json::from_str::<serde_json::Value>(&text)
        && let Some(code) = answer.get("errcode").and_then(serde_json::Value::as_i64)
        && code != 0
    {
        let msg = answer["errmsg"].as_str().unwrap_or_default();
        return Err(Failed::new(
            Some(status),
            &format!("robot error {code}: {msg}"),
        ));
    }
    Ok(Sent {
        status: Some(status),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to(name: &str, mobile: Option<&str>) -> Mention {
        Mention {
            name: name.into(),
            mobile: mobile.map(Into::into),
        }
    }

    #[test]
    fn a_post_reads_subject_body_link_and_names() {
        let who = [to("王某", None), to("李某", Some("13800000001"))];
        let text = content(
            WebhookKind::Generic,
            "【交办】道路修缮",
            "请签收",
            "https://duban.example/cases/1",
            &who,
        );
        assert_eq!(
            text,
            "【掌上督】【交办】道路修缮\n请签收\nhttps://duban.example/cases/1\n@王某 @李某"
        );
        assert_eq!(
            content(WebhookKind::Generic, "s", "", "", &[]),
            "【掌上督】s"
        );
        let generic = body(WebhookKind::Generic, "x", &who);
        assert_eq!(
            generic,
            serde_json::json!({"msgtype": "text", "text": {"content": "x"}})
        );
    }

    #[test]
    fn dingtalk_mentions_by_mobile_in_the_text_and_in_at() {
        let who = [to("王某", None), to("李某", Some("13800000001"))];
        let text = content(WebhookKind::DingTalk, "s", "", "", &who);
        assert_eq!(text, "【掌上督】s\n@王某 @13800000001");
        assert_eq!(
            body(WebhookKind::DingTalk, &text, &who),
            serde_json::json!({
                "msgtype": "text",
                "text": {"content": text},
                "at": {"atMobiles": ["13800000001"], "isAtAll": false},
            })
        );
    }

    #[test]
    fn wecom_mentions_by_mobile_in_its_list() {
        let who = [to("李某", Some("13800000001"))];
        let text = content(WebhookKind::WeCom, "s", "", "", &who);
        assert_eq!(text, "【掌上督】s\n@李某");
        assert_eq!(
            body(WebhookKind::WeCom, &text, &who),
            serde_json::json!({
                "msgtype": "text",
                "text": {"content": text, "mentioned_mobile_list": ["13800000001"]},
            })
        );
    }

    #[test]
    fn dingtalk_signs_timestamp_newline_secret_with_hmac_sha256() {
        // Computed independently: printf '1700000000000\nSECtest' |
        //   openssl dgst -sha256 -hmac SECtest -binary | base64
        assert_eq!(
            sign("SECtest", 1_700_000_000_000),
            "aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g="
        );
        let url = signed_url(
            "https://oapi.dingtalk.com/robot/send?access_token=abc",
            "SECtest",
            1_700_000_000_000,
        );
        let (base, query) = url.split_once("&timestamp=").unwrap();
        assert_eq!(
            base,
            "https://oapi.dingtalk.com/robot/send?access_token=abc"
        );
        let (ts, sign_part) = query.split_once("&sign=").unwrap();
        assert_eq!(ts, "1700000000000");
        // URL-encoded: no raw '+', '/' or '='.
        assert!(!sign_part.contains(['+', '/', '=']), "{sign_part}");
        let decoded: Vec<(String, String)> =
            serde_urlencoded::from_str(&format!("sign={sign_part}")).unwrap();
        assert_eq!(decoded[0].1, sign("SECtest", 1_700_000_000_000));
        assert!(
            signed_url("http://h/robot", "s", 1).starts_with("http://h/robot?timestamp=1&sign=")
        );
    }

    #[test]
    fn kinds_are_read_from_their_names() {
        assert_eq!(WebhookKind::parse("dingtalk"), Some(WebhookKind::DingTalk));
        assert_eq!(WebhookKind::parse("wecom"), Some(WebhookKind::WeCom));
        assert_eq!(WebhookKind::parse("generic"), Some(WebhookKind::Generic));
        assert_eq!(WebhookKind::parse("slack"), None);
    }
}
