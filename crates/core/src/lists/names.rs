//! Matching unit and leader names as people write them in sheets.
//!
//! 市经济和信息化局, 市经信局 and 经信局 are one unit; 张某某副市长, 张某某 and 张副市长 one leader.
//! Every unit and person gets alias keys (generated from name, short name and title, plus the
//! aliases an admin adds); a written name is normalised the same way and looked up. A key that
//! belongs to two ids is ambiguous and reported, never guessed.

use std::collections::HashMap;

/// Titles written after (or before) a leader's name.
const TITLES: [&str; 16] = [
    "常务副市长",
    "市委副书记",
    "市委书记",
    "副市长",
    "市长",
    "副书记",
    "书记",
    "副主任",
    "主任",
    "副部长",
    "部长",
    "副局长",
    "局长",
    "主席",
    "组长",
    "同志",
];

/// Canonical form for comparing names: no whitespace, full-width ASCII and brackets folded.
pub fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The key a written unit name is looked up by: folded, without a leading 市 or 永康市 ("city")
/// prefix — the city is implied in its own lists.
pub fn unit_key(text: &str, city: &str) -> String {
    let f = fold(text);
    let f = f.strip_prefix(city).unwrap_or(&f);
    let f = f.strip_prefix('市').unwrap_or(f);
    f.to_string()
}

/// The unit name closest to one that matched nothing, to suggest ("did you mean …?"): compared
/// by their lookup keys, character by character (Levenshtein, normalised to 0–1), and only
/// when at least half of it agrees. `candidates` are the units' names as people read them.
pub fn closest_unit<'a>(written: &str, candidates: &[&'a str], city: &str) -> Option<&'a str> {
    let key = unit_key(written, city);
    if key.is_empty() {
        return None;
    }
    candidates
        .iter()
        .map(|c| (*c, strsim::normalized_levenshtein(&key, &unit_key(c, city))))
        .filter(|(_, score)| *score >= 0.5)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}

/// Alias keys generated for a unit from its full and short name.
pub fn unit_keys(name: &str, short_name: &str, city: &str) -> Vec<String> {
    let mut keys = vec![unit_key(name, city), unit_key(short_name, city)];
    keys.retain(|k| !k.is_empty());
    keys.dedup();
    keys
}

/// A written leader name without titles: 张某某副市长 → 张某某, 市长王某 → 王某.
pub fn strip_titles(text: &str) -> String {
    let mut s = fold(text);
    loop {
        let before = s.len();
        for t in TITLES {
            if let Some(rest) = s.strip_suffix(t) {
                s = rest.to_string();
            }
            if let Some(rest) = s.strip_prefix(t) {
                s = rest.to_string();
            }
        }
        if s.len() == before {
            return s;
        }
    }
}

/// Alias keys generated for a person: the name, and for people with a title the short form
/// "surname + title" (张副市长), which leaders are commonly called by.
pub fn person_keys(name: &str, title: &str) -> Vec<String> {
    let name = fold(name);
    let mut keys = vec![name.clone()];
    let title = fold(title);
    let Some(surname) = name.chars().next() else {
        return keys;
    };
    for t in TITLES {
        // 副市长 also ends with 市长; a vice-mayor is not "张市长".
        if title.ends_with(t) && !title.ends_with(&format!("副{t}")) {
            keys.push(format!("{surname}{t}"));
        }
    }
    keys
}

/// The key a written person name is looked up by: the name without titles, or — when the
/// text is a surname plus a title (张副市长) — that short form.
pub fn person_lookup_keys(text: &str) -> Vec<String> {
    let folded = fold(text);
    let stripped = strip_titles(&folded);
    let mut keys = vec![stripped.clone()];
    if stripped.chars().count() == 1 {
        keys.insert(0, folded);
    }
    keys
}

/// Splits a cell listing several units or people: 、 ， , ； ; / newlines and spaces.
pub fn split_names(text: &str) -> Vec<String> {
    text.split(|c: char| {
        matches!(c, '、' | '，' | ',' | '；' | ';' | '/' | '／' | '\n' | '\r') || c.is_whitespace()
    })
    .map(str::trim)
    .filter(|s| !s.is_empty())
    .map(str::to_string)
    .collect()
}

/// What a written name resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    One(i64),
    NotFound,
    Ambiguous(Vec<i64>),
}

/// Alias key → ids, built once per import.
#[derive(Debug, Default, Clone)]
pub struct NameIndex {
    keys: HashMap<String, Vec<i64>>,
}

impl NameIndex {
    pub fn insert(&mut self, key: String, id: i64) {
        let ids = self.keys.entry(key).or_default();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }

    /// Looks up the keys in order; the first key that matches anything decides.
    pub fn resolve(&self, keys: &[String]) -> Resolved {
        for k in keys {
            match self.keys.get(k).map(Vec::as_slice) {
                Some([id]) => return Resolved::One(*id),
                Some(ids) if !ids.is_empty() => {
                    let mut ids = ids.to_vec();
                    ids.sort_unstable();
                    return Resolved::Ambiguous(ids);
                }
                _ => {}
            }
        }
        Resolved::NotFound
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unmatched_unit_name_suggests_the_closest_one() {
        let units = ["市自然资源局", "市经信局", "东城街道", "西城街道"];
        // A character off, or a word short: the nearest name.
        assert_eq!(
            closest_unit("市自然资原局", &units, "永康市"),
            Some("市自然资源局")
        );
        assert_eq!(closest_unit("东城街", &units, "永康市"), Some("东城街道"));
        assert_eq!(
            closest_unit("永康市经信局局", &units, "永康市"),
            Some("市经信局")
        );
        // Nothing alike: no guess.
        assert_eq!(closest_unit("公安局", &units, "永康市"), None);
        assert_eq!(closest_unit("", &units, "永康市"), None);
    }

    fn units() -> NameIndex {
        let mut idx = NameIndex::default();
        for k in unit_keys("永康市经济和信息化局", "市经信局", "永康市") {
            idx.insert(k, 1);
        }
        for k in unit_keys("永康市自然资源和规划局", "市自然资源局", "永康市") {
            idx.insert(k, 2);
        }
        idx.insert(unit_key("资规局", "永康市"), 2);
        idx
    }

    #[test]
    fn a_unit_is_found_by_full_name_short_name_with_or_without_the_city_prefix() {
        let idx = units();
        for written in [
            "市经济和信息化局",
            "市经信局",
            "经信局",
            "永康市经信局",
            " 经信局 ",
            "经济和信息化局",
        ] {
            assert_eq!(
                idx.resolve(&[unit_key(written, "永康市")]),
                Resolved::One(1),
                "{written}"
            );
        }
        assert_eq!(
            idx.resolve(&[unit_key("资规局", "永康市")]),
            Resolved::One(2)
        );
        assert_eq!(
            idx.resolve(&[unit_key("市商务局", "永康市")]),
            Resolved::NotFound
        );
    }

    #[test]
    fn a_leader_is_found_with_or_without_title_and_by_surname_and_title() {
        let mut idx = NameIndex::default();
        for k in person_keys("张明华", "副市长") {
            idx.insert(k, 7);
        }
        for k in person_keys("王建国", "市委书记") {
            idx.insert(k, 8);
        }
        for written in [
            "张明华副市长",
            "张明华",
            "张副市长",
            "副市长张明华",
            "张明华 副市长",
        ] {
            assert_eq!(
                idx.resolve(&person_lookup_keys(written)),
                Resolved::One(7),
                "{written}"
            );
        }
        assert_eq!(idx.resolve(&person_lookup_keys("王书记")), Resolved::One(8));
        assert_eq!(
            idx.resolve(&person_lookup_keys("李副市长")),
            Resolved::NotFound
        );
    }

    #[test]
    fn two_vice_mayors_with_one_surname_make_the_short_form_ambiguous() {
        let mut idx = NameIndex::default();
        for (id, name) in [(7, "张明华"), (9, "张立")] {
            for k in person_keys(name, "副市长") {
                idx.insert(k, id);
            }
        }
        assert_eq!(
            idx.resolve(&person_lookup_keys("张副市长")),
            Resolved::Ambiguous(vec![7, 9])
        );
        assert_eq!(
            idx.resolve(&person_lookup_keys("张立副市长")),
            Resolved::One(9)
        );
    }

    #[test]
    fn unit_lists_split_on_every_separator_people_use() {
        assert_eq!(
            split_names(
                "市自然资源局、某街道，市财政局, 市住建局；市商务局;市税务局\n市公安局 市交通局"
            ),
            vec![
                "市自然资源局",
                "某街道",
                "市财政局",
                "市住建局",
                "市商务局",
                "市税务局",
                "市公安局",
                "市交通局"
            ]
        );
        assert!(split_names(" 、 ").is_empty());
    }

    #[test]
    fn full_width_letters_and_brackets_fold() {
        assert_eq!(fold("ＡＢ（一）"), "AB(一)");
    }
}
