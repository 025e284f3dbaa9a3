//! The public portal under `/public`: no sign-in, Chinese and English, phone first, no
//! third-party requests. Reading pages are cacheable for a minute (`Cache-Control: public`,
//! varying by the language cookie) and never set cookies; the report form is not cached, so it
//! carries this browser's CSRF token. Pages show [`PublicRow`]s only, which have no contact
//! fields.

use super::render;
use crate::auth::{self, CsrfToken, MaybeCtx, constant_time_eq};
use crate::error::{AppError, FieldError};
use crate::i18n::Lang;
use crate::service::attachments::Upload;
use crate::service::portal::{self, PortalItem};
use crate::service::public::{self as svc, PublicConfig};
use crate::state::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::policy::{Action, Object};
use duban_core::public::{Channel, ReportInput};
use duban_store::public::{PublicFilter, PublicRow};
use std::net::SocketAddr;

/// A public row in the reader's words.
pub struct RequestView {
    pub tracking: String,
    pub category: String,
    pub description: String,
    pub address: String,
    pub position: Option<String>,
    /// The catalog key of the public status (`public_status.received` …).
    pub status_key: String,
    pub status: &'static str,
    pub notes: String,
    pub requested: String,
    pub updated: String,
}

impl RequestView {
    pub fn new(
        r: &PublicRow,
        config: &PublicConfig,
        lang: Lang,
        tz: &jiff::tz::TimeZone,
    ) -> RequestView {
        RequestView {
            tracking: r.tracking.clone(),
            category: config.category_name(&r.category, lang),
            description: r.description.clone(),
            address: r.address.clone(),
            position: r.position.map(|(lat, long)| format!("{lat:.5}, {long:.5}")),
            status_key: format!("public_status.{}", r.status.as_str()),
            status: r.status.as_str(),
            notes: r.notes.clone(),
            requested: local(r.requested_at, tz),
            updated: local(r.updated_at, tz),
        }
    }
}

fn local(t: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// Marks a public reading page cacheable for a minute by any cache; the language comes from a
/// cookie, hence `Vary: Cookie`.
pub fn cacheable(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    h.insert(header::VARY, HeaderValue::from_static("Cookie"));
    res
}

/// Marks a page that carries this browser's CSRF token (a form) as never to be stored.
pub fn not_stored(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[derive(Template)]
#[template(path = "public/home.html")]
struct HomePage {
    ctx: auth::Ctx,
    commitments: Vec<PortalItem>,
    projects: Vec<PortalItem>,
    recent: Vec<RequestView>,
}

/// `GET /public`
pub async fn home(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
) -> Result<Response, AppError> {
    ctx.authorize(Action::PublicView, Object::City)?;
    let commitments = portal::leaders_commitments(&state, ctx.lang).await?;
    let projects = portal::livelihood_projects(&state, ctx.lang).await?;
    let rows = svc::list_published(
        &state,
        &PublicFilter {
            limit: 10,
            ..Default::default()
        },
    )
    .await?;
    let recent = rows
        .iter()
        .map(|r| RequestView::new(r, &state.config.public, ctx.lang, &state.config.timezone))
        .collect();
    Ok(cacheable(render(HomePage {
        ctx,
        commitments,
        projects,
        recent,
    })?))
}

#[derive(Template)]
#[template(path = "public/report.html")]
struct ReportPage {
    ctx: auth::Ctx,
    categories: Vec<(String, String)>,
    form: ReportForm,
    errors: Vec<FieldError>,
    max_photo_mb: u64,
}

impl ReportPage {
    fn error(&self, field: &str) -> Option<String> {
        self.ctx.error_for(&self.errors, field)
    }
}

/// The portal's report form as typed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub lat: String,
    #[serde(default)]
    pub long: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

fn report_page(
    state: &AppState,
    ctx: auth::Ctx,
    form: ReportForm,
    errors: Vec<FieldError>,
) -> ReportPage {
    let categories = state
        .config
        .public
        .categories
        .iter()
        .map(|c| {
            (
                c.code.clone(),
                state.config.public.category_name(&c.code, ctx.lang),
            )
        })
        .collect();
    ReportPage {
        ctx,
        categories,
        form,
        errors,
        max_photo_mb: state
            .config
            .attachments
            .max_file_bytes
            .div_ceil(1024 * 1024),
    }
}

/// `GET /public/report` — 我要反映.
pub async fn report_form(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
) -> Result<Response, AppError> {
    ctx.authorize(Action::PublicReport, Object::City)?;
    Ok(not_stored(render(report_page(
        &state,
        ctx,
        ReportForm::default(),
        vec![],
    ))?))
}

/// `POST /public/report` — counted against the rate limits first, then read (a photo at
/// most), CSRF-checked, filed; answers with the tracking page (303) or the form with every
/// problem marked (422).
pub async fn submit_report(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
) -> Result<Response, AppError> {
    ctx.authorize(Action::PublicReport, Object::City)?;
    let address = auth::client_address(req.headers(), Some(peer), state.config.trust_proxy_headers);
    svc::check_rate(&state, &address).await?;
    let expected = req
        .extensions()
        .get::<CsrfToken>()
        .map(|t| t.0.clone())
        .unwrap_or_default();
    let (pairs, mut files) = read_form(&state, req).await?;
    let token = pairs
        .iter()
        .find(|(k, _)| k == "_csrf")
        .map_or("", |(_, v)| v.as_str());
    if expected.is_empty() || !constant_time_eq(token.as_bytes(), expected.as_bytes()) {
        return Err(AppError::CsrfMismatch);
    }
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let form = ReportForm {
        category: field("category"),
        description: field("description"),
        address: field("address"),
        lat: field("lat"),
        long: field("long"),
        email: field("email"),
        phone: field("phone"),
    };
    let input = ReportInput {
        category: &form.category,
        description: &form.description,
        address: &form.address,
        lat: &form.lat,
        long: &form.long,
        email: &form.email,
        phone: &form.phone,
        name: "",
        media_url: "",
    };
    match svc::submit(&state, &ctx.actor, &input, Channel::Portal, files.pop()).await {
        Ok(tracking) => {
            Ok(Redirect::to(&format!("/public/requests/{tracking}?filed=1")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let page = report_page(&state, ctx, form, errors);
            Ok(not_stored(
                (StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response(),
            ))
        }
        Err(e) => Err(e),
    }
}

/// The form's fields and at most one photo, multipart or urlencoded.
async fn read_form(
    state: &AppState,
    req: Request,
) -> Result<(Vec<(String, String)>, Vec<Upload>), AppError> {
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let max_text = 64 * 1024;
    if is_multipart {
        let limits = duban_core::attachments::Limits {
            max_files: 1,
            ..state.config.attachments
        };
        let (parts, body) = req.into_parts();
        super::attachments::read_multipart(&parts.headers, body, limits, max_text).await
    } else {
        let bytes = axum::body::to_bytes(req.into_body(), max_text)
            .await
            .map_err(|_| AppError::TooLarge)?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
        crate::input::check_pairs(&pairs)?;
        Ok((pairs, Vec::new()))
    }
}

#[derive(Template)]
#[template(path = "public/request.html")]
struct RequestPage {
    ctx: auth::Ctx,
    r: RequestView,
    filed: bool,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct FiledQuery {
    #[serde(default)]
    filed: Option<String>,
}

/// `GET /public/requests/{tracking}` — the state of one report in public words.
pub async fn request(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    Path(tracking): Path<String>,
    Query(q): Query<FiledQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::PublicView, Object::City)?;
    let row = svc::track(&state, &tracking).await?;
    let r = RequestView::new(&row, &state.config.public, ctx.lang, &state.config.timezone);
    Ok(cacheable(render(RequestPage {
        ctx,
        r,
        filed: q.filed.is_some(),
    })?))
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct TrackQuery {
    #[serde(default)]
    n: String,
}

/// `GET /public/track?n=…` — the track form's target: on to the report's page.
pub async fn track(
    MaybeCtx(ctx): MaybeCtx,
    Query(q): Query<TrackQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::PublicView, Object::City)?;
    let n = duban_core::public::TrackingNumber::parse(&q.n).ok_or(AppError::NotFound)?;
    Ok(Redirect::to(&format!("/public/requests/{n}")).into_response())
}

#[derive(Template)]
#[template(path = "public/commitment.html")]
struct CommitmentPage {
    ctx: auth::Ctx,
    c: crate::service::commitments::public::PublicCommitment,
    /// Back from the citizens' evaluation form.
    evaluated: bool,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct EvaluatedQuery {
    #[serde(default)]
    evaluated: Option<String>,
}

/// `GET /public/commitments/{id}` — a published commitment: every signed version with its
/// reason, the signed text and its hash (what `duban verify --url … --commitment` checks
/// against the transparency log), progress and light from the linked tasks.
pub async fn commitment(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    Path(id): Path<i64>,
    Query(q): Query<EvaluatedQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::PublicView, Object::City)?;
    let c = crate::service::commitments::public::get_published(&state, id).await?;
    Ok(cacheable(render(CommitmentPage {
        ctx,
        c,
        evaluated: q.evaluated.is_some(),
    })?))
}

/// `GET /public/commitments/{id}.json` — the same, as open data.
pub async fn commitment_json(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::PublicView, Object::City)?;
    let id: i64 = id
        .strip_suffix(".json")
        .and_then(|n| n.parse().ok())
        .ok_or(AppError::NotFound)?;
    let c = crate::service::commitments::public::get_published(&state, id).await?;
    Ok(cacheable(axum::Json(c).into_response()))
}
