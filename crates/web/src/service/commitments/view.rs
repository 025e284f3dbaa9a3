//! Reading commitments: the list with filters (year, committer, unit, state, light) and one
//! commitment with its versions and what each amendment changed, its linked tasks with their
//! lights, fulfilment, supervisors, evaluations, timeline and the steps the reader may take.

use super::{load_visible, may, signed_content_json, step_available};
use crate::error::AppError;
use crate::state::AppState;
use duban_core::commitments::CommitmentId;
use duban_core::commitments::diff::{FieldChange, diff};
use duban_core::commitments::evaluation::{EvaluatorKind, Verdict};
use duban_core::commitments::fulfilment::{Fulfilment, TaskStanding, fulfilment};
use duban_core::commitments::state::CommitmentState;
use duban_core::light::Light;
use duban_core::org::{PersonId, UnitId};
use duban_core::policy::{Action, Actor, Object, decide};
use duban_store::Tx;
use duban_store::commitments::{
    self as store, Commitment, CommitmentFilter, Evaluation, Event, LinkedTask, Version,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Filters of the list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommitmentListQuery {
    pub year: Option<i16>,
    /// The committer (a person id).
    pub committer: Option<i64>,
    pub unit: Option<i64>,
    /// A commitment state (`published`, `fulfilling` …).
    pub state: Option<String>,
    /// red | yellow | green — the light of the linked tasks today.
    pub light: Option<String>,
}

/// One row of the list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ListedCommitment {
    pub id: i64,
    pub year: i16,
    pub committer_id: i64,
    pub committer_name: String,
    pub committer_title: String,
    pub unit_name: Option<String>,
    pub state: String,
    /// The signed version in force, or the draft if none is signed yet.
    pub version: i64,
    pub title: String,
    pub target_text: String,
    pub deadline: String,
    pub progress: f64,
    pub light: Option<String>,
    /// An amendment is under way.
    pub amending: bool,
}

/// The version shown: the signed one in force, else the latest draft.
pub fn shown(c: &Commitment) -> &Version {
    c.current().unwrap_or_else(|| c.latest())
}

/// Fulfilment of a version from its linked tasks (maintained progress and lights).
pub async fn tasks_and_fulfilment(
    tx: &mut Tx,
    v: &Version,
) -> Result<(Vec<LinkedTask>, Fulfilment), AppError> {
    let tasks = store::linked_tasks(tx, &v.content.task_ids).await?;
    let f = fulfilment_of(&tasks);
    Ok((tasks, f))
}

/// A commitment's fulfilment from its linked tasks' standing.
fn fulfilment_of(tasks: &[LinkedTask]) -> Fulfilment {
    let standing: Vec<TaskStanding> = tasks
        .iter()
        .map(|t| TaskStanding {
            progress: t.progress,
            weight: t.weight,
            light: Light::parse(&t.light).unwrap_or(Light::Green),
        })
        .collect();
    fulfilment(&standing)
}

fn listed(c: &Commitment, f: &Fulfilment) -> ListedCommitment {
    let v = shown(c);
    ListedCommitment {
        id: c.id.0,
        year: c.year,
        committer_id: c.committer_id.0,
        committer_name: c.committer_name.clone(),
        committer_title: c.committer_title.clone(),
        unit_name: c.unit_name.clone(),
        state: c.state.as_str().to_string(),
        version: v.number,
        title: v.content.title.clone(),
        target_text: v.content.target_text.clone(),
        deadline: v.content.deadline.to_string(),
        progress: f.progress,
        light: f.light.map(|l| l.as_str().to_string()),
        amending: c.pending_amendment().is_some(),
    }
}

/// The commitments `actor` may see, filtered. Commitments are few (one per leader and unit
/// head a year), so each is read whole and its fulfilment computed from its tasks.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    q: &CommitmentListQuery,
) -> Result<Vec<ListedCommitment>, AppError> {
    decide(actor, Action::ViewCommitments, Object::City)?;
    let filter = CommitmentFilter {
        year: q.year,
        committer: q.committer.map(PersonId),
        unit: q.unit.map(UnitId),
        state: match q.state.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => Some(CommitmentState::parse(s).ok_or_else(|| {
                AppError::BadQuery(crate::error::FieldError::new("state", "bad_choice"))
            })?),
            None => None,
        },
        public_only: actor.role == Some(duban_core::role::Role::Deputy),
    };
    let light = match q.light.as_deref().filter(|s| !s.is_empty()) {
        Some(l) => Some(Light::parse(l).ok_or_else(|| {
            AppError::BadQuery(crate::error::FieldError::new("light", "bad_choice"))
        })?),
        None => None,
    };
    let mut tx = state.store.begin_read().await?;
    let ids = store::list_commitment_ids(&mut tx, &filter).await?;
    let visible: Vec<Commitment> = store::get_commitments(&mut tx, &ids)
        .await?
        .into_iter()
        .filter(|c| may(actor, Action::ViewCommitment, c))
        .collect();
    // The tasks of every shown version at once, not a question per commitment.
    let mut task_ids: Vec<i64> = visible
        .iter()
        .flat_map(|c| shown(c).content.task_ids.iter().copied())
        .collect();
    task_ids.sort_unstable();
    task_ids.dedup();
    let tasks: HashMap<i64, LinkedTask> = store::linked_tasks(&mut tx, &task_ids)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let mut rows = Vec::new();
    for c in &visible {
        let linked: Vec<LinkedTask> = shown(c)
            .content
            .task_ids
            .iter()
            .filter_map(|id| tasks.get(id).cloned())
            .collect();
        let f = fulfilment_of(&linked);
        if light.is_some() && f.light != light {
            continue;
        }
        rows.push(listed(c, &f));
    }
    Ok(rows)
}

/// A version with what it changed from the one before.
#[derive(Debug, Clone, Serialize)]
pub struct VersionView {
    pub version: Version,
    pub changes: Vec<FieldChange>,
    /// For a signed version: the stored signed text equals the text its content gives now.
    pub signed_intact: Option<bool>,
}

/// A supervisor, by name (no contact data).
#[derive(Debug, Clone, Serialize)]
pub struct Supervisor {
    pub id: i64,
    pub name: String,
    pub title: String,
}

/// Counts and scores of the evaluations.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct EvaluationSummary {
    pub count: usize,
    pub fulfilled: usize,
    pub partly_fulfilled: usize,
    pub not_fulfilled: usize,
    /// The weighted score the office concludes from (`core::commitments::evaluation`).
    pub mean: Option<f64>,
    /// The deputies' and members' mean, and how many evaluated.
    pub supervisors_mean: Option<f64>,
    pub supervisors: usize,
    /// The public's mean, and how many evaluated (on the portal or through the office).
    pub public_mean: Option<f64>,
    pub public: usize,
    /// Citizens' evaluations the office set aside (flagged in a burst): kept, not counted.
    pub set_aside: usize,
    /// Citizens' evaluations flagged and waiting for the office to look at them.
    pub flagged: usize,
}

/// Each evaluation's kind and score, as the conclusion takes them.
pub fn scores(evaluations: &[Evaluation]) -> Vec<(EvaluatorKind, u8)> {
    evaluations
        .iter()
        .filter(|e| e.set_aside_reason.is_none())
        .filter_map(|e| {
            Some((
                EvaluatorKind::parse(&e.evaluator_kind)?,
                u8::try_from(e.score).ok()?,
            ))
        })
        .collect()
}

pub fn summarize(all: &[Evaluation]) -> EvaluationSummary {
    let set_aside = all.iter().filter(|e| e.set_aside_reason.is_some()).count();
    let flagged = all
        .iter()
        .filter(|e| e.flagged && e.set_aside_reason.is_none())
        .count();
    let evaluations: Vec<Evaluation> = all
        .iter()
        .filter(|e| e.set_aside_reason.is_none())
        .cloned()
        .collect();
    let evaluations = evaluations.as_slice();
    let count_of = |v: Verdict| {
        evaluations
            .iter()
            .filter(|e| e.verdict == v.as_str())
            .count()
    };
    let scores = scores(evaluations);
    let public = scores
        .iter()
        .filter(|(k, _)| *k == EvaluatorKind::Public)
        .count();
    let one_decimal = |m: f64| (m * 10.0).round() / 10.0;
    let conclusion = duban_core::commitments::evaluation::conclude(&scores).ok();
    EvaluationSummary {
        count: evaluations.len(),
        fulfilled: count_of(Verdict::Fulfilled),
        partly_fulfilled: count_of(Verdict::PartlyFulfilled),
        not_fulfilled: count_of(Verdict::NotFulfilled),
        mean: conclusion.map(|c| one_decimal(c.mean)),
        supervisors_mean: conclusion.and_then(|c| c.supervisors_mean.map(one_decimal)),
        supervisors: scores.len() - public,
        public_mean: conclusion.and_then(|c| c.public_mean.map(one_decimal)),
        public,
        set_aside,
        flagged,
    }
}

/// One commitment as its page and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct CommitmentDetail {
    pub commitment: Commitment,
    pub versions: Vec<VersionView>,
    pub tasks: Vec<LinkedTask>,
    pub fulfilment: Fulfilment,
    pub supervisors: Vec<Supervisor>,
    pub evaluations: Vec<Evaluation>,
    pub evaluation_summary: EvaluationSummary,
    pub events: Vec<Event>,
    /// The steps the reader may take now (`submit`, `sign` …).
    pub available: Vec<&'static str>,
    pub can_edit: bool,
    pub can_amend: bool,
    pub can_evaluate: bool,
}

pub async fn detail(
    state: &AppState,
    actor: &Actor,
    id: CommitmentId,
) -> Result<CommitmentDetail, AppError> {
    let mut tx = state.store.begin_read().await?;
    let c = load_visible(&mut tx, actor, id).await?;
    let mut versions: Vec<VersionView> = Vec::new();
    for (i, v) in c.versions.iter().enumerate() {
        let changes = match i.checked_sub(1).and_then(|p| c.versions.get(p)) {
            Some(prev) => diff(&prev.content, &v.content),
            None => Vec::new(),
        };
        let signed_intact = v
            .signed_json
            .as_ref()
            .map(|text| *text == signed_content_json(&c, v));
        versions.push(VersionView {
            version: v.clone(),
            changes,
            signed_intact,
        });
    }
    let (tasks, f) = tasks_and_fulfilment(&mut tx, shown(&c)).await?;
    let mut supervisors = Vec::new();
    for p in &shown(&c).content.supervisor_ids {
        let person = duban_store::people::get_person(&mut tx, PersonId(*p)).await?;
        supervisors.push(Supervisor {
            id: person.id,
            name: person.name,
            title: person.title,
        });
    }
    let evaluations = store::list_evaluations(&mut tx, id).await?;
    let events = store::list_events(&mut tx, id).await?;
    let available = super::STEPS
        .into_iter()
        .map(|(k, _)| k)
        .filter(|k| step_available(actor, &c, k))
        .collect();
    let can_edit = may(actor, Action::DraftCommitment, &c) && c.latest().state.editable();
    let can_amend = may(actor, Action::DraftCommitment, &c)
        && c.state.amendable()
        && c.pending_amendment().is_none();
    let can_evaluate =
        may(actor, Action::EvaluateCommitment, &c) && c.state == CommitmentState::UnderEvaluation;
    Ok(CommitmentDetail {
        evaluation_summary: summarize(&evaluations),
        commitment: c,
        versions,
        tasks,
        fulfilment: f,
        supervisors,
        evaluations,
        events,
        available,
        can_edit,
        can_amend,
        can_evaluate,
    })
}
