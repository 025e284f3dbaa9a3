//! What an amendment changed: the fields of two versions' content that differ, each with its
//! old and new value as text, in the order of the form.

use super::CommitmentContent;
use serde::Serialize;

/// One changed field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The field's name (`title`, `deadline`, `task_ids` …), also its catalog key suffix.
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

fn ids(v: &[i64]) -> String {
    v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

fn number(v: Option<f64>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

/// The fields that differ from `old` to `new`; empty when nothing changed.
pub fn diff(old: &CommitmentContent, new: &CommitmentContent) -> Vec<FieldChange> {
    let pairs: [(&'static str, String, String); 8] = [
        ("title", old.title.clone(), new.title.clone()),
        ("content", old.content.clone(), new.content.clone()),
        (
            "target_text",
            old.target_text.clone(),
            new.target_text.clone(),
        ),
        (
            "target_value",
            number(old.target_value),
            number(new.target_value),
        ),
        (
            "target_unit",
            old.target_unit.clone(),
            new.target_unit.clone(),
        ),
        (
            "deadline",
            old.deadline.to_string(),
            new.deadline.to_string(),
        ),
        ("task_ids", ids(&old.task_ids), ids(&new.task_ids)),
        (
            "supervisor_ids",
            ids(&old.supervisor_ids),
            ids(&new.supervisor_ids),
        ),
    ];
    pairs
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(field, before, after)| FieldChange {
            field,
            before,
            after,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn v1() -> CommitmentContent {
        CommitmentContent {
            title: "新增规上企业".into(),
            content: "培育".into(),
            target_text: "30 家".into(),
            target_value: Some(30.0),
            target_unit: "家".into(),
            deadline: date(2026, 9, 30),
            task_ids: vec![1, 2],
            supervisor_ids: vec![7],
        }
    }

    #[test]
    fn an_amendment_shows_exactly_the_fields_it_changed() {
        let v2 = CommitmentContent {
            deadline: date(2026, 12, 31),
            target_value: Some(25.0),
            task_ids: vec![1, 2, 5],
            ..v1()
        };
        let d = diff(&v1(), &v2);
        assert_eq!(
            d,
            vec![
                FieldChange {
                    field: "target_value",
                    before: "30".into(),
                    after: "25".into()
                },
                FieldChange {
                    field: "deadline",
                    before: "2026-09-30".into(),
                    after: "2026-12-31".into()
                },
                FieldChange {
                    field: "task_ids",
                    before: "1, 2".into(),
                    after: "1, 2, 5".into()
                },
            ]
        );
    }

    #[test]
    fn equal_content_has_no_changes_and_a_removed_number_shows_as_empty() {
        assert!(diff(&v1(), &v1()).is_empty());
        let v2 = CommitmentContent {
            target_value: None,
            ..v1()
        };
        assert_eq!(diff(&v1(), &v2)[0].after, "");
    }
}
