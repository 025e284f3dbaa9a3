//! Full-text search, the pure part: what a query means (words that must all occur, each as a
//! substring, Chinese needing no spaces) and how a hit is shown (the matches marked, a short
//! snippet around the first one). Finding the hits is `store::search`; escaping for HTML is
//! the web layer's.

use serde::{Deserialize, Serialize};

/// At most this many words in one query.
pub const MAX_WORDS: usize = 8;
/// At most this many characters (not bytes) in one word.
pub const MAX_WORD_CHARS: usize = 50;

/// What a search can find.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A task of the four lists (title, content, remark).
    Task,
    /// A progress report (进展, 问题, 下步打算, 需协调事项).
    Report,
    /// A case of the closed loop (title, content).
    Case,
    /// A suggestion or proposal (人大代表建议 · 政协提案): number, title, content and the text
    /// of every reply.
    Proposal,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Task, Kind::Report, Kind::Case, Kind::Proposal];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Task => "task",
            Kind::Report => "report",
            Kind::Case => "case",
            Kind::Proposal => "proposal",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Why a query cannot be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    #[error("the query has no words")]
    Empty,
    #[error("the query has more than {MAX_WORDS} words")]
    TooManyWords,
    #[error("a word is longer than {MAX_WORD_CHARS} characters")]
    WordTooLong,
}

impl SearchError {
    /// The problem's code, as forms and the API name it (`err.{code}` in the catalogs).
    pub fn code(&self) -> &'static str {
        match self {
            SearchError::Empty => "empty",
            SearchError::TooManyWords => "too_many_words",
            SearchError::WordTooLong => "too_long",
        }
    }
}

/// The words of a query, parsed once: split on any white space (the ideographic space of
/// Chinese input methods included) or control character, without empties or repeats (repeats compared ignoring
/// ASCII case, as the match is). Every word must occur in a hit, as typed (a substring; no
/// stemming, no segmentation — `工业用地` finds `低效工业用地整治`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Terms(Vec<String>);

impl Terms {
    pub fn parse(raw: &str) -> Result<Terms, SearchError> {
        let mut words: Vec<String> = Vec::new();
        // Control characters (a NUL from `%00`) separate words too: no text holds them.
        let words_typed = raw
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|w| !w.is_empty());
        for w in words_typed {
            if w.chars().count() > MAX_WORD_CHARS {
                return Err(SearchError::WordTooLong);
            }
            if !words.iter().any(|x| x.eq_ignore_ascii_case(w)) {
                words.push(w.to_string());
            }
        }
        match words.len() {
            0 => Err(SearchError::Empty),
            n if n > MAX_WORDS => Err(SearchError::TooManyWords),
            _ => Ok(Terms(words)),
        }
    }

    /// The words, in the order typed. Never empty.
    pub fn words(&self) -> &[String] {
        &self.0
    }

    /// Whether every word occurs in one of `fields` (letters compared ignoring ASCII case, as
    /// the database's match): the same rule as the store's search, for the few records that
    /// are searched in memory (the portal's published commitments and projects).
    pub fn found_in(&self, fields: &[&str]) -> bool {
        let fields: Vec<String> = fields.iter().map(|f| f.to_ascii_lowercase()).collect();
        self.0.iter().all(|w| {
            let w = w.to_ascii_lowercase();
            fields.iter().any(|f| f.contains(&w))
        })
    }

    /// The words joined by one space (to put back into a search box).
    pub fn text(&self) -> String {
        self.0.join(" ")
    }

    /// The character ranges `[from, to)` of `text` that some word covers, merged and in order.
    /// Letters compare ignoring ASCII case, like the database's match.
    fn ranges(&self, text: &[char]) -> Vec<(usize, usize)> {
        let words: Vec<Vec<char>> = self.0.iter().map(|w| w.chars().collect()).collect();
        let mut covered = vec![false; text.len()];
        for w in &words {
            if w.len() > text.len() {
                continue;
            }
            for start in 0..=text.len() - w.len() {
                if text[start..start + w.len()]
                    .iter()
                    .zip(w)
                    .all(|(a, b)| a.eq_ignore_ascii_case(b))
                {
                    covered[start..start + w.len()].fill(true);
                }
            }
        }
        let mut out: Vec<(usize, usize)> = Vec::new();
        for (i, c) in covered.into_iter().enumerate() {
            match out.last_mut() {
                Some(last) if c && last.1 == i => last.1 = i + 1,
                _ if c => out.push((i, i + 1)),
                _ => {}
            }
        }
        out
    }

    /// All of `text`, cut into pieces that match a word and pieces that do not.
    pub fn highlight(&self, text: &str) -> Vec<Piece> {
        let chars: Vec<char> = text.chars().collect();
        let ranges = self.ranges(&chars);
        pieces(&chars, 0, chars.len(), &ranges)
    }

    /// About `width` characters of `text` around its first match, marked, with `…` where it
    /// was cut and line breaks turned into spaces; `None` when no word occurs in `text`.
    pub fn snippet(&self, text: &str, width: usize) -> Option<Vec<Piece>> {
        let chars: Vec<char> = text
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        let ranges = self.ranges(&chars);
        let first = ranges.first()?.0;
        // Some context before the match, the rest after it.
        let mut start = first.saturating_sub(width / 4);
        let end = (start + width).min(chars.len());
        start = start.min(end.saturating_sub(width));
        let mut out = Vec::new();
        if start > 0 {
            out.push(Piece::plain("…"));
        }
        out.extend(pieces(&chars, start, end, &ranges));
        if end < chars.len() {
            out.push(Piece::plain("…"));
        }
        Some(out)
    }
}

/// A run of text, `hit` when it matches a word of the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    pub text: String,
    pub hit: bool,
}

impl Piece {
    fn plain(text: &str) -> Piece {
        Piece {
            text: text.to_string(),
            hit: false,
        }
    }
}

/// `chars[from..to]` cut at the edges of `ranges` (sorted, disjoint).
fn pieces(chars: &[char], from: usize, to: usize, ranges: &[(usize, usize)]) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut at = from;
    let push = |a: usize, b: usize, hit: bool, out: &mut Vec<Piece>| {
        if a < b {
            out.push(Piece {
                text: chars[a..b].iter().collect(),
                hit,
            });
        }
    };
    for &(a, b) in ranges {
        let (a, b) = (a.max(from), b.min(to));
        if a >= b {
            continue;
        }
        push(at, a, false, &mut out);
        push(a, b, true, &mut out);
        at = b;
    }
    push(at, to, false, &mut out);
    out
}

#[cfg(test)]
mod tests;
