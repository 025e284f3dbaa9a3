//! The evidence rows of the policy matrix: a file on a progress report in each state and on a
//! case step, downloaded (original and thumbnail, page and API routes) and listed by the lead
//! unit, a co-unit, a split unit (cases have them), an outsider, the office and the anonymous
//! public. The files are attached by the system, so no probing account is their uploader; who
//! belongs where comes from the tasks and cases themselves, checked on their own routes first.

use crate::attachments::attach_by_system;
use crate::evidence::{save_draft, tasks_with_a_co_unit};
use crate::helpers::{Client, TestApp, backends};
use duban_core::attachments::LinkedTo;
use reqwest::{Method, StatusCode};
use serde_json::json;

/// What one viewer may do with one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum May {
    Read,
    Refused,
    SignIn,
}

/// The state a report is brought to before a file is attached to it.
#[derive(Debug, Clone, Copy)]
enum Stage {
    Draft,
    /// Sent by the liaison, waiting for the head.
    WaitingForHead,
    /// Approved by the head: with the office.
    ApprovedByHead,
    Accepted,
}

/// Brings a new report of one of `candidates` to `stage` through the API; (task, co-unit,
/// report).
async fn report_at(
    app: &TestApp,
    candidates: &mut Vec<(i64, String)>,
    stage: Stage,
) -> (i64, String, i64) {
    let liaison = app.signed_in("jxj-liaison").await;
    let head = app.signed_in("jxj-head").await;
    let office = app.signed_in("dkb2").await;
    while !candidates.is_empty() {
        let (task, co) = candidates.remove(0);
        let Some(report) = save_draft(&liaison, task, &[]).await else {
            continue;
        };
        let send = json!({"percent": 60, "lower_reason": "按新口径重新核算", "progress_text": "按计划推进", "action": "send"});
        let steps: &[(&Client, &str, serde_json::Value)] = match stage {
            Stage::Draft => &[],
            Stage::WaitingForHead => &[(&liaison, "send", send)],
            Stage::ApprovedByHead => &[
                (&liaison, "send", send),
                (&head, "review", json!({"action": "approve"})),
            ],
            Stage::Accepted => &[
                (&liaison, "send", send),
                (&head, "review", json!({"action": "approve"})),
                (&office, "review", json!({"action": "accept"})),
            ],
        };
        for (who, what, body) in steps {
            let path = match *what {
                "send" => format!("/api/v1/tasks/{task}/reports"),
                _ => format!("/api/v1/reports/{report}/review"),
            };
            let (s, v) = who.api(Method::POST, &path, Some(body.clone())).await;
            assert!(s.is_success(), "{stage:?} {what}: {s} {v}");
        }
        return (task, co, report);
    }
    panic!("no task of 经信局 with a co-unit left for a {stage:?} report");
}

/// The first of these liaisons who cannot open `path` (a task or case): an outsider to it.
async fn outsider(app: &TestApp, path: &str) -> String {
    for who in [
        "town-dongcheng-liaison",
        "fgj-liaison",
        "zjj-liaison",
        "tjj-liaison",
    ] {
        let c = app.signed_in(who).await;
        if c.get(path).await.status() == StatusCode::FORBIDDEN {
            return who.to_string();
        }
    }
    panic!("everyone sees {path}");
}

/// A case led by 经信局 with 自然资源局-like co- and split units, acknowledged, a file on its
/// latest step; (case, co-unit liaison, split-unit liaison, file).
async fn case_with_evidence(app: &TestApp) -> (i64, String, String, i64) {
    let office = app.signed_in("dkb2").await;
    let (s, v) = office
        .api(
            Method::POST,
            "/api/v1/cases",
            Some(json!({"source": "instruction", "title": "园区道路破损", "content": "批示"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let case = v["id"].as_i64().expect("id");
    let name = |code: &'static str| async move {
        let mut tx = app.store.begin_read().await.expect("tx");
        duban_store::org::find_unit_by_code(&mut tx, code)
            .await
            .expect("query")
            .expect("unit")
            .name
    };
    let assign = json!({"step": "assign", "lead_unit_id": app.unit_id("jxj").await,
        "co_units": name("zjj").await, "split_units": name("town-dongcheng").await,
        "deadline": "10wd"});
    let (s, v) = office
        .api(
            Method::POST,
            &format!("/api/v1/cases/{case}/steps"),
            Some(assign),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let liaison = app.signed_in("jxj-liaison").await;
    let (s, v) = liaison
        .api(
            Method::POST,
            &format!("/api/v1/cases/{case}/steps"),
            Some(json!({"step": "acknowledge"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let mut tx = app.store.begin_read().await.expect("tx");
    let (event,): (i64,) = duban_store::sql("SELECT MAX(id) FROM case_events WHERE case_id = $1")
        .bind(case)
        .fetch_one(&mut tx)
        .await
        .expect("the case has a timeline");
    drop(tx);
    let file = attach_by_system(app, LinkedTo::CaseEvent, event, None, Some(case), (70, 50)).await;
    (
        case,
        "zjj-liaison".into(),
        "town-dongcheng-liaison".into(),
        file,
    )
}

/// What each way of reading `file` answers `c`, as one verdict (they must agree).
async fn verdict(c: &Client, file: i64, listing: &str) -> Result<May, String> {
    let mut seen = Vec::new();
    for path in [
        format!("/attachments/{file}"),
        format!("/attachments/{file}/thumb"),
        format!("/api/v1/attachments/{file}"),
        format!("/api/v1/attachments/{file}/thumb"),
    ] {
        let res = c.get(&path).await;
        let to_login = res
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .is_some_and(|l| l.starts_with("/login"));
        let may = match res.status() {
            StatusCode::OK => May::Read,
            StatusCode::FORBIDDEN => May::Refused,
            StatusCode::UNAUTHORIZED => May::SignIn,
            StatusCode::SEE_OTHER if to_login => May::SignIn,
            s => return Err(format!("{path} → {s}")),
        };
        seen.push((path, may));
    }
    // The listing of what it is attached to shows it exactly to those who may read it.
    let (s, v) = c.api(Method::GET, listing, None).await;
    let listed = v["attachments"]
        .as_array()
        .is_some_and(|l| l.iter().any(|a| a["id"] == file));
    let may = match s {
        StatusCode::OK if listed => May::Read,
        StatusCode::OK => return Err(format!("{listing} → 200 without the file")),
        StatusCode::FORBIDDEN => May::Refused,
        StatusCode::UNAUTHORIZED => May::SignIn,
        s => return Err(format!("{listing} → {s}")),
    };
    seen.push((listing.to_string(), may));
    let first = seen[0].1;
    if seen.iter().all(|(_, m)| *m == first) {
        Ok(first)
    } else {
        Err(format!("the ways of reading disagree: {seen:?}"))
    }
}

/// What a file is attached to, the file, the listing that shows it, and each viewer (`None`:
/// the anonymous public) with what they may do.
type Row = (String, i64, String, Vec<(Option<String>, May)>);

#[tokio::test]
async fn evidence_is_read_exactly_by_the_readers_of_what_it_is_attached_to() {
    use May::*;
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let mut candidates = tasks_with_a_co_unit(&app, "jxj").await;
        let mut rows: Vec<Row> = Vec::new();
        for (stage, co_reads) in [
            (Stage::Draft, Refused),
            (Stage::WaitingForHead, Refused),
            (Stage::ApprovedByHead, Read),
            (Stage::Accepted, Read),
        ] {
            let (task, co, report) = report_at(&app, &mut candidates, stage).await;
            let size = (60 + rows.len() as u32, 40);
            let file =
                attach_by_system(&app, LinkedTo::Report, report, Some(task), None, size).await;
            let co = format!("{co}-liaison");
            assert_eq!(
                app.signed_in(&co)
                    .await
                    .get(&format!("/lists/tasks/{task}"))
                    .await
                    .status(),
                StatusCode::OK,
                "the co-unit sees the task"
            );
            let outsider = outsider(&app, &format!("/lists/tasks/{task}")).await;
            let office_reads = co_reads;
            rows.push((
                format!("{stage:?} report"),
                file,
                format!("/api/v1/reports/{report}"),
                vec![
                    (Some("jxj-head".into()), Read),
                    (Some(co), co_reads),
                    (Some(outsider), Refused),
                    (Some("dkb2".into()), office_reads),
                    (None, SignIn),
                ],
            ));
        }
        let (case, co, split, file) = case_with_evidence(&app).await;
        let outsider = outsider(&app, &format!("/cases/{case}")).await;
        rows.push((
            "case step".into(),
            file,
            format!("/api/v1/cases/{case}"),
            vec![
                (Some("jxj-head".into()), Read),
                (Some(co), Read),
                (Some(split), Read),
                (Some(outsider), Refused),
                (Some("dkb2".into()), Read),
                (None, SignIn),
            ],
        ));

        let mut failures = Vec::new();
        let mut checked = 0;
        for (what, file, listing, viewers) in &rows {
            for (who, want) in viewers {
                let c = match who {
                    Some(u) => app.signed_in(u).await,
                    None => app.client(),
                };
                let who = who.as_deref().unwrap_or("(public)");
                checked += 1;
                match verdict(&c, *file, listing).await {
                    Ok(got) if got == *want => {}
                    Ok(got) => failures.push(format!(
                        "{backend}: {who} on the file of a {what}: got {got:?}, want {want:?}"
                    )),
                    Err(e) => failures.push(format!("{backend}: {who} on a {what}: {e}")),
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {checked} evidence cells wrong:\n{}",
            failures.len(),
            failures.join("\n")
        );
        assert_eq!(checked, 26);
    }
}
