//! Bounds for an OpenDocument spreadsheet before the spreadsheet reader opens it. calamine
//! reads every table of a .ods when it opens the file, copying a cell once per
//! `table:number-columns-repeated` and a row once per `table:number-rows-repeated`, so a few
//! bytes can stand for millions of cells. This reads `content.xml` once more (after
//! [`super::package`] has bounded its size and its tags) and counts what calamine would lay
//! out — per table, the rows from the first to the last holding a value, times the widest
//! row's cells up to its last value — refusing a table past the rows, columns, cells or text
//! the readers allow. Trailing empty cells and rows (LibreOffice writes one repeated empty row
//! to the end of the sheet) cost nothing there, and nothing here.

use super::limits::{Budget, Limit, Limits};
use crate::FileError;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Cursor};

/// Checks `content.xml` of the package in `bytes`.
pub(crate) fn check(bytes: &[u8], limits: &Limits, budget: &Budget) -> Result<(), FileError> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| FileError::NotXlsx(e.to_string()))?;
    let part = zip
        .by_name("content.xml")
        .map_err(|e| FileError::NotXlsx(format!("content.xml: {e}")))?;
    let mut reader = Reader::from_reader(BufReader::new(part));
    let mut buf = Vec::new();
    let mut table = Table::default();
    let mut tables = 0usize;
    let mut events = 0usize;
    loop {
        events += 1;
        if events.is_multiple_of(4096) {
            budget.check()?;
        }
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| FileError::NotXlsx(format!("content.xml: {e}")))?;
        match event {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table" => {
                tables += 1;
                table = Table {
                    name: format!("#{tables}"),
                    ..Table::default()
                };
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                table.start_row(repeats(&e, "table:number-rows-repeated"));
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                table.end_row(limits)?;
            }
            Event::Start(e) if is_cell(&e) => {
                // A cell with content inside counts as a value, whatever it holds.
                table.start_cell(repeats(&e, "table:number-columns-repeated"), true);
                table.cell_text += attribute_bytes(&e);
            }
            Event::Empty(e) if is_cell(&e) => {
                let valued = e.attributes().flatten().any(|a| {
                    let key = a.key.as_ref();
                    key.starts_with("office:") || key == "table:formula"
                });
                table.start_cell(repeats(&e, "table:number-columns-repeated"), valued);
                table.cell_text += attribute_bytes(&e);
                table.end_cell(limits)?;
            }
            Event::End(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                table.end_cell(limits)?;
            }
            Event::Text(t) => table.cell_text += t.len() as u64,
            Event::End(e) if e.name().as_ref() == "table:table" => table = Table::default(),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

fn is_cell(e: &BytesStart<'_>) -> bool {
    matches!(
        e.name().as_ref(),
        "table:table-cell" | "table:covered-table-cell"
    )
}

/// A repeat count as calamine reads it (1 when absent; a count that does not parse makes
/// calamine refuse the file, so 1 here).
fn repeats(e: &BytesStart<'_>, key: &str) -> u64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
}

fn attribute_bytes(e: &BytesStart<'_>) -> u64 {
    e.attributes().flatten().map(|a| a.value.len() as u64).sum()
}

/// What one table would become, counted as it is read.
#[derive(Default)]
struct Table {
    name: String,
    /// Repeats of the row being read.
    row_repeats: u64,
    /// Cells of the row up to its last value so far, and the empty ones after it.
    row_cells: u64,
    row_pending_empty: u64,
    row_text: u64,
    /// The cell being read: its repeats and whether it holds a value.
    cell_repeats: u64,
    cell_valued: bool,
    cell_text: u64,
    /// Rows from the first with a value to the last so far, and empty ones after it.
    rows: u64,
    pending_rows: u64,
    width: u64,
    text: u64,
}

impl Table {
    fn start_row(&mut self, repeats: u64) {
        self.row_repeats = repeats;
        self.row_cells = 0;
        self.row_pending_empty = 0;
        self.row_text = 0;
    }

    fn start_cell(&mut self, repeats: u64, valued: bool) {
        self.cell_repeats = repeats;
        self.cell_valued = valued;
        self.cell_text = 0;
    }

    fn end_cell(&mut self, limits: &Limits) -> Result<(), Limit> {
        if self.cell_valued {
            self.row_cells = self
                .row_cells
                .saturating_add(self.row_pending_empty)
                .saturating_add(self.cell_repeats);
            self.row_pending_empty = 0;
            self.row_text = self
                .row_text
                .saturating_add(self.cell_repeats.saturating_mul(self.cell_text));
        } else {
            self.row_pending_empty = self.row_pending_empty.saturating_add(self.cell_repeats);
        }
        self.cell_text = 0;
        if self.row_cells > u64::from(limits.max_columns) {
            return Err(Limit::Columns {
                sheet: self.name.clone(),
                max: limits.max_columns,
            });
        }
        Ok(())
    }

    fn end_row(&mut self, limits: &Limits) -> Result<(), Limit> {
        if self.row_cells == 0 {
            if self.rows > 0 {
                self.pending_rows = self.pending_rows.saturating_add(self.row_repeats);
            }
            return Ok(());
        }
        self.rows = self
            .rows
            .saturating_add(self.pending_rows)
            .saturating_add(self.row_repeats);
        self.pending_rows = 0;
        self.width = self.width.max(self.row_cells);
        self.text = self
            .text
            .saturating_add(self.row_repeats.saturating_mul(self.row_text));
        if self.rows > u64::from(limits.max_rows) {
            return Err(Limit::Rows {
                sheet: self.name.clone(),
                max: limits.max_rows,
            });
        }
        if self.rows.saturating_mul(self.width) > limits.max_cells as u64 {
            return Err(Limit::Cells {
                sheet: self.name.clone(),
                max: limits.max_cells,
            });
        }
        if self.text > limits.max_text_bytes as u64 {
            return Err(Limit::TextBytes {
                sheet: self.name.clone(),
                max: limits.max_text_bytes,
            });
        }
        Ok(())
    }
}
