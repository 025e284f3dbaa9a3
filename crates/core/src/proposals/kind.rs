//! The two kinds and their intake differences, as data.

use serde::{Deserialize, Serialize};

/// 人大代表建议 or 政协提案.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 人大代表建议 — filed by deputies, classified by the NPC office (议案建议组).
    Suggestion,
    /// 政协提案 — filed by members, examined and 立案 by the CPPCC proposal office (提案委).
    Proposal,
}

/// Why the office turns an item away (不作为建议处理 / 不予立案). The proposer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// 不属于建议 / 不符合提案要求
    NotASuggestion,
    /// 不属于本级职权范围
    OutsideJurisdiction,
    /// 反映个人问题
    PersonalMatter,
    /// 转交来信
    ForwardedLetter,
    /// 学术探讨、宣传推介
    AcademicOrAdvertising,
    /// 内容空泛
    NoContent,
    /// 转作社情民意信息 (CPPCC only)
    TurnedIntoInformation,
}

impl RejectReason {
    pub const ALL: [RejectReason; 7] = [
        RejectReason::NotASuggestion,
        RejectReason::OutsideJurisdiction,
        RejectReason::PersonalMatter,
        RejectReason::ForwardedLetter,
        RejectReason::AcademicOrAdvertising,
        RejectReason::NoContent,
        RejectReason::TurnedIntoInformation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RejectReason::NotASuggestion => "not_a_suggestion",
            RejectReason::OutsideJurisdiction => "outside_jurisdiction",
            RejectReason::PersonalMatter => "personal_matter",
            RejectReason::ForwardedLetter => "forwarded_letter",
            RejectReason::AcademicOrAdvertising => "academic_or_advertising",
            RejectReason::NoContent => "no_content",
            RejectReason::TurnedIntoInformation => "turned_into_information",
        }
    }

    pub fn parse(s: &str) -> Option<RejectReason> {
        RejectReason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            RejectReason::NotASuggestion => "不属于建议（提案）内容",
            RejectReason::OutsideJurisdiction => "不属于本级职权范围",
            RejectReason::PersonalMatter => "反映个人问题",
            RejectReason::ForwardedLetter => "转交来信",
            RejectReason::AcademicOrAdvertising => "学术探讨或宣传推介",
            RejectReason::NoContent => "内容空泛，无具体意见",
            RejectReason::TurnedIntoInformation => "不予立案，转作社情民意信息",
        }
    }
}

/// What differs between the kinds at intake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Intake {
    /// 建议 / 提案
    pub noun_zh: &'static str,
    /// 建议号 / 提案号
    pub number_label_zh: &'static str,
    /// 代表 / 委员
    pub proposer_zh: &'static str,
    /// 代表团 / 界别
    pub group_label_zh: &'static str,
    /// The office that registers items: 人大代表工委 / 政协提案委.
    pub office_zh: &'static str,
    /// The prefix of the number: `J` (建议) / `T` (提案), e.g. `J2026-068`.
    pub number_prefix: &'static str,
    /// The office accepts with 立案 (CPPCC) or by classifying (NPC); the word on the button.
    pub accept_zh: &'static str,
    /// The reasons this kind's office may turn an item away.
    pub reject_reasons: &'static [RejectReason],
}

const NPC_REASONS: [RejectReason; 6] = [
    RejectReason::NotASuggestion,
    RejectReason::OutsideJurisdiction,
    RejectReason::PersonalMatter,
    RejectReason::ForwardedLetter,
    RejectReason::AcademicOrAdvertising,
    RejectReason::NoContent,
];

const CPPCC_REASONS: [RejectReason; 4] = [
    RejectReason::NotASuggestion,
    RejectReason::OutsideJurisdiction,
    RejectReason::PersonalMatter,
    RejectReason::TurnedIntoInformation,
];

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Suggestion, Kind::Proposal];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Suggestion => "suggestion",
            Kind::Proposal => "proposal",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn intake(self) -> Intake {
        match self {
            Kind::Suggestion => Intake {
                noun_zh: "建议",
                number_label_zh: "建议号",
                proposer_zh: "代表",
                group_label_zh: "代表团",
                office_zh: "人大代表工委",
                number_prefix: "J",
                accept_zh: "受理",
                reject_reasons: &NPC_REASONS,
            },
            Kind::Proposal => Intake {
                noun_zh: "提案",
                number_label_zh: "提案号",
                proposer_zh: "委员",
                group_label_zh: "界别",
                office_zh: "政协提案委",
                number_prefix: "T",
                accept_zh: "立案",
                reject_reasons: &CPPCC_REASONS,
            },
        }
    }

    /// Whether this kind's office may turn an item away for `reason`.
    pub fn may_reject_for(self, reason: RejectReason) -> bool {
        self.intake().reject_reasons.contains(&reason)
    }

    /// The item's number as printed: `J2026-068`, `T2026-301`.
    pub fn number(self, year: i16, seq: u32) -> String {
        format!("{}{year}-{seq:03}", self.intake().number_prefix)
    }

    /// Reads a printed number back: its kind, year and sequence.
    pub fn parse_number(text: &str) -> Option<(Kind, i16, u32)> {
        let t = text.trim();
        let kind = Kind::ALL
            .into_iter()
            .find(|k| t.starts_with(k.intake().number_prefix))?;
        let rest = &t[kind.intake().number_prefix.len()..];
        let (y, n) = rest.split_once('-')?;
        if y.len() != 4 || n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some((kind, y.parse().ok()?, n.parse().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_and_read_back_with_their_kind() {
        assert_eq!(Kind::Suggestion.number(2026, 68), "J2026-068");
        assert_eq!(Kind::Proposal.number(2026, 1301), "T2026-1301");
        assert_eq!(
            Kind::parse_number("J2026-068"),
            Some((Kind::Suggestion, 2026, 68))
        );
        assert_eq!(
            Kind::parse_number(" T2026-301 "),
            Some((Kind::Proposal, 2026, 301))
        );
        for bad in ["2026-068", "J26-068", "J2026-", "J2026-6a", "X2026-001"] {
            assert_eq!(Kind::parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn each_office_turns_items_away_for_its_own_reasons() {
        assert!(Kind::Suggestion.may_reject_for(RejectReason::ForwardedLetter));
        assert!(!Kind::Proposal.may_reject_for(RejectReason::ForwardedLetter));
        assert!(Kind::Proposal.may_reject_for(RejectReason::TurnedIntoInformation));
        assert!(!Kind::Suggestion.may_reject_for(RejectReason::TurnedIntoInformation));
        for r in RejectReason::ALL {
            assert_eq!(RejectReason::parse(r.as_str()), Some(r));
            assert!(!r.label_zh().is_empty());
        }
    }

    #[test]
    fn kinds_round_trip_and_differ_in_their_words() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::Suggestion.intake().group_label_zh, "代表团");
        assert_eq!(Kind::Proposal.intake().group_label_zh, "界别");
        assert_ne!(
            Kind::Suggestion.intake().number_prefix,
            Kind::Proposal.intake().number_prefix
        );
    }
}
