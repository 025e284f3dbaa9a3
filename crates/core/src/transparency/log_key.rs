//! One log, one key: which signing key may sign this database's tree heads.
//!
//! The public key is recorded in the database by the first process that signs (or starts with
//! a key); from then on every process must hold the same private key. A process with another
//! key must not sign — its heads would read as forged — and must not quietly make a key of its
//! own, which is what several nodes with separate data directories used to do.

use super::merkle::Hash;
use super::sth::{VerifyingKey, key_id};

/// What the database says about the log's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordedKey {
    /// Nothing signed and nothing recorded yet: the first key offered becomes the log's.
    Nothing,
    /// The recorded public key.
    Key(VerifyingKey),
    /// Heads signed before keys were recorded: only the key id of the newest one is known.
    HeadsOnly(Hash),
}

/// A process's key is not the log's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "this process's transparency key (key id {}) is not the key the log is signed with (key id {})",
    hex::encode(.ours),
    hex::encode(.log)
)]
pub struct KeyMismatch {
    /// The id of the key the log is signed with.
    pub log: Hash,
    /// The id of the key this process holds.
    pub ours: Hash,
}

/// What to do with a process's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyVerdict {
    /// It is the recorded key: sign.
    Matches,
    /// Nothing is recorded and the heads (if any) were signed by it: record it, then sign.
    Record,
}

impl RecordedKey {
    /// The id of the log's key, when there is one.
    pub fn key_id(&self) -> Option<Hash> {
        match self {
            RecordedKey::Nothing => None,
            RecordedKey::Key(k) => Some(key_id(k)),
            RecordedKey::HeadsOnly(id) => Some(*id),
        }
    }

    /// Whether a process holding `ours` may sign this log.
    pub fn admit(&self, ours: &VerifyingKey) -> Result<KeyVerdict, KeyMismatch> {
        let ours_id = key_id(ours);
        match self {
            RecordedKey::Nothing => Ok(KeyVerdict::Record),
            RecordedKey::Key(k) if k == ours => Ok(KeyVerdict::Matches),
            RecordedKey::HeadsOnly(id) if *id == ours_id => Ok(KeyVerdict::Record),
            other => Err(KeyMismatch {
                log: other.key_id().expect("a key or a key id is recorded"),
                ours: ours_id,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transparency::SigningKey;

    fn key(n: u8) -> VerifyingKey {
        SigningKey::from_bytes(&[n; 32]).verifying_key()
    }

    #[test]
    fn the_first_key_offered_to_an_empty_log_is_recorded() {
        assert_eq!(RecordedKey::Nothing.admit(&key(1)), Ok(KeyVerdict::Record));
    }

    #[test]
    fn the_recorded_key_signs_and_any_other_is_refused_naming_both_ids() {
        let log = RecordedKey::Key(key(1));
        assert_eq!(log.admit(&key(1)), Ok(KeyVerdict::Matches));
        let err = log.admit(&key(2)).unwrap_err();
        assert_eq!(err.log, key_id(&key(1)));
        assert_eq!(err.ours, key_id(&key(2)));
        assert!(err.to_string().contains(&hex::encode(key_id(&key(1)))));
    }

    #[test]
    fn a_log_signed_before_keys_were_recorded_accepts_only_the_key_of_its_heads() {
        let log = RecordedKey::HeadsOnly(key_id(&key(1)));
        assert_eq!(log.admit(&key(1)), Ok(KeyVerdict::Record));
        assert!(log.admit(&key(2)).is_err());
    }
}
