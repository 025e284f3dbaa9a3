//! Name indexes for matching units and people as people write them (forms and imports):
//! keys generated from names, short names and titles, plus the aliases an admin added.

use duban_core::lists::names::{self, NameIndex, Resolved};
use duban_store::aliases::{self, AliasOf};
use duban_store::{StoreError, Tx};

/// The city prefix stripped from unit names (永康市经信局 = 经信局).
pub const CITY: &str = "永康市";

/// Both indexes, built once per request or import.
pub struct NameIndexes {
    pub units: NameIndex,
    pub people: NameIndex,
}

impl NameIndexes {
    pub async fn load(tx: &mut Tx) -> Result<NameIndexes, StoreError> {
        let mut units = NameIndex::default();
        for (id, name, short) in aliases::list_unit_names(tx).await? {
            for k in names::unit_keys(&name, &short, CITY) {
                units.insert(k, id);
            }
        }
        for a in aliases::list_aliases(tx, AliasOf::Unit).await? {
            units.insert(a.alias, a.target_id);
        }
        let mut people = NameIndex::default();
        for (id, name, title) in aliases::list_person_names(tx).await? {
            for k in names::person_keys(&name, &title) {
                people.insert(k, id);
            }
        }
        for a in aliases::list_aliases(tx, AliasOf::Person).await? {
            people.insert(a.alias, a.target_id);
        }
        Ok(NameIndexes { units, people })
    }

    pub fn unit(&self, written: &str) -> Resolved {
        self.units.resolve(&[names::unit_key(written, CITY)])
    }

    pub fn person(&self, written: &str) -> Resolved {
        self.people.resolve(&names::person_lookup_keys(written))
    }
}
