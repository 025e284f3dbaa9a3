//! Public problem intake (群众反映) on the portal and through Open311 GeoReport v2: what a
//! citizen may send ([`ReportInput`] → [`Report`], markup stripped, sizes limited), the
//! tracking number they get back ([`TrackingNumber`]), the office's moderation
//! ([`Moderation`]) and the four words the public sees ([`PublicStatus`], from the moderation
//! and the linked case's state). Nothing here knows HTTP or SQL.

use crate::cases::state::CaseState;
use serde::{Deserialize, Serialize};

pub mod text;

pub use text::strip_markup;

/// Longest description accepted, in characters.
pub const MAX_DESCRIPTION: usize = 2000;
/// Longest address text accepted, in characters.
pub const MAX_ADDRESS: usize = 200;
/// Longest rejection reason or public reply, in characters.
pub const MAX_REPLY: usize = 1000;

/// 受理编号 — the number a citizen follows their report by: `YK-2026-` and 16 characters of
/// Crockford base32 (80 random bits), so it cannot be guessed from another one and says
/// nothing about the database id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TrackingNumber(String);

/// Crockford's base32 alphabet: no I, L, O, U, so it reads aloud and copies by hand.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

impl TrackingNumber {
    /// Builds the number for `year` from 10 random bytes (the caller draws them).
    pub fn new(year: i16, random: [u8; 10]) -> TrackingNumber {
        let mut bits: u128 = 0;
        for b in random {
            bits = (bits << 8) | u128::from(b);
        }
        let mut tail = String::with_capacity(16);
        for i in (0..16).rev() {
            let idx = ((bits >> (i * 5)) & 0x1f) as usize;
            tail.push(CROCKFORD[idx] as char);
        }
        TrackingNumber(format!("YK-{year:04}-{tail}"))
    }

    /// Reads a number as a person may type it: surrounding blanks and lower case are
    /// forgiven, and so are the look-alikes O→0, I/L→1. Anything else is `None`.
    pub fn parse(raw: &str) -> Option<TrackingNumber> {
        let s = raw.trim().to_ascii_uppercase();
        let rest = s.strip_prefix("YK-")?;
        let (year, tail) = rest.split_once('-')?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) || tail.len() != 16 {
            return None;
        }
        let tail: String = tail
            .chars()
            .map(|c| match c {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            })
            .collect();
        if !tail.bytes().all(|b| CROCKFORD.contains(&b)) {
            return None;
        }
        Some(TrackingNumber(format!("YK-{year}-{tail}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TrackingNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A problem category the public may choose (an Open311 `service_code`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Stable code, `[a-z0-9_-]`, used in URLs and as the Open311 service code.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

impl Category {
    pub fn new(code: &str, name_zh: &str, name_en: &str) -> Category {
        Category {
            code: code.into(),
            name_zh: name_zh.into(),
            name_en: name_en.into(),
        }
    }
}

/// The categories offered when none are configured.
pub fn default_categories() -> Vec<Category> {
    vec![
        Category::new("roads", "道路交通", "Roads and traffic"),
        Category::new("environment", "环境卫生", "Sanitation and environment"),
        Category::new("public_facilities", "公共设施", "Public facilities"),
        Category::new("business", "营商环境", "Business environment"),
        Category::new("livelihood", "民生服务", "Public services"),
        Category::new("other", "其他", "Other"),
    ]
}

/// Where the report came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The portal's 我要反映 form.
    Portal,
    /// `POST /open311/v2/requests.json`.
    Open311,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Portal => "portal",
            Channel::Open311 => "open311",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        [Channel::Portal, Channel::Open311]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// What a citizen sent, as text (a form or Open311's standard fields).
#[derive(Debug, Clone, Default)]
pub struct ReportInput<'a> {
    pub category: &'a str,
    pub description: &'a str,
    pub address: &'a str,
    pub lat: &'a str,
    pub long: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub name: &'a str,
    /// A photo's address on the web (Open311 `media_url`); kept as text, never fetched.
    pub media_url: &'a str,
}

/// A checked report: plain text only, sizes within limits, a known category and a location.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub category: String,
    pub description: String,
    pub address: String,
    /// Latitude and longitude (WGS 84 degrees), both or neither.
    pub position: Option<(f64, f64)>,
    /// Contact data: stored for the office, never shown publicly.
    pub email: String,
    pub phone: String,
    pub name: String,
    pub media_url: String,
}

/// One problem with a report field: the field and a catalog code (`err.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub code: &'static str,
}

impl<'a> ReportInput<'a> {
    /// Checks every field and returns every problem at once. A location is required: an
    /// address or a position (Open311's rule).
    pub fn check(&self, categories: &[Category]) -> Result<Report, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut add = |field, code| problems.push(Problem { field, code });
        let category = self.category.trim();
        if category.is_empty() {
            add("category", "required");
        } else if !categories.iter().any(|c| c.code == category) {
            add("category", "bad_choice");
        }
        let description = strip_markup(self.description);
        if description.is_empty() {
            add("description", "required");
        } else if description.chars().count() > MAX_DESCRIPTION {
            add("description", "too_long");
        }
        let address = one_line(&strip_markup(self.address));
        if address.chars().count() > MAX_ADDRESS {
            add("address", "too_long");
        }
        let mut bad_position = false;
        let position = match (self.lat.trim(), self.long.trim()) {
            ("", "") => None,
            (lat, long) => match (lat.parse::<f64>(), long.parse::<f64>()) {
                (Ok(lat), Ok(long))
                    if lat.is_finite()
                        && long.is_finite()
                        && (-90.0..=90.0).contains(&lat)
                        && (-180.0..=180.0).contains(&long) =>
                {
                    Some((lat, long))
                }
                _ => {
                    bad_position = true;
                    add("location", "bad_position");
                    None
                }
            },
        };
        if address.is_empty() && position.is_none() && !bad_position {
            add("location", "location_required");
        }
        let email = self.email.trim();
        if !email.is_empty() && !plausible_email(email) {
            add("email", "bad_email");
        }
        let phone = self.phone.trim();
        if !phone.is_empty() && !plausible_phone(phone) {
            add("phone", "bad_phone");
        }
        let name = one_line(&strip_markup(self.name));
        if name.chars().count() > 50 {
            add("name", "too_long");
        }
        let media_url = self.media_url.trim();
        if !media_url.is_empty()
            && (media_url.len() > 500
                || !(media_url.starts_with("https://") || media_url.starts_with("http://"))
                || media_url
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control()))
        {
            add("media_url", "bad_url");
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Report {
            category: category.to_string(),
            description,
            address,
            position,
            email: email.to_string(),
            phone: phone.to_string(),
            name,
            media_url: media_url.to_string(),
        })
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `local@domain.tld`, at most 254 characters, one `@`, no blanks or markup characters.
fn plausible_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    s.len() <= 254
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"'(),;:[]\\".contains(c))
}

/// Digits with an optional leading `+` and separators (blank, `-`), 5 to 20 digits.
fn plausible_phone(s: &str) -> bool {
    let body = s.strip_prefix('+').unwrap_or(s);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    body.chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
        && (5..=20).contains(&digits)
}

/// The office's decision on a report in the intake queue. A report is never published
/// before it is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Moderation {
    /// Waiting in the intake queue.
    New,
    /// Accepted: it became a case of the closed loop.
    Accepted,
    /// 不予受理 — refused, with a reason shown to the citizen.
    Rejected,
}

impl Moderation {
    pub const ALL: [Moderation; 3] = [Moderation::New, Moderation::Accepted, Moderation::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            Moderation::New => "new",
            Moderation::Accepted => "accepted",
            Moderation::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Moderation> {
        Moderation::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// Only a new report can be decided, once.
    pub fn decide(self, accept: bool) -> Result<Moderation, AlreadyDecided> {
        match (self, accept) {
            (Moderation::New, true) => Ok(Moderation::Accepted),
            (Moderation::New, false) => Ok(Moderation::Rejected),
            (done, _) => Err(AlreadyDecided(done)),
        }
    }
}

/// A decision on a report that was already decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("this report was already {}", .0.as_str())]
pub struct AlreadyDecided(pub Moderation);

/// The state of a report in words for the public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicStatus {
    /// 已受理 — received; waiting for the office or registered but not yet handed out.
    Received,
    /// 处理中 — a unit is working on it.
    InProgress,
    /// 已办结 — the case was verified and struck off (销号).
    Closed,
    /// 不予受理 — refused by the office.
    Declined,
}

impl PublicStatus {
    pub const ALL: [PublicStatus; 4] = [
        PublicStatus::Received,
        PublicStatus::InProgress,
        PublicStatus::Closed,
        PublicStatus::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PublicStatus::Received => "received",
            PublicStatus::InProgress => "in_progress",
            PublicStatus::Closed => "closed",
            PublicStatus::Declined => "declined",
        }
    }

    /// Open311's two states: `closed` once done or refused, `open` otherwise.
    pub fn open311(self) -> &'static str {
        match self {
            PublicStatus::Received | PublicStatus::InProgress => "open",
            PublicStatus::Closed | PublicStatus::Declined => "closed",
        }
    }
}

/// What the public sees, from the moderation and, once accepted, the linked case's state.
/// Every internal step (签收, 申请办结, 挂账, 中止 …) reads as 处理中 until the case is
/// struck off; a case still waiting to be handed out reads as 已受理.
pub fn public_status(moderation: Moderation, case: Option<CaseState>) -> PublicStatus {
    match (moderation, case) {
        (Moderation::Rejected, _) => PublicStatus::Declined,
        (Moderation::New, _) | (Moderation::Accepted, None | Some(CaseState::Registered)) => {
            PublicStatus::Received
        }
        (Moderation::Accepted, Some(CaseState::ClosedOut)) => PublicStatus::Closed,
        (Moderation::Accepted, Some(_)) => PublicStatus::InProgress,
    }
}

#[cfg(test)]
mod tests;
