//! Importing the hand-out sheet (建议提案交办表, DOMAIN §4.3): the NPC office uploads its
//! suggestions, the CPPCC office its proposals, sees every row as it will be registered with
//! every problem named by row and column, and commits all rows or none.
//!
//! It is the task-list import's machinery, not a copy: the sheet is opened by the same reader
//! within the same bounds (`duban_docs` `sheet::read`, `config.sheets`), refusals are worded by
//! `lists::import::sheet_error`, problems are `lists::import::RowProblem`, and the upload is
//! kept in `import_uploads` so the commit re-plans exactly the bytes that were previewed. Each
//! row is registered through [`super::register_in`] — the form's own use case, with its checks
//! ([`super::validate`]) run in the preview too — in one transaction for the whole sheet.
//!
//! The unit columns (主办 / 协办 / 分办) are checked against the organisation so the sheet is
//! right for the 交办会, but hand-out itself is the government office's step
//! (`Action::HandOutProposal`), which the offices that import do not hold: items wait for it.
//! When the government office uploads the same sheet, [`super::handout`] hands the registered
//! items out instead, through the same upload, reader and wording.

use super::{ProposalInput, is_proposer, validate};
use crate::error::{AppError, FieldError};
use crate::service::lists::import::{RowProblem, sheet_error};
use crate::service::names::NameIndexes;
use crate::state::AppState;
use duban_core::lists::names::Resolved;
use duban_core::org::PersonId;
use duban_core::policy::{Action, Actor, Denied, Object, decide};
use duban_core::proposals::ProposalId;
use duban_core::proposals::kind::Kind;
use duban_docs::proposals::{HandoutColumn, HandoutRow, read_handout_sheet_within};
use duban_store::Tx;
use serde::Serialize;
use std::collections::HashMap;

/// What a planned row will register.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedRow {
    /// Excel row number (1-based).
    pub row: u32,
    /// The number it will carry (J2026-068), when the row's number is usable.
    pub number: Option<String>,
    pub title: String,
    pub proposer: String,
    pub cosigners: Vec<String>,
    pub group: String,
    pub category: String,
    pub key_item: bool,
    pub leader: String,
    pub lead_unit: String,
    pub co_units: Vec<String>,
    pub split_units: Vec<String>,
    /// What the register use case receives (the number's sequence filled in).
    #[serde(skip)]
    input: ProposalInput,
    pub problems: Vec<RowProblem>,
}

/// The whole preview.
#[derive(Debug, Clone, Serialize)]
pub struct ImportPlan {
    pub upload_id: i64,
    pub file_name: String,
    pub kind: Kind,
    pub year: i16,
    pub sheet_name: String,
    pub ignored_columns: Vec<String>,
    pub rows: Vec<PlannedRow>,
}

impl ImportPlan {
    pub fn problem_count(&self) -> usize {
        self.rows.iter().map(|r| r.problems.len()).sum()
    }
}

/// Marks this family's uploads in `import_uploads`, per kind: an office commits only its own.
pub(super) fn upload_kind(kind: Kind) -> String {
    format!("proposals:{}", kind.as_str())
}

/// The kind the actor's office registers; anyone else is refused as the register form
/// refuses them.
pub fn office_kind(actor: &Actor) -> Result<Kind, AppError> {
    decide(actor, Action::IntakeProposal, Object::City)?;
    actor
        .role
        .and_then(|r| r.proposals_office())
        .ok_or(AppError::Forbidden(Denied::Role))
}

/// A problem in one column of a row, in both languages.
pub(super) fn problem(r: &HandoutRow, column: HandoutColumn, zh: String, en: String) -> RowProblem {
    let header = r.header(column);
    RowProblem {
        zh: format!("第{}行“{header}”列：{zh}", r.row),
        en: format!("row {}, column “{header}”: {en}", r.row),
        column: Some(header),
    }
}

/// A number as written: `J2026-068`, `2026-068` or `068`. `Err` says what is wrong with it.
fn parse_number(text: &str, kind: Kind, year: i16) -> Result<Option<u32>, (String, String)> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let (year_written, seq) = if let Some((k, y, n)) = Kind::parse_number(t) {
        if k != kind {
            let i = kind.intake();
            return Err((
                format!("{t}不是{}，本办只登记{}", i.number_label_zh, i.noun_zh),
                format!("{t} is not a {} number of this office", kind.as_str()),
            ));
        }
        (Some(y), n)
    } else if let Some((y, n)) = t.split_once('-')
        && y.len() == 4
        && let (Ok(y), Ok(n)) = (y.parse::<i16>(), n.parse::<u32>())
    {
        (Some(y), n)
    } else if let Ok(n) = t.parse::<u32>() {
        (None, n)
    } else {
        return Err((
            format!("编号“{t}”无法识别，请写成{}", kind.number(year, 1)),
            format!(
                "the number “{t}” cannot be read; write {}",
                kind.number(year, 1)
            ),
        ));
    };
    if let Some(y) = year_written.filter(|y| *y != year) {
        return Err((
            format!("编号{t}属于{y}年，本次登记的是{year}年"),
            format!("{t} is of {y}; this import registers {year}'s items"),
        ));
    }
    if seq == 0 {
        return Err((
            "编号不能为0".to_string(),
            "the number cannot be 0".to_string(),
        ));
    }
    Ok(Some(seq))
}

/// The lead proposer as written, without a 领衔 mark: 王某（领衔） → 王某.
fn proposer_name(text: &str) -> &str {
    let t = text.trim();
    for mark in ["（领衔）", "(领衔)", "领衔"] {
        if let Some(name) = t.strip_suffix(mark) {
            return name.trim();
        }
    }
    t
}

/// A person named in a column who must sign in as a deputy or member.
async fn proposer_of(
    tx: &mut Tx,
    names: &NameIndexes,
    r: &HandoutRow,
    column: HandoutColumn,
    name: &str,
    problems: &mut Vec<RowProblem>,
) -> Result<Option<i64>, AppError> {
    match names.person(name) {
        Resolved::One(id) if is_proposer(tx, PersonId(id)).await? => Ok(Some(id)),
        Resolved::One(_) => {
            problems.push(problem(
                r,
                column,
                format!("“{name}”没有代表或委员账号"),
                format!("“{name}” has no deputy's or member's account"),
            ));
            Ok(None)
        }
        Resolved::NotFound => {
            problems.push(problem(
                r,
                column,
                format!("找不到“{name}”"),
                format!("nobody is called “{name}”"),
            ));
            Ok(None)
        }
        Resolved::Ambiguous(_) => {
            problems.push(problem(
                r,
                column,
                format!("“{name}”对应多人，请写全名或加别名"),
                format!("“{name}” matches several people"),
            ));
            Ok(None)
        }
    }
}

/// Checks that each unit named in a column is one known unit; returns the units found.
pub(super) fn check_units(
    names: &NameIndexes,
    r: &HandoutRow,
    column: HandoutColumn,
    units: &[String],
    problems: &mut Vec<RowProblem>,
) -> Vec<i64> {
    let mut found = Vec::new();
    for u in units {
        match names.unit(u) {
            Resolved::One(id) => found.push(id),
            Resolved::NotFound => problems.push(problem(
                r,
                column,
                format!("找不到单位“{u}”"),
                format!("no unit is called “{u}”"),
            )),
            Resolved::Ambiguous(_) => problems.push(problem(
                r,
                column,
                format!("“{u}”对应多个单位"),
                format!("“{u}” matches several units"),
            )),
        }
    }
    found
}

/// A refusal of the register check, named by the row and the sheet's column.
fn register_problem(r: &HandoutRow, f: &FieldError) -> RowProblem {
    let column = match f.field {
        "title" => HandoutColumn::Title,
        "proposer_id" => HandoutColumn::Proposer,
        "cosigner_ids" => HandoutColumn::Cosigners,
        "leader_id" => HandoutColumn::Leader,
        _ => HandoutColumn::Number,
    };
    problem(
        r,
        column,
        format!("无法登记（{}）", f.code),
        format!("cannot be registered ({})", f.code),
    )
}

/// Reads and checks the sheet: every row resolved, every problem named. Writes nothing.
async fn plan(
    tx: &mut Tx,
    state: &AppState,
    kind: Kind,
    year: i16,
    upload_id: i64,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportPlan, AppError> {
    let sheet = read_handout_sheet_within(bytes, &state.config.sheets).map_err(sheet_error)?;
    let names = NameIndexes::load(tx).await?;
    let taken = duban_store::proposals::browse::taken_seqs(tx, kind, year).await?;
    let mut seen: HashMap<u32, u32> = HashMap::new();
    let mut rows = Vec::new();
    for r in &sheet.rows {
        let t = &r.text;
        let mut problems = Vec::new();
        let seq = match parse_number(&t.number, kind, year) {
            Ok(seq) => seq,
            Err((zh, en)) => {
                problems.push(problem(r, HandoutColumn::Number, zh, en));
                None
            }
        };
        if let Some(n) = seq {
            let number = kind.number(year, n);
            if let Some(first) = seen.get(&n) {
                problems.push(problem(
                    r,
                    HandoutColumn::Number,
                    format!("{number}与第{first}行重复"),
                    format!("{number} is also on row {first}"),
                ));
            } else if taken.contains(&n) {
                problems.push(problem(
                    r,
                    HandoutColumn::Number,
                    format!("{number}已经登记"),
                    format!("{number} is registered already"),
                ));
            }
            seen.entry(n).or_insert(r.row);
        }
        if t.title.is_empty() {
            problems.push(problem(
                r,
                HandoutColumn::Title,
                "没有填写标题（案由）".into(),
                "the title is missing".into(),
            ));
        }
        let proposer = proposer_name(&t.proposer).to_string();
        let proposer_id = if proposer.is_empty() {
            problems.push(problem(
                r,
                HandoutColumn::Proposer,
                format!("没有填写领衔{}", kind.intake().proposer_zh),
                "the lead proposer is missing".into(),
            ));
            None
        } else {
            proposer_of(
                tx,
                &names,
                r,
                HandoutColumn::Proposer,
                &proposer,
                &mut problems,
            )
            .await?
        };
        let mut cosigner_ids = Vec::new();
        for c in &t.cosigners {
            if let Some(id) =
                proposer_of(tx, &names, r, HandoutColumn::Cosigners, c, &mut problems).await?
            {
                cosigner_ids.push(id);
            }
        }
        let key_item = match t.key_item.as_str() {
            "" | "否" | "不是" | "×" => false,
            "是" | "重点" | "√" | "✓" => true,
            other => {
                problems.push(problem(
                    r,
                    HandoutColumn::KeyItem,
                    format!("“{other}”无法识别，请填“是”或“否”"),
                    format!("“{other}” cannot be read; write 是 or 否"),
                ));
                false
            }
        };
        let leader_id = match (t.leader.as_str(), names.person(&t.leader)) {
            ("", _) => None,
            (_, Resolved::One(id)) => Some(id),
            (name, _) => {
                problems.push(problem(
                    r,
                    HandoutColumn::Leader,
                    format!("找不到领导“{name}”"),
                    format!("no single leader is called “{name}”"),
                ));
                None
            }
        };
        if key_item && t.leader.is_empty() {
            problems.push(problem(
                r,
                HandoutColumn::Leader,
                "重点督办件须填写督办领导".into(),
                "a key item needs its supervising leader".into(),
            ));
        }
        let lead = if t.lead_unit.is_empty() {
            Vec::new()
        } else {
            vec![t.lead_unit.clone()]
        };
        check_units(&names, r, HandoutColumn::LeadUnit, &lead, &mut problems);
        check_units(
            &names,
            r,
            HandoutColumn::CoUnits,
            &t.co_units,
            &mut problems,
        );
        let split = &t.split_units;
        check_units(&names, r, HandoutColumn::SplitUnits, split, &mut problems);
        let input = ProposalInput {
            kind: kind.as_str().into(),
            title: t.title.clone(),
            content: t.content.clone(),
            proposer_id,
            cosigner_ids,
            group_name: t.group.clone(),
            category: t.category.clone(),
            key_item,
            leader_id,
            seq,
        };
        // Exactly the check the commit's register makes (a title too long, …).
        if problems.is_empty()
            && let Err(e) = validate(tx, &input, year, None).await
        {
            match e {
                AppError::Invalid(fields) => {
                    problems.extend(fields.iter().map(|f| register_problem(r, f)));
                }
                e => return Err(e),
            }
        }
        rows.push(PlannedRow {
            row: r.row,
            number: seq.map(|n| kind.number(year, n)),
            title: t.title.clone(),
            proposer,
            cosigners: t.cosigners.clone(),
            group: t.group.clone(),
            category: t.category.clone(),
            key_item,
            leader: t.leader.clone(),
            lead_unit: t.lead_unit.clone(),
            co_units: t.co_units.clone(),
            split_units: t.split_units.clone(),
            input,
            problems,
        });
    }
    // Rows without a number take the next free ones, after every number taken or written,
    // so the preview shows the number each item will carry.
    let mut next = taken.iter().chain(seen.keys()).max().copied().unwrap_or(0);
    for row in rows
        .iter_mut()
        .filter(|r| r.input.seq.is_none() && r.problems.is_empty())
    {
        next += 1;
        row.input.seq = Some(next);
        row.number = Some(kind.number(year, next));
    }
    Ok(ImportPlan {
        upload_id,
        file_name: file_name.to_string(),
        kind,
        year,
        sheet_name: sheet.sheet_name,
        ignored_columns: sheet.ignored_columns,
        rows,
    })
}

/// Keeps the upload and plans it; nothing else is written. A file that cannot be read is
/// refused before it is kept.
pub async fn preview(
    state: &AppState,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportPlan, AppError> {
    let kind = office_kind(actor)?;
    read_handout_sheet_within(bytes, &state.config.sheets).map_err(sheet_error)?;
    let year = state.today().year();
    let mut tx = state.store.begin_write().await?;
    let id = duban_store::imports::insert_upload(
        &mut tx,
        actor.user,
        file_name,
        bytes,
        year,
        Some(&upload_kind(kind)),
        state.now(),
    )
    .await?;
    let plan = plan(&mut tx, state, kind, year, id, file_name, bytes).await?;
    tx.commit().await?;
    Ok(plan)
}

/// Opens a kept upload for its commit: the reader's own, of `kind` (another's, or another
/// office's, is not found), and marked committed first in the same transaction, so of two
/// commits of one upload one writes and the other is refused. Returns it with its year.
pub(super) async fn claim_upload(
    tx: &mut Tx,
    state: &AppState,
    actor: &Actor,
    upload_id: i64,
    kind: &str,
) -> Result<(duban_store::imports::Upload, i16), AppError> {
    let upload = duban_store::imports::get_upload(tx, upload_id).await?;
    if upload.user_id != actor.user.map(|u| u.0) || upload.list_kind.as_deref() != Some(kind) {
        return Err(AppError::NotFound);
    }
    if !duban_store::imports::mark_committed(tx, upload_id).await? {
        return Err(AppError::Invalid(vec![FieldError::new(
            "upload",
            "already_committed",
        )]));
    }
    let year = i16::try_from(upload.year).unwrap_or_else(|_| state.today().year());
    Ok((upload, year))
}

/// Re-plans the kept upload and, if no row has a problem, registers every row through the
/// register use case — one transaction for the whole sheet. A second commit of the same
/// upload is refused. Returns the items registered, in row order.
pub async fn commit(
    state: &AppState,
    actor: &Actor,
    upload_id: i64,
) -> Result<Vec<ProposalId>, AppError> {
    let kind = office_kind(actor)?;
    let mut tx = state.store.begin_write().await?;
    let (upload, year) = claim_upload(&mut tx, state, actor, upload_id, &upload_kind(kind)).await?;
    let plan = plan(
        &mut tx,
        state,
        kind,
        year,
        upload_id,
        &upload.file_name,
        &upload.content,
    )
    .await?;
    if plan.problem_count() > 0 {
        return Err(AppError::Invalid(vec![FieldError::new(
            "upload",
            "has_problems",
        )]));
    }
    let mut ids = Vec::with_capacity(plan.rows.len());
    for row in &plan.rows {
        ids.push(super::register_in(&mut tx, state, actor, &row.input).await?);
    }
    tx.commit().await?;
    tracing::info!(
        import.rows = plan.rows.len(),
        import.kind = kind.as_str(),
        "hand-out sheet imported"
    );
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_in_every_usual_form_and_checked_for_kind_and_year() {
        let k = Kind::Suggestion;
        assert_eq!(parse_number("J2026-068", k, 2026), Ok(Some(68)));
        assert_eq!(parse_number("2026-068", k, 2026), Ok(Some(68)));
        assert_eq!(parse_number(" 68 ", k, 2026), Ok(Some(68)));
        assert_eq!(parse_number("", k, 2026), Ok(None));
        for bad in ["T2026-068", "J2025-068", "2025-001", "第68号", "0"] {
            assert!(parse_number(bad, k, 2026).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_lead_mark_is_not_part_of_the_name() {
        assert_eq!(proposer_name("王某（领衔）"), "王某");
        assert_eq!(proposer_name("王某(领衔)"), "王某");
        assert_eq!(proposer_name(" 王某 "), "王某");
    }
}
