//! Evidence on a case's timeline: files sent with a step (续报, 申请办结 …) and the caller's
//! earlier uploads, attached to the step's event in the step's transaction.

use super::steps::StepInput;
use crate::error::AppError;
use crate::service::attachments::{self, Upload};
use crate::state::AppState;
use duban_core::attachments::LinkedTo;
use duban_core::cases::CaseId;
use duban_core::policy::Actor;
use duban_store::Tx;

/// Stores the files sent with a step and links them, with the caller's earlier uploads, to
/// the step's timeline entry (each link with its ledger entry).
#[expect(clippy::too_many_arguments, reason = "the step's whole context")]
pub(super) async fn attach(
    state: &AppState,
    tx: &mut Tx,
    actor: &Actor,
    audit: &duban_store::Audit,
    case: CaseId,
    event: i64,
    input: &StepInput,
    files: &[Upload],
) -> Result<(), AppError> {
    let limits = state.config.attachments;
    if let Some(extra) = files.get(limits.max_files) {
        return Err(attachments::too_many(&extra.file_name, limits.max_files));
    }
    let link = |file_name: String| attachments::Link {
        object_type: LinkedTo::CaseEvent,
        object_id: event,
        task_id: None,
        case_id: Some(case),
        file_name,
    };
    for f in files {
        let saved =
            attachments::save_upload(state, tx, actor, audit, &f.file_name, &f.bytes).await?;
        attachments::link(tx, audit, saved.id, link(saved.file_name)).await?;
    }
    for &a in &input.attachment_ids {
        let (stored, name) = attachments::load_linkable(tx, actor, a).await?;
        attachments::link(tx, audit, stored.id, link(name)).await?;
    }
    Ok(())
}
