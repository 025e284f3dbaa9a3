//! Writing problems as a 问题清单 / 整改销号表 .xlsx in the layout [`super::read_problem_list`]
//! reads back as the same rows.
//!
//! Layout: a title banner merged over the columns, the header, one row per problem; the header
//! is frozen and repeated on every printed page (A4 landscape, one page wide). Dates are real
//! date cells; a deadline rule is written as a clerk writes it (15日内, 7个工作日内, 3个月内; a
//! fixed date as a date cell); 配合单位 are joined with "、"; 状态 offers the five labels.

use super::columns::ProblemColumn;
use super::deadline::deadline_zh;
use super::{ProblemRow, ProblemStatus};
use crate::FileError;
use crate::sheet::Styles;
use duban_core::cases::deadline::DeadlineRule;
use jiff::civil::Date;
use rust_xlsxwriter::{DataValidation, Workbook, Worksheet, XlsxError};

const SHEET_NAME: &str = "问题清单";

/// Column widths in characters, in the order of [`ProblemColumn::WRITTEN`].
const WIDTHS: [f64; 15] = [
    6.0, 12.0, 11.0, 32.0, 10.0, 14.0, 16.0, 10.0, 30.0, 12.0, 26.0, 9.0, 16.0, 9.0, 11.0,
];

enum Value {
    Text(String),
    Date(Date),
}

fn values(row: &ProblemRow) -> [Value; 15] {
    let text = |s: &str| Value::Text(s.to_string());
    let date = |d: Option<Date>| d.map_or(Value::Text(String::new()), Value::Date);
    let deadline = match DeadlineRule::parse(&row.deadline) {
        Ok(DeadlineRule::FixedDate { date }) => Value::Date(date),
        Ok(rule) => Value::Text(deadline_zh(rule)),
        Err(_) => text(&row.deadline),
    };
    [
        text(&row.code),
        text(&row.source),
        date(row.found_on),
        text(&row.description),
        text(&row.category),
        text(&row.lead_unit),
        Value::Text(row.co_units.join("、")),
        text(&row.leader),
        text(&row.measures),
        deadline,
        text(&row.progress),
        text(row.status.label_zh()),
        text(&row.evidence),
        text(&row.verifier),
        date(row.closed_on),
    ]
}

/// An .xlsx workbook with one sheet, 问题清单: `title` as the banner, the header, one row per
/// problem.
pub fn write_problem_list_xlsx(title: &str, rows: &[ProblemRow]) -> Result<Vec<u8>, FileError> {
    write(title, rows).map_err(|e| FileError::Write(e.to_string()))
}

fn write(title: &str, rows: &[ProblemRow]) -> Result<Vec<u8>, XlsxError> {
    let last_col = u16::try_from(WIDTHS.len() - 1).expect("15 columns");
    let styles = Styles::new();
    let (base, centred, date_format) = (&styles.base, &styles.centred, &styles.date);

    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET_NAME)?;
    let headers = ProblemColumn::WRITTEN
        .iter()
        .map(|c| c.label_zh())
        .zip(WIDTHS);
    styles.banner_and_header(sheet, title, headers)?;
    for (row, problem) in (2u32..).zip(rows) {
        let values = values(problem);
        sheet.set_row_height(row, row_height(&values))?;
        for ((col, column), value) in (0u16..).zip(ProblemColumn::WRITTEN).zip(values) {
            let short = matches!(
                column,
                ProblemColumn::Code | ProblemColumn::Status | ProblemColumn::Deadline
            );
            let format = if short { centred } else { base };
            match value {
                Value::Text(text) => sheet.write_string_with_format(row, col, text, format)?,
                Value::Date(date) => {
                    sheet.write_datetime_with_format(row, col, date, date_format)?
                }
            };
        }
    }
    let last_row = u32::try_from(rows.len()).map_or(u32::MAX, |n| n + 1).max(1);
    sheet.set_freeze_panes(2, 0)?;
    sheet.autofilter(1, 0, last_row, last_col)?;
    if !rows.is_empty() {
        status_choices(sheet, last_row)?;
    }
    crate::sheet::print::setup(sheet, 1)?;
    workbook.save_to_buffer()
}

/// The height a row needs for its wrapped text, in points ([`crate::sheet::row_height`]).
fn row_height(values: &[Value]) -> f64 {
    let cells = values.iter().zip(WIDTHS).map(|(value, width)| match value {
        Value::Text(text) => (text.as_str(), width),
        Value::Date(_) => ("", width),
    });
    crate::sheet::row_height(cells)
}

/// A drop-down of the five status labels on the 状态 cells of rows 3 … `last_row` + 1.
fn status_choices(sheet: &mut Worksheet, last_row: u32) -> Result<(), XlsxError> {
    let col = (0u16..)
        .zip(ProblemColumn::WRITTEN)
        .find(|(_, c)| *c == ProblemColumn::Status)
        .map(|(i, _)| i)
        .expect("状态 is a written column");
    let labels = ProblemStatus::ALL.map(ProblemStatus::label_zh);
    let choices = DataValidation::new()
        .allow_list_strings(&labels)?
        .set_error_message("请选择：未启动、整改中、待核查、已销号、挂账")?;
    sheet.add_data_validation(2, col, last_row, col, &choices)?;
    Ok(())
}

#[cfg(test)]
mod tests;
