//! A year's assessment scheme as data: modules with weights and caps, the points of each event
//! kind, lead/co multipliers, a base score, groups for ranking and star thresholds. An adopted
//! scheme is never edited: a change adopts a new version with a reason, in force from a day,
//! and every event is scored under the version in force on its day.

use super::event::{EventKind, KindError, Part, scaled};
use super::{Centi, fmt_points};
use crate::org::UnitId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Module {
    /// `key_work`, `cases`, `commitments`, `manual`, …
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    /// Share of the total, in points; the weights of a scheme sum to 100.
    pub weight: u32,
    /// At most this many points gained from events in one period (None: up to the weight).
    pub cap_plus: Option<Centi>,
    /// At most this many points lost from events in one period (None: down to zero).
    pub cap_minus: Option<Centi>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub kind: EventKind,
    pub module: String,
    /// Points for the lead unit, before the multiplier.
    pub points: Centi,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub units: Vec<UnitId>,
}

/// Stars (星级): five stars is the highest. Units that reach no threshold get one star.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "by", content = "at")]
pub enum Stars {
    /// Minimum totals for five, four, three and two stars, strictly descending.
    Score([Centi; 4]),
    /// Shares of the group, in percent, for five, four, three and two stars (each band, not
    /// cumulative). Places are counted down from the top: the first `⌊(s5)·n/100⌋` places are
    /// five stars, up to `⌊(s5+s4)·n/100⌋` four, and so on; units tied on a rank share it.
    Share([u32; 4]),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheme {
    /// Each module starts a period at this percentage of its weight (e.g. 80).
    pub base_pct: u32,
    pub modules: Vec<Module>,
    pub rules: Vec<Rule>,
    /// Multipliers in percent: lead ×1 → 100, co ×0.5 → 50.
    pub lead_pct: u32,
    pub co_pct: u32,
    pub groups: Vec<Group>,
    pub stars: Stars,
    /// Calendar days after an event's day within which its unit may appeal.
    pub appeal_days: u32,
    /// Whether every unit may see the group tables (else only the office and leaders).
    pub tables_for_all_units: bool,
}

/// What is wrong with a scheme. Each names the field an officer must fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemeError {
    #[error("the module weights sum to {0}, not 100")]
    WeightsNot100(u32),
    #[error("module {0:?} appears twice or has no key")]
    ModuleKey(String),
    #[error("rule for {kind} names module {module:?}, which the scheme does not have")]
    RuleModule { kind: &'static str, module: String },
    #[error("event kind {0} has two rules")]
    RuleTwice(&'static str),
    #[error(transparent)]
    Kind(#[from] KindError),
    #[error("star thresholds must descend strictly from five stars to two")]
    StarsOrder,
    #[error("star shares must each be 0–100 and add up to at most 100")]
    StarsShare,
    #[error("the base score must be 0–100 percent")]
    Base,
    #[error("multipliers must be 0–200 percent")]
    Multiplier,
    #[error("group {0:?} appears twice or has no key")]
    GroupKey(String),
    #[error("unit {0} is in two groups")]
    UnitTwice(UnitId),
    #[error("a cap must not be negative")]
    Cap,
}

impl SchemeError {
    /// The form field to show the problem beside.
    pub fn field(&self) -> &'static str {
        match self {
            SchemeError::WeightsNot100(_) | SchemeError::ModuleKey(_) | SchemeError::Cap => {
                "modules"
            }
            SchemeError::RuleModule { .. } | SchemeError::RuleTwice(_) | SchemeError::Kind(_) => {
                "rules"
            }
            SchemeError::StarsOrder | SchemeError::StarsShare => "stars",
            SchemeError::Base => "base_pct",
            SchemeError::Multiplier => "multipliers",
            SchemeError::GroupKey(_) | SchemeError::UnitTwice(_) => "groups",
        }
    }

    /// The catalog code (`assessment.errors.<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            SchemeError::WeightsNot100(_) => "weights_not_100",
            SchemeError::ModuleKey(_) => "module_key",
            SchemeError::RuleModule { .. } => "rule_module",
            SchemeError::RuleTwice(_) => "rule_twice",
            SchemeError::Kind(KindError::Formalism(_)) => "formalism",
            SchemeError::Kind(KindError::Unknown(_)) => "unknown_kind",
            SchemeError::StarsOrder => "stars_order",
            SchemeError::StarsShare => "stars_share",
            SchemeError::Base => "base",
            SchemeError::Multiplier => "multiplier",
            SchemeError::GroupKey(_) => "group_key",
            SchemeError::UnitTwice(_) => "unit_twice",
            SchemeError::Cap => "cap",
        }
    }
}

impl Scheme {
    /// Every rule of the scheme, checked.
    pub fn validate(&self) -> Result<(), SchemeError> {
        if self.base_pct > 100 {
            return Err(SchemeError::Base);
        }
        if self.lead_pct > 200 || self.co_pct > 200 {
            return Err(SchemeError::Multiplier);
        }
        let mut keys = BTreeSet::new();
        for m in &self.modules {
            if m.key.trim().is_empty() || !keys.insert(m.key.as_str()) {
                return Err(SchemeError::ModuleKey(m.key.clone()));
            }
            if m.cap_plus.is_some_and(|c| c < 0) || m.cap_minus.is_some_and(|c| c < 0) {
                return Err(SchemeError::Cap);
            }
        }
        let sum: u32 = self.modules.iter().map(|m| m.weight).sum();
        if sum != 100 {
            return Err(SchemeError::WeightsNot100(sum));
        }
        let mut kinds = BTreeSet::new();
        for r in &self.rules {
            if !keys.contains(r.module.as_str()) {
                return Err(SchemeError::RuleModule {
                    kind: r.kind.as_str(),
                    module: r.module.clone(),
                });
            }
            if !kinds.insert(r.kind) {
                return Err(SchemeError::RuleTwice(r.kind.as_str()));
            }
        }
        match self.stars {
            Stars::Score(t) => {
                if t.windows(2).any(|w| w[0] <= w[1]) || t.iter().any(|v| *v < 0) {
                    return Err(SchemeError::StarsOrder);
                }
            }
            Stars::Share(s) => {
                if s.iter().any(|v| *v > 100) || s.iter().sum::<u32>() > 100 {
                    return Err(SchemeError::StarsShare);
                }
            }
        }
        let (mut groups, mut units) = (BTreeSet::new(), BTreeSet::new());
        for g in &self.groups {
            if g.key.trim().is_empty() || !groups.insert(g.key.as_str()) {
                return Err(SchemeError::GroupKey(g.key.clone()));
            }
            for u in &g.units {
                if !units.insert(*u) {
                    return Err(SchemeError::UnitTwice(*u));
                }
            }
        }
        Ok(())
    }

    pub fn rule(&self, kind: EventKind) -> Option<&Rule> {
        self.rules.iter().find(|r| r.kind == kind)
    }

    pub fn module(&self, key: &str) -> Option<&Module> {
        self.modules.iter().find(|m| m.key == key)
    }

    /// The points an event of `kind` gives a unit taking `part`, and the module they count in;
    /// `None` when the scheme does not score the kind.
    pub fn points(&self, kind: EventKind, part: Part) -> Option<(&str, Centi)> {
        let r = self.rule(kind)?;
        let pct = match part {
            Part::Lead => self.lead_pct,
            Part::Co => self.co_pct,
        };
        Some((r.module.as_str(), scaled(r.points, pct)))
    }

    /// The group a unit is ranked in.
    pub fn group_of(&self, unit: UnitId) -> Option<&Group> {
        self.groups.iter().find(|g| g.units.contains(&unit))
    }

    /// How one event's points were reached, in words: "−1 × 0.5（协办）= −0.5".
    pub fn explain(&self, kind: EventKind, part: Part) -> Option<String> {
        let r = self.rule(kind)?;
        let (_, p) = self.points(kind, part)?;
        Some(match part {
            Part::Lead if self.lead_pct == 100 => fmt_points(p),
            Part::Lead => format!(
                "{} × {}% = {}",
                fmt_points(r.points),
                self.lead_pct,
                fmt_points(p)
            ),
            Part::Co => format!(
                "{} × {}% = {}",
                fmt_points(r.points),
                self.co_pct,
                fmt_points(p)
            ),
        })
    }

    /// The scheme a city starts from: the observed values of DOMAIN §3.3 with groups left to
    /// the office.
    pub fn default_for(groups: Vec<Group>) -> Scheme {
        let module = |key: &str, zh: &str, en: &str, weight: u32| Module {
            key: key.into(),
            name_zh: zh.into(),
            name_en: en.into(),
            weight,
            cap_plus: None,
            cap_minus: None,
        };
        Scheme {
            base_pct: 80,
            modules: vec![
                module("key_work", "重点工作", "Key work", 40),
                module("cases", "督办事项", "Supervision cases", 20),
                module("commitments", "双承诺", "Commitments", 10),
                module("proposals", "建议提案办理", "Suggestions and proposals", 10),
                module("showcase", "半年晒拼", "Half-year showcase", 10),
                Module {
                    cap_plus: Some(500),
                    cap_minus: Some(1000),
                    ..module(
                        "manual",
                        "领导评价与核查",
                        "Leaders' judgement and checks",
                        10,
                    )
                },
            ],
            rules: EventKind::ALL
                .into_iter()
                .map(|kind| Rule {
                    kind,
                    module: kind.default_module().into(),
                    points: kind.default_points(),
                })
                .collect(),
            lead_pct: 100,
            co_pct: 50,
            groups,
            stars: Stars::Score([9000, 8500, 8000, 7000]),
            appeal_days: 10,
            tables_for_all_units: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme() -> Scheme {
        Scheme::default_for(vec![
            Group {
                key: "towns".into(),
                name_zh: "镇街".into(),
                name_en: "Towns".into(),
                units: vec![UnitId(1), UnitId(2)],
            },
            Group {
                key: "depts".into(),
                name_zh: "部门".into(),
                name_en: "Departments".into(),
                units: vec![UnitId(3)],
            },
        ])
    }

    #[test]
    fn the_default_scheme_is_valid() {
        assert_eq!(scheme().validate(), Ok(()));
    }

    #[test]
    fn weights_must_sum_to_100() {
        let mut s = scheme();
        s.modules[0].weight = 35;
        assert_eq!(s.validate(), Err(SchemeError::WeightsNot100(95)));
        assert_eq!(s.validate().unwrap_err().field(), "modules");
    }

    #[test]
    fn star_thresholds_must_descend() {
        let mut s = scheme();
        s.stars = Stars::Score([9000, 9000, 8000, 7000]);
        assert_eq!(s.validate(), Err(SchemeError::StarsOrder));
        s.stars = Stars::Score([7000, 8000, 8500, 9000]);
        assert_eq!(s.validate(), Err(SchemeError::StarsOrder));
        s.stars = Stars::Share([10, 20, 30, 41]);
        assert_eq!(s.validate(), Err(SchemeError::StarsShare));
        s.stars = Stars::Share([10, 20, 30, 40]);
        assert_eq!(s.validate(), Ok(()));
    }

    #[test]
    fn rules_must_name_a_module_once() {
        let mut s = scheme();
        s.rules[0].module = "nowhere".into();
        assert!(matches!(s.validate(), Err(SchemeError::RuleModule { .. })));
        let mut s = scheme();
        let dup = s.rules[1].clone();
        s.rules.push(dup);
        assert!(matches!(s.validate(), Err(SchemeError::RuleTwice(_))));
    }

    #[test]
    fn a_unit_is_ranked_in_one_group() {
        let mut s = scheme();
        s.groups[1].units.push(UnitId(1));
        assert_eq!(s.validate(), Err(SchemeError::UnitTwice(UnitId(1))));
        assert_eq!(s.group_of(UnitId(3)).unwrap().key, "depts");
        assert!(s.group_of(UnitId(9)).is_none());
    }

    #[test]
    fn other_bounds() {
        let mut s = scheme();
        s.base_pct = 101;
        assert_eq!(s.validate(), Err(SchemeError::Base));
        let mut s = scheme();
        s.co_pct = 300;
        assert_eq!(s.validate(), Err(SchemeError::Multiplier));
        let mut s = scheme();
        s.modules[3].cap_minus = Some(-1);
        assert_eq!(s.validate(), Err(SchemeError::Cap));
        let mut s = scheme();
        s.groups[1].key = "towns".into();
        assert!(matches!(s.validate(), Err(SchemeError::GroupKey(_))));
    }

    #[test]
    fn co_units_score_by_the_multiplier_and_say_so() {
        let s = scheme();
        assert_eq!(
            s.points(EventKind::CommitmentBroken, Part::Lead),
            Some(("commitments", -500))
        );
        assert_eq!(
            s.points(EventKind::CommitmentBroken, Part::Co),
            Some(("commitments", -250))
        );
        assert_eq!(
            s.explain(EventKind::CaseOverdue, Part::Co).unwrap(),
            "-1 × 50% = -0.5"
        );
        assert_eq!(s.explain(EventKind::CaseOverdue, Part::Lead).unwrap(), "-1");
    }

    #[test]
    fn a_scheme_survives_its_json_form() {
        let s = scheme();
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Scheme>(&json).unwrap(), s);
    }
}
