//! The year's working day and report-in window of joint matters (吹哨报到): the office sets
//! them per year (e.g. 8:30–12:00 and 13:30–17:30, 4 working hours); an unset year uses
//! the standard day and [`joint::DEFAULT_REPORT_IN_HOURS`]. Joint matters raised from then on
//! count their window on the new day; those already raised keep their deadlines.

use crate::error::{AppError, FieldError};
use crate::service::{Problems, audit};
use crate::state::AppState;
use duban_core::calendar::hours::{HoursError, WorkingDay};
use duban_core::joint;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_store::joint::{self as store, JointSettings};
use serde::{Deserialize, Serialize};

/// The form and API body; the window as text so a bad number is a field error.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct JointSettingsInput {
    /// The periods of a working day: `08:30-12:00,13:30-17:30`.
    #[serde(default)]
    pub working_hours: String,
    /// Working hours a named department has to report in: 1 to 40.
    #[serde(default)]
    pub report_in_hours: String,
}

/// A year's settings as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct JointSettingsView {
    pub year: i16,
    /// `08:30-12:00,13:30-17:30`.
    pub working_hours: String,
    /// Working minutes in one full day.
    pub minutes_per_day: i64,
    pub report_in_hours: i64,
}

impl JointSettingsView {
    fn of(s: &JointSettings) -> JointSettingsView {
        let day = WorkingDay::parse(&s.working_day).unwrap_or_else(|_| WorkingDay::standard());
        JointSettingsView {
            year: s.year,
            working_hours: day.to_string(),
            minutes_per_day: day.minutes(),
            report_in_hours: s.report_in_hours,
        }
    }
}

impl JointSettingsInput {
    pub fn from_view(v: &JointSettingsView) -> JointSettingsInput {
        JointSettingsInput {
            working_hours: v.working_hours.clone(),
            report_in_hours: v.report_in_hours.to_string(),
        }
    }
}

/// Checks the values: a readable working day with periods in order, and a window of 1 to
/// [`joint::MAX_REPORT_IN_HOURS`] whole working hours. Every problem at once.
pub fn validate(year: i16, input: &JointSettingsInput) -> Result<JointSettings, AppError> {
    let mut p = Problems::default();
    let day = match WorkingDay::parse(&input.working_hours) {
        Ok(day) => Some(day),
        Err(HoursError::Disordered) => {
            p.add("working_hours", "working_hours_order");
            None
        }
        Err(_) => {
            p.add("working_hours", "bad_working_hours");
            None
        }
    };
    let hours = match input.report_in_hours.trim().parse::<i64>() {
        Ok(n) if (1..=joint::MAX_REPORT_IN_HOURS).contains(&n) => Some(n),
        _ => {
            p.add("report_in_hours", "bad_report_in_hours");
            None
        }
    };
    p.finish()?;
    Ok(JointSettings {
        year,
        working_day: day.expect("checked").to_string(),
        report_in_hours: hours.expect("checked"),
    })
}

fn check_year(year: i16) -> Result<(), AppError> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(AppError::Invalid(vec![FieldError::new(
            "year",
            "bad_choice",
        )]))
    }
}

/// A year's settings (the defaults when never set): the office.
pub async fn get(
    state: &AppState,
    actor: &Actor,
    year: i16,
) -> Result<JointSettingsView, AppError> {
    decide(actor, Action::ManageDuties, Object::City)?;
    check_year(year)?;
    let mut tx = state.store.begin_read().await?;
    Ok(JointSettingsView::of(
        &store::get_settings(&mut tx, year).await?,
    ))
}

/// Sets a year's working day and window (the office); nothing is written on a problem.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    year: i16,
    input: &JointSettingsInput,
) -> Result<JointSettingsView, AppError> {
    decide(actor, Action::ManageDuties, Object::City)?;
    check_year(year)?;
    let settings = validate(year, input)?;
    let mut tx = state.store.begin_write().await?;
    store::save_settings(&mut tx, &audit(state, actor), &settings).await?;
    tx.commit().await?;
    Ok(JointSettingsView::of(&settings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(hours: &str, window: &str) -> JointSettingsInput {
        JointSettingsInput {
            working_hours: hours.into(),
            report_in_hours: window.into(),
        }
    }

    fn fields(r: Result<JointSettings, AppError>) -> Vec<(&'static str, &'static str)> {
        match r {
            Err(AppError::Invalid(errs)) => errs.iter().map(|e| (e.field, e.code)).collect(),
            other => panic!("refused: {other:?}"),
        }
    }

    #[test]
    fn a_day_written_loosely_is_stored_in_its_plain_form() {
        let s = validate(2027, &input("8:30–12:00；13:30–17:30", " 6 ")).unwrap();
        assert_eq!(s.working_day, "08:30-12:00,13:30-17:30");
        assert_eq!(s.report_in_hours, 6);
        assert_eq!(s.year, 2027);
    }

    #[test]
    fn every_bad_value_is_named_at_once() {
        assert_eq!(
            fields(validate(2026, &input("早上八点半", "0"))),
            [
                ("working_hours", "bad_working_hours"),
                ("report_in_hours", "bad_report_in_hours")
            ]
        );
        assert_eq!(
            fields(validate(2026, &input("13:30-17:30,08:30-12:00", "41"))),
            [
                ("working_hours", "working_hours_order"),
                ("report_in_hours", "bad_report_in_hours")
            ]
        );
        assert_eq!(
            fields(validate(2026, &input("", "four"))),
            [
                ("working_hours", "bad_working_hours"),
                ("report_in_hours", "bad_report_in_hours")
            ]
        );
    }
}
