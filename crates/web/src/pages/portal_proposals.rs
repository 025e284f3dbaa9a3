//! 建议提案答复 on the public portal: the replies whose lead proposer agreed to publish them
//! (`service::proposals::published`), newest first, and one item's published reply. Like the
//! portal's other reading pages: no sign-in, cacheable for a minute, no cookie set, and
//! nothing about the people behind an item.

use super::portal::cacheable;
use super::render;
use crate::auth::{self, MaybeCtx};
use crate::error::AppError;
use crate::service::proposals::published::{
    self as svc, PER_PAGE, PublishedPage, PublishedQuery, PublishedReply,
};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;

#[derive(Template)]
#[template(path = "public/proposals.html")]
struct ListPage {
    ctx: auth::Ctx,
    list: PublishedPage,
    pages: i64,
    /// The filters as a query string without the page, for the pager.
    filter_qs: String,
    kind: String,
}

/// `GET /public/proposals`
pub async fn list(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    Query(q): Query<PublishedQuery>,
) -> Result<Response, AppError> {
    // The page always shows 20 a page.
    let q = PublishedQuery {
        per_page: None,
        ..q
    };
    let list = svc::list(&state, &ctx.actor, &q).await?;
    let mut pairs = Vec::new();
    if let Some(y) = q.year {
        pairs.push(format!("year={y}"));
    }
    let kind = q.kind.clone().unwrap_or_default();
    if !kind.is_empty() {
        pairs.push(format!("kind={}", auth::urlencode(&kind)));
    }
    Ok(cacheable(render(ListPage {
        pages: (list.total + PER_PAGE - 1) / PER_PAGE,
        ctx,
        list,
        filter_qs: pairs.join("&"),
        kind,
    })?))
}

#[derive(Template)]
#[template(path = "public/proposal.html")]
struct ItemPage {
    ctx: auth::Ctx,
    r: PublishedReply,
}

/// `GET /public/proposals/{id}` — one item's published reply; an item without one is 404.
pub async fn item(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let r = svc::get(&state, &ctx.actor, id).await?;
    Ok(cacheable(render(ItemPage { ctx, r })?))
}
