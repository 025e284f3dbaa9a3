//! 践诺 — how far a commitment (or a livelihood project) has come, read from its linked
//! tasks: progress is the weighted mean of their accepted progress (weights as the lists give
//! them), the light is the worst of their maintained lights. Nothing of its own is reported.

use crate::light::Light;
use serde::Serialize;

/// One linked task as fulfilment needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaskStanding {
    /// Latest accepted progress, 0–100.
    pub progress: f64,
    /// The task's weight in its list (≤ 0 counts as 1).
    pub weight: f64,
    pub light: Light,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Fulfilment {
    /// Weighted mean progress, 0–100, rounded to one decimal.
    pub progress: f64,
    /// The worst light; `None` when nothing is linked.
    pub light: Option<Light>,
}

pub fn fulfilment(tasks: &[TaskStanding]) -> Fulfilment {
    let weight = |t: &TaskStanding| if t.weight > 0.0 { t.weight } else { 1.0 };
    let total: f64 = tasks.iter().map(weight).sum();
    let progress = if total > 0.0 {
        let sum: f64 = tasks
            .iter()
            .map(|t| weight(t) * t.progress.clamp(0.0, 100.0))
            .sum();
        (sum / total * 10.0).round() / 10.0
    } else {
        0.0
    };
    Fulfilment {
        progress,
        light: tasks.iter().map(|t| t.light).max(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(progress: f64, weight: f64, light: Light) -> TaskStanding {
        TaskStanding {
            progress,
            weight,
            light,
        }
    }

    #[test]
    fn progress_is_the_weighted_mean_and_the_light_the_worst() {
        let f = fulfilment(&[t(100.0, 3.0, Light::Green), t(20.0, 1.0, Light::Yellow)]);
        assert_eq!(f.progress, 80.0);
        assert_eq!(f.light, Some(Light::Yellow));
        let f = fulfilment(&[t(50.0, 1.0, Light::Red), t(50.0, 1.0, Light::Green)]);
        assert_eq!(f.light, Some(Light::Red));
    }

    #[test]
    fn nothing_linked_is_zero_without_a_light_and_zero_weights_count_as_one() {
        assert_eq!(
            fulfilment(&[]),
            Fulfilment {
                progress: 0.0,
                light: None
            }
        );
        let f = fulfilment(&[t(90.0, 0.0, Light::Green), t(30.0, 0.0, Light::Green)]);
        assert_eq!(f.progress, 60.0);
    }

    #[test]
    fn progress_outside_0_to_100_is_clamped_and_rounded_to_a_tenth() {
        let f = fulfilment(&[t(150.0, 1.0, Light::Green), t(33.333, 2.0, Light::Green)]);
        assert_eq!(f.progress, 55.6);
    }
}
