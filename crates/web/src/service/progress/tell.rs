//! Who hears of a report's step, written as rows in the step's own transaction: the unit head
//! of a report waiting for approval, the office of one sent to it, the author of one sent
//! back, returned or accepted. "Waiting for you" and "accepted" are said once until read
//! (`notifications::notify_once`), so a liaison sending twenty reports tells the head once
//! and the office accepting fifty tells the liaison once; a report sent back or returned is
//! named on its own, since each needs its own answer.

use crate::error::AppError;
use crate::state::AppState;
use duban_core::org::{PersonId, UnitId};
use duban_core::progress::period::Period;
use duban_core::progress::report::ReportState;
use duban_core::role::Role;
use duban_store::cases::steps::{people_of_unit_with_role, people_with_role};
use duban_store::lists::Task;
use duban_store::notifications::{Message, notify, notify_once};
use duban_store::progress::Report;
use duban_store::{Audit, Tx};

/// Where the reports to handle are listed.
const QUEUE: &str = "/reports";

fn period_label(key: &str) -> String {
    Period::parse(key).map_or_else(|| key.to_string(), |p| p.label_zh())
}

async fn waiting(
    state: &AppState,
    tx: &mut Tx,
    audit: &Audit,
    to: &[PersonId],
    kind: &str,
    subject: String,
) -> Result<(), AppError> {
    let message = Message {
        kind: kind.into(),
        subject,
        body: String::new(),
        link: QUEUE.into(),
        case_id: None,
    };
    notify_once(tx, audit, &state.channels(), to, &message).await?;
    Ok(())
}

/// A report arrived in `after`: the unit head hears of one waiting for approval, the office
/// of one sent to it.
pub async fn arrived(
    state: &AppState,
    tx: &mut Tx,
    audit: &Audit,
    task: &Task,
    after: ReportState,
) -> Result<(), AppError> {
    let unit = task.fields.lead_unit_id;
    match after {
        ReportState::UnitReview => {
            let heads = people_of_unit_with_role(tx, unit, Role::UnitHead).await?;
            let subject = format!("【待审核】{}有进展报告等待您审核", task.lead_unit_name);
            waiting(state, tx, audit, &heads, "report.unit_review", subject).await
        }
        ReportState::Submitted => {
            let office = people_with_role(tx, Role::SupervisionOffice).await?;
            let subject = "【待采纳】有单位报送的进展报告等待采纳".to_string();
            waiting(state, tx, audit, &office, "report.submitted", subject).await
        }
        _ => Ok(()),
    }
}

/// The office or the head decided on a report: its author hears of it.
pub async fn decided(
    state: &AppState,
    tx: &mut Tx,
    audit: &Audit,
    report: &Report,
    task: &Task,
    after: ReportState,
    comment: &str,
) -> Result<(), AppError> {
    if !matches!(
        after,
        ReportState::Accepted | ReportState::Returned | ReportState::Draft
    ) {
        return Ok(());
    }
    let Some(author) = author_person(tx, report.author_id).await? else {
        return Ok(());
    };
    let what = format!("{}（{}）", task.fields.title, period_label(&report.period));
    let (kind, subject) = match after {
        ReportState::Accepted => {
            let subject = "【已采纳】您报送的进展报告已采纳".to_string();
            return waiting(state, tx, audit, &[author], "report.accepted", subject).await;
        }
        ReportState::Returned => (
            "report.returned",
            format!("【已退回】{what}：请修改后重新报送"),
        ),
        ReportState::Draft => (
            "report.sent_back",
            format!("【退回修改】{what}：单位负责人退回"),
        ),
        _ => return Ok(()),
    };
    let message = Message {
        kind: kind.into(),
        subject,
        body: comment.to_string(),
        link: format!("/reports/{}", report.id),
        case_id: None,
    };
    notify(tx, audit, &state.channels(), &[author], &message).await?;
    Ok(())
}

/// The person behind a report's author account.
async fn author_person(tx: &mut Tx, user: Option<i64>) -> Result<Option<PersonId>, AppError> {
    let Some(user) = user else { return Ok(None) };
    let u = duban_store::accounts::get_user(tx, duban_core::org::UserId(user)).await?;
    Ok(u.person_id.map(PersonId))
}

/// Whoever writes a unit's reports: its liaisons, or its head when it has none.
pub async fn reporters(tx: &mut Tx, unit: UnitId) -> Result<Vec<PersonId>, AppError> {
    let liaisons = people_of_unit_with_role(tx, unit, Role::UnitLiaison).await?;
    if !liaisons.is_empty() {
        return Ok(liaisons);
    }
    Ok(people_of_unit_with_role(tx, unit, Role::UnitHead).await?)
}
