use super::*;
use jiff::civil::date;

#[test]
fn list_kinds_parse_from_code_and_from_what_clerks_write() {
    for k in ListKind::ALL {
        assert_eq!(ListKind::parse(k.as_str()), Some(k));
        assert_eq!(ListKind::parse(k.label_zh()), Some(k));
    }
    assert_eq!(ListKind::parse("项目"), Some(ListKind::Project));
    assert_eq!(ListKind::parse(" 政策类 "), Some(ListKind::Policy));
    assert_eq!(ListKind::parse("任务清单"), None);
    assert_eq!(ListKind::parse(""), None);
}

#[test]
fn due_comes_back_from_its_two_columns() {
    let d = Due::By {
        date: date(2026, 6, 30),
    };
    assert_eq!(Due::from_columns(d.date(), None), Some(d));
    let o = Due::Ongoing {
        cadence: Cadence::Quarterly,
    };
    assert_eq!(Due::from_columns(None, Some("quarterly")), Some(o));
    assert_eq!(Due::from_columns(None, None), None);
    assert_eq!(
        Due::from_columns(Some(date(2026, 1, 1)), Some("monthly")),
        None
    );
}

fn ok_task() -> (Vec<Indicator>, Vec<Milestone>) {
    (
        vec![Indicator {
            name: "开工小区".into(),
            target: 12.0,
            unit: "个".into(),
        }],
        vec![Milestone {
            due: date(2026, 6, 30),
            target_text: "6个小区开工".into(),
            values: vec![Some(6.0)],
        }],
    )
}

#[test]
fn a_well_formed_task_passes() {
    let (i, m) = ok_task();
    let due = Due::By {
        date: date(2026, 11, 30),
    };
    assert_eq!(
        check_task(2026, "12", "老旧小区改造", 5.0, due, &i, &m),
        Ok(())
    );
}

#[test]
fn broken_tasks_say_what_is_wrong() {
    let (i, m) = ok_task();
    let due = Due::By {
        date: date(2026, 5, 31),
    };
    assert_eq!(
        check_task(2026, "1", " ", 1.0, due, &i, &[]),
        Err(TaskError::EmptyTitle)
    );
    assert_eq!(
        check_task(2026, "1", "t", 1.0, due, &i, &m),
        Err(TaskError::MilestoneAfterDeadline(1))
    );
    assert_eq!(
        check_task(2026, "1", "t", 101.0, due, &i, &[]),
        Err(TaskError::BadWeight)
    );
    assert_eq!(
        check_task(2026, "1", "t", f64::NAN, due, &i, &[]),
        Err(TaskError::BadWeight)
    );
    let old = Due::By {
        date: date(2025, 12, 31),
    };
    assert!(matches!(
        check_task(2026, "1", "t", 1.0, old, &i, &[]),
        Err(TaskError::DeadlineOutsideYear(..))
    ));
    let neg = vec![Indicator {
        name: String::new(),
        target: -1.0,
        unit: "亩".into(),
    }];
    assert_eq!(
        check_task(2026, "1", "t", 1.0, due, &neg, &[]),
        Err(TaskError::BadIndicator(1))
    );
    let ongoing = Due::Ongoing {
        cadence: Cadence::Monthly,
    };
    let too_many = vec![Milestone {
        due: date(2026, 3, 31),
        target_text: String::new(),
        values: vec![Some(1.0), Some(2.0)],
    }];
    assert_eq!(
        check_task(2026, "1", "t", 1.0, ongoing, &i, &too_many),
        Err(TaskError::MilestoneValues(1, 2, 1))
    );
}

#[test]
fn dotted_paths_sort_as_lists_are_read() {
    assert_eq!(sort_key("1.12").as_deref(), Some("0001.0012"));
    assert!(sort_key("1.2").unwrap() < sort_key("1.12").unwrap());
    assert!(sort_key("1").unwrap() < sort_key("1.1").unwrap());
    assert!(sort_key("1.9").unwrap() < sort_key("2").unwrap());
    for bad in ["", "1.", ".1", "0", "a", "1.x", "10000", "（一）"] {
        assert_eq!(sort_key(bad), None, "{bad}");
    }
    assert_eq!(child_path(Some("2.1"), 3), "2.1.3");
    assert_eq!(child_path(None, 4), "4");
    assert_eq!(parent_path("2.1.3"), Some("2.1"));
    assert_eq!(parent_path("2"), None);
}
