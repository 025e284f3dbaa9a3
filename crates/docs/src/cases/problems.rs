//! What is wrong with a row of a problem list, in English (Display) and plain Chinese
//! ([`RowProblemKind::zh`]). Called `RowProblem` because in this module a "problem" is
//! first of all the 问题 the row describes.

use super::deadline::DateTextError;
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
    #[error("the problem has no description")]
    MissingDescription,
    #[error("no responsible unit is given")]
    MissingLeadUnit,
    #[error("the status “{text}” is not one we know (未启动, 整改中, 待核查, 已销号 or 挂账)")]
    UnknownStatus { text: String },
    #[error("the deadline {0}; write 2026-06-30, 15日, 7个工作日 or 3个月")]
    BadDeadline(#[serde(serialize_with = "as_display")] DateTextError),
    #[error("the date {0}; write 2026-06-30")]
    BadDate(#[serde(serialize_with = "as_display")] DateTextError),
}

fn as_display<S: serde::Serializer>(e: &DateTextError, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(e)
}

impl RowProblemKind {
    /// The message in plain Chinese, for the clerk who fixes the sheet.
    pub fn zh(&self) -> String {
        match self {
            RowProblemKind::MissingDescription => "没有填写问题描述".to_string(),
            RowProblemKind::MissingLeadUnit => "没有填写责任单位".to_string(),
            RowProblemKind::UnknownStatus { text } => {
                format!("状态“{text}”无法识别，应为未启动、整改中、待核查、已销号或挂账")
            }
            RowProblemKind::BadDeadline(e) => format!(
                "整改时限{}，请写成“2026-06-30”“15日”“7个工作日”或“3个月”等形式",
                e.zh()
            ),
            RowProblemKind::BadDate(e) => format!("日期{}，请写成“2026-06-30”", e.zh()),
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
    /// "第5行“整改时限”列：…"
    pub fn zh(&self) -> String {
        match &self.column {
            Some(c) => format!("第{}行“{c}”列：{}", self.row, self.kind.zh()),
            None => format!("第{}行：{}", self.row, self.kind.zh()),
        }
    }
}
