//! Turns the catalogue into the demo's tasks: numbers each unit's list, decomposes every task
//! into its sub-tasks (per town, per section step, per step and town), and fills in
//! milestones, owners, progress and list state.

use super::DemoTask;
use super::build::{
    Every, Node, child_of, flatten, goal, milestones, month_end, settle, share_weight,
    split_indicators,
};
use super::catalog::{CAMPAIGNS, Split, Step, Top, When};
use super::org::Org;
use crate::demo::DemoCity;
use crate::lists::state::TaskState;
use crate::lists::{Due, Indicator, ListKind};
use std::collections::BTreeMap;

pub(super) fn demo_tasks(city: &DemoCity) -> Vec<DemoTask> {
    let org = Org::new(city);
    let mut numbers: BTreeMap<&str, usize> = BTreeMap::new();
    let mut salt = 0;
    let mut out = Vec::new();
    for &(campaign, tops) in CAMPAIGNS {
        for top in tops {
            let number = numbers.entry(top.unit).or_default();
            *number += 1;
            let mut node = expand(&org, campaign, top, number.to_string());
            settle(&mut node, top.progress, &mut salt);
            flatten(node, &mut out);
        }
    }
    out
}

/// Where each unit's list stands: two lists wait for the supervision office, one is still a
/// draft and one came back with comments; the rest are approved.
fn state_of(unit: &str) -> TaskState {
    match unit {
        "sfj" | "mzj" => TaskState::Submitted,
        "tjj" => TaskState::Draft,
        "swuj" => TaskState::Returned,
        _ => TaskState::Approved,
    }
}

fn expand(org: &Org, campaign: &'static str, top: &Top, path: String) -> Node {
    let indicators: Vec<Indicator> = top
        .indicators
        .iter()
        .map(|&(name, target, unit)| Indicator {
            name: name.to_string(),
            target,
            unit: unit.to_string(),
        })
        .collect();
    let due = match top.due {
        When::By(month) => Due::By {
            date: month_end(month),
        },
        When::Ongoing(cadence) => Due::Ongoing { cadence },
    };
    // 项目 report monthly 形象进度; the other lists quarterly.
    let every = if top.kind == ListKind::Project {
        Every::Month
    } else {
        Every::Quarter
    };
    // A task not decomposed is held by a post; a decomposed one by the unit head.
    let (post, person) = match top.split {
        Split::Whole => {
            let post = org.staffed_post(top.unit, top.section);
            let person = org.holder(top.unit, top.section, post);
            (Some(post), person.or_else(|| org.head(top.unit)))
        }
        _ => (None, org.head(top.unit)),
    };
    let task = DemoTask {
        path,
        parent_path: None,
        campaign,
        list_kind: top.kind,
        title: top.title.to_string(),
        content: top.goal.to_string(),
        milestones: milestones(&indicators, due, every),
        indicators,
        lead_leader: Some(org.lead_leader(campaign, top.unit)),
        lead_unit: top.unit,
        co_units: top.co.to_vec(),
        section: Some(top.section),
        post,
        person,
        due,
        weight: top.weight,
        progress: 0.0,
        actuals: Vec::new(),
        state: state_of(top.unit),
    };
    let children = match top.split {
        Split::Whole => Vec::new(),
        Split::Areas(areas) => {
            let post = org.staffed_post(top.unit, top.section);
            by_area(org, &task, top.section, post, areas, every)
        }
        Split::Steps(steps) => by_step(org, &task, steps, every),
    };
    Node { task, children }
}

/// One sub-task per town, each with its share of the parent's amounts.
fn by_area(
    org: &Org,
    parent: &DemoTask,
    section: &'static str,
    post: &'static str,
    areas: &[(&'static str, f64)],
    every: Every,
) -> Vec<Node> {
    let shares: Vec<Vec<f64>> = areas
        .iter()
        .map(|&(_, share)| vec![share; parent.indicators.len()])
        .collect();
    let parts = split_indicators(&parent.indicators, &shares);
    let weights = share_weight(parent.weight, areas.len());
    areas
        .iter()
        .zip(parts)
        .zip(weights)
        .enumerate()
        .map(|(i, ((&(town, _), indicators), weight))| {
            let area = org.unit(town).short_name;
            let mut task = child_of(parent, i + 1);
            task.title = format!("{area}{}", parent.title);
            task.content = goal(area, &task.title, task.due, &indicators);
            task.co_units = vec![town];
            task.section = Some(section);
            task.post = Some(post);
            task.person = org.holder(parent.lead_unit, section, post);
            task.milestones = milestones(&indicators, task.due, every);
            task.indicators = indicators;
            task.weight = weight;
            Node {
                task,
                children: Vec::new(),
            }
        })
        .collect()
}

/// The hand-written steps, each split again per town when it says so.
fn by_step(org: &Org, parent: &DemoTask, steps: &[Step], every: Every) -> Vec<Node> {
    let shares: Vec<Vec<f64>> = steps.iter().map(|s| s.shares.to_vec()).collect();
    let parts = split_indicators(&parent.indicators, &shares);
    let weights = share_weight(parent.weight, steps.len());
    steps
        .iter()
        .zip(parts)
        .zip(weights)
        .enumerate()
        .map(|(i, ((step, indicators), weight))| {
            let mut task = child_of(parent, i + 1);
            if let Some(month) = step.by {
                task.due = Due::By {
                    date: month_end(month),
                };
            }
            task.title = step.title.to_string();
            task.content = goal("", step.title, task.due, &indicators);
            task.section = Some(step.section);
            task.post = Some(step.post);
            task.person = org.holder(parent.lead_unit, step.section, step.post);
            task.milestones = milestones(&indicators, task.due, every);
            task.indicators = indicators;
            task.weight = weight;
            let children = if step.areas.is_empty() {
                Vec::new()
            } else {
                by_area(org, &task, step.section, step.post, step.areas, every)
            };
            Node { task, children }
        })
        .collect()
}
