//! Assessment (督考, DOMAIN §3.3–3.4): a year's scheme as versioned data in [`scheme`], the
//! periods scores are kept for in [`period`], score events and the points they carry in
//! [`event`], and the pure arithmetic — module sums with lead/co multipliers and caps, totals,
//! ranks within groups with ties, stars by score or by share — in [`score`].
//!
//! Points are kept in hundredths (`Centi`) so that a co-unit's ×0.5 of −1 is exactly −0.50 and
//! recomputing a year from its events always gives the same totals.

pub mod bulletin;
pub mod event;
pub mod period;
pub mod scheme;
pub mod score;

/// Points in hundredths of a point (−150 is −1.50).
pub type Centi = i64;

/// `-150` → `"-1.5"`, `300` → `"3"`, `-25` → `"-0.25"`: the shortest exact decimal.
pub fn fmt_points(c: Centi) -> String {
    let sign = if c < 0 { "-" } else { "" };
    let a = c.unsigned_abs();
    let (whole, frac) = (a / 100, a % 100);
    match frac {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}", f / 10),
        f => format!("{sign}{whole}.{f:02}"),
    }
}

/// `"-1.5"` → `-150`; at most two decimals; `None` for anything else.
pub fn parse_points(s: &str) -> Option<Centi> {
    let s = s.trim();
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
    if whole.is_empty() && frac.is_empty()
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || whole.len() > 9
    {
        return None;
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let f: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    let v = w * 100 + f;
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_print_and_parse_exactly() {
        for (c, s) in [
            (0, "0"),
            (300, "3"),
            (-150, "-1.5"),
            (-25, "-0.25"),
            (8050, "80.5"),
            (-5, "-0.05"),
        ] {
            assert_eq!(fmt_points(c), s);
            assert_eq!(parse_points(s), Some(c));
        }
        assert_eq!(parse_points("+2"), Some(200));
        assert_eq!(parse_points(".5"), Some(50));
        for bad in ["", "-", "1.234", "1e3", "abc", "1,5", "--1", "."] {
            assert_eq!(parse_points(bad), None, "{bad}");
        }
    }
}
