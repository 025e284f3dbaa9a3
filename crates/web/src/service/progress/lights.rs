//! Keeping every task's light current: the clock of each task is built from what the store
//! keeps (deadline, accepted progress and indicator actuals, milestones, which reports were
//! sent, the office's manual light), `core::progress::light::assess` decides, and the light is
//! written back with its reasons and forecast. Run for one task when a report is accepted or a
//! light set by hand, and for the whole year once a day by a job; the same job closes each
//! month into the history and the dashboards' trend.

use duban_core::light::Light;
use duban_core::lists::{Cadence, TaskId};
use duban_core::progress::counting::{forecast_eligible, reports_figures};
use duban_core::progress::forecast::{Forecast, project};
use duban_core::progress::light::{Assessment, LightRules, TaskClock, assess, milestone_met};
use duban_core::progress::period::{Period, missing_since};
use duban_core::progress::schedule::expected_percent;
use duban_store::progress::lights::{self as store, ClockRow, LightWrite};
use duban_store::progress::{self as reports, Tally};
use duban_store::{Audit, StoreError, Tx};
use jiff::civil::{Date, date};
use std::collections::{HashMap, HashSet};

/// How often a year's tasks report and by which day.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub cadence: Cadence,
    pub report_day: i8,
}

pub async fn plan(tx: &mut Tx, year: i16) -> Result<Plan, StoreError> {
    let p = duban_store::campaigns::find_plan_year(tx, year)
        .await?
        .unwrap_or_else(|| duban_store::campaigns::PlanYear::default_for(year));
    Ok(Plan {
        cadence: p.report_cadence,
        report_day: p.report_day.clamp(1, 31) as i8,
    })
}

/// The cadence a task reports on: its own (长期坚持 tasks) or the year's.
pub fn cadence_of(task_cadence: Option<&str>, plan: &Plan) -> Cadence {
    task_cadence
        .and_then(Cadence::parse)
        .unwrap_or(plan.cadence)
}

/// The day a year's tasks start counting (序时进度 runs from 1 January).
pub fn year_start(year: i64) -> Date {
    date(year as i16, 1, 1)
}

/// Computes the lights of a batch of tasks (ascending ids) on `today`.
async fn compute(
    tx: &mut Tx,
    rows: &[ClockRow],
    rules: &LightRules,
    plan: &Plan,
    today: Date,
) -> Result<Vec<(LightWrite, Assessment)>, StoreError> {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Ok(Vec::new());
    };
    let (from, to) = (first.id, last.id);
    // Each task's milestones: their day and the figures they set.
    type Milestones = Vec<(Date, Vec<Option<f64>>)>;
    let mut milestones: HashMap<i64, Milestones> = HashMap::new();
    for (task, due, values) in store::milestones_between(tx, from, to).await? {
        let values: Vec<Option<f64>> = serde_json::from_str(&values).unwrap_or_default();
        milestones
            .entry(task)
            .or_default()
            .push((due.to_jiff(), values));
    }
    let mut actuals: HashMap<i64, Vec<Option<f64>>> = HashMap::new();
    for (task, _, actual) in store::actuals_between(tx, from, to).await? {
        actuals.entry(task).or_default().push(actual);
    }
    let mut history: HashMap<i64, Vec<(Date, f64)>> = HashMap::new();
    for (task, at, percent) in store::history_between(tx, from, to).await? {
        let day = at.to_jiff().to_zoned(jiff::tz::TimeZone::UTC).date();
        history.entry(task).or_default().push((day, percent));
    }
    let mut periods: HashSet<String> = HashSet::new();
    for c in Cadence::ALL {
        let p = Period::containing(c, today);
        periods.insert(p.key());
        periods.insert(p.previous().key());
    }
    let periods: Vec<String> = periods.into_iter().collect();
    let sent: HashSet<(i64, String)> = store::sent_between(tx, from, to, &periods)
        .await?
        .into_iter()
        .collect();
    let empty = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let start = year_start(row.year);
        let due = row.due_date.map(|d| d.to_jiff());
        let current = Period::containing(cadence_of(row.cadence.as_deref(), plan), today);
        // A task with sub-tasks owes no report of its own (core::progress::counting).
        let missing = if reports_figures(usize::try_from(row.children).unwrap_or(0)) {
            missing_since(
                &current,
                plan.report_day,
                today,
                sent.contains(&(row.id, current.key())),
                sent.contains(&(row.id, current.previous().key())),
                start,
            )
        } else {
            None
        };
        let task_actuals = actuals.get(&row.id).unwrap_or(&empty);
        let milestones = milestones
            .get(&row.id)
            .map(|ms| {
                ms.iter()
                    .map(|(day, targets)| {
                        let expected_then = due.map(|d| expected_percent(start, d, *day));
                        let met = milestone_met(targets, task_actuals, row.progress, expected_then);
                        (*day, met)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let manual = row
            .manual_light
            .as_deref()
            .and_then(Light::parse)
            .map(|l| (l, row.manual_reason.clone().unwrap_or_default()));
        let clock = TaskClock {
            start,
            due,
            progress: row.progress,
            milestones,
            report_missing_since: missing,
            manual,
        };
        let assessment = assess(&clock, rules, today);
        let expected = due.map_or(row.progress, |d| expected_percent(start, d, today));
        let forecast = project(history.get(&row.id).map_or(&[][..], |h| &h[..]), due);
        let (forecast_on, forecast_late) = match forecast {
            Forecast::Projected { on, late } => (Some(on), late && forecast_eligible(row.progress)),
            _ => (None, false),
        };
        let write = LightWrite {
            task: row.id,
            light: assessment.light,
            expected,
            reasons: serde_json::to_string(&assessment.reasons).unwrap_or_else(|_| "[]".into()),
            forecast_on,
            forecast_late,
        };
        out.push((write, assessment));
    }
    Ok(out)
}

/// Recomputes one task's light now (after an accepted report or a manual light).
pub async fn refresh_task(
    tx: &mut Tx,
    task: TaskId,
    today: Date,
    at: jiff::Timestamp,
) -> Result<Assessment, StoreError> {
    let row = store::clock_row(tx, task).await?;
    let year = row.year as i16;
    let rules = reports::light_rules(tx, year).await?;
    let plan = plan(tx, year).await?;
    let mut computed = compute(tx, std::slice::from_ref(&row), &rules, &plan, today).await?;
    let (write, assessment) = computed.pop().ok_or(StoreError::NotFound)?;
    store::write_lights(tx, today, at, &[write]).await?;
    store::regroup(tx, year, Some(row.lead_unit_id)).await?;
    Ok(assessment)
}

/// How many tasks one statement batch covers when a whole year is recomputed.
const BATCH: i64 = 500;

/// Recomputes every approved task of `year` on `today`; returns how many.
pub async fn refresh_year(
    tx: &mut Tx,
    year: i16,
    today: Date,
    at: jiff::Timestamp,
) -> Result<usize, StoreError> {
    super::rollup::roll_up_year(tx, year, at).await?;
    let rules = reports::light_rules(tx, year).await?;
    let plan = plan(tx, year).await?;
    let mut after = 0;
    let mut n = 0;
    loop {
        let rows = store::clock_rows(tx, year, after, BATCH).await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        let computed = compute(tx, &rows, &rules, &plan, today).await?;
        let writes: Vec<LightWrite> = computed.into_iter().map(|(w, _)| w).collect();
        store::write_lights(tx, today, at, &writes).await?;
        n += rows.len();
    }
    store::regroup(tx, year, None).await?;
    Ok(n)
}

/// Closes the month that holds `month_day`: keeps each task's light as that month's, writes
/// the trend, and counts the reports of periods ending with it that never came. Does nothing
/// for a month already closed.
pub async fn close_month(tx: &mut Tx, month_day: Date) -> Result<bool, StoreError> {
    let month = Period::containing(Cadence::Monthly, month_day);
    let year = month.start.year();
    if store::period_closed(tx, year, &month.key()).await?
        || !store::computed_since(tx, year, month.start).await?
    {
        return Ok(false);
    }
    store::close_period(tx, year, &month.key()).await?;
    let plan = plan(tx, year).await?;
    for c in Cadence::ALL {
        let p = Period::containing(c, month.end);
        if p.end != month.end || c == Cadence::Weekly {
            continue;
        }
        let missing =
            store::missing_by_unit(tx, year, c.as_str(), plan.cadence.as_str(), &p.key()).await?;
        for (unit, n) in missing {
            reports::tally(tx, year, duban_core::org::UnitId(unit), Tally::Missing, n).await?;
        }
    }
    Ok(true)
}

/// After a report is accepted: the task's earlier red months become yellow once it has
/// caught up (it no longer lags behind its 序时进度 by the yellow threshold).
pub async fn repair_history(
    tx: &mut Tx,
    audit: &Audit,
    task: TaskId,
    lag_points: Option<f64>,
    rules: &LightRules,
) -> Result<usize, StoreError> {
    let caught_up = lag_points.is_none_or(|p| p < rules.yellow_lag_points);
    let mut n = 0;
    for (period, _) in store::unrepaired_reds(tx, task).await? {
        let light = duban_core::progress::report::repaired(Light::Red, caught_up);
        if light != Light::Red {
            store::repair(tx, audit, task, &period, light).await?;
            n += 1;
        }
    }
    Ok(n)
}

/// The daily recomputation's job kind (one row per day in `jobs`).
pub const LIGHTS_JOB: &str = "lights";

/// Once a day across all processes: closes last month if it is not closed yet, then
/// recomputes every light of the year. The day's row in `jobs` is claimed in the same
/// transaction as the work. Returns how many lights were computed (0: done already today).
pub async fn run_today(
    state: &crate::state::AppState,
    now: jiff::Timestamp,
) -> Result<usize, StoreError> {
    let day = now.to_zoned(state.config.timezone.clone()).date();
    let mut tx = state.store.begin_write().await?;
    if !duban_store::jobs::claim_once(&mut tx, LIGHTS_JOB, &format!("lights:{day}"), now).await? {
        return Ok(0);
    }
    let last_month = day.first_of_month().yesterday().unwrap_or(day);
    let closed = close_month(&mut tx, last_month).await?;
    let n = refresh_year(&mut tx, day.year(), day, now).await?;
    // What the dashboards show changed: the ledger's head moves (`read_cache`).
    if n > 0 || closed {
        store::record_daily(&mut tx, &Audit::system(now), day.year(), day, n).await?;
    }
    tx.commit().await?;
    Ok(n)
}

/// Keeps the lights of a past month computed from the progress each task had then (history
/// from before the system ran, e.g. the demo's earlier months): `progress` by task id, the
/// month's last day as "today".
pub async fn backfill_month(
    tx: &mut Tx,
    month_day: Date,
    progress: &HashMap<i64, f64>,
) -> Result<usize, StoreError> {
    let month = Period::containing(Cadence::Monthly, month_day);
    let year = month.start.year();
    let rules = reports::light_rules(tx, year).await?;
    let plan = plan(tx, year).await?;
    let mut kept = Vec::new();
    let mut after = 0;
    loop {
        let mut rows = store::clock_rows(tx, year, after, BATCH).await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for r in &mut rows {
            r.progress = progress.get(&r.id).copied().unwrap_or(0.0);
            r.manual_light = None;
        }
        for (w, _) in compute(tx, &rows, &rules, &plan, month.end).await? {
            let p = progress.get(&w.task).copied().unwrap_or(0.0);
            kept.push((w, p));
        }
    }
    store::keep_month(tx, year, &month.key(), &kept).await?;
    Ok(kept.len())
}
