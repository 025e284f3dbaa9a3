//! `duban migrate`: create the database if needed and apply pending migrations.

use crate::config::{Config, Db};
use std::process::ExitCode;

pub async fn run(config: &Config) -> anyhow::Result<ExitCode> {
    let store = super::open_and_migrate(config, &config.database(Db::Main)).await?;
    store.close().await;
    println!("database is up to date");
    Ok(ExitCode::SUCCESS)
}
