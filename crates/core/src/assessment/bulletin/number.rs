//! 发文字号: a bulletin's number in its year's series, printed 永督通〔2026〕5号 — the prefix
//! (机关代字, configurable per year), the year in 六角括号 〔〕, the number without leading zeros
//! (GB/T 9704 §7.2.4). Numbers are given out one after another as bulletins are issued; the
//! store hands out the next one inside the issuing transaction.

use super::BulletinError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The default prefix of a year that has set none.
pub const DEFAULT_PREFIX: &str = "永督通";

/// A bulletin's number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocNumber {
    pub prefix: String,
    pub year: i16,
    /// 1, 2, 3 … within the year.
    pub seq: i64,
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}〔{}〕{}号", self.prefix, self.year, self.seq)
    }
}

/// A prefix as typed, trimmed and checked: 1 to 12 characters, no digits, brackets or 号.
pub fn parse_prefix(raw: &str) -> Result<String, BulletinError> {
    let p = raw.trim();
    let n = p.chars().count();
    let bad = p
        .chars()
        .any(|c| c.is_ascii_digit() || c.is_whitespace() || "〔〕[]()（）【】号".contains(c));
    if n == 0 || n > 12 || bad {
        return Err(BulletinError::BadPrefix);
    }
    Ok(p.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_in_the_official_form() {
        let n = |seq| DocNumber {
            prefix: "永督通".into(),
            year: 2026,
            seq,
        };
        assert_eq!(n(5).to_string(), "永督通〔2026〕5号");
        assert_eq!(n(12).to_string(), "永督通〔2026〕12号");
    }

    #[test]
    fn prefixes_are_checked() {
        assert_eq!(parse_prefix(" 永督通 ").unwrap(), "永督通");
        assert_eq!(parse_prefix("永督办发").unwrap(), "永督办发");
        for bad in ["", "永督〔", "永督2", "永 督", "一二三四五六七八九十一二三"]
        {
            assert_eq!(parse_prefix(bad), Err(BulletinError::BadPrefix), "{bad}");
        }
    }
}
