//! Names as people write them: alias keys for units and people (经信局, 张副市长), added by an
//! admin on top of those generated from names and titles (`core::lists::names`). Keys are
//! stored normalised; matching is done in memory with a `NameIndex`.

use crate::{Audit, StoreError, Tx, ledger, sql};
use serde::Serialize;

/// An alias an admin added.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Alias {
    pub alias: String,
    pub target_id: i64,
    pub target_name: String,
}

/// Which table an alias belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AliasOf {
    Unit,
    Person,
}

impl AliasOf {
    fn table(self) -> (&'static str, &'static str, &'static str) {
        match self {
            AliasOf::Unit => (
                "unit_aliases",
                "unit_id",
                "SELECT a.alias, a.unit_id AS target_id, u.short_name AS target_name FROM unit_aliases a JOIN units u ON u.id = a.unit_id ORDER BY a.alias",
            ),
            AliasOf::Person => (
                "person_aliases",
                "person_id",
                "SELECT a.alias, a.person_id AS target_id, p.name AS target_name FROM person_aliases a JOIN people p ON p.id = a.person_id ORDER BY a.alias",
            ),
        }
    }
}

pub async fn list_aliases(tx: &mut Tx, of: AliasOf) -> Result<Vec<Alias>, StoreError> {
    crate::Sql::assembled(of.table().2.to_string())
        .fetch_all(tx)
        .await
}

/// Adds an alias key (already normalised by the caller); a key used twice is a conflict.
pub async fn insert_alias(
    tx: &mut Tx,
    audit: &Audit,
    of: AliasOf,
    alias: &str,
    target: i64,
) -> Result<(), StoreError> {
    let (table, column, _) = of.table();
    crate::Sql::assembled(format!(
        "INSERT INTO {table} (alias, {column}, created_at) VALUES ($1, $2, $3)"
    ))
    .bind(alias)
    .bind(target)
    .bind(audit.at)
    .execute(tx)
    .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("alias.create", table, target)
            .after(&serde_json::json!({ "alias": alias })),
    )
    .await?;
    Ok(())
}

pub async fn delete_alias(
    tx: &mut Tx,
    audit: &Audit,
    of: AliasOf,
    alias: &str,
) -> Result<(), StoreError> {
    let (table, column, _) = of.table();
    let row: Option<(i64,)> = crate::Sql::assembled(format!(
        "DELETE FROM {table} WHERE alias = $1 RETURNING {column}"
    ))
    .bind(alias)
    .fetch_optional(tx)
    .await?;
    let Some((target,)) = row else {
        return Err(StoreError::NotFound);
    };
    ledger::append(
        tx,
        audit,
        ledger::Change::new("alias.delete", table, target)
            .before(&serde_json::json!({ "alias": alias })),
    )
    .await?;
    Ok(())
}

/// Every unit's id, full name and short name, for building the unit name index.
pub async fn list_unit_names(tx: &mut Tx) -> Result<Vec<(i64, String, String)>, StoreError> {
    sql("SELECT id, name, short_name FROM units WHERE active ORDER BY id")
        .fetch_all(tx)
        .await
}

/// Every active person's id, name and title, for building the person name index.
pub async fn list_person_names(tx: &mut Tx) -> Result<Vec<(i64, String, String)>, StoreError> {
    sql("SELECT id, name, title FROM people WHERE active ORDER BY id")
        .fetch_all(tx)
        .await
}
