//! Reading many items: a filtered list limited to the reader's scope, and the facts the rates
//! add up (one row per item, read in one query; the definitions are `core::proposals::rates`).

use super::{bad, class, date, rating};
use crate::{Param, Sql, StoreError, Tx};
use duban_core::org::{PersonId, UnitId};
use duban_core::proposals::ProposalId;
use duban_core::proposals::kind::Kind;
use duban_core::proposals::rates::Facts;
use duban_core::proposals::state::State;
use jiff::civil::Date;
use serde::Serialize;

/// What a reader without a whole-city role may see: the kinds their office registers, items
/// naming them (proposer, co-signer, supervising leader), items of their units.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub kinds: Vec<Kind>,
    pub units: Vec<UnitId>,
    pub person: Option<PersonId>,
}

impl Scope {
    /// The scope as an SQL condition on `proposals p` (the lists', the rates' and the
    /// search's).
    pub(crate) fn condition(&self) -> String {
        // Ids and kinds come from our own data, not from user input.
        let mut alternatives = Vec::new();
        for k in &self.kinds {
            alternatives.push(format!("p.kind = '{}'", k.as_str()));
        }
        if !self.units.is_empty() {
            let list: Vec<String> = self.units.iter().map(|u| u.0.to_string()).collect();
            let list = list.join(",");
            alternatives.push(format!("p.lead_unit_id IN ({list})"));
            alternatives.push(format!(
                "p.id IN (SELECT pu.proposal_id FROM proposal_units pu WHERE pu.unit_id IN ({list}))"
            ));
        }
        if let Some(person) = self.person {
            let me = person.0;
            alternatives.push(format!("p.proposer_id = {me}"));
            alternatives.push(format!("p.leader_id = {me}"));
            alternatives.push(format!(
                "p.id IN (SELECT pc.proposal_id FROM proposal_cosigners pc WHERE pc.person_id = {me})"
            ));
        }
        if alternatives.is_empty() {
            "1 = 0".into()
        } else {
            format!("({})", alternatives.join(" OR "))
        }
    }
}

/// Which items to list. Every field narrows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub year: Option<i16>,
    pub kind: Option<Kind>,
    pub state: Option<State>,
    /// Lead unit only (the rates' grouping).
    pub lead_unit: Option<UnitId>,
    pub category: Option<String>,
    /// As proposer or co-signer.
    pub person: Option<PersonId>,
    /// A substring of the number, title, content or a reply.
    pub text: Option<String>,
    /// Exactly these items (a drill-down).
    pub ids: Option<Vec<ProposalId>>,
    /// Only items overdue on this day: a reply owed past its deadline (the re-handling one
    /// while re-handled), or a follow-up (续报) owed past its date.
    pub overdue_on: Option<Date>,
    pub scope: Option<Scope>,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Row {
    pub id: i64,
    pub number: String,
    pub kind: String,
    pub title: String,
    pub category: String,
    pub group_name: String,
    pub state: String,
    pub key_item: bool,
    pub proposer_name: String,
    pub lead_unit_name: Option<String>,
    #[serde(skip)]
    pub reply_due_on: Option<jiff_sqlx::Date>,
    pub class: Option<String>,
    pub rating: Option<String>,
    pub rating_pending: bool,
}

impl Row {
    pub fn state(&self) -> Option<State> {
        State::parse(&self.state)
    }
    pub fn due(&self) -> Option<Date> {
        date(self.reply_due_on)
    }
}

fn where_clause(f: &Filter) -> (String, Vec<Param>) {
    let mut w = String::from(" WHERE 1 = 1");
    let mut params: Vec<Param> = Vec::new();
    let mut push = |cond: &str, p: Param, w: &mut String| {
        params.push(p);
        w.push_str(&cond.replace("$?", &format!("${}", params.len())));
    };
    if let Some(y) = f.year {
        push(" AND p.year = $?", i64::from(y).into(), &mut w);
    }
    if let Some(k) = f.kind {
        push(" AND p.kind = $?", k.as_str().into(), &mut w);
    }
    if let Some(s) = f.state {
        push(" AND p.state = $?", s.as_str().into(), &mut w);
    }
    if let Some(u) = f.lead_unit {
        push(" AND p.lead_unit_id = $?", u.into(), &mut w);
    }
    if let Some(c) = &f.category {
        push(" AND p.category = $?", c.clone().into(), &mut w);
    }
    if let Some(me) = f.person {
        push(
            " AND (p.proposer_id = $? OR p.id IN (SELECT pc.proposal_id FROM proposal_cosigners pc WHERE pc.person_id = $?))",
            me.into(),
            &mut w,
        );
    }
    if let Some(t) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        // A plain substring: Chinese has no word boundaries to index on.
        let like = format!(
            "%{}%",
            t.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        push(
            " AND (p.number LIKE $? ESCAPE '\\' OR p.title LIKE $? ESCAPE '\\' OR p.content LIKE $? ESCAPE '\\'
                   OR p.id IN (SELECT r.proposal_id FROM proposal_replies r WHERE r.body LIKE $? ESCAPE '\\'))",
            like.into(),
            &mut w,
        );
    }
    if let Some(day) = f.overdue_on {
        let owed: Vec<String> = State::ALL
            .into_iter()
            .filter(|s| s.reply_owed() && *s != State::ReHandling)
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        push(
            &format!(
                " AND ((p.state IN ({}) AND p.reply_due_on < $?)
                   OR (p.state = 're_handling' AND p.rehandling_due_on < $?)
                   OR (p.state = 'follow_up_owed' AND p.follow_up_due_on < $?))",
                owed.join(",")
            ),
            day.into(),
            &mut w,
        );
    }
    if let Some(ids) = &f.ids {
        let list: Vec<String> = ids.iter().map(|i| i.0.to_string()).collect();
        if list.is_empty() {
            w.push_str(" AND 1 = 0");
        } else {
            w.push_str(&format!(" AND p.id IN ({})", list.join(",")));
        }
    }
    if let Some(scope) = &f.scope {
        w.push_str(" AND ");
        w.push_str(&scope.condition());
    }
    (w, params)
}

/// A page of items, by number, and how many match in all.
pub async fn list(tx: &mut Tx, f: &Filter) -> Result<(Vec<Row>, i64), StoreError> {
    let (w, params) = where_clause(f);
    let n = params.len();
    let rows: Vec<Row> = Sql::with_params(
        format!(
            "SELECT p.id, p.number, p.kind, p.title, p.category, p.group_name, p.state, p.key_item,
                pe.name AS proposer_name, u.short_name AS lead_unit_name, p.reply_due_on, p.class,
                p.rating, p.rating_pending
             FROM proposals p
             JOIN people pe ON pe.id = p.proposer_id
             LEFT JOIN units u ON u.id = p.lead_unit_id{w}
             ORDER BY p.kind DESC, p.year, p.seq LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        ),
        params.clone(),
    )
    .bind(f.limit.max(1))
    .bind(f.offset.max(0))
    .fetch_all(tx)
    .await?;
    let (total,): (i64,) = Sql::with_params(format!("SELECT COUNT(*) FROM proposals p{w}"), params)
        .fetch_one(tx)
        .await?;
    Ok((rows, total))
}

/// How many items of the filter (its state left out) are in each state.
pub async fn count_by_state(tx: &mut Tx, f: &Filter) -> Result<Vec<(String, i64)>, StoreError> {
    let f = Filter {
        state: None,
        ..f.clone()
    };
    let (w, params) = where_clause(&f);
    Sql::with_params(
        format!("SELECT p.state, COUNT(*) FROM proposals p{w} GROUP BY p.state"),
        params,
    )
    .fetch_all(tx)
    .await
}

/// What the rates read of one item, with the keys they are grouped by.
#[derive(Debug, Clone)]
pub struct FactRow {
    pub id: ProposalId,
    pub year: i16,
    pub kind: Kind,
    pub lead_unit_id: Option<UnitId>,
    pub lead_unit_name: Option<String>,
    pub category: String,
    pub facts: Facts,
}

#[derive(sqlx::FromRow)]
struct FactColumns {
    id: i64,
    year: i64,
    kind: String,
    state: String,
    lead_unit_id: Option<i64>,
    lead_unit_name: Option<String>,
    category: String,
    reply_due_on: Option<jiff_sqlx::Date>,
    first_replied_on: Option<jiff_sqlx::Date>,
    class: Option<String>,
    solved: bool,
    follow_ups: i64,
    first_rating: Option<String>,
    rating: Option<String>,
    rating_pending: bool,
    evaluation_due_on: Option<jiff_sqlx::Date>,
    reported: bool,
    site: bool,
    revisit: bool,
    face_to_face: bool,
    head: bool,
}

/// Every item of a year (of one kind, or both) as the rates see it, in one query over the
/// item rows (the facts are kept on them by every step).
pub async fn facts(
    tx: &mut Tx,
    year: i16,
    kind: Option<Kind>,
    scope: Option<&Scope>,
) -> Result<Vec<FactRow>, StoreError> {
    let f = Filter {
        year: Some(year),
        kind,
        scope: scope.cloned(),
        ..Filter::default()
    };
    facts_of(tx, &f).await
}

/// The facts of the items a filter selects (its limit and offset ignored).
pub(crate) async fn facts_of(tx: &mut Tx, f: &Filter) -> Result<Vec<FactRow>, StoreError> {
    let (w, params) = where_clause(f);
    let rows: Vec<FactColumns> = Sql::with_params(
        format!(
            "SELECT p.id, p.year, p.kind, p.state, p.lead_unit_id, u.short_name AS lead_unit_name,
                p.category, p.reply_due_on, p.first_replied_on, p.class, p.solved, p.follow_ups,
                p.first_rating, p.rating, p.rating_pending, p.evaluation_due_on, p.reported,
                p.site, p.revisit, p.face_to_face, p.head
             FROM proposals p LEFT JOIN units u ON u.id = p.lead_unit_id{w}"
        ),
        params,
    )
    .fetch_all(tx)
    .await?;
    rows.into_iter()
        .map(|c| {
            let state = State::parse(&c.state).ok_or_else(|| bad("state"))?;
            Ok(FactRow {
                id: ProposalId(c.id),
                year: i16::try_from(c.year).map_err(|_| bad("year"))?,
                kind: Kind::parse(&c.kind).ok_or_else(|| bad("kind"))?,
                lead_unit_id: c.lead_unit_id.map(UnitId),
                lead_unit_name: c.lead_unit_name,
                category: c.category,
                facts: Facts {
                    handed_out: state.handed_out(),
                    reply_due_on: date(c.reply_due_on),
                    first_replied_on: date(c.first_replied_on),
                    class: class(c.class.as_deref())?,
                    solved: c.solved,
                    follow_ups: u32::try_from(c.follow_ups).unwrap_or(0),
                    first_rating: rating(c.first_rating.as_deref())?,
                    rating: rating(c.rating.as_deref())?,
                    rating_pending: c.rating_pending,
                    evaluation_due_on: date(c.evaluation_due_on),
                    reported: c.reported,
                    site: c.site,
                    revisit: c.revisit,
                    face_to_face: c.face_to_face,
                    head: c.head,
                },
            })
        })
        .collect()
}

/// The sequence numbers (建议号 / 提案号) already taken in a kind and year; an import checks a
/// sheet's numbers against them before registering anything.
pub async fn taken_seqs(tx: &mut Tx, kind: Kind, year: i16) -> Result<Vec<u32>, StoreError> {
    let rows: Vec<(i64,)> =
        crate::sql("SELECT seq FROM proposals WHERE kind = $1 AND year = $2 ORDER BY seq")
            .bind(kind.as_str())
            .bind(i64::from(year))
            .fetch_all(tx)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(s,)| u32::try_from(s).ok())
        .collect())
}

/// The items of a kind and year by their sequence number (建议号 / 提案号): the government
/// office's hand-out sheet finds each row's registered item by it.
pub async fn ids_by_seq(
    tx: &mut Tx,
    kind: Kind,
    year: i16,
) -> Result<Vec<(u32, ProposalId)>, StoreError> {
    let rows: Vec<(i64, i64)> =
        crate::sql("SELECT seq, id FROM proposals WHERE kind = $1 AND year = $2 ORDER BY seq")
            .bind(kind.as_str())
            .bind(i64::from(year))
            .fetch_all(tx)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(s, id)| Some((u32::try_from(s).ok()?, ProposalId(id))))
        .collect())
}
