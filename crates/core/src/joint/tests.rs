use super::*;
use crate::calendar::official_schedule;
use jiff::civil::datetime;

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
