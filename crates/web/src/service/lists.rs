//! The four lists' use cases, shared by pages, the API and the CLI: create, edit and decompose
//! tasks, submit a unit's lists, approve or return, and change requests on approved tasks.
//! Each loads what it needs, asks `core::policy` and the `core::lists` rules, and writes in one
//! transaction (the store appends the ledger entries).

use super::{Problems, audit};
use crate::error::{AppError, FieldError};
use crate::state::AppState;
use duban_core::lists::state::{self as task_state, TaskCommand, TaskState};
use duban_core::lists::{
    CampaignId, Due, Indicator, ListKind, Milestone, TaskError, TaskId, check_task, sort_key,
};
use duban_core::org::{PersonId, PostId, SectionId, UnitId};
use duban_core::policy::{Action, Actor, Object, decide};
use duban_store::Tx;
use duban_store::lists::browse::ReaderScope;
use duban_store::lists::{self as store, Task, TaskFields, review};
use serde::Deserialize;

mod changes;
pub mod export;
pub mod import;
pub mod view;

pub use changes::{ChangeInput, decide_change, propose_change};

/// A task as typed into a form or sent to the API, before validation. Indicators and
/// milestones arrive parsed (the form parses its text lines with the sheet formats).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TaskInput {
    /// Defaults to the parent's year, else the current year.
    #[serde(default)]
    pub year: Option<i16>,
    #[serde(default)]
    pub campaign_id: Option<i64>,
    /// work | project | policy | responsibility; a sub-task defaults to its parent's.
    #[serde(default)]
    pub list_kind: String,
    /// Dotted 序号 inside the lead unit's list; empty gives the next free number.
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub lead_leader_id: Option<i64>,
    /// A top-level task's lead unit (default: the writer's own unit). A sub-task is led by
    /// its parent's unit unless another unit is named here: then it is that unit's share of
    /// the parent (e.g. a town's part of a department's task), on that unit's list and
    /// reported by it, while the parent's unit keeps defining it (and sees it as a co-unit).
    #[serde(default)]
    pub lead_unit_id: Option<i64>,
    #[serde(default)]
    pub co_unit_ids: Vec<i64>,
    #[serde(default)]
    pub section_id: Option<i64>,
    #[serde(default)]
    pub post_id: Option<i64>,
    #[serde(default)]
    pub person_id: Option<i64>,
    /// A deadline (`2026-06-30`) …
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<jiff::civil::Date>,
    /// … or, for 长期坚持 tasks, a reporting cadence (weekly, monthly, quarterly, half_yearly, yearly).
    #[serde(default)]
    pub cadence: Option<String>,
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub milestones: Vec<Milestone>,
    #[serde(default)]
    pub remark: String,
}

/// The reader scope for list queries: `None` for whole-city roles.
pub fn reader_scope(actor: &Actor) -> Option<ReaderScope> {
    if actor.role.is_some_and(|r| r.sees_whole_city()) {
        return None;
    }
    Some(ReaderScope {
        units: actor.scope.units.iter().copied().collect(),
        person: actor.person,
    })
}

/// Whether a task is another unit's share of its parent (a sub-task led by a unit other
/// than its parent's, e.g. a town's share of a department's task).
pub fn is_share(task: &TaskFields, parent: Option<&Task>) -> bool {
    parent.is_some_and(|p| p.fields.lead_unit_id != task.lead_unit_id)
}

/// The policy object for defining a task — editing, decomposing it into more of its own
/// sub-tasks, submitting, proposing a change: the unit whose list it was written in. That is
/// its lead unit, except for a share, which its parent's unit defines while the share's own
/// unit reports it ([`task_object`]).
pub fn owner_object<'a>(task: &'a Task, parent: Option<&Task>) -> Object<'a> {
    let lead_unit = match parent {
        Some(p) if is_share(&task.fields, parent) => p.fields.lead_unit_id,
        _ => task.fields.lead_unit_id,
    };
    Object::Task {
        lead_unit,
        co_units: &task.fields.co_unit_ids,
        leader: task.fields.lead_leader_id,
        person: task.fields.person_id,
        state: task.state,
    }
}

/// A task's parent, if it has one.
pub async fn parent_of(tx: &mut Tx, task: &Task) -> Result<Option<Task>, AppError> {
    Ok(match task.fields.parent_id {
        Some(p) => Some(store::get_task(tx, p).await?),
        None => None,
    })
}

/// The policy object of a stored task.
pub fn task_object(task: &Task) -> Object<'_> {
    Object::Task {
        lead_unit: task.fields.lead_unit_id,
        co_units: &task.fields.co_unit_ids,
        leader: task.fields.lead_leader_id,
        person: task.fields.person_id,
        state: task.state,
    }
}

/// Loads a task the actor may see (a task outside the scope reads as refused, not missing).
pub async fn load_visible(tx: &mut Tx, actor: &Actor, id: TaskId) -> Result<Task, AppError> {
    decide(actor, Action::ViewTasks, Object::City)?;
    let task = store::get_task(tx, id).await?;
    decide(actor, Action::ViewTask, task_object(&task))?;
    Ok(task)
}

fn task_error(e: &TaskError) -> FieldError {
    let (field, code) = match e {
        TaskError::EmptyTitle => ("title", "empty"),
        TaskError::TitleTooLong => ("title", "too_long"),
        TaskError::BadWeight => ("weight", "bad_weight"),
        TaskError::BadIndicator(_) => ("indicators", "bad_indicator"),
        TaskError::MilestoneAfterDeadline(_) => ("milestones", "milestone_after_due"),
        TaskError::MilestoneValues(..) => ("milestones", "milestone_values"),
        TaskError::DeadlineOutsideYear(..) => ("due_date", "due_outside_year"),
        TaskError::BadCode => ("path", "bad_path"),
    };
    FieldError::new(field, code)
}

/// Checks an input against the database and the rules and turns it into stored fields.
/// `parent` is the task being decomposed, `existing` the task being edited.
pub async fn validate(
    tx: &mut Tx,
    state: &AppState,
    input: &TaskInput,
    parent: Option<&Task>,
    existing: Option<&Task>,
) -> Result<TaskFields, AppError> {
    let mut p = Problems::default();
    let year = parent
        .map(|t| t.fields.year)
        .or(existing.map(|t| t.fields.year))
        .or(input.year)
        .unwrap_or(state.today().year());
    if !duban_core::text::YEARS.contains(&year) {
        p.add("year", "date_out_of_range");
    }
    let list_kind = match (ListKind::parse(&input.list_kind), parent) {
        (Some(k), _) => Some(k),
        (None, Some(par)) if input.list_kind.trim().is_empty() => Some(par.fields.list_kind),
        _ => {
            p.add("list_kind", "bad_choice");
            None
        }
    };
    if let Some(kind) = list_kind
        && let Some(plan) = duban_store::campaigns::find_plan_year(tx, year).await?
        && !plan.list_kinds.contains(&kind)
    {
        p.add("list_kind", "kind_not_in_use");
    }
    let lead_unit = match (parent, input.lead_unit_id) {
        // A share of the parent led by another unit (a town's share of a department's task).
        (Some(_), Some(u)) => Some(UnitId(u)),
        (Some(par), None) => Some(par.fields.lead_unit_id),
        (None, Some(u)) => Some(UnitId(u)),
        (None, None) => {
            p.add("lead_unit_id", "empty");
            None
        }
    };
    let due = match (input.due_date, input.cadence.as_deref().map(str::trim)) {
        (Some(date), None | Some("")) => Some(Due::By { date }),
        (None, Some(c)) if !c.is_empty() => match duban_core::lists::Cadence::parse(c) {
            Some(cadence) => Some(Due::Ongoing { cadence }),
            None => {
                p.add("cadence", "bad_choice");
                None
            }
        },
        (Some(_), Some(_)) => {
            p.add("due_date", "due_or_cadence");
            None
        }
        _ => match parent {
            Some(par) => Some(par.fields.due),
            None => {
                p.add("due_date", "empty");
                None
            }
        },
    };
    if let (Some(Due::By { date }), Some(par)) = (due, parent)
        && par.fields.due.date().is_some_and(|pd| date > pd)
    {
        p.add("due_date", "after_parent_due");
    }
    let weight = input
        .weight
        .unwrap_or(parent.map_or(1.0, |t| t.fields.weight));
    let Some(lead_unit) = lead_unit else {
        return Err(AppError::Invalid(p.0));
    };
    match duban_store::org::get_unit(tx, lead_unit).await {
        Ok(u) if u.active => {}
        Ok(_) | Err(duban_store::StoreError::NotFound) => p.add("lead_unit_id", "not_found_ref"),
        Err(e) => return Err(e.into()),
    }
    let share = parent.is_some_and(|par| par.fields.lead_unit_id != lead_unit);
    let mut co_unit_ids: Vec<UnitId> = input.co_unit_ids.iter().map(|u| UnitId(*u)).collect();
    if let Some(par) = parent.filter(|_| share)
        && !co_unit_ids.contains(&par.fields.lead_unit_id)
    {
        // The parent's unit follows its share: it sees it, its reports and its light.
        co_unit_ids.push(par.fields.lead_unit_id);
    }
    co_unit_ids.retain(|u| *u != lead_unit);
    for co in &input.co_unit_ids {
        if let Err(duban_store::StoreError::NotFound) =
            duban_store::org::get_unit(tx, UnitId(*co)).await
        {
            p.add("co_unit_ids", "not_found_ref");
        }
    }
    if let Some(c) = input.campaign_id {
        let found = duban_store::campaigns::list_campaigns(tx, i64::from(year))
            .await?
            .iter()
            .any(|x| x.id == c);
        if !found {
            p.add("campaign_id", "not_found_ref");
        }
    }
    if let Some(s) = input.section_id {
        match duban_store::org::get_section(tx, SectionId(s)).await {
            Ok(sec) if sec.unit_id == lead_unit.0 => {}
            Ok(_) => p.add("section_id", "not_in_unit"),
            Err(duban_store::StoreError::NotFound) => p.add("section_id", "not_found_ref"),
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(s) = input.post_id {
        match duban_store::org::get_post(tx, PostId(s)).await {
            Ok(post) if post.unit_id == lead_unit.0 => {}
            Ok(_) => p.add("post_id", "not_in_unit"),
            Err(duban_store::StoreError::NotFound) => p.add("post_id", "not_found_ref"),
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(person) = input.person_id {
        let units = duban_store::people::member_units(tx, PersonId(person), state.today()).await?;
        if !units.iter().any(|(u, _)| *u == lead_unit) {
            p.add("person_id", "not_in_unit");
        }
    }
    if let Some(leader) = input.lead_leader_id {
        match duban_store::people::get_person(tx, PersonId(leader)).await {
            Ok(pe) if matches!(pe.role.as_deref(), Some("top_leader" | "portfolio_leader")) => {}
            Ok(_) => p.add("lead_leader_id", "not_a_leader"),
            Err(duban_store::StoreError::NotFound) => p.add("lead_leader_id", "not_found_ref"),
            Err(e) => return Err(e.into()),
        }
    }
    let path = if !input.path.trim().is_empty() {
        input.path.trim().to_string()
    } else if let Some(t) = existing {
        t.fields.path.clone()
    } else {
        // A share heads its own unit's list: the next top-level number there.
        let parent_path = parent.filter(|_| !share).map(|t| t.fields.path.as_str());
        store::next_path(tx, year, lead_unit, parent_path).await?
    };
    let wanted_parent = parent.filter(|_| !share).map(|t| t.fields.path.as_str());
    if sort_key(&path).is_none()
        || (parent.is_some() && duban_core::lists::parent_path(&path) != wanted_parent)
    {
        p.add("path", "bad_path");
    }
    if let Some(due) = due
        && let Err(e) = check_task(
            year,
            &path,
            &input.title,
            weight,
            due,
            &input.indicators,
            &input.milestones,
        )
    {
        p.0.push(task_error(&e));
    }
    p.finish()?;
    Ok(TaskFields {
        year,
        campaign_id: input
            .campaign_id
            .map(CampaignId)
            .or(parent.and_then(|t| t.fields.campaign_id)),
        list_kind: list_kind.expect("checked"),
        parent_id: parent
            .map(|t| t.id)
            .or(existing.and_then(|t| t.fields.parent_id)),
        path,
        title: input.title.trim().to_string(),
        content: input.content.trim().to_string(),
        lead_leader_id: input
            .lead_leader_id
            .map(PersonId)
            .or(parent.and_then(|t| t.fields.lead_leader_id)),
        lead_unit_id: lead_unit,
        co_unit_ids,
        section_id: input.section_id.map(SectionId),
        post_id: input.post_id.map(PostId),
        person_id: input.person_id.map(PersonId),
        due: due.expect("checked"),
        weight,
        indicators: input.indicators.clone(),
        milestones: input.milestones.clone(),
        remark: input.remark.trim().to_string(),
    })
}

/// A task about to be written, asked about as a draft of the list it is written in (its
/// parent's unit's for a share).
fn draft_object<'a>(f: &'a TaskFields, parent: Option<&Task>) -> Object<'a> {
    Object::Task {
        lead_unit: parent
            .filter(|_| is_share(f, parent))
            .map_or(f.lead_unit_id, |p| p.fields.lead_unit_id),
        co_units: &f.co_unit_ids,
        leader: f.lead_leader_id,
        person: f.person_id,
        state: TaskState::Draft,
    }
}

/// Creates a top-level task, or a sub-task of `parent` (分解), as a draft.
pub async fn create_task(
    state: &AppState,
    actor: &Actor,
    parent: Option<TaskId>,
    input: &TaskInput,
) -> Result<TaskId, AppError> {
    let mut tx = state.store.begin_write().await?;
    let parent = match parent {
        Some(id) => Some(load_visible(&mut tx, actor, id).await?),
        None => None,
    };
    // Ask before validating, so an outsider learns nothing about the unit's list; without a
    // lead unit yet, ask about the actor's own unit.
    let unit = parent
        .as_ref()
        .map(|t| t.fields.lead_unit_id)
        .or(input.lead_unit_id.map(UnitId))
        .or(actor.scope.home_unit)
        .ok_or(duban_core::policy::Denied::Role)?;
    decide(
        actor,
        Action::EditTask,
        Object::Task {
            lead_unit: unit,
            co_units: &[],
            leader: None,
            person: None,
            state: TaskState::Draft,
        },
    )?;
    // A top-level task without a lead unit goes to the writer's own unit's list.
    let mut input = input.clone();
    if parent.is_none() && input.lead_unit_id.is_none() {
        input.lead_unit_id = Some(unit.0);
    }
    let fields = validate(&mut tx, state, &input, parent.as_ref(), None).await?;
    decide(
        actor,
        Action::EditTask,
        draft_object(&fields, parent.as_ref()),
    )?;
    let id = store::insert_task(&mut tx, &audit(state, actor), &fields).await?;
    tx.commit().await?;
    Ok(id)
}

/// Edits a draft or returned task (the office may also edit a submitted one).
pub async fn update_task(
    state: &AppState,
    actor: &Actor,
    id: TaskId,
    input: &TaskInput,
) -> Result<(), AppError> {
    let mut tx = state.store.begin_write().await?;
    let task = load_visible(&mut tx, actor, id).await?;
    let parent = parent_of(&mut tx, &task).await?;
    decide(
        actor,
        Action::EditTask,
        owner_object(&task, parent.as_ref()),
    )?;
    let mut input = input.clone();
    if input.lead_unit_id.is_none() {
        // A sub-task keeps its lead unit too (a share stays its town's).
        input.lead_unit_id = Some(task.fields.lead_unit_id.0);
    }
    let fields = validate(&mut tx, state, &input, parent.as_ref(), Some(&task)).await?;
    decide(
        actor,
        Action::EditTask,
        draft_object(&fields, parent.as_ref()),
    )?;
    store::update_task(&mut tx, &audit(state, actor), id, &fields).await?;
    tx.commit().await?;
    Ok(())
}

/// 报送 — the unit head submits every draft or returned task of the unit's list for `year`.
/// Returns how many were submitted.
pub async fn submit_unit(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    year: i16,
) -> Result<usize, AppError> {
    let mut tx = state.store.begin_write().await?;
    let u = duban_store::org::get_unit(&mut tx, unit).await?;
    decide(
        actor,
        Action::SubmitTasks,
        Object::Unit {
            id: unit,
            active: u.active,
        },
    )?;
    let tasks = review::list_submittable(&mut tx, year, unit).await?;
    let audit = audit(state, actor);
    for (id, from) in &tasks {
        let to = task_state::apply(*from, &TaskCommand::Submit).map_err(state_error)?;
        review::set_task_state(&mut tx, &audit, *id, *from, to, "", None).await?;
    }
    tx.commit().await?;
    Ok(tasks.len())
}

fn state_error(e: task_state::StateError) -> AppError {
    match e {
        task_state::StateError::CommentRequired => {
            AppError::Invalid(vec![FieldError::new("comment", "comment_required")])
        }
        task_state::StateError::NotAllowed { .. } => {
            AppError::Invalid(vec![FieldError::new("state", "wrong_state")])
        }
    }
}

/// 审定 / 退回 — the office approves a submitted task (freezing its baseline) or returns it.
pub async fn review_task(
    state: &AppState,
    actor: &Actor,
    id: TaskId,
    approve: bool,
    comment: &str,
) -> Result<TaskState, AppError> {
    let mut tx = state.store.begin_write().await?;
    let task = load_visible(&mut tx, actor, id).await?;
    decide(actor, Action::ReviewTask, task_object(&task))?;
    let command = if approve {
        TaskCommand::Approve
    } else {
        TaskCommand::Return {
            comment: comment.trim().to_string(),
        }
    };
    let to = task_state::apply(task.state, &command).map_err(state_error)?;
    let baseline = approve.then(|| task.fields.baseline());
    review::set_task_state(
        &mut tx,
        &audit(state, actor),
        id,
        task.state,
        to,
        comment.trim(),
        baseline.as_ref(),
    )
    .await?;
    if to == TaskState::Approved {
        // An approved task has a light from now on, and counts on the dashboards.
        crate::service::progress::lights::refresh_task(&mut tx, id, state.today(), state.now())
            .await?;
    }
    tx.commit().await?;
    Ok(to)
}
