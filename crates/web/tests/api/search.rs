//! Search over HTTP on the demo city: a liaison finds a task of their unit by a few characters
//! from the middle of its title, never a task they may not open (which the office finds with
//! the same words); matches come back marked; an empty query is a 400 naming `q`.

use crate::helpers::{Client, TestApp, backends};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// Every page of hits for a query string.
async fn all_hits(c: &Client, query: &[(&str, &str)]) -> Vec<Value> {
    let mut hits = Vec::new();
    for page in 1.. {
        let mut pairs = query.to_vec();
        let page = page.to_string();
        pairs.push(("page", &page));
        let qs = serde_urlencoded::to_string(&pairs).expect("query string");
        let (status, body) = c
            .api(Method::GET, &format!("/api/v1/search?{qs}"), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let items = body["items"].as_array().expect("items").clone();
        if items.is_empty() {
            break;
        }
        hits.extend(items);
    }
    hits
}

fn ids_of(hits: &[Value], kind: &str) -> Vec<i64> {
    hits.iter()
        .filter(|h| h["kind"] == kind)
        .map(|h| h["id"].as_i64().expect("id"))
        .collect()
}

async fn title(c: &Client, id: i64) -> String {
    let (status, body) = c
        .api(Method::GET, &format!("/api/v1/tasks/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["task"]["fields"]["title"]
        .as_str()
        .expect("title")
        .to_string()
}

/// Four characters from the middle of a title (a word inside Chinese text, no spaces).
fn inner_word(title: &str) -> String {
    let chars: Vec<char> = title.chars().collect();
    assert!(chars.len() >= 5, "a demo title long enough: {title}");
    chars[1..5].iter().collect()
}

#[tokio::test]
async fn a_liaison_finds_their_units_tasks_and_never_another_units() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let liaison = app.signed_in("jxj-liaison").await;
        let office = app.signed_in("dkb").await;

        // Their own unit's task, by a word from inside its title, marked in the title.
        let own = app.first_task_of("jxj").await;
        let word = inner_word(&title(&liaison, own).await);
        let hits = all_hits(&liaison, &[("q", &word), ("kind", "task")]).await;
        let hit = hits
            .iter()
            .find(|h| h["id"] == own)
            .unwrap_or_else(|| panic!("{word} finds task {own}: {hits:?}"));
        assert!(
            hit["title_html"]
                .as_str()
                .expect("html")
                .contains(&format!("<mark>{word}</mark>")),
            "{hit}"
        );
        // The API pages as the lists do.
        let qs = serde_urlencoded::to_string([("q", word.as_str()), ("per_page", "1")])
            .expect("query string");
        let (status, body) = liaison
            .api(Method::GET, &format!("/api/v1/search?{qs}"), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["items"].as_array().map(Vec::len), Some(1), "{body}");
        assert_eq!(body["per_page"], 1);
        assert!(body["total"].as_i64() >= Some(1));
        // Everything found is something the liaison may open.
        for id in ids_of(&hits, "task") {
            let (s, _) = liaison
                .api(Method::GET, &format!("/api/v1/tasks/{id}"), None)
                .await;
            assert_eq!(s, StatusCode::OK, "task {id} for {word}");
        }

        // A task of another unit that the liaison may not open: the office finds it by the
        // same words, the liaison does not.
        let candidates: Vec<(i64,)> = {
            let mut tx = app.store.begin_read().await.expect("tx");
            duban_store::sql(
                "SELECT t.id FROM tasks t JOIN units u ON u.id = t.lead_unit_id
                 WHERE u.code <> 'jxj' AND t.parent_id IS NULL ORDER BY t.id LIMIT 40",
            )
            .fetch_all(&mut tx)
            .await
            .expect("tasks")
        };
        let mut other = None;
        for (id,) in candidates {
            let (s, _) = liaison
                .api(Method::GET, &format!("/api/v1/tasks/{id}"), None)
                .await;
            if s == StatusCode::FORBIDDEN {
                other = Some(id);
                break;
            }
        }
        let other = other.expect("some unit's task is outside the liaison's scope");
        let word = inner_word(&title(&office, other).await);
        let by_office = all_hits(&office, &[("q", &word)]).await;
        assert!(ids_of(&by_office, "task").contains(&other), "{word}");
        let by_liaison = all_hits(&liaison, &[("q", &word)]).await;
        assert!(
            !ids_of(&by_liaison, "task").contains(&other),
            "{word}: {by_liaison:?}"
        );
        assert!(by_liaison.len() < by_office.len());

        // No words: a 400 problem naming `q`.
        let (status, body) = liaison
            .api(Method::GET, "/api/v1/search?q=%20%E3%80%80", None)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["errors"][0]["field"], "q", "{body}");

        // The page renders the same hits, marked, for a phone as for a desk.
        let res = liaison
            .get(&format!(
                "/search?{}",
                serde_urlencoded::to_string([("q", word.as_str())]).expect("qs")
            ))
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.expect("html");
        assert!(html.contains("action=\"/search\""), "the header box");
        assert!(!html.contains(&format!("/lists/tasks/{other}\"")), "{word}");
    }
}

#[tokio::test]
async fn a_deputy_finds_no_tasks() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb").await;
        let deputy = app.signed_in("deputy6").await;
        let task = app.first_task_of("jxj").await;
        let word = inner_word(&title(&office, task).await);
        assert!(!all_hits(&office, &[("q", &word)]).await.is_empty());
        let hits = all_hits(&deputy, &[("q", &word)]).await;
        assert!(hits.iter().all(|h| h["kind"] == "case"), "{word}: {hits:?}");
    }
}
