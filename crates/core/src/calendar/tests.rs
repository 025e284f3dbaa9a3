use super::*;
use jiff::civil::date;

fn official() -> Calendar {
    Calendar::new(
        official_schedule(2025)
            .into_iter()
            .chain(official_schedule(2026)),
    )
}

#[test]
fn the_2026_schedule_has_its_published_holidays_and_six_make_up_days() {
    let s = official_schedule(2026);
    let make_up: Vec<Date> = s.iter().filter(|d| d.workday).map(|d| d.day).collect();
    // 国办发明电〔2025〕7号: 1月4日, 2月14日, 2月28日, 5月9日, 9月20日, 10月10日.
    assert_eq!(
        make_up,
        [
            date(2026, 1, 4),
            date(2026, 2, 14),
            date(2026, 2, 28),
            date(2026, 5, 9),
            date(2026, 9, 20),
            date(2026, 10, 10)
        ]
    );
    let holidays = s.iter().filter(|d| !d.workday).count();
    // 元旦 3 + 春节 9 + 清明 3 + 劳动节 5 + 端午 3 + 中秋 3 + 国庆 7.
    assert_eq!(holidays, 33);
    assert!(
        s.iter()
            .any(|d| d.day == date(2026, 2, 17) && d.name == "春节")
    );
}

#[test]
fn one_working_day_after_friday_13_february_2026_is_the_make_up_saturday() {
    assert_eq!(
        official().add_workdays(date(2026, 2, 13), 1),
        Ok(date(2026, 2, 14))
    );
}

#[test]
fn the_spring_festival_week_is_skipped() {
    let cal = official();
    // Sat 14 Feb is worked, then 15–23 Feb are off.
    assert_eq!(
        cal.add_workdays(date(2026, 2, 14), 1),
        Ok(date(2026, 2, 24))
    );
    assert_eq!(
        cal.add_workdays(date(2026, 2, 24), -1),
        Ok(date(2026, 2, 14))
    );
    assert_eq!(
        cal.add_workdays(date(2026, 2, 24), 0),
        Ok(date(2026, 2, 24))
    );
}

#[test]
fn february_2026_has_sixteen_working_days() {
    // 20 weekdays, minus 6 festival weekdays (16–20, 23), plus Saturdays 14 and 28.
    assert_eq!(
        official().workdays(date(2026, 2, 1), date(2026, 2, 28)),
        Ok(16)
    );
}

#[test]
fn national_day_2026_and_its_make_up_days() {
    let cal = official();
    assert!(
        cal.is_workday(date(2026, 9, 20)),
        "Sunday 20 September is worked"
    );
    assert!(!cal.is_workday(date(2026, 10, 7)));
    assert!(
        cal.is_workday(date(2026, 10, 10)),
        "Saturday 10 October is worked"
    );
    assert_eq!(
        cal.add_workdays(date(2026, 9, 30), 1),
        Ok(date(2026, 10, 8))
    );
    // 15 working days from 交办 on Mon 2026-09-28: 29, 30 Sep; 8, 9, 10 (Sat, worked), 12–16,
    // 19–23 Oct.
    assert_eq!(
        cal.add_workdays(date(2026, 9, 28), 15),
        Ok(date(2026, 10, 23))
    );
}

#[test]
fn without_special_days_working_days_are_monday_to_friday() {
    let cal = Calendar::default();
    assert_eq!(cal.workdays(date(2026, 11, 23), date(2026, 11, 29)), Ok(5));
    assert_eq!(
        cal.add_workdays(date(2026, 11, 27), 1),
        Ok(date(2026, 11, 30))
    );
    assert_eq!(cal.workdays(date(2026, 11, 28), date(2026, 11, 28)), Ok(0));
}

#[test]
fn ranges_must_be_in_order_and_finite() {
    let cal = Calendar::default();
    assert_eq!(
        cal.workdays(date(2026, 2, 2), date(2026, 2, 1)),
        Err(CalendarError::EndsBeforeStart)
    );
    assert_eq!(
        cal.workdays(date(2000, 1, 1), date(2090, 1, 1)),
        Err(CalendarError::OutOfRange)
    );
    let all_off = Calendar::new((0..400).map(|i| {
        SpecialDay {
            day: date(2026, 1, 1)
                .checked_add(jiff::Span::new().days(i))
                .unwrap(),
            workday: false,
            name: String::new(),
        }
    }));
    // 400 days off (to Thu 2027-02-04), then Friday 5 February is the first working day.
    assert_eq!(
        all_off.add_workdays(date(2026, 1, 1), 1),
        Ok(date(2027, 2, 5))
    );
}

#[test]
fn add_then_count_agree() {
    let cal = official();
    for n in 1..60 {
        let end = cal.add_workdays(date(2026, 1, 1), n).unwrap();
        let next = date(2026, 1, 2);
        assert_eq!(cal.workdays(next, end), Ok(n), "n = {n}");
    }
}
