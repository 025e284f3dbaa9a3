//! A judge's score card (评分卡) for one presenter: one whole-number score from 0 to 100 per
//! criterion. A judge may save and change the card until they submit it; a submitted card
//! never changes. No card is written for the judge's own unit, outside the presenter's open
//! scoring window, or once the event is locked.

use super::Criterion;
use super::state::{EventState, ScoringState};
use crate::org::UnitId;

/// The highest score for one criterion.
pub const MAX_SCORE: u32 = 100;

/// Everything a card's acceptance depends on besides the scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardContext {
    pub event: EventState,
    pub scoring: ScoringState,
    /// The judge's own unit (`None` for guests and judges without a unit).
    pub judge_unit: Option<UnitId>,
    pub presenter_unit: UnitId,
    /// Whether this judge already submitted a card for this presenter.
    pub submitted: bool,
}

/// Why a card is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("a judge does not score their own unit")]
    OwnUnit,
    #[error("scoring is not open for this presenter ({state})")]
    NotOpen { state: ScoringState },
    #[error("the showcase is {state}: no card can be written")]
    EventClosed { state: EventState },
    #[error("this card was submitted and cannot change")]
    AlreadySubmitted,
    #[error("the card needs {expected} scores, one per criterion, not {got}")]
    WrongCount { expected: usize, got: usize },
    #[error("the score for {criterion} must be a whole number from 0 to {MAX_SCORE}, not {value}")]
    OutOfRange { criterion: String, value: i64 },
}

/// Whether this judge may write (save or submit) a card for this presenter at all — the
/// checks that do not depend on the scores, in the order a judge meets them.
pub fn may_write(ctx: &CardContext) -> Result<(), CardError> {
    if ctx.judge_unit == Some(ctx.presenter_unit) {
        return Err(CardError::OwnUnit);
    }
    if ctx.event != EventState::Live {
        return Err(CardError::EventClosed { state: ctx.event });
    }
    if ctx.submitted {
        return Err(CardError::AlreadySubmitted);
    }
    if ctx.scoring != ScoringState::Open {
        return Err(CardError::NotOpen { state: ctx.scoring });
    }
    Ok(())
}

/// Checks a card: the context first, then one score per criterion, each in 0..=100. Returns
/// the scores to store.
pub fn check(
    ctx: &CardContext,
    criteria: &[Criterion],
    scores: &[i64],
) -> Result<Vec<u32>, CardError> {
    may_write(ctx)?;
    if scores.len() != criteria.len() {
        return Err(CardError::WrongCount {
            expected: criteria.len(),
            got: scores.len(),
        });
    }
    criteria
        .iter()
        .zip(scores)
        .map(|(c, &v)| match u32::try_from(v) {
            Ok(s) if s <= MAX_SCORE => Ok(s),
            _ => Err(CardError::OutOfRange {
                criterion: c.name.clone(),
                value: v,
            }),
        })
        .collect()
}

/// A card's weighted score in hundredths of a point: Σ score × weight (weights sum to 100),
/// so 85 on every criterion is 8500, i.e. 85.00.
pub fn weighted(criteria: &[Criterion], scores: &[u32]) -> i64 {
    criteria
        .iter()
        .zip(scores)
        .map(|(c, &s)| i64::from(c.weight) * i64::from(s))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criteria() -> Vec<Criterion> {
        [
            ("工作实绩", 40),
            ("特色亮点", 30),
            ("直面短板", 20),
            ("精神面貌", 10),
        ]
        .into_iter()
        .map(|(n, w)| Criterion {
            name: n.into(),
            weight: w,
        })
        .collect()
    }

    fn open() -> CardContext {
        CardContext {
            event: EventState::Live,
            scoring: ScoringState::Open,
            judge_unit: Some(UnitId(1)),
            presenter_unit: UnitId(2),
            submitted: false,
        }
    }

    #[test]
    fn a_card_with_one_score_per_criterion_in_range_is_accepted() {
        assert_eq!(
            check(&open(), &criteria(), &[90, 80, 0, 100]),
            Ok(vec![90, 80, 0, 100])
        );
    }

    #[test]
    fn a_score_out_of_range_names_its_criterion() {
        assert_eq!(
            check(&open(), &criteria(), &[90, 101, 70, 60]),
            Err(CardError::OutOfRange {
                criterion: "特色亮点".into(),
                value: 101
            })
        );
        assert!(matches!(
            check(&open(), &criteria(), &[90, 80, -1, 60]),
            Err(CardError::OutOfRange { value: -1, .. })
        ));
        assert_eq!(
            check(&open(), &criteria(), &[90, 80, 70]),
            Err(CardError::WrongCount {
                expected: 4,
                got: 3
            })
        );
    }

    #[test]
    fn no_card_for_ones_own_unit_even_while_open() {
        let ctx = CardContext {
            judge_unit: Some(UnitId(2)),
            ..open()
        };
        assert_eq!(
            check(&ctx, &criteria(), &[90, 80, 70, 60]),
            Err(CardError::OwnUnit)
        );
        let guest = CardContext {
            judge_unit: None,
            ..open()
        };
        assert!(check(&guest, &criteria(), &[90, 80, 70, 60]).is_ok());
    }

    #[test]
    fn no_card_after_submit_or_outside_the_scoring_window_or_after_locking() {
        let cases = [
            (
                CardContext {
                    submitted: true,
                    ..open()
                },
                CardError::AlreadySubmitted,
            ),
            (
                CardContext {
                    scoring: ScoringState::Closed,
                    ..open()
                },
                CardError::NotOpen {
                    state: ScoringState::Closed,
                },
            ),
            (
                CardContext {
                    scoring: ScoringState::Waiting,
                    ..open()
                },
                CardError::NotOpen {
                    state: ScoringState::Waiting,
                },
            ),
            (
                CardContext {
                    event: EventState::Locked,
                    ..open()
                },
                CardError::EventClosed {
                    state: EventState::Locked,
                },
            ),
        ];
        for (ctx, want) in cases {
            assert_eq!(check(&ctx, &criteria(), &[90, 80, 70, 60]), Err(want));
        }
    }

    #[test]
    fn the_weighted_score_is_in_hundredths_of_a_point() {
        // 90×40 + 80×30 + 70×20 + 60×10 = 3600 + 2400 + 1400 + 600 = 8000 → 80.00
        assert_eq!(weighted(&criteria(), &[90, 80, 70, 60]), 8000);
        // 87×40 + 93×30 + 75×20 + 88×10 = 3480 + 2790 + 1500 + 880 = 8650 → 86.50
        assert_eq!(weighted(&criteria(), &[87, 93, 75, 88]), 8650);
        assert_eq!(weighted(&criteria(), &[100, 100, 100, 100]), 10000);
    }
}
