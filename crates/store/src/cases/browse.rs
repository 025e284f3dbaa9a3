//! Reading many cases: a filtered, paginated list limited to the reader's scope, counts by
//! state and light for the case dashboard, and the open cases the escalation jobs look at.

use crate::{Param, Sql, StoreError, Tx};
use duban_core::cases::facts::{CaseKind, Source};
use duban_core::cases::state::CaseState;
use duban_core::org::{PersonId, UnitId};
use jiff::civil::Date;
use serde::Serialize;

/// The states in which a deadline runs (`core::cases::ladder::applies`), as SQL.
const RUNNING: &str =
    "('assigned', 'return_requested', 'handling', 'ongoing_proposed', 'defer_proposed')";

/// The states that report periodically instead (`core::cases::timeliness::reports_periodically`).
const PERIODIC: &str = "('ongoing', 'deferred')";

/// Which cases to list. Every field narrows.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub year: Option<i16>,
    pub state: Option<CaseState>,
    /// Only open cases (not closed out, not suspended).
    pub open: bool,
    pub kind: Option<CaseKind>,
    pub source: Option<Source>,
    /// Lead, co- or split unit.
    pub unit: Option<UnitId>,
    /// Dispatched to this person.
    pub handler: Option<PersonId>,
    pub raised_by: Option<PersonId>,
    pub meeting: Option<i64>,
    pub light: Option<LightFilter>,
    /// Words of the title, content or category (substring match).
    pub text: Option<String>,
    pub scope: Option<CaseScope>,
    pub limit: i64,
    pub offset: i64,
}

/// The light as SQL can test it, given today's dates: red = overdue; yellow = due by
/// `soon_until` or not acknowledged by its window; green = on the clock otherwise.
#[derive(Debug, Clone, Copy)]
pub struct LightFilter {
    pub light: duban_core::cases::timeliness::Light,
    pub today: Date,
    /// The last date still "due soon" (today + the due-soon window in working days).
    pub soon_until: Date,
}

/// What a reader without a whole-city role may see: cases of these units, or naming this
/// person as leader, handler or raiser. Deputies see only what they raised (`units` empty).
#[derive(Debug, Clone, Default)]
pub struct CaseScope {
    pub units: Vec<UnitId>,
    pub person: Option<PersonId>,
}

impl CaseScope {
    /// The scope as an SQL condition on a case aliased `c` (also used by `store::search`, so
    /// search and lists apply one rule).
    pub(crate) fn condition(&self) -> String {
        // Ids come from our own database, not from user input.
        let units: Vec<String> = self.units.iter().map(|u| u.0.to_string()).collect();
        let mut alternatives = Vec::new();
        if !units.is_empty() {
            let list = units.join(",");
            alternatives.push(format!("c.lead_unit_id IN ({list})"));
            alternatives.push(format!(
                "c.id IN (SELECT cs.case_id FROM case_units cs WHERE cs.unit_id IN ({list}))"
            ));
        }
        if let Some(p) = self.person {
            for column in ["c.leader_id", "c.handler_id", "c.raised_by"] {
                alternatives.push(format!("{column} = {}", p.0));
            }
        }
        if alternatives.is_empty() {
            "1 = 0".to_string()
        } else {
            format!("({})", alternatives.join(" OR "))
        }
    }
}

/// One row of a case list.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct CaseRow {
    pub id: i64,
    pub year: i64,
    pub kind: String,
    pub source: String,
    pub title: String,
    pub category: String,
    pub urgency: String,
    pub state: String,
    pub lead_unit_id: Option<i64>,
    pub lead_unit_name: Option<String>,
    pub leader_name: Option<String>,
    pub handler_name: Option<String>,
    pub deadline_rule: Option<String>,
    #[serde(skip)]
    pub found_on: jiff_sqlx::Date,
    #[serde(skip)]
    pub due_on: Option<jiff_sqlx::Date>,
    #[serde(skip)]
    pub ack_due_on: Option<jiff_sqlx::Date>,
    #[serde(skip)]
    pub report_due_on: Option<jiff_sqlx::Date>,
    #[serde(skip)]
    pub closed_on: Option<jiff_sqlx::Date>,
    pub rating: Option<String>,
    pub co_units: Option<String>,
    pub measures: String,
    pub progress_note: String,
    pub evidence_note: String,
    pub verifier_name: Option<String>,
}

impl CaseRow {
    pub fn state(&self) -> Option<CaseState> {
        CaseState::parse(&self.state)
    }
    pub fn due(&self) -> Option<Date> {
        self.due_on.map(|d| d.to_jiff())
    }
    pub fn ack_due(&self) -> Option<Date> {
        self.ack_due_on.map(|d| d.to_jiff())
    }
    pub fn report_due(&self) -> Option<Date> {
        self.report_due_on.map(|d| d.to_jiff())
    }
    pub fn found(&self) -> Date {
        self.found_on.to_jiff()
    }
    pub fn closed(&self) -> Option<Date> {
        self.closed_on.map(|d| d.to_jiff())
    }
    /// Co-unit names, in the order stored.
    pub fn co_unit_names(&self) -> Vec<String> {
        self.co_units
            .as_deref()
            .unwrap_or("")
            .split('\u{1f}')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }
}

fn row_select(backend: crate::Backend) -> String {
    let agg = match backend {
        crate::Backend::Sqlite => "group_concat(un.short_name, char(31))",
        crate::Backend::Postgres => "string_agg(un.short_name, chr(31) ORDER BY un.id)",
    };
    format!(
        "SELECT c.id, c.year, c.kind, c.source, c.title, c.category, c.urgency, c.state,
            c.lead_unit_id, u.short_name AS lead_unit_name, l.name AS leader_name,
            h.name AS handler_name, c.deadline_rule, c.found_on, c.due_on, c.ack_due_on,
            c.report_due_on, c.closed_on, c.rating,
            (SELECT {agg} FROM case_units cu JOIN units un ON un.id = cu.unit_id
              WHERE cu.case_id = c.id) AS co_units,
            c.measures, c.progress_note, c.evidence_note, v.name AS verifier_name
         FROM cases c
         LEFT JOIN units u ON u.id = c.lead_unit_id
         LEFT JOIN people l ON l.id = c.leader_id
         LEFT JOIN people h ON h.id = c.handler_id
         LEFT JOIN people v ON v.id = c.verifier_id"
    )
}

fn where_clause(f: &CaseFilter) -> (String, Vec<Param>) {
    let mut w = String::from(" WHERE 1 = 1");
    let mut params: Vec<Param> = Vec::new();
    let mut push = |cond: &str, p: Param, w: &mut String| {
        params.push(p);
        w.push_str(&cond.replace("$?", &format!("${}", params.len())));
    };
    if let Some(y) = f.year {
        push(" AND c.year = $?", i64::from(y).into(), &mut w);
    }
    if let Some(s) = f.state {
        push(" AND c.state = $?", s.as_str().into(), &mut w);
    }
    if f.open {
        w.push_str(" AND c.state NOT IN ('closed_out', 'suspended')");
    }
    if let Some(k) = f.kind {
        push(" AND c.kind = $?", k.as_str().into(), &mut w);
    }
    if let Some(s) = f.source {
        push(" AND c.source = $?", s.as_str().into(), &mut w);
    }
    if let Some(u) = f.unit {
        push(
            " AND (c.lead_unit_id = $? OR c.id IN (SELECT cu.case_id FROM case_units cu WHERE cu.unit_id = $?))",
            u.into(),
            &mut w,
        );
    }
    if let Some(p) = f.handler {
        push(" AND c.handler_id = $?", p.into(), &mut w);
    }
    if let Some(p) = f.raised_by {
        push(" AND c.raised_by = $?", p.into(), &mut w);
    }
    if let Some(m) = f.meeting {
        push(" AND c.meeting_id = $?", m.into(), &mut w);
    }
    if let Some(l) = f.light {
        // The same rule as `core::cases::timeliness::{flags, light}`, in SQL; a store test
        // checks the two agree.
        use duban_core::cases::timeliness::Light;
        match l.light {
            Light::Red => {
                w.push_str(&format!(" AND c.state IN {RUNNING}"));
                push(" AND c.due_on < $?", l.today.into(), &mut w);
            }
            Light::Yellow => {
                w.push_str(&format!(" AND ((c.state IN {RUNNING}"));
                push(
                    " AND (c.due_on IS NULL OR c.due_on >= $?)",
                    l.today.into(),
                    &mut w,
                );
                push(" AND (c.due_on <= $?", l.soon_until.into(), &mut w);
                push(
                    " OR (c.state = 'assigned' AND c.ack_due_on < $?)))",
                    l.today.into(),
                    &mut w,
                );
                push(
                    &format!(" OR (c.state IN {PERIODIC} AND c.report_due_on < $?))"),
                    l.today.into(),
                    &mut w,
                );
            }
            Light::Green => {
                w.push_str(&format!(" AND ((c.state IN {RUNNING}"));
                push(
                    " AND (c.due_on IS NULL OR c.due_on > $?)",
                    l.soon_until.into(),
                    &mut w,
                );
                push(
                    " AND NOT (c.state = 'assigned' AND c.ack_due_on IS NOT NULL AND c.ack_due_on < $?))",
                    l.today.into(),
                    &mut w,
                );
                push(
                    &format!(
                        " OR (c.state IN {PERIODIC} AND (c.report_due_on IS NULL OR c.report_due_on >= $?)))"
                    ),
                    l.today.into(),
                    &mut w,
                );
            }
        }
    }
    if let Some(text) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", text.replace(['%', '_'], ""));
        push(
            " AND (c.title LIKE $? OR c.content LIKE $? OR c.category LIKE $?)",
            pattern.into(),
            &mut w,
        );
    }
    if let Some(scope) = &f.scope {
        w.push_str(&format!(" AND {}", scope.condition()));
    }
    (w, params)
}

/// One page of cases, the most urgent first (earliest deadline, then newest), and the number
/// of all matches.
pub async fn list_cases(tx: &mut Tx, f: &CaseFilter) -> Result<(Vec<CaseRow>, i64), StoreError> {
    let (w, params) = where_clause(f);
    let n = params.len();
    let select = row_select(tx.backend());
    let rows: Vec<CaseRow> = Sql::with_params(
        format!(
            "{select}{w} ORDER BY CASE WHEN c.due_on IS NULL THEN 1 ELSE 0 END, c.due_on, c.id DESC
             LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        ),
        params.clone(),
    )
    .bind(f.limit)
    .bind(f.offset)
    .fetch_all(tx)
    .await?;
    let (total,): (i64,) = Sql::with_params(format!("SELECT COUNT(*) FROM cases c{w}"), params)
        .fetch_one(tx)
        .await?;
    Ok((rows, total))
}

/// How many cases match a filter, by state.
pub async fn count_by_state(tx: &mut Tx, f: &CaseFilter) -> Result<Vec<(String, i64)>, StoreError> {
    let (w, params) = where_clause(f);
    Sql::with_params(
        format!("SELECT c.state, COUNT(*) FROM cases c{w} GROUP BY c.state ORDER BY c.state"),
        params,
    )
    .fetch_all(tx)
    .await
}

/// How many cases match a filter.
pub async fn count_cases(tx: &mut Tx, f: &CaseFilter) -> Result<i64, StoreError> {
    let (w, params) = where_clause(f);
    let (n,): (i64,) = Sql::with_params(format!("SELECT COUNT(*) FROM cases c{w}"), params)
        .fetch_one(tx)
        .await?;
    Ok(n)
}

/// Open cases on the clock whose deadline is kept as a rule with its start (the ones a
/// change of the holiday calendar can move).
pub async fn cases_with_running_deadlines(tx: &mut Tx) -> Result<Vec<i64>, StoreError> {
    let rows: Vec<(i64,)> = Sql::assembled(format!(
        "SELECT id FROM cases WHERE state IN {RUNNING}
           AND deadline_rule IS NOT NULL AND deadline_from IS NOT NULL ORDER BY id"
    ))
    .fetch_all(tx)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
