//! Progress sheets written with rust_xlsxwriter the way units fill them in, read back.

use super::super::{ProgressColumn, SheetRow};
use super::*;
use duban_core::progress::schedule::Pace;
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

/// A banner and a 填报单位 line; variant headers (进展情况, 进度(%), 需协调事项, 填报日期) and
/// one the reader does not use (备注); a lead unit merged down two rows; percentages as a
/// number formatted 0%, as text and as a plain number; a section heading, a note, a row with
/// only its 序号 and rows with every kind of problem.
#[rustfmt::skip]
fn messy_sheet() -> Vec<u8> {
    book(|wb| {
        put(wb.add_worksheet().set_name("填表说明")?, 0, &["完成比例请填写百分数"])?;
        let ws = wb.add_worksheet().set_name("10月进展")?;
        let plain = Format::new();
        let pct = Format::new().set_num_format("0%");
        let day = Format::new().set_num_format("yyyy-mm-dd");
        ws.merge_range(0, 0, 0, 15, "2026年重点工作月度进展报送表", &plain)?;
        ws.merge_range(1, 0, 1, 15, "填报单位：市住建局（盖章）  报送期：2026年10月", &plain)?;
        put(ws, 2, &[
            "序号", "任务编号", "任务名称", "牵头单位", "进展情况\n（截至10月底）", "累计完成", "进度(%)",
            "序时判断(超/达/欠)", "存在问题", "下步举措", "需协调事项", "佐证", "填报人", "审核人(单位负责人)",
            "填报日期", "备注",
        ])?;
        put(ws, 3, &[
            "1", "T-101", "老旧小区改造", "", "7个小区开工", "累计开工9个", "", "超序时进度", "雨季影响",
            "加快推进", "", "照片.zip", "王某", "李某", "", "无",
        ])?;
        ws.write_number_with_format(3, 6, 0.85, &pct)?;
        ws.write_datetime_with_format(3, 14, date(2026, 10, 28), &day)?;
        put(ws, 4, &[
            "2", "T-102", "燃气管道更新", "", "完成招标", "", "60%", "欠", "", "", "资金缺口",
            "", "王某", "", "10月28日",
        ])?;
        ws.merge_range(3, 3, 4, 3, "市住建局", &plain)?;
        put(ws, 5, &["3", "", "5G基站建设", "市经信局", "新建基站20个", "", "", "达", "", "", "", "", "", "", "2026/10/30"])?;
        ws.write_number(5, 6, 70.0)?;
        ws.merge_range(6, 0, 6, 15, "二、民生实事", &plain)?;
        put(ws, 7, &[
            "4", "", "某路口改造", "", "", "", "八成", "红灯", "", "", "", "", "", "", "2026-02-30",
        ])?;
        put(ws, 8, &["5", "T-105", "", "", "已完成主体", "", "120%", "", "", "", "", "", "", "", "月底"])?;
        put(ws, 9, &["6", "T-106", "", "", "已完成", "", "0.85"])?;
        put(ws, 10, &["7"])?;
        put(ws, 11, &["注：完成比例填写百分数。"])?;
        put(ws, 12, &["填报人：王某", "", "", "", "审核人：李某"])?;
        Ok(())
    })
}

#[test]
fn a_messy_sheet_reads_every_value_below_its_banner() {
    let sheet = read_progress_sheet(&messy_sheet(), 2026).unwrap();
    assert_eq!(sheet.sheet_name, "10月进展");
    assert_eq!(sheet.title.as_deref(), Some("2026年重点工作月度进展报送表"));
    assert_eq!(
        sheet.period_label.as_deref(),
        Some("填报单位：市住建局（盖章）  报送期：2026年10月")
    );
    assert_eq!(sheet.header_row, 3);
    assert_eq!(sheet.ignored_columns, vec!["备注".to_string()]);
    let rows: Vec<u32> = sheet.rows.iter().map(|r| r.row).collect();
    assert_eq!(
        rows,
        vec![4, 5, 6, 8, 9, 10],
        "heading, notes and the bare 序号 are skipped"
    );

    let [first, second, third] = &sheet.rows[..3] else {
        unreachable!()
    };
    assert_eq!(first.problems, vec![]);
    let p = &first.parsed;
    assert_eq!(
        (
            p.seq.as_str(),
            p.task_code.as_str(),
            p.task_name.as_str(),
            p.lead_unit.as_str()
        ),
        ("1", "T-101", "老旧小区改造", "市住建局")
    );
    assert_eq!(p.progress, "7个小区开工");
    assert_eq!(p.cumulative, "累计开工9个");
    assert_eq!(p.percent, Some(85.0), "0.85 formatted as 0%");
    assert_eq!(
        first.raw(ProgressColumn::Percent),
        "85%",
        "as Excel shows it"
    );
    assert_eq!(p.pace, Some(Pace::Ahead));
    assert_eq!(first.raw(ProgressColumn::Pace), "超序时进度");
    assert_eq!(p.issues, "雨季影响");
    assert_eq!(p.next_steps, "加快推进");
    assert_eq!(p.evidence, "照片.zip");
    assert_eq!((p.reporter.as_str(), p.reviewer.as_str()), ("王某", "李某"));
    assert_eq!(p.reported_on, Some(date(2026, 10, 28)));

    assert_eq!(second.problems, vec![]);
    assert_eq!(second.parsed.lead_unit, "市住建局", "merged over two rows");
    assert_eq!(second.parsed.percent, Some(60.0));
    assert_eq!(second.parsed.pace, Some(Pace::Behind));
    assert_eq!(second.parsed.coordination, "资金缺口");
    assert_eq!(
        second.parsed.reported_on,
        Some(date(2026, 10, 28)),
        "the caller's year"
    );

    assert_eq!(third.problems, vec![], "named by 任务名称 and 牵头单位");
    assert_eq!(third.parsed.task_code, "");
    assert_eq!(
        third.parsed.percent,
        Some(70.0),
        "a plain number is percent"
    );
    assert_eq!(third.parsed.pace, Some(Pace::OnPace));
    assert_eq!(third.parsed.reported_on, Some(date(2026, 10, 30)));
}

#[test]
fn every_problem_of_a_broken_row_names_its_row_and_column() {
    let sheet = read_progress_sheet(&messy_sheet(), 2026).unwrap();
    let broken = &sheet.rows[3];
    assert_eq!(broken.row, 8);
    assert_eq!(
        kinds(broken),
        vec![
            (Some("任务编号"), &RowProblemKind::MissingTask),
            (
                Some("进展情况\n（截至10月底）"),
                &RowProblemKind::MissingProgress
            ),
            (
                Some("进度(%)"),
                &RowProblemKind::BadPercent {
                    text: "八成".into()
                }
            ),
            (
                Some("序时判断(超/达/欠)"),
                &RowProblemKind::UnknownPace {
                    text: "红灯".into()
                }
            ),
            (
                Some("填报日期"),
                &RowProblemKind::BadDate(crate::lists::DueError::NoSuchDay {
                    text: "2026-02-30".into(),
                    year: 2026,
                    month: 2,
                    day: 30
                })
            ),
        ]
    );
    assert_eq!(broken.parsed.percent, None, "a bad value is left empty");
    assert_eq!(
        broken.raw(ProgressColumn::Percent),
        "八成",
        "and kept as written"
    );
    assert_eq!(
        broken.problems[2].zh(),
        "第8行“进度(%)”列：完成比例“八成”不是百分数，请写成“85%”"
    );
    assert_eq!(
        broken.problems[3].to_string(),
        "row 8, column “序时判断(超/达/欠)”: the judgement “红灯” is not one we know (超, 达, 欠 or 已完成)"
    );

    let over = &sheet.rows[4];
    assert_eq!(
        kinds(over),
        vec![
            (
                Some("进度(%)"),
                &RowProblemKind::PercentOutOfRange {
                    text: "120%".into()
                }
            ),
            (
                Some("填报日期"),
                &RowProblemKind::UnreadableDate {
                    text: "月底".into()
                }
            ),
        ]
    );
    assert_eq!(
        kinds(&sheet.rows[5]),
        vec![(
            Some("进度(%)"),
            &RowProblemKind::AmbiguousPercent {
                text: "0.85".into()
            }
        )]
    );
    assert_eq!(sheet.problem_count(), 8);
}

#[test]
fn header_variants_are_read_as_the_same_columns() {
    #[rustfmt::skip]
    let bytes = book(|wb| {
        let ws = wb.add_worksheet();
        put(ws, 0, &["序号", "任务名称", "责任单位", "本期工作进展", "完成率", "需市领导协调事项", "报送时间"])?;
        put(ws, 1, &["1", "河道整治", "市水务局", "完成清淤", "45 %", "无", "2026-11-02"])?;
        Ok(())
    });
    let sheet = read_progress_sheet(&bytes, 2026).unwrap();
    let columns: Vec<ProgressColumn> = sheet.columns.iter().map(|m| m.column).collect();
    assert_eq!(
        columns,
        vec![
            ProgressColumn::Seq,
            ProgressColumn::TaskName,
            ProgressColumn::LeadUnit,
            ProgressColumn::Progress,
            ProgressColumn::Percent,
            ProgressColumn::Coordination,
            ProgressColumn::ReportedOn,
        ]
    );
    let row = &sheet.rows[0];
    assert_eq!(row.problems, vec![]);
    assert_eq!(row.parsed.task_name, "河道整治");
    assert_eq!(row.parsed.lead_unit, "市水务局");
    assert_eq!(row.parsed.progress, "完成清淤");
    assert_eq!(row.parsed.percent, Some(45.0));
    assert_eq!(row.parsed.coordination, "无");
    assert_eq!(row.parsed.reported_on, Some(date(2026, 11, 2)));
}

#[test]
fn a_two_row_header_is_folded() {
    #[rustfmt::skip]
    let bytes = book(|wb| {
        let ws = wb.add_worksheet();
        let plain = Format::new();
        for (col, text) in [(0u16, "序号"), (1, "任务编号"), (2, "任务名称")] {
            ws.merge_range(0, col, 1, col, text, &plain)?;
        }
        ws.merge_range(0, 3, 0, 5, "进展情况", &plain)?;
        put(ws, 1, &["", "", "", "本期进展", "累计完成", "完成比例"])?;
        put(ws, 2, &["1", "T-1", "河道整治", "完成清淤", "累计3公里", "30%"])?;
        Ok(())
    });
    let sheet = read_progress_sheet(&bytes, 2026).unwrap();
    assert_eq!(sheet.rows.len(), 1);
    let row = &sheet.rows[0];
    assert_eq!(row.row, 3);
    assert_eq!(row.problems, vec![]);
    assert_eq!(row.parsed.progress, "完成清淤");
    assert_eq!(row.parsed.cumulative, "累计3公里");
    assert_eq!(row.parsed.percent, Some(30.0));
}

#[test]
fn a_header_that_names_no_task_or_no_progress_is_refused_whole() {
    let only_name = book(|wb| {
        put(
            wb.add_worksheet(),
            0,
            &["序号", "任务名称", "本期进展", "完成比例"],
        )?;
        Ok(())
    });
    assert_eq!(
        read_progress_sheet(&only_name, 2026).unwrap_err(),
        FileError::MissingColumns(vec!["任务编号（或任务名称和牵头单位）".into()])
    );
    // A task list has a header, but no progress columns.
    let task_list = book(|wb| {
        put(
            wb.add_worksheet(),
            0,
            &["序号", "任务编号", "任务名称", "完成时限"],
        )?;
        Ok(())
    });
    assert_eq!(
        read_progress_sheet(&task_list, 2026).unwrap_err(),
        FileError::MissingColumns(vec!["本期进展".into()])
    );
}

#[test]
fn a_file_that_is_no_xlsx_or_has_no_header_is_refused_whole() {
    assert!(matches!(
        read_progress_sheet(b"PK\x03\x04 not really a zip", 2026),
        Err(FileError::NotXlsx(_))
    ));
    assert!(matches!(
        read_progress_sheet(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0 a broken .xls", 2026),
        Err(FileError::NotXlsx(_))
    ));
    let no_header = book(|wb| {
        put(wb.add_worksheet().set_name("说明")?, 0, &["这里没有表头"])?;
        Ok(())
    });
    let err = read_progress_sheet(&no_header, 2026).unwrap_err();
    assert_eq!(
        err,
        FileError::NoProgressSheetHeader {
            sheets: vec!["说明".into()]
        }
    );
    assert!(err.zh().contains("月度进展报送表表头"), "{}", err.zh());
}
