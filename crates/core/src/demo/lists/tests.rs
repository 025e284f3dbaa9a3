use super::*;
use crate::demo::{DEMO_YEAR, DemoPerson, DemoUnit, demo_city};
use crate::lists::check_task;
use crate::lists::rollup::{self, Figures};
use crate::org::{UnitKind, valid_on};
use crate::role::Role;
use std::collections::{BTreeMap, BTreeSet};

/// Everything wrong with one task on its own, in words; empty when it is fine.
fn task_problems(city: &DemoCity, t: &DemoTask) -> Vec<String> {
    let mut out = Vec::new();
    let at = format!("{} {} {}", t.lead_unit, t.path, t.title);
    if let Err(e) = check_task(
        DEMO_YEAR,
        &t.path,
        &t.title,
        t.weight,
        t.due,
        &t.indicators,
        &t.milestones,
    ) {
        out.push(format!("{at}: {e}"));
    }
    let Some(campaign) = city.campaigns.iter().find(|c| c.code == t.campaign) else {
        return vec![format!("{at}: unknown campaign {}", t.campaign)];
    };
    let Some(lead) = unit(city, t.lead_unit) else {
        return vec![format!("{at}: unknown lead unit")];
    };
    if lead.kind == UnitKind::Leadership {
        out.push(format!("{at}: led by the leadership"));
    }
    for co in &t.co_units {
        if unit(city, co).is_none() || *co == t.lead_unit {
            out.push(format!("{at}: bad co-unit {co}"));
        }
    }
    let section = t
        .section
        .map(|name| lead.sections.iter().find(|s| s.name == name));
    match (section, t.post) {
        (Some(None), _) => out.push(format!("{at}: unknown section {:?}", t.section)),
        (None, Some(_)) => out.push(format!("{at}: a post without a section")),
        (Some(Some(s)), Some(post)) if !s.posts.contains(&post) => {
            out.push(format!("{at}: unknown post {post}"));
        }
        _ => {}
    }
    if let Some(username) = &t.person {
        match person(city, username) {
            None => out.push(format!("{at}: unknown person {username}")),
            Some(p) if p.unit != Some(t.lead_unit) => {
                out.push(format!("{at}: {username} is not of the lead unit"));
            }
            Some(p)
                if p.role == Role::SectionStaff && (p.section, p.post) != (t.section, t.post) =>
            {
                out.push(format!("{at}: {username} does not hold {:?}", t.post));
            }
            Some(_) => {}
        }
    }
    if let Some(leader) = &t.lead_leader {
        let holds = city.portfolios.iter().any(|p| {
            p.leader == leader && p.unit == t.lead_unit && valid_on(p.valid_from, p.valid_to, AS_OF)
        });
        if leader != campaign.lead_leader && !holds {
            out.push(format!(
                "{at}: {leader} neither leads the campaign nor holds the unit"
            ));
        }
    }
    if t.actuals.len() != t.indicators.len()
        || t.milestones
            .iter()
            .any(|m| m.values.len() != t.indicators.len())
    {
        out.push(format!("{at}: values do not match the indicators"));
    }
    if !(0.0..=100.0).contains(&t.progress) {
        out.push(format!("{at}: progress {}", t.progress));
    }
    if t.state != TaskState::Approved
        && (t.progress != 0.0 || t.actuals.iter().any(Option::is_some))
    {
        out.push(format!("{at}: progress on a list not yet approved"));
    }
    if t.parent_path.is_none() && !(1.0..=10.0).contains(&t.weight) {
        out.push(format!("{at}: top-level weight {}", t.weight));
    }
    let dates: Vec<Date> = t.milestones.iter().map(|m| m.due).collect();
    if dates
        .iter()
        .any(|d| *d != d.last_of_month() || d.year() != DEMO_YEAR)
        || dates.windows(2).any(|w| w[0] >= w[1])
    {
        out.push(format!("{at}: milestones not at successive month ends"));
    }
    for (i, ind) in t.indicators.iter().enumerate() {
        let values: Vec<f64> = t.milestones.iter().filter_map(|m| m.values[i]).collect();
        if values.windows(2).any(|w| w[0] > w[1]) || values.last() != Some(&ind.target) {
            out.push(format!(
                "{at}: milestones of {} do not climb to the target",
                ind.name
            ));
        }
    }
    out
}

/// Everything wrong with how the tasks hang together: paths, parents, deadlines, weights.
fn tree_problems(tasks: &[DemoTask]) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<(&str, &str), &DemoTask> = BTreeMap::new();
    let mut child_weights: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    for t in tasks {
        let at = format!("{} {}", t.lead_unit, t.path);
        let Some(parent_path) = &t.parent_path else {
            if t.path.contains('.') || t.path.parse::<u32>().is_err() {
                out.push(format!("{at}: a bad top-level path"));
            }
            if seen.insert((t.lead_unit, &t.path), t).is_some() {
                out.push(format!("{at}: twice"));
            }
            continue;
        };
        match seen.get(&(t.lead_unit, parent_path.as_str())) {
            None => out.push(format!("{at}: parent {parent_path} missing or later")),
            Some(parent) => {
                let number = t.path.strip_prefix(&format!("{parent_path}."));
                if number.is_none_or(|n| n.parse::<u32>().is_err()) {
                    out.push(format!("{at}: path does not extend its parent's"));
                }
                if (parent.campaign, parent.list_kind) != (t.campaign, t.list_kind) {
                    out.push(format!("{at}: campaign or kind differs from the parent's"));
                }
                let in_time = match (parent.due, t.due) {
                    (Due::By { date: p }, Due::By { date: c }) => c <= p,
                    (Due::Ongoing { .. }, Due::Ongoing { .. }) => true,
                    _ => false,
                };
                if !in_time {
                    out.push(format!("{at}: due after its parent"));
                }
                *child_weights
                    .entry((t.lead_unit, parent_path.as_str()))
                    .or_default() += t.weight;
            }
        }
        if seen.insert((t.lead_unit, &t.path), t).is_some() {
            out.push(format!("{at}: twice"));
        }
    }
    for ((unit, path), sum) in child_weights {
        let parent = seen[&(unit, path)];
        if (sum - parent.weight).abs() > 1e-6 {
            out.push(format!(
                "{unit} {path}: children weigh {sum}, not {}",
                parent.weight
            ));
        }
    }
    out
}

fn assert_none(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} problems, first ones:\n{}",
        problems.len(),
        problems[..problems.len().min(20)].join("\n")
    );
}

fn unit<'a>(city: &'a DemoCity, code: &str) -> Option<&'a DemoUnit> {
    city.units.iter().find(|u| u.code == code)
}

fn person<'a>(city: &'a DemoCity, username: &str) -> Option<&'a DemoPerson> {
    city.people.iter().find(|p| p.username == username)
}

fn level(t: &DemoTask) -> usize {
    t.path.split('.').count()
}

fn children<'a>(tasks: &'a [DemoTask], parent: &DemoTask) -> Vec<&'a DemoTask> {
    tasks
        .iter()
        .filter(|t| t.lead_unit == parent.lead_unit && t.parent_path.as_ref() == Some(&parent.path))
        .collect()
}

/// The roll-up tree under `task`, from the stored figures.
fn rollup_node(tasks: &[DemoTask], task: &DemoTask) -> rollup::Node {
    rollup::Node {
        own: Figures {
            weight: task.weight,
            progress: task.progress,
            indicators: task
                .indicators
                .iter()
                .cloned()
                .zip(task.actuals.iter().copied())
                .collect(),
        },
        children: children(tasks, task)
            .into_iter()
            .map(|c| rollup_node(tasks, c))
            .collect(),
    }
}

#[test]
fn every_demo_task_passes_the_task_rules_and_names_what_exists() {
    let city = demo_city();
    let tasks = demo_tasks(&city);
    assert_none(tasks.iter().flat_map(|t| task_problems(&city, t)).collect());
}

#[test]
fn demo_paths_are_unique_per_unit_and_every_parent_comes_first() {
    let city = demo_city();
    assert_none(tree_problems(&demo_tasks(&city)));
}

#[test]
fn the_demo_lists_hold_300_to_400_tasks() {
    let n = demo_tasks(&demo_city()).len();
    assert!((300..=400).contains(&n), "{n} tasks");
}

#[test]
fn every_campaign_has_tasks_of_every_list_kind() {
    let city = demo_city();
    let tasks = demo_tasks(&city);
    for c in &city.campaigns {
        for kind in ListKind::ALL {
            assert!(
                tasks.iter().any(|t| t.campaign == c.code
                    && t.list_kind == kind
                    && t.parent_path.is_none()),
                "{} has no {}",
                c.name,
                kind.label_zh()
            );
        }
    }
}

#[test]
fn the_catalogue_has_at_least_80_distinct_top_level_titles() {
    let tasks = demo_tasks(&demo_city());
    let titles: BTreeSet<&str> = tasks
        .iter()
        .filter(|t| t.parent_path.is_none())
        .map(|t| t.title.as_str())
        .collect();
    assert!(titles.len() >= 80, "{} titles", titles.len());
}

#[test]
fn some_tasks_are_decomposed_three_levels_down_to_a_person() {
    let tasks = demo_tasks(&demo_city());
    let deep: Vec<&DemoTask> = tasks.iter().filter(|t| level(t) == 3).collect();
    assert!(deep.len() >= 10, "{} tasks on level 3", deep.len());
    assert!(deep.iter().any(|t| t.person.is_some() && t.post.is_some()));
    assert!(tasks.iter().all(|t| level(t) <= 3));
}

#[test]
fn ongoing_tasks_report_on_a_cadence_and_their_sub_tasks_too() {
    let tasks = demo_tasks(&demo_city());
    let ongoing: Vec<&DemoTask> = tasks
        .iter()
        .filter(|t| t.parent_path.is_none() && t.due.cadence().is_some())
        .collect();
    assert!(ongoing.len() >= 10, "{} ongoing tasks", ongoing.len());
    for t in ongoing {
        assert!(!t.milestones.is_empty(), "{} has no checkpoints", t.title);
        assert!(children(&tasks, t).iter().all(|c| c.due == t.due));
    }
}

#[test]
fn sub_task_targets_add_up_to_the_parents_target() {
    let tasks = demo_tasks(&demo_city());
    let checked = assert_targets_add_up(&tasks);
    assert!(checked >= 80, "only {checked} split indicators");
}

/// Asserts that children's targets add up to their parent's; returns how many were checked.
fn assert_targets_add_up(tasks: &[DemoTask]) -> usize {
    let mut checked = 0;
    for parent in tasks {
        let kids = children(tasks, parent);
        for ind in &parent.indicators {
            let parts: Vec<f64> = kids
                .iter()
                .flat_map(|k| &k.indicators)
                .filter(|k| k.name == ind.name && k.unit == ind.unit)
                .map(|k| k.target)
                .collect();
            if !parts.is_empty() {
                let sum: f64 = parts.iter().sum();
                assert!(
                    (sum - ind.target).abs() < 1e-6,
                    "{} {}: {} parts add up to {sum}, not {}",
                    parent.title,
                    ind.name,
                    parts.len(),
                    ind.target
                );
                checked += 1;
            }
        }
    }
    checked
}

#[test]
fn stored_parent_figures_are_the_roll_up_of_their_children() {
    assert_figures_roll_up(&demo_tasks(&demo_city()));
}

fn assert_figures_roll_up(tasks: &[DemoTask]) {
    for t in tasks.iter().filter(|t| !children(tasks, t).is_empty()) {
        let rolled = rollup::roll_up(&rollup_node(tasks, t));
        assert!(
            (rolled.progress - t.progress).abs() < 0.051,
            "{}: stored {} rolled {}",
            t.title,
            t.progress,
            rolled.progress
        );
        for ((ind, value), stored) in rolled.indicators.iter().zip(&t.actuals) {
            let same = match (value, stored) {
                (Some(a), Some(b)) => (a - b).abs() < 1e-6,
                (a, b) => a == b,
            };
            assert!(
                same,
                "{} {}: rolled {value:?} stored {stored:?}",
                t.title, ind.name
            );
        }
    }
}

#[test]
fn progress_is_plausible_for_mid_november() {
    let tasks = demo_tasks(&demo_city());
    let approved: Vec<&DemoTask> = tasks
        .iter()
        .filter(|t| t.state == TaskState::Approved)
        .collect();
    let on_track = approved.iter().filter(|t| t.progress >= 60.0).count();
    assert!(
        on_track * 10 >= approved.len() * 8,
        "{on_track} of {}",
        approved.len()
    );
    assert!(approved.iter().any(|t| t.progress < 70.0), "nothing lags");
    for t in &approved {
        if t.due.date().is_some_and(|d| d < AS_OF) && t.parent_path.is_some() {
            assert_eq!(t.progress, 100.0, "{} is past its deadline", t.title);
        }
    }
}

#[test]
fn most_lists_are_approved_and_every_state_appears() {
    let tasks = demo_tasks(&demo_city());
    let approved = tasks
        .iter()
        .filter(|t| t.state == TaskState::Approved)
        .count();
    assert!(approved * 10 >= tasks.len() * 8, "{approved} approved");
    for state in TaskState::ALL {
        assert!(tasks.iter().any(|t| t.state == state), "no {state:?} task");
    }
}

#[test]
fn demo_tasks_are_the_same_every_time() {
    let city = demo_city();
    assert_eq!(demo_tasks(&city), demo_tasks(&city));
}

#[test]
fn generated_tasks_come_in_exactly_the_number_asked_for() {
    let city = demo_city();
    for n in [0, 1, 2, 5, 999] {
        let tasks = generated_tasks(&city, n);
        assert_eq!(tasks.len(), n);
        assert_none(tree_problems(&tasks));
        assert_targets_add_up(&tasks);
        assert_figures_roll_up(&tasks);
    }
}

#[test]
fn twenty_thousand_generated_tasks_are_valid_and_uniquely_placed() {
    let city = demo_city();
    let tasks = generated_tasks(&city, 20_000);
    assert_eq!(tasks.len(), 20_000);
    assert_none(tree_problems(&tasks));
    assert_none(tasks.iter().flat_map(|t| task_problems(&city, t)).collect());
}

#[test]
fn generated_tasks_are_the_same_every_time() {
    let city = demo_city();
    assert_eq!(generated_tasks(&city, 3000), generated_tasks(&city, 3000));
}

#[test]
fn generated_tasks_spread_over_units_campaigns_kinds_and_levels() {
    let city = demo_city();
    let tasks = generated_tasks(&city, 20_000);
    let units: BTreeSet<&str> = tasks.iter().map(|t| t.lead_unit).collect();
    let expected = city
        .units
        .iter()
        .filter(|u| u.kind != UnitKind::Leadership)
        .count();
    assert_eq!(units.len(), expected);
    let pairs: BTreeSet<(&str, ListKind)> =
        tasks.iter().map(|t| (t.campaign, t.list_kind)).collect();
    assert_eq!(pairs.len(), city.campaigns.len() * ListKind::ALL.len());
    let top = tasks.iter().filter(|t| t.parent_path.is_none()).count();
    assert!((6_000..=7_500).contains(&top), "{top} top-level tasks");
    assert_eq!(tasks.iter().map(level).max(), Some(3));
    let ongoing = tasks.iter().filter(|t| t.due.cadence().is_some()).count();
    assert!((500..=1_600).contains(&ongoing), "{ongoing} ongoing tasks");
}
