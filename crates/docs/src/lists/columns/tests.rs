use super::*;

fn col(text: &str) -> Option<Column> {
    match recognise_header(text)? {
        HeaderName::Column(c) => Some(c),
        HeaderName::WorkContent => None,
    }
}

#[test]
fn header_variants_fold_to_one_column() {
    let cases: &[(&str, Column)] = &[
        ("序号", Column::Code),
        ("任务编号", Column::Code),
        ("所属攻坚行动", Column::Campaign),
        ("板块", Column::Campaign),
        ("清单类型", Column::ListKind),
        ("任 务\n名 称", Column::Title),
        ("项目名称", Column::Title),
        ("目标内容（量化指标）", Column::Content),
        ("年度目标", Column::AnnualTarget),
        ("指标", Column::Indicators),
        ("一季度", Column::Quarter(1)),
        ("第二季度", Column::Quarter(2)),
        ("3季度", Column::Quarter(3)),
        ("Ｑ4", Column::Quarter(4)),
        ("二季度节点", Column::Quarter(2)),
        ("1月", Column::Month(1)),
        ("十二月", Column::Month(12)),
        ("6月份", Column::Month(6)),
        ("节点目标", Column::Milestones),
        ("分管市领导", Column::LeadLeader),
        ("牵头部门", Column::LeadUnit),
        ("会办单位", Column::CoUnits),
        ("责任单位", Column::ResponsibleUnits),
        ("责任处室", Column::Section),
        ("岗位", Column::Post),
        ("责任人（岗位）", Column::Person),
        ("责任科室/责任人", Column::SectionPerson),
        ("联系人及电话", Column::Contact),
        ("时间节点", Column::Deadline),
        ("完成时限*", Column::Deadline),
        ("分值", Column::Weight),
        ("备注", Column::Remark),
        (
            "进展情况（截至6月30日）",
            Column::Info(InfoColumn::Progress),
        ),
        ("需协调事项", Column::Info(InfoColumn::Coordination)),
    ];
    for (text, want) in cases {
        assert_eq!(col(text), Some(*want), "{text}");
    }
}

#[test]
fn banners_and_unknown_headers_are_not_columns() {
    for text in [
        "2026年永康市重点工作任务清单",
        "填报单位：市住建局",
        "督查意见",
        "13月",
        "",
    ] {
        assert_eq!(recognise_header(text), None, "{text}");
    }
    assert_eq!(recognise_header("工作内容"), Some(HeaderName::WorkContent));
}

#[test]
fn every_column_has_a_chinese_label() {
    assert_eq!(Column::Quarter(3).label_zh(), "三季度");
    assert_eq!(Column::Month(11).label_zh(), "11月");
    assert_eq!(Column::Info(InfoColumn::Light).label_zh(), "亮灯");
}
