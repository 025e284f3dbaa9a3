//! The office's towns × departments figures of joint matters (吹哨报到, issue 19), which the
//! database adds up per cell, against their definition: `duban_core::joint::tally` over every
//! named department of the year, read row by row, with the same visibility (a town sees its
//! own matters, a department those naming it, the office all). On both backends, on the demo
//! and again after a joint matter is raised, reported in (once late), fed back, closed and
//! rated both ways, and a return is refused.

use crate::helpers::{Client, TestApp, backends, now, today};
use duban_core::joint::{JointFact, Tally, tally};
use duban_core::org::{PersonId, UnitId};
use duban_store::joint as store;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// Who reads the figures: the office, a town's liaison, a department's liaison.
const READERS: [&str; 3] = ["dkb2", "town-dongcheng-liaison", "zjj-liaison"];

/// The units a reader sees, as the server computes them (memberships today and the units of
/// portfolios held); `None` for the office, which sees the whole city.
async fn scope_of(app: &TestApp, username: &str) -> Option<BTreeSet<i64>> {
    if username == "dkb2" {
        return None;
    }
    let person = PersonId(app.person_id(username).await);
    let mut tx = app.store.begin_read().await.expect("tx");
    let mut units: BTreeSet<i64> = duban_store::people::member_units(&mut tx, person, today())
        .await
        .expect("memberships")
        .into_iter()
        .map(|(u, _)| u.0)
        .collect();
    let filter = duban_store::portfolios::PortfolioFilter {
        leader: Some(person),
        unit: None,
        on: Some(today()),
    };
    for pf in duban_store::portfolios::list_portfolios(&mut tx, &filter)
        .await
        .expect("portfolios")
    {
        units.insert(pf.unit_id);
    }
    Some(units)
}

fn view(unit: UnitId, names: &BTreeMap<i64, String>, t: &Tally) -> Value {
    json!({
        "unit_id": unit.0,
        "unit_name": names.get(&unit.0).cloned().unwrap_or_default(),
        "matters": t.matters,
        "closed": t.closed,
        "named": t.named,
        "reported_in": t.reported_in,
        "late": t.late,
        "on_time_rate": t.on_time_rate(),
        "speed": t.speed.value(),
        "effect": t.effect.value(),
        "attitude": t.attitude.value(),
        "rating": t.rating(),
        "coordination": t.coordination.value(),
        "returns_refused": t.returns_refused,
    })
}

/// The figures by their definition: every named department of the year read as a fact, the
/// ones the reader sees tallied by `core::joint::tally`, the refused returns added.
async fn expected(app: &TestApp, scope: Option<&BTreeSet<i64>>) -> Value {
    let mut tx = app.store.begin_read().await.expect("tx");
    let joints = store::list_joints(&mut tx, 2026, None)
        .await
        .expect("joints");
    let units = store::units_of_year(&mut tx, 2026).await.expect("units");
    let refused = store::refused_returns(&mut tx, 2026)
        .await
        .expect("refused");
    let names: BTreeMap<i64, String> = duban_store::aliases::list_unit_names(&mut tx)
        .await
        .expect("names")
        .into_iter()
        .map(|(id, _, short)| (id, short))
        .collect();
    let sees = |u: i64| scope.is_none_or(|s| s.contains(&u));
    let town_of: BTreeMap<i64, (i64, bool)> = joints
        .iter()
        .map(|j| (j.case_id, (j.town_id, j.closed_at.is_some())))
        .collect();
    let facts: Vec<JointFact> = units
        .iter()
        .filter_map(|u| {
            let (town, closed) = town_of[&u.case_id];
            (sees(town) || sees(u.unit_id)).then(|| JointFact {
                case_id: u.case_id,
                town: UnitId(town),
                department: UnitId(u.unit_id),
                reported_in: u.reported_at.is_some(),
                late: u.late,
                closed,
                rating: match (u.speed, u.effect, u.attitude) {
                    (Some(s), Some(e), Some(a)) => Some([s, e, a]),
                    _ => None,
                },
                coordination: u.coordination,
                return_refused: false,
            })
        })
        .collect();
    let mut t = tally(&facts);
    for (unit, n) in refused {
        if sees(unit) {
            t.departments
                .entry(UnitId(unit))
                .or_default()
                .returns_refused = n;
        }
    }
    json!({
        "year": 2026,
        "departments": t.departments.iter().map(|(u, x)| view(*u, &names, x)).collect::<Vec<_>>(),
        "towns": t.towns.iter().map(|(u, x)| view(*u, &names, x)).collect::<Vec<_>>(),
        "cells": t.matrix.iter().map(|((town, dept), x)| json!({
            "town_id": town.0, "unit_id": dept.0, "matters": x.matters, "late": x.late,
            "rating": x.rating(),
        })).collect::<Vec<_>>(),
    })
}

/// Every reader's figures from the API equal their definition, and are not empty.
async fn check(app: &TestApp, when: &str) {
    for reader in READERS {
        let c = app.signed_in(reader).await;
        let (s, got) = c
            .api(Method::GET, "/api/v1/joint/figures?year=2026", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{got}");
        let scope = scope_of(app, reader).await;
        let want = expected(app, scope.as_ref()).await;
        assert_eq!(got, want, "{reader}, {when}");
        assert!(
            !got["cells"].as_array().expect("cells").is_empty(),
            "{reader} sees some cells {when}"
        );
    }
}

async fn step(c: &Client, path: &str, body: Value, want: StatusCode) {
    let (s, v) = c.api(Method::POST, path, Some(body)).await;
    assert_eq!(s, want, "{path}: {v}");
}

#[tokio::test]
async fn the_figures_added_up_by_the_database_equal_the_tally_of_every_fact() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        check(&app, "on the demo").await;

        // A joint matter of 东城街道: 住建局 reports in at once, 综合执法局 a day late.
        let town = app.signed_in("town-dongcheng-liaison").await;
        let zjj = app.signed_in("zjj-liaison").await;
        let (s, v) = town
            .api(
                Method::POST,
                "/api/v1/joint",
                Some(json!({"title": "丽州花园小区违建", "content": "楼顶违建",
                    "departments": "住建局、综合行政执法局"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let id = v["id"].as_i64().expect("id");
        let joint = |tail: &str| format!("/api/v1/joint/{id}/{tail}");
        let handler = app.person_id("zjj-liaison").await;
        step(
            &zjj,
            &joint("report-in"),
            json!({"handler_id": handler}),
            StatusCode::OK,
        )
        .await;
        check(&app, "after one report-in").await;
        let later = now() + jiff::SignedDuration::from_hours(24);
        duban_web::jobs::run_due(&app.state_at(later), later)
            .await
            .expect("jobs");
        let base = app.server_at(later).await;
        let zhzf = app.signed_in_on(&base, "zhzf-liaison").await;
        let town = app.signed_in_on(&base, "town-dongcheng-liaison").await;
        let zjj = app.signed_in_on(&base, "zjj-liaison").await;
        let handler = app.person_id("zhzf-liaison").await;
        step(
            &zhzf,
            &joint("report-in"),
            json!({"handler_id": handler}),
            StatusCode::OK,
        )
        .await;
        for c in [&zjj, &zhzf] {
            step(
                c,
                &joint("feedback"),
                json!({"note": "已现场核查"}),
                StatusCode::NO_CONTENT,
            )
            .await;
        }
        check(&app, "after the report-ins and feedback").await;
        step(
            &town,
            &joint("close"),
            json!({"note": "核验完毕"}),
            StatusCode::NO_CONTENT,
        )
        .await;
        let rating =
            json!({"unit_id": app.unit_id("zjj").await, "speed": 5, "effect": 4, "attitude": 3});
        step(
            &town,
            &joint("ratings/department"),
            rating,
            StatusCode::NO_CONTENT,
        )
        .await;
        step(
            &zjj,
            &joint("ratings/town"),
            json!({"coordination": 2}),
            StatusCode::NO_CONTENT,
        )
        .await;
        check(&app, "after closing and rating").await;

        // A return asked by 住建局 and refused by the office.
        let office = app.signed_in("dkb2").await;
        let (s, v) = office
            .api(
                Method::POST,
                "/api/v1/cases",
                Some(json!({"source": "hotline", "title": "某小区违建", "content": "居民投诉"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let case = v["id"].as_i64().expect("id");
        let steps = format!("/api/v1/cases/{case}/steps");
        let zjj_id = app.unit_id("zjj").await;
        step(
            &office,
            &steps,
            json!({"step": "assign", "lead_unit_id": zjj_id, "deadline": "10wd"}),
            StatusCode::OK,
        )
        .await;
        let head = app.signed_in("zjj-head").await;
        step(
            &head,
            &steps,
            json!({"step": "request_return", "note": "不属于本部门"}),
            StatusCode::OK,
        )
        .await;
        step(
            &office,
            &steps,
            json!({"step": "reject_return", "note": "属本部门职责"}),
            StatusCode::OK,
        )
        .await;
        check(&app, "after a refused return").await;
        let (_, f) = office
            .api(Method::GET, "/api/v1/joint/figures?year=2026", None)
            .await;
        let refused = f["departments"]
            .as_array()
            .expect("departments")
            .iter()
            .find(|d| d["unit_id"] == zjj_id)
            .map(|d| d["returns_refused"].clone());
        assert!(refused.is_some_and(|n| n.as_i64() >= Some(1)), "{f}");
    }
}
