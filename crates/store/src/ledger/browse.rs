//! Reading the ledger the way an auditor does: filtered, newest first, a page at a time, with
//! the actor's and the object's names beside their ids. Nothing here writes.
//!
//! **Unit filter.** An entry concerns a unit when its actor's person has (or had) a membership
//! in the unit, or its object is the unit itself, one of its sections or posts, a person with
//! a membership in it, a task, case or livelihood project it leads, a commitment of its
//! committer's unit, or a progress report it filed. Other object types (settings, tokens,
//! notifications…) are found through their actor only.

use crate::{Param, Sql, StoreError, Tx};
use duban_core::org::UnitId;
use serde::Serialize;

/// Which entries to read. Every field narrows; `None` leaves it open.
#[derive(Debug, Clone, Default)]
pub struct LedgerFilter {
    /// The acting user.
    pub actor: Option<ActorFilter>,
    /// Entries concerning this unit (see the module doc).
    pub unit: Option<UnitId>,
    pub object_type: Option<String>,
    pub object_id: Option<i64>,
    /// Actions starting with this text (`case.` finds every case action).
    pub action_prefix: Option<String>,
    /// From this instant (µs since the epoch, inclusive) …
    pub from_us: Option<i64>,
    /// … to this one (exclusive).
    pub to_us: Option<i64>,
    /// Entries up to this seq only: pages of one listing are cut from the same ledger even
    /// while new entries arrive.
    pub upto: Option<i64>,
}

/// Who acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorFilter {
    /// Entries written without a user (seeding, jobs, the command line).
    System,
    User(i64),
}

/// An entry with names: every stored (hashed) field as stored, then what the ids name.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct NamedEntry {
    pub seq: i64,
    pub at_us: i64,
    pub actor_id: Option<i64>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i64>,
    pub before_json: String,
    pub after_json: String,
    pub prev_hash: String,
    pub hash: String,
    /// The actor's user name, `None` for the system or a user since removed.
    pub actor_username: Option<String>,
    /// The actor's person's name, where the account belongs to a person.
    pub actor_name: Option<String>,
    /// The object's name or title as it is now, where the type has one and the row exists.
    pub object_name: Option<String>,
}

impl From<NamedEntry> for super::EntryRow {
    fn from(e: NamedEntry) -> super::EntryRow {
        super::EntryRow {
            seq: e.seq,
            at_us: e.at_us,
            actor_id: e.actor_id,
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            before_json: e.before_json,
            after_json: e.after_json,
            prev_hash: e.prev_hash,
            hash: e.hash,
        }
    }
}

/// The select with the names: one left join per named object type, each only on rows of
/// that type.
const NAMED_SELECT: &str = "SELECT l.seq, l.at_us, l.actor_id, l.action, l.object_type, l.object_id,
        l.before_json, l.after_json, l.prev_hash, l.hash,
        au.username AS actor_username, ap.name AS actor_name,
        CASE l.object_type
            WHEN 'unit' THEN o_unit.name
            WHEN 'person' THEN o_person.name
            WHEN 'user' THEN o_user.username
            WHEN 'section' THEN o_section.name
            WHEN 'post' THEN o_post.name
            WHEN 'task' THEN o_task.title
            WHEN 'case' THEN o_case.title
            WHEN 'livelihood_project' THEN o_project.title
            WHEN 'attachment' THEN (SELECT MIN(au2.file_name) FROM attachment_uploads au2
                                     WHERE au2.attachment_id = l.object_id)
            WHEN 'commitment' THEN (SELECT v.title FROM commitment_versions v
                                     WHERE v.commitment_id = l.object_id ORDER BY v.number DESC LIMIT 1)
            WHEN 'commitment_version' THEN (SELECT v.title FROM commitment_versions v WHERE v.id = l.object_id)
            WHEN 'progress_report' THEN (SELECT t.title FROM progress_reports r JOIN tasks t ON t.id = r.task_id
                                          WHERE r.id = l.object_id)
        END AS object_name
    FROM ledger l
    LEFT JOIN users au ON au.id = l.actor_id
    LEFT JOIN people ap ON ap.id = au.person_id
    LEFT JOIN units o_unit ON l.object_type = 'unit' AND o_unit.id = l.object_id
    LEFT JOIN people o_person ON l.object_type = 'person' AND o_person.id = l.object_id
    LEFT JOIN users o_user ON l.object_type = 'user' AND o_user.id = l.object_id
    LEFT JOIN sections o_section ON l.object_type = 'section' AND o_section.id = l.object_id
    LEFT JOIN posts o_post ON l.object_type = 'post' AND o_post.id = l.object_id
    LEFT JOIN tasks o_task ON l.object_type = 'task' AND o_task.id = l.object_id
    LEFT JOIN cases o_case ON l.object_type = 'case' AND o_case.id = l.object_id
    LEFT JOIN livelihood_projects o_project ON l.object_type = 'livelihood_project' AND o_project.id = l.object_id";

/// The entries concerning a unit (module doc), `$?` being the unit id.
const UNIT_CONDITION: &str = " AND (
    EXISTS (SELECT 1 FROM users fu JOIN memberships fm ON fm.person_id = fu.person_id
            WHERE fu.id = l.actor_id AND fm.unit_id = $?)
    OR (l.object_type = 'unit' AND l.object_id = $?)
    OR (l.object_type = 'section' AND l.object_id IN (SELECT id FROM sections WHERE unit_id = $?))
    OR (l.object_type = 'post' AND l.object_id IN (SELECT id FROM posts WHERE unit_id = $?))
    OR (l.object_type = 'person' AND l.object_id IN (SELECT person_id FROM memberships WHERE unit_id = $?))
    OR (l.object_type = 'task' AND l.object_id IN (SELECT id FROM tasks WHERE lead_unit_id = $?))
    OR (l.object_type = 'case' AND l.object_id IN (SELECT id FROM cases WHERE lead_unit_id = $?))
    OR (l.object_type = 'livelihood_project'
        AND l.object_id IN (SELECT id FROM livelihood_projects WHERE lead_unit_id = $?))
    OR (l.object_type = 'commitment' AND l.object_id IN (SELECT id FROM commitments WHERE unit_id = $?))
    OR (l.object_type = 'progress_report'
        AND l.object_id IN (SELECT id FROM progress_reports WHERE unit_id = $?)))";

/// `LIKE` pattern text: `%`, `_` and the escape itself taken literally.
fn like_prefix(prefix: &str) -> String {
    let mut s = String::with_capacity(prefix.len() + 1);
    for c in prefix.chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}

fn where_clause(f: &LedgerFilter) -> (String, Vec<Param>) {
    let mut w = String::from(" WHERE 1 = 1");
    let mut params: Vec<Param> = Vec::new();
    let mut push = |cond: &str, p: Param, w: &mut String| {
        params.push(p);
        w.push_str(&cond.replace("$?", &format!("${}", params.len())));
    };
    match f.actor {
        Some(ActorFilter::System) => w.push_str(" AND l.actor_id IS NULL"),
        Some(ActorFilter::User(u)) => push(" AND l.actor_id = $?", u.into(), &mut w),
        None => {}
    }
    if let Some(u) = f.unit {
        push(UNIT_CONDITION, u.into(), &mut w);
    }
    if let Some(t) = &f.object_type {
        push(" AND l.object_type = $?", t.as_str().into(), &mut w);
    }
    if let Some(id) = f.object_id {
        push(" AND l.object_id = $?", id.into(), &mut w);
    }
    if let Some(a) = &f.action_prefix {
        push(
            " AND l.action LIKE $? ESCAPE '\\'",
            like_prefix(a).into(),
            &mut w,
        );
    }
    if let Some(t) = f.from_us {
        push(" AND l.at_us >= $?", t.into(), &mut w);
    }
    if let Some(t) = f.to_us {
        push(" AND l.at_us < $?", t.into(), &mut w);
    }
    if let Some(s) = f.upto {
        push(" AND l.seq <= $?", s.into(), &mut w);
    }
    (w, params)
}

/// One page of matching entries, newest first, and how many match in all.
pub async fn list_entries(
    tx: &mut Tx,
    f: &LedgerFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<NamedEntry>, i64), StoreError> {
    let (w, params) = where_clause(f);
    let n = params.len();
    let rows = Sql::with_params(
        format!(
            "{NAMED_SELECT}{w} ORDER BY l.seq DESC LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        ),
        params.clone(),
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(tx)
    .await?;
    let (total,): (i64,) = Sql::with_params(format!("SELECT COUNT(*) FROM ledger l{w}"), params)
        .fetch_one(tx)
        .await?;
    Ok((rows, total))
}

/// How many entries match.
pub async fn count_entries(tx: &mut Tx, f: &LedgerFilter) -> Result<i64, StoreError> {
    let (w, params) = where_clause(f);
    let (n,): (i64,) = Sql::with_params(format!("SELECT COUNT(*) FROM ledger l{w}"), params)
        .fetch_one(tx)
        .await?;
    Ok(n)
}

/// Matching entries in chain order (oldest first) after `after_seq`, `limit` at most: an
/// export reads the range in such batches.
pub async fn export_batch(
    tx: &mut Tx,
    f: &LedgerFilter,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<NamedEntry>, StoreError> {
    let (w, params) = where_clause(f);
    let n = params.len();
    Sql::with_params(
        format!(
            "{NAMED_SELECT}{w} AND l.seq > ${} ORDER BY l.seq LIMIT ${}",
            n + 1,
            n + 2
        ),
        params,
    )
    .bind(after_seq)
    .bind(limit)
    .fetch_all(tx)
    .await
}

/// One entry with names, if it exists.
pub async fn find_entry(tx: &mut Tx, seq: i64) -> Result<Option<NamedEntry>, StoreError> {
    Sql::assembled(format!("{NAMED_SELECT} WHERE l.seq = $1"))
        .bind(seq)
        .fetch_optional(tx)
        .await
}

/// The newest seq (0 for an empty ledger).
pub async fn head_seq(tx: &mut Tx) -> Result<i64, StoreError> {
    let (seq,): (i64,) = crate::sql("SELECT seq FROM ledger_head WHERE id = 1")
        .fetch_one(tx)
        .await?;
    Ok(seq)
}

/// The object types present in the ledger, for a filter's choices.
pub async fn object_types(tx: &mut Tx) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String,)> =
        crate::sql("SELECT DISTINCT object_type FROM ledger ORDER BY object_type")
            .fetch_all(tx)
            .await?;
    Ok(rows.into_iter().map(|(t,)| t).collect())
}

/// The accounts that appear as actors, with their person's name, for a filter's choices.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct LedgerActor {
    pub id: i64,
    pub username: String,
    pub name: Option<String>,
}

/// Every account (id, user name, person's name), by user name.
pub async fn actors(tx: &mut Tx) -> Result<Vec<LedgerActor>, StoreError> {
    crate::sql(
        "SELECT u.id, u.username, p.name FROM users u LEFT JOIN people p ON p.id = u.person_id
          ORDER BY u.username",
    )
    .fetch_all(tx)
    .await
}
