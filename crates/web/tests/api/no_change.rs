//! "No change means no change" (issue 14): a "无变化" report carries the task's figures as
//! they stand, so sending, approving and accepting one moves no number; the form starts from
//! the same figures (or from a newer report under review, labelled); a report that lowers the
//! accepted percentage needs a reason, which reviewers read beside the accepted figures.
//!
//! The servers here run with their clock stopped on the demo's days in November and December
//! 2026; every period is taken from what the server answers.

use crate::helpers::{TestApp, at, backends};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::collections::BTreeMap;

/// Every task's accepted progress, and every indicator's accepted actual.
#[derive(Debug, PartialEq)]
struct Figures {
    progress: BTreeMap<i64, f64>,
    actuals: BTreeMap<(i64, i64), Option<f64>>,
}

async fn figures(app: &TestApp) -> Figures {
    let mut tx = app.store.begin_read().await.expect("tx");
    let progress: Vec<(i64, f64)> = duban_store::sql("SELECT id, progress FROM tasks")
        .fetch_all(&mut tx)
        .await
        .expect("tasks");
    let actuals: Vec<(i64, i64, Option<f64>)> =
        duban_store::sql("SELECT task_id, position, actual FROM task_indicators")
            .fetch_all(&mut tx)
            .await
            .expect("indicators");
    Figures {
        progress: progress.into_iter().collect(),
        actuals: actuals.into_iter().map(|(t, p, a)| ((t, p), a)).collect(),
    }
}

/// Tasks whose last accepted report says something else than the task holds: where the old
/// "无变化" (copying the last accepted report) changed a number.
async fn tasks_whose_last_report_differs(app: &TestApp) -> Vec<i64> {
    let mut tx = app.store.begin_read().await.expect("tx");
    let rows: Vec<(i64,)> = duban_store::sql(
        "SELECT t.id FROM tasks t JOIN progress_reports r ON r.task_id = t.id
         WHERE r.state = 'accepted' AND r.percent <> t.progress
           AND r.id = (SELECT r2.id FROM progress_reports r2
                       WHERE r2.task_id = t.id AND r2.state = 'accepted'
                       ORDER BY r2.decided_at DESC, r2.id DESC LIMIT 1)",
    )
    .fetch_all(&mut tx)
    .await
    .expect("query");
    rows.into_iter().map(|(id,)| id).collect()
}

async fn lead_unit_code(app: &TestApp, task: i64) -> String {
    let mut tx = app.store.begin_read().await.expect("tx");
    let (code,): (String,) = duban_store::sql(
        "SELECT u.code FROM tasks t JOIN units u ON u.id = t.lead_unit_id WHERE t.id = $1",
    )
    .bind(task)
    .fetch_one(&mut tx)
    .await
    .expect("task");
    code
}

/// The units with a liaison account, by code.
async fn reporting_units(app: &TestApp) -> Vec<String> {
    let mut tx = app.store.begin_read().await.expect("tx");
    let rows: Vec<(String,)> = duban_store::sql(
        "SELECT username FROM users WHERE username LIKE '%-liaison' ORDER BY username",
    )
    .fetch_all(&mut tx)
    .await
    .expect("users");
    rows.into_iter()
        .map(|(u,)| u.trim_end_matches("-liaison").to_string())
        .collect()
}

#[tokio::test]
async fn every_unit_sends_no_change_for_every_due_task_and_no_number_moves() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let server = app.server_at(at(jiff::civil::date(2026, 11, 25), 10)).await;
        let office = app.signed_in_on(&server, "dkb2").await;
        let before = figures(&app).await;
        let differing = tasks_whose_last_report_differs(&app).await;
        assert!(
            !differing.is_empty(),
            "the demo has tasks whose last accepted report differs from their progress"
        );

        let mut replayed = Vec::new();
        let units = reporting_units(&app).await;
        assert!(units.len() > 10, "{units:?}");
        for unit in &units {
            let liaison = app.signed_in_on(&server, &format!("{unit}-liaison")).await;
            let head = app.signed_in_on(&server, &format!("{unit}-head")).await;
            let (s, queues) = liaison.api(Method::GET, "/api/v1/reports", None).await;
            assert_eq!(s, StatusCode::OK, "{queues}");
            let due = queues["due"].as_array().expect("due").clone();
            assert!(due.len() < 200, "{unit}: the queue is not cut off");
            for row in due {
                // Sent already this period (waiting or accepted): nothing to send.
                if !matches!(
                    row["report_state"].as_str(),
                    None | Some("draft" | "returned")
                ) {
                    continue;
                }
                let task = row["id"].as_i64().expect("task id");
                // A task force's or command HQ's task in a member's queue is its lead unit's.
                if lead_unit_code(&app, task).await != *unit {
                    continue;
                }
                let (s, v) = liaison
                    .api(
                        Method::POST,
                        &format!("/api/v1/tasks/{task}/reports"),
                        Some(json!({"no_change": true, "progress_text": "本期无变化。"})),
                    )
                    .await;
                assert_eq!(s, StatusCode::CREATED, "{unit} task {task}: {v}");
                let report = v["id"].as_i64().expect("report id");
                let review = format!("/api/v1/reports/{report}/review");
                let (s, v) = head
                    .api(Method::POST, &review, Some(json!({"action": "approve"})))
                    .await;
                assert_eq!(s, StatusCode::OK, "{unit} report {report}: {v}");
                let (s, v) = office
                    .api(Method::POST, &review, Some(json!({"action": "accept"})))
                    .await;
                assert_eq!(s, StatusCode::OK, "{unit} report {report}: {v}");
                replayed.push(task);
            }
        }

        let after = figures(&app).await;
        let moved: Vec<_> = before
            .progress
            .iter()
            .filter(|(id, p)| after.progress.get(id) != Some(p))
            .map(|(id, p)| (id, p, after.progress.get(id)))
            .collect();
        assert!(moved.is_empty(), "{backend}: progress moved: {moved:?}");
        let moved: Vec<_> = before
            .actuals
            .iter()
            .filter(|(k, a)| after.actuals.get(k) != Some(a))
            .collect();
        assert!(
            moved.is_empty(),
            "{backend}: indicator actuals moved: {moved:?}"
        );
        assert_eq!(before, after);
        // The replay covered many tasks, among them those the old rule would have moved.
        assert!(
            replayed.len() > 100,
            "{backend}: {} replayed",
            replayed.len()
        );
        assert!(
            differing.iter().any(|t| replayed.contains(t)),
            "{backend}: the replay includes a task whose last accepted report differed"
        );
        let (s, v) = office.api(Method::GET, "/api/v1/reports", None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        app.ledger_len().await;
    }
}

/// An approved, unfinished task of `unit` reported monthly, with nothing written for
/// `period` yet.
async fn monthly_task_without_report(app: &TestApp, unit: &str, period: &str) -> i64 {
    let unit = app.unit_id(unit).await;
    let mut tx = app.store.begin_read().await.expect("tx");
    let (id,): (i64,) = duban_store::sql(
        "SELECT t.id FROM tasks t WHERE t.lead_unit_id = $1 AND t.state = 'approved'
           AND t.progress > 10 AND t.progress < 100
           AND (t.cadence IS NULL OR t.cadence = 'monthly')
           AND NOT EXISTS (SELECT 1 FROM progress_reports r
                           WHERE r.task_id = t.id AND r.period = $2)
         ORDER BY t.id LIMIT 1",
    )
    .bind(unit)
    .bind(period)
    .fetch_one(&mut tx)
    .await
    .expect("a task to report on");
    id
}

/// A task's stored (accepted or rolled-up) progress.
pub(crate) async fn progress_of(app: &TestApp, task: i64) -> f64 {
    let mut tx = app.store.begin_read().await.expect("tx");
    let (p,): (f64,) = duban_store::sql("SELECT progress FROM tasks WHERE id = $1")
        .bind(task)
        .fetch_one(&mut tx)
        .await
        .expect("task");
    p
}

#[tokio::test]
async fn a_lower_percentage_needs_a_reason_and_reviewers_see_it_beside_the_accepted_value() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let server = app.server_at(at(jiff::civil::date(2026, 11, 25), 10)).await;
        let task = monthly_task_without_report(&app, "gaj", "2026-11").await;
        let accepted = progress_of(&app, task).await;
        let liaison = app.signed_in_on(&server, "gaj-liaison").await;
        let head = app.signed_in_on(&server, "gaj-head").await;
        let office = app.signed_in_on(&server, "dkb2").await;

        // The form starts from the accepted figures, labelled so.
        let page = liaison
            .get(&format!("/lists/tasks/{task}/report"))
            .await
            .text()
            .await
            .expect("page");
        let input = format!("step=\"0.1\" value=\"{accepted}\" required");
        assert!(page.contains(&input), "{input} in {page}");
        assert!(page.contains("已按已采纳进度预填"), "{page}");
        assert!(page.contains("name=\"lower_reason\""), "{page}");

        // Lower without a reason: the API names the field and nothing is written.
        let lower = accepted - 10.0;
        let path = format!("/api/v1/tasks/{task}/reports");
        let (s, v) = liaison
            .api(Method::POST, &path, Some(json!({"percent": lower})))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v.to_string().contains("lower_reason"), "{v}");
        // … and so does the page form.
        let csrf = liaison.csrf().await;
        let lower_text = lower.to_string();
        let fields = [
            ("_csrf", csrf.as_str()),
            ("percent", lower_text.as_str()),
            ("action", "send"),
        ];
        let (ct, body) = crate::attachments::multipart(&fields, &[]);
        let res = liaison
            .http
            .post(liaison.url(&format!("/lists/tasks/{task}/report")))
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let to = res.headers()["location"].to_str().expect("location");
        assert!(to.ends_with("err=lower_reason.required"), "{to}");
        // A draft may be saved without one; sending needs it.
        let (s, v) = liaison
            .api(
                Method::POST,
                &path,
                Some(json!({"percent": lower, "action": "save"})),
            )
            .await;
        assert_eq!(
            (s, v["state"].as_str()),
            (StatusCode::CREATED, Some("draft")),
            "{v}"
        );

        let reason = "上月统计口径有误，按审计结果更正。";
        let (s, v) = liaison
            .api(
                Method::POST,
                &path,
                Some(json!({"percent": lower, "lower_reason": reason, "progress_text": "更正累计数。"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let report = v["id"].as_i64().expect("id");

        // The head reads it with the accepted value beside it, flagged lower, and the reason.
        let (s, v) = head
            .api(Method::GET, &format!("/api/v1/reports/{report}"), None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["accepted"]["percent"].as_f64(), Some(accepted), "{v}");
        assert_eq!(v["accepted"]["lower"], true, "{v}");
        assert_eq!(v["fields"]["lower_reason"], reason, "{v}");
        let page = head
            .get(&format!("/reports/{report}"))
            .await
            .text()
            .await
            .expect("page");
        let beside = format!("已采纳 {}%", num(accepted));
        assert!(page.contains(&beside), "{beside} in {page}");
        assert!(page.contains("低于已采纳进度"), "{page}");
        assert!(page.contains(reason), "{page}");

        // Approved and accepted, the number goes down — with its reason on record.
        let review = format!("/api/v1/reports/{report}/review");
        let (s, _) = head
            .api(Method::POST, &review, Some(json!({"action": "approve"})))
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, v) = office
            .api(Method::GET, &format!("/api/v1/reports/{report}"), None)
            .await;
        assert_eq!(
            (s, v["accepted"]["lower"].as_bool()),
            (StatusCode::OK, Some(true)),
            "{v}"
        );
        let (s, _) = office
            .api(Method::POST, &review, Some(json!({"action": "accept"})))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(progress_of(&app, task).await, lower);
        let (_, v) = office
            .api(Method::GET, &format!("/api/v1/reports/{report}"), None)
            .await;
        assert!(
            v["accepted"].is_null(),
            "accepted: the task holds its figures: {v}"
        );
    }
}

#[tokio::test]
async fn a_newer_report_under_review_is_what_the_form_and_no_change_carry() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let november = app.server_at(at(jiff::civil::date(2026, 11, 25), 10)).await;
        let december = app.server_at(at(jiff::civil::date(2026, 12, 2), 10)).await;
        let task = monthly_task_without_report(&app, "gaj", "2026-11").await;
        let accepted = progress_of(&app, task).await;
        let higher = (accepted + 5.5).min(100.0);

        // November's report is sent and waits for the head into December.
        let liaison = app.signed_in_on(&november, "gaj-liaison").await;
        let (s, v) = liaison
            .api(
                Method::POST,
                &format!("/api/v1/tasks/{task}/reports"),
                Some(json!({"percent": higher, "progress_text": "11月推进。"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let pending = v["id"].as_i64().expect("id");

        // In December the form starts from it, and says it is not accepted yet.
        let liaison = app.signed_in_on(&december, "gaj-liaison").await;
        let page = liaison
            .get(&format!("/lists/tasks/{task}/report"))
            .await
            .text()
            .await
            .expect("page");
        assert!(page.contains(&format!("value=\"{higher}\"")), "{page}");
        assert!(page.contains("2026-11 审核中，尚未采纳"), "{page}");
        assert!(!page.contains("已按已采纳进度预填"), "{page}");

        // "无变化" sends what the unit last said, not the older accepted value.
        let (s, v) = liaison
            .api(
                Method::POST,
                &format!("/api/v1/tasks/{task}/reports"),
                Some(json!({"no_change": true, "percent": 1})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let head = app.signed_in_on(&december, "gaj-head").await;
        let (_, v) = head
            .api(Method::GET, &format!("/api/v1/reports/{}", v["id"]), None)
            .await;
        assert_eq!(v["period"], "2026-12", "{v}");
        assert_eq!(v["fields"]["no_change"], true, "{v}");
        assert_eq!(v["fields"]["percent"].as_f64(), Some(higher), "{v}");
        assert_eq!(v["accepted"]["percent"].as_f64(), Some(accepted), "{v}");
        assert_ne!(pending, v["id"].as_i64().expect("id"));
    }
}

/// The page's way of writing a number.
fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{}", (v * 100.0).round() / 100.0)
    }
}
