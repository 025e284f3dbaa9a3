//! County and township as one (县乡一体, issue 19) over HTTP on both backends: the duty list
//! (search, keep, import with row and column named and nothing written on a problem, export),
//! the list's proposal on a case and a return against it, and a joint matter (吹哨报到) from
//! raising to rating, with a late report-in flagged by the job and every refused step writing
//! nothing.

use crate::helpers::{TestApp, backends, now};
use duban_core::duties::DutyText;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn duties(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM duties").await
}

fn sheet(rows: &[(&str, &str)]) -> Vec<u8> {
    let rows: Vec<DutyText> = rows
        .iter()
        .map(|(matter, dept)| DutyText {
            matter: matter.to_string(),
            field: "城市管理".into(),
            town_duty: "日常巡查、劝导、上报".into(),
            department_duty: "依法查处".into(),
            department: dept.to_string(),
            ..DutyText::default()
        })
        .collect();
    duban_docs::duties::write_duty_list_xlsx(&rows).expect("sheet")
}

#[tokio::test]
async fn the_office_keeps_the_duty_list_and_everyone_signed_in_searches_it() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb2").await;
        let before = duties(&app).await;
        let entry = json!({
            "matter": "餐饮油烟扰民", "field": "生态环境", "department": "生态环境分局",
            "town_duty": "发现、劝导、上报", "department_duty": "查处超标排放",
            "legal_basis": "《大气污染防治法》第八十一条", "valid_from": "2026-01-01"
        });
        // A unit's head may read the list but not keep it; nothing is written.
        let head = app.signed_in("zjj-head").await;
        let (s, _) = head
            .api(Method::POST, "/api/v1/duties", Some(entry.clone()))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(duties(&app).await, before);
        let (s, v) = office
            .api(Method::POST, "/api/v1/duties", Some(entry))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let id = v["id"].as_i64().expect("id");
        // Any Chinese words find it, for anyone signed in.
        let (s, v) = head
            .api(
                Method::GET,
                "/api/v1/duties?q=%E6%B2%B9%E7%83%9F%20%E5%8A%9D%E5%AF%BC",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let found: Vec<i64> = v["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|e| e["id"].as_i64().unwrap_or_default())
            .collect();
        assert!(found.contains(&id), "{v}");
        assert!(v["items"].as_array().expect("items").iter().all(|e| {
            e["matter"].as_str().unwrap_or("").contains("油烟")
                || e["town_duty"].as_str().unwrap_or("").contains("油烟")
                || e["department_duty"].as_str().unwrap_or("").contains("油烟")
        }));
        // An unknown department and a reversed validity: 422 naming both, nothing written.
        let (s, v) = office
            .api(
                Method::POST,
                "/api/v1/duties",
                Some(json!({"matter": "河道保洁", "department": "河道管理局",
                    "valid_from": "2026-12-01", "valid_to": "2026-01-01"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let text = v.to_string();
        assert!(
            text.contains("department") && text.contains("valid_to"),
            "{v}"
        );
        assert_eq!(duties(&app).await, before + 1);
        // The office edits it.
        let (s, v) = office
            .api(
                Method::PUT,
                &format!("/api/v1/duties/{id}"),
                Some(json!({"matter": "餐饮油烟扰民", "department": "生态环境分局", "field": "大气污染防治"})),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
        let (_, v) = head
            .api(Method::GET, &format!("/api/v1/duties/{id}"), None)
            .await;
        assert_eq!(v["field"], "大气污染防治");
        // The page lists it, and a deputy (signed in) may read it too.
        let page = app.signed_in("deputy1").await.get("/duties?q=油烟").await;
        assert_eq!(page.status(), StatusCode::OK);
        assert!(page.text().await.expect("page").contains("餐饮油烟扰民"));
    }
}

#[tokio::test]
async fn an_import_with_unknown_departments_names_row_and_column_and_writes_nothing() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb2").await;
        let before = duties(&app).await;
        let ledger = app.ledger_len().await;
        let bytes = sheet(&[
            ("违章建筑查处", "综合行政执法局"),
            ("道路养护", "公路养护局"),
            ("", "住建局"),
        ]);
        let (s, v) = office.api_bytes("/api/v1/duties/imports", bytes).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let problems = v["plan"]["problems"].as_array().expect("problems").clone();
        assert_eq!(problems.len(), 2, "{v}");
        assert_eq!(problems[0]["row"], 4, "banner, header, then row 3 is fine");
        assert_eq!(problems[0]["column"], "责任部门");
        assert!(
            problems[0]["zh"]
                .as_str()
                .unwrap_or("")
                .contains("公路养护局"),
            "{v}"
        );
        assert!(
            problems[0]["en"].as_str().unwrap_or("").contains("no unit"),
            "{v}"
        );
        assert_eq!(problems[1]["row"], 5);
        assert_eq!(problems[1]["column"], "事项名称");
        let upload = v["upload_id"].as_i64().expect("upload");
        let (s, v) = office
            .api(
                Method::POST,
                &format!("/api/v1/duties/imports/{upload}/commit"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v.to_string().contains("has_problems"), "{v}");
        assert_eq!(duties(&app).await, before, "all or nothing");
        assert_eq!(app.ledger_len().await, ledger);

        // A clean sheet is written whole; importing it again updates, never duplicates.
        let bytes = sheet(&[("违章建筑查处", "综合行政执法局"), ("道路养护", "住建局")]);
        let (s, v) = office
            .api_bytes("/api/v1/duties/imports", bytes.clone())
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["plan"]["creates"], 2, "{v}");
        let upload = v["upload_id"].as_i64().expect("upload");
        let (s, v) = office
            .api(
                Method::POST,
                &format!("/api/v1/duties/imports/{upload}/commit"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(duties(&app).await, before + 2);
        // Committing the same upload twice is refused.
        let (s, _) = office
            .api(
                Method::POST,
                &format!("/api/v1/duties/imports/{upload}/commit"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let (_, v) = office.api_bytes("/api/v1/duties/imports", bytes).await;
        assert_eq!(
            (v["plan"]["creates"].as_i64(), v["plan"]["updates"].as_i64()),
            (Some(0), Some(2))
        );
        // A unit cannot import.
        let (s, _) = app
            .signed_in("zjj-head")
            .await
            .api_bytes("/api/v1/duties/imports", sheet(&[("道路养护", "住建局")]))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // The export reads back as the list.
        let res = office.get("/api/v1/duties/export").await;
        assert_eq!(res.status(), StatusCode::OK);
        let read = duban_docs::duties::read_duty_list(&res.bytes().await.expect("bytes"))
            .expect("reads back");
        assert_eq!(read.rows.len() as i64, duties(&app).await);
        assert!(
            read.rows
                .iter()
                .any(|r| r.text.matter == "道路养护"
                    && r.text.department == "永康市住房和城乡建设局")
        );
    }
}

async fn state_of(app: &TestApp, id: i64) -> String {
    let (_, v) = app
        .signed_in("dkb2")
        .await
        .api(Method::GET, &format!("/api/v1/cases/{id}"), None)
        .await;
    v["case"]["handling"]["state"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[tokio::test]
async fn a_case_shows_its_duty_entries_and_a_return_against_the_list_needs_a_reason() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb2").await;
        let (s, v) = office
            .api(
                Method::POST,
                "/api/v1/duties",
                Some(json!({
                "matter": "油烟扰民", "department": "生态环境分局",
                "town_duty": "发现、劝导、上报", "department_duty": "查处超标排放"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let (s, v) = office
            .api(
                Method::POST,
                "/api/v1/cases",
                Some(json!({"source": "hotline",
                "title": "江南街道某烧烤店油烟扰民", "content": "居民多次投诉夜间油烟"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let id = v["id"].as_i64().expect("id");
        let sthj = app.unit_id("sthj").await;
        let (_, v) = office
            .api(Method::GET, &format!("/api/v1/cases/{id}"), None)
            .await;
        assert_eq!(v["duties"]["unit_id"], sthj, "{v}");
        assert_eq!(v["duties"]["entries"][0]["matter"], "油烟扰民");
        let (s, v) = office
            .api(
                Method::POST,
                &format!("/api/v1/cases/{id}/steps"),
                Some(json!({"step": "assign", "lead_unit_id": sthj, "deadline": "10wd"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let head = app.signed_in("sthj-head").await;
        let (s, v) = head
            .api(
                Method::POST,
                &format!("/api/v1/cases/{id}/steps"),
                Some(json!({"step": "request_return", "note": "属于属地管理，应由街道处理"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (_, v) = office
            .api(Method::GET, &format!("/api/v1/cases/{id}"), None)
            .await;
        assert_eq!(v["return_against_list"], true, "{v}");
        let ledger = app.ledger_len().await;
        let (s, v) = office
            .api(
                Method::POST,
                &format!("/api/v1/cases/{id}/steps"),
                Some(json!({"step": "approve_return"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v.to_string().contains("against_duty_list"), "{v}");
        assert_eq!(app.ledger_len().await, ledger, "nothing written");
        assert_eq!(state_of(&app, id).await, "return_requested");
        // The page shows the entry and asks for the reason.
        let page = office
            .get(&format!("/cases/{id}"))
            .await
            .text()
            .await
            .expect("page");
        assert!(page.contains("油烟扰民") && page.contains("override_reason"));
        let (s, v) = office
            .api(Method::POST, &format!("/api/v1/cases/{id}/steps"),
                Some(json!({"step": "approve_return", "override_reason": "涉及无证经营，转市场监管牵头"})))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["state"], "registered");
    }
}

async fn joint_get(c: &crate::helpers::Client, id: i64) -> Value {
    let (s, v) = c
        .api(Method::GET, &format!("/api/v1/joint/{id}"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

#[tokio::test]
async fn a_town_blows_the_whistle_departments_report_in_and_both_sides_rate() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let town = app.signed_in("town-dongcheng-liaison").await;
        let zjj = app.signed_in("zjj-liaison").await;
        let sthj = app.signed_in("sthj-liaison").await;
        // Bad input first: no department, an unknown one; a department cannot raise one.
        let (s, v) = town
            .api(
                Method::POST,
                "/api/v1/joint",
                Some(json!({"title": "老旧小区违建", "departments": "河道管理局"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let (s, v) = zjj
            .api(
                Method::POST,
                "/api/v1/joint",
                Some(json!({"title": "x", "departments": "综合行政执法局"})),
            )
            .await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a department is no town: {v}"
        );
        assert!(v.to_string().contains("not_a_town"), "{v}");
        // The demo's open joint matter has a department whose window ends today: settle the
        // demo's windows first (the job runner a day on), so the figures below change by this
        // matter alone.
        let later = now() + jiff::SignedDuration::from_hours(24);
        duban_web::jobs::run_due(&app.state_at(later), later)
            .await
            .expect("jobs");
        let office = app.signed_in("dkb2").await;
        let (_, before) = office
            .api(Method::GET, "/api/v1/joint/figures?year=2026", None)
            .await;
        let (s, v) = town
            .api(
                Method::POST,
                "/api/v1/joint",
                Some(json!({
                "title": "丽州花园小区违建及油烟整治", "content": "楼顶违建并有餐饮油烟",
                "departments": "住建局、综合行政执法局"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let id = v["id"].as_i64().expect("id");
        let v = joint_get(&town, id).await;
        // Raised at about 10:00 on Wednesday 2026-11-25 (the test clock runs on): the 4
        // working hours run past lunch (12:00–13:30) to 5 h 30 min later the same day.
        let at = |s: &Value| {
            jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M", s.as_str().expect("time"))
                .expect("time")
        };
        let raised = at(&v["raised_at"]);
        assert!(raised.hour() == 10 && raised.minute() < 30, "{v}");
        let due = at(&v["units"][0]["report_due"]);
        assert_eq!(due, raised + jiff::Span::new().hours(5).minutes(30), "{v}");
        assert_eq!(v["report_in_hours"], 4);

        // A department not named is refused, and nothing is written.
        let ledger = app.ledger_len().await;
        let sthj_person = app.person_id("sthj-liaison").await;
        let (s, v) = sthj
            .api(
                Method::POST,
                &format!("/api/v1/joint/{id}/report-in"),
                Some(json!({"handler_id": sthj_person})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        assert_eq!(app.ledger_len().await, ledger);

        // 住建局 reports in at once.
        let handler = app.person_id("zjj-liaison").await;
        let (s, v) = zjj
            .api(
                Method::POST,
                &format!("/api/v1/joint/{id}/report-in"),
                Some(json!({"handler_id": handler})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["late"], false);
        let (s, v) = zjj
            .api(
                Method::POST,
                &format!("/api/v1/joint/{id}/report-in"),
                Some(json!({"handler_id": handler})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "twice: {v}");

        // The window passes: the job flags 综合执法局 and takes the ladder's 催办 rung once.
        duban_web::jobs::run_due(&app.state_at(later), later)
            .await
            .expect("jobs");
        duban_web::jobs::run_due(&app.state_at(later), later)
            .await
            .expect("jobs");
        // (Counted on this matter: the demo's own joint matters have late report-ins too.)
        let mut tx = app.store.begin_read().await.expect("tx");
        let (flagged,): (i64,) = duban_store::sql(
            "SELECT COUNT(*) FROM joint_units WHERE case_id = $1 AND late AND flagged_at IS NOT NULL",
        )
        .bind(id)
        .fetch_one(&mut tx)
        .await
        .expect("count");
        assert_eq!(flagged, 1);
        let (urges,): (i64,) = duban_store::sql(
            "SELECT COUNT(*) FROM case_steps WHERE case_id = $1 AND step = 'urge'",
        )
        .bind(id)
        .fetch_one(&mut tx)
        .await
        .expect("count");
        drop(tx);
        assert_eq!(urges, 1);
        let v = joint_get(&town, id).await;
        let late: Vec<bool> = v["units"]
            .as_array()
            .expect("units")
            .iter()
            .map(|u| u["late"].as_bool().unwrap_or(false))
            .collect();
        assert_eq!(late.iter().filter(|l| **l).count(), 1, "{v}");

        // The town cannot close before every department reported in and fed back.
        let (s, v) = town
            .api(
                Method::POST,
                &format!("/api/v1/joint/{id}/close"),
                Some(json!({})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v.to_string().contains("joint_not_ready"), "{v}");

        // 综合执法局 reports in the next day, late, on a server whose clock says so.
        let base = app.server_at(later).await;
        let zhzf_later = app.signed_in_on(&base, "zhzf-liaison").await;
        // (A day later, expired sessions are cleared, among them the sessions opened this morning: sign in again.)
        let town = app.signed_in("town-dongcheng-liaison").await;
        let zjj = app.signed_in("zjj-liaison").await;
        let sthj = app.signed_in("sthj-liaison").await;
        let handler = app.person_id("zhzf-liaison").await;
        let (s, v) = zhzf_later
            .api(
                Method::POST,
                &format!("/api/v1/joint/{id}/report-in"),
                Some(json!({"handler_id": handler})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["late"], true);
        // Feedback before rating is refused; both give their feedback (their co-unit opinion).
        for c in [&zjj, &zhzf_later] {
            let (s, v) = c
                .api(
                    Method::POST,
                    &format!("/api/v1/joint/{id}/feedback"),
                    Some(json!({"note": "已现场核查，制定整改方案"})),
                )
                .await;
            assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
        }
        let (s, _) = town
            .api(Method::POST, &format!("/api/v1/joint/{id}/ratings/department"),
                Some(json!({"unit_id": app.unit_id("zjj").await, "speed": 5, "effect": 4, "attitude": 5})))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "not closed yet");
        let (s, v) = zjj
            .api(
                Method::POST,
                &format!("/api/v1/joint/{id}/close"),
                Some(json!({})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "a department does not close: {v}");
        let (s, v) = town
            .api(
                Method::POST,
                &format!("/api/v1/joint/{id}/close"),
                Some(json!({"note": "现场核验完毕"})),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
        assert_eq!(state_of(&app, id).await, "closed_out");

        // 块评条: the town rates each department once; the wrong side is refused.
        let zjj_id = app.unit_id("zjj").await;
        let rating = json!({"unit_id": zjj_id, "speed": 5, "effect": 4, "attitude": 5, "comment": "响应迅速"});
        let (s, v) = zjj
            .api(
                Method::POST,
                &format!("/api/v1/joint/{id}/ratings/department"),
                Some(rating.clone()),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        let (s, v) = town
            .api(
                Method::POST,
                &format!("/api/v1/joint/{id}/ratings/department"),
                Some(json!({"unit_id": zjj_id, "speed": 6, "effect": 0})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let text = v.to_string();
        assert!(
            text.contains("speed") && text.contains("effect") && text.contains("attitude"),
            "{v}"
        );
        let (s, v) = town
            .api(
                Method::POST,
                &format!("/api/v1/joint/{id}/ratings/department"),
                Some(rating.clone()),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
        let ledger = app.ledger_len().await;
        let (s, v) = town
            .api(
                Method::POST,
                &format!("/api/v1/joint/{id}/ratings/department"),
                Some(rating),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v.to_string().contains("already_rated"), "{v}");
        assert_eq!(app.ledger_len().await, ledger);
        let (s, _) = town
            .api(Method::POST, &format!("/api/v1/joint/{id}/ratings/department"),
                Some(json!({"unit_id": app.unit_id("zhzf").await, "speed": 2, "effect": 3, "attitude": 3})))
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        // 条评块: a department rates the town once; the town may not rate itself.
        let (s, _) = town
            .api(
                Method::POST,
                &format!("/api/v1/joint/{id}/ratings/town"),
                Some(json!({"coordination": 5})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, v) = zjj
            .api(
                Method::POST,
                &format!("/api/v1/joint/{id}/ratings/town"),
                Some(json!({"coordination": 4, "comment": "协调到位"})),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
        let (s, _) = zjj
            .api(
                Method::POST,
                &format!("/api/v1/joint/{id}/ratings/town"),
                Some(json!({"coordination": 5})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

        // The office's matrix (over the demo's joint matters too): this matter counted in
        // each of its cells, the late report-in in 综合执法局's.
        let office = app.signed_in("dkb2").await;
        let (s, f) = office
            .api(Method::GET, "/api/v1/joint/figures?year=2026", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{f}");
        let dongcheng = app.unit_id("town-dongcheng").await;
        let zhzf_id = app.unit_id("zhzf").await;
        let cell = |f: &Value, dept: i64| -> (i64, i64) {
            f["cells"]
                .as_array()
                .expect("cells")
                .iter()
                .find(|c| c["town_id"] == dongcheng && c["unit_id"] == dept)
                .map_or((0, 0), |c| {
                    (
                        c["matters"].as_i64().unwrap_or(0),
                        c["late"].as_i64().unwrap_or(0),
                    )
                })
        };
        let (m0, l0) = cell(&before, zhzf_id);
        assert_eq!(cell(&f, zhzf_id), (m0 + 1, l0 + 1), "{f}");
        let (m0, l0) = cell(&before, zjj_id);
        assert_eq!(cell(&f, zjj_id), (m0 + 1, l0), "{f}");
        let dept = |f: &Value, id: i64| -> Value {
            f["departments"]
                .as_array()
                .expect("departments")
                .iter()
                .find(|d| d["unit_id"] == id)
                .cloned()
                .unwrap_or(Value::Null)
        };
        let (b, a) = (dept(&before, zjj_id), dept(&f, zjj_id));
        assert_eq!(
            a["reported_in"].as_i64(),
            Some(b["reported_in"].as_i64().unwrap_or(0) + 1)
        );
        assert_eq!(a["late"].as_i64(), Some(b["late"].as_i64().unwrap_or(0)));
        assert!(a["speed"].as_f64().is_some());
        let town_row = f["towns"]
            .as_array()
            .expect("towns")
            .iter()
            .find(|t| t["unit_id"] == dongcheng)
            .cloned()
            .expect("town");
        assert!(town_row["coordination"].as_f64().is_some(), "{f}");
        // A department sees only what names it; the matrix page and export answer.
        let (_, f) = sthj
            .api(Method::GET, "/api/v1/joint/figures?year=2026", None)
            .await;
        assert!(
            f["cells"]
                .as_array()
                .expect("cells")
                .iter()
                .all(|c| c["unit_id"] != zhzf_id),
            "{f}"
        );
        let (_, l) = sthj.api(Method::GET, "/api/v1/joint", None).await;
        assert!(
            l["items"]
                .as_array()
                .expect("items")
                .iter()
                .all(|j| j["case_id"] != id)
        );
        let page = office.get("/joint/figures?year=2026").await;
        assert_eq!(page.status(), StatusCode::OK);
        assert!(page.text().await.expect("page").contains("东城街道"));
        let res = office.get("/api/v1/joint/figures/export?year=2026").await;
        assert_eq!(res.status(), StatusCode::OK);
        let page = town.get(&format!("/joint/{id}")).await;
        assert_eq!(page.status(), StatusCode::OK);
    }
}
