//! duban's domain: the organisation, roles, the one authorization policy and the ledger's
//! hashing. Plain types and pure functions — no database, no HTTP, no clock (time is a
//! parameter). This crate's `Cargo.toml` has no sqlx, axum or tokio, which is how "no I/O" is
//! enforced.
#![forbid(unsafe_code)]

pub mod assessment;
pub mod attachments;
pub mod calendar;
pub mod cases;
pub mod commitments;
pub mod demo;
pub mod duties;
pub mod joint;
pub mod ledger;
pub mod light;
pub mod lists;
pub mod org;
pub mod policy;
pub mod progress;
pub mod proposals;
pub mod public;
pub mod role;
pub mod search;
pub mod showcase;
pub mod text;
pub mod transparency;
