//! Roll-ups over the decomposition tree: a parent's progress and indicator values derive from
//! its children.
//!
//! The rule (documented for users on the task page and in docs/ARCHITECTURE.md):
//! - **Progress** of a parent is the weighted mean of its children's progress, weighted by each
//!   child's weight; if every child has weight 0 the children count equally. A leaf's progress is
//!   its own latest accepted progress (0 until something is reported).
//! - **Indicator values** of a parent: for each of the parent's indicators, the sum of the
//!   children's values of indicators with the same name and unit (亩 add to 亩, 万元 to 万元).
//!   Rates (unit `%`) do not add up: they are the weighted mean of the children's rates.
//!   A parent indicator that no child measures keeps its own reported value.
//! - Grandchildren roll up into children first, so the rule applies level by level.

use super::Indicator;

/// One node's own figures, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub weight: f64,
    /// 0–100.
    pub progress: f64,
    /// `(indicator, actual value)`; `None` when nothing is reported yet.
    pub indicators: Vec<(Indicator, Option<f64>)>,
}

/// A node with its children, for rolling up.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub own: Figures,
    pub children: Vec<Node>,
}

/// The figures of `node` after rolling up its subtree. A leaf returns its own figures.
pub fn roll_up(node: &Node) -> Figures {
    if node.children.is_empty() {
        return node.own.clone();
    }
    let kids: Vec<Figures> = node.children.iter().map(roll_up).collect();
    let total_weight: f64 = kids.iter().map(|k| k.weight).sum();
    let progress = if total_weight > 0.0 {
        kids.iter().map(|k| k.weight * k.progress).sum::<f64>() / total_weight
    } else {
        kids.iter().map(|k| k.progress).sum::<f64>() / kids.len() as f64
    };
    let indicators = node
        .own
        .indicators
        .iter()
        .map(|(ind, own_value)| {
            let matching: Vec<(f64, Option<f64>)> = kids
                .iter()
                .flat_map(|k| k.indicators.iter().map(move |i| (k.weight, i)))
                .filter(|(_, (k_ind, _))| k_ind.name == ind.name && k_ind.unit == ind.unit)
                .map(|(w, (_, v))| (w, *v))
                .collect();
            let reported: Vec<(f64, f64)> = matching
                .iter()
                .filter_map(|(w, v)| v.map(|v| (*w, v)))
                .collect();
            let value = if matching.is_empty() {
                *own_value
            } else if reported.is_empty() {
                None
            } else if ind.unit == "%" {
                let w: f64 = reported.iter().map(|(w, _)| w).sum();
                Some(if w > 0.0 {
                    reported.iter().map(|(w, v)| w * v).sum::<f64>() / w
                } else {
                    reported.iter().map(|(_, v)| v).sum::<f64>() / reported.len() as f64
                })
            } else {
                Some(reported.iter().map(|(_, v)| v).sum())
            };
            (ind.clone(), value)
        })
        .collect();
    Figures {
        weight: node.own.weight,
        progress: (progress * 10.0).round() / 10.0,
        indicators,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ind(name: &str, unit: &str) -> Indicator {
        Indicator {
            name: name.into(),
            target: 0.0,
            unit: unit.into(),
        }
    }

    fn leaf(weight: f64, progress: f64, inds: Vec<(Indicator, Option<f64>)>) -> Node {
        Node {
            own: Figures {
                weight,
                progress,
                indicators: inds,
            },
            children: vec![],
        }
    }

    #[test]
    fn a_parent_progress_is_the_weighted_mean_of_its_children() {
        let parent = Node {
            own: Figures {
                weight: 10.0,
                progress: 0.0,
                indicators: vec![],
            },
            children: vec![leaf(3.0, 100.0, vec![]), leaf(1.0, 20.0, vec![])],
        };
        // (3×100 + 1×20) / 4 = 80
        assert_eq!(roll_up(&parent).progress, 80.0);
        assert_eq!(roll_up(&parent).weight, 10.0);
    }

    #[test]
    fn children_without_weight_count_equally() {
        let parent = Node {
            own: leaf(1.0, 0.0, vec![]).own,
            children: vec![
                leaf(0.0, 50.0, vec![]),
                leaf(0.0, 0.0, vec![]),
                leaf(0.0, 100.0, vec![]),
            ],
        };
        assert_eq!(roll_up(&parent).progress, 50.0);
    }

    #[test]
    fn indicator_values_add_up_only_with_the_same_name_and_unit() {
        let parent = Node {
            own: leaf(
                1.0,
                0.0,
                vec![(ind("整治", "亩"), None), (ind("投资", "万元"), Some(7.0))],
            )
            .own,
            children: vec![
                leaf(1.0, 0.0, vec![(ind("整治", "亩"), Some(120.0))]),
                leaf(
                    1.0,
                    0.0,
                    vec![
                        (ind("整治", "亩"), Some(80.5)),
                        (ind("整治", "公顷"), Some(9.0)),
                    ],
                ),
            ],
        };
        let up = roll_up(&parent);
        assert_eq!(up.indicators[0].1, Some(200.5));
        // No child measures 投资: the parent keeps its own value.
        assert_eq!(up.indicators[1].1, Some(7.0));
    }

    #[test]
    fn rates_are_averaged_by_weight_not_added() {
        let parent = Node {
            own: leaf(1.0, 0.0, vec![(ind("增速", "%"), None)]).own,
            children: vec![
                leaf(3.0, 0.0, vec![(ind("增速", "%"), Some(12.0))]),
                leaf(1.0, 0.0, vec![(ind("增速", "%"), Some(8.0))]),
            ],
        };
        assert_eq!(roll_up(&parent).indicators[0].1, Some(11.0));
    }

    #[test]
    fn grandchildren_roll_up_level_by_level() {
        let child = Node {
            own: leaf(1.0, 0.0, vec![]).own,
            children: vec![leaf(1.0, 100.0, vec![]), leaf(1.0, 0.0, vec![])],
        };
        let root = Node {
            own: leaf(1.0, 0.0, vec![]).own,
            children: vec![child, leaf(1.0, 100.0, vec![])],
        };
        // child = 50, root = (50 + 100) / 2
        assert_eq!(roll_up(&root).progress, 75.0);
    }
}
