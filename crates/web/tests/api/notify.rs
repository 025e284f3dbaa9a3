//! Notifications end to end: the inbox over HTTP, and deliveries by webhook and e-mail to
//! real local servers (a tiny HTTP robot, a tiny SMTP server), sent by the job runner with a
//! clock the test moves — no sleeping.

use crate::helpers::{TestApp, backends};
use duban_core::org::PersonId;
use duban_store::notifications::{self, DeliveryFilter, DeliveryId, Message};
use duban_web::jobs::{RunReport, run_due};
use duban_web::notify::{NotifyConfig, notify_people};
use duban_web::{AppState, WebConfig};
use jiff::{SignedDuration, Timestamp};
use reqwest::{Method, StatusCode};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

pub(crate) const STAFF: &str = "jxj-staff1";

fn config(notify: NotifyConfig) -> WebConfig {
    WebConfig {
        notify,
        ..WebConfig::default()
    }
}

/// The server, and an `AppState` over the same database and settings for running jobs.
/// The demo's own pending work (its cases' reminders and escalations) is run first, without
/// e-mail or webhooks, and its notifications are marked read, so each test sees only its own.
pub(crate) async fn spawn(backend: &str, notify: NotifyConfig) -> (TestApp, AppState) {
    let cfg = config(notify);
    let app = TestApp::spawn_with(backend, cfg.clone()).await;
    let quiet = AppState::new(app.store.clone(), WebConfig::default()).at(crate::helpers::now());
    let far = crate::helpers::now() + SignedDuration::from_hours(3 * 366 * 24);
    while run_due(&quiet, far).await.unwrap().ran > 0 {}
    let mut tx = app.store.begin_write().await.unwrap();
    for user in [STAFF, "jxj-head"] {
        let person = PersonId(app.person_id(user).await);
        notifications::mark_read(
            &mut tx,
            person,
            notifications::Which::All,
            crate::helpers::now(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let state = AppState::new(app.store.clone(), cfg).at(crate::helpers::now());
    (app, state)
}

pub(crate) fn message(subject: &str) -> Message {
    Message {
        kind: "case.assign".into(),
        subject: subject.into(),
        body: "Please acknowledge by 8 December.".into(),
        link: "/cases/12".into(),
        case_id: Some(12),
    }
}

pub(crate) async fn deliveries(app: &TestApp, channel: &str) -> Vec<notifications::Delivery> {
    let mut tx = app.store.begin_read().await.unwrap();
    let f = DeliveryFilter {
        channel: Some(channel.into()),
        limit: 50,
        ..Default::default()
    };
    notifications::list_deliveries(&mut tx, &f).await.unwrap()
}

async fn attempts(app: &TestApp, id: i64) -> Vec<(Option<i64>, String)> {
    let mut tx = app.store.begin_read().await.unwrap();
    notifications::list_attempts(&mut tx, DeliveryId(id))
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.status, a.error))
        .collect()
}

fn report(ran: usize, done: usize, retried: usize, failed: usize) -> RunReport {
    RunReport {
        ran,
        done,
        retried,
        failed,
    }
}

/// A robot that answers 500 to its first `failures` posts, then 200, keeping every body.
async fn flaky_robot(failures: usize) -> (String, Arc<Mutex<Vec<serde_json::Value>>>) {
    use axum::http::StatusCode as S;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let bodies = seen.clone();
    let app = axum::Router::new().route(
        "/robot/send",
        axum::routing::post(move |axum::Json(body): axum::Json<serde_json::Value>| {
            let bodies = bodies.clone();
            async move {
                let mut b = bodies.lock().unwrap();
                b.push(body);
                if b.len() <= failures {
                    (S::INTERNAL_SERVER_ERROR, "{}".to_string())
                } else {
                    (S::OK, r#"{"errcode":0,"errmsg":"ok"}"#.to_string())
                }
            }
        }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (
        format!("http://127.0.0.1:{port}/robot/send?access_token=s3cret"),
        seen,
    )
}

#[tokio::test]
async fn a_webhook_answering_500_is_retried_with_backoff_until_it_is_sent() {
    for backend in backends() {
        let (url, seen) = flaky_robot(2).await;
        let (app, state) = spawn(
            backend,
            NotifyConfig {
                webhook_urls: vec![url.clone()],
                ..Default::default()
            },
        )
        .await;
        let person = PersonId(app.person_id(STAFF).await);
        notify_people(&state, &[person], &message("Case 12 assigned"))
            .await
            .unwrap();
        assert!(seen.lock().unwrap().is_empty(), "notifying sends nothing");

        // Stored instants keep microseconds.
        let t0 = Timestamp::from_microsecond(crate::helpers::now().as_microsecond()).unwrap();
        assert_eq!(run_due(&state, t0).await.unwrap(), report(1, 0, 1, 0));
        let d = &deliveries(&app, "webhook").await[0];
        assert_eq!(
            (d.state.as_str(), d.attempts, d.last_status),
            ("pending", 1, Some(500))
        );
        assert_eq!(d.target, url);

        // Not before the backoff: 1 minute after the first attempt, 5 after the second.
        let at = |mins| t0 + SignedDuration::from_mins(mins);
        assert_eq!(
            run_due(&state, at(0) + SignedDuration::from_secs(59))
                .await
                .unwrap(),
            report(0, 0, 0, 0)
        );
        assert_eq!(run_due(&state, at(1)).await.unwrap(), report(1, 0, 1, 0));
        assert_eq!(run_due(&state, at(5)).await.unwrap(), report(0, 0, 0, 0));
        assert_eq!(run_due(&state, at(6)).await.unwrap(), report(1, 1, 0, 0));
        assert_eq!(
            run_due(&state, at(60 * 24)).await.unwrap(),
            report(0, 0, 0, 0)
        );

        let d = &deliveries(&app, "webhook").await[0];
        assert_eq!(
            (d.state.as_str(), d.attempts, d.last_status),
            ("sent", 3, Some(200)),
            "{backend}"
        );
        assert_eq!(d.sent_at.map(|t| t.to_jiff()), Some(at(6)));
        assert_eq!(
            attempts(&app, d.id).await,
            [
                (Some(500), "HTTP 500".to_string()),
                (Some(500), "HTTP 500".to_string()),
                (Some(200), String::new())
            ]
        );
        let bodies = seen.lock().unwrap().clone();
        assert_eq!(bodies.len(), 3, "three posts, no more");
        let content = bodies[2]["text"]["content"].as_str().unwrap();
        assert_eq!(bodies[2]["msgtype"], "text");
        assert!(
            content.contains("Case 12 assigned") && content.contains("/cases/12"),
            "{content}"
        );
        let name = duban_core::demo::demo_city()
            .people
            .iter()
            .find(|p| p.username == STAFF)
            .unwrap()
            .name
            .clone();
        assert!(content.contains(&format!("@{name}")), "{content}");
    }
}

/// Two processes (two pools on one database) run the jobs at the same moment: every
/// delivery is posted exactly once.
#[tokio::test]
async fn two_processes_running_jobs_at_once_post_each_message_once() {
    const MESSAGES: usize = 12;
    for backend in backends() {
        let (url, seen) = flaky_robot(0).await;
        let db = duban_store::testing::TestDb::new(backend).await.unwrap();
        duban_web::demo::load_demo_with(&db.store, Some(0))
            .await
            .unwrap();
        let quiet = AppState::new(db.store.clone(), WebConfig::default()).at(crate::helpers::now());
        let far = crate::helpers::now() + SignedDuration::from_hours(3 * 366 * 24);
        while run_due(&quiet, far).await.unwrap().ran > 0 {}

        let cfg = config(NotifyConfig {
            webhook_urls: vec![url],
            ..Default::default()
        });
        let one = AppState::new(db.store.clone(), cfg.clone()).at(crate::helpers::now());
        let other_store = duban_store::Store::connect(&db.url, 5).await.unwrap();
        let two = AppState::new(other_store.clone(), cfg).at(crate::helpers::now());
        let mut tx = db.store.begin_read().await.unwrap();
        let person = duban_store::accounts::find_user_for_login(&mut tx, STAFF)
            .await
            .unwrap()
            .and_then(|u| u.person_id)
            .map(PersonId)
            .unwrap();
        drop(tx);
        for i in 0..MESSAGES {
            notify_people(&one, &[person], &message(&format!("Case {i} assigned")))
                .await
                .unwrap();
        }
        let now = crate::helpers::now();
        let (a, b) = tokio::join!(
            tokio::spawn(async move { run_due(&one, now).await.unwrap() }),
            tokio::spawn(async move { run_due(&two, now).await.unwrap() }),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.done + b.done, MESSAGES, "{backend}: {a:?} {b:?}");
        let posted: Vec<String> = seen
            .lock()
            .unwrap()
            .iter()
            .map(|body| body["text"]["content"].as_str().unwrap().to_string())
            .collect();
        let distinct: std::collections::BTreeSet<&String> = posted.iter().collect();
        assert_eq!(posted.len(), MESSAGES, "{backend}: posted {}", posted.len());
        assert_eq!(
            distinct.len(),
            MESSAGES,
            "{backend}: a message was posted twice"
        );
        other_store.close().await;
    }
}

/// A server that accepts connections and never answers; each accept is reported.
async fn hanging_server() -> (String, tokio::sync::mpsc::UnboundedReceiver<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
            let _ = tx.send(());
        }
    });
    (format!("http://127.0.0.1:{port}/robot"), rx)
}

#[tokio::test]
async fn a_hanging_webhook_times_out_as_a_failed_attempt_and_holds_up_no_request() {
    for backend in backends() {
        let (url, mut accepted) = hanging_server().await;
        let (app, state) = spawn(
            backend,
            NotifyConfig {
                webhook_urls: vec![url],
                webhook_timeout: Duration::from_secs(3),
                ..Default::default()
            },
        )
        .await;
        let person = PersonId(app.person_id(STAFF).await);
        notify_people(&state, &[person], &message("Case 12 assigned"))
            .await
            .unwrap();
        assert!(
            accepted.try_recv().is_err(),
            "notifying did not call the webhook"
        );

        let runner = {
            let state = state.clone();
            tokio::spawn(async move { run_due(&state, crate::helpers::now()).await })
        };
        accepted
            .recv()
            .await
            .expect("the runner posts to the webhook");
        // While the post hangs, requests that write (and more notifications) go through.
        let c = app.signed_in(STAFF).await;
        let (status, body) = c
            .api(
                Method::PUT,
                "/api/v1/me/notification-prefs",
                Some(serde_json::json!({ "address": "wang@example.gov.cn" })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // A second message a moment later: not yet due for the runner that is hanging.
        let later = state.at(crate::helpers::now() + SignedDuration::from_secs(1));
        notify_people(&later, &[person], &message("Case 13 assigned"))
            .await
            .unwrap();
        let (status, inbox) = c.api(Method::GET, "/api/v1/inbox", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(inbox["unread"], 2);
        assert!(
            !runner.is_finished(),
            "{backend}: the post is still hanging"
        );

        let report = runner.await.unwrap().unwrap();
        assert_eq!(
            (report.ran, report.retried),
            (1, 1),
            "{backend}: {report:?}"
        );
        let hooks = deliveries(&app, "webhook").await;
        let first = hooks.iter().find(|d| d.attempts == 1).expect("attempted");
        assert_eq!((first.state.as_str(), first.last_status), ("pending", None));
        assert_eq!(first.last_error, "timed out");
    }
}

/// What a fake SMTP server received.
#[derive(Debug, Clone, Default)]
struct Mail {
    rcpt: Vec<String>,
    data: String,
}

/// Enough SMTP for lettre: greeting, EHLO, MAIL, RCPT, DATA, QUIT.
async fn fake_smtp() -> (u16, Arc<Mutex<Vec<Mail>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mails = Arc::new(Mutex::new(Vec::new()));
    let received = mails.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let mails = mails.clone();
            tokio::spawn(async move {
                let _ = smtp_session(stream, mails).await;
            });
        }
    });
    (port, received)
}

async fn smtp_session(
    stream: tokio::net::TcpStream,
    mails: Arc<Mutex<Vec<Mail>>>,
) -> std::io::Result<()> {
    let (r, mut w) = stream.into_split();
    let mut lines = BufReader::new(r).lines();
    w.write_all(b"220 fake.test ESMTP\r\n").await?;
    let mut mail = Mail::default();
    while let Some(line) = lines.next_line().await? {
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250-fake.test\r\n250 8BITMIME\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            mail.rcpt.push(line[8..].trim().to_string());
            b"250 OK\r\n"
        } else if upper == "DATA" {
            w.write_all(b"354 go ahead\r\n").await?;
            while let Some(l) = lines.next_line().await? {
                if l == "." {
                    break;
                }
                mail.data.push_str(&l);
                mail.data.push('\n');
            }
            mails.lock().unwrap().push(std::mem::take(&mut mail));
            b"250 queued\r\n"
        } else if upper == "QUIT" {
            w.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else if upper == "RSET" || upper == "NOOP" {
            b"250 OK\r\n"
        } else {
            b"502 not implemented\r\n"
        };
        w.write_all(reply).await?;
    }
    Ok(())
}

fn smtp_config(port: u16) -> NotifyConfig {
    NotifyConfig {
        smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
        mail_from: "掌上督 <duban@example.gov.cn>".into(),
        public_url: "https://duban.example.gov.cn".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn an_email_reaches_the_smtp_server_with_the_right_recipient_and_subject() {
    for backend in backends() {
        let (port, mails) = fake_smtp().await;
        let (app, state) = spawn(backend, smtp_config(port)).await;
        let c = app.signed_in(STAFF).await;
        let (status, prefs) = c
            .api(
                Method::PUT,
                "/api/v1/me/notification-prefs",
                Some(serde_json::json!({ "address": "wang@example.gov.cn" })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{prefs}");
        assert_eq!(
            prefs,
            serde_json::json!({ "email": true, "digest": false, "address": "wang@example.gov.cn" })
        );
        let person = PersonId(app.person_id(STAFF).await);
        notify_people(&state, &[person], &message("Case 12 assigned"))
            .await
            .unwrap();
        assert!(mails.lock().unwrap().is_empty());

        assert_eq!(
            run_due(&state, crate::helpers::now()).await.unwrap(),
            report(1, 1, 0, 0),
            "{backend}"
        );
        let got = mails.lock().unwrap().clone();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].rcpt, ["<wang@example.gov.cn>"]);
        assert!(
            got[0].data.contains("Subject: Case 12 assigned"),
            "{}",
            got[0].data
        );
        assert!(
            got[0].data.contains("To: wang@example.gov.cn"),
            "{}",
            got[0].data
        );
        // The link is absolute, on the configured server.public_url.
        assert!(
            got[0]
                .data
                .contains("https://duban.example.gov.cn/cases/12"),
            "{}",
            got[0].data
        );
        let d = &deliveries(&app, "email").await[0];
        assert_eq!(
            (d.state.as_str(), d.attempts, d.last_status),
            ("sent", 1, Some(250))
        );
    }
}

#[tokio::test]
async fn an_smtp_server_that_refuses_connections_is_recorded_and_retried() {
    // A port nobody listens on.
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        l.local_addr().unwrap().port()
    };
    let (app, state) = spawn("sqlite", smtp_config(port)).await;
    let person = PersonId(app.person_id(STAFF).await);
    let mut tx = app.store.begin_write().await.unwrap();
    let prefs = notifications::Prefs {
        email: true,
        digest: false,
        address: Some("wang@example.gov.cn".into()),
    };
    notifications::set_prefs(
        &mut tx,
        &duban_store::Audit::system(crate::helpers::now()),
        person,
        &prefs,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    notify_people(&state, &[person], &message("Case 12 assigned"))
        .await
        .unwrap();
    assert_eq!(
        run_due(&state, crate::helpers::now()).await.unwrap(),
        report(1, 0, 1, 0)
    );
    let d = &deliveries(&app, "email").await[0];
    assert_eq!(
        (d.state.as_str(), d.attempts, d.last_status),
        ("pending", 1, None)
    );
    assert!(!d.last_error.is_empty());
}

#[tokio::test]
async fn a_digest_reader_gets_one_email_a_day_at_the_digest_hour() {
    for backend in backends() {
        let (port, mails) = fake_smtp().await;
        let (app, state) = spawn(backend, smtp_config(port)).await;
        let c = app.signed_in(STAFF).await;
        let (status, _) = c
            .api(
                Method::PUT,
                "/api/v1/me/notification-prefs",
                Some(serde_json::json!({ "address": "wang@example.gov.cn", "digest": true })),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let person = PersonId(app.person_id(STAFF).await);
        notify_people(&state, &[person], &message("Case A assigned"))
            .await
            .unwrap();
        notify_people(&state, &[person], &message("Case B assigned"))
            .await
            .unwrap();
        assert!(
            deliveries(&app, "email").await.is_empty(),
            "nothing immediate"
        );

        // Tomorrow, local time: nothing before 08:00, one e-mail at 08:00, none after.
        let zone = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
        let tomorrow = crate::helpers::now()
            .to_zoned(zone.clone())
            .date()
            .tomorrow()
            .unwrap();
        let at = |h| {
            tomorrow
                .at(h, 0, 0, 0)
                .to_zoned(zone.clone())
                .unwrap()
                .timestamp()
        };
        assert_eq!(run_due(&state, at(7)).await.unwrap(), report(0, 0, 0, 0));
        // The digest job, then the delivery it queued.
        assert_eq!(
            run_due(&state, at(8)).await.unwrap(),
            report(2, 2, 0, 0),
            "{backend}"
        );
        assert_eq!(run_due(&state, at(9)).await.unwrap(), report(0, 0, 0, 0));

        let got = mails.lock().unwrap().clone();
        assert_eq!(got.len(), 1, "one e-mail for both notifications");
        assert_eq!(got[0].rcpt, ["<wang@example.gov.cn>"]);
        let d = &deliveries(&app, "email").await[0];
        assert_eq!(d.state, "sent");
        assert_eq!(d.notification_id, None);
        let payload: serde_json::Value = serde_json::from_str(&d.payload).unwrap();
        let body = payload["body"].as_str().unwrap();
        assert!(
            body.contains("Case A assigned")
                && body.contains("Case B assigned")
                && body.contains("https://duban.example.gov.cn/cases/12"),
            "{body}"
        );
        assert_eq!(payload["subject"], "掌上督每日摘要：2 条未读消息");

        // Read in the app before the next digest: nothing to send the day after.
        notify_people(&state, &[person], &message("Case C assigned"))
            .await
            .unwrap();
        let (status, _) = c
            .api(
                Method::POST,
                "/api/v1/inbox/read",
                Some(serde_json::json!({})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let next_day = at(8) + SignedDuration::from_hours(24);
        assert_eq!(run_due(&state, next_day).await.unwrap(), report(1, 1, 0, 0));
        assert_eq!(mails.lock().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn everyone_sees_and_marks_only_their_own_inbox() {
    for backend in backends() {
        let (app, state) = spawn(backend, NotifyConfig::default()).await;
        let mine = PersonId(app.person_id(STAFF).await);
        let other = PersonId(app.person_id("jxj-head").await);
        let ids = notify_people(&state, &[mine], &message("Case 12 assigned"))
            .await
            .unwrap();
        let theirs = notify_people(&state, &[other], &message("Case 99 assigned"))
            .await
            .unwrap();

        let c = app.signed_in(STAFF).await;
        let home = c.get("/").await.text().await.unwrap();
        assert!(
            home.contains(r#"href="/inbox""#),
            "the menu links the inbox"
        );
        assert!(
            home.contains(r#"<span class="count" aria-label="1 "#),
            "{backend}: badge"
        );
        let (status, inbox) = c.api(Method::GET, "/api/v1/inbox", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(inbox["unread"], 1);
        let items = inbox["items"].as_array().unwrap();
        assert_eq!(items[0]["subject"], "Case 12 assigned", "newest first");
        assert!(items.iter().all(|i| i["subject"] != "Case 99 assigned"));
        assert_eq!(inbox["items"][0]["case_id"], 12);

        // Someone else's id is ignored.
        let (_, res) = c
            .api(
                Method::POST,
                "/api/v1/inbox/read",
                Some(serde_json::json!({ "ids": [theirs[0].0] })),
            )
            .await;
        assert_eq!(res, serde_json::json!({ "marked": 0, "unread": 1 }));
        let page = c.get("/inbox").await.text().await.unwrap();
        assert!(page.contains("Case 12 assigned") && !page.contains("Case 99"));

        // Opening a notification marks it read and follows its link (on this site only).
        let res = c
            .post_form(
                "/inbox/read",
                &[("id", &ids[0].0.to_string()), ("next", "//evil.example/")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(res.headers()["location"], "/inbox");
        let (_, inbox) = c.api(Method::GET, "/api/v1/inbox", None).await;
        assert_eq!(inbox["unread"], 0);
        assert!(inbox["items"][0]["read_at"].is_string());

        let head = app.signed_in("jxj-head").await;
        let res = head
            .post_form(
                "/inbox/read",
                &[("id", &theirs[0].0.to_string()), ("next", "/cases/99")],
            )
            .await;
        assert_eq!(res.headers()["location"], "/cases/99");
        let res = head.post_form("/inbox/read", &[]).await;
        assert_eq!(res.headers()["location"], "/inbox?ok=read");
    }
}

#[tokio::test]
async fn preferences_refuse_an_address_that_is_not_one() {
    let (app, _) = spawn("sqlite", NotifyConfig::default()).await;
    let c = app.signed_in(STAFF).await;
    let (status, problem) = c
        .api(
            Method::PUT,
            "/api/v1/me/notification-prefs",
            Some(serde_json::json!({ "address": "wang at example" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "email");
    let res = c
        .post_form(
            "/inbox/prefs",
            &[
                ("email", "on"),
                ("digest", "on"),
                ("address", "wang at example"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("这不是有效的电子邮箱地址") && page.contains("wang at example"));
    let res = c
        .post_form(
            "/inbox/prefs",
            &[("digest", "on"), ("address", "wang@example.gov.cn")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, prefs) = c
        .api(Method::GET, "/api/v1/me/notification-prefs", None)
        .await;
    assert_eq!(
        prefs,
        serde_json::json!({ "email": false, "digest": true, "address": "wang@example.gov.cn" })
    );
}
