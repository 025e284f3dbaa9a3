use super::*;

/// A sheet as a unit sends it: instructions sheet first, banner and 填报 line, a two-row
/// header with 时间节点 over the quarters, 牵头单位 merged over three rows, footer notes.
#[rustfmt::skip]
fn messy_sheet() -> Vec<u8> {
    book(|wb| {
        put(wb.add_worksheet().set_name("填表说明")?, 0, &["请按模板填写，不要改动表头。"])?;
        let ws = wb.add_worksheet().set_name("重点工作")?;
        let plain = Format::new();
        ws.merge_range(0, 0, 0, 18, "2026年永康市重点工作任务清单（住建条线）", &plain)?;
        put(ws, 1, &["填报单位：市住建局（盖章）", "", "", "", "", "", "", "", "", "填报日期：2026年1月5日"])?;
        ws.merge_range(2, 0, 3, 0, "序号", &plain)?;
        ws.write_string(2, 1, "所属攻坚行动")?;
        ws.merge_range(2, 2, 3, 2, "清单\n类别", &plain)?;
        ws.merge_range(2, 3, 3, 3, "任务名称", &plain)?;
        ws.write_string(2, 4, "年度目标")?;
        ws.merge_range(2, 5, 2, 8, "时间节点", &plain)?;
        put(ws, 3, &["", "", "", "", "", "一季度", "二季度", "三季度", "四季度"])?;
        for (col, text) in (9u16..).zip([
            "牵头市领导", "牵头单位", "配合单位", "责任科室/责任人", "联系人及电话", "完成时限",
            "权重", "进展情况（截至6月30日）", "亮灯", "督查意见",
        ]) {
            ws.merge_range(2, col, 3, col, text, &plain)?;
        }
        put(ws, 4, &[
            "1", "工业发展提质", "项目清单", "某智能制造产业园一期竣工", "完成投资5亿元，年底前主体完工",
            "完成土地平整", "完成桩基施工，投资累计2亿元", "", "主体完工，投资累计5亿元",
            "张某某副市长", "", "市自然资源局、某街道", "项目科/王某", "王某 0579-87654321", "",
            "１０", "截至6月底累计投资1.6亿元，\n桩基完成80%", "黄",
        ])?;
        ws.write_datetime_with_format(4, 14, date(2026, 12, 31), &Format::new().set_num_format("yyyy-mm-dd"))?;
        ws.merge_range(4, 10, 6, 10, "市经信局", &plain)?;
        put(ws, 5, &[
            "2", "城市品质提升", "工作清单", "老旧小区改造", "开工改造12个小区", "", "6个小区开工", "",
            "", "李副市长", "", "各相关街道，市财政局", "城建科/陈某", "", "6月底前", "15%",
        ])?;
        put(ws, 6, &[
            "3", "城市品质提升", "工作", "数字化改革\n一期工程", "", "", "", "", "", "", "",
            "市大数据局；市财政局 市审计局", "", "", "长期坚持（每季度报送）",
        ])?;
        put(ws, 7, &[
            "4", "城市品质提升", "政策清单", "住房保障政策", "", "", "", "", "", "", "市住建局",
            "市发改委,市商务局", "城建科 陈某", "", "2026/9/30", "8",
        ])?;
        put(ws, 8, &[
            "5", "城市品质提升", "责任清单", "违建治理", "", "", "", "", "", "", "市综合执法局",
            "各镇（街道、区）", "", "", "三季度末",
        ])?;
        ws.merge_range(10, 0, 10, 18, "注：1.牵头单位负责汇总报送；2.完成时限以文件为准。", &plain)?;
        put(ws, 11, &["填报人：张三", "", "", "", "", "审核人：李四"])?;
        Ok(())
    })
}

#[test]
fn a_messy_sheet_with_banner_two_row_header_merged_cells_and_notes_reads_every_value() {
    let sheet = read_task_list(&messy_sheet(), 2026).unwrap();
    assert_eq!(sheet.sheet_name, "重点工作");
    assert_eq!(sheet.header_row, 3);
    assert_eq!(sheet.ignored_columns, vec!["督查意见"]);
    let cols: Vec<Column> = sheet.columns.iter().map(|m| m.column).collect();
    assert_eq!(
        &cols[4..9],
        &[
            Column::AnnualTarget,
            Column::Quarter(1),
            Column::Quarter(2),
            Column::Quarter(3),
            Column::Quarter(4),
        ]
    );
    assert_eq!(sheet.columns[2].header, "清单\n类别");
    assert_eq!(sheet.columns[16].column, Column::Info(InfoColumn::Progress));
    assert_eq!(
        sheet.rows.iter().map(|r| r.row).collect::<Vec<_>>(),
        vec![5, 6, 7, 8, 9]
    );
    assert_eq!(
        sheet.problem_count(),
        0,
        "{:#?}",
        sheet.rows.iter().map(|r| &r.problems).collect::<Vec<_>>()
    );

    let r = &sheet.rows[0];
    assert_eq!((r.path.as_str(), r.parent_path.as_deref()), ("1", None));
    assert_eq!(r.campaign, "工业发展提质");
    assert_eq!(r.list_kind, Some(ListKind::Project));
    assert_eq!(r.title, "某智能制造产业园一期竣工");
    assert_eq!(r.indicators, vec![ind("投资", 5.0, "亿元")]);
    assert_eq!(
        r.milestones,
        vec![
            ms(date(2026, 3, 31), "完成土地平整", vec![None]),
            ms(
                date(2026, 6, 30),
                "完成桩基施工，投资累计2亿元",
                vec![Some(2.0)]
            ),
            ms(
                date(2026, 12, 31),
                "主体完工，投资累计5亿元",
                vec![Some(5.0)]
            ),
        ]
    );
    assert_eq!(r.lead_leader, "张某某副市长");
    assert_eq!(r.lead_unit, "市经信局");
    assert_eq!(r.co_units, vec!["市自然资源局", "某街道"]);
    assert_eq!((r.section.as_str(), r.person.as_str()), ("项目科", "王某"));
    assert_eq!(r.contact, "王某 0579-87654321");
    assert_eq!(r.due, by(2026, 12, 31));
    assert_eq!(raw(r, Column::Deadline), "2026-12-31");
    assert_eq!(r.weight, Some(10.0));
    assert_eq!(
        raw(r, Column::Info(InfoColumn::Progress)),
        "截至6月底累计投资1.6亿元，\n桩基完成80%"
    );
    assert_eq!(raw(r, Column::Info(InfoColumn::Light)), "黄");

    let r = &sheet.rows[1];
    assert_eq!(r.indicators, vec![ind("开工改造", 12.0, "个")]);
    assert_eq!(
        r.milestones,
        vec![ms(date(2026, 6, 30), "6个小区开工", vec![Some(6.0)])]
    );
    assert_eq!(r.lead_unit, "市经信局", "merged down from row 5");
    assert_eq!(raw(r, Column::LeadUnit), "市经信局");
    assert_eq!(r.co_units, vec!["各相关街道", "市财政局"]);
    assert_eq!((r.section.as_str(), r.person.as_str()), ("城建科", "陈某"));
    assert_eq!((r.due, r.weight), (by(2026, 6, 30), Some(15.0)));

    let r = &sheet.rows[2];
    assert_eq!(r.list_kind, Some(ListKind::Work));
    assert_eq!(r.title, "数字化改革\n一期工程");
    assert_eq!(r.lead_unit, "市经信局");
    assert_eq!(r.co_units, vec!["市大数据局", "市财政局", "市审计局"]);
    assert_eq!(
        r.due,
        Some(Due::Ongoing {
            cadence: Cadence::Quarterly
        })
    );
    assert_eq!((r.lead_leader.as_str(), r.weight), ("", None));
    assert!(r.indicators.is_empty() && r.milestones.is_empty());

    let r = &sheet.rows[3];
    assert_eq!(r.list_kind, Some(ListKind::Policy));
    assert_eq!(
        (r.lead_unit.as_str(), r.co_units.clone()),
        (
            "市住建局",
            vec!["市发改委".to_string(), "市商务局".to_string()]
        )
    );
    assert_eq!((r.section.as_str(), r.person.as_str()), ("城建科", "陈某"));
    assert_eq!((r.due, r.weight), (by(2026, 9, 30), Some(8.0)));

    let r = &sheet.rows[4];
    assert_eq!(r.list_kind, Some(ListKind::Responsibility));
    assert_eq!(r.co_units, vec!["各镇（街道、区）"]);
    assert_eq!(r.due, by(2026, 9, 30));
}
