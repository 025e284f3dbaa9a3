//! The year's set-up page (supervision office, admin): list kinds, reporting cadence,
//! campaigns, and the name aliases used by imports.

use super::render;
use crate::auth::{CsrfForm, Ctx};
use crate::error::AppError;
use crate::error::back_with_problem;
use crate::service::plan::{self as svc, AliasInput, CampaignInput, YearInput};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::lists::{Cadence, ListKind};
use duban_core::policy::{Action, Object};
use duban_store::aliases::{self, Alias, AliasOf};
use duban_store::campaigns::{self, Campaign, PlanYear};
use duban_store::org::{self as org_store, Unit, UnitFilter};
use duban_store::people::{self, Person};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/plan.html")]
struct PlanPage {
    ctx: Ctx,
    plan: PlanYear,
    configured: bool,
    campaigns: Vec<Campaign>,
    /// One form per campaign, and an empty one for a new campaign (last).
    forms: Vec<CampaignFormData>,
    leaders: Vec<Person>,
    units: Vec<Unit>,
    unit_aliases: Vec<Alias>,
    person_aliases: Vec<Alias>,
    kinds: [ListKind; 4],
    cadences: [Cadence; 5],
    notice: Option<&'static str>,
    problem: Option<(String, String)>,
    /// The year's light rules (红黄绿灯 thresholds).
    rules: duban_core::progress::light::LightRules,
    /// The year's report reminders (报送提醒).
    reminders: duban_core::progress::remind::Reminders,
}

/// A campaign form's values.
pub struct CampaignFormData {
    action: String,
    summary: String,
    code: String,
    name: String,
    leader: Option<i64>,
    task_force: Option<i64>,
    command_hq: Option<i64>,
}

#[derive(Deserialize, Default)]
pub struct PlanQuery {
    year: Option<i16>,
    #[serde(default)]
    ok: Option<String>,
    #[serde(default)]
    err: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PlanQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManagePlan, Object::City)?;
    let year = q.year.unwrap_or(state.today().year());
    let mut tx = state.store.begin_read().await?;
    let found = campaigns::find_plan_year(&mut tx, year).await?;
    let configured = found.is_some();
    let plan = found.unwrap_or_else(|| PlanYear::default_for(year));
    let campaigns = campaigns::list_campaigns(&mut tx, i64::from(year)).await?;
    let leaders = people::list_leaders(&mut tx).await?;
    let units = org_store::list_units(&mut tx, &UnitFilter::default()).await?;
    let unit_aliases = aliases::list_aliases(&mut tx, AliasOf::Unit).await?;
    let person_aliases = aliases::list_aliases(&mut tx, AliasOf::Person).await?;
    let rules = duban_store::progress::light_rules(&mut tx, year).await?;
    let reminders = duban_store::progress::remind::reminders(&mut tx, year).await?;
    let mut forms: Vec<CampaignFormData> = campaigns
        .iter()
        .map(|c| CampaignFormData {
            action: format!("/admin/campaigns/{}", c.id),
            summary: format!(
                "{} · {} · {}",
                c.name,
                c.lead_leader_name.as_deref().unwrap_or(""),
                c.task_force_name.as_deref().unwrap_or("")
            ),
            code: c.code.clone(),
            name: c.name.clone(),
            leader: c.lead_leader_id,
            task_force: c.task_force_id,
            command_hq: c.command_hq_id,
        })
        .collect();
    forms.push(CampaignFormData {
        action: "/admin/campaigns".into(),
        summary: String::new(),
        code: String::new(),
        name: String::new(),
        leader: None,
        task_force: None,
        command_hq: None,
    });
    let notice = super::Notice {
        ok: q.ok,
        err: None,
    }
    .key();
    let problem = super::Notice {
        ok: None,
        err: q.err,
    }
    .problem(&ctx);
    render(PlanPage {
        ctx,
        plan,
        configured,
        campaigns,
        forms,
        leaders,
        units,
        unit_aliases,
        person_aliases,
        kinds: ListKind::ALL,
        cadences: Cadence::ALL,
        notice,
        problem,
        rules,
        reminders,
    })
}

/// Every field defaults, so the policy answers before any value is checked.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LightRulesForm {
    year: i16,
    due_soon_days: i64,
    yellow_lag_points: f64,
    red_lag_points: f64,
    /// Checkboxes: present ("on") when ticked.
    report_reminders: Option<String>,
    remind_days_before: i64,
    remind_overdue: Option<String>,
}

/// Saves the year's light rules; every light of the year is recomputed with them.
pub async fn save_light_rules(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<LightRulesForm>,
) -> Result<Response, AppError> {
    let rules = duban_core::progress::light::LightRules {
        due_soon_days: f.due_soon_days,
        yellow_lag_points: f.yellow_lag_points,
        red_lag_points: f.red_lag_points,
    };
    let reminders = duban_core::progress::remind::Reminders {
        on: f.report_reminders.is_some(),
        days_before: f.remind_days_before,
        overdue: f.remind_overdue.is_some(),
    };
    let back = format!("/admin/plan?year={}", f.year);
    let saved = crate::service::progress::save_light_rules(
        &state,
        &ctx.actor,
        f.year,
        &rules,
        Some(&reminders),
    );
    match saved.await {
        Ok(()) => Ok(Redirect::to(&format!("{back}&ok=saved")).into_response()),
        Err(e) => back_with_problem(&back, e),
    }
}

/// The year form: checkboxes arrive as repeated `list_kinds` fields.
pub async fn save_year(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let year = get("year").parse().unwrap_or(state.today().year());
    let input = YearInput {
        year,
        list_kinds: pairs
            .iter()
            .filter(|(n, _)| n == "list_kinds")
            .map(|(_, v)| v.clone())
            .collect(),
        report_cadence: get("report_cadence"),
        report_day: get("report_day").trim().parse().ok(),
    };
    match svc::save_year(&state, &ctx.actor, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/plan?year={year}&ok=saved")).into_response()),
        Err(e) => back_with_problem("/admin/plan", e),
    }
}

#[derive(Deserialize)]
pub struct CampaignForm {
    #[serde(default)]
    year: i16,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    lead_leader_id: String,
    #[serde(default)]
    task_force_id: String,
    #[serde(default)]
    command_hq_id: String,
    #[serde(default)]
    sort_order: String,
}

impl CampaignForm {
    fn input(&self) -> CampaignInput {
        let id = |s: &str| s.trim().parse::<i64>().ok();
        CampaignInput {
            year: self.year,
            code: self.code.clone(),
            name: self.name.clone(),
            lead_leader_id: id(&self.lead_leader_id),
            task_force_id: id(&self.task_force_id),
            command_hq_id: id(&self.command_hq_id),
            sort_order: id(&self.sort_order),
        }
    }
}

pub async fn create_campaign(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<CampaignForm>,
) -> Result<Response, AppError> {
    match svc::create_campaign(&state, &ctx.actor, &f.input()).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/admin/plan?year={}&ok=created", f.year)).into_response())
        }
        Err(e) => back_with_problem("/admin/plan", e),
    }
}

pub async fn update_campaign(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<CampaignForm>,
) -> Result<Response, AppError> {
    match svc::update_campaign(&state, &ctx.actor, id, &f.input()).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/admin/plan?year={}&ok=saved", f.year)).into_response())
        }
        Err(e) => back_with_problem("/admin/plan", e),
    }
}

pub async fn add_alias(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<AliasInput>,
) -> Result<Response, AppError> {
    match svc::add_alias(&state, &ctx.actor, &f).await {
        Ok(()) => Ok(Redirect::to("/admin/plan?ok=created").into_response()),
        Err(e) => back_with_problem("/admin/plan", e),
    }
}

#[derive(Deserialize)]
pub struct DeleteAliasForm {
    #[serde(default)]
    of: String,
    #[serde(default)]
    alias: String,
}

pub async fn delete_alias(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<DeleteAliasForm>,
) -> Result<Response, AppError> {
    svc::delete_alias(&state, &ctx.actor, &f.of, &f.alias).await?;
    Ok(Redirect::to("/admin/plan?ok=saved").into_response())
}
