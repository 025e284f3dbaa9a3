//! The dashboards: the city (per campaign and list kind), a unit, a leader's portfolio, a task
//! force. Counts by light, weighted progress against 序时进度, the tasks that need attention,
//! the trend of closed months and units ranked by on-time reporting — all read from the
//! maintained lights and aggregates, limited to what the reader may see.

use crate::error::AppError;
use crate::state::AppState;
use duban_core::light::Light;
use duban_core::lists::{CampaignId, ListKind};
use duban_core::org::{PersonId, UnitId};
use duban_core::policy::{Action, Actor, Object, decide};
use duban_store::portfolios::{PortfolioFilter, list_portfolios};
use duban_store::progress::dashboard::{
    self as store, Attention, AttentionRow, BoardNarrow, BoardRow, DashFilter, Group, Timeliness,
};
use jiff::ToSpan;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which dashboard, and its filters (query string of the page and the API).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashQuery {
    #[serde(default)]
    pub year: Option<i16>,
    #[serde(default)]
    pub campaign: Option<i64>,
    #[serde(default)]
    pub list_kind: Option<String>,
    /// A unit's dashboard (the tasks it leads).
    #[serde(default)]
    pub unit: Option<i64>,
    /// A task force's or command HQ's dashboard (the tasks it leads or takes part in).
    #[serde(default)]
    pub force: Option<i64>,
    /// A leader's dashboard (the tasks of the units in their portfolio, and those they lead).
    #[serde(default)]
    pub leader: Option<i64>,
    /// Within the dashboard, only the tasks this unit leads (a line of its table).
    #[serde(default)]
    pub line_unit: Option<i64>,
}

#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Counts {
    pub green: i64,
    pub yellow: i64,
    pub red: i64,
    pub total: i64,
    /// Weighted mean of accepted progress, 0–100.
    pub progress: f64,
    /// Weighted mean of 序时进度, 0–100.
    pub expected: f64,
    #[serde(skip)]
    progress_sum: f64,
    #[serde(skip)]
    expected_sum: f64,
    #[serde(skip)]
    weight_sum: f64,
}

impl Counts {
    fn add(&mut self, g: &Group) {
        match g.light.as_str() {
            "red" => self.red += g.n,
            "yellow" => self.yellow += g.n,
            _ => self.green += g.n,
        }
        self.total += g.n;
        self.progress_sum += g.progress_sum;
        self.expected_sum += g.expected_sum;
        self.weight_sum += g.weight_sum;
        self.finish();
    }

    fn finish(&mut self) {
        if self.weight_sum > 0.0 {
            self.progress = round1(self.progress_sum / self.weight_sum);
            self.expected = round1(self.expected_sum / self.weight_sum);
        }
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// One line of a breakdown (a unit, a campaign, a list kind).
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// The id (unit, campaign) or the kind, for the drill-down link.
    pub key: String,
    pub name: String,
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrendPoint {
    pub period: String,
    pub green: i64,
    pub yellow: i64,
    pub red: i64,
    pub progress: f64,
    pub expected: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rank {
    pub unit_id: i64,
    pub unit_name: String,
    /// Reports sent by their due day over reports due (on time + late + missing), 0–100.
    pub on_time_rate: f64,
    pub on_time: i64,
    pub late: i64,
    pub missing: i64,
    pub returned: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub year: i16,
    /// city | unit | force | leader
    pub kind: &'static str,
    /// The unit's or leader's name.
    pub subject: Option<String>,
    pub query_string: String,
    pub totals: Counts,
    pub by_unit: Vec<Line>,
    pub by_campaign: Vec<Line>,
    pub by_kind: Vec<Line>,
    pub overdue: Vec<AttentionRow>,
    pub overdue_count: i64,
    pub due_soon: Vec<AttentionRow>,
    pub due_soon_count: i64,
    pub forecast_late: Vec<AttentionRow>,
    pub forecast_late_count: i64,
    pub trend: Vec<TrendPoint>,
    pub ranking: Vec<Rank>,
    /// 时间过半、任务过半: from 30 June, tasks below half done.
    pub half_year_checked: bool,
    pub below_half: i64,
}

/// How many attention rows a dashboard lists.
pub const ATTENTION_ROWS: i64 = 10;
/// Days ahead that count as due soon on a dashboard.
pub const DUE_SOON_DAYS: i64 = 14;

pub async fn dashboard(
    state: &AppState,
    actor: &Actor,
    q: &DashQuery,
) -> Result<Dashboard, AppError> {
    decide(actor, Action::ViewDashboard, Object::City)?;
    let today = state.today();
    let mut tx = state.store.begin_read().await?;
    // Read first, so everything below is at least as new as this head.
    let head = duban_store::ledger::head_seq(&mut tx).await?;
    let board = board(&mut tx, actor, q, today).await?;
    // Everything the answer depends on besides the data: the same filter on the same day.
    let key = format!(
        "dashboard|{today}|{}|{:?}|{:?}|{}",
        board.kind,
        board.subject,
        board.filter,
        query_string(q)
    );
    if let Some(kept) = state.read_cache.get::<Dashboard>(&key, head) {
        return Ok(Dashboard::clone(&kept));
    }
    let d = build(&mut tx, board, q, today).await?;
    state
        .read_cache
        .put(key, head, std::sync::Arc::new(d.clone()));
    Ok(d)
}

/// The dashboard of `board` read in `tx`.
async fn build(
    tx: &mut duban_store::Tx,
    board: Board,
    q: &DashQuery,
    today: jiff::civil::Date,
) -> Result<Dashboard, AppError> {
    let Board {
        filter: f,
        kind,
        subject,
    } = board;
    let year = f.year;
    let groups = store::groups(tx, &f).await?;
    let names = unit_names(tx).await?;
    let campaigns: BTreeMap<i64, String> =
        duban_store::campaigns::list_campaigns(tx, i64::from(year))
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
    let mut totals = Counts::default();
    let mut by_unit: BTreeMap<i64, Counts> = BTreeMap::new();
    let mut by_campaign: BTreeMap<i64, Counts> = BTreeMap::new();
    let mut by_kind: BTreeMap<String, Counts> = BTreeMap::new();
    for g in &groups {
        totals.add(g);
        by_unit.entry(g.lead_unit_id).or_default().add(g);
        by_campaign
            .entry(g.campaign_id.unwrap_or(0))
            .or_default()
            .add(g);
        by_kind.entry(g.list_kind.clone()).or_default().add(g);
    }
    let mut by_unit: Vec<Line> = by_unit
        .into_iter()
        .map(|(id, counts)| Line {
            key: id.to_string(),
            name: names.get(&id).cloned().unwrap_or_default(),
            counts,
        })
        .collect();
    // Most red first, then most yellow, then least progress.
    by_unit.sort_by(|a, b| {
        (b.counts.red, b.counts.yellow)
            .cmp(&(a.counts.red, a.counts.yellow))
            .then(a.counts.progress.total_cmp(&b.counts.progress))
    });
    let by_campaign = by_campaign
        .into_iter()
        .map(|(id, counts)| Line {
            key: id.to_string(),
            name: campaigns.get(&id).cloned().unwrap_or_default(),
            counts,
        })
        .collect();
    let by_kind = ListKind::ALL
        .iter()
        .filter_map(|k| {
            by_kind.get(k.as_str()).map(|counts| Line {
                key: k.as_str().to_string(),
                name: k.as_str().to_string(),
                counts: *counts,
            })
        })
        .collect();
    let (overdue, overdue_count) =
        store::attention(tx, &f, Attention::Overdue, today, ATTENTION_ROWS).await?;
    let until = today.checked_add(DUE_SOON_DAYS.days()).unwrap_or(today);
    let (due_soon, due_soon_count) =
        store::attention(tx, &f, Attention::DueSoon(until), today, ATTENTION_ROWS).await?;
    let (forecast_late, forecast_late_count) =
        store::attention(tx, &f, Attention::ForecastLate, today, ATTENTION_ROWS).await?;
    let trend = store::trend(tx, &f)
        .await?
        .into_iter()
        .map(|t| {
            let w = if t.weight_sum > 0.0 {
                t.weight_sum
            } else {
                1.0
            };
            TrendPoint {
                period: t.period,
                green: t.green,
                yellow: t.yellow,
                red: t.red,
                progress: round1(t.progress_sum / w),
                expected: round1(t.expected_sum / w),
            }
        })
        .collect();
    let ranking = ranking(store::timeliness(tx, year, f.lead_units.as_deref()).await?);
    let half_year_checked = today >= jiff::civil::date(year, 6, 30);
    let below_half = if half_year_checked {
        groups.iter().map(|g| g.below_half).sum()
    } else {
        0
    };
    Ok(Dashboard {
        year,
        kind,
        subject,
        query_string: query_string(q),
        totals,
        by_unit,
        by_campaign,
        by_kind,
        overdue,
        overdue_count,
        due_soon,
        due_soon_count,
        forecast_late,
        forecast_late_count,
        trend,
        ranking,
        half_year_checked,
        below_half,
    })
}

/// A dashboard's drill-down: the tasks it counts, narrowed by light, attention list or words,
/// a page at a time. Built from the same filter as the counts, so a count opens exactly that
/// many rows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BoardTasks {
    pub year: i16,
    /// city | unit | force | leader
    pub kind: &'static str,
    pub subject: Option<String>,
    /// The dashboard's own query string (year, campaign, kind, unit, force, leader).
    pub query_string: String,
    pub light: Option<String>,
    pub attention: Option<String>,
    pub q: String,
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<BoardRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// How many rows a drill-down page lists.
pub const BOARD_PAGE: i64 = 50;

/// What a drill-down narrows to (query string of the page and the API).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BoardQuery {
    /// red | yellow | green
    #[serde(default)]
    pub light: Option<String>,
    /// overdue | due_soon | forecast_late
    #[serde(default)]
    pub attention: Option<String>,
    /// Words of the title or content.
    #[serde(default)]
    pub q: Option<String>,
    /// From 1.
    #[serde(default)]
    pub page: Option<i64>,
}

pub async fn board_tasks(
    state: &AppState,
    actor: &Actor,
    q: &DashQuery,
    narrow: &BoardQuery,
) -> Result<BoardTasks, AppError> {
    decide(actor, Action::ViewDashboard, Object::City)?;
    let today = state.today();
    let light = match narrow.light.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(l) => Some(Light::parse(l).ok_or_else(|| bad("light"))?),
    };
    let until = today.checked_add(DUE_SOON_DAYS.days()).unwrap_or(today);
    let attention = match narrow.attention.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some("overdue") => Some(Attention::Overdue),
        Some("due_soon") => Some(Attention::DueSoon(until)),
        Some("forecast_late") => Some(Attention::ForecastLate),
        Some("below_half") => Some(Attention::BelowHalf),
        Some(_) => return Err(bad("attention")),
    };
    let page = narrow.page.unwrap_or(1);
    if !(1..=100_000).contains(&page) {
        return Err(bad("page"));
    }
    let text = narrow.q.as_deref().map(str::trim).unwrap_or("").to_string();
    let mut tx = state.store.begin_read().await?;
    let b = board(&mut tx, actor, q, today).await?;
    let (rows, total) = store::tasks(
        &mut tx,
        &b.filter,
        &BoardNarrow {
            light,
            attention,
            text: Some(text.clone()),
        },
        today,
        BOARD_PAGE,
        (page - 1) * BOARD_PAGE,
    )
    .await?;
    Ok(BoardTasks {
        year: b.filter.year,
        kind: b.kind,
        subject: b.subject,
        query_string: query_string(q),
        light: light.map(|l| l.as_str().to_string()),
        attention: attention.map(|_| narrow.attention.clone().unwrap_or_default()),
        q: text,
        rows,
        total,
        page,
        per_page: BOARD_PAGE,
    })
}

fn bad(field: &'static str) -> AppError {
    AppError::BadQuery(crate::error::FieldError::new(field, "bad_choice"))
}

/// Which tasks a dashboard counts, and whose dashboard it is.
struct Board {
    filter: DashFilter,
    kind: &'static str,
    subject: Option<String>,
}

/// The dashboard's filter from its query, limited to what the reader may see.
async fn board(
    tx: &mut duban_store::Tx,
    actor: &Actor,
    q: &DashQuery,
    today: jiff::civil::Date,
) -> Result<Board, AppError> {
    let year = q.year.unwrap_or(today.year());
    let mut f = DashFilter {
        year,
        campaign: q.campaign.map(CampaignId),
        list_kind: q.list_kind.as_deref().and_then(ListKind::parse),
        line_unit: q.line_unit.map(UnitId),
        ..DashFilter::default()
    };
    let mut kind = "city";
    let mut subject = None;
    if let Some(u) = q.unit.map(UnitId) {
        let unit = duban_store::org::get_unit(tx, u).await?;
        decide(
            actor,
            Action::ViewUnit,
            Object::Unit {
                id: u,
                active: unit.active,
            },
        )?;
        f.lead_units = Some(vec![u]);
        kind = "unit";
        subject = Some(unit.name);
    } else if let Some(u) = q.force.map(UnitId) {
        let unit = duban_store::org::get_unit(tx, u).await?;
        decide(
            actor,
            Action::ViewUnit,
            Object::Unit {
                id: u,
                active: unit.active,
            },
        )?;
        f.member_unit = Some(u);
        kind = "force";
        subject = Some(unit.name);
    } else if let Some(p) = q.leader.map(PersonId) {
        let portfolios = list_portfolios(
            tx,
            &PortfolioFilter {
                leader: Some(p),
                on: Some(today),
                ..PortfolioFilter::default()
            },
        )
        .await?;
        let person = duban_store::people::get_person(tx, p).await?;
        f.lead_units = Some(portfolios.iter().map(|x| UnitId(x.unit_id)).collect());
        f.leader = Some(p);
        kind = "leader";
        subject = Some(person.name);
    }
    // A reader who does not see the whole city sees the tasks of their own units only.
    if !actor.role.is_some_and(|r| r.sees_whole_city()) {
        let mine: Vec<UnitId> = actor.scope.units.iter().copied().collect();
        f.lead_units = Some(match f.lead_units.take() {
            Some(units) => units.into_iter().filter(|u| mine.contains(u)).collect(),
            None => mine,
        });
        if f.leader.is_some_and(|p| Some(p) != actor.person) {
            f.leader = None;
        }
    }
    Ok(Board {
        filter: f,
        kind,
        subject,
    })
}

/// Units ranked by on-time reporting, best first (ties: fewer returns, then name).
pub fn ranking(rows: Vec<Timeliness>) -> Vec<Rank> {
    let mut out: Vec<Rank> = rows
        .into_iter()
        .map(|t| {
            let due = t.on_time + t.late + t.missing;
            let rate = if due > 0 {
                round1(100.0 * t.on_time as f64 / due as f64)
            } else {
                0.0
            };
            Rank {
                unit_id: t.unit_id,
                unit_name: t.unit_name,
                on_time_rate: rate,
                on_time: t.on_time,
                late: t.late,
                missing: t.missing,
                returned: t.returned,
            }
        })
        .filter(|r| r.on_time + r.late + r.missing > 0)
        .collect();
    out.sort_by(|a, b| {
        b.on_time_rate
            .total_cmp(&a.on_time_rate)
            .then(a.returned.cmp(&b.returned))
            .then(a.unit_name.cmp(&b.unit_name))
    });
    out
}

async fn unit_names(tx: &mut duban_store::Tx) -> Result<BTreeMap<i64, String>, AppError> {
    let rows: Vec<(i64, String)> = duban_store::sql("SELECT id, short_name FROM units")
        .fetch_all(tx)
        .await?;
    Ok(rows.into_iter().collect())
}

fn query_string(q: &DashQuery) -> String {
    let mut parts = Vec::new();
    if let Some(y) = q.year {
        parts.push(format!("year={y}"));
    }
    if let Some(c) = q.campaign {
        parts.push(format!("campaign={c}"));
    }
    if let Some(k) = q.list_kind.as_deref().and_then(ListKind::parse) {
        parts.push(format!("list_kind={}", k.as_str()));
    }
    for (name, v) in [
        ("unit", q.unit),
        ("force", q.force),
        ("leader", q.leader),
        ("line_unit", q.line_unit),
    ] {
        if let Some(v) = v {
            parts.push(format!("{name}={v}"));
        }
    }
    parts.join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(name: &str, on_time: i64, late: i64, missing: i64, returned: i64) -> Timeliness {
        Timeliness {
            unit_id: 1,
            unit_name: name.into(),
            on_time,
            late,
            missing,
            returned,
        }
    }

    #[test]
    fn units_rank_by_on_time_rate_then_fewer_returns() {
        let r = ranking(vec![
            t("甲", 5, 5, 0, 0),
            t("乙", 9, 0, 1, 2),
            t("丙", 9, 1, 0, 0),
            t("丁", 0, 0, 0, 3),
        ]);
        let order: Vec<(&str, f64)> = r
            .iter()
            .map(|r| (r.unit_name.as_str(), r.on_time_rate))
            .collect();
        assert_eq!(order, [("丙", 90.0), ("乙", 90.0), ("甲", 50.0)]);
    }
}
