//! The territorial duty list (属地管理事项责任清单): browse and search it (everyone signed
//! in), keep it (the office: form, .xlsx import with preview and all-or-nothing commit,
//! export), and match a case's text against it — the entries it is about and the department
//! they name, proposed when a case is registered and shown to whoever decides a return.

use crate::error::{AppError, FieldError};
use crate::service::names::{CITY, NameIndexes};
use crate::service::{Problems, audit, parse_date};
use crate::state::AppState;
use duban_core::duties::{self, DutyColumn, DutyEntry, DutyId, DutyText};
use duban_core::lists::names::{Resolved, closest_unit};
use duban_core::org::UnitId;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_store::Tx;
use duban_store::duties::{self as store, DutyFields, DutyRow};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The list kind an upload of the duty list is kept under between preview and commit.
pub const UPLOAD_KIND: &str = "duties";

/// An entry as a form or a JSON body gives it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct DutyInput {
    #[serde(default)]
    pub matter: String,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub town_duty: String,
    #[serde(default)]
    pub department_duty: String,
    /// The responsible department by name as people write it (住建局, 市住房和城乡建设局).
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub legal_basis: String,
    /// `2026-01-01`; empty: valid from always.
    #[serde(default)]
    pub valid_from: String,
    /// `2026-12-31`; empty: valid until changed.
    #[serde(default)]
    pub valid_to: String,
}

/// An entry as shown (JSON and pages).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DutyView {
    pub id: i64,
    pub matter: String,
    pub field: String,
    pub town_duty: String,
    pub department_duty: String,
    pub department_id: i64,
    pub department: String,
    pub legal_basis: String,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

impl From<&DutyRow> for DutyView {
    fn from(r: &DutyRow) -> DutyView {
        DutyView {
            id: r.id,
            matter: r.matter.clone(),
            field: r.field.clone(),
            town_duty: r.town_duty.clone(),
            department_duty: r.department_duty.clone(),
            department_id: r.department_id,
            department: r.department_name.clone(),
            legal_basis: r.legal_basis.clone(),
            valid_from: r.from().map(|d| d.to_string()),
            valid_to: r.to().map(|d| d.to_string()),
        }
    }
}

/// The entries matching a search by any Chinese words (all when `q` is empty); with `on`,
/// only those valid that day.
pub async fn search(
    state: &AppState,
    actor: &Actor,
    q: &str,
    on: Option<Date>,
) -> Result<Vec<DutyView>, AppError> {
    decide(actor, Action::ViewDuties, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    let rows = store::list_duties(&mut tx).await?;
    Ok(rows
        .iter()
        .filter(|r| duties::matches_query(&r.texts(), q))
        .filter(|r| on.is_none_or(|d| duties::valid_on(r.from(), r.to(), d)))
        .map(DutyView::from)
        .collect())
}

pub async fn get(state: &AppState, actor: &Actor, id: DutyId) -> Result<DutyView, AppError> {
    decide(actor, Action::ViewDuties, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    let row = store::get_duty(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(DutyView::from(&row))
}

/// Checks a form's entry and resolves its department; every problem at once.
async fn fields_of(tx: &mut Tx, input: &DutyInput) -> Result<DutyFields, AppError> {
    let mut p = Problems::default();
    let from = parse_date(&mut p, "valid_from", &input.valid_from);
    let to = parse_date(&mut p, "valid_to", &input.valid_to);
    let text = DutyText {
        matter: input.matter.trim().to_string(),
        field: input.field.trim().to_string(),
        town_duty: input.town_duty.trim().to_string(),
        department_duty: input.department_duty.trim().to_string(),
        department: input.department.trim().to_string(),
        legal_basis: input.legal_basis.trim().to_string(),
        valid_from: from.flatten(),
        valid_to: to.flatten(),
    };
    for (col, problem) in duties::check(&text) {
        p.add(col.as_str(), problem.code());
    }
    let names = NameIndexes::load(tx).await?;
    let mut department = None;
    if !text.department.is_empty() {
        match names.unit(&text.department) {
            Resolved::One(u) => department = Some(UnitId(u)),
            Resolved::NotFound => p.add("department", "unknown_unit"),
            Resolved::Ambiguous(_) => p.add("department", "ambiguous_unit"),
        }
    }
    p.finish()?;
    Ok(DutyFields {
        matter: text.matter,
        field: text.field,
        town_duty: text.town_duty,
        department_duty: text.department_duty,
        department_id: department.expect("checked"),
        legal_basis: text.legal_basis,
        valid_from: text.valid_from,
        valid_to: text.valid_to,
    })
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: &DutyInput,
) -> Result<DutyId, AppError> {
    decide(actor, Action::ManageDuties, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    let fields = fields_of(&mut tx, input).await?;
    let id = store::insert_duty(&mut tx, &audit(state, actor), &fields).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: DutyId,
    input: &DutyInput,
) -> Result<(), AppError> {
    decide(actor, Action::ManageDuties, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    let before = store::get_duty(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let fields = fields_of(&mut tx, input).await?;
    store::update_duty(&mut tx, &audit(state, actor), id, &before.fields(), &fields).await?;
    tx.commit().await?;
    Ok(())
}

/// One problem of an imported row: the Excel row, the column's header as written, the
/// message in Chinese and English.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SheetProblem {
    pub row: u32,
    pub column: String,
    pub zh: String,
    pub en: String,
}

/// What the commit will do with a row.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlannedDuty {
    pub row: u32,
    pub matter: String,
    pub department: String,
    /// The department it resolved to, as the organisation names it.
    pub department_name: Option<String>,
    /// `create`, or `update` of the entry with the same matter and department.
    pub action: String,
    #[serde(skip)]
    pub fields: Option<DutyFields>,
    #[serde(skip)]
    pub existing: Option<(DutyId, DutyFields)>,
}

/// The preview of an import.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DutyImportPlan {
    pub rows: Vec<PlannedDuty>,
    pub problems: Vec<SheetProblem>,
    pub creates: usize,
    pub updates: usize,
}

fn sheet_problem(row: u32, column: String, zh: String, en: String) -> SheetProblem {
    SheetProblem {
        row,
        column,
        zh,
        en,
    }
}

/// Reads and checks a duty list sheet: every row's values, its department (no unit, or more
/// than one, is a problem naming the closest unit), and whether it replaces an entry.
pub async fn plan_import(
    tx: &mut Tx,
    actor: &Actor,
    bytes: &[u8],
) -> Result<DutyImportPlan, AppError> {
    decide(actor, Action::ManageDuties, Object::City)?;
    let sheet = duban_docs::duties::read_duty_list(bytes)
        .map_err(|e| crate::service::lists::import::file_error(&e))?;
    let names = NameIndexes::load(tx).await?;
    let units = duban_store::aliases::list_unit_names(tx).await?;
    let candidates: Vec<&str> = units.iter().map(|(_, _, short)| short.as_str()).collect();
    let unit_name = |id: i64| units.iter().find(|u| u.0 == id).map(|u| u.1.clone());
    let existing = store::list_duties(tx).await?;
    let mut plan = DutyImportPlan {
        rows: Vec::new(),
        problems: Vec::new(),
        creates: 0,
        updates: 0,
    };
    for r in &sheet.rows {
        let before = plan.problems.len();
        for (col, text) in &r.bad_dates {
            plan.problems.push(sheet_problem(
                r.row,
                r.header(*col),
                format!("“{text}”不是日期（写作 2026-01-01）"),
                format!("“{text}” is not a date (write 2026-01-01)"),
            ));
        }
        for (col, problem) in duties::check(&r.text) {
            plan.problems.push(sheet_problem(
                r.row,
                r.header(col),
                format!("{}{}", col.label_zh(), problem.zh()),
                format!("{} {}", col.label_en(), problem.en()),
            ));
        }
        let mut department = None;
        if !r.text.department.is_empty() {
            let written = &r.text.department;
            let hint = closest_unit(written, &candidates, CITY);
            let (zh_hint, en_hint) = match hint {
                Some(h) => (format!("，是否为“{h}”？"), format!("; did you mean “{h}”?")),
                None => (String::new(), String::new()),
            };
            match names.unit(written) {
                Resolved::One(u) => department = Some(UnitId(u)),
                Resolved::NotFound => plan.problems.push(sheet_problem(
                    r.row,
                    r.header(DutyColumn::Department),
                    format!("找不到单位“{written}”{zh_hint}"),
                    format!("no unit is called “{written}”{en_hint}"),
                )),
                Resolved::Ambiguous(ids) => {
                    let names: Vec<String> = ids.iter().filter_map(|i| unit_name(*i)).collect();
                    plan.problems.push(sheet_problem(
                        r.row,
                        r.header(DutyColumn::Department),
                        format!("“{written}”可指多个单位：{}", names.join("、")),
                        format!("“{written}” could be several units: {}", names.join(", ")),
                    ))
                }
            }
        }
        let clean = plan.problems.len() == before;
        let fields = department.filter(|_| clean).map(|d| DutyFields {
            matter: r.text.matter.clone(),
            field: r.text.field.clone(),
            town_duty: r.text.town_duty.clone(),
            department_duty: r.text.department_duty.clone(),
            department_id: d,
            legal_basis: r.text.legal_basis.clone(),
            valid_from: r.text.valid_from,
            valid_to: r.text.valid_to,
        });
        let old = fields.as_ref().and_then(|f| {
            existing
                .iter()
                .find(|e| e.matter == f.matter && e.department_id == f.department_id.0)
                .map(|e| (DutyId(e.id), e.fields()))
        });
        match (&fields, &old) {
            (Some(_), Some(_)) => plan.updates += 1,
            (Some(_), None) => plan.creates += 1,
            _ => {}
        }
        plan.rows.push(PlannedDuty {
            row: r.row,
            matter: r.text.matter.clone(),
            department: r.text.department.clone(),
            department_name: department.and_then(|d| unit_name(d.0)),
            action: if old.is_some() { "update" } else { "create" }.into(),
            fields,
            existing: old,
        });
    }
    Ok(plan)
}

/// Keeps an upload for its commit and previews it.
pub async fn upload(
    state: &AppState,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> Result<(i64, DutyImportPlan), AppError> {
    decide(actor, Action::ManageDuties, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    let plan = plan_import(&mut tx, actor, bytes).await?;
    let id = duban_store::imports::insert_upload(
        &mut tx,
        actor.user,
        file_name,
        bytes,
        state.today().year(),
        Some(UPLOAD_KIND),
        state.now(),
    )
    .await?;
    tx.commit().await?;
    Ok((id, plan))
}

/// Commits a previewed upload: every row or, when any row has a problem, nothing. Returns
/// (created, updated).
pub async fn commit(state: &AppState, actor: &Actor, id: i64) -> Result<(usize, usize), AppError> {
    decide(actor, Action::ManageDuties, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    let upload = match duban_store::imports::get_upload(&mut tx, id).await {
        Ok(u) => u,
        Err(duban_store::StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    if upload.user_id != actor.user.map(|u| u.0) || upload.list_kind.as_deref() != Some(UPLOAD_KIND)
    {
        return Err(AppError::NotFound);
    }
    if !duban_store::imports::mark_committed(&mut tx, id).await? {
        return Err(AppError::Invalid(vec![FieldError::new(
            "file",
            "already_committed",
        )]));
    }
    let plan = plan_import(&mut tx, actor, &upload.content).await?;
    if !plan.problems.is_empty() {
        return Err(AppError::Invalid(vec![FieldError::new(
            "file",
            "has_problems",
        )]));
    }
    let audit = audit(state, actor);
    for row in &plan.rows {
        let Some(fields) = &row.fields else { continue };
        match &row.existing {
            Some((_, before)) if before == fields => {}
            Some((id, before)) => store::update_duty(&mut tx, &audit, *id, before, fields).await?,
            None => {
                store::insert_duty(&mut tx, &audit, fields).await?;
            }
        }
    }
    tx.commit().await?;
    Ok((plan.creates, plan.updates))
}

/// The list (or the entries matching a search) as .xlsx.
pub async fn export(state: &AppState, actor: &Actor, q: &str) -> Result<Vec<u8>, AppError> {
    let rows = search(state, actor, q, None).await?;
    let texts: Vec<DutyText> = rows
        .iter()
        .map(|r| DutyText {
            matter: r.matter.clone(),
            field: r.field.clone(),
            town_duty: r.town_duty.clone(),
            department_duty: r.department_duty.clone(),
            department: r.department.clone(),
            legal_basis: r.legal_basis.clone(),
            valid_from: r.valid_from.as_deref().and_then(|d| d.parse().ok()),
            valid_to: r.valid_to.as_deref().and_then(|d| d.parse().ok()),
        })
        .collect();
    duban_docs::duties::write_duty_list_xlsx(&texts)
        .map_err(|e| AppError::Internal(format!("duty list export: {e}")))
}

/// The entries a case's text is about and the department they propose.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct DutyProposal {
    pub entries: Vec<DutyView>,
    /// The responsible department the list names, when the entries agree.
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
}

impl DutyProposal {
    /// Whether the list makes `unit` responsible (an entry about the case names it).
    pub fn names(&self, unit: UnitId) -> bool {
        self.entries.iter().any(|e| e.department_id == unit.0)
    }
}

/// Matches a text (a case's title and content) against the entries valid on `day`.
pub async fn propose_in(tx: &mut Tx, text: &str, day: Date) -> Result<DutyProposal, AppError> {
    let rows = store::list_duties(tx).await?;
    let entries: Vec<DutyEntry> = rows
        .iter()
        .map(|r| DutyEntry {
            id: DutyId(r.id),
            matter: r.matter.clone(),
            field: r.field.clone(),
            department: Some(UnitId(r.department_id)),
            valid_from: r.from(),
            valid_to: r.to(),
        })
        .collect();
    let (hits, unit) = duties::propose(&entries, text, day);
    let view = |id: DutyId| rows.iter().find(|r| r.id == id.0).map(DutyView::from);
    let entries: Vec<DutyView> = hits
        .iter()
        .take(5)
        .filter_map(|(e, _)| view(e.id))
        .collect();
    let unit_name = unit.and_then(|u| {
        rows.iter()
            .find(|r| r.department_id == u.0)
            .map(|r| r.department_name.clone())
    });
    Ok(DutyProposal {
        entries,
        unit_id: unit.map(|u| u.0),
        unit_name,
    })
}

/// [`propose_in`] for a text typed into the registration form.
pub async fn propose(
    state: &AppState,
    actor: &Actor,
    text: &str,
) -> Result<DutyProposal, AppError> {
    decide(actor, Action::ViewDuties, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    propose_in(&mut tx, text, state.today()).await
}

/// Approving a unit's request to return a case: when an entry of the list the case is about
/// names that unit, the approval needs an override reason (`override_reason`, else 422
/// `against_duty_list`, nothing written). Returns the timeline data recording the override.
pub async fn check_return(
    tx: &mut Tx,
    case: &duban_store::cases::Case,
    input: &crate::service::cases::steps::StepInput,
    today: Date,
) -> Result<Option<serde_json::Value>, AppError> {
    let Some(unit) = case.handling.lead_unit_id else {
        return Ok(None);
    };
    let text = format!("{}\n{}", case.facts.title, case.facts.content);
    let proposal = propose_in(tx, &text, today).await?;
    if !proposal.names(unit) {
        return Ok(None);
    }
    let reason = input.override_reason.trim();
    if reason.is_empty() {
        return Err(AppError::Invalid(vec![FieldError::new(
            "override_reason",
            "against_duty_list",
        )]));
    }
    if reason.chars().count() > 1000 {
        return Err(AppError::Invalid(vec![FieldError::new(
            "override_reason",
            "too_long",
        )]));
    }
    let ids: Vec<i64> = proposal
        .entries
        .iter()
        .filter(|e| e.department_id == unit.0)
        .map(|e| e.id)
        .collect();
    Ok(Some(
        serde_json::json!({ "duty_override": reason, "duties": ids }),
    ))
}
