//! Spreadsheets on screen: upload a unit's list (.xlsx), see the preview with every row's
//! parsed values beside the raw cells and every problem, commit all or nothing; export any
//! filtered list as .xlsx or CSV.

use super::render;
use crate::auth::{CsrfForm, CsrfToken, Ctx, constant_time_eq};
use crate::error::AppError;
use crate::service::lists::export;
use crate::service::lists::import::{self, ImportPlan};
use crate::service::lists::view::{self, TaskListQuery};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::lists::ListKind;
use duban_docs::lists::MAX_FILE_BYTES;
use duban_store::imports;

#[derive(Template)]
#[template(path = "lists/import.html")]
struct ImportPage {
    ctx: Ctx,
    year: i16,
    kinds: [ListKind; 4],
    error: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct YearQuery {
    year: Option<i16>,
}

pub async fn import_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    super::lists::authorize_list_writer(&ctx)?;
    let year = q.year.unwrap_or(state.today().year());
    render(ImportPage {
        ctx,
        year,
        kinds: ListKind::ALL,
        error: None,
    })
}

#[derive(Template)]
#[template(path = "lists/preview.html")]
struct PreviewPage {
    ctx: Ctx,
    upload_id: i64,
    file_name: String,
    year: i16,
    plan: ImportPlan,
    /// Rows shown: every row with a problem, and the first rows without.
    shown: Vec<usize>,
}

impl PreviewPage {
    fn zh(&self) -> bool {
        self.ctx.lang.code() != "en"
    }

    fn row(&self, i: &usize) -> &import::PlannedRow {
        &self.plan.rows[*i]
    }

    fn is_update(&self, i: &usize) -> bool {
        matches!(self.plan.rows[*i].action, import::RowAction::Update(_))
    }

    fn is_unchanged(&self, i: &usize) -> bool {
        matches!(self.plan.rows[*i].action, import::RowAction::Unchanged(_))
    }

    fn due(&self, i: &usize) -> String {
        match self.plan.rows[*i].sheet.due {
            Some(d) => super::lists::due_text(&self.ctx, Some(d)),
            None => "—".into(),
        }
    }

    /// The deadline cell as written, shown beside the parsed value.
    fn raw_due(&self, i: &usize) -> String {
        self.plan.rows[*i]
            .sheet
            .raw
            .iter()
            .find(|(c, _)| *c == duban_docs::lists::Column::Deadline)
            .map(|(_, raw)| raw.clone())
            .unwrap_or_default()
    }
}

/// Reads the multipart upload: the CSRF field, the year, the default list kind and the file.
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Extension(csrf): Extension<CsrfToken>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    super::lists::authorize_list_writer(&ctx)?;
    let mut form = form.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let (mut token, mut year, mut kind, mut file, mut name) =
        (String::new(), None, None, None, String::new());
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?
    {
        match field.name().unwrap_or_default() {
            "_csrf" => token = field.text().await.unwrap_or_default(),
            "year" => {
                year = field
                    .text()
                    .await
                    .ok()
                    .and_then(|y| y.trim().parse::<i16>().ok())
            }
            "list_kind" => kind = field.text().await.ok().and_then(|k| ListKind::parse(&k)),
            "file" => {
                name = field.file_name().unwrap_or("upload.xlsx").to_string();
                let bytes = field.bytes().await.map_err(|e| {
                    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                        AppError::TooLarge
                    } else {
                        AppError::BadRequest(e.body_text())
                    }
                })?;
                file = Some(bytes);
            }
            _ => {}
        }
    }
    if csrf.0.is_empty() || !constant_time_eq(token.as_bytes(), csrf.0.as_bytes()) {
        return Err(AppError::CsrfMismatch);
    }
    let year = year.unwrap_or(state.today().year());
    let Some(file) = file.filter(|f| !f.is_empty()) else {
        return import_error(ctx, year, "lists.import_no_file");
    };
    let mut tx = state.store.begin_write().await?;
    let plan =
        match import::plan(&mut tx, &ctx.actor, &file, year, kind, &state.config.sheets).await {
            Ok(p) => p,
            Err(AppError::BadRequest(msg)) => return form_with_error(ctx, year, msg),
            Err(AppError::SheetRefused(msg)) => {
                return unprocessable(form_with_error(ctx, year, msg));
            }
            Err(e) => return Err(e),
        };
    let id = imports::insert_upload(
        &mut tx,
        ctx.actor.user,
        &name,
        &file,
        year,
        kind.map(|k| k.as_str()),
        state.now(),
    )
    .await?;
    imports::purge_uploads(&mut tx, state.now() - jiff::SignedDuration::from_hours(24)).await?;
    tx.commit().await?;
    let shown = shown_rows(&plan);
    render(PreviewPage {
        ctx,
        upload_id: id,
        file_name: name,
        year,
        plan,
        shown,
    })
}

fn form_with_error(ctx: Ctx, year: i16, error: String) -> Result<Response, AppError> {
    render(ImportPage {
        ctx,
        year,
        kinds: ListKind::ALL,
        error: Some(error),
    })
}

/// An upload form shown again with a sheet's refusal beside the file field, as a 422.
pub(super) fn unprocessable(page: Result<Response, AppError>) -> Result<Response, AppError> {
    page.map(|mut res| {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        res
    })
}

fn import_error(ctx: Ctx, year: i16, key: &str) -> Result<Response, AppError> {
    let error = Some(ctx.t(key).to_string());
    render(ImportPage {
        ctx,
        year,
        kinds: ListKind::ALL,
        error,
    })
}

/// Problem rows first in sheet order, then up to 300 rows in all (big sheets stay quick).
fn shown_rows(plan: &ImportPlan) -> Vec<usize> {
    let mut shown: Vec<usize> = (0..plan.rows.len())
        .filter(|i| !plan.rows[*i].problems.is_empty())
        .collect();
    for i in 0..plan.rows.len() {
        if shown.len() >= 300 {
            break;
        }
        if plan.rows[i].problems.is_empty() {
            shown.push(i);
        }
    }
    shown.sort_unstable();
    shown
}

/// A form whose only field is the CSRF token.
#[derive(serde::Deserialize)]
pub struct NoFields {}

/// Commits an upload: the same bytes are planned again and written in one transaction.
pub async fn commit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, AppError> {
    super::lists::authorize_list_writer(&ctx)?;
    let (created, _) = import::commit_upload(&state, &ctx.actor, id).await?;
    Ok(Redirect::to(&format!("/lists?imported={created}")).into_response())
}

fn state_label(ctx: &Ctx) -> impl Fn(&str) -> String + '_ {
    move |s| ctx.t(&format!("task_state.{s}")).to_string()
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TaskListQuery>,
) -> Result<Response, AppError> {
    export(&state, &ctx, &q, false).await
}

pub async fn export_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TaskListQuery>,
) -> Result<Response, AppError> {
    export(&state, &ctx, &q, true).await
}

/// The filtered list (in the reader's scope) as a download.
async fn export(
    state: &AppState,
    ctx: &Ctx,
    q: &TaskListQuery,
    csv: bool,
) -> Result<Response, AppError> {
    let year = q.year.unwrap_or(state.today().year());
    let filter = q.to_filter(state.today(), &ctx.actor)?;
    let tasks = view::export_tasks(state, &ctx.actor, filter).await?;
    Ok(if csv {
        let bytes = export::csv(&tasks, state_label(ctx));
        download(
            bytes,
            &format!("tasks-{year}.csv"),
            "text/csv; charset=utf-8",
        )
    } else {
        let bytes = export::xlsx(
            &format!("{year}年重点工作任务清单"),
            &tasks,
            state_label(ctx),
        )?;
        let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        download(bytes, &format!("tasks-{year}.xlsx"), xlsx)
    })
}

pub fn download(bytes: Vec<u8>, file_name: &str, content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The body limit of the upload route: the largest accepted file plus the form around it.
pub const UPLOAD_LIMIT: usize = MAX_FILE_BYTES + 64 * 1024;
