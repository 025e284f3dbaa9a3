//! 整改时限 and the dates of a problem list, as clerks write them.
//!
//! A deadline is a date or a period counted from the day the problem is handed out, in the rule
//! form of `duban_core::cases::deadline::DeadlineRule`: `2026-06-30`, `15d`, `7wd`, `3m`.
//! Periods: "7个工作日" → `7wd`; "15日", "15天", "15个自然日" → `15d`; "2周" → `14d`;
//! "3个月" → `3m` (numbers in digits or Chinese, 十五日); a trailing 内 / 以内 / 前 is ignored.
//! "3月" is a date (the end of March), as in the task lists. Dates are read like the task
//! lists' ([`crate::lists::parse_due`]'s forms: 2026-06-30, 2026/6/30, 2026年6月底, 6月底 …);
//! a date written without a year takes the year in the sheet's title, else the problem's
//! 发现时间, else it is refused — a problem list has no list year to fall back on.

use crate::lists::columns::small_cn_number;
use crate::lists::due::{DueError, names_year, parse_date_text};
use crate::lists::grid::Cell;
use duban_core::cases::deadline::{DeadlineError, DeadlineRule};
use duban_core::lists::names::fold;
use jiff::civil::Date;

/// Why a deadline or date text was refused; carries the text as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateTextError {
    #[error("“{text}” cannot be read")]
    Unreadable { text: String },
    #[error("“{text}” names no year, and neither the title nor 发现时间 gives one")]
    NoYear { text: String },
    #[error("“{text}” is out of range: a period is 1 to 3650 days or 1 to 120 months")]
    OutOfRange { text: String },
    /// An impossible date (no month 13, no 2026-02-30); the message quotes the text.
    #[error("{0}")]
    Impossible(DueError),
}

impl DateTextError {
    /// The message in plain Chinese, quoting the text.
    pub fn zh(&self) -> String {
        match self {
            DateTextError::Unreadable { text } => format!("“{text}”无法识别"),
            DateTextError::NoYear { text } => {
                format!("“{text}”没有写年份，标题和发现时间中也没有年份")
            }
            DateTextError::OutOfRange { text } => {
                format!("“{text}”超出范围：期限应为1至3650日或1至120个月")
            }
            DateTextError::Impossible(e) => e.zh(),
        }
    }
}

/// Reads a 整改时限 as written into its rule. `year` is the year for dates written without
/// one (see the module doc). Blank text is [`DateTextError::Unreadable`]; the sheet reader
/// treats a blank cell as "no deadline" before calling this.
pub fn parse_deadline(text: &str, year: Option<i16>) -> Result<DeadlineRule, DateTextError> {
    let as_written = || text.trim().to_string();
    let s = strip_suffixes(fold(text).to_lowercase());
    if s.is_empty() {
        return Err(DateTextError::Unreadable { text: as_written() });
    }
    let stored = DeadlineRule::parse(&s).or_else(|e| match (e, period(&s)) {
        (DeadlineError::Unreadable, Some(rule)) => DeadlineRule::parse(&rule),
        (e, _) => Err(e),
    });
    match stored {
        Ok(rule) => return Ok(rule),
        Err(DeadlineError::OutOfRange) => {
            return Err(DateTextError::OutOfRange { text: as_written() });
        }
        Err(_) => {}
    }
    parse_date(text, year).map(|date| DeadlineRule::FixedDate { date })
}

/// A date cell: a real Excel date, or text as in [`parse_deadline`]'s dates.
pub(crate) fn parse_date_cell(cell: &Cell, year: Option<i16>) -> Result<Date, DateTextError> {
    match cell.date {
        Some(date) => Ok(date),
        None => parse_date(&cell.text, year),
    }
}

fn parse_date(text: &str, year: Option<i16>) -> Result<Date, DateTextError> {
    let as_written = || text.trim().to_string();
    let year = match year {
        Some(year) => year,
        // The year is not used when the text names its own.
        None if names_year(text) => 2000,
        None => {
            // Refuse for the year only what would be a date with one.
            return match parse_date_text(text, 2000) {
                Ok(_) => Err(DateTextError::NoYear { text: as_written() }),
                Err(e) => Err(date_error(e, as_written())),
            };
        }
    };
    parse_date_text(text, year).map_err(|e| date_error(e, as_written()))
}

fn date_error(e: DueError, text: String) -> DateTextError {
    match e {
        DueError::Empty | DueError::Unreadable { .. } => DateTextError::Unreadable { text },
        e => DateTextError::Impossible(e),
    }
}

/// The deadline as a clerk writes it: a date as `2026-06-30`, periods as 15日内, 7个工作日内,
/// 3个月内. [`parse_deadline`] reads each back as the same rule.
pub fn deadline_zh(rule: DeadlineRule) -> String {
    match rule {
        DeadlineRule::FixedDate { date } => date.to_string(),
        DeadlineRule::CalendarDays { n } => format!("{n}日内"),
        DeadlineRule::WorkingDays { n } => format!("{n}个工作日内"),
        DeadlineRule::Months { n } => format!("{n}个月内"),
    }
}

fn strip_suffixes(mut s: String) -> String {
    loop {
        let Some(rest) = ["以内", "之内", "内", "之前", "以前", "前", "完成", "。"]
            .iter()
            .find_map(|suffix| s.strip_suffix(suffix))
        else {
            return s;
        };
        s = rest.to_string();
    }
}

/// Period words after the number, and the stored unit (with a multiplier for weeks).
const UNITS: [(&[&str], &str, u32); 4] = [
    (&["个工作日", "工作日"], "wd", 1),
    (
        &["日", "天", "个自然日", "自然日", "个日历日", "日历日"],
        "d",
        1,
    ),
    (&["周", "个周", "星期", "个星期"], "d", 7),
    (&["个月"], "m", 1),
];

/// "7个工作日" → "7wd"; `None` when the text is not a number followed by a period word.
fn period(s: &str) -> Option<String> {
    let split = s
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || "〇一二三四五六七八九十两".contains(*c)))
        .map_or(s.len(), |(i, _)| i);
    let (number, word) = s.split_at(split);
    let n = number
        .parse::<u32>()
        .ok()
        .or_else(|| small_cn_number(number).map(u32::from))?;
    UNITS
        .iter()
        .find(|(words, _, _)| words.contains(&word))
        .map(|(_, unit, times)| format!("{}{unit}", n.saturating_mul(*times)))
}

#[cfg(test)]
mod tests;
