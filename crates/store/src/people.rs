//! People and their memberships in units. A person's home unit is their open primary
//! membership; memberships in task forces and command HQs are secondary. Moving a person to
//! another unit ends the old membership instead of rewriting it, so history stays.

use crate::ledger::{self, Change};
use crate::{Audit, StoreError, Tx, sql};
use duban_core::org::{MembershipId, PersonId, PostId, SectionId, UnitId};
use jiff::civil::Date;
use serde::Serialize;

/// A person with their home unit, section, post and account (if any).
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub mobile: Option<String>,
    pub active: bool,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub section_id: Option<i64>,
    pub section_name: Option<String>,
    pub post_id: Option<i64>,
    pub post_name: Option<String>,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub role: Option<String>,
}

impl Person {
    pub fn person_id(&self) -> PersonId {
        PersonId(self.id)
    }
    pub fn home_unit(&self) -> Option<UnitId> {
        self.unit_id.map(UnitId)
    }
}

const PERSON_SELECT: &str = "SELECT p.id, p.name, p.title, p.mobile, p.active,
        m.unit_id, un.short_name AS unit_name, m.section_id, s.name AS section_name,
        m.post_id, po.name AS post_name, u.id AS user_id, u.username, u.role
    FROM people p
    LEFT JOIN memberships m ON m.person_id = p.id AND m.is_primary AND m.valid_to IS NULL
    LEFT JOIN units un ON un.id = m.unit_id
    LEFT JOIN sections s ON s.id = m.section_id
    LEFT JOIN posts po ON po.id = m.post_id
    LEFT JOIN users u ON u.person_id = p.id";

/// Fields of a person that a user sets; the unit, section and post form the home membership.
#[derive(Debug, Clone, Serialize)]
pub struct PersonFields {
    pub name: String,
    pub title: String,
    pub mobile: Option<String>,
    pub unit_id: Option<UnitId>,
    pub section_id: Option<SectionId>,
    pub post_id: Option<PostId>,
}

#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    pub unit: Option<UnitId>,
    /// Only people whose home unit is one of these (a scope); `None` = no limit.
    pub units_in: Option<Vec<UnitId>>,
    /// Part of a name, title or user name.
    pub text: Option<String>,
    pub include_inactive: bool,
    /// Only people whose account is a city leader's (top or portfolio leader).
    pub leaders_only: bool,
    /// Only people whose account has this role.
    pub role: Option<duban_core::role::Role>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn list_people(tx: &mut Tx, f: &PersonFilter) -> Result<Vec<Person>, StoreError> {
    let mut text = format!("{PERSON_SELECT} WHERE 1 = 1");
    let mut n = 0;
    let mut next = || {
        n += 1;
        n
    };
    if !f.include_inactive {
        text.push_str(" AND p.active");
    }
    if f.leaders_only {
        text.push_str(" AND u.role IN ('top_leader', 'portfolio_leader')");
    }
    let role_param = f.role.map(|_| next());
    if let Some(i) = role_param {
        text.push_str(&format!(" AND u.role = ${i}"));
    }
    let unit_param = f.unit.map(|_| next());
    if let Some(i) = unit_param {
        text.push_str(&format!(" AND m.unit_id = ${i}"));
    }
    let text_param = f.text.as_ref().map(|_| next());
    if let Some(i) = text_param {
        text.push_str(&format!(
            " AND (p.name LIKE ${i} OR p.title LIKE ${i} OR u.username LIKE ${i})"
        ));
    }
    if let Some(units) = &f.units_in {
        if units.is_empty() {
            text.push_str(" AND 1 = 0");
        } else {
            // Unit ids are integers from our own database, not user input.
            let list: Vec<String> = units.iter().map(|u| u.0.to_string()).collect();
            text.push_str(&format!(" AND m.unit_id IN ({})", list.join(",")));
        }
    }
    let (l, o) = (next(), next());
    text.push_str(&format!(" ORDER BY m.unit_id, p.id LIMIT ${l} OFFSET ${o}"));
    let mut q = crate::Sql::assembled(text);
    if let Some(r) = f.role {
        q = q.bind(r.as_str());
    }
    if let Some(u) = f.unit {
        q = q.bind(u);
    }
    if let Some(t) = &f.text {
        q = q.bind(format!("%{}%", t.replace(['%', '_'], "")));
    }
    q.bind(f.limit).bind(f.offset).fetch_all(tx).await
}

/// The city leaders (top and portfolio leaders), for choosing a task's lead leader.
pub async fn list_leaders(tx: &mut Tx) -> Result<Vec<Person>, StoreError> {
    let f = PersonFilter {
        leaders_only: true,
        limit: 200,
        ..Default::default()
    };
    list_people(tx, &f).await
}

pub async fn get_person(tx: &mut Tx, id: PersonId) -> Result<Person, StoreError> {
    crate::Sql::assembled(format!("{PERSON_SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_one(tx)
        .await
}

/// Creates a person with a home membership from `today`.
pub async fn insert_person(
    tx: &mut Tx,
    audit: &Audit,
    p: &PersonFields,
    today: Date,
) -> Result<PersonId, StoreError> {
    let (id,): (i64,) = sql(
        "INSERT INTO people (name, title, mobile, active, created_at, updated_at)
         VALUES ($1, $2, $3, TRUE, $4, $4) RETURNING id",
    )
    .bind(p.name.as_str())
    .bind(p.title.as_str())
    .bind(p.mobile.as_deref())
    .bind(audit.at)
    .fetch_one(tx)
    .await?;
    if let Some(unit) = p.unit_id {
        insert_membership(tx, PersonId(id), unit, p.section_id, p.post_id, true, today).await?;
    }
    ledger::append(
        tx,
        audit,
        Change::new("person.create", "person", id).after(p),
    )
    .await?;
    Ok(PersonId(id))
}

/// Updates a person. A change of home unit ends the old membership yesterday and opens a new
/// one today (or rewrites it when it only began today).
pub async fn update_person(
    tx: &mut Tx,
    audit: &Audit,
    id: PersonId,
    p: &PersonFields,
    today: Date,
) -> Result<(), StoreError> {
    let before = get_person(tx, id).await?;
    sql("UPDATE people SET name = $1, title = $2, mobile = $3, updated_at = $4 WHERE id = $5")
        .bind(p.name.as_str())
        .bind(p.title.as_str())
        .bind(p.mobile.as_deref())
        .bind(audit.at)
        .bind(id)
        .execute(tx)
        .await?;
    let current: Option<(i64, i64, Date)> = sql(
        "SELECT id, unit_id, valid_from FROM memberships WHERE person_id = $1 AND is_primary AND valid_to IS NULL",
    )
    .bind(id)
    .fetch_optional::<(i64, i64, jiff_sqlx::Date)>(tx)
    .await?
    .map(|(m, u, d)| (m, u, d.to_jiff()));
    match (current, p.unit_id) {
        (Some((m, unit, _)), Some(new_unit)) if unit == new_unit.0 => {
            sql("UPDATE memberships SET section_id = $1, post_id = $2 WHERE id = $3")
                .bind(p.section_id)
                .bind(p.post_id)
                .bind(m)
                .execute(tx)
                .await?;
        }
        (current, new_unit) => {
            if let Some((m, _, from)) = current {
                end_membership(
                    tx,
                    MembershipId(m),
                    from,
                    today.yesterday().unwrap_or(today),
                )
                .await?;
            }
            if let Some(unit) = new_unit {
                insert_membership(tx, id, unit, p.section_id, p.post_id, true, today).await?;
            }
        }
    }
    let after = get_person(tx, id).await?;
    ledger::append(
        tx,
        audit,
        Change::new("person.update", "person", id.0)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(())
}

/// Deactivates or reactivates a person and their account; history stays.
pub async fn set_person_active(
    tx: &mut Tx,
    audit: &Audit,
    id: PersonId,
    active: bool,
) -> Result<(), StoreError> {
    let before = get_person(tx, id).await?;
    sql("UPDATE people SET active = $1, updated_at = $2 WHERE id = $3")
        .bind(active)
        .bind(audit.at)
        .bind(id)
        .execute(tx)
        .await?;
    sql("UPDATE users SET active = $1, updated_at = $2 WHERE person_id = $3")
        .bind(active)
        .bind(audit.at)
        .bind(id)
        .execute(tx)
        .await?;
    if !active {
        sql("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE person_id = $1)")
            .bind(id)
            .execute(tx)
            .await?;
    }
    let after = get_person(tx, id).await?;
    let action = if active {
        "person.activate"
    } else {
        "person.deactivate"
    };
    ledger::append(
        tx,
        audit,
        Change::new(action, "person", id.0)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(())
}

/// Adds a membership (a home unit when `primary`, else a task force or HQ). The caller's
/// write records the ledger entry.
pub async fn insert_membership(
    tx: &mut Tx,
    person: PersonId,
    unit: UnitId,
    section: Option<SectionId>,
    post: Option<PostId>,
    primary: bool,
    from: Date,
) -> Result<MembershipId, StoreError> {
    let (id,): (i64,) = sql(
        "INSERT INTO memberships (person_id, unit_id, section_id, post_id, is_primary, valid_from)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(person)
    .bind(unit)
    .bind(section)
    .bind(post)
    .bind(primary)
    .bind(from)
    .fetch_one(tx)
    .await?;
    Ok(MembershipId(id))
}

/// Ends a membership on `last_day`; one that would end before it began never held and is
/// removed (the caller's ledger entry records it either way).
async fn end_membership(
    tx: &mut Tx,
    id: MembershipId,
    from: Date,
    last_day: Date,
) -> Result<(), StoreError> {
    if last_day < from {
        sql("DELETE FROM memberships WHERE id = $1")
            .bind(id)
            .execute(tx)
            .await?;
    } else {
        sql("UPDATE memberships SET valid_to = $1 WHERE id = $2")
            .bind(last_day)
            .bind(id)
            .execute(tx)
            .await?;
    }
    Ok(())
}

/// A member of a task force or command HQ, as listed on its page.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Member {
    pub person_id: i64,
    pub name: String,
    pub title: String,
    pub home_unit: Option<String>,
}

/// The people with an open secondary membership in `unit` (task-force members).
pub async fn list_unit_members(tx: &mut Tx, unit: UnitId) -> Result<Vec<Member>, StoreError> {
    sql(
        "SELECT p.id AS person_id, p.name, p.title, hu.short_name AS home_unit
         FROM memberships m
         JOIN people p ON p.id = m.person_id
         LEFT JOIN memberships hm ON hm.person_id = p.id AND hm.is_primary AND hm.valid_to IS NULL
         LEFT JOIN units hu ON hu.id = hm.unit_id
         WHERE m.unit_id = $1 AND NOT m.is_primary AND m.valid_to IS NULL AND p.active
         ORDER BY p.id",
    )
    .bind(unit)
    .fetch_all(tx)
    .await
}

/// Units a person belongs to on `day` (home unit first), for computing scope.
pub async fn member_units(
    tx: &mut Tx,
    person: PersonId,
    day: Date,
) -> Result<Vec<(UnitId, bool)>, StoreError> {
    let rows: Vec<(i64, bool)> = sql("SELECT unit_id, is_primary FROM memberships
         WHERE person_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $2)
         ORDER BY is_primary DESC, id")
    .bind(person)
    .bind(day)
    .fetch_all(tx)
    .await?;
    Ok(rows.into_iter().map(|(u, p)| (UnitId(u), p)).collect())
}

/// Adds a person to a task force or command HQ from `from`.
pub async fn join_unit(
    tx: &mut Tx,
    audit: &Audit,
    person: PersonId,
    unit: UnitId,
    from: Date,
) -> Result<MembershipId, StoreError> {
    let id = insert_membership(tx, person, unit, None, None, false, from).await?;
    let after =
        serde_json::json!({ "person_id": person, "unit_id": unit, "valid_from": from.to_string() });
    ledger::append(
        tx,
        audit,
        Change::new("membership.create", "membership", id.0).after(&after),
    )
    .await?;
    Ok(id)
}

/// Ends a person's open secondary membership in `unit` on `last_day`. One that would end
/// before it began (added and removed the same day) never held and is removed; the ledger
/// keeps both events either way.
/// [`StoreError::NotFound`] if they are not a member.
pub async fn leave_unit(
    tx: &mut Tx,
    audit: &Audit,
    person: PersonId,
    unit: UnitId,
    last_day: Date,
) -> Result<(), StoreError> {
    let (id, from): (i64, jiff_sqlx::Date) = sql("SELECT id, valid_from FROM memberships
         WHERE person_id = $1 AND unit_id = $2 AND NOT is_primary AND valid_to IS NULL")
    .bind(person)
    .bind(unit)
    .fetch_one(tx)
    .await?;
    let from = from.to_jiff();
    end_membership(tx, MembershipId(id), from, last_day).await?;
    let before =
        serde_json::json!({ "person_id": person, "unit_id": unit, "valid_from": from.to_string() });
    let after = serde_json::json!({ "person_id": person, "unit_id": unit, "valid_to": last_day.to_string() });
    ledger::append(
        tx,
        audit,
        Change::new("membership.end", "membership", id)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(())
}

/// The active person with this user name or mobile number, if any.
pub async fn find_person_by_login(
    tx: &mut Tx,
    login: &str,
) -> Result<Option<PersonId>, StoreError> {
    let row: Option<(i64,)> = sql(
        "SELECT p.id FROM people p LEFT JOIN users u ON u.person_id = p.id
         WHERE p.active AND (u.username = $1 OR p.mobile = $2)",
    )
    .bind(login.trim().to_ascii_lowercase())
    .bind(login.trim())
    .fetch_optional(tx)
    .await?;
    Ok(row.map(|(id,)| PersonId(id)))
}

/// Everyone with an open membership (home or secondary) in `unit`, as (id, name) — the
/// people a case can be dispatched to inside the unit.
pub async fn unit_people(tx: &mut Tx, unit: UnitId) -> Result<Vec<(i64, String)>, StoreError> {
    sql(
        "SELECT DISTINCT p.id, p.name FROM memberships m JOIN people p ON p.id = m.person_id
         WHERE m.unit_id = $1 AND m.valid_to IS NULL AND p.active ORDER BY p.id",
    )
    .bind(unit)
    .fetch_all(tx)
    .await
}
