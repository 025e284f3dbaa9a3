//! Visual tracking over HTTP: a report written by the liaison, approved by the head and
//! accepted by the office moves the task's progress, indicators, light and the dashboard;
//! refused steps write nothing; a return is counted; the office's manual light says why; a
//! month's close keeps each light and a later catch-up repairs a red month to yellow.

use crate::helpers::{TestApp, backends};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn scalar(app: &TestApp, sql: &'static str, id: i64) -> i64 {
    let mut tx = app.store.begin_read().await.expect("tx");
    let (n,): (i64,) = duban_store::sql(sql)
        .bind(id)
        .fetch_one(&mut tx)
        .await
        .expect("query");
    n
}

/// An approved, unfinished task of `unit` that reports figures of its own (no sub-tasks) with
/// no report yet for this month (the demo has played some units' reports).
pub(crate) async fn task_to_report(app: &TestApp, unit: &str) -> i64 {
    let today = crate::helpers::today();
    let period = format!("{}-{:02}", today.year(), today.month());
    let unit = app.unit_id(unit).await;
    let mut tx = app.store.begin_read().await.expect("tx");
    let (id,): (i64,) = duban_store::sql(
        "SELECT t.id FROM tasks t WHERE t.lead_unit_id = $1 AND t.state = 'approved'
           AND t.progress < 100 AND NOT EXISTS (SELECT 1 FROM progress_reports r
               WHERE r.task_id = t.id AND r.period = $2)
           AND NOT EXISTS (SELECT 1 FROM tasks ch WHERE ch.parent_id = t.id)
         ORDER BY t.id LIMIT 1",
    )
    .bind(unit)
    .bind(period)
    .fetch_one(&mut tx)
    .await
    .expect("a task to report on");
    id
}

#[tokio::test]
async fn a_report_goes_from_liaison_to_head_to_office_and_moves_the_light_and_dashboard() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let task = task_to_report(&app, "jxj").await;
        let liaison = app.signed_in("jxj-liaison").await;
        let head = app.signed_in("jxj-head").await;
        let office = app.signed_in("dkb2").await;
        let other = app.signed_in("zjj-liaison").await;

        // The office computes today's lights first (as the daily run does).
        let (s, before) = office
            .api(Method::GET, &format!("/api/v1/tasks/{task}/progress"), None)
            .await;
        assert_eq!(s, StatusCode::OK, "{before}");
        let (s, dash_before) = office.api(Method::GET, "/api/v1/dashboard", None).await;
        let returns_before = scalar(
            &app,
            "SELECT CAST(COALESCE(SUM(returned), 0) AS BIGINT) FROM report_stats WHERE unit_id = $1",
            app.unit_id("jxj").await,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{dash_before}");

        // Another unit's liaison may not report on it, and writes nothing.
        let (s, _) = other
            .api(
                Method::POST,
                &format!("/api/v1/tasks/{task}/reports"),
                Some(json!({"percent": 50})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{backend}");
        let reports = "SELECT COUNT(*) FROM progress_reports WHERE task_id = $1";
        let earlier = scalar(&app, reports, task).await;
        assert_eq!(scalar(&app, reports, task).await, earlier);

        // Bad values are named and write nothing.
        let (s, v) = liaison
            .api(
                Method::POST,
                &format!("/api/v1/tasks/{task}/reports"),
                Some(json!({"percent": 140})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v.to_string().contains("percent"), "{v}");
        assert_eq!(scalar(&app, reports, task).await, earlier);

        // The liaison sends: it waits for the head.
        let (s, v) = liaison
            .api(
                Method::POST,
                &format!("/api/v1/tasks/{task}/reports"),
                Some(json!({"percent": 97.5, "progress_text": "主体工程完工，进入验收。", "values": [1.9]})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["state"], "unit_review");
        let report = v["id"].as_i64().expect("id");

        // Inside the unit it is the unit's: the head reads it, the office not yet.
        let (s, _) = office
            .api(Method::GET, &format!("/api/v1/reports/{report}"), None)
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, v) = head
            .api(Method::GET, &format!("/api/v1/reports/{report}"), None)
            .await;
        assert_eq!(
            (s, v["fields"]["percent"].as_f64()),
            (StatusCode::OK, Some(97.5)),
            "{v}"
        );

        // The office cannot accept before the head approves (it does not even see it yet); the
        // liaison cannot approve; the head cannot accept.
        let review = format!("/api/v1/reports/{report}/review");
        let (s, _) = office
            .api(Method::POST, &review, Some(json!({"action": "accept"})))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = head
            .api(Method::POST, &review, Some(json!({"action": "accept"})))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = liaison
            .api(Method::POST, &review, Some(json!({"action": "approve"})))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        let unchanged = "SELECT COUNT(*) FROM report_events WHERE report_id = $1";
        assert_eq!(
            scalar(&app, unchanged, report).await,
            1,
            "refused steps wrote nothing"
        );
        // The head approves; the office returns it without a comment (refused), then with one.
        let (s, v) = head
            .api(Method::POST, &review, Some(json!({"action": "approve"})))
            .await;
        assert_eq!(
            (s, v["state"].as_str()),
            (StatusCode::OK, Some("submitted")),
            "{v}"
        );
        let (s, _) = office
            .api(Method::POST, &review, Some(json!({"action": "return"})))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let (s, v) = office
            .api(
                Method::POST,
                &review,
                Some(json!({"action": "return", "comment": "请补充验收时间"})),
            )
            .await;
        assert_eq!(
            (s, v["state"].as_str()),
            (StatusCode::OK, Some("returned")),
            "{v}"
        );
        let jxj = app.unit_id("jxj").await;
        let returned = "SELECT returned FROM report_stats WHERE unit_id = $1";
        assert_eq!(scalar(&app, returned, jxj).await, returns_before + 1);

        // The head revises and sends it straight to the office; the office accepts.
        let (s, v) = head
            .api(
                Method::POST,
                &format!("/api/v1/tasks/{task}/reports"),
                Some(json!({"percent": 100, "progress_text": "11月20日通过竣工验收。", "values": [2.1]})),
            )
            .await;
        assert_eq!(
            (s, v["state"].as_str()),
            (StatusCode::CREATED, Some("submitted")),
            "{v}"
        );
        let (s, v) = office
            .api(Method::POST, &review, Some(json!({"action": "accept"})))
            .await;
        assert_eq!(
            (s, v["state"].as_str()),
            (StatusCode::OK, Some("accepted")),
            "{v}"
        );

        // Accepted values are the task's now: progress, the indicator, the light.
        let (s, after) = liaison
            .api(Method::GET, &format!("/api/v1/tasks/{task}/progress"), None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(after["progress"], 100.0, "{after}");
        assert_eq!(after["light"], "green", "a finished task is green: {after}");
        assert_eq!(after["reports"][0]["state"], "accepted");
        let actual: (Option<f64>,) = {
            let mut tx = app.store.begin_read().await.expect("tx");
            duban_store::sql(
                "SELECT actual FROM task_indicators WHERE task_id = $1 AND position = 0",
            )
            .bind(task)
            .fetch_one(&mut tx)
            .await
            .expect("indicator")
        };
        assert_eq!(actual.0, Some(2.1));
        let (_, dash) = office.api(Method::GET, "/api/v1/dashboard", None).await;
        assert!(
            dash["totals"]["progress"].as_f64() >= dash_before["totals"]["progress"].as_f64(),
            "{dash}"
        );
        let (_, v) = app
            .signed_in("dkb2")
            .await
            .api(Method::GET, "/api/v1/reports", None)
            .await;
        let waiting = v["to_accept"].as_array().expect("queue");
        assert!(
            waiting.iter().all(|r| r["id"] != report),
            "accepted, so no longer waiting: {v}"
        );
        // The report's timeline: sent, approved, returned, sent, accepted; each in the ledger.
        let steps = "SELECT COUNT(*) FROM report_events WHERE report_id = $1";
        assert_eq!(scalar(&app, steps, report).await, 5);
        let ledger =
            "SELECT COUNT(*) FROM ledger WHERE object_type = 'progress_report' AND object_id = $1";
        assert_eq!(scalar(&app, ledger, report).await, 5);
        // An accepted report is final.
        let (s, _) = liaison
            .api(
                Method::POST,
                &format!("/api/v1/tasks/{task}/reports"),
                Some(json!({"percent": 10})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn the_office_sets_a_light_by_hand_with_a_reason_and_the_list_filters_by_it() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let task = app.first_task_of("zjj").await;
        let office = app.signed_in("dkb2").await;
        let path = format!("/api/v1/tasks/{task}/light");
        let (s, _) = office
            .api(Method::PUT, &path, Some(json!({"light": "red"})))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a reason is required");
        let (s, _) = app
            .signed_in("zjj-head")
            .await
            .api(
                Method::PUT,
                &path,
                Some(json!({"light": "green", "reason": "x"})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, v) = office
            .api(
                Method::PUT,
                &path,
                Some(json!({"light": "red", "reason": "群众反映强烈，现场核查未开工"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["light"], "red");
        assert_eq!(v["reasons"][0]["rule"], "manual", "{v}");
        assert_eq!(v["reasons"][0]["reason"], "群众反映强烈，现场核查未开工");
        let (s, list) = office
            .api(Method::GET, "/api/v1/tasks?light=red&per_page=200", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{list}");
        assert!(
            list.to_string().contains(&format!("\"id\":{task}")),
            "{list}"
        );
        let (_, v) = office
            .api(Method::PUT, &path, Some(json!({"light": null})))
            .await;
        assert_ne!(v["reasons"][0]["rule"], "manual", "back to the rules: {v}");
    }
}

#[tokio::test]
async fn a_closed_red_month_becomes_yellow_once_a_later_report_catches_up() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let task = task_to_report(&app, "jxj").await;
        let office = app.signed_in("dkb2").await;
        // Red by hand, and a month not closed yet (December) closed with it.
        let (s, _) = office
            .api(
                Method::PUT,
                &format!("/api/v1/tasks/{task}/light"),
                Some(json!({"light": "red", "reason": "十月进度严重滞后"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        {
            let mut tx = app.store.begin_write().await.expect("tx");
            let year: (i64,) = duban_store::sql("SELECT year FROM tasks WHERE id = $1")
                .bind(task)
                .fetch_one(&mut tx)
                .await
                .expect("year");
            duban_store::progress::lights::close_period(&mut tx, year.0 as i16, "2026-12")
                .await
                .expect("close");
            tx.commit().await.expect("commit");
        }
        let red = "SELECT COUNT(*) FROM task_light_history WHERE task_id = $1 AND light = 'red'
                   AND NOT repaired AND period = '2026-12'";
        assert_eq!(scalar(&app, red, task).await, 1);
        let (s, _) = office
            .api(
                Method::PUT,
                &format!("/api/v1/tasks/{task}/light"),
                Some(json!({"light": null})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        // The head reports it done; the office accepts: December is repaired to yellow.
        let head = app.signed_in("jxj-head").await;
        let (s, v) = head
            .api(
                Method::POST,
                &format!("/api/v1/tasks/{task}/reports"),
                Some(json!({"percent": 100, "progress_text": "已完成"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let report = v["id"].as_i64().expect("id");
        let (s, _) = office
            .api(
                Method::POST,
                &format!("/api/v1/reports/{report}/review"),
                Some(json!({"action": "accept"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(scalar(&app, red, task).await, 0);
        let (_, p) = office
            .api(Method::GET, &format!("/api/v1/tasks/{task}/progress"), None)
            .await;
        let july = p["history"]
            .as_array()
            .and_then(|h| h.iter().find(|m| m["period"] == "2026-12"))
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            (july["light"].as_str(), july["repaired"].as_bool()),
            (Some("yellow"), Some(true)),
            "{p}"
        );
    }
}

#[tokio::test]
async fn the_phone_form_sends_a_report_with_a_photo_and_a_refused_file_writes_nothing() {
    use crate::attachments::{multipart, png};
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let task = task_to_report(&app, "jxj").await;
        let liaison = app.signed_in("jxj-liaison").await;
        let post = |fields: Vec<(&'static str, String)>, files: Vec<(&'static str, Vec<u8>)>| {
            let c = &liaison;
            async move {
                let csrf = c.csrf().await;
                let mut all: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str())];
                all.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
                let files: Vec<(&str, &[u8])> =
                    files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
                let (ct, body) = multipart(&all, &files);
                c.http
                    .post(c.url(&format!("/lists/tasks/{task}/report")))
                    .header("content-type", ct)
                    .body(body)
                    .send()
                    .await
                    .expect("request")
            }
        };
        let reports = "SELECT COUNT(*) FROM progress_reports WHERE task_id = $1";
        let earlier = scalar(&app, reports, task).await;

        // A page of HTML dressed as a photo is refused by name of its problem; nothing is written.
        // (97 % and 97.5 % are above the task's accepted progress: lower needs a reason.)
        let res = post(
            vec![("percent", "97".into()), ("action", "send".into())],
            vec![(
                "现场.jpg",
                b"<html><script>alert(1)</script></html>".to_vec(),
            )],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let to = res.headers()["location"]
            .to_str()
            .expect("location")
            .to_string();
        assert!(to.contains("err=files."), "{to}");
        assert_eq!(scalar(&app, reports, task).await, earlier, "{backend}");

        // With a real photo: sent, linked, in the ledger with its hash, shown on the report.
        let res = post(
            vec![
                ("percent", "97.5".into()),
                ("progress_text", "现场施工照片见附件".into()),
                ("action", "send".into()),
            ],
            vec![("现场.png", png(64, 48))],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let to = res.headers()["location"]
            .to_str()
            .expect("location")
            .to_string();
        assert!(to.ends_with("ok=report_sent"), "{to}");
        let report: (i64,) = {
            let mut tx = app.store.begin_read().await.expect("tx");
            duban_store::sql(
                "SELECT id FROM progress_reports WHERE task_id = $1 ORDER BY id DESC LIMIT 1",
            )
            .bind(task)
            .fetch_one(&mut tx)
            .await
            .expect("report")
        };
        let links =
            "SELECT COUNT(*) FROM attachment_links WHERE object_type = 'report' AND object_id = $1";
        assert_eq!(scalar(&app, links, report.0).await, 1);
        let ledger = "SELECT COUNT(*) FROM ledger WHERE action = 'attachment.link' AND after_json LIKE '%sha256%' AND object_id > $1";
        assert!(scalar(&app, ledger, 0).await >= 1);
        let head = app.signed_in("jxj-head").await;
        let page = head.get(&format!("/reports/{}", report.0)).await;
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.expect("html");
        assert!(
            html.contains("/attachments/") && html.contains("/thumb"),
            "the thumbnail shows"
        );
        assert!(html.contains("现场施工照片见附件"));
        // Someone outside the unit cannot open the report.
        let other = app.signed_in("zjj-liaison").await;
        let res = other.get(&format!("/reports/{}", report.0)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn the_progress_sheet_is_previewed_row_by_row_and_sent_all_or_nothing() {
    use duban_docs::progress::{ProgressSheetRow, read_progress_sheet, write_progress_sheet};
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let liaison = app.signed_in("jxj-liaison").await;
        // The download lists the unit's tasks to report, coded by id.
        let res = liaison.get("/api/v1/reports/export").await;
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = res.bytes().await.expect("xlsx");
        let sheet = read_progress_sheet(&bytes, 2026).expect("our own sheet reads back");
        assert!(!sheet.rows.is_empty(), "the unit has tasks to report");
        let mine: i64 = sheet.rows[0].parsed.task_code.parse().expect("a task id");
        let theirs = app.first_task_of("zjj").await;
        // My row sends 99.5 %, above the task's accepted progress: a lower percentage needs a
        // reason (进度下调说明), which the sheet has no column for.
        let row = |code: i64, percent: f64| ProgressSheetRow {
            seq: "1".into(),
            task_code: code.to_string(),
            task_name: "任务".into(),
            lead_unit: "经信局".into(),
            progress: "本月完成设备安装".into(),
            percent: Some(percent),
            ..ProgressSheetRow::default()
        };
        let reports =
            "SELECT COUNT(*) FROM progress_reports WHERE task_id = $1 AND state = 'unit_review'";
        let before = scalar(&app, reports, mine).await;

        // Another unit's task in the sheet: that row is named, nothing is sent.
        let bad = write_progress_sheet(
            "进展报送表",
            "2026年11月",
            &[row(mine, 99.5), row(theirs, 40.0)],
        )
        .expect("sheet");
        let (s, v) = liaison
            .api_bytes("/api/v1/report-imports?file_name=bad.xlsx", bad)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            v["plan"]["rows"][0]["problems"].as_array().map(Vec::len),
            Some(0),
            "{v}"
        );
        let named = v["plan"]["rows"][1]["problems"].to_string();
        assert!(named.contains("第") && named.contains("不能填报"), "{v}");
        assert_eq!(
            scalar(&app, reports, mine).await,
            before,
            "a preview sends nothing"
        );
        let upload = v["upload_id"].as_i64().expect("id");
        let (s, _) = liaison
            .api(
                Method::POST,
                &format!("/api/v1/report-imports/{upload}/commit"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(scalar(&app, reports, mine).await, before, "all or nothing");

        // The good row alone is sent on commit, once.
        let good =
            write_progress_sheet("进展报送表", "2026年11月", &[row(mine, 99.5)]).expect("sheet");
        let (s, v) = liaison
            .api_bytes("/api/v1/report-imports?file_name=good.xlsx", good)
            .await;
        assert_eq!(
            (s, v["problems"].as_u64()),
            (StatusCode::OK, Some(0)),
            "{v}"
        );
        let upload = v["upload_id"].as_i64().expect("id");
        let commit = format!("/api/v1/report-imports/{upload}/commit");
        let (s, v) = liaison.api(Method::POST, &commit, None).await;
        assert_eq!((s, v["sent"].as_u64()), (StatusCode::OK, Some(1)), "{v}");
        assert_eq!(scalar(&app, reports, mine).await, 1);
        let (s, _) = liaison.api(Method::POST, &commit, None).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a sheet is sent once");
        // Someone else cannot commit my upload.
        let (s, _) = app
            .signed_in("dkb2")
            .await
            .api(Method::POST, &commit, None)
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
}

/// A dashboard is kept between reads (`read_cache`) only while nothing is written: the next
/// write — here the office's manual light — shows at once, and the daily recomputation of
/// lights moves the ledger's head like any write.
#[tokio::test]
async fn a_kept_dashboard_moves_with_the_next_write() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb2").await;
        let year = crate::helpers::today().year();
        let task = {
            let mut tx = app.store.begin_read().await.expect("tx");
            let (id,): (i64,) = duban_store::sql(
                "SELECT id FROM tasks WHERE year = $1 AND state = 'approved'
                   AND parent_id IS NULL AND light <> 'red' AND progress < 100
                 ORDER BY id LIMIT 1",
            )
            .bind(i64::from(year))
            .fetch_one(&mut tx)
            .await
            .expect("a counted task that is not red");
            id
        };
        let (s, first) = office.api(Method::GET, "/api/v1/dashboard", None).await;
        assert_eq!(s, StatusCode::OK, "{first}");
        let (_, again) = office.api(Method::GET, "/api/v1/dashboard", None).await;
        assert_eq!(first, again, "nothing was written");
        let (s, v) = office
            .api(
                Method::PUT,
                &format!("/api/v1/tasks/{task}/light"),
                Some(json!({"light": "red", "reason": "现场核查未开工"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (_, after) = office.api(Method::GET, "/api/v1/dashboard", None).await;
        assert_eq!(
            after["totals"]["red"].as_i64(),
            first["totals"]["red"].as_i64().map(|n| n + 1),
            "{backend}: {after}"
        );
        let head = "SELECT seq FROM ledger_head WHERE id = $1";
        let before_job = scalar(&app, head, 1).await;
        // The next day: today's lights may have been computed already.
        let now = crate::helpers::now() + jiff::SignedDuration::from_hours(24);
        let n = duban_web::jobs::lights_today(&app.state_at(now), now)
            .await
            .expect("the day's lights");
        assert!(n > 0);
        assert!(scalar(&app, head, 1).await > before_job, "{backend}");
    }
}
