//! Assembling the application: routes, middleware (request ids, logging, metrics, body
//! limit, panics, CSRF cookie, error pages), `/healthz`, `/metrics` and the stylesheet.
//!
//! `/metrics` names every route with its traffic, so it is not public: with
//! `server.metrics_token` configured it needs `Authorization: Bearer <token>` (else 401), and
//! without one it answers loopback clients only (else 404, as if there were no such page).

use crate::auth::{self, MaybeCtx};
use crate::error::{ErrorPage, InternalCause};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, MatchedPath, Request, State};
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

/// Prometheus metrics of this process (each process exports its own; the scraper sums).
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RequestLabels, Histogram>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("duban");
        let requests = Family::<RequestLabels, Counter>::default();
        let durations = Family::<RequestLabels, Histogram>::new_with_constructor(|| {
            Histogram::new([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0])
        });
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency",
            durations.clone(),
        );
        Metrics {
            registry,
            requests,
            durations,
        }
    }
}

pub fn router(state: AppState) -> Router {
    let pages = crate::pages::router()
        .fallback(not_found)
        .layer(middleware::from_fn(crate::input::check_query_pages))
        .layer(middleware::from_fn_with_state(state.clone(), error_pages))
        .layer(middleware::from_fn(auth::csrf_cookie));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/static/app.css", get(stylesheet))
        .route("/static/app.js", get(script))
        .route("/static/showcase.js", get(showcase_script))
        .merge(crate::api::router())
        .merge(crate::open311::router())
        .merge(pages)
        .layer(middleware::from_fn(crate::input::check_query_api))
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(CatchPanicLayer::custom(|_| {
            let mut res = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            res.extensions_mut().insert(ErrorPage {
                key: "err.internal",
                field: None,
            });
            res.extensions_mut()
                .insert(InternalCause("handler panicked".into()));
            res
        }))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .with_state(state)
}

/// Logs each request once (with the cause of a 5xx) and counts it.
async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let (mut res, statements) = duban_store::statements::counted(next.run(req)).await;
    let elapsed = start.elapsed();
    // The number of statements the request sent, for the browser's network panel and the
    // tests that keep hot pages free of one query per row.
    if let Ok(v) = HeaderValue::from_str(&format!("db;desc=\"{statements} statements\"")) {
        res.headers_mut().insert("server-timing", v);
    }
    let status = res.status().as_u16();
    let labels = RequestLabels {
        method: method.clone(),
        route: route.clone(),
        status,
    };
    state.metrics.requests.get_or_create(&labels).inc();
    state
        .metrics
        .durations
        .get_or_create(&labels)
        .observe(elapsed.as_secs_f64());
    let duration_ms = elapsed.as_millis() as u64;
    if let Some(InternalCause(cause)) = res.extensions().get::<InternalCause>() {
        tracing::error!(http.method = %method, http.route = %route, http.status = status, request.id = %request_id, duration_ms, db.statements = statements, error = %cause, "request failed");
    } else {
        tracing::info!(http.method = %method, http.route = %route, http.status = status, request.id = %request_id, duration_ms, db.statements = statements, "request");
    }
    res
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    ctx: auth::Ctx,
    status: u16,
    key: &'static str,
    field: Option<String>,
}

/// Renders the error page, in the visitor's language, for page responses marked with
/// [`ErrorPage`].
async fn error_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let headers = req.headers().clone();
    let uri = req.uri().clone();
    let csrf = req.extensions().get::<auth::CsrfToken>().cloned();
    let res = next.run(req).await;
    // axum's own rejections (a path id that is not a number, a wrong method) are plain text:
    // they get the same page as ours.
    let plain = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/plain"));
    // A problem answered to an API client (a bearer token on a download) stays one.
    let problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if problem {
        return res;
    }
    let fallback = match res.status() {
        StatusCode::NOT_FOUND => Some("err.not_found"),
        s if plain && s.is_client_error() => Some("err.bad_request"),
        _ => None,
    };
    let Some(page) = res
        .extensions()
        .get::<ErrorPage>()
        .cloned()
        .or(fallback.map(|key| ErrorPage { key, field: None }))
    else {
        return res;
    };
    // Only now, on an error, is the visitor looked up (for the language and the menu).
    let mut probe = Request::new(());
    *probe.uri_mut() = uri;
    *probe.headers_mut() = headers;
    if let Some(csrf) = csrf {
        probe.extensions_mut().insert(csrf);
    }
    let (mut parts, ()) = probe.into_parts();
    let Ok(MaybeCtx(ctx)) = MaybeCtx::from_request_parts(&mut parts, &state).await else {
        return res;
    };
    let status = res.status();
    match (ErrorTemplate {
        ctx,
        status: status.as_u16(),
        key: page.key,
        field: page.field,
    })
    .render()
    {
        Ok(html) => {
            let mut out = (status, Html(html)).into_response();
            if let Some(cause) = res.extensions().get::<InternalCause>() {
                out.extensions_mut().insert(cause.clone());
            }
            for cookie in res.headers().get_all(header::SET_COOKIE) {
                out.headers_mut().append(header::SET_COOKIE, cookie.clone());
            }
            out
        }
        Err(_) => res,
    }
}

async fn not_found() -> crate::error::AppError {
    crate::error::AppError::NotFound
}

/// Liveness and database reachability.
async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({ "status": "ok", "database": "ok" })),
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({ "status": "error", "database": "unreachable" })),
            )
                .into_response()
        }
    }
}

/// The secret a scraper sends to read `/metrics` (`server.metrics_token`). Only its SHA-256 is
/// kept, and `Debug` shows nothing of it.
#[derive(Clone)]
pub struct MetricsToken(String);

impl MetricsToken {
    pub fn new(secret: &str) -> MetricsToken {
        MetricsToken(auth::sha256_hex(secret))
    }

    /// Compares digests, so the time taken says nothing about the secret.
    fn matches(&self, presented: &str) -> bool {
        auth::sha256_hex(presented) == self.0
    }
}

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(…)")
    }
}

/// What `/metrics` answers a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MetricsAccess {
    Allowed,
    /// 401: a token is configured and was not sent, or not this one.
    NeedsToken,
    /// 404: no token is configured and the client is not on this machine.
    Hidden,
}

/// The rule: a configured token is needed by everyone (this machine too); without one only
/// loopback clients (127.0.0.0/8, ::1, and IPv4-mapped loopback) are served. `client` is the
/// peer address, or the forwarded one behind a trusted proxy; unknown counts as remote.
fn metrics_access(
    token: Option<&MetricsToken>,
    presented: Option<&str>,
    client: Option<IpAddr>,
) -> MetricsAccess {
    match token {
        Some(t) if presented.is_some_and(|p| t.matches(p)) => MetricsAccess::Allowed,
        Some(_) => MetricsAccess::NeedsToken,
        None if client.is_some_and(|ip| ip.to_canonical().is_loopback()) => MetricsAccess::Allowed,
        None => MetricsAccess::Hidden,
    }
}

async fn metrics(State(state): State<AppState>, headers: HeaderMap, ext: Extensions) -> Response {
    let peer = ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let client = peer.and_then(|peer| {
        auth::client_address(&headers, Some(peer), state.config.trust_proxy_headers)
            .parse::<IpAddr>()
            .ok()
    });
    match metrics_access(
        state.config.metrics_token.as_ref(),
        auth::bearer(&headers),
        client,
    ) {
        MetricsAccess::Allowed => {}
        MetricsAccess::NeedsToken => {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "/metrics needs Authorization: Bearer <server.metrics_token>\n",
            )
                .into_response();
        }
        MetricsAccess::Hidden => return StatusCode::NOT_FOUND.into_response(),
    }
    let mut out = String::new();
    if prometheus_client::encoding::text::encode(&mut out, &state.metrics.registry).is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response()
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/app.css"),
    )
        .into_response()
}

/// The pages' one script: a progressive enhancement (problems beside their fields).
async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/app.js"),
    )
        .into_response()
}

/// The 晒拼 screens' script: presenter mode's countdown and keys, the live results' poll.
async fn showcase_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/showcase.js"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use MetricsAccess::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn without_a_token_only_this_machine_reads_the_metrics() {
        for local in ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"] {
            assert_eq!(metrics_access(None, None, ip(local)), Allowed, "{local}");
        }
        for remote in [
            "10.0.0.1",
            "203.0.113.7",
            "::ffff:10.0.0.1",
            "fe80::1",
            "0.0.0.0",
        ] {
            assert_eq!(metrics_access(None, None, ip(remote)), Hidden, "{remote}");
        }
        assert_eq!(
            metrics_access(None, None, None),
            Hidden,
            "unknown is remote"
        );
    }

    #[test]
    fn with_a_token_everyone_needs_it_and_only_it() {
        let t = MetricsToken::new("s3cret");
        assert_eq!(
            metrics_access(Some(&t), Some("s3cret"), ip("203.0.113.7")),
            Allowed
        );
        assert_eq!(metrics_access(Some(&t), None, ip("127.0.0.1")), NeedsToken);
        assert_eq!(
            metrics_access(Some(&t), Some("s3cre"), ip("127.0.0.1")),
            NeedsToken
        );
        assert_eq!(metrics_access(Some(&t), Some(""), None), NeedsToken);
        assert_eq!(format!("{t:?}"), "MetricsToken(…)");
    }
}
