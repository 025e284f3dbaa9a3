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
use crate::lists::grid::{Cell, Grid};
use crate::lists::read::row_number;
use crate::lists::units::units;
use crate::sheet::read::{Layout, first_sheet_with_header};
use duban_core::lists::names::fold;
use jiff::civil::Date;

/// Reads the first worksheet whose top rows hold a problem-list header. A header without a
/// 问题描述 or 责任单位 column gives [`FileError::MissingColumns`]; no header at all
/// [`FileError::NoProblemListHeader`]; bytes that are no .xlsx [`FileError::NotXlsx`].
pub fn read_problem_list(bytes: &[u8]) -> Result<ProblemSheet, FileError> {
    read_problem_list_within(bytes, &crate::Limits::default())
}

/// [`read_problem_list`] within `limits` ([`FileError::OverLimit`] past them).
pub fn read_problem_list_within(
    bytes: &[u8],
    limits: &crate::Limits,
) -> Result<ProblemSheet, FileError> {
    let found = first_sheet_with_header(
        bytes,
        limits,
        |grid| Layout::find(grid, recognise),
        lacks,
        |sheets| FileError::NoProblemListHeader { sheets },
    )?;
    Ok(read_rows(&found.name, &found.grid, &found.header))
}

/// The required columns the header lacks, by their usual names.
fn lacks(layout: &Layout<ProblemColumn>) -> Vec<String> {
    let mut lacks = Vec::new();
    if !layout.has(ProblemColumn::Description) {
        lacks.push(ProblemColumn::Description.label_zh().to_string());
    }
    if !layout.has(ProblemColumn::LeadUnit) && !layout.has(ProblemColumn::ResponsibleUnits) {
        lacks.push(ProblemColumn::ResponsibleUnits.label_zh().to_string());
    }
    lacks
}

fn read_rows(sheet: &str, grid: &Grid, layout: &Layout<ProblemColumn>) -> ProblemSheet {
    let above = layout.texts_above(grid);
    let year = above.iter().find_map(|t| year_in(t));
    let rows = layout
        .data_rows(grid, ProblemColumn::Code)
        .into_iter()
        .map(|r| read_row(grid, layout, r, year))
        .collect();
    ProblemSheet {
        sheet_name: sheet.to_string(),
        title: above.first().map(|t| t.to_string()),
        year,
        header_row: row_number(layout.row),
        columns: layout.matches(|column, header, index| ProblemColumnMatch {
            column,
            header,
            index,
        }),
        ignored_columns: layout.ignored.clone(),
        rows,
    }
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

fn read_row(grid: &Grid, layout: &Layout<ProblemColumn>, r: usize, year: Option<i16>) -> SheetRow {
    let row = row_number(r);
    let cell = |col: ProblemColumn| layout.filled_cell(grid, r, col);
    let text = |col: ProblemColumn| layout.text(grid, r, col);
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
        raw: layout.raw(grid, r),
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
