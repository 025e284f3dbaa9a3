//! 评诺 — the year-end evaluation. Each evaluator (a deputy, a CPPCC member, or a member of
//! the public whose evaluation the office records) gives a verdict and a score from 0 to 100.
//! The office concludes from the scores alone, by [`conclude`]:
//!
//! | mean score of all evaluations | result |
//! |---|---|
//! | 85 or more | Fulfilled (已践诺) |
//! | 60 to under 85 | PartlyFulfilled (基本践诺) |
//! | under 60 | NotFulfilled (未践诺) |
//!
//! Every evaluation weighs the same. The verdicts are counted and shown beside the result,
//! but do not decide it: a score is the one number everyone gives. [I]: no published
//! Yongkang rule was found; the bands follow the usual 优秀/合格/不合格 cut-offs.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Fulfilled,
    PartlyFulfilled,
    NotFulfilled,
}

impl Verdict {
    pub const ALL: [Verdict; 3] = [
        Verdict::Fulfilled,
        Verdict::PartlyFulfilled,
        Verdict::NotFulfilled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Fulfilled => "fulfilled",
            Verdict::PartlyFulfilled => "partly_fulfilled",
            Verdict::NotFulfilled => "not_fulfilled",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Who evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvaluatorKind {
    /// 人大代表.
    Deputy,
    /// 政协委员.
    Member,
    /// A member of the public; recorded by the office.
    Public,
}

impl EvaluatorKind {
    pub const ALL: [EvaluatorKind; 3] = [
        EvaluatorKind::Deputy,
        EvaluatorKind::Member,
        EvaluatorKind::Public,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EvaluatorKind::Deputy => "deputy",
            EvaluatorKind::Member => "member",
            EvaluatorKind::Public => "public",
        }
    }

    pub fn parse(s: &str) -> Option<EvaluatorKind> {
        EvaluatorKind::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A score out of 100.
pub fn parse_score(raw: i64) -> Option<u8> {
    u8::try_from(raw).ok().filter(|s| *s <= 100)
}

/// The office's conclusion: the mean score and the result it falls in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conclusion {
    pub mean: f64,
    pub verdict: Verdict,
    pub count: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EvaluationError {
    #[error("nobody has evaluated this commitment yet")]
    NoEvaluations,
}

/// Mean score → result, by the bands in the module documentation.
pub fn conclude(scores: &[u8]) -> Result<Conclusion, EvaluationError> {
    if scores.is_empty() {
        return Err(EvaluationError::NoEvaluations);
    }
    let sum: f64 = scores.iter().map(|s| f64::from(*s)).sum();
    let mean = sum / scores.len() as f64;
    let verdict = if mean >= 85.0 {
        Verdict::Fulfilled
    } else if mean >= 60.0 {
        Verdict::PartlyFulfilled
    } else {
        Verdict::NotFulfilled
    };
    Ok(Conclusion {
        mean,
        verdict,
        count: scores.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_result_follows_the_mean_score_bands_at_their_edges() {
        let cases: &[(&[u8], Verdict)] = &[
            (&[100], Verdict::Fulfilled),
            (&[85], Verdict::Fulfilled),
            (&[90, 80], Verdict::Fulfilled),
            (&[84], Verdict::PartlyFulfilled),
            (&[60], Verdict::PartlyFulfilled),
            (&[90, 30], Verdict::PartlyFulfilled),
            (&[59], Verdict::NotFulfilled),
            (&[0, 100, 40], Verdict::NotFulfilled),
        ];
        for (scores, want) in cases {
            assert_eq!(conclude(scores).unwrap().verdict, *want, "{scores:?}");
        }
        let c = conclude(&[90, 80, 70]).unwrap();
        assert_eq!((c.mean, c.count), (80.0, 3));
    }

    #[test]
    fn there_is_no_result_without_evaluations() {
        assert_eq!(conclude(&[]), Err(EvaluationError::NoEvaluations));
    }

    #[test]
    fn scores_are_whole_numbers_from_0_to_100() {
        assert_eq!(parse_score(0), Some(0));
        assert_eq!(parse_score(100), Some(100));
        assert_eq!(parse_score(101), None);
        assert_eq!(parse_score(-1), None);
    }

    #[test]
    fn verdicts_and_evaluator_kinds_round_trip_through_their_text() {
        for v in Verdict::ALL {
            assert_eq!(Verdict::parse(v.as_str()), Some(v));
        }
        for k in EvaluatorKind::ALL {
            assert_eq!(EvaluatorKind::parse(k.as_str()), Some(k));
        }
    }
}
