use super::*;

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn separators_inside_brackets_belong_to_the_unit_name() {
    assert_eq!(
        split_units("各镇（街道、区），市财政局 市审计局(含 分局)"),
        names(&["各镇（街道、区）", "市财政局", "市审计局(含 分局)"])
    );
}

type Case<'a> = (Option<&'a str>, &'a str, &'a str, &'a str, &'a [&'a str]);

#[test]
fn the_lead_unit_column_leads_and_responsible_units_become_co_units() {
    // 牵头单位 (None: no such column), 配合单位, 责任单位 → lead, co-units.
    let cases: &[Case] = &[
        (
            Some("市经信局"),
            "市财政局、某街道",
            "",
            "市经信局",
            &["市财政局", "某街道"],
        ),
        (
            Some("市经信局、市发改局"),
            "市财政局",
            "市审计局",
            "市经信局",
            &["市发改局", "市财政局", "市审计局"],
        ),
        (Some(""), "市财政局", "", "", &["市财政局"]),
        (
            None,
            "市商务局",
            "市住建局；市财政局",
            "市住建局",
            &["市财政局", "市商务局"],
        ),
        (None, "", "市住建局、市住建局", "市住建局", &[]),
        (None, "", "", "", &[]),
    ];
    for (lead, co, responsible, want_lead, want_co) in cases {
        let (l, c) = units(*lead, co, responsible);
        assert_eq!(
            (l.as_str(), c),
            (*want_lead, names(want_co)),
            "{lead:?} {co} {responsible}"
        );
    }
}

#[test]
fn a_combined_section_and_person_cell_splits_at_the_first_separator() {
    let cases = [
        ("项目科/王某", ("项目科", "王某")),
        ("城建科 陈某", ("城建科", "陈某")),
        ("综合办\n李某", ("综合办", "李某")),
        ("项目科", ("项目科", "")),
        ("王某", ("", "王某")),
        ("", ("", "")),
    ];
    for (text, (section, person)) in cases {
        assert_eq!(
            split_section_person(text),
            (section.to_string(), person.to_string()),
            "{text}"
        );
    }
}
