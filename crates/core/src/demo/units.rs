//! The demo city's units: leadership, 督考办, 25 departments, 12 towns and zones, two command
//! HQs and five task forces, with their sections (科室) and posts (岗位).

use super::{Sections, Staff, UnitRow};
use crate::org::UnitKind;

/// Every unit row, in the order the loader should insert them.
pub(super) fn all_rows() -> Vec<&'static UnitRow> {
    [
        LEADERSHIP,
        SUPERVISION_OFFICE,
        DEPARTMENTS,
        TOWNS,
        COMMAND_HQS,
        TASK_FORCES,
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A department headed by a 局长.
const fn department(
    code: &'static str,
    name: &'static str,
    short_name: &'static str,
    sections: Sections,
    staff: Staff,
) -> UnitRow {
    UnitRow {
        code,
        name,
        short_name,
        kind: UnitKind::Department,
        head_title: "局长",
        sections,
        staff,
    }
}

/// A town, street (街道) or zone; streets and zones are headed by a 主任, towns by a 镇长.
const fn town(
    code: &'static str,
    name: &'static str,
    short_name: &'static str,
    head_title: &'static str,
    sections: Sections,
    staff: Staff,
) -> UnitRow {
    UnitRow {
        code,
        name,
        short_name,
        kind: UnitKind::Town,
        head_title,
        sections,
        staff,
    }
}

/// A unit whose people are made elsewhere or come from other units.
const fn office(
    code: &'static str,
    name: &'static str,
    short_name: &'static str,
    kind: UnitKind,
    sections: Sections,
) -> UnitRow {
    UnitRow {
        code,
        name,
        short_name,
        kind,
        head_title: "",
        sections,
        staff: &[],
    }
}

impl UnitRow {
    const fn headed_by(self, head_title: &'static str) -> UnitRow {
        UnitRow { head_title, ..self }
    }
}

const LEADERSHIP: &[UnitRow] = &[office(
    "leaders",
    "永康市人民政府",
    "市领导",
    UnitKind::Leadership,
    &[("市政府办公室", &["秘书"])],
)];

const SUPERVISION_OFFICE: &[UnitRow] = &[office(
    "dkb",
    "永康市委市政府督查考核办公室",
    "督考办",
    UnitKind::SupervisionOffice,
    &[
        ("综合科", &["科长", "信息化专员"]),
        ("督查科", &["科长", "督查专员"]),
        ("考核科", &["科长", "考核专员"]),
    ],
)];

const DEPARTMENTS: &[UnitRow] = &[
    department(
        "jxj",
        "永康市经济和信息化局",
        "经信局",
        &[
            ("办公室", &["主任", "文秘"]),
            ("工业发展科", &["科长", "项目专员"]),
            ("技术改造科", &["科长"]),
            ("中小企业科", &["科长", "企业服务专员"]),
        ],
        &[
            ("工业发展科", "项目专员", "科员"),
            ("技术改造科", "科长", "科长"),
        ],
    ),
    department(
        "fgj",
        "永康市发展和改革局",
        "发改局",
        &[
            ("办公室", &["主任"]),
            ("综合规划科", &["科长"]),
            ("重点项目科", &["科长", "项目专员"]),
            ("投资科", &["科长", "项目专员"]),
        ],
        &[
            ("重点项目科", "科长", "科长"),
            ("投资科", "项目专员", "科员"),
        ],
    ),
    department(
        "zjj",
        "永康市住房和城乡建设局",
        "住建局",
        &[
            ("办公室", &["主任"]),
            ("城市建设科", &["科长", "工程专员"]),
            ("房地产市场监管科", &["科长"]),
            ("村镇建设科", &["科长", "科员"]),
        ],
        &[
            ("城市建设科", "科长", "科长"),
            ("村镇建设科", "科员", "科员"),
        ],
    ),
    department(
        "zrzyj",
        "永康市自然资源和规划局",
        "自然资源和规划局",
        &[
            ("办公室", &["主任"]),
            ("国土空间规划科", &["科长", "规划专员"]),
            ("耕地保护科", &["科长"]),
            ("土地利用科", &["科长", "用地专员"]),
        ],
        &[
            ("土地利用科", "科长", "科长"),
            ("国土空间规划科", "规划专员", "科员"),
        ],
    ),
    department(
        "wglt",
        "永康市文化和广电旅游体育局",
        "文广旅体局",
        &[
            ("办公室", &["主任"]),
            ("文化艺术科", &["科长", "科员"]),
            ("旅游发展科", &["科长", "项目专员"]),
            ("体育科", &["科长"]),
        ],
        &[
            ("旅游发展科", "科长", "科长"),
            ("文化艺术科", "科员", "科员"),
        ],
    ),
    department(
        "kjj",
        "永康市科学技术局",
        "科技局",
        &[
            ("办公室", &["主任"]),
            ("高新技术科", &["科长", "科员"]),
            ("创新平台科", &["科长", "平台专员"]),
        ],
        &[
            ("高新技术科", "科长", "科长"),
            ("创新平台科", "平台专员", "科员"),
        ],
    ),
    department(
        "czj",
        "永康市财政局",
        "财政局",
        &[
            ("办公室", &["主任"]),
            ("预算科", &["科长", "科员"]),
            ("经济建设科", &["科长", "科员"]),
            ("国库科", &["科长"]),
        ],
        &[("经济建设科", "科长", "科长"), ("预算科", "科员", "科员")],
    ),
    department(
        "swj",
        "永康市商务局",
        "商务局",
        &[
            ("办公室", &["主任"]),
            ("对外贸易科", &["科长", "科员"]),
            ("电子商务科", &["科长", "科员"]),
            ("市场建设科", &["科长"]),
        ],
        &[
            ("对外贸易科", "科长", "科长"),
            ("电子商务科", "科员", "科员"),
        ],
    ),
    department(
        "scjg",
        "永康市市场监督管理局",
        "市场监管局",
        &[
            ("办公室", &["主任"]),
            ("质量发展科", &["科长", "标准化专员"]),
            ("登记注册科", &["科长", "科员"]),
            ("食品安全科", &["科长"]),
        ],
        &[
            ("质量发展科", "科长", "科长"),
            ("质量发展科", "标准化专员", "科员"),
        ],
    ),
    department(
        "sthj",
        "金华市生态环境局永康分局",
        "生态环境分局",
        &[
            ("办公室", &["主任"]),
            ("环境影响评价科", &["科长"]),
            ("污染防治科", &["科长", "科员"]),
        ],
        &[("污染防治科", "科长", "科长")],
    ),
    department(
        "gaj",
        "永康市公安局",
        "公安局",
        &[
            ("办公室", &["主任"]),
            ("指挥中心", &["主任", "值班民警"]),
            ("治安管理大队", &["大队长"]),
        ],
        &[("指挥中心", "值班民警", "民警")],
    ),
    department(
        "jyj",
        "永康市教育局",
        "教育局",
        &[
            ("办公室", &["主任"]),
            ("基础教育科", &["科长"]),
            ("发展规划科", &["科长", "科员"]),
            ("职业教育科", &["科长"]),
        ],
        &[("发展规划科", "科长", "科长")],
    ),
    department(
        "wjj",
        "永康市卫生健康局",
        "卫健局",
        &[
            ("办公室", &["主任"]),
            ("医政医管科", &["科长", "科员"]),
            ("疾病预防控制科", &["科长"]),
        ],
        &[("医政医管科", "科员", "科员")],
    ),
    department(
        "rsj",
        "永康市人力资源和社会保障局",
        "人社局",
        &[
            ("办公室", &["主任"]),
            ("就业促进科", &["科长", "科员"]),
            ("人才开发科", &["科长", "人才专员"]),
        ],
        &[
            ("人才开发科", "科长", "科长"),
            ("就业促进科", "科员", "科员"),
        ],
    ),
    department(
        "nyncj",
        "永康市农业农村局",
        "农业农村局",
        &[
            ("办公室", &["主任"]),
            ("乡村振兴科", &["科长", "科员"]),
            ("农业产业科", &["科长"]),
        ],
        &[("乡村振兴科", "科长", "科长")],
    ),
    department(
        "jtysj",
        "永康市交通运输局",
        "交通运输局",
        &[
            ("办公室", &["主任"]),
            ("规划建设科", &["科长", "工程专员"]),
            ("运输管理科", &["科长", "科员"]),
        ],
        &[
            ("规划建设科", "科长", "科长"),
            ("运输管理科", "科员", "科员"),
        ],
    ),
    department(
        "swuj",
        "永康市水务局",
        "水务局",
        &[
            ("办公室", &["主任"]),
            ("水利工程科", &["科长", "工程专员"]),
            ("供排水科", &["科长"]),
        ],
        &[("水利工程科", "科长", "科长")],
    ),
    department(
        "yjglj",
        "永康市应急管理局",
        "应急管理局",
        &[
            ("办公室", &["主任"]),
            ("安全生产综合科", &["科长", "科员"]),
            ("危化品监管科", &["科长"]),
        ],
        &[("安全生产综合科", "科员", "科员")],
    ),
    department(
        "mzj",
        "永康市民政局",
        "民政局",
        &[
            ("办公室", &["主任"]),
            ("养老服务科", &["科长"]),
            ("社会救助科", &["科长", "科员"]),
        ],
        &[("养老服务科", "科长", "科长")],
    ),
    department(
        "sfj",
        "永康市司法局",
        "司法局",
        &[
            ("办公室", &["主任"]),
            ("法治督察科", &["科长"]),
            ("行政复议与应诉科", &["科长"]),
        ],
        &[],
    ),
    department(
        "tjj",
        "永康市统计局",
        "统计局",
        &[
            ("办公室", &["主任"]),
            ("综合核算科", &["科长"]),
            ("工业统计科", &["科长", "科员"]),
        ],
        &[("工业统计科", "科员", "科员")],
    ),
    department(
        "zhzf",
        "永康市综合行政执法局",
        "综合行政执法局",
        &[
            ("办公室", &["主任"]),
            ("市容环境卫生科", &["科长", "科员"]),
            ("执法监督科", &["科长", "科员"]),
        ],
        &[
            ("市容环境卫生科", "科长", "科长"),
            ("执法监督科", "科员", "科员"),
        ],
    ),
    department(
        "sjj",
        "永康市数据局",
        "数据局",
        &[
            ("办公室", &["主任"]),
            ("数字政府科", &["科长", "科员"]),
            ("数据资源科", &["科长", "数据专员"]),
        ],
        &[
            ("数字政府科", "科长", "科长"),
            ("数据资源科", "数据专员", "科员"),
        ],
    ),
    department(
        "tzcj",
        "永康市投资促进中心",
        "投促中心",
        &[
            ("综合科", &["科长"]),
            ("招商一科", &["科长", "招商专员"]),
            ("项目服务科", &["科长", "项目专员"]),
        ],
        &[
            ("项目服务科", "科长", "科长"),
            ("招商一科", "招商专员", "科员"),
        ],
    )
    .headed_by("主任"),
    department(
        "tyjr",
        "永康市退役军人事务局",
        "退役军人事务局",
        &[
            ("办公室", &["主任"]),
            ("就业创业科", &["科长"]),
            ("优抚科", &["科长"]),
        ],
        &[],
    ),
];

/// A street's offices.
const STREET_SECTIONS: Sections = &[
    ("党政办公室", &["负责人", "文书"]),
    ("经济发展办公室", &["负责人", "企业服务专员"]),
    ("城市管理办公室", &["负责人", "网格专员"]),
];

/// A town's offices.
const TOWN_SECTIONS: Sections = &[
    ("党政办公室", &["负责人", "文书"]),
    ("经济发展办公室", &["负责人", "企业服务专员"]),
    ("村镇建设办公室", &["负责人", "项目专员"]),
];

/// One clerk in the economic office: the usual staff of a town that has any.
const ECONOMY_CLERK: Staff = &[("经济发展办公室", "企业服务专员", "科员")];
/// One clerk in the building office.
const BUILDING_CLERK: Staff = &[("村镇建设办公室", "项目专员", "科员")];

const TOWNS: &[UnitRow] = &[
    town(
        "town-dongcheng",
        "永康市东城街道办事处",
        "东城街道",
        "主任",
        STREET_SECTIONS,
        &[
            ("城市管理办公室", "负责人", "办公室主任"),
            ("经济发展办公室", "企业服务专员", "科员"),
        ],
    ),
    town(
        "town-xicheng",
        "永康市西城街道办事处",
        "西城街道",
        "主任",
        STREET_SECTIONS,
        ECONOMY_CLERK,
    ),
    town(
        "town-jiangnan",
        "永康市江南街道办事处",
        "江南街道",
        "主任",
        STREET_SECTIONS,
        &[("城市管理办公室", "网格专员", "科员")],
    ),
    town(
        "town-shizhu",
        "永康市石柱镇人民政府",
        "石柱镇",
        "镇长",
        TOWN_SECTIONS,
        ECONOMY_CLERK,
    ),
    town(
        "town-zhiying",
        "永康市芝英镇人民政府",
        "芝英镇",
        "镇长",
        TOWN_SECTIONS,
        ECONOMY_CLERK,
    ),
    town(
        "town-gushan",
        "永康市古山镇人民政府",
        "古山镇",
        "镇长",
        TOWN_SECTIONS,
        BUILDING_CLERK,
    ),
    town(
        "town-fangyan",
        "永康市方岩镇人民政府",
        "方岩镇",
        "镇长",
        TOWN_SECTIONS,
        BUILDING_CLERK,
    ),
    town(
        "town-longshan",
        "永康市龙山镇人民政府",
        "龙山镇",
        "镇长",
        TOWN_SECTIONS,
        &[],
    ),
    town(
        "town-xixi",
        "永康市西溪镇人民政府",
        "西溪镇",
        "镇长",
        TOWN_SECTIONS,
        &[],
    ),
    town(
        "town-zhoushan",
        "永康市舟山镇人民政府",
        "舟山镇",
        "镇长",
        TOWN_SECTIONS,
        ECONOMY_CLERK,
    ),
    town(
        "town-xiangzhu",
        "永康市象珠镇人民政府",
        "象珠镇",
        "镇长",
        TOWN_SECTIONS,
        BUILDING_CLERK,
    ),
    town(
        "town-kaifaqu",
        "永康经济开发区管理委员会",
        "经济开发区",
        "主任",
        &[
            ("综合办公室", &["主任", "文书"]),
            ("企业服务科", &["科长", "企业服务专员"]),
            ("规划建设科", &["科长", "项目专员"]),
        ],
        &[
            ("企业服务科", "科长", "科长"),
            ("规划建设科", "项目专员", "科员"),
        ],
    ),
];

const COMMAND_HQS: &[UnitRow] = &[
    office(
        "hq-hardware",
        "永康市五金产业转型升级指挥部",
        "五金指挥部",
        UnitKind::CommandHq,
        &[("综合组", &["组长"]), ("项目推进组", &["组长", "项目专员"])],
    ),
    office(
        "hq-renewal",
        "永康市城市更新指挥部",
        "城市更新指挥部",
        UnitKind::CommandHq,
        &[("综合组", &["组长"]), ("征迁推进组", &["组长", "征迁专员"])],
    ),
];

const TASK_FORCES: &[UnitRow] = &[
    office(
        "tf-industry",
        "工业发展提质攻坚专班",
        "工业提质专班",
        UnitKind::TaskForce,
        &[("综合组", &["组长", "联络员"]), ("项目推进组", &["组长"])],
    ),
    office(
        "tf-city",
        "城市品质提升攻坚专班",
        "城市提升专班",
        UnitKind::TaskForce,
        &[("综合组", &["组长", "联络员"]), ("项目推进组", &["组长"])],
    ),
    office(
        "tf-factors",
        "要素配置提效攻坚专班",
        "要素提效专班",
        UnitKind::TaskForce,
        &[("综合组", &["组长", "联络员"])],
    ),
    office(
        "tf-tourism",
        "文旅融合提档攻坚专班",
        "文旅提档专班",
        UnitKind::TaskForce,
        &[("综合组", &["组长", "联络员"])],
    ),
    office(
        "tf-innovation",
        "创新驱动提速攻坚专班",
        "创新提速专班",
        UnitKind::TaskForce,
        &[("综合组", &["组长", "联络员"]), ("平台建设组", &["组长"])],
    ),
];
