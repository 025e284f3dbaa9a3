//! Operations the command line runs without a web request (`duban import tasks`, `duban
//! export tasks`): the same services as the pages, run as the system with the supervision
//! office's rights, and written to the ledger without a user.

use crate::error::AppError;
use crate::service::lists::export;
use crate::service::lists::import;
use crate::service::lists::view::{self, TaskListQuery};
use crate::state::{AppState, WebConfig};
use duban_core::lists::ListKind;
use duban_core::policy::{Actor, Scope};
use duban_core::role::Role;
use duban_store::{Audit, Store};

/// The actor of command-line operations: whole-city rights of the supervision office.
fn system_actor() -> Actor {
    Actor {
        user: None,
        person: None,
        role: Some(Role::SupervisionOffice),
        scope: Scope::default(),
    }
}

/// One problem of an import, as the CLI prints it.
#[derive(Debug, Clone)]
pub struct ImportProblem {
    pub row: u32,
    pub column: Option<String>,
    pub message_zh: String,
    pub message_en: String,
}

/// What an import did (or, on a dry run or with problems, would do).
#[derive(Debug, Clone)]
pub struct ImportSummary {
    pub sheet: String,
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// Rows equal to their stored task: nothing is written for them.
    pub unchanged: usize,
    pub problems: Vec<ImportProblem>,
    /// Whether anything was written (never with problems or on a dry run).
    pub committed: bool,
}

/// Why an import could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("{0}")]
    File(String),
    #[error("unknown list kind `{0}` (work, project, policy or responsibility)")]
    Kind(String),
    #[error("{0}")]
    Other(String),
}

impl From<AppError> for BatchError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::BadRequest(m) | AppError::SheetRefused(m) => BatchError::File(m),
            other => BatchError::Other(format!("{other:?}")),
        }
    }
}

/// Plans an import of `bytes` and, unless `dry_run` or a problem was found, writes every row
/// in one transaction, recorded in the ledger at `now`. `progress(done, total)` is called as
/// rows are written.
#[expect(
    clippy::too_many_arguments,
    reason = "one call site each in the CLI and the bench; a struct would only rename them"
)]
pub async fn import_tasks(
    store: &Store,
    bytes: &[u8],
    year: i16,
    kind: Option<&str>,
    dry_run: bool,
    now: jiff::Timestamp,
    limits: &duban_docs::Limits,
    mut progress: impl FnMut(usize, usize),
) -> Result<ImportSummary, BatchError> {
    let kind = match kind {
        Some(k) => Some(ListKind::parse(k).ok_or_else(|| BatchError::Kind(k.to_string()))?),
        None => None,
    };
    let actor = system_actor();
    let mut tx = store.begin_write().await.map_err(AppError::from)?;
    let plan = import::plan(&mut tx, &actor, bytes, year, kind, limits).await?;
    let problems: Vec<ImportProblem> = plan
        .rows
        .iter()
        .flat_map(|r| {
            r.problems.iter().map(|p| ImportProblem {
                row: r.sheet.row,
                column: p.column.clone(),
                message_zh: p.zh.clone(),
                message_en: p.en.clone(),
            })
        })
        .collect();
    let total = plan.rows.len();
    let mut summary = ImportSummary {
        sheet: plan.sheet_name.clone(),
        rows: total,
        created: plan.creates(),
        updated: plan.updates(),
        unchanged: plan.unchanged(),
        problems,
        committed: false,
    };
    if dry_run || !summary.problems.is_empty() {
        return Ok(summary);
    }
    let audit = Audit::system(now);
    let (created, updated) =
        import::write(&mut tx, &audit, &actor, &plan, |done| progress(done, total)).await?;
    tx.commit().await.map_err(AppError::from)?;
    summary.created = created;
    summary.updated = updated;
    summary.committed = true;
    Ok(summary)
}

/// Filters of an export, as the CLI takes them (unit and campaign by code).
#[derive(Debug, Clone, Default)]
pub struct ExportFilter {
    pub year: i16,
    pub unit_code: Option<String>,
    pub campaign_code: Option<String>,
    pub kind: Option<String>,
    pub state: Option<String>,
}

/// Every task matching `filter` as .xlsx (or CSV), in the layout the import reads back.
/// Returns the file and the number of tasks.
pub async fn export_tasks(
    store: &Store,
    filter: &ExportFilter,
    csv: bool,
) -> Result<(Vec<u8>, usize), BatchError> {
    let state = AppState::new(store.clone(), WebConfig::default());
    let actor = system_actor();
    let mut tx = store.begin_read().await.map_err(AppError::from)?;
    let unit = match &filter.unit_code {
        Some(code) => Some(
            duban_store::org::find_unit_by_code(&mut tx, code)
                .await
                .map_err(AppError::from)?
                .ok_or_else(|| BatchError::Other(format!("no unit has the code `{code}`")))?
                .id,
        ),
        None => None,
    };
    let campaign = match &filter.campaign_code {
        Some(code) => Some(
            duban_store::campaigns::list_campaigns(&mut tx, i64::from(filter.year))
                .await
                .map_err(AppError::from)?
                .into_iter()
                .find(|c| c.code == *code)
                .ok_or_else(|| {
                    BatchError::Other(format!("{} has no campaign `{code}`", filter.year))
                })?
                .id,
        ),
        None => None,
    };
    drop(tx);
    let query = TaskListQuery {
        year: Some(filter.year),
        campaign,
        kind: filter.kind.clone(),
        unit,
        // A unit's own list: the tasks it leads (with their sub-tasks), so the file imports back.
        lead: unit.map(|_| "1".to_string()),
        state: filter.state.clone(),
        ..Default::default()
    };
    let f = query.to_filter(state.today(), &actor)?;
    let tasks = view::export_tasks(&state, &actor, f).await?;
    let label = |s: &str| {
        state
            .catalogs
            .get(crate::i18n::Lang::Zh)
            .get(&format!("task_state.{s}"))
            .to_string()
    };
    let bytes = if csv {
        export::csv(&tasks, label)
    } else {
        export::xlsx(&format!("{}年重点工作任务清单", filter.year), &tasks, label)?
    };
    Ok((bytes, tasks.len()))
}

/// After a calendar edit from the command line: recomputes the running case deadlines in the
/// caller's transaction (as the web's calendar page does), scheduling the ladder anew.
/// Returns how many cases moved.
pub async fn recompute_deadlines(
    store: &Store,
    tx: &mut duban_store::Tx,
    audit: &Audit,
    zone: jiff::tz::TimeZone,
) -> Result<usize, BatchError> {
    let state = AppState::new(
        store.clone(),
        WebConfig {
            timezone: zone,
            ..WebConfig::default()
        },
    )
    .at(audit.at);
    Ok(crate::service::cases::escalation::recompute_deadlines(tx, &state, audit).await?)
}

/// What rescoring a year did.
#[derive(Debug, Clone, Copy)]
pub struct Rescored {
    /// Score events appended (facts not scored before).
    pub appended: usize,
    /// Units with totals for the year once rebuilt.
    pub units: usize,
}

/// `duban`'s "rescore a year" (after a restore, or to prove the totals agree with the events):
/// appends the year's missing score events up to `today` as the daily harvest does, then
/// rebuilds every period's totals from all the year's events, in one transaction.
pub async fn rescore_year(
    store: &Store,
    zone: &jiff::tz::TimeZone,
    year: i16,
    today: jiff::civil::Date,
    at: jiff::Timestamp,
) -> Result<Rescored, BatchError> {
    let mut tx = store.begin_write().await.map_err(AppError::from)?;
    let appended = crate::service::assessment::harvest::harvest(
        &mut tx,
        &Audit::system(at),
        year,
        today,
        zone,
    )
    .await
    .map_err(AppError::from)?;
    duban_store::assessment::rebuild_totals(&mut tx, year)
        .await
        .map_err(AppError::from)?;
    let period = duban_core::assessment::period::Period::year(year);
    let units = duban_store::assessment::totals(&mut tx, period)
        .await
        .map_err(AppError::from)?
        .len();
    tx.commit().await.map_err(AppError::from)?;
    Ok(Rescored { appended, units })
}
