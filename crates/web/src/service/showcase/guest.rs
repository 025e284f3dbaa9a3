//! Guest judges (群众代表 and other invited judges without an account): the office makes
//! one-time judge links for an event; the first device that opens a link claims it (a random
//! device secret in a cookie, kept as its SHA-256 beside the link); from then on the link
//! works only on that device, only for the scoring form, and only until the event is locked.
//! Every request through a link is counted against a per-link limit, and lookups of unknown
//! links against a per-address limit (guessing), in the database like the portal's limits.

use super::{CardInput, get, invalid, write_card_in};
use crate::auth::{random_token, sha256_hex};
use crate::error::AppError;
use crate::state::AppState;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::showcase::ShowcaseId;
use duban_store::showcase::{self as store, Judge, NewJudge, Showcase};
use duban_store::{Audit, Tx};
use serde::{Deserialize, Serialize};

/// The cookie that binds a device to the judge links it claimed.
pub const DEVICE_COOKIE: &str = "duban_judge_device";
/// Requests through one link per minute.
pub const PER_LINK_PER_MINUTE: i64 = 60;
/// Lookups of unknown links from one address per minute.
pub const UNKNOWN_PER_ADDRESS_PER_MINUTE: i64 = 10;
/// Most links made at once.
pub const MAX_LINKS: i64 = 500;

/// Links to make.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuestLinksInput {
    /// Index of the judge group the guests score in (0 = first).
    pub judge_group: i64,
    /// 1–500.
    pub count: i64,
    /// Shown as the judge's name with a number (`群众代表` → `群众代表 1`, …).
    #[serde(default)]
    pub name: String,
}

/// A link made: its token is shown once (only its hash is kept).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GuestLink {
    pub judge_id: i64,
    pub name: String,
    /// The path to open on the phone: `/showcase/judge/{token}`.
    pub path: String,
    pub token: String,
}

/// Makes `count` guest links in a judge group — the office, before the event is locked.
pub async fn create_links(
    state: &AppState,
    actor: &Actor,
    id: ShowcaseId,
    input: &GuestLinksInput,
) -> Result<Vec<GuestLink>, AppError> {
    decide(actor, Action::ManageShowcase, Object::City)?;
    let mut tx = state.store.begin_write().await?;
    let s = get(&mut tx, id).await?;
    if s.state.is_final() {
        return Err(invalid("state", "showcase.wrong_state"));
    }
    let group = super::group_index(&s, input.judge_group)?;
    if !(1..=MAX_LINKS).contains(&input.count) {
        return Err(invalid("count", "showcase.bad_count"));
    }
    let base = match input.name.trim() {
        "" => s.judge_groups[group].name.clone(),
        n if n.chars().count() > 30 => return Err(invalid("name", "too_long")),
        n => n.to_string(),
    };
    let audit = super::audit(state, actor);
    let already = store::list_judges(&mut tx, id)
        .await?
        .iter()
        .filter(|j| j.guest)
        .count();
    let mut links = Vec::new();
    for i in 0..input.count {
        let token = random_token();
        let name = format!("{base} {}", already as i64 + i + 1);
        let new = NewJudge {
            judge_group: group,
            name: name.clone(),
            user_id: None,
            unit_id: None,
            link_hash: Some(sha256_hex(&token)),
        };
        let judge = store::insert_judge(&mut tx, &audit, id, &new).await?;
        links.push(GuestLink {
            judge_id: judge.0,
            name,
            path: format!("/showcase/judge/{token}"),
            token,
        });
    }
    tx.commit().await?;
    Ok(links)
}

/// Counts a request against `key`'s limit for this minute; 429 beyond `limit`.
async fn count(state: &AppState, key: &str, limit: i64) -> Result<(), AppError> {
    let now = state.now();
    let second = now.as_second();
    let window = jiff::Timestamp::from_second(second - second.rem_euclid(60))
        .map_err(|e| AppError::Internal(format!("rate window: {e}")))?;
    let forget = window - jiff::SignedDuration::from_hours(1);
    let mut tx = state.store.begin_write().await?;
    let n = duban_store::public::count_request(&mut tx, key, window, forget).await?;
    tx.commit().await?;
    if n > limit {
        return Err(AppError::RateLimited);
    }
    Ok(())
}

/// A link as presented: the judge behind it and the event, checked against the device.
pub struct Opened {
    pub showcase: Showcase,
    pub judge: Judge,
    /// A device secret to set as [`DEVICE_COOKIE`] when this request claimed the link.
    pub new_device: Option<String>,
}

/// Finds the judge of a link and checks its limits and expiry (nothing claimed yet). The
/// limits are counted in their own transactions, before the caller opens its write.
async fn find(state: &AppState, address: &str, token: &str) -> Result<Judge, AppError> {
    let hash = sha256_hex(token);
    let judge = {
        let mut tx = state.store.begin_read().await?;
        store::find_judge_by_link(&mut tx, &hash).await?
    };
    let Some(judge) = judge else {
        count(
            state,
            &format!("showcase:unknown:{address}"),
            UNKNOWN_PER_ADDRESS_PER_MINUTE,
        )
        .await?;
        return Err(AppError::NotFound);
    };
    count(
        state,
        &format!("showcase:link:{}", &hash[..16]),
        PER_LINK_PER_MINUTE,
    )
    .await?;
    Ok(judge)
}

/// The event of a link, re-read in the writing transaction; a locked event ends its links.
async fn live_event(tx: &mut Tx, judge: &Judge) -> Result<Showcase, AppError> {
    let s = get(tx, judge.showcase_id).await?;
    if s.state.is_final() {
        return Err(invalid("link", "showcase.link_expired"));
    }
    Ok(s)
}

fn same_device(judge: &Judge, device: Option<&str>) -> bool {
    match (&judge.device_hash, device) {
        (Some(h), Some(d)) => crate::auth::constant_time_eq(h.as_bytes(), sha256_hex(d).as_bytes()),
        _ => false,
    }
}

/// Opens a link: the first device claims it; any other device is refused (a replayed link).
pub async fn open(
    state: &AppState,
    address: &str,
    token: &str,
    device: Option<&str>,
) -> Result<Opened, AppError> {
    decide(&Actor::default(), Action::GuestScoreShowcase, Object::City)?;
    let mut judge = find(state, address, token).await?;
    if judge.device_hash.is_some() {
        if !same_device(&judge, device) {
            return Err(invalid("link", "showcase.link_used"));
        }
        let mut tx = state.store.begin_read().await?;
        let showcase = live_event(&mut tx, &judge).await?;
        return Ok(Opened {
            showcase,
            judge,
            new_device: None,
        });
    }
    let secret = device
        .filter(|d| d.len() >= 32)
        .map(str::to_string)
        .unwrap_or_else(random_token);
    let hash = sha256_hex(&secret);
    let mut tx = state.store.begin_write().await?;
    let showcase = live_event(&mut tx, &judge).await?;
    match store::claim_link(&mut tx, &Audit::system(state.now()), judge.id, &hash).await {
        Err(duban_store::StoreError::Conflict { .. }) => {
            return Err(invalid("link", "showcase.link_used"));
        }
        other => other?,
    }
    tx.commit().await?;
    judge.device_hash = Some(hash);
    let new_device = (device != Some(secret.as_str())).then_some(secret);
    Ok(Opened {
        showcase,
        judge,
        new_device,
    })
}

/// Saves or submits a guest's card (the link must have been claimed by this device).
pub async fn write_card(
    state: &AppState,
    address: &str,
    token: &str,
    device: Option<&str>,
    input: &CardInput,
) -> Result<(), AppError> {
    decide(&Actor::default(), Action::GuestScoreShowcase, Object::City)?;
    let judge = find(state, address, token).await?;
    if !same_device(&judge, device) {
        return Err(invalid("link", "showcase.link_used"));
    }
    let mut tx = state.store.begin_write().await?;
    let s = live_event(&mut tx, &judge).await?;
    write_card_in(&mut tx, &Audit::system(state.now()), &s, &judge, input).await?;
    tx.commit().await?;
    Ok(())
}
