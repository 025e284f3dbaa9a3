//! The year's working hours and report-in window of joint matters (吹哨报到) over HTTP on
//! both backends: the office sets them, a new joint matter's report-in deadline follows,
//! a matter raised before keeps its own, and a bad setting names its fields and writes
//! nothing. Only the office may read or set them.

use crate::helpers::{TestApp, backends};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PATH: &str = "/api/v1/joint/settings/2026";

fn local(v: &Value) -> jiff::civil::DateTime {
    jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M", v.as_str().expect("time")).expect("time")
}

/// Raises a joint matter for 东城街道 naming 住建局; returns (raised, due, window).
async fn raise(
    c: &crate::helpers::Client,
    title: &str,
) -> (jiff::civil::DateTime, jiff::civil::DateTime, i64) {
    let (s, v) = c
        .api(
            Method::POST,
            "/api/v1/joint",
            Some(json!({"title": title, "departments": "住建局"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().expect("id");
    let (s, v) = c
        .api(Method::GET, &format!("/api/v1/joint/{id}"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    (
        local(&v["raised_at"]),
        local(&v["units"][0]["report_due"]),
        v["report_in_hours"].as_i64().expect("window"),
    )
}

#[tokio::test]
async fn changing_the_window_moves_a_new_joint_matters_deadline_and_a_bad_setting_writes_nothing() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb2").await;
        let town = app.signed_in("town-dongcheng-liaison").await;

        // Never set: the standard day and 4 working hours.
        let (s, v) = office.api(Method::GET, PATH, None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["working_hours"], "08:30-12:00,13:30-17:30");
        assert_eq!(v["report_in_hours"], 4);
        assert_eq!(v["minutes_per_day"], 450);

        // Raised at about 10:00 on Wednesday 2026-11-25: 2 h before lunch, 2 h after 13:30.
        let (raised, due, window) = raise(&town, "金城路积水").await;
        assert_eq!(window, 4);
        assert_eq!(due, raised + jiff::Span::new().hours(5).minutes(30));

        // Only the office reads and sets them; nothing is written for anyone else.
        let head = app.signed_in("zjj-head").await;
        let admin = app.signed_in("admin").await;
        let ledger = app.ledger_len().await;
        let good = json!({"working_hours": "8:00–12:00，14:00–18:00", "report_in_hours": "3"});
        for (who, c) in [
            ("town-dongcheng-liaison", &town),
            ("zjj-head", &head),
            ("admin", &admin),
        ] {
            let (s, _) = c.api(Method::PUT, PATH, Some(good.clone())).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
            let (s, _) = c.api(Method::GET, PATH, None).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
        }
        assert_eq!(app.ledger_len().await, ledger);

        // Bad values: every field named, nothing written, the old setting in force.
        for (body, fields) in [
            (
                json!({"working_hours": "13:30-17:30,08:30-12:00", "report_in_hours": "0"}),
                vec![
                    ("working_hours", "working_hours_order"),
                    ("report_in_hours", "bad_report_in_hours"),
                ],
            ),
            (
                json!({"working_hours": "早上八点半到五点", "report_in_hours": "4"}),
                vec![("working_hours", "bad_working_hours")],
            ),
            (
                json!({"working_hours": "08:30-12:00", "report_in_hours": "41"}),
                vec![("report_in_hours", "bad_report_in_hours")],
            ),
        ] {
            let (s, v) = office.api(Method::PUT, PATH, Some(body.clone())).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v}");
            let named: Vec<(&str, &str)> = v["errors"]
                .as_array()
                .expect("errors")
                .iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or(""),
                        e["code"].as_str().unwrap_or(""),
                    )
                })
                .collect();
            assert_eq!(named, fields, "{body}: {v}");
            assert!(
                v["errors"][0]["detail"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
                "a message to show: {v}"
            );
        }
        assert_eq!(app.ledger_len().await, ledger, "nothing written");
        let (_, v) = office.api(Method::GET, PATH, None).await;
        assert_eq!(v["report_in_hours"], 4);

        // The page re-renders a bad form with its field's message, nothing saved.
        let page = office
            .post_form(
                "/joint/settings",
                &[
                    ("year", "2026"),
                    ("working_hours", "8点半"),
                    ("report_in_hours", "3"),
                ],
            )
            .await;
        let html = page.text().await.expect("page");
        assert!(html.contains("field-error"), "{html}");
        assert_eq!(
            app.ledger_len().await,
            ledger,
            "nothing written from the page"
        );

        // The office sets 08:00–12:00 and 14:00–18:00 with a 3-hour window, written loosely.
        let (s, v) = office.api(Method::PUT, PATH, Some(good)).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["working_hours"], "08:00-12:00,14:00-18:00");
        assert_eq!(v["report_in_hours"], 3);
        assert_eq!(app.ledger_len().await, ledger + 1, "one ledger entry");
        let page = office.get("/joint/settings?year=2026").await;
        assert_eq!(page.status(), StatusCode::OK);
        assert!(
            page.text()
                .await
                .expect("page")
                .contains("08:00-12:00,14:00-18:00")
        );

        // A new joint matter: 2 h before noon, 1 h after 14:00 — 5 h after it was raised.
        let (raised2, due2, window2) = raise(&town, "金城路下穿段排水").await;
        assert_eq!(window2, 3);
        assert_eq!(due2, raised2 + jiff::Span::new().hours(5));
        assert_ne!(due2.time(), due.time(), "the deadline moved");

        // The matter raised before keeps its deadline.
        let (_, l) = office
            .api(Method::GET, "/api/v1/joint?year=2026", None)
            .await;
        let first = l["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|j| j["title"] == "金城路积水")
            .cloned()
            .expect("the first matter");
        assert_eq!(local(&first["units"][0]["report_due"]), due);
    }
}
