//! Store errors: not found, a named constraint conflict, or the database itself.
//! A query error is never turned into "not found".

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique or check constraint refused the write. `constraint` uses PostgreSQL's default
    /// naming on both backends (`units_code_key`), so callers map one name to a field message.
    #[error("conflict on {constraint}")]
    Conflict { constraint: String },
    #[error(transparent)]
    Db(sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e
            && db.is_unique_violation()
        {
            let constraint = match db.constraint() {
                Some(c) => c.to_string(),
                None => sqlite_constraint_name(db.message()),
            };
            return StoreError::Conflict { constraint };
        }
        if let sqlx::Error::RowNotFound = e {
            return StoreError::NotFound;
        }
        StoreError::Db(e)
    }
}

/// SQLite says `UNIQUE constraint failed: units.code` (or `t.a, t.b`); PostgreSQL would name
/// that constraint `units_code_key` (`t_a_b_key`).
fn sqlite_constraint_name(message: &str) -> String {
    let cols = message.rsplit(": ").next().unwrap_or(message);
    let mut parts = cols.split(", ").map(str::trim);
    let Some(first) = parts.next() else {
        return message.to_string();
    };
    let (table, col) = first.split_once('.').unwrap_or(("", first));
    let mut name = format!("{table}_{col}");
    for p in parts {
        name.push('_');
        name.push_str(p.split_once('.').map_or(p, |(_, c)| c));
    }
    name.push_str("_key");
    name
}

#[cfg(test)]
mod tests {
    use super::sqlite_constraint_name;

    #[test]
    fn sqlite_unique_messages_map_to_postgres_constraint_names() {
        assert_eq!(
            sqlite_constraint_name("UNIQUE constraint failed: units.code"),
            "units_code_key"
        );
        assert_eq!(
            sqlite_constraint_name("UNIQUE constraint failed: sections.unit_id, sections.name"),
            "sections_unit_id_name_key"
        );
    }
}
