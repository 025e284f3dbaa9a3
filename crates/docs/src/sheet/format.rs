//! Which kind of spreadsheet some bytes are, told by their content, never by the file's name:
//! a zip package is .xlsx, or .ods when its first part is the OpenDocument `mimetype`; a
//! compound file (OLE) is an old .xls when it holds a `Workbook` (or `Book`) stream, a WPS
//! 表格 .et when it holds WPS's own streams, an encrypted .xlsx when it holds
//! `EncryptedPackage`; bytes with no NUL in their first 8 KiB are text (CSV). What we cannot
//! read is refused with [`FileError::SaveAsXlsx`], a message that says to save as .xlsx.

use crate::FileError;
use std::io::{Cursor, Read};

/// What the readers read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Xlsx,
    /// OpenDocument spreadsheet (LibreOffice, WPS can save it).
    Ods,
    /// Excel 97–2003 (BIFF8, also BIFF5), in a compound file.
    Xls,
}

const ZIP: &[u8] = b"PK\x03\x04";
const COMPOUND_FILE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ODS_MIME: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";
const OPENDOCUMENT: &[u8] = b"application/vnd.oasis.opendocument";

/// The format of `bytes`, or why it is refused.
pub(crate) fn sniff(bytes: &[u8]) -> Result<Format, FileError> {
    if bytes.starts_with(ZIP) {
        return Ok(zip_kind(bytes));
    }
    if bytes.starts_with(&COMPOUND_FILE) {
        return compound_kind(bytes);
    }
    let head = &bytes[..bytes.len().min(8 * 1024)];
    if !head.is_empty() && !head.contains(&0) {
        return Err(FileError::SaveAsXlsx { found: Found::Text });
    }
    Err(FileError::NotXlsx("the file is not a spreadsheet".into()))
}

/// An OpenDocument package starts with an uncompressed part named `mimetype` holding its
/// type (ISO/IEC 26300, 3.3); anything else zipped is taken for .xlsx (and checked as one).
fn zip_kind(bytes: &[u8]) -> Format {
    // Local file header: name length at 26, extra length at 28, name at 30.
    let field = |at: usize| {
        bytes
            .get(at..at + 2)
            .map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let (name_len, extra_len) = (field(26), field(28));
    let is_mimetype = bytes.get(30..30 + name_len) == Some(b"mimetype".as_slice());
    let data = bytes.get(30 + name_len + extra_len..).unwrap_or_default();
    if is_mimetype && data.starts_with(OPENDOCUMENT) {
        // A text document or a presentation is no spreadsheet: the .xlsx checks refuse it.
        if data.starts_with(ODS_MIME) {
            return Format::Ods;
        }
    }
    Format::Xlsx
}

fn compound_kind(bytes: &[u8]) -> Result<Format, FileError> {
    let file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| FileError::NotXlsx(format!("compound file: {e}")))?;
    let names: Vec<String> = file
        .read_root_storage()
        .map(|e| e.name().to_string())
        .collect();
    let has = |name: &str| names.iter().any(|n| n.eq_ignore_ascii_case(name));
    if has("EncryptedPackage") || has("EncryptionInfo") {
        return Err(FileError::SaveAsXlsx {
            found: Found::Encrypted,
        });
    }
    // WPS 表格 keeps its own data beside (or instead of) an Excel-like workbook stream.
    if names
        .iter()
        .any(|n| n.starts_with("ET") || n.starts_with("Wps") || n.starts_with("WPS"))
    {
        return Err(FileError::SaveAsXlsx { found: Found::Et });
    }
    if has("Workbook") || has("Book") {
        return Ok(Format::Xls);
    }
    Err(FileError::SaveAsXlsx {
        found: Found::OtherCompound,
    })
}

/// What a refused file was found to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Text: CSV, TSV, a web page saved as .xls.
    Text,
    /// A WPS 表格 .et workbook.
    Et,
    /// A password-protected workbook.
    Encrypted,
    /// A compound file with no workbook (a Word .doc, …).
    OtherCompound,
}

impl Found {
    pub fn zh(self) -> &'static str {
        match self {
            Found::Text => "文本文件（如CSV）",
            Found::Et => "WPS表格（.et）文件",
            Found::Encrypted => "加密的工作簿",
            Found::OtherCompound => "不含工作簿的旧版Office文件",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Found::Text => "a text file (such as CSV)",
            Found::Et => "a WPS spreadsheet (.et)",
            Found::Encrypted => "an encrypted workbook",
            Found::OtherCompound => "an old Office file with no workbook",
        }
    }
}

/// Reads at most `max` bytes of a stream; `None` when it holds more.
pub(crate) fn read_bounded(mut stream: impl Read, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut out = Vec::new();
    stream.by_ref().take(max + 1).read_to_end(&mut out)?;
    Ok((out.len() as u64 <= max).then_some(out))
}

#[cfg(test)]
mod tests;
