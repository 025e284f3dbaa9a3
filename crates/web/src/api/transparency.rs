//! The transparency log over JSON: signed tree heads, entries and proofs, for anyone and
//! without signing in (RFC 9162 in spirit; paths are duban's). See `crate::transparency`.
//!
//! Everything here is cacheable by any cache in front of the servers, which is how the public
//! read side is limited: what names a fixed tree (a head of a given size, a consistency proof,
//! an inclusion proof against a given size, an entry) for a day, the newest head and proofs
//! against it for a minute. Unreadable parameters are 400 problems, like any API error.

use super::ApiPath;
use super::ApiQuery;
use crate::error::ApiError;
use crate::error::AppError;
use crate::state::AppState;
use crate::transparency::{
    self as svc, ConsistencyResponse, EntryResponse, InclusionResponse, SthResponse,
};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;

/// The newest signed tree head, with the log's public key.
#[utoipa::path(get, path = "/api/v1/transparency/sth", tag = "transparency",
    responses((status = 200, body = SthResponse),
        (status = 404, description = "no tree head has been published yet")))]
pub async fn latest_sth(State(state): State<AppState>) -> Result<Response, ApiError> {
    Ok(cached(Json(svc::latest_sth(&state).await?), MINUTE))
}

/// A minute, for what follows the newest head; a day, for what names a fixed tree.
const MINUTE: u32 = 60;
const DAY: u32 = 86_400;

fn cached(body: impl IntoResponse, seconds: u32) -> Response {
    let mut res = body.into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("public, max-age={seconds}")) {
        res.headers_mut().insert(header::CACHE_CONTROL, v);
    }
    res
}

/// A number from the path, or a 400 problem naming it.
fn number<T: std::str::FromStr>(raw: &str, what: &str) -> Result<T, ApiError> {
    raw.parse().map_err(|_| {
        ApiError(AppError::BadRequest(format!(
            "{what} must be a whole number"
        )))
    })
}

/// The signed tree head of exactly `size` entries.
#[utoipa::path(get, path = "/api/v1/transparency/sth/{size}", tag = "transparency",
    params(("size" = u64, Path, description = "tree size")),
    responses((status = 200, body = SthResponse),
        (status = 404, description = "no head of that size was published")))]
pub async fn sth_at(
    State(state): State<AppState>,
    ApiPath(size): ApiPath<String>,
) -> Result<Response, ApiError> {
    let size = number(&size, "size")?;
    Ok(cached(Json(svc::sth_at(&state, size).await?), DAY))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InclusionQuery {
    /// The entry's sequence number (its leaf index + 1).
    pub seq: i64,
    /// The tree to prove against (default: the newest signed head's size).
    pub tree_size: Option<u64>,
}

/// The audit path from an entry's leaf to the root of a tree.
#[utoipa::path(get, path = "/api/v1/transparency/proof/inclusion", tag = "transparency",
    params(InclusionQuery),
    responses((status = 200, body = InclusionResponse),
        (status = 400, description = "seq or tree_size out of range"),
        (status = 404, description = "no tree head has been published yet")))]
pub async fn inclusion(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<InclusionQuery>,
) -> Result<Response, ApiError> {
    let age = if q.tree_size.is_some() { DAY } else { MINUTE };
    Ok(cached(
        Json(svc::inclusion(&state, q.seq, q.tree_size).await?),
        age,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsistencyQuery {
    /// The older tree's size.
    pub first: u64,
    /// The newer tree's size.
    pub second: u64,
}

/// The proof that the tree of `first` entries is a prefix of the tree of `second`.
#[utoipa::path(get, path = "/api/v1/transparency/proof/consistency", tag = "transparency",
    params(ConsistencyQuery),
    responses((status = 200, body = ConsistencyResponse),
        (status = 400, description = "sizes out of order or beyond the published tree")))]
pub async fn consistency(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ConsistencyQuery>,
) -> Result<Response, ApiError> {
    Ok(cached(
        Json(svc::consistency(&state, q.first, q.second).await?),
        DAY,
    ))
}

/// One ledger entry: its leaf bytes and their public fields (the actor and the before/after
/// JSON only for objects marked public).
#[utoipa::path(get, path = "/api/v1/transparency/entries/{seq}", tag = "transparency",
    params(("seq" = i64, Path, description = "sequence number")),
    responses((status = 200, body = EntryResponse), (status = 404, description = "no such entry")))]
pub async fn entry(
    State(state): State<AppState>,
    ApiPath(seq): ApiPath<String>,
) -> Result<Response, ApiError> {
    let seq = number(&seq, "seq")?;
    Ok(cached(Json(svc::entry(&state, seq).await?), DAY))
}
