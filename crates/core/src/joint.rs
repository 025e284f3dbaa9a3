//! Whistle and report (吹哨报到) and rating each other (块评条、条评块): a town raises a joint
//! matter (联办) naming departments; each reports in (报到) by naming its handler within the
//! year's window counted in working hours ([`crate::calendar::hours`]); each gives its
//! feedback; the town verifies and closes; then the town rates each department (speed, effect,
//! attitude) and each department the town's coordination, once each. Pure rules and the
//! yearly tallies; the service loads, decides with the policy and writes.

use crate::calendar::Calendar;
use crate::calendar::hours::{HoursError, WorkingHours};
use crate::org::UnitId;
use jiff::civil::DateTime;
use serde::Serialize;
use std::collections::BTreeMap;

/// The default report-in window, in working hours.
pub const DEFAULT_REPORT_IN_HOURS: i64 = 4;
/// The longest report-in window a year may set (a week of 8-hour days).
pub const MAX_REPORT_IN_HOURS: i64 = 40;

/// When a department named at `raised` (local time) must have reported in.
pub fn report_in_due(
    hours: &WorkingHours,
    calendar: &Calendar,
    raised: DateTime,
    window_hours: i64,
) -> Result<DateTime, HoursError> {
    hours.add(calendar, raised, window_hours * 60)
}

/// Why a step on a joint matter cannot be taken now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum JointError {
    #[error("this department has already reported in")]
    AlreadyReportedIn,
    #[error("report in first, naming the handler")]
    NotReportedIn,
    #[error("the joint matter is closed")]
    Closed,
    #[error("the joint matter is not closed yet")]
    NotClosed,
    #[error("every named department must report in and give its feedback before closing")]
    NotReady,
    #[error("this rating has already been given")]
    AlreadyRated,
    #[error("a score is a whole number from 1 to 5")]
    BadScore,
}

impl JointError {
    /// The message catalog key (`err.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            JointError::AlreadyReportedIn => "already_reported_in",
            JointError::NotReportedIn => "not_reported_in",
            JointError::Closed => "joint_closed",
            JointError::NotClosed => "joint_not_closed",
            JointError::NotReady => "joint_not_ready",
            JointError::AlreadyRated => "already_rated",
            JointError::BadScore => "bad_score",
        }
    }
}

/// A score of 1 to 5.
pub fn score(n: i64) -> Result<i64, JointError> {
    if (1..=5).contains(&n) {
        Ok(n)
    } else {
        Err(JointError::BadScore)
    }
}

/// Where one named department stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Named {
    pub reported_in: bool,
    pub fed_back: bool,
    /// The town has rated it.
    pub rated: bool,
    /// It has rated the town's coordination.
    pub rated_town: bool,
}

/// May the department report in?
pub fn may_report_in(closed: bool, unit: &Named) -> Result<(), JointError> {
    if closed {
        Err(JointError::Closed)
    } else if unit.reported_in {
        Err(JointError::AlreadyReportedIn)
    } else {
        Ok(())
    }
}

/// May the department give (or replace) its feedback?
pub fn may_feed_back(closed: bool, unit: &Named) -> Result<(), JointError> {
    if closed {
        Err(JointError::Closed)
    } else if !unit.reported_in {
        Err(JointError::NotReportedIn)
    } else {
        Ok(())
    }
}

/// May the town verify and close? Every department has reported in and fed back.
pub fn may_close(closed: bool, units: &[Named]) -> Result<(), JointError> {
    if closed {
        Err(JointError::Closed)
    } else if units.iter().all(|u| u.reported_in && u.fed_back) {
        Ok(())
    } else {
        Err(JointError::NotReady)
    }
}

/// May the town rate this department? Once, after closing.
pub fn may_rate_department(closed: bool, unit: &Named) -> Result<(), JointError> {
    if !closed {
        Err(JointError::NotClosed)
    } else if unit.rated {
        Err(JointError::AlreadyRated)
    } else {
        Ok(())
    }
}

/// May the department rate the town's coordination? Once, after closing.
pub fn may_rate_town(closed: bool, unit: &Named) -> Result<(), JointError> {
    if !closed {
        Err(JointError::NotClosed)
    } else if unit.rated_town {
        Err(JointError::AlreadyRated)
    } else {
        Ok(())
    }
}

/// Whether a report-in at `at` was late for `due` (both local); `None` (not yet) is late
/// once `now` is past `due`.
pub fn late(due: DateTime, at: Option<DateTime>, now: DateTime) -> bool {
    match at {
        Some(at) => at > due,
        None => now > due,
    }
}

/// One department in one joint matter, as the tallies read it.
#[derive(Debug, Clone, PartialEq)]
pub struct JointFact {
    pub case_id: i64,
    pub town: UnitId,
    pub department: UnitId,
    pub reported_in: bool,
    pub late: bool,
    pub closed: bool,
    /// The town's rating of the department: speed, effect, attitude.
    pub rating: Option<[i64; 3]>,
    /// The department's rating of the town's coordination.
    pub coordination: Option<i64>,
    /// The department asked to return it and the return was refused.
    pub return_refused: bool,
}

/// A running mean.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Mean {
    pub sum: i64,
    pub n: i64,
}

impl Mean {
    pub fn add(&mut self, v: i64) {
        self.sum += v;
        self.n += 1;
    }
    /// The mean, to two decimals when shown; `None` without values.
    pub fn value(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum as f64 / self.n as f64)
    }
    /// Adds another mean's values to this one.
    pub fn merge(&mut self, other: Mean) {
        self.sum += other.sum;
        self.n += other.n;
    }
}

/// The year's figures of one unit (a department or a town), or of one town × department cell.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tally {
    /// Department × matter pairs (a department: its matters; a town: every department it
    /// called in).
    pub named: i64,
    /// Joint matters (a department: named in; a town: raised).
    pub matters: i64,
    pub closed: i64,
    /// Report-ins made (by the department, or to the town).
    pub reported_in: i64,
    pub late: i64,
    pub speed: Mean,
    pub effect: Mean,
    pub attitude: Mean,
    /// The department's rating of the town's coordination.
    pub coordination: Mean,
    pub returns_refused: i64,
}

impl Tally {
    /// Share (0–1) of report-ins made on time among those due; `None` when none.
    pub fn on_time_rate(&self) -> Option<f64> {
        let due = self.reported_in + self.missing();
        (due > 0).then(|| (due - self.late) as f64 / due as f64)
    }
    /// Named but not reported in (yet).
    pub fn missing(&self) -> i64 {
        self.named - self.reported_in
    }
    /// The mean of the three scores the town gave.
    pub fn rating(&self) -> Option<f64> {
        let n = self.speed.n + self.effect.n + self.attitude.n;
        (n > 0).then(|| (self.speed.sum + self.effect.sum + self.attitude.sum) as f64 / n as f64)
    }
}

impl Tally {
    /// Adds another tally's figures to this one (every field).
    pub fn merge(&mut self, other: &Tally) {
        self.named += other.named;
        self.matters += other.matters;
        self.closed += other.closed;
        self.reported_in += other.reported_in;
        self.late += other.late;
        self.speed.merge(other.speed);
        self.effect.merge(other.effect);
        self.attitude.merge(other.attitude);
        self.coordination.merge(other.coordination);
        self.returns_refused += other.returns_refused;
    }
}

/// The tallies: per department, per town, and the office's towns × departments matrix.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tallies {
    pub departments: BTreeMap<UnitId, Tally>,
    pub towns: BTreeMap<UnitId, Tally>,
    pub matrix: BTreeMap<(UnitId, UnitId), Tally>,
}

/// Adds up the facts of a year (one fact per department per joint matter).
pub fn tally(facts: &[JointFact]) -> Tallies {
    let mut t = Tallies::default();
    let mut town_matters: BTreeMap<UnitId, std::collections::BTreeSet<i64>> = BTreeMap::new();
    let mut town_closed: BTreeMap<UnitId, std::collections::BTreeSet<i64>> = BTreeMap::new();
    for f in facts {
        for tally in [
            t.departments.entry(f.department).or_default(),
            t.matrix.entry((f.town, f.department)).or_default(),
        ] {
            tally.matters += 1;
            add(tally, f);
            if f.closed {
                tally.closed += 1;
            }
        }
        add(t.towns.entry(f.town).or_default(), f);
        town_matters.entry(f.town).or_default().insert(f.case_id);
        if f.closed {
            town_closed.entry(f.town).or_default().insert(f.case_id);
        }
    }
    for (town, tally) in &mut t.towns {
        tally.matters = town_matters.get(town).map_or(0, |s| s.len() as i64);
        tally.closed = town_closed.get(town).map_or(0, |s| s.len() as i64);
    }
    t
}

/// A town's joint matters, each counted once however many departments it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TownMatters {
    pub town: UnitId,
    pub matters: i64,
    pub closed: i64,
}

/// The same tallies as [`tally`] from the matrix's cells added up elsewhere (by the
/// database): a cell is [`tally`]'s matrix entry for its town and department, and `towns`
/// gives each town's distinct matters and closed ones over the same facts. A department adds
/// up its cells; a town its cells' report-ins and ratings, with its matters from `towns`.
pub fn tally_cells(
    cells: impl IntoIterator<Item = ((UnitId, UnitId), Tally)>,
    towns: &[TownMatters],
) -> Tallies {
    let mut t = Tallies::default();
    for ((town, department), cell) in cells {
        t.departments.entry(department).or_default().merge(&cell);
        t.towns.entry(town).or_default().merge(&cell);
        t.matrix.entry((town, department)).or_default().merge(&cell);
    }
    for tally in t.towns.values_mut() {
        tally.matters = 0;
        tally.closed = 0;
    }
    for m in towns {
        if let Some(tally) = t.towns.get_mut(&m.town) {
            tally.matters = m.matters;
            tally.closed = m.closed;
        }
    }
    t
}

fn add(tally: &mut Tally, f: &JointFact) {
    tally.named += 1;
    if f.reported_in {
        tally.reported_in += 1;
    }
    if f.late {
        tally.late += 1;
    }
    if let Some([s, e, a]) = f.rating {
        tally.speed.add(s);
        tally.effect.add(e);
        tally.attitude.add(a);
    }
    if let Some(c) = f.coordination {
        tally.coordination.add(c);
    }
    if f.return_refused {
        tally.returns_refused += 1;
    }
}

#[cfg(test)]
mod tests;
