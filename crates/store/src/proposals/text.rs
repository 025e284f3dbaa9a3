//! The searched text of an item (`proposal_texts`, migration 0026): its number, title, content
//! and the body of every reply by round, joined by spaces. The global search
//! (`crate::search`) matches every word of a query against it; it is rewritten in the
//! transaction of each write that changes one of those texts (registering the item, writing
//! a reply draft), so a search never sees an item without its latest reply.

use crate::{StoreError, Tx, sql};
use duban_core::proposals::ProposalId;

/// The text as searched: the parts joined by one space (no query word holds a space, so no
/// word matches across two parts) — byte for byte what migration 0026's back-fill writes.
pub fn joined<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts.into_iter().collect::<Vec<_>>().join(" ")
}

/// Writes the searched text of an item that has no reply yet (at registration: no query).
pub async fn write_new(
    tx: &mut Tx,
    id: ProposalId,
    number: &str,
    title: &str,
    content: &str,
) -> Result<(), StoreError> {
    upsert(tx, id, &joined([number, title, content])).await
}

/// Reads the item and its replies again and rewrites its searched text.
pub async fn refresh(tx: &mut Tx, id: ProposalId) -> Result<(), StoreError> {
    let (number, title, content): (String, String, String) =
        sql("SELECT number, title, content FROM proposals WHERE id = $1")
            .bind(id.0)
            .fetch_one(tx)
            .await?;
    let replies: Vec<(String,)> =
        sql("SELECT body FROM proposal_replies WHERE proposal_id = $1 ORDER BY round")
            .bind(id.0)
            .fetch_all(tx)
            .await?;
    let text = joined(
        [number.as_str(), title.as_str(), content.as_str()]
            .into_iter()
            .chain(replies.iter().map(|(b,)| b.as_str())),
    );
    upsert(tx, id, &text).await
}

async fn upsert(tx: &mut Tx, id: ProposalId, text: &str) -> Result<(), StoreError> {
    sql(
        "INSERT INTO proposal_texts (proposal_id, body) VALUES ($1, $2)
         ON CONFLICT (proposal_id) DO UPDATE SET body = excluded.body",
    )
    .bind(id.0)
    .bind(text)
    .execute(tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::joined;

    #[test]
    fn parts_are_joined_by_one_space_as_the_migration_joins_them() {
        assert_eq!(
            joined(["J2026-001", "老旧小区加装电梯", "", "已列入计划"]),
            "J2026-001 老旧小区加装电梯  已列入计划"
        );
    }
}
