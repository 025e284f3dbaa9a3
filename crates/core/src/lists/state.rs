//! The life of a task on the unit's list: drafted by the liaison, submitted by the unit head,
//! approved (it becomes the baseline) or returned with a comment by the supervision office.
//!
//! ```text
//! Draft ──submit──▶ Submitted ──approve──▶ Approved
//!   ▲                   │
//!   └──── Returned ◀──return(comment)
//! Returned ──submit──▶ Submitted
//! ```
//! After approval, baseline fields change only through a change request ([`super::baseline`]).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    /// 草稿 — being written by the unit.
    Draft,
    /// 已报送 — submitted by the unit head, waiting for the supervision office.
    Submitted,
    /// 已退回 — returned by the office with a comment; the unit edits and submits again.
    Returned,
    /// 已审定 — approved; the baseline against which the task is assessed.
    Approved,
}

impl TaskState {
    pub const ALL: [TaskState; 4] = [
        TaskState::Draft,
        TaskState::Submitted,
        TaskState::Returned,
        TaskState::Approved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::Draft => "draft",
            TaskState::Submitted => "submitted",
            TaskState::Returned => "returned",
            TaskState::Approved => "approved",
        }
    }

    pub fn parse(s: &str) -> Option<TaskState> {
        TaskState::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The unit may edit every field freely (before submission or after a return).
    pub fn editable_by_unit(self) -> bool {
        matches!(self, TaskState::Draft | TaskState::Returned)
    }
}

/// What someone does to a task's list state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskCommand {
    Submit,
    Approve,
    Return { comment: String },
}

impl TaskCommand {
    pub fn name(&self) -> &'static str {
        match self {
            TaskCommand::Submit => "submit",
            TaskCommand::Approve => "approve",
            TaskCommand::Return { .. } => "return",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    #[error("a task in state {from} cannot be {action}")]
    NotAllowed {
        from: &'static str,
        action: &'static str,
    },
    #[error("a return needs a comment that says what to fix")]
    CommentRequired,
}

/// The next state, or why the move is not allowed.
pub fn apply(state: TaskState, command: &TaskCommand) -> Result<TaskState, StateError> {
    use TaskState::*;
    let next = match (state, command) {
        (Draft | Returned, TaskCommand::Submit) => Submitted,
        (Submitted, TaskCommand::Approve) => Approved,
        (Submitted, TaskCommand::Return { comment }) => {
            if comment.trim().is_empty() {
                return Err(StateError::CommentRequired);
            }
            Returned
        }
        _ => {
            return Err(StateError::NotAllowed {
                from: state.as_str(),
                action: match command {
                    TaskCommand::Submit => "submitted",
                    TaskCommand::Approve => "approved",
                    TaskCommand::Return { .. } => "returned",
                },
            });
        }
    };
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use TaskState::*;

    #[test]
    fn a_draft_is_submitted_then_approved() {
        let s = apply(Draft, &TaskCommand::Submit).unwrap();
        assert_eq!(s, Submitted);
        assert_eq!(apply(s, &TaskCommand::Approve).unwrap(), Approved);
    }

    #[test]
    fn a_returned_task_can_be_submitted_again() {
        let back = TaskCommand::Return {
            comment: "指标未量化".into(),
        };
        let s = apply(Submitted, &back).unwrap();
        assert_eq!(s, Returned);
        assert!(s.editable_by_unit());
        assert_eq!(apply(s, &TaskCommand::Submit).unwrap(), Submitted);
    }

    #[test]
    fn a_return_without_a_comment_is_refused() {
        let back = TaskCommand::Return {
            comment: "  ".into(),
        };
        assert_eq!(apply(Submitted, &back), Err(StateError::CommentRequired));
    }

    #[test]
    fn an_approved_task_cannot_be_approved_submitted_or_returned_again() {
        for c in [
            TaskCommand::Submit,
            TaskCommand::Approve,
            TaskCommand::Return {
                comment: "x".into(),
            },
        ] {
            assert!(apply(Approved, &c).is_err(), "{c:?}");
        }
        assert!(!Approved.editable_by_unit());
    }

    #[test]
    fn a_draft_cannot_be_approved_before_submission() {
        assert!(apply(Draft, &TaskCommand::Approve).is_err());
        assert!(
            apply(
                Draft,
                &TaskCommand::Return {
                    comment: "x".into()
                }
            )
            .is_err()
        );
    }
}
