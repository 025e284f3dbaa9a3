//! 序时进度: where a task should be by a day if progress ran evenly from its start to its
//! deadline, and the mid-year check 时间过半、任务过半 (DOMAIN §3.2).

use jiff::civil::{Date, date};
use serde::Serialize;

/// The percentage a task should have reached on `on`: 0 before `start`, 100 from `due`,
/// proportional to the days elapsed in between.
pub fn expected_percent(start: Date, due: Date, on: Date) -> f64 {
    if on >= due {
        return 100.0;
    }
    if on <= start {
        return 0.0;
    }
    let total = (due - start).get_days() as f64;
    let elapsed = (on - start).get_days() as f64;
    (100.0 * elapsed / total).clamp(0.0, 100.0)
}

/// How a task stands against its 序时进度 (the classes a county 督查 used, DOMAIN §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pace {
    /// 欠进度
    Behind,
    /// 达进度
    OnPace,
    /// 超进度
    Ahead,
    /// 已完成
    Done,
}

/// The pace of `progress` against `expected`, with `tolerance` percentage points either way
/// counting as on pace.
pub fn pace(progress: f64, expected: f64, tolerance: f64) -> Pace {
    if progress >= 100.0 {
        Pace::Done
    } else if progress + tolerance < expected {
        Pace::Behind
    } else if progress > expected + tolerance {
        Pace::Ahead
    } else {
        Pace::OnPace
    }
}

/// 时间过半、任务过半: on 30 June of the task's year the task must be at least half done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HalfYear {
    /// Before 30 June: nothing to check yet.
    NotYet,
    Met,
    Missed,
}

pub fn half_year(year: i16, progress: f64, on: Date) -> HalfYear {
    if on < date(year, 6, 30) {
        HalfYear::NotYet
    } else if progress >= 50.0 {
        HalfYear::Met
    } else {
        HalfYear::Missed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_proportional_target_runs_evenly_from_start_to_deadline() {
        let (start, due) = (date(2026, 1, 1), date(2026, 12, 31));
        assert_eq!(expected_percent(start, due, date(2025, 12, 1)), 0.0);
        assert_eq!(expected_percent(start, due, due), 100.0);
        let mid = expected_percent(start, due, date(2026, 7, 2));
        assert!((mid - 50.0).abs() < 0.2, "{mid}");
        assert_eq!(
            expected_percent(due, start, date(2026, 6, 1)),
            100.0,
            "a deadline before the start is simply due"
        );
    }

    #[test]
    fn pace_and_the_half_year_check() {
        assert_eq!(pace(30.0, 50.0, 5.0), Pace::Behind);
        assert_eq!(pace(47.0, 50.0, 5.0), Pace::OnPace);
        assert_eq!(pace(60.0, 50.0, 5.0), Pace::Ahead);
        assert_eq!(pace(100.0, 50.0, 5.0), Pace::Done);
        assert_eq!(half_year(2026, 10.0, date(2026, 6, 29)), HalfYear::NotYet);
        assert_eq!(half_year(2026, 50.0, date(2026, 6, 30)), HalfYear::Met);
        assert_eq!(half_year(2026, 49.9, date(2026, 7, 15)), HalfYear::Missed);
    }
}
