//! What the public portal lists besides single problem reports: published commitments (双承诺)
//! by leader and unit, 民生实事 projects, the portal's search over both and the published
//! reports, and the commitments' public moments for the Atom feed. Everything comes from
//! `commitments::public` (published items, public fields only) and `public` (published
//! reports, no contact data), so nothing here can show more than those modules allow.

use crate::error::AppError;
use crate::i18n::Lang;
use crate::service::commitments::public::{
    PublicCommitment, PublicProject, PublicQuery, get_published, list_livelihood, list_published,
};
use crate::service::proposals::published::{self, PublishedReply};
use crate::service::public::PublicConfig;
use crate::state::AppState;
use duban_core::policy::Actor;
use duban_core::search::Terms;
use duban_store::public::{PublicFilter, PublicRow};
use std::collections::BTreeMap;

/// One line of the portal's commitment or project list, already in public words.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
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

fn commitment_item(c: &PublicCommitment, catalog: &crate::i18n::Catalog) -> PortalItem {
    PortalItem {
        title: c.current.title.clone(),
        owner: match &c.unit_name {
            Some(u) if !c.by_leader => format!("{} {} · {u}", c.committer_title, c.committer_name),
            _ => format!("{} {}", c.committer_title, c.committer_name),
        },
        state: catalog
            .get(&format!("commitment_state.{}", c.state))
            .to_string(),
        light: c.light.clone(),
        percent: Some(c.progress.round() as i64),
        url: Some(format!("/public/commitments/{}", c.id)),
    }
}

fn project_item(p: &PublicProject, catalog: &crate::i18n::Catalog) -> PortalItem {
    PortalItem {
        title: p.title.clone(),
        owner: p.lead_unit_name.clone().unwrap_or_default(),
        state: p
            .satisfaction
            .map(|s| format!("{} {s:.0}%", catalog.get("portal.satisfaction")))
            .unwrap_or_default(),
        light: p.light.clone(),
        percent: Some(p.progress.round() as i64),
        url: Some(format!("/public/projects/{}", p.id)),
    }
}

/// A commitment's words the portal's search looks in.
pub fn commitment_text(c: &PublicCommitment) -> Vec<&str> {
    let mut fields = vec![
        c.current.title.as_str(),
        c.current.content.as_str(),
        c.current.target_text.as_str(),
        c.committer_name.as_str(),
        c.committer_title.as_str(),
        c.unit_name.as_deref().unwrap_or(""),
    ];
    fields.extend(c.tasks.iter().map(|t| t.title.as_str()));
    fields
}

/// The city leaders' published commitments of this year, with their state, light and
/// progress (the portal's home; units' are on the list page).
pub async fn leaders_commitments(
    state: &AppState,
    lang: Lang,
) -> Result<Vec<PortalItem>, AppError> {
    let q = PublicQuery {
        year: Some(state.today().year()),
        ..PublicQuery::default()
    };
    let catalog = state.catalogs.get(lang);
    Ok(list_published(state, &q)
        .await?
        .iter()
        .filter(|c| c.by_leader)
        .map(|c| commitment_item(c, catalog))
        .collect())
}

/// Which commitments the portal's list shows.
#[derive(Debug, Clone, Default)]
pub struct ListingFilter {
    pub year: Option<i16>,
    /// The committer (a person id).
    pub committer: Option<i64>,
    pub unit: Option<i64>,
    pub terms: Option<Terms>,
}

/// The portal's commitment list: city leaders' commitments and units' commitments, and the
/// choices of its filters (every committer, and every unit besides the city leadership, with
/// a published commitment that year, whatever the other filters).
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub year: i16,
    pub leaders: Vec<PortalItem>,
    pub units: Vec<PortalItem>,
    pub committers: Vec<(i64, String)>,
    pub unit_choices: Vec<(i64, String)>,
}

/// Published commitments of a year (this year by default) by leader and unit, filtered.
pub async fn commitment_listing(
    state: &AppState,
    lang: Lang,
    f: &ListingFilter,
) -> Result<Listing, AppError> {
    let year = f.year.unwrap_or_else(|| state.today().year());
    let all = list_published(
        state,
        &PublicQuery {
            year: Some(year),
            ..PublicQuery::default()
        },
    )
    .await?;
    let mut committers = BTreeMap::new();
    let mut units = Vec::<(i64, String)>::new();
    for c in &all {
        committers
            .entry(c.committer_id)
            .or_insert_with(|| format!("{} {}", c.committer_title, c.committer_name));
        if let (Some(id), Some(name)) = (c.unit_id, &c.unit_name)
            && !c.by_leader
            && !units.iter().any(|(u, _)| *u == id)
        {
            units.push((id, name.clone()));
        }
    }
    let catalog = state.catalogs.get(lang);
    let (leaders, by_unit): (Vec<_>, Vec<_>) = all
        .iter()
        .filter(|c| f.committer.is_none_or(|p| c.committer_id == p))
        .filter(|c| f.unit.is_none_or(|u| c.unit_id == Some(u)))
        .filter(|c| {
            f.terms
                .as_ref()
                .is_none_or(|t| t.found_in(&commitment_text(c)))
        })
        .partition(|c| c.by_leader);
    Ok(Listing {
        year,
        leaders: leaders
            .into_iter()
            .map(|c| commitment_item(c, catalog))
            .collect(),
        units: by_unit
            .into_iter()
            .map(|c| commitment_item(c, catalog))
            .collect(),
        committers: committers.into_iter().collect(),
        unit_choices: units,
    })
}

/// 民生实事 projects of this year with their progress and satisfaction.
pub async fn livelihood_projects(
    state: &AppState,
    lang: Lang,
) -> Result<Vec<PortalItem>, AppError> {
    let catalog = state.catalogs.get(lang);
    Ok(list_livelihood(state, Some(state.today().year()))
        .await?
        .iter()
        .map(|p| project_item(p, catalog))
        .collect())
}

/// What the portal's search found: commitments and projects of every year, published
/// reports and published replies to suggestions and proposals (newest first, at most
/// [`SEARCH_LIMIT`] of each).
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub commitments: Vec<PortalItem>,
    pub projects: Vec<PortalItem>,
    pub requests: Vec<PublicRow>,
    pub replies: Vec<PublishedReply>,
}

/// At most this many hits of each kind.
pub const SEARCH_LIMIT: usize = 50;

/// The portal's search: every word must occur (the rule of `core::search`). Commitments and
/// projects are few and read whole; reports and replies are matched in the database.
pub async fn search(
    state: &AppState,
    actor: &Actor,
    lang: Lang,
    terms: &Terms,
) -> Result<Found, AppError> {
    let catalog = state.catalogs.get(lang);
    let commitments = list_published(state, &PublicQuery::default())
        .await?
        .iter()
        .filter(|c| terms.found_in(&commitment_text(c)))
        .take(SEARCH_LIMIT)
        .map(|c| commitment_item(c, catalog))
        .collect();
    let projects = list_livelihood(state, None)
        .await?
        .iter()
        .filter(|p| {
            let mut fields = vec![
                p.title.as_str(),
                p.description.as_str(),
                p.lead_unit_name.as_deref().unwrap_or(""),
            ];
            fields.extend(p.milestones.iter().map(|m| m.title.as_str()));
            terms.found_in(&fields)
        })
        .take(SEARCH_LIMIT)
        .map(|p| project_item(p, catalog))
        .collect();
    let requests = crate::service::public::list_published(
        state,
        &PublicFilter {
            terms: Some(terms.clone()),
            limit: SEARCH_LIMIT as i64,
            ..PublicFilter::default()
        },
    )
    .await?;
    let replies = published::search(state, actor, terms, SEARCH_LIMIT as i64).await?;
    Ok(Found {
        commitments,
        projects,
        requests,
        replies,
    })
}

/// One published report in the open data (JSON and CSV share these fields).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OpenRequest {
    pub tracking: String,
    pub category: String,
    pub category_name: String,
    pub description: String,
    pub address: String,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    /// received | in_progress | closed | declined
    pub status: &'static str,
    pub notes: String,
    pub requested_at: String,
    pub updated_at: String,
}

/// Published reports as open data.
pub fn open_rows(config: &PublicConfig, rows: &[PublicRow], lang: Lang) -> Vec<OpenRequest> {
    rows.iter()
        .map(|r| OpenRequest {
            tracking: r.tracking.clone(),
            category: r.category.clone(),
            category_name: config.category_name(&r.category, lang),
            description: r.description.clone(),
            address: r.address.clone(),
            lat: r.position.map(|p| p.0),
            long: r.position.map(|p| p.1),
            status: r.status.as_str(),
            notes: r.notes.clone(),
            requested_at: r.requested_at.to_string(),
            updated_at: r.updated_at.to_string(),
        })
        .collect()
}

/// A public moment of a commitment for the feed: signed (亮诺), amended, reported on, judged.
#[derive(Debug, Clone)]
pub struct CommitmentMoment {
    /// A stable id (`urn:duban:commitment-event:N`).
    pub id: String,
    pub title: String,
    pub summary: String,
    /// The portal page of the commitment.
    pub path: String,
    pub at: jiff::Timestamp,
}

/// The newest public moments of published commitments, newest first.
pub async fn commitment_moments(
    state: &AppState,
    lang: Lang,
    limit: i64,
) -> Result<Vec<CommitmentMoment>, AppError> {
    let mut tx = state.store.begin_read().await?;
    let events = duban_store::commitments::public_events(&mut tx, limit).await?;
    drop(tx);
    let catalog = state.catalogs.get(lang);
    let mut shown: BTreeMap<i64, PublicCommitment> = BTreeMap::new();
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        if let std::collections::btree_map::Entry::Vacant(slot) = shown.entry(e.commitment_id) {
            slot.insert(get_published(state, e.commitment_id).await?);
        }
        let c = &shown[&e.commitment_id];
        let who = format!("{} {}", c.committer_title, c.committer_name);
        let (key, summary) = match (e.kind.as_str(), e.version_number) {
            ("sign", Some(n)) if n > 1 => {
                let reason = c
                    .versions
                    .iter()
                    .find(|v| v.number == n)
                    .map(|v| v.reason.clone())
                    .unwrap_or_default();
                ("portal.moment_amended", reason)
            }
            ("sign", _) => ("portal.moment_signed", c.current.target_text.clone()),
            ("self_report", _) => ("portal.moment_self_report", c.self_report.clone()),
            _ => {
                let result = e
                    .to_state
                    .as_deref()
                    .map(|s| catalog.get(&format!("commitment_state.{s}")).to_string())
                    .unwrap_or_default();
                let score = c
                    .result_score
                    .map(|s| format!(" · {s:.1}"))
                    .unwrap_or_default();
                ("portal.moment_concluded", format!("{result}{score}"))
            }
        };
        let version = e
            .version_number
            .map(|n| format!(" ({} {n})", catalog.get("portal.commitment_version")))
            .unwrap_or_default();
        out.push(CommitmentMoment {
            id: format!("urn:duban:commitment-event:{}", e.id),
            title: format!(
                "{}{version} · {} · {who}",
                catalog.get(key),
                c.current.title
            ),
            summary,
            path: format!("/public/commitments/{}", c.id),
            at: e.at.to_jiff(),
        });
    }
    Ok(out)
}
