//! The audit ledger in the database: [`append`] inside every business write's transaction,
//! [`verify`] to recompute the whole chain (used by `duban verify` and the ledger page),
//! [`browse`] to page through it with filters and names.

mod browse;
pub use browse::{
    ActorFilter, LedgerActor, LedgerFilter, NamedEntry, actors, count_entries, export_batch,
    find_entry, head_seq, list_entries, object_types,
};

use crate::{Audit, Backend, Store, StoreError, Tx, sql};
use duban_core::ledger::{ChainError, ChainVerifier, Entry, entry_hash};
use serde::Serialize;

/// What a write changed: the action, its object and the object before and after (as JSON;
/// `Null` where there was nothing before or nothing after).
#[derive(Debug, Clone)]
pub struct Change {
    pub action: &'static str,
    pub object_type: &'static str,
    pub object_id: Option<i64>,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

impl Change {
    pub fn new(action: &'static str, object_type: &'static str, object_id: i64) -> Change {
        Change {
            action,
            object_type,
            object_id: Some(object_id),
            before: serde_json::Value::Null,
            after: serde_json::Value::Null,
        }
    }

    pub fn before(mut self, v: &impl Serialize) -> Change {
        self.before = serde_json::to_value(v).expect("ledger values are plain data");
        self
    }

    pub fn after(mut self, v: &impl Serialize) -> Change {
        self.after = serde_json::to_value(v).expect("ledger values are plain data");
        self
    }
}

#[derive(sqlx::FromRow)]
struct HeadRow {
    seq: i64,
    hash: String,
}

/// Appends one entry, chained to the current head. Must run inside the write's transaction:
/// the head row is locked until it commits, so concurrent writers (also in other processes)
/// take sequence numbers one after another.
pub async fn append(tx: &mut Tx, audit: &Audit, change: Change) -> Result<i64, StoreError> {
    append_many(tx, audit, vec![change]).await
}

/// Appends several entries in order (an import's rows), reading and moving the head once.
/// Returns the last sequence number. Same locking as [`append`].
pub async fn append_many(
    tx: &mut Tx,
    audit: &Audit,
    changes: Vec<Change>,
) -> Result<i64, StoreError> {
    let head_sql = match tx.backend() {
        Backend::Postgres => sql("SELECT seq, hash FROM ledger_head WHERE id = 1 FOR UPDATE"),
        Backend::Sqlite => sql("SELECT seq, hash FROM ledger_head WHERE id = 1"),
    };
    let head: HeadRow = head_sql.fetch_one(tx).await?;
    let (mut seq, mut prev) = (head.seq, head.hash);
    let mut rows = Vec::with_capacity(changes.len());
    for change in changes {
        let mut entry = Entry {
            seq: seq + 1,
            at_us: audit.at.as_microsecond(),
            actor: audit.actor.map(|a| a.0),
            action: change.action.to_string(),
            object_type: change.object_type.to_string(),
            object_id: change.object_id,
            before: change.before.to_string(),
            after: change.after.to_string(),
            prev_hash: prev,
            hash: String::new(),
        };
        entry.hash = entry_hash(&entry.prev_hash, &entry);
        (seq, prev) = (entry.seq, entry.hash.clone());
        rows.push(vec![
            entry.seq.into(),
            entry.at_us.into(),
            entry.actor.into(),
            entry.action.into(),
            entry.object_type.into(),
            entry.object_id.into(),
            entry.before.into(),
            entry.after.into(),
            entry.prev_hash.into(),
            entry.hash.into(),
        ]);
    }
    for chunk in chunked(rows, 10) {
        if let Some(q) = crate::insert_many(
            "INSERT INTO ledger (seq, at_us, actor_id, action, object_type, object_id, before_json, after_json, prev_hash, hash)",
            chunk,
        ) {
            q.execute(tx).await?;
        }
    }
    sql("UPDATE ledger_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(seq)
        .bind(prev.as_str())
        .execute(tx)
        .await?;
    Ok(seq)
}

/// Rows split so that no statement binds more parameters than SQLite allows.
pub(crate) fn chunked(rows: Vec<Vec<crate::Param>>, columns: usize) -> Vec<Vec<Vec<crate::Param>>> {
    // Small statements: SQLite looks `$n` parameters up by name, so a statement with
    // thousands of them binds in quadratic time.
    const MAX_PARAMS: usize = 900;
    let per = (MAX_PARAMS / columns.max(1)).max(1);
    let mut out = Vec::new();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        out.push(rows.by_ref().take(per).collect());
    }
    out
}

/// A stored entry as read back.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct EntryRow {
    pub seq: i64,
    pub at_us: i64,
    pub actor_id: Option<i64>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i64>,
    pub before_json: String,
    pub after_json: String,
    pub prev_hash: String,
    pub hash: String,
}

impl From<EntryRow> for Entry {
    fn from(r: EntryRow) -> Entry {
        Entry {
            seq: r.seq,
            at_us: r.at_us,
            actor: r.actor_id,
            action: r.action,
            object_type: r.object_type,
            object_id: r.object_id,
            before: r.before_json,
            after: r.after_json,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

const ENTRY_COLUMNS: &str = "seq, at_us, actor_id, action, object_type, object_id, before_json, after_json, prev_hash, hash";

/// The newest entries first, `limit` at most, optionally for one object.
pub async fn list_recent(
    tx: &mut Tx,
    object: Option<(&str, i64)>,
    limit: i64,
) -> Result<Vec<EntryRow>, StoreError> {
    match object {
        Some((ty, id)) => {
            Entries::sql("WHERE object_type = $1 AND object_id = $2 ORDER BY seq DESC LIMIT $3")
                .bind(ty)
                .bind(id)
                .bind(limit)
                .fetch_all(tx)
                .await
        }
        None => {
            Entries::sql("ORDER BY seq DESC LIMIT $1")
                .bind(limit)
                .fetch_all(tx)
                .await
        }
    }
}

struct Entries;
impl Entries {
    fn sql(tail: &str) -> crate::Sql {
        crate::Sql::assembled(format!("SELECT {ENTRY_COLUMNS} FROM ledger {tail}"))
    }
}

/// The outcome of a full verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verified {
    pub entries: i64,
    pub head: String,
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Chain(#[from] ChainError),
    #[error(
        "the chain ends at entry {last} but the recorded head is entry {head_seq}: entries were removed or added outside duban"
    )]
    HeadMismatch { last: i64, head_seq: i64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Recomputes every entry's hash in order, in batches, and compares the end with the head
/// row. The first broken entry is named.
pub async fn verify(store: &Store) -> Result<Verified, VerifyError> {
    let mut v = ChainVerifier::default();
    let mut tx = store.begin_read().await?;
    let mut after = 0i64;
    loop {
        let batch: Vec<EntryRow> = Entries::sql("WHERE seq > $1 ORDER BY seq LIMIT 2000")
            .bind(after)
            .fetch_all(&mut tx)
            .await?;
        let Some(last) = batch.last() else { break };
        after = last.seq;
        for row in batch {
            v.push(&row.into())?;
        }
    }
    let head: HeadRow = sql("SELECT seq, hash FROM ledger_head WHERE id = 1")
        .fetch_one(&mut tx)
        .await?;
    if head.seq != v.count() || head.hash != v.head() {
        return Err(VerifyError::HeadMismatch {
            last: v.count(),
            head_seq: head.seq,
        });
    }
    Ok(Verified {
        entries: v.count(),
        head: v.head().to_string(),
    })
}
