//! One module per sub-command. Each takes the loaded [`Config`] and returns the exit code;
//! failures come back as `anyhow` errors with context and are printed once, by `main`.
//! This module also holds what several commands share: opening the database.

pub mod calendar;
pub mod config;
pub mod demo;
pub mod migrate;
pub mod serve;
pub mod user;
pub mod verify;

use crate::config::{Config, DatabaseTarget};
use anyhow::Context;
use duban_store::Store;

/// Connects to `target` without creating or migrating anything.
pub async fn connect(config: &Config, target: &DatabaseTarget) -> anyhow::Result<Store> {
    tracing::debug!(database.url = %target.url, "opening the database");
    Store::connect(target.url.expose(), config.database.max_connections)
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
