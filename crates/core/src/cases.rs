//! The closed loop (发现 → 交办 → 办理 → 反馈 → 销号) for supervision items and problems:
//! deadline rules in [`deadline`], the business lifecycle in [`state`], and the timeliness
//! flags computed beside it in [`timeliness`] (never stored in place of the state).
//!
//! Only the pure rules exist so far; storage, pages, reminders and notifications are the rest
//! of issue 5.

pub mod deadline;
pub mod state;
pub mod timeliness;
