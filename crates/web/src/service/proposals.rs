//! Suggestions and proposals (人大代表建议 · 政协提案): register or submit an item, take a step on
//! it ([`steps::act`]), read it with its units, contacts, replies and ratings ([`view`]), and
//! the rates with their drill-downs ([`rates`]). Each use case asks `core::policy`, applies
//! `core::proposals::state`, and writes in one transaction (the store appends the ledger).

use super::{Problems, audit};
use crate::error::{AppError, FieldError};
use crate::state::AppState;
use duban_core::org::PersonId;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::proposals::ProposalId;
use duban_core::proposals::kind::Kind;
use duban_core::proposals::state::State;
use duban_core::role::Role;
use duban_store::Tx;
use duban_store::proposals::browse::Scope;
use duban_store::proposals::{self as store, Handling, Intake, Proposal};
use serde::Deserialize;

pub mod files;
pub mod handout;
pub mod import;
pub mod published;
pub mod rates;
pub mod steps;
pub mod view;

/// An item as typed into the register form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ProposalInput {
    /// suggestion (人大代表建议) | proposal (政协提案).
    #[serde(default)]
    pub kind: String,
    /// 案由
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub content: String,
    /// The lead proposer (a deputy's or member's person id). Ignored when a deputy submits:
    /// it is the deputy.
    #[serde(default)]
    pub proposer_id: Option<i64>,
    /// 联名人: person ids of deputies or members.
    #[serde(default)]
    pub cosigner_ids: Vec<i64>,
    /// 代表团 / 界别
    #[serde(default)]
    pub group_name: String,
    #[serde(default)]
    pub category: String,
    /// 重点督办
    #[serde(default)]
    pub key_item: bool,
    /// The leader supervising a key item.
    #[serde(default)]
    pub leader_id: Option<i64>,
    /// The number's sequence (建议号 068); empty takes the next free one.
    #[serde(default)]
    pub seq: Option<u32>,
}

/// The policy object of a stored item.
pub fn object<'a>(p: &'a Proposal, cosigners: &'a [PersonId]) -> Object<'a> {
    Object::Proposal {
        kind: p.intake.kind,
        lead_unit: p.handling.lead_unit_id,
        co_units: &p.handling.co_unit_ids,
        split_units: &p.handling.split_unit_ids,
        proposer: Some(p.intake.proposer_id),
        cosigners,
        leader: p.intake.leader_id,
    }
}

/// The scope for lists and rates: `None` for whole-city roles.
pub fn scope(actor: &Actor) -> Option<Scope> {
    match actor.role {
        Some(r) if r.sees_whole_city() => None,
        Some(r) => Some(Scope {
            kinds: r.proposals_office().into_iter().collect(),
            units: if r == Role::Deputy || r.proposals_office().is_some() {
                Vec::new()
            } else {
                actor.scope.units.iter().copied().collect()
            },
            person: actor.person,
        }),
        None => Some(Scope::default()),
    }
}

/// Loads an item the actor may see (outside the scope reads as refused, not missing).
pub async fn load_visible(
    tx: &mut Tx,
    actor: &Actor,
    id: ProposalId,
) -> Result<Proposal, AppError> {
    decide(actor, Action::ViewProposals, Object::City)?;
    let p = store::get(tx, id).await?.ok_or(AppError::NotFound)?;
    decide(
        actor,
        Action::ViewProposal,
        object(&p, &p.intake.cosigner_ids),
    )?;
    Ok(p)
}

fn invalid(field: &'static str, code: &'static str) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, code)])
}

/// Checks an item typed in and turns it into the intake stored. `proposer` overrides the
/// input's (a deputy submits their own).
async fn validate(
    tx: &mut Tx,
    input: &ProposalInput,
    year: i16,
    proposer: Option<PersonId>,
) -> Result<Intake, AppError> {
    let mut p = Problems::default();
    let kind = Kind::parse(input.kind.trim());
    if kind.is_none() {
        p.add("kind", "bad_choice");
    }
    let title = input.title.trim();
    if title.is_empty() {
        p.add("title", "empty");
    } else if title.chars().count() > 200 {
        p.add("title", "too_long");
    }
    let proposer = proposer.or(input.proposer_id.map(PersonId));
    match proposer {
        None => p.add("proposer_id", "empty"),
        Some(person) if !is_proposer(tx, person).await? => p.add("proposer_id", "not_a_deputy"),
        Some(_) => {}
    }
    for c in &input.cosigner_ids {
        if !is_proposer(tx, PersonId(*c)).await? {
            p.add("cosigner_ids", "not_a_deputy");
            break;
        }
    }
    if input.key_item && input.leader_id.is_none() {
        p.add("leader_id", "empty");
    }
    if let Some(l) = input.leader_id
        && duban_store::people::get_person(tx, PersonId(l))
            .await
            .is_err()
    {
        p.add("leader_id", "not_found");
    }
    p.finish()?;
    let (Some(kind), Some(proposer)) = (kind, proposer) else {
        return Err(invalid("kind", "bad_choice"));
    };
    Ok(Intake {
        year,
        kind,
        seq: input.seq,
        title: title.to_string(),
        content: input.content.trim().to_string(),
        proposer_id: proposer,
        cosigner_ids: input.cosigner_ids.iter().map(|c| PersonId(*c)).collect(),
        group_name: input.group_name.trim().to_string(),
        category: input.category.trim().to_string(),
        key_item: input.key_item,
        leader_id: input.leader_id.map(PersonId),
    })
}

/// Whether a person signs in as a deputy or member (the only ones who propose and rate).
async fn is_proposer(tx: &mut Tx, person: PersonId) -> Result<bool, AppError> {
    let row: Option<(String,)> =
        duban_store::sql("SELECT role FROM users WHERE person_id = $1 AND active")
            .bind(person)
            .fetch_optional(tx)
            .await?;
    Ok(row.is_some_and(|(r,)| r == Role::Deputy.as_str()))
}

/// 登记 / 立案 — the office of the item's kind registers a session item. It waits for 交办.
pub async fn register(
    state: &AppState,
    actor: &Actor,
    input: &ProposalInput,
) -> Result<ProposalId, AppError> {
    let mut tx = state.store.begin_write().await?;
    let id = register_in(&mut tx, state, actor, input).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`register`] inside the caller's transaction (the demo registers a session in one).
pub async fn register_in(
    tx: &mut Tx,
    state: &AppState,
    actor: &Actor,
    input: &ProposalInput,
) -> Result<ProposalId, AppError> {
    decide(actor, Action::IntakeProposal, Object::City)?;
    let intake = validate(tx, input, state.today().year(), None).await?;
    decide(
        actor,
        Action::IntakeProposal,
        Object::Proposal {
            kind: intake.kind,
            lead_unit: None,
            co_units: &[],
            split_units: &[],
            proposer: Some(intake.proposer_id),
            cosigners: &[],
            leader: None,
        },
    )?;
    Ok(store::insert(
        tx,
        &audit(state, actor),
        &intake,
        &Handling::new(State::Registered),
    )
    .await?)
}

/// A deputy or member files an item online between sessions; the office accepts it or not.
pub async fn submit(
    state: &AppState,
    actor: &Actor,
    input: &ProposalInput,
) -> Result<ProposalId, AppError> {
    let mut tx = state.store.begin_write().await?;
    let id = submit_in(&mut tx, state, actor, input).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`submit`] inside the caller's transaction.
pub async fn submit_in(
    tx: &mut Tx,
    state: &AppState,
    actor: &Actor,
    input: &ProposalInput,
) -> Result<ProposalId, AppError> {
    decide(actor, Action::SubmitProposal, Object::City)?;
    let intake = validate(tx, input, state.today().year(), actor.person).await?;
    Ok(store::insert(
        tx,
        &audit(state, actor),
        &intake,
        &Handling::new(State::Submitted),
    )
    .await?)
}
