//! Commitments' use cases (承诺: 起草 → 审核 → 签诺/亮诺 → 践诺 → 评诺), shared by pages,
//! the API and the demo: draft and edit, amend, take a step ([`act`]), evaluate. Each loads
//! the commitment, asks `core::policy` and the lifecycle in `core::commitments::state`, and
//! writes in one transaction (the store appends the ledger entry). Reading is in [`view`];
//! what the public portal may show is in [`public`]; what the form offers to pick (tasks,
//! supervisors) is in [`choices`].

pub mod choices;
pub mod public;
pub mod tell;
pub mod view;

use super::{Problems, audit};
use crate::error::{AppError, FieldError};
use crate::state::AppState;
use duban_core::commitments::evaluation::{EvaluatorKind, Verdict, conclude, parse_score};
use duban_core::commitments::state::{
    self as lifecycle, Command, CommitmentError, CommitmentState,
};
use duban_core::commitments::{CommitmentContent, CommitmentId, ContentError, canonical_json};
use duban_core::lists::TaskId;
use duban_core::org::PersonId;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::role::Role;
use duban_store::Tx;
use duban_store::commitments::{
    self as store, Commitment, NewCommitment, NewEvaluation, Step, Version,
};
use duban_store::lists::Task;
use duban_store::people::Person;
use serde::Deserialize;

/// A commitment's content as typed into the form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CommitmentInput {
    /// 承诺事项.
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub content: String,
    /// 量化目标 in words.
    #[serde(default)]
    pub target_text: String,
    /// The target as a number, if it has one.
    #[serde(default)]
    pub target_value: Option<f64>,
    #[serde(default)]
    pub target_unit: String,
    /// 完成时限, `2026-12-31`.
    #[serde(default)]
    pub deadline: String,
    /// Tasks of the four lists the committer can see.
    #[serde(default)]
    pub task_ids: Vec<i64>,
    /// Deputies or CPPCC members named to supervise it.
    #[serde(default)]
    pub supervisor_ids: Vec<i64>,
    /// Amendments only: why the signed version is being changed (shown publicly).
    #[serde(default)]
    pub reason: String,
}

/// A step as posted by a form or the API.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = CommitmentStepInput)]
pub struct StepInput {
    /// submit | return | approve | sign | track | self_report | conclude.
    #[serde(default)]
    pub step: String,
    /// return: the comment; self_report: the report.
    #[serde(default)]
    pub note: String,
}

/// An evaluation as posted.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct EvaluationInput {
    /// fulfilled | partly_fulfilled | not_fulfilled.
    #[serde(default)]
    pub verdict: String,
    /// 0–100.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 100)]
    pub score: Option<i64>,
    #[serde(default)]
    pub comment: String,
}

/// The steps of [`act`], with the action the policy is asked about.
pub const STEPS: [(&str, Action); 7] = [
    ("submit", Action::DraftCommitment),
    ("return", Action::ReviewCommitment),
    ("approve", Action::ReviewCommitment),
    ("sign", Action::SignCommitment),
    ("track", Action::ReviewCommitment),
    ("self_report", Action::SignCommitment),
    ("conclude", Action::ReviewCommitment),
];

/// The policy object of a stored commitment (supervisors of its latest version).
pub fn object<'a>(c: &Commitment, supervisors: &'a [PersonId]) -> Object<'a> {
    Object::Commitment {
        committer: c.committer_id,
        unit: c.unit_id,
        state: c.state,
        supervisors,
    }
}

fn supervisors(c: &Commitment) -> Vec<PersonId> {
    c.latest()
        .content
        .supervisor_ids
        .iter()
        .map(|p| PersonId(*p))
        .collect()
}

/// Whether `actor` may take `action` on `c`.
pub fn may(actor: &Actor, action: Action, c: &Commitment) -> bool {
    let s = supervisors(c);
    decide(actor, action, object(c, &s)).is_ok()
}

fn authorize(actor: &Actor, action: Action, c: &Commitment) -> Result<(), AppError> {
    let s = supervisors(c);
    decide(actor, action, object(c, &s))?;
    Ok(())
}

/// Loads a commitment the actor may see (outside the scope reads as refused, not missing).
pub async fn load_visible(
    tx: &mut Tx,
    actor: &Actor,
    id: CommitmentId,
) -> Result<Commitment, AppError> {
    decide(actor, Action::ViewCommitments, Object::City)?;
    let c = store::get_commitment(tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    authorize(actor, Action::ViewCommitment, &c)?;
    Ok(c)
}

fn invalid(field: &'static str, code: &'static str) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, code)])
}

fn lifecycle_error(e: &CommitmentError) -> AppError {
    match e {
        CommitmentError::NotAllowed { .. } => invalid("step", "wrong_state"),
        CommitmentError::CommentRequired => invalid("note", "comment_required"),
        CommitmentError::ReportRequired => invalid("note", "required"),
    }
}

/// Whether `actor` may link `task` to a commitment: any task they can see. The one rule for
/// [`validate`] and the form's task picker ([`choices`]).
pub fn may_link(actor: &Actor, task: &Task) -> bool {
    decide(actor, Action::ViewTask, super::lists::task_object(task)).is_ok()
}

/// The account role of the people who may supervise a commitment: NPC deputies and CPPCC
/// members both sign in as `deputy` (a member's title says 政协).
pub const SUPERVISOR_ROLE: Role = Role::Deputy;

/// Whether `person` may supervise a commitment. The one rule for [`validate`] and the form's
/// supervisor picker ([`choices`]).
pub fn may_supervise(person: &Person) -> bool {
    person.role.as_deref() == Some(SUPERVISOR_ROLE.as_str())
}

/// Checks content: lengths, the deadline, tasks the actor can see ([`may_link`]), supervisors
/// who are deputies or members ([`may_supervise`]).
pub async fn validate(
    tx: &mut Tx,
    actor: &Actor,
    input: &CommitmentInput,
) -> Result<CommitmentContent, AppError> {
    let mut p = Problems::default();
    let deadline = match input.deadline.trim().parse::<jiff::civil::Date>() {
        Ok(d) if duban_core::text::sensible_date(d) => Some(d),
        Ok(_) => {
            p.add("deadline", "date_out_of_range");
            None
        }
        Err(_) => {
            p.add("deadline", "bad_date");
            None
        }
    };
    for id in &input.task_ids {
        match duban_store::lists::get_task(tx, TaskId(*id)).await {
            Ok(t) if may_link(actor, &t) => {}
            Ok(_) => p.add("task_ids", "out_of_scope"),
            Err(duban_store::StoreError::NotFound) => p.add("task_ids", "not_found_ref"),
            Err(e) => return Err(e.into()),
        }
    }
    for id in &input.supervisor_ids {
        match duban_store::people::get_person(tx, PersonId(*id)).await {
            Ok(person) if may_supervise(&person) => {}
            Ok(_) => p.add("supervisor_ids", "not_a_deputy"),
            Err(duban_store::StoreError::NotFound) => p.add("supervisor_ids", "not_found_ref"),
            Err(e) => return Err(e.into()),
        }
    }
    let checked = CommitmentContent {
        title: input.title.clone(),
        content: input.content.clone(),
        target_text: input.target_text.clone(),
        target_value: input.target_value,
        target_unit: input.target_unit.clone(),
        deadline: deadline.unwrap_or(jiff::civil::date(2000, 1, 1)),
        task_ids: input.task_ids.clone(),
        supervisor_ids: input.supervisor_ids.clone(),
    }
    .check();
    let content = match checked {
        Ok(c) => Some(c),
        Err(problems) => {
            for e in problems {
                match e {
                    ContentError::Empty { field } => p.add(field, "empty"),
                    ContentError::TooLong { field, .. } => p.add(field, "too_long"),
                    ContentError::BadNumber => p.add("target_value", "bad_number"),
                    ContentError::NoTasks => p.add("task_ids", "required"),
                }
            }
            None
        }
    };
    p.finish()?;
    Ok(content.expect("checked"))
}

/// 起草 — a leader or unit head drafts a commitment of their own.
pub async fn draft(
    state: &AppState,
    actor: &Actor,
    input: &CommitmentInput,
) -> Result<CommitmentId, AppError> {
    decide(actor, Action::DraftCommitment, Object::City)?;
    let committer = actor.person.ok_or_else(|| invalid("form", "no_person"))?;
    let mut tx = state.store.begin_write().await?;
    let content = validate(&mut tx, actor, input).await?;
    let new = NewCommitment {
        year: content.deadline.year(),
        committer,
        unit: actor.scope.home_unit,
    };
    let (id, _) = store::insert_commitment(&mut tx, &audit(state, actor), &new, &content).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes the content of the committer's draft (the first version, or an amendment not yet
/// submitted); a returned draft becomes a draft again.
pub async fn edit(
    state: &AppState,
    actor: &Actor,
    id: CommitmentId,
    input: &CommitmentInput,
) -> Result<(), AppError> {
    let mut tx = state.store.begin_write().await?;
    let c = load_visible(&mut tx, actor, id).await?;
    authorize(actor, Action::DraftCommitment, &c)?;
    let latest = c.latest().clone();
    lifecycle::apply_version(latest.state, &Command::Edit).map_err(|e| lifecycle_error(&e))?;
    let content = validate(&mut tx, actor, input).await?;
    store::update_draft(
        &mut tx,
        &audit(state, actor),
        id,
        latest.id,
        &latest.content,
        &content,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// 修改承诺 — starts an amendment of a published commitment: a new draft version with a
/// public reason. It goes through review and signature like the first.
pub async fn amend(
    state: &AppState,
    actor: &Actor,
    id: CommitmentId,
    input: &CommitmentInput,
) -> Result<(), AppError> {
    let mut tx = state.store.begin_write().await?;
    let c = load_visible(&mut tx, actor, id).await?;
    authorize(actor, Action::DraftCommitment, &c)?;
    if !c.state.amendable() || c.pending_amendment().is_some() {
        return Err(invalid("step", "wrong_state"));
    }
    let mut p = Problems::default();
    let reason = input.reason.trim();
    if reason.is_empty() {
        p.add("reason", "reason_required");
    } else if reason.chars().count() > 1000 {
        p.add("reason", "too_long");
    }
    p.finish()?;
    let content = validate(&mut tx, actor, input).await?;
    let current = c.current().ok_or_else(|| invalid("step", "wrong_state"))?;
    if duban_core::commitments::diff::diff(&current.content, &content).is_empty() {
        return Err(invalid("form", "nothing_changed"));
    }
    store::insert_amendment(&mut tx, &audit(state, actor), id, &content, reason).await?;
    tx.commit().await?;
    Ok(())
}

/// The canonical JSON of what a version says, as signed: used for the ledger entry of the
/// signature and shown on the page, so the two can be compared byte for byte. Only content
/// and who committed — no state, no time.
pub fn signed_content_json(c: &Commitment, v: &Version) -> String {
    let body = &v.content;
    canonical_json(&serde_json::json!({
        "commitment_id": c.id.0,
        "version": v.number,
        "year": c.year,
        "committer": { "id": c.committer_id.0, "name": c.committer_name, "title": c.committer_title },
        "unit": c.unit_name,
        "title": body.title,
        "content": body.content,
        "target_text": body.target_text,
        "target_value": body.target_value,
        "target_unit": body.target_unit,
        "deadline": body.deadline.to_string(),
        "task_ids": body.task_ids,
        "supervisor_ids": body.supervisor_ids,
        "reason": v.reason,
    }))
}

/// Takes one step. Returns the commitment's state afterwards.
pub async fn act(
    state: &AppState,
    actor: &Actor,
    id: CommitmentId,
    input: &StepInput,
) -> Result<CommitmentState, AppError> {
    let mut tx = state.store.begin_write().await?;
    let c = load_visible(&mut tx, actor, id).await?;
    let name = input.step.trim();
    let (kind, action) = STEPS
        .into_iter()
        .find(|(k, _)| *k == name)
        .ok_or_else(|| invalid("step", "bad_choice"))?;
    authorize(actor, action, &c)?;
    let note = input.note.trim().to_string();
    let audit = audit(state, actor);
    let latest = c.latest().clone();
    // The first version moves its commitment along; an amendment moves only itself.
    let first = c.current_version_id.is_none();
    let command = match kind {
        "submit" => Command::Submit,
        "return" => Command::Return {
            comment: note.clone(),
        },
        "approve" => Command::Approve,
        "sign" => Command::Sign,
        "track" => Command::Track,
        "self_report" => Command::SelfReport { text: note.clone() },
        _ => {
            let evaluations = store::list_evaluations(&mut tx, id).await?;
            let conclusion = conclude(&view::scores(&evaluations))
                .map_err(|_| invalid("step", "no_evaluations"))?;
            let next = lifecycle::apply(
                c.state,
                &Command::Conclude {
                    verdict: conclusion.verdict,
                },
            )
            .map_err(|e| lifecycle_error(&e))?;
            let step = Step {
                kind: "conclude",
                version: None,
                commitment: Some((c.state, next)),
                note,
                review_comment: None,
                self_report: None,
                result_score: Some(conclusion.mean),
            };
            store::save_step(&mut tx, &audit, id, &step).await?;
            tx.commit().await?;
            return Ok(next);
        }
    };
    let on_version = matches!(kind, "submit" | "return" | "approve" | "sign");
    let version = if on_version {
        let to =
            lifecycle::apply_version(latest.state, &command).map_err(|e| lifecycle_error(&e))?;
        Some((latest.id, latest.state, to))
    } else {
        None
    };
    let moves_commitment = !on_version || first;
    let commitment = if moves_commitment {
        if !on_version && c.pending_amendment().is_some() && kind == "self_report" {
            // A year-end report on a commitment whose amendment is still under way would
            // report on content nobody signed.
            return Err(invalid("step", "wrong_state"));
        }
        let next = lifecycle::apply(c.state, &command).map_err(|e| lifecycle_error(&e))?;
        Some((c.state, next))
    } else if !c.state.amendable() {
        return Err(invalid("step", "wrong_state"));
    } else {
        None
    };
    if kind == "sign" {
        let text = signed_content_json(&c, &latest);
        store::sign_version(&mut tx, &audit, id, latest.id, commitment, &text).await?;
    } else {
        let step = Step {
            kind,
            version,
            commitment,
            note: note.clone(),
            review_comment: (kind == "return").then(|| note.clone()),
            self_report: (kind == "self_report").then(|| note.clone()),
            result_score: None,
        };
        store::save_step(&mut tx, &audit, id, &step).await?;
    }
    tell::step(state, &mut tx, &audit, &c, &latest, kind, &note).await?;
    tx.commit().await?;
    Ok(commitment.map_or(c.state, |(_, to)| to))
}

/// 践诺 begins by itself (DOMAIN §2.5: Published ──progress report──▶ Fulfilling): when the
/// office accepts a progress report on a task, every published commitment whose version in
/// force links the task moves to Fulfilling, in the acceptance's transaction, as a `track`
/// step by the accepting officer. Returns how many moved.
pub async fn track_linked(
    tx: &mut Tx,
    audit: &duban_store::Audit,
    task: TaskId,
) -> Result<usize, AppError> {
    let ids = store::published_linking(tx, task).await?;
    for id in &ids {
        let next = lifecycle::apply(CommitmentState::Published, &Command::Track)
            .map_err(|e| lifecycle_error(&e))?;
        let step = Step {
            kind: "track",
            version: None,
            commitment: Some((CommitmentState::Published, next)),
            note: String::new(),
            review_comment: None,
            self_report: None,
            result_score: None,
        };
        store::save_step(tx, audit, *id, &step).await?;
    }
    Ok(ids.len())
}

/// Whether a step is open to `actor` now (the policy and the lifecycle both allow it), so
/// pages show exactly the forms that can succeed.
pub fn step_available(actor: &Actor, c: &Commitment, kind: &str) -> bool {
    let Some((_, action)) = STEPS.into_iter().find(|(k, _)| *k == kind) else {
        return false;
    };
    if !may(actor, action, c) {
        return false;
    }
    let latest = c.latest();
    let first = c.current_version_id.is_none();
    let probe = |cmd: Command| match kind {
        "submit" | "return" | "approve" | "sign" => {
            lifecycle::apply_version(latest.state, &cmd).is_ok()
                && (!first || lifecycle::apply(c.state, &cmd).is_ok())
                && (first || c.state.amendable())
        }
        _ => lifecycle::apply(c.state, &cmd).is_ok(),
    };
    match kind {
        "submit" => probe(Command::Submit),
        "return" => probe(Command::Return {
            comment: "·".into(),
        }),
        "approve" => probe(Command::Approve),
        "sign" => probe(Command::Sign),
        "track" => probe(Command::Track),
        "self_report" => {
            c.pending_amendment().is_none() && probe(Command::SelfReport { text: "·".into() })
        }
        "conclude" => c.state == CommitmentState::UnderEvaluation,
        _ => false,
    }
}

/// The office sets a flagged citizen's evaluation aside, with a reason (1–200 characters):
/// it is kept, ledgered, no longer counted, and the portal shows how many were set aside.
pub async fn set_aside_evaluation(
    state: &AppState,
    actor: &Actor,
    id: CommitmentId,
    evaluation: i64,
    reason: &str,
) -> Result<(), AppError> {
    decide(actor, Action::ReviewCommitment, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    let c = load_visible(&mut tx, actor, id).await?;
    authorize(actor, Action::ReviewCommitment, &c)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(invalid("reason", "required"));
    }
    match store::set_aside_evaluation(&mut tx, &audit(state, actor), id, evaluation, reason).await {
        Err(duban_store::StoreError::NotFound) => {
            return Err(invalid("evaluation_id", "not_found_ref"));
        }
        other => other?,
    }
    tx.commit().await?;
    Ok(())
}

/// An evaluation's verdict, score and comment (trimmed, at most `max_comment` characters),
/// or every problem with them.
pub(crate) fn checked_evaluation(
    input: &EvaluationInput,
    max_comment: usize,
) -> Result<(Verdict, u8, String), AppError> {
    let mut p = Problems::default();
    let verdict = Verdict::parse(input.verdict.trim());
    if verdict.is_none() {
        p.add("verdict", "bad_choice");
    }
    let score = input.score.and_then(parse_score);
    if score.is_none() {
        p.add("score", "out_of_range");
    }
    let comment = input.comment.trim().to_string();
    if comment.chars().count() > max_comment {
        p.add("comment", "too_long");
    }
    p.finish()?;
    match (verdict, score) {
        (Some(v), Some(s)) => Ok((v, s, comment)),
        _ => Err(invalid("form", "invalid")),
    }
}

/// 评诺 — a deputy or member evaluates for themselves (a second evaluation replaces the
/// first); the office records one from the public.
pub async fn evaluate(
    state: &AppState,
    actor: &Actor,
    id: CommitmentId,
    input: &EvaluationInput,
) -> Result<(), AppError> {
    let mut tx = state.store.begin_write().await?;
    let c = load_visible(&mut tx, actor, id).await?;
    authorize(actor, Action::EvaluateCommitment, &c)?;
    if c.state != CommitmentState::UnderEvaluation {
        return Err(invalid("step", "wrong_state"));
    }
    let (verdict, score, comment) = checked_evaluation(input, 1000)?;
    let (evaluator, kind) = if actor.role == Some(duban_core::role::Role::Deputy) {
        let me = actor.person.ok_or_else(|| invalid("form", "no_person"))?;
        let person = duban_store::people::get_person(&mut tx, me).await?;
        let kind = if person.title.contains("政协") {
            EvaluatorKind::Member
        } else {
            EvaluatorKind::Deputy
        };
        (Some(me), kind)
    } else {
        (None, EvaluatorKind::Public)
    };
    let e = NewEvaluation {
        evaluator,
        kind: kind.as_str(),
        verdict: verdict.as_str(),
        score,
        comment,
        voter_key: None,
        address_key: None,
        flagged: false,
    };
    store::save_evaluation(&mut tx, &audit(state, actor), id, &e).await?;
    tx.commit().await?;
    Ok(())
}
