//! The year's deadline windows and escalation ladder (DOMAIN §2.1, §3.6): the office sets
//! them per year; an unset year uses the defaults (2 working days to acknowledge, 5 to ask for
//! a return, a reminder 3 days before, 催办 the day after, a 督办单 5 working days after, the
//! bulletin after 10, an interview after 15).

use crate::error::{AppError, FieldError};
use crate::service::{Problems, audit};
use crate::state::AppState;
use duban_core::cases::deadline::DeadlineRule;
use duban_core::cases::ladder::Ladder;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_store::cases::settings::{CaseSettings, get_settings, save_settings};
use serde::Deserialize;

/// The form and API body; numbers as text so an empty field switches a rung off.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct SettingsInput {
    #[serde(default)]
    pub ack_rule: String,
    #[serde(default)]
    pub return_rule: String,
    #[serde(default)]
    pub report_rule: String,
    #[serde(default)]
    pub due_soon_workdays: String,
    #[serde(default)]
    pub remind_days_before: String,
    #[serde(default)]
    pub urge_days_after: String,
    #[serde(default)]
    pub notice_workdays_after: String,
    #[serde(default)]
    pub bulletin_workdays_after: String,
    #[serde(default)]
    pub interview_workdays_after: String,
}

impl SettingsInput {
    pub fn from_settings(s: &CaseSettings) -> SettingsInput {
        let n = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
        SettingsInput {
            ack_rule: s.ack_rule.clone(),
            return_rule: s.return_rule.clone(),
            report_rule: s.report_rule.clone(),
            due_soon_workdays: s.due_soon_workdays.to_string(),
            remind_days_before: n(s.ladder.remind_days_before),
            urge_days_after: n(s.ladder.urge_days_after),
            notice_workdays_after: n(s.ladder.notice_workdays_after),
            bulletin_workdays_after: n(s.ladder.bulletin_workdays_after),
            interview_workdays_after: n(s.ladder.interview_workdays_after),
        }
    }
}

/// Checks the values: windows are periods (not dates), rungs are 1–60 days or empty, and the
/// working-day rungs climb in order.
pub fn validate(year: i16, input: &SettingsInput) -> Result<CaseSettings, AppError> {
    let mut p = Problems::default();
    let mut period = |field: &'static str, text: &str| -> String {
        match DeadlineRule::parse(text) {
            Ok(DeadlineRule::FixedDate { .. }) | Err(_) => {
                p.add(field, "bad_period");
                String::new()
            }
            Ok(_) => text.trim().to_string(),
        }
    };
    let ack_rule = period("ack_rule", &input.ack_rule);
    let return_rule = period("return_rule", &input.return_rule);
    let report_rule = period("report_rule", &input.report_rule);
    let mut rung = |field: &'static str, text: &str| -> Option<u32> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        match t.parse::<u32>() {
            Ok(n) if (1..=60).contains(&n) => Some(n),
            _ => {
                p.add(field, "bad_days");
                None
            }
        }
    };
    let due_soon = rung("due_soon_workdays", &input.due_soon_workdays);
    let ladder = Ladder {
        remind_days_before: rung("remind_days_before", &input.remind_days_before),
        urge_days_after: rung("urge_days_after", &input.urge_days_after),
        notice_workdays_after: rung("notice_workdays_after", &input.notice_workdays_after),
        bulletin_workdays_after: rung("bulletin_workdays_after", &input.bulletin_workdays_after),
        interview_workdays_after: rung("interview_workdays_after", &input.interview_workdays_after),
    };
    let climbing: Vec<u32> = [
        ladder.notice_workdays_after,
        ladder.bulletin_workdays_after,
        ladder.interview_workdays_after,
    ]
    .into_iter()
    .flatten()
    .collect();
    if climbing.windows(2).any(|w| w[0] >= w[1]) {
        p.add("interview_workdays_after", "ladder_order");
    }
    if due_soon.is_none() {
        p.add("due_soon_workdays", "bad_days");
    }
    p.finish()?;
    Ok(CaseSettings {
        year,
        ack_rule,
        return_rule,
        report_rule,
        due_soon_workdays: i64::from(due_soon.unwrap_or(3)),
        ladder,
    })
}

pub async fn get(state: &AppState, actor: &Actor, year: i16) -> Result<CaseSettings, AppError> {
    decide(actor, Action::ManageCase, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    Ok(get_settings(&mut tx, year).await?)
}

/// Saves a year's settings. Deadlines already given keep their dates; the new ladder applies
/// to deadlines set from now on.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    year: i16,
    input: &SettingsInput,
) -> Result<CaseSettings, AppError> {
    decide(actor, Action::ManageCase, Object::City)?;
    if !(2000..=2100).contains(&year) {
        return Err(AppError::Invalid(vec![FieldError::new(
            "year",
            "bad_choice",
        )]));
    }
    let settings = validate(year, input)?;
    let mut tx = state.store.begin_write().await?;
    save_settings(&mut tx, &audit(state, actor), &settings).await?;
    tx.commit().await?;
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SettingsInput {
        SettingsInput::from_settings(&CaseSettings::defaults(2026))
    }

    #[test]
    fn the_defaults_round_trip_and_empty_rungs_switch_off() {
        assert_eq!(
            validate(2026, &input()).unwrap(),
            CaseSettings::defaults(2026)
        );
        let s = validate(
            2026,
            &SettingsInput {
                bulletin_workdays_after: " ".into(),
                ..input()
            },
        )
        .unwrap();
        assert_eq!(s.ladder.bulletin_workdays_after, None);
    }

    #[test]
    fn bad_windows_rungs_and_order_are_named() {
        let bad = SettingsInput {
            ack_rule: "2026-01-01".into(),
            urge_days_after: "0".into(),
            notice_workdays_after: "12".into(),
            bulletin_workdays_after: "10".into(),
            ..input()
        };
        let Err(AppError::Invalid(errs)) = validate(2026, &bad) else {
            panic!("refused")
        };
        let fields: Vec<&str> = errs.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["ack_rule", "urge_days_after", "interview_workdays_after"]
        );
    }
}
