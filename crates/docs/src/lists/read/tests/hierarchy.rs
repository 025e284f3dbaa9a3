use super::*;

/// Path, parent, leader, lead unit, co-units, deadline.
type Summary<'a> = (
    &'a str,
    Option<&'a str>,
    &'a str,
    &'a str,
    Vec<String>,
    Option<Due>,
);

/// One 责任单位 column (first is the lead), 一、/（一）/1、 codes, sub-tasks inheriting.
#[rustfmt::skip]
fn marker_sheet() -> Vec<u8> {
    book(|wb| rows(wb.add_worksheet(), &[
        &["序号", "板块", "类别", "工作任务", "牵头领导", "责任单位", "完成时间", "分值"],
        &["一、", "项目攻坚", "项目", "项目建设", "张某某副市长", "市发改局、市财政局", "年底前", "30"],
        &["（一）", "", "", "重大产业项目", "", "市经信局 市商务局", "上半年"],
        &["1、", "", "", "项目甲", "", "", "6月中旬"],
        &["2、", "", "", "项目乙", "", "市商务局"],
        &["（二）", "", "", "招商引资", "王某某", "市商务局，市投促中心", "2026年6月30日"],
        &["1、", "", "", "签约亿元项目", "", "", "6月30日前"],
        &["二、", "民生攻坚", "工作清单", "民生实事", "李副市长", "市民政局", "每季度"],
        &["（一）", "", "", "养老服务", "", "市民政局/市卫健局", "2027年3月底前"],
        &["1、", "", "", "助餐点", "", "", "6月下旬"],
        &["2、", "", "", "日间照料", "", "", "一季度末"],
        &["3、", "", "", "居家养老", "", "", "Q1"],
        &["4、", "", "", "适老化改造", "", "", "下半年"],
        &["5、", "", "", "家庭医生", "", "", "年内"],
        &["6、", "", "", "健康档案", "", "", "2026.6.30"],
        &["7、", "", "", "慢病随访", "", "", "按月"],
        &["8、", "", "", "义诊", "", "", "6月底前"],
        &["（二）", "", "", "托育服务", "", "市卫健局", "持续推进"],
    ]))
}

#[test]
fn marker_codes_nest_and_sub_tasks_inherit_blank_values_from_their_parent() {
    let sheet = read_task_list(&marker_sheet(), 2026).unwrap();
    assert_eq!(sheet.problem_count(), 0);
    let got: Vec<Summary> = sheet
        .rows
        .iter()
        .map(|r| {
            (
                r.path.as_str(),
                r.parent_path.as_deref(),
                r.lead_leader.as_str(),
                r.lead_unit.as_str(),
                r.co_units.clone(),
                r.due,
            )
        })
        .collect();
    let monthly = Some(Due::Ongoing {
        cadence: Cadence::Monthly,
    });
    let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        got,
        vec![
            (
                "1",
                None,
                "张某某副市长",
                "市发改局",
                s(&["市财政局"]),
                by(2026, 12, 31)
            ),
            (
                "1.1",
                Some("1"),
                "张某某副市长",
                "市经信局",
                s(&["市商务局"]),
                by(2026, 6, 30)
            ),
            (
                "1.1.1",
                Some("1.1"),
                "张某某副市长",
                "市经信局",
                s(&[]),
                by(2026, 6, 20)
            ),
            (
                "1.1.2",
                Some("1.1"),
                "张某某副市长",
                "市商务局",
                s(&[]),
                by(2026, 6, 30)
            ),
            (
                "1.2",
                Some("1"),
                "王某某",
                "市商务局",
                s(&["市投促中心"]),
                by(2026, 6, 30)
            ),
            (
                "1.2.1",
                Some("1.2"),
                "王某某",
                "市商务局",
                s(&[]),
                by(2026, 6, 30)
            ),
            (
                "2",
                None,
                "李副市长",
                "市民政局",
                s(&[]),
                Some(Due::Ongoing {
                    cadence: Cadence::Quarterly
                })
            ),
            (
                "2.1",
                Some("2"),
                "李副市长",
                "市民政局",
                s(&["市卫健局"]),
                by(2027, 3, 31)
            ),
            (
                "2.1.1",
                Some("2.1"),
                "李副市长",
                "市民政局",
                s(&[]),
                by(2026, 6, 30)
            ),
            (
                "2.1.2",
                Some("2.1"),
                "李副市长",
                "市民政局",
                s(&[]),
                by(2026, 3, 31)
            ),
            (
                "2.1.3",
                Some("2.1"),
                "李副市长",
                "市民政局",
                s(&[]),
                by(2026, 3, 31)
            ),
            (
                "2.1.4",
                Some("2.1"),
                "李副市长",
                "市民政局",
                s(&[]),
                by(2026, 12, 31)
            ),
            (
                "2.1.5",
                Some("2.1"),
                "李副市长",
                "市民政局",
                s(&[]),
                by(2026, 12, 31)
            ),
            (
                "2.1.6",
                Some("2.1"),
                "李副市长",
                "市民政局",
                s(&[]),
                by(2026, 6, 30)
            ),
            (
                "2.1.7",
                Some("2.1"),
                "李副市长",
                "市民政局",
                s(&[]),
                monthly
            ),
            (
                "2.1.8",
                Some("2.1"),
                "李副市长",
                "市民政局",
                s(&[]),
                by(2026, 6, 30)
            ),
            ("2.2", Some("2"), "李副市长", "市卫健局", s(&[]), monthly),
        ]
    );
    let r = &sheet.rows[0];
    assert_eq!(
        (r.campaign.as_str(), r.list_kind, r.weight),
        ("项目攻坚", Some(ListKind::Project), Some(30.0))
    );
    assert!(r.inherited.is_empty());
    assert_eq!(
        sheet.rows[1].inherited,
        vec![Column::Campaign, Column::ListKind, Column::LeadLeader]
    );
    assert_eq!(
        sheet.rows[2].inherited,
        vec![
            Column::Campaign,
            Column::ListKind,
            Column::LeadLeader,
            Column::LeadUnit
        ]
    );
    assert_eq!(
        sheet.rows[3].inherited,
        vec![
            Column::Campaign,
            Column::ListKind,
            Column::LeadLeader,
            Column::Deadline
        ]
    );
    assert_eq!(
        (sheet.rows[10].campaign.as_str(), sheet.rows[10].list_kind),
        ("民生攻坚", Some(ListKind::Work))
    );
}

/// Dotted codes, 工作内容 as the title, 量化指标 with two indicators, month columns, 节点目标,
/// and 责任单位 next to 牵头单位 (so it lists co-units).
#[rustfmt::skip]
fn dotted_sheet() -> Vec<u8> {
    book(|wb| rows(wb.add_worksheet(), &[
        &["编号", "工作内容", "量化指标", "3月", "6月", "节点目标", "牵头单位", "协办单位", "责任单位", "责任科室", "责任岗位", "责任人（岗位）", "截止时间", "备注"],
        &["1", "数字政府建设", "投资：5亿元\n开工小区 12个", "开工小区3个", "投资累计2亿元，开工小区6个", "2026-09-30：主体完工〔投资=4亿元〕", "市大数据局", "市财政局", "市审计局", "数据科", "科长", "赵某", "2026-12-31", "重点"],
        &["1.1", "一网通办", "95%"],
        &["1.1.1", "事项梳理", "", "", "", "", "市行政服务中心"],
        &["1-2", "数据共享", "", "", "", "", "", "", "", "", "", "", "每月"],
        &["", "无编号任务", "", "", "", "", "市财政局", "", "", "", "", "", "年底"],
        &["1.1", "重复编号", "", "", "", "", "市财政局", "", "", "", "", "", "年底"],
        &["3.1", "孤立子任务", "", "", "", "", "市财政局", "", "", "", "", "", "年底"],
    ]))
}

#[test]
fn dotted_codes_indicator_and_milestone_columns_read_into_a_tree_with_values() {
    let sheet = read_task_list(&dotted_sheet(), 2026).unwrap();
    assert_eq!(sheet.columns[1].column, Column::Title);
    assert_eq!(sheet.columns[11].column, Column::Person);
    let paths: Vec<(&str, Option<&str>)> = sheet
        .rows
        .iter()
        .map(|r| (r.path.as_str(), r.parent_path.as_deref()))
        .collect();
    assert_eq!(
        paths,
        vec![
            ("1", None),
            ("1.1", Some("1")),
            ("1.1.1", Some("1.1")),
            ("1.2", Some("1")),
            ("2", None),
            ("1.1", Some("1")),
            ("3.1", Some("3")),
        ]
    );
    let r = &sheet.rows[0];
    assert_eq!(r.title, "数字政府建设");
    assert_eq!(
        r.indicators,
        vec![ind("投资", 5.0, "亿元"), ind("开工小区", 12.0, "个")]
    );
    assert_eq!(
        r.milestones,
        vec![
            ms(date(2026, 3, 31), "开工小区3个", vec![None, Some(3.0)]),
            ms(
                date(2026, 6, 30),
                "投资累计2亿元，开工小区6个",
                vec![Some(2.0), Some(6.0)]
            ),
            ms(date(2026, 9, 30), "主体完工", vec![Some(4.0), None]),
        ]
    );
    assert_eq!(r.lead_unit, "市大数据局");
    assert_eq!(r.co_units, vec!["市财政局", "市审计局"]);
    assert_eq!(
        (r.section.as_str(), r.post.as_str(), r.person.as_str()),
        ("数据科", "科长", "赵某")
    );
    assert_eq!((r.due, r.remark.as_str()), (by(2026, 12, 31), "重点"));

    let r = &sheet.rows[1];
    assert_eq!(r.indicators, vec![ind("", 95.0, "%")]);
    assert_eq!(
        (r.lead_unit.as_str(), r.due),
        ("市大数据局", by(2026, 12, 31))
    );
    assert_eq!(r.inherited, vec![Column::LeadUnit, Column::Deadline]);
    assert_eq!(
        sheet.rows[3].due,
        Some(Due::Ongoing {
            cadence: Cadence::Monthly
        })
    );

    // Row 7's 1.1 is 市财政局's, not a duplicate of 市大数据局's 1.1 (a 序号 is unique within
    // its lead unit's list); that its parent 1 is another unit's is for the importer to say.
    let problems: Vec<&Problem> = sheet.rows.iter().flat_map(|r| &r.problems).collect();
    assert_eq!(
        problems,
        vec![&Problem {
            row: 8,
            column: Some("编号".into()),
            kind: ProblemKind::MissingParent { parent: "3".into() }
        },]
    );
}

#[test]
fn a_city_wide_sheet_numbers_each_units_list_from_one_without_duplicates() {
    let sheet = read_task_list(
        &book(|wb| {
            rows(
                wb.add_worksheet(),
                &[
                    &["序号", "任务名称", "牵头单位", "完成时限"],
                    &["1", "技改投资", "经信局", "年底前"],
                    &["1.1", "技改项目入库", "", "6月底前"],
                    &["2", "专精特新培育", "经信局", "年底前"],
                    &["1", "项目前期", "发改局", "年底前"],
                    &["1.1", "可研批复", "", "9月底前"],
                    &["1", "重复的经信局序号", "经信局", "年底前"],
                ],
            )
        }),
        2026,
    )
    .unwrap();
    let units: Vec<(&str, &str)> = sheet
        .rows
        .iter()
        .map(|r| (r.path.as_str(), r.lead_unit.as_str()))
        .collect();
    assert_eq!(
        units,
        vec![
            ("1", "经信局"),
            ("1.1", "经信局"),
            ("2", "经信局"),
            ("1", "发改局"),
            ("1.1", "发改局"),
            ("1", "经信局")
        ]
    );
    let problems: Vec<(u32, &ProblemKind)> = sheet
        .rows
        .iter()
        .flat_map(|r| r.problems.iter().map(|p| (p.row, &p.kind)))
        .collect();
    assert_eq!(
        problems,
        vec![(
            7,
            &ProblemKind::DuplicateCode {
                path: "1".into(),
                first_row: 2
            }
        )]
    );
}

/// Campaign headings merged across the row, numbering restarting under each heading, and one
/// unit with tasks under both headings.
fn heading_sheet() -> Vec<u8> {
    book(|wb| {
        let ws = wb.add_worksheet();
        let plain = rust_xlsxwriter::Format::new();
        put(ws, 0, &["序号", "任务名称", "牵头单位", "完成时限"])?;
        ws.merge_range(1, 0, 1, 3, "一、工业发展提质", &plain)?;
        put(ws, 2, &["1", "技改投资", "经信局", "年底前"])?;
        put(ws, 3, &["1.1", "技改项目入库", "", "6月底前"])?;
        put(ws, 4, &["2", "项目前期", "发改局", "年底前"])?;
        ws.merge_range(5, 0, 5, 3, "二、城市品质提升", &plain)?;
        put(ws, 6, &["1", "老旧小区改造", "住建局", "11月底前"])?;
        put(ws, 7, &["2", "工业园区环境整治", "经信局", "三季度末"])?;
        put(ws, 8, &["2.1", "园区道路", "", "9月底前"])?;
        Ok(())
    })
}

#[test]
fn section_headings_give_the_campaign_and_each_units_tasks_are_numbered_across_the_sheet() {
    let sheet = read_task_list(&heading_sheet(), 2026).unwrap();
    let got: Vec<(&str, Option<&str>, &str, &str, &str)> = sheet
        .rows
        .iter()
        .map(|r| {
            (
                r.code_text.as_str(),
                r.parent_path.as_deref(),
                r.path.as_str(),
                r.lead_unit.as_str(),
                r.campaign.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("1", None, "1", "经信局", "工业发展提质"),
            ("1.1", Some("1"), "1.1", "经信局", "工业发展提质"),
            ("2", None, "1", "发改局", "工业发展提质"),
            ("1", None, "1", "住建局", "城市品质提升"),
            ("2", None, "2", "经信局", "城市品质提升"),
            ("2.1", Some("2"), "2.1", "经信局", "城市品质提升"),
        ]
    );
    assert!(
        sheet.rows.iter().all(|r| r.problems.is_empty()),
        "{:?}",
        sheet.rows.iter().map(|r| &r.problems).collect::<Vec<_>>()
    );
    assert_eq!(sheet.rows[5].due, by(2026, 9, 30));
}
