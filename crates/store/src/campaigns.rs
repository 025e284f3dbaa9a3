//! The year's campaigns (攻坚行动). This issue only stores and lists them; the lists issue
//! hangs tasks under them.

use crate::{Audit, StoreError, Tx, ledger, sql};
use duban_core::org::{PersonId, UnitId};
use serde::Serialize;

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Campaign {
    pub id: i64,
    pub year: i64,
    pub code: String,
    pub name: String,
    pub lead_leader_id: Option<i64>,
    pub lead_leader_name: Option<String>,
    pub task_force_id: Option<i64>,
    pub task_force_name: Option<String>,
    pub command_hq_id: Option<i64>,
    pub command_hq_name: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CampaignFields {
    pub year: i64,
    pub code: String,
    pub name: String,
    pub lead_leader_id: Option<PersonId>,
    pub task_force_id: Option<UnitId>,
    pub command_hq_id: Option<UnitId>,
    pub sort_order: i64,
}

pub async fn list_campaigns(tx: &mut Tx, year: i64) -> Result<Vec<Campaign>, StoreError> {
    sql("SELECT c.id, c.year, c.code, c.name, c.lead_leader_id, p.name AS lead_leader_name,
                c.task_force_id, tf.short_name AS task_force_name, c.command_hq_id, hq.short_name AS command_hq_name
         FROM campaigns c
         LEFT JOIN people p ON p.id = c.lead_leader_id
         LEFT JOIN units tf ON tf.id = c.task_force_id
         LEFT JOIN units hq ON hq.id = c.command_hq_id
         WHERE c.year = $1 ORDER BY c.sort_order, c.id")
    .bind(year)
    .fetch_all(tx)
    .await
}

pub async fn insert_campaign(
    tx: &mut Tx,
    audit: &Audit,
    c: &CampaignFields,
) -> Result<i64, StoreError> {
    let (id,): (i64,) = sql(
        "INSERT INTO campaigns (year, code, name, lead_leader_id, task_force_id, command_hq_id, sort_order, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(c.year)
    .bind(c.code.as_str())
    .bind(c.name.as_str())
    .bind(c.lead_leader_id)
    .bind(c.task_force_id)
    .bind(c.command_hq_id)
    .bind(c.sort_order)
    .bind(audit.at)
    .fetch_one(tx)
    .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("campaign.create", "campaign", id).after(c),
    )
    .await?;
    Ok(id)
}
