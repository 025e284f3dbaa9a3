//! The audit ledger over JSON: the filtered list (newest first), one entry with its fields
//! compared, and the exports (.xlsx; JSON lines that `duban verify --ledger-export` checks
//! offline). The same service as the pages; office, admin and auditor only.

use super::{ApiPath, ApiQuery, Paging, file_response};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::service::ledger::{self as svc, LedgerEntryDetail, LedgerPage, LedgerQuery};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;

/// Ledger entries matching the filters, newest first, with the actor's and the object's
/// names. Pass the answer's `upto` back to page through the same entries while new ones
/// arrive.
#[utoipa::path(get, path = "/api/v1/ledger", tag = "ledger", security(("bearer" = [])), params(LedgerQuery, Paging),
    responses((status = 200, body = LedgerPage), (status = 400, description = "a filter or paging value is not valid (the problem names it)"),
        (status = 403, description = "not the office, an admin or an auditor")))]
pub async fn list_ledger(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<LedgerQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<LedgerPage>, ApiError> {
    let (per_page, offset) = paging.limit_offset()?;
    let page = offset / per_page + 1;
    Ok(Json(
        svc::list(&state, &api.actor, &q, page, per_page).await?,
    ))
}

/// One ledger entry: every stored field, the names, and the top-level fields of its
/// before/after JSON compared.
#[utoipa::path(get, path = "/api/v1/ledger/{seq}", tag = "ledger", security(("bearer" = [])),
    params(("seq" = i64, Path, description = "the entry's sequence number")),
    responses((status = 200, body = LedgerEntryDetail), (status = 403, description = "not the office, an admin or an auditor"),
        (status = 404, description = "no such entry")))]
pub async fn get_ledger_entry(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(seq): ApiPath<i64>,
) -> Result<Json<LedgerEntryDetail>, ApiError> {
    Ok(Json(svc::entry(&state, &api.actor, seq).await?))
}

/// The matching entries as JSON lines, oldest first: per line every hashed field as stored
/// (`seq`, `at_us`, `actor`, `action`, `object_type`, `object_id`, `before`, `after` — the
/// stored JSON texts —, `prev_hash`, `hash`) and names to read (`at`, `actor_name`,
/// `actor_username`, `object_name`). At most 20,000 entries; more is a 400 with the count.
#[utoipa::path(get, path = "/api/v1/ledger/export.jsonl", tag = "ledger", security(("bearer" = [])), params(LedgerQuery),
    responses((status = 200, description = "the JSON-lines file", content_type = "application/jsonl"),
        (status = 400, description = "a filter is not valid, or more entries match than an export holds")))]
pub async fn export_ledger_jsonl(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<LedgerQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let bytes = svc::export_jsonl(&state, &api.actor, &q).await?;
    Ok(file_response("application/jsonl", "ledger.jsonl", bytes))
}

/// The matching entries as an .xlsx sheet (审计账本), oldest first; long before/after texts
/// are cut (the JSON lines carry them whole). Same bound as the JSON lines.
#[utoipa::path(get, path = "/api/v1/ledger/export.xlsx", tag = "ledger", security(("bearer" = [])), params(LedgerQuery),
    responses((status = 200, description = "the .xlsx file"),
        (status = 400, description = "a filter is not valid, or more entries match than an export holds")))]
pub async fn export_ledger_xlsx(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<LedgerQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let bytes = svc::export_xlsx(&state, &api.actor, &q).await?;
    Ok(file_response(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "审计账本.xlsx",
        bytes,
    ))
}
