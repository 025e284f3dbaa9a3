//! The life of a commitment and of each of its versions (DOMAIN §2.5):
//!
//! ```text
//! commitment:
//! Drafted ──submit(committer)──▶ UnderReview ──approve(SO)──▶ Approved ──sign(committer)──▶ Published (亮诺)
//!                                UnderReview ──return(SO, comment)──▶ Returned ──edit──▶ Drafted
//! Published ──track──▶ Fulfilling (践诺) ──self report(committer)──▶ UnderEvaluation (评诺)
//! UnderEvaluation ──conclude(SO, from the scores)──▶ Fulfilled | PartlyFulfilled | NotFulfilled
//!
//! version (the first one moves with its commitment; an amendment of a Published or
//! Fulfilling commitment has its own):
//! Drafted ──submit──▶ UnderReview ──approve──▶ Approved ──sign──▶ Signed (immutable)
//!                     UnderReview ──return──▶ Returned ──edit──▶ Drafted
//! ```
//! Editing a draft keeps it a draft. A signed version is never edited again: changes are a
//! new version with a public reason.

use super::evaluation::Verdict;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentState {
    /// 起草 — the committer is writing it.
    Drafted,
    /// 审核 — with the supervision office.
    UnderReview,
    /// 退回 — sent back with a comment.
    Returned,
    /// 审定 — approved, waiting for the committer's signature.
    Approved,
    /// 亮诺 — signed and public.
    Published,
    /// 践诺 — being carried out, followed through the linked tasks.
    Fulfilling,
    /// 评诺 — self report filed; deputies, members and the public evaluate.
    UnderEvaluation,
    Fulfilled,
    PartlyFulfilled,
    NotFulfilled,
}

impl CommitmentState {
    pub const ALL: [CommitmentState; 10] = [
        CommitmentState::Drafted,
        CommitmentState::UnderReview,
        CommitmentState::Returned,
        CommitmentState::Approved,
        CommitmentState::Published,
        CommitmentState::Fulfilling,
        CommitmentState::UnderEvaluation,
        CommitmentState::Fulfilled,
        CommitmentState::PartlyFulfilled,
        CommitmentState::NotFulfilled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CommitmentState::Drafted => "drafted",
            CommitmentState::UnderReview => "under_review",
            CommitmentState::Returned => "returned",
            CommitmentState::Approved => "approved",
            CommitmentState::Published => "published",
            CommitmentState::Fulfilling => "fulfilling",
            CommitmentState::UnderEvaluation => "under_evaluation",
            CommitmentState::Fulfilled => "fulfilled",
            CommitmentState::PartlyFulfilled => "partly_fulfilled",
            CommitmentState::NotFulfilled => "not_fulfilled",
        }
    }

    pub fn parse(s: &str) -> Option<CommitmentState> {
        CommitmentState::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Signed and therefore public: the portal, deputies and everyone signed in may see it.
    pub fn is_public(self) -> bool {
        !matches!(
            self,
            CommitmentState::Drafted
                | CommitmentState::UnderReview
                | CommitmentState::Returned
                | CommitmentState::Approved
        )
    }

    /// Whether an amendment (a new version) may be started: after publication, before the
    /// year-end evaluation.
    pub fn amendable(self) -> bool {
        matches!(
            self,
            CommitmentState::Published | CommitmentState::Fulfilling
        )
    }

    /// The final state for an evaluation's verdict.
    pub fn concluded(v: Verdict) -> CommitmentState {
        match v {
            Verdict::Fulfilled => CommitmentState::Fulfilled,
            Verdict::PartlyFulfilled => CommitmentState::PartlyFulfilled,
            Verdict::NotFulfilled => CommitmentState::NotFulfilled,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionState {
    Drafted,
    UnderReview,
    Returned,
    Approved,
    /// Signed by the committer: never changed again.
    Signed,
}

impl VersionState {
    pub const ALL: [VersionState; 5] = [
        VersionState::Drafted,
        VersionState::UnderReview,
        VersionState::Returned,
        VersionState::Approved,
        VersionState::Signed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            VersionState::Drafted => "drafted",
            VersionState::UnderReview => "under_review",
            VersionState::Returned => "returned",
            VersionState::Approved => "approved",
            VersionState::Signed => "signed",
        }
    }

    pub fn parse(s: &str) -> Option<VersionState> {
        VersionState::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The committer may still change the content.
    pub fn editable(self) -> bool {
        matches!(self, VersionState::Drafted | VersionState::Returned)
    }
}

/// A step on a commitment or a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Change the draft's content (a returned draft becomes a draft again).
    Edit,
    Submit,
    Return {
        comment: String,
    },
    Approve,
    Sign,
    /// 践诺 begins: the commitment is followed through its tasks.
    Track,
    SelfReport {
        text: String,
    },
    Conclude {
        verdict: Verdict,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommitmentError {
    #[error("a commitment in state {from} cannot take this step")]
    NotAllowed { from: &'static str },
    #[error("returning a draft needs a comment")]
    CommentRequired,
    #[error("the self report is empty")]
    ReportRequired,
}

/// The commitment's next state, or why the step is refused.
pub fn apply(
    state: CommitmentState,
    command: &Command,
) -> Result<CommitmentState, CommitmentError> {
    use Command as C;
    use CommitmentState as S;
    Ok(match (state, command) {
        (S::Drafted | S::Returned, C::Edit) => S::Drafted,
        (S::Drafted, C::Submit) => S::UnderReview,
        (S::UnderReview, C::Return { comment }) => {
            if comment.trim().is_empty() {
                return Err(CommitmentError::CommentRequired);
            }
            S::Returned
        }
        (S::UnderReview, C::Approve) => S::Approved,
        (S::Approved, C::Sign) => S::Published,
        (S::Published, C::Track) => S::Fulfilling,
        (S::Fulfilling, C::SelfReport { text }) => {
            if text.trim().is_empty() {
                return Err(CommitmentError::ReportRequired);
            }
            S::UnderEvaluation
        }
        (S::UnderEvaluation, C::Conclude { verdict }) => S::concluded(*verdict),
        _ => {
            return Err(CommitmentError::NotAllowed {
                from: state.as_str(),
            });
        }
    })
}

/// A version's next state. Only `Edit`, `Submit`, `Return`, `Approve` and `Sign` apply to
/// versions.
pub fn apply_version(
    state: VersionState,
    command: &Command,
) -> Result<VersionState, CommitmentError> {
    use Command as C;
    use VersionState as V;
    Ok(match (state, command) {
        (V::Drafted | V::Returned, C::Edit) => V::Drafted,
        (V::Drafted, C::Submit) => V::UnderReview,
        (V::UnderReview, C::Return { comment }) => {
            if comment.trim().is_empty() {
                return Err(CommitmentError::CommentRequired);
            }
            V::Returned
        }
        (V::UnderReview, C::Approve) => V::Approved,
        (V::Approved, C::Sign) => V::Signed,
        _ => {
            return Err(CommitmentError::NotAllowed {
                from: state.as_str(),
            });
        }
    })
}

#[cfg(test)]
mod tests;
