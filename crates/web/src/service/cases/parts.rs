//! 分办 — a split unit's own part of a case (issue 19, item 4): the unit acknowledges,
//! reports and claims its part done; the office verifies it or sends it back. The lifecycle
//! is `core::cases::part`; the policy is asked about the part as a case the split unit leads
//! (`Object::case_part`), so a unit acts on its own part only. The case itself is struck off
//! (销号) only when every part is closed (checked by the `verify_ok` step in [`super::steps`]).

use super::steps::{StepInput, StepKind};
use super::{evidence, load_visible, tell};
use crate::error::{AppError, FieldError};
use crate::service::attachments::Upload;
use crate::service::audit;
use crate::state::AppState;
use duban_core::cases::CaseId;
use duban_core::cases::part;
use duban_core::cases::state::{CaseCommand, CaseError, CaseState};
use duban_core::org::UnitId;
use duban_core::policy::{Actor, Object, decide};
use duban_store::cases::{self as store, Case, NewEvent, Part, PartKey};

fn invalid(field: &'static str, code: &'static str) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, code)])
}

/// The steps a part takes, with the timeline's kind for each.
fn event_kind(kind: StepKind) -> Option<&'static str> {
    Some(match kind {
        StepKind::Acknowledge => "part_acknowledge",
        StepKind::Report => "part_report",
        StepKind::ClaimDone => "part_claim_done",
        StepKind::VerifyOk => "part_verify_ok",
        StepKind::Rework => "part_rework",
        _ => return None,
    })
}

fn part_error(e: &CaseError) -> AppError {
    match e {
        CaseError::ReasonRequired => invalid("note", "reason_required"),
        CaseError::EvidenceRequired => invalid("evidence", "evidence_required"),
        _ => invalid("step", "wrong_state"),
    }
}

/// The split unit's part of a case, or 422 naming `part` when the unit is not a split unit.
fn part_of(case: &Case, unit: UnitId) -> Result<(String, Part), AppError> {
    case.units
        .iter()
        .find(|u| u.unit_id == unit.0)
        .and_then(|u| Some((u.unit_name.clone(), Part::of(u)?)))
        .ok_or_else(|| invalid("part_unit_id", "not_a_split_unit"))
}

/// The steps `actor` may take on `unit`'s part now: allowed by the policy and the lifecycle.
pub fn available(actor: &Actor, case: &Case, unit: UnitId, state: CaseState) -> Vec<StepKind> {
    let probe = |kind: StepKind| match kind {
        StepKind::ClaimDone => CaseCommand::ClaimDone { evidence: 1 },
        StepKind::Rework => CaseCommand::Rework {
            reason: "·".into()
        },
        StepKind::Acknowledge => CaseCommand::Acknowledge,
        StepKind::Report => CaseCommand::Report,
        _ => CaseCommand::VerifyOk,
    };
    [
        StepKind::Acknowledge,
        StepKind::Report,
        StepKind::ClaimDone,
        StepKind::VerifyOk,
        StepKind::Rework,
    ]
    .into_iter()
    .filter(|k| decide(actor, k.action(), Object::case_part(unit, state)).is_ok())
    .filter(|k| part::apply(case.handling.state, state, &probe(*k)).is_ok())
    .collect()
}

/// Takes one step on the part of split unit `unit`. Returns the part's state afterwards.
pub(super) async fn act(
    state: &AppState,
    actor: &Actor,
    id: CaseId,
    unit: UnitId,
    input: &StepInput,
    files: &[Upload],
) -> Result<CaseState, AppError> {
    let mut tx = state.store.begin_write().await?;
    let case = load_visible(&mut tx, actor, id).await?;
    let kind = StepKind::parse(input.step.trim()).ok_or_else(|| invalid("step", "bad_choice"))?;
    let (unit_name, before) = part_of(&case, unit)?;
    decide(actor, kind.action(), Object::case_part(unit, before.state))?;
    let event_kind = event_kind(kind).ok_or_else(|| invalid("step", "not_a_part_step"))?;
    let note = input.note.trim().to_string();
    let evidence = input.evidence.trim().to_string();
    let command = match kind {
        StepKind::Acknowledge => CaseCommand::Acknowledge,
        StepKind::Report => CaseCommand::Report,
        StepKind::ClaimDone => CaseCommand::ClaimDone {
            evidence: usize::from(!evidence.is_empty()) + files.len() + input.attachment_ids.len(),
        },
        StepKind::VerifyOk => CaseCommand::VerifyOk,
        _ => CaseCommand::Rework {
            reason: note.clone(),
        },
    };
    let mut after = before.clone();
    after.state =
        part::apply(case.handling.state, before.state, &command).map_err(|e| part_error(&e))?;
    let today = state.today();
    match kind {
        StepKind::Report => {
            if note.is_empty() {
                return Err(invalid("note", "empty"));
            }
            after.note = note.clone();
        }
        StepKind::ClaimDone => {
            after.evidence = evidence;
            if !note.is_empty() {
                after.note = note.clone();
            }
        }
        StepKind::VerifyOk => {
            after.closed_on = Some(today);
            after.verifier_id = actor.person;
        }
        StepKind::Rework => after.closed_on = None,
        _ => {}
    }
    let audit = audit(state, actor);
    let event = NewEvent::new(event_kind, note).with_data(serde_json::json!({
        "part_unit": unit_name, "part_unit_id": unit.0, "on_site": input.on_site,
    }));
    let key = PartKey {
        case: id,
        case_state: case.handling.state,
        unit,
    };
    let event_id = store::save_part_step(&mut tx, &audit, key, &before, &after, &event).await?;
    evidence::attach(state, &mut tx, actor, &audit, id, event_id, input, files).await?;
    tell::after_part_step(state, &mut tx, &audit, &case, kind, unit, &unit_name).await?;
    tx.commit().await?;
    Ok(after.state)
}
