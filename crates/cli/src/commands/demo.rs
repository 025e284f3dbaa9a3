//! `duban demo`: the web server on a fictional city with one account per role, in a database
//! of its own (`<data dir>/demo.db`) so it never mixes with real data.

use crate::config::{Config, DatabaseTarget, Db, PinnedClock};
use anyhow::{Context, bail};
use duban_core::demo::DEMO_PASSWORD;
use duban_web::demo::DemoSummary;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Delete the demo's SQLite database (<data dir>/demo.db) first and load the city afresh.
    /// Refused when database.url or DATABASE_URL points elsewhere
    #[arg(long)]
    pub reset: bool,
    /// Load N generated tasks of realistic shape instead of the hand-written lists (the
    /// benchmark data set, e.g. --tasks 20000)
    #[arg(long, value_name = "N")]
    pub tasks: Option<usize>,
    /// Load the demo and exit without serving (for preparing benchmark databases)
    #[arg(long)]
    pub load_only: bool,
}

pub async fn run(config: &Config, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    // The demo tells its story as of its own day, whatever the real date: its clock is pinned
    // there (and runs on) unless time.pinned says otherwise.
    let mut config = config.clone();
    if config.time.pinned.get().is_none() {
        config.time.pinned = PinnedClock::at(duban_core::demo::demo_now(&config.time.zone.tz()));
    }
    let config = &config;
    let target = config.database(Db::Demo);
    if args.reset {
        reset(&target)?;
    }
    let store = super::open_and_migrate(config, &target).await?;
    tracing::info!(database.url = %target.url, "demo database ready");
    let users = super::count_users(&store).await?;
    let summary = if users == 0 {
        let started = std::time::Instant::now();
        let summary = duban_web::demo::load_demo_with(&store, args.tasks)
            .await
            .context("could not load the demo city")?;
        tracing::info!(
            demo.units = summary.units,
            demo.people = summary.people,
            demo.tasks = summary.tasks,
            demo.cases = summary.cases,
            duration_ms = started.elapsed().as_millis() as u64,
            demo.accounts = summary.accounts.len(),
            "demo city loaded"
        );
        Some(summary)
    } else {
        println!(
            "The demo database already has {users} accounts, so the demo city is not loaded again \
             (run `duban demo --reset` to start afresh)."
        );
        None
    };
    if args.load_only {
        if let Some(s) = &summary {
            println!(
                "Loaded {} units, {} people, {} tasks and {} cases.",
                s.units, s.people, s.tasks, s.cases
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let (listener, url) = super::serve::bind(config).await?;
    print_welcome(&url, summary.as_ref());
    if let Some(pin) = config.time.pinned.get() {
        println!(
            "The demo's clock starts at {} (time.pinned) and runs on from there; every page shows it.",
            pin.to_zoned(config.time.zone.tz())
                .strftime("%Y-%m-%d %H:%M %Z")
        );
        println!();
    }
    super::serve::serve(config, store, listener, &url).await
}

/// Deletes the demo's own SQLite file with its WAL and shared-memory files. Anything else is
/// someone's database and is not ours to delete.
fn reset(target: &DatabaseTarget) -> anyhow::Result<()> {
    if target.url.is_postgres() {
        bail!(
            "--reset only deletes the demo's SQLite file, but the demo is configured to use PostgreSQL \
             ({}): drop and recreate that database yourself, or unset database.url / DATABASE_URL",
            target.url
        );
    }
    let Some(file) = &target.default_file else {
        bail!(
            "--reset only deletes the demo's own file <data dir>/demo.db, but database.url or \
             DATABASE_URL points to {}: delete that database yourself",
            target.url
        );
    };
    for suffix in ["", "-wal", "-shm"] {
        let mut name = OsString::from(file.as_os_str());
        name.push(suffix);
        let path = PathBuf::from(name);
        match std::fs::remove_file(&path) {
            Ok(()) => tracing::info!(path = %path.display(), "deleted"),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e).with_context(|| format!("could not delete {}", path.display()));
            }
        }
    }
    Ok(())
}

fn print_welcome(url: &str, summary: Option<&DemoSummary>) {
    println!();
    match summary {
        Some(summary) => {
            println!(
                "Demo city loaded: {} units, {} people. Open {url} and sign in as any of these:",
                summary.units, summary.people
            );
            println!();
            let rows: Vec<[String; 4]> = summary
                .accounts
                .iter()
                .map(|a| {
                    [
                        a.username.clone(),
                        a.role.to_string(),
                        a.name.clone(),
                        a.unit.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            print!("{}", table(["user name", "role", "name", "unit"], &rows));
            println!();
            println!("Password for every demo account: {DEMO_PASSWORD}");
        }
        None => {
            println!(
                "Open {url}; the demo accounts keep the password {DEMO_PASSWORD} unless it was changed."
            );
        }
    }
    println!();
}

/// A plain-text table with a rule under the header, columns padded to their display width
/// (Chinese characters take two terminal columns).
fn table<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> String {
    let mut widths = header.map(display_width);
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(display_width(cell));
        }
    }
    let line = |cells: [&str; N]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell}{}", " ".repeat(w - display_width(cell))))
            .collect();
        format!("  {}\n", padded.join("  ").trim_end())
    };
    let mut out = line(header);
    out.push_str(&line(
        widths.map(|w| "─".repeat(w)).each_ref().map(String::as_str),
    ));
    for row in rows {
        out.push_str(&line(row.each_ref().map(String::as_str)));
    }
    out
}

fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

/// East Asian wide and full-width characters (CJK, kana, hangul, full-width forms).
fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_cells_count_two_columns_so_the_table_lines_up() {
        let rows = [
            ["zhang".to_string(), "张三".to_string()],
            ["li".to_string(), "李四光".to_string()],
        ];
        let out = table(["user", "name"], &rows);
        assert_eq!(
            out,
            "  user   name\n  ─────  ──────\n  zhang  张三\n  li     李四光\n"
        );
    }
}
