//! The notice opened as Word opens it: a zip of XML parts, the text read from document.xml.

use super::*;
use jiff::civil::date;
use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::{Cursor, Read};

fn notice(kind: NoticeKind) -> Notice {
    Notice {
        kind,
        number: "永督〔2026〕12号".into(),
        addressee: "市住建局".into(),
        case_code: "DB-2026-0042".into(),
        title: "老旧小区改造进度滞后问题".into(),
        content: "加快推进12个老旧小区改造。\n6月底前全部开工。".into(),
        source: "市政府常务会议纪要".into(),
        assigned_on: date(2026, 5, 6),
        due: date(2026, 6, 30),
        overdue_workdays: 3,
        requirement: "请于3个工作日内书面说明逾期原因及整改计划".into(),
        issuer: "永康市督查考核办公室".into(),
        issued_on: date(2026, 7, 3),
        copy_to: vec!["李副市长".into()],
    }
}

/// Every part of the package by name.
fn parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).unwrap();
            let mut text = String::new();
            file.read_to_string(&mut text).unwrap();
            (file.name().unwrap().to_string(), text)
        })
        .collect()
}

/// Parses the whole XML (failing on any error) and returns the text of its `w:t` elements,
/// one string per paragraph.
fn paragraphs(xml: &str) -> Vec<String> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == "w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == "w:t" => in_text = false,
            Event::End(e) if e.name().as_ref() == "w:p" => {
                paragraphs.push(std::mem::take(&mut current));
            }
            Event::Text(t) if in_text => current.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                current.push_str(match r.xml10_content().as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                });
            }
            Event::Eof => return paragraphs,
            _ => {}
        }
    }
}

fn document_xml(bytes: &[u8]) -> String {
    parts(bytes)
        .into_iter()
        .find(|(name, _)| name == "word/document.xml")
        .expect("the package has word/document.xml")
        .1
}

#[test]
fn a_supervision_notice_is_a_word_package_with_every_part_well_formed() {
    let bytes = write_notice_docx(&notice(NoticeKind::Supervise)).unwrap();
    assert!(bytes.starts_with(b"PK"), "a zip file");
    let parts = parts(&bytes);
    let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    for required in ["[Content_Types].xml", "_rels/.rels", "word/document.xml"] {
        assert!(names.contains(&required), "{required} in {names:?}");
    }
    for (name, xml) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            paragraphs(xml);
        }
    }
}

#[test]
fn the_notice_names_the_addressee_number_due_date_and_requirement() {
    let bytes = write_notice_docx(&notice(NoticeKind::Supervise)).unwrap();
    let paragraphs = paragraphs(&document_xml(&bytes));
    let text = paragraphs.join("\n");
    assert_eq!(paragraphs[0], "永康市督查考核办公室");
    assert_eq!(paragraphs[1], "督办单");
    assert_eq!(paragraphs[2], "永督〔2026〕12号");
    assert!(paragraphs.contains(&"市住建局：".to_string()), "{text}");
    for expected in [
        "办理时限为2026年6月30日",
        "于2026年5月6日交办",
        "已逾期3个工作日",
        "现予督办",
        "请于3个工作日内书面说明逾期原因及整改计划。",
        "DB-2026-0042",
        "老旧小区改造进度滞后问题",
        "6月底前全部开工。",
        "抄送：李副市长。",
        "永康市督查考核办公室2026年7月3日印发",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    // Issuer and date stand at the bottom right.
    let date_at = paragraphs.iter().position(|p| p == "2026年7月3日").unwrap();
    assert_eq!(paragraphs[date_at - 1], "永康市督查考核办公室");
}

#[test]
fn an_urge_notice_says_so_and_a_notice_in_time_has_no_overdue_sentence() {
    let mut n = notice(NoticeKind::Urge);
    n.overdue_workdays = 0;
    n.copy_to.clear();
    n.source.clear();
    let text = paragraphs(&document_xml(&write_notice_docx(&n).unwrap())).join("\n");
    assert!(text.contains("催办通知书"));
    assert!(text.contains("现予催办"));
    assert!(!text.contains("已逾期"), "{text}");
    assert!(!text.contains("抄送"), "{text}");
    assert!(!text.contains("来源"), "{text}");
}

#[test]
fn text_with_markup_characters_is_escaped() {
    let mut n = notice(NoticeKind::Supervise);
    n.title = "A&B <路口> \"改造\"".into();
    let text = paragraphs(&document_xml(&write_notice_docx(&n).unwrap())).join("\n");
    assert!(text.contains("A&B <路口> \"改造\""), "{text}");
}

#[test]
fn the_page_is_a4_and_the_fonts_are_the_official_ones_with_a_latin_fallback() {
    let xml = document_xml(&write_notice_docx(&notice(NoticeKind::Supervise)).unwrap());
    assert!(xml.contains(r#"w:w="11906""#) && xml.contains(r#"w:h="16838""#));
    assert!(xml.contains(r#"w:eastAsia="仿宋_GB2312""#));
    assert!(xml.contains(r#"w:eastAsia="方正小标宋简体""#));
    assert!(xml.contains(r#"w:ascii="Times New Roman""#));
}

#[test]
fn the_same_notice_gives_the_same_bytes() {
    let n = notice(NoticeKind::Supervise);
    assert_eq!(
        write_notice_docx(&n).unwrap(),
        write_notice_docx(&n).unwrap()
    );
}
