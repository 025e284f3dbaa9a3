//! The half-year showcase (大晒拼, DOMAIN §2.8 and §3.4): an event where units present on a
//! unified template and judges score them on site. What an event is and how its set-up is
//! checked is here; its lifecycle is in [`state`], the rules for a judge's score card in
//! [`card`], and the trimmed-mean aggregation in [`tally`].
//!
//! Not here: what a unit's page shows (it is read from the unit's own data by the web
//! service) and who may do what (that is `policy`).

pub mod card;
pub mod state;
pub mod tally;

use crate::org::UnitId;
use crate::progress::period::Period;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

crate::lists::id_newtype!(
    /// A showcase event (晒拼).
    ShowcaseId,
    /// A presenting unit's slot in an event.
    PresenterId,
    /// A judge on an event's panel (an account or a guest who claimed a judge link).
    JudgeId,
    /// A judge's score card for one presenter.
    CardId,
);

/// Longest title, criterion name and group name (characters).
pub const MAX_TITLE: usize = 200;
pub const MAX_NAME: usize = 40;
/// Longest highlights text a unit may add (characters): "a short highlights text".
pub const MAX_HIGHLIGHTS: usize = 500;
/// Longest 短板与差距 text (characters).
pub const MAX_SHORTFALLS: usize = 2000;
/// Shortest 短板与差距 text that counts as filled (characters, after trimming).
pub const MIN_SHORTFALLS: usize = 10;

/// One scoring criterion (评分维度) with its weight; an event's weights sum to 100.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub name: String,
    pub weight: u32,
}

/// A group of judges (领导 / 人大代表 / 政协委员 / 群众代表) with its optional weight. When any
/// group of an event has a weight, all must, and the groups' trimmed means are combined with
/// them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgeGroup {
    pub name: String,
    pub weight: Option<u32>,
}

/// A presenting unit: its group (e.g. 乡镇街道 / 部门) and its place in the running order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenterSlot {
    pub unit: UnitId,
    pub group: String,
}

/// What the office sets up for an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSetup {
    pub title: String,
    /// The day it is held.
    pub held_on: Date,
    /// The half-year it covers, as a period key (`2026-H1`).
    pub half_year: String,
    /// Minutes each presenter has.
    pub minutes: u32,
    pub criteria: Vec<Criterion>,
    pub judge_groups: Vec<JudgeGroup>,
    /// Whether to drop one highest and one lowest card (from five cards on).
    pub trim: bool,
    /// In running order.
    pub presenters: Vec<PresenterSlot>,
}

/// Why an event's set-up cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetupError {
    #[error("{field} is empty")]
    Empty { field: &'static str },
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("the half-year must read like 2026-H1 or 2026-H2")]
    BadHalfYear,
    #[error("minutes per presenter must be between 1 and 60")]
    BadMinutes,
    #[error("an event needs between 1 and 10 criteria")]
    CriteriaCount,
    #[error("every criterion needs a weight above zero")]
    ZeroWeight,
    #[error("the criteria weights add up to {sum}, not 100")]
    WeightsSum { sum: u32 },
    #[error("the name {name} is used twice")]
    Duplicate { name: String },
    #[error("an event needs at least one judge group")]
    NoJudgeGroups,
    #[error("give every judge group a weight above zero, or none of them")]
    GroupWeights,
    #[error("an event needs at least one presenting unit")]
    NoPresenters,
    #[error("unit {unit} presents twice")]
    PresentsTwice { unit: UnitId },
}

impl EventSetup {
    /// Checks the set-up and returns every problem at once; names are trimmed.
    pub fn check(mut self) -> Result<EventSetup, Vec<SetupError>> {
        let mut problems = Vec::new();
        self.title = self.title.trim().to_string();
        text(&mut problems, "title", &self.title, MAX_TITLE);
        match Period::parse(&self.half_year) {
            Some(p) if p.cadence == crate::lists::Cadence::HalfYearly => {}
            _ => problems.push(SetupError::BadHalfYear),
        }
        if !(1..=60).contains(&self.minutes) {
            problems.push(SetupError::BadMinutes);
        }
        if self.criteria.is_empty() || self.criteria.len() > 10 {
            problems.push(SetupError::CriteriaCount);
        }
        for c in &mut self.criteria {
            c.name = c.name.trim().to_string();
            text(&mut problems, "criterion", &c.name, MAX_NAME);
        }
        if self.criteria.iter().any(|c| c.weight == 0) {
            problems.push(SetupError::ZeroWeight);
        }
        let sum: u32 = self.criteria.iter().map(|c| c.weight).sum();
        if !self.criteria.is_empty() && sum != 100 {
            problems.push(SetupError::WeightsSum { sum });
        }
        duplicates(&mut problems, self.criteria.iter().map(|c| c.name.as_str()));
        if self.judge_groups.is_empty() {
            problems.push(SetupError::NoJudgeGroups);
        }
        for g in &mut self.judge_groups {
            g.name = g.name.trim().to_string();
            text(&mut problems, "judge group", &g.name, MAX_NAME);
        }
        let weighted = self.judge_groups.iter().filter(|g| g.weight.is_some());
        let weighted = weighted.count();
        let zero = self.judge_groups.iter().any(|g| g.weight == Some(0));
        if zero || (weighted != 0 && weighted != self.judge_groups.len()) {
            problems.push(SetupError::GroupWeights);
        }
        duplicates(
            &mut problems,
            self.judge_groups.iter().map(|g| g.name.as_str()),
        );
        if self.presenters.is_empty() {
            problems.push(SetupError::NoPresenters);
        }
        let mut seen = std::collections::BTreeSet::new();
        for p in &mut self.presenters {
            p.group = p.group.trim().to_string();
            text(&mut problems, "presenter group", &p.group, MAX_NAME);
            if !seen.insert(p.unit) {
                problems.push(SetupError::PresentsTwice { unit: p.unit });
            }
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }

    /// The period the event covers (only valid after [`EventSetup::check`]).
    pub fn period(&self) -> Option<Period> {
        Period::parse(&self.half_year)
    }
}

fn text(problems: &mut Vec<SetupError>, field: &'static str, value: &str, max: usize) {
    if value.is_empty() {
        problems.push(SetupError::Empty { field });
    } else if value.chars().count() > max {
        problems.push(SetupError::TooLong { field, max });
    }
}

fn duplicates<'a>(problems: &mut Vec<SetupError>, names: impl Iterator<Item = &'a str>) {
    let mut seen = std::collections::BTreeSet::new();
    for n in names {
        if !n.is_empty() && !seen.insert(n) {
            problems.push(SetupError::Duplicate {
                name: n.to_string(),
            });
        }
    }
}

/// What a unit writes on its page: the optional highlights and the required 短板与差距.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitStatement {
    pub highlights: String,
    pub shortfalls: String,
}

/// Why a unit's statement cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    #[error("the highlights are longer than {MAX_HIGHLIGHTS} characters")]
    HighlightsTooLong,
    #[error(
        "fill in 短板与差距 (at least {MIN_SHORTFALLS} characters): the template does not go on without it"
    )]
    ShortfallsMissing,
    #[error("短板与差距 is longer than {MAX_SHORTFALLS} characters")]
    ShortfallsTooLong,
}

impl UnitStatement {
    /// Trims both texts; the highlights may be empty, 短板与差距 may not.
    pub fn check(self) -> Result<UnitStatement, Vec<StatementError>> {
        let highlights = self.highlights.trim().to_string();
        let shortfalls = self.shortfalls.trim().to_string();
        let mut problems = Vec::new();
        if highlights.chars().count() > MAX_HIGHLIGHTS {
            problems.push(StatementError::HighlightsTooLong);
        }
        let n = shortfalls.chars().count();
        if n < MIN_SHORTFALLS {
            problems.push(StatementError::ShortfallsMissing);
        } else if n > MAX_SHORTFALLS {
            problems.push(StatementError::ShortfallsTooLong);
        }
        if problems.is_empty() {
            Ok(UnitStatement {
                highlights,
                shortfalls,
            })
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests;
