//! The half-year showcase (晒拼) over JSON: set up, open/lock/publish, open and close each
//! presenter's scoring, the panel and guest links, unit pages and statements, a judge's form
//! and cards, the live results and the raw cards (JSON and .xlsx). The same services as the
//! pages. Every write asks the policy before its body is read.

use super::{ApiBody, ApiPath};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::service::showcase::guest::{self, GuestLink, GuestLinksInput};
use crate::service::showcase::page::{self, UnitPage};
use crate::service::showcase::print;
use crate::service::showcase::{
    self as svc, CardInput, JudgeForm, JudgeInput, ShowcaseInput, ShowcaseResults, StatementInput,
};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use duban_core::policy::{Action, Object, decide};
use duban_core::showcase::state::ScoringCommand;
use duban_core::showcase::{PresenterId, ShowcaseId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An event as listed.
#[derive(Serialize, ToSchema)]
pub struct ShowcaseSummary {
    pub id: i64,
    pub title: String,
    pub held_on: String,
    pub half_year: String,
    pub state: String,
}

/// A presenter of an event.
#[derive(Serialize, ToSchema)]
pub struct PresenterView {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub group: String,
    pub position: i64,
    pub scoring: String,
    /// Whether 短板与差距 is filled.
    pub complete: bool,
}

/// An event with its set-up and presenters.
#[derive(Serialize, ToSchema)]
pub struct ShowcaseDetail {
    pub id: i64,
    pub title: String,
    pub held_on: String,
    pub half_year: String,
    pub minutes: u32,
    pub trim: bool,
    pub state: String,
    pub criteria: Vec<svc::CriterionInput>,
    pub judge_groups: Vec<svc::JudgeGroupInput>,
    pub presenters: Vec<PresenterView>,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// A step: `open`, `lock`, `publish` for an event; `open`, `close` for a presenter.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommandInput {
    pub command: String,
}

#[derive(Serialize, ToSchema)]
pub struct ShowcaseStateAfter {
    pub state: String,
}

/// A raw score card, for the office's audit.
#[derive(Serialize, ToSchema)]
pub struct RawCard {
    pub id: i64,
    pub presenter_id: i64,
    pub unit_name: String,
    pub judge_id: i64,
    pub judge_name: String,
    pub judge_group: String,
    pub guest: bool,
    pub scores: Vec<u32>,
    /// Σ score × weight in hundredths.
    pub total: i64,
    /// RFC 3339; `null` for a card not submitted.
    pub submitted_at: Option<String>,
    pub updated_at: String,
}

fn detail(s: duban_store::showcase::Showcase) -> ShowcaseDetail {
    ShowcaseDetail {
        id: s.id.0,
        title: s.title,
        held_on: s.held_on.to_string(),
        half_year: s.half_year,
        minutes: s.minutes,
        trim: s.trim,
        state: s.state.as_str().to_string(),
        criteria: s
            .criteria
            .into_iter()
            .map(|c| svc::CriterionInput {
                name: c.name,
                weight: i64::from(c.weight),
            })
            .collect(),
        judge_groups: s
            .judge_groups
            .into_iter()
            .map(|g| svc::JudgeGroupInput {
                name: g.name,
                weight: g.weight.map(i64::from),
            })
            .collect(),
        presenters: s
            .presenters
            .into_iter()
            .map(|p| PresenterView {
                id: p.id.0,
                unit_id: p.unit_id.0,
                unit_name: p.unit_name,
                group: p.group,
                position: p.position,
                scoring: p.scoring.as_str().to_string(),
                complete: !p.shortfalls.is_empty(),
            })
            .collect(),
    }
}

/// Showcases the caller may see (published ones for everyone signed in).
#[utoipa::path(get, path = "/api/v1/showcases", tag = "showcase", security(("bearer" = [])),
    responses((status = 200, body = Vec<ShowcaseSummary>)))]
pub async fn list_showcases(
    State(state): State<AppState>,
    api: ApiUser,
) -> Result<Json<Vec<ShowcaseSummary>>, ApiError> {
    let rows = svc::list(&state, &api.actor).await?;
    Ok(Json(
        rows.into_iter()
            .map(|s| ShowcaseSummary {
                id: s.id.0,
                title: s.title,
                held_on: s.held_on.to_string(),
                half_year: s.half_year,
                state: s.state.as_str().to_string(),
            })
            .collect(),
    ))
}

/// Sets up a showcase (the office): criteria weights sum to 100; judge-group weights for all
/// groups or none; presenters in running order.
#[utoipa::path(post, path = "/api/v1/showcases", tag = "showcase", security(("bearer" = [])), request_body = ShowcaseInput,
    responses((status = 201, body = Created), (status = 403, description = "not the office"), (status = 422, description = "invalid set-up")))]
pub async fn create_showcase(
    State(state): State<AppState>,
    api: ApiUser,
    body: ApiBody,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    decide(&api.actor, Action::ManageShowcase, Object::City)?;
    let input: ShowcaseInput = body.parse()?;
    let id = svc::create(&state, &api.actor, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.0 })))
}

/// One showcase with its presenters.
#[utoipa::path(get, path = "/api/v1/showcases/{id}", tag = "showcase", security(("bearer" = [])),
    params(("id" = i64, Path, description = "showcase id")),
    responses((status = 200, body = ShowcaseDetail), (status = 403, description = "not published yet"), (status = 404, description = "no such showcase")))]
pub async fn get_showcase(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ShowcaseDetail>, ApiError> {
    let mut tx = state.store.begin_read().await?;
    let s = svc::load(&mut tx, &api.actor, ShowcaseId(id)).await?;
    Ok(Json(detail(s)))
}

/// Opens the day (`open`), locks (`lock`: every scoring window closes) or publishes
/// (`publish`) — the office.
#[utoipa::path(post, path = "/api/v1/showcases/{id}/state", tag = "showcase", security(("bearer" = [])),
    params(("id" = i64, Path, description = "showcase id")), request_body = CommandInput,
    responses((status = 200, body = ShowcaseStateAfter), (status = 403, description = "not the office"), (status = 422, description = "not allowed in this state")))]
pub async fn set_state(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    body: ApiBody,
) -> Result<Json<ShowcaseStateAfter>, ApiError> {
    decide(&api.actor, Action::ManageShowcase, Object::City)?;
    let input: CommandInput = body.parse()?;
    let command = svc::parse_command(&input.command)
        .ok_or_else(|| svc::invalid("command", "showcase.wrong_state"))?;
    let next = svc::command(&state, &api.actor, ShowcaseId(id), command).await?;
    Ok(Json(ShowcaseStateAfter {
        state: next.as_str().to_string(),
    }))
}

/// Opens (`open`) or closes (`close`) one presenter's scoring — the office.
#[utoipa::path(post, path = "/api/v1/showcases/{id}/presenters/{presenter}/scoring", tag = "showcase", security(("bearer" = [])),
    params(("id" = i64, Path, description = "showcase id"), ("presenter" = i64, Path, description = "presenter id")), request_body = CommandInput,
    responses((status = 200, body = ShowcaseStateAfter), (status = 403, description = "not the office"), (status = 422, description = "not allowed in this state")))]
pub async fn set_scoring(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath((id, presenter)): ApiPath<(i64, i64)>,
    body: ApiBody,
) -> Result<Json<ShowcaseStateAfter>, ApiError> {
    decide(&api.actor, Action::ManageShowcase, Object::City)?;
    let input: CommandInput = body.parse()?;
    let command = match input.command.as_str() {
        "open" => ScoringCommand::Open,
        "close" => ScoringCommand::Close,
        _ => return Err(svc::invalid("command", "showcase.wrong_state").into()),
    };
    let next = svc::scoring(
        &state,
        &api.actor,
        ShowcaseId(id),
        PresenterId(presenter),
        command,
    )
    .await?;
    Ok(Json(ShowcaseStateAfter {
        state: next.as_str().to_string(),
    }))
}

/// A presenter's page on the unified template, built from the unit's own data.
#[utoipa::path(get, path = "/api/v1/showcases/{id}/presenters/{presenter}", tag = "showcase", security(("bearer" = [])),
    params(("id" = i64, Path, description = "showcase id"), ("presenter" = i64, Path, description = "presenter id")),
    responses((status = 200, body = UnitPage), (status = 403, description = "not visible to you"), (status = 404, description = "no such presenter")))]
pub async fn get_unit_page(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath((id, presenter)): ApiPath<(i64, i64)>,
) -> Result<Json<UnitPage>, ApiError> {
    Ok(Json(
        page::unit_page(&state, &api.actor, ShowcaseId(id), PresenterId(presenter)).await?,
    ))
}

/// A presenter's page as a PDF (A4, Chinese), for whoever may read the page.
#[utoipa::path(get, path = "/api/v1/showcases/{id}/presenters/{presenter}/pdf", tag = "showcase", security(("bearer" = [])),
    params(("id" = i64, Path, description = "showcase id"), ("presenter" = i64, Path, description = "presenter id")),
    responses((status = 200, description = "the PDF", content_type = "application/pdf"), (status = 403, description = "not visible to you"), (status = 404, description = "no such presenter")))]
pub async fn get_unit_pdf(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath((id, presenter)): ApiPath<(i64, i64)>,
) -> Result<Response, ApiError> {
    let (bytes, name) = print::unit_pdf(
        &state,
        &api.actor,
        ShowcaseId(id),
        PresenterId(presenter),
        crate::i18n::Lang::Zh,
    )
    .await?;
    Ok(super::file_response(print::PDF, &name, bytes).into_response())
}

/// The unit's highlights and the required 短板与差距 — its head or liaison (or the office).
#[utoipa::path(put, path = "/api/v1/showcases/{id}/presenters/{presenter}/statement", tag = "showcase", security(("bearer" = [])),
    params(("id" = i64, Path, description = "showcase id"), ("presenter" = i64, Path, description = "presenter id")), request_body = StatementInput,
    responses((status = 204), (status = 403, description = "not this unit"), (status = 422, description = "短板与差距 missing or too long")))]
pub async fn put_statement(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath((id, presenter)): ApiPath<(i64, i64)>,
    body: ApiBody,
) -> Result<StatusCode, ApiError> {
    decide(&api.actor, Action::FillShowcase, Object::City)?;
    let input: StatementInput = body.parse()?;
    svc::save_statement(
        &state,
        &api.actor,
        ShowcaseId(id),
        PresenterId(presenter),
        &input,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A judge on the panel.
#[derive(Serialize, ToSchema)]
pub struct JudgeView {
    pub id: i64,
    pub name: String,
    pub judge_group: String,
    pub guest: bool,
    /// For a guest link: whether a device claimed it.
    pub claimed: bool,
}

/// The panel — the office.
#[utoipa::path(get, path = "/api/v1/showcases/{id}/judges", tag = "showcase", security(("bearer" = [])),
    params(("id" = i64, Path, description = "showcase id")),
    responses((status = 200, body = Vec<JudgeView>), (status = 403, description = "not the office")))]
pub async fn list_judges(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<JudgeView>>, ApiError> {
    let judges = svc::judges(&state, &api.actor, ShowcaseId(id)).await?;
    let mut tx = state.store.begin_read().await?;
    let s = svc::get(&mut tx, ShowcaseId(id)).await?;
    Ok(Json(
        judges
            .into_iter()
            .map(|j| JudgeView {
                id: j.id.0,
                judge_group: s
                    .judge_groups
                    .get(j.judge_group)
                    .map(|g| g.name.clone())
                    .unwrap_or_default(),
                name: j.name,
                guest: j.guest,
                claimed: j.device_hash.is_some(),
            })
            .collect(),
    ))
}

/// Puts an account on the panel — the office.
#[utoipa::path(post, path = "/api/v1/showcases/{id}/judges", tag = "showcase", security(("bearer" = [])),
    params(("id" = i64, Path, description = "showcase id")), request_body = JudgeInput,
    responses((status = 201, body = Created), (status = 403, description = "not the office"), (status = 422, description = "unknown account or group")))]
pub async fn add_judge(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    body: ApiBody,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    decide(&api.actor, Action::ManageShowcase, Object::City)?;
    let input: JudgeInput = body.parse()?;
    let j = svc::add_judge(&state, &api.actor, ShowcaseId(id), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: j.0 })))
}

/// Makes one-time guest judge links (the tokens are shown only here) — the office.
#[utoipa::path(post, path = "/api/v1/showcases/{id}/guest-links", tag = "showcase", security(("bearer" = [])),
    params(("id" = i64, Path, description = "showcase id")), request_body = GuestLinksInput,
    responses((status = 201, body = Vec<GuestLink>), (status = 403, description = "not the office"), (status = 422, description = "bad group or count")))]
pub async fn create_guest_links(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    body: ApiBody,
) -> Result<(StatusCode, Json<Vec<GuestLink>>), ApiError> {
    decide(&api.actor, Action::ManageShowcase, Object::City)?;
    let input: GuestLinksInput = body.parse()?;
    let links = guest::create_links(&state, &api.actor, ShowcaseId(id), &input).await?;
    Ok((StatusCode::CREATED, Json(links)))
}

/// The caller's scoring form: presenters open for scoring (never their own unit) and their
/// cards.
#[utoipa::path(get, path = "/api/v1/showcases/{id}/form", tag = "showcase", security(("bearer" = [])),
    params(("id" = i64, Path, description = "showcase id")),
    responses((status = 200, body = JudgeForm), (status = 403, description = "not on the panel")))]
pub async fn get_form(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<JudgeForm>, ApiError> {
    Ok(Json(
        svc::judge_form(&state, &api.actor, ShowcaseId(id)).await?,
    ))
}

/// Saves (`submit: false`) or submits a card. Refused with nothing written: a score out of
/// range, one's own unit, scoring not open, a card already submitted.
#[utoipa::path(post, path = "/api/v1/showcases/{id}/cards", tag = "showcase", security(("bearer" = [])),
    params(("id" = i64, Path, description = "showcase id")), request_body = CardInput,
    responses((status = 204), (status = 403, description = "not on the panel, or one's own unit"), (status = 422, description = "refused card")))]
pub async fn post_card(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    body: ApiBody,
) -> Result<StatusCode, ApiError> {
    svc::ensure_judge(&state, &api.actor, ShowcaseId(id)).await?;
    let input: CardInput = body.parse()?;
    svc::write_card(&state, &api.actor, ShowcaseId(id), &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The ranking: per presenter the trimmed mean of the submitted cards (two decimals), the
/// cards counted, provisional marks and ranks per presenter group.
#[utoipa::path(get, path = "/api/v1/showcases/{id}/results", tag = "showcase", security(("bearer" = [])),
    params(("id" = i64, Path, description = "showcase id")),
    responses((status = 200, body = ShowcaseResults), (status = 403, description = "not published yet")))]
pub async fn get_results(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ShowcaseResults>, ApiError> {
    Ok(Json(
        svc::results(&state, &api.actor, ShowcaseId(id)).await?,
    ))
}

/// Every raw card (judge, time, criterion scores), drafts included — the office and the
/// auditor.
#[utoipa::path(get, path = "/api/v1/showcases/{id}/cards", tag = "showcase", security(("bearer" = [])),
    params(("id" = i64, Path, description = "showcase id")),
    responses((status = 200, body = Vec<RawCard>), (status = 403, description = "not the office")))]
pub async fn list_cards(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<RawCard>>, ApiError> {
    let (s, cards) = svc::raw_cards(&state, &api.actor, ShowcaseId(id)).await?;
    Ok(Json(
        cards
            .into_iter()
            .map(|c| RawCard {
                id: c.id.0,
                presenter_id: c.presenter_id.0,
                unit_name: c.unit_name,
                judge_id: c.judge_id.0,
                judge_name: c.judge_name,
                judge_group: s
                    .judge_groups
                    .get(c.judge_group)
                    .map(|g| g.name.clone())
                    .unwrap_or_default(),
                guest: c.guest,
                scores: c.scores,
                total: c.total,
                submitted_at: c.submitted_at.map(|t| t.to_string()),
                updated_at: c.updated_at.to_string(),
            })
            .collect(),
    ))
}

/// The raw cards as .xlsx — the office and the auditor.
#[utoipa::path(get, path = "/api/v1/showcases/{id}/cards/export", tag = "showcase", security(("bearer" = [])),
    params(("id" = i64, Path, description = "showcase id")),
    responses((status = 200, description = "the .xlsx workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, description = "not the office")))]
pub async fn export_cards(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let (bytes, name) = svc::export_cards(&state, &api.actor, ShowcaseId(id)).await?;
    Ok(super::file_response(svc::XLSX, &name, bytes).into_response())
}
