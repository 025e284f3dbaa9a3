//! 搜索 — one box over tasks, progress reports, cases and suggestions/proposals in the
//! reader's scope, with kind,
//! year and unit filters. The search box in the header of every page leads here.

use super::render;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::service::search::{self as svc, PER_PAGE, Results, SearchParams};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use duban_core::search::Kind;
use duban_store::org::{self as org_store, Unit, UnitFilter};

#[derive(Template)]
#[template(path = "search/index.html")]
struct SearchPage {
    ctx: Ctx,
    /// The query as typed, and the filters as given (kept in the form).
    q: String,
    kind: String,
    year: String,
    unit: Option<i64>,
    units: Vec<Unit>,
    kinds: [Kind; 4],
    /// `None` before a search (an empty box).
    results: Option<Results>,
    /// Why the query cannot be run (too many or too long words, a bad filter).
    problem: Option<String>,
    pages: i64,
    /// The query string without the page, for the pager.
    filter_qs: String,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(p): Query<SearchParams>,
) -> Result<Response, AppError> {
    if ctx.user.is_none() {
        return Err(AppError::NotSignedIn);
    }
    let typed = p.q.as_deref().unwrap_or("").trim().to_string();
    // The page always shows 20 hits a page.
    let p = SearchParams {
        per_page: None,
        ..p
    };
    let (results, problem) = match p.filters() {
        // An empty box is a page to type into, not an error.
        Err(AppError::BadQuery(f)) if f.field == "q" && f.code == "empty" => (None, None),
        Err(AppError::BadQuery(f)) => (
            None,
            Some(format!(
                "{}: {}",
                ctx.t(&format!("search.{}", f.field)),
                ctx.err(&f)
            )),
        ),
        Err(other) => return Err(other),
        Ok(filters) => (Some(svc::search(&state, &ctx.actor, &filters).await?), None),
    };
    let mut tx = state.store.begin_read().await?;
    let units = org_store::list_units(&mut tx, &UnitFilter::default()).await?;
    drop(tx);
    let kind = p.kind.clone().unwrap_or_default();
    let year = p.year.clone().unwrap_or_default();
    let unit = p.unit.as_deref().and_then(|u| u.trim().parse().ok());
    let filter_qs = serde_urlencoded::to_string([
        ("q", typed.as_str()),
        ("kind", kind.as_str()),
        ("year", year.as_str()),
        ("unit", p.unit.as_deref().unwrap_or("")),
    ])
    .unwrap_or_default();
    render(SearchPage {
        pages: results
            .as_ref()
            .map_or(0, |r| (r.total + PER_PAGE - 1) / PER_PAGE),
        ctx,
        q: typed,
        kind,
        year,
        unit,
        units,
        kinds: Kind::ALL,
        results,
        problem,
        filter_qs,
    })
}
