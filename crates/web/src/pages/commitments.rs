//! Commitments and livelihood projects on screen: the list with filters, one commitment with
//! its versions (and what each amendment changed), linked tasks with lights, supervisors,
//! evaluations and exactly the step forms the reader may use; the draft / edit / amend form;
//! the livelihood projects with their votes.

use super::lists::back_with_problem;
use super::{Notice, render};
use crate::auth::{CsrfForm, Ctx};
use crate::error::{AppError, FieldError};
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

/// The content form, flattened for a form post (ids comma-separated).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CommitmentForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    target_text: String,
    #[serde(default)]
    target_value: String,
    #[serde(default)]
    target_unit: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    task_ids: String,
    #[serde(default)]
    supervisor_ids: String,
    #[serde(default)]
    reason: String,
}

fn ids(s: &str) -> Vec<i64> {
    s.split([',', '，', ' ', '、'])
        .filter_map(|x| x.trim().parse().ok())
        .collect()
}

fn join(v: &[i64]) -> String {
    v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

impl CommitmentForm {
    fn input(&self) -> Result<CommitmentInput, AppError> {
        let target_value = match self.target_value.trim() {
            "" => None,
            t => Some(t.parse::<f64>().map_err(|_| {
                AppError::Invalid(vec![FieldError::new("target_value", "bad_number")])
            })?),
        };
        Ok(CommitmentInput {
            title: self.title.clone(),
            content: self.content.clone(),
            target_text: self.target_text.clone(),
            target_value,
            target_unit: self.target_unit.clone(),
            deadline: self.deadline.clone(),
            task_ids: ids(&self.task_ids),
            supervisor_ids: ids(&self.supervisor_ids),
            reason: self.reason.clone(),
        })
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
}

impl FormPage {
    /// The content fields in form order: (name, value, multi-line).
    fn fields(&self) -> Vec<(&'static str, String, bool)> {
        let f = &self.form;
        vec![
            ("title", f.title.clone(), false),
            ("content", f.content.clone(), true),
            ("target_text", f.target_text.clone(), false),
            ("target_value", f.target_value.clone(), false),
            ("target_unit", f.target_unit.clone(), false),
            ("deadline", f.deadline.clone(), false),
            ("task_ids", f.task_ids.clone(), false),
            ("supervisor_ids", f.supervisor_ids.clone(), false),
        ]
    }

    fn title_key(&self) -> String {
        format!("commitments.form_{}", self.mode)
    }

    fn error(&self, field: &str) -> Option<String> {
        self.ctx.error_for(&self.errors, field)
    }
}

fn form_page(
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
    let page = render(FormPage {
        ctx,
        form,
        mode,
        action,
        errors,
    })?;
    Ok((status, page).into_response())
}

pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    ctx.authorize(Action::DraftCommitment, Object::City)?;
    form_page(
        ctx,
        CommitmentForm::default(),
        "new",
        "/commitments".into(),
        Vec::new(),
    )
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<CommitmentForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::DraftCommitment, Object::City)?;
    let result = match f.input() {
        Ok(input) => svc::draft(&state, &ctx.actor, &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/commitments/{}?ok=created", id.0)).into_response()),
        Err(AppError::Invalid(errors)) => form_page(ctx, f, "new", "/commitments".into(), errors),
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
        task_ids: join(&c.task_ids),
        supervisor_ids: join(&c.supervisor_ids),
        reason: String::new(),
    })
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let form = prefilled(&state, &ctx, id, Action::DraftCommitment).await?;
    form_page(ctx, form, "edit", format!("/commitments/{id}"), Vec::new())
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<CommitmentForm>,
) -> Result<Response, AppError> {
    let result = match f.input() {
        Ok(input) => svc::edit(&state, &ctx.actor, CommitmentId(id), &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/commitments/{id}?ok=saved")).into_response()),
        Err(AppError::Invalid(errors)) => {
            form_page(ctx, f, "edit", format!("/commitments/{id}"), errors)
        }
        Err(e) => Err(e),
    }
}

pub async fn amend_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let form = prefilled(&state, &ctx, id, Action::DraftCommitment).await?;
    form_page(
        ctx,
        form,
        "amend",
        format!("/commitments/{id}/amendments"),
        Vec::new(),
    )
}

pub async fn amend(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<CommitmentForm>,
) -> Result<Response, AppError> {
    let result = match f.input() {
        Ok(input) => svc::amend(&state, &ctx.actor, CommitmentId(id), &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/commitments/{id}?ok=created")).into_response()),
        Err(AppError::Invalid(errors)) => form_page(
            ctx,
            f,
            "amend",
            format!("/commitments/{id}/amendments"),
            errors,
        ),
        Err(e) => Err(e),
    }
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
