//! Who has to act on which report: the tasks a liaison, head or responsible person still has
//! to report on this period, the reports waiting for a unit head's approval, and those waiting
//! for the supervision office.

use super::lights;
use crate::error::AppError;
use crate::state::AppState;
use duban_core::lists::Cadence;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::progress::period::Period;
use duban_core::role::Role;
use duban_store::progress::queues::{self as store, DueRow, PeriodKeys, QueueRow};
use serde::Serialize;

/// How many rows a queue shows.
pub const LIMIT: i64 = 200;

#[derive(Debug, Clone, Serialize)]
pub struct Queues {
    /// Tasks to report on this period (not sent yet first).
    pub due: Vec<DueRow>,
    /// Reports waiting for the unit head (heads only).
    pub to_approve: Vec<QueueRow>,
    pub to_approve_count: i64,
    /// Reports waiting for the office (the office only).
    pub to_accept: Vec<QueueRow>,
    pub to_accept_count: i64,
    pub period_label: String,
    pub due_on: jiff::civil::Date,
}

/// Everything the actor has to do about reports.
pub async fn queues(state: &AppState, actor: &Actor) -> Result<Queues, AppError> {
    decide(actor, Action::ViewTasks, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    let today = state.today();
    let year = today.year();
    let plan = lights::plan(&mut tx, year).await?;
    let keys = PeriodKeys(Cadence::ALL.map(|c| Period::containing(c, today).key()));
    let current = Period::containing(plan.cadence, today);
    let role = actor.role;
    let reporting_units: Vec<_> = match role {
        Some(Role::UnitHead | Role::UnitLiaison) => actor.scope.units.iter().copied().collect(),
        _ => Vec::new(),
    };
    let due = store::due(
        &mut tx,
        year,
        &reporting_units,
        actor.person,
        plan.cadence.as_str(),
        &keys,
        LIMIT,
    )
    .await?;
    let (to_approve, to_approve_count) = if role == Some(Role::UnitHead) {
        store::waiting(&mut tx, "unit_review", Some(&reporting_units), LIMIT).await?
    } else {
        (Vec::new(), 0)
    };
    let (to_accept, to_accept_count) = if role == Some(Role::SupervisionOffice) {
        store::waiting(&mut tx, "submitted", None, LIMIT).await?
    } else {
        (Vec::new(), 0)
    };
    Ok(Queues {
        due,
        to_approve,
        to_approve_count,
        to_accept,
        to_accept_count,
        period_label: current.key(),
        due_on: current.due(plan.report_day),
    })
}
