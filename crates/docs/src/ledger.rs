//! The audit ledger as an .xlsx sheet (审计账本), for reading and printing. It is not the
//! verifiable export: long before/after texts are cut here (say so in the cell), while the
//! JSON-lines export carries every hashed byte.
//!
//! Layout: a title banner, the header (frozen, repeated on every printed page), one row per
//! entry oldest first; A4 landscape, one page wide, page numbers in the footer.

use crate::FileError;
use crate::sheet::Styles;
use rust_xlsxwriter::{Workbook, XlsxError};

const SHEET_NAME: &str = "审计账本";
/// Excel's paper size code for A4.
const A4: u8 = 9;
/// The most characters of a before/after text shown in a cell (Excel allows 32,767; a
/// printed row of that would run for pages).
pub const MAX_JSON_CHARS: usize = 2_000;

/// One entry as the sheet shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerSheetRow {
    pub seq: i64,
    /// The time in the city's zone, as text.
    pub at: String,
    /// The actor's name, or 系统.
    pub actor: String,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i64>,
    pub object_name: String,
    pub before: String,
    pub after: String,
    pub prev_hash: String,
    pub hash: String,
}

const HEADERS: [(&str, f64); 11] = [
    ("序号", 8.0),
    ("时间", 22.0),
    ("操作人", 14.0),
    ("操作", 20.0),
    ("对象类型", 14.0),
    ("对象编号", 9.0),
    ("对象名称", 22.0),
    ("修改前", 36.0),
    ("修改后", 36.0),
    ("前一哈希", 18.0),
    ("哈希", 18.0),
];

/// A before/after text as shown: whole when short, else its first [`MAX_JSON_CHARS`]
/// characters and a note.
fn shown(json: &str) -> String {
    if json.chars().count() <= MAX_JSON_CHARS {
        json.to_string()
    } else {
        let head: String = json.chars().take(MAX_JSON_CHARS).collect();
        format!("{head}…（已截断，完整内容见 JSON 行导出）")
    }
}

/// The workbook: one sheet, 审计账本.
pub fn write_ledger_xlsx(rows: &[LedgerSheetRow]) -> Result<Vec<u8>, FileError> {
    write(rows).map_err(|e| FileError::Write(e.to_string()))
}

fn write(rows: &[LedgerSheetRow]) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET_NAME)?;
    styles.banner_and_header(sheet, SHEET_NAME, HEADERS)?;
    for (row, e) in (2u32..).zip(rows) {
        let texts = [
            e.at.clone(),
            e.actor.clone(),
            e.action.clone(),
            e.object_type.clone(),
            e.object_id.map(|i| i.to_string()).unwrap_or_default(),
            e.object_name.clone(),
            shown(&e.before),
            shown(&e.after),
            e.prev_hash.clone(),
            e.hash.clone(),
        ];
        let height = crate::sheet::row_height(
            std::iter::once(("", HEADERS[0].1)).chain(
                texts
                    .iter()
                    .map(String::as_str)
                    .zip(HEADERS[1..].iter().map(|h| h.1)),
            ),
        );
        sheet.set_row_height(row, height.min(409.0))?;
        sheet.write_number_with_format(row, 0, e.seq as f64, &styles.centred)?;
        for (col, text) in (1u16..).zip(texts) {
            sheet.write_string_with_format(row, col, text, &styles.base)?;
        }
    }
    let last_row = u32::try_from(rows.len()).map_or(u32::MAX, |n| n + 1).max(1);
    let last_col = u16::try_from(HEADERS.len() - 1).expect("11 columns");
    sheet.set_freeze_panes(2, 0)?;
    sheet.autofilter(1, 0, last_row, last_col)?;
    sheet.set_landscape();
    sheet.set_paper_size(A4);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 1)?;
    sheet.set_footer("&C第 &P 页，共 &N 页");
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests;
