//! Edges that hold: text with NUL, control or bidi-override characters is refused naming the
//! field, on both backends, in bodies, forms and query strings, and nothing is written; dates
//! stay in sensible years; a unit cannot be placed under itself or an unknown parent.

use crate::helpers::{TestApp, backends};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn first_error(v: &Value) -> (String, String) {
    (
        v["errors"][0]["field"].as_str().unwrap_or("").to_string(),
        v["errors"][0]["code"].as_str().unwrap_or("").to_string(),
    )
}

#[tokio::test]
async fn nul_control_and_bidi_characters_are_refused_naming_the_field_and_write_nothing() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let liaison = app.signed_in("jxj-liaison").await;
        let (_, plan) = liaison
            .api(Method::GET, "/api/v1/plan?year=2026", None)
            .await;
        let campaign = plan["campaigns"][0]["id"].as_i64().expect("a campaign");
        let before = app.ledger_len().await;
        let task = |title: &str, indicator: &str| {
            json!({"year": 2026, "title": title, "list_kind": "work", "campaign_id": campaign,
                   "due_date": "2026-12-31",
                   "indicators": [{"name": indicator, "unit": "个", "target": 5.0}]})
        };
        for (body, want) in [
            (task("道路\u{0}建设", "开工"), ("title", "text_nul")),
            (
                task("道路建设", "开工\u{7}"),
                ("indicators[0].name", "text_control"),
            ),
            (task("道路\u{202E}设建", "开工"), ("title", "text_bidi")),
        ] {
            let (s, problem) = liaison.api(Method::POST, "/api/v1/tasks", Some(body)).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{backend}: {problem}");
            assert_eq!(
                first_error(&problem),
                (want.0.to_string(), want.1.to_string()),
                "{backend}: {problem}"
            );
        }
        // Newlines and tabs are text; the same task without the bad characters is saved.
        let (s, saved) = liaison
            .api(
                Method::POST,
                "/api/v1/tasks",
                Some(task("道路建设\t二期", "开工")),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{backend}: {saved}");
        assert_eq!(app.ledger_len().await, before + 1, "{backend}");

        // A page form: the error page names the field, in the visitor's language.
        let office = app.signed_in("dkb2").await;
        let cases_before = app.count("SELECT COUNT(*) FROM cases").await;
        let res = office
            .post_form(
                "/cases",
                &[("title", "路灯\u{1b}[31m不亮"), ("source", "inspection")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{backend}");
        let page = res.text().await.expect("page");
        assert!(
            page.contains("控制字符") && page.contains("<code>title</code>"),
            "{page}"
        );

        // Query strings: 400 problem on the API, the error page on a page.
        let (s, problem) = office.api(Method::GET, "/api/v1/tasks?q=%00", None).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{backend}: {problem}");
        assert_eq!(
            first_error(&problem),
            ("q".to_string(), "text_nul".to_string())
        );
        let res = office.get("/search?q=%E2%80%AE").await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{backend}");
        assert!(res.text().await.expect("page").contains("<code>q</code>"));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM cases").await,
            cases_before,
            "{backend}: no case registered"
        );
    }
}

#[tokio::test]
async fn a_year_zero_is_refused_and_a_unit_cannot_become_its_own_ancestor() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let liaison = app.signed_in("jxj-liaison").await;
        let (s, problem) = liaison
            .api(
                Method::POST,
                "/api/v1/tasks",
                Some(json!({"year": 0, "title": "零年任务", "list_kind": "work", "due_date": "0000-06-30"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{backend}: {problem}");
        assert!(
            problem["errors"]
                .as_array()
                .expect("errors")
                .iter()
                .any(|e| e["field"] == "year" && e["code"] == "date_out_of_range"),
            "{backend}: {problem}"
        );

        let admin = app.signed_in("admin").await;
        let unit = |code: &str, parent: Option<i64>| json!({"code": code, "name": format!("测试{code}"), "kind": "department", "parent_id": parent});
        let (s, a) = admin
            .api(Method::POST, "/api/v1/units", Some(unit("ua", None)))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        let a = a["id"].as_i64().expect("id");
        let (s, b) = admin
            .api(Method::POST, "/api/v1/units", Some(unit("ub", Some(a))))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let b = b["id"].as_i64().expect("id");
        let before = app.ledger_len().await;
        for (parent, code) in [
            (b, "parent_cycle"),
            (a, "self_parent"),
            (999_999, "not_found_ref"),
        ] {
            let (s, problem) = admin
                .api(
                    Method::PUT,
                    &format!("/api/v1/units/{a}"),
                    Some(unit("ua", Some(parent))),
                )
                .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{backend}: {problem}");
            assert_eq!(
                first_error(&problem),
                ("parent_id".to_string(), code.to_string()),
                "{backend}"
            );
        }
        assert_eq!(app.ledger_len().await, before, "{backend}");
    }
}
