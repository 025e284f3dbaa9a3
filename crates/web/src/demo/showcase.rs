//! The demo's half-year showcases (晒拼), played through the real services. The first
//! half-year's was held on 31 July 2026: twelve units in two groups (乡镇街道, 部门), each with
//! its highlights and 短板与差距 written by its liaison; 25 judges — the city leaders, six
//! deputies and members, ten heads of departments that did not present, and one public
//! representative through a guest link — scored every unit as the office opened and closed
//! its scoring; the office locked and published the results. The second half-year's is a
//! draft whose pages fill themselves from the year's data; half the units wrote their
//! statement so far.

use super::cases::Play;
use crate::error::AppError;
use crate::service::showcase::guest::{self, GuestLinksInput};
use crate::service::showcase::{
    self as svc, CardInput, CriterionInput, JudgeGroupInput, JudgeInput, PresenterInput,
    ShowcaseInput, StatementInput,
};
use duban_core::showcase::ShowcaseId;
use duban_core::showcase::state::{EventCommand, ScoringCommand};
use jiff::SignedDuration;
use jiff::civil::date;

/// Presenting units in running order, with their group.
const PRESENTERS: [(&str, &str); 12] = [
    ("town-dongcheng", "乡镇街道"),
    ("town-xicheng", "乡镇街道"),
    ("town-jiangnan", "乡镇街道"),
    ("town-kaifaqu", "乡镇街道"),
    ("town-fangyan", "乡镇街道"),
    ("town-gushan", "乡镇街道"),
    ("jxj", "部门"),
    ("fgj", "部门"),
    ("zjj", "部门"),
    ("kjj", "部门"),
    ("wglt", "部门"),
    ("sthj", "部门"),
];

/// Judges with accounts and their group: leaders (0), deputies and members (1), heads of
/// departments that do not present (2). The public representative (3) comes through a link.
fn panel() -> Vec<(String, i64)> {
    let mut v: Vec<(String, i64)> = [
        "shuji", "shizhang", "fsz1", "fsz2", "fsz3", "fsz4", "fsz5", "fsz6",
    ]
    .iter()
    .map(|u| (u.to_string(), 0))
    .collect();
    v.extend((1..=6).map(|n| (format!("deputy{n}"), 1)));
    v.extend(
        [
            "czj", "swj", "scjg", "gaj", "jyj", "wjj", "rsj", "nyncj", "jtysj", "mzj",
        ]
        .iter()
        .map(|c| (format!("{c}-head"), 2)),
    );
    v
}

const SHORTFALLS: [&str; 4] = [
    "重大项目开工率低于序时进度，要素保障（用地、能耗指标）仍是主要瓶颈；下半年逐项挂图作战。",
    "部分民生实事进度滞后，督办事项有逾期办结，跨部门协同不够顺畅；建立周调度、月通报。",
    "指标完成不均衡，个别关键指标与年度目标差距较大；对照清单逐项补短，明确责任到人。",
    "基层减负与数字化应用推进偏慢，群众反映问题办结质量有待提高；加强回访和满意度评价。",
];

fn input(title: &str, held_on: &str, half_year: &str, units: &[i64]) -> ShowcaseInput {
    ShowcaseInput {
        title: title.into(),
        held_on: held_on.into(),
        half_year: half_year.into(),
        minutes: 8,
        trim: true,
        criteria: [
            ("工作实绩", 40),
            ("特色亮点", 30),
            ("直面短板", 20),
            ("精神面貌", 10),
        ]
        .into_iter()
        .map(|(n, w)| CriterionInput {
            name: n.into(),
            weight: w,
        })
        .collect(),
        judge_groups: ["市领导", "人大代表政协委员", "部门代表", "群众代表"]
            .into_iter()
            .map(|n| JudgeGroupInput {
                name: n.into(),
                weight: None,
            })
            .collect(),
        presenters: PRESENTERS
            .iter()
            .zip(units)
            .map(|((_, g), id)| PresenterInput {
                unit_id: *id,
                group: (*g).into(),
            })
            .collect(),
    }
}

/// A judge's four scores for a presenter: the unit's level, the judge's leniency and a
/// spread per criterion, all from their places in the lists (the same every time).
fn scores(presenter: usize, judge: usize) -> Vec<i64> {
    let level = [86, 82, 88, 79, 84, 77, 90, 85, 81, 87, 83, 78][presenter];
    let leniency = (judge as i64 * 7) % 9 - 4;
    (0..4)
        .map(|c| {
            let spread = ((presenter * 5 + judge * 3 + c * 11) % 7) as i64 - 3;
            (level + leniency + spread).clamp(0, 100)
        })
        .collect()
}

/// Plays both showcases. Returns the July one's id.
pub(super) async fn play(play: &Play) -> Result<ShowcaseId, AppError> {
    let mut units = Vec::new();
    {
        let mut tx = play.state.store.begin_read().await?;
        for (code, _) in PRESENTERS {
            let u = duban_store::org::find_unit_by_code(&mut tx, code)
                .await?
                .ok_or_else(|| AppError::Internal(format!("demo unit {code} is missing")))?;
            units.push(u.id);
        }
    }
    let july = date(2026, 7, 31);
    let (state, office) = play
        .actor("dkb", play.instant(date(2026, 7, 10), 10)?)
        .await?;
    let id = svc::create(
        &state,
        &office,
        &input(
            "2026年上半年重点工作大晒拼",
            "2026-07-31",
            "2026-H1",
            &units,
        ),
    )
    .await?;
    for (i, (code, _)) in PRESENTERS.iter().enumerate() {
        let at = play.instant(date(2026, 7, 20 + (i as i8 % 8)), 15)?;
        let (state, liaison) = play.actor(&format!("{code}-liaison"), at).await?;
        let s = {
            let mut tx = state.store.begin_read().await?;
            svc::get(&mut tx, id).await?
        };
        let p = &s.presenters[i];
        let statement = StatementInput {
            highlights: format!(
                "{}上半年重点工作全面推进，多项指标走在全市前列。",
                p.unit_name
            ),
            shortfalls: SHORTFALLS[i % SHORTFALLS.len()].into(),
        };
        svc::save_statement(&state, &liaison, id, p.id, &statement).await?;
    }
    let judges = panel();
    for (username, group) in &judges {
        let input = JudgeInput {
            username: username.clone(),
            judge_group: *group,
        };
        svc::add_judge(&state, &office, id, &input).await?;
    }
    let links = guest::create_links(
        &state,
        &office,
        id,
        &GuestLinksInput {
            judge_group: 3,
            count: 3,
            name: String::new(),
        },
    )
    .await?;
    // The day: open at 09:00, each unit's scoring opens as it starts and closes ten minutes on.
    let nine = play.instant(july, 9)?;
    let (state, office) = play.actor("dkb", nine).await?;
    svc::command(&state, &office, id, EventCommand::Open).await?;
    let presenters = {
        let mut tx = state.store.begin_read().await?;
        svc::get(&mut tx, id).await?.presenters
    };
    let device = crate::auth::random_token();
    for (i, p) in presenters.iter().enumerate() {
        let start = nine + SignedDuration::from_mins(10 * i as i64);
        let (state, office) = play.actor("dkb", start).await?;
        svc::scoring(&state, &office, id, p.id, ScoringCommand::Open).await?;
        for (j, (username, _)) in judges.iter().enumerate() {
            let at = start + SignedDuration::from_secs(8 * 60 + 5 * j as i64);
            let (state, judge) = play.actor(username, at).await?;
            let card = CardInput {
                presenter_id: p.id.0,
                scores: scores(i, j),
                submit: true,
            };
            svc::write_card(&state, &judge, id, &card).await?;
        }
        // The public representative scores on their phone through the first link.
        let at = start + SignedDuration::from_secs(9 * 60);
        let state = play.state.at(at);
        if i == 0 {
            guest::open(&state, "demo", &links[0].token, Some(&device)).await?;
        }
        let card = CardInput {
            presenter_id: p.id.0,
            scores: scores(i, judges.len()),
            submit: true,
        };
        guest::write_card(&state, "demo", &links[0].token, Some(&device), &card).await?;
        let (state, office) = play
            .actor("dkb", start + SignedDuration::from_mins(10))
            .await?;
        svc::scoring(&state, &office, id, p.id, ScoringCommand::Close).await?;
    }
    let (state, office) = play.actor("dkb", play.instant(july, 11)?).await?;
    svc::command(&state, &office, id, EventCommand::Lock).await?;
    let (state, office) = play.actor("dkb", play.instant(july, 12)?).await?;
    svc::command(&state, &office, id, EventCommand::Publish).await?;

    // The second half-year's, in preparation.
    let (state, office) = play
        .actor("dkb", play.instant(date(2026, 11, 20), 10)?)
        .await?;
    let draft = svc::create(
        &state,
        &office,
        &input(
            "2026年下半年重点工作大晒拼",
            "2027-01-15",
            "2026-H2",
            &units,
        ),
    )
    .await?;
    let s = {
        let mut tx = state.store.begin_read().await?;
        svc::get(&mut tx, draft).await?
    };
    for (i, (code, _)) in PRESENTERS.iter().enumerate().step_by(2) {
        let at = play.instant(date(2026, 11, 23), 15)?;
        let (state, liaison) = play.actor(&format!("{code}-liaison"), at).await?;
        let statement = StatementInput {
            highlights: format!(
                "{}下半年攻坚冲刺，全年目标有望提前完成。",
                s.presenters[i].unit_name
            ),
            shortfalls: SHORTFALLS[(i + 1) % SHORTFALLS.len()].into(),
        };
        svc::save_statement(&state, &liaison, draft, s.presenters[i].id, &statement).await?;
    }
    Ok(id)
}
