//! Background jobs as rows. [`enqueue`] is idempotent on a key; [`claim`] hands due jobs to
//! one worker at a time, across processes (`FOR UPDATE SKIP LOCKED` on PostgreSQL, the
//! single writer on SQLite); the worker then [`complete`]s or [`fail`]s each, with a retry
//! time from [`retry_at`]. A claim is a lease: a process that dies mid-job leaves it
//! `running` until `locked_until`, after which any worker claims it again — so a restarted
//! process picks up what was due while it was down.
//!
//! What a job *does* lives in the runner (`duban_web::jobs`); this module keeps the table.
//! Jobs are operational records like sessions and are not in the ledger: the business
//! writes a job makes (a notification, a case step) append their own entries.

use crate::{Backend, Store, StoreError, Tx, sql};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

/// A job's row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct JobId(pub i64);

/// Waits before the 2nd, 3rd, 4th and 5th attempt: 1 min, 5 min, 30 min, 2 h.
pub const BACKOFF: [SignedDuration; 4] = [
    SignedDuration::from_mins(1),
    SignedDuration::from_mins(5),
    SignedDuration::from_mins(30),
    SignedDuration::from_hours(2),
];

/// Attempts before a job (and a delivery) gives up: the first try and one per [`BACKOFF`] step.
pub const MAX_ATTEMPTS: i64 = BACKOFF.len() as i64 + 1;

/// How long to wait after the `attempts`-th failed attempt, or `None` to give up.
pub fn backoff(attempts: i64) -> Option<SignedDuration> {
    let step = usize::try_from(attempts.max(1) - 1).ok()?;
    BACKOFF.get(step).copied()
}

/// When to try again after the `attempts`-th attempt failed at `now`; `None`: give up.
pub fn retry_at(now: Timestamp, attempts: i64) -> Option<Timestamp> {
    backoff(attempts).map(|wait| now + wait)
}

/// A claimed job, as handed to a worker.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: JobId,
    pub kind: String,
    pub key: String,
    pub due_at: Timestamp,
    pub payload: serde_json::Value,
    /// How many times the job has been claimed, this claim included.
    pub attempts: i64,
    /// The worker holding the claim, and until when.
    pub locked_by: String,
    pub locked_until: Timestamp,
}

/// A job as stored, in any state (for inspection and tests).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRecord {
    pub id: i64,
    pub kind: String,
    pub key: String,
    pub due_at: jiff_sqlx::Timestamp,
    pub payload: String,
    /// `pending`, `running`, `done` or `failed`.
    pub state: String,
    pub attempts: i64,
    pub locked_by: Option<String>,
    pub locked_until: Option<jiff_sqlx::Timestamp>,
    pub last_error: String,
    pub done_at: Option<jiff_sqlx::Timestamp>,
}

const JOB_COLUMNS: &str =
    "id, kind, key, due_at, payload, state, attempts, locked_by, locked_until, last_error, done_at";

/// Adds a job unless one with the same `key` exists (in any state); returns whether it was
/// new. Callers choose keys that name the work, so repeating a step is harmless:
/// `case:12:remind:2026-12-01`, `deliver:31`, `digest:7:2026-12-01`.
pub async fn enqueue(
    tx: &mut Tx,
    kind: &str,
    key: &str,
    due_at: Timestamp,
    payload: &serde_json::Value,
) -> Result<bool, StoreError> {
    let n = sql(
        "INSERT INTO jobs (kind, key, due_at, payload, state, attempts, last_error, created_at)
         VALUES ($1, $2, $3, $4, 'pending', 0, '', $5)
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(kind)
    .bind(key)
    .bind(due_at)
    .bind(payload.to_string())
    // Informational only (decisions use `due_at` and the caller's clock).
    .bind(Timestamp::now())
    .execute(tx)
    .await?;
    Ok(n == 1)
}

#[derive(sqlx::FromRow)]
struct ClaimedRow {
    id: i64,
    kind: String,
    key: String,
    due_at: jiff_sqlx::Timestamp,
    payload: String,
    attempts: i64,
}

/// Claims up to `limit` jobs for `worker`: pending jobs due by `now`, and running jobs whose
/// lease has expired (their worker died), oldest due first. Each is marked running until
/// `now + lease` with one more attempt. Two workers never get the same job: on PostgreSQL
/// the candidates are locked with `FOR UPDATE SKIP LOCKED` (a row another worker is
/// claiming is skipped, and one it has just claimed no longer qualifies); on SQLite the
/// write transaction (`BEGIN IMMEDIATE`) lets one claimer in at a time.
pub async fn claim(
    store: &Store,
    worker: &str,
    now: Timestamp,
    lease: SignedDuration,
    limit: i64,
) -> Result<Vec<Job>, StoreError> {
    let locked_until = now + lease;
    let mut tx = store.begin_write().await?;
    let q = match tx.backend() {
        // The CTE is evaluated once, so exactly the rows it locked are updated.
        Backend::Postgres => sql("WITH due AS (
                SELECT id FROM jobs
                WHERE (state = 'pending' AND due_at <= $3) OR (state = 'running' AND locked_until <= $3)
                ORDER BY due_at, id LIMIT $4
                FOR UPDATE SKIP LOCKED)
             UPDATE jobs SET state = 'running', locked_by = $1, locked_until = $2,
                attempts = jobs.attempts + 1
             FROM due WHERE jobs.id = due.id
             RETURNING jobs.id, jobs.kind, jobs.key, jobs.due_at, jobs.payload, jobs.attempts"),
        Backend::Sqlite => sql("UPDATE jobs SET state = 'running', locked_by = $1, locked_until = $2,
                attempts = attempts + 1
             WHERE id IN (
                SELECT id FROM jobs
                WHERE (state = 'pending' AND due_at <= $3) OR (state = 'running' AND locked_until <= $3)
                ORDER BY due_at, id LIMIT $4)
             RETURNING id, kind, key, due_at, payload, attempts"),
    };
    let rows: Vec<ClaimedRow> = q
        .bind(worker)
        .bind(locked_until)
        .bind(now)
        .bind(limit)
        .fetch_all(&mut tx)
        .await?;
    tx.commit().await?;
    let mut jobs: Vec<Job> = rows
        .into_iter()
        .map(|r| Job {
            id: JobId(r.id),
            kind: r.kind,
            key: r.key,
            due_at: r.due_at.to_jiff(),
            // A payload that is not JSON reaches the job as `Null`, and the job fails on it.
            payload: serde_json::from_str(&r.payload).unwrap_or(serde_json::Value::Null),
            attempts: r.attempts,
            locked_by: worker.to_string(),
            locked_until,
        })
        .collect();
    // RETURNING gives no order.
    jobs.sort_by_key(|j| (j.due_at, j.id));
    Ok(jobs)
}

/// Marks a claimed job done. Returns `false` (and changes nothing) when the claim no longer
/// holds: the lease expired and another worker claimed the job again.
pub async fn complete(tx: &mut Tx, job: &Job, now: Timestamp) -> Result<bool, StoreError> {
    let n = sql(
        "UPDATE jobs SET state = 'done', done_at = $4, locked_by = NULL, locked_until = NULL
         WHERE id = $1 AND state = 'running' AND locked_by = $2 AND attempts = $3",
    )
    .bind(job.id.0)
    .bind(job.locked_by.as_str())
    .bind(job.attempts)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(n == 1)
}

/// Records a failed attempt: with `retry_at` the job is pending again from then, without it
/// the job has failed for good. Returns `false` when the claim no longer holds.
pub async fn fail(
    tx: &mut Tx,
    job: &Job,
    now: Timestamp,
    error: &str,
    retry_at: Option<Timestamp>,
) -> Result<bool, StoreError> {
    let q = match retry_at {
        Some(at) => sql(
            "UPDATE jobs SET state = 'pending', due_at = $4, last_error = $5,
                locked_by = NULL, locked_until = NULL
             WHERE id = $1 AND state = 'running' AND locked_by = $2 AND attempts = $3",
        )
        .bind(job.id.0)
        .bind(job.locked_by.as_str())
        .bind(job.attempts)
        .bind(at),
        None => sql(
            "UPDATE jobs SET state = 'failed', done_at = $4, last_error = $5,
                locked_by = NULL, locked_until = NULL
             WHERE id = $1 AND state = 'running' AND locked_by = $2 AND attempts = $3",
        )
        .bind(job.id.0)
        .bind(job.locked_by.as_str())
        .bind(job.attempts)
        .bind(now),
    };
    Ok(q.bind(error).execute(tx).await? == 1)
}

/// The job with this key, if any.
pub async fn find_job(tx: &mut Tx, key: &str) -> Result<Option<JobRecord>, StoreError> {
    crate::Sql::assembled(format!("SELECT {JOB_COLUMNS} FROM jobs WHERE key = $1"))
        .bind(key)
        .fetch_optional(tx)
        .await
}

/// Jobs in one state (`pending`, `running`, `done`, `failed`), oldest due first.
pub async fn list_jobs(tx: &mut Tx, state: &str, limit: i64) -> Result<Vec<JobRecord>, StoreError> {
    crate::Sql::assembled(format!(
        "SELECT {JOB_COLUMNS} FROM jobs WHERE state = $1 ORDER BY due_at, id LIMIT $2"
    ))
    .bind(state)
    .bind(limit)
    .fetch_all(tx)
    .await
}

/// Removes finished jobs that were due before `before` (failed ones stay for inspection).
/// Keys of removed jobs can be enqueued again, so callers keep dated keys in the past.
/// (`due_at`, not `done_at`, so the claim index finds them.)
pub async fn purge_done(tx: &mut Tx, before: Timestamp) -> Result<u64, StoreError> {
    sql("DELETE FROM jobs WHERE state = 'done' AND due_at < $1")
        .bind(before)
        .execute(tx)
        .await
}

/// Claims a once-only piece of work (a day's recomputation) inside the caller's transaction:
/// inserts its job row as done and returns true, or returns false when some process has done
/// (or is doing) it. The work belongs in the same transaction, so a crash rolls the claim back
/// with it and the next run tries again.
pub async fn claim_once(
    tx: &mut Tx,
    kind: &str,
    key: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = sql(
        "INSERT INTO jobs (kind, key, due_at, payload, state, attempts, last_error, created_at, done_at)
         VALUES ($1, $2, $3, '{}', 'done', 1, '', $3, $3)
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(kind)
    .bind(key)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(n == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_job_waits_1_5_30_and_120_minutes_then_gives_up() {
        let mins = |attempts| backoff(attempts).map(|d| d.as_secs() / 60);
        assert_eq!(mins(1), Some(1));
        assert_eq!(mins(2), Some(5));
        assert_eq!(mins(3), Some(30));
        assert_eq!(mins(4), Some(120));
        assert_eq!(mins(5), None);
        assert_eq!(mins(6), None);
        assert_eq!(MAX_ATTEMPTS, 5);
    }

    #[test]
    fn a_job_never_claimed_counts_as_its_first_attempt() {
        assert_eq!(backoff(0), backoff(1));
        assert_eq!(backoff(-3), backoff(1));
    }

    #[test]
    fn the_retry_time_is_the_wait_after_now() {
        let now: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
        assert_eq!(
            retry_at(now, 2),
            Some("2026-12-01T00:05:00Z".parse().unwrap())
        );
        assert_eq!(retry_at(now, MAX_ATTEMPTS), None);
    }
}
