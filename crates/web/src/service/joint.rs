//! Whistle and report (吹哨报到) and rating each other (块评条、条评块) on the closed loop: a
//! town raises a joint matter — a case led by the town with the departments it names as
//! co-units, marked 联办 — and each department reports in (报到, naming its handler) within
//! the year's window in working hours, gives its feedback as co-units do (its opinion), and
//! after the town verifies and closes, each side rates the other once. A report-in not made
//! in time is flagged by a job and goes up the ladder (an `urge` rung on the case, the
//! department's desk, the town and the office told). Tallies per year feed the dashboards.

use crate::error::{AppError, FieldError};
use crate::service::{Problems, audit};
use crate::state::AppState;
use duban_core::calendar::hours::{WorkingDay, WorkingHours};
use duban_core::cases::CaseId;
use duban_core::cases::facts::{CaseKind, Source, Urgency};
use duban_core::cases::ladder::Step;
use duban_core::cases::state::CaseState;
use duban_core::joint::{self, JointError, Tally};
use duban_core::lists::names::{Resolved, split_names};
use duban_core::org::{PersonId, UnitId, UnitKind};
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::role::Role;
use duban_store::cases::{self as cases_store, CaseFacts, Handling, NewEvent};
use duban_store::joint::{self as store, JointRow, JointUnitRow, NewJoint};
use duban_store::notifications::{Message, notify};
use duban_store::{Audit, Tx, jobs};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub mod settings;

/// The job that checks one department's report-in when its window ends.
pub const REPORT_IN_JOB: &str = "joint_report_in";

/// The category a joint matter's case carries (联办).
pub const CATEGORY: &str = "联办";

fn invalid(field: &'static str, code: &'static str) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, code)])
}

fn refused(e: JointError) -> AppError {
    invalid("step", e.code())
}

/// 吹哨: what a town raises.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RaiseInput {
    /// The town raising it; default the caller's own unit.
    #[serde(default)]
    pub town_id: Option<i64>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub content: String,
    /// The departments called in, by name (`住建局、综合执法局`).
    #[serde(default)]
    pub departments: String,
}

/// The year's working hours as configured (the default day for years not set).
pub async fn working_hours(tx: &mut Tx) -> Result<WorkingHours, AppError> {
    let mut hours = WorkingHours::default();
    for (year, day) in store::working_days(tx).await? {
        if let (Ok(day), Ok(year)) = (WorkingDay::parse(&day), i16::try_from(year)) {
            hours = hours.with_year(year, day);
        }
    }
    Ok(hours)
}

fn local(state: &AppState, t: Timestamp) -> jiff::civil::DateTime {
    t.to_zoned(state.config.timezone.clone()).datetime()
}

fn instant(state: &AppState, t: jiff::civil::DateTime) -> Result<Timestamp, AppError> {
    t.to_zoned(state.config.timezone.clone())
        .map(|z| z.timestamp())
        .map_err(|e| AppError::Internal(format!("local time: {e}")))
}

/// Raises a joint matter; returns its case.
pub async fn raise(
    state: &AppState,
    actor: &Actor,
    input: &RaiseInput,
) -> Result<CaseId, AppError> {
    let town = input
        .town_id
        .map(UnitId)
        .or(actor.scope.home_unit)
        .ok_or(duban_core::policy::Denied::Role)?;
    let mut tx = state.store.begin_write().await?;
    let town_row = match duban_store::org::get_unit(&mut tx, town).await {
        Ok(u) => u,
        Err(duban_store::StoreError::NotFound) => return Err(invalid("town_id", "not_found_ref")),
        Err(e) => return Err(e.into()),
    };
    decide(
        actor,
        Action::RaiseJoint,
        Object::Unit {
            id: town,
            active: town_row.active,
        },
    )?;
    let mut p = Problems::default();
    if town_row.kind != UnitKind::Town.as_str() {
        p.add("town_id", "not_a_town");
    }
    let title = p.take("title", duban_core::org::parse_text(&input.title, 200));
    let content = input.content.trim().to_string();
    if content.chars().count() > 4000 {
        p.add("content", "too_long");
    }
    let names = crate::service::names::NameIndexes::load(&mut tx).await?;
    let mut departments: Vec<UnitId> = Vec::new();
    let written = split_names(&input.departments);
    if written.is_empty() {
        p.add("departments", "empty");
    }
    for name in &written {
        match names.unit(name) {
            Resolved::One(u) => {
                let unit = duban_store::org::get_unit(&mut tx, UnitId(u)).await?;
                if unit.kind != UnitKind::Department.as_str() || !unit.active {
                    p.add("departments", "not_a_department");
                } else if !departments.contains(&UnitId(u)) {
                    departments.push(UnitId(u));
                }
            }
            Resolved::NotFound => p.add("departments", "unknown_unit"),
            Resolved::Ambiguous(_) => p.add("departments", "ambiguous_unit"),
        }
    }
    p.finish()?;
    let now = state.now();
    let today = state.today();
    let audit = audit(state, actor);
    let calendar = duban_store::calendar::load_calendar(&mut tx).await?;
    let hours = working_hours(&mut tx).await?;
    let settings = store::get_settings(&mut tx, today.year()).await?;
    let due_local = joint::report_in_due(
        &hours,
        &calendar,
        local(state, now),
        settings.report_in_hours,
    )
    .map_err(|e| AppError::Internal(format!("report-in window: {e}")))?;
    let due = instant(state, due_local)?;
    let facts = CaseFacts {
        year: today.year(),
        kind: CaseKind::Problem,
        source: Source::Inspection,
        title: title.expect("checked"),
        content,
        category: CATEGORY.to_string(),
        urgency: Urgency::Normal,
        found_on: today,
        raised_by: None,
        reopened_from: None,
        meeting_id: None,
        task_ids: Vec::new(),
    };
    let handling = Handling {
        state: CaseState::Handling,
        lead_unit_id: Some(town),
        co_unit_ids: departments.clone(),
        ..Handling::registered()
    };
    let id = cases_store::insert_case(&mut tx, &audit, &facts, &handling).await?;
    store::insert_joint(
        &mut tx,
        &audit,
        &NewJoint {
            case_id: id,
            town_id: town,
            year: today.year(),
            raised_at: audit.at,
            report_in_hours: settings.report_in_hours,
            departments: departments.iter().map(|d| (*d, due)).collect(),
        },
    )
    .await?;
    for d in &departments {
        let payload = serde_json::json!({ "case": id.0, "unit": d.0 });
        let key = format!("joint:{}:{}", id.0, d.0);
        jobs::enqueue(&mut tx, REPORT_IN_JOB, &key, due, &payload).await?;
        let to = desk(&mut tx, *d).await?;
        let subject = format!(
            "【吹哨报到】{}：请于{}前报到",
            facts.title,
            due_local.strftime("%m月%d日 %H:%M")
        );
        tell(
            state,
            &mut tx,
            &audit,
            id,
            &facts.title,
            to,
            "joint.called",
            subject,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

async fn desk(tx: &mut Tx, unit: UnitId) -> Result<Vec<PersonId>, AppError> {
    use duban_store::cases::steps::people_of_unit_with_role;
    let mut out = people_of_unit_with_role(tx, unit, Role::UnitHead).await?;
    out.extend(people_of_unit_with_role(tx, unit, Role::UnitLiaison).await?);
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
async fn tell(
    state: &AppState,
    tx: &mut Tx,
    audit: &Audit,
    id: CaseId,
    title: &str,
    to: Vec<PersonId>,
    kind: &str,
    subject: String,
) -> Result<(), AppError> {
    if to.is_empty() {
        return Ok(());
    }
    let message = Message {
        kind: kind.to_string(),
        subject,
        body: format!("{title}（{}）", cases_store::code(state.today().year(), id)),
        link: format!("/joint/{}", id.0),
        case_id: Some(id.0),
    };
    notify(tx, audit, &state.channels(), &to, &message).await?;
    Ok(())
}

/// A joint matter loaded for a step: the matter, its departments, and the policy object.
struct Loaded {
    joint: JointRow,
    units: Vec<JointUnitRow>,
    departments: Vec<UnitId>,
}

impl Loaded {
    fn object(&self) -> Object<'_> {
        Object::Joint {
            town: UnitId(self.joint.town_id),
            departments: &self.departments,
        }
    }
    fn closed(&self) -> bool {
        self.joint.closed_at.is_some()
    }
    /// The named department the actor acts for: their home unit when named, else the first
    /// named unit in their scope.
    fn acting_for(&self, actor: &Actor) -> Option<&JointUnitRow> {
        let home = actor.scope.home_unit;
        self.units
            .iter()
            .find(|u| home == Some(UnitId(u.unit_id)))
            .or_else(|| {
                self.units
                    .iter()
                    .find(|u| actor.scope.units.contains(&UnitId(u.unit_id)))
            })
    }
}

async fn load(tx: &mut Tx, actor: &Actor, id: CaseId) -> Result<Loaded, AppError> {
    decide(actor, Action::ViewJoint, Object::City)?;
    let joint = store::get_joint(tx, id).await?.ok_or(AppError::NotFound)?;
    let units = store::units_of(tx, id).await?;
    let departments = units.iter().map(|u| UnitId(u.unit_id)).collect();
    let l = Loaded {
        joint,
        units,
        departments,
    };
    decide(actor, Action::ViewJoint, l.object())?;
    Ok(l)
}

/// 报到: the department names its handler.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ReportInInput {
    /// A person of the department who handles the matter.
    #[serde(default)]
    pub handler_id: Option<i64>,
}

pub async fn report_in(
    state: &AppState,
    actor: &Actor,
    id: CaseId,
    input: &ReportInInput,
) -> Result<bool, AppError> {
    let mut tx = state.store.begin_write().await?;
    let l = load(&mut tx, actor, id).await?;
    decide(actor, Action::ActAsNamedDepartment, l.object())?;
    let unit = l
        .acting_for(actor)
        .ok_or(duban_core::policy::Denied::NotNamed)?;
    joint::may_report_in(l.closed(), &unit.named()).map_err(refused)?;
    let Some(handler) = input.handler_id else {
        return Err(invalid("handler_id", "empty"));
    };
    let members = duban_store::people::unit_people(&mut tx, UnitId(unit.unit_id)).await?;
    if !members.iter().any(|(p, _)| *p == handler) {
        return Err(invalid("handler_id", "not_in_unit"));
    }
    let now = state.now();
    let late = now > unit.due();
    let audit = audit(state, actor);
    if !store::report_in(
        &mut tx,
        &audit,
        id,
        UnitId(unit.unit_id),
        PersonId(handler),
        late,
    )
    .await?
    {
        return Err(refused(JointError::AlreadyReportedIn));
    }
    let handler_name = members
        .iter()
        .find(|(p, _)| *p == handler)
        .map(|(_, n)| n.clone())
        .unwrap_or_default();
    cases_store::add_note(
        &mut tx,
        &audit,
        id,
        &NewEvent::new("report_in", format!("{}：{handler_name}", unit.unit_name)).with_data(
            serde_json::json!({ "unit": unit.unit_id, "handler": handler, "late": late }),
        ),
    )
    .await?;
    let to = desk(&mut tx, UnitId(l.joint.town_id)).await?;
    let subject = format!("【报到】{}：{}已报到", l.joint.title, unit.unit_name);
    tell(
        state,
        &mut tx,
        &audit,
        id,
        &l.joint.title,
        to,
        "joint.report_in",
        subject,
    )
    .await?;
    tx.commit().await?;
    Ok(late)
}

/// A department's feedback (its co-unit opinion), or the town's closing note.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NoteInput {
    #[serde(default)]
    pub note: String,
}

pub async fn feed_back(
    state: &AppState,
    actor: &Actor,
    id: CaseId,
    input: &NoteInput,
) -> Result<(), AppError> {
    let mut tx = state.store.begin_write().await?;
    let l = load(&mut tx, actor, id).await?;
    decide(actor, Action::ActAsNamedDepartment, l.object())?;
    let unit = l
        .acting_for(actor)
        .ok_or(duban_core::policy::Denied::NotNamed)?;
    joint::may_feed_back(l.closed(), &unit.named()).map_err(refused)?;
    let note = input.note.trim();
    if note.is_empty() {
        return Err(invalid("note", "empty"));
    }
    if note.chars().count() > 4000 {
        return Err(invalid("note", "too_long"));
    }
    let audit = audit(state, actor);
    store::set_feedback(&mut tx, &audit, id, UnitId(unit.unit_id), note).await?;
    cases_store::set_opinion(&mut tx, &audit, id, UnitId(unit.unit_id), note).await?;
    let to = desk(&mut tx, UnitId(l.joint.town_id)).await?;
    let subject = format!("【联办反馈】{}：{}", l.joint.title, unit.unit_name);
    tell(
        state,
        &mut tx,
        &audit,
        id,
        &l.joint.title,
        to,
        "joint.feedback",
        subject,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The town verifies and closes: every department has reported in and fed back.
pub async fn close(
    state: &AppState,
    actor: &Actor,
    id: CaseId,
    input: &NoteInput,
) -> Result<(), AppError> {
    let mut tx = state.store.begin_write().await?;
    let l = load(&mut tx, actor, id).await?;
    decide(actor, Action::CoordinateJoint, l.object())?;
    let named: Vec<_> = l.units.iter().map(JointUnitRow::named).collect();
    joint::may_close(l.closed(), &named).map_err(refused)?;
    let case = cases_store::get_case(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if case.handling.state == CaseState::Suspended {
        return Err(invalid("step", "wrong_state"));
    }
    let before = case.handling.clone();
    let after = Handling {
        state: CaseState::ClosedOut,
        closed_on: Some(state.today()),
        ..before.clone()
    };
    let audit = audit(state, actor);
    cases_store::save_step(
        &mut tx,
        &audit,
        id,
        &before,
        &after,
        &NewEvent::new("joint_close", input.note.trim()),
    )
    .await?;
    store::close_joint(&mut tx, &audit, id).await?;
    let mut to = Vec::new();
    for u in &l.departments {
        to.extend(desk(&mut tx, *u).await?);
    }
    let subject = format!("【联办办结】{}：请评价镇街协调", l.joint.title);
    tell(
        state,
        &mut tx,
        &audit,
        id,
        &l.joint.title,
        to,
        "joint.closed",
        subject,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// 块评条 or 条评块: scores 1–5 and a comment. The town gives speed, effect and attitude for
/// one department (`unit_id`); a department gives coordination for the town.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RateInput {
    /// The department rated (the town's rating only).
    #[serde(default)]
    pub unit_id: Option<i64>,
    #[serde(default)]
    pub speed: Option<i64>,
    #[serde(default)]
    pub effect: Option<i64>,
    #[serde(default)]
    pub attitude: Option<i64>,
    /// The department's rating of the town's coordination.
    #[serde(default)]
    pub coordination: Option<i64>,
    #[serde(default)]
    pub comment: String,
}

fn score(p: &mut Problems, field: &'static str, v: Option<i64>) -> i64 {
    match v.map(joint::score) {
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            p.add(field, "bad_score");
            0
        }
        None => {
            p.add(field, "required");
            0
        }
    }
}

pub async fn rate_department(
    state: &AppState,
    actor: &Actor,
    id: CaseId,
    input: &RateInput,
) -> Result<(), AppError> {
    let mut tx = state.store.begin_write().await?;
    let l = load(&mut tx, actor, id).await?;
    decide(actor, Action::CoordinateJoint, l.object())?;
    let mut p = Problems::default();
    let unit = match input.unit_id {
        None => {
            p.add("unit_id", "required");
            None
        }
        Some(u) => {
            let found = l.units.iter().find(|x| x.unit_id == u);
            if found.is_none() {
                p.add("unit_id", "not_named");
            }
            found
        }
    };
    let scores = [
        score(&mut p, "speed", input.speed),
        score(&mut p, "effect", input.effect),
        score(&mut p, "attitude", input.attitude),
    ];
    let comment = input.comment.trim();
    if comment.chars().count() > 1000 {
        p.add("comment", "too_long");
    }
    p.finish()?;
    let unit = unit.expect("checked");
    joint::may_rate_department(l.closed(), &unit.named()).map_err(refused)?;
    let audit = audit(state, actor);
    if !store::rate_department(&mut tx, &audit, id, UnitId(unit.unit_id), scores, comment).await? {
        return Err(refused(JointError::AlreadyRated));
    }
    tx.commit().await?;
    Ok(())
}

pub async fn rate_town(
    state: &AppState,
    actor: &Actor,
    id: CaseId,
    input: &RateInput,
) -> Result<(), AppError> {
    let mut tx = state.store.begin_write().await?;
    let l = load(&mut tx, actor, id).await?;
    decide(actor, Action::ActAsNamedDepartment, l.object())?;
    let unit = l
        .acting_for(actor)
        .ok_or(duban_core::policy::Denied::NotNamed)?;
    let mut p = Problems::default();
    let coordination = score(&mut p, "coordination", input.coordination);
    let comment = input.comment.trim();
    if comment.chars().count() > 1000 {
        p.add("comment", "too_long");
    }
    p.finish()?;
    joint::may_rate_town(l.closed(), &unit.named()).map_err(refused)?;
    let audit = audit(state, actor);
    if !store::rate_town(
        &mut tx,
        &audit,
        id,
        UnitId(unit.unit_id),
        coordination,
        comment,
    )
    .await?
    {
        return Err(refused(JointError::AlreadyRated));
    }
    tx.commit().await?;
    Ok(())
}

/// One named department as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JointUnitView {
    pub unit_id: i64,
    pub unit_name: String,
    /// Local time, `2026-10-10 11:00`.
    pub report_due: String,
    pub reported_at: Option<String>,
    pub handler_name: Option<String>,
    /// Reported in after the window, or the window passed without a report-in.
    pub late: bool,
    pub feedback: String,
    pub speed: Option<i64>,
    pub effect: Option<i64>,
    pub attitude: Option<i64>,
    pub rating_comment: String,
    pub coordination: Option<i64>,
    pub coordination_comment: String,
}

/// A joint matter with its departments and what the caller may do now.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JointDetail {
    pub case_id: i64,
    pub code: String,
    pub title: String,
    pub town_id: i64,
    pub town_name: String,
    pub state: String,
    pub raised_at: String,
    pub report_in_hours: i64,
    pub closed: bool,
    pub units: Vec<JointUnitView>,
    /// The named department the caller acts for, if any.
    pub my_unit: Option<i64>,
    pub may_report_in: bool,
    pub may_feed_back: bool,
    pub may_close: bool,
    /// Departments the caller (the town) may rate now.
    pub may_rate: Vec<i64>,
    pub may_rate_town: bool,
    /// People of the caller's department, to name as handler.
    #[schema(value_type = Vec<Object>)]
    pub handlers: Vec<(i64, String)>,
}

fn show(state: &AppState, t: Timestamp) -> String {
    local(state, t).strftime("%Y-%m-%d %H:%M").to_string()
}

fn unit_view(state: &AppState, u: &JointUnitRow, now: Timestamp) -> JointUnitView {
    JointUnitView {
        unit_id: u.unit_id,
        unit_name: u.unit_name.clone(),
        report_due: show(state, u.due()),
        reported_at: u.reported().map(|t| show(state, t)),
        handler_name: u.handler_name.clone(),
        late: u.late || (u.reported_at.is_none() && now > u.due()),
        feedback: u.feedback.clone(),
        speed: u.speed,
        effect: u.effect,
        attitude: u.attitude,
        rating_comment: u.rating_comment.clone(),
        coordination: u.coordination,
        coordination_comment: u.coordination_comment.clone(),
    }
}

pub async fn detail(state: &AppState, actor: &Actor, id: CaseId) -> Result<JointDetail, AppError> {
    let mut tx = state.store.begin_read().await?;
    let l = load(&mut tx, actor, id).await?;
    let now = state.now();
    let closed = l.closed();
    let as_dept = decide(actor, Action::ActAsNamedDepartment, l.object()).is_ok();
    let as_town = decide(actor, Action::CoordinateJoint, l.object()).is_ok();
    let mine = as_dept.then(|| l.acting_for(actor)).flatten();
    let named: Vec<_> = l.units.iter().map(JointUnitRow::named).collect();
    let handlers = match mine {
        Some(u) if u.reported_at.is_none() => {
            duban_store::people::unit_people(&mut tx, UnitId(u.unit_id)).await?
        }
        _ => Vec::new(),
    };
    Ok(JointDetail {
        case_id: l.joint.case_id,
        code: cases_store::code(l.joint.year as i16, CaseId(l.joint.case_id)),
        title: l.joint.title.clone(),
        town_id: l.joint.town_id,
        town_name: l.joint.town_name.clone(),
        state: l.joint.state.clone(),
        raised_at: show(state, l.joint.raised()),
        report_in_hours: l.joint.report_in_hours,
        closed,
        units: l.units.iter().map(|u| unit_view(state, u, now)).collect(),
        my_unit: mine.map(|u| u.unit_id),
        may_report_in: mine.is_some_and(|u| joint::may_report_in(closed, &u.named()).is_ok()),
        may_feed_back: mine.is_some_and(|u| joint::may_feed_back(closed, &u.named()).is_ok()),
        may_close: as_town && joint::may_close(closed, &named).is_ok(),
        may_rate: if as_town {
            l.units
                .iter()
                .filter(|u| joint::may_rate_department(closed, &u.named()).is_ok())
                .map(|u| u.unit_id)
                .collect()
        } else {
            Vec::new()
        },
        may_rate_town: mine.is_some_and(|u| joint::may_rate_town(closed, &u.named()).is_ok()),
        handlers,
    })
}

/// A joint matter in a list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JointListed {
    pub case_id: i64,
    pub code: String,
    pub title: String,
    pub town_id: i64,
    pub town_name: String,
    pub state: String,
    pub raised_at: String,
    pub closed: bool,
    pub units: Vec<JointUnitView>,
}

/// Filters of the list (a drill-down from the matrix).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JointQuery {
    /// Default: this year.
    pub year: Option<i16>,
    /// Only matters raised by this town.
    pub town_id: Option<i64>,
    /// Only matters naming this department.
    pub unit_id: Option<i64>,
    /// Only matters with a late report-in.
    pub late: Option<bool>,
}

/// The joint matters of a year the caller may see, newest first.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    q: &JointQuery,
) -> Result<Vec<JointListed>, AppError> {
    decide(actor, Action::ViewJoint, Object::City)?;
    let year = q.year.unwrap_or(state.today().year());
    let mut tx = state.store.begin_read().await?;
    let joints = store::list_joints(&mut tx, year, None).await?;
    let mut units: BTreeMap<i64, Vec<JointUnitRow>> = BTreeMap::new();
    for u in store::units_of_year(&mut tx, year).await? {
        units.entry(u.case_id).or_default().push(u);
    }
    let now = state.now();
    Ok(joints
        .into_iter()
        .filter_map(|j| {
            let us = units.remove(&j.case_id).unwrap_or_default();
            let departments: Vec<UnitId> = us.iter().map(|u| UnitId(u.unit_id)).collect();
            let object = Object::Joint {
                town: UnitId(j.town_id),
                departments: &departments,
            };
            decide(actor, Action::ViewJoint, object).ok()?;
            if q.town_id.is_some_and(|t| t != j.town_id)
                || q.unit_id
                    .is_some_and(|u| !us.iter().any(|x| x.unit_id == u))
            {
                return None;
            }
            let views: Vec<JointUnitView> = us.iter().map(|u| unit_view(state, u, now)).collect();
            if q.late == Some(true)
                && !views
                    .iter()
                    .any(|v| v.late && q.unit_id.is_none_or(|u| u == v.unit_id))
            {
                return None;
            }
            Some(JointListed {
                case_id: j.case_id,
                code: cases_store::code(j.year as i16, CaseId(j.case_id)),
                title: j.title.clone(),
                town_id: j.town_id,
                town_name: j.town_name.clone(),
                state: j.state.clone(),
                raised_at: show(state, j.raised()),
                closed: j.closed_at.is_some(),
                units: views,
            })
        })
        .collect())
}

/// One unit's (or one cell's) figures as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TallyView {
    pub unit_id: i64,
    pub unit_name: String,
    pub matters: i64,
    pub closed: i64,
    pub named: i64,
    pub reported_in: i64,
    pub late: i64,
    /// 0–1; none when nothing was due.
    pub on_time_rate: Option<f64>,
    pub speed: Option<f64>,
    pub effect: Option<f64>,
    pub attitude: Option<f64>,
    /// Mean of the three scores the town gave.
    pub rating: Option<f64>,
    pub coordination: Option<f64>,
    pub returns_refused: i64,
}

fn tally_view(unit: UnitId, name: &str, t: &Tally) -> TallyView {
    TallyView {
        unit_id: unit.0,
        unit_name: name.to_string(),
        matters: t.matters,
        closed: t.closed,
        named: t.named,
        reported_in: t.reported_in,
        late: t.late,
        on_time_rate: t.on_time_rate(),
        speed: t.speed.value(),
        effect: t.effect.value(),
        attitude: t.attitude.value(),
        rating: t.rating(),
        coordination: t.coordination.value(),
        returns_refused: t.returns_refused,
    }
}

/// One cell of the towns × departments matrix.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MatrixCell {
    pub town_id: i64,
    pub unit_id: i64,
    pub matters: i64,
    pub late: i64,
    pub rating: Option<f64>,
}

/// A year's figures: per department, per town, and the matrix.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Figures {
    pub year: i16,
    pub departments: Vec<TallyView>,
    pub towns: Vec<TallyView>,
    pub cells: Vec<MatrixCell>,
}

/// One cell as the database added it up, as a [`Tally`] (the matrix entry of
/// [`joint::tally`]).
fn cell_tally(c: &store::JointCellRow) -> ((UnitId, UnitId), Tally) {
    let mean = |sum, n| joint::Mean { sum, n };
    let tally = Tally {
        named: c.named,
        matters: c.named,
        closed: c.closed,
        reported_in: c.reported_in,
        late: c.late,
        speed: mean(c.speed, c.rated),
        effect: mean(c.effect, c.rated),
        attitude: mean(c.attitude, c.rated),
        coordination: mean(c.coordination, c.coordinated),
        returns_refused: 0,
    };
    ((UnitId(c.town_id), UnitId(c.unit_id)), tally)
}

/// The year's figures over the joint matters the caller may see (a town: its own; a
/// department: those naming it; whole-city roles: all).
pub async fn figures(state: &AppState, actor: &Actor, year: i16) -> Result<Figures, AppError> {
    decide(actor, Action::ViewJoint, Object::City)?;
    let whole = actor.role.is_some_and(Role::sees_whole_city);
    let scope: Vec<UnitId> = actor.scope.units.iter().copied().collect();
    let mut tx = state.store.begin_read().await?;
    let (cells, towns) =
        store::cells_of_year(&mut tx, year, (!whole).then_some(scope.as_slice())).await?;
    let refused = store::refused_returns(&mut tx, year).await?;
    let names: BTreeMap<i64, String> = duban_store::aliases::list_unit_names(&mut tx)
        .await?
        .into_iter()
        .map(|(id, _, short)| (id, short))
        .collect();
    let towns: Vec<joint::TownMatters> = towns
        .iter()
        .map(|t| joint::TownMatters {
            town: UnitId(t.town_id),
            matters: t.matters,
            closed: t.closed,
        })
        .collect();
    let mut t = joint::tally_cells(cells.iter().map(cell_tally), &towns);
    let sees = |u: i64| whole || actor.scope.units.contains(&UnitId(u));
    for (unit, n) in refused {
        if sees(unit) {
            t.departments
                .entry(UnitId(unit))
                .or_default()
                .returns_refused = n;
        }
    }
    let name = |u: UnitId| names.get(&u.0).cloned().unwrap_or_default();
    Ok(Figures {
        year,
        departments: t
            .departments
            .iter()
            .map(|(u, x)| tally_view(*u, &name(*u), x))
            .collect(),
        towns: t
            .towns
            .iter()
            .map(|(u, x)| tally_view(*u, &name(*u), x))
            .collect(),
        cells: t
            .matrix
            .iter()
            .map(|((town, dept), x)| MatrixCell {
                town_id: town.0,
                unit_id: dept.0,
                matters: x.matters,
                late: x.late,
                rating: x.rating(),
            })
            .collect(),
    })
}

/// The figures as .xlsx: one sheet per department, one per town.
pub async fn export(state: &AppState, actor: &Actor, year: i16) -> Result<Vec<u8>, AppError> {
    let f = figures(state, actor, year).await?;
    let rows = |v: &[TallyView]| -> Vec<Vec<String>> {
        v.iter()
            .map(|t| {
                let n = |x: Option<f64>| x.map(|v| format!("{v:.2}")).unwrap_or_default();
                vec![
                    t.unit_name.clone(),
                    t.matters.to_string(),
                    t.closed.to_string(),
                    t.reported_in.to_string(),
                    t.late.to_string(),
                    t.on_time_rate
                        .map(|r| format!("{:.1}%", r * 100.0))
                        .unwrap_or_default(),
                    n(t.speed),
                    n(t.effect),
                    n(t.attitude),
                    n(t.coordination),
                    t.returns_refused.to_string(),
                ]
            })
            .collect()
    };
    duban_docs::duties::write_figures_xlsx(year, &rows(&f.departments), &rows(&f.towns))
        .map_err(|e| AppError::Internal(format!("figures export: {e}")))
}

/// The job run when a department's report-in window ends: when it has not reported in, the
/// report-in is flagged late, an `urge` rung is recorded on the case (the ladder's record,
/// once per department), and the department's desk, the town and the office are told.
pub async fn check_report_in(
    state: &AppState,
    tx: &mut Tx,
    payload: &serde_json::Value,
    now: Timestamp,
) -> Result<bool, AppError> {
    let (Some(case), Some(unit)) = (
        payload.get("case").and_then(serde_json::Value::as_i64),
        payload.get("unit").and_then(serde_json::Value::as_i64),
    ) else {
        return Err(AppError::BadRequest("joint_report_in payload".into()));
    };
    let id = CaseId(case);
    let audit = Audit::system(now);
    let Some(j) = store::get_joint(tx, id).await? else {
        return Ok(false);
    };
    let units = store::units_of(tx, id).await?;
    let Some(u) = units.iter().find(|u| u.unit_id == unit) else {
        return Ok(false);
    };
    if u.reported_at.is_some() || j.closed_at.is_some() || now < u.due() {
        return Ok(false);
    }
    if !store::flag_late(tx, &audit, id, UnitId(unit)).await? {
        return Ok(false);
    }
    let today = now.to_zoned(state.config.timezone.clone()).date();
    let due_day = local(state, u.due()).date();
    duban_store::cases::steps::record_step(tx, &audit, id, Step::Urge, due_day, today).await?;
    cases_store::add_note(
        tx,
        &audit,
        id,
        &NewEvent::new("report_in_late", u.unit_name.clone()).with_data(serde_json::json!({
            "unit": unit, "due": show(state, u.due()),
        })),
    )
    .await?;
    let mut to = desk(tx, UnitId(unit)).await?;
    to.extend(desk(tx, UnitId(j.town_id)).await?);
    to.extend(duban_store::cases::steps::people_with_role(tx, Role::SupervisionOffice).await?);
    let subject = format!("【报到超时】{}：{}未在时限内报到", j.title, u.unit_name);
    tell(state, tx, &audit, id, &j.title, to, "joint.late", subject).await?;
    Ok(true)
}
