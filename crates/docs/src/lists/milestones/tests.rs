use super::*;
use jiff::civil::date;

fn inds() -> Vec<Indicator> {
    vec![
        Indicator {
            name: "开工小区".into(),
            target: 12.0,
            unit: "个".into(),
        },
        Indicator {
            name: "投资".into(),
            target: 5.0,
            unit: "亿元".into(),
        },
    ]
}

#[test]
fn a_milestone_line_has_a_date_a_text_and_values_matched_by_name_and_unit() {
    let (ms, bad) = parse_milestone_lines(
        "2026-06-30：6个小区开工〔开工小区=6个；投资=2亿元〕\n2026-09-30：主体完工〔投资=4亿元〕\n12月底：全部完工",
        2026,
        &inds(),
    );
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(
        ms,
        vec![
            Milestone {
                due: date(2026, 6, 30),
                target_text: "6个小区开工".into(),
                values: vec![Some(6.0), Some(2.0)],
            },
            Milestone {
                due: date(2026, 9, 30),
                target_text: "主体完工".into(),
                values: vec![None, Some(4.0)],
            },
            Milestone {
                due: date(2026, 12, 31),
                target_text: "全部完工".into(),
                values: vec![None, None],
            },
        ]
    );
}

#[test]
fn a_line_without_a_date_continues_the_previous_milestone() {
    let (ms, bad) = parse_milestone_lines("2026-03-31：第一行\n第二行：带冒号", 2026, &[]);
    assert!(bad.is_empty());
    assert_eq!(ms.len(), 1);
    assert_eq!(ms[0].target_text, "第一行\n第二行：带冒号");
}

#[test]
fn unreadable_lines_and_values_are_reported_as_written() {
    let (ms, bad) = parse_milestone_lines(
        "尽快开工\n2026-02-30：开工\n2026-06-30：开工〔竣工小区=3个〕\n2026-09-30：完工",
        2026,
        &inds(),
    );
    assert_eq!(ms.len(), 1);
    assert_eq!(
        bad,
        vec![
            "尽快开工",
            "2026-02-30：开工",
            "2026-06-30：开工〔竣工小区=3个〕"
        ]
    );
}

#[test]
fn a_milestone_is_written_in_the_format_it_is_read_in() {
    let m = Milestone {
        due: date(2026, 6, 30),
        target_text: "6个小区开工".into(),
        values: vec![Some(6.0), None],
    };
    let line = format_milestone(&m, &inds());
    assert_eq!(line, "2026-06-30：6个小区开工〔开工小区=6个〕");
    assert_eq!(parse_milestone_lines(&line, 2026, &inds()).0, vec![m]);
}

#[test]
fn a_quarter_cell_is_due_at_the_quarter_end_and_takes_values_from_its_figures() {
    let m = period_milestone(
        quarter_end(2026, 2),
        " 完成桩基施工，投资累计2亿元 ",
        &inds(),
    )
    .unwrap();
    assert_eq!(m.due, date(2026, 6, 30));
    assert_eq!(m.target_text, "完成桩基施工，投资累计2亿元");
    assert_eq!(m.values, vec![None, Some(2.0)]);
    assert!(period_milestone(quarter_end(2026, 1), "  ", &inds()).is_none());
    assert_eq!(month_end(2026, 2), date(2026, 2, 28));
}
