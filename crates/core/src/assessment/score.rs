//! The arithmetic of assessment, over events already scored: module sums, caps, totals, ranks
//! within a group and stars. Totals are derived here and nowhere else; a page reads them from
//! maintained sums that the same functions turn into scores.

use super::Centi;
use super::scheme::{Scheme, Stars};
use crate::org::UnitId;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModuleScore {
    pub key: String,
    /// The module's weight in points (its most).
    pub weight: Centi,
    /// Where a unit starts: `weight × base%`.
    pub start: Centi,
    /// The events' points summed.
    pub events: Centi,
    /// After the module's caps.
    pub counted: Centi,
    /// `start + counted`, kept within 0 and the weight.
    pub score: Centi,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitScore {
    pub modules: Vec<ModuleScore>,
    pub total: Centi,
}

/// Adds events' points per module: `(module, points)` pairs in any order.
pub fn sums<'a>(events: impl IntoIterator<Item = (&'a str, Centi)>) -> BTreeMap<String, Centi> {
    let mut out = BTreeMap::new();
    for (m, p) in events {
        *out.entry(m.to_string()).or_insert(0) += p;
    }
    out
}

/// A unit's score for one period from its per-module sums. Modules the unit had no event in
/// score their start.
pub fn unit_score(scheme: &Scheme, sums: &BTreeMap<String, Centi>) -> UnitScore {
    let modules: Vec<ModuleScore> = scheme
        .modules
        .iter()
        .map(|m| {
            let weight = Centi::from(m.weight) * 100;
            let start = Centi::from(m.weight) * Centi::from(scheme.base_pct);
            let events = sums.get(&m.key).copied().unwrap_or(0);
            let counted = events
                .min(m.cap_plus.unwrap_or(Centi::MAX))
                .max(-m.cap_minus.unwrap_or(Centi::MAX));
            let score = (start + counted).clamp(0, weight);
            ModuleScore {
                key: m.key.clone(),
                weight,
                start,
                events,
                counted,
                score,
            }
        })
        .collect();
    let total = modules.iter().map(|m| m.score).sum();
    UnitScore { modules, total }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Ranked {
    pub unit: UnitId,
    pub total: Centi,
    /// 1 is first; tied totals share a rank and the next rank is skipped (1, 2, 2, 4).
    pub rank: u32,
    /// 1–5.
    pub stars: u8,
}

/// Ranks one group's totals and gives their stars. Ordered by rank, then unit id.
pub fn rank_group(totals: &[(UnitId, Centi)], stars: &Stars) -> Vec<Ranked> {
    let mut sorted = totals.to_vec();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let n = sorted.len();
    let mut out: Vec<Ranked> = Vec::with_capacity(n);
    for (i, (unit, total)) in sorted.into_iter().enumerate() {
        let rank = match out.last() {
            Some(prev) if prev.total == total => prev.rank,
            _ => i as u32 + 1,
        };
        out.push(Ranked {
            unit,
            total,
            rank,
            stars: 1,
        });
    }
    for r in &mut out {
        r.stars = star_of(stars, r.total, r.rank, n);
    }
    out
}

fn star_of(stars: &Stars, total: Centi, rank: u32, n: usize) -> u8 {
    match stars {
        Stars::Score(t) => t
            .iter()
            .position(|min| total >= *min)
            .map_or(1, |i| 5 - i as u8),
        Stars::Share(s) => {
            let mut cumulative = 0u64;
            for (i, share) in s.iter().enumerate() {
                cumulative += u64::from(*share);
                let bound = cumulative * n as u64 / 100;
                if u64::from(rank) <= bound {
                    return 5 - i as u8;
                }
            }
            1
        }
    }
}

/// Places moved since the previous period: positive is up.
pub fn rank_change(previous: Option<u32>, now: u32) -> Option<i64> {
    previous.map(|p| i64::from(p) - i64::from(now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::event::{EventKind, Part};
    use crate::assessment::scheme::Group;

    /// The default scheme narrowed to four modules, so the tables below stay small enough to
    /// compute by hand: key work 50, cases 25, commitments 15, manual 10.
    fn scheme() -> Scheme {
        let mut s = Scheme::default_for(vec![Group {
            key: "all".into(),
            name_zh: "全部".into(),
            name_en: "All".into(),
            units: vec![UnitId(1), UnitId(2), UnitId(3)],
        }]);
        let kept = ["key_work", "cases", "commitments", "manual"];
        s.modules.retain(|m| kept.contains(&m.key.as_str()));
        s.rules.retain(|r| kept.contains(&r.module.as_str()));
        for (m, w) in s.modules.iter_mut().zip([50, 25, 15, 10]) {
            m.weight = w;
        }
        assert_eq!(s.validate(), Ok(()));
        s
    }

    /// A hand-computed table: base 80 %; key_work 50 → starts 40; cases 25 → 20;
    /// commitments 15 → 12; manual 10 → 8 with caps +5 / −10.
    #[test]
    fn a_unit_score_by_hand() {
        let s = scheme();
        let p = |k, part| s.points(k, part).unwrap();
        // 3 overdue cases as lead (−1 each), one as co (−0.5), one rework (−2): cases −5.5
        // 2 tasks done on time (+1 each), one late report (−0.5): key work +1.5
        // one broken commitment as co (−2.5)
        // three criticisms (−2 each = −6) and false data (−3) = −9, within the cap of −10,
        // which takes the module from its start of 8 below zero
        let events = [
            p(EventKind::CaseOverdue, Part::Lead),
            p(EventKind::CaseOverdue, Part::Lead),
            p(EventKind::CaseOverdue, Part::Lead),
            p(EventKind::CaseOverdue, Part::Co),
            p(EventKind::CaseRework, Part::Lead),
            p(EventKind::TaskDoneOnTime, Part::Lead),
            p(EventKind::TaskDoneOnTime, Part::Lead),
            p(EventKind::ReportLate, Part::Lead),
            p(EventKind::CommitmentBroken, Part::Co),
            p(EventKind::LeaderCriticism, Part::Lead),
            p(EventKind::LeaderCriticism, Part::Lead),
            p(EventKind::LeaderCriticism, Part::Lead),
            p(EventKind::FalseData, Part::Lead),
        ];
        let score = unit_score(&s, &sums(events));
        let by: BTreeMap<_, _> = score
            .modules
            .iter()
            .map(|m| (m.key.as_str(), (m.events, m.counted, m.score)))
            .collect();
        assert_eq!(by["key_work"], (150, 150, 4150));
        assert_eq!(by["cases"], (-550, -550, 1450));
        assert_eq!(by["commitments"], (-250, -250, 950));
        // 8 − 9 = −1, kept at zero
        assert_eq!(by["manual"], (-900, -900, 0));
        assert_eq!(score.total, 4150 + 1450 + 950);
        assert_eq!(score.total, 6550);
    }

    #[test]
    fn caps_bound_a_module_and_the_weight_bounds_a_score() {
        let s = scheme();
        // manual: −15 capped at −10 → 8 − 10 = −2 → 0; +20 capped at +5 → 13 → 10 (its weight)
        let down = unit_score(&s, &sums([("manual", -1500)]));
        let m = &down.modules[3];
        assert_eq!((m.events, m.counted, m.score), (-1500, -1000, 0));
        let up = unit_score(&s, &sums([("manual", 2000)]));
        let m = &up.modules[3];
        assert_eq!((m.events, m.counted, m.score), (2000, 500, 1000));
        // no cap on key_work: +30 from a start of 40 stops at its weight 50
        let k = unit_score(&s, &sums([("key_work", 3000)]));
        assert_eq!(k.modules[0].score, 5000);
        assert_eq!(k.total, 5000 + 2000 + 1200 + 800);
    }

    #[test]
    fn no_events_score_the_base() {
        let s = scheme();
        assert_eq!(unit_score(&s, &BTreeMap::new()).total, 8000);
    }

    #[test]
    fn ties_share_a_rank_and_skip_the_next() {
        let t = [
            (UnitId(4), 8000),
            (UnitId(2), 9100),
            (UnitId(3), 8600),
            (UnitId(1), 8600),
            (UnitId(5), 6900),
        ];
        let r = rank_group(&t, &Stars::Score([9000, 8500, 8000, 7000]));
        let rows: Vec<(i64, u32, u8)> = r.iter().map(|x| (x.unit.0, x.rank, x.stars)).collect();
        assert_eq!(
            rows,
            [(2, 1, 5), (1, 2, 4), (3, 2, 4), (4, 4, 3), (5, 5, 1)]
        );
    }

    #[test]
    fn stars_by_share_count_down_from_the_top() {
        // 10 units, shares 10/20/30/20: 1 five-star, 2 four, 3 three, 2 two, the rest one.
        let t: Vec<(UnitId, Centi)> = (1..=10).map(|i| (UnitId(i), 10_000 - i * 100)).collect();
        let r = rank_group(&t, &Stars::Share([10, 20, 30, 20]));
        let stars: Vec<u8> = r.iter().map(|x| x.stars).collect();
        assert_eq!(stars, [5, 4, 4, 3, 3, 3, 2, 2, 1, 1]);
        // a tie across a band's edge: both share rank 1 and five stars; the third is third
        // (bands are cut from cumulative shares: 34 % → 1 place, 67 % → 2, 100 % → 3)
        let t = [(UnitId(1), 9000), (UnitId(2), 9000), (UnitId(3), 8000)];
        let r = rank_group(&t, &Stars::Share([34, 33, 33, 0]));
        let stars: Vec<u8> = r.iter().map(|x| x.stars).collect();
        assert_eq!(stars, [5, 5, 3]);
        // a small group: 10 % of 6 is no unit
        let t: Vec<(UnitId, Centi)> = (1..=6).map(|i| (UnitId(i), 100 * i)).collect();
        let r = rank_group(&t, &Stars::Share([10, 50, 0, 0]));
        assert_eq!(r.iter().filter(|x| x.stars == 5).count(), 0);
        assert_eq!(r.iter().filter(|x| x.stars == 4).count(), 3);
    }

    #[test]
    fn rank_change_is_places_moved_up() {
        assert_eq!(rank_change(Some(5), 2), Some(3));
        assert_eq!(rank_change(Some(1), 3), Some(-2));
        assert_eq!(rank_change(None, 3), None);
    }

    #[test]
    fn summing_in_any_order_gives_the_same_total() {
        let s = scheme();
        let ev = [
            ("cases", -100),
            ("key_work", 100),
            ("cases", -50),
            ("manual", -300),
        ];
        let mut rev = ev;
        rev.reverse();
        assert_eq!(
            unit_score(&s, &sums(ev)).total,
            unit_score(&s, &sums(rev)).total
        );
    }
}
