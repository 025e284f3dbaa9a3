//! The organisation: kinds of unit, ids, and the small value rules for names and codes.
//!
//! Units (单位) are departments, towns/streets, command HQs (指挥部), task forces (专班), the city
//! leadership and the supervision office (督考办). Sections (科室) and posts (岗位) sit inside a
//! unit; people belong to units through memberships; leaders hold dated portfolios (分管).

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($($(#[$m:meta])* $name:ident),* $(,)?) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { self.0.fmt(f) }
        }
    )*};
}

id_type!(
    /// A unit (单位).
    UnitId,
    /// A section (科室) inside a unit.
    SectionId,
    /// A post (岗位) inside a unit, optionally inside a section.
    PostId,
    /// A person in the organisation (with or without a login).
    PersonId,
    /// A login account.
    UserId,
    /// A leader's portfolio entry (分管).
    PortfolioId,
    /// A membership of a person in a unit.
    MembershipId,
);

/// What a unit is. Stored as the lowercase `as_str` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// 市领导 — the city leadership (party secretary, mayor, vice-mayors).
    Leadership,
    /// 部门 — a department of the city government (经信局, 住建局 …).
    Department,
    /// 镇街 — a town, a street (街道) or a development zone acting as one.
    Town,
    /// 指挥部 — command headquarters for major projects.
    CommandHq,
    /// 专班 — a cross-unit task force for one campaign or project.
    TaskForce,
    /// 督考办 — the supervision and assessment office.
    SupervisionOffice,
}

impl UnitKind {
    pub const ALL: [UnitKind; 6] = [
        UnitKind::Leadership,
        UnitKind::Department,
        UnitKind::Town,
        UnitKind::CommandHq,
        UnitKind::TaskForce,
        UnitKind::SupervisionOffice,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Leadership => "leadership",
            UnitKind::Department => "department",
            UnitKind::Town => "town",
            UnitKind::CommandHq => "command_hq",
            UnitKind::TaskForce => "task_force",
            UnitKind::SupervisionOffice => "supervision_office",
        }
    }

    pub fn parse(s: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Task forces and command HQs gather people from other units; membership in them widens a
    /// person's scope without changing their home unit.
    pub fn is_cross_unit(self) -> bool {
        matches!(self, UnitKind::TaskForce | UnitKind::CommandHq)
    }
}

impl fmt::Display for UnitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Errors in organisation values, phrased for the person typing them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgError {
    #[error("must not be empty")]
    Empty,
    #[error("is too long (at most {max} characters)")]
    TooLong { max: usize },
    #[error("may contain only lowercase letters, digits and '-' and must start with a letter")]
    BadCode,
    #[error("must be an 11-digit mainland mobile number starting with 1")]
    BadMobile,
    #[error("may contain only letters, digits, '.', '_' and '-' (3 to 32 characters)")]
    BadUsername,
    #[error("must end on or after the start date")]
    EndsBeforeStart,
}

/// A person's or unit's display name: trimmed, 1–64 characters.
pub fn parse_name(raw: &str) -> Result<String, OrgError> {
    parse_text(raw, 64)
}

/// Trimmed text of at most `max` characters, not empty.
pub fn parse_text(raw: &str, max: usize) -> Result<String, OrgError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(OrgError::Empty);
    }
    if s.chars().count() > max {
        return Err(OrgError::TooLong { max });
    }
    Ok(s.to_string())
}

/// A unit code such as `jxj` or `town-dongcheng`: stable, used in URLs, imports and exports.
pub fn parse_unit_code(raw: &str) -> Result<String, OrgError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(OrgError::Empty);
    }
    if s.len() > 32 {
        return Err(OrgError::TooLong { max: 32 });
    }
    let mut chars = s.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    if !first_ok
        || !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(OrgError::BadCode);
    }
    Ok(s.to_string())
}

/// A mainland mobile number: 11 digits starting with 1; spaces and dashes are dropped.
pub fn parse_mobile(raw: &str) -> Result<String, OrgError> {
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.len() == 11 && digits.starts_with('1') && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(OrgError::BadMobile)
    }
}

/// A login name: 3–32 of ASCII letters, digits, `.`, `_`, `-`; kept as typed, compared as lowercase.
pub fn parse_username(raw: &str) -> Result<String, OrgError> {
    let s = raw.trim();
    let ok = (3..=32).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(s.to_ascii_lowercase())
    } else {
        Err(OrgError::BadUsername)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_kinds_round_trip_through_their_text() {
        for k in UnitKind::ALL {
            assert_eq!(UnitKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(UnitKind::parse("Department"), None);
    }

    #[test]
    fn a_name_is_trimmed_and_must_not_be_blank_or_too_long() {
        assert_eq!(parse_name("  经信局 ").unwrap(), "经信局");
        assert_eq!(parse_name("   "), Err(OrgError::Empty));
        assert_eq!(
            parse_name(&"局".repeat(65)),
            Err(OrgError::TooLong { max: 64 })
        );
        assert!(parse_name(&"局".repeat(64)).is_ok());
    }

    #[test]
    fn unit_codes_are_lowercase_ascii_starting_with_a_letter() {
        assert_eq!(parse_unit_code("jxj").unwrap(), "jxj");
        assert_eq!(parse_unit_code("town-gushan2").unwrap(), "town-gushan2");
        assert_eq!(parse_unit_code("2jxj"), Err(OrgError::BadCode));
        assert_eq!(parse_unit_code("JXJ"), Err(OrgError::BadCode));
        assert_eq!(parse_unit_code("经信局"), Err(OrgError::BadCode));
    }

    #[test]
    fn mobiles_accept_spaces_and_dashes_but_only_eleven_digits_from_1() {
        assert_eq!(parse_mobile("138 0000-1234").unwrap(), "13800001234");
        assert_eq!(parse_mobile("23800001234"), Err(OrgError::BadMobile));
        assert_eq!(parse_mobile("1380000123"), Err(OrgError::BadMobile));
    }

    #[test]
    fn usernames_are_lowercased_and_limited_to_safe_characters() {
        assert_eq!(parse_username("Jxj-Head").unwrap(), "jxj-head");
        assert_eq!(parse_username("ab"), Err(OrgError::BadUsername));
        assert_eq!(parse_username("a b c"), Err(OrgError::BadUsername));
    }
}

/// Whether a dated assignment (a portfolio, a membership) holds on `day`: from `from` on,
/// up to and including `to` when there is an end.
pub fn valid_on(
    from: jiff::civil::Date,
    to: Option<jiff::civil::Date>,
    day: jiff::civil::Date,
) -> bool {
    from <= day && to.is_none_or(|to| day <= to)
}

/// Checks that a dated interval does not end before it starts.
pub fn parse_interval(
    from: jiff::civil::Date,
    to: Option<jiff::civil::Date>,
) -> Result<(jiff::civil::Date, Option<jiff::civil::Date>), OrgError> {
    match to {
        Some(to) if to < from => Err(OrgError::EndsBeforeStart),
        _ => Ok((from, to)),
    }
}

#[cfg(test)]
mod interval_tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_portfolio_holds_from_its_first_to_its_last_day_inclusive() {
        let (from, to) = (date(2025, 1, 1), Some(date(2026, 3, 31)));
        assert!(!valid_on(from, to, date(2024, 12, 31)));
        assert!(valid_on(from, to, date(2025, 1, 1)));
        assert!(valid_on(from, to, date(2026, 3, 31)));
        assert!(!valid_on(from, to, date(2026, 4, 1)));
        assert!(valid_on(from, None, date(2099, 1, 1)));
    }

    #[test]
    fn an_interval_may_not_end_before_it_starts() {
        assert_eq!(
            parse_interval(date(2026, 2, 1), Some(date(2026, 1, 31))),
            Err(OrgError::EndsBeforeStart)
        );
        assert!(parse_interval(date(2026, 2, 1), Some(date(2026, 2, 1))).is_ok());
    }
}
