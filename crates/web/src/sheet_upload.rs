//! The one way a page reads a sheet sent from an upload form (`multipart/form-data` with the
//! hidden `_csrf` field and a `file` part): the problem list, the duty list and the hand-out
//! sheet use it. Handlers authorize first and read the body after, so a refused user's upload
//! is never read; what the sheet says is the sheet readers' business (`duban_docs`).

use crate::auth::{CsrfToken, constant_time_eq};
use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;

/// What an upload form sent.
pub struct SheetUpload {
    /// The file's name as sent, or the form's default.
    pub file_name: String,
    /// The file; `None` when no file (or an empty one) was chosen.
    pub bytes: Option<Bytes>,
}

/// Reads the form and checks its `_csrf` field against this browser's token: a body past the
/// route's limit is 413, a malformed one 400, a token that does not match 403.
pub async fn read_sheet_upload(
    form: Result<Multipart, MultipartRejection>,
    csrf: &CsrfToken,
    default_name: &str,
) -> Result<SheetUpload, AppError> {
    let mut form = form.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let (mut token, mut bytes, mut file_name) = (String::new(), None, default_name.to_string());
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?
    {
        match field.name().unwrap_or_default() {
            "_csrf" => token = field.text().await.unwrap_or_default(),
            "file" => {
                if let Some(name) = field.file_name().filter(|n| !n.is_empty()) {
                    file_name = name.to_string();
                }
                bytes = Some(field.bytes().await.map_err(|e| {
                    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                        AppError::TooLarge
                    } else {
                        AppError::BadRequest(e.body_text())
                    }
                })?);
            }
            _ => {}
        }
    }
    if csrf.0.is_empty() || !constant_time_eq(token.as_bytes(), csrf.0.as_bytes()) {
        return Err(AppError::CsrfMismatch);
    }
    Ok(SheetUpload {
        file_name,
        bytes: bytes.filter(|b| !b.is_empty()),
    })
}
