//! A deterministic generator of many tasks for benchmarks: the catalogue's titles and
//! indicators, spread over every non-leadership unit, campaign and list kind, in trees one to
//! three levels deep. No randomness: each tree's choices come from a hash of its number.

use super::DemoTask;
use super::build::{
    Every, Node, child_of, flatten, goal, is_level, milestones, month_end, round_to, settle,
    share_weight, split_indicators,
};
use super::catalog::{CAMPAIGNS, Top};
use super::org::Org;
use crate::demo::{DemoCity, DemoUnit};
use crate::lists::state::TaskState;
use crate::lists::{Cadence, Due, Indicator, ListKind};
use crate::org::UnitKind;

/// Places a generated task is about, so titles differ and text search finds something.
const AREAS: [&str; 12] = [
    "东城片区",
    "西城片区",
    "江南片区",
    "石柱片区",
    "芝英片区",
    "古山片区",
    "方岩片区",
    "龙山片区",
    "西溪片区",
    "舟山片区",
    "象珠片区",
    "开发区片区",
];

/// What a sub-task of a generated task is about.
const STAGES: [&str; 8] = [
    "前期准备",
    "方案编制",
    "组织实施",
    "资金保障",
    "要素保障",
    "督导推进",
    "验收评估",
    "长效管理",
];

/// Tree shapes as the number of grandchildren under each child. Trees average three tasks,
/// so about a third of all tasks are top-level.
const SHAPES: [&[usize]; 10] = [
    &[],
    &[0, 0],
    &[2, 0],
    &[0, 0, 0],
    &[],
    &[0, 0],
    &[0, 2],
    &[0, 0, 0],
    &[],
    &[0, 0],
];

pub(super) fn generated_tasks(city: &DemoCity, n: usize) -> Vec<DemoTask> {
    let org = Org::new(city);
    let units: Vec<&DemoUnit> = city
        .units
        .iter()
        .filter(|u| u.kind != UnitKind::Leadership)
        .collect();
    let campaigns: Vec<&'static str> = city.campaigns.iter().map(|c| c.code).collect();
    let tops: Vec<&Top> = CAMPAIGNS.iter().flat_map(|(_, tops)| tops.iter()).collect();
    let mut numbers = vec![0usize; units.len()];
    let mut out = Vec::with_capacity(n + 8);
    let mut salt = 0;
    let mut tree = 0u64;
    while out.len() < n {
        // Units take turns, so every unit has tasks once there are as many trees as units.
        let u = (tree % units.len() as u64) as usize;
        numbers[u] += 1;
        let mut g = Gen {
            org: &org,
            unit: units[u],
            hash: mix(tree),
        };
        let co_unit = units[(u + 1 + g.pick(0, units.len() - 1)) % units.len()].code;
        let campaign = campaigns[g.pick(8, campaigns.len())];
        let top = tops[g.pick(16, tops.len())];
        let hint = g.progress_hint();
        let mut node = g.tree(campaign, top, co_unit, numbers[u], n - out.len());
        settle(&mut node, hint, &mut salt);
        flatten(node, &mut out);
        tree += 1;
    }
    out
}

/// The choices for one tree, drawn from its hash.
struct Gen<'a> {
    org: &'a Org<'a>,
    unit: &'a DemoUnit,
    hash: u64,
}

impl Gen<'_> {
    /// A number in `0..n` from bits `shift..` of the hash.
    fn pick(&self, shift: u32, n: usize) -> usize {
        ((self.hash >> shift) % n as u64) as usize
    }

    /// Mostly 60–100; one tree in eight lags at 25–59.
    fn progress_hint(&self) -> f64 {
        if self.pick(50, 8) == 0 {
            25.0 + self.pick(44, 35) as f64
        } else {
            60.0 + self.pick(44, 41) as f64
        }
    }

    fn tree(
        &mut self,
        campaign: &'static str,
        top: &Top,
        co_unit: &'static str,
        number: usize,
        room: usize,
    ) -> Node {
        let org = self.org;
        let code = self.unit.code;
        let area = AREAS[self.pick(24, AREAS.len())];
        let mut shape = SHAPES[self.pick(28, SHAPES.len())];
        if size(shape) > room {
            // The last tree is cut to the number of tasks asked for.
            shape = [&[][..], &[0], &[0, 0], &[0, 0, 0]][room.clamp(1, 4) - 1];
        }
        let due = if self.pick(32, 20) == 0 {
            Due::Ongoing {
                cadence: Cadence::Monthly,
            }
        } else {
            Due::By {
                date: month_end(6 + self.pick(36, 7) as i8),
            }
        };
        let state = match self.pick(20, 100) {
            0..=2 => TaskState::Submitted,
            3 => TaskState::Draft,
            4 => TaskState::Returned,
            _ => TaskState::Approved,
        };
        let indicators = self.indicators(top);
        let (section, post) = self.section_and_post(0);
        let leaf = shape.is_empty();
        let task = DemoTask {
            path: number.to_string(),
            parent_path: None,
            campaign,
            list_kind: ListKind::ALL[self.pick(12, ListKind::ALL.len())],
            title: format!("{}{}（{area}）", self.unit.short_name, top.title),
            content: goal(area, top.title, due, &indicators),
            milestones: milestones(&indicators, due, Every::Month),
            indicators,
            lead_leader: Some(org.lead_leader(campaign, code)),
            lead_unit: code,
            co_units: if self.pick(6, 3) == 0 {
                vec![co_unit]
            } else {
                Vec::new()
            },
            section: Some(section),
            post: leaf.then_some(post),
            person: if leaf {
                org.holder(code, section, post)
            } else {
                org.head(code)
            },
            due,
            weight: 1.0 + self.pick(40, 10) as f64,
            progress: 0.0,
            actuals: Vec::new(),
            state,
        };
        let titles: Vec<String> = (0..shape.len())
            .map(|k| {
                let stage = STAGES[(self.pick(56, STAGES.len()) + k) % STAGES.len()];
                format!("{}——{area}{stage}", top.title)
            })
            .collect();
        let children = self.children(&task, &titles, shape, 1);
        Node { task, children }
    }

    /// Children of `parent` with these titles, the `k`-th with `grandchildren[k]` children.
    fn children(
        &mut self,
        parent: &DemoTask,
        titles: &[String],
        grandchildren: &[usize],
        depth: u32,
    ) -> Vec<Node> {
        let shares: Vec<Vec<f64>> = (0..titles.len())
            .map(|k| vec![1.0 + self.pick(k as u32 * 2 + depth, 4) as f64; parent.indicators.len()])
            .collect();
        let parts = split_indicators(&parent.indicators, &shares);
        let weights = share_weight(parent.weight, titles.len());
        let mut out = Vec::with_capacity(titles.len());
        for (k, (indicators, weight)) in parts.into_iter().zip(weights).enumerate() {
            self.hash = mix(self.hash);
            let mut task = child_of(parent, k + 1);
            if let Due::By { date } = parent.due {
                let month = (date.month() - self.pick(4, 3) as i8).max(3);
                task.due = Due::By {
                    date: month_end(month),
                };
            }
            let (section, post) = self.section_and_post(depth);
            task.title = titles[k].clone();
            task.content = goal("", &task.title, task.due, &indicators);
            task.section = Some(section);
            task.post = Some(post);
            task.person = self.org.holder(task.lead_unit, section, post);
            task.milestones = milestones(&indicators, task.due, Every::Month);
            task.indicators = indicators;
            task.weight = weight;
            let below = grandchildren.get(k).copied().unwrap_or(0);
            let titles: Vec<String> = (0..below)
                .map(|g| format!("{}（第{}批）", task.title, g + 1))
                .collect();
            let children = self.children(&task, &titles, &[], depth + 1);
            out.push(Node { task, children });
        }
        out
    }

    /// One or two of the catalogue task's indicators, amounts scaled by 0.5–2.0.
    fn indicators(&self, top: &Top) -> Vec<Indicator> {
        let scale = 0.5 + self.pick(54, 16) as f64 / 10.0;
        let count = 1 + self.pick(60, 2);
        top.indicators
            .iter()
            .take(count)
            .map(|&(name, target, unit)| Indicator {
                name: name.to_string(),
                target: if is_level(unit) {
                    target
                } else {
                    round_to(target * scale, unit).max(1.0)
                },
                unit: unit.to_string(),
            })
            .collect()
    }

    /// A section of the unit and one of its posts.
    fn section_and_post(&self, salt: u32) -> (&'static str, &'static str) {
        let sections = &self.unit.sections;
        let section = &sections[self.pick(salt * 3 + 1, sections.len())];
        let post = section.posts[self.pick(salt * 5 + 2, section.posts.len())];
        (section.name, post)
    }
}

/// The number of tasks in a tree of this shape.
fn size(shape: &[usize]) -> usize {
    1 + shape.len() + shape.iter().sum::<usize>()
}

/// splitmix64: a well-mixed 64-bit hash of a counter.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
