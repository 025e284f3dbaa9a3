//! Bounds for an old .xls before the spreadsheet reader opens it. calamine reads every sheet of
//! a .xls when it opens the file and lays each out as a dense rectangle from its first to its
//! last cell, so a 1 KB file with one cell at A1 and one at row 65,536, column 65,535 would ask
//! for billions of cells. This walks the workbook stream's records (type, length, data) once,
//! finds the rectangle each sheet's value cells span — the same records calamine keeps — and
//! refuses a sheet past the rows, columns or cells the readers allow, and a stream larger than
//! the unpacked-size bound.

use super::format::read_bounded;
use super::limits::{Budget, Limit, Limits};
use crate::FileError;
use std::io::Cursor;

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const MERGE_CELLS: u16 = 0x00E5;
const DIMENSIONS: u16 = 0x0200;
const BOUND_SHEET: u16 = 0x0085;

/// Checks a .xls file (already sniffed as a compound file with a workbook stream).
pub(crate) fn check(bytes: &[u8], limits: &Limits, budget: &Budget) -> Result<(), FileError> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| FileError::NotXlsx(format!("compound file: {e}")))?;
    let name = if file.is_stream("/Workbook") {
        "/Workbook"
    } else {
        "/Book"
    };
    let stream = file
        .open_stream(name)
        .map_err(|e| FileError::NotXlsx(format!("workbook stream: {e}")))?;
    let Some(data) = read_bounded(stream, limits.max_unpacked_bytes)
        .map_err(|e| FileError::NotXlsx(format!("workbook stream: {e}")))?
    else {
        return Err(Limit::UnpackedBytes {
            max: limits.max_unpacked_bytes,
        }
        .into());
    };
    scan(&data, limits, budget)
}

/// The rectangle of one sheet's cells so far.
#[derive(Default)]
struct Span {
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
    merges: usize,
}

impl Span {
    fn add(&mut self, row: u32, first_col: u32, last_col: u32) {
        let widen = |s: Option<(u32, u32)>, lo: u32, hi: u32| match s {
            Some((a, b)) => Some((a.min(lo), b.max(hi))),
            None => Some((lo, hi)),
        };
        self.rows = widen(self.rows, row, row);
        self.cols = widen(self.cols, first_col, last_col);
    }

    fn check(&self, sheet: usize, limits: &Limits) -> Result<(), Limit> {
        let sheet = format!("#{sheet}");
        let (Some((r0, r1)), Some((c0, c1))) = (self.rows, self.cols) else {
            return Ok(());
        };
        if r1 >= limits.max_rows {
            return Err(Limit::Rows {
                sheet,
                max: limits.max_rows,
            });
        }
        if c1 >= limits.max_columns {
            return Err(Limit::Columns {
                sheet,
                max: limits.max_columns,
            });
        }
        let cells = (r1 - r0 + 1) as usize * (c1 - c0 + 1) as usize;
        if cells > limits.max_cells {
            return Err(Limit::Cells {
                sheet,
                max: limits.max_cells,
            });
        }
        Ok(())
    }
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    data.get(at..at + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
}

/// The records from `at` on: (type, body, offset of the next record). A truncated record ends
/// the walk (calamine then refuses the file itself).
fn records(data: &[u8], mut at: usize) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let (kind, len) = (u16_at(data, at)?, usize::from(u16_at(data, at + 2)?));
        let body = data.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((kind, body))
    })
}

/// Walks a workbook stream as calamine does: the globals up to their EOF, collecting each
/// sheet's offset (BoundSheet8), then each sheet from its offset to its EOF, skipping nested
/// substreams (embedded charts).
fn scan(data: &[u8], limits: &Limits, budget: &Budget) -> Result<(), FileError> {
    let mut offsets = Vec::new();
    for (kind, body) in records(data, 0) {
        match kind {
            BOUND_SHEET => {
                if let Some(b) = body.get(..4) {
                    offsets.push(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
                }
            }
            EOF => break,
            _ => {}
        }
    }
    for (sheet, at) in (1..).zip(offsets) {
        if at > data.len() {
            return Err(FileError::NotXlsx(format!(
                "sheet {sheet} starts past the end of the workbook stream"
            )));
        }
        budget.check()?;
        scan_sheet(data, at, sheet, limits, budget)?;
    }
    Ok(())
}

fn scan_sheet(
    data: &[u8],
    at: usize,
    sheet: usize,
    limits: &Limits,
    budget: &Budget,
) -> Result<(), FileError> {
    let mut span = Span::default();
    let mut seen_bof = false;
    let mut depth = 0usize;
    for (n, (kind, body)) in records(data, at).enumerate() {
        if n % 4096 == 4095 {
            budget.check()?;
        }
        if depth > 0 {
            match kind {
                BOF => depth += 1,
                EOF => depth -= 1,
                _ => {}
            }
            continue;
        }
        match kind {
            BOF if seen_bof => depth += 1,
            BOF => seen_bof = true,
            EOF => break,
            // calamine reserves room for the rectangle a sheet declares before its cells.
            DIMENSIONS => dimensions(body, sheet, limits)?,
            // Number, Label, RString, BoolErr, Rk, LabelSst, Formula: row, column first.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(row), Some(col)) = (u16_at(body, 0), u16_at(body, 2)) {
                    span.add(u32::from(row), u32::from(col), u32::from(col));
                    span.check(sheet, limits)?;
                }
            }
            // MulRk: row, first column, 6 bytes per value, last column.
            0x00BD => {
                if let (Some(row), Some(first)) = (u16_at(body, 0), u16_at(body, 2)) {
                    let values = body.len().saturating_sub(6) / 6;
                    let last = u32::from(first) + values.saturating_sub(1) as u32;
                    span.add(u32::from(row), u32::from(first), last);
                    span.check(sheet, limits)?;
                }
            }
            MERGE_CELLS => {
                span.merges += usize::from(u16_at(body, 0).unwrap_or(0));
                if span.merges > limits.max_merges {
                    return Err(Limit::Merges {
                        sheet: format!("#{sheet}"),
                        max: limits.max_merges,
                    }
                    .into());
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The rectangle a DIMENSIONS record declares, read as calamine reads it ([MS-XLS] 2.4.90:
/// first row, last row + 1, first column, last column + 1), refused when it is upside down
/// or goes past the rows, columns or cells allowed.
fn dimensions(body: &[u8], sheet: usize, limits: &Limits) -> Result<(), Limit> {
    let u32_at = |at: usize| {
        body.get(at..at + 4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let u16_at = |at: usize| u32::from(u16_at(body, at).unwrap_or(0));
    let (first_row, end_row, mut first_col, end_col) = match body.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        // calamine refuses the file itself.
        _ => return Ok(()),
    };
    if first_col > 0xFF || end_col < first_col {
        first_col = 0;
    }
    let (last_row, last_col) = if end_row >= 1 && end_col >= 1 {
        (end_row - 1, end_col - 1)
    } else {
        (first_row, first_col)
    };
    let refuse = || Limit::Dimension {
        sheet: format!("#{sheet}"),
        range: format!(
            "R{}C{}:R{}C{}",
            first_row + 1,
            first_col + 1,
            last_row + 1,
            last_col + 1
        ),
        max_rows: limits.max_rows,
        max_columns: limits.max_columns,
    };
    if last_row < first_row || last_col < first_col {
        return Err(refuse());
    }
    let cells = (u64::from(last_row - first_row) + 1) * (u64::from(last_col - first_col) + 1);
    if last_row >= limits.max_rows
        || last_col >= limits.max_columns
        || cells > limits.max_cells as u64
    {
        return Err(refuse());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: u16, body: &[u8]) -> Vec<u8> {
        let mut out = kind.to_le_bytes().to_vec();
        out.extend((body.len() as u16).to_le_bytes());
        out.extend(body);
        out
    }

    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut body = row.to_le_bytes().to_vec();
        body.extend(col.to_le_bytes());
        body.extend([0u8; 10]);
        record(0x0203, &body)
    }

    fn sheet(cells: &[(u16, u16)]) -> Vec<u8> {
        let mut out = record(BOF, &[0; 16]);
        for &(r, c) in cells {
            out.extend(number(r, c));
        }
        out.extend(record(EOF, &[]));
        out
    }

    /// A workbook stream: globals naming each sheet by its offset, then the sheets.
    fn book(sheets: &[Vec<u8>]) -> Vec<u8> {
        let bound = |at: u32| {
            let mut body = at.to_le_bytes().to_vec();
            body.extend([0, 0, 1, 0, b'S']);
            record(BOUND_SHEET, &body)
        };
        let globals_len = 4 + 16 + sheets.len() * (4 + 9) + 4;
        let mut at = globals_len;
        let mut out = record(BOF, &[0; 16]);
        for s in sheets {
            out.extend(bound(at as u32));
            at += s.len();
        }
        out.extend(record(EOF, &[]));
        assert_eq!(out.len(), globals_len);
        for s in sheets {
            out.extend(s);
        }
        out
    }

    #[test]
    fn a_declared_rectangle_upside_down_or_too_large_is_refused() {
        let limits = Limits::default();
        let dims = |rf: u32, rl: u32, cf: u16, cl: u16| {
            let mut body = rf.to_le_bytes().to_vec();
            body.extend(rl.to_le_bytes());
            body.extend(cf.to_le_bytes());
            body.extend(cl.to_le_bytes());
            body.extend([0, 0]);
            let mut out = record(BOF, &[0; 16]);
            out.extend(record(DIMENSIONS, &body));
            out.extend(record(EOF, &[]));
            out
        };
        let ok = book(&[dims(0, 10, 0, 5)]);
        assert!(scan(&ok, &limits, &Budget::start(&limits)).is_ok());
        for bad in [
            dims(9, 3, 0, 5),
            dims(0, 4_000_000, 0, 200),
            dims(0, 15_000, 0, 150),
        ] {
            let data = book(&[bad]);
            assert!(matches!(
                scan(&data, &limits, &Budget::start(&limits)),
                Err(FileError::OverLimit(Limit::Dimension { .. }))
            ));
        }
    }

    #[test]
    fn a_sheet_offset_past_the_stream_is_refused() {
        let limits = Limits::default();
        let mut data = book(&[sheet(&[(0, 0)])]);
        // The first BoundSheet8's offset: after the BOF (20 bytes) and the record header.
        data[24..28].copy_from_slice(&100_000u32.to_le_bytes());
        assert!(matches!(
            scan(&data, &limits, &Budget::start(&limits)),
            Err(FileError::NotXlsx(_))
        ));
    }

    #[test]
    fn a_small_sheet_passes() {
        let data = book(&[sheet(&[(0, 0), (10, 5)])]);
        let limits = Limits::default();
        assert!(scan(&data, &limits, &Budget::start(&limits)).is_ok());
    }

    #[test]
    fn two_far_apart_cells_are_refused_before_the_reader_lays_out_the_rectangle() {
        let limits = Limits::default();
        let data = book(&[sheet(&[(0, 0), (19_000, 199)])]);
        assert!(matches!(
            scan(&data, &limits, &Budget::start(&limits)),
            Err(FileError::OverLimit(Limit::Cells { .. }))
        ));
        let data = book(&[sheet(&[(0, 0), (65_535, 3)])]);
        assert!(matches!(
            scan(&data, &limits, &Budget::start(&limits)),
            Err(FileError::OverLimit(Limit::Rows { .. }))
        ));
        let data = book(&[sheet(&[(0, 65_535)])]);
        assert!(matches!(
            scan(&data, &limits, &Budget::start(&limits)),
            Err(FileError::OverLimit(Limit::Columns { .. }))
        ));
    }
}
