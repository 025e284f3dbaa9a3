//! Problem lists written with rust_xlsxwriter the way units fill them in, read back.

use super::super::{DateTextError, ProblemColumn, ProblemStatus, RowProblemKind, SheetRow};
use super::*;
use jiff::civil::date;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

fn book(build: impl FnOnce(&mut Workbook) -> Result<(), XlsxError>) -> Vec<u8> {
    let mut wb = Workbook::new();
    build(&mut wb).unwrap();
    wb.save_to_buffer().unwrap()
}

/// Writes the non-empty texts of one row (0-based row index).
fn put(ws: &mut Worksheet, row: u32, cells: &[&str]) -> Result<(), XlsxError> {
    for (col, text) in (0u16..).zip(cells) {
        if !text.is_empty() {
            ws.write_string(row, col, *text)?;
        }
    }
    Ok(())
}

/// (column header, problem kind) of each problem of a row.
fn kinds(row: &SheetRow) -> Vec<(Option<&str>, &RowProblemKind)> {
    row.problems
        .iter()
        .map(|p| (p.column.as_deref(), &p.kind))
        .collect()
}

/// An instructions sheet first; a banner naming the year and a 填报 line; a two-row header
/// with 整改情况 over 整改措施 / 完成时限 / 整改进展 and variant names elsewhere; a unit
/// merged down two rows; a section heading, notes, and a pre-numbered empty row.
#[rustfmt::skip]
fn messy_sheet() -> Vec<u8> {
    book(|wb| {
        put(wb.add_worksheet().set_name("填表说明")?, 0, &["状态请填：未启动、整改中、待核查、已销号、挂账"])?;
        let ws = wb.add_worksheet().set_name("问题清单")?;
        let plain = Format::new();
        let day = Format::new().set_num_format("yyyy-mm-dd");
        ws.merge_range(0, 0, 0, 15, "2026年永康市生态环境问题整改销号表", &plain)?;
        put(ws, 1, &["填报单位：市生态环境局（盖章）"])?;
        for (col, text) in [(0u16, "序号"), (1, "来源"), (2, "发现日期"), (3, "存在问题"), (4, "类别"),
            (5, "责任单位"), (6, "配合单位"), (7, "责任领导")] {
            ws.merge_range(2, col, 3, col, text, &plain)?;
        }
        ws.merge_range(2, 8, 2, 10, "整改情况", &plain)?;
        put(ws, 3, &["", "", "", "", "", "", "", "", "整改措施", "完成时限", "整改进展"])?;
        for (col, text) in [(11u16, "整改\n状态"), (12, "佐证材料"), (13, "核查人"), (14, "销号时间"), (15, "督查意见")] {
            ws.merge_range(2, col, 3, col, text, &plain)?;
        }
        put(ws, 4, &[
            "1", "中央环保督察", "", "某工业园区雨污管网混接，\n雨天溢流", "环境污染",
            "市住建局、市城管局", "某街道\n市财政局", "张副市长", "排查混接点并改造", "7个工作日内",
            "已完成排查", "整改中", "", "", "", "抓紧",
        ])?;
        ws.write_datetime_with_format(4, 2, date(2026, 3, 2), &day)?;
        put(ws, 5, &[
            "2", "12345热线", "2026年3月5日", "河道垃圾堆积", "", "", "", "", "", "6月底",
            "", "已完成", "整改前后照片", "",
        ])?;
        put(ws, 6, &[
            "3", "12345热线", "2026/3/9", "餐饮油烟扰民", "", "", "", "", "加装油烟净化器", "",
            "", "已销号", "验收单", "王某", "2026/5/20",
        ])?;
        ws.merge_range(5, 5, 6, 5, "市生态环境局", &plain)?;
        ws.write_datetime_with_format(6, 9, date(2026, 4, 30), &day)?;
        ws.merge_range(8, 0, 8, 15, "二、群众信访反映问题", &plain)?;
        put(ws, 9, &[
            "4", "信访", "2026-02-30", "", "", "", "", "", "", "立行立改", "", "红灯",
        ])?;
        put(ws, 10, &["5"])?;
        ws.merge_range(11, 0, 11, 15, "注：状态请从下拉列表选择。", &plain)?;
        put(ws, 12, &["填报人：张三", "", "", "", "", "审核人：李四"])?;
        Ok(())
    })
}

#[test]
fn a_messy_sheet_reads_every_value_below_its_banner_and_two_row_header() {
    let sheet = read_problem_list(&messy_sheet()).unwrap();
    assert_eq!(sheet.sheet_name, "问题清单");
    assert_eq!(
        sheet.title.as_deref(),
        Some("2026年永康市生态环境问题整改销号表")
    );
    assert_eq!(sheet.year, Some(2026));
    assert_eq!(sheet.header_row, 3);
    assert_eq!(sheet.ignored_columns, vec!["督查意见".to_string()]);
    let rows: Vec<u32> = sheet.rows.iter().map(|r| r.row).collect();
    assert_eq!(
        rows,
        vec![5, 6, 7, 10],
        "heading, notes and the empty numbered row are skipped"
    );

    let first = &sheet.rows[0];
    assert_eq!(first.problems, vec![]);
    let p = &first.parsed;
    assert_eq!(p.code, "1");
    assert_eq!(p.source, "中央环保督察");
    assert_eq!(p.found_on, Some(date(2026, 3, 2)));
    assert_eq!(p.description, "某工业园区雨污管网混接，\n雨天溢流");
    assert_eq!(p.category, "环境污染");
    assert_eq!(p.lead_unit, "市住建局");
    assert_eq!(p.co_units, vec!["市城管局", "某街道", "市财政局"]);
    assert_eq!(p.leader, "张副市长");
    assert_eq!(p.measures, "排查混接点并改造");
    assert_eq!(p.deadline, "7wd");
    assert_eq!(first.raw(ProblemColumn::Deadline), "7个工作日内");
    assert_eq!(p.progress, "已完成排查");
    assert_eq!(p.status, ProblemStatus::InProgress);

    let second = &sheet.rows[1];
    assert_eq!(second.problems, vec![]);
    assert_eq!(second.parsed.found_on, Some(date(2026, 3, 5)));
    assert_eq!(
        second.parsed.lead_unit, "市生态环境局",
        "merged over two rows"
    );
    assert_eq!(second.parsed.deadline, "2026-06-30", "the title's year");
    assert_eq!(second.parsed.status, ProblemStatus::AwaitingCheck);
    assert_eq!(second.parsed.evidence, "整改前后照片");

    let third = &sheet.rows[2];
    assert_eq!(third.problems, vec![]);
    assert_eq!(third.parsed.lead_unit, "市生态环境局");
    assert_eq!(third.parsed.deadline, "2026-04-30", "a real date cell");
    assert_eq!(third.parsed.status, ProblemStatus::ClosedOut);
    assert_eq!(third.parsed.verifier, "王某");
    assert_eq!(third.parsed.closed_on, Some(date(2026, 5, 20)));
}

#[test]
fn every_problem_of_a_bad_row_is_reported_with_its_row_and_column() {
    let sheet = read_problem_list(&messy_sheet()).unwrap();
    let bad = &sheet.rows[3];
    assert_eq!(bad.row, 10);
    assert_eq!(
        kinds(bad),
        vec![
            (
                Some("发现日期"),
                &RowProblemKind::BadDate(DateTextError::Impossible(
                    crate::lists::DueError::NoSuchDay {
                        text: "2026-02-30".into(),
                        year: 2026,
                        month: 2,
                        day: 30
                    }
                ))
            ),
            (
                Some("完成时限"),
                &RowProblemKind::BadDeadline(DateTextError::Unreadable {
                    text: "立行立改".into()
                })
            ),
            (
                Some("整改\n状态"),
                &RowProblemKind::UnknownStatus {
                    text: "红灯".into()
                }
            ),
            (Some("存在问题"), &RowProblemKind::MissingDescription),
            (Some("责任单位"), &RowProblemKind::MissingLeadUnit),
        ]
    );
    assert_eq!(
        bad.parsed.deadline, "",
        "an unreadable deadline is left empty"
    );
    assert_eq!(
        bad.raw(ProblemColumn::Deadline),
        "立行立改",
        "and kept as written"
    );
    assert_eq!(sheet.problem_count(), 5);
    assert_eq!(
        bad.problems[1].zh(),
        "第10行“完成时限”列：整改时限“立行立改”无法识别，请写成“2026-06-30”“15日”“7个工作日”或“3个月”等形式"
    );
    assert_eq!(
        bad.problems[4].to_string(),
        "row 10, column “责任单位”: no responsible unit is given"
    );
}

#[test]
fn without_a_year_in_the_title_the_found_date_gives_it_or_the_row_is_told_to_write_one() {
    #[rustfmt::skip]
    let bytes = book(|wb| {
        let ws = wb.add_worksheet();
        put(ws, 0, &["序号", "问题描述", "牵头单位", "责任单位", "发现时间", "时限", "销号日期"])?;
        put(ws, 1, &["1", "路灯不亮", "市城管局", "市供电公司、某街道", "2025-12-20", "1月底", "3月5日"])?;
        put(ws, 2, &["2", "井盖缺失", "市城管局", "", "", "15天", ""])?;
        put(ws, 3, &["3", "道路破损", "市交通局", "", "", "6月底", ""])?;
        Ok(())
    });
    let sheet = read_problem_list(&bytes).unwrap();
    assert_eq!(sheet.title, None);
    assert_eq!(sheet.year, None);
    let [first, second, third] = &sheet.rows[..] else {
        panic!("three rows: {:?}", sheet.rows);
    };
    assert_eq!(first.problems, vec![]);
    assert_eq!(first.parsed.lead_unit, "市城管局", "牵头单位 leads");
    assert_eq!(first.parsed.co_units, vec!["市供电公司", "某街道"]);
    assert_eq!(first.parsed.deadline, "2025-01-31", "the year of 发现时间");
    assert_eq!(first.parsed.closed_on, Some(date(2025, 3, 5)));
    assert_eq!(second.problems, vec![]);
    assert_eq!(second.parsed.deadline, "15d");
    assert_eq!(
        second.parsed.status,
        ProblemStatus::NotStarted,
        "blank status"
    );
    assert_eq!(
        kinds(third),
        vec![(
            Some("时限"),
            &RowProblemKind::BadDeadline(DateTextError::NoYear {
                text: "6月底".into()
            })
        )]
    );
}

#[test]
fn a_file_that_is_no_xlsx_or_has_no_problem_list_header_is_refused_whole() {
    assert!(matches!(
        read_problem_list(b"not a spreadsheet"),
        Err(FileError::SaveAsXlsx { .. })
    ));
    let no_header = book(|wb| {
        put(wb.add_worksheet().set_name("说明")?, 0, &["这里没有表头"])?;
        Ok(())
    });
    let err = read_problem_list(&no_header).unwrap_err();
    assert_eq!(
        err,
        FileError::NoProblemListHeader {
            sheets: vec!["说明".into()]
        }
    );
    assert!(err.zh().contains("问题清单表头"), "{}", err.zh());
    // A task list has a header, but not a problem list's.
    let task_list = book(|wb| {
        put(
            wb.add_worksheet(),
            0,
            &["序号", "任务名称", "牵头单位", "完成时限"],
        )?;
        Ok(())
    });
    assert_eq!(
        read_problem_list(&task_list).unwrap_err(),
        FileError::MissingColumns(vec!["问题描述".into()])
    );
}
