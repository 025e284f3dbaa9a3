//! Webhook deliveries: a JSON POST of `{"msgtype":"text","text":{"content":"…"}}`, the body
//! DingTalk and WeCom group robots accept. A post that times out, cannot connect, answers
//! non-2xx, or answers 200 with a robot error code (`{"errcode":310000,…}`) has failed.

use super::deliver::{Failed, Sent};
use std::time::Duration;

/// The client for one run of the job runner (connections are reused within it).
pub fn client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client with a timeout and no redirects builds")
}

/// The body posted for a message.
pub fn body(content: &str) -> serde_json::Value {
    serde_json::json!({ "msgtype": "text", "text": { "content": content } })
}

/// The text of a post: subject, body, link, and who it is for.
pub fn content(subject: &str, body: &str, link: &str, recipients: &[String]) -> String {
    let mut out = format!("【掌上督】{subject}");
    for part in [body, link] {
        if !part.is_empty() {
            out.push('\n');
            out.push_str(part);
        }
    }
    if !recipients.is_empty() {
        out.push('\n');
        let names: Vec<String> = recipients.iter().map(|n| format!("@{n}")).collect();
        out.push_str(&names.join(" "));
    }
    out
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

    #[test]
    fn a_post_reads_subject_body_link_and_names() {
        let text = content(
            "【交办】道路修缮",
            "请签收",
            "https://duban.example/cases/1",
            &["王某".into(), "李某".into()],
        );
        assert_eq!(
            text,
            "【掌上督】【交办】道路修缮\n请签收\nhttps://duban.example/cases/1\n@王某 @李某"
        );
        assert_eq!(content("s", "", "", &[]), "【掌上督】s");
        assert_eq!(body("x")["text"]["content"], "x");
        assert_eq!(body("x")["msgtype"], "text");
    }
}
