//! What an import resolves names against, read in a handful of queries (a 10,000-row sheet
//! makes no per-row queries).

use crate::{StoreError, Tx, sql};

/// The organisation and the year's tasks, as plain rows.
#[derive(Debug, Clone, Default)]
pub struct LookupRows {
    /// (id, code, name)
    pub campaigns: Vec<(i64, String, String)>,
    /// (id, unit, name)
    pub sections: Vec<(i64, i64, String)>,
    /// (id, unit, section, name): a unit may have a 科长 in each section.
    pub posts: Vec<(i64, i64, Option<i64>, String)>,
    /// (unit, person) of open memberships
    pub members: Vec<(i64, i64)>,
    /// (person, name) of city leaders
    pub leaders: Vec<(i64, String)>,
    /// (unit, short name)
    pub units: Vec<(i64, String)>,
    /// (task, lead unit, path, state, deadline) of the year's tasks
    pub tasks: Vec<(i64, i64, String, String, Option<jiff::civil::Date>)>,
}

pub async fn load_lookup(tx: &mut Tx, year: i16) -> Result<LookupRows, StoreError> {
    let tasks: Vec<(i64, i64, String, String, Option<jiff_sqlx::Date>)> =
        sql("SELECT id, lead_unit_id, path, state, due_date FROM tasks WHERE year = $1")
            .bind(i64::from(year))
            .fetch_all(tx)
            .await?;
    Ok(LookupRows {
        campaigns: sql("SELECT id, code, name FROM campaigns WHERE year = $1")
            .bind(i64::from(year))
            .fetch_all(tx)
            .await?,
        sections: sql("SELECT id, unit_id, name FROM sections WHERE active")
            .fetch_all(tx)
            .await?,
        posts: sql("SELECT id, unit_id, section_id, name FROM posts WHERE active ORDER BY id")
            .fetch_all(tx)
            .await?,
        members: sql("SELECT unit_id, person_id FROM memberships WHERE valid_to IS NULL")
            .fetch_all(tx)
            .await?,
        leaders: sql(
            "SELECT p.id, p.name FROM people p JOIN users u ON u.person_id = p.id
             WHERE u.role IN ('top_leader', 'portfolio_leader') AND p.active",
        )
        .fetch_all(tx)
        .await?,
        units: sql("SELECT id, short_name FROM units")
            .fetch_all(tx)
            .await?,
        tasks: tasks
            .into_iter()
            .map(|(id, u, p, s, d)| (id, u, p, s, d.map(|d| d.to_jiff())))
            .collect(),
    })
}
