//! What the demo city's leaders hold: portfolios (分管) and the five 2026 campaigns.
//!
//! 商务局 changes hands on 2026-04-01 (fsz2 → fsz5) so that dated portfolios are exercised:
//! before that day fsz2 sees it, from that day fsz5 does.

use super::{DemoCampaign, DemoPortfolio};
use jiff::civil::date;

/// Current portfolios, all held from 2026-01-01 on: (leader, units).
const CURRENT: &[(&str, &[&str])] = &[
    (
        "shizhang",
        &[
            "town-kaifaqu",
            "town-dongcheng",
            "town-xicheng",
            "town-jiangnan",
            "town-shizhu",
            "town-zhiying",
            "town-gushan",
            "town-longshan",
            "town-xiangzhu",
        ],
    ),
    ("fsz1", &["fgj", "czj", "tjj", "tzcj", "sjj"]),
    ("fsz2", &["jxj", "scjg", "yjglj", "sthj"]),
    ("fsz3", &["zjj", "zrzyj", "jtysj", "zhzf", "swuj"]),
    ("fsz4", &["wglt", "jyj", "wjj", "mzj", "tyjr"]),
    ("fsz5", &["kjj", "rsj"]),
    (
        "fsz6",
        &[
            "gaj",
            "sfj",
            "nyncj",
            "town-fangyan",
            "town-xixi",
            "town-zhoushan",
        ],
    ),
];

/// Every portfolio of the demo city, the ended one included.
pub(super) fn portfolios() -> Vec<DemoPortfolio> {
    let mut out: Vec<DemoPortfolio> = CURRENT
        .iter()
        .flat_map(|&(leader, units)| {
            units.iter().map(move |&unit| DemoPortfolio {
                leader,
                unit,
                valid_from: date(2026, 1, 1),
                valid_to: None,
            })
        })
        .collect();
    out.push(DemoPortfolio {
        leader: "fsz2",
        unit: "swj",
        valid_from: date(2025, 1, 1),
        valid_to: Some(date(2026, 3, 31)),
    });
    out.push(DemoPortfolio {
        leader: "fsz5",
        unit: "swj",
        valid_from: date(2026, 4, 1),
        valid_to: None,
    });
    out
}

/// The five 2026 campaigns (五大攻坚行动), one task force each.
pub(super) fn campaigns() -> Vec<DemoCampaign> {
    vec![
        DemoCampaign {
            code: "gy-tizhi",
            name: "工业发展提质",
            lead_leader: "fsz2",
            task_force: "tf-industry",
            command_hq: Some("hq-hardware"),
        },
        DemoCampaign {
            code: "cs-tisheng",
            name: "城市品质提升",
            lead_leader: "fsz3",
            task_force: "tf-city",
            command_hq: Some("hq-renewal"),
        },
        DemoCampaign {
            code: "ys-tixiao",
            name: "要素配置提效",
            lead_leader: "fsz1",
            task_force: "tf-factors",
            command_hq: None,
        },
        DemoCampaign {
            code: "wl-tidang",
            name: "文旅融合提档",
            lead_leader: "fsz4",
            task_force: "tf-tourism",
            command_hq: None,
        },
        DemoCampaign {
            code: "cx-tisu",
            name: "创新驱动提速",
            lead_leader: "fsz5",
            task_force: "tf-innovation",
            command_hq: None,
        },
    ]
}
