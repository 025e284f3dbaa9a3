//! Evidence files over the API: upload (multipart), then name the returned ids where a step
//! or report takes `attachment_ids`. Downloads are `GET /attachments/{id}` (and `/thumb`).

use crate::auth::ApiUser;
use crate::error::{ApiError, AppError, FieldError};
use crate::service::attachments::{self as svc, AttachmentRef};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Uploaded {
    /// One per file, in the order sent.
    pub attachments: Vec<AttachmentRef>,
}

/// Uploads evidence files: `multipart/form-data` with one or more `files` parts (photos as
/// JPEG/PNG/WebP, PDF, .docx/.xlsx/.pptx, .doc/.xls/.ppt; the type is read from the content).
/// Each is stored once per content and recorded in the ledger with its SHA-256. Until linked
/// to a step or report, only the uploader may download or link it.
#[utoipa::path(post, path = "/api/v1/attachments", tag = "attachments", security(("bearer" = [])),
    request_body(content = Object, content_type = "multipart/form-data", description = "parts named `files`"),
    responses((status = 201, body = Uploaded),
        (status = 413, description = "a file over the size limit (the problem names it)"),
        (status = 422, description = "a file of a type not accepted, an unreadable image, too many files, or none (the problem names the file)")))]
pub async fn upload(
    State(state): State<AppState>,
    api: ApiUser,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Result<(StatusCode, Json<Uploaded>), ApiError> {
    let (_, files) = crate::pages::attachments::read_multipart(
        &headers,
        body,
        state.config.attachments,
        state.config.max_body_bytes,
    )
    .await?;
    if files.is_empty() {
        return Err(AppError::Invalid(vec![FieldError::new("files", "empty")]).into());
    }
    let audit = crate::service::audit(&state, &api.actor);
    let mut tx = state.store.begin_write().await?;
    let mut attachments = Vec::with_capacity(files.len());
    for f in &files {
        attachments.push(
            svc::save_upload(&state, &mut tx, &api.actor, &audit, &f.file_name, &f.bytes).await?,
        );
    }
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Uploaded { attachments })))
}
