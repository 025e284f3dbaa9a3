//! Commitments and livelihood projects over HTTP: draft → review → sign → publish with the
//! signed text in the ledger byte for byte; refused steps write nothing; an amendment with its
//! reason and field diff; evaluation and conclusion; a deputy's vote; the demo's commitments.

use crate::helpers::{TestApp, backends};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn draft_body(app: &TestApp, unit: &str) -> Value {
    json!({
        "title": "新增规上工业企业 30 家",
        "content": "培育小升规企业，逐月调度。",
        "target_text": "新增规上工业企业 30 家",
        "target_value": 30,
        "target_unit": "家",
        "deadline": "2026-12-31",
        "task_ids": [app.first_task_of(unit).await],
        "supervisor_ids": [app.person_id("deputy1").await, app.person_id("deputy4").await],
    })
}

#[tokio::test]
async fn a_commitment_is_drafted_reviewed_signed_and_published_with_its_text_in_the_ledger() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let head = app.signed_in("jxj-head").await;
        let office = app.signed_in("dkb2").await;
        let deputy = app.signed_in("deputy2").await;
        let (s, created) = head
            .api(
                Method::POST,
                "/api/v1/commitments",
                Some(draft_body(&app, "jxj").await),
            )
            .await;
        assert_eq!(s, 201, "{backend}: {created}");
        let id = created["id"].as_i64().unwrap();
        let path = format!("/api/v1/commitments/{id}");
        // A deputy does not see a draft.
        assert_eq!(
            deputy.api(Method::GET, &path, None).await.0,
            403,
            "{backend}"
        );
        let steps = format!("{path}/steps");
        let (s, b) = head
            .api(Method::POST, &steps, Some(json!({"step": "submit"})))
            .await;
        assert_eq!(
            (s.as_u16(), b["state"].as_str()),
            (200, Some("under_review")),
            "{backend}"
        );
        // Returned with a comment, edited, submitted again.
        let (s, _) = office
            .api(
                Method::POST,
                &steps,
                Some(json!({"step": "return", "note": "目标请写明口径"})),
            )
            .await;
        assert_eq!(s, 200);
        let mut body = draft_body(&app, "jxj").await;
        body["target_text"] = json!("新增规上工业企业 30 家（以统计局入库为准）");
        assert_eq!(
            head.api(Method::PUT, &path, Some(body)).await.0,
            204,
            "{backend}"
        );
        head.api(Method::POST, &steps, Some(json!({"step": "submit"})))
            .await;
        let (s, b) = office
            .api(Method::POST, &steps, Some(json!({"step": "approve"})))
            .await;
        assert_eq!((s.as_u16(), b["state"].as_str()), (200, Some("approved")));
        // Only the committer signs.
        assert_eq!(
            office
                .api(Method::POST, &steps, Some(json!({"step": "sign"})))
                .await
                .0,
            403
        );
        let (s, b) = head
            .api(Method::POST, &steps, Some(json!({"step": "sign"})))
            .await;
        assert_eq!(
            (s.as_u16(), b["state"].as_str()),
            (200, Some("published")),
            "{backend}"
        );
        // Published: the deputy sees it, and the signed text equals the ledger's entry.
        let (s, detail) = deputy.api(Method::GET, &path, None).await;
        assert_eq!(s, 200, "{backend}");
        let v = &detail["versions"][0];
        assert_eq!(v["signed_intact"], true);
        let signed = v["version"]["signed_json"].as_str().unwrap().to_string();
        assert!(
            signed.contains("以统计局入库为准"),
            "the edited text was signed"
        );
        let mut tx = app.store.begin_read().await.unwrap();
        let (after,): (String,) = duban_store::sql(
            "SELECT after_json FROM ledger WHERE action = 'commitment.sign' AND object_type = 'commitment_version' AND object_id = $1",
        )
        .bind(v["version"]["id"].as_i64().unwrap())
        .fetch_one(&mut tx)
        .await
        .unwrap();
        assert_eq!(after, signed, "{backend}: ledger and page differ");
        // The list shows it with its light and progress from the task.
        let (_, list) = deputy
            .api(Method::GET, "/api/v1/commitments?state=published", None)
            .await;
        assert!(
            list.as_array()
                .unwrap()
                .iter()
                .any(|r| r["id"] == id && r["light"].is_string())
        );
        // The page renders for the committer and the deputy.
        let page = deputy.get(&format!("/commitments/{id}")).await;
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("以统计局入库为准"));
    }
}

#[tokio::test]
async fn refused_steps_write_nothing() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let head = app.signed_in("jxj-head").await;
        let liaison = app.signed_in("jxj-liaison").await;
        let deputy = app.signed_in("deputy1").await;
        let before = app.ledger_len().await;
        // Roles that may not commit, a bad body, a task out of scope.
        assert_eq!(
            liaison
                .api(
                    Method::POST,
                    "/api/v1/commitments",
                    Some(draft_body(&app, "jxj").await)
                )
                .await
                .0,
            403
        );
        assert_eq!(
            deputy
                .api(
                    Method::POST,
                    "/api/v1/commitments",
                    Some(draft_body(&app, "jxj").await)
                )
                .await
                .0,
            403
        );
        let (s, b) = head
            .api(
                Method::POST,
                "/api/v1/commitments",
                Some(json!({"title": ""})),
            )
            .await;
        assert_eq!(s, 422, "{b}");
        let out = draft_body(&app, "zjj").await;
        let (s, b) = head
            .api(Method::POST, "/api/v1/commitments", Some(out))
            .await;
        assert_eq!(s, 422, "{backend}: {b}");
        assert!(
            b["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["field"] == "task_ids")
        );
        // A supervisor who is not a deputy.
        let mut body = draft_body(&app, "jxj").await;
        body["supervisor_ids"] = json!([app.person_id("jxj-staff1").await]);
        assert_eq!(
            head.api(Method::POST, "/api/v1/commitments", Some(body))
                .await
                .0,
            422
        );
        assert_eq!(
            app.ledger_len().await,
            before,
            "{backend}: a refused draft wrote"
        );
        // On a real draft: signing before approval, approving by the committer, returning
        // without a comment.
        let (_, c) = head
            .api(
                Method::POST,
                "/api/v1/commitments",
                Some(draft_body(&app, "jxj").await),
            )
            .await;
        let steps = format!("/api/v1/commitments/{}/steps", c["id"]);
        let office = app.signed_in("dkb2").await;
        let before = app.ledger_len().await;
        assert_eq!(
            head.api(Method::POST, &steps, Some(json!({"step": "sign"})))
                .await
                .0,
            422
        );
        assert_eq!(
            head.api(Method::POST, &steps, Some(json!({"step": "approve"})))
                .await
                .0,
            403
        );
        head.api(Method::POST, &steps, Some(json!({"step": "submit"})))
            .await;
        let after_submit = app.ledger_len().await;
        // The step, and the office told of it (`notification.send`).
        assert_eq!(after_submit, before + 2);
        assert_eq!(
            office
                .api(
                    Method::POST,
                    &steps,
                    Some(json!({"step": "return", "note": " "}))
                )
                .await
                .0,
            422
        );
        assert_eq!(
            office
                .api(Method::POST, &steps, Some(json!({"step": "fly"})))
                .await
                .0,
            422
        );
        assert_eq!(
            office
                .api(Method::POST, &steps, Some(json!({"step": "conclude"})))
                .await
                .0,
            422
        );
        assert_eq!(
            app.ledger_len().await,
            after_submit,
            "{backend}: a refused step wrote"
        );
    }
}

/// The demo's commitment of a unit head, by user name.
pub(crate) async fn demo_commitment_of(app: &TestApp, username: &str) -> i64 {
    let person = app.person_id(username).await;
    let mut tx = app.store.begin_read().await.unwrap();
    let (id,): (i64,) = duban_store::sql("SELECT MIN(id) FROM commitments WHERE committer_id = $1")
        .bind(person)
        .fetch_one(&mut tx)
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn an_amendment_is_a_new_signed_version_with_its_reason_and_what_changed() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let head = app.signed_in("fgj-head").await;
        let office = app.signed_in("dkb2").await;
        let id = demo_commitment_of(&app, "fgj-head").await;
        let path = format!("/api/v1/commitments/{id}");
        let (_, before) = head.api(Method::GET, &path, None).await;
        let current = before["versions"][0]["version"]["content"].clone();
        let mut body = current.clone();
        body["deadline"] = json!("2027-06-30");
        // No reason: refused. Nothing changed: refused.
        assert_eq!(
            head.api(
                Method::POST,
                &format!("{path}/amendments"),
                Some(body.clone())
            )
            .await
            .0,
            422
        );
        let mut same = current.clone();
        same["reason"] = json!("无");
        assert_eq!(
            head.api(Method::POST, &format!("{path}/amendments"), Some(same))
                .await
                .0,
            422
        );
        body["reason"] = json!("征地手续延迟");
        // Someone else may not amend it.
        let other = app.signed_in("czj-head").await;
        assert_eq!(
            other
                .api(
                    Method::POST,
                    &format!("{path}/amendments"),
                    Some(body.clone())
                )
                .await
                .0,
            403
        );
        assert_eq!(
            head.api(Method::POST, &format!("{path}/amendments"), Some(body))
                .await
                .0,
            201,
            "{backend}"
        );
        let steps = format!("{path}/steps");
        head.api(Method::POST, &steps, Some(json!({"step": "submit"})))
            .await;
        office
            .api(Method::POST, &steps, Some(json!({"step": "approve"})))
            .await;
        let (s, b) = head
            .api(Method::POST, &steps, Some(json!({"step": "sign"})))
            .await;
        assert_eq!(
            (s.as_u16(), b["state"].as_str()),
            (200, Some("fulfilling")),
            "{backend}: {b}"
        );
        let (_, after) = head.api(Method::GET, &path, None).await;
        let versions = after["versions"].as_array().unwrap();
        assert_eq!(versions.len(), 2);
        assert_eq!(
            versions[0]["version"]["content"]["deadline"], "2026-12-31",
            "old version kept"
        );
        assert_eq!(versions[1]["version"]["reason"], "征地手续延迟");
        assert_eq!(
            versions[1]["changes"],
            json!([{"field": "deadline", "before": "2026-12-31", "after": "2027-06-30"}])
        );
        assert_eq!(versions[1]["signed_intact"], true);
        assert_eq!(
            after["commitment"]["current_version_id"],
            versions[1]["version"]["id"]
        );
    }
}

#[tokio::test]
async fn deputies_evaluate_the_office_concludes_from_the_scores_and_deputies_vote_on_projects() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        // The demo's first vice-mayor's commitment is under evaluation: deputies and a member
        // gave 90, 78 and 88, and the office recorded 85 from the public.
        let id = demo_commitment_of(&app, "fsz1").await;
        let path = format!("/api/v1/commitments/{id}");
        let deputy = app.signed_in("deputy3").await;
        let head = app.signed_in("jxj-head").await;
        let eval = format!("{path}/evaluations");
        assert_eq!(
            head.api(
                Method::POST,
                &eval,
                Some(json!({"verdict": "fulfilled", "score": 90}))
            )
            .await
            .0,
            403
        );
        assert_eq!(
            deputy
                .api(
                    Method::POST,
                    &eval,
                    Some(json!({"verdict": "fulfilled", "score": 101}))
                )
                .await
                .0,
            422
        );
        assert_eq!(
            deputy
                .api(
                    Method::POST,
                    &eval,
                    Some(json!({"verdict": "not_fulfilled", "score": 10}))
                )
                .await
                .0,
            204
        );
        // A second evaluation by the same deputy replaces the first.
        assert_eq!(
            deputy
                .api(
                    Method::POST,
                    &eval,
                    Some(json!({"verdict": "partly_fulfilled", "score": 40}))
                )
                .await
                .0,
            204
        );
        let (_, d) = deputy.api(Method::GET, &path, None).await;
        assert_eq!(d["evaluation_summary"]["count"], 5, "{backend}");
        // Deputies and members (90 + 78 + 88 + 40) / 4 = 74 weigh 70%, the public's 85 weighs
        // 30%: 77.3 → partly fulfilled.
        let office = app.signed_in("dkb2").await;
        let (s, b) = office
            .api(
                Method::POST,
                &format!("{path}/steps"),
                Some(json!({"step": "conclude"})),
            )
            .await;
        assert_eq!(
            (s.as_u16(), b["state"].as_str()),
            (200, Some("partly_fulfilled")),
            "{backend}"
        );
        assert_eq!(
            deputy
                .api(
                    Method::POST,
                    &eval,
                    Some(json!({"verdict": "fulfilled", "score": 90}))
                )
                .await
                .0,
            422
        );

        // 民生实事: a deputy votes, changes the vote, the office closes, a late vote is refused.
        let (_, projects) = deputy.api(Method::GET, "/api/v1/livelihood", None).await;
        let p = &projects[0];
        assert_eq!(p["votes"]["satisfied"], 2, "{backend}: {p}");
        assert_eq!(p["satisfaction"], 100.0);
        let votes = format!("/api/v1/livelihood/{}/votes", p["id"]);
        assert_eq!(
            head.api(Method::POST, &votes, Some(json!({"vote": "satisfied"})))
                .await
                .0,
            403
        );
        assert_eq!(
            deputy
                .api(Method::POST, &votes, Some(json!({"vote": "maybe"})))
                .await
                .0,
            422
        );
        deputy
            .api(Method::POST, &votes, Some(json!({"vote": "dissatisfied"})))
            .await;
        assert_eq!(
            deputy
                .api(Method::POST, &votes, Some(json!({"vote": "abstain"})))
                .await
                .0,
            204
        );
        let (_, one) = deputy
            .api(
                Method::GET,
                &format!("/api/v1/livelihood/{}", p["id"]),
                None,
            )
            .await;
        assert_eq!(one["my_vote"], "abstain");
        assert_eq!(one["project"]["votes"]["abstain"], 1, "one vote per deputy");
        assert_eq!(
            office
                .api(
                    Method::POST,
                    &format!("/api/v1/livelihood/{}/close", p["id"]),
                    None
                )
                .await
                .0,
            204
        );
        assert_eq!(
            deputy
                .api(Method::POST, &votes, Some(json!({"vote": "satisfied"})))
                .await
                .0,
            422
        );
    }
}

#[tokio::test]
async fn the_demo_has_signed_commitments_of_every_vice_mayor_and_a_dozen_unit_heads() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb2").await;
        let (_, list) = office.api(Method::GET, "/api/v1/commitments", None).await;
        let rows = list.as_array().unwrap();
        let public: Vec<&Value> = rows
            .iter()
            .filter(|r| {
                !["drafted", "under_review", "returned", "approved"]
                    .contains(&r["state"].as_str().unwrap())
            })
            .collect();
        for n in 1..=6 {
            let person = app.person_id(&format!("fsz{n}")).await;
            assert!(
                public.iter().any(|r| r["committer_id"] == person),
                "{backend}: fsz{n}"
            );
        }
        let heads = public
            .iter()
            .filter(|r| r["committer_title"] != "副市长" && r["committer_title"] != "常务副市长")
            .count();
        assert!(heads >= 10, "{backend}: only {heads} unit heads committed");
        assert!(rows.iter().any(|r| r["state"] == "under_review"));
        assert!(
            public.iter().any(|r| r["version"] == 2),
            "the amendment is the version in force"
        );
        // The list page renders with the filters.
        let page = office.get("/commitments?light=red").await;
        assert_eq!(page.status(), 200);
        assert_eq!(office.get("/livelihood").await.status(), 200);
    }
}

/// The first `n` approved top-level tasks of a unit's demo list: (id, title).
async fn approved_tasks_of(app: &TestApp, code: &str, n: i64) -> Vec<(i64, String)> {
    let unit = app.unit_id(code).await;
    let mut tx = app.store.begin_read().await.unwrap();
    let (rows, _) = duban_store::lists::browse::list_tasks(
        &mut tx,
        &duban_store::lists::browse::TaskFilter {
            lead_unit: Some(duban_core::org::UnitId(unit)),
            state: Some(duban_core::lists::state::TaskState::Approved),
            top_level: true,
            limit: n,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    rows.into_iter().map(|r| (r.id, r.title)).collect()
}

async fn commitment_count(app: &TestApp) -> i64 {
    let mut tx = app.store.begin_read().await.unwrap();
    let (n,): (i64,) = duban_store::sql("SELECT COUNT(*) FROM commitments")
        .fetch_one(&mut tx)
        .await
        .unwrap();
    n
}

#[tokio::test]
async fn the_form_offers_tasks_and_deputies_to_tick_and_posts_them_as_repeated_fields() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let head = app.signed_in("jxj-head").await;
        let own = approved_tasks_of(&app, "jxj", 2).await;
        let (other, other_title) = approved_tasks_of(&app, "zjj", 1).await.remove(0);
        let (d1, d4) = (
            app.person_id("deputy1").await,
            app.person_id("deputy4").await,
        );
        let staff = app.person_id("jxj-staff1").await;
        let task_box = |id: i64| format!(r#"name="task_ids" value="{id}""#);
        let supervisor_box = |id: i64| format!(r#"name="supervisor_ids" value="{id}""#);

        // The form offers the unit's approved tasks and the deputies, nothing else.
        let res = head.get("/commitments/new").await;
        assert_eq!(res.status(), 200, "{backend}");
        let page = res.text().await.unwrap();
        assert!(page.contains(&task_box(own[0].0)) && page.contains(&task_box(own[1].0)));
        assert!(
            !page.contains(&task_box(other)),
            "{backend}: another unit's task"
        );
        assert!(page.contains(&supervisor_box(d1)));
        assert!(
            !page.contains(&supervisor_box(staff)),
            "a clerk is no supervisor"
        );
        assert!(!page.contains("commitments.ids_hint"));

        let fields = |tasks: Vec<String>, supervisors: Vec<String>| {
            let mut f: Vec<(&str, String)> = vec![
                ("title", "技改投资增长 10%".into()),
                ("content", "逐月调度重点技改项目。".into()),
                ("target_text", "技改投资增长 10%".into()),
                ("target_value", "10".into()),
                ("target_unit", "%".into()),
                ("deadline", "2026-12-31".into()),
            ];
            f.extend(tasks.into_iter().map(|t| ("task_ids", t)));
            f.extend(supervisors.into_iter().map(|s| ("supervisor_ids", s)));
            f
        };
        let post = |f: Vec<(&'static str, String)>| {
            let head = &head;
            async move {
                let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                head.post_form("/commitments", &pairs).await
            }
        };

        // A task outside the head's units: refused next to the field, nothing written, and
        // the refused task is shown by its number only, not by its title.
        let (ledger, count) = (app.ledger_len().await, commitment_count(&app).await);
        let res = post(fields(
            vec![own[0].0.to_string(), other.to_string()],
            vec![d1.to_string()],
        ))
        .await;
        assert_eq!(res.status(), 422, "{backend}");
        let page = res.text().await.unwrap();
        let tasks_part = &page[page.find(r#"id="f-task_ids""#).unwrap()
            ..page.find(r#"id="f-supervisor_ids""#).unwrap()];
        assert!(
            tasks_part.contains(r#"<p class="error">该内容不在您负责的单位范围内。</p>"#),
            "{backend}: the error is next to the tasks"
        );
        assert!(tasks_part.contains(&format!(r#"{} checked"#, task_box(other))));
        assert!(!page.contains(&other_title), "{backend}: the title leaked");
        assert!(page.contains(&format!(r#"{} checked"#, supervisor_box(d1))));
        assert_eq!(
            app.ledger_len().await,
            ledger,
            "{backend}: a refused draft wrote"
        );
        assert_eq!(commitment_count(&app).await, count);

        // A clerk as supervisor: refused next to the supervisors.
        let res = post(fields(vec![own[0].0.to_string()], vec![staff.to_string()])).await;
        assert_eq!(res.status(), 422, "{backend}");
        let page = res.text().await.unwrap();
        let supervisors_part = &page[page.find(r#"id="f-supervisor_ids""#).unwrap()..];
        assert!(supervisors_part.contains(r#"<p class="error">监督人须是人大代表或政协委员</p>"#));
        assert_eq!(commitment_count(&app).await, count);

        // Two ticked tasks and two ticked deputies: saved with exactly those.
        let res = post(fields(
            vec![own[0].0.to_string(), own[1].0.to_string()],
            vec![d1.to_string(), d4.to_string()],
        ))
        .await;
        assert_eq!(res.status(), 303, "{backend}");
        let location = res.headers()["location"].to_str().unwrap().to_string();
        let id: i64 = location
            .trim_start_matches("/commitments/")
            .trim_end_matches("?ok=created")
            .parse()
            .unwrap();
        let (_, detail) = head
            .api(Method::GET, &format!("/api/v1/commitments/{id}"), None)
            .await;
        let content = &detail["versions"][0]["version"]["content"];
        assert_eq!(
            content["task_ids"],
            json!([own[0].0, own[1].0]),
            "{backend}"
        );
        assert_eq!(content["supervisor_ids"], json!([d1, d4]), "{backend}");
        // The edit form shows them ticked.
        let page = head
            .get(&format!("/commitments/{id}/edit"))
            .await
            .text()
            .await
            .unwrap();
        for b in [task_box(own[0].0), task_box(own[1].0), supervisor_box(d4)] {
            assert!(page.contains(&format!("{b} checked")), "{backend}: {b}");
        }
        assert!(!page.contains(&format!(
            "{} checked",
            supervisor_box(app.person_id("deputy2").await)
        )));
    }
}

#[tokio::test]
async fn fulfilment_starts_when_the_office_accepts_a_report_on_a_linked_task() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let head = app.signed_in("jxj-head").await;
        let office = app.signed_in("dkb2").await;
        let task = crate::progress::task_to_report(&app, "jxj").await;
        let mut body = draft_body(&app, "jxj").await;
        body["task_ids"] = json!([task]);
        let (s, created) = head
            .api(Method::POST, "/api/v1/commitments", Some(body))
            .await;
        assert_eq!(s, 201, "{backend}: {created}");
        let id = created["id"].as_i64().unwrap();
        let steps = format!("/api/v1/commitments/{id}/steps");
        for (who, step) in [(&head, "submit"), (&office, "approve"), (&head, "sign")] {
            let (s, b) = who
                .api(Method::POST, &steps, Some(json!({ "step": step })))
                .await;
            assert_eq!(s, 200, "{backend} {step}: {b}");
        }
        let state = |app: &TestApp| {
            let store = app.store.clone();
            async move {
                let mut tx = store.begin_read().await.unwrap();
                let (s,): (String,) =
                    duban_store::sql("SELECT state FROM commitments WHERE id = $1")
                        .bind(id)
                        .fetch_one(&mut tx)
                        .await
                        .unwrap();
                s
            }
        };
        assert_eq!(state(&app).await, "published");
        // The head's report goes straight to the office; sending it moves nothing yet.
        let (s, report) = head
            .api(
                Method::POST,
                &format!("/api/v1/tasks/{task}/reports"),
                Some(json!({"percent": 60, "lower_reason": "按新口径重新核算"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{backend}: {report}");
        assert_eq!(state(&app).await, "published", "{backend}");
        let (s, b) = office
            .api(
                Method::POST,
                &format!("/api/v1/reports/{}/review", report["id"]),
                Some(json!({"action": "accept"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{backend}: {b}");
        assert_eq!(state(&app).await, "fulfilling", "{backend}");
        // A `track` step by the accepting officer, with its ledger entry.
        let (_, detail) = head
            .api(Method::GET, &format!("/api/v1/commitments/{id}"), None)
            .await;
        let track = detail["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "track")
            .cloned()
            .unwrap_or_else(|| panic!("{backend}: no track event: {detail}"));
        assert_eq!(track["to_state"], "fulfilling");
        let mut tx = app.store.begin_read().await.unwrap();
        let (n,): (i64,) = duban_store::sql(
            "SELECT COUNT(*) FROM ledger WHERE action = 'commitment.track' AND object_id = $1",
        )
        .bind(id)
        .fetch_one(&mut tx)
        .await
        .unwrap();
        assert_eq!(n, 1, "{backend}");
    }
}
