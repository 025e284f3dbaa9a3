//! Files of suggestions and proposals: a signed reply's letter (答复函) and the proposer's
//! feedback form (征询意见表) as .docx, and the handling summary (办理情况汇总表) as .xlsx.
//! The layouts are `duban_docs::proposals`; this gathers what they print.

use super::rates::RatesQuery;
use super::{load_visible, scope};
use crate::error::{AppError, FieldError};
use crate::state::AppState;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::proposals::ProposalId;
use duban_core::proposals::kind::Kind;
use duban_core::proposals::state::{OutcomeClass, Rating, State};
use duban_docs::proposals::{ReplyLetter, SummaryRow};
use duban_store::proposals::browse::{self, Filter};
use duban_store::proposals::{self as store, Proposal};

/// Which paper of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// 答复函
    Letter,
    /// 征询意见表
    FeedbackForm,
}

/// The letter or form of the signed reply of `round` (the latest signed one by default), as
/// (file name, bytes).
pub async fn reply_paper(
    state: &AppState,
    actor: &Actor,
    id: ProposalId,
    round: Option<u32>,
    paper: Paper,
) -> Result<(String, Vec<u8>), AppError> {
    let mut tx = state.store.begin_read().await?;
    let p = load_visible(&mut tx, actor, id).await?;
    let replies = store::replies(&mut tx, id).await?;
    drop(tx);
    let reply = replies
        .iter()
        .filter(|r| r.signed().is_some())
        .filter(|r| round.is_none_or(|n| r.round == i64::from(n)))
        .max_by_key(|r| r.round)
        .ok_or(AppError::NotFound)?;
    let intake = p.intake.kind.intake();
    let letter = ReplyLetter {
        noun: intake.noun_zh.into(),
        proposer_word: intake.proposer_zh.into(),
        number: p.number.clone(),
        title: p.intake.title.clone(),
        proposers: std::iter::once(p.proposer_name.clone())
            .chain(p.cosigners.iter().map(|c| c.name.clone()))
            .collect(),
        unit: reply.unit_name.clone(),
        co_units: p
            .units
            .iter()
            .filter(|u| u.role == "co")
            .map(|u| u.unit_name.clone())
            .collect(),
        class: reply
            .class()
            .map(OutcomeClass::label_zh)
            .unwrap_or("")
            .into(),
        body: reply.body.clone(),
        signed_on: reply.signed().unwrap_or(state.today()),
        round: u32::try_from(reply.round).unwrap_or(1),
        copy_to: vec![intake.office_zh.into(), "市政府办公室".into()],
    };
    let (bytes, what) = match paper {
        Paper::Letter => (duban_docs::proposals::write_reply_docx(&letter), "答复函"),
        Paper::FeedbackForm => (
            duban_docs::proposals::write_feedback_docx(&letter),
            "征询意见表",
        ),
    };
    let bytes = bytes.map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((format!("{}{what}.docx", p.number), bytes))
}

fn date_text(d: Option<jiff::civil::Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// One item's row of the summary.
async fn summary_row(tx: &mut duban_store::Tx, p: &Proposal) -> Result<SummaryRow, AppError> {
    let h = &p.handling;
    let contacts = store::contacts(tx, p.id).await?;
    let replies = store::replies(tx, p.id).await?;
    let follow_ups = store::follow_ups(tx, p.id).await?;
    let names = |role: &str| {
        p.units
            .iter()
            .filter(|u| u.role == role)
            .map(|u| u.unit_name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    let stage = |s: &str| match s {
        "report" => "报到",
        "site" => "现场",
        _ => "回访",
    };
    let way = |w: &str| match w {
        "face_to_face" => "当面",
        "site_visit" => "现场走访",
        _ => "电话",
    };
    let contact_text = contacts
        .iter()
        .map(|c| format!("{} {} {}", stage(&c.stage), c.held(), way(&c.way)))
        .collect::<Vec<_>>()
        .join("；");
    let first_signed = replies.iter().filter_map(|r| r.signed()).min();
    let rating = match (h.rating, h.rating_pending) {
        (_, true) => "未评价".to_string(),
        (Some(r), false) => r.label_zh().to_string(),
        (None, false) => String::new(),
    };
    Ok([
        p.number.clone(),
        p.intake.title.clone(),
        p.proposer_name.clone(),
        p.cosigners
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join("、"),
        p.intake.group_name.clone(),
        p.intake.category.clone(),
        p.lead_unit_name.clone().unwrap_or_default(),
        names("co"),
        names("split"),
        if p.intake.key_item { "是" } else { "否" }.into(),
        p.leader_name.clone().unwrap_or_default(),
        date_text(h.handed_out_on),
        date_text(h.reply_due_on),
        h.state.label_zh().into(),
        contact_text,
        if contacts.iter().any(|c| c.head_took_part) {
            "是"
        } else {
            "否"
        }
        .into(),
        date_text(first_signed),
        // duban keeps no document numbers of replies: the office writes them in.
        String::new(),
        h.class.map(|c| c.as_str().to_string()).unwrap_or_default(),
        rating,
        if h.round > 1 || h.first_rating == Some(Rating::Dissatisfied) {
            "是"
        } else {
            "否"
        }
        .into(),
        follow_ups
            .iter()
            .map(|f| {
                let day = f.reported_on.to_jiff().to_string();
                if f.solved {
                    format!("{day}（已解决）")
                } else {
                    day
                }
            })
            .collect::<Vec<_>>()
            .join("；"),
    ])
}

/// The handling summary of a session (one kind or both) as .xlsx, every item in the reader's
/// scope handed to the government, by number.
pub async fn summary_xlsx(
    state: &AppState,
    actor: &Actor,
    q: &RatesQuery,
) -> Result<(String, Vec<u8>), AppError> {
    decide(actor, Action::ViewProposalRates, Object::City)?;
    let kind = match q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => {
            Some(Kind::parse(k).ok_or(AppError::BadQuery(FieldError::new("kind", "bad_choice")))?)
        }
    };
    let year = q.year.unwrap_or(state.today().year());
    let mut tx = state.store.begin_read().await?;
    let filter = Filter {
        year: Some(year),
        kind,
        scope: scope(actor),
        limit: i64::MAX,
        ..Filter::default()
    };
    let (rows, _) = browse::list(&mut tx, &filter).await?;
    let mut out = Vec::new();
    for r in rows {
        if !r.state().is_some_and(State::handed_out) {
            continue;
        }
        let Some(p) = store::get(&mut tx, ProposalId(r.id)).await? else {
            continue;
        };
        out.push(summary_row(&mut tx, &p).await?);
    }
    let noun = match kind {
        Some(k) => k.intake().noun_zh,
        None => "建议提案",
    };
    let title = format!("{year}年{noun}办理情况汇总表");
    let bytes = duban_docs::proposals::write_summary_xlsx(&title, &out)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((format!("{title}.xlsx"), bytes))
}
