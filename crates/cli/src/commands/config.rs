//! `duban config default` and `duban config show`.

use crate::config::{Config, DEFAULT_TOML, Db};
use std::process::ExitCode;

/// Prints the fully commented built-in defaults: a starting point for `duban.toml`.
pub fn print_default() -> anyhow::Result<ExitCode> {
    print!("{DEFAULT_TOML}");
    Ok(ExitCode::SUCCESS)
}

/// Prints the configuration in force, passwords hidden.
pub fn show(config: &Config) -> anyhow::Result<ExitCode> {
    println!("# The configuration in force: built-in defaults, then duban.toml or --config,");
    println!("# then DUBAN_* variables, DATABASE_URL and flags. Passwords are hidden.");
    println!("# Database in use: {}", config.database(Db::Main).url);
    println!();
    print!("{}", config.to_redacted_toml()?);
    Ok(ExitCode::SUCCESS)
}
