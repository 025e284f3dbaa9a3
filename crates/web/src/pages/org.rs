//! Browsing the organisation: units by kind, a unit with its sections, posts, people and
//! leaders, people, a person, and the leaders' portfolios. Every page asks the policy; the
//! lists only show what the viewer's scope allows.

use super::render;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use duban_core::org::{PersonId, UnitId, UnitKind};
use duban_core::policy::{Action, Object};
use duban_store::org::{self as org_store, Post, Section, Unit, UnitFilter};
use duban_store::people::{self, Member, Person, PersonFilter};
use duban_store::portfolios::{self, Portfolio, PortfolioFilter};
use serde::Deserialize;

/// A group of units of one kind, for the directory.
pub struct KindGroup {
    pub kind: &'static str,
    pub units: Vec<(Unit, bool)>,
}

#[derive(Template)]
#[template(path = "org/directory.html")]
struct DirectoryPage {
    ctx: Ctx,
    groups: Vec<KindGroup>,
    selected: String,
    include_inactive: bool,
    notice: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct DirectoryQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    inactive: Option<String>,
    #[serde(default)]
    ok: Option<String>,
}

pub async fn directory(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DirectoryQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewDirectory, Object::City)?;
    let kind = UnitKind::parse(&q.kind);
    let include_inactive =
        q.inactive.is_some() && ctx.actor.role.is_some_and(|r| r.sees_whole_city());
    let mut tx = state.store.begin_read().await?;
    let units = org_store::list_units(
        &mut tx,
        &UnitFilter {
            kind,
            include_inactive,
        },
    )
    .await?;
    let groups = UnitKind::ALL
        .into_iter()
        .filter(|k| kind.is_none_or(|sel| sel == *k))
        .map(|k| KindGroup {
            kind: k.as_str(),
            units: units
                .iter()
                .filter(|u| u.kind() == k)
                .map(|u| {
                    (
                        u.clone(),
                        ctx.may(
                            Action::ViewUnit,
                            Object::Unit {
                                id: u.unit_id(),
                                active: u.active,
                            },
                        ),
                    )
                })
                .collect(),
        })
        .filter(|g| !g.units.is_empty())
        .collect();
    let notice = super::Notice {
        ok: q.ok,
        err: None,
    }
    .key();
    render(DirectoryPage {
        ctx,
        groups,
        selected: q.kind,
        include_inactive,
        notice,
    })
}

#[derive(Template)]
#[template(path = "org/unit.html")]
struct UnitPage {
    ctx: Ctx,
    unit: Unit,
    parent: Option<Unit>,
    sections: Vec<(Section, Vec<Post>)>,
    loose_posts: Vec<Post>,
    people: Vec<Person>,
    members: Vec<Member>,
    leaders: Vec<Portfolio>,
    notice: Option<&'static str>,
    /// A problem from one of the inline forms: (field, catalog key of the message).
    problem: Option<(String, String)>,
}

pub async fn unit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(notice): Query<super::Notice>,
) -> Result<Response, AppError> {
    let mut tx = state.store.begin_read().await?;
    let unit = org_store::get_unit(&mut tx, UnitId(id)).await?;
    ctx.authorize(
        Action::ViewUnit,
        Object::Unit {
            id: unit.unit_id(),
            active: unit.active,
        },
    )?;
    let admin = ctx.is_admin();
    let parent = match unit.parent_id {
        Some(p) => Some(org_store::get_unit(&mut tx, UnitId(p)).await?),
        None => None,
    };
    let all_sections = org_store::list_sections(&mut tx, unit.unit_id(), admin).await?;
    let all_posts = org_store::list_posts(&mut tx, unit.unit_id(), admin).await?;
    let sections = all_sections
        .into_iter()
        .map(|s| {
            let posts = all_posts
                .iter()
                .filter(|p| p.section_id == Some(s.id))
                .cloned()
                .collect();
            (s, posts)
        })
        .collect();
    let loose_posts = all_posts
        .iter()
        .filter(|p| p.section_id.is_none())
        .cloned()
        .collect();
    let filter = PersonFilter {
        unit: Some(unit.unit_id()),
        include_inactive: admin,
        limit: 500,
        ..Default::default()
    };
    let people = people::list_people(&mut tx, &filter).await?;
    let members = people::list_unit_members(&mut tx, unit.unit_id()).await?;
    let leaders = portfolios::list_portfolios(
        &mut tx,
        &PortfolioFilter {
            leader: None,
            unit: Some(unit.unit_id()),
            on: Some(state.today()),
        },
    )
    .await?;
    let problem = notice.problem(&ctx);
    render(UnitPage {
        ctx,
        unit,
        parent,
        sections,
        loose_posts,
        people,
        members,
        leaders,
        problem,
        notice: notice.key(),
    })
}

#[derive(Template)]
#[template(path = "org/people.html")]
struct PeoplePage {
    ctx: Ctx,
    people: Vec<Person>,
    q: String,
    page: i64,
    has_more: bool,
}

#[derive(Deserialize, Default)]
pub struct PeopleQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<i64>,
}

const PAGE_SIZE: i64 = 50;

pub async fn people(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PeopleQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewDirectory, Object::City)?;
    let whole_city = ctx.actor.role.is_some_and(|r| r.sees_whole_city());
    let page = q.page.unwrap_or(1).max(1);
    let filter = PersonFilter {
        unit: None,
        units_in: (!whole_city).then(|| ctx.actor.scope.units.iter().copied().collect()),
        text: Some(q.q.trim().to_string()).filter(|t| !t.is_empty()),
        include_inactive: ctx.is_admin(),
        limit: PAGE_SIZE + 1,
        offset: (page - 1) * PAGE_SIZE,
        ..Default::default()
    };
    let mut tx = state.store.begin_read().await?;
    let mut people = people::list_people(&mut tx, &filter).await?;
    let has_more = people.len() as i64 > PAGE_SIZE;
    people.truncate(PAGE_SIZE as usize);
    render(PeoplePage {
        ctx,
        people,
        q: q.q,
        page,
        has_more,
    })
}

#[derive(Template)]
#[template(path = "org/person.html")]
struct PersonPage {
    ctx: Ctx,
    person: Person,
    portfolio: Vec<Portfolio>,
    memberships: Vec<Unit>,
    notice: Option<&'static str>,
    temp_password: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct PersonQuery {
    #[serde(default)]
    ok: Option<String>,
}

pub async fn person(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<PersonQuery>,
) -> Result<Response, AppError> {
    person_page(
        &state,
        ctx,
        PersonId(id),
        super::Notice {
            ok: q.ok,
            err: None,
        }
        .key(),
        None,
    )
    .await
}

/// The person page, also shown right after a password reset with the one-time password.
pub async fn person_page(
    state: &AppState,
    ctx: Ctx,
    id: PersonId,
    notice: Option<&'static str>,
    temp_password: Option<String>,
) -> Result<Response, AppError> {
    let mut tx = state.store.begin_read().await?;
    let person = people::get_person(&mut tx, id).await?;
    ctx.authorize(
        Action::ViewPerson,
        Object::Person {
            id,
            unit: person.home_unit(),
            active: person.active,
        },
    )?;
    let today = state.today();
    let portfolio = portfolios::list_portfolios(
        &mut tx,
        &PortfolioFilter {
            leader: Some(id),
            unit: None,
            on: None,
        },
    )
    .await?;
    let mut memberships = Vec::new();
    for (u, primary) in people::member_units(&mut tx, id, today).await? {
        if !primary {
            memberships.push(org_store::get_unit(&mut tx, u).await?);
        }
    }
    render(PersonPage {
        ctx,
        person,
        portfolio,
        memberships,
        notice,
        temp_password,
    })
}

#[derive(Template)]
#[template(path = "org/portfolios.html")]
struct PortfoliosPage {
    ctx: Ctx,
    leaders: Vec<(String, String, Vec<Portfolio>)>,
    history: bool,
    today: String,
    leader_choices: Vec<Person>,
    unit_choices: Vec<Unit>,
    errors: Vec<crate::error::FieldError>,
    notice: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct PortfoliosQuery {
    #[serde(default)]
    history: Option<String>,
    #[serde(default)]
    ok: Option<String>,
}

pub async fn portfolios(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PortfoliosQuery>,
) -> Result<Response, AppError> {
    let notice = super::Notice {
        ok: q.ok,
        err: None,
    }
    .key();
    portfolios_page(&state, ctx, q.history.is_some(), vec![], notice).await
}

pub async fn portfolios_page(
    state: &AppState,
    ctx: Ctx,
    history: bool,
    errors: Vec<crate::error::FieldError>,
    notice: Option<&'static str>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewPortfolios, Object::City)?;
    let today = state.today();
    let mut tx = state.store.begin_read().await?;
    let all = portfolios::list_portfolios(
        &mut tx,
        &PortfolioFilter {
            leader: None,
            unit: None,
            on: (!history).then_some(today),
        },
    )
    .await?;
    let mut leaders: Vec<(String, String, Vec<Portfolio>)> = Vec::new();
    for pf in all {
        match leaders.last_mut() {
            Some((name, _, list))
                if *name == pf.leader_name && list[0].leader_id == pf.leader_id =>
            {
                list.push(pf)
            }
            _ => leaders.push((pf.leader_name.clone(), pf.leader_title.clone(), vec![pf])),
        }
    }
    let (leader_choices, unit_choices) = if ctx.is_admin() {
        let filter = PersonFilter {
            leaders_only: true,
            limit: 200,
            ..Default::default()
        };
        let leaders = people::list_people(&mut tx, &filter).await?;
        (
            leaders,
            org_store::list_units(&mut tx, &UnitFilter::default()).await?,
        )
    } else {
        (vec![], vec![])
    };
    render(PortfoliosPage {
        ctx,
        leaders,
        history,
        today: today.to_string(),
        leader_choices,
        unit_choices,
        errors,
        notice,
    })
}
