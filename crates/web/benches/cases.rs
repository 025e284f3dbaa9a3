//! Server time of the closed loop on SQLite: the case list (whole city, by light, in a unit's
//! scope), the list page, a case page and one 续报 step (with its ledger entry and
//! notifications), on the demo city plus 5,000 generated cases.
//!
//! Requests go through the whole router in-process, as in the lists bench (see there for
//! pinning to one CPU). Not run in CI:
//!
//! ```text
//! cargo bench -p duban-web --bench cases
//! ```

mod common;

use axum::Router;
use axum::http::{Method, StatusCode};
use common::{RUNTIME, api_token, bench_get, city, fresh_store, send, send_with, session_cookie};
use divan::Bencher;
use duban_web::{AppState, WebConfig};
use std::sync::OnceLock;
use std::time::Instant;
use tempfile::TempDir;

fn main() {
    divan::main();
}

const GENERATED_CASES: usize = 5_000;

struct Prepared {
    _dir: TempDir,
    app: Router,
    office_bearer: String,
    liaison_bearer: String,
    office_cookie: String,
    /// A case of 经信局 being handled, for the step bench.
    handling_case: i64,
}

fn prepared() -> &'static Prepared {
    static P: OnceLock<Prepared> = OnceLock::new();
    P.get_or_init(|| RUNTIME.block_on(prepare()))
}

async fn prepare() -> Prepared {
    let (dir, store) = fresh_store().await;
    let started = Instant::now();
    duban_web::demo::load_demo(&store)
        .await
        .expect("the demo loads");
    eprintln!(
        "set-up: demo loaded in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let handling_case = city::generate_cases(&store, GENERATED_CASES).await;
    eprintln!(
        "set-up: {GENERATED_CASES} cases inserted in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let p = Prepared {
        app: duban_web::app(AppState::new(store.clone(), WebConfig::default())),
        office_bearer: format!("Bearer {}", api_token(&store, "dkb").await),
        liaison_bearer: format!("Bearer {}", api_token(&store, "jxj-liaison").await),
        office_cookie: session_cookie(&store, "dkb").await,
        handling_case,
        _dir: dir,
    };
    for (uri, bearer) in [(LIST_OPEN, &p.office_bearer), (LIST_RED, &p.office_bearer)] {
        let (status, body) = send(&p.app, uri, Some(bearer), None).await;
        assert_eq!(status, StatusCode::OK, "GET {uri}: {body:?}");
    }
    p
}

const LIST_OPEN: &str = "/api/v1/cases?state=open&page=2";
const LIST_RED: &str = "/api/v1/cases?light=red";
const LIST_PAGE: &str = "/cases?state=open&page=2";

/// `GET /api/v1/cases`, open cases, second page of 50, as the office (with the counts by
/// state and light of the same filter).
#[divan::bench]
fn api_list_open_office(bencher: Bencher) {
    let p = prepared();
    bench_get(bencher, &p.app, LIST_OPEN, Some(&p.office_bearer), None);
}

/// `GET /api/v1/cases?light=red`, as the office.
#[divan::bench]
fn api_list_red_office(bencher: Bencher) {
    let p = prepared();
    bench_get(bencher, &p.app, LIST_RED, Some(&p.office_bearer), None);
}

/// `GET /api/v1/cases`, open cases, as 经信局's liaison (scope applied in SQL).
#[divan::bench]
fn api_list_open_liaison(bencher: Bencher) {
    let p = prepared();
    bench_get(
        bencher,
        &p.app,
        "/api/v1/cases?state=open",
        Some(&p.liaison_bearer),
        None,
    );
}

/// `GET /cases` (HTML), open cases, second page, as the office.
#[divan::bench]
fn page_list(bencher: Bencher) {
    let p = prepared();
    bench_get(bencher, &p.app, LIST_PAGE, None, Some(&p.office_cookie));
}

/// `GET /cases/{id}` (HTML) with its timeline and step forms, as the office.
#[divan::bench]
fn page_case(bencher: Bencher) {
    let p = prepared();
    let uri = format!("/cases/{}", p.handling_case);
    bench_get(bencher, &p.app, &uri, None, Some(&p.office_cookie));
}

/// `POST /api/v1/cases/{id}/steps` 续报 by the unit's liaison: one transaction with the
/// handling, the timeline event and the ledger entry.
#[divan::bench]
fn api_step_report(bencher: Bencher) {
    let p = prepared();
    let uri = format!("/api/v1/cases/{}/steps", p.handling_case);
    let body = serde_json::json!({"step": "report", "note": "本周完成整治20亩"});
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
            assert_eq!(status, StatusCode::OK, "{body:?}");
        })
    });
}
