//! Workbooks other than .xlsx: .xls and .ods are read like .xlsx (format told by content, not
//! name) within the same bounds; CSV, a WPS .et and an encrypted workbook are refused with a
//! message to save as .xlsx. Fixtures in tests/formats/ (made by make.py there).

use duban_docs::cases::read_problem_list_within;
use duban_docs::lists::read_task_list_within;
use duban_docs::progress::read_progress_sheet_within;
use duban_docs::{FileError, Found, Limit, Limits};
use std::io::{Cursor, Read, Write};
use std::path::PathBuf;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/formats")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The refusal every reader gives (they must agree).
fn refusal(bytes: &[u8]) -> FileError {
    let limits = Limits::default();
    let a = read_task_list_within(bytes, 2026, &limits).expect_err("task list");
    let b = read_problem_list_within(bytes, &limits).expect_err("problem list");
    let c = read_progress_sheet_within(bytes, 2026, &limits).expect_err("progress sheet");
    assert_eq!(a, b);
    assert_eq!(a, c);
    a
}

fn titles_and_units(bytes: &[u8]) -> Vec<(String, String, String)> {
    let sheet = read_task_list_within(bytes, 2026, &Limits::default()).expect("reads");
    assert_eq!(sheet.problem_count(), 0, "{:?}", sheet.rows);
    sheet
        .rows
        .iter()
        .map(|r| (r.title.clone(), r.lead_unit.clone(), format!("{:?}", r.due)))
        .collect()
}

#[test]
fn an_xls_and_an_ods_read_as_the_same_task_list() {
    let xls = titles_and_units(&fixture("list.xls"));
    let ods = titles_and_units(&fixture("list.ods"));
    assert_eq!(xls.len(), 2, "{xls:?}");
    assert_eq!(xls[0].0, "建成产业园");
    assert_eq!(xls[1].1, "市住建局");
    assert!(xls[0].2.contains("2026-12-31"), "{xls:?}");
    assert_eq!(xls, ods);
}

#[test]
fn the_format_is_told_by_content_not_by_name() {
    // The readers take bytes only; an .ods renamed .xlsx is the same bytes.
    assert_eq!(
        titles_and_units(&fixture("list.ods")).len(),
        2,
        "an .ods is read whatever it is called"
    );
}

#[test]
fn a_far_cell_in_an_xls_is_refused_before_the_sheet_is_laid_out() {
    // Its DIMENSIONS record declares the rectangle first.
    let e = refusal(&fixture("far.xls"));
    assert!(
        matches!(e, FileError::OverLimit(Limit::Dimension { .. })),
        "{e:?}"
    );
}

#[test]
fn repeated_cells_of_an_ods_are_counted_before_they_are_copied() {
    assert!(matches!(
        refusal(&fixture("repeat.ods")),
        FileError::OverLimit(Limit::Columns { .. } | Limit::Cells { .. })
    ));
    let e = refusal(&fixture("far.ods"));
    assert!(
        matches!(
            e,
            FileError::OverLimit(Limit::Rows { .. } | Limit::Cells { .. })
        ),
        "{e:?}"
    );
}

#[test]
fn lowered_bounds_hold_for_xls_and_ods_too() {
    let limits = Limits {
        max_cells: 4,
        ..Limits::default()
    };
    for name in ["list.xls", "list.ods"] {
        let e = read_task_list_within(&fixture(name), 2026, &limits).unwrap_err();
        assert!(
            matches!(
                e,
                FileError::OverLimit(Limit::Cells { .. } | Limit::Dimension { .. })
            ),
            "{name}: {e:?}"
        );
    }
}

/// A compound file with the .xls's workbook stream and the given extra streams.
fn compound(extra: &[&str]) -> Vec<u8> {
    let xls = fixture("list.xls");
    let mut source = cfb::CompoundFile::open(Cursor::new(xls)).unwrap();
    let mut workbook = Vec::new();
    source
        .open_stream("/Workbook")
        .unwrap()
        .read_to_end(&mut workbook)
        .unwrap();
    let mut out =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).unwrap();
    out.create_stream("/Workbook")
        .unwrap()
        .write_all(&workbook)
        .unwrap();
    for name in extra {
        out.create_stream(format!("/{name}"))
            .unwrap()
            .write_all(b"wps")
            .unwrap();
    }
    out.flush().unwrap();
    out.into_inner().into_inner()
}

#[test]
fn a_plain_compound_workbook_reads_as_xls() {
    assert_eq!(titles_and_units(&compound(&[])).len(), 2);
}

#[test]
fn csv_et_and_encrypted_files_are_refused_with_save_as_xlsx() {
    for (bytes, found) in [
        (fixture("list.csv"), Found::Text),
        (compound(&["ETExtData"]), Found::Et),
        (compound(&["EncryptedPackage"]), Found::Encrypted),
    ] {
        let e = refusal(&bytes);
        assert_eq!(e, FileError::SaveAsXlsx { found });
        assert!(e.zh().contains("请另存为 .xlsx"), "{}", e.zh());
        assert!(e.to_string().contains("save it as .xlsx"), "{e}");
    }
}

/// A xorshift generator: the same mutations on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

#[test]
fn seeded_mutations_of_the_xls_and_ods_never_panic() {
    // A .xls is not compressed, so flipped bytes reach calamine's record parser; in the .ods
    // they mostly reach the zip reader.
    let seeds = [fixture("list.xls"), fixture("list.ods"), compound(&[])];
    let mut rng = Rng(0x000D_D5EE_D50F_CAFE);
    let limits = Limits::default();
    for i in 0..MUTATIONS {
        let mut bytes = seeds[i % seeds.len()].clone();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(bytes.len());
            match rng.below(3) {
                0 => bytes[at] ^= 1 << rng.below(8),
                1 => bytes[at] = rng.below(256) as u8,
                _ => bytes.truncate(at.max(1)),
            }
        }
        // Any answer will do, as long as it is one (no panic, no abort).
        let _ = read_task_list_within(&bytes, 2026, &limits);
        let _ = read_progress_sheet_within(&bytes, 2026, &limits);
    }
}

const MUTATIONS: usize = 3000;
