//! Suggestions and proposals on screen, on the demo's session: the office reads the list and
//! the rates, and each number of the rates page is exactly the rows of its drill-down; a
//! deputy sees the replies to rate on their start page, opens their own items, reads a reply
//! and rates it 不满意 with a comment, and the item is back with the unit; other deputies and
//! the wrong roles are refused; the reply letter and the summary download.

use crate::helpers::{Client, TestApp, backends};
use reqwest::{Method, StatusCode};

async fn page(c: &Client, path: &str) -> (StatusCode, String) {
    let res = c.get(path).await;
    let status = res.status();
    (status, res.text().await.expect("body"))
}

/// The number after `marker="` in a page (the rates page marks its links' counts).
fn marked(html: &str, anchor: &str, marker: &str) -> u64 {
    let at = html
        .find(anchor)
        .unwrap_or_else(|| panic!("{anchor} on the page"));
    let rest = &html[at..];
    let from = rest.find(marker).expect("marker") + marker.len();
    rest[from..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .expect("a number")
}

#[tokio::test]
async fn the_office_drills_into_each_rate_and_a_deputy_rates_a_reply_from_their_home_page() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb2").await;

        // The list, with its counts by state, and the overdue filter.
        let (s, html) = page(&office, "/proposals").await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("建议提案办理"), "{html}");
        assert!(html.contains("办结"), "the closed items are counted");
        let (s, html) = page(&office, "/proposals?overdue=true").await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.matches("<li class=\"task\">").count() >= 6, "{html}");

        // Each number on the rates page is the length of its list.
        let (s, rates) = page(&office, "/proposals/rates?year=2026").await;
        assert_eq!(s, StatusCode::OK);
        for label in [
            "按时办复率",
            "满意率（含基本满意）",
            "初次满意率",
            "解决率（A+B类）",
            "一把手参与率",
            "续报率",
        ] {
            assert!(rates.contains(label), "{label}");
        }
        for measure in [
            "satisfied",
            "on_time",
            "unrated",
            "three_contacts",
            "followed_up",
        ] {
            let anchor = format!("id=\"rate-{measure}\"");
            for (part, marker) in [("num", "data-num=\""), ("den", "data-den=\"")] {
                let n = marked(&rates, &anchor, marker);
                assert!(n > 0, "{measure} {part} shows a number");
                let (s, list) = page(
                    &office,
                    &format!("/proposals/rates/items?measure={measure}&part={part}&year=2026"),
                )
                .await;
                assert_eq!(s, StatusCode::OK);
                assert_eq!(
                    list.matches("<li class=\"task\">").count() as u64,
                    n,
                    "{measure} {part}"
                );
                assert_eq!(marked(&list, "id=\"drill-count\"", ">"), n);
            }
        }

        // A deputy's home: their own items; they read a reply still unrated and rate it.
        let deputy = app.signed_in("deputy1").await;
        let (s, _) = page(&deputy, "/proposals/rates").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "deputies do not see the rates");
        let (s, home) = page(&deputy, "/proposals/mine").await;
        assert_eq!(s, StatusCode::OK);
        assert!(home.contains("我的建议提案"), "{home}");
        let (_, start) = page(&deputy, "/").await;
        assert!(start.contains("待评价的建议提案答复"), "{start}");
        let (_, v) = deputy
            .api(
                Method::GET,
                "/api/v1/proposals?mine=true&state=replied&per_page=200",
                None,
            )
            .await;
        let me = "deputy1";
        let name = {
            let (_, p) = deputy.api(Method::GET, "/api/v1/me", None).await;
            p["name"].as_str().unwrap_or(me).to_string()
        };
        let id = v["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["proposer_name"] == name.as_str())
            .and_then(|i| i["id"].as_i64())
            .expect("deputy1 leads a replied, unrated item");
        let (s, item) = page(&deputy, &format!("/proposals/{id}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            item.contains("未评价") && item.contains("评价答复"),
            "{item}"
        );
        let res = deputy
            .post_form(
                &format!("/proposals/{id}/steps"),
                &[
                    ("step", "rate"),
                    ("rating", "dissatisfied"),
                    ("note", "答复未解决实际问题"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (_, item) = page(&deputy, &format!("/proposals/{id}")).await;
        assert!(item.contains("不满意重办") && item.contains("答复未解决实际问题"));
        // Not their item: another deputy and a unit outside it are refused.
        let (s, _) = page(&app.signed_in("deputy4").await, &format!("/proposals/{id}")).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = page(&deputy, "/proposals/999999").await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        // The reply letter and the summary download, on the page and over the API.
        for path in [
            format!("/proposals/{id}/reply.docx"),
            format!("/proposals/{id}/feedback.docx"),
            format!("/api/v1/proposals/{id}/reply.docx"),
            "/proposals/summary.xlsx".to_string(),
        ] {
            let res = office.get(&path).await;
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            let bytes = res.bytes().await.expect("bytes");
            assert!(bytes.starts_with(b"PK"), "{path} is a zip package");
        }

        // English.
        office.get("/lang/en?next=/").await;
        let (_, html) = page(&office, "/proposals/rates").await;
        assert!(html.contains("Handling rates") && html.contains("Solved rate (A + B)"));
    }
}
