//! Units ranked by a rate: one horizontal bar per unit, its value printed after it.
//!
//! Kept lean because a city ranks every unit at once: shared attributes sit on three groups
//! (labels, bars, values) rather than on each row, about 130 bytes a row without links.

use super::svg::{
    BLUE, GREY, clamp_pct, close, empty, end_link, label_text, num, open, pct, start_link,
};
use super::{ChartText, RankRow};
use std::fmt::Write;

const WIDTH: f64 = 480.0;
const ROW_H: f64 = 22.0;
const BAR_H: f64 = 14.0;
const TOP: f64 = 4.0;
const LABEL_END: f64 = 124.0;
pub(super) const BAR_X: f64 = 130.0;
pub(super) const BAR_W: f64 = 300.0;

/// The rows in the order given (the caller ranks them and settles ties): label, a bar as long
/// as the rate (0–100 %, clamped for drawing) and the rate printed. No rows gives the empty
/// state.
pub fn ranking(text: &ChartText, rows: &[RankRow]) -> String {
    if rows.is_empty() {
        return empty(&text.title, &text.empty, WIDTH, 80.0);
    }
    let mut summary: Vec<String> = rows
        .iter()
        .take(3)
        .map(|r| format!("{} {}", r.label.trim(), pct(r.rate)))
        .collect();
    if rows.len() > 3 {
        summary.push(format!("… ({})", rows.len()));
    }
    let height = TOP * 2.0 + ROW_H * rows.len() as f64;
    let mut s = open(WIDTH, height, &text.title, &summary.join(", "));
    let y = |i: usize| TOP + ROW_H * i as f64;
    let text_y = |i: usize| num(y(i) + ROW_H / 2.0 + 4.5);

    s.push_str(r#"<g text-anchor="end">"#);
    for (i, row) in rows.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text x="{LABEL_END}" y="{}">{}</text>"#,
            text_y(i),
            label_text(&row.label, LABEL_END - 4.0),
        );
    }
    let _ = write!(s, r#"</g><g fill="{BLUE}">"#);
    for (i, row) in rows.iter().enumerate() {
        let tooltip = format!("{} {}", row.label.trim(), pct(row.rate));
        let opened = start_link(&mut s, row.link.as_deref(), &tooltip);
        let _ = write!(
            s,
            r#"<rect x="{BAR_X}" y="{}" width="{}" height="{BAR_H}"/>"#,
            num(y(i) + (ROW_H - BAR_H) / 2.0),
            num((BAR_W * clamp_pct(row.rate) / 100.0).max(1.0)),
        );
        end_link(&mut s, opened);
    }
    let _ = write!(s, r#"</g><g fill="{GREY}">"#);
    for (i, row) in rows.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text x="{}" y="{}">{}</text>"#,
            num(BAR_X + BAR_W * clamp_pct(row.rate) / 100.0 + 5.0),
            text_y(i),
            pct(row.rate),
        );
    }
    s.push_str("</g>");
    close(s)
}
