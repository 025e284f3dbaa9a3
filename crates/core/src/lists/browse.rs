//! How a reader narrows a task list by deadline and orders it: the choices of the list page and
//! of `GET /api/v1/tasks`. Pure rules; `store::lists::browse` turns them into SQL on indexed
//! columns.

use jiff::ToSpan;
use jiff::civil::Date;

/// The most days ahead "due within N days" looks (a year).
pub const MAX_WITHIN_DAYS: i64 = 366;

/// Open tasks by where their deadline stands on a given day. "Open" means not finished: the
/// accepted progress is below 100 %. A task reporting by cadence has no deadline, so it is
/// never overdue or due soon, only open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueWindow {
    /// Not finished.
    Open,
    /// Not finished and its deadline is before the day (a task due today is not yet overdue).
    Overdue,
    /// Not finished and due from the day to N days later, both included.
    Within(i64),
}

/// The conditions a [`DueWindow`] puts on a task, on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueBounds {
    /// Progress below 100.
    pub open: bool,
    /// Deadline on or after.
    pub due_from: Option<Date>,
    /// Deadline on or before.
    pub due_to: Option<Date>,
}

impl DueWindow {
    /// `open`, `overdue` or `soon` (with `days`, default 7); `None` for anything else, or for
    /// `days` outside 0–[`MAX_WITHIN_DAYS`].
    pub fn parse(s: &str, days: Option<i64>) -> Option<DueWindow> {
        match s {
            "open" => Some(DueWindow::Open),
            "overdue" => Some(DueWindow::Overdue),
            "soon" => {
                let n = days.unwrap_or(7);
                (0..=MAX_WITHIN_DAYS)
                    .contains(&n)
                    .then_some(DueWindow::Within(n))
            }
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DueWindow::Open => "open",
            DueWindow::Overdue => "overdue",
            DueWindow::Within(_) => "soon",
        }
    }

    pub fn bounds(self, today: Date) -> DueBounds {
        match self {
            DueWindow::Open => DueBounds {
                open: true,
                due_from: None,
                due_to: None,
            },
            DueWindow::Overdue => DueBounds {
                open: true,
                due_from: None,
                due_to: today.yesterday().ok(),
            },
            DueWindow::Within(n) => DueBounds {
                open: true,
                due_from: Some(today),
                due_to: Some(today.saturating_add(n.days())),
            },
        }
    }
}

/// The order of a task list. Every order ends in list order (lead unit, then 序号), so pages
/// never overlap or skip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TaskOrder {
    /// Lead unit, then 序号.
    #[default]
    List,
    /// Earliest deadline first; tasks without a deadline last.
    Due,
    /// Red, then yellow, then green; each by deadline.
    Light,
    /// Least progress first; equal progress by deadline.
    Progress,
}

impl TaskOrder {
    pub const ALL: [TaskOrder; 4] = [
        TaskOrder::List,
        TaskOrder::Due,
        TaskOrder::Light,
        TaskOrder::Progress,
    ];

    pub fn parse(s: &str) -> Option<TaskOrder> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TaskOrder::List => "list",
            TaskOrder::Due => "due",
            TaskOrder::Light => "light",
            TaskOrder::Progress => "progress",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn overdue_means_due_before_today_and_soon_includes_both_ends() {
        let today = date(2026, 12, 7);
        let overdue = DueWindow::Overdue.bounds(today);
        assert!(overdue.open);
        assert_eq!(overdue.due_to, Some(date(2026, 12, 6)));
        assert_eq!(overdue.due_from, None);
        let soon = DueWindow::parse("soon", Some(30)).unwrap().bounds(today);
        assert_eq!(soon.due_from, Some(today));
        assert_eq!(soon.due_to, Some(date(2027, 1, 6)));
        assert_eq!(
            DueWindow::parse("soon", None),
            Some(DueWindow::Within(7)),
            "a week unless told"
        );
        let open = DueWindow::Open.bounds(today);
        assert_eq!((open.due_from, open.due_to), (None, None));
    }

    #[test]
    fn unknown_windows_days_and_orders_are_refused() {
        assert_eq!(DueWindow::parse("late", None), None);
        assert_eq!(DueWindow::parse("soon", Some(-1)), None);
        assert_eq!(DueWindow::parse("soon", Some(MAX_WITHIN_DAYS + 1)), None);
        assert_eq!(TaskOrder::parse("due"), Some(TaskOrder::Due));
        assert_eq!(TaskOrder::parse("DUE"), None);
        for o in TaskOrder::ALL {
            assert_eq!(TaskOrder::parse(o.as_str()), Some(o));
        }
    }
}
