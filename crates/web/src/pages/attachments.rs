//! Attachments over HTTP: downloading one (original or thumbnail, authorized through what it
//! is attached to) and reading forms that carry files ([`UploadForm`], also used by the API's
//! upload). A form's files are read as they arrive and refused as soon as one is too large or
//! one too many: they read the raw body, which `DefaultBodyLimit` does not limit, so memory
//! stays bounded by the attachment limits instead of the (small) global body limit.

use crate::auth::{ApiUser, CsrfToken, Ctx, constant_time_eq};
use crate::error::{ApiError, AppError};
use crate::service::attachments::{self as svc, Upload, too_large, too_many};
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// Who asks for a file at `/attachments/{id}`: an API client with a bearer token (errors as
/// `application/problem+json`), or a browser with a session (else sent to sign in). The URL
/// the API hands out for a file is this one, so tokens must open it.
pub struct Downloader {
    actor: duban_core::policy::Actor,
    api: bool,
}

impl FromRequestParts<AppState> for Downloader {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if crate::auth::bearer(&parts.headers).is_some() {
            let api = ApiUser::from_request_parts(parts, state)
                .await
                .map_err(IntoResponse::into_response)?;
            return Ok(Downloader {
                actor: api.actor,
                api: true,
            });
        }
        let ctx = Ctx::from_request_parts(parts, state).await?;
        Ok(Downloader {
            actor: ctx.actor,
            api: false,
        })
    }
}

impl Downloader {
    fn answer(&self, result: Result<Response, AppError>) -> Response {
        match result {
            Ok(res) => res,
            Err(e) if self.api => ApiError(e).into_response(),
            Err(e) => e.into_response(),
        }
    }
}

/// `GET /attachments/{id}`: the original file.
pub async fn download(
    State(state): State<AppState>,
    who: Downloader,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    who.answer(serve(&state, &who.actor, id, false, &headers).await)
}

/// `GET /attachments/{id}/thumb`: a photo's thumbnail (JPEG).
pub async fn thumb(
    State(state): State<AppState>,
    who: Downloader,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    who.answer(serve(&state, &who.actor, id, true, &headers).await)
}

/// The file (or its thumbnail) if `actor` may read it, with headers that keep it from running
/// in our origin; `304` when the browser's copy is current. Shared with the API's route.
pub(crate) async fn serve(
    state: &AppState,
    actor: &duban_core::policy::Actor,
    id: i64,
    thumb: bool,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    let (a, name) = svc::load_for_download(state, actor, id).await?;
    // The content never changes under its hash; the answer may (scope), hence `private`.
    let etag = format!("\"{}{}\"", a.sha256, if thumb { "-t" } else { "" });
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut res = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let bytes = svc::read_content(state, &a, thumb).await?;
        let (mime, name, inline) = if thumb {
            ("image/jpeg".to_string(), format!("thumb-{name}.jpg"), true)
        } else {
            // Photos open in the browser; documents are saved, never rendered in our origin.
            let inline = a.kind == duban_core::attachments::Kind::Image;
            (a.mime.clone(), name, inline)
        };
        let mut res = bytes.into_response();
        let h = res.headers_mut();
        h.insert(header::CONTENT_TYPE, value(&mime));
        h.insert(
            header::CONTENT_DISPOSITION,
            value(&disposition(&name, inline)),
        );
        res
    };
    let h = res.headers_mut();
    h.insert(header::ETAG, value(&etag));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(res)
}

fn value(s: &str) -> HeaderValue {
    HeaderValue::from_str(s)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"))
}

/// `attachment; filename="<ASCII>"; filename*=UTF-8''<percent-encoded>` (RFC 6266): old
/// clients get an ASCII name, the rest the real one.
fn disposition(name: &str, inline: bool) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let kind = if inline { "inline" } else { "attachment" };
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The text fields and files of a `multipart/form-data` body, read as it arrives: each file
/// at most `limits.max_file_bytes`, at most `limits.max_files` files, text at most
/// `max_text` bytes in all. A file input left empty (no name, no bytes) is skipped.
pub async fn read_multipart(
    headers: &HeaderMap,
    body: axum::body::Body,
    limits: duban_core::attachments::Limits,
    max_text: usize,
) -> Result<(Vec<(String, String)>, Vec<Upload>), AppError> {
    let boundary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| multer::parse_boundary(ct).ok())
        .ok_or_else(|| AppError::BadRequest("expected a multipart/form-data body".into()))?;
    let mut form = multer::Multipart::new(body.into_data_stream(), boundary);
    let (mut fields, mut files) = (Vec::new(), Vec::new());
    let mut text_bytes = 0usize;
    let malformed = |e: multer::Error| AppError::BadRequest(format!("malformed form: {e}"));
    while let Some(mut field) = form.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_string();
        let Some(file_name) = field.file_name().map(str::to_string) else {
            let mut text = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                text_bytes += chunk.len();
                if text_bytes > max_text {
                    return Err(AppError::TooLarge);
                }
                text.extend_from_slice(&chunk);
            }
            let text = String::from_utf8(text)
                .map_err(|_| AppError::BadRequest(format!("field {name} is not UTF-8")))?;
            fields.push((name, text));
            continue;
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(malformed)? {
            if (bytes.len() + chunk.len()) as u64 > limits.max_file_bytes {
                return Err(too_large(&file_name, limits.max_file_bytes));
            }
            bytes.extend_from_slice(&chunk);
        }
        if file_name.is_empty() && bytes.is_empty() {
            continue;
        }
        if files.len() >= limits.max_files {
            return Err(too_many(&file_name, limits.max_files));
        }
        crate::input::check_file_name(&file_name)?;
        files.push(Upload {
            file_name,
            bytes: bytes.into(),
        });
    }
    crate::input::check_pairs(&fields)?;
    Ok((fields, files))
}

/// A page form that may carry files: `multipart/form-data` (fields and files) or a plain
/// form (fields only). The hidden `_csrf` field must match this browser's CSRF cookie. A plain
/// form is limited to `max_body_bytes` like any other; files to the attachment limits.
pub struct UploadForm<T> {
    pub fields: T,
    pub files: Vec<Upload>,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for UploadForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let expected = req
            .extensions()
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        let is_multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        let max_text = state.config.max_body_bytes;
        let (pairs, files) = if is_multipart {
            let (parts, body) = req.into_parts();
            read_multipart(&parts.headers, body, state.config.attachments, max_text).await?
        } else {
            let bytes = axum::body::to_bytes(req.into_body(), max_text)
                .await
                .map_err(|_| AppError::TooLarge)?;
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            crate::input::check_pairs(&pairs)?;
            (pairs, Vec::new())
        };
        let token = pairs
            .iter()
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        if expected.is_empty() || !constant_time_eq(token.as_bytes(), expected.as_bytes()) {
            return Err(AppError::CsrfMismatch);
        }
        // One parser for both encodings: the pairs go through the urlencoded deserializer.
        let encoded =
            serde_urlencoded::to_string(&pairs).map_err(|e| AppError::BadRequest(e.to_string()))?;
        let fields = serde_urlencoded::from_str(&encoded)
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
        Ok(UploadForm { fields, files })
    }
}

#[cfg(test)]
mod tests {
    use super::disposition;

    #[test]
    fn a_chinese_file_name_is_offered_encoded_with_an_ascii_fallback() {
        assert_eq!(
            disposition("现场 1.jpg", true),
            "inline; filename=\"___1.jpg\"; filename*=UTF-8''%E7%8E%B0%E5%9C%BA%201.jpg"
        );
        assert!(disposition("a\"b.pdf", false).starts_with("attachment; filename=\"a_b.pdf\""));
    }
}
