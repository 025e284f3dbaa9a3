//! One step on a case: which step, who may take it, what it changes. The state follows from
//! `core::cases::state::apply`; notes (an opinion, a leader's instruction, an interview
//! record, a dispatch inside the unit) leave the state as it is.

use super::{case_object, escalation, evidence, load_visible, other_units, tell};
use crate::error::{AppError, FieldError};
use crate::service::attachments::Upload;
use crate::service::{Problems, audit, parse_date};
use crate::state::AppState;
use duban_core::cases::CaseId;
use duban_core::cases::deadline::DeadlineRule;
use duban_core::cases::state::{self as lifecycle, CaseCommand, CaseError, CaseState, Rating};
use duban_core::org::{PersonId, SectionId, UnitId};
use duban_core::policy::{Action, Actor, decide};
use duban_store::Tx;
use duban_store::cases::settings::get_settings;
use duban_store::cases::{self as store, Case, Handling, NewEvent};
use serde::Deserialize;

/// A step as posted by a form or the API. Only the fields the step needs are read.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = CaseStepInput)]
pub struct StepInput {
    /// assign, acknowledge, request_return, approve_return, reject_return, dispatch, report,
    /// coordinate, claim_done, propose_ongoing, propose_defer, accept_proposal,
    /// reject_proposal, resume_handling, verify_ok, rework, suspend, resume, rate, opinion,
    /// instruction, interview, redate.
    #[serde(default)]
    pub step: String,
    /// The reason, progress account, opinion or instruction.
    #[serde(default)]
    pub note: String,
    /// assign: the lead unit.
    #[serde(default)]
    pub lead_unit_id: Option<i64>,
    /// assign: co-units (配合), as names (`市自然资源局、东城街道`).
    #[serde(default)]
    pub co_units: String,
    /// assign: split units (分办), as names.
    #[serde(default)]
    pub split_units: String,
    /// assign, redate: the deadline as a date or a rule (`2026-12-31`, `15d`, `7wd`, `3m`, or
    /// as people write it: 15天, 5个工作日, 3个月, 6月底).
    #[serde(default)]
    pub deadline: String,
    /// dispatch: a section of the lead unit and/or a person.
    #[serde(default)]
    pub section_id: Option<i64>,
    #[serde(default)]
    pub handler_id: Option<i64>,
    /// propose_defer: the date the unit plans to solve it by.
    #[serde(default)]
    pub plan_on: String,
    /// claim_done: the evidence, described (what was done, where to see it).
    #[serde(default)]
    pub evidence: String,
    /// claim_done, report: the measures taken (整改措施).
    #[serde(default)]
    pub measures: String,
    /// verify_ok: checked on site (实地核查) rather than at the desk.
    #[serde(default)]
    pub on_site: bool,
    /// rate: satisfied | basically_satisfied | dissatisfied.
    #[serde(default)]
    pub rating: String,
    /// Evidence uploaded before (`POST /api/v1/attachments`) by the caller, attached to this
    /// step's timeline entry. 申请办结 counts each as evidence.
    #[serde(default)]
    pub attachment_ids: Vec<i64>,
    /// approve_return: why the return is approved although the duty list (属地管理事项责任清单)
    /// makes the returning unit responsible; required then, ignored otherwise.
    #[serde(default)]
    pub override_reason: String,
    /// A split unit (分办) whose own part this step is on (acknowledge, report, claim_done by
    /// that unit; verify_ok, rework by the office); absent: the case itself (the lead unit's
    /// part).
    #[serde(default)]
    pub part_unit_id: Option<i64>,
}

/// Every step, with the action the policy is asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Assign,
    Acknowledge,
    RequestReturn,
    ApproveReturn,
    RejectReturn,
    Dispatch,
    Report,
    Coordinate,
    ClaimDone,
    ProposeOngoing,
    ProposeDefer,
    AcceptProposal,
    RejectProposal,
    ResumeHandling,
    VerifyOk,
    Rework,
    Suspend,
    Resume,
    Rate,
    Opinion,
    Instruction,
    Interview,
    Redate,
}

impl StepKind {
    pub const ALL: [StepKind; 23] = [
        StepKind::Assign,
        StepKind::Acknowledge,
        StepKind::RequestReturn,
        StepKind::ApproveReturn,
        StepKind::RejectReturn,
        StepKind::Dispatch,
        StepKind::Report,
        StepKind::Coordinate,
        StepKind::ClaimDone,
        StepKind::ProposeOngoing,
        StepKind::ProposeDefer,
        StepKind::AcceptProposal,
        StepKind::RejectProposal,
        StepKind::ResumeHandling,
        StepKind::VerifyOk,
        StepKind::Rework,
        StepKind::Suspend,
        StepKind::Resume,
        StepKind::Rate,
        StepKind::Opinion,
        StepKind::Instruction,
        StepKind::Interview,
        StepKind::Redate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Assign => "assign",
            StepKind::Acknowledge => "acknowledge",
            StepKind::RequestReturn => "request_return",
            StepKind::ApproveReturn => "approve_return",
            StepKind::RejectReturn => "reject_return",
            StepKind::Dispatch => "dispatch",
            StepKind::Report => "report",
            StepKind::Coordinate => "coordinate",
            StepKind::ClaimDone => "claim_done",
            StepKind::ProposeOngoing => "propose_ongoing",
            StepKind::ProposeDefer => "propose_defer",
            StepKind::AcceptProposal => "accept_proposal",
            StepKind::RejectProposal => "reject_proposal",
            StepKind::ResumeHandling => "resume_handling",
            StepKind::VerifyOk => "verify_ok",
            StepKind::Rework => "rework",
            StepKind::Suspend => "suspend",
            StepKind::Resume => "resume",
            StepKind::Rate => "rate",
            StepKind::Opinion => "opinion",
            StepKind::Instruction => "instruction",
            StepKind::Interview => "interview",
            StepKind::Redate => "redate",
        }
    }

    pub fn parse(s: &str) -> Option<StepKind> {
        StepKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What the policy is asked.
    pub fn action(self) -> Action {
        use StepKind as K;
        match self {
            K::Acknowledge | K::Report | K::Coordinate => Action::HandleCase,
            K::RequestReturn | K::Dispatch | K::ClaimDone | K::ProposeOngoing | K::ProposeDefer => {
                Action::ConcludeCase
            }
            K::Opinion => Action::GiveOpinion,
            K::Instruction => Action::InstructCase,
            K::Rate => Action::RateCase,
            _ => Action::ManageCase,
        }
    }

    /// Whether the step is a note that leaves the state as it is.
    fn is_note(self) -> bool {
        matches!(
            self,
            StepKind::Dispatch
                | StepKind::Coordinate
                | StepKind::Opinion
                | StepKind::Instruction
                | StepKind::Interview
                | StepKind::Redate
        )
    }

    /// The steps `actor` may take on `case` now: allowed by the policy and by the lifecycle.
    /// Pages show exactly these forms.
    pub fn available(actor: &Actor, case: &Case) -> Vec<StepKind> {
        let units = other_units(case);
        let object = case_object(case, &units);
        let parts_closed =
            duban_core::cases::part::may_close(case.parts().into_iter().map(|(_, s)| s)).is_ok();
        StepKind::ALL
            .into_iter()
            .filter(|k| decide(actor, k.action(), object).is_ok())
            .filter(|k| k.fits(case))
            .filter(|k| parts_closed || *k != StepKind::VerifyOk)
            .collect()
    }

    /// Whether the lifecycle allows the step in the case's state (reasons and values aside).
    fn fits(self, case: &Case) -> bool {
        let s = case.handling.state;
        match self {
            StepKind::Dispatch | StepKind::Coordinate => matches!(
                s,
                CaseState::Assigned
                    | CaseState::Handling
                    | CaseState::Ongoing
                    | CaseState::Deferred
            ),
            StepKind::Opinion | StepKind::Instruction => s.is_open(),
            StepKind::Interview => s != CaseState::Registered,
            StepKind::Redate => duban_core::cases::ladder::applies(s) || s == CaseState::Deferred,
            StepKind::Rate => {
                super::raiser_rates(case)
                    && matches!(s, CaseState::CompletionClaimed | CaseState::ClosedOut)
            }
            _ => {
                let probe = self.command_probe(s);
                probe.is_some_and(|c| {
                    !matches!(lifecycle::apply(s, &c), Err(CaseError::NotAllowed { .. }))
                })
            }
        }
    }

    /// A command of this kind with placeholder values, to ask the lifecycle whether the
    /// state allows it at all.
    fn command_probe(self, state: CaseState) -> Option<CaseCommand> {
        let reason = "·".to_string();
        Some(match self {
            StepKind::Assign => CaseCommand::Assign,
            StepKind::Acknowledge => CaseCommand::Acknowledge,
            StepKind::RequestReturn => CaseCommand::RequestReturn { reason },
            StepKind::ApproveReturn => CaseCommand::ApproveReturn,
            StepKind::RejectReturn => CaseCommand::RejectReturn,
            StepKind::Report => CaseCommand::Report,
            StepKind::ClaimDone => CaseCommand::ClaimDone { evidence: 1 },
            StepKind::ProposeOngoing => CaseCommand::ProposeOngoing,
            StepKind::ProposeDefer => CaseCommand::ProposeDefer,
            StepKind::AcceptProposal => CaseCommand::AcceptProposal,
            StepKind::RejectProposal => CaseCommand::RejectProposal,
            StepKind::ResumeHandling => CaseCommand::ResumeHandling,
            StepKind::VerifyOk => CaseCommand::VerifyOk,
            StepKind::Rework => CaseCommand::Rework { reason },
            StepKind::Suspend => CaseCommand::Suspend { reason },
            StepKind::Resume => CaseCommand::Resume {
                previous: if state == CaseState::Suspended {
                    CaseState::Handling
                } else {
                    state
                },
            },
            StepKind::Rate => CaseCommand::Rate {
                rating: Rating::Satisfied,
            },
            _ => return None,
        })
    }
}

fn case_error(e: &CaseError) -> AppError {
    let (field, code) = match e {
        CaseError::NotAllowed { .. } => ("step", "wrong_state"),
        CaseError::ReasonRequired => ("note", "reason_required"),
        CaseError::EvidenceRequired => ("evidence", "evidence_required"),
        CaseError::PartsOpen => ("step", "parts_open"),
        CaseError::PartNotAllowed { .. } => ("step", "wrong_state"),
    };
    AppError::Invalid(vec![FieldError::new(field, code)])
}

fn invalid(field: &'static str, code: &'static str) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, code)])
}

/// Takes one step on a case. Returns the state it is in afterwards.
pub async fn act(
    state: &AppState,
    actor: &Actor,
    id: CaseId,
    input: &StepInput,
) -> Result<CaseState, AppError> {
    act_with_files(state, actor, id, input, &[]).await
}

/// Takes one step with evidence files sent along (the page's form); they are stored and
/// attached to the step's timeline entry in the same transaction, as are the caller's earlier
/// uploads named in `input.attachment_ids`.
pub async fn act_with_files(
    state: &AppState,
    actor: &Actor,
    id: CaseId,
    input: &StepInput,
    files: &[Upload],
) -> Result<CaseState, AppError> {
    if let Some(unit) = input.part_unit_id {
        return super::parts::act(state, actor, id, UnitId(unit), input, files).await;
    }
    let mut tx = state.store.begin_write().await?;
    let case = load_visible(&mut tx, actor, id).await?;
    let kind = StepKind::parse(input.step.trim()).ok_or_else(|| invalid("step", "bad_choice"))?;
    let units = other_units(&case);
    decide(actor, kind.action(), case_object(&case, &units))?;
    if !kind.fits(&case) {
        return Err(invalid("step", "wrong_state"));
    }
    // 销号 waits for every split unit's part (分办).
    if kind == StepKind::VerifyOk {
        duban_core::cases::part::may_close(case.parts().into_iter().map(|(_, s)| s))
            .map_err(|e| case_error(&e))?;
    }
    let today = state.today();
    let note = input.note.trim().to_string();
    let before = case.handling.clone();
    let mut after = before.clone();
    let mut data = serde_json::Value::Null;
    let audit = audit(state, actor);
    let calendar = duban_store::calendar::load_calendar(&mut tx).await?;
    let settings = get_settings(&mut tx, case.facts.year).await?;

    // The lifecycle's command, with the values the step carries.
    let command = match kind {
        StepKind::RequestReturn => Some(CaseCommand::RequestReturn {
            reason: note.clone(),
        }),
        StepKind::Rework => Some(CaseCommand::Rework {
            reason: note.clone(),
        }),
        StepKind::Suspend => Some(CaseCommand::Suspend {
            reason: note.clone(),
        }),
        StepKind::ClaimDone => Some(CaseCommand::ClaimDone {
            evidence: usize::from(!input.evidence.trim().is_empty())
                + files.len()
                + input.attachment_ids.len(),
        }),
        StepKind::Resume => Some(CaseCommand::Resume {
            previous: before.suspended_from.unwrap_or(CaseState::Handling),
        }),
        StepKind::Rate => Some(CaseCommand::Rate {
            rating: Rating::parse(input.rating.trim())
                .ok_or_else(|| invalid("rating", "bad_choice"))?,
        }),
        k => k.command_probe(before.state),
    };
    if let Some(c) = &command {
        after.state = lifecycle::apply(before.state, c).map_err(|e| case_error(&e))?;
    }

    match kind {
        StepKind::Assign => {
            assign(&mut tx, input, today, &calendar, &settings, &mut after).await?;
        }
        StepKind::ApproveReturn => {
            // The duty list (issue 19): a return it contradicts needs an explicit override.
            if let Some(d) =
                crate::service::duties::check_return(&mut tx, &case, input, today).await?
            {
                data = d;
            }
            // Back to the office for reassignment: the unit is relieved.
            after.lead_unit_id = None;
            after.leader_id = None;
            after.co_unit_ids.clear();
            after.split_unit_ids.clear();
            after.section_id = None;
            after.handler_id = None;
            after.due_on = None;
            after.ack_due_on = None;
            after.return_due_on = None;
            after.deadline_rule = None;
            after.deadline_from = None;
        }
        StepKind::RequestReturn if before.return_due_on.is_some_and(|d| today > d) => {
            return Err(invalid("step", "return_window_passed"));
        }
        StepKind::Dispatch => {
            dispatch(&mut tx, input, &before, &mut after).await?;
        }
        StepKind::Report | StepKind::Coordinate | StepKind::Instruction | StepKind::Interview => {
            if note.is_empty() {
                return Err(invalid("note", "empty"));
            }
            if kind == StepKind::Report {
                after.progress_note = note.clone();
                if !input.measures.trim().is_empty() {
                    after.measures = input.measures.trim().to_string();
                }
            }
        }
        StepKind::ClaimDone => {
            after.evidence_note = input.evidence.trim().to_string();
            if !input.measures.trim().is_empty() {
                after.measures = input.measures.trim().to_string();
            }
            if !note.is_empty() {
                after.progress_note = note.clone();
            }
        }
        StepKind::ProposeDefer => {
            let mut p = Problems::default();
            let plan = parse_date(&mut p, "plan_on", &input.plan_on).flatten();
            p.finish()?;
            match plan {
                Some(d) if d > today => after.plan_on = Some(d),
                Some(_) => return Err(invalid("plan_on", "not_after_today")),
                None => return Err(invalid("plan_on", "empty")),
            }
        }
        StepKind::RejectProposal => after.plan_on = None,
        StepKind::VerifyOk => {
            after.verifier_id = actor.person;
            after.closed_on = Some(today);
            data = serde_json::json!({ "on_site": input.on_site });
        }
        StepKind::Rework => {
            after.closed_on = None;
        }
        StepKind::Suspend => after.suspended_from = Some(before.state),
        StepKind::Resume => after.suspended_from = None,
        StepKind::Rate => {
            after.rating = Rating::parse(input.rating.trim());
            if after.state == CaseState::Handling {
                // Dissatisfied: back to the unit, not closed any more.
                after.closed_on = None;
            }
        }
        StepKind::Opinion => {
            if note.is_empty() {
                return Err(invalid("note", "empty"));
            }
            let unit = units
                .iter()
                .copied()
                .find(|u| actor.scope.units.contains(u))
                .ok_or(duban_core::policy::Denied::OutOfScope)?;
            let event = store::set_opinion(&mut tx, &audit, id, unit, &note).await?;
            evidence::attach(state, &mut tx, actor, &audit, id, event, input, files).await?;
            tell::opinion_given(state, &mut tx, &audit, &case).await?;
            tx.commit().await?;
            return Ok(before.state);
        }
        StepKind::Redate => {
            let rule = parse_rule(input, today.year())?;
            let from = before.deadline_from.unwrap_or(today);
            after.due_on = Some(
                rule.due(from, &calendar)
                    .map_err(|_| invalid("deadline", "bad_deadline"))?,
            );
            after.deadline_rule = Some(rule.to_string());
            data = serde_json::json!({ "from": before.due_on, "to": after.due_on });
        }
        _ => {}
    }

    // Ongoing and deferred cases report periodically: the next 续报 falls due one period
    // after entering the state or after each report; other states have no such date.
    if duban_core::cases::timeliness::reports_periodically(after.state) {
        let entered = !duban_core::cases::timeliness::reports_periodically(before.state);
        if entered || kind == StepKind::Report {
            after.report_due_on = DeadlineRule::parse(&settings.report_rule)
                .ok()
                .and_then(|r| r.due(today, &calendar).ok());
        }
    } else {
        after.report_due_on = None;
    }
    let event = NewEvent::new(kind.as_str(), note).with_data(data);
    let event = if kind.is_note() && after == before {
        store::add_note(&mut tx, &audit, id, &event).await?
    } else {
        store::save_step(&mut tx, &audit, id, &before, &after, &event).await?
    };
    evidence::attach(state, &mut tx, actor, &audit, id, event, input, files).await?;
    escalation::schedule(&mut tx, state, id, &after, &settings.ladder, &calendar).await?;
    tell::after_step(state, &mut tx, &audit, &case, kind, &after).await?;
    tx.commit().await?;
    Ok(after.state)
}

/// A deadline as people type it: a date (2026-06-30, 6月底), `15d` / `7wd` / `3m`, or 15天,
/// 5个工作日, 3个月 — the problem list's reader, so the form and the sheet agree. Dates
/// without a year fall in `year`.
fn parse_rule(input: &StepInput, year: i16) -> Result<DeadlineRule, AppError> {
    let text = input.deadline.trim();
    if text.is_empty() {
        return Err(invalid("deadline", "empty"));
    }
    duban_docs::cases::parse_deadline(text, Some(year))
        .map_err(|_| invalid("deadline", "bad_deadline"))
}

/// An assignment that passed [`check_assign`]: what `assign` writes.
pub(super) struct Checked {
    pub lead: UnitId,
    pub co: Vec<UnitId>,
    pub split: Vec<UnitId>,
    /// The deadline's rule in its stored form (`15d`, `2026-06-30`).
    pub rule: Option<DeadlineRule>,
    pub due: Option<jiff::civil::Date>,
}

/// Everything 交办 refuses, without writing: the lead unit (existing, active), co- and split
/// units by name, the deadline (readable, not before `today`). The one check the assign step,
/// a meeting's decision and the problem list's preview and commit share, so a preview says
/// exactly what the commit would refuse.
pub(super) async fn check_assign(
    tx: &mut Tx,
    input: &StepInput,
    today: jiff::civil::Date,
    calendar: &duban_core::calendar::Calendar,
) -> Result<Checked, AppError> {
    let mut p = Problems::default();
    let lead = match input.lead_unit_id {
        None => {
            p.add("lead_unit_id", "empty");
            None
        }
        Some(id) => match duban_store::org::get_unit(tx, UnitId(id)).await {
            Ok(u) if u.active => Some(UnitId(id)),
            Ok(_) => {
                p.add("lead_unit_id", "inactive");
                None
            }
            Err(duban_store::StoreError::NotFound) => {
                p.add("lead_unit_id", "not_found_ref");
                None
            }
            Err(e) => return Err(e.into()),
        },
    };
    let names = crate::service::names::NameIndexes::load(tx).await?;
    let co = resolve_units(&names, &mut p, "co_units", &input.co_units);
    let split = resolve_units(&names, &mut p, "split_units", &input.split_units);
    let rule = match parse_rule(input, today.year()) {
        Ok(r) => Some(r),
        Err(AppError::Invalid(mut errs)) => {
            for e in errs.drain(..) {
                p.add(e.field, e.code);
            }
            None
        }
        Err(e) => return Err(e),
    };
    let due = rule.and_then(|r| r.due(today, calendar).ok());
    if rule.is_some() && due.is_none() {
        p.add("deadline", "bad_deadline");
    }
    if due.is_some_and(|d| d < today) {
        p.add("deadline", "in_past");
    }
    p.finish()?;
    Ok(Checked {
        lead: lead.expect("checked"),
        co,
        split,
        rule,
        due,
    })
}

/// 交办: the lead unit, co- and split units, the leader answerable (the unit's portfolio
/// leader today), the deadline from its rule, and the acknowledgement and return windows.
pub(super) async fn assign(
    tx: &mut Tx,
    input: &StepInput,
    today: jiff::civil::Date,
    calendar: &duban_core::calendar::Calendar,
    settings: &duban_store::cases::settings::CaseSettings,
    after: &mut Handling,
) -> Result<(), AppError> {
    let Checked {
        lead,
        co,
        split,
        rule,
        due,
    } = check_assign(tx, input, today, calendar).await?;
    let window = |rule: &str| {
        DeadlineRule::parse(rule)
            .ok()
            .and_then(|r| r.due(today, calendar).ok())
    };
    after.lead_unit_id = Some(lead);
    after.leader_id = duban_store::portfolios::leader_of(tx, lead, today).await?;
    after.co_unit_ids = co.into_iter().filter(|u| *u != lead).collect();
    after.split_unit_ids = split.into_iter().filter(|u| *u != lead).collect();
    after.deadline_rule = rule.map(|r| r.to_string());
    after.deadline_from = Some(today);
    after.due_on = due;
    after.ack_due_on = window(&settings.ack_rule);
    after.return_due_on = window(&settings.return_rule);
    Ok(())
}

/// What a batch of cases is assigned against: today, the calendar and the year's settings.
pub(super) struct Assigning<'a> {
    pub today: jiff::civil::Date,
    pub calendar: &'a duban_core::calendar::Calendar,
    pub settings: &'a duban_store::cases::settings::CaseSettings,
}

/// Registers a case and assigns it in the same step (a meeting's decision, an imported row):
/// the assignment is checked like the `assign` step, the ladder scheduled and the unit told.
pub(super) async fn register_assigned(
    tx: &mut Tx,
    state: &AppState,
    audit: &duban_store::Audit,
    facts: &duban_store::cases::CaseFacts,
    input: &StepInput,
    at: &Assigning<'_>,
) -> Result<CaseId, AppError> {
    let mut handling = Handling {
        state: CaseState::Assigned,
        ..Handling::registered()
    };
    assign(tx, input, at.today, at.calendar, at.settings, &mut handling).await?;
    let id = store::insert_case(tx, audit, facts, &handling).await?;
    escalation::schedule(tx, state, id, &handling, &at.settings.ladder, at.calendar).await?;
    let case = store::get_case(tx, id).await?.ok_or(AppError::NotFound)?;
    tell::after_step(state, tx, audit, &case, StepKind::Assign, &handling).await?;
    Ok(id)
}

/// Resolves unit names written as one text (any of the separators imports accept).
pub(crate) fn resolve_units(
    names: &crate::service::names::NameIndexes,
    p: &mut Problems,
    field: &'static str,
    text: &str,
) -> Vec<UnitId> {
    use duban_core::lists::names::{Resolved, split_names};
    let mut out = Vec::new();
    for name in split_names(text) {
        match names.unit(&name) {
            Resolved::One(id) => {
                if !out.contains(&UnitId(id)) {
                    out.push(UnitId(id));
                }
            }
            Resolved::NotFound => p.add(field, "unknown_unit"),
            Resolved::Ambiguous(_) => p.add(field, "ambiguous_unit"),
        }
    }
    out
}

/// A written unit name that matched no unit (or more than one), with the closest unit name to
/// suggest when one is alike.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unmatched {
    pub name: String,
    pub ambiguous: bool,
    pub suggestion: Option<String>,
}

/// The names in a written list of units that resolve to no single unit, each with a
/// suggestion (for the assignment form to name them after an error).
pub async fn unmatched_units(state: &AppState, text: &str) -> Result<Vec<Unmatched>, AppError> {
    use duban_core::lists::names::{Resolved, closest_unit, split_names};
    let mut tx = state.store.begin_read().await?;
    let names = crate::service::names::NameIndexes::load(&mut tx).await?;
    let units = duban_store::aliases::list_unit_names(&mut tx).await?;
    let candidates: Vec<&str> = units.iter().map(|(_, _, short)| short.as_str()).collect();
    Ok(split_names(text)
        .into_iter()
        .filter_map(|name| {
            let ambiguous = match names.unit(&name) {
                Resolved::One(_) => return None,
                Resolved::NotFound => false,
                Resolved::Ambiguous(_) => true,
            };
            let suggestion =
                closest_unit(&name, &candidates, crate::service::names::CITY).map(str::to_string);
            Some(Unmatched {
                name,
                ambiguous,
                suggestion,
            })
        })
        .collect())
}

/// Dispatch inside the lead unit: to one of its sections and/or people.
async fn dispatch(
    tx: &mut Tx,
    input: &StepInput,
    before: &Handling,
    after: &mut Handling,
) -> Result<(), AppError> {
    let lead = before
        .lead_unit_id
        .ok_or_else(|| invalid("step", "wrong_state"))?;
    let mut p = Problems::default();
    if input.section_id.is_none() && input.handler_id.is_none() {
        p.add("handler_id", "empty");
    }
    if let Some(s) = input.section_id {
        match duban_store::org::get_section(tx, SectionId(s)).await {
            Ok(sec) if sec.unit_id == lead.0 => after.section_id = Some(SectionId(s)),
            Ok(_) | Err(duban_store::StoreError::NotFound) => p.add("section_id", "not_found_ref"),
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(h) = input.handler_id {
        let members = duban_store::people::unit_people(tx, lead).await?;
        if members.iter().any(|(id, _)| *id == h) {
            after.handler_id = Some(PersonId(h));
        } else {
            p.add("handler_id", "not_in_unit");
        }
    }
    p.finish()
}
