//! Attachment bytes in the database (`blobs`, used when `attachments.store = "database"`):
//! content-addressed by SHA-256 and variant (the file, a photo's thumbnail), cut into parts
//! of at most `core::attachments::BLOB_PART_BYTES` so a download reads one part at a time.
//! Written once, in the transaction that records the attachment; never changed.

use crate::{StoreError, Tx, sql};
use duban_core::attachments::{BLOB_PART_BYTES, Sha256, Variant, blob_parts};

/// How many parts of this content are stored: 0 when it is not in the database.
pub async fn count_parts(tx: &mut Tx, hash: &Sha256, variant: Variant) -> Result<i64, StoreError> {
    let (n,): (i64,) = sql("SELECT COUNT(*) FROM blobs WHERE sha256 = $1 AND variant = $2")
        .bind(hash.hex())
        .bind(variant.as_str())
        .fetch_one(tx)
        .await?;
    Ok(n)
}

/// Stores the bytes unless this content is stored already (then false, and nothing is sent to
/// the database again). Two processes storing the same content at once end with one copy:
/// the second waits for the first's rows and skips them.
#[tracing::instrument(skip_all, fields(attachment.sha256 = %hash, blob.variant = variant.as_str()))]
pub async fn insert_blob(
    tx: &mut Tx,
    hash: &Sha256,
    variant: Variant,
    bytes: &[u8],
) -> Result<bool, StoreError> {
    if count_parts(tx, hash, variant).await? > 0 {
        return Ok(false);
    }
    let parts: Vec<&[u8]> = if bytes.is_empty() {
        vec![bytes]
    } else {
        bytes.chunks(BLOB_PART_BYTES).collect()
    };
    debug_assert_eq!(parts.len(), blob_parts(bytes.len()));
    for (i, part) in parts.into_iter().enumerate() {
        sql(
            "INSERT INTO blobs (sha256, variant, part, bytes) VALUES ($1, $2, $3, $4)
             ON CONFLICT (sha256, variant, part) DO NOTHING",
        )
        .bind(hash.hex())
        .bind(variant.as_str())
        .bind(i as i64)
        .bind(part.to_vec())
        .execute(tx)
        .await?;
    }
    Ok(true)
}

/// One part of the stored bytes (`None` past the last part, or when nothing is stored).
pub async fn read_part(
    tx: &mut Tx,
    hash: &Sha256,
    variant: Variant,
    part: i64,
) -> Result<Option<Vec<u8>>, StoreError> {
    let row: Option<(Vec<u8>,)> =
        sql("SELECT bytes FROM blobs WHERE sha256 = $1 AND variant = $2 AND part = $3")
            .bind(hash.hex())
            .bind(variant.as_str())
            .bind(part)
            .fetch_optional(tx)
            .await?;
    Ok(row.map(|(b,)| b))
}
