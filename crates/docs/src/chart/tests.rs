//! Every chart parsed as XML: well-formed, accessible, escaped, in proportion, small.

use super::svg::{fit, href, num, shares};
use super::*;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

/// An element of the parsed SVG: its name, attributes (unescaped), the text inside it (its
/// children's included) and the names of its ancestors.
#[derive(Debug)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    ancestors: Vec<String>,
}

impl El {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn num(&self, name: &str) -> f64 {
        self.attr(name)
            .unwrap_or_else(|| panic!("{} has no {name}", self.name))
            .parse()
            .unwrap()
    }
}

/// Parses the whole document, failing on any XML error, mismatched tag or character XML 1.0
/// forbids; the elements in document order.
fn parse(svg: &str) -> Vec<El> {
    assert!(
        !svg.chars()
            .any(|c| (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t')),
        "a control character XML 1.0 forbids"
    );
    let mut reader = Reader::from_str(svg);
    reader.config_mut().check_end_names = true;
    let mut out: Vec<El> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let element = |e: &BytesStart, open: &[usize], out: &[El]| El {
        name: e.name().as_ref().to_string(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    a.key.as_ref().to_string(),
                    a.normalized_value(XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect(),
        text: String::new(),
        ancestors: open.iter().map(|&i| out[i].name.clone()).collect(),
    };
    let mut depth0_elements = 0;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                depth0_elements += usize::from(open.is_empty());
                let el = element(&e, &open, &out);
                out.push(el);
                open.push(out.len() - 1);
            }
            Event::Empty(e) => {
                let el = element(&e, &open, &out);
                out.push(el);
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) => {
                assert!(!open.is_empty(), "text outside the root");
                for &i in &open {
                    out[i].text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let c = match r.xml10_content().as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    other => panic!("unexpected entity {other}"),
                };
                for &i in &open {
                    out[i].text.push_str(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty(), "unclosed elements");
    assert_eq!(depth0_elements, 1, "one root element");
    out
}

fn all<'a>(els: &'a [El], name: &str) -> Vec<&'a El> {
    els.iter().filter(|e| e.name == name).collect()
}

fn texts(els: &[El]) -> Vec<String> {
    all(els, "text")
        .iter()
        .map(|e| e.text.clone())
        .filter(|t| !t.is_empty())
        .collect()
}

/// The checks every chart passes: an accessible, responsive `<svg>` root.
fn assert_accessible(svg: &str, title: &str) -> Vec<El> {
    let els = parse(svg);
    let root = &els[0];
    assert_eq!(root.name, "svg");
    assert_eq!(root.attr("role"), Some("img"));
    assert_eq!(root.attr("width"), Some("100%"));
    assert_eq!(root.attr("height"), None, "no fixed size");
    assert!(root.attr("viewBox").is_some());
    assert!(
        root.attr("aria-label").unwrap().starts_with(title),
        "{:?}",
        root.attr("aria-label")
    );
    assert!(root.attr("font-family").unwrap().contains("PingFang SC"));
    assert_eq!(els[1].name, "title");
    assert_eq!(els[1].text, title);
    els
}

fn counts(green: u32, yellow: u32, red: u32) -> LightCounts {
    LightCounts { green, yellow, red }
}

const HOSTILE: &str = "<script>alert(\"x\")</script> & 'quoted' \u{1}局";

#[test]
fn the_green_segment_of_3_1_1_is_60_percent_of_the_bar() {
    let svg = light_bar(&ChartText::zh("亮灯情况"), &counts(3, 1, 1), None);
    let els = assert_accessible(&svg, "亮灯情况");
    let segments: Vec<&El> = all(&els, "rect")
        .into_iter()
        .filter(|r| r.num("height") > 20.0)
        .collect();
    let widths: Vec<f64> = segments.iter().map(|r| r.num("width")).collect();
    let bar = light_bar::BAR_W;
    assert_eq!(widths, vec![bar * 0.6, bar * 0.2, bar * 0.2]);
    assert_eq!(segments[0].attr("fill"), Some("#2e7d32"));
    assert_eq!(segments[0].num("x"), light_bar::BAR_X);
    assert_eq!(segments[1].num("x"), light_bar::BAR_X + bar * 0.6);
    let t = texts(&els);
    assert!(t.contains(&"3 · 60%".to_string()), "{t:?}");
    assert!(t.contains(&"绿灯 3 (60%)".to_string()), "{t:?}");
    assert!(t.contains(&"红灯 1 (20%)".to_string()), "{t:?}");
    assert_eq!(
        els[0].attr("aria-label"),
        Some("亮灯情况: 绿灯 3 (60%), 黄灯 1 (20%), 红灯 1 (20%)")
    );
}

#[test]
fn shares_add_up_to_100_and_a_zero_light_draws_no_segment() {
    assert_eq!(shares(&[1, 1, 1]), vec![34, 33, 33]);
    assert_eq!(shares(&[2, 1, 0]), vec![67, 33, 0]);
    assert_eq!(shares(&[0, 0, 0]), vec![0, 0, 0]);
    let svg = light_bar(&ChartText::en("Lights"), &counts(2, 0, 1), None);
    let els = assert_accessible(&svg, "Lights");
    let segments = all(&els, "rect")
        .into_iter()
        .filter(|r| r.num("height") > 20.0)
        .count();
    assert_eq!(segments, 2);
    assert!(texts(&els).contains(&"Yellow 0 (0%)".to_string()));
}

#[test]
fn light_bar_segments_link_to_their_escaped_drill_down_pages() {
    let links = LightLinks {
        green: Some("/tasks?light=green&unit=3".into()),
        yellow: Some("javascript:alert(1)".into()),
        red: Some("/tasks?light=red\"><script>".into()),
    };
    let svg = light_bar(&ChartText::zh("亮灯"), &counts(3, 1, 1), Some(&links));
    assert!(svg.contains(r#"href="/tasks?light=green&amp;unit=3""#));
    assert!(!svg.contains("javascript"));
    assert!(!svg.contains("<script>"));
    let els = parse(&svg);
    let hrefs: Vec<&str> = all(&els, "a")
        .iter()
        .filter_map(|a| a.attr("href"))
        .collect();
    assert_eq!(
        hrefs,
        vec![
            "/tasks?light=green&unit=3",
            "/tasks?light=red\"><script>",
            "/tasks?light=green&unit=3",
            "/tasks?light=red\"><script>",
        ],
        "segment and legend entry; the javascript: link is dropped"
    );
}

#[test]
fn only_relative_and_http_links_are_kept() {
    for ok in [
        "/a",
        "?light=red",
        "#x",
        "tasks/1",
        "https://example.org/a:b",
        "HTTP://x",
        "/x?t=a:b",
    ] {
        assert!(href(Some(ok)).is_some(), "{ok}");
    }
    for bad in [
        "javascript:alert(1)",
        " JavaScript:x",
        "data:text/html,x",
        "vbscript:x",
        "java\tscript:x",
        "",
        "  ",
    ] {
        assert_eq!(href(Some(bad)), None, "{bad}");
    }
}

#[test]
fn hostile_labels_are_escaped_in_every_chart() {
    let text = ChartText {
        title: HOSTILE.into(),
        empty: HOSTILE.into(),
        green: HOSTILE.into(),
        yellow: HOSTILE.into(),
        red: HOSTILE.into(),
        actual: HOSTILE.into(),
        expected: HOSTILE.into(),
    };
    let progress = [ProgressRow {
        label: HOSTILE.into(),
        actual: 50.0,
        expected: 60.0,
        light: Light::Yellow,
        link: Some("/t?q=<x>&y='1'".into()),
    }];
    let point = TrendPoint {
        label: HOSTILE.into(),
        lights: counts(1, 2, 3),
        progress: Some(40.0),
        expected: Some(50.0),
        link: Some("/m?a=1&b=\"2\"".into()),
    };
    let rank = [RankRow {
        label: HOSTILE.into(),
        rate: 80.0,
        link: Some("/u/1".into()),
    }];
    let charts = [
        light_bar(&text, &counts(1, 1, 1), None),
        light_bar(&text, &counts(0, 0, 0), None),
        progress_vs_expected(&text, &progress),
        progress_vs_expected(&text, &[]),
        trend(&text, std::slice::from_ref(&point)),
        trend(&text, &[]),
        ranking(&text, &rank),
        ranking(&text, &[]),
    ];
    let cleaned = "<script>alert(\"x\")</script> & 'quoted' 局";
    for svg in charts {
        assert!(!svg.contains("<script"), "{svg}");
        let els = assert_accessible(&svg, cleaned);
        assert!(
            els.iter().skip(2).any(|e| e.text.contains(cleaned)),
            "the label is shown as text: {svg}"
        );
    }
}

fn progress_row(label: &str, actual: f64, expected: f64, light: Light) -> ProgressRow {
    ProgressRow {
        label: label.into(),
        actual,
        expected,
        light,
        link: None,
    }
}

#[test]
fn progress_bars_and_ticks_sit_at_their_percentages_in_the_rows_light() {
    let rows = [
        progress_row("老旧小区改造", 62.0, 75.0, Light::Yellow),
        progress_row(
            "智能制造产业园一期竣工并投入试生产运营",
            100.0,
            100.0,
            Light::Green,
        ),
        progress_row("超额", 120.0, -5.0, Light::Red),
    ];
    let svg = progress_vs_expected(&ChartText::zh("进度与序时"), &rows);
    let els = assert_accessible(&svg, "进度与序时");
    let (x0, w) = (progress::BAR_X, progress::BAR_W);
    let bars: Vec<&El> = all(&els, "rect")
        .into_iter()
        .filter(|r| r.attr("height") == Some("14") && r.attr("fill").is_some())
        .collect();
    let widths: Vec<f64> = bars.iter().map(|r| r.num("width")).collect();
    assert_eq!(widths, vec![w * 0.62, w, w], "drawn clamped to 100%");
    assert_eq!(bars[0].attr("fill"), Some("#a16207"));
    assert_eq!(bars[2].attr("fill"), Some("#c62828"));
    let ticks: Vec<f64> = all(&els, "rect")
        .into_iter()
        .filter(|r| r.attr("width") == Some("2") && r.attr("height") == Some("20"))
        .map(|r| r.num("x") + 1.0)
        .collect();
    assert_eq!(ticks, vec![x0 + w * 0.75, x0 + w, x0]);
    let t = texts(&els);
    assert!(t.contains(&"62% / 75%".to_string()), "{t:?}");
    assert!(
        t.contains(&"120% / -5%".to_string()),
        "printed as given: {t:?}"
    );
    // A long label is cut, and the full text kept as its tooltip.
    assert!(t.iter().any(|t| t.ends_with('…')), "{t:?}");
    assert!(svg.contains("<title>智能制造产业园一期竣工并投入试生产运营</title>"));
    assert_eq!(
        els[0].attr("aria-label"),
        Some("进度与序时: 绿灯 1, 黄灯 1, 红灯 1")
    );
}

#[test]
fn a_trend_of_twelve_months_stacks_columns_and_draws_both_lines() {
    let points: Vec<TrendPoint> = (1..=12)
        .map(|m| TrendPoint {
            label: format!("{m}月"),
            lights: counts(10 + m, 3, m % 4),
            progress: (m != 6).then_some(f64::from(m) * 8.0),
            expected: Some(f64::from(m) * 100.0 / 12.0),
            link: Some(format!("/dashboard?month={m}")),
        })
        .collect();
    let svg = trend(&ChartText::zh("月度趋势"), &points);
    let els = assert_accessible(&svg, "月度趋势");
    assert_eq!(all(&els, "a").len(), 12);
    // June has no progress: the solid line breaks there.
    let lines = all(&els, "polyline");
    assert_eq!(
        lines.len(),
        3,
        "expected line, progress before and after June"
    );
    assert_eq!(all(&els, "circle").len(), 12 + 11);
    // The first column: 11 green, 3 yellow, 1 red, stacked from the axis up.
    let first: Vec<&El> = all(&els, "rect")
        .into_iter()
        .filter(|r| r.ancestors.last().map(String::as_str) == Some("a"))
        .take(3)
        .collect();
    let max = points.iter().map(|p| p.lights.total()).max().unwrap();
    let (top, _) = trend::count_axis(max);
    let unit = (trend::PLOT_B - trend::PLOT_T) / top as f64;
    let heights: Vec<String> = first.iter().map(|r| num(r.num("height"))).collect();
    assert_eq!(heights, vec![num(11.0 * unit), num(3.0 * unit), num(unit)]);
    assert_eq!(
        num(first[0].num("y") + first[0].num("height")),
        num(trend::PLOT_B)
    );
    let t = texts(&els);
    assert!(t.contains(&"1月".to_string()) && t.contains(&"100%".to_string()));
}

#[test]
fn a_trend_of_one_month_draws_one_column_and_two_dots() {
    let point = TrendPoint {
        label: "2026-01".into(),
        lights: counts(5, 0, 2),
        progress: Some(30.0),
        expected: Some(8.5),
        link: None,
    };
    let svg = trend(&ChartText::en("Trend"), &[point]);
    let els = assert_accessible(&svg, "Trend");
    assert_eq!(all(&els, "polyline").len(), 0);
    assert_eq!(all(&els, "circle").len(), 2);
    assert!(texts(&els).contains(&"2026-01".to_string()));
    assert_eq!(
        els[0].attr("aria-label"),
        Some("Trend: 2026-01, Green 5, Yellow 0, Red 2, Progress 30%, Expected 8.5%")
    );
}

#[test]
fn no_data_gives_a_small_svg_saying_so_in_the_callers_words() {
    let zh = ChartText::zh("月度趋势");
    let en = ChartText::en("Trend");
    for (svg, word) in [
        (trend(&zh, &[]), "暂无数据"),
        (trend(&en, &[]), "No data"),
        (light_bar(&zh, &counts(0, 0, 0), None), "暂无数据"),
        (progress_vs_expected(&en, &[]), "No data"),
        (ranking(&zh, &[]), "暂无数据"),
    ] {
        let els = parse(&svg);
        assert_eq!(texts(&els), vec![word.to_string()]);
        assert!(svg.len() < 700, "{} bytes", svg.len());
    }
}

#[test]
fn the_count_axis_ends_on_a_round_number() {
    assert_eq!(trend::count_axis(0), (1, 1));
    assert_eq!(trend::count_axis(4), (4, 1));
    assert_eq!(trend::count_axis(7), (8, 2));
    assert_eq!(trend::count_axis(23), (25, 5));
    assert_eq!(trend::count_axis(230), (250, 50));
}

fn rank_rows(n: usize, link: bool) -> Vec<RankRow> {
    (0..n)
        .map(|i| RankRow {
            label: format!("市第{i}局"),
            rate: 100.0 - i as f64 * 0.37,
            link: link.then(|| format!("/units/{i}/tasks")),
        })
        .collect()
}

#[test]
fn ranking_bars_are_as_long_as_their_rate_with_the_value_printed() {
    let rows = [
        RankRow {
            label: "市住建局".into(),
            rate: 96.5,
            link: None,
        },
        RankRow {
            label: "市城管局".into(),
            rate: 50.0,
            link: None,
        },
        RankRow {
            label: "市交通局".into(),
            rate: 0.0,
            link: None,
        },
    ];
    let svg = ranking(&ChartText::zh("按时办结率"), &rows);
    let els = assert_accessible(&svg, "按时办结率");
    let widths: Vec<String> = all(&els, "rect")
        .iter()
        .map(|r| num(r.num("width")))
        .collect();
    let w = ranking::BAR_W;
    assert_eq!(widths, vec![num(w * 0.965), num(w * 0.5), num(1.0)]);
    assert_eq!(
        texts(&els),
        vec!["市住建局", "市城管局", "市交通局", "96.5%", "50%", "0%"]
    );
}

/// The bound for 150 units: 160 bytes a row without links, 230 with (measured: ~125 and ~185).
#[test]
fn a_ranking_of_150_units_stays_small() {
    let plain = ranking(&ChartText::zh("按时办结率"), &rank_rows(150, false));
    let linked = ranking(&ChartText::zh("按时办结率"), &rank_rows(150, true));
    parse(&plain);
    parse(&linked);
    assert!(plain.len() < 150 * 160, "{} bytes", plain.len());
    assert!(linked.len() < 150 * 230, "{} bytes", linked.len());
}

#[test]
fn typical_charts_are_well_under_10_kb() {
    let zh = ChartText::zh("图");
    let links = LightLinks {
        green: Some("/tasks?light=green".into()),
        yellow: Some("/tasks?light=yellow".into()),
        red: Some("/tasks?light=red".into()),
    };
    let rows: Vec<ProgressRow> = (0..20)
        .map(|i| ProgressRow {
            link: Some(format!("/tasks/{i}")),
            ..progress_row("某智能制造产业园一期竣工", 50.0, 60.0, Light::Green)
        })
        .collect();
    let points: Vec<TrendPoint> = (1..=12)
        .map(|m| TrendPoint {
            label: format!("{m}月"),
            lights: counts(40, 12, 3),
            progress: Some(f64::from(m) * 7.5),
            expected: Some(f64::from(m) * 8.3),
            link: Some(format!("/dashboard?month={m}")),
        })
        .collect();
    for svg in [
        light_bar(&zh, &counts(120, 30, 7), Some(&links)),
        progress_vs_expected(&zh, &rows),
        trend(&zh, &points),
        ranking(&zh, &rank_rows(30, true)),
    ] {
        assert!(svg.len() < 8 * 1024, "{} bytes", svg.len());
    }
}

#[test]
fn numbers_are_compact_and_long_labels_are_cut_to_fit() {
    assert_eq!(num(60.0), "60");
    assert_eq!(num(85.54), "85.5");
    assert_eq!(num(-0.01), "0");
    assert_eq!(num(f64::NAN), "0");
    assert_eq!(
        fit("市住建局", 100.0, 13.0),
        ("市住建局".to_string(), false)
    );
    let (short, cut) = fit("永康市经济开发区管理委员会", 80.0, 13.0);
    assert!(cut);
    assert_eq!(
        short, "永康市经济…",
        "five characters and the ellipsis fill 78 of 80"
    );
}
