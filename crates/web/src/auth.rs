//! Who is asking: sessions (cookie → server-side row), API tokens (bearer), the resulting
//! [`Actor`] with its scope, the page context [`Ctx`], and CSRF protection for forms.
//!
//! CSRF uses a random per-browser token in an HttpOnly, SameSite=Strict cookie that every
//! form echoes in a hidden `_csrf` field ([`CsrfForm`]); API calls made with a session cookie
//! echo it in `X-CSRF-Token`, API calls with a bearer token need none.

use crate::error::{AppError, FieldError};
use crate::i18n::{Catalogs, Lang};
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, Method, header, request::Parts};
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use duban_core::org::{PersonId, UserId};
use duban_core::policy::{self, Action, Actor, Object, Scope};
use duban_core::role::Role;
use duban_store::{accounts, people, portfolios};
use rand::RngCore;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::sync::Arc;

pub const SESSION_COOKIE: &str = "duban_session";
pub const CSRF_COOKIE: &str = "duban_csrf";
pub const LANG_COOKIE: &str = "duban_lang";

/// 256 random bits as hex.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// The signed-in user as pages show them.
#[derive(Debug, Clone)]
pub struct UserInfo {
    pub id: UserId,
    pub person_id: Option<PersonId>,
    pub username: String,
    pub name: String,
    pub role: Role,
    pub must_change_password: bool,
    pub locale: Option<String>,
}

/// Loads a user and their scope for today into an [`Actor`].
pub async fn load_actor(
    state: &AppState,
    user_id: UserId,
) -> Result<Option<(UserInfo, Actor)>, AppError> {
    let mut tx = state.store.begin_read().await?;
    actor_in(&mut tx, state, user_id).await
}

/// [`load_actor`] inside a transaction the caller holds (a request reads its session, its
/// user and its unread count in one).
async fn actor_in(
    tx: &mut duban_store::Tx,
    state: &AppState,
    user_id: UserId,
) -> Result<Option<(UserInfo, Actor)>, AppError> {
    let user = match accounts::get_user(tx, user_id).await {
        Ok(u) if u.active => u,
        Ok(_) | Err(duban_store::StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let today = state.today();
    let person = user.person_id.map(PersonId);
    let scope = match person {
        Some(p) => {
            let units = people::member_units(tx, p, today).await?;
            let home = units.iter().find(|(_, primary)| *primary).map(|(u, _)| *u);
            let filter = portfolios::PortfolioFilter {
                leader: Some(p),
                unit: None,
                on: Some(today),
            };
            let held = portfolios::list_portfolios(tx, &filter).await?;
            Scope::new(
                home,
                units.into_iter().map(|(u, _)| u),
                held.into_iter()
                    .map(|pf| duban_core::org::UnitId(pf.unit_id)),
            )
        }
        None => Scope::default(),
    };
    let role = user.role();
    let info = UserInfo {
        id: user.user_id(),
        person_id: person,
        name: user
            .person_name
            .clone()
            .unwrap_or_else(|| user.username.clone()),
        username: user.username,
        role,
        must_change_password: user.must_change_password,
        locale: user.locale,
    };
    let actor = Actor {
        user: Some(info.id),
        person,
        role: Some(role),
        scope,
    };
    Ok(Some((info, actor)))
}

/// The user behind the session cookie, sliding the session's expiry every few minutes, and
/// the read transaction it was read in, for the rest of the request's sign-in reads (one
/// transaction, not one per question). The slide is a write of its own, made with no read
/// transaction open, so even a pool of one connection never waits on itself.
async fn session_user(
    state: &AppState,
    jar: &CookieJar,
) -> Result<Option<(UserInfo, Actor, duban_store::Tx)>, AppError> {
    let Some(cookie) = jar.get(SESSION_COOKIE) else {
        return Ok(None);
    };
    let hash = sha256_hex(cookie.value());
    let now = state.now();
    let mut tx = state.store.begin_read().await?;
    let Some(session) = accounts::find_session(&mut tx, &hash, now).await? else {
        return Ok(None);
    };
    if now.duration_since(session.last_seen_at.to_jiff()).as_secs() > 300 {
        drop(tx);
        let expires = now + jiff::SignedDuration::from_mins(state.config.session_idle_minutes);
        let mut write = state.store.begin_write().await?;
        accounts::touch_session(&mut write, &hash, now, expires).await?;
        write.commit().await?;
        tx = state.store.begin_read().await?;
    }
    Ok(actor_in(&mut tx, state, UserId(session.user_id))
        .await?
        .map(|(user, actor)| (user, actor, tx)))
}

/// The CSRF token of this browser, put into the request by [`csrf_cookie`].
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// Makes sure every browser has a CSRF cookie; the token is available to handlers.
pub async fn csrf_cookie(jar: CookieJar, mut req: Request, next: Next) -> Response {
    let existing = jar
        .get(CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() == 64);
    let token = existing.clone().unwrap_or_else(random_token);
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let secure = req
        .extensions()
        .get::<Arc<crate::state::WebConfig>>()
        .is_some_and(|c| c.secure_cookies);
    let mut res = next.run(req).await;
    // A response any cache may keep (the public portal's reading pages) must not hand one
    // browser's token to the next.
    let shared = res
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("public"));
    if existing.is_none() && !shared {
        let cookie = Cookie::build((CSRF_COOKIE, token))
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(secure)
            .path("/")
            .build();
        if let Ok(v) = cookie.to_string().parse() {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// Everything a page needs about the request: language, the user, the CSRF token, the path.
#[derive(Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub catalogs: Arc<Catalogs>,
    pub csrf: String,
    pub user: Option<UserInfo>,
    pub actor: Actor,
    pub path: String,
    pub query: String,
    /// The signed-in person's unread notifications (the badge in the menu).
    pub unread: i64,
    /// Today's date when the server's clock is pinned (a demo or a test): every page says so.
    pub pinned_today: Option<jiff::civil::Date>,
    /// The city's zone (`time.zone`): every time a person reads is shown in it.
    pub tz: jiff::tz::TimeZone,
}

impl Ctx {
    /// An instant as a person reads it: date and minute in the city's zone.
    pub fn local(&self, at: jiff::Timestamp) -> String {
        at.to_zoned(self.tz.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    }

    /// The text for `key` in the page's language.
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.catalogs.get(self.lang).get(key)
    }

    /// The text for a field error.
    pub fn err(&self, e: &FieldError) -> String {
        self.t(&format!("err.{}", e.code)).to_string()
    }

    /// The message of the first problem with `field` among a form's `errors`, if any.
    pub fn error_for(&self, errors: &[FieldError], field: &str) -> Option<String> {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| self.err(e))
    }

    /// The label of a form field.
    pub fn field(&self, f: &str) -> String {
        self.t(&format!("field.{f}")).to_string()
    }

    /// The label of a role.
    pub fn role(&self, r: &str) -> String {
        self.t(&format!("role.{r}")).to_string()
    }

    /// The label of a unit kind.
    pub fn kind(&self, k: &str) -> String {
        self.t(&format!("kind.{k}")).to_string()
    }

    pub fn is_admin(&self) -> bool {
        policy::decide(&self.actor, Action::ManageOrg, Object::City).is_ok()
    }

    pub fn may_view_dashboard(&self) -> bool {
        self.may(Action::ViewDashboard, Object::City)
    }

    /// The office's intake queue of public reports (the menu link).
    pub fn may_moderate_intake(&self) -> bool {
        self.may(Action::ModerateIntake, Object::City)
    }

    /// The supervision office's commitment reviews (setting flagged evaluations aside).
    pub fn may_review_commitments(&self) -> bool {
        self.may(Action::ReviewCommitment, Object::City)
    }

    /// Assessment (督考): whoever may see some unit's scores (everyone signed in but deputies).
    pub fn may_view_assessment(&self) -> bool {
        self.may(Action::ViewScores, Object::City)
    }

    pub fn may_view_ledger(&self) -> bool {
        self.may(Action::ViewLedger, Object::City)
    }

    /// The year's set-up (campaigns, cadence, light rules): the office and the admin.
    pub fn may_manage_plan(&self) -> bool {
        self.may(Action::ManagePlan, Object::City)
    }

    pub fn may(&self, action: Action, object: Object) -> bool {
        policy::decide(&self.actor, action, object).is_ok()
    }

    /// Asks the policy; the one way handlers check access.
    pub fn authorize(&self, action: Action, object: Object) -> Result<(), AppError> {
        policy::decide(&self.actor, action, object).map_err(AppError::from)
    }

    /// The current page with another language, for the switcher.
    pub fn lang_link(&self, code: &str) -> String {
        let next = if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        };
        format!("/lang/{code}?next={}", urlencode(&next))
    }
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A page context without requiring a sign-in (the sign-in page, error pages).
pub struct MaybeCtx(pub Ctx);

impl FromRequestParts<AppState> for MaybeCtx {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let signed_in = session_user(state, &jar).await?;
        let (user, actor, tx) = match signed_in {
            Some((u, a, tx)) => (Some(u), a, Some(tx)),
            None => (None, Actor::default(), None),
        };
        let lang = jar
            .get(LANG_COOKIE)
            .and_then(|c| Lang::parse(c.value()))
            .or_else(|| {
                user.as_ref()
                    .and_then(|u| u.locale.as_deref())
                    .and_then(Lang::parse)
            })
            .unwrap_or_default();
        // In the sign-in's own transaction.
        let unread = match (tx, actor.person) {
            (Some(mut tx), Some(p)) => duban_store::notifications::unread_count(&mut tx, p).await?,
            _ => 0,
        };
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        Ok(MaybeCtx(Ctx {
            lang,
            catalogs: state.catalogs.clone(),
            csrf,
            user,
            actor,
            path: parts.uri.path().to_string(),
            query: parts.uri.query().unwrap_or("").to_string(),
            unread,
            pinned_today: state.pinned_today(),
            tz: state.config.timezone.clone(),
        }))
    }
}

/// A page context for a signed-in user; otherwise a redirect to the sign-in page. A user who
/// must change their password is sent to the account page first.
impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        use axum::response::{IntoResponse, Redirect};
        let MaybeCtx(ctx) = MaybeCtx::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Some(user) = &ctx.user else {
            let next = parts
                .uri
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            return Err(Redirect::to(&format!("/login?next={}", urlencode(next))).into_response());
        };
        if user.must_change_password && ctx.path != "/account" && ctx.path != "/account/password" {
            return Err(Redirect::to("/account?must=1").into_response());
        }
        Ok(ctx)
    }
}

/// A form whose hidden `_csrf` field must match this browser's CSRF cookie.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let expected = req
            .extensions()
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        let bytes = body_bytes(req, state).await?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
        let token = pairs
            .iter()
            .find(|(k, _)| k == "_csrf")
            .map_or("", |(_, v)| v.as_str());
        if expected.is_empty() || !constant_time_eq(token.as_bytes(), expected.as_bytes()) {
            return Err(AppError::CsrfMismatch);
        }
        crate::input::check_pairs(&pairs)?;
        let value = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
        Ok(CsrfForm(value))
    }
}

/// Reads the body, answering 413 when it exceeds the limit.
pub async fn body_bytes(req: Request, _state: &AppState) -> Result<axum::body::Bytes, AppError> {
    use axum::extract::rejection::BytesRejection;
    axum::body::Bytes::from_request(req, &())
        .await
        .map_err(|e: BytesRejection| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::TooLarge
            } else {
                AppError::BadRequest(e.body_text())
            }
        })
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The caller of an API route: a bearer token, or a session cookie plus `X-CSRF-Token` for
/// anything but reads.
pub struct ApiUser {
    pub user: UserInfo,
    pub actor: Actor,
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = crate::error::ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(token) = bearer(&parts.headers) {
            let hash = sha256_hex(token);
            let mut tx = state.store.begin_read().await?;
            let Some(live) = accounts::find_token_user(&mut tx, &hash).await? else {
                return Err(AppError::NotSignedIn.into());
            };
            // "Last used" is kept to within five minutes, so reads stay reads. The write is
            // made with no read transaction open (see `session_user`).
            let now = state.now();
            let stale = live
                .last_used_at
                .is_none_or(|t| now.duration_since(t.to_jiff()).as_secs() > 300);
            if stale {
                drop(tx);
                let mut write = state.store.begin_write().await?;
                accounts::touch_token(&mut write, live.id, now).await?;
                write.commit().await?;
                tx = state.store.begin_read().await?;
            }
            let (user, actor) = actor_in(&mut tx, state, UserId(live.user_id))
                .await?
                .ok_or(AppError::NotSignedIn)?;
            return Ok(ApiUser { user, actor });
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let (user, actor, _) = session_user(state, &jar)
            .await?
            .ok_or(AppError::NotSignedIn)?;
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let cookie = jar
                .get(CSRF_COOKIE)
                .map(|c| c.value().to_string())
                .unwrap_or_default();
            if sent.is_empty() {
                return Err(AppError::CsrfHeader("missing X-CSRF-Token header").into());
            }
            if cookie.is_empty() || !constant_time_eq(sent.as_bytes(), cookie.as_bytes()) {
                return Err(AppError::CsrfHeader(
                    "the X-CSRF-Token header does not match the session's CSRF cookie",
                )
                .into());
            }
        }
        Ok(ApiUser { user, actor })
    }
}

/// The token of an `Authorization: Bearer …` header, if one was sent.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// The client's address for throttling: the socket peer, or the first `X-Forwarded-For`
/// hop when configured to trust a proxy.
pub fn client_address(
    parts_headers: &HeaderMap,
    peer: Option<std::net::SocketAddr>,
    trust_proxy: bool,
) -> String {
    let forwarded = parts_headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next());
    if let (true, Some(first)) = (trust_proxy, forwarded) {
        return first.trim().to_string();
    }
    peer.map(|p| p.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// A session cookie for a fresh sign-in.
pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/")
        .build()
}
