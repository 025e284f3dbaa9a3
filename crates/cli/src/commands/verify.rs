//! `duban verify`: recompute the audit ledger's hash chain of the local database.
//!
//! It checks the database this installation is configured for. Checking a public portal's
//! published head or a single signed commitment from outside (without database access) is a
//! separate mode with its own flags; it reuses the same chain verification from `duban-core`.

use crate::config::{Config, Db};
use anyhow::{Context, bail};
use duban_store::ledger::{self, Verified, VerifyError};
use std::process::ExitCode;

pub async fn run(config: &Config) -> anyhow::Result<ExitCode> {
    let target = config.database(Db::Main);
    // Verifying must not create an empty database where none was.
    if let Some(file) = target.default_file_missing() {
        bail!(
            "there is no database at {}: nothing to verify (check --data-dir)",
            file.display()
        );
    }
    let store = super::connect(config, &target).await?;
    let outcome = ledger::verify(&store).await;
    store.close().await;
    match outcome {
        Ok(Verified { entries, head }) => {
            println!("ledger OK: {entries} entries, head {head}");
            Ok(ExitCode::SUCCESS)
        }
        Err(VerifyError::Chain(e)) => {
            println!("ledger BROKEN at entry {}: {e}", e.seq());
            Ok(ExitCode::FAILURE)
        }
        Err(e @ VerifyError::HeadMismatch { .. }) => {
            println!("ledger BROKEN: {e}");
            Ok(ExitCode::FAILURE)
        }
        Err(VerifyError::Store(e)) => Err(e).context("could not read the ledger"),
    }
}
