//! `duban import …`: load spreadsheets into the database from the command line, with the
//! same checks as the upload page (`duban_web::batch`). Every problem of a sheet is printed at
//! once and nothing is written until the sheet is clean.

use crate::config::{Config, Db};
use anyhow::{Context, bail};
use duban_web::batch::{ImportProblem, ImportSummary};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Larger files are refused before they are read, as on the upload page
/// (`duban_docs::lists::MAX_FILE_BYTES`).
const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

#[derive(Debug, clap::Subcommand)]
pub enum ImportCommand {
    /// Import a task list (重点工作任务清单) from an .xlsx file
    #[command(
        long_about = "Import a task list (重点工作任务清单) from an .xlsx file, as the \
        upload page does, with the supervision office's rights.\n\n\
        The header is found in the first rows of the first sheet that has one; columns are \
        matched by their names (序号, 任务名称, 牵头单位, 完成时限 …), so a unit's own layout \
        usually works. Units, leaders, campaigns, sections and people are looked up by name \
        and must exist. A row whose unit and 序号 match an existing task of the year updates \
        it (a submitted or approved task is refused: change it by an adjustment request); \
        other rows create tasks. 状态 and 完成率 are not imported.\n\n\
        All rows are checked first. If any has a problem, every problem is printed with its \
        row number and column, nothing is written, and the exit code is 1. Otherwise all \
        rows are written in one transaction. A unit's export (`duban export tasks --unit \
        CODE`) imports back as the same tasks.",
        after_help = "Examples:\n  duban import tasks 市交通局.xlsx --dry-run\n  \
        duban import tasks 市交通局.xlsx --year 2026 --kind project"
    )]
    Tasks(ImportTasksArgs),
}

#[derive(Debug, clap::Args)]
pub struct ImportTasksArgs {
    /// The .xlsx file (at most 10 MB)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The year of the list [default: the current year in the configured time zone]
    #[arg(long, value_parser = clap::value_parser!(i16).range(2000..=2100))]
    pub year: Option<i16>,
    /// The list kind of rows whose sheet has no 清单类别 column
    #[arg(long, value_parser = ["work", "project", "policy", "responsibility"])]
    pub kind: Option<String>,
    /// Check the sheet and print what would happen, without writing anything
    #[arg(long)]
    pub dry_run: bool,
    /// Language of the problem messages
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,
}

/// The language problems are printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// 中文: 第12行【完成时限】…
    Zh,
    /// English: row 12 [完成时限]: …
    En,
}

pub async fn run(config: &Config, cmd: &ImportCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ImportCommand::Tasks(args) => tasks(config, args).await,
    }
}

async fn tasks(config: &Config, args: &ImportTasksArgs) -> anyhow::Result<ExitCode> {
    let bytes = read_file(&args.file)?;
    let year = args.year.unwrap_or_else(|| super::this_year(config));
    let store = super::open_existing(config, &config.database(Db::Main), "import into").await?;
    let bar = progress_bar();
    let started = Instant::now();
    let result = duban_web::batch::import_tasks(
        &store,
        &bytes,
        year,
        args.kind.as_deref(),
        args.dry_run,
        config.now(),
        &config.web().sheets,
        |done, total| {
            if bar.length() != Some(total as u64) {
                bar.set_style(bar_style());
                bar.set_length(total as u64);
            }
            bar.set_position(done as u64);
        },
    )
    .await;
    bar.finish_and_clear();
    store.close().await;
    let summary = result.with_context(|| format!("could not import {}", args.file.display()))?;
    let elapsed = started.elapsed();
    tracing::info!(
        import.sheet = %summary.sheet,
        import.rows = summary.rows,
        import.created = summary.created,
        import.updated = summary.updated,
        import.problems = summary.problems.len(),
        import.committed = summary.committed,
        duration_ms = elapsed.as_millis() as u64,
        "task list import finished"
    );
    Ok(report(&summary, args, year, elapsed))
}

/// The file's bytes, refusing anything over [`MAX_FILE_BYTES`] before reading it.
fn read_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("could not read {}", path.display()))?;
    if !meta.is_file() {
        bail!("{} is not a file", path.display());
    }
    if meta.len() > MAX_FILE_BYTES {
        bail!(
            "{} is {:.1} MB; task lists over {} MB are refused (split the sheet by unit)",
            path.display(),
            meta.len() as f64 / (1024.0 * 1024.0),
            MAX_FILE_BYTES / (1024 * 1024)
        );
    }
    std::fs::read(path).with_context(|| format!("could not read {}", path.display()))
}

/// A spinner while the sheet is checked, turned into a bar once rows are written. Drawn on
/// stderr only when it is a terminal, so logs and pipes stay clean.
fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
        .with_message("checking the sheet…");
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("writing rows {wide_bar} {pos}/{len} ({eta})")
        .expect("the template is valid")
}

/// Prints the outcome and returns the exit code: 1 when the sheet has problems.
fn report(summary: &ImportSummary, args: &ImportTasksArgs, year: i16, took: Duration) -> ExitCode {
    let file = args.file.display();
    if !summary.problems.is_empty() {
        for p in &summary.problems {
            println!("{}", problem_line(p, args.lang));
        }
        println!(
            "{n} problem{s} in sheet {sheet} of {file} ({rows} rows): nothing was written",
            n = summary.problems.len(),
            s = if summary.problems.len() == 1 { "" } else { "s" },
            sheet = summary.sheet,
            rows = summary.rows,
        );
        return ExitCode::FAILURE;
    }
    if args.dry_run {
        println!(
            "dry run: sheet {} of {file} has {} rows and no problems; importing it into {year} \
             would create {} tasks and update {} ({} unchanged). Nothing was written.",
            summary.sheet, summary.rows, summary.created, summary.updated, summary.unchanged
        );
    } else {
        println!(
            "imported sheet {} of {file} into {year}: {} rows, {} created, {} updated, {} \
             unchanged ({:.1} s)",
            summary.sheet,
            summary.rows,
            summary.created,
            summary.updated,
            summary.unchanged,
            took.as_secs_f64()
        );
    }
    ExitCode::SUCCESS
}

/// `第12行【完成时限】…` or `row 12 [完成时限]: …` (the column as its header is written).
fn problem_line(p: &ImportProblem, lang: Lang) -> String {
    match (lang, &p.column) {
        (Lang::Zh, Some(col)) => format!("第{}行【{col}】{}", p.row, p.message_zh),
        (Lang::Zh, None) => format!("第{}行：{}", p.row, p.message_zh),
        (Lang::En, Some(col)) => format!("row {} [{col}]: {}", p.row, p.message_en),
        (Lang::En, None) => format!("row {}: {}", p.row, p.message_en),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn due_problem() -> ImportProblem {
        ImportProblem {
            row: 12,
            column: Some("完成时限".into()),
            message_zh: "完成时限“2026年2月30日”不是有效日期".into(),
            message_en: "完成时限 “2026年2月30日” is not a valid date".into(),
        }
    }

    #[test]
    fn a_problem_names_its_row_and_column_in_chinese_by_default() {
        assert_eq!(
            problem_line(&due_problem(), Lang::Zh),
            "第12行【完成时限】完成时限“2026年2月30日”不是有效日期"
        );
    }

    #[test]
    fn a_problem_in_english_keeps_the_header_as_written() {
        assert_eq!(
            problem_line(&due_problem(), Lang::En),
            "row 12 [完成时限]: 完成时限 “2026年2月30日” is not a valid date"
        );
    }

    #[test]
    fn a_problem_without_a_column_names_only_the_row() {
        let p = ImportProblem {
            column: None,
            ..due_problem()
        };
        assert_eq!(
            problem_line(&p, Lang::Zh),
            "第12行：完成时限“2026年2月30日”不是有效日期"
        );
    }
}
