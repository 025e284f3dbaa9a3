//! Joint matters (联办, 吹哨报到) in the database: the matter (a case led by the town), the
//! departments it names with their report-in, feedback and the ratings both ways, and the
//! year's working day and report-in window. The rules are `duban_core::joint`'s.

use crate::{Audit, Param, Sql, StoreError, Tx, ledger, sql};
use duban_core::cases::CaseId;
use duban_core::org::{PersonId, UnitId};
use jiff::Timestamp;
use serde::Serialize;

/// A year's working day and report-in window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JointSettings {
    pub year: i16,
    /// The stored form of `duban_core::calendar::hours::WorkingDay`.
    pub working_day: String,
    pub report_in_hours: i64,
}

impl JointSettings {
    pub fn defaults(year: i16) -> JointSettings {
        JointSettings {
            year,
            working_day: duban_core::calendar::hours::WorkingDay::standard().to_string(),
            report_in_hours: duban_core::joint::DEFAULT_REPORT_IN_HOURS,
        }
    }
}

/// The year's settings, or the defaults when the year has none.
pub async fn get_settings(tx: &mut Tx, year: i16) -> Result<JointSettings, StoreError> {
    let row: Option<(String, i64)> =
        sql("SELECT working_day, report_in_hours FROM joint_settings WHERE year = $1")
            .bind(i64::from(year))
            .fetch_optional(tx)
            .await?;
    Ok(match row {
        Some((working_day, report_in_hours)) => JointSettings {
            year,
            working_day,
            report_in_hours,
        },
        None => JointSettings::defaults(year),
    })
}

/// Every year's working day that is set (for `WorkingHours`).
pub async fn working_days(tx: &mut Tx) -> Result<Vec<(i64, String)>, StoreError> {
    sql("SELECT year, working_day FROM joint_settings ORDER BY year")
        .fetch_all(tx)
        .await
}

pub async fn save_settings(
    tx: &mut Tx,
    audit: &Audit,
    s: &JointSettings,
) -> Result<(), StoreError> {
    let before = get_settings(tx, s.year).await?;
    sql(
        "INSERT INTO joint_settings (year, working_day, report_in_hours, updated_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(i64::from(s.year))
    .bind(s.working_day.as_str())
    .bind(s.report_in_hours)
    .bind(audit.at)
    .on_conflict(
        " ON CONFLICT (year) DO UPDATE SET working_day = EXCLUDED.working_day,
            report_in_hours = EXCLUDED.report_in_hours, updated_at = EXCLUDED.updated_at",
    )
    .execute(tx)
    .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("joint.settings", "joint_settings", i64::from(s.year))
            .before(&before)
            .after(s),
    )
    .await?;
    Ok(())
}

/// A joint matter to write: its case is already registered.
#[derive(Debug, Clone, Serialize)]
pub struct NewJoint {
    pub case_id: CaseId,
    pub town_id: UnitId,
    pub year: i16,
    pub raised_at: Timestamp,
    pub report_in_hours: i64,
    /// Each named department with the instant it must report in by.
    pub departments: Vec<(UnitId, Timestamp)>,
}

pub async fn insert_joint(tx: &mut Tx, audit: &Audit, j: &NewJoint) -> Result<(), StoreError> {
    sql(
        "INSERT INTO joint_matters (case_id, town_id, year, raised_at, report_in_hours)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(j.case_id)
    .bind(j.town_id)
    .bind(i64::from(j.year))
    .bind(j.raised_at)
    .bind(j.report_in_hours)
    .execute(tx)
    .await?;
    for (unit, due) in &j.departments {
        sql("INSERT INTO joint_units (case_id, unit_id, report_due_at) VALUES ($1, $2, $3)")
            .bind(j.case_id)
            .bind(*unit)
            .bind(*due)
            .execute(tx)
            .await?;
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("joint.raise", "case", j.case_id.0).after(j),
    )
    .await?;
    Ok(())
}

/// A joint matter as read.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct JointRow {
    pub case_id: i64,
    pub town_id: i64,
    pub town_name: String,
    pub year: i64,
    pub title: String,
    pub state: String,
    #[serde(skip)]
    pub raised_at: jiff_sqlx::Timestamp,
    pub report_in_hours: i64,
    #[serde(skip)]
    pub closed_at: Option<jiff_sqlx::Timestamp>,
}

impl JointRow {
    pub fn raised(&self) -> Timestamp {
        self.raised_at.to_jiff()
    }
    pub fn closed(&self) -> Option<Timestamp> {
        self.closed_at.map(|t| t.to_jiff())
    }
}

/// A named department of a joint matter as read.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct JointUnitRow {
    pub case_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    #[serde(skip)]
    pub report_due_at: jiff_sqlx::Timestamp,
    #[serde(skip)]
    pub reported_at: Option<jiff_sqlx::Timestamp>,
    pub handler_id: Option<i64>,
    pub handler_name: Option<String>,
    pub late: bool,
    #[serde(skip)]
    pub flagged_at: Option<jiff_sqlx::Timestamp>,
    pub feedback: String,
    #[serde(skip)]
    pub feedback_at: Option<jiff_sqlx::Timestamp>,
    pub speed: Option<i64>,
    pub effect: Option<i64>,
    pub attitude: Option<i64>,
    pub rating_comment: String,
    #[serde(skip)]
    pub rated_at: Option<jiff_sqlx::Timestamp>,
    pub coordination: Option<i64>,
    pub coordination_comment: String,
    #[serde(skip)]
    pub coordination_at: Option<jiff_sqlx::Timestamp>,
}

impl JointUnitRow {
    pub fn due(&self) -> Timestamp {
        self.report_due_at.to_jiff()
    }
    pub fn reported(&self) -> Option<Timestamp> {
        self.reported_at.map(|t| t.to_jiff())
    }
    pub fn named(&self) -> duban_core::joint::Named {
        duban_core::joint::Named {
            reported_in: self.reported_at.is_some(),
            fed_back: self.feedback_at.is_some(),
            rated: self.rated_at.is_some(),
            rated_town: self.coordination_at.is_some(),
        }
    }
}

const SELECT_JOINT: &str = "SELECT j.case_id, j.town_id, t.name AS town_name, j.year, c.title,
        c.state, j.raised_at, j.report_in_hours, j.closed_at
    FROM joint_matters j JOIN units t ON t.id = j.town_id JOIN cases c ON c.id = j.case_id";

const SELECT_UNIT: &str = "SELECT ju.case_id, ju.unit_id, u.name AS unit_name, ju.report_due_at,
        ju.reported_at, ju.handler_id, p.name AS handler_name, ju.late, ju.flagged_at,
        ju.feedback, ju.feedback_at, ju.speed, ju.effect, ju.attitude, ju.rating_comment,
        ju.rated_at, ju.coordination, ju.coordination_comment, ju.coordination_at
    FROM joint_units ju JOIN units u ON u.id = ju.unit_id
    LEFT JOIN people p ON p.id = ju.handler_id";

pub async fn get_joint(tx: &mut Tx, id: CaseId) -> Result<Option<JointRow>, StoreError> {
    crate::Sql::assembled(format!("{SELECT_JOINT} WHERE j.case_id = $1"))
        .bind(id)
        .fetch_optional(tx)
        .await
}

pub async fn units_of(tx: &mut Tx, id: CaseId) -> Result<Vec<JointUnitRow>, StoreError> {
    crate::Sql::assembled(format!(
        "{SELECT_UNIT} WHERE ju.case_id = $1 ORDER BY ju.report_due_at, u.name"
    ))
    .bind(id)
    .fetch_all(tx)
    .await
}

/// A year's joint matters, newest first; with `unit`, only those the unit raised or is
/// named in.
pub async fn list_joints(
    tx: &mut Tx,
    year: i16,
    unit: Option<UnitId>,
) -> Result<Vec<JointRow>, StoreError> {
    match unit {
        None => {
            crate::Sql::assembled(format!(
                "{SELECT_JOINT} WHERE j.year = $1 ORDER BY j.raised_at DESC, j.case_id DESC"
            ))
            .bind(i64::from(year))
            .fetch_all(tx)
            .await
        }
        Some(u) => {
            crate::Sql::assembled(format!(
                "{SELECT_JOINT} WHERE j.year = $1 AND (j.town_id = $2 OR EXISTS (
                SELECT 1 FROM joint_units x WHERE x.case_id = j.case_id AND x.unit_id = $2))
             ORDER BY j.raised_at DESC, j.case_id DESC"
            ))
            .bind(i64::from(year))
            .bind(u)
            .fetch_all(tx)
            .await
        }
    }
}

/// Every named department of a year's joint matters (for tallies and lists).
pub async fn units_of_year(tx: &mut Tx, year: i16) -> Result<Vec<JointUnitRow>, StoreError> {
    crate::Sql::assembled(format!(
        "{SELECT_UNIT} JOIN joint_matters j ON j.case_id = ju.case_id WHERE j.year = $1
         ORDER BY ju.case_id, u.name"
    ))
    .bind(i64::from(year))
    .fetch_all(tx)
    .await
}

/// One town × department cell of a year's joint matters, added up by the database: the
/// department's named-in matters raised by the town and their report-ins, lateness and the
/// ratings both ways (sums and counts of the scores).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct JointCellRow {
    pub town_id: i64,
    pub unit_id: i64,
    pub named: i64,
    pub closed: i64,
    pub reported_in: i64,
    pub late: i64,
    /// Ratings given with all three scores, and the scores' sums.
    pub rated: i64,
    pub speed: i64,
    pub effect: i64,
    pub attitude: i64,
    pub coordinated: i64,
    pub coordination: i64,
}

/// A town's joint matters of the year, each counted once, and the closed ones.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct JointTownRow {
    pub town_id: i64,
    pub matters: i64,
    pub closed: i64,
}

/// The condition on `j` (the matter) and `ju` (a named department) that the town or the
/// department is one of `units`, its placeholders numbered after `params`' and pushed there.
fn in_scope(params: &mut Vec<Param>, units: &[UnitId]) -> String {
    let holders: Vec<String> = units
        .iter()
        .map(|u| {
            params.push((*u).into());
            format!("${}", params.len())
        })
        .collect();
    let list = holders.join(", ");
    format!("(j.town_id IN ({list}) OR ju.unit_id IN ({list}))")
}

/// A year's towns × departments cells and each town's distinct matters, over the named
/// departments whose town or department is in `units` (all with `None`) — the sums the
/// tallies need, without reading the rows (`duban_core::joint::tally_cells` adds them up).
/// Both queries read covering indexes only (migration 0062).
pub async fn cells_of_year(
    tx: &mut Tx,
    year: i16,
    units: Option<&[UnitId]>,
) -> Result<(Vec<JointCellRow>, Vec<JointTownRow>), StoreError> {
    if units.is_some_and(<[UnitId]>::is_empty) {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut params: Vec<Param> = vec![i64::from(year).into()];
    let scope = units
        .map(|u| format!(" AND {}", in_scope(&mut params, u)))
        .unwrap_or_default();
    // A rating counts when it has all three scores (as in `duban_core::joint::tally`).
    let rated = "ju.speed IS NOT NULL AND ju.effect IS NOT NULL AND ju.attitude IS NOT NULL";
    let sum = |cond: &str, value: &str| {
        format!("CAST(SUM(CASE WHEN {cond} THEN {value} ELSE 0 END) AS BIGINT)")
    };
    let cells = Sql::with_params(
        format!(
            "SELECT j.town_id, ju.unit_id, COUNT(*) AS named, COUNT(j.closed_at) AS closed,
                COUNT(ju.reported_at) AS reported_in, {late} AS late, {rated_n} AS rated,
                {speed} AS speed, {effect} AS effect, {attitude} AS attitude,
                COUNT(ju.coordination) AS coordinated, {coordination} AS coordination
             FROM joint_matters j JOIN joint_units ju ON ju.case_id = j.case_id
             WHERE j.year = $1{scope}
             GROUP BY j.town_id, ju.unit_id",
            late = sum("ju.late", "1"),
            rated_n = sum(rated, "1"),
            speed = sum(rated, "ju.speed"),
            effect = sum(rated, "ju.effect"),
            attitude = sum(rated, "ju.attitude"),
            coordination = sum("ju.coordination IS NOT NULL", "ju.coordination"),
        ),
        params.clone(),
    )
    .fetch_all(tx)
    .await?;
    // A town's matters once each: those naming a department (in scope), in index order.
    let towns = Sql::with_params(
        format!(
            "SELECT j.town_id, COUNT(*) AS matters, COUNT(j.closed_at) AS closed
             FROM joint_matters j
             WHERE j.year = $1 AND EXISTS (
                SELECT 1 FROM joint_units ju WHERE ju.case_id = j.case_id{scope})
             GROUP BY j.town_id"
        ),
        params,
    )
    .fetch_all(tx)
    .await?;
    Ok((cells, towns))
}

/// Per lead unit, how many of a year's cases it asked to return and had the return refused
/// (the `reject_return` steps on their timelines).
pub async fn refused_returns(tx: &mut Tx, year: i16) -> Result<Vec<(i64, i64)>, StoreError> {
    sql(
        "SELECT c.lead_unit_id, COUNT(DISTINCT c.id) FROM case_events e
         JOIN cases c ON c.id = e.case_id
         WHERE c.year = $1 AND e.kind = 'reject_return' AND c.lead_unit_id IS NOT NULL
         GROUP BY c.lead_unit_id",
    )
    .bind(i64::from(year))
    .fetch_all(tx)
    .await
}

/// 报到: the department names its handler. Returns false when it had already reported in.
pub async fn report_in(
    tx: &mut Tx,
    audit: &Audit,
    id: CaseId,
    unit: UnitId,
    handler: PersonId,
    late: bool,
) -> Result<bool, StoreError> {
    let touched = sql(
        "UPDATE joint_units SET reported_at = $3, handler_id = $4, late = (late OR $5)
         WHERE case_id = $1 AND unit_id = $2 AND reported_at IS NULL",
    )
    .bind(id)
    .bind(unit)
    .bind(audit.at)
    .bind(handler)
    .bind(late)
    .execute(tx)
    .await?;
    if touched == 0 {
        return Ok(false);
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("joint.report_in", "case", id.0)
            .after(&serde_json::json!({ "unit": unit.0, "handler": handler.0, "late": late })),
    )
    .await?;
    Ok(true)
}

/// The window passed without a report-in: flag it (once). Returns false when it was flagged
/// already or the department has reported in meanwhile.
pub async fn flag_late(
    tx: &mut Tx,
    audit: &Audit,
    id: CaseId,
    unit: UnitId,
) -> Result<bool, StoreError> {
    let touched = sql("UPDATE joint_units SET late = TRUE, flagged_at = $3
         WHERE case_id = $1 AND unit_id = $2 AND reported_at IS NULL AND flagged_at IS NULL")
    .bind(id)
    .bind(unit)
    .bind(audit.at)
    .execute(tx)
    .await?;
    if touched == 0 {
        return Ok(false);
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("joint.late", "case", id.0)
            .after(&serde_json::json!({ "unit": unit.0 })),
    )
    .await?;
    Ok(true)
}

pub async fn set_feedback(
    tx: &mut Tx,
    audit: &Audit,
    id: CaseId,
    unit: UnitId,
    feedback: &str,
) -> Result<(), StoreError> {
    sql("UPDATE joint_units SET feedback = $3, feedback_at = $4 WHERE case_id = $1 AND unit_id = $2")
        .bind(id)
        .bind(unit)
        .bind(feedback)
        .bind(audit.at)
        .execute(tx)
        .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("joint.feedback", "case", id.0)
            .after(&serde_json::json!({ "unit": unit.0, "feedback": feedback })),
    )
    .await?;
    Ok(())
}

pub async fn close_joint(tx: &mut Tx, audit: &Audit, id: CaseId) -> Result<(), StoreError> {
    sql("UPDATE joint_matters SET closed_at = $2 WHERE case_id = $1 AND closed_at IS NULL")
        .bind(id)
        .bind(audit.at)
        .execute(tx)
        .await?;
    Ok(())
}

/// 块评条: the town's rating of one department (once: false when given already).
pub async fn rate_department(
    tx: &mut Tx,
    audit: &Audit,
    id: CaseId,
    unit: UnitId,
    scores: [i64; 3],
    comment: &str,
) -> Result<bool, StoreError> {
    let touched = sql(
        "UPDATE joint_units SET speed = $3, effect = $4, attitude = $5, rating_comment = $6,
            rated_at = $7
         WHERE case_id = $1 AND unit_id = $2 AND rated_at IS NULL",
    )
    .bind(id)
    .bind(unit)
    .bind(scores[0])
    .bind(scores[1])
    .bind(scores[2])
    .bind(comment)
    .bind(audit.at)
    .execute(tx)
    .await?;
    if touched == 0 {
        return Ok(false);
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("joint.rate_department", "case", id.0).after(&serde_json::json!({
            "unit": unit.0, "speed": scores[0], "effect": scores[1], "attitude": scores[2],
            "comment": comment,
        })),
    )
    .await?;
    Ok(true)
}

/// 条评块: a department's rating of the town's coordination (once).
pub async fn rate_town(
    tx: &mut Tx,
    audit: &Audit,
    id: CaseId,
    unit: UnitId,
    coordination: i64,
    comment: &str,
) -> Result<bool, StoreError> {
    let touched = sql(
        "UPDATE joint_units SET coordination = $3, coordination_comment = $4, coordination_at = $5
         WHERE case_id = $1 AND unit_id = $2 AND coordination_at IS NULL",
    )
    .bind(id)
    .bind(unit)
    .bind(coordination)
    .bind(comment)
    .bind(audit.at)
    .execute(tx)
    .await?;
    if touched == 0 {
        return Ok(false);
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("joint.rate_town", "case", id.0).after(&serde_json::json!({
            "unit": unit.0, "coordination": coordination, "comment": comment,
        })),
    )
    .await?;
    Ok(true)
}
