//! Editing the working-day calendar (admin): mark a day a holiday or a working day, or clear it.

use super::{Problems, audit, parse_date};
use crate::error::{AppError, FieldError};
use crate::state::AppState;
use duban_core::calendar::SpecialDay;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_store::{StoreError, calendar};

pub async fn set_day(
    state: &AppState,
    actor: &Actor,
    day: &str,
    kind: &str,
    name: &str,
) -> Result<jiff::civil::Date, AppError> {
    decide(actor, Action::ManageOrg, Object::City)?;
    let mut p = Problems::default();
    let day = parse_date(&mut p, "day", day).flatten();
    if day.is_none() && p.is_empty() {
        p.add("day", "empty");
    }
    let workday = match kind {
        "workday" => Some(true),
        "holiday" => Some(false),
        _ => {
            p.add("kind", "bad_choice");
            None
        }
    };
    let name = if name.trim().is_empty() {
        Some(String::new())
    } else {
        p.take("name", duban_core::org::parse_text(name, 32))
    };
    p.finish()?;
    let name = name.expect("checked");
    let d = SpecialDay {
        day: day.expect("checked"),
        workday: workday.expect("checked"),
        name,
    };
    let mut tx = state.store.begin_write().await?;
    let audit = audit(state, actor);
    calendar::set_day(&mut tx, &audit, &d).await?;
    crate::service::cases::escalation::recompute_deadlines(&mut tx, state, &audit).await?;
    tx.commit().await?;
    Ok(d.day)
}

pub async fn clear_day(
    state: &AppState,
    actor: &Actor,
    day: jiff::civil::Date,
) -> Result<(), AppError> {
    decide(actor, Action::ManageOrg, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    let audit = audit(state, actor);
    match calendar::clear_day(&mut tx, &audit, day).await {
        Ok(()) => {}
        Err(StoreError::NotFound) => {
            return Err(AppError::Invalid(vec![FieldError::new(
                "day",
                "not_found_ref",
            )]));
        }
        Err(e) => return Err(e.into()),
    }
    crate::service::cases::escalation::recompute_deadlines(&mut tx, state, &audit).await?;
    tx.commit().await?;
    Ok(())
}
