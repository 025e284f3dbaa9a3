use super::*;

fn ind(name: &str, target: f64, unit: &str) -> Indicator {
    Indicator {
        name: name.into(),
        target,
        unit: unit.into(),
    }
}

#[test]
fn numbers_written_as_text_read_with_their_unit() {
    let cases: &[(&str, Option<(f64, &str)>)] = &[
        ("80%", Some((80.0, "%"))),
        ("８０％", Some((80.0, "%"))),
        ("1,000", Some((1000.0, ""))),
        ("12,345.5万元", Some((12345.5, "万元"))),
        ("1.6亿元", Some((1.6, "亿元"))),
        ("５亿", Some((5.0, "亿"))),
        (" 12 个 ", Some((12.0, "个"))),
        ("0.5", Some((0.5, ""))),
        ("-3", Some((-3.0, ""))),
        ("10分", Some((10.0, "分"))),
        ("1,00", None),
        ("约5亿元", None),
        ("五个", None),
        ("", None),
        ("3个，另加5个", None),
        ("abc", None),
    ];
    for (text, want) in cases {
        let got = parse_number(text);
        let want = want.map(|(v, u)| (v, u.to_string()));
        assert_eq!(got, want, "{text}");
    }
}

#[test]
fn a_comma_not_followed_by_three_digits_ends_the_number() {
    assert_eq!(parse_number("1,00"), None);
    assert_eq!(leading_number("1,00"), Some((1.0, 1)));
}

#[test]
fn numbers_are_written_back_without_a_trailing_zero() {
    for (value, want) in [(5.0, "5"), (1.6, "1.6"), (12000.0, "12000"), (0.25, "0.25")] {
        assert_eq!(format_number(value), want);
    }
}

#[test]
fn an_indicator_cell_lists_one_indicator_per_line_or_per_semicolon() {
    let (found, bad) = parse_indicator_list(
        "投资：5亿元\n开工小区 12个；12个;95%\n5G基站：100个\n完成率=80%\n尽快完成",
    );
    assert_eq!(
        found,
        vec![
            ind("投资", 5.0, "亿元"),
            ind("开工小区", 12.0, "个"),
            ind("", 12.0, "个"),
            ind("", 95.0, "%"),
            ind("5G基站", 100.0, "个"),
            ind("完成率", 80.0, "%"),
        ]
    );
    assert_eq!(bad, vec!["尽快完成"]);
}

#[test]
fn a_named_indicator_without_a_colon_is_split_before_its_last_number() {
    let (found, bad) = parse_indicator_list("5G基站 100个");
    assert_eq!(found, vec![ind("5G基站", 100.0, "个")]);
    assert!(bad.is_empty());
}

#[test]
fn indicators_are_guessed_from_numbers_with_known_units_in_a_target_text() {
    let cases: &[(&str, Vec<Indicator>)] = &[
        (
            "完成投资5亿元，年底前主体完工",
            vec![ind("投资", 5.0, "亿元")],
        ),
        ("开工改造12个小区", vec![ind("开工改造", 12.0, "个")]),
        (
            "改造提升老旧小区12个，惠及居民3,200户",
            vec![ind("老旧小区", 12.0, "个"), ind("惠及居民", 3200.0, "户")],
        ),
        (
            "新增规上企业30家，亩均税收增长10%",
            vec![ind("规上企业", 30.0, "家"), ind("亩均税收增长", 10.0, "%")],
        ),
        ("累计完成投资1.6亿元", vec![ind("投资", 1.6, "亿元")]),
        ("2026年6月底前完成主体结构", vec![]),
        ("建成道路5.2公里", vec![ind("道路", 5.2, "公里")]),
        (
            "城镇登记失业率控制在3.5%以内",
            vec![ind("城镇登记失业率控制在", 3.5, "%")],
        ),
    ];
    for (text, want) in cases {
        assert_eq!(&extract_indicators(text), want, "{text}");
    }
}

#[test]
fn a_milestone_cell_sets_the_value_of_the_indicator_with_the_same_unit() {
    let one = [ind("投资", 5.0, "亿元")];
    assert_eq!(
        values_in_text(&one, "完成桩基施工，投资累计2亿元"),
        vec![Some(2.0)]
    );
    assert_eq!(values_in_text(&one, "完成桩基施工"), vec![None]);

    let two = [ind("开工小区", 12.0, "个"), ind("竣工小区", 8.0, "个")];
    assert_eq!(
        values_in_text(&two, "竣工小区3个，开工小区6个"),
        vec![Some(6.0), Some(3.0)]
    );
    // Two indicators share the unit and the cell names neither: no guess.
    assert_eq!(values_in_text(&two, "完成6个"), vec![None, None]);
}

#[test]
fn indicators_are_written_with_a_full_width_colon() {
    assert_eq!(format_indicator(&ind("投资", 5.0, "亿元")), "投资：5亿元");
    assert_eq!(format_indicator(&ind("", 95.5, "%")), "95.5%");
}
