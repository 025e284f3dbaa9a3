//! The daily report reminder (报送提醒). Once a day, from [`REMIND_HOUR`] local time, the first
//! process to claim the day (`jobs::claim_once`, key `report_reminders:{day}`, in the same
//! transaction as the messages) finds the reports owed — due in the year's `days_before` days,
//! or due yesterday and still not sent — and tells each unit once, listing its tasks: its
//! liaisons (its head when it has none), and for a missed report its head too. The rules are
//! `core::progress::remind`'s. A day that passed while no process ran is not replayed, so a
//! "before the report day" reminder never arrives after the report day.

use super::lights::{cadence_of, plan};
use super::tell::reporters;
use crate::error::AppError;
use crate::state::AppState;
use duban_core::org::{PersonId, UnitId};
use duban_core::progress::period::Period;
use duban_core::progress::remind::{Nudge, Owed, UnitReminder, audience, group, nudges_on, owes};
use duban_core::progress::report::ReportState;
use duban_core::role::Role;
use duban_store::cases::steps::people_of_unit_with_role;
use duban_store::notifications::{Message, notify};
use duban_store::progress::remind as store;
use duban_store::{Audit, Tx};
use jiff::Timestamp;
use jiff::civil::Date;
use std::collections::{HashMap, HashSet};

/// The `jobs` kind of a day's reminders.
pub const REMIND_JOB: &str = "report_reminders";

/// The local hour from which the day's reminders go out (none at midnight).
pub const REMIND_HOUR: i8 = 9;

/// Sends the day's reminders if no process has yet (and it is past [`REMIND_HOUR`]); returns
/// how many units were reminded.
pub async fn run_today(state: &AppState, now: Timestamp) -> Result<usize, AppError> {
    let local = now.to_zoned(state.config.timezone.clone());
    if local.hour() < REMIND_HOUR {
        return Ok(0);
    }
    let today = local.date();
    let mut tx = state.store.begin_write().await?;
    let key = format!("report_reminders:{today}");
    if !duban_store::jobs::claim_once(&mut tx, REMIND_JOB, &key, now).await? {
        return Ok(0);
    }
    let owed = owed_on(&mut tx, today).await?;
    let audit = Audit::system(now);
    let units = group(owed);
    for u in &units {
        tell_unit(state, &mut tx, &audit, u).await?;
    }
    tx.commit().await?;
    if !units.is_empty() {
        tracing::info!(units = units.len(), day = %today, "report reminders sent");
    }
    Ok(units.len())
}

/// Every report owed on `today` that calls for a reminder, with its unit.
pub async fn owed_on(tx: &mut Tx, today: Date) -> Result<Vec<(i64, Owed)>, AppError> {
    let mut out = Vec::new();
    // A report day's tasks are of its year; a reminder may look into the next one.
    for year in [today.year() - 1, today.year(), today.year() + 1] {
        let rules = store::reminders(tx, year).await?;
        if !rules.on {
            continue;
        }
        let plan = plan(tx, year).await?;
        let tasks = store::reminder_tasks(tx, year).await?;
        // The nudges of each cadence in use, on report days of this year only.
        let mut by_cadence = HashMap::new();
        for t in &tasks {
            let cadence = cadence_of(t.cadence.as_deref(), &plan);
            by_cadence.entry(cadence).or_insert_with(|| {
                nudges_on(&rules, cadence, plan.report_day, today)
                    .into_iter()
                    .filter(|(_, _, due)| due.year() == year)
                    .collect::<Vec<(Nudge, Period, Date)>>()
            });
        }
        let periods: Vec<String> = by_cadence
            .values()
            .flatten()
            .map(|(_, p, _)| p.key())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        if periods.is_empty() {
            continue;
        }
        let states: HashMap<(i64, String), ReportState> = store::report_states(tx, year, &periods)
            .await?
            .into_iter()
            .filter_map(|(task, period, s)| ReportState::parse(&s).map(|s| ((task, period), s)))
            .collect();
        for t in tasks {
            let cadence = cadence_of(t.cadence.as_deref(), &plan);
            for (nudge, period, due) in &by_cadence[&cadence] {
                let report = states.get(&(t.id, period.key())).copied();
                if owes(t.progress, report) {
                    out.push((
                        t.lead_unit_id,
                        Owed {
                            task: t.id,
                            title: t.title.clone(),
                            nudge: *nudge,
                            due: *due,
                        },
                    ));
                }
            }
        }
    }
    Ok(out)
}

/// One unit's reminder: subject and the list of its tasks.
pub fn message(u: &UnitReminder) -> Message {
    let n = u.items.len();
    let overdue = u.items.iter().filter(|o| o.nudge == Nudge::Overdue).count();
    let subject = if overdue > 0 {
        format!("【报送逾期】{overdue}项任务的进展报告逾期未报送，请尽快报送")
    } else {
        let first = u
            .items
            .iter()
            .map(|o| o.due)
            .min()
            .expect("a reminder lists a task");
        format!(
            "【报送提醒】{n}项任务的进展报告请于{}月{}日前报送",
            first.month(),
            first.day()
        )
    };
    let mut body = String::new();
    for o in &u.items {
        let when = match o.nudge {
            Nudge::Overdue => format!("{}月{}日到期，已逾期", o.due.month(), o.due.day()),
            Nudge::Before => format!("{}月{}日前报送", o.due.month(), o.due.day()),
        };
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str(&format!("· {}（{when}）", o.title));
    }
    Message {
        kind: if overdue > 0 {
            "report.overdue".into()
        } else {
            "report.remind".into()
        },
        subject,
        body,
        link: "/reports".into(),
        case_id: None,
    }
}

async fn tell_unit(
    state: &AppState,
    tx: &mut Tx,
    audit: &Audit,
    u: &UnitReminder,
) -> Result<(), AppError> {
    let unit = UnitId(u.unit);
    let mut to: Vec<PersonId> = Vec::new();
    let who = audience(if u.overdue() {
        Nudge::Overdue
    } else {
        Nudge::Before
    });
    if who.reporters {
        to.extend(reporters(tx, unit).await?);
    }
    if who.head {
        to.extend(people_of_unit_with_role(tx, unit, Role::UnitHead).await?);
    }
    notify(tx, audit, &state.channels(), &to, &message(u)).await?;
    Ok(())
}
