//! When will a task be done at its recent pace? A least-squares line through the accepted
//! progress of the last reports gives the day it reaches 100%; a task projected past its
//! deadline is flagged before it turns red (DOMAIN §3.1, issue 4's forecast).

use jiff::civil::Date;
use serde::Serialize;

/// How many of the latest reports the pace is taken from.
pub const WINDOW: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Forecast {
    Done,
    /// Fewer than two reports, or no progress between them: no pace to project.
    Unknown,
    /// Reaches 100% on `on` at the recent pace; `late` when after the deadline.
    Projected {
        on: Date,
        late: bool,
    },
}

/// Projects from `(report day, accepted progress)` points, oldest first.
pub fn project(history: &[(Date, f64)], due: Option<Date>) -> Forecast {
    let Some((_, last)) = history.last() else {
        return Forecast::Unknown;
    };
    if *last >= 100.0 {
        return Forecast::Done;
    }
    let recent = &history[history.len().saturating_sub(WINDOW)..];
    if recent.len() < 2 {
        return Forecast::Unknown;
    }
    let origin = recent[0].0;
    let xs: Vec<f64> = recent
        .iter()
        .map(|(d, _)| (*d - origin).get_days() as f64)
        .collect();
    let ys: Vec<f64> = recent.iter().map(|(_, p)| *p).collect();
    let n = xs.len() as f64;
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    if sxx == 0.0 || sxy <= 0.0 {
        return Forecast::Unknown;
    }
    let slope = sxy / sxx; // points per day
    let intercept = my - slope * mx;
    let days = ((100.0 - intercept) / slope).ceil();
    if !days.is_finite() || days > 36_500.0 {
        return Forecast::Unknown;
    }
    let Ok(on) = origin.checked_add(jiff::Span::new().days(days as i64)) else {
        return Forecast::Unknown;
    };
    Forecast::Projected {
        on,
        late: due.is_some_and(|d| on > d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_steady_pace_projects_the_day_it_reaches_one_hundred() {
        // 10 points a month from January: 100% around the end of October.
        let h: Vec<(Date, f64)> = (1..=6)
            .map(|m| (date(2026, m, 1), f64::from(m - 1) * 10.0))
            .collect();
        let Forecast::Projected { on, late } = project(&h, Some(date(2026, 12, 31))) else {
            panic!("projected")
        };
        assert!(on > date(2026, 10, 15) && on < date(2026, 11, 15), "{on}");
        assert!(!late);
        let Forecast::Projected { late, .. } = project(&h, Some(date(2026, 9, 30))) else {
            panic!("projected")
        };
        assert!(late, "flagged before it is red");
    }

    #[test]
    fn no_pace_no_projection() {
        assert_eq!(project(&[], None), Forecast::Unknown);
        assert_eq!(
            project(&[(date(2026, 1, 1), 10.0)], None),
            Forecast::Unknown
        );
        let flat = [(date(2026, 1, 1), 30.0), (date(2026, 2, 1), 30.0)];
        assert_eq!(project(&flat, None), Forecast::Unknown);
        assert_eq!(project(&[(date(2026, 1, 1), 100.0)], None), Forecast::Done);
    }
}
