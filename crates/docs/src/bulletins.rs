//! Bulletins (通报) as files: one [`outline`] of the document — headings, the office's
//! paragraphs, the tables of overdue and red tasks, the ranking tables, the mentions — laid
//! out three ways: .docx in the official layout ([`write_docx`]), .pdf through `duban-pdf`
//! ([`pdf_document`]) and .xlsx with the tables ([`write_xlsx`]). What the bulletin says is
//! the caller's (`core::assessment::bulletin`); this module only lays it out.

mod docx;
mod xlsx;

pub use docx::write_docx;
pub use xlsx::write_xlsx;

use duban_core::assessment::bulletin::content::{Commentary, Content, UnitItems, date_zh};
use duban_core::assessment::fmt_points;
use jiff::civil::Date;

/// A bulletin to print: its content and commentary, its number once issued.
#[derive(Debug, Clone)]
pub struct Printable<'a> {
    pub content: &'a Content,
    pub commentary: &'a Commentary,
    /// 永督通〔2026〕5号; `None` for a draft.
    pub number: Option<&'a str>,
    /// The day it was issued (the draft prints the day its figures were taken).
    pub issued_on: Option<Date>,
}

impl Printable<'_> {
    /// The number line: the number, or that it is a draft.
    pub fn number_line(&self) -> String {
        self.number
            .map_or_else(|| "（征求意见稿 · 未编号）".to_string(), str::to_string)
    }

    pub fn date(&self) -> Date {
        self.issued_on.unwrap_or(self.content.as_of)
    }
}

/// One piece of the document, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Heading1(String),
    Heading2(String),
    Paragraph(String),
    /// The count of tasks per light, drawn as bars where the format can.
    Lights {
        green: i64,
        yellow: i64,
        red: i64,
    },
    Table {
        /// A sheet name for the .xlsx.
        name: String,
        widths: Vec<f32>,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn paragraphs(out: &mut Vec<Piece>, text: &str) {
    for p in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        out.push(Piece::Paragraph(p.to_string()));
    }
}

fn items_table(name: &str, lists: &[UnitItems]) -> Piece {
    let mut rows = Vec::new();
    for u in lists {
        for it in &u.items {
            rows.push(vec![
                (rows.len() + 1).to_string(),
                u.unit.clone(),
                it.title.clone(),
                it.due.map(|d| d.to_string()).unwrap_or_default(),
                format!("{}%", it.progress),
            ]);
        }
    }
    Piece::Table {
        name: name.to_string(),
        widths: vec![1.1, 2.4, 4.5, 2.0, 1.2],
        header: ["序号", "责任单位", "任务", "完成时限", "进度"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

/// The document in order: 一、总体情况 … 六、下步工作要求.
pub fn outline(p: &Printable<'_>) -> Vec<Piece> {
    let c = p.content;
    let t = &c.tasks;
    let mut out = Vec::new();
    let mut n = 0;
    let mut h1 = |out: &mut Vec<Piece>, title: &str| {
        out.push(Piece::Heading1(format!("{}、{title}", NUMERALS[n])));
        n += 1;
    };
    h1(&mut out, "总体情况");
    paragraphs(&mut out, &p.commentary.overview);
    out.push(Piece::Lights {
        green: t.green,
        yellow: t.yellow,
        red: t.red,
    });
    let pct = |tenths: i64| format!("{}.{}%", tenths / 10, tenths % 10);
    out.push(Piece::Table {
        name: "总体情况".into(),
        widths: vec![1.0; 7],
        header: [
            "任务总数",
            "绿灯",
            "黄灯",
            "红灯",
            "逾期",
            "平均进度",
            "序时进度",
        ]
        .map(String::from)
        .to_vec(),
        rows: vec![vec![
            t.total.to_string(),
            t.green.to_string(),
            t.yellow.to_string(),
            t.red.to_string(),
            t.overdue.to_string(),
            pct(t.progress_tenths),
            pct(t.expected_tenths),
        ]],
    });
    h1(&mut out, "逾期和亮红灯任务");
    out.push(Piece::Heading2("（一）逾期未完成任务".into()));
    if c.overdue.is_empty() {
        out.push(Piece::Paragraph("本期无逾期未完成任务。".into()));
    } else {
        out.push(items_table("逾期任务", &c.overdue));
    }
    out.push(Piece::Heading2("（二）亮红灯任务".into()));
    if c.red.is_empty() {
        out.push(Piece::Paragraph("本期无亮红灯任务。".into()));
    } else {
        out.push(items_table("红灯任务", &c.red));
    }
    if let Some(r) = &c.ranking {
        h1(&mut out, "考核排名");
        for (i, g) in r.groups.iter().enumerate() {
            out.push(Piece::Heading2(format!(
                "（{}）{}",
                NUMERALS[i % 10],
                g.name
            )));
            out.push(Piece::Table {
                name: g.name.clone(),
                widths: vec![1.0, 4.0, 1.5, 1.5, 1.8],
                header: ["排名", "单位", "得分", "名次变化", "星级"]
                    .map(String::from)
                    .to_vec(),
                rows: g
                    .rows
                    .iter()
                    .map(|l| {
                        vec![
                            l.rank.to_string(),
                            l.unit.clone(),
                            l.total_text(),
                            l.change_text(),
                            l.stars_text(),
                        ]
                    })
                    .collect(),
            });
        }
    }
    if !c.praised.is_empty() || !c.criticised.is_empty() {
        h1(&mut out, "表扬和批评");
        for (head, list) in [
            ("（一）通报表扬", &c.praised),
            ("（二）通报批评", &c.criticised),
        ] {
            if list.is_empty() {
                continue;
            }
            out.push(Piece::Heading2(head.into()));
            for m in list {
                out.push(Piece::Paragraph(format!(
                    "{}：{}（{}，{}分）",
                    m.unit,
                    m.reason.trim().trim_end_matches('。'),
                    date_zh(m.day),
                    fmt_points(m.points)
                )));
            }
        }
    }
    h1(&mut out, "存在问题");
    paragraphs(&mut out, &p.commentary.problems);
    h1(&mut out, "下步工作要求");
    paragraphs(&mut out, &p.commentary.requirements);
    out
}

/// The same document for `duban-pdf`.
pub fn pdf_document(p: &Printable<'_>) -> duban_pdf::Document {
    use duban_pdf::{Bar, Block, Rgb};
    let c = p.content;
    let mut blocks = vec![
        Block::RedHeader {
            issuer: c.issuer.clone(),
            number: p.number_line(),
        },
        Block::Title(c.title.clone()),
    ];
    for piece in outline(p) {
        blocks.push(match piece {
            Piece::Heading1(t) => Block::Heading1(t),
            Piece::Heading2(t) => Block::Heading2(t),
            Piece::Paragraph(t) => Block::Paragraph(t),
            Piece::Lights { green, yellow, red } => {
                let max = green.max(yellow).max(red).max(1) as f32;
                let bar = |label: &str, n: i64, colour| Bar {
                    label: label.into(),
                    share: n as f32 / max,
                    colour,
                    value: format!("{n}项"),
                };
                Block::Bars {
                    caption: "任务亮灯情况".into(),
                    bars: vec![
                        bar("绿灯", green, Rgb(0x2E, 0x9E, 0x44)),
                        bar("黄灯", yellow, Rgb(0xE8, 0xA2, 0x02)),
                        bar("红灯", red, duban_pdf::RED),
                    ],
                }
            }
            Piece::Table {
                widths,
                header,
                rows,
                ..
            } => Block::Table {
                widths,
                header,
                rows,
            },
        });
    }
    blocks.push(Block::Signature(vec![c.issuer.clone(), date_zh(p.date())]));
    duban_pdf::Document {
        title: c.title.clone(),
        blocks,
    }
}

#[cfg(test)]
mod tests;
