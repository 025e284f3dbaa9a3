//! A worksheet as a grid of cell texts with merged regions filled in, and its header.
//!
//! A merged region's value is copied into every cell it covers, so a 牵头单位 merged down over
//! three rows is read on each of them. The header is the first of the top 15 rows that names at
//! least two known columns; the row below is folded in when it holds sub-headers (时间节点 over
//! 一季度…四季度), i.e. most of its cells that differ from the cell above are known headers.

use super::columns::{Column, HeaderName, recognise_header};
use super::numbers::format_number;
use super::{ColumnMatch, FileError};
use crate::sheet::limits::{Budget, Limit, Limits};
use calamine::{Data, DataType, Xlsx};
use jiff::civil::Date;
use std::io::Cursor;

/// How many rows from the top may hold title banners and the header.
const HEADER_SCAN_ROWS: usize = 15;

/// One cell: its text as written, the date when the cell is a real Excel date, the number
/// when it is a number cell (not a date), and whether its number format shows a percentage
/// (0%, 0.00%, 0.0#%).
#[derive(Debug, Clone, Default)]
pub(crate) struct Cell {
    pub text: String,
    pub date: Option<Date>,
    pub number: Option<f64>,
    pub percent: bool,
}

/// A worksheet; `rows[0]` is Excel row 1 and `rows[r][c]` column c (0-based). Every row has
/// the same width: up to the last column with a value.
pub(crate) struct Grid {
    pub rows: Vec<Vec<Cell>>,
}

impl Grid {
    pub fn cell(&self, row: usize, col: u32) -> Option<&Cell> {
        self.rows.get(row)?.get(col as usize)
    }

    pub fn text(&self, row: usize, col: u32) -> &str {
        self.cell(row, col).map_or("", |c| c.text.as_str())
    }
}

pub(crate) type Workbook<'a> = Xlsx<Cursor<&'a [u8]>>;

/// Reads a worksheet cell by cell (calamine's streaming reader; never its dense range, which
/// allocates rows × columns of the declared or used area), refusing what goes past `limits`
/// before the grid grows.
pub(crate) fn load(
    wb: &mut Workbook<'_>,
    sheet: &str,
    limits: &Limits,
    budget: &Budget,
) -> Result<Grid, FileError> {
    let bad = |e: calamine::XlsxError| FileError::NotXlsx(format!("sheet {sheet}: {e}"));
    let over = |limit: Limit| FileError::OverLimit(limit);
    let mut reader = match wb.worksheet_cells_reader(sheet) {
        Ok(reader) => reader,
        // A chart sheet or dialog sheet holds no cells.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Grid { rows: Vec::new() }),
        Err(e) => return Err(bad(e)),
    };
    let dim = reader.dimensions();
    if dim.end.0 >= limits.max_rows || dim.end.1 >= limits.max_columns {
        return Err(over(Limit::Dimension {
            sheet: sheet.to_string(),
            range: format!(
                "{}:{}",
                cell_name(dim.start.0, dim.start.1),
                cell_name(dim.end.0, dim.end.1)
            ),
            max_rows: limits.max_rows,
            max_columns: limits.max_columns,
        }));
    }
    let percent_styles: Vec<bool> = reader
        .styles()
        .iter()
        .map(|s| {
            s.number_format
                .as_ref()
                .is_some_and(|f| f.format_code.contains('%'))
        })
        .collect();
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut width = 0usize;
    let mut text_bytes = 0usize;
    let mut seen = 0usize;
    while let Some((c, style)) = reader.next_cell_with_style_id().map_err(bad)? {
        seen += 1;
        if seen.is_multiple_of(4096) {
            budget.check()?;
        }
        if c.get_value().is_empty() {
            continue;
        }
        let (r, col) = c.get_position();
        if r >= limits.max_rows {
            return Err(over(Limit::Rows {
                sheet: sheet.to_string(),
                max: limits.max_rows,
            }));
        }
        if col >= limits.max_columns {
            return Err(over(Limit::Columns {
                sheet: sheet.to_string(),
                max: limits.max_columns,
            }));
        }
        let (r, col) = (r as usize, col as usize);
        let (height, new_width) = (rows.len().max(r + 1), width.max(col + 1));
        if height.saturating_mul(new_width) > limits.max_cells {
            return Err(over(Limit::Cells {
                sheet: sheet.to_string(),
                max: limits.max_cells,
            }));
        }
        let mut value = cell(&c.get_value().clone().into());
        if value.text.chars().count() > limits.max_cell_chars {
            return Err(over(Limit::CellChars {
                max: limits.max_cell_chars,
            }));
        }
        text_bytes += value.text.len();
        if text_bytes > limits.max_text_bytes {
            return Err(over(Limit::TextBytes {
                sheet: sheet.to_string(),
                max: limits.max_text_bytes,
            }));
        }
        value.percent = percent_styles.get(style).copied().unwrap_or(false);
        // Rows grow to their last value here and are squared off at the end; the bound on
        // cells above holds for the squared grid.
        if rows.len() < r + 1 {
            rows.resize_with(r + 1, Vec::new);
        }
        width = new_width;
        let row = &mut rows[r];
        if row.len() < col + 1 {
            row.resize_with(col + 1, Cell::default);
        }
        row[col] = value;
    }
    drop(reader);
    for row in &mut rows {
        row.resize_with(width, Cell::default);
    }
    let merges = wb.merge_cells_by_sheet_name(sheet).map_err(bad)?;
    fill_merges(&mut rows, width, &merges, text_bytes, sheet, limits, budget)?;
    Ok(Grid { rows })
}

/// Copies each merged region's value into every cell it covers, keeping the grid's text
/// (`text_bytes` so far) within bounds.
fn fill_merges(
    rows: &mut [Vec<Cell>],
    width: usize,
    merges: &[calamine::Dimensions],
    mut text_bytes: usize,
    sheet: &str,
    limits: &Limits,
    budget: &Budget,
) -> Result<(), FileError> {
    if merges.len() > limits.max_merges {
        return Err(FileError::OverLimit(Limit::Merges {
            sheet: sheet.to_string(),
            max: limits.max_merges,
        }));
    }
    for m in merges {
        budget.check()?;
        let (top, left) = (m.start.0 as usize, m.start.1 as usize);
        let Some(value) = rows.get(top).and_then(|r| r.get(left)).cloned() else {
            continue;
        };
        let bottom = (m.end.0 as usize).min(rows.len().saturating_sub(1));
        let right = (m.end.1 as usize).min(width.saturating_sub(1));
        for row in rows.iter_mut().take(bottom + 1).skip(top) {
            for cell in row.iter_mut().take(right + 1).skip(left) {
                text_bytes = text_bytes.saturating_add(value.text.len());
                if text_bytes > limits.max_text_bytes {
                    return Err(FileError::OverLimit(Limit::TextBytes {
                        sheet: sheet.to_string(),
                        max: limits.max_text_bytes,
                    }));
                }
                cell.clone_from(&value);
            }
        }
    }
    Ok(())
}

/// A worksheet of a .xls or .ods, which calamine has already read whole (within the bounds
/// [`crate::sheet::biff`] and [`crate::sheet::ods`] checked first), as a grid; the same
/// bounds as [`load`] are checked again on the values. Such files carry no percent styles
/// calamine reports, so a percentage reads as the number it is.
pub(crate) fn from_range(
    range: &calamine::Range<Data>,
    merges: &[calamine::Dimensions],
    sheet: &str,
    limits: &Limits,
    budget: &Budget,
) -> Result<Grid, FileError> {
    let over = |limit: Limit| FileError::OverLimit(limit);
    let Some((top, left)) = range.start() else {
        return Ok(Grid { rows: Vec::new() });
    };
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut width = 0usize;
    let mut text_bytes = 0usize;
    for (i, (r, c, value)) in range.used_cells().enumerate() {
        if i % 4096 == 4095 {
            budget.check()?;
        }
        let (r, col) = (top as usize + r, left as usize + c);
        if r >= limits.max_rows as usize {
            return Err(over(Limit::Rows {
                sheet: sheet.to_string(),
                max: limits.max_rows,
            }));
        }
        if col >= limits.max_columns as usize {
            return Err(over(Limit::Columns {
                sheet: sheet.to_string(),
                max: limits.max_columns,
            }));
        }
        let (height, new_width) = (rows.len().max(r + 1), width.max(col + 1));
        if height.saturating_mul(new_width) > limits.max_cells {
            return Err(over(Limit::Cells {
                sheet: sheet.to_string(),
                max: limits.max_cells,
            }));
        }
        let value = cell(value);
        if value.text.chars().count() > limits.max_cell_chars {
            return Err(over(Limit::CellChars {
                max: limits.max_cell_chars,
            }));
        }
        text_bytes += value.text.len();
        if text_bytes > limits.max_text_bytes {
            return Err(over(Limit::TextBytes {
                sheet: sheet.to_string(),
                max: limits.max_text_bytes,
            }));
        }
        if rows.len() < r + 1 {
            rows.resize_with(r + 1, Vec::new);
        }
        width = new_width;
        let row = &mut rows[r];
        if row.len() < col + 1 {
            row.resize_with(col + 1, Cell::default);
        }
        row[col] = value;
    }
    for row in &mut rows {
        row.resize_with(width, Cell::default);
    }
    fill_merges(&mut rows, width, merges, text_bytes, sheet, limits, budget)?;
    Ok(Grid { rows })
}

/// `A1`, `XFD1048576`: a 0-based (row, column) as Excel names the cell.
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(u64::from(row) + 1).to_string()
}

fn cell(value: &Data) -> Cell {
    let text = |text: String| Cell {
        text,
        ..Cell::default()
    };
    let number = |text: String, n: f64| Cell {
        text,
        number: Some(n),
        ..Cell::default()
    };
    match value {
        Data::Empty => Cell::default(),
        Data::String(s) => text(s.replace("\r\n", "\n")),
        Data::Float(f) => number(format_number(*f), *f),
        Data::Int(i) => number(i.to_string(), *i as f64),
        Data::Bool(b) => text(if *b { "TRUE" } else { "FALSE" }.into()),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, h, mi, _, _) = dt.to_ymd_hms_milli();
            let date = i16::try_from(y)
                .ok()
                .and_then(|y| Date::new(y, m as i8, d as i8).ok());
            let text = match (date, h, mi) {
                (Some(date), 0, 0) => date.to_string(),
                (Some(date), h, mi) => format!("{date} {h:02}:{mi:02}"),
                (None, ..) => format_number(dt.as_f64()),
            };
            Cell {
                text,
                date,
                ..Cell::default()
            }
        }
        Data::DateTime(dt) => text(format_number(dt.as_f64())),
        Data::DateTimeIso(s) => Cell {
            date: s.get(..10).and_then(|d| d.parse().ok()),
            text: s.clone(),
            ..Cell::default()
        },
        Data::DurationIso(s) => text(s.clone()),
        Data::Error(e) => text(format!("#{e}")),
    }
}

/// The header of a sheet: where it is, which columns it names and which it does not.
pub(crate) struct Header {
    /// 0-based index of the (first) header row.
    pub row: usize,
    /// 0-based index of the first row after the header (and its sub-header row).
    pub data_start: usize,
    pub columns: Vec<ColumnMatch>,
    pub ignored: Vec<String>,
}

impl Header {
    pub fn find(&self, column: Column) -> Option<&ColumnMatch> {
        self.columns.iter().find(|m| m.column == column)
    }
}

/// The header of the grid, or `None` when none of the top rows names two known columns.
pub(crate) fn find_header(grid: &Grid) -> Option<Header> {
    header_rows(grid, recognise_header).map(|(r, sub)| build_header(grid, r, sub))
}

/// Where a header is: the first of the top rows naming at least two distinct columns that
/// `recognise` knows (0-based), and whether the row below holds its sub-headers. Shared by
/// every sheet reader; each brings its own column names.
pub(crate) fn header_rows<N: PartialEq>(
    grid: &Grid,
    recognise: impl Fn(&str) -> Option<N>,
) -> Option<(usize, bool)> {
    let r = grid.rows.iter().take(HEADER_SCAN_ROWS).position(|row| {
        let mut known: Vec<N> = Vec::new();
        for name in row.iter().filter_map(|c| recognise(&c.text)) {
            if !known.contains(&name) {
                known.push(name);
            }
        }
        known.len() >= 2
    })?;
    let sub = grid
        .rows
        .get(r + 1)
        .is_some_and(|sub| looks_like_sub_headers(&grid.rows[r], sub, &recognise));
    Some((r, sub))
}

fn looks_like_sub_headers<N>(
    top: &[Cell],
    sub: &[Cell],
    recognise: impl Fn(&str) -> Option<N>,
) -> bool {
    let differing: Vec<&str> = sub
        .iter()
        .enumerate()
        .map(|(c, cell)| (cell.text.trim(), top.get(c).map_or("", |t| t.text.trim())))
        .filter(|(s, t)| !s.is_empty() && s != t)
        .map(|(s, _)| s)
        .collect();
    let known = differing.iter().filter(|s| recognise(s).is_some()).count();
    known >= 1 && known * 2 >= differing.len()
}

/// The header cells of row `r` (with the sub-header row below when `sub`): the recognised
/// ones as (0-based column, name, header as written — the sub-header when it names the
/// column), and the texts of the others, in sheet order.
pub(crate) fn header_cells<N>(
    grid: &Grid,
    r: usize,
    sub: bool,
    recognise: impl Fn(&str) -> Option<N>,
) -> (Vec<(u32, N, String)>, Vec<String>) {
    let top = &grid.rows[r];
    let sub = grid.rows.get(r + 1).filter(|_| sub);
    let width = top.len().max(sub.map_or(0, Vec::len));
    let mut found = Vec::new();
    let mut ignored = Vec::new();
    for c in 0..width {
        let t = top.get(c).map_or("", |x| x.text.trim());
        let s = sub.and_then(|s| s.get(c)).map_or("", |x| x.text.trim());
        let candidates: &[&str] = if !s.is_empty() && s != t {
            &[s, t]
        } else {
            &[t]
        };
        let matched = candidates
            .iter()
            .find_map(|h| recognise(h).map(|name| (name, h.to_string())));
        let index = u32::try_from(c).expect("a sheet has at most 16,384 columns");
        match matched {
            Some((name, text)) => found.push((index, name, text)),
            None if !candidates[0].is_empty() => ignored.push(candidates[0].to_string()),
            None => {}
        }
    }
    (found, ignored)
}

fn build_header(grid: &Grid, r: usize, sub: bool) -> Header {
    let (found, mut ignored) = header_cells(grid, r, sub, recognise_header);
    let has = |col: Column| found.iter().any(|(_, n, _)| *n == HeaderName::Column(col));
    let work_content = if !has(Column::Title) {
        Some(Column::Title)
    } else if !has(Column::Content) {
        Some(Column::Content)
    } else {
        None
    };
    let mut columns: Vec<ColumnMatch> = Vec::new();
    for (index, name, header) in found {
        let column = match name {
            HeaderName::Column(c) => Some(c),
            HeaderName::WorkContent => work_content,
        };
        match column {
            Some(column) if columns.iter().all(|m| m.column != column) => {
                columns.push(ColumnMatch {
                    column,
                    header,
                    index,
                });
            }
            _ => ignored.push(header),
        }
    }
    Header {
        row: r,
        data_start: r + 1 + usize::from(sub),
        columns,
        ignored,
    }
}
