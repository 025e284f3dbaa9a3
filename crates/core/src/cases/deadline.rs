//! Deadlines as rules (DOMAIN §3.5): a fixed date, N calendar days, N working days or N months
//! from a start date. The rule is kept with the date it gives, so the date can be recomputed
//! when the holiday table changes.
//!
//! Counting (民法典 arts. 201, 203, as practised): the start day is not counted; a period in
//! calendar days or months that ends on a day off ends on the next working day instead; a
//! period in months ends on the same day of the final month (the month's last day when it has
//! none). Working days follow the calendar, 调休 included.

use crate::calendar::{Calendar, CalendarError};
use jiff::civil::Date;
use std::fmt;

/// How a deadline is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DeadlineRule {
    FixedDate { date: Date },
    CalendarDays { n: u32 },
    WorkingDays { n: u32 },
    Months { n: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    #[error("write a deadline as a date (2026-06-30) or as 15d, 7wd or 3m")]
    Unreadable,
    #[error("a period must be 1 to 3650 days or 1 to 120 months")]
    OutOfRange,
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl DeadlineRule {
    /// Reads the stored form: `2026-06-30`, `15d`, `7wd`, `3m`.
    pub fn parse(text: &str) -> Result<DeadlineRule, DeadlineError> {
        let t = text.trim();
        if let Ok(date) = t.parse::<Date>() {
            return Ok(DeadlineRule::FixedDate { date });
        }
        let (digits, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
        let n: u32 = digits.parse().map_err(|_| DeadlineError::Unreadable)?;
        let rule = match unit {
            "d" => DeadlineRule::CalendarDays { n },
            "wd" => DeadlineRule::WorkingDays { n },
            "m" => DeadlineRule::Months { n },
            _ => return Err(DeadlineError::Unreadable),
        };
        let ok = match rule {
            DeadlineRule::Months { n } => (1..=120).contains(&n),
            DeadlineRule::CalendarDays { n } | DeadlineRule::WorkingDays { n } => {
                (1..=3650).contains(&n)
            }
            DeadlineRule::FixedDate { .. } => true,
        };
        if ok {
            Ok(rule)
        } else {
            Err(DeadlineError::OutOfRange)
        }
    }

    /// The date the rule gives for a period starting on `start` (e.g. the day of 交办).
    pub fn due(self, start: Date, calendar: &Calendar) -> Result<Date, DeadlineError> {
        let roll = |d: Date| -> Result<Date, DeadlineError> {
            if calendar.is_workday(d) {
                Ok(d)
            } else {
                Ok(calendar.add_workdays(d, 1)?)
            }
        };
        match self {
            DeadlineRule::FixedDate { date } => Ok(date),
            DeadlineRule::WorkingDays { n } => Ok(calendar.add_workdays(start, i64::from(n))?),
            DeadlineRule::CalendarDays { n } => {
                let end = start
                    .checked_add(jiff::Span::new().days(i64::from(n)))
                    .map_err(|_| DeadlineError::OutOfRange)?;
                roll(end)
            }
            DeadlineRule::Months { n } => {
                // jiff clamps to the month's last day (1-31 + 1 month = 2-28).
                let end = start
                    .checked_add(jiff::Span::new().months(i64::from(n)))
                    .map_err(|_| DeadlineError::OutOfRange)?;
                roll(end)
            }
        }
    }
}

impl fmt::Display for DeadlineRule {
    /// The stored form, read back by [`DeadlineRule::parse`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeadlineRule::FixedDate { date } => write!(f, "{date}"),
            DeadlineRule::CalendarDays { n } => write!(f, "{n}d"),
            DeadlineRule::WorkingDays { n } => write!(f, "{n}wd"),
            DeadlineRule::Months { n } => write!(f, "{n}m"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::official_schedule;
    use jiff::civil::date;

    fn cal() -> Calendar {
        Calendar::new(
            official_schedule(2025)
                .into_iter()
                .chain(official_schedule(2026)),
        )
    }

    #[test]
    fn rules_read_back_from_their_stored_form() {
        for text in ["2026-06-30", "15d", "7wd", "3m"] {
            assert_eq!(DeadlineRule::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(DeadlineRule::parse("7 天"), Err(DeadlineError::Unreadable));
        assert_eq!(DeadlineRule::parse("0d"), Err(DeadlineError::OutOfRange));
        assert_eq!(DeadlineRule::parse("wd"), Err(DeadlineError::Unreadable));
    }

    #[test]
    fn working_days_skip_the_spring_festival_and_count_the_make_up_saturday() {
        // 2026-02-13 (Fri) + 1 working day = 2026-02-14, a make-up Saturday (补班).
        let r = DeadlineRule::WorkingDays { n: 1 };
        assert_eq!(r.due(date(2026, 2, 13), &cal()).unwrap(), date(2026, 2, 14));
        // From the Saturday, the next working day is after the holiday (2026-02-15 … 02-23 off).
        assert_eq!(r.due(date(2026, 2, 14), &cal()).unwrap(), date(2026, 2, 24));
    }

    #[test]
    fn calendar_days_ending_on_a_day_off_move_to_the_next_working_day() {
        // 2026-09-20 + 15 days = 2026-10-05, inside the National Day holiday → 2026-10-09.
        let r = DeadlineRule::CalendarDays { n: 15 };
        let due = r.due(date(2026, 9, 20), &cal()).unwrap();
        assert!(due > date(2026, 10, 5) && cal().is_workday(due), "{due}");
        // Ending on a plain Sunday moves to Monday.
        let r = DeadlineRule::CalendarDays { n: 2 };
        assert_eq!(r.due(date(2026, 3, 20), &cal()).unwrap(), date(2026, 3, 23));
    }

    #[test]
    fn months_end_on_the_same_day_or_the_months_last_day() {
        let r = DeadlineRule::Months { n: 3 };
        assert_eq!(
            r.due(date(2026, 3, 20), &cal()).unwrap(),
            date(2026, 6, 22),
            "06-20 is a Saturday"
        );
        let r = DeadlineRule::Months { n: 1 };
        // 01-30 + 1 month is clamped to 02-28, a make-up Saturday (补班): a working day.
        assert!(cal().is_workday(date(2026, 2, 28)));
        assert_eq!(r.due(date(2026, 1, 30), &cal()).unwrap(), date(2026, 2, 28));
        // 01-31 + 1 month in 2025 is 02-28, a Friday.
        assert_eq!(r.due(date(2025, 1, 31), &cal()).unwrap(), date(2025, 2, 28));
        assert_eq!(
            r.due(date(2026, 4, 30), &cal()).unwrap(),
            date(2026, 6, 1),
            "05-30 is a Saturday"
        );
    }

    #[test]
    fn a_fixed_date_is_kept_as_given() {
        let r = DeadlineRule::FixedDate {
            date: date(2026, 10, 3),
        };
        assert_eq!(r.due(date(2026, 1, 1), &cal()).unwrap(), date(2026, 10, 3));
    }
}
