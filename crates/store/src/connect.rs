//! Opening the database: SQLite by default, PostgreSQL when the URL says so. The SQLite
//! connection options live here and only here.

use crate::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, Postgres};
use sqlx::sqlite::{
    Sqlite, SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::{ConnectOptions, Transaction};
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database: a pool of one backend. Cheap to clone.
#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// An open transaction on either backend. Dropping it without [`Tx::commit`] rolls back.
#[derive(Debug)]
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Store {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://…`) with `max_connections`.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Store, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)?
                .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500));
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            Ok(Store::Postgres(pool))
        } else {
            let opts = sqlite_options(url)?;
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            Ok(Store::Sqlite(pool))
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Store::Sqlite(_) => Backend::Sqlite,
            Store::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies pending migrations of this backend, then the back-fills written in Rust
    /// that they named in `store_backfills`.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Store::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        self.run_backfills().await
    }

    /// Runs each back-fill a migration named, once: the row is deleted in the back-fill's own
    /// transaction, so a second process migrating at the same time finds nothing to do.
    async fn run_backfills(&self) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let claimed = crate::sql("DELETE FROM store_backfills WHERE name = 'proposal_rate_counts'")
            .execute(&mut tx)
            .await?;
        if claimed > 0 {
            crate::proposals::counts::rebuild(&mut tx).await?;
        }
        tx.commit().await
    }

    /// A transaction for reading: a consistent view, never writes.
    pub async fn begin_read(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Store::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Store::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// A transaction for writing. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so two writers queue on `busy_timeout` instead of failing on upgrade.
    pub async fn begin_write(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Store::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Store::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Whether the database answers (for `/healthz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        let mut tx = self.begin_read().await?;
        crate::sql("SELECT 1").execute(&mut tx).await?;
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite(p) => p.close().await,
            Store::Postgres(p) => p.close().await,
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }
}

/// WAL so readers never wait for the writer, `synchronous=FULL` so an acknowledged write
/// survives a power cut, foreign keys on, and a busy timeout so writers queue.
fn sqlite_options(url: &str) -> Result<SqliteConnectOptions, StoreError> {
    Ok(SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        // 16 MB of page cache per connection (the default is 2 MB): lists of 20,000 tasks
        // are read from memory.
        .pragma("cache_size", "-16000")
        // Keeps the planner's statistics fresh as connections are recycled.
        .optimize_on_close(true, None)
        .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500)))
}
