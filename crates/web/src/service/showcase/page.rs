//! A presenting unit's page on the unified template (统一模板), built from what the unit
//! already reported for the half-year: weighted progress against 序时进度 and the lights at
//! the period's first and last closed month (the dashboards' trend), key indicators target
//! against actual, milestones due in the period met or missed (the lights' own rule),
//! cases due in the period and those overdue, and commitments by outcome. The unit adds only
//! its short highlights and the required 短板与差距. Nothing here is typed again.

use super::{get, invalid};
use crate::error::AppError;
use crate::state::AppState;
use duban_core::lists::Cadence;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::progress::light::milestone_met;
use duban_core::progress::period::Period;
use duban_core::progress::schedule::expected_percent;
use duban_core::showcase::{PresenterId, ShowcaseId};
use duban_store::progress::dashboard::{self as dash, DashFilter};
use duban_store::showcase::facts;
use serde::Serialize;

/// How many indicators, missed milestones and overdue cases a page lists.
pub const PAGE_ROWS: usize = 8;

/// Lights and weighted progress at one closed month.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LightsAt {
    /// The month (`2026-06`).
    pub period: String,
    pub green: i64,
    pub yellow: i64,
    pub red: i64,
    /// Weighted progress, 0–100, one decimal.
    pub progress: f64,
    /// Weighted 序时进度, 0–100, one decimal.
    pub expected: f64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IndicatorLine {
    pub task: String,
    pub name: String,
    pub target: f64,
    pub actual: Option<f64>,
    pub unit: String,
    /// actual / target in percent, one decimal.
    pub percent: Option<f64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ItemLine {
    pub title: String,
    /// The due day (`2026-05-31`).
    pub due: String,
    /// What was due (a milestone's target), or a case's state.
    pub note: String,
}

/// Everything the unified template shows for one presenter.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitPage {
    pub showcase_id: i64,
    pub title: String,
    pub state: String,
    /// `2026-H1`.
    pub half_year: String,
    pub period_start: String,
    pub period_end: String,
    pub minutes: u32,
    pub presenter_id: i64,
    pub unit_name: String,
    pub group: String,
    pub position: i64,
    pub presenters: i64,
    pub scoring: String,
    pub previous: Option<i64>,
    pub next: Option<i64>,
    /// The period's first and last closed month (`None` when no month closed in it).
    pub lights_start: Option<LightsAt>,
    pub lights_end: Option<LightsAt>,
    pub indicators: Vec<IndicatorLine>,
    pub milestones_due: usize,
    pub milestones_met: usize,
    pub milestones_missed: Vec<ItemLine>,
    pub cases_due: usize,
    pub cases_overdue_count: usize,
    pub cases_overdue: Vec<ItemLine>,
    pub commitments_kept: i64,
    pub commitments_partly: i64,
    pub commitments_broken: i64,
    pub commitments_open: i64,
    pub highlights: String,
    pub shortfalls: String,
    /// Whether 短板与差距 is filled (the template does not go on without it).
    pub complete: bool,
    /// Whether the reader may write the statement.
    pub may_fill: bool,
    /// The unit's place in its assessment ranking group for the half-year, where the year
    /// has an assessment scheme and the unit is in one of its groups.
    pub assessment: Option<AssessmentPlace>,
}

/// A unit's place in its ranking group (考核分组排名) for the showcase's half-year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AssessmentPlace {
    /// The assessment period (`2026-H1`).
    pub period: String,
    pub group_zh: String,
    pub group_en: String,
    /// 1 = first; units with equal totals share a rank.
    pub rank: u32,
    /// Units in the group.
    pub of: usize,
}

/// Where `unit` stands in the group tables of `rankings`, if it is in one.
fn place_of(rankings: &crate::service::assessment::Rankings, unit: i64) -> Option<AssessmentPlace> {
    rankings.groups.iter().find_map(|g| {
        let row = g.rows.iter().find(|r| r.unit_id == unit)?;
        Some(AssessmentPlace {
            period: rankings.period.clone(),
            group_zh: g.name_zh.clone(),
            group_en: g.name_en.clone(),
            rank: row.rank,
            of: g.rows.len(),
        })
    })
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The page of one presenter of an event.
pub async fn unit_page(
    state: &AppState,
    actor: &Actor,
    id: ShowcaseId,
    presenter: PresenterId,
) -> Result<UnitPage, AppError> {
    let mut tx = state.store.begin_read().await?;
    let s = get(&mut tx, id).await?;
    let p = s.presenter(presenter).ok_or(AppError::NotFound)?.clone();
    let object = Object::Presenter {
        unit: p.unit_id,
        state: s.state,
    };
    decide(actor, Action::ViewShowcase, object)?;
    let period = Period::parse(&s.half_year)
        .filter(|p| p.cadence == Cadence::HalfYearly)
        .ok_or_else(|| invalid("half_year", "showcase.half_year"))?;
    let year = period.start.year();
    let today = state.today();
    // Until the period is over, only what is known today counts.
    let until = period.end.min(today);
    let filter = DashFilter {
        year,
        campaign: None,
        list_kind: None,
        lead_units: Some(vec![p.unit_id]),
        member_unit: None,
        leader: None,
        line_unit: None,
    };
    let first_month = Period::containing(Cadence::Monthly, period.start).key();
    let last_month = Period::containing(Cadence::Monthly, period.end).key();
    let trend: Vec<LightsAt> = dash::trend(&mut tx, &filter)
        .await?
        .into_iter()
        .filter(|t| t.period >= first_month && t.period <= last_month)
        .map(|t| {
            let w = if t.weight_sum > 0.0 {
                t.weight_sum
            } else {
                1.0
            };
            LightsAt {
                period: t.period,
                green: t.green,
                yellow: t.yellow,
                red: t.red,
                progress: round1(t.progress_sum / w),
                expected: round1(t.expected_sum / w),
            }
        })
        .collect();
    let indicators = facts::indicators(&mut tx, p.unit_id, year, PAGE_ROWS as i64)
        .await?
        .into_iter()
        .map(|i| IndicatorLine {
            percent: i
                .actual
                .filter(|_| i.target > 0.0)
                .map(|a| round1(a / i.target * 100.0)),
            task: i.task_title,
            name: i.name,
            target: i.target,
            actual: i.actual,
            unit: i.unit,
        })
        .collect();
    let actuals = facts::actuals(&mut tx, p.unit_id, year).await?;
    let milestones = facts::milestones(&mut tx, p.unit_id, period.start, until).await?;
    let year_start = jiff::civil::date(year, 1, 1);
    let mut met = 0;
    let mut missed = Vec::new();
    for m in &milestones {
        let targets: Vec<Option<f64>> = serde_json::from_str(&m.target_values).unwrap_or_default();
        let task_actuals: Vec<Option<f64>> = actuals
            .iter()
            .filter(|(t, _, _)| *t == m.task_id)
            .map(|(_, _, a)| *a)
            .collect();
        let due = m.due_date.to_jiff();
        let expected_then = m
            .task_due
            .map(|d| expected_percent(year_start, d.to_jiff(), due));
        if milestone_met(&targets, &task_actuals, m.progress, expected_then) {
            met += 1;
        } else {
            missed.push(ItemLine {
                title: m.task_title.clone(),
                due: due.to_string(),
                note: m.target_text.clone(),
            });
        }
    }
    let cases = facts::cases_due(&mut tx, p.unit_id, period.start, until).await?;
    let overdue: Vec<ItemLine> = cases
        .iter()
        .filter(|c| c.overdue(until))
        .map(|c| ItemLine {
            title: c.title.clone(),
            due: c.due_on.to_jiff().to_string(),
            note: c.state.clone(),
        })
        .collect();
    let mut kept = 0;
    let mut partly = 0;
    let mut broken = 0;
    let mut open = 0;
    for (st, n) in facts::commitment_states(&mut tx, p.unit_id, year).await? {
        match st.as_str() {
            "fulfilled" => kept += n,
            "partly_fulfilled" => partly += n,
            "not_fulfilled" => broken += n,
            _ => open += n,
        }
    }
    let assessment = match duban_core::assessment::period::Period::parse(&s.half_year) {
        Some(ap) => crate::service::assessment::rankings_at(&mut tx, ap, today)
            .await?
            .and_then(|r| place_of(&r, p.unit_id.0)),
        None => None,
    };
    let pos = s.presenters.iter().position(|x| x.id == p.id).unwrap_or(0);
    Ok(UnitPage {
        showcase_id: s.id.0,
        title: s.title.clone(),
        state: s.state.as_str().to_string(),
        half_year: s.half_year.clone(),
        period_start: period.start.to_string(),
        period_end: period.end.to_string(),
        minutes: s.minutes,
        presenter_id: p.id.0,
        unit_name: p.unit_name.clone(),
        group: p.group.clone(),
        position: p.position,
        presenters: s.presenters.len() as i64,
        scoring: p.scoring.as_str().to_string(),
        previous: pos
            .checked_sub(1)
            .and_then(|i| s.presenters.get(i))
            .map(|x| x.id.0),
        next: s.presenters.get(pos + 1).map(|x| x.id.0),
        lights_start: trend.first().cloned(),
        lights_end: trend.last().cloned(),
        indicators,
        milestones_due: milestones.len(),
        milestones_met: met,
        cases_due: cases.len(),
        cases_overdue_count: overdue.len(),
        milestones_missed: missed.into_iter().take(PAGE_ROWS).collect(),
        cases_overdue: overdue.into_iter().take(PAGE_ROWS).collect(),
        commitments_kept: kept,
        commitments_partly: partly,
        commitments_broken: broken,
        commitments_open: open,
        complete: !p.shortfalls.trim().is_empty(),
        highlights: p.highlights,
        shortfalls: p.shortfalls,
        may_fill: decide(actor, Action::FillShowcase, object).is_ok() && !s.state.is_final(),
        assessment,
    })
}
