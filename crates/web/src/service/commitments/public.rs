//! What the public portal may show of commitments and livelihood projects, with no actor:
//! only published commitments (signed, and later states) and only their signed versions;
//! committers and supervisors by name and title, never contact data; linked tasks by title,
//! progress and light. The portal renders these; it never reads the store for commitments
//! itself, so this module is the one place that decides what is public.

use super::view::{EvaluationSummary, summarize, tasks_and_fulfilment};
use super::{EvaluationInput, checked_evaluation};
use crate::error::{AppError, FieldError};
use crate::state::AppState;
use duban_core::commitments::CommitmentId;
use duban_core::commitments::diff::{FieldChange, diff};
use duban_core::commitments::evaluation::EvaluatorKind;
use duban_core::commitments::livelihood::Tally;
use duban_core::commitments::state::CommitmentState;
use duban_core::commitments::state::VersionState;
use duban_core::org::{PersonId, UnitId};
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::public::strip_markup;
use duban_store::commitments::{self as store, Commitment, CommitmentFilter, NewEvaluation};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Filters of the public list.
#[derive(Debug, Clone, Default)]
pub struct PublicQuery {
    pub year: Option<i16>,
    pub committer: Option<i64>,
    pub unit: Option<i64>,
}

/// A linked task as the public sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicTask {
    pub title: String,
    pub lead_unit_name: String,
    pub progress: f64,
    pub light: String,
}

/// A signed version: what was signed, when, why (amendments), and what it changed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicVersion {
    pub number: i64,
    pub title: String,
    pub content: String,
    pub target_text: String,
    pub target_value: Option<f64>,
    pub target_unit: String,
    pub deadline: String,
    pub reason: String,
    #[schema(value_type = Option<String>)]
    pub signed_at: Option<jiff::Timestamp>,
    /// The canonical JSON signed — the `after_json` of the ledger's `commitment.sign` entry
    /// for this version (object_type `commitment_version`, object_id `version_id`).
    pub signed_json: String,
    pub signed_hash: String,
    pub version_id: i64,
    /// The audit-ledger entry (sequence number) of its signing: its leaf in the transparency
    /// log proves this text (`duban verify --url … --commitment N`).
    pub ledger_seq: Option<i64>,
    /// The text shown is byte for byte the text in its signing entry. `false` is shown on the
    /// portal as a broken proof, never hidden.
    pub intact: bool,
    /// Field changes from the previous signed version.
    #[schema(value_type = Vec<Object>)]
    pub changes: Vec<FieldChange>,
}

/// A published commitment.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicCommitment {
    pub id: i64,
    pub year: i16,
    /// The committer and unit, for the portal's filters.
    pub committer_id: i64,
    pub unit_id: Option<i64>,
    /// A city leader's commitment (the committer's unit is the city leadership).
    pub by_leader: bool,
    pub committer_name: String,
    pub committer_title: String,
    pub unit_name: Option<String>,
    /// published | fulfilling | under_evaluation | fulfilled | partly_fulfilled | not_fulfilled.
    pub state: String,
    /// The version in force (the newest signed one).
    pub current: PublicVersion,
    /// Every signed version, oldest first (the current one last).
    pub versions: Vec<PublicVersion>,
    pub progress: f64,
    pub light: Option<String>,
    pub tasks: Vec<PublicTask>,
    /// Supervisors by name and title.
    pub supervisors: Vec<String>,
    pub self_report: String,
    pub evaluation: EvaluationSummary,
    /// The office's mean score when concluded.
    pub result_score: Option<f64>,
}

fn signed_versions(c: &Commitment) -> Vec<PublicVersion> {
    let signed: Vec<_> = c
        .versions
        .iter()
        .filter(|v| v.state == VersionState::Signed)
        .collect();
    signed
        .iter()
        .enumerate()
        .map(|(i, v)| PublicVersion {
            number: v.number,
            title: v.content.title.clone(),
            content: v.content.content.clone(),
            target_text: v.content.target_text.clone(),
            target_value: v.content.target_value,
            target_unit: v.content.target_unit.clone(),
            deadline: v.content.deadline.to_string(),
            reason: v.reason.clone(),
            signed_at: v.signed_at,
            signed_json: v.signed_json.clone().unwrap_or_default(),
            signed_hash: v.signed_hash.clone().unwrap_or_default(),
            version_id: v.id.0,
            ledger_seq: None,
            intact: false,
            changes: i
                .checked_sub(1)
                .map(|p| diff(&signed[p].content, &v.content))
                .unwrap_or_default(),
        })
        .collect()
}

async fn public_view(
    tx: &mut duban_store::Tx,
    c: Commitment,
) -> Result<Option<PublicCommitment>, AppError> {
    if !c.state.is_public() {
        return Ok(None);
    }
    let Some(current) = c.current().cloned() else {
        return Ok(None);
    };
    let (tasks, f) = tasks_and_fulfilment(tx, &current).await?;
    let mut supervisors = Vec::new();
    for p in &current.content.supervisor_ids {
        let person = duban_store::people::get_person(tx, PersonId(*p)).await?;
        supervisors.push(format!("{}（{}）", person.name, person.title));
    }
    let evaluations = store::list_evaluations(tx, c.id).await?;
    let mut versions = signed_versions(&c);
    for v in &mut versions {
        let entry: Option<(i64, String)> = duban_store::sql(
            "SELECT seq, after_json FROM ledger WHERE action = 'commitment.sign'
               AND object_type = 'commitment_version' AND object_id = $1",
        )
        .bind(v.version_id)
        .fetch_optional(tx)
        .await?;
        v.intact = entry
            .as_ref()
            .is_some_and(|(_, after)| *after == v.signed_json);
        v.ledger_seq = entry.map(|(n, _)| n);
    }
    let Some(cur) = versions.last().cloned() else {
        return Ok(None);
    };
    Ok(Some(PublicCommitment {
        id: c.id.0,
        year: c.year,
        committer_id: c.committer_id.0,
        unit_id: c.unit_id.map(|u| u.0),
        by_leader: c.unit_kind.as_deref().is_none_or(|k| k == "leadership"),
        committer_name: c.committer_name,
        committer_title: c.committer_title,
        unit_name: c.unit_name,
        state: c.state.as_str().to_string(),
        current: cur,
        versions,
        progress: f.progress,
        light: f.light.map(|l| l.as_str().to_string()),
        tasks: tasks
            .into_iter()
            .map(|t| PublicTask {
                title: t.title,
                lead_unit_name: t.lead_unit_name,
                progress: t.progress,
                light: t.light,
            })
            .collect(),
        supervisors,
        self_report: c.self_report,
        evaluation: summarize(&evaluations),
        result_score: c.result_score,
    }))
}

/// Published commitments, by unit order, filtered by year, committer (person id) and unit.
pub async fn list_published(
    state: &AppState,
    q: &PublicQuery,
) -> Result<Vec<PublicCommitment>, AppError> {
    let mut tx = state.store.begin_read().await?;
    let ids = store::list_commitment_ids(
        &mut tx,
        &CommitmentFilter {
            year: q.year,
            committer: q.committer.map(PersonId),
            unit: q.unit.map(UnitId),
            state: None,
            public_only: true,
        },
    )
    .await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(c) = store::get_commitment(&mut tx, id).await?
            && let Some(p) = public_view(&mut tx, c).await?
        {
            out.push(p);
        }
    }
    Ok(out)
}

/// One published commitment; a draft or an unknown id is `NotFound` (never "forbidden", so
/// the portal does not reveal that a draft exists).
pub async fn get_published(state: &AppState, id: i64) -> Result<PublicCommitment, AppError> {
    let mut tx = state.store.begin_read().await?;
    let c = store::get_commitment(&mut tx, CommitmentId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    public_view(&mut tx, c).await?.ok_or(AppError::NotFound)
}

/// 评诺 on the portal: a citizen evaluates a published commitment under evaluation. Nobody's
/// account is recorded (as with a public report). One voice per citizen, as far as the web
/// allows: the browser's secret CSRF token and the client address, each hashed with the
/// commitment's id, keep one evaluation per browser and one per address — a second from
/// either replaces the first, so ten posts from one address move the public mean by one
/// evaluation at most. Beyond `evaluation_burst_per_hour` evaluations of the commitment in an
/// hour new ones are flagged for the office (which may set them aside); beyond
/// `evaluations_per_hour` they are refused (429). The comment has its markup stripped and is at
/// most [`MAX_PUBLIC_COMMENT`] characters. A commitment the public cannot see is `NotFound`.
pub async fn evaluate_public(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &EvaluationInput,
    browser_token: &str,
    address: &str,
) -> Result<(), AppError> {
    decide(actor, Action::PublicEvaluate, Object::City)?;
    if browser_token.is_empty() {
        return Err(AppError::CsrfMismatch);
    }
    let input = EvaluationInput {
        comment: strip_markup(&input.comment),
        ..input.clone()
    };
    let (verdict, score, comment) = checked_evaluation(&input, MAX_PUBLIC_COMMENT)?;
    let mut tx = state.store.begin_write().await?;
    let c = store::get_commitment(&mut tx, CommitmentId(id))
        .await?
        .filter(|c| c.state.is_public())
        .ok_or(AppError::NotFound)?;
    if c.state != CommitmentState::UnderEvaluation {
        return Err(AppError::Invalid(vec![FieldError::new(
            "step",
            "wrong_state",
        )]));
    }
    let voter_key = hex::encode(Sha256::digest(format!("{browser_token}:{id}")));
    let address_key = hex::encode(Sha256::digest(format!("address:{address}:{id}")));
    let hour_ago = state.now() - jiff::SignedDuration::from_hours(1);
    let recent = store::count_public_evaluations_since(&mut tx, c.id, hour_ago).await?;
    let limits = &state.config.public;
    if recent >= limits.evaluations_per_hour {
        return Err(AppError::RateLimited);
    }
    let e = NewEvaluation {
        evaluator: None,
        kind: EvaluatorKind::Public.as_str(),
        verdict: verdict.as_str(),
        score,
        comment,
        voter_key: Some(voter_key),
        address_key: Some(address_key),
        flagged: recent >= limits.evaluation_burst_per_hour,
    };
    // Anonymous on purpose, like a public report.
    let audit = duban_store::Audit::new(None, state.now());
    store::save_evaluation(&mut tx, &audit, c.id, &e).await?;
    tx.commit().await?;
    Ok(())
}

/// The longest comment a citizen may add to an evaluation, in characters.
pub const MAX_PUBLIC_COMMENT: usize = 500;

/// A livelihood project as the public sees it: progress from its tasks and the vote counts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicProject {
    pub id: i64,
    pub year: i16,
    pub title: String,
    pub description: String,
    pub lead_unit_name: Option<String>,
    #[schema(value_type = Vec<Object>)]
    pub milestones: Vec<duban_store::livelihood::Milestone>,
    pub progress: f64,
    pub light: Option<String>,
    pub tasks: Vec<PublicTask>,
    #[schema(value_type = Object)]
    pub votes: Tally,
    /// 满意率 in percent; `None` before any vote for or against.
    pub satisfaction: Option<f64>,
    pub voting_closed: bool,
}

/// The livelihood projects of a year (every year with `None`).
pub async fn list_livelihood(
    state: &AppState,
    year: Option<i16>,
) -> Result<Vec<PublicProject>, AppError> {
    let mut tx = state.store.begin_read().await?;
    let projects = duban_store::livelihood::list_projects(&mut tx, year).await?;
    let mut out = Vec::new();
    for p in projects {
        out.push(public_project(&mut tx, p).await?);
    }
    Ok(out)
}

/// One livelihood project, for its portal page.
pub async fn get_project(state: &AppState, id: i64) -> Result<PublicProject, AppError> {
    let mut tx = state.store.begin_read().await?;
    let p = duban_store::livelihood::get_project(&mut tx, duban_core::commitments::ProjectId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    public_project(&mut tx, p).await
}

pub(crate) async fn public_project(
    tx: &mut duban_store::Tx,
    p: duban_store::livelihood::Project,
) -> Result<PublicProject, AppError> {
    let tasks = store::linked_tasks(tx, &p.task_ids).await?;
    let standing: Vec<_> = tasks
        .iter()
        .map(|t| duban_core::commitments::fulfilment::TaskStanding {
            progress: t.progress,
            weight: t.weight,
            light: duban_core::light::Light::parse(&t.light)
                .unwrap_or(duban_core::light::Light::Green),
        })
        .collect();
    let f = duban_core::commitments::fulfilment::fulfilment(&standing);
    let votes = duban_store::livelihood::list_votes(tx, p.id).await?;
    let tally = Tally::of(votes.into_iter().map(|(_, _, v)| v));
    Ok(PublicProject {
        id: p.id.0,
        year: p.year,
        title: p.title,
        description: p.description,
        lead_unit_name: p.lead_unit_name,
        milestones: p.milestones,
        progress: f.progress,
        light: f.light.map(|l| l.as_str().to_string()),
        tasks: tasks
            .into_iter()
            .map(|t| PublicTask {
                title: t.title,
                lead_unit_name: t.lead_unit_name,
                progress: t.progress,
                light: t.light,
            })
            .collect(),
        satisfaction: tally.satisfaction(),
        votes: tally,
        voting_closed: p.voting_closed,
    })
}
