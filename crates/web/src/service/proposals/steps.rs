//! One step on a suggestion or proposal: which step, who may take it, what it changes. The
//! state follows from `core::proposals::state::apply`; the windows from the year's settings.

use super::{invalid, load_visible, object};
use crate::error::AppError;
use crate::service::{Problems, audit, parse_date};
use crate::state::AppState;
use duban_core::cases::deadline::DeadlineRule;
use duban_core::org::{PersonId, UnitId};
use duban_core::policy::{Action, Actor, Denied, decide};
use duban_core::proposals::ProposalId;
use duban_core::proposals::kind::RejectReason;
use duban_core::proposals::settings::SettingsError;
use duban_core::proposals::state::{
    self as lifecycle, Command, Error, OutcomeClass, Rating, State,
};
use duban_store::proposals::{self as store, NewContact, NewEvent, Proposal};
use jiff::civil::Date;
use serde::Deserialize;

/// A step as posted by a form or the API. Only the fields the step needs are read.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = ProposalStepInput)]
pub struct StepInput {
    /// accept, reject, merge, withdraw, hand_out, sign_in, request_adjustment,
    /// approve_adjustment, refuse_adjustment, contact, opinion, draft_reply, countersign,
    /// review, send_back, sign, rate, follow_up, extend.
    #[serde(default)]
    pub step: String,
    /// The reason, opinion, reply text, follow-up text or comment.
    #[serde(default)]
    pub note: String,
    /// reject: not_a_suggestion, outside_jurisdiction, personal_matter, forwarded_letter,
    /// academic_or_advertising, no_content, turned_into_information (as the kind allows).
    #[serde(default)]
    pub reason: String,
    /// merge: the item it joins.
    #[serde(default)]
    pub into_id: Option<i64>,
    /// hand_out, approve_adjustment: the lead unit.
    #[serde(default)]
    pub lead_unit_id: Option<i64>,
    /// hand_out, approve_adjustment: co-units (协办).
    #[serde(default)]
    pub co_unit_ids: Vec<i64>,
    /// hand_out, approve_adjustment: split units (分办).
    #[serde(default)]
    pub split_unit_ids: Vec<i64>,
    /// hand_out: the reply deadline as a rule or a date (`3m`, `2026-06-30`); empty takes
    /// the year's (3 months). extend: the new date.
    #[serde(default)]
    pub deadline: String,
    /// contact: report (报到) | site (现场) | revisit (回访).
    #[serde(default)]
    pub stage: String,
    /// contact: the day it took place.
    #[serde(default)]
    pub held_on: String,
    /// contact: face_to_face | site_visit | phone.
    #[serde(default)]
    pub way: String,
    /// contact: who took part.
    #[serde(default)]
    pub participants: String,
    /// contact: the unit head took part (一把手参与).
    #[serde(default)]
    pub head_took_part: bool,
    /// draft_reply: A | B | C | D; review: the corrected class (empty keeps the draft's).
    #[serde(default)]
    pub class: String,
    /// rate: satisfied | basically_satisfied | dissatisfied.
    #[serde(default)]
    pub rating: String,
    /// follow_up: the matter is solved now.
    #[serde(default)]
    pub solved: bool,
    /// rate: 同意公开 — the lead proposer agrees to the reply's publication on the public
    /// portal (default not agreed; a co-signer's rating cannot carry it).
    #[serde(default)]
    pub publish: bool,
    /// hand_out from the hand-out sheet: the day of the hand-out (its 交办日期), checked by
    /// the sheet's preview (not after today, not before registration); the form and the API
    /// hand out today.
    #[serde(skip)]
    pub handed_out_on: Option<Date>,
}

/// Every step, with the action the policy is asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Accept,
    Reject,
    Merge,
    Withdraw,
    HandOut,
    SignIn,
    RequestAdjustment,
    ApproveAdjustment,
    RefuseAdjustment,
    Contact,
    Opinion,
    DraftReply,
    Countersign,
    Review,
    SendBack,
    Sign,
    Rate,
    FollowUp,
    Extend,
}

impl StepKind {
    pub const ALL: [StepKind; 19] = [
        StepKind::Accept,
        StepKind::Reject,
        StepKind::Merge,
        StepKind::Withdraw,
        StepKind::HandOut,
        StepKind::SignIn,
        StepKind::RequestAdjustment,
        StepKind::ApproveAdjustment,
        StepKind::RefuseAdjustment,
        StepKind::Contact,
        StepKind::Opinion,
        StepKind::DraftReply,
        StepKind::Countersign,
        StepKind::Review,
        StepKind::SendBack,
        StepKind::Sign,
        StepKind::Rate,
        StepKind::FollowUp,
        StepKind::Extend,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Accept => "accept",
            StepKind::Reject => "reject",
            StepKind::Merge => "merge",
            StepKind::Withdraw => "withdraw",
            StepKind::HandOut => "hand_out",
            StepKind::SignIn => "sign_in",
            StepKind::RequestAdjustment => "request_adjustment",
            StepKind::ApproveAdjustment => "approve_adjustment",
            StepKind::RefuseAdjustment => "refuse_adjustment",
            StepKind::Contact => "contact",
            StepKind::Opinion => "opinion",
            StepKind::DraftReply => "draft_reply",
            StepKind::Countersign => "countersign",
            StepKind::Review => "review",
            StepKind::SendBack => "send_back",
            StepKind::Sign => "sign",
            StepKind::Rate => "rate",
            StepKind::FollowUp => "follow_up",
            StepKind::Extend => "extend",
        }
    }

    pub fn parse(s: &str) -> Option<StepKind> {
        StepKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What the policy is asked.
    pub fn action(self) -> Action {
        use StepKind as K;
        match self {
            K::Accept | K::Reject | K::Merge => Action::IntakeProposal,
            K::Withdraw => Action::SubmitProposal,
            K::HandOut
            | K::ApproveAdjustment
            | K::RefuseAdjustment
            | K::Review
            | K::SendBack
            | K::Extend => Action::HandOutProposal,
            K::SignIn | K::RequestAdjustment | K::Contact | K::DraftReply | K::FollowUp => {
                Action::HandleProposal
            }
            K::Sign => Action::SignProposalReply,
            K::Opinion | K::Countersign => Action::CountersignProposal,
            K::Rate => Action::RateProposal,
        }
    }

    /// A command of this kind with placeholder values, to ask the lifecycle whether the state
    /// allows it at all (`None`: not a state step).
    fn probe(self) -> Option<Command> {
        let reason = "·".to_string();
        let day = jiff::civil::date(2000, 1, 1);
        Some(match self {
            StepKind::Accept => Command::Accept,
            StepKind::Reject => Command::Reject { reason },
            StepKind::Merge => Command::Merge,
            StepKind::Withdraw => Command::Withdraw,
            StepKind::HandOut => Command::HandOut,
            StepKind::SignIn => Command::SignIn,
            StepKind::RequestAdjustment => Command::RequestAdjustment {
                reason,
                on: day,
                window_ends: day,
            },
            StepKind::ApproveAdjustment => Command::ApproveAdjustment,
            StepKind::RefuseAdjustment => Command::RefuseAdjustment { reason },
            StepKind::Contact => Command::RecordContact,
            StepKind::Opinion => Command::CoOpinion,
            StepKind::DraftReply => Command::DraftReply {
                class: Some(OutcomeClass::A),
            },
            StepKind::Countersign => Command::Countersign,
            StepKind::Review => Command::Review {
                missing_countersigns: 0,
            },
            StepKind::SendBack => Command::SendBack { reason },
            StepKind::Sign => Command::Sign,
            StepKind::Rate => Command::Rate {
                rating: Rating::Satisfied,
                by_lead: false,
                already_rated: false,
                class: OutcomeClass::A,
            },
            StepKind::FollowUp => Command::FollowUp { solved: false },
            StepKind::Extend => return None,
        })
    }

    /// Whether the step reads the year's settings or the working-day calendar (windows,
    /// deadlines, classes in use, who rates).
    fn reads_settings(self) -> bool {
        !matches!(
            self,
            StepKind::Accept
                | StepKind::Reject
                | StepKind::Merge
                | StepKind::Withdraw
                | StepKind::SignIn
                | StepKind::RequestAdjustment
                | StepKind::RefuseAdjustment
                | StepKind::Contact
                | StepKind::Opinion
                | StepKind::Countersign
                | StepKind::SendBack
        )
    }

    /// Whether the lifecycle allows the step in this state (values aside).
    pub fn fits(self, p: &Proposal) -> bool {
        let s = p.handling.state;
        match self {
            StepKind::Extend => {
                s.reply_owed() && s != State::ReHandling && p.handling.first_replied_on.is_none()
            }
            StepKind::Rate => matches!(
                s,
                State::Replied | State::ReHandling | State::FollowUpOwed | State::Closed
            ),
            k => k
                .probe()
                .is_some_and(|c| !matches!(lifecycle::apply(s, &c), Err(Error::NotAllowed { .. }))),
        }
    }

    /// The steps `actor` may take on `p` now: allowed by the policy and by the lifecycle.
    pub fn available(actor: &Actor, p: &Proposal) -> Vec<StepKind> {
        let o = object(p, &p.intake.cosigner_ids);
        StepKind::ALL
            .into_iter()
            .filter(|k| decide(actor, k.action(), o).is_ok())
            .filter(|k| k.fits(p))
            .collect()
    }
}

fn lifecycle_error(e: &Error) -> AppError {
    let (field, code) = match e {
        Error::NotAllowed { .. } => ("step", "wrong_state"),
        Error::ReasonRequired => ("note", "reason_required"),
        Error::AdjustmentLate { .. } => ("step", "adjustment_window_passed"),
        Error::ClassRequired => ("class", "class_required"),
        Error::CountersignMissing(_) => ("step", "countersign_missing"),
        Error::AlreadyRated => ("rating", "already_rated"),
    };
    invalid(field, code)
}

fn settings_error(e: &SettingsError) -> AppError {
    match e {
        SettingsError::ClassNotInUse(_) => invalid("class", "class_not_in_use"),
        SettingsError::ExtensionTooLong { .. } => invalid("deadline", "extension_too_long"),
        SettingsError::ExtensionNotLater { .. } => invalid("deadline", "not_later"),
        SettingsError::ExtensionReasonRequired => invalid("note", "reason_required"),
        SettingsError::Deadline(_) => invalid("deadline", "bad_deadline"),
    }
}

/// The unit the actor acts for among `units` (their scope's first match).
fn acting_unit(actor: &Actor, units: impl IntoIterator<Item = UnitId>) -> Result<UnitId, AppError> {
    units
        .into_iter()
        .find(|u| actor.scope.units.contains(u))
        .ok_or(AppError::Forbidden(Denied::OutOfScope))
}

/// Reads the units of a hand-out or reassignment: a lead unit, co- and split units, each
/// an active unit, none twice.
async fn read_units(
    tx: &mut duban_store::Tx,
    input: &StepInput,
) -> Result<(UnitId, Vec<UnitId>, Vec<UnitId>), AppError> {
    let mut p = Problems::default();
    let lead = input.lead_unit_id.map(UnitId);
    if lead.is_none() {
        p.add("lead_unit_id", "empty");
    }
    let co: Vec<UnitId> = input.co_unit_ids.iter().map(|u| UnitId(*u)).collect();
    let split: Vec<UnitId> = input.split_unit_ids.iter().map(|u| UnitId(*u)).collect();
    let all: Vec<UnitId> = lead.iter().chain(&co).chain(&split).copied().collect();
    let mut seen = std::collections::BTreeSet::new();
    for u in &all {
        if !seen.insert(*u) {
            p.add("co_unit_ids", "duplicate");
            break;
        }
    }
    for (u, field) in lead
        .iter()
        .map(|u| (u, "lead_unit_id"))
        .chain(co.iter().map(|u| (u, "co_unit_ids")))
        .chain(split.iter().map(|u| (u, "split_unit_ids")))
    {
        match duban_store::org::get_unit(tx, *u).await {
            Ok(unit) if unit.active => {}
            _ => p.add(field, "not_found"),
        }
    }
    p.finish()?;
    Ok((lead.unwrap_or(UnitId(0)), co, split))
}

/// Takes one step on an item, in its own transaction. Returns the state it is in afterwards.
pub async fn act(
    state: &AppState,
    actor: &Actor,
    id: ProposalId,
    input: &StepInput,
) -> Result<State, AppError> {
    let mut tx = state.store.begin_write().await?;
    let s = act_in(&mut tx, state, actor, id, input).await?;
    tx.commit().await?;
    Ok(s)
}

/// Takes one step inside the caller's transaction (the demo plays a session's steps in one).
pub async fn act_in(
    tx: &mut duban_store::Tx,
    state: &AppState,
    actor: &Actor,
    id: ProposalId,
    input: &StepInput,
) -> Result<State, AppError> {
    let p = load_visible(tx, actor, id).await?;
    let kind = StepKind::parse(input.step.trim()).ok_or_else(|| invalid("step", "bad_choice"))?;
    decide(actor, kind.action(), object(&p, &p.intake.cosigner_ids))?;
    let today = state.today();
    let note = input.note.trim().to_string();
    let before = p.handling.clone();
    let mut after = before.clone();
    let mut data = serde_json::Value::Null;
    let audit = audit(state, actor);
    // The year's settings, the calendar and the replies are read only by the steps that use
    // them (a session's worth of contacts and sign-ins need none of them).
    let (calendar, settings) = if kind.reads_settings() {
        (
            duban_store::calendar::load_calendar(tx).await?,
            store::settings::get(tx, p.intake.year).await?,
        )
    } else {
        (
            duban_core::calendar::Calendar::new(std::iter::empty()),
            duban_core::proposals::settings::Settings::defaults(p.intake.year),
        )
    };
    let class_input = match input.class.trim() {
        "" => None,
        c => Some(OutcomeClass::parse(c).ok_or_else(|| invalid("class", "bad_choice"))?),
    };
    let replies = if matches!(
        kind,
        StepKind::Review | StepKind::Countersign | StepKind::Sign
    ) {
        store::replies(tx, id).await?
    } else {
        Vec::new()
    };
    let current_reply = replies.iter().find(|r| r.round == i64::from(before.round));

    let command = match kind {
        StepKind::Reject => Command::Reject {
            reason: input.reason.trim().to_string(),
        },
        StepKind::RequestAdjustment => Command::RequestAdjustment {
            reason: note.clone(),
            on: today,
            window_ends: before.adjustment_ends_on.unwrap_or(today),
        },
        StepKind::RefuseAdjustment => Command::RefuseAdjustment {
            reason: note.clone(),
        },
        StepKind::SendBack => Command::SendBack {
            reason: note.clone(),
        },
        StepKind::DraftReply => Command::DraftReply { class: class_input },
        StepKind::Review => {
            let signed = match current_reply {
                Some(r) => store::countersigned_by(tx, r.id).await?,
                None => Vec::new(),
            };
            Command::Review {
                missing_countersigns: before
                    .co_unit_ids
                    .iter()
                    .filter(|u| !signed.contains(u))
                    .count(),
            }
        }
        StepKind::Rate => {
            let rating = Rating::parse(input.rating.trim())
                .ok_or_else(|| invalid("rating", "bad_choice"))?;
            let me = actor
                .person
                .ok_or(AppError::Forbidden(Denied::OutOfScope))?;
            let by_lead = me == p.intake.proposer_id;
            if !by_lead && !settings.co_signers_rate {
                return Err(invalid("rating", "cosigners_do_not_rate"));
            }
            if !by_lead && input.publish {
                return Err(invalid("publish", "lead_proposer_only"));
            }
            Command::Rate {
                rating,
                by_lead,
                already_rated: store::has_rated(tx, id, rated_round(&before), me).await?,
                class: before.class.unwrap_or(OutcomeClass::D),
            }
        }
        StepKind::FollowUp => Command::FollowUp {
            solved: input.solved,
        },
        StepKind::Extend => {
            if !kind.fits(&p) {
                return Err(invalid("step", "wrong_state"));
            }
            let mut pr = Problems::default();
            let to = parse_date(&mut pr, "deadline", &input.deadline).flatten();
            pr.finish()?;
            let to = to.ok_or_else(|| invalid("deadline", "empty"))?;
            let (Some(out), Some(current)) = (before.handed_out_on, before.reply_due_on) else {
                return Err(invalid("step", "wrong_state"));
            };
            settings
                .extension_ok(out, current, to, &note, &calendar)
                .map_err(|e| settings_error(&e))?;
            after.reply_due_on = Some(to);
            after.extension_reason = note.clone();
            data = serde_json::json!({ "from": current, "to": to });
            let event = NewEvent::new(kind.as_str(), note).with_data(data);
            store::save_step(tx, &audit, id, &before, &after, &event).await?;
            return Ok(after.state);
        }
        k => k.probe().ok_or_else(|| invalid("step", "bad_choice"))?,
    };
    after.state = lifecycle::apply(before.state, &command).map_err(|e| lifecycle_error(&e))?;

    match kind {
        StepKind::Reject => {
            let reason = RejectReason::parse(input.reason.trim())
                .filter(|r| p.intake.kind.may_reject_for(*r))
                .ok_or_else(|| invalid("reason", "bad_choice"))?;
            after.reject_reason = Some(reason);
            after.reject_note = note.clone();
        }
        StepKind::Merge => {
            let into = ProposalId(input.into_id.ok_or_else(|| invalid("into_id", "empty"))?);
            let target = store::get(tx, into).await?;
            let fits = target.as_ref().is_some_and(|t| {
                t.id != p.id
                    && t.intake.kind == p.intake.kind
                    && t.intake.year == p.intake.year
                    && !matches!(
                        t.handling.state,
                        State::Rejected | State::Merged | State::Withdrawn
                    )
            });
            if !fits {
                return Err(invalid("into_id", "not_found"));
            }
            // Every proposer still gets a reply: they join the item as co-signers.
            let people: Vec<PersonId> = std::iter::once(p.intake.proposer_id)
                .chain(p.intake.cosigner_ids.iter().copied())
                .collect();
            store::add_cosigners(tx, into, &people).await?;
            after.merged_into = Some(into);
            data = serde_json::json!({ "into": into.0 });
        }
        StepKind::HandOut | StepKind::ApproveAdjustment => {
            let (lead, co, split) = read_units(tx, input).await?;
            if kind == StepKind::ApproveAdjustment && Some(lead) == before.lead_unit_id {
                return Err(invalid("lead_unit_id", "same_lead_unit"));
            }
            let rule = match input.deadline.trim() {
                "" => None,
                t => Some(DeadlineRule::parse(t).map_err(|_| invalid("deadline", "bad_deadline"))?),
            };
            let on = match input.handed_out_on {
                Some(d) if kind == StepKind::HandOut && d <= today => d,
                Some(_) => return Err(invalid("handed_out_on", "after_today")),
                None => today,
            };
            let w = settings
                .windows(on, rule, &calendar)
                .map_err(|_| invalid("deadline", "bad_deadline"))?;
            after.lead_unit_id = Some(lead);
            after.co_unit_ids = co;
            after.split_unit_ids = split;
            after.handed_out_on = Some(on);
            after.reply_rule = Some(rule.unwrap_or(settings.reply).to_string());
            after.original_due_on = Some(w.reply_due);
            after.reply_due_on = Some(w.reply_due);
            after.adjustment_ends_on = Some(w.adjustment_ends);
            after.co_opinion_due_on = Some(w.co_opinion_due);
            after.adjustment_reason.clear();
            data = serde_json::json!({ "from": before.lead_unit_id, "to": lead.0 });
        }
        StepKind::RequestAdjustment => after.adjustment_reason = note.clone(),
        StepKind::Contact => {
            let mut pr = Problems::default();
            let stage = ["report", "site", "revisit"]
                .into_iter()
                .find(|s| *s == input.stage.trim());
            if stage.is_none() {
                pr.add("stage", "bad_choice");
            }
            let way = ["face_to_face", "site_visit", "phone"]
                .into_iter()
                .find(|s| *s == input.way.trim());
            if way.is_none() {
                pr.add("way", "bad_choice");
            }
            let held = parse_date(&mut pr, "held_on", &input.held_on).flatten();
            match held {
                None => pr.add("held_on", "empty"),
                Some(d) if d > today => pr.add("held_on", "after_today"),
                Some(_) => {}
            }
            if input.participants.trim().is_empty() {
                pr.add("participants", "empty");
            }
            pr.finish()?;
            let unit = acting_unit(
                actor,
                before
                    .lead_unit_id
                    .into_iter()
                    .chain(before.split_unit_ids.iter().copied()),
            )?;
            let (Some(stage), Some(way), Some(held_on)) = (stage, way, held) else {
                return Err(invalid("stage", "bad_choice"));
            };
            let contact = NewContact {
                unit_id: unit,
                stage,
                held_on,
                way,
                participants: input.participants.trim().to_string(),
                head_took_part: input.head_took_part,
                note: note.clone(),
            };
            store::insert_contact(tx, &audit, id, &contact).await?;
            data = serde_json::to_value(&contact).unwrap_or_default();
        }
        StepKind::Opinion => {
            if note.is_empty() {
                return Err(invalid("note", "empty"));
            }
            let unit = acting_unit(actor, before.co_unit_ids.iter().copied())?;
            store::set_opinion(tx, &audit, id, unit, &note).await?;
            data = serde_json::json!({ "unit": unit.0 });
        }
        StepKind::DraftReply => {
            let class = class_input.ok_or_else(|| invalid("class", "class_required"))?;
            settings
                .check_class(class)
                .map_err(|e| settings_error(&e))?;
            if note.is_empty() {
                return Err(invalid("note", "empty"));
            }
            let unit = before
                .lead_unit_id
                .ok_or_else(|| invalid("step", "wrong_state"))?;
            store::save_draft(tx, &audit, id, before.round, unit, class, &note).await?;
            data = serde_json::json!({ "class": class.as_str() });
        }
        StepKind::Countersign => {
            let unit = acting_unit(actor, before.co_unit_ids.iter().copied())?;
            let reply = current_reply.ok_or_else(|| invalid("step", "wrong_state"))?;
            if store::countersigned_by(tx, reply.id).await?.contains(&unit) {
                return Err(invalid("step", "already_countersigned"));
            }
            store::countersign(tx, &audit, reply.id, unit, &note).await?;
            data = serde_json::json!({ "unit": unit.0 });
        }
        StepKind::Review => {
            let reply = current_reply.ok_or_else(|| invalid("step", "wrong_state"))?;
            let class = match class_input {
                Some(c) => {
                    settings.check_class(c).map_err(|e| settings_error(&e))?;
                    c
                }
                None => reply
                    .class()
                    .ok_or_else(|| invalid("class", "class_required"))?,
            };
            store::review_reply(tx, &audit, reply.id, class, &note).await?;
            data = serde_json::json!({ "drafted": reply.class, "reviewed": class.as_str() });
        }
        StepKind::Sign => {
            let reply = current_reply.ok_or_else(|| invalid("step", "wrong_state"))?;
            store::sign_reply(tx, &audit, reply.id, today).await?;
            after.first_replied_on = before.first_replied_on.or(Some(today));
            after.class = reply
                .reviewed_class
                .as_deref()
                .and_then(OutcomeClass::parse);
            after.rating_pending = true;
            after.evaluation_due_on = Some(
                settings
                    .evaluation_due(p.intake.kind, today, &calendar)
                    .map_err(|_| invalid("deadline", "bad_deadline"))?,
            );
            after.rehandling_due_on = None;
        }
        StepKind::Rate => {
            let rating = Rating::parse(input.rating.trim()).unwrap_or(Rating::Satisfied);
            let me = actor.person.unwrap_or(PersonId(0));
            let publish = input.publish && me == p.intake.proposer_id;
            let new = store::NewRating {
                round: rated_round(&before),
                person: me,
                rating,
                comment: note.clone(),
                publish,
            };
            store::insert_rating(tx, &audit, id, &new).await?;
            if me == p.intake.proposer_id {
                after.rating = Some(rating);
                if before.round == 1 {
                    after.first_rating = Some(rating);
                }
                after.rating_pending = false;
                after.evaluation_due_on = None;
                match after.state {
                    State::ReHandling => {
                        after.round = before.round + 1;
                        after.rehandling_due_on = Some(
                            settings
                                .rehandling
                                .due(today, &calendar)
                                .map_err(|_| invalid("deadline", "bad_deadline"))?,
                        );
                    }
                    State::FollowUpOwed => {
                        after.follow_up_due_on = settings.follow_up.due(today, &calendar).ok();
                    }
                    _ => {}
                }
            }
            data = serde_json::json!({
                "rating": rating.as_str(),
                "lead": me == p.intake.proposer_id,
                "publish": publish,
            });
        }
        StepKind::FollowUp => {
            if note.is_empty() {
                return Err(invalid("note", "empty"));
            }
            store::insert_follow_up(tx, &audit, id, today, &note, input.solved).await?;
            after.follow_ups = before.follow_ups + 1;
            if input.solved {
                after.solved = true;
                after.follow_up_due_on = None;
            } else {
                after.follow_up_due_on = settings.follow_up.due(today, &calendar).ok();
            }
        }
        _ => {}
    }
    let event = NewEvent::new(kind.as_str(), note).with_data(data);
    store::save_step(tx, &audit, id, &before, &after, &event).await?;
    Ok(after.state)
}

/// The round whose reply a rating is about: while re-handling, the reply that was rated
/// 不满意 (the round before).
/// The reply round a rating now answers (the first reply's while it is re-handled).
pub(crate) fn rated_round(h: &store::Handling) -> u32 {
    if h.state == State::ReHandling {
        h.round.saturating_sub(1).max(1)
    } else {
        h.round
    }
}
