//! The hand-out sheet (建议提案交办表) imported by the NPC office: a good sheet previewed on the
//! page and committed registers every row, which then shows on /proposals; a sheet with bad
//! rows names each by row and column and writes nothing; a second commit is refused; the
//! CPPCC office cannot import suggestions nor commit the NPC office's upload; a file that is
//! no workbook is refused in words. The government office uploads the same sheet and hands
//! every registered item out to the sheet's units, or nothing when a row is wrong; it may write
//! numbers short (911, J68) where they name one item, and the sheet's 交办日期 is the day of the
//! hand-out. The sheets are written by the project's own writer.

use crate::helpers::{Client, TestApp, backends, today};
use duban_docs::proposals::{HandoutText, write_handout_xlsx};
use reqwest::{Method, StatusCode};

/// The name a demo account's person goes by.
async fn name_of(app: &TestApp, username: &str) -> String {
    let id = app.person_id(username).await;
    let mut tx = app.store.begin_read().await.expect("tx");
    let (name,): (String,) = duban_store::sql("SELECT name FROM people WHERE id = $1")
        .bind(id)
        .fetch_one(&mut tx)
        .await
        .expect("person");
    name
}

async fn unit_name(app: &TestApp, code: &str) -> String {
    let mut tx = app.store.begin_read().await.expect("tx");
    duban_store::org::find_unit_by_code(&mut tx, code)
        .await
        .expect("query")
        .expect("unit")
        .name
}

fn item(number: &str, title: &str, proposer: &str) -> HandoutText {
    HandoutText {
        number: number.into(),
        title: title.into(),
        proposer: proposer.into(),
        key_item: "否".into(),
        ..HandoutText::default()
    }
}

fn sheet(rows: &[HandoutText]) -> Vec<u8> {
    write_handout_xlsx("建议交办表", rows).expect("sheet")
}

async fn proposals(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM proposals").await
}

/// A `multipart/form-data` page upload of `file` with the form's CSRF field.
async fn upload_page(c: &Client, file: &[u8]) -> reqwest::Response {
    let boundary = "----dubanHandout";
    let csrf = c.csrf().await;
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"交办表.xlsx\"\r\n\
         Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    c.http
        .post(c.url("/proposals/import"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("post")
}

#[tokio::test]
async fn a_good_sheet_previews_on_the_page_then_registers_every_row_once() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let year = today().year();
        let npc = app.signed_in("npc-office").await;
        let (d1, d2, d3) = (
            name_of(&app, "deputy1").await,
            name_of(&app, "deputy2").await,
            name_of(&app, "deputy3").await,
        );
        let mut with_units = item("", "导入测试：关于增设园区公交线路的建议", &d2);
        with_units.cosigners = vec![d3.clone()];
        with_units.lead_unit = unit_name(&app, "jxj").await;
        with_units.co_units = vec![unit_name(&app, "fgj").await];
        with_units.group = "东城代表团".into();
        with_units.category = "城建交通".into();
        let rows = [
            item(
                &format!("J{year}-901"),
                "导入测试：关于老旧小区加装电梯的建议",
                &format!("{d1}（领衔）"),
            ),
            with_units,
            item("", "导入测试：关于校园周边交通安全的建议", &d3),
        ];
        let before = proposals(&app).await;

        // The form is on the list page for the office.
        let html = npc.get("/proposals").await.text().await.expect("html");
        assert!(html.contains("action=\"/proposals/import\""), "{html}");

        let res = upload_page(&npc, &sheet(&rows)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.expect("html");
        assert!(html.contains(&format!("J{year}-901")), "{html}");
        assert!(
            html.contains(&format!("J{year}-902")),
            "numbered in order: {html}"
        );
        let action = html
            .split("action=\"/proposals/import/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a commit form when no row has a problem");
        assert_eq!(proposals(&app).await, before, "a preview registers nothing");

        let commit = format!("/proposals/import/{action}");
        let res = npc.post_form(&commit, &[]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(proposals(&app).await, before + 3);
        let html = npc
            .get("/proposals?q=%E5%AF%BC%E5%85%A5%E6%B5%8B%E8%AF%95")
            .await
            .text()
            .await
            .expect("html");
        for r in &rows {
            assert!(html.contains(&r.title), "{} on /proposals", r.title);
        }
        let (s, v) = npc
            .api(
                Method::GET,
                "/api/v1/proposals?q=导入测试：关于增设园区",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let items = v["items"].as_array().expect("items");
        assert_eq!(items.len(), 1, "{v}");
        assert_eq!(items[0]["state"], "registered", "{v}");

        // The same upload again: refused, nothing more written.
        let res = npc.post_form(&commit, &[]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(proposals(&app).await, before + 3);
    }
}

#[tokio::test]
async fn a_sheet_with_bad_rows_names_row_and_column_and_writes_nothing() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let year = today().year();
        let npc = app.signed_in("npc-office").await;
        let d1 = name_of(&app, "deputy1").await;
        let registered = {
            let (_, v) = npc
                .api(
                    Method::GET,
                    &format!("/api/v1/proposals?kind=suggestion&year={year}"),
                    None,
                )
                .await;
            v["items"][0]["number"].as_str().map(str::to_string)
        };
        let mut unknown_unit = item("", "关于某事的建议一", &d1);
        unknown_unit.lead_unit = "火星局".into();
        let mut rows = vec![
            item("", "关于某事的建议零", &d1),        // row 3: fine
            unknown_unit,                             // row 4
            item("", "关于某事的建议二", "查无此人"), // row 5
            item("", "", &d1),                        // row 6
            item(&format!("J{year}-950"), "关于某事的建议四", &d1), // row 7
            item(&format!("J{year}-950"), "关于某事的建议五", &d1), // row 8
            item(&format!("T{year}-005"), "关于某事的建议六", &d1), // row 9
        ];
        if let Some(n) = &registered {
            rows.push(item(n, "关于某事的建议七", &d1)); // row 10
        }
        let before = (proposals(&app).await, app.ledger_len().await);
        let (s, v) = npc
            .api_bytes("/api/v1/proposal-imports?file_name=bad.xlsx", sheet(&rows))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let text = v.to_string();
        for expected in [
            "第4行“主办单位”列：找不到单位“火星局”",
            "第5行“领衔代表/提案者”列：找不到“查无此人”",
            "第6行“标题（案由）”列：没有填写标题（案由）",
            "第8行“编号”列",
            "与第7行重复",
            "第9行“编号”列",
            "row 4, column “主办单位”",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
        if registered.is_some() {
            assert!(
                text.contains("第10行“编号”列") && text.contains("已经登记"),
                "{text}"
            );
        }
        assert_eq!(
            v["plan"]["rows"][0]["problems"].as_array().map(Vec::len),
            Some(0),
            "{v}"
        );
        let upload = v["upload_id"].as_i64().expect("upload");
        let (s, v) = npc
            .api(
                Method::POST,
                &format!("/api/v1/proposal-imports/{upload}/commit"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            (proposals(&app).await, app.ledger_len().await),
            before,
            "no row is registered, not even the good one"
        );

        // The page shows the same problems and no commit button.
        let res = upload_page(&npc, &sheet(&rows)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.expect("html");
        assert!(html.contains("找不到单位“火星局”"), "{html}");
        assert!(!html.contains("action=\"/proposals/import/"), "{html}");
    }
}

#[tokio::test]
async fn only_the_office_of_the_kind_imports_and_a_file_that_is_no_workbook_is_refused() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let year = today().year();
        let npc = app.signed_in("npc-office").await;
        let cppcc = app.signed_in("cppcc-office").await;
        let d1 = name_of(&app, "deputy1").await;
        let rows = [item(&format!("J{year}-960"), "关于某事的建议", &d1)];
        let before = proposals(&app).await;

        // Units and deputies may not import at all (the government office hands out: below).
        for user in ["jxj-liaison", "deputy1"] {
            let c = app.signed_in(user).await;
            let (s, _) = c
                .api_bytes("/api/v1/proposal-imports?file_name=x.xlsx", sheet(&rows))
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{user}");
            let res = upload_page(&c, &sheet(&rows)).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{user}");
        }

        // The CPPCC office registers proposals only: a suggestion's number is a bad row …
        let (s, v) = cppcc
            .api_bytes("/api/v1/proposal-imports?file_name=j.xlsx", sheet(&rows))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert!(v.to_string().contains("本办只登记提案"), "{v}");
        // … and it cannot commit the NPC office's upload.
        let (s, v) = npc
            .api_bytes("/api/v1/proposal-imports?file_name=j.xlsx", sheet(&rows))
            .await;
        assert_eq!(
            (s, v["problems"].as_i64()),
            (StatusCode::OK, Some(0)),
            "{v}"
        );
        let upload = v["upload_id"].as_i64().expect("upload");
        let commit = format!("/api/v1/proposal-imports/{upload}/commit");
        let (s, _) = cppcc.api(Method::POST, &commit, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert_eq!(proposals(&app).await, before);
        let (s, v) = npc.api(Method::POST, &commit, None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["proposals"].as_array().map(Vec::len), Some(1));
        let (s, _) = npc.api(Method::POST, &commit, None).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a second commit");
        assert_eq!(proposals(&app).await, before + 1);

        // A CSV saved under .xlsx, and bytes that are no workbook: refused in words.
        let uploads = app.count("SELECT COUNT(*) FROM import_uploads").await;
        let csv = "编号,标题,领衔代表\nJ2026-001,关于某事的建议,王某\n";
        let (s, v) = npc
            .api_bytes("/api/v1/proposal-imports?file_name=a.xlsx", csv.into())
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        assert!(
            v["detail"].as_str().unwrap_or_default().contains("另存为"),
            "{v}"
        );
        let (s, v) = npc
            .api_bytes(
                "/api/v1/proposal-imports?file_name=b.xlsx",
                b"\x00\x01not a workbook".to_vec(),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        let res = upload_page(&npc, csv.as_bytes()).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.expect("html");
        assert!(html.contains("另存为"), "{html}");
        assert!(html.contains("type=\"file\""), "the form is shown again");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM import_uploads").await,
            uploads,
            "a refused file is not kept"
        );
        assert_eq!(proposals(&app).await, before + 1);
    }
}

/// Items handed out so far.
async fn handed_out(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM proposals WHERE handed_out_on IS NOT NULL")
        .await
}

/// The office registers `rows` through the API (all of them, or the test fails).
async fn register(app: &TestApp, rows: &[HandoutText]) -> Vec<i64> {
    let npc = app.signed_in("npc-office").await;
    let (s, v) = npc
        .api_bytes("/api/v1/proposal-imports?file_name=r.xlsx", sheet(rows))
        .await;
    assert_eq!(
        (s, v["mode"].as_str()),
        (StatusCode::OK, Some("register")),
        "{v}"
    );
    assert_eq!(v["problems"].as_i64(), Some(0), "{v}");
    let upload = v["upload_id"].as_i64().expect("upload");
    let (s, v) = npc
        .api(
            Method::POST,
            &format!("/api/v1/proposal-imports/{upload}/commit"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["proposals"]
        .as_array()
        .expect("ids")
        .iter()
        .map(|i| i.as_i64().expect("id"))
        .collect()
}

/// Three suggestions with their units, numbered J{year}-911…913; the second has a 答复期限.
async fn three_rows(app: &TestApp) -> Vec<HandoutText> {
    let year = today().year();
    let d1 = name_of(app, "deputy1").await;
    let (jxj, fgj, tjj) = (
        unit_name(app, "jxj").await,
        unit_name(app, "fgj").await,
        unit_name(app, "tjj").await,
    );
    let mut a = item(
        &format!("J{year}-911"),
        "交办测试：关于增设园区公交线路的建议",
        &d1,
    );
    a.lead_unit = jxj.clone();
    a.co_units = vec![fgj.clone()];
    let mut b = item(
        &format!("J{year}-912"),
        "交办测试：关于老旧小区加装电梯的建议",
        &d1,
    );
    b.lead_unit = fgj.clone();
    b.split_units = vec![tjj.clone()];
    let due = today() + jiff::Span::new().days(60);
    b.reply_due = format!("{}年{}月{}日", due.year(), due.month(), due.day());
    let mut c = item(
        &format!("J{year}-913"),
        "交办测试：关于校园周边交通安全的建议",
        &d1,
    );
    c.lead_unit = tjj;
    c.co_units = vec![jxj, fgj];
    vec![a, b, c]
}

#[tokio::test]
async fn the_government_office_hands_out_every_registered_row_of_the_same_sheet() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let rows = three_rows(&app).await;
        let ids = register(&app, &rows).await;
        assert_eq!(ids.len(), 3);
        let office = app.signed_in("dkb2").await;
        let before = handed_out(&app).await;

        // The list page offers the hand-out form; the API preview says what each row does.
        let html = office.get("/proposals").await.text().await.expect("html");
        assert!(html.contains("按交办表交办"), "{html}");
        let (s, v) = office
            .api_bytes("/api/v1/proposal-imports?file_name=h.xlsx", sheet(&rows))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["mode"], "hand_out", "{v}");
        assert_eq!(v["problems"].as_i64(), Some(0), "{v}");
        let planned = v["plan"]["rows"].as_array().expect("rows").clone();
        for (row, id) in planned.iter().zip(&ids) {
            assert_eq!(row["proposal_id"].as_i64(), Some(*id), "{row}");
        }
        let due = today() + jiff::Span::new().days(60);
        assert_eq!(planned[1]["reply_due"], due.to_string());
        assert_eq!(planned[1]["due_from_sheet"], true);
        assert_eq!(planned[0]["due_from_sheet"], false);
        assert_eq!(
            handed_out(&app).await,
            before,
            "a preview hands nothing out"
        );

        // The page shows the same, with a commit button that hands every row out.
        let res = upload_page(&office, &sheet(&rows)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.expect("html");
        assert!(html.contains("将交办给"), "{html}");
        assert!(html.contains(&rows[2].co_units.join("、")), "{html}");
        assert!(html.contains(&due.to_string()), "{html}");
        let action = html
            .split("action=\"/proposals/import/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a commit form when no row has a problem");
        let res = office
            .post_form(&format!("/proposals/import/{action}"), &[])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(handed_out(&app).await, before + 3);

        // Each item now has the sheet's units and its deadline.
        let (jxj, fgj, tjj) = (
            app.unit_id("jxj").await,
            app.unit_id("fgj").await,
            app.unit_id("tjj").await,
        );
        let expect = [
            (jxj, vec![fgj], vec![]),
            (fgj, vec![], vec![tjj]),
            (tjj, vec![jxj, fgj], vec![]),
        ];
        for ((id, (lead, co, split)), row) in ids.iter().zip(expect).zip(&planned) {
            let (s, v) = office
                .api(Method::GET, &format!("/api/v1/proposals/{id}"), None)
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            let h = &v["handling"];
            assert_eq!(h["state"], "handed_out", "{v}");
            assert_eq!(h["lead_unit_id"].as_i64(), Some(lead), "{v}");
            let ids = |k: &str| -> Vec<i64> {
                h[k].as_array()
                    .expect("ids")
                    .iter()
                    .filter_map(serde_json::Value::as_i64)
                    .collect()
            };
            let mut got_co = ids("co_unit_ids");
            got_co.sort_unstable();
            let mut want_co = co;
            want_co.sort_unstable();
            assert_eq!(got_co, want_co, "{v}");
            assert_eq!(ids("split_unit_ids"), split, "{v}");
            assert_eq!(h["handed_out_on"], today().to_string(), "{v}");
            assert_eq!(h["reply_due_on"], row["reply_due"], "{v}");
        }
        // The item page names its lead unit (by its short name) and deadline.
        let short = {
            let mut tx = app.store.begin_read().await.expect("tx");
            duban_store::org::find_unit_by_code(&mut tx, "jxj")
                .await
                .expect("query")
                .expect("unit")
                .short_name
        };
        let html = office
            .get(&format!("/proposals/{}", ids[0]))
            .await
            .text()
            .await
            .expect("html");
        assert!(html.contains(&format!("<dd>{short}</dd>")), "{html}");
        let due = planned[0]["reply_due"].as_str().expect("due");
        assert!(html.contains(due), "{html}");

        // The same upload again: refused; a second sheet of the same items: every row named.
        let res = office
            .post_form(&format!("/proposals/import/{action}"), &[])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let (s, v) = office
            .api_bytes("/api/v1/proposal-imports?file_name=h.xlsx", sheet(&rows))
            .await;
        assert_eq!(
            (s, v["problems"].as_i64()),
            (StatusCode::OK, Some(3)),
            "{v}"
        );
        assert!(v.to_string().contains("不能再次交办"), "{v}");
        assert_eq!(handed_out(&app).await, before + 3);
    }
}

#[tokio::test]
async fn a_hand_out_sheet_with_one_bad_row_hands_nothing_out() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let year = today().year();
        let rows = three_rows(&app).await;
        let ids = register(&app, &rows).await;
        let office = app.signed_in("dkb2").await;
        let jxj = unit_name(&app, "jxj").await;

        // One bad row among good ones: an unknown co-unit.
        let mut bad = rows.clone();
        bad[2].co_units = vec!["火星局".into()];
        let before = (handed_out(&app).await, app.ledger_len().await);
        let (s, v) = office
            .api_bytes("/api/v1/proposal-imports?file_name=bad.xlsx", sheet(&bad))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["problems"].as_i64(), Some(1), "{v}");
        assert!(
            v.to_string()
                .contains("第5行“协办（会办）单位”列：找不到单位“火星局”"),
            "{v}"
        );
        let upload = v["upload_id"].as_i64().expect("upload");
        let commit = format!("/api/v1/proposal-imports/{upload}/commit");
        let (s, v) = office.api(Method::POST, &commit, None).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            (handed_out(&app).await, app.ledger_len().await),
            before,
            "no row is handed out, not even the good ones"
        );

        // One item handed out already (by the single-item step), and every other mistake.
        let (s, v) = office
            .api(
                Method::POST,
                &format!("/api/v1/proposals/{}/steps", ids[0]),
                Some(serde_json::json!({"step": "hand_out",
                    "lead_unit_id": app.unit_id("jxj").await})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let d1 = name_of(&app, "deputy1").await;
        let mut lead_is_co = rows[2].clone();
        lead_is_co.co_units = vec![lead_is_co.lead_unit.clone()];
        let mut no_lead = rows[1].clone();
        no_lead.number = format!("J{year}-913");
        no_lead.lead_unit = String::new();
        let mut past = rows[1].clone();
        past.number = format!("J{year}-914");
        let yesterday = today() - jiff::Span::new().days(1);
        past.reply_due = yesterday.to_string();
        let mut unreadable = rows[1].clone();
        unreadable.reply_due = "下月底".into();
        let mut unregistered = item(&format!("J{year}-999"), "未登记的建议", &d1);
        unregistered.lead_unit = jxj.clone();
        let mut no_number = item("", "没有编号的建议", &d1);
        no_number.lead_unit = jxj;
        let sheet_rows = [
            rows[0].clone(), // row 3: handed out already
            lead_is_co,      // row 4
            no_lead,         // row 5
            past,            // row 6 (J-914 is not registered either)
            unreadable,      // row 7
            unregistered,    // row 8
            no_number,       // row 9
        ];
        let before = (handed_out(&app).await, app.ledger_len().await);
        let (s, v) = office
            .api_bytes(
                "/api/v1/proposal-imports?file_name=bad.xlsx",
                sheet(&sheet_rows),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let text = v.to_string();
        for expected in [
            "第3行“编号”列",
            "不能再次交办",
            "第4行“协办（会办）单位”列",
            "已列为主办单位",
            "第5行“主办单位”列：没有填写主办单位",
            "第6行“答复期限”列：答复期限",
            "已过",
            "第7行“答复期限”列：“下月底”无法识别",
            &format!("第8行“编号”列：J{year}-999尚未登记"),
            "第9行“编号”列：没有填写编号",
            "row 4, column “协办（会办）单位”",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
        let upload = v["upload_id"].as_i64().expect("upload");
        let commit = format!("/api/v1/proposal-imports/{upload}/commit");
        let (s, _) = office.api(Method::POST, &commit, None).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!((handed_out(&app).await, app.ledger_len().await), before);

        // The page shows the problems and no commit button.
        let res = upload_page(&office, &sheet(&sheet_rows)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.expect("html");
        assert!(html.contains("尚未登记"), "{html}");
        assert!(!html.contains("action=\"/proposals/import/"), "{html}");
    }
}

#[tokio::test]
async fn units_and_deputies_cannot_hand_out_and_uploads_stay_with_their_mode() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let rows = three_rows(&app).await;
        register(&app, &rows).await;
        let before = handed_out(&app).await;
        for user in ["jxj-head", "jxj-liaison", "deputy1"] {
            let c = app.signed_in(user).await;
            let (s, _) = c
                .api_bytes("/api/v1/proposal-imports?file_name=x.xlsx", sheet(&rows))
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{user}");
            let res = upload_page(&c, &sheet(&rows)).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{user}");
            assert_eq!(
                c.get("/proposals/import").await.status(),
                StatusCode::FORBIDDEN,
                "{user}"
            );
        }
        // The government office's upload is not the NPC office's to commit, nor the reverse.
        let office = app.signed_in("dkb2").await;
        let npc = app.signed_in("npc-office").await;
        let (_, v) = office
            .api_bytes("/api/v1/proposal-imports?file_name=h.xlsx", sheet(&rows))
            .await;
        let upload = v["upload_id"].as_i64().expect("upload");
        let commit = format!("/api/v1/proposal-imports/{upload}/commit");
        let (s, _) = npc.api(Method::POST, &commit, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (_, v) = npc
            .api_bytes("/api/v1/proposal-imports?file_name=r.xlsx", sheet(&rows))
            .await;
        let upload = v["upload_id"].as_i64().expect("upload");
        let (s, _) = office
            .api(
                Method::POST,
                &format!("/api/v1/proposal-imports/{upload}/commit"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert_eq!(handed_out(&app).await, before);
    }
}

#[tokio::test]
async fn a_hand_out_sheet_takes_short_numbers_and_its_own_hand_out_dates() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let year = today().year();
        let rows = three_rows(&app).await;
        let ids = register(&app, &rows).await;
        // The hand-out meeting is ten days after the registration; the sheet is uploaded then.
        let later = today() + jiff::Span::new().days(10);
        let base = app.server_at(crate::helpers::at(later, 10)).await;
        let office = app.signed_in_on(&base, "dkb2").await;
        let met = today() + jiff::Span::new().days(3);

        // Short numbers: the sequence alone (no letter anywhere in the sheet: the one item of
        // the year with it), the year and sequence; 交办日期 as a date cell's text and in
        // Chinese. The demo has J2026-068 and T2026-068: a bare 68 is ambiguous.
        let mut short = rows.clone();
        short[0].number = "911".into();
        short[0].handed_out_on = met.to_string();
        short[1].number = format!("{year}-0912");
        short[1].handed_out_on = format!("{}年{}月{}日", met.year(), met.month(), met.day());
        short[1].reply_due = String::new();
        short[2].number = "913".into();
        let (s, v) = office
            .api_bytes("/api/v1/proposal-imports?file_name=s.xlsx", sheet(&short))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["problems"].as_i64(), Some(0), "{backend}: {v}");
        let planned = v["plan"]["rows"].as_array().expect("rows").clone();
        for (row, id) in planned.iter().zip(&ids) {
            assert_eq!(row["proposal_id"].as_i64(), Some(*id), "{row}");
        }
        assert_eq!(planned[0]["number"], format!("J{year}-911"));
        // The deadline counts from the meeting, by the year's rule (3 months).
        let due = {
            let mut tx = app.store.begin_read().await.expect("tx");
            let settings = duban_store::proposals::settings::get(&mut tx, year)
                .await
                .expect("settings");
            let calendar = duban_store::calendar::load_calendar(&mut tx)
                .await
                .expect("calendar");
            settings.reply.due(met, &calendar).expect("due")
        };
        for row in &planned[..2] {
            assert_eq!(row["handed_out_on"], met.to_string(), "{row}");
            assert_eq!(row["reply_due"], due.to_string(), "{row}");
        }
        assert_eq!(planned[2]["handed_out_on"], later.to_string());

        // Without a letter anywhere, a bare 68 could be J2026-068 or T2026-068 (both in the
        // demo); a letter in the sheet makes it a sheet of suggestions, and 68 is J2026-068.
        let mut ambiguous = rows.clone();
        for r in &mut ambiguous {
            r.number = r
                .number
                .trim_start_matches(&format!("J{year}-"))
                .to_string();
        }
        ambiguous[0].number = "68".into();
        let (s, v) = office
            .api_bytes(
                "/api/v1/proposal-imports?file_name=a.xlsx",
                sheet(&ambiguous),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let text = v.to_string();
        assert!(
            text.contains(&format!(
                "第3行“编号”列：编号“68”可能是J{year}-068或T{year}-068，请写完整编号"
            )),
            "{backend}: {text}"
        );
        assert_eq!(v["problems"].as_i64(), Some(1), "{text}");
        ambiguous[1].number = "J912".into();
        let (_, v) = office
            .api_bytes(
                "/api/v1/proposal-imports?file_name=a.xlsx",
                sheet(&ambiguous),
            )
            .await;
        let text = v.to_string();
        assert!(!text.contains("可能是"), "{text}");
        assert_eq!(
            v["plan"]["rows"][0]["number"],
            format!("J{year}-068"),
            "{text}"
        );

        // Hand-out dates that cannot be: after today, before the item was registered,
        // unreadable; an unknown short number. Each named by row and column; nothing written.
        let mut bad = short.clone();
        bad[0].handed_out_on = (later + jiff::Span::new().days(1)).to_string();
        bad[1].handed_out_on = (today() - jiff::Span::new().days(1)).to_string();
        bad[2].handed_out_on = "开会那天".into();
        let mut unknown = rows[0].clone();
        unknown.number = "J9999".into();
        bad.push(unknown);
        let before = (handed_out(&app).await, app.ledger_len().await);
        let (s, v) = office
            .api_bytes("/api/v1/proposal-imports?file_name=b.xlsx", sheet(&bad))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let text = v.to_string();
        for expected in [
            format!(
                "第3行“交办日期”列：交办日期{}晚于今天（{later}）",
                later + jiff::Span::new().days(1)
            ),
            format!(
                "第4行“交办日期”列：交办日期{}早于该件的登记日期{}",
                today() - jiff::Span::new().days(1),
                today()
            ),
            "第5行“交办日期”列：“开会那天”无法识别".to_string(),
            format!("第6行“编号”列：J{year}-9999尚未登记"),
            "row 3, column “交办日期”".to_string(),
        ] {
            assert!(text.contains(&expected), "{backend}: {expected} in {text}");
        }
        let upload = v["upload_id"].as_i64().expect("upload");
        let (s, _) = office
            .api(
                Method::POST,
                &format!("/api/v1/proposal-imports/{upload}/commit"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!((handed_out(&app).await, app.ledger_len().await), before);

        // The good sheet commits: each item handed out on the sheet's day, due from it.
        let (_, v) = office
            .api_bytes("/api/v1/proposal-imports?file_name=s.xlsx", sheet(&short))
            .await;
        let upload = v["upload_id"].as_i64().expect("upload");
        let (s, v) = office
            .api(
                Method::POST,
                &format!("/api/v1/proposal-imports/{upload}/commit"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        for (id, on) in ids.iter().zip([met, met, later]) {
            let (_, v) = office
                .api(Method::GET, &format!("/api/v1/proposals/{id}"), None)
                .await;
            assert_eq!(v["handling"]["handed_out_on"], on.to_string(), "{v}");
        }
        let (_, v) = office
            .api(Method::GET, &format!("/api/v1/proposals/{}", ids[0]), None)
            .await;
        assert_eq!(v["handling"]["reply_due_on"], due.to_string(), "{v}");
    }
}
