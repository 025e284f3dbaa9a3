//! The auditor's ledger: the auditor reads everything and writes nothing; the ledger's
//! filters narrow and its count is its rows; the exports open (.xlsx) and verify (.jsonl).

use crate::helpers::{Client, TestApp, backends};
use duban_core::ledger::Entry;
use duban_core::ledger::export::{ExportVerifier, LineError};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn get_json(c: &Client, path: &str) -> (StatusCode, Value) {
    c.api(Method::GET, path, None).await
}

/// Every page of a listing, through the API's paging.
async fn all_pages(c: &Client, filter: &str) -> (i64, Vec<Value>) {
    let (status, first) = get_json(c, &format!("/api/v1/ledger?{filter}&per_page=200")).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let total = first["total"].as_i64().unwrap();
    let upto = first["upto"].as_i64().unwrap();
    let mut items: Vec<Value> = first["items"].as_array().unwrap().clone();
    let mut page = 2;
    while (items.len() as i64) < total {
        let (_, next) = get_json(
            c,
            &format!("/api/v1/ledger?{filter}&per_page=200&page={page}&upto={upto}"),
        )
        .await;
        let more = next["items"].as_array().unwrap();
        assert!(!more.is_empty(), "page {page} is empty before the total");
        items.extend(more.iter().cloned());
        page += 1;
    }
    (total, items)
}

/// The pager's link to the next page, its HTML escapes undone.
fn next_link(page: &str) -> Option<String> {
    let at = page.find("rel=\"next\"")?;
    let start = page[..at].rfind("href=\"")? + "href=\"".len();
    let end = start + page[start..].find('"')?;
    Some(page[start..end].replace("&#38;", "&").replace("&amp;", "&"))
}

fn seqs(items: &[Value]) -> Vec<i64> {
    items.iter().map(|i| i["seq"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn the_auditor_reads_everything_and_every_write_is_refused() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let c = app.signed_in("auditor").await;
        let case = app.first_case_of("jxj").await;
        let task = app.first_task_of("jxj").await;
        let draft = app.first_task_of("tjj").await;
        let unit = app.unit_id("jxj").await;
        let person = app.person_id("jxj-staff1").await;
        for path in [
            "/".to_string(),
            "/lists".into(),
            format!("/lists/tasks/{task}"),
            format!("/lists/tasks/{draft}"),
            "/cases".into(),
            format!("/cases/{case}"),
            "/reports".into(),
            "/dashboard".into(),
            "/commitments".into(),
            "/livelihood".into(),
            format!("/org/units/{unit}"),
            format!("/org/people/{person}"),
            "/ledger".into(),
            "/ledger/1".into(),
            "/api/v1/tasks".into(),
            format!("/api/v1/tasks/{draft}"),
            format!("/api/v1/cases/{case}"),
            "/api/v1/commitments".into(),
            "/api/v1/dashboard".into(),
            "/api/v1/ledger".into(),
        ] {
            let res = c.get(&path).await;
            assert_eq!(res.status(), StatusCode::OK, "the auditor reads {path}");
        }
        // A photo on the timeline of a case the auditor is in no way part of.
        let photo = crate::attachments::on_first_case_of(&app, "jxj").await;
        let res = c.get(&format!("/api/v1/attachments/{photo}")).await;
        assert_eq!(res.status(), StatusCode::OK, "evidence is read too");

        let before = app.ledger_len().await;
        let writes: Vec<(Method, String, Value)> = vec![
            (
                Method::POST,
                "/api/v1/cases".into(),
                json!({"title": "审计不立项"}),
            ),
            (
                Method::POST,
                format!("/api/v1/cases/{case}/reopen"),
                json!({}),
            ),
            (Method::POST, "/api/v1/tasks".into(), json!({"title": "x"})),
            (
                Method::PUT,
                format!("/api/v1/tasks/{draft}"),
                json!({"title": "x"}),
            ),
            (
                Method::POST,
                format!("/api/v1/tasks/{task}/review"),
                json!({"decision": "approve"}),
            ),
            (
                Method::POST,
                format!("/api/v1/tasks/{draft}/reports"),
                json!({}),
            ),
            (
                Method::PUT,
                format!("/api/v1/tasks/{task}/light"),
                json!({"light": "red"}),
            ),
            (
                Method::POST,
                "/api/v1/units".into(),
                json!({"code": "sjj2", "name": "审计局", "kind": "department"}),
            ),
            (
                Method::PUT,
                format!("/api/v1/units/{unit}"),
                json!({"name": "x"}),
            ),
            (Method::POST, "/api/v1/commitments".into(), json!({})),
            (Method::POST, "/api/v1/livelihood".into(), json!({})),
            (Method::PUT, "/api/v1/light-rules/2026".into(), json!({})),
            (Method::POST, "/api/v1/meetings".into(), json!({})),
            (Method::POST, "/api/v1/attachments".into(), json!({})),
            (Method::POST, "/api/v1/report-imports".into(), json!({})),
        ];
        for (method, path, body) in writes {
            let (status, problem) = c.api(method.clone(), &path, Some(body)).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "the auditor may not {method} {path}: {problem}"
            );
        }
        for path in ["/cases", "/admin/units", "/lists/tasks", "/meetings"] {
            let res = c.post_form(path, &[("title", "x"), ("name", "x")]).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "POST {path}");
        }
        assert_eq!(app.ledger_len().await, before, "nothing was written");
        // The auditor keeps their own account: a token for scripts.
        let (status, token) = c
            .api(
                Method::POST,
                "/api/v1/tokens",
                Some(json!({"name": "审计脚本"})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{token}");
    }
}

#[tokio::test]
async fn the_ledger_is_for_the_office_the_admin_and_the_auditor_under_its_new_address() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb").await;
        let res = office.get("/admin/ledger?action=case.").await;
        assert_eq!(res.status(), StatusCode::PERMANENT_REDIRECT);
        assert_eq!(res.headers()["location"], "/ledger?action=case.");
        let unit_head = app.signed_in("jxj-head").await;
        assert_eq!(
            unit_head.get("/admin/ledger").await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            unit_head.get("/ledger").await.status(),
            StatusCode::FORBIDDEN
        );
        let (status, _) = get_json(&unit_head, "/api/v1/ledger").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // The admin's person form offers the role.
        let admin = app.signed_in("admin").await;
        let form = admin.get("/admin/people/new").await.text().await.unwrap();
        assert!(form.contains("value=\"auditor\""), "the role is offered");
    }
}

#[tokio::test]
async fn filters_narrow_the_ledger_and_the_count_is_the_rows() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let c = app.signed_in("auditor").await;
        let all = app.count("SELECT COUNT(*) FROM ledger").await;
        let (status, first) = get_json(&c, "/api/v1/ledger?per_page=5").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(first["total"].as_i64(), Some(all));
        assert_eq!(first["upto"].as_i64(), Some(all), "the head is pinned");
        let s = seqs(first["items"].as_array().unwrap());
        assert_eq!(s, (all - 4..=all).rev().collect::<Vec<_>>(), "newest first");

        // By action prefix: every row matches, the count is the rows, pages do not overlap.
        let (total, items) = all_pages(&c, "action=case.").await;
        assert!(total > 0 && total < all, "{total} of {all}");
        assert_eq!(items.len() as i64, total);
        let s = seqs(&items);
        assert!(s.windows(2).all(|w| w[0] > w[1]), "strictly newest first");
        assert!(
            items
                .iter()
                .all(|i| i["action"].as_str().unwrap().starts_with("case."))
        );

        // By object: the unit's own entries, named and linked.
        let jxj = app.unit_id("jxj").await;
        let (total, items) = all_pages(&c, &format!("object_type=unit&object_id={jxj}")).await;
        assert!(total >= 1);
        for i in &items {
            assert_eq!(i["object_type"], "unit");
            assert_eq!(i["object_id"].as_i64(), Some(jxj));
            assert_eq!(i["object_link"], format!("/org/units/{jxj}"));
            assert!(i["object_name"].as_str().unwrap().contains("经济"), "{i}");
        }

        // By unit: its own entries are among them; another unit's unit entry is not.
        let (by_unit, items) = all_pages(&c, &format!("unit={jxj}")).await;
        assert!(by_unit > total && by_unit < all, "{by_unit}");
        let town = app.unit_id("town-dongcheng").await;
        assert!(
            items
                .iter()
                .any(|i| i["object_type"] == "unit" && i["object_id"] == jxj)
        );
        assert!(
            !items
                .iter()
                .any(|i| i["object_type"] == "unit" && i["object_id"] == town)
        );

        // By actor: someone's writes carry their name; the system's none.
        let (_, some) = get_json(&c, "/api/v1/ledger?per_page=200&action=case.").await;
        let someone = some["items"]
            .as_array()
            .unwrap()
            .iter()
            .find_map(|i| i["actor"].as_i64())
            .expect("a case entry by someone");
        let (n, items) = all_pages(&c, &format!("actor={someone}")).await;
        assert!(n > 0);
        let name = items[0]["actor_name"].as_str().unwrap().to_string();
        assert!(
            items
                .iter()
                .all(|i| i["actor"].as_i64() == Some(someone) && i["actor_name"] == name.as_str())
        );
        let (_, system) = all_pages(&c, "actor=system&action=unit.").await;
        assert!(
            system
                .iter()
                .all(|i| i["actor"].is_null() && i["actor_name"].is_null())
        );

        // By time, in the city's zone: the demo's day holds entries, a day long before none.
        let today = crate::helpers::today();
        let (_, none) = get_json(&c, "/api/v1/ledger?from=2001-01-01&to=2001-01-02").await;
        assert_eq!(none["total"].as_i64(), Some(0));
        let (_, upto_today) = get_json(&c, &format!("/api/v1/ledger?to={today}")).await;
        assert_eq!(
            upto_today["total"].as_i64(),
            Some(all),
            "the whole demo is up to today"
        );

        // Bad input is a problem naming the parameter.
        for (query, name) in [
            ("from=2026-13-01", "from"),
            ("actor=someone", "actor"),
            ("unit=x", "unit"),
            ("per_page=0", "per_page"),
            ("from=2026-02-01&to=2026-01-01", "to"),
        ] {
            let res = c.get(&format!("/api/v1/ledger?{query}")).await;
            assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{query}");
            assert_eq!(res.headers()["content-type"], "application/problem+json");
            let p: Value = res.json().await.unwrap();
            assert!(p.to_string().contains(name), "{query}: {p}");
        }

        // The page keeps the filters across pages and shows the count: the next page's link
        // (present whenever the rows fill more than one page of 50) carries the filter and the
        // pinned head, and leads to a page with the same count.
        let page = c.get("/ledger?action=case.").await.text().await.unwrap();
        let (case_total, _) = all_pages(&c, "action=case.").await;
        let count = format!("<span class=\"count\">{case_total}</span>");
        assert!(page.contains(&count));
        let next = next_link(&page);
        assert_eq!(next.is_some(), case_total > 50, "a pager only when needed");
        if let Some(next) = next {
            assert!(
                next.starts_with(&format!("/ledger?action=case.&upto={all}&"))
                    && next.ends_with("page=2"),
                "the pager keeps the filter and the head: {next}"
            );
            let second = c.get(&next).await.text().await.unwrap();
            assert!(second.contains(&count), "page 2 counts the same rows");
        }
    }
}

#[tokio::test]
async fn an_entry_shows_its_before_and_after_field_by_field() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.signed_in("admin").await;
        let jxj = app.unit_id("jxj").await;
        let res = admin
            .post_form(
                &format!("/admin/units/{jxj}"),
                &[
                    ("name", "永康市经济和信息化局（审计）"),
                    ("short_name", "经信局"),
                    ("code", "jxj"),
                    ("kind", "department"),
                    ("sort_order", "0"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "the unit is renamed");
        let seq = app.count("SELECT MAX(seq) FROM ledger").await;
        let c = app.signed_in("auditor").await;
        let (status, e) = get_json(&c, &format!("/api/v1/ledger/{seq}")).await;
        assert_eq!(status, StatusCode::OK, "{e}");
        assert_eq!(e["action"], "unit.update");
        assert!(e["actor_name"].is_string(), "{e}");
        let fields = e["fields"].as_array().unwrap();
        let name = fields.iter().find(|f| f["field"] == "name").expect("name");
        assert_eq!(name["changed"], true);
        assert!(name["after"].as_str().unwrap().contains("（审计）"));
        let code = fields.iter().find(|f| f["field"] == "code").expect("code");
        assert_eq!(code["changed"], false);
        assert_eq!(e["hash"].as_str().unwrap().len(), 64);
        let page = c.get(&format!("/ledger/{seq}")).await.text().await.unwrap();
        assert!(
            page.contains("diff-row changed"),
            "the change is highlighted"
        );
        assert!(page.contains(e["prev_hash"].as_str().unwrap()));
        let (status, _) = get_json(&c, "/api/v1/ledger/99999999").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

fn entry_of(line: &str) -> Entry {
    let v: Value = serde_json::from_str(line).unwrap();
    Entry {
        seq: v["seq"].as_i64().unwrap(),
        at_us: v["at_us"].as_i64().unwrap(),
        actor: v["actor"].as_i64(),
        action: v["action"].as_str().unwrap().into(),
        object_type: v["object_type"].as_str().unwrap().into(),
        object_id: v["object_id"].as_i64(),
        before: v["before"].as_str().unwrap().into(),
        after: v["after"].as_str().unwrap().into(),
        prev_hash: v["prev_hash"].as_str().unwrap().into(),
        hash: v["hash"].as_str().unwrap().into(),
    }
}

fn verify(text: &str) -> (ExportVerifier, Vec<LineError>) {
    let mut v = ExportVerifier::default();
    let errors = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| v.push(i + 1, &entry_of(l)).err())
        .collect();
    (v, errors)
}

#[tokio::test]
async fn a_filtered_range_exports_as_a_sheet_that_opens_and_json_lines_that_verify() {
    use calamine::{Data, Reader, Xlsx};
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let c = app.signed_in("auditor").await;
        let filter = "action=unit.";
        let (total, items) = all_pages(&c, filter).await;
        assert!(total > 1);

        let res = c.get(&format!("/ledger/export.xlsx?{filter}")).await;
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = res.bytes().await.unwrap().to_vec();
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("审计账本").unwrap();
        assert_eq!(
            sheet.height() as i64,
            total + 2,
            "banner, header, one row per entry"
        );
        let oldest = *seqs(&items).last().unwrap();
        assert_eq!(sheet.get_value((2, 0)), Some(&Data::Float(oldest as f64)));
        assert_eq!(
            sheet.get_value((1, 2)),
            Some(&Data::String("操作人".into()))
        );

        let res = c
            .get(&format!("/api/v1/ledger/export.jsonl?{filter}"))
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "application/jsonl");
        let text = res.text().await.unwrap();
        assert_eq!(text.lines().count() as i64, total);
        let (v, errors) = verify(&text);
        assert_eq!(errors, vec![]);
        assert!(
            !v.gaps().is_empty(),
            "a filtered range has gaps, and they are reported"
        );
        let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert!(
            first["object_name"].is_string() && first["at"].is_string(),
            "{first}"
        );

        // One byte changed in the third line: that line is named, no other.
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let seq3 = entry_of(&lines[2]).seq;
        lines[2] = lines[2].replacen("\"action\":\"unit.", "\"action\":\"unit,", 1);
        let (_, errors) = verify(&lines.join("\n"));
        assert_eq!(errors, vec![LineError::Tampered { line: 3, seq: seq3 }]);

        // The whole ledger in one run, starting from the genesis.
        let res = c.get("/ledger/export.jsonl").await;
        let whole = res.text().await.unwrap();
        let (v, errors) = verify(&whole);
        assert_eq!(errors, vec![]);
        assert!(v.gaps().is_empty());
        assert_eq!(v.runs(), 1);
    }
}
