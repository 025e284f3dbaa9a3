use super::*;
use jiff::civil::date;

fn rule(text: &str) -> String {
    parse_deadline(text, Some(2026)).unwrap().to_string()
}

#[test]
fn periods_in_chinese_become_rules() {
    for (text, expected) in [
        ("7个工作日", "7wd"),
        ("7个工作日内", "7wd"),
        ("七个工作日以内", "7wd"),
        ("15日", "15d"),
        ("15天", "15d"),
        ("十五日内", "15d"),
        ("30个自然日", "30d"),
        ("2周", "14d"),
        ("3个月", "3m"),
        ("两个月内", "2m"),
        ("３个月", "3m"),
    ] {
        assert_eq!(rule(text), expected, "{text}");
    }
}

#[test]
fn rules_and_dates_keep_or_take_the_stored_form() {
    for (text, expected) in [
        ("15d", "15d"),
        ("7WD", "7wd"),
        ("3m", "3m"),
        ("2026-06-30", "2026-06-30"),
        ("2026/6/30", "2026-06-30"),
        ("2026年6月30日前", "2026-06-30"),
        ("20260630", "2026-06-30"),
        ("6月底", "2026-06-30"),
        ("3月", "2026-03-31"),
        ("年底前", "2026-12-31"),
    ] {
        assert_eq!(rule(text), expected, "{text}");
    }
}

#[test]
fn a_date_without_a_year_needs_one_from_the_sheet() {
    assert_eq!(
        parse_deadline("6月底", None),
        Err(DateTextError::NoYear {
            text: "6月底".into()
        })
    );
    assert_eq!(
        parse_deadline("2026年6月底", None).unwrap(),
        DeadlineRule::FixedDate {
            date: date(2026, 6, 30)
        }
    );
    // A period needs no year.
    assert_eq!(parse_deadline("15日", None).unwrap().to_string(), "15d");
}

#[test]
fn unreadable_impossible_and_out_of_range_texts_are_refused() {
    assert_eq!(
        parse_deadline("立行立改", Some(2026)),
        Err(DateTextError::Unreadable {
            text: "立行立改".into()
        })
    );
    assert_eq!(
        parse_deadline("长期坚持", Some(2026)),
        Err(DateTextError::Unreadable {
            text: "长期坚持".into()
        })
    );
    assert!(matches!(
        parse_deadline("2026-02-30", None),
        Err(DateTextError::Impossible(DueError::NoSuchDay {
            day: 30,
            ..
        }))
    ));
    assert_eq!(
        parse_deadline("0个工作日", None),
        Err(DateTextError::OutOfRange {
            text: "0个工作日".into()
        })
    );
    assert!(matches!(
        parse_deadline("200个月", None),
        Err(DateTextError::OutOfRange { .. })
    ));
}

#[test]
fn the_written_form_reads_back_as_the_same_rule() {
    for text in ["2026-06-30", "15d", "7wd", "3m"] {
        let rule = DeadlineRule::parse(text).unwrap();
        assert_eq!(parse_deadline(&deadline_zh(rule), None), Ok(rule), "{text}");
    }
    assert_eq!(
        deadline_zh(DeadlineRule::WorkingDays { n: 7 }),
        "7个工作日内"
    );
}
