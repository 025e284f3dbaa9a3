//! A progress sheet → [`SheetRow`]s.
//!
//! Rules: the header is the first of the top rows naming two known columns (banners above it
//! are skipped, a two-row header is folded, as for the task lists); it must name the task —
//! by 任务编号, or by 任务名称 and 牵头单位 — and have a 本期进展 or 完成比例 column. Blank rows,
//! note rows (注：…, 填报人：…), section headings merged across the row and rows with nothing
//! but a 序号 are skipped. A row that names no task, leaves 本期进展 blank, or has an unreadable
//! 完成比例, 序时判断 or 报送日期 gets a row problem; a 完成比例 outside 0–100 % too.

use super::columns::{ProgressColumn, recognise};
use super::problems::{RowProblem, RowProblemKind};
use super::values::{PercentError, date_cell, parse_no_change, parse_pace, percent_cell};
use super::{ProgressColumnMatch, ProgressSheet, ProgressSheetRow, SheetRow};
use crate::FileError;
use crate::lists::due::DueError;
use crate::lists::grid::Grid;
use crate::lists::read::row_number;
use crate::sheet::read::{Layout, first_sheet_with_header};

/// Reads the first worksheet whose top rows hold a progress-sheet header. `year` is the year
/// of the period: dates written without one (10月28日) fall in it. A header that names no task
/// or has neither 本期进展 nor 完成比例 gives [`FileError::MissingColumns`]; no header at all
/// [`FileError::NoProgressSheetHeader`]; bytes that are no .xlsx [`FileError::NotXlsx`].
pub fn read_progress_sheet(bytes: &[u8], year: i16) -> Result<ProgressSheet, FileError> {
    read_progress_sheet_within(bytes, year, &crate::Limits::default())
}

/// [`read_progress_sheet`] within `limits` ([`FileError::OverLimit`] past them).
pub fn read_progress_sheet_within(
    bytes: &[u8],
    year: i16,
    limits: &crate::Limits,
) -> Result<ProgressSheet, FileError> {
    let found = first_sheet_with_header(
        bytes,
        limits,
        |grid| Layout::find(grid, recognise),
        lacks,
        |sheets| FileError::NoProgressSheetHeader { sheets },
    )?;
    Ok(read_rows(&found.name, &found.grid, &found.header, year))
}

/// The required columns the header lacks, by their usual names.
fn lacks(layout: &Layout<ProgressColumn>) -> Vec<String> {
    let mut lacks = Vec::new();
    let names_task = layout.has(ProgressColumn::TaskCode)
        || (layout.has(ProgressColumn::TaskName) && layout.has(ProgressColumn::LeadUnit));
    if !names_task {
        lacks.push("任务编号（或任务名称和牵头单位）".to_string());
    }
    if !layout.has(ProgressColumn::Progress) && !layout.has(ProgressColumn::Percent) {
        lacks.push(ProgressColumn::Progress.label_zh().to_string());
    }
    lacks
}

fn read_rows(
    sheet: &str,
    grid: &Grid,
    layout: &Layout<ProgressColumn>,
    year: i16,
) -> ProgressSheet {
    let above = layout.texts_above(grid);
    let rows = layout
        .data_rows(grid, ProgressColumn::Seq)
        .into_iter()
        .map(|r| read_row(grid, layout, r, year))
        .collect();
    ProgressSheet {
        sheet_name: sheet.to_string(),
        title: above.first().map(|t| t.to_string()),
        period_label: above.get(1).map(|t| t.to_string()),
        header_row: row_number(layout.row),
        columns: layout.matches(|column, header, index| ProgressColumnMatch {
            column,
            header,
            index,
        }),
        ignored_columns: layout.ignored.clone(),
        rows,
    }
}

fn read_row(grid: &Grid, layout: &Layout<ProgressColumn>, r: usize, year: i16) -> SheetRow {
    let row = row_number(r);
    let mut raw = layout.raw(grid, r);
    let text = |col: ProgressColumn| layout.text(grid, r, col);
    let mut problems = Vec::new();
    let mut problem = |col: Option<ProgressColumn>, kind: RowProblemKind| {
        problems.push(RowProblem {
            row,
            column: col.and_then(|c| layout.header(c)),
            kind,
        });
    };

    let (task_code, task_name, lead_unit) = (
        text(ProgressColumn::TaskCode),
        text(ProgressColumn::TaskName),
        text(ProgressColumn::LeadUnit),
    );
    if task_code.is_empty() && (task_name.is_empty() || lead_unit.is_empty()) {
        let col = [
            ProgressColumn::TaskCode,
            ProgressColumn::TaskName,
            ProgressColumn::LeadUnit,
        ]
        .into_iter()
        .find(|&c| layout.has(c) && text(c).is_empty());
        problem(col, RowProblemKind::MissingTask);
    }
    // Only what the downloaded sheet comes with: nothing to report, nothing wrong.
    let prefilled = [
        ProgressColumn::Seq,
        ProgressColumn::TaskCode,
        ProgressColumn::TaskName,
        ProgressColumn::LeadUnit,
    ];
    let untouched = layout
        .columns
        .iter()
        .filter(|m| !prefilled.contains(&m.column))
        .all(|m| grid.text(r, m.index).trim().is_empty());
    if untouched {
        problems.clear();
    }
    let progress = text(ProgressColumn::Progress);
    let no_change = parse_no_change(text(ProgressColumn::NoChange)).unwrap_or_else(|()| {
        let text = text(ProgressColumn::NoChange).to_string();
        problems.push(RowProblem {
            row,
            column: layout.header(ProgressColumn::NoChange),
            kind: RowProblemKind::UnknownNoChange { text },
        });
        false
    }) || matches!(parse_no_change(progress), Ok(true));
    let mut problem = |col: Option<ProgressColumn>, kind: RowProblemKind| {
        problems.push(RowProblem {
            row,
            column: col.and_then(|c| layout.header(c)),
            kind,
        });
    };
    if layout.has(ProgressColumn::Progress) && progress.is_empty() && !no_change && !untouched {
        problem(
            Some(ProgressColumn::Progress),
            RowProblemKind::MissingProgress,
        );
    }

    let mut percent = None;
    if let Some(m) = layout.find_column(ProgressColumn::Percent)
        && let Some(cell) = grid.cell(r, m.index).filter(|c| !c.text.trim().is_empty())
    {
        let (value, shown) = percent_cell(cell, cell.percent);
        let text = shown.trim().to_string();
        match value {
            Ok(v) => percent = Some(v),
            Err(e) => {
                let kind = match e {
                    PercentError::Unreadable => RowProblemKind::BadPercent { text },
                    PercentError::Ambiguous => RowProblemKind::AmbiguousPercent { text },
                    PercentError::OutOfRange => RowProblemKind::PercentOutOfRange { text },
                };
                problem(Some(ProgressColumn::Percent), kind);
            }
        }
        if let Some(entry) = raw.iter_mut().find(|(c, _)| *c == ProgressColumn::Percent) {
            entry.1 = shown;
        }
    }

    let pace = parse_pace(text(ProgressColumn::Pace)).unwrap_or_else(|()| {
        let text = text(ProgressColumn::Pace).to_string();
        problem(
            Some(ProgressColumn::Pace),
            RowProblemKind::UnknownPace { text },
        );
        None
    });

    let mut reported_on = None;
    if let Some(cell) = layout.filled_cell(grid, r, ProgressColumn::ReportedOn) {
        match date_cell(cell, year) {
            Ok(d) => reported_on = Some(d),
            Err(DueError::Empty | DueError::Unreadable { .. }) => {
                let text = cell.text.trim().to_string();
                problem(
                    Some(ProgressColumn::ReportedOn),
                    RowProblemKind::UnreadableDate { text },
                );
            }
            Err(e) => problem(Some(ProgressColumn::ReportedOn), RowProblemKind::BadDate(e)),
        }
    }

    SheetRow {
        row,
        parsed: ProgressSheetRow {
            seq: text(ProgressColumn::Seq).to_string(),
            task_code: task_code.to_string(),
            task_name: task_name.to_string(),
            lead_unit: lead_unit.to_string(),
            progress: progress.to_string(),
            cumulative: text(ProgressColumn::Cumulative).to_string(),
            percent,
            no_change,
            lower_reason: text(ProgressColumn::LowerReason).to_string(),
            pace,
            issues: text(ProgressColumn::Issues).to_string(),
            next_steps: text(ProgressColumn::NextSteps).to_string(),
            coordination: text(ProgressColumn::Coordination).to_string(),
            evidence: text(ProgressColumn::Evidence).to_string(),
            reporter: text(ProgressColumn::Reporter).to_string(),
            reviewer: text(ProgressColumn::Reviewer).to_string(),
            reported_on,
        },
        raw,
        untouched,
        problems,
    }
}

#[cfg(test)]
mod tests;
