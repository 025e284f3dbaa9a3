//! The half-year showcase (晒拼) on screen: the list and the office's set-up form; an event's
//! page (steps, scoring windows, panel, guest links); a unit's page on the unified template
//! (printable, with the statement form for its unit); presenter mode for the big screen
//! (countdown, keyboard next/previous, plain links without JavaScript); the judge's form at
//! 360 px (signed in, or a guest through a one-time link); the live results (a light poll,
//! still right with a plain refresh); the raw cards and their .xlsx.

use super::{Notice, render};
use crate::auth::{self, CsrfForm, Ctx, MaybeCtx};
use crate::error::AppError;
use crate::error::back_with_problem;
use crate::service::showcase::guest::{self, DEVICE_COOKIE, GuestLink, GuestLinksInput};
use crate::service::showcase::page::{self, UnitPage};
use crate::service::showcase::{
    self as svc, CardInput, JudgeForm, JudgeInput, ShowcaseResults, StatementInput,
};
use crate::state::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use duban_core::policy::{Action, Object};
use duban_core::showcase::state::ScoringCommand;
use duban_core::showcase::{PresenterId, ShowcaseId};
use duban_store::showcase::{Card, Judge, Showcase};
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Template)]
#[template(path = "showcase/index.html")]
struct IndexPage {
    ctx: Ctx,
    rows: Vec<Showcase>,
    can_manage: bool,
    problem: Option<(String, String)>,
}

/// `GET /showcase`
pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(n): Query<Notice>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewShowcase, Object::City)?;
    let rows = svc::list(&state, &ctx.actor).await?;
    render(IndexPage {
        can_manage: ctx.may(Action::ManageShowcase, Object::City),
        problem: n.problem(&ctx),
        ctx,
        rows,
    })
}

/// The set-up form: one criterion, judge group or presenter per line.
#[derive(Debug, Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    half_year: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    trim: Option<String>,
    /// `工作实绩 40` per line.
    #[serde(default)]
    criteria: String,
    /// `市领导 60` or `市领导` per line.
    #[serde(default)]
    judge_groups: String,
    /// `unit-code group` per line, in running order.
    #[serde(default)]
    presenters: String,
}

/// `POST /showcase`
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<SetupForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageShowcase, Object::City)?;
    let input = svc::input_from_lines(
        &state,
        svc::SetupLines {
            title: f.title,
            held_on: f.held_on,
            half_year: f.half_year,
            minutes: f.minutes,
            trim: f.trim.is_some(),
            criteria: f.criteria,
            judge_groups: f.judge_groups,
            presenters: f.presenters,
        },
    )
    .await;
    let input = match input {
        Ok(i) => i,
        Err(e) => return back_with_problem("/showcase", e),
    };
    match svc::create(&state, &ctx.actor, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/showcase/{id}")).into_response()),
        Err(e) => back_with_problem("/showcase", e),
    }
}

#[derive(Template)]
#[template(path = "showcase/event.html")]
struct EventPage {
    ctx: Ctx,
    s: Showcase,
    judges: Vec<Judge>,
    can_manage: bool,
    can_cards: bool,
    is_judge: bool,
    problem: Option<(String, String)>,
}

impl EventPage {
    fn group_name(&self, j: &Judge) -> String {
        self.s
            .judge_groups
            .get(j.judge_group)
            .map(|g| g.name.clone())
            .unwrap_or_default()
    }
}

/// `GET /showcase/{id}`
pub async fn event(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response, AppError> {
    let mut tx = state.store.begin_read().await?;
    let s = svc::load(&mut tx, &ctx.actor, ShowcaseId(id)).await?;
    let can_manage = ctx.may(Action::ManageShowcase, Object::City);
    let judges = if can_manage {
        duban_store::showcase::list_judges(&mut tx, s.id).await?
    } else {
        Vec::new()
    };
    let is_judge = svc::panel_judge(&mut tx, &ctx.actor, s.id).await.is_ok();
    render(EventPage {
        can_cards: ctx.may(Action::ViewShowcaseCards, Object::City),
        problem: n.problem(&ctx),
        ctx,
        s,
        judges,
        can_manage,
        is_judge,
    })
}

#[derive(Debug, Deserialize)]
pub struct CommandForm {
    #[serde(default)]
    command: String,
}

/// `POST /showcase/{id}/state`
pub async fn set_state(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<CommandForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageShowcase, Object::City)?;
    let back = format!("/showcase/{id}");
    let Some(command) = svc::parse_command(&f.command) else {
        return back_with_problem(&back, svc::invalid("state", "showcase.wrong_state"));
    };
    match svc::command(&state, &ctx.actor, ShowcaseId(id), command).await {
        Ok(_) => Ok(Redirect::to(&back).into_response()),
        Err(e) => back_with_problem(&back, e),
    }
}

/// `POST /showcase/{id}/presenters/{presenter}/scoring`
pub async fn set_scoring(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, presenter)): Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<CommandForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageShowcase, Object::City)?;
    let back = format!("/showcase/{id}");
    let command = match f.command.as_str() {
        "open" => ScoringCommand::Open,
        "close" => ScoringCommand::Close,
        _ => return back_with_problem(&back, svc::invalid("scoring", "showcase.wrong_state")),
    };
    let r = svc::scoring(
        &state,
        &ctx.actor,
        ShowcaseId(id),
        PresenterId(presenter),
        command,
    )
    .await;
    match r {
        Ok(_) => Ok(Redirect::to(&back).into_response()),
        Err(e) => back_with_problem(&back, e),
    }
}

#[derive(Debug, Deserialize)]
pub struct PanelForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    judge_group: String,
}

/// `POST /showcase/{id}/judges`
pub async fn add_judge(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<PanelForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageShowcase, Object::City)?;
    let back = format!("/showcase/{id}");
    let input = JudgeInput {
        username: f.username,
        judge_group: f.judge_group.trim().parse().unwrap_or(-1),
    };
    match svc::add_judge(&state, &ctx.actor, ShowcaseId(id), &input).await {
        Ok(_) => Ok(Redirect::to(&back).into_response()),
        Err(e) => back_with_problem(&back, e),
    }
}

#[derive(Template)]
#[template(path = "showcase/links.html")]
struct LinksPage {
    ctx: Ctx,
    id: i64,
    links: Vec<GuestLink>,
}

#[derive(Debug, Deserialize)]
pub struct LinksForm {
    #[serde(default)]
    judge_group: String,
    #[serde(default)]
    count: String,
    #[serde(default)]
    name: String,
}

/// `POST /showcase/{id}/guest-links` — the links are shown once, on the answer.
pub async fn guest_links(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<LinksForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageShowcase, Object::City)?;
    let input = GuestLinksInput {
        judge_group: f.judge_group.trim().parse().unwrap_or(-1),
        count: f.count.trim().parse().unwrap_or(0),
        name: f.name,
    };
    match guest::create_links(&state, &ctx.actor, ShowcaseId(id), &input).await {
        Ok(links) => render(LinksPage { ctx, id, links }),
        Err(e) => back_with_problem(&format!("/showcase/{id}"), e),
    }
}

#[derive(Template)]
#[template(path = "showcase/unit.html")]
struct UnitPageView {
    ctx: Ctx,
    p: UnitPage,
    problem: Option<(String, String)>,
    saved: bool,
}

/// A case's state in the reader's language (for the facts both unit views include).
fn case_state(ctx: &Ctx, c: &page::ItemLine) -> String {
    ctx.t(&format!("case_state.{}", c.note)).to_string()
}

impl UnitPageView {
    fn case_state(&self, c: &page::ItemLine) -> String {
        case_state(&self.ctx, c)
    }
}

impl PresentPage {
    fn case_state(&self, c: &page::ItemLine) -> String {
        case_state(&self.ctx, c)
    }
}

/// `GET /showcase/{id}/presenters/{presenter}` — the unified template, printable.
pub async fn unit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, presenter)): Path<(i64, i64)>,
    Query(n): Query<Notice>,
) -> Result<Response, AppError> {
    let p = page::unit_page(&state, &ctx.actor, ShowcaseId(id), PresenterId(presenter)).await?;
    render(UnitPageView {
        problem: n.problem(&ctx),
        saved: n.key().is_some(),
        ctx,
        p,
    })
}

/// `GET /showcase/{id}/presenters/{presenter}/pdf` — the page as a PDF, in the reader's
/// language.
pub async fn unit_pdf(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, presenter)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let (bytes, name) = crate::service::showcase::print::unit_pdf(
        &state,
        &ctx.actor,
        ShowcaseId(id),
        PresenterId(presenter),
        ctx.lang,
    )
    .await?;
    Ok(
        crate::api::file_response(crate::service::showcase::print::PDF, &name, bytes)
            .into_response(),
    )
}

/// The statement form as posted (with its `_csrf`).
#[derive(Debug, Deserialize)]
pub struct StatementForm {
    #[serde(default)]
    highlights: String,
    #[serde(default)]
    shortfalls: String,
}

/// `POST /showcase/{id}/presenters/{presenter}/statement`
pub async fn statement(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, presenter)): Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<StatementForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::FillShowcase, Object::City)?;
    let f = StatementInput {
        highlights: f.highlights,
        shortfalls: f.shortfalls,
    };
    let back = format!("/showcase/{id}/presenters/{presenter}");
    let r = svc::save_statement(
        &state,
        &ctx.actor,
        ShowcaseId(id),
        PresenterId(presenter),
        &f,
    )
    .await;
    match r {
        Ok(()) => Ok(Redirect::to(&format!("{back}?ok=saved")).into_response()),
        Err(e) => back_with_problem(&back, e),
    }
}

#[derive(Template)]
#[template(path = "showcase/present.html")]
struct PresentPage {
    ctx: Ctx,
    p: UnitPage,
}

/// `GET /showcase/{id}/present/{presenter}` — presenter mode for the big screen.
pub async fn present(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, presenter)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let p = page::unit_page(&state, &ctx.actor, ShowcaseId(id), PresenterId(presenter)).await?;
    render(PresentPage { ctx, p })
}

#[derive(Template)]
#[template(path = "showcase/score.html")]
struct ScorePage {
    ctx: Ctx,
    form: JudgeForm,
    /// Where the form posts.
    action: String,
    problem: Option<(String, String)>,
    saved: bool,
}

impl ScorePage {
    fn score(&self, p: &crate::service::showcase::FormPresenter, i: &usize) -> String {
        p.scores.get(*i).map(|v| v.to_string()).unwrap_or_default()
    }
}

/// `GET /showcase/{id}/score` — a signed-in judge's form.
pub async fn score_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ScoreShowcase, Object::City)?;
    let form = svc::judge_form(&state, &ctx.actor, ShowcaseId(id)).await?;
    render(ScorePage {
        action: format!("/showcase/{id}/score"),
        problem: n.problem(&ctx),
        saved: n.key().is_some(),
        ctx,
        form,
    })
}

/// Reads a card from the form: `presenter_id`, `score` once per criterion in order, and
/// `submit` when the judge submits.
fn card_input(pairs: &[(String, String)]) -> CardInput {
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim());
    CardInput {
        presenter_id: get("presenter_id")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
        scores: pairs
            .iter()
            .filter(|(k, _)| k == "score")
            .map(|(_, v)| v.trim().parse::<i64>().unwrap_or(-1))
            .collect(),
        submit: get("submit").is_some(),
    }
}

/// `POST /showcase/{id}/score`
pub async fn score(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    svc::ensure_judge(&state, &ctx.actor, ShowcaseId(id)).await?;
    let back = format!("/showcase/{id}/score");
    match svc::write_card(&state, &ctx.actor, ShowcaseId(id), &card_input(&pairs)).await {
        Ok(()) => Ok(Redirect::to(&format!("{back}?ok=saved")).into_response()),
        Err(e) => back_with_problem(&back, e),
    }
}

fn device(jar: &CookieJar) -> Option<String> {
    jar.get(DEVICE_COOKIE).map(|c| c.value().to_string())
}

fn device_cookie(secret: String, secure: bool) -> Cookie<'static> {
    let mut c = Cookie::new(DEVICE_COOKIE, secret);
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_path("/showcase/judge");
    c.set_secure(secure);
    c
}

/// `GET /showcase/judge/{token}` — a guest judge's form. The first device claims the link.
pub async fn guest_form(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    Path(token): Path<String>,
    Query(n): Query<Notice>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::GuestScoreShowcase, Object::City)?;
    let address = auth::client_address(&headers, Some(peer), state.config.trust_proxy_headers);
    let opened = guest::open(&state, &address, &token, device(&jar).as_deref()).await?;
    let mut tx = state.store.begin_read().await?;
    let form = svc::form_for(&mut tx, &opened.showcase, &opened.judge).await?;
    drop(tx);
    let page = render(ScorePage {
        action: format!("/showcase/judge/{token}"),
        problem: n.problem(&ctx),
        saved: n.key().is_some(),
        ctx,
        form,
    })?;
    Ok(match opened.new_device {
        Some(secret) => (
            jar.add(device_cookie(secret, state.config.secure_cookies)),
            page,
        )
            .into_response(),
        None => page,
    })
}

/// `POST /showcase/judge/{token}` — a guest's card, from the device that claimed the link.
pub async fn guest_score(
    State(state): State<AppState>,
    MaybeCtx(ctx): MaybeCtx,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    Path(token): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::GuestScoreShowcase, Object::City)?;
    let address = auth::client_address(&headers, Some(peer), state.config.trust_proxy_headers);
    let back = format!("/showcase/judge/{token}");
    let r = guest::write_card(
        &state,
        &address,
        &token,
        device(&jar).as_deref(),
        &card_input(&pairs),
    )
    .await;
    match r {
        Ok(()) => Ok(Redirect::to(&format!("{back}?ok=saved")).into_response()),
        Err(e) => back_with_problem(&back, e),
    }
}

#[derive(Template)]
#[template(path = "showcase/results.html")]
struct ResultsPage {
    ctx: Ctx,
    r: ShowcaseResults,
}

/// `GET /showcase/{id}/results` — the live ranking (a plain refresh shows the same).
pub async fn results(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let r = svc::results(&state, &ctx.actor, ShowcaseId(id)).await?;
    render(ResultsPage { ctx, r })
}

#[derive(Template)]
#[template(path = "showcase/cards.html")]
struct CardsPage {
    ctx: Ctx,
    s: Showcase,
    cards: Vec<Card>,
}

impl CardsPage {
    fn group(&self, c: &Card) -> String {
        self.s
            .judge_groups
            .get(c.judge_group)
            .map(|g| g.name.clone())
            .unwrap_or_default()
    }
    fn at(&self, c: &Card) -> String {
        match c.submitted_at {
            Some(t) => self.ctx.local(t),
            None => self.ctx.t("showcase.draft_card").to_string(),
        }
    }
    fn total(&self, c: &Card) -> String {
        duban_core::showcase::tally::format_hundredths(c.total)
    }
}

/// `GET /showcase/{id}/cards` — every raw card (the office and the auditor).
pub async fn cards(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (s, cards) = svc::raw_cards(&state, &ctx.actor, ShowcaseId(id)).await?;
    render(CardsPage { ctx, s, cards })
}

/// `GET /showcase/{id}/cards.xlsx`
pub async fn cards_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (bytes, name) = svc::export_cards(&state, &ctx.actor, ShowcaseId(id)).await?;
    Ok(crate::api::file_response(svc::XLSX, &name, bytes).into_response())
}
