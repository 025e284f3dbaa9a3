//! The portal's browsing pages: published commitments by leader and unit with filters, a
//! 民生实事 project, the search over commitments, projects and published reports, and the
//! citizens' 评诺 form. Reading pages are cacheable like the rest of the portal; the form is
//! not (it carries this browser's CSRF token).

use super::portal::{RequestView, cacheable, not_stored};
use super::render;
use crate::auth::{self, CsrfForm, CsrfToken, MaybeCtx};
use crate::error::{AppError, FieldError};
use crate::service::commitments::EvaluationInput;
use crate::service::commitments::public::{
    self as public, MAX_PUBLIC_COMMENT, PublicCommitment, PublicProject,
};
use crate::service::portal::{self, Found, Listing, ListingFilter};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::commitments::evaluation::Verdict;
use duban_core::policy::{Action, Object};
use duban_core::search::Terms;
use std::net::SocketAddr;

/// The list's filters as typed in the query string; anything unreadable is ignored rather
/// than refused (a shared link with a stale filter still shows the list).
#[derive(Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    committer: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "public/commitments.html")]
struct CommitmentsPage {
    ctx: auth::Ctx,
    list: Listing,
    committer: Option<i64>,
    unit: Option<i64>,
    q: String,
    /// Why the words cannot be searched (too many, too long), if so.
    problem: Option<String>,
}

/// The words of a search box, or why they cannot be searched; `Ok(None)` for an empty box.
fn terms(ctx: &auth::Ctx, raw: &str) -> Result<Option<Terms>, String> {
    match Terms::parse(raw) {
        Ok(t) => Ok(Some(t)),
        Err(duban_core::search::SearchError::Empty) => Ok(None),
        Err(e) => Err(ctx.err(&FieldError::new("q", e.code()))),
    }
}

/// `GET /public/commitments?year=&committer=&unit=&q=` — this year's published commitments,
/// the city leaders' first, then the units', each with its state, light and progress.
pub async fn commitments(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::PublicView, Object::City)?;
    let (words, problem) = match terms(&ctx, &q.q) {
        Ok(t) => (t, None),
        Err(p) => (None, Some(p)),
    };
    let filter = ListingFilter {
        year: q.year.trim().parse().ok(),
        committer: q.committer.trim().parse().ok(),
        unit: q.unit.trim().parse().ok(),
        terms: words,
    };
    let list = portal::commitment_listing(&state, ctx.lang, &filter).await?;
    Ok(cacheable(render(CommitmentsPage {
        ctx,
        list,
        committer: filter.committer,
        unit: filter.unit,
        q: q.q.trim().to_string(),
        problem,
    })?))
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "public/search.html")]
struct SearchPage {
    ctx: auth::Ctx,
    q: String,
    found: Option<Found>,
    requests: Vec<RequestView>,
    problem: Option<String>,
}

/// `GET /public/search?q=` — published commitments, 民生实事 and published reports holding
/// every word (Chinese needs no spaces: `学位` finds `新增学位`).
pub async fn search(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    Query(q): Query<SearchQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::PublicView, Object::City)?;
    let (found, problem) = match terms(&ctx, &q.q) {
        Ok(Some(t)) => (
            Some(portal::search(&state, &ctx.actor, ctx.lang, &t).await?),
            None,
        ),
        Ok(None) => (None, None),
        Err(p) => (None, Some(p)),
    };
    let requests = found.as_ref().map_or_else(Vec::new, |f| {
        f.requests
            .iter()
            .map(|r| RequestView::new(r, &state.config.public, ctx.lang, &state.config.timezone))
            .collect()
    });
    Ok(cacheable(render(SearchPage {
        ctx,
        q: q.q.trim().to_string(),
        found,
        requests,
        problem,
    })?))
}

#[derive(Template)]
#[template(path = "public/project.html")]
struct ProjectPage {
    ctx: auth::Ctx,
    p: PublicProject,
}

/// `GET /public/projects/{id}` — a 民生实事 project: milestones, progress and light from its
/// tasks, and the deputies' satisfaction votes.
pub async fn project(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::PublicView, Object::City)?;
    let p = public::get_project(&state, id).await?;
    Ok(cacheable(render(ProjectPage { ctx, p })?))
}

#[derive(Template)]
#[template(path = "public/evaluate.html")]
struct EvaluatePage {
    ctx: auth::Ctx,
    c: PublicCommitment,
    form: EvaluateForm,
    errors: Vec<FieldError>,
    /// The commitment is under evaluation (otherwise the page says evaluation is closed).
    open: bool,
    verdicts: [Verdict; 3],
    max_comment: usize,
}

impl EvaluatePage {
    fn error(&self, field: &str) -> Option<String> {
        self.ctx.error_for(&self.errors, field)
    }
}

/// The citizen's evaluation as typed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct EvaluateForm {
    #[serde(default)]
    pub verdict: String,
    #[serde(default)]
    pub score: String,
    #[serde(default)]
    pub comment: String,
}

fn evaluate_page(
    ctx: auth::Ctx,
    c: PublicCommitment,
    form: EvaluateForm,
    errors: Vec<FieldError>,
) -> EvaluatePage {
    EvaluatePage {
        open: c.state == "under_evaluation",
        ctx,
        c,
        form,
        errors,
        verdicts: Verdict::ALL,
        max_comment: MAX_PUBLIC_COMMENT,
    }
}

/// `GET /public/commitments/{id}/evaluate` — 评诺 for citizens, open while the commitment is
/// under evaluation.
pub async fn evaluate_form(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::PublicEvaluate, Object::City)?;
    let c = public::get_published(&state, id).await?;
    Ok(not_stored(render(evaluate_page(
        ctx,
        c,
        EvaluateForm::default(),
        vec![],
    ))?))
}

/// `POST /public/commitments/{id}/evaluate` — counted against the public rate limits first,
/// then CSRF-checked and recorded (one per browser; a second replaces the first). Answers
/// with the commitment's page (303) or the form with every problem marked (422).
pub async fn evaluate(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Extension(token): Extension<CsrfToken>,
    headers: axum::http::HeaderMap,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<EvaluateForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::PublicEvaluate, Object::City)?;
    let address = auth::client_address(&headers, Some(peer), state.config.trust_proxy_headers);
    crate::service::public::check_rate(&state, &address).await?;
    let score = form.score.trim();
    let input = EvaluationInput {
        verdict: form.verdict.clone(),
        // An empty or unreadable score is out of range, named on the form.
        score: Some(score.parse().unwrap_or(-1)),
        comment: form.comment.clone(),
    };
    match public::evaluate_public(&state, &ctx.actor, id, &input, &token.0, &address).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/public/commitments/{id}?evaluated=1")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let c = public::get_published(&state, id).await?;
            let page = evaluate_page(ctx, c, form, errors);
            Ok(not_stored(
                (StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response(),
            ))
        }
        Err(e) => Err(e),
    }
}
