//! 评诺 — the year-end evaluation. Each evaluator (a deputy, a CPPCC member, or a member of
//! the public — on the portal, or recorded by the office) gives a verdict and a score from 0
//! to 100. The office concludes from the scores alone, by [`conclude`]:
//!
//! | weighted score | result |
//! |---|---|
//! | 85 or more | Fulfilled (已践诺) |
//! | 60 to under 85 | PartlyFulfilled (基本践诺) |
//! | under 60 | NotFulfilled (未践诺) |
//!
//! The weighted score is 70% the mean of the deputies' and members' scores and 30%
//! ([`PUBLIC_WEIGHT`]) the mean of the public's, when both groups have evaluated; when only
//! one group has, it is that group's mean. Within a group every evaluation weighs the same.
//! The public's weight is capped because anyone may evaluate on the portal: a flood of
//! anonymous scores moves the result by at most 30 points, while named supervisors answer
//! for theirs. The verdicts are counted and shown beside the result, but do not decide it: a
//! score is the one number everyone gives. [I]: no published Yongkang rule was found; the
//! bands follow the usual 优秀/合格/不合格 cut-offs and the 70/30 split the usual share of
//! 群众满意度 in Zhejiang's assessments.

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
    /// A member of the public, on the portal or recorded by the office.
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

/// The share of the public's mean in the weighted score when deputies or members have
/// evaluated too.
pub const PUBLIC_WEIGHT: f64 = 0.3;

/// The office's conclusion: the weighted score and the result it falls in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conclusion {
    /// The weighted score (see the module documentation).
    pub mean: f64,
    pub verdict: Verdict,
    pub count: usize,
    /// The mean of the deputies' and members' scores, if any.
    pub supervisors_mean: Option<f64>,
    /// The mean of the public's scores, if any.
    pub public_mean: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EvaluationError {
    #[error("nobody has evaluated this commitment yet")]
    NoEvaluations,
}

fn mean_of(scores: impl Iterator<Item = u8>) -> Option<f64> {
    let (sum, n) = scores.fold((0.0, 0usize), |(sum, n), s| (sum + f64::from(s), n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Scores by evaluator → weighted score → result, by the weights and bands in the module
/// documentation.
pub fn conclude(scores: &[(EvaluatorKind, u8)]) -> Result<Conclusion, EvaluationError> {
    let supervisors_mean = mean_of(
        scores
            .iter()
            .filter(|(k, _)| *k != EvaluatorKind::Public)
            .map(|(_, s)| *s),
    );
    let public_mean = mean_of(
        scores
            .iter()
            .filter(|(k, _)| *k == EvaluatorKind::Public)
            .map(|(_, s)| *s),
    );
    let mean = match (supervisors_mean, public_mean) {
        (Some(s), Some(p)) => s * (1.0 - PUBLIC_WEIGHT) + p * PUBLIC_WEIGHT,
        (Some(m), None) | (None, Some(m)) => m,
        (None, None) => return Err(EvaluationError::NoEvaluations),
    };
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
        supervisors_mean,
        public_mean,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deputies(scores: &[u8]) -> Vec<(EvaluatorKind, u8)> {
        scores.iter().map(|s| (EvaluatorKind::Deputy, *s)).collect()
    }

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
            assert_eq!(
                conclude(&deputies(scores)).unwrap().verdict,
                *want,
                "{scores:?}"
            );
        }
        let c = conclude(&deputies(&[90, 80, 70])).unwrap();
        assert_eq!((c.mean, c.count), (80.0, 3));
        assert_eq!((c.supervisors_mean, c.public_mean), (Some(80.0), None));
    }

    #[test]
    fn deputies_and_members_weigh_seventy_and_the_public_thirty_percent() {
        use EvaluatorKind::{Deputy, Member, Public};
        let c = conclude(&[(Deputy, 90), (Member, 70), (Public, 50), (Public, 30)]).unwrap();
        assert_eq!(
            (c.supervisors_mean, c.public_mean),
            (Some(80.0), Some(40.0))
        );
        assert!((c.mean - 68.0).abs() < 1e-9, "{}", c.mean);
        assert_eq!((c.verdict, c.count), (Verdict::PartlyFulfilled, 4));
    }

    #[test]
    fn a_flood_of_public_scores_moves_the_result_by_at_most_thirty_points() {
        use EvaluatorKind::{Deputy, Public};
        let mut scores = vec![(Deputy, 100)];
        scores.extend(std::iter::repeat_n((Public, 0), 10_000));
        let c = conclude(&scores).unwrap();
        assert!((c.mean - 70.0).abs() < 1e-9, "{}", c.mean);
        assert_eq!(c.verdict, Verdict::PartlyFulfilled);
    }

    #[test]
    fn one_group_alone_decides_by_its_own_mean() {
        let c = conclude(&[(EvaluatorKind::Public, 90), (EvaluatorKind::Public, 80)]).unwrap();
        assert_eq!((c.mean, c.verdict), (85.0, Verdict::Fulfilled));
        assert_eq!(c.supervisors_mean, None);
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
