//! The policy matrix: every page route and every API route, with every demo role and the
//! anonymous public, must be allowed or denied as this table says. The expectations come from
//! the demo data (who belongs where, who holds which portfolio today), not from the policy
//! code, so a handler that forgets to ask the policy — or asks it wrongly — fails here.

use crate::helpers::{Client, TestApp, backends};
use duban_core::demo::demo_city;
use duban_core::org::valid_on;
use duban_core::role::Role;
use reqwest::StatusCode;
use std::collections::BTreeSet;

mod evidence;

/// Who may reach a route.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user.
    SignedIn,
    /// Only these roles.
    Roles(&'static [Role]),
    /// Signed-in users whose scope includes the probed unit (see `Probe`).
    Scoped,
    /// Reading the probed unit's first task: whole-city roles, anyone whose scope holds its
    /// lead or a co-unit, and the leader and person it names (deputies never).
    TaskRead,
    /// Writing the draft probe task (统计局's list): the office, or the unit's head/liaison.
    TaskWrite,
    /// Submitting the sacrificial unit's lists: its head.
    UnitHead,
    /// Reporting progress on a task (the probe unit's first task to open the form, the draft
    /// probe task to write): a head or liaison of its lead unit, or the person it names as
    /// responsible, provided they can see it.
    TaskReport,
    /// Reading (or stepping on) the probe unit's first case: whole-city roles, anyone whose
    /// scope holds one of its units, and the leader, handler and raiser it names.
    CaseRead,
    /// Editing or amending the probe commitment (jxj-head's, published in the demo): its
    /// committer only.
    Committer,
    /// 晒拼: writing the statement of the probe presenter (经信局 in the demo's published
    /// showcase): the office, or that unit's head or liaison.
    ShowcaseFill,
    /// 晒拼: a judge's form and cards on the demo's published showcase: its panel only.
    ShowcaseJudge,
}

const ADMIN: &[Role] = &[Role::Admin];
/// The ledger's readers.
const LEDGER: &[Role] = &[Role::Admin, Role::SupervisionOffice, Role::Auditor];
/// Who sets up the year.
const PLAN: &[Role] = &[Role::Admin, Role::SupervisionOffice];
const OFFICE: &[Role] = &[Role::SupervisionOffice];
/// Readers of the lists, reports and dashboards: everyone but deputies.
const NOT_DEPUTY: &[Role] = &[
    Role::Admin,
    Role::SupervisionOffice,
    Role::TopLeader,
    Role::PortfolioLeader,
    Role::UnitHead,
    Role::UnitLiaison,
    Role::SectionStaff,
    Role::Auditor,
    Role::NpcOffice,
    Role::CppccOffice,
];
/// Who may upload a progress sheet (each row is still asked about): the readers of the
/// lists but the auditor, who writes nothing.
const SHEET_UPLOADERS: &[Role] = &[
    Role::Admin,
    Role::SupervisionOffice,
    Role::TopLeader,
    Role::PortfolioLeader,
    Role::UnitHead,
    Role::UnitLiaison,
    Role::SectionStaff,
    Role::NpcOffice,
    Role::CppccOffice,
];
/// Everyone signed in but the auditor (uploads of evidence files).
const NOT_AUDITOR: &[Role] = &[
    Role::Admin,
    Role::SupervisionOffice,
    Role::TopLeader,
    Role::PortfolioLeader,
    Role::UnitHead,
    Role::UnitLiaison,
    Role::SectionStaff,
    Role::Deputy,
    Role::NpcOffice,
    Role::CppccOffice,
];
/// Who sees assessment at all: everyone but deputies and the proposal offices.
const ASSESSMENT: &[Role] = &[
    Role::Admin,
    Role::SupervisionOffice,
    Role::TopLeader,
    Role::PortfolioLeader,
    Role::UnitHead,
    Role::UnitLiaison,
    Role::SectionStaff,
    Role::Auditor,
];
/// Who sees the assessment's group tables when the scheme keeps them from units.
const RANKINGS: &[Role] = &[
    Role::Admin,
    Role::SupervisionOffice,
    Role::TopLeader,
    Role::PortfolioLeader,
    Role::Auditor,
];
/// Who reads the manual score proposals.
const SCORE_PROPOSALS: &[Role] = &[Role::SupervisionOffice, Role::Auditor];
/// Roles that register cases.
const REGISTRARS: &[Role] = &[
    Role::SupervisionOffice,
    Role::TopLeader,
    Role::PortfolioLeader,
];
/// Roles that write some list (their own unit's; the office any).
const LIST_WRITERS: &[Role] = &[Role::SupervisionOffice, Role::UnitHead, Role::UnitLiaison];

/// Roles that draft commitments of their own.
const COMMITTERS: &[Role] = &[Role::TopLeader, Role::PortfolioLeader, Role::UnitHead];
/// Who evaluates commitments: deputies and members, and the office for the public.
const EVALUATORS: &[Role] = &[Role::Deputy, Role::SupervisionOffice];
/// Who registers suggestions and proposals: the NPC and CPPCC offices (each its own kind).
const PROPOSAL_OFFICES: &[Role] = &[Role::NpcOffice, Role::CppccOffice];
/// Who uploads the hand-out sheet: the offices register, the government office hands out.
const HANDOUT_SHEET: &[Role] = &[Role::NpcOffice, Role::CppccOffice, Role::SupervisionOffice];
/// Who sees the proposal rates: everyone but deputies.
const PROPOSAL_RATES: &[Role] = NOT_DEPUTY;

/// Who may raise a joint matter (吹哨): a unit's head or liaison, for their own unit.
const JOINT_RAISERS: &[Role] = &[Role::UnitHead, Role::UnitLiaison];
/// The demo account whose published commitment the commitment routes are probed with.
const COMMITTER: &str = "jxj-head";

/// The unit whose draft list write probes use (统计局's list is a draft in the demo).
const DRAFT_UNIT: &str = "tjj";

/// What each route template is probed with.
fn rule_for(method: &str, path: &str) -> Option<Rule> {
    Some(match (method, path) {
        ("GET", "/login") | ("POST", "/login") | ("GET", "/lang/{code}") | ("POST", "/logout") => {
            Rule::Public
        }
        ("GET", "/") | ("GET", "/org") | ("GET", "/org/people") | ("GET", "/org/portfolios") => {
            Rule::SignedIn
        }
        ("GET", "/account") | ("POST", "/account/password") | ("POST", "/account/tokens") => {
            Rule::SignedIn
        }
        ("POST", "/account/tokens/{id}/revoke") => Rule::SignedIn,
        ("GET", "/org/units/{id}") | ("GET", "/org/people/{id}") => Rule::Scoped,
        // The transparency log: for anyone, signed in or not.
        ("GET", "/transparency/public-key") => Rule::Public,
        ("GET", p) if p.starts_with("/api/v1/transparency/") => Rule::Public,
        // The portal over JSON: for anyone, signed in or not.
        ("GET", p) if p.starts_with("/api/v1/public/") => Rule::Public,
        // The ledger (and its old address, which redirects): office, admin, auditor.
        ("GET", "/admin/ledger") => Rule::Roles(LEDGER),
        ("GET", p) if p == "/ledger" || p.starts_with("/ledger/") => Rule::Roles(LEDGER),
        ("GET", p) if p.starts_with("/api/v1/ledger") => Rule::Roles(LEDGER),
        (_, "/admin/plan")
        | ("POST", "/admin/plan/lights")
        | ("POST", "/admin/campaigns")
        | ("POST", "/admin/campaigns/{id}")
        | ("POST", "/admin/aliases")
        | ("POST", "/admin/aliases/delete") => Rule::Roles(PLAN),
        ("GET", "/lists") | ("GET", "/lists/export.xlsx") | ("GET", "/lists/export.csv") => {
            Rule::Roles(NOT_DEPUTY)
        }
        ("GET", "/api/v1/tasks") | ("GET", "/api/v1/plan") => Rule::Roles(NOT_DEPUTY),
        ("GET", "/lists/tasks/new") | ("POST", "/lists/tasks") | ("POST", "/api/v1/tasks") => {
            Rule::Roles(LIST_WRITERS)
        }
        (_, "/lists/import")
        | ("POST", "/lists/import/{id}/commit")
        | ("POST", "/api/v1/imports")
        | ("POST", "/api/v1/imports/{id}/commit") => Rule::Roles(LIST_WRITERS),
        ("GET", "/lists/tasks/{id}") | ("GET", "/api/v1/tasks/{id}") => Rule::TaskRead,
        ("POST", "/lists/tasks/{id}")
        | ("GET", "/lists/tasks/{id}/edit")
        | ("PUT", "/api/v1/tasks/{id}")
        | ("POST", "/api/v1/tasks/{id}/subtasks")
        | ("GET", "/lists/tasks/{id}/change")
        | ("POST", "/lists/tasks/{id}/changes")
        | ("POST", "/api/v1/tasks/{id}/changes") => Rule::TaskWrite,
        ("POST", "/lists/tasks/{id}/review") | ("POST", "/api/v1/tasks/{id}/review") => {
            Rule::Roles(OFFICE)
        }
        ("GET", "/lists/changes")
        | ("POST", "/lists/changes/{id}/decide")
        | ("POST", "/api/v1/changes/{id}/decision") => Rule::Roles(OFFICE),
        ("POST", "/lists/submit") => Rule::Roles(&[Role::UnitHead]),
        ("GET", "/reports")
        | ("GET", "/reports/summary.xlsx")
        | ("GET", "/api/v1/reports")
        | ("GET", "/dashboard") => Rule::Roles(NOT_DEPUTY),
        // An empty batch: refused (back to the queue, or 422) for everyone who may review.
        ("POST", "/reports/review") | ("POST", "/api/v1/reports/review") => Rule::Roles(NOT_DEPUTY),
        ("GET", "/dashboard/tasks") | ("GET", "/api/v1/dashboard/tasks") => Rule::Roles(NOT_DEPUTY),
        ("GET", "/api/v1/dashboard") | ("GET", "/api/v1/light-rules/{year}") => {
            Rule::Roles(NOT_DEPUTY)
        }
        ("PUT", "/api/v1/light-rules/{year}") => Rule::Roles(PLAN),
        ("GET", "/reports/export.xlsx") | ("GET", "/api/v1/reports/export") => {
            Rule::Roles(NOT_DEPUTY)
        }
        (_, "/reports/import") | ("POST", "/api/v1/report-imports") => Rule::Roles(SHEET_UPLOADERS),
        // Someone else's (or no) upload: 404 for all who may import at all.
        ("POST", "/reports/import/{id}/commit")
        | ("POST", "/api/v1/report-imports/{id}/commit") => Rule::Roles(SHEET_UPLOADERS),
        // A report that does not exist: every signed-in user gets 404; who may review a real
        // one is told by the progress stories.
        ("GET", "/reports/{id}")
        | ("POST", "/reports/{id}/review")
        | ("GET", "/api/v1/reports/{id}")
        | ("POST", "/api/v1/reports/{id}/review") => Rule::SignedIn,
        ("GET", "/api/v1/tasks/{id}/progress") => Rule::TaskRead,
        ("GET", "/lists/tasks/{id}/report")
        | ("POST", "/lists/tasks/{id}/report")
        | ("POST", "/api/v1/tasks/{id}/reports") => Rule::TaskReport,
        ("POST", "/lists/tasks/{id}/light") | ("PUT", "/api/v1/tasks/{id}/light") => {
            Rule::Roles(OFFICE)
        }
        ("GET", "/cases")
        | ("GET", "/cases/export.xlsx")
        | ("GET", "/api/v1/cases")
        | ("GET", "/api/v1/cases/export") => Rule::SignedIn,
        ("GET", "/cases/new") | ("POST", "/cases") | ("POST", "/api/v1/cases") => {
            Rule::Roles(REGISTRARS)
        }
        (_, "/cases/import")
        | ("POST", "/cases/import/{id}/commit")
        | ("POST", "/api/v1/case-imports")
        | ("POST", "/api/v1/case-imports/{id}/commit")
        | ("GET", "/meetings/new")
        | ("POST", "/meetings")
        | ("POST", "/api/v1/meetings")
        | (_, "/cases/settings")
        | (_, "/api/v1/case-settings/{year}")
        | ("POST", "/cases/{id}/reopen")
        | ("POST", "/api/v1/cases/{id}/reopen") => Rule::Roles(OFFICE),
        ("GET", "/cases/{id}")
        | ("POST", "/cases/{id}/steps")
        | ("GET", "/cases/{id}/documents/{doc}")
        | ("GET", "/api/v1/cases/{id}")
        | ("POST", "/api/v1/cases/{id}/steps")
        | ("GET", "/api/v1/cases/{id}/documents/{doc}")
        | ("GET", "/attachments/{id}")
        | ("GET", "/attachments/{id}/thumb")
        | ("GET", "/api/v1/attachments/{id}")
        | ("GET", "/api/v1/attachments/{id}/thumb") => Rule::CaseRead,
        ("POST", "/api/v1/attachments") => Rule::Roles(NOT_AUDITOR),
        ("POST", "/api/v1/units/{id}/tasks/submit") => Rule::UnitHead,
        (_, p) if p.starts_with("/admin/") => Rule::Roles(ADMIN),
        ("GET", "/api/v1/me") | ("GET", "/api/v1/units") | ("GET", "/api/v1/people") => {
            Rule::SignedIn
        }
        ("GET", "/api/v1/portfolios") | ("GET", "/api/v1/tokens") | ("POST", "/api/v1/tokens") => {
            Rule::SignedIn
        }
        ("DELETE", "/api/v1/tokens/{id}") => Rule::SignedIn,
        // Search: anyone signed in; what it finds is limited by scope (tests/api/search.rs).
        ("GET", "/search") | ("GET", "/api/v1/search") => Rule::SignedIn,
        // One's own inbox and notification preferences.
        ("GET", "/inbox") | ("POST", "/inbox/read") | ("POST", "/inbox/prefs") => Rule::SignedIn,
        ("GET", "/api/v1/inbox") | ("POST", "/api/v1/inbox/read") => Rule::SignedIn,
        (_, "/api/v1/me/notification-prefs") => Rule::SignedIn,
        ("GET", "/api/v1/units/{id}") | ("GET", "/api/v1/people/{id}") => Rule::Scoped,
        // The public portal and Open311: everyone, the anonymous public included.
        (_, p) if p == "/public" || p.starts_with("/public/") || p.starts_with("/open311/") => {
            Rule::Public
        }
        // The intake queue of public reports: the supervision office.
        (_, p)
            if p == "/intake" || p.starts_with("/intake/") || p.starts_with("/api/v1/intake") =>
        {
            Rule::Roles(OFFICE)
        }
        ("POST", "/api/v1/units") | ("PUT", "/api/v1/units/{id}") => Rule::Roles(ADMIN),
        // Commitments: published ones are seen by everyone signed in; which step a caller
        // may take is told by the commitment stories (an unknown step is a 422 for all).
        ("GET", "/commitments")
        | ("GET", "/api/v1/commitments")
        | ("GET", "/commitments/{id}")
        | ("GET", "/api/v1/commitments/{id}")
        | ("POST", "/commitments/{id}/steps")
        | ("POST", "/api/v1/commitments/{id}/steps") => Rule::SignedIn,
        ("GET", "/commitments/new")
        | ("POST", "/commitments")
        | ("POST", "/api/v1/commitments") => Rule::Roles(COMMITTERS),
        ("POST", "/commitments/{id}/evaluations/set-aside")
        | ("POST", "/api/v1/commitments/{id}/evaluations/set-aside") => Rule::Roles(OFFICE),
        ("POST", "/commitments/{id}")
        | ("PUT", "/api/v1/commitments/{id}")
        | ("GET", "/commitments/{id}/edit")
        | ("GET", "/commitments/{id}/amend")
        | ("POST", "/commitments/{id}/amendments")
        | ("POST", "/api/v1/commitments/{id}/amendments") => Rule::Committer,
        ("POST", "/commitments/{id}/evaluations")
        | ("POST", "/api/v1/commitments/{id}/evaluations") => Rule::Roles(EVALUATORS),
        ("GET", "/livelihood")
        | ("GET", "/api/v1/livelihood")
        | ("GET", "/livelihood/{id}")
        | ("GET", "/api/v1/livelihood/{id}") => Rule::SignedIn,
        ("POST", "/livelihood/{id}/votes") | ("POST", "/api/v1/livelihood/{id}/votes") => {
            Rule::Roles(&[Role::Deputy])
        }
        ("POST", "/livelihood/{id}/close")
        | ("POST", "/api/v1/livelihood/{id}/close")
        | ("POST", "/api/v1/livelihood") => Rule::Roles(OFFICE),
        // Assessment (督考): the tables (units are sent to their own scores on the page),
        // a unit's scores (scoped), the scheme (everyone but deputies reads it), and the
        // office's writes; appeals are filed by unit heads only.
        ("GET", "/assessment")
        | ("GET", "/assessment/scheme")
        | ("GET", "/assessment/appeals")
        | ("GET", "/api/v1/assessment/scheme")
        | ("GET", "/api/v1/assessment/appeals") => Rule::Roles(ASSESSMENT),
        ("GET", "/api/v1/assessment/rankings") => Rule::Roles(RANKINGS),
        // Published bulletins on the portal: anyone (an unpublished one is a 404).
        ("GET", "/public/bulletins") | ("GET", "/public/bulletins/{id}/files/{format}") => {
            Rule::Public
        }
        // Bulletins: the probe is the demo's first issued one (every unit and leader reads
        // it); the office alone generates, edits, issues and sets the series.
        ("GET", "/assessment/bulletins")
        | ("GET", "/api/v1/assessment/bulletins")
        | ("GET", "/assessment/bulletins/{id}")
        | ("GET", "/api/v1/assessment/bulletins/{id}")
        | ("GET", "/assessment/bulletins/{id}/files/{format}")
        | ("GET", "/api/v1/assessment/bulletins/{id}/files/{format}") => Rule::Roles(ASSESSMENT),
        (_, p)
            if p.starts_with("/assessment/bulletins")
                || p.starts_with("/api/v1/assessment/bulletins") =>
        {
            Rule::Roles(OFFICE)
        }
        ("GET", "/assessment/units/{id}") | ("GET", "/api/v1/assessment/units/{id}") => {
            Rule::Scoped
        }
        ("GET", "/assessment/proposals") | ("GET", "/api/v1/assessment/proposals") => {
            Rule::Roles(SCORE_PROPOSALS)
        }
        ("POST", "/assessment/events/{id}/appeal")
        | ("POST", "/api/v1/assessment/events/{id}/appeal") => Rule::Roles(&[Role::UnitHead]),
        ("POST", "/assessment/refresh")
        | ("POST", "/assessment/scheme")
        | ("POST", "/assessment/proposals")
        | ("POST", "/assessment/proposals/{id}/decide")
        | ("POST", "/assessment/appeals/{id}/decide")
        | ("POST", "/api/v1/assessment/scheme")
        | ("POST", "/api/v1/assessment/refresh")
        | ("POST", "/api/v1/assessment/proposals")
        | ("POST", "/api/v1/assessment/proposals/{id}/decision")
        | ("POST", "/api/v1/assessment/appeals/{id}/decision") => Rule::Roles(OFFICE),
        // Suggestions and proposals. An item that does not exist: every signed-in user gets
        // 404 (who may see or step on a real one is told by tests/api/proposals.rs).
        ("GET", "/api/v1/proposals") => Rule::SignedIn,
        ("POST", "/api/v1/proposals") => Rule::Roles(PROPOSAL_OFFICES),
        ("POST", "/api/v1/proposals/submit") => Rule::Roles(&[Role::Deputy]),
        // The hand-out sheet: each office registers its own kind, the government office hands
        // the registered items out (tests/api/proposal_import.rs).
        ("GET", "/proposals/import")
        | ("POST", "/proposals/import")
        | ("POST", "/proposals/import/{id}/commit")
        | ("POST", "/api/v1/proposal-imports")
        | ("POST", "/api/v1/proposal-imports/{id}/commit") => Rule::Roles(HANDOUT_SHEET),
        ("GET", "/api/v1/proposals/rates") | ("GET", "/api/v1/proposals/rates/items") => {
            Rule::Roles(PROPOSAL_RATES)
        }
        ("GET", "/api/v1/proposals/{id}") | ("POST", "/api/v1/proposals/{id}/steps") => {
            Rule::SignedIn
        }
        // Their pages and files (issue 16): the list and an item (404 for the probe) for
        // everyone signed in, a deputy's own items for deputies, the rates and the summary
        // for everyone but deputies.
        ("GET", "/proposals")
        | ("GET", "/proposals/{id}")
        | ("POST", "/proposals/{id}/steps")
        | ("GET", "/proposals/{id}/reply.docx")
        | ("GET", "/proposals/{id}/feedback.docx")
        | ("GET", "/api/v1/proposals/{id}/reply.docx")
        | ("GET", "/api/v1/proposals/{id}/feedback.docx") => Rule::SignedIn,
        ("GET", "/proposals/mine") => Rule::Roles(&[Role::Deputy]),
        ("GET", "/proposals/rates")
        | ("GET", "/proposals/rates/items")
        | ("GET", "/proposals/summary.xlsx")
        | ("GET", "/api/v1/proposals/summary.xlsx") => Rule::Roles(PROPOSAL_RATES),
        // 晒拼, probed with the demo's published July showcase and 经信局's page: published
        // results and pages for everyone signed in; set-up and steps for the office; raw
        // cards for the office and the auditor; the form and cards for its panel.
        ("GET", "/showcase")
        | ("GET", "/api/v1/showcases")
        | ("GET", "/showcase/{id}")
        | ("GET", "/api/v1/showcases/{id}")
        | ("GET", "/showcase/{id}/presenters/{presenter}")
        | ("GET", "/api/v1/showcases/{id}/presenters/{presenter}")
        | ("GET", "/showcase/{id}/presenters/{presenter}/pdf")
        | ("GET", "/api/v1/showcases/{id}/presenters/{presenter}/pdf")
        | ("GET", "/showcase/{id}/present/{presenter}")
        | ("GET", "/showcase/{id}/results")
        | ("GET", "/api/v1/showcases/{id}/results") => Rule::SignedIn,
        ("POST", "/showcase")
        | ("POST", "/api/v1/showcases")
        | ("POST", "/showcase/{id}/state")
        | ("POST", "/api/v1/showcases/{id}/state")
        | ("POST", "/showcase/{id}/presenters/{presenter}/scoring")
        | ("POST", "/api/v1/showcases/{id}/presenters/{presenter}/scoring")
        | ("POST", "/showcase/{id}/judges")
        | ("GET", "/api/v1/showcases/{id}/judges")
        | ("POST", "/api/v1/showcases/{id}/judges")
        | ("POST", "/showcase/{id}/guest-links")
        | ("POST", "/api/v1/showcases/{id}/guest-links") => Rule::Roles(OFFICE),
        ("GET", "/showcase/{id}/cards")
        | ("GET", "/showcase/{id}/cards.xlsx")
        | ("GET", "/api/v1/showcases/{id}/cards")
        | ("GET", "/api/v1/showcases/{id}/cards/export") => {
            Rule::Roles(&[Role::SupervisionOffice, Role::Auditor])
        }
        ("POST", "/showcase/{id}/presenters/{presenter}/statement")
        | ("PUT", "/api/v1/showcases/{id}/presenters/{presenter}/statement") => Rule::ShowcaseFill,
        ("GET", "/showcase/{id}/score")
        | ("POST", "/showcase/{id}/score")
        | ("GET", "/api/v1/showcases/{id}/form")
        | ("POST", "/api/v1/showcases/{id}/cards") => Rule::ShowcaseJudge,
        // A guest judge link is its own gate: public, but an unknown link finds nothing (404),
        // and counts against the address's limit (429), never a sign-in.
        (_, "/showcase/judge/{token}") => Rule::Public,
        // County and township as one (issue 19). The duty list: read by everyone signed in,
        // kept by the office (a missing entry or upload is a 404 after the policy answers).
        (_, p) if p.starts_with("/duties") || p.starts_with("/api/v1/duties") => match method {
            "GET" => Rule::SignedIn,
            _ => Rule::Roles(OFFICE),
        },
        // Raising a joint matter: a unit's head or liaison for their own unit (a department
        // is then told it is no town: 422).
        ("POST", "/joint") | ("POST", "/api/v1/joint") => Rule::Roles(JOINT_RAISERS),
        // The year's working hours and report-in window: the office.
        (_, "/joint/settings") | (_, "/api/v1/joint/settings/{year}") => Rule::Roles(OFFICE),
        // Joint matters, their steps and figures: everyone but deputies; a matter that does
        // not exist is a 404 for them; which side may take which step is told by the stories
        // (tests/api/county.rs).
        (_, p) if p.starts_with("/joint") || p.starts_with("/api/v1/joint") => {
            Rule::Roles(NOT_DEPUTY)
        }
        _ => return None,
    })
}

/// The units a demo account may see, computed from the demo data alone.
fn expected_scope(username: &str, today: jiff::civil::Date) -> BTreeSet<&'static str> {
    let city = demo_city();
    let person = city
        .people
        .iter()
        .find(|p| p.username == username)
        .expect("demo account");
    let mut units: BTreeSet<&'static str> = person.unit.into_iter().collect();
    units.extend(person.task_forces.iter().copied());
    for pf in &city.portfolios {
        if pf.leader == username && valid_on(pf.valid_from, pf.valid_to, today) {
            units.insert(pf.unit);
        }
    }
    units
}

struct Probe {
    /// Unit code and person user name substituted for `{id}` on unit and person routes.
    unit: &'static str,
    person: &'static str,
    /// The person's home unit, which decides who may see them.
    person_unit: &'static str,
}

/// Units (and a person in each) to probe scoped routes with: one department, one town, a task
/// force and the supervision office.
const PROBES: [Probe; 4] = [
    Probe {
        unit: "jxj",
        person: "jxj-staff1",
        person_unit: "jxj",
    },
    Probe {
        unit: "town-dongcheng",
        person: "town-dongcheng-liaison",
        person_unit: "town-dongcheng",
    },
    Probe {
        unit: "tf-industry",
        person: "fgj-liaison",
        person_unit: "fgj",
    },
    Probe {
        unit: "dkb",
        person: "dkb2",
        person_unit: "dkb",
    },
];

fn all_routes() -> Vec<(String, String)> {
    let mut routes: Vec<(String, String)> = duban_web::page_routes()
        .into_iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    routes.extend(
        duban_web::open311_routes()
            .into_iter()
            .map(|(m, p)| (m.to_string(), p.to_string())),
    );
    let doc = serde_json::to_value(duban_web::openapi()).expect("openapi serialises");
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            routes.push((method.to_uppercase(), path.clone()));
        }
    }
    routes
}

#[test]
fn the_matrix_covers_every_route() {
    let missing: Vec<_> = all_routes()
        .into_iter()
        .filter(|(m, p)| rule_for(m, p).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the policy matrix: {missing:?}"
    );
}

/// A request's outcome as the matrix sees it.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Allowed,
    Denied,
    SignInFirst,
}

fn outcome(path: &str, status: StatusCode, location: Option<&str>) -> Outcome {
    let to_login = location.is_some_and(|l| l.starts_with("/login"));
    match status {
        StatusCode::FORBIDDEN => Outcome::Denied,
        StatusCode::UNAUTHORIZED => Outcome::SignInFirst,
        StatusCode::SEE_OTHER if to_login && path != "/login" && path != "/logout" => {
            Outcome::SignInFirst
        }
        _ => Outcome::Allowed,
    }
}

async fn send(
    c: &Client,
    app: &TestApp,
    method: &str,
    template: &str,
    probe: &Probe,
) -> (StatusCode, Option<String>) {
    let unit = app.unit_id(probe.unit).await;
    let person = app.person_id(probe.person).await;
    // Writes by the admin hit a sacrificial unit and person so the probes stay as seeded.
    let (unit, person) = if method == "GET" {
        (unit, person)
    } else {
        (app.unit_id("tyjr").await, app.person_id("deputy6").await)
    };
    let id = if template.contains("/tasks/{id}") {
        if method == "GET" && !template.ends_with("/edit") && !template.ends_with("/change") {
            app.first_task_of(probe.unit).await
        } else {
            app.first_task_of(DRAFT_UNIT).await
        }
    } else if template.contains("/people/") {
        person
    } else if template.contains("/public/proposals/{id}") {
        // A reply the demo's proposer agreed to publish: open to everyone.
        let mut tx = app.store.begin_read().await.expect("tx");
        let (id,): (i64,) = duban_store::sql(
            "SELECT MIN(r.proposal_id) FROM proposal_ratings r
             JOIN proposals p ON p.id = r.proposal_id AND p.proposer_id = r.person_id
             WHERE r.publish",
        )
        .fetch_one(&mut tx)
        .await
        .expect("the demo publishes replies");
        id
    } else if [
        "/changes/",
        "/import/",
        "/imports/",
        "/tokens/",
        "/portfolios/",
        "/sections/",
        "/posts/",
        "/reports/",
        "/livelihood/",
        "/assessment/events/",
        "/assessment/proposals/",
        "/assessment/appeals/",
        "/proposals/{id}",
        "/duties/",
        "/joint/",
    ]
    .iter()
    .any(|p| template.contains(p))
    {
        // Records that need not exist: the policy answers before the lookup.
        999_999
    } else if template.contains("/bulletins/{id}") {
        if method == "GET" {
            let mut tx = app.store.begin_read().await.expect("tx");
            let (id,): (i64,) =
                duban_store::sql("SELECT MIN(id) FROM bulletins WHERE state = 'issued'")
                    .fetch_one(&mut tx)
                    .await
                    .expect("the demo has issued bulletins");
            id
        } else {
            // Writes need not find one: the policy answers before the lookup.
            999_999
        }
    } else if template.contains("/commitments/{id}") {
        let person = app.person_id(COMMITTER).await;
        let mut tx = app.store.begin_read().await.expect("tx");
        let (id,): (i64,) =
            duban_store::sql("SELECT MIN(id) FROM commitments WHERE committer_id = $1")
                .bind(person)
                .fetch_one(&mut tx)
                .await
                .expect("the demo has the probe commitment");
        id
    } else if template.contains("/showcase/{id}") || template.contains("/showcases/{id}") {
        showcase_probe(app).await.0
    } else if template.contains("/cases/{id}") {
        app.first_case_of(probe.unit).await
    } else if template.contains("/attachments/{id}") {
        // A photo on the timeline of the probe unit's first case.
        crate::attachments::on_first_case_of(app, probe.unit).await
    } else {
        unit
    };
    let path = template
        .replace("{id}", &id.to_string())
        .replace("{person}", &person.to_string())
        .replace("{day}", "2026-01-01")
        .replace("{doc}", "999999")
        .replace("{presenter}", &showcase_probe(app).await.1.to_string())
        .replace("{year}", "2026")
        .replace("{code}", "en")
        .replace("{seq}", "1")
        .replace("{size}", "1")
        .replace("{format}", "xlsx");
    let url = c.url(&path);
    let req = match method {
        "GET" => c.http.get(url),
        "DELETE" => c.http.delete(url),
        "PUT" => c
            .http
            .put(url)
            .header("x-csrf-token", c.csrf().await)
            .json(&serde_json::json!({})),
        "POST" if path.starts_with("/api/") => c
            .http
            .post(url)
            .header("x-csrf-token", c.csrf().await)
            .json(&serde_json::json!({})),
        _ => {
            let csrf = c.csrf().await;
            c.http.post(url).form(&[("_csrf", csrf.as_str())])
        }
    };
    let req = if method == "DELETE" {
        req.header("x-csrf-token", c.csrf().await)
    } else {
        req
    };
    let res = req.send().await.expect("request");
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (res.status(), location)
}

/// The demo's published showcase and its presenter for 经信局 (the probes of 晒拼 routes).
async fn showcase_probe(app: &TestApp) -> (i64, i64) {
    let mut tx = app.store.begin_read().await.expect("tx");
    duban_store::sql(
        "SELECT s.id, p.id FROM showcases s
         JOIN showcase_presenters p ON p.showcase_id = s.id
         JOIN units u ON u.id = p.unit_id
         WHERE s.state = 'published' AND u.code = 'jxj' ORDER BY s.id LIMIT 1",
    )
    .fetch_one(&mut tx)
    .await
    .expect("the demo has a published showcase with 经信局")
}

/// The demo accounts on the probe showcase's panel.
async fn showcase_panel(app: &TestApp) -> Vec<String> {
    let id = showcase_probe(app).await.0;
    let mut tx = app.store.begin_read().await.expect("tx");
    let rows: Vec<(String,)> = duban_store::sql(
        "SELECT u.username FROM showcase_judges j JOIN users u ON u.id = j.user_id
         WHERE j.showcase_id = $1",
    )
    .bind(id)
    .fetch_all(&mut tx)
    .await
    .expect("panel");
    rows.into_iter().map(|(u,)| u).collect()
}

/// Who a task names and which units it is assigned to, read from the database.
struct TaskFacts {
    units: Vec<&'static str>,
    people: Vec<String>,
    /// The responsible person (责任人) a task names.
    person: Option<String>,
}

async fn task_facts(app: &TestApp, unit: &str) -> TaskFacts {
    let city = demo_city();
    let id = app.first_task_of(unit).await;
    let (units, people) = app.task_units_and_people(id).await;
    let person = {
        let mut tx = app.store.begin_read().await.expect("tx");
        let t = duban_store::lists::get_task(&mut tx, duban_core::lists::TaskId(id))
            .await
            .expect("task");
        match t.fields.person_id {
            Some(p) => {
                duban_store::people::get_person(&mut tx, p)
                    .await
                    .expect("person")
                    .username
            }
            None => None,
        }
    };
    // Lead unit first, as the database lists them.
    TaskFacts {
        person,
        units: units
            .iter()
            .filter_map(|c| city.units.iter().find(|u| u.code == c).map(|u| u.code))
            .collect(),
        people,
    }
}

/// The units and named people (leader, handler, raiser) of the probe unit's first case.
async fn case_facts(app: &TestApp, unit: &str) -> TaskFacts {
    let id = app.first_case_of(unit).await;
    let mut tx = app.store.begin_read().await.expect("tx");
    let c = duban_store::cases::get_case(&mut tx, duban_core::cases::CaseId(id))
        .await
        .expect("case")
        .expect("the demo case exists");
    let city = demo_city();
    let mut units = Vec::new();
    for u in c.handling.units() {
        let code = duban_store::org::get_unit(&mut tx, u)
            .await
            .expect("unit")
            .code;
        units.extend(city.units.iter().find(|x| x.code == code).map(|x| x.code));
    }
    let mut people = Vec::new();
    for p in [
        c.handling.leader_id,
        c.handling.handler_id,
        c.facts.raised_by,
    ]
    .into_iter()
    .flatten()
    {
        people.extend(
            duban_store::people::get_person(&mut tx, p)
                .await
                .expect("person")
                .username,
        );
    }
    TaskFacts {
        units,
        people,
        person: None,
    }
}

#[expect(clippy::too_many_arguments, reason = "the matrix cell's whole context")]
fn expected(
    method: &str,
    rule: Rule,
    role: Option<Role>,
    username: &str,
    probe: &Probe,
    template: &str,
    today: jiff::civil::Date,
    read: &TaskFacts,
    draft: &TaskFacts,
    case: &TaskFacts,
    panel: &[String],
) -> Outcome {
    let Some(role) = role else {
        return if matches!(rule, Rule::Public) {
            Outcome::Allowed
        } else {
            Outcome::SignInFirst
        };
    };
    let allow = |yes: bool| {
        if yes {
            Outcome::Allowed
        } else {
            Outcome::Denied
        }
    };
    let scope = || expected_scope(username, today);
    match rule {
        Rule::TaskRead => allow(
            role != Role::Deputy
                && (role.sees_whole_city()
                    || read.units.iter().any(|u| scope().contains(u))
                    || read.people.iter().any(|p| p == username)),
        ),
        Rule::TaskWrite => allow(
            role == Role::SupervisionOffice
                || (matches!(role, Role::UnitHead | Role::UnitLiaison)
                    && scope().contains(draft.units[0])),
        ),
        Rule::UnitHead => allow(role == Role::UnitHead && scope().contains("tyjr")),
        Rule::TaskReport => {
            let facts = if method == "GET" { read } else { draft };
            let sees = role != Role::Deputy
                && (role.sees_whole_city()
                    || facts.units.iter().any(|u| scope().contains(u))
                    || facts.people.iter().any(|p| p == username));
            let reports = (matches!(role, Role::UnitHead | Role::UnitLiaison)
                && scope().contains(facts.units[0]))
                || facts.person.as_deref() == Some(username);
            allow(sees && reports)
        }
        Rule::CaseRead => allow(
            role.sees_whole_city()
                || (role != Role::Deputy && case.units.iter().any(|u| scope().contains(u)))
                || case.people.iter().any(|p| p == username),
        ),
        Rule::Committer => allow(username == COMMITTER),
        Rule::ShowcaseFill => allow(
            role == Role::SupervisionOffice
                || (matches!(role, Role::UnitHead | Role::UnitLiaison) && scope().contains("jxj")),
        ),
        Rule::ShowcaseJudge => allow(panel.iter().any(|p| p == username)),
        Rule::Public | Rule::SignedIn => Outcome::Allowed,
        Rule::Roles(roles) => {
            if roles.contains(&role) {
                Outcome::Allowed
            } else {
                Outcome::Denied
            }
        }
        Rule::Scoped => {
            let unit = if template.contains("/people/") {
                probe.person_unit
            } else {
                probe.unit
            };
            let allowed = role.sees_whole_city()
                || (role != Role::Deputy && expected_scope(username, today).contains(unit));
            if allowed {
                Outcome::Allowed
            } else {
                Outcome::Denied
            }
        }
    }
}

#[tokio::test]
async fn every_route_allows_and_denies_exactly_as_the_matrix_says() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let today = crate::helpers::today();
        let accounts: Vec<(String, Role)> = {
            let city = demo_city();
            // One account per role, plus a second unit head in a town for scope contrast.
            let mut v: Vec<(String, Role)> = Vec::new();
            for role in Role::ALL {
                let p = city
                    .people
                    .iter()
                    .find(|p| p.role == role)
                    .expect("every role has an account");
                v.push((p.username.clone(), role));
            }
            v.push(("town-dongcheng-head".into(), Role::UnitHead));
            v
        };
        let routes = all_routes();
        let mut failures = Vec::new();
        let mut checked = 0;
        // Admin last: its writes land on the sacrificial unit and person.
        let mut callers: Vec<(Option<(String, Role)>, Client)> = vec![(None, app.client())];
        for (u, r) in accounts
            .iter()
            .filter(|(_, r)| *r != Role::Admin)
            .chain(accounts.iter().filter(|(_, r)| *r == Role::Admin))
        {
            callers.push((Some((u.clone(), *r)), app.signed_in(u).await));
        }
        let draft = task_facts(&app, DRAFT_UNIT).await;
        let case = case_facts(&app, PROBES[0].unit).await;
        let panel = showcase_panel(&app).await;
        let mut reads = std::collections::HashMap::new();
        for p in &PROBES[..1] {
            reads.insert(p.unit, task_facts(&app, p.unit).await);
        }
        for (who, client) in &callers {
            for (method, template) in &routes {
                if template == "/logout" && who.is_some() {
                    continue; // would end the session mid-matrix; sessions.rs covers it
                }
                let rule = rule_for(method, template).expect("covered");
                let probes: &[Probe] = if matches!(rule, Rule::Scoped) {
                    &PROBES
                } else {
                    &PROBES[..1]
                };
                for probe in probes {
                    let (status, location) = send(client, &app, method, template, probe).await;
                    let got = outcome(template, status, location.as_deref());
                    let (username, role) = match who {
                        Some((u, r)) => (u.as_str(), Some(*r)),
                        None => ("(public)", None),
                    };
                    let want = expected(
                        method,
                        rule,
                        role,
                        username,
                        probe,
                        template,
                        today,
                        reads.get(probe.unit).unwrap_or(&draft),
                        &draft,
                        &case,
                        &panel,
                    );
                    checked += 1;
                    if got != want {
                        failures.push(format!("{backend}: {username} {method} {template} [{}] → {status}: got {got:?}, want {want:?}", probe.unit));
                    }
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {checked} matrix cells wrong:\n{}",
            failures.len(),
            failures.join("\n")
        );
        assert!(checked > 300, "the matrix checked only {checked} cells");
    }
}
