//! The auditor's ledger on screen: the filtered, paged list (newest first), one entry with
//! its before/after side by side, and the exports of the filtered range. The old
//! `/admin/ledger` address redirects here.

use super::render;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::service::ledger::{self as svc, LedgerEntry, LedgerEntryDetail, LedgerQuery};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::policy::{Action, Object};
use duban_store::ledger::{LedgerActor, Verified};
use duban_store::org::Unit;

#[derive(Template)]
#[template(path = "ledger/index.html")]
struct IndexPage {
    ctx: Ctx,
    q: LedgerQuery,
    rows: Vec<LedgerEntry>,
    total: i64,
    page: i64,
    pages: i64,
    upto: i64,
    /// The filters and the pinned `upto`, for the pager and the exports.
    filter_qs: String,
    actors: Vec<LedgerActor>,
    units: Vec<Unit>,
    object_types: Vec<String>,
    /// The whole chain's verification, on the unfiltered first page only (it reads every
    /// entry).
    verified: Option<Result<Verified, String>>,
    export_max: i64,
}

impl IndexPage {
    fn is(&self, v: &Option<String>, want: &str) -> bool {
        v.as_deref().map(str::trim) == Some(want)
    }

    fn object_label(&self, t: &str) -> String {
        object_label(&self.ctx, t)
    }
}

/// The object type in the reader's language where the catalog has it, else as stored.
fn object_label(ctx: &Ctx, t: &str) -> String {
    let key = format!("ledger_object.{t}");
    match ctx.t(&key) {
        k if k == key => t.to_string(),
        label => label.to_string(),
    }
}

pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<LedgerQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewLedger, Object::City)?;
    let page = q.page.unwrap_or(1).max(1);
    let list = svc::list(&state, &ctx.actor, &q, page, svc::PAGE_SIZE).await?;
    let choices = svc::filter_choices(&state, &ctx.actor).await?;
    let verified = if page == 1 && !q.filtered() {
        Some(svc::verification(&state, &ctx.actor).await?)
    } else {
        None
    };
    let pinned = LedgerQuery {
        upto: Some(list.upto.to_string()),
        ..q.clone()
    };
    render(IndexPage {
        filter_qs: pinned.filter_query(),
        pages: (list.total + svc::PAGE_SIZE - 1) / svc::PAGE_SIZE,
        page,
        total: list.total,
        upto: list.upto,
        rows: list.items,
        actors: choices.actors,
        units: choices.units,
        object_types: choices.object_types,
        verified,
        export_max: svc::EXPORT_MAX_ROWS,
        ctx,
        q,
    })
}

#[derive(Template)]
#[template(path = "ledger/entry.html")]
struct EntryPage {
    ctx: Ctx,
    v: LedgerEntryDetail,
}

impl EntryPage {
    fn object_label(&self, t: &str) -> String {
        object_label(&self.ctx, t)
    }
}

pub async fn entry(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(seq): Path<i64>,
) -> Result<Response, AppError> {
    let v = svc::entry(&state, &ctx.actor, seq).await?;
    render(EntryPage { ctx, v })
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<LedgerQuery>,
) -> Result<Response, AppError> {
    let bytes = svc::export_xlsx(&state, &ctx.actor, &q).await?;
    Ok(crate::api::file_response(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "审计账本.xlsx",
        bytes,
    )
    .into_response())
}

pub async fn export_jsonl(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<LedgerQuery>,
) -> Result<Response, AppError> {
    let bytes = svc::export_jsonl(&state, &ctx.actor, &q).await?;
    Ok(crate::api::file_response("application/jsonl", "ledger.jsonl", bytes).into_response())
}

/// The ledger's old address, kept for bookmarks: the same readers, sent on with the query.
pub async fn moved(ctx: Ctx, uri: axum::http::Uri) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewLedger, Object::City)?;
    let to = match uri.query() {
        Some(q) => format!("/ledger?{q}"),
        None => "/ledger".to_string(),
    };
    Ok(Redirect::permanent(&to).into_response())
}
