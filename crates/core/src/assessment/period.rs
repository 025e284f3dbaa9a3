//! The periods scores are kept and ranked for: a month, a quarter, a half-year, the year
//! ("月通报、季推进、年考评"). A period is written as a key — `2026-10`, `2026-Q3`, `2026-H1`,
//! `2026` — which is also how the maintained totals are stored.

use jiff::civil::{Date, date};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Span {
    Month(i8),
    Quarter(i8),
    Half(i8),
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub year: i16,
    pub span: Span,
}

impl Period {
    pub fn month(year: i16, m: i8) -> Period {
        Period {
            year,
            span: Span::Month(m),
        }
    }

    pub fn year(year: i16) -> Period {
        Period {
            year,
            span: Span::Year,
        }
    }

    /// The four periods a day belongs to: its month, quarter, half-year and year.
    pub fn containing(day: Date) -> [Period; 4] {
        let (y, m) = (day.year(), day.month());
        [
            Period::month(y, m),
            Period {
                year: y,
                span: Span::Quarter((m - 1) / 3 + 1),
            },
            Period {
                year: y,
                span: Span::Half(if m <= 6 { 1 } else { 2 }),
            },
            Period::year(y),
        ]
    }

    /// First and last day.
    pub fn range(self) -> (Date, Date) {
        let (first, last) = match self.span {
            Span::Month(m) => (m, m),
            Span::Quarter(q) => (q * 3 - 2, q * 3),
            Span::Half(h) => (h * 6 - 5, h * 6),
            Span::Year => (1, 12),
        };
        let start = date(self.year, first, 1);
        let end = date(self.year, last, 1).last_of_month();
        (start, end)
    }

    pub fn contains(self, day: Date) -> bool {
        let (a, b) = self.range();
        a <= day && day <= b
    }

    /// The period of the same length just before (the rank change is measured against it);
    /// `None` for a year's first month, quarter or half and for the year itself — ranks are
    /// compared within one year's scheme.
    pub fn previous(self) -> Option<Period> {
        let span = match self.span {
            Span::Month(m) if m > 1 => Span::Month(m - 1),
            Span::Quarter(q) if q > 1 => Span::Quarter(q - 1),
            Span::Half(2) => Span::Half(1),
            _ => return None,
        };
        Some(Period { span, ..self })
    }

    pub fn key(self) -> String {
        self.to_string()
    }

    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        let (y, rest) = match s.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (s, None),
        };
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i16 = y.parse().ok()?;
        if !(2000..=2100).contains(&year) {
            return None;
        }
        let n = |t: &str, max: i8| -> Option<i8> {
            if t.is_empty() || t.len() > 2 || !t.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let v: i8 = t.parse().ok()?;
            (1..=max).contains(&v).then_some(v)
        };
        let span = match rest {
            None => Span::Year,
            Some(r) => {
                if let Some(q) = r.strip_prefix('Q').or_else(|| r.strip_prefix('q')) {
                    Span::Quarter(n(q, 4)?)
                } else if let Some(h) = r.strip_prefix('H').or_else(|| r.strip_prefix('h')) {
                    Span::Half(n(h, 2)?)
                } else {
                    Span::Month(n(r, 12)?)
                }
            }
        };
        Some(Period { year, span })
    }

    /// In words: "2026年10月", "2026年第三季度", "2026年上半年", "2026年度".
    pub fn name_zh(self) -> String {
        let y = self.year;
        match self.span {
            Span::Month(m) => format!("{y}年{m}月"),
            Span::Quarter(q) => format!("{y}年第{}季度", ["一", "二", "三", "四"][q as usize - 1]),
            Span::Half(1) => format!("{y}年上半年"),
            Span::Half(_) => format!("{y}年下半年"),
            Span::Year => format!("{y}年度"),
        }
    }

    pub fn name_en(self) -> String {
        let y = self.year;
        match self.span {
            Span::Month(m) => format!("{y}-{m:02}"),
            Span::Quarter(q) => format!("Q{q} {y}"),
            Span::Half(h) => format!("H{h} {y}"),
            Span::Year => format!("{y}"),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.span {
            Span::Month(m) => write!(f, "{}-{m:02}", self.year),
            Span::Quarter(q) => write!(f, "{}-Q{q}", self.year),
            Span::Half(h) => write!(f, "{}-H{h}", self.year),
            Span::Year => write!(f, "{}", self.year),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_lies_in_four_periods() {
        let p = Period::containing(date(2026, 8, 31));
        let keys: Vec<String> = p.iter().map(|p| p.key()).collect();
        assert_eq!(keys, ["2026-08", "2026-Q3", "2026-H2", "2026"]);
        for period in p {
            assert!(period.contains(date(2026, 8, 31)));
            assert!(!period.contains(date(2027, 1, 1)));
        }
        assert!(!p[0].contains(date(2026, 9, 1)));
    }

    #[test]
    fn ranges_cover_whole_months() {
        assert_eq!(
            Period::parse("2026-02").unwrap().range(),
            (date(2026, 2, 1), date(2026, 2, 28))
        );
        assert_eq!(
            Period::parse("2026-Q3").unwrap().range(),
            (date(2026, 7, 1), date(2026, 9, 30))
        );
        assert_eq!(
            Period::parse("2026-H1").unwrap().range(),
            (date(2026, 1, 1), date(2026, 6, 30))
        );
        assert_eq!(
            Period::parse("2026").unwrap().range(),
            (date(2026, 1, 1), date(2026, 12, 31))
        );
    }

    #[test]
    fn keys_round_trip_and_bad_ones_are_refused() {
        for k in [
            "2026-01", "2026-12", "2026-Q1", "2026-Q4", "2026-H2", "2026",
        ] {
            assert_eq!(Period::parse(k).unwrap().key(), k);
        }
        for bad in [
            "", "2026-13", "2026-00", "2026-Q5", "2026-H3", "26-01", "2026-1x", "abcd",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
        assert_eq!(Period::parse("2026-3").unwrap().key(), "2026-03");
    }

    #[test]
    fn previous_stays_in_the_year() {
        let prev = |k: &str| Period::parse(k).unwrap().previous().map(|p| p.key());
        assert_eq!(prev("2026-10").as_deref(), Some("2026-09"));
        assert_eq!(prev("2026-01"), None);
        assert_eq!(prev("2026-Q3").as_deref(), Some("2026-Q2"));
        assert_eq!(prev("2026-H2").as_deref(), Some("2026-H1"));
        assert_eq!(prev("2026-H1"), None);
        assert_eq!(prev("2026"), None);
    }

    #[test]
    fn names_in_both_languages() {
        assert_eq!(
            Period::parse("2026-Q3").unwrap().name_zh(),
            "2026年第三季度"
        );
        assert_eq!(Period::parse("2026-10").unwrap().name_zh(), "2026年10月");
        assert_eq!(Period::parse("2026-H1").unwrap().name_en(), "H1 2026");
    }
}
