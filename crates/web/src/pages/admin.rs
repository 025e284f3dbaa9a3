//! The admin's forms: units, sections, posts, people and portfolios. Each
//! handler asks the service (which asks the policy) and re-renders the form with every field
//! problem beside its field.

use super::render;
use crate::auth::{CsrfForm, Ctx};
use crate::error::{AppError, FieldError};
use crate::service::{self, org::UnitInput, people::PersonInput, portfolios::PortfolioInput};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::org::{PersonId, PortfolioId, PostId, SectionId, UnitId, UnitKind};
use duban_core::policy::{Action, Object};
use duban_core::role::Role;
use duban_store::org::{self as org_store, Post, Section, Unit, UnitFilter};
use duban_store::people;
use serde::Deserialize;

/// Form values come in as text; empty optional numbers are `None`.
fn opt_id(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

#[derive(Template)]
#[template(path = "admin/unit_form.html")]
struct UnitFormPage {
    ctx: Ctx,
    id: Option<i64>,
    form: UnitForm,
    errors: Vec<FieldError>,
    parents: Vec<Unit>,
    kinds: Vec<&'static str>,
}

impl UnitFormPage {
    /// The text inputs: field name, value, hint key.
    fn text_fields(&self) -> Vec<(&'static str, String, &'static str)> {
        vec![
            ("name", self.form.name.clone(), ""),
            (
                "short_name",
                self.form.short_name.clone(),
                "unit.short_name_hint",
            ),
            ("code", self.form.code.clone(), "unit.code_hint"),
            ("sort_order", self.form.sort_order.clone(), ""),
        ]
    }

    fn error(&self, field: &str) -> Option<String> {
        self.ctx.error_for(&self.errors, field)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct UnitForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    sort_order: String,
}

impl UnitForm {
    fn input(&self) -> UnitInput {
        UnitInput {
            code: self.code.clone(),
            name: self.name.clone(),
            short_name: self.short_name.clone(),
            kind: self.kind.clone(),
            parent_id: opt_id(&self.parent_id),
            sort_order: self.sort_order.trim().parse().ok(),
        }
    }
}

async fn unit_form(
    state: &AppState,
    ctx: Ctx,
    id: Option<i64>,
    form: UnitForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageOrg, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    let parents = org_store::list_units(&mut tx, &UnitFilter::default()).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let kinds = UnitKind::ALL.iter().map(|k| k.as_str()).collect();
    Ok((
        status,
        render(UnitFormPage {
            ctx,
            id,
            form,
            errors,
            parents,
            kinds,
        })?,
    )
        .into_response())
}

pub async fn new_unit(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let form = UnitForm {
        kind: "department".into(),
        ..Default::default()
    };
    unit_form(&state, ctx, None, form, vec![]).await
}

pub async fn create_unit(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<UnitForm>,
) -> Result<Response, AppError> {
    match service::org::create_unit(&state, &ctx.actor, &f.input()).await {
        Ok(id) => Ok(Redirect::to(&format!("/org/units/{id}?ok=created")).into_response()),
        Err(AppError::Invalid(errors)) => unit_form(&state, ctx, None, f, errors).await,
        Err(e) => Err(e),
    }
}

pub async fn edit_unit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageOrg, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    let u = org_store::get_unit(&mut tx, UnitId(id)).await?;
    let form = UnitForm {
        code: u.code,
        name: u.name,
        short_name: u.short_name,
        kind: u.kind,
        parent_id: u.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        sort_order: u.sort_order.to_string(),
    };
    unit_form(&state, ctx, Some(id), form, vec![]).await
}

pub async fn update_unit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<UnitForm>,
) -> Result<Response, AppError> {
    match service::org::update_unit(&state, &ctx.actor, UnitId(id), &f.input()).await {
        Ok(()) => Ok(Redirect::to(&format!("/org/units/{id}?ok=saved")).into_response()),
        Err(AppError::Invalid(errors)) => unit_form(&state, ctx, Some(id), f, errors).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct ActiveForm {
    #[serde(default)]
    active: String,
}

impl ActiveForm {
    fn active(&self) -> bool {
        matches!(self.active.as_str(), "1" | "true" | "on")
    }
    fn notice(&self) -> &'static str {
        if self.active() {
            "activated"
        } else {
            "deactivated"
        }
    }
}

pub async fn set_unit_active(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ActiveForm>,
) -> Result<Response, AppError> {
    service::org::set_unit_active(&state, &ctx.actor, UnitId(id), f.active()).await?;
    Ok(Redirect::to(&format!("/org/units/{id}?ok={}", f.notice())).into_response())
}

#[derive(Deserialize)]
pub struct SectionForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    active: Option<String>,
}

pub async fn add_section(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<SectionForm>,
) -> Result<Response, AppError> {
    let r = service::org::add_section(&state, &ctx.actor, UnitId(id), &f.name).await;
    back_to_unit(id, r.map(|_| ()), "created")
}

pub async fn update_section(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<SectionForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageOrg, Object::City)?;
    let active = f.active.as_deref() != Some("0");
    let mut tx = state.store.begin_read().await?;
    let unit = org_store::get_section(&mut tx, SectionId(id))
        .await?
        .unit_id;
    drop(tx);
    let r = service::org::update_section(&state, &ctx.actor, SectionId(id), &f.name, active).await;
    back_to_unit(unit, r.map(|_| ()), "saved")
}

#[derive(Deserialize)]
pub struct PostForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    section_id: String,
}

pub async fn add_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<PostForm>,
) -> Result<Response, AppError> {
    let section = opt_id(&f.section_id).map(SectionId);
    let r = service::org::add_post(&state, &ctx.actor, UnitId(id), section, &f.name).await;
    back_to_unit(id, r.map(|_| ()), "created")
}

pub async fn set_post_active(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ActiveForm>,
) -> Result<Response, AppError> {
    let unit = service::org::set_post_active(&state, &ctx.actor, PostId(id), f.active()).await?;
    Ok(Redirect::to(&format!("/org/units/{unit}?ok={}", f.notice())).into_response())
}

#[derive(Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    login: String,
}

pub async fn add_member(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<MemberForm>,
) -> Result<Response, AppError> {
    let r = service::people::add_member(&state, &ctx.actor, UnitId(id), &f.login).await;
    back_to_unit(id, r.map(|_| ()), "saved")
}

pub async fn remove_member(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, person)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    service::people::remove_member(&state, &ctx.actor, UnitId(id), PersonId(person)).await?;
    Ok(Redirect::to(&format!("/org/units/{id}?ok=saved")).into_response())
}

/// The small inline forms on the unit page return to it; a field problem is shown there
/// (`?err=field.code`), anything else is an error page.
fn back_to_unit(unit: i64, r: Result<(), AppError>, ok: &str) -> Result<Response, AppError> {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/org/units/{unit}?ok={ok}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let first = errors
                .first()
                .map(|e| format!("{}.{}", e.field, e.code))
                .unwrap_or_default();
            Ok(Redirect::to(&format!("/org/units/{unit}?err={first}")).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "admin/person_form.html")]
struct PersonFormPage {
    ctx: Ctx,
    id: Option<i64>,
    form: PersonForm,
    errors: Vec<FieldError>,
    units: Vec<Unit>,
    sections: Vec<Section>,
    posts: Vec<Post>,
    roles: Vec<&'static str>,
    has_account: bool,
}

impl PersonFormPage {
    /// The text inputs: field name and value.
    fn text_fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("name", self.form.name.clone()),
            ("title", self.form.title.clone()),
            ("mobile", self.form.mobile.clone()),
        ]
    }

    fn error(&self, field: &str) -> Option<String> {
        self.ctx.error_for(&self.errors, field)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    mobile: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    section_id: String,
    #[serde(default)]
    post_id: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
}

impl PersonForm {
    fn input(&self) -> PersonInput {
        PersonInput {
            name: self.name.clone(),
            title: self.title.clone(),
            mobile: self.mobile.clone(),
            unit_id: opt_id(&self.unit_id),
            section_id: opt_id(&self.section_id),
            post_id: opt_id(&self.post_id),
            username: self.username.clone(),
            role: self.role.clone(),
        }
    }
}

async fn person_form(
    state: &AppState,
    ctx: Ctx,
    id: Option<i64>,
    form: PersonForm,
    errors: Vec<FieldError>,
    has_account: bool,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageOrg, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    let units = org_store::list_units(&mut tx, &UnitFilter::default()).await?;
    let (sections, posts) = match opt_id(&form.unit_id) {
        Some(u) => (
            org_store::list_sections(&mut tx, UnitId(u), false).await?,
            org_store::list_posts(&mut tx, UnitId(u), false).await?,
        ),
        None => (vec![], vec![]),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let roles = Role::ALL.iter().map(|r| r.as_str()).collect();
    Ok((
        status,
        render(PersonFormPage {
            ctx,
            id,
            form,
            errors,
            units,
            sections,
            posts,
            roles,
            has_account,
        })?,
    )
        .into_response())
}

#[derive(Deserialize, Default)]
pub struct NewPersonQuery {
    #[serde(default)]
    unit: String,
}

pub async fn new_person(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<NewPersonQuery>,
) -> Result<Response, AppError> {
    let form = PersonForm {
        unit_id: q.unit,
        role: "section_staff".into(),
        ..Default::default()
    };
    person_form(&state, ctx, None, form, vec![], false).await
}

pub async fn create_person(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<PersonForm>,
) -> Result<Response, AppError> {
    match service::people::create_person(&state, &ctx.actor, &f.input()).await {
        Ok((id, temp)) => {
            super::org::person_page(&state, ctx, id, Some("notice.created"), temp).await
        }
        Err(AppError::Invalid(errors)) => person_form(&state, ctx, None, f, errors, false).await,
        Err(e) => Err(e),
    }
}

pub async fn edit_person(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageOrg, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    let p = people::get_person(&mut tx, PersonId(id)).await?;
    let has_account = p.username.is_some();
    let form = PersonForm {
        name: p.name,
        title: p.title,
        mobile: p.mobile.unwrap_or_default(),
        unit_id: p.unit_id.map(|v| v.to_string()).unwrap_or_default(),
        section_id: p.section_id.map(|v| v.to_string()).unwrap_or_default(),
        post_id: p.post_id.map(|v| v.to_string()).unwrap_or_default(),
        username: p.username.unwrap_or_default(),
        role: p.role.unwrap_or_else(|| "section_staff".into()),
    };
    person_form(&state, ctx, Some(id), form, vec![], has_account).await
}

pub async fn update_person(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<PersonForm>,
) -> Result<Response, AppError> {
    match service::people::update_person(&state, &ctx.actor, PersonId(id), &f.input()).await {
        Ok(temp) => {
            super::org::person_page(&state, ctx, PersonId(id), Some("notice.saved"), temp).await
        }
        Err(AppError::Invalid(errors)) => {
            let mut tx = state.store.begin_read().await?;
            let has_account = people::get_person(&mut tx, PersonId(id))
                .await?
                .username
                .is_some();
            person_form(&state, ctx, Some(id), f, errors, has_account).await
        }
        Err(e) => Err(e),
    }
}

pub async fn set_person_active(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ActiveForm>,
) -> Result<Response, AppError> {
    service::people::set_person_active(&state, &ctx.actor, PersonId(id), f.active()).await?;
    Ok(Redirect::to(&format!("/org/people/{id}?ok={}", f.notice())).into_response())
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn reset_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let temp = service::people::reset_password(&state, &ctx.actor, PersonId(id)).await?;
    super::org::person_page(
        &state,
        ctx,
        PersonId(id),
        Some("notice.password_reset"),
        Some(temp),
    )
    .await
}

#[derive(Deserialize)]
pub struct PortfolioForm {
    #[serde(default)]
    leader_id: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_to: String,
}

pub async fn add_portfolio(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<PortfolioForm>,
) -> Result<Response, AppError> {
    let input = PortfolioInput {
        leader_id: opt_id(&f.leader_id),
        unit_id: opt_id(&f.unit_id),
        valid_from: f.valid_from,
        valid_to: f.valid_to,
    };
    match service::portfolios::add_portfolio(&state, &ctx.actor, &input).await {
        Ok(_) => Ok(Redirect::to("/org/portfolios?ok=created").into_response()),
        Err(AppError::Invalid(errors)) => {
            let res = super::org::portfolios_page(&state, ctx, false, errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, res).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct EndForm {
    #[serde(default)]
    valid_to: String,
}

pub async fn end_portfolio(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<EndForm>,
) -> Result<Response, AppError> {
    match service::portfolios::end_portfolio(&state, &ctx.actor, PortfolioId(id), &f.valid_to).await
    {
        Ok(()) => Ok(Redirect::to("/org/portfolios?ok=saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            let res = super::org::portfolios_page(&state, ctx, false, errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, res).into_response())
        }
        Err(e) => Err(e),
    }
}
