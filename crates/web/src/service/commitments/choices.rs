//! What the draft / edit / amend form offers to pick, so nobody types ids: the approved tasks
//! the drafter may link ([`may_link`]), grouped by year, campaign and list, and the people who
//! may supervise ([`may_supervise`]). Ids already on the form stay checked; an id the drafter
//! may not see is offered only by its number, never by its title.

use super::{SUPERVISOR_ROLE, may_link, may_supervise};
use crate::error::AppError;
use crate::service::lists::reader_scope;
use crate::state::AppState;
use duban_core::lists::TaskId;
use duban_core::lists::state::TaskState;
use duban_core::org::PersonId;
use duban_core::policy::Actor;
use duban_store::lists::browse::{TaskFilter, list_task_ids};
use duban_store::people::{PersonFilter, list_people};
use std::cmp::Reverse;

/// A task to tick: `序号 title · lead unit`.
#[derive(Debug, Clone)]
pub struct TaskChoice {
    pub id: i64,
    pub path: String,
    pub title: String,
    pub lead_unit_name: String,
    pub checked: bool,
}

/// The tasks of one year's campaign (or of one list when they belong to no campaign).
#[derive(Debug, Clone)]
pub struct TaskGroup {
    pub year: i16,
    pub campaign: Option<String>,
    /// work | project | policy | responsibility.
    pub list_kind: &'static str,
    pub tasks: Vec<TaskChoice>,
}

impl TaskGroup {
    pub fn checked(&self) -> usize {
        self.tasks.iter().filter(|t| t.checked).count()
    }
}

/// A deputy or member to tick: `name · title`.
#[derive(Debug, Clone)]
pub struct SupervisorChoice {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub checked: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Choices {
    pub task_groups: Vec<TaskGroup>,
    pub task_count: usize,
    /// Ids on the form that are not offered above (out of scope or unknown): shown by number,
    /// checked, so the error next to the field can be acted on.
    pub other_task_ids: Vec<i64>,
    pub supervisors: Vec<SupervisorChoice>,
    pub other_supervisor_ids: Vec<i64>,
}

/// The choices for `actor`, with `task_ids` and `supervisor_ids` (what the form holds) checked.
pub async fn choices(
    state: &AppState,
    actor: &Actor,
    task_ids: &[i64],
    supervisor_ids: &[i64],
) -> Result<Choices, AppError> {
    let mut tx = state.store.begin_read().await?;
    // The SQL scope narrows the read; `may_link` decides, as it does on save.
    let mut ids = list_task_ids(
        &mut tx,
        &TaskFilter {
            state: Some(TaskState::Approved),
            scope: reader_scope(actor),
            ..Default::default()
        },
    )
    .await?;
    for id in task_ids {
        if !ids.contains(&TaskId(*id)) {
            ids.push(TaskId(*id));
        }
    }
    let mut tasks: Vec<_> = duban_store::lists::get_tasks(&mut tx, &ids)
        .await?
        .into_iter()
        .filter(|t| may_link(actor, t))
        .collect();
    tasks.sort_by_cached_key(|t| {
        let f = &t.fields;
        (
            Reverse(f.year),
            f.campaign_id.map(|c| c.0),
            f.list_kind,
            f.lead_unit_id.0,
            duban_core::lists::sort_key(&f.path).unwrap_or_default(),
        )
    });
    let mut out = Choices {
        task_count: tasks.len(),
        ..Default::default()
    };
    for t in tasks {
        let f = &t.fields;
        let choice = TaskChoice {
            id: t.id.0,
            path: f.path.clone(),
            title: f.title.clone(),
            lead_unit_name: t.lead_unit_name.clone(),
            checked: task_ids.contains(&t.id.0),
        };
        match out.task_groups.last_mut() {
            Some(g)
                if g.year == f.year
                    && g.campaign == t.campaign_name
                    && g.list_kind == f.list_kind.as_str() =>
            {
                g.tasks.push(choice)
            }
            _ => out.task_groups.push(TaskGroup {
                year: f.year,
                campaign: t.campaign_name.clone(),
                list_kind: f.list_kind.as_str(),
                tasks: vec![choice],
            }),
        }
    }
    out.other_task_ids = task_ids
        .iter()
        .copied()
        .filter(|id| {
            !out.task_groups
                .iter()
                .any(|g| g.tasks.iter().any(|t| t.id == *id))
        })
        .collect();

    let mut people = list_people(
        &mut tx,
        &PersonFilter {
            role: Some(SUPERVISOR_ROLE),
            limit: 1000,
            ..Default::default()
        },
    )
    .await?;
    // One already named who has left keeps their place on an edit.
    for id in supervisor_ids {
        if !people.iter().any(|p| p.id == *id) {
            match duban_store::people::get_person(&mut tx, PersonId(*id)).await {
                Ok(p) => people.push(p),
                Err(duban_store::StoreError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    out.supervisors = people
        .into_iter()
        .filter(may_supervise)
        .map(|p| SupervisorChoice {
            checked: supervisor_ids.contains(&p.id),
            id: p.id,
            name: p.name,
            title: p.title,
        })
        .collect();
    out.other_supervisor_ids = supervisor_ids
        .iter()
        .copied()
        .filter(|id| !out.supervisors.iter().any(|s| s.id == *id))
        .collect();
    Ok(out)
}
