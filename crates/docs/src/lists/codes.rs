//! Hierarchical codes (序号) and the dotted paths they give ("1", "1.1", "1.1.2").
//!
//! Dotted codes (1, 1.1, 1-1, 1．1) are the path. When a sheet uses markers instead (一、 （一）
//! 1、 1） （1） ①), each marker style is one level, in the order the styles first appear; a row's
//! parent is the nearest earlier row of a lower level, and its number is its ordinal among its
//! siblings (the written number is not trusted). In such a sheet a dotted code of depth n is a
//! style of its own. A row without a readable code is the next top-level row.

use super::columns::small_cn_number;
use duban_core::lists::names::fold;
use std::collections::HashMap;

/// What a 序号 cell says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Code {
    Empty,
    Dotted(Vec<u32>),
    Marker(Style),
    Unreadable,
}

/// A marker style; its level in the sheet is decided by first appearance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Style {
    /// 一、
    CnComma,
    /// （一）
    CnParen,
    /// 1、
    ArabicComma,
    /// 1）
    ArabicHalfParen,
    /// （1）
    ArabicParen,
    /// ①
    Circled,
    /// 1.1 in a sheet that also uses markers (the depth).
    Dotted(usize),
}

pub(crate) fn parse_code(text: &str) -> Code {
    let s = fold(text);
    if s.is_empty() {
        return Code::Empty;
    }
    if let Some(code) = whole_code(&s) {
        return code;
    }
    // A marker followed by text: "一、产业发展".
    s.char_indices()
        .filter(|&(_, c)| matches!(c, '、' | ')'))
        .find_map(|(i, c)| whole_code(&s[..i + c.len_utf8()]))
        .filter(|c| matches!(c, Code::Marker(_)))
        .unwrap_or(Code::Unreadable)
}

fn whole_code(s: &str) -> Option<Code> {
    let is_num = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    let is_cn = |t: &str| small_cn_number(t).is_some();
    let dotted = s.strip_suffix('.').unwrap_or(s);
    if !dotted.is_empty()
        && dotted
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        let parts: Option<Vec<u32>> = dotted.split(['.', '-']).map(|p| p.parse().ok()).collect();
        return parts.map(Code::Dotted);
    }
    if let Some(n) = s.strip_suffix('、').or_else(|| s.strip_suffix('.')) {
        if is_num(n) {
            return Some(Code::Marker(Style::ArabicComma));
        }
        if is_cn(n) {
            return Some(Code::Marker(Style::CnComma));
        }
    }
    if let Some(inner) = s.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        if is_num(inner) {
            return Some(Code::Marker(Style::ArabicParen));
        }
        if is_cn(inner) {
            return Some(Code::Marker(Style::CnParen));
        }
    }
    if let Some(n) = s.strip_suffix(')') {
        if is_num(n) {
            return Some(Code::Marker(Style::ArabicHalfParen));
        }
        if is_cn(n) {
            return Some(Code::Marker(Style::CnParen));
        }
    }
    let mut chars = s.chars();
    if let (Some('\u{2460}'..='\u{2473}'), None) = (chars.next(), chars.next()) {
        return Some(Code::Marker(Style::Circled));
    }
    None
}

/// A row's place in the decomposition tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    pub path: String,
    pub parent: Option<String>,
}

/// The paths of all rows of a sheet, in order.
pub(crate) fn number_rows(codes: &[Code]) -> Vec<Place> {
    if codes.iter().any(|c| matches!(c, Code::Marker(_))) {
        number_by_markers(codes)
    } else {
        number_dotted(codes)
    }
}

fn number_dotted(codes: &[Code]) -> Vec<Place> {
    let mut top = 0;
    codes
        .iter()
        .map(|code| {
            let parts = match code {
                Code::Dotted(parts) if !parts.is_empty() => parts.clone(),
                _ => vec![top + 1],
            };
            top = top.max(parts[0]);
            let join = |p: &[u32]| p.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
            Place {
                path: join(&parts),
                parent: (parts.len() > 1).then(|| join(&parts[..parts.len() - 1])),
            }
        })
        .collect()
}

fn number_by_markers(codes: &[Code]) -> Vec<Place> {
    let mut levels: HashMap<Style, usize> = HashMap::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut counts: HashMap<Option<String>, u32> = HashMap::new();
    codes
        .iter()
        .map(|code| {
            let style = match code {
                Code::Marker(s) => Some(*s),
                Code::Dotted(parts) => Some(Style::Dotted(parts.len())),
                Code::Empty | Code::Unreadable => None,
            };
            let level = match style {
                Some(s) => {
                    let next = levels.len() + 1;
                    *levels.entry(s).or_insert(next)
                }
                None => 1,
            };
            while stack.last().is_some_and(|(l, _)| *l >= level) {
                stack.pop();
            }
            let parent = stack.last().map(|(_, p)| p.clone());
            let n = counts.entry(parent.clone()).or_default();
            *n += 1;
            let path = match &parent {
                Some(p) => format!("{p}.{n}"),
                None => n.to_string(),
            };
            stack.push((level, path.clone()));
            Place { path, parent }
        })
        .collect()
}

#[cfg(test)]
mod tests;
