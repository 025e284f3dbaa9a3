use super::*;
use crate::calendar::official_schedule;
use jiff::civil::datetime;
use std::collections::BTreeSet;

fn cal() -> Calendar {
    Calendar::new(official_schedule(2026))
}

#[test]
fn the_default_window_is_four_working_hours() {
    // Raised on Friday 2026-10-09 at 16:00: 1.5 h that day, 2.5 h on the make-up Saturday.
    let due = report_in_due(
        &WorkingHours::default(),
        &cal(),
        datetime(2026, 10, 9, 16, 0, 0, 0),
        DEFAULT_REPORT_IN_HOURS,
    )
    .unwrap();
    assert_eq!(due, datetime(2026, 10, 10, 11, 0, 0, 0));
    assert!(late(due, Some(datetime(2026, 10, 10, 11, 1, 0, 0)), due));
    assert!(!late(due, Some(due), datetime(2026, 10, 12, 0, 0, 0, 0)));
    assert!(late(due, None, datetime(2026, 10, 10, 11, 1, 0, 0)));
    assert!(!late(due, None, datetime(2026, 10, 10, 10, 0, 0, 0)));
}

#[test]
fn steps_come_in_order_and_ratings_once() {
    let fresh = Named::default();
    assert_eq!(may_report_in(false, &fresh), Ok(()));
    assert_eq!(may_feed_back(false, &fresh), Err(JointError::NotReportedIn));
    let reported = Named {
        reported_in: true,
        ..Named::default()
    };
    assert_eq!(
        may_report_in(false, &reported),
        Err(JointError::AlreadyReportedIn)
    );
    assert_eq!(
        may_close(false, &[reported.clone(), fresh.clone()]),
        Err(JointError::NotReady)
    );
    let done = Named {
        reported_in: true,
        fed_back: true,
        ..Named::default()
    };
    assert_eq!(may_close(false, &[done.clone(), done.clone()]), Ok(()));
    assert_eq!(
        may_close(true, std::slice::from_ref(&done)),
        Err(JointError::Closed)
    );
    assert_eq!(
        may_rate_department(false, &done),
        Err(JointError::NotClosed)
    );
    assert_eq!(may_rate_department(true, &done), Ok(()));
    let rated = Named {
        rated: true,
        ..done.clone()
    };
    assert_eq!(
        may_rate_department(true, &rated),
        Err(JointError::AlreadyRated)
    );
    assert_eq!(may_rate_town(true, &rated), Ok(()), "each side once");
    assert_eq!(score(0), Err(JointError::BadScore));
    assert_eq!(score(6), Err(JointError::BadScore));
    assert_eq!(score(5), Ok(5));
}

fn fact(case: i64, town: i64, dept: i64) -> JointFact {
    JointFact {
        case_id: case,
        town: UnitId(town),
        department: UnitId(dept),
        reported_in: true,
        late: false,
        closed: true,
        rating: None,
        coordination: None,
        return_refused: false,
    }
}

#[test]
fn tallies_count_per_department_per_town_and_per_cell() {
    let facts = vec![
        JointFact {
            rating: Some([5, 4, 3]),
            coordination: Some(4),
            ..fact(1, 100, 1)
        },
        JointFact {
            late: true,
            rating: Some([2, 3, 4]),
            ..fact(1, 100, 2)
        },
        JointFact {
            reported_in: false,
            late: true,
            closed: false,
            ..fact(2, 100, 1)
        },
        JointFact {
            return_refused: true,
            ..fact(3, 200, 1)
        },
    ];
    let t = tally(&facts);
    let d1 = &t.departments[&UnitId(1)];
    assert_eq!(
        (d1.matters, d1.closed, d1.reported_in, d1.late),
        (3, 2, 2, 1)
    );
    assert_eq!(d1.on_time_rate(), Some(2.0 / 3.0));
    assert_eq!(d1.speed.value(), Some(5.0));
    assert_eq!(d1.returns_refused, 1);
    let d2 = &t.departments[&UnitId(2)];
    assert_eq!(d2.on_time_rate(), Some(0.0));
    assert_eq!(d2.rating(), Some(3.0));
    let town = &t.towns[&UnitId(100)];
    assert_eq!(
        (town.matters, town.closed, town.named, town.late),
        (2, 1, 3, 2)
    );
    assert_eq!(town.coordination.value(), Some(4.0));
    let cell = &t.matrix[&(UnitId(100), UnitId(1))];
    assert_eq!((cell.matters, cell.late), (2, 1));
    assert!(!t.matrix.contains_key(&(UnitId(200), UnitId(2))));
    assert_eq!(tally(&[]), Tallies::default());
}

/// Each town's distinct matters and closed ones, counted straight from the facts.
fn town_matters(facts: &[JointFact]) -> Vec<TownMatters> {
    let mut seen: BTreeMap<UnitId, (BTreeSet<i64>, BTreeSet<i64>)> = BTreeMap::new();
    for f in facts {
        let (all, closed) = seen.entry(f.town).or_default();
        all.insert(f.case_id);
        if f.closed {
            closed.insert(f.case_id);
        }
    }
    seen.into_iter()
        .map(|(town, (all, closed))| TownMatters {
            town,
            matters: all.len() as i64,
            closed: closed.len() as i64,
        })
        .collect()
}

/// Facts of `n` matters over 3 towns and 5 departments, each naming 1 to 3 departments,
/// with every combination of report-in, lateness, closing, ratings and refused returns.
fn many_facts(n: i64) -> Vec<JointFact> {
    let mut facts = Vec::new();
    for case in 0..n {
        let town = UnitId(100 + case % 3);
        let closed = case % 4 != 3;
        for k in 0..=(case % 3) {
            let x = case * 7 + k * 3;
            facts.push(JointFact {
                case_id: case,
                town,
                department: UnitId(1 + (case + k * 2) % 5),
                reported_in: x % 6 != 0,
                late: x % 5 == 0,
                closed,
                rating: (closed && x % 3 != 0).then_some([1 + x % 5, 1 + x % 4, 1 + x % 3]),
                coordination: (closed && x % 2 == 0).then_some(1 + x % 5),
                return_refused: x % 11 == 0,
            });
        }
    }
    facts
}

#[test]
fn tallies_from_cells_equal_the_tallies_of_the_facts() {
    for facts in [many_facts(0), many_facts(1), many_facts(7), many_facts(60)] {
        let t = tally(&facts);
        let from_cells = tally_cells(t.matrix.clone(), &town_matters(&facts));
        assert_eq!(from_cells, t, "{} facts", facts.len());
    }
    // A town's matter naming two departments counts once for the town, once per department.
    let facts = vec![fact(1, 100, 1), fact(1, 100, 2)];
    let cells = [
        (
            (UnitId(100), UnitId(1)),
            Tally {
                named: 1,
                matters: 1,
                closed: 1,
                reported_in: 1,
                ..Tally::default()
            },
        ),
        (
            (UnitId(100), UnitId(2)),
            Tally {
                named: 1,
                matters: 1,
                closed: 1,
                reported_in: 1,
                ..Tally::default()
            },
        ),
    ];
    let t = tally_cells(cells, &town_matters(&facts));
    assert_eq!(t, tally(&facts));
    assert_eq!(
        (t.towns[&UnitId(100)].matters, t.towns[&UnitId(100)].named),
        (1, 2)
    );
}
