//! The portal's open data and feed: published problem reports as CSV and JSON, and an Atom
//! feed (RFC 4287) of their latest changes. The same public rows as the pages — no contact
//! data, nothing before the office accepted it. Cacheable for a minute.

use super::portal::{RequestView, cacheable};
use crate::auth::{self, MaybeCtx};
use crate::error::AppError;
use crate::service::portal::open_rows;
use crate::service::public as svc;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use duban_core::policy::{Action, Object};
use duban_store::public::{PublicFilter, PublicRow};

/// Rows in one download or feed at most.
const MAX_ROWS: i64 = 1000;

async fn published(state: &AppState, ctx: &auth::Ctx) -> Result<Vec<PublicRow>, AppError> {
    ctx.authorize(Action::PublicView, Object::City)?;
    let filter = PublicFilter {
        limit: MAX_ROWS,
        ..Default::default()
    };
    svc::list_published(state, &filter).await
}

/// `GET /public/data/requests.json`
pub async fn requests_json(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
) -> Result<Response, AppError> {
    let rows = published(&state, &ctx).await?;
    Ok(cacheable(
        axum::Json(open_rows(&state.config.public, &rows, ctx.lang)).into_response(),
    ))
}

/// `GET /public/data/requests.csv`
pub async fn requests_csv(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
) -> Result<Response, AppError> {
    let rows = published(&state, &ctx).await?;
    let header = [
        "tracking",
        "category",
        "category_name",
        "description",
        "address",
        "lat",
        "long",
        "status",
        "notes",
        "requested_at",
        "updated_at",
    ];
    let cells: Vec<Vec<String>> = open_rows(&state.config.public, &rows, ctx.lang)
        .into_iter()
        .map(|r| {
            vec![
                r.tracking,
                r.category,
                r.category_name,
                r.description,
                r.address,
                r.lat.map(|v| v.to_string()).unwrap_or_default(),
                r.long.map(|v| v.to_string()).unwrap_or_default(),
                r.status.to_string(),
                r.notes,
                r.requested_at,
                r.updated_at,
            ]
        })
        .collect();
    let bytes = duban_docs::public::write_csv(&header, &cells);
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"public-requests.csv\""),
    );
    Ok(cacheable(res))
}

/// One entry of the feed: a published report's latest state, or a commitment's public moment.
pub struct FeedEntry {
    pub id: String,
    pub title: String,
    /// The portal page (a path under `/public`).
    pub path: String,
    pub summary: String,
    /// RFC 3339, UTC.
    pub updated: String,
    at: jiff::Timestamp,
}

#[derive(Template)]
#[template(path = "public/feed.xml")]
struct Feed {
    ctx: auth::Ctx,
    /// The site's address (`https://…`, no trailing slash) or empty for relative links.
    base: String,
    updated: String,
    entries: Vec<FeedEntry>,
}

/// Entries in the feed at most.
const FEED_ENTRIES: usize = 50;

/// `GET /public/feed.atom` — the 50 newest changes: published reports (each with its current
/// public status) and commitments signed, amended, reported on and judged.
pub async fn feed(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
) -> Result<Response, AppError> {
    ctx.authorize(Action::PublicView, Object::City)?;
    let rows = svc::list_published(
        &state,
        &PublicFilter {
            by_update: true,
            limit: FEED_ENTRIES as i64,
            ..Default::default()
        },
    )
    .await?;
    let mut entries: Vec<FeedEntry> = rows
        .iter()
        .map(|r| {
            let v = RequestView::new(r, &state.config.public, ctx.lang, &state.config.timezone);
            let mut summary = v.description.clone();
            if !v.notes.is_empty() {
                summary.push_str(&format!("\n{}: {}", ctx.t("portal.reply"), v.notes));
            }
            FeedEntry {
                id: format!("urn:duban:public-request:{}", v.tracking),
                title: format!("{} · {} · {}", ctx.t(&v.status_key), v.category, v.tracking),
                path: format!("/public/requests/{}", v.tracking),
                summary,
                updated: rfc3339(r.updated_at),
                at: r.updated_at,
            }
        })
        .collect();
    let moments =
        crate::service::portal::commitment_moments(&state, ctx.lang, FEED_ENTRIES as i64).await?;
    entries.extend(moments.into_iter().map(|m| FeedEntry {
        id: m.id,
        title: m.title,
        path: m.path,
        summary: m.summary,
        updated: rfc3339(m.at),
        at: m.at,
    }));
    entries.sort_by_key(|e| std::cmp::Reverse(e.at));
    entries.truncate(FEED_ENTRIES);
    let updated = entries
        .first()
        .map_or(jiff::Timestamp::UNIX_EPOCH, |e| e.at);
    let feed = Feed {
        ctx,
        base: state
            .config
            .notify
            .public_url
            .trim_end_matches('/')
            .to_string(),
        updated: rfc3339(updated),
        entries,
    };
    let mut res = feed.render()?.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    Ok(cacheable(res))
}

/// `2026-11-24T08:00:00Z` (seconds, UTC), the form Atom's date constructs take.
fn rfc3339(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `GET /public/data/commitments.json` — this year's published commitments with every signed
/// version (open data; no contact data).
pub async fn commitments_json(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
) -> Result<Response, AppError> {
    ctx.authorize(Action::PublicView, Object::City)?;
    let list = crate::service::commitments::public::list_published(
        &state,
        &crate::service::commitments::public::PublicQuery {
            year: None,
            committer: None,
            unit: None,
        },
    )
    .await?;
    Ok(cacheable(axum::Json(list).into_response()))
}

/// `GET /public/data/commitments.csv` — one row per published commitment (its version in
/// force), for spreadsheets.
pub async fn commitments_csv(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
) -> Result<Response, AppError> {
    ctx.authorize(Action::PublicView, Object::City)?;
    let list = crate::service::commitments::public::list_published(
        &state,
        &crate::service::commitments::public::PublicQuery {
            year: None,
            committer: None,
            unit: None,
        },
    )
    .await?;
    let header = [
        "id",
        "year",
        "committer",
        "title",
        "unit",
        "commitment",
        "target",
        "deadline",
        "state",
        "light",
        "progress",
        "version",
        "signed_sha256",
        "evaluation_mean",
    ];
    let cells: Vec<Vec<String>> = list
        .into_iter()
        .map(|c| {
            vec![
                c.id.to_string(),
                c.year.to_string(),
                c.committer_name,
                c.committer_title,
                c.unit_name.unwrap_or_default(),
                c.current.title,
                c.current.target_text,
                c.current.deadline,
                c.state,
                c.light.unwrap_or_default(),
                format!("{:.1}", c.progress),
                c.current.number.to_string(),
                c.current.signed_hash,
                c.evaluation
                    .mean
                    .map(|m| format!("{m:.1}"))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let bytes = duban_docs::public::write_csv(&header, &cells);
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"public-commitments.csv\""),
    );
    Ok(cacheable(res))
}
