//! The office's page for a year's working day and report-in window of joint matters
//! (吹哨报到); the same service as `PUT /api/v1/joint/settings/{year}`.

use super::render;
use crate::auth::{CsrfForm, Ctx};
use crate::error::{AppError, FieldError};
use crate::service::joint::settings::{self as svc, JointSettingsInput, JointSettingsView};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "county/settings.html")]
struct SettingsPage {
    ctx: Ctx,
    year: i16,
    form: JointSettingsInput,
    /// What is in force (the defaults when never set).
    current: JointSettingsView,
    errors: Vec<FieldError>,
    saved: bool,
}

impl SettingsPage {
    fn error(&self, field: &str) -> Option<String> {
        self.ctx.error_for(&self.errors, field)
    }
}

#[derive(Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<i16>,
    #[serde(default)]
    ok: Option<String>,
}

pub async fn settings_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let year = q.year.unwrap_or(state.today().year());
    let current = svc::get(&state, &ctx.actor, year).await?;
    render(SettingsPage {
        ctx,
        year,
        form: JointSettingsInput::from_view(&current),
        current,
        errors: Vec::new(),
        saved: q.ok.is_some(),
    })
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    year: Option<i16>,
    #[serde(flatten)]
    input: JointSettingsInput,
}

pub async fn save_settings(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<SettingsForm>,
) -> Result<Response, AppError> {
    let year = f.year.unwrap_or(state.today().year());
    match svc::save(&state, &ctx.actor, year, &f.input).await {
        Ok(_) => Ok(Redirect::to(&format!("/joint/settings?year={year}&ok=saved")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let current = svc::get(&state, &ctx.actor, year).await?;
            render(SettingsPage {
                ctx,
                year,
                form: f.input,
                current,
                errors,
                saved: false,
            })
        }
        Err(e) => Err(e),
    }
}
