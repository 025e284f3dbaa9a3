//! The bulletin as .docx in the layout of GB/T 9704: A4 with the standard margins; the 版头 —
//! the issuing office in red 方正小标宋简体, the number centred under it, a red rule; the
//! title in 二号 小标宋; body in 三号 仿宋_GB2312 on a fixed 28 pt line; 一、 headings in 黑体,
//! （一） headings in 楷体_GB2312; ruled tables in 四号; the issuer and date at the foot; page
//! numbers "— 1 —" in 四号 宋体 in the footer. East-Asian fonts are set on every run with Times
//! New Roman for digits and Latin letters.

use super::{Piece, Printable, outline};
use crate::FileError;
use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, FieldCharType, Footer, InstrPAGE, InstrText,
    LineSpacing, LineSpacingType, PageMargin, Paragraph, ParagraphBorder, ParagraphBorderPosition,
    ParagraphBorders, Run, Shading, ShdType, SpecialIndentType, Table, TableCell, TableRow,
    VAlignType, WidthType,
};
use duban_core::assessment::bulletin::content::date_zh;

// The official-document layout the 督办单 set out (GB/T 9704: A4, margins, faces, the 三号
// body on a 28 pt line): one set of measures for every paper duban prints.
use crate::notice::layout::{
    BODY_FONT, BODY_LINE as LINE, BODY_SIZE as BODY, CHAR, DEFAULT_EAST_ASIAN_FONT as SONG, MARGIN,
    PAGE, RED, TEXT_WIDTH, TITLE_FONT, fonts, line as exact,
};
const HEI: &str = "黑体";
const KAI: &str = "楷体_GB2312";
/// Table text: 四号 would not fit five columns; 小四 (12 pt) on a 20 pt line.
const CELL: usize = 24;

fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(font)).size(size)
}

fn body(text: &str, font: &str, indent: bool) -> Paragraph {
    let p = Paragraph::new()
        .add_run(run(text, font, BODY))
        .align(AlignmentType::Both)
        .line_spacing(exact(LINE));
    if indent {
        p.indent(
            None,
            Some(SpecialIndentType::FirstLine(2 * CHAR)),
            None,
            None,
        )
        .first_line_chars(200)
    } else {
        p
    }
}

fn cell(text: &str, head: bool, width: usize) -> TableCell {
    let mut r = run(text, if head { HEI } else { BODY_FONT }, CELL);
    if head {
        r = r.bold();
    }
    let mut c = TableCell::new()
        .add_paragraph(
            Paragraph::new()
                .add_run(r)
                .align(AlignmentType::Center)
                .line_spacing(exact(400).before(20).after(20)),
        )
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center);
    if head {
        c = c.shading(Shading::new().shd_type(ShdType::Clear).fill("F2F2F2"));
    }
    c
}

fn table(widths: &[f32], header: &[String], rows: &[Vec<String>]) -> Table {
    let total: f32 = widths.iter().sum::<f32>().max(0.001);
    let grid: Vec<usize> = widths
        .iter()
        .map(|w| (w / total * TEXT_WIDTH as f32) as usize)
        .collect();
    let row = |cells: &[String], head: bool| {
        // A row is never split over two pages (docx-rs cannot mark a header row to repeat).
        TableRow::new(
            cells
                .iter()
                .zip(&grid)
                .map(|(t, w)| cell(t, head, *w))
                .collect(),
        )
        .cant_split()
    };
    let mut all = vec![row(header, true)];
    all.extend(rows.iter().map(|r| row(r, false)));
    Table::new(all)
        .set_grid(grid.clone())
        .width(TEXT_WIDTH, WidthType::Dxa)
}

fn footer() -> Footer {
    let dash = |t: &str| run(t, SONG, 28);
    let page = Run::new()
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE {}))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false)
        .fonts(fonts(SONG))
        .size(28);
    Footer::new().add_paragraph(
        Paragraph::new()
            .add_run(dash("— "))
            .add_run(page)
            .add_run(dash(" —"))
            .align(AlignmentType::Center),
    )
}

/// Characters of 二号 on one line of the type area.
const TITLE_LINE_CHARS: usize = 20;

/// The title in 二号 小标宋; a title longer than a line breaks in its middle (keeping a
/// number whole), so it never ends in one character alone on the second line.
fn title_run(title: &str) -> Run {
    let chars: Vec<char> = title.chars().collect();
    if chars.len() <= TITLE_LINE_CHARS {
        return run(title, TITLE_FONT, 44);
    }
    let mut cut = chars.len().div_ceil(2);
    while cut > 1 && chars[cut].is_ascii_digit() && chars[cut - 1].is_ascii_digit() {
        cut -= 1;
    }
    let first: String = chars[..cut].iter().collect();
    let second: String = chars[cut..].iter().collect();
    Run::new()
        .add_text(first)
        .add_break(BreakType::TextWrapping)
        .add_text(second)
        .fonts(fonts(TITLE_FONT))
        .size(44)
}

/// The red rule under the number: a bottom border of the number's paragraph.
fn red_rule(p: Paragraph) -> Paragraph {
    let mut p = p;
    let border = ParagraphBorder::new(ParagraphBorderPosition::Bottom)
        .val(BorderType::Single)
        .size(18)
        .space(4)
        .color(RED);
    p.property = p
        .property
        .set_borders(ParagraphBorders::with_empty().set(border));
    p
}

/// The bulletin as a .docx file.
pub fn write_docx(p: &Printable<'_>) -> Result<Vec<u8>, FileError> {
    let c = p.content;
    let day = p.date();
    let mut doc = Docx::new()
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
        .default_fonts(fonts(SONG))
        .default_size(BODY)
        .footer(footer())
        .created_at(&format!("{day}T00:00:00Z"))
        .updated_at(&format!("{day}T00:00:00Z"))
        .add_paragraph(
            Paragraph::new()
                .add_run(run(&c.issuer, TITLE_FONT, 60).color(RED).bold())
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().before(240).after(480)),
        )
        .add_paragraph(red_rule(
            Paragraph::new()
                .add_run(run(&p.number_line(), BODY_FONT, BODY))
                .align(AlignmentType::Center)
                .line_spacing(exact(LINE).after(560)),
        ))
        .add_paragraph(
            Paragraph::new()
                .add_run(title_run(&c.title))
                .align(AlignmentType::Center)
                .line_spacing(
                    LineSpacing::new()
                        .line_rule(LineSpacingType::Exact)
                        .line(700)
                        .after(LINE as u32),
                ),
        );
    for piece in outline(p) {
        doc = match piece {
            // Headings keep with what follows, so none ends a page alone.
            Piece::Heading1(t) => doc.add_paragraph(body(&t, HEI, true).keep_next(true)),
            Piece::Heading2(t) => doc.add_paragraph(body(&t, KAI, true).keep_next(true)),
            Piece::Paragraph(t) => doc.add_paragraph(body(&t, BODY_FONT, true)),
            // The figures table that follows says the same in numbers.
            Piece::Lights { .. } => doc,
            Piece::Table {
                widths,
                header,
                rows,
                ..
            } => doc
                .add_table(table(&widths, &header, &rows))
                .add_paragraph(Paragraph::new().line_spacing(exact(280))),
        };
    }
    for (i, line) in [c.issuer.clone(), date_zh(day)].iter().enumerate() {
        doc = doc.add_paragraph(
            Paragraph::new()
                .add_run(run(line, BODY_FONT, BODY))
                .align(AlignmentType::Right)
                .indent(None, None, Some(2 * CHAR), None)
                .line_spacing(exact(LINE).before(if i == 0 { 560 } else { 0 })),
        );
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.pack(&mut out)
        .map_err(|e| FileError::Write(e.to_string()))?;
    Ok(out.into_inner())
}
