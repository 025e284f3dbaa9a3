//! Fresh databases for tests: a SQLite file in a temporary directory, or a new database on the
//! PostgreSQL server named by `DUBAN_TEST_DATABASE_URL`. Each test gets its own, so tests run
//! in parallel. PostgreSQL test databases are named `duban_test_*` and each is dropped when its
//! test ends (a copy of the demo is tens of MB, and a run makes hundreds: kept, they once filled
//! the CI machine's disk mid-run); `scripts/test.sh` drops the templates and anything a killed
//! run left, before and after the tests.
//!
//! Neither backend is asked to flush each commit to disk here, since no test can observe
//! durability: SQLite files live in memory (`/dev/shm` where there is one) with the
//! production pragmas unchanged, and each PostgreSQL test database has `synchronous_commit`
//! off. On the CI machine a flushed commit costs ~3.5 ms, and the HTTP suite commits thousands
//! of times.

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

/// A migrated database of its own for one test; keep it alive as long as the store is used.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    _dir: tempfile::TempDir,
}

impl Drop for TestDb {
    /// Drops a PostgreSQL test database at once (`WITH (FORCE)` ends the connections a test's
    /// server may still hold). Each test runs on its own runtime, which is busy dropping this,
    /// so the statement runs on a thread of its own; a failure leaves the database for
    /// `scripts/test.sh` to drop.
    fn drop(&mut self) {
        if !self.url.starts_with("postgres") {
            return;
        }
        let Some(name) = self.url.rsplit('/').next().map(str::to_string) else {
            return;
        };
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(drop_postgres_database(&name));
        })
        .join();
    }
}

/// `DROP DATABASE … WITH (FORCE)` on the server named by `DUBAN_TEST_DATABASE_URL`.
async fn drop_postgres_database(name: &str) {
    let admin_url = std::env::var("DUBAN_TEST_DATABASE_URL").unwrap_or_default();
    let Ok(admin) = Store::connect(&admin_url, 1).await else {
        return;
    };
    if let Store::Postgres(pool) = &admin {
        // `name` is one of ours: letters, digits and underscores only.
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(pool)
        .await;
    }
    admin.close().await;
}

/// Templates made in this process, by backend and name: a SQLite file to copy, or a
/// PostgreSQL database to `CREATE DATABASE … TEMPLATE`. Held across tests (each test has its
/// own runtime, so a template is kept as a file or a database name, never as a pool).
static TEMPLATES: std::sync::LazyLock<
    tokio::sync::Mutex<std::collections::HashMap<(String, String), String>>,
> = std::sync::LazyLock::new(|| tokio::sync::Mutex::new(std::collections::HashMap::new()));

impl TestDb {
    /// A migrated, empty database.
    pub async fn new(backend: &str) -> Result<TestDb, StoreError> {
        Self::from_template(backend, "migrated", |_| async {}).await
    }

    /// A copy of the template `name`: the first call in this process migrates a fresh database,
    /// runs `init` on it (e.g. loading the demo city) and keeps it as the template; every call
    /// then gets its own copy, which is far cheaper than migrating and loading per test. `init`
    /// must be deterministic (no clock, no randomness the tests rely on), since every test of
    /// the process sees what one run of it wrote.
    pub async fn from_template<F, Fut>(
        backend: &str,
        name: &str,
        init: F,
    ) -> Result<TestDb, StoreError>
    where
        F: FnOnce(Store) -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        let io = |e: std::io::Error| StoreError::Db(sqlx::Error::Io(e));
        // Held while the template is made and while it is copied: PostgreSQL refuses to copy a
        // template that another session is connected to, or being copied by.
        let mut templates = TEMPLATES.lock().await;
        let key = (backend.to_string(), name.to_string());
        let template = match templates.get(&key) {
            Some(t) => t.clone(),
            None => {
                let t = make_template(backend, init).await?;
                templates.insert(key, t.clone());
                t
            }
        };
        let dir = scratch_dir("duban-test-").map_err(io)?;
        let url = match backend {
            "postgres" => fresh_postgres_database(&template).await?,
            _ => {
                let file = dir.path().join("test.db");
                std::fs::copy(&template, &file).map_err(io)?;
                format!("sqlite://{}?mode=rwc", file.display())
            }
        };
        drop(templates);
        let store = Store::connect(&url, 5).await?;
        Ok(TestDb {
            store,
            url,
            _dir: dir,
        })
    }
}

/// Makes a template: a migrated database with `init` run on it, closed. Returns the SQLite
/// file's path or the PostgreSQL database's name.
async fn make_template<F, Fut>(backend: &str, init: F) -> Result<String, StoreError>
where
    F: FnOnce(Store) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (url, template) = match backend {
        "postgres" => {
            let url = fresh_postgres_database("template0").await?;
            let name = url.rsplit('/').next().unwrap_or_default().to_string();
            (url, name)
        }
        _ => {
            // Kept for the life of the process (a few MB in the temp directory).
            let dir = scratch_dir("duban-test-template-")
                .map_err(|e| StoreError::Db(sqlx::Error::Io(e)))?
                .keep();
            let file = dir.join("template.db");
            (
                format!("sqlite://{}?mode=rwc", file.display()),
                file.display().to_string(),
            )
        }
    };
    let store = Store::connect(&url, 5).await?;
    store.migrate().await?;
    init(store.clone()).await;
    if let Store::Sqlite(pool, _) = &store {
        // Everything into the main file, so copying the file copies the database.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(pool)
            .await?;
    }
    store.close().await;
    Ok(template)
}

/// A new PostgreSQL database copied from `template` (`template0` for an empty one).
async fn fresh_postgres_database(template: &str) -> Result<String, StoreError> {
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
    // `name` and `template` are made of our own letters, digits and underscores only.
    let mut conn = pool.acquire().await?;
    sqlx::query("SET synchronous_commit = off")
        .execute(&mut *conn)
        .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE DATABASE {name} TEMPLATE {template} ENCODING 'UTF8'"
    )))
    .execute(&mut *conn)
    .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "ALTER DATABASE {name} SET synchronous_commit = off"
    )))
    .execute(&mut *conn)
    .await?;
    drop(conn);
    admin.close().await;
    let (prefix, _) = admin_url
        .rsplit_once('/')
        .unwrap_or((admin_url.as_str(), ""));
    Ok(format!("{prefix}/{name}"))
}

/// A temporary directory for SQLite files: in memory (`/dev/shm`) where the machine has one.
fn scratch_dir(prefix: &str) -> std::io::Result<tempfile::TempDir> {
    let shm = std::path::Path::new("/dev/shm");
    let mut b = tempfile::Builder::new();
    b.prefix(prefix);
    if shm.is_dir() {
        b.tempdir_in(shm)
    } else {
        b.tempdir()
    }
}
