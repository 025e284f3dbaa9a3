//! The transparency log's service: publishing signed tree heads (by the job runner, at start
//! and after the demo loads) and answering the public, no-login API with tree heads, entries
//! and proofs. The wire types here are also what `duban verify --url` reads.
//!
//! What the public sees of an entry: its leaf (seq, time, action, object type and id, and a
//! salted commitment to the entry's hash) always; the actor and the before/after JSON only for object types marked
//! public in `duban_core::transparency::PUBLIC_OBJECT_TYPES`.

use crate::error::AppError;
use crate::state::AppState;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use duban_core::transparency::log_key::{KeyMismatch, KeyVerdict};
use duban_core::transparency::{
    Hash, InclusionProof, SignedTreeHead, SigningKey, TreeHead, VerifyingKey, is_public_object,
    leaf_salt, sth,
};
use duban_store::transparency::{self as store, StoredHead};
use duban_store::{Store, StoreError};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use utoipa::ToSchema;

/// The log's signing key (Ed25519). `Debug` shows its key id only.
#[derive(Clone)]
pub struct LogKey(Arc<SigningKey>);

impl LogKey {
    pub fn new(key: SigningKey) -> LogKey {
        LogKey(Arc::new(key))
    }

    pub fn public(&self) -> VerifyingKey {
        self.0.verifying_key()
    }

    pub fn id(&self) -> Hash {
        sth::key_id(&self.public())
    }
}

impl std::fmt::Debug for LogKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LogKey(id {})", hex::encode(self.id()))
    }
}

/// Settings of the transparency log.
#[derive(Debug, Clone)]
pub struct TransparencyConfig {
    /// `None`: no tree heads are published (and the public API has none to show).
    pub key: Option<LogKey>,
    /// The longest a new ledger entry waits for a signed tree head (plus one job-runner run):
    /// a head is published this long after the newest one, or at once if that is older,
    /// whenever the ledger has grown since.
    pub sth_interval: Duration,
}

impl Default for TransparencyConfig {
    fn default() -> Self {
        TransparencyConfig {
            key: None,
            sth_interval: Duration::from_secs(5 * 60),
        }
    }
}

/// Why no tree head was signed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// The process's key is not the log's (see [`admit_key`]).
    #[error(transparent)]
    OtherKey(#[from] KeyMismatch),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Makes sure `key` is the log's key: records its public half when the database has none
/// (the first process with a key), else compares. A process whose key is refused must not
/// sign; `duban serve` refuses to start. Any number of processes may call this at once: the
/// first recorded key wins and the others are compared with it.
pub async fn admit_key(store: &Store, key: &LogKey, now: Timestamp) -> Result<(), SignError> {
    let mut tx = store.begin_write().await?;
    admit_in(&mut tx, key, now).await?;
    tx.commit().await?;
    Ok(())
}

async fn admit_in(tx: &mut duban_store::Tx, key: &LogKey, now: Timestamp) -> Result<(), SignError> {
    let public = key.public();
    if store::recorded_key(tx).await?.admit(&public)? == KeyVerdict::Record
        && !store::record_key(tx, &public, now).await?
    {
        // Another process recorded its key meanwhile: it must be ours too.
        store::recorded_key(tx).await?.admit(&public)?;
    }
    Ok(())
}

/// Leaves added to the stored tree per write transaction.
const EXTEND_STEP: u64 = 10_000;

/// Extends the tree to the ledger head and signs and stores its head, if it grew. Returns
/// the new head; `None` when there was nothing new or another process stored that size.
/// Signs only with the log's key ([`admit_key`], checked in the same transaction).
pub async fn publish(
    store: &Store,
    key: &LogKey,
    now: Timestamp,
) -> Result<Option<SignedTreeHead>, SignError> {
    // A long ledger not yet in the tree (the first start after an upgrade) is added in
    // steps, each its own short write transaction.
    loop {
        let mut tx = store.begin_write().await?;
        let before = store::tree_size(&mut tx).await?;
        let after = store::extend_tree(&mut tx, EXTEND_STEP).await?;
        tx.commit().await?;
        if after - before < EXTEND_STEP {
            break;
        }
    }
    let mut tx = store.begin_write().await?;
    admit_in(&mut tx, key, now).await?;
    let Some(head) = store::head_to_sign(&mut tx, now.as_millisecond().max(0) as u64).await? else {
        return Ok(None);
    };
    let signed = head.sign(&key.0);
    let stored = store::insert_tree_head(&mut tx, &signed, &key.id()).await?;
    tx.commit().await?;
    if stored {
        tracing::info!(
            tlog.tree_size = head.tree_size,
            tlog.root = %hex::encode(head.root_hash),
            "signed tree head published"
        );
    }
    Ok(stored.then_some(signed))
}

/// Publishes a tree head when one is due (`sth::head_due`): the ledger has grown since the
/// newest head and that head is `transparency.sth_interval` old or older (or there is none).
/// The job runner calls it on every run, so an entry is in a signed head within the interval
/// plus one run. Checking takes a read only; any number of processes may call it, and a tree
/// size is signed once.
pub async fn publish_due(
    state: &AppState,
    now: Timestamp,
) -> Result<Option<SignedTreeHead>, SignError> {
    let config = &state.config.transparency;
    let Some(key) = &config.key else {
        return Ok(None);
    };
    let mut tx = state.store.begin_read().await?;
    let latest = store::latest_tree_head(&mut tx).await?;
    let ledger_size = store::ledger_size(&mut tx).await?;
    drop(tx);
    let interval_ms = u64::try_from(config.sth_interval.as_millis()).unwrap_or(u64::MAX);
    let now_ms = u64::try_from(now.as_millisecond()).unwrap_or(0);
    if !sth::head_due(
        latest.as_ref().map(|h| &h.sth.head),
        ledger_size,
        now_ms,
        interval_ms,
    ) {
        return Ok(None);
    }
    publish(&state.store, key, now).await
}

fn b64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

fn unb64<const N: usize>(what: &str, s: &str) -> Result<[u8; N], String> {
    B64.decode(s)
        .ok()
        .and_then(|v| v.try_into().ok())
        .ok_or_else(|| format!("{what} is not base64 of {N} bytes"))
}

/// A signed tree head (RFC 9162 §4.10, as JSON). Byte fields are base64.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SthResponse {
    /// Entries in the tree: ledger entries 1 … tree_size.
    pub tree_size: u64,
    /// When it was signed, milliseconds since the Unix epoch.
    pub timestamp: u64,
    /// The Merkle tree hash (RFC 9162 §2.1.1) of those entries, base64.
    pub root_hash: String,
    /// Ed25519 signature over RFC 9162 TreeHeadDataV2 (timestamp u64, tree_size u64, 0x20,
    /// root_hash, 0x0000), base64.
    pub signature: String,
    /// The log's Ed25519 public key, base64 of its 32 bytes (also as PEM at
    /// `/transparency/public-key`).
    pub public_key: String,
    /// SHA-256 of the public key's DER SubjectPublicKeyInfo, base64.
    pub key_id: String,
    /// On the newest head only (not signed): the server's publishing interval. Entries
    /// written after this head are signed by `timestamp` + this many seconds, or within a
    /// minute or so of being written when that moment has passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_interval_seconds: Option<u64>,
}

impl SthResponse {
    fn new(h: &StoredHead, key: &VerifyingKey) -> SthResponse {
        SthResponse {
            tree_size: h.sth.head.tree_size,
            timestamp: h.sth.head.timestamp_ms,
            root_hash: b64(&h.sth.head.root_hash),
            signature: b64(&h.sth.signature),
            public_key: b64(key.as_bytes()),
            key_id: b64(&h.key_id),
            publish_interval_seconds: None,
        }
    }

    /// The head as signed, for checking (its signature is not checked here).
    pub fn signed(&self) -> Result<SignedTreeHead, String> {
        Ok(SignedTreeHead {
            head: TreeHead {
                tree_size: self.tree_size,
                timestamp_ms: self.timestamp,
                root_hash: unb64("root_hash", &self.root_hash)?,
            },
            signature: unb64("signature", &self.signature)?,
        })
    }
}

/// An inclusion proof: the audit path (RFC 9162 §2.1.3) of one entry's leaf.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InclusionResponse {
    /// The entry's leaf index: its sequence number minus one.
    pub leaf_index: u64,
    pub tree_size: u64,
    /// Sibling hashes from the leaf up, base64.
    pub audit_path: Vec<String>,
}

impl InclusionResponse {
    pub fn proof(&self) -> Result<InclusionProof, String> {
        Ok(InclusionProof {
            leaf_index: self.leaf_index,
            tree_size: self.tree_size,
            path: self
                .audit_path
                .iter()
                .map(|p| unb64("audit_path", p))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// A consistency proof (RFC 9162 §2.1.4) between two tree sizes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ConsistencyResponse {
    pub first: u64,
    pub second: u64,
    /// base64 hashes.
    pub consistency_path: Vec<String>,
}

/// A ledger entry as the public may see it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntryResponse {
    pub seq: i64,
    pub leaf_index: u64,
    /// The leaf's entry bytes, base64: the leaf hash is SHA-256(0x00 || these bytes). They
    /// are computed from the row as it is stored now, so a row changed after it was signed
    /// gives bytes whose inclusion proof fails.
    pub leaf_input: String,
    /// What the bytes say (decoded here for convenience; check them against `leaf_input`).
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i64>,
    /// When, RFC 3339 UTC.
    pub at: String,
    /// Whether the whole entry is public; then `detail` holds the rest of it.
    pub public: bool,
    pub detail: Option<EntryDetail>,
}

/// The fields of a public entry that the leaf holds only through the entry hash.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntryDetail {
    pub actor_id: Option<i64>,
    /// The JSON text exactly as stored and hashed.
    pub before: String,
    pub after: String,
    pub prev_hash: String,
    /// The leaf's salt, base64: with these fields it recomputes the leaf's commitment
    /// (`duban_core::transparency::commitment`).
    pub salt: String,
}

fn no_log(state: &AppState) -> Result<&LogKey, AppError> {
    state
        .config
        .transparency
        .key
        .as_ref()
        .ok_or(AppError::NotFound)
}

/// The newest signed tree head.
pub async fn latest_sth(state: &AppState) -> Result<SthResponse, AppError> {
    let key = no_log(state)?;
    let mut tx = state.store.begin_read().await?;
    let head = store::latest_tree_head(&mut tx)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(SthResponse {
        publish_interval_seconds: Some(state.config.transparency.sth_interval.as_secs()),
        ..SthResponse::new(&head, &key.public())
    })
}

/// The signed tree head of exactly `size` entries.
pub async fn sth_at(state: &AppState, size: u64) -> Result<SthResponse, AppError> {
    let key = no_log(state)?;
    let mut tx = state.store.begin_read().await?;
    let head = store::find_tree_head(&mut tx, size)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(SthResponse::new(&head, &key.public()))
}

/// The audit path of entry `seq` in the tree of `tree_size` entries (default: the newest
/// signed head's size).
pub async fn inclusion(
    state: &AppState,
    seq: i64,
    tree_size: Option<u64>,
) -> Result<InclusionResponse, AppError> {
    no_log(state)?;
    let mut tx = state.store.begin_read().await?;
    let tree_size = match tree_size {
        Some(n) => n,
        None => {
            store::latest_tree_head(&mut tx)
                .await?
                .ok_or(AppError::NotFound)?
                .sth
                .head
                .tree_size
        }
    };
    let stored = store::tree_size(&mut tx).await?;
    if seq < 1 || seq as u64 > tree_size {
        return Err(AppError::BadRequest(format!(
            "seq must be from 1 to tree_size ({tree_size}), not {seq}"
        )));
    }
    if tree_size > stored {
        return Err(AppError::BadRequest(format!(
            "tree_size must be at most {stored}, the size of the published tree"
        )));
    }
    let index = seq as u64 - 1;
    let path = store::inclusion_path(&mut tx, index, tree_size).await?;
    Ok(InclusionResponse {
        leaf_index: index,
        tree_size,
        audit_path: path.iter().map(|h| b64(h)).collect(),
    })
}

/// The consistency proof between the trees of `first` and `second` entries.
pub async fn consistency(
    state: &AppState,
    first: u64,
    second: u64,
) -> Result<ConsistencyResponse, AppError> {
    no_log(state)?;
    let mut tx = state.store.begin_read().await?;
    let stored = store::tree_size(&mut tx).await?;
    if first > second || second > stored {
        return Err(AppError::BadRequest(format!(
            "need first ≤ second ≤ {stored} (the size of the published tree), not {first} and {second}"
        )));
    }
    let proof = store::consistency_proof(&mut tx, first, second).await?;
    Ok(ConsistencyResponse {
        first,
        second,
        consistency_path: proof.iter().map(|h| b64(h)).collect(),
    })
}

/// Entry `seq` as the public may see it, its leaf computed from the row as stored now.
/// 404 for an entry not in the log yet (no tree was ever built).
pub async fn entry(state: &AppState, seq: i64) -> Result<EntryResponse, AppError> {
    let mut tx = state.store.begin_read().await?;
    let (row, leaf) = store::find_leaf(&mut tx, seq)
        .await?
        .ok_or(AppError::NotFound)?;
    let public = is_public_object(&row.object_type);
    let salt = store::find_secret(&mut tx)
        .await?
        .map(|secret| leaf_salt(&secret, seq))
        .unwrap_or_default();
    let detail = public.then(|| EntryDetail {
        actor_id: row.actor_id,
        before: row.before_json.clone(),
        after: row.after_json.clone(),
        prev_hash: row.prev_hash.clone(),
        salt: b64(&salt),
    });
    let at = Timestamp::from_microsecond(leaf.at_us)
        .map(|t| t.to_string())
        .unwrap_or_default();
    Ok(EntryResponse {
        seq: leaf.seq,
        leaf_index: leaf.index().unwrap_or_default(),
        leaf_input: b64(&leaf.encode()),
        action: leaf.action,
        object_type: leaf.object_type,
        object_id: leaf.object_id,
        at,
        public,
        detail,
    })
}

/// The public key as PEM, or `None` when the log has no key.
pub fn public_key_pem(state: &AppState) -> Option<String> {
    let key = state.config.transparency.key.as_ref()?;
    Some(sth::public_key_pem(&key.public()))
}
