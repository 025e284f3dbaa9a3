//! Units, people and portfolios over JSON. Lists are filtered to the caller's scope by the
//! same policy as the pages.

use super::{ApiBody, Paging};
use super::{ApiPath, ApiQuery};
use crate::auth::ApiUser;
use crate::error::{ApiError, AppError};
use crate::service::{self, org::UnitInput};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use duban_core::org::{PersonId, UnitId, UnitKind};
use duban_core::policy::{Action, Object, decide};
use duban_store::{org as org_store, people, portfolios};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct UnitResponse {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub short_name: String,
    /// leadership, department, town, command_hq, task_force or supervision_office.
    pub kind: String,
    pub parent_id: Option<i64>,
    pub active: bool,
    /// Whether the caller may open the unit's sections, posts and people.
    pub in_scope: bool,
}

fn unit_response(u: org_store::Unit, in_scope: bool) -> UnitResponse {
    UnitResponse {
        id: u.id,
        code: u.code,
        name: u.name,
        short_name: u.short_name,
        kind: u.kind,
        parent_id: u.parent_id,
        active: u.active,
        in_scope,
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitListQuery {
    /// Only units of this kind.
    pub kind: Option<String>,
}

/// The units of the city (names and kinds are visible to every signed-in user).
#[utoipa::path(get, path = "/api/v1/units", tag = "organisation", security(("bearer" = [])), params(UnitListQuery),
    responses((status = 200, body = Vec<UnitResponse>), (status = 400, description = "unknown kind"), (status = 401, description = "not signed in")))]
pub async fn list_units(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<UnitListQuery>,
) -> Result<Json<Vec<UnitResponse>>, ApiError> {
    decide(&api.actor, Action::ViewDirectory, Object::City)?;
    let kind = match q.kind.as_deref() {
        None | Some("") => None,
        Some(k) => Some(
            UnitKind::parse(k)
                .ok_or_else(|| AppError::BadRequest(format!("unknown kind `{k}`")))?,
        ),
    };
    let mut tx = state.store.begin_read().await?;
    let units = org_store::list_units(
        &mut tx,
        &org_store::UnitFilter {
            kind,
            include_inactive: false,
        },
    )
    .await?;
    Ok(Json(
        units
            .into_iter()
            .map(|u| {
                let in_scope = decide(
                    &api.actor,
                    Action::ViewUnit,
                    Object::Unit {
                        id: u.unit_id(),
                        active: u.active,
                    },
                )
                .is_ok();
                unit_response(u, in_scope)
            })
            .collect(),
    ))
}

/// One unit (only within the caller's scope).
#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "organisation", security(("bearer" = [])),
    params(("id" = i64, Path, description = "unit id")),
    responses((status = 200, body = UnitResponse), (status = 403, description = "outside your scope"), (status = 404, description = "no such unit")))]
pub async fn get_unit(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<UnitResponse>, ApiError> {
    let mut tx = state.store.begin_read().await?;
    let u = org_store::get_unit(&mut tx, UnitId(id)).await?;
    decide(
        &api.actor,
        Action::ViewUnit,
        Object::Unit {
            id: u.unit_id(),
            active: u.active,
        },
    )?;
    Ok(Json(unit_response(u, true)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitRequest {
    /// Stable code: lowercase letters, digits and '-', starting with a letter.
    pub code: String,
    pub name: String,
    /// The usual short form (经信局); defaults to the name.
    #[serde(default)]
    pub short_name: Option<String>,
    pub kind: String,
    #[serde(default)]
    pub parent_id: Option<i64>,
    #[serde(default)]
    pub sort_order: Option<i64>,
}

impl From<UnitRequest> for UnitInput {
    fn from(r: UnitRequest) -> UnitInput {
        UnitInput {
            code: r.code,
            name: r.name,
            short_name: r.short_name.unwrap_or_default(),
            kind: r.kind,
            parent_id: r.parent_id,
            sort_order: r.sort_order,
        }
    }
}

/// Create a unit (admin).
#[utoipa::path(post, path = "/api/v1/units", tag = "organisation", security(("bearer" = [])), request_body = UnitRequest,
    responses((status = 201, body = UnitResponse), (status = 400, description = "malformed JSON"), (status = 403, description = "not an admin"), (status = 422, description = "invalid fields")))]
pub async fn create_unit(
    State(state): State<AppState>,
    api: ApiUser,
    body: ApiBody,
) -> Result<(StatusCode, Json<UnitResponse>), ApiError> {
    decide(&api.actor, Action::ManageOrg, Object::City)?;
    let req: UnitRequest = body.parse()?;
    let id = service::org::create_unit(&state, &api.actor, &req.into()).await?;
    let mut tx = state.store.begin_read().await?;
    Ok((
        StatusCode::CREATED,
        Json(unit_response(org_store::get_unit(&mut tx, id).await?, true)),
    ))
}

/// Replace a unit's fields (admin).
#[utoipa::path(put, path = "/api/v1/units/{id}", tag = "organisation", security(("bearer" = [])), request_body = UnitRequest,
    params(("id" = i64, Path, description = "unit id")),
    responses((status = 200, body = UnitResponse), (status = 400, description = "malformed JSON"), (status = 403, description = "not an admin"), (status = 404, description = "no such unit"), (status = 422, description = "invalid fields")))]
pub async fn update_unit(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
    body: ApiBody,
) -> Result<Json<UnitResponse>, ApiError> {
    decide(&api.actor, Action::ManageOrg, Object::City)?;
    let req: UnitRequest = body.parse()?;
    service::org::update_unit(&state, &api.actor, UnitId(id), &req.into()).await?;
    let mut tx = state.store.begin_read().await?;
    Ok(Json(unit_response(
        org_store::get_unit(&mut tx, UnitId(id)).await?,
        true,
    )))
}

#[derive(Serialize, ToSchema)]
pub struct PersonResponse {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub mobile: Option<String>,
    pub active: bool,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub section_name: Option<String>,
    pub post_name: Option<String>,
    pub username: Option<String>,
    pub role: Option<String>,
}

fn person_response(p: people::Person) -> PersonResponse {
    PersonResponse {
        id: p.id,
        name: p.name,
        title: p.title,
        mobile: p.mobile,
        active: p.active,
        unit_id: p.unit_id,
        unit_name: p.unit_name,
        section_name: p.section_name,
        post_name: p.post_name,
        username: p.username,
        role: p.role,
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleQuery {
    /// Only people of this unit.
    pub unit: Option<i64>,
    /// Part of a name, title or user name.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// People in the caller's scope.
#[utoipa::path(get, path = "/api/v1/people", tag = "organisation", security(("bearer" = [])), params(PeopleQuery),
    responses((status = 200, body = Vec<PersonResponse>), (status = 401, description = "not signed in"), (status = 403, description = "unit outside your scope")))]
pub async fn list_people(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<PeopleQuery>,
) -> Result<Json<Vec<PersonResponse>>, ApiError> {
    decide(&api.actor, Action::ViewDirectory, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    if let Some(u) = q.unit {
        let unit = org_store::get_unit(&mut tx, UnitId(u)).await?;
        decide(
            &api.actor,
            Action::ViewUnit,
            Object::Unit {
                id: unit.unit_id(),
                active: unit.active,
            },
        )?;
    }
    let whole_city = api.actor.role.is_some_and(|r| r.sees_whole_city());
    let (limit, offset) = Paging {
        page: q.page,
        per_page: q.per_page,
    }
    .limit_offset()?;
    let filter = people::PersonFilter {
        unit: q.unit.map(UnitId),
        units_in: (!whole_city).then(|| api.actor.scope.units.iter().copied().collect()),
        text: q.q.filter(|t| !t.trim().is_empty()),
        include_inactive: false,
        limit,
        offset,
        ..Default::default()
    };
    let list = people::list_people(&mut tx, &filter).await?;
    Ok(Json(list.into_iter().map(person_response).collect()))
}

/// One person (only within the caller's scope).
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "organisation", security(("bearer" = [])),
    params(("id" = i64, Path, description = "person id")),
    responses((status = 200, body = PersonResponse), (status = 403, description = "outside your scope"), (status = 404, description = "no such person")))]
pub async fn get_person(
    State(state): State<AppState>,
    api: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PersonResponse>, ApiError> {
    let mut tx = state.store.begin_read().await?;
    let p = people::get_person(&mut tx, PersonId(id)).await?;
    decide(
        &api.actor,
        Action::ViewPerson,
        Object::Person {
            id: p.person_id(),
            unit: p.home_unit(),
            active: p.active,
        },
    )?;
    Ok(Json(person_response(p)))
}

#[derive(Serialize, ToSchema)]
pub struct PortfolioResponse {
    pub id: i64,
    pub leader_id: i64,
    pub leader_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    /// First day, ISO date.
    pub valid_from: String,
    /// Last day, ISO date; absent while open.
    pub valid_to: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PortfolioQuery {
    pub leader: Option<i64>,
    pub unit: Option<i64>,
    /// Only portfolios valid on this date (YYYY-MM-DD); default today. `all` lists history.
    pub on: Option<String>,
}

/// Leader portfolios (分管), today's by default.
#[utoipa::path(get, path = "/api/v1/portfolios", tag = "organisation", security(("bearer" = [])), params(PortfolioQuery),
    responses((status = 200, body = Vec<PortfolioResponse>), (status = 400, description = "bad date"), (status = 401, description = "not signed in")))]
pub async fn list_portfolios(
    State(state): State<AppState>,
    api: ApiUser,
    ApiQuery(q): ApiQuery<PortfolioQuery>,
) -> Result<Json<Vec<PortfolioResponse>>, ApiError> {
    decide(&api.actor, Action::ViewPortfolios, Object::City)?;
    let on = match q.on.as_deref() {
        None | Some("") => Some(state.today()),
        Some("all") => None,
        Some(d) => Some(d.parse::<jiff::civil::Date>().map_err(|_| {
            AppError::BadRequest(format!("`on`: `{d}` is not a date like 2026-06-30"))
        })?),
    };
    let mut tx = state.store.begin_read().await?;
    let filter = portfolios::PortfolioFilter {
        leader: q.leader.map(PersonId),
        unit: q.unit.map(UnitId),
        on,
    };
    let list = portfolios::list_portfolios(&mut tx, &filter).await?;
    Ok(Json(
        list.into_iter()
            .map(|p| PortfolioResponse {
                id: p.id,
                leader_id: p.leader_id,
                leader_name: p.leader_name,
                unit_id: p.unit_id,
                unit_name: p.unit_name,
                valid_from: p.valid_from.to_string(),
                valid_to: p.valid_to.map(|d| d.to_string()),
            })
            .collect(),
    ))
}
