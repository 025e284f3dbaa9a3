//! `/api/v1`: JSON for units, people, portfolios, tokens and `me`. The OpenAPI 3.1 document
//! at `/api/openapi.json` is generated from these handlers' annotations, so the document and
//! the router cannot disagree. Conventions: docs/api.md.

mod assessment;
mod attachments;
mod bulletins;
mod cases;
mod commitments;
mod county;
mod doc;
mod inbox;
mod intake;
mod ledger;
mod lists;

pub(crate) use cases::file_response;
mod me;
mod org;
mod progress;
mod proposals;
mod public;
mod search;
mod showcase;
mod transparency;

use crate::auth::body_bytes;
use crate::error::{ApiError, AppError, FieldError};
use crate::state::AppState;
use axum::extract::{FromRequest, Request};
use axum::routing::{any, get};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "duban API", version = "1", description = "掌上督 — key-work tracking and supervision. Errors are RFC 9457 problem+json."),
    modifiers(&BearerAuth),
    components(schemas(doc::Problem, doc::ProblemField)),
    tags((name = "accounts"), (name = "organisation"), (name = "lists"), (name = "cases"), (name = "notifications"), (name = "attachments"), (name = "commitments"), (name = "transparency"), (name = "public"), (name = "intake"), (name = "progress"), (name = "search"), (name = "ledger"), (name = "assessment"), (name = "proposals"), (name = "showcase"), (name = "county"))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API routes and the OpenAPI document, built together.
pub fn router() -> Router<AppState> {
    let (router, doc) = api_parts();
    let doc = Arc::new(doc);
    router
        .route(
            "/api/openapi.json",
            get(move || async move { Json(doc.as_ref().clone()) }),
        )
        .route("/api/{*rest}", any(not_found))
}

fn api_parts() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc, clashes) = all_routes();
    assert!(
        clashes.is_empty(),
        "two schemas share a component name in the OpenAPI document: {clashes:?}"
    );
    doc::complete(&mut doc);
    (router, doc)
}

fn all_routes() -> (Router<AppState>, utoipa::openapi::OpenApi, Vec<String>) {
    doc::Routes::new(ApiDoc::openapi())
        .routes(routes!(me::me))
        .routes(routes!(me::list_tokens, me::create_token))
        .routes(routes!(me::revoke_token))
        .routes(routes!(inbox::get_inbox))
        .routes(routes!(inbox::mark_read))
        .routes(routes!(inbox::get_prefs, inbox::put_prefs))
        .routes(routes!(org::list_units, org::create_unit))
        .routes(routes!(org::get_unit, org::update_unit))
        .routes(routes!(org::list_people))
        .routes(routes!(org::get_person))
        .routes(routes!(org::list_portfolios))
        .routes(routes!(lists::list_tasks, lists::create_task))
        .routes(routes!(lists::get_task, lists::update_task))
        .routes(routes!(lists::create_subtask))
        .routes(routes!(lists::submit_unit))
        .routes(routes!(lists::review_task))
        .routes(routes!(lists::propose_change))
        .routes(routes!(lists::decide_change))
        .routes(routes!(lists::get_plan))
        .routes(routes!(lists::upload_import))
        .routes(routes!(lists::commit_import))
        .routes(routes!(cases::list_cases, cases::create_case))
        .routes(routes!(cases::export_cases))
        .routes(routes!(cases::get_case))
        .routes(routes!(cases::take_step))
        .routes(routes!(cases::reopen_case))
        .routes(routes!(cases::get_document))
        .routes(routes!(cases::create_meeting))
        .routes(routes!(cases::upload_import))
        .routes(routes!(cases::commit_import))
        .routes(routes!(cases::get_settings, cases::put_settings))
        .routes(routes!(
            proposals::list_proposals,
            proposals::create_proposal
        ))
        .routes(routes!(proposals::submit_proposal))
        .routes(routes!(proposals::get_rates))
        .routes(routes!(proposals::get_rate_items))
        .routes(routes!(proposals::get_proposal))
        .routes(routes!(proposals::take_step))
        .routes(routes!(proposals::proposal_reply_docx))
        .routes(routes!(proposals::proposal_feedback_docx))
        .routes(routes!(proposals::proposal_summary_xlsx))
        .routes(routes!(proposals::upload_import))
        .routes(routes!(proposals::commit_import))
        .routes(routes!(progress::my_reports))
        .routes(routes!(progress::export_sheet))
        .routes(routes!(progress::upload_sheet))
        .routes(routes!(progress::commit_sheet))
        .routes(routes!(progress::task_progress))
        .routes(routes!(progress::submit_report))
        .routes(routes!(progress::get_report))
        .routes(routes!(progress::review_report))
        .routes(routes!(progress::review_batch))
        .routes(routes!(progress::put_light))
        .routes(routes!(progress::get_dashboard))
        .routes(routes!(progress::get_dashboard_tasks))
        .routes(routes!(
            progress::get_light_rules,
            progress::put_light_rules
        ))
        .routes(routes!(search::search))
        .routes(routes!(attachments::upload))
        .routes(routes!(attachments::download))
        .routes(routes!(attachments::thumb))
        .routes(routes!(
            commitments::list_commitments,
            commitments::create_commitment
        ))
        .routes(routes!(
            commitments::get_commitment,
            commitments::update_commitment
        ))
        .routes(routes!(commitments::amend_commitment))
        .routes(routes!(commitments::take_step))
        .routes(routes!(commitments::evaluate_commitment))
        .routes(routes!(commitments::set_aside_evaluation))
        .routes(routes!(
            commitments::list_projects,
            commitments::create_project
        ))
        .routes(routes!(commitments::get_project))
        .routes(routes!(commitments::vote_project))
        .routes(routes!(commitments::close_project))
        .routes(routes!(public::list_commitments))
        .routes(routes!(public::get_commitment))
        .routes(routes!(public::list_projects))
        .routes(routes!(public::search))
        .routes(routes!(public::list_proposal_replies))
        .routes(routes!(public::get_proposal_reply))
        .routes(routes!(transparency::latest_sth))
        .routes(routes!(transparency::sth_at))
        .routes(routes!(transparency::inclusion))
        .routes(routes!(transparency::consistency))
        .routes(routes!(transparency::entry))
        .routes(routes!(intake::list_intake))
        .routes(routes!(intake::get_intake))
        .routes(routes!(intake::accept_intake))
        .routes(routes!(intake::reject_intake))
        .routes(routes!(intake::put_reply))
        .routes(routes!(ledger::list_ledger))
        .routes(routes!(ledger::get_ledger_entry))
        .routes(routes!(ledger::export_ledger_jsonl))
        .routes(routes!(ledger::export_ledger_xlsx))
        .routes(routes!(assessment::get_rankings))
        .routes(routes!(assessment::get_unit_scores))
        .routes(routes!(assessment::get_scheme, assessment::adopt_scheme))
        .routes(routes!(assessment::refresh))
        .routes(routes!(
            assessment::list_score_proposals,
            assessment::create_score_proposal
        ))
        .routes(routes!(assessment::decide_proposal))
        .routes(routes!(assessment::list_appeals))
        .routes(routes!(assessment::appeal_event))
        .routes(routes!(assessment::decide_appeal))
        // Bulletins (通报).
        .routes(routes!(
            bulletins::bulletins_list,
            bulletins::bulletins_generate
        ))
        .routes(routes!(bulletins::bulletins_get))
        .routes(routes!(bulletins::bulletins_edit))
        .routes(routes!(bulletins::bulletins_issue))
        .routes(routes!(bulletins::bulletins_file))
        .routes(routes!(
            bulletins::bulletins_get_series,
            bulletins::bulletins_set_series
        ))
        .routes(routes!(showcase::list_showcases, showcase::create_showcase))
        .routes(routes!(showcase::get_showcase))
        .routes(routes!(showcase::set_state))
        .routes(routes!(showcase::set_scoring))
        .routes(routes!(showcase::get_unit_page))
        .routes(routes!(showcase::get_unit_pdf))
        .routes(routes!(showcase::put_statement))
        .routes(routes!(showcase::list_judges, showcase::add_judge))
        .routes(routes!(showcase::create_guest_links))
        .routes(routes!(showcase::get_form))
        .routes(routes!(showcase::post_card))
        .routes(routes!(showcase::get_results))
        .routes(routes!(showcase::list_cards))
        .routes(routes!(showcase::export_cards))
        // County and township as one (县乡一体, issue 19).
        .routes(routes!(county::list_duties, county::create_duty))
        .routes(routes!(county::get_duty, county::update_duty))
        .routes(routes!(county::export_duties))
        .routes(routes!(county::propose_duty))
        .routes(routes!(county::upload_duties))
        .routes(routes!(county::commit_duties))
        .routes(routes!(county::list_joint, county::raise_joint))
        .routes(routes!(county::get_joint))
        .routes(routes!(county::report_in))
        .routes(routes!(county::feed_back))
        .routes(routes!(county::close_joint))
        .routes(routes!(county::rate_department))
        .routes(routes!(county::rate_town))
        .routes(routes!(county::get_figures))
        .routes(routes!(county::export_figures))
        .routes(routes!(
            county::get_joint_settings,
            county::put_joint_settings
        ))
        .split_for_parts()
}

/// The OpenAPI document (for tests and `duban` tooling).
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_parts().1
}

/// Component names that two different schemas tried to take (the document keeps only one of
/// them, so a body would be documented with the wrong type). Empty when the document is sound.
pub fn openapi_schema_clashes() -> Vec<String> {
    all_routes().2
}

async fn not_found() -> ApiError {
    ApiError(AppError::NotFound)
}

/// A JSON body read but not yet parsed, for handlers that must authorize first (a caller
/// without the right gets 403 whatever they sent).
pub struct ApiBody(axum::body::Bytes, bool);

impl FromRequest<AppState> for ApiBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let is_json = is_json(&req);
        Ok(ApiBody(body_bytes(req, state).await?, is_json))
    }
}

impl ApiBody {
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        parse_json(&self.0, self.1)
    }
}

fn is_json(req: &Request) -> bool {
    req.headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"))
}

/// Parses JSON naming the failing field: `field `name`: invalid type …`.
fn parse_json<T: DeserializeOwned>(bytes: &[u8], is_json: bool) -> Result<T, ApiError> {
    if !is_json {
        return Err(AppError::BadRequest(
            "expected a JSON body with Content-Type: application/json".into(),
        )
        .into());
    }
    // Parsed once: the text check walks the value, and the typed input is read from it.
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError(AppError::BadRequest(format!(
            "the body is not valid JSON for this request: {e}"
        )))
    })?;
    crate::input::check_json(&value)?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let detail = if path.is_empty() || path == "." {
            format!("the body is not valid JSON for this request: {inner}")
        } else {
            format!("field `{path}`: {inner}")
        };
        ApiError(AppError::BadRequest(detail))
    })
}

/// A JSON body; a malformed one is a 400 problem naming the field and what was wrong, an
/// oversized one a 413.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let is_json = is_json(&req);
        let bytes = body_bytes(req, state).await?;
        parse_json(&bytes, is_json).map(ApiJson)
    }
}

/// A query string; an unreadable one (`?seq=abc`) is a 400 problem saying what was wrong,
/// like a malformed body, not a plain-text rejection.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> axum::extract::FromRequestParts<S>
    for ApiQuery<T>
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|e| ApiError(AppError::BadRequest(e.body_text())))
    }
}

/// Path parameters; an unreadable one (`/api/v1/tasks/abc`) is a 400 problem naming the
/// parameter and the value, not axum's plain-text rejection.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> axum::extract::FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|e| ApiError(AppError::BadRequest(e.body_text())))
    }
}

/// Largest `per_page` a list accepts.
pub const MAX_PER_PAGE: i64 = 200;

/// Pages a list accepts: from 1, and small enough that the offset cannot overflow.
pub const PAGE_RANGE: (i64, i64) = (1, 1_000_000);

/// Paging for lists: `?page=1&per_page=50` (at most 200).
#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// 1-based page number (at most 1,000,000).
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

impl Paging {
    /// `(limit, offset)`; a page below 1 or a `per_page` outside 1–200 is a 400 naming the
    /// parameter, not silently replaced (a client would otherwise page through the wrong rows).
    pub fn limit_offset(&self) -> Result<(i64, i64), AppError> {
        let per = check_range(
            "per_page",
            "per_page_range",
            self.per_page,
            (1, MAX_PER_PAGE),
        )?
        .unwrap_or(50);
        let page = check_range("page", "page_range", self.page, PAGE_RANGE)?.unwrap_or(1);
        Ok((per, (page - 1) * per))
    }
}

/// A numeric query parameter within `min..=max`, or a 400 naming it with `code` (a catalog
/// key that states the bounds: `page_range`, `per_page_range`).
pub fn check_range(
    field: &'static str,
    code: &'static str,
    value: Option<i64>,
    (min, max): (i64, i64),
) -> Result<Option<i64>, AppError> {
    match value {
        Some(v) if v < min || v > max => Err(AppError::BadQuery(FieldError::new(field, code))),
        v => Ok(v),
    }
}
