//! The log's public key as recorded in the database (`tree_key`), so every process on the
//! database can tell whether its signing key is the log's (`core::transparency::log_key`).

use super::to_hash;
use crate::{StoreError, Tx, sql};
use duban_core::transparency::log_key::RecordedKey;
use duban_core::transparency::{VerifyingKey, sth};

/// The recorded public key; else, for a log signed before keys were recorded, the key id of
/// its newest head; else nothing.
pub async fn recorded_key(tx: &mut Tx) -> Result<RecordedKey, StoreError> {
    let row: Option<(Vec<u8>,)> = sql("SELECT public_key FROM tree_key WHERE id = 1")
        .fetch_optional(tx)
        .await?;
    if let Some((bytes,)) = row {
        let raw: [u8; 32] = bytes.as_slice().try_into().map_err(|_| bad_key())?;
        let key = VerifyingKey::from_bytes(&raw).map_err(|_| bad_key())?;
        return Ok(RecordedKey::Key(key));
    }
    let newest: Option<(Vec<u8>,)> =
        sql("SELECT key_id FROM tree_heads ORDER BY tree_size DESC LIMIT 1")
            .fetch_optional(tx)
            .await?;
    Ok(match newest {
        Some((id,)) => RecordedKey::HeadsOnly(to_hash(&id)?),
        None => RecordedKey::Nothing,
    })
}

/// Records `key` as the log's unless one is recorded already (then false: read it again
/// with [`recorded_key`]). Two processes recording at once agree on the first committed.
pub async fn record_key(
    tx: &mut Tx,
    key: &VerifyingKey,
    at: jiff::Timestamp,
) -> Result<bool, StoreError> {
    let n = sql(
        "INSERT INTO tree_key (id, public_key, key_id, recorded_at) VALUES (1, $1, $2, $3)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(key.as_bytes().to_vec())
    .bind(sth::key_id(key).to_vec())
    .bind(at)
    .execute(tx)
    .await?;
    Ok(n == 1)
}

fn bad_key() -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        "the recorded transparency public key is not an Ed25519 key".into(),
    ))
}
