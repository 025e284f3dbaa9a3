//! The demo city's four lists (四清单) for the 2026 campaigns: about 330 hand-written tasks
//! decomposed down to 科室 / 岗位 / person, and a deterministic generator of any number of
//! tasks for benchmarks.
//!
//! Tasks refer to units, sections, people and campaigns by code and username, like the rest of
//! [`crate::demo`], so the loader resolves them after inserting the organisation. Progress and
//! actual values describe the city as of [`AS_OF`]; a parent's figures are the roll-up of its
//! children ([`crate::lists::rollup`]), so what the loader stores and what the app computes
//! agree. Not here: writing tasks to a database, progress reports, or milestone verification.

use super::DemoCity;
use crate::lists::state::TaskState;
use crate::lists::{Due, Indicator, ListKind, Milestone};
use jiff::civil::{Date, date};

mod build;
mod catalog;
mod expand;
mod generate;
mod org;

#[cfg(test)]
mod tests;

/// The day the demo's progress and actual values describe (mid-November of [`super::DEMO_YEAR`]).
pub const AS_OF: Date = date(2026, 11, 15);

/// One task of the demo lists, referring to units and people by code/username so the loader
/// can resolve them after inserting the organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoTask {
    /// Dotted hierarchical code within its lead unit's list: `1`, `1.2`, `1.2.3`.
    pub path: String,
    /// Path of the parent task in the same lead unit's list; `None` for a top-level task.
    pub parent_path: Option<String>,
    /// Code of the campaign (攻坚行动).
    pub campaign: &'static str,
    pub list_kind: ListKind,
    pub title: String,
    /// The measurable goal in words (目标内容).
    pub content: String,
    pub indicators: Vec<Indicator>,
    /// Monthly or quarterly nodes with cumulative values per indicator.
    pub milestones: Vec<Milestone>,
    /// Username of the city leader heading the task (牵头市领导): the campaign's lead leader or
    /// the lead unit's portfolio leader. Sub-tasks repeat their parent's.
    pub lead_leader: Option<String>,
    /// Code of the lead unit (牵头单位); a sub-task has its parent's lead unit.
    pub lead_unit: &'static str,
    /// Codes of the co-units (配合单位); a per-town sub-task names its town here.
    pub co_units: Vec<&'static str>,
    /// A section (责任科室) of the lead unit.
    pub section: Option<&'static str>,
    /// A post (岗位) of that section.
    pub post: Option<&'static str>,
    /// Username of the responsible person (责任人) of the lead unit: the section staff holding
    /// the post, or the unit head for a task that is decomposed further.
    pub person: Option<String>,
    pub due: Due,
    /// Top-level tasks weigh 1–10; sub-tasks share their parent's weight (they add up to it).
    pub weight: f64,
    /// Latest accepted progress as of [`AS_OF`], 0–100; 0 on lists not yet approved.
    pub progress: f64,
    /// Latest actual value per indicator (same order); `None` on lists not yet approved.
    pub actuals: Vec<Option<f64>>,
    /// Where the task is in the list workflow. Most are approved; a few units' lists are still
    /// submitted, one is a draft and one was returned.
    pub state: TaskState,
}

/// The realistic hand-written lists of the five campaigns, parents before their children.
pub fn demo_tasks(city: &DemoCity) -> Vec<DemoTask> {
    expand::demo_tasks(city)
}

/// Exactly `n` tasks of realistic shape for benchmarks, the same for the same `n` every time:
/// spread over every non-leadership unit, campaign and list kind, about a third top-level with
/// two or three levels below, monthly milestones, about 5% ongoing. Parents come before their
/// children.
pub fn generated_tasks(city: &DemoCity, n: usize) -> Vec<DemoTask> {
    generate::generated_tasks(city, n)
}
