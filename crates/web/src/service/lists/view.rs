//! Reading the lists: a filtered page of tasks in the reader's scope, and everything that
//! belongs to one task (its decomposition tree with roll-ups, timeline, change requests and
//! field history).

use super::{load_visible, reader_scope, task_object};
use crate::error::AppError;
use crate::state::AppState;
use duban_core::lists::TaskId;
use duban_core::lists::browse::{DueWindow, TaskOrder};
use duban_core::lists::rollup::{self, Figures, Node};
use duban_core::lists::state::TaskState;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_store::lists::browse::{self, TaskFilter, TaskRow};
use duban_store::lists::review::{self, ChangeRow, HistoryRow, TaskEvent};
use duban_store::lists::{self as store, Task};
use serde::Serialize;
use std::collections::HashMap;

/// A page of tasks the actor may see.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    mut filter: TaskFilter,
) -> Result<(Vec<TaskRow>, i64), AppError> {
    decide(actor, Action::ViewTasks, Object::City)?;
    filter.scope = reader_scope(actor);
    filter.limit = filter.limit.clamp(1, 200);
    filter.offset = filter.offset.max(0);
    let mut tx = state.store.begin_read().await?;
    Ok(browse::list_tasks(&mut tx, &filter).await?)
}

/// One node of the decomposition tree with its rolled-up figures.
#[derive(Debug, Clone, Serialize)]
pub struct TreeNode {
    pub row: TaskRow,
    /// Progress after roll-up (a leaf's own progress).
    pub progress: f64,
    /// `(name, target, unit, value after roll-up)` per indicator.
    pub indicators: Vec<(String, f64, String, Option<f64>)>,
}

/// What the actor may do on the task page.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Allowed {
    pub edit: bool,
    pub decompose: bool,
    pub review: bool,
    pub propose_change: bool,
    pub decide_change: bool,
}

/// A task with everything that belongs to it.
#[derive(Debug, Clone, Serialize)]
pub struct TaskView {
    pub task: Task,
    /// The task and its descendants, depth-first, with roll-ups.
    pub tree: Vec<TreeNode>,
    pub events: Vec<TaskEvent>,
    pub changes: Vec<ChangeRow>,
    pub history: Vec<HistoryRow>,
    pub allowed: Allowed,
}

pub async fn task_view(state: &AppState, actor: &Actor, id: TaskId) -> Result<TaskView, AppError> {
    let mut tx = state.store.begin_read().await?;
    let task = load_visible(&mut tx, actor, id).await?;
    let rows = browse::list_subtree(&mut tx, id).await?;
    let figures = browse::list_indicators_of_subtree(&mut tx, id).await?;
    let tree = roll_up_tree(rows, &figures);
    let events = review::list_task_events(&mut tx, id).await?;
    let changes = review::list_changes_of_task(&mut tx, id).await?;
    let history = review::list_task_history(&mut tx, id).await?;
    let obj = task_object(&task);
    let parent = super::parent_of(&mut tx, &task).await?;
    let owner = super::owner_object(&task, parent.as_ref());
    let allowed = Allowed {
        edit: decide(actor, Action::EditTask, owner).is_ok(),
        decompose: decide(
            actor,
            Action::EditTask,
            Object::Task {
                lead_unit: task.fields.lead_unit_id,
                co_units: &[],
                leader: None,
                person: None,
                state: TaskState::Draft,
            },
        )
        .is_ok(),
        review: task.state == TaskState::Submitted
            && decide(actor, Action::ReviewTask, obj).is_ok(),
        propose_change: task.state == TaskState::Approved
            && decide(actor, Action::ProposeChange, owner).is_ok(),
        decide_change: decide(actor, Action::DecideChange, Object::City).is_ok(),
    };
    Ok(TaskView {
        task,
        tree,
        events,
        changes,
        history,
        allowed,
    })
}

/// Rolls each node of a depth-first subtree up from its descendants (`core::lists::rollup`).
fn roll_up_tree(rows: Vec<TaskRow>, figures: &[browse::IndicatorFigure]) -> Vec<TreeNode> {
    let mut inds: HashMap<i64, Vec<(duban_core::lists::Indicator, Option<f64>)>> = HashMap::new();
    for f in figures {
        inds.entry(f.task_id).or_default().push((
            duban_core::lists::Indicator {
                name: f.name.clone(),
                target: f.target,
                unit: f.unit.clone(),
            },
            f.actual,
        ));
    }
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    for r in &rows {
        if let Some(p) = r.parent_id {
            children.entry(p).or_default().push(r.id);
        }
    }
    let by_id: HashMap<i64, &TaskRow> = rows.iter().map(|r| (r.id, r)).collect();
    fn build(
        id: i64,
        by_id: &HashMap<i64, &TaskRow>,
        children: &HashMap<i64, Vec<i64>>,
        inds: &HashMap<i64, Vec<(duban_core::lists::Indicator, Option<f64>)>>,
    ) -> Node {
        let row = by_id[&id];
        Node {
            own: Figures {
                weight: row.weight,
                progress: row.progress,
                indicators: inds.get(&id).cloned().unwrap_or_default(),
            },
            children: children
                .get(&id)
                .map(|ids| {
                    ids.iter()
                        .filter(|c| by_id.contains_key(c))
                        .map(|c| build(*c, by_id, children, inds))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
    rows.iter()
        .map(|r| {
            let up = rollup::roll_up(&build(r.id, &by_id, &children, &inds));
            TreeNode {
                row: r.clone(),
                progress: up.progress,
                indicators: up
                    .indicators
                    .into_iter()
                    .map(|(i, v)| (i.name, i.target, i.unit, v))
                    .collect(),
            }
        })
        .collect()
}

/// Every task matching a filter, in full, for an export (scope applied).
pub async fn export_tasks(
    state: &AppState,
    actor: &Actor,
    mut filter: TaskFilter,
) -> Result<Vec<Task>, AppError> {
    decide(actor, Action::ViewTasks, Object::City)?;
    filter.scope = reader_scope(actor);
    let mut tx = state.store.begin_read().await?;
    let ids = browse::list_task_ids(&mut tx, &filter).await?;
    Ok(store::get_tasks(&mut tx, &ids).await?)
}

/// Filters as they arrive in a query string (pages, the API and exports share them).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskListQuery {
    /// Year of the lists (default: this year).
    pub year: Option<i16>,
    pub campaign: Option<i64>,
    /// work, project, policy or responsibility.
    pub kind: Option<String>,
    /// A unit as lead or co-unit.
    pub unit: Option<i64>,
    /// `1`: only tasks `unit` leads (the unit's own list, e.g. for an export to re-import).
    pub lead: Option<String>,
    /// A city leader (lead leader of the task).
    pub leader: Option<i64>,
    /// The responsible person.
    pub person: Option<i64>,
    /// draft, submitted, returned or approved.
    pub state: Option<String>,
    /// Deadline on or after (`2026-06-01`).
    pub due_from: Option<String>,
    /// Deadline on or before.
    pub due_to: Option<String>,
    /// Words of the title or content.
    pub q: Option<String>,
    /// `1` for top-level tasks only.
    pub top: Option<String>,
    /// `1` for tasks naming me (as leader or responsible person).
    pub mine: Option<String>,
    /// Today's light: red, yellow or green (a dashboard's drill-down).
    pub light: Option<String>,
    /// Unfinished tasks only (`open`), those past their deadline (`overdue`), or due from today
    /// to `days` days later (`soon`).
    pub due: Option<String>,
    /// Days ahead for `due=soon`, 0–366 (default 7).
    pub days: Option<i64>,
    /// `list` (lead unit, then 序号; the default), `due` (earliest deadline first), `light`
    /// (red first) or `progress` (least first).
    pub sort: Option<String>,
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl TaskListQuery {
    /// The store filter, or the first unreadable value as a 400 naming it.
    pub fn to_filter(
        &self,
        today: jiff::civil::Date,
        actor: &Actor,
    ) -> Result<TaskFilter, AppError> {
        let bad = |name: &str, v: &str| {
            AppError::BadRequest(format!("`{name}`: `{v}` is not a valid value"))
        };
        let date =
            |name: &str, v: &Option<String>| -> Result<Option<jiff::civil::Date>, AppError> {
                blank(v)
                    .map(|s| s.parse().map_err(|_| bad(name, s)))
                    .transpose()
            };
        let mine = blank(&self.mine).is_some();
        Ok(TaskFilter {
            year: Some(self.year.unwrap_or(today.year())),
            campaign: self.campaign.map(duban_core::lists::CampaignId),
            list_kind: blank(&self.kind)
                .map(|k| duban_core::lists::ListKind::parse(k).ok_or_else(|| bad("kind", k)))
                .transpose()?,
            unit: self
                .unit
                .filter(|_| blank(&self.lead).is_none())
                .map(duban_core::org::UnitId),
            lead_unit: self
                .unit
                .filter(|_| blank(&self.lead).is_some())
                .map(duban_core::org::UnitId),
            leader: self.leader.map(duban_core::org::PersonId),
            person: self.person.map(duban_core::org::PersonId),
            named: if mine { actor.person } else { None },
            state: blank(&self.state)
                .map(|s| TaskState::parse(s).ok_or_else(|| bad("state", s)))
                .transpose()?,
            due_from: date("due_from", &self.due_from)?,
            due_to: date("due_to", &self.due_to)?,
            text: blank(&self.q).map(str::to_string),
            top_level: blank(&self.top).is_some(),
            light: blank(&self.light)
                .map(|l| duban_core::light::Light::parse(l).ok_or_else(|| bad("light", l)))
                .transpose()?,
            due: blank(&self.due)
                .map(|d| {
                    DueWindow::parse(d, self.days)
                        .map(|w| w.bounds(today))
                        .ok_or_else(|| match self.days {
                            Some(n) if d == "soon" => bad("days", &n.to_string()),
                            _ => bad("due", d),
                        })
                })
                .transpose()?,
            order: blank(&self.sort)
                .map(|o| TaskOrder::parse(o).ok_or_else(|| bad("sort", o)))
                .transpose()?
                .unwrap_or_default(),
            scope: None,
            limit: 50,
            offset: 0,
        })
    }
}
