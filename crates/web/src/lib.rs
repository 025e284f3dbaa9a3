//! duban's HTTP face: server-rendered pages, the `/api/v1` JSON API with its OpenAPI
//! document, sessions, CSRF, i18n, `/healthz` and `/metrics`. Handlers extract, ask
//! `duban_core::policy`, call a service function and render; SQL stays in `duban-store`.
#![forbid(unsafe_code)]

mod api;
mod auth;
mod error;
mod i18n;
mod input;
mod open311;
mod ops;
mod pages;
mod read_cache;
mod service;
mod sheet_upload;
mod state;

pub mod batch;
pub mod demo;
pub mod jobs;
pub mod notify;
pub mod password;
pub mod transparency;

pub use ops::MetricsToken;
pub use service::bulletins::BulletinConfig;
pub use service::public::PublicConfig;
pub use state::{AppState, WebConfig};

/// Every page route as (method, path template): the list the router is built from.
pub fn page_routes() -> Vec<(&'static str, &'static str)> {
    pages::route_list()
}

/// The Open311 GeoReport v2 routes as (method, path template); they answer in the spec's
/// own format, so they are neither pages nor part of the OpenAPI document.
pub fn open311_routes() -> Vec<(&'static str, &'static str)> {
    open311::route_list()
}

/// The OpenAPI document of `/api/v1`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api::openapi()
}

/// Component names two different schemas tried to take in [`openapi`]; empty when sound.
pub fn openapi_schema_clashes() -> Vec<String> {
    api::openapi_schema_clashes()
}

/// Builds the whole application: pages, API, operations endpoints and middleware.
pub fn app(state: AppState) -> axum::Router {
    ops::router(state)
}

/// Serves `app` on an already-bound listener until `shutdown` resolves. Tests bind port 0
/// and read the port back; the CLI binds the configured address.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
