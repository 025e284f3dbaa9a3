//! The closed loop (发现 → 交办 → 办理 → 反馈 → 销号) for supervision items and problems:
//! what a case is about in [`facts`], deadline rules in [`deadline`], the business lifecycle
//! in [`state`], a split unit's own part (分办) in [`part`], the timeliness flags and light computed beside it in [`timeliness`] (never
//! stored in place of the state), and the reminder and escalation ladder in [`ladder`].

pub mod deadline;
pub mod facts;
pub mod ladder;
pub mod part;
pub mod state;
pub mod timeliness;

crate::lists::id_newtype!(
    /// A case (督办事项 / 问题).
    CaseId,
    /// A meeting whose decisions became cases (日会商、周例会).
    MeetingId,
);
