//! The demo's bulletins (通报): the office numbers them 永督通〔2026〕n号 and drafts the monthly
//! one on the 3rd working day; the third quarter's bulletin was issued in October (No. 1) and
//! October's in November (No. 2, also on the portal); November's is a draft. Every step at a
//! fixed instant of the demo year, never the wall clock.

use super::cases::Play;
use crate::error::AppError;
use crate::service::bulletins::{self as svc, CommentaryInput, SeriesInput};
use duban_core::demo::DEMO_YEAR;
use jiff::civil::date;

pub(super) async fn play(play: &Play) -> Result<(), AppError> {
    let (state, office) = play
        .actor("dkb3", play.instant(date(DEMO_YEAR, 1, 6), 9)?)
        .await?;
    svc::set_series(
        &state,
        &office,
        DEMO_YEAR,
        &SeriesInput {
            prefix: "永督通".into(),
            cadence: "monthly".into(),
            working_day: 3,
        },
    )
    .await?;

    // The third quarter: drafted after the National Day holiday, issued the next day.
    let (state, office) = play
        .actor("dkb3", play.instant(date(DEMO_YEAR, 10, 12), 9)?)
        .await?;
    let q3 = svc::generate(&state, &office, "2026-Q3").await?;
    let b = svc::get(&state, &office, q3).await?;
    svc::edit(
        &state,
        &office,
        q3,
        CommentaryInput {
            overview: format!(
                "{}\n第三季度，各地各部门（单位）围绕“三个年”活动目标，紧盯重点项目攻坚，全市重点工作总体推进有力。",
                b.commentary.overview
            ),
            problems: b.commentary.problems.clone(),
            requirements: "各地各部门（单位）要对照本通报，逐项分析原因，于10月底前完成整改；\
                           第四季度是全年目标冲刺的关键期，务必倒排工期、挂图作战，确保全年目标任务圆满完成。"
                .into(),
        },
    )
    .await?;
    let (state, office) = play
        .actor("dkb3", play.instant(date(DEMO_YEAR, 10, 13), 10)?)
        .await?;
    svc::issue(&state, &office, q3, false).await?;

    // October: the scheduled draft of the 3rd working day of November, issued two days later.
    let (state, office) = play
        .actor("dkb3", play.instant(date(DEMO_YEAR, 11, 4), 9)?)
        .await?;
    let october = svc::generate(&state, &office, "2026-10").await?;
    let (state, office) = play
        .actor("dkb3", play.instant(date(DEMO_YEAR, 11, 6), 10)?)
        .await?;
    svc::issue(&state, &office, october, true).await?;

    // November: a draft, its commentary still to be written.
    let today = play.state.today();
    let (state, office) = play.actor("dkb3", play.instant(today, 9)?).await?;
    svc::generate(&state, &office, "2026-11").await?;
    Ok(())
}
