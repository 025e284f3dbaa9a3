//! What every reader of a filled-in sheet does the same way: refuse a file too large, take the
//! first worksheet whose header has the columns the reader needs, and for the problem lists and
//! progress sheets, locate that header among the top rows and look cells up by column.
//!
//! Each reader brings its own column names and says which columns it requires; grids and
//! header-row detection (banners, two-row headers) are [`crate::lists::grid`]'s. Not for the
//! rules of a row: those stay with each reader.

use super::book::Book;
use super::limits::{Budget, Limits};
use crate::FileError;
use crate::lists::columns::normalise_header;
use crate::lists::grid::{self, Cell, Grid};
use crate::lists::read::{heading_text, is_blank_or_note};

/// The worksheet a reader reads: the first whose header has every required column.
pub(crate) struct FoundSheet<H> {
    pub name: String,
    pub grid: Grid,
    pub header: H,
}

/// The first worksheet on which `find` finds a header that `lacks` finds complete (`lacks`
/// names the required columns a header lacks, by their usual Chinese names).
///
/// This is the one place a workbook is opened: the package is checked against `limits`
/// first, and every worksheet is read within them (see [`super::limits`]).
///
/// The workbook may be .xlsx, .xls or .ods, told from its bytes ([`super::format`]).
///
/// Errors, in this order: [`FileError::TooLarge`]; [`FileError::SaveAsXlsx`] for a CSV, a WPS
/// .et or an encrypted workbook; [`FileError::NotXlsx`] for bytes that are no workbook, or
/// when no worksheet loads at all; [`FileError::OverLimit`] for the first bound a
/// file goes past; [`FileError::MissingColumns`] with what the first incomplete header lacks;
/// otherwise `no_header` with the names of all worksheets.
pub(crate) fn first_sheet_with_header<H>(
    bytes: &[u8],
    limits: &Limits,
    find: impl Fn(&Grid) -> Option<H>,
    lacks: impl Fn(&H) -> Vec<String>,
    no_header: impl FnOnce(Vec<String>) -> FileError,
) -> Result<FoundSheet<H>, FileError> {
    if bytes.len() > limits.max_file_bytes {
        return Err(FileError::TooLarge {
            bytes: bytes.len(),
            max: limits.max_file_bytes,
        });
    }
    let budget = Budget::start(limits);
    let mut workbook = Book::open(bytes, limits, &budget)?;
    let sheets = workbook.sheet_names();
    let mut missing: Option<Vec<String>> = None;
    let mut loaded_any = false;
    let mut load_error = None;
    for name in &sheets {
        budget.check()?;
        let grid = match workbook.grid(name, limits, &budget) {
            Ok(grid) => grid,
            // A bound is never skipped over to the next sheet.
            Err(e @ FileError::OverLimit(_)) => return Err(e),
            Err(e) => {
                load_error.get_or_insert(e);
                continue;
            }
        };
        loaded_any = true;
        let Some(header) = find(&grid) else {
            continue;
        };
        let lacks = lacks(&header);
        if lacks.is_empty() {
            return Ok(FoundSheet {
                name: name.clone(),
                grid,
                header,
            });
        }
        missing.get_or_insert(lacks);
    }
    if let Some(columns) = missing {
        return Err(FileError::MissingColumns(columns));
    }
    // A workbook none of whose sheets loads is unreadable rather than headerless.
    match load_error {
        Some(e) if !loaded_any => Err(e),
        _ => Err(no_header(sheets)),
    }
}

/// The column a header text names in `names` (each column with the texts it is known by),
/// compared after [`normalise_header`], exactly — so a banner never reads as a header.
pub(crate) fn column_named<C: Copy>(names: &[(&[&str], C)], text: &str) -> Option<C> {
    let h = normalise_header(text);
    names
        .iter()
        .find(|(known, _)| known.contains(&h.as_str()))
        .map(|(_, c)| *c)
}

/// A header cell that names a known column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HeaderColumn<C> {
    pub column: C,
    /// The header as written (for a two-row header, the sub-header).
    pub header: String,
    /// 0-based column index (A = 0).
    pub index: u32,
}

/// Where a header is and which columns it names; a column named twice counts once, its
/// second header is ignored.
#[derive(Debug)]
pub(crate) struct Layout<C> {
    /// 0-based index of the (first) header row.
    pub row: usize,
    /// 0-based index of the first row after the header (and its sub-header row).
    pub data_start: usize,
    pub columns: Vec<HeaderColumn<C>>,
    /// Headers of columns the reader does not use, as written.
    pub ignored: Vec<String>,
}

impl<C: Copy + PartialEq> Layout<C> {
    /// The header among the top rows (the first naming two columns `recognise` knows, with
    /// the row below folded in when it holds sub-headers), or `None` when there is none.
    pub fn find(grid: &Grid, recognise: impl Fn(&str) -> Option<C>) -> Option<Layout<C>> {
        let (row, sub) = grid::header_rows(grid, &recognise)?;
        let (found, mut ignored) = grid::header_cells(grid, row, sub, &recognise);
        let mut columns: Vec<HeaderColumn<C>> = Vec::new();
        for (index, column, header) in found {
            if columns.iter().any(|m| m.column == column) {
                ignored.push(header);
            } else {
                columns.push(HeaderColumn {
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

    pub fn find_column(&self, column: C) -> Option<&HeaderColumn<C>> {
        self.columns.iter().find(|m| m.column == column)
    }

    pub fn has(&self, column: C) -> bool {
        self.find_column(column).is_some()
    }

    /// The header of the column as written, for a problem in it.
    pub fn header(&self, column: C) -> Option<String> {
        self.find_column(column).map(|m| m.header.clone())
    }

    /// The recognised columns in sheet order, as the reader's public match type.
    pub fn matches<M>(&self, to_match: impl Fn(C, String, u32) -> M) -> Vec<M> {
        self.columns
            .iter()
            .map(|m| to_match(m.column, m.header.clone(), m.index))
            .collect()
    }

    /// The non-empty texts above the header, top to bottom, each once (a banner merged across
    /// the row repeats its text in every cell).
    pub fn texts_above<'g>(&self, grid: &'g Grid) -> Vec<&'g str> {
        let mut above: Vec<&str> = Vec::new();
        for text in grid.rows[..self.row]
            .iter()
            .flatten()
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
        {
            if !above.contains(&text) {
                above.push(text);
            }
        }
        above
    }

    /// The 0-based indices of the rows below the header that hold data: not blank, no note
    /// (注：…, 填报人…), no section heading merged across the row, and not a row numbered in
    /// advance but left empty (nothing but its `number` column).
    pub fn data_rows(&self, grid: &Grid, number: C) -> Vec<usize> {
        let number_index = self.find_column(number).map(|m| m.index);
        (self.data_start..grid.rows.len())
            .filter(|&r| {
                let cells = &grid.rows[r];
                !is_blank_or_note(cells)
                    && heading_text(cells).is_none()
                    && !only_in(cells, number_index)
            })
            .collect()
    }

    /// The trimmed text of the column on row `r`; "" when the sheet has no such column.
    pub fn text<'g>(&self, grid: &'g Grid, r: usize, column: C) -> &'g str {
        self.find_column(column)
            .map_or("", |m| grid.text(r, m.index).trim())
    }

    /// The cell of the column on row `r` when it holds a date or some text.
    pub fn filled_cell<'g>(&self, grid: &'g Grid, r: usize, column: C) -> Option<&'g Cell> {
        self.find_column(column)
            .and_then(|m| grid.cell(r, m.index))
            .filter(|c| c.date.is_some() || !c.text.trim().is_empty())
    }

    /// The text of every recognised column on row `r`, as written.
    pub fn raw(&self, grid: &Grid, r: usize) -> Vec<(C, String)> {
        self.columns
            .iter()
            .map(|m| (m.column, grid.text(r, m.index).to_string()))
            .collect()
    }
}

/// Whether every filled cell of the row is in column `index`.
fn only_in(cells: &[Cell], index: Option<u32>) -> bool {
    cells
        .iter()
        .enumerate()
        .all(|(c, cell)| cell.text.trim().is_empty() || index.is_some_and(|i| i as usize == c))
}

#[cfg(test)]
mod tests;
