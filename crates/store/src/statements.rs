//! Counting the statements a piece of work sends to the database, so a request that asks one
//! question per row (an "N+1" pattern) shows, and a test can fail on it: the web layer wraps
//! each request in [`counted`] and reports the count (`Server-Timing`, the request's log line).
//! Every statement of the store goes through [`crate::Sql`], which counts it here; work
//! outside a [`counted`] scope (jobs, commands) is not counted.

use std::cell::Cell;
use std::future::Future;

tokio::task_local! {
    static STATEMENTS: Cell<u32>;
}

/// Runs `work` and returns its output with the number of statements it sent.
pub async fn counted<F: Future>(work: F) -> (F::Output, u32) {
    STATEMENTS
        .scope(Cell::new(0), async {
            let out = work.await;
            (out, STATEMENTS.with(Cell::get))
        })
        .await
}

/// One statement sent (a no-op outside [`counted`]).
pub(crate) fn sent() {
    let _ = STATEMENTS.try_with(|n| n.set(n.get().saturating_add(1)));
}
