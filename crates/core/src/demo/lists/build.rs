//! Building blocks shared by the hand-written lists and the generator: rounding by unit,
//! splitting a target among sub-tasks, cumulative milestones, and settling progress and actuals
//! up a task tree the way the roll-up rule computes them.

use super::{AS_OF, DemoTask};
use crate::demo::DEMO_YEAR;
use crate::lists::state::TaskState;
use crate::lists::{Cadence, Due, Indicator, Milestone};
use jiff::civil::{Date, date};

/// Units counted one by one.
const COUNT_UNITS: &[&str] = &[
    "个", "家", "户", "项", "人", "名", "所", "条", "套", "张", "台", "场", "件", "处", "座", "宗",
    "次", "家次", "人次", "批次", "起", "份", "笔",
];
/// Units written without decimals although they are not counts.
const WHOLE_UNITS: &[&str] = &["亩", "万元", "平方米", "吨"];
/// Levels that hold rather than add up: a rate or a time limit is not split among sub-tasks.
const LEVEL_UNITS: &[&str] = &["%", "个百分点", "天", "工作日", "个月", "小时"];

/// Decimals a value in `unit` is written with.
pub(super) fn decimals(unit: &str) -> i32 {
    if COUNT_UNITS.contains(&unit) || WHOLE_UNITS.contains(&unit) {
        0
    } else {
        1
    }
}

/// Whether an indicator in `unit` is a level (rate, time limit, 万元/亩) rather than an amount.
pub(super) fn is_level(unit: &str) -> bool {
    LEVEL_UNITS.contains(&unit) || unit.contains('/')
}

pub(super) fn round_to(value: f64, unit: &str) -> f64 {
    let scale = 10f64.powi(decimals(unit));
    (value * scale).round() / scale
}

/// A value as written in a sheet: 3000, 12.5.
pub(super) fn number(value: f64, unit: &str) -> String {
    if decimals(unit) == 0 || value.fract().abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// The indicators in words: 整治面积3000亩，盘活再利用1800亩.
pub(super) fn in_words(indicators: &[Indicator]) -> String {
    indicators
        .iter()
        .map(|i| format!("{}{}{}", i.name, number(i.target, &i.unit), i.unit))
        .collect::<Vec<_>>()
        .join("，")
}

/// Splits `target` by `shares` in steps of the unit's precision (largest remainder), so the
/// parts add up to the target exactly. A zero share gets 0.
pub(super) fn apportion(target: f64, unit: &str, shares: &[f64]) -> Vec<f64> {
    let scale = 10f64.powi(decimals(unit));
    let sum: f64 = shares.iter().filter(|s| **s > 0.0).sum();
    if sum <= 0.0 {
        return vec![0.0; shares.len()];
    }
    let total = (target * scale).round();
    let exact: Vec<f64> = shares
        .iter()
        .map(|&s| if s > 0.0 { total * s / sum } else { 0.0 })
        .collect();
    let mut steps: Vec<f64> = exact.iter().map(|e| e.floor()).collect();
    let mut order: Vec<usize> = (0..shares.len()).filter(|&i| shares[i] > 0.0).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - steps[a], exact[b] - steps[b]);
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    let left = (total - steps.iter().sum::<f64>()).round() as usize;
    for &i in order.iter().take(left) {
        steps[i] += 1.0;
    }
    steps.iter().map(|s| s / scale).collect()
}

/// Splits a parent's indicators among its children. `shares[c][i]` is child `c`'s share of
/// indicator `i` (missing means 0). Levels are never split; a child whose part comes out 0
/// does not carry the indicator.
pub(super) fn split_indicators(parent: &[Indicator], shares: &[Vec<f64>]) -> Vec<Vec<Indicator>> {
    let mut out = vec![Vec::new(); shares.len()];
    for (i, ind) in parent.iter().enumerate() {
        if is_level(&ind.unit) {
            continue;
        }
        let column: Vec<f64> = shares
            .iter()
            .map(|s| s.get(i).copied().unwrap_or(0.0))
            .collect();
        for (c, part) in apportion(ind.target, &ind.unit, &column)
            .into_iter()
            .enumerate()
        {
            if part > 0.0 {
                out[c].push(Indicator {
                    name: ind.name.clone(),
                    target: part,
                    unit: ind.unit.clone(),
                });
            }
        }
    }
    out
}

/// `weight` shared among `n` children, to two decimals, adding up to it.
pub(super) fn share_weight(weight: f64, n: usize) -> Vec<f64> {
    let each = (weight / n as f64 * 100.0).round() / 100.0;
    let mut out = vec![each; n];
    if let Some(last) = out.last_mut() {
        *last = ((weight - each * (n - 1) as f64) * 100.0).round() / 100.0;
    }
    out
}

/// The last day of a month of the demo year.
pub(super) fn month_end(month: i8) -> Date {
    date(DEMO_YEAR, month, 1).last_of_month()
}

/// How often a dated task has milestones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Every {
    Month,
    Quarter,
}

/// Milestones at month or quarter ends up to the deadline (the deadline itself included), or
/// through the year on the cadence of an ongoing task. Values are cumulative and reach the
/// target at the last one; levels hold at their target throughout.
pub(super) fn milestones(indicators: &[Indicator], due: Due, every: Every) -> Vec<Milestone> {
    let (step, last) = match due {
        Due::By { date } => (if every == Every::Month { 1 } else { 3 }, date.month()),
        Due::Ongoing { cadence } => match cadence {
            Cadence::Weekly | Cadence::Monthly => (1, 12),
            Cadence::Quarterly => (3, 12),
            Cadence::HalfYearly => (6, 12),
            Cadence::Yearly => (12, 12),
        },
    };
    let mut months: Vec<i8> = (1..=last).filter(|m| m % step == 0).collect();
    if months.last() != Some(&last) {
        months.push(last);
    }
    let ongoing = due.cadence().is_some();
    months
        .into_iter()
        .map(|m| {
            let share = (f64::from(m) / f64::from(last)).powf(1.2);
            let values: Vec<Option<f64>> = indicators
                .iter()
                .map(|i| {
                    if is_level(&i.unit) || m == last {
                        Some(i.target)
                    } else {
                        // Too early for a whole 个: this milestone sets no figure.
                        Some(round_to(i.target * share, &i.unit)).filter(|v| *v > 0.0)
                    }
                })
                .collect();
            Milestone {
                due: month_end(m),
                target_text: milestone_text(indicators, &values, m, last, ongoing),
                values,
            }
        })
        .collect()
}

fn milestone_text(
    indicators: &[Indicator],
    values: &[Option<f64>],
    month: i8,
    last: i8,
    ongoing: bool,
) -> String {
    let parts: Vec<String> = indicators
        .iter()
        .zip(values)
        .filter_map(|(i, v)| {
            let v = number((*v)?, &i.unit);
            Some(if is_level(&i.unit) {
                format!("{}达到{v}{}", i.name, i.unit)
            } else {
                format!("累计{}{v}{}", i.name, i.unit)
            })
        })
        .collect();
    if parts.is_empty() {
        return if ongoing {
            format!("{month}月底前常态落实到位，按期报送进展")
        } else if month == last {
            "全面完成任务".to_string()
        } else {
            let pct = (100.0 * f64::from(month) / f64::from(last)).round();
            format!("序时推进，完成任务量的{pct:.0}%")
        };
    }
    parts.join("，")
}

/// A task with the sub-tasks decomposed from it.
pub(super) struct Node {
    pub(super) task: DemoTask,
    pub(super) children: Vec<Node>,
}

/// Small moves of a sub-task's progress around its top task's, so siblings differ.
const WOBBLE: [f64; 9] = [4.0, -6.0, 9.0, -3.0, 0.0, 7.0, -11.0, 2.0, -5.0];

/// Fills progress and actuals bottom-up. A top-level leaf takes `hint`; a sub-task leaf takes
/// 100 once its deadline has passed, else `hint` moved by a small wobble (`salt` picks it); a
/// parent takes the weighted mean of its children and the sums of their actuals, as
/// [`crate::lists::rollup::roll_up`] computes them. Lists not yet approved report nothing.
pub(super) fn settle(node: &mut Node, hint: f64, salt: &mut usize) {
    let task = &mut node.task;
    if node.children.is_empty() {
        let progress = if task.parent_path.is_none() || hint >= 100.0 {
            hint.min(100.0)
        } else if task.due.date().is_some_and(|d| d < AS_OF) {
            100.0
        } else {
            *salt += 1;
            let wobble = WOBBLE[*salt % WOBBLE.len()];
            let wobble = if task.due.cadence().is_some() {
                wobble / 2.0
            } else {
                wobble
            };
            (hint + wobble).clamp(5.0, 99.0)
        };
        task.progress = progress;
        task.actuals = task
            .indicators
            .iter()
            .map(|i| Some(actual(i, progress)))
            .collect();
    } else {
        for child in &mut node.children {
            settle(child, hint, salt);
        }
        let kids: Vec<&DemoTask> = node.children.iter().map(|c| &c.task).collect();
        let total: f64 = kids.iter().map(|k| k.weight).sum();
        let mean = if total > 0.0 {
            kids.iter().map(|k| k.weight * k.progress).sum::<f64>() / total
        } else {
            kids.iter().map(|k| k.progress).sum::<f64>() / kids.len() as f64
        };
        task.progress = (mean * 10.0).round() / 10.0;
        task.actuals = task
            .indicators
            .iter()
            .map(|ind| {
                let matching: Vec<Option<f64>> = kids
                    .iter()
                    .flat_map(|k| k.indicators.iter().zip(&k.actuals))
                    .filter(|(k_ind, _)| k_ind.name == ind.name && k_ind.unit == ind.unit)
                    .map(|(_, v)| *v)
                    .collect();
                if matching.is_empty() {
                    Some(actual(ind, task.progress))
                } else if matching.iter().all(Option::is_none) {
                    None
                } else {
                    Some(round_to(matching.iter().flatten().sum(), &ind.unit))
                }
            })
            .collect();
    }
    if task.state != TaskState::Approved {
        task.progress = 0.0;
        task.actuals = vec![None; task.indicators.len()];
    }
}

/// The actual value of an indicator at `progress` percent: an amount grows with progress, a
/// level sits a little under its target until the task is done.
fn actual(indicator: &Indicator, progress: f64) -> f64 {
    let factor = if is_level(&indicator.unit) {
        0.9 + 0.1 * progress / 100.0
    } else {
        progress / 100.0
    };
    // Amounts count only what is done: 0.7 of one 景区 is none yet.
    let scale = 10f64.powi(decimals(&indicator.unit));
    (indicator.target * factor * scale + 1e-9).floor() / scale
}

/// The tree's tasks, each parent before its children.
pub(super) fn flatten(node: Node, out: &mut Vec<DemoTask>) {
    out.push(node.task);
    for child in node.children {
        flatten(child, out);
    }
}

/// A sub-task of `parent` numbered `n`, sharing its campaign, kind, lead unit and leader,
/// section, deadline and state; the caller fills in the rest.
pub(super) fn child_of(parent: &DemoTask, n: usize) -> DemoTask {
    DemoTask {
        path: format!("{}.{n}", parent.path),
        parent_path: Some(parent.path.clone()),
        campaign: parent.campaign,
        list_kind: parent.list_kind,
        title: String::new(),
        content: String::new(),
        indicators: Vec::new(),
        milestones: Vec::new(),
        lead_leader: parent.lead_leader.clone(),
        lead_unit: parent.lead_unit,
        co_units: Vec::new(),
        section: parent.section,
        post: None,
        person: None,
        due: parent.due,
        weight: 0.0,
        progress: 0.0,
        actuals: Vec::new(),
        state: parent.state,
    }
}

/// A sub-task's goal in words: 经济开发区目标：技改投资34亿元，12月底前完成.
pub(super) fn goal(area: &str, title: &str, due: Due, indicators: &[Indicator]) -> String {
    match (due, indicators.is_empty()) {
        (Due::By { date }, false) => {
            format!(
                "{area}目标：{}，{}月底前完成",
                in_words(indicators),
                date.month()
            )
        }
        (Due::By { date }, true) => format!("{title}，{}月底前完成", date.month()),
        (Due::Ongoing { .. }, false) => format!("{area}常态落实，全年{}", in_words(indicators)),
        (Due::Ongoing { cadence }, true) => {
            format!("{area}常态落实，{}报送进展", cadence.label_zh())
        }
    }
}
