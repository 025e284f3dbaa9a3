//! Bulletins (通报, DOMAIN §3.4): the office's periodic document on the city's key work —
//! overall progress and lights, overdue and red items by unit, the ranking table with changes
//! and stars, praised and criticised units — with commentary paragraphs the office writes.
//!
//! A draft holds a frozen [`content::Content`] taken from the data when it was generated, so an
//! issued bulletin never changes when the data does; only its [`content::Commentary`] is edited,
//! and only while it is a draft ([`State::check_edit`]). Issuing gives it the next number of
//! the year's series ([`number::DocNumber`]) and the hash of what was issued
//! ([`content::digest`]). [`schedule`] says on which working day a draft appears by itself.

pub mod content;
pub mod number;
pub mod schedule;

use super::period::{Period, Span};
use jiff::civil::{Date, ISOWeekDate, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How often bulletins of a kind appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    Weekly,
    Monthly,
    Quarterly,
    HalfYear,
}

impl Cadence {
    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Weekly => "weekly",
            Cadence::Monthly => "monthly",
            Cadence::Quarterly => "quarterly",
            Cadence::HalfYear => "half_year",
        }
    }

    pub fn parse(s: &str) -> Option<Cadence> {
        [
            Cadence::Weekly,
            Cadence::Monthly,
            Cadence::Quarterly,
            Cadence::HalfYear,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// What a bulletin covers: an ISO week, or a month, quarter or half-year of the assessment.
/// Written as a key: `2026-W45`, `2026-10`, `2026-Q3`, `2026-H2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Covers {
    Week { year: i16, week: i8 },
    Period(Period),
}

impl Covers {
    pub fn parse(s: &str) -> Option<Covers> {
        let s = s.trim();
        if let Some((y, w)) = s.split_once("-W") {
            let year: i16 = y.parse().ok().filter(|y| (2000..=2100).contains(y))?;
            let week: i8 = w.parse().ok()?;
            ISOWeekDate::new(year, week, Weekday::Monday).ok()?;
            return Some(Covers::Week { year, week });
        }
        match Period::parse(s)? {
            p if p.span == Span::Year => None,
            p => Some(Covers::Period(p)),
        }
    }

    pub fn key(self) -> String {
        self.to_string()
    }

    pub fn cadence(self) -> Cadence {
        match self {
            Covers::Week { .. } => Cadence::Weekly,
            Covers::Period(p) => match p.span {
                Span::Month(_) => Cadence::Monthly,
                Span::Quarter(_) => Cadence::Quarterly,
                Span::Half(_) | Span::Year => Cadence::HalfYear,
            },
        }
    }

    /// First and last day.
    pub fn range(self) -> (Date, Date) {
        match self {
            Covers::Week { year, week } => {
                let monday = ISOWeekDate::new(year, week, Weekday::Monday)
                    .expect("checked when parsed")
                    .date();
                let sunday = ISOWeekDate::new(year, week, Weekday::Sunday)
                    .expect("checked when parsed")
                    .date();
                (monday, sunday)
            }
            Covers::Period(p) => p.range(),
        }
    }

    /// The assessment period whose ranking the bulletin prints: its own, or for a week the
    /// month its last day lies in.
    pub fn ranking_period(self) -> Period {
        match self {
            Covers::Week { .. } => {
                let end = self.range().1;
                Period::month(end.year(), end.month())
            }
            Covers::Period(p) => p,
        }
    }

    /// The month whose close the bulletin's task figures are read at (`2026-09` for the third
    /// quarter): the last month of a month, quarter or half-year. A week ends mid-month and
    /// has none, so its figures are the day's.
    pub fn closing_month(self) -> Option<String> {
        match self {
            Covers::Week { .. } => None,
            Covers::Period(p) => {
                let end = p.range().1;
                Some(format!("{:04}-{:02}", end.year(), end.month()))
            }
        }
    }

    /// The year whose number series it is issued in.
    pub fn year(self) -> i16 {
        match self {
            Covers::Week { .. } => self.range().1.year(),
            Covers::Period(p) => p.year,
        }
    }

    /// "2026年第45周", "2026年10月", "2026年第三季度", "2026年上半年".
    pub fn name_zh(self) -> String {
        match self {
            Covers::Week { year, week } => format!("{year}年第{week}周"),
            Covers::Period(p) => p.name_zh(),
        }
    }

    /// The period just before of the same cadence, if it lies in the same year.
    pub fn previous(self) -> Option<Covers> {
        match self {
            Covers::Week { year, week } if week > 1 => Some(Covers::Week {
                year,
                week: week - 1,
            }),
            Covers::Week { .. } => None,
            Covers::Period(p) => p.previous().map(Covers::Period),
        }
    }
}

impl fmt::Display for Covers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Covers::Week { year, week } => write!(f, "{year}-W{week:02}"),
            Covers::Period(p) => write!(f, "{p}"),
        }
    }
}

/// Where a bulletin is in its short life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Generated; its commentary may still be edited; seen by the office only.
    Draft,
    /// Numbered, hashed into the ledger, delivered; never changes again.
    Issued,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Issued => "issued",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        match s {
            "draft" => Some(State::Draft),
            "issued" => Some(State::Issued),
            _ => None,
        }
    }

    /// Whether the commentary may be edited (or the draft issued).
    pub fn check_edit(self) -> Result<(), BulletinError> {
        match self {
            State::Draft => Ok(()),
            State::Issued => Err(BulletinError::Issued),
        }
    }
}

/// Why a bulletin step is refused, in the user's terms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BulletinError {
    #[error(
        "this bulletin has been issued: an issued bulletin is never changed / 通报已印发，不能修改"
    )]
    Issued,
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("the document number prefix must be 1 to 12 characters without digits or brackets")]
    BadPrefix,
    #[error(
        "a bulletin covers a week, month, quarter or half-year (2026-W45, 2026-10, 2026-Q3, 2026-H2)"
    )]
    BadPeriod,
    #[error("the schedule's working day must be between 1 and 10")]
    BadWorkingDay,
}

impl BulletinError {
    /// The field a form shows the message at.
    pub fn field(&self) -> &'static str {
        match self {
            BulletinError::Issued => "state",
            BulletinError::TooLong { field, .. } => field,
            BulletinError::BadPrefix => "prefix",
            BulletinError::BadPeriod => "period",
            BulletinError::BadWorkingDay => "working_day",
        }
    }

    /// The message code of the i18n catalogue.
    pub fn code(&self) -> &'static str {
        match self {
            BulletinError::Issued => "bulletin_issued",
            BulletinError::TooLong { .. } => "too_long",
            BulletinError::BadPrefix => "bulletin_bad_prefix",
            BulletinError::BadPeriod => "invalid_period",
            BulletinError::BadWorkingDay => "bulletin_bad_working_day",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn periods_of_every_cadence_round_trip() {
        for (k, c) in [
            ("2026-W45", Cadence::Weekly),
            ("2026-10", Cadence::Monthly),
            ("2026-Q3", Cadence::Quarterly),
            ("2026-H2", Cadence::HalfYear),
        ] {
            let p = Covers::parse(k).unwrap();
            assert_eq!(p.key(), k);
            assert_eq!(p.cadence(), c);
        }
        for bad in ["2026", "2026-W54", "2026-W00", "x", "2026-13"] {
            assert_eq!(Covers::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_week_runs_monday_to_sunday_and_ranks_in_the_month_it_ends() {
        let w = Covers::parse("2026-W44").unwrap();
        assert_eq!(w.range(), (date(2026, 10, 26), date(2026, 11, 1)));
        assert_eq!(w.ranking_period().key(), "2026-11");
        assert_eq!(w.name_zh(), "2026年第44周");
        assert_eq!(
            Covers::parse("2026-Q3").unwrap().ranking_period().key(),
            "2026-Q3"
        );
    }

    #[test]
    fn a_period_is_read_at_the_close_of_its_last_month_and_a_week_is_not() {
        let closing = |k: &str| Covers::parse(k).unwrap().closing_month();
        assert_eq!(closing("2026-10").as_deref(), Some("2026-10"));
        assert_eq!(closing("2026-Q3").as_deref(), Some("2026-09"));
        assert_eq!(closing("2026-H1").as_deref(), Some("2026-06"));
        assert_eq!(closing("2026-W44"), None);
    }

    #[test]
    fn an_issued_bulletin_refuses_edits() {
        assert_eq!(State::Draft.check_edit(), Ok(()));
        assert_eq!(State::Issued.check_edit(), Err(BulletinError::Issued));
        assert_eq!(State::parse("issued"), Some(State::Issued));
    }
}
