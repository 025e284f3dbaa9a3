//! One module per sub-command. Each takes the loaded [`Config`] and returns the exit code;
//! failures come back as `anyhow` errors with context and are printed once, by `main`.
//! This module also holds what several commands share: opening the database, this year.

pub mod calendar;
pub mod config;
pub mod demo;
pub mod export;
pub mod import;
pub mod migrate;
pub mod serve;
pub mod user;
pub mod verify;

use crate::config::{Config, DatabaseTarget};
use anyhow::{Context, bail};
use duban_store::Store;

/// Connects to `target` without creating or migrating anything.
pub async fn connect(config: &Config, target: &DatabaseTarget) -> anyhow::Result<Store> {
    tracing::debug!(database.url = %target.url, "opening the database");
    let tuning = duban_store::Tuning {
        max_connections: config.database.max_connections,
        sqlite_cache_kib: config.database.sqlite_cache_kib,
        sqlite_heap_limit_mib: config.database.sqlite_heap_limit_mib,
    };
    Store::connect_tuned(target.url.expose(), tuning)
        .await
        .with_context(|| format!("could not open the database {}", target.url))
}

/// Connects to `target`, creating the data directory for duban's own SQLite file if needed,
/// and applies pending migrations.
pub async fn open_and_migrate(config: &Config, target: &DatabaseTarget) -> anyhow::Result<Store> {
    if target.default_file.is_some() {
        create_data_dir(config)?;
    }
    let store = connect(config, target).await?;
    store
        .migrate()
        .await
        .with_context(|| format!("could not migrate the database {}", target.url))?;
    Ok(store)
}

/// Opens a database that must exist already, applying pending migrations. Commands that
/// `what` (e.g. "export") a fresh file would only find it empty, so they say so instead of
/// creating one.
pub async fn open_existing(
    config: &Config,
    target: &DatabaseTarget,
    what: &str,
) -> anyhow::Result<Store> {
    if let Some(file) = target.default_file_missing() {
        bail!(
            "there is no database at {}: nothing to {what} (check --data-dir or --database-url)",
            file.display()
        );
    }
    open_and_migrate(config, target).await
}

/// The current year in the configured time zone (Asia/Shanghai unless changed), the default
/// year of lists.
pub fn this_year(config: &Config) -> i16 {
    config.now().to_zoned(config.time.zone.tz()).year()
}

pub fn create_data_dir(config: &Config) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data.dir).with_context(|| {
        format!(
            "could not create the data directory {}",
            config.data.dir.display()
        )
    })
}

/// How many accounts exist (none means a fresh installation).
pub async fn count_users(store: &Store) -> anyhow::Result<i64> {
    let mut tx = store
        .begin_read()
        .await
        .context("could not read the accounts")?;
    duban_store::accounts::count_users(&mut tx)
        .await
        .context("could not count the accounts")
}
