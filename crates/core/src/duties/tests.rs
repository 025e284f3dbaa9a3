use super::*;
use jiff::civil::date;

fn entry(id: i64, matter: &str, field: &str, dept: i64) -> DutyEntry {
    DutyEntry {
        id: DutyId(id),
        matter: matter.into(),
        field: field.into(),
        department: Some(UnitId(dept)),
        valid_from: None,
        valid_to: None,
    }
}

#[test]
fn any_chinese_words_find_an_entry() {
    let texts = [
        "餐饮服务油烟扰民",
        "生态环境",
        "发现、劝导、上报",
        "查处超标排放",
    ];
    assert!(matches_query(&texts, "油烟"));
    assert!(matches_query(&texts, "油烟 劝导"));
    assert!(
        matches_query(&texts, "餐饮油烟"),
        "found through its pairs 餐饮 and 油烟"
    );
    assert!(matches_query(&texts, ""));
    assert!(!matches_query(&texts, "违章建筑"));
    assert!(
        !matches_query(&texts, "油烟 河道"),
        "every word must be found"
    );
}

#[test]
fn a_case_about_a_matter_proposes_its_department() {
    let list = [
        entry(1, "油烟扰民", "生态环境", 10),
        entry(2, "违章建筑查处", "城乡建设", 20),
        entry(3, "河道保洁", "水利", 30),
    ];
    let (hits, unit) = propose(
        &list,
        "东城街道某小区楼下餐馆油烟扰民，居民多次投诉",
        date(2026, 10, 12),
    );
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].0.id, DutyId(1));
    assert_eq!(unit, Some(UnitId(10)));
    assert!(return_contradicts(&hits, UnitId(10)));
    assert!(!return_contradicts(&hits, UnitId(20)));
}

#[test]
fn nothing_is_proposed_for_an_unrelated_text_or_an_expired_entry() {
    let mut e = entry(1, "油烟扰民", "生态环境", 10);
    let (hits, unit) = propose(
        std::slice::from_ref(&e),
        "道路破损需要修复",
        date(2026, 10, 12),
    );
    assert!(hits.is_empty() && unit.is_none());
    e.valid_to = Some(date(2026, 6, 30));
    let (hits, _) = propose(std::slice::from_ref(&e), "油烟扰民", date(2026, 10, 12));
    assert!(hits.is_empty(), "expired on 06-30");
    let (hits, _) = propose(std::slice::from_ref(&e), "油烟扰民", date(2026, 6, 30));
    assert_eq!(hits.len(), 1, "still valid on its last day");
}

#[test]
fn two_departments_tied_at_the_top_propose_no_unit() {
    let list = [entry(1, "油烟扰民", "", 10), entry(2, "油烟扰民", "", 20)];
    let (hits, unit) = propose(&list, "油烟扰民", date(2026, 10, 12));
    assert_eq!(hits.len(), 2);
    assert_eq!(unit, None, "ambiguous: never guessed");
}

#[test]
fn an_entry_needs_a_matter_and_a_department_and_ordered_dates() {
    let mut d = DutyText {
        matter: "油烟扰民".into(),
        department: "生态环境局".into(),
        ..DutyText::default()
    };
    assert!(check(&d).is_empty());
    d.matter.clear();
    d.department.clear();
    d.valid_from = Some(date(2026, 12, 1));
    d.valid_to = Some(date(2026, 1, 1));
    assert_eq!(
        check(&d),
        vec![
            (DutyColumn::Matter, DutyProblem::Required),
            (DutyColumn::Department, DutyProblem::Required),
            (DutyColumn::ValidTo, DutyProblem::EndsBeforeStart),
        ]
    );
    d.matter = "事".repeat(MAX_MATTER + 1);
    assert!(check(&d).contains(&(DutyColumn::Matter, DutyProblem::TooLong)));
}

#[test]
fn headers_are_recognised_as_written_and_as_exported() {
    for c in DutyColumn::ALL {
        assert_eq!(DutyColumn::recognise(c.label_zh()), Some(c));
        assert_eq!(DutyColumn::recognise(c.as_str()), Some(c));
    }
    assert_eq!(
        DutyColumn::recognise("主管部门"),
        Some(DutyColumn::Department)
    );
    assert_eq!(DutyColumn::recognise("2026年属地管理事项责任清单"), None);
}
