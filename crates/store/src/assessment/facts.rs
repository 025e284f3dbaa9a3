//! The facts score events are drawn from, read for one year: accepted reports, the periods
//! each reporting task owed a report for and which were sent, tasks completed, red months, cases with their deadlines, escalation steps, rework, concluded
//! commitments, suggestions and proposals handed out (showcase results are tallied from their
//! cards by the showcase service). Only counted work is read (`progress::COUNTED`: a
//! decomposed task counts once, at its top).

use crate::{Sql, StoreError, Tx, sql};
use jiff::civil::Date;

fn date(d: Option<jiff_sqlx::Date>) -> Option<Date> {
    d.map(|d| d.to_jiff())
}

/// An accepted report with the office's on-time verdict.
#[derive(Debug, Clone)]
pub struct Report {
    pub id: i64,
    pub unit: i64,
    pub due_on: Date,
    pub on_time: bool,
    pub title: String,
}

pub async fn reports(tx: &mut Tx, year: i16) -> Result<Vec<Report>, StoreError> {
    let rows: Vec<(i64, i64, jiff_sqlx::Date, bool, String)> = Sql::assembled(format!(
        "SELECT r.id, r.unit_id, r.due_on, r.on_time, t.title
         FROM progress_reports r JOIN tasks t ON t.id = r.task_id
         WHERE t.year = $1 AND r.state = 'accepted' AND r.on_time IS NOT NULL AND {}",
        crate::progress::COUNTED
    ))
    .bind(i64::from(year))
    .fetch_all(tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, unit, due_on, on_time, title)| Report {
            id,
            unit,
            due_on: due_on.to_jiff(),
            on_time,
            title,
        })
        .collect())
}

/// A counted task that reports figures of its own (no approved sub-tasks), so owes a report
/// each period of its cadence: the periods a report was sent for (to the head, the office or
/// accepted, as the lights count them), and the day it reached 100 %, if it has.
#[derive(Debug, Clone)]
pub struct Reporting {
    pub id: i64,
    pub title: String,
    pub lead: i64,
    /// The task's own cadence (长期坚持 tasks), else the year's.
    pub cadence: Option<String>,
    pub sent: Vec<String>,
    pub done_at: Option<jiff::Timestamp>,
}

pub async fn reporting_tasks(tx: &mut Tx, year: i16) -> Result<Vec<Reporting>, StoreError> {
    let tasks: Vec<(i64, String, i64, Option<String>)> = Sql::assembled(format!(
        "SELECT t.id, t.title, t.lead_unit_id, t.cadence FROM tasks t
         WHERE t.year = $1 AND t.state = 'approved' AND {} AND {} ORDER BY t.id",
        crate::progress::COUNTED,
        crate::progress::REPORTS_FIGURES
    ))
    .bind(i64::from(year))
    .fetch_all(&mut *tx)
    .await?;
    let sent: Vec<(i64, String)> = sql(
        "SELECT r.task_id, r.period FROM progress_reports r JOIN tasks t ON t.id = r.task_id
         WHERE t.year = $1 AND r.state IN ('unit_review', 'submitted', 'accepted')",
    )
    .bind(i64::from(year))
    .fetch_all(&mut *tx)
    .await?;
    let done: Vec<(i64, jiff_sqlx::Timestamp)> = sql(
        "SELECT r.task_id, MIN(r.sent_at) FROM progress_reports r JOIN tasks t ON t.id = r.task_id
         WHERE t.year = $1 AND r.state = 'accepted' AND r.percent >= 100
            AND r.sent_at IS NOT NULL
         GROUP BY r.task_id",
    )
    .bind(i64::from(year))
    .fetch_all(&mut *tx)
    .await?;
    let mut sent_by: std::collections::HashMap<i64, Vec<String>> = Default::default();
    for (task, period) in sent {
        sent_by.entry(task).or_default().push(period);
    }
    let done_by: std::collections::HashMap<i64, jiff::Timestamp> =
        done.into_iter().map(|(t, at)| (t, at.to_jiff())).collect();
    Ok(tasks
        .into_iter()
        .map(|(id, title, lead, cadence)| Reporting {
            id,
            title,
            lead,
            cadence,
            sent: sent_by.remove(&id).unwrap_or_default(),
            done_at: done_by.get(&id).copied(),
        })
        .collect())
}

/// A task's assignments: lead first, then co-units.
#[derive(Debug, Clone)]
pub struct Assigned {
    pub id: i64,
    pub title: String,
    pub lead: i64,
    pub co: Vec<i64>,
}

/// A counted task that reached 100 %: the first accepted report that said so.
#[derive(Debug, Clone)]
pub struct Done {
    pub task: Assigned,
    pub due_date: Option<Date>,
    pub sent_at: jiff::Timestamp,
}

async fn co_units(tx: &mut Tx, year: i16) -> Result<Vec<(i64, i64)>, StoreError> {
    sql(
        "SELECT tu.task_id, tu.unit_id FROM task_units tu JOIN tasks t ON t.id = tu.task_id
         WHERE t.year = $1 AND tu.role = 'co' ORDER BY tu.task_id, tu.position",
    )
    .bind(i64::from(year))
    .fetch_all(tx)
    .await
}

fn attach_co(tasks: &mut [Assigned], co: &[(i64, i64)]) {
    let mut by: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for (t, u) in co {
        by.entry(*t).or_default().push(*u);
    }
    for t in tasks {
        if let Some(units) = by.remove(&t.id) {
            t.co = units;
        }
    }
}

pub async fn tasks_done(tx: &mut Tx, year: i16) -> Result<Vec<Done>, StoreError> {
    let rows: Vec<(
        i64,
        String,
        i64,
        Option<jiff_sqlx::Date>,
        jiff_sqlx::Timestamp,
    )> = Sql::assembled(format!(
        "SELECT t.id, t.title, t.lead_unit_id, t.due_date, MIN(r.sent_at)
             FROM tasks t JOIN progress_reports r ON r.task_id = t.id
             WHERE t.year = $1 AND r.state = 'accepted' AND r.percent >= 100
                AND r.sent_at IS NOT NULL AND {}
             GROUP BY t.id, t.title, t.lead_unit_id, t.due_date ORDER BY t.id",
        crate::progress::COUNTED
    ))
    .bind(i64::from(year))
    .fetch_all(tx)
    .await?;
    let mut tasks: Vec<Assigned> = rows
        .iter()
        .map(|(id, title, lead, _, _)| Assigned {
            id: *id,
            title: title.clone(),
            lead: *lead,
            co: Vec::new(),
        })
        .collect();
    attach_co(&mut tasks, &co_units(tx, year).await?);
    Ok(tasks
        .into_iter()
        .zip(rows)
        .map(|(task, (_, _, _, due, sent))| Done {
            task,
            due_date: date(due),
            sent_at: sent.to_jiff(),
        })
        .collect())
}

/// A month a counted task ended red (and is still red: a repaired month is yellow).
#[derive(Debug, Clone)]
pub struct RedMonth {
    pub task: Assigned,
    pub month: String,
}

pub async fn red_months(tx: &mut Tx, year: i16) -> Result<Vec<RedMonth>, StoreError> {
    let rows: Vec<(i64, String, i64, String)> = Sql::assembled(format!(
        "SELECT t.id, t.title, t.lead_unit_id, h.period
         FROM task_light_history h JOIN tasks t ON t.id = h.task_id
         WHERE t.year = $1 AND h.light = 'red' AND {} ORDER BY t.id, h.period",
        crate::progress::COUNTED
    ))
    .bind(i64::from(year))
    .fetch_all(tx)
    .await?;
    let mut tasks: Vec<Assigned> = rows
        .iter()
        .map(|(id, title, lead, _)| Assigned {
            id: *id,
            title: title.clone(),
            lead: *lead,
            co: Vec::new(),
        })
        .collect();
    attach_co(&mut tasks, &co_units(tx, year).await?);
    Ok(tasks
        .into_iter()
        .zip(rows)
        .map(|(task, (_, _, _, month))| RedMonth { task, month })
        .collect())
}

/// A case with a deadline and a lead unit, its co- and split units.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: i64,
    pub title: String,
    pub state: String,
    pub lead: i64,
    pub co: Vec<i64>,
    pub split: Vec<i64>,
    pub due_on: Date,
    pub closed_on: Option<Date>,
}

pub async fn cases(tx: &mut Tx, year: i16) -> Result<Vec<Case>, StoreError> {
    let rows: Vec<(
        i64,
        String,
        String,
        i64,
        jiff_sqlx::Date,
        Option<jiff_sqlx::Date>,
    )> = sql(
        "SELECT id, title, state, lead_unit_id, due_on, closed_on FROM cases
         WHERE year = $1 AND lead_unit_id IS NOT NULL AND due_on IS NOT NULL ORDER BY id",
    )
    .bind(i64::from(year))
    .fetch_all(tx)
    .await?;
    let units: Vec<(i64, i64, String)> =
        sql("SELECT cu.case_id, cu.unit_id, cu.role FROM case_units cu
         JOIN cases c ON c.id = cu.case_id WHERE c.year = $1 ORDER BY cu.case_id, cu.unit_id")
        .bind(i64::from(year))
        .fetch_all(tx)
        .await?;
    let mut by: std::collections::HashMap<i64, (Vec<i64>, Vec<i64>)> =
        std::collections::HashMap::new();
    for (c, u, role) in units {
        let e = by.entry(c).or_default();
        if role == "split" {
            e.1.push(u)
        } else {
            e.0.push(u)
        }
    }
    Ok(rows
        .into_iter()
        .map(|(id, title, state, lead, due, closed)| {
            let (co, split) = by.remove(&id).unwrap_or_default();
            Case {
                id,
                title,
                state,
                lead,
                co,
                split,
                due_on: due.to_jiff(),
                closed_on: date(closed),
            }
        })
        .collect())
}

/// An escalation step taken on a case (催办, 督办单, 通报, 约谈), or a rework order (返工).
#[derive(Debug, Clone)]
pub struct Step {
    pub id: i64,
    pub case_id: i64,
    pub title: String,
    pub lead: i64,
    pub step: String,
    pub day: Option<Date>,
    pub at: Option<jiff::Timestamp>,
}

pub async fn case_steps(tx: &mut Tx, year: i16) -> Result<Vec<Step>, StoreError> {
    let rows: Vec<(i64, i64, String, i64, String, jiff_sqlx::Date)> = sql(
        "SELECT s.id, s.case_id, c.title, c.lead_unit_id, s.step, s.taken_on
         FROM case_steps s JOIN cases c ON c.id = s.case_id
         WHERE c.year = $1 AND c.lead_unit_id IS NOT NULL
            AND s.step IN ('urge', 'notice', 'bulletin', 'interview') ORDER BY s.id",
    )
    .bind(i64::from(year))
    .fetch_all(tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, case_id, title, lead, step, day)| Step {
            id,
            case_id,
            title,
            lead,
            step,
            day: Some(day.to_jiff()),
            at: None,
        })
        .collect())
}

pub async fn reworks(tx: &mut Tx, year: i16) -> Result<Vec<Step>, StoreError> {
    let rows: Vec<(i64, i64, String, i64, jiff_sqlx::Timestamp)> =
        sql("SELECT e.id, e.case_id, c.title, c.lead_unit_id, e.at
         FROM case_events e JOIN cases c ON c.id = e.case_id
         WHERE c.year = $1 AND c.lead_unit_id IS NOT NULL AND e.kind = 'rework' ORDER BY e.id")
        .bind(i64::from(year))
        .fetch_all(tx)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, case_id, title, lead, at)| Step {
            id,
            case_id,
            title,
            lead,
            step: "rework".into(),
            day: None,
            at: Some(at.to_jiff()),
        })
        .collect())
}

/// A concluded commitment of a unit's head: kept (兑现) or broken (未兑现).
#[derive(Debug, Clone)]
pub struct Commitment {
    pub id: i64,
    pub unit: i64,
    pub title: String,
    pub kept: bool,
    pub concluded_at: jiff::Timestamp,
}

pub async fn commitments(tx: &mut Tx, year: i16) -> Result<Vec<Commitment>, StoreError> {
    let rows: Vec<(i64, i64, Option<String>, String, jiff_sqlx::Timestamp)> =
        sql("SELECT c.id, c.unit_id, v.title, c.state, c.updated_at
         FROM commitments c LEFT JOIN commitment_versions v ON v.id = c.current_version_id
         WHERE c.year = $1 AND c.unit_id IS NOT NULL
            AND c.state IN ('fulfilled', 'not_fulfilled') ORDER BY c.id")
        .bind(i64::from(year))
        .fetch_all(tx)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, unit, title, state, at)| Commitment {
            id,
            unit,
            title: title.unwrap_or_default(),
            kept: state == "fulfilled",
            concluded_at: at.to_jiff(),
        })
        .collect())
}

/// A handed-out suggestion or proposal: its deadline in force (an approved extension moves
/// it), its first reply, and whether the proposer rated that reply 不满意 and when.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub lead: i64,
    pub co: Vec<i64>,
    pub due_on: Date,
    pub first_replied_on: Option<Date>,
    pub dissatisfied_at: Option<jiff::Timestamp>,
}

pub async fn proposals(tx: &mut Tx, year: i16) -> Result<Vec<Proposal>, StoreError> {
    let rows: Vec<(
        i64,
        String,
        String,
        i64,
        jiff_sqlx::Date,
        Option<jiff_sqlx::Date>,
    )> = sql(
        "SELECT id, number, title, lead_unit_id, reply_due_on, first_replied_on FROM proposals
         WHERE year = $1 AND lead_unit_id IS NOT NULL AND reply_due_on IS NOT NULL
         ORDER BY id",
    )
    .bind(i64::from(year))
    .fetch_all(&mut *tx)
    .await?;
    let co: Vec<(i64, i64)> = sql("SELECT pu.proposal_id, pu.unit_id FROM proposal_units pu
         JOIN proposals p ON p.id = pu.proposal_id
         WHERE p.year = $1 AND pu.role = 'co' ORDER BY pu.proposal_id, pu.unit_id")
    .bind(i64::from(year))
    .fetch_all(&mut *tx)
    .await?;
    let rated: Vec<(i64, jiff_sqlx::Timestamp)> = sql("SELECT r.proposal_id, r.rated_at
         FROM proposal_ratings r JOIN proposals p ON p.id = r.proposal_id
         WHERE p.year = $1 AND r.round = 1 AND r.rating = 'dissatisfied' ORDER BY r.id")
    .bind(i64::from(year))
    .fetch_all(tx)
    .await?;
    let mut co_of: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for (p, u) in co {
        co_of.entry(p).or_default().push(u);
    }
    let mut first_dissatisfied: std::collections::HashMap<i64, jiff::Timestamp> =
        std::collections::HashMap::new();
    for (p, at) in rated {
        first_dissatisfied.entry(p).or_insert(at.to_jiff());
    }
    Ok(rows
        .into_iter()
        .map(|(id, number, title, lead, due, replied)| Proposal {
            id,
            number,
            title,
            lead,
            co: co_of.remove(&id).unwrap_or_default(),
            due_on: due.to_jiff(),
            first_replied_on: date(replied),
            dissatisfied_at: first_dissatisfied.get(&id).copied(),
        })
        .collect())
}
