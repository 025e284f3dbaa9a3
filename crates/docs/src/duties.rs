//! The territorial duty list (属地管理事项责任清单) as .xlsx: [`write_duty_list_xlsx`] writes
//! one row per entry under a banner; [`read_duty_list`] reads that layout back (and sheets
//! as offices keep them: banners above, headers such as 事项/主管部门, columns in any order),
//! giving each row with its Excel row number and the header of every cell, so the service can
//! name row and column for every problem. Department names stay as written.

use crate::FileError;
use crate::lists::grid::Grid;
use crate::lists::read::row_number;
use crate::sheet::Styles;
use crate::sheet::read::{Layout, first_sheet_with_header};
use duban_core::duties::{DutyColumn, DutyText};
use jiff::civil::Date;
use rust_xlsxwriter::{Workbook, XlsxError};

const SHEET_NAME: &str = "属地管理事项责任清单";

/// One row as read: where it is, the header each column had, what it says, and dates that
/// could not be read.
#[derive(Debug, Clone)]
pub struct DutySheetRow {
    /// Excel row number (1-based).
    pub row: u32,
    pub text: DutyText,
    /// The header as written of each recognised column.
    pub headers: Vec<(DutyColumn, String)>,
    /// Date columns whose text is no date (the text as written).
    pub bad_dates: Vec<(DutyColumn, String)>,
}

impl DutySheetRow {
    /// The header of a column as the sheet wrote it, else its usual name.
    pub fn header(&self, c: DutyColumn) -> String {
        self.headers
            .iter()
            .find(|(col, _)| *col == c)
            .map_or_else(|| c.label_zh().to_string(), |(_, h)| h.clone())
    }
}

/// The duty list as read from the first worksheet with its header.
#[derive(Debug, Clone)]
pub struct DutySheet {
    pub sheet_name: String,
    pub rows: Vec<DutySheetRow>,
}

/// Reads the first worksheet whose top rows hold a duty-list header (事项名称 and 责任部门 at
/// least).
pub fn read_duty_list(bytes: &[u8]) -> Result<DutySheet, FileError> {
    let found = first_sheet_with_header(
        bytes,
        &crate::Limits::default(),
        |grid| Layout::find(grid, DutyColumn::recognise),
        |layout: &Layout<DutyColumn>| {
            [DutyColumn::Matter, DutyColumn::Department]
                .into_iter()
                .filter(|c| !layout.has(*c))
                .map(|c| c.label_zh().to_string())
                .collect()
        },
        |sheets| FileError::NoDutyListHeader { sheets },
    )?;
    Ok(DutySheet {
        sheet_name: found.name.clone(),
        rows: read_rows(&found.grid, &found.header),
    })
}

fn read_rows(grid: &Grid, layout: &Layout<DutyColumn>) -> Vec<DutySheetRow> {
    let headers: Vec<(DutyColumn, String)> = layout.matches(|c, h, _| (c, h));
    layout
        .data_rows(grid, DutyColumn::Matter)
        .into_iter()
        .map(|r| {
            let text = |c: DutyColumn| layout.text(grid, r, c).to_string();
            let mut bad_dates = Vec::new();
            let mut date = |c: DutyColumn| -> Option<Date> {
                let cell = layout.filled_cell(grid, r, c)?;
                if let Some(d) = cell.date {
                    return Some(d);
                }
                let t = cell.text.trim().replace(['/', '.'], "-");
                match t.parse::<Date>() {
                    Ok(d) => Some(d),
                    Err(_) => {
                        bad_dates.push((c, cell.text.trim().to_string()));
                        None
                    }
                }
            };
            let valid_from = date(DutyColumn::ValidFrom);
            let valid_to = date(DutyColumn::ValidTo);
            DutySheetRow {
                row: row_number(r),
                text: DutyText {
                    matter: text(DutyColumn::Matter),
                    field: text(DutyColumn::Field),
                    town_duty: text(DutyColumn::TownDuty),
                    department_duty: text(DutyColumn::DepartmentDuty),
                    department: text(DutyColumn::Department),
                    legal_basis: text(DutyColumn::LegalBasis),
                    valid_from,
                    valid_to,
                },
                headers: headers.clone(),
                bad_dates,
            }
        })
        .collect()
}

const WIDTHS: [f64; 8] = [24.0, 12.0, 36.0, 36.0, 16.0, 30.0, 12.0, 12.0];

/// The workbook: a banner, the header (frozen), one row per entry.
pub fn write_duty_list_xlsx(rows: &[DutyText]) -> Result<Vec<u8>, FileError> {
    write(rows).map_err(|e| FileError::Write(e.to_string()))
}

fn write(rows: &[DutyText]) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET_NAME)?;
    let headers = DutyColumn::ALL.iter().map(|c| c.label_zh()).zip(WIDTHS);
    styles.banner_and_header(sheet, SHEET_NAME, headers)?;
    for (row, d) in (2u32..).zip(rows) {
        let texts = [
            d.matter.clone(),
            d.field.clone(),
            d.town_duty.clone(),
            d.department_duty.clone(),
            d.department.clone(),
            d.legal_basis.clone(),
            d.valid_from.map(|x| x.to_string()).unwrap_or_default(),
            d.valid_to.map(|x| x.to_string()).unwrap_or_default(),
        ];
        let height = crate::sheet::row_height(texts.iter().map(String::as_str).zip(WIDTHS));
        sheet.set_row_height(row, height.min(409.0))?;
        for (col, text) in (0u16..).zip(texts) {
            sheet.write_string_with_format(row, col, text, &styles.base)?;
        }
    }
    sheet.set_freeze_panes(2, 0)?;
    workbook.save_to_buffer()
}

const FIGURE_HEADERS: [(&str, f64); 11] = [
    ("单位", 18.0),
    ("联办事项", 10.0),
    ("已办结", 10.0),
    ("已报到", 10.0),
    ("超时报到", 10.0),
    ("按时报到率", 12.0),
    ("响应速度", 10.0),
    ("办理效果", 10.0),
    ("服务态度", 10.0),
    ("协调评价", 10.0),
    ("退回被驳回", 12.0),
];

/// The yearly figures of joint matters (吹哨报到 and rating each other): one sheet of
/// departments (块评条), one of towns (条评块); each row as the page shows it.
pub fn write_figures_xlsx(
    year: i16,
    departments: &[Vec<String>],
    towns: &[Vec<String>],
) -> Result<Vec<u8>, FileError> {
    figures(year, departments, towns).map_err(|e| FileError::Write(e.to_string()))
}

fn figures(
    year: i16,
    departments: &[Vec<String>],
    towns: &[Vec<String>],
) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    for (name, rows) in [("部门", departments), ("镇街", towns)] {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        styles.banner_and_header(
            sheet,
            &format!("{year}年吹哨报到评价汇总（{name}）"),
            FIGURE_HEADERS,
        )?;
        for (row, cells) in (2u32..).zip(rows) {
            for (col, text) in (0u16..).zip(cells) {
                sheet.write_string_with_format(row, col, text, &styles.base)?;
            }
        }
        sheet.set_freeze_panes(2, 1)?;
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_written_list_reads_back_as_the_same_entries() {
        let rows = vec![
            DutyText {
                matter: "油烟扰民".into(),
                field: "生态环境".into(),
                town_duty: "发现、劝导、上报".into(),
                department_duty: "查处超标排放".into(),
                department: "市生态环境局".into(),
                legal_basis: "《大气污染防治法》第八十一条".into(),
                valid_from: Some(date(2026, 1, 1)),
                valid_to: None,
            },
            DutyText {
                matter: "河道保洁".into(),
                department: "水务局".into(),
                ..DutyText::default()
            },
        ];
        let bytes = write_duty_list_xlsx(&rows).unwrap();
        let sheet = read_duty_list(&bytes).unwrap();
        let read: Vec<DutyText> = sheet.rows.iter().map(|r| r.text.clone()).collect();
        assert_eq!(read, rows);
        assert_eq!(sheet.rows[0].row, 3, "banner, header, then the first entry");
        assert_eq!(sheet.rows[1].header(DutyColumn::Department), "责任部门");
    }

    #[test]
    fn a_sheet_without_the_department_column_is_refused_naming_it() {
        let bytes = crate::lists::write::write_task_list_xlsx("2026年工作清单", &[]).unwrap();
        let err = read_duty_list(&bytes).unwrap_err();
        assert!(
            matches!(
                err,
                FileError::NoDutyListHeader { .. } | FileError::MissingColumns(_)
            ),
            "{err:?}"
        );
    }
}
