//! Server time of visual tracking on SQLite, against issue 4's targets: on the generated
//! 20,000-task demo with 200,000 accepted reports, the city dashboard and a unit dashboard
//! each under 15 ms median (they read the maintained lights and aggregates, never the
//! reports' history), a report written (with its timeline event and ledger entry) under
//! 10 ms, and a search under 20 ms. Pages stay under 100 KB.
//!
//! Requests go through the whole router in-process, as in the `lists` bench. Not run in CI:
//!
//! ```text
//! cargo bench -p duban-web --bench progress
//! ```

use axum::Router;
use axum::http::{Method, StatusCode};
use divan::Bencher;
use duban_store::sql;
use duban_web::{AppState, WebConfig};
use std::sync::OnceLock;
use std::time::Instant;
use tempfile::TempDir;

mod common;

use common::{RUNTIME, api_token, bench_get, city, fresh_store, send, send_with, session_cookie};

fn main() {
    divan::main();
}

const GENERATED_TASKS: usize = 20_000;
const REPORTS_WANTED: i64 = 200_000;

struct Prepared {
    app: Router,
    office_bearer: String,
    liaison_bearer: String,
    office_cookie: String,
    unit: i64,
    task: i64,
    _dir: TempDir,
}

fn prepared() -> &'static Prepared {
    static P: OnceLock<Prepared> = OnceLock::new();
    P.get_or_init(|| RUNTIME.block_on(prepare()))
}

async fn count(store: &duban_store::Store, text: &'static str) -> i64 {
    let mut tx = store.begin_read().await.expect("tx");
    let (n,): (i64,) = sql(text).fetch_one(&mut tx).await.expect("count");
    n
}

async fn prepare() -> Prepared {
    let (dir, store) = fresh_store().await;
    let started = Instant::now();
    duban_web::demo::load_demo_with(&store, Some(GENERATED_TASKS))
        .await
        .expect("the demo loads");
    eprintln!(
        "set-up: generated demo (lists, ten months of reports, the played month) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let have = city::top_up_reports(&store, REPORTS_WANTED).await;
    let n_tasks = count(&store, "SELECT COUNT(*) FROM tasks").await;
    eprintln!("set-up: {n_tasks} tasks, {have} accepted reports");
    let (unit, task): (i64, i64) = {
        let mut tx = store.begin_read().await.expect("tx");
        // A monthly task with nothing sent this month (the demo plays some of 经信局's).
        let today = jiff::Zoned::now().date();
        sql(
            "SELECT t.lead_unit_id, t.id FROM tasks t JOIN units u ON u.id = t.lead_unit_id
             WHERE u.code = 'jxj' AND t.state = 'approved' AND t.progress < 100
               AND t.cadence IS NULL AND NOT EXISTS (SELECT 1 FROM progress_reports r
                   WHERE r.task_id = t.id AND r.period = $1)
             ORDER BY t.id LIMIT 1",
        )
        .bind(format!("{}-{:02}", today.year(), today.month()))
        .fetch_one(&mut tx)
        .await
        .expect("a task of 经信局 to report on")
    };
    let p = Prepared {
        app: duban_web::app(AppState::new(store.clone(), WebConfig::default())),
        office_bearer: format!("Bearer {}", api_token(&store, "dkb").await),
        liaison_bearer: format!("Bearer {}", api_token(&store, "jxj-liaison").await),
        office_cookie: session_cookie(&store, "dkb").await,
        unit,
        task,
        _dir: dir,
    };
    for uri in [
        DASH_CITY.to_string(),
        format!("/api/v1/dashboard?unit={unit}"),
    ] {
        let (status, body) = send(&p.app, &uri, Some(&p.office_bearer), None).await;
        assert_eq!(status, StatusCode::OK, "GET {uri}: {body:?}");
    }
    for uri in ["/dashboard", "/reports"] {
        let (status, body) = send(&p.app, uri, None, Some(&p.office_cookie)).await;
        assert_eq!(status, StatusCode::OK);
        eprintln!("set-up: {uri} is {} bytes", body.len());
    }
    p
}

const DASH_CITY: &str = "/api/v1/dashboard";

/// `GET /api/v1/dashboard`: the city, as the office.
#[divan::bench]
fn api_dashboard_city(bencher: Bencher) {
    let p = prepared();
    bench_get(bencher, &p.app, DASH_CITY, Some(&p.office_bearer), None);
}

/// `GET /api/v1/dashboard?unit=…`: 经信局's dashboard, as the office.
#[divan::bench]
fn api_dashboard_unit(bencher: Bencher) {
    let p = prepared();
    let uri = format!("/api/v1/dashboard?unit={}", p.unit);
    bench_get(bencher, &p.app, &uri, Some(&p.office_bearer), None);
}

/// `GET /api/v1/dashboard` as 经信局's liaison (their units only).
#[divan::bench]
fn api_dashboard_liaison(bencher: Bencher) {
    let p = prepared();
    bench_get(bencher, &p.app, DASH_CITY, Some(&p.liaison_bearer), None);
}

/// `GET /dashboard`: the page with its SVG charts.
#[divan::bench]
fn page_dashboard_city(bencher: Bencher) {
    let p = prepared();
    bench_get(bencher, &p.app, "/dashboard", None, Some(&p.office_cookie));
}

/// `POST /api/v1/tasks/{id}/reports`: this period's report saved by the liaison (report,
/// values, timeline event and ledger entry in one transaction).
#[divan::bench]
fn api_report_write(bencher: Bencher) {
    let p = prepared();
    let uri = format!("/api/v1/tasks/{}/reports", p.task);
    let body =
        serde_json::json!({"percent": 61.5, "progress_text": "完成主体结构", "action": "save"});
    bencher.bench_local(|| {
        RUNTIME.block_on(async {
            let (status, body) = send_with(
                &p.app,
                Method::POST,
                &uri,
                Some(&p.liaison_bearer),
                None,
                Some(&body),
            )
            .await;
            assert_eq!(status, StatusCode::CREATED, "{body:?}");
        })
    });
}

/// `GET /api/v1/tasks/{id}/progress`: a task's light, reasons, history and reports.
#[divan::bench]
fn api_task_progress(bencher: Bencher) {
    let p = prepared();
    let uri = format!("/api/v1/tasks/{}/progress", p.task);
    bench_get(bencher, &p.app, &uri, Some(&p.office_bearer), None);
}

/// `GET /api/v1/search?q=…`: tasks, reports and cases, as the office.
#[divan::bench]
fn api_search(bencher: Bencher) {
    let p = prepared();
    bench_get(
        bencher,
        &p.app,
        "/api/v1/search?q=%E6%8A%80%E6%9C%AF%E6%94%B9%E9%80%A0",
        Some(&p.office_bearer),
        None,
    );
}
