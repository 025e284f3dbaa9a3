//! Settings: the one place that reads configuration files and environment variables.
//!
//! Layers, later wins: the embedded `default.toml` → `duban.toml` in the current directory (or
//! `--config PATH`) → `DUBAN_<SECTION>__<KEY>` variables (plus the `DUBAN_LOG` and
//! `DUBAN_LOG_FORMAT` shorthands) → `DATABASE_URL` → command-line flags. The result is parsed
//! once into [`Config`]; the crates below receive typed values such as
//! [`duban_web::WebConfig`], never the environment.

use anyhow::{Context, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

mod database_url;
mod secret;
#[cfg(test)]
mod tests;

pub use database_url::DatabaseUrl;
pub use secret::{SecretText, SecretUrl};

/// The fully commented default configuration, as printed by `duban config default`.
pub const DEFAULT_TOML: &str = include_str!("../default.toml");

/// The configuration file read when `--config` is not given (a missing one is fine).
const LOCAL_FILE: &str = "duban.toml";

/// The top-level tables; `DUBAN_…` variables outside them (such as `DUBAN_TEST_DATABASE_URL`
/// or the `DUBAN_LOG` shorthand) are not configuration keys.
const SECTIONS: [&str; 12] = [
    "server",
    "database",
    "data",
    "auth",
    "time",
    "log",
    "notify",
    "attachments",
    "transparency",
    "public",
    "sheets",
    "bulletins",
];

/// What the command line contributes: the last layer.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub config: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
}

/// The effective configuration. Mirrors `default.toml` key for key.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub data: DataConfig,
    pub auth: AuthConfig,
    pub time: TimeConfig,
    pub log: LogConfig,
    pub notify: NotifyConfig,
    pub attachments: AttachmentsConfig,
    pub transparency: TransparencySettings,
    pub public: PublicIntakeConfig,
    pub sheets: SheetsConfig,
    pub bulletins: BulletinsConfig,
}

/// Bulletins (通报): the PDF font and the issuing office (see `default.toml`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulletinsConfig {
    pub font: PathBuf,
    pub font_index: u32,
    pub issuer: String,
}

/// The bounds every uploaded spreadsheet is read within (see `default.toml`); the rest of
/// `duban_docs::Limits` keeps its defaults.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetsConfig {
    pub max_rows: u32,
    pub max_columns: u32,
    pub max_cells: usize,
    pub max_unpacked_mib: u64,
    pub max_seconds: u64,
}

impl SheetsConfig {
    pub fn limits(&self) -> duban_docs::Limits {
        duban_docs::Limits {
            max_rows: self.max_rows,
            max_columns: self.max_columns,
            max_cells: self.max_cells,
            max_unpacked_bytes: self.max_unpacked_mib.saturating_mul(1024 * 1024),
            max_time: std::time::Duration::from_secs(self.max_seconds),
            ..duban_docs::Limits::default()
        }
    }
}

/// The transparency log (see `default.toml`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransparencySettings {
    /// The signing key itself, PKCS #8 PEM text; wins over `key_file`. Shared by every node.
    pub key: SecretPem,
    /// Empty means `<data dir>/transparency-ed25519.pem`.
    pub key_file: PathBuf,
    pub sth_interval_minutes: u64,
}

/// Public problem intake on the portal and Open311 (see `default.toml`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicIntakeConfig {
    pub per_address_per_minute: i64,
    pub global_per_minute: i64,
    pub evaluation_burst_per_hour: i64,
    pub evaluations_per_hour: i64,
    pub categories: Vec<CategoryConfig>,
}

/// One problem category (an Open311 service code).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryConfig {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// Evidence files (see `default.toml`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentsConfig {
    /// `database` (the default) or `directory`.
    pub store: AttachmentStore,
    /// The directory of `blobs/` and `thumbs/`; empty means the data directory.
    pub dir: PathBuf,
    /// Largest file, in bytes.
    pub max_file_bytes: u64,
    /// Most files in one upload.
    pub max_files: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// `host:port` to bind; port 0 picks a free port.
    pub listen: String,
    /// The URL people use; empty means `http://<bound address>`.
    pub public_url: String,
    pub secure_cookies: bool,
    pub trust_proxy_headers: bool,
    pub max_body_bytes: usize,
    /// Empty: `/metrics` answers loopback clients only; else it needs this bearer token.
    pub metrics_token: SecretText,
    /// Read the token from this file while `metrics_token` is empty (Docker / systemd secrets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_token_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// Empty means "the SQLite file in the data directory".
    pub url: DatabaseUrl,
    /// Read the URL from this file while `url` is empty (Docker / systemd secrets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_file: Option<PathBuf>,
    pub max_connections: u32,
    pub sqlite_cache_kib: u32,
    pub sqlite_heap_limit_mib: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataConfig {
    pub dir: PathBuf,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    pub session_idle_minutes: i64,
    pub max_failures_per_account: i64,
    pub max_failures_per_address: i64,
    pub failure_window_minutes: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeConfig {
    pub zone: Zone,
    /// Empty: the system clock. An instant pins the clock there (demos and tests only).
    pub pinned: PinnedClock,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    pub format: LogFormat,
    /// RUST_LOG syntax.
    pub filter: String,
}

/// E-mail, webhooks, the daily digest and the job runner (see `default.toml`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifyConfig {
    /// Empty: no e-mail.
    pub smtp_url: SecretUrl,
    pub mail_from: String,
    /// Empty: no webhook posts.
    pub webhook_urls: Vec<SecretUrl>,
    /// Robots with a kind (DingTalk, WeCom) and, for DingTalk, a signing secret.
    #[serde(default)]
    pub webhooks: Vec<WebhookSettings>,
    pub webhook_timeout_seconds: u64,
    /// Local hour, 0–23.
    pub digest_hour: i8,
    pub jobs_interval_seconds: u64,
}

/// One group-chat robot (`[[notify.webhooks]]`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    #[serde(default)]
    pub kind: WebhookKindSetting,
    pub url: SecretUrl,
    /// DingTalk's 加签 secret (`SEC…`).
    #[serde(default)]
    pub secret: Option<SecretText>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WebhookKindSetting {
    #[default]
    Generic,
    Dingtalk,
    Wecom,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// Which database a command works on: the real one, or `duban demo`'s own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Main,
    Demo,
}

/// A database to open: its URL and, when it is duban's own SQLite file in the data
/// directory, that file's path.
#[derive(Debug, Clone)]
pub struct DatabaseTarget {
    pub url: DatabaseUrl,
    pub default_file: Option<PathBuf>,
}

impl Config {
    /// Reads every layer and checks the result.
    pub fn load(flags: &Flags) -> anyhow::Result<Config> {
        Config::from_figment(&figment(flags)?)
    }

    /// Extracts and checks a configuration from the assembled layers.
    fn from_figment(figment: &Figment) -> anyhow::Result<Config> {
        let mut config: Config = figment
            .extract()
            .context("the configuration is not valid")?;
        config.read_url_file()?;
        config.read_metrics_token_file()?;
        config.validate()?;
        Ok(config)
    }

    fn read_url_file(&mut self) -> anyhow::Result<()> {
        if !self.database.url.is_empty() {
            return Ok(());
        }
        if let Some(path) = &self.database.url_file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("could not read database.url_file {}", path.display()))?;
            self.database.url = DatabaseUrl::from(text.trim().to_string());
        }
        Ok(())
    }

    fn read_metrics_token_file(&mut self) -> anyhow::Result<()> {
        if self.server.metrics_token.expose().is_some() {
            return Ok(());
        }
        if let Some(path) = &self.server.metrics_token_file {
            let text = std::fs::read_to_string(path).with_context(|| {
                format!(
                    "could not read server.metrics_token_file {}",
                    path.display()
                )
            })?;
            self.server.metrics_token = SecretText::from(text);
        }
        Ok(())
    }

    fn validate(&self) -> anyhow::Result<()> {
        let positive = [
            ("auth.session_idle_minutes", self.auth.session_idle_minutes),
            (
                "auth.max_failures_per_account",
                self.auth.max_failures_per_account,
            ),
            (
                "auth.max_failures_per_address",
                self.auth.max_failures_per_address,
            ),
            (
                "auth.failure_window_minutes",
                self.auth.failure_window_minutes,
            ),
            (
                "database.max_connections",
                i64::from(self.database.max_connections),
            ),
            (
                "database.sqlite_cache_kib",
                i64::from(self.database.sqlite_cache_kib),
            ),
            (
                "server.max_body_bytes",
                i64::try_from(self.server.max_body_bytes).unwrap_or(i64::MAX),
            ),
            (
                "notify.webhook_timeout_seconds",
                i64::try_from(self.notify.webhook_timeout_seconds).unwrap_or(i64::MAX),
            ),
            (
                "attachments.max_file_bytes",
                i64::try_from(self.attachments.max_file_bytes).unwrap_or(i64::MAX),
            ),
            (
                "attachments.max_files",
                i64::try_from(self.attachments.max_files).unwrap_or(i64::MAX),
            ),
            (
                "transparency.sth_interval_minutes",
                i64::try_from(self.transparency.sth_interval_minutes).unwrap_or(i64::MAX),
            ),
            (
                "public.per_address_per_minute",
                self.public.per_address_per_minute,
            ),
            ("public.global_per_minute", self.public.global_per_minute),
            (
                "notify.jobs_interval_seconds",
                i64::try_from(self.notify.jobs_interval_seconds).unwrap_or(i64::MAX),
            ),
        ];
        for (key, value) in positive {
            if value < 1 {
                bail!("{key} must be at least 1, not {value}");
            }
        }
        if self.server.listen.trim().is_empty() {
            bail!("server.listen must be an address such as \"127.0.0.1:8080\"");
        }
        let public = &self.server.public_url;
        let public_ok =
            public.is_empty() || public.starts_with("http://") || public.starts_with("https://");
        if !public_ok {
            bail!("server.public_url must start with http:// or https://, not {public:?}");
        }
        if self.data.dir.as_os_str().is_empty() {
            bail!("data.dir must not be empty");
        }
        if self.transparency.key.is_set()
            && let Err(e) =
                duban_core::transparency::sth::parse_private_key(self.transparency.key.expose())
        {
            bail!(
                "transparency.key is not an Ed25519 private key in PKCS #8 PEM \
                 (\"-----BEGIN PRIVATE KEY-----\" …): {e}"
            );
        }
        self.validate_notify()?;
        self.validate_public()?;
        tracing_subscriber::EnvFilter::try_new(&self.log.filter).with_context(|| {
            format!(
                "log.filter {:?} is not a valid RUST_LOG filter",
                self.log.filter
            )
        })?;
        Ok(())
    }

    fn validate_public(&self) -> anyhow::Result<()> {
        let cats = &self.public.categories;
        if cats.is_empty() {
            bail!("public.categories must list at least one category");
        }
        let mut seen = std::collections::HashSet::new();
        for c in cats {
            let ok = !c.code.is_empty()
                && c.code.len() <= 32
                && c.code.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
                });
            if !ok {
                bail!(
                    "public.categories: code {:?} must be 1–32 of a-z, 0-9, '_' and '-'",
                    c.code
                );
            }
            if !seen.insert(c.code.as_str()) {
                bail!("public.categories: code {:?} appears twice", c.code);
            }
            if c.name_zh.trim().is_empty() || c.name_en.trim().is_empty() {
                bail!("public.categories: {:?} needs name_zh and name_en", c.code);
            }
        }
        Ok(())
    }

    fn validate_notify(&self) -> anyhow::Result<()> {
        let n = &self.notify;
        if !(0..=23).contains(&n.digest_hour) {
            bail!(
                "notify.digest_hour must be an hour from 0 to 23, not {}",
                n.digest_hour
            );
        }
        let smtp = n.smtp_url.expose();
        if !smtp.is_empty() && !smtp.starts_with("smtp://") && !smtp.starts_with("smtps://") {
            bail!(
                "notify.smtp_url must start with smtp:// or smtps://, not {}",
                n.smtp_url.shown()
            );
        }
        if !smtp.is_empty() && n.mail_from.trim().is_empty() {
            bail!("notify.mail_from must be set when notify.smtp_url is");
        }
        for url in &n.webhook_urls {
            let u = url.expose();
            if !u.starts_with("http://") && !u.starts_with("https://") {
                bail!(
                    "each of notify.webhook_urls must start with http:// or https://, not {}",
                    url.shown()
                );
            }
        }
        for (i, w) in n.webhooks.iter().enumerate() {
            let u = w.url.expose();
            if !u.starts_with("http://") && !u.starts_with("https://") {
                bail!(
                    "notify.webhooks[{i}].url must start with http:// or https://, not {}",
                    w.url.shown()
                );
            }
            let signed = w.secret.as_ref().and_then(SecretText::expose).is_some();
            if signed && w.kind != WebhookKindSetting::Dingtalk {
                bail!(
                    "notify.webhooks[{i}].secret is for kind = \"dingtalk\" (加签) only; \
                     remove it or set the kind"
                );
            }
        }
        Ok(())
    }

    /// The database `db` lives in: `database.url` when set, else a SQLite file in the data
    /// directory (`duban.db`, or `demo.db` for the demo).
    pub fn database(&self, db: Db) -> DatabaseTarget {
        if !self.database.url.is_empty() {
            return DatabaseTarget {
                url: self.database.url.clone(),
                default_file: None,
            };
        }
        let file = self.data.dir.join(match db {
            Db::Main => "duban.db",
            Db::Demo => "demo.db",
        });
        let url = DatabaseUrl::from(format!("sqlite://{}?mode=rwc", file.display()));
        DatabaseTarget {
            url,
            default_file: Some(file),
        }
    }

    /// The URL to print for a server bound to `bound`.
    pub fn public_url(&self, bound: SocketAddr) -> String {
        let configured = self.server.public_url.trim_end_matches('/');
        if !configured.is_empty() {
            return configured.to_string();
        }
        // A wildcard address is not something a browser can open; this machine is.
        let mut shown = bound;
        if bound.ip().is_unspecified() {
            shown.set_ip(if bound.is_ipv4() {
                std::net::Ipv4Addr::LOCALHOST.into()
            } else {
                std::net::Ipv6Addr::LOCALHOST.into()
            });
        }
        format!("http://{shown}")
    }

    /// Now: the pinned instant when `time.pinned` is set (a command runs too briefly for the
    /// pinned clock to run on), else the system clock.
    pub fn now(&self) -> jiff::Timestamp {
        self.time.pinned.get().unwrap_or_else(jiff::Timestamp::now)
    }

    /// The web layer's settings.
    pub fn web(&self) -> duban_web::WebConfig {
        duban_web::WebConfig {
            secure_cookies: self.server.secure_cookies,
            session_idle_minutes: self.auth.session_idle_minutes,
            max_body_bytes: self.server.max_body_bytes,
            trust_proxy_headers: self.server.trust_proxy_headers,
            metrics_token: self
                .server
                .metrics_token
                .expose()
                .map(duban_web::MetricsToken::new),
            timezone: self.time.zone.tz.clone(),
            max_failures_per_account: self.auth.max_failures_per_account,
            max_failures_per_address: self.auth.max_failures_per_address,
            failure_window_minutes: self.auth.failure_window_minutes,
            notify: self.notify_web(),
            attachment_store: self.attachments.store.0,
            attachment_dir: self.attachment_dir(),
            attachments: duban_core::attachments::Limits {
                max_file_bytes: self.attachments.max_file_bytes,
                max_files: self.attachments.max_files,
            },
            transparency: duban_web::transparency::TransparencyConfig {
                // Read by the commands that sign (`crate::signing_key`), not here.
                key: None,
                sth_interval: std::time::Duration::from_secs(
                    self.transparency.sth_interval_minutes.saturating_mul(60),
                ),
            },
            pinned_clock: self.time.pinned.get(),
            public: duban_web::PublicConfig {
                categories: self
                    .public
                    .categories
                    .iter()
                    .map(|c| duban_core::public::Category::new(&c.code, &c.name_zh, &c.name_en))
                    .collect(),
                per_address_per_minute: self.public.per_address_per_minute,
                global_per_minute: self.public.global_per_minute,
                evaluation_burst_per_hour: self.public.evaluation_burst_per_hour,
                evaluations_per_hour: self.public.evaluations_per_hour,
            },
            // The sheet readers' bounds (docs/ARCHITECTURE.md, Sheets); not configurable yet.
            sheets: self.sheets.limits(),
            bulletins: duban_web::BulletinConfig {
                font: self.bulletins.font.to_string_lossy().into_owned(),
                font_index: self.bulletins.font_index,
                issuer: self.bulletins.issuer.clone(),
            },
        }
    }

    /// The directory attachments' files are in (`blobs/`, `thumbs/`): `attachments.dir`, or
    /// the data directory.
    pub fn attachment_dir(&self) -> PathBuf {
        if self.attachments.dir.as_os_str().is_empty() {
            self.data.dir.clone()
        } else {
            self.attachments.dir.clone()
        }
    }

    /// Where the transparency log's signing key lives.
    pub fn transparency_key_file(&self) -> PathBuf {
        if self.transparency.key_file.as_os_str().is_empty() {
            self.data.dir.join("transparency-ed25519.pem")
        } else {
            self.transparency.key_file.clone()
        }
    }

    /// The notification settings the web layer and its job runner use.
    fn notify_web(&self) -> duban_web::notify::NotifyConfig {
        use std::time::Duration;
        let n = &self.notify;
        let smtp = n.smtp_url.expose();
        duban_web::notify::NotifyConfig {
            smtp_url: (!smtp.is_empty()).then(|| smtp.to_string()),
            mail_from: n.mail_from.clone(),
            webhook_urls: n
                .webhook_urls
                .iter()
                .map(|u| u.expose().to_string())
                .collect(),
            webhooks: n
                .webhooks
                .iter()
                .map(|w| duban_web::notify::webhook::Webhook {
                    kind: match w.kind {
                        WebhookKindSetting::Generic => {
                            duban_web::notify::webhook::WebhookKind::Generic
                        }
                        WebhookKindSetting::Dingtalk => {
                            duban_web::notify::webhook::WebhookKind::DingTalk
                        }
                        WebhookKindSetting::Wecom => duban_web::notify::webhook::WebhookKind::WeCom,
                    },
                    url: w.url.expose().to_string(),
                    secret: w
                        .secret
                        .as_ref()
                        .and_then(SecretText::expose)
                        .map(str::to_string),
                })
                .collect(),
            webhook_timeout: Duration::from_secs(n.webhook_timeout_seconds),
            digest_hour: n.digest_hour,
            jobs_interval: Duration::from_secs(n.jobs_interval_seconds),
            public_url: self.server.public_url.trim_end_matches('/').to_string(),
            ..Default::default()
        }
    }

    /// The effective configuration as TOML, database passwords replaced by `********`.
    pub fn to_redacted_toml(&self) -> anyhow::Result<String> {
        toml::to_string_pretty(self).context("could not write the configuration as TOML")
    }
}

/// Every layer, in order (see the module comment).
fn figment(flags: &Flags) -> anyhow::Result<Figment> {
    let mut figment = Figment::from(Toml::string(DEFAULT_TOML));
    figment = match &flags.config {
        Some(path) => {
            if !path.is_file() {
                bail!("the configuration file {} does not exist", path.display());
            }
            figment.merge(Toml::file_exact(path))
        }
        // `file_exact` would fail on a missing file, and `file` would search parent directories.
        None if Path::new(LOCAL_FILE).is_file() => figment.merge(Toml::file_exact(LOCAL_FILE)),
        None => figment,
    };
    figment = figment
        .merge(
            Env::prefixed("DUBAN_")
                .split("__")
                .filter(|key| is_config_key(key.as_str())),
        )
        .merge(
            Env::prefixed("DUBAN_")
                .only(&["log", "log_format"])
                .map(|key| {
                    if key == "log" {
                        "log.filter".into()
                    } else {
                        "log.format".into()
                    }
                }),
        )
        .merge(
            Env::raw()
                .only(&["database_url"])
                .map(|_| "database.url".into()),
        );
    if let Some(dir) = &flags.data_dir {
        figment = figment.merge(Serialized::default("data.dir", dir));
    }
    if let Some(url) = &flags.database_url {
        figment = figment.merge(Serialized::default("database.url", url));
    }
    Ok(figment)
}

/// `server.listen` is a key; `log` (from `DUBAN_LOG`) and `test_database_url` are not.
fn is_config_key(key: &str) -> bool {
    key.split_once('.')
        .is_some_and(|(section, _)| SECTIONS.iter().any(|s| s.eq_ignore_ascii_case(section)))
}

/// `time.pinned`: empty for the system clock, or an RFC 3339 instant with its offset
/// (`2026-11-25T10:00:00+08:00`) that the clock reads when the process starts and runs on from.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PinnedClock(Option<jiff::Timestamp>);

impl PinnedClock {
    pub fn at(at: jiff::Timestamp) -> PinnedClock {
        PinnedClock(Some(at))
    }

    pub fn get(&self) -> Option<jiff::Timestamp> {
        self.0
    }
}

impl TryFrom<String> for PinnedClock {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(PinnedClock(None));
        }
        s.parse::<jiff::Timestamp>()
            .map(|t| PinnedClock(Some(t)))
            .map_err(|e| {
                format!(
                    "time.pinned {s:?} is not an instant with its offset such as \
                 \"2026-11-25T10:00:00+08:00\" (leave it empty for the system clock): {e}"
                )
            })
    }
}

impl From<PinnedClock> for String {
    fn from(p: PinnedClock) -> String {
        p.0.map(|t| t.to_string()).unwrap_or_default()
    }
}

/// `attachments.store`: where attachments' bytes are kept.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AttachmentStore(pub duban_core::attachments::Storage);

impl TryFrom<String> for AttachmentStore {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        duban_core::attachments::Storage::parse(s.trim())
            .map(AttachmentStore)
            .ok_or_else(|| format!("attachments.store {s:?} must be \"database\" or \"directory\""))
    }
}

impl From<AttachmentStore> for String {
    fn from(s: AttachmentStore) -> String {
        s.0.as_str().to_string()
    }
}

/// `transparency.key`: a private key's PEM text. `Debug` and the printed configuration show
/// only whether it is set.
#[derive(Clone, Deserialize)]
#[serde(from = "String")]
pub struct SecretPem(secrecy::SecretString);

impl SecretPem {
    /// The PEM text, for reading the key. Never log or print this.
    pub fn expose(&self) -> &str {
        use secrecy::ExposeSecret;
        self.0.expose_secret()
    }

    pub fn is_set(&self) -> bool {
        !self.expose().trim().is_empty()
    }

    fn shown(&self) -> &'static str {
        if self.is_set() { "********" } else { "" }
    }
}

impl From<String> for SecretPem {
    fn from(text: String) -> Self {
        SecretPem(secrecy::SecretString::from(text))
    }
}

impl std::fmt::Debug for SecretPem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretPem({:?})", self.shown())
    }
}

impl Serialize for SecretPem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.shown())
    }
}

/// An IANA time zone, checked when the configuration is read.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Zone {
    name: String,
    tz: jiff::tz::TimeZone,
}

impl Zone {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn tz(&self) -> jiff::tz::TimeZone {
        self.tz.clone()
    }
}

impl TryFrom<String> for Zone {
    type Error = String;

    fn try_from(name: String) -> Result<Self, Self::Error> {
        match jiff::tz::TimeZone::get(&name) {
            Ok(tz) => Ok(Zone { name, tz }),
            Err(e) => Err(format!(
                "unknown time zone {name:?}: use an IANA zone name such as \"Asia/Shanghai\" ({e})"
            )),
        }
    }
}

impl From<Zone> for String {
    fn from(zone: Zone) -> String {
        zone.name
    }
}

impl DatabaseTarget {
    /// Whether this is duban's own SQLite file and that file exists yet.
    pub fn default_file_missing(&self) -> Option<&Path> {
        self.default_file.as_deref().filter(|f| !f.exists())
    }
}
