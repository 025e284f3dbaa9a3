//! The territorial duty list (属地管理事项责任清单): for each matter, the field it belongs to,
//! what the town (块) is responsible for, what the department (条) is responsible for, which
//! department, the legal basis and the dates it is valid. Pure rules: checking an entry,
//! searching by any Chinese words, and proposing the entries (and so the responsible unit) a
//! case's text is about.

use crate::lists::names::fold;
use crate::org::UnitId;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

crate::lists::id_newtype!(
    /// An entry of the duty list.
    DutyId,
);

/// Longest matter name (characters).
pub const MAX_MATTER: usize = 100;
/// Longest field, department name (characters).
pub const MAX_SHORT: usize = 60;
/// Longest duty text or legal basis (characters).
pub const MAX_TEXT: usize = 2000;

/// An entry as written (department by name, as in a sheet or a form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyText {
    pub matter: String,
    pub field: String,
    pub town_duty: String,
    pub department_duty: String,
    pub department: String,
    pub legal_basis: String,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
}

/// A column (and form field) of the duty list, in the order the sheet writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyColumn {
    Matter,
    Field,
    TownDuty,
    DepartmentDuty,
    Department,
    LegalBasis,
    ValidFrom,
    ValidTo,
}

impl DutyColumn {
    pub const ALL: [DutyColumn; 8] = [
        DutyColumn::Matter,
        DutyColumn::Field,
        DutyColumn::TownDuty,
        DutyColumn::DepartmentDuty,
        DutyColumn::Department,
        DutyColumn::LegalBasis,
        DutyColumn::ValidFrom,
        DutyColumn::ValidTo,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DutyColumn::Matter => "matter",
            DutyColumn::Field => "field",
            DutyColumn::TownDuty => "town_duty",
            DutyColumn::DepartmentDuty => "department_duty",
            DutyColumn::Department => "department",
            DutyColumn::LegalBasis => "legal_basis",
            DutyColumn::ValidFrom => "valid_from",
            DutyColumn::ValidTo => "valid_to",
        }
    }

    /// The header as the sheet writes it.
    pub fn label_zh(self) -> &'static str {
        match self {
            DutyColumn::Matter => "事项名称",
            DutyColumn::Field => "所属领域",
            DutyColumn::TownDuty => "镇街职责",
            DutyColumn::DepartmentDuty => "部门职责",
            DutyColumn::Department => "责任部门",
            DutyColumn::LegalBasis => "法律依据",
            DutyColumn::ValidFrom => "生效日期",
            DutyColumn::ValidTo => "失效日期",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            DutyColumn::Matter => "matter",
            DutyColumn::Field => "field",
            DutyColumn::TownDuty => "town's duty",
            DutyColumn::DepartmentDuty => "department's duty",
            DutyColumn::Department => "department",
            DutyColumn::LegalBasis => "legal basis",
            DutyColumn::ValidFrom => "valid from",
            DutyColumn::ValidTo => "valid to",
        }
    }

    /// Recognises a header as people write it (事项, 事项名称, 主管部门 …).
    pub fn recognise(header: &str) -> Option<DutyColumn> {
        let h = fold(header);
        Some(match h.as_str() {
            "事项" | "事项名称" | "属地管理事项" | "matter" => DutyColumn::Matter,
            "领域" | "所属领域" | "行业领域" | "field" => DutyColumn::Field,
            "镇街职责" | "乡镇(街道)职责" | "属地职责" | "镇街责任" | "town_duty" => {
                DutyColumn::TownDuty
            }
            "部门职责" | "职能部门职责" | "部门责任" | "department_duty" => {
                DutyColumn::DepartmentDuty
            }
            "责任部门" | "主管部门" | "职能部门" | "牵头部门" | "department" => {
                DutyColumn::Department
            }
            "法律依据" | "依据" | "设定依据" | "legal_basis" => DutyColumn::LegalBasis,
            "生效日期" | "起始日期" | "valid_from" => DutyColumn::ValidFrom,
            "失效日期" | "截止日期" | "valid_to" => DutyColumn::ValidTo,
            _ => return None,
        })
    }
}

/// What is wrong with one value of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyProblem {
    Required,
    TooLong,
    EndsBeforeStart,
}

impl DutyProblem {
    pub fn code(self) -> &'static str {
        match self {
            DutyProblem::Required => "required",
            DutyProblem::TooLong => "too_long",
            DutyProblem::EndsBeforeStart => "duty_ends_before_start",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            DutyProblem::Required => "必填",
            DutyProblem::TooLong => "内容过长",
            DutyProblem::EndsBeforeStart => "失效日期早于生效日期",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            DutyProblem::Required => "is required",
            DutyProblem::TooLong => "is too long",
            DutyProblem::EndsBeforeStart => "the end date is before the start date",
        }
    }
}

/// Every problem of an entry, by column (the department's name is checked against the
/// organisation by the caller). Texts are expected trimmed.
pub fn check(d: &DutyText) -> Vec<(DutyColumn, DutyProblem)> {
    let mut out = Vec::new();
    let mut len = |col: DutyColumn, text: &str, max: usize, required: bool| {
        if required && text.trim().is_empty() {
            out.push((col, DutyProblem::Required));
        } else if text.chars().count() > max {
            out.push((col, DutyProblem::TooLong));
        }
    };
    len(DutyColumn::Matter, &d.matter, MAX_MATTER, true);
    len(DutyColumn::Field, &d.field, MAX_SHORT, false);
    len(DutyColumn::TownDuty, &d.town_duty, MAX_TEXT, false);
    len(
        DutyColumn::DepartmentDuty,
        &d.department_duty,
        MAX_TEXT,
        false,
    );
    len(DutyColumn::Department, &d.department, MAX_SHORT, true);
    len(DutyColumn::LegalBasis, &d.legal_basis, MAX_TEXT, false);
    if let (Some(a), Some(b)) = (d.valid_from, d.valid_to)
        && b < a
    {
        out.push((DutyColumn::ValidTo, DutyProblem::EndsBeforeStart));
    }
    out
}

/// Whether an entry applies on `day`.
pub fn valid_on(from: Option<Date>, to: Option<Date>, day: Date) -> bool {
    from.is_none_or(|f| f <= day) && to.is_none_or(|t| day <= t)
}

/// Adjacent character pairs of the Chinese (and other non-space) text, the unit of matching:
/// Chinese is written without spaces, so "油烟扰民" is found by "餐饮油烟" through 油烟.
fn bigrams(text: &str) -> BTreeSet<(char, char)> {
    let chars: Vec<char> = fold(text)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Whether `texts` match a search: every word of the query (split at spaces and punctuation)
/// occurs in them, or — for a word of three or more characters — at least two thirds of its
/// character pairs do. An empty query matches everything.
pub fn matches_query(texts: &[&str], query: &str) -> bool {
    let hay: String = texts
        .iter()
        .map(|t| fold(t).to_lowercase())
        .collect::<Vec<_>>()
        .join("\n");
    let pairs = bigrams(&hay);
    query
        .split(|c: char| {
            c.is_whitespace() || (c.is_ascii_punctuation()) || "，。、；：".contains(c)
        })
        .filter(|w| !w.is_empty())
        .all(|w| {
            let w = fold(w).to_lowercase();
            if hay.contains(&w) {
                return true;
            }
            let want = bigrams(&w);
            if want.len() < 2 {
                return false;
            }
            let found = want.iter().filter(|p| pairs.contains(p)).count();
            found * 3 >= want.len() * 2
        })
}

/// How well a case's text is about an entry's matter: the share (0–1) of the matter's
/// character pairs found in the text.
pub fn relevance(matter: &str, case_text: &str) -> f64 {
    let want = bigrams(matter);
    if want.is_empty() {
        return 0.0;
    }
    let have = bigrams(case_text);
    let found = want.iter().filter(|p| have.contains(p)).count();
    found as f64 / want.len() as f64
}

/// The least [`relevance`] for an entry to be proposed.
pub const PROPOSE_AT: f64 = 0.5;

/// An entry as matching sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct DutyEntry {
    pub id: DutyId,
    pub matter: String,
    pub field: String,
    pub department: Option<UnitId>,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
}

/// The entries valid on `day` a case's text is about, the best first (ties by id), and the
/// department they propose: the first entry's, when the entries above the threshold do not
/// name different departments at the top score.
pub fn propose<'a>(
    entries: &'a [DutyEntry],
    case_text: &str,
    day: Date,
) -> (Vec<(&'a DutyEntry, f64)>, Option<UnitId>) {
    let mut hits: Vec<(&DutyEntry, f64)> = entries
        .iter()
        .filter(|e| valid_on(e.valid_from, e.valid_to, day))
        .map(|e| {
            // A matter named in full counts most; its field helps break ties.
            let score = relevance(&e.matter, case_text) + 0.1 * relevance(&e.field, case_text);
            (e, score)
        })
        .filter(|(e, _)| relevance(&e.matter, case_text) >= PROPOSE_AT)
        .collect();
    hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.id.cmp(&b.0.id)));
    let unit = hits.first().and_then(|(top, score)| {
        let rivals = hits
            .iter()
            .take_while(|(_, s)| (s - score).abs() < 1e-9)
            .filter(|(e, _)| e.department != top.department)
            .count();
        (rivals == 0).then_some(top.department).flatten()
    });
    (hits, unit)
}

/// Whether approving a unit's request to return a case goes against the list: an entry the
/// case is about names that very unit as responsible.
pub fn return_contradicts(proposed: &[(&DutyEntry, f64)], returning: UnitId) -> bool {
    proposed
        .iter()
        .any(|(e, _)| e.department == Some(returning))
}

#[cfg(test)]
mod tests;
