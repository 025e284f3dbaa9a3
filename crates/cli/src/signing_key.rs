//! The transparency log's Ed25519 key pair: from `transparency.key` (the PEM text, e.g. in
//! `DUBAN_TRANSPARENCY__KEY`) or a PKCS #8 PEM file (`transparency.key_file`, by default in
//! the data directory). Never stored in the database; only its public half is, recorded when
//! the log is first signed, so that every node on one database can be held to the same key.
//!
//! A node that has no key creates the file (0600) only while the database has no recorded
//! key; otherwise, and when its key is not the recorded one, it refuses to start and says
//! which setting to give the original key in.

use crate::config::Config;
use anyhow::{Context, bail};
use duban_core::transparency::log_key::RecordedKey;
use duban_core::transparency::sth::{key_id, parse_private_key, parse_public_key, private_key_pem};
use duban_core::transparency::{SigningKey, VerifyingKey};
use duban_store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where a configured key came from, for messages.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// `transparency.key` (or `DUBAN_TRANSPARENCY__KEY`).
    Setting,
    /// A PEM file (`transparency.key_file`, or the default in the data directory).
    File(PathBuf),
}

impl std::fmt::Display for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::Setting => f.write_str("transparency.key"),
            KeySource::File(p) => write!(f, "the key file {}", p.display()),
        }
    }
}

/// The configured signing key: `transparency.key` when set, else the key file when it
/// exists; `None` when neither.
pub fn configured(config: &Config) -> anyhow::Result<Option<(SigningKey, KeySource)>> {
    let setting = &config.transparency.key;
    if setting.is_set() {
        let key = parse_private_key(setting.expose())
            .map_err(|e| anyhow::anyhow!("transparency.key is not an Ed25519 private key: {e}"))?;
        return Ok(Some((key, KeySource::Setting)));
    }
    let path = config.transparency_key_file();
    if !path.exists() {
        return Ok(None);
    }
    Ok(Some((load(&path)?, KeySource::File(path))))
}

/// The key a serving node signs with: the configured one, held to the key recorded in the
/// database (recording it when there is none). Without a configured key one is created in
/// the key file — only while the database has no recorded key, so a node never quietly
/// starts a second key for a log that has one.
pub async fn for_serving(
    config: &Config,
    store: &Store,
    now: jiff::Timestamp,
) -> anyhow::Result<SigningKey> {
    let (key, source) = match configured(config)? {
        Some(k) => k,
        None => {
            let recorded = recorded(store).await?;
            if let Some(id) = recorded.key_id() {
                bail!("{}", no_key_message(config, &id));
            }
            let path = config.transparency_key_file();
            (create(&path)?, KeySource::File(path))
        }
    };
    let log_key = duban_web::transparency::LogKey::new(key.clone());
    match duban_web::transparency::admit_key(store, &log_key, now).await {
        Ok(()) => Ok(key),
        Err(duban_web::transparency::SignError::OtherKey(m)) => {
            bail!("{}", mismatch_message(config, &source, &m.log, &m.ours))
        }
        Err(duban_web::transparency::SignError::Store(e)) => {
            Err(e).context("could not read the transparency log's recorded key")
        }
    }
}

async fn recorded(store: &Store) -> anyhow::Result<RecordedKey> {
    let mut tx = store
        .begin_read()
        .await
        .context("could not read the database")?;
    duban_store::transparency::recorded_key(&mut tx)
        .await
        .context("could not read the transparency log's recorded key")
}

/// How to give every node the same key: said by both refusals.
fn how_to_fix(config: &Config) -> String {
    format!(
        "Every duban process on one database must sign with the same key. Copy the original \
         private key — the file transparency-ed25519.pem in the data directory of the node \
         that first published (or what transparency.key / transparency.key_file is set to \
         there) — to this node: either set transparency.key to its PEM text (e.g. \
         DUBAN_TRANSPARENCY__KEY=\"$(cat transparency-ed25519.pem)\") or point \
         transparency.key_file at a copy of the file (here: {}). Its public key is at \
         /transparency/public-key on a running node; `openssl pkey -in KEY -pubout` shows a \
         file's.",
        config.transparency_key_file().display()
    )
}

fn no_key_message(config: &Config, log: &[u8; 32]) -> String {
    format!(
        "this node has no transparency signing key (transparency.key is empty and {} does not \
         exist), but the transparency log in this database is already signed with key id {}; \
         duban will not create a second key for it. {}",
        config.transparency_key_file().display(),
        hex::encode(log),
        how_to_fix(config)
    )
}

fn mismatch_message(
    config: &Config,
    source: &KeySource,
    log: &[u8; 32],
    ours: &[u8; 32],
) -> String {
    format!(
        "this node's transparency signing key ({source}, key id {}) is not the key the \
         transparency log in this database is signed with (key id {}), so its tree heads \
         would not verify. {}",
        hex::encode(ours),
        hex::encode(log),
        how_to_fix(config)
    )
}

/// Creates a new key file (and its directory), readable by its owner only. Another process
/// creating it at the same moment wins, and its key is read.
fn create(path: &Path) -> anyhow::Result<SigningKey> {
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
    tracing::info!(path = %path.display(), tlog.key_id = %hex::encode(key_id(&key.verifying_key())), "created the transparency log's signing key");
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

/// The public key `duban verify` checks with: from a public key file (PEM or base64) when
/// given, else the public half of the configured key; `None` when neither exists (the caller
/// may then fall back to the key recorded in the database).
pub fn public_key(config: &Config, public: Option<&Path>) -> anyhow::Result<Option<VerifyingKey>> {
    if let Some(p) = public {
        return read_public(p).map(Some);
    }
    Ok(configured(config)?.map(|(k, _)| k.verifying_key()))
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
