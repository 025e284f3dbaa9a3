//! The rates' maintained counts (`core::proposals::rates::counts`): per year, kind, lead unit
//! and category, what the items add to every count on any day (`after_on` = [`ALWAYS`]), and
//! how that changes on the days after a date (an unreplied item's deadline, an unrated
//! reply's evaluation window). Every statement that writes an item's row is followed, in the
//! same transaction, by [`settle`], which takes the item's old part away and adds its new one;
//! [`rebuild`] recomputes everything from the item rows (the migration's back-fill, and a
//! year written in bulk). The dashboard reads a few rows per group instead of every item.

use super::browse::{self, FactRow, Filter};
use crate::{Param, Sql, StoreError, Tx, sql};
use duban_core::org::UnitId;
use duban_core::proposals::ProposalId;
use duban_core::proposals::kind::Kind;
use duban_core::proposals::rates::counts::{self, COUNTS, Contribution, Counts};
use jiff::civil::{Date, date};
use std::collections::BTreeMap;

/// `after_on` of the counts that hold on every day.
pub const ALWAYS: Date = date(1, 1, 1);

/// The group an item is counted in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    year: i64,
    kind: &'static str,
    /// 0: no lead unit yet.
    lead_unit: i64,
    category: String,
}

/// An item's part in the counts, read before a write (`None`: no row yet).
#[derive(Debug, Clone, Default)]
pub(crate) struct Part(Option<(Key, Contribution)>);

impl Part {
    fn of(row: &FactRow) -> Part {
        Part(Some((
            Key {
                year: i64::from(row.year),
                kind: row.kind.as_str(),
                lead_unit: row.lead_unit_id.map_or(0, |u| u.0),
                category: row.category.clone(),
            },
            row.facts.contribution(),
        )))
    }

    /// Adds `sign` × this part to the changes per (group, day).
    fn into_changes(self, sign: i64, changes: &mut BTreeMap<(Key, Date), Counts>) {
        let Some((key, c)) = self.0 else { return };
        let days = std::iter::once((ALWAYS, c.always)).chain(c.after);
        for (day, part) in days {
            let entry = changes.entry((key.clone(), day)).or_insert([0; COUNTS]);
            counts::add(entry, &part, sign);
        }
    }
}

/// The item's part as its row stands.
pub(crate) async fn part(tx: &mut Tx, id: ProposalId) -> Result<Part, StoreError> {
    let f = Filter {
        ids: Some(vec![id]),
        ..Filter::default()
    };
    Ok(browse::facts_of(tx, &f)
        .await?
        .first()
        .map(Part::of)
        .unwrap_or_default())
}

/// After a write to an item's row: replaces its part read `before` the write by its part now.
pub(crate) async fn settle(tx: &mut Tx, id: ProposalId, before: Part) -> Result<(), StoreError> {
    let now = part(tx, id).await?;
    let mut changes = BTreeMap::new();
    before.into_changes(-1, &mut changes);
    now.into_changes(1, &mut changes);
    for ((key, day), change) in changes {
        if change.iter().any(|n| *n != 0) {
            upsert(tx, &key, day, &change).await?;
        }
    }
    Ok(())
}

/// Adds `change` to the group's row for `day`.
async fn upsert(tx: &mut Tx, key: &Key, day: Date, change: &Counts) -> Result<(), StoreError> {
    let names = counts::names();
    let holders: Vec<String> = (6..6 + COUNTS).map(|i| format!("${i}")).collect();
    let sets: Vec<String> = names
        .iter()
        .map(|n| format!("{n} = proposal_rate_counts.{n} + excluded.{n}"))
        .collect();
    let mut params: Vec<Param> = vec![
        key.year.into(),
        key.kind.into(),
        key.lead_unit.into(),
        key.category.clone().into(),
        day.into(),
    ];
    params.extend(change.iter().map(|n| Param::from(*n)));
    Sql::with_params(
        format!(
            "INSERT INTO proposal_rate_counts (year, kind, lead_unit_id, category, after_on, {})
             VALUES ($1, $2, $3, $4, $5, {})
             ON CONFLICT (year, kind, lead_unit_id, category, after_on) DO UPDATE SET {}",
            names.join(", "),
            holders.join(", "),
            sets.join(", ")
        ),
        params,
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Recomputes every count from the item rows: the back-fill of the migration that made the
/// counts, and what a year written in bulk SQL (the benchmark's) calls after it.
pub async fn rebuild(tx: &mut Tx) -> Result<(), StoreError> {
    sql("DELETE FROM proposal_rate_counts").execute(tx).await?;
    let mut changes = BTreeMap::new();
    for row in browse::facts_of(tx, &Filter::default()).await? {
        Part::of(&row).into_changes(1, &mut changes);
    }
    for ((key, day), c) in changes {
        if c.iter().any(|n| *n != 0) {
            upsert(tx, &key, day, &c).await?;
        }
    }
    Ok(())
}

/// One group's counts on a day.
#[derive(Debug, Clone)]
pub struct GroupCounts {
    pub kind: Kind,
    pub lead_unit_id: Option<UnitId>,
    pub lead_unit_name: Option<String>,
    pub category: String,
    pub counts: Counts,
}

/// Every group of a year (of one kind, or both) with its counts as they stand on `today`.
pub async fn on(
    tx: &mut Tx,
    year: i16,
    kind: Option<Kind>,
    today: Date,
) -> Result<Vec<GroupCounts>, StoreError> {
    let names = counts::names();
    let sums: Vec<String> = names
        .iter()
        .map(|n| format!("CAST(SUM(c.{n}) AS BIGINT)"))
        .collect();
    let mut params: Vec<Param> = vec![i64::from(year).into(), today.into()];
    let mut w = String::new();
    if let Some(k) = kind {
        params.push(k.as_str().into());
        w.push_str(" AND c.kind = $3");
    }
    let rows: Vec<GroupColumns> = Sql::with_params(
        format!(
            "SELECT c.kind, c.lead_unit_id, u.short_name AS lead_unit_name, c.category, {}
             FROM proposal_rate_counts c LEFT JOIN units u ON u.id = c.lead_unit_id
             WHERE c.year = $1 AND c.after_on < $2{w}
             GROUP BY c.kind, c.lead_unit_id, u.short_name, c.category",
            sums.join(", ")
        ),
        params,
    )
    .fetch_all(tx)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(GroupCounts {
                kind: Kind::parse(&r.kind).ok_or_else(|| super::bad("kind"))?,
                lead_unit_id: (r.lead_unit_id != 0).then_some(UnitId(r.lead_unit_id)),
                lead_unit_name: r.lead_unit_name,
                category: r.category,
                counts: r.counts,
            })
        })
        .collect()
}

/// A group row: its keys by name, then the counts in order.
struct GroupColumns {
    kind: String,
    lead_unit_id: i64,
    lead_unit_name: Option<String>,
    category: String,
    counts: Counts,
}

impl<'r, R> sqlx::FromRow<'r, R> for GroupColumns
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    fn from_row(row: &'r R) -> Result<Self, sqlx::Error> {
        let mut counts = [0; COUNTS];
        for (i, c) in counts.iter_mut().enumerate() {
            *c = row.try_get::<Option<i64>, _>(4 + i)?.unwrap_or(0);
        }
        Ok(GroupColumns {
            kind: row.try_get(0)?,
            lead_unit_id: row.try_get(1)?,
            lead_unit_name: row.try_get(2)?,
            category: row.try_get(3)?,
            counts,
        })
    }
}
