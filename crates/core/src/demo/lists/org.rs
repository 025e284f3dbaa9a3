//! Who is who in the demo city, for the lists: units, who holds which post, unit heads and the
//! leader who holds each unit's portfolio on [`super::AS_OF`].

use super::AS_OF;
use crate::demo::{DemoCity, DemoUnit};
use crate::org::{UnitKind, valid_on};
use crate::role::Role;
use std::collections::BTreeMap;

/// Lookups into the demo city: units, who holds which post, heads, current portfolios.
pub(super) struct Org<'a> {
    city: &'a DemoCity,
    holders: BTreeMap<(&'static str, &'static str, &'static str), &'a str>,
    heads: BTreeMap<&'static str, &'a str>,
    /// Unit → portfolio leader on [`AS_OF`].
    portfolio: BTreeMap<&'static str, &'static str>,
}

impl<'a> Org<'a> {
    pub(super) fn new(city: &'a DemoCity) -> Self {
        let mut holders = BTreeMap::new();
        let mut heads = BTreeMap::new();
        for p in &city.people {
            let Some(unit) = p.unit else { continue };
            if let (Some(section), Some(post)) = (p.section, p.post) {
                holders
                    .entry((unit, section, post))
                    .or_insert(p.username.as_str());
            }
            if p.role == Role::UnitHead {
                heads.entry(unit).or_insert(p.username.as_str());
            }
        }
        let portfolio = city
            .portfolios
            .iter()
            .filter(|p| valid_on(p.valid_from, p.valid_to, AS_OF))
            .map(|p| (p.unit, p.leader))
            .collect();
        Org {
            city,
            holders,
            heads,
            portfolio,
        }
    }

    pub(super) fn unit(&self, code: &str) -> &'a DemoUnit {
        self.city
            .units
            .iter()
            .find(|u| u.code == code)
            .unwrap_or_else(|| panic!("the demo lists name unit {code}, which the city lacks"))
    }

    /// Username of whoever holds `post` in `section` of `unit`.
    pub(super) fn holder(
        &self,
        unit: &'static str,
        section: &'static str,
        post: &'static str,
    ) -> Option<String> {
        self.holders
            .get(&(unit, section, post))
            .map(|name| name.to_string())
    }

    pub(super) fn head(&self, unit: &str) -> Option<String> {
        self.heads.get(unit).map(|name| name.to_string())
    }

    /// The post of `section` someone holds, or else its last post (the clerk's).
    pub(super) fn staffed_post(&self, unit: &'static str, section: &'static str) -> &'static str {
        let posts = &self
            .unit(unit)
            .sections
            .iter()
            .find(|s| s.name == section)
            .unwrap_or_else(|| panic!("unit {unit} has no section {section}"))
            .posts;
        posts
            .iter()
            .copied()
            .find(|post| self.holder(unit, section, post).is_some())
            .or_else(|| posts.last().copied())
            .unwrap_or_else(|| panic!("section {section} of {unit} has no posts"))
    }

    /// The campaign's lead leader (by campaign code).
    pub(super) fn campaign_leader(&self, campaign: &str) -> &'static str {
        self.city
            .campaigns
            .iter()
            .find(|c| c.code == campaign)
            .unwrap_or_else(|| panic!("the demo lists name campaign {campaign}, which is missing"))
            .lead_leader
    }

    /// 牵头市领导: a department's portfolio leader; for towns, HQs and task forces the
    /// campaign's lead leader (the mayor holds every town, which says little).
    pub(super) fn lead_leader(&self, campaign: &str, unit: &str) -> String {
        let own = self.portfolio.get(unit).copied();
        match (self.unit(unit).kind, own) {
            (UnitKind::Department, Some(leader)) => leader.to_string(),
            _ => self.campaign_leader(campaign).to_string(),
        }
    }
}
