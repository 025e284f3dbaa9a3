//! The bulletin's tables as .xlsx: one worksheet per table (overall figures, overdue tasks,
//! red tasks, each ranking group), each with the bulletin's title and number as its banner and
//! the page setup every exported sheet prints with (A4, one page wide, header repeated).

use super::{Piece, Printable, outline};
use crate::FileError;
use crate::sheet::{Styles, print, row_height};
use rust_xlsxwriter::{Workbook, XlsxError};

/// The tables as a workbook.
pub fn write_xlsx(p: &Printable<'_>) -> Result<Vec<u8>, FileError> {
    write(p).map_err(|e| FileError::Write(e.to_string()))
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique.
fn sheet_name(name: &str, taken: &mut Vec<String>) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(28)
        .collect();
    let mut candidate = if clean.is_empty() {
        "表".into()
    } else {
        clean
    };
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{}{n}", candidate.chars().take(26).collect::<String>());
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

fn write(p: &Printable<'_>) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let mut taken = Vec::new();
    let subtitle = format!("{}　{}", p.number_line(), p.content.period_name);
    for piece in outline(p) {
        let Piece::Table {
            name,
            widths,
            header,
            rows,
        } = piece
        else {
            continue;
        };
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(&name, &mut taken))?;
        let cols: Vec<f64> = widths.iter().map(|w| f64::from(*w) * 8.0).collect();
        styles.banner_subtitle_and_header(
            sheet,
            &p.content.title,
            &subtitle,
            header.iter().map(String::as_str).zip(cols.iter().copied()),
        )?;
        for (r, row) in (3u32..).zip(&rows) {
            for (c, text) in (0u16..).zip(row) {
                let f = if usize::from(c) < cols.len() && cols[usize::from(c)] < 20.0 {
                    &styles.centred
                } else {
                    &styles.base
                };
                match text.parse::<f64>() {
                    Ok(n) if !text.is_empty() => sheet.write_number_with_format(r, c, n, f)?,
                    _ => sheet.write_string_with_format(r, c, text, f)?,
                };
            }
            sheet.set_row_height(
                r,
                row_height(row.iter().map(String::as_str).zip(cols.iter().copied())),
            )?;
        }
        print::setup(sheet, 2)?;
    }
    if taken.is_empty() {
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, &p.content.title)?;
    }
    workbook.save_to_buffer()
}
