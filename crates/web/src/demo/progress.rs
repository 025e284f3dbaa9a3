//! The demo's progress reporting. January to September (and October outside the played
//! units) are history from before the system ran: one accepted report a month per approved
//! task, rising to the task's progress by October, a few sent late or never; their lights are
//! kept per month, so the dashboards have a trend. October and November of the played units
//! are played through the services like the cases: liaisons send, heads approve or send back,
//! the office accepts or returns; November is still in flight on the demo's last day.

use super::cases::Play;
use crate::error::AppError;
use crate::service::progress::lights::backfill_month;
use crate::service::progress::{self as svc, ReportInput, Review};
use crate::state::AppState;
use duban_core::demo::DEMO_YEAR;
use duban_core::lists::{Cadence, TaskId};
use duban_core::org::UnitId;
use duban_core::progress::period::Period;
use duban_store::Audit;
use duban_store::progress::lights::clock_rows;
use duban_store::progress::{PastReport, REPORTS_FIGURES, Tally, tally, write_past};
use jiff::civil::{Date, date};
use std::collections::{BTreeMap, HashMap};

/// Units whose October and November are played through the services.
pub const PLAYED_UNITS: [&str; 3] = ["jxj", "zjj", "fgj"];
/// The month history runs to, outside the played units (October).
const LAST_SEEDED: i8 = 10;

/// A task of the demo as the rounds need it.
#[derive(Debug, Clone)]
pub(super) struct Reported {
    task: TaskId,
    unit: String,
    progress: f64,
}

fn day_at(day: Date, hour: i8) -> Result<jiff::Timestamp, AppError> {
    day.at(hour, 0, 0, 0)
        .to_zoned(
            jiff::tz::TimeZone::get("Asia/Shanghai")
                .map_err(|e| AppError::Internal(e.to_string()))?,
        )
        .map(|z| z.timestamp())
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Writes the months before the played ones and keeps their lights; returns reports written.
pub async fn seed(state: &AppState) -> Result<usize, AppError> {
    let mut tx = state.store.begin_write().await?;
    let played: Vec<i64> = {
        let mut ids = Vec::new();
        for code in PLAYED_UNITS {
            if let Some(u) = duban_store::org::find_unit_by_code(&mut tx, code).await? {
                ids.push(u.id);
            }
        }
        ids
    };
    // Decomposed tasks take their figures from their sub-tasks, and only the sub-tasks report.
    crate::service::progress::rollup::roll_up_year(
        &mut tx,
        DEMO_YEAR,
        day_at(date(DEMO_YEAR, 1, 4), 9)?,
    )
    .await?;
    let mut tasks = Vec::new();
    let mut after = 0;
    loop {
        let rows = clock_rows(&mut tx, DEMO_YEAR, after, 1000).await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        tasks.extend(rows);
    }
    let mut reports = Vec::new();
    let mut tallies: BTreeMap<(i64, u8), i64> = BTreeMap::new();
    // Progress each task had at the end of each month, for the kept lights.
    let mut by_month: Vec<HashMap<i64, f64>> = vec![HashMap::new(); LAST_SEEDED as usize + 1];
    for t in &tasks {
        let last = if played.contains(&t.lead_unit_id) {
            LAST_SEEDED - 1
        } else {
            LAST_SEEDED
        };
        let mut shown = 0.0;
        for m in 1..=last {
            let percent =
                ((t.progress * f64::from(m) / f64::from(LAST_SEEDED)) * 10.0).round() / 10.0;
            let month = Period::containing(Cadence::Monthly, date(DEMO_YEAR, m, 1));
            let due = month.due(28);
            // A few reports never came, a few came late.
            match (t.id * 7 + i64::from(m) * 13) % 20 {
                _ if t.children > 0 => shown = percent,
                0 => {
                    *tallies.entry((t.lead_unit_id, 2)).or_default() += 1;
                }
                h => {
                    let late = h == 1;
                    let sent = day_at(
                        date(DEMO_YEAR, m, if late { 29 } else { 25 }.min(due.day())),
                        10,
                    )?;
                    let decided = day_at(month.end, 16)?;
                    reports.push(PastReport {
                        task: TaskId(t.id),
                        unit: UnitId(t.lead_unit_id),
                        period: month.key(),
                        due_on: due,
                        percent,
                        progress_text: format!("截至{m}月底，累计完成{percent}%。"),
                        sent_at: sent,
                        decided_at: decided,
                        on_time: !late,
                    });
                    shown = percent;
                    *tallies.entry((t.lead_unit_id, u8::from(late))).or_default() += 1;
                }
            }
            by_month[m as usize].insert(t.id, shown);
        }
    }
    let audit = Audit::system(day_at(date(DEMO_YEAR, 10, 31), 18)?);
    let n = write_past(&mut tx, &audit, &reports).await?;
    for ((unit, what), count) in tallies {
        let what = match what {
            0 => Tally::OnTime,
            1 => Tally::Late,
            _ => Tally::Missing,
        };
        tally(&mut tx, DEMO_YEAR, UnitId(unit), what, count).await?;
    }
    for m in 1..LAST_SEEDED {
        backfill_month(&mut tx, date(DEMO_YEAR, m, 1), &by_month[m as usize]).await?;
    }
    tx.commit().await?;
    Ok(n)
}

/// The played units' tasks (approved, unfinished), in id order.
async fn played_tasks(state: &AppState) -> Result<Vec<Reported>, AppError> {
    let mut tx = state.store.begin_read().await?;
    let mut out = Vec::new();
    for code in PLAYED_UNITS {
        let Some(u) = duban_store::org::find_unit_by_code(&mut tx, code).await? else {
            continue;
        };
        let rows: Vec<(i64, f64)> = duban_store::Sql::assembled(format!(
            "SELECT t.id, t.progress FROM tasks t WHERE t.lead_unit_id = $1 AND t.year = $2
               AND t.state = 'approved' AND t.progress < 100 AND {REPORTS_FIGURES} ORDER BY t.id"
        ))
        .bind(u.id)
        .bind(i64::from(DEMO_YEAR))
        .fetch_all(&mut tx)
        .await?;
        out.extend(rows.into_iter().map(|(id, progress)| Reported {
            task: TaskId(id),
            unit: code.to_string(),
            progress,
        }));
    }
    Ok(out)
}

async fn send(
    p: &Play,
    who: &str,
    day: Date,
    hour: i8,
    task: TaskId,
    input: ReportInput,
) -> Result<i64, AppError> {
    let at = p.instant(day, hour)?;
    let (state, actor) = p.actor(who, at).await?;
    Ok(svc::submit(&state, &actor, task, &input).await?.0)
}

async fn review(
    p: &Play,
    who: &str,
    day: Date,
    hour: i8,
    report: i64,
    what: Review,
    comment: &str,
) -> Result<(), AppError> {
    let at = p.instant(day, hour)?;
    let (state, actor) = p.actor(who, at).await?;
    svc::review(&state, &actor, report, what, comment).await?;
    Ok(())
}

fn report(percent: f64, text: &str) -> ReportInput {
    ReportInput {
        percent: Some(percent),
        progress_text: text.into(),
        ..ReportInput::default()
    }
}

/// October, played: most sent by the 28th and accepted; one sent back by its head, one
/// returned by the office, one late, one never sent. Returns the tasks played.
pub(super) async fn october(p: &mut Play) -> Result<Vec<Reported>, AppError> {
    let tasks = played_tasks(&p.state).await?;
    let office = "dkb2";
    for (i, t) in tasks.iter().enumerate() {
        let liaison = format!("{}-liaison", t.unit);
        let head = format!("{}-head", t.unit);
        let text = format!("10月完成既定节点，累计完成{}%。", t.progress);
        match i % 8 {
            // Never sent: October's report is missing.
            7 => continue,
            // Sent late, on the 30th.
            6 => {
                let r = send(
                    p,
                    &liaison,
                    date(DEMO_YEAR, 10, 30),
                    9,
                    t.task,
                    report(t.progress, &text),
                )
                .await?;
                review(
                    p,
                    &head,
                    date(DEMO_YEAR, 10, 30),
                    11,
                    r,
                    Review::Approve,
                    "",
                )
                .await?;
                review(
                    p,
                    office,
                    date(DEMO_YEAR, 10, 31),
                    10,
                    r,
                    Review::Accept,
                    "",
                )
                .await?;
            }
            // The head sends it back once; the liaison adds figures and sends again.
            5 => {
                let r = send(
                    p,
                    &liaison,
                    date(DEMO_YEAR, 10, 22),
                    16,
                    t.task,
                    report(t.progress, "推进中。"),
                )
                .await?;
                review(
                    p,
                    &head,
                    date(DEMO_YEAR, 10, 23),
                    9,
                    r,
                    Review::SendBack,
                    "请写明本月完成的工作量和累计数据。",
                )
                .await?;
                send(
                    p,
                    &liaison,
                    date(DEMO_YEAR, 10, 23),
                    15,
                    t.task,
                    report(t.progress, &text),
                )
                .await?;
                review(p, &head, date(DEMO_YEAR, 10, 24), 9, r, Review::Approve, "").await?;
                review(
                    p,
                    office,
                    date(DEMO_YEAR, 10, 29),
                    10,
                    r,
                    Review::Accept,
                    "",
                )
                .await?;
            }
            // The office returns it for lack of substance; the unit revises and it is accepted.
            4 => {
                let r = send(
                    p,
                    &liaison,
                    date(DEMO_YEAR, 10, 24),
                    10,
                    t.task,
                    report(t.progress, "按计划推进。"),
                )
                .await?;
                review(
                    p,
                    &head,
                    date(DEMO_YEAR, 10, 24),
                    15,
                    r,
                    Review::Approve,
                    "",
                )
                .await?;
                review(
                    p,
                    office,
                    date(DEMO_YEAR, 10, 27),
                    10,
                    r,
                    Review::Return,
                    "进展描述无实质内容，请补充完成量与存在问题。",
                )
                .await?;
                send(
                    p,
                    &head,
                    date(DEMO_YEAR, 10, 28),
                    9,
                    t.task,
                    report(t.progress, &text),
                )
                .await?;
                review(
                    p,
                    office,
                    date(DEMO_YEAR, 10, 29),
                    11,
                    r,
                    Review::Accept,
                    "",
                )
                .await?;
            }
            // No change since September: one tap.
            3 => {
                let input = ReportInput {
                    no_change: true,
                    progress_text: "本月无新进展。".into(),
                    ..ReportInput::default()
                };
                let r = send(p, &liaison, date(DEMO_YEAR, 10, 26), 10, t.task, input).await?;
                review(
                    p,
                    &head,
                    date(DEMO_YEAR, 10, 26),
                    16,
                    r,
                    Review::Approve,
                    "",
                )
                .await?;
                review(
                    p,
                    office,
                    date(DEMO_YEAR, 10, 29),
                    14,
                    r,
                    Review::Accept,
                    "",
                )
                .await?;
            }
            _ => {
                let day = date(DEMO_YEAR, 10, 20 + (i % 6) as i8);
                let r = send(p, &liaison, day, 10, t.task, report(t.progress, &text)).await?;
                review(p, &head, day, 17, r, Review::Approve, "").await?;
                review(
                    p,
                    office,
                    date(DEMO_YEAR, 10, 29),
                    15,
                    r,
                    Review::Accept,
                    "",
                )
                .await?;
            }
        }
    }
    Ok(tasks)
}

/// November, in flight on the demo's last day: a third accepted (catching up), a third
/// waiting for the office, some waiting for their head, the rest not yet written.
pub(super) async fn november(p: &mut Play, tasks: &[Reported]) -> Result<(), AppError> {
    let office = "dkb2";
    for (i, t) in tasks.iter().enumerate() {
        let liaison = format!("{}-liaison", t.unit);
        let head = format!("{}-head", t.unit);
        let percent = (t.progress + 8.0).min(100.0);
        let text = format!("11月加快推进，累计完成{percent}%。");
        let day = date(DEMO_YEAR, 11, 10 + (i % 3) as i8);
        match i % 4 {
            0 => {
                let r = send(p, &liaison, day, 10, t.task, report(percent, &text)).await?;
                review(p, &head, day, 16, r, Review::Approve, "").await?;
                review(
                    p,
                    office,
                    date(DEMO_YEAR, 11, 14),
                    10,
                    r,
                    Review::Accept,
                    "",
                )
                .await?;
            }
            1 => {
                let r = send(p, &liaison, day, 10, t.task, report(percent, &text)).await?;
                review(p, &head, day, 16, r, Review::Approve, "").await?;
            }
            2 => {
                send(p, &liaison, day, 10, t.task, report(percent, &text)).await?;
            }
            _ => {}
        }
    }
    Ok(())
}
