//! Suggestions and proposals (人大代表建议 · 政协提案) on screen: the list with its filters and
//! counts; an item with its proposers, units, deadlines, contacts, replies, ratings,
//! follow-ups, timeline and the form of every step the reader may take; the rates with the
//! items behind each number; a deputy's or member's own items, made for a phone. The handlers
//! only read the form and call `service::proposals`.

use super::{Notice, render};
use crate::auth::{CsrfForm, Ctx};
use crate::error::AppError;
use crate::error::back_with_problem;
use crate::service::proposals::files;
use crate::service::proposals::rates::{self, Dashboard, DrillQuery, RatesQuery};
use crate::service::proposals::steps::{self, StepInput};
use crate::service::proposals::view::{self, Detail, ListQuery, Listed};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::policy::{Action, Object};
use duban_core::proposals::ProposalId;
use duban_core::proposals::kind::{Kind, RejectReason};
use duban_core::proposals::rates::Measure;
use duban_core::proposals::state::{OutcomeClass, State as ItemState};

/// Rows a list page shows at once.
const PER_PAGE: i64 = 50;

#[derive(Template)]
#[template(path = "proposals/list.html")]
struct ListPage {
    ctx: Ctx,
    q: ListQuery,
    rows: Vec<Listed>,
    total: i64,
    by_state: Vec<(ItemState, i64)>,
    units: Vec<(i64, String)>,
    /// The filters as a query string (without state and page), for the count links.
    base: String,
    page: i64,
    pages: i64,
    /// The page shows a deputy's own items (their home).
    mine: bool,
}

impl ListPage {
    fn state_count_link(&self, s: &ItemState) -> String {
        join_query(&self.base, &format!("state={}", s.as_str()))
    }
    fn page_link(&self, page: i64) -> String {
        let mut b = self.base.clone();
        if let Some(s) = &self.q.state {
            b = join_query(&b, &format!("state={s}"));
        }
        join_query(&b, &format!("page={page}"))
    }
    fn selected_kind(&self, k: &str) -> bool {
        self.q.kind.as_deref() == Some(k)
    }
    fn selected_state(&self, s: &str) -> bool {
        self.q.state.as_deref() == Some(s)
    }
    fn selected_unit(&self, u: &i64) -> bool {
        self.q.unit_id == Some(*u)
    }
}

fn join_query(base: &str, pair: &str) -> String {
    if base.is_empty() {
        format!("?{pair}")
    } else {
        format!("{base}&{pair}")
    }
}

/// The filters as `?kind=…&unit_id=…` (state and page left out).
fn filter_query(q: &ListQuery) -> String {
    let mut pairs = Vec::new();
    if let Some(y) = q.year {
        pairs.push(format!("year={y}"));
    }
    if let Some(k) = q.kind.as_deref().filter(|k| !k.is_empty()) {
        pairs.push(format!("kind={}", crate::auth::urlencode(k)));
    }
    if let Some(u) = q.unit_id {
        pairs.push(format!("unit_id={u}"));
    }
    if let Some(c) = q.category.as_deref().filter(|c| !c.is_empty()) {
        pairs.push(format!("category={}", crate::auth::urlencode(c)));
    }
    if q.overdue == Some(true) {
        pairs.push("overdue=true".into());
    }
    if let Some(t) = q.q.as_deref().filter(|t| !t.trim().is_empty()) {
        pairs.push(format!("q={}", crate::auth::urlencode(t)));
    }
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

async fn list_page(
    state: &AppState,
    ctx: Ctx,
    mut q: ListQuery,
    mine: bool,
) -> Result<Response, AppError> {
    q.mine = Some(mine);
    q.per_page = Some(PER_PAGE);
    let page = q.page.unwrap_or(1).max(1);
    q.page = Some(page);
    let list = view::list(state, &ctx.actor, &q).await?;
    let units = if mine {
        Vec::new()
    } else {
        view::units(state).await?
    };
    render(ListPage {
        base: filter_query(&q),
        pages: (list.total + PER_PAGE - 1) / PER_PAGE,
        page,
        ctx,
        q,
        rows: list.rows,
        total: list.total,
        by_state: list.by_state,
        units,
        mine,
    })
}

/// `GET /proposals` — the items in the reader's scope, filtered.
pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewProposals, Object::City)?;
    list_page(&state, ctx, q, false).await
}

/// `GET /proposals/mine` — a deputy's or member's own items, lead or co-signed.
pub async fn mine(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::SubmitProposal, Object::City)?;
    list_page(&state, ctx, q, true).await
}

#[derive(Template)]
#[template(path = "proposals/item.html")]
struct ItemPage {
    ctx: Ctx,
    v: Detail,
    units: Vec<(i64, String)>,
    problem: Option<(String, String)>,
    done: Option<String>,
    /// The reader is the lead proposer or a co-signer (the rating form is theirs).
    proposer: bool,
    /// The reader is the lead proposer (their rating may agree to publish the reply).
    lead_proposer: bool,
}

impl ItemPage {
    fn may(&self, step: &str) -> bool {
        self.v.steps.contains(&step)
    }
    fn reject_reasons(&self) -> Vec<(&'static str, &'static str)> {
        self.v
            .item
            .intake
            .kind
            .intake()
            .reject_reasons
            .iter()
            .map(|r: &RejectReason| (r.as_str(), r.label_zh()))
            .collect()
    }
    fn classes(&self) -> Vec<(&'static str, &'static str)> {
        OutcomeClass::ALL
            .into_iter()
            .map(|c| (c.as_str(), c.label_zh()))
            .collect()
    }
    fn kind_label(&self) -> &'static str {
        match self.v.item.intake.kind {
            Kind::Suggestion => "props.suggestion",
            Kind::Proposal => "props.proposal",
        }
    }
    fn date(&self, d: &Option<jiff::civil::Date>) -> String {
        d.map_or_else(|| "—".to_string(), |d| d.to_string())
    }
}

/// `GET /proposals/{id}`
pub async fn item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response, AppError> {
    let v = view::detail(&state, &ctx.actor, ProposalId(id)).await?;
    let units = if v.steps.contains(&"hand_out") || v.steps.contains(&"approve_adjustment") {
        view::units(&state).await?
    } else {
        Vec::new()
    };
    let me = ctx.actor.person;
    let lead_proposer = me.is_some() && me == Some(v.item.intake.proposer_id);
    let proposer = lead_proposer
        || (me.is_some() && v.item.intake.cosigner_ids.iter().any(|c| Some(*c) == me));
    render(ItemPage {
        problem: n.problem(&ctx),
        done: n
            .ok
            .filter(|s| ItemState::parse(s).is_some() || s == "saved"),
        ctx,
        v,
        units,
        proposer,
        lead_proposer,
    })
}

/// `POST /proposals/{id}/steps` — any step; the form's fields are read as the API's body
/// (repeated `co_unit_ids` / `split_unit_ids` for several units).
pub async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let input = step_input(&pairs);
    let back = format!("/proposals/{id}");
    match steps::act(&state, &ctx.actor, ProposalId(id), &input).await {
        Ok(s) => Ok(Redirect::to(&format!("{back}?ok={}", s.as_str())).into_response()),
        Err(e) => back_with_problem(&back, e),
    }
}

/// The step as the API would take it, from a form's pairs.
fn step_input(pairs: &[(String, String)]) -> StepInput {
    let mut s = StepInput::default();
    let id = |v: &str| v.trim().parse::<i64>().ok();
    for (k, v) in pairs {
        match k.as_str() {
            "step" => s.step = v.clone(),
            "note" => s.note = v.clone(),
            "reason" => s.reason = v.clone(),
            "into_id" => s.into_id = id(v),
            "lead_unit_id" => s.lead_unit_id = id(v),
            "co_unit_ids" => s.co_unit_ids.extend(id(v)),
            "split_unit_ids" => s.split_unit_ids.extend(id(v)),
            "deadline" => s.deadline = v.clone(),
            "stage" => s.stage = v.clone(),
            "held_on" => s.held_on = v.clone(),
            "way" => s.way = v.clone(),
            "participants" => s.participants = v.clone(),
            "head_took_part" => s.head_took_part = !v.is_empty(),
            "class" => s.class = v.clone(),
            "rating" => s.rating = v.clone(),
            "solved" => s.solved = !v.is_empty(),
            "publish" => s.publish = !v.is_empty(),
            _ => {}
        }
    }
    s
}

#[derive(Template)]
#[template(path = "proposals/rates.html")]
struct RatesPage {
    ctx: Ctx,
    d: Dashboard,
    measures: Vec<Measure>,
    /// `&year=…&kind=…` for the drill-down links.
    scope: String,
}

impl RatesPage {
    fn cell(&self, g: &rates::GroupRates, m: &Measure) -> (u64, u64, String) {
        g.rates
            .get(m.as_str())
            .map_or((0, 0, "—".into()), |c| (c.num, c.den, c.percent.clone()))
    }
    fn label(&self, m: &Measure) -> String {
        self.ctx
            .t(&format!("props_measure.{}", m.as_str()))
            .to_string()
    }
    fn definition(&self, m: &Measure) -> String {
        self.ctx.t(&format!("props_def.{}", m.as_str())).to_string()
    }
}

fn rates_scope(year: i16, kind: Option<&str>) -> String {
    match kind {
        Some(k) => format!("&year={year}&kind={k}"),
        None => format!("&year={year}"),
    }
}

/// `GET /proposals/rates` — every rate for the city, per lead unit and per category.
pub async fn rates_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<RatesQuery>,
) -> Result<Response, AppError> {
    let d = rates::dashboard(&state, &ctx.actor, &q).await?;
    render(RatesPage {
        scope: rates_scope(d.year, d.kind.as_deref()),
        measures: Measure::ALL.to_vec(),
        ctx,
        d,
    })
}

#[derive(Template)]
#[template(path = "proposals/drill.html")]
struct DrillPage {
    ctx: Ctx,
    measure: Measure,
    numerator: bool,
    rows: Vec<Listed>,
    back: String,
}

/// `GET /proposals/rates/items` — exactly the items behind one number of the rates page.
pub async fn drill_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DrillQuery>,
) -> Result<Response, AppError> {
    let rows = rates::drill(&state, &ctx.actor, &q).await?;
    let measure = Measure::parse(q.measure.trim()).unwrap_or(Measure::OnTime);
    let year = q.year.unwrap_or(state.today().year());
    render(DrillPage {
        numerator: q.part.as_deref() != Some("den"),
        back: format!(
            "/proposals/rates{}",
            rates_scope(year, q.kind.as_deref()).replacen('&', "?", 1)
        ),
        ctx,
        measure,
        rows,
    })
}

#[derive(serde::Deserialize, Default)]
pub struct RoundQuery {
    /// The reply's round (default the latest signed).
    round: Option<u32>,
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn paper(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    q: &RoundQuery,
    which: files::Paper,
) -> Result<Response, AppError> {
    let (name, bytes) =
        files::reply_paper(state, &ctx.actor, ProposalId(id), q.round, which).await?;
    Ok(crate::api::file_response(DOCX, &name, bytes).into_response())
}

/// `GET /proposals/{id}/reply.docx` — the signed reply's letter (答复函).
pub async fn reply_docx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<RoundQuery>,
) -> Result<Response, AppError> {
    paper(&state, &ctx, id, &q, files::Paper::Letter).await
}

/// `GET /proposals/{id}/feedback.docx` — the proposer's feedback form (征询意见表).
pub async fn feedback_docx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<RoundQuery>,
) -> Result<Response, AppError> {
    paper(&state, &ctx, id, &q, files::Paper::FeedbackForm).await
}

/// `GET /proposals/summary.xlsx` — 办理情况汇总表.
pub async fn summary_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<RatesQuery>,
) -> Result<Response, AppError> {
    let (name, bytes) = files::summary_xlsx(&state, &ctx.actor, &q).await?;
    Ok(crate::api::file_response(XLSX, &name, bytes).into_response())
}
