//! Who hears about a step, and what they are told. Notifications are rows written in the
//! step's own transaction (inbox, deliveries, delivery jobs); nothing is sent from a request.

use super::steps::StepKind;
use crate::error::AppError;
use crate::state::AppState;
use duban_core::cases::ladder::Step;
use duban_core::cases::state::{CaseState, Rating};
use duban_core::org::{PersonId, UnitId};
use duban_core::role::Role;
use duban_store::cases::steps::{people_of_unit_with_role, people_with_role};
use duban_store::cases::{Case, Handling};
use duban_store::notifications::{Message, notify};
use duban_store::{Audit, Tx};

/// The lead unit's head(s) and liaison(s).
async fn unit_desk(tx: &mut Tx, h: &Handling) -> Result<Vec<PersonId>, AppError> {
    let Some(unit) = h.lead_unit_id else {
        return Ok(Vec::new());
    };
    desk_of(tx, unit).await
}

/// A unit's head(s) and liaison(s).
async fn desk_of(tx: &mut Tx, unit: UnitId) -> Result<Vec<PersonId>, AppError> {
    let mut out = people_of_unit_with_role(tx, unit, Role::UnitHead).await?;
    out.extend(people_of_unit_with_role(tx, unit, Role::UnitLiaison).await?);
    Ok(out)
}

/// 交办 tells the co-units (配合) and split units (分办) too, each what is asked of it.
async fn assigned_others(
    state: &AppState,
    tx: &mut Tx,
    audit: &Audit,
    case: &Case,
    after: &Handling,
) -> Result<(), AppError> {
    let title = &case.facts.title;
    let lead = match after.lead_unit_id {
        Some(u) => duban_store::org::get_unit(tx, u).await?.short_name,
        None => String::new(),
    };
    for &unit in &after.co_unit_ids {
        let to = desk_of(tx, unit).await?;
        let subject = format!(
            "【协办】{title}：请配合{lead}办理，{}前办结",
            date(after.due_on)
        );
        send(state, tx, audit, case, to, "case.assign_co", subject).await?;
    }
    for &unit in &after.split_unit_ids {
        let to = desk_of(tx, unit).await?;
        let subject = format!(
            "【分办】{title}：请于{}前签收本单位分办部分，{}前办结",
            date(after.ack_due_on),
            date(after.due_on)
        );
        send(state, tx, audit, case, to, "case.assign_split", subject).await?;
    }
    Ok(())
}

/// After a step on a split unit's part (分办): a claim goes to the office, a verdict to the
/// split unit.
pub async fn after_part_step(
    state: &AppState,
    tx: &mut Tx,
    audit: &Audit,
    case: &Case,
    kind: StepKind,
    unit: UnitId,
    unit_name: &str,
) -> Result<(), AppError> {
    let title = &case.facts.title;
    let (to, subject) = match kind {
        StepKind::ClaimDone => (
            office(tx).await?,
            format!("【分办申请办结】{title}（{unit_name}）：请核查"),
        ),
        StepKind::VerifyOk => (
            desk_of(tx, unit).await?,
            format!("【分办已销号】{title}（{unit_name}）"),
        ),
        StepKind::Rework => (
            desk_of(tx, unit).await?,
            format!("【分办退回重办】{title}（{unit_name}）"),
        ),
        _ => return Ok(()),
    };
    let kind = format!("case.part_{}", kind.as_str());
    send(state, tx, audit, case, to, &kind, subject).await
}

async fn office(tx: &mut Tx) -> Result<Vec<PersonId>, AppError> {
    Ok(people_with_role(tx, Role::SupervisionOffice).await?)
}

async fn send(
    state: &AppState,
    tx: &mut Tx,
    audit: &Audit,
    case: &Case,
    to: Vec<PersonId>,
    kind: &str,
    subject: String,
) -> Result<(), AppError> {
    if to.is_empty() {
        return Ok(());
    }
    let message = Message {
        kind: kind.to_string(),
        subject,
        body: format!("{}（{}）", case.facts.title, case.code()),
        link: format!("/cases/{}", case.id.0),
        case_id: Some(case.id.0),
    };
    notify(tx, audit, &state.channels(), &to, &message).await?;
    Ok(())
}

fn date(d: Option<jiff::civil::Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
}

/// After a step by a person.
pub async fn after_step(
    state: &AppState,
    tx: &mut Tx,
    audit: &Audit,
    case: &Case,
    kind: StepKind,
    after: &Handling,
) -> Result<(), AppError> {
    let title = &case.facts.title;
    let (to, subject) = match kind {
        StepKind::Assign => (
            unit_desk(tx, after).await?,
            format!(
                "【交办】{title}：请于{}前签收，{}前办结",
                date(after.ack_due_on),
                date(after.due_on)
            ),
        ),
        StepKind::RequestReturn => (office(tx).await?, format!("【申请退回】{title}")),
        StepKind::ClaimDone => (office(tx).await?, format!("【申请办结】{title}：请核查")),
        StepKind::ProposeOngoing => (office(tx).await?, format!("【申请常态落实】{title}")),
        StepKind::ProposeDefer => (
            office(tx).await?,
            format!("【申请挂账】{title}：计划{}前解决", date(after.plan_on)),
        ),
        StepKind::Coordinate => (
            after.leader_id.into_iter().collect(),
            format!("【请求协调】{title}"),
        ),
        StepKind::Dispatch => (
            after.handler_id.into_iter().collect(),
            format!("【转办】{title}：请办理"),
        ),
        StepKind::Rework => (unit_desk(tx, after).await?, format!("【退回重办】{title}")),
        StepKind::RejectReturn => (
            unit_desk(tx, after).await?,
            format!("【退回申请未同意】{title}：请继续办理"),
        ),
        StepKind::AcceptProposal | StepKind::RejectProposal => (
            unit_desk(tx, after).await?,
            format!("【申请已处理】{title}"),
        ),
        StepKind::Instruction => (unit_desk(tx, after).await?, format!("【领导批示】{title}")),
        StepKind::VerifyOk => {
            let mut to = unit_desk(tx, after).await?;
            let raiser = case.facts.raised_by.filter(|_| super::raiser_rates(case));
            to.extend(raiser);
            (to, format!("【已销号】{title}"))
        }
        StepKind::Rate if after.rating == Some(Rating::Dissatisfied) => {
            let mut to = office(tx).await?;
            to.extend(unit_desk(tx, after).await?);
            (to, format!("【不满意，重新办理】{title}"))
        }
        StepKind::ApproveReturn if after.state == CaseState::Registered => {
            (office(tx).await?, format!("【待重新交办】{title}"))
        }
        _ => return Ok(()),
    };
    send(
        state,
        tx,
        audit,
        case,
        to,
        &format!("case.{}", kind.as_str()),
        subject,
    )
    .await?;
    if kind == StepKind::Assign {
        assigned_others(state, tx, audit, case, after).await?;
    }
    Ok(())
}

/// A co-unit sent its opinion to the lead unit.
pub async fn opinion_given(
    state: &AppState,
    tx: &mut Tx,
    audit: &Audit,
    case: &Case,
) -> Result<(), AppError> {
    let to = unit_desk(tx, &case.handling).await?;
    let subject = format!("【协办意见】{}", case.facts.title);
    send(state, tx, audit, case, to, "case.opinion", subject).await
}

/// A rung of the ladder was taken: the handler, the unit's head and liaison and the
/// portfolio leader hear of it; the office hears of notices, bulletins and interviews.
pub async fn escalated(
    state: &AppState,
    tx: &mut Tx,
    audit: &Audit,
    case: &Case,
    step: Step,
    overdue: i64,
) -> Result<(), AppError> {
    let h = &case.handling;
    let mut to: Vec<PersonId> = h.handler_id.into_iter().collect();
    to.extend(unit_desk(tx, h).await?);
    to.extend(h.leader_id);
    if matches!(step, Step::Notice | Step::Bulletin | Step::Interview) {
        to.extend(office(tx).await?);
    }
    let title = &case.facts.title;
    let subject = match step {
        Step::Remind => format!("【到期提醒】{title}：{}到期", date(h.due_on)),
        Step::Urge => format!("【催办】{title}：已于{}到期", date(h.due_on)),
        Step::Notice => format!("【督办单】{title}：逾期{overdue}个工作日"),
        Step::Bulletin => format!("【拟通报】{title}：逾期{overdue}个工作日，列入下期通报"),
        Step::Interview => format!("【约谈】{title}：逾期{overdue}个工作日，拟约谈单位主要负责人"),
    };
    send(
        state,
        tx,
        audit,
        case,
        to,
        &format!("case.{}", step.as_str()),
        subject,
    )
    .await
}
