//! Server time of the office's towns × departments matrix of joint matters (吹哨报到) on
//! SQLite, against issue 19's target: under 30 ms median on a generated year of 10,000 joint
//! matters (written in bulk SQL by `common::joint`), with the demo's six beside it.
//!
//! Two stores: the demo as `duban demo` loads it, and the demo with the generated year added.
//! Requests go through the whole router in-process, as the office (督考办) sees them, as in
//! the `proposals` bench. Not run in CI:
//!
//! ```text
//! cargo bench -p duban-web --bench joint
//! ```
//!
//! Under `cargo test --benches` (divan's test mode, each bench run once) the generated year has
//! 200 matters, so the check stays cheap.

mod common;

use axum::Router;
use axum::http::StatusCode;
use common::{RUNTIME, api_token, bench_get, fresh_store, send, session_cookie};
use divan::Bencher;
use std::sync::OnceLock;
use std::time::Instant;
use tempfile::TempDir;

fn main() {
    divan::main();
}

/// The issue's year under `cargo bench` (which passes `--bench`); a small one in divan's test
/// mode (`cargo test --benches` passes no `--test`, so that cannot be what we look for).
fn generated_matters() -> usize {
    if std::env::args().any(|a| a == "--bench") {
        10_000
    } else {
        200
    }
}

struct Prepared {
    _dir: TempDir,
    app: Router,
    office_bearer: String,
    office_cookie: String,
}

async fn prepare(generate: Option<usize>) -> Prepared {
    let (dir, store) = fresh_store().await;
    let started = Instant::now();
    duban_web::demo::load_demo(&store)
        .await
        .expect("the demo loads");
    eprintln!(
        "set-up: demo loaded in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    if let Some(n) = generate {
        let started = Instant::now();
        let (matters, named) = common::joint::generate_year(&store, n).await;
        eprintln!(
            "set-up: generated {matters} joint matters naming {named} departments in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let zone = duban_web::WebConfig::default().timezone;
    let state = duban_web::AppState::new(store.clone(), duban_web::WebConfig::default())
        .at(duban_core::demo::demo_now(&zone));
    let p = Prepared {
        app: duban_web::app(state),
        office_bearer: format!("Bearer {}", api_token(&store, "dkb").await),
        office_cookie: session_cookie(&store, "dkb").await,
        _dir: dir,
    };
    let started = Instant::now();
    let (status, body) = send(&p.app, MATRIX_PAGE, None, Some(&p.office_cookie)).await;
    assert_eq!(status, StatusCode::OK, "GET {MATRIX_PAGE}");
    eprintln!(
        "set-up: {MATRIX_PAGE} is {} bytes, first answered in {} ms",
        body.len(),
        started.elapsed().as_millis()
    );
    let started = Instant::now();
    let (status, body) = send(&p.app, MATRIX_API, Some(&p.office_bearer), None).await;
    assert_eq!(status, StatusCode::OK, "GET {MATRIX_API}");
    let figures: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    let matters: i64 = figures["towns"]
        .as_array()
        .expect("towns")
        .iter()
        .map(|t| t["matters"].as_i64().unwrap_or(0))
        .sum();
    eprintln!(
        "set-up: {MATRIX_API} counts {matters} joint matters in {} cells, first answered in {} ms",
        figures["cells"].as_array().map_or(0, Vec::len),
        started.elapsed().as_millis()
    );
    if let Some(n) = generate {
        assert!(matters >= i64::try_from(n).expect("fits"), "{matters}");
    }
    p
}

fn demo() -> &'static Prepared {
    static P: OnceLock<Prepared> = OnceLock::new();
    P.get_or_init(|| RUNTIME.block_on(prepare(None)))
}

fn year() -> &'static Prepared {
    static P: OnceLock<Prepared> = OnceLock::new();
    P.get_or_init(|| RUNTIME.block_on(prepare(Some(generated_matters()))))
}

const MATRIX_PAGE: &str = "/joint/figures?year=2026";
const MATRIX_API: &str = "/api/v1/joint/figures?year=2026";

/// `GET /joint/figures` on the demo: per department, per town and the matrix.
#[divan::bench]
fn demo_page_matrix(bencher: Bencher) {
    let p = demo();
    bench_get(bencher, &p.app, MATRIX_PAGE, None, Some(&p.office_cookie));
}

/// `GET /joint/figures` on the generated year (the issue's target: ≤ 30 ms median).
#[divan::bench]
fn year_page_matrix(bencher: Bencher) {
    let p = year();
    bench_get(bencher, &p.app, MATRIX_PAGE, None, Some(&p.office_cookie));
}

/// `GET /api/v1/joint/figures` on the generated year.
#[divan::bench]
fn year_api_matrix(bencher: Bencher) {
    let p = year();
    bench_get(bencher, &p.app, MATRIX_API, Some(&p.office_bearer), None);
}
