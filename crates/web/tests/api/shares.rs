//! Each unit handles its own share (县乡一体, issue 19, item 4) over HTTP on both backends:
//! a case split between two towns closes only when both parts are verified, every unit is
//! told of its assignment, and a unit acting on a part that is not its own is refused with
//! nothing written; a town reports its share of a department's task, the report goes the
//! usual way, and the department's task rolls up from the shares, counted once.

use crate::helpers::{TestApp, backends};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn scalar(app: &TestApp, sql: &'static str, id: i64) -> i64 {
    let mut tx = app.store.begin_read().await.expect("tx");
    let (n,): (i64,) = duban_store::sql(sql)
        .bind(id)
        .fetch_one(&mut tx)
        .await
        .expect("scalar");
    n
}

async fn text(app: &TestApp, sql: &'static str, a: i64, b: i64) -> Option<String> {
    let mut tx = app.store.begin_read().await.expect("tx");
    let row: Option<(Option<String>,)> = duban_store::sql(sql)
        .bind(a)
        .bind(b)
        .fetch_optional(&mut tx)
        .await
        .expect("text");
    row.and_then(|(t,)| t)
}

/// The field codes of a 422 problem (`field.code`).
fn codes(v: &Value) -> Vec<String> {
    v["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    format!(
                        "{}.{}",
                        e["field"].as_str().unwrap_or(""),
                        e["code"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Notifications of a kind sent to a unit's people about a case.
async fn told(app: &TestApp, unit: &str, kind: &str, case: i64) -> i64 {
    let mut tx = app.store.begin_read().await.expect("tx");
    let (n,): (i64,) = duban_store::sql(
        "SELECT COUNT(*) FROM notifications n
         WHERE n.kind = $1 AND n.case_id = $2 AND n.person_id IN
             (SELECT m.person_id FROM memberships m JOIN units u ON u.id = m.unit_id WHERE u.code = $3)",
    )
    .bind(kind)
    .bind(case)
    .bind(unit)
    .fetch_one(&mut tx)
    .await
    .expect("notifications");
    n
}

#[tokio::test]
async fn a_case_split_between_two_towns_closes_only_when_both_parts_are_verified() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb2").await;
        let (s, v) = office
            .api(
                Method::POST,
                "/api/v1/cases",
                Some(json!({"source": "inspection", "title": "跨镇街河道漂浮物清理", "content": "东城、西城交界河段"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let case = v["id"].as_i64().expect("id");
        let steps = format!("/api/v1/cases/{case}/steps");
        let dongcheng = app.unit_id("town-dongcheng").await;
        let xicheng = app.unit_id("town-xicheng").await;
        let unit_name = |code: &'static str| {
            let app = &app;
            async move {
                let mut tx = app.store.begin_read().await.expect("tx");
                duban_store::org::find_unit_by_code(&mut tx, code)
                    .await
                    .expect("query")
                    .expect("unit")
                    .name
            }
        };
        // 东城 leads its own part; 西城 handles its part as a split unit; 住建局 co-operates.
        let (s, v) = office
            .api(
                Method::POST,
                &steps,
                Some(json!({"step": "assign", "lead_unit_id": dongcheng,
                    "split_units": unit_name("town-xicheng").await,
                    "co_units": unit_name("zjj").await, "deadline": "10wd"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        // Everyone assigned is told, each what is asked of it.
        assert!(told(&app, "town-dongcheng", "case.assign", case).await > 0);
        assert!(told(&app, "town-xicheng", "case.assign_split", case).await > 0);
        assert!(told(&app, "zjj", "case.assign_co", case).await > 0);
        assert_eq!(told(&app, "town-xicheng", "case.assign", case).await, 0);

        let (s, v) = office
            .api(Method::GET, &format!("/api/v1/cases/{case}"), None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(v["parts"].as_array().map(Vec::len), Some(1), "{v}");
        assert_eq!(v["parts"][0]["unit_id"], xicheng);
        assert_eq!(v["parts"][0]["state"], "assigned");
        assert_eq!(v["parts"][0]["light"], "green", "{v}");

        let events = "SELECT COUNT(*) FROM case_events WHERE case_id = $1";
        let part_state = "SELECT part_state FROM case_units WHERE case_id = $1 AND unit_id = $2";
        let xc_liaison = app.signed_in("town-xicheng-liaison").await;
        let xc_head = app.signed_in("town-xicheng-head").await;
        let dc_liaison = app.signed_in("town-dongcheng-liaison").await;
        let dc_head = app.signed_in("town-dongcheng-head").await;
        let other_town = app.signed_in("town-jiangnan-liaison").await;
        let written = scalar(&app, events, case).await;
        let ledger = app.ledger_len().await;
        let part = |step: &str, unit: i64| json!({"step": step, "part_unit_id": unit, "note": "已安排保洁船"});

        // Refused, with nothing written: the lead town on 西城's part; a town the case does
        // not name; 西城 naming a unit that has no part; a liaison concluding; a step parts
        // do not take.
        let (s, v) = dc_liaison
            .api(Method::POST, &steps, Some(part("acknowledge", xicheng)))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        assert!(v.to_string().contains("outside the units"), "{v}");
        let (s, _) = other_town
            .api(Method::POST, &steps, Some(part("acknowledge", xicheng)))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, v) = xc_liaison
            .api(Method::POST, &steps, Some(part("acknowledge", dongcheng)))
            .await;
        assert_eq!(
            (s, codes(&v)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["part_unit_id.not_a_split_unit".to_string()]
            )
        );
        let (s, _) = xc_liaison
            .api(
                Method::POST,
                &steps,
                Some(json!({"step": "claim_done", "part_unit_id": xicheng, "evidence": "照片"})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "only the head concludes");
        let (s, v) = xc_head
            .api(Method::POST, &steps, Some(json!({"step": "propose_defer", "part_unit_id": xicheng, "plan_on": "2026-12-30"})))
            .await;
        assert_eq!(
            (s, codes(&v)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["step.not_a_part_step".to_string()]
            )
        );
        // 西城 cannot take the lead's steps on the case either.
        let (s, _) = xc_liaison
            .api(Method::POST, &steps, Some(json!({"step": "acknowledge"})))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(
            scalar(&app, events, case).await,
            written,
            "refusals wrote nothing"
        );
        assert_eq!(app.ledger_len().await, ledger);
        assert_eq!(
            text(&app, part_state, case, xicheng).await.as_deref(),
            Some("assigned")
        );

        // 西城 acknowledges, reports and claims its part done; 东城 does the same for the case.
        for (who, body) in [
            (&xc_liaison, part("acknowledge", xicheng)),
            (&xc_liaison, part("report", xicheng)),
            (
                &xc_head,
                json!({"step": "claim_done", "part_unit_id": xicheng, "evidence": "河段已清理，照片见附件"}),
            ),
            (&dc_liaison, json!({"step": "acknowledge"})),
            (
                &dc_head,
                json!({"step": "claim_done", "evidence": "本段已清理"}),
            ),
        ] {
            let (s, v) = who.api(Method::POST, &steps, Some(body.clone())).await;
            assert_eq!(s, StatusCode::OK, "{body}: {v}");
        }
        assert_eq!(
            text(&app, part_state, case, xicheng).await.as_deref(),
            Some("completion_claimed")
        );
        let claims = "SELECT COUNT(*) FROM notifications WHERE kind = 'case.part_claim_done' AND case_id = $1";
        assert!(
            scalar(&app, claims, case).await > 0,
            "the office hears of the part's claim"
        );

        // 销号 of the case waits for 西城's part: refused, nothing written.
        let written = scalar(&app, events, case).await;
        let (s, v) = office
            .api(Method::POST, &steps, Some(json!({"step": "verify_ok"})))
            .await;
        assert_eq!(
            (s, codes(&v)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["step.parts_open".to_string()]
            ),
            "{v}"
        );
        assert_eq!(scalar(&app, events, case).await, written);
        // A town cannot verify its own part.
        let (s, _) = xc_head
            .api(Method::POST, &steps, Some(part("verify_ok", xicheng)))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        // One part verified: the case is still open.
        let (s, v) = office
            .api(Method::POST, &steps, Some(part("verify_ok", xicheng)))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            text(&app, part_state, case, xicheng).await.as_deref(),
            Some("closed_out")
        );
        assert!(told(&app, "town-xicheng", "case.part_verify_ok", case).await > 0);
        let (_, v) = office
            .api(Method::GET, &format!("/api/v1/cases/{case}"), None)
            .await;
        assert_eq!(v["case"]["handling"]["state"], "completion_claimed", "{v}");
        assert_eq!(v["parts"][0]["state"], "closed_out");
        assert_eq!(
            v["parts"][0]["light"],
            Value::Null,
            "a closed part is off the clock"
        );
        let (s, _) = office
            .api(Method::POST, &steps, Some(part("verify_ok", xicheng)))
            .await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a closed part stays closed"
        );

        // The second verified: the case is closed.
        let (s, v) = office
            .api(Method::POST, &steps, Some(json!({"step": "verify_ok"})))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (_, v) = office
            .api(Method::GET, &format!("/api/v1/cases/{case}"), None)
            .await;
        assert_eq!(v["case"]["handling"]["state"], "closed_out", "{v}");

        // The page shows the part and its steps in the timeline.
        let page = xc_liaison
            .get(&format!("/cases/{case}"))
            .await
            .text()
            .await
            .expect("page");
        assert!(page.contains("分办单位办理情况"), "{backend}");
        assert!(page.contains("分办核查销号"), "{backend}");
    }
}

/// A task of the lists as the API shows it.
async fn task(c: &crate::helpers::Client, id: i64) -> (StatusCode, Value) {
    c.api(Method::GET, &format!("/api/v1/tasks/{id}"), None)
        .await
}

async fn counted_tasks(c: &crate::helpers::Client) -> i64 {
    let (s, v) = c.api(Method::GET, "/api/v1/dashboard", None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["totals"]["total"].as_i64().expect("total")
}

#[tokio::test]
async fn a_town_reports_its_share_of_a_departments_task_and_the_department_rolls_up() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let jxj = app.unit_id("jxj").await;
        let dongcheng = app.unit_id("town-dongcheng").await;
        let xicheng = app.unit_id("town-xicheng").await;
        let dept = app.signed_in("jxj-liaison").await;
        let dept_head = app.signed_in("jxj-head").await;
        let office = app.signed_in("dkb2").await;
        let town = app.signed_in("town-dongcheng-liaison").await;
        let town_head = app.signed_in("town-dongcheng-head").await;
        let third = app.signed_in("town-jiangnan-liaison").await;
        let counted = counted_tasks(&office).await;

        let (s, v) = dept
            .api(
                Method::POST,
                "/api/v1/tasks",
                Some(json!({
                    "title": "企业技术改造投资", "list_kind": "work", "lead_unit_id": jxj,
                    "due_date": "2026-12-31", "weight": 2,
                    "indicators": [{"name": "技改投资", "target": 10, "unit": "亿元"}],
                })),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let parent = v["id"].as_i64().expect("id");
        // Shares by town: each led by its town.
        let share = |town: i64, name: &str, target: f64| {
            json!({"title": format!("{name}企业技术改造投资"), "lead_unit_id": town, "weight": 1,
                "indicators": [{"name": "技改投资", "target": target, "unit": "亿元"}]})
        };
        let subtasks = format!("/api/v1/tasks/{parent}/subtasks");
        // A town cannot decompose a department's task, and nothing is written.
        let tasks_before = app.count("SELECT COUNT(*) FROM tasks").await;
        let (s, _) = third
            .api(
                Method::POST,
                &subtasks,
                Some(share(dongcheng, "东城街道", 6.0)),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(app.count("SELECT COUNT(*) FROM tasks").await, tasks_before);
        let (s, v) = dept
            .api(
                Method::POST,
                &subtasks,
                Some(share(dongcheng, "东城街道", 6.0)),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let east = v["id"].as_i64().expect("id");
        let (s, v) = dept
            .api(
                Method::POST,
                &subtasks,
                Some(share(xicheng, "西城街道", 4.0)),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let west = v["id"].as_i64().expect("id");

        // The share is its town's, numbered in the town's list, with the department beside it.
        let (s, v) = task(&dept, east).await;
        assert_eq!(s, StatusCode::OK, "the department sees its share: {v}");
        assert_eq!(v["task"]["fields"]["lead_unit_id"], dongcheng);
        assert_eq!(v["task"]["fields"]["parent_id"], parent);
        assert!(
            !v["task"]["fields"]["path"]
                .as_str()
                .unwrap_or(".")
                .contains('.'),
            "{v}"
        );
        assert!(
            v["task"]["fields"]["co_unit_ids"]
                .as_array()
                .unwrap()
                .contains(&json!(jxj)),
            "{v}"
        );
        // The department defines it, the town does not.
        assert_eq!(v["allowed"]["edit"], true, "{v}");
        let (_, v) = task(&town, east).await;
        assert_eq!(v["allowed"]["edit"], false, "{v}");
        let (s, _) = town
            .api(
                Method::PUT,
                &format!("/api/v1/tasks/{east}"),
                Some(share(dongcheng, "东城街道", 60.0)),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        // The department's head submits its list with the shares; the office approves.
        let (s, v) = dept_head
            .api(
                Method::POST,
                &format!("/api/v1/units/{jxj}/tasks/submit?year=2026"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        for id in [parent, east, west] {
            let (s, v) = office
                .api(
                    Method::POST,
                    &format!("/api/v1/tasks/{id}/review"),
                    Some(json!({"decision": "approve"})),
                )
                .await;
            assert_eq!(
                (s, v["state"].as_str()),
                (StatusCode::OK, Some("approved")),
                "{id}: {v}"
            );
        }
        // Decomposed work counts once: the department's task, not its shares.
        assert_eq!(counted_tasks(&office).await, counted + 1);

        // The share is on its town's list.
        let (s, v) = town
            .api(
                Method::GET,
                &format!("/api/v1/tasks?unit={dongcheng}&lead=1&per_page=200"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert!(v.to_string().contains(&format!("\"id\":{east}")), "{v}");

        // Only its town reports it: not the department, not a third town.
        let reports = format!("/api/v1/tasks/{east}/reports");
        let body = json!({"percent": 50, "progress_text": "完成技改投资3亿元", "values": [3]});
        let count = "SELECT COUNT(*) FROM progress_reports WHERE task_id = $1";
        let (s, _) = dept.api(Method::POST, &reports, Some(body.clone())).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = third.api(Method::POST, &reports, Some(body.clone())).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(scalar(&app, count, east).await, 0, "refusals wrote nothing");

        // The town's liaison reports, its head approves, the office accepts.
        let (s, v) = town.api(Method::POST, &reports, Some(body)).await;
        assert_eq!(
            (s, v["state"].as_str()),
            (StatusCode::CREATED, Some("unit_review")),
            "{v}"
        );
        let review = format!("/api/v1/reports/{}/review", v["id"].as_i64().expect("id"));
        let (s, v) = town_head
            .api(Method::POST, &review, Some(json!({"action": "approve"})))
            .await;
        assert_eq!(
            (s, v["state"].as_str()),
            (StatusCode::OK, Some("submitted")),
            "{v}"
        );
        let (s, v) = office
            .api(Method::POST, &review, Some(json!({"action": "accept"})))
            .await;
        assert_eq!(
            (s, v["state"].as_str()),
            (StatusCode::OK, Some("accepted")),
            "{v}"
        );

        // The department's task rolls up: (50 × 1 + 0 × 1) / 2 = 25 %, 3 of 10 亿元.
        let (s, v) = dept
            .api(
                Method::GET,
                &format!("/api/v1/tasks/{parent}/progress"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["progress"].as_f64(), Some(25.0), "{v}");
        let actual: (Option<f64>,) = {
            let mut tx = app.store.begin_read().await.expect("tx");
            duban_store::sql("SELECT actual FROM task_indicators WHERE task_id = $1")
                .bind(parent)
                .fetch_one(&mut tx)
                .await
                .expect("indicator")
        };
        assert_eq!(actual.0, Some(3.0));
        // The department sees the roll-up with its shares in its task's tree.
        let (_, v) = task(&dept, parent).await;
        let tree = v["tree"].as_array().expect("tree");
        let ids: Vec<i64> = tree
            .iter()
            .filter_map(|n| n["row"]["id"].as_i64())
            .collect();
        assert_eq!(ids, vec![parent, east, west], "{v}");
        assert_eq!(tree[0]["progress"].as_f64(), Some(25.0));
        // Still counted once after the report.
        assert_eq!(counted_tasks(&office).await, counted + 1);
    }
}
