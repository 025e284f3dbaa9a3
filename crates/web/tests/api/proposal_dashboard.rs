//! The dashboard shows the session's key proposal rates beside the lights (按时办复率, 满意率,
//! 解决率, 一把手参与率, 未评价), and every number on it opens exactly that many items.

use crate::helpers::{Client, TestApp, backends};
use reqwest::{Method, StatusCode};

/// Every `(query string, number)` link of the rates block on a dashboard page.
fn numbered_links(html: &str) -> Vec<(String, u64)> {
    let start = html.find("props-beside").expect("the rates block");
    let block = &html[start..];
    let block = &block[..block.find("</section>").expect("its end")];
    let mut out = Vec::new();
    let mut rest = block;
    let open = "<a href=\"/proposals/rates/items?";
    let open_rate = "<a class=\"rate\" href=\"/proposals/rates/items?";
    loop {
        let (at, len) = match (rest.find(open), rest.find(open_rate)) {
            (Some(a), Some(b)) if b < a => (b, open_rate.len()),
            (Some(a), _) => (a, open.len()),
            (None, Some(b)) => (b, open_rate.len()),
            (None, None) => break,
        };
        rest = &rest[at + len..];
        let qs_end = rest.find('"').expect("href end");
        let qs = rest[..qs_end].replace("&amp;", "&").replace("&#38;", "&");
        let text_start = rest.find('>').expect("tag end") + 1;
        let text_end = rest.find("</a>").expect("link end");
        let text = rest[text_start..text_end]
            .replace("<strong>", "")
            .replace("</strong>", "");
        if let Ok(n) = text.trim().parse::<u64>() {
            out.push((qs, n));
        }
        rest = &rest[text_end..];
    }
    out
}

async fn check(c: &Client, path: &str, backend: &str) -> u64 {
    let res = c.get(path).await;
    assert_eq!(res.status(), StatusCode::OK, "{backend} {path}");
    let html = res.text().await.unwrap();
    let links = numbered_links(&html);
    // Four rates with their numerator and denominator, and the unrated count.
    assert_eq!(links.len(), 9, "{backend} {path}: {links:?}");
    for m in ["on_time", "satisfied", "solved_a", "head", "unrated"] {
        assert!(
            html.contains(&format!("data-measure=\"{m}\"")),
            "{backend} {path}: {m}"
        );
    }
    let mut total = 0;
    for (qs, n) in links {
        let (s, v) = c
            .api(
                Method::GET,
                &format!("/api/v1/proposals/rates/items?{qs}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{backend} {qs}: {v}");
        let rows = v.as_array().expect("rows").len() as u64;
        assert_eq!(rows, n, "{backend} {path}: {qs} shows {n}, lists {rows}");
        // The page behind the link answers too.
        let page = c.get(&format!("/proposals/rates/items?{qs}")).await;
        assert_eq!(page.status(), StatusCode::OK, "{backend} {qs}");
        total += n;
    }
    total
}

#[tokio::test]
async fn the_dashboard_shows_the_proposal_rates_and_each_number_opens_that_many_items() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb2").await;
        assert!(
            check(&office, "/dashboard", backend).await > 0,
            "{backend}: the demo's rates are not all zero"
        );
        let unit = app.unit_id("jxj").await;
        let path = format!("/dashboard?unit={unit}");
        check(&office, &path, backend).await;
        let html = office.get(&path).await.text().await.unwrap();
        assert!(html.contains(&format!("unit_id={unit}")), "{backend}");
        // A leader reads them on the city dashboard too.
        let leader = app.signed_in("shizhang").await;
        check(&leader, "/dashboard", backend).await;
        // A unit head: their own unit's items.
        let head = app.signed_in("jxj-head").await;
        check(&head, "/dashboard", backend).await;
        // Deputies never see the rates.
        let deputy = app.signed_in("deputy1").await;
        let res = deputy.get("/dashboard").await;
        if res.status() == StatusCode::OK {
            assert!(
                !res.text().await.unwrap().contains("props-beside"),
                "{backend}"
            );
        }
    }
}
