//! The demo city's people: the administrator, 督考办, the city leaders, a head and a liaison for
//! every department and town with some section staff, six deputies and an auditor. Names and
//! mobiles come from each person's place in the roster, so the same roster always gets the same
//! ones.

use super::{DemoPerson, UnitRow, person_mobile, person_name};
use crate::role::Role;

/// Task-force and command-HQ members, drawn from the units each campaign leans on.
const TASK_FORCE_MEMBERS: &[(&str, &[&str])] = &[
    (
        "tf-industry",
        &[
            "jxj-head",
            "jxj-staff1",
            "scjg-head",
            "sthj-head",
            "zrzyj-staff1",
            "town-kaifaqu-head",
        ],
    ),
    (
        "tf-city",
        &[
            "zjj-head",
            "zjj-staff1",
            "zhzf-head",
            "jtysj-head",
            "town-dongcheng-head",
        ],
    ),
    (
        "tf-factors",
        &[
            "fgj-head",
            "zrzyj-head",
            "czj-staff1",
            "tzcj-head",
            "rsj-staff2",
        ],
    ),
    (
        "tf-tourism",
        &[
            "wglt-head",
            "wglt-staff1",
            "swj-staff1",
            "jtysj-staff1",
            "town-fangyan-head",
        ],
    ),
    (
        "tf-innovation",
        &[
            "kjj-head",
            "kjj-staff1",
            "rsj-head",
            "sjj-head",
            "jxj-staff2",
        ],
    ),
    (
        "hq-hardware",
        &[
            "jxj-head",
            "swj-head",
            "scjg-staff1",
            "town-kaifaqu-liaison",
        ],
    ),
    (
        "hq-renewal",
        &["zjj-head", "zrzyj-head", "zhzf-staff1", "town-xicheng-head"],
    ),
];

/// Everyone with a demo login, in a fixed order.
pub(super) fn roster(rows: &[&UnitRow]) -> Vec<DemoPerson> {
    let mut r = Roster::default();

    r.add(
        "admin",
        "系统管理员",
        Role::Admin,
        Some("dkb"),
        Some("综合科"),
        Some("信息化专员"),
    );
    r.add(
        "dkb-head",
        "主任",
        Role::SupervisionOffice,
        Some("dkb"),
        None,
        None,
    );
    r.add(
        "dkb",
        "科长",
        Role::SupervisionOffice,
        Some("dkb"),
        Some("督查科"),
        Some("科长"),
    );
    r.add(
        "dkb2",
        "科员",
        Role::SupervisionOffice,
        Some("dkb"),
        Some("督查科"),
        Some("督查专员"),
    );
    r.add(
        "dkb3",
        "科长",
        Role::SupervisionOffice,
        Some("dkb"),
        Some("考核科"),
        Some("科长"),
    );
    r.add(
        "dkb4",
        "科员",
        Role::SupervisionOffice,
        Some("dkb"),
        Some("考核科"),
        Some("考核专员"),
    );

    r.add(
        "shuji",
        "市委书记",
        Role::TopLeader,
        Some("leaders"),
        None,
        None,
    );
    r.add(
        "shizhang",
        "市长",
        Role::TopLeader,
        Some("leaders"),
        None,
        None,
    );
    for (n, title) in [
        (1, "常务副市长"),
        (2, "副市长"),
        (3, "副市长"),
        (4, "副市长"),
        (5, "副市长"),
        (6, "副市长"),
    ] {
        r.add(
            &format!("fsz{n}"),
            title,
            Role::PortfolioLeader,
            Some("leaders"),
            None,
            None,
        );
    }

    for row in rows.iter().filter(|row| !row.head_title.is_empty()) {
        let code = Some(row.code);
        r.add(
            &format!("{}-head", row.code),
            row.head_title,
            Role::UnitHead,
            code,
            None,
            None,
        );
        let office = row.sections.first().map(|&(name, _)| name);
        r.add(
            &format!("{}-liaison", row.code),
            "联络员",
            Role::UnitLiaison,
            code,
            office,
            None,
        );
        for (n, &(section, post, title)) in row.staff.iter().enumerate() {
            let username = format!("{}-staff{}", row.code, n + 1);
            r.add(
                &username,
                title,
                Role::SectionStaff,
                code,
                Some(section),
                Some(post),
            );
        }
    }

    for n in 1..=6 {
        let title = if n <= 3 {
            "人大代表"
        } else {
            "政协委员"
        };
        r.add(&format!("deputy{n}"), title, Role::Deputy, None, None, None);
    }
    // Last, so that adding the role moved no one else's name, mobile or id.
    r.add("auditor", "审计员", Role::Auditor, None, None, None);
    // The offices of the city's 人大 and 政协 for suggestions and proposals; after the
    // auditor for the same reason.
    r.add(
        "npc-office",
        "人大代表工委",
        Role::NpcOffice,
        None,
        None,
        None,
    );
    r.add(
        "cppcc-office",
        "政协提案委",
        Role::CppccOffice,
        None,
        None,
        None,
    );

    for &(task_force, members) in TASK_FORCE_MEMBERS {
        for &member in members {
            let person = r
                .people
                .iter_mut()
                .find(|p| p.username == member)
                .unwrap_or_else(|| panic!("task-force member {member} is not in the roster"));
            person.task_forces.push(task_force);
        }
    }

    r.people
}

/// The roster being built; the `i`-th person added gets the `i`-th name and mobile.
#[derive(Default)]
struct Roster {
    people: Vec<DemoPerson>,
}

impl Roster {
    fn add(
        &mut self,
        username: &str,
        title: &str,
        role: Role,
        unit: Option<&'static str>,
        section: Option<&'static str>,
        post: Option<&'static str>,
    ) {
        let i = self.people.len();
        self.people.push(DemoPerson {
            username: username.to_string(),
            name: person_name(i),
            title: title.to_string(),
            role,
            mobile: person_mobile(i),
            unit,
            section,
            post,
            task_forces: Vec::new(),
        });
    }
}
