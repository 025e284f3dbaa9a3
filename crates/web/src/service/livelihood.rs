//! 民生实事 use cases: the office creates projects and closes voting; deputies vote once per
//! project and year (a new vote replaces theirs while voting is open); everyone signed in
//! sees the projects with progress from their tasks and the counts.

use super::commitments::public::{PublicProject, public_project};
use super::{Problems, audit};
use crate::error::{AppError, FieldError};
use crate::state::AppState;
use duban_core::commitments::ProjectId;
use duban_core::commitments::livelihood::Vote;
use duban_core::lists::TaskId;
use duban_core::org::UnitId;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_store::livelihood::{self as store, Milestone, NewProject};
use serde::Deserialize;

/// A project as sent to the API.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ProjectInput {
    #[serde(default)]
    pub year: Option<i16>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub lead_unit_id: Option<i64>,
    /// Milestones: `{"due": "2026-06-30", "title": "开工"}`.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub milestones: Vec<Milestone>,
    #[serde(default)]
    pub task_ids: Vec<i64>,
}

/// A vote as posted.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct VoteInput {
    /// satisfied | basically_satisfied | dissatisfied | abstain.
    #[serde(default)]
    pub vote: String,
}

/// A project with the reader's own vote, if any.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProjectView {
    pub project: PublicProject,
    pub my_vote: Option<String>,
    pub can_vote: bool,
    pub can_close: bool,
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: &ProjectInput,
) -> Result<ProjectId, AppError> {
    decide(actor, Action::ManageLivelihood, Object::City)?;
    let mut p = Problems::default();
    let title = p.take("title", duban_core::org::parse_text(&input.title, 200));
    let mut tx = state.store.begin_write().await?;
    for id in &input.task_ids {
        match duban_store::lists::get_task(&mut tx, TaskId(*id)).await {
            Ok(_) => {}
            Err(duban_store::StoreError::NotFound) => p.add("task_ids", "not_found_ref"),
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(u) = input.lead_unit_id
        && let Err(duban_store::StoreError::NotFound) =
            duban_store::org::get_unit(&mut tx, UnitId(u)).await
    {
        p.add("lead_unit_id", "not_found_ref");
    }
    p.finish()?;
    let mut task_ids = input.task_ids.clone();
    task_ids.sort_unstable();
    task_ids.dedup();
    let id = store::insert_project(
        &mut tx,
        &audit(state, actor),
        &NewProject {
            year: input.year.unwrap_or_else(|| state.today().year()),
            title: title.expect("checked"),
            description: input.description.trim().to_string(),
            lead_unit: input.lead_unit_id.map(UnitId),
            milestones: input.milestones.clone(),
            task_ids,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn list(
    state: &AppState,
    actor: &Actor,
    year: Option<i16>,
) -> Result<Vec<PublicProject>, AppError> {
    decide(actor, Action::ViewLivelihood, Object::City)?;
    super::commitments::public::list_livelihood(state, year).await
}

pub async fn detail(state: &AppState, actor: &Actor, id: i64) -> Result<ProjectView, AppError> {
    decide(actor, Action::ViewLivelihood, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    let p = store::get_project(&mut tx, ProjectId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let votes = store::list_votes(&mut tx, p.id).await?;
    let my_vote = votes
        .iter()
        .find(|(d, _, _)| Some(*d) == actor.person)
        .map(|(_, _, v)| v.as_str().to_string());
    let open = !p.voting_closed;
    let project = public_project(&mut tx, p).await?;
    Ok(ProjectView {
        project,
        my_vote,
        can_vote: open && decide(actor, Action::VoteLivelihood, Object::City).is_ok(),
        can_close: open && decide(actor, Action::ManageLivelihood, Object::City).is_ok(),
    })
}

/// A deputy's year-end vote (the year is the project's).
pub async fn vote(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &VoteInput,
) -> Result<(), AppError> {
    decide(actor, Action::VoteLivelihood, Object::City)?;
    let me = actor
        .person
        .ok_or_else(|| AppError::Invalid(vec![FieldError::new("form", "no_person")]))?;
    let vote = Vote::parse(input.vote.trim())
        .ok_or_else(|| AppError::Invalid(vec![FieldError::new("vote", "bad_choice")]))?;
    let mut tx = state.store.begin_write().await?;
    let p = store::get_project(&mut tx, ProjectId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    store::save_vote(&mut tx, &audit(state, actor), p.id, me, p.year, vote).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn close(state: &AppState, actor: &Actor, id: i64) -> Result<(), AppError> {
    decide(actor, Action::ManageLivelihood, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    store::close_voting(&mut tx, &audit(state, actor), ProjectId(id)).await?;
    tx.commit().await?;
    Ok(())
}
