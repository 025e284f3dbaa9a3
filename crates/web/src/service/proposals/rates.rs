//! The rates (按时办复率, 满意率 …) per lead unit, per category and for the city, and the items
//! behind each one. The definitions are `core::proposals::rates`; this only groups, reading
//! the maintained counts for a whole-city reader.

use super::scope;
use super::view::{Listed, listed};
use crate::error::{AppError, FieldError};
use crate::state::AppState;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::proposals::ProposalId;
use duban_core::proposals::kind::Kind;
use duban_core::proposals::rates::counts::{COUNTS, Counts, add};
use duban_core::proposals::rates::{Measure, Ratio, Tally};
use duban_store::proposals::browse::{self, FactRow, Filter};
use duban_store::proposals::counts::{self, GroupCounts};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RatesQuery {
    /// The session's year (default this year).
    pub year: Option<i16>,
    /// suggestion | proposal (default both).
    pub kind: Option<String>,
}

/// One group's rates: each measure's numerator, denominator and percentage.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GroupRates {
    /// The lead unit's id or the category; empty for the city.
    pub key: String,
    pub label: String,
    pub items: u64,
    pub handed_out: u64,
    pub replied: u64,
    /// Replied, unrated, past the evaluation window.
    pub unrated_overdue: u64,
    #[schema(value_type = Object)]
    pub rates: BTreeMap<&'static str, RateCell>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RateCell {
    pub num: u64,
    pub den: u64,
    /// "93.5%", or "—" when nothing is counted.
    pub percent: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Dashboard {
    pub year: i16,
    pub kind: Option<String>,
    /// The day the rates are computed for.
    pub today: String,
    pub city: GroupRates,
    pub by_unit: Vec<GroupRates>,
    pub by_category: Vec<GroupRates>,
    /// Each measure's definition, as written on the page.
    #[schema(value_type = Object)]
    pub definitions: BTreeMap<&'static str, (&'static str, &'static str)>,
}

fn group(key: String, label: String, t: &Tally) -> GroupRates {
    GroupRates {
        key,
        label,
        items: t.items,
        handed_out: t.handed_out,
        replied: t.replied,
        unrated_overdue: t.unrated_overdue,
        rates: Measure::ALL
            .into_iter()
            .map(|m| {
                let r: Ratio = t.get(m);
                (
                    m.as_str(),
                    RateCell {
                        num: r.num,
                        den: r.den,
                        percent: r.percent_text(),
                    },
                )
            })
            .collect(),
    }
}

fn parse_kind(k: Option<&str>) -> Result<Option<Kind>, AppError> {
    match k.map(str::trim).filter(|k| !k.is_empty()) {
        None => Ok(None),
        Some(k) => Kind::parse(k)
            .map(Some)
            .ok_or(AppError::BadQuery(FieldError::new("kind", "bad_choice"))),
    }
}

async fn facts(
    state: &AppState,
    actor: &Actor,
    year: i16,
    kind: Option<Kind>,
) -> Result<Vec<FactRow>, AppError> {
    decide(actor, Action::ViewProposalRates, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    Ok(browse::facts(&mut tx, year, kind, scope(actor).as_ref()).await?)
}

/// Every group's (kind, lead unit, category) counts on `today`. A whole-city reader's come
/// from the maintained counts (`store::proposals::counts`); a reader who sees part of the
/// items (a unit, an office, a deputy) gets them added up from the facts of exactly those.
async fn groups(
    state: &AppState,
    actor: &Actor,
    year: i16,
    kind: Option<Kind>,
) -> Result<Vec<GroupCounts>, AppError> {
    decide(actor, Action::ViewProposalRates, Object::City)?;
    let today = state.today();
    if scope(actor).is_none() {
        let mut tx = state.store.begin_read().await?;
        return Ok(counts::on(&mut tx, year, kind, today).await?);
    }
    Ok(facts(state, actor, year, kind)
        .await?
        .into_iter()
        .map(|r| {
            let mut t = Tally::default();
            t.add(&r.facts, today);
            GroupCounts {
                kind: r.kind,
                lead_unit_id: r.lead_unit_id,
                lead_unit_name: r.lead_unit_name,
                category: r.category,
                counts: t.counts(),
            }
        })
        .collect())
}

fn tally(c: &Counts) -> Tally {
    let mut t = Tally::default();
    t.add_counts(c);
    t
}

pub async fn dashboard(
    state: &AppState,
    actor: &Actor,
    q: &RatesQuery,
) -> Result<Dashboard, AppError> {
    decide(actor, Action::ViewProposalRates, Object::City)?;
    let kind = parse_kind(q.kind.as_deref())?;
    let year = q.year.unwrap_or(state.today().year());
    let today = state.today();
    let mut city = [0; COUNTS];
    let mut units: BTreeMap<i64, (String, Counts)> = BTreeMap::new();
    let mut categories: BTreeMap<String, Counts> = BTreeMap::new();
    for g in groups(state, actor, year, kind).await? {
        add(&mut city, &g.counts, 1);
        if let Some(u) = g.lead_unit_id {
            let entry = units
                .entry(u.0)
                .or_insert_with(|| (g.lead_unit_name.clone().unwrap_or_default(), [0; COUNTS]));
            add(&mut entry.1, &g.counts, 1);
        }
        add(
            categories.entry(g.category).or_insert([0; COUNTS]),
            &g.counts,
            1,
        );
    }
    let mut by_unit: Vec<GroupRates> = units
        .into_iter()
        .map(|(id, (name, c))| group(id.to_string(), name, &tally(&c)))
        .collect();
    by_unit.sort_by(|a, b| b.handed_out.cmp(&a.handed_out).then(a.label.cmp(&b.label)));
    Ok(Dashboard {
        year,
        kind: kind.map(|k| k.as_str().to_string()),
        today: today.to_string(),
        city: group(String::new(), "全市".into(), &tally(&city)),
        by_unit,
        by_category: categories
            .into_iter()
            .map(|(c, n)| group(c.clone(), c, &tally(&n)))
            .collect(),
        definitions: Measure::ALL
            .into_iter()
            .map(|m| (m.as_str(), (m.label_zh(), m.definition_zh())))
            .collect(),
    })
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DrillQuery {
    pub year: Option<i16>,
    pub kind: Option<String>,
    /// on_time, satisfied, satisfied_strict, first_satisfied, solved_a, solved_ab, met,
    /// three_contacts, head, followed_up, unrated.
    #[serde(default)]
    pub measure: String,
    /// `num` (the items counted as meeting it) or `den` (every item it counts); default num.
    pub part: Option<String>,
    /// Only this lead unit's items.
    pub unit_id: Option<i64>,
    /// Only this category's items.
    pub category: Option<String>,
}

/// Exactly the items behind one number of the dashboard.
pub async fn drill(
    state: &AppState,
    actor: &Actor,
    q: &DrillQuery,
) -> Result<Vec<Listed>, AppError> {
    decide(actor, Action::ViewProposalRates, Object::City)?;
    let kind = parse_kind(q.kind.as_deref())?;
    let measure = Measure::parse(q.measure.trim())
        .ok_or(AppError::BadQuery(FieldError::new("measure", "bad_choice")))?;
    let numerator = match q.part.as_deref().unwrap_or("num") {
        "num" => true,
        "den" => false,
        _ => return Err(AppError::BadQuery(FieldError::new("part", "bad_choice"))),
    };
    let year = q.year.unwrap_or(state.today().year());
    let today = state.today();
    let rows = facts(state, actor, year, kind).await?;
    let ids: Vec<ProposalId> = rows
        .iter()
        .filter(|r| {
            q.unit_id
                .is_none_or(|u| r.lead_unit_id.map(|x| x.0) == Some(u))
        })
        .filter(|r| q.category.as_deref().is_none_or(|c| r.category == c))
        .filter(|r| match measure.counts(&r.facts, today) {
            Some(hit) => hit || !numerator,
            None => false,
        })
        .map(|r| r.id)
        .collect();
    let filter = Filter {
        limit: i64::try_from(ids.len()).unwrap_or(i64::MAX).max(1),
        ids: Some(ids),
        scope: scope(actor),
        ..Filter::default()
    };
    let mut tx = state.store.begin_read().await?;
    let (rows, _) = browse::list(&mut tx, &filter).await?;
    Ok(listed(rows))
}

/// The rates a dashboard shows beside its lights (按时办复率, 满意率, 解决率, 一把手参与率)
/// and the count of replies not yet rated, each with the query string of its drill-down
/// (`/proposals/rates/items?…`), which lists exactly the items counted.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Beside {
    pub year: i16,
    /// Only this lead unit's items (a unit's dashboard).
    pub unit_id: Option<i64>,
    pub rates: Vec<BesideRate>,
    /// Replies the lead proposer has not rated yet (未评价).
    pub unrated: u64,
    /// The drill-down's query string for the unrated replies.
    pub unrated_qs: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BesideRate {
    /// on_time, satisfied, solved_a, head.
    pub measure: &'static str,
    pub num: u64,
    pub den: u64,
    pub percent: String,
    /// The drill-down's query strings: the items counted as meeting it, and all it counts.
    pub num_qs: String,
    pub den_qs: String,
}

/// The measures beside the lights, in the order shown.
pub const BESIDE: [Measure; 4] = [
    Measure::OnTime,
    Measure::Satisfied,
    Measure::SolvedA,
    Measure::HeadTookPart,
];

/// [`Beside`] for the year (and one lead unit), from one read of the items' facts; `None`
/// for a reader who may not see the rates (a deputy).
pub async fn beside_lights(
    state: &AppState,
    actor: &Actor,
    year: i16,
    unit: Option<i64>,
) -> Result<Option<Beside>, AppError> {
    if decide(actor, Action::ViewProposalRates, Object::City).is_err() {
        return Ok(None);
    }
    let mut sum = [0; COUNTS];
    for g in groups(state, actor, year, None).await? {
        if unit.is_none_or(|u| g.lead_unit_id.map(|x| x.0) == Some(u)) {
            add(&mut sum, &g.counts, 1);
        }
    }
    let t = tally(&sum);
    let qs = |m: Measure, part: &str| {
        let mut q = format!("measure={}&part={part}&year={year}", m.as_str());
        if let Some(u) = unit {
            q.push_str(&format!("&unit_id={u}"));
        }
        q
    };
    Ok(Some(Beside {
        year,
        unit_id: unit,
        rates: BESIDE
            .into_iter()
            .map(|m| {
                let r = t.get(m);
                BesideRate {
                    measure: m.as_str(),
                    num: r.num,
                    den: r.den,
                    percent: r.percent_text(),
                    num_qs: qs(m, "num"),
                    den_qs: qs(m, "den"),
                }
            })
            .collect(),
        unrated: t.get(Measure::Unrated).num,
        unrated_qs: qs(Measure::Unrated, "num"),
    }))
}
