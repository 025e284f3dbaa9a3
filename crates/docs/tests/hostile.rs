//! Hostile spreadsheets: each is refused quickly, naming the bound it goes past, and nothing
//! panics. The files are written here, by hand, as zip packages of XML (so a test can say
//! exactly what a file claims); the small ones are also kept in `tests/corpus/` as seeds of
//! the mutation pass at the end, which runs a fixed number of seeded mutations through every
//! reader. `cargo test -p duban-docs --test hostile -- --ignored write_corpus` rewrites the
//! corpus.

use duban_docs::cases::read_problem_list_within;
use duban_docs::lists::read_task_list_within;
use duban_docs::progress::read_progress_sheet_within;
use duban_docs::{FileError, Limit, Limits};
use std::io::Write;
use std::path::PathBuf;
use zip::write::SimpleFileOptions;

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// A zip package of the given parts, deflated.
fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A workbook of one worksheet `清单` with `sheet_data` (the XML inside `<sheetData>`), an
/// optional `<dimension ref>` and optional shared strings (the XML inside `<sst>`).
fn workbook(dimension: Option<&str>, sheet_data: &str, shared: Option<&str>) -> Vec<u8> {
    let types = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>{}</Types>"#,
        if shared.is_some() {
            r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#
        } else {
            ""
        }
    );
    let rels = format!(
        r#"<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let book = format!(
        r#"<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="清单" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let book_rels = format!(
        r#"<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>{}</Relationships>"#,
        if shared.is_some() {
            format!(
                r#"<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>"#
            )
        } else {
            String::new()
        }
    );
    let dimension = dimension.map_or(String::new(), |d| format!(r#"<dimension ref="{d}"/>"#));
    let sheet = format!(
        r#"<worksheet xmlns="{MAIN}">{dimension}<sheetData>{sheet_data}</sheetData></worksheet>"#
    );
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("xl/workbook.xml", book.as_bytes()),
        ("xl/_rels/workbook.xml.rels", book_rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    let sst = shared.map(|s| format!(r#"<sst xmlns="{MAIN}">{s}</sst>"#));
    if let Some(sst) = &sst {
        parts.push(("xl/sharedStrings.xml", sst.as_bytes()));
    }
    package(&parts)
}

fn text_cell(at: &str, text: &str) -> String {
    format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// The header row of a task list: 序号, 任务名称, 牵头单位.
fn header() -> String {
    format!(
        r#"<row r="1">{}{}{}</row>"#,
        text_cell("A1", "序号"),
        text_cell("B1", "任务名称"),
        text_cell("C1", "牵头单位")
    )
}

fn task_row(r: u32) -> String {
    format!(
        r#"<row r="{r}">{}{}{}</row>"#,
        text_cell(&format!("A{r}"), "1"),
        text_cell(&format!("B{r}"), "低效工业用地整治"),
        text_cell(&format!("C{r}"), "市经信局")
    )
}

/// Every hostile file by name, with the refusal it must get under the default limits.
fn hostile() -> Vec<(&'static str, Vec<u8>)> {
    let far = format!(
        r#"{}<row r="1048576">{}</row>"#,
        header(),
        text_cell("XFD1048576", "x")
    );
    let claim = format!("{}{}", header(), task_row(2));
    let long = "a".repeat(10 * 1024 * 1024);
    let shared = format!(r#"<si><t>{long}</t></si>"#);
    // 50,000 copies of one row, without row numbers (each `</row>` moves on a row).
    let copied = format!(
        "{}{}",
        header(),
        r#"<row><c t="s"><v>0</v></c><c t="s"><v>0</v></c></row>"#.repeat(50_000)
    );
    vec![
        ("far-cell.xlsx", workbook(None, &far, None)),
        (
            "dimension.xlsx",
            workbook(Some("A1:XFD1048576"), &claim, None),
        ),
        (
            "shared-string.xlsx",
            workbook(None, &header(), Some(&shared)),
        ),
        (
            "copied-rows.xlsx",
            workbook(None, &copied, Some("<si><t>复制</t></si>")),
        ),
        ("bomb.xlsx", bomb()),
        ("not-zip.xlsx", b"name,unit\nroads,transport\n".to_vec()),
        ("truncated.xlsx", {
            let whole = workbook(None, &claim, None);
            whole[..whole.len() / 2].to_vec()
        }),
    ]
}

/// 33 MiB of spaces in the worksheet: past the part bound (32 MiB), 33 KiB on disk.
fn bomb() -> Vec<u8> {
    let spaces = " ".repeat(33 * 1024 * 1024);
    let sheet = format!(r#"<worksheet xmlns="{MAIN}"><sheetData>{spaces}</sheetData></worksheet>"#);
    let mut book = zip::ZipArchive::new(std::io::Cursor::new(workbook(None, "", None))).unwrap();
    let mut parts = Vec::new();
    for i in 0..book.len() {
        let mut f = book.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        parts.push((f.name().unwrap().to_string(), bytes));
    }
    let parts: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, b)| {
            let b: &[u8] = if n.ends_with("sheet1.xml") {
                sheet.as_bytes()
            } else {
                b
            };
            (n.as_str(), b)
        })
        .collect();
    package(&parts)
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn corpus(name: &str) -> Vec<u8> {
    std::fs::read(corpus_dir().join(name)).unwrap_or_else(|e| panic!("corpus file {name}: {e}"))
}

fn read_all(bytes: &[u8], limits: &Limits) -> [Result<(), FileError>; 3] {
    [
        read_task_list_within(bytes, 2026, limits).map(drop),
        read_problem_list_within(bytes, limits).map(drop),
        read_progress_sheet_within(bytes, 2026, limits).map(drop),
    ]
}

/// The refusal every reader gives `bytes` under the default limits (they must agree).
fn refusal(name: &str) -> FileError {
    let bytes = corpus(name);
    let [a, b, c] = read_all(&bytes, &Limits::default());
    let a = a.expect_err(name);
    assert_eq!(Err(a.clone()), b, "{name}");
    assert_eq!(Err(a.clone()), c, "{name}");
    a
}

#[test]
#[ignore = "rewrites tests/corpus"]
fn write_corpus() {
    std::fs::create_dir_all(corpus_dir()).unwrap();
    for (name, bytes) in hostile() {
        std::fs::write(corpus_dir().join(name), bytes).unwrap();
    }
    let fine = format!("{}{}", header(), task_row(2));
    std::fs::write(
        corpus_dir().join("fine.xlsx"),
        workbook(Some("A1:C2"), &fine, None),
    )
    .unwrap();
}

#[test]
fn the_corpus_is_what_the_generators_write() {
    for (name, bytes) in hostile() {
        let kept = corpus(name);
        assert_eq!(kept.len(), bytes.len(), "{name}: rerun write_corpus");
        assert!(kept.len() < 64 * 1024, "{name} is {} bytes", kept.len());
    }
}

#[test]
fn a_plain_file_from_the_same_generator_reads() {
    let sheet = read_task_list_within(&corpus("fine.xlsx"), 2026, &Limits::default()).unwrap();
    assert_eq!(sheet.rows.len(), 1);
    assert_eq!(sheet.rows[0].title, "低效工业用地整治");
}

#[test]
fn one_cell_at_xfd1048576_is_refused_by_the_row_bound() {
    let e = refusal("far-cell.xlsx");
    assert_eq!(
        e,
        FileError::OverLimit(Limit::Rows {
            sheet: "清单".into(),
            max: 20_000
        })
    );
    assert_eq!(e.zh(), "文件超出读取限制：工作表“清单”超过20000行");
    assert_eq!(
        e.to_string(),
        "the file is refused: sheet 清单 has values below row 20000"
    );
}

#[test]
fn a_dimension_claiming_the_whole_sheet_is_refused_before_any_cell_is_read() {
    let e = refusal("dimension.xlsx");
    assert_eq!(
        e,
        FileError::OverLimit(Limit::Dimension {
            sheet: "清单".into(),
            range: "A1:XFD1048576".into(),
            max_rows: 20_000,
            max_columns: 200,
        })
    );
    assert!(e.zh().contains("A1:XFD1048576"), "{}", e.zh());
}

#[test]
fn a_10_mb_shared_string_is_refused_by_the_cell_bound() {
    assert_eq!(
        refusal("shared-string.xlsx"),
        FileError::OverLimit(Limit::CellChars { max: 32_767 })
    );
}

#[test]
fn fifty_thousand_copied_rows_are_refused_by_the_row_bound() {
    assert_eq!(
        refusal("copied-rows.xlsx"),
        FileError::OverLimit(Limit::Rows {
            sheet: "清单".into(),
            max: 20_000
        })
    );
}

#[test]
fn a_zip_bomb_is_refused_by_the_part_bound() {
    assert_eq!(
        refusal("bomb.xlsx"),
        FileError::OverLimit(Limit::PartBytes {
            part: "xl/worksheets/sheet1.xml".into(),
            max: 32 * 1024 * 1024
        })
    );
}

/// The bomb with its worksheet's stated size (local header and central directory) set to
/// 1,000 bytes.
fn understated_bomb() -> Vec<u8> {
    let mut bytes = corpus("bomb.xlsx");
    let name = b"xl/worksheets/sheet1.xml";
    let mut at = 0;
    while let Some(i) = bytes[at..]
        .windows(4)
        .position(|w| w == b"PK\x01\x02" || w == b"PK\x03\x04")
    {
        let i = at + i;
        let central = bytes[i + 2] == 1;
        let (size_at, name_at) = if central { (24, 46) } else { (22, 30) };
        if bytes.get(i + name_at..i + name_at + name.len()) == Some(name) {
            bytes[i + size_at..i + size_at + 4].copy_from_slice(&1000u32.to_le_bytes());
        }
        at = i + 4;
    }
    bytes
}

#[test]
fn a_part_whose_header_understates_its_size_is_still_refused() {
    let [e, ..] = read_all(&understated_bomb(), &Limits::default());
    assert!(
        matches!(
            e,
            Err(FileError::OverLimit(Limit::PartBytes { .. })) | Err(FileError::NotXlsx(_))
        ),
        "{e:?}"
    );
}

#[test]
fn the_total_of_all_parts_is_bounded() {
    let limits = Limits {
        max_unpacked_bytes: 1024,
        ..Limits::default()
    };
    let [e, ..] = read_all(&corpus("fine.xlsx"), &limits);
    assert_eq!(
        e,
        Err(FileError::OverLimit(Limit::UnpackedBytes { max: 1024 }))
    );
}

#[test]
fn a_csv_named_xlsx_is_refused_as_text_and_a_truncated_zip_as_no_xlsx() {
    assert!(matches!(
        refusal("not-zip.xlsx"),
        FileError::SaveAsXlsx {
            found: duban_docs::Found::Text
        }
    ));
    assert!(matches!(refusal("truncated.xlsx"), FileError::NotXlsx(_)));
}

#[test]
fn every_bound_can_be_lowered_and_then_refuses_the_plain_file() {
    let fine = corpus("fine.xlsx");
    type Expected = fn(&FileError) -> bool;
    let cases: Vec<(Limits, Expected)> = vec![
        (
            Limits {
                max_parts: 3,
                ..Limits::default()
            },
            |e| matches!(e, FileError::OverLimit(Limit::Parts { max: 3 })),
        ),
        (
            Limits {
                max_token_bytes: 16,
                ..Limits::default()
            },
            |e| matches!(e, FileError::OverLimit(Limit::Token { .. })),
        ),
        (
            Limits {
                max_elements: 2,
                ..Limits::default()
            },
            |e| matches!(e, FileError::OverLimit(Limit::Elements { .. })),
        ),
        (
            Limits {
                max_columns: 2,
                ..Limits::default()
            },
            |e| matches!(e, FileError::OverLimit(Limit::Dimension { .. })),
        ),
        (
            Limits {
                max_cells: 5,
                ..Limits::default()
            },
            |e| matches!(e, FileError::OverLimit(Limit::Cells { max: 5, .. })),
        ),
        (
            Limits {
                max_cell_chars: 3,
                ..Limits::default()
            },
            |e| matches!(e, FileError::OverLimit(Limit::CellChars { max: 3 })),
        ),
        (
            Limits {
                max_text_bytes: 10,
                ..Limits::default()
            },
            |e| matches!(e, FileError::OverLimit(Limit::TextBytes { .. })),
        ),
        (
            Limits {
                max_time: std::time::Duration::ZERO,
                ..Limits::default()
            },
            |e| matches!(e, FileError::OverLimit(Limit::Time { .. })),
        ),
        (
            Limits {
                max_file_bytes: 100,
                ..Limits::default()
            },
            |e| matches!(e, FileError::TooLarge { max: 100, .. }),
        ),
    ];
    for (limits, expected) in cases {
        let [e, ..] = read_all(&fine, &limits);
        let e = e.expect_err("refused");
        assert!(expected(&e), "{limits:?}: {e:?}");
        assert!(!e.zh().is_empty());
    }
}

/// xorshift64: the same mutations on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One mutation: flip, overwrite, cut, repeat a slice, or splice in bytes of another seed.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>, other: &[u8]) {
    if bytes.is_empty() {
        bytes.extend_from_slice(other);
        return;
    }
    let at = rng.below(bytes.len());
    match rng.below(5) {
        0 => bytes[at] ^= 1 << rng.below(8),
        1 => bytes[at] = rng.next() as u8,
        2 => bytes.truncate(at),
        3 => {
            let len = rng.below(64).min(bytes.len() - at);
            let slice = bytes[at..at + len].to_vec();
            bytes.splice(at..at, slice);
        }
        _ => {
            let from = rng.below(other.len());
            let len = rng.below(256).min(other.len() - from);
            bytes.splice(at..at, other[from..from + len].iter().copied());
        }
    }
}

#[test]
fn seeded_mutations_of_the_corpus_never_panic() {
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .filter(|b| b.len() < 16 * 1024)
        .collect();
    // Unpacked seeds too: mutating XML reaches the parsers, mutating deflate mostly the CRC.
    let fine = format!("{}{}", header(), task_row(2));
    let xml = fine.into_bytes();
    seeds.sort();
    let limits = Limits::default();
    let mut rng = Rng(0x5EED_D00B_A115_EED5);
    for i in 0..400 {
        let seed = &seeds[i % seeds.len()];
        let other = &seeds[rng.below(seeds.len())];
        let bytes = if i % 2 == 0 {
            let mut b = seed.clone();
            for _ in 0..1 + rng.below(4) {
                mutate(&mut rng, &mut b, other);
            }
            b
        } else {
            let mut sheet = xml.clone();
            for _ in 0..1 + rng.below(4) {
                mutate(&mut rng, &mut sheet, &xml);
            }
            workbook(None, &String::from_utf8_lossy(&sheet), None)
        };
        // Any answer will do, as long as it is one (no panic, no abort).
        let _ = read_all(&bytes, &limits);
    }
}
