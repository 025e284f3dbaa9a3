//! Which tasks count, and which report figures of their own, so that decomposed work counts
//! once (issue 14, part 2).
//!
//! - A task **reports its own figures** (percentage, indicator actuals) only while it has no
//!   approved sub-tasks. A task with sub-tasks takes its figures from them by the roll-up rule
//!   (`core::lists::rollup`); its owner may still write text, never a second figure, and it owes
//!   no report of its own.
//! - The dashboards **count top-level tasks** (with their roll-ups): each piece of work once,
//!   whatever depth it was decomposed to. Every count, light, ranking and drill-down applies
//!   this rule; the store's SQL mirrors it (`duban_store::progress::COUNTED`,
//!   `duban_store::progress::REPORTS_FIGURES`).
//! - A task is **eligible for the forecast-late list** only while it is not finished.

/// Whether a task reports its own percentage and indicator actuals.
pub fn reports_figures(approved_children: usize) -> bool {
    approved_children == 0
}

/// Whether the dashboards count a task: approved and top-level.
pub fn counted(approved: bool, has_parent: bool) -> bool {
    approved && !has_parent
}

/// Whether a task may be listed as forecast to finish late: not finished yet.
pub fn forecast_eligible(progress: f64) -> bool {
    progress < 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_leaves_report_figures() {
        assert!(reports_figures(0));
        assert!(!reports_figures(1));
        assert!(!reports_figures(7));
    }

    #[test]
    fn dashboards_count_approved_top_level_tasks() {
        assert!(counted(true, false));
        assert!(!counted(true, true), "a sub-task counts through its parent");
        assert!(!counted(false, false), "a draft is not counted");
    }

    #[test]
    fn finished_tasks_are_never_forecast_late() {
        assert!(forecast_eligible(0.0));
        assert!(forecast_eligible(99.9));
        assert!(!forecast_eligible(100.0));
    }
}
