//! The transparency log over JSON: signed tree heads, entries and proofs, for anyone and
//! without signing in (RFC 9162 in spirit; paths are duban's). See `crate::transparency`.

use crate::error::ApiError;
use crate::state::AppState;
use crate::transparency::{
    self as svc, ConsistencyResponse, EntryResponse, InclusionResponse, SthResponse,
};
use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use utoipa::IntoParams;

/// The newest signed tree head, with the log's public key.
#[utoipa::path(get, path = "/api/v1/transparency/sth", tag = "transparency",
    responses((status = 200, body = SthResponse),
        (status = 404, description = "no tree head has been published yet")))]
pub async fn latest_sth(State(state): State<AppState>) -> Result<Json<SthResponse>, ApiError> {
    Ok(Json(svc::latest_sth(&state).await?))
}

/// The signed tree head of exactly `size` entries.
#[utoipa::path(get, path = "/api/v1/transparency/sth/{size}", tag = "transparency",
    params(("size" = u64, Path, description = "tree size")),
    responses((status = 200, body = SthResponse),
        (status = 404, description = "no head of that size was published")))]
pub async fn sth_at(
    State(state): State<AppState>,
    Path(size): Path<u64>,
) -> Result<Json<SthResponse>, ApiError> {
    Ok(Json(svc::sth_at(&state, size).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
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
    Query(q): Query<InclusionQuery>,
) -> Result<Json<InclusionResponse>, ApiError> {
    Ok(Json(svc::inclusion(&state, q.seq, q.tree_size).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
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
    Query(q): Query<ConsistencyQuery>,
) -> Result<Json<ConsistencyResponse>, ApiError> {
    Ok(Json(svc::consistency(&state, q.first, q.second).await?))
}

/// One ledger entry: its leaf bytes and their public fields (the actor and the before/after
/// JSON only for objects marked public).
#[utoipa::path(get, path = "/api/v1/transparency/entries/{seq}", tag = "transparency",
    params(("seq" = i64, Path, description = "sequence number")),
    responses((status = 200, body = EntryResponse), (status = 404, description = "no such entry")))]
pub async fn entry(
    State(state): State<AppState>,
    Path(seq): Path<i64>,
) -> Result<Json<EntryResponse>, ApiError> {
    Ok(Json(svc::entry(&state, seq).await?))
}
