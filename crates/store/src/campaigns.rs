//! The year's set-up: campaigns (攻坚行动) and the plan year (list kinds in use, reporting
//! cadence). Tasks of the four lists hang under them (`lists`).

use crate::{Audit, StoreError, Tx, ledger, sql};
use duban_core::lists::{Cadence, ListKind};
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

pub async fn update_campaign(
    tx: &mut Tx,
    audit: &Audit,
    id: i64,
    c: &CampaignFields,
) -> Result<(), StoreError> {
    let before: CampaignFields = get_campaign_fields(tx, id).await?;
    sql(
        "UPDATE campaigns SET code = $2, name = $3, lead_leader_id = $4, task_force_id = $5,
            command_hq_id = $6, sort_order = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(c.code.as_str())
    .bind(c.name.as_str())
    .bind(c.lead_leader_id)
    .bind(c.task_force_id)
    .bind(c.command_hq_id)
    .bind(c.sort_order)
    .execute(tx)
    .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("campaign.update", "campaign", id)
            .before(&before)
            .after(c),
    )
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct CampaignFieldsRow {
    year: i64,
    code: String,
    name: String,
    lead_leader_id: Option<i64>,
    task_force_id: Option<i64>,
    command_hq_id: Option<i64>,
    sort_order: i64,
}

pub async fn get_campaign_fields(tx: &mut Tx, id: i64) -> Result<CampaignFields, StoreError> {
    let r: CampaignFieldsRow = sql(
        "SELECT year, code, name, lead_leader_id, task_force_id, command_hq_id, sort_order
         FROM campaigns WHERE id = $1",
    )
    .bind(id)
    .fetch_one(tx)
    .await?;
    Ok(CampaignFields {
        year: r.year,
        code: r.code,
        name: r.name,
        lead_leader_id: r.lead_leader_id.map(PersonId),
        task_force_id: r.task_force_id.map(UnitId),
        command_hq_id: r.command_hq_id.map(UnitId),
        sort_order: r.sort_order,
    })
}

/// A year's set-up: the list kinds in use and the reporting cadence (每月28日前).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanYear {
    pub year: i16,
    pub list_kinds: Vec<ListKind>,
    pub report_cadence: Cadence,
    pub report_day: i64,
}

impl PlanYear {
    /// What a year looks like before the office sets it up.
    pub fn default_for(year: i16) -> PlanYear {
        PlanYear {
            year,
            list_kinds: ListKind::ALL.to_vec(),
            report_cadence: Cadence::Monthly,
            report_day: 28,
        }
    }
}

/// The years that have been set up, newest first.
pub async fn list_plan_years(tx: &mut Tx) -> Result<Vec<i16>, StoreError> {
    let rows: Vec<(i64,)> = sql("SELECT year FROM plan_years ORDER BY year DESC")
        .fetch_all(tx)
        .await?;
    Ok(rows.into_iter().map(|(y,)| y as i16).collect())
}

pub async fn find_plan_year(tx: &mut Tx, year: i16) -> Result<Option<PlanYear>, StoreError> {
    let row: Option<(String, String, i64)> =
        sql("SELECT list_kinds, report_cadence, report_day FROM plan_years WHERE year = $1")
            .bind(i64::from(year))
            .fetch_optional(tx)
            .await?;
    Ok(row.map(|(kinds, cadence, day)| PlanYear {
        year,
        list_kinds: kinds.split(',').filter_map(ListKind::parse).collect(),
        report_cadence: Cadence::parse(&cadence).unwrap_or(Cadence::Monthly),
        report_day: day,
    }))
}

/// Creates or replaces a year's set-up.
pub async fn save_plan_year(tx: &mut Tx, audit: &Audit, p: &PlanYear) -> Result<(), StoreError> {
    let before = find_plan_year(tx, p.year).await?;
    let kinds: Vec<&str> = p.list_kinds.iter().map(|k| k.as_str()).collect();
    sql("INSERT INTO plan_years (year, list_kinds, report_cadence, report_day, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (year) DO UPDATE SET list_kinds = excluded.list_kinds,
            report_cadence = excluded.report_cadence, report_day = excluded.report_day,
            updated_at = excluded.updated_at")
    .bind(i64::from(p.year))
    .bind(kinds.join(","))
    .bind(p.report_cadence.as_str())
    .bind(p.report_day)
    .bind(audit.at)
    .execute(tx)
    .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("plan_year.save", "plan_year", i64::from(p.year))
            .before(&before)
            .after(p),
    )
    .await?;
    Ok(())
}
