//! 附件 — evidence files attached to progress reports, case steps and tasks: which formats are
//! accepted, the limits, the content hash that names a stored file and where it lives. Pure
//! rules; sniffing and thumbnails are in `duban_docs::attachments`, the bytes themselves in
//! the database or a directory ([`Storage`], written by the web layer).

use sha2::Digest;
use std::fmt;

/// The three kinds people see (and the database checks): photos, PDF, Office documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Image,
    Pdf,
    Office,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Image => "image",
            Kind::Pdf => "pdf",
            Kind::Office => "office",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::Image, Kind::Pdf, Kind::Office]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Every accepted file format, as recognised from its content (never from its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    Pdf,
    Docx,
    Xlsx,
    Pptx,
    Doc,
    Xls,
    Ppt,
}

impl Format {
    pub const ALL: [Format; 10] = [
        Format::Jpeg,
        Format::Png,
        Format::Webp,
        Format::Pdf,
        Format::Docx,
        Format::Xlsx,
        Format::Pptx,
        Format::Doc,
        Format::Xls,
        Format::Ppt,
    ];

    /// The media type sent with a download.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
            Format::Pdf => "application/pdf",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            Format::Doc => "application/msword",
            Format::Xls => "application/vnd.ms-excel",
            Format::Ppt => "application/vnd.ms-powerpoint",
        }
    }

    /// The format of a stored media type (`None` for one we no longer accept).
    pub fn from_mime(mime: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.mime() == mime)
    }

    pub fn kind(self) -> Kind {
        match self {
            Format::Jpeg | Format::Png | Format::Webp => Kind::Image,
            Format::Pdf => Kind::Pdf,
            _ => Kind::Office,
        }
    }

    /// The usual file extension, without the dot (for a file name that lacks one).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Pptx => "pptx",
            Format::Doc => "doc",
            Format::Xls => "xls",
            Format::Ppt => "ppt",
        }
    }
}

/// How much one upload may carry. Configured (`attachments` in the configuration); the
/// defaults suit phone photos and scanned PDFs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file, in bytes.
    pub max_file_bytes: u64,
    /// Most files in one form or API request.
    pub max_files: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 10 * 1024 * 1024,
            max_files: 9,
        }
    }
}

/// Thumbnails are JPEGs whose longer side is this many pixels.
pub const THUMB_LONG_SIDE: u32 = 320;

/// Why a file was refused; the web layer names the file and words the reason in the reader's
/// language (`err.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("more than {limit} files at once")]
    TooMany { limit: usize },
    #[error("not a photo (JPEG, PNG, WebP), PDF or Office document")]
    NotAllowed,
    #[error("the image cannot be read")]
    CorruptImage,
}

impl Refusal {
    /// The stable code (API `code`, catalog key `err.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Empty => "file_empty",
            Refusal::TooLarge { .. } => "file_too_large",
            Refusal::TooMany { .. } => "too_many_files",
            Refusal::NotAllowed => "file_type",
            Refusal::CorruptImage => "file_corrupt",
        }
    }
}

impl Limits {
    /// Checks a file's size: not empty, not over the limit.
    pub fn check_size(&self, len: u64) -> Result<(), Refusal> {
        match len {
            0 => Err(Refusal::Empty),
            n if n > self.max_file_bytes => Err(Refusal::TooLarge {
                limit: self.max_file_bytes,
            }),
            _ => Ok(()),
        }
    }

    /// Checks that the `n`-th file (1-based) of a request is still within the count.
    pub fn check_count(&self, n: usize) -> Result<(), Refusal> {
        if n > self.max_files {
            Err(Refusal::TooMany {
                limit: self.max_files,
            })
        } else {
            Ok(())
        }
    }
}

/// A SHA-256 content hash: names a stored file, and is what the ledger records.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256([u8; 32]);

/// A text that is not 64 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a SHA-256 hash (64 lowercase hex digits)")]
pub struct BadHash;

impl Sha256 {
    /// The hash of some content.
    pub fn of(bytes: &[u8]) -> Sha256 {
        Sha256(sha2::Sha256::digest(bytes).into())
    }

    /// Parses the stored form: exactly 64 lowercase hex digits (so a hash is also a safe
    /// file name: no dots, no slashes).
    pub fn parse(s: &str) -> Result<Sha256, BadHash> {
        if s.len() != 64 || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(BadHash);
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).map_err(|_| BadHash)?;
        Ok(Sha256(out))
    }

    pub fn hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Where the content lives under `blobs/` (and its thumbnail under `thumbs/`): the first
    /// two hex digits as a directory, the other 62 as the file name (`ab/cdef…`), so no
    /// directory grows past 1/256 of the files.
    pub fn blob_path(&self) -> (String, String) {
        let h = self.hex();
        (h[..2].to_string(), h[2..].to_string())
    }
}

impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hex())
    }
}

impl fmt::Debug for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256({})", self.hex())
    }
}

/// Where attachments' bytes are kept (`attachments.store`). Every process on one database
/// must see the same bytes, so the choice is the deployment's, not the process's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Storage {
    /// In the database (`blobs`), cut into [`BLOB_PART_BYTES`] parts: nothing to share but
    /// the database. The default.
    #[default]
    Database,
    /// Files under a directory (`blobs/ab/cdef…`, `thumbs/ab/cdef….jpg`): for very large
    /// volumes; several processes need that directory on a shared filesystem.
    Directory,
}

impl Storage {
    pub fn as_str(self) -> &'static str {
        match self {
            Storage::Database => "database",
            Storage::Directory => "directory",
        }
    }

    pub fn parse(s: &str) -> Option<Storage> {
        [Storage::Database, Storage::Directory]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// The largest part of an attachment's bytes kept in one database row: a download reads and
/// sends one part at a time, and no single value grows with the upload limit.
pub const BLOB_PART_BYTES: usize = 1024 * 1024;

/// Which of a content's stored byte strings: the file as uploaded, or a photo's thumbnail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    File,
    Thumb,
}

impl Variant {
    pub fn as_str(self) -> &'static str {
        match self {
            Variant::File => "file",
            Variant::Thumb => "thumb",
        }
    }
}

/// The number of [`BLOB_PART_BYTES`] parts `len` bytes are stored in (at least one).
pub fn blob_parts(len: usize) -> usize {
    len.div_ceil(BLOB_PART_BYTES).max(1)
}

/// What an attachment is attached to. The link also carries the task or case whose policy
/// decides who may see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkedTo {
    /// A progress report (进度报告) of a task.
    Report,
    /// A step on a case's timeline (续报, 申请办结 …).
    CaseEvent,
    /// A task itself.
    Task,
}

impl LinkedTo {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkedTo::Report => "report",
            LinkedTo::CaseEvent => "case_event",
            LinkedTo::Task => "task",
        }
    }

    pub fn parse(s: &str) -> Option<LinkedTo> {
        [LinkedTo::Report, LinkedTo::CaseEvent, LinkedTo::Task]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// The name a file is kept and offered under: the last path component of what the browser
/// sent (some send `C:\\fakepath\\x.jpg`), without control characters, at most 120
/// characters, and with the format's extension when it has none. Empty names become
/// `附件.<ext>`.
pub fn clean_file_name(sent: &str, format: Format) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or("");
    let mut name: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':'))
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_string();
    if name.chars().count() > 120 {
        let (stem, ext) = split_ext(&name);
        let keep = 120usize.saturating_sub(ext.chars().count() + 1);
        let stem: String = stem.chars().take(keep).collect();
        name = if ext.is_empty() {
            stem
        } else {
            format!("{stem}.{ext}")
        };
    }
    if name.is_empty() {
        return format!("附件.{}", format.extension());
    }
    if split_ext(&name).1.is_empty() {
        name = format!("{name}.{}", format.extension());
    }
    name
}

fn split_ext(name: &str) -> (&str, &str) {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() <= 5 && !ext.contains(' ') => {
            (stem, ext)
        }
        _ => (name, ""),
    }
}

/// The size of a thumbnail of a `width` × `height` image: the longer side `long_side`, the
/// other in proportion (at least 1); images already smaller keep their size.
pub fn thumb_size(width: u32, height: u32, long_side: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= long_side || long == 0 {
        return (width.max(1), height.max(1));
    }
    let scale = |v: u32| {
        ((u64::from(v) * u64::from(long_side) + u64::from(long) / 2) / u64::from(long)) as u32
    };
    (scale(width).max(1), scale(height).max(1))
}

#[cfg(test)]
mod tests;
