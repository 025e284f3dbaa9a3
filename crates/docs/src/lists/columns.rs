//! The columns of a task list and the header texts they are recognised by.
//!
//! A header is folded (no whitespace or newlines, full-width folded) and a bracketed suffix is
//! dropped ("进展情况（截至6月30日）" → 进展情况) before it is compared with the names below.
//! Comparison is exact, so a banner like "2026年重点工作任务清单" never reads as a header.

use duban_core::lists::names::fold;
use serde::Serialize;

/// A column of the task list that the reader understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    /// 序号
    Code,
    /// 所属攻坚行动
    Campaign,
    /// 清单类别
    ListKind,
    /// 任务名称
    Title,
    /// 目标内容
    Content,
    /// 年度目标
    AnnualTarget,
    /// 量化指标
    Indicators,
    /// 一季度 … 四季度 (1–4)
    Quarter(u8),
    /// 1月 … 12月 (1–12)
    Month(u8),
    /// 节点目标, one dated milestone per line
    Milestones,
    /// 牵头市领导
    LeadLeader,
    /// 牵头单位
    LeadUnit,
    /// 配合单位
    CoUnits,
    /// 责任单位: the first listed is the lead unless a 牵头单位 column exists
    ResponsibleUnits,
    /// 责任科室
    Section,
    /// 责任岗位
    Post,
    /// 责任人
    Person,
    /// 责任科室/责任人 in one cell ("项目科/王某")
    SectionPerson,
    /// 联系人及电话
    Contact,
    /// 完成时限
    Deadline,
    /// 权重
    Weight,
    /// 备注
    Remark,
    /// Kept as raw text only.
    Info(InfoColumn),
}

/// Columns kept as raw text (progress and follow-up columns of the same sheet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InfoColumn {
    /// 进展情况
    Progress,
    /// 完成率
    CompletionRate,
    /// 亮灯
    Light,
    /// 存在问题
    Issues,
    /// 下步举措
    NextSteps,
    /// 需协调事项
    Coordination,
    /// 状态
    State,
}

const QUARTERS: [&str; 4] = ["一季度", "二季度", "三季度", "四季度"];
const MONTHS: [&str; 12] = [
    "1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月",
];

impl Column {
    /// The usual Chinese header of the column.
    pub fn label_zh(self) -> &'static str {
        match self {
            Column::Code => "序号",
            Column::Campaign => "攻坚行动",
            Column::ListKind => "清单类别",
            Column::Title => "任务名称",
            Column::Content => "目标内容",
            Column::AnnualTarget => "年度目标",
            Column::Indicators => "量化指标",
            Column::Quarter(q) => QUARTERS[usize::from(q.clamp(1, 4) - 1)],
            Column::Month(m) => MONTHS[usize::from(m.clamp(1, 12) - 1)],
            Column::Milestones => "节点目标",
            Column::LeadLeader => "牵头市领导",
            Column::LeadUnit => "牵头单位",
            Column::CoUnits => "配合单位",
            Column::ResponsibleUnits => "责任单位",
            Column::Section => "责任科室",
            Column::Post => "责任岗位",
            Column::Person => "责任人",
            Column::SectionPerson => "责任科室/责任人",
            Column::Contact => "联系人",
            Column::Deadline => "完成时限",
            Column::Weight => "权重",
            Column::Remark => "备注",
            Column::Info(info) => info.label_zh(),
        }
    }
}

impl InfoColumn {
    pub fn label_zh(self) -> &'static str {
        match self {
            InfoColumn::Progress => "进展情况",
            InfoColumn::CompletionRate => "完成率",
            InfoColumn::Light => "亮灯",
            InfoColumn::Issues => "存在问题",
            InfoColumn::NextSteps => "下步举措",
            InfoColumn::Coordination => "需协调事项",
            InfoColumn::State => "状态",
        }
    }
}

/// What a header cell names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeaderName {
    Column(Column),
    /// 工作内容: the title when the sheet has no other title column, else the content.
    WorkContent,
}

const NAMES: &[(&[&str], Column)] = &[
    (&["序号", "编号", "任务编号", "任务序号"], Column::Code),
    (
        &["所属攻坚行动", "攻坚行动", "板块", "所属板块"],
        Column::Campaign,
    ),
    (&["清单类别", "清单类型", "类别", "清单"], Column::ListKind),
    (
        &["任务名称", "工作任务", "重点任务", "项目名称", "任务"],
        Column::Title,
    ),
    (
        &["目标内容", "工作目标", "具体内容", "主要内容", "目标任务"],
        Column::Content,
    ),
    (&["年度目标"], Column::AnnualTarget),
    (&["量化指标", "指标"], Column::Indicators),
    (&["节点目标", "阶段目标"], Column::Milestones),
    (
        &[
            "牵头市领导",
            "牵头领导",
            "责任领导",
            "分管市领导",
            "分管领导",
            "责任市领导",
        ],
        Column::LeadLeader,
    ),
    (&["牵头单位", "主办单位", "牵头部门"], Column::LeadUnit),
    (
        &["配合单位", "协办单位", "配合部门", "会办单位"],
        Column::CoUnits,
    ),
    (&["责任单位"], Column::ResponsibleUnits),
    (&["责任科室", "责任处室"], Column::Section),
    (&["责任岗位", "岗位"], Column::Post),
    (&["责任人"], Column::Person),
    (
        &[
            "责任科室/责任人",
            "责任科室及责任人",
            "科室/责任人",
            "责任处室/责任人",
        ],
        Column::SectionPerson,
    ),
    (
        &[
            "联系人",
            "联系电话",
            "联系人及电话",
            "联系人/电话",
            "联系方式",
        ],
        Column::Contact,
    ),
    (
        &["完成时限", "完成时间", "时间节点", "截止时间", "完成期限"],
        Column::Deadline,
    ),
    (&["权重", "分值"], Column::Weight),
    (&["备注"], Column::Remark),
    (
        &["完成率", "完成进度"],
        Column::Info(InfoColumn::CompletionRate),
    ),
    (
        &["进展情况", "工作进展"],
        Column::Info(InfoColumn::Progress),
    ),
    (&["亮灯", "亮灯情况"], Column::Info(InfoColumn::Light)),
    (&["存在问题"], Column::Info(InfoColumn::Issues)),
    (
        &["下步举措", "下步计划"],
        Column::Info(InfoColumn::NextSteps),
    ),
    (
        &["需协调事项", "需协调解决事项"],
        Column::Info(InfoColumn::Coordination),
    ),
    (&["状态"], Column::Info(InfoColumn::State)),
];

/// The header text in comparable form: folded, without a bracketed suffix or `*` marks.
pub(crate) fn normalise_header(text: &str) -> String {
    let f = fold(text);
    let f = f.trim_matches(|c| matches!(c, '*' | ':' | '：'));
    let cut = f
        .char_indices()
        .find(|&(i, c)| i > 0 && matches!(c, '(' | '[' | '【' | '〔'))
        .map_or(f.len(), |(i, _)| i);
    f[..cut].to_string()
}

/// Recognises a header cell, or `None` for a column the reader does not know.
pub(crate) fn recognise_header(text: &str) -> Option<HeaderName> {
    let h = normalise_header(text);
    if h.is_empty() {
        return None;
    }
    if h == "工作内容" {
        return Some(HeaderName::WorkContent);
    }
    if let Some((_, c)) = NAMES.iter().find(|(names, _)| names.contains(&h.as_str())) {
        return Some(HeaderName::Column(*c));
    }
    let period = ["节点目标", "形象进度", "节点", "目标", "计划"]
        .iter()
        .find_map(|s| h.strip_suffix(s))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(&h);
    if let Some(q) = quarter_of(period) {
        return Some(HeaderName::Column(Column::Quarter(q)));
    }
    month_of(period).map(|m| HeaderName::Column(Column::Month(m)))
}

/// 一季度, 第一季度, 1季度, Q1, 一季度末 → 1.
pub(crate) fn quarter_of(text: &str) -> Option<u8> {
    if let Some(d) = text.strip_prefix(['Q', 'q']) {
        let d = d.trim_end_matches(['末', '底']);
        return d.parse::<u8>().ok().filter(|q| (1..=4).contains(q));
    }
    let t = text.strip_prefix('第').unwrap_or(text);
    let t = t.trim_end_matches(['末', '底']);
    let n = t.strip_suffix("季度")?;
    let q = match n {
        "一" | "1" => 1,
        "二" | "2" => 2,
        "三" | "3" => 3,
        "四" | "4" => 4,
        _ => return None,
    };
    Some(q)
}

/// 1月, 一月, 12月份 → the month; anything else `None`.
fn month_of(text: &str) -> Option<u8> {
    let n = text
        .strip_suffix("月份")
        .or_else(|| text.strip_suffix('月'))?;
    let m = n.parse::<u8>().ok().or_else(|| small_cn_number(n))?;
    (1..=12).contains(&m).then_some(m)
}

/// 一 … 九十九 written in Chinese numerals (also 两, 〇 as zero digit in 二〇).
pub(crate) fn small_cn_number(text: &str) -> Option<u8> {
    fn digit(c: char) -> Option<u8> {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .and_then(|p| u8::try_from(p).ok())
            .or((c == '两').then_some(2))
    }
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d).filter(|&v| v > 0),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
