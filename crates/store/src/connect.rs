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
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

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
    Sqlite(SqlitePool, WriteGate),
    Postgres(PgPool),
}

/// An open transaction on either backend. Dropping it without [`Tx::commit`] rolls back.
/// A write transaction on SQLite holds its turn at the [`WriteGate`] until it ends.
#[derive(Debug)]
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>, Option<OwnedMutexGuard<()>>),
    Postgres(Transaction<'static, Postgres>),
}

/// SQLite has one writer at a time. Without a gate, writers that find the lock taken sleep in
/// SQLite's busy handler and poll (1, 2, 5 … 100 ms), so under a few concurrent writes the
/// unlucky ones wait hundreds of milliseconds for a lock that was free long before. The gate
/// queues this process's writers first-come first-served in memory, each starting its `BEGIN
/// IMMEDIATE` the moment the one before it ends; the busy handler is then left for writers
/// of other processes (`duban` maintenance commands). PostgreSQL needs none.
#[derive(Debug, Clone, Default)]
pub struct WriteGate(Arc<Mutex<()>>);

/// How long a writer waits for its turn before giving up, as SQLite's own busy timeout.
const WRITE_WAIT: Duration = Duration::from_secs(10);

impl WriteGate {
    async fn turn(&self) -> Result<OwnedMutexGuard<()>, StoreError> {
        tokio::time::timeout(WRITE_WAIT, self.0.clone().lock_owned())
            .await
            .map_err(|_| StoreError::Db(sqlx::Error::PoolTimedOut))
    }
}

/// How much a pool may hold: its connections and, on SQLite, their page caches. The
/// server's resident memory on SQLite is mostly these caches, so they are bounded here and set
/// from `[database]` in the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tuning {
    pub max_connections: u32,
    /// SQLite page cache per connection, in KiB (`PRAGMA cache_size = -N`).
    pub sqlite_cache_kib: u32,
    /// SQLite's memory for the whole process, in MiB (`PRAGMA soft_heap_limit`): past it SQLite
    /// frees cached pages before it allocates more. 0 means no limit.
    pub sqlite_heap_limit_mib: u32,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            max_connections: 8,
            sqlite_cache_kib: 2048,
            sqlite_heap_limit_mib: 16,
        }
    }
}

impl Store {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://…`) with `max_connections`
    /// and the default caches.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Store, StoreError> {
        Store::connect_tuned(
            url,
            Tuning {
                max_connections,
                ..Tuning::default()
            },
        )
        .await
    }

    /// Connects with the given pool size and caches.
    pub async fn connect_tuned(url: &str, tuning: Tuning) -> Result<Store, StoreError> {
        let max_connections = tuning.max_connections;
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
            let opts = sqlite_options(url, tuning)?;
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            Ok(Store::Sqlite(pool, WriteGate::default()))
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Store::Sqlite(..) => Backend::Sqlite,
            Store::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies pending migrations of this backend, then the back-fills written in Rust
    /// that they named in `store_backfills`.
    ///
    /// When any migration was applied, the planner's statistics are refreshed afterwards
    /// ([`Store::refresh_statistics`]): a migration may add indexes or rewrite tables.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let before = self.applied_migrations().await?;
        match self {
            Store::Sqlite(p, _) => SQLITE_MIGRATIONS.run(p).await?,
            Store::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        self.run_backfills().await?;
        if self.applied_migrations().await? != before {
            self.refresh_statistics().await?;
        }
        Ok(())
    }

    /// How many migrations the database records as applied (0 before the first).
    async fn applied_migrations(&self) -> Result<i64, StoreError> {
        let mut tx = self.begin_read().await?;
        let (tables,): (i64,) = crate::sql(match self.backend() {
            Backend::Sqlite => {
                "SELECT COUNT(*) FROM sqlite_master
                 WHERE type = 'table' AND name = '_sqlx_migrations'"
            }
            Backend::Postgres => {
                "SELECT COUNT(*) FROM pg_tables WHERE tablename = '_sqlx_migrations'"
            }
        })
        .fetch_one(&mut tx)
        .await?;
        if tables == 0 {
            return Ok(0);
        }
        let (n,): (i64,) = crate::sql("SELECT COUNT(*) FROM _sqlx_migrations")
            .fetch_one(&mut tx)
            .await?;
        Ok(n)
    }

    /// Refreshes the planner's statistics on every table (`ANALYZE`), as after a bulk write —
    /// the demo load, a large import, a migration — the planner otherwise plans for the
    /// database as it was: on PostgreSQL the city dashboard of a freshly loaded 20,000-task
    /// city took 82 ms before and 31 ms after. On SQLite each index is sampled, not read
    /// whole (`analysis_limit`), so it takes milliseconds on a large file; its write lock is
    /// taken at the write gate like any write.
    pub async fn refresh_statistics(&self) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        if self.backend() == Backend::Sqlite {
            crate::sql("PRAGMA analysis_limit = 1000")
                .execute(&mut tx)
                .await?;
        }
        crate::sql("ANALYZE").execute(&mut tx).await?;
        tx.commit().await
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
            Store::Sqlite(p, _) => Tx::Sqlite(p.begin().await?, None),
            Store::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// A transaction for writing. On SQLite it waits for its turn at the [`WriteGate`], then
    /// takes the write lock at once (`BEGIN IMMEDIATE`) so it never fails on upgrade.
    pub async fn begin_write(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Store::Sqlite(p, gate) => {
                let turn = gate.turn().await?;
                Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?, Some(turn))
            }
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
            Store::Sqlite(p, _) => p.close().await,
            Store::Postgres(p) => p.close().await,
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            // The turn at the gate is given up once the commit has returned.
            Tx::Sqlite(t, _turn) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(..) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }
}

/// WAL so readers never wait for the writer, `synchronous=FULL` so an acknowledged write
/// survives a power cut, foreign keys on, and a busy timeout so writers queue.
fn sqlite_options(url: &str, tuning: Tuning) -> Result<SqliteConnectOptions, StoreError> {
    Ok(SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        // Pages not in this cache come from the operating system's file cache, which is
        // shared by all connections and not counted in the server's own memory.
        .pragma("cache_size", format!("-{}", tuning.sqlite_cache_kib))
        // Process-wide: the last connection to set it wins, and all set the same value.
        .pragma(
            "soft_heap_limit",
            (u64::from(tuning.sqlite_heap_limit_mib) * 1024 * 1024).to_string(),
        )
        // Keeps the planner's statistics fresh as connections are recycled.
        .optimize_on_close(true, None)
        .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500)))
}
