//! Bulletins (通报) over JSON, under `/api/v1/assessment/bulletins`: the list, a bulletin
//! with its frozen content, the office's draft, commentary, issue and series settings, and
//! the files (.docx, .pdf, .xlsx). The same services as the pages.

use super::{ApiBody, ApiPath, file_response};
use crate::auth::ApiUser;
use crate::error::{ApiError, AppError};
use crate::service::bulletins::{self as svc, CommentaryInput, Format, SeriesInput};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use duban_core::policy::{Action, Object, decide};
use duban_store::bulletins::Bulletin;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct BulletinCreated {
    pub id: i64,
}

/// One line of the list.
#[derive(Serialize, ToSchema)]
pub struct BulletinLine {
    pub id: i64,
    pub year: i64,
    /// 2026-10, 2026-Q3, 2026-W45, 2026-H2.
    pub period: String,
    pub cadence: String,
    /// `draft` or `issued`.
    pub state: String,
    pub title: String,
    /// 永督通〔2026〕5号 once issued.
    pub number: Option<String>,
    pub public: bool,
    #[schema(value_type = Option<String>, format = Date)]
    pub issued_on: Option<jiff::civil::Date>,
}

/// A bulletin with its frozen content and commentary.
#[derive(Serialize, ToSchema)]
pub struct BulletinResponse {
    pub id: i64,
    pub year: i16,
    pub period: String,
    pub state: String,
    pub title: String,
    pub number: Option<String>,
    /// SHA-256 of content, commentary and number, recorded in the ledger at issue.
    pub content_hash: Option<String>,
    pub ledger_seq: Option<i64>,
    pub public: bool,
    #[schema(value_type = Option<String>, format = Date)]
    pub issued_on: Option<jiff::civil::Date>,
    /// `core::assessment::bulletin::content::Content`.
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
    /// `overview`, `problems`, `requirements`.
    #[schema(value_type = Object)]
    pub commentary: serde_json::Value,
}

impl From<Bulletin> for BulletinResponse {
    fn from(b: Bulletin) -> Self {
        BulletinResponse {
            id: b.id,
            year: b.year,
            period: b.period,
            state: b.state.as_str().into(),
            title: b.title,
            number: b.number,
            content_hash: b.content_hash,
            ledger_seq: b.ledger_seq,
            public: b.public,
            issued_on: b.issued_on,
            content: serde_json::to_value(&b.content).unwrap_or_default(),
            commentary: serde_json::to_value(&b.commentary).unwrap_or_default(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct GenerateRequest {
    /// `2026-10` (monthly), `2026-Q3`, `2026-H2`, `2026-W45` (weekly).
    pub period: String,
}

#[derive(Deserialize, ToSchema, Default)]
pub struct IssueRequest {
    /// Also publish it on the public portal.
    #[serde(default)]
    pub public: bool,
}

/// Bulletins newest first: issued ones for every unit and leader, drafts too for the office.
#[utoipa::path(get, path = "/api/v1/assessment/bulletins", tag = "assessment", security(("bearer" = [])),
    responses((status = 200, body = Vec<BulletinLine>), (status = 403, description = "deputies do not read bulletins here")))]
pub async fn bulletins_list(
    State(state): State<AppState>,
    api: ApiUser,
) -> Result<Json<Vec<BulletinLine>>, ApiError> {
    let rows = svc::list(&state, &api.actor).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| BulletinLine {
                id: r.id,
                year: r.year,
                period: r.period,
                cadence: r.cadence,
                state: r.state,
                title: r.title,
                number: r.number,
                public: r.public,
                issued_on: r.issued_on.map(|d| d.to_jiff()),
            })
            .collect(),
    ))
}

/// Generates a draft for a period from the data as it is now; its content is frozen.
#[utoipa::path(post, path = "/api/v1/assessment/bulletins", tag = "assessment", security(("bearer" = [])), request_body = GenerateRequest,
    responses((status = 201, body = BulletinCreated), (status = 403, description = "office only"), (status = 422, description = "bad period")))]
pub async fn bulletins_generate(
    State(state): State<AppState>,
    api: ApiUser,
    body: ApiBody,
) -> Result<(StatusCode, Json<BulletinCreated>), ApiError> {
    decide(&api.actor, Action::ManageBulletins, Object::City).map_err(AppError::from)?;
    let input: GenerateRequest = body.parse()?;
    let id = svc::generate(&state, &api.actor, &input.period).await?;
    Ok((StatusCode::CREATED, Json(BulletinCreated { id })))
}

/// One bulletin with its content and commentary.
#[utoipa::path(get, path = "/api/v1/assessment/bulletins/{id}", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path, description = "bulletin id")),
    responses((status = 200, body = BulletinResponse), (status = 403, description = "a draft is for the office only"), (status = 404, description = "no such bulletin")))]
pub async fn bulletins_get(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<BulletinResponse>, ApiError> {
    Ok(Json(svc::get(&state, &api.actor, id).await?.into()))
}

/// Replaces a draft's commentary. An issued bulletin is never changed (422, nothing written).
#[utoipa::path(put, path = "/api/v1/assessment/bulletins/{id}/commentary", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path, description = "bulletin id")), request_body = CommentaryInput,
    responses((status = 204, description = "saved"), (status = 403, description = "office only"), (status = 404, description = "no such bulletin"), (status = 422, description = "issued already, or a paragraph too long")))]
pub async fn bulletins_edit(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    body: ApiBody,
) -> Result<StatusCode, ApiError> {
    decide(&api.actor, Action::ManageBulletins, Object::City).map_err(AppError::from)?;
    let input: CommentaryInput = body.parse()?;
    svc::edit(&state, &api.actor, id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Issues a draft: the next number of its year's series, the content's hash in the ledger,
/// a message in every unit's inbox; optionally published on the portal.
#[utoipa::path(post, path = "/api/v1/assessment/bulletins/{id}/issue", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path, description = "bulletin id")), request_body = IssueRequest,
    responses((status = 200, body = BulletinResponse), (status = 403, description = "office only"), (status = 404, description = "no such bulletin"), (status = 422, description = "issued already")))]
pub async fn bulletins_issue(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    body: ApiBody,
) -> Result<Json<BulletinResponse>, ApiError> {
    decide(&api.actor, Action::ManageBulletins, Object::City).map_err(AppError::from)?;
    let input: IssueRequest = body.parse()?;
    Ok(Json(
        svc::issue(&state, &api.actor, id, input.public)
            .await?
            .into(),
    ))
}

/// The bulletin as a file: `docx` (official layout), `pdf` (fonts embedded) or `xlsx` (the
/// tables).
#[utoipa::path(get, path = "/api/v1/assessment/bulletins/{id}/files/{format}", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path, description = "bulletin id"), ("format" = String, Path, description = "docx, pdf or xlsx")),
    responses((status = 200, description = "the file"), (status = 403, description = "a draft is for the office only"), (status = 404, description = "no such bulletin or format")))]
pub async fn bulletins_file(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath((id, format)): ApiPath<(i64, String)>,
) -> Result<impl IntoResponse, ApiError> {
    let format = Format::parse(&format).ok_or(AppError::NotFound)?;
    let (bytes, media, name) = svc::file(&state, &api.actor, id, format).await?;
    Ok(file_response(media, &name, bytes))
}

/// A year's number prefix (机关代字) and schedule of automatic drafts.
#[utoipa::path(get, path = "/api/v1/assessment/bulletins/series/{year}", tag = "assessment", security(("bearer" = [])),
    params(("year" = i16, Path, description = "year")),
    responses((status = 200, body = Object), (status = 403, description = "office only")))]
pub async fn bulletins_get_series(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(year): ApiPath<i16>,
) -> Result<Json<duban_store::bulletins::Series>, ApiError> {
    Ok(Json(svc::series(&state, &api.actor, year).await?))
}

/// Sets a year's prefix and schedule (e.g. monthly on the 3rd working day).
#[utoipa::path(put, path = "/api/v1/assessment/bulletins/series/{year}", tag = "assessment", security(("bearer" = [])),
    params(("year" = i16, Path, description = "year")), request_body = SeriesInput,
    responses((status = 204, description = "saved"), (status = 403, description = "office only"), (status = 422, description = "bad prefix, cadence or working day")))]
pub async fn bulletins_set_series(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(year): ApiPath<i16>,
    body: ApiBody,
) -> Result<StatusCode, ApiError> {
    decide(&api.actor, Action::ManageBulletins, Object::City).map_err(AppError::from)?;
    let input: SeriesInput = body.parse()?;
    svc::set_series(&state, &api.actor, year, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
