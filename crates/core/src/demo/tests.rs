use super::*;
use crate::org::{parse_mobile, parse_unit_code, parse_username, valid_on};
use jiff::civil::date;
use std::collections::{BTreeMap, BTreeSet};

fn unit<'a>(city: &'a DemoCity, code: &str) -> Option<&'a DemoUnit> {
    city.units.iter().find(|u| u.code == code)
}

fn person<'a>(city: &'a DemoCity, username: &str) -> Option<&'a DemoPerson> {
    city.people.iter().find(|p| p.username == username)
}

fn count_units(city: &DemoCity, kind: UnitKind) -> usize {
    city.units.iter().filter(|u| u.kind == kind).count()
}

/// Units a leader holds on `day`.
fn held_on<'a>(city: &'a DemoCity, leader: &str, day: Date) -> BTreeSet<&'a str> {
    city.portfolios
        .iter()
        .filter(|p| p.leader == leader && valid_on(p.valid_from, p.valid_to, day))
        .map(|p| p.unit)
        .collect()
}

#[test]
fn unit_codes_are_unique_and_valid() {
    let city = demo_city();
    let mut seen = BTreeSet::new();
    for u in &city.units {
        assert_eq!(
            parse_unit_code(u.code).as_deref(),
            Ok(u.code),
            "bad unit code {}",
            u.code
        );
        assert!(seen.insert(u.code), "unit code {} twice", u.code);
        assert!(
            !u.name.is_empty() && !u.short_name.is_empty(),
            "{} lacks a name",
            u.code
        );
        if let Some(parent) = u.parent {
            assert!(
                unit(&city, parent).is_some(),
                "{} has unknown parent {parent}",
                u.code
            );
        }
    }
}

#[test]
fn units_have_a_few_sections_with_one_or_two_posts_each() {
    let city = demo_city();
    for u in &city.units {
        let range = match u.kind {
            UnitKind::Leadership => 0..=1,
            UnitKind::TaskForce | UnitKind::CommandHq => 1..=2,
            _ => 2..=4,
        };
        assert!(
            range.contains(&u.sections.len()),
            "{} has {} sections",
            u.code,
            u.sections.len()
        );
        let names: BTreeSet<_> = u.sections.iter().map(|s| s.name).collect();
        assert_eq!(
            names.len(),
            u.sections.len(),
            "{} repeats a section",
            u.code
        );
        for s in &u.sections {
            assert!(
                (1..=2).contains(&s.posts.len()),
                "{} {} has {} posts",
                u.code,
                s.name,
                s.posts.len()
            );
            let posts: BTreeSet<_> = s.posts.iter().collect();
            assert_eq!(
                posts.len(),
                s.posts.len(),
                "{} {} repeats a post",
                u.code,
                s.name
            );
        }
    }
}

#[test]
fn usernames_are_unique_and_valid() {
    let city = demo_city();
    let mut seen = BTreeSet::new();
    for p in &city.people {
        assert_eq!(
            parse_username(&p.username).as_ref(),
            Ok(&p.username),
            "bad username {}",
            p.username
        );
        assert!(
            p.username
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c)),
            "bad username {}",
            p.username
        );
        assert!(
            seen.insert(p.username.as_str()),
            "username {} twice",
            p.username
        );
    }
}

#[test]
fn person_names_are_unique_chinese_names_of_two_or_three_characters() {
    let city = demo_city();
    let mut seen = BTreeSet::new();
    for p in &city.people {
        let len = p.name.chars().count();
        assert!((2..=3).contains(&len), "{} is named {}", p.username, p.name);
        assert!(
            p.name.chars().all(|c| !c.is_ascii()),
            "{} is named {}",
            p.username,
            p.name
        );
        assert!(seen.insert(p.name.as_str()), "name {} twice", p.name);
        assert!(!p.title.is_empty(), "{} has no title", p.username);
    }
}

#[test]
fn mobiles_are_unique_eleven_digit_numbers_starting_with_1() {
    let city = demo_city();
    let mut seen = BTreeSet::new();
    for p in &city.people {
        assert_eq!(
            parse_mobile(&p.mobile).as_ref(),
            Ok(&p.mobile),
            "{} has mobile {}",
            p.username,
            p.mobile
        );
        assert!(
            p.mobile.starts_with("1390579"),
            "{} has mobile {}",
            p.username,
            p.mobile
        );
        assert!(seen.insert(p.mobile.as_str()), "mobile {} twice", p.mobile);
    }
}

#[test]
fn every_persons_unit_section_and_post_exist() {
    let city = demo_city();
    for p in &city.people {
        let Some(code) = p.unit else {
            assert!(
                matches!(
                    p.role,
                    Role::Deputy | Role::Auditor | Role::NpcOffice | Role::CppccOffice
                ),
                "{} has no unit",
                p.username
            );
            assert!(
                p.section.is_none() && p.post.is_none(),
                "{} has a section but no unit",
                p.username
            );
            continue;
        };
        let u =
            unit(&city, code).unwrap_or_else(|| panic!("{} is in unknown unit {code}", p.username));
        assert!(
            !u.kind.is_cross_unit(),
            "{}'s home unit {code} is a task force or HQ",
            p.username
        );
        match (p.section, p.post) {
            (None, None) => {}
            (None, Some(post)) => panic!("{} holds post {post} without a section", p.username),
            (Some(section), post) => {
                let s = u
                    .sections
                    .iter()
                    .find(|s| s.name == section)
                    .unwrap_or_else(|| {
                        panic!("{} sits in unknown section {code}/{section}", p.username)
                    });
                if let Some(post) = post {
                    assert!(
                        s.posts.contains(&post),
                        "{} holds unknown post {code}/{section}/{post}",
                        p.username
                    );
                }
            }
        }
    }
}

#[test]
fn only_deputies_the_outside_auditor_and_the_proposal_offices_have_no_home_unit() {
    let city = demo_city();
    for p in &city.people {
        assert_eq!(
            p.unit.is_none(),
            matches!(
                p.role,
                Role::Deputy | Role::Auditor | Role::NpcOffice | Role::CppccOffice
            ),
            "{}",
            p.username
        );
    }
}

#[test]
fn every_department_and_town_has_a_head_and_a_liaison() {
    let city = demo_city();
    for u in city
        .units
        .iter()
        .filter(|u| matches!(u.kind, UnitKind::Department | UnitKind::Town))
    {
        let head = person(&city, &format!("{}-head", u.code)).expect("head exists");
        assert_eq!((head.role, head.unit), (Role::UnitHead, Some(u.code)));
        let liaison = person(&city, &format!("{}-liaison", u.code)).expect("liaison exists");
        assert_eq!(
            (liaison.role, liaison.unit),
            (Role::UnitLiaison, Some(u.code))
        );
        assert_eq!(liaison.title, "联络员");
    }
}

#[test]
fn task_forces_and_command_hqs_have_members_from_other_units() {
    let city = demo_city();
    let mut members: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &city.people {
        for &tf in &p.task_forces {
            let u = unit(&city, tf)
                .unwrap_or_else(|| panic!("{} is in unknown task force {tf}", p.username));
            assert!(
                u.kind.is_cross_unit(),
                "{} is a member of {tf}, a {:?}",
                p.username,
                u.kind
            );
            *members.entry(tf).or_default() += 1;
        }
        let distinct: BTreeSet<_> = p.task_forces.iter().collect();
        assert_eq!(
            distinct.len(),
            p.task_forces.len(),
            "{} joins a task force twice",
            p.username
        );
    }
    for u in &city.units {
        let n = members.get(u.code).copied().unwrap_or(0);
        match u.kind {
            UnitKind::TaskForce => assert!((3..=6).contains(&n), "{} has {n} members", u.code),
            UnitKind::CommandHq => assert!(n >= 2, "{} has {n} members", u.code),
            _ => assert_eq!(n, 0),
        }
    }
    let jxj_head = person(&city, "jxj-head").unwrap();
    assert!(jxj_head.task_forces.contains(&"tf-industry"));
    assert!(jxj_head.task_forces.contains(&"hq-hardware"));
}

#[test]
fn every_portfolio_leader_is_a_portfolio_leader_or_top_leader() {
    let city = demo_city();
    for pf in &city.portfolios {
        let leader =
            person(&city, pf.leader).unwrap_or_else(|| panic!("unknown leader {}", pf.leader));
        assert!(
            matches!(leader.role, Role::PortfolioLeader | Role::TopLeader),
            "{} is a {:?}",
            pf.leader,
            leader.role
        );
        assert!(
            unit(&city, pf.unit).is_some(),
            "{} holds unknown unit {}",
            pf.leader,
            pf.unit
        );
        assert!(
            pf.valid_to.is_none_or(|to| pf.valid_from <= to),
            "{} {} ends before it starts",
            pf.leader,
            pf.unit
        );
    }
    assert!(
        city.portfolios.iter().all(|pf| pf.leader != "shuji"),
        "the party secretary holds no portfolio"
    );
}

#[test]
fn each_vice_mayor_holds_three_to_six_units() {
    let city = demo_city();
    for n in 1..=6 {
        let leader = format!("fsz{n}");
        let held = held_on(&city, &leader, date(2026, 6, 1));
        assert!((3..=6).contains(&held.len()), "{leader} holds {held:?}");
    }
}

#[test]
fn every_department_and_town_has_a_current_portfolio_on_2026_06_01() {
    let city = demo_city();
    let day = date(2026, 6, 1);
    for u in city
        .units
        .iter()
        .filter(|u| matches!(u.kind, UnitKind::Department | UnitKind::Town))
    {
        let holders: Vec<_> = city
            .portfolios
            .iter()
            .filter(|pf| pf.unit == u.code && valid_on(pf.valid_from, pf.valid_to, day))
            .collect();
        assert_eq!(holders.len(), 1, "{} is held by {holders:?}", u.code);
    }
}

#[test]
fn the_commerce_bureau_passes_from_fsz2_to_fsz5_on_april_1() {
    let city = demo_city();
    assert_eq!(
        city.portfolios
            .iter()
            .filter(|pf| pf.valid_to.is_some())
            .count(),
        1
    );
    assert!(held_on(&city, "fsz2", date(2026, 3, 31)).contains("swj"));
    assert!(!held_on(&city, "fsz5", date(2026, 3, 31)).contains("swj"));
    assert!(!held_on(&city, "fsz2", date(2026, 4, 1)).contains("swj"));
    assert!(held_on(&city, "fsz5", date(2026, 4, 1)).contains("swj"));
}

#[test]
fn every_campaign_has_a_task_force_a_leader_and_maybe_a_command_hq() {
    let city = demo_city();
    assert_eq!(city.campaigns.len(), 5);
    let codes: BTreeSet<_> = city.campaigns.iter().map(|c| c.code).collect();
    assert_eq!(codes.len(), 5);
    let task_forces: BTreeSet<_> = city.campaigns.iter().map(|c| c.task_force).collect();
    assert_eq!(task_forces.len(), 5, "each campaign has its own task force");
    for c in &city.campaigns {
        assert_eq!(parse_unit_code(c.code).as_deref(), Ok(c.code));
        assert_eq!(
            unit(&city, c.task_force).map(|u| u.kind),
            Some(UnitKind::TaskForce),
            "{}",
            c.code
        );
        if let Some(hq) = c.command_hq {
            assert_eq!(
                unit(&city, hq).map(|u| u.kind),
                Some(UnitKind::CommandHq),
                "{}",
                c.code
            );
        }
        let leader = person(&city, c.lead_leader).expect("lead leader exists");
        assert!(
            matches!(leader.role, Role::PortfolioLeader | Role::TopLeader),
            "{}",
            c.code
        );
    }
    assert_eq!(count_units(&city, UnitKind::TaskForce), 5);
}

#[test]
fn there_is_at_least_one_account_per_role() {
    let city = demo_city();
    for role in Role::ALL {
        assert!(
            city.people.iter().any(|p| p.role == role),
            "no {role} account"
        );
    }
}

#[test]
fn the_accounts_the_docs_name_exist_with_their_roles() {
    let city = demo_city();
    let mut expected = vec![
        ("admin", Role::Admin),
        ("dkb", Role::SupervisionOffice),
        ("dkb-head", Role::SupervisionOffice),
        ("shuji", Role::TopLeader),
        ("shizhang", Role::TopLeader),
        ("jxj-head", Role::UnitHead),
        ("jxj-liaison", Role::UnitLiaison),
        ("jxj-staff1", Role::SectionStaff),
        ("town-dongcheng-head", Role::UnitHead),
    ];
    let vice_mayors: Vec<String> = (1..=6).map(|n| format!("fsz{n}")).collect();
    let deputies: Vec<String> = (1..=6).map(|n| format!("deputy{n}")).collect();
    expected.extend(
        vice_mayors
            .iter()
            .map(|u| (u.as_str(), Role::PortfolioLeader)),
    );
    expected.extend(deputies.iter().map(|u| (u.as_str(), Role::Deputy)));
    for (username, role) in expected {
        assert_eq!(
            person(&city, username).map(|p| p.role),
            Some(role),
            "{username}"
        );
    }
    assert_eq!(person(&city, "jxj-staff1").unwrap().unit, Some("jxj"));
    assert_eq!(person(&city, "shuji").unwrap().title, "市委书记");
    assert_eq!(person(&city, "fsz1").unwrap().title, "常务副市长");
}

#[test]
fn the_city_has_about_150_people_25_departments_and_12_towns() {
    let city = demo_city();
    assert!(
        (130..=180).contains(&city.people.len()),
        "{} people",
        city.people.len()
    );
    assert!((22..=28).contains(&count_units(&city, UnitKind::Department)));
    assert!((10..=14).contains(&count_units(&city, UnitKind::Town)));
    assert_eq!(count_units(&city, UnitKind::Leadership), 1);
    assert_eq!(count_units(&city, UnitKind::SupervisionOffice), 1);
    assert_eq!(count_units(&city, UnitKind::CommandHq), 2);
}

#[test]
fn demo_city_is_the_same_every_time() {
    assert_eq!(format!("{:?}", demo_city()), format!("{:?}", demo_city()));
}
