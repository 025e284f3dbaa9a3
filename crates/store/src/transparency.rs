//! The transparency log in the database: the Merkle tree over the ledger kept as its perfect
//! subtrees (`tree_nodes`), extended up to the ledger head when a tree head is published,
//! the signed tree heads (`tree_heads`) and the public key they are signed with (`tree_key`).
//! Roots and proofs read O(log² n) stored nodes, never the ledger. [`check`] recomputes all of it from the ledger rows for `duban verify`.
//!
//! The encodings and algorithms are `duban_core::transparency`'s; signing happens in the web
//! layer, which holds the key. A missing node (a size beyond the stored tree) is
//! [`StoreError::NotFound`].

mod check;
mod key;

pub use check::{LogError, LogVerified, check};
pub use key::{record_key, recorded_key};

use crate::ledger::EntryRow;
use crate::{StoreError, Tx, sql};
use duban_core::transparency::merkle::{self, Frontier, Hash, NodeId};
use duban_core::transparency::{LeafEntry, SignedTreeHead, TreeHead, leaf_hash, leaf_salt};
use std::collections::{BTreeMap, BTreeSet};

/// Ledger rows read per batch when extending or checking the tree.
const BATCH: i64 = 2000;

const ENTRY_COLUMNS: &str = "seq, at_us, actor_id, action, object_type, object_id, before_json, after_json, prev_hash, hash";

/// How many leaves the stored tree has.
pub async fn tree_size(tx: &mut Tx) -> Result<u64, StoreError> {
    let (size,): (Option<i64>,) = sql("SELECT MAX(idx) + 1 FROM tree_nodes WHERE level = 0")
        .fetch_one(tx)
        .await?;
    Ok(size.unwrap_or(0).max(0) as u64)
}

/// The ledger's head sequence number: how many entries there are.
pub async fn ledger_size(tx: &mut Tx) -> Result<u64, StoreError> {
    let (seq,): (i64,) = sql("SELECT seq FROM ledger_head WHERE id = 1")
        .fetch_one(tx)
        .await?;
    Ok(seq.max(0) as u64)
}

/// The log's secret, from which every leaf's salt is derived; `None` before the tree was
/// first built.
pub async fn find_secret(tx: &mut Tx) -> Result<Option<Hash>, StoreError> {
    let row: Option<(Vec<u8>,)> = sql("SELECT secret FROM tree_secret WHERE id = 1")
        .fetch_optional(tx)
        .await?;
    row.map(|(s,)| to_hash(&s)).transpose()
}

/// The log's secret, created (32 random bytes) if there is none yet. Two processes creating
/// it at once agree on the first one stored.
pub async fn secret(tx: &mut Tx) -> Result<Hash, StoreError> {
    if let Some(s) = find_secret(tx).await? {
        return Ok(s);
    }
    sql("INSERT INTO tree_secret (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
        .bind(rand::random::<[u8; 32]>().to_vec())
        .execute(tx)
        .await?;
    find_secret(tx).await?.ok_or(StoreError::NotFound)
}

/// Entry `seq`'s leaf as the row is stored now, or `None` when the entry does not exist or
/// the tree was never built.
pub async fn find_leaf(tx: &mut Tx, seq: i64) -> Result<Option<(EntryRow, LeafEntry)>, StoreError> {
    let Some(secret) = find_secret(tx).await? else {
        return Ok(None);
    };
    let Some(row) = find_entry(tx, seq).await? else {
        return Ok(None);
    };
    let leaf = LeafEntry::from_entry(&row.clone().into(), &leaf_salt(&secret, seq));
    Ok(Some((row, leaf)))
}

/// Adds the leaves of at most `limit` ledger entries not yet in the stored tree (up to the
/// head as this transaction sees it) and every perfect subtree they complete. Returns the
/// new size. Several processes may run it at once: the nodes are the same, and inserting
/// one twice does nothing. A small `limit` keeps a first build over a long ledger from
/// holding the write lock for long (200,000 entries take some seconds).
#[tracing::instrument(skip_all)]
pub async fn extend_tree(tx: &mut Tx, limit: u64) -> Result<u64, StoreError> {
    let secret = secret(tx).await?;
    let size = tree_size(tx).await?;
    let nodes = fetch_nodes(tx, &Frontier::ids(size).into_iter().collect()).await?;
    let mut frontier = Frontier::load(&nodes, size).map_err(|_| StoreError::NotFound)?;
    let end = size.saturating_add(limit);
    while frontier.size() < end {
        let rows: Vec<EntryRow> = crate::Sql::assembled(format!(
            "SELECT {ENTRY_COLUMNS} FROM ledger WHERE seq > $1 ORDER BY seq LIMIT $2"
        ))
        .bind(frontier.size() as i64)
        .bind(BATCH.min(i64::try_from(end - frontier.size()).unwrap_or(i64::MAX)))
        .fetch_all(tx)
        .await?;
        if rows.is_empty() {
            break;
        }
        let mut completed = Vec::with_capacity(rows.len() * 2);
        for row in rows {
            if row.seq as u64 != frontier.size() + 1 {
                // A gap: the ledger is broken there (`duban verify` says so); the tree stops.
                tracing::warn!(
                    ledger.seq = row.seq,
                    "the ledger has a gap: the transparency tree stops before it"
                );
                insert_nodes(tx, completed).await?;
                return Ok(frontier.size());
            }
            let salt = leaf_salt(&secret, row.seq);
            let leaf = LeafEntry::from_entry(&row.into(), &salt).encode();
            frontier.push(leaf_hash(&leaf), &mut completed);
        }
        insert_nodes(tx, completed).await?;
    }
    Ok(frontier.size())
}

async fn insert_nodes(tx: &mut Tx, nodes: Vec<(NodeId, Hash)>) -> Result<(), StoreError> {
    // 300 rows of 3 parameters per statement (see `ledger::chunked`).
    for chunk in nodes.chunks(300) {
        let mut text = String::from("INSERT INTO tree_nodes (level, idx, hash) VALUES ");
        let mut params: Vec<crate::Param> = Vec::with_capacity(chunk.len() * 3);
        for (i, (id, h)) in chunk.iter().enumerate() {
            if i > 0 {
                text.push_str(", ");
            }
            let n = params.len();
            text.push_str(&format!("(${}, ${}, ${})", n + 1, n + 2, n + 3));
            params.push(i64::from(id.level).into());
            params.push((id.index as i64).into());
            params.push(h.to_vec().into());
        }
        text.push_str(" ON CONFLICT (level, idx) DO NOTHING");
        crate::Sql::with_params(text, params).execute(tx).await?;
    }
    Ok(())
}

/// The stored nodes among `ids` (missing ones are left out).
pub async fn fetch_nodes(
    tx: &mut Tx,
    ids: &BTreeSet<NodeId>,
) -> Result<BTreeMap<NodeId, Hash>, StoreError> {
    let mut out = BTreeMap::new();
    let ids: Vec<NodeId> = ids.iter().copied().collect();
    for chunk in ids.chunks(200) {
        let mut text = String::from("SELECT level, idx, hash FROM tree_nodes WHERE ");
        let mut params: Vec<crate::Param> = Vec::with_capacity(chunk.len() * 2);
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                text.push_str(" OR ");
            }
            text.push_str(&format!(
                "(level = ${} AND idx = ${})",
                params.len() + 1,
                params.len() + 2
            ));
            params.push(i64::from(id.level).into());
            params.push((id.index as i64).into());
        }
        let rows: Vec<(i64, i64, Vec<u8>)> =
            crate::Sql::with_params(text, params).fetch_all(tx).await?;
        for (level, idx, hash) in rows {
            let id = NodeId {
                level: level as u32,
                index: idx as u64,
            };
            out.insert(id, to_hash(&hash)?);
        }
    }
    Ok(out)
}

fn to_hash(bytes: &[u8]) -> Result<Hash, StoreError> {
    bytes.try_into().map_err(|_| {
        StoreError::Db(sqlx::Error::Decode(
            "a stored hash is not 32 bytes long".into(),
        ))
    })
}

/// The root of the tree of the first `size` leaves (`NotFound` beyond the stored tree).
pub async fn root_at(tx: &mut Tx, size: u64) -> Result<Hash, StoreError> {
    let nodes = fetch_nodes(tx, &merkle::needed_for_root(size)).await?;
    merkle::root(&nodes, size).map_err(|_| StoreError::NotFound)
}

/// The audit path of leaf `index` in the tree of `size` leaves (`index < size`).
pub async fn inclusion_path(tx: &mut Tx, index: u64, size: u64) -> Result<Vec<Hash>, StoreError> {
    let nodes = fetch_nodes(tx, &merkle::needed_for_inclusion(index, size)).await?;
    merkle::inclusion_path(&nodes, index, size).map_err(|_| StoreError::NotFound)
}

/// The consistency proof between the trees of `first` and `second` leaves.
pub async fn consistency_proof(
    tx: &mut Tx,
    first: u64,
    second: u64,
) -> Result<Vec<Hash>, StoreError> {
    let nodes = fetch_nodes(tx, &merkle::needed_for_consistency(first, second)).await?;
    merkle::consistency_proof(&nodes, first, second).map_err(|_| StoreError::NotFound)
}

/// A stored signed tree head and the id of the key that signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredHead {
    pub sth: SignedTreeHead,
    pub key_id: Hash,
}

#[derive(sqlx::FromRow)]
struct HeadRow {
    tree_size: i64,
    timestamp_ms: i64,
    root_hash: Vec<u8>,
    signature: Vec<u8>,
    key_id: Vec<u8>,
}

impl TryFrom<HeadRow> for StoredHead {
    type Error = StoreError;

    fn try_from(r: HeadRow) -> Result<StoredHead, StoreError> {
        let signature: [u8; 64] = r.signature.as_slice().try_into().map_err(|_| {
            StoreError::Db(sqlx::Error::Decode(
                "a stored signature is not 64 bytes".into(),
            ))
        })?;
        Ok(StoredHead {
            sth: SignedTreeHead {
                head: TreeHead {
                    tree_size: r.tree_size as u64,
                    timestamp_ms: r.timestamp_ms as u64,
                    root_hash: to_hash(&r.root_hash)?,
                },
                signature,
            },
            key_id: to_hash(&r.key_id)?,
        })
    }
}

const HEAD_COLUMNS: &str = "tree_size, timestamp_ms, root_hash, signature, key_id";

/// Stores a signed tree head; false when one of that size exists already (published by
/// another process), which is then kept.
pub async fn insert_tree_head(
    tx: &mut Tx,
    sth: &SignedTreeHead,
    key_id: &Hash,
) -> Result<bool, StoreError> {
    let n = sql(
        "INSERT INTO tree_heads (tree_size, timestamp_ms, root_hash, signature, key_id)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tree_size) DO NOTHING",
    )
    .bind(sth.head.tree_size as i64)
    .bind(sth.head.timestamp_ms as i64)
    .bind(sth.head.root_hash.to_vec())
    .bind(sth.signature.to_vec())
    .bind(key_id.to_vec())
    .execute(tx)
    .await?;
    Ok(n == 1)
}

/// The newest (largest) signed tree head.
pub async fn latest_tree_head(tx: &mut Tx) -> Result<Option<StoredHead>, StoreError> {
    let row: Option<HeadRow> = crate::Sql::assembled(format!(
        "SELECT {HEAD_COLUMNS} FROM tree_heads ORDER BY tree_size DESC LIMIT 1"
    ))
    .fetch_optional(tx)
    .await?;
    row.map(StoredHead::try_from).transpose()
}

/// The signed tree head of exactly `size` entries.
pub async fn find_tree_head(tx: &mut Tx, size: u64) -> Result<Option<StoredHead>, StoreError> {
    let row: Option<HeadRow> = crate::Sql::assembled(format!(
        "SELECT {HEAD_COLUMNS} FROM tree_heads WHERE tree_size = $1"
    ))
    .bind(size as i64)
    .fetch_optional(tx)
    .await?;
    row.map(StoredHead::try_from).transpose()
}

/// Every signed tree head, smallest first.
pub async fn list_tree_heads(tx: &mut Tx) -> Result<Vec<StoredHead>, StoreError> {
    let rows: Vec<HeadRow> = crate::Sql::assembled(format!(
        "SELECT {HEAD_COLUMNS} FROM tree_heads ORDER BY tree_size"
    ))
    .fetch_all(tx)
    .await?;
    rows.into_iter().map(StoredHead::try_from).collect()
}

/// One ledger entry as stored now (whatever happened to it since it was written).
pub async fn find_entry(tx: &mut Tx, seq: i64) -> Result<Option<EntryRow>, StoreError> {
    crate::Sql::assembled(format!("SELECT {ENTRY_COLUMNS} FROM ledger WHERE seq = $1"))
        .bind(seq)
        .fetch_optional(tx)
        .await
}

/// Extends the tree to the ledger head and returns the head to sign, or `None` when the
/// tree has not grown since the newest signed head.
pub async fn head_to_sign(tx: &mut Tx, timestamp_ms: u64) -> Result<Option<TreeHead>, StoreError> {
    let size = extend_tree(tx, u64::MAX).await?;
    let latest = latest_tree_head(tx).await?;
    if size == 0 || latest.is_some_and(|h| h.sth.head.tree_size >= size) {
        return Ok(None);
    }
    Ok(Some(TreeHead {
        tree_size: size,
        timestamp_ms,
        root_hash: root_at(tx, size).await?,
    }))
}
