//! The reply letter and the feedback form opened by LibreOffice (converted headless to PDF and
//! read back with pdftotext, the Chinese text intact); the summary read back as a sheet.

use super::*;
use jiff::civil::date;
use std::path::Path;
use std::process::Command;

fn letter() -> ReplyLetter {
    ReplyLetter {
        noun: "建议".into(),
        proposer_word: "代表".into(),
        number: "J2026-068".into(),
        title: "关于增设工业园区公交线路的建议".into(),
        proposers: vec!["王建国".into(), "李秀英".into()],
        unit: "永康市交通运输局".into(),
        co_units: vec!["市发改局".into()],
        class: "B类（正在解决）".into(),
        body: "已将该线路列入2027年公交线网优化方案。\n预计明年上半年开通。".into(),
        signed_on: date(2026, 5, 18),
        round: 1,
        copy_to: vec!["市人大常委会代表工委".into(), "市政府办公室".into()],
    }
}

/// The text of a .docx as LibreOffice lays it out: converted to PDF, then read back.
/// `None` when LibreOffice or pdftotext is not installed (outside CI only).
fn as_pdf_text(dir: &Path, name: &str, bytes: &[u8]) -> Option<String> {
    let have = |tool: &str, arg: &str| {
        Command::new(tool)
            .arg(arg)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !have("soffice", "--version") || !have("pdftotext", "-v") {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must have LibreOffice and pdftotext (scripts/test.sh installs them)"
        );
        eprintln!("LibreOffice or pdftotext missing: the PDF check is skipped");
        return None;
    }
    let docx = dir.join(format!("{name}.docx"));
    std::fs::write(&docx, bytes).expect("write the .docx");
    // A profile of its own, so a LibreOffice already running elsewhere does not take the job.
    let profile = format!("-env:UserInstallation=file://{}", dir.join("lo").display());
    let out = Command::new("soffice")
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir)
        .arg(&docx)
        .output()
        .expect("run soffice");
    assert!(out.status.success(), "soffice: {out:?}");
    let pdf = dir.join(format!("{name}.pdf"));
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(text.status.success(), "pdftotext: {text:?}");
    Some(String::from_utf8(text.stdout).expect("utf-8"))
}

#[test]
fn the_reply_letter_and_its_feedback_form_open_in_libreoffice_with_the_chinese_intact() {
    let dir = tempfile_dir();
    let reply = write_reply_docx(&letter()).expect("reply");
    let form = write_feedback_docx(&letter()).expect("form");
    assert!(reply.starts_with(b"PK") && form.starts_with(b"PK"));
    if let Some(text) = as_pdf_text(&dir, "reply", &reply) {
        // pdftotext may break a line anywhere; compare without whitespace.
        let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        for expected in [
            "永康市交通运输局",
            "答复函",
            "关于第J2026-068号建议的答复",
            "王建国、李秀英代表：",
            "《关于增设工业园区公交线路的建议》",
            "已将该线路列入2027年公交线网优化方案。",
            "本答复已征求市发改局（协办单位）意见。",
            "办理结果类别：B类（正在解决）。",
            "2026年5月18日",
            "抄送：市人大常委会代表工委，市政府办公室。",
        ] {
            assert!(flat.contains(expected), "{expected} in\n{text}");
        }
    }
    if let Some(text) = as_pdf_text(&dir, "form", &form) {
        let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        for expected in [
            "建议办理征询意见表",
            "J2026-068",
            "□满意□基本满意□不满意",
            "承办单位不得代为填写",
        ] {
            assert!(flat.contains(expected), "{expected} in\n{text}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempfile_dir() -> std::path::PathBuf {
    // One folder per run and test process (the PDF check runs once per process).
    let dir = std::env::temp_dir().join(format!(
        "duban-docs-reply-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn the_summary_has_the_columns_of_the_handling_summary_and_a_row_per_item() {
    let mut row: SummaryRow = Default::default();
    row[0] = "J2026-068".into();
    row[1] = "关于增设工业园区公交线路的建议".into();
    row[18] = "B".into();
    let bytes = write_summary_xlsx("2026年建议提案办理情况汇总表", &[row]).expect("xlsx");
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("open");
    let range = book.worksheet_range("办理情况汇总表").expect("sheet");
    let cell = |r: u32, c: u32| range.get_value((r, c)).map(|v| v.to_string());
    assert_eq!(cell(0, 0).as_deref(), Some("2026年建议提案办理情况汇总表"));
    assert_eq!(cell(1, 14).as_deref(), Some("见面（三个一）记录"));
    assert_eq!(cell(1, 20).as_deref(), Some("是否不满意重办"));
    assert_eq!(cell(2, 0).as_deref(), Some("J2026-068"));
    assert_eq!(cell(2, 18).as_deref(), Some("B"));
}
