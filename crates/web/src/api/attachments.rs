//! Evidence files over the API: upload (multipart), then name the returned ids where a step
//! or report takes `attachment_ids`. Download with `GET /api/v1/attachments/{id}` (and
//! `/thumb`), or the `url` a listing gives (`/attachments/{id}`, which takes tokens too).

use super::ApiPath;
use crate::auth::ApiUser;
use crate::error::{ApiError, AppError, FieldError};
use crate::service::attachments::{self as svc, AttachmentRef};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
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
    duban_core::policy::decide(
        &api.actor,
        duban_core::policy::Action::UploadFile,
        duban_core::policy::Object::City,
    )
    .map_err(AppError::from)?;
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

/// Downloads an evidence file: allowed exactly when the caller may read what it is attached
/// to (the progress report — a draft only inside its unit —, the case, the task), or uploaded
/// it. Photos are sent `inline`, documents as `attachment`; `If-None-Match` with the ETag
/// answers 304.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "attachments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "attachment id")),
    responses((status = 200, description = "the file, with its type and name"),
        (status = 304, description = "unchanged (If-None-Match)"),
        (status = 401, description = "no valid token or session"),
        (status = 403, description = "attached only to things you may not read"),
        (status = 404, description = "no such attachment, or an upload not yours and not attached")))]
pub async fn download(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    Ok(crate::pages::attachments::serve(&state, &api.actor, id, false, &headers).await?)
}

/// A photo's thumbnail (JPEG, 320 px on the long side), under the same rule as the file.
#[utoipa::path(get, path = "/api/v1/attachments/{id}/thumb", tag = "attachments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "attachment id")),
    responses((status = 200, description = "the thumbnail (image/jpeg)"),
        (status = 304, description = "unchanged (If-None-Match)"),
        (status = 401, description = "no valid token or session"),
        (status = 403, description = "attached only to things you may not read"),
        (status = 404, description = "no such attachment, or no thumbnail (not a photo)")))]
pub async fn thumb(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    Ok(crate::pages::attachments::serve(&state, &api.actor, id, true, &headers).await?)
}
