//! An opened workbook of any format the readers take (.xlsx, .xls, .ods), each opened only
//! after the checks for its format have passed: [`super::package`] for the zip packages,
//! [`super::ods`] for an OpenDocument's repeated cells, [`super::biff`] for an old .xls.

use super::format::{self, Format};
use super::limits::{Budget, Limits};
use super::{biff, ods, package};
use crate::FileError;
use crate::lists::grid::{self, Grid, Workbook};
use calamine::{Ods, Reader, Xls, Xlsx};
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs a spreadsheet parser on hostile bytes: a panic inside it (an index or arithmetic
/// slip on a malformed record — what the bounds checked before cannot rule out) is a file
/// we cannot read, not a crash.
fn guarded<T>(parse: impl FnOnce() -> Result<T, FileError>) -> Result<T, FileError> {
    catch_unwind(AssertUnwindSafe(parse)).unwrap_or_else(|_| {
        Err(FileError::NotXlsx(
            "the workbook is malformed and could not be read".into(),
        ))
    })
}

pub(crate) enum Book<'a> {
    Xlsx(Workbook<'a>),
    Xls(Xls<Cursor<&'a [u8]>>),
    Ods(Ods<Cursor<&'a [u8]>>),
}

impl<'a> Book<'a> {
    /// Tells the format from the bytes, checks them against `limits` and opens them.
    pub fn open(bytes: &'a [u8], limits: &Limits, budget: &Budget) -> Result<Book<'a>, FileError> {
        let not = |e: &dyn std::fmt::Display| FileError::NotXlsx(e.to_string());
        match format::sniff(bytes)? {
            Format::Xlsx => {
                package::check(bytes, Format::Xlsx, limits, budget)?;
                guarded(|| {
                    Ok(Book::Xlsx(
                        Xlsx::new(Cursor::new(bytes)).map_err(|e| not(&e))?,
                    ))
                })
            }
            Format::Ods => {
                package::check(bytes, Format::Ods, limits, budget)?;
                ods::check(bytes, limits, budget)?;
                budget.check()?;
                guarded(|| {
                    Ok(Book::Ods(
                        Ods::new(Cursor::new(bytes)).map_err(|e| not(&e))?,
                    ))
                })
            }
            Format::Xls => {
                biff::check(bytes, limits, budget)?;
                budget.check()?;
                guarded(|| {
                    Ok(Book::Xls(
                        Xls::new(Cursor::new(bytes)).map_err(|e| not(&e))?,
                    ))
                })
            }
        }
    }

    pub fn sheet_names(&self) -> Vec<String> {
        match self {
            Book::Xlsx(b) => b.sheet_names(),
            Book::Xls(b) => b.sheet_names(),
            Book::Ods(b) => b.sheet_names(),
        }
    }

    /// One worksheet as a grid, within `limits`.
    pub fn grid(
        &mut self,
        name: &str,
        limits: &Limits,
        budget: &Budget,
    ) -> Result<Grid, FileError> {
        let bad = |e: &dyn std::fmt::Display| FileError::NotXlsx(format!("sheet {name}: {e}"));
        guarded(|| match self {
            Book::Xlsx(b) => grid::load(b, name, limits, budget),
            Book::Xls(b) => {
                let range = b.worksheet_range(name).map_err(|e| bad(&e))?;
                let merges = b.merge_cells_by_sheet_name(name).map_err(|e| bad(&e))?;
                grid::from_range(&range, &merges, name, limits, budget)
            }
            Book::Ods(b) => {
                let range = b.worksheet_range(name).map_err(|e| bad(&e))?;
                grid::from_range(&range, &[], name, limits, budget)
            }
        })
    }
}
