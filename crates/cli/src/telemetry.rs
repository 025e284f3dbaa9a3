//! Logging set-up: the one place a `tracing` subscriber is installed. Log lines go to standard
//! error, so a command's own output on standard output (a password, a TOML file) stays clean.

use crate::config::{LogConfig, LogFormat};
use anyhow::Context;
use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Installs the subscriber: `log.filter` (RUST_LOG syntax) decides what is kept, `log.format`
/// whether lines are for people (`text`) or collectors (`json`). Call once, at start-up.
pub fn init(log: &LogConfig) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(&log.filter)
        .with_context(|| format!("log.filter {:?} is not a valid RUST_LOG filter", log.filter))?;
    let registry = tracing_subscriber::registry().with(filter);
    let installed = match log.format {
        LogFormat::Json => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_writer(std::io::stderr),
            )
            .try_init(),
        LogFormat::Text => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_ansi(std::io::stderr().is_terminal()),
            )
            .try_init(),
    };
    installed.context("the logger was already set up")
}
