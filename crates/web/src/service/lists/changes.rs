//! Change requests (调整申请) on approved tasks: the unit proposes new baseline values with a
//! reason; the office approves (the values apply and each changed field's history is written)
//! or rejects.

use super::{TaskInput, load_visible, validate};
use crate::error::{AppError, FieldError};
use crate::service::audit;
use crate::state::AppState;
use duban_core::lists::baseline::{self, ChangeState};
use duban_core::lists::state::TaskState;
use duban_core::lists::{ChangeId, Indicator, Milestone, TaskId};
use duban_core::policy::{Action, Actor, Object, decide};
use duban_store::lists::{self as store, review};
use serde::Deserialize;

/// What a change request proposes: the new baseline values, and why.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ChangeInput {
    #[serde(default)]
    pub reason: String,
    /// New deadline or cadence; omitted fields keep their current value.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<jiff::civil::Date>,
    #[serde(default)]
    pub cadence: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub indicators: Option<Vec<Indicator>>,
    #[serde(default)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub milestones: Option<Vec<Milestone>>,
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default)]
    pub lead_leader_id: Option<i64>,
    #[serde(default)]
    pub section_id: Option<i64>,
    #[serde(default)]
    pub post_id: Option<i64>,
    #[serde(default)]
    pub person_id: Option<i64>,
}

/// 调整申请 — proposes new baseline values for an approved task.
pub async fn propose_change(
    state: &AppState,
    actor: &Actor,
    id: TaskId,
    input: &ChangeInput,
) -> Result<ChangeId, AppError> {
    let mut tx = state.store.begin_write().await?;
    let task = load_visible(&mut tx, actor, id).await?;
    let parent = super::parent_of(&mut tx, &task).await?;
    decide(
        actor,
        Action::ProposeChange,
        super::owner_object(&task, parent.as_ref()),
    )?;
    let current = task.fields.baseline();
    let mut proposed_input = TaskInput {
        year: Some(task.fields.year),
        campaign_id: task.fields.campaign_id.map(|c| c.0),
        list_kind: task.fields.list_kind.as_str().into(),
        path: task.fields.path.clone(),
        title: task.fields.title.clone(),
        content: task.fields.content.clone(),
        lead_leader_id: input.lead_leader_id.or(current.lead_leader),
        lead_unit_id: Some(current.lead_unit),
        co_unit_ids: task.fields.co_unit_ids.iter().map(|u| u.0).collect(),
        section_id: input.section_id.or(current.section),
        post_id: input.post_id.or(current.post),
        person_id: input.person_id.or(current.person),
        due_date: input.due_date,
        cadence: input.cadence.clone(),
        weight: Some(input.weight.unwrap_or(current.weight)),
        indicators: input
            .indicators
            .clone()
            .unwrap_or(current.indicators.clone()),
        milestones: input
            .milestones
            .clone()
            .unwrap_or(current.milestones.clone()),
        remark: task.fields.remark.clone(),
    };
    if proposed_input.due_date.is_none()
        && proposed_input.cadence.as_deref().is_none_or(str::is_empty)
    {
        proposed_input.due_date = current.due.date();
        proposed_input.cadence = current.due.cadence().map(|c| c.as_str().to_string());
    }
    let fields = validate(
        &mut tx,
        state,
        &proposed_input,
        parent.as_ref(),
        Some(&task),
    )
    .await?;
    let proposed = fields.baseline();
    let pending = review::list_changes_of_task(&mut tx, id)
        .await?
        .iter()
        .any(|c| c.state() == Some(ChangeState::Pending));
    let changes = baseline::propose(
        task.state == TaskState::Approved,
        pending,
        &current,
        &proposed,
        &input.reason,
    )
    .map_err(change_error)?;
    let audit = audit(state, actor);
    let cid =
        review::insert_change(&mut tx, &audit, id, &input.reason, &proposed, &changes).await?;
    tell_decider(state, &mut tx, &audit).await?;
    tx.commit().await?;
    Ok(cid)
}

/// The office (who decides changes) hears that one waits, once until it reads it.
async fn tell_decider(
    state: &AppState,
    tx: &mut duban_store::Tx,
    audit: &duban_store::Audit,
) -> Result<(), AppError> {
    use duban_store::notifications::{Message, notify_once};
    let office =
        duban_store::cases::steps::people_with_role(tx, duban_core::role::Role::SupervisionOffice)
            .await?;
    let message = Message {
        kind: "change.proposed".into(),
        subject: "【调整申请】有任务调整申请等待审定".into(),
        body: String::new(),
        link: "/lists/changes".into(),
        case_id: None,
    };
    notify_once(tx, audit, &state.channels(), &office, &message).await?;
    Ok(())
}

fn change_error(e: baseline::ChangeError) -> AppError {
    let (field, code) = match e {
        baseline::ChangeError::ReasonRequired => ("reason", "empty"),
        baseline::ChangeError::NothingChanged => ("form", "nothing_changed"),
        baseline::ChangeError::TaskNotApproved => ("state", "not_approved"),
        baseline::ChangeError::AlreadyPending => ("form", "change_pending"),
        baseline::ChangeError::AlreadyDecided => ("state", "already_decided"),
    };
    AppError::Invalid(vec![FieldError::new(field, code)])
}

/// The office approves (the new values apply, each field's history records it) or rejects.
pub async fn decide_change(
    state: &AppState,
    actor: &Actor,
    id: ChangeId,
    approve: bool,
    note: &str,
) -> Result<TaskId, AppError> {
    let mut tx = state.store.begin_write().await?;
    decide(actor, Action::DecideChange, Object::City)?;
    let change = review::get_change(&mut tx, id).await?;
    let task = load_visible(&mut tx, actor, TaskId(change.task_id)).await?;
    let to = if approve {
        ChangeState::Approved
    } else {
        ChangeState::Rejected
    };
    let from = change
        .state()
        .ok_or_else(|| AppError::Internal("bad change state".into()))?;
    baseline::decide(from, to).map_err(change_error)?;
    let audit = audit(state, actor);
    if approve {
        let proposed = change.proposed()?;
        let fields = task.fields.with_baseline(&proposed);
        store::update_task(&mut tx, &audit, task.id, &fields).await?;
    }
    review::decide_change(&mut tx, &audit, &change, to, note).await?;
    tx.commit().await?;
    Ok(task.id)
}
