//! The supervision office's intake queue (受理台) of public reports: read one with its contact
//! data and photo, accept it into the closed loop (a case registered with source `public`) or
//! reject it with a reason the citizen reads, and publish a reply.

use super::{Notice, render};
use crate::auth::{CsrfForm, Ctx};
use crate::error::{AppError, FieldError};
use crate::service::public::{self as svc, AcceptInput};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::policy::{Action, Object};
use duban_core::public::Moderation;
use duban_store::public::PublicRequest;

/// A report as the office reads it.
pub struct IntakeView {
    pub id: i64,
    pub tracking: String,
    pub channel: &'static str,
    pub category: String,
    pub description: String,
    pub address: String,
    pub position: Option<String>,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub media_url: String,
    pub has_photo: bool,
    pub moderation: &'static str,
    pub status_key: String,
    pub reason: String,
    pub public_reply: String,
    pub case_id: Option<i64>,
    pub created: String,
}

fn view(state: &AppState, ctx: &Ctx, r: &PublicRequest) -> IntakeView {
    IntakeView {
        id: r.id,
        tracking: r.tracking.clone(),
        channel: r.channel.as_str(),
        category: state.config.public.category_name(&r.category, ctx.lang),
        description: r.description.clone(),
        address: r.address.clone(),
        position: r.position.map(|(lat, long)| format!("{lat:.6}, {long:.6}")),
        contact_name: r.contact_name.clone(),
        contact_email: r.contact_email.clone(),
        contact_phone: r.contact_phone.clone(),
        media_url: r.media_url.clone(),
        has_photo: r.photo_id.is_some(),
        moderation: r.moderation.as_str(),
        status_key: format!("public_status.{}", r.status().as_str()),
        reason: r.reason.clone(),
        public_reply: r.public_reply.clone(),
        case_id: r.case_id.map(|c| c.0),
        created: r
            .created_at
            .to_zoned(state.config.timezone.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string(),
    }
}

#[derive(Template)]
#[template(path = "intake/index.html")]
struct IndexPage {
    ctx: Ctx,
    tab: &'static str,
    items: Vec<IntakeView>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct IntakeQuery {
    #[serde(default)]
    state: String,
}

/// `GET /intake?state=new|accepted|rejected`
pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<IntakeQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ModerateIntake, Object::City)?;
    let moderation = Moderation::parse(&q.state).unwrap_or(Moderation::New);
    let rows = svc::queue(&state, &ctx.actor, moderation).await?;
    let items = rows.iter().map(|r| view(&state, &ctx, r)).collect();
    render(IndexPage {
        ctx,
        tab: moderation.as_str(),
        items,
    })
}

#[derive(Template)]
#[template(path = "intake/request.html")]
struct RequestPage {
    ctx: Ctx,
    r: IntakeView,
    errors: Vec<FieldError>,
    saved: bool,
}

impl RequestPage {
    fn error(&self, field: &str) -> Option<String> {
        self.ctx.error_for(&self.errors, field)
    }
}

/// `GET /intake/{id}`
pub async fn request(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(notice): Query<Notice>,
) -> Result<Response, AppError> {
    let r = svc::get(&state, &ctx.actor, id).await?;
    let r = view(&state, &ctx, &r);
    render(RequestPage {
        saved: notice.key().is_some(),
        ctx,
        r,
        errors: vec![],
    })
}

async fn with_errors(
    state: &AppState,
    ctx: Ctx,
    id: i64,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let r = svc::get(state, &ctx.actor, id).await?;
    let r = view(state, &ctx, &r);
    let page = RequestPage {
        ctx,
        r,
        errors,
        saved: false,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
}

/// `POST /intake/{id}/accept` — registers the case and opens it.
pub async fn accept(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<AcceptInput>,
) -> Result<Response, AppError> {
    match svc::accept(&state, &ctx.actor, id, &f).await {
        Ok(case) => Ok(Redirect::to(&format!("/cases/{}", case.0)).into_response()),
        Err(AppError::Invalid(errors)) => with_errors(&state, ctx, id, errors).await,
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

/// `POST /intake/{id}/reject`
pub async fn reject(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ReasonForm>,
) -> Result<Response, AppError> {
    match svc::reject(&state, &ctx.actor, id, &f.reason).await {
        Ok(()) => Ok(Redirect::to(&format!("/intake/{id}?ok=saved")).into_response()),
        Err(AppError::Invalid(errors)) => with_errors(&state, ctx, id, errors).await,
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    public_reply: String,
}

/// `POST /intake/{id}/reply`
pub async fn reply(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ReplyForm>,
) -> Result<Response, AppError> {
    match svc::reply(&state, &ctx.actor, id, &f.public_reply).await {
        Ok(()) => Ok(Redirect::to(&format!("/intake/{id}?ok=saved")).into_response()),
        Err(AppError::Invalid(errors)) => with_errors(&state, ctx, id, errors).await,
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct PhotoQuery {
    #[serde(default)]
    thumb: Option<String>,
}

/// `GET /intake/{id}/photo` — the report's photo (`?thumb=1`: its thumbnail), for the office.
pub async fn photo(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<PhotoQuery>,
) -> Result<Response, AppError> {
    let (a, bytes) = svc::photo(&state, &ctx.actor, id, q.thumb.is_some()).await?;
    let mime = if q.thumb.is_some() && a.has_thumb {
        "image/jpeg".to_string()
    } else {
        a.mime
    };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&mime)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(res)
}
