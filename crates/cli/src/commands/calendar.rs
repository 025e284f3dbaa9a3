//! `duban calendar …`: an admin's quick questions about working days, and edits of the
//! holiday calendar (statutory holidays and make-up working days, 调休) per year.

use crate::config::{Config, Db};
use anyhow::{Context, bail};
use duban_core::calendar::SpecialDay;
use duban_store::{Audit, StoreError, calendar};
use jiff::civil::Date;
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum CalendarCommand {
    /// Print the date N working days after DATE (negative N: before it)
    #[command(
        long_about = "Print the date N working days after DATE; the start day is not \
        counted. Make-up working weekend days (补班) count, statutory holidays do not. \
        Example: `duban calendar add-workdays 2026-02-13 1` prints 2026-02-14, a make-up Saturday."
    )]
    AddWorkdays {
        /// Start date, YYYY-MM-DD
        date: Date,
        /// How many working days (may be negative)
        #[arg(allow_negative_numbers = true)]
        n: i64,
    },
    /// Print how many working days lie between two dates, both included
    Workdays {
        /// First day, YYYY-MM-DD
        from: Date,
        /// Last day, YYYY-MM-DD
        to: Date,
    },
    /// List a year's holidays and make-up working days
    List {
        /// The year, e.g. 2026
        year: i16,
    },
    /// Mark a day as a holiday or a working day (e.g. when next year's schedule is published)
    Set {
        /// The day, YYYY-MM-DD
        date: Date,
        /// `holiday` or `workday`
        #[arg(value_parser = ["holiday", "workday"])]
        kind: String,
        /// A name, e.g. 春节 or 春节补班
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Remove a day's special status, so the Monday–Friday rule applies again
    Clear {
        /// The day, YYYY-MM-DD
        date: Date,
    },
}

pub async fn run(config: &Config, cmd: &CalendarCommand) -> anyhow::Result<ExitCode> {
    let store = super::open_and_migrate(config, &config.database(Db::Main)).await?;
    let result = run_on(&store, cmd, config.time.zone.tz(), config.now()).await;
    store.close().await;
    result
}

async fn run_on(
    store: &duban_store::Store,
    cmd: &CalendarCommand,
    zone: jiff::tz::TimeZone,
    now: jiff::Timestamp,
) -> anyhow::Result<ExitCode> {
    let audit = || Audit::system(now);
    match cmd {
        CalendarCommand::AddWorkdays { date, n } => {
            let cal = load_for(store, *date).await?;
            println!("{}", cal.add_workdays(*date, *n)?);
        }
        CalendarCommand::Workdays { from, to } => {
            let cal = load_for(store, *from).await?;
            println!("{}", cal.workdays(*from, *to)?);
        }
        CalendarCommand::List { year } => {
            let mut tx = store
                .begin_read()
                .await
                .context("could not read the calendar")?;
            let (from, to) = (Date::new(*year, 1, 1)?, Date::new(*year, 12, 31)?);
            let days = calendar::list_special_days(&mut tx, from, to).await?;
            if days.is_empty() {
                println!(
                    "no special days recorded for {year}: every Monday to Friday is a working day"
                );
            }
            // Written without println! so `… | head` ends quietly instead of panicking.
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            for d in days {
                let kind = if d.workday { "workday" } else { "holiday" };
                if writeln!(
                    out,
                    "{}  {:<3}  {kind}  {}",
                    d.day,
                    d.day.strftime("%a"),
                    d.name
                )
                .is_err()
                {
                    break;
                }
            }
        }
        CalendarCommand::Set { date, kind, name } => {
            let day = SpecialDay {
                day: *date,
                workday: kind == "workday",
                name: name.trim().to_string(),
            };
            let mut tx = store.begin_write().await?;
            let audit = audit();
            calendar::set_day(&mut tx, &audit, &day)
                .await
                .context("could not save the day")?;
            let moved = recompute(store, &mut tx, &audit, zone).await?;
            tx.commit().await?;
            println!("{date} is now a {kind}{moved}");
        }
        CalendarCommand::Clear { date } => {
            let mut tx = store.begin_write().await?;
            let audit = audit();
            match calendar::clear_day(&mut tx, &audit, *date).await {
                Ok(()) => {}
                Err(StoreError::NotFound) => bail!("{date} has no special status to clear"),
                Err(e) => return Err(e).context("could not clear the day"),
            }
            let moved = recompute(store, &mut tx, &audit, zone).await?;
            tx.commit().await?;
            println!("{date} follows the Monday–Friday rule again{moved}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Moves the running case deadlines the edit changed; the note printed after the edit.
async fn recompute(
    store: &duban_store::Store,
    tx: &mut duban_store::Tx,
    audit: &Audit,
    zone: jiff::tz::TimeZone,
) -> anyhow::Result<String> {
    let moved = duban_web::batch::recompute_deadlines(store, tx, audit, zone)
        .await
        .context("could not recompute case deadlines")?;
    Ok(match moved {
        0 => String::new(),
        n => format!("; {n} case deadline(s) moved"),
    })
}

/// The calendar, with a note on stderr when `day`'s year has no holidays recorded.
async fn load_for(
    store: &duban_store::Store,
    day: Date,
) -> anyhow::Result<duban_core::calendar::Calendar> {
    let mut tx = store
        .begin_read()
        .await
        .context("could not read the calendar")?;
    let cal = calendar::load_calendar(&mut tx)
        .await
        .context("could not read the calendar")?;
    warn_if_unknown_year(&mut tx, day).await?;
    Ok(cal)
}

/// A year with no recorded holidays is almost certainly not loaded yet: say so on stderr.
async fn warn_if_unknown_year(tx: &mut duban_store::Tx, day: Date) -> anyhow::Result<()> {
    let (from, to) = (Date::new(day.year(), 1, 1)?, Date::new(day.year(), 12, 31)?);
    if calendar::list_special_days(tx, from, to).await?.is_empty() {
        eprintln!(
            "note: no holidays are recorded for {}; load its schedule with `duban calendar set`",
            day.year()
        );
    }
    Ok(())
}
