//! Messages that matter: DingTalk and WeCom robots receive their own formats (signed URLs,
//! @ by mobile) from a local robot that checks them; report reminders go once a day per unit
//! before the report day and the day after a missed one; a report's steps, a change request
//! and a commitment tell who must act next, once until read.

use crate::helpers::{TestApp, backends, now};
use crate::notify::{STAFF, deliveries, message, spawn};
use duban_core::org::PersonId;
use duban_web::jobs::{report_reminders as run_today, run_due};
use duban_web::notify::webhook::{Webhook, WebhookKind};
use duban_web::notify::{NotifyConfig, notify_people};
use hmac::{KeyInit, Mac};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

/// A post as the robot received it: the query string and the JSON body.
type Posts = Arc<Mutex<Vec<(String, Value)>>>;

/// A robot that answers `{"errcode":310000}` (DingTalk's "bad signature") to its first
/// `failures` posts, then `{"errcode":0}`, keeping the query and body of every post.
async fn robot(failures: usize) -> (String, Posts) {
    use axum::extract::RawQuery;
    let seen: Posts = Arc::new(Mutex::new(Vec::new()));
    let posts = seen.clone();
    let app = axum::Router::new().route(
        "/robot/send",
        axum::routing::post(
            move |RawQuery(q): RawQuery, axum::Json(body): axum::Json<Value>| {
                let posts = posts.clone();
                async move {
                    let mut p = posts.lock().unwrap();
                    p.push((q.unwrap_or_default(), body));
                    if p.len() <= failures {
                        r#"{"errcode":310000,"errmsg":"sign not match"}"#
                    } else {
                        r#"{"errcode":0,"errmsg":"ok"}"#
                    }
                }
            },
        ),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (
        format!("http://127.0.0.1:{port}/robot/send?access_token=t0ken"),
        seen,
    )
}

/// DingTalk's signature computed here from its definition, not by the code under test.
fn expected_sign(secret: &str, timestamp: &str) -> String {
    use base64::Engine;
    let mut mac = hmac::Hmac::<sha2_011::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}\n{secret}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn query_value(query: &str, key: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap();
    pairs.into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn demo_mobile(username: &str) -> String {
    duban_core::demo::demo_city()
        .people
        .iter()
        .find(|p| p.username == username)
        .unwrap()
        .mobile
        .clone()
}

#[tokio::test]
async fn a_dingtalk_robot_gets_signed_posts_that_mention_by_mobile_and_a_refusal_is_retried() {
    for backend in backends() {
        let (url, posts) = robot(1).await;
        let secret = "SEC0123456789abcdef";
        let (app, state) = spawn(
            backend,
            NotifyConfig {
                webhooks: vec![Webhook {
                    kind: WebhookKind::DingTalk,
                    url: url.clone(),
                    secret: Some(secret.into()),
                }],
                public_url: "https://duban.example.gov.cn".into(),
                ..Default::default()
            },
        )
        .await;
        let person = PersonId(app.person_id(STAFF).await);
        // Notifying answers at once whatever the robot does: it only writes rows.
        notify_people(&state, &[person], &message("Case 12 assigned"))
            .await
            .unwrap();
        assert!(posts.lock().unwrap().is_empty());

        let t0 = Timestamp::from_millisecond(now().as_millisecond()).unwrap();
        let first = run_due(&state, t0).await.unwrap();
        assert_eq!((first.ran, first.retried), (1, 1), "{backend}");
        let t1 = t0 + SignedDuration::from_mins(1);
        let second = run_due(&state, t1).await.unwrap();
        assert_eq!((second.ran, second.done), (1, 1), "{backend}");

        let got = posts.lock().unwrap().clone();
        assert_eq!(got.len(), 2, "one refused post, one retry");
        for ((query, _), at) in got.iter().zip([t0, t1]) {
            // Each attempt is signed afresh with its own timestamp.
            assert_eq!(query_value(query, "access_token").as_deref(), Some("t0ken"));
            let ts = query_value(query, "timestamp").unwrap();
            assert_eq!(ts, at.as_millisecond().to_string());
            assert_eq!(
                query_value(query, "sign"),
                Some(expected_sign(secret, &ts)),
                "{query}"
            );
        }
        let body = &got[1].1;
        let mobile = demo_mobile(STAFF);
        assert_eq!(body["msgtype"], "text");
        assert_eq!(body["at"]["atMobiles"], json!([mobile]));
        assert_eq!(body["at"]["isAtAll"], false);
        let text = body["text"]["content"].as_str().unwrap();
        assert!(text.contains(&format!("@{mobile}")), "{text}");
        assert!(
            text.contains("https://duban.example.gov.cn/cases/12"),
            "links are absolute: {text}"
        );
        let d = &deliveries(&app, "webhook").await[0];
        assert_eq!((d.state.as_str(), d.attempts), ("sent", 2));
        assert!(
            !d.payload.contains(&mobile),
            "the delivery keeps no copy of the mobile"
        );
    }
}

#[tokio::test]
async fn a_wecom_robot_gets_the_mobiles_in_its_mention_list_and_a_plain_url_stays_generic() {
    let (wecom, wecom_posts) = robot(0).await;
    let (plain, plain_posts) = robot(0).await;
    let (app, state) = spawn(
        "sqlite",
        NotifyConfig {
            webhook_urls: vec![plain],
            webhooks: vec![Webhook {
                kind: WebhookKind::WeCom,
                url: wecom,
                secret: None,
            }],
            ..Default::default()
        },
    )
    .await;
    let people = [
        PersonId(app.person_id(STAFF).await),
        PersonId(app.person_id("jxj-head").await),
    ];
    notify_people(&state, &people, &message("Case 12 assigned"))
        .await
        .unwrap();
    let ran = run_due(&state, now()).await.unwrap();
    assert_eq!((ran.ran, ran.done), (2, 2));
    let (query, body) = wecom_posts.lock().unwrap()[0].clone();
    assert!(!query.contains("sign="), "WeCom URLs are not signed");
    assert_eq!(
        body["text"]["mentioned_mobile_list"],
        json!([demo_mobile(STAFF), demo_mobile("jxj-head")])
    );
    assert!(body.get("at").is_none(), "{body}");
    let (_, body) = plain_posts.lock().unwrap()[0].clone();
    assert_eq!(body.as_object().unwrap().len(), 2, "{body}");
    assert!(body["text"].get("mentioned_mobile_list").is_none());
}

fn nine_thirty(day: Date) -> Timestamp {
    day.at(9, 30, 0, 0)
        .to_zoned(jiff::tz::TimeZone::get("Asia/Shanghai").unwrap())
        .unwrap()
        .timestamp()
}

/// Notifications of `kind` a user has, unread.
async fn unread(app: &TestApp, username: &str, kind: &str) -> Vec<(String, String, String)> {
    let person = app.person_id(username).await;
    let mut tx = app.store.begin_read().await.unwrap();
    duban_store::sql(
        "SELECT subject, body, link FROM notifications
         WHERE person_id = $1 AND kind = $2 AND read_at IS NULL ORDER BY id",
    )
    .bind(person)
    .bind(kind)
    .fetch_all(&mut tx)
    .await
    .unwrap()
}

async fn mark_all_read(app: &TestApp, usernames: &[&str]) {
    let mut tx = app.store.begin_write().await.unwrap();
    for u in usernames {
        let person = PersonId(app.person_id(u).await);
        duban_store::notifications::mark_read(
            &mut tx,
            person,
            duban_store::notifications::Which::All,
            now(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// The report day of November in the demo's year, as its plan says.
async fn november_report_day(app: &TestApp) -> Date {
    let mut tx = app.store.begin_read().await.unwrap();
    let plan = duban_store::campaigns::find_plan_year(&mut tx, 2026)
        .await
        .unwrap()
        .unwrap_or_else(|| duban_store::campaigns::PlanYear::default_for(2026));
    let p = duban_core::progress::period::Period::containing(
        plan.report_cadence,
        jiff::civil::date(2026, 11, 15),
    );
    p.due(plan.report_day as i8)
}

/// Tasks of a unit that owe November's report, counted in SQL from their definition: approved,
/// unfinished, no approved sub-task, no report sent for the month.
async fn owing(app: &TestApp, unit: &str, period: &str) -> i64 {
    let unit = app.unit_id(unit).await;
    let mut tx = app.store.begin_read().await.unwrap();
    let (n,): (i64,) = duban_store::sql(
        "SELECT COUNT(*) FROM tasks t WHERE t.lead_unit_id = $1 AND t.state = 'approved'
           AND t.year = 2026 AND t.progress < 100
           AND NOT EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = t.id AND c.state = 'approved')
           AND NOT EXISTS (SELECT 1 FROM progress_reports r WHERE r.task_id = t.id
               AND r.period = $2 AND r.state IN ('unit_review', 'submitted', 'accepted'))",
    )
    .bind(unit)
    .bind(period)
    .fetch_one(&mut tx)
    .await
    .unwrap();
    n
}

#[tokio::test]
async fn who_owes_a_report_hears_once_a_day_before_the_report_day_and_the_head_when_missed() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        mark_all_read(&app, &["jxj-liaison", "jxj-head"]).await;
        let due = november_report_day(&app).await;
        let before = due.checked_sub(jiff::Span::new().days(3)).unwrap();
        let after = due.tomorrow().unwrap();
        let owed = owing(&app, "jxj", "2026-11").await;
        assert!(owed > 1, "the demo leaves 经信局 reports to send");

        // Not before nine in the morning.
        let early = nine_thirty(before) - SignedDuration::from_mins(120);
        assert_eq!(run_today(&app.state_at(early), early).await.unwrap(), 0);
        // Three days before: one message to the liaison listing every owed task.
        let t = nine_thirty(before);
        assert!(
            run_today(&app.state_at(t), t).await.unwrap() > 0,
            "{backend}"
        );
        // A second process (or a second tick) the same day sends nothing.
        let later = t + SignedDuration::from_hours(5);
        assert_eq!(run_today(&app.state_at(later), later).await.unwrap(), 0);
        let got = unread(&app, "jxj-liaison", "report.remind").await;
        assert_eq!(
            got.len(),
            1,
            "{backend}: one message per unit, not per task"
        );
        let (subject, body, link) = &got[0];
        assert_eq!(body.lines().count() as i64, owed, "{body}");
        assert!(subject.contains(&format!("{owed}项任务")), "{subject}");
        assert!(
            subject.contains(&format!("{}月{}日前", due.month(), due.day())),
            "{subject}"
        );
        assert_eq!(link, "/reports");
        assert!(unread(&app, "jxj-head", "report.remind").await.is_empty());

        // The liaison sends one; the day after the report day the others are overdue, and
        // the head hears of it too.
        let task = crate::progress::task_to_report(&app, "jxj").await;
        let title = {
            let mut tx = app.store.begin_read().await.unwrap();
            let (t,): (String,) = duban_store::sql("SELECT title FROM tasks WHERE id = $1")
                .bind(task)
                .fetch_one(&mut tx)
                .await
                .unwrap();
            t
        };
        let liaison = app.signed_in("jxj-liaison").await;
        let (s, v) = liaison
            .api(
                Method::POST,
                &format!("/api/v1/tasks/{task}/reports"),
                Some(json!({"no_change": true, "progress_text": "按计划推进"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let t = nine_thirty(after);
        assert!(run_today(&app.state_at(t), t).await.unwrap() > 0);
        for who in ["jxj-liaison", "jxj-head"] {
            let got = unread(&app, who, "report.overdue").await;
            assert_eq!(got.len(), 1, "{backend}: {who}");
            assert_eq!(got[0].1.lines().count() as i64, owed - 1, "{}", got[0].1);
            assert!(!got[0].1.contains(&title), "a sent report is not owed");
        }
        // The day after that: nothing more.
        let t = nine_thirty(after.tomorrow().unwrap());
        assert_eq!(run_today(&app.state_at(t), t).await.unwrap(), 0);
    }
}

#[tokio::test]
async fn the_office_switches_reminders_off_and_sets_their_days_by_the_api() {
    let app = TestApp::spawn("sqlite").await;
    let office = app.signed_in("dkb2").await;
    let (s, v) = office
        .api(Method::GET, "/api/v1/light-rules/2026", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["reminders"],
        json!({"on": true, "days_before": 3, "overdue": true})
    );
    let rules = json!({
        "due_soon_days": v["due_soon_days"], "yellow_lag_points": v["yellow_lag_points"],
        "red_lag_points": v["red_lag_points"],
    });
    let mut bad = rules.clone();
    bad["reminders"] = json!({"on": true, "days_before": 40, "overdue": true});
    let (s, v) = office
        .api(Method::PUT, "/api/v1/light-rules/2026", Some(bad))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v.to_string().contains("remind_days_before"), "{v}");
    let mut off = rules.clone();
    off["reminders"] = json!({"on": false, "days_before": 5, "overdue": true});
    let (s, v) = office
        .api(Method::PUT, "/api/v1/light-rules/2026", Some(off))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Without `reminders` the light rules save and the reminders stay as they are.
    let (s, v) = office
        .api(Method::PUT, "/api/v1/light-rules/2026", Some(rules))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["reminders"],
        json!({"on": false, "days_before": 5, "overdue": true})
    );

    let due = november_report_day(&app).await;
    let before = due.checked_sub(jiff::Span::new().days(5)).unwrap();
    for day in [before, due.tomorrow().unwrap()] {
        let t = nine_thirty(day);
        assert_eq!(run_today(&app.state_at(t), t).await.unwrap(), 0, "{day}");
    }
    assert!(
        unread(&app, "jxj-liaison", "report.remind")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn a_reports_steps_tell_the_head_the_office_and_the_author_once_until_read() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let people = ["jxj-liaison", "jxj-head", "dkb2", "zjj-head"];
        mark_all_read(&app, &people).await;
        let liaison = app.signed_in("jxj-liaison").await;
        let head = app.signed_in("jxj-head").await;
        let office = app.signed_in("dkb2").await;

        let mut reports = Vec::new();
        for _ in 0..2 {
            let task = crate::progress::task_to_report(&app, "jxj").await;
            let (s, v) = liaison
                .api(
                    Method::POST,
                    &format!("/api/v1/tasks/{task}/reports"),
                    Some(json!({"no_change": true, "progress_text": "按计划推进"})),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            reports.push(v["id"].as_i64().unwrap());
        }
        // Two reports, one message to the head: "something waits for you".
        assert_eq!(
            unread(&app, "jxj-head", "report.unit_review").await.len(),
            1
        );
        assert!(unread(&app, "dkb2", "report.submitted").await.is_empty());
        for r in &reports {
            let (s, v) = head
                .api(
                    Method::POST,
                    &format!("/api/v1/reports/{r}/review"),
                    Some(json!({"action": "approve"})),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
        }
        assert_eq!(unread(&app, "dkb2", "report.submitted").await.len(), 1);

        let (s, v) = office
            .api(
                Method::POST,
                &format!("/api/v1/reports/{}/review", reports[0]),
                Some(json!({"action": "return", "comment": "请补充具体进展"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let returned = unread(&app, "jxj-liaison", "report.returned").await;
        assert_eq!(returned.len(), 1);
        assert_eq!(returned[0].1, "请补充具体进展");
        assert_eq!(returned[0].2, format!("/reports/{}", reports[0]));
        let (s, v) = office
            .api(
                Method::POST,
                &format!("/api/v1/reports/{}/review", reports[1]),
                Some(json!({"action": "accept"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            unread(&app, "jxj-liaison", "report.accepted").await.len(),
            1
        );
        // The head of another unit heard nothing.
        assert!(
            unread(&app, "zjj-head", "report.unit_review")
                .await
                .is_empty()
        );
    }
}

#[tokio::test]
async fn a_change_request_reaches_the_office_and_a_commitment_its_reviewer_and_signer() {
    let app = TestApp::spawn("sqlite").await;
    mark_all_read(&app, &["dkb2", "jxj-head"]).await;
    let liaison = app.signed_in("jxj-liaison").await;
    let task = app.first_task_of("jxj").await;
    let (s, v) = liaison
        .api(
            Method::POST,
            &format!("/api/v1/tasks/{task}/changes"),
            Some(json!({"weight": 2.5, "reason": "工作量调整"})),
        )
        .await;
    assert!(s.is_success(), "{s}: {v}");
    let got = unread(&app, "dkb2", "change.proposed").await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].2, "/lists/changes");

    let head = app.signed_in("jxj-head").await;
    let office = app.signed_in("dkb2").await;
    let body = json!({
        "title": "新增规上工业企业 30 家",
        "content": "培育小升规企业，逐月调度。",
        "target_text": "新增规上工业企业 30 家",
        "target_value": 30,
        "target_unit": "家",
        "deadline": "2026-12-31",
        "task_ids": [task],
        "supervisor_ids": [app.person_id("deputy1").await],
    });
    let (s, created) = head
        .api(Method::POST, "/api/v1/commitments", Some(body))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    let steps = format!("/api/v1/commitments/{id}/steps");
    head.api(Method::POST, &steps, Some(json!({"step": "submit"})))
        .await;
    let got = unread(&app, "dkb2", "commitment.under_review").await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].2, format!("/commitments/{id}"));
    let (s, _) = office
        .api(Method::POST, &steps, Some(json!({"step": "approve"})))
        .await;
    assert_eq!(s, StatusCode::OK);
    let got = unread(&app, "jxj-head", "commitment.approved").await;
    assert_eq!(got.len(), 1, "the committer is asked to sign");
    assert!(got[0].0.contains("请签署"), "{}", got[0].0);
}

#[tokio::test]
async fn the_plan_page_edits_the_reminders_beside_the_light_rules() {
    let app = TestApp::spawn("sqlite").await;
    let office = app.signed_in("dkb2").await;
    let page = office
        .get("/admin/plan?year=2026")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("name=\"remind_days_before\""), "{page}");
    assert!(page.contains("报送提醒"));
    // Unticked boxes are not sent: reminders off, the overdue one too.
    let res = office
        .post_form(
            "/admin/plan/lights",
            &[
                ("year", "2026"),
                ("due_soon_days", "3"),
                ("yellow_lag_points", "10"),
                ("red_lag_points", "30"),
                ("remind_days_before", "2"),
            ],
        )
        .await;
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert!(back.ends_with("ok=saved"), "{back}");
    let (_, v) = office
        .api(Method::GET, "/api/v1/light-rules/2026", None)
        .await;
    assert_eq!(
        v["reminders"],
        json!({"on": false, "days_before": 2, "overdue": false})
    );
    let res = office
        .post_form(
            "/admin/plan/lights",
            &[
                ("year", "2026"),
                ("due_soon_days", "3"),
                ("yellow_lag_points", "10"),
                ("red_lag_points", "30"),
                ("report_reminders", "on"),
                ("remind_days_before", "4"),
                ("remind_overdue", "on"),
            ],
        )
        .await;
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert!(back.ends_with("ok=saved"), "{back}");
    let (_, v) = office
        .api(Method::GET, "/api/v1/light-rules/2026", None)
        .await;
    assert_eq!(
        v["reminders"],
        json!({"on": true, "days_before": 4, "overdue": true})
    );
}
