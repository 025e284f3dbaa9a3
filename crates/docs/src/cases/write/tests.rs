use super::*;
use crate::cases::read_problem_list;
use crate::sheet::LINE_HEIGHT;
use calamine::{Data, Reader, Xlsx};
use jiff::civil::date;
use std::io::{Cursor, Read};

fn problem(code: &str, status: ProblemStatus, deadline: &str) -> ProblemRow {
    ProblemRow {
        code: code.into(),
        source: "中央环保督察".into(),
        found_on: Some(date(2026, 3, 2)),
        description: format!("问题{code}：雨污管网混接，\n雨天溢流 <A&B>"),
        category: "环境污染".into(),
        lead_unit: "市住建局".into(),
        co_units: vec!["市城管局".into(), "各镇（街道、区）".into()],
        leader: "张副市长".into(),
        measures: "1.排查混接点；\n2.改造管网".into(),
        deadline: deadline.into(),
        progress: "已完成排查".into(),
        status,
        evidence: "整改前后照片".into(),
        verifier: "王某".into(),
        closed_on: None,
    }
}

fn problems() -> Vec<ProblemRow> {
    let mut rows = vec![
        problem("1", ProblemStatus::NotStarted, "2026-06-30"),
        problem("2", ProblemStatus::InProgress, "15d"),
        problem("3", ProblemStatus::AwaitingCheck, "7wd"),
        problem("4", ProblemStatus::ClosedOut, "3m"),
        problem("5", ProblemStatus::Deferred, ""),
    ];
    rows[3].closed_on = Some(date(2026, 5, 20));
    rows[4].found_on = None;
    rows[4].co_units.clear();
    rows[4].leader.clear();
    rows
}

#[test]
fn written_rows_read_back_as_the_same_rows() {
    let bytes = write_problem_list_xlsx("2026年问题整改销号表", &problems()).unwrap();
    let sheet = read_problem_list(&bytes).unwrap();
    assert_eq!(sheet.title.as_deref(), Some("2026年问题整改销号表"));
    assert_eq!(sheet.header_row, 2);
    assert_eq!(sheet.ignored_columns, Vec::<String>::new());
    assert_eq!(sheet.problem_count(), 0, "{:?}", sheet.rows);
    let read: Vec<ProblemRow> = sheet.rows.into_iter().map(|r| r.parsed).collect();
    assert_eq!(read, problems());
}

#[test]
fn dates_are_date_cells_and_rules_are_written_as_clerks_write_them() {
    let bytes = write_problem_list_xlsx("问题清单", &problems()).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names(), vec!["问题清单".to_string()]);
    let range = wb.worksheet_range("问题清单").unwrap();
    let headers: Vec<String> = (0..15)
        .map(|c| range.get_value((1, c)).unwrap().to_string())
        .collect();
    assert_eq!(headers[0], "序号");
    assert_eq!(headers[9], "整改时限");
    assert_eq!(headers[14], "销号日期");
    assert!(
        matches!(range.get_value((2, 2)), Some(Data::DateTime(_))),
        "发现时间"
    );
    assert!(
        matches!(range.get_value((2, 9)), Some(Data::DateTime(_))),
        "a fixed deadline"
    );
    assert!(
        matches!(range.get_value((5, 14)), Some(Data::DateTime(_))),
        "销号日期"
    );
    let text = |r: u32, c: u32| range.get_value((r, c)).unwrap().to_string();
    assert_eq!(text(3, 9), "15日内");
    assert_eq!(text(4, 9), "7个工作日内");
    assert_eq!(text(5, 9), "3个月内");
    assert_eq!(text(5, 11), "已销号");
    assert_eq!(text(2, 6), "市城管局、各镇（街道、区）");
}

#[test]
fn the_header_is_frozen_and_the_status_cells_offer_the_five_labels() {
    let bytes = write_problem_list_xlsx("问题清单", &problems()).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains(r#"ySplit="2""#), "{xml}");
    assert!(xml.contains("未启动,整改中,待核查,已销号,挂账"), "{xml}");
    assert!(xml.contains(r#"orientation="landscape""#), "{xml}");
}

#[test]
fn a_deadline_that_is_no_rule_is_written_as_given() {
    let mut row = problem("1", ProblemStatus::InProgress, "");
    row.deadline = "7个工作日".into();
    let bytes = write_problem_list_xlsx("问题清单", &[row]).unwrap();
    let sheet = read_problem_list(&bytes).unwrap();
    assert_eq!(sheet.rows[0].raw(ProblemColumn::Deadline), "7个工作日");
    assert_eq!(sheet.rows[0].parsed.deadline, "7wd");
}

#[test]
fn an_empty_list_is_a_header_without_rows() {
    let bytes = write_problem_list_xlsx("问题清单", &[]).unwrap();
    let sheet = read_problem_list(&bytes).unwrap();
    assert!(sheet.rows.is_empty());
    assert_eq!(sheet.columns.len(), 15);
}

#[test]
fn a_row_is_as_tall_as_its_longest_wrapped_cell() {
    let short = values(&problem("1", ProblemStatus::InProgress, "15d"));
    let mut long = problem("2", ProblemStatus::InProgress, "15d");
    // 64 Chinese characters at two units each in a 32-unit column (31 usable): 5 lines,
    // and the second paragraph one more.
    long.description = format!("{}\n补充说明", "雨".repeat(64));
    let long = values(&long);
    assert_eq!(
        row_height(&short),
        2.0 * LINE_HEIGHT + 4.0,
        "two-line cells"
    );
    assert_eq!(row_height(&long), 6.0 * LINE_HEIGHT + 4.0);
}
