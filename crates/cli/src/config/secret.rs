//! Secrets in the configuration: kept in `secrecy` strings, and shown by `Debug` and
//! `duban config show` only as much as is safe (a URL's scheme and host; whether a token is
//! set).

use serde::{Deserialize, Serialize};

/// A URL that may hold a secret anywhere — a password, or a robot's token in the path or the
/// query — so `Debug` and the printed configuration show only its scheme and host.
#[derive(Clone, Deserialize)]
#[serde(from = "String")]
pub struct SecretUrl(secrecy::SecretString);

impl SecretUrl {
    /// The URL itself, for connecting. Never log or print this.
    pub fn expose(&self) -> &str {
        use secrecy::ExposeSecret;
        self.0.expose_secret()
    }

    pub(super) fn shown(&self) -> String {
        match self.expose() {
            "" => String::new(),
            url => duban_web::notify::redact_url(url),
        }
    }
}

impl From<String> for SecretUrl {
    fn from(url: String) -> Self {
        SecretUrl(secrecy::SecretString::from(url))
    }
}

impl std::fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretUrl({:?})", self.shown())
    }
}

impl Serialize for SecretUrl {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.shown())
    }
}

/// A secret that is not a URL (a token): `Debug` and the printed configuration say only
/// whether it is set.
#[derive(Clone, Deserialize)]
#[serde(from = "String")]
pub struct SecretText(secrecy::SecretString);

impl SecretText {
    /// The secret itself, `None` when empty. Never log or print this.
    pub fn expose(&self) -> Option<&str> {
        use secrecy::ExposeSecret;
        Some(self.0.expose_secret()).filter(|s| !s.is_empty())
    }

    fn shown(&self) -> &'static str {
        match self.expose() {
            None => "",
            Some(_) => "(set, hidden)",
        }
    }
}

impl From<String> for SecretText {
    fn from(text: String) -> Self {
        SecretText(secrecy::SecretString::from(text.trim().to_string()))
    }
}

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretText({:?})", self.shown())
    }
}

impl Serialize for SecretText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.shown())
    }
}
