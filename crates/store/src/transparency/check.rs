//! The offline check of the transparency log (`duban verify`): recompute every leaf from the
//! ledger rows, rebuild the tree in memory, and hold every stored tree head against it.

use super::{BATCH, ENTRY_COLUMNS, StoredHead, list_tree_heads, tree_size};
use crate::ledger::EntryRow;
use crate::{Store, StoreError};
use duban_core::transparency::merkle::{self, MemoryTree, NodeId, Nodes};
use duban_core::transparency::{LeafEntry, VerifyingKey, leaf_hash, leaf_salt, sth};

/// What a successful check covered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogVerified {
    /// Ledger entries turned into leaves (0 when the tree was never built).
    pub entries: u64,
    /// Signed tree heads checked (root, signature, consistency with the one before).
    pub tree_heads: usize,
    /// The newest signed head's size (0 when none was published yet).
    pub signed_size: u64,
}

/// The first thing found wrong.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("entry {seq}: expected sequence number {expected} (an entry was removed or inserted)")]
    Gap { seq: i64, expected: u64 },
    #[error(
        "entry {seq}: its leaf no longer matches the leaf recorded when the tree was built (the entry was changed afterwards)"
    )]
    LeafChanged { seq: i64 },
    #[error("the signed tree head of {size} entries is beyond the ledger, which has {entries}")]
    HeadBeyondLedger { size: u64, entries: u64 },
    #[error(
        "the signed tree head of {size} entries does not match the ledger: an entry up to {size} was changed, removed or inserted"
    )]
    RootMismatch { size: u64 },
    #[error(
        "the signed tree head of {size} entries has a signature that is not valid for the log's public key"
    )]
    BadSignature { size: u64 },
    #[error("the signed tree head of {size} entries was signed by another key (key id {key_id})")]
    OtherKey { size: u64, key_id: String },
    #[error("the signed tree heads of {first} and {second} entries are not consistent")]
    Inconsistent { first: u64, second: u64 },
    #[error(
        "the stored tree node at level {level} index {index} is wrong: proofs served from it would fail (the tree_nodes table was changed)"
    )]
    StoredNodeWrong { level: u32, index: u64 },
    #[error("{missing} nodes of the stored tree of {size} entries are missing")]
    StoredNodesMissing { size: u64, missing: u64 },
    #[error(
        "there are {count} signed tree heads but no public key to check their signatures ({hint})"
    )]
    NoKey { count: usize, hint: String },
    #[error("the log's secret (tree_secret) is missing, so no leaf can be recomputed")]
    NoSecret,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl LogError {
    /// The entry named, when one is.
    pub fn seq(&self) -> Option<i64> {
        match self {
            LogError::Gap { seq, .. } | LogError::LeafChanged { seq } => Some(*seq),
            _ => None,
        }
    }
}

/// Checks the whole log: every entry's leaf against the stored leaf, every signed tree
/// head's root against the tree rebuilt from the rows, its signature against `key`, each
/// head's consistency with the one before, and every stored node against the rebuilt tree.
/// Without a key, heads are checked except their signatures — and only when there are none
/// is that not an error (`key_hint` says where the key was looked for).
pub async fn check(
    store: &Store,
    key: Option<&VerifyingKey>,
    key_hint: &str,
) -> Result<LogVerified, LogError> {
    let mut tx = store.begin_read().await?;
    let heads = list_tree_heads(&mut tx).await?;
    let stored_size = tree_size(&mut tx).await?;
    if key.is_none() && !heads.is_empty() {
        return Err(LogError::NoKey {
            count: heads.len(),
            hint: key_hint.to_string(),
        });
    }
    let mut tree = MemoryTree::default();
    let Some(secret) = super::find_secret(&mut tx).await? else {
        // The tree was never built: there is nothing to hold the entries against.
        if stored_size > 0 || !heads.is_empty() {
            return Err(LogError::NoSecret);
        }
        return Ok(LogVerified {
            entries: 0,
            tree_heads: 0,
            signed_size: 0,
        });
    };
    loop {
        let rows: Vec<EntryRow> = crate::Sql::assembled(format!(
            "SELECT {ENTRY_COLUMNS} FROM ledger WHERE seq > $1 ORDER BY seq LIMIT {BATCH}"
        ))
        .bind(tree.size() as i64)
        .fetch_all(&mut tx)
        .await?;
        let Some(last) = rows.last() else { break };
        let from = tree.size();
        let stored: Vec<(i64, Vec<u8>)> = crate::sql(
            "SELECT idx, hash FROM tree_nodes WHERE level = 0 AND idx >= $1 AND idx < $2 ORDER BY idx",
        )
        .bind(from as i64)
        .bind(last.seq)
        .fetch_all(&mut tx)
        .await?;
        let mut stored = stored.into_iter().peekable();
        for row in rows {
            let index = tree.size();
            if row.seq as u64 != index + 1 {
                return Err(LogError::Gap {
                    seq: row.seq,
                    expected: index + 1,
                });
            }
            let seq = row.seq;
            let salt = leaf_salt(&secret, seq);
            let leaf = leaf_hash(&LeafEntry::from_entry(&row.into(), &salt).encode());
            if let Some((_, hash)) = stored.next_if(|(i, _)| *i as u64 == index)
                && hash.as_slice() != leaf
            {
                return Err(LogError::LeafChanged { seq });
            }
            tree.push(leaf);
        }
    }
    let entries = tree.size();
    let key_id = key.map(sth::key_id);
    let mut previous: Option<&StoredHead> = None;
    for h in &heads {
        let size = h.sth.head.tree_size;
        if size > entries {
            return Err(LogError::HeadBeyondLedger { size, entries });
        }
        if let (Some(key), Some(id)) = (key, key_id) {
            if h.key_id != id {
                return Err(LogError::OtherKey {
                    size,
                    key_id: hex::encode(h.key_id),
                });
            }
            if !h.sth.signature_valid(key) {
                return Err(LogError::BadSignature { size });
            }
        }
        let root = merkle::root(&tree, size).expect("the tree holds every size up to its own");
        if root != h.sth.head.root_hash {
            return Err(LogError::RootMismatch { size });
        }
        if let Some(p) = previous {
            let first = p.sth.head.tree_size;
            let proof = merkle::consistency_proof(&tree, first, size)
                .expect("the tree holds every size up to its own");
            if !merkle::verify_consistency(first, size, &p.sth.head.root_hash, &root, &proof) {
                return Err(LogError::Inconsistent {
                    first,
                    second: size,
                });
            }
        }
        previous = Some(h);
    }
    check_stored_nodes(&mut tx, &tree, stored_size).await?;
    let signed_size = previous.map_or(0, |h| h.sth.head.tree_size);
    Ok(LogVerified {
        entries,
        tree_heads: heads.len(),
        signed_size,
    })
}

/// Every stored node must be the rebuilt tree's, and none may be missing: proofs are served
/// from them.
async fn check_stored_nodes(
    tx: &mut crate::Tx,
    tree: &MemoryTree,
    stored_size: u64,
) -> Result<(), LogError> {
    let (mut level, mut idx, mut count) = (0i64, -1i64, 0u64);
    loop {
        let rows: Vec<(i64, i64, Vec<u8>)> = crate::sql(
            "SELECT level, idx, hash FROM tree_nodes WHERE level > $1 OR (level = $1 AND idx > $2)
             ORDER BY level, idx LIMIT 5000",
        )
        .bind(level)
        .bind(idx)
        .fetch_all(tx)
        .await?;
        let Some(last) = rows.last() else { break };
        (level, idx) = (last.0, last.1);
        for (l, i, hash) in rows {
            let id = NodeId {
                level: l as u32,
                index: i as u64,
            };
            if tree.node(id).as_ref().map(|h| h.as_slice()) != Some(hash.as_slice()) {
                return Err(LogError::StoredNodeWrong {
                    level: id.level,
                    index: id.index,
                });
            }
            count += 1;
        }
    }
    let expected: u64 = (0..64).map(|l| stored_size >> l).sum();
    if count != expected {
        return Err(LogError::StoredNodesMissing {
            size: stored_size,
            missing: expected.saturating_sub(count),
        });
    }
    Ok(())
}
