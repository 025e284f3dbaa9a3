//! duban's persistence: one [`Store`] over SQLite (the embedded default) or PostgreSQL, chosen
//! once from the database URL. Repository functions are written once against [`Tx`]; where the
//! two dialects differ, both SQL strings stand side by side in the same function.
//!
//! Every write happens in one transaction opened with [`Store::begin_write`], and every
//! business write appends its ledger entry ([`ledger::append`]) in that same transaction.
#![forbid(unsafe_code)]

mod connect;
mod error;
mod query;

pub mod accounts;
pub mod aliases;
pub mod assessment;
pub mod attachments;
pub mod bulletins;
pub mod calendar;
pub mod campaigns;
pub mod cases;
pub mod commitments;
pub mod duties;
pub mod imports;
pub mod jobs;
pub mod joint;
pub mod ledger;
pub mod lists;
pub mod livelihood;
pub mod meetings;
pub mod notifications;
pub mod org;
pub mod people;
pub mod portfolios;
pub mod progress;
pub mod proposals;
pub mod public;
pub mod search;
pub mod showcase;
pub mod statements;
#[cfg(feature = "testing")]
pub mod testing;
pub mod transparency;

pub use connect::{Backend, Store, Tuning, Tx};
pub use error::StoreError;
pub use query::{Param, Sql, insert_many, sql};

/// Who writes, and when: passed to every writing function so its ledger entry names them.
#[derive(Debug, Clone, Copy)]
pub struct Audit {
    pub actor: Option<duban_core::org::UserId>,
    pub at: jiff::Timestamp,
}

impl Audit {
    /// `at` is truncated to microseconds: PostgreSQL keeps no finer, and the ledger hash
    /// covers it, so the stored and the hashed instant must be the same.
    pub fn new(actor: Option<duban_core::org::UserId>, at: jiff::Timestamp) -> Audit {
        let at = jiff::Timestamp::from_microsecond(at.as_microsecond()).unwrap_or(at);
        Audit { actor, at }
    }

    /// A write by the system (seeding, the CLI without a user, jobs).
    pub fn system(at: jiff::Timestamp) -> Audit {
        Audit::new(None, at)
    }
}
