//! A year's windows and classes (`proposal_settings`); a year without a row uses the defaults.

use crate::{Audit, StoreError, Tx, ledger, sql};
use duban_core::cases::deadline::DeadlineRule;
use duban_core::proposals::settings::Settings;
use duban_core::proposals::state::OutcomeClass;

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    bool,
);

fn bad() -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        "unreadable rule in proposal_settings".into(),
    ))
}

pub async fn get(tx: &mut Tx, year: i16) -> Result<Settings, StoreError> {
    let row: Option<Row> = sql(
        "SELECT reply_rule, extension_max_rule, adjustment_rule, co_opinion_rule,
                evaluation_deputy_rule, evaluation_member_rule, rehandling_rule, follow_up_rule,
                classes, co_signers_rate
         FROM proposal_settings WHERE year = $1",
    )
    .bind(i64::from(year))
    .fetch_optional(tx)
    .await?;
    let Some((reply, ext, adj, co, ed, em, re, fu, classes, co_rate)) = row else {
        return Ok(Settings::defaults(year));
    };
    let rule = |t: &str| DeadlineRule::parse(t).map_err(|_| bad());
    Ok(Settings {
        year,
        reply: rule(&reply)?,
        extension_max: rule(&ext)?,
        adjustment: rule(&adj)?,
        co_opinion: rule(&co)?,
        evaluation_deputy: rule(&ed)?,
        evaluation_member: rule(&em)?,
        rehandling: rule(&re)?,
        follow_up: rule(&fu)?,
        classes: classes
            .chars()
            .filter_map(|c| OutcomeClass::parse(&c.to_string()))
            .collect(),
        co_signers_rate: co_rate,
    })
}

pub async fn save(tx: &mut Tx, audit: &Audit, s: &Settings) -> Result<(), StoreError> {
    let before = get(tx, s.year).await?;
    let classes: String = s.classes.iter().map(|c| c.as_str()).collect();
    sql(
        "INSERT INTO proposal_settings (year, reply_rule, extension_max_rule, adjustment_rule,
            co_opinion_rule, evaluation_deputy_rule, evaluation_member_rule, rehandling_rule,
            follow_up_rule, classes, co_signers_rate, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (year) DO UPDATE SET reply_rule = $2, extension_max_rule = $3,
            adjustment_rule = $4, co_opinion_rule = $5, evaluation_deputy_rule = $6,
            evaluation_member_rule = $7, rehandling_rule = $8, follow_up_rule = $9,
            classes = $10, co_signers_rate = $11, updated_at = $12",
    )
    .bind(i64::from(s.year))
    .bind(s.reply.to_string())
    .bind(s.extension_max.to_string())
    .bind(s.adjustment.to_string())
    .bind(s.co_opinion.to_string())
    .bind(s.evaluation_deputy.to_string())
    .bind(s.evaluation_member.to_string())
    .bind(s.rehandling.to_string())
    .bind(s.follow_up.to_string())
    .bind(classes)
    .bind(s.co_signers_rate)
    .bind(audit.at)
    .execute(tx)
    .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("proposal.settings", "proposal_settings", i64::from(s.year))
            .before(&before)
            .after(s),
    )
    .await?;
    Ok(())
}
