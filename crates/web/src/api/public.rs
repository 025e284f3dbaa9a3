//! The public portal over JSON, for anyone and without signing in: published commitments
//! (every signed version, with whether its text is intact), 民生实事 projects, the replies to
//! suggestions and proposals their proposers agreed to publish, and the portal's search. The same public views as the portal's pages (`service::commitments::public`,
//! `service::portal`), so nothing here shows more. Responses are cacheable for a minute.
//! Filing a report is Open311's (`/open311/v2`); evaluating a commitment is the portal form's,
//! which keeps one evaluation per browser.

use super::ApiPath;
use super::ApiQuery;
use crate::auth::MaybeCtx;
use crate::error::{ApiError, AppError, FieldError};
use crate::pages::portal::cacheable;
use crate::service::commitments::public::{
    self as public, PublicCommitment, PublicProject, PublicQuery,
};
use crate::service::portal::{self, OpenRequest, PortalItem, open_rows};
use crate::service::proposals::published::{
    self as published, PublishedPage, PublishedQuery, PublishedReply,
};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use duban_core::policy::{Action, Object};
use duban_core::search::Terms;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicListQuery {
    /// The year (every year when absent).
    pub year: Option<i16>,
    /// The committer's person id.
    pub committer: Option<i64>,
    /// The committer's unit id.
    pub unit: Option<i64>,
    /// Words that must all occur in the commitment (title, content, target, committer, unit,
    /// linked tasks).
    pub q: Option<String>,
}

fn terms(raw: Option<&str>) -> Result<Option<Terms>, AppError> {
    match Terms::parse(raw.unwrap_or("")) {
        Ok(t) => Ok(Some(t)),
        Err(duban_core::search::SearchError::Empty) => Ok(None),
        Err(e) => Err(AppError::BadQuery(FieldError::new("q", e.code()))),
    }
}

/// Published commitments with every signed version, progress and light from the linked tasks,
/// and the evaluation; no contact data.
#[utoipa::path(get, operation_id = "list_public_commitments", path = "/api/v1/public/commitments", tag = "public", params(PublicListQuery),
    responses((status = 200, body = Vec<PublicCommitment>), (status = 400, description = "a filter value is not valid")))]
pub async fn list_commitments(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    ApiQuery(q): ApiQuery<PublicListQuery>,
) -> Result<Response, ApiError> {
    ctx.authorize(Action::PublicView, Object::City)?;
    let words = terms(q.q.as_deref())?;
    let list = public::list_published(
        &state,
        &PublicQuery {
            year: q.year,
            committer: q.committer,
            unit: q.unit,
        },
    )
    .await?;
    let list: Vec<PublicCommitment> = match words {
        Some(t) => list
            .into_iter()
            .filter(|c| t.found_in(&portal::commitment_text(c)))
            .collect(),
        None => list,
    };
    Ok(cacheable(Json(list).into_response()))
}

/// One published commitment; a draft or an unknown id is 404.
#[utoipa::path(get, operation_id = "get_public_commitment", path = "/api/v1/public/commitments/{id}", tag = "public",
    params(("id" = i64, Path, description = "commitment id")),
    responses((status = 200, body = PublicCommitment), (status = 404, description = "no published commitment of that id")))]
pub async fn get_commitment(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    ctx.authorize(Action::PublicView, Object::City)?;
    let c = public::get_published(&state, id).await?;
    Ok(cacheable(Json(c).into_response()))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// The year (every year when absent).
    pub year: Option<i16>,
}

/// 民生实事 projects: milestones, progress and light from their tasks, the deputies' votes.
#[utoipa::path(get, operation_id = "list_public_projects", path = "/api/v1/public/livelihood", tag = "public", params(YearQuery),
    responses((status = 200, body = Vec<PublicProject>)))]
pub async fn list_projects(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Response, ApiError> {
    ctx.authorize(Action::PublicView, Object::City)?;
    let list = public::list_livelihood(&state, q.year).await?;
    Ok(cacheable(Json(list).into_response()))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicSearchQuery {
    /// Words that must all occur (Chinese needs no spaces).
    pub q: Option<String>,
}

/// What the portal's search found.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicFound {
    pub commitments: Vec<PortalItem>,
    pub projects: Vec<PortalItem>,
    /// Published reports, newest first.
    pub requests: Vec<OpenRequest>,
    /// Replies to suggestions and proposals whose lead proposer agreed to publish them, the
    /// most recently signed first (nothing about the proposers).
    pub replies: Vec<PublishedReply>,
}

/// The portal's search over published commitments, 民生实事, published reports and published
/// replies to suggestions and proposals (at most 50 of each).
#[utoipa::path(get, operation_id = "search_public", path = "/api/v1/public/search", tag = "public", params(PublicSearchQuery),
    responses((status = 200, body = PublicFound), (status = 400, description = "no words, too many or too long")))]
pub async fn search(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    ApiQuery(q): ApiQuery<PublicSearchQuery>,
) -> Result<Response, ApiError> {
    ctx.authorize(Action::PublicView, Object::City)?;
    let t =
        terms(q.q.as_deref())?.ok_or_else(|| AppError::BadQuery(FieldError::new("q", "empty")))?;
    let found = portal::search(&state, &ctx.actor, ctx.lang, &t).await?;
    Ok(cacheable(
        Json(PublicFound {
            commitments: found.commitments,
            projects: found.projects,
            requests: open_rows(&state.config.public, &found.requests, ctx.lang),
            replies: found.replies,
        })
        .into_response(),
    ))
}

/// Replies to suggestions and proposals whose lead proposer agreed to publish them when rating
/// (同意公开), the most recently signed first: number, title, lead unit, class, the reply's
/// text and date — nothing about the proposers.
#[utoipa::path(get, operation_id = "list_public_proposal_replies", path = "/api/v1/public/proposals", tag = "public", params(PublishedQuery),
    responses((status = 200, body = PublishedPage), (status = 400, description = "a filter value is not valid (problem+json naming it)")))]
pub async fn list_proposal_replies(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    ApiQuery(q): ApiQuery<PublishedQuery>,
) -> Result<Response, ApiError> {
    let page = published::list(&state, &ctx.actor, &q).await?;
    Ok(cacheable(Json(page).into_response()))
}

/// One item's published reply; an item whose proposer did not agree to publish, or an unknown
/// id, is 404.
#[utoipa::path(get, operation_id = "get_public_proposal_reply", path = "/api/v1/public/proposals/{id}", tag = "public",
    params(("id" = i64, Path, description = "the suggestion's or proposal's id")),
    responses((status = 200, body = PublishedReply), (status = 404, description = "no published reply for that id")))]
pub async fn get_proposal_reply(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let r = published::get(&state, &ctx.actor, id).await?;
    Ok(cacheable(Json(r).into_response()))
}
