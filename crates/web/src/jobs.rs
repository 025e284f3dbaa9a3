//! The job runner: claims due jobs from the `jobs` table and runs each by its kind.
//! `duban serve` calls [`start`], which runs [`run_due`] at once (catching up on what fell
//! due while no process ran) and then every `notify.jobs_interval` with the real clock;
//! tests call [`run_due`] with a clock they move. Any number of processes may run it on one
//! database: a claim is exclusive and leased (see `duban_store::jobs`), and a job's work is
//! idempotent, so two processes never send one reminder twice.
//!
//! A job kind is registered in [`run_one`]. Jobs whose work is database writes run in one
//! transaction with their completion ([`finish`]), so the step is taken exactly once.

use crate::error::AppError;
use crate::notify::{deliver, digest, webhook};
use crate::state::AppState;
use duban_store::jobs::{self, Job, MAX_ATTEMPTS};
use duban_store::notifications::{DELIVER_JOB, DIGEST_JOB};
use duban_store::{Store, StoreError, Tx};
use jiff::{SignedDuration, Timestamp};
use std::sync::OnceLock;
use tokio::sync::watch;

/// How long a claim holds. Longer than any one job can take (the SMTP timeout is 30 s), so
/// a job is only claimed again when its worker has died.
pub const LEASE: SignedDuration = SignedDuration::from_mins(5);

/// Jobs claimed at a time. They run one after another, so a batch must end well within the
/// lease even when every job waits out its timeout (5 × 30 s for SMTP).
const BATCH: i64 = 5;

/// Batches per run at most, so one run ends even if jobs keep coming due.
const MAX_BATCHES: usize = 100;

/// Finished jobs are kept this long for inspection, then removed.
const KEEP_DONE: SignedDuration = SignedDuration::from_hours(30 * 24);

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Jobs claimed and run.
    pub ran: usize,
    /// … of which finished.
    pub done: usize,
    /// … failed and will be tried again later.
    pub retried: usize,
    /// … failed for good.
    pub failed: usize,
}

/// Why a job did not finish. `retry`: try again after the backoff (until the attempts run
/// out); otherwise the job fails for good at once.
#[derive(Debug)]
pub struct JobFailure {
    pub error: String,
    pub retry: bool,
}

impl JobFailure {
    /// A problem that may pass (a server down, a timeout).
    pub fn retry(error: &str) -> JobFailure {
        JobFailure {
            error: error.to_string(),
            retry: true,
        }
    }

    /// A problem that trying again cannot fix (an unknown kind, a bad payload).
    pub fn permanent(error: &str) -> JobFailure {
        JobFailure {
            error: error.to_string(),
            retry: false,
        }
    }
}

impl From<StoreError> for JobFailure {
    fn from(e: StoreError) -> Self {
        JobFailure::retry(&format!("database: {e}"))
    }
}

impl From<AppError> for JobFailure {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Internal(cause) => JobFailure::retry(&cause),
            other => JobFailure::permanent(&format!("{other:?}")),
        }
    }
}

/// This process's worker name: host, process id and a random suffix.
pub fn worker_name() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let host = hostname::get()
            .map(|h| h.to_string_lossy().into_owned())
            .unwrap_or_else(|_| "unknown".into());
        format!(
            "{host}:{}:{:08x}",
            std::process::id(),
            rand::random::<u32>()
        )
    })
}

/// Runs every job due at `now`: schedules today's digests, then claims and runs batches
/// until none is due. Jobs that fail are retried with backoff or given up; their errors are
/// logged here and recorded on the job.
pub async fn run_due(state: &AppState, now: Timestamp) -> Result<RunReport, StoreError> {
    digest::schedule(state, now).await?;
    let http = webhook::client(state.config.notify.webhook_timeout);
    let mut report = RunReport::default();
    for _ in 0..MAX_BATCHES {
        let claimed = jobs::claim(&state.store, worker_name(), now, LEASE, BATCH).await?;
        if claimed.is_empty() {
            break;
        }
        // One after another in due order (a notice before the bulletin that follows it),
        // each in a task of its own so a panic ends that job only; its lease then runs out
        // and it is tried again.
        for job in claimed {
            let (st, http) = (state.clone(), http.clone());
            let run = tokio::spawn(async move { run_and_record(&st, &http, &job, now).await });
            match run.await {
                Ok(Ok(ran)) => report.add(ran),
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "job runner: could not record a job's outcome")
                }
                Err(e) => tracing::error!(error = %e, "job runner: a job panicked"),
            }
        }
    }
    let mut tx = state.store.begin_write().await?;
    jobs::purge_done(&mut tx, now - KEEP_DONE).await?;
    tx.commit().await?;
    Ok(report)
}

/// How one job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ran {
    Done,
    Retried,
    Failed,
}

impl RunReport {
    fn add(&mut self, ran: Ran) {
        self.ran += 1;
        match ran {
            Ran::Done => self.done += 1,
            Ran::Retried => self.retried += 1,
            Ran::Failed => self.failed += 1,
        }
    }
}

async fn run_and_record(
    state: &AppState,
    http: &reqwest::Client,
    job: &Job,
    now: Timestamp,
) -> Result<Ran, StoreError> {
    use tracing::Instrument;
    if job.attempts > MAX_ATTEMPTS {
        // Claimed again and again without finishing: its worker keeps dying on it.
        let failure = JobFailure::permanent(&format!("gave up after {MAX_ATTEMPTS} attempts"));
        return record_failure(&state.store, job, now, failure).await;
    }
    let span = tracing::info_span!("job", job.id = job.id.0, job.kind = %job.kind, job.attempts = job.attempts);
    run_one(state, http, job, now).instrument(span).await
}

/// Runs one job by its kind and records how it ended.
use crate::service::cases::escalation::{CASE_STEP_JOB, run_step};

async fn run_one(
    state: &AppState,
    http: &reqwest::Client,
    job: &Job,
    now: Timestamp,
) -> Result<Ran, StoreError> {
    match job.kind.as_str() {
        // Sends outside any transaction, then records the attempt.
        DELIVER_JOB => {
            let result = deliver::run(state, http, job, now).await;
            settle(&state.store, job, now, result).await
        }
        DIGEST_JOB => {
            let mut tx = state.store.begin_write().await?;
            let result = digest::run(state, &mut tx, job, now).await;
            finish(&state.store, tx, job, now, result).await
        }
        // ── Register further job kinds here. ──────────────────────────────────────────────
        CASE_STEP_JOB => {
            let mut tx = state.store.begin_write().await?;
            let result = run_step(state, &mut tx, &job.payload, now).await;
            let result = result.map(|_| ()).map_err(JobFailure::from);
            finish(&state.store, tx, job, now, result).await
        }
        // 吹哨报到: a department's report-in window ended (issue 19).
        crate::service::joint::REPORT_IN_JOB => {
            let mut tx = state.store.begin_write().await?;
            let result =
                crate::service::joint::check_report_in(state, &mut tx, &job.payload, now).await;
            let result = result.map(|_| ()).map_err(JobFailure::from);
            finish(&state.store, tx, job, now, result).await
        }
        other => {
            let failure = JobFailure::permanent(&format!("unknown job kind {other:?}"));
            record_failure(&state.store, job, now, failure).await
        }
    }
}

/// Ends a job in `tx`, which holds the job's own writes: on success they commit together
/// with its completion; on failure they are rolled back and the failure is recorded instead.
pub async fn finish(
    store: &Store,
    mut tx: Tx,
    job: &Job,
    now: Timestamp,
    result: Result<(), JobFailure>,
) -> Result<Ran, StoreError> {
    match result {
        Ok(()) => {
            if !jobs::complete(&mut tx, job, now).await? {
                // The lease ran out and another worker has the job: that run counts.
                tracing::warn!(job.id = job.id.0, "a job finished after its lease expired");
                return Ok(Ran::Retried);
            }
            tx.commit().await?;
            Ok(Ran::Done)
        }
        Err(failure) => {
            drop(tx);
            record_failure(store, job, now, failure).await
        }
    }
}

/// Ends a job that wrote nothing of its own in the runner's transaction.
async fn settle(
    store: &Store,
    job: &Job,
    now: Timestamp,
    result: Result<(), JobFailure>,
) -> Result<Ran, StoreError> {
    match result {
        Ok(()) => finish(store, store.begin_write().await?, job, now, Ok(())).await,
        Err(failure) => record_failure(store, job, now, failure).await,
    }
}

/// Records a failed run: pending again after the backoff, or failed for good when the
/// failure is permanent or the attempts are used up.
async fn record_failure(
    store: &Store,
    job: &Job,
    now: Timestamp,
    failure: JobFailure,
) -> Result<Ran, StoreError> {
    let retry_at = if failure.retry {
        jobs::retry_at(now, job.attempts)
    } else {
        None
    };
    let mut tx = store.begin_write().await?;
    jobs::fail(&mut tx, job, now, &failure.error, retry_at).await?;
    tx.commit().await?;
    match retry_at {
        Some(at) => {
            tracing::warn!(job.id = job.id.0, job.kind = %job.kind, job.attempts = job.attempts, job.retry_at = %at, error = %failure.error, "a job failed; it will be tried again");
            Ok(Ran::Retried)
        }
        None => {
            tracing::error!(job.id = job.id.0, job.kind = %job.kind, job.attempts = job.attempts, error = %failure.error, "a job failed for good");
            Ok(Ran::Failed)
        }
    }
}

/// The day's report reminders, if no process has sent them yet and it is past their hour
/// (`service::progress::remind`); returns how many units were reminded. [`start`] calls it
/// on every tick; tests and the demo call it with the clock they move.
pub async fn report_reminders(state: &AppState, now: Timestamp) -> Result<usize, JobFailure> {
    Ok(crate::service::progress::remind::run_today(state, now).await?)
}

/// The day's lights, if no process has computed them yet
/// (`service::progress::lights::run_today`); returns how many. [`start`] calls it on every
/// tick; tests call it with the clock they move.
pub async fn lights_today(state: &AppState, now: Timestamp) -> Result<usize, StoreError> {
    crate::service::progress::lights::run_today(state, now).await
}

/// The drafts the years' bulletin schedules make due today, once across processes
/// (`service::bulletins::run_today`); returns how many were made.
pub async fn scheduled_bulletins(state: &AppState, now: Timestamp) -> Result<usize, StoreError> {
    crate::service::bulletins::run_today(state, now).await
}

/// The background loop of `duban serve`, stopped with [`Runner::stop`].
pub struct Runner {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

/// Starts the loop: the day's lights, score events and report reminders (each once a day
/// across processes), the transparency log's signed tree head when due, and [`run_due`] at once,
/// then every `notify.jobs_interval`, with the real clock. A run in progress finishes before
/// the loop stops.
pub fn start(state: AppState) -> Runner {
    let (stop, mut stopped) = watch::channel(false);
    let task = tokio::spawn(async move {
        let mut tick = tokio::time::interval(state.config.notify.jobs_interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tracing::info!(worker = worker_name(), "job runner started");
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stopped.changed() => break,
            }
            let now = state.now();
            match lights_today(&state, now).await {
                Ok(n) if n > 0 => tracing::info!(lights = n, "the day's lights computed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "job runner: lights not computed"),
            }
            match crate::service::assessment::run_today(&state, now).await {
                Ok(n) if n > 0 => tracing::info!(events = n, "the day's score events appended"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "job runner: score events not appended"),
            }
            match scheduled_bulletins(&state, now).await {
                Ok(n) if n > 0 => tracing::info!(bulletins = n, "scheduled bulletin drafts made"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "job runner: bulletin drafts not made"),
            }
            match report_reminders(&state, now).await {
                Ok(n) if n > 0 => tracing::info!(units = n, "the day's report reminders sent"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e.error, "job runner: report reminders not sent"),
            }
            if let Err(e) = crate::transparency::publish_due(&state, now).await {
                tracing::warn!(error = %e, "job runner: no tree head published");
            }
            match run_due(&state, now).await {
                Ok(r) if r.ran > 0 => tracing::info!(
                    jobs.ran = r.ran,
                    jobs.done = r.done,
                    jobs.retried = r.retried,
                    jobs.failed = r.failed,
                    "jobs run"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "job runner: the database is not reachable"),
            }
        }
    });
    Runner { stop, task }
}

impl Runner {
    /// Stops the loop after the run in progress, if any.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "the job runner ended abnormally");
        }
    }
}
