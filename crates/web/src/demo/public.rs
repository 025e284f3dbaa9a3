//! Citizens' reports in the week after the played month, through the same services as the
//! portal's form, Open311 and the office's intake queue: three accepted into the closed loop
//! (each case assigned to a unit, one with a public reply), one rejected with its reason, two
//! still waiting in the queue. So the portal's "recently accepted" list, the open data, the
//! feed and the office's queue all have something to show.

use super::cases::Play;
use crate::error::AppError;
use crate::service::cases::steps::{StepInput, act};
use crate::service::public::{self as svc, AcceptInput};
use duban_core::policy::Actor;
use duban_core::public::{Channel, ReportInput, TrackingNumber};
use jiff::civil::{Date, date};

/// What happens to a report after it is filed.
enum Fate {
    /// Accepted, assigned to the unit (by code) with the deadline rule, and answered in
    /// public when there is a reply.
    Assigned {
        unit: &'static str,
        deadline: &'static str,
        reply: &'static str,
    },
    Rejected(&'static str),
    Waiting,
}

struct Report {
    day: Date,
    channel: Channel,
    category: &'static str,
    description: &'static str,
    address: &'static str,
    phone: &'static str,
    fate: Fate,
}

const REPORTS: &[Report] = &[
    Report {
        day: date(2026, 11, 16),
        channel: Channel::Portal,
        category: "roads",
        description: "华溪路与丽州路交叉口的红绿灯故障，早高峰车辆拥堵严重。",
        address: "华溪路与丽州路口",
        phone: "13957900101",
        fate: Fate::Assigned {
            unit: "jtysj",
            deadline: "7wd",
            reply: "已交市交通运输局办理，信号灯将于一周内修复。",
        },
    },
    Report {
        day: date(2026, 11, 17),
        channel: Channel::Open311,
        category: "environment",
        description: "江南街道南苑小区门口垃圾桶满溢，已两天未清运，气味很大。",
        address: "江南街道南苑小区南门",
        phone: "13957900102",
        fate: Fate::Assigned {
            unit: "zhzf",
            deadline: "5wd",
            reply: "",
        },
    },
    Report {
        day: date(2026, 11, 18),
        channel: Channel::Portal,
        category: "public_facilities",
        description: "九铃东路人行道砖块破损翘起，老人和孩子容易绊倒。",
        address: "九铃东路 88 号附近",
        phone: "",
        fate: Fate::Assigned {
            unit: "zjj",
            deadline: "10wd",
            reply: "",
        },
    },
    Report {
        day: date(2026, 11, 18),
        channel: Channel::Portal,
        category: "other",
        description: "代办各类证件，价格优惠，欢迎咨询。",
        address: "永康",
        phone: "13957900104",
        fate: Fate::Rejected("内容为广告信息，与城市治理问题无关，不予受理。"),
    },
    Report {
        day: date(2026, 11, 19),
        channel: Channel::Portal,
        category: "environment",
        description: "城西新区工地夜间十一点后仍在施工，噪声扰民。",
        address: "城西新区金城路工地",
        phone: "13957900105",
        fate: Fate::Waiting,
    },
    Report {
        day: date(2026, 11, 20),
        channel: Channel::Open311,
        category: "environment",
        description: "西津桥下游河面漂浮垃圾较多，影响景观。",
        address: "西津桥",
        phone: "",
        fate: Fate::Waiting,
    },
];

/// Files, moderates and assigns the reports. Returns how many were filed.
pub(super) async fn play(play: &Play) -> Result<usize, AppError> {
    for r in REPORTS {
        let filed = play.instant(r.day, 9)?;
        let state = play.state.at(filed);
        let input = ReportInput {
            category: r.category,
            description: r.description,
            address: r.address,
            lat: "",
            long: "",
            email: "",
            phone: r.phone,
            name: "",
            media_url: "",
        };
        let tracking = svc::submit(&state, &Actor::default(), &input, r.channel, None).await?;
        let id = request_id(play, &tracking).await?;
        let (office_state, office) = play.actor("dkb2", play.instant(r.day, 15)?).await?;
        match r.fate {
            Fate::Assigned {
                unit,
                deadline,
                reply,
            } => {
                let case = svc::accept(&office_state, &office, id, &AcceptInput::default()).await?;
                let lead = {
                    let mut tx = play.state.store.begin_read().await?;
                    duban_store::org::find_unit_by_code(&mut tx, unit)
                        .await?
                        .ok_or_else(|| AppError::Internal(format!("demo unit {unit} is missing")))?
                        .id
                };
                let assign = StepInput {
                    step: "assign".into(),
                    lead_unit_id: Some(lead),
                    deadline: deadline.into(),
                    ..StepInput::default()
                };
                act(&office_state, &office, case, &assign).await?;
                if !reply.is_empty() {
                    svc::reply(&office_state, &office, id, reply).await?;
                }
            }
            Fate::Rejected(reason) => svc::reject(&office_state, &office, id, reason).await?,
            Fate::Waiting => {}
        }
    }
    Ok(REPORTS.len())
}

async fn request_id(play: &Play, tracking: &TrackingNumber) -> Result<i64, AppError> {
    let mut tx = play.state.store.begin_read().await?;
    Ok(duban_store::public::find_by_tracking(&mut tx, tracking)
        .await?
        .ok_or_else(|| AppError::Internal(format!("report {tracking} was not stored")))?
        .id)
}
