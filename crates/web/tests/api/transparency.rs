//! The transparency log over HTTP, as an anonymous member of the public sees it: the signed
//! tree head checks against the served public key, every entry's leaf and inclusion proof
//! lead to the signed root, consecutive heads are consistent, internal fields of entries
//! stay hidden, and a ledger row edited in the database no longer proves.

use crate::helpers::{TestApp, backends};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use duban_core::transparency::{SigningKey, merkle, sth, verify_consistency, verify_inclusion};
use duban_web::WebConfig;
use duban_web::transparency::{
    ConsistencyResponse, EntryResponse, InclusionResponse, LogKey, SthResponse, TransparencyConfig,
    publish, publish_due,
};
use reqwest::StatusCode;

fn key() -> SigningKey {
    SigningKey::from_bytes(&[42; 32])
}

async fn spawn(backend: &str) -> TestApp {
    let config = WebConfig {
        transparency: TransparencyConfig {
            key: Some(LogKey::new(key())),
            ..Default::default()
        },
        ..Default::default()
    };
    TestApp::spawn_with(backend, config).await
}

async fn get<T: serde::de::DeserializeOwned>(app: &TestApp, path: &str) -> T {
    let res = reqwest::get(format!("{}{path}", app.base)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.json().await.unwrap()
}

async fn status(app: &TestApp, path: &str) -> StatusCode {
    reqwest::get(format!("{}{path}", app.base))
        .await
        .unwrap()
        .status()
}

/// Checks entry `seq` against the head the way `duban verify --url` does.
async fn prove(app: &TestApp, seq: i64, head: &SthResponse) -> Result<(), String> {
    let entry: EntryResponse = get(app, &format!("/api/v1/transparency/entries/{seq}")).await;
    let proof: InclusionResponse = get(
        app,
        &format!(
            "/api/v1/transparency/proof/inclusion?seq={seq}&tree_size={}",
            head.tree_size
        ),
    )
    .await;
    let bytes = B64.decode(&entry.leaf_input).unwrap();
    verify_inclusion(
        &bytes,
        &proof.proof()?,
        &head.signed()?,
        &key().verifying_key(),
    )
    .map(|_| ())
    .map_err(|e| e.to_string())
}

async fn ledger_len(app: &TestApp) -> i64 {
    let mut tx = app.store.begin_read().await.unwrap();
    let (n,): (i64,) = duban_store::sql("SELECT seq FROM ledger_head")
        .fetch_one(&mut tx)
        .await
        .unwrap();
    n
}

#[tokio::test]
async fn anyone_can_check_entries_and_heads_of_the_log() {
    for backend in backends() {
        let app = spawn(backend).await;
        assert_eq!(
            status(&app, "/api/v1/transparency/sth").await,
            StatusCode::NOT_FOUND,
            "nothing published yet"
        );
        let now = crate::helpers::now();
        let first = publish(&app.store, &LogKey::new(key()), now)
            .await
            .unwrap()
            .expect("a first head");
        let n = ledger_len(&app).await;
        assert_eq!(first.head.tree_size, n as u64);

        // The served key is the log's key, and it signed the served head.
        let pem = reqwest::get(format!("{}/transparency/public-key", app.base))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let served = sth::parse_public_key(&pem).unwrap();
        assert_eq!(served, key().verifying_key());
        let head: SthResponse = get(&app, "/api/v1/transparency/sth").await;
        assert_eq!(head.signed().unwrap(), first);
        assert!(head.signed().unwrap().signature_valid(&served));
        assert_eq!(sth::parse_public_key(&head.public_key).unwrap(), served);

        for seq in [1, 2, n / 3, n / 2 + 1, n - 1, n] {
            assert_eq!(
                prove(&app, seq, &head).await,
                Ok(()),
                "{backend} entry {seq}"
            );
        }

        // Internal fields stay internal: an entry with an actor and a sizeable body.
        let mut tx = app.store.begin_read().await.unwrap();
        let (seq, after): (i64, String) = duban_store::sql(
            "SELECT seq, after_json FROM ledger WHERE length(after_json) > 40 ORDER BY seq LIMIT 1",
        )
        .fetch_one(&mut tx)
        .await
        .unwrap();
        drop(tx);
        let res = reqwest::get(format!("{}/api/v1/transparency/entries/{seq}", app.base))
            .await
            .unwrap();
        let text = res.text().await.unwrap();
        assert!(!text.contains(&after), "{text}");
        let body: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body["public"], false);
        assert!(body["detail"].is_null(), "{body}");
        assert!(body.get("actor_id").is_none(), "{body}");

        // The log grows; the new head is consistent with the old one.
        let mut tx = app.store.begin_write().await.unwrap();
        duban_store::ledger::append(
            &mut tx,
            &duban_store::Audit::system(now),
            duban_store::ledger::Change::new("unit.update", "unit", 1),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let second = publish(
            &app.store,
            &LogKey::new(key()),
            now + jiff::SignedDuration::from_hours(1),
        )
        .await
        .unwrap()
        .expect("a second head");
        assert!(second.head.tree_size > first.head.tree_size);
        let latest: SthResponse = get(&app, "/api/v1/transparency/sth").await;
        assert_eq!(latest.signed().unwrap(), second);
        let old: SthResponse = get(&app, &format!("/api/v1/transparency/sth/{n}")).await;
        assert_eq!(old.signed().unwrap(), first);
        let proof: ConsistencyResponse = get(
            &app,
            &format!(
                "/api/v1/transparency/proof/consistency?first={n}&second={}",
                second.head.tree_size
            ),
        )
        .await;
        let path: Vec<merkle::Hash> = proof
            .consistency_path
            .iter()
            .map(|p| B64.decode(p).unwrap().try_into().unwrap())
            .collect();
        assert_eq!(
            verify_consistency(&first, &second, &path, &served),
            Ok(()),
            "{backend}"
        );
        // Proving the old head against the new one's path fails.
        assert!(verify_consistency(&second, &first, &path, &served).is_err());

        // Out of range or unknown.
        let size = second.head.tree_size;
        for (path, want) in [
            (
                "/api/v1/transparency/proof/inclusion?seq=0".to_string(),
                StatusCode::BAD_REQUEST,
            ),
            (
                format!(
                    "/api/v1/transparency/proof/inclusion?seq=1&tree_size={}",
                    size + 1
                ),
                StatusCode::BAD_REQUEST,
            ),
            (
                format!("/api/v1/transparency/proof/inclusion?seq={}&tree_size=3", 4),
                StatusCode::BAD_REQUEST,
            ),
            (
                "/api/v1/transparency/proof/consistency?first=5&second=4".to_string(),
                StatusCode::BAD_REQUEST,
            ),
            (
                format!(
                    "/api/v1/transparency/proof/consistency?first=1&second={}",
                    size + 1
                ),
                StatusCode::BAD_REQUEST,
            ),
            (
                "/api/v1/transparency/sth/3".to_string(),
                StatusCode::NOT_FOUND,
            ),
            (
                format!("/api/v1/transparency/entries/{}", size + 10),
                StatusCode::NOT_FOUND,
            ),
        ] {
            assert_eq!(status(&app, &path).await, want, "{path}");
        }
    }
}

#[tokio::test]
async fn a_ledger_row_edited_in_the_database_no_longer_proves() {
    for backend in backends() {
        let app = spawn(backend).await;
        publish(&app.store, &LogKey::new(key()), crate::helpers::now())
            .await
            .unwrap()
            .expect("a head");
        let head: SthResponse = get(&app, "/api/v1/transparency/sth").await;
        assert_eq!(prove(&app, 5, &head).await, Ok(()));
        let mut tx = app.store.begin_write().await.unwrap();
        let changed =
            duban_store::sql("UPDATE ledger SET after_json = after_json || ' ' WHERE seq = 5")
                .execute(&mut tx)
                .await
                .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(changed, 1);
        let err = prove(&app, 5, &head).await.unwrap_err();
        assert!(err.contains("entry 5 is NOT in the signed tree"), "{err}");
        // Its neighbours still prove: only the edited entry is named.
        assert_eq!(prove(&app, 4, &head).await, Ok(()));
        assert_eq!(prove(&app, 6, &head).await, Ok(()));
    }
}

#[tokio::test]
async fn a_head_follows_new_entries_within_the_interval_and_none_comes_without_them() {
    for backend in backends() {
        let app = spawn(backend).await;
        let config = WebConfig {
            transparency: TransparencyConfig {
                key: Some(LogKey::new(key())),
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(
            config.transparency.sth_interval,
            std::time::Duration::from_secs(5 * 60),
            "a head at least every five minutes by default"
        );
        let state = duban_web::AppState::new(app.store.clone(), config);
        let t0 = crate::helpers::now();
        let at = |minutes: i64| t0 + jiff::SignedDuration::from_mins(minutes);
        let first = publish_due(&state.at(t0), t0)
            .await
            .unwrap()
            .expect("the first head is due at once");
        assert_eq!(first.head.tree_size, ledger_len(&app).await as u64);
        for m in [1, 5, 60] {
            assert!(
                publish_due(&state.at(at(m)), at(m))
                    .await
                    .unwrap()
                    .is_none(),
                "{backend}: nothing new, no head at +{m} min"
            );
        }
        // An entry at +61 min: the newest head is older than the interval, so the next run
        // signs it at once.
        let store = &app.store;
        let append = |t: jiff::Timestamp| async move {
            let mut tx = store.begin_write().await.unwrap();
            duban_store::ledger::append(
                &mut tx,
                &duban_store::Audit::system(t),
                duban_store::ledger::Change::new("unit.update", "unit", 1),
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        };
        append(at(61)).await;
        let second = publish_due(&state.at(at(61)), at(61))
            .await
            .unwrap()
            .expect("a head for the new entry");
        assert_eq!(second.head.tree_size, first.head.tree_size + 1);
        // An entry a minute later waits for the interval, then is signed.
        append(at(62)).await;
        assert!(
            publish_due(&state.at(at(63)), at(63))
                .await
                .unwrap()
                .is_none()
        );
        let third = publish_due(&state.at(at(66)), at(66))
            .await
            .unwrap()
            .expect("signed within five minutes of the last head");
        assert_eq!(third.head.tree_size, second.head.tree_size + 1);
        assert!(
            publish_due(&state.at(at(90)), at(90))
                .await
                .unwrap()
                .is_none()
        );

        // The newest head says when the next is due.
        let head: SthResponse = get(&app, "/api/v1/transparency/sth").await;
        assert_eq!(head.publish_interval_seconds, Some(5 * 60));
    }
}
