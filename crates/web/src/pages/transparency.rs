//! The transparency log's public key, for anyone to pin and check signed tree heads with.

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The Ed25519 public key as PEM (SubjectPublicKeyInfo, readable by OpenSSL).
pub async fn public_key(State(state): State<AppState>) -> Result<Response, AppError> {
    let pem = crate::transparency::public_key_pem(&state).ok_or(AppError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], pem).into_response())
}
