//! The clock: a server pinned for a demo or a test says so on every page and takes its "today"
//! from the pin, not from the day the test runs.

use crate::helpers::{TestApp, backends, today};
use duban_web::WebConfig;
use reqwest::{Method, StatusCode};

async fn text(c: &crate::helpers::Client, path: &str) -> String {
    let res = c.get(path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.expect("body")
}

#[tokio::test]
async fn every_page_says_the_clock_is_pinned_and_shows_the_pinned_day() {
    let app = TestApp::spawn("sqlite").await;
    let anonymous = app.client();
    let day = today().to_string();
    for path in ["/login", "/public", "/public/commitments"] {
        let page = text(&anonymous, path).await;
        assert!(
            page.contains("演示时钟") && page.contains(&day),
            "{path}: {page}"
        );
    }
    let office = app.signed_in("dkb2").await;
    for path in ["/", "/reports", "/dashboard", "/cases"] {
        let page = text(&office, path).await;
        assert!(page.contains("演示时钟") && page.contains(&day), "{path}");
    }
    office.get("/lang/en?next=/").await;
    let page = text(&office, "/").await;
    assert!(page.contains("Demo clock: today is") && page.contains(&day));
}

#[tokio::test]
async fn a_server_pinned_to_another_day_lives_on_that_day() {
    for backend in backends() {
        // New Year's Day 2027, 09:00 in Shanghai: the demo's 2026 is last year.
        let pin: jiff::Timestamp = "2027-01-01T01:00:00Z".parse().expect("instant");
        let app = TestApp::spawn_with(
            backend,
            WebConfig {
                pinned_clock: Some(pin),
                ..WebConfig::default()
            },
        )
        .await;
        let office = app.signed_in("dkb2").await;
        let page = text(&office, "/").await;
        assert!(page.contains("2027-01-01"), "{page}");
        // Lists default to the pinned year, which has no tasks yet; 2026 still has them.
        let (s, this_year) = office.api(Method::GET, "/api/v1/tasks", None).await;
        assert_eq!(s, StatusCode::OK, "{this_year}");
        let (s, last_year) = office
            .api(Method::GET, "/api/v1/tasks?year=2026", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{last_year}");
        let count = |v: &serde_json::Value| v["total"].as_i64().unwrap_or(-1);
        assert_eq!(count(&this_year), 0, "{backend}: {this_year}");
        assert!(count(&last_year) > 0, "{backend}: {last_year}");
    }
}
