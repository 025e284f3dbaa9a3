//! Layout in two passes: [`Pages::document`] flows the blocks into pages of simple drawing
//! operations (text at a baseline, lines, filled rectangles), then draws each page with
//! krilla and adds its number. Lengths are PDF points, y grows downwards (krilla's system).

use crate::{Bar, Block, Document, PdfError, RED, Rgb, break_lines};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};
use skrifa::raw::TableProvider;
use std::collections::HashMap;
use std::sync::Arc;

/// A4.
const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
/// Margins of GB/T 9704: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
const TOP: f32 = 104.88;
const BOTTOM: f32 = 99.21;
const LEFT: f32 = 79.37;
const RIGHT: f32 = 73.70;
const WIDTH: f32 = PAGE_W - LEFT - RIGHT;
/// 三号 body text on a fixed 28 pt line.
const BODY: f32 = 16.0;
const BODY_LINE: f32 = 28.0;
/// 二号 title.
const TITLE: f32 = 22.0;
/// Table text (小四) and its line.
const CELL: f32 = 12.0;
const CELL_LINE: f32 = 17.0;
const CELL_PAD: f32 = 4.0;
const BLACK: Rgb = Rgb(0, 0, 0);
/// Space kept below a heading on its page, so it never ends a page alone.
const KEEP_WITH_NEXT: f32 = 3.0 * CELL_LINE + 4.0 * CELL_PAD + 12.0;
/// Share of the font size above the baseline, for placing a line in its box.
const ASCENT: f32 = 0.86;

enum Op {
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        colour: Rgb,
        bold: bool,
        text: String,
        /// Extra space after each character (justified lines).
        spacing: f32,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        colour: Rgb,
    },
    Rect {
        rect: (f32, f32, f32, f32),
        colour: Rgb,
    },
}

pub(crate) struct Pages {
    data: Arc<Vec<u8>>,
    index: u32,
    /// Glyph id and advance (in ems) of every character met.
    glyphs: HashMap<char, (u32, f32)>,
    pages: Vec<Vec<Op>>,
    /// Where the next block starts on the last page.
    y: f32,
}

impl Pages {
    pub(crate) fn new(data: Vec<u8>, index: u32) -> Result<Pages, PdfError> {
        let bad = |reason: &str| PdfError::Font {
            path: String::new(),
            reason: reason.to_string(),
        };
        skrifa::FontRef::from_index(&data, index).map_err(|e| bad(&e.to_string()))?;
        Ok(Pages {
            data: Arc::new(data),
            index,
            glyphs: HashMap::new(),
            pages: vec![Vec::new()],
            y: TOP,
        })
    }

    /// Looks up every character of the document once.
    fn learn(&mut self, doc: &Document) -> Result<(), PdfError> {
        let mut chars: Vec<char> = "— 0123456789".chars().collect();
        for b in &doc.blocks {
            let texts: Vec<&str> = match b {
                Block::RedHeader { issuer, number } => vec![issuer, number],
                Block::Title(t) | Block::Heading1(t) | Block::Heading2(t) | Block::Paragraph(t) => {
                    vec![t]
                }
                Block::Table { header, rows, .. } => header
                    .iter()
                    .chain(rows.iter().flatten())
                    .map(String::as_str)
                    .collect(),
                Block::Bars { caption, bars } => std::iter::once(caption.as_str())
                    .chain(
                        bars.iter()
                            .flat_map(|b| [b.label.as_str(), b.value.as_str()]),
                    )
                    .collect(),
                Block::Signature(lines) => lines.iter().map(String::as_str).collect(),
            };
            chars.extend(texts.iter().flat_map(|t| t.chars()));
        }
        let font =
            skrifa::FontRef::from_index(&self.data, self.index).map_err(|e| PdfError::Font {
                path: String::new(),
                reason: e.to_string(),
            })?;
        let upem = font.head().map(|h| h.units_per_em()).unwrap_or(1000).max(1) as f32;
        let cmap = font.charmap();
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        for c in chars {
            if self.glyphs.contains_key(&c) {
                continue;
            }
            let gid = cmap.map(c).unwrap_or_default();
            let adv = metrics.advance_width(gid).unwrap_or(upem / 2.0) / upem;
            self.glyphs.insert(c, (gid.to_u32(), adv));
        }
        Ok(())
    }

    fn advance(&self, c: char) -> f32 {
        self.glyphs.get(&c).map_or(0.5, |g| g.1)
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c) * size).sum()
    }

    fn lines(&self, text: &str, width: f32, size: f32, indent: f32) -> Vec<String> {
        break_lines(text, width, indent, |c| self.advance(c) * size)
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("there is always a page")
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` still fits on this one.
    fn room(&mut self, height: f32) {
        if self.y + height > PAGE_H - BOTTOM + 0.5 && self.y > TOP {
            self.new_page();
        }
    }

    #[expect(clippy::too_many_arguments, reason = "one text operation's fields")]
    fn text(
        &mut self,
        x: f32,
        top: f32,
        pitch: f32,
        size: f32,
        colour: Rgb,
        bold: bool,
        text: &str,
        spacing: f32,
    ) {
        let baseline = top + (pitch - size) / 2.0 + size * ASCENT;
        self.ops().push(Op::Text {
            x,
            baseline,
            size,
            colour,
            bold,
            text: text.to_string(),
            spacing,
        });
    }

    fn rule(&mut self, y: f32, width: f32, colour: Rgb) {
        self.ops().push(Op::Line {
            from: (LEFT, y),
            to: (LEFT + WIDTH, y),
            width,
            colour,
        });
    }

    /// Lines of `text` flowing over pages; `justify` spreads full lines to the width.
    #[expect(clippy::too_many_arguments, reason = "a paragraph's style")]
    fn flow(
        &mut self,
        text: &str,
        size: f32,
        pitch: f32,
        indent: f32,
        colour: Rgb,
        bold: bool,
        centred: bool,
        justify: bool,
    ) {
        let mut lines = self.lines(text, WIDTH, size, indent);
        if centred && lines.len() > 1 {
            // A centred title breaks into lines of even length, not a full line and a stub.
            let n = lines.len();
            let even = self.width(text, size) / n as f32 + size * 1.5;
            let balanced = self.lines(text, even.min(WIDTH), size, indent);
            if balanced.len() == n {
                lines = balanced;
            }
        }
        let n = lines.len();
        for (i, line) in lines.iter().enumerate() {
            self.room(pitch);
            let first = i == 0;
            let w = self.width(line, size);
            let x = if centred {
                LEFT + (WIDTH - w) / 2.0
            } else if first {
                LEFT + indent
            } else {
                LEFT
            };
            let avail = if first { WIDTH - indent } else { WIDTH };
            let count = line.chars().count();
            let spacing = if justify && i + 1 < n && count > 1 && !text.contains('\n') {
                ((avail - w) / (count - 1) as f32).clamp(0.0, size * 0.5)
            } else {
                0.0
            };
            let y = self.y;
            self.text(x, y, pitch, size, colour, bold, line, spacing);
            self.y += pitch;
        }
    }

    fn block(&mut self, b: &Block) {
        match b {
            Block::RedHeader { issuer, number } => {
                // As large as fits: 发文机关标志 is set to the width of the type area at most.
                let size = (WIDTH / self.width(issuer, 1.0).max(1.0)).min(30.0);
                let w = self.width(issuer, size);
                let y = self.y;
                self.text(
                    LEFT + (WIDTH - w) / 2.0,
                    y,
                    size * 1.4,
                    size,
                    RED,
                    true,
                    issuer,
                    0.0,
                );
                self.y += size * 1.4 + BODY_LINE;
                self.flow(number, BODY, BODY_LINE, 0.0, BLACK, false, true, false);
                self.y += 6.0;
                let y = self.y;
                self.rule(y, 1.5, RED);
                self.y += BODY_LINE;
            }
            Block::Title(t) => {
                self.flow(t, TITLE, 36.0, 0.0, BLACK, true, true, false);
                self.y += BODY_LINE / 2.0;
            }
            // A heading keeps with what follows: room for it and about three lines or rows.
            Block::Heading1(t) => {
                self.room(BODY_LINE + KEEP_WITH_NEXT);
                self.flow(t, BODY, BODY_LINE, 2.0 * BODY, BLACK, true, false, false);
            }
            Block::Heading2(t) => {
                self.room(BODY_LINE + KEEP_WITH_NEXT);
                self.flow(t, BODY, BODY_LINE, 2.0 * BODY, BLACK, false, false, false);
            }
            Block::Paragraph(t) => {
                self.flow(t, BODY, BODY_LINE, 2.0 * BODY, BLACK, false, false, true);
            }
            Block::Table {
                widths,
                header,
                rows,
            } => self.table(widths, header, rows),
            Block::Bars { caption, bars } => self.bars(caption, bars),
            Block::Signature(lines) => {
                self.y += BODY_LINE / 2.0;
                for l in lines {
                    self.room(BODY_LINE);
                    let w = self.width(l, BODY);
                    let y = self.y;
                    self.text(
                        LEFT + WIDTH - 2.0 * BODY - w,
                        y,
                        BODY_LINE,
                        BODY,
                        BLACK,
                        false,
                        l,
                        0.0,
                    );
                    self.y += BODY_LINE;
                }
            }
        }
    }

    fn table(&mut self, widths: &[f32], header: &[String], rows: &[Vec<String>]) {
        let total: f32 = widths.iter().sum::<f32>().max(0.001);
        let cols: Vec<f32> = widths.iter().map(|w| w / total * WIDTH).collect();
        self.y += 4.0;
        self.room(3.0 * CELL_LINE + 4.0 * CELL_PAD);
        self.row(&cols, header, true);
        for r in rows {
            let h = self.row_height(&cols, r);
            if self.y + h > PAGE_H - BOTTOM {
                self.new_page();
                self.row(&cols, header, true);
            }
            self.row(&cols, r, false);
        }
        self.y += BODY_LINE / 2.0;
    }

    fn cell_lines(&self, col: f32, text: &str) -> Vec<String> {
        self.lines(text, col - 2.0 * CELL_PAD, CELL, 0.0)
    }

    fn row_height(&self, cols: &[f32], cells: &[String]) -> f32 {
        let n = cols
            .iter()
            .zip(cells)
            .map(|(w, t)| self.cell_lines(*w, t).len().max(1))
            .max()
            .unwrap_or(1);
        n as f32 * CELL_LINE + 2.0 * CELL_PAD
    }

    fn row(&mut self, cols: &[f32], cells: &[String], head: bool) {
        let h = self.row_height(cols, cells);
        let top = self.y;
        if head {
            self.ops().push(Op::Rect {
                rect: (LEFT, top, WIDTH, h),
                colour: Rgb(0xF2, 0xF2, 0xF2),
            });
        }
        let mut x = LEFT;
        for (w, text) in cols.iter().zip(cells) {
            let lines = self.cell_lines(*w, text);
            let block = lines.len() as f32 * CELL_LINE;
            let mut y = top + (h - block) / 2.0;
            for l in &lines {
                let lw = self.width(l, CELL);
                // Short values (ranks, numbers) centred; wrapped text flush left.
                let lx = if lines.len() == 1 {
                    x + (w - lw) / 2.0
                } else {
                    x + CELL_PAD
                };
                self.text(lx, y, CELL_LINE, CELL, BLACK, head, l, 0.0);
                y += CELL_LINE;
            }
            self.ops().push(Op::Line {
                from: (x, top),
                to: (x, top + h),
                width: 0.5,
                colour: BLACK,
            });
            x += w;
        }
        let edges = [(LEFT + WIDTH, top, LEFT + WIDTH, top + h)];
        for (x1, y1, x2, y2) in edges {
            self.ops().push(Op::Line {
                from: (x1, y1),
                to: (x2, y2),
                width: 0.5,
                colour: BLACK,
            });
        }
        for y in [top, top + h] {
            self.rule(y, 0.5, BLACK);
        }
        self.y = top + h;
    }

    fn bars(&mut self, caption: &str, bars: &[Bar]) {
        let pitch = 18.0;
        self.room(BODY_LINE + pitch * bars.len().min(4) as f32);
        let y = self.y;
        let w = self.width(caption, 13.0);
        self.text(
            LEFT + (WIDTH - w) / 2.0,
            y,
            BODY_LINE,
            13.0,
            BLACK,
            true,
            caption,
            0.0,
        );
        self.y += BODY_LINE;
        let label_w = WIDTH * 0.28;
        let bar_w = WIDTH * 0.55;
        for b in bars {
            self.room(pitch);
            let y = self.y;
            let lines = self.lines(&b.label, label_w - 6.0, 11.0, 0.0);
            let label = lines.first().cloned().unwrap_or_default();
            let lw = self.width(&label, 11.0);
            self.text(
                LEFT + label_w - 6.0 - lw,
                y,
                pitch,
                11.0,
                BLACK,
                false,
                &label,
                0.0,
            );
            let len = (b.share.clamp(0.0, 1.0) * bar_w).max(0.5);
            self.ops().push(Op::Rect {
                rect: (LEFT + label_w, y + 4.0, len, pitch - 8.0),
                colour: b.colour,
            });
            self.text(
                LEFT + label_w + len + 4.0,
                y,
                pitch,
                11.0,
                BLACK,
                false,
                &b.value,
                0.0,
            );
            self.y += pitch;
        }
        self.y += BODY_LINE / 2.0;
    }

    /// Flows the document, then draws every page with its number.
    pub(crate) fn document(mut self, doc: &Document) -> Result<Vec<u8>, PdfError> {
        self.learn(doc)?;
        for b in &doc.blocks {
            self.block(b);
        }
        // Page numbers: 4号, "— n —", under the type area; right on odd pages, left on even.
        let count = self.pages.len();
        for n in 1..=count {
            let label = format!("— {n} —");
            let w = self.width(&label, 14.0);
            let x = if n % 2 == 1 {
                LEFT + WIDTH - BODY - w
            } else {
                LEFT + BODY
            };
            let top = PAGE_H - BOTTOM + 14.0;
            self.pages[n - 1].push(Op::Text {
                x,
                baseline: top + 14.0 * ASCENT,
                size: 14.0,
                colour: BLACK,
                bold: false,
                text: label,
                spacing: 0.0,
            });
        }
        let font = Font::new(self.data.clone().into(), self.index).ok_or(PdfError::Font {
            path: String::new(),
            reason: "not a font krilla can embed".into(),
        })?;
        let mut document = krilla::Document::new();
        let mut meta = krilla::metadata::Metadata::new().language("zh-CN".into());
        if !doc.title.is_empty() {
            meta = meta.title(doc.title.clone());
        }
        document.set_metadata(meta);
        for ops in &self.pages {
            let settings = PageSettings::from_wh(PAGE_W, PAGE_H).expect("A4 is a valid size");
            let mut page = document.start_page_with(settings);
            let mut surface = page.surface();
            for op in ops {
                self.draw(&mut surface, &font, op);
            }
            surface.finish();
            page.finish();
        }
        document
            .finish()
            .map_err(|e| PdfError::Write(format!("{e:?}")))
    }

    fn draw(&self, surface: &mut Surface<'_>, font: &Font, op: &Op) {
        let paint = |c: Rgb| rgb::Color::new(c.0, c.1, c.2);
        match op {
            Op::Text {
                x,
                baseline,
                size,
                colour,
                bold,
                text,
                spacing,
            } => {
                let glyphs: Vec<KrillaGlyph> = text
                    .char_indices()
                    .map(|(i, c)| {
                        let (gid, adv) = self.glyphs.get(&c).copied().unwrap_or((0, 0.5));
                        KrillaGlyph::new(
                            GlyphId::new(gid),
                            adv + spacing / size,
                            0.0,
                            0.0,
                            0.0,
                            i..i + c.len_utf8(),
                            None,
                        )
                    })
                    .collect();
                surface.set_fill(Some(Fill {
                    paint: paint(*colour).into(),
                    opacity: NormalizedF32::ONE,
                    rule: Default::default(),
                }));
                // One font only: bold is the glyphs filled and outlined with a thin line.
                surface.set_stroke(bold.then(|| Stroke {
                    paint: paint(*colour).into(),
                    width: size * 0.03,
                    ..Default::default()
                }));
                surface.draw_glyphs(
                    Point::from_xy(*x, *baseline),
                    &glyphs,
                    font.clone(),
                    text,
                    *size,
                    false,
                );
                surface.set_stroke(None);
            }
            Op::Line {
                from,
                to,
                width,
                colour,
            } => {
                let mut pb = PathBuilder::new();
                pb.move_to(from.0, from.1);
                pb.line_to(to.0, to.1);
                if let Some(path) = pb.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: paint(*colour).into(),
                        width: *width,
                        ..Default::default()
                    }));
                    surface.draw_path(&path);
                    surface.set_stroke(None);
                }
            }
            Op::Rect { rect, colour } => {
                let mut pb = PathBuilder::new();
                if let Some(r) = Rect::from_xywh(rect.0, rect.1, rect.2, rect.3) {
                    pb.push_rect(r);
                }
                if let Some(path) = pb.finish() {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill {
                        paint: paint(*colour).into(),
                        opacity: NormalizedF32::ONE,
                        rule: Default::default(),
                    }));
                    surface.draw_path(&path);
                }
            }
        }
    }
}
