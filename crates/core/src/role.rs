//! Roles (DOMAIN.md §5). An account has exactly one role; its scope comes from the person's
//! memberships, portfolios and task forces, not from the role alone.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员 — keeps the organisation and accounts; sees everything.
    Admin,
    /// 督考办 — registers, assigns, verifies, scores; sees all units.
    SupervisionOffice,
    /// 主要领导 — party secretary and mayor; sees everything, changes nothing directly.
    TopLeader,
    /// 分管领导 — a vice-mayor; sees the units of their portfolio (分管) and task forces.
    PortfolioLeader,
    /// 单位一把手 — head of a unit; sees and approves the unit's work.
    UnitHead,
    /// 联络员 — files the unit's reports.
    UnitLiaison,
    /// 科室/岗位人员 — sees the unit's organisation and their own assignments.
    SectionStaff,
    /// 人大代表 / 政协委员 — sees their own suggestions and what is public. CPPCC members hold
    /// this role too: what they may do is the same (file, withdraw, rate their own items); the
    /// kind of an item, not the role, says whether it is a suggestion or a proposal.
    Deputy,
    /// 审计员 — reads everything (every unit, list, case, report, commitment, attachment and
    /// the whole ledger) and writes nothing but their own account (password, API tokens).
    Auditor,
    /// 人大代表工委 (议案建议组) — registers, accepts, rejects and merges suggestions and
    /// oversees their handling. Outside the suggestions it has no unit: it sees what a signed-in
    /// account without a unit sees.
    NpcOffice,
    /// 政协提案委 — the same for proposals (立案 / 不立案, 并案).
    CppccOffice,
}

impl Role {
    pub const ALL: [Role; 11] = [
        Role::Admin,
        Role::SupervisionOffice,
        Role::TopLeader,
        Role::PortfolioLeader,
        Role::UnitHead,
        Role::UnitLiaison,
        Role::SectionStaff,
        Role::Deputy,
        Role::Auditor,
        Role::NpcOffice,
        Role::CppccOffice,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::SupervisionOffice => "supervision_office",
            Role::TopLeader => "top_leader",
            Role::PortfolioLeader => "portfolio_leader",
            Role::UnitHead => "unit_head",
            Role::UnitLiaison => "unit_liaison",
            Role::SectionStaff => "section_staff",
            Role::Deputy => "deputy",
            Role::Auditor => "auditor",
            Role::NpcOffice => "npc_office",
            Role::CppccOffice => "cppcc_office",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Roles that see every unit of the city.
    pub fn sees_whole_city(self) -> bool {
        matches!(
            self,
            Role::Admin | Role::SupervisionOffice | Role::TopLeader | Role::Auditor
        )
    }
}

impl Role {
    /// The proposals office of this role's body, with the kind it registers.
    pub fn proposals_office(self) -> Option<crate::proposals::kind::Kind> {
        match self {
            Role::NpcOffice => Some(crate::proposals::kind::Kind::Suggestion),
            Role::CppccOffice => Some(crate::proposals::kind::Kind::Proposal),
            _ => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_text() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("public"), None);
    }
}
