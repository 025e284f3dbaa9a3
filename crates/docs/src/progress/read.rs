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
use super::values::{PercentError, date_cell, parse_pace, percent_cell};
use super::{ProgressColumnMatch, ProgressSheet, ProgressSheetRow, SheetRow};
use crate::FileError;
use crate::lists::MAX_FILE_BYTES;
use crate::lists::due::DueError;
use crate::lists::grid::{self, Grid};
use crate::lists::read::{heading_text, is_blank_or_note, row_number};
use calamine::{Reader, StyleRange};

/// Reads the first worksheet whose top rows hold a progress-sheet header. `year` is the year
/// of the period: dates written without one (10月28日) fall in it. A header that names no task
/// or has neither 本期进展 nor 完成比例 gives [`FileError::MissingColumns`]; no header at all
/// [`FileError::NoProgressSheetHeader`]; bytes that are no .xlsx [`FileError::NotXlsx`].
pub fn read_progress_sheet(bytes: &[u8], year: i16) -> Result<ProgressSheet, FileError> {
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
            // Only the percent column needs formats; a workbook whose styles cannot be read
            // is read without them (a percent cell then reads as a bare fraction).
            let styles = wb
                .worksheet_style(name)
                .unwrap_or_else(|_| StyleRange::empty());
            return Ok(read_rows(name, &grid, &layout, &styles, year));
        }
        missing.get_or_insert(lacks);
    }
    if let Some(columns) = missing {
        return Err(FileError::MissingColumns(columns));
    }
    // A workbook none of whose sheets loads is unreadable rather than headerless.
    match load_error {
        Some(e) if !loaded_any => Err(e),
        _ => Err(FileError::NoProgressSheetHeader { sheets }),
    }
}

/// Where the header is and which columns it names.
struct Layout {
    /// 0-based index of the (first) header row.
    row: usize,
    /// 0-based index of the first row after the header.
    data_start: usize,
    columns: Vec<ProgressColumnMatch>,
    ignored: Vec<String>,
}

impl Layout {
    fn find(grid: &Grid) -> Option<Layout> {
        let (row, sub) = grid::header_rows(grid, recognise)?;
        let (found, mut ignored) = grid::header_cells(grid, row, sub, recognise);
        let mut columns: Vec<ProgressColumnMatch> = Vec::new();
        for (index, column, header) in found {
            if columns.iter().any(|m| m.column == column) {
                ignored.push(header);
            } else {
                columns.push(ProgressColumnMatch {
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

    fn find_column(&self, column: ProgressColumn) -> Option<&ProgressColumnMatch> {
        self.columns.iter().find(|m| m.column == column)
    }

    fn has(&self, column: ProgressColumn) -> bool {
        self.find_column(column).is_some()
    }

    /// The required columns the header lacks, by their usual names.
    fn lacks(&self) -> Vec<String> {
        let mut lacks = Vec::new();
        let names_task = self.has(ProgressColumn::TaskCode)
            || (self.has(ProgressColumn::TaskName) && self.has(ProgressColumn::LeadUnit));
        if !names_task {
            lacks.push("任务编号（或任务名称和牵头单位）".to_string());
        }
        if !self.has(ProgressColumn::Progress) && !self.has(ProgressColumn::Percent) {
            lacks.push(ProgressColumn::Progress.label_zh().to_string());
        }
        lacks
    }

    /// The header of the column, for a problem in it.
    fn header(&self, column: ProgressColumn) -> Option<String> {
        self.find_column(column).map(|m| m.header.clone())
    }
}

fn read_rows(
    sheet: &str,
    grid: &Grid,
    layout: &Layout,
    styles: &StyleRange,
    year: i16,
) -> ProgressSheet {
    // Banners merged across the row repeat their text in every cell: each text once.
    let mut above: Vec<&str> = Vec::new();
    for text in grid.rows[..layout.row]
        .iter()
        .flatten()
        .map(|c| c.text.trim())
        .filter(|t| !t.is_empty())
    {
        if !above.contains(&text) {
            above.push(text);
        }
    }
    let seq_index = layout.find_column(ProgressColumn::Seq).map(|m| m.index);
    let rows = (layout.data_start..grid.rows.len())
        .filter(|&r| {
            let cells = &grid.rows[r];
            let only_seq = cells.iter().enumerate().all(|(c, cell)| {
                cell.text.trim().is_empty() || seq_index.is_some_and(|i| i as usize == c)
            });
            !is_blank_or_note(cells) && heading_text(cells).is_none() && !only_seq
        })
        .map(|r| read_row(grid, layout, styles, r, year))
        .collect();
    ProgressSheet {
        sheet_name: sheet.to_string(),
        title: above.first().map(|t| t.to_string()),
        period_label: above.get(1).map(|t| t.to_string()),
        header_row: row_number(layout.row),
        columns: layout.columns.clone(),
        ignored_columns: layout.ignored.clone(),
        rows,
    }
}

/// Whether the cell's number format shows a percentage (0%, 0.00%, 0.0#%).
fn percent_format(styles: &StyleRange, r: usize, c: u32) -> bool {
    let Ok(r) = u32::try_from(r) else {
        return false;
    };
    styles
        .get((r, c))
        .and_then(|s| s.number_format.as_ref())
        .is_some_and(|f| f.format_code.contains('%'))
}

fn read_row(grid: &Grid, layout: &Layout, styles: &StyleRange, r: usize, year: i16) -> SheetRow {
    let row = row_number(r);
    let mut raw: Vec<(ProgressColumn, String)> = layout
        .columns
        .iter()
        .map(|m| (m.column, grid.text(r, m.index).to_string()))
        .collect();
    let text = |col: ProgressColumn| {
        layout
            .find_column(col)
            .map_or("", |m| grid.text(r, m.index).trim())
    };
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
    let progress = text(ProgressColumn::Progress);
    if layout.has(ProgressColumn::Progress) && progress.is_empty() {
        problem(
            Some(ProgressColumn::Progress),
            RowProblemKind::MissingProgress,
        );
    }

    let mut percent = None;
    if let Some(m) = layout.find_column(ProgressColumn::Percent)
        && let Some(cell) = grid.cell(r, m.index).filter(|c| !c.text.trim().is_empty())
    {
        let (value, shown) = percent_cell(cell, percent_format(styles, r, m.index));
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
    if let Some(m) = layout.find_column(ProgressColumn::ReportedOn)
        && let Some(cell) = grid
            .cell(r, m.index)
            .filter(|c| c.date.is_some() || !c.text.trim().is_empty())
    {
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
        problems,
    }
}

#[cfg(test)]
mod tests;
