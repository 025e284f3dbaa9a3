//! Reading cases for pages, the API and exports: the list query, each row's timeliness flags
//! and light (computed for today, never stored), the counts of the case dashboard, and the
//! Chinese labels documents print.

use super::case_scope;
use crate::error::AppError;
use crate::state::AppState;
use duban_core::calendar::Calendar;
use duban_core::cases::facts::{CaseKind, Source};
use duban_core::cases::state::CaseState;
use duban_core::cases::timeliness::{self, Clock, Flag, Light};
use duban_core::org::{PersonId, UnitId};
use duban_core::policy::{Action, Actor, Object, decide};
use duban_store::cases::browse::{self, CaseFilter, CaseRow, LightFilter};
use serde::{Deserialize, Serialize};

/// The filters of the case list, as query parameters (pages and API).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseListQuery {
    pub year: Option<i16>,
    /// A state (`handling`, `closed_out` …) or `open` for every open case.
    pub state: Option<String>,
    /// item | problem
    pub kind: Option<String>,
    /// instruction | meeting | inspection | task_force | hotline | deputy | public
    pub source: Option<String>,
    /// A unit as lead, co- or split unit.
    pub unit: Option<i64>,
    /// red | yellow | green (for today).
    pub light: Option<String>,
    /// `1`: cases dispatched to me or raised by me.
    pub mine: Option<String>,
    pub meeting: Option<i64>,
    /// Words of the title, content or category.
    pub q: Option<String>,
    /// The page (pages only: the API takes `page` and `per_page` as [`crate::api::Paging`]).
    #[param(ignore)]
    pub page: Option<i64>,
    /// Cases per page (the API's `per_page`, checked there); [`PAGE_SIZE`] when absent.
    #[serde(skip)]
    #[param(ignore)]
    pub per_page: Option<i64>,
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub const PAGE_SIZE: i64 = 50;

impl CaseListQuery {
    /// The store filter, or the first unreadable value as a 400 naming it.
    pub fn to_filter(
        &self,
        actor: &Actor,
        today: jiff::civil::Date,
        soon_until: jiff::civil::Date,
    ) -> Result<CaseFilter, AppError> {
        let bad = |name: &str, v: &str| {
            AppError::BadRequest(format!("`{name}`: `{v}` is not a valid value"))
        };
        let mut f = CaseFilter {
            year: self.year,
            unit: self.unit.map(UnitId),
            meeting: self.meeting,
            text: blank(&self.q).map(str::to_string),
            scope: case_scope(actor),
            limit: self.per_page.unwrap_or(PAGE_SIZE),
            offset: (self.page.unwrap_or(1).max(1) - 1) * self.per_page.unwrap_or(PAGE_SIZE),
            ..CaseFilter::default()
        };
        match blank(&self.state) {
            None => {}
            Some("open") => f.open = true,
            Some(s) => f.state = Some(CaseState::parse(s).ok_or_else(|| bad("state", s))?),
        }
        if let Some(k) = blank(&self.kind) {
            f.kind = Some(CaseKind::parse(k).ok_or_else(|| bad("kind", k))?);
        }
        if let Some(s) = blank(&self.source) {
            f.source = Some(Source::parse(s).ok_or_else(|| bad("source", s))?);
        }
        if let Some(l) = blank(&self.light) {
            let light = match l {
                "red" => Light::Red,
                "yellow" => Light::Yellow,
                "green" => Light::Green,
                _ => return Err(bad("light", l)),
            };
            f.light = Some(LightFilter {
                light,
                today,
                soon_until,
            });
        }
        if blank(&self.mine).is_some() {
            let me = actor.person.map(|p| p.0).unwrap_or(-1);
            f.handler = None;
            f.raised_by = None;
            f.scope = Some(browse::CaseScope {
                units: Vec::new(),
                person: Some(PersonId(me)),
            });
        }
        Ok(f)
    }
}

/// A listed case with its flags and light for today.
#[derive(Debug, Clone, Serialize)]
pub struct ListedCase {
    #[serde(flatten)]
    pub row: CaseRow,
    pub code: String,
    pub found_on: jiff::civil::Date,
    pub due_on: Option<jiff::civil::Date>,
    pub closed_on: Option<jiff::civil::Date>,
    pub flags: Vec<Flag>,
    pub light: Option<Light>,
}

/// Flags and light of a case for `today`.
pub fn timeliness_of(
    clock: &Clock,
    today: jiff::civil::Date,
    calendar: &Calendar,
) -> (Vec<Flag>, Option<Light>) {
    let flags = timeliness::flags(clock, today, calendar);
    let light = timeliness::light(clock.state, &flags);
    (flags, light)
}

/// The last date that is still "due soon" on `today`: the n-th working day counted from
/// today (today included when it is a working day).
pub fn soon_until(calendar: &Calendar, today: jiff::civil::Date, n: i64) -> jiff::civil::Date {
    let start = if calendar.is_workday(today) {
        today.yesterday().unwrap_or(today)
    } else {
        today
    };
    calendar.add_workdays(start, n.max(1)).unwrap_or(today)
}

/// One page of cases for the actor, with counts by state for the same filter (state aside).
pub struct CaseList {
    pub rows: Vec<ListedCase>,
    pub total: i64,
    pub by_state: Vec<(String, i64)>,
    pub by_light: [(Light, i64); 3],
}

pub async fn list(
    state: &AppState,
    actor: &Actor,
    q: &CaseListQuery,
) -> Result<CaseList, AppError> {
    decide(actor, Action::ViewCases, Object::City)?;
    let today = state.today();
    let mut tx = state.store.begin_read().await?;
    let calendar = duban_store::calendar::load_calendar(&mut tx).await?;
    let year = q.year.unwrap_or(today.year());
    let settings = duban_store::cases::settings::get_settings(&mut tx, year).await?;
    let soon = soon_until(&calendar, today, settings.due_soon_workdays);
    let filter = q.to_filter(actor, today, soon)?;
    let (rows, total) = browse::list_cases(&mut tx, &filter).await?;
    let by_state = browse::count_by_state(
        &mut tx,
        &CaseFilter {
            state: None,
            open: false,
            light: None,
            ..filter.clone()
        },
    )
    .await?;
    let mut by_light = [(Light::Red, 0), (Light::Yellow, 0), (Light::Green, 0)];
    for (light, n) in &mut by_light {
        *n = browse::count_cases(
            &mut tx,
            &CaseFilter {
                state: None,
                open: false,
                light: Some(LightFilter {
                    light: *light,
                    today,
                    soon_until: soon,
                }),
                ..filter.clone()
            },
        )
        .await?;
    }
    let rows = rows
        .into_iter()
        .map(|row| {
            let clock = Clock {
                state: row.state().unwrap_or(CaseState::Registered),
                ack_due: row.ack_due(),
                due: row.due(),
                report_due: row.report_due(),
                due_soon_workdays: settings.due_soon_workdays,
            };
            let (flags, light) = timeliness_of(&clock, today, &calendar);
            ListedCase {
                code: duban_store::cases::code(
                    i16::try_from(row.year).unwrap_or_default(),
                    duban_core::cases::CaseId(row.id),
                ),
                found_on: row.found(),
                due_on: row.due(),
                closed_on: row.closed(),
                flags,
                light,
                row,
            }
        })
        .collect();
    Ok(CaseList {
        rows,
        total,
        by_state,
        by_light,
    })
}

/// 问题来源 as printed in documents and sheets.
pub fn source_zh(s: Source) -> &'static str {
    match s {
        Source::Instruction => "领导批示",
        Source::Meeting => "会议议定",
        Source::Inspection => "督查检查",
        Source::TaskForce => "专班指挥部",
        Source::Hotline => "12345热线",
        Source::Deputy => "代表委员",
        Source::Public => "群众反映",
    }
}

/// The sheet's status column (§4.4: 未启动/整改中/待核查/已销号/挂账) of a case state.
pub fn sheet_status(s: CaseState) -> duban_docs::cases::ProblemStatus {
    use duban_docs::cases::ProblemStatus as P;
    match s {
        CaseState::Registered | CaseState::Assigned | CaseState::ReturnRequested => P::NotStarted,
        CaseState::CompletionClaimed => P::AwaitingCheck,
        CaseState::ClosedOut => P::ClosedOut,
        CaseState::Deferred | CaseState::DeferProposed => P::Deferred,
        _ => P::InProgress,
    }
}

/// Everything the case page and `GET /api/v1/cases/{id}` show.
#[derive(Debug, Clone, Serialize)]
pub struct CaseDetail {
    pub case: duban_store::cases::Case,
    pub code: String,
    pub flags: Vec<Flag>,
    pub light: Option<Light>,
    pub overdue_workdays: i64,
    pub events: Vec<duban_store::cases::CaseEvent>,
    pub steps: Vec<duban_store::cases::steps::StepRow>,
    /// The steps the reader may take now.
    pub available: Vec<&'static str>,
    /// For the dispatch form: the lead unit's people and sections.
    pub unit_people: Vec<(i64, String)>,
    pub unit_sections: Vec<(i64, String)>,
    /// Evidence attached to the timeline's events (`object_id` is the event's id).
    pub attachments: Vec<crate::service::attachments::AttachmentView>,
    /// The duty list's entries this case is about and the department they make responsible
    /// (proposed at registration, shown to whoever decides a return).
    pub duties: crate::service::duties::DutyProposal,
    /// Approving the pending return goes against the duty list (needs an override reason).
    pub return_against_list: bool,
    /// The split units' own parts (分办), each with its flags and light for today and the
    /// steps the reader may take on it.
    pub parts: Vec<PartView>,
}

/// A split unit's part as the case page and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct PartView {
    pub unit_id: i64,
    pub unit_name: String,
    pub state: CaseState,
    pub note: String,
    pub evidence: String,
    pub closed_on: Option<jiff::civil::Date>,
    pub flags: Vec<Flag>,
    pub light: Option<Light>,
    pub available: Vec<&'static str>,
}

pub async fn detail(
    state: &AppState,
    actor: &Actor,
    id: duban_core::cases::CaseId,
) -> Result<CaseDetail, AppError> {
    let today = state.today();
    let mut tx = state.store.begin_read().await?;
    let case = super::load_visible(&mut tx, actor, id).await?;
    let calendar = duban_store::calendar::load_calendar(&mut tx).await?;
    let settings = duban_store::cases::settings::get_settings(&mut tx, case.facts.year).await?;
    let h = &case.handling;
    let clock = Clock {
        state: h.state,
        ack_due: h.ack_due_on,
        due: h.due_on,
        report_due: h.report_due_on,
        due_soon_workdays: settings.due_soon_workdays,
    };
    let (flags, light) = timeliness_of(&clock, today, &calendar);
    let overdue_workdays = h.due_on.map_or(0, |d| {
        super::escalation::overdue_workdays(&calendar, d, today)
    });
    let events = duban_store::cases::list_events(&mut tx, id).await?;
    let steps = duban_store::cases::steps::list_steps(&mut tx, id).await?;
    // A return can be asked for only within its window.
    let window_passed = h.return_due_on.is_some_and(|d| today > d);
    let available: Vec<&'static str> = super::steps::StepKind::available(actor, &case)
        .into_iter()
        .filter(|k| !(window_passed && *k == super::steps::StepKind::RequestReturn))
        .map(|k| k.as_str())
        .collect();
    let (unit_people, unit_sections) = match h.lead_unit_id {
        Some(u) if available.contains(&"dispatch") => (
            duban_store::people::unit_people(&mut tx, u).await?,
            duban_store::org::list_sections(&mut tx, u, false)
                .await?
                .into_iter()
                .map(|s| (s.id, s.name))
                .collect(),
        ),
        _ => (Vec::new(), Vec::new()),
    };
    let attachments = crate::service::attachments::list_for_case(&mut tx, id).await?;
    let duties = crate::service::duties::propose_in(
        &mut tx,
        &format!("{}\n{}", case.facts.title, case.facts.content),
        today,
    )
    .await?;
    let return_against_list =
        h.state == CaseState::ReturnRequested && h.lead_unit_id.is_some_and(|u| duties.names(u));
    // Each part runs on the case's deadline and acknowledgement window with its own state.
    let parts = case
        .units
        .iter()
        .filter_map(|u| {
            let part = u.part()?;
            let (flags, light) = timeliness_of(
                &Clock {
                    state: part,
                    report_due: None,
                    ..clock
                },
                today,
                &calendar,
            );
            let unit = UnitId(u.unit_id);
            Some(PartView {
                unit_id: u.unit_id,
                unit_name: u.unit_name.clone(),
                state: part,
                note: u.part_note.clone(),
                evidence: u.part_evidence.clone(),
                closed_on: u.part_closed(),
                flags,
                light,
                available: super::parts::available(actor, &case, unit, part)
                    .into_iter()
                    .map(|k| k.as_str())
                    .collect(),
            })
        })
        .collect();
    Ok(CaseDetail {
        parts,
        duties,
        return_against_list,
        attachments,
        code: case.code(),
        case,
        flags,
        light,
        overdue_workdays,
        events,
        steps,
        available,
        unit_people,
        unit_sections,
    })
}

/// An issued document the actor may see (through its case).
pub async fn document(
    state: &AppState,
    actor: &Actor,
    id: duban_core::cases::CaseId,
    document: i64,
) -> Result<duban_store::cases::steps::Document, AppError> {
    let mut tx = state.store.begin_read().await?;
    super::load_visible(&mut tx, actor, id).await?;
    let doc = duban_store::cases::steps::get_document(&mut tx, document)
        .await?
        .filter(|d| d.case_id == id.0)
        .ok_or(AppError::NotFound)?;
    Ok(doc)
}
