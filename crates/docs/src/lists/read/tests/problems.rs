use super::*;

#[rustfmt::skip]
fn problem_sheet() -> Vec<u8> {
    book(|wb| rows(wb.add_worksheet(), &[
        &["序号", "清单类别", "任务名称", "牵头单位", "四季度", "节点目标", "完成时限（年月日）", "权重"],
        &["1", "任务清单", "甲", "市经信局", "", "", "2026年2月30日", "10"],
        &["2", "工作清单", "乙", "", "", "", "年底", "高"],
        &["3", "工作清单", "", "市住建局", "全面完成", "", "6月底"],
        &["4", "工作清单", "丁", "市住建局", "", "尽快开工\n2026-13-01：开工"],
    ]))
}

#[test]
fn row_problems_name_the_row_the_column_as_written_and_the_value() {
    let bytes = problem_sheet();
    let sheet = read_task_list(&bytes, 2026).unwrap();
    let p = |row, column: &str, kind| Problem {
        row,
        column: Some(column.to_string()),
        kind,
    };
    let got: Vec<Vec<Problem>> = sheet.rows.iter().map(|r| r.problems.clone()).collect();
    assert_eq!(
        got,
        vec![
            vec![
                p(
                    2,
                    "清单类别",
                    ProblemKind::UnknownListKind {
                        text: "任务清单".into()
                    }
                ),
                p(
                    2,
                    "完成时限（年月日）",
                    ProblemKind::BadDeadline(DueError::NoSuchDay {
                        text: "2026年2月30日".into(),
                        year: 2026,
                        month: 2,
                        day: 30
                    })
                ),
            ],
            vec![
                p(3, "权重", ProblemKind::BadWeight { text: "高".into() }),
                p(3, "牵头单位", ProblemKind::MissingLeadUnit),
            ],
            vec![
                p(4, "任务名称", ProblemKind::MissingTitle),
                p(
                    4,
                    "四季度",
                    ProblemKind::MilestoneAfterDeadline {
                        milestone: date(2026, 12, 31),
                        deadline: date(2026, 6, 30)
                    }
                ),
            ],
            vec![
                p(
                    5,
                    "节点目标",
                    ProblemKind::BadMilestone {
                        text: "尽快开工".into()
                    }
                ),
                p(
                    5,
                    "节点目标",
                    ProblemKind::BadMilestone {
                        text: "2026-13-01：开工".into()
                    }
                ),
                p(5, "完成时限（年月日）", ProblemKind::MissingDeadline),
            ],
        ]
    );
    assert_eq!(sheet.problem_count(), 9);
    assert_eq!(
        got[0][1].zh(),
        "第2行“完成时限（年月日）”列：完成时限“2026年2月30日”不是有效日期：2026年2月没有30日"
    );
    assert_eq!(
        got[0][0].kind.zh(),
        "清单类别“任务清单”无法识别，应为工作清单、项目清单、政策清单或责任清单"
    );
    assert_eq!(
        got[1][1].to_string(),
        "row 3, column “牵头单位”: no lead unit is given, here or in the parent task"
    );
}
