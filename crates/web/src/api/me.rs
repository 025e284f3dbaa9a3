//! The caller's own account and personal API tokens.

use super::ApiJson;
use super::ApiPath;
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::service;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    pub user_id: i64,
    pub username: String,
    pub name: String,
    /// One of admin, supervision_office, top_leader, portfolio_leader, unit_head,
    /// unit_liaison, section_staff, deputy.
    pub role: String,
    pub person_id: Option<i64>,
    pub home_unit_id: Option<i64>,
    /// Every unit the caller may see beyond public data.
    pub scope_unit_ids: Vec<i64>,
    pub must_change_password: bool,
}

/// Who am I, and what is my scope.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = MeResponse), (status = 401, description = "not signed in")))]
pub async fn me(ApiUser { user, actor }: ApiUser) -> Result<Json<MeResponse>, ApiError> {
    Ok(Json(MeResponse {
        user_id: user.id.0,
        username: user.username,
        name: user.name,
        role: user.role.as_str().into(),
        person_id: user.person_id.map(|p| p.0),
        home_unit_id: actor.scope.home_unit.map(|u| u.0),
        scope_unit_ids: actor.scope.units.iter().map(|u| u.0).collect(),
        must_change_password: user.must_change_password,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub id: i64,
    pub name: String,
    /// The first characters of the secret, to recognise it.
    pub prefix: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// My API tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Vec<TokenResponse>), (status = 401, description = "not signed in")))]
pub async fn list_tokens(
    State(state): State<AppState>,
    api: ApiUser,
) -> Result<Json<Vec<TokenResponse>>, ApiError> {
    let mut tx = state.store.begin_read().await?;
    let tokens = duban_store::accounts::list_tokens(&mut tx, api.user.id).await?;
    Ok(Json(
        tokens
            .into_iter()
            .map(|t| TokenResponse {
                id: t.id,
                name: t.name,
                prefix: t.prefix,
                created_at: t.created_at.to_jiff().to_string(),
                last_used_at: t.last_used_at.map(|v| v.to_jiff().to_string()),
                revoked_at: t.revoked_at.map(|v| v.to_jiff().to_string()),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct CreateTokenRequest {
    /// What the token is for, e.g. "monthly export script".
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct NewTokenResponse {
    pub id: i64,
    /// The secret: shown only now. Send it as `Authorization: Bearer <token>`.
    pub token: String,
}

/// Create a personal API token.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "accounts", security(("bearer" = [])), request_body = CreateTokenRequest,
    responses((status = 201, body = NewTokenResponse), (status = 400, description = "malformed JSON"), (status = 422, description = "invalid name")))]
pub async fn create_token(
    State(state): State<AppState>,
    api: ApiUser,
    ApiJson(req): ApiJson<CreateTokenRequest>,
) -> Result<(StatusCode, Json<NewTokenResponse>), ApiError> {
    let (id, token) = service::accounts::create_token(&state, &api.actor, &req.name).await?;
    Ok((StatusCode::CREATED, Json(NewTokenResponse { id, token })))
}

/// Revoke one of my tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = i64, Path, description = "token id")),
    responses((status = 204, description = "revoked"), (status = 404, description = "no such live token of yours")))]
pub async fn revoke_token(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    service::accounts::revoke_token(&state, &api.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
