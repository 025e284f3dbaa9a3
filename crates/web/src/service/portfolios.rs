//! Setting and ending leader portfolios (admin).

use super::{Problems, audit, parse_date};
use crate::error::{AppError, FieldError};
use crate::state::AppState;
use duban_core::org::{self, PersonId, PortfolioId, UnitId};
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::role::Role;
use duban_store::{accounts, org as org_store, portfolios};
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PortfolioInput {
    #[serde(default)]
    pub leader_id: Option<i64>,
    #[serde(default)]
    pub unit_id: Option<i64>,
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub valid_to: String,
}

pub async fn add_portfolio(
    state: &AppState,
    actor: &Actor,
    input: &PortfolioInput,
) -> Result<PortfolioId, AppError> {
    decide(actor, Action::ManageOrg, Object::City)?;
    let mut p = Problems::default();
    let from = parse_date(&mut p, "valid_from", &input.valid_from);
    let to = parse_date(&mut p, "valid_to", &input.valid_to);
    if input.leader_id.is_none() {
        p.add("leader_id", "empty");
    }
    if input.unit_id.is_none() {
        p.add("unit_id", "empty");
    }
    let from = match from {
        Some(Some(d)) => Some(d),
        Some(None) => Some(state.today()),
        None => None,
    };
    if let (Some(f), Some(t)) = (from, to) {
        p.take("valid_to", org::parse_interval(f, t));
    }
    p.finish()?;
    let (leader, unit) = (
        PersonId(input.leader_id.expect("checked")),
        UnitId(input.unit_id.expect("checked")),
    );
    let mut tx = state.store.begin_write().await?;
    let leader_user = accounts::find_user_by_person(&mut tx, leader).await?;
    if !leader_user.is_some_and(|u| matches!(u.role(), Role::PortfolioLeader | Role::TopLeader)) {
        return Err(AppError::Invalid(vec![FieldError::new(
            "leader_id",
            "not_a_leader",
        )]));
    }
    org_store::get_unit(&mut tx, unit).await?;
    let id = portfolios::insert_portfolio(
        &mut tx,
        &audit(state, actor),
        leader,
        unit,
        from.expect("checked"),
        to.flatten(),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn end_portfolio(
    state: &AppState,
    actor: &Actor,
    id: PortfolioId,
    last_day: &str,
) -> Result<(), AppError> {
    decide(actor, Action::ManageOrg, Object::City)?;
    let mut p = Problems::default();
    let day = parse_date(&mut p, "valid_to", last_day);
    p.finish()?;
    let day = day.flatten().unwrap_or_else(|| state.today());
    let mut tx = state.store.begin_write().await?;
    let pf = portfolios::get_portfolio(&mut tx, id).await?;
    if day < pf.valid_from {
        return Err(AppError::Invalid(vec![FieldError::new(
            "valid_to",
            "ends_before_start",
        )]));
    }
    portfolios::end_portfolio(&mut tx, &audit(state, actor), id, day).await?;
    tx.commit().await?;
    Ok(())
}
