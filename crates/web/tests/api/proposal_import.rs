//! The hand-out sheet (建议提案交办表) imported by the NPC office: a good sheet previewed on the
//! page and committed registers every row, which then shows on /proposals; a sheet with bad
//! rows names each by row and column and writes nothing; a second commit is refused; the
//! CPPCC office cannot import suggestions nor commit the NPC office's upload; a file that is
//! no workbook is refused in words. The sheets are written by the project's own writer.

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

        // Units, deputies and the government office may not import at all.
        for user in ["jxj-liaison", "deputy1", "dkb2"] {
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
