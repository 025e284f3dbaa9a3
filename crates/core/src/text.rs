//! What a person may type into duban: any text but the characters that only ever hurt — NUL
//! (PostgreSQL cannot store it, SQLite stores it and every reader chokes), the other control
//! characters (a BEL or an escape in a title), and the bidirectional overrides and isolates
//! that make text read differently from what it is ("Trojan source", CVE-2021-42574). Tab,
//! newline and carriage return stay. Dates are bounded to years a plan can be about.

/// Why a text was refused; `code()` is the catalog key (`err.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Nul,
    Control,
    Bidi,
}

impl Refused {
    pub fn code(self) -> &'static str {
        match self {
            Refused::Nul => "text_nul",
            Refused::Control => "text_control",
            Refused::Bidi => "text_bidi",
        }
    }
}

/// The first reason `s` cannot be stored as typed, if any.
pub fn refused(s: &str) -> Option<Refused> {
    s.chars().find_map(refused_char)
}

/// Why one character cannot be stored, if it cannot.
pub fn refused_char(c: char) -> Option<Refused> {
    match c {
        '\0' => Some(Refused::Nul),
        '\t' | '\n' | '\r' => None,
        c if c.is_control() => Some(Refused::Control),
        // LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI.
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => Some(Refused::Bidi),
        _ => None,
    }
}

/// The years a date typed into duban may fall in: a plan, a deadline or a meeting of this
/// century. Year 0 or 9999 is a typing error, not a plan.
pub const YEARS: std::ops::RangeInclusive<i16> = 2000..=2099;

/// Whether a typed date's year is one a plan can be about.
pub fn sensible_date(d: jiff::civil::Date) -> bool {
    YEARS.contains(&d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_chinese_english_and_layout_characters_pass() {
        for ok in [
            "推进城西新区道路建设",
            "Road works, phase 2 (西段)",
            "第一行\n第二行\r\n\t缩进",
            "emoji 👍 and ＡＢＣ full-width",
            "\u{200F}RLM marks are ordinary",
            "",
        ] {
            assert_eq!(refused(ok), None, "{ok:?}");
        }
    }

    #[test]
    fn nul_controls_and_bidi_overrides_are_refused_with_their_reason() {
        assert_eq!(refused("标题\0"), Some(Refused::Nul));
        assert_eq!(refused("bell\u{7}"), Some(Refused::Control));
        assert_eq!(refused("esc\u{1b}[31m"), Some(Refused::Control));
        assert_eq!(refused("del\u{7f}"), Some(Refused::Control));
        assert_eq!(refused("c1\u{85}"), Some(Refused::Control));
        assert_eq!(refused("abc\u{202E}gpj.exe"), Some(Refused::Bidi));
        assert_eq!(refused("\u{2066}isolate"), Some(Refused::Bidi));
        // The first offending character decides.
        assert_eq!(refused("\u{202E}\0"), Some(Refused::Bidi));
        assert_eq!(Refused::Nul.code(), "text_nul");
    }

    #[test]
    fn dates_outside_this_century_are_not_sensible() {
        use jiff::civil::date;
        assert!(sensible_date(date(2026, 11, 25)));
        assert!(sensible_date(date(2000, 1, 1)) && sensible_date(date(2099, 12, 31)));
        assert!(!sensible_date(date(0, 1, 1)));
        assert!(!sensible_date(date(1999, 12, 31)));
        assert!(!sensible_date(date(2100, 1, 1)));
        assert!(!sensible_date(date(9999, 12, 31)));
    }
}
