//! The bounds every spreadsheet reader works within, and the refusal that names the bound a
//! file went past.
//!
//! A .xlsx is a zip of XML, so a few kilobytes can describe gigabytes: a cell at XFD1048576
//! (a dense reader allocates 17 billion cells), a dimension claiming the whole sheet, a 10 MB
//! shared string, a part that unpacks a thousand-fold. Each bound below is checked *before*
//! the memory it guards is taken — from the zip directory, while streaming the XML, or while
//! the grid is built cell by cell — so reading any file costs at most a few tens of MiB and
//! seconds. The defaults are far above any real task list, problem list or progress sheet
//! (hundreds of rows, 10–30 columns) and well inside Excel's own limits where it has one.

use std::time::{Duration, Instant};

/// Larger uploads are refused before they are opened.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// What a reader accepts. [`Limits::default`] is what the web and the CLI use unless
/// configured otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The file itself, in bytes (10 MiB).
    pub max_file_bytes: usize,
    /// Parts (entries) in the zip package (1,000; Excel writes about 10 plus one per sheet).
    pub max_parts: usize,
    /// Bytes one part unpacks to, counted while unpacking, not taken from the header (32 MiB).
    pub max_part_bytes: u64,
    /// Bytes all parts together unpack to (64 MiB); this, not a ratio, is what makes a zip
    /// bomb harmless: unpacking stops counting there.
    pub max_unpacked_bytes: u64,
    /// Bytes of one XML tag or one run of text (256 KiB): the XML parser buffers a whole
    /// token, so this bounds its buffer. Excel's longest cell, escaped, fits.
    pub max_token_bytes: usize,
    /// Elements in a part other than a worksheet or the shared strings (styles, workbook,
    /// relationships: 200,000; Excel allows 64,000 cell formats).
    pub max_elements: usize,
    /// Entries of the shared-string table (500,000).
    pub max_shared_strings: usize,
    /// Characters of one cell or shared string (32,767, Excel's own limit).
    pub max_cell_chars: usize,
    /// Rows of a worksheet: the highest row with a value, and its declared dimension (20,000).
    pub max_rows: u32,
    /// Columns likewise (200).
    pub max_columns: u32,
    /// Cells of the rectangle from A1 to the last row and column with a value (500,000 —
    /// 20,000 rows of 25 columns; about 24 MiB as a grid).
    pub max_cells: usize,
    /// Merged regions of a worksheet (20,000).
    pub max_merges: usize,
    /// Bytes of text in a worksheet's grid once merged regions are filled in (32 MiB).
    pub max_text_bytes: usize,
    /// Time for reading one file, from the first byte to the last row (10 s).
    pub max_time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: MAX_FILE_BYTES,
            max_parts: 1_000,
            max_part_bytes: 32 * 1024 * 1024,
            max_unpacked_bytes: 64 * 1024 * 1024,
            max_token_bytes: 256 * 1024,
            max_elements: 200_000,
            max_shared_strings: 500_000,
            max_cell_chars: 32_767,
            max_rows: 20_000,
            max_columns: 200,
            max_cells: 500_000,
            max_merges: 20_000,
            max_text_bytes: 32 * 1024 * 1024,
            max_time: Duration::from_secs(10),
        }
    }
}

/// The bound a file went past; [`crate::FileError::OverLimit`] carries it. `part` is a path
/// inside the zip package (`xl/sharedStrings.xml`), `sheet` a worksheet's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Limit {
    #[error("the package has more than {max} parts")]
    Parts { max: usize },
    #[error("part {part} unpacks to more than {} MiB", mib(*max))]
    PartBytes { part: String, max: u64 },
    #[error("the workbook unpacks to more than {} MiB", mib(*max))]
    UnpackedBytes { max: u64 },
    #[error("part {part} has a tag or text longer than {} KiB", max / 1024)]
    Token { part: String, max: usize },
    #[error("part {part} has more than {max} elements")]
    Elements { part: String, max: usize },
    #[error("the workbook has more than {max} shared strings")]
    SharedStrings { max: usize },
    #[error("a cell or shared string is longer than {max} characters")]
    CellChars { max: usize },
    #[error(
        "sheet {sheet} declares the range {range}; at most {max_rows} rows and {max_columns} columns are read"
    )]
    Dimension {
        sheet: String,
        range: String,
        max_rows: u32,
        max_columns: u32,
    },
    #[error("sheet {sheet} has values below row {max}")]
    Rows { sheet: String, max: u32 },
    #[error("sheet {sheet} has values right of column {max}")]
    Columns { sheet: String, max: u32 },
    #[error("sheet {sheet} spans more than {max} cells")]
    Cells { sheet: String, max: usize },
    #[error("sheet {sheet} has more than {max} merged regions")]
    Merges { sheet: String, max: usize },
    #[error("sheet {sheet} holds more than {} MiB of text once merged cells are filled in", max / (1024 * 1024))]
    TextBytes { sheet: String, max: usize },
    #[error("reading the file took longer than {} s", max.as_secs())]
    Time { max: Duration },
}

fn mib(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

impl Limit {
    /// The message in plain Chinese.
    pub fn zh(&self) -> String {
        match self {
            Limit::Parts { max } => format!("文件内部的组成部分超过{max}个"),
            Limit::PartBytes { part, max } => {
                format!("文件中的{part}解压后超过{}MB", mib(*max))
            }
            Limit::UnpackedBytes { max } => format!("文件解压后超过{}MB", mib(*max)),
            Limit::Token { part, max } => {
                format!("文件中的{part}含有超过{}KB的标记或文字", max / 1024)
            }
            Limit::Elements { part, max } => format!("文件中的{part}含有超过{max}个元素"),
            Limit::SharedStrings { max } => format!("文件中的文字条目超过{max}条"),
            Limit::CellChars { max } => format!("有单元格的文字超过{max}个字符"),
            Limit::Dimension {
                sheet,
                range,
                max_rows,
                max_columns,
            } => format!(
                "工作表“{sheet}”的范围为{range}，最多只能读取{max_rows}行、{max_columns}列（请删除多余的空行空列后另存）"
            ),
            Limit::Rows { sheet, max } => format!("工作表“{sheet}”超过{max}行"),
            Limit::Columns { sheet, max } => format!("工作表“{sheet}”超过{max}列"),
            Limit::Cells { sheet, max } => format!("工作表“{sheet}”的单元格超过{max}个"),
            Limit::Merges { sheet, max } => format!("工作表“{sheet}”的合并单元格超过{max}处"),
            Limit::TextBytes { sheet, max } => format!(
                "工作表“{sheet}”展开合并单元格后文字超过{}MB",
                max / (1024 * 1024)
            ),
            Limit::Time { max } => format!("读取文件超过{}秒", max.as_secs()),
        }
    }
}

/// The time left for reading one file: started when the read starts, checked between
/// chunks and cells.
pub(crate) struct Budget {
    started: Instant,
    max: Duration,
}

impl Budget {
    pub fn start(limits: &Limits) -> Budget {
        Budget {
            started: Instant::now(),
            max: limits.max_time,
        }
    }

    /// [`Limit::Time`] once the time is spent (at once for a budget of zero).
    pub fn check(&self) -> Result<(), Limit> {
        if self.started.elapsed() >= self.max {
            Err(Limit::Time { max: self.max })
        } else {
            Ok(())
        }
    }
}
