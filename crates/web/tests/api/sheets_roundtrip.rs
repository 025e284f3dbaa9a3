//! Sheets that round-trip (issue 14, part 5): the monthly progress sheet sent back untouched
//! sends nothing, a row marked 本期无变化 sends the task's figures as they stand; the office's
//! 月度进展汇总表 holds the month's reports each reader may see and reads back as the same
//! reports; a unit's own list exports only what it leads and imports back unchanged; files we
//! do not read are refused with "save as .xlsx".

use crate::helpers::{TestApp, backends};
use duban_docs::progress::{ProgressSheetRow, read_progress_sheet, write_progress_sheet};
use reqwest::{Method, StatusCode};

async fn count(app: &TestApp, sql: &'static str, binds: &[&str]) -> i64 {
    let mut tx = app.store.begin_read().await.expect("tx");
    let mut q = duban_store::sql(sql);
    for b in binds {
        q = q.bind(b.to_string());
    }
    let (n,): (i64,) = q.fetch_one(&mut tx).await.expect("query");
    n
}

async fn float(app: &TestApp, sql: &'static str, id: i64) -> f64 {
    let mut tx = app.store.begin_read().await.expect("tx");
    let (n,): (f64,) = duban_store::sql(sql)
        .bind(id)
        .fetch_one(&mut tx)
        .await
        .expect("query");
    n
}

const REPORTS: &str = "SELECT COUNT(*) FROM progress_reports";

#[tokio::test]
async fn the_progress_sheet_sent_back_untouched_sends_nothing_and_no_change_keeps_the_figures() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let liaison = app.signed_in("jxj-liaison").await;
        let bytes = liaison
            .get("/api/v1/reports/export")
            .await
            .bytes()
            .await
            .expect("xlsx")
            .to_vec();
        let sheet = read_progress_sheet(&bytes, 2026).expect("our own sheet");
        assert!(sheet.rows.len() >= 2, "jxj has tasks to report");
        let before = count(&app, REPORTS, &[]).await;

        // Untouched: every row is skipped, none is a problem, the commit sends nothing.
        let (s, v) = liaison
            .api_bytes("/api/v1/report-imports?file_name=untouched.xlsx", bytes)
            .await;
        assert_eq!(
            (s, v["problems"].as_u64()),
            (StatusCode::OK, Some(0)),
            "{v}"
        );
        let rows = v["plan"]["rows"].as_array().expect("rows");
        assert_eq!(rows.len(), sheet.rows.len());
        assert!(rows.iter().all(|r| r["skipped"] == true), "{v}");
        let upload = v["upload_id"].as_i64().expect("id");
        let commit = format!("/api/v1/report-imports/{upload}/commit");
        let (s, v) = liaison.api(Method::POST, &commit, None).await;
        assert_eq!((s, v["sent"].as_u64()), (StatusCode::OK, Some(0)), "{v}");
        assert_eq!(count(&app, REPORTS, &[]).await, before, "nothing sent");

        // One row marked 本期无变化, the others left as downloaded: one report, carrying the
        // task's accepted progress.
        let mut rows: Vec<ProgressSheetRow> = sheet.rows.iter().map(|r| r.parsed.clone()).collect();
        let task: i64 = rows[0].task_code.parse().expect("a task id");
        rows[0].no_change = true;
        let marked = write_progress_sheet("进展报送表", "2026-11", &rows).expect("sheet");
        let (s, v) = liaison
            .api_bytes("/api/v1/report-imports?file_name=marked.xlsx", marked)
            .await;
        assert_eq!(
            (s, v["problems"].as_u64()),
            (StatusCode::OK, Some(0)),
            "{v}"
        );
        assert_eq!(v["plan"]["rows"][0]["no_change"], true, "{v}");
        let upload = v["upload_id"].as_i64().expect("id");
        let commit = format!("/api/v1/report-imports/{upload}/commit");
        let (s, v) = liaison.api(Method::POST, &commit, None).await;
        assert_eq!((s, v["sent"].as_u64()), (StatusCode::OK, Some(1)), "{v}");
        assert_eq!(count(&app, REPORTS, &[]).await, before + 1);
        let sent = float(
            &app,
            "SELECT percent FROM progress_reports WHERE task_id = $1 AND period = '2026-11'",
            task,
        )
        .await;
        let pending = float(
            &app,
            "SELECT CAST(COUNT(*) AS DOUBLE PRECISION) FROM progress_reports
              WHERE task_id = $1 AND period < '2026-11'
                AND state IN ('unit_review', 'submitted', 'returned')",
            task,
        )
        .await;
        if pending == 0.0 {
            let accepted = float(&app, "SELECT progress FROM tasks WHERE id = $1", task).await;
            assert_eq!(sent, accepted, "no change carries the accepted progress");
        }
    }
}

#[tokio::test]
async fn a_lower_percentage_in_the_sheet_needs_its_reason_in_the_same_row() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let liaison = app.signed_in("jxj-liaison").await;
        let bytes = liaison
            .get("/api/v1/reports/export")
            .await
            .bytes()
            .await
            .expect("xlsx");
        let sheet = read_progress_sheet(&bytes, 2026).expect("our own sheet");
        // A task with accepted progress above 0, so 0 % lowers it.
        let mut chosen = None;
        for r in &sheet.rows {
            let id: i64 = r.parsed.task_code.parse().expect("id");
            if float(&app, "SELECT progress FROM tasks WHERE id = $1", id).await > 0.0 {
                chosen = Some(r.parsed.clone());
                break;
            }
        }
        let Some(row) = chosen else { continue };
        let lowered = ProgressSheetRow {
            progress: "核减工程量".into(),
            percent: Some(0.0),
            ..row
        };
        let upload = |rows: Vec<ProgressSheetRow>| {
            write_progress_sheet("进展报送表", "2026-11", &rows).expect("sheet")
        };
        let (s, v) = liaison
            .api_bytes(
                "/api/v1/report-imports?file_name=lower.xlsx",
                upload(vec![lowered.clone()]),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let named = v["plan"]["rows"][0]["problems"].to_string();
        assert!(named.contains("第") && named.contains("行"), "{v}");
        let with_reason = ProgressSheetRow {
            lower_reason: "项目范围调整，工程量核减".into(),
            ..lowered
        };
        let (s, v) = liaison
            .api_bytes(
                "/api/v1/report-imports?file_name=reason.xlsx",
                upload(vec![with_reason]),
            )
            .await;
        assert_eq!(
            (s, v["problems"].as_u64()),
            (StatusCode::OK, Some(0)),
            "{v}"
        );
    }
}

#[tokio::test]
async fn the_office_downloads_the_months_reports_of_every_unit_as_one_sheet() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb").await;
        let res = office.get("/reports/summary.xlsx?period=2026-10").await;
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = res.bytes().await.expect("xlsx");
        let sheet = read_progress_sheet(&bytes, 2026).expect("the summary reads back");
        assert_eq!(sheet.problem_count(), 0, "{:?}", sheet.rows.first());
        assert_eq!(sheet.period_label.as_deref(), Some("2026-10"));
        let sent_out = count(
            &app,
            "SELECT COUNT(*) FROM progress_reports WHERE period = $1
               AND state IN ('submitted', 'accepted', 'returned')",
            &["2026-10"],
        )
        .await;
        assert!(sent_out > 0, "the demo has October's reports");
        assert_eq!(sheet.rows.len() as i64, sent_out);
        let units: std::collections::BTreeSet<&str> = sheet
            .rows
            .iter()
            .map(|r| r.parsed.lead_unit.as_str())
            .collect();
        assert!(units.len() > 3, "every unit's reports: {units:?}");
        // Each row is the report it names: its percentage as stored.
        for r in sheet.rows.iter().take(20) {
            let task: i64 = r.parsed.task_code.parse().expect("task id");
            let stored = float(
                &app,
                "SELECT percent FROM progress_reports WHERE task_id = $1 AND period = '2026-10'",
                task,
            )
            .await;
            assert_eq!(r.parsed.percent, Some(stored), "row {}", r.row);
        }

        // A unit sees its own reports only.
        let liaison = app.signed_in("jxj-liaison").await;
        let bytes = liaison
            .get("/reports/summary.xlsx?period=2026-10")
            .await
            .bytes()
            .await
            .expect("xlsx");
        let own = read_progress_sheet(&bytes, 2026).expect("reads back");
        let jxj = app.unit_id("jxj").await.to_string();
        let theirs = count(
            &app,
            "SELECT COUNT(*) FROM progress_reports WHERE period = $1 AND CAST(unit_id AS TEXT) = $2",
            &["2026-10", &jxj],
        )
        .await;
        assert_eq!(own.rows.len() as i64, theirs);
        assert!(own.rows.len() < sheet.rows.len());

        // The reports page offers it; a period that is none is a 422 naming it.
        let html = office.get("/reports").await.text().await.expect("html");
        assert!(
            html.contains("/reports/summary.xlsx?period="),
            "link on the page"
        );
        let res = office.get("/reports/summary.xlsx?period=2026-13").await;
        assert!(res.status().is_client_error(), "{}", res.status());
    }
}

#[tokio::test]
async fn a_units_own_list_holds_only_what_it_leads_and_imports_back_unchanged() {
    use duban_docs::lists::read_task_list;
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let liaison = app.signed_in("jxj-liaison").await;
        let jxj = app.unit_id("jxj").await;
        let html = liaison.get("/lists").await.text().await.expect("html");
        let link = format!("/lists/export.xlsx?year=2026&amp;unit={jxj}&amp;lead=1");
        assert!(html.contains(&link), "the lists page offers my list");
        let bytes = liaison
            .get(&format!("/lists/export.xlsx?year=2026&unit={jxj}&lead=1"))
            .await
            .bytes()
            .await
            .expect("xlsx")
            .to_vec();
        let sheet = read_task_list(&bytes, 2026).expect("reads back");
        let led = count(
            &app,
            "SELECT COUNT(*) FROM tasks WHERE year = 2026 AND CAST(lead_unit_id AS TEXT) = $1",
            &[&jxj.to_string()],
        )
        .await;
        assert_eq!(
            sheet.rows.len() as i64,
            led,
            "every task it leads, nothing else"
        );
        let names: std::collections::BTreeSet<&str> =
            sheet.rows.iter().map(|r| r.lead_unit.as_str()).collect();
        assert_eq!(names.len(), 1, "one lead unit: {names:?}");

        let tasks = count(&app, "SELECT COUNT(*) FROM tasks", &[]).await;
        let ledger = app.ledger_len().await;
        let (s, v) = liaison
            .api_bytes("/api/v1/imports?year=2026", bytes.clone())
            .await;
        let rows = v["plan"]["rows"].as_array().expect("rows");
        let first_problem = rows
            .iter()
            .find(|r| !r["problems"].as_array().expect("list").is_empty())
            .map(|r| r.to_string());
        assert_eq!(
            (s, v["problems"].as_u64()),
            (StatusCode::OK, Some(0)),
            "{first_problem:?}"
        );
        assert!(
            rows.iter().all(|r| r["action"].get("unchanged").is_some()),
            "{}",
            rows.iter()
                .find(|r| r["action"].get("unchanged").is_none())
                .map(|r| r.to_string())
                .unwrap_or_default()
        );
        let upload = v["upload_id"].as_i64().expect("id");
        let (s, v) = liaison
            .api(
                Method::POST,
                &format!("/api/v1/imports/{upload}/commit"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            (v["created"].as_u64(), v["updated"].as_u64()),
            (Some(0), Some(0)),
            "{v}"
        );
        assert_eq!(count(&app, "SELECT COUNT(*) FROM tasks", &[]).await, tasks);
        assert_eq!(app.ledger_len().await, ledger, "nothing written");
    }
}

#[tokio::test]
async fn a_csv_or_a_wps_file_is_refused_with_save_as_xlsx() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let liaison = app.signed_in("jxj-liaison").await;
        let csv = "序号,任务名称,牵头单位\n1,建成产业园,经信局\n"
            .as_bytes()
            .to_vec();
        for path in [
            "/api/v1/imports?year=2026",
            "/api/v1/report-imports?file_name=list.csv",
        ] {
            let (s, v) = liaison.api_bytes(path, csv.clone()).await;
            assert!(s.is_client_error(), "{path}: {s}");
            assert!(v.to_string().contains("另存为 .xlsx"), "{path}: {v}");
        }
    }
}

#[tokio::test]
async fn an_exported_problem_list_sent_back_updates_its_cases_and_a_past_deadline_is_refused_early()
{
    use duban_docs::cases::{ProblemRow, read_problem_list, write_problem_list_xlsx};
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb").await;
        let res = office.get("/cases/export.xlsx?year=2026").await;
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = res.bytes().await.expect("xlsx").to_vec();
        let sheet = read_problem_list(&bytes).expect("reads back");
        assert!(!sheet.rows.is_empty(), "the demo has cases");
        let cases = count(&app, "SELECT COUNT(*) FROM cases", &[]).await;

        // As exported: every row names its case and nothing changes.
        let (s, v) = office
            .api_bytes("/api/v1/case-imports?file_name=back.xlsx", bytes)
            .await;
        let rows = v["plan"]["rows"].as_array().expect("rows").clone();
        let first_problem = rows
            .iter()
            .find(|r| !r["problems"].as_array().expect("list").is_empty())
            .map(|r| r.to_string());
        assert_eq!(
            (s, v["problems"].as_u64()),
            (StatusCode::OK, Some(0)),
            "{first_problem:?}"
        );
        assert!(
            rows.iter().all(|r| r["action"].get("unchanged").is_some()),
            "{v}"
        );
        let upload = v["upload_id"].as_i64().expect("id");
        let commit = format!("/api/v1/case-imports/{upload}/commit");
        let (s, v) = office.api(Method::POST, &commit, None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["cases"].as_array().map(Vec::len), Some(0));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM cases", &[]).await, cases);

        // A new 整改进展 on an open case updates that case; a new row with a past deadline
        // is refused in the preview, naming its row and column, as the commit would.
        let mut parsed: Vec<ProblemRow> = sheet.rows.iter().map(|r| r.parsed.clone()).collect();
        let open = parsed
            .iter()
            .position(|r| r.status == duban_docs::cases::ProblemStatus::InProgress)
            .expect("an open case");
        parsed[open].progress = "已完成管网改造的80%".into();
        let code = parsed[open].code.clone();
        let new = ProblemRow {
            code: String::new(),
            description: "新发现：路灯损坏".into(),
            lead_unit: parsed[open].lead_unit.clone(),
            co_units: Vec::new(),
            deadline: "2026-01-31".into(),
            status: duban_docs::cases::ProblemStatus::NotStarted,
            measures: String::new(),
            progress: String::new(),
            evidence: String::new(),
            ..parsed[open].clone()
        };
        let with_new =
            |rows: &[ProblemRow]| write_problem_list_xlsx("问题清单", rows).expect("sheet");
        let mut rows = parsed.clone();
        rows.push(new.clone());
        let (s, v) = office
            .api_bytes("/api/v1/case-imports?file_name=new.xlsx", with_new(&rows))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let last = &v["plan"]["rows"][rows.len() - 1];
        let named = last["problems"].to_string();
        assert!(
            named.contains("整改时限") && named.contains("早于今天"),
            "{last}"
        );
        assert!(named.contains(&format!("第{}行", last["row"])), "{last}");
        let upload = v["upload_id"].as_i64().expect("id");
        let (s, _) = office
            .api(
                Method::POST,
                &format!("/api/v1/case-imports/{upload}/commit"),
                None,
            )
            .await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "the commit refuses what the preview named"
        );
        assert_eq!(count(&app, "SELECT COUNT(*) FROM cases", &[]).await, cases);

        let (s, v) = office
            .api_bytes(
                "/api/v1/case-imports?file_name=update.xlsx",
                with_new(&parsed),
            )
            .await;
        assert_eq!(
            (s, v["problems"].as_u64()),
            (StatusCode::OK, Some(0)),
            "{v}"
        );
        let updated = &v["plan"]["rows"][open]["action"]["update"];
        assert_eq!(updated["fields"], serde_json::json!(["整改进展"]), "{v}");
        let upload = v["upload_id"].as_i64().expect("id");
        let (s, v) = office
            .api(
                Method::POST,
                &format!("/api/v1/case-imports/{upload}/commit"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM cases", &[]).await,
            cases,
            "no duplicate"
        );
        let note = count(
            &app,
            "SELECT COUNT(*) FROM cases WHERE progress_note = $1",
            &["已完成管网改造的80%"],
        )
        .await;
        assert_eq!(note, 1, "{code} carries the new progress");
    }
}

#[tokio::test]
async fn a_case_deadline_is_accepted_as_people_write_it_and_stored_as_its_rule() {
    use serde_json::json;
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb2").await;
        let unit = app.unit_id("jxj").await;
        for (typed, stored) in [
            ("5个工作日", "5wd"),
            ("15天", "15d"),
            ("3个月", "3m"),
            ("5wd", "5wd"),
            ("2026-12-31", "2026-12-31"),
        ] {
            let (s, v) = office
                .api(
                    Method::POST,
                    "/api/v1/cases",
                    Some(json!({"source": "instruction", "title": format!("期限{typed}"), "content": "批示"})),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            let id = v["id"].as_i64().expect("id");
            let (s, v) = office
                .api(
                    Method::POST,
                    &format!("/api/v1/cases/{id}/steps"),
                    Some(json!({"step": "assign", "lead_unit_id": unit, "deadline": typed})),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{typed}: {v}");
            let (_, v) = office
                .api(Method::GET, &format!("/api/v1/cases/{id}"), None)
                .await;
            assert_eq!(v["case"]["handling"]["deadline_rule"], stored, "{typed}");
            assert!(v["case"]["handling"]["due_on"].is_string(), "{v}");
        }
        // Nonsense is still refused, naming the field.
        let (_, v) = office
            .api(
                Method::POST,
                "/api/v1/cases",
                Some(json!({"source": "instruction", "title": "期限不明", "content": "批示"})),
            )
            .await;
        let id = v["id"].as_i64().expect("id");
        let (s, v) = office
            .api(
                Method::POST,
                &format!("/api/v1/cases/{id}/steps"),
                Some(json!({"step": "assign", "lead_unit_id": unit, "deadline": "尽快"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v.to_string().contains("deadline"), "{v}");
    }
}

/// The same export with one approved task's title changed: that row is refused, named, and
/// points to a change request — an import never rewrites an approved task.
#[tokio::test]
async fn a_changed_approved_row_in_a_reimported_list_is_refused_and_names_the_change_request() {
    use calamine::{Data, Reader, Xlsx};
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let liaison = app.signed_in("jxj-liaison").await;
        let jxj = app.unit_id("jxj").await;
        let bytes = liaison
            .get(&format!("/lists/export.xlsx?year=2026&unit={jxj}&lead=1"))
            .await
            .bytes()
            .await
            .expect("xlsx")
            .to_vec();
        // Copy every cell into a new workbook, changing the first approved task's title.
        let title: String = {
            let mut tx = app.store.begin_read().await.expect("tx");
            let (t,): (String,) = duban_store::sql(
                "SELECT title FROM tasks WHERE lead_unit_id = $1 AND year = 2026
                   AND state = 'approved' ORDER BY sort_key LIMIT 1",
            )
            .bind(jxj)
            .fetch_one(&mut tx)
            .await
            .expect("an approved task");
            t
        };
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("opens");
        let name = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&name).expect("sheet");
        let mut out = rust_xlsxwriter::Workbook::new();
        let sheet = out.add_worksheet();
        sheet.set_name(&name).expect("name");
        let (r0, c0) = range.start().expect("cells");
        let mut changed = false;
        for (r, row) in range.rows().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r0 + r as u32, (c0 + c as u32) as u16);
                match cell {
                    Data::Empty => {}
                    Data::Float(f) => {
                        sheet.write_number(r, c, *f).expect("number");
                    }
                    Data::Int(i) => {
                        sheet.write_number(r, c, *i as f64).expect("number");
                    }
                    Data::DateTime(d) => {
                        // A date cell goes back as the date people type.
                        let day = jiff::civil::date(1899, 12, 30)
                            .checked_add(jiff::Span::new().days(d.as_f64() as i64))
                            .expect("a date");
                        sheet.write_string(r, c, day.to_string()).expect("date");
                    }
                    Data::String(s) if !changed && *s == title => {
                        changed = true;
                        sheet
                            .write_string(r, c, format!("{s}（改）"))
                            .expect("text");
                    }
                    other => {
                        sheet.write_string(r, c, other.to_string()).expect("text");
                    }
                }
            }
        }
        assert!(
            changed,
            "{backend}: the export holds the approved task's title"
        );
        let edited = out.save_to_buffer().expect("xlsx");
        let tasks = app.count("SELECT COUNT(*) FROM tasks").await;
        let (s, v) = liaison.api_bytes("/api/v1/imports?year=2026", edited).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            v["problems"].as_u64(),
            Some(1),
            "{backend}: one row refused: {v}"
        );
        assert!(
            v.to_string().contains("请提出调整申请"),
            "the refusal points to a change request: {v}"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM tasks").await, tasks);
    }
}
