//! Forms for tasks: create (top-level or a sub-task — 分解), edit a draft, and propose a change
//! to an approved task (调整申请). Indicators and milestones are typed as lines in the same
//! format as the spreadsheet's 量化指标 and 节点目标 columns; co-units as names (市经信局、某街道).

use super::render;
use crate::auth::{CsrfForm, Ctx};
use crate::error::{AppError, FieldError};
use crate::service::lists::{self as svc, ChangeInput, TaskInput};
use crate::service::names::NameIndexes;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::lists::names::{Resolved, split_names};
use duban_core::lists::{Cadence, ListKind, TaskId};
use duban_core::org::UnitId;
use duban_core::policy::{Action, Object};
use duban_docs::lists as sheet;
use duban_store::campaigns::{self, Campaign};
use duban_store::lists::{self as store, Task};
use duban_store::org::{self as org_store, Post, Section, Unit, UnitFilter};
use duban_store::people::{self, Person, PersonFilter};
use serde::Deserialize;

/// A task form as typed (all text, so a mistake comes back as it was written).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskForm {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub parent_id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub campaign_id: String,
    #[serde(default)]
    pub list_kind: String,
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub lead_unit_id: String,
    #[serde(default)]
    pub co_units: String,
    #[serde(default)]
    pub lead_leader_id: String,
    #[serde(default)]
    pub section_id: String,
    #[serde(default)]
    pub post_id: String,
    #[serde(default)]
    pub person_id: String,
    #[serde(default)]
    pub due_date: String,
    #[serde(default)]
    pub cadence: String,
    #[serde(default)]
    pub weight: String,
    #[serde(default)]
    pub indicators: String,
    #[serde(default)]
    pub milestones: String,
    #[serde(default)]
    pub remark: String,
    /// Change requests only.
    #[serde(default)]
    pub reason: String,
}

impl TaskForm {
    fn from_task(t: &Task) -> TaskForm {
        let f = &t.fields;
        let opt = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        TaskForm {
            year: f.year.to_string(),
            parent_id: opt(f.parent_id.map(|p| p.0)),
            title: f.title.clone(),
            content: f.content.clone(),
            campaign_id: opt(f.campaign_id.map(|c| c.0)),
            list_kind: f.list_kind.as_str().into(),
            path: f.path.clone(),
            lead_unit_id: f.lead_unit_id.0.to_string(),
            co_units: t.co_unit_names.join("、"),
            lead_leader_id: opt(f.lead_leader_id.map(|p| p.0)),
            section_id: opt(f.section_id.map(|p| p.0)),
            post_id: opt(f.post_id.map(|p| p.0)),
            person_id: opt(f.person_id.map(|p| p.0)),
            due_date: f.due.date().map(|d| d.to_string()).unwrap_or_default(),
            cadence: f
                .due
                .cadence()
                .map(|c| c.as_str().to_string())
                .unwrap_or_default(),
            weight: sheet::format_number(f.weight),
            indicators: f
                .indicators
                .iter()
                .map(sheet::format_indicator)
                .collect::<Vec<_>>()
                .join("\n"),
            milestones: f
                .milestones
                .iter()
                .map(|m| sheet::format_milestone(m, &f.indicators))
                .collect::<Vec<_>>()
                .join("\n"),
            remark: f.remark.clone(),
            reason: String::new(),
        }
    }

    /// The service input, and the problems found while reading the text fields.
    fn to_input(&self, names: &NameIndexes, year: i16) -> (TaskInput, Vec<FieldError>) {
        let mut errors = Vec::new();
        let id = |s: &str| s.trim().parse::<i64>().ok();
        let due_date = match self.due_date.trim() {
            "" => None,
            s => match s.parse() {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push(FieldError::new("due_date", "bad_date"));
                    None
                }
            },
        };
        let weight = match self.weight.trim() {
            "" => None,
            s => match sheet::parse_number(s) {
                Some((w, _)) => Some(w),
                None => {
                    errors.push(FieldError::new("weight", "bad_weight"));
                    None
                }
            },
        };
        let (indicators, bad) = sheet::parse_indicator_list(&self.indicators);
        if !bad.is_empty() {
            errors.push(FieldError::new("indicators", "bad_lines"));
        }
        let (milestones, bad) = sheet::parse_milestone_lines(&self.milestones, year, &indicators);
        if !bad.is_empty() {
            errors.push(FieldError::new("milestones", "bad_lines"));
        }
        let mut co_unit_ids = Vec::new();
        for name in split_names(&self.co_units) {
            match names.unit(&name) {
                Resolved::One(u) => co_unit_ids.push(u),
                Resolved::NotFound => errors.push(FieldError::new("co_units", "unknown_unit")),
                Resolved::Ambiguous(_) => {
                    errors.push(FieldError::new("co_units", "ambiguous_unit"))
                }
            }
        }
        let input = TaskInput {
            year: Some(year),
            campaign_id: id(&self.campaign_id),
            list_kind: self.list_kind.clone(),
            path: self.path.clone(),
            title: self.title.clone(),
            content: self.content.clone(),
            lead_leader_id: id(&self.lead_leader_id),
            lead_unit_id: id(&self.lead_unit_id),
            co_unit_ids,
            section_id: id(&self.section_id),
            post_id: id(&self.post_id),
            person_id: id(&self.person_id),
            due_date,
            cadence: Some(self.cadence.clone())
                .filter(|c| !c.trim().is_empty() && due_date.is_none()),
            weight,
            indicators,
            milestones,
            remark: self.remark.clone(),
        };
        (input, errors)
    }
}

#[derive(Template)]
#[template(path = "lists/form.html")]
struct FormPage {
    ctx: Ctx,
    /// `new`, `edit` or `change`.
    mode: &'static str,
    action: String,
    form: TaskForm,
    errors: Vec<FieldError>,
    parent: Option<Task>,
    year: i16,
    campaigns: Vec<Campaign>,
    units: Vec<Unit>,
    leaders: Vec<Person>,
    sections: Vec<Section>,
    posts: Vec<Post>,
    members: Vec<Person>,
    /// The list kinds in use this year.
    kinds: Vec<ListKind>,
    cadences: [Cadence; 5],
}

impl FormPage {
    fn title_key(&self) -> String {
        format!("lists.form_{}", self.mode)
    }

    fn error(&self, field: &str) -> Option<String> {
        self.ctx.error_for(&self.errors, field)
    }
}

/// Which form, where it posts, the task it hangs under (or is about) and the list's year.
struct Spec {
    mode: &'static str,
    action: String,
    parent: Option<Task>,
    year: i16,
}

impl Spec {
    fn new_task(parent: Option<Task>, year: i16) -> Spec {
        Spec {
            mode: "new",
            action: "/lists/tasks".into(),
            parent,
            year,
        }
    }
    fn edit(task: &Task, parent: Option<Task>) -> Spec {
        Spec {
            mode: "edit",
            action: format!("/lists/tasks/{}", task.id),
            parent,
            year: task.fields.year,
        }
    }
    fn change(task: Task) -> Spec {
        Spec {
            mode: "change",
            action: format!("/lists/tasks/{}/changes", task.id),
            year: task.fields.year,
            parent: Some(task),
        }
    }
}

/// A task the actor may see, with its parent.
async fn task_and_parent(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
) -> Result<(Task, Option<Task>), AppError> {
    let mut tx = state.store.begin_read().await?;
    let task = svc::load_visible(&mut tx, &ctx.actor, TaskId(id)).await?;
    let parent = match task.fields.parent_id {
        Some(p) => Some(store::get_task(&mut tx, p).await?),
        None => None,
    };
    Ok((task, parent))
}

/// The name indexes for reading co-units.
async fn names(state: &AppState) -> Result<NameIndexes, AppError> {
    let mut tx = state.store.begin_read().await?;
    Ok(NameIndexes::load(&mut tx).await?)
}

async fn form_page(
    state: &AppState,
    ctx: Ctx,
    spec: Spec,
    form: TaskForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let Spec {
        mode,
        action,
        parent,
        year,
    } = spec;
    let mut tx = state.store.begin_read().await?;
    let unit = form.lead_unit_id.parse::<i64>().ok().map(UnitId);
    let all_units = org_store::list_units(&mut tx, &UnitFilter::default()).await?;
    // The lead-unit choice lists only units whose list the user may write; a new sub-task
    // may be any active unit's share (a town's share of a department's task).
    let share_choice = mode == "new" && parent.is_some();
    let units = all_units
        .into_iter()
        .filter(|u| {
            (share_choice && u.active)
                || ctx.may(
                    Action::EditTask,
                    Object::Task {
                        lead_unit: u.unit_id(),
                        co_units: &[],
                        leader: None,
                        person: None,
                        state: duban_core::lists::state::TaskState::Draft,
                    },
                )
        })
        .collect();
    let (sections, posts, members) = match unit {
        Some(u) => (
            org_store::list_sections(&mut tx, u, false).await?,
            org_store::list_posts(&mut tx, u, false).await?,
            people::list_people(
                &mut tx,
                &PersonFilter {
                    unit: Some(u),
                    limit: 500,
                    ..Default::default()
                },
            )
            .await?,
        ),
        None => (vec![], vec![], vec![]),
    };
    let leaders = people::list_leaders(&mut tx).await?;
    let campaigns = campaigns::list_campaigns(&mut tx, i64::from(year)).await?;
    let kinds = campaigns::find_plan_year(&mut tx, year)
        .await?
        .map_or(ListKind::ALL.to_vec(), |p| p.list_kinds);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((
        status,
        render(FormPage {
            ctx,
            mode,
            action,
            form,
            errors,
            parent,
            year,
            campaigns,
            units,
            leaders,
            sections,
            posts,
            members,
            kinds,
            cadences: Cadence::ALL,
        })?,
    )
        .into_response())
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    parent: Option<i64>,
    #[serde(default)]
    unit: Option<i64>,
    #[serde(default)]
    year: Option<i16>,
}

pub async fn new_task(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let mut form = TaskForm::default();
    let mut year = q.year.unwrap_or(state.today().year());
    let parent = match q.parent {
        Some(p) => {
            let mut tx = state.store.begin_read().await?;
            let t = svc::load_visible(&mut tx, &ctx.actor, TaskId(p)).await?;
            year = t.fields.year;
            form.parent_id = t.id.0.to_string();
            form.lead_unit_id = t.fields.lead_unit_id.0.to_string();
            form.list_kind = t.fields.list_kind.as_str().into();
            form.campaign_id = t
                .fields
                .campaign_id
                .map(|c| c.0.to_string())
                .unwrap_or_default();
            form.weight = sheet::format_number(t.fields.weight);
            Some(t)
        }
        None => {
            let unit = q.unit.map(UnitId).or(ctx.actor.scope.home_unit);
            form.lead_unit_id = unit.map(|u| u.0.to_string()).unwrap_or_default();
            None
        }
    };
    super::lists::authorize_list_writer(&ctx)?;
    form_page(&state, ctx, Spec::new_task(parent, year), form, vec![]).await
}

/// Runs `save` when the form reads cleanly; on field problems the form comes back with them.
async fn save_or_show<F, Fut>(
    state: &AppState,
    ctx: Ctx,
    spec: Spec,
    form: TaskForm,
    save: F,
) -> Result<Response, AppError>
where
    F: FnOnce(TaskInput) -> Fut,
    Fut: std::future::Future<Output = Result<String, AppError>>,
{
    let (input, mut errors) = form.to_input(&names(state).await?, spec.year);
    if errors.is_empty() {
        match save(input).await {
            Ok(to) => return Ok(Redirect::to(&to).into_response()),
            Err(AppError::Invalid(e)) => errors = e,
            Err(e) => return Err(e),
        }
    }
    form_page(state, ctx, spec, form, errors).await
}

pub async fn create_task(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<TaskForm>,
) -> Result<Response, AppError> {
    let parent = match form.parent_id.trim().parse::<i64>() {
        Ok(p) => Some(task_and_parent(&state, &ctx, p).await?.0),
        Err(_) => None,
    };
    let year = match &parent {
        Some(p) => p.fields.year,
        None => form.year.trim().parse().unwrap_or(state.today().year()),
    };
    let parent_id = parent.as_ref().map(|p| p.id);
    let actor = ctx.actor.clone();
    let st = state.clone();
    let save = move |input: TaskInput| async move {
        let id = svc::create_task(&st, &actor, parent_id, &input).await?;
        Ok(format!("/lists/tasks/{}?ok=created", id.0))
    };
    save_or_show(&state, ctx, Spec::new_task(parent, year), form, save).await
}

pub async fn edit_task(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (task, parent) = task_and_parent(&state, &ctx, id).await?;
    ctx.authorize(Action::EditTask, svc::task_object(&task))?;
    let form = TaskForm::from_task(&task);
    form_page(&state, ctx, Spec::edit(&task, parent), form, vec![]).await
}

pub async fn update_task(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<TaskForm>,
) -> Result<Response, AppError> {
    let (task, parent) = task_and_parent(&state, &ctx, id).await?;
    let (actor, st) = (ctx.actor.clone(), state.clone());
    let save = move |input: TaskInput| async move {
        svc::update_task(&st, &actor, TaskId(id), &input).await?;
        Ok(format!("/lists/tasks/{id}?ok=saved"))
    };
    save_or_show(&state, ctx, Spec::edit(&task, parent), form, save).await
}

pub async fn change_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (task, _) = task_and_parent(&state, &ctx, id).await?;
    ctx.authorize(Action::ProposeChange, svc::task_object(&task))?;
    let form = TaskForm::from_task(&task);
    form_page(&state, ctx, Spec::change(task), form, vec![]).await
}

pub async fn propose_change(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<TaskForm>,
) -> Result<Response, AppError> {
    let (task, _) = task_and_parent(&state, &ctx, id).await?;
    let (actor, st, reason) = (ctx.actor.clone(), state.clone(), form.reason.clone());
    let save = move |input: TaskInput| async move {
        let change = ChangeInput {
            reason,
            due_date: input.due_date,
            cadence: input.cadence.clone(),
            indicators: Some(input.indicators.clone()),
            milestones: Some(input.milestones.clone()),
            weight: input.weight,
            lead_leader_id: input.lead_leader_id,
            section_id: input.section_id,
            post_id: input.post_id,
            person_id: input.person_id,
        };
        match svc::propose_change(&st, &actor, TaskId(id), &change).await {
            Ok(_) => Ok(format!("/lists/tasks/{id}?ok=proposed")),
            // A refusal of the whole request (wrong state, one pending) is shown on the task.
            Err(AppError::Invalid(e))
                if e.iter()
                    .any(|f| f.field == "state" || f.code == "change_pending") =>
            {
                let f = &e[0];
                Ok(format!("/lists/tasks/{id}?err={}.{}", f.field, f.code))
            }
            Err(e) => Err(e),
        }
    };
    save_or_show(&state, ctx, Spec::change(task), form, save).await
}
