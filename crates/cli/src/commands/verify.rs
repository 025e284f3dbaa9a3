//! `duban verify`: check the audit ledger and its transparency log.
//!
//! Without `--url` it checks the database this installation is configured for: the hash
//! chain (`duban_store::ledger::verify`), then the transparency log
//! (`duban_store::transparency::check`) with the public half of the signing key. With
//! `--url` it checks one entry against a live server over HTTP, trusting nothing the server
//! says that it cannot prove: [`check_entry`] is the reusable part. With `--ledger-export`
//! it checks an exported range of the ledger (JSON lines) offline, with no database
//! ([`export`]).

mod export;

use crate::config::{Config, Db};
use anyhow::{Context, bail};
use duban_core::transparency::{LeafEntry, VerifyingKey, sth, verify_inclusion};
use duban_store::ledger::{self, Verified, VerifyError};
use duban_store::transparency::{self as tlog, LogError};
use duban_web::transparency::{EntryResponse, InclusionResponse, SthResponse};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Check one entry or one commitment on this live server (e.g.
    /// https://duban.example.gov.cn) instead of the local database
    #[arg(long, value_name = "URL", requires = "what")]
    pub url: Option<String>,
    /// With --url: the ledger entry (sequence number) to check
    #[arg(long, value_name = "N", requires = "url", group = "what")]
    pub entry: Option<i64>,
    /// With --url: a published commitment (its id on the portal) — every signed version's
    /// text as shown must be the text in its signing entry, and that entry in the signed log
    #[arg(long, value_name = "N", requires = "url", group = "what")]
    pub commitment: Option<i64>,
    /// With --url: check against the signed tree head of this size [default: the newest]
    #[arg(long, value_name = "M", requires = "url")]
    pub sth_size: Option<u64>,
    /// The log's public key (PEM or base64) to trust. With --url the default is the key the
    /// server serves (compare its printed key id with one published elsewhere); offline the
    /// default is the public half of transparency.key_file
    #[arg(long, value_name = "FILE")]
    pub public_key: Option<PathBuf>,
    /// Check a ledger export (JSON lines, from the ledger page or GET /api/v1/ledger/export.jsonl)
    /// offline instead: every line's hash, and the chain wherever seqs are consecutive
    #[arg(long, value_name = "FILE.jsonl", conflicts_with_all = ["url", "public_key"])]
    pub ledger_export: Option<PathBuf>,
}

pub async fn run(config: &Config, args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    if let Some(file) = &args.ledger_export {
        return export::run(file);
    }
    if let (Some(url), Some(seq)) = (&args.url, args.entry) {
        return remote(url, seq, args).await;
    }
    if let (Some(url), Some(id)) = (&args.url, args.commitment) {
        return remote_commitment(url, id, args).await;
    }
    local(config, args).await
}

async fn local(config: &Config, args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let target = config.database(Db::Main);
    // Verifying must not create an empty database where none was.
    if let Some(file) = target.default_file_missing() {
        bail!(
            "there is no database at {}: nothing to verify (check --data-dir)",
            file.display()
        );
    }
    let key_file = config.transparency_key_file();
    let configured = crate::signing_key::public_key(config, args.public_key.as_deref())?;
    let store = super::connect(config, &target).await?;
    // Without a key of its own (a node configured by environment, an auditor's copy of the
    // database), the check uses the public key recorded in the database, and says so.
    let key = match configured {
        Some(k) => Some(k),
        None => recorded_public_key(&store).await?,
    };
    let chain = ledger::verify(&store).await;
    let hint = format!(
        "set transparency.key or transparency.key_file ({}), or pass --public-key",
        key_file.display()
    );
    let log = tlog::check(&store, key.as_ref(), &hint).await;
    let signed = {
        let mut tx = store
            .begin_read()
            .await
            .context("could not read the database")?;
        duban_store::commitments::check_signed(&mut tx)
            .await
            .context("could not read the signed commitments")?
    };
    store.close().await;
    let mut ok = true;
    match chain {
        Ok(Verified { entries, head }) => println!("ledger OK: {entries} entries, head {head}"),
        Err(VerifyError::Chain(e)) => {
            println!("ledger BROKEN at entry {}: {e}", e.seq());
            ok = false;
        }
        Err(e @ VerifyError::HeadMismatch { .. }) => {
            println!("ledger BROKEN: {e}");
            ok = false;
        }
        Err(VerifyError::Store(e)) => return Err(e).context("could not read the ledger"),
    }
    match log {
        Ok(v) => println!(
            "transparency log OK: {} leaves, {} signed tree heads (newest of {} entries){}",
            v.entries,
            v.tree_heads,
            v.signed_size,
            key.map(|k| format!(", key id {}", hex::encode(sth::key_id(&k))))
                .unwrap_or_default()
        ),
        Err(LogError::Store(e)) => return Err(e).context("could not read the transparency log"),
        Err(e) => {
            match e.seq() {
                Some(seq) => println!("transparency log BROKEN at entry {seq}: {e}"),
                None => println!("transparency log BROKEN: {e}"),
            }
            ok = false;
        }
    }
    match signed {
        (n, bad) if bad.is_empty() => {
            println!("commitments OK: {n} signed versions match their signing entries")
        }
        (_, bad) => {
            for m in bad {
                match m.seq {
                    Some(seq) => println!(
                        "commitment {} BROKEN: version {} differs from what was signed (entry {seq})",
                        m.commitment_id, m.number
                    ),
                    None => println!(
                        "commitment {} BROKEN: version {} has no signing entry",
                        m.commitment_id, m.number
                    ),
                }
            }
            ok = false;
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The public key recorded in the database, announced when used.
async fn recorded_public_key(store: &duban_store::Store) -> anyhow::Result<Option<VerifyingKey>> {
    let mut tx = store
        .begin_read()
        .await
        .context("could not read the database")?;
    let recorded = tlog::recorded_key(&mut tx)
        .await
        .context("could not read the transparency log's recorded key")?;
    Ok(match recorded {
        duban_core::transparency::log_key::RecordedKey::Key(k) => {
            println!(
                "no transparency key configured: checking with the public key recorded in the database"
            );
            Some(k)
        }
        _ => None,
    })
}

/// What a remote check established.
#[derive(Debug)]
pub struct EntryChecked {
    pub leaf: LeafEntry,
    pub sth: SthResponse,
    pub key: VerifyingKey,
}

async fn remote(url: &str, seq: i64, args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let pinned = match &args.public_key {
        Some(p) => Some(crate::signing_key::read_public(p)?),
        None => None,
    };
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .context("could not set up the HTTP client")?;
    match check_entry(&http, url, seq, args.sth_size, pinned).await? {
        Ok(c) => {
            let at = jiff::Timestamp::from_microsecond(c.leaf.at_us)
                .map(|t| t.to_string())
                .unwrap_or_default();
            let signed = jiff::Timestamp::from_millisecond(c.sth.timestamp as i64)
                .map(|t| t.to_string())
                .unwrap_or_default();
            println!(
                "entry {seq} OK: {} on {} {} at {at} is in the signed tree of {} entries (signed {signed}, key id {})",
                c.leaf.action,
                c.leaf.object_type,
                c.leaf.object_id.map(|i| i.to_string()).unwrap_or_default(),
                c.sth.tree_size,
                hex::encode(sth::key_id(&c.key)),
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(Unproven::NotYetSigned(why)) => {
            println!("{why}");
            Ok(ExitCode::from(NOT_YET_SIGNED))
        }
        Err(Unproven::Failed(problem)) => {
            println!("entry {seq} FAILED: {problem}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// The exit code when the entry exists but no signed tree head covers it yet: not a
/// failure of the log, so a script can tell "try again later" from "tampered".
pub const NOT_YET_SIGNED: u8 = 3;

/// Why an entry could not be proved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unproven {
    /// A check failed: what the server sent does not prove the entry.
    Failed(String),
    /// The entry is newer than the newest signed head (or there is none yet); the message
    /// says which entries the newest head covers and when the next is due.
    NotYetSigned(String),
}

impl std::fmt::Display for Unproven {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unproven::Failed(s) | Unproven::NotYetSigned(s) => f.write_str(s),
        }
    }
}

impl From<String> for Unproven {
    fn from(s: String) -> Self {
        Unproven::Failed(s)
    }
}

impl From<&str> for Unproven {
    fn from(s: &str) -> Self {
        Unproven::Failed(s.to_string())
    }
}

/// A signed version as the portal shows it.
#[derive(Debug, serde::Deserialize)]
struct ShownVersion {
    number: i64,
    signed_json: String,
    ledger_seq: Option<i64>,
}

#[derive(Debug, serde::Deserialize)]
struct ShownCommitment {
    versions: Vec<ShownVersion>,
}

async fn remote_commitment(url: &str, id: i64, args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let pinned = match &args.public_key {
        Some(p) => Some(crate::signing_key::read_public(p)?),
        None => None,
    };
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .context("could not set up the HTTP client")?;
    let base = url.trim_end_matches('/');
    let shown: ShownCommitment =
        get_json(&http, &format!("{base}/public/data/commitments/{id}.json")).await?;
    if shown.versions.is_empty() {
        println!("commitment {id} FAILED: the portal shows no signed version");
        return Ok(ExitCode::FAILURE);
    }
    let mut ok = true;
    for v in &shown.versions {
        match check_version(&http, base, v, args.sth_size, pinned).await? {
            Ok(seq) => println!(
                "commitment {id} version {} OK: the text shown is the text signed (entry {seq} in the signed log)",
                v.number
            ),
            Err(problem) => {
                println!("commitment {id} version {} FAILED: {problem}", v.number);
                ok = false;
            }
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// One shown version against its signing entry: the entry is in the signed log, its public
/// fields recompute the leaf's commitment, and its signed text is byte for byte the shown one.
async fn check_version(
    http: &reqwest::Client,
    base: &str,
    v: &ShownVersion,
    sth_size: Option<u64>,
    pinned: Option<VerifyingKey>,
) -> anyhow::Result<Result<i64, String>> {
    let Some(seq) = v.ledger_seq else {
        return Ok(Err("no signing entry is named for it".into()));
    };
    let checked = match check_entry(http, base, seq, sth_size, pinned).await? {
        Ok(c) => c,
        Err(problem) => return Ok(Err(format!("entry {seq}: {problem}"))),
    };
    if (
        checked.leaf.action.as_str(),
        checked.leaf.object_type.as_str(),
    ) != ("commitment.sign", "commitment_version")
    {
        return Ok(Err(format!("entry {seq} is not a commitment's signing")));
    }
    let entry: EntryResponse =
        get_json(http, &format!("{base}/api/v1/transparency/entries/{seq}")).await?;
    let Some(d) = entry.detail else {
        return Ok(Err(format!("entry {seq} is not shown whole")));
    };
    use base64::Engine;
    let Ok(salt) = base64::engine::general_purpose::STANDARD.decode(&d.salt) else {
        return Ok(Err("the entry's salt is not base64".into()));
    };
    let Ok(salt): Result<[u8; 32], _> = salt.try_into() else {
        return Ok(Err("the entry's salt is not 32 bytes".into()));
    };
    let e = duban_core::ledger::Entry {
        seq,
        at_us: checked.leaf.at_us,
        actor: d.actor_id,
        action: checked.leaf.action.clone(),
        object_type: checked.leaf.object_type.clone(),
        object_id: checked.leaf.object_id,
        before: d.before.clone(),
        after: d.after.clone(),
        prev_hash: d.prev_hash.clone(),
        hash: String::new(),
    };
    let hash = duban_core::ledger::entry_hash(&d.prev_hash, &e);
    if duban_core::transparency::commitment(&salt, &hash) != checked.leaf.commitment {
        return Ok(Err(format!(
            "entry {seq}'s shown fields do not hash to what its leaf commits to"
        )));
    }
    if d.after != v.signed_json {
        return Ok(Err(format!(
            "the text shown differs from the text signed in entry {seq}"
        )));
    }
    Ok(Ok(seq))
}

/// Checks entry `seq` on the server at `base`: fetches the signed tree head (of `sth_size`
/// entries, or the newest), the public key (unless `pinned`), the entry's leaf bytes and
/// its inclusion proof, and verifies the signature and the proof locally. The outer error is
/// a failure to talk to the server; the inner one is a check that failed, or an entry that
/// no signed head covers yet.
pub async fn check_entry(
    http: &reqwest::Client,
    base: &str,
    seq: i64,
    sth_size: Option<u64>,
    pinned: Option<VerifyingKey>,
) -> anyhow::Result<Result<EntryChecked, Unproven>> {
    let base = base.trim_end_matches('/');
    if seq < 1 {
        return Ok(Err("entries are numbered from 1".into()));
    }
    let sth: SthResponse = match sth_size {
        Some(m) => match get_found(http, &format!("{base}/api/v1/transparency/sth/{m}")).await? {
            Some(sth) => sth,
            None => {
                return Ok(Err(format!(
                    "the server has no signed tree head of {m} entries"
                )
                .into()));
            }
        },
        None => match get_found(http, &format!("{base}/api/v1/transparency/sth")).await? {
            Some(sth) => sth,
            None => {
                return Ok(Err(Unproven::NotYetSigned(format!(
                    "entry {seq} is not yet in a signed head: the server has published none yet"
                ))));
            }
        },
    };
    let key = match pinned {
        Some(k) => k,
        None => {
            let pem = get_text(http, &format!("{base}/transparency/public-key")).await?;
            match sth::parse_public_key(&pem) {
                Ok(k) => k,
                Err(e) => {
                    return Ok(Err(
                        format!("the server's public key is not usable: {e}").into()
                    ));
                }
            }
        }
    };
    match sth::parse_public_key(&sth.public_key) {
        Ok(k) if k == key => {}
        _ => {
            return Ok(Err(
                "the tree head names a different public key than the one trusted".into(),
            ));
        }
    }
    let signed = match sth.signed() {
        Ok(s) => s,
        Err(e) => return Ok(Err(format!("the tree head is malformed: {e}").into())),
    };
    if seq as u64 > sth.tree_size {
        // Only a head signed by the trusted key may say what is not signed yet.
        if !signed.signature_valid(&key) {
            return Ok(Err("the tree head's signature does not verify".into()));
        }
        let Some(entry) =
            get_found::<EntryResponse>(http, &format!("{base}/api/v1/transparency/entries/{seq}"))
                .await?
        else {
            return Ok(Err(format!(
                "there is no entry {seq} on this server (its newest signed head covers entries 1–{})",
                sth.tree_size
            )
            .into()));
        };
        if sth_size.is_some() {
            return Ok(Err(format!(
                "entry {seq} is newer than the signed tree of {} entries asked for with --sth-size: choose a later head or leave --sth-size out",
                sth.tree_size
            )
            .into()));
        }
        return Ok(Err(Unproven::NotYetSigned(not_yet_signed(
            seq, &sth, &entry.at,
        ))));
    }
    let entry: EntryResponse =
        get_json(http, &format!("{base}/api/v1/transparency/entries/{seq}")).await?;
    let proof: InclusionResponse = get_json(
        http,
        &format!(
            "{base}/api/v1/transparency/proof/inclusion?seq={seq}&tree_size={}",
            sth.tree_size
        ),
    )
    .await?;
    let proof = match proof.proof() {
        Ok(p) => p,
        Err(e) => return Ok(Err(format!("the inclusion proof is malformed: {e}").into())),
    };
    use base64::Engine;
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&entry.leaf_input) else {
        return Ok(Err("the entry's leaf_input is not base64".into()));
    };
    let leaf = match verify_inclusion(&bytes, &proof, &signed, &key) {
        Ok(leaf) => leaf,
        Err(e) => return Ok(Err(e.to_string().into())),
    };
    if leaf.seq != seq {
        return Ok(Err(
            format!("the server sent entry {} instead", leaf.seq).into()
        ));
    }
    // The decoded fields are a convenience; they must say what the signed bytes say.
    if (&leaf.action, &leaf.object_type, leaf.object_id)
        != (&entry.action, &entry.object_type, entry.object_id)
    {
        return Ok(Err(
            "the entry's shown fields differ from its signed leaf bytes".into(),
        ));
    }
    Ok(Ok(EntryChecked { leaf, sth, key }))
}

/// "entry N is not yet in a signed head: …", with the newest head's coverage and time and
/// when the next is due (the server states its publishing interval on the newest head).
fn not_yet_signed(seq: i64, sth: &SthResponse, entry_at: &str) -> String {
    let signed = jiff::Timestamp::from_millisecond(sth.timestamp as i64).ok();
    let shown = |t: Option<jiff::Timestamp>| {
        t.map(|t| t.round(jiff::Unit::Second).unwrap_or(t).to_string())
            .unwrap_or_else(|| "an unknown time".into())
    };
    let covered = match sth.tree_size {
        0 => "no entries".to_string(),
        1 => "entry 1".to_string(),
        n => format!("entries 1–{n}"),
    };
    let due = match (signed, sth.publish_interval_seconds) {
        (Some(t), Some(secs)) => {
            let due = t
                .checked_add(jiff::SignedDuration::from_secs(secs as i64))
                .ok();
            let written = entry_at.parse::<jiff::Timestamp>().ok();
            match (due, written) {
                (Some(due), Some(w)) if w > due => format!(
                    "the next was due at the server's next job run after the entry was written ({}); if this lasts, the server is not publishing heads",
                    shown(Some(w))
                ),
                (Some(due), _) => format!("the next is due by {}", shown(Some(due))),
                (None, _) => "the next comes when the server publishes one".into(),
            }
        }
        _ => "the next comes when the server publishes one".into(),
    };
    format!(
        "entry {seq} is not yet in a signed head: the newest head covers {covered}, signed at {}; {due}",
        shown(signed)
    )
}

/// `GET url` as JSON, `None` on 404.
async fn get_found<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    url: &str,
) -> anyhow::Result<Option<T>> {
    let res = http
        .get(url)
        .send()
        .await
        .with_context(|| format!("could not reach {url}"))?;
    if res.status() == reqwest::StatusCode::NOT_FOUND {
        return Ok(None);
    }
    check_status(url, res)
        .await?
        .json()
        .await
        .map(Some)
        .with_context(|| format!("{url} did not answer with the expected JSON"))
}

async fn get(http: &reqwest::Client, url: &str) -> anyhow::Result<reqwest::Response> {
    let res = http
        .get(url)
        .send()
        .await
        .with_context(|| format!("could not reach {url}"))?;
    check_status(url, res).await
}

/// The response if it succeeded, else an error with its status and the start of its body.
async fn check_status(url: &str, res: reqwest::Response) -> anyhow::Result<reqwest::Response> {
    let status = res.status();
    if !status.is_success() {
        let body = res.text().await.unwrap_or_default();
        bail!(
            "{url} answered {status}: {}",
            body.chars().take(300).collect::<String>()
        );
    }
    Ok(res)
}

async fn get_json<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    url: &str,
) -> anyhow::Result<T> {
    get(http, url)
        .await?
        .json()
        .await
        .with_context(|| format!("{url} did not answer with the expected JSON"))
}

async fn get_text(http: &reqwest::Client, url: &str) -> anyhow::Result<String> {
    get(http, url)
        .await?
        .text()
        .await
        .with_context(|| format!("could not read {url}"))
}
