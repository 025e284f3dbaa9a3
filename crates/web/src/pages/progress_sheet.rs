//! The monthly progress sheet on pages: download it pre-filled, upload it, see every row's
//! problems, then send all rows at once.

use super::render;
use crate::auth::{CsrfForm, CsrfToken, Ctx, constant_time_eq};
use crate::error::AppError;
use crate::service::progress::sheet::{self, ImportPlan};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::policy::{Action, Object, decide};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub async fn export(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let bytes = sheet::export(&state, &ctx.actor).await?;
    Ok(crate::api::file_response(XLSX, "进展报送表.xlsx", bytes).into_response())
}

#[derive(Debug, serde::Deserialize)]
pub struct SummaryQuery {
    /// `2026-11`, `2026-Q4` …; the current period when absent.
    #[serde(default)]
    pub period: Option<String>,
}

/// The 月度进展汇总表: every report of the period the reader may see, on one sheet (in
/// Chinese, like every sheet we exchange).
pub async fn summary(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<SummaryQuery>,
) -> Result<Response, AppError> {
    let zh = state.catalogs.get(crate::i18n::Lang::Zh);
    let label = |s: &str| zh.get(&format!("report_state.{s}")).to_string();
    let bytes = sheet::summary(&state, &ctx.actor, q.period.as_deref(), label).await?;
    Ok(crate::api::file_response(XLSX, "月度进展汇总表.xlsx", bytes).into_response())
}

#[derive(Template)]
#[template(path = "progress/import.html")]
struct ImportPage {
    ctx: Ctx,
    plan: Option<ImportPlan>,
    error: Option<String>,
}

pub async fn import_form(State(_state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    decide(&ctx.actor, Action::ViewTasks, Object::City)?;
    decide(&ctx.actor, Action::UploadFile, Object::City)?;
    render(ImportPage {
        ctx,
        plan: None,
        error: None,
    })
}

pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Extension(csrf): Extension<CsrfToken>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    decide(&ctx.actor, Action::ViewTasks, Object::City)?;
    decide(&ctx.actor, Action::UploadFile, Object::City)?;
    let mut form = form.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let (mut token, mut file, mut name) = (String::new(), None, String::new());
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?
    {
        match field.name().unwrap_or_default() {
            "_csrf" => token = field.text().await.unwrap_or_default(),
            "file" => {
                name = field.file_name().unwrap_or("progress.xlsx").to_string();
                file = Some(field.bytes().await.map_err(|_| AppError::TooLarge)?);
            }
            _ => {}
        }
    }
    if csrf.0.is_empty() || !constant_time_eq(token.as_bytes(), csrf.0.as_bytes()) {
        return Err(AppError::CsrfMismatch);
    }
    let page = |ctx, plan, error| render(ImportPage { ctx, plan, error });
    let Some(file) = file.filter(|f| !f.is_empty()) else {
        let msg = ctx.t("progress.import_no_file").to_string();
        return page(ctx, None, Some(msg));
    };
    match sheet::preview(&state, &ctx.actor, &name, &file).await {
        Ok(plan) => page(ctx, Some(plan), None),
        Err(AppError::BadRequest(why)) => page(ctx, None, Some(why)),
        Err(AppError::SheetRefused(why)) => {
            super::lists_files::unprocessable(page(ctx, None, Some(why)))
        }
        Err(e) => Err(e),
    }
}

pub async fn commit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<super::lists_files::NoFields>,
) -> Result<Response, AppError> {
    sheet::commit(&state, &ctx.actor, id).await?;
    Ok(Redirect::to("/reports?ok=imported").into_response())
}
