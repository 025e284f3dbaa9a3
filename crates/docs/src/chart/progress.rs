//! Progress against 序时进度: per row a 0–100 % track, a bar for the reported progress in the
//! row's light colour, and a black tick where the row should be by now.

use super::svg::{
    GREY, LIGHTS, TRACK, clamp_pct, close, colour, empty, end_link, esc, label_text, num, open,
    pct, start_link,
};
use super::{ChartText, ProgressRow};
use std::fmt::Write;

const WIDTH: f64 = 480.0;
const LEGEND_H: f64 = 26.0;
const ROW_H: f64 = 26.0;
const BAR_H: f64 = 14.0;
/// Labels end at `LABEL_END`; the track runs from `BAR_X` over `BAR_W`; values follow.
const LABEL_END: f64 = 124.0;
pub(super) const BAR_X: f64 = 130.0;
pub(super) const BAR_W: f64 = 250.0;
const VALUE_X: f64 = BAR_X + BAR_W + 8.0;

/// One row per task (or unit), in the order given: the bar shows `actual`, coloured by the
/// row's light; the tick shows `expected`; both are printed at the right (`62% / 75%`).
/// No rows gives the empty state.
pub fn progress_vs_expected(text: &ChartText, rows: &[ProgressRow]) -> String {
    if rows.is_empty() {
        return empty(&text.title, &text.empty, WIDTH, 80.0);
    }
    let summary = LIGHTS
        .map(|l| {
            let n = rows.iter().filter(|r| r.light == l).count();
            format!("{} {n}", text.light(l))
        })
        .join(", ");
    let height = LEGEND_H + ROW_H * rows.len() as f64 + 4.0;
    let mut s = open(WIDTH, height, &text.title, &summary);

    // Legend: a bar swatch for progress, a tick for 序时进度.
    let _ = write!(
        s,
        r##"<g fill="{GREY}"><rect x="{BAR_X}" y="8" width="16" height="10" fill="{}"/><text x="{}" y="17">{}</text><rect x="{}" y="5" width="2" height="16" fill="#222"/><text x="{}" y="17">{}</text></g>"##,
        colour(LIGHTS[0]),
        num(BAR_X + 20.0),
        esc(&text.actual),
        num(BAR_X + 100.0),
        num(BAR_X + 106.0),
        esc(&text.expected),
    );

    // Shared attributes sit on one group per kind of mark, to keep long charts small.
    let bar_y = |i: usize| LEGEND_H + ROW_H * i as f64 + (ROW_H - BAR_H) / 2.0;
    let text_y = |i: usize| num(bar_y(i) + BAR_H / 2.0 + 4.5);
    s.push_str(r#"<g text-anchor="end">"#);
    for (i, row) in rows.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text x="{LABEL_END}" y="{}">{}</text>"#,
            text_y(i),
            label_text(&row.label, LABEL_END - 4.0),
        );
    }
    // The track and the bar link together, so a task at 0% can be clicked too.
    let _ = write!(s, r#"</g><g fill="{TRACK}">"#);
    for (i, row) in rows.iter().enumerate() {
        let opened = start_link(&mut s, row.link.as_deref(), "");
        let y = num(bar_y(i));
        let _ = write!(
            s,
            r#"<rect x="{BAR_X}" y="{y}" width="{BAR_W}" height="{BAR_H}"/>"#
        );
        let w = BAR_W * clamp_pct(row.actual) / 100.0;
        if w > 0.0 {
            let _ = write!(
                s,
                r#"<rect x="{BAR_X}" y="{y}" width="{}" height="{BAR_H}" fill="{}"/>"#,
                num(w),
                colour(row.light),
            );
        }
        end_link(&mut s, opened);
    }
    let _ = write!(s, r##"</g><g fill="#222">"##);
    for (i, row) in rows.iter().enumerate() {
        let _ = write!(
            s,
            r#"<rect x="{}" y="{}" width="2" height="{}"/>"#,
            num(BAR_X + BAR_W * clamp_pct(row.expected) / 100.0 - 1.0),
            num(bar_y(i) - 3.0),
            num(BAR_H + 6.0),
        );
    }
    let _ = write!(s, r#"</g><g fill="{GREY}" font-size="12">"#);
    for (i, row) in rows.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text x="{VALUE_X}" y="{}"><tspan fill="{}" font-weight="bold">{}</tspan> / {}</text>"#,
            text_y(i),
            colour(row.light),
            pct(row.actual),
            pct(row.expected),
        );
    }
    s.push_str("</g>");
    close(s)
}
