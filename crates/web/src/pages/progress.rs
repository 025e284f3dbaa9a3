//! Visual tracking pages: "my reports" (what to report, approve or accept), the report form
//! (phone first: the accepted figures — or a newer report under review, labelled — pre-filled,
//! "无变化" in one tap, evidence optional),
//! a report with its review, the office's manual light, and the dashboards (with a
//! large-screen mode for the meeting-room display).

use super::render;
use crate::auth::{CsrfForm, CsrfToken, Ctx, constant_time_eq};
use crate::error::AppError;
use crate::error::back_with_problem;
use crate::service::progress::dashboard::{self, BoardQuery, BoardTasks, DashQuery, Dashboard};
use crate::service::progress::queues::{self, QueueQuery, Queues};
use crate::service::progress::view::{self, ReportView, TaskProgress};
use crate::service::progress::{self as svc, ReportInput, Reportable, Review};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::light::Light;
use duban_core::lists::TaskId;
use duban_core::progress::carry::Source;
use duban_store::lists::Task;
use duban_store::progress::queues::QueueRow;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "progress/reports.html")]
struct ReportsPage {
    ctx: Ctx,
    q: Queues,
    /// Units to filter the review queue by.
    units: Vec<duban_store::org::Unit>,
    notice: Option<String>,
    /// A refused batch: `batch.<report>.<reason>` or `batch.none`.
    batch_problem: Option<String>,
}

impl ReportsPage {
    /// The queue's filters as a query string (without the page).
    fn qs(&self) -> String {
        self.q.filter.query_string()
    }

    fn pages(&self, count: &i64) -> i64 {
        ((count + self.q.per_page - 1) / self.q.per_page).max(1)
    }

    fn is_unit(&self, id: &i64) -> bool {
        self.q.filter.unit == Some(*id)
    }

    /// This due row can still be sent (nothing sent yet, a draft, or returned).
    fn sendable(&self, state: &Option<String>) -> bool {
        state
            .as_deref()
            .is_none_or(|s| s == "draft" || s == "returned")
    }

    fn checked(&self, v: &Option<String>) -> bool {
        v.as_deref().is_some_and(|v| !v.is_empty() && v != "0")
    }

    /// The review queues this reader has: (action, rows, count, heading key).
    #[allow(clippy::type_complexity)]
    fn queues(&self) -> Vec<(&'static str, &Vec<QueueRow>, i64, &'static str)> {
        let mut out = Vec::new();
        if self.q.to_accept_count > 0 {
            out.push((
                "accept",
                &self.q.to_accept,
                self.q.to_accept_count,
                "progress.to_accept",
            ));
        }
        if self.q.to_approve_count > 0 {
            out.push((
                "approve",
                &self.q.to_approve,
                self.q.to_approve_count,
                "progress.to_approve",
            ));
        }
        out
    }

    /// What a refused batch says: which report, and why.
    fn batch_text(&self, code: &str) -> String {
        let t = |k: &str| self.ctx.t(k).to_string();
        match code.strip_prefix("batch.") {
            Some("none") => t("progress.batch_none"),
            Some(rest) => {
                let (report, reason) = rest.split_once('.').unwrap_or((rest, "invalid"));
                t("progress.batch_refused")
                    .replace("{report}", report)
                    .replace("{reason}", &t(&format!("err.{reason}")))
            }
            None => t("err.invalid"),
        }
    }
}

pub async fn reports(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(n): Query<super::Notice>,
    Query(f): Query<QueueQuery>,
) -> Result<Response, AppError> {
    let q = queues::queues(&state, &ctx.actor, &f).await?;
    let units = if q.to_accept_count > 0 || q.to_approve_count > 0 {
        let mut tx = state.store.begin_read().await?;
        duban_store::org::list_units(&mut tx, &Default::default()).await?
    } else {
        Vec::new()
    };
    render(ReportsPage {
        ctx,
        q,
        units,
        notice: n
            .ok
            .filter(|k| ["sent", "saved", "reviewed"].contains(&k.as_str())),
        batch_problem: n.err,
    })
}

/// Approves or accepts the ticked reports of the queue (or every report it shows) in one
/// step; a report that cannot take it refuses the batch, named on the page.
pub async fn review_batch(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    duban_core::policy::decide(
        &ctx.actor,
        duban_core::policy::Action::ViewTasks,
        duban_core::policy::Object::City,
    )?;
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    let review = match get("action") {
        "approve" => Review::Approve,
        "accept" => Review::Accept,
        _ => return Err(AppError::BadRequest("unknown review action".into())),
    };
    // "All shown" takes every report the page listed; otherwise the ticked ones.
    let field = if get("scope") == "all" {
        "shown"
    } else {
        "report"
    };
    let ids: Vec<i64> = pairs
        .iter()
        .filter(|(n, _)| n == field)
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect();
    let back = match get("qs") {
        "" => "/reports".to_string(),
        // The queue's own filters, as the page wrote them: nothing else goes into the header.
        qs => format!(
            "/reports?{}",
            qs.chars()
                .filter(|c| c.is_ascii_alphanumeric() || "=&_-.%".contains(*c))
                .collect::<String>()
        ),
    };
    let sep = if back.contains('?') { '&' } else { '?' };
    match svc::review_many(&state, &ctx.actor, &ids, review, "").await {
        Ok(_) => Ok(Redirect::to(&format!("{back}{sep}ok=reviewed")).into_response()),
        Err(AppError::InBatch { report, inner }) => Ok(Redirect::to(&format!(
            "{back}{sep}err=batch.{report}.{}",
            inner.message_key().trim_start_matches("err.")
        ))
        .into_response()),
        Err(AppError::Invalid(_)) => {
            Ok(Redirect::to(&format!("{back}{sep}err=batch.none")).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "progress/form.html")]
struct FormPage {
    ctx: Ctx,
    r: Reportable,
    /// What the form starts from: this period's report being written, else the carried
    /// figures (the accepted ones, or a newer report still under review).
    percent: String,
    values: Vec<(String, String, String)>,
    texts: [String; 4],
    lower_reason: String,
    /// This period's report can still be written (none yet, a draft, or returned).
    editable: bool,
    problem: Option<(String, String)>,
}

impl FormPage {
    /// This period's draft (or returned report) is what the form continues.
    fn continues_draft(&self) -> bool {
        self.editable && self.r.current.is_some()
    }

    /// The period of the report under review the carried figures come from, if any.
    fn pending_period(&self) -> Option<&str> {
        match &self.r.carried.source {
            Source::Pending { period } => Some(period),
            Source::Accepted => None,
        }
    }
}

pub async fn report_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(n): Query<super::Notice>,
) -> Result<Response, AppError> {
    let mut tx = state.store().begin_read().await?;
    let r = svc::reportable(&mut tx, &state, &ctx.actor, TaskId(id)).await?;
    drop(tx);
    let editable = r.current.as_ref().is_none_or(|c| c.state.editable());
    let draft = r.current.as_ref().filter(|_| editable);
    let (percent, actuals) = match draft {
        Some(c) => {
            let mut actuals = vec![None; r.task.fields.indicators.len()];
            for (pos, v) in &c.fields.values {
                if let Some(slot) = usize::try_from(*pos).ok().and_then(|i| actuals.get_mut(i)) {
                    *slot = Some(*v);
                }
            }
            (c.fields.percent, actuals)
        }
        None => (r.carried.figures.percent, r.carried.figures.actuals.clone()),
    };
    let values = r
        .task
        .fields
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            let v = actuals
                .get(i)
                .copied()
                .flatten()
                .map(exact)
                .unwrap_or_default();
            let label = if ind.name.is_empty() {
                format!("#{}", i + 1)
            } else {
                ind.name.clone()
            };
            (label, format!("{} {}", num(ind.target), ind.unit), v)
        })
        .collect();
    // A report being written keeps its texts; a new one starts empty (each period is new).
    let texts = match draft {
        Some(c) => [
            c.fields.progress_text.clone(),
            c.fields.problems.clone(),
            c.fields.next_steps.clone(),
            c.fields.coordination.clone(),
        ],
        None => Default::default(),
    };
    let lower_reason = draft
        .map(|c| c.fields.lower_reason.clone())
        .unwrap_or_default();
    let problem = n.problem(&ctx);
    render(FormPage {
        ctx,
        editable,
        r,
        percent: exact(percent),
        values,
        texts,
        lower_reason,
        problem,
    })
}

/// A number for an input's value, exactly as stored, so sending the form unchanged sends the
/// same number (`num` rounds to two decimals for reading).
fn exact(v: f64) -> String {
    format!("{v}")
}

/// A number however many references templates wrap it in.
pub trait AsF64 {
    fn as_f64(&self) -> f64;
}
impl AsF64 for f64 {
    fn as_f64(&self) -> f64 {
        *self
    }
}
impl<T: AsF64 + ?Sized> AsF64 for &T {
    fn as_f64(&self) -> f64 {
        (**self).as_f64()
    }
}

/// A number without a needless `.0`.
pub fn num(v: impl AsF64) -> String {
    let v = v.as_f64();
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{}", (v * 100.0).round() / 100.0)
    }
}

/// The form (multipart, so evidence files can come with it): fields, then files.
pub async fn submit_report(
    State(state): State<AppState>,
    ctx: Ctx,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<i64>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    // Who may report is decided before the body is read.
    svc::may_report(&state, &ctx.actor, TaskId(id)).await?;
    let mut form = form.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let mut input = ReportInput::default();
    let mut token = String::new();
    let mut values: Vec<(usize, String)> = Vec::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    // The one-tap "无变化" of the to-do list comes back to it.
    let mut to_list = false;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?
    {
        let name = field.name().unwrap_or_default().to_string();
        if name == "files" {
            let file_name = field.file_name().unwrap_or("upload").to_string();
            let bytes = field.bytes().await.map_err(|e| {
                if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::TooLarge
                } else {
                    AppError::BadRequest(e.body_text())
                }
            })?;
            if !bytes.is_empty() {
                files.push((file_name, bytes.to_vec()));
            }
            continue;
        }
        let text = field.text().await.unwrap_or_default();
        match name.as_str() {
            "_csrf" => token = text,
            "percent" => {
                input.percent = match text.trim() {
                    "" => None,
                    t => Some(t.trim_end_matches('%').parse().unwrap_or(f64::NAN)),
                }
            }
            "no_change" => input.no_change = !text.is_empty(),
            "lower_reason" => input.lower_reason = text,
            "progress_text" => input.progress_text = text,
            "problems" => input.problems = text,
            "next_steps" => input.next_steps = text,
            "coordination" => input.coordination = text,
            "action" => input.action = text,
            "back" => to_list = text == "reports",
            v if v.starts_with("value_") => {
                if let Ok(i) = v["value_".len()..].parse::<usize>() {
                    values.push((i, text));
                }
            }
            _ => {}
        }
    }
    if csrf.0.is_empty() || !constant_time_eq(token.as_bytes(), csrf.0.as_bytes()) {
        return Err(AppError::CsrfMismatch);
    }
    values.sort_by_key(|(i, _)| *i);
    input.values = values
        .into_iter()
        .map(|(_, t)| match t.trim() {
            "" => None,
            t => Some(t.parse().unwrap_or(f64::NAN)),
        })
        .collect();
    let back = format!("/lists/tasks/{id}/report");
    match svc::submit_with_files(&state, &ctx.actor, TaskId(id), &input, &files).await {
        Ok((_, s)) => {
            let ok = if s == duban_core::progress::report::ReportState::Draft {
                "saved"
            } else {
                "sent"
            };
            if to_list {
                return Ok(Redirect::to(&format!("/reports?ok={ok}#due")).into_response());
            }
            Ok(Redirect::to(&format!("/lists/tasks/{id}?ok=report_{ok}")).into_response())
        }
        Err(AppError::FileRefused(r)) => {
            let flag = format!("err=files.{}", r.refusal.code());
            Ok(Redirect::to(&crate::error::with_flag(&back, &flag)).into_response())
        }
        Err(e) => back_with_problem(&back, e),
    }
}

#[derive(Template)]
#[template(path = "progress/report.html")]
struct ReportPage {
    ctx: Ctx,
    v: ReportView,
    task: Task,
    p: TaskProgress,
    problem: Option<(String, String)>,
}

impl ReportPage {
    fn indicator(&self, pos: impl std::borrow::Borrow<i64>) -> String {
        let pos = *pos.borrow();
        self.task
            .fields
            .indicators
            .get(pos as usize)
            .map(|i| format!("{} ({})", i.name, i.unit))
            .unwrap_or_else(|| format!("#{}", pos + 1))
    }

    /// The accepted actual of an indicator, for the reviewer to read beside the reported one
    /// (`None` once the report is accepted; "—" when nothing was accepted for it yet).
    fn accepted_actual(&self, pos: impl std::borrow::Borrow<i64>) -> Option<String> {
        let pos = *pos.borrow();
        let a = self.v.accepted.as_ref()?;
        let v = usize::try_from(pos)
            .ok()
            .and_then(|i| a.actuals.get(i).copied().flatten());
        Some(v.map_or_else(|| "—".to_string(), num))
    }
}

pub async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(n): Query<super::Notice>,
) -> Result<Response, AppError> {
    let (v, task) = view::report(&state, &ctx.actor, id).await?;
    let p = view::load(&state, &ctx.actor, task.id).await?;
    let problem = n.problem(&ctx);
    render(ReportPage {
        ctx,
        v,
        task,
        p,
        problem,
    })
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    comment: String,
}

pub async fn review(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ReviewForm>,
) -> Result<Response, AppError> {
    let Some(review) = Review::parse(f.action.trim()) else {
        return Err(AppError::BadRequest("unknown review action".into()));
    };
    match svc::review(&state, &ctx.actor, id, review, &f.comment).await {
        Ok(_) => Ok(Redirect::to("/reports?ok=reviewed").into_response()),
        Err(e) => back_with_problem(&format!("/reports/{id}"), e),
    }
}

#[derive(Deserialize)]
pub struct LightForm {
    #[serde(default)]
    light: String,
    #[serde(default)]
    reason: String,
}

pub async fn set_light(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<LightForm>,
) -> Result<Response, AppError> {
    let light = Light::parse(f.light.trim());
    match svc::set_light(&state, &ctx.actor, TaskId(id), light, &f.reason).await {
        Ok(()) => Ok(Redirect::to(&format!("/lists/tasks/{id}?ok=light_set")).into_response()),
        Err(e) => back_with_problem(&format!("/lists/tasks/{id}"), e),
    }
}

#[derive(Template)]
#[template(path = "progress/dashboard.html")]
struct DashboardPage {
    ctx: Ctx,
    d: Dashboard,
    screen: bool,
    charts: Charts,
    /// Suggestions' and proposals' key rates beside the lights, for readers of the rates.
    proposals: Option<crate::service::proposals::rates::Beside>,
}

/// The dashboard's charts as SVG, rendered here so they work without JavaScript.
#[derive(Default)]
pub struct Charts {
    pub lights: String,
    pub units: String,
    pub trend: String,
    pub ranking: String,
}

#[derive(Deserialize)]
pub struct ScreenQuery {
    #[serde(default)]
    screen: Option<String>,
}

impl DashboardPage {
    /// The dashboard's own filters as a query string, for its drill-downs
    /// (`/dashboard/tasks?…`), which list exactly the tasks it counts.
    fn list_qs(&self) -> String {
        board_qs(self.d.year, &self.d.query_string)
    }

    /// A unit's line of the table: the unit's own dashboard filters.
    fn unit_qs(&self, unit: &str) -> String {
        board_qs(
            self.d.year,
            &format!("{}&line_unit={unit}", self.d.query_string),
        )
    }

    /// City leaders get a link to the dashboard of their portfolio.
    fn leads(&self) -> bool {
        matches!(
            self.ctx.actor.role,
            Some(duban_core::role::Role::TopLeader | duban_core::role::Role::PortfolioLeader)
        )
    }

    fn light_counts(&self) -> Vec<(&'static str, i64)> {
        let t = &self.d.totals;
        vec![("red", t.red), ("yellow", t.yellow), ("green", t.green)]
    }

    fn due(&self, t: &duban_store::progress::dashboard::AttentionRow) -> String {
        t.due_date
            .map(|d| d.to_jiff().to_string())
            .unwrap_or_default()
    }
}

/// A dashboard's query string with its year always present.
fn board_qs(year: i16, qs: &str) -> String {
    let mut q = format!("year={year}");
    for part in qs
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("year="))
    {
        q.push('&');
        q.push_str(part);
    }
    q
}

#[derive(Template)]
#[template(path = "progress/board.html")]
struct BoardPage {
    ctx: Ctx,
    b: BoardTasks,
    base_qs: String,
    pages: i64,
}

impl BoardPage {
    /// The drill-down's whole query string but the page.
    fn qs(&self) -> String {
        let mut q = self.base_qs.clone();
        for (k, v) in [
            ("light", self.b.light.as_deref()),
            ("attention", self.b.attention.as_deref()),
        ] {
            if let Some(v) = v {
                q.push_str(&format!("&{k}={v}"));
            }
        }
        if !self.b.q.is_empty() {
            q.push_str(&format!("&q={}", crate::auth::urlencode(&self.b.q)));
        }
        q
    }

    /// The dashboard's own filters as hidden fields of the search form.
    fn hidden(&self) -> Vec<(String, String)> {
        let mut h: Vec<(String, String)> = self
            .base_qs
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        for (k, v) in [("light", &self.b.light), ("attention", &self.b.attention)] {
            if let Some(v) = v {
                h.push((k.to_string(), v.clone()));
            }
        }
        h
    }

    fn due(&self, r: &duban_store::progress::dashboard::BoardRow) -> String {
        r.due_date
            .map(|d| d.to_jiff().to_string())
            .unwrap_or_default()
    }
}

/// The tasks a dashboard counts (its drill-down): each count on the dashboard opens this list
/// with exactly that many rows.
pub async fn board_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DashQuery>,
    Query(n): Query<BoardQuery>,
) -> Result<Response, AppError> {
    let b = dashboard::board_tasks(&state, &ctx.actor, &q, &n).await?;
    let pages = ((b.total + b.per_page - 1) / b.per_page).max(1);
    let base_qs = board_qs(b.year, &b.query_string);
    render(BoardPage {
        ctx,
        b,
        base_qs,
        pages,
    })
}

pub async fn dashboard_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DashQuery>,
    Query(s): Query<ScreenQuery>,
) -> Result<Response, AppError> {
    let d = dashboard::dashboard(&state, &ctx.actor, &q).await?;
    // The city's (the reader's scope) and a unit's dashboards carry the rates of the same
    // items; a task force has no items, a leader's own dashboard is their scope.
    let proposals_unit = match d.kind {
        "city" => Some(None),
        "unit" => Some(q.unit),
        "leader" if q.leader.is_some() && q.leader == ctx.actor.person.map(|p| p.0) => Some(None),
        _ => None,
    };
    let proposals = match proposals_unit {
        Some(unit) => {
            crate::service::proposals::rates::beside_lights(&state, &ctx.actor, d.year, unit)
                .await?
        }
        None => None,
    };
    let mut page = DashboardPage {
        ctx,
        d,
        screen: s.screen.is_some_and(|v| !v.is_empty() && v != "0"),
        charts: Charts::default(),
        proposals,
    };
    page.charts = super::charts::dashboard(&page.ctx, &page.d, &page.list_qs());
    render(page)
}
