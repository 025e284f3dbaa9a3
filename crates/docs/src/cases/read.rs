//! A problem-list sheet → [`SheetRow`]s.
//!
//! Rules: the header is the first of the top rows naming two known columns (title banners
//! above it are skipped, a two-row header is folded, as for the task lists); it must have a
//! 问题描述 column and a 责任单位 or 牵头单位 column. Blank rows, note rows (注：…, 填报人…),
//! section headings merged across the row (一、环保督察反馈问题) and rows with nothing but a
//! 序号 are skipped. Units are read as in the task lists: 责任单位 lists the lead first, unless
//! a 牵头单位 column exists. A blank 状态 is 未启动. A missing description or lead unit, an
//! unknown status and an unreadable date or deadline are row problems.

use super::columns::{ProblemColumn, recognise};
use super::deadline::{parse_date_cell, parse_deadline};
use super::problems::{RowProblem, RowProblemKind};
use super::{ProblemColumnMatch, ProblemRow, ProblemSheet, ProblemStatus, SheetRow};
use crate::FileError;
use crate::lists::MAX_FILE_BYTES;
use crate::lists::grid::{self, Cell, Grid};
use crate::lists::read::{heading_text, is_blank_or_note, row_number};
use crate::lists::units::units;
use calamine::Reader;
use duban_core::lists::names::fold;
use jiff::civil::Date;

/// Reads the first worksheet whose top rows hold a problem-list header. A header without a
/// 问题描述 or 责任单位 column gives [`FileError::MissingColumns`]; no header at all
/// [`FileError::NoProblemListHeader`]; bytes that are no .xlsx [`FileError::NotXlsx`].
pub fn read_problem_list(bytes: &[u8]) -> Result<ProblemSheet, FileError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge {
            bytes: bytes.len(),
            max: MAX_FILE_BYTES,
        });
    }
    let mut wb = grid::open(bytes)?;
    let sheets = wb.sheet_names();
    let mut missing: Option<Vec<String>> = None;
    let mut loaded_any = false;
    let mut load_error = None;
    for name in &sheets {
        let grid = match grid::load(&mut wb, name) {
            Ok(grid) => grid,
            Err(e) => {
                load_error.get_or_insert(e);
                continue;
            }
        };
        loaded_any = true;
        let Some(layout) = Layout::find(&grid) else {
            continue;
        };
        let lacks = layout.lacks();
        if lacks.is_empty() {
            return Ok(read_rows(name, &grid, &layout));
        }
        missing.get_or_insert(lacks);
    }
    if let Some(columns) = missing {
        return Err(FileError::MissingColumns(columns));
    }
    // A workbook none of whose sheets loads is unreadable rather than headerless.
    match load_error {
        Some(e) if !loaded_any => Err(e),
        _ => Err(FileError::NoProblemListHeader { sheets }),
    }
}

/// Where the header is and which columns it names.
struct Layout {
    /// 0-based index of the (first) header row.
    row: usize,
    /// 0-based index of the first row after the header.
    data_start: usize,
    columns: Vec<ProblemColumnMatch>,
    ignored: Vec<String>,
}

impl Layout {
    fn find(grid: &Grid) -> Option<Layout> {
        let (row, sub) = grid::header_rows(grid, recognise)?;
        let (found, mut ignored) = grid::header_cells(grid, row, sub, recognise);
        let mut columns: Vec<ProblemColumnMatch> = Vec::new();
        for (index, column, header) in found {
            if columns.iter().any(|m| m.column == column) {
                ignored.push(header);
            } else {
                columns.push(ProblemColumnMatch {
                    column,
                    header,
                    index,
                });
            }
        }
        Some(Layout {
            row,
            data_start: row + 1 + usize::from(sub),
            columns,
            ignored,
        })
    }

    fn find_column(&self, column: ProblemColumn) -> Option<&ProblemColumnMatch> {
        self.columns.iter().find(|m| m.column == column)
    }

    /// The required columns the header lacks, by their usual names.
    fn lacks(&self) -> Vec<String> {
        let mut lacks = Vec::new();
        if self.find_column(ProblemColumn::Description).is_none() {
            lacks.push(ProblemColumn::Description.label_zh().to_string());
        }
        if self.find_column(ProblemColumn::LeadUnit).is_none()
            && self.find_column(ProblemColumn::ResponsibleUnits).is_none()
        {
            lacks.push(ProblemColumn::ResponsibleUnits.label_zh().to_string());
        }
        lacks
    }

    /// The header of the column, for a problem in it.
    fn header(&self, column: ProblemColumn) -> Option<String> {
        self.find_column(column).map(|m| m.header.clone())
    }
}

fn read_rows(sheet: &str, grid: &Grid, layout: &Layout) -> ProblemSheet {
    let above: Vec<&str> = grid.rows[..layout.row]
        .iter()
        .flatten()
        .map(|c| c.text.trim())
        .filter(|t| !t.is_empty())
        .collect();
    let year = above.iter().find_map(|t| year_in(t));
    let code_index = layout.find_column(ProblemColumn::Code).map(|m| m.index);
    let rows = (layout.data_start..grid.rows.len())
        .filter(|&r| {
            let cells = &grid.rows[r];
            !is_blank_or_note(cells)
                && heading_text(cells).is_none()
                && !only_a_code(cells, code_index)
        })
        .map(|r| read_row(grid, layout, r, year))
        .collect();
    ProblemSheet {
        sheet_name: sheet.to_string(),
        title: above.first().map(|t| t.to_string()),
        year,
        header_row: row_number(layout.row),
        columns: layout.columns.clone(),
        ignored_columns: layout.ignored.clone(),
        rows,
    }
}

/// A template row numbered in advance but not filled in.
fn only_a_code(cells: &[Cell], code_index: Option<u32>) -> bool {
    cells
        .iter()
        .enumerate()
        .all(|(c, cell)| cell.text.trim().is_empty() || code_index.is_some_and(|i| i as usize == c))
}

/// The first year written as "2026年" in a text.
fn year_in(text: &str) -> Option<i16> {
    let f: Vec<char> = fold(text).chars().collect();
    f.windows(5).find_map(|w| {
        let digits: String = w[..4].iter().collect();
        (w[4] == '年' && w[..4].iter().all(char::is_ascii_digit))
            .then(|| digits.parse::<i16>().ok())
            .flatten()
            .filter(|y| (1990..=2100).contains(y))
    })
}

fn read_row(grid: &Grid, layout: &Layout, r: usize, year: Option<i16>) -> SheetRow {
    let row = row_number(r);
    let cell = |col: ProblemColumn| {
        layout
            .find_column(col)
            .and_then(|m| grid.cell(r, m.index))
            .filter(|c| c.date.is_some() || !c.text.trim().is_empty())
    };
    let text = |col: ProblemColumn| {
        layout
            .find_column(col)
            .map_or("", |m| grid.text(r, m.index).trim())
    };
    let mut problems = Vec::new();
    let mut problem = |col: ProblemColumn, kind: RowProblemKind| {
        problems.push(RowProblem {
            row,
            column: layout.header(col),
            kind,
        });
    };
    let mut date = |col: ProblemColumn, year: Option<i16>| -> Option<Date> {
        let cell = cell(col)?;
        parse_date_cell(cell, year)
            .map_err(|e| problem(col, RowProblemKind::BadDate(e)))
            .ok()
    };

    let found_on = date(ProblemColumn::FoundOn, year);
    let year = year.or(found_on.map(|d| d.year()));
    let closed_on = date(ProblemColumn::ClosedOn, year);
    let deadline = match cell(ProblemColumn::Deadline) {
        None => String::new(),
        Some(Cell { date: Some(d), .. }) => d.to_string(),
        Some(Cell { text, .. }) => match parse_deadline(text, year) {
            Ok(rule) => rule.to_string(),
            Err(e) => {
                problem(ProblemColumn::Deadline, RowProblemKind::BadDeadline(e));
                String::new()
            }
        },
    };
    let status = match text(ProblemColumn::Status) {
        "" => ProblemStatus::NotStarted,
        t => ProblemStatus::parse(t).unwrap_or_else(|| {
            let text = t.to_string();
            problem(
                ProblemColumn::Status,
                RowProblemKind::UnknownStatus { text },
            );
            ProblemStatus::NotStarted
        }),
    };
    let lead_column = layout.find_column(ProblemColumn::LeadUnit);
    let (lead_unit, co_units) = units(
        lead_column.map(|_| text(ProblemColumn::LeadUnit)),
        text(ProblemColumn::CoUnits),
        text(ProblemColumn::ResponsibleUnits),
    );
    let description = text(ProblemColumn::Description).to_string();
    if description.is_empty() {
        problem(
            ProblemColumn::Description,
            RowProblemKind::MissingDescription,
        );
    }
    if lead_unit.is_empty() {
        let col = match lead_column {
            Some(_) => ProblemColumn::LeadUnit,
            None => ProblemColumn::ResponsibleUnits,
        };
        problem(col, RowProblemKind::MissingLeadUnit);
    }

    SheetRow {
        row,
        raw: layout
            .columns
            .iter()
            .map(|m| (m.column, grid.text(r, m.index).to_string()))
            .collect(),
        parsed: ProblemRow {
            code: text(ProblemColumn::Code).to_string(),
            source: text(ProblemColumn::Source).to_string(),
            found_on,
            description,
            category: text(ProblemColumn::Category).to_string(),
            lead_unit,
            co_units,
            leader: text(ProblemColumn::Leader).to_string(),
            measures: text(ProblemColumn::Measures).to_string(),
            deadline,
            progress: text(ProblemColumn::Progress).to_string(),
            status,
            evidence: text(ProblemColumn::Evidence).to_string(),
            verifier: text(ProblemColumn::Verifier).to_string(),
            closed_on,
        },
        problems,
    }
}

#[cfg(test)]
mod tests;
