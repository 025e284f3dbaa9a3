//! Suggestions and proposals in the global search (`/search`, `GET /api/v1/search`): found by
//! any Chinese substring of their number, title, content or reply, each hit leading to
//! `/proposals/{id}`, and only by those who may see the item — its proposer and co-signers,
//! the units assigned, the office of its kind — never by another deputy or an unassigned unit.

use crate::helpers::{Client, TestApp, backends};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn step(c: &Client, id: i64, body: Value) -> Value {
    let (s, v) = c
        .api(
            Method::POST,
            &format!("/api/v1/proposals/{id}/steps"),
            Some(body),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

/// A suggestion of `proposer` (co-signed by `cosigner`), handed to `unit` (its code), signed
/// in and answered with a class-A draft `reply`; with `sign`, the draft is reviewed by the
/// office and signed by the unit head, so the proposer may rate it. Returns its id.
pub(crate) async fn answered(
    app: &TestApp,
    proposer: &str,
    cosigner: Option<&str>,
    unit: &str,
    title: &str,
    reply: &str,
    sign: bool,
) -> i64 {
    let npc = app.signed_in("npc-office").await;
    let mut cosigners = Vec::new();
    if let Some(c) = cosigner {
        cosigners.push(app.person_id(c).await);
    }
    let (s, v) = npc
        .api(
            Method::POST,
            "/api/v1/proposals",
            Some(json!({
                "kind": "suggestion",
                "title": title,
                "content": "建议有关部门抓紧研究解决。",
                "proposer_id": app.person_id(proposer).await,
                "cosigner_ids": cosigners,
                "category": "城建交通",
            })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().expect("id");
    let office = app.signed_in("dkb2").await;
    step(
        &office,
        id,
        json!({"step": "hand_out", "lead_unit_id": app.unit_id(unit).await}),
    )
    .await;
    let liaison = app.signed_in(&format!("{unit}-liaison")).await;
    step(&liaison, id, json!({"step": "sign_in"})).await;
    step(
        &liaison,
        id,
        json!({"step": "draft_reply", "class": "A", "note": reply}),
    )
    .await;
    if sign {
        step(&office, id, json!({"step": "review"})).await;
        let head = app.signed_in(&format!("{unit}-head")).await;
        let v = step(&head, id, json!({"step": "sign"})).await;
        assert_eq!(v["state"], "replied");
    }
    id
}

/// The suggestions and proposals `c` finds for `q`: (id, url, snippet field).
async fn found(c: &Client, q: &str) -> Vec<(i64, String, String)> {
    let (s, v) = c
        .api(
            Method::GET,
            &format!("/api/v1/search?kind=proposal&q={}", urlencode(q)),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let items = v["items"].as_array().expect("items");
    assert_eq!(items.len() as i64, v["total"].as_i64().expect("total"));
    items
        .iter()
        .map(|i| {
            assert_eq!(i["kind"], "proposal", "{i}");
            (
                i["id"].as_i64().expect("id"),
                i["url"].as_str().expect("url").to_string(),
                i["snippet_field"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

pub(crate) fn urlencode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

fn ids(hits: &[(i64, String, String)]) -> Vec<i64> {
    hits.iter().map(|h| h.0).collect()
}

#[tokio::test]
async fn search_finds_a_suggestion_by_its_reply_for_those_who_may_see_it_only() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let mine = answered(
            &app,
            "deputy1",
            Some("deputy2"),
            "jxj",
            "关于园区职工通勤的建议",
            "经研究，拟于明年开通蓝莓巷微循环巴士专线，方便职工上下班。",
            false,
        )
        .await;
        let other = answered(
            &app,
            "deputy3",
            None,
            "fgj",
            "关于老城区绿地的建议",
            "将在橙子湾新建口袋公园三处，年内完工。",
            true,
        )
        .await;

        // The lead proposer finds their item by a substring of its reply (three characters
        // and more: the trigram index; two: the LIKE alone), each hit leading to its page.
        let deputy = app.signed_in("deputy1").await;
        let hits = found(&deputy, "蓝莓巷微循环").await;
        assert_eq!(
            hits,
            vec![(mine, format!("/proposals/{mine}"), "reply".to_string())],
            "{backend}"
        );
        assert!(
            ids(&found(&deputy, "莓巷").await).contains(&mine),
            "{backend}"
        );
        // Several words must all occur: one in the title, one in the reply.
        assert_eq!(ids(&found(&deputy, "职工通勤 巴士专线").await), vec![mine]);
        assert!(found(&deputy, "职工通勤 口袋公园").await.is_empty());
        // …and by its number.
        let (_, item) = deputy
            .api(Method::GET, &format!("/api/v1/proposals/{mine}"), None)
            .await;
        let number = item["number"].as_str().expect("number").to_string();
        assert!(
            ids(&found(&deputy, &number).await).contains(&mine),
            "{backend}"
        );
        // Never another deputy's item, however exactly its reply is quoted.
        assert!(
            found(&deputy, "橙子湾新建口袋公园").await.is_empty(),
            "{backend}"
        );
        assert!(found(&deputy, "橙子湾").await.is_empty());
        // The co-signer finds it too; the other item's proposer does not.
        let cosigner = app.signed_in("deputy2").await;
        assert_eq!(ids(&found(&cosigner, "蓝莓巷微循环").await), vec![mine]);
        let deputy3 = app.signed_in("deputy3").await;
        assert!(
            found(&deputy3, "蓝莓巷微循环").await.is_empty(),
            "{backend}"
        );
        assert_eq!(ids(&found(&deputy3, "橙子湾").await), vec![other]);

        // A unit finds what it is assigned, and nothing else.
        let jxj = app.signed_in("jxj-liaison").await;
        assert_eq!(ids(&found(&jxj, "蓝莓巷微循环").await), vec![mine]);
        assert!(found(&jxj, "橙子湾").await.is_empty(), "{backend}");
        let fgj = app.signed_in("fgj-liaison").await;
        assert_eq!(ids(&found(&fgj, "橙子湾").await), vec![other]);
        assert!(found(&fgj, "蓝莓巷").await.is_empty(), "{backend}");
        // The offices: the NPC office its kind (both are suggestions), the CPPCC office
        // nothing of it; the government office everything.
        let npc = app.signed_in("npc-office").await;
        assert_eq!(ids(&found(&npc, "蓝莓巷").await), vec![mine]);
        let cppcc = app.signed_in("cppcc-office").await;
        assert!(found(&cppcc, "蓝莓巷").await.is_empty(), "{backend}");
        assert!(found(&cppcc, "橙子湾").await.is_empty(), "{backend}");
        let office = app.signed_in("dkb2").await;
        assert_eq!(ids(&found(&office, "橙子湾").await), vec![other]);

        // Filters: the year and the unit narrow, another kind finds none of them.
        let (_, v) = office
            .api(
                Method::GET,
                &format!("/api/v1/search?q={}&kind=case", urlencode("蓝莓巷")),
                None,
            )
            .await;
        assert_eq!(v["total"], 0, "{v}");
        let (_, v) = office
            .api(
                Method::GET,
                &format!(
                    "/api/v1/search?q={}&unit={}",
                    urlencode("蓝莓巷"),
                    app.unit_id("fgj").await
                ),
                None,
            )
            .await;
        assert_eq!(v["total"], 0, "{v}");
        let (_, v) = office
            .api(
                Method::GET,
                &format!("/api/v1/search?q={}&year=2025", urlencode("蓝莓巷")),
                None,
            )
            .await;
        assert_eq!(v["total"], 0, "{v}");

        // The page: the hit links to the item, its reply marked.
        let page = deputy
            .get(&format!("/search?q={}", urlencode("微循环巴士")))
            .await;
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(
            html.contains(&format!("href=\"/proposals/{mine}\"")),
            "{html}"
        );
        assert!(html.contains("<mark>微循环巴士</mark>"), "{backend}");
        assert!(html.contains(&number), "{backend}: the number is shown");
        let none = app
            .signed_in("deputy3")
            .await
            .get(&format!("/search?q={}", urlencode("微循环巴士")))
            .await
            .text()
            .await
            .unwrap();
        assert!(!none.contains(&format!("/proposals/{mine}\"")), "{backend}");

        // A new draft replaces the old text: the old words no longer find it.
        let liaison = app.signed_in("jxj-liaison").await;
        step(
            &liaison,
            mine,
            json!({"step": "draft_reply", "class": "C", "note": "已列入樱桃坡公交线网优化方案。"}),
        )
        .await;
        assert!(found(&deputy, "蓝莓巷微循环").await.is_empty(), "{backend}");
        assert_eq!(ids(&found(&deputy, "樱桃坡公交").await), vec![mine]);
    }
}

/// Every demo item is in the search's text table, and (SQLite) the FTS5 index agrees with it.
#[tokio::test]
async fn every_item_has_its_searched_text() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let mut tx = app.store.begin_read().await.expect("tx");
        let (missing, items): (i64, i64) = duban_store::sql(
            "SELECT (SELECT COUNT(*) FROM proposals p WHERE NOT EXISTS
                        (SELECT 1 FROM proposal_texts x WHERE x.proposal_id = p.id)),
                    (SELECT COUNT(*) FROM proposals)",
        )
        .fetch_one(&mut tx)
        .await
        .expect("count");
        assert!(items > 600, "{backend}: the demo session");
        assert_eq!(missing, 0, "{backend}");
        // Migration 0026's back-fill (the same expression, per backend) gives for every item
        // exactly the text the store keeps: items registered before the migration are found
        // like the others.
        let aggregate = if backend == "sqlite" {
            // The (proposal_id, round) index gives the rows by round.
            "(SELECT ' ' || group_concat(r.body, ' ') FROM proposal_replies r
               WHERE r.proposal_id = p.id)"
        } else {
            "(SELECT ' ' || string_agg(r.body, ' ' ORDER BY r.round) FROM proposal_replies r
               WHERE r.proposal_id = p.id)"
        };
        let (differ,): (i64,) = duban_store::Sql::assembled(format!(
            "SELECT COUNT(*) FROM proposals p JOIN proposal_texts x ON x.proposal_id = p.id
             WHERE x.body <> p.number || ' ' || p.title || ' ' || p.content
                              || COALESCE({aggregate}, '')"
        ))
        .fetch_one(&mut tx)
        .await
        .expect("compare");
        assert_eq!(differ, 0, "{backend}");
        if backend == "sqlite" {
            duban_store::sql(
                "INSERT INTO search_proposals (search_proposals, rank) VALUES ('integrity-check', 1)",
            )
            .execute(&mut tx)
            .await
            .expect("the index agrees with its table");
        }
    }
}
