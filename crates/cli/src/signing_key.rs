//! The transparency log's Ed25519 key pair: a PKCS #8 PEM file (see `transparency.key_file`),
//! created on the first start with permissions 0600 and never stored in the database.

use anyhow::{Context, bail};
use duban_core::transparency::sth::{parse_private_key, parse_public_key, private_key_pem};
use duban_core::transparency::{SigningKey, VerifyingKey};
use std::io::Write;
use std::path::Path;

/// Reads the key, creating it (and its directory) when there is none yet.
pub fn load_or_create(path: &Path) -> anyhow::Result<SigningKey> {
    if path.exists() {
        return load(path);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("could not create the directory {}", dir.display()))?;
    }
    let key = SigningKey::from_bytes(&rand::random::<[u8; 32]>());
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = match options.open(path) {
        Ok(f) => f,
        // Another process created it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return load(path),
        Err(e) => {
            return Err(e)
                .with_context(|| format!("could not create the signing key {}", path.display()));
        }
    };
    file.write_all(private_key_pem(&key).as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("could not write the signing key {}", path.display()))?;
    tracing::info!(path = %path.display(), "created the transparency log's signing key");
    Ok(key)
}

/// Reads an existing signing key.
pub fn load(path: &Path) -> anyhow::Result<SigningKey> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("could not read the signing key {}", path.display()))?;
    match parse_private_key(&text) {
        Ok(k) => Ok(k),
        Err(e) => bail!("{} is not an Ed25519 private key: {e}", path.display()),
    }
}

/// The public key for checking: from a public key file (PEM or base64) when given, else the
/// public half of the signing key file; `None` when neither exists.
pub fn public_key(
    signing_key: &Path,
    public: Option<&Path>,
) -> anyhow::Result<Option<VerifyingKey>> {
    if let Some(p) = public {
        return read_public(p).map(Some);
    }
    if !signing_key.exists() {
        return Ok(None);
    }
    Ok(Some(load(signing_key)?.verifying_key()))
}

/// Reads a public key file (PEM SubjectPublicKeyInfo, or base64 of the 32 bytes).
pub fn read_public(path: &Path) -> anyhow::Result<VerifyingKey> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("could not read the public key {}", path.display()))?;
    match parse_public_key(&text) {
        Ok(k) => Ok(k),
        Err(e) => bail!("{} is not an Ed25519 public key: {e}", path.display()),
    }
}
