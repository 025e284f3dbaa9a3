//! What is wrong with a row of a task list, in English (Display) and plain Chinese ([`ProblemKind::zh`]).

use super::due::DueError;
use jiff::civil::Date;
use serde::Serialize;
use std::fmt;

/// One problem found in a row; a row can have several.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// Excel row number (1-based), as the clerk sees it.
    pub row: u32,
    /// The column's header as written in the sheet, when the problem is in one cell.
    pub column: Option<String>,
    pub kind: ProblemKind,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    #[error("the task has no title")]
    MissingTitle,
    #[error("no lead unit is given, here or in the parent task")]
    MissingLeadUnit,
    #[error("no deadline is given, here or in the parent task")]
    MissingDeadline,
    #[error("deadline {0}")]
    BadDeadline(#[serde(serialize_with = "as_display")] DueError),
    #[error("“{text}” is not a list kind (工作清单, 项目清单, 政策清单 or 责任清单)")]
    UnknownListKind { text: String },
    #[error("the weight “{text}” is not a number")]
    BadWeight { text: String },
    #[error("the code {path} is already used in row {first_row}")]
    DuplicateCode { path: String, first_row: u32 },
    #[error("the code “{text}” is not a code we understand (1, 1.1, 一、, （一）, 1、 …)")]
    BadCode { text: String },
    #[error("the parent task {parent} is not in the sheet")]
    MissingParent { parent: String },
    #[error("the milestone of {milestone} is after the deadline {deadline}")]
    MilestoneAfterDeadline { milestone: Date, deadline: Date },
    #[error("the milestone line “{text}” cannot be read (write 2026-06-30：text)")]
    BadMilestone { text: String },
    #[error("the indicator “{text}” cannot be read (write 投资：5亿元)")]
    BadIndicator { text: String },
}

fn as_display<S: serde::Serializer>(e: &DueError, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(e)
}

impl ProblemKind {
    /// The message in plain Chinese, for the clerk who fixes the sheet.
    pub fn zh(&self) -> String {
        match self {
            ProblemKind::MissingTitle => "没有填写任务名称".to_string(),
            ProblemKind::MissingLeadUnit => "没有填写牵头单位（上级任务也没有）".to_string(),
            ProblemKind::MissingDeadline => "没有填写完成时限（上级任务也没有）".to_string(),
            ProblemKind::BadDeadline(e) => format!("完成时限{}", e.zh()),
            ProblemKind::UnknownListKind { text } => {
                format!("清单类别“{text}”无法识别，应为工作清单、项目清单、政策清单或责任清单")
            }
            ProblemKind::BadWeight { text } => format!("权重“{text}”不是数字"),
            ProblemKind::DuplicateCode { path, first_row } => {
                format!("序号{path}与第{first_row}行重复")
            }
            ProblemKind::BadCode { text } => {
                format!("序号“{text}”无法识别，请写成1、1.1、一、（一）等形式")
            }
            ProblemKind::MissingParent { parent } => {
                format!("表中没有上级任务（序号{parent}）")
            }
            ProblemKind::MilestoneAfterDeadline {
                milestone,
                deadline,
            } => format!("节点时间{milestone}晚于完成时限{deadline}"),
            ProblemKind::BadMilestone { text } => {
                format!("节点目标“{text}”无法识别，请每行写一个节点，如“2026-06-30：完成桩基施工”")
            }
            ProblemKind::BadIndicator { text } => {
                format!("量化指标“{text}”无法识别，请写成“投资：5亿元”等形式")
            }
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}", self.row)?;
        if let Some(c) = &self.column {
            write!(f, ", column “{c}”")?;
        }
        write!(f, ": {}", self.kind)
    }
}

impl Problem {
    /// "第5行“完成时限”列：…"
    pub fn zh(&self) -> String {
        match &self.column {
            Some(c) => format!("第{}行“{c}”列：{}", self.row, self.kind.zh()),
            None => format!("第{}行：{}", self.row, self.kind.zh()),
        }
    }
}
