//! Decomposed work counts once, and every count opens exactly its rows (issue 14, parts 2
//! and 3): the dashboards count approved top-level tasks with their sub-tasks rolled up; every
//! count on a dashboard — lights, attention lists, a unit's line — opens a drill-down with that
//! many rows, inside the reader's scope, each with its light; a parent takes its figures from
//! its sub-tasks and its report carries text only; finished tasks are never forecast late; the
//! office and unit heads review a filtered queue in one step, and a batch with one report that
//! cannot take the step is refused whole, naming it.

use crate::helpers::{Client, TestApp, backends};
use crate::no_change::progress_of;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Every row of a drill-down, page by page; its `total` once.
async fn all_rows(c: &Client, query: &str) -> (i64, Vec<Value>) {
    let mut rows = Vec::new();
    let mut total = None;
    for page in 1..=100 {
        let (s, v) = c
            .api(
                Method::GET,
                &format!("/api/v1/dashboard/tasks?{query}&page={page}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{query}: {v}");
        let t = v["total"].as_i64().expect("total");
        assert_eq!(*total.get_or_insert(t), t, "the total holds across pages");
        let page_rows = v["rows"].as_array().expect("rows").clone();
        let done = page_rows.is_empty() || rows.len() + page_rows.len() >= t as usize;
        rows.extend(page_rows);
        if done {
            break;
        }
    }
    (total.unwrap_or(0), rows)
}

/// Checks every count of one dashboard against its drill-down.
async fn counts_equal_rows(c: &Client, dash_query: &str) -> i64 {
    let (s, d) = c
        .api(
            Method::GET,
            &format!("/api/v1/dashboard?{dash_query}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let year = d["year"].as_i64().expect("year");
    let base = format!("year={year}&{dash_query}");
    let (total, rows) = all_rows(c, &base).await;
    assert_eq!(
        total,
        d["totals"]["total"].as_i64().unwrap(),
        "{dash_query}: total"
    );
    assert_eq!(rows.len() as i64, total, "{dash_query}: every row listed");
    let ids: BTreeSet<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), rows.len(), "no task listed twice");
    for light in ["red", "yellow", "green"] {
        let (n, rows) = all_rows(c, &format!("{base}&light={light}")).await;
        assert_eq!(
            n,
            d["totals"][light].as_i64().unwrap(),
            "{dash_query}: {light}"
        );
        assert_eq!(rows.len() as i64, n);
        assert!(
            rows.iter().all(|r| r["light"] == light),
            "each row shows the light it was counted under"
        );
    }
    for attention in ["overdue", "due_soon", "forecast_late"] {
        let (n, rows) = all_rows(c, &format!("{base}&attention={attention}")).await;
        assert_eq!(
            n,
            d[format!("{attention}_count")].as_i64().unwrap(),
            "{dash_query}: {attention}"
        );
        assert_eq!(rows.len() as i64, n);
        if attention == "forecast_late" {
            assert!(rows.iter().all(|r| r["progress"].as_f64().unwrap() < 100.0));
        }
    }
    for line in d["by_unit"].as_array().expect("by_unit").iter().take(4) {
        let unit = line["key"].as_str().unwrap();
        for light in ["red", "yellow", "green"] {
            let (n, _) = all_rows(c, &format!("{base}&line_unit={unit}&light={light}")).await;
            assert_eq!(
                n,
                line["counts"][light].as_i64().unwrap(),
                "{dash_query}: unit {unit} {light}"
            );
        }
    }
    total
}

#[tokio::test]
async fn every_dashboard_count_opens_exactly_that_many_rows_in_scope() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb2").await;
        let total = counts_equal_rows(&office, "").await;
        // Decomposed work counts once: the city counts the approved top-level tasks.
        let top = app
            .count("SELECT COUNT(*) FROM tasks WHERE year = 2026 AND state = 'approved' AND parent_id IS NULL")
            .await;
        let all = app
            .count("SELECT COUNT(*) FROM tasks WHERE year = 2026 AND state = 'approved'")
            .await;
        assert_eq!(total, top, "{backend}");
        assert!(
            all > top,
            "the demo decomposes tasks, so counting all would count twice"
        );
        counts_equal_rows(&office, "list_kind=work").await;

        // A vice-mayor's own dashboard: their portfolio's tasks and those they lead, and the
        // rows stay inside what they may read.
        let leader = app.signed_in("fsz1").await;
        let me = app.person_id("fsz1").await;
        counts_equal_rows(&leader, &format!("leader={me}")).await;
        let (_, rows) = all_rows(&leader, &format!("year=2026&leader={me}")).await;
        assert!(!rows.is_empty());
        for r in rows.iter().take(5) {
            let id = r["id"].as_i64().unwrap();
            let (s, _) = leader
                .api(Method::GET, &format!("/api/v1/tasks/{id}"), None)
                .await;
            assert_eq!(
                s,
                StatusCode::OK,
                "{backend}: row {id} is in the leader's scope"
            );
        }

        // A unit head's dashboard is their unit's.
        let head = app.signed_in("jxj-head").await;
        let jxj = app.unit_id("jxj").await;
        counts_equal_rows(&head, &format!("unit={jxj}")).await;

        // The filter is kept across searches: the words narrow within the light.
        let (n_yellow, _) = all_rows(&office, "year=2026&light=yellow").await;
        let (n_words, rows) =
            all_rows(&office, "year=2026&light=yellow&q=%E4%BC%81%E4%B8%9A").await;
        assert!(n_words <= n_yellow);
        assert!(rows.iter().all(|r| r["light"] == "yellow"));
        let page = office
            .get("/dashboard/tasks?year=2026&light=yellow&q=%E4%BC%81%E4%B8%9A")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(r#"<input type="hidden" name="light" value="yellow">"#),
            "the search form keeps the light"
        );

        // Bad narrowing is a 400 naming the parameter.
        let (s, v) = office
            .api(Method::GET, "/api/v1/dashboard/tasks?light=purple", None)
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{backend}: {v}");
        assert!(v.to_string().contains("light"), "{v}");
    }
}

async fn review(c: &Client, id: i64, action: &str) -> (StatusCode, Value) {
    c.api(
        Method::POST,
        &format!("/api/v1/reports/{id}/review"),
        Some(json!({"action": action})),
    )
    .await
}

/// The rule on the page: a parent's progress is the weight-mean of its approved children's.
async fn rolled_up(app: &TestApp, parent: i64) -> f64 {
    let mut tx = app.store.begin_read().await.expect("tx");
    let kids: Vec<(f64, f64)> = duban_store::sql(
        "SELECT weight, progress FROM tasks WHERE parent_id = $1 AND state = 'approved'",
    )
    .bind(parent)
    .fetch_all(&mut tx)
    .await
    .expect("children");
    let w: f64 = kids.iter().map(|(w, _)| w).sum();
    let mean = if w > 0.0 {
        kids.iter().map(|(w, p)| w * p).sum::<f64>() / w
    } else {
        kids.iter().map(|(_, p)| p).sum::<f64>() / kids.len() as f64
    };
    (mean * 10.0).round() / 10.0
}

#[tokio::test]
async fn a_parent_takes_its_figures_from_its_sub_tasks_and_reports_text_only() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let jxj = app.unit_id("jxj").await;
        let (parent, child): (i64, i64) = {
            let mut tx = app.store.begin_read().await.expect("tx");
            duban_store::sql(
                "SELECT p.id, MIN(c.id) FROM tasks p JOIN tasks c ON c.parent_id = p.id
                 WHERE p.lead_unit_id = $1 AND p.state = 'approved' AND c.state = 'approved'
                   AND c.progress < 90 AND p.parent_id IS NULL
                   AND NOT EXISTS (SELECT 1 FROM tasks g WHERE g.parent_id = c.id)
                   AND NOT EXISTS (SELECT 1 FROM progress_reports r WHERE r.task_id = c.id
                       AND (r.state IN ('unit_review', 'submitted') OR r.period = $2))
                   AND NOT EXISTS (SELECT 1 FROM progress_reports r WHERE r.task_id = p.id
                       AND r.period = $2)
                 GROUP BY p.id ORDER BY p.id LIMIT 1",
            )
            .bind(jxj)
            .bind(format!(
                "{}-{:02}",
                crate::helpers::today().year(),
                crate::helpers::today().month()
            ))
            .fetch_one(&mut tx)
            .await
            .expect("a decomposed task of jxj")
        };
        let before = progress_of(&app, parent).await;
        assert_eq!(
            before,
            rolled_up(&app, parent).await,
            "{backend}: rolled up as stored"
        );

        // The parent owes no report: it is not on the liaison's due list.
        let liaison = app.signed_in("jxj-liaison").await;
        let (_, q) = liaison.api(Method::GET, "/api/v1/reports", None).await;
        let due: Vec<i64> = q["due"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        assert!(!due.contains(&parent), "{backend}: a parent is not due");
        // Its form says so and asks for no figure.
        let form = liaison
            .get(&format!("/lists/tasks/{parent}/report"))
            .await
            .text()
            .await
            .unwrap();
        assert!(form.contains(r#"id="rolled-up""#));
        assert!(
            !form.contains(r#"name="percent""#),
            "no second figure to type"
        );

        // A typed figure on the parent's report is not taken: it carries the roll-up.
        let (s, v) = liaison
            .api(
                Method::POST,
                &format!("/api/v1/tasks/{parent}/reports"),
                Some(json!({"percent": 5, "progress_text": "分项推进中。"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let report = v["id"].as_i64().unwrap();
        // Its timeline reads in the city's zone: the servers' clock stands at the demo's
        // 10:00 in Asia/Shanghai (02:00 UTC).
        let page = liaison
            .get(&format!("/reports/{report}"))
            .await
            .text()
            .await
            .unwrap();
        let local = crate::helpers::now()
            .to_zoned(jiff::tz::TimeZone::get("Asia/Shanghai").unwrap())
            .strftime("%Y-%m-%d %H:")
            .to_string();
        assert!(
            page.contains(&local),
            "{backend}: the timeline says {local}…"
        );
        let head = app.signed_in("jxj-head").await;
        let office = app.signed_in("dkb2").await;
        assert_eq!(review(&head, report, "approve").await.0, StatusCode::OK);
        assert_eq!(review(&office, report, "accept").await.0, StatusCode::OK);
        assert_eq!(
            progress_of(&app, parent).await,
            before,
            "{backend}: text only"
        );

        // A sub-task's accepted report moves the parent by the rule.
        let child_before = progress_of(&app, child).await;
        let (s, v) = liaison
            .api(
                Method::POST,
                &format!("/api/v1/tasks/{child}/reports"),
                Some(json!({"percent": (child_before + 10.0).min(100.0), "progress_text": "完成节点。"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let report = v["id"].as_i64().unwrap();
        assert_eq!(review(&head, report, "approve").await.0, StatusCode::OK);
        assert_eq!(review(&office, report, "accept").await.0, StatusCode::OK);
        let after = progress_of(&app, parent).await;
        assert!(after > before, "{backend}: {before} → {after}");
        assert_eq!(after, rolled_up(&app, parent).await);
    }
}

#[tokio::test]
async fn finished_tasks_are_never_forecast_late() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb2").await;
        let (_, before) = office.api(Method::GET, "/api/v1/dashboard", None).await;
        // A finished top-level task flagged late by a stale forecast stays off the list.
        let finished = {
            let mut tx = app.store.begin_write().await.expect("tx");
            let (id,): (i64,) = duban_store::sql(
                "SELECT id FROM tasks WHERE year = 2026 AND state = 'approved'
                   AND parent_id IS NULL AND light <> 'red' ORDER BY id LIMIT 1",
            )
            .fetch_one(&mut tx)
            .await
            .expect("a task");
            duban_store::sql("UPDATE tasks SET progress = 100 WHERE id = $1")
                .bind(id)
                .execute(&mut tx)
                .await
                .expect("finish");
            duban_store::sql("UPDATE task_lights SET forecast_late = TRUE WHERE task_id = $1")
                .bind(id)
                .execute(&mut tx)
                .await
                .expect("flag");
            tx.commit().await.expect("commit");
            id
        };
        let (_, after) = office.api(Method::GET, "/api/v1/dashboard", None).await;
        assert_eq!(
            after["forecast_late_count"], before["forecast_late_count"],
            "{backend}"
        );
        let (_, rows) = all_rows(&office, "year=2026&attention=forecast_late").await;
        assert!(rows.iter().all(|r| r["id"].as_i64() != Some(finished)));
    }
}

#[tokio::test]
async fn the_office_accepts_a_filtered_queue_in_one_step_and_a_bad_batch_writes_nothing() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb2").await;
        let (s, q) = office
            .api(Method::GET, "/api/v1/reports?no_change=1", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{q}");
        let waiting = q["to_accept_count"].as_i64().unwrap();
        let (_, all) = office.api(Method::GET, "/api/v1/reports", None).await;
        assert!(all["to_accept_count"].as_i64().unwrap() >= waiting);
        // Each row shows what the reviewer weighs.
        let rows = all["to_accept"].as_array().unwrap().clone();
        assert!(!rows.is_empty(), "{backend}: the demo has reports waiting");
        for key in ["accepted", "expected", "light", "files", "late", "percent"] {
            assert!(rows[0].get(key).is_some(), "{key}");
        }
        let ids: Vec<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
        let accepted = "SELECT COUNT(*) FROM progress_reports WHERE state = 'accepted'";
        let before = app.count(accepted).await;
        let ledger = app.ledger_len().await;

        // One report that cannot take the step (accepted already) refuses the batch.
        let stuck = {
            let mut tx = app.store.begin_read().await.expect("tx");
            let (id,): (i64,) = duban_store::sql(
                "SELECT id FROM progress_reports WHERE state = 'accepted' ORDER BY id DESC LIMIT 1",
            )
            .fetch_one(&mut tx)
            .await
            .expect("a report with its head");
            id
        };
        let mut bad = ids.clone();
        bad.insert(ids.len() / 2, stuck);
        let (s, v) = office
            .api(
                Method::POST,
                "/api/v1/reports/review",
                Some(json!({"reports": bad, "action": "accept"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(v["report"], stuck, "the problem names the report");
        assert_eq!(
            app.count(accepted).await,
            before,
            "{backend}: nothing written"
        );
        assert_eq!(app.ledger_len().await, ledger);

        // The same batch without it: every report accepted, each with its own entry.
        let (s, v) = office
            .api(
                Method::POST,
                "/api/v1/reports/review",
                Some(json!({"reports": ids, "action": "accept"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["reviewed"], ids.len());
        assert_eq!(app.count(accepted).await, before + ids.len() as i64);
        let entries = {
            let mut tx = app.store.begin_read().await.expect("tx");
            let (n,): (i64,) = duban_store::sql(
                "SELECT COUNT(*) FROM ledger WHERE action = 'report.accept' AND seq > $1",
            )
            .bind(ledger)
            .fetch_one(&mut tx)
            .await
            .expect("count");
            n
        };
        assert_eq!(entries, ids.len() as i64, "{backend}: an entry per report");

        // A unit head may not accept: the batch is refused as a whole.
        let head = app.signed_in("jxj-head").await;
        let (s, _) = head
            .api(
                Method::POST,
                "/api/v1/reports/review",
                Some(json!({"reports": [stuck], "action": "accept"})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{backend}");
    }
}
