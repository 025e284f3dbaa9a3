//! The live ranking (DOMAIN §3.4): per presenter, the trimmed mean of the submitted cards'
//! weighted scores — drop one highest and one lowest card when at least [`TRIM_FROM`] cards
//! were counted (and the event trims), average the rest, round to two decimals (half up) —
//! with ties broken by the sum of the dropped highest and lowest (higher ranks first).
//!
//! With judge-group weights, trimming happens inside each judge group and the groups' means
//! are then combined with their weights (over the groups that scored). Without weights all
//! cards form one pool. A presenter with fewer than [`TRIM_FROM`] cards, or with a weighted
//! group that has not scored, is shown as provisional.
//!
//! All arithmetic is exact (scores in hundredths of a point, means as fractions); the only
//! rounding is the final one to hundredths.

use super::PresenterId;
use std::collections::BTreeMap;

/// The number of cards from which one highest and one lowest are dropped.
pub const TRIM_FROM: usize = 5;

/// A submitted card, reduced to what the ranking needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TallyCard {
    pub presenter: PresenterId,
    /// Index into the event's judge groups.
    pub judge_group: usize,
    /// The card's weighted score in hundredths ([`super::card::weighted`]).
    pub score: i64,
}

/// A presenter to rank: its slot and its presenter group (ranks are per group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TallyPresenter {
    pub id: PresenterId,
    pub group: String,
}

/// One presenter's line on the results screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub presenter: PresenterId,
    pub group: String,
    /// The final score in hundredths of a point; `None` before any card.
    pub score: Option<i64>,
    /// Cards counted (submitted), dropped ones included.
    pub cards: usize,
    /// Cards dropped by trimming.
    pub dropped: usize,
    /// The sum of the dropped cards' scores in hundredths (the tie-breaker).
    pub dropped_sum: i64,
    /// Too few cards (or a weighted judge group missing) for a final figure.
    pub provisional: bool,
    /// Rank inside the presenter group (1 = best; equal scores and tie-breakers share a
    /// rank); `None` before any card.
    pub rank: Option<usize>,
}

/// A fraction `num / den` with `den > 0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ratio {
    num: i128,
    den: i128,
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a.abs() } else { gcd(b, a % b) }
}

impl Ratio {
    fn new(num: i128, den: i128) -> Ratio {
        let g = gcd(num, den).max(1);
        Ratio {
            num: num / g,
            den: den / g,
        }
    }
    fn add(self, o: Ratio) -> Ratio {
        Ratio::new(self.num * o.den + o.num * self.den, self.den * o.den)
    }
    fn scale(self, k: i128) -> Ratio {
        Ratio::new(self.num * k, self.den)
    }
    /// Rounded half up to a whole number (of hundredths); inputs are never negative.
    fn round(self) -> i64 {
        let r = (2 * self.num + self.den).div_euclid(2 * self.den);
        i64::try_from(r).expect("a score in hundredths fits in i64")
    }
}

/// One pool of cards after trimming: the mean of the kept cards, how many were dropped and
/// the sum of the dropped ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pool {
    mean: Ratio,
    pub dropped: usize,
    pub dropped_sum: i64,
}

impl Pool {
    /// The mean rounded to hundredths.
    pub fn rounded(&self) -> i64 {
        self.mean.round()
    }
}

/// The (optionally) trimmed mean of one pool of card scores; `None` for an empty pool.
pub fn trimmed_mean(scores: &[i64], trim: bool) -> Option<Pool> {
    if scores.is_empty() {
        return None;
    }
    let mut s = scores.to_vec();
    s.sort_unstable();
    let (kept, dropped_sum, dropped) = if trim && s.len() >= TRIM_FROM {
        (&s[1..s.len() - 1], s[0] + s[s.len() - 1], 2)
    } else {
        (&s[..], 0, 0)
    };
    let sum: i128 = kept.iter().map(|&v| i128::from(v)).sum();
    Some(Pool {
        mean: Ratio::new(sum, kept.len() as i128),
        dropped,
        dropped_sum,
    })
}

/// The standings of every presenter, in the order given. `group_weights` has one entry per
/// judge group: all `None` pools every card together; all `Some` weights the groups.
pub fn standings(
    presenters: &[TallyPresenter],
    group_weights: &[Option<u32>],
    trim: bool,
    cards: &[TallyCard],
) -> Vec<Standing> {
    let weighted = !group_weights.is_empty() && group_weights.iter().all(|w| w.is_some());
    let mut out: Vec<Standing> = presenters
        .iter()
        .map(|p| {
            let mine: Vec<&TallyCard> = cards.iter().filter(|c| c.presenter == p.id).collect();
            let mut standing = Standing {
                presenter: p.id,
                group: p.group.clone(),
                score: None,
                cards: mine.len(),
                dropped: 0,
                dropped_sum: 0,
                provisional: mine.len() < TRIM_FROM,
                rank: None,
            };
            if !weighted {
                let scores: Vec<i64> = mine.iter().map(|c| c.score).collect();
                if let Some(pool) = trimmed_mean(&scores, trim) {
                    standing.score = Some(pool.mean.round());
                    standing.dropped = pool.dropped;
                    standing.dropped_sum = pool.dropped_sum;
                }
                return standing;
            }
            let mut by_group: BTreeMap<usize, Vec<i64>> = BTreeMap::new();
            for c in &mine {
                by_group.entry(c.judge_group).or_default().push(c.score);
            }
            let mut total = Ratio::new(0, 1);
            let mut weight_sum: i128 = 0;
            for (g, w) in group_weights.iter().enumerate() {
                let w = i128::from(w.unwrap_or(0));
                match by_group.get(&g).and_then(|s| trimmed_mean(s, trim)) {
                    Some(pool) => {
                        total = total.add(pool.mean.scale(w));
                        weight_sum += w;
                        standing.dropped += pool.dropped;
                        standing.dropped_sum += pool.dropped_sum;
                    }
                    None => standing.provisional = true,
                }
            }
            if weight_sum > 0 {
                standing.score = Some(Ratio::new(total.num, total.den * weight_sum).round());
            }
            standing
        })
        .collect();
    rank(&mut out);
    out
}

/// Competition ranking (1, 1, 3) inside each presenter group by score, then tie-breaker.
fn rank(standings: &mut [Standing]) {
    let groups: Vec<String> = standings.iter().map(|s| s.group.clone()).collect();
    for group in groups {
        let mut idx: Vec<usize> = (0..standings.len())
            .filter(|&i| standings[i].group == group && standings[i].score.is_some())
            .collect();
        idx.sort_by_key(|&i| {
            let s = &standings[i];
            std::cmp::Reverse((s.score, s.dropped_sum))
        });
        let mut prev: Option<(Option<i64>, i64)> = None;
        let mut prev_rank = 0;
        for (pos, &i) in idx.iter().enumerate() {
            let key = (standings[i].score, standings[i].dropped_sum);
            let r = if prev == Some(key) {
                prev_rank
            } else {
                pos + 1
            };
            standings[i].rank = Some(r);
            prev = Some(key);
            prev_rank = r;
        }
    }
}

/// Hundredths of a point as text with two decimals: 8650 → "86.50".
pub fn format_hundredths(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let v = v.abs();
    format!("{sign}{}.{:02}", v / 100, v % 100)
}

#[cfg(test)]
mod tests;
