//! The rates as maintained counts: a [`Tally`] written as a vector of signed [`Counts`] that
//! the store keeps per group (year, kind, lead unit, category) and changes by one item's
//! part when a write changes the item, so the dashboard adds up a few rows instead of every
//! item's facts.
//!
//! An item's part depends on the day only where a definition compares `today` with one of the
//! item's dates (a reply deadline passing unreplied, an evaluation window passing unrated). So
//! an item's [`Contribution`] is what it adds on any day before its first such date, and for
//! each date `d` after which its part changes, that change — counted on the days after `d`.
//! [`Facts::contribution`] works both out from [`Tally::add`] itself: the definitions stay
//! the ones in [`super`], and these counts are only their sum kept current.

use super::{Facts, Measure, Ratio, Tally};
use jiff::civil::Date;

/// How many counts a tally has: items, handed out, replied, unrated past the window, then each
/// measure's numerator and denominator in [`Measure::ALL`] order.
pub const COUNTS: usize = 4 + 2 * Measure::ALL.len();

/// A tally's counts, signed so that an item's part can be taken away again.
pub type Counts = [i64; COUNTS];

/// The names of the counts, in order (the store's column names).
pub fn names() -> Vec<String> {
    let mut n: Vec<String> = ["items", "handed_out", "replied", "unrated_overdue"]
        .into_iter()
        .map(String::from)
        .collect();
    for m in Measure::ALL {
        n.push(format!("{}_num", m.as_str()));
        n.push(format!("{}_den", m.as_str()));
    }
    n
}

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn unsigned(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl Tally {
    /// The tally as counts.
    pub fn counts(&self) -> Counts {
        let mut c = [0; COUNTS];
        c[0] = signed(self.items);
        c[1] = signed(self.handed_out);
        c[2] = signed(self.replied);
        c[3] = signed(self.unrated_overdue);
        for (i, r) in self.ratios.iter().enumerate() {
            c[4 + 2 * i] = signed(r.num);
            c[5 + 2 * i] = signed(r.den);
        }
        c
    }

    /// Adds counts (a group's maintained row) to the tally.
    pub fn add_counts(&mut self, c: &Counts) {
        let mut total = self.counts();
        add(&mut total, c, 1);
        self.items = unsigned(total[0]);
        self.handed_out = unsigned(total[1]);
        self.replied = unsigned(total[2]);
        self.unrated_overdue = unsigned(total[3]);
        for (i, r) in self.ratios.iter_mut().enumerate() {
            *r = Ratio {
                num: unsigned(total[4 + 2 * i]),
                den: unsigned(total[5 + 2 * i]),
            };
        }
    }
}

/// `into += sign × c`.
pub fn add(into: &mut Counts, c: &Counts, sign: i64) {
    for (a, b) in into.iter_mut().zip(c) {
        *a += sign * b;
    }
}

/// One item's part in the counts as the days pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    /// What the item adds on any day up to its first turn.
    pub always: Counts,
    /// `(d, change)`: on the days after `d`, the item's part changes by `change`. By date,
    /// each date once, no zero change.
    pub after: Vec<(Date, Counts)>,
}

impl Contribution {
    /// The item's part on `today`.
    pub fn on(&self, today: Date) -> Counts {
        let mut c = self.always;
        for (d, change) in &self.after {
            if *d < today {
                add(&mut c, change, 1);
            }
        }
        c
    }
}

impl Facts {
    /// The item's part in the counts on every day, from [`Tally::add`] on the days around the
    /// item's dates: a definition compares `today` only with a date of the facts (`d < today`),
    /// so the part is the same on every day up to one of those dates and changes only on the
    /// day after it.
    pub fn contribution(&self) -> Contribution {
        let on = |today: Date| {
            let mut t = Tally::default();
            t.add(self, today);
            t.counts()
        };
        let mut dates: Vec<Date> = [
            self.reply_due_on,
            self.first_replied_on,
            self.evaluation_due_on,
        ]
        .into_iter()
        .flatten()
        .collect();
        dates.sort_unstable();
        dates.dedup();
        let always = on(Date::MIN);
        let mut before = always;
        let mut after = Vec::new();
        for d in dates {
            let Ok(next) = d.tomorrow() else { continue };
            let now = on(next);
            if now != before {
                let mut change = now;
                add(&mut change, &before, -1);
                after.push((d, change));
                before = now;
            }
        }
        Contribution { always, after }
    }
}
