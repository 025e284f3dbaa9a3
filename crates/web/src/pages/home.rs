//! "My work": the signed-in home page. For now it shows who you are, your unit and scope,
//! the year's campaigns and where to go next; later issues add tasks and reports due.

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
    render(HomePage {
        ctx,
        home_unit,
        scope_units,
        portfolio,
        campaigns,
        year,
    })
}
