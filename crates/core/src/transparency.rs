//! The transparency log: the audit ledger as a Certificate-Transparency-style Merkle tree
//! (RFC 9162) with Ed25519-signed tree heads, so anyone can check that an entry is in the log
//! and that the log only ever grew. Pure: encodings, tree hashing, proofs and their checks;
//! storing nodes and serving proofs belong to `duban-store` and `duban-web`.
//!
//! **A leaf** is one ledger entry. Its *entry bytes* ([`LeafEntry::encode`]) carry the
//! entry's public fields and a salted commitment to the entry's hash recomputed from the whole
//! row (so editing any stored field — even one not shown — changes the leaf, while the hidden
//! fields cannot be guessed from it), in this length-prefixed layout (each field as in
//! `ledger`: u64 big-endian length, then the bytes):
//!
//! ```text
//! "duban-leaf-v1\0"              14 bytes, no length
//! seq                            i64 big-endian
//! at_us                          i64 big-endian, microseconds since the Unix epoch
//! action                         UTF-8
//! object_type                    UTF-8
//! object_id                      i64 big-endian, or empty
//! commitment                     32 bytes: SHA-256("duban-leaf-commit-v1\0" ‖ salt ‖
//!                                  ledger::entry_hash(prev_hash, row) as 32 bytes)
//! ```
//!
//! The salt ([`leaf_salt`]) is derived from a random secret kept in the database and the
//! seq: without it, the hash of an entry whose hidden part is small (an actor id, `null`
//! bodies) could be found by trying every value. It is shown only with public entries.
//!
//! The leaf at index `seq - 1` has the hash `SHA-256(0x00 || entry bytes)`.

pub mod log_key;
pub mod merkle;
pub mod sth;
#[cfg(test)]
mod tests;

use crate::ledger::{Entry, entry_hash};
pub use merkle::{Hash, leaf_hash};
pub use sth::{SignedTreeHead, SigningKey, TreeHead, VerifyingKey};

/// The first bytes of every leaf's entry bytes (the encoding's version).
pub const LEAF_TAG: &[u8] = b"duban-leaf-v1\0";

/// Object types whose entries are shown whole (actor, before and after) to anyone: the signed
/// versions of commitments, whose text is public by nature. Everything else in the ledger is
/// internal and shown only as its leaf.
pub const PUBLIC_OBJECT_TYPES: &[&str] = &["commitment_version"];

/// Whether entries about `object_type` may be shown whole to the public.
pub fn is_public_object(object_type: &str) -> bool {
    PUBLIC_OBJECT_TYPES.contains(&object_type)
}

/// The content of a leaf: what anyone may see of a ledger entry, bound to the entry's
/// full hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeafEntry {
    pub seq: i64,
    pub at_us: i64,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i64>,
    /// The salted commitment to the ledger hash recomputed from every field of the row.
    pub commitment: Hash,
}

/// Entry bytes that are not a leaf of this log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the entry bytes are not a duban leaf (v1): {0}")]
pub struct MalformedLeaf(&'static str);

impl LeafEntry {
    /// The leaf of a stored ledger row, with the row's salt. The entry hash is recomputed
    /// from the row, not copied from its `hash` column, so a row edited in place gets a
    /// different leaf.
    pub fn from_entry(e: &Entry, salt: &Hash) -> LeafEntry {
        LeafEntry {
            seq: e.seq,
            at_us: e.at_us,
            action: e.action.clone(),
            object_type: e.object_type.clone(),
            object_id: e.object_id,
            commitment: commitment(salt, &entry_hash(&e.prev_hash, e)),
        }
    }

    /// The entry bytes (see the module comment).
    pub fn encode(&self) -> Vec<u8> {
        let mut b = LEAF_TAG.to_vec();
        field(&mut b, &self.seq.to_be_bytes());
        field(&mut b, &self.at_us.to_be_bytes());
        field(&mut b, self.action.as_bytes());
        field(&mut b, self.object_type.as_bytes());
        match self.object_id {
            Some(id) => field(&mut b, &id.to_be_bytes()),
            None => field(&mut b, b""),
        }
        field(&mut b, &self.commitment);
        b
    }

    /// Reads entry bytes back; refuses anything [`encode`](Self::encode) would not write.
    pub fn decode(bytes: &[u8]) -> Result<LeafEntry, MalformedLeaf> {
        let mut rest = bytes
            .strip_prefix(LEAF_TAG)
            .ok_or(MalformedLeaf("wrong tag"))?;
        let mut next = || -> Result<&[u8], MalformedLeaf> {
            let (len, tail) = rest
                .split_first_chunk::<8>()
                .ok_or(MalformedLeaf("truncated"))?;
            let len =
                usize::try_from(u64::from_be_bytes(*len)).map_err(|_| MalformedLeaf("length"))?;
            if tail.len() < len {
                return Err(MalformedLeaf("truncated"));
            }
            let (f, tail) = tail.split_at(len);
            rest = tail;
            Ok(f)
        };
        let int = |f: &[u8]| -> Result<i64, MalformedLeaf> {
            Ok(i64::from_be_bytes(
                f.try_into().map_err(|_| MalformedLeaf("integer"))?,
            ))
        };
        let text = |f: &[u8]| -> Result<String, MalformedLeaf> {
            String::from_utf8(f.to_vec()).map_err(|_| MalformedLeaf("text"))
        };
        let seq = int(next()?)?;
        let at_us = int(next()?)?;
        let action = text(next()?)?;
        let object_type = text(next()?)?;
        let object_id = match next()? {
            [] => None,
            f => Some(int(f)?),
        };
        let commitment: Hash = next()?
            .try_into()
            .map_err(|_| MalformedLeaf("commitment"))?;
        if !rest.is_empty() {
            return Err(MalformedLeaf("trailing bytes"));
        }
        Ok(LeafEntry {
            seq,
            at_us,
            action,
            object_type,
            object_id,
            commitment,
        })
    }

    /// This leaf's index in the tree.
    pub fn index(&self) -> Option<u64> {
        u64::try_from(self.seq - 1).ok()
    }
}

/// The salt of entry `seq`'s leaf: SHA-256("duban-leaf-salt-v1\0" ‖ secret ‖ seq as i64
/// big-endian), `secret` being the log's 32 random bytes (`tree_secret`).
pub fn leaf_salt(secret: &Hash, seq: i64) -> Hash {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"duban-leaf-salt-v1\0");
    h.update(secret);
    h.update(seq.to_be_bytes());
    h.finalize().into()
}

/// The salted commitment to an entry hash (64 hex digits, as the ledger stores it):
/// SHA-256("duban-leaf-commit-v1\0" ‖ salt ‖ the hash's 32 bytes). A verifier given a
/// public entry's fields and salt recomputes it.
pub fn commitment(salt: &Hash, entry_hash_hex: &str) -> Hash {
    use sha2::{Digest, Sha256};
    let mut raw = [0u8; 32];
    hex::decode_to_slice(entry_hash_hex, &mut raw).expect("entry_hash is 64 hex digits");
    let mut h = Sha256::new();
    h.update(b"duban-leaf-commit-v1\0");
    h.update(salt);
    h.update(raw);
    h.finalize().into()
}

fn field(b: &mut Vec<u8>, bytes: &[u8]) {
    b.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
    b.extend_from_slice(bytes);
}

/// An inclusion proof as served: the leaf's index, the size of the tree it is proved
/// against and the audit path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InclusionProof {
    pub leaf_index: u64,
    pub tree_size: u64,
    pub path: Vec<Hash>,
}

/// Why an entry could not be shown to be in a signed log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("the tree head's signature is not valid for this public key")]
    BadSignature,
    #[error(transparent)]
    MalformedLeaf(#[from] MalformedLeaf),
    #[error("the proof is for a tree of {proof} entries but the tree head has {head}")]
    WrongTreeSize { proof: u64, head: u64 },
    #[error("the entry bytes are entry {seq}, but the proof is for leaf index {index}")]
    WrongLeaf { seq: i64, index: u64 },
    #[error(
        "entry {seq} is NOT in the signed tree: its leaf and audit path do not lead to the signed root (the entry was changed, or the proof is wrong)"
    )]
    NotIncluded { seq: i64 },
    #[error("the two tree heads are not consistent: the log was rewritten between them")]
    Inconsistent,
}

/// Checks that `leaf_bytes` is entry `proof.leaf_index + 1` of the log whose signed tree
/// head is `sth`: the signature by `public_key`, the leaf's position, and the audit path up
/// to the signed root. Returns the leaf's public content. This is what `duban verify --url`
/// runs, and what a check of one commitment builds on.
pub fn verify_inclusion(
    leaf_bytes: &[u8],
    proof: &InclusionProof,
    sth: &SignedTreeHead,
    public_key: &VerifyingKey,
) -> Result<LeafEntry, ProofError> {
    if !sth.signature_valid(public_key) {
        return Err(ProofError::BadSignature);
    }
    let leaf = LeafEntry::decode(leaf_bytes)?;
    if proof.tree_size != sth.head.tree_size {
        return Err(ProofError::WrongTreeSize {
            proof: proof.tree_size,
            head: sth.head.tree_size,
        });
    }
    if leaf.index() != Some(proof.leaf_index) {
        return Err(ProofError::WrongLeaf {
            seq: leaf.seq,
            index: proof.leaf_index,
        });
    }
    let ok = merkle::verify_inclusion_path(
        &leaf_hash(leaf_bytes),
        proof.leaf_index,
        proof.tree_size,
        &proof.path,
        &sth.head.root_hash,
    );
    if !ok {
        return Err(ProofError::NotIncluded { seq: leaf.seq });
    }
    Ok(leaf)
}

/// Checks two signed tree heads of one log and the consistency proof between them.
pub fn verify_consistency(
    first: &SignedTreeHead,
    second: &SignedTreeHead,
    proof: &[Hash],
    public_key: &VerifyingKey,
) -> Result<(), ProofError> {
    if !first.signature_valid(public_key) || !second.signature_valid(public_key) {
        return Err(ProofError::BadSignature);
    }
    let ok = merkle::verify_consistency(
        first.head.tree_size,
        second.head.tree_size,
        &first.head.root_hash,
        &second.head.root_hash,
        proof,
    );
    if ok {
        Ok(())
    } else {
        Err(ProofError::Inconsistent)
    }
}
