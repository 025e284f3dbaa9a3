//! Server-rendered pages. The route table below is the single list of page routes: the
//! router is built from it and the policy-matrix test walks it.

mod account;
mod admin;
mod assessment;
pub(crate) mod attachments;
mod bulletins;
mod calendar;
mod cases;
mod charts;
mod commitments;
mod county;
mod home;
mod inbox;
mod intake;
mod joint_settings;
mod ledger;
pub(crate) mod lists;
mod lists_files;
mod lists_form;
mod login;
mod org;
mod plan;
pub(crate) mod portal;
mod portal_browse;
mod portal_data;
mod portal_proposals;
mod progress;
mod progress_sheet;
mod proposals;
mod proposals_import;
mod search;
mod showcase;
mod transparency;

use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};

/// A report form with its evidence: up to 9 files of 10 MiB.
const REPORT_BODY_LIMIT: usize = 9 * 10 * 1024 * 1024 + 256 * 1024;

fn routes() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![
        ("GET", "/", get(home::home)),
        ("GET", "/login", get(login::form)),
        ("POST", "/login", post(login::submit)),
        ("POST", "/logout", post(login::logout)),
        ("GET", "/lang/{code}", get(login::set_lang)),
        ("GET", "/org", get(org::directory)),
        ("GET", "/org/units/{id}", get(org::unit)),
        ("GET", "/org/people", get(org::people)),
        ("GET", "/org/people/{id}", get(org::person)),
        ("GET", "/org/portfolios", get(org::portfolios)),
        ("GET", "/lists", get(lists::index)),
        ("GET", "/lists/tasks/new", get(lists_form::new_task)),
        ("POST", "/lists/tasks", post(lists_form::create_task)),
        ("GET", "/lists/tasks/{id}", get(lists::task)),
        ("POST", "/lists/tasks/{id}", post(lists_form::update_task)),
        ("GET", "/lists/tasks/{id}/edit", get(lists_form::edit_task)),
        ("POST", "/lists/tasks/{id}/review", post(lists::review)),
        (
            "GET",
            "/lists/tasks/{id}/change",
            get(lists_form::change_form),
        ),
        (
            "POST",
            "/lists/tasks/{id}/changes",
            post(lists_form::propose_change),
        ),
        ("GET", "/lists/changes", get(lists::changes)),
        (
            "POST",
            "/lists/changes/{id}/decide",
            post(lists::decide_change),
        ),
        ("POST", "/lists/submit", post(lists::submit)),
        ("GET", "/lists/import", get(lists_files::import_form)),
        (
            "POST",
            "/lists/import",
            post(lists_files::upload).layer(axum::extract::DefaultBodyLimit::max(
                lists_files::UPLOAD_LIMIT,
            )),
        ),
        (
            "POST",
            "/lists/import/{id}/commit",
            post(lists_files::commit),
        ),
        ("GET", "/lists/export.xlsx", get(lists_files::export_xlsx)),
        ("GET", "/lists/export.csv", get(lists_files::export_csv)),
        ("GET", "/reports", get(progress::reports)),
        ("GET", "/reports/export.xlsx", get(progress_sheet::export)),
        ("GET", "/reports/summary.xlsx", get(progress_sheet::summary)),
        ("GET", "/reports/import", get(progress_sheet::import_form)),
        (
            "POST",
            "/reports/import",
            post(progress_sheet::upload).layer(axum::extract::DefaultBodyLimit::max(
                crate::service::progress::sheet::MAX_UPLOAD + 64 * 1024,
            )),
        ),
        (
            "POST",
            "/reports/import/{id}/commit",
            post(progress_sheet::commit),
        ),
        ("POST", "/reports/review", post(progress::review_batch)),
        ("GET", "/reports/{id}", get(progress::report)),
        ("POST", "/reports/{id}/review", post(progress::review)),
        (
            "GET",
            "/lists/tasks/{id}/report",
            get(progress::report_form),
        ),
        (
            "POST",
            "/lists/tasks/{id}/report",
            post(progress::submit_report)
                .layer(axum::extract::DefaultBodyLimit::max(REPORT_BODY_LIMIT)),
        ),
        ("POST", "/lists/tasks/{id}/light", post(progress::set_light)),
        ("GET", "/dashboard", get(progress::dashboard_page)),
        ("GET", "/dashboard/tasks", get(progress::board_page)),
        ("GET", "/cases", get(cases::index)),
        ("GET", "/cases/new", get(cases::new_case)),
        ("POST", "/cases", post(cases::create_case)),
        ("GET", "/cases/export.xlsx", get(cases::export_xlsx)),
        ("GET", "/cases/import", get(cases::import_form)),
        (
            "POST",
            "/cases/import",
            post(cases::upload).layer(axum::extract::DefaultBodyLimit::max(
                crate::service::cases::files::MAX_UPLOAD + 64 * 1024,
            )),
        ),
        ("POST", "/cases/import/{id}/commit", post(cases::commit)),
        ("GET", "/cases/settings", get(cases::settings_page)),
        ("POST", "/cases/settings", post(cases::save_settings)),
        ("GET", "/cases/{id}", get(cases::case)),
        ("POST", "/cases/{id}/steps", post(cases::step)),
        ("POST", "/cases/{id}/reopen", post(cases::reopen)),
        ("GET", "/cases/{id}/documents/{doc}", get(cases::document)),
        ("GET", "/commitments", get(commitments::index)),
        ("GET", "/commitments/new", get(commitments::new_form)),
        ("POST", "/commitments", post(commitments::create)),
        ("GET", "/commitments/{id}", get(commitments::commitment)),
        ("POST", "/commitments/{id}", post(commitments::update)),
        ("GET", "/commitments/{id}/edit", get(commitments::edit_form)),
        (
            "GET",
            "/commitments/{id}/amend",
            get(commitments::amend_form),
        ),
        (
            "POST",
            "/commitments/{id}/amendments",
            post(commitments::amend),
        ),
        ("POST", "/commitments/{id}/steps", post(commitments::step)),
        (
            "POST",
            "/commitments/{id}/evaluations/set-aside",
            post(commitments::set_aside),
        ),
        (
            "POST",
            "/commitments/{id}/evaluations",
            post(commitments::evaluate),
        ),
        ("GET", "/livelihood", get(commitments::livelihood_index)),
        ("GET", "/livelihood/{id}", get(commitments::project)),
        ("POST", "/livelihood/{id}/votes", post(commitments::vote)),
        ("POST", "/livelihood/{id}/close", post(commitments::close)),
        ("GET", "/attachments/{id}", get(attachments::download)),
        ("GET", "/attachments/{id}/thumb", get(attachments::thumb)),
        ("GET", "/meetings/new", get(cases::new_meeting)),
        ("POST", "/meetings", post(cases::create_meeting)),
        ("GET", "/admin/plan", get(plan::page)),
        ("POST", "/admin/plan", post(plan::save_year)),
        ("POST", "/admin/plan/lights", post(plan::save_light_rules)),
        ("POST", "/admin/campaigns", post(plan::create_campaign)),
        ("POST", "/admin/campaigns/{id}", post(plan::update_campaign)),
        ("POST", "/admin/aliases", post(plan::add_alias)),
        ("POST", "/admin/aliases/delete", post(plan::delete_alias)),
        // County and township as one (县乡一体, issue 19).
        ("GET", "/duties", get(county::duties_page)),
        ("POST", "/duties", post(county::create_duty)),
        ("GET", "/duties/export.xlsx", get(county::export_duties)),
        (
            "POST",
            "/duties/import",
            post(county::upload_duties)
                .layer(axum::extract::DefaultBodyLimit::max(county::UPLOAD_LIMIT)),
        ),
        (
            "POST",
            "/duties/import/{id}/commit",
            post(county::commit_duties),
        ),
        ("GET", "/duties/{id}", get(county::duty_page)),
        ("POST", "/duties/{id}", post(county::update_duty)),
        ("GET", "/joint", get(county::joint_list)),
        ("POST", "/joint", post(county::raise)),
        ("GET", "/joint/figures", get(county::figures)),
        ("GET", "/joint/figures.xlsx", get(county::export_figures)),
        ("GET", "/joint/settings", get(joint_settings::settings_page)),
        (
            "POST",
            "/joint/settings",
            post(joint_settings::save_settings),
        ),
        ("GET", "/joint/{id}", get(county::joint_page)),
        ("POST", "/joint/{id}/report-in", post(county::report_in)),
        ("POST", "/joint/{id}/feedback", post(county::feed_back)),
        ("POST", "/joint/{id}/close", post(county::close)),
        (
            "POST",
            "/joint/{id}/rate-department",
            post(county::rate_department),
        ),
        ("POST", "/joint/{id}/rate-town", post(county::rate_town)),
        ("GET", "/search", get(search::page)),
        ("GET", "/inbox", get(inbox::page)),
        ("POST", "/inbox/read", post(inbox::read)),
        ("POST", "/inbox/prefs", post(inbox::save_prefs)),
        ("GET", "/account", get(account::page)),
        ("POST", "/account/password", post(account::change_password)),
        ("POST", "/account/tokens", post(account::create_token)),
        (
            "POST",
            "/account/tokens/{id}/revoke",
            post(account::revoke_token),
        ),
        ("GET", "/admin/units/new", get(admin::new_unit)),
        ("POST", "/admin/units", post(admin::create_unit)),
        ("GET", "/admin/units/{id}/edit", get(admin::edit_unit)),
        ("POST", "/admin/units/{id}", post(admin::update_unit)),
        (
            "POST",
            "/admin/units/{id}/active",
            post(admin::set_unit_active),
        ),
        (
            "POST",
            "/admin/units/{id}/sections",
            post(admin::add_section),
        ),
        ("POST", "/admin/sections/{id}", post(admin::update_section)),
        ("POST", "/admin/units/{id}/posts", post(admin::add_post)),
        (
            "POST",
            "/admin/posts/{id}/active",
            post(admin::set_post_active),
        ),
        ("POST", "/admin/units/{id}/members", post(admin::add_member)),
        (
            "POST",
            "/admin/units/{id}/members/{person}/end",
            post(admin::remove_member),
        ),
        ("GET", "/admin/people/new", get(admin::new_person)),
        ("POST", "/admin/people", post(admin::create_person)),
        ("GET", "/admin/people/{id}/edit", get(admin::edit_person)),
        ("POST", "/admin/people/{id}", post(admin::update_person)),
        (
            "POST",
            "/admin/people/{id}/active",
            post(admin::set_person_active),
        ),
        (
            "POST",
            "/admin/people/{id}/password",
            post(admin::reset_password),
        ),
        ("POST", "/admin/portfolios", post(admin::add_portfolio)),
        (
            "POST",
            "/admin/portfolios/{id}/end",
            post(admin::end_portfolio),
        ),
        ("GET", "/admin/ledger", get(ledger::moved)),
        ("GET", "/ledger", get(ledger::index)),
        ("GET", "/ledger/export.xlsx", get(ledger::export_xlsx)),
        ("GET", "/ledger/export.jsonl", get(ledger::export_jsonl)),
        ("GET", "/ledger/{seq}", get(ledger::entry)),
        ("GET", "/assessment", get(assessment::index)),
        ("POST", "/assessment/refresh", post(assessment::refresh)),
        ("GET", "/assessment/units/{id}", get(assessment::unit)),
        (
            "POST",
            "/assessment/events/{id}/appeal",
            post(assessment::appeal),
        ),
        ("GET", "/assessment/scheme", get(assessment::scheme)),
        ("POST", "/assessment/scheme", post(assessment::adopt)),
        ("GET", "/assessment/proposals", get(assessment::proposals)),
        ("POST", "/assessment/proposals", post(assessment::propose)),
        (
            "POST",
            "/assessment/proposals/{id}/decide",
            post(assessment::decide_proposal),
        ),
        ("GET", "/assessment/bulletins", get(bulletins::index)),
        ("POST", "/assessment/bulletins", post(bulletins::generate)),
        (
            "POST",
            "/assessment/bulletins/series/{year}",
            post(bulletins::set_series),
        ),
        ("GET", "/assessment/bulletins/{id}", get(bulletins::show)),
        (
            "POST",
            "/assessment/bulletins/{id}/commentary",
            post(bulletins::edit),
        ),
        (
            "POST",
            "/assessment/bulletins/{id}/issue",
            post(bulletins::issue),
        ),
        (
            "GET",
            "/assessment/bulletins/{id}/files/{format}",
            get(bulletins::download),
        ),
        ("GET", "/assessment/appeals", get(assessment::appeals)),
        (
            "POST",
            "/assessment/appeals/{id}/decide",
            post(assessment::decide_appeal),
        ),
        (
            "GET",
            "/transparency/public-key",
            get(transparency::public_key),
        ),
        ("GET", "/public", get(portal::home)),
        ("GET", "/public/report", get(portal::report_form)),
        ("POST", "/public/report", post(portal::submit_report)),
        ("GET", "/public/track", get(portal::track)),
        ("GET", "/public/requests/{tracking}", get(portal::request)),
        (
            "GET",
            "/public/commitments",
            get(portal_browse::commitments),
        ),
        ("GET", "/public/commitments/{id}", get(portal::commitment)),
        (
            "GET",
            "/public/commitments/{id}/evaluate",
            get(portal_browse::evaluate_form),
        ),
        (
            "POST",
            "/public/commitments/{id}/evaluate",
            post(portal_browse::evaluate),
        ),
        ("GET", "/public/projects/{id}", get(portal_browse::project)),
        ("GET", "/public/search", get(portal_browse::search)),
        ("GET", "/public/proposals", get(portal_proposals::list)),
        ("GET", "/public/proposals/{id}", get(portal_proposals::item)),
        (
            "GET",
            "/public/data/commitments.json",
            get(portal_data::commitments_json),
        ),
        (
            "GET",
            "/public/data/commitments.csv",
            get(portal_data::commitments_csv),
        ),
        (
            "GET",
            "/public/data/commitments/{id}",
            get(portal::commitment_json),
        ),
        (
            "GET",
            "/public/data/requests.json",
            get(portal_data::requests_json),
        ),
        (
            "GET",
            "/public/data/requests.csv",
            get(portal_data::requests_csv),
        ),
        ("GET", "/public/feed.atom", get(portal_data::feed)),
        ("GET", "/public/bulletins", get(bulletins::public_list)),
        (
            "GET",
            "/public/bulletins/{id}/files/{format}",
            get(bulletins::public_file),
        ),
        ("GET", "/intake", get(intake::index)),
        ("GET", "/intake/{id}", get(intake::request)),
        ("POST", "/intake/{id}/accept", post(intake::accept)),
        ("POST", "/intake/{id}/reject", post(intake::reject)),
        ("POST", "/intake/{id}/reply", post(intake::reply)),
        ("GET", "/intake/{id}/photo", get(intake::photo)),
        ("GET", "/admin/calendar", get(calendar::page)),
        ("POST", "/admin/calendar", post(calendar::set_day)),
        (
            "POST",
            "/admin/calendar/{day}/clear",
            post(calendar::clear_day),
        ),
        // 晒拼 — the half-year showcase.
        ("GET", "/showcase", get(showcase::index)),
        ("POST", "/showcase", post(showcase::create)),
        ("GET", "/showcase/{id}", get(showcase::event)),
        ("POST", "/showcase/{id}/state", post(showcase::set_state)),
        (
            "POST",
            "/showcase/{id}/presenters/{presenter}/scoring",
            post(showcase::set_scoring),
        ),
        (
            "GET",
            "/showcase/{id}/presenters/{presenter}",
            get(showcase::unit),
        ),
        (
            "POST",
            "/showcase/{id}/presenters/{presenter}/statement",
            post(showcase::statement),
        ),
        (
            "GET",
            "/showcase/{id}/presenters/{presenter}/pdf",
            get(showcase::unit_pdf),
        ),
        (
            "GET",
            "/showcase/{id}/present/{presenter}",
            get(showcase::present),
        ),
        ("GET", "/showcase/{id}/score", get(showcase::score_form)),
        ("POST", "/showcase/{id}/score", post(showcase::score)),
        ("GET", "/showcase/{id}/results", get(showcase::results)),
        ("POST", "/showcase/{id}/judges", post(showcase::add_judge)),
        (
            "POST",
            "/showcase/{id}/guest-links",
            post(showcase::guest_links),
        ),
        ("GET", "/showcase/{id}/cards", get(showcase::cards)),
        (
            "GET",
            "/showcase/{id}/cards.xlsx",
            get(showcase::cards_xlsx),
        ),
        ("GET", "/showcase/judge/{token}", get(showcase::guest_form)),
        (
            "POST",
            "/showcase/judge/{token}",
            post(showcase::guest_score),
        ),
        // 人大代表建议 · 政协提案 (issue 16).
        ("GET", "/proposals", get(proposals::index)),
        ("GET", "/proposals/mine", get(proposals::mine)),
        ("GET", "/proposals/rates", get(proposals::rates_page)),
        ("GET", "/proposals/rates/items", get(proposals::drill_page)),
        (
            "GET",
            "/proposals/summary.xlsx",
            get(proposals::summary_xlsx),
        ),
        (
            "GET",
            "/proposals/import",
            get(proposals_import::import_form),
        ),
        (
            "POST",
            "/proposals/import",
            post(proposals_import::upload).layer(axum::extract::DefaultBodyLimit::max(
                lists_files::UPLOAD_LIMIT,
            )),
        ),
        (
            "POST",
            "/proposals/import/{id}/commit",
            post(proposals_import::commit),
        ),
        ("GET", "/proposals/{id}", get(proposals::item)),
        (
            "GET",
            "/proposals/{id}/reply.docx",
            get(proposals::reply_docx),
        ),
        (
            "GET",
            "/proposals/{id}/feedback.docx",
            get(proposals::feedback_docx),
        ),
        ("POST", "/proposals/{id}/steps", post(proposals::step)),
    ]
}

/// Every page route as (method, path template), for tests and docs.
pub fn route_list() -> Vec<(&'static str, &'static str)> {
    routes().into_iter().map(|(m, p, _)| (m, p)).collect()
}

pub fn router() -> Router<AppState> {
    routes()
        .into_iter()
        .fold(Router::new(), |r, (_, path, handler)| {
            r.route(path, handler)
        })
        .layer(axum::middleware::map_request(drop_empty_query))
}

/// A filter form sends every field, the untouched ones empty (`?unit=&light=red`): on a page,
/// an empty parameter means "any", so it is dropped before the filters are read (an empty
/// number would otherwise be an unreadable one).
async fn drop_empty_query(mut req: axum::extract::Request) -> axum::extract::Request {
    let Some(query) = req.uri().query() else {
        return req;
    };
    if !query.split('&').any(|p| p.is_empty() || p.ends_with('=')) {
        return req;
    }
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.ends_with('='))
        .collect();
    let path = req.uri().path();
    let rebuilt = if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    };
    if let Ok(uri) = rebuilt.parse::<axum::http::Uri>() {
        let mut parts = req.uri().clone().into_parts();
        if let Some(pq) = uri.path_and_query() {
            parts.path_and_query = Some(pq.clone());
        }
        if let Ok(uri) = axum::http::Uri::from_parts(parts) {
            *req.uri_mut() = uri;
        }
    }
    req
}

/// Renders a template as an HTML response.
pub fn render(t: impl Template) -> Result<Response, AppError> {
    Ok(Html(t.render()?).into_response())
}

/// Query flags for a message after a redirect (`?ok=saved`).
#[derive(Debug, Default, serde::Deserialize)]
pub struct Notice {
    #[serde(default)]
    pub ok: Option<String>,
    /// `field.code` of a problem from an inline form.
    #[serde(default)]
    pub err: Option<String>,
}

impl Notice {
    /// The field and the catalog key of its message, if `err` names a known problem (anything
    /// else in the query string is ignored, so a link cannot put text on the page).
    pub fn problem(&self, ctx: &crate::auth::Ctx) -> Option<(String, String)> {
        let (field, code) = self.err.as_deref()?.split_once('.')?;
        let key = format!("err.{code}");
        let known = ctx.t(&key) != key && ctx.field(field) != format!("field.{field}");
        known.then(|| (field.to_string(), key))
    }

    /// The catalog key of the message, if the flag is one we know.
    pub fn key(&self) -> Option<&'static str> {
        match self.ok.as_deref()? {
            "saved" => Some("notice.saved"),
            "created" => Some("notice.created"),
            "deactivated" => Some("notice.deactivated"),
            "activated" => Some("notice.activated"),
            "password" => Some("notice.password_changed"),
            "revoked" => Some("notice.revoked"),
            _ => None,
        }
    }
}
