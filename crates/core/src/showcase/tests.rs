use super::*;
use jiff::civil::date;

fn setup() -> EventSetup {
    EventSetup {
        title: " 2026年上半年大晒拼 ".into(),
        held_on: date(2026, 7, 31),
        half_year: "2026-H1".into(),
        minutes: 8,
        criteria: [
            ("工作实绩", 40),
            ("特色亮点", 30),
            ("直面短板", 20),
            ("精神面貌", 10),
        ]
        .into_iter()
        .map(|(n, w)| Criterion {
            name: n.into(),
            weight: w,
        })
        .collect(),
        judge_groups: vec![
            JudgeGroup {
                name: "市领导".into(),
                weight: None,
            },
            JudgeGroup {
                name: "群众代表".into(),
                weight: None,
            },
        ],
        trim: true,
        presenters: vec![
            PresenterSlot {
                unit: UnitId(1),
                group: "乡镇街道".into(),
            },
            PresenterSlot {
                unit: UnitId(2),
                group: "部门".into(),
            },
        ],
    }
}

#[test]
fn a_complete_setup_is_accepted_with_trimmed_names() {
    let s = setup().check().unwrap();
    assert_eq!(s.title, "2026年上半年大晒拼");
    assert_eq!(s.period().unwrap().key(), "2026-H1");
}

#[test]
fn criteria_weights_must_sum_to_100_and_be_positive() {
    let mut s = setup();
    s.criteria[0].weight = 50;
    assert_eq!(s.check(), Err(vec![SetupError::WeightsSum { sum: 110 }]));
    let mut s = setup();
    s.criteria[3].weight = 0;
    s.criteria[0].weight = 50;
    assert_eq!(s.check(), Err(vec![SetupError::ZeroWeight]));
    let mut s = setup();
    s.criteria.clear();
    assert_eq!(s.check(), Err(vec![SetupError::CriteriaCount]));
}

#[test]
fn judge_group_weights_are_all_or_nothing() {
    let mut s = setup();
    s.judge_groups[0].weight = Some(60);
    assert_eq!(s.check(), Err(vec![SetupError::GroupWeights]));
    let mut s = setup();
    s.judge_groups[0].weight = Some(60);
    s.judge_groups[1].weight = Some(40);
    assert!(s.check().is_ok());
    let mut s = setup();
    s.judge_groups[0].weight = Some(0);
    s.judge_groups[1].weight = Some(40);
    assert_eq!(s.check(), Err(vec![SetupError::GroupWeights]));
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut s = setup();
    s.title = "  ".into();
    s.half_year = "2026-Q1".into();
    s.minutes = 0;
    s.presenters.push(PresenterSlot {
        unit: UnitId(1),
        group: "部门".into(),
    });
    s.judge_groups.push(JudgeGroup {
        name: "市领导".into(),
        weight: None,
    });
    assert_eq!(
        s.check(),
        Err(vec![
            SetupError::Empty { field: "title" },
            SetupError::BadHalfYear,
            SetupError::BadMinutes,
            SetupError::Duplicate {
                name: "市领导".into()
            },
            SetupError::PresentsTwice { unit: UnitId(1) },
        ])
    );
}

#[test]
fn the_statement_refuses_to_go_on_without_shortfalls() {
    let empty = UnitStatement {
        highlights: "亮点".into(),
        shortfalls: "   ".into(),
    };
    assert_eq!(empty.check(), Err(vec![StatementError::ShortfallsMissing]));
    let ok = UnitStatement {
        highlights: String::new(),
        shortfalls: " 项目开工率偏低，要素保障不足。 ".into(),
    }
    .check()
    .unwrap();
    assert_eq!(ok.shortfalls, "项目开工率偏低，要素保障不足。");
    let long = UnitStatement {
        highlights: "亮".repeat(MAX_HIGHLIGHTS + 1),
        shortfalls: "短".repeat(MAX_SHORTFALLS + 1),
    };
    assert_eq!(
        long.check(),
        Err(vec![
            StatementError::HighlightsTooLong,
            StatementError::ShortfallsTooLong
        ])
    );
}
