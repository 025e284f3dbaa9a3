//! Loading the demo city (`duban demo`) into an empty database: every unit, section, post,
//! person, account, portfolio, campaign and task goes through the store in one transaction, so
//! the ledger records the seeding like any other write and a failure leaves nothing behind.

mod assessment;
mod bulletins;
mod cases;
mod commitments;
mod county;
mod lists;
mod progress;
mod proposals;
mod public;
mod showcase;

use duban_core::demo::{DEMO_PASSWORD, DEMO_YEAR, DemoCity, demo_city};
use duban_core::org::{PersonId, PostId, SectionId, UnitId};
use duban_core::role::Role;
use duban_store::{Audit, Store, StoreError, accounts, campaigns, org, people, portfolios};
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the database already has accounts; the demo loads only into an empty database")]
    NotEmpty,
    #[error("demo data refers to an unknown {what} `{name}`")]
    Dangling { what: &'static str, name: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("playing the demo's cases: {0:?}")]
    Cases(crate::error::AppError),
    #[error("playing the demo's commitments: {0:?}")]
    Commitments(crate::error::AppError),
    #[error("playing the demo's public reports: {0:?}")]
    Public(crate::error::AppError),
    #[error("scoring the demo's year: {0:?}")]
    Assessment(crate::error::AppError),
    #[error("playing the demo's showcases: {0:?}")]
    Showcase(crate::error::AppError),
    #[error("playing the demo's suggestions and proposals: {0:?}")]
    Proposals(crate::error::AppError),
    #[error("playing the demo's duty list and joint matters: {0:?}")]
    County(crate::error::AppError),
    #[error("the demo's dates: {0}")]
    Clock(String),
}

#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub username: String,
    pub role: Role,
    pub name: String,
    pub unit: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub units: usize,
    pub people: usize,
    pub tasks: usize,
    /// Cases of the closed loop played through October–November.
    pub cases: usize,
    /// One account per role, to print for the person trying the demo.
    pub accounts: Vec<DemoAccount>,
}

/// Loads the demo city with its hand-written lists. All demo accounts share
/// [`DEMO_PASSWORD`], hashed once.
pub async fn load_demo(store: &Store) -> Result<DemoSummary, DemoError> {
    load_demo_with(store, None).await
}

/// Loads the demo city; with `generated = Some(n)`, its lists are `n` generated tasks of
/// realistic shape (the benchmark data set) instead of the hand-written ones.
pub async fn load_demo_with(
    store: &Store,
    generated: Option<usize>,
) -> Result<DemoSummary, DemoError> {
    let city = demo_city();
    let start = jiff::civil::date(DEMO_YEAR, 1, 1);
    // The city is set up on the year's first working morning; the months after it are played
    // (below) at the instants they describe, and the story ends at the demo's "today"
    // (`DEMO_CLOCK`), never at the real date.
    let tz = crate::WebConfig::default().timezone;
    let audit = Audit::system(
        jiff::civil::date(DEMO_YEAR, 1, 4)
            .at(9, 0, 0, 0)
            .to_zoned(tz.clone())
            .map_err(|e| DemoError::Clock(e.to_string()))?
            .timestamp(),
    );
    let hash = crate::password::hash(DEMO_PASSWORD);
    let mut tx = store.begin_write().await?;
    if accounts::count_users(&mut tx).await? > 0 {
        return Err(DemoError::NotEmpty);
    }
    let mut units: HashMap<&str, UnitId> = HashMap::new();
    let mut sections: HashMap<(&str, &str), SectionId> = HashMap::new();
    let mut posts: HashMap<(&str, &str, &str), PostId> = HashMap::new();
    for (i, u) in city.units.iter().enumerate() {
        let fields = org::UnitFields {
            code: u.code.into(),
            name: u.name.into(),
            short_name: u.short_name.into(),
            kind: u.kind,
            parent_id: match u.parent {
                Some(p) => Some(*units.get(p).ok_or_else(|| dangling("unit", p))?),
                None => None,
            },
            sort_order: i as i64,
        };
        let id = org::insert_unit(&mut tx, &audit, &fields).await?;
        units.insert(u.code, id);
        for s in &u.sections {
            let sid = org::insert_section(&mut tx, &audit, id, s.name).await?;
            sections.insert((u.code, s.name), sid);
            for p in &s.posts {
                let pid = org::insert_post(&mut tx, &audit, id, Some(sid), p).await?;
                posts.insert((u.code, s.name, p), pid);
            }
        }
    }
    let mut person_ids: HashMap<&str, PersonId> = HashMap::new();
    let mut shown: Vec<DemoAccount> = Vec::new();
    for p in &city.people {
        let unit_id = match p.unit {
            Some(code) => Some(*units.get(code).ok_or_else(|| dangling("unit", code))?),
            None => None,
        };
        let section_id = match (p.unit, p.section) {
            (Some(u), Some(s)) => Some(
                *sections
                    .get(&(u, s))
                    .ok_or_else(|| dangling("section", s))?,
            ),
            _ => None,
        };
        let post_id = match (p.unit, p.section, p.post) {
            (Some(u), Some(s), Some(po)) => {
                Some(*posts.get(&(u, s, po)).ok_or_else(|| dangling("post", po))?)
            }
            _ => None,
        };
        let fields = people::PersonFields {
            name: p.name.clone(),
            title: p.title.clone(),
            mobile: Some(p.mobile.clone()),
            unit_id,
            section_id,
            post_id,
        };
        let id = people::insert_person(&mut tx, &audit, &fields, start).await?;
        let new = accounts::NewUser {
            person_id: Some(id),
            username: &p.username,
            password_hash: &hash,
            role: p.role,
            must_change_password: false,
        };
        accounts::insert_user(&mut tx, &audit, &new).await?;
        for tf in &p.task_forces {
            let unit = *units.get(tf).ok_or_else(|| dangling("task force", tf))?;
            people::join_unit(&mut tx, &audit, id, unit, start).await?;
        }
        person_ids.insert(p.username.as_str(), id);
        if !shown.iter().any(|a| a.role == p.role) {
            let unit = p
                .unit
                .and_then(|c| city.units.iter().find(|u| u.code == c))
                .map(|u| u.short_name.to_string());
            shown.push(DemoAccount {
                username: p.username.clone(),
                role: p.role,
                name: p.name.clone(),
                unit,
            });
        }
    }
    for pf in &city.portfolios {
        let leader = *person_ids
            .get(pf.leader)
            .ok_or_else(|| dangling("leader", pf.leader))?;
        let unit = *units
            .get(pf.unit)
            .ok_or_else(|| dangling("unit", pf.unit))?;
        portfolios::insert_portfolio(&mut tx, &audit, leader, unit, pf.valid_from, pf.valid_to)
            .await?;
    }
    let mut campaign_ids: HashMap<&str, i64> = HashMap::new();
    for (i, c) in city.campaigns.iter().enumerate() {
        let fields = campaigns::CampaignFields {
            year: i64::from(DEMO_YEAR),
            code: c.code.into(),
            name: c.name.into(),
            lead_leader_id: Some(
                *person_ids
                    .get(c.lead_leader)
                    .ok_or_else(|| dangling("leader", c.lead_leader))?,
            ),
            task_force_id: Some(
                *units
                    .get(c.task_force)
                    .ok_or_else(|| dangling("task force", c.task_force))?,
            ),
            command_hq_id: match c.command_hq {
                Some(hq) => Some(*units.get(hq).ok_or_else(|| dangling("command HQ", hq))?),
                None => None,
            },
            sort_order: i as i64,
        };
        let id = campaigns::insert_campaign(&mut tx, &audit, &fields).await?;
        campaign_ids.insert(c.code, id);
    }
    campaigns::save_plan_year(
        &mut tx,
        &audit,
        &campaigns::PlanYear::default_for(DEMO_YEAR),
    )
    .await?;
    let tasks = match generated {
        Some(n) => duban_core::demo::lists::generated_tasks(&city, n),
        None => duban_core::demo::lists::demo_tasks(&city),
    };
    let refs = lists::Refs {
        units: &units,
        sections: &sections,
        posts: &posts,
        people: &person_ids,
        campaigns: &campaign_ids,
    };
    let n_tasks = lists::load_tasks(&mut tx, &audit, &refs, &tasks).await?;
    tx.commit().await?;
    // The closed loop is played through the services, step by step (see `cases`), each step at
    // its own instant; anything not given one happens at the demo's "today".
    let state = crate::AppState::new(store.clone(), crate::WebConfig::default())
        .at(duban_core::demo::demo_now(&tz));
    let started = std::time::Instant::now();
    progress::seed(&state).await.map_err(DemoError::Cases)?;
    tracing::debug!(
        ms = started.elapsed().as_millis() as u64,
        "demo: progress history seeded"
    );
    let started = std::time::Instant::now();
    let n_cases = cases::play(&state).await.map_err(DemoError::Cases)?;
    tracing::debug!(
        ms = started.elapsed().as_millis() as u64,
        "demo: the month played"
    );
    // Commitments and livelihood projects, only on the hand-written lists (benchmarks load
    // generated ones).
    if generated.is_none() {
        commitments::play(&state)
            .await
            .map_err(DemoError::Commitments)?;
        let play = cases::Play::new(&state).map_err(DemoError::Public)?;
        public::play(&play).await.map_err(DemoError::Public)?;
        showcase::play(&play).await.map_err(DemoError::Showcase)?;
        let started = std::time::Instant::now();
        let steps = proposals::play(&state)
            .await
            .map_err(DemoError::Proposals)?;
        tracing::debug!(
            ms = started.elapsed().as_millis() as u64,
            steps,
            "demo: the session of suggestions and proposals played"
        );
        // The duty list and the towns' joint matters (吹哨报到) of October–November, after the
        // month and the sessions so they change nothing played before them.
        county::play(&play).await.map_err(DemoError::County)?;
        // Last: the year is scored from everything played before it.
        assessment::play(&play)
            .await
            .map_err(DemoError::Assessment)?;
        // Then the bulletins, drawn from the scored year.
        bulletins::play(&play)
            .await
            .map_err(DemoError::Assessment)?;
    }
    shown.sort_by_key(|a| Role::ALL.iter().position(|r| *r == a.role));
    // A bulk load: the planner would otherwise plan for empty tables.
    store.refresh_statistics().await?;
    Ok(summary(&city, shown, n_tasks, n_cases))
}

fn summary(city: &DemoCity, accounts: Vec<DemoAccount>, tasks: usize, cases: usize) -> DemoSummary {
    DemoSummary {
        units: city.units.len(),
        people: city.people.len(),
        tasks,
        cases,
        accounts,
    }
}

fn dangling(what: &'static str, name: &str) -> DemoError {
    DemoError::Dangling {
        what,
        name: name.to_string(),
    }
}
