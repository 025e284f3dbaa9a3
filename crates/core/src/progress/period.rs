//! Reporting periods (填报周期): the week, month, quarter, half-year or year a progress report
//! covers, its key (`2026-W40`, `2026-10`, `2026-Q3`, `2026-H1`, `2026`) and the day its report
//! is due ("每月28日前", DOMAIN §2.6).

use crate::lists::Cadence;
use jiff::ToSpan;
use jiff::civil::{Date, Weekday, date};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub cadence: Cadence,
    /// First day.
    pub start: Date,
    /// Last day.
    pub end: Date,
}

impl Period {
    /// The period of `cadence` that holds `day`.
    pub fn containing(cadence: Cadence, day: Date) -> Period {
        let y = day.year();
        let (start, end) = match cadence {
            Cadence::Weekly => {
                let back = day.weekday().to_monday_zero_offset();
                let start = day - (back as i64).days();
                (start, start + 6.days())
            }
            Cadence::Monthly => (day.first_of_month(), day.last_of_month()),
            Cadence::Quarterly => {
                let first = (day.month() - 1) / 3 * 3 + 1;
                let start = date(y, first, 1);
                (start, date(y, first + 2, 1).last_of_month())
            }
            Cadence::HalfYearly if day.month() <= 6 => (date(y, 1, 1), date(y, 6, 30)),
            Cadence::HalfYearly => (date(y, 7, 1), date(y, 12, 31)),
            Cadence::Yearly => (date(y, 1, 1), date(y, 12, 31)),
        };
        Period {
            cadence,
            start,
            end,
        }
    }

    /// The stored key: `2026-W40` (ISO week), `2026-10`, `2026-Q3`, `2026-H1`, `2026`.
    pub fn key(&self) -> String {
        let y = self.start.year();
        match self.cadence {
            Cadence::Weekly => {
                let w = self.start.iso_week_date();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Cadence::Monthly => format!("{y}-{:02}", self.start.month()),
            Cadence::Quarterly => format!("{y}-Q{}", (self.start.month() - 1) / 3 + 1),
            Cadence::HalfYearly => format!("{y}-H{}", if self.start.month() <= 6 { 1 } else { 2 }),
            Cadence::Yearly => format!("{y}"),
        }
    }

    /// Reads a key back; `None` for anything [`Period::key`] would not write.
    pub fn parse(key: &str) -> Option<Period> {
        let (year, rest) = match key.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (key, None),
        };
        let y: i16 = year.parse().ok().filter(|y| (1900..=2999).contains(y))?;
        let p = match rest {
            None => Period::containing(Cadence::Yearly, date(y, 1, 1)),
            Some(r) if r.starts_with('W') => {
                let w: i8 = r[1..].parse().ok()?;
                let d = jiff::civil::ISOWeekDate::new(y, w, Weekday::Monday).ok()?;
                Period::containing(Cadence::Weekly, d.date())
            }
            Some(r) if r.starts_with('Q') => {
                let q: i8 = r[1..].parse().ok().filter(|q| (1..=4).contains(q))?;
                Period::containing(Cadence::Quarterly, date(y, q * 3, 1))
            }
            Some(r) if r.starts_with('H') => {
                let h: i8 = r[1..].parse().ok().filter(|h| (1..=2).contains(h))?;
                Period::containing(Cadence::HalfYearly, date(y, h * 6, 1))
            }
            Some(r) if r.len() == 2 => {
                let m: i8 = r.parse().ok().filter(|m| (1..=12).contains(m))?;
                Period::containing(Cadence::Monthly, date(y, m, 1))
            }
            Some(_) => return None,
        };
        (p.key() == key).then_some(p)
    }

    /// The day the report is due: `report_day` of the period's last month (the month's last day
    /// if shorter); a week's report is due on its Friday.
    pub fn due(&self, report_day: i8) -> Date {
        match self.cadence {
            Cadence::Weekly => self.start + 4.days(),
            _ => {
                let last = self.end.first_of_month();
                let day = report_day.clamp(1, last.days_in_month());
                date(last.year(), last.month(), day)
            }
        }
    }

    pub fn previous(&self) -> Period {
        Period::containing(self.cadence, self.start - 1.day())
    }

    pub fn next(&self) -> Period {
        Period::containing(self.cadence, self.end + 1.day())
    }

    /// 2026年10月, 2026年第3季度 … for pages in Chinese.
    pub fn label_zh(&self) -> String {
        let y = self.start.year();
        match self.cadence {
            Cadence::Weekly => format!("{}第{}周", y, self.start.iso_week_date().week()),
            Cadence::Monthly => format!("{y}年{}月", self.start.month()),
            Cadence::Quarterly => format!("{y}年第{}季度", (self.start.month() - 1) / 3 + 1),
            Cadence::HalfYearly if self.start.month() == 1 => format!("{y}年上半年"),
            Cadence::HalfYearly => format!("{y}年下半年"),
            Cadence::Yearly => format!("{y}年"),
        }
    }
}

/// Since when a task's report is missing on `today`: this period's due day once it has passed
/// without a report sent, else the previous period's when that one never came (a period that
/// began before `counting_from`, e.g. before the task's year, asks for nothing).
pub fn missing_since(
    current: &Period,
    report_day: i8,
    today: Date,
    sent_current: bool,
    sent_previous: bool,
    counting_from: Date,
) -> Option<Date> {
    let due = current.due(report_day);
    if today > due && !sent_current {
        return Some(due);
    }
    let previous = current.previous();
    (!sent_previous && previous.start >= counting_from).then(|| previous.due(report_day))
}

/// The periods a task owed a report for and never sent, each with the day its report became
/// missing (the day after its due day): periods of `cadence` that begin on or after
/// `counting_from` and no later than `until` (the day the task reached 100 %, after which it
/// owes nothing, or the last day of its year). Whether a day has come is the caller's to judge.
pub fn unsent(
    cadence: Cadence,
    report_day: i8,
    counting_from: Date,
    until: Date,
    sent: impl Fn(&str) -> bool,
) -> Vec<(Period, Date)> {
    let mut out = Vec::new();
    let mut p = Period::containing(cadence, counting_from);
    if p.start < counting_from {
        p = p.next();
    }
    while p.start <= until {
        if !sent(&p.key()) {
            let due = p.due(report_day);
            out.push((p, due.tomorrow().unwrap_or(due)));
        }
        p = p.next();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cadence_has_its_bounds_and_key() {
        let d = date(2026, 8, 19);
        let cases = [
            (
                Cadence::Weekly,
                "2026-W34",
                date(2026, 8, 17),
                date(2026, 8, 23),
            ),
            (
                Cadence::Monthly,
                "2026-08",
                date(2026, 8, 1),
                date(2026, 8, 31),
            ),
            (
                Cadence::Quarterly,
                "2026-Q3",
                date(2026, 7, 1),
                date(2026, 9, 30),
            ),
            (
                Cadence::HalfYearly,
                "2026-H2",
                date(2026, 7, 1),
                date(2026, 12, 31),
            ),
            (
                Cadence::Yearly,
                "2026",
                date(2026, 1, 1),
                date(2026, 12, 31),
            ),
        ];
        for (cadence, key, start, end) in cases {
            let p = Period::containing(cadence, d);
            assert_eq!(
                (p.key().as_str(), p.start, p.end),
                (key, start, end),
                "{cadence:?}"
            );
            assert_eq!(Period::parse(key), Some(p), "{key}");
        }
    }

    #[test]
    fn keys_that_no_period_writes_are_refused() {
        for bad in [
            "", "2026-13", "2026-Q5", "2026-H3", "2026-1", "26-10", "2026-W99", "x",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_report_is_due_on_the_report_day_of_the_last_month() {
        let feb = Period::containing(Cadence::Monthly, date(2026, 2, 10));
        assert_eq!(feb.due(28), date(2026, 2, 28));
        assert_eq!(feb.due(31), date(2026, 2, 28), "clamped to the month");
        let q3 = Period::containing(Cadence::Quarterly, date(2026, 8, 1));
        assert_eq!(q3.due(25), date(2026, 9, 25));
        let week = Period::containing(Cadence::Weekly, date(2026, 11, 25));
        assert_eq!(week.due(28), date(2026, 11, 27), "Friday");
    }

    #[test]
    fn a_report_is_missing_after_its_due_day_or_when_last_period_never_came() {
        let nov = Period::containing(Cadence::Monthly, date(2026, 11, 10));
        let jan1 = date(2026, 1, 1);
        assert_eq!(
            missing_since(&nov, 28, date(2026, 11, 28), false, true, jan1),
            None
        );
        assert_eq!(
            missing_since(&nov, 28, date(2026, 11, 29), false, true, jan1),
            Some(date(2026, 11, 28))
        );
        assert_eq!(
            missing_since(&nov, 28, date(2026, 11, 29), true, true, jan1),
            None
        );
        assert_eq!(
            missing_since(&nov, 28, date(2026, 11, 10), false, false, jan1),
            Some(date(2026, 10, 28)),
            "October never came"
        );
        let jan = Period::containing(Cadence::Monthly, date(2026, 1, 10));
        assert_eq!(
            missing_since(&jan, 28, date(2026, 1, 10), false, false, jan1),
            None,
            "nothing was asked before the year began"
        );
    }

    #[test]
    fn periods_follow_each_other_across_the_year_end() {
        let dec = Period::containing(Cadence::Monthly, date(2026, 12, 5));
        assert_eq!(dec.next().key(), "2027-01");
        assert_eq!(dec.next().previous(), dec);
        let w1 = Period::parse("2026-W01").unwrap();
        assert_eq!(
            w1.start,
            date(2025, 12, 29),
            "ISO week 1 starts in the old year"
        );
        assert_eq!(w1.previous().key(), "2025-W52");
        assert_eq!(dec.label_zh(), "2026年12月");
    }

    #[test]
    fn unsent_periods_run_from_the_first_whole_period_to_completion() {
        let sent = ["2026-01", "2026-03", "2026-05"];
        let got = unsent(
            Cadence::Monthly,
            28,
            date(2026, 1, 1),
            date(2026, 6, 10),
            |k| sent.contains(&k),
        );
        let got: Vec<(String, Date)> = got.into_iter().map(|(p, d)| (p.key(), d)).collect();
        assert_eq!(
            got,
            vec![
                ("2026-02".to_string(), date(2026, 3, 1)),
                ("2026-04".to_string(), date(2026, 4, 29)),
                ("2026-06".to_string(), date(2026, 6, 29)),
            ]
        );
        // 2026-01-01 is a Thursday: the week it falls in began in 2025 and asks for nothing;
        // a week's report is due on its Friday.
        let weeks = unsent(
            Cadence::Weekly,
            28,
            date(2026, 1, 1),
            date(2026, 1, 14),
            |_| false,
        );
        let got: Vec<(Date, Date)> = weeks.into_iter().map(|(p, d)| (p.start, d)).collect();
        assert_eq!(
            got,
            vec![
                (date(2026, 1, 5), date(2026, 1, 10)),
                (date(2026, 1, 12), date(2026, 1, 17)),
            ]
        );
        // A quarter's report is due in its last month; a completed year owes nothing after.
        let quarters = unsent(
            Cadence::Quarterly,
            31,
            date(2026, 1, 1),
            date(2026, 12, 31),
            |k| k == "2026-Q2",
        );
        let got: Vec<(String, Date)> = quarters.into_iter().map(|(p, d)| (p.key(), d)).collect();
        assert_eq!(
            got,
            vec![
                ("2026-Q1".to_string(), date(2026, 4, 1)),
                ("2026-Q3".to_string(), date(2026, 10, 1)),
                ("2026-Q4".to_string(), date(2027, 1, 1)),
            ]
        );
    }
}
