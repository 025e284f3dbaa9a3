//! Server time of the suggestions and proposals pages on SQLite, against issue 16's targets:
//! the rates dashboard under 20 ms median on the demo's session (686 items) and under 50 ms on
//! a generated province-sized year (50,000 items, 10 contacts and 2 replies each, written in
//! bulk SQL by `common::proposals`); the item list beside it.
//!
//! Two stores: the demo as `duban demo` loads it, and the demo with the generated year added
//! to its session (the pages' default year). Requests go through the whole router in-process,
//! as the office (督考办) sees them, as in the `lists` bench. Not run in CI:
//!
//! ```text
//! cargo bench -p duban-web --bench proposals
//! ```
//!
//! Under `cargo test --benches` (divan's test mode, each bench run once) the generated year has
//! 500 items, so the check stays cheap.

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

/// The province-sized year; a small one in divan's test mode.
fn generated_items() -> usize {
    if std::env::args().any(|a| a == "--test") {
        500
    } else {
        50_000
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
        let (items, contacts, replies) = common::proposals::generate_year(&store, n).await;
        eprintln!(
            "set-up: generated {items} items, {contacts} contacts, {replies} replies in {:.1} s",
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
    for uri in [RATES_PAGE, LIST_PAGE] {
        let (status, body) = send(&p.app, uri, None, Some(&p.office_cookie)).await;
        assert_eq!(status, StatusCode::OK, "GET {uri}");
        eprintln!("set-up: {uri} is {} bytes", body.len());
    }
    let (status, _) = send(&p.app, RATES_API, Some(&p.office_bearer), None).await;
    assert_eq!(status, StatusCode::OK, "GET {RATES_API}");
    p
}

fn demo() -> &'static Prepared {
    static P: OnceLock<Prepared> = OnceLock::new();
    P.get_or_init(|| RUNTIME.block_on(prepare(None)))
}

fn province() -> &'static Prepared {
    static P: OnceLock<Prepared> = OnceLock::new();
    P.get_or_init(|| RUNTIME.block_on(prepare(Some(generated_items()))))
}

const RATES_PAGE: &str = "/proposals/rates";
const RATES_API: &str = "/api/v1/proposals/rates";
const LIST_PAGE: &str = "/proposals";

/// `GET /proposals/rates` on the demo's session: every rate for the city, per lead unit and
/// per category.
#[divan::bench]
fn demo_page_rates(bencher: Bencher) {
    let p = demo();
    bench_get(bencher, &p.app, RATES_PAGE, None, Some(&p.office_cookie));
}

/// `GET /api/v1/proposals/rates` on the demo's session.
#[divan::bench]
fn demo_api_rates(bencher: Bencher) {
    let p = demo();
    bench_get(bencher, &p.app, RATES_API, Some(&p.office_bearer), None);
}

/// `GET /proposals` on the demo's session: the first page with the counts by state.
#[divan::bench]
fn demo_page_list(bencher: Bencher) {
    let p = demo();
    bench_get(bencher, &p.app, LIST_PAGE, None, Some(&p.office_cookie));
}

/// `GET /proposals/rates` on the province-sized year.
#[divan::bench]
fn province_page_rates(bencher: Bencher) {
    let p = province();
    bench_get(bencher, &p.app, RATES_PAGE, None, Some(&p.office_cookie));
}

/// `GET /api/v1/proposals/rates` on the province-sized year.
#[divan::bench]
fn province_api_rates(bencher: Bencher) {
    let p = province();
    bench_get(bencher, &p.app, RATES_API, Some(&p.office_bearer), None);
}

/// `GET /proposals` on the province-sized year.
#[divan::bench]
fn province_page_list(bencher: Bencher) {
    let p = province();
    bench_get(bencher, &p.app, LIST_PAGE, None, Some(&p.office_cookie));
}
