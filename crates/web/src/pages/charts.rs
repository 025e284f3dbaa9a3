//! The dashboard's charts, drawn as SVG on the server (`docs::chart`) from the dashboard's
//! numbers, with the reader's language and drill-down links to the task lists. The same links
//! are on the page as plain HTML for screen readers.

use super::progress::Charts;
use crate::auth::Ctx;
use crate::service::progress::dashboard::Dashboard;
use duban_core::light::Light;
use duban_docs::chart::{
    self, ChartText, LightCounts, LightLinks, ProgressRow, RankRow, TrendPoint,
};

/// How many units the progress chart shows (the most red first).
const UNIT_ROWS: usize = 15;

fn text(ctx: &Ctx, title_key: &str) -> ChartText {
    let mut t = ChartText::zh(ctx.t(title_key));
    t.empty = ctx.t("dashboard.no_data").into();
    t.green = ctx.t("light.green").into();
    t.yellow = ctx.t("light.yellow").into();
    t.red = ctx.t("light.red").into();
    t.actual = ctx.t("dashboard.progress").into();
    t.expected = ctx.t("progress.expected").into();
    t
}

fn counts(green: i64, yellow: i64, red: i64) -> LightCounts {
    let c = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
    LightCounts {
        green: c(green),
        yellow: c(yellow),
        red: c(red),
    }
}

pub fn dashboard(ctx: &Ctx, d: &Dashboard, list_qs: &str) -> Charts {
    let link = |light: &str| Some(format!("/dashboard/tasks?{list_qs}&light={light}"));
    let lights = chart::light_bar(
        &text(ctx, "dashboard.lights"),
        &counts(d.totals.green, d.totals.yellow, d.totals.red),
        Some(&LightLinks {
            green: link("green"),
            yellow: link("yellow"),
            red: link("red"),
        }),
    );
    let units: Vec<ProgressRow> = d
        .by_unit
        .iter()
        .take(UNIT_ROWS)
        .map(|l| ProgressRow {
            label: l.name.clone(),
            actual: l.counts.progress,
            expected: l.counts.expected,
            light: if l.counts.red > 0 {
                Light::Red
            } else if l.counts.yellow > 0 {
                Light::Yellow
            } else {
                Light::Green
            },
            link: Some(format!("/dashboard?unit={}&year={}", l.key, d.year)),
        })
        .collect();
    let trend: Vec<TrendPoint> = d
        .trend
        .iter()
        .map(|t| TrendPoint {
            label: t.period.clone(),
            lights: counts(t.green, t.yellow, t.red),
            progress: Some(t.progress),
            expected: Some(t.expected),
            link: None,
        })
        .collect();
    let ranking: Vec<RankRow> = d
        .ranking
        .iter()
        .map(|r| RankRow {
            label: r.unit_name.clone(),
            rate: r.on_time_rate,
            link: Some(format!("/dashboard?unit={}&year={}", r.unit_id, d.year)),
        })
        .collect();
    Charts {
        lights,
        units: chart::progress_vs_expected(&text(ctx, "dashboard.by_unit"), &units),
        trend: chart::trend(&text(ctx, "dashboard.trend"), &trend),
        ranking: chart::ranking(&text(ctx, "dashboard.ranking"), &ranking),
    }
}
