//! The one lifecycle of a suggestion or proposal (DOMAIN §2.4):
//!
//! ```text
//! Submitted ──accept(office)──▶ Registered          (online, between sessions; session items
//!                                                    are registered directly)
//! Submitted | Registered ──reject(office, reason)──▶ Rejected
//! Submitted | Registered ──merge(office)──▶ Merged   (并案: answered with the item it joins)
//! Registered ──hand out(government office)──▶ HandedOut
//! HandedOut ──sign in(lead unit)──▶ SignedIn
//! HandedOut ──request adjustment(lead unit, reason, inside the window)──▶ AdjustmentRequested
//! AdjustmentRequested ──approve(office)──▶ HandedOut (to the new lead unit, windows restart)
//!                     ──refuse(office, reason)──▶ SignedIn (the unit must handle it)
//! SignedIn ──contact──▶ Handling; later contacts (报到/现场/回访) keep the state
//! SignedIn | Handling | ReHandling ──co-unit opinion──▶ same
//! SignedIn | Handling | ReHandling | ReplyDrafted ──draft reply(class)──▶ ReplyDrafted
//! ReplyDrafted ──countersign(co-unit)──▶ ReplyDrafted
//! ReplyDrafted ──review(office, may correct the class; every co-unit countersigned)──▶ ReplyReviewed
//! ReplyDrafted | ReplyReviewed ──send back(office, reason)──▶ Handling
//! ReplyReviewed ──sign(unit head)──▶ Replied          (未评价 until the lead proposer rates)
//! Replied ──rate(lead proposer)──▶ 不满意: ReHandling (own deadline, a new round)
//!                                 满意/基本满意 and class A or D: Closed
//!                                 满意/基本满意 and class B or C: FollowUpOwed (件件有续报)
//! Replied | ReHandling | FollowUpOwed | Closed ──rate(co-signer)──▶ same
//! FollowUpOwed ──follow-up(lead unit, solved?)──▶ Closed if solved, else FollowUpOwed
//! any state before Replied ──withdraw(proposer)──▶ Withdrawn
//! ```
//! Extensions (延期) do not change the state: they are asked for and decided while the item is
//! being handled and move the deadline in force ([`super::settings::Settings::extension_ok`]).
//! Whether a date lies inside a window is decided by the caller with the settings and passed
//! in the command, so every refusal here is a pure function of its inputs.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// 网上提交 — waiting for the office.
    Submitted,
    /// 登记 / 立案 — accepted, waiting for hand-out.
    Registered,
    /// 不予立案 / 不作为建议 — with a reason the proposer sees.
    Rejected,
    /// 并案 — joined to another item of the same content.
    Merged,
    /// 撤回 — withdrawn by the proposer.
    Withdrawn,
    /// 已交办 — waiting for the lead unit's 签收.
    HandedOut,
    /// 申请调整 — the lead unit asks to be relieved, inside its window.
    AdjustmentRequested,
    /// 已签收
    SignedIn,
    /// 办理中 — contacts recorded.
    Handling,
    /// 答复拟稿 — drafted with a class; co-units countersign (会签).
    ReplyDrafted,
    /// 督办已审核 — reviewed by the office; waiting for the unit head's signature.
    ReplyReviewed,
    /// 已答复 — signed and sent; 未评价 until the lead proposer rates it.
    Replied,
    /// 不满意重办 — a new round with its own deadline.
    ReHandling,
    /// 待续报 — a B or C reply the proposer accepted; follow-ups owed until solved.
    FollowUpOwed,
    /// 办结
    Closed,
}

impl State {
    pub const ALL: [State; 15] = [
        State::Submitted,
        State::Registered,
        State::Rejected,
        State::Merged,
        State::Withdrawn,
        State::HandedOut,
        State::AdjustmentRequested,
        State::SignedIn,
        State::Handling,
        State::ReplyDrafted,
        State::ReplyReviewed,
        State::Replied,
        State::ReHandling,
        State::FollowUpOwed,
        State::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Submitted => "submitted",
            State::Registered => "registered",
            State::Rejected => "rejected",
            State::Merged => "merged",
            State::Withdrawn => "withdrawn",
            State::HandedOut => "handed_out",
            State::AdjustmentRequested => "adjustment_requested",
            State::SignedIn => "signed_in",
            State::Handling => "handling",
            State::ReplyDrafted => "reply_drafted",
            State::ReplyReviewed => "reply_reviewed",
            State::Replied => "replied",
            State::ReHandling => "re_handling",
            State::FollowUpOwed => "follow_up_owed",
            State::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            State::Submitted => "待受理",
            State::Registered => "已立案待交办",
            State::Rejected => "不予立案",
            State::Merged => "已并案",
            State::Withdrawn => "已撤回",
            State::HandedOut => "待签收",
            State::AdjustmentRequested => "申请调整",
            State::SignedIn => "已签收",
            State::Handling => "办理中",
            State::ReplyDrafted => "答复待会签审核",
            State::ReplyReviewed => "待单位负责人签发",
            State::Replied => "已答复",
            State::ReHandling => "不满意重办",
            State::FollowUpOwed => "跟踪续报",
            State::Closed => "办结",
        }
    }

    /// Handed to the government: counted by the rates (hand-out onward, not withdrawn).
    pub fn handed_out(self) -> bool {
        !matches!(
            self,
            State::Submitted
                | State::Registered
                | State::Rejected
                | State::Merged
                | State::Withdrawn
        )
    }

    /// A unit is working on it (a reply is owed).
    pub fn reply_owed(self) -> bool {
        matches!(
            self,
            State::HandedOut
                | State::AdjustmentRequested
                | State::SignedIn
                | State::Handling
                | State::ReplyDrafted
                | State::ReplyReviewed
                | State::ReHandling
        )
    }
}

/// 办理结果类别, printed on the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum OutcomeClass {
    /// 已解决或基本解决
    A,
    /// 正在解决或已列入计划逐步解决
    B,
    /// 列入规划、待条件成熟时解决
    C,
    /// 因条件限制暂时不能解决，已作说明
    D,
}

impl OutcomeClass {
    pub const ALL: [OutcomeClass; 4] = [
        OutcomeClass::A,
        OutcomeClass::B,
        OutcomeClass::C,
        OutcomeClass::D,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeClass::A => "A",
            OutcomeClass::B => "B",
            OutcomeClass::C => "C",
            OutcomeClass::D => "D",
        }
    }

    pub fn parse(s: &str) -> Option<OutcomeClass> {
        OutcomeClass::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            OutcomeClass::A => "A类（已解决或基本解决）",
            OutcomeClass::B => "B类（正在解决）",
            OutcomeClass::C => "C类（列入计划解决）",
            OutcomeClass::D => "D类（暂不能解决，已作说明）",
        }
    }

    /// B and C replies owe follow-ups (续报) until solved.
    pub fn owes_follow_up(self) -> bool {
        matches!(self, OutcomeClass::B | OutcomeClass::C)
    }
}

/// How a proposer rates a reply (征询意见表).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Satisfied,
    BasicallySatisfied,
    Dissatisfied,
}

impl Rating {
    pub const ALL: [Rating; 3] = [
        Rating::Satisfied,
        Rating::BasicallySatisfied,
        Rating::Dissatisfied,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::BasicallySatisfied => "basically_satisfied",
            Rating::Dissatisfied => "dissatisfied",
        }
    }

    pub fn parse(s: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Rating::Satisfied => "满意",
            Rating::BasicallySatisfied => "基本满意",
            Rating::Dissatisfied => "不满意",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Accept,
    Reject {
        reason: String,
    },
    Merge,
    Withdraw,
    HandOut,
    SignIn,
    /// `on` is the day of the request; `window_ends` the last day of the adjustment window.
    RequestAdjustment {
        reason: String,
        on: Date,
        window_ends: Date,
    },
    ApproveAdjustment,
    RefuseAdjustment {
        reason: String,
    },
    RecordContact,
    CoOpinion,
    /// `class` is `None` when the form left it empty.
    DraftReply {
        class: Option<OutcomeClass>,
    },
    Countersign,
    /// `missing_countersigns`: co-units that have not countersigned the draft.
    Review {
        missing_countersigns: usize,
    },
    SendBack {
        reason: String,
    },
    Sign,
    /// `by_lead`: the lead proposer (whose rating moves the item); `already_rated`: this
    /// proposer rated this round's reply before; `class`: the reply's reviewed class.
    Rate {
        rating: Rating,
        by_lead: bool,
        already_rated: bool,
        class: OutcomeClass,
    },
    FollowUp {
        solved: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("an item in state {from} cannot take this step")]
    NotAllowed { from: &'static str },
    #[error("this step needs a reason")]
    ReasonRequired,
    #[error("the adjustment window ended on {window_ends}; the unit must handle the item")]
    AdjustmentLate { window_ends: Date },
    #[error("a reply needs its outcome class (A, B, C or D)")]
    ClassRequired,
    #[error("{0} co-unit(s) have not countersigned the reply yet")]
    CountersignMissing(usize),
    #[error("this reply has been rated already; a rating cannot be changed")]
    AlreadyRated,
}

fn need(reason: &str) -> Result<(), Error> {
    if reason.trim().is_empty() {
        Err(Error::ReasonRequired)
    } else {
        Ok(())
    }
}

/// The next state, or why the step is refused.
pub fn apply(state: State, command: &Command) -> Result<State, Error> {
    use Command as C;
    use State as S;
    let next = match (state, command) {
        (S::Submitted, C::Accept) => S::Registered,
        (S::Submitted | S::Registered, C::Reject { reason }) => {
            need(reason)?;
            S::Rejected
        }
        (S::Submitted | S::Registered, C::Merge) => S::Merged,
        (
            S::Submitted
            | S::Registered
            | S::HandedOut
            | S::AdjustmentRequested
            | S::SignedIn
            | S::Handling
            | S::ReplyDrafted
            | S::ReplyReviewed,
            C::Withdraw,
        ) => S::Withdrawn,
        (S::Registered, C::HandOut) => S::HandedOut,
        (S::HandedOut, C::SignIn) => S::SignedIn,
        (
            S::HandedOut,
            C::RequestAdjustment {
                reason,
                on,
                window_ends,
            },
        ) => {
            if on > window_ends {
                return Err(Error::AdjustmentLate {
                    window_ends: *window_ends,
                });
            }
            need(reason)?;
            S::AdjustmentRequested
        }
        (S::AdjustmentRequested, C::ApproveAdjustment) => S::HandedOut,
        (S::AdjustmentRequested, C::RefuseAdjustment { reason }) => {
            need(reason)?;
            S::SignedIn
        }
        (S::SignedIn, C::RecordContact) => S::Handling,
        (
            S::Handling
            | S::ReplyDrafted
            | S::ReplyReviewed
            | S::Replied
            | S::ReHandling
            | S::FollowUpOwed
            | S::Closed,
            C::RecordContact,
        ) => state,
        (S::SignedIn | S::Handling | S::ReHandling, C::CoOpinion) => state,
        (S::SignedIn | S::Handling | S::ReHandling | S::ReplyDrafted, C::DraftReply { class }) => {
            if class.is_none() {
                return Err(Error::ClassRequired);
            }
            S::ReplyDrafted
        }
        (S::ReplyDrafted, C::Countersign) => S::ReplyDrafted,
        (
            S::ReplyDrafted,
            C::Review {
                missing_countersigns,
            },
        ) => {
            if *missing_countersigns > 0 {
                return Err(Error::CountersignMissing(*missing_countersigns));
            }
            S::ReplyReviewed
        }
        (S::ReplyDrafted | S::ReplyReviewed, C::SendBack { reason }) => {
            need(reason)?;
            S::Handling
        }
        (S::ReplyReviewed, C::Sign) => S::Replied,
        (
            S::Replied | S::ReHandling | S::FollowUpOwed | S::Closed,
            C::Rate {
                rating,
                by_lead,
                already_rated,
                class,
            },
        ) => {
            if *already_rated {
                return Err(Error::AlreadyRated);
            }
            match (state, by_lead, rating) {
                (S::Replied, true, Rating::Dissatisfied) => S::ReHandling,
                (S::Replied, true, _) if class.owes_follow_up() => S::FollowUpOwed,
                (S::Replied, true, _) => S::Closed,
                // The lead proposer rates only a reply that waits for it.
                (_, true, _) => {
                    return Err(Error::NotAllowed {
                        from: state.as_str(),
                    });
                }
                (_, false, _) => state,
            }
        }
        (S::FollowUpOwed, C::FollowUp { solved }) => {
            if *solved {
                S::Closed
            } else {
                S::FollowUpOwed
            }
        }
        _ => {
            return Err(Error::NotAllowed {
                from: state.as_str(),
            });
        }
    };
    Ok(next)
}

#[cfg(test)]
mod tests;
