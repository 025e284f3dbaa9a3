//! A year's windows and outcome classes (DOMAIN §3.6), as data. Every window is a
//! [`DeadlineRule`] counted from the step that opens it; a year without saved settings uses
//! [`Settings::defaults`].

use super::kind::Kind;
use super::state::OutcomeClass;
use crate::calendar::Calendar;
use crate::cases::deadline::{DeadlineError, DeadlineRule};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub year: i16,
    /// 答复期限, from 交办 (3 months).
    pub reply: DeadlineRule,
    /// The latest an approved extension may move the reply deadline to, from 交办 (6 months).
    pub extension_max: DeadlineRule,
    /// 申请调整, from 交办 (5 working days).
    pub adjustment: DeadlineRule,
    /// 协办意见 to the lead unit, from 交办 (1 month).
    pub co_opinion: DeadlineRule,
    /// A deputy returns the 征询意见表, from the reply (20 working days).
    pub evaluation_deputy: DeadlineRule,
    /// A CPPCC member returns it, from the reply (15 working days).
    pub evaluation_member: DeadlineRule,
    /// 不满意重办, from the rating (1 month).
    pub rehandling: DeadlineRule,
    /// 续报 interval for B and C items, from the reply or the last follow-up (3 months).
    pub follow_up: DeadlineRule,
    /// The outcome classes a reply may carry this year.
    pub classes: Vec<OutcomeClass>,
    /// Whether co-signers rate too (the lead proposer always does).
    pub co_signers_rate: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("class {0} is not in use this year")]
    ClassNotInUse(&'static str),
    #[error("an extension may move the deadline to {latest} at the latest")]
    ExtensionTooLong { latest: Date },
    #[error("an extension must move the deadline later than {current}")]
    ExtensionNotLater { current: Date },
    #[error("an extension needs a reason the proposer will see")]
    ExtensionReasonRequired,
    #[error(transparent)]
    Deadline(#[from] DeadlineError),
}

/// The dates one hand-out opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Windows {
    pub reply_due: Date,
    pub adjustment_ends: Date,
    pub co_opinion_due: Date,
}

impl Settings {
    pub fn defaults(year: i16) -> Settings {
        Settings {
            year,
            reply: DeadlineRule::Months { n: 3 },
            extension_max: DeadlineRule::Months { n: 6 },
            adjustment: DeadlineRule::WorkingDays { n: 5 },
            co_opinion: DeadlineRule::Months { n: 1 },
            evaluation_deputy: DeadlineRule::WorkingDays { n: 20 },
            evaluation_member: DeadlineRule::WorkingDays { n: 15 },
            rehandling: DeadlineRule::Months { n: 1 },
            follow_up: DeadlineRule::Months { n: 3 },
            classes: OutcomeClass::ALL.to_vec(),
            co_signers_rate: false,
        }
    }

    /// The windows a hand-out on `day` opens; `reply` overrides the year's reply rule (the
    /// office may set another deadline at hand-out).
    pub fn windows(
        &self,
        day: Date,
        reply: Option<DeadlineRule>,
        calendar: &Calendar,
    ) -> Result<Windows, DeadlineError> {
        Ok(Windows {
            reply_due: reply.unwrap_or(self.reply).due(day, calendar)?,
            adjustment_ends: self.adjustment.due(day, calendar)?,
            co_opinion_due: self.co_opinion.due(day, calendar)?,
        })
    }

    /// The day the proposer's evaluation of a reply signed on `replied_on` is due.
    pub fn evaluation_due(
        &self,
        kind: Kind,
        replied_on: Date,
        calendar: &Calendar,
    ) -> Result<Date, DeadlineError> {
        match kind {
            Kind::Suggestion => self.evaluation_deputy,
            Kind::Proposal => self.evaluation_member,
        }
        .due(replied_on, calendar)
    }

    /// Refuses a class not in use this year.
    pub fn check_class(&self, class: OutcomeClass) -> Result<(), SettingsError> {
        if self.classes.contains(&class) {
            Ok(())
        } else {
            Err(SettingsError::ClassNotInUse(class.as_str()))
        }
    }

    /// Whether an extension of the reply deadline from `current` to `to` may be approved for
    /// an item handed out on `handed_out`, with the reason the proposer will see.
    pub fn extension_ok(
        &self,
        handed_out: Date,
        current: Date,
        to: Date,
        reason: &str,
        calendar: &Calendar,
    ) -> Result<(), SettingsError> {
        if reason.trim().is_empty() {
            return Err(SettingsError::ExtensionReasonRequired);
        }
        if to <= current {
            return Err(SettingsError::ExtensionNotLater { current });
        }
        let latest = self.extension_max.due(handed_out, calendar)?;
        if to > latest {
            return Err(SettingsError::ExtensionTooLong { latest });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::official_schedule;
    use jiff::civil::date;

    fn cal() -> Calendar {
        Calendar::new(official_schedule(2026))
    }

    #[test]
    fn a_hand_out_opens_the_years_windows() {
        let s = Settings::defaults(2026);
        // 交办 on Fri 2026-03-20: +5 wd = Fri 03-27; +1 month = Mon 04-20; +3 months = 06-20
        // (a Saturday) → Mon 06-22.
        let w = s.windows(date(2026, 3, 20), None, &cal()).unwrap();
        assert_eq!(w.adjustment_ends, date(2026, 3, 27));
        assert_eq!(w.co_opinion_due, date(2026, 4, 20));
        assert_eq!(w.reply_due, date(2026, 6, 22));
        let w = s
            .windows(
                date(2026, 3, 20),
                Some(DeadlineRule::Months { n: 2 }),
                &cal(),
            )
            .unwrap();
        assert_eq!(w.reply_due, date(2026, 5, 20));
    }

    #[test]
    fn deputies_and_members_have_their_own_evaluation_window() {
        let s = Settings::defaults(2026);
        // Reply Mon 2026-06-22: +20 wd = Mon 07-20; +15 wd = Mon 07-13.
        assert_eq!(
            s.evaluation_due(Kind::Suggestion, date(2026, 6, 22), &cal()),
            Ok(date(2026, 7, 20))
        );
        assert_eq!(
            s.evaluation_due(Kind::Proposal, date(2026, 6, 22), &cal()),
            Ok(date(2026, 7, 13))
        );
    }

    #[test]
    fn an_extension_needs_a_reason_and_stays_within_six_months() {
        let s = Settings::defaults(2026);
        let out = date(2026, 3, 20);
        let cur = date(2026, 6, 22);
        assert_eq!(
            s.extension_ok(out, cur, date(2026, 8, 31), "需跨部门协调", &cal()),
            Ok(())
        );
        assert_eq!(
            s.extension_ok(out, cur, date(2026, 8, 31), " ", &cal()),
            Err(SettingsError::ExtensionReasonRequired)
        );
        assert_eq!(
            s.extension_ok(out, cur, date(2026, 6, 1), "x", &cal()),
            Err(SettingsError::ExtensionNotLater { current: cur })
        );
        // 03-20 + 6 months = 09-20, a Sunday worked before National Day (补班): it stands.
        assert!(cal().is_workday(date(2026, 9, 20)));
        assert_eq!(
            s.extension_ok(out, cur, date(2026, 9, 21), "x", &cal()),
            Err(SettingsError::ExtensionTooLong {
                latest: date(2026, 9, 20)
            })
        );
    }

    #[test]
    fn the_class_set_is_the_years_choice() {
        let mut s = Settings::defaults(2026);
        assert_eq!(s.check_class(OutcomeClass::D), Ok(()));
        s.classes = vec![OutcomeClass::A, OutcomeClass::B, OutcomeClass::C];
        assert_eq!(
            s.check_class(OutcomeClass::D),
            Err(SettingsError::ClassNotInUse("D"))
        );
    }
}
