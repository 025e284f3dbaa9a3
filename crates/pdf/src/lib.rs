//! Official documents as PDF, laid out here and drawn with krilla: A4 with the margins of
//! GB/T 9704, the red header (发文机关标志 in red over a red rule, the document number centred
//! above it), the title in 二号, body text in 三号 on a 28 pt line with a two-character indent,
//! headings, ruled tables whose header repeats on each page, simple bar charts, and the page
//! number "— 1 —" in the footer. The one CJK font is embedded and subset by krilla.
//!
//! What is not here: shaping (each character is one glyph from the font's cmap, which is all
//! Chinese, digits and Latin need), font fallback, images. The document model is plain data
//! ([`Document`], [`Block`]), so this crate knows nothing of bulletins.
#![forbid(unsafe_code)]

mod draw;
pub mod lines;

pub use lines::break_lines;

/// Why no PDF was made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(
        "the PDF font {path} could not be read ({reason}); install fonts-wqy-microhei or set the font path in the configuration"
    )]
    Font { path: String, reason: String },
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// A font file and the face to use in it (a .ttc holds several; 0 is the first).
#[derive(Debug, Clone)]
pub struct FontFile {
    pub path: String,
    pub index: u32,
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// The red of the header and its rule.
pub const RED: Rgb = Rgb(0xE0, 0, 0);

/// One bar of a [`Block::Bars`] chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    /// Drawn length as a share of the widest possible bar, 0–1.
    pub share: f32,
    pub colour: Rgb,
    /// Printed after the bar (a count, a rate).
    pub value: String,
}

/// What a page is made of, top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// 发文机关标志 in red, the document number centred under it, a red rule.
    RedHeader { issuer: String, number: String },
    /// The document's title, centred, 二号.
    Title(String),
    /// A first-level heading (一、…), 黑体 in the docx; here bold-looking.
    Heading1(String),
    /// A second-level heading (（一）…), 楷体 in the docx.
    Heading2(String),
    /// Body text, first line indented two characters.
    Paragraph(String),
    /// A ruled table: relative column widths, a header row (repeated on each page) and rows.
    Table {
        widths: Vec<f32>,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// Horizontal bars with a caption above.
    Bars { caption: String, bars: Vec<Bar> },
    /// Lines flush right (the issuer and date).
    Signature(Vec<String>),
}

/// A whole document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// The title in the PDF's metadata.
    pub title: String,
    pub blocks: Vec<Block>,
}

/// The document as PDF bytes, with `font` embedded and subset.
pub fn render(doc: &Document, font: &FontFile) -> Result<Vec<u8>, PdfError> {
    let data = std::fs::read(&font.path).map_err(|e| PdfError::Font {
        path: font.path.clone(),
        reason: e.to_string(),
    })?;
    render_with(doc, data, font.index).map_err(|e| match e {
        PdfError::Font { reason, .. } => PdfError::Font {
            path: font.path.clone(),
            reason,
        },
        other => other,
    })
}

/// The same with the font's bytes at hand.
pub fn render_with(doc: &Document, font: Vec<u8>, index: u32) -> Result<Vec<u8>, PdfError> {
    draw::Pages::new(font, index)?.document(doc)
}

/// The first font file of `candidates` that exists: the configured path first, then common
/// places of free CJK fonts. `None` when there is none.
pub fn find_font(candidates: &[FontFile]) -> Option<FontFile> {
    candidates
        .iter()
        .find(|f| std::path::Path::new(&f.path).is_file())
        .cloned()
}

/// Free CJK fonts where Debian puts them, in order of preference after the configured one.
pub fn fallback_fonts() -> Vec<FontFile> {
    [
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    ]
    .into_iter()
    .map(|p| FontFile {
        path: p.to_string(),
        index: 0,
    })
    .collect()
}

#[cfg(test)]
mod tests;
