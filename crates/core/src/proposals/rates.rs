//! The handling-quality rates (DOMAIN §3.7), defined once.
//!
//! Each rate is a [`Measure`]: for one item's [`Facts`] and a day, [`Measure::counts`] says
//! whether the item is in the rate's denominator and, if so, in its numerator. The dashboard
//! adds items up in a [`Tally`]; the drill-down lists exactly the items a measure counts, so
//! the number and its list cannot disagree. The definitions, as written on the rates page:
//!
//! - 按时办复率: items whose first reply was signed by the deadline in force (an approved
//!   extension moves it) / items replied or past that deadline.
//! - 满意率（含基本满意）: items whose lead proposer's latest rating is 满意 or 基本满意 /
//!   items rated, or replied with the evaluation window passed unrated (未评价 counts as
//!   missing — in the denominator, never as satisfied).
//! - 满意率（不含基本满意）: the same, 满意 only.
//! - 初次满意率: the same on the first reply's rating.
//! - 解决率（A类）: items whose reply is class A, or a follow-up reported solved / items replied.
//! - 解决率（A+B类）: the same with class B.
//! - 见面率: items with a face-to-face contact (面商 or site visit) / items handed out.
//! - 三个一: items with 报到, 现场 and 回访 recorded / items replied.
//! - 一把手参与率: items where the unit head took part in a contact / items handed out.
//! - 续报率: B and C items with at least one follow-up after the reply / B and C items.
//! - 未评价: replied items whose latest reply the lead proposer has not rated / items replied
//!   (of which those past the evaluation window are "overdue").

use super::state::{OutcomeClass, Rating};
use jiff::civil::Date;
use serde::Serialize;

/// What the rates need to know about one item (kept on the item row by the store).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// Handed to the government (交办 onward, not withdrawn).
    pub handed_out: bool,
    /// The reply deadline in force, an approved extension included.
    pub reply_due_on: Option<Date>,
    /// The day the first reply was signed.
    pub first_replied_on: Option<Date>,
    /// The latest signed reply's class (as reviewed).
    pub class: Option<OutcomeClass>,
    /// A follow-up reported the matter solved.
    pub solved: bool,
    /// Follow-ups (续报) after the reply.
    pub follow_ups: u32,
    /// The lead proposer's rating of the first reply.
    pub first_rating: Option<Rating>,
    /// The lead proposer's latest rating.
    pub rating: Option<Rating>,
    /// The latest signed reply waits for the lead proposer's rating.
    pub rating_pending: bool,
    /// When the pending rating is due.
    pub evaluation_due_on: Option<Date>,
    /// 报到, 现场 and 回访 recorded; a face-to-face contact; the unit head took part.
    pub reported: bool,
    pub site: bool,
    pub revisit: bool,
    pub face_to_face: bool,
    pub head: bool,
}

impl Facts {
    fn replied(&self) -> bool {
        self.handed_out && self.first_replied_on.is_some()
    }

    /// Unrated past the evaluation window: counted as missing.
    pub fn rating_missing(&self, today: Date) -> bool {
        self.rating_pending && self.evaluation_due_on.is_some_and(|d| d < today)
    }

    /// In a satisfaction denominator for `rating`: rated, or missing.
    fn satisfaction(&self, rating: Option<Rating>, today: Date, strict: bool) -> Option<bool> {
        if !self.replied() {
            return None;
        }
        match rating {
            Some(r) => Some(r == Rating::Satisfied || (!strict && r == Rating::BasicallySatisfied)),
            None if self.rating_missing(today) => Some(false),
            None => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    OnTime,
    Satisfied,
    SatisfiedStrict,
    FirstSatisfied,
    SolvedA,
    SolvedAB,
    Met,
    ThreeContacts,
    HeadTookPart,
    FollowedUp,
    Unrated,
}

impl Measure {
    pub const ALL: [Measure; 11] = [
        Measure::OnTime,
        Measure::Satisfied,
        Measure::SatisfiedStrict,
        Measure::FirstSatisfied,
        Measure::SolvedA,
        Measure::SolvedAB,
        Measure::Met,
        Measure::ThreeContacts,
        Measure::HeadTookPart,
        Measure::FollowedUp,
        Measure::Unrated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Measure::OnTime => "on_time",
            Measure::Satisfied => "satisfied",
            Measure::SatisfiedStrict => "satisfied_strict",
            Measure::FirstSatisfied => "first_satisfied",
            Measure::SolvedA => "solved_a",
            Measure::SolvedAB => "solved_ab",
            Measure::Met => "met",
            Measure::ThreeContacts => "three_contacts",
            Measure::HeadTookPart => "head",
            Measure::FollowedUp => "followed_up",
            Measure::Unrated => "unrated",
        }
    }

    pub fn parse(s: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Measure::OnTime => "按时办复率",
            Measure::Satisfied => "满意率（含基本满意）",
            Measure::SatisfiedStrict => "满意率（不含基本满意）",
            Measure::FirstSatisfied => "初次满意率",
            Measure::SolvedA => "解决率（A类）",
            Measure::SolvedAB => "解决率（A+B类）",
            Measure::Met => "见面率",
            Measure::ThreeContacts => "“三个一”落实率",
            Measure::HeadTookPart => "一把手参与率",
            Measure::FollowedUp => "续报率",
            Measure::Unrated => "未评价",
        }
    }

    /// The definition as written on the rates page.
    pub fn definition_zh(self) -> &'static str {
        match self {
            Measure::OnTime => {
                "首次答复在期限内（含经批准延期）签发的件数 ÷ 已答复或已过期限的件数"
            }
            Measure::Satisfied => {
                "领衔人最近评价为满意或基本满意的件数 ÷ 已评价件数与逾期未评价件数之和（未评价不计为满意）"
            }
            Measure::SatisfiedStrict => {
                "领衔人最近评价为满意的件数 ÷ 已评价件数与逾期未评价件数之和"
            }
            Measure::FirstSatisfied => {
                "首次答复评价为满意或基本满意的件数 ÷ 首次答复已评价或逾期未评价的件数"
            }
            Measure::SolvedA => "答复为A类或续报已解决的件数 ÷ 已答复件数",
            Measure::SolvedAB => "答复为A类、B类或续报已解决的件数 ÷ 已答复件数",
            Measure::Met => "有当面或现场见面记录的件数 ÷ 已交办件数",
            Measure::ThreeContacts => "报到、现场、回访三项均有记录的件数 ÷ 已答复件数",
            Measure::HeadTookPart => "单位主要负责人参与见面的件数 ÷ 已交办件数",
            Measure::FollowedUp => "B、C类答复后至少续报一次的件数 ÷ B、C类件数",
            Measure::Unrated => "最近一次答复领衔人尚未评价的件数 ÷ 已答复件数",
        }
    }

    /// `None`: the item is not counted by this measure; `Some(in_numerator)` otherwise.
    pub fn counts(self, f: &Facts, today: Date) -> Option<bool> {
        if !f.handed_out {
            return None;
        }
        let replied = f.replied();
        match self {
            Measure::OnTime => match (f.first_replied_on, f.reply_due_on) {
                (Some(r), Some(d)) => Some(r <= d),
                (Some(_), None) => Some(true),
                (None, Some(d)) if d < today => Some(false),
                (None, _) => None,
            },
            Measure::Satisfied => f.satisfaction(f.rating, today, false),
            Measure::SatisfiedStrict => f.satisfaction(f.rating, today, true),
            Measure::FirstSatisfied => f.satisfaction(f.first_rating, today, false),
            Measure::SolvedA => replied.then_some(f.solved || f.class == Some(OutcomeClass::A)),
            Measure::SolvedAB => replied
                .then_some(f.solved || matches!(f.class, Some(OutcomeClass::A | OutcomeClass::B))),
            Measure::Met => Some(f.face_to_face),
            Measure::ThreeContacts => replied.then_some(f.reported && f.site && f.revisit),
            Measure::HeadTookPart => Some(f.head),
            Measure::FollowedUp => match f.class {
                Some(c) if replied && c.owes_follow_up() => Some(f.follow_ups > 0 || f.solved),
                _ => None,
            },
            Measure::Unrated => replied.then_some(f.rating_pending),
        }
    }
}

/// A numerator over a denominator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Ratio {
    pub num: u64,
    pub den: u64,
}

impl Ratio {
    /// Per mille, rounded half up; `None` when nothing is counted.
    pub fn permille(self) -> Option<u64> {
        (self.den > 0).then(|| (self.num * 2000 + self.den) / (2 * self.den))
    }

    /// "93.5%", or "—" when nothing is counted.
    pub fn percent_text(self) -> String {
        match self.permille() {
            Some(p) => format!("{}.{}%", p / 10, p % 10),
            None => "—".into(),
        }
    }
}

/// Every measure added up over some items, with the counts beside them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub items: u64,
    pub handed_out: u64,
    pub replied: u64,
    pub unrated_overdue: u64,
    ratios: [Ratio; 11],
}

impl Tally {
    pub fn add(&mut self, f: &Facts, today: Date) {
        self.items += 1;
        if f.handed_out {
            self.handed_out += 1;
        }
        if f.replied() {
            self.replied += 1;
        }
        if f.handed_out && f.rating_missing(today) {
            self.unrated_overdue += 1;
        }
        for (i, m) in Measure::ALL.into_iter().enumerate() {
            if let Some(hit) = m.counts(f, today) {
                self.ratios[i].den += 1;
                self.ratios[i].num += u64::from(hit);
            }
        }
    }

    pub fn of<'a>(facts: impl IntoIterator<Item = &'a Facts>, today: Date) -> Tally {
        let mut t = Tally::default();
        for f in facts {
            t.add(f, today);
        }
        t
    }

    pub fn get(&self, m: Measure) -> Ratio {
        let i = Measure::ALL
            .iter()
            .position(|x| *x == m)
            .unwrap_or_default();
        self.ratios[i]
    }
}

pub mod counts;

#[cfg(test)]
mod tests;
