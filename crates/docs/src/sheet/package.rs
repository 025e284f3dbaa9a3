//! Inspecting a .xlsx package before the spreadsheet reader opens it: the zip directory (how
//! many parts, how large they say they are), then every part unpacked once into a fixed
//! buffer, counting its real size and scanning its XML for what the reader would buffer
//! whole (a tag or text run), the shared strings (how many, how long) and element counts.
//! Nothing here keeps more than a 64 KiB buffer; a file that passes can be handed to calamine,
//! whose allocations are then bounded by the parts' sizes.

use super::format::Format;
use super::limits::{Budget, Limit, Limits};
use crate::FileError;
use std::io::{Cursor, Read};
use zip::ZipArchive;

/// Checks the package (a .xlsx or a .ods, as [`super::format::sniff`] found) against
/// `limits`. Errors: [`FileError::NotXlsx`] for what is no such package (not a zip,
/// truncated, another OpenDocument), [`FileError::OverLimit`] naming the bound.
pub(crate) fn check(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    budget: &Budget,
) -> Result<(), FileError> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(FileError::NotXlsx("the file is not a zip package".into()));
    }
    if let Some(entries) = declared_entries(bytes)
        && entries > limits.max_parts
    {
        return Err(Limit::Parts {
            max: limits.max_parts,
        }
        .into());
    }
    let mut zip =
        ZipArchive::new(Cursor::new(bytes)).map_err(|e| FileError::NotXlsx(e.to_string()))?;
    if zip.len() > limits.max_parts {
        return Err(Limit::Parts {
            max: limits.max_parts,
        }
        .into());
    }
    // What the directory claims, first: refusing a claimed 4 GB part costs nothing.
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        let part = zip
            .by_index_raw(i)
            .map_err(|e| FileError::NotXlsx(e.to_string()))?;
        let name = part_name(&part);
        if format == Format::Xlsx
            && (name == "mimetype" || name.ends_with(".ods") || name == "content.xml")
        {
            return Err(FileError::NotXlsx(
                "this is an OpenDocument file but no spreadsheet".into(),
            ));
        }
        if part.size() > limits.max_part_bytes {
            return Err(Limit::PartBytes {
                part: name,
                max: limits.max_part_bytes,
            }
            .into());
        }
        declared = declared.saturating_add(part.size());
    }
    if declared > limits.max_unpacked_bytes {
        return Err(Limit::UnpackedBytes {
            max: limits.max_unpacked_bytes,
        }
        .into());
    }
    // Then what the parts really unpack to: a header may lie.
    let mut unpacked: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut part = zip
            .by_index(i)
            .map_err(|e| FileError::NotXlsx(e.to_string()))?;
        let name = part_name(&part);
        let mut scan = is_xml(&name).then(|| Scanner::new(&name, format, limits));
        let mut size: u64 = 0;
        loop {
            budget.check()?;
            let n = part
                .read(&mut buf)
                .map_err(|e| FileError::NotXlsx(format!("{name}: {e}")))?;
            if n == 0 {
                break;
            }
            size += n as u64;
            unpacked += n as u64;
            if size > limits.max_part_bytes {
                return Err(Limit::PartBytes {
                    part: name,
                    max: limits.max_part_bytes,
                }
                .into());
            }
            if unpacked > limits.max_unpacked_bytes {
                return Err(Limit::UnpackedBytes {
                    max: limits.max_unpacked_bytes,
                }
                .into());
            }
            if let Some(scan) = scan.as_mut() {
                scan.feed(&buf[..n])?;
            }
        }
    }
    Ok(())
}

fn part_name<R: Read>(part: &zip::read::ZipFile<'_, R>) -> String {
    part.name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

fn is_xml(name: &str) -> bool {
    name.ends_with(".xml") || name.ends_with(".rels")
}

/// The entry count the end-of-central-directory record states, read before the zip reader
/// builds its index of every entry; `None` when there is no such record (the zip reader
/// then refuses the file) or it defers to a zip64 record (the index is checked instead).
fn declared_entries(bytes: &[u8]) -> Option<usize> {
    const EOCD: [u8; 4] = [0x50, 0x4B, 0x05, 0x06];
    // The record is 22 bytes plus a comment of at most 65,535.
    let from = bytes.len().saturating_sub(22 + 65_535);
    let at = bytes[from..].windows(4).rposition(|w| w == EOCD)? + from;
    let total = bytes.get(at + 10..at + 12)?;
    let total = u16::from_le_bytes([total[0], total[1]]);
    (total != u16::MAX).then_some(usize::from(total))
}

/// What kind of part is scanned: its element or string counts are bounded differently.
#[derive(Clone, Copy, PartialEq)]
enum PartKind {
    /// A worksheet: cells are bounded while the grid is built, merges here.
    Worksheet,
    SharedStrings,
    Other,
}

/// A streaming look at XML bytes: tags and text runs, nothing parsed or kept beyond the first
/// bytes of a tag's name. Entities (`&amp;`) count as one character.
struct Scanner<'l> {
    part: String,
    kind: PartKind,
    limits: &'l Limits,
    in_tag: bool,
    in_entity: bool,
    /// Bytes of the current tag or text run.
    token: usize,
    /// The start of the current tag (`/si`, `mergeCell`, `?xml` …).
    name: [u8; 24],
    name_len: usize,
    elements: usize,
    strings: usize,
    /// Characters of the shared string being read, while inside `<si>`.
    string_chars: Option<usize>,
}

impl<'l> Scanner<'l> {
    fn new(part: &str, format: Format, limits: &'l Limits) -> Scanner<'l> {
        // An OpenDocument's cells are all in content.xml; they are bounded by
        // [`super::ods::check`], which reads it again knowing its repeated cells.
        let kind =
            if part.contains("worksheets/") || (format == Format::Ods && part == "content.xml") {
                PartKind::Worksheet
            } else if part.ends_with("sharedStrings.xml") {
                PartKind::SharedStrings
            } else {
                PartKind::Other
            };
        Scanner {
            part: part.to_string(),
            kind,
            limits,
            in_tag: false,
            in_entity: false,
            token: 0,
            name: [0; 24],
            name_len: 0,
            elements: 0,
            strings: 0,
            string_chars: None,
        }
    }

    fn feed(&mut self, bytes: &[u8]) -> Result<(), Limit> {
        for &b in bytes {
            if self.in_tag {
                if b == b'>' {
                    self.in_tag = false;
                    self.end_tag()?;
                    self.token = 0;
                } else {
                    if self.name_len < self.name.len() {
                        self.name[self.name_len] = b;
                        self.name_len += 1;
                    }
                    self.grow()?;
                }
            } else if b == b'<' {
                self.in_tag = true;
                self.in_entity = false;
                self.token = 0;
                self.name_len = 0;
            } else {
                self.grow()?;
                if let Some(chars) = self.string_chars.as_mut() {
                    let counts = if self.in_entity {
                        self.in_entity = b != b';';
                        false
                    } else {
                        self.in_entity = b == b'&';
                        b & 0xC0 != 0x80
                    };
                    if counts {
                        *chars += 1;
                        if *chars > self.limits.max_cell_chars {
                            return Err(Limit::CellChars {
                                max: self.limits.max_cell_chars,
                            });
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn grow(&mut self) -> Result<(), Limit> {
        self.token += 1;
        if self.token > self.limits.max_token_bytes {
            return Err(Limit::Token {
                part: self.part.clone(),
                max: self.limits.max_token_bytes,
            });
        }
        Ok(())
    }

    /// A tag ended: count it by its name.
    fn end_tag(&mut self) -> Result<(), Limit> {
        let tag = &self.name[..self.name_len];
        let closing = tag.first() == Some(&b'/');
        let special = matches!(tag.first(), Some(b'?' | b'!'));
        if closing || special {
            if closing && name_is(&tag[1..], b"si") {
                self.string_chars = None;
            }
            return Ok(());
        }
        let self_closing = self.name_len < self.name.len() && tag.last() == Some(&b'/');
        match self.kind {
            PartKind::SharedStrings if name_is(tag, b"si") => {
                self.strings += 1;
                if self.strings > self.limits.max_shared_strings {
                    return Err(Limit::SharedStrings {
                        max: self.limits.max_shared_strings,
                    });
                }
                self.string_chars = (!self_closing).then_some(0);
            }
            PartKind::Worksheet if name_is(tag, b"mergeCell") => {
                self.elements += 1;
                if self.elements > self.limits.max_merges {
                    return Err(Limit::Merges {
                        sheet: self.part.clone(),
                        max: self.limits.max_merges,
                    });
                }
            }
            PartKind::Other => {
                self.elements += 1;
                if self.elements > self.limits.max_elements {
                    return Err(Limit::Elements {
                        part: self.part.clone(),
                        max: self.limits.max_elements,
                    });
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Whether a tag's start is the element `name` (with or without a namespace prefix), followed
/// by whitespace, `/` or nothing.
fn name_is(tag: &[u8], name: &[u8]) -> bool {
    let end = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(tag.len());
    let full = &tag[..end];
    let local = match full.iter().rposition(|b| *b == b':') {
        Some(i) => &full[i + 1..],
        None => full,
    };
    local == name
}
