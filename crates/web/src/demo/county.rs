//! County and township as one (县乡一体): the office's territorial duty list, entered at the
//! start of the year, and six joint matters (吹哨报到) towns and streets raised in
//! October–November, played through the real services at the instants they describe:
//!
//! - 东城街道 calls 综合行政执法局 and 市场监管局 to a street of restaurants; both report in
//!   within the hour, feed back, and after the town closes it both sides rate each other.
//! - 西城街道 calls three departments to an illegal rooftop building; 自然资源和规划局 misses
//!   its window: the job flags it and takes the ladder's 催办 rung, and it reports in late the
//!   next afternoon (and is rated low).
//! - 江南街道 (a river), 石柱镇 (a factory's hazards) and 古山镇 (a collapsed village road)
//!   close theirs; 石柱镇's 市场监管局 has not rated the town yet.
//! - 东城街道 raised one yesterday afternoon that is still open: 水务局 has reported in and fed
//!   back; 住建局's window runs to 11:00 today.

use super::cases::Play;
use crate::error::AppError;
use crate::service::duties::{DutyInput, create};
use crate::service::joint::{self as svc, NoteInput, RaiseInput, RateInput, ReportInInput};
use duban_core::demo::duties::DUTIES;
use jiff::civil::{Date, date};
use jiff::{SignedDuration, Timestamp};

/// A department named in a joint matter and what it does.
struct Called {
    /// Unit code.
    unit: &'static str,
    /// Reports in at (day, hour, minute); `None`: not yet.
    report_in: Option<(Date, i8, i32)>,
    feedback: Option<(Date, &'static str)>,
    /// The town's rating: speed, effect, attitude, comment.
    rated: Option<(i64, i64, i64, &'static str)>,
    /// Its rating of the town's coordination.
    rates_town: Option<(i64, &'static str)>,
}

struct Matter {
    town: &'static str,
    day: Date,
    hour: i8,
    title: &'static str,
    content: &'static str,
    called: &'static [Called],
    /// Closed by the town on that day at 10:00, with its note.
    closed: Option<(Date, &'static str)>,
}

const MATTERS: &[Matter] = &[
    Matter {
        town: "town-dongcheng",
        day: date(2026, 10, 12),
        hour: 9,
        title: "丽州中路沿街餐饮油烟及占道经营整治",
        content: "丽州中路北段十余家餐饮店油烟直排、夜间占道经营，居民多次投诉，需综合执法和市场监管联合整治。",
        called: &[
            Called {
                unit: "zhzf",
                report_in: Some((date(2026, 10, 12), 9, 40)),
                feedback: Some((
                    date(2026, 10, 14),
                    "已联合街道开展夜间整治，查处占道经营4起，责令3家加装油烟净化设施。",
                )),
                rated: Some((5, 5, 5, "当天到场，联合执法到位")),
                rates_town: Some((5, "街道前期摸排细致，协调有力")),
            },
            Called {
                unit: "scjg",
                report_in: Some((date(2026, 10, 12), 10, 30)),
                feedback: Some((
                    date(2026, 10, 14),
                    "核查12家餐饮店证照，2家无证经营已责令停业办证。",
                )),
                rated: Some((4, 4, 5, "证照核查及时")),
                rates_town: Some((4, "")),
            },
        ],
        closed: Some((date(2026, 10, 19), "回访居民，油烟和占道问题已解决，办结。")),
    },
    Matter {
        town: "town-xicheng",
        day: date(2026, 10, 20),
        hour: 14,
        title: "西城花园小区楼顶违法建筑拆除及房屋安全鉴定",
        content: "小区3幢楼顶加建约120平方米，疑似占用规划绿地并影响房屋结构安全，需认定、鉴定后拆除。",
        called: &[
            Called {
                unit: "zhzf",
                report_in: Some((date(2026, 10, 20), 14, 30)),
                feedback: Some((
                    date(2026, 10, 26),
                    "已立案并下达限期拆除决定书，10月29日完成拆除。",
                )),
                rated: Some((5, 4, 5, "")),
                rates_town: Some((4, "街道做通了业主工作")),
            },
            Called {
                unit: "zjj",
                report_in: Some((date(2026, 10, 20), 16, 0)),
                feedback: Some((
                    date(2026, 10, 23),
                    "已委托鉴定机构出具房屋安全鉴定报告，拆除后结构安全。",
                )),
                rated: Some((4, 4, 4, "")),
                rates_town: Some((4, "")),
            },
            Called {
                unit: "zrzyj",
                report_in: Some((date(2026, 10, 21), 14, 0)),
                feedback: Some((
                    date(2026, 10, 27),
                    "经核查，该加建未取得规划许可，占用规划绿地，已出具认定意见。",
                )),
                rated: Some((2, 3, 3, "报到超时，起初认为属属地事项")),
                rates_town: Some((3, "")),
            },
        ],
        closed: Some((date(2026, 10, 30), "违建已拆除，现场核验完毕。")),
    },
    Matter {
        town: "town-jiangnan",
        day: date(2026, 10, 26),
        hour: 10,
        title: "南溪江南段河道漂浮物及沿河排污口整治",
        content: "南溪江南段河面漂浮物多，沿岸发现两处疑似排污口，河长巡河上报。",
        called: &[
            Called {
                unit: "swuj",
                report_in: Some((date(2026, 10, 26), 10, 50)),
                feedback: Some((
                    date(2026, 10, 29),
                    "已加派保洁船清理漂浮物，调整保洁频次为每日两次。",
                )),
                rated: Some((5, 4, 4, "")),
                rates_town: Some((5, "")),
            },
            Called {
                unit: "sthj",
                report_in: Some((date(2026, 10, 26), 13, 40)),
                feedback: Some((
                    date(2026, 10, 29),
                    "两处排污口溯源为雨污混接，已督促整改并取样监测。",
                )),
                rated: Some((4, 5, 4, "溯源排查专业")),
                rates_town: Some((4, "")),
            },
        ],
        closed: Some((date(2026, 11, 4), "排污口已封堵，河面整洁，办结。")),
    },
    Matter {
        town: "town-shizhu",
        day: date(2026, 11, 3),
        hour: 9,
        title: "石柱镇某五金企业粉尘及特种设备安全隐患",
        content: "镇安全检查发现某五金抛光企业粉尘积聚、行车未经检验，需应急管理和市场监管联合检查。",
        called: &[
            Called {
                unit: "yjglj",
                report_in: Some((date(2026, 11, 3), 9, 20)),
                feedback: Some((date(2026, 11, 6), "已责令停产整改粉尘治理设施，立案处罚。")),
                rated: Some((5, 5, 4, "")),
                rates_town: Some((5, "镇里排查发现及时")),
            },
            Called {
                unit: "scjg",
                report_in: Some((date(2026, 11, 3), 11, 0)),
                feedback: Some((date(2026, 11, 6), "行车已停用封存，督促企业申报检验。")),
                rated: Some((4, 4, 4, "")),
                rates_town: None,
            },
        ],
        closed: Some((date(2026, 11, 11), "企业整改完成并复产，办结。")),
    },
    Matter {
        town: "town-gushan",
        day: date(2026, 11, 9),
        hour: 14,
        title: "古山镇村道边坡塌方及地质灾害隐患",
        content: "连日降雨后某村村道边坡塌方约30方，阻断交通，坡上疑有地质灾害隐患。",
        called: &[
            Called {
                unit: "jtysj",
                report_in: Some((date(2026, 11, 9), 14, 30)),
                feedback: Some((
                    date(2026, 11, 12),
                    "已清理塌方恢复通行，边坡纳入农村公路养护计划加固。",
                )),
                rated: Some((5, 4, 5, "")),
                rates_town: Some((4, "")),
            },
            Called {
                unit: "zrzyj",
                report_in: Some((date(2026, 11, 9), 15, 10)),
                feedback: Some((
                    date(2026, 11, 12),
                    "现场调查不属于地质灾害隐患点，已设立警示并纳入汛期巡查。",
                )),
                rated: Some((4, 4, 4, "")),
                rates_town: Some((4, "")),
            },
        ],
        closed: Some((date(2026, 11, 13), "道路恢复通行，办结。")),
    },
    Matter {
        town: "town-dongcheng",
        day: date(2026, 11, 24),
        hour: 16,
        title: "金城路段积水内涝及路面破损",
        content: "金城路下穿段雨后积水严重，路面多处坑槽，需水务和住建联合排查。",
        called: &[
            Called {
                unit: "swuj",
                report_in: Some((date(2026, 11, 24), 16, 40)),
                feedback: Some((
                    date(2026, 11, 25),
                    "已疏通下穿段排水管网，正在评估泵站扩容。",
                )),
                rated: None,
                rates_town: None,
            },
            Called {
                unit: "zjj",
                report_in: None,
                feedback: None,
                rated: None,
                rates_town: None,
            },
        ],
        closed: None,
    },
];

/// The office enters the duty list on the year's first working days, then the joint matters
/// are played. Returns the number of joint matters.
pub(super) async fn play(play: &Play) -> Result<usize, AppError> {
    let (state, office) = play
        .actor("dkb2", play.instant(date(2026, 1, 5), 10)?)
        .await?;
    for d in DUTIES {
        let input = DutyInput {
            matter: d.matter.into(),
            field: d.field.into(),
            town_duty: d.town_duty.into(),
            department_duty: d.department_duty.into(),
            department: d.department.into(),
            legal_basis: d.legal_basis.into(),
            valid_from: d.valid_from.to_string(),
            valid_to: d.valid_to.map(|t| t.to_string()).unwrap_or_default(),
        };
        create(&state, &office, &input).await?;
    }
    for m in MATTERS {
        matter(play, m).await?;
    }
    Ok(MATTERS.len())
}

fn minutes(at: Timestamp, m: i32) -> Timestamp {
    at + SignedDuration::from_mins(i64::from(m))
}

/// Runs the jobs due at `at`, as the job runner of a server would have by then: a
/// department's report-in window that ended without it is flagged and urged.
async fn jobs_at(play: &Play, at: Timestamp) -> Result<(), AppError> {
    crate::jobs::run_due(&play.state.at(at), at).await?;
    Ok(())
}

async fn matter(play: &Play, m: &Matter) -> Result<(), AppError> {
    let liaison = |code: &str| format!("{code}-liaison");
    let town = liaison(m.town);
    let mut names = Vec::new();
    let mut units = Vec::new();
    for c in m.called {
        let mut tx = play.state.store.begin_read().await?;
        let unit = duban_store::org::find_unit_by_code(&mut tx, c.unit)
            .await?
            .ok_or_else(|| AppError::Internal(format!("demo unit {} is missing", c.unit)))?;
        names.push(unit.short_name);
        units.push(unit.id);
    }
    let (state, actor) = play.actor(&town, play.instant(m.day, m.hour)?).await?;
    let id = svc::raise(
        &state,
        &actor,
        &RaiseInput {
            town_id: None,
            title: m.title.into(),
            content: m.content.into(),
            departments: names.join("、"),
        },
    )
    .await?;
    // Report-ins in the order they happen, each after the jobs due by then.
    let mut report_ins: Vec<(Timestamp, &Called)> = Vec::new();
    for c in m.called {
        if let Some((day, hour, min)) = c.report_in {
            report_ins.push((minutes(play.instant(day, hour)?, min), c));
        }
    }
    report_ins.sort_by_key(|(at, _)| *at);
    for (at, c) in report_ins {
        jobs_at(play, at).await?;
        let (state, actor) = play.actor(&liaison(c.unit), at).await?;
        let handler = play.person(&liaison(c.unit)).await?;
        svc::report_in(
            &state,
            &actor,
            id,
            &ReportInInput {
                handler_id: Some(handler),
            },
        )
        .await?;
    }
    for c in m.called {
        if let Some((day, note)) = c.feedback {
            let (state, actor) = play.actor(&liaison(c.unit), play.instant(day, 9)?).await?;
            svc::feed_back(&state, &actor, id, &NoteInput { note: note.into() }).await?;
        }
    }
    let Some((day, note)) = m.closed else {
        return Ok(());
    };
    let at = play.instant(day, 10)?;
    jobs_at(play, at).await?;
    let (state, actor) = play.actor(&town, at).await?;
    svc::close(&state, &actor, id, &NoteInput { note: note.into() }).await?;
    let (state, actor) = play.actor(&town, minutes(at, 30)).await?;
    for (c, unit) in m.called.iter().zip(&units) {
        if let Some((speed, effect, attitude, comment)) = c.rated {
            let input = RateInput {
                unit_id: Some(*unit),
                speed: Some(speed),
                effect: Some(effect),
                attitude: Some(attitude),
                comment: comment.into(),
                ..RateInput::default()
            };
            svc::rate_department(&state, &actor, id, &input).await?;
        }
    }
    for c in m.called {
        if let Some((coordination, comment)) = c.rates_town {
            let (state, actor) = play.actor(&liaison(c.unit), play.instant(day, 14)?).await?;
            let input = RateInput {
                coordination: Some(coordination),
                comment: comment.into(),
                ..RateInput::default()
            };
            svc::rate_town(&state, &actor, id, &input).await?;
        }
    }
    Ok(())
}
