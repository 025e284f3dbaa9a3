//! The hand-out sheet (建议提案交办表) on screen: the office's upload form, the row-by-row
//! preview with every problem named by row and column, and the commit button. The handlers
//! read the upload (`sheet_upload`) and call `service::proposals::import`.

use super::lists_files::unprocessable;
use super::render;
use crate::auth::{CsrfForm, CsrfToken, Ctx};
use crate::error::AppError;
use crate::service::proposals::import::{self, ImportPlan};
use crate::sheet_upload::read_sheet_upload;
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "proposals/import.html")]
struct ImportPage {
    ctx: Ctx,
    plan: Option<ImportPlan>,
    error: Option<String>,
}

impl ImportPage {
    fn kind_label(&self) -> &'static str {
        match self.plan.as_ref().map(|p| p.kind) {
            Some(duban_core::proposals::kind::Kind::Proposal) => "props.proposal",
            _ => "props.suggestion",
        }
    }
}

fn page(ctx: Ctx, plan: Option<ImportPlan>, error: Option<String>) -> Result<Response, AppError> {
    render(ImportPage { ctx, plan, error })
}

/// `GET /proposals/import` — the upload form (the office of each kind).
pub async fn import_form(ctx: Ctx) -> Result<Response, AppError> {
    import::office_kind(&ctx.actor)?;
    page(ctx, None, None)
}

/// `POST /proposals/import` — keeps the upload and shows what each row will register.
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Extension(csrf): Extension<CsrfToken>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    import::office_kind(&ctx.actor)?;
    let upload = read_sheet_upload(form, &csrf, "交办表.xlsx").await?;
    let Some(file) = upload.bytes else {
        let error = Some(ctx.t("props.import_no_file").to_string());
        return unprocessable(page(ctx, None, error));
    };
    match import::preview(&state, &ctx.actor, &upload.file_name, &file).await {
        Ok(plan) => page(ctx, Some(plan), None),
        Err(AppError::BadRequest(msg)) | Err(AppError::SheetRefused(msg)) => {
            unprocessable(page(ctx, None, Some(msg)))
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct CommitForm {}

/// `POST /proposals/import/{id}/commit` — registers every row, or none.
pub async fn commit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_f): CsrfForm<CommitForm>,
) -> Result<Response, AppError> {
    import::office_kind(&ctx.actor)?;
    import::commit(&state, &ctx.actor, id).await?;
    Ok(Redirect::to("/proposals?state=registered").into_response())
}
