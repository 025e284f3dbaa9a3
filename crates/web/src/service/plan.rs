//! Setting up a year (supervision office, admin): the list kinds in use, the reporting
//! cadence, the campaigns with their leader, task force and command HQ; and the name aliases
//! imports match against.

use super::{Problems, audit};
use crate::error::AppError;
use crate::state::AppState;
use duban_core::lists::names::{fold, person_lookup_keys, unit_key};
use duban_core::lists::{Cadence, ListKind};
use duban_core::org::{self, PersonId, UnitId};
use duban_core::policy::{Action, Actor, Object, decide};
use duban_store::aliases::{self, AliasOf};
use duban_store::campaigns::{self, CampaignFields, PlanYear};
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct YearInput {
    #[serde(default)]
    pub year: i16,
    #[serde(default)]
    pub list_kinds: Vec<String>,
    #[serde(default)]
    pub report_cadence: String,
    #[serde(default)]
    pub report_day: Option<i64>,
}

pub async fn save_year(state: &AppState, actor: &Actor, input: &YearInput) -> Result<(), AppError> {
    decide(actor, Action::ManagePlan, Object::City)?;
    let mut p = Problems::default();
    let kinds: Vec<ListKind> = input
        .list_kinds
        .iter()
        .filter_map(|k| ListKind::parse(k))
        .collect();
    if kinds.is_empty() {
        p.add("list_kinds", "empty");
    }
    let cadence = Cadence::parse(input.report_cadence.trim());
    if cadence.is_none() {
        p.add("report_cadence", "bad_choice");
    }
    let day = input.report_day.unwrap_or(28);
    if !(1..=31).contains(&day) {
        p.add("report_day", "bad_choice");
    }
    if !(2000..=2100).contains(&input.year) {
        p.add("year", "bad_choice");
    }
    p.finish()?;
    let mut tx = state.store.begin_write().await?;
    let year = PlanYear {
        year: input.year,
        list_kinds: kinds,
        report_cadence: cadence.expect("checked"),
        report_day: day,
    };
    campaigns::save_plan_year(&mut tx, &audit(state, actor), &year).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CampaignInput {
    pub year: i16,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub lead_leader_id: Option<i64>,
    #[serde(default)]
    pub task_force_id: Option<i64>,
    #[serde(default)]
    pub command_hq_id: Option<i64>,
    #[serde(default)]
    pub sort_order: Option<i64>,
}

fn campaign_fields(input: &CampaignInput) -> Result<CampaignFields, AppError> {
    let mut p = Problems::default();
    let code = p.take("code", org::parse_unit_code(&input.code));
    let name = p.take("name", org::parse_name(&input.name));
    p.finish()?;
    Ok(CampaignFields {
        year: i64::from(input.year),
        code: code.expect("checked"),
        name: name.expect("checked"),
        lead_leader_id: input.lead_leader_id.map(PersonId),
        task_force_id: input.task_force_id.map(UnitId),
        command_hq_id: input.command_hq_id.map(UnitId),
        sort_order: input.sort_order.unwrap_or(0),
    })
}

pub async fn create_campaign(
    state: &AppState,
    actor: &Actor,
    input: &CampaignInput,
) -> Result<i64, AppError> {
    decide(actor, Action::ManagePlan, Object::City)?;
    let fields = campaign_fields(input)?;
    let mut tx = state.store.begin_write().await?;
    let id = campaigns::insert_campaign(&mut tx, &audit(state, actor), &fields).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_campaign(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &CampaignInput,
) -> Result<(), AppError> {
    decide(actor, Action::ManagePlan, Object::City)?;
    let fields = campaign_fields(input)?;
    let mut tx = state.store.begin_write().await?;
    campaigns::update_campaign(&mut tx, &audit(state, actor), id, &fields).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AliasInput {
    /// `unit` or `person`.
    #[serde(default)]
    pub of: String,
    #[serde(default)]
    pub alias: String,
    #[serde(default)]
    pub target_id: Option<i64>,
}

fn alias_key(of: AliasOf, written: &str) -> String {
    match of {
        AliasOf::Unit => unit_key(written, super::names::CITY),
        AliasOf::Person => person_lookup_keys(written)
            .into_iter()
            .next()
            .unwrap_or_else(|| fold(written)),
    }
}

fn alias_of(s: &str) -> Result<AliasOf, AppError> {
    match s {
        "unit" => Ok(AliasOf::Unit),
        "person" => Ok(AliasOf::Person),
        _ => Err(AppError::Invalid(vec![crate::error::FieldError::new(
            "of",
            "bad_choice",
        )])),
    }
}

pub async fn add_alias(
    state: &AppState,
    actor: &Actor,
    input: &AliasInput,
) -> Result<(), AppError> {
    decide(actor, Action::ManagePlan, Object::City)?;
    let of = alias_of(&input.of)?;
    let key = alias_key(of, &input.alias);
    let mut p = Problems::default();
    if key.is_empty() || key.chars().count() > 40 {
        p.add("alias", "empty");
    }
    let Some(target) = input.target_id else {
        p.add("target_id", "empty");
        return p.finish();
    };
    p.finish()?;
    let mut tx = state.store.begin_write().await?;
    aliases::insert_alias(&mut tx, &audit(state, actor), of, &key, target).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_alias(
    state: &AppState,
    actor: &Actor,
    of: &str,
    alias: &str,
) -> Result<(), AppError> {
    decide(actor, Action::ManagePlan, Object::City)?;
    let of = alias_of(of)?;
    let mut tx = state.store.begin_write().await?;
    aliases::delete_alias(&mut tx, &audit(state, actor), of, alias).await?;
    tx.commit().await?;
    Ok(())
}
