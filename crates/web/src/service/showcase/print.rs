//! A presenter's page on the unified template as a PDF (A4, drawn by `duban_pdf` with the
//! bulletins' CJK font): the same figures as the page — progress against 序时进度 and the
//! lights, key indicators, milestones, cases, commitments, the rank in the assessment group —
//! then the unit's highlights and 短板与差距. The labels come from the reader's catalog, so
//! the PDF says what the page says.
//!
//! The layout is built here rather than in `docs` because its input is the page itself
//! ([`UnitPage`], a web type that is also the API's schema); it uses only `duban_pdf`'s plain
//! document model.

use super::page::{self, UnitPage};
use crate::error::AppError;
use crate::i18n::{Catalog, Lang};
use crate::state::AppState;
use duban_core::policy::Actor;
use duban_core::showcase::{PresenterId, ShowcaseId};
use duban_pdf::{Bar, Block, Document, Rgb};

/// The media type of the file.
pub const PDF: &str = "application/pdf";

/// The page as a PDF document model.
pub fn document(p: &UnitPage, t: &Catalog, lang: Lang) -> Document {
    let mut blocks = vec![
        Block::Title(p.unit_name.clone()),
        Block::Paragraph(format!(
            "{} · {} – {} · {} · {}/{}",
            p.title, p.period_start, p.period_end, p.group, p.position, p.presenters
        )),
        Block::Heading1(t.get("showcase.f_progress").to_string()),
    ];
    match &p.lights_end {
        Some(e) => {
            blocks.push(Block::Paragraph(format!(
                "{} ({}): {}% / {} {}%",
                t.get("showcase.f_progress"),
                e.period,
                e.progress,
                t.get("showcase.expected"),
                e.expected
            )));
            if let Some(s0) = p.lights_start.as_ref().filter(|s0| s0.period != e.period) {
                blocks.push(Block::Paragraph(format!(
                    "{} {}: {}% · {} {} · {} {} · {} {}",
                    t.get("showcase.since"),
                    s0.period,
                    s0.progress,
                    t.get("light.green"),
                    s0.green,
                    t.get("light.yellow"),
                    s0.yellow,
                    t.get("light.red"),
                    s0.red
                )));
            }
            let max = e.green.max(e.yellow).max(e.red).max(1) as f32;
            let bar = |key: &str, n: i64, colour| Bar {
                label: t.get(key).to_string(),
                share: n as f32 / max,
                colour,
                value: n.to_string(),
            };
            blocks.push(Block::Bars {
                caption: e.period.clone(),
                bars: vec![
                    bar("light.green", e.green, Rgb(0x2E, 0x9E, 0x44)),
                    bar("light.yellow", e.yellow, Rgb(0xE8, 0xA2, 0x02)),
                    bar("light.red", e.red, duban_pdf::RED),
                ],
            });
        }
        None => blocks.push(Block::Paragraph(t.get("showcase.no_month").to_string())),
    }
    blocks.push(Block::Heading1(t.get("showcase.f_indicators").to_string()));
    if p.indicators.is_empty() {
        blocks.push(Block::Paragraph("—".into()));
    } else {
        blocks.push(Block::Table {
            widths: vec![3.0, 3.0, 1.5, 2.0],
            header: [
                "showcase.indicator",
                "field.task",
                "showcase.target",
                "showcase.actual",
            ]
            .iter()
            .map(|k| t.get(k).to_string())
            .collect(),
            rows: p
                .indicators
                .iter()
                .map(|i| {
                    let actual = match (i.actual, i.percent) {
                        (Some(a), Some(pc)) => format!("{a}{} ({pc}%)", i.unit),
                        (Some(a), None) => format!("{a}{}", i.unit),
                        _ => "—".into(),
                    };
                    vec![
                        i.name.clone(),
                        i.task.clone(),
                        format!("{}{}", i.target, i.unit),
                        actual,
                    ]
                })
                .collect(),
        });
    }
    blocks.push(Block::Heading1(t.get("showcase.f_milestones").to_string()));
    blocks.push(Block::Paragraph(format!(
        "{} {} / {}",
        t.get("showcase.met"),
        p.milestones_met,
        p.milestones_due
    )));
    items(
        &mut blocks,
        t,
        "field.task_title",
        &p.milestones_missed,
        |m| m.note.clone(),
    );
    blocks.push(Block::Heading1(t.get("showcase.f_cases").to_string()));
    blocks.push(Block::Paragraph(format!(
        "{} {} · {} {}",
        t.get("showcase.cases_due"),
        p.cases_due,
        t.get("showcase.overdue"),
        p.cases_overdue_count
    )));
    items(&mut blocks, t, "field.matter", &p.cases_overdue, |c| {
        t.get(&format!("case_state.{}", c.note)).to_string()
    });
    blocks.push(Block::Heading1(t.get("showcase.f_commitments").to_string()));
    blocks.push(Block::Paragraph(format!(
        "{} {} · {} {} · {} {} · {} {}",
        t.get("showcase.kept"),
        p.commitments_kept,
        t.get("showcase.partly"),
        p.commitments_partly,
        t.get("showcase.broken"),
        p.commitments_broken,
        t.get("showcase.in_progress"),
        p.commitments_open
    )));
    if let Some(a) = &p.assessment {
        blocks.push(Block::Heading1(t.get("showcase.f_rank").to_string()));
        let group = if lang == Lang::En {
            &a.group_en
        } else {
            &a.group_zh
        };
        blocks.push(Block::Paragraph(format!(
            "{} {} / {} · {group} ({})",
            t.get("showcase.rank"),
            a.rank,
            a.of,
            a.period
        )));
    }
    blocks.push(Block::Heading1(t.get("showcase.highlights").to_string()));
    blocks.push(Block::Paragraph(if p.highlights.trim().is_empty() {
        "—".into()
    } else {
        p.highlights.clone()
    }));
    blocks.push(Block::Heading1(t.get("showcase.shortfalls").to_string()));
    blocks.push(Block::Paragraph(if p.complete {
        p.shortfalls.clone()
    } else {
        t.get("showcase.shortfalls_missing").to_string()
    }));
    Document {
        title: format!("{} · {}", p.unit_name, p.title),
        blocks,
    }
}

/// A table of dated items (missed milestones, overdue cases) with a note column.
fn items(
    blocks: &mut Vec<Block>,
    t: &Catalog,
    title: &str,
    lines: &[page::ItemLine],
    note: impl Fn(&page::ItemLine) -> String,
) {
    if lines.is_empty() {
        return;
    }
    blocks.push(Block::Table {
        widths: vec![1.6, 4.5, 3.0],
        header: vec![
            t.get("field.day").to_string(),
            t.get(title).to_string(),
            t.get("field.note").to_string(),
        ],
        rows: lines
            .iter()
            .map(|l| vec![l.due.clone(), l.title.clone(), note(l)])
            .collect(),
    });
}

/// A presenter's page as PDF bytes with the file name to offer; whoever may read the page
/// may have it.
pub async fn unit_pdf(
    state: &AppState,
    actor: &Actor,
    id: ShowcaseId,
    presenter: PresenterId,
    lang: Lang,
) -> Result<(Vec<u8>, String), AppError> {
    let p = page::unit_page(state, actor, id, presenter).await?;
    let font = crate::service::bulletins::pdf_font(state)?;
    let doc = document(&p, state.catalogs.get(lang), lang);
    let bytes = duban_pdf::render(&doc, &font).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((bytes, format!("{}-{}.pdf", p.title, p.unit_name)))
}
