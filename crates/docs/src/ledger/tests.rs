use super::*;
use calamine::{Data, Reader, Xlsx};
use std::io::{Cursor, Read};

fn row(seq: i64, after: String) -> LedgerSheetRow {
    LedgerSheetRow {
        seq,
        at: "2026-11-24 10:00:00 +08:00".into(),
        actor: "张三 (dkb)".into(),
        action: "case.register".into(),
        object_type: "case".into(),
        object_id: Some(7),
        object_name: "雨污管网混接".into(),
        before: "null".into(),
        after,
        prev_hash: "0".repeat(64),
        hash: "ab".repeat(32),
    }
}

#[test]
fn every_entry_is_a_row_under_the_header_and_reads_back() {
    let rows = vec![
        row(1, r#"{"title":"雨污管网混接"}"#.into()),
        row(2, "{}".into()),
    ];
    let bytes = write_ledger_xlsx(&rows).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range(SHEET_NAME).unwrap();
    let header: Vec<String> = (0..11)
        .map(|c| range.get_value((1, c)).unwrap().to_string())
        .collect();
    assert_eq!(header, HEADERS.map(|h| h.0.to_string()));
    assert_eq!(range.get_value((2, 0)), Some(&Data::Float(1.0)));
    assert_eq!(
        range.get_value((2, 8)),
        Some(&Data::String(r#"{"title":"雨污管网混接"}"#.into()))
    );
    assert_eq!(
        range.get_value((3, 6)),
        Some(&Data::String("雨污管网混接".into()))
    );
    assert_eq!(range.height(), 4);
}

#[test]
fn it_prints_landscape_one_page_wide_with_the_header_repeated_and_page_numbers() {
    let bytes = write_ledger_xlsx(&[row(1, "{}".into())]).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains(r#"orientation="landscape""#), "{xml}");
    assert!(xml.contains(r#"paperSize="9""#), "{xml}");
    assert!(xml.contains(r#"fitToHeight="0""#), "{xml}");
    assert!(xml.contains("&amp;P"), "{xml}");
    let mut book = String::new();
    zip.by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut book)
        .unwrap();
    assert!(book.contains("Print_Titles"), "{book}");
}

#[test]
fn a_long_text_is_cut_and_says_so() {
    let long = "字".repeat(MAX_JSON_CHARS + 10);
    let cut = shown(&long);
    assert!(cut.ends_with("（已截断，完整内容见 JSON 行导出）"));
    assert_eq!(cut.chars().filter(|c| *c == '字').count(), MAX_JSON_CHARS);
    assert_eq!(shown("{}"), "{}");
}
