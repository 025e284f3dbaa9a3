//! What an import resolves names against: the organisation, the year's campaigns and the
//! year's existing tasks, loaded once per plan.

use crate::service::names::NameIndexes;
use duban_core::lists::names::fold;
use duban_store::StoreError;
use duban_store::Tx;
use duban_store::lists as store;
use std::collections::HashMap;

/// Everything the plan looks up, loaded once (a 10,000-row sheet makes no per-row queries).
pub(super) struct Lookup {
    pub(super) names: NameIndexes,
    pub(super) campaigns: Vec<(i64, String, String)>,
    pub(super) sections: HashMap<(i64, String), i64>,
    /// (unit, folded name) → (post, section) of every post so called, oldest first.
    pub(super) posts: HashMap<(i64, String), Vec<PostIn>>,
    pub(super) members: HashMap<i64, Vec<i64>>,
    pub(super) leaders: HashMap<i64, String>,
    pub(super) unit_names: HashMap<i64, String>,
    /// (unit, path) → (task, state, due) of the year's existing tasks.
    pub(super) existing: HashMap<(i64, String), (i64, String, Option<jiff::civil::Date>)>,
}

/// A post and the section it belongs to, if any.
type PostIn = (i64, Option<i64>);

impl Lookup {
    /// The post `name` of `unit`: the one in `section` when several share the name.
    pub(super) fn post(&self, unit: i64, name: &str, section: Option<i64>) -> Option<i64> {
        let all = self.posts.get(&(unit, fold(name)))?;
        all.iter()
            .find(|(_, s)| section.is_some() && *s == section)
            .or_else(|| all.first())
            .map(|(id, _)| *id)
    }

    pub(super) async fn load(tx: &mut Tx, year: i16) -> Result<Lookup, StoreError> {
        let names = NameIndexes::load(tx).await?;
        let rows = store::lookup::load_lookup(tx, year).await?;
        let (sections, posts, members, leaders, units, existing) = (
            rows.sections,
            rows.posts,
            rows.members,
            rows.leaders,
            rows.units,
            rows.tasks,
        );
        let campaigns = rows.campaigns;
        let mut m: HashMap<i64, Vec<i64>> = HashMap::new();
        for (u, p) in members {
            m.entry(u).or_default().push(p);
        }
        Ok(Lookup {
            names,
            campaigns,
            sections: sections
                .into_iter()
                .map(|(id, u, n)| ((u, fold(&n)), id))
                .collect(),
            posts: posts
                .into_iter()
                .fold(HashMap::new(), |mut m, (id, u, section, n)| {
                    m.entry((u, fold(&n)))
                        .or_insert_with(Vec::new)
                        .push((id, section));
                    m
                }),
            members: m,
            leaders: leaders.into_iter().collect(),
            unit_names: units.into_iter().collect(),
            existing: existing
                .into_iter()
                .map(|(id, u, path, st, due)| ((u, path), (id, st, due)))
                .collect(),
        })
    }

    pub(super) fn campaign(&self, written: &str) -> Option<(i64, String)> {
        let w = fold(written);
        let w = w.trim_end_matches("攻坚行动").trim_end_matches("行动");
        self.campaigns
            .iter()
            .find(|(_, code, name)| {
                let n = fold(name);
                *code == w
                    || n == w
                    || (!w.is_empty()
                        && (n.contains(w) || w.contains(n.trim_end_matches("攻坚行动"))))
            })
            .map(|(id, _, name)| (*id, name.clone()))
    }
}
