//! One's own account: change the password, create and revoke personal API tokens.

use super::render;
use crate::auth::{CsrfForm, Ctx, SESSION_COOKIE};
use crate::error::{AppError, FieldError};
use crate::service;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use duban_store::accounts::{self, ApiToken};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    ctx: Ctx,
    tokens: Vec<ApiToken>,
    errors: Vec<FieldError>,
    new_token: Option<String>,
    must_change: bool,
    notice: Option<&'static str>,
}

impl AccountPage {
    fn error(&self, field: &str) -> Option<String> {
        self.ctx.error_for(&self.errors, field)
    }
}

#[derive(Deserialize, Default)]
pub struct AccountQuery {
    #[serde(default)]
    ok: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AccountQuery>,
) -> Result<Response, AppError> {
    let notice = super::Notice {
        ok: q.ok,
        err: None,
    }
    .key();
    account_page(&state, ctx, vec![], None, notice).await
}

async fn account_page(
    state: &AppState,
    ctx: Ctx,
    errors: Vec<FieldError>,
    new_token: Option<String>,
    notice: Option<&'static str>,
) -> Result<Response, AppError> {
    let user = ctx.user.clone().ok_or(AppError::NotSignedIn)?;
    let mut tx = state.store.begin_read().await?;
    let tokens = accounts::list_tokens(&mut tx, user.id).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AccountPage {
        ctx,
        tokens,
        errors,
        new_token,
        must_change: user.must_change_password,
        notice,
    };
    Ok((status, render(page)?).into_response())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> Result<Response, AppError> {
    let session = jar.get(SESSION_COOKIE).map(|c| c.value().to_string());
    match service::accounts::change_password(
        &state,
        &ctx.actor,
        &f.current,
        &f.new,
        &f.confirm,
        session.as_deref(),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/account?ok=password").into_response()),
        Err(AppError::Invalid(errors)) => account_page(&state, ctx, errors, None, None).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<TokenForm>,
) -> Result<Response, AppError> {
    match service::accounts::create_token(&state, &ctx.actor, &f.name).await {
        Ok((_, secret)) => {
            account_page(&state, ctx, vec![], Some(secret), Some("notice.created")).await
        }
        Err(AppError::Invalid(errors)) => account_page(&state, ctx, errors, None, None).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn revoke_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    service::accounts::revoke_token(&state, &ctx.actor, id).await?;
    Ok(Redirect::to("/account?ok=revoked").into_response())
}
