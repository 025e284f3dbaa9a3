//! The hand-out sheet (建议提案交办表) at the 交办会: the government office uploads the sheet
//! the NPC and CPPCC offices registered from, sees for each row the registered item it
//! matches (by its number, J2026-068 / T2026-005, or short: J68, 68) and the hand-out it will do — lead, co- and
//! split units from the sheet, the reply deadline from the sheet's 答复期限 or the year's
//! rule — and commits every row or none.
//!
//! One upload flow serves both: [`preview_sheet`] and [`commit_sheet`] let the role decide
//! ([`Mode`]): an office registers ([`super::import`]), the government office hands out. The
//! machinery is the register import's — the same reader and bounds, the same upload table
//! (`import_uploads`, marked [`UPLOAD_KIND`]), the same row problems and wording — and each
//! row is handed out by the single-item step ([`super::steps::act_in`], `hand_out`), all in
//! one transaction. A row's 交办日期 is the day of the hand-out (the deadline counts from it;
//! a day after today or before the item's registration is refused); without one the item is
//! handed out on the day of the commit, as the form does. A number may be written short (68,
//! J68, 2026-068) when it names one registered item of the sheet's kind and year.

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
    /// The item's number in full (as the sheet wrote it when it names no registered item).
    pub number: String,
    /// The registered item it matches.
    pub proposal_id: Option<i64>,
    /// The item's title as registered (the sheet's may differ in wording).
    pub title: String,
    pub lead_unit: String,
    pub co_units: Vec<String>,
    pub split_units: Vec<String>,
    /// The day it is handed out: the sheet's 交办日期, else the commit's day.
    pub handed_out_on: Option<Date>,
    /// The reply deadline the hand-out gives, counted from that day.
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
    /// The commit's day: rows without a 交办日期 are handed out on it.
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

/// A number as the sheet wrote it, read in the sheet's year: in full (J2026-068), or short —
/// with its kind's letter (J68, J068), with the year (2026-068), or the sequence alone (68,
/// 068). The kind is `None` when the sheet left it out.
fn parse_number(text: &str, year: i16) -> Result<(Option<Kind>, u32), (String, String)> {
    let t = text.trim();
    if t.is_empty() {
        return Err((
            "没有填写编号，无法对应已登记的件".into(),
            "the number is missing; it names the registered item".into(),
        ));
    }
    let unreadable = || {
        (
            format!(
                "编号“{t}”无法识别，请写完整编号（如{}）或本年度的序号（如68、J68）",
                Kind::Suggestion.number(year, 68),
            ),
            format!(
                "the number “{t}” cannot be read; write it in full ({}) or as this year's sequence (68, J68)",
                Kind::Suggestion.number(year, 68)
            ),
        )
    };
    let (kind, rest) = match Kind::ALL
        .into_iter()
        .find(|k| t.starts_with(k.intake().number_prefix))
    {
        Some(k) => (Some(k), &t[k.intake().number_prefix.len()..]),
        None => (None, t),
    };
    let digits = match rest.split_once('-') {
        None => rest,
        Some((y, n)) => {
            if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
                return Err(unreadable());
            }
            if y != year.to_string() {
                return Err((
                    format!("编号{t}属于{y}年，本次交办的是{year}年"),
                    format!("{t} is of {y}; this hand-out is {year}'s"),
                ));
            }
            n
        }
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(unreadable());
    }
    match digits.parse::<u32>() {
        Ok(seq) if seq > 0 => Ok((kind, seq)),
        _ => Err(unreadable()),
    }
}

/// The kinds the sheet names with its numbers' letters (J…, T…): a short number without one
/// is of the sheet's kind when the sheet names exactly one.
fn sheet_kinds(sheet: &[HandoutRow], year: i16) -> Vec<Kind> {
    let mut kinds: Vec<Kind> = sheet
        .iter()
        .filter_map(|r| parse_number(&r.text.number, year).ok()?.0)
        .collect();
    kinds.sort_by_key(|k| k.as_str());
    kinds.dedup();
    kinds
}

/// The registered item a number as written names, within the sheet's kind and year; a short
/// number that could name two items, or names none, is a problem in both languages.
fn resolve(
    written: &str,
    number: (Option<Kind>, u32),
    sheet_kinds: &[Kind],
    items: &HashMap<(Kind, u32), ProposalId>,
    year: i16,
) -> Result<(Kind, u32, ProposalId), (String, String)> {
    let (kind, seq) = number;
    let candidates: Vec<Kind> = match (kind, sheet_kinds) {
        (Some(k), _) => vec![k],
        (None, [k]) => vec![*k],
        (None, []) => Kind::ALL
            .into_iter()
            .filter(|k| items.contains_key(&(*k, seq)))
            .collect(),
        (None, _) => {
            let full: Vec<String> = Kind::ALL.iter().map(|k| k.number(year, seq)).collect();
            return Err((
                format!(
                    "本表既有建议也有提案，编号“{written}”请写明类别字母（{}）",
                    full.join("或")
                ),
                format!(
                    "this sheet holds both suggestions and proposals; write “{written}” with its letter ({})",
                    full.join(" or ")
                ),
            ));
        }
    };
    match candidates[..] {
        [k] => match items.get(&(k, seq)) {
            Some(id) => Ok((k, seq, *id)),
            None => {
                let number = k.number(year, seq);
                Err((
                    format!("{number}尚未登记"),
                    format!("{number} is not registered"),
                ))
            }
        },
        [] => Err((
            format!("编号“{written}”在{year}年没有已登记的建议或提案"),
            format!("no suggestion or proposal of {year} is registered as “{written}”"),
        )),
        _ => {
            let full: Vec<String> = candidates.iter().map(|k| k.number(year, seq)).collect();
            Err((
                format!("编号“{written}”可能是{}，请写完整编号", full.join("或")),
                format!(
                    "“{written}” could be {}; write the number in full",
                    full.join(" or ")
                ),
            ))
        }
    }
}

/// A day as written in a sheet: 2026-06-30, 2026/6/30, 2026.6.30 or 2026年6月30日 (a date cell
/// reads as the first).
fn parse_day(text: &str) -> Option<Date> {
    let parts: Vec<&str> = text
        .trim()
        .trim_end_matches('日')
        .split(['/', '.', '-', '年', '月'])
        .collect();
    if let [y, m, d] = parts[..]
        && let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>())
    {
        return Date::new(y, m, d).ok();
    }
    None
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
    parse_day(t)
        .map(|date| Some(DeadlineRule::FixedDate { date }))
        .ok_or(())
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
    let kinds = sheet_kinds(&sheet.rows, year);
    let mut seen: HashMap<(Kind, u32), u32> = HashMap::new();
    let mut rows = Vec::with_capacity(sheet.rows.len());
    for r in &sheet.rows {
        let mut row = plan_row(tx, &names, &items, &kinds, &mut seen, r, year).await?;
        let registered = match row.proposal_id {
            Some(id) => Some(
                duban_store::proposals::registered_at(tx, ProposalId(id))
                    .await?
                    .to_zoned(state.config.timezone.clone())
                    .date(),
            ),
            None => None,
        };
        if let Some(on) = handed_out_on(&mut row, r, today, registered) {
            due(&mut row, r, on, today, &settings, &calendar);
        }
        rows.push(row);
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
    sheet_kinds: &[Kind],
    seen: &mut HashMap<(Kind, u32), u32>,
    r: &HandoutRow,
    year: i16,
) -> Result<HandOutRow, AppError> {
    let t = &r.text;
    let mut problems = Vec::new();
    let mut proposal_id = None;
    let mut title = t.title.clone();
    let mut full_number = t.number.clone();
    match parse_number(&t.number, year)
        .and_then(|n| resolve(t.number.trim(), n, sheet_kinds, items, year))
    {
        Err((zh, en)) => problems.push(problem(r, HandoutColumn::Number, zh, en)),
        Ok((kind, seq, id)) => {
            let number = kind.number(year, seq);
            full_number = number.clone();
            if let Some(first) = seen.get(&(kind, seq)) {
                problems.push(problem(
                    r,
                    HandoutColumn::Number,
                    format!("{number}与第{first}行重复"),
                    format!("{number} is also on row {first}"),
                ));
            }
            seen.entry((kind, seq)).or_insert(r.row);
            let p = duban_store::proposals::get(tx, id)
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
        number: full_number,
        proposal_id,
        title,
        lead_unit: t.lead_unit.clone(),
        co_units: t.co_units.clone(),
        split_units: t.split_units.clone(),
        handed_out_on: None,
        reply_due: None,
        due_from_sheet: false,
        input,
        problems,
    })
}

/// The row's hand-out day: the sheet's 交办日期 when given — not after today, not before the
/// item was registered — else today. `None` (and a problem) when it cannot be used.
fn handed_out_on(
    row: &mut HandOutRow,
    r: &HandoutRow,
    today: Date,
    registered: Option<Date>,
) -> Option<Date> {
    let written = r.text.handed_out_on.trim();
    if written.is_empty() {
        row.handed_out_on = Some(today);
        return Some(today);
    }
    let column = HandoutColumn::HandedOutOn;
    let Some(on) = parse_day(written) else {
        row.problems.push(problem(
            r,
            column,
            format!("“{written}”无法识别，请写成日期（如2026-03-20）或留空按今天交办"),
            format!(
                "“{written}” cannot be read; write a date (2026-03-20) or leave it empty for today"
            ),
        ));
        return None;
    };
    if on > today {
        row.problems.push(problem(
            r,
            column,
            format!("交办日期{on}晚于今天（{today}）"),
            format!("the hand-out date {on} is after today ({today})"),
        ));
        return None;
    }
    if let Some(reg) = registered.filter(|reg| on < *reg) {
        row.problems.push(problem(
            r,
            column,
            format!("交办日期{on}早于该件的登记日期{reg}"),
            format!("the hand-out date {on} is before the item was registered ({reg})"),
        ));
        return None;
    }
    row.handed_out_on = Some(on);
    row.input.handed_out_on = Some(on);
    Some(on)
}

/// The row's reply deadline: the sheet's 答复期限 when given, else the year's rule, counted
/// from the hand-out day `on` as the step counts it; a deadline already past is refused.
fn due(
    row: &mut HandOutRow,
    r: &HandoutRow,
    on: Date,
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
    match settings.windows(on, rule, calendar) {
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
    fn a_hand_out_number_is_read_in_full_or_short_in_the_sheets_year() {
        let (j, t) = (Some(Kind::Suggestion), Some(Kind::Proposal));
        assert_eq!(parse_number("J2026-068", 2026), Ok((j, 68)));
        assert_eq!(parse_number(" T2026-005 ", 2026), Ok((t, 5)));
        assert_eq!(parse_number("J68", 2026), Ok((j, 68)));
        assert_eq!(parse_number("T005", 2026), Ok((t, 5)));
        assert_eq!(parse_number("068", 2026), Ok((None, 68)));
        assert_eq!(parse_number("68", 2026), Ok((None, 68)));
        assert_eq!(parse_number("2026-068", 2026), Ok((None, 68)));
        for bad in ["", "J2025-068", "第68号", "J", "0", "J-68", "68a", "X68"] {
            assert!(parse_number(bad, 2026).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_short_number_names_an_item_only_when_one_fits_the_sheets_kind_and_year() {
        let items: HashMap<(Kind, u32), ProposalId> = [
            ((Kind::Suggestion, 68), ProposalId(1)),
            ((Kind::Proposal, 68), ProposalId(2)),
            ((Kind::Proposal, 5), ProposalId(3)),
        ]
        .into();
        let j = Kind::Suggestion;
        let found = |n, kinds: &[Kind]| resolve("x", n, kinds, &items, 2026).map(|r| r.2);
        // The letter says which.
        assert_eq!(found((Some(j), 68), &[]), Ok(ProposalId(1)));
        // The sheet's kind, from its other numbers' letters.
        assert_eq!(found((None, 68), &[Kind::Proposal]), Ok(ProposalId(2)));
        // No letter anywhere: the one registered item with that sequence.
        assert_eq!(found((None, 5), &[]), Ok(ProposalId(3)));
        // Two items could be meant: named, both.
        let (zh, en) = found((None, 68), &[]).unwrap_err();
        assert!(zh.contains("J2026-068") && zh.contains("T2026-068"), "{zh}");
        assert!(en.contains("in full"), "{en}");
        // A sheet of both kinds: a bare number is ambiguous whatever is registered.
        assert!(found((None, 5), &[j, Kind::Proposal]).is_err());
        // Unknown.
        assert_eq!(found((Some(j), 5), &[]).unwrap_err().0, "J2026-005尚未登记");
        assert!(found((None, 99), &[]).unwrap_err().0.contains("没有已登记"));
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
