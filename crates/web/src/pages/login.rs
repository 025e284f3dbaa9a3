//! Signing in and out, and switching the language.

use super::render;
use crate::auth::{self, CsrfForm, LANG_COOKIE, MaybeCtx, SESSION_COOKIE};
use crate::error::{AppError, FieldError};
use crate::service;
use crate::state::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ctx: auth::Ctx,
    login: String,
    next: String,
    errors: Vec<FieldError>,
    locked: bool,
}

impl LoginPage {
    fn error(&self, field: &str) -> Option<String> {
        self.ctx.error_for(&self.errors, field)
    }
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

pub async fn form(
    MaybeCtx(ctx): MaybeCtx,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    if ctx.user.is_some() {
        return Ok(Redirect::to(&safe_next(&q.next)).into_response());
    }
    render(LoginPage {
        ctx,
        login: String::new(),
        next: q.next,
        errors: vec![],
        locked: false,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn submit(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    CsrfForm(f): CsrfForm<LoginForm>,
) -> Result<Response, AppError> {
    let address = auth::client_address(&headers, Some(peer), state.config.trust_proxy_headers);
    match service::accounts::login(&state, &f.login, &f.password, &address).await {
        Ok(signed_in) => {
            let jar = jar.add(auth::session_cookie(
                signed_in.session_token,
                state.config.secure_cookies,
            ));
            Ok((jar, Redirect::to(&safe_next(&f.next))).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let page = LoginPage {
                ctx,
                login: f.login,
                next: f.next,
                errors,
                locked: false,
            };
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
        }
        Err(AppError::TooManyAttempts) => {
            let page = LoginPage {
                ctx,
                login: f.login,
                next: f.next,
                errors: vec![],
                locked: true,
            };
            Ok((axum::http::StatusCode::TOO_MANY_REQUESTS, render(page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

/// Only local paths, so a crafted link cannot send a user elsewhere after sign-in.
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_string()
    } else {
        "/".into()
    }
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    if let Some(c) = jar.get(SESSION_COOKIE) {
        service::accounts::logout(&state, c.value()).await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/login")).into_response())
}

pub async fn set_lang(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
    jar: CookieJar,
) -> Result<Response, AppError> {
    let lang = crate::i18n::Lang::parse(&code).ok_or(AppError::NotFound)?;
    if let Some(user) = &ctx.user {
        let mut tx = state.store.begin_write().await?;
        duban_store::accounts::set_locale(&mut tx, user.id, lang.code()).await?;
        tx.commit().await?;
    }
    let cookie = Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .same_site(SameSite::Lax)
        .permanent()
        .build();
    Ok((jar.add(cookie), Redirect::to(&safe_next(&q.next))).into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/org?kind=town"), "/org?kind=town");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil"), "/");
        assert_eq!(safe_next(""), "/");
    }
}
