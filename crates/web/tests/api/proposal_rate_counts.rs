//! The rates' maintained counts (`store::proposals::counts`) stay equal to the rates computed
//! from every item's facts (`core::proposals::rates`): on the demo as loaded, and after a story
//! of writes through the HTTP — hand-out, sign-in, contacts, a reply drafted, countersigned,
//! reviewed and signed, a 不满意 rating, the re-handling's second reply and its rating, an
//! extension, a withdrawal — on many days, before and after every deadline they turn on.

use crate::helpers::{Client, TestApp, backends, today};
use duban_core::proposals::rates::Tally;
use duban_core::proposals::rates::counts::{COUNTS, Counts, add};
use duban_store::proposals::{browse, counts};
use jiff::civil::{Date, date};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;

type Groups = BTreeMap<(String, Option<i64>, String), Counts>;

/// The days compared: across the year, the demo's day, and long after it.
fn days() -> Vec<Date> {
    let mut d = vec![today(), date(2027, 6, 30)];
    for month in 1..=12 {
        d.push(date(2026, month, 15));
    }
    d
}

fn nonzero(g: Groups) -> Groups {
    g.into_iter()
        .filter(|(_, c)| c.iter().any(|n| *n != 0))
        .collect()
}

/// Each group's counts on `day`: as maintained, and added up from every item's facts.
async fn both(app: &TestApp, day: Date) -> (Groups, Groups) {
    let mut tx = app.store.begin_read().await.expect("tx");
    let mut kept = Groups::new();
    for g in counts::on(&mut tx, 2026, None, day).await.expect("counts") {
        let key = (
            g.kind.as_str().to_string(),
            g.lead_unit_id.map(|u| u.0),
            g.category,
        );
        add(kept.entry(key).or_insert([0; COUNTS]), &g.counts, 1);
    }
    let mut recomputed = Groups::new();
    for r in browse::facts(&mut tx, 2026, None, None)
        .await
        .expect("facts")
    {
        let mut t = Tally::default();
        t.add(&r.facts, day);
        let key = (
            r.kind.as_str().to_string(),
            r.lead_unit_id.map(|u| u.0),
            r.category,
        );
        add(recomputed.entry(key).or_insert([0; COUNTS]), &t.counts(), 1);
    }
    (nonzero(kept), nonzero(recomputed))
}

async fn assert_counts_true(app: &TestApp, backend: &str, when: &str) {
    for day in days() {
        let (kept, recomputed) = both(app, day).await;
        assert!(
            !recomputed.is_empty(),
            "{backend} {when}: the demo has items"
        );
        assert_eq!(kept, recomputed, "{backend} {when}, on {day}");
    }
}

async fn step(c: &Client, id: i64, body: Value) {
    let (s, v) = c
        .api(
            Method::POST,
            &format!("/api/v1/proposals/{id}/steps"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}: {v}");
}

async fn register(app: &TestApp, title: &str) -> i64 {
    let npc = app.signed_in("npc-office").await;
    let (s, v) = npc
        .api(
            Method::POST,
            "/api/v1/proposals",
            Some(json!({
                "kind": "suggestion",
                "title": title,
                "proposer_id": app.person_id("deputy1").await,
                "category": "城建交通",
            })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_i64().expect("id")
}

#[tokio::test]
async fn the_maintained_counts_equal_the_rates_from_every_item_after_every_kind_of_write() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        assert_counts_true(&app, backend, "the demo").await;

        let office = app.signed_in("dkb2").await;
        let jxj = app.unit_id("jxj").await;
        let fgj = app.unit_id("fgj").await;
        let id = register(&app, "关于增设工业园区公交线路的建议").await;
        let extended = register(&app, "关于延长园区夜间公交末班时间的建议").await;
        let withdrawn = register(&app, "关于园区设立便民服务点的建议").await;
        for i in [id, extended, withdrawn] {
            step(
                &office,
                i,
                json!({"step": "hand_out", "lead_unit_id": jxj, "co_unit_ids": [fgj]}),
            )
            .await;
        }
        assert_counts_true(&app, backend, "after the hand-out").await;

        let liaison = app.signed_in("jxj-liaison").await;
        step(&liaison, id, json!({"step": "sign_in"})).await;
        for (stage, way, head) in [("report", "phone", false), ("site", "site_visit", true)] {
            step(
                &liaison,
                id,
                json!({"step": "contact", "stage": stage, "way": way, "held_on": "2026-11-20",
                       "participants": "经信局 张科长；代表 本人", "head_took_part": head}),
            )
            .await;
        }
        assert_counts_true(&app, backend, "after the contacts").await;

        let co = app.signed_in("fgj-liaison").await;
        let head = app.signed_in("jxj-head").await;
        let deputy = app.signed_in("deputy1").await;
        for (class, rating) in [("B", "dissatisfied"), ("A", "satisfied")] {
            step(
                &liaison,
                id,
                json!({"step": "draft_reply", "class": class, "note": "已列入2027年公交线网优化方案。"}),
            )
            .await;
            step(&co, id, json!({"step": "countersign", "note": "同意"})).await;
            step(&office, id, json!({"step": "review"})).await;
            step(&head, id, json!({"step": "sign"})).await;
            assert_counts_true(&app, backend, &format!("after the {class} reply")).await;
            step(&deputy, id, json!({"step": "rate", "rating": rating})).await;
            assert_counts_true(&app, backend, &format!("after the rating {rating}")).await;
        }

        step(
            &office,
            extended,
            json!({"step": "extend", "deadline": "2027-03-31", "note": "涉及跨年度线网调整"}),
        )
        .await;
        step(
            &deputy,
            withdrawn,
            json!({"step": "withdraw", "note": "已自行协调解决"}),
        )
        .await;
        assert_counts_true(&app, backend, "after an extension and a withdrawal").await;

        // What the dashboard shows is the same as the rows say, today.
        let (s, v) = office
            .api(Method::GET, "/api/v1/proposals/rates", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (_, recomputed) = both(&app, today()).await;
        let mut city = [0; COUNTS];
        for c in recomputed.values() {
            add(&mut city, c, 1);
        }
        let mut t = Tally::default();
        t.add_counts(&city);
        assert_eq!(v["city"]["items"], t.items, "{backend}");
        for m in duban_core::proposals::rates::Measure::ALL {
            let r = t.get(m);
            assert_eq!(
                (
                    v["city"]["rates"][m.as_str()]["num"].as_u64(),
                    v["city"]["rates"][m.as_str()]["den"].as_u64()
                ),
                (Some(r.num), Some(r.den)),
                "{backend} {m:?}"
            );
        }
    }
}
