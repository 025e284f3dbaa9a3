//! The closed loop over HTTP: a case round the loop with refused steps writing nothing, the
//! escalation ladder climbed by moving the clock, two processes on one database taking each
//! step once, meetings, the problem-list import and export, and the demo's month.

use crate::helpers::{TestApp, backends};
use duban_core::cases::ladder::{Ladder, Step, schedule};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn count(app: &TestApp, sql: &'static str, id: i64) -> i64 {
    let mut tx = app.store.begin_read().await.expect("tx");
    let (n,): (i64,) = duban_store::sql(sql)
        .bind(id)
        .fetch_one(&mut tx)
        .await
        .expect("count");
    n
}

async fn events(app: &TestApp, id: i64) -> i64 {
    count(
        app,
        "SELECT COUNT(*) FROM case_events WHERE case_id = $1",
        id,
    )
    .await
}

async fn state_of(app: &TestApp, id: i64) -> String {
    let office = app.signed_in("dkb2").await;
    let (s, v) = office
        .api(Method::GET, &format!("/api/v1/cases/{id}"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["case"]["handling"]["state"]
        .as_str()
        .expect("state")
        .to_string()
}

/// Registers and assigns a case as the office; returns its id.
async fn assigned_case(app: &TestApp, unit: &str, deadline: &str, title: &str) -> i64 {
    let office = app.signed_in("dkb2").await;
    let (s, v) = office
        .api(
            Method::POST,
            "/api/v1/cases",
            Some(json!({"source": "instruction", "title": title, "content": "批示内容"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().expect("id");
    let unit = app.unit_id(unit).await;
    let (s, v) = office
        .api(
            Method::POST,
            &format!("/api/v1/cases/{id}/steps"),
            Some(json!({"step": "assign", "lead_unit_id": unit, "deadline": deadline, "co_units": "财政局"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "assigned");
    id
}

async fn step(c: &crate::helpers::Client, id: i64, body: Value) -> (StatusCode, Value) {
    c.api(
        Method::POST,
        &format!("/api/v1/cases/{id}/steps"),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn a_case_goes_round_the_loop_and_refused_steps_write_nothing() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let id = assigned_case(&app, "jxj", "5wd", "技改项目进度排查").await;
        let liaison = app.signed_in("jxj-liaison").await;
        let head = app.signed_in("jxj-head").await;
        let office = app.signed_in("dkb2").await;
        let outsider = app.signed_in("zjj-liaison").await;
        let co = app.signed_in("czj-liaison").await;
        let ledger = app.ledger_len().await;
        let before = events(&app, id).await;

        // Refused, each for its own reason, and nothing written.
        let (s, v) = step(&office, id, json!({"step": "verify_ok"})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "not claimed yet: {v}");
        let (s, _) = step(&liaison, id, json!({"step": "claim_done", "evidence": "x"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "a liaison does not declare done");
        let (s, _) = step(&outsider, id, json!({"step": "acknowledge"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "another unit's case");
        let (s, _) = outsider
            .api(Method::GET, &format!("/api/v1/cases/{id}"), None)
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "outside the scope");
        let (s, _) = step(&liaison, id, json!({"step": "fly_away"})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(events(&app, id).await, before);
        assert_eq!(app.ledger_len().await, ledger);

        // The loop.
        let (s, v) = step(&liaison, id, json!({"step": "acknowledge"})).await;
        assert_eq!((s, v["state"].as_str()), (StatusCode::OK, Some("handling")));
        let (s, _) = step(
            &liaison,
            id,
            json!({"step": "report", "note": "已走访12家企业"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        let (s, v) = step(
            &co,
            id,
            json!({"step": "opinion", "note": "技改补助资金已预拨"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "the co-unit's opinion: {v}");
        let (s, v) = step(&head, id, json!({"step": "claim_done"})).await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "evidence is required: {v}"
        );
        assert_eq!(v["errors"][0]["field"], "evidence", "{v}");
        let (s, _) = step(
            &head,
            id,
            json!({"step": "claim_done", "evidence": "进度台账"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = step(&office, id, json!({"step": "rework", "note": " "})).await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a rework needs a reason"
        );
        let (s, v) = step(
            &office,
            id,
            json!({"step": "rework", "note": "缺少完成时限"}),
        )
        .await;
        assert_eq!((s, v["state"].as_str()), (StatusCode::OK, Some("handling")));
        let (s, _) = step(
            &head,
            id,
            json!({"step": "claim_done", "evidence": "补充后的台账"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        let (s, v) = step(&office, id, json!({"step": "verify_ok", "on_site": true})).await;
        assert_eq!(
            (s, v["state"].as_str()),
            (StatusCode::OK, Some("closed_out"))
        );

        let (_, v) = head
            .api(Method::GET, &format!("/api/v1/cases/{id}"), None)
            .await;
        let kinds: Vec<&str> = v["events"]
            .as_array()
            .expect("events")
            .iter()
            .map(|e| e["kind"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(
            kinds,
            [
                "register",
                "assign",
                "acknowledge",
                "report",
                "opinion",
                "claim_done",
                "rework",
                "claim_done",
                "verify_ok"
            ]
        );
        assert_eq!(v["case"]["units"][0]["opinion"], "技改补助资金已预拨");
        assert!(
            v["available"].as_array().expect("steps").is_empty(),
            "nothing left for the head: {v}"
        );
        assert!(v["light"].is_null(), "a closed case runs no clock");
        // The unit's desk was told of the assignment; the ledger still verifies.
        let (s, inbox) = liaison.api(Method::GET, "/api/v1/inbox", None).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            inbox.to_string().contains("【交办】技改项目进度排查"),
            "{inbox}"
        );
        assert!(app.ledger_len().await > ledger);

        // The problem comes back: the office registers a recurrence linked to the closed case.
        let reopen = format!("/api/v1/cases/{id}/reopen");
        let (s, _) = head
            .api(Method::POST, &reopen, Some(json!({"note": "又有滞后"})))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = office
            .api(Method::POST, &reopen, Some(json!({"note": ""})))
            .await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a recurrence needs a reason"
        );
        let (s, v) = office
            .api(
                Method::POST,
                &reopen,
                Some(json!({"note": "12月又有3家滞后"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let new = v["id"].as_i64().expect("id");
        let (_, v) = office
            .api(Method::GET, &format!("/api/v1/cases/{new}"), None)
            .await;
        assert_eq!(v["case"]["facts"]["reopened_from"], id);
        assert_eq!(v["case"]["handling"]["state"], "registered");
        assert_eq!(
            state_of(&app, id).await,
            "closed_out",
            "the old case stays closed"
        );
    }
}

fn nine_thirty(day: jiff::civil::Date) -> jiff::Timestamp {
    day.at(9, 30, 0, 0)
        .to_zoned(jiff::tz::TimeZone::get("Asia/Shanghai").expect("tz"))
        .expect("instant")
        .timestamp()
}

async fn due_of(app: &TestApp, id: i64) -> jiff::civil::Date {
    let office = app.signed_in("dkb2").await;
    let (_, v) = office
        .api(Method::GET, &format!("/api/v1/cases/{id}"), None)
        .await;
    v["case"]["handling"]["due_on"]
        .as_str()
        .expect("due")
        .parse()
        .expect("date")
}

/// The steps taken on a case, in ladder order (steps that fell due together while a process
/// was down run side by side, so their order of taking is not fixed).
async fn steps_taken(app: &TestApp, id: i64) -> Vec<String> {
    let mut tx = app.store.begin_read().await.expect("tx");
    let mut steps: Vec<Step> =
        duban_store::cases::steps::list_steps(&mut tx, duban_core::cases::CaseId(id))
            .await
            .expect("steps")
            .into_iter()
            .filter_map(|s| Step::parse(&s.step))
            .collect();
    steps.sort();
    steps.iter().map(|s| s.as_str().to_string()).collect()
}

#[tokio::test]
async fn an_overdue_case_climbs_the_ladder_as_the_clock_moves() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let id = assigned_case(&app, "zjj", "3wd", "加装电梯限期开工").await;
        let due = due_of(&app, id).await;
        let mut tx = app.store.begin_read().await.expect("tx");
        let calendar = duban_store::calendar::load_calendar(&mut tx)
            .await
            .expect("calendar");
        drop(tx);
        let at: std::collections::HashMap<Step, jiff::civil::Date> =
            schedule(&Ladder::default(), due, &calendar)
                .expect("ladder")
                .into_iter()
                .collect();

        // The day after the deadline: the reminder and 催办 are due, nothing later. The
        // reminder "before the deadline" is not sent after it: only 催办 is taken.
        let t = nine_thirty(at[&Step::Urge]);
        duban_web::jobs::run_due(&app.state_at(t), t)
            .await
            .expect("jobs");
        assert_eq!(steps_taken(&app, id).await, ["urge"]);
        // Running again at the same moment takes nothing twice.
        duban_web::jobs::run_due(&app.state_at(t), t)
            .await
            .expect("jobs");
        assert_eq!(steps_taken(&app, id).await, ["urge"]);
        let t = nine_thirty(at[&Step::Notice]);
        duban_web::jobs::run_due(&app.state_at(t), t)
            .await
            .expect("jobs");
        assert_eq!(steps_taken(&app, id).await, ["urge", "notice"]);

        // The 催办通知书 and 督办单 are real .docx files, downloadable by those who see the case.
        let head = app.signed_in("zjj-head").await;
        let (_, v) = head
            .api(Method::GET, &format!("/api/v1/cases/{id}"), None)
            .await;
        let docs: Vec<i64> = v["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .filter_map(|s| s["document_id"].as_i64())
            .collect();
        assert_eq!(docs.len(), 2, "{v}");
        let res = head
            .get(&format!("/api/v1/cases/{id}/documents/{}", docs[1]))
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = res.bytes().await.expect("body");
        assert!(bytes.starts_with(b"PK"), "a zip (docx)");
        let text = String::from_utf8_lossy(&bytes).to_string();
        assert!(!text.is_empty());
        let outsider = app.signed_in("jxj-liaison").await;
        let res = outsider
            .get(&format!("/api/v1/cases/{id}/documents/{}", docs[1]))
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);

        // A process down from then until the interview is due wakes up to the bulletin and
        // the interview both overdue: only the highest rung speaks, once; the bulletin is
        // recorded as skipped and never sent.
        let t = nine_thirty(at[&Step::Interview]);
        duban_web::jobs::run_due(&app.state_at(t), t)
            .await
            .expect("jobs");
        duban_web::jobs::run_due(&app.state_at(t), t)
            .await
            .expect("jobs");
        assert_eq!(steps_taken(&app, id).await, ["urge", "notice", "interview"]);
        let skipped = count(
            &app,
            "SELECT COUNT(*) FROM case_steps WHERE case_id = $1 AND step = 'bulletin'
             AND skipped_for = 'interview'",
            id,
        )
        .await;
        assert_eq!(skipped, 1);
        let heard = count(
            &app,
            "SELECT COUNT(*) FROM notifications WHERE case_id = $1
             AND kind IN ('case.remind', 'case.bulletin', 'case.interview')
             AND person_id = (SELECT person_id FROM users WHERE username = 'zjj-head')",
            id,
        )
        .await;
        assert_eq!(heard, 1, "the head hears of the interview only");
        // Each step is on the timeline once, and the head was told of the 督办单.
        let (_, v) = head
            .api(Method::GET, &format!("/api/v1/cases/{id}"), None)
            .await;
        let ladder_events = v["events"]
            .as_array()
            .expect("events")
            .iter()
            .filter(|e| Step::parse(e["kind"].as_str().unwrap_or_default()).is_some())
            .count();
        assert_eq!(ladder_events, 3);
        let (_, inbox) = head.api(Method::GET, "/api/v1/inbox", None).await;
        assert!(
            inbox.to_string().contains("【督办单】加装电梯限期开工"),
            "{inbox}"
        );

        // Declared done, the case climbs no further: a later deadline's jobs find it off the
        // clock.
        let liaison = app.signed_in("zjj-liaison").await;
        step(&liaison, id, json!({"step": "acknowledge"})).await;
        let (s, _) = step(
            &head,
            id,
            json!({"step": "claim_done", "evidence": "已开工"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        let t = nine_thirty(at[&Step::Interview].saturating_add(jiff::Span::new().days(30)));
        duban_web::jobs::run_due(&app.state_at(t), t)
            .await
            .expect("jobs");
        assert_eq!(steps_taken(&app, id).await.len(), 3);
    }
}

#[tokio::test]
async fn two_processes_on_one_database_take_each_step_once() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let mut ids = Vec::new();
        for i in 0..8 {
            ids.push(assigned_case(&app, "zjj", "2wd", &format!("并发督办{i}")).await);
        }
        // A second process: its own pool on the same database.
        let second = duban_store::Store::connect(app.db_url(), 5)
            .await
            .expect("second pool");
        let t = crate::helpers::now() + jiff::SignedDuration::from_hours(24 * 60);
        let one = app.state_at(t);
        let two = duban_web::AppState::new(second, duban_web::WebConfig::default()).at(t);
        let (a, b) = tokio::join!(
            duban_web::jobs::run_due(&one, t),
            duban_web::jobs::run_due(&two, t)
        );
        let (a, b) = (a.expect("first"), b.expect("second"));
        if a.failed + b.failed + a.retried + b.retried > 0 {
            let mut tx = app.store.begin_read().await.expect("tx");
            let failed = duban_store::jobs::list_jobs(&mut tx, "failed", 20)
                .await
                .expect("jobs");
            let pending = duban_store::jobs::list_jobs(&mut tx, "pending", 50)
                .await
                .expect("jobs");
            let errors: Vec<String> = failed
                .iter()
                .chain(&pending)
                .map(|j| j.last_error.clone())
                .filter(|e| !e.is_empty())
                .collect();
            panic!("{backend}: {a:?} {b:?}: {errors:?}");
        }
        // Sixty days on, every rung is overdue at once: only the interview is taken (one
        // message, no documents), the others are recorded as skipped.
        for id in &ids {
            assert_eq!(
                steps_taken(&app, *id).await,
                ["interview"],
                "{backend}: case {id}"
            );
            let skipped = count(
                &app,
                "SELECT COUNT(*) FROM case_steps WHERE case_id = $1 AND skipped_for IS NOT NULL",
                *id,
            )
            .await;
            assert_eq!(skipped, 4, "{backend}: case {id}");
            let ladder_events = count(
                &app,
                "SELECT COUNT(*) FROM case_events WHERE case_id = $1
                 AND kind IN ('remind', 'urge', 'notice', 'bulletin', 'interview')",
                *id,
            )
            .await;
            assert_eq!(ladder_events, 1, "{backend}: one step on case {id}");
            let documents = count(
                &app,
                "SELECT COUNT(*) FROM case_documents WHERE case_id = $1",
                *id,
            )
            .await;
            assert_eq!(
                documents, 0,
                "{backend}: no late 催办 or 督办单 on case {id}"
            );
            let heard = count(
                &app,
                "SELECT COUNT(*) FROM notifications WHERE case_id = $1 AND kind LIKE 'case.%'
                 AND kind <> 'case.assign'
                 AND person_id = (SELECT person_id FROM users WHERE username = 'zjj-head')",
                *id,
            )
            .await;
            assert_eq!(
                heard, 1,
                "{backend}: the head hears once, of the interview, for case {id}"
            );
        }
    }
}

#[tokio::test]
async fn meeting_decisions_become_assigned_cases_or_nothing_is_written() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb2").await;
        let meetings_before = count(&app, "SELECT COUNT(*) FROM meetings WHERE id > $1", 0).await;
        let (s, v) = office
            .api(
                Method::POST,
                "/api/v1/meetings",
                Some(json!({"title": "周例会", "decisions": "加快交付 | 住建局 | 东城街道 | 10wd\n缺单位的一行 | | | 5wd"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let (s, v) = office
            .api(
                Method::POST,
                "/api/v1/meetings",
                Some(json!({"title": "周例会", "decisions": "加快交付 | 住建局 | 东城街道 | 10wd\n找不到的单位 | 火星局 | | 5wd"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM meetings WHERE id > $1", 0).await,
            meetings_before,
            "a refused meeting leaves nothing"
        );
        let (s, v) = office
            .api(
                Method::POST,
                "/api/v1/meetings",
                Some(json!({"kind": "daily", "title": "日会商", "decisions": "加快交付 | 住建局 | 东城街道 | 10wd\n清理欠款 | 财政局 | | 2026-12-31"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let cases: Vec<i64> = v["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .filter_map(Value::as_i64)
            .collect();
        assert_eq!(cases.len(), 2);
        for id in cases {
            assert_eq!(state_of(&app, id).await, "assigned");
        }
        let liaison = app.signed_in("zjj-liaison").await;
        let (s, _) = liaison
            .api(
                Method::POST,
                "/api/v1/meetings",
                Some(json!({"title": "x", "decisions": "a | 住建局 | | 5d"})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
}

fn problem(description: &str, unit: &str, deadline: &str) -> duban_docs::cases::ProblemRow {
    duban_docs::cases::ProblemRow {
        code: String::new(),
        source: "市委巡察".into(),
        found_on: None,
        description: description.into(),
        category: "整改".into(),
        lead_unit: unit.into(),
        co_units: vec![],
        leader: String::new(),
        measures: String::new(),
        deadline: deadline.into(),
        progress: String::new(),
        status: duban_docs::cases::ProblemStatus::NotStarted,
        evidence: String::new(),
        verifier: String::new(),
        closed_on: None,
    }
}

#[tokio::test]
async fn a_problem_list_imports_after_preview_all_or_nothing_and_exports_back() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb2").await;
        let cases_before = count(&app, "SELECT COUNT(*) FROM cases WHERE id > $1", 0).await;
        let bad = duban_docs::cases::write_problem_list_xlsx(
            "巡察反馈问题",
            &[
                problem("档案管理不规范", "住建局", "15日"),
                problem("资金拨付滞后", "火星局", "7个工作日"),
            ],
        )
        .expect("sheet");
        let (s, v) = office
            .api_bytes("/api/v1/case-imports?file_name=bad.xlsx", bad)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["problems"], 1, "{v}");
        assert!(
            v.to_string().contains("火星局"),
            "the row's unit is named: {v}"
        );
        let upload = v["upload_id"].as_i64().expect("upload");
        let (s, _) = office
            .api(
                Method::POST,
                &format!("/api/v1/case-imports/{upload}/commit"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM cases WHERE id > $1", 0).await,
            cases_before
        );

        let good = duban_docs::cases::write_problem_list_xlsx(
            "巡察反馈问题",
            &[
                problem("档案管理不规范", "住建局", "15日"),
                problem("资金拨付滞后", "财政局", "7个工作日"),
            ],
        )
        .expect("sheet");
        let (s, v) = office
            .api_bytes("/api/v1/case-imports?file_name=good.xlsx", good)
            .await;
        assert_eq!(
            (s, v["problems"].as_i64()),
            (StatusCode::OK, Some(0)),
            "{v}"
        );
        let upload = v["upload_id"].as_i64().expect("upload");
        let (s, v) = office
            .api(
                Method::POST,
                &format!("/api/v1/case-imports/{upload}/commit"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["cases"].as_array().map(Vec::len), Some(2));
        let (s, _) = office
            .api(
                Method::POST,
                &format!("/api/v1/case-imports/{upload}/commit"),
                None,
            )
            .await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a second commit is refused"
        );

        // The export reads back with the same problems, units and deadlines.
        let res = office.get("/api/v1/cases/export?source=inspection").await;
        assert_eq!(res.status(), StatusCode::OK);
        let sheet = duban_docs::cases::read_problem_list(&res.bytes().await.expect("bytes"))
            .expect("the export reads back");
        let mut rows: Vec<(String, String)> = sheet
            .rows
            .iter()
            .map(|r| (r.parsed.description.clone(), r.parsed.lead_unit.clone()))
            .collect();
        rows.sort();
        assert!(
            rows.contains(&("档案管理不规范".into(), "住建局".into())),
            "{rows:?}"
        );
        assert!(
            rows.contains(&("资金拨付滞后".into(), "财政局".into())),
            "{rows:?}"
        );
        let liaison = app.signed_in("zjj-liaison").await;
        let (s, _) = liaison
            .api(
                Method::POST,
                &format!("/api/v1/case-imports/{upload}/commit"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn the_demo_month_plays_the_whole_loop() {
    let app = TestApp::spawn("sqlite").await;
    let office = app.signed_in("dkb2").await;
    let (s, v) = office
        .api(Method::GET, "/api/v1/cases?per_page=50", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    let by_title = |t: &str| -> i64 {
        v["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|c| c["title"].as_str().is_some_and(|x| x.contains(t)))
            .and_then(|c| c["id"].as_i64())
            .unwrap_or_else(|| panic!("demo case {t}"))
    };
    let instruction = by_title("技改投资");
    let overdue = by_title("加装电梯");
    let returned = by_title("违章搭建");
    let deputy = by_title("遮雨棚");
    let deferred = by_title("雨污混接");
    let (_, c) = office
        .api(Method::GET, &format!("/api/v1/cases/{deferred}"), None)
        .await;
    assert_eq!(c["case"]["handling"]["state"], "deferred");
    assert_eq!(
        c["case"]["handling"]["report_due_on"], "2026-11-30",
        "deferred on 10-31: the monthly 续报 falls due a month later"
    );
    assert_eq!(state_of(&app, instruction).await, "closed_out");
    assert_eq!(
        steps_taken(&app, overdue).await,
        ["remind", "urge", "notice", "bulletin", "interview"]
    );
    let (_, c) = office
        .api(Method::GET, &format!("/api/v1/cases/{returned}"), None)
        .await;
    assert_eq!(c["case"]["lead_unit_name"], "东城街道");
    let kinds: Vec<&str> = c["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert!(
        kinds
            .windows(3)
            .any(|w| w == ["request_return", "approve_return", "assign"]),
        "{kinds:?}"
    );
    let (_, c) = office
        .api(Method::GET, &format!("/api/v1/cases/{deputy}"), None)
        .await;
    assert_eq!(c["case"]["handling"]["rating"], "basically_satisfied");
    // The deputy sees the case they raised, and nothing else.
    let d = app.signed_in("deputy1").await;
    let (_, mine) = d.api(Method::GET, "/api/v1/cases", None).await;
    assert_eq!(mine["total"], 1, "{mine}");
    let (s, _) = d
        .api(Method::GET, &format!("/api/v1/cases/{overdue}"), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_calendar_edit_moves_running_deadlines_kept_as_rules() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let id = assigned_case(&app, "jxj", "10wd", "按工作日计算的事项").await;
        let fixed = assigned_case(&app, "jxj", "2027-06-30", "固定日期的事项").await;
        let due = due_of(&app, id).await;
        let fixed_due = due_of(&app, fixed).await;
        // Make a working day inside the period a holiday: the deadline moves one working day.
        let mut tx = app.store.begin_read().await.expect("tx");
        let calendar = duban_store::calendar::load_calendar(&mut tx)
            .await
            .expect("calendar");
        drop(tx);
        let today = crate::helpers::today();
        let holiday = calendar.add_workdays(today, 3).expect("a working day");
        let admin = app.signed_in("admin").await;
        let res = admin
            .post_form(
                "/admin/calendar",
                &[
                    ("day", &holiday.to_string()),
                    ("kind", "holiday"),
                    ("name", "临时调休"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let moved = due_of(&app, id).await;
        assert_eq!(
            moved,
            calendar.add_workdays(due, 1).expect("next working day")
        );
        assert_eq!(
            due_of(&app, fixed).await,
            fixed_due,
            "a fixed date does not move"
        );
        let office = app.signed_in("dkb2").await;
        let (_, v) = office
            .api(Method::GET, &format!("/api/v1/cases/{id}"), None)
            .await;
        let last = v["events"]
            .as_array()
            .and_then(|e| e.last())
            .expect("events")
            .clone();
        assert_eq!(last["kind"], "redate", "{last}");
        assert!(
            last["data"]
                .as_str()
                .unwrap_or_default()
                .contains("calendar"),
            "{last}"
        );
    }
}

/// The assignment form forgives: after a refusal it comes back as typed, each problem beside
/// its field, an unmatched unit named with the closest one suggested; deadlines are taken as
/// people write them; nothing is written until it is right.
#[tokio::test]
async fn the_assignment_form_keeps_what_was_typed_and_names_what_it_could_not_match() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb2").await;
        let (s, v) = office
            .api(
                Method::POST,
                "/api/v1/cases",
                Some(json!({"source": "instruction", "title": "表单容错", "content": "批示内容"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let id = v["id"].as_i64().expect("id");
        let lead = app.unit_id("jxj").await.to_string();
        let before = events(&app, id).await;
        // 财攻局 is one character off 财政局; the deadline is fine.
        let res = office
            .post_form(
                &format!("/cases/{id}/steps"),
                &[
                    ("step", "assign"),
                    ("lead_unit_id", &lead),
                    ("co_units", "财攻局"),
                    ("deadline", "5个工作日"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{backend}");
        let page = res.text().await.expect("page");
        assert!(page.contains(r#"value="财攻局""#), "what was typed stays");
        assert!(page.contains(r#"value="5个工作日""#));
        assert!(
            page.contains(&format!(r#"<option value="{lead}" selected>"#)),
            "the chosen lead unit stays chosen"
        );
        assert!(
            page.contains(r#"id="a-co-error""#),
            "the problem stands beside its field"
        );
        assert!(
            page.contains("找不到名为“财攻局”的单位。是否是“财政局”？"),
            "named, and the closest suggested"
        );
        assert!(page.contains(r#"aria-invalid="true" aria-describedby="a-co-error""#));
        assert_eq!(events(&app, id).await, before, "{backend}: nothing written");
        assert_eq!(state_of(&app, id).await, "registered");

        // Written right, as people write deadlines: assigned.
        let res = office
            .post_form(
                &format!("/cases/{id}/steps"),
                &[
                    ("step", "assign"),
                    ("lead_unit_id", &lead),
                    ("co_units", "财政局"),
                    ("deadline", "5个工作日"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{backend}");
        assert_eq!(state_of(&app, id).await, "assigned");
    }
}
