//! Deadlines as clerks write them (完成时限): dates in any common notation, month and period
//! ends (6月底, 上半年, 三季度末, 年底前), and ongoing work (长期坚持, 每季度).
//!
//! Rules: text is folded first (full-width → ASCII, no spaces); trailing 前 / 之前 / 完成 are
//! ignored; a date without a year takes the list's year; 上旬 is the 10th, 中旬 the 20th, 下旬 /
//! 底 / 末 the month's last day; a year with a month but no day is the month's end. Ongoing words
//! (长期, 持续, 常态) report monthly unless a cadence (每周 … 每年, 按月, 按季度) is named.

use super::columns::{quarter_of, small_cn_number};
use duban_core::lists::names::fold;
use duban_core::lists::{Cadence, Due};
use jiff::civil::Date;

/// Why a deadline text was refused; carries the text as written so messages can quote it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DueError {
    #[error("the deadline is empty")]
    Empty,
    #[error("“{text}” is not a deadline we understand (write 2026-06-30, 6月底 or 长期坚持)")]
    Unreadable { text: String },
    #[error("“{text}” is not a date: there is no month {month}")]
    NoSuchMonth { text: String, month: u32 },
    #[error("“{text}” is not a date: {year}-{month:02} has no day {day}")]
    NoSuchDay {
        text: String,
        year: i16,
        month: u32,
        day: u32,
    },
}

impl DueError {
    /// The message in plain Chinese, quoting the text.
    pub fn zh(&self) -> String {
        match self {
            DueError::Empty => "没有填写".to_string(),
            DueError::Unreadable { text } => {
                format!("“{text}”无法识别，请写成“2026-06-30”“6月底前”或“长期坚持”等形式")
            }
            DueError::NoSuchMonth { text, month } => {
                format!("“{text}”不是有效日期：没有{month}月")
            }
            DueError::NoSuchDay {
                text,
                year,
                month,
                day,
            } => format!("“{text}”不是有效日期：{year}年{month}月没有{day}日"),
        }
    }
}

/// Reads a deadline cell's text. `year` is the list's year, used when the text names none.
/// Blank text is [`DueError::Empty`]; the sheet reader treats a blank cell as "no deadline".
pub fn parse_due(text: &str, year: i16) -> Result<Due, DueError> {
    let s = strip_suffixes(fold(text));
    if s.is_empty() {
        return Err(DueError::Empty);
    }
    let as_written = || text.trim().to_string();
    match parse_date(&s, year) {
        Ok(Some(date)) => Ok(Due::By { date }),
        Ok(None) => ongoing(&s)
            .map(|cadence| Due::Ongoing { cadence })
            .ok_or_else(|| DueError::Unreadable { text: as_written() }),
        Err(e) => Err(e.into_error(as_written())),
    }
}

/// Reads a date only (a milestone's date, 6月底 …); ongoing words are refused.
pub(crate) fn parse_date_text(text: &str, year: i16) -> Result<Date, DueError> {
    let s = strip_suffixes(fold(text));
    match parse_date(&s, year) {
        Ok(Some(date)) => Ok(date),
        Ok(None) => Err(DueError::Unreadable {
            text: text.trim().to_string(),
        }),
        Err(e) => Err(e.into_error(text.trim().to_string())),
    }
}

/// Whether a date text names its year (2026-06-30, 2026年6月底, 20260630) rather than taking
/// the list's (6月底, 6/30, 年底), by the same rules as [`parse_date_text`].
pub(crate) fn names_year(text: &str) -> bool {
    let s = strip_suffixes(fold(text));
    if s.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.'))
    {
        let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
        return !matches!(parts.as_slice(), [a, _] if a.len() <= 2);
    }
    split_year(&s).is_some()
}

/// An impossible date, before the text is attached.
enum Bad {
    Month(u32),
    Day(i16, u32, u32),
}

impl Bad {
    fn into_error(self, text: String) -> DueError {
        match self {
            Bad::Month(month) => DueError::NoSuchMonth { text, month },
            Bad::Day(year, month, day) => DueError::NoSuchDay {
                text,
                year,
                month,
                day,
            },
        }
    }
}

fn strip_suffixes(mut s: String) -> String {
    loop {
        let Some(rest) = ["之前", "以前", "前", "完成", "为止", "止", "。"]
            .iter()
            .find_map(|suffix| s.strip_suffix(suffix))
        else {
            return s;
        };
        s = rest.to_string();
    }
}

const YEAR_END: [&str; 17] = [
    "",
    "底",
    "末",
    "内",
    "度",
    "度内",
    "年底",
    "年末",
    "年内",
    "年度",
    "年度内",
    "全年",
    "本年",
    "本年度",
    "本年底",
    "今年",
    "今年底",
];
const FIRST_HALF: [&str; 6] = ["上半年", "上半年底", "上半年末", "年中", "半年", "年上半年"];
const SECOND_HALF: [&str; 4] = ["下半年", "下半年底", "下半年末", "年下半年"];

/// `Ok(None)` when the text is not shaped like a date at all.
fn parse_date(s: &str, year: i16) -> Result<Option<Date>, Bad> {
    if s.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.'))
    {
        return numeric_date(s, year);
    }
    let (y, rest) = match split_year(s) {
        Some((y, rest)) => (Some(y), rest),
        None => (None, s),
    };
    let year = y.unwrap_or(year);
    if rest.is_empty() && y.is_none() {
        return Ok(None);
    }
    if YEAR_END.contains(&rest) {
        return ymd(year, 12, 31).map(Some);
    }
    if FIRST_HALF.contains(&rest) {
        return ymd(year, 6, 30).map(Some);
    }
    if SECOND_HALF.contains(&rest) {
        return ymd(year, 12, 31).map(Some);
    }
    if let Some(q) = quarter_of(rest) {
        return month_end(year, u32::from(q) * 3).map(Some);
    }
    let Some((month, tail)) = rest.split_once('月') else {
        return Ok(None);
    };
    let Some(month) = month
        .parse::<u32>()
        .ok()
        .or_else(|| small_cn_number(month).map(u32::from))
    else {
        return Ok(None);
    };
    match tail {
        "" | "底" | "末" | "份" | "份底" | "下旬" => month_end(year, month).map(Some),
        "上旬" => ymd(year, month, 10).map(Some),
        "中旬" => ymd(year, month, 20).map(Some),
        _ => {
            let day = tail.trim_end_matches(['日', '号']);
            match day.parse::<u32>() {
                Ok(day) => ymd(year, month, day).map(Some),
                Err(_) => Ok(None),
            }
        }
    }
}

/// 2026-06-30, 2026/6/30, 2026.6.30, 20260630, 2026.6 (month end), 6/30 (list's year).
fn numeric_date(s: &str, year: i16) -> Result<Option<Date>, Bad> {
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    let num = |p: &str| p.parse::<u32>().ok();
    let full_year = |p: &str| match p.len() {
        4 => p.parse::<i16>().ok(),
        2 => p.parse::<i16>().ok().map(|y| 2000 + y),
        _ => None,
    };
    match parts.as_slice() {
        [one] if one.len() == 8 => {
            let (Some(y), Some(m), Some(d)) =
                (full_year(&one[..4]), num(&one[4..6]), num(&one[6..]))
            else {
                return Ok(None);
            };
            ymd(y, m, d).map(Some)
        }
        [one] if one.len() == 4 => match full_year(one) {
            Some(y) => ymd(y, 12, 31).map(Some),
            None => Ok(None),
        },
        [a, b] if a.len() == 4 => match (full_year(a), num(b)) {
            (Some(y), Some(m)) => month_end(y, m).map(Some),
            _ => Ok(None),
        },
        [a, b] if a.len() <= 2 => match (num(a), num(b)) {
            (Some(m), Some(d)) => ymd(year, m, d).map(Some),
            _ => Ok(None),
        },
        [a, b, c] if a.len() == 4 || a.len() == 2 => match (full_year(a), num(b), num(c)) {
            (Some(y), Some(m), Some(d)) => ymd(y, m, d).map(Some),
            _ => Ok(None),
        },
        _ => Ok(None),
    }
}

/// "2026年…" → (2026, "…"); two-digit years are this century.
fn split_year(s: &str) -> Option<(i16, &str)> {
    let (y, rest) = s.split_once('年')?;
    let year = match y.len() {
        4 => y.parse::<i16>().ok()?,
        2 => 2000 + y.parse::<i16>().ok()?,
        _ => return None,
    };
    Some((year, rest))
}

fn ymd(year: i16, month: u32, day: u32) -> Result<Date, Bad> {
    let m = i8::try_from(month)
        .ok()
        .filter(|m| (1..=12).contains(m))
        .ok_or(Bad::Month(month))?;
    let d = i8::try_from(day).map_err(|_| Bad::Day(year, month, day))?;
    Date::new(year, m, d).map_err(|_| Bad::Day(year, month, day))
}

fn month_end(year: i16, month: u32) -> Result<Date, Bad> {
    Ok(ymd(year, month, 1)?.last_of_month())
}

const CADENCE_WORDS: [(&[&str], Cadence); 5] = [
    (&["每周", "按周", "每星期"], Cadence::Weekly),
    (&["每半年", "按半年"], Cadence::HalfYearly),
    (
        &["每季度", "每季", "按季度", "按季", "逐季"],
        Cadence::Quarterly,
    ),
    (&["每月", "按月", "逐月"], Cadence::Monthly),
    (&["每年", "按年"], Cadence::Yearly),
];

/// The cadence of an ongoing task, or `None` when the text does not say the work is ongoing.
fn ongoing(s: &str) -> Option<Cadence> {
    let named = CADENCE_WORDS
        .iter()
        .find(|(words, _)| words.iter().any(|w| s.contains(w)))
        .map(|(_, c)| *c);
    named.or_else(|| {
        ["长期", "持续", "常态", "经常性"]
            .iter()
            .any(|w| s.contains(w))
            .then_some(Cadence::Monthly)
    })
}

#[cfg(test)]
mod tests;
