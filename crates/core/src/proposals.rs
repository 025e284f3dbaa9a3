//! NPC suggestions and CPPCC proposals (人大代表建议 · 政协提案), DOMAIN §2.4, §3.6, §3.7.
//!
//! Both kinds share one lifecycle ([`state`]); what differs at intake — the number's name,
//! who proposes, the group they come from, the reasons an item is turned away, the window a
//! proposer has to evaluate — is data of the kind ([`kind`]). A year's windows and outcome
//! classes are settings data ([`settings`]); the handling-quality rates are defined once, in
//! [`rates`], as predicates on one item's facts and ratios of their counts.

pub mod kind;
pub mod rates;
pub mod settings;
pub mod state;

crate::lists::id_newtype!(
    /// A suggestion or proposal (建议 / 提案).
    ProposalId,
);
