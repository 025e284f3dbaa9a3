//! Who has to act on which report: the tasks a liaison, head or responsible person still has
//! to report on this period, the reports waiting for a unit head's approval, and those waiting
//! for the supervision office.

use super::lights;
use crate::error::AppError;
use crate::state::AppState;
use duban_core::lists::Cadence;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::progress::period::Period;
use duban_core::role::Role;
use duban_store::progress::queues::{self as store, DueRow, PeriodKeys, QueueFilter, QueueRow};
use serde::{Deserialize, Serialize};

/// How many rows the due list shows.
pub const LIMIT: i64 = 200;
/// How many waiting reports a review queue page shows (the office accepts a page at a time).
pub const QUEUE_PAGE: i64 = 100;

/// The review queue's filters (query string of the page and the API).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// Only reports of this unit.
    #[serde(default)]
    pub unit: Option<i64>,
    /// Only tasks of this campaign.
    #[serde(default)]
    pub campaign: Option<i64>,
    /// Only tasks whose light is red, yellow or green.
    #[serde(default)]
    pub light: Option<String>,
    /// Only "无变化" reports (`1`).
    #[serde(default)]
    pub no_change: Option<String>,
    /// Only reports sent after their due day (`1`).
    #[serde(default)]
    pub late: Option<String>,
    /// From 1.
    #[serde(default)]
    pub page: Option<i64>,
}

fn on(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|v| !v.is_empty() && v != "0")
}

impl QueueQuery {
    fn filter(&self) -> Result<QueueFilter, AppError> {
        let light = match self.light.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(l) => Some(
                duban_core::light::Light::parse(l)
                    .ok_or_else(|| {
                        AppError::BadQuery(crate::error::FieldError::new("light", "bad_choice"))
                    })?
                    .as_str()
                    .to_string(),
            ),
        };
        let page = self.page.unwrap_or(1);
        if !(1..=100_000).contains(&page) {
            return Err(AppError::BadQuery(crate::error::FieldError::new(
                "page",
                "out_of_range",
            )));
        }
        Ok(QueueFilter {
            unit: self.unit.map(duban_core::org::UnitId),
            campaign: self.campaign,
            light,
            no_change_only: on(&self.no_change),
            late_only: on(&self.late),
            limit: QUEUE_PAGE,
            offset: (page - 1) * QUEUE_PAGE,
        })
    }

    /// The filters as a query string (without the page), for links that keep them.
    pub fn query_string(&self) -> String {
        let mut parts = Vec::new();
        for (k, v) in [("unit", self.unit), ("campaign", self.campaign)] {
            if let Some(v) = v {
                parts.push(format!("{k}={v}"));
            }
        }
        if let Some(l) = self.light.as_deref().filter(|s| !s.is_empty()) {
            parts.push(format!("light={}", crate::auth::urlencode(l)));
        }
        if on(&self.no_change) {
            parts.push("no_change=1".into());
        }
        if on(&self.late) {
            parts.push("late=1".into());
        }
        parts.join("&")
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Queues {
    /// Tasks to report on this period (not sent yet first).
    pub due: Vec<DueRow>,
    /// Reports waiting for the unit head (heads only).
    pub to_approve: Vec<QueueRow>,
    pub to_approve_count: i64,
    /// Reports waiting for the office (the office only).
    pub to_accept: Vec<QueueRow>,
    pub to_accept_count: i64,
    pub period_label: String,
    pub due_on: jiff::civil::Date,
    /// The filters the review queue was read with, and its page.
    pub filter: QueueQuery,
    pub page: i64,
    pub per_page: i64,
}

/// Everything the actor has to do about reports.
pub async fn queues(
    state: &AppState,
    actor: &Actor,
    filter: &QueueQuery,
) -> Result<Queues, AppError> {
    decide(actor, Action::ViewTasks, Object::City)?;
    let qf = filter.filter()?;
    let mut tx = state.store.begin_read().await?;
    let today = state.today();
    let year = today.year();
    let plan = lights::plan(&mut tx, year).await?;
    let keys = PeriodKeys(Cadence::ALL.map(|c| Period::containing(c, today).key()));
    let current = Period::containing(plan.cadence, today);
    let role = actor.role;
    let reporting_units: Vec<_> = match role {
        Some(Role::UnitHead | Role::UnitLiaison) => actor.scope.units.iter().copied().collect(),
        _ => Vec::new(),
    };
    let due = store::due(
        &mut tx,
        year,
        &reporting_units,
        actor.person,
        plan.cadence.as_str(),
        &keys,
        LIMIT,
    )
    .await?;
    let (to_approve, to_approve_count) = if role == Some(Role::UnitHead) {
        store::waiting(&mut tx, "unit_review", Some(&reporting_units), &qf).await?
    } else {
        (Vec::new(), 0)
    };
    let (to_accept, to_accept_count) = if role == Some(Role::SupervisionOffice) {
        store::waiting(&mut tx, "submitted", None, &qf).await?
    } else {
        (Vec::new(), 0)
    };
    Ok(Queues {
        due,
        to_approve,
        to_approve_count,
        to_accept,
        to_accept_count,
        period_label: current.key(),
        due_on: current.due(plan.report_day),
        page: filter.page.unwrap_or(1),
        per_page: QUEUE_PAGE,
        filter: filter.clone(),
    })
}
