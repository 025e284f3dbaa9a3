//! The hand-out sheet (建议提案交办表) at the 交办会: the government office uploads the sheet
//! the NPC and CPPCC offices registered from, sees for each row the registered item it
//! matches (by its number, J2026-068 / T2026-005) and the hand-out it will do — lead, co- and
//! split units from the sheet, the reply deadline from the sheet's 答复期限 or the year's
//! rule — and commits every row or none.
//!
//! One upload flow serves both: [`preview_sheet`] and [`commit_sheet`] let the role decide
//! ([`Mode`]): an office registers ([`super::import`]), the government office hands out. The
//! machinery is the register import's — the same reader and bounds, the same upload table
//! (`import_uploads`, marked [`UPLOAD_KIND`]), the same row problems and wording — and each
//! row is handed out by the single-item step ([`super::steps::act_in`], `hand_out`), all in
//! one transaction. The sheet's 交办日期 is not read: an item is handed out on the day of the
//! commit, as the form does.

use super::import::{ImportPlan, check_units, office_kind, problem};
use super::steps::{StepInput, StepKind, act_in};
use crate::error::{AppError, FieldError};
use crate::service::lists::import::{RowProblem, sheet_error};
use crate::service::names::NameIndexes;
use crate::state::AppState;
use duban_core::cases::deadline::DeadlineRule;
use duban_core::lists::names::Resolved;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::proposals::ProposalId;
use duban_core::proposals::kind::Kind;
use duban_docs::proposals::{HandoutColumn, HandoutRow, read_handout_sheet_within};
use duban_store::Tx;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::HashMap;

/// Marks the government office's hand-out uploads in `import_uploads`.
pub const UPLOAD_KIND: &str = "proposals:hand_out";

/// What an upload of the sheet does, by who uploads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The NPC or CPPCC office registers the rows as items of its kind.
    Register(Kind),
    /// The government office hands the registered items out.
    HandOut,
}

impl Mode {
    /// The office of a kind registers; the government office (`HandOutProposal`) hands
    /// out; anyone else is refused as the register form refuses them.
    pub fn of(actor: &Actor) -> Result<Mode, AppError> {
        match office_kind(actor) {
            Ok(kind) => Ok(Mode::Register(kind)),
            Err(e) => match decide(actor, Action::HandOutProposal, Object::City) {
                Ok(()) => Ok(Mode::HandOut),
                Err(_) => Err(e),
            },
        }
    }
}

/// A row as it will be handed out.
#[derive(Debug, Clone, Serialize)]
pub struct HandOutRow {
    /// Excel row number (1-based).
    pub row: u32,
    /// The number as the sheet wrote it.
    pub number: String,
    /// The registered item it matches.
    pub proposal_id: Option<i64>,
    /// The item's title as registered (the sheet's may differ in wording).
    pub title: String,
    pub lead_unit: String,
    pub co_units: Vec<String>,
    pub split_units: Vec<String>,
    /// The reply deadline the hand-out gives.
    pub reply_due: Option<Date>,
    /// Whether it comes from the sheet's 答复期限 (else the year's rule).
    pub due_from_sheet: bool,
    #[serde(skip)]
    input: StepInput,
    pub problems: Vec<RowProblem>,
}

/// The hand-out preview.
#[derive(Debug, Clone, Serialize)]
pub struct HandOutPlan {
    pub upload_id: i64,
    pub file_name: String,
    pub year: i16,
    /// The day the items are handed out (the commit's day).
    pub handed_out_on: Date,
    pub sheet_name: String,
    pub ignored_columns: Vec<String>,
    pub rows: Vec<HandOutRow>,
}

impl HandOutPlan {
    pub fn problem_count(&self) -> usize {
        self.rows.iter().map(|r| r.problems.len()).sum()
    }
}

/// Either preview.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Preview {
    Register(ImportPlan),
    HandOut(HandOutPlan),
}

impl Preview {
    pub fn upload_id(&self) -> i64 {
        match self {
            Preview::Register(p) => p.upload_id,
            Preview::HandOut(p) => p.upload_id,
        }
    }

    pub fn problem_count(&self) -> usize {
        match self {
            Preview::Register(p) => p.problem_count(),
            Preview::HandOut(p) => p.problem_count(),
        }
    }

    /// `register` or `hand_out`.
    pub fn mode(&self) -> &'static str {
        match self {
            Preview::Register(_) => "register",
            Preview::HandOut(_) => "hand_out",
        }
    }
}

/// A full number of this year (J2026-068, T2026-005): its kind and sequence.
fn parse_number(text: &str, year: i16) -> Result<(Kind, u32), (String, String)> {
    let t = text.trim();
    if t.is_empty() {
        return Err((
            "没有填写编号，无法对应已登记的件".into(),
            "the number is missing; it names the registered item".into(),
        ));
    }
    let Some((kind, y, seq)) = Kind::parse_number(t) else {
        return Err((
            format!(
                "编号“{t}”无法识别，请写完整编号，如{}或{}",
                Kind::Suggestion.number(year, 1),
                Kind::Proposal.number(year, 1)
            ),
            format!(
                "the number “{t}” cannot be read; write it in full, e.g. {}",
                Kind::Suggestion.number(year, 1)
            ),
        ));
    };
    if y != year {
        return Err((
            format!("编号{t}属于{y}年，本次交办的是{year}年"),
            format!("{t} is of {y}; this hand-out is {year}'s"),
        ));
    }
    Ok((kind, seq))
}

/// The 答复期限 as written: a date (2026-06-30, 2026/6/30, 2026.6.30, 2026年6月30日) or a
/// rule (3m, 60d, 20wd). `Ok(None)` when empty: the year's rule applies.
fn parse_due(text: &str) -> Result<Option<DeadlineRule>, ()> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Ok(rule) = DeadlineRule::parse(t) {
        return Ok(Some(rule));
    }
    let parts: Vec<&str> = t
        .trim_end_matches('日')
        .split(['/', '.', '-', '年', '月'])
        .collect();
    if let [y, m, d] = parts[..]
        && let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>())
        && let Ok(date) = Date::new(y, m, d)
    {
        return Ok(Some(DeadlineRule::FixedDate { date }));
    }
    Err(())
}

/// Reads and checks the sheet for hand-out: every row matched to its item, its units and
/// deadline resolved, every problem named. Writes nothing.
async fn plan(
    tx: &mut Tx,
    state: &AppState,
    year: i16,
    upload_id: i64,
    file_name: &str,
    bytes: &[u8],
) -> Result<HandOutPlan, AppError> {
    let sheet = read_handout_sheet_within(bytes, &state.config.sheets).map_err(sheet_error)?;
    let names = NameIndexes::load(tx).await?;
    let today = state.today();
    let calendar = duban_store::calendar::load_calendar(tx).await?;
    let settings = duban_store::proposals::settings::get(tx, year).await?;
    let mut items: HashMap<(Kind, u32), ProposalId> = HashMap::new();
    for kind in [Kind::Suggestion, Kind::Proposal] {
        for (seq, id) in duban_store::proposals::browse::ids_by_seq(tx, kind, year).await? {
            items.insert((kind, seq), id);
        }
    }
    let mut seen: HashMap<(Kind, u32), u32> = HashMap::new();
    let mut rows = Vec::with_capacity(sheet.rows.len());
    for r in &sheet.rows {
        rows.push(plan_row(tx, &names, &items, &mut seen, r, year).await?);
    }
    for (row, r) in rows.iter_mut().zip(&sheet.rows) {
        due(row, r, today, &settings, &calendar);
    }
    Ok(HandOutPlan {
        upload_id,
        file_name: file_name.to_string(),
        year,
        handed_out_on: today,
        sheet_name: sheet.sheet_name,
        ignored_columns: sheet.ignored_columns,
        rows,
    })
}

/// One row: its item and units.
async fn plan_row(
    tx: &mut Tx,
    names: &NameIndexes,
    items: &HashMap<(Kind, u32), ProposalId>,
    seen: &mut HashMap<(Kind, u32), u32>,
    r: &HandoutRow,
    year: i16,
) -> Result<HandOutRow, AppError> {
    let t = &r.text;
    let mut problems = Vec::new();
    let mut proposal_id = None;
    let mut title = t.title.clone();
    match parse_number(&t.number, year) {
        Err((zh, en)) => problems.push(problem(r, HandoutColumn::Number, zh, en)),
        Ok((kind, seq)) => {
            let number = kind.number(year, seq);
            if let Some(first) = seen.get(&(kind, seq)) {
                problems.push(problem(
                    r,
                    HandoutColumn::Number,
                    format!("{number}与第{first}行重复"),
                    format!("{number} is also on row {first}"),
                ));
            }
            seen.entry((kind, seq)).or_insert(r.row);
            match items.get(&(kind, seq)) {
                None => problems.push(problem(
                    r,
                    HandoutColumn::Number,
                    format!("{number}尚未登记"),
                    format!("{number} is not registered"),
                )),
                Some(id) => {
                    let p = duban_store::proposals::get(tx, *id)
                        .await?
                        .ok_or(AppError::NotFound)?;
                    proposal_id = Some(id.0);
                    title = p.intake.title.clone();
                    if !StepKind::HandOut.fits(&p) {
                        let s = p.handling.state;
                        let (zh, en) = match (&p.lead_unit_name, p.handling.handed_out_on) {
                            (Some(u), Some(on)) => (
                                format!("{number}已于{on}交办（主办：{u}），不能再次交办"),
                                format!("{number} was handed out on {on} (lead: {u})"),
                            ),
                            _ => (
                                format!("{number}当前为“{}”，不能交办", s.label_zh()),
                                format!("{number} is {}; it cannot be handed out", s.as_str()),
                            ),
                        };
                        problems.push(problem(r, HandoutColumn::Number, zh, en));
                    }
                }
            }
        }
    }
    let lead = if t.lead_unit.is_empty() {
        problems.push(problem(
            r,
            HandoutColumn::LeadUnit,
            "没有填写主办单位".into(),
            "the lead unit is missing".into(),
        ));
        Vec::new()
    } else {
        check_units(
            names,
            r,
            HandoutColumn::LeadUnit,
            std::slice::from_ref(&t.lead_unit),
            &mut problems,
        )
    };
    let co = check_units(names, r, HandoutColumn::CoUnits, &t.co_units, &mut problems);
    let split = check_units(
        names,
        r,
        HandoutColumn::SplitUnits,
        &t.split_units,
        &mut problems,
    );
    // A unit once per item: not lead and co, not co and split, not twice in a column.
    let named = [
        (
            HandoutColumn::LeadUnit,
            std::slice::from_ref(&t.lead_unit),
            &lead,
        ),
        (HandoutColumn::CoUnits, &t.co_units[..], &co),
        (HandoutColumn::SplitUnits, &t.split_units[..], &split),
    ];
    let mut first_in: HashMap<i64, HandoutColumn> = HashMap::new();
    for (column, written, ids) in named {
        // `check_units` keeps the order of the names it found.
        let found = written
            .iter()
            .filter(|w| matches!(names.unit(w), Resolved::One(_)));
        for (id, w) in ids.iter().zip(found) {
            match first_in.get(id) {
                None => {
                    first_in.insert(*id, column);
                }
                Some(other) => {
                    let other = r.header(*other);
                    problems.push(problem(
                        r,
                        column,
                        format!("“{w}”已列为{other}，同一单位不能重复列出"),
                        format!("“{w}” is already named under {other}"),
                    ));
                }
            }
        }
    }
    let input = StepInput {
        step: StepKind::HandOut.as_str().into(),
        lead_unit_id: lead.first().copied(),
        co_unit_ids: co,
        split_unit_ids: split,
        ..StepInput::default()
    };
    Ok(HandOutRow {
        row: r.row,
        number: t.number.clone(),
        proposal_id,
        title,
        lead_unit: t.lead_unit.clone(),
        co_units: t.co_units.clone(),
        split_units: t.split_units.clone(),
        reply_due: None,
        due_from_sheet: false,
        input,
        problems,
    })
}

/// The row's reply deadline: the sheet's 答复期限 when given (not before the hand-out day),
/// else the year's rule, counted from today as the step counts it.
fn due(
    row: &mut HandOutRow,
    r: &HandoutRow,
    today: Date,
    settings: &duban_core::proposals::settings::Settings,
    calendar: &duban_core::calendar::Calendar,
) {
    let written = r.text.reply_due.trim();
    let rule = match parse_due(written) {
        Ok(rule) => rule,
        Err(()) => {
            row.problems.push(problem(
                r,
                HandoutColumn::ReplyDue,
                format!("“{written}”无法识别，请写成日期（如2026-06-30）或留空按年度规则"),
                format!("“{written}” cannot be read; write a date (2026-06-30) or leave it empty"),
            ));
            return;
        }
    };
    match settings.windows(today, rule, calendar) {
        Ok(w) if w.reply_due < today => row.problems.push(problem(
            r,
            HandoutColumn::ReplyDue,
            format!("答复期限{}已过（今天是{today}）", w.reply_due),
            format!("the deadline {} is past (today is {today})", w.reply_due),
        )),
        Ok(w) => {
            row.reply_due = Some(w.reply_due);
            row.due_from_sheet = rule.is_some();
            row.input.deadline = rule.map(|r| r.to_string()).unwrap_or_default();
        }
        Err(_) => row.problems.push(problem(
            r,
            HandoutColumn::ReplyDue,
            format!("答复期限“{written}”超出范围"),
            format!("the deadline “{written}” is out of range"),
        )),
    }
}

/// Keeps the upload and previews it as the actor's role will use it; nothing else is
/// written. A file that cannot be read is refused before it is kept.
pub async fn preview_sheet(
    state: &AppState,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> Result<Preview, AppError> {
    if let Mode::Register(_) = Mode::of(actor)? {
        return super::import::preview(state, actor, file_name, bytes)
            .await
            .map(Preview::Register);
    }
    read_handout_sheet_within(bytes, &state.config.sheets).map_err(sheet_error)?;
    let year = state.today().year();
    let mut tx = state.store.begin_write().await?;
    let id = duban_store::imports::insert_upload(
        &mut tx,
        actor.user,
        file_name,
        bytes,
        year,
        Some(UPLOAD_KIND),
        state.now(),
    )
    .await?;
    let plan = plan(&mut tx, state, year, id, file_name, bytes).await?;
    tx.commit().await?;
    Ok(Preview::HandOut(plan))
}

/// Commits a previewed upload as the actor's role uses it: registers (an office) or hands
/// out (the government office) every row, in one transaction, or nothing. Returns the items,
/// in row order.
pub async fn commit_sheet(
    state: &AppState,
    actor: &Actor,
    upload_id: i64,
) -> Result<(Mode, Vec<ProposalId>), AppError> {
    let mode = Mode::of(actor)?;
    if let Mode::Register(_) = mode {
        let ids = super::import::commit(state, actor, upload_id).await?;
        return Ok((mode, ids));
    }
    let mut tx = state.store.begin_write().await?;
    let (upload, year) =
        super::import::claim_upload(&mut tx, state, actor, upload_id, UPLOAD_KIND).await?;
    let plan = plan(
        &mut tx,
        state,
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
        let id = ProposalId(row.proposal_id.ok_or(AppError::NotFound)?);
        act_in(&mut tx, state, actor, id, &row.input).await?;
        ids.push(id);
    }
    tx.commit().await?;
    tracing::info!(import.rows = plan.rows.len(), "hand-out sheet handed out");
    Ok((mode, ids))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_hand_out_number_is_written_in_full_and_of_the_year() {
        assert_eq!(parse_number("J2026-068", 2026), Ok((Kind::Suggestion, 68)));
        assert_eq!(parse_number(" T2026-005 ", 2026), Ok((Kind::Proposal, 5)));
        for bad in ["", "068", "2026-068", "J2025-068", "第68号"] {
            assert!(parse_number(bad, 2026).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_reply_deadline_is_read_as_a_date_in_the_usual_forms_or_as_a_rule() {
        let fixed = |y, m, d| {
            Ok(Some(DeadlineRule::FixedDate {
                date: date(y, m, d),
            }))
        };
        assert_eq!(parse_due(""), Ok(None));
        assert_eq!(parse_due("2026-06-30"), fixed(2026, 6, 30));
        assert_eq!(parse_due("2026/6/30"), fixed(2026, 6, 30));
        assert_eq!(parse_due("2026.6.30"), fixed(2026, 6, 30));
        assert_eq!(parse_due("2026年6月30日"), fixed(2026, 6, 30));
        assert_eq!(parse_due("3m"), Ok(Some(DeadlineRule::Months { n: 3 })));
        for bad in ["下月底", "2026-02-30", "2026/13/1", "尽快"] {
            assert_eq!(parse_due(bad), Err(()), "{bad}");
        }
    }
}
