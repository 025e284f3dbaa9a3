//! Writing tasks as a task list: .xlsx in the layout [`super::read_task_list`] reads back as
//! the same tasks, and .csv with the same columns.
//!
//! Deadlines are real date cells (or the cadence word, 每月 …); 量化指标 holds one indicator per
//! line ("投资：5亿元"); 节点目标 one milestone per line in the format of
//! [`super::milestones`]; 配合单位 are joined with "、". 状态 and 完成率 are for reading only.

use super::milestones::format_milestone;
use super::numbers::{format_indicator, format_number};
use crate::sheet::Styles;
use duban_core::lists::{Due, Indicator, ListKind, Milestone};
use jiff::civil::Date;
use rust_xlsxwriter::{Workbook, XlsxError};

/// A task as it is exported.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    /// Dotted path, written as 序号: "1", "1.1".
    pub path: String,
    pub campaign: String,
    pub list_kind: ListKind,
    pub title: String,
    pub content: String,
    pub indicators: Vec<Indicator>,
    pub milestones: Vec<Milestone>,
    pub lead_leader: String,
    pub lead_unit: String,
    pub co_units: Vec<String>,
    pub section: String,
    pub post: String,
    pub person: String,
    pub due: Due,
    pub weight: f64,
    /// The task state's display label (informational).
    pub state: String,
    /// Percent complete, 0–100 (informational).
    pub progress: Option<f64>,
}

/// The exported columns, their headers and widths (in characters).
const COLUMNS: [(&str, f64); 17] = [
    ("序号", 8.0),
    ("攻坚行动", 14.0),
    ("清单类别", 10.0),
    ("任务名称", 30.0),
    ("目标内容", 40.0),
    ("量化指标", 20.0),
    ("节点目标", 40.0),
    ("牵头市领导", 12.0),
    ("牵头单位", 16.0),
    ("配合单位", 24.0),
    ("责任科室", 12.0),
    ("责任岗位", 12.0),
    ("责任人", 10.0),
    ("完成时限", 12.0),
    ("权重", 8.0),
    ("状态", 10.0),
    ("完成率", 10.0),
];

const SHEET_NAME: &str = "任务清单";

enum Value {
    Text(String),
    Date(Date),
    Number(f64),
}

fn values(row: &ExportRow) -> [Value; 17] {
    let lines = |items: Vec<String>| Value::Text(items.join("\n"));
    [
        Value::Text(row.path.clone()),
        Value::Text(row.campaign.clone()),
        Value::Text(row.list_kind.label_zh().to_string()),
        Value::Text(row.title.clone()),
        Value::Text(row.content.clone()),
        lines(row.indicators.iter().map(format_indicator).collect()),
        lines(
            row.milestones
                .iter()
                .map(|m| format_milestone(m, &row.indicators))
                .collect(),
        ),
        Value::Text(row.lead_leader.clone()),
        Value::Text(row.lead_unit.clone()),
        Value::Text(row.co_units.join("、")),
        Value::Text(row.section.clone()),
        Value::Text(row.post.clone()),
        Value::Text(row.person.clone()),
        match row.due {
            Due::By { date } => Value::Date(date),
            Due::Ongoing { cadence } => Value::Text(cadence.label_zh().to_string()),
        },
        Value::Number(row.weight),
        Value::Text(row.state.clone()),
        Value::Text(
            row.progress
                .map(|p| format!("{}%", format_number(p)))
                .unwrap_or_default(),
        ),
    ]
}

/// An .xlsx workbook with one sheet, 任务清单: a title banner, the header, one row per task.
pub fn write_task_list_xlsx(title: &str, rows: &[ExportRow]) -> Result<Vec<u8>, XlsxError> {
    let last_col = u16::try_from(COLUMNS.len() - 1).expect("17 columns");
    let styles = Styles::new();
    let (base, date_format, number_format) = (&styles.base, &styles.date, &styles.centred);

    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET_NAME)?;
    styles.banner_and_header(sheet, title, COLUMNS)?;
    for (row, task) in (2u32..).zip(rows) {
        for (col, value) in (0u16..).zip(values(task)) {
            match value {
                Value::Text(text) => sheet.write_string_with_format(row, col, text, base)?,
                Value::Date(date) => {
                    sheet.write_datetime_with_format(row, col, date, date_format)?
                }
                Value::Number(n) => sheet.write_number_with_format(row, col, n, number_format)?,
            };
        }
    }
    sheet.set_freeze_panes(2, 0)?;
    let last_row = u32::try_from(rows.len()).map_or(u32::MAX, |n| n + 1);
    sheet.autofilter(1, 0, last_row.max(1), last_col)?;
    crate::sheet::print::setup(sheet, 1)?;
    workbook.save_to_buffer()
}

/// The same columns as CSV, UTF-8 with a byte-order mark so Excel and WPS show the Chinese.
pub fn write_task_list_csv(rows: &[ExportRow]) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let record_error = "writing CSV to memory cannot fail";
    out.write_record(COLUMNS.iter().map(|(name, _)| *name))
        .expect(record_error);
    for row in rows {
        let fields = values(row).map(|v| match v {
            Value::Text(text) => text,
            Value::Date(date) => date.to_string(),
            Value::Number(n) => format_number(n),
        });
        out.write_record(fields).expect(record_error);
    }
    out.into_inner().expect(record_error)
}

#[cfg(test)]
mod tests;
