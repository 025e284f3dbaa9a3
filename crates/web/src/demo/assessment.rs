//! The demo's assessment (督考): the office adopts the year's scheme in January and revises it
//! from July (overdue cases cost more), the year's events are scored from what the demo
//! played, one officer's proposal of a leader's praise is approved by another (one more is
//! still waiting), and a unit head appeals two deductions: one granted, one refused.

use super::cases::Play;
use crate::error::AppError;
use crate::service::assessment::{
    self as svc, AdoptInput, AppealInput, DecisionInput, ProposeInput,
};
use duban_core::assessment::event::EventKind;
use duban_core::assessment::period::Period;
use duban_core::assessment::scheme::Scheme;
use duban_core::demo::DEMO_YEAR;
use duban_core::org::{UnitId, UnitKind};
use jiff::civil::date;

fn internal(what: &str) -> AppError {
    AppError::Internal(format!("demo assessment: {what}"))
}

pub(super) async fn play(play: &Play) -> Result<(), AppError> {
    // January: the scheme, in force from the year's first day.
    let (state, office) = play
        .actor("dkb3", play.instant(date(DEMO_YEAR, 1, 5), 10)?)
        .await?;
    let mut scheme = Scheme::default_for(svc::default_groups(&state).await?);
    // Appeals within a month of the event, so a unit can answer a monthly bulletin.
    scheme.appeal_days = 30;
    svc::adopt(
        &state,
        &office,
        DEMO_YEAR,
        &AdoptInput {
            scheme: scheme.clone(),
            in_force_from: Some(date(DEMO_YEAR, 1, 1)),
            reason: "永康市2026年度重点工作督查考核办法".into(),
        },
    )
    .await?;
    // June: overdue cases cost one and a half points from July on.
    let (state, office) = play
        .actor("dkb3", play.instant(date(DEMO_YEAR, 6, 26), 10)?)
        .await?;
    let mut revised = scheme;
    for r in &mut revised.rules {
        if r.kind == EventKind::CaseOverdue {
            r.points = -150;
        }
    }
    svc::adopt(
        &state,
        &office,
        DEMO_YEAR,
        &AdoptInput {
            scheme: revised,
            in_force_from: Some(date(DEMO_YEAR, 7, 1)),
            reason: "市委常委会议定：下半年督办事项逾期加重扣分（每项 -1.5 分）".into(),
        },
    )
    .await?;
    // The demo's today: everything played so far is scored.
    let today = play.state.today();
    let (state, office) = play.actor("dkb3", play.instant(today, 9)?).await?;
    svc::refresh(&state, &office, DEMO_YEAR).await?;

    // A leader's praise, proposed by one officer and approved by another; a criticism waits.
    let units = {
        let mut tx = state.store.begin_read().await?;
        duban_store::org::list_units(&mut tx, &duban_store::org::UnitFilter::default()).await?
    };
    let unit = |code: &str| {
        units
            .iter()
            .find(|u| u.code == code)
            .map(|u| u.id)
            .ok_or_else(|| internal(&format!("unit {code} missing")))
    };
    let (state, proposer) = play
        .actor("dkb", play.instant(date(DEMO_YEAR, 11, 12), 10)?)
        .await?;
    let praised = svc::propose(
        &state,
        &proposer,
        &ProposeInput {
            unit_id: Some(unit("jxj")?),
            kind: "leader_praise".into(),
            part: "lead".into(),
            day: "2026-11-11".into(),
            reason: "市长批示：经信局“亩均论英雄”改革扎实有效，予以肯定。".into(),
        },
    )
    .await?;
    let (state, approver) = play
        .actor("dkb3", play.instant(date(DEMO_YEAR, 11, 13), 10)?)
        .await?;
    svc::decide_proposal(
        &state,
        &approver,
        praised,
        &DecisionInput {
            decision: "approve".into(),
            note: "批示件已核，同意加分。".into(),
        },
    )
    .await?;
    let (state, proposer) = play.actor("dkb2", play.instant(today, 9)?).await?;
    svc::propose(
        &state,
        &proposer,
        &ProposeInput {
            unit_id: Some(unit("zjj")?),
            kind: "leader_criticism".into(),
            part: "lead".into(),
            day: "2026-11-20".into(),
            reason: "市委督查通报：老旧小区改造项目现场管理混乱，通报批评。".into(),
        },
    )
    .await?;

    // Two appeals by a unit head against this month's deductions: one granted, one refused.
    let month = Period::month(DEMO_YEAR, 11);
    let window_start = today
        .checked_sub(jiff::Span::new().days(25))
        .map_err(|e| internal(&e.to_string()))?;
    let mut chosen = None;
    for u in units
        .iter()
        .filter(|u| matches!(u.kind(), UnitKind::Department | UnitKind::Town))
    {
        let mut tx = state.store.begin_read().await?;
        let events = duban_store::assessment::events_of(&mut tx, UnitId(u.id), month).await?;
        let open: Vec<i64> = events
            .iter()
            .filter(|e| e.points < 0 && e.day >= window_start && e.reverses.is_none())
            .map(|e| e.id)
            .collect();
        if open.len() >= 2 {
            chosen = Some((u.code.clone(), open[0], open[1]));
            break;
        }
    }
    let (code, first, second) =
        chosen.ok_or_else(|| internal("no unit with two deductions to appeal"))?;
    let (state, head) = play
        .actor(&format!("{code}-head"), play.instant(today, 9)?)
        .await?;
    let granted = svc::appeal(
        &state,
        &head,
        first,
        &AppealInput {
            reason: "该事项已于期限内办结，因系统录入延迟显示逾期，附办结报告。".into(),
            evidence: "办结报告（永经信〔2026〕88号）".into(),
        },
    )
    .await?;
    let refused = svc::appeal(
        &state,
        &head,
        second,
        &AppealInput {
            reason: "本月人手紧张，请求免予扣分。".into(),
            evidence: String::new(),
        },
    )
    .await?;
    let (state, office) = play.actor("dkb3", play.instant(today, 10)?).await?;
    svc::decide_appeal(
        &state,
        &office,
        granted,
        &DecisionInput {
            decision: "grant".into(),
            note: "经核实办结报告在期限内送达，申诉成立，冲销该项扣分。".into(),
        },
    )
    .await?;
    svc::decide_appeal(
        &state,
        &office,
        refused,
        &DecisionInput {
            decision: "refuse".into(),
            note: "人手不足不属于免扣情形，维持原扣分。".into(),
        },
    )
    .await?;
    Ok(())
}
