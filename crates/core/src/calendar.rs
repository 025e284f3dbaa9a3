//! Working days (工作日) and make-up working days (调休/补班). A day is a working day when the
//! calendar says so, otherwise when it is Monday to Friday. The calendar is data — an
//! admin-editable table seeded from the State Council's published schedules — passed in here;
//! these functions only count.

pub mod hours;

use jiff::civil::{Date, Weekday};
use std::collections::BTreeMap;

/// A day whose status differs from the weekday rule, or is named: a statutory holiday, or a
/// weekend day that is worked (补班).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialDay {
    pub day: Date,
    pub workday: bool,
    /// E.g. "春节" or "春节补班"; empty when unnamed.
    pub name: String,
}

/// The set of special days known for some years.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    special: BTreeMap<Date, bool>,
}

/// The span `add_workdays` and `workdays` will walk before giving up (a typo such as a year
/// 9999 should fail, not spin).
const MAX_SPAN_DAYS: i64 = 366 * 20;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("the range runs past the supported dates")]
    OutOfRange,
    #[error("the end date is before the start date")]
    EndsBeforeStart,
}

impl Calendar {
    pub fn new(days: impl IntoIterator<Item = SpecialDay>) -> Calendar {
        Calendar {
            special: days.into_iter().map(|d| (d.day, d.workday)).collect(),
        }
    }

    pub fn is_workday(&self, day: Date) -> bool {
        match self.special.get(&day) {
            Some(w) => *w,
            None => !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday),
        }
    }

    /// The date `n` working days after `start` (the start itself is not counted); with a
    /// negative `n`, before it. `n = 0` is `start`.
    pub fn add_workdays(&self, start: Date, n: i64) -> Result<Date, CalendarError> {
        let step = if n < 0 { -1 } else { 1 };
        let mut left = n.abs();
        let mut day = start;
        let mut walked = 0;
        while left > 0 {
            day = day
                .checked_add(jiff::Span::new().days(step))
                .map_err(|_| CalendarError::OutOfRange)?;
            walked += 1;
            if walked > MAX_SPAN_DAYS {
                return Err(CalendarError::OutOfRange);
            }
            if self.is_workday(day) {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// How many working days lie between `from` and `to`, both ends included.
    pub fn workdays(&self, from: Date, to: Date) -> Result<i64, CalendarError> {
        if to < from {
            return Err(CalendarError::EndsBeforeStart);
        }
        let mut count = 0;
        let mut day = from;
        let mut walked = 0;
        loop {
            if self.is_workday(day) {
                count += 1;
            }
            if day == to {
                return Ok(count);
            }
            walked += 1;
            if walked > MAX_SPAN_DAYS {
                return Err(CalendarError::OutOfRange);
            }
            day = day.tomorrow().map_err(|_| CalendarError::OutOfRange)?;
        }
    }
}

/// The published schedule of `year` (2004–2026 as the `chinese_holiday` crate carries them):
/// every statutory holiday and make-up working day. Used to seed the calendar table.
pub fn official_schedule(year: i16) -> Vec<SpecialDay> {
    use chinese_holiday::{DayKind, chinese_holiday};
    let Ok(mut day) = Date::new(year, 1, 1) else {
        return vec![];
    };
    let last = Date::new(year, 12, 25).unwrap_or(day);
    let mut out = Vec::new();
    while day <= last && (2004..=2026).contains(&year) {
        let ymd = (day.year() as u16, day.month() as u8, day.day() as u8);
        let kind = chinese_holiday(ymd);
        if !matches!(kind, DayKind::NormalWorkday | DayKind::NormalHoliday) {
            out.push(SpecialDay {
                day,
                workday: kind.is_workday(),
                name: festival_name(kind).to_string(),
            });
        }
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    out
}

fn festival_name(kind: chinese_holiday::DayKind) -> &'static str {
    use chinese_holiday::DayKind::*;
    match kind {
        NewYearsDayHoliday => "元旦",
        NewYearsDayWorkday => "元旦补班",
        SpringFestivalHoliday => "春节",
        SpringFestivalWorkday => "春节补班",
        ChingMingFestivalHoliday => "清明节",
        ChingMingFestivalWorkday => "清明节补班",
        InternationalWorkersDayHoliday => "劳动节",
        InternationalWorkersDayWorkday => "劳动节补班",
        DragonBoatFestivalHoliday => "端午节",
        DragonBoatFestivalWorkday => "端午节补班",
        MidAutumnFestivalHoliday => "中秋节",
        MidAutumnFestivalWorkday => "中秋节补班",
        NationalDayHoliday => "国庆节",
        NationalDayWorkday => "国庆节补班",
        OtherHoliday => "假日",
        OtherWorkday => "补班",
        NormalWorkday | NormalHoliday => "",
    }
}

#[cfg(test)]
mod tests;
