//! Reading items: one with everything a page shows, and lists limited to the reader's scope.

use super::steps::StepKind;
use super::{load_visible, scope};
use crate::error::AppError;
use crate::state::AppState;
use duban_core::org::{PersonId, UnitId};
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::proposals::ProposalId;
use duban_core::proposals::kind::Kind;
use duban_core::proposals::state::State;
use duban_store::proposals::browse::{self, Filter, Row};
use duban_store::proposals::{self as store, Contact, Event, FollowUp, Proposal, RatingRow, Reply};
use serde::{Deserialize, Serialize};

/// An item with its contacts, replies, ratings, follow-ups, timeline and the steps the
/// reader may take now.
#[derive(Debug, Clone, Serialize)]
pub struct Detail {
    #[serde(flatten)]
    pub item: Proposal,
    pub state_label: &'static str,
    pub contacts: Vec<ContactView>,
    pub replies: Vec<ReplyView>,
    pub ratings: Vec<RatingRow>,
    pub follow_ups: Vec<FollowUpView>,
    pub events: Vec<EventView>,
    /// 未评价: the latest signed reply waits for the lead proposer's rating.
    pub unrated: bool,
    pub steps: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    #[serde(flatten)]
    pub contact: Contact,
    pub held_on: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReplyView {
    #[serde(flatten)]
    pub reply: Reply,
    pub signed_on: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FollowUpView {
    #[serde(flatten)]
    pub follow_up: FollowUp,
    pub reported_on: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    #[serde(flatten)]
    pub event: Event,
    pub at: String,
}

pub async fn detail(state: &AppState, actor: &Actor, id: ProposalId) -> Result<Detail, AppError> {
    let mut tx = state.store.begin_read().await?;
    let item = load_visible(&mut tx, actor, id).await?;
    let contacts = store::contacts(&mut tx, id)
        .await?
        .into_iter()
        .map(|c| ContactView {
            held_on: c.held().to_string(),
            contact: c,
        })
        .collect();
    let replies = store::replies(&mut tx, id)
        .await?
        .into_iter()
        .map(|r| ReplyView {
            signed_on: r.signed().map(|d| d.to_string()),
            reply: r,
        })
        .collect();
    let ratings = store::ratings(&mut tx, id).await?;
    let follow_ups = store::follow_ups(&mut tx, id)
        .await?
        .into_iter()
        .map(|f| FollowUpView {
            reported_on: f.reported_on.to_jiff().to_string(),
            follow_up: f,
        })
        .collect();
    let events = store::events(&mut tx, id)
        .await?
        .into_iter()
        .map(|e| EventView {
            at: e.at.to_jiff().to_string(),
            event: e,
        })
        .collect();
    let mut steps: Vec<&'static str> = StepKind::available(actor, &item)
        .into_iter()
        .map(StepKind::as_str)
        .collect();
    // A proposer who has rated this round has nothing left to rate (a second rating is
    // refused anyway): no form to offer while the item is re-handled.
    if let Some(me) = actor.person
        && steps.contains(&"rate")
        && store::has_rated(&mut tx, id, super::steps::rated_round(&item.handling), me).await?
    {
        steps.retain(|s| *s != "rate");
    }
    Ok(Detail {
        state_label: item.handling.state.label_zh(),
        unrated: item.handling.rating_pending,
        item,
        contacts,
        replies,
        ratings,
        follow_ups,
        events,
        steps,
    })
}

/// The list's filter as a query string.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// The session's year (default this year).
    pub year: Option<i16>,
    /// suggestion | proposal
    pub kind: Option<String>,
    pub state: Option<String>,
    /// Lead unit.
    pub unit_id: Option<i64>,
    pub category: Option<String>,
    /// Only the reader's own items (lead or co-signed).
    pub mine: Option<bool>,
    /// Any substring of the number, title, content or a reply (Chinese included).
    pub q: Option<String>,
    /// Only items overdue today: a reply, a re-handling or a follow-up (续报) owed past its
    /// date.
    pub overdue: Option<bool>,
    /// The page (pages only: the API takes `page` and `per_page` as `api::Paging`).
    #[param(ignore)]
    pub page: Option<i64>,
    #[serde(skip)]
    #[param(ignore)]
    pub per_page: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Listed {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub row: Row,
    pub state_label: &'static str,
    pub reply_due_on: Option<String>,
}

pub struct ListResult {
    pub rows: Vec<Listed>,
    pub total: i64,
    /// How many items of the filter (any state) are in each state, in lifecycle order.
    pub by_state: Vec<(State, i64)>,
}

fn bad_query(field: &'static str) -> AppError {
    AppError::BadQuery(crate::error::FieldError::new(field, "bad_choice"))
}

pub fn listed(rows: Vec<Row>) -> Vec<Listed> {
    rows.into_iter()
        .map(|row| Listed {
            state_label: row.state().map_or("", State::label_zh),
            reply_due_on: row.due().map(|d| d.to_string()),
            row,
        })
        .collect()
}

pub async fn list(state: &AppState, actor: &Actor, q: &ListQuery) -> Result<ListResult, AppError> {
    decide(actor, Action::ViewProposals, Object::City)?;
    let kind = match q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => Some(Kind::parse(k).ok_or_else(|| bad_query("kind"))?),
    };
    let st = match q.state.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => None,
        Some(s) => Some(State::parse(s).ok_or_else(|| bad_query("state"))?),
    };
    let per_page = q.per_page.unwrap_or(50).clamp(1, 200);
    let page = q.page.unwrap_or(1).max(1);
    let filter = Filter {
        year: Some(q.year.unwrap_or(state.today().year())),
        kind,
        state: st,
        lead_unit: q.unit_id.map(UnitId),
        category: q.category.clone().filter(|c| !c.trim().is_empty()),
        person: if q.mine.unwrap_or(false) {
            Some(actor.person.unwrap_or(PersonId(0)))
        } else {
            None
        },
        text: q.q.clone(),
        ids: None,
        overdue_on: q.overdue.unwrap_or(false).then(|| state.today()),
        scope: scope(actor),
        limit: per_page,
        offset: (page - 1) * per_page,
    };
    let mut tx = state.store.begin_read().await?;
    let (rows, total) = browse::list(&mut tx, &filter).await?;
    let counts = browse::count_by_state(&mut tx, &filter).await?;
    let by_state = State::ALL
        .into_iter()
        .filter_map(|s| {
            counts
                .iter()
                .find(|(k, _)| k == s.as_str())
                .map(|(_, n)| (s, *n))
        })
        .collect();
    Ok(ListResult {
        rows: listed(rows),
        total,
        by_state,
    })
}

/// The active units as (id, short name), for the hand-out and reassignment forms.
pub async fn units(state: &AppState) -> Result<Vec<(i64, String)>, AppError> {
    let mut tx = state.store.begin_read().await?;
    let units =
        duban_store::org::list_units(&mut tx, &duban_store::org::UnitFilter::default()).await?;
    Ok(units.into_iter().map(|u| (u.id, u.short_name)).collect())
}
