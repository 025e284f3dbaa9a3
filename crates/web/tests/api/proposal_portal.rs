//! Replies on the public portal: a reply appears on `/public/proposals` (and its JSON) only
//! when its lead proposer, rating it, agreed to publish it (同意公开); a co-signer cannot agree
//! on the lead's behalf; what the portal shows is the number, title, lead unit, class, the
//! reply and its date — never the proposers. The portal's search finds published replies, and
//! only those. The scan of every public page for people and contact data (`portal.rs`) covers
//! the demo's published replies and a search that finds them too.

use crate::helpers::{Client, TestApp, backends};
use crate::proposal_search::{answered, urlencode};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn rate(c: &Client, id: i64, body: Value) -> (StatusCode, Value) {
    c.api(
        Method::POST,
        &format!("/api/v1/proposals/{id}/steps"),
        Some(body),
    )
    .await
}

async fn person_name(app: &TestApp, username: &str) -> String {
    let id = app.person_id(username).await;
    let mut tx = app.store.begin_read().await.expect("tx");
    let (name,): (String,) = duban_store::sql("SELECT name FROM people WHERE id = $1")
        .bind(id)
        .fetch_one(&mut tx)
        .await
        .expect("name");
    name
}

#[tokio::test]
async fn a_reply_reaches_the_portal_only_when_its_lead_proposer_agreed() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let agreed = answered(
            &app,
            "deputy1",
            Some("deputy2"),
            "jxj",
            "关于蓝莓巷停车难的建议",
            "已在蓝莓巷新增公共停车泊位120个，并开放夜间共享停车。",
            true,
        )
        .await;
        let declined = answered(
            &app,
            "deputy3",
            None,
            "fgj",
            "关于橙子湾路灯的建议",
            "橙子湾沿线路灯已全部修复并纳入日常巡查。",
            true,
        )
        .await;

        // A co-signer cannot agree on the lead proposer's behalf: refused, nothing written.
        let cosigner = app.signed_in("deputy2").await;
        let (s, v) = rate(
            &cosigner,
            agreed,
            json!({"step": "rate", "rating": "satisfied", "publish": true}),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{backend}: {v}");
        // The lead proposers rate: one agrees to publish (the form's checkbox), one does not
        // say (not agreed).
        let lead = app.signed_in("deputy1").await;
        let page = lead
            .get(&format!("/proposals/{agreed}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("name=\"publish\""),
            "{backend}: the lead proposer's form asks"
        );
        let res = lead
            .post_form(
                &format!("/proposals/{agreed}/steps"),
                &[
                    ("step", "rate"),
                    ("rating", "satisfied"),
                    ("note", "满意"),
                    ("publish", "1"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{backend}");
        let other = app.signed_in("deputy3").await;
        let (s, v) = rate(
            &other,
            declined,
            json!({"step": "rate", "rating": "satisfied"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (_, v) = lead
            .api(Method::GET, &format!("/api/v1/proposals/{agreed}"), None)
            .await;
        assert_eq!(v["ratings"][0]["publish"], true, "{v}");

        let public = app.client();
        let (s, v) = public
            .api(Method::GET, "/api/v1/public/proposals?per_page=100", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let items = v["items"].as_array().expect("items");
        let mine = items
            .iter()
            .find(|i| i["id"] == agreed)
            .unwrap_or_else(|| panic!("{backend}: the agreed reply is published: {v}"));
        assert!(items.iter().all(|i| i["id"] != declined), "{backend}");
        assert_eq!(mine["title"], "关于蓝莓巷停车难的建议");
        assert_eq!(mine["class"], "A");
        assert_eq!(mine["kind"], "suggestion");
        assert!(
            mine["reply"]
                .as_str()
                .unwrap()
                .contains("公共停车泊位120个")
        );
        assert!(mine["replied_on"].as_str().is_some_and(|d| d.len() == 10));
        let mut keys: Vec<&str> = mine
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "class",
                "id",
                "kind",
                "lead_unit",
                "number",
                "replied_on",
                "reply",
                "round",
                "title",
                "year"
            ],
            "{backend}: nothing about the proposers"
        );
        let (s, _) = public
            .api(
                Method::GET,
                &format!("/api/v1/public/proposals/{declined}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{backend}");
        let (s, one) = public
            .api(
                Method::GET,
                &format!("/api/v1/public/proposals/{agreed}"),
                None,
            )
            .await;
        assert_eq!((s, &one["id"]), (StatusCode::OK, &json!(agreed)));

        // The pages: listed and readable without signing in, the declined one never.
        let names = [
            person_name(&app, "deputy1").await,
            person_name(&app, "deputy2").await,
            person_name(&app, "deputy3").await,
        ];
        let mut seen = String::new();
        for page in 1..=50 {
            let res = public.get(&format!("/public/proposals?page={page}")).await;
            assert_eq!(res.status(), StatusCode::OK, "{backend}");
            let html = res.text().await.unwrap();
            let last = !html.contains(&format!("page={}\"", page + 1));
            seen.push_str(&html);
            if last {
                break;
            }
        }
        assert!(
            seen.contains(&format!("href=\"/public/proposals/{agreed}\"")),
            "{backend}"
        );
        assert!(!seen.contains(&format!("/public/proposals/{declined}\"")));
        assert!(!seen.contains("橙子湾沿线路灯"), "{backend}");
        let res = public.get(&format!("/public/proposals/{agreed}")).await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.unwrap();
        assert!(html.contains("开放夜间共享停车"), "{backend}");
        assert!(html.contains(mine["number"].as_str().unwrap()));
        for n in &names {
            assert!(
                !html.contains(n.as_str()) && !seen.contains(n.as_str()),
                "{backend}: {n} is on the portal"
            );
        }
        let res = public.get(&format!("/public/proposals/{declined}")).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{backend}");

        // The portal's search finds the published reply by any Chinese substring of its
        // number, title or text — words of three or more characters through the search index,
        // shorter ones by the plain match — and never the declined one, nor an item by its
        // content (which the portal does not show).
        let search = |q: &str| {
            let public = &public;
            let q = q.to_string();
            async move {
                let (s, v) = public
                    .api(
                        Method::GET,
                        &format!("/api/v1/public/search?q={}", urlencode(&q)),
                        None,
                    )
                    .await;
                assert_eq!(s, StatusCode::OK, "{q}: {v}");
                v["replies"].as_array().expect("replies").clone()
            }
        };
        let number = mine["number"].as_str().unwrap().to_string();
        for q in [
            "蓝莓巷",
            "停车难",
            "夜间共享停车",
            "泊位",
            "巷",
            number.as_str(),
            "蓝莓巷 共享",
        ] {
            let found = search(q).await;
            assert!(
                found.iter().any(|r| r["id"] == agreed),
                "{backend}: {q} finds the published reply"
            );
            assert!(found.iter().all(|r| r["id"] != declined), "{backend}: {q}");
        }
        for q in ["橙子湾", "沿线路灯已全部修复", "蓝莓巷 路灯"] {
            assert!(
                search(q)
                    .await
                    .iter()
                    .all(|r| r["id"] != declined && r["id"] != agreed),
                "{backend}: {q} finds no unpublished reply"
            );
        }
        let by_content = search("抓紧研究解决").await;
        assert!(
            by_content.iter().all(|r| r["id"] != agreed),
            "{backend}: the content is not what the portal shows"
        );
        let found = search("蓝莓巷").await;
        let hit = found.iter().find(|r| r["id"] == agreed).expect("found");
        assert_eq!(hit, &mine.clone(), "{backend}: the same fields as the list");
        let res = public
            .get(&format!("/public/search?q={}", urlencode("蓝莓巷")))
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.unwrap();
        assert!(
            html.contains(&format!("href=\"/public/proposals/{agreed}\"")),
            "{backend}: the search page links the reply"
        );
        let res = public
            .get(&format!("/public/search?q={}", urlencode("橙子湾")))
            .await;
        let html = res.text().await.unwrap();
        assert!(!html.contains("橙子湾沿线路灯"), "{backend}");
        for n in &names {
            assert!(
                !html.contains(n.as_str()),
                "{backend}: {n} on the search page"
            );
        }
    }
}
