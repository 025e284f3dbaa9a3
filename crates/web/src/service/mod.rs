//! Use cases shared by pages and the API: authorize with the policy, validate into domain
//! values, write in one transaction (the store appends the ledger entry), commit. A failed
//! validation returns every field problem at once and writes nothing.

pub mod accounts;
pub mod assessment;
pub mod attachments;
pub mod bulletins;
pub mod calendar;
pub mod cases;
pub mod commitments;
pub mod duties;
pub mod joint;
pub mod ledger;
pub mod lists;
pub mod livelihood;
pub mod names;
pub mod org;
pub mod people;
pub mod plan;
pub mod portal;
pub mod portfolios;
pub mod progress;
pub mod proposals;
pub mod public;
pub mod search;
pub mod showcase;

use crate::error::{AppError, FieldError};
use crate::state::AppState;
use duban_core::policy::Actor;
use duban_store::Audit;

/// The audit context of a write by `actor`, now.
pub fn audit(state: &AppState, actor: &Actor) -> Audit {
    Audit::new(actor.user, state.now())
}

/// Collects field problems; `finish` fails with all of them.
#[derive(Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn take<T>(
        &mut self,
        field: &'static str,
        r: Result<T, duban_core::org::OrgError>,
    ) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(FieldError::from_org(field, &e));
                None
            }
        }
    }

    pub fn add(&mut self, field: &'static str, code: &'static str) {
        self.0.push(FieldError::new(field, code));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.0))
        }
    }
}

/// Parses an optional ISO date (`2026-01-31`); empty means none.
pub fn parse_date(
    p: &mut Problems,
    field: &'static str,
    raw: &str,
) -> Option<Option<jiff::civil::Date>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Some(None);
    }
    match raw.parse::<jiff::civil::Date>() {
        Ok(d) if duban_core::text::sensible_date(d) => Some(Some(d)),
        Ok(_) => {
            p.add(field, "date_out_of_range");
            None
        }
        Err(_) => {
            p.add(field, "bad_date");
            None
        }
    }
}
