//! Fresh databases for tests: a SQLite file in a temporary directory, or a new database on the
//! PostgreSQL server named by `DUBAN_TEST_DATABASE_URL`. Each test gets its own, so tests run
//! in parallel. PostgreSQL test databases are named `duban_test_*`; `scripts/test.sh` drops
//! leftovers before a run.

use crate::{Store, StoreError};
use std::sync::atomic::{AtomicU32, Ordering};

/// The backends a test should run on: SQLite always, PostgreSQL when configured.
pub fn backends() -> Vec<&'static str> {
    let mut v = vec!["sqlite"];
    if std::env::var("DUBAN_TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres")) {
        v.push("postgres");
    }
    v
}

/// The instant store tests write at: 2026-11-25 10:00 in Shanghai (the demo's "today"), fixed
/// so that nothing a test expects depends on the day it runs.
pub fn now() -> jiff::Timestamp {
    jiff::Timestamp::constant(1_795_572_000, 0)
}

/// A migrated, empty database; keep it alive as long as the store is used.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    _dir: tempfile::TempDir,
}

impl TestDb {
    pub async fn new(backend: &str) -> Result<TestDb, StoreError> {
        let dir = tempfile::tempdir().map_err(|e| StoreError::Db(sqlx::Error::Io(e)))?;
        let url = match backend {
            "postgres" => fresh_postgres_database().await?,
            _ => format!("sqlite://{}/test.db?mode=rwc", dir.path().display()),
        };
        let store = Store::connect(&url, 5).await?;
        store.migrate().await?;
        Ok(TestDb {
            store,
            url,
            _dir: dir,
        })
    }
}

async fn fresh_postgres_database() -> Result<String, StoreError> {
    static N: AtomicU32 = AtomicU32::new(0);
    let admin_url = std::env::var("DUBAN_TEST_DATABASE_URL").unwrap_or_default();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let name = format!(
        "duban_test_{}_{}_{}",
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::SeqCst)
    );
    let admin = Store::connect(&admin_url, 1).await?;
    let Store::Postgres(pool) = &admin else {
        return Err(StoreError::Db(sqlx::Error::Configuration(
            "DUBAN_TEST_DATABASE_URL must be postgres://".into(),
        )));
    };
    // `name` is made of our own digits and underscores only.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"
    )))
    .execute(pool)
    .await?;
    admin.close().await;
    let (prefix, _) = admin_url
        .rsplit_once('/')
        .unwrap_or((admin_url.as_str(), ""));
    Ok(format!("{prefix}/{name}"))
}
