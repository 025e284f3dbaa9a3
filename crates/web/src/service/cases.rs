//! The closed loop's use cases, shared by pages, the API, jobs and the demo: register a case,
//! take a step on it ([`steps::act`]), record a meeting whose decisions become cases, run the
//! escalation ladder ([`escalation`]), list and export. Each loads what it needs, asks
//! `core::policy` and the `core::cases` rules, and writes in one transaction (the store
//! appends the ledger entries; notifications are rows written in the same transaction).

use super::{Problems, audit, parse_date};
use crate::error::AppError;
use crate::state::AppState;
use duban_core::cases::CaseId;
use duban_core::cases::facts::{CaseKind, Source, Urgency};
use duban_core::lists::TaskId;
use duban_core::org::PersonId;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_store::Tx;
use duban_store::cases::browse::CaseScope;
use duban_store::cases::{self as store, Case, CaseFacts, Handling};
use serde::Deserialize;

pub mod escalation;
mod evidence;
pub mod files;
pub mod meetings;
pub mod parts;
pub mod settings;
pub mod steps;
mod tell;
pub mod view;

/// A case as typed into the register form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CaseInput {
    /// item (督办事项) | problem (问题); default item.
    #[serde(default)]
    pub kind: String,
    /// instruction | meeting | inspection | task_force | hotline | deputy | public.
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub category: String,
    /// urgent | normal; default normal.
    #[serde(default)]
    pub urgency: String,
    /// The day it was found (default today), `2026-11-20`.
    #[serde(default)]
    pub found_on: String,
    /// Tasks of the four lists it concerns.
    #[serde(default)]
    pub task_ids: Vec<i64>,
    /// The deputy or member of the public who raised it (a person with an account), who
    /// follows and rates it.
    #[serde(default)]
    pub raised_by_id: Option<i64>,
}

/// The policy object of a stored case.
pub fn case_object<'a>(case: &Case, units: &'a [duban_core::org::UnitId]) -> Object<'a> {
    Object::Case {
        lead_unit: case.handling.lead_unit_id,
        units,
        leader: case.handling.leader_id,
        handler: case.handling.handler_id,
        raised_by: case.facts.raised_by,
        state: case.handling.state,
    }
}

/// The other units of a case (co and split), for [`case_object`].
pub fn other_units(case: &Case) -> Vec<duban_core::org::UnitId> {
    let h = &case.handling;
    h.co_unit_ids
        .iter()
        .chain(&h.split_unit_ids)
        .copied()
        .collect()
}

/// The scope for case lists: `None` for whole-city roles; deputies see what they raised.
pub fn case_scope(actor: &Actor) -> Option<CaseScope> {
    match actor.role {
        Some(r) if r.sees_whole_city() => None,
        Some(duban_core::role::Role::Deputy) => Some(CaseScope {
            units: Vec::new(),
            person: actor.person,
        }),
        _ => Some(CaseScope {
            units: actor.scope.units.iter().copied().collect(),
            person: actor.person,
        }),
    }
}

/// Loads a case the actor may see (outside the scope reads as refused, not missing).
pub async fn load_visible(tx: &mut Tx, actor: &Actor, id: CaseId) -> Result<Case, AppError> {
    decide(actor, Action::ViewCases, Object::City)?;
    let case = store::get_case(tx, id).await?.ok_or(AppError::NotFound)?;
    let units = other_units(&case);
    decide(actor, Action::ViewCase, case_object(&case, &units))?;
    Ok(case)
}

/// Checks a registration and turns it into the facts stored.
pub async fn validate(
    tx: &mut Tx,
    state: &AppState,
    input: &CaseInput,
) -> Result<CaseFacts, AppError> {
    let mut p = Problems::default();
    let kind = match input.kind.trim() {
        "" => Some(CaseKind::Item),
        k => CaseKind::parse(k).or_else(|| {
            p.add("kind", "bad_choice");
            None
        }),
    };
    let source = Source::parse(input.source.trim());
    if source.is_none() {
        p.add("source", "bad_choice");
    }
    let urgency = match input.urgency.trim() {
        "" => Some(Urgency::Normal),
        u => Urgency::parse(u).or_else(|| {
            p.add("urgency", "bad_choice");
            None
        }),
    };
    let title = p.take("title", duban_core::org::parse_text(&input.title, 200));
    let content = input.content.trim().to_string();
    if content.chars().count() > 5000 {
        p.add("content", "too_long");
    }
    let category = input.category.trim().to_string();
    if category.chars().count() > 50 {
        p.add("category", "too_long");
    }
    let found_on =
        parse_date(&mut p, "found_on", &input.found_on).map(|d| d.unwrap_or(state.today()));
    if found_on.is_some_and(|d| d > state.today()) {
        p.add("found_on", "in_future");
    }
    let mut task_ids = Vec::new();
    for id in &input.task_ids {
        match duban_store::lists::get_task(tx, TaskId(*id)).await {
            Ok(_) => task_ids.push(TaskId(*id)),
            Err(duban_store::StoreError::NotFound) => p.add("task_ids", "not_found_ref"),
            Err(e) => return Err(e.into()),
        }
    }
    task_ids.sort();
    task_ids.dedup();
    let raised_by = match input.raised_by_id {
        None => None,
        Some(id) => match duban_store::people::get_person(tx, PersonId(id)).await {
            Ok(_) => Some(PersonId(id)),
            Err(duban_store::StoreError::NotFound) => {
                p.add("raised_by_id", "not_found_ref");
                None
            }
            Err(e) => return Err(e.into()),
        },
    };
    p.finish()?;
    let found_on = found_on.expect("checked");
    Ok(CaseFacts {
        year: found_on.year(),
        kind: kind.expect("checked"),
        source: source.expect("checked"),
        title: title.expect("checked"),
        content,
        category,
        urgency: urgency.expect("checked"),
        found_on,
        raised_by,
        reopened_from: None,
        meeting_id: None,
        task_ids,
    })
}

/// 立项 — registers a case (the office or a leader). It waits in `registered` until the
/// office assigns it.
pub async fn register(
    state: &AppState,
    actor: &Actor,
    input: &CaseInput,
) -> Result<CaseId, AppError> {
    let mut tx = state.store.begin_write().await?;
    let id = register_in(&mut tx, state, actor, input).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`register`] inside the caller's transaction (accepting a public report registers its
/// case and links it in one transaction).
pub async fn register_in(
    tx: &mut Tx,
    state: &AppState,
    actor: &Actor,
    input: &CaseInput,
) -> Result<CaseId, AppError> {
    decide(actor, Action::RegisterCase, Object::City)?;
    let facts = validate(tx, state, input).await?;
    Ok(store::insert_case(tx, &audit(state, actor), &facts, &Handling::registered()).await?)
}

/// Whether the case is one whose raiser rates the feedback.
pub fn raiser_rates(case: &Case) -> bool {
    case.facts.raised_by.is_some() && case.facts.source.raiser_rates()
}

/// 复发 — a closed-out problem came back: the office registers a new case linked to the old
/// one (the old case stays closed; its timeline points to the new one). Returns the new case.
pub async fn reopen(
    state: &AppState,
    actor: &Actor,
    id: CaseId,
    note: &str,
) -> Result<CaseId, AppError> {
    use crate::error::FieldError;
    let mut tx = state.store.begin_write().await?;
    let old = load_visible(&mut tx, actor, id).await?;
    let units = other_units(&old);
    decide(actor, Action::ManageCase, case_object(&old, &units))?;
    if old.handling.state != duban_core::cases::state::CaseState::ClosedOut {
        return Err(AppError::Invalid(vec![FieldError::new(
            "step",
            "wrong_state",
        )]));
    }
    let note = note.trim();
    if note.is_empty() {
        return Err(AppError::Invalid(vec![FieldError::new(
            "note",
            "reason_required",
        )]));
    }
    let today = state.today();
    let facts = CaseFacts {
        year: today.year(),
        found_on: today,
        reopened_from: Some(id),
        meeting_id: None,
        content: format!("{}\n【复发】{note}", old.facts.content)
            .trim()
            .to_string(),
        ..old.facts.clone()
    };
    let audit = audit(state, actor);
    let new = store::insert_case(&mut tx, &audit, &facts, &Handling::registered()).await?;
    store::add_note(
        &mut tx,
        &audit,
        id,
        &store::NewEvent::new("reopen", note).with_data(serde_json::json!({ "new_case": new.0 })),
    )
    .await?;
    tx.commit().await?;
    Ok(new)
}
