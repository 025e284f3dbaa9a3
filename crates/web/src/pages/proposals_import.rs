//! The hand-out sheet (建议提案交办表) on screen: the upload form, the row-by-row preview with
//! every problem named by row and column, and the commit button. The role decides what the
//! sheet does (`service::proposals::handout::Mode`): the NPC / CPPCC office registers its
//! rows, the government office hands the registered items out. The handlers read the upload
//! (`sheet_upload`) and call `service::proposals::handout::{preview_sheet, commit_sheet}`.

use super::lists_files::unprocessable;
use super::render;
use crate::auth::{CsrfForm, CsrfToken, Ctx};
use crate::error::AppError;
use crate::service::proposals::handout::{self, Mode, Preview};
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
    /// The government office hands out (else an office registers).
    hand_out: bool,
    preview: Option<Preview>,
    error: Option<String>,
}

impl ImportPage {
    fn kind_label(&self) -> &'static str {
        match &self.preview {
            Some(Preview::Register(p)) if p.kind == duban_core::proposals::kind::Kind::Proposal => {
                "props.proposal"
            }
            _ => "props.suggestion",
        }
    }
}

fn page(ctx: Ctx, preview: Option<Preview>, error: Option<String>) -> Result<Response, AppError> {
    let hand_out = Mode::of(&ctx.actor)? == Mode::HandOut;
    render(ImportPage {
        ctx,
        hand_out,
        preview,
        error,
    })
}

/// `GET /proposals/import` — the upload form (the office of each kind, the government office).
pub async fn import_form(ctx: Ctx) -> Result<Response, AppError> {
    Mode::of(&ctx.actor)?;
    page(ctx, None, None)
}

/// `POST /proposals/import` — keeps the upload and shows what each row will register or how
/// each item will be handed out.
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Extension(csrf): Extension<CsrfToken>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    Mode::of(&ctx.actor)?;
    let upload = read_sheet_upload(form, &csrf, "交办表.xlsx").await?;
    let Some(file) = upload.bytes else {
        let error = Some(ctx.t("props.import_no_file").to_string());
        return unprocessable(page(ctx, None, error));
    };
    match handout::preview_sheet(&state, &ctx.actor, &upload.file_name, &file).await {
        Ok(plan) => page(ctx, Some(plan), None),
        Err(AppError::BadRequest(msg)) | Err(AppError::SheetRefused(msg)) => {
            unprocessable(page(ctx, None, Some(msg)))
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct CommitForm {}

/// `POST /proposals/import/{id}/commit` — registers (or hands out) every row, or none.
pub async fn commit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_f): CsrfForm<CommitForm>,
) -> Result<Response, AppError> {
    let to = match handout::commit_sheet(&state, &ctx.actor, id).await?.0 {
        Mode::Register(_) => "/proposals?state=registered",
        Mode::HandOut => "/proposals?state=handed_out",
    };
    Ok(Redirect::to(to).into_response())
}
