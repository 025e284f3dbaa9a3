//! Assessment (督考) over HTTP on the demo year: the tables rank what the totals say, every
//! point of a unit is listed, the maintained totals equal a count from the events, manual
//! events need a second officer, appeals reverse or stand, and a bad scheme writes nothing.

use crate::helpers::{Client, TestApp, at, backends, today};
use duban_core::assessment::period::Period;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn get(c: &Client, path: &str) -> Value {
    let (s, v) = c.api(Method::GET, path, None).await;
    assert_eq!(s, StatusCode::OK, "{path}: {v}");
    v
}

fn code(v: &Value) -> Option<&str> {
    v["errors"][0]["code"].as_str()
}

/// A unit's total for a period, read from its detail.
async fn total(c: &Client, unit: i64, period: &str) -> i64 {
    let v = get(
        c,
        &format!("/api/v1/assessment/units/{unit}?period={period}"),
    )
    .await;
    v["score"]["total"].as_i64().expect("a total")
}

#[tokio::test]
async fn the_demo_year_is_ranked_from_its_events_and_every_point_is_listed() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb3").await;
        let r = get(&office, "/api/v1/assessment/rankings?period=2026-10").await;
        assert_eq!(r["scheme_version"], 2, "July's version judges October");
        let groups = r["groups"].as_array().unwrap();
        assert!(groups.len() >= 2, "{r}");
        let mut units_with_events = 0;
        for g in groups {
            let rows = g["rows"].as_array().unwrap();
            let mut last_total = i64::MAX;
            for (i, row) in rows.iter().enumerate() {
                let t = row["total"].as_i64().unwrap();
                assert!(t <= last_total, "sorted by total");
                // a rank is one more than the number of units with a higher total
                let higher = rows
                    .iter()
                    .filter(|o| o["total"].as_i64().unwrap() > t)
                    .count();
                assert_eq!(
                    row["rank"].as_u64().unwrap() as usize,
                    higher + 1,
                    "row {i}"
                );
                let modules: i64 = row["modules"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m.as_i64().unwrap())
                    .sum();
                assert_eq!(modules, t, "the total is the sum of the modules");
                if row["events"].as_i64().unwrap() > 0 {
                    units_with_events += 1;
                }
                last_total = t;
            }
        }
        assert!(units_with_events >= 5, "the demo's October scored: {r}");

        // One unit's detail: the lines add up to the module events, which the totals hold.
        let jxj = app.unit_id("jxj").await;
        let d = get(
            &office,
            &format!("/api/v1/assessment/units/{jxj}?period=2026"),
        )
        .await;
        let lines = d["lines"].as_array().unwrap();
        assert!(!lines.is_empty(), "{d}");
        for m in d["score"]["modules"].as_array().unwrap() {
            let key = m["key"].as_str().unwrap();
            let from_lines: i64 = lines
                .iter()
                .filter(|l| l["module"] == key)
                .map(|l| l["sum"].as_i64().unwrap())
                .sum();
            assert_eq!(m["events"].as_i64().unwrap(), from_lines, "module {key}");
            for l in lines.iter().filter(|l| l["module"] == key) {
                let listed: i64 = l["events"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["points"].as_i64().unwrap())
                    .sum();
                assert_eq!(listed, l["sum"].as_i64().unwrap());
                for e in l["events"].as_array().unwrap() {
                    assert!(
                        e["ledger_seq"].as_i64().is_some(),
                        "each event names its ledger entry"
                    );
                }
            }
        }
        // The leader's praise approved in the demo is among jxj's points.
        assert!(lines.iter().any(|l| l["kind"] == "leader_praise"), "{d}");

        // The maintained totals equal a count straight from the events, for every period.
        let mut tx = app.store.begin_read().await.unwrap();
        for key in [
            "2026-01", "2026-06", "2026-07", "2026-10", "2026-11", "2026-Q3", "2026-H2", "2026",
        ] {
            let p = Period::parse(key).unwrap();
            let kept = duban_store::assessment::totals(&mut tx, p).await.unwrap();
            let counted = duban_store::assessment::totals_from_events(&mut tx, p)
                .await
                .unwrap();
            let kept: Vec<_> = kept
                .iter()
                .map(|(u, s)| (*u, s.sums.clone(), s.events))
                .collect();
            let counted: Vec<_> = counted
                .iter()
                .map(|(u, s)| (*u, s.sums.clone(), s.events))
                .collect();
            assert_eq!(kept, counted, "period {key}");
        }
        drop(tx);
        // Rebuilding them from the events changes nothing.
        let before = get(&office, "/api/v1/assessment/rankings?period=2026").await;
        let mut tx = app.store.begin_write().await.unwrap();
        duban_store::assessment::rebuild_totals(&mut tx, 2026)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let after = get(&office, "/api/v1/assessment/rankings?period=2026").await;
        assert_eq!(before, after);
        // Harvesting again appends nothing: each fact counts once.
        let (s, v) = office
            .api(Method::POST, "/api/v1/assessment/refresh", None)
            .await;
        assert_eq!((s, v["events"].as_i64()), (StatusCode::OK, Some(0)), "{v}");

        // The published July showcase scored each presenting unit: the rule's 5 points scaled
        // by the unit's score out of 100, one event per unit, on the day it was held.
        let shows = get(&office, "/api/v1/showcases").await;
        let july = shows
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["state"] == "published")
            .expect("the demo published July's showcase");
        let res = get(
            &office,
            &format!("/api/v1/showcases/{}/results", july["id"]),
        )
        .await;
        let mut tx = app.store.begin_read().await.unwrap();
        let mut scored: Vec<(String, i64, i64)> = duban_store::sql(
            "SELECT u.short_name, e.points, e.scheme_version FROM score_events e
             JOIN units u ON u.id = e.unit_id
             WHERE e.kind = 'showcase_score' AND e.source_id = $1",
        )
        .bind(july["id"].as_i64().unwrap())
        .fetch_all(&mut tx)
        .await
        .unwrap();
        drop(tx);
        scored.sort();
        let mut want: Vec<(String, i64, i64)> = res["lines"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|l| {
                let h = l["score_hundredths"].as_i64()?;
                // 500 × h / 10 000, half away from zero (h ≥ 0)
                Some((
                    l["unit_name"].as_str()?.to_string(),
                    (500 * h + 5_000) / 10_000,
                    2,
                ))
            })
            .collect();
        want.sort();
        assert!(want.len() >= 10, "{res}");
        assert_eq!(scored, want);
    }
}

#[tokio::test]
async fn a_unit_sees_its_own_scores_only_and_the_tables_stay_with_the_office() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let head = app.signed_in("jxj-head").await;
        let jxj = app.unit_id("jxj").await;
        let zjj = app.unit_id("zjj").await;
        get(&head, &format!("/api/v1/assessment/units/{jxj}")).await;
        let (s, _) = head
            .api(
                Method::GET,
                &format!("/api/v1/assessment/units/{zjj}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = head
            .api(Method::GET, "/api/v1/assessment/rankings", None)
            .await;
        assert_eq!(
            s,
            StatusCode::FORBIDDEN,
            "the demo's scheme keeps the tables from units"
        );
        // On the page, the head is taken to the unit's own scores.
        let res = head.get("/assessment?period=2026-10").await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let to = res.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(to, format!("/assessment/units/{jxj}?period=2026-10"));
        let page = head.get(&to).await.text().await.unwrap();
        assert!(
            page.contains("得分依据"),
            "the points behind the score are on the page"
        );
        let deputy = app.signed_in("deputy1").await;
        let (s, _) = deputy
            .api(
                Method::GET,
                &format!("/api/v1/assessment/units/{jxj}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn a_manual_event_needs_a_second_officer_and_moves_the_total_by_its_points() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let dkb = app.signed_in("dkb").await;
        let dkb3 = app.signed_in("dkb3").await;
        let fgj = app.unit_id("fgj").await;
        let month = format!("{}-{:02}", today().year(), today().month());
        let before = total(&dkb, fgj, &month).await;
        // An automatic kind cannot be proposed by hand.
        let (s, v) = dkb
            .api(
                Method::POST,
                "/api/v1/assessment/proposals",
                Some(json!({"unit_id": fgj, "kind": "case_overdue", "reason": "x"})),
            )
            .await;
        assert_eq!(
            (s, code(&v)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("score_kind_automatic")
            )
        );
        let (s, v) = dkb
            .api(
                Method::POST,
                "/api/v1/assessment/proposals",
                Some(
                    json!({"unit_id": fgj, "kind": "leader_criticism", "day": today().to_string(),
                    "reason": "分管副市长批评：项目前期工作推进迟缓"}),
                ),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let id = v["id"].as_i64().unwrap();
        let ledger = app.ledger_len().await;
        // The proposer cannot approve it.
        let (s, v) = dkb
            .api(
                Method::POST,
                &format!("/api/v1/assessment/proposals/{id}/decision"),
                Some(json!({"decision": "approve"})),
            )
            .await;
        assert_eq!(
            (s, code(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("four_eyes"))
        );
        assert_eq!(app.ledger_len().await, ledger, "nothing written");
        assert_eq!(total(&dkb, fgj, &month).await, before);
        // Another officer can; the total drops by exactly the rule's points (−2 as lead).
        let (s, v) = dkb3
            .api(
                Method::POST,
                &format!("/api/v1/assessment/proposals/{id}/decision"),
                Some(json!({"decision": "approve", "note": "核实"})),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
        let after = total(&dkb, fgj, &month).await;
        let d = get(
            &dkb,
            &format!("/api/v1/assessment/units/{fgj}?period={month}"),
        )
        .await;
        let manual = d["score"]["modules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["key"] == "manual")
            .unwrap()
            .clone();
        // The module may be held at zero or its weight; otherwise the points show one for one.
        if manual["score"].as_i64().unwrap() > 0 {
            assert_eq!(after, before - 200, "{d}");
        }
        // A second decision is refused.
        let (s, v) = dkb3
            .api(
                Method::POST,
                &format!("/api/v1/assessment/proposals/{id}/decision"),
                Some(json!({"decision": "reject", "note": "重复"})),
            )
            .await;
        assert_eq!(
            (s, code(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("score_decided"))
        );
    }
}

#[tokio::test]
async fn an_appeal_reverses_or_stands_and_is_refused_late_twice_or_by_others() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb3").await;
        // A deduction of this month still open to appeal, of a unit whose head we sign in as.
        let month = format!("{}-{:02}", today().year(), today().month());
        let r = get(
            &office,
            &format!("/api/v1/assessment/rankings?period={month}"),
        )
        .await;
        let mut found = None;
        'units: for g in r["groups"].as_array().unwrap() {
            for row in g["rows"].as_array().unwrap() {
                let unit = row["unit_id"].as_i64().unwrap();
                let d = get(
                    &office,
                    &format!("/api/v1/assessment/units/{unit}?period={month}"),
                )
                .await;
                for l in d["lines"].as_array().unwrap() {
                    for e in l["events"].as_array().unwrap() {
                        let day: jiff::civil::Date = e["day"].as_str().unwrap().parse().unwrap();
                        if e["points"].as_i64().unwrap() < 0
                            && e["appeal_id"].is_null()
                            && e["reverses"].is_null()
                            && e["reversed_by"].is_null()
                            && (today() - day).get_days() <= 20
                        {
                            found = Some((
                                unit,
                                e["id"].as_i64().unwrap(),
                                e["points"].as_i64().unwrap(),
                            ));
                            break 'units;
                        }
                    }
                }
            }
        }
        let (unit, event, points) = found.expect("a recent deduction in the demo");
        let code_of = {
            let mut tx = app.store.begin_read().await.unwrap();
            duban_store::org::get_unit(&mut tx, duban_core::org::UnitId(unit))
                .await
                .unwrap()
                .code
        };
        let head = app.signed_in(&format!("{code_of}-head")).await;
        let other = app
            .signed_in(if code_of == "jxj" {
                "zjj-head"
            } else {
                "jxj-head"
            })
            .await;
        let path = format!("/api/v1/assessment/events/{event}/appeal");
        let (s, _) = other
            .api(Method::POST, &path, Some(json!({"reason": "不是我们的"})))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "another unit's head");
        let (s, v) = head
            .api(Method::POST, &path, Some(json!({"reason": " "})))
            .await;
        assert_eq!(
            (s, code(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("reason_required"))
        );
        let before = total(&head, unit, &month).await;
        let (s, v) = head
            .api(
                Method::POST,
                &path,
                Some(json!({"reason": "已按期办结", "evidence": "办结报告"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let appeal = v["id"].as_i64().unwrap();
        let (s, v) = head
            .api(Method::POST, &path, Some(json!({"reason": "再次申诉"})))
            .await;
        assert_eq!(
            (s, code(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("appeal_exists"))
        );
        // Granted: a reversing event, the total back by the points, both texts kept.
        let (s, _) = office
            .api(
                Method::POST,
                &format!("/api/v1/assessment/appeals/{appeal}/decision"),
                Some(json!({"decision": "grant", "note": "核实属实"})),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let after = total(&head, unit, &month).await;
        assert!(after >= before, "a granted appeal never lowers the total");
        let d = get(
            &head,
            &format!("/api/v1/assessment/units/{unit}?period={month}"),
        )
        .await;
        let events: Vec<&Value> = d["lines"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|l| l["events"].as_array().unwrap())
            .collect();
        let original = events.iter().find(|e| e["id"] == event).unwrap();
        assert_eq!(original["appeal_state"], "granted");
        let reversal = events.iter().find(|e| e["reverses"] == event).unwrap();
        assert_eq!(reversal["points"].as_i64().unwrap(), -points);
        let list = get(&head, "/api/v1/assessment/appeals").await;
        let a = list
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == appeal)
            .unwrap();
        assert_eq!(
            (a["reason"].as_str(), a["decision_note"].as_str()),
            (Some("已按期办结"), Some("核实属实"))
        );

        // An event past the window: the demo's January events.
        let d = get(
            &office,
            &format!("/api/v1/assessment/units/{unit}?period=2026-01"),
        )
        .await;
        if let Some(old) = d["lines"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|l| l["events"].as_array().unwrap())
            .next()
        {
            let (s, v) = head
                .api(
                    Method::POST,
                    &format!("/api/v1/assessment/events/{}/appeal", old["id"]),
                    Some(json!({"reason": "补充申诉"})),
                )
                .await;
            assert_eq!(
                (s, code(&v)),
                (StatusCode::UNPROCESSABLE_ENTITY, Some("appeal_late"))
            );
        }
    }
}

#[tokio::test]
async fn a_bad_scheme_is_refused_with_its_reason_and_writes_nothing() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb3").await;
        let v = get(&office, "/api/v1/assessment/scheme?year=2026").await;
        let versions = v["versions"].as_array().unwrap().len();
        let current = v["versions"][versions - 1]["scheme"].clone();
        let ledger = app.ledger_len().await;
        let post = |scheme: Value, reason: &'static str| {
            let office = &office;
            async move {
                office
                    .api(
                        Method::POST,
                        "/api/v1/assessment/scheme?year=2026",
                        Some(json!({"scheme": scheme, "reason": reason})),
                    )
                    .await
            }
        };
        let mut weights = current.clone();
        weights["modules"][0]["weight"] = json!(45);
        let (s, v) = post(weights, "调整权重").await;
        assert_eq!(
            (s, code(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("weights_not_100"))
        );
        let mut stars = current.clone();
        stars["stars"] = json!({"by": "score", "at": [8000, 9000, 7000, 6000]});
        let (s, v) = post(stars, "调整星级").await;
        assert_eq!(
            (s, code(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("stars_order"))
        );
        let mut logins = current.clone();
        logins["rules"]
            .as_array_mut()
            .unwrap()
            .push(json!({"kind": "login", "module": "manual", "points": 10}));
        let (s, v) = post(logins, "按登录加分").await;
        assert!(s.is_client_error(), "{s}");
        assert!(v.to_string().contains("不得按"), "the reason is given: {v}");
        let (s, v) = post(current.clone(), "").await;
        assert_eq!(
            (s, code(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("reason_required"))
        );
        assert_eq!(app.ledger_len().await, ledger, "nothing written");
        // A good revision adopts a new version from today on.
        let (s, v) = post(current, "年底前加大逾期扣分").await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["id"].as_i64().unwrap() as usize, versions + 1);
        let v = get(&office, "/api/v1/assessment/scheme?year=2026").await;
        assert_eq!(
            v["versions"][versions]["in_force_from"],
            today().to_string()
        );
        // The scheme page says no activity metric is scored.
        let page = office.get("/assessment/scheme").await.text().await.unwrap();
        assert!(page.contains("指尖上的形式主义"));
        let deputy = app.signed_in("deputy1").await;
        let (s, _) = deputy
            .api(
                Method::POST,
                "/api/v1/assessment/scheme?year=2026",
                Some(json!({})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
}

/// The events of `unit` in `period` whose kind is `kind`, as the unit's detail lists them.
async fn events_of_kind(c: &Client, unit: i64, period: &str, kind: &str) -> Vec<Value> {
    let d = get(
        c,
        &format!("/api/v1/assessment/units/{unit}?period={period}"),
    )
    .await;
    d["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] == kind)
        .flat_map(|l| l["events"].as_array().unwrap().clone())
        .collect()
}

/// The sum of a unit's key-work events in November, before caps.
async fn key_work_events(c: &Client, unit: i64) -> i64 {
    let d = get(
        c,
        &format!("/api/v1/assessment/units/{unit}?period=2026-11"),
    )
    .await;
    d["score"]["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == "key_work")
        .and_then(|m| m["events"].as_i64())
        .expect("the key-work module")
}

#[tokio::test]
async fn a_report_never_sent_scores_missing_and_sent_late_it_scores_late_once() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        // 30 November: November's reports were due on the 28th.
        let server = app.server_at(at(jiff::civil::date(2026, 11, 30), 10)).await;
        let office = app.signed_in_on(&server, "dkb3").await;
        let liaison = app.signed_in_on(&server, "jxj-liaison").await;
        let head = app.signed_in_on(&server, "jxj-head").await;
        let jxj = app.unit_id("jxj").await;

        // A task 经信局 leads that owes November's report and has sent none.
        let (s, queues) = liaison.api(Method::GET, "/api/v1/reports", None).await;
        assert_eq!(s, StatusCode::OK, "{queues}");
        let mut task = None;
        for row in queues["due"].as_array().expect("due") {
            let id = row["id"].as_i64().expect("task id");
            let mut tx = app.store.begin_read().await.unwrap();
            // Counted work reports once, at its top: a sub-task's report is not scored.
            let (lead, counted): (i64, bool) = duban_store::sql(
                "SELECT t.lead_unit_id, t.parent_id IS NULL AND NOT EXISTS
                    (SELECT 1 FROM tasks ch WHERE ch.parent_id = t.id AND ch.state = 'approved')
                 FROM tasks t WHERE t.id = $1",
            )
            .bind(id)
            .fetch_one(&mut tx)
            .await
            .unwrap();
            if row["report_state"].is_null() && lead == jxj && counted {
                task = Some(id);
                break;
            }
        }
        let task = task.expect("the demo leaves a November report of 经信局 unsent");
        let href = format!("/lists/tasks/{task}");

        // The office refreshes: the report is missing from 29 November, for 经信局 only.
        let (s, v) = office
            .api(Method::POST, "/api/v1/assessment/refresh", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let missing: Vec<Value> = events_of_kind(&office, jxj, "2026-11", "report_missing")
            .await
            .into_iter()
            .filter(|e| e["href"] == href.as_str())
            .collect();
        assert_eq!(missing.len(), 1, "{missing:?}");
        let m = &missing[0];
        assert_eq!(m["day"], "2026-11-29", "the day after it was due");
        assert_eq!(m["source_ref"], "2026-11");
        assert!(m["points"].as_i64().unwrap() < 0, "{m}");
        assert!(m["reversed_by"].is_null());
        let key_work_before = key_work_events(&office, jxj).await;

        // Sent late, approved and accepted: the missing event is reversed and the report
        // scores as late — once, not on top of the missing one.
        let (s, v) = liaison
            .api(
                Method::POST,
                &format!("/api/v1/tasks/{task}/reports"),
                Some(json!({"no_change": true, "progress_text": "补报。"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let review = format!("/api/v1/reports/{}/review", v["id"].as_i64().unwrap());
        let (s, v) = head
            .api(Method::POST, &review, Some(json!({"action": "approve"})))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (s, v) = office
            .api(Method::POST, &review, Some(json!({"action": "accept"})))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (s, v) = office
            .api(Method::POST, "/api/v1/assessment/refresh", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");

        let missing = events_of_kind(&office, jxj, "2026-11", "report_missing").await;
        let of_task: Vec<&Value> = missing
            .iter()
            .filter(|e| e["href"] == href.as_str())
            .collect();
        let reversed = of_task
            .iter()
            .find(|e| e["reverses"].is_null())
            .expect("the missing event stays, reversed");
        assert!(reversed["reversed_by"].as_i64().is_some(), "{of_task:?}");
        let reversal = of_task
            .iter()
            .find(|e| e["reverses"] == reversed["id"])
            .expect("its reversal is listed");
        assert_eq!(reversal["reason"], "reported");
        assert_eq!(
            reversal["points"].as_i64().unwrap(),
            -reversed["points"].as_i64().unwrap()
        );
        let late: Vec<Value> = events_of_kind(&office, jxj, "2026-11", "report_late")
            .await
            .into_iter()
            .filter(|e| e["title"].as_str().is_some_and(|t| !t.is_empty()))
            .collect();
        let mut tx = app.store.begin_read().await.unwrap();
        let (late_here,): (i64,) = duban_store::sql(
            "SELECT COUNT(*) FROM score_events e JOIN progress_reports r
                 ON e.source_kind = 'report' AND r.id = e.source_id
             WHERE e.kind = 'report_late' AND r.task_id = $1 AND r.period = '2026-11'",
        )
        .bind(task)
        .fetch_one(&mut tx)
        .await
        .unwrap();
        drop(tx);
        assert_eq!(late_here, 1, "one late event for the report: {late:?}");
        let late_points = late
            .iter()
            .find(|e| e["day"] == "2026-11-28")
            .map(|e| e["points"].as_i64().unwrap())
            .expect("the late report is listed on its due day");
        // (Module scores are capped, so the raw sum of the module's events is what must move.)
        assert_eq!(
            key_work_events(&office, jxj).await,
            key_work_before - reversed["points"].as_i64().unwrap() + late_points,
            "the key-work points moved by exactly the reversal and the late report"
        );
    }
}
