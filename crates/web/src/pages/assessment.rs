//! Assessment (督考) on screen: the group tables of a period with stars and rank changes,
//! one unit's score with every point behind it (and its head's appeal), the year's scheme
//! with the office's form for a new version, manual events (four eyes) and appeals.

use super::{Notice, render};
use crate::auth::{CsrfForm, Ctx};
use crate::error::{AppError, FieldError};
use crate::error::{back_with_problem, with_flag};
use crate::service::assessment::{
    self as svc, AdoptInput, AppealInput, DecisionInput, ProposeInput, Rankings, SchemeView,
    UnitScores, period_of,
};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::assessment::event::EventKind;
use duban_core::assessment::period::{Period, Span};
use duban_core::assessment::scheme::{Scheme, Stars};
use duban_core::assessment::{Centi, fmt_points, parse_points};
use duban_core::org::UnitId;
use duban_core::policy::{Action, Object};
use duban_store::assessment::{Appeal, Proposal};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Default, Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    pub period: Option<String>,
}

/// The periods of a year a reader can pick, up to today's: months, quarters, halves, year.
fn periods(year: i16, today: jiff::civil::Date) -> Vec<Period> {
    let last_month = if today.year() > year {
        12
    } else {
        today.month()
    };
    let mut out: Vec<Period> = (1..=last_month)
        .rev()
        .map(|m| Period::month(year, m))
        .collect();
    for q in (1..=4).rev() {
        let p = Period {
            year,
            span: Span::Quarter(q),
        };
        if p.range().0 <= today {
            out.push(p);
        }
    }
    for h in [2, 1] {
        let p = Period {
            year,
            span: Span::Half(h),
        };
        if p.range().0 <= today {
            out.push(p);
        }
    }
    out.push(Period::year(year));
    out
}

fn period_name(ctx: &Ctx, p: &Period) -> String {
    match ctx.lang {
        crate::i18n::Lang::Zh => p.name_zh(),
        crate::i18n::Lang::En => p.name_en(),
    }
}

/// "★★★★☆" for four of five.
pub fn stars(n: &u8) -> String {
    let n = usize::from((*n).min(5));
    format!("{}{}", "★".repeat(n), "☆".repeat(5 - n))
}

pub fn pts(c: &Centi) -> String {
    fmt_points(*c)
}

#[derive(Template)]
#[template(path = "assessment/index.html")]
struct IndexPage {
    ctx: Ctx,
    period: Period,
    choices: Vec<Period>,
    r: Option<Rankings>,
    may_manage: bool,
    notice: Option<&'static str>,
    refreshed: Option<String>,
}

impl IndexPage {
    fn pname(&self, p: &Period) -> String {
        period_name(&self.ctx, p)
    }
    fn module_name<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        if self.ctx.lang == crate::i18n::Lang::En {
            en
        } else {
            zh
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct IndexQuery {
    #[serde(default)]
    pub period: Option<String>,
    #[serde(default)]
    pub events: Option<String>,
}

pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<IndexQuery>,
    Query(n): Query<Notice>,
) -> Result<Response, AppError> {
    let today = state.today();
    let period = period_of(q.period.as_deref(), today)?;
    let open = svc::open_to_units(&state, period.year).await?;
    if !ctx.may(
        Action::ViewRankings,
        Object::Rankings {
            open_to_units: open,
        },
    ) {
        // A unit without the group tables goes to its own scores.
        if let Some(home) = ctx.actor.scope.home_unit
            && ctx.may(
                Action::ViewScores,
                Object::Unit {
                    id: home,
                    active: true,
                },
            )
        {
            return Ok(Redirect::to(&format!(
                "/assessment/units/{}?period={}",
                home.0,
                period.key()
            ))
            .into_response());
        }
    }
    let r = svc::rankings(&state, &ctx.actor, period).await?;
    render(IndexPage {
        choices: periods(period.year, today),
        may_manage: ctx.may(Action::ManageScheme, Object::City),
        notice: n.key(),
        refreshed: q.events.filter(|e| e.bytes().all(|b| b.is_ascii_digit())),
        period,
        r,
        ctx,
    })
}

#[derive(Template)]
#[template(path = "assessment/unit.html")]
struct UnitPage {
    ctx: Ctx,
    period: Period,
    choices: Vec<Period>,
    v: UnitScores,
    today: jiff::civil::Date,
    notice: Option<&'static str>,
    problem: Option<(String, String)>,
}

impl UnitPage {
    fn pname(&self, p: &Period) -> String {
        period_name(&self.ctx, p)
    }
    /// Why an event was reversed: the harvest's own reasons in the page's language, an
    /// officer's words as written.
    fn reversal_reason(&self, reason: &str) -> String {
        if matches!(reason, "repaired" | "reported") {
            let key = format!("assessment.reversed_{reason}");
            self.ctx.t(&key).to_string()
        } else {
            reason.to_string()
        }
    }
    fn kind_name(&self, k: &str) -> String {
        self.ctx.t(&format!("score_kind.{k}")).to_string()
    }
    fn module_name(&self, key: &str) -> String {
        self.v
            .modules
            .iter()
            .find(|m| m.key == key)
            .map(|m| {
                if self.ctx.lang == crate::i18n::Lang::En {
                    m.name_en.clone()
                } else {
                    m.name_zh.clone()
                }
            })
            .unwrap_or_else(|| key.to_string())
    }
    /// Whether an event may still be appealed today by this reader.
    fn appealable(&self, e: &duban_store::assessment::EventRow) -> bool {
        let last = e
            .day
            .checked_add(jiff::Span::new().days(i64::from(self.v.appeal_days)))
            .unwrap_or(e.day);
        self.v.may_appeal
            && e.appeal_id.is_none()
            && e.reverses.is_none()
            && e.reversed_by.is_none()
            && self.today <= last
    }
}

pub async fn unit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
    Query(n): Query<Notice>,
) -> Result<Response, AppError> {
    let today = state.today();
    let period = period_of(q.period.as_deref(), today)?;
    let v = svc::unit_scores(&state, &ctx.actor, UnitId(id), period).await?;
    render(UnitPage {
        choices: periods(period.year, today),
        problem: n.problem(&ctx),
        notice: n.key(),
        period,
        v,
        today,
        ctx,
    })
}

#[derive(Deserialize)]
pub struct AppealForm {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub back: String,
}

/// Where to go after a form: a page of this module, else the tables.
fn back_to(raw: &str) -> String {
    if raw.starts_with("/assessment") && !raw.contains("//") && !raw.contains('\\') {
        raw.split('#').next().unwrap_or("/assessment").to_string()
    } else {
        "/assessment".to_string()
    }
}

pub async fn appeal(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<AppealForm>,
) -> Result<Response, AppError> {
    let back = back_to(&f.back);
    let input = AppealInput {
        reason: f.reason,
        evidence: f.evidence,
    };
    match svc::appeal(&state, &ctx.actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&with_flag(&back, "ok=saved")).into_response()),
        Err(e) => back_with_problem(&back, e),
    }
}

#[derive(Template)]
#[template(path = "assessment/scheme.html")]
struct SchemePage {
    ctx: Ctx,
    v: SchemeView,
    current: Option<Scheme>,
    may_manage: bool,
    unit_names: HashMap<i64, String>,
    today: jiff::civil::Date,
    notice: Option<&'static str>,
    problem: Option<(String, String)>,
}

impl SchemePage {
    fn kind_name(&self, k: &str) -> String {
        self.ctx.t(&format!("score_kind.{k}")).to_string()
    }
    fn name<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        if self.ctx.lang == crate::i18n::Lang::En {
            en
        } else {
            zh
        }
    }
    fn unit_name(&self, id: &UnitId) -> String {
        self.unit_names
            .get(&id.0)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }
    fn star_values(&self) -> Vec<String> {
        match self.current.as_ref().map(|s| &s.stars) {
            Some(Stars::Score(t)) => t.iter().map(|c| fmt_points(*c)).collect(),
            Some(Stars::Share(s)) => s.iter().map(|v| v.to_string()).collect(),
            None => vec![String::new(); 4],
        }
    }
    fn stars_by_share(&self) -> bool {
        matches!(
            self.current.as_ref().map(|s| &s.stars),
            Some(Stars::Share(_))
        )
    }
    fn opt(&self, c: &Option<Centi>) -> String {
        c.map(fmt_points).unwrap_or_default()
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    pub year: Option<i16>,
}

async fn names(state: &AppState) -> Result<HashMap<i64, String>, AppError> {
    let mut tx = state.store.begin_read().await?;
    let units = duban_store::org::list_units(
        &mut tx,
        &duban_store::org::UnitFilter {
            kind: None,
            include_inactive: true,
        },
    )
    .await?;
    Ok(units.into_iter().map(|u| (u.id, u.short_name)).collect())
}

pub async fn scheme(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<YearQuery>,
    Query(n): Query<Notice>,
) -> Result<Response, AppError> {
    let today = state.today();
    let year = q.year.unwrap_or(today.year());
    let v = svc::scheme(&state, &ctx.actor, year).await?;
    let may_manage = ctx.may(Action::ManageScheme, Object::City);
    let current = match v.versions.last() {
        Some(last) => Some(last.scheme.clone()),
        None if may_manage => Some(Scheme::default_for(svc::default_groups(&state).await?)),
        None => None,
    };
    render(SchemePage {
        unit_names: names(&state).await?,
        problem: n.problem(&ctx),
        notice: n.key(),
        current,
        may_manage,
        today,
        v,
        ctx,
    })
}

/// Reads the scheme form (every field a string) into a new version of the current scheme.
fn scheme_from_form(base: &Scheme, f: &HashMap<String, String>) -> Result<Scheme, AppError> {
    let bad = |field: &'static str| AppError::Invalid(vec![FieldError::new(field, "bad_number")]);
    let get = |k: &str| f.get(k).map(|s| s.trim()).unwrap_or("");
    let pct = |k: &str, field: &'static str| -> Result<u32, AppError> {
        get(k).parse::<u32>().map_err(|_| bad(field))
    };
    let mut s = base.clone();
    s.base_pct = pct("base_pct", "base_pct")?;
    s.lead_pct = pct("lead_pct", "multipliers")?;
    s.co_pct = pct("co_pct", "multipliers")?;
    s.appeal_days = pct("appeal_days", "appeal_days")?;
    s.tables_for_all_units = get("tables_for_all_units") == "on";
    for m in &mut s.modules {
        m.weight = pct(&format!("w_{}", m.key), "modules")?;
        let cap = |k: String| -> Result<Option<Centi>, AppError> {
            match get(&k) {
                "" => Ok(None),
                v => parse_points(v).map(Some).ok_or_else(|| bad("modules")),
            }
        };
        m.cap_plus = cap(format!("cp_{}", m.key))?;
        m.cap_minus = cap(format!("cm_{}", m.key))?;
    }
    for r in &mut s.rules {
        r.points =
            parse_points(get(&format!("pt_{}", r.kind.as_str()))).ok_or_else(|| bad("rules"))?;
    }
    let star = |i: usize| get(&format!("star{i}"));
    s.stars = if get("stars_by") == "share" {
        let mut v = [0u32; 4];
        for (i, x) in v.iter_mut().enumerate() {
            *x = star(i).parse().map_err(|_| bad("stars"))?;
        }
        Stars::Share(v)
    } else {
        let mut v = [0 as Centi; 4];
        for (i, x) in v.iter_mut().enumerate() {
            *x = parse_points(star(i)).ok_or_else(|| bad("stars"))?;
        }
        Stars::Score(v)
    };
    // A kind an officer typed in (the form's "add a rule"): refused if it measures activity.
    let extra = get("new_kind");
    if !extra.is_empty() {
        let kind = EventKind::parse(extra).map_err(|e| {
            AppError::Invalid(vec![FieldError::new(
                "rules",
                duban_core::assessment::scheme::SchemeError::Kind(e).code(),
            )])
        })?;
        if s.rule(kind).is_none() {
            s.rules.push(duban_core::assessment::scheme::Rule {
                kind,
                module: kind.default_module().to_string(),
                points: kind.default_points(),
            });
        }
    }
    Ok(s)
}

pub async fn adopt(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<YearQuery>,
    CsrfForm(f): CsrfForm<HashMap<String, String>>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageScheme, Object::City)?;
    let year = q.year.unwrap_or(state.today().year());
    let back = format!("/assessment/scheme?year={year}");
    let current = {
        let v = svc::scheme(&state, &ctx.actor, year).await?;
        match v.versions.last() {
            Some(last) => last.scheme.clone(),
            None => Scheme::default_for(svc::default_groups(&state).await?),
        }
    };
    let scheme = match scheme_from_form(&current, &f) {
        Ok(s) => s,
        Err(e) => return back_with_problem(&back, e),
    };
    let in_force_from = match f.get("in_force_from").map(|s| s.trim()).unwrap_or("") {
        "" => None,
        s => match s.parse::<jiff::civil::Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                return back_with_problem(
                    &back,
                    AppError::Invalid(vec![FieldError::new("in_force_from", "bad_date")]),
                );
            }
        },
    };
    let input = AdoptInput {
        scheme,
        in_force_from,
        reason: f.get("reason").cloned().unwrap_or_default(),
    };
    match svc::adopt(&state, &ctx.actor, year, &input).await {
        Ok(_) => Ok(Redirect::to(&with_flag(&back, "ok=saved")).into_response()),
        Err(e) => back_with_problem(&back, e),
    }
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn refresh(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let year = state.today().year();
    let n = svc::refresh(&state, &ctx.actor, year).await?;
    Ok(Redirect::to(&format!("/assessment?events={n}")).into_response())
}

#[derive(Template)]
#[template(path = "assessment/proposals.html")]
struct ProposalsPage {
    ctx: Ctx,
    rows: Vec<Proposal>,
    units: Vec<duban_store::org::Unit>,
    may_propose: bool,
    today: jiff::civil::Date,
    notice: Option<&'static str>,
    problem: Option<(String, String)>,
}

impl ProposalsPage {
    fn kind_name(&self, k: &str) -> String {
        self.ctx.t(&format!("score_kind.{k}")).to_string()
    }
    fn mine(&self, p: &Proposal) -> bool {
        self.ctx.actor.user.map(|u| u.0) == Some(p.proposed_by)
    }
    fn manual_kinds(&self) -> Vec<&'static str> {
        EventKind::ALL
            .into_iter()
            .filter(|k| k.is_manual())
            .map(|k| k.as_str())
            .collect()
    }
}

pub async fn proposals(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(n): Query<Notice>,
) -> Result<Response, AppError> {
    let today = state.today();
    let rows = svc::proposals(&state, &ctx.actor, today.year()).await?;
    let units = {
        let mut tx = state.store.begin_read().await?;
        duban_store::org::list_units(&mut tx, &duban_store::org::UnitFilter::default()).await?
    };
    render(ProposalsPage {
        may_propose: ctx.may(Action::ProposeScore, Object::City),
        problem: n.problem(&ctx),
        notice: n.key(),
        rows,
        units,
        today,
        ctx,
    })
}

#[derive(Deserialize)]
pub struct ProposeForm {
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub part: String,
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub reason: String,
}

pub async fn propose(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<ProposeForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ProposeScore, Object::City)?;
    let input = ProposeInput {
        unit_id: f.unit_id.trim().parse().ok(),
        kind: f.kind,
        part: f.part,
        day: f.day,
        reason: f.reason,
    };
    match svc::propose(&state, &ctx.actor, &input).await {
        Ok(_) => Ok(Redirect::to("/assessment/proposals?ok=saved").into_response()),
        Err(e) => back_with_problem("/assessment/proposals", e),
    }
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub note: String,
}

pub async fn decide_proposal(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<DecisionForm>,
) -> Result<Response, AppError> {
    let input = DecisionInput {
        decision: f.decision,
        note: f.note,
    };
    match svc::decide_proposal(&state, &ctx.actor, id, &input).await {
        Ok(()) => Ok(Redirect::to("/assessment/proposals?ok=saved").into_response()),
        Err(e) => back_with_problem("/assessment/proposals", e),
    }
}

#[derive(Template)]
#[template(path = "assessment/appeals.html")]
struct AppealsPage {
    ctx: Ctx,
    rows: Vec<Appeal>,
    may_decide: bool,
    notice: Option<&'static str>,
    problem: Option<(String, String)>,
}

impl AppealsPage {
    fn kind_name(&self, k: &str) -> String {
        self.ctx.t(&format!("score_kind.{k}")).to_string()
    }
}

pub async fn appeals(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(n): Query<Notice>,
) -> Result<Response, AppError> {
    let rows = svc::appeals(&state, &ctx.actor).await?;
    render(AppealsPage {
        may_decide: ctx.may(Action::DecideAppeal, Object::City),
        problem: n.problem(&ctx),
        notice: n.key(),
        rows,
        ctx,
    })
}

pub async fn decide_appeal(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<DecisionForm>,
) -> Result<Response, AppError> {
    let input = DecisionInput {
        decision: f.decision,
        note: f.note,
    };
    match svc::decide_appeal(&state, &ctx.actor, id, &input).await {
        Ok(()) => Ok(Redirect::to("/assessment/appeals?ok=saved").into_response()),
        Err(e) => back_with_problem("/assessment/appeals", e),
    }
}
