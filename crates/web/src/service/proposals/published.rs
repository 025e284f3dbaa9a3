//! Replies on the public portal (`/public/proposals`, `GET /api/v1/public/proposals`): the
//! signed replies whose lead proposer agreed to publish them when rating
//! (`store::proposals::published`). What the public reads — number, title, the replying unit,
//! the class and full text of the reply, the day it was signed — and nothing about the people
//! (no proposer, co-signer, contact, rating or comment). Open to everyone (`PublicView`).

use crate::error::{AppError, FieldError};
use crate::state::AppState;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::proposals::kind::Kind;
use duban_core::search::Terms;
use duban_store::proposals::published::{self as store, PublishedFilter, PublishedRow};
use serde::{Deserialize, Serialize};

/// Replies a portal page shows at once (the API's default too).
pub const PER_PAGE: i64 = 20;
/// The most an API caller may ask for at once.
pub const MAX_PER_PAGE: i64 = 100;

/// A published reply, as the public reads it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublishedReply {
    /// The item's id (`/public/proposals/{id}`).
    pub id: i64,
    pub year: i64,
    /// suggestion (人大代表建议) | proposal (政协提案).
    pub kind: String,
    /// 建议号 / 提案号.
    pub number: String,
    /// 案由.
    pub title: String,
    /// The unit that replied (the lead unit).
    pub lead_unit: String,
    /// 1 for the first reply, 2 for the reply after re-handling …
    pub round: i64,
    /// A | B | C | D, as reviewed by the office.
    pub class: String,
    /// The reply's full text.
    pub reply: String,
    /// The day the reply was signed (YYYY-MM-DD).
    pub replied_on: String,
}

impl From<PublishedRow> for PublishedReply {
    fn from(r: PublishedRow) -> PublishedReply {
        PublishedReply {
            replied_on: r.signed().to_string(),
            id: r.id,
            year: r.year,
            kind: r.kind,
            number: r.number,
            title: r.title,
            lead_unit: r.unit_name,
            round: r.round,
            class: r.class,
            reply: r.body,
        }
    }
}

/// The portal's filters as a query string.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublishedQuery {
    /// The session's year (every year when absent).
    pub year: Option<i16>,
    /// suggestion | proposal (both when absent).
    pub kind: Option<String>,
    /// 1-based page number.
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
    /// Replies per page, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

/// A page of published replies, the most recently signed first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublishedPage {
    pub items: Vec<PublishedReply>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The published replies of the filter, newest first.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    q: &PublishedQuery,
) -> Result<PublishedPage, AppError> {
    decide(actor, Action::PublicView, Object::City)?;
    let kind = match q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => {
            Some(Kind::parse(k).ok_or(AppError::BadQuery(FieldError::new("kind", "bad_choice")))?)
        }
    };
    let page =
        crate::api::check_range("page", "page_range", q.page, crate::api::PAGE_RANGE)?.unwrap_or(1);
    let per_page = crate::api::check_range(
        "per_page",
        "search_per_page_range",
        q.per_page,
        (1, MAX_PER_PAGE),
    )?
    .unwrap_or(PER_PAGE);
    let f = PublishedFilter {
        year: q.year,
        kind,
        id: None,
        terms: None,
        limit: per_page,
        offset: (page - 1).saturating_mul(per_page),
    };
    let mut tx = state.store.begin_read().await?;
    let (rows, total) = store::list(&mut tx, &f).await?;
    Ok(PublishedPage {
        items: rows.into_iter().map(PublishedReply::from).collect(),
        total,
        page,
        per_page,
    })
}

/// The published replies whose number, title or text hold every word (the portal's search),
/// the most recently signed first, at most `limit`.
pub async fn search(
    state: &AppState,
    actor: &Actor,
    terms: &Terms,
    limit: i64,
) -> Result<Vec<PublishedReply>, AppError> {
    decide(actor, Action::PublicView, Object::City)?;
    let f = PublishedFilter {
        terms: Some(terms.clone()),
        limit,
        ..PublishedFilter::default()
    };
    let mut tx = state.store.begin_read().await?;
    let (rows, _) = store::list(&mut tx, &f).await?;
    Ok(rows.into_iter().map(PublishedReply::from).collect())
}

/// One item's published reply; an item without one is not found (whatever its state).
pub async fn get(state: &AppState, actor: &Actor, id: i64) -> Result<PublishedReply, AppError> {
    decide(actor, Action::PublicView, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    store::get(&mut tx, id)
        .await?
        .map(PublishedReply::from)
        .ok_or(AppError::NotFound)
}
