use super::*;

fn input<'a>(description: &'a str, address: &'a str) -> ReportInput<'a> {
    ReportInput {
        category: "roads",
        description,
        address,
        ..Default::default()
    }
}

#[test]
fn a_tracking_number_is_yk_the_year_and_16_base32_characters() {
    let n = TrackingNumber::new(2026, [0; 10]);
    assert_eq!(n.as_str(), "YK-2026-0000000000000000");
    let n = TrackingNumber::new(2026, [0xff; 10]);
    assert_eq!(n.as_str(), "YK-2026-ZZZZZZZZZZZZZZZZ");
    let n = TrackingNumber::new(2026, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert_eq!(n.as_str().len(), "YK-2026-".len() + 16);
    assert!(n.as_str()[8..].bytes().all(|b| CROCKFORD.contains(&b)));
}

#[test]
fn different_random_bytes_give_different_numbers() {
    let a = TrackingNumber::new(2026, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    let b = TrackingNumber::new(2026, [1, 2, 3, 4, 5, 6, 7, 8, 9, 11]);
    assert_ne!(a, b);
}

#[test]
fn a_typed_tracking_number_is_forgiven_case_blanks_and_look_alikes() {
    let n = TrackingNumber::new(2026, [7; 10]);
    let typed = format!("  {}  ", n.as_str().to_lowercase());
    assert_eq!(TrackingNumber::parse(&typed), Some(n));
    assert_eq!(
        TrackingNumber::parse("YK-2026-O0000000000000IL").map(|n| n.to_string()),
        Some("YK-2026-0000000000000011".into())
    );
}

#[test]
fn malformed_tracking_numbers_are_refused() {
    for bad in [
        "",
        "12",
        "YK-2026-",
        "YK-26-0000000000000000",
        "YK-2026-000000000000000",
        "YK-2026-00000000000000000",
        "XX-2026-0000000000000000",
        "YK-2026-000000000000000U",
        "YK-2026-<script>alert(1)",
        "../../etc/passwd",
    ] {
        assert_eq!(TrackingNumber::parse(bad), None, "{bad}");
    }
}

#[test]
fn markup_is_stripped_to_the_text_a_person_meant() {
    assert_eq!(strip_markup("<b>路灯</b>坏了"), "路灯坏了");
    assert_eq!(
        strip_markup("a<script>alert('x')</script>b<style>p{}</style>c"),
        "abc"
    );
    assert_eq!(strip_markup("<SCRIPT src=x>evil()</SCRIPT >ok"), "ok");
    assert_eq!(strip_markup("x<!-- hidden -->y"), "xy");
    assert_eq!(
        strip_markup("<img src=x onerror=alert(1)>井盖缺失"),
        "井盖缺失"
    );
    assert_eq!(strip_markup("line<br>next"), "line\nnext");
    assert_eq!(strip_markup("unclosed <a href='x"), "unclosed");
}

#[test]
fn text_that_only_looks_like_markup_is_kept() {
    assert_eq!(strip_markup("温度 < 5 度, 3<4"), "温度 < 5 度, 3<4");
    assert_eq!(strip_markup("A & B"), "A & B");
    assert_eq!(strip_markup("&lt;b&gt;"), "<b>");
    assert_eq!(strip_markup("&amp;lt;"), "&lt;");
}

#[test]
fn control_and_invisible_characters_are_dropped_and_lines_tidied() {
    assert_eq!(strip_markup("a\u{0}b\u{7}c"), "abc");
    assert_eq!(strip_markup("a\u{202E}b\u{200B}c"), "abc");
    assert_eq!(strip_markup("  one \r\n\r\n\r\n\r\n two\t "), "one\n\ntwo");
}

#[test]
fn a_good_report_is_checked_into_plain_values() {
    let cats = default_categories();
    let r = ReportInput {
        category: "roads",
        description: " <p>人民路与解放路口红绿灯不亮</p> ",
        address: "  人民路\n解放路口 ",
        lat: "28.9",
        long: "118.87",
        email: "a@example.cn",
        phone: "+86 139-0000-0000",
        name: "张",
        media_url: "https://example.cn/p.jpg",
    }
    .check(&cats)
    .expect("valid");
    assert_eq!(r.description, "人民路与解放路口红绿灯不亮");
    assert_eq!(r.address, "人民路 解放路口");
    assert_eq!(r.position, Some((28.9, 118.87)));
}

#[test]
fn every_problem_of_a_report_is_named_at_once() {
    let cats = default_categories();
    let long = "字".repeat(MAX_DESCRIPTION + 1);
    let bad = ReportInput {
        category: "weather",
        description: &long,
        address: "",
        lat: "91",
        long: "0",
        email: "not-an-email",
        phone: "call me",
        name: "",
        media_url: "javascript:alert(1)",
    }
    .check(&cats)
    .expect_err("invalid");
    let fields: Vec<_> = bad.iter().map(|p| (p.field, p.code)).collect();
    assert_eq!(
        fields,
        vec![
            ("category", "bad_choice"),
            ("description", "too_long"),
            ("location", "bad_position"),
            ("email", "bad_email"),
            ("phone", "bad_phone"),
            ("media_url", "bad_url"),
        ]
    );
}

#[test]
fn a_description_of_exactly_the_limit_is_accepted_and_markup_only_is_empty() {
    let cats = default_categories();
    let exact = "字".repeat(MAX_DESCRIPTION);
    assert!(input(&exact, "路口").check(&cats).is_ok());
    let only_markup = input("<script>x</script>", "路口")
        .check(&cats)
        .unwrap_err();
    assert_eq!(
        only_markup[0],
        Problem {
            field: "description",
            code: "required"
        }
    );
}

#[test]
fn a_report_needs_an_address_or_a_position() {
    let cats = default_categories();
    let none = input("坑", " ").check(&cats).unwrap_err();
    assert_eq!(
        none,
        vec![Problem {
            field: "location",
            code: "location_required"
        }]
    );
    let by_position = ReportInput {
        lat: "28.9",
        long: "118.8",
        ..input("坑", "")
    };
    assert!(by_position.check(&cats).is_ok());
    let half = ReportInput {
        lat: "28.9",
        ..input("坑", "")
    };
    assert_eq!(half.check(&cats).unwrap_err()[0].code, "bad_position");
    let nan = ReportInput {
        lat: "NaN",
        long: "1",
        ..input("坑", "x")
    };
    assert_eq!(nan.check(&cats).unwrap_err()[0].code, "bad_position");
}

#[test]
fn emails_and_phones_are_checked_only_when_given() {
    for ok in ["a@b.cn", "first.last+x@mail.example.com"] {
        assert!(plausible_email(ok), "{ok}");
    }
    for bad in [
        "a@b", "@b.cn", "a@@b.cn", "a b@c.cn", "<a@b.cn>", "a@.cn", "a@b.cn.",
    ] {
        assert!(!plausible_email(bad), "{bad}");
    }
    for ok in ["13900000000", "+86 139-0000-0000", "0570-1234567"] {
        assert!(plausible_phone(ok), "{ok}");
    }
    for bad in ["1234", "139abc", "+", "1".repeat(21).as_str()] {
        assert!(!plausible_phone(bad), "{bad}");
    }
}

#[test]
fn only_a_new_report_can_be_decided_once() {
    assert_eq!(Moderation::New.decide(true), Ok(Moderation::Accepted));
    assert_eq!(Moderation::New.decide(false), Ok(Moderation::Rejected));
    assert_eq!(
        Moderation::Accepted.decide(false),
        Err(AlreadyDecided(Moderation::Accepted))
    );
    assert_eq!(
        Moderation::Rejected.decide(true),
        Err(AlreadyDecided(Moderation::Rejected))
    );
}

#[test]
fn the_public_sees_four_words_whatever_the_case_goes_through() {
    use PublicStatus::*;
    assert_eq!(public_status(Moderation::New, None), Received);
    assert_eq!(public_status(Moderation::Rejected, None), Declined);
    assert_eq!(public_status(Moderation::Accepted, None), Received);
    for s in CaseState::ALL {
        let want = match s {
            CaseState::Registered => Received,
            CaseState::ClosedOut => Closed,
            _ => InProgress,
        };
        assert_eq!(public_status(Moderation::Accepted, Some(s)), want, "{s:?}");
        // A refusal stays a refusal whatever a case did.
        assert_eq!(public_status(Moderation::Rejected, Some(s)), Declined);
    }
    assert_eq!(Received.open311(), "open");
    assert_eq!(InProgress.open311(), "open");
    assert_eq!(Closed.open311(), "closed");
    assert_eq!(Declined.open311(), "closed");
}
