use super::*;

fn paths(codes: &[&str]) -> Vec<(String, Option<String>)> {
    let codes: Vec<Code> = codes.iter().map(|c| parse_code(c)).collect();
    number_rows(&codes)
        .into_iter()
        .map(|p| (p.path, p.parent))
        .collect()
}

fn place(path: &str, parent: Option<&str>) -> (String, Option<String>) {
    (path.to_string(), parent.map(str::to_string))
}

#[test]
fn every_code_style_people_write_is_recognised() {
    let cases: &[(&str, Code)] = &[
        ("1", Code::Dotted(vec![1])),
        ("1.1", Code::Dotted(vec![1, 1])),
        ("1.1.2", Code::Dotted(vec![1, 1, 2])),
        ("1-1", Code::Dotted(vec![1, 1])),
        ("1．1", Code::Dotted(vec![1, 1])),
        ("１.２", Code::Dotted(vec![1, 2])),
        ("2.", Code::Dotted(vec![2])),
        ("一、", Code::Marker(Style::CnComma)),
        ("十二、", Code::Marker(Style::CnComma)),
        ("（一）", Code::Marker(Style::CnParen)),
        ("(一)", Code::Marker(Style::CnParen)),
        ("1、", Code::Marker(Style::ArabicComma)),
        ("1）", Code::Marker(Style::ArabicHalfParen)),
        ("(1)", Code::Marker(Style::ArabicParen)),
        ("（1）", Code::Marker(Style::ArabicParen)),
        ("①", Code::Marker(Style::Circled)),
        ("一、产业发展", Code::Marker(Style::CnComma)),
        ("", Code::Empty),
        (" ", Code::Empty),
        ("A3", Code::Unreadable),
    ];
    for (text, want) in cases {
        assert_eq!(&parse_code(text), want, "{text}");
    }
}

#[test]
fn dotted_codes_give_the_path_and_parent_directly() {
    assert_eq!(
        paths(&["1", "1.1", "1.1.1", "1.1.2", "1-2", "2", "", "2.1"]),
        vec![
            place("1", None),
            place("1.1", Some("1")),
            place("1.1.1", Some("1.1")),
            place("1.1.2", Some("1.1")),
            place("1.2", Some("1")),
            place("2", None),
            place("3", None),
            place("2.1", Some("2")),
        ]
    );
}

#[test]
fn marker_styles_are_levels_in_the_order_they_first_appear() {
    assert_eq!(
        paths(&[
            "一、",
            "（一）",
            "1、",
            "2、",
            "（二）",
            "1、",
            "二、",
            "1、",
            ""
        ]),
        vec![
            place("1", None),
            place("1.1", Some("1")),
            place("1.1.1", Some("1.1")),
            place("1.1.2", Some("1.1")),
            place("1.2", Some("1")),
            place("1.2.1", Some("1.2")),
            place("2", None),
            // 1、 is level 3; its nearest lower-level row is 二、.
            place("2.1", Some("2")),
            place("3", None),
        ]
    );
}

#[test]
fn written_marker_numbers_are_replaced_by_ordinals_among_siblings() {
    assert_eq!(
        paths(&["一、", "①", "①", "三、", "1", "1.1"]),
        vec![
            place("1", None),
            place("1.1", Some("1")),
            place("1.2", Some("1")),
            place("2", None),
            place("2.1", Some("2")),
            place("2.1.1", Some("2.1")),
        ]
    );
}
