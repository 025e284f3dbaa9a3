//! The hand-written catalogue of top-level tasks, one file per campaign, each task with how it
//! is decomposed: per town (片区), per section (科室) step, or a step split again per town.
//! The texts are invented but follow public 2026-style county task lists (DOMAIN.md §4.1).

use crate::lists::{Cadence, ListKind};

mod city;
mod factors;
mod industry;
mod innovation;
mod tourism;

/// Every campaign's catalogue, by campaign code, in the order the lists are numbered.
pub(super) const CAMPAIGNS: &[(&str, &[Top])] = &[
    ("gy-tizhi", industry::TASKS),
    ("cs-tisheng", city::TASKS),
    ("ys-tixiao", factors::TASKS),
    ("wl-tidang", tourism::TASKS),
    ("cx-tisu", innovation::TASKS),
];

/// A top-level task as written in a unit's list.
pub(super) struct Top {
    pub(super) kind: ListKind,
    /// Lead unit code.
    pub(super) unit: &'static str,
    /// Co-unit codes.
    pub(super) co: &'static [&'static str],
    pub(super) title: &'static str,
    /// 目标内容 in words.
    pub(super) goal: &'static str,
    /// (name, annual target, unit).
    pub(super) indicators: &'static [(&'static str, f64, &'static str)],
    pub(super) due: When,
    /// 1–10.
    pub(super) weight: f64,
    /// Where the task stands as of [`super::AS_OF`], 0–100.
    pub(super) progress: f64,
    /// The lead unit's section in charge.
    pub(super) section: &'static str,
    pub(super) split: Split,
}

/// The deadline of a top-level task.
#[derive(Debug, Clone, Copy)]
pub(super) enum When {
    /// The end of this month of 2026.
    By(i8),
    /// 长期坚持 / 常态落实, reporting on this cadence.
    Ongoing(Cadence),
}

/// How a top-level task is decomposed.
pub(super) enum Split {
    /// Not decomposed: the task is itself the smallest unit, held by a section's post.
    Whole,
    /// One sub-task per town (code, share of every amount indicator).
    Areas(&'static [(&'static str, f64)]),
    /// Sub-tasks written by hand, each owned by a section and post.
    Steps(&'static [Step]),
}

/// A hand-written sub-task.
pub(super) struct Step {
    pub(super) title: &'static str,
    pub(super) section: &'static str,
    pub(super) post: &'static str,
    /// Share of each of the parent's indicators (same order; missing or 0 = not carried).
    pub(super) shares: &'static [f64],
    /// Deadline month, when earlier than the parent's.
    pub(super) by: Option<i8>,
    /// Split again per town (third level), with the shares of this step's indicators.
    pub(super) areas: &'static [(&'static str, f64)],
}

/// A sub-task held by `post` of `section`, taking `shares` of the parent's indicators.
pub(super) const fn step(
    title: &'static str,
    section: &'static str,
    post: &'static str,
    shares: &'static [f64],
) -> Step {
    Step {
        title,
        section,
        post,
        shares,
        by: None,
        areas: &[],
    }
}

impl Step {
    /// Due at the end of `month` instead of the parent's deadline.
    pub(super) const fn by(self, month: i8) -> Step {
        Step {
            by: Some(month),
            ..self
        }
    }

    /// Split again into one sub-task per town.
    pub(super) const fn areas(self, areas: &'static [(&'static str, f64)]) -> Step {
        Step { areas, ..self }
    }
}
