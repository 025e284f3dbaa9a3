//! Bulletins (通报) on screen: the list (drafts for the office, issued ones for every unit and
//! leader), one bulletin as it will print — with the office's commentary form and issue
//! button while it is a draft — and its downloads.

use super::{Notice, render};
use crate::auth::{CsrfForm, Ctx};
use crate::error::AppError;
use crate::error::back_with_problem;
use crate::service::bulletins::{self as svc, CommentaryInput, Format, SeriesInput};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::assessment::bulletin::State as BState;
use duban_core::assessment::bulletin::content::UnitItems;
use duban_core::policy::{Action, Object};
use duban_store::bulletins::{Bulletin, Listed, Series};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "assessment/bulletins.html")]
struct ListPage {
    ctx: Ctx,
    rows: Vec<Listed>,
    may_manage: bool,
    series: Option<Series>,
    year: i16,
    suggested: String,
    notice: Option<&'static str>,
    problem: Option<(String, String)>,
}

impl ListPage {
    fn state_name(&self, s: &str) -> String {
        self.ctx.t(&format!("bulletins.state_{s}")).to_string()
    }
    fn cadence_of(&self) -> &str {
        self.series
            .as_ref()
            .and_then(|s| s.schedule)
            .map_or("", |s| s.cadence.as_str())
    }
    fn working_day(&self) -> u8 {
        self.series
            .as_ref()
            .and_then(|s| s.schedule)
            .map_or(3, |s| s.working_day)
    }
}

pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(n): Query<Notice>,
) -> Result<Response, AppError> {
    let rows = svc::list(&state, &ctx.actor).await?;
    let may_manage = ctx.may(Action::ManageBulletins, Object::City);
    let today = state.today();
    let year = today.year();
    let series = if may_manage {
        Some(svc::series(&state, &ctx.actor, year).await?)
    } else {
        None
    };
    // The month just ended is what the office most often reports on.
    let prev = today.first_of_month().yesterday().unwrap_or(today);
    render(ListPage {
        suggested: format!("{}-{:02}", prev.year(), prev.month()),
        problem: n.problem(&ctx),
        notice: n.key(),
        rows,
        may_manage,
        series,
        year,
        ctx,
    })
}

#[derive(Deserialize)]
pub struct GenerateForm {
    #[serde(default)]
    pub period: String,
}

pub async fn generate(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<GenerateForm>,
) -> Result<Response, AppError> {
    match svc::generate(&state, &ctx.actor, &f.period).await {
        Ok(id) => {
            Ok(Redirect::to(&format!("/assessment/bulletins/{id}?ok=created")).into_response())
        }
        Err(e) => back_with_problem("/assessment/bulletins", e),
    }
}

/// The series form as typed (every field optional, so the policy answers before any check).
#[derive(Deserialize)]
pub struct SeriesForm {
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub cadence: String,
    #[serde(default)]
    pub working_day: String,
}

pub async fn set_series(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(year): Path<i16>,
    CsrfForm(f): CsrfForm<SeriesForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageBulletins, Object::City)?;
    let input = SeriesInput {
        prefix: f.prefix,
        cadence: f.cadence,
        // Anything but a small number is refused as out of range.
        working_day: f.working_day.trim().parse().unwrap_or(0),
    };
    match svc::set_series(&state, &ctx.actor, year, &input).await {
        Ok(()) => Ok(Redirect::to("/assessment/bulletins?ok=saved").into_response()),
        Err(e) => back_with_problem("/assessment/bulletins", e),
    }
}

#[derive(Template)]
#[template(path = "assessment/bulletin.html")]
struct ShowPage {
    ctx: Ctx,
    b: Bulletin,
    may_manage: bool,
    notice: Option<&'static str>,
    problem: Option<(String, String)>,
}

impl ShowPage {
    fn draft(&self) -> bool {
        self.b.state == BState::Draft
    }
    fn paragraphs<'a>(&self, text: &'a str) -> Vec<&'a str> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    }
    fn pct(&self, tenths: &i64) -> String {
        format!("{}.{}%", tenths / 10, tenths % 10)
    }
    fn item_lists(&self) -> [(&'static str, &[UnitItems]); 2] {
        [
            ("（一）逾期未完成任务", &self.b.content.overdue),
            ("（二）亮红灯任务", &self.b.content.red),
        ]
    }
    fn number_line(&self) -> String {
        self.b
            .number
            .clone()
            .unwrap_or_else(|| self.ctx.t("bulletins.unnumbered").to_string())
    }
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response, AppError> {
    let b = svc::get(&state, &ctx.actor, id).await?;
    render(ShowPage {
        may_manage: ctx.may(Action::ManageBulletins, Object::City),
        problem: n.problem(&ctx),
        notice: n.key(),
        b,
        ctx,
    })
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<CommentaryInput>,
) -> Result<Response, AppError> {
    let back = format!("/assessment/bulletins/{id}");
    match svc::edit(&state, &ctx.actor, id, f).await {
        Ok(()) => Ok(Redirect::to(&format!("{back}?ok=saved")).into_response()),
        Err(e) => back_with_problem(&back, e),
    }
}

#[derive(Deserialize)]
pub struct IssueForm {
    #[serde(default)]
    pub public: Option<String>,
}

pub async fn issue(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<IssueForm>,
) -> Result<Response, AppError> {
    let back = format!("/assessment/bulletins/{id}");
    match svc::issue(&state, &ctx.actor, id, f.public.is_some()).await {
        Ok(_) => Ok(Redirect::to(&format!("{back}?ok=saved")).into_response()),
        Err(e) => back_with_problem(&back, e),
    }
}

pub async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, format)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let format = Format::parse(&format).ok_or(AppError::NotFound)?;
    let (bytes, media, name) = svc::file(&state, &ctx.actor, id, format).await?;
    Ok(crate::api::file_response(media, &name, bytes).into_response())
}

#[derive(Template)]
#[template(path = "public/bulletins.html")]
struct PublicPage {
    ctx: Ctx,
    rows: Vec<Listed>,
}

/// 督查通报 on the portal: the bulletins the office chose to publish, as PDF and Word files.
pub async fn public_list(
    State(state): State<AppState>,
    crate::auth::MaybeCtx(ctx): crate::auth::MaybeCtx,
) -> Result<Response, AppError> {
    let rows = svc::published(&state, &ctx.actor).await?;
    Ok(super::portal::cacheable(render(PublicPage { ctx, rows })?))
}

pub async fn public_file(
    State(state): State<AppState>,
    crate::auth::MaybeCtx(ctx): crate::auth::MaybeCtx,
    Path((id, format)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let format = Format::parse(&format).ok_or(AppError::NotFound)?;
    let (bytes, media, name) = svc::published_file(&state, &ctx.actor, id, format).await?;
    Ok(crate::api::file_response(media, &name, bytes).into_response())
}
