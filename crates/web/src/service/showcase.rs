//! The half-year showcase (晒拼), shared by pages and the API: the office sets up an event,
//! puts judges on the panel (accounts, or one-time guest links: [`guest`]), opens and closes
//! each presenter's scoring, locks and publishes; units write their highlights and the
//! required 短板与差距; judges save and submit score cards; everyone reads the ranking
//! computed by `core::showcase::tally` from the submitted cards. The unit pages are built
//! from the unit's own data in [`page`].

pub mod guest;
pub mod page;
pub mod print;

use super::audit;
use crate::error::{AppError, FieldError};
use crate::state::AppState;
use duban_core::org::UnitId;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::showcase::card::{self, CardContext, CardError};
use duban_core::showcase::state::{EventCommand, EventState, ScoringCommand, ScoringState};
use duban_core::showcase::tally::{self, Standing, TallyCard, TallyPresenter};
use duban_core::showcase::{
    Criterion, EventSetup, JudgeGroup, JudgeId, PresenterId, PresenterSlot, SetupError, ShowcaseId,
    StatementError, UnitStatement,
};
use duban_store::Tx;
use duban_store::showcase::{
    self as store, Card, CardFilter, CardWrite, Judge, NewJudge, Showcase,
};
use serde::{Deserialize, Serialize};

pub(crate) fn invalid(field: &'static str, code: &'static str) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, code)])
}

/// A criterion as sent.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CriterionInput {
    pub name: String,
    /// Whole points; all criteria together 100.
    pub weight: i64,
}

/// A judge group as sent: `weight` for all groups or for none.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct JudgeGroupInput {
    pub name: String,
    #[serde(default)]
    pub weight: Option<i64>,
}

/// A presenting unit as sent, in running order.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PresenterInput {
    pub unit_id: i64,
    /// The presenter group it is ranked in (乡镇街道, 部门 …).
    pub group: String,
}

/// A showcase to set up.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowcaseInput {
    pub title: String,
    /// `2026-07-31`.
    pub held_on: String,
    /// `2026-H1` or `2026-H2`.
    pub half_year: String,
    pub minutes: i64,
    #[serde(default = "yes")]
    pub trim: bool,
    pub criteria: Vec<CriterionInput>,
    pub judge_groups: Vec<JudgeGroupInput>,
    pub presenters: Vec<PresenterInput>,
}

fn yes() -> bool {
    true
}

fn setup_code(e: &SetupError) -> (&'static str, &'static str) {
    match e {
        SetupError::Empty { field: "title" } => ("title", "empty"),
        SetupError::Empty { .. } => ("form", "empty"),
        SetupError::TooLong { field: "title", .. } => ("title", "too_long"),
        SetupError::TooLong { .. } => ("form", "too_long"),
        SetupError::BadHalfYear => ("half_year", "showcase.half_year"),
        SetupError::BadMinutes => ("minutes", "showcase.minutes"),
        SetupError::CriteriaCount => ("criteria", "showcase.criteria_count"),
        SetupError::ZeroWeight => ("criteria", "showcase.zero_weight"),
        SetupError::WeightsSum { .. } => ("criteria", "showcase.weights_sum"),
        SetupError::Duplicate { .. } => ("form", "showcase.duplicate"),
        SetupError::NoJudgeGroups => ("judge_groups", "showcase.no_groups"),
        SetupError::GroupWeights => ("judge_groups", "showcase.group_weights"),
        SetupError::NoPresenters => ("presenters", "showcase.no_presenters"),
        SetupError::PresentsTwice { .. } => ("presenters", "showcase.presents_twice"),
    }
}

fn weight(v: i64) -> Option<u32> {
    u32::try_from(v).ok().filter(|w| *w <= 1000)
}

/// Checks the input against the rules and the organisation; every problem at once.
async fn validate(tx: &mut Tx, input: &ShowcaseInput) -> Result<EventSetup, AppError> {
    let mut problems: Vec<FieldError> = Vec::new();
    let held_on = match input.held_on.trim().parse::<jiff::civil::Date>() {
        Ok(d) if duban_core::text::sensible_date(d) => Some(d),
        _ => {
            problems.push(FieldError::new("held_on", "bad_date"));
            None
        }
    };
    let mut criteria = Vec::new();
    for c in &input.criteria {
        match weight(c.weight) {
            Some(w) => criteria.push(Criterion {
                name: c.name.clone(),
                weight: w,
            }),
            None => problems.push(FieldError::new("criteria", "showcase.zero_weight")),
        }
    }
    let mut judge_groups = Vec::new();
    for g in &input.judge_groups {
        let w = match g.weight {
            None => None,
            Some(v) => match weight(v) {
                Some(w) => Some(w),
                None => {
                    problems.push(FieldError::new("judge_groups", "showcase.group_weights"));
                    None
                }
            },
        };
        judge_groups.push(JudgeGroup {
            name: g.name.clone(),
            weight: w,
        });
    }
    let mut presenters = Vec::new();
    for p in &input.presenters {
        match duban_store::org::get_unit(tx, UnitId(p.unit_id)).await {
            Ok(u) if u.active => presenters.push(PresenterSlot {
                unit: u.unit_id(),
                group: p.group.clone(),
            }),
            Ok(_) | Err(duban_store::StoreError::NotFound) => {
                problems.push(FieldError::new("presenters", "showcase.unknown_unit"))
            }
            Err(e) => return Err(e.into()),
        }
    }
    let minutes = u32::try_from(input.minutes).unwrap_or(0);
    let setup = EventSetup {
        title: input.title.clone(),
        held_on: held_on.unwrap_or(jiff::civil::date(2000, 1, 1)),
        half_year: input.half_year.trim().to_string(),
        minutes,
        criteria,
        judge_groups,
        trim: input.trim,
        presenters,
    };
    let checked = setup.check();
    if let Err(es) = &checked {
        for e in es {
            let (f, c) = setup_code(e);
            let fe = FieldError::new(f, c);
            if !problems.contains(&fe) {
                problems.push(fe);
            }
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    Ok(checked.expect("no problems"))
}

/// Sets up a showcase (a draft) — the office.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: &ShowcaseInput,
) -> Result<ShowcaseId, AppError> {
    decide(actor, Action::ManageShowcase, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    let setup = validate(&mut tx, input).await?;
    let id = store::insert_showcase(&mut tx, &audit(state, actor), &setup).await?;
    tx.commit().await?;
    Ok(id)
}

/// An event the actor may see (404 when there is none).
pub async fn load(tx: &mut Tx, actor: &Actor, id: ShowcaseId) -> Result<Showcase, AppError> {
    let s = store::find_showcase(tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    decide(
        actor,
        Action::ViewShowcase,
        Object::Showcase { state: s.state },
    )?;
    Ok(s)
}

/// Loads an event without asking the policy (the caller asked already).
pub(crate) async fn get(tx: &mut Tx, id: ShowcaseId) -> Result<Showcase, AppError> {
    store::find_showcase(tx, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The events the actor may see, newest first.
pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<Showcase>, AppError> {
    decide(actor, Action::ViewShowcase, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    let all = store::list_showcases(&mut tx).await?;
    Ok(all
        .into_iter()
        .filter(|s| {
            decide(
                actor,
                Action::ViewShowcase,
                Object::Showcase { state: s.state },
            )
            .is_ok()
        })
        .collect())
}

/// Opens the day, locks or publishes — the office.
pub async fn command(
    state: &AppState,
    actor: &Actor,
    id: ShowcaseId,
    command: EventCommand,
) -> Result<EventState, AppError> {
    decide(actor, Action::ManageShowcase, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    let s = get(&mut tx, id).await?;
    let next = s
        .state
        .apply(command)
        .map_err(|_| invalid("state", "showcase.wrong_state"))?;
    store::set_state(&mut tx, &audit(state, actor), id, s.state, next).await?;
    tx.commit().await?;
    Ok(next)
}

/// Parses `open`, `lock`, `publish`.
pub fn parse_command(s: &str) -> Option<EventCommand> {
    match s {
        "open" => Some(EventCommand::Open),
        "lock" => Some(EventCommand::Lock),
        "publish" => Some(EventCommand::Publish),
        _ => None,
    }
}

/// Opens or closes one presenter's scoring — the office.
pub async fn scoring(
    state: &AppState,
    actor: &Actor,
    id: ShowcaseId,
    presenter: PresenterId,
    command: ScoringCommand,
) -> Result<ScoringState, AppError> {
    decide(actor, Action::ManageShowcase, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    let s = get(&mut tx, id).await?;
    let p = s.presenter(presenter).ok_or(AppError::NotFound)?;
    let next = p
        .scoring
        .apply(s.state, command)
        .map_err(|_| invalid("scoring", "showcase.wrong_state"))?;
    store::set_scoring(&mut tx, &audit(state, actor), presenter, p.scoring, next).await?;
    tx.commit().await?;
    Ok(next)
}

/// A signed-in judge to put on the panel.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JudgeInput {
    pub username: String,
    /// Index of the judge group (0 = first).
    pub judge_group: i64,
}

fn group_index(s: &Showcase, g: i64) -> Result<usize, AppError> {
    usize::try_from(g)
        .ok()
        .filter(|g| *g < s.judge_groups.len())
        .ok_or_else(|| invalid("judge_group", "showcase.judge_group"))
}

/// Puts an account on the panel — the office, before the results are locked.
pub async fn add_judge(
    state: &AppState,
    actor: &Actor,
    id: ShowcaseId,
    input: &JudgeInput,
) -> Result<JudgeId, AppError> {
    decide(actor, Action::ManageShowcase, Object::City)?;
    let user = {
        let mut tx = state.store.begin_read().await?;
        duban_store::accounts::find_user_for_login(&mut tx, input.username.trim()).await?
    };
    let Some(user) = user.filter(|u| u.active) else {
        return Err(invalid("username", "showcase.no_user"));
    };
    let user_id = duban_core::org::UserId(user.id);
    let (user_info, judge_actor) = crate::auth::load_actor(state, user_id)
        .await?
        .ok_or_else(|| invalid("username", "showcase.no_user"))?;
    if judge_actor.role == Some(duban_core::role::Role::Auditor) {
        return Err(invalid("username", "showcase.no_user"));
    }
    let mut tx = state.store.begin_write().await?;
    let s = get(&mut tx, id).await?;
    if s.state.is_final() {
        return Err(invalid("state", "showcase.wrong_state"));
    }
    let group = group_index(&s, input.judge_group)?;
    let new = NewJudge {
        judge_group: group,
        name: user_info.name.clone(),
        user_id: Some(user_id),
        unit_id: judge_actor.scope.home_unit,
        link_hash: None,
    };
    let jid = store::insert_judge(&mut tx, &audit(state, actor), id, &new).await?;
    tx.commit().await?;
    Ok(jid)
}

/// The panel of an event — the office.
pub async fn judges(
    state: &AppState,
    actor: &Actor,
    id: ShowcaseId,
) -> Result<Vec<Judge>, AppError> {
    decide(actor, Action::ManageShowcase, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    get(&mut tx, id).await?;
    Ok(store::list_judges(&mut tx, id).await?)
}

/// A unit's highlights and 短板与差距 as sent.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatementInput {
    #[serde(default)]
    pub highlights: String,
    #[serde(default)]
    pub shortfalls: String,
}

/// Keeps a presenter's statement — its unit's head or liaison (or the office), until the
/// event is locked. Refused without 短板与差距.
pub async fn save_statement(
    state: &AppState,
    actor: &Actor,
    id: ShowcaseId,
    presenter: PresenterId,
    input: &StatementInput,
) -> Result<(), AppError> {
    let mut tx = state.store.begin_write().await?;
    let s = get(&mut tx, id).await?;
    let p = s.presenter(presenter).ok_or(AppError::NotFound)?.clone();
    decide(
        actor,
        Action::FillShowcase,
        Object::Presenter {
            unit: p.unit_id,
            state: s.state,
        },
    )?;
    if s.state.is_final() {
        return Err(invalid("state", "showcase.wrong_state"));
    }
    let statement = UnitStatement {
        highlights: input.highlights.clone(),
        shortfalls: input.shortfalls.clone(),
    }
    .check()
    .map_err(|es| {
        AppError::Invalid(
            es.iter()
                .map(|e| match e {
                    StatementError::HighlightsTooLong => {
                        FieldError::new("highlights", "showcase.highlights_long")
                    }
                    StatementError::ShortfallsMissing => {
                        FieldError::new("shortfalls", "showcase.shortfalls_missing")
                    }
                    StatementError::ShortfallsTooLong => {
                        FieldError::new("shortfalls", "showcase.shortfalls_long")
                    }
                })
                .collect(),
        )
    })?;
    store::save_statement(&mut tx, &audit(state, actor), &p, &statement).await?;
    tx.commit().await?;
    Ok(())
}

/// A score card as sent: one whole number 0–100 per criterion, in the event's order.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CardInput {
    pub presenter_id: i64,
    pub scores: Vec<i64>,
    /// `true` submits the card: it can no longer change.
    #[serde(default)]
    pub submit: bool,
}

fn card_error(e: &CardError) -> AppError {
    let (field, code) = match e {
        CardError::OwnUnit => ("presenter_id", "showcase.own_unit"),
        CardError::NotOpen { .. } => ("presenter_id", "showcase.not_open"),
        CardError::EventClosed { .. } => ("presenter_id", "showcase.event_closed"),
        CardError::AlreadySubmitted => ("presenter_id", "showcase.submitted"),
        CardError::WrongCount { .. } => ("scores", "showcase.score_count"),
        CardError::OutOfRange { .. } => ("scores", "showcase.score_range"),
    };
    invalid(field, code)
}

/// The judge an actor sits on the panel as (403 when they do not).
pub async fn panel_judge(tx: &mut Tx, actor: &Actor, id: ShowcaseId) -> Result<Judge, AppError> {
    let user = actor.user.ok_or(AppError::NotSignedIn)?;
    store::find_judge_by_user(tx, id, user)
        .await?
        .ok_or(AppError::Forbidden(duban_core::policy::Denied::OutOfScope))
}

/// Saves or submits a signed-in judge's card.
pub async fn write_card(
    state: &AppState,
    actor: &Actor,
    id: ShowcaseId,
    input: &CardInput,
) -> Result<(), AppError> {
    decide(actor, Action::ScoreShowcase, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    let s = get(&mut tx, id).await?;
    let judge = panel_judge(&mut tx, actor, id).await?;
    if let Some(p) = s.presenter(PresenterId(input.presenter_id)) {
        decide(
            actor,
            Action::ScoreShowcase,
            Object::Presenter {
                unit: p.unit_id,
                state: s.state,
            },
        )?;
    }
    write_card_in(&mut tx, &audit(state, actor), &s, &judge, input).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the actor sits on the event's panel (403 otherwise) — asked before a card's body
/// is read.
pub async fn ensure_judge(state: &AppState, actor: &Actor, id: ShowcaseId) -> Result<(), AppError> {
    decide(actor, Action::ScoreShowcase, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    get(&mut tx, id).await?;
    panel_judge(&mut tx, actor, id).await.map(|_| ())
}

/// Checks and writes a card for `judge` (signed in or guest) inside `tx`.
pub(crate) async fn write_card_in(
    tx: &mut Tx,
    audit: &duban_store::Audit,
    s: &Showcase,
    judge: &Judge,
    input: &CardInput,
) -> Result<(), AppError> {
    let presenter = PresenterId(input.presenter_id);
    let p = s
        .presenter(presenter)
        .ok_or_else(|| invalid("presenter_id", "showcase.no_presenter"))?;
    let mine = store::list_cards(
        tx,
        s.id,
        CardFilter {
            submitted_only: true,
            judge: Some(judge.id),
        },
    )
    .await?;
    let ctx = CardContext {
        event: s.state,
        scoring: p.scoring,
        judge_unit: judge.unit_id,
        presenter_unit: p.unit_id,
        submitted: mine.iter().any(|c| c.presenter_id == presenter),
    };
    let scores = card::check(&ctx, &s.criteria, &input.scores).map_err(|e| card_error(&e))?;
    let total = card::weighted(&s.criteria, &scores);
    let write = CardWrite {
        showcase: s.id,
        presenter,
        judge: judge.id,
        scores,
        total,
        submit: input.submit,
    };
    match store::write_card(tx, audit, &write).await {
        Err(duban_store::StoreError::Conflict { constraint })
            if constraint == "showcase_cards_submitted" =>
        {
            Err(invalid("presenter_id", "showcase.submitted"))
        }
        other => other.map(|_| ()).map_err(AppError::from),
    }
}

/// What a judge's form shows: the presenters they may score now, and their own cards.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JudgeForm {
    pub showcase_id: i64,
    pub title: String,
    pub state: String,
    pub judge_name: String,
    pub criteria: Vec<CriterionView>,
    /// Presenters whose scoring is open, not the judge's own unit.
    pub open: Vec<FormPresenter>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CriterionView {
    pub name: String,
    pub weight: u32,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FormPresenter {
    pub presenter_id: i64,
    pub unit_name: String,
    pub position: i64,
    /// The judge's saved scores (empty before any).
    pub scores: Vec<u32>,
    pub submitted: bool,
}

/// The form of `judge` on `s`.
pub(crate) async fn form_for(
    tx: &mut Tx,
    s: &Showcase,
    judge: &Judge,
) -> Result<JudgeForm, AppError> {
    let cards = store::list_cards(
        tx,
        s.id,
        CardFilter {
            submitted_only: false,
            judge: Some(judge.id),
        },
    )
    .await?;
    let open = s
        .presenters
        .iter()
        .filter(|p| p.scoring == ScoringState::Open && Some(p.unit_id) != judge.unit_id)
        .map(|p| {
            let card = cards.iter().find(|c| c.presenter_id == p.id);
            FormPresenter {
                presenter_id: p.id.0,
                unit_name: p.unit_name.clone(),
                position: p.position,
                scores: card.map(|c| c.scores.clone()).unwrap_or_default(),
                submitted: card.is_some_and(|c| c.submitted_at.is_some()),
            }
        })
        .collect();
    Ok(JudgeForm {
        showcase_id: s.id.0,
        title: s.title.clone(),
        state: s.state.as_str().to_string(),
        judge_name: judge.name.clone(),
        criteria: criteria_view(s),
        open,
    })
}

pub(crate) fn criteria_view(s: &Showcase) -> Vec<CriterionView> {
    s.criteria
        .iter()
        .map(|c| CriterionView {
            name: c.name.clone(),
            weight: c.weight,
        })
        .collect()
}

/// A signed-in judge's form.
pub async fn judge_form(
    state: &AppState,
    actor: &Actor,
    id: ShowcaseId,
) -> Result<JudgeForm, AppError> {
    decide(actor, Action::ScoreShowcase, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    let s = get(&mut tx, id).await?;
    let judge = panel_judge(&mut tx, actor, id).await?;
    form_for(&mut tx, &s, &judge).await
}

/// One line of the results screen.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResultLine {
    pub presenter_id: i64,
    pub unit_name: String,
    pub group: String,
    pub position: i64,
    pub scoring: String,
    /// Two decimals (`86.50`), empty before any card.
    pub score: String,
    /// Hundredths of a point, for programs (`8650`).
    pub score_hundredths: Option<i64>,
    pub cards: usize,
    pub dropped: usize,
    /// The tie-breaker: the sum of the dropped cards, two decimals.
    pub dropped_sum: String,
    pub provisional: bool,
    pub rank: Option<usize>,
}

/// The results screen: standings per presenter group, best first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ShowcaseResults {
    pub showcase_id: i64,
    pub title: String,
    pub state: String,
    pub trim: bool,
    /// Cards submitted so far (the live screen redraws when it changes).
    pub submitted: i64,
    pub lines: Vec<ResultLine>,
}

/// Computes the standings from the submitted cards.
pub fn standings(s: &Showcase, cards: &[Card]) -> Vec<Standing> {
    let presenters: Vec<TallyPresenter> = s
        .presenters
        .iter()
        .map(|p| TallyPresenter {
            id: p.id,
            group: p.group.clone(),
        })
        .collect();
    let weights: Vec<Option<u32>> = s.judge_groups.iter().map(|g| g.weight).collect();
    let cards: Vec<TallyCard> = cards
        .iter()
        .filter(|c| c.submitted_at.is_some())
        .map(|c| TallyCard {
            presenter: c.presenter_id,
            judge_group: c.judge_group,
            score: c.total,
        })
        .collect();
    tally::standings(&presenters, &weights, s.trim, &cards)
}

/// The ranking: published results for everyone signed in, live ones for whole-city roles.
pub async fn results(
    state: &AppState,
    actor: &Actor,
    id: ShowcaseId,
) -> Result<ShowcaseResults, AppError> {
    let mut tx = state.store.begin_read().await?;
    let s = load(&mut tx, actor, id).await?;
    let cards = store::list_cards(
        &mut tx,
        id,
        CardFilter {
            submitted_only: true,
            judge: None,
        },
    )
    .await?;
    let submitted = cards.len() as i64;
    let mut lines: Vec<ResultLine> = standings(&s, &cards)
        .into_iter()
        .filter_map(|st| {
            let p = s.presenter(st.presenter)?;
            Some(ResultLine {
                presenter_id: p.id.0,
                unit_name: p.unit_name.clone(),
                group: p.group.clone(),
                position: p.position,
                scoring: p.scoring.as_str().to_string(),
                score: st.score.map(tally::format_hundredths).unwrap_or_default(),
                score_hundredths: st.score,
                cards: st.cards,
                dropped: st.dropped,
                dropped_sum: tally::format_hundredths(st.dropped_sum),
                provisional: st.provisional,
                rank: st.rank,
            })
        })
        .collect();
    // Groups in running order of their first presenter, then by rank (unranked last).
    let group_order: Vec<String> = {
        let mut g: Vec<String> = Vec::new();
        for p in &s.presenters {
            if !g.contains(&p.group) {
                g.push(p.group.clone());
            }
        }
        g
    };
    lines.sort_by_key(|l| {
        (
            group_order.iter().position(|g| *g == l.group),
            l.rank.unwrap_or(usize::MAX),
            l.position,
        )
    });
    Ok(ShowcaseResults {
        showcase_id: id.0,
        title: s.title,
        state: s.state.as_str().to_string(),
        trim: s.trim,
        submitted,
        lines,
    })
}

/// Every raw card (drafts included) — the office and the auditor.
pub async fn raw_cards(
    state: &AppState,
    actor: &Actor,
    id: ShowcaseId,
) -> Result<(Showcase, Vec<Card>), AppError> {
    decide(actor, Action::ViewShowcaseCards, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    let s = get(&mut tx, id).await?;
    let cards = store::list_cards(&mut tx, id, CardFilter::default()).await?;
    Ok((s, cards))
}

/// The media type of .xlsx files.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The raw cards as .xlsx, with the file name to offer — the office and the auditor.
pub async fn export_cards(
    state: &AppState,
    actor: &Actor,
    id: ShowcaseId,
) -> Result<(Vec<u8>, String), AppError> {
    let (s, cards) = raw_cards(state, actor, id).await?;
    let tz = state.config.timezone.clone();
    let rows: Vec<duban_docs::showcase::CardSheetRow> = cards
        .iter()
        .map(|c| duban_docs::showcase::CardSheetRow {
            position: s.presenter(c.presenter_id).map_or(0, |p| p.position),
            unit: c.unit_name.clone(),
            judge: c.judge_name.clone(),
            judge_group: s
                .judge_groups
                .get(c.judge_group)
                .map(|g| g.name.clone())
                .unwrap_or_default(),
            guest: c.guest,
            scores: c.scores.clone(),
            total: c.total as f64 / 100.0,
            submitted_at: c
                .submitted_at
                .map(|t| {
                    t.to_zoned(tz.clone())
                        .strftime("%Y-%m-%d %H:%M:%S")
                        .to_string()
                })
                .unwrap_or_default(),
        })
        .collect();
    let criteria: Vec<(String, u32)> = s
        .criteria
        .iter()
        .map(|c| (c.name.clone(), c.weight))
        .collect();
    let bytes = duban_docs::showcase::write_cards_xlsx(&s.title, &criteria, &rows)
        .map_err(|e| AppError::Internal(format!("cards sheet: {e}")))?;
    Ok((bytes, format!("{}-评分原始记录.xlsx", s.title)))
}

/// The office's set-up form as typed: one criterion (`工作实绩 40`), judge group (`市领导 60`
/// or `市领导`) or presenter (`unit-code group`) per line.
#[derive(Debug, Clone, Default)]
pub struct SetupLines {
    pub title: String,
    pub held_on: String,
    pub half_year: String,
    pub minutes: String,
    pub trim: bool,
    pub criteria: String,
    pub judge_groups: String,
    pub presenters: String,
}

/// `name number` → (name, number); a line without a trailing number gives `None`.
fn name_and_number(line: &str) -> (String, Option<i64>) {
    let line = line.trim();
    match line.rsplit_once(char::is_whitespace) {
        Some((name, n)) => match n.trim().parse::<i64>() {
            Ok(v) => (name.trim().to_string(), Some(v)),
            Err(_) => (line.to_string(), None),
        },
        None => (line.to_string(), None),
    }
}

/// Reads the set-up form into an input (units by code); a line that cannot be read is a
/// field problem, like the rules' own.
pub async fn input_from_lines(state: &AppState, f: SetupLines) -> Result<ShowcaseInput, AppError> {
    let lines = |t: &str| -> Vec<String> {
        t.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut criteria = Vec::new();
    for l in lines(&f.criteria) {
        match name_and_number(&l) {
            (name, Some(weight)) => criteria.push(CriterionInput { name, weight }),
            (_, None) => return Err(invalid("criteria", "showcase.line")),
        }
    }
    let judge_groups = lines(&f.judge_groups)
        .iter()
        .map(|l| {
            let (name, weight) = name_and_number(l);
            JudgeGroupInput { name, weight }
        })
        .collect();
    let mut presenters = Vec::new();
    let mut tx = state.store.begin_read().await?;
    for l in lines(&f.presenters) {
        let (code, group) = l
            .split_once(char::is_whitespace)
            .unwrap_or((l.as_str(), ""));
        match duban_store::org::find_unit_by_code(&mut tx, code.trim()).await? {
            Some(u) => presenters.push(PresenterInput {
                unit_id: u.id,
                group: group.trim().to_string(),
            }),
            None => return Err(invalid("presenters", "showcase.unknown_unit")),
        }
    }
    Ok(ShowcaseInput {
        title: f.title,
        held_on: f.held_on,
        half_year: f.half_year,
        minutes: f.minutes.trim().parse().unwrap_or(0),
        trim: f.trim,
        criteria,
        judge_groups,
        presenters,
    })
}
