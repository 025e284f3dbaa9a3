//! Commitments (承诺, "双承诺", DOMAIN §2.5) and livelihood projects (民生实事, §2.7): what a
//! commitment says ([`CommitmentContent`]), its lifecycle and that of its versions
//! ([`state`]), what changed between two versions ([`diff`]), how fulfilment is read from the
//! linked tasks ([`fulfilment`]), how the year-end evaluation concludes ([`evaluation`]) and
//! the deputies' satisfaction votes on livelihood projects ([`livelihood`]).
//!
//! A signed version is never changed: an amendment is a new version. What was signed is
//! rendered once, as canonical JSON ([`canonical_json`]), and that text goes both into the
//! ledger and onto the page, so the two can be compared byte for byte.

pub mod diff;
pub mod evaluation;
pub mod fulfilment;
pub mod livelihood;
pub mod state;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

crate::lists::id_newtype!(
    /// A commitment (承诺): one committer's pledge, with one or more versions.
    CommitmentId,
    /// One version of a commitment's content; signed versions are immutable.
    VersionId,
    /// A livelihood project (民生实事).
    ProjectId,
);

/// What a commitment says: the part a committer signs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitmentContent {
    /// 承诺事项 — the short title.
    pub title: String,
    /// The commitment in full: measures, what will be delivered.
    pub content: String,
    /// 量化目标 — the quantified target, in words (`新增规上工业企业 30 家`).
    pub target_text: String,
    /// The target as a number, when it has one (`30`), with its unit (`家`).
    pub target_value: Option<f64>,
    pub target_unit: String,
    /// 完成时限.
    pub deadline: Date,
    /// The tasks of the four lists whose progress shows the fulfilment.
    pub task_ids: Vec<i64>,
    /// 监督人 — deputies and CPPCC members named to supervise it.
    pub supervisor_ids: Vec<i64>,
}

/// Why content cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    #[error("{field} is empty")]
    Empty { field: &'static str },
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("the target value must be a finite number")]
    BadNumber,
    #[error("a commitment needs at least one linked task")]
    NoTasks,
}

impl CommitmentContent {
    /// Checks lengths and required fields; returns every problem at once. Task ids and
    /// supervisors are sorted and deduplicated, so equal content compares equal.
    pub fn check(mut self) -> Result<CommitmentContent, Vec<ContentError>> {
        let mut problems = Vec::new();
        for (field, value, max, required) in [
            ("title", &mut self.title, 200, true),
            ("content", &mut self.content, 5000, true),
            ("target_text", &mut self.target_text, 500, true),
            ("target_unit", &mut self.target_unit, 20, false),
        ] {
            *value = value.trim().to_string();
            if required && value.is_empty() {
                problems.push(ContentError::Empty { field });
            } else if value.chars().count() > max {
                problems.push(ContentError::TooLong { field, max });
            }
        }
        if self.target_value.is_some_and(|v| !v.is_finite()) {
            problems.push(ContentError::BadNumber);
        }
        self.task_ids.sort_unstable();
        self.task_ids.dedup();
        self.supervisor_ids.sort_unstable();
        self.supervisor_ids.dedup();
        if self.task_ids.is_empty() {
            problems.push(ContentError::NoTasks);
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }
}

/// JSON with object keys sorted and no insignificant white space: one text for one value,
/// whatever map order the serializer keeps. Numbers and strings are written by `serde_json`.
pub fn canonical_json(v: &serde_json::Value) -> String {
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

fn write_canonical(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(&map[k], out);
            }
            out.push('}');
        }
        serde_json::Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The SHA-256 of a signed text, hex: stored beside the signed version.
pub fn content_hash(signed_json: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(signed_json.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn content() -> CommitmentContent {
        CommitmentContent {
            title: " 新增规上工业企业 ".into(),
            content: "培育小升规".into(),
            target_text: "新增 30 家".into(),
            target_value: Some(30.0),
            target_unit: "家".into(),
            deadline: date(2026, 12, 31),
            task_ids: vec![3, 1, 3],
            supervisor_ids: vec![9, 8],
        }
    }

    #[test]
    fn content_is_trimmed_and_its_links_sorted_and_deduplicated() {
        let c = content().check().unwrap();
        assert_eq!(c.title, "新增规上工业企业");
        assert_eq!(c.task_ids, vec![1, 3]);
        assert_eq!(c.supervisor_ids, vec![8, 9]);
    }

    #[test]
    fn content_without_title_target_or_tasks_is_refused_with_every_problem() {
        let c = CommitmentContent {
            title: " ".into(),
            target_text: String::new(),
            task_ids: vec![],
            target_value: Some(f64::NAN),
            ..content()
        };
        let problems = c.check().unwrap_err();
        assert_eq!(
            problems,
            vec![
                ContentError::Empty { field: "title" },
                ContentError::Empty {
                    field: "target_text"
                },
                ContentError::BadNumber,
                ContentError::NoTasks,
            ]
        );
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level_and_has_no_spaces() {
        let v = serde_json::json!({"b": 1, "a": {"z": [1, {"y": "认", "x": null}], "c": 2.5}});
        assert_eq!(
            canonical_json(&v),
            r#"{"a":{"c":2.5,"z":[1,{"x":null,"y":"认"}]},"b":1}"#
        );
    }

    #[test]
    fn the_hash_of_a_signed_text_is_its_sha256() {
        assert_eq!(
            content_hash(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
