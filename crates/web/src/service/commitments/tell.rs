//! Who must act next on a commitment hears of it: the office of a version sent for review,
//! the committer of one approved (to sign) or sent back. Rows in the step's transaction.

use crate::error::AppError;
use crate::state::AppState;
use duban_store::commitments::{Commitment, Version};

/// Who must act next hears of it, in the step's transaction: the office of a version sent
/// for review, the committer of one approved (to sign) or sent back.
pub async fn step(
    state: &AppState,
    tx: &mut duban_store::Tx,
    audit: &duban_store::Audit,
    c: &Commitment,
    version: &Version,
    kind: &str,
    note: &str,
) -> Result<(), AppError> {
    use duban_store::notifications::{Message, notify};
    let title = &version.content.title;
    let (to, what, subject, body) = match kind {
        "submit" => (
            duban_store::cases::steps::people_with_role(
                tx,
                duban_core::role::Role::SupervisionOffice,
            )
            .await?,
            "under_review",
            format!("【承诺待审核】{title}（{}）", c.committer_name),
            String::new(),
        ),
        "approve" => (
            vec![c.committer_id],
            "approved",
            format!("【承诺待签署】{title}：已审定，请签署"),
            String::new(),
        ),
        "return" => (
            vec![c.committer_id],
            "returned",
            format!("【承诺退回修改】{title}"),
            note.to_string(),
        ),
        _ => return Ok(()),
    };
    let message = Message {
        kind: format!("commitment.{what}"),
        subject,
        body,
        link: format!("/commitments/{}", c.id.0),
        case_id: None,
    };
    notify(tx, audit, &state.channels(), &to, &message).await?;
    Ok(())
}
