//! Breaking text into lines of a given width. Chinese has no spaces: a line may break after
//! any character, except that closing punctuation (，。、）》…) never starts a line and opening
//! punctuation (（《“…) never ends one (避头尾), and a run of Latin letters or digits
//! (2026, 10.5%, GB/T) stays whole while it fits on a line.

/// Characters that may not begin a line (they hang at the end of the previous one).
const NO_START: &str = "，。、；：？！）》」』】〕”’…—%,.;:?!)]}·";
/// Characters that may not end a line (they move to the next one).
const NO_END: &str = "（《「『【〔“‘([{";

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '%' | '-' | '/' | '+' | '_')
}

/// The lines of `text` that fit `width` when each character is `advance(c)` wide. Explicit
/// newlines start a new line; an empty text gives no line. `indent` is taken off the first
/// line's width (the two-character indent of a body paragraph).
pub fn break_lines(
    text: &str,
    width: f32,
    indent: f32,
    advance: impl Fn(char) -> f32,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut first = true;
    for para in text.split('\n') {
        let chars: Vec<char> = para.chars().filter(|c| *c != '\r').collect();
        if chars.is_empty() {
            if !first {
                out.push(String::new());
            }
            continue;
        }
        let mut start = 0;
        while start < chars.len() {
            let room = if first { width - indent } else { width };
            first = false;
            let mut used = 0.0;
            let mut end = start;
            while end < chars.len() && used + advance(chars[end]) <= room + 0.01 {
                used += advance(chars[end]);
                end += 1;
            }
            if end == start {
                // Not even one character fits: take it anyway, or nothing would progress.
                end = start + 1;
            }
            if end < chars.len() {
                end = adjust(&chars, start, end);
            }
            out.push(chars[start..end].iter().collect());
            start = end;
        }
    }
    out
}

/// Moves a break at `end` so that no line starts with closing or ends with opening
/// punctuation, and a Latin word is not cut — as long as the line keeps a character.
fn adjust(chars: &[char], start: usize, end: usize) -> usize {
    // Closing punctuation hangs on this line (at most two, e.g. "。”").
    let mut e = end;
    while e < chars.len() && e < end + 2 && NO_START.contains(chars[e]) {
        e += 1;
    }
    if e != end {
        return e;
    }
    // Keep a Latin word whole by breaking before it.
    if is_word(chars[end]) && is_word(chars[end - 1]) {
        let mut b = end;
        while b > start && is_word(chars[b - 1]) {
            b -= 1;
        }
        if b > start {
            e = b;
        }
    }
    // Opening punctuation goes to the next line.
    while e > start + 1 && NO_END.contains(chars[e - 1]) {
        e -= 1;
    }
    e
}

#[cfg(test)]
mod tests {
    use super::break_lines;

    /// Every character one unit wide.
    fn lines(text: &str, width: f32) -> Vec<String> {
        break_lines(text, width, 0.0, |_| 1.0)
    }

    #[test]
    fn chinese_breaks_between_any_two_characters() {
        assert_eq!(lines("一二三四五六七", 3.0), ["一二三", "四五六", "七"]);
    }

    #[test]
    fn closing_punctuation_hangs_at_the_end_of_the_line() {
        assert_eq!(lines("一二三，四五", 3.0), ["一二三，", "四五"]);
        assert_eq!(lines("一二三。”四", 3.0), ["一二三。”", "四"]);
    }

    #[test]
    fn opening_punctuation_moves_to_the_next_line() {
        assert_eq!(lines("一二《三四》", 3.0), ["一二", "《三四》"]);
    }

    #[test]
    fn numbers_and_latin_words_stay_whole() {
        assert_eq!(lines("共计2026项", 4.0), ["共计", "2026", "项"]);
        // A word longer than a line is cut, as nothing else can be done.
        assert_eq!(lines("abcdefg", 3.0), ["abc", "def", "g"]);
    }

    #[test]
    fn the_first_line_is_shorter_by_its_indent_and_newlines_are_kept() {
        let l = break_lines("一二三四五\n六", 4.0, 2.0, |_| 1.0);
        assert_eq!(l, ["一二", "三四五", "六"]);
        assert!(break_lines("", 4.0, 0.0, |_| 1.0).is_empty());
    }

    #[test]
    fn widths_come_from_the_measure() {
        // Latin half as wide as Chinese.
        let w = |c: char| if c.is_ascii() { 0.5 } else { 1.0 };
        assert_eq!(break_lines("ab一cd二", 2.0, 0.0, w), ["ab一", "cd二"]);
    }
}
