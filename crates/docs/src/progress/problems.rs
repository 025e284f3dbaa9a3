//! What is wrong with a row of a progress sheet, in English (Display) and plain Chinese
//! ([`RowProblemKind::zh`]).

use crate::lists::DueError;
use serde::Serialize;
use std::fmt;

/// One thing wrong in a row; a row can have several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// Excel row number (1-based), as the clerk sees it.
    pub row: u32,
    /// The column's header as written in the sheet, when the problem is in one cell.
    pub column: Option<String>,
    pub kind: RowProblemKind,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum RowProblemKind {
    #[error("the row names no task: fill in 任务编号, or 任务名称 and 牵头单位")]
    MissingTask,
    #[error("本期进展 is empty (a task not reported this time can be deleted from the sheet)")]
    MissingProgress,
    #[error("“{text}” is not a percentage; write 85%")]
    BadPercent { text: String },
    #[error("“{text}” could be 85% or 0.85%; write the % sign")]
    AmbiguousPercent { text: String },
    #[error("“{text}” is not between 0% and 100%")]
    PercentOutOfRange { text: String },
    #[error("“{text}” in 本期无变化 is neither 是 nor 否; write 是 (or √) or leave it blank")]
    UnknownNoChange { text: String },
    #[error("the judgement “{text}” is not one we know (超, 达, 欠 or 已完成)")]
    UnknownPace { text: String },
    #[error("“{text}” is not a date; write 2026-10-28")]
    UnreadableDate { text: String },
    /// A date that does not exist (2026-02-30).
    #[error("the date {0}; write 2026-10-28")]
    BadDate(#[serde(serialize_with = "as_display")] DueError),
}

fn as_display<S: serde::Serializer>(e: &DueError, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(e)
}

impl RowProblemKind {
    /// The message in plain Chinese, for the clerk who fixes the sheet.
    pub fn zh(&self) -> String {
        match self {
            RowProblemKind::MissingTask => {
                "没有写明是哪项任务，请填写任务编号，或任务名称和牵头单位".to_string()
            }
            RowProblemKind::MissingProgress => {
                "没有填写本期进展（本期不报送的任务可从表中删除）".to_string()
            }
            RowProblemKind::BadPercent { text } => {
                format!("完成比例“{text}”不是百分数，请写成“85%”")
            }
            RowProblemKind::AmbiguousPercent { text } => {
                format!("完成比例“{text}”不明确，是85%还是0.85%？请带上百分号填写")
            }
            RowProblemKind::PercentOutOfRange { text } => {
                format!("完成比例“{text}”应在0%到100%之间")
            }
            RowProblemKind::UnknownNoChange { text } => {
                format!("本期无变化“{text}”无法识别，请填“是”（或“√”）或留空")
            }
            RowProblemKind::UnknownPace { text } => {
                format!("序时判断“{text}”无法识别，应为超、达、欠或已完成")
            }
            RowProblemKind::UnreadableDate { text } => {
                format!("日期“{text}”无法识别，请写成“2026-10-28”")
            }
            RowProblemKind::BadDate(e) => format!("日期{}，请写成“2026-10-28”", e.zh()),
        }
    }
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}", self.row)?;
        if let Some(c) = &self.column {
            write!(f, ", column “{c}”")?;
        }
        write!(f, ": {}", self.kind)
    }
}

impl RowProblem {
    /// "第5行“完成比例”列：…"
    pub fn zh(&self) -> String {
        match &self.column {
            Some(c) => format!("第{}行“{c}”列：{}", self.row, self.kind.zh()),
            None => format!("第{}行：{}", self.row, self.kind.zh()),
        }
    }
}
