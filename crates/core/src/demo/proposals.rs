//! The demo's session of suggestions and proposals (人大代表建议 · 政协提案) as data: 322
//! suggestions and 364 proposals with realistic Chinese titles, generated from topic
//! templates × the city's places, each with its category, lead unit (and co-unit for one in
//! three), proposer and co-signer among the demo's deputies and members, and delegation or
//! sector. The same every time: nothing depends on the clock or on chance. The web crate's
//! demo plays them through the services.

pub const SUGGESTIONS: usize = 322;
pub const PROPOSALS: usize = 364;
/// Items handed to government units.
pub const HANDED_OUT: usize = 654;

/// The session's categories, each with its lead-unit candidates and topics (`{}` is a place).
pub const CATEGORIES: [(&str, &[&str], &[&str]); 10] = [
    (
        "城建交通",
        &["zjj", "jtysj", "zhzf"],
        &[
            "{}老旧小区改造提速",
            "{}增设公交线路和候车亭",
            "{}主干道交通拥堵治理",
            "{}停车难问题",
            "{}农村公路提档升级",
            "{}既有住宅加装电梯",
        ],
    ),
    (
        "教育文化",
        &["jyj", "wglt"],
        &[
            "{}新建公办幼儿园",
            "{}中小学课后服务",
            "{}校园周边交通安全",
            "{}农村文化礼堂长效运行",
            "{}历史文化街区保护",
        ],
    ),
    (
        "医疗卫生",
        &["wjj"],
        &[
            "{}社区卫生服务中心提能",
            "{}基层医生队伍建设",
            "{}“一老一小”健康服务",
            "{}急救站点布局",
        ],
    ),
    (
        "经济发展",
        &["jxj", "fgj", "swj"],
        &[
            "{}五金产业数字化改造",
            "{}小微企业园提质",
            "{}外贸企业出口稳订单",
            "{}低效工业用地再开发",
            "{}商贸业态提升",
        ],
    ),
    (
        "农业农村",
        &["nyncj"],
        &[
            "{}高标准农田建设",
            "{}村级集体经济增收",
            "{}农村供水保障",
            "{}特色农产品品牌建设",
        ],
    ),
    (
        "生态环境",
        &["sthj", "zrzyj"],
        &[
            "{}河道水环境治理",
            "{}工业企业废气整治",
            "{}垃圾分类提质",
            "{}矿山生态修复",
        ],
    ),
    (
        "社会保障",
        &["rsj", "mzj"],
        &[
            "{}居家养老服务",
            "{}灵活就业人员社保参保",
            "{}困难群众救助",
            "{}高校毕业生就业",
        ],
    ),
    (
        "社会治理",
        &["gaj", "zhzf"],
        &[
            "{}电动自行车充电安全",
            "{}群租房消防隐患整治",
            "{}基层网格减负",
            "{}矛盾纠纷化解",
        ],
    ),
    (
        "市场监管",
        &["scjg"],
        &["{}农贸市场改造提升", "{}校园食品安全", "{}预付式消费监管"],
    ),
    (
        "科技人才",
        &["kjj", "rsj"],
        &["{}科技企业孵化", "{}高技能人才引育", "{}企业研发投入激励"],
    ),
];

const PLACES: [&str; 16] = [
    "东城街道",
    "西城街道",
    "江南街道",
    "经济开发区",
    "方岩镇",
    "古山镇",
    "石柱镇",
    "前仓镇",
    "舟山镇",
    "象珠镇",
    "唐先镇",
    "龙山镇",
    "西溪镇",
    "花街镇",
    "芝英镇",
    "城西新区",
];

const DELEGATIONS: [&str; 6] = [
    "东城代表团",
    "西城代表团",
    "江南代表团",
    "开发区代表团",
    "方岩代表团",
    "古山代表团",
];

const SECTORS: [&str; 6] = [
    "中共界",
    "民盟界",
    "经济界",
    "教育界",
    "医卫界",
    "农业和农村界",
];

/// Co-units: the category's other candidates, else 财政局.
pub const FALLBACK_CO: &str = "czj";

/// One item of the session as generated.
pub struct Seed {
    pub kind: &'static str,
    pub title: String,
    pub content: String,
    pub category: &'static str,
    pub lead: &'static str,
    pub co: Option<&'static str>,
    pub proposer: &'static str,
    pub cosigner: Option<&'static str>,
    pub group: &'static str,
}

pub fn seeds() -> Vec<Seed> {
    let mut v = Vec::with_capacity(SUGGESTIONS + PROPOSALS);
    let topics_all: Vec<(usize, &str)> = CATEGORIES
        .iter()
        .enumerate()
        .flat_map(|(c, (_, _, topics))| topics.iter().map(move |t| (c, *t)))
        .collect();
    for (k, n) in [("suggestion", SUGGESTIONS), ("proposal", PROPOSALS)] {
        for i in 0..n {
            // Every (topic, place) pair at most once per kind: pair j has topic j mod T and
            // place (j div T + 3·topic) mod 16, a bijection on 0..T·16; items walk the pairs
            // in steps of 11 (prime to T·16), so categories and places mix.
            let j = (i * 11 + usize::from(k == "proposal") * 5) % (topics_all.len() * PLACES.len());
            let t = j % topics_all.len();
            let (c, topic) = topics_all[t];
            let (category, units, _) = CATEGORIES[c];
            let place = PLACES[(j / topics_all.len() + 3 * t) % PLACES.len()];
            let what = topic.replace("{}", place);
            let title = if k == "suggestion" {
                format!("关于加快推进{what}的建议")
            } else {
                format!("关于{what}的提案")
            };
            let lead = units[i % units.len()];
            let co = (i.is_multiple_of(3)).then(|| {
                units
                    .iter()
                    .copied()
                    .find(|u| *u != lead)
                    .unwrap_or(FALLBACK_CO)
            });
            let (proposers, groups) = if k == "suggestion" {
                (["deputy1", "deputy2", "deputy3"], DELEGATIONS)
            } else {
                (["deputy4", "deputy5", "deputy6"], SECTORS)
            };
            let proposer = proposers[i % 3];
            v.push(Seed {
                kind: k,
                content: format!(
                    "{place}群众反映{what}方面的问题较为突出。建议相关部门深入调研，明确责任分工和时间节点，加大资金和要素保障，切实解决群众急难愁盼问题。"
                ),
                title,
                category,
                lead,
                co,
                proposer,
                cosigner: (i % 4 == 1).then(|| proposers[(i + 1) % 3]),
                group: groups[i % groups.len()],
            });
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_has_the_seeds_size_and_no_title_twice() {
        let s = seeds();
        assert_eq!(s.len(), SUGGESTIONS + PROPOSALS);
        assert_eq!(
            s.iter().filter(|x| x.kind == "suggestion").count(),
            SUGGESTIONS
        );
        let mut titles: Vec<&str> = s.iter().map(|x| x.title.as_str()).collect();
        titles.sort_unstable();
        titles.dedup();
        assert_eq!(titles.len(), s.len(), "every title is different");
        assert!(
            s.iter()
                .all(|x| x.title.ends_with("的建议") || x.title.ends_with("的提案"))
        );
    }
}
