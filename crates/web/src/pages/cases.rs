//! The closed loop on screen: the case list with its counts by light and state, the case page
//! with its timeline and exactly the step forms the reader may use, registering a case,
//! recording a meeting whose decisions become cases, the problem-list export and import.

use super::attachments::UploadForm;
use super::lists_files::unprocessable;
use super::{Notice, render};
use crate::auth::{CsrfForm, CsrfToken, Ctx};
use crate::error::AppError;
use crate::error::back_with_problem;
use crate::service::cases::files::{self, ImportPlan};
use crate::service::cases::meetings::{self, MeetingInput};
use crate::service::cases::steps::{self, StepInput};
use crate::service::cases::view::{self, CaseDetail, CaseListQuery, ListedCase};
use crate::service::cases::{self as svc, CaseInput};
use crate::sheet_upload::read_sheet_upload;
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::cases::CaseId;
use duban_core::cases::facts::{CaseKind, Source};
use duban_core::cases::state::CaseState;
use duban_core::cases::timeliness::Light;
use duban_core::policy::{Action, Object};
use duban_store::org::{self as org_store, Unit, UnitFilter};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "cases/index.html")]
struct IndexPage {
    ctx: Ctx,
    q: CaseListQuery,
    rows: Vec<ListedCase>,
    total: i64,
    page: i64,
    pages: i64,
    by_state: Vec<(String, i64)>,
    by_light: [(Light, i64); 3],
    units: Vec<Unit>,
    states: [CaseState; 11],
    sources: &'static [Source],
    filter_qs: String,
    can_register: bool,
    can_manage: bool,
}

impl IndexPage {
    fn selected(&self, v: &Option<String>, want: &str) -> bool {
        v.as_deref() == Some(want)
    }
}

fn filter_query(q: &CaseListQuery) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    let mut add = |k: &'static str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
            pairs.push((k, v));
        }
    };
    add("year", q.year.map(|y| y.to_string()));
    add("state", q.state.clone());
    add("kind", q.kind.clone());
    add("source", q.source.clone());
    add("unit", q.unit.map(|u| u.to_string()));
    add("light", q.light.clone());
    add("mine", q.mine.clone());
    add("meeting", q.meeting.map(|m| m.to_string()));
    add("q", q.q.clone());
    serde_urlencoded::to_string(&pairs).unwrap_or_default()
}

pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<CaseListQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewCases, Object::City)?;
    let list = view::list(&state, &ctx.actor, &q).await?;
    let mut tx = state.store.begin_read().await?;
    let units = org_store::list_units(&mut tx, &UnitFilter::default()).await?;
    let pages = (list.total + view::PAGE_SIZE - 1) / view::PAGE_SIZE;
    render(IndexPage {
        filter_qs: filter_query(&q),
        page: q.page.unwrap_or(1).max(1),
        can_register: ctx.may(Action::RegisterCase, Object::City),
        can_manage: ctx.may(Action::ManageCase, Object::City),
        ctx,
        q,
        rows: list.rows,
        total: list.total,
        pages,
        by_state: list.by_state,
        by_light: list.by_light,
        units,
        states: CaseState::ALL,
        sources: Source::ALL,
    })
}

#[derive(Template)]
#[template(path = "cases/case.html")]
struct CasePage {
    ctx: Ctx,
    v: CaseDetail,
    units: Vec<Unit>,
    notice: Option<String>,
    problem: Option<(String, String)>,
    /// A refused evidence file, named, in the reader's language.
    file_problem: Option<String>,
    /// The assignment form as typed, with its problems, after it was refused.
    assign: Option<AssignTyped>,
}

/// The 交办 form as it was sent, its problems field by field, and the unit names that
/// matched nothing (with the closest name to suggest).
#[derive(Default)]
pub struct AssignTyped {
    lead_unit_id: String,
    co_units: String,
    split_units: String,
    deadline: String,
    errors: Vec<crate::error::FieldError>,
    unmatched: Vec<(&'static str, crate::service::cases::steps::Unmatched)>,
}

impl CasePage {
    /// The evidence attached to one timeline event.
    fn attachments_of(&self, event: i64) -> Vec<&crate::service::attachments::AttachmentView> {
        self.v
            .attachments
            .iter()
            .filter(|a| a.object_type == "case_event" && a.object_id == event)
            .collect()
    }

    fn can(&self, step: &str) -> bool {
        self.v.available.contains(&step)
    }

    /// What the assignment form shows in a field: what was typed, after a refusal.
    fn typed(&self, field: &str) -> &str {
        let Some(a) = &self.assign else { return "" };
        match field {
            "lead_unit_id" => &a.lead_unit_id,
            "co_units" => &a.co_units,
            "split_units" => &a.split_units,
            "deadline" => &a.deadline,
            _ => "",
        }
    }

    /// The assignment form's problem with one field, in words, to stand beside it: an
    /// unmatched unit is named, with the closest unit to suggest.
    fn assign_error(&self, field: &str) -> Option<String> {
        let a = self.assign.as_ref()?;
        let named: Vec<String> = a
            .unmatched
            .iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, u)| {
                let key = if u.ambiguous {
                    "cases.unit_ambiguous"
                } else {
                    "cases.unit_unmatched"
                };
                let mut s = self.ctx.t(key).replace("{name}", &u.name);
                if let Some(close) = &u.suggestion {
                    s.push_str(&self.ctx.t("cases.unit_suggest").replace("{name}", close));
                }
                s
            })
            .collect();
        if !named.is_empty() {
            return Some(named.join(" "));
        }
        self.ctx.error_for(&a.errors, field)
    }

    fn lead_selected(&self, id: &i64) -> bool {
        self.typed("lead_unit_id") == id.to_string()
    }

    /// The case waits for its split units' parts before the office may strike it off.
    fn parts_open(&self) -> bool {
        self.v.case.handling.state == CaseState::CompletionClaimed
            && self.v.parts.iter().any(|p| p.state != CaseState::ClosedOut)
    }

    /// The office may register a recurrence of a closed-out case.
    fn can_reopen(&self) -> bool {
        self.v.case.handling.state == CaseState::ClosedOut
            && self.ctx.may(Action::ManageCase, Object::City)
    }

    /// The available steps that need nothing but a note: one form, one button each.
    fn simple_steps(&self) -> Vec<&'static str> {
        const SIMPLE: [&str; 15] = [
            "acknowledge",
            "report",
            "coordinate",
            "request_return",
            "approve_return",
            "reject_return",
            "propose_ongoing",
            "accept_proposal",
            "reject_proposal",
            "resume_handling",
            "suspend",
            "resume",
            "opinion",
            "instruction",
            "interview",
        ];
        SIMPLE.into_iter().filter(|s| self.can(s)).collect()
    }

    fn local(&self, at: jiff::Timestamp) -> String {
        self.ctx.local(at)
    }

    fn date(&self, d: &Option<jiff::civil::Date>) -> String {
        d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
    }

    /// The words of a timeline event's extra data worth showing (a document number, the
    /// working days overdue, a new deadline).
    fn event_data(&self, data: &str) -> String {
        let v: serde_json::Value = serde_json::from_str(data).unwrap_or_default();
        let mut parts = Vec::new();
        if let Some(n) = v["document"].as_str() {
            parts.push(n.to_string());
        }
        if let Some(n) = v["overdue_workdays"].as_i64().filter(|n| *n > 0) {
            parts.push(format!("{} {n}", self.ctx.t("cases.overdue_workdays")));
        }
        if let Some(to) = v["to"].as_str() {
            parts.push(format!("→ {to}"));
        }
        if let Some(u) = v["part_unit"].as_str() {
            parts.push(u.to_string());
        }
        if v["on_site"].as_bool() == Some(true) {
            parts.push(self.ctx.t("cases.on_site").to_string());
        }
        parts.join(" · ")
    }
}

pub async fn case(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response, AppError> {
    let problem = n.problem(&ctx);
    let notice =
        n.ok.as_deref()
            .filter(|s| CaseState::parse(s).is_some() || *s == "created")
            .map(|s| format!("case_state.{s}"))
            .map(|k| {
                if k == "case_state.created" {
                    "notice.created".to_string()
                } else {
                    k
                }
            });
    case_page(&state, ctx, id, notice, problem, None, None).await
}

async fn case_page(
    state: &AppState,
    ctx: Ctx,
    id: i64,
    notice: Option<String>,
    problem: Option<(String, String)>,
    file_problem: Option<String>,
    assign: Option<AssignTyped>,
) -> Result<Response, AppError> {
    let v = view::detail(state, &ctx.actor, CaseId(id)).await?;
    let units = if v.available.contains(&"assign") {
        let mut tx = state.store.begin_read().await?;
        org_store::list_units(&mut tx, &UnitFilter::default()).await?
    } else {
        Vec::new()
    };
    render(CasePage {
        ctx,
        v,
        units,
        notice,
        problem,
        file_problem,
        assign,
    })
}

/// The step form: the same fields as the API's `StepInput`, flattened for a form post.
#[derive(Deserialize)]
pub struct StepForm {
    #[serde(default)]
    step: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    lead_unit_id: String,
    #[serde(default)]
    co_units: String,
    #[serde(default)]
    split_units: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    section_id: String,
    #[serde(default)]
    handler_id: String,
    #[serde(default)]
    plan_on: String,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    measures: String,
    #[serde(default)]
    on_site: Option<String>,
    #[serde(default)]
    rating: String,
    /// approve_return against the duty list (issue 19).
    #[serde(default)]
    override_reason: String,
    /// A split unit's own part (分办) the step is on.
    #[serde(default)]
    part_unit_id: String,
}

fn id_of(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

pub async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: Result<UploadForm<StepForm>, AppError>,
) -> Result<Response, AppError> {
    let UploadForm { fields: f, files } = match form {
        Ok(form) => form,
        Err(AppError::FileRefused(r)) => return refused_file(&state, ctx, id, &r).await,
        Err(e) => return Err(e),
    };
    let typed = AssignTyped {
        lead_unit_id: f.lead_unit_id.clone(),
        co_units: f.co_units.clone(),
        split_units: f.split_units.clone(),
        deadline: f.deadline.clone(),
        ..AssignTyped::default()
    };
    let input = StepInput {
        step: f.step,
        note: f.note,
        lead_unit_id: id_of(&f.lead_unit_id),
        co_units: f.co_units,
        split_units: f.split_units,
        deadline: f.deadline,
        section_id: id_of(&f.section_id),
        handler_id: id_of(&f.handler_id),
        plan_on: f.plan_on,
        evidence: f.evidence,
        measures: f.measures,
        on_site: f.on_site.is_some(),
        rating: f.rating,
        attachment_ids: Vec::new(),
        override_reason: f.override_reason,
        part_unit_id: id_of(&f.part_unit_id),
    };
    match steps::act_with_files(&state, &ctx.actor, CaseId(id), &input, &files).await {
        Ok(s) => Ok(Redirect::to(&format!("/cases/{id}?ok={}", s.as_str())).into_response()),
        Err(AppError::FileRefused(r)) => refused_file(&state, ctx, id, &r).await,
        // The assignment form comes back as typed, each problem beside its field.
        Err(AppError::Invalid(errors)) if input.step == "assign" => {
            let mut unmatched = Vec::new();
            for (field, text) in [
                ("co_units", &typed.co_units),
                ("split_units", &typed.split_units),
            ] {
                for u in steps::unmatched_units(&state, text).await? {
                    unmatched.push((field, u));
                }
            }
            let typed = AssignTyped {
                errors,
                unmatched,
                ..typed
            };
            let page = case_page(&state, ctx, id, None, None, None, Some(typed)).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => back_with_problem(&format!("/cases/{id}"), e),
    }
}

/// The case page again, naming the refused file and why (nothing was written).
async fn refused_file(
    state: &AppState,
    ctx: Ctx,
    id: i64,
    r: &crate::error::FileRefusal,
) -> Result<Response, AppError> {
    let text = r.text(|k| ctx.t(k).to_string());
    let status = AppError::FileRefused(r.clone()).status();
    let page = case_page(state, ctx, id, None, None, Some(text), None).await?;
    Ok((status, page).into_response())
}

#[derive(Deserialize)]
pub struct ReopenForm {
    #[serde(default)]
    note: String,
}

pub async fn reopen(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ReopenForm>,
) -> Result<Response, AppError> {
    match svc::reopen(&state, &ctx.actor, CaseId(id), &f.note).await {
        Ok(new) => Ok(Redirect::to(&format!("/cases/{}?ok=created", new.0)).into_response()),
        Err(e) => back_with_problem(&format!("/cases/{id}"), e),
    }
}

pub async fn document(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, doc)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let d = view::document(&state, &ctx.actor, CaseId(id), doc).await?;
    Ok(crate::api::file_response(&d.media_type, &d.file_name, d.bytes).into_response())
}

#[derive(Template)]
#[template(path = "cases/new.html")]
struct NewPage {
    ctx: Ctx,
    form: CaseForm,
    sources: &'static [Source],
    kinds: &'static [CaseKind],
    errors: Vec<crate::error::FieldError>,
}

impl NewPage {
    fn error(&self, field: &str) -> Option<String> {
        self.ctx.error_for(&self.errors, field)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaseForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    urgency: String,
    #[serde(default)]
    found_on: String,
    /// Task ids, comma-separated.
    #[serde(default)]
    task_ids: String,
}

pub async fn new_case(ctx: Ctx) -> Result<Response, AppError> {
    ctx.authorize(Action::RegisterCase, Object::City)?;
    render(NewPage {
        ctx,
        form: CaseForm {
            source: "instruction".into(),
            ..CaseForm::default()
        },
        sources: Source::ALL,
        kinds: CaseKind::ALL,
        errors: Vec::new(),
    })
}

pub async fn create_case(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<CaseForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::RegisterCase, Object::City)?;
    let task_ids: Vec<i64> = f
        .task_ids
        .split([',', '，', ' ', '、'])
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let input = CaseInput {
        kind: f.kind.clone(),
        source: f.source.clone(),
        title: f.title.clone(),
        content: f.content.clone(),
        category: f.category.clone(),
        urgency: f.urgency.clone(),
        found_on: f.found_on.clone(),
        task_ids,
        raised_by_id: None,
    };
    match svc::register(&state, &ctx.actor, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/cases/{}?ok=created", id.0)).into_response()),
        Err(AppError::Invalid(errors)) => render(NewPage {
            ctx,
            form: f,
            sources: Source::ALL,
            kinds: CaseKind::ALL,
            errors,
        }),
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "cases/meeting.html")]
struct MeetingPage {
    ctx: Ctx,
    form: MeetingForm,
    errors: Vec<crate::error::FieldError>,
}

impl MeetingPage {
    fn error(&self, field: &str) -> Option<String> {
        self.ctx.error_for(&self.errors, field)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MeetingForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    decisions: String,
}

pub async fn new_meeting(ctx: Ctx) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageCase, Object::City)?;
    render(MeetingPage {
        ctx,
        form: MeetingForm {
            kind: "weekly".into(),
            ..MeetingForm::default()
        },
        errors: Vec::new(),
    })
}

pub async fn create_meeting(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<MeetingForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageCase, Object::City)?;
    let input = MeetingInput {
        kind: f.kind.clone(),
        held_on: f.held_on.clone(),
        title: f.title.clone(),
        chair_id: None,
        notes: f.notes.clone(),
        decisions: f.decisions.clone(),
    };
    match meetings::record_meeting(&state, &ctx.actor, &input).await {
        Ok((m, _)) => Ok(Redirect::to(&format!("/cases?meeting={}", m.0)).into_response()),
        Err(AppError::Invalid(errors)) => render(MeetingPage {
            ctx,
            form: f,
            errors,
        }),
        Err(e) => Err(e),
    }
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<CaseListQuery>,
) -> Result<Response, AppError> {
    let bytes = files::export_xlsx(&state, &ctx.actor, &q).await?;
    Ok(crate::api::file_response(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "问题清单.xlsx",
        bytes,
    )
    .into_response())
}

#[derive(Template)]
#[template(path = "cases/import.html")]
struct ImportPage {
    ctx: Ctx,
    plan: Option<ImportPlan>,
    error: Option<String>,
}

pub async fn import_form(ctx: Ctx) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageCase, Object::City)?;
    render(ImportPage {
        ctx,
        plan: None,
        error: None,
    })
}

pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Extension(csrf): Extension<CsrfToken>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageCase, Object::City)?;
    let upload = read_sheet_upload(form, &csrf, "problems.xlsx").await?;
    let name = upload.file_name;
    let Some(file) = upload.bytes else {
        let error = Some(ctx.t("cases.import_no_file").to_string());
        return render(ImportPage {
            ctx,
            plan: None,
            error,
        });
    };
    match files::preview(&state, &ctx.actor, &name, &file).await {
        Ok(plan) => render(ImportPage {
            ctx,
            plan: Some(plan),
            error: None,
        }),
        Err(AppError::BadRequest(msg)) => render(ImportPage {
            ctx,
            plan: None,
            error: Some(msg),
        }),
        Err(AppError::SheetRefused(msg)) => unprocessable(render(ImportPage {
            ctx,
            plan: None,
            error: Some(msg),
        })),
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct CommitForm {}

pub async fn commit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_f): CsrfForm<CommitForm>,
) -> Result<Response, AppError> {
    files::commit(&state, &ctx.actor, id).await?;
    let year = state.today().year();
    Ok(Redirect::to(&format!("/cases?year={year}&state=assigned")).into_response())
}

/// The catalog key of a timeliness flag.
pub fn flag_key(f: &duban_core::cases::timeliness::Flag) -> &'static str {
    use duban_core::cases::timeliness::Flag;
    match f {
        Flag::AckOverdue => "ack_overdue",
        Flag::ReportOverdue => "report_overdue",
        Flag::DueSoon => "due_soon",
        Flag::Overdue => "overdue",
    }
}

#[derive(Template)]
#[template(path = "cases/settings.html")]
struct SettingsPage {
    ctx: Ctx,
    year: i16,
    form: crate::service::cases::settings::SettingsInput,
    errors: Vec<crate::error::FieldError>,
    saved: bool,
}

impl SettingsPage {
    /// The fields in form order with their values.
    fn fields(&self) -> Vec<(&'static str, String)> {
        let f = &self.form;
        vec![
            ("ack_rule", f.ack_rule.clone()),
            ("return_rule", f.return_rule.clone()),
            ("report_rule", f.report_rule.clone()),
            ("due_soon_workdays", f.due_soon_workdays.clone()),
            ("remind_days_before", f.remind_days_before.clone()),
            ("urge_days_after", f.urge_days_after.clone()),
            ("notice_workdays_after", f.notice_workdays_after.clone()),
            ("bulletin_workdays_after", f.bulletin_workdays_after.clone()),
            (
                "interview_workdays_after",
                f.interview_workdays_after.clone(),
            ),
        ]
    }

    fn error(&self, field: &str) -> Option<String> {
        self.ctx.error_for(&self.errors, field)
    }
}

#[derive(Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<i16>,
    #[serde(default)]
    ok: Option<String>,
}

pub async fn settings_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let year = q.year.unwrap_or(state.today().year());
    let s = crate::service::cases::settings::get(&state, &ctx.actor, year).await?;
    render(SettingsPage {
        ctx,
        year,
        form: crate::service::cases::settings::SettingsInput::from_settings(&s),
        errors: Vec::new(),
        saved: q.ok.is_some(),
    })
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    year: Option<i16>,
    #[serde(flatten)]
    input: crate::service::cases::settings::SettingsInput,
}

pub async fn save_settings(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<SettingsForm>,
) -> Result<Response, AppError> {
    let year = f.year.unwrap_or(state.today().year());
    match crate::service::cases::settings::save(&state, &ctx.actor, year, &f.input).await {
        Ok(_) => Ok(Redirect::to(&format!("/cases/settings?year={year}&ok=saved")).into_response()),
        Err(AppError::Invalid(errors)) => render(SettingsPage {
            ctx,
            year,
            form: f.input,
            errors,
            saved: false,
        }),
        Err(e) => Err(e),
    }
}
