//! `duban export …`: write lists from the database to files, in the layout `duban import`
//! reads back (`duban_web::batch`).

use crate::config::{Config, Db};
use anyhow::{Context, bail};
use duban_web::batch::ExportFilter;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum ExportCommand {
    /// Export a year's tasks to an .xlsx or .csv file
    #[command(
        long_about = "Export a year's tasks, all of them or those matching the filters, to \
        an .xlsx or .csv file, with the supervision office's rights.\n\n\
        The .xlsx has one sheet, 任务清单: a title row, the header (序号, 攻坚行动, 清单类别, \
        任务名称, 目标内容, 量化指标, 节点目标, 牵头市领导, 牵头单位, 配合单位, 责任科室, 责任岗位, \
        责任人, 完成时限, 权重, 状态, 完成率) and one row per task, parents before their \
        sub-tasks. A unit's export (--unit) imports back as the same tasks with `duban \
        import tasks`; 状态 and 完成率 are for reading only. The CSV has the same columns.\n\n\
        Prints `wrote N tasks to FILE`; with --out - the file goes to stdout and that line to \
        stderr.",
        after_help = "Examples:\n  duban export tasks --unit jxj --out 市经信局.xlsx\n  \
        duban export tasks --year 2026 --state approved --format csv --out - | less"
    )]
    Tasks(ExportTasksArgs),
}

#[derive(Debug, clap::Args)]
pub struct ExportTasksArgs {
    /// The year of the lists [default: the current year in the configured time zone]
    #[arg(long, value_parser = clap::value_parser!(i16).range(2000..=2100))]
    pub year: Option<i16>,
    /// Only tasks led by the unit with this code (e.g. jxj)
    #[arg(long, value_name = "CODE")]
    pub unit: Option<String>,
    /// Only tasks of the year's campaign (攻坚行动) with this code
    #[arg(long, value_name = "CODE")]
    pub campaign: Option<String>,
    /// Only tasks of this list kind
    #[arg(long, value_parser = ["work", "project", "policy", "responsibility"])]
    pub kind: Option<String>,
    /// Only tasks in this state
    #[arg(long, value_parser = ["draft", "submitted", "returned", "approved"])]
    pub state: Option<String>,
    /// File format [default: from the extension of --out; xlsx when it is neither]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to this file (replaced if it exists); `-` writes to stdout
    #[arg(long, short, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Xlsx,
    Csv,
}

pub async fn run(config: &Config, cmd: &ExportCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ExportCommand::Tasks(args) => tasks(config, args).await,
    }
}

async fn tasks(config: &Config, args: &ExportTasksArgs) -> anyhow::Result<ExitCode> {
    let to_stdout = args.out.as_os_str() == "-";
    let format = args.format.unwrap_or_else(|| format_of(&args.out));
    if to_stdout && format == Format::Xlsx && std::io::stdout().is_terminal() {
        bail!("an .xlsx file would garble the terminal: redirect stdout or use --format csv");
    }
    let filter = ExportFilter {
        year: args.year.unwrap_or_else(|| super::this_year(config)),
        unit_code: args.unit.clone(),
        campaign_code: args.campaign.clone(),
        kind: args.kind.clone(),
        state: args.state.clone(),
    };
    let store = super::open_existing(config, &config.database(Db::Main), "export").await?;
    let result = duban_web::batch::export_tasks(&store, &filter, format == Format::Csv).await;
    store.close().await;
    let (bytes, count) = result.context("could not export the tasks")?;
    if to_stdout {
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes)
            .and_then(|()| out.flush())
            .context("could not write to stdout")?;
        eprintln!("wrote {count} tasks to stdout");
    } else {
        std::fs::write(&args.out, &bytes)
            .with_context(|| format!("could not write {}", args.out.display()))?;
        println!("wrote {count} tasks to {}", args.out.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `.csv` means CSV; anything else, .xlsx.
fn format_of(path: &Path) -> Format {
    match path.extension() {
        Some(ext) if ext.eq_ignore_ascii_case("csv") => Format::Csv,
        _ => Format::Xlsx,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_follows_the_extension_and_defaults_to_xlsx() {
        assert_eq!(format_of(Path::new("a.csv")), Format::Csv);
        assert_eq!(format_of(Path::new("A.CSV")), Format::Csv);
        assert_eq!(format_of(Path::new("a.xlsx")), Format::Xlsx);
        assert_eq!(format_of(Path::new("清单")), Format::Xlsx);
        assert_eq!(format_of(Path::new("-")), Format::Xlsx);
    }
}
