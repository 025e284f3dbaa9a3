//! Public problem intake, shared by the portal's form, Open311 and the office's intake pages
//! and API: count the request against the rate limits, check the report (`core::public`),
//! store it with its optional photo in the intake queue, and — for the office — accept it into
//! the closed loop (a case registered with source `public`, linked) or reject it with a reason.
//! Public reads return [`PublicRow`]s, which carry no contact data.

use super::audit;
use super::cases::{CaseInput, register_in};
use crate::error::{AppError, FieldError, FileRefusal};
use crate::service::attachments::{self as files, Link, Upload};
use crate::state::AppState;
use duban_core::attachments::{LinkedTo, Refusal};
use duban_core::cases::CaseId;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::public::{Category, Channel, MAX_REPLY, Moderation, ReportInput, TrackingNumber};
use duban_store::public::{
    self as store, NewPublicRequest, PublicFilter, PublicRequest, PublicRow,
};
use rand::RngCore;

/// Settings of the public intake: the categories offered and the rate limits.
#[derive(Debug, Clone)]
pub struct PublicConfig {
    /// The problem categories (Open311 service codes), in the order offered.
    pub categories: Vec<Category>,
    /// Reports accepted from one client address per minute.
    pub per_address_per_minute: i64,
    /// Reports accepted from everyone together per minute.
    pub global_per_minute: i64,
    /// Citizens' evaluations of one commitment per hour beyond which new ones are flagged
    /// for the office (a burst).
    pub evaluation_burst_per_hour: i64,
    /// Citizens' evaluations of one commitment per hour beyond which more are refused (429).
    pub evaluations_per_hour: i64,
}

impl Default for PublicConfig {
    fn default() -> Self {
        PublicConfig {
            categories: duban_core::public::default_categories(),
            per_address_per_minute: 10,
            global_per_minute: 120,
            evaluation_burst_per_hour: 20,
            evaluations_per_hour: 200,
        }
    }
}

impl PublicConfig {
    pub fn category(&self, code: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.code == code)
    }

    /// A category's name in the reader's language (the code itself if it is no longer
    /// configured).
    pub fn category_name(&self, code: &str, lang: crate::i18n::Lang) -> String {
        match (self.category(code), lang) {
            (Some(c), crate::i18n::Lang::Zh) => c.name_zh.clone(),
            (Some(c), crate::i18n::Lang::En) => c.name_en.clone(),
            (None, _) => code.to_string(),
        }
    }
}

/// Counts one submission from `address` and refuses it (429) when this minute's limit for
/// the address or for everyone is reached. The count is kept in the database, so the limits
/// hold across processes; it is committed even when the submission then fails.
pub async fn check_rate(state: &AppState, address: &str) -> Result<(), AppError> {
    let now = state.now();
    let second = now.as_second();
    let window = jiff::Timestamp::from_second(second - second.rem_euclid(60))
        .map_err(|e| AppError::Internal(format!("rate window: {e}")))?;
    let forget = window - jiff::SignedDuration::from_hours(1);
    let limits = &state.config.public;
    let mut tx = state.store.begin_write().await?;
    let mine =
        store::count_request(&mut tx, &format!("public:addr:{address}"), window, forget).await?;
    let all = store::count_request(&mut tx, "public:all", window, forget).await?;
    tx.commit().await?;
    if mine > limits.per_address_per_minute || all > limits.global_per_minute {
        tracing::warn!(
            rate.address_count = mine,
            rate.global_count = all,
            "public submissions over the limit"
        );
        return Err(AppError::RateLimited);
    }
    Ok(())
}

/// Files a report: checks it, stores the photo (photos only), draws a tracking number and
/// puts it in the intake queue. Returns the tracking number.
pub async fn submit(
    state: &AppState,
    actor: &Actor,
    input: &ReportInput<'_>,
    channel: Channel,
    photo: Option<Upload>,
) -> Result<TrackingNumber, AppError> {
    decide(actor, Action::PublicReport, Object::City)?;
    let report = input.check(&state.config.public.categories).map_err(|ps| {
        AppError::Invalid(
            ps.into_iter()
                .map(|p| FieldError::new(p.field, p.code))
                .collect(),
        )
    })?;
    // Anonymous on purpose: a public report is nobody's account, even when sent signed in.
    let audit = duban_store::Audit::new(None, state.now());
    let mut tx = state.store.begin_write().await?;
    let photo_id = match photo {
        Some(p) => {
            let saved =
                files::save_upload(state, &mut tx, actor, &audit, &p.file_name, &p.bytes).await?;
            if saved.kind != "image" {
                return Err(AppError::FileRefused(FileRefusal {
                    file: saved.file_name,
                    refusal: Refusal::NotAllowed,
                }));
            }
            Some(saved.id)
        }
        None => None,
    };
    let mut random = [0u8; 10];
    rand::rng().fill_bytes(&mut random);
    let tracking = TrackingNumber::new(state.today().year(), random);
    let id = store::insert_request(
        &mut tx,
        &audit,
        &NewPublicRequest {
            tracking: &tracking,
            channel,
            report: &report,
            photo_id,
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        public_request.id = id,
        public_request.channel = channel.as_str(),
        "public report filed"
    );
    Ok(tracking)
}

/// A report by its tracking number, for the person who holds it (also before moderation).
pub async fn track(state: &AppState, raw: &str) -> Result<PublicRow, AppError> {
    let tracking = TrackingNumber::parse(raw).ok_or(AppError::NotFound)?;
    let mut tx = state.store.begin_read().await?;
    let r = store::find_by_tracking(&mut tx, &tracking)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(r.public_row())
}

/// Published reports (accepted ones only), as public rows.
pub async fn list_published(
    state: &AppState,
    filter: &PublicFilter,
) -> Result<Vec<PublicRow>, AppError> {
    decide(&Actor::default(), Action::PublicView, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    Ok(store::list_public(&mut tx, filter).await?)
}

/// The intake queue in one moderation state (the office).
pub async fn queue(
    state: &AppState,
    actor: &Actor,
    moderation: Moderation,
) -> Result<Vec<PublicRequest>, AppError> {
    decide(actor, Action::ModerateIntake, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    Ok(store::list_requests(&mut tx, moderation, 200).await?)
}

/// One report with its contact data (the office).
pub async fn get(state: &AppState, actor: &Actor, id: i64) -> Result<PublicRequest, AppError> {
    decide(actor, Action::ModerateIntake, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    store::find_request(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// How the office accepts a report: the case's title (default: the start of the
/// description) and urgency.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct AcceptInput {
    #[serde(default)]
    pub title: String,
    /// urgent | normal; default normal.
    #[serde(default)]
    pub urgency: String,
}

/// Accepts a new report: registers a case of the closed loop (source `public`, kind
/// problem) through the register service, links it, and hangs the photo on the case's
/// registration — all in one transaction. The case then waits for the office to assign it.
pub async fn accept(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &AcceptInput,
) -> Result<CaseId, AppError> {
    decide(actor, Action::ModerateIntake, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    let r = store::find_request(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if r.moderation != Moderation::New {
        return Err(AppError::Invalid(vec![FieldError::new(
            "state",
            "intake_decided",
        )]));
    }
    let title = match input.title.trim() {
        "" => default_title(&r.description),
        t => t.to_string(),
    };
    let category = state
        .config
        .public
        .category(&r.category)
        .map_or(r.category.clone(), |c| c.name_zh.clone());
    let mut content = r.description.clone();
    if !r.address.is_empty() {
        content.push_str(&format!("\n地点：{}", r.address));
    }
    if let Some((lat, long)) = r.position {
        content.push_str(&format!("\n坐标：{lat:.6}, {long:.6}"));
    }
    content.push_str(&format!("\n受理编号：{}（联系方式见受理台）", r.tracking));
    let found_on = r.created_at.to_zoned(state.config.timezone.clone()).date();
    let case_input = CaseInput {
        kind: "problem".into(),
        source: "public".into(),
        title,
        content,
        category,
        urgency: input.urgency.clone(),
        found_on: found_on.to_string(),
        task_ids: vec![],
        raised_by_id: None,
    };
    let case = register_in(&mut tx, state, actor, &case_input).await?;
    let audit = audit(state, actor);
    store::accept(&mut tx, &audit, id, case).await?;
    if let Some(photo) = r.photo_id {
        let event = store::first_case_event(&mut tx, case).await?;
        files::link(
            &mut tx,
            &audit,
            photo,
            Link {
                object_type: LinkedTo::CaseEvent,
                object_id: event,
                task_id: None,
                case_id: Some(case),
                file_name: format!("{}.jpg", r.tracking),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(case)
}

/// The first 30 characters of the first line, for a case title.
fn default_title(description: &str) -> String {
    let line = description.lines().next().unwrap_or("").trim();
    let mut t: String = line.chars().take(30).collect();
    if line.chars().count() > 30 {
        t.push('…');
    }
    if t.is_empty() {
        "群众反映".into()
    } else {
        t
    }
}

/// Rejects a new report with a reason the citizen will read.
pub async fn reject(
    state: &AppState,
    actor: &Actor,
    id: i64,
    reason: &str,
) -> Result<(), AppError> {
    decide(actor, Action::ModerateIntake, Object::City)?;
    let reason = duban_core::public::strip_markup(reason);
    if reason.is_empty() {
        return Err(AppError::Invalid(vec![FieldError::new(
            "reason",
            "reason_required",
        )]));
    }
    if reason.chars().count() > MAX_REPLY {
        return Err(AppError::Invalid(vec![FieldError::new(
            "reason", "too_long",
        )]));
    }
    let mut tx = state.store.begin_write().await?;
    let r = store::find_request(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if r.moderation != Moderation::New {
        return Err(AppError::Invalid(vec![FieldError::new(
            "state",
            "intake_decided",
        )]));
    }
    store::reject(&mut tx, &audit(state, actor), id, &reason).await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes the office's reply on an accepted report (shown on its public page).
pub async fn reply(state: &AppState, actor: &Actor, id: i64, text: &str) -> Result<(), AppError> {
    decide(actor, Action::ModerateIntake, Object::City)?;
    let text = duban_core::public::strip_markup(text);
    if text.chars().count() > MAX_REPLY {
        return Err(AppError::Invalid(vec![FieldError::new(
            "public_reply",
            "too_long",
        )]));
    }
    let mut tx = state.store.begin_write().await?;
    let r = store::find_request(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if r.moderation != Moderation::Accepted {
        return Err(AppError::Invalid(vec![FieldError::new(
            "state",
            "wrong_state",
        )]));
    }
    store::set_reply(&mut tx, &audit(state, actor), id, &text).await?;
    tx.commit().await?;
    Ok(())
}

/// The photo of a report, for the office before it is accepted (afterwards it is on the
/// case). Returns the attachment and its bytes as a body (the thumbnail when `thumb`).
pub async fn photo(
    state: &AppState,
    actor: &Actor,
    id: i64,
    thumb: bool,
) -> Result<(duban_store::attachments::Attachment, axum::body::Body), AppError> {
    let r = get(state, actor, id).await?;
    let photo = r.photo_id.ok_or(AppError::NotFound)?;
    let mut tx = state.store.begin_read().await?;
    let a = duban_store::attachments::get_attachment(&mut tx, photo).await?;
    drop(tx);
    let bytes = files::read_content(state, &a, thumb && a.has_thumb).await?;
    Ok((a, bytes))
}

#[cfg(test)]
mod tests {
    use super::default_title;

    #[test]
    fn a_case_title_is_the_start_of_the_first_line() {
        assert_eq!(default_title("路灯坏了\n很久了"), "路灯坏了");
        let long = "字".repeat(40);
        assert_eq!(default_title(&long).chars().count(), 31);
        assert_eq!(default_title(""), "群众反映");
    }

    /// Keys built at run time from the public words and the moderation states.
    #[test]
    fn every_public_word_and_queue_tab_is_in_both_catalogs() {
        let c = crate::i18n::Catalogs::load();
        let mut keys: Vec<String> = duban_core::public::PublicStatus::ALL
            .iter()
            .map(|s| format!("public_status.{}", s.as_str()))
            .collect();
        keys.extend(
            duban_core::public::Moderation::ALL
                .iter()
                .map(|m| format!("intake.tab_{}", m.as_str())),
        );
        for lang in [crate::i18n::Lang::Zh, crate::i18n::Lang::En] {
            for k in &keys {
                assert_ne!(c.get(lang).get(k), k.as_str(), "{k} missing in {lang:?}");
            }
        }
    }
}
