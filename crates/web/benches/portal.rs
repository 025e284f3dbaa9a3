//! Server time of the public portal on SQLite: the home page, the commitment list (whole and
//! filtered by unit), a commitment's page with its signed versions checked against the ledger,
//! the search over commitments, projects and published reports, the Atom feed and the public
//! JSON, on the demo city plus 5,000 published citizen reports (each accepted into a case).
//!
//! Requests go through the whole router in-process, as in the other benches, anonymously. Not
//! run in CI:
//!
//! ```text
//! cargo bench -p duban-web --bench portal
//! ```

mod common;

use axum::Router;
use axum::http::StatusCode;
use common::{RUNTIME, bench_get, fresh_store, send};
use divan::Bencher;
use duban_core::cases::CaseId;
use duban_core::cases::facts::{CaseKind, Source, Urgency};
use duban_core::public::{Channel, ReportInput, TrackingNumber, default_categories};
use duban_store::cases::{CaseFacts, Handling, insert_case};
use duban_store::public::{NewPublicRequest, accept, insert_request};
use duban_store::{Audit, Store};
use duban_web::{AppState, WebConfig};
use std::sync::OnceLock;
use std::time::Instant;
use tempfile::TempDir;

fn main() {
    divan::main();
}

const PUBLISHED_REPORTS: usize = 5_000;

struct Prepared {
    _dir: TempDir,
    app: Router,
    /// 经信局's unit id, for the filtered list.
    jxj: i64,
    /// The first published commitment.
    commitment: i64,
}

fn prepared() -> &'static Prepared {
    static P: OnceLock<Prepared> = OnceLock::new();
    P.get_or_init(|| RUNTIME.block_on(prepare()))
}

/// 5,000 citizen reports over the categories and the city's streets, each accepted into a
/// case of its own, as the office's intake does.
async fn publish_reports(store: &Store) {
    let categories = default_categories();
    let streets = [
        "解放路",
        "胜利街",
        "总部中心",
        "华溪路",
        "九铃路",
        "城西大道",
    ];
    let problems = [
        "路灯不亮",
        "井盖松动",
        "占道经营",
        "垃圾清运不及时",
        "噪声扰民",
        "积水",
    ];
    let today = jiff::Zoned::now().date();
    let mut tx = store.begin_write().await.expect("a write transaction");
    let audit = Audit::system(jiff::Timestamp::now());
    for i in 0..PUBLISHED_REPORTS {
        let street = streets[i % streets.len()];
        let problem = problems[(i / streets.len()) % problems.len()];
        let description = format!(
            "{street}{}号附近{problem}，已持续多日，请尽快处理。",
            i % 300
        );
        let input = ReportInput {
            category: &categories[i % categories.len()].code,
            description: &description,
            address: street,
            lat: "",
            long: "",
            email: "",
            phone: "",
            name: "",
            media_url: "",
        };
        let report = input.check(&categories).expect("a valid report");
        let mut random = [0u8; 10];
        random[..8].copy_from_slice(&(i as u64).to_le_bytes());
        let tracking = TrackingNumber::new(today.year(), random);
        let id = insert_request(
            &mut tx,
            &audit,
            &NewPublicRequest {
                tracking: &tracking,
                channel: Channel::Portal,
                report: &report,
                photo_id: None,
            },
        )
        .await
        .expect("a request");
        let facts = CaseFacts {
            year: today.year(),
            kind: CaseKind::Problem,
            source: Source::Public,
            title: format!("群众反映：{street}{problem}"),
            content: description.clone(),
            category: String::new(),
            urgency: Urgency::Normal,
            found_on: today,
            raised_by: None,
            reopened_from: None,
            meeting_id: None,
            task_ids: vec![],
        };
        let case: CaseId = insert_case(&mut tx, &audit, &facts, &Handling::registered())
            .await
            .expect("a case");
        accept(&mut tx, &audit, id, case).await.expect("accepted");
    }
    tx.commit().await.expect("the reports commit");
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
    publish_reports(&store).await;
    eprintln!(
        "set-up: {PUBLISHED_REPORTS} reports published in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let mut tx = store.begin_read().await.expect("a read transaction");
    let jxj = duban_store::org::find_unit_by_code(&mut tx, "jxj")
        .await
        .expect("query")
        .expect("jxj")
        .id;
    let (commitment,): (i64,) = duban_store::sql(
        "SELECT MIN(id) FROM commitments WHERE state NOT IN
             ('drafted', 'under_review', 'returned', 'approved')",
    )
    .fetch_one(&mut tx)
    .await
    .expect("a published commitment");
    drop(tx);
    let p = Prepared {
        app: duban_web::app(AppState::new(store.clone(), WebConfig::default())),
        jxj,
        commitment,
        _dir: dir,
    };
    for uri in [SEARCH_MANY, "/public", "/public/feed.atom"] {
        let (status, body) = send(&p.app, uri, None, None).await;
        assert_eq!(status, StatusCode::OK, "GET {uri}: {body:?}");
    }
    p
}

/// A word in a sixth of the reports (and no commitment).
const SEARCH_MANY: &str = "/public/search?q=%E8%B7%AF%E7%81%AF";
/// Two words that occur nowhere: every row is read and none matches.
const SEARCH_NONE: &str = "/public/search?q=%E4%B8%8D%E5%AD%98%E5%9C%A8+%E7%9A%84%E8%AF%8D";

/// `GET /public`: this year's commitments and projects and the ten newest reports.
#[divan::bench]
fn page_home(bencher: Bencher) {
    let p = prepared();
    bench_get(bencher, &p.app, "/public", None, None);
}

/// `GET /public/commitments`: every published commitment of the year, by leader and unit.
#[divan::bench]
fn page_commitments(bencher: Bencher) {
    let p = prepared();
    bench_get(bencher, &p.app, "/public/commitments", None, None);
}

/// `GET /public/commitments?unit=…`: one unit's.
#[divan::bench]
fn page_commitments_of_unit(bencher: Bencher) {
    let p = prepared();
    let uri = format!("/public/commitments?unit={}", p.jxj);
    bench_get(bencher, &p.app, &uri, None, None);
}

/// `GET /public/commitments/{id}`: one, with each signed version checked against the ledger.
#[divan::bench]
fn page_commitment(bencher: Bencher) {
    let p = prepared();
    let uri = format!("/public/commitments/{}", p.commitment);
    bench_get(bencher, &p.app, &uri, None, None);
}

/// `GET /public/search?q=路灯`: 50 of the ~830 matching reports, plus commitments and projects.
#[divan::bench]
fn page_search_many(bencher: Bencher) {
    let p = prepared();
    bench_get(bencher, &p.app, SEARCH_MANY, None, None);
}

/// `GET /public/search?q=不存在 的词`: nothing matches, every report is read.
#[divan::bench]
fn page_search_none(bencher: Bencher) {
    let p = prepared();
    bench_get(bencher, &p.app, SEARCH_NONE, None, None);
}

/// `GET /public/feed.atom`: the 50 newest changes of reports and commitments.
#[divan::bench]
fn feed(bencher: Bencher) {
    let p = prepared();
    bench_get(bencher, &p.app, "/public/feed.atom", None, None);
}

/// `GET /api/v1/public/commitments`: every published commitment, all years, as JSON.
#[divan::bench]
fn api_commitments(bencher: Bencher) {
    let p = prepared();
    bench_get(bencher, &p.app, "/api/v1/public/commitments", None, None);
}
