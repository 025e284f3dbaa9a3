//! The admin's view of the working-day calendar: one year's holidays and make-up working
//! days, with forms to add, change and clear days.

use super::render;
use crate::auth::{CsrfForm, Ctx};
use crate::error::{AppError, FieldError};
use crate::service;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::calendar::SpecialDay;
use duban_core::policy::{Action, Object};
use duban_store::calendar;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/calendar.html")]
struct CalendarPage {
    ctx: Ctx,
    year: i16,
    days: Vec<SpecialDay>,
    workdays_in_year: i64,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
}

impl CalendarPage {
    fn error(&self, field: &str) -> Option<String> {
        self.ctx.error_for(&self.errors, field)
    }

    fn weekday(&self, d: &jiff::civil::Date) -> String {
        self.ctx
            .t(&format!("weekday.{}", d.weekday().to_monday_one_offset()))
            .to_string()
    }
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<i16>,
    #[serde(default)]
    ok: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let year = q.year.unwrap_or_else(|| state.today().year());
    let notice = super::Notice {
        ok: q.ok,
        err: None,
    }
    .key();
    calendar_page(&state, ctx, year, vec![], notice).await
}

async fn calendar_page(
    state: &AppState,
    ctx: Ctx,
    year: i16,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageOrg, Object::City)?;
    let (Ok(from), Ok(to)) = (
        jiff::civil::Date::new(year, 1, 1),
        jiff::civil::Date::new(year, 12, 31),
    ) else {
        return Err(AppError::NotFound);
    };
    let mut tx = state.store.begin_read().await?;
    let days = calendar::list_special_days(&mut tx, from, to).await?;
    let cal = calendar::load_calendar(&mut tx).await?;
    let workdays_in_year = cal
        .workdays(from, to)
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = CalendarPage {
        ctx,
        year,
        days,
        workdays_in_year,
        errors,
        notice,
    };
    Ok((status, render(page)?).into_response())
}

#[derive(Deserialize)]
pub struct DayForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
}

pub async fn set_day(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<DayForm>,
) -> Result<Response, AppError> {
    match service::calendar::set_day(&state, &ctx.actor, &f.day, &f.kind, &f.name).await {
        Ok(day) => Ok(
            Redirect::to(&format!("/admin/calendar?year={}&ok=saved", day.year())).into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            let year = f
                .day
                .get(..4)
                .and_then(|y| y.parse().ok())
                .unwrap_or_else(|| state.today().year());
            calendar_page(&state, ctx, year, errors, None).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn clear_day(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(day): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageOrg, Object::City)?;
    let day: jiff::civil::Date = day.parse().map_err(|_| AppError::NotFound)?;
    service::calendar::clear_day(&state, &ctx.actor, day).await?;
    Ok(Redirect::to(&format!("/admin/calendar?year={}&ok=saved", day.year())).into_response())
}
