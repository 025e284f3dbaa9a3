//! "My work": the signed-in home page: who you are, your unit and scope, the year's campaigns,
//! and the lists' to-dos (tasks naming you, your unit's list, reviews and change requests
//! waiting for the office). Later issues add reports due and cases.

use super::render;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use duban_core::policy::{Action, Object};
use duban_store::campaigns::{self, Campaign};
use duban_store::org::{self as org_store, Unit};
use duban_store::portfolios::{self, Portfolio, PortfolioFilter};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: Ctx,
    home_unit: Option<Unit>,
    scope_units: Vec<Unit>,
    portfolio: Vec<Portfolio>,
    campaigns: Vec<Campaign>,
    year: i16,
    todos: Vec<Todo>,
}

/// A link on the to-do card: catalog key, count, where it leads.
pub struct Todo {
    key: &'static str,
    count: i64,
    href: String,
}

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewHome, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    let home_unit = match ctx.actor.scope.home_unit {
        Some(u) => Some(org_store::get_unit(&mut tx, u).await?),
        None => None,
    };
    let today = state.today();
    let portfolio = match ctx.actor.person {
        Some(p) => {
            let f = PortfolioFilter {
                leader: Some(p),
                unit: None,
                on: Some(today),
            };
            portfolios::list_portfolios(&mut tx, &f).await?
        }
        None => vec![],
    };
    // Task forces and HQs the person belongs to (the portfolio has its own card).
    let mut scope_units = Vec::new();
    for u in &ctx.actor.scope.units {
        let in_portfolio = portfolio.iter().any(|p| p.unit_id == u.0);
        if Some(*u) != ctx.actor.scope.home_unit && !in_portfolio {
            scope_units.push(org_store::get_unit(&mut tx, *u).await?);
        }
    }
    let year = today.year();
    let campaigns = campaigns::list_campaigns(&mut tx, i64::from(year)).await?;
    let mut todos = if ctx.may(Action::ViewTasks, Object::City) {
        todos(&mut tx, &ctx, year).await?
    } else {
        vec![]
    };
    todos.extend(case_todos(&mut tx, &ctx, today).await?);
    drop(tx);
    if ctx.may(Action::ViewTasks, Object::City) {
        todos.extend(report_todos(&state, &ctx).await?);
    }
    todos.extend(proposal_todos(&state, &ctx).await?);
    render(HomePage {
        ctx,
        home_unit,
        scope_units,
        portfolio,
        campaigns,
        year,
        todos,
    })
}

/// Counts of what waits for this user in the lists, each linking to the filtered list.
async fn todos(tx: &mut duban_store::Tx, ctx: &Ctx, year: i16) -> Result<Vec<Todo>, AppError> {
    use duban_core::lists::state::TaskState;
    use duban_store::lists::browse::{TaskFilter, list_tasks};
    let base = TaskFilter {
        year: Some(year),
        scope: crate::service::lists::reader_scope(&ctx.actor),
        limit: 1,
        ..Default::default()
    };
    let mut out = Vec::new();
    if let Some(p) = ctx.actor.person {
        let f = TaskFilter {
            named: Some(p),
            ..base.clone()
        };
        let n = list_tasks(&mut *tx, &f).await?.1;
        out.push(Todo {
            key: "home.my_tasks",
            count: n,
            href: format!("/lists?year={year}&mine=1"),
        });
    }
    if let Some(u) = ctx.actor.scope.home_unit
        && crate::pages::lists::may_write_lists(ctx)
        && !ctx.may(Action::ReviewTask, Object::City)
    {
        for (key, state) in [
            ("home.unit_drafts", TaskState::Draft),
            ("home.unit_returned", TaskState::Returned),
        ] {
            let f = TaskFilter {
                lead_unit: Some(u),
                state: Some(state),
                ..base.clone()
            };
            let n = list_tasks(&mut *tx, &f).await?.1;
            out.push(Todo {
                key,
                count: n,
                href: format!(
                    "/lists?year={year}&unit={}&lead=1&state={}",
                    u.0,
                    state.as_str()
                ),
            });
        }
    }
    if ctx.may(Action::ReviewTask, Object::City) {
        let f = TaskFilter {
            state: Some(TaskState::Submitted),
            ..base.clone()
        };
        let n = list_tasks(&mut *tx, &f).await?.1;
        out.push(Todo {
            key: "home.to_review",
            count: n,
            href: format!("/lists?year={year}&state=submitted"),
        });
        let n = duban_store::lists::review::list_pending_changes(&mut *tx, 1000)
            .await?
            .len() as i64;
        out.push(Todo {
            key: "home.changes",
            count: n,
            href: "/lists/changes".into(),
        });
    }
    Ok(out)
}

/// Reports waiting for this user: tasks to report this period, reports to approve (heads)
/// or to accept (the office).
async fn report_todos(state: &AppState, ctx: &Ctx) -> Result<Vec<Todo>, AppError> {
    let q = crate::service::progress::queues::queues(
        state,
        &ctx.actor,
        &crate::service::progress::queues::QueueQuery::default(),
    )
    .await?;
    let unsent = q
        .due
        .iter()
        .filter(|t| {
            t.report_state
                .as_deref()
                .is_none_or(|s| s == "draft" || s == "returned")
        })
        .count() as i64;
    let mut out = Vec::new();
    if !q.due.is_empty() {
        out.push(Todo {
            key: "home.reports_due",
            count: unsent,
            href: "/reports".into(),
        });
    }
    if ctx.actor.role == Some(duban_core::role::Role::UnitHead) {
        out.push(Todo {
            key: "home.reports_to_approve",
            count: q.to_approve_count,
            href: "/reports".into(),
        });
    }
    if ctx.may(Action::AcceptReport, Object::City) {
        out.push(Todo {
            key: "home.reports_to_accept",
            count: q.to_accept_count,
            href: "/reports".into(),
        });
    }
    Ok(out)
}

/// Counts of cases waiting for this user: the unit's cases to acknowledge and in hand, the
/// office's claims to verify and requests to decide, red lights in scope, a deputy's own.
async fn case_todos(
    tx: &mut duban_store::Tx,
    ctx: &Ctx,
    today: jiff::civil::Date,
) -> Result<Vec<Todo>, AppError> {
    use duban_core::cases::state::CaseState;
    use duban_core::cases::timeliness::Light;
    use duban_store::cases::browse::{CaseFilter, LightFilter, count_cases};
    let base = CaseFilter {
        scope: crate::service::cases::case_scope(&ctx.actor),
        ..Default::default()
    };
    let mut out = Vec::new();
    let mut push = |key: &'static str, count: i64, href: String| {
        out.push(Todo { key, count, href });
    };
    let handles = ctx.actor.role.is_some_and(|r| {
        matches!(
            r,
            duban_core::role::Role::UnitHead | duban_core::role::Role::UnitLiaison
        )
    });
    if let (Some(u), true) = (ctx.actor.scope.home_unit, handles) {
        for (key, state) in [
            ("home.cases_to_ack", CaseState::Assigned),
            ("home.cases_handling", CaseState::Handling),
        ] {
            let f = CaseFilter {
                unit: Some(u),
                state: Some(state),
                ..base.clone()
            };
            let n = count_cases(tx, &f).await?;
            push(
                key,
                n,
                format!("/cases?unit={}&state={}", u.0, state.as_str()),
            );
        }
    }
    if ctx.may(Action::ManageCase, Object::City) {
        for (key, state) in [
            ("home.cases_to_verify", CaseState::CompletionClaimed),
            ("home.cases_returns", CaseState::ReturnRequested),
            ("home.cases_to_assign", CaseState::Registered),
        ] {
            let f = CaseFilter {
                state: Some(state),
                ..base.clone()
            };
            let n = count_cases(tx, &f).await?;
            push(key, n, format!("/cases?state={}", state.as_str()));
        }
    }
    if ctx.actor.role == Some(duban_core::role::Role::Deputy) {
        let f = CaseFilter {
            raised_by: ctx.actor.person,
            ..base.clone()
        };
        let n = count_cases(tx, &f).await?;
        push("home.cases_raised", n, "/cases?mine=1".into());
    } else {
        let f = CaseFilter {
            light: Some(LightFilter {
                light: Light::Red,
                today,
                soon_until: today,
            }),
            ..base.clone()
        };
        let n = count_cases(tx, &f).await?;
        push("home.cases_red", n, "/cases?light=red&state=open".into());
    }
    Ok(out)
}

/// Suggestions and proposals waiting for this user: a deputy's or member's replies to rate
/// (and all their items); a unit's items to sign in and to answer.
async fn proposal_todos(state: &AppState, ctx: &Ctx) -> Result<Vec<Todo>, AppError> {
    use crate::service::proposals::view::{ListQuery, list};
    use duban_core::proposals::state::State as P;
    use duban_core::role::Role;
    let wanted: &[(&'static str, Option<P>, bool)] = match ctx.actor.role {
        Some(Role::Deputy) => &[
            ("home.proposals_to_rate", Some(P::Replied), true),
            ("home.proposals_mine", None, true),
        ],
        Some(Role::UnitHead | Role::UnitLiaison) => &[
            ("home.proposals_to_sign_in", Some(P::HandedOut), false),
            ("home.proposals_handling", Some(P::Handling), false),
        ],
        _ => &[],
    };
    let mut out = Vec::new();
    for (key, st, mine) in wanted {
        let q = ListQuery {
            state: st.map(|s| s.as_str().to_string()),
            mine: Some(*mine),
            per_page: Some(1),
            ..ListQuery::default()
        };
        let count = list(state, &ctx.actor, &q).await?.total;
        let page = if *mine {
            "/proposals/mine"
        } else {
            "/proposals"
        };
        let href = match &q.state {
            Some(s) => format!("{page}?state={s}"),
            None => page.to_string(),
        };
        out.push(Todo { key, count, href });
    }
    Ok(out)
}
