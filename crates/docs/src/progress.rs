//! The monthly progress sheet (月度进展报送表, DOMAIN.md §4.2) as .xlsx: one row per task due in
//! the period, with what was done, how far along it is and how it stands against 序时进度.
//!
//! [`write_progress_sheet`] writes the sheet a unit downloads, pre-filled with its tasks;
//! [`read_progress_sheet`] reads it back as the unit filled it in — the raw text of every
//! recognised cell, the parsed values and every problem found (it never stops at the first).
//! Tasks are named by 任务编号 or by 任务名称 + 牵头单位 as written; matching them to tasks is
//! the web service's job. Bytes in, values out — no database. Header matching, merged cells
//! and dates are read by the same code as the task lists ([`crate::lists`]).

mod columns;
mod problems;
mod read;
mod summary;
mod values;
mod write;

pub use columns::ProgressColumn;
pub use problems::{RowProblem, RowProblemKind};
pub use read::{read_progress_sheet, read_progress_sheet_within};
pub use summary::{SummarySheetRow, write_progress_summary};
pub use values::{PercentError, indicator_actuals, pace_label_zh, parse_percent};
pub use write::write_progress_sheet;

use duban_core::progress::schedule::Pace;
use jiff::civil::Date;
use serde::Serialize;

/// One task's report for the period, as exchanged in the sheet. Texts are trimmed; names are
/// as written.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ProgressSheetRow {
    /// 序号, as written.
    pub seq: String,
    /// 任务编号: the task id or `<unit>/<序号>`, as written.
    pub task_code: String,
    /// 任务名称.
    pub task_name: String,
    /// 牵头单位.
    pub lead_unit: String,
    /// 本期进展: what was done this period.
    pub progress: String,
    /// 累计完成: the total so far, as text (累计投资1.6亿元).
    pub cumulative: String,
    /// 完成比例, in percent (0–100).
    pub percent: Option<f64>,
    /// 本期无变化 marked (是, √), or 本期进展 reading just 无变化: send the task's figures as
    /// they stand.
    pub no_change: bool,
    /// 进度下调说明.
    pub lower_reason: String,
    /// 序时判断: 超 / 达 / 欠 / 已完成. `None` when blank or not measurable (其他, /).
    pub pace: Option<Pace>,
    /// 存在问题及原因.
    pub issues: String,
    /// 下步计划.
    pub next_steps: String,
    /// 需市领导协调事项.
    pub coordination: String,
    /// 佐证材料: a description or file names.
    pub evidence: String,
    /// 填报人.
    pub reporter: String,
    /// 审核人 (the unit's head).
    pub reviewer: String,
    /// 报送日期.
    pub reported_on: Option<Date>,
}

/// A recognised column of the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgressColumnMatch {
    pub column: ProgressColumn,
    /// The header as written (for a two-row header, the sub-header).
    pub header: String,
    /// 0-based column index (A = 0).
    pub index: u32,
}

/// A progress sheet as read from one worksheet.
#[derive(Debug, Clone, Serialize)]
pub struct ProgressSheet {
    pub sheet_name: String,
    /// The first text above the header (the banner, e.g. "2026年重点工作月度进展报送表").
    pub title: Option<String>,
    /// The second text above the header (the writer puts the period there: "2026年10月").
    pub period_label: Option<String>,
    /// Excel row number (1-based) of the header's first row.
    pub header_row: u32,
    pub columns: Vec<ProgressColumnMatch>,
    /// Headers of columns the reader does not use, as written.
    pub ignored_columns: Vec<String>,
    pub rows: Vec<SheetRow>,
}

impl ProgressSheet {
    pub fn problem_count(&self) -> usize {
        self.rows.iter().map(|r| r.problems.len()).sum()
    }
}

/// One row of the sheet: where it is, what is written, what it means and what is wrong.
#[derive(Debug, Clone, Serialize)]
pub struct SheetRow {
    /// Excel row number (1-based).
    pub row: u32,
    /// The text of every recognised column as shown in Excel (merged cells filled in; a number
    /// formatted as a percentage as `85%`).
    pub raw: Vec<(ProgressColumn, String)>,
    /// The values read; a value with a problem is left empty.
    pub parsed: ProgressSheetRow,
    /// Nothing is filled in beyond what the downloaded sheet came with (序号, 任务编号,
    /// 任务名称, 牵头单位): the row reports nothing and has no problems.
    pub untouched: bool,
    pub problems: Vec<RowProblem>,
}

impl SheetRow {
    /// The text of a column as written, or "" when the sheet has no such column.
    pub fn raw(&self, column: ProgressColumn) -> &str {
        self.raw
            .iter()
            .find(|(c, _)| *c == column)
            .map_or("", |(_, t)| t)
    }
}
