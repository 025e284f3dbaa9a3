//! Page, fonts and paragraph styles of an official notice, as docx-rs building blocks.
//!
//! Sizes: docx-rs takes font sizes in half-points and lengths in twips (1/20 pt; 1 mm ≈ 56.7).
//! 3号 is 16 pt, 4号 14 pt; a "character" of indent is one 3号 character, 320 twips.

use docx_rs::{
    AlignmentType, BorderType, Docx, LineSpacing, LineSpacingType, PageMargin, Paragraph,
    ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts, Shading, ShdType,
    SpecialIndentType, Tab, TabValueType, Table, TableCell, TableRow, VAlignType, WidthType,
};
use jiff::civil::Date;

/// 方正小标宋简体: the title face of official documents.
pub(crate) const TITLE_FONT: &str = "方正小标宋简体";
/// 仿宋_GB2312: the body face of official documents.
pub(crate) const BODY_FONT: &str = "仿宋_GB2312";
/// Digits and Latin letters, and what a machine without the Chinese fonts falls back on.
pub(crate) const LATIN_FONT: &str = "Times New Roman";
/// Every Chinese Windows and WPS has it; the default for text without a style.
pub(crate) const DEFAULT_EAST_ASIAN_FONT: &str = "宋体";
pub(crate) const RED: &str = "E00000";

/// A4 in twips.
pub(crate) const PAGE: (u32, u32) = (11906, 16838);
/// Margins in twips: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
pub(crate) const MARGIN: (i32, i32, i32, i32) = (2098, 1984, 1588, 1474);
/// Width of the text column in twips.
pub(crate) const TEXT_WIDTH: usize = 11906 - 1588 - 1474;
/// One 3号 character, in twips.
pub(crate) const CHAR: i32 = 320;
pub(crate) const BODY_SIZE: usize = 32;
const SMALL_SIZE: usize = 28;
/// The body's fixed line pitch: 28 pt.
pub(crate) const BODY_LINE: i32 = 560;
/// Space of half a body line, in twips: before the signature and the 抄送 block.
const HALF_LINE: u32 = 280;
/// The 抄送 block's fixed line pitch: 24 pt.
const SMALL_LINE: i32 = 480;
/// The facts table's fixed line pitch: 20 pt.
const CELL_LINE: i32 = 400;
/// Width of a label column of the facts table, in twips.
const LABEL_WIDTH: usize = 1800;

/// An empty A4 document with the notice's defaults; `issued_on` is its creation date, so the
/// same notice gives the same bytes.
pub(crate) fn document(issued_on: Date) -> Docx {
    Docx::new()
        .page_size(PAGE.0, PAGE.1)
        .page_margin(
            PageMargin::new()
                .top(MARGIN.0)
                .bottom(MARGIN.1)
                .left(MARGIN.2)
                .right(MARGIN.3)
                .header(851)
                .footer(992),
        )
        .default_fonts(fonts(DEFAULT_EAST_ASIAN_FONT))
        .default_size(BODY_SIZE)
        .created_at(&format!("{issued_on}T00:00:00Z"))
        .updated_at(&format!("{issued_on}T00:00:00Z"))
}

pub(crate) fn fonts(east_asian: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asian)
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
        .cs(LATIN_FONT)
        .hint("eastAsia")
}

/// The kinds of paragraph on a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// The issuing office, red, centred.
    Issuer,
    /// The notice's name (督办单), red, centred, spaced out.
    Name,
    /// 文号, centred over the red rule.
    Number,
    /// 主送: flush left.
    Addressee,
    /// Body text, first line indented two characters.
    Body,
    /// Issuer and date at the bottom right; `first` for the upper of the two.
    Signature { first: bool },
    /// 抄送, between rules across the text width, in 4号; the text starts with a full-width
    /// space, as the rules must not be indented with it.
    CopyTo,
    /// 印发 line: issuer left, date right (after a tab); `alone` when no 抄送 line is above.
    Printed { alone: bool },
}

pub(crate) fn line(twips: i32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(twips)
}

fn rule(
    position: ParagraphBorderPosition,
    eighths_of_a_point: usize,
    color: &str,
) -> ParagraphBorder {
    ParagraphBorder::new(position)
        .val(BorderType::Single)
        .size(eighths_of_a_point)
        .space(1)
        .color(color)
}

/// The paragraph with exactly these rules (docx-rs would otherwise box it on all four sides).
fn ruled(mut p: Paragraph, rules: Vec<ParagraphBorder>) -> Paragraph {
    let borders = rules
        .into_iter()
        .fold(ParagraphBorders::with_empty(), ParagraphBorders::set);
    p.property = p.property.set_borders(borders);
    p
}

/// A run of `text` in `font` at `size` half-points; a `\t` in the text is a real tab.
pub(crate) fn run(text: &str, font: &str, size: usize) -> Run {
    let mut run = Run::new();
    for (i, part) in text.split('\t').enumerate() {
        if i > 0 {
            run = run.add_tab();
        }
        run = run.add_text(part);
    }
    run.fonts(fonts(font)).size(size)
}

/// One paragraph of `text` in `style`.
pub(crate) fn paragraph(style: Style, text: &str) -> Paragraph {
    let black = "000000";
    let (font, size) = match style {
        Style::Issuer => (TITLE_FONT, 48),
        Style::Name => (TITLE_FONT, 60),
        Style::CopyTo | Style::Printed { .. } => (BODY_FONT, SMALL_SIZE),
        _ => (BODY_FONT, BODY_SIZE),
    };
    let mut r = run(text, font, size);
    if matches!(style, Style::Issuer | Style::Name) {
        r = r.color(RED);
    }
    if style == Style::Name {
        r = r.character_spacing(200);
    }
    let p = Paragraph::new().add_run(r);
    match style {
        Style::Issuer => p
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().before(0).after(0)),
        Style::Name => p
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().before(60).after(120)),
        Style::Number => ruled(
            p.align(AlignmentType::Center)
                .line_spacing(line(BODY_LINE).after(280)),
            vec![rule(ParagraphBorderPosition::Bottom, 18, RED)],
        ),
        Style::Addressee => p.align(AlignmentType::Left).line_spacing(line(BODY_LINE)),
        Style::Body => p
            .align(AlignmentType::Both)
            // Two characters: in twips for readers that ignore the character unit.
            .indent(
                None,
                Some(SpecialIndentType::FirstLine(2 * CHAR)),
                None,
                None,
            )
            .first_line_chars(200)
            .line_spacing(line(BODY_LINE)),
        Style::Signature { first } => p
            .align(AlignmentType::Right)
            .indent(None, None, Some(2 * CHAR), None)
            .line_spacing(line(BODY_LINE).before(if first { HALF_LINE } else { 0 })),
        Style::CopyTo => ruled(
            p.align(AlignmentType::Left)
                .line_spacing(line(SMALL_LINE).before(HALF_LINE)),
            vec![
                rule(ParagraphBorderPosition::Top, 8, black),
                rule(ParagraphBorderPosition::Bottom, 4, black),
            ],
        ),
        Style::Printed { alone } => {
            let right_edge = TEXT_WIDTH - usize::try_from(CHAR).expect("positive");
            let p = p
                .align(AlignmentType::Left)
                .add_tab(Tab::new().val(TabValueType::Right).pos(right_edge));
            if alone {
                ruled(
                    p.line_spacing(line(SMALL_LINE).before(HALF_LINE)),
                    vec![
                        rule(ParagraphBorderPosition::Top, 8, black),
                        rule(ParagraphBorderPosition::Bottom, 8, black),
                    ],
                )
            } else {
                ruled(
                    p.line_spacing(line(SMALL_LINE)),
                    vec![rule(ParagraphBorderPosition::Bottom, 8, black)],
                )
            }
        }
    }
}

/// A fact of the table: its label and value (several lines allowed).
pub(crate) type Fact = (&'static str, String);

/// The facts table: each row holds one fact across the width or two side by side; a
/// value's lines become paragraphs of its cell.
pub(crate) fn facts_table(rows: &[Vec<Fact>]) -> Table {
    let value_width = (TEXT_WIDTH - 2 * LABEL_WIDTH) / 2;
    let rows = rows
        .iter()
        .map(|facts| {
            let span = if facts.len() == 1 { 3 } else { 1 };
            let cells = facts
                .iter()
                .flat_map(|(label, value)| {
                    let label_cell = TableCell::new()
                        .add_paragraph(cell_paragraph(label, true).align(AlignmentType::Center))
                        .width(LABEL_WIDTH, WidthType::Dxa)
                        .vertical_align(VAlignType::Center)
                        .shading(Shading::new().shd_type(ShdType::Clear).fill("F2F2F2"));
                    let lines: Vec<&str> = value
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .collect();
                    // A cell must hold a paragraph, even when the value is empty.
                    let lines = if lines.is_empty() { vec![""] } else { lines };
                    let value_cell = lines
                        .into_iter()
                        .fold(TableCell::new(), |cell, l| {
                            cell.add_paragraph(cell_paragraph(l, false))
                        })
                        .width(
                            if span == 1 {
                                value_width
                            } else {
                                2 * value_width + LABEL_WIDTH
                            },
                            WidthType::Dxa,
                        )
                        .grid_span(span)
                        .vertical_align(VAlignType::Center);
                    [label_cell, value_cell]
                })
                .collect();
            TableRow::new(cells)
        })
        .collect();
    Table::new(rows)
        .set_grid(vec![LABEL_WIDTH, value_width, LABEL_WIDTH, value_width])
        .width(TEXT_WIDTH, WidthType::Dxa)
}

fn cell_paragraph(text: &str, bold: bool) -> Paragraph {
    let mut r = run(text, BODY_FONT, SMALL_SIZE);
    if bold {
        r = r.bold();
    }
    Paragraph::new()
        .add_run(r)
        .line_spacing(line(CELL_LINE).before(20).after(20))
}
