//! Writing the demo's task lists: each task through the store like a liaison's draft, then
//! moved through submission and review to its demo state, with its progress figures.

use super::{DemoError, dangling};
use duban_core::demo::lists::DemoTask;
use duban_core::lists::state::TaskState;
use duban_core::lists::{CampaignId, TaskId};
use duban_core::org::{PersonId, PostId, SectionId, UnitId};
use duban_store::lists::{self as store, TaskFields, review};
use duban_store::{Audit, Tx};
use std::collections::HashMap;

/// What the demo's codes and usernames resolved to.
pub struct Refs<'a> {
    pub units: &'a HashMap<&'a str, UnitId>,
    pub sections: &'a HashMap<(&'a str, &'a str), SectionId>,
    pub posts: &'a HashMap<(&'a str, &'a str, &'a str), PostId>,
    pub people: &'a HashMap<&'a str, PersonId>,
    pub campaigns: &'a HashMap<&'a str, i64>,
}

/// Inserts the tasks (parents first) and returns how many.
pub async fn load_tasks(
    tx: &mut Tx,
    audit: &Audit,
    refs: &Refs<'_>,
    tasks: &[DemoTask],
) -> Result<usize, DemoError> {
    let mut ids: HashMap<(&str, &str), TaskId> = HashMap::new();
    for t in tasks {
        let unit = *refs
            .units
            .get(t.lead_unit)
            .ok_or_else(|| dangling("unit", t.lead_unit))?;
        let person = |u: &Option<String>| -> Result<Option<PersonId>, DemoError> {
            u.as_deref()
                .map(|u| {
                    refs.people
                        .get(u)
                        .copied()
                        .ok_or_else(|| dangling("person", u))
                })
                .transpose()
        };
        let parent_id = match &t.parent_path {
            Some(p) => Some(
                *ids.get(&(t.lead_unit, p.as_str()))
                    .ok_or_else(|| dangling("parent task", p))?,
            ),
            None => None,
        };
        let co_unit_ids = t
            .co_units
            .iter()
            .map(|c| {
                refs.units
                    .get(c)
                    .copied()
                    .ok_or_else(|| dangling("unit", c))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let fields = TaskFields {
            year: duban_core::demo::DEMO_YEAR,
            campaign_id: Some(CampaignId(
                *refs
                    .campaigns
                    .get(t.campaign)
                    .ok_or_else(|| dangling("campaign", t.campaign))?,
            )),
            list_kind: t.list_kind,
            parent_id,
            path: t.path.clone(),
            title: t.title.clone(),
            content: t.content.clone(),
            lead_leader_id: person(&t.lead_leader)?,
            lead_unit_id: unit,
            co_unit_ids,
            section_id: t
                .section
                .and_then(|s| refs.sections.get(&(t.lead_unit, s)).copied()),
            post_id: match (t.section, t.post) {
                (Some(s), Some(p)) => refs.posts.get(&(t.lead_unit, s, p)).copied(),
                _ => None,
            },
            person_id: person(&t.person)?,
            due: t.due,
            weight: t.weight,
            indicators: t.indicators.clone(),
            milestones: t.milestones.clone(),
            remark: String::new(),
        };
        let id = store::insert_task(tx, audit, &fields).await?;
        ids.insert((t.lead_unit, t.path.as_str()), id);
        let steps: &[(TaskState, TaskState, &str)] = match t.state {
            TaskState::Draft => &[],
            TaskState::Submitted => &[(TaskState::Draft, TaskState::Submitted, "")],
            TaskState::Returned => &[
                (TaskState::Draft, TaskState::Submitted, ""),
                (
                    TaskState::Submitted,
                    TaskState::Returned,
                    "目标未量化，请补充量化指标和节点",
                ),
            ],
            TaskState::Approved => &[
                (TaskState::Draft, TaskState::Submitted, ""),
                (TaskState::Submitted, TaskState::Approved, ""),
            ],
        };
        for (from, to, comment) in steps {
            let baseline = (*to == TaskState::Approved).then(|| fields.baseline());
            review::set_task_state(tx, audit, id, *from, *to, comment, baseline.as_ref()).await?;
        }
        if t.progress > 0.0 || t.actuals.iter().any(Option::is_some) {
            store::set_task_progress(tx, id, t.progress, &t.actuals).await?;
        }
    }
    Ok(tasks.len())
}
