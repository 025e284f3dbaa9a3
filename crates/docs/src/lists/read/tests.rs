//! Sheets written with rust_xlsxwriter the way units fill them in, read back.

use super::super::{FileError, MAX_FILE_BYTES, TaskRow, read_task_list};
use super::*;
use crate::lists::columns::InfoColumn;
use crate::lists::due::DueError;
use duban_core::lists::{Cadence, Indicator, Milestone};
use jiff::civil::{Date, date};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

fn book(build: impl FnOnce(&mut Workbook) -> Result<(), XlsxError>) -> Vec<u8> {
    let mut wb = Workbook::new();
    build(&mut wb).unwrap();
    wb.save_to_buffer().unwrap()
}

/// Writes the non-empty texts of one row (0-based row index).
fn put(ws: &mut Worksheet, row: u32, cells: &[&str]) -> Result<(), XlsxError> {
    for (col, text) in (0u16..).zip(cells) {
        if !text.is_empty() {
            ws.write_string(row, col, *text)?;
        }
    }
    Ok(())
}

/// Writes a table from the first row down.
fn rows(ws: &mut Worksheet, rows: &[&[&str]]) -> Result<(), XlsxError> {
    for (r, cells) in (0u32..).zip(rows) {
        put(ws, r, cells)?;
    }
    Ok(())
}

fn by(y: i16, m: i8, d: i8) -> Option<Due> {
    Some(Due::By {
        date: date(y, m, d),
    })
}

fn ind(name: &str, target: f64, unit: &str) -> Indicator {
    Indicator {
        name: name.into(),
        target,
        unit: unit.into(),
    }
}

fn ms(due: Date, text: &str, values: Vec<Option<f64>>) -> Milestone {
    Milestone {
        due,
        target_text: text.into(),
        values,
    }
}

fn raw(row: &TaskRow, col: Column) -> &str {
    row.raw
        .iter()
        .find(|(c, _)| *c == col)
        .map_or("", |(_, t)| t)
}

mod files;
mod hierarchy;
mod messy;
mod problems;
