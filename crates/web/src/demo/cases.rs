//! The demo's month of supervision work (October–November 2026), played through the real
//! services with the clock moved day by day, so the timeline, the escalation steps, the
//! issued notices and the notifications are exactly what the system itself would have made:
//!
//! - A: a leader's instruction to 经信局 goes round the whole loop — assigned, acknowledged,
//!   dispatched, reported, declared done, sent back once for rework, verified on site, closed.
//! - B: a task for 住建局 goes overdue and climbs the ladder: reminder, 催办, 督办单,
//!   bulletin, interview.
//! - C: 自然资源局 asks to return a case; the office approves and reassigns it to 东城街道.
//! - D: a deputy's case to 交通运输局 is handled, closed and rated by the deputy.
//! - E: a weekly meeting's three decisions become assigned cases in one step.
//! - F: an inspection problem of 生态环境分局 is deferred (挂账) with a plan date.
//! - G: a fresh instruction waits to be assigned.
//!
//! Each step is its own transaction, like a person's click; the ledger records them all.

use crate::auth::load_actor;
use crate::error::AppError;
use crate::service::cases::meetings::{MeetingInput, record_meeting};
use crate::service::cases::steps::{StepInput, act};
use crate::service::cases::{CaseInput, register};
use crate::state::AppState;
use duban_core::cases::CaseId;
use duban_core::policy::Actor;
use jiff::civil::{Date, date};
use jiff::{Timestamp, tz::TimeZone};

/// The last day played; the demo's "today" for cases.
pub const PLAYED_UNTIL: Date = date(2026, 11, 15);
const FIRST_DAY: Date = date(2026, 10, 9);

pub(super) struct Play {
    pub(super) state: AppState,
    tz: TimeZone,
    /// The day the jobs have run up to (inclusive).
    jobs_done: Date,
}

impl Play {
    /// A play starting on the month's first day, with no job run yet.
    pub(super) fn new(state: &AppState) -> Result<Play, AppError> {
        Ok(Play {
            state: state.clone(),
            tz: state.config.timezone.clone(),
            jobs_done: FIRST_DAY
                .yesterday()
                .map_err(|e| AppError::Internal(e.to_string()))?,
        })
    }

    pub(super) fn instant(&self, day: Date, hour: i8) -> Result<Timestamp, AppError> {
        day.at(hour, 0, 0, 0)
            .to_zoned(self.tz.clone())
            .map(|z| z.timestamp())
            .map_err(|e| AppError::Internal(e.to_string()))
    }

    /// Runs the jobs of every day up to `day` (at 09:30, after the ladder's 09:00).
    async fn jobs_until(&mut self, day: Date) -> Result<(), AppError> {
        while self.jobs_done < day {
            let next = self
                .jobs_done
                .tomorrow()
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let at = self.instant(next, 9)? + jiff::SignedDuration::from_mins(30);
            // The lights are computed on a month's last day, when it closes and on the last
            // day played (a real server does it every day; in between they would only be
            // overwritten).
            let month_end = next.tomorrow().is_ok_and(|d| d.day() == 1);
            if month_end || next.day() == 1 || next == PLAYED_UNTIL {
                crate::service::progress::lights::run_today(&self.state.at(at), at).await?;
            }
            crate::jobs::run_due(&self.state.at(at), at).await?;
            self.jobs_done = next;
        }
        Ok(())
    }

    pub(super) async fn actor(
        &self,
        username: &str,
        at: Timestamp,
    ) -> Result<(AppState, Actor), AppError> {
        let state = self.state.at(at);
        let mut tx = state.store.begin_read().await?;
        let user = duban_store::accounts::find_user_for_login(&mut tx, username)
            .await?
            .ok_or_else(|| AppError::Internal(format!("demo user {username} is missing")))?;
        drop(tx);
        let (_, actor) = load_actor(&state, duban_core::org::UserId(user.id))
            .await?
            .ok_or_else(|| AppError::Internal(format!("demo user {username} is inactive")))?;
        Ok((state, actor))
    }

    async fn register(
        &mut self,
        who: &str,
        day: Date,
        input: CaseInput,
    ) -> Result<CaseId, AppError> {
        self.jobs_until(day).await?;
        let (state, actor) = self.actor(who, self.instant(day, 10)?).await?;
        register(&state, &actor, &input).await
    }

    async fn step(
        &mut self,
        who: &str,
        day: Date,
        hour: i8,
        case: CaseId,
        step: &str,
        input: StepInput,
    ) -> Result<(), AppError> {
        self.jobs_until(day).await?;
        let (state, actor) = self.actor(who, self.instant(day, hour)?).await?;
        let input = StepInput {
            step: step.to_string(),
            ..input
        };
        act(&state, &actor, case, &input).await?;
        Ok(())
    }

    async fn unit(&self, code: &str) -> Result<i64, AppError> {
        let mut tx = self.state.store.begin_read().await?;
        Ok(duban_store::org::find_unit_by_code(&mut tx, code)
            .await?
            .ok_or_else(|| AppError::Internal(format!("demo unit {code} is missing")))?
            .id)
    }

    pub(super) async fn person(&self, username: &str) -> Result<i64, AppError> {
        let mut tx = self.state.store.begin_read().await?;
        let user = duban_store::accounts::find_user_for_login(&mut tx, username)
            .await?
            .ok_or_else(|| AppError::Internal(format!("demo user {username} is missing")))?;
        user.person_id
            .ok_or_else(|| AppError::Internal(format!("demo user {username} has no person")))
    }
}

fn note(text: &str) -> StepInput {
    StepInput {
        note: text.to_string(),
        ..StepInput::default()
    }
}

fn case(source: &str, title: &str, content: &str) -> CaseInput {
    CaseInput {
        source: source.into(),
        title: title.into(),
        content: content.into(),
        ..CaseInput::default()
    }
}

/// Plays the month through. Returns the number of cases made.
pub async fn play(state: &AppState) -> Result<usize, AppError> {
    let mut p = Play::new(state)?;
    let office = "dkb2";
    // October's reports of the played units, sent, reviewed and accepted through the services.
    let reported = super::progress::october(&mut p).await?;
    let assign = |unit: i64, deadline: &str, co: &str| StepInput {
        lead_unit_id: Some(unit),
        deadline: deadline.into(),
        co_units: co.into(),
        ..StepInput::default()
    };

    // B — 住建局: assigned 10-09 with 10 working days, acknowledged, then silence.
    let b = p
        .register(
            office,
            FIRST_DAY,
            case(
                "instruction",
                "老旧小区加装电梯三季度未开工项目限期开工",
                "市长批示：对三季度仍未开工的加装电梯项目逐一明确开工时间，限期推进。",
            ),
        )
        .await?;
    let zjj = p.unit("zjj").await?;
    p.step(
        office,
        FIRST_DAY,
        11,
        b,
        "assign",
        assign(zjj, "10wd", "东城街道、西城街道"),
    )
    .await?;
    p.step(
        "zjj-liaison",
        date(2026, 10, 12),
        9,
        b,
        "acknowledge",
        note(""),
    )
    .await?;
    p.step(
        "zjj-liaison",
        date(2026, 10, 20),
        16,
        b,
        "report",
        note("已排出12个项目开工计划，其中5个因居民意见不一致暂缓。"),
    )
    .await?;

    // A — 经信局: the whole loop, with one rework.
    let a = p
        .register(
            office,
            date(2026, 10, 12),
            case(
                "instruction",
                "规上工业企业技改投资月度进度偏慢问题",
                "分管副市长批示：请经信局牵头，逐企业排查技改项目进度，11月初前报告。",
            ),
        )
        .await?;
    let jxj = p.unit("jxj").await?;
    p.step(
        office,
        date(2026, 10, 12),
        11,
        a,
        "assign",
        assign(jxj, "15wd", ""),
    )
    .await?;
    p.step(
        "jxj-liaison",
        date(2026, 10, 13),
        9,
        a,
        "acknowledge",
        note(""),
    )
    .await?;
    let staff = p.person("jxj-staff1").await?;
    p.step(
        "jxj-head",
        date(2026, 10, 13),
        10,
        a,
        "dispatch",
        StepInput {
            handler_id: Some(staff),
            ..StepInput::default()
        },
    )
    .await?;
    p.step(
        "jxj-liaison",
        date(2026, 10, 20),
        15,
        a,
        "report",
        note("已走访38家企业，梳理出进度滞后项目9个。"),
    )
    .await?;
    p.step(
        "jxj-head",
        date(2026, 10, 27),
        16,
        a,
        "claim_done",
        StepInput {
            evidence: "逐企业进度台账（38家）及9个滞后项目整改计划，已上传局内共享目录。".into(),
            measures: "一企一策，专人跟踪，每周调度。".into(),
            ..StepInput::default()
        },
    )
    .await?;
    p.step(
        office,
        date(2026, 10, 28),
        10,
        a,
        "rework",
        note("9个滞后项目中有3个未明确完成时限，请补充。"),
    )
    .await?;
    p.step(
        "jxj-head",
        date(2026, 10, 29),
        17,
        a,
        "claim_done",
        StepInput {
            evidence: "补充后的整改计划（9个项目均有完成时限）。".into(),
            ..StepInput::default()
        },
    )
    .await?;
    p.step(
        office,
        date(2026, 10, 30),
        15,
        a,
        "verify_ok",
        StepInput {
            note: "抽查3家企业，情况属实。".into(),
            on_site: true,
            ..StepInput::default()
        },
    )
    .await?;

    // D — a deputy's case to 交通运输局, rated by the deputy.
    let deputy = p.person("deputy1").await?;
    let d = p
        .register(
            office,
            date(2026, 10, 15),
            CaseInput {
                raised_by_id: Some(deputy),
                kind: "problem".into(),
                ..case(
                    "deputy",
                    "城西公交站台缺少遮雨棚",
                    "人大代表反映：城西片区6个公交站台无遮雨设施，雨天候车不便。",
                )
            },
        )
        .await?;
    let jt = p.unit("jtysj").await?;
    p.step(
        office,
        date(2026, 10, 15),
        11,
        d,
        "assign",
        assign(jt, "1m", ""),
    )
    .await?;
    p.step(
        "jtysj-liaison",
        date(2026, 10, 16),
        9,
        d,
        "acknowledge",
        note(""),
    )
    .await?;
    p.step(
        "jtysj-head",
        date(2026, 11, 5),
        16,
        d,
        "claim_done",
        StepInput {
            evidence: "6个站台遮雨棚已安装完成，附安装清单。".into(),
            ..StepInput::default()
        },
    )
    .await?;
    p.step(
        office,
        date(2026, 11, 6),
        10,
        d,
        "verify_ok",
        note("与代表一同现场查看。"),
    )
    .await?;
    p.step(
        "deputy1",
        date(2026, 11, 8),
        20,
        d,
        "rate",
        StepInput {
            rating: "basically_satisfied".into(),
            note: "已安装，但有一处站台位置偏远。".into(),
            ..StepInput::default()
        },
    )
    .await?;

    // F — an inspection problem deferred with a plan date.
    let f = p
        .register(
            office,
            date(2026, 10, 19),
            CaseInput {
                kind: "problem".into(),
                category: "环境整治".into(),
                ..case(
                    "inspection",
                    "华溪沿线3处雨污混接点未整改",
                    "督查发现：华溪沿线仍有3处雨污混接。",
                )
            },
        )
        .await?;
    let sthj = p.unit("sthj").await?;
    p.step(
        office,
        date(2026, 10, 19),
        11,
        f,
        "assign",
        assign(sthj, "15wd", "住建局"),
    )
    .await?;
    p.step(
        "sthj-liaison",
        date(2026, 10, 20),
        9,
        f,
        "acknowledge",
        note(""),
    )
    .await?;
    p.step(
        "sthj-head",
        date(2026, 10, 30),
        11,
        f,
        "propose_defer",
        StepInput {
            plan_on: "2027-03-31".into(),
            note: "需结合明年管网改造工程一并实施。".into(),
            ..StepInput::default()
        },
    )
    .await?;
    p.step(
        office,
        date(2026, 10, 31),
        10,
        f,
        "accept_proposal",
        note("同意挂账，请每月续报。"),
    )
    .await?;

    // C — a return request approved, the case reassigned.
    let c = p
        .register(
            office,
            date(2026, 10, 26),
            case(
                "hotline",
                "东城街道某小区违章搭建投诉",
                "12345热线多次投诉，小区顶楼违章搭建。",
            ),
        )
        .await?;
    let zr = p.unit("zrzyj").await?;
    p.step(
        office,
        date(2026, 10, 26),
        11,
        c,
        "assign",
        assign(zr, "20wd", ""),
    )
    .await?;
    p.step(
        "zrzyj-head",
        date(2026, 10, 27),
        10,
        c,
        "request_return",
        note("属街道属地管理的违建，请交东城街道办理。"),
    )
    .await?;
    p.step(office, date(2026, 10, 28), 9, c, "approve_return", note(""))
        .await?;
    let dc = p.unit("town-dongcheng").await?;
    p.step(
        office,
        date(2026, 10, 28),
        10,
        c,
        "assign",
        assign(dc, "20wd", "综合行政执法局"),
    )
    .await?;
    p.step(
        "town-dongcheng-liaison",
        date(2026, 10, 29),
        9,
        c,
        "acknowledge",
        note(""),
    )
    .await?;

    // E — a weekly meeting's decisions.
    p.jobs_until(date(2026, 11, 10)).await?;
    let (state, actor) = p.actor(office, p.instant(date(2026, 11, 10), 16)?).await?;
    let (_, decided) = record_meeting(
        &state,
        &actor,
        &MeetingInput {
            kind: "weekly".into(),
            held_on: "2026-11-10".into(),
            title: "第45周重点工作周例会".into(),
            decisions: "加快城东安置房交付 | 住建局 | 东城街道 | 10wd\n梳理年底前未开工项目清单 | 发改局 | 财政局 | 5wd\n做好冬季燃气安全检查 | 应急管理局 | 综合行政执法局 | 2026-12-15".into(),
            ..MeetingInput::default()
        },
    )
    .await?;
    if let Some(first) = decided.first() {
        p.step(
            "zjj-liaison",
            date(2026, 11, 11),
            9,
            *first,
            "acknowledge",
            note(""),
        )
        .await?;
    }

    // G — waiting to be assigned.
    p.register(
        office,
        date(2026, 11, 13),
        case(
            "instruction",
            "年底前重点项目用地报批情况梳理",
            "市委书记批示：请督考办牵头梳理，确保年底前报批到位。",
        ),
    )
    .await?;

    // November's round, in flight on the demo's last day.
    super::progress::november(&mut p, &reported).await?;
    p.jobs_until(PLAYED_UNTIL).await?;
    Ok(6 + decided.len())
}
