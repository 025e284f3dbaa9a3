//! Milestones (节点) from quarter and month columns, and the 节点目标 column our exports write.
//!
//! A quarter or month cell is one milestone due at the period's last day; its values are
//! guessed from the figures in the text (see [`super::numbers`]). A 节点目标 cell holds one
//! milestone per line, `2026-06-30：6个小区开工〔开工小区=6个；投资=2亿元〕`: a date, a colon,
//! the text, then optional values in 〔〕 matched to the task's indicators by name and unit. A
//! line that does not start with a date continues the previous milestone's text. That column
//! takes values from the brackets only, so an export reads back exactly.

use super::due::{DueError, parse_date_text};
use super::numbers::{format_number, parse_number, values_in_text};
use duban_core::lists::{Indicator, Milestone};
use jiff::civil::Date;

/// The milestone a quarter or month cell sets, or `None` for an empty cell.
pub(crate) fn period_milestone(
    due: Date,
    text: &str,
    indicators: &[Indicator],
) -> Option<Milestone> {
    let text = text.trim();
    (!text.is_empty()).then(|| Milestone {
        due,
        target_text: text.to_string(),
        values: values_in_text(indicators, text),
    })
}

/// Quarter `q` (1–4) of `year` ends on this day.
pub(crate) fn quarter_end(year: i16, q: u8) -> Date {
    month_end(year, q.clamp(1, 4) * 3)
}

/// Month `m` (1–12) of `year` ends on this day.
pub(crate) fn month_end(year: i16, m: u8) -> Date {
    let m = i8::try_from(m.clamp(1, 12)).expect("1–12 fits in i8");
    Date::new(year, m, 1)
        .expect("the first of a month in an i16 year exists")
        .last_of_month()
}

/// Reads a 节点目标 cell: milestones, and the lines that could not be read.
pub fn parse_milestone_lines(
    text: &str,
    year: i16,
    indicators: &[Indicator],
) -> (Vec<Milestone>, Vec<String>) {
    let mut parts: Vec<(Date, String)> = Vec::new();
    let mut bad = Vec::new();
    for line in text.replace("\r\n", "\n").split('\n') {
        match line_date(line, year) {
            Some(Ok((date, rest))) => parts.push((date, rest.to_string())),
            Some(Err(_)) => bad.push(line.trim().to_string()),
            None => match parts.last_mut() {
                Some((_, body)) => {
                    body.push('\n');
                    body.push_str(line);
                }
                None if line.trim().is_empty() => {}
                None => bad.push(line.trim().to_string()),
            },
        }
    }
    let mut milestones = Vec::new();
    for (due, body) in parts {
        let body = body.trim();
        match split_values(body, indicators) {
            Some((target_text, values)) => milestones.push(Milestone {
                due,
                target_text: target_text.to_string(),
                values,
            }),
            None => bad.push(format!("{due}：{body}")),
        }
    }
    (milestones, bad)
}

/// `Some(Ok)` for a line starting with a date and a colon; `Some(Err)` when that date is
/// impossible; `None` when the line does not start with a date (a continuation).
fn line_date(line: &str, year: i16) -> Option<Result<(Date, &str), DueError>> {
    let (head, rest) = line.split_once(['：', ':'])?;
    match parse_date_text(head, year) {
        Ok(date) => Some(Ok((date, rest))),
        Err(DueError::Unreadable { .. } | DueError::Empty) => None,
        Err(e) => Some(Err(e)),
    }
}

/// Splits "text〔name=6个；2亿元〕" into the text and one value per indicator; `None` when a
/// bracketed value cannot be read or matches no indicator.
fn split_values<'a>(
    body: &'a str,
    indicators: &[Indicator],
) -> Option<(&'a str, Vec<Option<f64>>)> {
    let mut values = vec![None; indicators.len()];
    let Some(open) = body.strip_suffix('〕').and_then(|b| b.rfind('〔')) else {
        return Some((body, values));
    };
    let inner = &body[open + '〔'.len_utf8()..body.len() - '〕'.len_utf8()];
    for item in inner
        .split(['；', ';'])
        .map(str::trim)
        .filter(|i| !i.is_empty())
    {
        let (name, number) = item.rsplit_once('=').unwrap_or(("", item));
        let name = name.trim();
        let (value, unit) = parse_number(number)?;
        let k = (0..indicators.len()).find(|&k| {
            values[k].is_none()
                && indicators[k].unit == unit
                && (name.is_empty() || indicators[k].name == name)
        })?;
        values[k] = Some(value);
    }
    Some((body[..open].trim_end(), values))
}

/// One 节点目标 line in the export format.
pub fn format_milestone(m: &Milestone, indicators: &[Indicator]) -> String {
    let items: Vec<String> = m
        .values
        .iter()
        .zip(indicators)
        .filter_map(|(v, ind)| {
            let v = format_number((*v)?);
            Some(if ind.name.is_empty() {
                format!("{v}{}", ind.unit)
            } else {
                format!("{}={v}{}", ind.name, ind.unit)
            })
        })
        .collect();
    if items.is_empty() {
        format!("{}：{}", m.due, m.target_text)
    } else {
        format!("{}：{}〔{}〕", m.due, m.target_text, items.join("；"))
    }
}

#[cfg(test)]
mod tests;
