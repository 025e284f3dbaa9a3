//! Writes one sample of each chart to a folder, to look at them in a browser:
//! `cargo run -p duban-docs --example chart_samples -- /tmp/charts`.

use duban_core::light::Light;
use duban_docs::chart::{
    ChartText, LightCounts, LightLinks, ProgressRow, RankRow, TrendPoint, light_bar,
    progress_vs_expected, ranking, trend,
};

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "charts".into());
    std::fs::create_dir_all(&dir)?;
    let links = LightLinks {
        green: Some("/tasks?light=green".into()),
        yellow: Some("/tasks?light=yellow".into()),
        red: Some("/tasks?light=red".into()),
    };
    let counts = LightCounts {
        green: 120,
        yellow: 30,
        red: 7,
    };
    let tasks = [
        ("老旧小区改造", 62.0, 75.0, Light::Yellow),
        (
            "某智能制造产业园一期竣工并投入试生产",
            48.0,
            80.0,
            Light::Red,
        ),
        ("5G基站建设", 91.0, 83.0, Light::Green),
        ("“亩均论英雄”改革 & <评价>", 100.0, 100.0, Light::Green),
    ];
    let rows: Vec<ProgressRow> = tasks
        .iter()
        .enumerate()
        .map(|(i, &(label, actual, expected, light))| ProgressRow {
            label: label.into(),
            actual,
            expected,
            light,
            link: Some(format!("/tasks/{i}")),
        })
        .collect();
    let points: Vec<TrendPoint> = (1..=10)
        .map(|m| TrendPoint {
            label: format!("{m}月"),
            lights: LightCounts {
                green: 90 + m * 3,
                yellow: 30 - m * 2,
                red: 12 - m,
            },
            progress: (m != 4).then_some(f64::from(m) * 7.9),
            expected: Some(f64::from(m) * 100.0 / 12.0),
            link: Some(format!("/dashboard?month={m}")),
        })
        .collect();
    let units: Vec<RankRow> = (0..150)
        .map(|i| RankRow {
            label: format!("永康市第{i}局"),
            rate: 100.0 - f64::from(i) * 0.6,
            link: None,
        })
        .collect();
    let zh = |t: &str| ChartText::zh(t);
    let samples = [
        (
            "light_bar",
            light_bar(&zh("全市任务亮灯情况"), &counts, Some(&links)),
        ),
        (
            "progress",
            progress_vs_expected(&zh("任务进度与序时进度"), &rows),
        ),
        ("trend", trend(&zh("月度亮灯趋势"), &points)),
        (
            "trend_one",
            trend(&ChartText::en("Monthly lights"), &points[..1]),
        ),
        ("trend_empty", trend(&zh("月度亮灯趋势"), &[])),
        ("ranking_150", ranking(&zh("各单位按时办结率"), &units)),
        ("ranking_10", ranking(&zh("各单位按时办结率"), &units[..10])),
    ];
    for (name, svg) in samples {
        println!("{name}: {} bytes", svg.len());
        std::fs::write(format!("{dir}/{name}.svg"), svg)?;
    }
    Ok(())
}
