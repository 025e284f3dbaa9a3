//! When a draft appears by itself: a year's schedule names a cadence and the working day of
//! the following period on which the draft of the period just ended is generated (monthly on
//! the 3rd working day of the next month, quarterly on the 5th working day after the
//! quarter …). Working days come from the calendar (holidays, 补班).

use super::{BulletinError, Cadence, Covers};
use crate::assessment::period::{Period, Span};
use crate::calendar::Calendar;
use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

/// A year's automatic drafts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub cadence: Cadence,
    /// The n-th working day (1-based) of the next period on which the draft appears.
    pub working_day: u8,
}

impl Schedule {
    pub fn new(cadence: Cadence, working_day: u8) -> Result<Schedule, BulletinError> {
        if !(1..=10).contains(&working_day) {
            return Err(BulletinError::BadWorkingDay);
        }
        Ok(Schedule {
            cadence,
            working_day,
        })
    }

    /// The period whose draft is due on `today`, if today is its day.
    pub fn due_on(&self, today: Date, calendar: &Calendar) -> Option<Covers> {
        let (start, covers) = match self.cadence {
            Cadence::Weekly => {
                let monday = today
                    .nth_weekday(-1, Weekday::Monday)
                    .ok()
                    .filter(|_| today.weekday() != Weekday::Monday)
                    .unwrap_or(today);
                let last = monday.yesterday().ok()?.iso_week_date();
                (
                    monday,
                    Covers::Week {
                        year: last.year(),
                        week: last.week(),
                    },
                )
            }
            Cadence::Monthly => {
                let first = today.first_of_month();
                let prev = first.yesterday().ok()?;
                (
                    first,
                    Covers::Period(Period::month(prev.year(), prev.month())),
                )
            }
            Cadence::Quarterly | Cadence::HalfYear => {
                let months = if self.cadence == Cadence::Quarterly {
                    3
                } else {
                    6
                };
                let m0 = (today.month() - 1) / months * months + 1;
                let first = jiff::civil::date(today.year(), m0, 1);
                let prev = first.yesterday().ok()?;
                let span = if months == 3 {
                    Span::Quarter((prev.month() - 1) / 3 + 1)
                } else {
                    Span::Half(if prev.month() <= 6 { 1 } else { 2 })
                };
                (
                    first,
                    Covers::Period(Period {
                        year: prev.year(),
                        span,
                    }),
                )
            }
        };
        let first_workday = if calendar.is_workday(start) {
            start
        } else {
            calendar.add_workdays(start, 1).ok()?
        };
        let day = calendar
            .add_workdays(first_workday, i64::from(self.working_day) - 1)
            .ok()?;
        (day == today).then_some(covers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::official_schedule;
    use jiff::civil::date;

    fn cal() -> Calendar {
        Calendar::new(official_schedule(2026))
    }

    #[test]
    fn a_monthly_draft_appears_on_the_third_working_day() {
        let s = Schedule::new(Cadence::Monthly, 3).unwrap();
        // November 2026 starts on a Sunday: Mon 2, Tue 3, Wed 4.
        assert_eq!(
            s.due_on(date(2026, 11, 4), &cal())
                .map(Covers::key)
                .as_deref(),
            Some("2026-10")
        );
        for other in [date(2026, 11, 3), date(2026, 11, 5), date(2026, 11, 1)] {
            assert_eq!(s.due_on(other, &cal()), None, "{other}");
        }
    }

    #[test]
    fn holidays_push_the_day_back() {
        // 1–7 October 2026 is the National Day holiday (with 10 October worked): the 3rd
        // working day of October is the 10th's weekend make-up day or later, never the 3rd.
        let s = Schedule::new(Cadence::Monthly, 3).unwrap();
        assert_eq!(s.due_on(date(2026, 10, 5), &cal()), None);
        let day = (1..=20)
            .map(|d| date(2026, 10, d))
            .find(|d| s.due_on(*d, &cal()).is_some())
            .unwrap();
        assert!(day >= date(2026, 10, 9), "{day}");
        assert_eq!(s.due_on(day, &cal()).unwrap().key(), "2026-09");
    }

    #[test]
    fn quarterly_weekly_and_half_year_drafts_name_the_period_just_ended() {
        let q = Schedule::new(Cadence::Quarterly, 1).unwrap();
        let day = (1..=20)
            .map(|d| date(2026, 10, d))
            .find(|d| q.due_on(*d, &cal()).is_some())
            .unwrap();
        assert_eq!(q.due_on(day, &cal()).unwrap().key(), "2026-Q3");
        let w = Schedule::new(Cadence::Weekly, 1).unwrap();
        assert_eq!(
            w.due_on(date(2026, 11, 2), &cal())
                .map(Covers::key)
                .as_deref(),
            Some("2026-W44")
        );
        let h = Schedule::new(Cadence::HalfYear, 2).unwrap();
        assert_eq!(
            h.due_on(date(2026, 7, 2), &cal())
                .map(Covers::key)
                .as_deref(),
            Some("2026-H1")
        );
    }

    #[test]
    fn the_working_day_is_checked() {
        assert_eq!(
            Schedule::new(Cadence::Monthly, 0),
            Err(BulletinError::BadWorkingDay)
        );
        assert!(Schedule::new(Cadence::Monthly, 11).is_err());
    }
}
