//! Creating, editing and deactivating units, sections and posts (admin only).

use super::{Problems, audit};
use crate::error::AppError;
use crate::state::AppState;
use duban_core::org::{self, PostId, SectionId, UnitId, UnitKind};
use duban_core::policy::{Action, Actor, Object, decide};
use duban_store::org as store;
use serde::Deserialize;

/// A unit as typed into a form or sent to the API, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UnitInput {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub short_name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub parent_id: Option<i64>,
    #[serde(default)]
    pub sort_order: Option<i64>,
}

fn validate(input: &UnitInput) -> Result<store::UnitFields, AppError> {
    let mut p = Problems::default();
    let code = p.take("code", org::parse_unit_code(&input.code));
    let name = p.take("name", org::parse_name(&input.name));
    let short_name = if input.short_name.trim().is_empty() {
        name.clone()
    } else {
        p.take("short_name", org::parse_text(&input.short_name, 32))
    };
    let kind = UnitKind::parse(input.kind.trim());
    if kind.is_none() {
        p.add("kind", "bad_choice");
    }
    p.finish()?;
    Ok(store::UnitFields {
        code: code.expect("checked"),
        name: name.expect("checked"),
        short_name: short_name.expect("checked"),
        kind: kind.expect("checked"),
        parent_id: input.parent_id.map(UnitId),
        sort_order: input.sort_order.unwrap_or(0),
    })
}

pub async fn create_unit(
    state: &AppState,
    actor: &Actor,
    input: &UnitInput,
) -> Result<UnitId, AppError> {
    decide(actor, Action::ManageOrg, Object::City)?;
    let fields = validate(input)?;
    let mut tx = state.store.begin_write().await?;
    if let Some(parent) = fields.parent_id {
        check_parent(&mut tx, None, parent).await?;
    }
    let id = store::insert_unit(&mut tx, &audit(state, actor), &fields).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_unit(
    state: &AppState,
    actor: &Actor,
    id: UnitId,
    input: &UnitInput,
) -> Result<(), AppError> {
    decide(actor, Action::ManageOrg, Object::City)?;
    let fields = validate(input)?;
    if fields.parent_id == Some(id) {
        return Err(AppError::Invalid(vec![crate::error::FieldError::new(
            "parent_id",
            "self_parent",
        )]));
    }
    let mut tx = state.store.begin_write().await?;
    if let Some(parent) = fields.parent_id {
        check_parent(&mut tx, Some(id), parent).await?;
    }
    store::update_unit(&mut tx, &audit(state, actor), id, &fields).await?;
    tx.commit().await?;
    Ok(())
}

/// A parent must exist, and a unit cannot be placed under itself or under one of its own
/// descendants (the tree would become a loop that every roll-up walks forever).
async fn check_parent(
    tx: &mut duban_store::Tx,
    unit: Option<UnitId>,
    parent: UnitId,
) -> Result<(), AppError> {
    let invalid = |code| AppError::Invalid(vec![crate::error::FieldError::new("parent_id", code)]);
    let mut next = Some(parent);
    // The chain of ancestors is short (city → department → office); 64 is far beyond any.
    for _ in 0..64 {
        let Some(at) = next else {
            return Ok(());
        };
        if Some(at) == unit {
            return Err(invalid("parent_cycle"));
        }
        next = match store::get_unit(tx, at).await {
            Ok(u) => u.parent_id.map(UnitId),
            Err(duban_store::StoreError::NotFound) => return Err(invalid("not_found_ref")),
            Err(e) => return Err(e.into()),
        };
    }
    Err(invalid("parent_cycle"))
}

pub async fn set_unit_active(
    state: &AppState,
    actor: &Actor,
    id: UnitId,
    active: bool,
) -> Result<(), AppError> {
    decide(actor, Action::ManageOrg, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    store::set_unit_active(&mut tx, &audit(state, actor), id, active).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_section(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    name: &str,
) -> Result<SectionId, AppError> {
    decide(actor, Action::ManageOrg, Object::City)?;
    let mut p = Problems::default();
    let name = p.take("name", org::parse_text(name, 32));
    p.finish()?;
    let mut tx = state.store.begin_write().await?;
    store::get_unit(&mut tx, unit).await?;
    let id =
        store::insert_section(&mut tx, &audit(state, actor), unit, &name.expect("checked")).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_section(
    state: &AppState,
    actor: &Actor,
    id: SectionId,
    name: &str,
    active: bool,
) -> Result<UnitId, AppError> {
    decide(actor, Action::ManageOrg, Object::City)?;
    let mut p = Problems::default();
    let name = p.take("name", org::parse_text(name, 32));
    p.finish()?;
    let mut tx = state.store.begin_write().await?;
    let section = store::get_section(&mut tx, id).await?;
    store::update_section(
        &mut tx,
        &audit(state, actor),
        id,
        &name.expect("checked"),
        active,
    )
    .await?;
    tx.commit().await?;
    Ok(UnitId(section.unit_id))
}

pub async fn add_post(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    section: Option<SectionId>,
    name: &str,
) -> Result<PostId, AppError> {
    decide(actor, Action::ManageOrg, Object::City)?;
    let mut p = Problems::default();
    let name = p.take("name", org::parse_text(name, 32));
    p.finish()?;
    let mut tx = state.store.begin_write().await?;
    store::get_unit(&mut tx, unit).await?;
    if let Some(s) = section {
        let s = store::get_section(&mut tx, s).await?;
        if s.unit_id != unit.0 {
            return Err(AppError::Invalid(vec![crate::error::FieldError::new(
                "section_id",
                "not_in_unit",
            )]));
        }
    }
    let id = store::insert_post(
        &mut tx,
        &audit(state, actor),
        unit,
        section,
        &name.expect("checked"),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn set_post_active(
    state: &AppState,
    actor: &Actor,
    id: PostId,
    active: bool,
) -> Result<UnitId, AppError> {
    decide(actor, Action::ManageOrg, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    let post = store::get_post(&mut tx, id).await?;
    store::update_post(
        &mut tx,
        &audit(state, actor),
        id,
        post.section_id.map(SectionId),
        &post.name,
        active,
    )
    .await?;
    tx.commit().await?;
    Ok(UnitId(post.unit_id))
}
