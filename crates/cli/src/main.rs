//! `duban` (掌上督): one binary for the web server and its administration. This file parses the
//! command line and dispatches; each sub-command lives in `commands/`, settings in `config`,
//! logging set-up in `telemetry`.
//!
//! Exit codes: 0 success, 1 failure, 2 wrong usage (clap's own code).
#![forbid(unsafe_code)]

mod commands;
mod config;
mod signing_key;
mod telemetry;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "duban",
    version,
    about = "掌上督 — key-work tracking and supervision for a city government.",
    long_about = "掌上督 (duban) — key-work tracking and supervision for a city government.\n\n\
        One binary serves the web pages, the JSON API and the background jobs, and administers \
        the database. With no configuration at all, `duban serve` keeps its data in \
        ./duban-data/ (SQLite) and listens on http://127.0.0.1:8080.\n\n\
        Settings come from, later winning: built-in defaults (`duban config default`), \
        duban.toml in the current directory or --config, DUBAN_<SECTION>__<KEY> environment \
        variables, DATABASE_URL, and the flags below.",
    after_help = "Try `duban demo` to look around a fictional city, or `duban user add --admin NAME` \
        then `duban serve` to start for real."
)]
struct Cli {
    /// Read settings from this TOML file instead of ./duban.toml (it must exist)
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "PATH"
    )]
    config: Option<PathBuf>,

    /// Keep the data (SQLite database, attachments) in this directory [default: ./duban-data]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "PATH"
    )]
    data_dir: Option<PathBuf>,

    /// Database URL (sqlite://… or postgres://…); overrides database.url and DATABASE_URL.
    /// Other local users can read a command line: prefer DATABASE_URL for passwords
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "URL"
    )]
    database_url: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server (pages, API, background jobs)
    #[command(
        long_about = "Run the web server: pages, the JSON API, /healthz, /metrics and the \
        background jobs.\n\n\
        Creates the data directory and the database if they are missing and applies pending \
        migrations first, so no set-up step is needed. Stops cleanly on Ctrl-C or SIGTERM."
    )]
    Serve,

    /// Run the web server on a demo city, with ready-made accounts
    #[command(
        long_about = "Run the web server on a fictional demo city: its units, people, \
        leaders' portfolios and this year's campaigns, with one account per role.\n\n\
        The demo keeps its own database, <data dir>/demo.db, so it never mixes with real \
        data (unless database.url or DATABASE_URL is set, which it then uses). The city is \
        loaded only into a database without users; the accounts and their shared password are \
        printed before the server starts."
    )]
    Demo(commands::demo::DemoArgs),

    /// Create the database if needed and apply pending migrations
    #[command(
        long_about = "Create the database if needed and apply pending migrations, then \
        exit. `duban serve` does this by itself on start; run it on its own before rolling out \
        a new version to several servers sharing one PostgreSQL database."
    )]
    Migrate,

    /// Manage accounts: add one, reset a password
    #[command(subcommand)]
    User(commands::user::UserCommand),

    /// Check the audit ledger and its transparency log, here or on a live server
    #[command(
        long_about = "Recompute the audit ledger's hash chain from the first entry to \
        the last and compare it with the recorded head; then rebuild the transparency log's \
        Merkle tree from the entries and check every signed tree head (root, signature, \
        consistency with the one before) and the stored tree.\n\n\
        Prints `ledger OK: …` and `transparency log OK: …` and exits 0, or names the first \
        entry or tree head that was changed, removed or inserted outside duban and exits 1.\n\n\
        With --url, checks one entry against a live server instead, without database access: \
        fetches the signed tree head, the public key, the entry and its inclusion proof, and \
        verifies the signature and the proof here. An entry newer than the newest signed head \
        exits 3, saying which entries that head covers and when the next is due.\n\n\
        With --ledger-export FILE.jsonl, checks an export of the ledger offline, without a \
        database: each line's hash is recomputed from its fields, and each line must name the \
        line before as its prev_hash wherever their seqs are consecutive. A filtered export's \
        gaps are listed (nothing links across them). Prints `ledger export OK: …` and exits 0, \
        or names every bad line by line number and seq and exits 1."
    )]
    Verify(commands::verify::VerifyArgs),

    /// Working days and the holiday calendar (调休)
    #[command(subcommand)]
    Calendar(commands::calendar::CalendarCommand),

    /// Load spreadsheets (task lists) into the database
    #[command(subcommand)]
    Import(commands::import::ImportCommand),

    /// Write lists from the database to spreadsheets
    #[command(subcommand)]
    Export(commands::export::ExportCommand),

    /// Print the default or the effective configuration
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Print the built-in default configuration, fully commented (a starting duban.toml)
    Default,
    /// Print the configuration in force after all layers, passwords hidden
    Show,
}

/// mimalloc returns freed pages to the system and shares memory across threads, so the server's
/// resident memory follows what it holds, not the peak of every worker thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let flags = config::Flags {
        config: cli.config,
        data_dir: cli.data_dir,
        database_url: cli.database_url,
    };
    let setup = || -> anyhow::Result<config::Config> {
        let config = config::Config::load(&flags)?;
        telemetry::init(&config.log)?;
        Ok(config)
    };
    match cli.command {
        // Needs no configuration, so a broken duban.toml cannot stop it.
        Command::Config(ConfigCommand::Default) => commands::config::print_default(),
        Command::Config(ConfigCommand::Show) => {
            commands::config::show(&config::Config::load(&flags)?)
        }
        Command::Serve => commands::serve::run(&setup()?).await,
        Command::Demo(args) => commands::demo::run(&setup()?, &args).await,
        Command::Migrate => commands::migrate::run(&setup()?).await,
        Command::User(user) => commands::user::run(&setup()?, &user).await,
        Command::Verify(args) => commands::verify::run(&setup()?, &args).await,
        Command::Calendar(cmd) => commands::calendar::run(&setup()?, &cmd).await,
        Command::Import(cmd) => commands::import::run(&setup()?, &cmd).await,
        Command::Export(cmd) => commands::export::run(&setup()?, &cmd).await,
    }
}
