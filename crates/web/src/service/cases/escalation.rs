//! The reminder and escalation ladder as jobs. When a case gets (or changes) its deadline,
//! [`schedule`] enqueues one job per rung, keyed by case, step and deadline, so enqueuing
//! again is harmless and a new deadline gets new jobs. When a job comes due, [`run_step`]
//! checks that the case is still on the clock for that same deadline, records the step
//! (once: `case_steps` is unique per case, step and deadline), writes it on the timeline,
//! issues the document (催办通知书, 督办单) and notifies the people concerned. After downtime
//! several rungs' jobs run on one day: only the highest rung now due is taken, and a reminder
//! before the deadline is never sent after it (`ladder::on_run`); the others are recorded as
//! skipped, so they are never sent later either.

use super::tell;
use crate::error::AppError;
use crate::state::AppState;
use duban_core::calendar::Calendar;
use duban_core::cases::CaseId;
use duban_core::cases::ladder::{self, Ladder, OnRun, Step};
use duban_store::cases::steps::{self, NewDocument};
use duban_store::cases::{self as store, Case, Handling, NewEvent};
use duban_store::{Audit, Tx, jobs};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The job kind of one rung of the ladder for one case.
pub const CASE_STEP_JOB: &str = "case_step";

/// The hour of the day (local) at which steps fall due.
const STEP_HOUR: i8 = 9;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StepPayload {
    pub case: i64,
    pub step: Step,
    /// The deadline the step belongs to.
    pub due: Date,
}

/// Enqueues the ladder's jobs for a case's current deadline (nothing off the clock).
pub async fn schedule(
    tx: &mut Tx,
    state: &AppState,
    id: CaseId,
    h: &Handling,
    ladder: &Ladder,
    calendar: &Calendar,
) -> Result<(), AppError> {
    let Some(due) = h.due_on else { return Ok(()) };
    if !ladder::applies(h.state) {
        return Ok(());
    }
    let steps = ladder::schedule(ladder, due, calendar)
        .map_err(|e| AppError::Internal(format!("ladder: {e}")))?;
    for (step, day) in steps {
        let at = day
            .at(STEP_HOUR, 0, 0, 0)
            .to_zoned(state.config.timezone.clone())
            .map_err(|e| AppError::Internal(format!("step time: {e}")))?
            .timestamp();
        let payload = StepPayload {
            case: id.0,
            step,
            due,
        };
        let key = format!("case:{}:{}:{due}", id.0, step.as_str());
        jobs::enqueue(
            tx,
            CASE_STEP_JOB,
            &key,
            at,
            &serde_json::to_value(&payload).expect("payloads serialize"),
        )
        .await?;
    }
    Ok(())
}

/// What running one step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Taken,
    /// Already taken (another process, or before a restart).
    AlreadyTaken,
    /// The case left the clock or its deadline changed since the job was enqueued.
    NoLongerApplies,
    /// A higher rung was due as well, or the reminder's deadline had passed: recorded as
    /// skipped, nothing sent.
    Skipped,
}

/// Runs one rung for one case inside the caller's transaction (the job's completion is
/// written in the same one).
pub async fn run_step(
    state: &AppState,
    tx: &mut Tx,
    payload: &serde_json::Value,
    now: Timestamp,
) -> Result<Outcome, AppError> {
    let p: StepPayload = serde_json::from_value(payload.clone())
        .map_err(|e| AppError::BadRequest(format!("case_step payload: {e}")))?;
    let id = CaseId(p.case);
    let Some(case) = store::get_case(tx, id).await? else {
        return Ok(Outcome::NoLongerApplies);
    };
    let h = &case.handling;
    if h.due_on != Some(p.due) || !ladder::applies(h.state) {
        return Ok(Outcome::NoLongerApplies);
    }
    let today = now.to_zoned(state.config.timezone.clone()).date();
    let audit = Audit::system(now);
    let calendar = duban_store::calendar::load_calendar(tx).await?;
    let settings = duban_store::cases::settings::get_settings(tx, case.facts.year).await?;
    let rungs = ladder::schedule(&settings.ladder, p.due, &calendar)
        .map_err(|e| AppError::Internal(format!("ladder: {e}")))?;
    let skipped_for = match ladder::on_run(&rungs, p.step, p.due, today) {
        OnRun::Take => None,
        OnRun::Superseded(higher) => Some(higher.as_str()),
        OnRun::PastDeadline => Some("past_deadline"),
    };
    if let Some(why) = skipped_for {
        let first = steps::record_skipped(tx, &audit, id, p.step, p.due, today, why).await?;
        if first {
            tracing::info!(
                case.id = id.0,
                step = p.step.as_str(),
                skipped_for = why,
                "a rung of the ladder was skipped"
            );
        }
        return Ok(Outcome::Skipped);
    }
    let Some(step_id) = steps::record_step(tx, &audit, id, p.step, p.due, today).await? else {
        return Ok(Outcome::AlreadyTaken);
    };
    let overdue = overdue_workdays(&calendar, p.due, today);
    let mut data = serde_json::json!({ "due": p.due, "overdue_workdays": overdue });
    if let Some(kind) = document_kind(p.step) {
        let number = issue_document(tx, &audit, &case, step_id, kind, today, overdue).await?;
        data["document"] = serde_json::json!(number);
    }
    store::add_note(
        tx,
        &audit,
        id,
        &NewEvent::new(p.step.as_str(), "").with_data(data),
    )
    .await?;
    tell::escalated(state, tx, &audit, &case, p.step, overdue).await?;
    Ok(Outcome::Taken)
}

fn document_kind(step: Step) -> Option<duban_docs::notice::NoticeKind> {
    match step {
        Step::Urge => Some(duban_docs::notice::NoticeKind::Urge),
        Step::Notice => Some(duban_docs::notice::NoticeKind::Supervise),
        _ => None,
    }
}

/// The issuing office, as printed on notices.
pub const ISSUER: &str = "永康市督查考核办公室";

/// Generates and stores the 催办通知书 or 督办单 of a step; returns its number.
async fn issue_document(
    tx: &mut Tx,
    audit: &Audit,
    case: &Case,
    step_id: i64,
    kind: duban_docs::notice::NoticeKind,
    today: Date,
    overdue: i64,
) -> Result<String, AppError> {
    use duban_docs::notice::{Notice, NoticeKind, write_notice_docx};
    let year = today.year();
    let (prefix, requirement) = match kind {
        NoticeKind::Urge => (
            "永督催",
            "请抓紧办理，于3个工作日内报送办理情况；确有困难的，书面说明原因及整改计划。",
        ),
        NoticeKind::Supervise => (
            "永督",
            "请单位主要负责人亲自督办，于3个工作日内书面报告逾期原因、整改措施及完成时限。",
        ),
    };
    let n = steps::next_document_number(tx, prefix, year).await?;
    let number = format!("{prefix}〔{year}〕{n}号");
    let h = &case.handling;
    let notice = Notice {
        kind,
        number: number.clone(),
        addressee: case.lead_unit_name.clone().unwrap_or_default(),
        case_code: case.code(),
        title: case.facts.title.clone(),
        content: case.facts.content.clone(),
        source: super::view::source_zh(case.facts.source).to_string(),
        assigned_on: h.deadline_from.unwrap_or(case.facts.found_on),
        due: h.due_on.unwrap_or(today),
        overdue_workdays: overdue,
        requirement: requirement.to_string(),
        issuer: ISSUER.to_string(),
        issued_on: today,
        copy_to: case.leader_name.iter().cloned().collect(),
    };
    let bytes = write_notice_docx(&notice)
        .map_err(|e| AppError::Internal(format!("notice document: {e}")))?;
    let file_name = format!("{}-{}.docx", case.code(), number);
    steps::insert_document(
        tx,
        audit,
        NewDocument {
            case: case.id,
            step_id: Some(step_id),
            number: &number,
            file_name: &file_name,
            media_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            bytes,
        },
    )
    .await?;
    Ok(number)
}

/// Working days from the day after `due` up to `today`, both included (0 when not overdue).
pub fn overdue_workdays(calendar: &Calendar, due: Date, today: Date) -> i64 {
    match due.tomorrow() {
        Ok(first) if today >= first => calendar.workdays(first, today).unwrap_or(0),
        _ => 0,
    }
}

/// After the holiday calendar changed: recomputes every running deadline from its rule and
/// start, records each move on the case's timeline (and the ledger), and schedules the ladder
/// for the new date (the old date's jobs find the deadline changed and do nothing). Returns
/// how many cases moved.
pub async fn recompute_deadlines(
    tx: &mut Tx,
    state: &AppState,
    audit: &Audit,
) -> Result<usize, AppError> {
    use duban_core::cases::deadline::DeadlineRule;
    let calendar = duban_store::calendar::load_calendar(tx).await?;
    let mut moved = 0;
    for id in duban_store::cases::browse::cases_with_running_deadlines(tx).await? {
        let Some(case) = store::get_case(tx, CaseId(id)).await? else {
            continue;
        };
        let before = &case.handling;
        let (Some(rule), Some(from)) = (before.deadline_rule.as_deref(), before.deadline_from)
        else {
            continue;
        };
        let Ok(due) = DeadlineRule::parse(rule).and_then(|r| r.due(from, &calendar)) else {
            continue;
        };
        if before.due_on == Some(due) {
            continue;
        }
        let after = Handling {
            due_on: Some(due),
            ..before.clone()
        };
        let event = NewEvent::new("redate", "").with_data(serde_json::json!({
            "from": before.due_on, "to": due, "because": "calendar"
        }));
        store::save_step(tx, audit, case.id, before, &after, &event).await?;
        let settings = duban_store::cases::settings::get_settings(tx, case.facts.year).await?;
        schedule(tx, state, case.id, &after, &settings.ladder, &calendar).await?;
        moved += 1;
    }
    Ok(moved)
}
