//! Server time of assessment (督考) on SQLite, against issue 17's targets: on the 20,000-task
//! benchmark city with 200,000 reports and 5,000 cases, rescoring a year (every score event
//! drawn from the facts, then every period's totals rebuilt) in under 5 s, and the ranking
//! page under 20 ms median (it reads the maintained totals, never the events), and generating
//! a monthly bulletin with its .docx, .pdf and .xlsx under 2 s.
//!
//! Set-up adopts the default scheme for the year and times the first harvest, which scores
//! every fact of the year from nothing. The benches then measure a rescore (the facts read
//! again, nothing new to append, every total rebuilt from the events) and the pages. Requests go
//! through the whole router in-process, as in the `lists` bench. Not run in CI:
//!
//! ```text
//! cargo bench -p duban-web --bench assessment
//! ```

mod common;

use axum::Router;
use axum::http::StatusCode;
use common::{RUNTIME, api_token, bench_get, city, fresh_store, send, send_with, session_cookie};
use divan::Bencher;
use duban_core::assessment::scheme::{Group, Scheme};
use duban_core::demo::DEMO_YEAR;
use duban_core::org::{UnitId, UnitKind};
use duban_store::{Audit, Store};
use duban_web::{AppState, WebConfig};
use std::sync::OnceLock;
use std::time::Instant;
use tempfile::TempDir;

fn main() {
    divan::main();
}

const GENERATED_TASKS: usize = 20_000;
const REPORTS_WANTED: i64 = 200_000;
const GENERATED_CASES: usize = 5_000;

struct Prepared {
    _dir: TempDir,
    store: Store,
    app: Router,
    office_bearer: String,
    office_cookie: String,
    unit: i64,
}

fn prepared() -> &'static Prepared {
    static P: OnceLock<Prepared> = OnceLock::new();
    P.get_or_init(|| RUNTIME.block_on(prepare()))
}

fn today() -> jiff::civil::Date {
    duban_core::demo::DEMO_CLOCK.date()
}

fn zone() -> jiff::tz::TimeZone {
    WebConfig::default().timezone
}

/// The default scheme with the city's towns, departments and command HQs as its groups.
async fn adopt_default(store: &Store) {
    let mut tx = store.begin_write().await.expect("tx");
    let units = duban_store::org::list_units(&mut tx, &duban_store::org::UnitFilter::default())
        .await
        .expect("units");
    let group = |key: &str, kind: UnitKind| Group {
        key: key.into(),
        name_zh: key.into(),
        name_en: key.into(),
        units: units
            .iter()
            .filter(|u| u.kind() == kind)
            .map(|u| u.unit_id())
            .collect::<Vec<UnitId>>(),
    };
    let scheme = Scheme::default_for(vec![
        group("towns", UnitKind::Town),
        group("departments", UnitKind::Department),
    ]);
    scheme.validate().expect("the default scheme is valid");
    let at = jiff::civil::date(DEMO_YEAR, 1, 4)
        .at(9, 0, 0, 0)
        .to_zoned(zone())
        .expect("a time")
        .timestamp();
    duban_store::assessment::adopt(
        &mut tx,
        &Audit::system(at),
        DEMO_YEAR,
        &scheme,
        jiff::civil::date(DEMO_YEAR, 1, 1),
        "bench",
    )
    .await
    .expect("the scheme is adopted");
    tx.commit().await.expect("commit");
}

async fn rescore(store: &Store) -> duban_web::batch::Rescored {
    let at = duban_core::demo::demo_now(&zone());
    duban_web::batch::rescore_year(store, &zone(), DEMO_YEAR, today(), at)
        .await
        .expect("the year rescores")
}

async fn prepare() -> Prepared {
    let (dir, store) = fresh_store().await;
    let started = Instant::now();
    duban_web::demo::load_demo_with(&store, Some(GENERATED_TASKS))
        .await
        .expect("the demo loads");
    let reports = city::top_up_reports(&store, REPORTS_WANTED).await;
    city::generate_cases(&store, GENERATED_CASES).await;
    eprintln!(
        "set-up: generated city ({reports} accepted reports, {GENERATED_CASES} more cases) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    adopt_default(&store).await;
    let started = Instant::now();
    let first = rescore(&store).await;
    eprintln!(
        "set-up: first rescore of {DEMO_YEAR} from no events: {} events appended, {} units, {:.2} s",
        first.appended,
        first.units,
        started.elapsed().as_secs_f64()
    );
    let unit = {
        let mut tx = store.begin_read().await.expect("tx");
        duban_store::org::find_unit_by_code(&mut tx, "jxj")
            .await
            .expect("query")
            .expect("jxj")
            .id
    };
    let state =
        AppState::new(store.clone(), WebConfig::default()).at(duban_core::demo::demo_now(&zone()));
    let p = Prepared {
        app: duban_web::app(state),
        office_bearer: format!("Bearer {}", api_token(&store, "dkb").await),
        office_cookie: session_cookie(&store, "dkb").await,
        store,
        unit,
        _dir: dir,
    };
    for uri in [
        RANKINGS_PAGE.to_string(),
        format!("/assessment/units/{unit}"),
    ] {
        let (status, body) = send(&p.app, &uri, None, Some(&p.office_cookie)).await;
        assert_eq!(status, StatusCode::OK, "GET {uri}");
        eprintln!("set-up: {uri} is {} bytes", body.len());
    }
    p
}

const RANKINGS_PAGE: &str = "/assessment?period=2026-10";

/// A year rescored: every fact read and matched against the events already scored (none new),
/// then every period's totals rebuilt from the year's events.
#[divan::bench(sample_count = 10)]
fn rescore_year(bencher: Bencher) {
    let p = prepared();
    bencher.bench_local(|| RUNTIME.block_on(rescore(&p.store)).units);
}

/// `GET /assessment?period=2026-10`: the group tables of October, as the office.
#[divan::bench]
fn page_rankings(bencher: Bencher) {
    let p = prepared();
    bench_get(bencher, &p.app, RANKINGS_PAGE, None, Some(&p.office_cookie));
}

/// `GET /api/v1/assessment/rankings?period=2026`: the year's group tables as JSON.
#[divan::bench]
fn api_rankings_year(bencher: Bencher) {
    let p = prepared();
    let uri = "/api/v1/assessment/rankings?period=2026";
    bench_get(bencher, &p.app, uri, Some(&p.office_bearer), None);
}

/// `GET /assessment/units/{经信局}`: one unit's points, each with its source.
#[divan::bench]
fn page_unit_scores(bencher: Bencher) {
    let p = prepared();
    let uri = format!("/assessment/units/{}", p.unit);
    bench_get(bencher, &p.app, &uri, None, Some(&p.office_cookie));
}

/// A monthly bulletin made from the city's data as the office makes it: `POST` a draft for
/// October (its content read and frozen: lights as October closed, overdue and red items by
/// unit, the ranking, praise and criticism), then its .docx, .pdf (font embedded) and .xlsx.
#[divan::bench(sample_count = 10)]
fn bulletin_month_with_files(bencher: Bencher) {
    let p = prepared();
    let body = serde_json::json!({ "period": "2026-10" });
    bencher.bench_local(|| {
        RUNTIME.block_on(async {
            let (status, created) = send_with(
                &p.app,
                axum::http::Method::POST,
                "/api/v1/assessment/bulletins",
                Some(&p.office_bearer),
                None,
                Some(&body),
            )
            .await;
            assert_eq!(status, StatusCode::CREATED);
            let id = serde_json::from_slice::<serde_json::Value>(&created).expect("json")["id"]
                .as_i64()
                .expect("an id");
            let mut bytes = 0;
            for format in ["docx", "pdf", "xlsx"] {
                let uri = format!("/api/v1/assessment/bulletins/{id}/files/{format}");
                let (status, file) = send(&p.app, &uri, Some(&p.office_bearer), None).await;
                assert_eq!(status, StatusCode::OK, "GET {uri}");
                bytes += file.len();
            }
            bytes
        })
    });
}
