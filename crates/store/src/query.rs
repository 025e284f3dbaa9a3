//! One SQL text, bound on either backend. Parameters are collected as [`Param`] values and
//! bound to the concrete driver when the query runs, so repository code never matches on the
//! backend unless the SQL itself differs.

use crate::{StoreError, Tx};
use sqlx::postgres::{PgRow, Postgres};
use sqlx::sqlite::{Sqlite, SqliteRow};
use sqlx::{AssertSqlSafe, FromRow};

/// A value to bind. Instants are stored as fixed-width UTC text on SQLite (so text order is
/// time order) and as `TIMESTAMPTZ` on PostgreSQL; dates as ISO text and `DATE`.
#[derive(Debug, Clone)]
pub enum Param {
    I64(Option<i64>),
    F64(Option<f64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Timestamp(Option<jiff::Timestamp>),
    Date(Option<jiff::civil::Date>),
    Bytes(Option<Vec<u8>>),
}

macro_rules! param_from {
    ($($t:ty => $v:ident),* $(,)?) => {$(
        impl From<$t> for Param { fn from(x: $t) -> Param { Param::$v(Some(x.into())) } }
        impl From<Option<$t>> for Param { fn from(x: Option<$t>) -> Param { Param::$v(x.map(Into::into)) } }
    )*};
}
param_from!(
    i64 => I64, i32 => I64, f64 => F64, String => Text, &str => Text, bool => Bool,
    jiff::Timestamp => Timestamp, jiff::civil::Date => Date, Vec<u8> => Bytes,
);

macro_rules! param_from_id {
    ($($t:ty),*) => {$(
        impl From<$t> for Param { fn from(x: $t) -> Param { Param::I64(Some(x.0)) } }
        impl From<Option<$t>> for Param { fn from(x: Option<$t>) -> Param { Param::I64(x.map(|x| x.0)) } }
    )*};
}
use duban_core::org::{MembershipId, PersonId, PortfolioId, PostId, SectionId, UnitId, UserId};
param_from_id!(
    UnitId,
    SectionId,
    PostId,
    PersonId,
    UserId,
    PortfolioId,
    MembershipId
);
param_from_id!(
    duban_core::cases::CaseId,
    duban_core::cases::MeetingId,
    duban_core::lists::TaskId
);

/// Fixed-width UTC text for SQLite: `2026-11-24T15:16:40.123456Z` (microseconds, like
/// PostgreSQL's precision).
pub(crate) fn sqlite_timestamp(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Binds every parameter to a sqlx query (`Query` or `QueryAs`) of one backend; `$ts` turns an
/// instant into that backend's representation.
macro_rules! bind_all {
    ($q:expr, $params:expr, $ts:expr) => {{
        let mut q = $q;
        for p in $params {
            q = match p {
                Param::I64(v) => q.bind(v),
                Param::F64(v) => q.bind(v),
                Param::Text(v) => q.bind(v),
                Param::Bool(v) => q.bind(v),
                Param::Timestamp(v) => q.bind(v.map($ts)),
                Param::Date(v) => q.bind(v.map(jiff_sqlx::Date::from)),
                Param::Bytes(v) => q.bind(v),
            };
        }
        q
    }};
}

/// A query under construction: SQL with `$1, $2 …` placeholders and its parameters.
#[derive(Debug, Clone)]
pub struct Sql {
    text: String,
    params: Vec<Param>,
}

/// Starts a query from a literal SQL string.
pub fn sql(text: &'static str) -> Sql {
    Sql {
        text: text.to_string(),
        params: Vec::new(),
    }
}

/// One multi-row `INSERT`: `head` is `INSERT INTO t (a, b, c)`, each row its values in that
/// order. `None` when there are no rows. One statement instead of one per row matters where
/// each statement costs a round trip to the database (imports of thousands of rows).
pub fn insert_many(head: &'static str, rows: Vec<Vec<Param>>) -> Option<Sql> {
    if rows.is_empty() {
        return None;
    }
    let mut text = format!("{head} VALUES ");
    let mut params = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        if i > 0 {
            text.push_str(", ");
        }
        let holders: Vec<String> = row
            .into_iter()
            .map(|p| {
                params.push(p);
                format!("${}", params.len())
            })
            .collect();
        text.push('(');
        text.push_str(&holders.join(", "));
        text.push(')');
    }
    Some(Sql { text, params })
}

/// `column` is one of `ids`, the ids bound as the single parameter `$n` (see [`ids_param`]):
/// the statement's text is the same for any number of ids, so each connection prepares it once
/// instead of once per list of ids.
pub(crate) fn in_ids(backend: crate::Backend, column: &str, n: usize) -> String {
    match backend {
        crate::Backend::Sqlite => format!("{column} IN (SELECT value FROM json_each(${n}))"),
        crate::Backend::Postgres => format!("{column} = ANY(CAST(${n} AS BIGINT[]))"),
    }
}

/// The parameter of [`in_ids`]: a JSON array on SQLite, an array literal on PostgreSQL.
pub(crate) fn ids_param(backend: crate::Backend, ids: &[i64]) -> Param {
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    Param::Text(Some(match backend {
        crate::Backend::Sqlite => format!("[{list}]"),
        crate::Backend::Postgres => format!("{{{list}}}"),
    }))
}

/// A row type readable from both backends.
pub trait AnyRow:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> AnyRow for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

impl Sql {
    /// A query assembled from literal fragments only (e.g. optional filters). Never pass
    /// user input here: it belongs in parameters.
    pub fn assembled(text: String) -> Sql {
        Sql {
            text,
            params: Vec::new(),
        }
    }

    /// SQL assembled at run time (a filter's WHERE clause) with the parameters collected for
    /// its `$n` placeholders, in order.
    pub fn with_params(text: String, params: Vec<Param>) -> Sql {
        params
            .into_iter()
            .fold(Sql::assembled(text), |q, p| q.bind(p))
    }

    pub fn bind(mut self, p: impl Into<Param>) -> Sql {
        self.params.push(p.into());
        self
    }

    /// Appends a `RETURNING` clause (an insert that reports the ids it made).
    pub fn returning(mut self, columns: &'static str) -> Sql {
        self.text.push_str(" RETURNING ");
        self.text.push_str(columns);
        self
    }

    /// Appends a clause written as a literal (an `ON CONFLICT …` after a multi-row insert).
    pub fn on_conflict(mut self, clause: &'static str) -> Sql {
        self.text.push_str(clause);
        self
    }

    /// The number the next bound parameter will have (for assembling filters).
    pub fn next_placeholder(&self) -> usize {
        self.params.len() + 1
    }

    pub async fn fetch_all<T: AnyRow>(self, tx: &mut Tx) -> Result<Vec<T>, StoreError> {
        crate::statements::sent();
        Ok(match tx {
            Tx::Sqlite(t, _) => self.sqlite_as::<T>().fetch_all(&mut **t).await?,
            Tx::Postgres(t) => self.pg_as::<T>().fetch_all(&mut **t).await?,
        })
    }

    pub async fn fetch_optional<T: AnyRow>(self, tx: &mut Tx) -> Result<Option<T>, StoreError> {
        crate::statements::sent();
        Ok(match tx {
            Tx::Sqlite(t, _) => self.sqlite_as::<T>().fetch_optional(&mut **t).await?,
            Tx::Postgres(t) => self.pg_as::<T>().fetch_optional(&mut **t).await?,
        })
    }

    /// One row, or [`StoreError::NotFound`].
    pub async fn fetch_one<T: AnyRow>(self, tx: &mut Tx) -> Result<T, StoreError> {
        self.fetch_optional(tx).await?.ok_or(StoreError::NotFound)
    }

    /// Runs a statement; returns the number of rows it touched.
    pub async fn execute(self, tx: &mut Tx) -> Result<u64, StoreError> {
        crate::statements::sent();
        Ok(match tx {
            Tx::Sqlite(t, _) => bind_all!(
                sqlx::query::<Sqlite>(AssertSqlSafe(self.text)),
                self.params,
                sqlite_timestamp
            )
            .execute(&mut **t)
            .await?
            .rows_affected(),
            Tx::Postgres(t) => bind_all!(
                sqlx::query::<Postgres>(AssertSqlSafe(self.text)),
                self.params,
                jiff_sqlx::Timestamp::from
            )
            .execute(&mut **t)
            .await?
            .rows_affected(),
        })
    }

    fn sqlite_as<T: AnyRow>(
        self,
    ) -> sqlx::query::QueryAs<'static, Sqlite, T, sqlx::sqlite::SqliteArguments> {
        bind_all!(
            sqlx::query_as::<Sqlite, T>(AssertSqlSafe(self.text)),
            self.params,
            sqlite_timestamp
        )
    }

    fn pg_as<T: AnyRow>(
        self,
    ) -> sqlx::query::QueryAs<'static, Postgres, T, sqlx::postgres::PgArguments> {
        bind_all!(
            sqlx::query_as::<Postgres, T>(AssertSqlSafe(self.text)),
            self.params,
            jiff_sqlx::Timestamp::from
        )
    }
}
