//! The values of a progress sheet as clerks write them: percentages, the 序时 judgement and
//! dates.
//!
//! A percentage is `85%`, `85％`, `85` or `85.5`; a number cell formatted as a percentage holds
//! 0.85 and means 85%. A bare fraction (`0.85` as text or in an unformatted cell) is refused as
//! ambiguous — 85% or 0.85%? — rather than guessed; so are words (八成) and values outside
//! 0–100. The judgement is 超 / 达 / 欠 / 已完成 with their usual variants (超序时进度, 滞后 …);
//! 其他, 不适用 and a dash mean "not measurable" and read as no judgement.

use crate::lists::due::{DueError, parse_date_text};
use crate::lists::grid::Cell;
use crate::lists::{format_number, parse_number};
use duban_core::lists::names::fold;
use duban_core::progress::schedule::Pace;
use jiff::ToSpan;
use jiff::civil::{Date, date};

/// Why a percentage was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum PercentError {
    #[error("is not a percentage")]
    Unreadable,
    #[error("could be read as a fraction or as percent")]
    Ambiguous,
    #[error("is not between 0% and 100%")]
    OutOfRange,
}

/// Reads a 完成比例 written as text: `85%`, `85％`, `85`, `85.5 %` → 85 (percent).
pub fn parse_percent(text: &str) -> Result<f64, PercentError> {
    let (value, unit) = parse_number(text).ok_or(PercentError::Unreadable)?;
    match unit.as_str() {
        "%" => in_range(value),
        "" => bare(value),
        _ => Err(PercentError::Unreadable),
    }
}

/// A number without a % sign: whole percent, unless it is a fraction of one.
fn bare(value: f64) -> Result<f64, PercentError> {
    if value > 0.0 && value < 1.0 {
        return Err(PercentError::Ambiguous);
    }
    in_range(value)
}

fn in_range(value: f64) -> Result<f64, PercentError> {
    if (0.0..=100.0).contains(&value) {
        Ok(value)
    } else {
        Err(PercentError::OutOfRange)
    }
}

/// A 完成比例 cell: its percentage and its text as Excel shows it. `percent_format` says the
/// cell is formatted as a percentage (its number is a fraction).
pub(crate) fn percent_cell(
    cell: &Cell,
    percent_format: bool,
) -> (Result<f64, PercentError>, String) {
    match cell.number {
        Some(n) if percent_format => {
            // 0.855 × 100 is 85.49999…; twelve significant digits are more than anyone types.
            let v = (n * 100.0 * 1e9).round() / 1e9;
            (in_range(v), format!("{}%", format_number(v)))
        }
        Some(n) => (bare(n), cell.text.clone()),
        None => (parse_percent(&cell.text), cell.text.clone()),
    }
}

/// The label the writer puts in 序时判断.
pub fn pace_label_zh(pace: Pace) -> &'static str {
    match pace {
        Pace::Ahead => "超",
        Pace::OnPace => "达",
        Pace::Behind => "欠",
        Pace::Done => "已完成",
    }
}

const PACE_WORDS: &[(&[&str], Pace)] = &[
    (&["超", "超前", "提前", "ahead"], Pace::Ahead),
    (
        &["达", "正常", "符合", "同步", "按", "onpace", "ontrack"],
        Pace::OnPace,
    ),
    (&["欠", "滞后", "落后", "慢", "behind"], Pace::Behind),
    (
        &["已完成", "完成", "提前完成", "已办结", "办结", "done"],
        Pace::Done,
    ),
];

/// Words for "cannot be judged against 序时进度".
const NOT_MEASURABLE: [&str; 8] = ["其他", "其它", "不适用", "无", "/", "-", "—", "——"];

/// Reads a 序时判断: `Ok(None)` for blank or not measurable, `Err` for text it does not know.
/// 序时 and 进度 are ignored around the word (超序时进度 = 超, 达进度 = 达, 进度滞后 = 滞后).
pub(crate) fn parse_pace(text: &str) -> Result<Option<Pace>, ()> {
    let f = fold(text).to_lowercase();
    let f = f.trim_end_matches(['。', '.']);
    if f.is_empty() || NOT_MEASURABLE.contains(&f) {
        return Ok(None);
    }
    let word = f.replace("序时", "").replace("进度", "");
    PACE_WORDS
        .iter()
        .find(|(words, _)| words.contains(&word.as_str()))
        .map(|(_, pace)| Some(*pace))
        .ok_or(())
}

/// Reads a 本期无变化 mark: `Ok(true)` for 是 / √ / 无变化 …, `Ok(false)` for blank or 否,
/// `Err` for anything else.
pub(crate) fn parse_no_change(text: &str) -> Result<bool, ()> {
    let f = fold(text).to_lowercase();
    let f = f.trim_end_matches(['。', '.']);
    match f {
        "" | "否" | "无" | "n" | "no" | "0" | "×" | "x" | "有变化" => Ok(false),
        "是" | "√" | "✓" | "✔" | "☑" | "y" | "yes" | "1" | "无变化" | "本期无变化" => {
            Ok(true)
        }
        _ => Err(()),
    }
}

/// The actual value of each of `indicators` that a 累计完成 text states (累计投资1.6亿元): a
/// number with the indicator's unit, and its name where several indicators share the unit
/// (the same rule as the milestones of a task list); `None` for each it does not state.
pub fn indicator_actuals(
    indicators: &[duban_core::lists::Indicator],
    text: &str,
) -> Vec<Option<f64>> {
    crate::lists::values_in_text(indicators, text)
}

/// A 报送日期 cell: a real date, an Excel serial number that lost its date format (2000–2100),
/// or text (2026-10-28, 2026/10/28, 2026年10月28日, 10月28日 in `year`).
pub(crate) fn date_cell(cell: &Cell, year: i16) -> Result<Date, DueError> {
    if let Some(d) = cell.date {
        return Ok(d);
    }
    if let Some(d) = cell.number.and_then(serial_date) {
        return Ok(d);
    }
    parse_date_text(&cell.text, year)
}

/// The date of an Excel serial day number (1900 system), for whole numbers in 2000–2100.
fn serial_date(n: f64) -> Option<Date> {
    const FIRST: f64 = 36_526.0; // 2000-01-01
    const LAST: f64 = 73_415.0; // 2100-12-31
    if !(FIRST..=LAST).contains(&n) || n.fract() != 0.0 {
        return None;
    }
    date(1899, 12, 30).checked_add((n as i64).days()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(n: f64) -> Cell {
        Cell {
            text: format_number(n),
            number: Some(n),
            ..Cell::default()
        }
    }

    fn text(t: &str) -> Cell {
        Cell {
            text: t.into(),
            ..Cell::default()
        }
    }

    #[test]
    fn percentages_as_clerks_write_them() {
        for (text, value) in [
            ("85%", 85.0),
            ("８５％", 85.0),
            ("85", 85.0),
            (" 85.5 % ", 85.5),
            ("0", 0.0),
            ("100%", 100.0),
            ("1", 1.0),
            ("0.5%", 0.5),
        ] {
            assert_eq!(parse_percent(text), Ok(value), "{text}");
        }
    }

    #[test]
    fn words_fractions_and_values_outside_0_to_100_are_refused() {
        for (text, err) in [
            ("八成", PercentError::Unreadable),
            ("已完成", PercentError::Unreadable),
            ("85%左右", PercentError::Unreadable),
            ("0.85", PercentError::Ambiguous),
            ("120%", PercentError::OutOfRange),
            ("-5%", PercentError::OutOfRange),
            ("101", PercentError::OutOfRange),
        ] {
            assert_eq!(parse_percent(text), Err(err), "{text}");
        }
    }

    #[test]
    fn a_number_formatted_as_percent_is_a_fraction_and_shows_as_excel_shows_it() {
        assert_eq!(percent_cell(&number(0.85), true), (Ok(85.0), "85%".into()));
        assert_eq!(
            percent_cell(&number(0.855), true),
            (Ok(85.5), "85.5%".into())
        );
        assert_eq!(
            percent_cell(&number(1.2), true),
            (Err(PercentError::OutOfRange), "120%".into())
        );
        assert_eq!(percent_cell(&number(85.0), false), (Ok(85.0), "85".into()));
        assert_eq!(
            percent_cell(&number(0.85), false).0,
            Err(PercentError::Ambiguous)
        );
        assert_eq!(percent_cell(&text("85%"), false).0, Ok(85.0));
    }

    #[test]
    fn pace_words_and_their_variants() {
        for (text, pace) in [
            ("超", Some(Pace::Ahead)),
            ("超序时进度", Some(Pace::Ahead)),
            ("达", Some(Pace::OnPace)),
            ("达进度", Some(Pace::OnPace)),
            ("欠", Some(Pace::Behind)),
            ("进度滞后", Some(Pace::Behind)),
            ("欠序时", Some(Pace::Behind)),
            ("已完成", Some(Pace::Done)),
            ("提前完成。", Some(Pace::Done)),
            ("Behind", Some(Pace::Behind)),
            ("", None),
            ("其他", None),
            ("/", None),
        ] {
            assert_eq!(parse_pace(text), Ok(pace), "{text}");
        }
        assert_eq!(parse_pace("红灯"), Err(()));
        for pace in [Pace::Ahead, Pace::OnPace, Pace::Behind, Pace::Done] {
            assert_eq!(parse_pace(pace_label_zh(pace)), Ok(Some(pace)));
        }
    }

    #[test]
    fn dates_as_text_as_date_cells_and_as_bare_serial_numbers() {
        let d = date(2026, 10, 28);
        for t in [
            "2026-10-28",
            "2026/10/28",
            "2026年10月28日",
            "10月28日",
            "２０２６－１０－２８",
        ] {
            assert_eq!(date_cell(&text(t), 2026), Ok(d), "{t}");
        }
        assert_eq!(date_cell(&number(46_323.0), 2026), Ok(d));
        let real = Cell {
            date: Some(d),
            ..text("2026-10-28")
        };
        assert_eq!(date_cell(&real, 2000), Ok(d));
        assert!(date_cell(&text("2026-02-30"), 2026).is_err());
        assert!(date_cell(&number(12.0), 2026).is_err(), "not a serial date");
        assert!(date_cell(&text("月底报"), 2026).is_err());
    }
}
