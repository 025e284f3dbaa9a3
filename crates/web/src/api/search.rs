//! Search over JSON: the same service as the `/search` page.

use super::ApiQuery;
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::service::search::{self as svc, Results, SearchParams};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;

/// Tasks, progress reports, cases and suggestions/proposals (number, title, content, replies)
/// in the caller's scope containing every word of `q`,
/// title hits first, then the most recently changed; 20 per page unless `per_page` says
/// otherwise. Each hit carries its title
/// and a snippet as escaped HTML with the matches in `<mark>`.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", security(("bearer" = [])), params(SearchParams),
    responses((status = 200, body = Results),
        (status = 400, description = "no words in `q`, too many or too long words, or a filter value that is not valid (problem+json naming the field)")))]
pub async fn search(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<Results>, ApiError> {
    let filters = params.filters()?;
    Ok(Json(svc::search(&state, &api.actor, &filters).await?))
}
