//! Shared state of the web layer and its typed configuration (built by `duban::config`).

use crate::i18n::Catalogs;
use crate::ops::Metrics;
use duban_store::Store;
use std::sync::Arc;

/// Settings the web layer needs; the CLI fills them from defaults, `duban.toml` and env.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when serving behind TLS).
    pub secure_cookies: bool,
    /// How long a session lasts without activity.
    pub session_idle_minutes: i64,
    /// Largest accepted request body; larger ones get 413.
    pub max_body_bytes: usize,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy_headers: bool,
    /// `Some`: `/metrics` needs this bearer token from every client. `None`: `/metrics` is
    /// served to loopback clients only (see `ops`).
    pub metrics_token: Option<crate::ops::MetricsToken>,
    /// The zone business dates are in, e.g. `Asia/Shanghai`.
    pub timezone: jiff::tz::TimeZone,
    /// Failed sign-ins per account within the window before it is locked for the window.
    pub max_failures_per_account: i64,
    /// Failed sign-ins per client address within the window.
    pub max_failures_per_address: i64,
    /// The throttling window in minutes.
    pub failure_window_minutes: i64,
    /// E-mail, webhooks, digests and the job runner's pace.
    pub notify: crate::notify::NotifyConfig,
    /// Where attachments' bytes are kept: the database (the default) or [`Self::attachment_dir`].
    pub attachment_store: duban_core::attachments::Storage,
    /// The directory with `blobs/` and `thumbs/`: written in directory mode (a shared
    /// filesystem when several processes run); in database mode only read, for files
    /// uploaded before the bytes moved into the database.
    pub attachment_dir: std::path::PathBuf,
    /// Size and count limits of uploaded attachments.
    pub attachments: duban_core::attachments::Limits,
    /// The transparency log's signing key and publishing interval.
    pub transparency: crate::transparency::TransparencyConfig,
    /// Public problem intake: categories and rate limits.
    pub public: crate::service::public::PublicConfig,
    /// `Some(t)`: the clock is pinned for a demo or a test — it reads `t` when the process
    /// starts and runs on from there; every page says so. `None` (the default): the system
    /// clock.
    pub pinned_clock: Option<jiff::Timestamp>,
    /// The bounds every uploaded sheet is read within (task lists, problem lists, progress
    /// sheets).
    pub sheets: duban_docs::Limits,
    /// Bulletins (通报): the PDF font and the issuing office.
    pub bulletins: crate::service::bulletins::BulletinConfig,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            session_idle_minutes: 12 * 60,
            max_body_bytes: 1024 * 1024,
            trust_proxy_headers: false,
            metrics_token: None,
            timezone: jiff::tz::TimeZone::get("Asia/Shanghai").unwrap_or(jiff::tz::TimeZone::UTC),
            max_failures_per_account: 5,
            max_failures_per_address: 30,
            failure_window_minutes: 15,
            notify: crate::notify::NotifyConfig::default(),
            attachment_store: duban_core::attachments::Storage::Database,
            attachment_dir: std::path::PathBuf::from("./duban-data"),
            attachments: duban_core::attachments::Limits::default(),
            transparency: crate::transparency::TransparencyConfig::default(),
            public: crate::service::public::PublicConfig::default(),
            pinned_clock: None,
            sheets: duban_docs::Limits::default(),
            bulletins: crate::service::bulletins::BulletinConfig::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub(crate) store: Store,
    pub(crate) config: Arc<WebConfig>,
    pub(crate) catalogs: Arc<Catalogs>,
    pub(crate) metrics: Arc<Metrics>,
    /// Dashboards kept until the next write (`read_cache`).
    pub(crate) read_cache: crate::read_cache::ReadCache,
    /// A fixed "now" for playing out time (the demo's month of work, tests of the escalation
    /// ladder); `None` reads the clock.
    pub(crate) fixed_now: Option<jiff::Timestamp>,
    /// When this application was made: a pinned clock runs on from its pin by the time elapsed
    /// since (a monotonic measure, so changing the system clock does not move it).
    started: std::time::Instant,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> AppState {
        AppState {
            store,
            config: Arc::new(config),
            catalogs: Arc::new(Catalogs::load()),
            metrics: Arc::new(Metrics::default()),
            read_cache: crate::read_cache::ReadCache::default(),
            fixed_now: None,
            started: std::time::Instant::now(),
        }
    }

    /// The same application with its clock stopped at `now`: every service called through it
    /// (and every job run with it) sees that instant as the present.
    pub fn at(&self, now: jiff::Timestamp) -> AppState {
        AppState {
            fixed_now: Some(now),
            ..self.clone()
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Now, as an instant (the clock is read here, at the edge, and nowhere in `core`): the
    /// stopped clock of [`AppState::at`], else the pinned clock running on from its pin, else
    /// the system clock.
    pub fn now(&self) -> jiff::Timestamp {
        if let Some(now) = self.fixed_now {
            return now;
        }
        match self.config.pinned_clock {
            Some(pin) => {
                let elapsed = jiff::SignedDuration::try_from(self.started.elapsed())
                    .unwrap_or(jiff::SignedDuration::MAX);
                pin.checked_add(elapsed).unwrap_or(pin)
            }
            None => jiff::Timestamp::now(),
        }
    }

    /// The pinned clock's date today, when the clock is pinned (pages show it).
    pub(crate) fn pinned_today(&self) -> Option<jiff::civil::Date> {
        self.config.pinned_clock.map(|_| self.today())
    }

    /// The delivery channels configured (e-mail, webhooks) for notifications.
    pub(crate) fn channels(&self) -> duban_store::notifications::Channels {
        self.config.notify.channels()
    }

    /// Today's business date in the configured zone.
    pub fn today(&self) -> jiff::civil::Date {
        self.now().to_zoned(self.config.timezone.clone()).date()
    }
}
