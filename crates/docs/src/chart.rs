//! Charts as standalone SVG text, drawn on the server: the dashboards show them without
//! JavaScript and the bulletins paste them as they are.
//!
//! Every chart is `role="img"` with a `<title>` and an `aria-label` that reads the data, scales
//! with its container (a `viewBox`, `width="100%"`, no fixed pixel size), and escapes every text
//! and link it is given (unit names come from users). The words around the data (title, legend,
//! the empty-state text) come from the caller in the reader's language ([`ChartText`]); numbers
//! are printed compactly (`60%`, `85.5%`). A bar, segment or column may link to a drill-down
//! page; links other than relative or http(s) ones are dropped rather than escaped into a
//! `javascript:` URL. Screen readers treat the chart as one image, so a page that links from it
//! should offer the same links as ordinary HTML too. Not here: reading data, choosing colours
//! per city, interactivity.

mod light_bar;
mod progress;
mod ranking;
mod svg;
mod trend;

pub use light_bar::light_bar;
pub use progress::progress_vs_expected;
pub use ranking::ranking;
pub use trend::trend;

use duban_core::light::Light;

/// The words a chart shows besides its data, already in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartText {
    /// What the chart shows: the `<title>` and the start of the `aria-label` (not drawn).
    pub title: String,
    /// Shown instead of the chart when there is no data (暂无数据 / No data).
    pub empty: String,
    /// Legend names of the lights (绿灯, 黄灯, 红灯).
    pub green: String,
    pub yellow: String,
    pub red: String,
    /// Legend name of the reported progress (实际进度, or 平均进度 in the trend).
    pub actual: String,
    /// Legend name of the time-proportional target (序时进度).
    pub expected: String,
}

impl ChartText {
    /// The Chinese words, with `title`.
    pub fn zh(title: &str) -> ChartText {
        ChartText {
            title: title.to_string(),
            empty: "暂无数据".into(),
            green: "绿灯".into(),
            yellow: "黄灯".into(),
            red: "红灯".into(),
            actual: "实际进度".into(),
            expected: "序时进度".into(),
        }
    }

    /// The English words, with `title`.
    pub fn en(title: &str) -> ChartText {
        ChartText {
            title: title.to_string(),
            empty: "No data".into(),
            green: "Green".into(),
            yellow: "Yellow".into(),
            red: "Red".into(),
            actual: "Progress".into(),
            expected: "Expected".into(),
        }
    }

    fn light(&self, light: Light) -> &str {
        match light {
            Light::Green => &self.green,
            Light::Yellow => &self.yellow,
            Light::Red => &self.red,
        }
    }
}

/// How many tasks (or cases) show each light.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LightCounts {
    pub green: u32,
    pub yellow: u32,
    pub red: u32,
}

impl LightCounts {
    pub fn total(&self) -> u64 {
        u64::from(self.green) + u64::from(self.yellow) + u64::from(self.red)
    }

    fn get(&self, light: Light) -> u32 {
        match light {
            Light::Green => self.green,
            Light::Yellow => self.yellow,
            Light::Red => self.red,
        }
    }
}

/// Drill-down pages of the segments of a light bar (e.g. the task list filtered by light).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LightLinks {
    pub green: Option<String>,
    pub yellow: Option<String>,
    pub red: Option<String>,
}

impl LightLinks {
    fn get(&self, light: Light) -> Option<&str> {
        match light {
            Light::Green => self.green.as_deref(),
            Light::Yellow => self.yellow.as_deref(),
            Light::Red => self.red.as_deref(),
        }
    }
}

/// One bar of [`progress_vs_expected`]: a task (or unit) with its progress and 序时进度.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressRow {
    pub label: String,
    /// Reported progress, in percent (drawn clamped to 0–100, printed as given).
    pub actual: f64,
    /// 序时进度, in percent.
    pub expected: f64,
    /// Colours the bar.
    pub light: Light,
    pub link: Option<String>,
}

/// One period (month) of [`trend`].
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    /// The period as shown under its column: 1月, 2026-01, Q1 …
    pub label: String,
    pub lights: LightCounts,
    /// Average progress of the period's tasks, in percent; `None` leaves a gap in the line.
    pub progress: Option<f64>,
    /// Average 序时进度, in percent.
    pub expected: Option<f64>,
    pub link: Option<String>,
}

/// One bar of [`ranking`]: a unit and its rate.
#[derive(Debug, Clone, PartialEq)]
pub struct RankRow {
    pub label: String,
    /// A rate in percent, 0–100 (on-time rate, completion rate …).
    pub rate: f64,
    pub link: Option<String>,
}

#[cfg(test)]
mod tests;
