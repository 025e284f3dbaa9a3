use super::*;
use duban_core::assessment::bulletin::content::{
    Item, Mention, RankGroup, RankLine, Ranking, TaskFigures,
};
use jiff::civil::date;
use std::io::Read;
use std::process::Command;

fn content() -> Content {
    let unit = |u: &str, t: &str| UnitItems {
        unit: u.into(),
        items: vec![Item {
            title: t.into(),
            due: Some(date(2026, 9, 30)),
            progress: 60,
        }],
    };
    Content {
        title: "关于2026年10月全市重点工作推进情况的通报".into(),
        period: "2026-10".into(),
        period_name: "2026年10月".into(),
        issuer: "永康市督查考核办公室".into(),
        as_of: date(2026, 11, 4),
        tasks: TaskFigures {
            total: 20,
            green: 14,
            yellow: 4,
            red: 2,
            overdue: 1,
            progress_tenths: 725,
            expected_tenths: 800,
        },
        overdue: vec![unit("市交通运输局", "城区主干道提升改造")],
        red: vec![
            unit("东城街道", "老旧小区改造"),
            unit("市交通运输局", "城区主干道提升改造"),
        ],
        ranking: Some(Ranking {
            period: "2026-10".into(),
            scheme_version: 1,
            groups: vec![RankGroup {
                name: "市级部门".into(),
                rows: (1..=12)
                    .map(|i| RankLine {
                        rank: i,
                        unit: format!("市第{i}局"),
                        total: 10000 - i64::from(i) * 75,
                        change: Some(i64::from(i % 3) - 1),
                        stars: (5 - (i / 3).min(4)) as u8,
                    })
                    .collect(),
            }],
        }),
        praised: vec![Mention {
            unit: "西城街道".into(),
            day: date(2026, 10, 20),
            reason: "企业服务做法获市委主要领导批示肯定".into(),
            points: 200,
        }],
        criticised: vec![],
        charts: vec![],
    }
}

fn printable<'a>(c: &'a Content, m: &'a Commentary) -> Printable<'a> {
    Printable {
        content: c,
        commentary: m,
        number: Some("永督通〔2026〕5号"),
        issued_on: Some(date(2026, 11, 5)),
    }
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn the_outline_runs_from_the_overview_to_the_requirements() {
    let c = content();
    let m = Commentary::suggested(&c);
    let heads: Vec<String> = outline(&printable(&c, &m))
        .into_iter()
        .filter_map(|p| match p {
            Piece::Heading1(t) => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(
        heads,
        [
            "一、总体情况",
            "二、逾期和亮红灯任务",
            "三、考核排名",
            "四、表扬和批评",
            "五、存在问题",
            "六、下步工作要求"
        ]
    );
}

#[test]
fn the_docx_has_the_red_header_number_fonts_tables_and_page_numbers() {
    let c = content();
    let m = Commentary::suggested(&c);
    let bytes = write_docx(&printable(&c, &m)).unwrap();
    let xml = unzip(&bytes, "word/document.xml");
    for want in [
        "永督通〔2026〕5号",
        "永康市督查考核办公室",
        "E00000",
        "方正小标宋简体",
        "黑体",
        "楷体_GB2312",
        "仿宋_GB2312",
        "市第12局",
        "★★★★★",
        "2026年11月5日",
    ] {
        assert!(xml.contains(want), "{want}");
    }
    let footer = unzip(&bytes, "word/footer1.xml");
    assert!(footer.contains("PAGE") && footer.contains("— "), "{footer}");
}

#[test]
fn the_xlsx_has_a_sheet_per_table() {
    let c = content();
    let m = Commentary::suggested(&c);
    let bytes = write_xlsx(&printable(&c, &m)).unwrap();
    let book = unzip(&bytes, "xl/workbook.xml");
    for name in ["总体情况", "逾期任务", "红灯任务", "市级部门"] {
        assert!(book.contains(name), "{name}: {book}");
    }
    let strings = unzip(&bytes, "xl/sharedStrings.xml");
    assert!(strings.contains("城区主干道提升改造") && strings.contains("永督通〔2026〕5号"));
    let sheet = unzip(&bytes, "xl/worksheets/sheet4.xml");
    assert!(sheet.contains(r#"paperSize="9""#));
}

fn text_of_pdf(path: &std::path::Path) -> Option<String> {
    let out = Command::new("pdftotext").arg(path).arg("-").output().ok()?;
    Some(
        String::from_utf8_lossy(&out.stdout)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect(),
    )
}

#[test]
fn the_pdf_names_the_units_and_the_number() {
    let Some(font) = duban_pdf::find_font(&duban_pdf::fallback_fonts()) else {
        println!("no CJK font installed (fonts-wqy-microhei): PDF not checked");
        return;
    };
    let c = content();
    let m = Commentary::suggested(&c);
    let pdf = duban_pdf::render(&pdf_document(&printable(&c, &m)), &font).unwrap();
    let dir = std::env::temp_dir().join("duban-bulletin-pdf");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bulletin.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let Some(text) = text_of_pdf(&path) else {
        println!("pdftotext is not installed (poppler-utils): PDF text not checked");
        return;
    };
    for want in [
        "永督通〔2026〕5号",
        "东城街道",
        "市交通运输局",
        "市第12局",
        "西城街道",
        "六、下步工作要求",
        "—1—",
    ] {
        assert!(text.contains(want), "{want} not in {text}");
    }
}

#[test]
fn libreoffice_opens_the_docx_and_reads_its_text() {
    if Command::new("soffice").arg("--version").output().is_err() {
        println!("soffice (LibreOffice) is not installed: the .docx conversion is not checked");
        return;
    }
    let c = content();
    let m = Commentary::suggested(&c);
    let bytes = write_docx(&printable(&c, &m)).unwrap();
    let dir = std::env::temp_dir().join(format!("duban-bulletin-docx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let docx = dir.join("bulletin.docx");
    std::fs::write(&docx, bytes).unwrap();
    // A profile of its own, so a LibreOffice already running elsewhere is not disturbed.
    let profile = format!("-env:UserInstallation=file://{}/profile", dir.display());
    let status = Command::new("soffice")
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&dir)
        .arg(&docx)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let Some(text) = text_of_pdf(&dir.join("bulletin.pdf")) else {
        println!("pdftotext is not installed (poppler-utils): converted text not checked");
        return;
    };
    for want in [
        "永督通〔2026〕5号",
        "永康市督查考核办公室",
        "东城街道",
        "市第12局",
        "—1—",
    ] {
        assert!(text.contains(want), "{want} not in {text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
