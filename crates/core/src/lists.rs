//! The four lists (四清单): tasks of the year's campaigns, their kinds, deadlines, indicators
//! and milestones. Plain values parsed once; the task lifecycle is in [`state`], the baseline
//! and change-request rules in [`baseline`], roll-ups over the decomposition tree in
//! [`rollup`], name matching for imports in [`names`], and how a reader narrows and orders a
//! list by deadline in [`browse`].

pub mod baseline;
pub mod browse;
pub mod names;
pub mod rollup;
pub mod state;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

macro_rules! id_newtype {
    ($($(#[$m:meta])* $name:ident),* $(,)?) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { self.0.fmt(f) }
        }
    )*};
}
pub(crate) use id_newtype;

id_newtype!(
    /// A task of one of the four lists (any level of the decomposition).
    TaskId,
    /// A campaign (攻坚行动) of one year.
    CampaignId,
    /// A change request (调整申请) on an approved task.
    ChangeId,
);

/// 清单类别 — which of the four lists a task belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// 工作清单
    Work,
    /// 项目清单
    Project,
    /// 政策清单
    Policy,
    /// 责任清单
    Responsibility,
}

impl ListKind {
    pub const ALL: [ListKind; 4] = [
        ListKind::Work,
        ListKind::Project,
        ListKind::Policy,
        ListKind::Responsibility,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ListKind::Work => "work",
            ListKind::Project => "project",
            ListKind::Policy => "policy",
            ListKind::Responsibility => "responsibility",
        }
    }

    /// The name clerks write in spreadsheets.
    pub fn label_zh(self) -> &'static str {
        match self {
            ListKind::Work => "工作清单",
            ListKind::Project => "项目清单",
            ListKind::Policy => "政策清单",
            ListKind::Responsibility => "责任清单",
        }
    }

    /// Parses the code (`work`) or what people write: 工作清单, 工作, 项目类 …
    pub fn parse(text: &str) -> Option<ListKind> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let lower = t.to_ascii_lowercase();
        ListKind::ALL.into_iter().find(|k| {
            lower == k.as_str()
                || t == k.label_zh()
                || t.strip_suffix("清单")
                    .or_else(|| t.strip_suffix('类'))
                    .unwrap_or(&t)
                    == &k.label_zh()[..6]
        })
    }
}

/// 报送频次 — how often an ongoing task reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    Weekly,
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
}

impl Cadence {
    pub const ALL: [Cadence; 5] = [
        Cadence::Weekly,
        Cadence::Monthly,
        Cadence::Quarterly,
        Cadence::HalfYearly,
        Cadence::Yearly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Weekly => "weekly",
            Cadence::Monthly => "monthly",
            Cadence::Quarterly => "quarterly",
            Cadence::HalfYearly => "half_yearly",
            Cadence::Yearly => "yearly",
        }
    }

    pub fn parse(s: &str) -> Option<Cadence> {
        Cadence::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The words used in sheets: 每周, 每月, 每季度, 每半年, 每年.
    pub fn label_zh(self) -> &'static str {
        match self {
            Cadence::Weekly => "每周",
            Cadence::Monthly => "每月",
            Cadence::Quarterly => "每季度",
            Cadence::HalfYearly => "每半年",
            Cadence::Yearly => "每年",
        }
    }
}

/// When a task is due: a date, or never — 长期坚持 / 常态落实 tasks report on a cadence instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Due {
    By { date: Date },
    Ongoing { cadence: Cadence },
}

impl Due {
    pub fn date(self) -> Option<Date> {
        match self {
            Due::By { date } => Some(date),
            Due::Ongoing { .. } => None,
        }
    }

    pub fn cadence(self) -> Option<Cadence> {
        match self {
            Due::By { .. } => None,
            Due::Ongoing { cadence } => Some(cadence),
        }
    }

    /// Rebuilds the value from its two stored columns; `None` when neither or both are set.
    pub fn from_columns(date: Option<Date>, cadence: Option<&str>) -> Option<Due> {
        match (date, cadence.and_then(Cadence::parse)) {
            (Some(date), None) => Some(Due::By { date }),
            (None, Some(cadence)) => Some(Due::Ongoing { cadence }),
            _ => None,
        }
    }
}

/// A quantified target of a task (量化指标): 5 亿元, 12 个, 95 %.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// What is counted (投资, 开工小区); may be empty when the task has one obvious measure.
    pub name: String,
    pub target: f64,
    /// 亩, 万元, 个, %, 家 …
    pub unit: String,
}

/// 节点 — a dated intermediate target of a task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub due: Date,
    /// What should be reached by then, in words (完成桩基施工).
    pub target_text: String,
    /// Cumulative target values by then, one per indicator of the task (same order);
    /// `None` where the milestone sets no figure.
    pub values: Vec<Option<f64>>,
}

/// The sortable form of a dotted path (序号): `1.12` → `0001.0012`, so text order is list
/// order. `None` unless every segment is a number from 1 to 9999.
pub fn sort_key(path: &str) -> Option<String> {
    let segments: Option<Vec<String>> = path
        .split('.')
        .map(|s| {
            let n: u32 = s.parse().ok()?;
            (1..=9999).contains(&n).then(|| format!("{n:04}"))
        })
        .collect();
    segments.map(|s| s.join("."))
}

/// The path of the `n`-th child (1-based) of `parent`, or of the `n`-th top-level task.
pub fn child_path(parent: Option<&str>, n: u32) -> String {
    match parent {
        Some(p) => format!("{p}.{n}"),
        None => n.to_string(),
    }
}

/// The parent's path of a dotted path: `1.2.3` → `1.2`; `None` at the top.
pub fn parent_path(path: &str) -> Option<&str> {
    path.rsplit_once('.').map(|(p, _)| p)
}

/// Why a task's values were refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TaskError {
    #[error("the title is empty")]
    EmptyTitle,
    #[error("the title is longer than 200 characters")]
    TitleTooLong,
    #[error("the weight must be a number from 0 to 100")]
    BadWeight,
    #[error("indicator {0}: the target must be a number of 0 or more")]
    BadIndicator(usize),
    #[error("milestone {0} is after the task's deadline")]
    MilestoneAfterDeadline(usize),
    #[error("milestone {0} has {1} values but the task has {2} indicators")]
    MilestoneValues(usize, usize, usize),
    #[error("the deadline {0} is not in the list's year {1}")]
    DeadlineOutsideYear(Date, i16),
    #[error("the code must be numbers separated by dots, like 1 or 2.3")]
    BadCode,
}

/// Checks the rules every task must keep, whoever writes it (form, API, import).
pub fn check_task(
    year: i16,
    code: &str,
    title: &str,
    weight: f64,
    due: Due,
    indicators: &[Indicator],
    milestones: &[Milestone],
) -> Result<(), TaskError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(TaskError::EmptyTitle);
    }
    if title.chars().count() > 200 {
        return Err(TaskError::TitleTooLong);
    }
    if sort_key(code).is_none() {
        return Err(TaskError::BadCode);
    }
    if !(0.0..=100.0).contains(&weight) || !weight.is_finite() {
        return Err(TaskError::BadWeight);
    }
    if let Some(date) = due.date() {
        // A task of the year may run into the first months of the next (年底前 work that
        // slips is a change request, but a two-year project is legitimate).
        if date.year() < year || date.year() > year + 2 {
            return Err(TaskError::DeadlineOutsideYear(date, year));
        }
    }
    for (i, ind) in indicators.iter().enumerate() {
        if !ind.target.is_finite() || ind.target < 0.0 {
            return Err(TaskError::BadIndicator(i + 1));
        }
    }
    for (i, m) in milestones.iter().enumerate() {
        if let Some(date) = due.date()
            && m.due > date
        {
            return Err(TaskError::MilestoneAfterDeadline(i + 1));
        }
        if m.values.len() > indicators.len() {
            return Err(TaskError::MilestoneValues(
                i + 1,
                m.values.len(),
                indicators.len(),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
