//! 民生实事 — livelihood projects chosen by the deputies' vote (票决制, DOMAIN §2.7). At year
//! end each deputy votes once per project (changeable until the office closes the voting):
//! 满意 / 基本满意 / 不满意 / 弃权. The satisfaction rate is (满意 + 基本满意) over the votes
//! cast for or against, abstentions left out; none cast, no rate.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vote {
    Satisfied,
    BasicallySatisfied,
    Dissatisfied,
    Abstain,
}

impl Vote {
    pub const ALL: [Vote; 4] = [
        Vote::Satisfied,
        Vote::BasicallySatisfied,
        Vote::Dissatisfied,
        Vote::Abstain,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Vote::Satisfied => "satisfied",
            Vote::BasicallySatisfied => "basically_satisfied",
            Vote::Dissatisfied => "dissatisfied",
            Vote::Abstain => "abstain",
        }
    }

    pub fn parse(s: &str) -> Option<Vote> {
        Vote::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// The counts of one project's votes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub satisfied: u32,
    pub basically_satisfied: u32,
    pub dissatisfied: u32,
    pub abstain: u32,
}

impl Tally {
    pub fn of(votes: impl IntoIterator<Item = Vote>) -> Tally {
        let mut t = Tally::default();
        for v in votes {
            match v {
                Vote::Satisfied => t.satisfied += 1,
                Vote::BasicallySatisfied => t.basically_satisfied += 1,
                Vote::Dissatisfied => t.dissatisfied += 1,
                Vote::Abstain => t.abstain += 1,
            }
        }
        t
    }

    pub fn total(&self) -> u32 {
        self.satisfied + self.basically_satisfied + self.dissatisfied + self.abstain
    }

    /// 满意率 in percent, one decimal; `None` when nobody voted for or against.
    pub fn satisfaction(&self) -> Option<f64> {
        let cast = self.satisfied + self.basically_satisfied + self.dissatisfied;
        (cast > 0).then(|| {
            let rate =
                f64::from(self.satisfied + self.basically_satisfied) * 100.0 / f64::from(cast);
            (rate * 10.0).round() / 10.0
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_satisfaction_rate_leaves_abstentions_out() {
        let t = Tally::of([
            Vote::Satisfied,
            Vote::Satisfied,
            Vote::BasicallySatisfied,
            Vote::Dissatisfied,
            Vote::Abstain,
            Vote::Abstain,
        ]);
        assert_eq!(t.total(), 6);
        assert_eq!(t.satisfaction(), Some(75.0));
        assert_eq!(
            Tally::of([Vote::Satisfied, Vote::Dissatisfied, Vote::Dissatisfied]).satisfaction(),
            Some(33.3)
        );
    }

    #[test]
    fn no_votes_or_only_abstentions_give_no_rate() {
        assert_eq!(Tally::default().satisfaction(), None);
        assert_eq!(Tally::of([Vote::Abstain]).satisfaction(), None);
    }

    #[test]
    fn votes_round_trip_through_their_text() {
        for v in Vote::ALL {
            assert_eq!(Vote::parse(v.as_str()), Some(v));
        }
        assert_eq!(Vote::parse("yes"), None);
    }
}
