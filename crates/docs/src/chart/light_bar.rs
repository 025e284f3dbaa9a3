//! One horizontal bar split green / yellow / red by count, with a legend of counts and shares.

use super::svg::{
    FONT, GREY, LIGHTS, close, colour, empty, end_link, esc, num, open, shares, start_link,
    text_width,
};
use super::{ChartText, LightCounts, LightLinks};
use std::fmt::Write;

const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 64.0;
/// The bar runs from `BAR_X` over `BAR_W` units.
pub(super) const BAR_X: f64 = 10.0;
pub(super) const BAR_W: f64 = 460.0;
const BAR_Y: f64 = 4.0;
const BAR_H: f64 = 30.0;
const LEGEND_Y: f64 = 54.0;

/// The light bar of a set of tasks or cases: segments as wide as their share of the total,
/// each with its count and share when it fits, and a legend (`绿灯 3 (60%)`) that always
/// shows all three. A segment and its legend entry link to `links`' page for that light.
/// All counts zero gives the empty state.
pub fn light_bar(text: &ChartText, counts: &LightCounts, links: Option<&LightLinks>) -> String {
    let total = counts.total();
    if total == 0 {
        return empty(&text.title, &text.empty, WIDTH, HEIGHT);
    }
    let parts = LIGHTS.map(|l| counts.get(l));
    let share = shares(&parts);
    let entry = |i: usize| format!("{} {} ({}%)", text.light(LIGHTS[i]), parts[i], share[i]);
    let summary = (0..3).map(entry).collect::<Vec<_>>().join(", ");
    let mut s = open(WIDTH, HEIGHT, &text.title, &summary);
    let link = |i: usize| {
        links
            .and_then(|l| l.get(LIGHTS[i]))
            .filter(|_| parts[i] > 0)
    };

    let mut x = BAR_X;
    for i in 0..3 {
        if parts[i] == 0 {
            continue;
        }
        let w = BAR_W * f64::from(parts[i]) / total as f64;
        let opened = start_link(&mut s, link(i), &entry(i));
        let _ = write!(
            s,
            r#"<rect x="{}" y="{BAR_Y}" width="{}" height="{BAR_H}" fill="{}"/>"#,
            num(x),
            num(w),
            colour(LIGHTS[i]),
        );
        let inside = format!("{} · {}%", parts[i], share[i]);
        if text_width(&inside, FONT) + 8.0 <= w {
            let _ = write!(
                s,
                r##"<text x="{}" y="{}" text-anchor="middle" fill="#fff" font-weight="bold">{inside}</text>"##,
                num(x + w / 2.0),
                num(BAR_Y + BAR_H / 2.0 + FONT / 3.0),
            );
        }
        end_link(&mut s, opened);
        x += w;
    }

    let slot = BAR_W / 3.0;
    for (i, light) in LIGHTS.into_iter().enumerate() {
        let lx = BAR_X + slot * i as f64;
        let opened = start_link(&mut s, link(i), &entry(i));
        let _ = write!(
            s,
            r#"<rect x="{}" y="{}" width="10" height="10" fill="{}"/><text x="{}" y="{LEGEND_Y}" fill="{GREY}">{}</text>"#,
            num(lx),
            num(LEGEND_Y - 9.0),
            colour(light),
            num(lx + 14.0),
            esc(&entry(i)),
        );
        end_link(&mut s, opened);
    }
    close(s)
}
