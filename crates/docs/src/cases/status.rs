//! The 状态 column of a problem list and the words units write in it.
//!
//! A unit's "已完成" / "已整改" is its claim, not a 销号: only the office's check closes a
//! problem out, so those words read as [`ProblemStatus::AwaitingCheck`]. Only 已销号 and
//! 已验收 (and close variants) read as [`ProblemStatus::ClosedOut`].

use duban_core::lists::names::fold;
use serde::Serialize;

/// Where a problem stands in the sheet's vocabulary (DOMAIN.md §4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemStatus {
    /// 未启动 — nothing done yet. A blank 状态 reads as this.
    #[default]
    NotStarted,
    /// 整改中 — being put right.
    InProgress,
    /// 待核查 — the unit reports it put right; the office has not checked yet.
    AwaitingCheck,
    /// 已销号 — checked and struck off.
    ClosedOut,
    /// 挂账 — cannot be put right now; kept on the books with a plan.
    Deferred,
}

/// Words accepted for each status, after folding (no spaces, full-width folded).
const WORDS: [(&[&str], ProblemStatus); 5] = [
    (
        &["未启动", "未开始", "尚未启动", "未整改"],
        ProblemStatus::NotStarted,
    ),
    (
        &[
            "整改中",
            "进行中",
            "正在整改",
            "推进中",
            "办理中",
            "持续整改",
            "未完成",
        ],
        ProblemStatus::InProgress,
    ),
    (
        &[
            "待核查",
            "待验收",
            "待审核",
            "待复核",
            "待销号",
            "申请销号",
            "已完成",
            "已整改",
            "整改完成",
            "已完成整改",
            "完成",
        ],
        ProblemStatus::AwaitingCheck,
    ),
    (
        &[
            "已销号",
            "销号",
            "已验收",
            "验收通过",
            "核查通过",
            "已核查销号",
        ],
        ProblemStatus::ClosedOut,
    ),
    (
        &["挂账", "已挂账", "挂账整改", "暂缓整改", "缓办"],
        ProblemStatus::Deferred,
    ),
];

impl ProblemStatus {
    pub const ALL: [ProblemStatus; 5] = [
        ProblemStatus::NotStarted,
        ProblemStatus::InProgress,
        ProblemStatus::AwaitingCheck,
        ProblemStatus::ClosedOut,
        ProblemStatus::Deferred,
    ];

    /// The label written in the sheet.
    pub fn label_zh(self) -> &'static str {
        match self {
            ProblemStatus::NotStarted => "未启动",
            ProblemStatus::InProgress => "整改中",
            ProblemStatus::AwaitingCheck => "待核查",
            ProblemStatus::ClosedOut => "已销号",
            ProblemStatus::Deferred => "挂账",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ProblemStatus::NotStarted => "not started",
            ProblemStatus::InProgress => "in progress",
            ProblemStatus::AwaitingCheck => "awaiting check",
            ProblemStatus::ClosedOut => "closed out",
            ProblemStatus::Deferred => "deferred",
        }
    }

    /// Reads a 状态 cell: the labels, common variants (进行中, 已完成 → 待核查, 已验收 →
    /// 已销号 …) and the English labels. A trailing 。 is ignored; blank text is `None` (the
    /// reader makes that [`ProblemStatus::NotStarted`]), and so is text it does not know.
    pub fn parse(text: &str) -> Option<ProblemStatus> {
        let f = fold(text);
        let f = f.trim_end_matches(['。', '.']);
        if f.is_empty() {
            return None;
        }
        WORDS
            .iter()
            .find(|(words, _)| words.contains(&f))
            .map(|(_, s)| *s)
            .or_else(|| {
                let lower = text.trim().to_lowercase();
                Self::ALL.into_iter().find(|s| s.label_en() == lower)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_reads_back_as_its_status() {
        for s in ProblemStatus::ALL {
            assert_eq!(ProblemStatus::parse(s.label_zh()), Some(s));
            assert_eq!(ProblemStatus::parse(s.label_en()), Some(s));
        }
    }

    #[test]
    fn a_units_word_for_done_awaits_the_offices_check() {
        for text in ["已完成", "已整改", " 整改完成 ", "已完成。"] {
            assert_eq!(
                ProblemStatus::parse(text),
                Some(ProblemStatus::AwaitingCheck),
                "{text}"
            );
        }
        assert_eq!(
            ProblemStatus::parse("已验收"),
            Some(ProblemStatus::ClosedOut)
        );
        assert_eq!(
            ProblemStatus::parse("进行中"),
            Some(ProblemStatus::InProgress)
        );
        assert_eq!(
            ProblemStatus::parse("挂账整改"),
            Some(ProblemStatus::Deferred)
        );
    }

    #[test]
    fn unknown_or_blank_text_is_no_status() {
        assert_eq!(ProblemStatus::parse("红灯"), None);
        assert_eq!(ProblemStatus::parse("  "), None);
    }
}
