//! Who is responsible, from the unit and section columns.
//!
//! Rules: a 牵头单位 cell listing several units leads with the first; the others join the
//! co-units. Without a 牵头单位 column the first unit of 责任单位 is the lead; with one, 责任单位
//! lists co-units. Names are split with `names::split_names`, except inside brackets
//! (各镇（街道、区） is one name). A 责任科室/责任人 cell "项目科/王某" is section and person.

use duban_core::lists::names::split_names;

/// Lead unit and co-units from 牵头单位 (when the column exists), 配合单位 and 责任单位.
pub(crate) fn units(lead: Option<&str>, co: &str, responsible: &str) -> (String, Vec<String>) {
    let mut names = match lead {
        Some(lead) => {
            let mut names = split_units(lead);
            if names.is_empty() {
                names.push(String::new());
            }
            names.extend(split_units(co));
            names.extend(split_units(responsible));
            names
        }
        None => {
            let mut names = split_units(responsible);
            if names.is_empty() {
                names.push(String::new());
            }
            names.extend(split_units(co));
            names
        }
    };
    let lead = names.remove(0);
    let mut co_units: Vec<String> = Vec::new();
    for n in names {
        if n != lead && !co_units.contains(&n) {
            co_units.push(n);
        }
    }
    (lead, co_units)
}

const SEPARATORS: [char; 10] = ['、', '，', ',', '；', ';', '/', '／', ' ', '\u{3000}', '\n'];

/// `split_names`, except that separators inside brackets belong to the name: 各镇（街道、区）.
pub(crate) fn split_units(text: &str) -> Vec<String> {
    let mut depth = 0usize;
    let protected: String = text
        .chars()
        .map(|c| {
            match c {
                '(' | '（' => depth += 1,
                ')' | '）' => depth = depth.saturating_sub(1),
                _ => {}
            }
            match SEPARATORS.iter().position(|s| *s == c) {
                Some(i) if depth > 0 => char::from_u32(0xE000 + i as u32).unwrap_or(c),
                _ => c,
            }
        })
        .collect();
    split_names(&protected)
        .into_iter()
        .map(|name| {
            name.chars()
                .map(|c| match (c as u32).checked_sub(0xE000) {
                    Some(i) if (i as usize) < SEPARATORS.len() => SEPARATORS[i as usize],
                    _ => c,
                })
                .collect()
        })
        .collect()
}

/// "项目科/王某" → (项目科, 王某). One word alone is a section when it ends like one.
pub(crate) fn split_section_person(text: &str) -> (String, String) {
    let text = text.trim();
    if let Some((section, person)) = text.split_once(['/', '／', '\n', ' ', '、', '，', ',']) {
        return (section.trim().to_string(), person.trim().to_string());
    }
    if text.ends_with(['科', '室', '处', '股', '办', '所', '队']) || text.ends_with("中心")
    {
        (text.to_string(), String::new())
    } else {
        (String::new(), text.to_string())
    }
}

#[cfg(test)]
mod tests;
