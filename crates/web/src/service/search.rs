//! Search for pages and the API: the query string parsed into `core::search::Terms` and
//! filters, the reader's scope taken from the same functions the lists, cases and
//! suggestions/proposals use, one
//! store call, and each hit with its title and snippet as escaped HTML with the matches in
//! `<mark>`.

use crate::error::{AppError, FieldError};
use crate::service::cases::case_scope;
use crate::service::lists::reader_scope;
use crate::state::AppState;
use duban_core::org::UnitId;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::search::{Kind, Piece, Terms};
use duban_store::cases::browse::CaseScope;
use duban_store::lists::browse::ReaderScope;
use duban_store::proposals::browse::Scope as ProposalScope;
use duban_store::search::{self as store, Access, Hit, SearchQuery};
use serde::{Deserialize, Serialize};

/// Hits per page unless the API caller asks for another number (at most [`MAX_PER_PAGE`]).
pub const PER_PAGE: i64 = 20;
pub const MAX_PER_PAGE: i64 = 100;
/// Characters of a snippet.
const SNIPPET_CHARS: usize = 80;

/// A search as a query string (`/search` and `GET /api/v1/search`).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words separated by spaces; a hit contains every word (Chinese needs no spaces:
    /// `工业用地` finds `低效工业用地整治`). At most 8 words of at most 50 characters.
    pub q: Option<String>,
    /// `task`, `report`, `case` or `proposal` (a suggestion or proposal, found by its
    /// number, title, content or reply); empty for all.
    pub kind: Option<String>,
    /// The year of the task (a report: its task's), the case or the suggestion/proposal.
    pub year: Option<String>,
    /// A unit id: tasks it leads or takes part in, its reports, cases and suggestions/proposals
    /// it leads or shares.
    pub unit: Option<String>,
    /// 1-based page number.
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
    /// Hits per page, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The checked filters of a search.
#[derive(Debug, Clone)]
pub struct Filters {
    pub terms: Terms,
    pub kind: Option<Kind>,
    pub year: Option<i16>,
    pub unit: Option<i64>,
    pub page: i64,
    pub per_page: i64,
}

impl SearchParams {
    /// The filters, or the first unusable parameter as a 400 naming it.
    pub fn filters(&self) -> Result<Filters, AppError> {
        let terms = Terms::parse(self.q.as_deref().unwrap_or(""))
            .map_err(|e| AppError::BadQuery(FieldError::new("q", e.code())))?;
        let bad = |field: &'static str| AppError::BadQuery(FieldError::new(field, "bad_choice"));
        Ok(Filters {
            terms,
            kind: blank(&self.kind)
                .map(|k| Kind::parse(k).ok_or_else(|| bad("kind")))
                .transpose()?,
            year: blank(&self.year)
                .map(|y| y.parse().map_err(|_| bad("year")))
                .transpose()?,
            unit: blank(&self.unit)
                .map(|u| u.parse().map_err(|_| bad("unit")))
                .transpose()?,
            page: crate::api::check_range("page", "page_range", self.page, crate::api::PAGE_RANGE)?
                .unwrap_or(1),
            per_page: crate::api::check_range(
                "per_page",
                "search_per_page_range",
                self.per_page,
                (1, MAX_PER_PAGE),
            )?
            .unwrap_or(PER_PAGE),
        })
    }
}

/// One hit as shown: where it leads, and its title and snippet as HTML.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Found {
    /// `task`, `report`, `case` or `proposal`.
    pub kind: String,
    /// The task's, report's, case's or suggestion's/proposal's id.
    pub id: i64,
    /// The page that shows it (a report: its task's page; a suggestion or proposal:
    /// `/proposals/{id}`).
    pub url: String,
    pub year: i64,
    /// The task's or case's title; for a report, its task's title.
    pub title: String,
    /// The title as HTML: escaped, every match in `<mark>`.
    pub title_html: String,
    /// Some text around the first match outside the title, as HTML like `title_html`; empty
    /// when only the title matches.
    pub snippet_html: String,
    /// The column the snippet comes from (`content`, `remark`, `progress_text`, `problems`,
    /// `next_steps`, `coordination`; a suggestion's or proposal's `content`, `reply` or
    /// `number`), if any.
    pub snippet_field: Option<String>,
    /// The lead unit (a report: the reporting unit).
    pub unit: Option<String>,
    pub state: String,
    /// A task's 序号 (a report: its task's).
    pub path: Option<String>,
    pub task_id: Option<i64>,
    /// A report's period (`2026-10`, `2026-Q3` …).
    pub period: Option<String>,
    /// A suggestion's or proposal's number (建议号 / 提案号).
    pub number: Option<String>,
}

/// A page of hits.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Results {
    /// The words searched for.
    pub words: Vec<String>,
    pub items: Vec<Found>,
    /// All hits, counted up to 1,000.
    pub total: i64,
    /// There are more hits than `total` (shown as "1,000+"): counting stops there.
    pub total_capped: bool,
    pub page: i64,
    pub per_page: i64,
}

/// Tasks the actor may find: none for roles that may not view tasks (deputies), else the
/// lists' reader scope. Reports follow their task.
fn task_access(actor: &Actor) -> Access<ReaderScope> {
    if decide(actor, Action::ViewTasks, Object::City).is_err() {
        return Access::None;
    }
    reader_scope(actor).map_or(Access::All, Access::Scoped)
}

/// Cases the actor may find: the case list's scope (a deputy: what they raised).
fn case_access(actor: &Actor) -> Access<CaseScope> {
    if decide(actor, Action::ViewCases, Object::City).is_err() {
        return Access::None;
    }
    case_scope(actor).map_or(Access::All, Access::Scoped)
}

/// Suggestions and proposals the actor may find: the proposals family's own scope
/// (`service::proposals::scope`: a deputy their own and co-signed items, a unit what it is
/// assigned, the offices their kind, whole-city roles everything).
fn proposal_access(actor: &Actor) -> Access<ProposalScope> {
    if decide(actor, Action::ViewProposals, Object::City).is_err() {
        return Access::None;
    }
    crate::service::proposals::scope(actor).map_or(Access::All, Access::Scoped)
}

/// Runs a search in the actor's scope.
pub async fn search(
    state: &AppState,
    actor: &Actor,
    filters: &Filters,
) -> Result<Results, AppError> {
    if actor.role.is_none() {
        return Err(AppError::NotSignedIn);
    }
    let q = SearchQuery {
        terms: filters.terms.clone(),
        kind: filters.kind,
        year: filters.year,
        unit: filters.unit.map(UnitId),
        tasks: task_access(actor),
        cases: case_access(actor),
        proposals: proposal_access(actor),
        limit: filters.per_page,
        offset: (filters.page - 1).saturating_mul(filters.per_page),
    };
    let mut tx = state.store.begin_read().await?;
    let page = store::search(&mut tx, &q).await?;
    Ok(Results {
        words: filters.terms.words().to_vec(),
        items: page
            .items
            .into_iter()
            .map(|h| found(&filters.terms, h))
            .collect(),
        total: page.total,
        total_capped: page.capped,
        page: filters.page,
        per_page: filters.per_page,
    })
}

fn found(terms: &Terms, h: Hit) -> Found {
    let snippet = h
        .texts
        .iter()
        .find_map(|(field, text)| Some((*field, terms.snippet(text, SNIPPET_CHARS)?)));
    let url = match h.kind {
        Kind::Task => format!("/lists/tasks/{}", h.id),
        Kind::Report => format!("/lists/tasks/{}", h.task_id.unwrap_or_default()),
        Kind::Case => format!("/cases/{}", h.id),
        Kind::Proposal => format!("/proposals/{}", h.id),
    };
    Found {
        kind: h.kind.as_str().to_string(),
        id: h.id,
        url,
        year: h.year,
        title_html: marked_html(&terms.highlight(&h.title)),
        title: h.title,
        snippet_html: snippet
            .as_ref()
            .map(|(_, p)| marked_html(p))
            .unwrap_or_default(),
        snippet_field: snippet.map(|(f, _)| f.to_string()),
        unit: h.unit_name,
        state: h.state,
        path: h.path,
        task_id: h.task_id,
        period: h.period,
        number: h.number,
    }
}

/// Pieces as HTML: every piece escaped first, then the matching ones wrapped in `<mark>`, so
/// no stored text can add markup.
pub fn marked_html(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for p in pieces {
        let text = escape_html(&p.text);
        if p.hit {
            out.push_str("<mark>");
            out.push_str(&text);
            out.push_str("</mark>");
        } else {
            out.push_str(&text);
        }
    }
    out
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_markup_is_escaped_and_only_matches_are_marked() {
        let terms = Terms::parse("<b>用地").unwrap();
        assert_eq!(
            marked_html(&terms.highlight("<b>用地</b> & \"x\"")),
            "<mark>&lt;b&gt;用地</mark>&lt;/b&gt; &amp; &quot;x&quot;"
        );
    }

    #[test]
    fn an_empty_query_is_a_400_naming_q() {
        let e = SearchParams::default().filters().unwrap_err();
        assert!(
            matches!(
                e,
                AppError::BadQuery(FieldError {
                    field: "q",
                    code: "empty"
                })
            ),
            "{e:?}"
        );
        let p = SearchParams {
            q: Some("用地".into()),
            kind: Some("tasks".into()),
            ..SearchParams::default()
        };
        assert!(matches!(
            p.filters(),
            Err(AppError::BadQuery(FieldError { field: "kind", .. }))
        ));
    }
}
