//! Full-text search over tasks, progress reports, cases and suggestions/proposals, limited
//! to what the reader may see. Not a ranking engine: a hit contains every word as a substring; hits whose title holds
//! every word come first, then the most recently changed.
//!
//! The definition of a match is one SQL condition per word, `<columns joined by a space> LIKE
//! '%word%'` (ILIKE on PostgreSQL), evaluated on the row; SQLite tests the same column by
//! column (a word never holds the joining space), which spares it a joined copy of every row. The indexes only narrow
//! the rows it is evaluated on: on SQLite an FTS5 trigram table (migration 0007) answers
//! `MATCH` for words of three or more characters; on PostgreSQL the pg_trgm GIN index over the
//! same expression answers the ILIKE itself. Words of one or two characters have no trigram
//! and are checked by the LIKE alone. A suggestion or proposal is matched on its searched text
//! (`proposal_texts`: number, title, content and every reply, kept by `store::proposals`).

use crate::cases::browse::CaseScope;
use crate::lists::browse::ReaderScope;
use crate::proposals::browse::Scope as ProposalScope;
use crate::{Backend, Param, Sql, StoreError, Tx};
use duban_core::org::UnitId;
use duban_core::search::{Kind, Terms};
use std::collections::HashMap;

/// What the reader may see of one kind of record.
#[derive(Debug, Clone)]
pub enum Access<S> {
    /// Nothing (a deputy and tasks).
    None,
    /// Everything (whole-city roles).
    All,
    /// What this scope allows — the same scope, and the same SQL, as the lists.
    Scoped(S),
}

/// A search: the words, the filters, the reader's scope and the page.
#[derive(Debug, Clone)]
pub struct SearchQuery {
    pub terms: Terms,
    /// Only this kind of record.
    pub kind: Option<Kind>,
    /// The year of the task (a report: its task's), or the case's.
    pub year: Option<i16>,
    /// Tasks with this unit as lead or co-unit, reports by this unit, cases with this unit as
    /// lead, co- or split unit.
    pub unit: Option<UnitId>,
    /// Tasks the reader may see; reports follow their task.
    pub tasks: Access<ReaderScope>,
    pub cases: Access<CaseScope>,
    /// Suggestions and proposals: the proposals family's own scope (`browse::Scope`).
    pub proposals: Access<ProposalScope>,
    pub limit: i64,
    pub offset: i64,
}

/// One page of hits and the number of all of them, up to [`COUNT_CAP`].
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    /// There are more than `total` hits: the count stopped at [`COUNT_CAP`].
    pub capped: bool,
}

/// A record found.
#[derive(Debug, Clone)]
pub struct Hit {
    pub kind: Kind,
    /// The task's, report's or case's id.
    pub id: i64,
    pub year: i64,
    /// The task's or case's title; for a report, its task's title.
    pub title: String,
    /// The other searched texts as `(column, text)`, in the order of the columns, for the
    /// snippet (the title is not repeated here).
    pub texts: Vec<(&'static str, String)>,
    /// The lead unit (a report: the reporting unit).
    pub unit_name: Option<String>,
    pub state: String,
    /// A report's task, and the task's 序号.
    pub task_id: Option<i64>,
    pub path: Option<String>,
    /// A report's period (`2026-10`, `2026-Q3` …).
    pub period: Option<String>,
    /// A suggestion's or proposal's number (建议号 / 提案号).
    pub number: Option<String>,
}

/// The searched columns of each kind: `(alias.column, column)`; the first of a task or case
/// is its title.
const TASK_COLUMNS: [&str; 3] = ["title", "content", "remark"];
const REPORT_COLUMNS: [&str; 4] = ["progress_text", "problems", "next_steps", "coordination"];
const CASE_COLUMNS: [&str; 2] = ["title", "content"];
const PROPOSAL_COLUMNS: [&str; 1] = ["body"];

/// The searched text of a row as one expression, exactly as the PostgreSQL indexes of
/// migration 0007 spell it (the planner uses an expression index only for the same expression).
fn joined(alias: &str, columns: &[&str]) -> String {
    let parts: Vec<String> = columns.iter().map(|c| format!("{alias}.{c}")).collect();
    format!("({})", parts.join(" || ' ' || "))
}

/// The operator that matches a [`like_pattern`] ignoring ASCII case, and its escape clause.
/// The one difference in the match itself: PostgreSQL's LIKE is case-sensitive (SQLite's
/// ignores ASCII case), and its escape character is already the backslash (an explicit ESCAPE
/// clause would wrap the pattern in a function call).
pub(crate) fn like_operator(backend: Backend) -> (&'static str, &'static str) {
    match backend {
        Backend::Sqlite => ("LIKE", " ESCAPE '\\'"),
        Backend::Postgres => ("ILIKE", ""),
    }
}

/// `%word%` with LIKE's wildcards and the escape character escaped.
pub(crate) fn like_pattern(word: &str) -> String {
    let mut p = String::with_capacity(word.len() + 2);
    p.push('%');
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// The FTS5 query for the words of three or more characters (each a quoted string, so no
/// character is an operator; FTS5 ANDs them), or `None` when there are none.
fn fts_query(terms: &Terms) -> Option<String> {
    let long: Vec<String> = terms
        .words()
        .iter()
        .filter(|w| w.chars().count() >= 3)
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    (!long.is_empty()).then(|| long.join(" "))
}

/// ` AND p.id IN (…)`: the suggestions and proposals whose searched text (`proposal_texts`)
/// holds every word, through its index — the FTS5 trigram table on SQLite (words of three or
/// more characters; nothing to narrow without one), the pg_trgm GIN index on PostgreSQL. The
/// portal's search narrows published replies with it before checking their own text.
pub(crate) fn proposals_holding(
    backend: Backend,
    terms: &Terms,
    params: &mut Vec<Param>,
) -> String {
    match backend {
        Backend::Sqlite => match fts_query(terms) {
            Some(q) => {
                params.push(q.into());
                format!(
                    " AND p.id IN (SELECT rowid FROM search_proposals WHERE search_proposals MATCH ${})",
                    params.len()
                )
            }
            None => String::new(),
        },
        Backend::Postgres => {
            let (like, escape) = like_operator(backend);
            let each: Vec<String> = terms
                .words()
                .iter()
                .map(|w| {
                    params.push(like_pattern(w).into());
                    format!("x.body {like} ${}{escape}", params.len())
                })
                .collect();
            format!(
                " AND p.id IN (SELECT x.proposal_id FROM proposal_texts x WHERE {})",
                each.join(" AND ")
            )
        }
    }
}

/// The conditions of a search, with its parameters (each bound once and referred to by
/// number in all three branches).
struct Conditions {
    backend: Backend,
    params: Vec<Param>,
    /// `$n` of each word's LIKE pattern.
    words: Vec<String>,
    /// `$n` of the FTS5 query (SQLite, when some word has three or more characters).
    fts: Option<String>,
    year: Option<String>,
    unit: Option<String>,
}

impl Conditions {
    fn new(backend: Backend, q: &SearchQuery) -> Conditions {
        let mut c = Conditions {
            backend,
            params: Vec::new(),
            words: Vec::new(),
            fts: None,
            year: None,
            unit: None,
        };
        for w in q.terms.words() {
            let n = c.bind(like_pattern(w).into());
            c.words.push(n);
        }
        if backend == Backend::Sqlite {
            c.fts = fts_query(&q.terms).map(|f| c.bind(f.into()));
        }
        c.year = q.year.map(|y| c.bind(i64::from(y).into()));
        c.unit = q.unit.map(|u| c.bind(u.into()));
        c
    }

    fn bind(&mut self, p: Param) -> String {
        self.params.push(p);
        format!("${}", self.params.len())
    }

    /// Every word occurs in `text` (an SQL expression).
    fn all_words_in(&self, text: &str) -> String {
        let (like, escape) = like_operator(self.backend);
        let each: Vec<String> = self
            .words
            .iter()
            .map(|n| format!("{text} {like} {n}{escape}"))
            .collect();
        each.join(" AND ")
    }

    /// The match on a table: the LIKE of every word, and on SQLite the FTS5 index narrowing
    /// the rows first.
    fn matches(&self, alias: &str, columns: &[&str], fts_table: &str) -> String {
        self.matches_by(alias, "id", columns, fts_table)
    }

    /// [`Conditions::matches`] on a table whose FTS5 rowid is the column `key`.
    ///
    /// On PostgreSQL the LIKE is on the joined columns, the expression its trigram index
    /// holds. On SQLite each word is looked for column by column instead: the same match (a
    /// word has no space, so it never spans the space that joins two columns), without
    /// building a joined copy of every row's texts, which took half the time of a scan.
    fn matches_by(&self, alias: &str, key: &str, columns: &[&str], fts_table: &str) -> String {
        let mut cond = match self.backend {
            Backend::Postgres => self.all_words_in(&joined(alias, columns)),
            Backend::Sqlite => {
                let (like, escape) = like_operator(self.backend);
                let each: Vec<String> = self
                    .words
                    .iter()
                    .map(|n| {
                        let any: Vec<String> = columns
                            .iter()
                            .map(|c| format!("{alias}.{c} {like} {n}{escape}"))
                            .collect();
                        format!("({})", any.join(" OR "))
                    })
                    .collect();
                each.join(" AND ")
            }
        };
        if let Some(n) = &self.fts {
            cond = format!(
                "{alias}.{key} IN (SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH {n}) AND {cond}"
            );
        }
        cond
    }

    /// 0 when the title holds every word, else 1: the first sort key.
    fn title_rank(&self, title: &str) -> String {
        format!("CASE WHEN {} THEN 0 ELSE 1 END", self.all_words_in(title))
    }
}

/// The page's order within a kind: title hits first, then the most recently changed.
const BY_SCORE: &str = "score, at DESC, id DESC";

/// The `(kind, id, score, at)` of each kind's first `first` hits in the page's order, as one
/// UNION ALL of the kinds the reader may see.
fn hits_sql(c: &Conditions, q: &SearchQuery, first: i64, window: Option<i64>) -> Option<String> {
    let wanted = |k: Kind| q.kind.is_none_or(|x| x == k);
    let task_scope = match &q.tasks {
        Access::None => None,
        Access::All => Some(String::new()),
        Access::Scoped(s) => Some(format!(" AND {}", s.condition())),
    };
    let mut branches = Vec::new();
    if let Some(scope) = &task_scope {
        let mut filters = scope.clone();
        if let Some(n) = &c.year {
            filters.push_str(&format!(" AND t.year = {n}"));
        }
        if wanted(Kind::Task) {
            let mut f = filters.clone();
            if let Some(n) = &c.unit {
                f.push_str(&format!(
                    " AND t.id IN (SELECT tu.task_id FROM task_units tu WHERE tu.unit_id = {n})"
                ));
            }
            branches.push((
                format!(
                    "SELECT 'task' AS kind, t.id AS id, {} AS score, t.updated_at AS at
                 FROM tasks t WHERE {}{f}",
                    c.title_rank("t.title"),
                    c.matches("t", &TASK_COLUMNS, "search_tasks"),
                ),
                BY_SCORE,
            ));
        }
        if wanted(Kind::Report) {
            let mut f = filters;
            if let Some(n) = &c.unit {
                f.push_str(&format!(" AND r.unit_id = {n}"));
            }
            // Every report scores 1, so its first hits are the most recently changed. When
            // no word has a trigram (SQLite, words of one or two characters) nothing narrows
            // the reports before the LIKE; with a `window` they are walked newest first on
            // their `(updated_at, id)` index, reports before tasks, among the newest `window`
            // reports only, and the walk stops at the `first`-th hit: a common word is found
            // in the first few thousand reports instead of a scan and sort of all of them.
            // [`search`] falls back to the scan when the window holds too few hits.
            let (from, f) = match window {
                Some(w) => (
                    "progress_reports r INDEXED BY progress_reports_recent_idx CROSS JOIN tasks t",
                    format!(
                        "{f} AND r.updated_at >= COALESCE((SELECT updated_at FROM progress_reports
                             INDEXED BY progress_reports_recent_idx
                             ORDER BY updated_at DESC, id DESC LIMIT 1 OFFSET {}), '')",
                        w - 1
                    ),
                ),
                None => ("progress_reports r JOIN tasks t", f),
            };
            branches.push((
                format!(
                    "SELECT 'report' AS kind, r.id AS id, 1 AS score, r.updated_at AS at
                     FROM {from} ON t.id = r.task_id
                     WHERE r.state IN ('submitted', 'accepted', 'returned') AND {}{f}",
                    c.matches("r", &REPORT_COLUMNS, "search_reports"),
                ),
                "r.updated_at DESC, r.id DESC",
            ));
        }
    }
    let case_scope = match &q.cases {
        Access::None => None,
        Access::All => Some(String::new()),
        Access::Scoped(s) => Some(format!(" AND {}", s.condition())),
    };
    if let Some(mut f) = case_scope.filter(|_| wanted(Kind::Case)) {
        if let Some(n) = &c.year {
            f.push_str(&format!(" AND c.year = {n}"));
        }
        if let Some(n) = &c.unit {
            f.push_str(&format!(
                " AND (c.lead_unit_id = {n} OR c.id IN (SELECT cu.case_id FROM case_units cu WHERE cu.unit_id = {n}))"
            ));
        }
        branches.push((
            format!(
                "SELECT 'case' AS kind, c.id AS id, {} AS score, c.updated_at AS at
             FROM cases c WHERE {}{f}",
                c.title_rank("c.title"),
                c.matches("c", &CASE_COLUMNS, "search_cases"),
            ),
            BY_SCORE,
        ));
    }
    let proposal_scope = match &q.proposals {
        Access::None => None,
        Access::All => Some(String::new()),
        Access::Scoped(s) => Some(format!(" AND {}", s.condition())),
    };
    if let Some(mut f) = proposal_scope.filter(|_| wanted(Kind::Proposal)) {
        if let Some(n) = &c.year {
            f.push_str(&format!(" AND p.year = {n}"));
        }
        if let Some(n) = &c.unit {
            f.push_str(&format!(
                " AND (p.lead_unit_id = {n} OR p.id IN (SELECT pu.proposal_id FROM proposal_units pu WHERE pu.unit_id = {n}))"
            ));
        }
        branches.push((
            format!(
                "SELECT 'proposal' AS kind, p.id AS id, {} AS score, p.updated_at AS at
             FROM proposals p JOIN proposal_texts x ON x.proposal_id = p.id WHERE {}{f}",
                c.title_rank("p.title"),
                c.matches_by("x", "proposal_id", &PROPOSAL_COLUMNS, "search_proposals"),
            ),
            BY_SCORE,
        ));
    }
    let branches: Vec<String> = branches
        .into_iter()
        .map(|(b, order)| format!("SELECT * FROM ({b} ORDER BY {order} LIMIT {first}) k"))
        .collect();
    (!branches.is_empty()).then(|| branches.join(" UNION ALL "))
}

/// Hits are counted exactly up to this many; past it a page says "1,000+". Nobody reads
/// further than that, and counting 18,000 hits of a common word would cost more than finding
/// the 25 shown.
pub const COUNT_CAP: i64 = 1000;

/// How many of the newest reports a search for a short word walks before it scans them all
/// (`search`): a word in one report of sixteen fills a page and the capped count within it.
const WALK_WINDOW: i64 = 16_000;

/// One page of what `q` finds in the reader's scope: title hits first, then the most recently
/// changed; and the number of all hits, up to [`COUNT_CAP`].
///
/// Each kind's branch keeps only its first hits in the page's order — enough for the page
/// and for the count, [`COUNT_CAP`] + 1 — so a word found in thousands of reports is sorted
/// with a short top-N sort rather than in full, and the page and the count come from one pass
/// over the matches.
#[tracing::instrument(skip_all, fields(search.words = q.terms.words().len()))]
pub async fn search(tx: &mut Tx, q: &SearchQuery) -> Result<Page<Hit>, StoreError> {
    let c = Conditions::new(tx.backend(), q);
    let first = q.offset.saturating_add(q.limit).max(COUNT_CAP + 1);
    // Reports are walked newest first when no word has a trigram (see `hits_sql`): the
    // newest `WALK_WINDOW` of them, then all of them (a scan) when those held fewer than
    // `first` hits — a rare short word, or a reader whose scope holds few reports.
    // Only when the page holds reports at all: otherwise nothing is walked and the count of
    // reports found would always look short, running every such search twice.
    let reports_searched =
        q.kind.is_none_or(|k| k == Kind::Report) && !matches!(q.tasks, Access::None);
    let walk = c.backend == Backend::Sqlite && c.fts.is_none() && reports_searched;
    let mut window = walk.then_some(WALK_WINDOW);
    let (hits, page) = loop {
        let Some(hits) = hits_sql(&c, q, first, window) else {
            return Ok(Page {
                items: Vec::new(),
                total: 0,
                capped: false,
            });
        };
        let n = c.params.len();
        let page: Vec<(String, i64, i64, i64)> = Sql::with_params(
            format!(
                "SELECT kind, id, COUNT(*) OVER () AS n,
                        SUM(CASE WHEN kind = 'report' THEN 1 ELSE 0 END) OVER () AS reports
                 FROM ({hits}) h
                 ORDER BY score, at DESC, kind, id DESC LIMIT ${} OFFSET ${}",
                n + 1,
                n + 2
            ),
            c.params.clone(),
        )
        .bind(q.limit)
        .bind(q.offset)
        .fetch_all(tx)
        .await?;
        let enough = page
            .first()
            .is_some_and(|(_, _, _, reports)| *reports >= first);
        if window.is_some() && !enough {
            window = None;
            continue;
        }
        break (hits, page);
    };
    // Only a page past the end needs a second query for the count.
    let counted = match page.first() {
        Some((_, _, n, _)) => *n,
        None => {
            let (n,): (i64,) =
                Sql::with_params(format!("SELECT COUNT(*) FROM ({hits}) h"), c.params)
                    .fetch_one(tx)
                    .await?;
            n
        }
    };
    let (total, capped) = if counted > COUNT_CAP {
        (COUNT_CAP, true)
    } else {
        (counted, false)
    };
    let ids = |k: &str| -> Vec<i64> {
        page.iter()
            .filter(|(kind, _, _, _)| kind == k)
            .map(|(_, id, _, _)| *id)
            .collect()
    };
    let mut found: HashMap<(Kind, i64), Hit> = HashMap::new();
    for h in task_hits(tx, &ids("task")).await? {
        found.insert((h.kind, h.id), h);
    }
    for h in report_hits(tx, &ids("report")).await? {
        found.insert((h.kind, h.id), h);
    }
    for h in case_hits(tx, &ids("case")).await? {
        found.insert((h.kind, h.id), h);
    }
    for h in proposal_hits(tx, &ids("proposal")).await? {
        found.insert((h.kind, h.id), h);
    }
    let items = page
        .iter()
        .filter_map(|(kind, id, _, _)| found.remove(&(Kind::parse(kind)?, *id)))
        .collect();
    Ok(Page {
        items,
        total,
        capped,
    })
}

/// `column IN <ids>`, the ids bound as `$1` (`query::in_ids`), and that parameter.
fn ids_in(tx: &Tx, column: &str, ids: &[i64]) -> (String, Param) {
    let backend = tx.backend();
    (
        crate::query::in_ids(backend, column, 1),
        crate::query::ids_param(backend, ids),
    )
}

#[derive(sqlx::FromRow)]
struct TaskText {
    id: i64,
    year: i64,
    title: String,
    content: String,
    remark: String,
    path: String,
    state: String,
    unit_name: String,
}

async fn task_hits(tx: &mut Tx, ids: &[i64]) -> Result<Vec<Hit>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (cond, set) = ids_in(tx, "t.id", ids);
    let rows: Vec<TaskText> = Sql::assembled(format!(
        "SELECT t.id, t.year, t.title, t.content, t.remark, t.path, t.state,
                u.short_name AS unit_name
         FROM tasks t JOIN units u ON u.id = t.lead_unit_id WHERE {cond}"
    ))
    .bind(set)
    .fetch_all(tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Hit {
            kind: Kind::Task,
            id: r.id,
            year: r.year,
            title: r.title,
            texts: vec![("content", r.content), ("remark", r.remark)],
            unit_name: Some(r.unit_name),
            state: r.state,
            task_id: Some(r.id),
            path: Some(r.path),
            period: None,
            number: None,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct ReportText {
    id: i64,
    year: i64,
    task_id: i64,
    task_title: String,
    path: String,
    period: String,
    state: String,
    progress_text: String,
    problems: String,
    next_steps: String,
    coordination: String,
    unit_name: String,
}

async fn report_hits(tx: &mut Tx, ids: &[i64]) -> Result<Vec<Hit>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (cond, set) = ids_in(tx, "r.id", ids);
    let rows: Vec<ReportText> = Sql::assembled(format!(
        "SELECT r.id, t.year, t.id AS task_id, t.title AS task_title, t.path, r.period, r.state,
                r.progress_text, r.problems, r.next_steps, r.coordination,
                u.short_name AS unit_name
         FROM progress_reports r JOIN tasks t ON t.id = r.task_id
         JOIN units u ON u.id = r.unit_id WHERE {cond}"
    ))
    .bind(set)
    .fetch_all(tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Hit {
            kind: Kind::Report,
            id: r.id,
            year: r.year,
            title: r.task_title,
            texts: vec![
                ("progress_text", r.progress_text),
                ("problems", r.problems),
                ("next_steps", r.next_steps),
                ("coordination", r.coordination),
            ],
            unit_name: Some(r.unit_name),
            state: r.state,
            task_id: Some(r.task_id),
            path: Some(r.path),
            period: Some(r.period),
            number: None,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct CaseText {
    id: i64,
    year: i64,
    title: String,
    content: String,
    state: String,
    unit_name: Option<String>,
}

async fn case_hits(tx: &mut Tx, ids: &[i64]) -> Result<Vec<Hit>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (cond, set) = ids_in(tx, "c.id", ids);
    let rows: Vec<CaseText> = Sql::assembled(format!(
        "SELECT c.id, c.year, c.title, c.content, c.state, u.short_name AS unit_name
         FROM cases c LEFT JOIN units u ON u.id = c.lead_unit_id WHERE {cond}"
    ))
    .bind(set)
    .fetch_all(tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Hit {
            kind: Kind::Case,
            id: r.id,
            year: r.year,
            title: r.title,
            texts: vec![("content", r.content)],
            unit_name: r.unit_name,
            state: r.state,
            task_id: None,
            path: None,
            period: None,
            number: None,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct ProposalText {
    id: i64,
    year: i64,
    number: String,
    title: String,
    content: String,
    state: String,
    unit_name: Option<String>,
}

async fn proposal_hits(tx: &mut Tx, ids: &[i64]) -> Result<Vec<Hit>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (cond, set) = ids_in(tx, "p.id", ids);
    let rows: Vec<ProposalText> = Sql::assembled(format!(
        "SELECT p.id, p.year, p.number, p.title, p.content, p.state, u.short_name AS unit_name
         FROM proposals p LEFT JOIN units u ON u.id = p.lead_unit_id WHERE {cond}"
    ))
    .bind(set)
    .fetch_all(tx)
    .await?;
    let (cond, set) = ids_in(tx, "proposal_id", ids);
    let replies: Vec<(i64, String)> = Sql::assembled(format!(
        "SELECT proposal_id, body FROM proposal_replies WHERE {cond}
         ORDER BY proposal_id, round DESC"
    ))
    .bind(set)
    .fetch_all(tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            // The latest reply first: the snippet shows the first text a word occurs in.
            let mut texts = vec![("content", r.content)];
            texts.extend(
                replies
                    .iter()
                    .filter(|(p, _)| *p == r.id)
                    .map(|(_, body)| ("reply", body.clone())),
            );
            texts.push(("number", r.number.clone()));
            Hit {
                kind: Kind::Proposal,
                id: r.id,
                year: r.year,
                title: r.title,
                texts,
                unit_name: r.unit_name,
                state: r.state,
                task_id: None,
                path: None,
                period: None,
                number: Some(r.number),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards_and_the_escape_character() {
        assert_eq!(like_pattern("用地"), "%用地%");
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn the_fts_query_quotes_words_of_three_or_more_characters_only() {
        let t = Terms::parse("用地 工业用地 a\"b\"c OR").unwrap();
        assert_eq!(
            fts_query(&t).as_deref(),
            Some("\"工业用地\" \"a\"\"b\"\"c\"")
        );
        assert_eq!(fts_query(&Terms::parse("用地 OR").unwrap()), None);
    }

    #[test]
    fn the_joined_text_is_the_indexed_expression() {
        assert_eq!(
            joined("t", &TASK_COLUMNS),
            "(t.title || ' ' || t.content || ' ' || t.remark)"
        );
    }
}
