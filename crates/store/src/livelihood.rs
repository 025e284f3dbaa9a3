//! Livelihood projects (民生实事) in the database: the project with its milestones and linked
//! tasks, and the deputies' votes (one per deputy, project and year, replaced while voting is
//! open). Who may vote and whether voting is open are decided by the caller.

use crate::{Audit, StoreError, Tx, ledger, sql};
use duban_core::commitments::ProjectId;
use duban_core::commitments::livelihood::Vote;
use duban_core::org::{PersonId, UnitId};
use serde::{Deserialize, Serialize};

/// A milestone of a project: the day and what is done by then.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub due: jiff::civil::Date,
    pub title: String,
}

/// A project as created.
#[derive(Debug, Clone, Serialize)]
pub struct NewProject {
    pub year: i16,
    pub title: String,
    pub description: String,
    pub lead_unit: Option<UnitId>,
    pub milestones: Vec<Milestone>,
    pub task_ids: Vec<i64>,
}

/// A project as read.
#[derive(Debug, Clone, Serialize)]
pub struct Project {
    pub id: ProjectId,
    pub year: i16,
    pub title: String,
    pub description: String,
    pub lead_unit_id: Option<i64>,
    pub lead_unit_name: Option<String>,
    pub milestones: Vec<Milestone>,
    pub task_ids: Vec<i64>,
    pub voting_closed: bool,
}

#[derive(sqlx::FromRow)]
struct ProjectRow {
    id: i64,
    year: i64,
    title: String,
    description: String,
    lead_unit_id: Option<i64>,
    lead_unit_name: Option<String>,
    milestones: String,
    voting_closed: bool,
}

fn decode(what: &str) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        format!("livelihood project: stored {what} is not valid").into(),
    ))
}

pub async fn insert_project(
    tx: &mut Tx,
    audit: &Audit,
    p: &NewProject,
) -> Result<ProjectId, StoreError> {
    let milestones = serde_json::to_string(&p.milestones).expect("milestones are plain data");
    let (id,): (i64,) = sql(
        "INSERT INTO livelihood_projects (year, title, description, lead_unit_id, milestones,
            created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(i64::from(p.year))
    .bind(p.title.as_str())
    .bind(p.description.as_str())
    .bind(p.lead_unit)
    .bind(milestones)
    .bind(audit.at)
    .returning("id")
    .fetch_one(tx)
    .await?;
    for t in &p.task_ids {
        sql("INSERT INTO livelihood_project_tasks (project_id, task_id) VALUES ($1, $2)")
            .bind(id)
            .bind(*t)
            .execute(tx)
            .await?;
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("livelihood.create", "livelihood_project", id).after(p),
    )
    .await?;
    Ok(ProjectId(id))
}

const SELECT: &str = "SELECT p.id, p.year, p.title, p.description, p.lead_unit_id,
        u.short_name AS lead_unit_name, p.milestones, p.voting_closed
    FROM livelihood_projects p LEFT JOIN units u ON u.id = p.lead_unit_id";

async fn with_tasks(tx: &mut Tx, r: ProjectRow) -> Result<Project, StoreError> {
    let tasks: Vec<(i64,)> =
        sql("SELECT task_id FROM livelihood_project_tasks WHERE project_id = $1 ORDER BY task_id")
            .bind(r.id)
            .fetch_all(tx)
            .await?;
    Ok(Project {
        id: ProjectId(r.id),
        year: i16::try_from(r.year).map_err(|_| decode("year"))?,
        title: r.title,
        description: r.description,
        lead_unit_id: r.lead_unit_id,
        lead_unit_name: r.lead_unit_name,
        milestones: serde_json::from_str(&r.milestones).map_err(|_| decode("milestones"))?,
        task_ids: tasks.into_iter().map(|(t,)| t).collect(),
        voting_closed: r.voting_closed,
    })
}

pub async fn get_project(tx: &mut Tx, id: ProjectId) -> Result<Option<Project>, StoreError> {
    let row: Option<ProjectRow> = crate::Sql::assembled(format!("{SELECT} WHERE p.id = $1"))
        .bind(id.0)
        .fetch_optional(tx)
        .await?;
    match row {
        Some(r) => Ok(Some(with_tasks(tx, r).await?)),
        None => Ok(None),
    }
}

/// The projects of a year (all years with `None`), in the order they were created.
pub async fn list_projects(tx: &mut Tx, year: Option<i16>) -> Result<Vec<Project>, StoreError> {
    let rows: Vec<ProjectRow> = crate::Sql::assembled(format!(
        "{SELECT} WHERE ($1 IS NULL OR p.year = $1) ORDER BY p.id"
    ))
    .bind(year.map(i64::from))
    .fetch_all(tx)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(with_tasks(tx, r).await?);
    }
    Ok(out)
}

/// Records a deputy's vote, replacing their earlier vote of the same year. Refused with a
/// conflict (`livelihood_projects_state_changed`) once voting is closed.
pub async fn save_vote(
    tx: &mut Tx,
    audit: &Audit,
    project: ProjectId,
    deputy: PersonId,
    year: i16,
    vote: Vote,
) -> Result<(), StoreError> {
    let open: Option<(bool,)> = sql("SELECT voting_closed FROM livelihood_projects WHERE id = $1")
        .bind(project.0)
        .fetch_optional(tx)
        .await?;
    match open {
        None => return Err(StoreError::NotFound),
        Some((true,)) => {
            return Err(StoreError::Conflict {
                constraint: "livelihood_projects_state_changed".into(),
            });
        }
        Some((false,)) => {}
    }
    sql(
        "INSERT INTO livelihood_votes (project_id, deputy_id, year, choice, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (project_id, deputy_id, year) DO UPDATE SET choice = excluded.choice,
            updated_at = excluded.updated_at",
    )
    .bind(project.0)
    .bind(deputy)
    .bind(i64::from(year))
    .bind(vote.as_str())
    .bind(audit.at)
    .execute(tx)
    .await?;
    ledger::append(
        tx,
        audit,
        ledger::Change::new("livelihood.vote", "livelihood_project", project.0)
            .after(&serde_json::json!({ "deputy": deputy.0, "year": year, "vote": vote.as_str() })),
    )
    .await?;
    Ok(())
}

/// Closes voting on a project; votes are final from then on.
pub async fn close_voting(
    tx: &mut Tx,
    audit: &Audit,
    project: ProjectId,
) -> Result<(), StoreError> {
    let touched = sql(
        "UPDATE livelihood_projects SET voting_closed = TRUE, updated_at = $2
         WHERE id = $1 AND voting_closed = FALSE",
    )
    .bind(project.0)
    .bind(audit.at)
    .execute(tx)
    .await?;
    if touched == 0 {
        return Err(StoreError::Conflict {
            constraint: "livelihood_projects_state_changed".into(),
        });
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("livelihood.close_voting", "livelihood_project", project.0),
    )
    .await?;
    Ok(())
}

/// The votes on a project: (deputy, year, vote).
pub async fn list_votes(
    tx: &mut Tx,
    project: ProjectId,
) -> Result<Vec<(PersonId, i16, Vote)>, StoreError> {
    let rows: Vec<(i64, i64, String)> = sql(
        "SELECT deputy_id, year, choice FROM livelihood_votes WHERE project_id = $1
         ORDER BY deputy_id",
    )
    .bind(project.0)
    .fetch_all(tx)
    .await?;
    rows.into_iter()
        .map(|(d, y, c)| {
            Ok((
                PersonId(d),
                i16::try_from(y).map_err(|_| decode("vote year"))?,
                Vote::parse(&c).ok_or_else(|| decode("vote"))?,
            ))
        })
        .collect()
}
