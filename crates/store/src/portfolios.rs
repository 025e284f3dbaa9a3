//! Leader portfolios (分管): which leader supervises which unit, over which dates. Ending a
//! portfolio sets its last day; past rankings keep seeing who held it then.

use crate::ledger::{self, Change};
use crate::{Audit, StoreError, Tx, sql};
use duban_core::org::{PersonId, PortfolioId, UnitId};
use jiff::civil::Date;
use serde::Serialize;

#[derive(Debug, Clone, sqlx::FromRow)]
struct PortfolioRow {
    id: i64,
    leader_id: i64,
    leader_name: String,
    leader_title: String,
    unit_id: i64,
    unit_name: String,
    unit_kind: String,
    valid_from: jiff_sqlx::Date,
    valid_to: Option<jiff_sqlx::Date>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Portfolio {
    pub id: i64,
    pub leader_id: i64,
    pub leader_name: String,
    pub leader_title: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_kind: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
}

impl From<PortfolioRow> for Portfolio {
    fn from(r: PortfolioRow) -> Portfolio {
        Portfolio {
            id: r.id,
            leader_id: r.leader_id,
            leader_name: r.leader_name,
            leader_title: r.leader_title,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            unit_kind: r.unit_kind,
            valid_from: r.valid_from.to_jiff(),
            valid_to: r.valid_to.map(|d| d.to_jiff()),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct PortfolioFilter {
    pub leader: Option<PersonId>,
    pub unit: Option<UnitId>,
    /// Only portfolios valid on this day; `None` lists history too.
    pub on: Option<Date>,
}

pub async fn list_portfolios(
    tx: &mut Tx,
    f: &PortfolioFilter,
) -> Result<Vec<Portfolio>, StoreError> {
    let mut text = String::from(
        "SELECT pf.id, pf.leader_id, p.name AS leader_name, p.title AS leader_title,
                pf.unit_id, u.short_name AS unit_name, u.kind AS unit_kind, pf.valid_from, pf.valid_to
         FROM portfolios pf JOIN people p ON p.id = pf.leader_id JOIN units u ON u.id = pf.unit_id
         WHERE 1 = 1",
    );
    let mut q_params: Vec<crate::Param> = Vec::new();
    if let Some(l) = f.leader {
        q_params.push(l.into());
        text.push_str(&format!(" AND pf.leader_id = ${}", q_params.len()));
    }
    if let Some(u) = f.unit {
        q_params.push(u.into());
        text.push_str(&format!(" AND pf.unit_id = ${}", q_params.len()));
    }
    if let Some(d) = f.on {
        q_params.push(d.into());
        let i = q_params.len();
        text.push_str(&format!(
            " AND pf.valid_from <= ${i} AND (pf.valid_to IS NULL OR pf.valid_to >= ${i})"
        ));
    }
    text.push_str(" ORDER BY pf.leader_id, u.sort_order, pf.valid_from");
    let mut q = crate::Sql::assembled(text);
    for p in q_params {
        q = q.bind(p);
    }
    let rows: Vec<PortfolioRow> = q.fetch_all(tx).await?;
    Ok(rows.into_iter().map(Portfolio::from).collect())
}

pub async fn get_portfolio(tx: &mut Tx, id: PortfolioId) -> Result<Portfolio, StoreError> {
    let row: PortfolioRow = sql(
        "SELECT pf.id, pf.leader_id, p.name AS leader_name, p.title AS leader_title,
                pf.unit_id, u.short_name AS unit_name, u.kind AS unit_kind, pf.valid_from, pf.valid_to
         FROM portfolios pf JOIN people p ON p.id = pf.leader_id JOIN units u ON u.id = pf.unit_id
         WHERE pf.id = $1",
    )
    .bind(id)
    .fetch_one(tx)
    .await?;
    Ok(row.into())
}

pub async fn insert_portfolio(
    tx: &mut Tx,
    audit: &Audit,
    leader: PersonId,
    unit: UnitId,
    from: Date,
    to: Option<Date>,
) -> Result<PortfolioId, StoreError> {
    let (id,): (i64,) = sql(
        "INSERT INTO portfolios (leader_id, unit_id, valid_from, valid_to, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(leader)
    .bind(unit)
    .bind(from)
    .bind(to)
    .bind(audit.at)
    .fetch_one(tx)
    .await?;
    let after = get_portfolio(tx, PortfolioId(id)).await?;
    ledger::append(
        tx,
        audit,
        Change::new("portfolio.create", "portfolio", id).after(&after),
    )
    .await?;
    Ok(PortfolioId(id))
}

/// Sets the last day of a portfolio.
pub async fn end_portfolio(
    tx: &mut Tx,
    audit: &Audit,
    id: PortfolioId,
    last_day: Date,
) -> Result<(), StoreError> {
    let before = get_portfolio(tx, id).await?;
    sql("UPDATE portfolios SET valid_to = $1 WHERE id = $2")
        .bind(last_day)
        .bind(id)
        .execute(tx)
        .await?;
    let after = get_portfolio(tx, id).await?;
    ledger::append(
        tx,
        audit,
        Change::new("portfolio.end", "portfolio", id.0)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(())
}

/// The leader whose portfolio (分管) holds `unit` on `on`, if any (the most recent one when
/// portfolios overlap).
pub async fn leader_of(
    tx: &mut Tx,
    unit: UnitId,
    on: jiff::civil::Date,
) -> Result<Option<PersonId>, StoreError> {
    let row: Option<(i64,)> = sql("SELECT leader_id FROM portfolios
         WHERE unit_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $2)
         ORDER BY valid_from DESC, id DESC LIMIT 1")
    .bind(unit)
    .bind(on)
    .fetch_optional(tx)
    .await?;
    Ok(row.map(|(id,)| PersonId(id)))
}
