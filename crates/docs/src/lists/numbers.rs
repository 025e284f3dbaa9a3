//! Numbers written as text ("80%", "８０％", "1,000", "1.6亿元") and quantified indicators.
//!
//! Indicators come from a 量化指标 cell (one per line or per ；: "投资：5亿元", "开工小区 12个",
//! "95%"). Without that column they are guessed from the target text: every number followed by a
//! known unit is a figure, named by the words just before it, with leading verbs and time words
//! (完成, 新增, 年底前 …) dropped unless nothing else is left — "完成投资5亿元" → 投资 5 亿元,
//! "开工改造12个小区" → 开工改造 12 个.

use duban_core::lists::Indicator;

/// Full-width ASCII folded to half-width (Ｑ１ → Q1, ％ → %, ： → :), spaces kept.
pub(crate) fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// A number at the start of the text and the unit after it: "1.6亿元" → (1.6, "亿元"),
/// "８０％" → (80, "%"), "1,000" → (1000, ""). `None` when the text does not start with a number
/// or more text with digits follows.
pub fn parse_number(text: &str) -> Option<(f64, String)> {
    let s = half_width(text);
    let s = s.trim();
    let (value, len) = leading_number(s)?;
    let unit = s[len..].trim();
    if unit.chars().any(|c| c.is_ascii_digit()) || unit.chars().count() > 8 {
        return None;
    }
    Some((value, unit.to_string()))
}

/// How a number is written back: no trailing ".0", no exponent for ordinary values.
pub fn format_number(value: f64) -> String {
    format!("{value}")
}

/// "投资：5亿元", or "12个" for an unnamed indicator.
pub fn format_indicator(ind: &Indicator) -> String {
    if ind.name.is_empty() {
        format!("{}{}", format_number(ind.target), ind.unit)
    } else {
        format!("{}：{}{}", ind.name, format_number(ind.target), ind.unit)
    }
}

/// The number at the start of `s` (sign, thousands commas, decimals) and its length in bytes.
fn leading_number(s: &str) -> Option<(f64, usize)> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut digits = String::new();
    if matches!(b.first(), Some(b'-' | b'+')) {
        digits.push(b[0] as char);
        i = 1;
    }
    let start = i;
    while i < b.len() {
        match b[i] {
            d @ b'0'..=b'9' => digits.push(d as char),
            // A thousands separator: exactly three digits follow, then no digit.
            b',' if i > start
                && b.len() >= i + 4
                && b[i + 1..i + 4].iter().all(u8::is_ascii_digit)
                && !b.get(i + 4).is_some_and(u8::is_ascii_digit) => {}
            b'.' if !digits.contains('.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                digits.push('.');
            }
            _ => break,
        }
        i += 1;
    }
    if i == start {
        return None;
    }
    digits.parse().ok().map(|v| (v, i))
}

/// Reads a 量化指标 cell: indicators, and the items that could not be read.
pub fn parse_indicator_list(text: &str) -> (Vec<Indicator>, Vec<String>) {
    let mut found = Vec::new();
    let mut bad = Vec::new();
    for item in half_width(text).split(['\n', ';']) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        match parse_indicator(item) {
            Some(ind) => found.push(ind),
            None => bad.push(item.to_string()),
        }
    }
    (found, bad)
}

fn parse_indicator(item: &str) -> Option<Indicator> {
    let indicator = |name: &str, (target, unit): (f64, String)| Indicator {
        name: name.trim().to_string(),
        target,
        unit,
    };
    if let Some((name, rest)) = item.rsplit_once([':', '=']) {
        return parse_number(rest).map(|n| indicator(name, n));
    }
    // The number is the first one after which no other digit follows: "5G基站 100个".
    item.char_indices()
        .filter(|&(i, c)| c.is_ascii_digit() && !ends_in_number(&item[..i]))
        .find_map(|(i, _)| parse_number(&item[i..]).map(|n| indicator(&item[..i], n)))
}

fn ends_in_number(s: &str) -> bool {
    s.ends_with(|c: char| c.is_ascii_digit() || c == '.' || c == '-' || c == '+')
}

/// Units a figure in free text must carry to count as an indicator, longest first.
const UNITS: [&str; 46] = [
    "个百分点",
    "万平方米",
    "平方公里",
    "万千瓦",
    "万人次",
    "平方米",
    "万标箱",
    "亿元",
    "万元",
    "万亩",
    "万吨",
    "万人",
    "万户",
    "公顷",
    "公里",
    "千米",
    "千瓦",
    "兆瓦",
    "人次",
    "亿",
    "元",
    "亩",
    "个",
    "家",
    "户",
    "人",
    "项",
    "座",
    "米",
    "套",
    "栋",
    "幢",
    "吨",
    "辆",
    "所",
    "条",
    "场",
    "次",
    "件",
    "处",
    "间",
    "台",
    "批",
    "支",
    "%",
    "‰",
];

/// Words dropped from the front of a figure's name (verbs, time words), in any order.
const LEADING_FILLERS: [&str; 26] = [
    "年底前",
    "年内",
    "全年",
    "年度",
    "上半年",
    "下半年",
    "力争",
    "确保",
    "累计",
    "完成",
    "实现",
    "新增",
    "达到",
    "开工",
    "改造",
    "新建",
    "建成",
    "引进",
    "培育",
    "签约",
    "争取",
    "提升",
    "推进",
    "启动",
    "打造",
    "实施",
];
/// Words dropped from the end of a figure's name: "投资累计2亿元" → 投资.
const TRAILING_FILLERS: [&str; 10] = [
    "累计",
    "达到",
    "完成",
    "不少于",
    "不低于",
    "超过",
    "达",
    "约",
    "共",
    "计",
];

/// A number with a known unit found in free text, named by the words before it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Figure {
    pub name: String,
    pub value: f64,
    pub unit: String,
}

/// Every "number + known unit" in the text, in order.
pub(crate) fn figures(text: &str) -> Vec<Figure> {
    let s = half_width(text);
    let mut out = Vec::new();
    let mut name_start = 0;
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        let starts_number =
            rest.starts_with(|c: char| c.is_ascii_digit()) && !ends_in_number(&s[..i]);
        if let Some((value, len)) = starts_number.then(|| leading_number(rest)).flatten() {
            let after = &rest[len..];
            let unit = UNITS.iter().find(|u| after.trim_start().starts_with(*u));
            if let Some(unit) = unit {
                out.push(Figure {
                    name: figure_name(&s[name_start..i]),
                    value,
                    unit: (*unit).to_string(),
                });
                let end = i + len + (after.len() - after.trim_start().len()) + unit.len();
                name_start = end;
                i = end;
                continue;
            }
            i += len;
            continue;
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// The words right before a figure: back to the last punctuation or digit, at most 10
/// characters, fillers dropped unless nothing else is left.
fn figure_name(before: &str) -> String {
    let segment: String = before
        .chars()
        .rev()
        .take_while(|c| !c.is_ascii_digit() && !c.is_whitespace() && !is_separator(*c))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let segment: String = {
        let n = segment.chars().count();
        segment.chars().skip(n.saturating_sub(10)).collect()
    };
    let mut name = segment.as_str();
    loop {
        let before = name;
        for f in LEADING_FILLERS {
            name = name.strip_prefix(f).unwrap_or(name);
        }
        for f in TRAILING_FILLERS {
            name = name.strip_suffix(f).unwrap_or(name);
        }
        if name == before {
            break;
        }
    }
    if name.is_empty() {
        segment
    } else {
        name.to_string()
    }
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        ',' | '，'
            | '。'
            | ';'
            | '；'
            | '、'
            | ':'
            | '：'
            | '('
            | ')'
            | '（'
            | '）'
            | '!'
            | '?'
            | '“'
            | '”'
            | '"'
            | '='
            | '%'
    )
}

/// Indicators guessed from a target text (年度目标 or 目标内容).
pub(crate) fn extract_indicators(text: &str) -> Vec<Indicator> {
    figures(text)
        .into_iter()
        .map(|f| Indicator {
            name: f.name,
            target: f.value,
            unit: f.unit,
        })
        .collect()
}

/// For each indicator, the figure in `text` that sets its value: same unit, and the same name
/// when several figures or indicators share the unit.
pub(crate) fn values_in_text(indicators: &[Indicator], text: &str) -> Vec<Option<f64>> {
    let figs = figures(text);
    let mut used = vec![false; figs.len()];
    indicators
        .iter()
        .map(|ind| {
            let same_unit: Vec<usize> = (0..figs.len())
                .filter(|&k| !used[k] && figs[k].unit == ind.unit)
                .collect();
            let named = same_unit.iter().copied().find(|&k| {
                !ind.name.is_empty()
                    && (figs[k].name.contains(&ind.name) || ind.name.contains(&figs[k].name))
                    && !figs[k].name.is_empty()
            });
            let sharing = indicators.iter().filter(|i| i.unit == ind.unit).count();
            let pick = named.or_else(|| same_unit.first().copied().filter(|_| sharing == 1));
            pick.map(|k| {
                used[k] = true;
                figs[k].value
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
