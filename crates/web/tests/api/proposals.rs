//! Suggestions and proposals over HTTP: a suggestion from registration to a dissatisfied
//! rating that sends it back to the unit, with the office's rate moving; and the refusals the
//! issue lists (a reply without a class, a rating by anyone but the proposer, a second rating,
//! a late adjustment request, a countersign by a unit that is not a co-unit), each writing
//! nothing.

use crate::helpers::{Client, TestApp, backends};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn step(c: &Client, id: i64, body: Value) -> (StatusCode, Value) {
    c.api(
        Method::POST,
        &format!("/api/v1/proposals/{id}/steps"),
        Some(body),
    )
    .await
}

/// Rows written about the item anywhere: events, contacts, replies, countersigns, ratings,
/// and the ledger as a whole.
async fn written(app: &TestApp, id: i64) -> (i64, i64) {
    let mut tx = app.store.begin_read().await.expect("tx");
    let (n,): (i64,) = duban_store::sql(
        "SELECT (SELECT COUNT(*) FROM proposal_events WHERE proposal_id = $1)
              + (SELECT COUNT(*) FROM proposal_contacts WHERE proposal_id = $1)
              + (SELECT COUNT(*) FROM proposal_replies WHERE proposal_id = $1)
              + (SELECT COUNT(*) FROM proposal_countersigns c JOIN proposal_replies r ON r.id = c.reply_id WHERE r.proposal_id = $1)
              + (SELECT COUNT(*) FROM proposal_ratings WHERE proposal_id = $1)",
    )
    .bind(id)
    .fetch_one(&mut tx)
    .await
    .expect("count");
    drop(tx);
    (n, app.ledger_len().await)
}

/// The NPC office registers a suggestion of deputy1 co-signed by deputy2; the government
/// office hands it to 经信局 with 发改局 as co-unit.
async fn handed_out(app: &TestApp, title: &str) -> i64 {
    let npc = app.signed_in("npc-office").await;
    let (s, v) = npc
        .api(
            Method::POST,
            "/api/v1/proposals",
            Some(json!({
                "kind": "suggestion",
                "title": title,
                "content": "建议在工业园区增设公交线路，方便职工通勤。",
                "proposer_id": app.person_id("deputy1").await,
                "cosigner_ids": [app.person_id("deputy2").await],
                "group_name": "东城代表团",
                "category": "城建交通",
            })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().expect("id");
    let office = app.signed_in("dkb2").await;
    let (s, v) = step(
        &office,
        id,
        json!({"step": "hand_out", "lead_unit_id": app.unit_id("jxj").await,
               "co_unit_ids": [app.unit_id("fgj").await]}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "handed_out");
    id
}

async fn satisfaction(office: &Client) -> (u64, u64, u64) {
    let (s, v) = office
        .api(Method::GET, "/api/v1/proposals/rates", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let cell = &v["city"]["rates"]["satisfied"];
    let unrated = v["city"]["rates"]["unrated"]["num"].as_u64().expect("n");
    (
        cell["num"].as_u64().expect("num"),
        cell["den"].as_u64().expect("den"),
        unrated,
    )
}

#[tokio::test]
async fn a_suggestion_is_handled_replied_rated_dissatisfied_and_back_with_the_unit() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let id = handed_out(&app, "关于增设工业园区公交线路的建议").await;
        let liaison = app.signed_in("jxj-liaison").await;
        let (s, v) = step(&liaison, id, json!({"step": "sign_in"})).await;
        assert_eq!(
            (s, v["state"].as_str()),
            (StatusCode::OK, Some("signed_in"))
        );
        // 报到 and 现场, the unit head present at the site; no photo asked for.
        for (stage, way, head) in [("report", "phone", false), ("site", "site_visit", true)] {
            let (s, v) = step(
                &liaison,
                id,
                json!({"step": "contact", "stage": stage, "way": way, "held_on": "2026-11-20",
                       "participants": "经信局 张科长；代表 本人", "head_took_part": head}),
            )
            .await;
            assert_eq!(s, StatusCode::OK, "{v}");
        }

        // A reply without its class: refused, nothing written.
        let before = written(&app, id).await;
        let (s, v) = step(
            &liaison,
            id,
            json!({"step": "draft_reply", "note": "答复正文"}),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v.to_string().contains("class_required"), "{v}");
        assert_eq!(written(&app, id).await, before);

        let (s, v) = step(
            &liaison,
            id,
            json!({"step": "draft_reply", "class": "B", "note": "已将该线路列入2027年公交线网优化方案。"}),
        )
        .await;
        assert_eq!(
            (s, v["state"].as_str()),
            (StatusCode::OK, Some("reply_drafted")),
            "{v}"
        );

        // The lead unit is not a co-unit: its countersign is refused, nothing written.
        let before = written(&app, id).await;
        let (s, _) = step(&liaison, id, json!({"step": "countersign"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(written(&app, id).await, before);
        // The office cannot review before the co-unit countersigned.
        let office = app.signed_in("dkb2").await;
        let (s, v) = step(&office, id, json!({"step": "review"})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(v.to_string().contains("countersign_missing"), "{v}");

        let co = app.signed_in("fgj-liaison").await;
        let (s, v) = step(&co, id, json!({"step": "countersign", "note": "同意"})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (s, v) = step(&office, id, json!({"step": "review", "class": "C"})).await;
        assert_eq!(
            (s, v["state"].as_str()),
            (StatusCode::OK, Some("reply_reviewed")),
            "{v}"
        );
        // Only the lead unit's head signs.
        let (s, _) = step(&liaison, id, json!({"step": "sign"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let head = app.signed_in("jxj-head").await;
        let (s, v) = step(&head, id, json!({"step": "sign"})).await;
        assert_eq!(
            (s, v["state"].as_str()),
            (StatusCode::OK, Some("replied")),
            "{v}"
        );

        let (_, v) = office
            .api(Method::GET, &format!("/api/v1/proposals/{id}"), None)
            .await;
        assert_eq!(v["unrated"], true, "未评价 until the proposer rates");
        assert_eq!(
            v["handling"]["class"], "C",
            "the class as the office corrected it"
        );
        let (sat_before, den_before, unrated_before) = satisfaction(&office).await;

        // Nobody but the lead proposer rates: not the unit, not another deputy, not the
        // co-signer (this year's setting), and nothing is written.
        let mut others = Vec::new();
        for who in ["jxj-head", "dkb2", "deputy3", "npc-office"] {
            others.push((who, app.signed_in(who).await));
        }
        let cosigner = app.signed_in("deputy2").await;
        let before = written(&app, id).await;
        for (who, c) in &others {
            let (s, _) = step(c, id, json!({"step": "rate", "rating": "satisfied"})).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
        }
        let (s, v) = step(
            &cosigner,
            id,
            json!({"step": "rate", "rating": "satisfied"}),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(written(&app, id).await, before);

        let deputy = app.signed_in("deputy1").await;
        let (s, v) = deputy
            .api(Method::GET, "/api/v1/proposals?mine=true", None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            v["items"]
                .as_array()
                .expect("items")
                .iter()
                .any(|i| i["id"] == id)
        );
        let (s, v) = step(
            &deputy,
            id,
            json!({"step": "rate", "rating": "dissatisfied", "note": "未解决实际问题"}),
        )
        .await;
        assert_eq!(
            (s, v["state"].as_str()),
            (StatusCode::OK, Some("re_handling")),
            "{v}"
        );

        // A second rating: refused, nothing written.
        let before = written(&app, id).await;
        let (s, v) = step(&deputy, id, json!({"step": "rate", "rating": "satisfied"})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(v.to_string().contains("already_rated"), "{v}");
        assert_eq!(written(&app, id).await, before);

        // Back with the unit, in a second round with its own deadline.
        let (_, v) = liaison
            .api(Method::GET, &format!("/api/v1/proposals/{id}"), None)
            .await;
        assert_eq!(v["handling"]["state"], "re_handling");
        assert_eq!(v["handling"]["round"], 2);
        assert!(v["handling"]["rehandling_due_on"].is_string(), "{v}");
        assert!(
            v["steps"]
                .as_array()
                .expect("steps")
                .iter()
                .any(|s| s == "draft_reply"),
            "{v}"
        );
        // The office sees the satisfaction rate move: one more rated item, not satisfied.
        let (sat, den, unrated) = satisfaction(&office).await;
        assert_eq!((sat, den), (sat_before, den_before + 1));
        assert_eq!(unrated + 1, unrated_before);
        // The drill-down lists exactly the items behind the number.
        let (s, v) = office
            .api(
                Method::GET,
                "/api/v1/proposals/rates/items?measure=satisfied&part=den",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let items = v.as_array().expect("items");
        assert_eq!(items.len() as u64, den);
        assert!(items.iter().any(|i| i["id"] == id));
        // Search by a Chinese substring of the title.
        let (_, v) = office
            .api(Method::GET, "/api/v1/proposals?q=公交线路", None)
            .await;
        assert!(
            v["items"]
                .as_array()
                .expect("items")
                .iter()
                .any(|i| i["id"] == id)
        );

        // Assessment draws its events from the item, never typed in: answered on time (lead
        // +0.5, co-unit at half), rated 不满意 (lead −1).
        let scorer = app.signed_in("dkb3").await;
        let (s, v) = scorer
            .api(Method::POST, "/api/v1/assessment/refresh", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        for (unit, want) in [
            (
                "jxj",
                vec![
                    ("proposal_dissatisfied", -100),
                    ("proposal_replied_on_time", 50),
                ],
            ),
            ("fgj", vec![("proposal_replied_on_time", 25)]),
        ] {
            let u = app.unit_id(unit).await;
            let (s, d) = scorer
                .api(
                    Method::GET,
                    &format!("/api/v1/assessment/units/{u}?period=2026"),
                    None,
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{d}");
            let mut got: Vec<(String, i64)> = d["lines"]
                .as_array()
                .expect("lines")
                .iter()
                .flat_map(|l| l["events"].as_array().expect("events"))
                .filter(|e| e["href"] == format!("/proposals/{id}"))
                .map(|e| {
                    (
                        e["kind"].as_str().unwrap_or("").to_string(),
                        e["points"].as_i64().unwrap_or(0),
                    )
                })
                .collect();
            got.sort();
            let want: Vec<(String, i64)> =
                want.into_iter().map(|(k, p)| (k.to_string(), p)).collect();
            assert_eq!(got, want, "{unit}");
        }
    }
}

#[tokio::test]
async fn an_adjustment_is_asked_inside_its_window_only() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let id = handed_out(&app, "关于加强老旧小区电梯加装的建议").await;
        // Eight days later the five working days are over.
        let later = app
            .server_at(crate::helpers::now() + jiff::SignedDuration::from_hours(8 * 24))
            .await;
        let late = app.signed_in_on(&later, "jxj-liaison").await;
        let before = written(&app, id).await;
        let (s, v) = step(
            &late,
            id,
            json!({"step": "request_adjustment", "note": "不属于本单位职责"}),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v.to_string().contains("adjustment_window_passed"), "{v}");
        assert_eq!(written(&app, id).await, before);
        // Inside the window it is asked, and the office reassigns.
        let liaison = app.signed_in("jxj-liaison").await;
        let (s, v) = step(
            &liaison,
            id,
            json!({"step": "request_adjustment", "note": "不属于本单位职责"}),
        )
        .await;
        assert_eq!(
            (s, v["state"].as_str()),
            (StatusCode::OK, Some("adjustment_requested")),
            "{v}"
        );
        let office = app.signed_in("dkb2").await;
        let (s, v) = step(
            &office,
            id,
            json!({"step": "approve_adjustment", "lead_unit_id": app.unit_id("tjj").await}),
        )
        .await;
        assert_eq!(
            (s, v["state"].as_str()),
            (StatusCode::OK, Some("handed_out")),
            "{v}"
        );
        // A unit cannot hand it on itself: the old lead unit may no longer step on it.
        let (s, _) = step(&liaison, id, json!({"step": "sign_in"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn each_office_registers_only_its_own_kind() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let cppcc = app.signed_in("cppcc-office").await;
        let body = json!({"kind": "suggestion", "title": "关于某事的建议",
                          "proposer_id": app.person_id("deputy1").await});
        let (s, _) = cppcc
            .api(Method::POST, "/api/v1/proposals", Some(body.clone()))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let mut body = body;
        body["kind"] = json!("proposal");
        body["proposer_id"] = json!(app.person_id("deputy4").await);
        let (s, v) = cppcc
            .api(Method::POST, "/api/v1/proposals", Some(body))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        // A unit's liaison is not a proposer.
        let mut bad = json!({"kind": "proposal", "title": "x",
                             "proposer_id": app.person_id("jxj-liaison").await});
        let (s, v) = cppcc
            .api(Method::POST, "/api/v1/proposals", Some(bad.clone()))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        bad["title"] = json!("");
        let (s, _) = app
            .signed_in("npc-office")
            .await
            .api(Method::POST, "/api/v1/proposals", Some(bad))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    }
}
