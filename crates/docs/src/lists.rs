//! Annual task lists (重点工作任务清单, DOMAIN.md §4.1) as .xlsx and .csv.
//!
//! [`read_task_list`] turns a unit's sheet into rows: the raw text of every recognised cell,
//! the parsed values, and every problem found (it never stops at the first). Unit and leader
//! names stay as written; the web service resolves them with `duban_core::lists::names`.
//! [`write_task_list_xlsx`] writes the same layout back, so an export imports as the same tasks;
//! [`write_task_list_csv`] writes the same columns. Bytes in, values out — no database.

mod codes;
pub(crate) mod columns;
pub(crate) mod due;
pub(crate) mod grid;
mod milestones;
mod numbers;
mod problems;
pub(crate) mod read;
pub(crate) mod units;
pub(crate) mod write;

pub use columns::{Column, InfoColumn};
pub use due::{DueError, parse_due};
pub use milestones::{format_milestone, parse_milestone_lines};
pub(crate) use numbers::values_in_text;
pub use numbers::{format_indicator, format_number, parse_indicator_list, parse_number};
pub use problems::{Problem, ProblemKind};
pub use write::{ExportRow, write_task_list_csv, write_task_list_xlsx};

use crate::sheet::read::first_sheet_with_header;
use duban_core::lists::{Due, Indicator, ListKind, Milestone};
use serde::Serialize;

pub use crate::sheet::limits::MAX_FILE_BYTES;

/// Why a file could not be read at all (row problems are [`Problem`]s instead).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file is {bytes} bytes; at most {max} bytes are accepted")]
    TooLarge { bytes: usize, max: usize },
    #[error("the file is not a readable .xlsx workbook: {0}")]
    NotXlsx(String),
    /// A file we do not read (CSV, WPS .et, encrypted), found by its content.
    #[error("this is {}; please save it as .xlsx and upload it again", found.en())]
    SaveAsXlsx { found: crate::sheet::format::Found },
    #[error("no sheet has a task-list header in its first rows (looked at: {})", sheets.join(", "))]
    NoHeader { sheets: Vec<String> },
    #[error("the header has no column for: {}", .0.join(", "))]
    MissingColumns(Vec<String>),
    #[error("no sheet has a problem-list header in its first rows (looked at: {})", sheets.join(", "))]
    NoProblemListHeader { sheets: Vec<String> },
    #[error("no sheet has a progress-sheet header in its first rows (looked at: {})", sheets.join(", "))]
    NoProgressSheetHeader { sheets: Vec<String> },
    #[error("no sheet has a duty-list header in its first rows, such as 事项名称 and 责任部门 (looked at: {})", sheets.join(", "))]
    NoDutyListHeader { sheets: Vec<String> },
    #[error("no sheet has a hand-out sheet header in its first rows, such as 案由 and 领衔代表 (looked at: {})", sheets.join(", "))]
    NoHandoutHeader { sheets: Vec<String> },
    /// The file goes past one of the bounds readers work within ([`crate::Limits`]).
    #[error("the file is refused: {0}")]
    OverLimit(#[from] crate::Limit),
    /// Writing a workbook or document failed (a limit of the format, e.g. a too long cell).
    #[error("the file could not be written: {0}")]
    Write(String),
}

impl FileError {
    /// The message in plain Chinese.
    pub fn zh(&self) -> String {
        match self {
            FileError::TooLarge { max, .. } => {
                format!("文件太大，不能超过{}MB", max / (1024 * 1024))
            }
            FileError::NotXlsx(_) => "文件不是可读取的Excel（.xlsx）文件".to_string(),
            FileError::SaveAsXlsx { found } => {
                format!("这是{}，请另存为 .xlsx 后上传", found.zh())
            }
            FileError::NoHeader { sheets } => format!(
                "在工作表{}的前几行中没有找到表头（如“序号”“任务名称”“牵头单位”）",
                sheets.join("、")
            ),
            FileError::MissingColumns(cols) => format!("表头缺少列：{}", cols.join("、")),
            FileError::NoProblemListHeader { sheets } => format!(
                "在工作表{}的前几行中没有找到问题清单表头（如“序号”“问题描述”“责任单位”）",
                sheets.join("、")
            ),
            FileError::NoProgressSheetHeader { sheets } => format!(
                "在工作表{}的前几行中没有找到月度进展报送表表头（如“任务编号”“任务名称”“本期进展”“完成比例”）",
                sheets.join("、")
            ),
            FileError::NoDutyListHeader { sheets } => format!(
                "在工作表{}的前几行中没有找到责任清单表头（如“事项名称”“责任部门”）",
                sheets.join("、")
            ),
            FileError::NoHandoutHeader { sheets } => format!(
                "在工作表{}的前几行中没有找到建议提案交办表表头（如“标题（案由）”“领衔代表/提案者”）",
                sheets.join("、")
            ),
            FileError::OverLimit(limit) => format!("文件超出读取限制：{}", limit.zh()),
            FileError::Write(_) => "生成文件失败".to_string(),
        }
    }
}

/// A recognised column of the sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnMatch {
    pub column: Column,
    /// The header as written (for a two-row header, the sub-header).
    pub header: String,
    /// 0-based column index (A = 0).
    pub index: u32,
}

/// A task list as read from one worksheet.
#[derive(Debug, Clone, Serialize)]
pub struct TaskSheet {
    pub sheet_name: String,
    /// Excel row number (1-based) of the header's first row.
    pub header_row: u32,
    pub columns: Vec<ColumnMatch>,
    /// Headers of columns the reader does not use, as written.
    pub ignored_columns: Vec<String>,
    pub rows: Vec<TaskRow>,
}

impl TaskSheet {
    pub fn problem_count(&self) -> usize {
        self.rows.iter().map(|r| r.problems.len()).sum()
    }
}

/// One task row: raw cell texts, parsed values, and its problems. Text values are trimmed;
/// names are as written (titles such as 副市长 included).
#[derive(Debug, Clone, Serialize)]
pub struct TaskRow {
    /// Excel row number (1-based).
    pub row: u32,
    /// The text of every recognised column, as written (merged cells filled in).
    pub raw: Vec<(Column, String)>,
    pub code_text: String,
    /// Dotted path in the decomposition tree: "1", "1.1", "1.1.2".
    pub path: String,
    pub parent_path: Option<String>,
    pub campaign: String,
    pub list_kind: Option<ListKind>,
    pub title: String,
    pub content: String,
    pub annual_target: String,
    pub indicators: Vec<Indicator>,
    pub milestones: Vec<Milestone>,
    pub lead_leader: String,
    pub lead_unit: String,
    pub co_units: Vec<String>,
    pub section: String,
    pub post: String,
    pub person: String,
    pub contact: String,
    pub due: Option<Due>,
    pub weight: Option<f64>,
    pub remark: String,
    /// Columns left blank here and taken from the parent row.
    pub inherited: Vec<Column>,
    pub problems: Vec<Problem>,
}

/// Reads the first worksheet whose header (in its top 15 rows) names a title column.
/// `year` is the list's year: dates written without one (6月底) and quarter columns fall in it.
/// Headers without a title column give [`FileError::MissingColumns`]; no header at all
/// [`FileError::NoHeader`].
pub fn read_task_list(bytes: &[u8], year: i16) -> Result<TaskSheet, FileError> {
    read_task_list_within(bytes, year, &crate::Limits::default())
}

/// [`read_task_list`] within `limits` ([`FileError::OverLimit`] past them).
pub fn read_task_list_within(
    bytes: &[u8],
    year: i16,
    limits: &crate::Limits,
) -> Result<TaskSheet, FileError> {
    let found = first_sheet_with_header(
        bytes,
        limits,
        grid::find_header,
        |header| match header.find(Column::Title) {
            Some(_) => Vec::new(),
            None => vec![Column::Title.label_zh().to_string()],
        },
        |sheets| FileError::NoHeader { sheets },
    )?;
    Ok(read::read_rows(
        &found.name,
        &found.grid,
        &found.header,
        year,
    ))
}
