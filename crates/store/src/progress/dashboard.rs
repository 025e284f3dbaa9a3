//! What the dashboards read: a year's approved tasks grouped by lead unit, campaign, list kind
//! and light (one pass over a covering index of the maintained lights), the tasks that need
//! attention, the trend of closed months and the units' report timeliness. Nothing here reads
//! the reports' history.

use super::COUNTED;
use crate::{Param, Sql, StoreError, Tx};
use duban_core::lists::{CampaignId, ListKind};
use duban_core::org::{PersonId, UnitId};
use jiff::civil::Date;
use serde::Serialize;

/// Which tasks a dashboard counts. Every field narrows.
#[derive(Debug, Clone, Default)]
pub struct DashFilter {
    pub year: i16,
    pub campaign: Option<CampaignId>,
    pub list_kind: Option<ListKind>,
    /// Only tasks led by these units (a unit, a leader's portfolio, the reader's scope).
    pub lead_units: Option<Vec<UnitId>>,
    /// Only tasks this unit leads or takes part in (a task force's dashboard).
    pub member_unit: Option<UnitId>,
    /// Only tasks this leader leads (牵头市领导), besides or instead of `lead_units`.
    pub leader: Option<PersonId>,
    /// Within all the above, only the tasks this unit leads (one unit's line of a dashboard).
    pub line_unit: Option<UnitId>,
}

impl DashFilter {
    /// ` AND …` conditions on `t` for the tasks table, with their parameters from `$first`.
    fn conditions(&self, params: &mut Vec<Param>) -> String {
        let mut w = String::new();
        let push = |params: &mut Vec<Param>, p: Param| {
            params.push(p);
            format!("${}", params.len())
        };
        let y = push(params, i64::from(self.year).into());
        w.push_str(&format!(
            " t.year = {y} AND t.state = 'approved' AND {COUNTED}"
        ));
        if let Some(c) = self.campaign {
            let h = push(params, c.0.into());
            w.push_str(&format!(" AND t.campaign_id = {h}"));
        }
        if let Some(k) = self.list_kind {
            let h = push(params, k.as_str().into());
            w.push_str(&format!(" AND t.list_kind = {h}"));
        }
        let units = self.lead_units.as_ref().map(|units| {
            let hs: Vec<String> = units.iter().map(|u| push(params, (*u).into())).collect();
            if hs.is_empty() {
                "1 = 0".to_string()
            } else {
                format!("t.lead_unit_id IN ({})", hs.join(", "))
            }
        });
        let leader = self
            .leader
            .map(|p| format!("t.lead_leader_id = {}", push(params, p.into())));
        match (units, leader) {
            (Some(u), Some(l)) => w.push_str(&format!(" AND ({u} OR {l})")),
            (Some(c), None) | (None, Some(c)) => w.push_str(&format!(" AND {c}")),
            (None, None) => {}
        }
        if let Some(u) = self.line_unit {
            let h = push(params, u.into());
            w.push_str(&format!(" AND t.lead_unit_id = {h}"));
        }
        if let Some(u) = self.member_unit {
            let h = push(params, u.into());
            w.push_str(&format!(
                " AND t.id IN (SELECT task_id FROM task_units WHERE unit_id = {h})"
            ));
        }
        w
    }
}

/// Tasks of one lead unit, campaign, kind and light: how many, and their weighted progress
/// and 序时进度.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Group {
    pub lead_unit_id: i64,
    pub campaign_id: Option<i64>,
    pub list_kind: String,
    pub light: String,
    pub n: i64,
    pub progress_sum: f64,
    pub expected_sum: f64,
    pub weight_sum: f64,
    /// Tasks under half done (时间过半、任务过半 from 30 June).
    pub below_half: i64,
}

pub async fn groups(tx: &mut Tx, f: &DashFilter) -> Result<Vec<Group>, StoreError> {
    if f.member_unit.is_some() || f.leader.is_some() || f.line_unit.is_some() {
        // A task force's or a leader's tasks are not a set of lead units: count the tasks.
        let mut params = Vec::new();
        let w = f.conditions(&mut params);
        let text = format!(
            "SELECT t.lead_unit_id, t.campaign_id, t.list_kind, t.light, COUNT(*) AS n,
                    SUM(t.progress * t.weight) AS progress_sum,
                    SUM(t.expected * t.weight) AS expected_sum, SUM(t.weight) AS weight_sum,
                    CAST(SUM(CASE WHEN t.progress < 50 THEN 1 ELSE 0 END) AS BIGINT) AS below_half
             FROM tasks t WHERE{w}
             GROUP BY t.lead_unit_id, t.campaign_id, t.list_kind, t.light"
        );
        return Sql::with_params(text, params).fetch_all(tx).await;
    }
    // Everything else reads the maintained counts.
    let mut params: Vec<Param> = vec![i64::from(f.year).into()];
    let mut w = String::from("year = $1");
    if let Some(c) = f.campaign {
        params.push(c.0.into());
        w.push_str(&format!(" AND campaign_id = ${}", params.len()));
    }
    if let Some(k) = f.list_kind {
        params.push(k.as_str().into());
        w.push_str(&format!(" AND list_kind = ${}", params.len()));
    }
    if let Some(units) = &f.lead_units {
        let mut hs = Vec::new();
        for u in units {
            params.push((*u).into());
            hs.push(format!("${}", params.len()));
        }
        if hs.is_empty() {
            return Ok(Vec::new());
        }
        w.push_str(&format!(" AND lead_unit_id IN ({})", hs.join(", ")));
    }
    let text = format!(
        "SELECT lead_unit_id, NULLIF(campaign_id, 0) AS campaign_id, list_kind, light, n,
                progress_sum, expected_sum, weight_sum, below_half
         FROM light_groups WHERE {w}"
    );
    Sql::with_params(text, params).fetch_all(tx).await
}

/// Which tasks a dashboard lists for attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attention {
    /// Past the deadline and not done.
    Overdue,
    /// Due from today to this day and not done.
    DueSoon(Date),
    /// Not red yet, but the forecast says it will miss its deadline.
    ForecastLate,
    /// Under half done (时间过半、任务过半, counted from 30 June).
    BelowHalf,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct AttentionRow {
    pub id: i64,
    pub path: String,
    pub title: String,
    pub lead_unit_name: String,
    #[serde(skip)]
    pub due_date: Option<jiff_sqlx::Date>,
    pub progress: f64,
    pub expected: f64,
    pub light: String,
}

pub async fn attention(
    tx: &mut Tx,
    f: &DashFilter,
    what: Attention,
    today: Date,
    limit: i64,
) -> Result<(Vec<AttentionRow>, i64), StoreError> {
    let mut params = Vec::new();
    let mut w = f.conditions(&mut params);
    w.push_str(&what.condition(today, &mut params));
    // The count reads an index alone; the rows are the first few in deadline order.
    let (total,): (i64,) = Sql::with_params(
        format!("SELECT COUNT(*) FROM tasks t WHERE{w}"),
        params.clone(),
    )
    .fetch_one(tx)
    .await?;
    params.push(limit.into());
    let l = params.len();
    let rows: Vec<AttentionRow> = Sql::with_params(
        format!(
            "SELECT t.id, t.path, t.title, u.short_name AS lead_unit_name, t.due_date, t.progress,
                    t.expected, t.light
             FROM tasks t JOIN units u ON u.id = t.lead_unit_id
             WHERE{w} ORDER BY t.due_date, t.id LIMIT ${l}"
        ),
        params,
    )
    .fetch_all(tx)
    .await?;
    Ok((rows, total))
}

impl Attention {
    /// ` AND …` on `t` for the tasks this list holds, with its parameters.
    fn condition(self, today: Date, params: &mut Vec<Param>) -> String {
        let mut w = String::new();
        params.push(today.into());
        let t = params.len();
        match self {
            Attention::Overdue => {
                w.push_str(&format!(" AND t.due_date < ${t} AND t.progress < 100"));
            }
            Attention::DueSoon(until) => {
                params.push(until.into());
                let u = params.len();
                w.push_str(&format!(
                    " AND t.due_date >= ${t} AND t.due_date <= ${u} AND t.progress < 100"
                ));
            }
            Attention::ForecastLate => {
                // Finished tasks are never forecast late (core::progress::counting).
                w.push_str(&format!(
                    " AND ${t} = ${t} AND t.light <> 'red' AND t.progress < 100 AND t.id IN
                   (SELECT task_id FROM task_lights WHERE forecast_late)"
                ));
            }
            Attention::BelowHalf => {
                w.push_str(&format!(" AND ${t} = ${t} AND t.progress < 50"));
            }
        }
        w
    }
}

/// One task a dashboard counts, as its drill-down lists it.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct BoardRow {
    pub id: i64,
    pub path: String,
    pub title: String,
    pub lead_unit_name: String,
    pub campaign_name: Option<String>,
    #[serde(skip)]
    pub due_date: Option<jiff_sqlx::Date>,
    pub progress: f64,
    pub expected: f64,
    pub light: String,
    /// Sub-tasks rolled up into it.
    pub children: i64,
}

/// What a dashboard's drill-down narrows to besides the dashboard's own filter.
#[derive(Debug, Clone, Default)]
pub struct BoardNarrow {
    pub light: Option<duban_core::light::Light>,
    pub attention: Option<Attention>,
    /// Words of the title (substring).
    pub text: Option<String>,
}

/// The tasks a dashboard counts (the same conditions as its counts), narrowed, a page at a
/// time in deadline order, with how many there are in all.
pub async fn tasks(
    tx: &mut Tx,
    f: &DashFilter,
    narrow: &BoardNarrow,
    today: Date,
    limit: i64,
    offset: i64,
) -> Result<(Vec<BoardRow>, i64), StoreError> {
    let mut params = Vec::new();
    let mut w = f.conditions(&mut params);
    if let Some(l) = narrow.light {
        params.push(l.as_str().into());
        w.push_str(&format!(" AND t.light = ${}", params.len()));
    }
    if let Some(a) = narrow.attention {
        w.push_str(&a.condition(today, &mut params));
    }
    if let Some(text) = narrow
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        // As the task list searches (`lists::browse`): title or content, wildcards dropped.
        params.push(format!("%{}%", text.replace(['%', '_'], "")).into());
        let p = params.len();
        w.push_str(&format!(" AND (t.title LIKE ${p} OR t.content LIKE ${p})"));
    }
    let (total,): (i64,) = Sql::with_params(
        format!("SELECT COUNT(*) FROM tasks t WHERE{w}"),
        params.clone(),
    )
    .fetch_one(tx)
    .await?;
    params.push(limit.into());
    let l = params.len();
    params.push(offset.into());
    let o = params.len();
    let rows = Sql::with_params(
        format!(
            "SELECT t.id, t.path, t.title, u.short_name AS lead_unit_name,
                    c.name AS campaign_name, t.due_date, t.progress, t.expected, t.light,
                    (SELECT COUNT(*) FROM tasks ch WHERE ch.parent_id = t.id
                        AND ch.state = 'approved') AS children
             FROM tasks t JOIN units u ON u.id = t.lead_unit_id
             LEFT JOIN campaigns c ON c.id = t.campaign_id
             WHERE{w} ORDER BY t.due_date, t.sort_key, t.id LIMIT ${l} OFFSET ${o}"
        ),
        params,
    )
    .fetch_all(tx)
    .await?;
    Ok((rows, total))
}

/// One task as it stood when a month closed (`task_light_history`), with its weight.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClosedTask {
    #[sqlx(flatten)]
    pub row: BoardRow,
    pub weight: f64,
}

/// The tasks a dashboard counts as they stood at the close of `month` (`2026-09`): light,
/// progress and 序时进度 from the month's history, in deadline order. `None` while the month
/// has not been closed (no history for it yet), so the caller can say the figures are today's.
pub async fn at_month_end(
    tx: &mut Tx,
    f: &DashFilter,
    month: &str,
) -> Result<Option<Vec<ClosedTask>>, StoreError> {
    let mut params = Vec::new();
    let w = f.conditions(&mut params);
    params.push(month.into());
    let m = params.len();
    let rows: Vec<ClosedTask> = Sql::with_params(
        format!(
            "SELECT t.id, t.path, t.title, u.short_name AS lead_unit_name,
                    c.name AS campaign_name, t.due_date, h.progress, h.expected, h.light,
                    (SELECT COUNT(*) FROM tasks ch WHERE ch.parent_id = t.id
                        AND ch.state = 'approved') AS children, t.weight
             FROM tasks t JOIN units u ON u.id = t.lead_unit_id
             JOIN task_light_history h ON h.task_id = t.id AND h.period = ${m}
             LEFT JOIN campaigns c ON c.id = t.campaign_id
             WHERE{w} ORDER BY t.due_date, t.sort_key, t.id"
        ),
        params,
    )
    .fetch_all(tx)
    .await?;
    Ok((!rows.is_empty()).then_some(rows))
}

/// A closed month's counts (summed over the units, campaigns and kinds the filter keeps).
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct TrendRow {
    pub period: String,
    pub green: i64,
    pub yellow: i64,
    pub red: i64,
    pub progress_sum: f64,
    pub expected_sum: f64,
    pub weight_sum: f64,
}

pub async fn trend(tx: &mut Tx, f: &DashFilter) -> Result<Vec<TrendRow>, StoreError> {
    let mut params: Vec<Param> = vec![i64::from(f.year).into()];
    let mut w = String::from("year = $1");
    if let Some(c) = f.campaign {
        params.push(c.0.into());
        w.push_str(&format!(" AND campaign_id = ${}", params.len()));
    }
    if let Some(k) = f.list_kind {
        params.push(k.as_str().into());
        w.push_str(&format!(" AND list_kind = ${}", params.len()));
    }
    if let Some(units) = &f.lead_units {
        let mut hs = Vec::new();
        for u in units {
            params.push((*u).into());
            hs.push(format!("${}", params.len()));
        }
        if hs.is_empty() {
            w.push_str(" AND 1 = 0");
        } else {
            w.push_str(&format!(" AND unit_id IN ({})", hs.join(", ")));
        }
    }
    let text = format!(
        "SELECT period, CAST(SUM(green) AS BIGINT) AS green, CAST(SUM(yellow) AS BIGINT) AS yellow,
                CAST(SUM(red) AS BIGINT) AS red,
                SUM(progress_sum) AS progress_sum, SUM(expected_sum) AS expected_sum,
                SUM(weight_sum) AS weight_sum
         FROM light_trend WHERE {w} GROUP BY period ORDER BY period"
    );
    Sql::with_params(text, params).fetch_all(tx).await
}

/// A unit's report timeliness for a year.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Timeliness {
    pub unit_id: i64,
    pub unit_name: String,
    pub on_time: i64,
    pub late: i64,
    pub missing: i64,
    pub returned: i64,
}

pub async fn timeliness(
    tx: &mut Tx,
    year: i16,
    units: Option<&[UnitId]>,
) -> Result<Vec<Timeliness>, StoreError> {
    let mut params: Vec<Param> = vec![i64::from(year).into()];
    let mut w = String::from("s.year = $1");
    if let Some(units) = units {
        let hs: Vec<String> = units
            .iter()
            .map(|u| {
                params.push((*u).into());
                format!("${}", params.len())
            })
            .collect();
        if hs.is_empty() {
            w.push_str(" AND 1 = 0");
        } else {
            w.push_str(&format!(" AND s.unit_id IN ({})", hs.join(", ")));
        }
    }
    let text = format!(
        "SELECT s.unit_id, u.short_name AS unit_name, s.on_time, s.late, s.missing, s.returned
         FROM report_stats s JOIN units u ON u.id = s.unit_id WHERE {w}"
    );
    Sql::with_params(text, params).fetch_all(tx).await
}
