//! The parts every chart shares: the `<svg>` element with its accessible name, escaping, safe
//! links, compact numbers, light colours, text width estimates and the empty state.

use duban_core::light::Light;
use std::fmt::Write;

/// Chinese fonts of macOS/iOS, Windows and Linux, then any sans-serif.
const FONT_FAMILY: &str = "'PingFang SC','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif";

/// Font size of labels, in viewBox units.
pub(super) const FONT: f64 = 13.0;
/// Text and axis grey (7.5:1 on white).
pub(super) const GREY: &str = "#555";
/// Bars that carry no light (rankings, the progress line): 6.7:1 on white.
pub(super) const BLUE: &str = "#1f5f99";
/// The empty part of a 0–100 % track.
pub(super) const TRACK: &str = "#e6e6e6";

/// Light colours dark enough for white text on them (WCAG 4.5:1) and for the shape against a
/// white page (3:1): green 5.1:1, yellow (amber) 4.9:1, red 5.6:1.
pub(super) fn colour(light: Light) -> &'static str {
    match light {
        Light::Green => "#2e7d32",
        Light::Yellow => "#a16207",
        Light::Red => "#c62828",
    }
}

pub(super) const LIGHTS: [Light; 3] = [Light::Green, Light::Yellow, Light::Red];

/// Opens an `<svg>` of `width` × `height` viewBox units that fills its container's width.
/// `summary` follows the title in the `aria-label`, so a screen reader reads the data.
pub(super) fn open(width: f64, height: f64, title: &str, summary: &str) -> String {
    let label = if summary.is_empty() {
        esc(title)
    } else {
        esc(&format!("{title}: {summary}"))
    };
    let mut s = String::with_capacity(2048);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{label}" font-family="{FONT_FAMILY}" font-size="{}"><title>{}</title>"#,
        num(width),
        num(height),
        num(FONT),
        esc(title),
    );
    s
}

pub(super) fn close(mut s: String) -> String {
    s.push_str("</svg>");
    s
}

/// An SVG that says there is nothing to show (暂无数据), the size of the chart it stands for.
pub(super) fn empty(title: &str, text: &str, width: f64, height: f64) -> String {
    let mut s = open(width, height, title, text);
    let _ = write!(
        s,
        r#"<rect x="0.5" y="0.5" width="{}" height="{}" fill="none" stroke="{TRACK}"/><text x="{}" y="{}" text-anchor="middle" fill="{GREY}">{}</text>"#,
        num(width - 1.0),
        num(height - 1.0),
        num(width / 2.0),
        num(height / 2.0 + FONT / 3.0),
        esc(text),
    );
    close(s)
}

/// Text for XML content and (double-quoted) attribute values: markup characters escaped, characters XML 1.0
/// forbids (most control characters) dropped, line breaks and tabs made spaces.
pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The link, escaped for an `href`, when it is relative or http(s); `None` for blank links and
/// other schemes (`javascript:`, `data:` …), which escaping alone would not make harmless.
pub(super) fn href(link: Option<&str>) -> Option<String> {
    let link = link?.trim();
    if link.is_empty() {
        return None;
    }
    let scheme_end = link.find(':');
    let path_start = link.find(['/', '?', '#']);
    if let Some(colon) = scheme_end
        && path_start.is_none_or(|p| colon < p)
    {
        let scheme = link[..colon].to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return None;
        }
    }
    Some(esc(link))
}

/// Opens `<a href>` around a shape when the link is usable, with `tooltip` (unless empty);
/// returns whether it did, for [`end_link`].
pub(super) fn start_link(s: &mut String, link: Option<&str>, tooltip: &str) -> bool {
    let Some(h) = href(link) else {
        return false;
    };
    let _ = write!(s, r#"<a href="{h}">"#);
    if !tooltip.is_empty() {
        let _ = write!(s, "<title>{}</title>", esc(tooltip));
    }
    true
}

pub(super) fn end_link(s: &mut String, opened: bool) {
    if opened {
        s.push_str("</a>");
    }
}

/// A coordinate or value with at most one decimal and no trailing `.0`: 60, 85.5, -3.
pub(super) fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".into();
    }
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        // -0 prints as 0.
        format!("{}", r.trunc() as i64)
    } else {
        format!("{r:.1}")
    }
}

/// A percentage as printed: `60%`, `85.5%`.
pub(super) fn pct(v: f64) -> String {
    format!("{}%", num(v))
}

/// A percentage clamped to 0–100 for drawing; NaN is 0.
pub(super) fn clamp_pct(v: f64) -> f64 {
    if v.is_nan() { 0.0 } else { v.clamp(0.0, 100.0) }
}

/// Whole percentages of each part that add up to 100 (largest remainders get the rounding),
/// so a bar reads 34% / 33% / 33%, never 33% three times.
pub(super) fn shares(parts: &[u32]) -> Vec<u32> {
    let total: u64 = parts.iter().map(|&p| u64::from(p)).sum();
    if total == 0 {
        return vec![0; parts.len()];
    }
    let exact: Vec<(u64, u64)> = parts
        .iter()
        .map(|&p| {
            let x = u64::from(p) * 100;
            (x / total, x % total)
        })
        .collect();
    let mut out: Vec<u32> = exact.iter().map(|&(q, _)| q as u32).collect();
    let missing = 100 - out.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| exact[b].1.cmp(&exact[a].1).then(a.cmp(&b)));
    for &i in order.iter().take(missing as usize) {
        out[i] += 1;
    }
    out
}

/// Rough width of `text` at `size`: a Chinese character is one em, others about 0.6 em.
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| if c.len_utf8() >= 3 { 1.0 } else { 0.6 })
        .sum::<f64>()
        * size
}

/// `text` shortened with "…" to fit `max` units; the flag says whether it was cut.
pub(super) fn fit(text: &str, max: f64, size: f64) -> (String, bool) {
    let text = text.trim();
    if text_width(text, size) <= max {
        return (text.to_string(), false);
    }
    let budget = max - size;
    let mut out = String::new();
    let mut used = 0.0;
    for c in text.chars() {
        let w = text_width(c.encode_utf8(&mut [0; 4]), size);
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    (out, true)
}

/// A label cut to `max` units as `<text>` content; a cut label carries the full text as its
/// tooltip.
pub(super) fn label_text(text: &str, max: f64) -> String {
    match fit(text, max, FONT) {
        (short, false) => esc(&short),
        (short, true) => format!("<title>{}</title>{}", esc(text.trim()), esc(&short)),
    }
}
