//! The four lists end to end: a liaison builds and decomposes a list, the head submits, the
//! office approves or returns; a later change goes through a change request into the task's
//! history and the ledger; imports preview every problem and commit all or nothing; an
//! export imports back to the same tasks.

use crate::helpers::{Client, TestApp, backends};
use reqwest::{Method, StatusCode};
use rust_xlsxwriter::Workbook;
use serde_json::{Value, json};

async fn section_id(app: &TestApp, unit: &str, name: &str) -> i64 {
    let unit = app.unit_id(unit).await;
    let mut tx = app.store.begin_read().await.expect("tx");
    duban_store::org::list_sections(&mut tx, duban_core::org::UnitId(unit), false)
        .await
        .expect("sections")
        .into_iter()
        .find(|s| s.name == name)
        .expect("section exists")
        .id
}

async fn task(c: &Client, id: i64) -> Value {
    let (status, body) = c
        .api(Method::GET, &format!("/api/v1/tasks/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn codes(body: &Value) -> Vec<String> {
    body["errors"]
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

#[tokio::test]
async fn a_list_is_built_submitted_approved_and_changed_only_through_a_change_request() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let liaison = app.signed_in("tjj-liaison").await;
        let head = app.signed_in("tjj-head").await;
        let office = app.signed_in("dkb").await;
        let tjj = app.unit_id("tjj").await;
        let section = section_id(&app, "tjj", "工业统计科").await;
        let staff = app.person_id("tjj-staff1").await;

        let (s, created) = liaison
            .api(
                Method::POST,
                "/api/v1/tasks",
                Some(json!({
                    "title": "规上工业企业培育入库", "list_kind": "work", "lead_unit_id": tjj,
                    "content": "全年新增规上工业企业20家", "due_date": "2026-09-30", "weight": 5,
                    "indicators": [{"name": "新增规上企业", "target": 20, "unit": "家"}],
                    "milestones": [{"due": "2026-06-30", "target_text": "新增10家", "values": [10]}]
                })),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{created}");
        let parent = created["id"].as_i64().expect("id");

        // 分解 to a section and a person; a sub-task cannot end after its parent.
        let (s, body) = liaison
            .api(
                Method::POST,
                &format!("/api/v1/tasks/{parent}/subtasks"),
                Some(json!({
                    "title": "工业统计科负责上半年入库", "section_id": section, "person_id": staff,
                    "due_date": "2026-10-31",
                })),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(codes(&body), vec!["due_date.after_parent_due"]);
        let (s, created) = liaison
            .api(
                Method::POST,
                &format!("/api/v1/tasks/{parent}/subtasks"),
                Some(json!({
                    "title": "工业统计科负责上半年入库", "section_id": section, "person_id": staff,
                    "due_date": "2026-06-30",
                    "indicators": [{"name": "新增规上企业", "target": 10, "unit": "家"}],
                })),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{created}");
        let child = created["id"].as_i64().expect("id");
        let view = task(&liaison, child).await;
        let parent_path = task(&liaison, parent).await["task"]["fields"]["path"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(view["task"]["fields"]["path"], format!("{parent_path}.1"));
        let staff_name = {
            let mut tx = app.store.begin_read().await.unwrap();
            duban_store::people::get_person(&mut tx, duban_core::org::PersonId(staff))
                .await
                .unwrap()
                .name
        };
        assert_eq!(view["task"]["person_name"], staff_name.as_str());
        assert_eq!(view["task"]["section_name"], "工业统计科");

        // The liaison may not submit; the head submits the whole list.
        let path = format!("/api/v1/units/{tjj}/tasks/submit?year=2026");
        assert_eq!(
            liaison.api(Method::POST, &path, None).await.0,
            StatusCode::FORBIDDEN
        );
        let (s, body) = head.api(Method::POST, &path, None).await;
        assert_eq!(s, StatusCode::OK);
        assert!(body["submitted"].as_u64().unwrap() >= 2, "{body}");

        // The office returns the sub-task with a comment (a comment is required) and approves the parent.
        let review = |id: i64| format!("/api/v1/tasks/{id}/review");
        let (s, body) = office
            .api(
                Method::POST,
                &review(child),
                Some(json!({"decision": "return"})),
            )
            .await;
        assert_eq!(
            (s, codes(&body)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["comment.comment_required".to_string()]
            )
        );
        let (s, body) = office
            .api(
                Method::POST,
                &review(child),
                Some(json!({"decision": "return", "comment": "请补充节点"})),
            )
            .await;
        assert_eq!(
            (s, body["state"].as_str()),
            (StatusCode::OK, Some("returned"))
        );
        let (s, body) = office
            .api(
                Method::POST,
                &review(parent),
                Some(json!({"decision": "approve"})),
            )
            .await;
        assert_eq!(
            (s, body["state"].as_str()),
            (StatusCode::OK, Some("approved"))
        );

        // Approved: a direct edit is refused; the returned sub-task can be edited again.
        let (s, body) = liaison
            .api(
                Method::PUT,
                &format!("/api/v1/tasks/{parent}"),
                Some(json!({"title": "x", "list_kind": "work", "due_date": "2026-12-31"})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert!(
            body["type"].as_str().unwrap().ends_with("/locked"),
            "{body}"
        );
        let (s, _) = liaison
            .api(Method::PUT, &format!("/api/v1/tasks/{child}"), Some(json!({
                "title": "工业统计科负责上半年入库", "list_kind": "work", "due_date": "2026-06-30",
                "milestones": [{"due": "2026-03-31", "target_text": "新增4家", "values": []}]
            })))
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);

        // A change request: a reason is required; one pending at a time; outsiders refused.
        let changes = format!("/api/v1/tasks/{parent}/changes");
        let (s, body) = liaison
            .api(
                Method::POST,
                &changes,
                Some(json!({"due_date": "2026-12-31"})),
            )
            .await;
        assert_eq!(
            (s, codes(&body)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["reason.empty".to_string()]
            )
        );
        let outsider = app.signed_in("town-dongcheng-head").await;
        let (s, _) = outsider
            .api(
                Method::POST,
                &changes,
                Some(json!({"reason": "x", "due_date": "2026-12-31"})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, body) = liaison
            .api(
                Method::POST,
                &changes,
                Some(json!({"reason": "统计口径调整，年底才能核定", "due_date": "2026-12-31"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        let change = body["id"].as_i64().unwrap();
        let (s, body) = liaison
            .api(
                Method::POST,
                &changes,
                Some(json!({"reason": "again", "weight": 3})),
            )
            .await;
        assert_eq!(
            (s, codes(&body)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["form.change_pending".to_string()]
            )
        );
        assert_eq!(
            task(&liaison, parent).await["task"]["fields"]["due"]["date"],
            "2026-09-30",
            "nothing changes before approval"
        );

        let ledger_before = app.ledger_len().await;
        let decision = format!("/api/v1/changes/{change}/decision");
        assert_eq!(
            head.api(Method::POST, &decision, Some(json!({"approve": true})))
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        let (s, _) = office
            .api(
                Method::POST,
                &decision,
                Some(json!({"approve": true, "note": "同意"})),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (s, _) = office
            .api(Method::POST, &decision, Some(json!({"approve": false})))
            .await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a decided request stays decided"
        );

        let view = task(&liaison, parent).await;
        assert_eq!(view["task"]["fields"]["due"]["date"], "2026-12-31");
        assert_eq!(
            view["task"]["baseline"]["due"]["date"], "2026-09-30",
            "the baseline keeps the approved plan"
        );
        let history = view["history"].as_array().unwrap();
        assert_eq!(history.len(), 1, "{history:?}");
        assert_eq!(history[0]["field"], "due");
        assert!(
            history[0]["before"]
                .as_str()
                .unwrap()
                .contains("2026-09-30")
        );
        assert!(history[0]["after"].as_str().unwrap().contains("2026-12-31"));
        assert_eq!(history[0]["reason"], "统计口径调整，年底才能核定");
        // The update and the decision are in the ledger, and the chain still verifies.
        assert!(app.ledger_len().await >= ledger_before + 2);
        let mut tx = app.store.begin_read().await.unwrap();
        let recent = duban_store::ledger::list_recent(&mut tx, None, 5)
            .await
            .unwrap();
        assert!(
            recent.iter().any(|e| e.action == "task_change.decide"),
            "{recent:?}"
        );
        drop(tx);

        // The task page shows the history, on a phone as on a desk.
        let page = liaison
            .get(&format!("/lists/tasks/{parent}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("变更记录")
                && page.contains("2026-12-31")
                && page.contains("统计口径调整")
        );
    }
}

async fn leader_written(app: &TestApp, username: &str) -> String {
    let id = app.person_id(username).await;
    let mut tx = app.store.begin_read().await.unwrap();
    let p = duban_store::people::get_person(&mut tx, duban_core::org::PersonId(id))
        .await
        .unwrap();
    format!("{}{}", p.name, p.title)
}

/// A sheet the way a 统计局 clerk sends it: a banner, a 填报单位 line, a single 责任单位
/// column (first = lead), 一、/（一） codes, text deadlines, a leader with his title.
/// `bad` adds a row with an unknown unit and one with an impossible date.
fn clerk_sheet(leader: &str, bad: bool) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(
        0,
        0,
        0,
        7,
        "2026年统计局重点工作任务清单",
        &rust_xlsxwriter::Format::new(),
    )
    .unwrap();
    ws.write(1, 0, "填报单位：统计局（盖章）").unwrap();
    let header = [
        "序号",
        "清单类别",
        "任务名称",
        "目标内容",
        "牵头市领导",
        "责任单位",
        "责任科室/责任人",
        "完成时限",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write(2, c as u16, *h).unwrap();
    }
    let mut rows: Vec<[&str; 8]> = vec![
        [
            "一、",
            "工作清单",
            "统计数据质量提升",
            "全年完成统计执法检查30家",
            leader,
            "市统计局、发改局，东城街道",
            "",
            "年底前",
        ],
        [
            "（一）",
            "",
            "开展统计执法检查",
            "完成执法检查30家",
            "",
            "统计局",
            "工业统计科/",
            "三季度末",
        ],
        [
            "（二）",
            "",
            "联网直报数据审核",
            "",
            "",
            "统计局",
            "综合核算科",
            "长期坚持",
        ],
        [
            "二、",
            "责任清单",
            "统计监测月报",
            "按月报送经济运行监测",
            leader,
            "统计局",
            "",
            "每月",
        ],
    ];
    if bad {
        rows.push([
            "三、",
            "工作清单",
            "普查工作",
            "",
            "",
            "市不存在局",
            "",
            "2026年2月30日",
        ]);
        rows.push([
            "四、",
            "任务清单",
            "名录库维护",
            "",
            "",
            "统计局",
            "",
            "6月30日前",
        ]);
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write(3 + r as u32, c as u16, *v).unwrap();
        }
    }
    ws.write(4 + rows.len() as u32, 0, "注：此表由各单位联络员填报")
        .unwrap();
    wb.save_to_buffer().unwrap()
}

async fn task_count(app: &TestApp, unit: &str) -> i64 {
    let id = app.unit_id(unit).await;
    let mut tx = app.store.begin_read().await.unwrap();
    let (_, total) = duban_store::lists::browse::list_tasks(
        &mut tx,
        &duban_store::lists::browse::TaskFilter {
            lead_unit: Some(duban_core::org::UnitId(id)),
            limit: 1,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    total
}

#[tokio::test]
async fn an_import_previews_every_problem_then_commits_all_rows_or_none() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let liaison = app.signed_in("tjj-liaison").await;
        let leader = leader_written(&app, "fsz1").await;
        let before = task_count(&app, "tjj").await;

        // Broken file, then a sheet with two bad rows: problems named by row and column.
        let (s, body) = liaison
            .api_bytes("/api/v1/imports?year=2026", b"not a workbook".to_vec())
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(body["detail"].as_str().unwrap().contains("xlsx"), "{body}");
        let (s, preview) = liaison
            .api_bytes("/api/v1/imports?year=2026", clerk_sheet(&leader, true))
            .await;
        assert_eq!(s, StatusCode::OK, "{preview}");
        let rows = preview["plan"]["rows"].as_array().unwrap();
        assert_eq!(
            rows.len(),
            6,
            "banner, 填报单位 line and footer note are not rows"
        );
        let problems: Vec<(u64, String)> = rows
            .iter()
            .flat_map(|r| {
                r["problems"].as_array().unwrap().iter().map(move |p| {
                    (
                        r["sheet"]["row"].as_u64().unwrap(),
                        p["zh"].as_str().unwrap().to_string(),
                    )
                })
            })
            .collect();
        assert!(
            problems
                .iter()
                .any(|(r, m)| *r == 8 && m.contains("市不存在局")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|(r, m)| *r == 8 && m.contains("2026年2月30日")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|(r, m)| *r == 9 && m.contains("任务清单")),
            "{problems:?}"
        );
        assert!(
            problems.iter().all(|(r, _)| *r >= 8),
            "the good rows have no problems: {problems:?}"
        );
        let upload = preview["upload_id"].as_i64().unwrap();
        let (s, _) = liaison
            .api(
                Method::POST,
                &format!("/api/v1/imports/{upload}/commit"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_eq!(
            task_count(&app, "tjj").await,
            before,
            "a rejected import writes no row"
        );

        // The fixed sheet commits; names were resolved as people write them.
        let (s, preview) = liaison
            .api_bytes("/api/v1/imports?year=2026", clerk_sheet(&leader, false))
            .await;
        assert_eq!(
            (s, preview["problems"].as_u64()),
            (StatusCode::OK, Some(0)),
            "{preview}"
        );
        let upload = preview["upload_id"].as_i64().unwrap();
        let other = app.signed_in("dkb").await;
        assert_eq!(
            other
                .api(
                    Method::POST,
                    &format!("/api/v1/imports/{upload}/commit"),
                    None
                )
                .await
                .0,
            StatusCode::NOT_FOUND,
            "an upload is its uploader's"
        );
        // 统计局's demo list is still a draft: its task 1 is replaced by the sheet's 一、, the
        // preview said so, and the three other rows are new.
        let actions: Vec<&Value> = preview["plan"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["action"])
            .collect();
        assert_eq!(
            actions.iter().filter(|a| a.get("update").is_some()).count(),
            1,
            "{actions:?}"
        );
        let (s, body) = liaison
            .api(
                Method::POST,
                &format!("/api/v1/imports/{upload}/commit"),
                None,
            )
            .await;
        assert_eq!(
            (s, body["created"].as_u64(), body["updated"].as_u64()),
            (StatusCode::OK, Some(3), Some(1)),
            "{body}"
        );
        assert_eq!(
            liaison
                .api(
                    Method::POST,
                    &format!("/api/v1/imports/{upload}/commit"),
                    None
                )
                .await
                .0,
            StatusCode::BAD_REQUEST,
            "twice is refused"
        );
        assert_eq!(task_count(&app, "tjj").await, before + 3);

        let (_, page) = liaison
            .api(
                Method::GET,
                "/api/v1/tasks?year=2026&q=统计数据质量提升",
                None,
            )
            .await;
        let top = &page["items"][0];
        let view = task(&liaison, top["id"].as_i64().unwrap()).await;
        let t = &view["task"];
        assert_eq!(t["lead_unit_name"], "统计局");
        assert_eq!(t["co_unit_names"], json!(["发改局", "东城街道"]));
        assert_eq!(t["fields"]["due"]["date"], "2026-12-31", "年底前");
        assert_eq!(t["fields"]["list_kind"], "work");
        assert!(
            leader.starts_with(t["lead_leader_name"].as_str().unwrap()),
            "{leader} → {}",
            t["lead_leader_name"]
        );
        let tree = view["tree"].as_array().unwrap();
        assert_eq!(tree.len(), 3, "the task and its two sub-tasks");
        let sub = task(&liaison, tree[1]["row"]["id"].as_i64().unwrap()).await;
        assert_eq!(
            sub["task"]["fields"]["due"]["date"], "2026-09-30",
            "三季度末"
        );
        assert_eq!(sub["task"]["section_name"], "工业统计科");
        let ongoing = task(&liaison, tree[2]["row"]["id"].as_i64().unwrap()).await;
        assert_eq!(
            ongoing["task"]["fields"]["due"],
            json!({"kind": "ongoing", "cadence": "monthly"}),
            "长期坚持"
        );

        // A liaison cannot import into another unit's list.
        let jxj = app.signed_in("jxj-liaison").await;
        let (_, preview) = jxj
            .api_bytes("/api/v1/imports?year=2026", clerk_sheet(&leader, false))
            .await;
        assert!(preview["problems"].as_u64().unwrap() >= 4, "{preview}");
    }
}

/// The cell texts of a sheet's data rows, without the informational 状态 and 完成率 columns.
fn sheet_cells(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let header = rows
        .iter()
        .position(|r| r.iter().any(|c| c == "任务名称"))
        .unwrap();
    let keep: Vec<usize> = (0..rows[header].len())
        .filter(|i| !["状态", "完成率"].contains(&rows[header][*i].as_str()))
        .collect();
    rows[header..]
        .iter()
        .map(|r| {
            keep.iter()
                .map(|i| r.get(*i).cloned().unwrap_or_default())
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn a_units_exported_list_imports_back_to_the_same_tasks() {
    for backend in backends() {
        let from = TestApp::spawn(backend).await;
        let to = TestApp::spawn_without_tasks(backend).await;
        let office_a = from.signed_in("dkb").await;
        let office_b = to.signed_in("dkb").await;
        let jxj_a = from.unit_id("jxj").await;
        let jxj_b = to.unit_id("jxj").await;
        let res = office_a
            .get(&format!("/lists/export.xlsx?year=2026&unit={jxj_a}&lead=1"))
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .contains("spreadsheetml")
        );
        let exported = res.bytes().await.unwrap().to_vec();
        let cells = sheet_cells(&exported);
        assert!(
            cells.len() > 10,
            "jxj has a real list: {} rows",
            cells.len()
        );

        let (s, preview) = office_b
            .api_bytes("/api/v1/imports?year=2026", exported.clone())
            .await;
        assert_eq!(
            (s, preview["problems"].as_u64()),
            (StatusCode::OK, Some(0)),
            "{}",
            preview["plan"]["rows"]
                .as_array()
                .map(|r| r
                    .iter()
                    .filter(|r| !r["problems"].as_array().unwrap().is_empty())
                    .take(3)
                    .map(|r| r["problems"].to_string())
                    .collect::<Vec<_>>()
                    .join("\n"))
                .unwrap_or_default()
        );
        let upload = preview["upload_id"].as_i64().unwrap();
        let (s, body) = office_b
            .api(
                Method::POST,
                &format!("/api/v1/imports/{upload}/commit"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(body["created"].as_u64().unwrap() as usize, cells.len() - 1);

        let again = office_b
            .get(&format!("/lists/export.xlsx?year=2026&unit={jxj_b}&lead=1"))
            .await
            .bytes()
            .await
            .unwrap();
        assert_eq!(
            sheet_cells(&again),
            cells,
            "export → import → export gives the same list"
        );
        let csv = office_b
            .get(&format!("/lists/export.csv?year=2026&unit={jxj_b}&lead=1"))
            .await
            .bytes()
            .await
            .unwrap();
        assert!(
            csv.starts_with("\u{feff}".as_bytes()),
            "CSV starts with a BOM for Excel/WPS"
        );
        let csv = String::from_utf8_lossy(&csv);
        let title = cells[0].iter().position(|h| h == "任务名称").unwrap();
        assert!(
            cells[1..].iter().all(|row| csv.contains(&row[title])),
            "every task is in the CSV"
        );
    }
}

#[tokio::test]
async fn the_office_sets_up_the_year_and_lists_not_in_use_are_refused() {
    let app = TestApp::spawn("sqlite").await;
    let office = app.signed_in("dkb").await;
    let res = office
        .post_form(
            "/admin/plan",
            &[
                ("year", "2027"),
                ("list_kinds", "work"),
                ("list_kinds", "project"),
                ("report_cadence", "quarterly"),
                ("report_day", "25"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = office
        .post_form(
            "/admin/campaigns",
            &[
                ("year", "2027"),
                ("code", "digital"),
                ("name", "数字化改革攻坚行动"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let liaison = app.signed_in("tjj-liaison").await;
    let (s, plan) = liaison
        .api(Method::GET, "/api/v1/plan?year=2027", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (
            plan["configured"].as_bool(),
            plan["report_cadence"].as_str()
        ),
        (Some(true), Some("quarterly"))
    );
    assert_eq!(plan["list_kinds"], json!(["work", "project"]));
    let campaign = plan["campaigns"][0]["id"].as_i64().unwrap();
    let body = |kind: &str| json!({"year": 2027, "title": "统计监测", "list_kind": kind, "campaign_id": campaign, "due_date": "2027-06-30"});
    let (s, err) = liaison
        .api(Method::POST, "/api/v1/tasks", Some(body("policy")))
        .await;
    assert_eq!(
        (s, codes(&err)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["list_kind.kind_not_in_use".to_string()]
        )
    );
    let (s, _) = liaison
        .api(Method::POST, "/api/v1/tasks", Some(body("work")))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    // Only the office and the admin set up a year.
    let res = liaison
        .post_form(
            "/admin/plan",
            &[
                ("year", "2027"),
                ("list_kinds", "policy"),
                ("report_cadence", "monthly"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

/// Sixteen clerks adding tasks to one list at the same moment all succeed, each task with a
/// number of its own: numbering waits for the list, it does not collide (it did on PostgreSQL,
/// with "path is already taken" for a path nobody sent).
#[tokio::test]
async fn concurrent_creators_of_one_list_each_get_their_own_number() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let liaison = std::sync::Arc::new(app.signed_in("jxj-liaison").await);
        let (s, plan) = liaison
            .api(Method::GET, "/api/v1/plan?year=2026", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{plan}");
        let campaign = plan["campaigns"][0]["id"].as_i64().expect("a campaign");
        let mut creators = tokio::task::JoinSet::new();
        for i in 0..16 {
            let c = liaison.clone();
            creators.spawn(async move {
                c.api(
                    Method::POST,
                    "/api/v1/tasks",
                    Some(json!({"year": 2026, "title": format!("并发新增任务{i}"), "list_kind": "work",
                        "campaign_id": campaign, "due_date": "2026-12-31"})),
                )
                .await
            });
        }
        let mut ids = Vec::new();
        while let Some(done) = creators.join_next().await {
            let (s, created) = done.expect("creator ran");
            assert_eq!(s, StatusCode::CREATED, "{backend}: {created}");
            ids.push(created["id"].as_i64().expect("id"));
        }
        let mut paths = Vec::new();
        let mut tx = app.store.begin_read().await.expect("tx");
        for id in ids {
            let t = duban_store::lists::get_task(&mut tx, duban_core::lists::TaskId(id))
                .await
                .expect("task");
            paths.push(t.fields.path);
        }
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), 16, "{backend}: {paths:?}");
    }
}

/// Every task a client's list shows for `filters`, page by page, as the API returns them.
async fn every_task(c: &Client, filters: &str) -> Vec<Value> {
    let mut all = Vec::new();
    for page in 1.. {
        let (s, v) = c
            .api(
                Method::GET,
                &format!("/api/v1/tasks?year=2026&per_page=200&page={page}{filters}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{filters}: {v}");
        let items = v["items"].as_array().unwrap().clone();
        let last = items.len() < 200;
        all.extend(items);
        if last {
            assert_eq!(
                v["total"].as_u64().unwrap() as usize,
                all.len(),
                "{filters}"
            );
            return all;
        }
    }
    unreachable!()
}

fn due_date(t: &Value) -> Option<jiff::civil::Date> {
    (t["due"]["kind"] == "by").then(|| t["due"]["date"].as_str().unwrap().parse().unwrap())
}

fn ids(tasks: &[Value]) -> Vec<i64> {
    tasks.iter().map(|t| t["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn lists_keep_unfinished_overdue_or_soon_due_tasks_in_scope_and_sort_by_deadline_light_or_progress()
 {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let today = crate::helpers::today();
        let office = app.signed_in("dkb2").await;
        // Two tasks whose deadlines have passed unfinished (the demo finished all of its own).
        let liaison = app.signed_in("tjj-liaison").await;
        let tjj = app.unit_id("tjj").await;
        let mut late = Vec::new();
        for (title, due) in [
            ("十月底前完成名录核查", "2026-10-31"),
            ("九月底前完成普查登记", "2026-09-30"),
        ] {
            let (s, created) = liaison
                .api(
                    Method::POST,
                    "/api/v1/tasks",
                    Some(json!({"title": title, "list_kind": "work", "lead_unit_id": tjj, "due_date": due})),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{created}");
            late.push(created["id"].as_i64().unwrap());
        }
        let all = every_task(&office, "").await;
        let unfinished = |t: &&Value| t["progress"].as_f64().unwrap() < 100.0;

        let overdue = every_task(&office, "&due=overdue&sort=due").await;
        let mut expected: Vec<&Value> = all
            .iter()
            .filter(unfinished)
            .filter(|t| due_date(t).is_some_and(|d| d < today))
            .collect();
        assert!(!expected.is_empty(), "the demo has overdue tasks");
        expected.sort_by_key(|t| due_date(t));
        let dates: Vec<_> = overdue.iter().map(due_date).collect();
        assert_eq!(
            dates,
            expected.iter().map(|t| due_date(t)).collect::<Vec<_>>(),
            "earliest deadline first"
        );
        let mut got = ids(&overdue);
        got.sort_unstable();
        let mut want: Vec<i64> = expected.iter().map(|t| t["id"].as_i64().unwrap()).collect();
        want.sort_unstable();
        assert_eq!(got, want, "exactly the unfinished tasks due before today");
        let september = ids(&overdue).iter().position(|id| *id == late[1]);
        let october = ids(&overdue).iter().position(|id| *id == late[0]);
        assert!(september.is_some() && september < october, "{overdue:?}");

        let soon = every_task(&office, "&due=soon&days=45").await;
        let horizon = today.saturating_add(jiff::ToSpan::days(45));
        let want: Vec<i64> = all
            .iter()
            .filter(unfinished)
            .filter(|t| due_date(t).is_some_and(|d| d >= today && d <= horizon))
            .map(|t| t["id"].as_i64().unwrap())
            .collect();
        assert!(!want.is_empty(), "the demo has tasks due within 45 days");
        assert_eq!(ids(&soon), want, "list order unless told otherwise");

        let open = every_task(&office, "&due=open").await;
        assert_eq!(open.len(), all.iter().filter(unfinished).count());

        // Red first, then yellow, then green; least progress first.
        let by_light = every_task(&office, "&sort=light").await;
        let rank = |t: &Value| match t["light"].as_str().unwrap() {
            "red" => 0,
            "yellow" => 1,
            _ => 2,
        };
        assert!(by_light.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])));
        assert_eq!(by_light.len(), all.len(), "sorting drops nothing");
        let by_progress = every_task(&office, "&sort=progress").await;
        assert!(
            by_progress
                .windows(2)
                .all(|w| w[0]["progress"].as_f64() <= w[1]["progress"].as_f64())
        );
        let mut a = ids(&by_progress);
        a.sort_unstable();
        let mut b = ids(&all);
        b.sort_unstable();
        assert_eq!(a, b, "paging a sorted list neither skips nor repeats");

        // A unit's liaison gets the same rule inside their own scope.
        let theirs = every_task(&liaison, "").await;
        assert!(theirs.len() < all.len());
        let theirs_open = every_task(&liaison, "&due=open&sort=due").await;
        assert_eq!(theirs_open.len(), theirs.iter().filter(unfinished).count());
        let theirs_overdue = ids(&every_task(&liaison, "&due=overdue&sort=due").await);
        assert_eq!(theirs_overdue[..2], [late[1], late[0]]);

        for (query, param) in [
            ("&due=late", "due"),
            ("&due=soon&days=400", "days"),
            ("&due=soon&days=-1", "days"),
            ("&sort=title", "sort"),
        ] {
            let (s, v) = office
                .api(
                    Method::GET,
                    &format!("/api/v1/tasks?year=2026{query}"),
                    None,
                )
                .await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{query}: {v}");
            assert!(
                v.to_string().contains(param),
                "{query} names `{param}`: {v}"
            );
        }

        // The page offers the same filters and shows the same count.
        let html = office
            .get("/lists?year=2026&due=overdue&sort=due")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains(&format!("2026 · {}", overdue.len())),
            "the page counts what the API lists"
        );
        assert!(html.contains("已逾期"));
    }
}
