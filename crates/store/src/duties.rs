//! The territorial duty list (属地管理事项责任清单) in the database. Checks (required values,
//! dates, the department's name) are made by `duban_core::duties` and the service first.

use crate::{Audit, StoreError, Tx, ledger, sql};
use duban_core::duties::DutyId;
use duban_core::org::UnitId;
use jiff::civil::Date;
use serde::Serialize;

/// An entry to write, its department resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DutyFields {
    pub matter: String,
    pub field: String,
    pub town_duty: String,
    pub department_duty: String,
    pub department_id: UnitId,
    pub legal_basis: String,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
}

/// An entry as read, with its department's name.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct DutyRow {
    pub id: i64,
    pub matter: String,
    pub field: String,
    pub town_duty: String,
    pub department_duty: String,
    pub department_id: i64,
    pub department_name: String,
    pub legal_basis: String,
    #[serde(skip)]
    pub valid_from: Option<jiff_sqlx::Date>,
    #[serde(skip)]
    pub valid_to: Option<jiff_sqlx::Date>,
}

impl DutyRow {
    pub fn from(&self) -> Option<Date> {
        self.valid_from.map(|d| d.to_jiff())
    }
    pub fn to(&self) -> Option<Date> {
        self.valid_to.map(|d| d.to_jiff())
    }
    /// The texts a search looks in.
    pub fn texts(&self) -> [&str; 6] {
        [
            &self.matter,
            &self.field,
            &self.town_duty,
            &self.department_duty,
            &self.department_name,
            &self.legal_basis,
        ]
    }
    pub fn fields(&self) -> DutyFields {
        DutyFields {
            matter: self.matter.clone(),
            field: self.field.clone(),
            town_duty: self.town_duty.clone(),
            department_duty: self.department_duty.clone(),
            department_id: UnitId(self.department_id),
            legal_basis: self.legal_basis.clone(),
            valid_from: self.from(),
            valid_to: self.to(),
        }
    }
}

const SELECT: &str = "SELECT d.id, d.matter, d.field, d.town_duty, d.department_duty,
        d.department_id, u.name AS department_name, d.legal_basis, d.valid_from, d.valid_to
    FROM duties d JOIN units u ON u.id = d.department_id";

/// The whole list, by field then matter (a city's list is a few hundred entries; searching
/// by Chinese words is done over it in `duban_core::duties::matches_query`).
pub async fn list_duties(tx: &mut Tx) -> Result<Vec<DutyRow>, StoreError> {
    crate::Sql::assembled(format!("{SELECT} ORDER BY d.field, d.matter, d.id"))
        .fetch_all(tx)
        .await
}

pub async fn get_duty(tx: &mut Tx, id: DutyId) -> Result<Option<DutyRow>, StoreError> {
    crate::Sql::assembled(format!("{SELECT} WHERE d.id = $1"))
        .bind(id.0)
        .fetch_optional(tx)
        .await
}

pub async fn insert_duty(tx: &mut Tx, audit: &Audit, d: &DutyFields) -> Result<DutyId, StoreError> {
    let (id,): (i64,) = sql(
        "INSERT INTO duties (matter, field, town_duty, department_duty, department_id,
            legal_basis, valid_from, valid_to, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(d.matter.as_str())
    .bind(d.field.as_str())
    .bind(d.town_duty.as_str())
    .bind(d.department_duty.as_str())
    .bind(d.department_id)
    .bind(d.legal_basis.as_str())
    .bind(d.valid_from)
    .bind(d.valid_to)
    .bind(audit.at)
    .returning("id")
    .fetch_one(tx)
    .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("duty.create", "duty", id).after(d),
    )
    .await?;
    Ok(DutyId(id))
}

pub async fn update_duty(
    tx: &mut Tx,
    audit: &Audit,
    id: DutyId,
    before: &DutyFields,
    d: &DutyFields,
) -> Result<(), StoreError> {
    let touched = sql(
        "UPDATE duties SET matter = $2, field = $3, town_duty = $4, department_duty = $5,
            department_id = $6, legal_basis = $7, valid_from = $8, valid_to = $9, updated_at = $10
         WHERE id = $1",
    )
    .bind(id.0)
    .bind(d.matter.as_str())
    .bind(d.field.as_str())
    .bind(d.town_duty.as_str())
    .bind(d.department_duty.as_str())
    .bind(d.department_id)
    .bind(d.legal_basis.as_str())
    .bind(d.valid_from)
    .bind(d.valid_to)
    .bind(audit.at)
    .execute(tx)
    .await?;
    if touched == 0 {
        return Err(StoreError::NotFound);
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("duty.update", "duty", id.0)
            .before(before)
            .after(d),
    )
    .await?;
    Ok(())
}
