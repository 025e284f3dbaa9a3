use super::*;

fn marked(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| {
            if p.hit {
                format!("[{}]", p.text)
            } else {
                p.text.clone()
            }
        })
        .collect()
}

#[test]
fn words_are_split_on_any_white_space_and_trimmed() {
    let t = Terms::parse("  工业用地\u{3000}整治\t tax  ").unwrap();
    assert_eq!(t.words(), ["工业用地", "整治", "tax"]);
    assert_eq!(t.text(), "工业用地 整治 tax");
}

#[test]
fn control_characters_separate_words() {
    let t = Terms::parse("用地\u{0}整治\u{1f}").unwrap();
    assert_eq!(t.words(), ["用地", "整治"]);
}

#[test]
fn a_query_without_words_is_empty() {
    assert_eq!(Terms::parse(""), Err(SearchError::Empty));
    assert_eq!(Terms::parse(" \u{3000}\n "), Err(SearchError::Empty));
}

#[test]
fn repeated_words_count_once_ignoring_ascii_case() {
    let t = Terms::parse("用地 GDP 用地 gdp").unwrap();
    assert_eq!(t.words(), ["用地", "GDP"]);
}

#[test]
fn eight_words_are_accepted_and_nine_are_too_many() {
    let eight = "一 二 三 四 五 六 七 八";
    assert_eq!(Terms::parse(eight).unwrap().words().len(), MAX_WORDS);
    assert_eq!(
        Terms::parse(&format!("{eight} 九")),
        Err(SearchError::TooManyWords)
    );
}

#[test]
fn a_word_of_fifty_characters_is_accepted_and_fifty_one_is_too_long() {
    // Counted in characters: 50 Chinese characters are 150 bytes.
    let fifty = "地".repeat(MAX_WORD_CHARS);
    assert!(Terms::parse(&fifty).is_ok());
    assert_eq!(
        Terms::parse(&format!("{fifty}地")),
        Err(SearchError::WordTooLong)
    );
}

#[test]
fn kinds_round_trip_through_their_text() {
    for k in Kind::ALL {
        assert_eq!(Kind::parse(k.as_str()), Some(k));
    }
    assert_eq!(Kind::parse("tasks"), None);
}

#[test]
fn every_occurrence_of_every_word_is_marked() {
    let t = Terms::parse("用地 整治").unwrap();
    assert_eq!(
        marked(&t.highlight("低效工业用地整治，用地复垦")),
        "低效工业[用地整治]，[用地]复垦"
    );
}

#[test]
fn marking_ignores_ascii_case_only() {
    let t = Terms::parse("gdp").unwrap();
    assert_eq!(marked(&t.highlight("GDP 增速 gdp")), "[GDP] 增速 [gdp]");
}

#[test]
fn text_without_a_match_is_one_plain_piece() {
    let t = Terms::parse("用地").unwrap();
    assert_eq!(
        t.highlight("技改投资"),
        [Piece {
            text: "技改投资".into(),
            hit: false
        }]
    );
    assert_eq!(t.snippet("技改投资", 20), None);
}

#[test]
fn a_snippet_is_cut_around_the_first_match_with_ellipses() {
    let t = Terms::parse("用地").unwrap();
    let text = format!("{}工业用地{}", "前".repeat(30), "后".repeat(30));
    let s = marked(&t.snippet(&text, 20).unwrap());
    // Five characters (a quarter of the width) before the match, the rest after it.
    assert_eq!(s, format!("…前前前工业[用地]{}…", "后".repeat(13)));
}

#[test]
fn a_snippet_of_a_short_text_is_the_whole_text_on_one_line() {
    let t = Terms::parse("用地").unwrap();
    assert_eq!(
        marked(&t.snippet("整治\n工业用地", 80).unwrap()),
        "整治 工业[用地]"
    );
}

#[test]
fn a_snippet_near_the_end_still_shows_its_full_width() {
    let t = Terms::parse("尾").unwrap();
    let text = format!("{}尾", "字".repeat(40));
    let s = marked(&t.snippet(&text, 10).unwrap());
    assert_eq!(s, format!("…{}[尾]", "字".repeat(9)));
}

#[test]
fn every_word_must_be_found_in_some_field_ignoring_ascii_case() {
    let t = Terms::parse("学位 DEMO").unwrap();
    assert!(t.found_in(&["新增学位 3000 个", "教育局 demo"]));
    // Each word may sit in a different field, but every word must be somewhere.
    assert!(!t.found_in(&["新增学位 3000 个", "教育局"]));
    assert!(!t.found_in(&[]));
    // Words are whole substrings: 学 and 位 apart are not 学位.
    assert!(
        !Terms::parse("学位")
            .unwrap()
            .found_in(&["学前教育 单位 demo"])
    );
}
