//! What the public portal lists besides problem reports: published commitments (双承诺) and
//! 民生实事 projects. The commitments feature fills these two functions; until then they list
//! nothing and the portal says so. Whatever they return is shown to the anonymous public, so
//! they must read published items and public fields only.

use crate::error::AppError;
use crate::state::AppState;

/// One line of the portal's commitment or project list, already in public words.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PortalItem {
    pub title: String,
    /// Who committed (a leader's title or a unit's name), as published.
    pub owner: String,
    /// The published state in the reader's language (e.g. 践诺中).
    pub state: String,
    /// red | yellow | green, when the item has a light.
    pub light: Option<String>,
    /// Progress in percent, when known.
    pub percent: Option<i64>,
    /// A portal page with the details (`/public/…`), when there is one.
    pub url: Option<String>,
}

/// Published commitments, newest first. Filled by the commitments work.
pub async fn published_commitments(
    _state: &AppState,
    _lang: crate::i18n::Lang,
) -> Result<Vec<PortalItem>, AppError> {
    Ok(Vec::new())
}

/// 民生实事 projects with their progress. Filled by the commitments work.
pub async fn livelihood_projects(
    _state: &AppState,
    _lang: crate::i18n::Lang,
) -> Result<Vec<PortalItem>, AppError> {
    Ok(Vec::new())
}
