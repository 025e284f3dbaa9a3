//! County and township as one (县乡一体) as pages: the duty list (search for everyone signed
//! in; the office edits, imports with a preview, exports), joint matters (吹哨报到: a town
//! raises, departments report in and feed back, the town closes, both sides rate) and the
//! year's figures with the office's towns × departments matrix.

use super::{Notice, render};
use crate::auth::{CsrfForm, CsrfToken, Ctx};
use crate::error::{AppError, FieldError};
use crate::service::duties::{self, DutyImportPlan, DutyInput, DutyView};
use crate::service::joint::{
    self, Figures, JointDetail, JointListed, JointQuery, NoteInput, RaiseInput, RateInput,
    ReportInInput,
};
use crate::sheet_upload::read_sheet_upload;
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::cases::CaseId;
use duban_core::duties::DutyId;
use duban_core::policy::{Action, Object, decide};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "county/duties.html")]
struct DutiesPage {
    ctx: Ctx,
    q: String,
    rows: Vec<DutyView>,
    can_manage: bool,
    form: DutyInput,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
}

impl DutiesPage {
    fn error(&self, field: &str) -> Option<String> {
        self.ctx.error_for(&self.errors, field)
    }
}

#[derive(Deserialize, Default)]
pub struct DutiesQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    ok: Option<String>,
}

pub async fn duties_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DutiesQuery>,
) -> Result<Response, AppError> {
    let notice = Notice {
        ok: q.ok.clone(),
        err: None,
    }
    .key();
    list_page(
        &state,
        ctx,
        q.q.unwrap_or_default(),
        DutyInput::default(),
        vec![],
        notice,
    )
    .await
}

async fn list_page(
    state: &AppState,
    ctx: Ctx,
    q: String,
    form: DutyInput,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
) -> Result<Response, AppError> {
    let rows = duties::search(state, &ctx.actor, &q, None).await?;
    let can_manage = decide(&ctx.actor, Action::ManageDuties, Object::City).is_ok();
    let failed = !errors.is_empty();
    let page = render(DutiesPage {
        ctx,
        q,
        rows,
        can_manage,
        form,
        errors,
        notice,
    });
    if failed {
        super::lists_files::unprocessable(page)
    } else {
        page
    }
}

pub async fn create_duty(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<DutyInput>,
) -> Result<Response, AppError> {
    match duties::create(&state, &ctx.actor, &f).await {
        Ok(_) => Ok(Redirect::to("/duties?ok=created").into_response()),
        Err(AppError::Invalid(errors)) => {
            list_page(&state, ctx, String::new(), f, errors, None).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "county/duty.html")]
struct DutyPage {
    ctx: Ctx,
    id: i64,
    form: DutyInput,
    can_manage: bool,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
}

impl DutyPage {
    fn error(&self, field: &str) -> Option<String> {
        self.ctx.error_for(&self.errors, field)
    }
}

fn input_of(d: &DutyView) -> DutyInput {
    DutyInput {
        matter: d.matter.clone(),
        field: d.field.clone(),
        town_duty: d.town_duty.clone(),
        department_duty: d.department_duty.clone(),
        department: d.department.clone(),
        legal_basis: d.legal_basis.clone(),
        valid_from: d.valid_from.clone().unwrap_or_default(),
        valid_to: d.valid_to.clone().unwrap_or_default(),
    }
}

pub async fn duty_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<DutiesQuery>,
) -> Result<Response, AppError> {
    let d = duties::get(&state, &ctx.actor, DutyId(id)).await?;
    let can_manage = decide(&ctx.actor, Action::ManageDuties, Object::City).is_ok();
    let notice = Notice {
        ok: q.ok,
        err: None,
    }
    .key();
    render(DutyPage {
        ctx,
        id,
        form: input_of(&d),
        can_manage,
        errors: vec![],
        notice,
    })
}

pub async fn update_duty(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<DutyInput>,
) -> Result<Response, AppError> {
    match duties::update(&state, &ctx.actor, DutyId(id), &f).await {
        Ok(()) => Ok(Redirect::to(&format!("/duties/{id}?ok=saved")).into_response()),
        Err(AppError::Invalid(errors)) => super::lists_files::unprocessable(render(DutyPage {
            ctx,
            id,
            form: f,
            can_manage: true,
            errors,
            notice: None,
        })),
        Err(e) => Err(e),
    }
}

pub async fn export_duties(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DutiesQuery>,
) -> Result<Response, AppError> {
    let bytes = duties::export(&state, &ctx.actor, q.q.as_deref().unwrap_or("")).await?;
    Ok(crate::api::file_response(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "属地管理事项责任清单.xlsx",
        bytes,
    )
    .into_response())
}

#[derive(Template)]
#[template(path = "county/preview.html")]
struct PreviewPage {
    ctx: Ctx,
    upload_id: i64,
    plan: Option<DutyImportPlan>,
    error: Option<String>,
}

/// The largest upload the page takes (the sheet limit and the form around it).
pub const UPLOAD_LIMIT: usize = duban_docs::lists::MAX_FILE_BYTES + 64 * 1024;

pub async fn upload_duties(
    State(state): State<AppState>,
    ctx: Ctx,
    Extension(csrf): Extension<CsrfToken>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageDuties, Object::City)?;
    let upload = read_sheet_upload(form, &csrf, "duties.xlsx").await?;
    let name = upload.file_name;
    let Some(file) = upload.bytes else {
        let error = Some(ctx.t("county.no_file").to_string());
        return super::lists_files::unprocessable(render(PreviewPage {
            ctx,
            upload_id: 0,
            plan: None,
            error,
        }));
    };
    match duties::upload(&state, &ctx.actor, &name, &file).await {
        Ok((upload_id, plan)) => render(PreviewPage {
            ctx,
            upload_id,
            plan: Some(plan),
            error: None,
        }),
        Err(AppError::BadRequest(msg)) | Err(AppError::SheetRefused(msg)) => {
            super::lists_files::unprocessable(render(PreviewPage {
                ctx,
                upload_id: 0,
                plan: None,
                error: Some(msg),
            }))
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
pub struct Empty {}

pub async fn commit_duties(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_f): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    duties::commit(&state, &ctx.actor, id).await?;
    Ok(Redirect::to("/duties?ok=saved").into_response())
}

#[derive(Template)]
#[template(path = "county/joint_list.html")]
struct JointListPage {
    ctx: Ctx,
    rows: Vec<JointListed>,
    may_raise: bool,
    form: RaiseForm,
    errors: Vec<FieldError>,
    filter: String,
}

impl JointListPage {
    fn error(&self, field: &str) -> Option<String> {
        self.ctx.error_for(&self.errors, field)
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct RaiseForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    departments: String,
}

fn may_raise(ctx: &Ctx) -> bool {
    ctx.actor.scope.home_unit.is_some_and(|u| {
        decide(
            &ctx.actor,
            Action::RaiseJoint,
            Object::Unit {
                id: u,
                active: true,
            },
        )
        .is_ok()
    })
}

pub async fn joint_list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<JointQuery>,
) -> Result<Response, AppError> {
    joint_list_page(&state, ctx, &q, RaiseForm::default(), vec![]).await
}

async fn joint_list_page(
    state: &AppState,
    ctx: Ctx,
    q: &JointQuery,
    form: RaiseForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let rows = joint::list(state, &ctx.actor, q).await?;
    let may_raise = may_raise(&ctx);
    let filter = [
        q.town_id.map(|t| format!("town {t}")),
        q.unit_id.map(|u| format!("unit {u}")),
        q.late.filter(|l| *l).map(|_| "late".to_string()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let failed = !errors.is_empty();
    let page = render(JointListPage {
        ctx,
        rows,
        may_raise,
        form,
        errors,
        filter,
    });
    if failed {
        super::lists_files::unprocessable(page)
    } else {
        page
    }
}

pub async fn raise(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<RaiseForm>,
) -> Result<Response, AppError> {
    let input = RaiseInput {
        town_id: None,
        title: f.title.clone(),
        content: f.content.clone(),
        departments: f.departments.clone(),
    };
    match joint::raise(&state, &ctx.actor, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/joint/{}", id.0)).into_response()),
        Err(AppError::Invalid(errors)) => {
            joint_list_page(&state, ctx, &JointQuery::default(), f, errors).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "county/joint.html")]
struct JointPage {
    ctx: Ctx,
    v: JointDetail,
    problem: Option<(String, String)>,
}

#[derive(Deserialize, Default)]
pub struct StepQuery {
    #[serde(default)]
    err: Option<String>,
}

pub async fn joint_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<StepQuery>,
) -> Result<Response, AppError> {
    let v = joint::detail(&state, &ctx.actor, CaseId(id)).await?;
    let problem = Notice {
        ok: None,
        err: q.err,
    }
    .problem(&ctx);
    render(JointPage { ctx, v, problem })
}

/// After a step: back to the matter, with the first problem named when it was refused.
fn after_step(id: i64, r: Result<(), AppError>) -> Result<Response, AppError> {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/joint/{id}")).into_response()),
        Err(e) => crate::error::back_with_problem(&format!("/joint/{id}"), e),
    }
}

#[derive(Deserialize, Default)]
pub struct ReportInForm {
    #[serde(default)]
    handler_id: Option<i64>,
}

pub async fn report_in(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ReportInForm>,
) -> Result<Response, AppError> {
    let input = ReportInInput {
        handler_id: f.handler_id,
    };
    let r = joint::report_in(&state, &ctx.actor, CaseId(id), &input).await;
    after_step(id, r.map(|_| ()))
}

#[derive(Deserialize, Default)]
pub struct NoteForm {
    #[serde(default)]
    note: String,
}

pub async fn feed_back(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<NoteForm>,
) -> Result<Response, AppError> {
    let r = joint::feed_back(&state, &ctx.actor, CaseId(id), &NoteInput { note: f.note }).await;
    after_step(id, r)
}

pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<NoteForm>,
) -> Result<Response, AppError> {
    let r = joint::close(&state, &ctx.actor, CaseId(id), &NoteInput { note: f.note }).await;
    after_step(id, r)
}

#[derive(Deserialize, Default)]
pub struct RateForm {
    #[serde(default)]
    unit_id: Option<i64>,
    #[serde(default)]
    speed: Option<i64>,
    #[serde(default)]
    effect: Option<i64>,
    #[serde(default)]
    attitude: Option<i64>,
    #[serde(default)]
    coordination: Option<i64>,
    #[serde(default)]
    comment: String,
}

impl RateForm {
    fn input(self) -> RateInput {
        RateInput {
            unit_id: self.unit_id,
            speed: self.speed,
            effect: self.effect,
            attitude: self.attitude,
            coordination: self.coordination,
            comment: self.comment,
        }
    }
}

pub async fn rate_department(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<RateForm>,
) -> Result<Response, AppError> {
    let r = joint::rate_department(&state, &ctx.actor, CaseId(id), &f.input()).await;
    after_step(id, r)
}

pub async fn rate_town(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<RateForm>,
) -> Result<Response, AppError> {
    let r = joint::rate_town(&state, &ctx.actor, CaseId(id), &f.input()).await;
    after_step(id, r)
}

#[derive(Template)]
#[template(path = "county/figures.html")]
struct FiguresPage {
    ctx: Ctx,
    f: Figures,
    /// The office may set the year's working hours and report-in window.
    can_set: bool,
}

impl FiguresPage {
    fn num(&self, v: &Option<f64>) -> String {
        v.map(|x| format!("{x:.2}")).unwrap_or_else(|| "—".into())
    }
    fn pct(&self, v: &Option<f64>) -> String {
        v.map(|x| format!("{:.0}%", x * 100.0))
            .unwrap_or_else(|| "—".into())
    }
    /// The towns and departments that have a cell, in name order.
    fn towns(&self) -> Vec<(i64, String)> {
        self.f
            .towns
            .iter()
            .map(|t| (t.unit_id, t.unit_name.clone()))
            .collect()
    }
    fn departments(&self) -> Vec<(i64, String)> {
        self.f
            .departments
            .iter()
            .filter(|d| d.named > 0)
            .map(|d| (d.unit_id, d.unit_name.clone()))
            .collect()
    }
    fn cell(&self, town: &i64, dept: &i64) -> Option<&joint::MatrixCell> {
        self.f
            .cells
            .iter()
            .find(|c| c.town_id == *town && c.unit_id == *dept)
    }
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<i16>,
}

pub async fn figures(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let year = q.year.unwrap_or_else(|| state.today().year());
    let f = joint::figures(&state, &ctx.actor, year).await?;
    let can_set = decide(&ctx.actor, Action::ManageDuties, Object::City).is_ok();
    render(FiguresPage { ctx, f, can_set })
}

pub async fn export_figures(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let year = q.year.unwrap_or_else(|| state.today().year());
    let bytes = joint::export(&state, &ctx.actor, year).await?;
    Ok(crate::api::file_response(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("{year}年吹哨报到评价.xlsx"),
        bytes,
    )
    .into_response())
}
