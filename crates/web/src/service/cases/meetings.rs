//! Meetings (日会商、周例会): the office records a meeting with its decisions, and each
//! decision becomes a case assigned to its owner with a deadline — in one step and one
//! transaction (all decisions or none).

use super::steps;
use crate::error::{AppError, FieldError};
use crate::service::{Problems, audit, parse_date};
use crate::state::AppState;
use duban_core::cases::facts::{CaseKind, Source, Urgency};
use duban_core::cases::{CaseId, MeetingId};
use duban_core::lists::names::Resolved;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_store::cases::CaseFacts;
use duban_store::meetings::{self, MeetingFields};
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct MeetingInput {
    /// daily (日会商) | weekly (周例会) | other
    #[serde(default)]
    pub kind: String,
    /// `2026-11-20`; default today.
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub chair_id: Option<i64>,
    #[serde(default)]
    pub notes: String,
    /// One decision per line: `事项 | 牵头单位 | 配合单位 | 时限`, e.g.
    /// `加快东城街道安置房交付 | 住建局 | 东城街道 | 10wd`.
    #[serde(default)]
    pub decisions: String,
}

/// One decision line, read.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionLine {
    pub line: usize,
    pub title: String,
    pub lead_unit: String,
    pub co_units: String,
    pub deadline: String,
}

/// Reads the decision lines; a line without a title, a lead unit or a deadline is a problem
/// naming its line.
pub fn parse_decisions(text: &str) -> Result<Vec<DecisionLine>, Vec<String>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = raw.split(['|', '｜']).map(str::trim).collect();
        let get = |n: usize| parts.get(n).copied().unwrap_or("").to_string();
        let d = DecisionLine {
            line: i + 1,
            title: get(0),
            lead_unit: get(1),
            co_units: get(2),
            deadline: get(3),
        };
        if d.title.is_empty() || d.lead_unit.is_empty() || d.deadline.is_empty() {
            problems.push(format!("{}", i + 1));
        } else {
            out.push(d);
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Records a meeting and turns its decisions into assigned cases. Returns the meeting and
/// the cases, in line order.
pub async fn record_meeting(
    state: &AppState,
    actor: &Actor,
    input: &MeetingInput,
) -> Result<(MeetingId, Vec<CaseId>), AppError> {
    decide(actor, Action::ManageCase, Object::City)?;
    let mut p = Problems::default();
    let kind = match input.kind.trim() {
        k @ ("daily" | "weekly" | "other") => Some(k.to_string()),
        "" => Some("weekly".to_string()),
        _ => {
            p.add("kind", "bad_choice");
            None
        }
    };
    let held_on = parse_date(&mut p, "held_on", &input.held_on).map(|d| d.unwrap_or(state.today()));
    let title = p.take("title", duban_core::org::parse_text(&input.title, 200));
    let decisions = match parse_decisions(&input.decisions) {
        Ok(d) if d.is_empty() => {
            p.add("decisions", "empty");
            Vec::new()
        }
        Ok(d) => d,
        Err(_lines) => {
            return Err(AppError::Invalid(vec![FieldError::new(
                "decisions",
                "bad_decision_line",
            )]));
        }
    };
    p.finish()?;
    let mut tx = state.store.begin_write().await?;
    let audit = audit(state, actor);
    let names = crate::service::names::NameIndexes::load(&mut tx).await?;
    let today = state.today();
    let held_on = held_on.expect("checked");
    let calendar = duban_store::calendar::load_calendar(&mut tx).await?;
    let settings = duban_store::cases::settings::get_settings(&mut tx, held_on.year()).await?;
    let meeting = meetings::insert_meeting(
        &mut tx,
        &audit,
        &MeetingFields {
            year: held_on.year(),
            kind: kind.expect("checked"),
            held_on,
            title: title.clone().expect("checked"),
            chair_id: input.chair_id.map(duban_core::org::PersonId),
            notes: input.notes.trim().to_string(),
        },
    )
    .await?;
    let mut ids = Vec::new();
    for d in &decisions {
        let lead = match names.unit(&d.lead_unit) {
            Resolved::One(id) => id,
            _ => {
                return Err(AppError::Invalid(vec![FieldError::new(
                    "decisions",
                    "unknown_unit",
                )]));
            }
        };
        let step = steps::StepInput {
            step: "assign".into(),
            lead_unit_id: Some(lead),
            co_units: d.co_units.clone(),
            deadline: d.deadline.clone(),
            ..steps::StepInput::default()
        };
        let facts = CaseFacts {
            year: held_on.year(),
            kind: CaseKind::Item,
            source: Source::Meeting,
            title: d.title.clone(),
            content: format!("{}（{}）", title.clone().unwrap_or_default(), held_on),
            category: String::new(),
            urgency: Urgency::Normal,
            found_on: held_on,
            raised_by: None,
            reopened_from: None,
            meeting_id: Some(meeting),
            task_ids: Vec::new(),
        };
        let at = steps::Assigning {
            today,
            calendar: &calendar,
            settings: &settings,
        };
        let id = steps::register_assigned(&mut tx, state, &audit, &facts, &step, &at).await?;
        ids.push(id);
    }
    tx.commit().await?;
    Ok((meeting, ids))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decision_lines_are_read_and_bad_ones_named() {
        let d = parse_decisions(
            "加快安置房交付 | 住建局 | 东城街道、财政局 | 10wd\n\n清理低效用地｜资规局｜｜2026-12-31",
        )
        .unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].co_units, "东城街道、财政局");
        assert_eq!(d[1].line, 3);
        assert_eq!(d[1].lead_unit, "资规局");
        assert_eq!(d[1].deadline, "2026-12-31");
        assert_eq!(
            parse_decisions("ok | 住建局 | | 5wd\n缺单位 | | | 5wd\n缺时限 | 住建局"),
            Err(vec!["2".into(), "3".into()])
        );
    }
}
