//! The approved baseline (基线) and change requests (调整申请).
//!
//! When the office approves a task, its baseline fields — deadline, targets, weight and owners —
//! are frozen in a snapshot that assessment compares against. Afterwards those fields change
//! only through a change request: a reason and proposed values from the unit, approved or
//! rejected by the office. Each approved request writes one history row per changed field.

use super::{Due, Indicator, Milestone};
use serde::{Deserialize, Serialize};

/// The fields that make up a task's commitment to the city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub due: Due,
    pub indicators: Vec<Indicator>,
    pub milestones: Vec<Milestone>,
    pub weight: f64,
    pub lead_unit: i64,
    pub lead_leader: Option<i64>,
    pub section: Option<i64>,
    pub post: Option<i64>,
    pub person: Option<i64>,
}

/// One baseline field, named as in history rows and API bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Due,
    Indicators,
    Milestones,
    Weight,
    LeadUnit,
    LeadLeader,
    Section,
    Post,
    Person,
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::Due,
        Field::Indicators,
        Field::Milestones,
        Field::Weight,
        Field::LeadUnit,
        Field::LeadLeader,
        Field::Section,
        Field::Post,
        Field::Person,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Due => "due",
            Field::Indicators => "indicators",
            Field::Milestones => "milestones",
            Field::Weight => "weight",
            Field::LeadUnit => "lead_unit",
            Field::LeadLeader => "lead_leader",
            Field::Section => "section",
            Field::Post => "post",
            Field::Person => "person",
        }
    }

    pub fn parse(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// One field's value before and after, as JSON (what history rows and the ledger keep).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: Field,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

impl Baseline {
    fn value(&self, field: Field) -> serde_json::Value {
        let v = match field {
            Field::Due => serde_json::to_value(self.due),
            Field::Indicators => serde_json::to_value(&self.indicators),
            Field::Milestones => serde_json::to_value(&self.milestones),
            Field::Weight => serde_json::to_value(self.weight),
            Field::LeadUnit => serde_json::to_value(self.lead_unit),
            Field::LeadLeader => serde_json::to_value(self.lead_leader),
            Field::Section => serde_json::to_value(self.section),
            Field::Post => serde_json::to_value(self.post),
            Field::Person => serde_json::to_value(self.person),
        };
        v.expect("baseline values are plain data and always serialize")
    }

    /// The fields that differ between `self` and `proposed`, in [`Field::ALL`] order.
    pub fn changes_to(&self, proposed: &Baseline) -> Vec<FieldChange> {
        Field::ALL
            .into_iter()
            .filter_map(|field| {
                let (before, after) = (self.value(field), proposed.value(field));
                (before != after).then_some(FieldChange {
                    field,
                    before,
                    after,
                })
            })
            .collect()
    }
}

/// The state of a change request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeState {
    Pending,
    Approved,
    Rejected,
    Withdrawn,
}

impl ChangeState {
    pub const ALL: [ChangeState; 4] = [
        ChangeState::Pending,
        ChangeState::Approved,
        ChangeState::Rejected,
        ChangeState::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeState::Pending => "pending",
            ChangeState::Approved => "approved",
            ChangeState::Rejected => "rejected",
            ChangeState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<ChangeState> {
        ChangeState::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error("a change request needs a reason")]
    ReasonRequired,
    #[error("the request changes nothing: every proposed value equals the current one")]
    NothingChanged,
    #[error("only approved tasks take change requests; edit the draft directly")]
    TaskNotApproved,
    #[error("this task already has a pending change request")]
    AlreadyPending,
    #[error("this change request was already decided")]
    AlreadyDecided,
}

/// Checks a new change request; returns the field changes it proposes.
pub fn propose(
    task_approved: bool,
    pending_exists: bool,
    current: &Baseline,
    proposed: &Baseline,
    reason: &str,
) -> Result<Vec<FieldChange>, ChangeError> {
    if !task_approved {
        return Err(ChangeError::TaskNotApproved);
    }
    if pending_exists {
        return Err(ChangeError::AlreadyPending);
    }
    if reason.trim().is_empty() {
        return Err(ChangeError::ReasonRequired);
    }
    let changes = current.changes_to(proposed);
    if changes.is_empty() {
        return Err(ChangeError::NothingChanged);
    }
    Ok(changes)
}

/// Decides a pending request (approve or reject) or withdraws it.
pub fn decide(state: ChangeState, to: ChangeState) -> Result<ChangeState, ChangeError> {
    match (state, to) {
        (
            ChangeState::Pending,
            ChangeState::Approved | ChangeState::Rejected | ChangeState::Withdrawn,
        ) => Ok(to),
        _ => Err(ChangeError::AlreadyDecided),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lists::Cadence;
    use jiff::civil::date;

    fn baseline() -> Baseline {
        Baseline {
            due: Due::By {
                date: date(2026, 12, 31),
            },
            indicators: vec![Indicator {
                name: "投资".into(),
                target: 5.0,
                unit: "亿元".into(),
            }],
            milestones: vec![],
            weight: 10.0,
            lead_unit: 3,
            lead_leader: Some(7),
            section: None,
            post: None,
            person: Some(40),
        }
    }

    #[test]
    fn a_later_deadline_is_one_field_change_with_both_values() {
        let mut p = baseline();
        p.due = Due::By {
            date: date(2027, 3, 31),
        };
        let changes = propose(true, false, &baseline(), &p, "征地延期").unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, Field::Due);
        assert_eq!(changes[0].before["date"], "2026-12-31");
        assert_eq!(changes[0].after["date"], "2027-03-31");
    }

    #[test]
    fn turning_a_task_ongoing_and_moving_its_owner_lists_both_fields_in_order() {
        let mut p = baseline();
        p.person = Some(41);
        p.due = Due::Ongoing {
            cadence: Cadence::Monthly,
        };
        let fields: Vec<Field> = baseline()
            .changes_to(&p)
            .into_iter()
            .map(|c| c.field)
            .collect();
        assert_eq!(fields, vec![Field::Due, Field::Person]);
    }

    #[test]
    fn a_request_without_reason_or_without_change_or_on_a_draft_is_refused() {
        let b = baseline();
        let mut p = baseline();
        p.weight = 5.0;
        assert_eq!(
            propose(true, false, &b, &p, " "),
            Err(ChangeError::ReasonRequired)
        );
        assert_eq!(
            propose(true, false, &b, &b, "x"),
            Err(ChangeError::NothingChanged)
        );
        assert_eq!(
            propose(false, false, &b, &p, "x"),
            Err(ChangeError::TaskNotApproved)
        );
        assert_eq!(
            propose(true, true, &b, &p, "x"),
            Err(ChangeError::AlreadyPending)
        );
    }

    #[test]
    fn a_decided_request_cannot_be_decided_again() {
        assert_eq!(
            decide(ChangeState::Pending, ChangeState::Approved),
            Ok(ChangeState::Approved)
        );
        assert!(decide(ChangeState::Approved, ChangeState::Rejected).is_err());
        assert!(decide(ChangeState::Rejected, ChangeState::Approved).is_err());
        assert!(decide(ChangeState::Pending, ChangeState::Pending).is_err());
    }

    #[test]
    fn field_names_round_trip() {
        for f in Field::ALL {
            assert_eq!(Field::parse(f.as_str()), Some(f));
        }
    }
}
