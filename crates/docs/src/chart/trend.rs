//! The months of a year side by side: a column per period stacked green / yellow / red by count
//! (left axis), and lines of average progress and 序时进度 (right axis, 0–100 %).

use super::svg::{
    BLUE, FONT, GREY, LIGHTS, TRACK, clamp_pct, close, colour, empty, end_link, esc, num, open,
    pct, start_link, text_width,
};
use super::{ChartText, TrendPoint};
use std::fmt::Write;

const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 260.0;
pub(super) const PLOT_X: f64 = 36.0;
const PLOT_R: f64 = 440.0;
pub(super) const PLOT_T: f64 = 36.0;
pub(super) const PLOT_B: f64 = 228.0;
const EXPECTED_INK: &str = "#222";

/// One column per period, in the order given. A period's column links to its page; a period
/// without progress leaves a gap in the line. One period draws one column and two dots; no
/// periods gives the empty state (`text.empty`).
pub fn trend(text: &ChartText, periods: &[TrendPoint]) -> String {
    let Some(last) = periods.last() else {
        return empty(&text.title, &text.empty, WIDTH, HEIGHT);
    };
    let mut s = open(WIDTH, HEIGHT, &text.title, &point_summary(text, last));
    legend(&mut s, text);

    let max = periods.iter().map(|p| p.lights.total()).max().unwrap_or(0);
    let (top, step) = count_axis(max);
    let plot_h = PLOT_B - PLOT_T;
    let count_y = |n: f64| PLOT_B - plot_h * n / top as f64;
    let pct_y = |v: f64| PLOT_B - plot_h * clamp_pct(v) / 100.0;

    // Grid and both axes' labels.
    let _ = write!(s, r#"<g fill="{GREY}" font-size="11">"#);
    let mut v = 0;
    while v <= top {
        let y = num(count_y(v as f64));
        let _ = write!(
            s,
            r#"<rect x="{PLOT_X}" y="{y}" width="{}" height="1" fill="{TRACK}"/><text x="{}" y="{}" text-anchor="end">{v}</text>"#,
            num(PLOT_R - PLOT_X),
            num(PLOT_X - 6.0),
            num(count_y(v as f64) + 4.0),
        );
        v += step;
    }
    for p in [0.0, 50.0, 100.0] {
        let _ = write!(
            s,
            r#"<text x="{}" y="{}">{}</text>"#,
            num(PLOT_R + 6.0),
            num(pct_y(p) + 4.0),
            pct(p),
        );
    }
    s.push_str("</g>");

    // Columns.
    let n = periods.len() as f64;
    let slot = (PLOT_R - PLOT_X) / n;
    let col_w = (slot * 0.6).min(36.0);
    let centre = |i: usize| PLOT_X + slot * (i as f64 + 0.5);
    for (i, p) in periods.iter().enumerate() {
        let opened = start_link(&mut s, p.link.as_deref(), &point_summary(text, p));
        let mut base = 0.0;
        for light in LIGHTS {
            let c = f64::from(p.lights.get(light));
            if c == 0.0 {
                continue;
            }
            let _ = write!(
                s,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
                num(centre(i) - col_w / 2.0),
                num(count_y(base + c)),
                num(col_w),
                num(count_y(base) - count_y(base + c)),
                colour(light),
            );
            base += c;
        }
        end_link(&mut s, opened);
    }

    // X labels, thinned out when they would overlap.
    let widest = periods
        .iter()
        .map(|p| text_width(p.label.trim(), 11.0))
        .fold(0.0, f64::max);
    let every = ((widest + 6.0) / slot).ceil().max(1.0) as usize;
    let _ = write!(
        s,
        r#"<g fill="{GREY}" font-size="11" text-anchor="middle">"#
    );
    for (i, p) in periods.iter().enumerate().step_by(every) {
        let _ = write!(
            s,
            r#"<text x="{}" y="{}">{}</text>"#,
            num(centre(i)),
            num(PLOT_B + 16.0),
            esc(p.label.trim()),
        );
    }
    s.push_str("</g>");

    // Lines: progress solid with dots, 序时进度 dashed with hollow dots.
    let progress: Vec<Option<(f64, f64)>> = periods
        .iter()
        .enumerate()
        .map(|(i, p)| p.progress.map(|v| (centre(i), pct_y(v))))
        .collect();
    let expected: Vec<Option<(f64, f64)>> = periods
        .iter()
        .enumerate()
        .map(|(i, p)| p.expected.map(|v| (centre(i), pct_y(v))))
        .collect();
    line(
        &mut s,
        &expected,
        &format!(r#"stroke="{EXPECTED_INK}" stroke-dasharray="5 3""#),
        &format!(r##"fill="#fff" stroke="{EXPECTED_INK}""##),
    );
    line(
        &mut s,
        &progress,
        &format!(r#"stroke="{BLUE}""#),
        &format!(r#"fill="{BLUE}""#),
    );
    close(s)
}

/// `1月: 绿灯 8, 黄灯 3, 红灯 1, 实际进度 62%, 序时进度 75%`.
fn point_summary(text: &ChartText, p: &TrendPoint) -> String {
    let mut parts = vec![p.label.trim().to_string()];
    parts.extend(LIGHTS.map(|l| format!("{} {}", text.light(l), p.lights.get(l))));
    if let Some(v) = p.progress {
        parts.push(format!("{} {}", text.actual, pct(v)));
    }
    if let Some(v) = p.expected {
        parts.push(format!("{} {}", text.expected, pct(v)));
    }
    parts.join(", ")
}

fn legend(s: &mut String, text: &ChartText) {
    let mut x = PLOT_X;
    let y = 16.0;
    let _ = write!(s, r#"<g fill="{GREY}">"#);
    for light in LIGHTS {
        let _ = write!(
            s,
            r#"<rect x="{}" y="{}" width="10" height="10" fill="{}"/><text x="{}" y="{y}">{}</text>"#,
            num(x),
            num(y - 9.0),
            colour(light),
            num(x + 14.0),
            esc(text.light(light)),
        );
        x += 14.0 + text_width(text.light(light), FONT) + 14.0;
    }
    for (name, style) in [
        (&text.actual, format!(r#"stroke="{BLUE}""#)),
        (
            &text.expected,
            format!(r#"stroke="{EXPECTED_INK}" stroke-dasharray="5 3""#),
        ),
    ] {
        let _ = write!(
            s,
            r#"<path d="M{} {}h18" {style} stroke-width="2"/><text x="{}" y="{y}">{}</text>"#,
            num(x),
            num(y - 4.0),
            num(x + 22.0),
            esc(name),
        );
        x += 22.0 + text_width(name, FONT) + 14.0;
    }
    s.push_str("</g>");
}

/// A polyline through consecutive points (a gap where a point is missing) and a dot on each.
fn line(s: &mut String, points: &[Option<(f64, f64)>], stroke: &str, dot: &str) {
    for run in points.split(Option::is_none) {
        if run.len() < 2 {
            continue;
        }
        let pts: Vec<String> = run
            .iter()
            .flatten()
            .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
            .collect();
        let _ = write!(
            s,
            r#"<polyline points="{}" fill="none" {stroke} stroke-width="2"/>"#,
            pts.join(" ")
        );
    }
    for (x, y) in points.iter().flatten() {
        let _ = write!(
            s,
            r#"<circle cx="{}" cy="{}" r="3" {dot} stroke-width="1.5"/>"#,
            num(*x),
            num(*y)
        );
    }
}

/// The top of the count axis and its step: 1, 2 or 5 × 10ⁿ, at most about five lines.
pub(super) fn count_axis(max: u64) -> (u64, u64) {
    let max = max.max(1);
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            let st = step * m;
            if max.div_ceil(st) <= 5 {
                return (max.div_ceil(st) * st, st);
            }
        }
        step *= 10;
    }
}
