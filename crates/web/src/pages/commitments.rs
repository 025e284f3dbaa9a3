//! Commitments and livelihood projects on screen: the list with filters, one commitment with
//! its versions (and what each amendment changed), linked tasks with lights, supervisors,
//! evaluations and exactly the step forms the reader may use; the draft / edit / amend form;
//! the livelihood projects with their votes.

use super::{Notice, render};
use crate::auth::{CsrfForm, Ctx};
use crate::error::back_with_problem;
use crate::error::{AppError, FieldError};
use crate::service::commitments::choices::{self, Choices, TaskGroup};
use crate::service::commitments::public::PublicProject;
use crate::service::commitments::view::{
    self, CommitmentDetail, CommitmentListQuery, ListedCommitment,
};
use crate::service::commitments::{self as svc, CommitmentInput, EvaluationInput, StepInput};
use crate::service::livelihood::{self, ProjectView, VoteInput};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::commitments::CommitmentId;
use duban_core::commitments::state::CommitmentState;
use duban_core::policy::{Action, Object};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "commitments/index.html")]
struct IndexPage {
    ctx: Ctx,
    q: CommitmentListQuery,
    rows: Vec<ListedCommitment>,
    states: [CommitmentState; 10],
    can_draft: bool,
}

impl IndexPage {
    fn selected(&self, v: &Option<String>, want: &str) -> bool {
        v.as_deref() == Some(want)
    }
}

pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<CommitmentListQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewCommitments, Object::City)?;
    let rows = view::list(&state, &ctx.actor, &q).await?;
    render(IndexPage {
        can_draft: ctx.may(Action::DraftCommitment, Object::City),
        ctx,
        q,
        rows,
        states: CommitmentState::ALL,
    })
}

#[derive(Template)]
#[template(path = "commitments/commitment.html")]
struct CommitmentPage {
    ctx: Ctx,
    v: CommitmentDetail,
    notice: Option<String>,
    problem: Option<(String, String)>,
}

impl CommitmentPage {
    fn can(&self, step: &str) -> bool {
        self.v.available.contains(&step)
    }
    fn number(&self, n: &Option<f64>) -> String {
        n.map(|n| n.to_string()).unwrap_or_default()
    }
    fn label(&self, field: &str) -> String {
        label(&self.ctx, field)
    }
}

pub async fn commitment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response, AppError> {
    let problem = n.problem(&ctx);
    let notice =
        n.ok.as_deref()
            .filter(|s| CommitmentState::parse(s).is_some())
            .map(|s| format!("commitment_state.{s}"))
            .or_else(|| n.key().map(str::to_string));
    let v = view::detail(&state, &ctx.actor, CommitmentId(id)).await?;
    render(CommitmentPage {
        ctx,
        v,
        notice,
        problem,
    })
}

/// The content form as posted: the pickers send `task_ids` and `supervisor_ids` once per
/// ticked box (a value may also hold several ids separated by commas).
#[derive(Debug, Clone, Default)]
pub struct CommitmentForm {
    title: String,
    content: String,
    target_text: String,
    target_value: String,
    target_unit: String,
    deadline: String,
    task_ids: Vec<i64>,
    supervisor_ids: Vec<i64>,
    reason: String,
    /// Id fields that held something other than numbers.
    bad_ids: Vec<&'static str>,
}

impl CommitmentForm {
    /// Reads the posted fields; repeated `task_ids` / `supervisor_ids` add up.
    fn from_pairs(pairs: Vec<(String, String)>) -> CommitmentForm {
        let mut f = CommitmentForm::default();
        for (name, value) in pairs {
            let slot = match name.as_str() {
                "title" => &mut f.title,
                "content" => &mut f.content,
                "target_text" => &mut f.target_text,
                "target_value" => &mut f.target_value,
                "target_unit" => &mut f.target_unit,
                "deadline" => &mut f.deadline,
                "reason" => &mut f.reason,
                "task_ids" => {
                    f.add_ids("task_ids", &value);
                    continue;
                }
                "supervisor_ids" => {
                    f.add_ids("supervisor_ids", &value);
                    continue;
                }
                _ => continue,
            };
            *slot = value;
        }
        f
    }

    fn add_ids(&mut self, field: &'static str, value: &str) {
        let ids = match field {
            "task_ids" => &mut self.task_ids,
            _ => &mut self.supervisor_ids,
        };
        let mut bad = false;
        for piece in value
            .split([',', '，', ' ', '、'])
            .filter(|p| !p.is_empty())
        {
            match piece.parse::<i64>() {
                Ok(id) if !ids.contains(&id) => ids.push(id),
                Ok(_) => {}
                Err(_) => bad = true,
            }
        }
        if bad && !self.bad_ids.contains(&field) {
            self.bad_ids.push(field);
        }
    }

    fn input(&self) -> Result<CommitmentInput, AppError> {
        let mut errors: Vec<FieldError> = self
            .bad_ids
            .iter()
            .map(|field| FieldError::new(field, "bad_number"))
            .collect();
        let target_value = match self.target_value.trim() {
            "" => None,
            t => t.parse::<f64>().ok().or_else(|| {
                errors.push(FieldError::new("target_value", "bad_number"));
                None
            }),
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        Ok(CommitmentInput {
            title: self.title.clone(),
            content: self.content.clone(),
            target_text: self.target_text.clone(),
            target_value,
            target_unit: self.target_unit.clone(),
            deadline: self.deadline.clone(),
            task_ids: self.task_ids.clone(),
            supervisor_ids: self.supervisor_ids.clone(),
            reason: self.reason.clone(),
        })
    }
}

/// The fields of the form, as named in field errors.
const FORM_FIELDS: [&str; 9] = [
    "title",
    "content",
    "target_text",
    "target_value",
    "target_unit",
    "deadline",
    "task_ids",
    "supervisor_ids",
    "reason",
];

/// A commitment field's label: the commitment's own word where the shared label means
/// something else (`field.title` is a person's 职务, `field.deadline` a case's 办理时限), else
/// the shared one.
fn label(ctx: &Ctx, field: &str) -> String {
    let key = format!("commitments.field_{field}");
    match ctx.t(&key) {
        t if t == key => ctx.field(field),
        t => t.to_string(),
    }
}

#[derive(Template)]
#[template(path = "commitments/form.html")]
struct FormPage {
    ctx: Ctx,
    form: CommitmentForm,
    /// `new`, `edit` or `amend`.
    mode: &'static str,
    action: String,
    errors: Vec<FieldError>,
    choices: Choices,
}

impl FormPage {
    /// The text fields in form order: (name, value, multi-line).
    fn fields(&self) -> Vec<(&'static str, String, bool)> {
        let f = &self.form;
        vec![
            ("title", f.title.clone(), false),
            ("content", f.content.clone(), true),
            ("target_text", f.target_text.clone(), false),
            ("target_value", f.target_value.clone(), false),
            ("target_unit", f.target_unit.clone(), false),
            ("deadline", f.deadline.clone(), false),
        ]
    }

    fn title_key(&self) -> String {
        format!("commitments.form_{}", self.mode)
    }

    fn error(&self, field: &str) -> Option<String> {
        self.ctx.error_for(&self.errors, field)
    }

    fn label(&self, field: &str) -> String {
        label(&self.ctx, field)
    }

    /// The labels of the fields to correct, for the message at the top (on a phone the
    /// field itself may be a long way down).
    fn error_fields(&self) -> String {
        let mut names: Vec<String> = Vec::new();
        for e in &self.errors {
            let name = self.label(e.field);
            if FORM_FIELDS.contains(&e.field) && !names.contains(&name) {
                names.push(name);
            }
        }
        names.join(self.ctx.t("commitments.list_separator"))
    }

    /// A campaign's box starts open when the list is short or it holds a ticked task.
    fn open(&self, g: &TaskGroup) -> bool {
        self.choices.task_count <= 30 || g.checked() > 0
    }
}

async fn form_page(
    state: &AppState,
    ctx: Ctx,
    form: CommitmentForm,
    mode: &'static str,
    action: String,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let choices = choices::choices(state, &ctx.actor, &form.task_ids, &form.supervisor_ids).await?;
    let page = render(FormPage {
        ctx,
        form,
        mode,
        action,
        errors,
        choices,
    })?;
    Ok((status, page).into_response())
}

pub async fn new_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.authorize(Action::DraftCommitment, Object::City)?;
    form_page(
        &state,
        ctx,
        CommitmentForm::default(),
        "new",
        "/commitments".into(),
        Vec::new(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::DraftCommitment, Object::City)?;
    let f = CommitmentForm::from_pairs(pairs);
    let result = match f.input() {
        Ok(input) => svc::draft(&state, &ctx.actor, &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/commitments/{}?ok=created", id.0)).into_response()),
        Err(AppError::Invalid(errors)) => {
            form_page(&state, ctx, f, "new", "/commitments".into(), errors).await
        }
        Err(e) => Err(e),
    }
}

async fn prefilled(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    action: Action,
) -> Result<CommitmentForm, AppError> {
    let v = view::detail(state, &ctx.actor, CommitmentId(id)).await?;
    if !svc::may(&ctx.actor, action, &v.commitment) {
        return Err(AppError::Forbidden(duban_core::policy::Denied::OutOfScope));
    }
    let c = &v.commitment.latest().content;
    Ok(CommitmentForm {
        title: c.title.clone(),
        content: c.content.clone(),
        target_text: c.target_text.clone(),
        target_value: c.target_value.map(|n| n.to_string()).unwrap_or_default(),
        target_unit: c.target_unit.clone(),
        deadline: c.deadline.to_string(),
        task_ids: c.task_ids.clone(),
        supervisor_ids: c.supervisor_ids.clone(),
        reason: String::new(),
        bad_ids: Vec::new(),
    })
}

/// Where the edit and amend forms post, by mode.
fn version_action(mode: &'static str, id: i64) -> String {
    match mode {
        "amend" => format!("/commitments/{id}/amendments"),
        _ => format!("/commitments/{id}"),
    }
}

/// The edit or amend form, prefilled with the latest version.
async fn version_form(
    state: &AppState,
    ctx: Ctx,
    id: i64,
    mode: &'static str,
) -> Result<Response, AppError> {
    let form = prefilled(state, &ctx, id, Action::DraftCommitment).await?;
    form_page(state, ctx, form, mode, version_action(mode, id), Vec::new()).await
}

/// Saves the edit of a draft or a new amendment; back to the form with every problem marked.
async fn save_version(
    state: &AppState,
    ctx: Ctx,
    id: i64,
    mode: &'static str,
    pairs: Vec<(String, String)>,
) -> Result<Response, AppError> {
    let f = CommitmentForm::from_pairs(pairs);
    let result = match f.input() {
        Ok(input) if mode == "amend" => {
            svc::amend(state, &ctx.actor, CommitmentId(id), &input).await
        }
        Ok(input) => svc::edit(state, &ctx.actor, CommitmentId(id), &input).await,
        Err(e) => Err(e),
    };
    let notice = if mode == "amend" { "created" } else { "saved" };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/commitments/{id}?ok={notice}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            form_page(state, ctx, f, mode, version_action(mode, id), errors).await
        }
        Err(e) => Err(e),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    version_form(&state, ctx, id, "edit").await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    save_version(&state, ctx, id, "edit", pairs).await
}

pub async fn amend_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    version_form(&state, ctx, id, "amend").await
}

pub async fn amend(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    save_version(&state, ctx, id, "amend", pairs).await
}

#[derive(Deserialize)]
pub struct StepForm {
    #[serde(default)]
    step: String,
    #[serde(default)]
    note: String,
}

pub async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<StepForm>,
) -> Result<Response, AppError> {
    let input = StepInput {
        step: f.step,
        note: f.note,
    };
    match svc::act(&state, &ctx.actor, CommitmentId(id), &input).await {
        Ok(s) => Ok(Redirect::to(&format!("/commitments/{id}?ok={}", s.as_str())).into_response()),
        Err(e) => back_with_problem(&format!("/commitments/{id}"), e),
    }
}

#[derive(Deserialize)]
pub struct SetAsideForm {
    #[serde(default)]
    evaluation_id: i64,
    #[serde(default)]
    reason: String,
}

/// The office sets a flagged citizen's evaluation aside with a reason.
pub async fn set_aside(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<SetAsideForm>,
) -> Result<Response, AppError> {
    match svc::set_aside_evaluation(
        &state,
        &ctx.actor,
        CommitmentId(id),
        f.evaluation_id,
        &f.reason,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/commitments/{id}?ok=set_aside")).into_response()),
        Err(e) => back_with_problem(&format!("/commitments/{id}"), e),
    }
}

#[derive(Deserialize)]
pub struct EvaluationForm {
    #[serde(default)]
    verdict: String,
    #[serde(default)]
    score: String,
    #[serde(default)]
    comment: String,
}

pub async fn evaluate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<EvaluationForm>,
) -> Result<Response, AppError> {
    let input = EvaluationInput {
        verdict: f.verdict,
        score: f.score.trim().parse().ok(),
        comment: f.comment,
    };
    match svc::evaluate(&state, &ctx.actor, CommitmentId(id), &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/commitments/{id}?ok=saved")).into_response()),
        Err(e) => back_with_problem(&format!("/commitments/{id}"), e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<i16>,
}

#[derive(Template)]
#[template(path = "livelihood/index.html")]
struct LivelihoodPage {
    ctx: Ctx,
    rows: Vec<PublicProject>,
}

pub async fn livelihood_index(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let rows = livelihood::list(&state, &ctx.actor, q.year).await?;
    render(LivelihoodPage { ctx, rows })
}

#[derive(Template)]
#[template(path = "livelihood/project.html")]
struct ProjectPage {
    ctx: Ctx,
    v: ProjectView,
    notice: Option<&'static str>,
    problem: Option<(String, String)>,
}

pub async fn project(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response, AppError> {
    let v = livelihood::detail(&state, &ctx.actor, id).await?;
    render(ProjectPage {
        problem: n.problem(&ctx),
        notice: n.key(),
        ctx,
        v,
    })
}

pub async fn vote(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<VoteInput>,
) -> Result<Response, AppError> {
    match livelihood::vote(&state, &ctx.actor, id, &f).await {
        Ok(()) => Ok(Redirect::to(&format!("/livelihood/{id}?ok=saved")).into_response()),
        Err(e) => back_with_problem(&format!("/livelihood/{id}"), e),
    }
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    match livelihood::close(&state, &ctx.actor, id).await {
        Ok(()) => Ok(Redirect::to(&format!("/livelihood/{id}?ok=saved")).into_response()),
        Err(e) => back_with_problem(&format!("/livelihood/{id}"), e),
    }
}
