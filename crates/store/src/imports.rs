//! Uploaded sheets kept between preview and commit, so the commit can be served by any
//! process and re-reads exactly the bytes that were previewed.

use crate::{StoreError, Tx, sql};
use duban_core::org::UserId;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Upload {
    pub id: i64,
    pub user_id: Option<i64>,
    pub file_name: String,
    pub sha256: String,
    pub content: Vec<u8>,
    pub year: i64,
    pub list_kind: Option<String>,
    pub committed: bool,
}

/// Keeps an upload; returns its id.
pub async fn insert_upload(
    tx: &mut Tx,
    user: Option<UserId>,
    file_name: &str,
    content: &[u8],
    year: i16,
    list_kind: Option<&str>,
    at: jiff::Timestamp,
) -> Result<i64, StoreError> {
    use sha2::Digest;
    let sha = hex::encode(sha2::Sha256::digest(content));
    let (id,): (i64,) = sql("INSERT INTO import_uploads (user_id, file_name, sha256, content, year, list_kind, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
    .bind(user)
    .bind(file_name)
    .bind(sha)
    .bind(content.to_vec())
    .bind(i64::from(year))
    .bind(list_kind)
    .bind(at)
    .fetch_one(tx)
    .await?;
    Ok(id)
}

pub async fn get_upload(tx: &mut Tx, id: i64) -> Result<Upload, StoreError> {
    sql("SELECT id, user_id, file_name, sha256, content, year, list_kind, committed FROM import_uploads WHERE id = $1")
        .bind(id)
        .fetch_one(tx)
        .await
}

/// Marks an upload committed (a second commit of the same upload is refused); uploads older
/// than `before` are removed.
pub async fn mark_committed(tx: &mut Tx, id: i64) -> Result<bool, StoreError> {
    let n = sql(
        "UPDATE import_uploads SET committed = TRUE, content = $2 WHERE id = $1 AND NOT committed",
    )
    .bind(id)
    .bind(Vec::<u8>::new())
    .execute(tx)
    .await?;
    Ok(n == 1)
}

pub async fn purge_uploads(tx: &mut Tx, before: jiff::Timestamp) -> Result<u64, StoreError> {
    sql("DELETE FROM import_uploads WHERE created_at < $1")
        .bind(before)
        .execute(tx)
        .await
}
