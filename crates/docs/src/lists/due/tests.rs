use super::*;
use jiff::civil::date;

fn by(y: i16, m: i8, d: i8) -> Due {
    Due::By {
        date: date(y, m, d),
    }
}

fn every(cadence: Cadence) -> Due {
    Due::Ongoing { cadence }
}

#[test]
fn every_written_form_of_a_deadline_reads_as_the_date_or_cadence_it_means() {
    let cases: &[(&str, Due)] = &[
        ("2026-12-31", by(2026, 12, 31)),
        ("2026/6/30", by(2026, 6, 30)),
        ("2026.6.30", by(2026, 6, 30)),
        ("２０２６．６．３０", by(2026, 6, 30)),
        ("20260630", by(2026, 6, 30)),
        ("2026.6", by(2026, 6, 30)),
        ("6/30", by(2026, 6, 30)),
        ("2026年6月30日", by(2026, 6, 30)),
        ("2026年6月30号", by(2026, 6, 30)),
        ("2026年6月底", by(2026, 6, 30)),
        ("2026年6月底前", by(2026, 6, 30)),
        ("2026年 6月 底前完成", by(2026, 6, 30)),
        ("6月30日前", by(2026, 6, 30)),
        ("6月底前", by(2026, 6, 30)),
        ("6月", by(2026, 6, 30)),
        ("六月底", by(2026, 6, 30)),
        ("十二月", by(2026, 12, 31)),
        ("6月中旬", by(2026, 6, 20)),
        ("6月上旬", by(2026, 6, 10)),
        ("6月下旬", by(2026, 6, 30)),
        ("2月末", by(2026, 2, 28)),
        ("年底前", by(2026, 12, 31)),
        ("年内", by(2026, 12, 31)),
        ("年底", by(2026, 12, 31)),
        ("12月底", by(2026, 12, 31)),
        ("2026年底", by(2026, 12, 31)),
        ("2026年", by(2026, 12, 31)),
        ("上半年", by(2026, 6, 30)),
        ("上半年底前", by(2026, 6, 30)),
        ("年中", by(2026, 6, 30)),
        ("下半年", by(2026, 12, 31)),
        ("一季度末", by(2026, 3, 31)),
        ("第一季度", by(2026, 3, 31)),
        ("1季度", by(2026, 3, 31)),
        ("Q1", by(2026, 3, 31)),
        ("二季度末前", by(2026, 6, 30)),
        ("三季度末", by(2026, 9, 30)),
        ("第四季度", by(2026, 12, 31)),
        ("2027年3月底前", by(2027, 3, 31)),
        ("2027年上半年", by(2027, 6, 30)),
        ("长期坚持", every(Cadence::Monthly)),
        ("持续推进", every(Cadence::Monthly)),
        ("常态落实", every(Cadence::Monthly)),
        ("常态化", every(Cadence::Monthly)),
        ("长期", every(Cadence::Monthly)),
        ("持续", every(Cadence::Monthly)),
        ("每周", every(Cadence::Weekly)),
        ("每月", every(Cadence::Monthly)),
        ("按月", every(Cadence::Monthly)),
        ("每季度", every(Cadence::Quarterly)),
        ("每季", every(Cadence::Quarterly)),
        ("按季度", every(Cadence::Quarterly)),
        ("每半年", every(Cadence::HalfYearly)),
        ("每年", every(Cadence::Yearly)),
        ("长期坚持（每季度报送）", every(Cadence::Quarterly)),
    ];
    for (text, want) in cases {
        assert_eq!(parse_due(text, 2026), Ok(*want), "{text}");
    }
}

#[test]
fn impossible_dates_say_which_part_does_not_exist() {
    let cases: &[(&str, DueError)] = &[
        (
            "2026年2月30日",
            DueError::NoSuchDay {
                text: "2026年2月30日".into(),
                year: 2026,
                month: 2,
                day: 30,
            },
        ),
        (
            "13月",
            DueError::NoSuchMonth {
                text: "13月".into(),
                month: 13,
            },
        ),
        (
            "2026-04-31",
            DueError::NoSuchDay {
                text: "2026-04-31".into(),
                year: 2026,
                month: 4,
                day: 31,
            },
        ),
        (
            "下个月吧",
            DueError::Unreadable {
                text: "下个月吧".into(),
            },
        ),
        (" ", DueError::Empty),
    ];
    for (text, want) in cases {
        assert_eq!(parse_due(text, 2026).as_ref(), Err(want), "{text}");
    }
}

#[test]
fn an_impossible_date_is_explained_in_plain_chinese() {
    let err = parse_due("2026年2月30日", 2026).unwrap_err();
    assert_eq!(err.zh(), "“2026年2月30日”不是有效日期：2026年2月没有30日");
    assert_eq!(
        err.to_string(),
        "“2026年2月30日” is not a date: 2026-02 has no day 30"
    );
}

#[test]
fn a_milestone_date_refuses_ongoing_words() {
    assert_eq!(parse_date_text("2026-06-30", 2026), Ok(date(2026, 6, 30)));
    assert_eq!(parse_date_text("9月底", 2026), Ok(date(2026, 9, 30)));
    assert!(matches!(
        parse_date_text("每月", 2026),
        Err(DueError::Unreadable { .. })
    ));
}
