use super::*;
use crate::calendar::official_schedule;
use jiff::civil::{date, datetime};

fn cal() -> Calendar {
    Calendar::new(
        official_schedule(2025)
            .into_iter()
            .chain(official_schedule(2026)),
    )
}

fn hours() -> WorkingHours {
    WorkingHours::default()
}

const FOUR_HOURS: i64 = 4 * 60;

#[test]
fn four_hours_from_nine_on_a_plain_tuesday_end_at_half_past_two_after_lunch() {
    // 2026-11-24 is a Tuesday: 9:00–12:00 is 3 h, the fourth hour starts at 13:30.
    let due = hours()
        .add(&cal(), datetime(2026, 11, 24, 9, 0, 0, 0), FOUR_HOURS)
        .unwrap();
    assert_eq!(due, datetime(2026, 11, 24, 14, 30, 0, 0));
}

#[test]
fn the_sum_ending_at_a_periods_end_stays_on_that_day() {
    let due = hours()
        .add(&cal(), datetime(2026, 11, 24, 13, 30, 0, 0), FOUR_HOURS)
        .unwrap();
    assert_eq!(due, datetime(2026, 11, 24, 17, 30, 0, 0));
    // Asked over lunch, the clock starts at 13:30.
    let due = hours()
        .add(&cal(), datetime(2026, 11, 24, 12, 10, 0, 0), FOUR_HOURS)
        .unwrap();
    assert_eq!(due, datetime(2026, 11, 24, 17, 30, 0, 0));
}

#[test]
fn asked_in_the_evening_or_before_work_the_window_starts_at_half_past_eight() {
    // Tuesday 20:00 → Wednesday 8:30 + 4 h = 13:30 + 0.5 h = 14:00 (3.5 h before lunch).
    let due = hours()
        .add(&cal(), datetime(2026, 11, 24, 20, 0, 0, 0), FOUR_HOURS)
        .unwrap();
    assert_eq!(due, datetime(2026, 11, 25, 14, 0, 0, 0));
    let due = hours()
        .add(&cal(), datetime(2026, 11, 25, 6, 0, 0, 0), FOUR_HOURS)
        .unwrap();
    assert_eq!(due, datetime(2026, 11, 25, 14, 0, 0, 0));
}

#[test]
fn a_friday_afternoon_runs_on_to_monday_over_the_weekend() {
    // 2026-11-27 is a Friday: 16:00–17:30 is 1.5 h; Monday 11-30 8:30 + 2.5 h = 11:00.
    let due = hours()
        .add(&cal(), datetime(2026, 11, 27, 16, 0, 0, 0), FOUR_HOURS)
        .unwrap();
    assert_eq!(due, datetime(2026, 11, 30, 11, 0, 0, 0));
}

#[test]
fn asked_at_four_on_the_last_day_before_national_day_it_is_due_after_the_holiday() {
    // 2026-09-30 (Wed) is the last working day before 国庆节 (10-01 … 10-07 off); 10-08 (Thu)
    // is the next working day: 1.5 h on the 30th, 2.5 h on the 8th.
    let c = cal();
    assert!(c.is_workday(date(2026, 9, 30)));
    assert!(!c.is_workday(date(2026, 10, 7)));
    let due = hours()
        .add(&c, datetime(2026, 9, 30, 16, 0, 0, 0), FOUR_HOURS)
        .unwrap();
    assert_eq!(due, datetime(2026, 10, 8, 11, 0, 0, 0));
}

#[test]
fn asked_at_four_on_the_friday_before_the_mid_autumn_holiday_it_is_due_on_the_make_up_sunday() {
    // 2026-09-18 (Fri) 16:00: 1.5 h; 09-19 is a plain Saturday; 09-20 (Sun) is 国庆节补班, a
    // working day: 8:30 + 2.5 h = 11:00.
    let c = cal();
    assert!(c.is_workday(date(2026, 9, 20)));
    let due = hours()
        .add(&c, datetime(2026, 9, 18, 16, 0, 0, 0), FOUR_HOURS)
        .unwrap();
    assert_eq!(due, datetime(2026, 9, 20, 11, 0, 0, 0));
}

#[test]
fn the_friday_before_national_day_counts_the_make_up_saturday_after_it() {
    // 2026-10-09 (Fri) 16:00 + 4 h: 10-10 (Sat) is 国庆节补班 → 11:00 that Saturday.
    let due = hours()
        .add(&cal(), datetime(2026, 10, 9, 16, 0, 0, 0), FOUR_HOURS)
        .unwrap();
    assert_eq!(due, datetime(2026, 10, 10, 11, 0, 0, 0));
}

#[test]
fn the_spring_festival_is_skipped_and_its_make_up_saturdays_are_worked() {
    // 2026-02-13 (Fri) 17:00: 0.5 h; 02-14 (Sat) is 春节补班: 7.5 h more that day.
    let c = cal();
    let due = hours()
        .add(&c, datetime(2026, 2, 13, 17, 0, 0, 0), 8 * 60)
        .unwrap();
    assert_eq!(due, datetime(2026, 2, 14, 17, 30, 0, 0));
    // One more working hour after that runs past the whole holiday (02-15 … 02-23) to 02-24.
    let due = hours()
        .add(&c, datetime(2026, 2, 14, 17, 30, 0, 0), 60)
        .unwrap();
    assert_eq!(due, datetime(2026, 2, 24, 9, 30, 0, 0));
}

#[test]
fn new_years_day_2026_runs_to_the_make_up_sunday() {
    // 2025-12-31 (Wed) 17:00 + 1 h: 01-01 … 01-03 off, 01-04 (Sun) is 元旦补班 → 09:00.
    let due = hours()
        .add(&cal(), datetime(2025, 12, 31, 17, 0, 0, 0), 60)
        .unwrap();
    assert_eq!(due, datetime(2026, 1, 4, 9, 0, 0, 0));
}

#[test]
fn a_year_can_have_its_own_working_day() {
    // Summer hours for 2026 only: 8:00–12:00, 14:30–18:00.
    let summer = WorkingDay::parse("08:00-12:00,14:30-18:00").unwrap();
    let h = WorkingHours::default().with_year(2026, summer);
    let due = h
        .add(&cal(), datetime(2026, 11, 24, 7, 0, 0, 0), FOUR_HOURS)
        .unwrap();
    assert_eq!(due, datetime(2026, 11, 24, 12, 0, 0, 0));
    // 2025 keeps the default day.
    let due = h
        .add(&cal(), datetime(2025, 11, 25, 7, 0, 0, 0), FOUR_HOURS)
        .unwrap();
    assert_eq!(due, datetime(2025, 11, 25, 14, 0, 0, 0));
}

#[test]
fn minutes_between_counts_as_add_does() {
    let h = hours();
    let c = cal();
    for (start, n) in [
        (datetime(2026, 9, 30, 16, 0, 0, 0), FOUR_HOURS),
        (datetime(2026, 2, 13, 17, 0, 0, 0), 9 * 60),
        (datetime(2026, 11, 24, 12, 10, 0, 0), 95),
        (datetime(2026, 10, 9, 16, 0, 0, 0), 30 * 60),
    ] {
        let end = h.add(&c, start, n).unwrap();
        assert_eq!(
            h.minutes_between(&c, start, end).unwrap(),
            n,
            "{start} + {n}"
        );
    }
    assert_eq!(
        h.minutes_between(
            &c,
            datetime(2026, 11, 25, 0, 0, 0, 0),
            datetime(2026, 11, 24, 0, 0, 0, 0)
        )
        .unwrap(),
        0
    );
}

#[test]
fn working_days_read_back_and_bad_ones_are_refused() {
    let d = WorkingDay::parse("8:30–12:00；13:30–17:30").unwrap();
    assert_eq!(d, WorkingDay::standard());
    assert_eq!(d.to_string(), "08:30-12:00,13:30-17:30");
    assert_eq!(d.minutes(), 450);
    assert_eq!(WorkingDay::parse("morning"), Err(HoursError::Unreadable));
    assert_eq!(WorkingDay::parse(""), Err(HoursError::Unreadable));
    assert_eq!(
        WorkingDay::parse("25:00-26:00"),
        Err(HoursError::Unreadable)
    );
    assert_eq!(
        WorkingDay::parse("12:00-08:30"),
        Err(HoursError::Disordered)
    );
    assert_eq!(
        WorkingDay::parse("08:30-12:00,11:00-17:30"),
        Err(HoursError::Disordered)
    );
}

#[test]
fn zero_minutes_is_the_start_itself() {
    let t = datetime(2026, 10, 3, 22, 0, 0, 0);
    assert_eq!(hours().add(&cal(), t, 0).unwrap(), t);
}

#[test]
fn seconds_past_the_minute_are_kept_across_lunch() {
    // 10:00:30 + 4 h: 1 h 59 min 30 s before noon, the rest after 13:30 → 15:30:30.
    let due = hours()
        .add(&cal(), datetime(2026, 11, 25, 10, 0, 30, 0), FOUR_HOURS)
        .unwrap();
    assert_eq!(due, datetime(2026, 11, 25, 15, 30, 30, 0));
}
