//! The demo city: a fictional 永康-like county-level city with its units, sections, people,
//! portfolios (分管) and the five 2026 campaigns, as plain data for `duban demo` and for tests.
//!
//! Built the same way every time — no randomness, no clock, no I/O. Writing it into a database
//! is the store's job, not this module's. Every person and phone number here is invented.

use crate::org::UnitKind;
use crate::role::Role;
use jiff::civil::Date;

pub mod duties;
mod leadership;
pub mod lists;
mod people;
pub mod proposals;
mod units;

#[cfg(test)]
mod tests;

/// The year the demo's campaigns belong to.
pub const DEMO_YEAR: i16 = 2026;
/// The demo's "today": its story — October's reports accepted, November's in flight, cases
/// played up to mid-November, a week of citizens' reports to the 20th — is told as of this
/// morning, whatever day the demo is started. `duban demo` pins the server's clock to
/// [`DEMO_CLOCK`] and every page shows it; the tests use the same instant.
pub const DEMO_TODAY: Date = jiff::civil::date(2026, 11, 25);
/// The local time the demo's clock starts at on [`DEMO_TODAY`] (it runs on from there).
pub const DEMO_CLOCK: jiff::civil::DateTime = jiff::civil::datetime(2026, 11, 25, 10, 0, 0, 0);

/// [`DEMO_CLOCK`] as an instant in the city's zone.
pub fn demo_now(tz: &jiff::tz::TimeZone) -> jiff::Timestamp {
    // A 10 a.m. that does not exist or exists twice is no zone's rule; the compatible
    // disambiguation picks one anyway, so this cannot fail for any real zone.
    DEMO_CLOCK
        .to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .unwrap_or_else(|_| jiff::Timestamp::UNIX_EPOCH)
}

/// The one password every demo account has (printed by `duban demo`).
pub const DEMO_PASSWORD: &str = "duban2026";

/// The whole demo city. Units, people and leaders refer to each other by code and username, so
/// the loader can insert units first and resolve the references afterwards.
#[derive(Debug, Clone)]
pub struct DemoCity {
    pub units: Vec<DemoUnit>,
    pub people: Vec<DemoPerson>,
    pub portfolios: Vec<DemoPortfolio>,
    pub campaigns: Vec<DemoCampaign>,
}

/// A unit (单位) of the demo city.
#[derive(Debug, Clone)]
pub struct DemoUnit {
    /// Stable code: lowercase ASCII, digits and `-`, starting with a letter, at most 32 bytes.
    pub code: &'static str,
    /// Full name, e.g. 永康市经济和信息化局.
    pub name: &'static str,
    /// The usual short form, e.g. 经信局.
    pub short_name: &'static str,
    pub kind: UnitKind,
    /// Code of the parent unit; `None` for almost every unit of a county-level city.
    pub parent: Option<&'static str>,
    pub sections: Vec<DemoSection>,
}

/// A section (科室) inside a demo unit, with its posts (岗位).
#[derive(Debug, Clone)]
pub struct DemoSection {
    pub name: &'static str,
    pub posts: Vec<&'static str>,
}

/// A person of the demo city with a login. All share [`DEMO_PASSWORD`].
#[derive(Debug, Clone)]
pub struct DemoPerson {
    /// Login name: 3–32 characters of `[a-z0-9._-]`, unique.
    pub username: String,
    /// An invented Chinese name of 2–3 characters, unique in the city.
    pub name: String,
    /// 职务, e.g. 局长, 联络员, 副市长, 人大代表.
    pub title: String,
    pub role: Role,
    /// An invented 11-digit mobile of the form `1390579xxxx`, unique.
    pub mobile: String,
    /// Home unit code; `None` only for deputies (人大代表 / 政协委员).
    pub unit: Option<&'static str>,
    /// A section of the home unit, when the person sits in one.
    pub section: Option<&'static str>,
    /// A post of that section, when the person holds one.
    pub post: Option<&'static str>,
    /// Task forces (专班) and command HQs (指挥部) the person is also a member of, by code.
    pub task_forces: Vec<&'static str>,
}

/// A leader's portfolio (分管): which unit they oversee and for which days.
#[derive(Debug, Clone)]
pub struct DemoPortfolio {
    /// Username of a portfolio leader or top leader.
    pub leader: &'static str,
    /// Code of the unit overseen.
    pub unit: &'static str,
    /// First day, inclusive.
    pub valid_from: Date,
    /// Last day, inclusive; `None` while the portfolio is still held.
    pub valid_to: Option<Date>,
}

/// One of the year's campaigns (攻坚行动), worked by a task force and led by a city leader.
#[derive(Debug, Clone)]
pub struct DemoCampaign {
    pub code: &'static str,
    pub name: &'static str,
    /// Username of the leading city leader.
    pub lead_leader: &'static str,
    /// Code of the campaign's task force (专班).
    pub task_force: &'static str,
    /// Code of the command HQ (指挥部) behind the campaign, where one exists.
    pub command_hq: Option<&'static str>,
}

/// The demo city, built the same way every time.
pub fn demo_city() -> DemoCity {
    let rows = units::all_rows();
    DemoCity {
        units: rows.iter().map(|row| row.to_unit()).collect(),
        people: people::roster(&rows),
        portfolios: leadership::portfolios(),
        campaigns: leadership::campaigns(),
    }
}

/// A unit as written in the tables of [`units`], together with the people to make for it.
struct UnitRow {
    code: &'static str,
    name: &'static str,
    short_name: &'static str,
    kind: UnitKind,
    /// The head's title (局长, 镇长 …). Empty for units whose people are made elsewhere
    /// (leadership, 督考办) or come from other units (task forces, command HQs).
    head_title: &'static str,
    /// Sections and their posts; a unit's first section is where its liaison sits.
    sections: Sections,
    /// Section staff as (section, post, title), made as `<code>-staff1`, `<code>-staff2` ….
    staff: Staff,
}

/// Sections of a unit row: (section, posts).
type Sections = &'static [(&'static str, &'static [&'static str])];
/// Section staff of a unit row: (section, post, title).
type Staff = &'static [(&'static str, &'static str, &'static str)];

impl UnitRow {
    fn to_unit(&self) -> DemoUnit {
        DemoUnit {
            code: self.code,
            name: self.name,
            short_name: self.short_name,
            kind: self.kind,
            parent: None,
            sections: self
                .sections
                .iter()
                .map(|&(name, posts)| DemoSection {
                    name,
                    posts: posts.to_vec(),
                })
                .collect(),
        }
    }
}

/// Surnames common in 永康. 23 of them and 37 given names, both prime, so the `i`-th name pairs
/// `SURNAMES[i % 23]` with `GIVEN_NAMES[i % 37]` and no pair repeats before 851 people.
const SURNAMES: [&str; 23] = [
    "应", "胡", "徐", "陈", "吕", "程", "朱", "李", "王", "楼", "吴", "周", "章", "俞", "施", "金",
    "蒋", "叶", "潘", "童", "卢", "杜", "方",
];

/// Given names; the one-character ones make two-character names.
const GIVEN_NAMES: [&str; 37] = [
    "志刚", "丽萍", "建平", "晓燕", "国强", "海燕", "伟明", "红英", "立新", "秀芳", "文斌", "雅琴",
    "永军", "慧敏", "新民", "春燕", "德明", "玉兰", "振宇", "佳怡", "一鸣", "思远", "婷婷", "宏伟",
    "卫东", "美华", "晨阳", "浩然", "雪梅", "宇航", "静怡", "敏", "军", "芳", "磊", "洁", "涛",
];

/// The invented name of the `i`-th person of the roster.
fn person_name(i: usize) -> String {
    format!(
        "{}{}",
        SURNAMES[i % SURNAMES.len()],
        GIVEN_NAMES[i % GIVEN_NAMES.len()]
    )
}

/// The invented mobile of the `i`-th person of the roster (good for 10 000 people).
fn person_mobile(i: usize) -> String {
    format!("1390579{:04}", i + 1)
}
