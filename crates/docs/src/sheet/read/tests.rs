//! The shared reading steps on small grids and workbooks, with a made-up column set (Chinese
//! and English names) so that no reader's own rules are involved.

use super::*;
use crate::lists::MAX_FILE_BYTES;
use rust_xlsxwriter::Workbook as XlsxBook;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Number,
    Description,
    Unit,
    Deadline,
}

const NAMES: &[(&[&str], Col)] = &[
    (&["序号", "No."], Col::Number),
    (&["问题描述", "Description"], Col::Description),
    (&["责任单位", "Unit"], Col::Unit),
    (&["整改时限", "Deadline"], Col::Deadline),
];

fn recognise(text: &str) -> Option<Col> {
    column_named(NAMES, text)
}

/// A grid of texts, as a loaded worksheet holds them (merged cells already filled in).
fn grid(rows: &[&[&str]]) -> Grid {
    let rows = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|t| Cell {
                    text: (*t).to_string(),
                    ..Cell::default()
                })
                .collect()
        })
        .collect();
    Grid { rows }
}

/// A workbook of named worksheets, each given as rows of texts from A1.
fn workbook(sheets: &[(&str, &[&[&str]])]) -> Vec<u8> {
    let mut wb = XlsxBook::new();
    for &(name, rows) in sheets {
        let ws = wb.add_worksheet().set_name(name).unwrap();
        for (r, row) in (0u32..).zip(rows) {
            ws.write_row(r, 0, row.iter().copied()).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

/// What the made-up reader requires: a description and a unit.
fn lacks(layout: &Layout<Col>) -> Vec<String> {
    [(Col::Description, "问题描述"), (Col::Unit, "责任单位")]
        .into_iter()
        .filter(|&(c, _)| !layout.has(c))
        .map(|(_, name)| name.to_string())
        .collect()
}

fn first_sheet(bytes: &[u8]) -> Result<FoundSheet<Layout<Col>>, FileError> {
    first_sheet_with_header(
        bytes,
        &Limits::default(),
        |g| Layout::find(g, recognise),
        lacks,
        |sheets| FileError::NoProblemListHeader { sheets },
    )
}

fn columns(layout: &Layout<Col>) -> Vec<(Col, &str, u32)> {
    layout
        .columns
        .iter()
        .map(|m| (m.column, m.header.as_str(), m.index))
        .collect()
}

const BANNER: &str = "2026年问题整改清单";

#[test]
fn the_header_is_found_on_row_3_below_a_merged_banner_and_a_unit_line() {
    let g = grid(&[
        &[BANNER, BANNER, BANNER],
        &["填报单位：市住建局", "", ""],
        &["序号", "问题描述", "责任单位"],
        &["1", "河道垃圾", "市城管局"],
    ]);
    let layout = Layout::find(&g, recognise).unwrap();
    assert_eq!((layout.row, layout.data_start), (2, 3));
    assert_eq!(
        columns(&layout),
        [
            (Col::Number, "序号", 0),
            (Col::Description, "问题描述", 1),
            (Col::Unit, "责任单位", 2),
        ]
    );
    assert_eq!(layout.texts_above(&g), [BANNER, "填报单位：市住建局"]);
}

#[test]
fn a_grid_whose_top_rows_name_fewer_than_two_columns_has_no_header() {
    let g = grid(&[&[BANNER], &["问题描述", "督查意见"], &["1", "河道垃圾"]]);
    assert!(Layout::find(&g, recognise).is_none());
}

#[test]
fn unknown_columns_and_the_second_header_of_a_column_are_ignored() {
    let g = grid(&[&["督查意见", "问题描述", "责任单位", "问题描述", "", "备注"]]);
    let layout = Layout::find(&g, recognise).unwrap();
    assert_eq!(
        columns(&layout),
        [
            (Col::Description, "问题描述", 1),
            (Col::Unit, "责任单位", 2)
        ]
    );
    assert_eq!(layout.ignored, ["督查意见", "备注", "问题描述"]);
}

#[test]
fn english_headers_are_recognised_by_their_listed_names() {
    let g = grid(&[&[
        "No.",
        "Description",
        "Unit",
        "Deadline (working days)",
        "Notes",
    ]]);
    let layout = Layout::find(&g, recognise).unwrap();
    assert_eq!(
        columns(&layout),
        [
            (Col::Number, "No.", 0),
            (Col::Description, "Description", 1),
            (Col::Unit, "Unit", 2),
            (Col::Deadline, "Deadline (working days)", 3),
        ]
    );
    assert_eq!(layout.ignored, ["Notes"]);
}

#[test]
fn a_two_row_header_is_folded_and_data_starts_below_it() {
    let g = grid(&[
        &["序号", "问题描述", "整改情况", "整改情况"],
        &["序号", "问题描述", "责任单位", "整改时限"],
        &["1", "河道垃圾", "市城管局", "6月底"],
    ]);
    let layout = Layout::find(&g, recognise).unwrap();
    assert_eq!((layout.row, layout.data_start), (0, 2));
    assert!(layout.has(Col::Unit) && layout.has(Col::Deadline));
    assert_eq!(layout.header(Col::Deadline).as_deref(), Some("整改时限"));
}

#[test]
fn names_are_compared_after_normalising_and_exactly() {
    assert_eq!(recognise(" 问题\n描述 "), Some(Col::Description));
    assert_eq!(recognise("*责任单位（盖章）"), Some(Col::Unit));
    assert_eq!(recognise("整改时限(工作日)"), Some(Col::Deadline));
    assert_eq!(recognise(BANNER), None);
    assert_eq!(recognise("description"), None);
    assert_eq!(recognise(""), None);
}

#[test]
fn data_rows_skip_blanks_notes_headings_and_rows_with_only_a_number() {
    let g = grid(&[
        &["序号", "问题描述", "责任单位"],
        &["1", "河道垃圾", "市城管局"],
        &["", "", ""],
        &["一、环保督察", "一、环保督察", "一、环保督察"],
        &["2", "", ""],
        &["", "", "市住建局"],
        &["注：单位名称写全称", "", ""],
    ]);
    let layout = Layout::find(&g, recognise).unwrap();
    assert_eq!(layout.data_rows(&g, Col::Number), [1, 5]);
}

#[test]
fn cells_are_looked_up_by_column_and_a_missing_column_reads_empty() {
    let g = grid(&[&["问题描述", "责任单位"], &["  河道垃圾 ", ""]]);
    let layout = Layout::find(&g, recognise).unwrap();
    assert_eq!(layout.text(&g, 1, Col::Description), "河道垃圾");
    assert_eq!(layout.text(&g, 1, Col::Deadline), "");
    assert!(layout.filled_cell(&g, 1, Col::Description).is_some());
    assert!(layout.filled_cell(&g, 1, Col::Unit).is_none());
    assert!(layout.filled_cell(&g, 1, Col::Deadline).is_none());
    assert_eq!(
        layout.raw(&g, 1),
        [
            (Col::Description, "  河道垃圾 ".to_string()),
            (Col::Unit, String::new())
        ]
    );
    assert_eq!(layout.header(Col::Deadline), None);
}

#[test]
fn the_first_complete_sheet_is_read_after_an_instructions_sheet() {
    let bytes = workbook(&[
        ("填表说明", &[&["状态请填：未启动、整改中"]]),
        ("问题清单", &[&[BANNER], &["问题描述", "责任单位"]]),
    ]);
    let found = first_sheet(&bytes).unwrap();
    assert_eq!(found.name, "问题清单");
    assert_eq!(found.header.row, 1);
}

#[test]
fn a_missing_required_column_is_named_from_the_first_incomplete_header() {
    let bytes = workbook(&[
        ("一", &[&["序号", "问题描述", "整改时限"]]),
        ("二", &[&["序号", "责任单位", "整改时限"]]),
    ]);
    let Err(e) = first_sheet(&bytes) else {
        panic!("a sheet without 责任单位 was read");
    };
    assert_eq!(e, FileError::MissingColumns(vec!["责任单位".into()]));
}

#[test]
fn a_complete_header_on_a_later_sheet_wins_over_an_incomplete_one() {
    let bytes = workbook(&[
        ("一", &[&["序号", "问题描述"]]),
        ("二", &[&["Description", "Unit"]]),
    ]);
    assert_eq!(first_sheet(&bytes).unwrap().name, "二");
}

#[test]
fn a_workbook_without_a_header_names_its_sheets() {
    let bytes = workbook(&[("一", &[&[BANNER]]), ("二", &[&["督查意见", "备注"]])]);
    let Err(e) = first_sheet(&bytes) else {
        panic!("a sheet without a header was read");
    };
    assert_eq!(
        e,
        FileError::NoProblemListHeader {
            sheets: vec!["一".into(), "二".into()]
        }
    );
}

#[test]
fn bytes_too_many_or_no_xlsx_are_refused_before_any_sheet_is_read() {
    let big = vec![0u8; MAX_FILE_BYTES + 1];
    assert!(matches!(
        first_sheet(&big),
        Err(FileError::TooLarge { bytes, max: MAX_FILE_BYTES }) if bytes == MAX_FILE_BYTES + 1
    ));
    assert!(matches!(
        first_sheet(b"not a workbook"),
        Err(FileError::SaveAsXlsx { .. })
    ));
}
