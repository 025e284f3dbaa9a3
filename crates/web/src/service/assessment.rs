//! Assessment (督考) use cases: the office adopts a year's scheme in versions; score events
//! are harvested from facts once a day (and on the office's request); units see every point
//! behind their score and appeal through their head; manual events need two officers; the
//! group tables rank units with stars. Totals come from maintained sums
//! (`score_totals`), turned into scores by `core::assessment::score`.

pub mod harvest;

use super::{Problems, audit};
use crate::error::{AppError, FieldError};
use crate::state::AppState;
use duban_core::assessment::event::{EventKind, Part};
use duban_core::assessment::period::Period;
use duban_core::assessment::scheme::{Scheme, SchemeError};
use duban_core::assessment::score::{self, UnitScore};
use duban_core::assessment::{Centi, fmt_points};
use duban_core::org::{UnitId, UnitKind};
use duban_core::policy::{Action, Actor, Object, decide};
use duban_store::assessment::{self as store, EventRow, SchemeVersion, UnitSums};
use duban_store::{StoreError, Tx};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The period a query names, or this month.
pub fn period_of(raw: Option<&str>, today: jiff::civil::Date) -> Result<Period, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(Period::month(today.year(), today.month())),
        Some(s) => Period::parse(s).ok_or(AppError::BadQuery(FieldError::new(
            "period",
            "invalid_period",
        ))),
    }
}

/// The daily harvest's job kind (one row per day in `jobs`).
pub const ASSESSMENT_JOB: &str = "assessment";

/// Once a day across all processes: appends the year's new score events. Returns how many.
pub async fn run_today(state: &AppState, now: jiff::Timestamp) -> Result<usize, StoreError> {
    let tz = state.config.timezone.clone();
    let day = now.to_zoned(tz.clone()).date();
    let mut tx = state.store.begin_write().await?;
    let key = format!("assessment:{day}");
    if !duban_store::jobs::claim_once(&mut tx, ASSESSMENT_JOB, &key, now).await? {
        return Ok(0);
    }
    let n = harvest::harvest(
        &mut tx,
        &duban_store::Audit::system(now),
        day.year(),
        day,
        &tz,
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

/// The office's "refresh now": harvests the year up to today at once.
pub async fn refresh(state: &AppState, actor: &Actor, year: i16) -> Result<usize, AppError> {
    decide(actor, Action::ManageScheme, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    let n = harvest::harvest(
        &mut tx,
        &audit(state, actor),
        year,
        state.today(),
        &state.config.timezone,
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

fn scheme_error(e: &SchemeError) -> AppError {
    AppError::Invalid(vec![FieldError::new(e.field(), e.code())])
}

fn invalid(field: &'static str, code: &'static str) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, code)])
}

/// A new version of a year's scheme as sent.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct AdoptInput {
    /// The whole scheme (`core::assessment::scheme::Scheme`): modules, rules, multipliers,
    /// groups, stars, appeal window.
    #[schema(value_type = Object)]
    pub scheme: Scheme,
    /// The first day it scores (default: 1 January for the first version, today after).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub in_force_from: Option<Date>,
    /// Why it changes (required from the second version on).
    #[serde(default)]
    pub reason: String,
}

/// Adopts a version after checking every rule; nothing is written if any fails.
pub async fn adopt(
    state: &AppState,
    actor: &Actor,
    year: i16,
    input: &AdoptInput,
) -> Result<i64, AppError> {
    decide(actor, Action::ManageScheme, Object::City)?;
    input.scheme.validate().map_err(|e| scheme_error(&e))?;
    let reason = input.reason.trim();
    let today = state.today();
    let mut tx = state.store.begin_write().await?;
    let versions = store::versions(&mut tx, year).await?;
    let first = versions.is_empty();
    let from = match input.in_force_from {
        Some(d) => d,
        None if first => jiff::civil::date(year, 1, 1),
        None => today,
    };
    let mut p = Problems::default();
    if from.year() != year {
        p.add("in_force_from", "scheme_other_year");
    }
    if !first {
        if reason.is_empty() {
            p.add("reason", "reason_required");
        }
        // Results already published stay reproducible: a new version scores from today on.
        if from < today || versions.last().is_some_and(|v| from <= v.in_force_from) {
            p.add("in_force_from", "scheme_in_past");
        }
    }
    for g in &input.scheme.groups {
        for u in &g.units {
            if let Err(StoreError::NotFound) = duban_store::org::get_unit(&mut tx, *u).await {
                p.add("groups", "not_found_ref");
            }
        }
    }
    p.finish()?;
    let v = store::adopt(
        &mut tx,
        &audit(state, actor),
        year,
        &input.scheme,
        from,
        reason,
    )
    .await?;
    tx.commit().await?;
    Ok(v)
}

/// A year's scheme versions and what was scored so far.
#[derive(Debug, Clone, Serialize)]
pub struct SchemeView {
    pub year: i16,
    pub versions: Vec<SchemeVersion>,
    /// `(kind, events, points)` of the year.
    pub counts: Vec<(String, i64, i64)>,
}

pub async fn scheme(state: &AppState, actor: &Actor, year: i16) -> Result<SchemeView, AppError> {
    decide(
        actor,
        Action::ViewRankings,
        Object::Rankings {
            open_to_units: true,
        },
    )?;
    let mut tx = state.store.begin_read().await?;
    Ok(SchemeView {
        year,
        versions: store::versions(&mut tx, year).await?,
        counts: store::counts_by_kind(&mut tx, year).await?,
    })
}

/// One unit's line in a group table.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RankRow {
    pub unit_id: i64,
    pub unit_name: String,
    /// Module scores in the scheme's module order, in hundredths.
    pub modules: Vec<Centi>,
    pub total: Centi,
    pub rank: u32,
    /// Places moved up since the previous period (negative: down); none for the first.
    pub change: Option<i64>,
    pub stars: u8,
    /// Events behind the total.
    pub events: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GroupTable {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub rows: Vec<RankRow>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ModuleHead {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub weight: u32,
}

/// The group tables of a period under the scheme in force at its end.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Rankings {
    pub year: i16,
    pub period: String,
    pub scheme_version: i64,
    pub modules: Vec<ModuleHead>,
    pub groups: Vec<GroupTable>,
}

/// The version that judges a period: the one in force on its last day, or today while the
/// period runs.
fn judging(versions: &[SchemeVersion], period: Period, today: Date) -> Option<&SchemeVersion> {
    let end = period.range().1.min(today);
    store::in_force(versions, end).or_else(|| versions.first())
}

fn tables(
    scheme: &Scheme,
    names: &BTreeMap<i64, String>,
    now: &BTreeMap<i64, UnitSums>,
    before: Option<&BTreeMap<i64, UnitSums>>,
) -> Vec<GroupTable> {
    let rank = |sums: &BTreeMap<i64, UnitSums>, units: &[UnitId]| {
        let totals: Vec<(UnitId, Centi)> = units
            .iter()
            .map(|u| (*u, store::score_of(scheme, sums.get(&u.0)).total))
            .collect();
        score::rank_group(&totals, &scheme.stars)
    };
    scheme
        .groups
        .iter()
        .map(|g| {
            let prev: BTreeMap<i64, u32> = before
                .map(|b| {
                    rank(b, &g.units)
                        .into_iter()
                        .map(|r| (r.unit.0, r.rank))
                        .collect()
                })
                .unwrap_or_default();
            let rows = rank(now, &g.units)
                .into_iter()
                .map(|r| {
                    let s: UnitScore = store::score_of(scheme, now.get(&r.unit.0));
                    RankRow {
                        unit_id: r.unit.0,
                        unit_name: names.get(&r.unit.0).cloned().unwrap_or_default(),
                        modules: s.modules.iter().map(|m| m.score).collect(),
                        total: r.total,
                        rank: r.rank,
                        change: score::rank_change(prev.get(&r.unit.0).copied(), r.rank),
                        stars: r.stars,
                        events: now.get(&r.unit.0).map_or(0, |s| s.events),
                    }
                })
                .collect();
            GroupTable {
                key: g.key.clone(),
                name_zh: g.name_zh.clone(),
                name_en: g.name_en.clone(),
                rows,
            }
        })
        .collect()
}

async fn unit_names(tx: &mut Tx) -> Result<BTreeMap<i64, String>, StoreError> {
    let units = duban_store::org::list_units(
        tx,
        &duban_store::org::UnitFilter {
            kind: None,
            include_inactive: true,
        },
    )
    .await?;
    Ok(units.into_iter().map(|u| (u.id, u.short_name)).collect())
}

/// Whether the year's scheme opens the group tables to every unit.
pub async fn open_to_units(state: &AppState, year: i16) -> Result<bool, AppError> {
    let mut tx = state.store.begin_read().await?;
    let versions = store::versions(&mut tx, year).await?;
    Ok(versions
        .last()
        .is_some_and(|v| v.scheme.tables_for_all_units))
}

/// The group tables of a period. `None` when the year has no scheme yet.
pub async fn rankings(
    state: &AppState,
    actor: &Actor,
    period: Period,
) -> Result<Option<Rankings>, AppError> {
    let mut tx = state.store.begin_read().await?;
    let versions = store::versions(&mut tx, period.year).await?;
    let open = versions
        .last()
        .is_some_and(|v| v.scheme.tables_for_all_units);
    decide(
        actor,
        Action::ViewRankings,
        Object::Rankings {
            open_to_units: open,
        },
    )?;
    Ok(rankings_in(&mut tx, &versions, period, state.today()).await?)
}

/// The group tables of a period, without asking who reads them (a bulletin's snapshot).
pub async fn rankings_at(
    tx: &mut Tx,
    period: Period,
    today: Date,
) -> Result<Option<Rankings>, StoreError> {
    let versions = store::versions(tx, period.year).await?;
    rankings_in(tx, &versions, period, today).await
}

async fn rankings_in(
    tx: &mut Tx,
    versions: &[SchemeVersion],
    period: Period,
    today: Date,
) -> Result<Option<Rankings>, StoreError> {
    let Some(v) = judging(versions, period, today) else {
        return Ok(None);
    };
    let now = store::totals(tx, period).await?;
    let before = match period.previous() {
        Some(p) => Some(store::totals(tx, p).await?),
        None => None,
    };
    let names = unit_names(tx).await?;
    Ok(Some(Rankings {
        year: period.year,
        period: period.key(),
        scheme_version: v.version,
        modules: module_heads(&v.scheme),
        groups: tables(&v.scheme, &names, &now, before.as_ref()),
    }))
}

fn module_heads(s: &Scheme) -> Vec<ModuleHead> {
    s.modules
        .iter()
        .map(|m| ModuleHead {
            key: m.key.clone(),
            name_zh: m.name_zh.clone(),
            name_en: m.name_en.clone(),
            weight: m.weight,
        })
        .collect()
}

/// Events of one kind and part in a unit's period: "逾期 3 项 × −1 = −3".
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KindLine {
    pub kind: String,
    pub part: String,
    pub module: String,
    /// Events counted (reversed ones and their reversals are listed but net to zero).
    pub count: i64,
    /// Points of one event under the scheme (as given; a version change may differ).
    pub each: Centi,
    pub sum: Centi,
    /// "3 × -1 = -3".
    pub formula: String,
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<EventRow>,
}

/// A unit's score for a period with every point behind it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitScores {
    pub unit_id: i64,
    pub unit_name: String,
    pub period: String,
    pub scheme_version: Option<i64>,
    pub modules: Vec<ModuleHead>,
    #[schema(value_type = Object)]
    pub score: Option<UnitScore>,
    pub rank: Option<u32>,
    pub group_size: Option<usize>,
    pub group_name: Option<String>,
    pub change: Option<i64>,
    pub stars: Option<u8>,
    pub lines: Vec<KindLine>,
    /// Calendar days after an event's day within which it may be appealed.
    pub appeal_days: u32,
    /// Whether the reader may appeal this unit's events (its head).
    pub may_appeal: bool,
}

pub async fn unit_scores(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    period: Period,
) -> Result<UnitScores, AppError> {
    let mut tx = state.store.begin_read().await?;
    let u = duban_store::org::get_unit(&mut tx, unit).await?;
    decide(
        actor,
        Action::ViewScores,
        Object::Unit {
            id: unit,
            active: u.active,
        },
    )?;
    let may_appeal = decide(
        actor,
        Action::AppealScore,
        Object::Unit {
            id: unit,
            active: u.active,
        },
    )
    .is_ok();
    let versions = store::versions(&mut tx, period.year).await?;
    let events = store::events_of(&mut tx, unit, period).await?;
    let lines = lines_of(&events);
    let Some(v) = judging(&versions, period, state.today()) else {
        return Ok(UnitScores {
            unit_id: unit.0,
            unit_name: u.short_name,
            period: period.key(),
            scheme_version: None,
            modules: Vec::new(),
            score: None,
            rank: None,
            group_size: None,
            group_name: None,
            change: None,
            stars: None,
            lines,
            appeal_days: 0,
            may_appeal: false,
        });
    };
    let now = store::totals(&mut tx, period).await?;
    let group = v.scheme.group_of(unit);
    let (mut rank, mut stars, mut change, mut size) = (None, None, None, None);
    if let Some(g) = group {
        let before = match period.previous() {
            Some(p) => Some(store::totals(&mut tx, p).await?),
            None => None,
        };
        let names = BTreeMap::new();
        let t = tables(
            &Scheme {
                groups: vec![g.clone()],
                ..v.scheme.clone()
            },
            &names,
            &now,
            before.as_ref(),
        );
        if let Some(row) = t
            .first()
            .and_then(|t| t.rows.iter().find(|r| r.unit_id == unit.0))
        {
            rank = Some(row.rank);
            stars = Some(row.stars);
            change = row.change;
        }
        size = Some(g.units.len());
    }
    Ok(UnitScores {
        unit_id: unit.0,
        unit_name: u.short_name,
        period: period.key(),
        scheme_version: Some(v.version),
        modules: module_heads(&v.scheme),
        score: Some(store::score_of(&v.scheme, now.get(&unit.0))),
        rank,
        group_size: size,
        group_name: group.map(|g| g.name_zh.clone()),
        change,
        stars,
        lines,
        appeal_days: v.scheme.appeal_days,
        may_appeal,
    })
}

/// Groups a unit's events by kind and part, in the order kinds first appear.
fn lines_of(events: &[EventRow]) -> Vec<KindLine> {
    let mut lines: Vec<KindLine> = Vec::new();
    for e in events {
        let counted = e.reverses.is_none() && e.reversed_by.is_none();
        let i = match lines
            .iter()
            .position(|l| l.kind == e.kind && l.part == e.part)
        {
            Some(i) => i,
            None => {
                lines.push(KindLine {
                    kind: e.kind.clone(),
                    part: e.part.clone(),
                    module: e.module.clone(),
                    count: 0,
                    each: 0,
                    sum: 0,
                    formula: String::new(),
                    events: Vec::new(),
                });
                lines.len() - 1
            }
        };
        let l = &mut lines[i];
        if counted {
            l.count += 1;
            l.each = e.points;
        }
        l.sum += e.points;
        l.events.push(e.clone());
    }
    for l in &mut lines {
        let uniform = l
            .events
            .iter()
            .filter(|e| e.reverses.is_none() && e.reversed_by.is_none())
            .all(|e| e.points == l.each);
        l.formula = if uniform && l.count > 0 {
            format!(
                "{} × {} = {}",
                l.count,
                fmt_points(l.each),
                fmt_points(l.sum)
            )
        } else {
            fmt_points(l.sum)
        };
    }
    lines
}

/// A manual event as proposed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ProposeInput {
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// leader_praise | leader_criticism | false_data.
    #[serde(default)]
    pub kind: String,
    /// lead | co (default lead).
    #[serde(default)]
    pub part: String,
    /// The day it happened (default today).
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub reason: String,
}

pub async fn propose(
    state: &AppState,
    actor: &Actor,
    input: &ProposeInput,
) -> Result<i64, AppError> {
    decide(actor, Action::ProposeScore, Object::City)?;
    let today = state.today();
    let mut p = Problems::default();
    let kind = match EventKind::parse(&input.kind) {
        Ok(k) if k.is_manual() => Some(k),
        Ok(_) => {
            p.add("kind", "score_kind_automatic");
            None
        }
        Err(_) => {
            p.add("kind", "bad_choice");
            None
        }
    };
    let part = match input.part.trim() {
        "" => Some(Part::Lead),
        s => Part::parse(s).or_else(|| {
            p.add("part", "bad_choice");
            None
        }),
    };
    let day = match super::parse_date(&mut p, "day", &input.day) {
        Some(Some(d)) if d > today => {
            p.add("day", "in_future");
            None
        }
        Some(d) => Some(d.unwrap_or(today)),
        None => None,
    };
    let reason = input.reason.trim();
    if reason.is_empty() {
        p.add("reason", "reason_required");
    }
    if input.unit_id.is_none() {
        p.add("unit_id", "required");
    }
    let mut tx = state.store.begin_write().await?;
    if let Some(u) = input.unit_id
        && let Err(StoreError::NotFound) = duban_store::org::get_unit(&mut tx, UnitId(u)).await
    {
        p.add("unit_id", "not_found_ref");
    }
    p.finish()?;
    let (Some(kind), Some(part), Some(day), Some(unit), Some(user)) =
        (kind, part, day, input.unit_id, actor.user)
    else {
        return Err(AppError::BadRequest("incomplete proposal".into()));
    };
    let id = store::propose(
        &mut tx,
        &audit(state, actor),
        &store::NewProposal {
            year: day.year(),
            unit: UnitId(unit),
            kind,
            part,
            day,
            reason,
            proposed_by: user,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The second officer's decision on a manual event.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct DecisionInput {
    /// approve | reject (a proposal); grant | refuse (an appeal).
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub note: String,
}

pub async fn decide_proposal(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &DecisionInput,
) -> Result<(), AppError> {
    decide(actor, Action::DecideScore, Object::City)?;
    let approve = match input.decision.trim() {
        "approve" => true,
        "reject" => false,
        _ => return Err(invalid("decision", "bad_choice")),
    };
    let note = input.note.trim();
    if !approve && note.is_empty() {
        return Err(invalid("note", "reason_required"));
    }
    let a = audit(state, actor);
    let mut tx = state.store.begin_write().await?;
    let prop = store::proposal(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if prop.state != "proposed" {
        return Err(invalid("decision", "score_decided"));
    }
    if Some(prop.proposed_by) == actor.user.map(|u| u.0) {
        return Err(invalid("decision", "four_eyes"));
    }
    let mut event = None;
    if approve {
        let year = i16::try_from(prop.year).map_err(|_| AppError::NotFound)?;
        let versions = store::versions(&mut tx, year).await?;
        let day = prop.day.to_jiff();
        let kind = EventKind::parse(&prop.kind).map_err(|_| invalid("kind", "bad_choice"))?;
        let part = Part::parse(&prop.part).unwrap_or(Part::Lead);
        let Some(v) = store::in_force(&versions, day) else {
            return Err(invalid("decision", "no_scheme"));
        };
        let Some((module, points)) = v.scheme.points(kind, part) else {
            return Err(invalid("kind", "score_kind_unscored"));
        };
        let e = store::NewEvent {
            day,
            unit: UnitId(prop.unit_id),
            kind,
            part,
            module: module.to_string(),
            points,
            scheme_version: v.version,
            source: store::Source {
                kind: "manual",
                id,
                reference: String::new(),
            },
            title: prop.reason.clone(),
            href: "/assessment/proposals".into(),
            reason: note.to_string(),
            reverses: None,
        };
        let (ids, _) = store::append(&mut tx, &a, year, "assessment.approve", &[e]).await?;
        event = ids.first().copied();
    }
    if !store::decide_proposal(&mut tx, &a, id, approve, note, event).await? {
        return Err(invalid("decision", "score_decided"));
    }
    tx.commit().await?;
    Ok(())
}

pub async fn proposals(
    state: &AppState,
    actor: &Actor,
    year: i16,
) -> Result<Vec<store::Proposal>, AppError> {
    decide(actor, Action::ProposeScore, Object::City)
        .or_else(|_| decide(actor, Action::DecideScore, Object::City))
        .or_else(|_| {
            // The auditor reads them.
            decide(
                actor,
                Action::ViewRankings,
                Object::Rankings {
                    open_to_units: false,
                },
            )
            .and_then(|_| {
                if actor.role == Some(duban_core::role::Role::Auditor) {
                    Ok(())
                } else {
                    Err(duban_core::policy::Denied::Role)
                }
            })
        })?;
    let mut tx = state.store.begin_read().await?;
    Ok(store::proposals(&mut tx, year).await?)
}

/// An appeal as filed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct AppealInput {
    #[serde(default)]
    pub reason: String,
    /// What supports it, in words (a document number, a date, who can confirm).
    #[serde(default)]
    pub evidence: String,
}

pub async fn appeal(
    state: &AppState,
    actor: &Actor,
    event_id: i64,
    input: &AppealInput,
) -> Result<i64, AppError> {
    // Only unit heads appeal at all: anyone else is refused before the event is looked up.
    if actor.role != Some(duban_core::role::Role::UnitHead) {
        decide(actor, Action::AppealScore, Object::City)?;
    }
    let mut tx = state.store.begin_write().await?;
    let e = store::event(&mut tx, event_id)
        .await?
        .ok_or(AppError::NotFound)?;
    decide(
        actor,
        Action::AppealScore,
        Object::Unit {
            id: UnitId(e.unit_id),
            active: true,
        },
    )?;
    let reason = input.reason.trim();
    let evidence = input.evidence.trim();
    let mut p = Problems::default();
    if reason.is_empty() {
        p.add("reason", "reason_required");
    }
    if e.reverses.is_some() || e.reversed_by.is_some() {
        p.add("event", "appeal_reversed");
    }
    if e.appeal_id.is_some() {
        p.add("event", "appeal_exists");
    }
    let year = e.day.year();
    let versions = store::versions(&mut tx, year).await?;
    let days = versions
        .iter()
        .find(|v| v.version == e.scheme_version)
        .map_or(0, |v| v.scheme.appeal_days);
    let last = e
        .day
        .checked_add(jiff::Span::new().days(i64::from(days)))
        .unwrap_or(e.day);
    if state.today() > last {
        p.add("event", "appeal_late");
    }
    p.finish()?;
    let user = actor.user.ok_or(AppError::NotSignedIn)?;
    let id = store::file_appeal(&mut tx, &audit(state, actor), &e, user, reason, evidence).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn decide_appeal(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &DecisionInput,
) -> Result<(), AppError> {
    decide(actor, Action::DecideAppeal, Object::City)?;
    let grant = match input.decision.trim() {
        "grant" => true,
        "refuse" => false,
        _ => return Err(invalid("decision", "bad_choice")),
    };
    let note = input.note.trim();
    if note.is_empty() {
        return Err(invalid("note", "reason_required"));
    }
    let a = audit(state, actor);
    let mut tx = state.store.begin_write().await?;
    let ap = store::appeal(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if ap.state != "filed" {
        return Err(invalid("decision", "score_decided"));
    }
    let mut reversal = None;
    if grant {
        let e = store::event(&mut tx, ap.event_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let r = harvest::reversal(&e, note);
        let (ids, _) =
            store::append(&mut tx, &a, e.day.year(), "assessment.appeal_granted", &[r]).await?;
        reversal = ids.first().copied();
    }
    if !store::decide_appeal(&mut tx, &a, id, grant, note, reversal).await? {
        return Err(invalid("decision", "score_decided"));
    }
    tx.commit().await?;
    Ok(())
}

/// Appeals the reader may see: the office and whole-city readers all, a unit its own.
pub async fn appeals(state: &AppState, actor: &Actor) -> Result<Vec<store::Appeal>, AppError> {
    let role = actor.role.ok_or(AppError::NotSignedIn)?;
    let unit = if role.sees_whole_city() {
        None
    } else {
        let home = actor
            .scope
            .home_unit
            .ok_or(AppError::Forbidden(duban_core::policy::Denied::OutOfScope))?;
        decide(
            actor,
            Action::ViewScores,
            Object::Unit {
                id: home,
                active: true,
            },
        )?;
        Some(home)
    };
    let mut tx = state.store.begin_read().await?;
    Ok(store::appeals(&mut tx, unit).await?)
}

/// The default groups for a first scheme: towns and streets, departments, command HQs.
pub async fn default_groups(
    state: &AppState,
) -> Result<Vec<duban_core::assessment::scheme::Group>, AppError> {
    let mut tx = state.store.begin_read().await?;
    let units = duban_store::org::list_units(
        &mut tx,
        &duban_store::org::UnitFilter {
            kind: None,
            include_inactive: false,
        },
    )
    .await?;
    let group =
        |key: &str, zh: &str, en: &str, kind: UnitKind| duban_core::assessment::scheme::Group {
            key: key.into(),
            name_zh: zh.into(),
            name_en: en.into(),
            units: units
                .iter()
                .filter(|u| u.kind() == kind)
                .map(|u| u.unit_id())
                .collect(),
        };
    Ok(vec![
        group("towns", "镇街", "Towns and streets", UnitKind::Town),
        group("departments", "部门", "Departments", UnitKind::Department),
        group("command_hqs", "指挥部", "Command HQs", UnitKind::CommandHq),
    ])
}
