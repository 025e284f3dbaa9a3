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

/// Published commitments of this year, with their state, light and progress (public fields
/// only, from `commitments::public`).
pub async fn published_commitments(
    state: &AppState,
    lang: crate::i18n::Lang,
) -> Result<Vec<PortalItem>, AppError> {
    use crate::service::commitments::public::{PublicQuery, list_published};
    let q = PublicQuery {
        year: Some(state.today().year()),
        committer: None,
        unit: None,
    };
    let catalog = state.catalogs.get(lang);
    Ok(list_published(state, &q)
        .await?
        .into_iter()
        .map(|c| PortalItem {
            title: c.current.title.clone(),
            owner: match &c.unit_name {
                Some(u) => format!("{} {} · {u}", c.committer_title, c.committer_name),
                None => format!("{} {}", c.committer_title, c.committer_name),
            },
            state: catalog
                .get(&format!("commitment_state.{}", c.state))
                .to_string(),
            light: c.light.clone(),
            percent: Some(c.progress.round() as i64),
            url: Some(format!("/public/commitments/{}", c.id)),
        })
        .collect())
}

/// 民生实事 projects of this year with their progress and satisfaction.
pub async fn livelihood_projects(
    state: &AppState,
    _lang: crate::i18n::Lang,
) -> Result<Vec<PortalItem>, AppError> {
    use crate::service::commitments::public::list_livelihood;
    Ok(list_livelihood(state, Some(state.today().year()))
        .await?
        .into_iter()
        .map(|p| PortalItem {
            title: p.title.clone(),
            owner: p.lead_unit_name.clone().unwrap_or_default(),
            state: p
                .satisfaction
                .map(|s| format!("{s:.0}%"))
                .unwrap_or_default(),
            light: p.light.clone(),
            percent: Some(p.progress.round() as i64),
            url: None,
        })
        .collect())
}
