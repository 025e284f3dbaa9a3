//! Reading many tasks: a filtered, paginated list limited to the reader's scope, a subtree
//! for the decomposition view, and the rows an export writes.

use crate::{Sql, StoreError, Tx};
use duban_core::lists::browse::{DueBounds, TaskOrder};
use duban_core::lists::state::TaskState;
use duban_core::lists::{CampaignId, Due, ListKind, TaskId};
use duban_core::org::{PersonId, UnitId};
use jiff::civil::Date;
use serde::Serialize;

/// Which tasks to list. Every field narrows; `scope` is applied for readers who do not see the
/// whole city.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub year: Option<i16>,
    pub campaign: Option<CampaignId>,
    pub list_kind: Option<ListKind>,
    /// Lead unit or co-unit.
    pub unit: Option<UnitId>,
    /// Only tasks this unit leads.
    pub lead_unit: Option<UnitId>,
    pub leader: Option<PersonId>,
    pub person: Option<PersonId>,
    /// Tasks naming this person as lead leader or responsible person ("mine").
    pub named: Option<PersonId>,
    pub state: Option<TaskState>,
    pub due_from: Option<Date>,
    pub due_to: Option<Date>,
    /// Words of the title or content (substring match).
    pub text: Option<String>,
    /// Only top-level tasks (no sub-tasks).
    pub top_level: bool,
    /// Only tasks whose light today is this (red, yellow, green).
    pub light: Option<duban_core::light::Light>,
    /// Open, overdue or due soon, as of a day (`core::lists::browse::DueWindow::bounds`).
    pub due: Option<DueBounds>,
    pub order: TaskOrder,
    pub scope: Option<ReaderScope>,
    pub limit: i64,
    pub offset: i64,
}

/// What a reader without a whole-city role may see: tasks of these units (lead or co), or
/// naming this person as leader or responsible person.
#[derive(Debug, Clone, Default)]
pub struct ReaderScope {
    pub units: Vec<UnitId>,
    pub person: Option<PersonId>,
}

impl ReaderScope {
    /// The scope as an SQL condition on a task aliased `t` (also used by `store::search`, so
    /// search and lists apply one rule).
    pub(crate) fn condition(&self) -> String {
        // Unit ids come from our own database, not from user input.
        let units: Vec<String> = self.units.iter().map(|u| u.0.to_string()).collect();
        let mut alternatives = Vec::new();
        if !units.is_empty() {
            alternatives.push(format!(
                "t.id IN (SELECT ts.task_id FROM task_units ts WHERE ts.unit_id IN ({}))",
                units.join(",")
            ));
        }
        if let Some(p) = self.person {
            alternatives.push(format!("t.lead_leader_id = {0}", p.0));
            alternatives.push(format!("t.person_id = {0}", p.0));
        }
        if alternatives.is_empty() {
            "1 = 0".to_string()
        } else {
            format!("({})", alternatives.join(" OR "))
        }
    }
}

/// One row of a task list.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct TaskRow {
    pub id: i64,
    pub year: i64,
    pub campaign_id: Option<i64>,
    pub campaign_name: Option<String>,
    pub list_kind: String,
    pub parent_id: Option<i64>,
    pub depth: i64,
    pub path: String,
    pub title: String,
    pub lead_unit_id: i64,
    pub lead_unit_name: String,
    pub lead_leader_id: Option<i64>,
    pub lead_leader_name: Option<String>,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub section_name: Option<String>,
    #[serde(skip)]
    pub due_date: Option<jiff_sqlx::Date>,
    pub cadence: Option<String>,
    pub weight: f64,
    pub state: String,
    pub progress: f64,
    /// The light today (green, yellow, red).
    pub light: String,
    pub children: i64,
}

impl TaskRow {
    pub fn task_id(&self) -> TaskId {
        TaskId(self.id)
    }
    pub fn due(&self) -> Option<Due> {
        Due::from_columns(self.due_date.map(|d| d.to_jiff()), self.cadence.as_deref())
    }
    pub fn list_kind(&self) -> Option<ListKind> {
        ListKind::parse(&self.list_kind)
    }
    pub fn state(&self) -> Option<TaskState> {
        TaskState::parse(&self.state)
    }
}

const ROW_SELECT: &str = "SELECT t.id, t.year, t.campaign_id, c.name AS campaign_name, t.list_kind,
        t.parent_id, t.depth, t.path, t.title, t.lead_unit_id, u.short_name AS lead_unit_name,
        t.lead_leader_id, l.name AS lead_leader_name, t.person_id, pe.name AS person_name,
        s.name AS section_name, t.due_date, t.cadence, t.weight, t.state, t.progress, t.light,
        (SELECT COUNT(*) FROM tasks ch WHERE ch.parent_id = t.id) AS children
    FROM tasks t
    JOIN units u ON u.id = t.lead_unit_id
    LEFT JOIN campaigns c ON c.id = t.campaign_id
    LEFT JOIN people l ON l.id = t.lead_leader_id
    LEFT JOIN people pe ON pe.id = t.person_id
    LEFT JOIN sections s ON s.id = t.section_id";

/// The WHERE clause and its parameters for a filter.
fn where_clause(f: &TaskFilter) -> (String, Vec<crate::Param>) {
    let mut w = String::from(" WHERE 1 = 1");
    let mut params: Vec<crate::Param> = Vec::new();
    let mut push = |cond: &str, p: crate::Param, w: &mut String| {
        params.push(p);
        w.push_str(&cond.replace("$?", &format!("${}", params.len())));
    };
    if let Some(y) = f.year {
        push(" AND t.year = $?", i64::from(y).into(), &mut w);
    }
    if let Some(c) = f.campaign {
        push(" AND t.campaign_id = $?", c.0.into(), &mut w);
    }
    if let Some(k) = f.list_kind {
        push(" AND t.list_kind = $?", k.as_str().into(), &mut w);
    }
    if let Some(u) = f.unit {
        push(
            " AND t.id IN (SELECT tu.task_id FROM task_units tu WHERE tu.unit_id = $?)",
            u.into(),
            &mut w,
        );
    }
    if let Some(u) = f.lead_unit {
        push(" AND t.lead_unit_id = $?", u.into(), &mut w);
    }
    if let Some(p) = f.leader {
        push(" AND t.lead_leader_id = $?", p.into(), &mut w);
    }
    if let Some(p) = f.person {
        push(" AND t.person_id = $?", p.into(), &mut w);
    }
    if let Some(p) = f.named {
        push(
            " AND (t.lead_leader_id = $? OR t.person_id = $?)",
            p.into(),
            &mut w,
        );
    }
    if let Some(s) = f.state {
        push(" AND t.state = $?", s.as_str().into(), &mut w);
    }
    if let Some(d) = f.due_from {
        push(" AND t.due_date >= $?", d.into(), &mut w);
    }
    if let Some(d) = f.due_to {
        push(" AND t.due_date <= $?", d.into(), &mut w);
    }
    if let Some(text) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", text.replace(['%', '_'], ""));
        push(
            " AND (t.title LIKE $? OR t.content LIKE $?)",
            pattern.into(),
            &mut w,
        );
    }
    if f.top_level {
        w.push_str(" AND t.parent_id IS NULL");
    }
    if let Some(l) = f.light {
        push(" AND t.light = $?", l.as_str().into(), &mut w);
    }
    if let Some(b) = f.due {
        if b.open {
            w.push_str(" AND t.progress < 100");
        }
        if let Some(d) = b.due_from {
            push(" AND t.due_date >= $?", d.into(), &mut w);
        }
        if let Some(d) = b.due_to {
            push(" AND t.due_date <= $?", d.into(), &mut w);
        }
    }
    if let Some(scope) = &f.scope {
        w.push_str(&format!(" AND {}", scope.condition()));
    }
    (w, params)
}

/// The ORDER BY of a filter's order. Each ends in list order and the id, so paging is stable.
/// By deadline with a window that bounds the deadline, no task lacks one, so the order walks
/// the `(year, due_date)` index; otherwise tasks without a deadline go last on both backends.
fn order_by(f: &TaskFilter) -> String {
    const LIST: &str = "t.year, t.lead_unit_id, t.sort_key, t.id";
    let due = if f
        .due
        .is_some_and(|b| b.due_from.is_some() || b.due_to.is_some())
    {
        "t.due_date"
    } else {
        "t.due_date IS NULL, t.due_date"
    };
    match f.order {
        TaskOrder::List => LIST.to_string(),
        TaskOrder::Due => format!("t.year, {due}, {LIST}"),
        TaskOrder::Light => format!(
            "t.year, CASE t.light WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END, {due}, {LIST}"
        ),
        TaskOrder::Progress => format!("t.year, t.progress, {due}, {LIST}"),
    }
}

/// One page of tasks in the filter's order (by default list order: lead unit, then 序号), and
/// the number of all matches.
///
/// Two steps: the page's ids are found on the narrow `tasks` table (in list order walking the
/// list index `(year, lead_unit_id, sort_key)`, with no sort of all matches), then only those
/// rows are joined with names. "List order" is therefore by the lead unit's id (units are
/// created in their directory order), not by its `sort_order`.
pub async fn list_tasks(tx: &mut Tx, f: &TaskFilter) -> Result<(Vec<TaskRow>, i64), StoreError> {
    let (w, params) = where_clause(f);
    let n = params.len();
    let ids: Vec<(i64,)> = Sql::with_params(
        format!(
            "SELECT t.id FROM tasks t{w} ORDER BY {} LIMIT ${} OFFSET ${}",
            order_by(f),
            n + 1,
            n + 2
        ),
        params.clone(),
    )
    .bind(f.limit)
    .bind(f.offset)
    .fetch_all(tx)
    .await?;
    let rows = rows_by_ids(tx, &ids.into_iter().map(|(id,)| id).collect::<Vec<_>>()).await?;
    let (total,): (i64,) = Sql::with_params(format!("SELECT COUNT(*) FROM tasks t{w}"), params)
        .fetch_one(tx)
        .await?;
    Ok((rows, total))
}

/// Full rows of the given tasks, in the order of `ids`.
async fn rows_by_ids(tx: &mut Tx, ids: &[i64]) -> Result<Vec<TaskRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let backend = tx.backend();
    let mut rows: Vec<TaskRow> = Sql::assembled(format!(
        "{ROW_SELECT} WHERE {}",
        crate::query::in_ids(backend, "t.id", 1)
    ))
    .bind(crate::query::ids_param(backend, ids))
    .fetch_all(tx)
    .await?;
    let position: std::collections::HashMap<i64, usize> =
        ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    rows.sort_by_key(|r| position.get(&r.id).copied());
    Ok(rows)
}

/// A task and its descendants by `parent_id`, shares led by other units included.
const SUBTREE: &str = "WITH RECURSIVE sub(id) AS (
        SELECT CAST($1 AS BIGINT)
        UNION ALL SELECT ch.id FROM tasks ch JOIN sub ON ch.parent_id = sub.id)";

/// A task and all its descendants, depth-first, each parent's children in list order — its
/// own unit's first (by 序号), then shares other units lead (a town's share carries its own
/// list's number).
pub async fn list_subtree(tx: &mut Tx, root: TaskId) -> Result<Vec<TaskRow>, StoreError> {
    let rows: Vec<TaskRow> = Sql::assembled(format!(
        "{SUBTREE} {ROW_SELECT} WHERE t.id IN (SELECT id FROM sub)"
    ))
    .bind(root.0)
    .fetch_all(tx)
    .await?;
    Ok(depth_first(rows, root))
}

/// Orders a subtree's rows depth-first from `root`.
fn depth_first(mut rows: Vec<TaskRow>, root: TaskId) -> Vec<TaskRow> {
    let lead_of: std::collections::HashMap<i64, i64> =
        rows.iter().map(|r| (r.id, r.lead_unit_id)).collect();
    rows.sort_by(|a, b| {
        let key = |r: &TaskRow| {
            let foreign = r.parent_id.and_then(|p| lead_of.get(&p)) != Some(&r.lead_unit_id);
            let number = duban_core::lists::sort_key(&r.path);
            (foreign, r.lead_unit_id, number, r.id)
        };
        key(a).cmp(&key(b))
    });
    let mut children: std::collections::HashMap<i64, Vec<usize>> = std::collections::HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some(p) = r.parent_id {
            children.entry(p).or_default().push(i);
        }
    }
    let mut order = Vec::with_capacity(rows.len());
    let mut stack: Vec<usize> = rows
        .iter()
        .position(|r| r.id == root.0)
        .into_iter()
        .collect();
    while let Some(i) = stack.pop() {
        order.push(i);
        if let Some(kids) = children.get(&rows[i].id) {
            stack.extend(kids.iter().rev());
        }
    }
    let mut slots: Vec<Option<TaskRow>> = rows.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// The ids of every task matching a filter (no paging), in list order — for exports.
pub async fn list_task_ids(tx: &mut Tx, f: &TaskFilter) -> Result<Vec<TaskId>, StoreError> {
    let (w, params) = where_clause(f);
    let rows: Vec<(i64,)> = Sql::with_params(
        format!("SELECT t.id FROM tasks t{w} ORDER BY {}", order_by(f)),
        params,
    )
    .fetch_all(tx)
    .await?;
    Ok(rows.into_iter().map(|(id,)| TaskId(id)).collect())
}

/// Indicator figures of many tasks at once, for roll-ups: `(task, name, target, unit, actual)`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IndicatorFigure {
    pub task_id: i64,
    pub name: String,
    pub target: f64,
    pub unit: String,
    pub actual: Option<f64>,
}

pub async fn list_indicators_of_subtree(
    tx: &mut Tx,
    root: TaskId,
) -> Result<Vec<IndicatorFigure>, StoreError> {
    Sql::assembled(format!(
        "{SUBTREE} SELECT i.task_id, i.name, i.target, i.unit, i.actual
         FROM task_indicators i
         WHERE i.task_id IN (SELECT id FROM sub)
         ORDER BY i.task_id, i.position"
    ))
    .bind(root.0)
    .fetch_all(tx)
    .await
}
