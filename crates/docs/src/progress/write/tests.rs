use super::*;
use crate::progress::{RowProblemKind, read_progress_sheet};
use calamine::{Data, Reader, Xlsx};
use jiff::civil::date;
use std::io::{Cursor, Read};

fn report(seq: u32, percent: Option<f64>, pace: Option<Pace>) -> ProgressSheetRow {
    ProgressSheetRow {
        seq: seq.to_string(),
        task_code: format!("市住建局/{seq}"),
        task_name: format!("老旧小区改造 <第{seq}批> & 配套"),
        lead_unit: "市住建局".into(),
        progress: "完成7个小区开工；\n2个小区完成主体".into(),
        cumulative: "累计开工9个小区".into(),
        percent,
        no_change: false,
        lower_reason: String::new(),
        pace,
        issues: "雨季影响施工进度".into(),
        next_steps: "加快推进剩余小区开工".into(),
        coordination: "协调市财政局拨付资金".into(),
        evidence: "开工照片.zip".into(),
        reporter: "王某".into(),
        reviewer: "李某".into(),
        reported_on: Some(date(2026, 10, 28)),
    }
}

fn reports() -> Vec<ProgressSheetRow> {
    vec![
        report(1, Some(85.0), Some(Pace::Ahead)),
        report(2, Some(85.5), Some(Pace::OnPace)),
        report(3, Some(0.0), Some(Pace::Behind)),
        report(4, Some(100.0), Some(Pace::Done)),
        ProgressSheetRow {
            issues: String::new(),
            coordination: String::new(),
            reported_on: None,
            ..report(5, Some(33.33), None)
        },
        ProgressSheetRow {
            percent: Some(20.0),
            lower_reason: "核减了工程量".into(),
            ..report(6, None, None)
        },
        ProgressSheetRow {
            no_change: true,
            progress: String::new(),
            ..report(7, None, None)
        },
    ]
}

#[test]
fn written_rows_read_back_as_the_same_rows() {
    let bytes =
        write_progress_sheet("2026年重点工作月度进展报送表", "2026年10月", &reports()).unwrap();
    let sheet = read_progress_sheet(&bytes, 2026).unwrap();
    assert_eq!(sheet.sheet_name, "月度进展");
    assert_eq!(sheet.title.as_deref(), Some("2026年重点工作月度进展报送表"));
    assert_eq!(sheet.period_label.as_deref(), Some("2026年10月"));
    assert_eq!(sheet.header_row, 3);
    assert_eq!(sheet.columns.len(), 17);
    assert_eq!(sheet.ignored_columns, Vec::<String>::new());
    assert_eq!(sheet.problem_count(), 0, "{:?}", sheet.rows);
    assert_eq!(sheet.rows[1].raw(ProgressColumn::Percent), "85.5%");
    let read: Vec<ProgressSheetRow> = sheet.rows.into_iter().map(|r| r.parsed).collect();
    assert_eq!(read, reports());
}

#[test]
fn a_prefilled_sheet_left_untouched_reads_back_as_untouched_rows_without_problems() {
    let blank = |seq: u32| ProgressSheetRow {
        seq: seq.to_string(),
        task_code: format!("T-{seq}"),
        task_name: "5G基站建设".into(),
        lead_unit: "市经信局".into(),
        progress: String::new(),
        cumulative: String::new(),
        percent: None,
        no_change: false,
        lower_reason: String::new(),
        pace: None,
        issues: String::new(),
        next_steps: String::new(),
        coordination: String::new(),
        evidence: String::new(),
        reporter: String::new(),
        reviewer: String::new(),
        reported_on: None,
    };
    let bytes = write_progress_sheet("进展报送表", "2026年10月", &[blank(1), blank(2)]).unwrap();
    let sheet = read_progress_sheet(&bytes, 2026).unwrap();
    assert_eq!(sheet.rows.len(), 2);
    for row in &sheet.rows {
        assert_eq!(row.parsed, blank(row.row - 3));
        assert!(row.untouched);
        assert!(row.problems.is_empty(), "{:?}", row.problems);
    }
}

#[test]
fn a_row_with_a_judgement_but_no_progress_is_touched_and_says_what_is_missing() {
    let row = ProgressSheetRow {
        progress: String::new(),
        cumulative: String::new(),
        percent: None,
        issues: String::new(),
        next_steps: String::new(),
        coordination: String::new(),
        evidence: String::new(),
        reporter: String::new(),
        reviewer: String::new(),
        reported_on: None,
        ..report(1, None, Some(Pace::Behind))
    };
    let bytes = write_progress_sheet("进展报送表", "2026年10月", &[row]).unwrap();
    let sheet = read_progress_sheet(&bytes, 2026).unwrap();
    assert!(!sheet.rows[0].untouched);
    let kinds: Vec<_> = sheet.rows[0].problems.iter().map(|p| &p.kind).collect();
    assert_eq!(kinds, vec![&RowProblemKind::MissingProgress]);
}

#[test]
fn percentages_are_numbers_formatted_as_percent_and_dates_are_date_cells() {
    let bytes = write_progress_sheet("进展报送表", "2026年10月", &reports()).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range("月度进展").unwrap();
    let headers: Vec<String> = (0..17)
        .map(|c| range.get_value((2, c)).unwrap().to_string())
        .collect();
    let expected: Vec<String> = ProgressColumn::WRITTEN
        .iter()
        .map(|c| c.label_zh().to_string())
        .collect();
    assert_eq!(headers, expected);
    assert_eq!(range.get_value((3, 7)), Some(&Data::Float(0.85)));
    assert!(matches!(range.get_value((3, 16)), Some(Data::DateTime(_))));
    assert_eq!(range.get_value((3, 9)).unwrap().to_string(), "超");
    let styles = wb.worksheet_style("月度进展").unwrap();
    let format = |r: u32, c: u32| {
        styles
            .get((r, c))
            .and_then(|s| s.number_format.clone())
            .map(|f| f.format_code)
    };
    assert_eq!(format(3, 7).as_deref(), Some("0%"));
    assert_eq!(format(4, 7).as_deref(), Some("0.0#%"));
}

#[test]
fn the_header_is_frozen_and_the_judgement_cells_offer_four_choices() {
    let bytes = write_progress_sheet("进展报送表", "2026年10月", &reports()).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains(r#"ySplit="3""#), "{xml}");
    assert!(xml.contains("超,达,欠,已完成"), "{xml}");
    assert!(xml.contains(r#"orientation="landscape""#), "{xml}");
}

#[test]
fn an_empty_sheet_is_a_header_without_rows() {
    let bytes = write_progress_sheet("进展报送表", "2026年10月", &[]).unwrap();
    let sheet = read_progress_sheet(&bytes, 2026).unwrap();
    assert!(sheet.rows.is_empty());
    assert_eq!(sheet.columns.len(), 17);
}
