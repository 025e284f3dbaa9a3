//! The columns of a problem list and the header texts they are recognised by.
//!
//! Headers are compared after the same normalisation as the task lists'
//! (`lists::columns::normalise_header`: folded, bracketed suffix dropped), and exactly, so a
//! banner like "2026年问题整改清单" never reads as a header.

use crate::sheet::read::column_named;
use serde::Serialize;

/// A column of the problem list that the reader understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemColumn {
    /// 序号
    Code,
    /// 问题来源
    Source,
    /// 发现时间
    FoundOn,
    /// 问题描述
    Description,
    /// 问题类别
    Category,
    /// 牵头单位: when present, the lead; 责任单位 then lists co-units.
    LeadUnit,
    /// 责任单位: the first unit listed leads unless a 牵头单位 column exists.
    ResponsibleUnits,
    /// 配合单位
    CoUnits,
    /// 责任领导
    Leader,
    /// 整改措施
    Measures,
    /// 整改时限
    Deadline,
    /// 整改进展
    Progress,
    /// 状态
    Status,
    /// 佐证材料
    Evidence,
    /// 核查人
    Verifier,
    /// 销号日期
    ClosedOn,
}

impl ProblemColumn {
    /// The columns in the order [`super::write_problem_list_xlsx`] writes them (no 牵头单位:
    /// the writer puts the lead unit under 责任单位).
    pub const WRITTEN: [ProblemColumn; 15] = [
        ProblemColumn::Code,
        ProblemColumn::Source,
        ProblemColumn::FoundOn,
        ProblemColumn::Description,
        ProblemColumn::Category,
        ProblemColumn::ResponsibleUnits,
        ProblemColumn::CoUnits,
        ProblemColumn::Leader,
        ProblemColumn::Measures,
        ProblemColumn::Deadline,
        ProblemColumn::Progress,
        ProblemColumn::Status,
        ProblemColumn::Evidence,
        ProblemColumn::Verifier,
        ProblemColumn::ClosedOn,
    ];

    /// The usual Chinese header of the column.
    pub fn label_zh(self) -> &'static str {
        match self {
            ProblemColumn::Code => "序号",
            ProblemColumn::Source => "问题来源",
            ProblemColumn::FoundOn => "发现时间",
            ProblemColumn::Description => "问题描述",
            ProblemColumn::Category => "问题类别",
            ProblemColumn::LeadUnit => "牵头单位",
            ProblemColumn::ResponsibleUnits => "责任单位",
            ProblemColumn::CoUnits => "配合单位",
            ProblemColumn::Leader => "责任领导",
            ProblemColumn::Measures => "整改措施",
            ProblemColumn::Deadline => "整改时限",
            ProblemColumn::Progress => "整改进展",
            ProblemColumn::Status => "状态",
            ProblemColumn::Evidence => "佐证材料",
            ProblemColumn::Verifier => "核查人",
            ProblemColumn::ClosedOn => "销号日期",
        }
    }
}

const NAMES: &[(&[&str], ProblemColumn)] = &[
    (&["序号", "编号", "问题编号"], ProblemColumn::Code),
    (
        &["问题来源", "来源", "发现渠道", "线索来源", "问题出处"],
        ProblemColumn::Source,
    ),
    (
        &["发现时间", "发现日期", "排查时间", "检查时间", "反馈时间"],
        ProblemColumn::FoundOn,
    ),
    (
        &[
            "问题描述",
            "问题内容",
            "存在问题",
            "问题",
            "具体问题",
            "问题表现",
            "问题情况",
            "主要问题",
        ],
        ProblemColumn::Description,
    ),
    (
        &["问题类别", "问题类型", "问题分类", "类别", "类型"],
        ProblemColumn::Category,
    ),
    (
        &["牵头单位", "主办单位", "牵头部门"],
        ProblemColumn::LeadUnit,
    ),
    (
        &["责任单位", "整改责任单位", "责任部门", "整改单位"],
        ProblemColumn::ResponsibleUnits,
    ),
    (
        &["配合单位", "协办单位", "配合部门", "会办单位"],
        ProblemColumn::CoUnits,
    ),
    (
        &[
            "责任领导",
            "牵头领导",
            "分管领导",
            "包案领导",
            "责任市领导",
            "分管市领导",
        ],
        ProblemColumn::Leader,
    ),
    (
        &["整改措施", "整改举措", "整改方案", "措施"],
        ProblemColumn::Measures,
    ),
    (
        &[
            "整改时限",
            "完成时限",
            "时限",
            "整改期限",
            "整改时间",
            "完成期限",
            "截止时间",
        ],
        ProblemColumn::Deadline,
    ),
    (
        &[
            "整改进展",
            "整改进度",
            "整改情况",
            "进展情况",
            "进展",
            "工作进展",
        ],
        ProblemColumn::Progress,
    ),
    (
        &["状态", "整改状态", "当前状态", "销号状态"],
        ProblemColumn::Status,
    ),
    (
        &["佐证材料", "佐证", "佐证资料", "整改佐证", "证明材料"],
        ProblemColumn::Evidence,
    ),
    (
        &["核查人", "验收人", "复核人", "核查责任人"],
        ProblemColumn::Verifier,
    ),
    (
        &["销号日期", "销号时间", "验收日期", "验收时间"],
        ProblemColumn::ClosedOn,
    ),
];

/// Recognises a header cell, or `None` for a column the reader does not know.
pub(crate) fn recognise(text: &str) -> Option<ProblemColumn> {
    column_named(NAMES, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_variants_name_the_same_column() {
        for (text, column) in [
            ("问题来源", ProblemColumn::Source),
            ("来源", ProblemColumn::Source),
            ("存在问题", ProblemColumn::Description),
            ("问题\n内容", ProblemColumn::Description),
            ("牵头单位", ProblemColumn::LeadUnit),
            ("责任单位", ProblemColumn::ResponsibleUnits),
            ("完成时限（工作日）", ProblemColumn::Deadline),
            ("时限", ProblemColumn::Deadline),
            ("整改状态", ProblemColumn::Status),
            ("*状态", ProblemColumn::Status),
        ] {
            assert_eq!(recognise(text), Some(column), "{text}");
        }
    }

    #[test]
    fn a_banner_or_an_unknown_header_is_not_a_column() {
        assert_eq!(recognise("2026年问题整改清单"), None);
        assert_eq!(recognise("督查意见"), None);
        assert_eq!(recognise(""), None);
    }

    #[test]
    fn every_written_header_reads_back_as_its_column() {
        for column in ProblemColumn::WRITTEN {
            assert_eq!(recognise(column.label_zh()), Some(column));
        }
    }
}
