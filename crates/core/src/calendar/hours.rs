//! Working hours (工作时间): a working day is one or more periods such as 8:30–12:00 and
//! 13:30–17:30, set per year, on the days the holiday [`Calendar`] says are worked (调休补班
//! included). [`WorkingHours::add`] adds N working minutes to a local time, skipping lunch,
//! evenings, weekends and holidays — the report-in window of a joint matter (吹哨报到) is
//! counted this way. Pure rules: the caller passes the calendar, the hours and the local time.

use super::{Calendar, CalendarError};
use jiff::civil::{Date, DateTime, Time};
use std::collections::BTreeMap;
use std::fmt;

/// The periods of one working day, in order and not overlapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingDay {
    periods: Vec<(Time, Time)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    #[error("write working hours as 08:30-12:00,13:30-17:30")]
    Unreadable,
    #[error("each period must end after it starts and after the period before it")]
    Disordered,
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl WorkingDay {
    /// The usual government day: 8:30–12:00 and 13:30–17:30 (7.5 hours).
    pub fn standard() -> WorkingDay {
        WorkingDay {
            periods: vec![
                (Time::constant(8, 30, 0, 0), Time::constant(12, 0, 0, 0)),
                (Time::constant(13, 30, 0, 0), Time::constant(17, 30, 0, 0)),
            ],
        }
    }

    /// Reads `08:30-12:00,13:30-17:30` (also `8:30–12:00；13:30–17:30`).
    pub fn parse(text: &str) -> Result<WorkingDay, HoursError> {
        let mut periods = Vec::new();
        for part in text.split([',', '，', ';', '；']) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let (a, b) = part
                .split_once(['-', '–', '~', '～'])
                .ok_or(HoursError::Unreadable)?;
            periods.push((read_time(a)?, read_time(b)?));
        }
        if periods.is_empty() {
            return Err(HoursError::Unreadable);
        }
        let mut last_end: Option<Time> = None;
        for (start, end) in &periods {
            if end <= start || last_end.is_some_and(|l| *start < l) {
                return Err(HoursError::Disordered);
            }
            last_end = Some(*end);
        }
        Ok(WorkingDay { periods })
    }

    pub fn periods(&self) -> &[(Time, Time)] {
        &self.periods
    }

    /// Working minutes in one full day.
    pub fn minutes(&self) -> i64 {
        self.periods
            .iter()
            .map(|(a, b)| minutes_between(*a, *b))
            .sum()
    }
}

impl fmt::Display for WorkingDay {
    /// The stored form, read back by [`WorkingDay::parse`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (a, b)) in self.periods.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{}-{}", a.strftime("%H:%M"), b.strftime("%H:%M"))?;
        }
        Ok(())
    }
}

fn read_time(text: &str) -> Result<Time, HoursError> {
    let (h, m) = text
        .trim()
        .split_once([':', '：'])
        .ok_or(HoursError::Unreadable)?;
    let h: i8 = h.trim().parse().map_err(|_| HoursError::Unreadable)?;
    let m: i8 = m.trim().parse().map_err(|_| HoursError::Unreadable)?;
    Time::new(h, m, 0, 0).map_err(|_| HoursError::Unreadable)
}

fn minutes_between(a: Time, b: Time) -> i64 {
    seconds_between(a, b) / 60
}

/// Seconds from `a` to `b` (sub-second parts ignored).
fn seconds_between(a: Time, b: Time) -> i64 {
    let secs =
        |t: Time| i64::from(t.hour()) * 3600 + i64::from(t.minute()) * 60 + i64::from(t.second());
    secs(b) - secs(a)
}

/// The working day of each year, with a default for years not set.
#[derive(Debug, Clone)]
pub struct WorkingHours {
    default: WorkingDay,
    by_year: BTreeMap<i16, WorkingDay>,
}

impl Default for WorkingHours {
    fn default() -> Self {
        WorkingHours::new(WorkingDay::standard())
    }
}

/// Days [`WorkingHours::add`] walks before giving up (a working day with no periods cannot
/// happen, but a calendar of a year of holidays could).
const MAX_DAYS: i64 = 366 * 5;

impl WorkingHours {
    pub fn new(default: WorkingDay) -> WorkingHours {
        WorkingHours {
            default,
            by_year: BTreeMap::new(),
        }
    }

    /// Sets the working day of `year` (e.g. summer hours decided for that year).
    pub fn with_year(mut self, year: i16, day: WorkingDay) -> WorkingHours {
        self.by_year.insert(year, day);
        self
    }

    pub fn day_for(&self, date: Date) -> &WorkingDay {
        self.by_year.get(&date.year()).unwrap_or(&self.default)
    }

    /// The local time `minutes` working minutes after `start`. Time before the first period,
    /// over lunch, after the last period and on days off is not counted. When the sum ends
    /// exactly at a period's end, that end is the answer (4 h from 13:30 is 17:30 the same
    /// day, not 8:30 the next). `minutes = 0` gives `start` itself.
    pub fn add(
        &self,
        calendar: &Calendar,
        start: DateTime,
        minutes: i64,
    ) -> Result<DateTime, HoursError> {
        if minutes <= 0 {
            return Ok(start);
        }
        // Counted in seconds, so a start at 10:00:30 ends at the same second past the minute.
        let mut left = minutes * 60;
        let mut day = start.date();
        let mut from = start.time();
        for _ in 0..MAX_DAYS {
            if calendar.is_workday(day) {
                for (a, b) in self.day_for(day).periods() {
                    if *b <= from {
                        continue;
                    }
                    let begin = if *a > from { *a } else { from };
                    let room = seconds_between(begin, *b);
                    if left <= room {
                        let at = day.to_datetime(begin);
                        return at
                            .checked_add(jiff::Span::new().seconds(left))
                            .map_err(|_| HoursError::Calendar(CalendarError::OutOfRange));
                    }
                    left -= room;
                }
            }
            day = day
                .tomorrow()
                .map_err(|_| HoursError::Calendar(CalendarError::OutOfRange))?;
            from = Time::midnight();
        }
        Err(HoursError::Calendar(CalendarError::OutOfRange))
    }

    /// Working minutes from `from` to `to` (0 when `to` is not after `from`): how late a
    /// report-in was, counted as the window was.
    pub fn minutes_between(
        &self,
        calendar: &Calendar,
        from: DateTime,
        to: DateTime,
    ) -> Result<i64, HoursError> {
        if to <= from {
            return Ok(0);
        }
        let mut total = 0;
        let mut day = from.date();
        for _ in 0..MAX_DAYS {
            if day > to.date() {
                return Ok(total);
            }
            if calendar.is_workday(day) {
                for (a, b) in self.day_for(day).periods() {
                    let lo = if day == from.date() && from.time() > *a {
                        from.time()
                    } else {
                        *a
                    };
                    let hi = if day == to.date() && to.time() < *b {
                        to.time()
                    } else {
                        *b
                    };
                    if hi > lo {
                        total += minutes_between(lo, hi);
                    }
                }
            }
            day = day
                .tomorrow()
                .map_err(|_| HoursError::Calendar(CalendarError::OutOfRange))?;
        }
        Err(HoursError::Calendar(CalendarError::OutOfRange))
    }
}

#[cfg(test)]
mod tests;
