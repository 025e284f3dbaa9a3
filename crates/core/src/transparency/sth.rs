//! Signed tree heads and their Ed25519 keys.
//!
//! The signature covers the bytes of RFC 9162's `TreeHeadDataV2` (§4.9) with no extensions:
//!
//! ```text
//! timestamp  u64 big-endian, milliseconds since the Unix epoch
//! tree_size  u64 big-endian
//! 0x20       length of the root hash
//! root_hash  32 bytes
//! 0x00 0x00  length of sth_extensions (none)
//! ```
//!
//! Keys travel in the standard forms OpenSSL reads (RFC 8410): the public key as a PEM
//! `SubjectPublicKeyInfo`, the private key as a PEM PKCS #8 `PrivateKeyInfo`. Key ids are
//! SHA-256 of the public key's DER, as CT's log ids are.

use super::merkle::Hash;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
pub use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use ed25519_dalek::{Signer, Verifier};
use sha2::{Digest, Sha256};

/// What a signed tree head asserts: the log had `tree_size` entries with this root at
/// `timestamp_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeHead {
    pub tree_size: u64,
    /// Milliseconds since the Unix epoch.
    pub timestamp_ms: u64,
    pub root_hash: Hash,
}

/// Whether a new head is due now. The log's promise: an entry is in a signed head within
/// `interval_ms` of the newest head, or at the next run when that head is older already; so
/// a head is due when the ledger holds entries the newest head does not cover and that head
/// is at least `interval_ms` old (or there is none). An idle log gets no new heads, however
/// old the newest is. Times are milliseconds since the Unix epoch.
pub fn head_due(
    latest: Option<&TreeHead>,
    ledger_size: u64,
    now_ms: u64,
    interval_ms: u64,
) -> bool {
    match latest {
        None => ledger_size > 0,
        Some(h) => {
            ledger_size > h.tree_size && now_ms.saturating_sub(h.timestamp_ms) >= interval_ms
        }
    }
}

/// A tree head with the log's Ed25519 signature over [`TreeHead::signed_bytes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedTreeHead {
    pub head: TreeHead,
    pub signature: [u8; 64],
}

impl TreeHead {
    /// RFC 9162 `TreeHeadDataV2` without extensions (see the module comment).
    pub fn signed_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(8 + 8 + 1 + 32 + 2);
        b.extend_from_slice(&self.timestamp_ms.to_be_bytes());
        b.extend_from_slice(&self.tree_size.to_be_bytes());
        b.push(32);
        b.extend_from_slice(&self.root_hash);
        b.extend_from_slice(&[0, 0]);
        b
    }

    pub fn sign(self, key: &SigningKey) -> SignedTreeHead {
        SignedTreeHead {
            head: self,
            signature: key.sign(&self.signed_bytes()).to_bytes(),
        }
    }
}

impl SignedTreeHead {
    /// Whether `key` made the signature over this head.
    pub fn signature_valid(&self, key: &VerifyingKey) -> bool {
        key.verify(
            &self.head.signed_bytes(),
            &Signature::from_bytes(&self.signature),
        )
        .is_ok()
    }
}

const SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];
const PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/// The public key's DER `SubjectPublicKeyInfo` (RFC 8410).
pub fn public_key_der(key: &VerifyingKey) -> Vec<u8> {
    [SPKI_PREFIX.as_slice(), key.as_bytes()].concat()
}

/// SHA-256 of the public key's DER: names the key, like a CT log id.
pub fn key_id(key: &VerifyingKey) -> Hash {
    Sha256::digest(public_key_der(key)).into()
}

/// `-----BEGIN PUBLIC KEY-----` PEM (OpenSSL: `openssl pkey -pubin -in key.pem -text`).
pub fn public_key_pem(key: &VerifyingKey) -> String {
    pem("PUBLIC KEY", &public_key_der(key))
}

/// `-----BEGIN PRIVATE KEY-----` PKCS #8 PEM of the signing key.
pub fn private_key_pem(key: &SigningKey) -> String {
    pem(
        "PRIVATE KEY",
        &[PKCS8_PREFIX.as_slice(), key.as_bytes()].concat(),
    )
}

/// Why a key could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("not a PEM {0} block")]
    NotPem(&'static str),
    #[error("not an Ed25519 key")]
    NotEd25519,
}

/// Reads a public key from its PEM (as served at `/transparency/public-key`), or from the
/// base64 of its 32 raw bytes (as in the tree head JSON).
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, KeyError> {
    let text = text.trim();
    let bytes: Vec<u8> = if text.starts_with("-----BEGIN") {
        let der = unpem("PUBLIC KEY", text)?;
        der.strip_prefix(SPKI_PREFIX.as_slice())
            .ok_or(KeyError::NotEd25519)?
            .to_vec()
    } else {
        STANDARD.decode(text).map_err(|_| KeyError::NotEd25519)?
    };
    let raw: [u8; 32] = bytes.try_into().map_err(|_| KeyError::NotEd25519)?;
    VerifyingKey::from_bytes(&raw).map_err(|_| KeyError::NotEd25519)
}

/// Reads a signing key from its PKCS #8 PEM.
pub fn parse_private_key(text: &str) -> Result<SigningKey, KeyError> {
    let der = unpem("PRIVATE KEY", text.trim())?;
    let seed: [u8; 32] = der
        .strip_prefix(PKCS8_PREFIX.as_slice())
        .and_then(|s| s.try_into().ok())
        .ok_or(KeyError::NotEd25519)?;
    Ok(SigningKey::from_bytes(&seed))
}

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn unpem(label: &'static str, text: &str) -> Result<Vec<u8>, KeyError> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let body = text
        .strip_prefix(begin.as_str())
        .and_then(|t| t.trim_end().strip_suffix(end.as_str()))
        .ok_or(KeyError::NotPem(label))?;
    let b64: String = body.split_whitespace().collect();
    STANDARD.decode(b64).map_err(|_| KeyError::NotPem(label))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(tree_size: u64, timestamp_ms: u64) -> TreeHead {
        TreeHead {
            tree_size,
            timestamp_ms,
            root_hash: [0; 32],
        }
    }

    const MIN: u64 = 60_000;

    #[test]
    fn a_head_is_due_once_the_ledger_grew_and_the_newest_head_is_an_interval_old() {
        let h = head(10, 100 * MIN);
        for (size, now, due) in [
            (10, 100 * MIN, false),
            (10, 105 * MIN, false),
            (10, 1000 * MIN, false), // idle: no head however long
            (11, 101 * MIN, false),  // grown, but the newest head is a minute old
            (11, 105 * MIN - 1, false),
            (11, 105 * MIN, true),
            (11, 1000 * MIN, true),
            (9, 1000 * MIN, false), // fewer entries than signed: never a smaller head
        ] {
            assert_eq!(
                head_due(Some(&h), size, now, 5 * MIN),
                due,
                "{size} at {now}"
            );
        }
    }

    #[test]
    fn the_first_head_is_due_as_soon_as_there_is_an_entry() {
        assert!(head_due(None, 1, 0, 5 * MIN));
        assert!(!head_due(None, 0, 0, 5 * MIN));
    }

    #[test]
    fn a_clock_behind_the_newest_head_waits() {
        assert!(!head_due(Some(&head(10, 100 * MIN)), 11, 90 * MIN, 5 * MIN));
    }
}
