//! The audit ledger's hashing: every write appends an entry chained by SHA-256 to the one
//! before, so that changing any stored byte of any entry breaks the chain from there on.
//!
//! This module only computes and checks hashes; storing entries is `duban-store`'s job.
//! The hash covers every field of an entry in a fixed, length-prefixed encoding, so no two
//! different entries can encode to the same bytes.

use sha2::{Digest, Sha256};

pub mod export;

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One ledger entry as stored. `before` and `after` are the JSON texts exactly as stored (the
/// hash covers those bytes, not a re-serialisation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Position in the chain, starting at 1, without gaps.
    pub seq: i64,
    /// When, in microseconds since the Unix epoch (UTC).
    pub at_us: i64,
    /// The acting user, `None` for the system (seeding, jobs, CLI without a user).
    pub actor: Option<i64>,
    /// What was done, e.g. `unit.create`.
    pub action: String,
    /// What it was done to, e.g. `unit`, and its id.
    pub object_type: String,
    pub object_id: Option<i64>,
    pub before: String,
    pub after: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an entry given the hash of the previous one, as lowercase hex.
pub fn entry_hash(prev_hash: &str, e: &Entry) -> String {
    let mut h = Sha256::new();
    h.update(b"duban-ledger-v1\0");
    field(&mut h, prev_hash.as_bytes());
    field(&mut h, &e.seq.to_be_bytes());
    field(&mut h, &e.at_us.to_be_bytes());
    match e.actor {
        Some(a) => field(&mut h, &a.to_be_bytes()),
        None => field(&mut h, b""),
    }
    field(&mut h, e.action.as_bytes());
    field(&mut h, e.object_type.as_bytes());
    match e.object_id {
        Some(id) => field(&mut h, &id.to_be_bytes()),
        None => field(&mut h, b""),
    }
    field(&mut h, e.before.as_bytes());
    field(&mut h, e.after.as_bytes());
    hex::encode(h.finalize())
}

fn field(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

/// Where the chain breaks first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("entry {seq}: expected sequence number {expected}")]
    Gap { seq: i64, expected: i64 },
    #[error("entry {seq}: prev_hash does not match the hash of entry {}", seq - 1)]
    BrokenLink { seq: i64 },
    #[error("entry {seq}: its content does not match its hash (changed after it was written)")]
    Tampered { seq: i64 },
}

impl ChainError {
    pub fn seq(&self) -> i64 {
        match self {
            ChainError::Gap { seq, .. }
            | ChainError::BrokenLink { seq }
            | ChainError::Tampered { seq } => *seq,
        }
    }
}

/// Checks entries in order, feeding them one at a time so a long ledger need not be in memory.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            expected_seq: 1,
            prev_hash: GENESIS.to_string(),
        }
    }
}

impl ChainVerifier {
    /// Checks the next entry; the first error is the first broken entry.
    pub fn push(&mut self, e: &Entry) -> Result<(), ChainError> {
        if e.seq != self.expected_seq {
            return Err(ChainError::Gap {
                seq: e.seq,
                expected: self.expected_seq,
            });
        }
        if e.prev_hash != self.prev_hash {
            return Err(ChainError::BrokenLink { seq: e.seq });
        }
        if entry_hash(&e.prev_hash, e) != e.hash {
            return Err(ChainError::Tampered { seq: e.seq });
        }
        self.expected_seq += 1;
        self.prev_hash = e.hash.clone();
        Ok(())
    }

    /// How many entries were checked.
    pub fn count(&self) -> i64 {
        self.expected_seq - 1
    }

    /// The hash of the last checked entry (the chain head).
    pub fn head(&self) -> &str {
        &self.prev_hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<Entry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let mut e = Entry {
                    seq,
                    at_us: 1_700_000_000_000_000 + seq,
                    actor: (seq % 2 == 0).then_some(7),
                    action: "unit.update".into(),
                    object_type: "unit".into(),
                    object_id: Some(seq),
                    before: r#"{"name":"经信局"}"#.into(),
                    after: format!(r#"{{"name":"经信局{seq}"}}"#),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = entry_hash(&prev, &e);
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn verify(entries: &[Entry]) -> Result<i64, ChainError> {
        let mut v = ChainVerifier::default();
        for e in entries {
            v.push(e)?;
        }
        Ok(v.count())
    }

    #[test]
    fn an_untouched_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(5));
        assert_eq!(verify(&[]), Ok(0));
    }

    #[test]
    fn changing_one_byte_of_any_field_names_that_entry() {
        let original = chain(4);
        let edits: [fn(&mut Entry); 6] = [
            |e| e.after = e.after.replace("经信局", "经信厅"),
            |e| e.before.push(' '),
            |e| e.action = "unit.delete".into(),
            |e| e.at_us += 1,
            |e| e.actor = Some(8),
            |e| e.object_id = None,
        ];
        for edit in edits {
            let mut c = original.clone();
            edit(&mut c[2]);
            assert_eq!(verify(&c), Err(ChainError::Tampered { seq: 3 }));
        }
    }

    #[test]
    fn a_rehashed_entry_still_breaks_the_link_to_the_next_one() {
        let mut c = chain(4);
        c[1].after = "{}".into();
        c[1].hash = entry_hash(&c[1].prev_hash.clone(), &c[1]);
        assert_eq!(verify(&c), Err(ChainError::BrokenLink { seq: 3 }));
    }

    #[test]
    fn a_deleted_entry_is_a_gap() {
        let mut c = chain(4);
        c.remove(1);
        assert_eq!(
            verify(&c),
            Err(ChainError::Gap {
                seq: 3,
                expected: 2
            })
        );
    }

    #[test]
    fn field_boundaries_matter() {
        let mut a = chain(1).remove(0);
        let mut b = a.clone();
        a.action = "ab".into();
        a.object_type = "c".into();
        b.action = "a".into();
        b.object_type = "bc".into();
        assert_ne!(entry_hash(GENESIS, &a), entry_hash(GENESIS, &b));
    }
}
