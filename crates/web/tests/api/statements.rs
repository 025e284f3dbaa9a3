//! The hot pages and lists ask the database a fixed number of questions, whatever the number
//! of rows they show: each response reports the statements it sent (`Server-Timing:
//! db;desc="N statements"`), and a list's count is the same for a page of 5 rows and of 50 —
//! one question per row (an "N+1" pattern) would add 45 — and under a bound. On PostgreSQL
//! each statement is a round trip, so this is what keeps it near SQLite.

use crate::helpers::{Client, TestApp, backends};

/// The statements a GET sent, and its body.
async fn statements(c: &Client, path: &str) -> (u32, String) {
    let r = c.get(path).await;
    assert!(r.status().is_success(), "{path}: {}", r.status());
    let timing = r
        .headers()
        .get("server-timing")
        .unwrap_or_else(|| panic!("{path}: no Server-Timing"))
        .to_str()
        .expect("ascii")
        .to_string();
    let n = timing
        .strip_prefix("db;desc=\"")
        .and_then(|t| t.strip_suffix(" statements\""))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{path}: Server-Timing {timing}"));
    (n, r.text().await.expect("body"))
}

/// The number of items of a JSON page.
fn items(body: &str) -> usize {
    let v: serde_json::Value = serde_json::from_str(body).expect("json");
    v["items"].as_array().map_or(0, Vec::len)
}

/// Most statements any of these requests may send (sign-in included).
const BOUND: u32 = 30;

#[tokio::test]
async fn hot_pages_ask_a_fixed_number_of_questions_whatever_their_rows() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb").await;
        for list in [
            "/api/v1/tasks?",
            "/api/v1/tasks?due=open&sort=due&",
            "/api/v1/tasks?sort=light&",
            "/api/v1/search?q=%E6%8E%A8%E8%BF%9B&",
            "/api/v1/search?q=%E6%8E%A8%E8%BF%9B&kind=report&",
            "/api/v1/cases?",
            "/api/v1/proposals?",
        ] {
            let (few, small) = statements(&office, &format!("{list}per_page=5")).await;
            let (many, large) = statements(&office, &format!("{list}per_page=50")).await;
            assert!(
                items(&large) > items(&small),
                "{backend} {list}: the demo has more than 5 rows ({} and {})",
                items(&small),
                items(&large)
            );
            assert_eq!(
                few, many,
                "{backend} {list}: {few} statements for 5 rows, {many} for 50"
            );
            assert!(many <= BOUND, "{backend} {list}: {many} statements");
        }
        for page in [
            "/dashboard",
            "/api/v1/dashboard",
            "/lists",
            "/lists?due=overdue&sort=due",
            "/search?q=%E6%8E%A8%E8%BF%9B",
            "/cases",
            "/proposals",
            "/api/v1/reports",
            "/api/v1/commitments",
        ] {
            let (n, _) = statements(&office, page).await;
            assert!(n <= BOUND, "{backend} {page}: {n} statements");
        }
        // A unit's dashboard and the same list for a unit's liaison, in their scope.
        let liaison = app.signed_in("jxj-liaison").await;
        let (few, _) = statements(&liaison, "/api/v1/tasks?per_page=5").await;
        let (many, _) = statements(&liaison, "/api/v1/tasks?per_page=50").await;
        assert_eq!(few, many, "{backend}: a liaison's list");
        let (n, _) = statements(&liaison, "/dashboard").await;
        assert!(
            n <= BOUND,
            "{backend}: a liaison's dashboard, {n} statements"
        );
    }
}
