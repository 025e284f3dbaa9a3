//! Writing a 月度进展报送表 .xlsx in the layout [`super::read_progress_sheet`] reads back as the
//! same rows: the sheet a unit downloads pre-filled with its tasks of the period.
//!
//! Layout: the title and the period merged over the columns, the header (frozen, repeated on
//! every printed page, A4 landscape one page wide), one row per task. 完成比例 is a number
//! formatted as a percentage, also where still blank, so a clerk who types 85 gets 85%;
//! 序时判断 offers 超 / 达 / 欠 / 已完成; 本期无变化 offers 是; 报送日期 is a real date cell.
//! A row left as downloaded is skipped on upload.

use super::ProgressSheetRow;
use super::columns::ProgressColumn;
use super::values::pace_label_zh;
use crate::FileError;
use crate::sheet::{Styles, row_height};
use duban_core::progress::schedule::Pace;
use rust_xlsxwriter::{DataValidation, Format, Workbook, Worksheet, XlsxError};

const SHEET_NAME: &str = "月度进展";
/// The header is the third row (0-based 2): title, period, header.
const HEADER_ROW: u32 = 2;

/// Column widths in characters, in the order of [`ProgressColumn::WRITTEN`].
const WIDTHS: [f64; 17] = [
    6.0, 12.0, 24.0, 12.0, 8.0, 36.0, 20.0, 9.0, 16.0, 10.0, 24.0, 24.0, 18.0, 14.0, 8.0, 11.0,
    11.0,
];

/// An .xlsx workbook with one sheet, 月度进展: `title` and `period_label` (2026年10月) as the
/// banner, the header, one row per task. Blank values stay blank for the unit to fill in.
pub fn write_progress_sheet(
    title: &str,
    period_label: &str,
    rows: &[ProgressSheetRow],
) -> Result<Vec<u8>, FileError> {
    write(title, period_label, rows).map_err(|e| FileError::Write(e.to_string()))
}

fn texts(row: &ProgressSheetRow) -> [&str; 17] {
    [
        &row.seq,
        &row.task_code,
        &row.task_name,
        &row.lead_unit,
        if row.no_change { "是" } else { "" },
        &row.progress,
        &row.cumulative,
        "",
        &row.lower_reason,
        row.pace.map_or("", pace_label_zh),
        &row.issues,
        &row.next_steps,
        &row.coordination,
        &row.evidence,
        &row.reporter,
        &row.reviewer,
        "",
    ]
}

fn write(title: &str, period_label: &str, rows: &[ProgressSheetRow]) -> Result<Vec<u8>, XlsxError> {
    let last_col = u16::try_from(WIDTHS.len() - 1).expect("17 columns");
    let styles = Styles::new();
    let whole_percent = styles.centred.clone().set_num_format("0%");
    let decimal_percent = styles.centred.clone().set_num_format("0.0#%");

    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET_NAME)?;
    let headers = ProgressColumn::WRITTEN
        .iter()
        .map(|c| c.label_zh())
        .zip(WIDTHS);
    styles.banner_subtitle_and_header(sheet, title, period_label, headers)?;
    for (row, report) in (HEADER_ROW + 1..).zip(rows) {
        let texts = texts(report);
        sheet.set_row_height(row, row_height(texts.iter().copied().zip(WIDTHS)))?;
        for ((col, column), text) in (0u16..).zip(ProgressColumn::WRITTEN).zip(texts) {
            match column {
                ProgressColumn::Percent => {
                    let format = match report.percent {
                        Some(p) if p.fract() != 0.0 => &decimal_percent,
                        _ => &whole_percent,
                    };
                    match report.percent {
                        Some(p) => sheet.write_number_with_format(row, col, p / 100.0, format)?,
                        None => sheet.write_blank(row, col, format)?,
                    };
                }
                ProgressColumn::ReportedOn => {
                    match report.reported_on {
                        Some(d) => sheet.write_datetime_with_format(row, col, d, &styles.date)?,
                        None => sheet.write_blank(row, col, &styles.date)?,
                    };
                }
                _ => {
                    let format = if short(column) {
                        &styles.centred
                    } else {
                        &styles.base
                    };
                    write_text(sheet, row, col, text, format)?;
                }
            }
        }
    }
    let last_row = u32::try_from(rows.len()).map_or(u32::MAX, |n| n + HEADER_ROW);
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    sheet.autofilter(HEADER_ROW, 0, last_row.max(HEADER_ROW + 1), last_col)?;
    if !rows.is_empty() {
        pace_choices(sheet, last_row)?;
        no_change_choices(sheet, last_row)?;
    }
    crate::sheet::print::setup(sheet, HEADER_ROW)?;
    workbook.save_to_buffer()
}

/// Short values (numbers, codes, names of people, the judgement) are centred.
fn short(column: ProgressColumn) -> bool {
    matches!(
        column,
        ProgressColumn::Seq
            | ProgressColumn::TaskCode
            | ProgressColumn::NoChange
            | ProgressColumn::Pace
            | ProgressColumn::Reporter
            | ProgressColumn::Reviewer
    )
}

/// A text cell, or a formatted blank one (borders stay) when there is no text.
fn write_text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if text.is_empty() {
        sheet.write_blank(row, col, format)?;
    } else {
        sheet.write_string_with_format(row, col, text, format)?;
    }
    Ok(())
}

/// A drop-down of the four judgements on the 序时判断 cells of the task rows.
fn pace_choices(sheet: &mut Worksheet, last_row: u32) -> Result<(), XlsxError> {
    let col = (0u16..)
        .zip(ProgressColumn::WRITTEN)
        .find(|(_, c)| *c == ProgressColumn::Pace)
        .map(|(i, _)| i)
        .expect("序时判断 is a written column");
    let labels = [Pace::Ahead, Pace::OnPace, Pace::Behind, Pace::Done].map(pace_label_zh);
    let choices = DataValidation::new()
        .allow_list_strings(&labels)?
        .set_error_message("请选择：超、达、欠、已完成")?;
    sheet.add_data_validation(HEADER_ROW + 1, col, last_row, col, &choices)?;
    Ok(())
}

/// A drop-down of 是 on the 本期无变化 cells: marked, the row sends the task's figures as they
/// stand.
fn no_change_choices(sheet: &mut Worksheet, last_row: u32) -> Result<(), XlsxError> {
    let col = (0u16..)
        .zip(ProgressColumn::WRITTEN)
        .find(|(_, c)| *c == ProgressColumn::NoChange)
        .map(|(i, _)| i)
        .expect("本期无变化 is a written column");
    let choices = DataValidation::new()
        .allow_list_strings(&["是"])?
        .set_error_message("本期无变化请填“是”或留空")?;
    sheet.add_data_validation(HEADER_ROW + 1, col, last_row, col, &choices)?;
    Ok(())
}

#[cfg(test)]
mod tests;
