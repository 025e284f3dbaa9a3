//! What the benches share: one runtime, a fresh SQLite store, credentials made in the store
//! (an API token, a signed-in browser's cookies), and requests through the whole router
//! in-process.
#![allow(dead_code, reason = "each bench binary uses a part")]

pub mod city;
pub mod joint;
pub mod proposals;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use divan::Bencher;
use duban_core::org::UserId;
use duban_store::{Audit, Store, accounts};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;
use tempfile::TempDir;
use tower::ServiceExt;

/// One runtime for set-up and benches; SQLite work happens on sqlx's own threads anyway.
pub static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
});

/// A migrated SQLite file in a fresh temporary directory, with the CLI's default pool size.
pub async fn fresh_store() -> (TempDir, Store) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
    let store = Store::connect(&url, 8).await.expect("SQLite opens");
    store.migrate().await.expect("migrations apply");
    (dir, store)
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// 256 random bits as hex, like the tokens the app hands out.
pub fn random_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

pub async fn user_id(store: &Store, username: &str) -> UserId {
    let mut tx = store.begin_read().await.expect("a read transaction");
    accounts::find_user_for_login(&mut tx, username)
        .await
        .expect("the user query runs")
        .unwrap_or_else(|| panic!("the demo has the account `{username}`"))
        .user_id()
}

/// An API token of `username`, stored (as its hash) the way `/account/tokens` stores one.
pub async fn api_token(store: &Store, username: &str) -> String {
    let user = user_id(store, username).await;
    let secret = random_secret();
    let mut tx = store.begin_write().await.expect("a write transaction");
    let audit = Audit::new(Some(user), jiff::Timestamp::now());
    accounts::insert_token(
        &mut tx,
        &audit,
        user,
        "bench",
        &sha256_hex(&secret),
        &secret[..8],
    )
    .await
    .expect("the token is stored");
    tx.commit().await.expect("the token commits");
    secret
}

/// A `Cookie` header of a browser signed in as `username` (a session valid for a day) that
/// already holds its CSRF cookie, as every browser after its first page does.
pub async fn session_cookie(store: &Store, username: &str) -> String {
    let user = user_id(store, username).await;
    let secret = random_secret();
    let now = jiff::Timestamp::now();
    let expires = now + jiff::SignedDuration::from_hours(24);
    let mut tx = store.begin_write().await.expect("a write transaction");
    accounts::insert_session(&mut tx, &sha256_hex(&secret), user, now, expires)
        .await
        .expect("the session is stored");
    tx.commit().await.expect("the session commits");
    format!("duban_session={secret}; duban_csrf={}", random_secret())
}

/// One GET through the router; the status and the whole body.
pub async fn send(
    app: &Router,
    uri: &str,
    authorization: Option<&str>,
    cookie: Option<&str>,
) -> (StatusCode, axum::body::Bytes) {
    send_with(app, Method::GET, uri, authorization, cookie, None).await
}

/// One request through the router, with a JSON body if given.
pub async fn send_with(
    app: &Router,
    method: Method,
    uri: &str,
    authorization: Option<&str>,
    cookie: Option<&str>,
    json: Option<&serde_json::Value>,
) -> (StatusCode, axum::body::Bytes) {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(a) = authorization {
        req = req.header(header::AUTHORIZATION, a);
    }
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let body = match json {
        Some(v) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    let req = req.body(body).expect("a valid request");
    let res = app
        .clone()
        .oneshot(req)
        .await
        .expect("the router is infallible");
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .expect("the body is read");
    (status, body)
}

/// Benches one GET as a client holding `authorization` or `cookie`; the body is read in full
/// inside the timed part.
pub fn bench_get(
    bencher: Bencher,
    app: &Router,
    uri: &str,
    authorization: Option<&str>,
    cookie: Option<&str>,
) {
    bencher.bench_local(|| {
        RUNTIME.block_on(async {
            let (status, body) = send(app, uri, authorization, cookie).await;
            assert_eq!(status, StatusCode::OK);
            body.len()
        })
    });
}
