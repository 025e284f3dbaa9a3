use super::*;
use crate::proposals::state::{OutcomeClass as C, Rating as R};
use jiff::civil::date;

fn today() -> Date {
    date(2026, 11, 25)
}

fn replied(on: Date, due: Date, class: C) -> Facts {
    Facts {
        handed_out: true,
        reply_due_on: Some(due),
        first_replied_on: Some(on),
        class: Some(class),
        ..Facts::default()
    }
}

fn rated(mut f: Facts, first: R, latest: R) -> Facts {
    f.first_rating = Some(first);
    f.rating = Some(latest);
    f
}

/// Ten items whose every count is worked out by hand in the comments of the test below.
fn table() -> Vec<Facts> {
    let d = date;
    vec![
        // 1: A, on time, 满意, 三个一, face to face, head took part.
        Facts {
            reported: true,
            site: true,
            revisit: true,
            face_to_face: true,
            head: true,
            ..rated(
                replied(d(2026, 6, 10), d(2026, 6, 22), C::A),
                R::Satisfied,
                R::Satisfied,
            )
        },
        // 2: B, late, 基本满意, one follow-up, 报到 and 现场 by phone.
        Facts {
            follow_ups: 1,
            reported: true,
            site: true,
            ..rated(
                replied(d(2026, 6, 30), d(2026, 6, 22), C::B),
                R::BasicallySatisfied,
                R::BasicallySatisfied,
            )
        },
        // 3: C, on time thanks to an approved extension to 08-31, no follow-up yet.
        Facts {
            reported: true,
            site: true,
            revisit: true,
            face_to_face: true,
            ..rated(
                replied(d(2026, 8, 15), d(2026, 8, 31), C::C),
                R::BasicallySatisfied,
                R::BasicallySatisfied,
            )
        },
        // 4: 不满意 at first, re-handled, the second reply A and 满意.
        Facts {
            reported: true,
            site: true,
            face_to_face: true,
            head: true,
            ..rated(
                replied(d(2026, 6, 1), d(2026, 6, 22), C::A),
                R::Dissatisfied,
                R::Satisfied,
            )
        },
        // 5: D, replied last week, waiting inside its window (未评价, not missing).
        Facts {
            rating_pending: true,
            evaluation_due_on: Some(d(2026, 12, 18)),
            ..replied(d(2026, 11, 20), d(2026, 11, 30), C::D)
        },
        // 6: B, never rated, the window passed: missing.
        Facts {
            rating_pending: true,
            evaluation_due_on: Some(d(2026, 9, 29)),
            ..replied(d(2026, 9, 1), d(2026, 9, 10), C::B)
        },
        // 7: not replied, overdue since 10-31; met face to face.
        Facts {
            handed_out: true,
            reply_due_on: Some(d(2026, 10, 31)),
            reported: true,
            face_to_face: true,
            ..Facts::default()
        },
        // 8: not replied, not yet due.
        Facts {
            handed_out: true,
            reply_due_on: Some(d(2026, 12, 20)),
            ..Facts::default()
        },
        // 9: registered, not handed out: counted by nothing.
        Facts {
            face_to_face: true,
            head: true,
            ..Facts::default()
        },
        // 10: C, then a follow-up reported it solved.
        Facts {
            follow_ups: 2,
            solved: true,
            ..rated(
                replied(d(2026, 5, 1), d(2026, 5, 20), C::C),
                R::Satisfied,
                R::Satisfied,
            )
        },
    ]
}

#[test]
fn every_rate_of_the_hand_computed_table() {
    let t = Tally::of(&table(), today());
    assert_eq!((t.items, t.handed_out, t.replied), (10, 9, 7));
    let want = [
        // replied or overdue: 1-7, 10; on time: 1, 3 (extension), 4, 5, 6, 10.
        (Measure::OnTime, 6, 8),
        // rated or missing: 1, 2, 3, 4, 6 (missing), 10; 满意/基本满意 latest: 1, 2, 3, 4, 10.
        (Measure::Satisfied, 5, 6),
        // 满意 only: 1, 4, 10.
        (Measure::SatisfiedStrict, 3, 6),
        // first ratings: 1 S, 2 BS, 3 BS, 4 不满意, 6 missing, 10 S.
        (Measure::FirstSatisfied, 4, 6),
        // replied: 1-6, 10; A or solved: 1, 4, 10.
        (Measure::SolvedA, 3, 7),
        // A, B or solved: 1, 2, 4, 6, 10.
        (Measure::SolvedAB, 5, 7),
        // handed out: 1-8, 10; face to face: 1, 3, 4, 7.
        (Measure::Met, 4, 9),
        // replied with all three: 1, 3.
        (Measure::ThreeContacts, 2, 7),
        (Measure::HeadTookPart, 2, 9),
        // B/C replied: 2, 3, 6, 10; followed up: 2, 10.
        (Measure::FollowedUp, 2, 4),
        // pending: 5, 6.
        (Measure::Unrated, 2, 7),
    ];
    for (m, num, den) in want {
        assert_eq!(t.get(m), Ratio { num, den }, "{m:?}");
    }
    assert_eq!(t.unrated_overdue, 1);
}

#[test]
fn an_unrated_reply_is_missing_after_its_window_and_never_satisfied() {
    let f = table()[5];
    assert_eq!(Measure::Satisfied.counts(&f, today()), Some(false));
    // Before the window ended it was not counted at all.
    assert_eq!(Measure::Satisfied.counts(&f, date(2026, 9, 20)), None);
    let f = table()[4];
    assert_eq!(Measure::Satisfied.counts(&f, today()), None);
    assert_eq!(Measure::Unrated.counts(&f, today()), Some(true));
}

#[test]
fn an_approved_extension_moves_the_on_time_line() {
    let mut f = table()[2];
    assert_eq!(Measure::OnTime.counts(&f, today()), Some(true));
    f.reply_due_on = Some(date(2026, 8, 1));
    assert_eq!(Measure::OnTime.counts(&f, today()), Some(false));
}

#[test]
fn percentages_round_half_up_and_show_a_dash_when_nothing_is_counted() {
    let r = |num, den| Ratio { num, den };
    assert_eq!(r(6, 8).percent_text(), "75.0%");
    assert_eq!(r(5, 6).percent_text(), "83.3%");
    assert_eq!(r(2, 7).percent_text(), "28.6%");
    assert_eq!(r(1, 8).percent_text(), "12.5%");
    assert_eq!(r(1, 3).percent_text(), "33.3%");
    assert_eq!(r(2, 3).percent_text(), "66.7%");
    assert_eq!(r(0, 0).percent_text(), "—");
    assert_eq!(r(4, 4).permille(), Some(1000));
}

#[test]
fn measures_round_trip_and_each_has_its_definition() {
    for m in Measure::ALL {
        assert_eq!(Measure::parse(m.as_str()), Some(m));
        assert!(!m.definition_zh().is_empty() && !m.label_zh().is_empty());
    }
}

#[test]
fn the_items_contributions_add_up_to_the_tally_on_every_day_of_the_year() {
    let items = table();
    let parts: Vec<counts::Contribution> = items.iter().map(Facts::contribution).collect();
    let mut day = date(2026, 1, 1);
    while day <= date(2027, 1, 31) {
        let mut sum = [0; counts::COUNTS];
        for p in &parts {
            counts::add(&mut sum, &p.on(day), 1);
        }
        let mut from_counts = Tally::default();
        from_counts.add_counts(&sum);
        assert_eq!(from_counts, Tally::of(&items, day), "{day}");
        day = day.tomorrow().unwrap();
    }
}

#[test]
fn an_item_turns_only_on_the_days_after_its_deadlines() {
    // Unreplied, due 10-31: counted late (on time's denominator) from 11-01 on.
    let part = table()[6].contribution();
    assert_eq!(part.after.len(), 1);
    assert_eq!(part.after[0].0, date(2026, 10, 31));
    let den = 5; // on_time_den
    assert_eq!(counts::names()[den], "on_time_den");
    assert_eq!(part.on(date(2026, 10, 31))[den], 0);
    assert_eq!(part.on(date(2026, 11, 1))[den], 1);
    // Rated and on time: nothing turns.
    assert!(table()[0].contribution().after.is_empty());
    // Unrated, window to 09-29: missing (and counted as not satisfied) from 09-30 on.
    let part = table()[5].contribution();
    assert_eq!(part.after.len(), 1);
    assert_eq!(part.after[0].0, date(2026, 9, 29));
    assert_eq!(part.on(date(2026, 9, 30))[3], 1);
    assert_eq!(part.on(date(2026, 9, 29))[3], 0);
}
