//! Problem lists (问题清单 / 整改销号表, DOMAIN.md §4.4) as .xlsx: one row per problem found,
//! with its 整改 measures, deadline, status and the 销号 (close-out) facts.
//!
//! [`read_problem_list`] turns a sheet as units fill it in into [`ProblemRow`]s, each with its
//! Excel row, the raw text of every recognised cell and every problem found (it never stops at
//! the first); [`write_problem_list_xlsx`] writes the layout it reads back as the same rows.
//! Unit and leader names stay as written; matching them to ids is the web service's job.
//! Bytes in, values out — no database. Header matching, merged cells, dates and unit lists
//! are read by the same code as the task lists ([`crate::lists`]).

mod columns;
mod deadline;
mod problems;
mod read;
mod status;
mod write;

pub use columns::ProblemColumn;
pub use deadline::{DateTextError, deadline_zh, parse_deadline};
pub use problems::{RowProblem, RowProblemKind};
pub use read::{read_problem_list, read_problem_list_within};
pub use status::ProblemStatus;
pub use write::write_problem_list_xlsx;

use jiff::civil::Date;
use serde::Serialize;

/// One problem of the list (问题), as exchanged in the sheet. Texts are trimmed; names are as
/// written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProblemRow {
    /// 序号, as written.
    pub code: String,
    /// 问题来源: inspection, 12345, deputy, media … (free text).
    pub source: String,
    /// 发现时间.
    pub found_on: Option<Date>,
    /// 问题描述.
    pub description: String,
    /// 问题类别 (free text).
    pub category: String,
    /// 责任单位: the unit that owns the 整改.
    pub lead_unit: String,
    /// 配合单位.
    pub co_units: Vec<String>,
    /// 责任领导.
    pub leader: String,
    /// 整改措施.
    pub measures: String,
    /// 整改时限 in the stored rule form read by `duban_core::cases::deadline::DeadlineRule`:
    /// `2026-06-30`, `15d`, `7wd` or `3m`. The reader always gives that form (empty when the
    /// cell is blank or unreadable); the writer also accepts other text and writes it as is.
    pub deadline: String,
    /// 整改进展.
    pub progress: String,
    /// 状态.
    pub status: ProblemStatus,
    /// 佐证材料: a description or file names (free text).
    pub evidence: String,
    /// 核查人.
    pub verifier: String,
    /// 销号日期.
    pub closed_on: Option<Date>,
}

/// A recognised column of the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProblemColumnMatch {
    pub column: ProblemColumn,
    /// The header as written (for a two-row header, the sub-header).
    pub header: String,
    /// 0-based column index (A = 0).
    pub index: u32,
}

/// A problem list as read from one worksheet.
#[derive(Debug, Clone, Serialize)]
pub struct ProblemSheet {
    pub sheet_name: String,
    /// The first text above the header (the banner, e.g. "2026年环保督察反馈问题整改销号表").
    pub title: Option<String>,
    /// The year named in the rows above the header; dates written without a year fall in it.
    pub year: Option<i16>,
    /// Excel row number (1-based) of the header's first row.
    pub header_row: u32,
    pub columns: Vec<ProblemColumnMatch>,
    /// Headers of columns the reader does not use, as written.
    pub ignored_columns: Vec<String>,
    pub rows: Vec<SheetRow>,
}

impl ProblemSheet {
    pub fn problem_count(&self) -> usize {
        self.rows.iter().map(|r| r.problems.len()).sum()
    }
}

/// One row of the sheet: where it is, what is written, what it means and what is wrong.
#[derive(Debug, Clone, Serialize)]
pub struct SheetRow {
    /// Excel row number (1-based).
    pub row: u32,
    /// The text of every recognised column, as written (merged cells filled in).
    pub raw: Vec<(ProblemColumn, String)>,
    /// The values read; a value with a problem is left empty (or at its default).
    pub parsed: ProblemRow,
    pub problems: Vec<RowProblem>,
}

impl SheetRow {
    /// The text of a column as written, or "" when the sheet has no such column.
    pub fn raw(&self, column: ProblemColumn) -> &str {
        self.raw
            .iter()
            .find(|(c, _)| *c == column)
            .map_or("", |(_, t)| t)
    }
}
