//! A year's deadline windows and escalation ladder (`case_settings`); a year without a row
//! uses the defaults.

use crate::{Audit, StoreError, Tx, ledger, sql};
use duban_core::cases::ladder::Ladder;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseSettings {
    pub year: i16,
    /// Window to acknowledge (签收) an assignment, as a deadline rule (`2wd`).
    pub ack_rule: String,
    /// Window to ask for a return (退回/调整), as a deadline rule (`5wd`).
    pub return_rule: String,
    /// How often an ongoing or deferred case reports (续报), as a period rule (`1m`).
    pub report_rule: String,
    pub due_soon_workdays: i64,
    pub ladder: Ladder,
}

impl CaseSettings {
    pub fn defaults(year: i16) -> CaseSettings {
        CaseSettings {
            year,
            ack_rule: "2wd".into(),
            return_rule: "5wd".into(),
            report_rule: "1m".into(),
            due_soon_workdays: 3,
            ladder: Ladder::default(),
        }
    }
}

type Row = (
    String,
    String,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

fn days(v: Option<i64>) -> Option<u32> {
    v.and_then(|n| u32::try_from(n).ok())
}

pub async fn get_settings(tx: &mut Tx, year: i16) -> Result<CaseSettings, StoreError> {
    let row: Option<Row> = sql(
        "SELECT ack_rule, return_rule, report_rule, due_soon_workdays, remind_days_before, urge_days_after,
                notice_workdays_after, bulletin_workdays_after, interview_workdays_after
         FROM case_settings WHERE year = $1",
    )
    .bind(i64::from(year))
    .fetch_optional(tx)
    .await?;
    Ok(match row {
        None => CaseSettings::defaults(year),
        Some((ack, ret, report, soon, remind, urge, notice, bulletin, interview)) => CaseSettings {
            year,
            ack_rule: ack,
            return_rule: ret,
            report_rule: report,
            due_soon_workdays: soon,
            ladder: Ladder {
                remind_days_before: days(remind),
                urge_days_after: days(urge),
                notice_workdays_after: days(notice),
                bulletin_workdays_after: days(bulletin),
                interview_workdays_after: days(interview),
            },
        },
    })
}

pub async fn save_settings(tx: &mut Tx, audit: &Audit, s: &CaseSettings) -> Result<(), StoreError> {
    let before = get_settings(tx, s.year).await?;
    let l = &s.ladder;
    sql(
        "INSERT INTO case_settings (year, ack_rule, return_rule, due_soon_workdays,
            remind_days_before, urge_days_after, notice_workdays_after, bulletin_workdays_after,
            interview_workdays_after, updated_at, report_rule)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (year) DO UPDATE SET ack_rule = $2, return_rule = $3,
            due_soon_workdays = $4, remind_days_before = $5, urge_days_after = $6,
            notice_workdays_after = $7, bulletin_workdays_after = $8,
            interview_workdays_after = $9, updated_at = $10, report_rule = $11",
    )
    .bind(i64::from(s.year))
    .bind(s.ack_rule.as_str())
    .bind(s.return_rule.as_str())
    .bind(s.due_soon_workdays)
    .bind(l.remind_days_before.map(i64::from))
    .bind(l.urge_days_after.map(i64::from))
    .bind(l.notice_workdays_after.map(i64::from))
    .bind(l.bulletin_workdays_after.map(i64::from))
    .bind(l.interview_workdays_after.map(i64::from))
    .bind(audit.at)
    .bind(s.report_rule.as_str())
    .execute(tx)
    .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("case.settings", "case_settings", i64::from(s.year))
            .before(&before)
            .after(s),
    )
    .await?;
    Ok(())
}
