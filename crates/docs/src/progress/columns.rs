//! The columns of a progress sheet and the header texts they are recognised by.
//!
//! Headers are compared after the same normalisation as the task lists'
//! (`lists::columns::normalise_header`: folded, bracketed suffix dropped, so 进度(%) is 进度
//! and 序时判断（超/达/欠） is 序时判断), and exactly, so a banner never reads as a header.

use crate::sheet::read::column_named;
use serde::Serialize;

/// A column of the progress sheet that the reader understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressColumn {
    /// 序号: the row's number in this sheet.
    Seq,
    /// 任务编号: names the task.
    TaskCode,
    /// 任务名称
    TaskName,
    /// 牵头单位
    LeadUnit,
    /// 本期进展
    Progress,
    /// 累计完成
    Cumulative,
    /// 完成比例
    Percent,
    /// 本期无变化: a mark (是, √) that sends the task's figures as they stand.
    NoChange,
    /// 进度下调说明: why 完成比例 is below the accepted one.
    LowerReason,
    /// 序时判断 (超/达/欠)
    Pace,
    /// 存在问题及原因
    Issues,
    /// 下步计划
    NextSteps,
    /// 需市领导协调事项
    Coordination,
    /// 佐证材料
    Evidence,
    /// 填报人
    Reporter,
    /// 审核人 (单位负责人)
    Reviewer,
    /// 报送日期
    ReportedOn,
}

impl ProgressColumn {
    /// The columns in the order [`super::write_progress_sheet`] writes them.
    pub const WRITTEN: [ProgressColumn; 17] = [
        ProgressColumn::Seq,
        ProgressColumn::TaskCode,
        ProgressColumn::TaskName,
        ProgressColumn::LeadUnit,
        ProgressColumn::NoChange,
        ProgressColumn::Progress,
        ProgressColumn::Cumulative,
        ProgressColumn::Percent,
        ProgressColumn::LowerReason,
        ProgressColumn::Pace,
        ProgressColumn::Issues,
        ProgressColumn::NextSteps,
        ProgressColumn::Coordination,
        ProgressColumn::Evidence,
        ProgressColumn::Reporter,
        ProgressColumn::Reviewer,
        ProgressColumn::ReportedOn,
    ];

    /// The usual Chinese header of the column, as the writer writes it.
    pub fn label_zh(self) -> &'static str {
        match self {
            ProgressColumn::Seq => "序号",
            ProgressColumn::TaskCode => "任务编号",
            ProgressColumn::TaskName => "任务名称",
            ProgressColumn::LeadUnit => "牵头单位",
            ProgressColumn::Progress => "本期进展",
            ProgressColumn::Cumulative => "累计完成",
            ProgressColumn::Percent => "完成比例",
            ProgressColumn::NoChange => "本期无变化",
            ProgressColumn::LowerReason => "进度下调说明",
            ProgressColumn::Pace => "序时判断（超/达/欠）",
            ProgressColumn::Issues => "存在问题及原因",
            ProgressColumn::NextSteps => "下步计划",
            ProgressColumn::Coordination => "需市领导协调事项",
            ProgressColumn::Evidence => "佐证材料",
            ProgressColumn::Reporter => "填报人",
            ProgressColumn::Reviewer => "审核人（单位负责人）",
            ProgressColumn::ReportedOn => "报送日期",
        }
    }
}

const NAMES: &[(&[&str], ProgressColumn)] = &[
    (&["序号"], ProgressColumn::Seq),
    (
        &["任务编号", "编号", "任务代码", "任务id", "任务ID"],
        ProgressColumn::TaskCode,
    ),
    (
        &[
            "任务名称",
            "工作任务",
            "重点任务",
            "任务",
            "项目名称",
            "任务内容",
        ],
        ProgressColumn::TaskName,
    ),
    (
        &["牵头单位", "责任单位", "主办单位", "牵头部门", "填报单位"],
        ProgressColumn::LeadUnit,
    ),
    (
        &[
            "本期进展",
            "进展情况",
            "本月进展",
            "当月进展",
            "本期工作进展",
            "本月工作进展",
            "工作进展",
            "推进情况",
            "进展",
        ],
        ProgressColumn::Progress,
    ),
    (
        &["本期无变化", "无变化", "是否无变化", "进展无变化"],
        ProgressColumn::NoChange,
    ),
    (
        &["进度下调说明", "下调说明", "下调原因", "进度下调原因"],
        ProgressColumn::LowerReason,
    ),
    (
        &["累计完成", "累计完成情况", "累计进展", "累计完成量"],
        ProgressColumn::Cumulative,
    ),
    (
        &[
            "完成比例",
            "完成率",
            "进度",
            "完成进度",
            "完成百分比",
            "完成比率",
            "累计完成比例",
        ],
        ProgressColumn::Percent,
    ),
    (
        &[
            "序时判断",
            "序时进度判断",
            "进度判断",
            "序时情况",
            "与序时进度比较",
            "序时对比",
        ],
        ProgressColumn::Pace,
    ),
    (
        &[
            "存在问题及原因",
            "存在问题",
            "问题及原因",
            "存在问题和原因",
            "存在困难和问题",
            "存在问题和困难",
        ],
        ProgressColumn::Issues,
    ),
    (
        &[
            "下步计划",
            "下步举措",
            "下一步计划",
            "下步工作计划",
            "下步打算",
            "下一步工作打算",
        ],
        ProgressColumn::NextSteps,
    ),
    (
        &[
            "需市领导协调事项",
            "需协调事项",
            "需协调解决事项",
            "需领导协调事项",
            "需协调解决的问题",
        ],
        ProgressColumn::Coordination,
    ),
    (
        &["佐证材料", "佐证", "佐证资料", "证明材料"],
        ProgressColumn::Evidence,
    ),
    (&["填报人", "填表人"], ProgressColumn::Reporter),
    (
        &["审核人", "单位负责人", "审核人/单位负责人"],
        ProgressColumn::Reviewer,
    ),
    (
        &["报送日期", "报送时间", "填报日期", "填报时间"],
        ProgressColumn::ReportedOn,
    ),
];

/// Recognises a header cell, or `None` for a column the reader does not know.
pub(crate) fn recognise(text: &str) -> Option<ProgressColumn> {
    column_named(NAMES, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_variants_name_the_same_column() {
        for (text, column) in [
            ("完成比例", ProgressColumn::Percent),
            ("完成率", ProgressColumn::Percent),
            ("进度(%)", ProgressColumn::Percent),
            ("进度（%）", ProgressColumn::Percent),
            ("本期进展", ProgressColumn::Progress),
            ("进展情况", ProgressColumn::Progress),
            ("进展情况（截至10月底）", ProgressColumn::Progress),
            ("需协调事项", ProgressColumn::Coordination),
            ("需市领导\n协调事项", ProgressColumn::Coordination),
            ("序时判断(超/达/欠)", ProgressColumn::Pace),
            ("审核人(单位负责人)", ProgressColumn::Reviewer),
            (" 任务 编号 ", ProgressColumn::TaskCode),
        ] {
            assert_eq!(recognise(text), Some(column), "{text}");
        }
    }

    #[test]
    fn a_banner_or_an_unknown_header_is_not_a_column() {
        assert_eq!(recognise("2026年10月重点工作进展报送表"), None);
        assert_eq!(recognise("备注"), None);
        assert_eq!(recognise(""), None);
    }

    #[test]
    fn every_written_header_reads_back_as_its_column() {
        for column in ProgressColumn::WRITTEN {
            assert_eq!(recognise(column.label_zh()), Some(column));
        }
    }
}
