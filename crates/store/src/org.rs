//! Units, sections and posts. Deactivating keeps the row and its history; nothing here
//! deletes.

use crate::ledger::{self, Change};
use crate::{Audit, StoreError, Tx, sql};
use duban_core::org::{PostId, SectionId, UnitId, UnitKind};
use serde::Serialize;

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub sort_order: i64,
    pub active: bool,
}

impl Unit {
    pub fn unit_id(&self) -> UnitId {
        UnitId(self.id)
    }
    pub fn kind(&self) -> UnitKind {
        UnitKind::parse(&self.kind).expect("the kind column has a CHECK constraint")
    }
}

/// Fields of a unit that a user sets.
#[derive(Debug, Clone, Serialize)]
pub struct UnitFields {
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub kind: UnitKind,
    pub parent_id: Option<UnitId>,
    pub sort_order: i64,
}

/// Which units to list.
#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    pub kind: Option<UnitKind>,
    pub include_inactive: bool,
}

const UNIT_COLUMNS: &str = "id, code, name, short_name, kind, parent_id, sort_order, active";

pub async fn list_units(tx: &mut Tx, f: &UnitFilter) -> Result<Vec<Unit>, StoreError> {
    let mut text = format!("SELECT {UNIT_COLUMNS} FROM units WHERE 1 = 1");
    if !f.include_inactive {
        text.push_str(" AND active");
    }
    if f.kind.is_some() {
        text.push_str(" AND kind = $1");
    }
    text.push_str(" ORDER BY sort_order, id");
    let mut q = crate::Sql::assembled(text);
    if let Some(k) = f.kind {
        q = q.bind(k.as_str());
    }
    q.fetch_all(tx).await
}

pub async fn get_unit(tx: &mut Tx, id: UnitId) -> Result<Unit, StoreError> {
    crate::Sql::assembled(format!("SELECT {UNIT_COLUMNS} FROM units WHERE id = $1"))
        .bind(id)
        .fetch_one(tx)
        .await
}

pub async fn find_unit_by_code(tx: &mut Tx, code: &str) -> Result<Option<Unit>, StoreError> {
    crate::Sql::assembled(format!("SELECT {UNIT_COLUMNS} FROM units WHERE code = $1"))
        .bind(code)
        .fetch_optional(tx)
        .await
}

pub async fn insert_unit(tx: &mut Tx, audit: &Audit, u: &UnitFields) -> Result<UnitId, StoreError> {
    let (id,): (i64,) = sql(
        "INSERT INTO units (code, name, short_name, kind, parent_id, sort_order, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7, $7) RETURNING id",
    )
    .bind(u.code.as_str())
    .bind(u.name.as_str())
    .bind(u.short_name.as_str())
    .bind(u.kind.as_str())
    .bind(u.parent_id)
    .bind(u.sort_order)
    .bind(audit.at)
    .fetch_one(tx)
    .await?;
    ledger::append(tx, audit, Change::new("unit.create", "unit", id).after(u)).await?;
    Ok(UnitId(id))
}

pub async fn update_unit(
    tx: &mut Tx,
    audit: &Audit,
    id: UnitId,
    u: &UnitFields,
) -> Result<(), StoreError> {
    let before = get_unit(tx, id).await?;
    sql("UPDATE units SET code = $1, name = $2, short_name = $3, kind = $4, parent_id = $5, sort_order = $6, updated_at = $7
         WHERE id = $8")
    .bind(u.code.as_str())
    .bind(u.name.as_str())
    .bind(u.short_name.as_str())
    .bind(u.kind.as_str())
    .bind(u.parent_id)
    .bind(u.sort_order)
    .bind(audit.at)
    .bind(id)
    .execute(tx)
    .await?;
    let after = get_unit(tx, id).await?;
    ledger::append(
        tx,
        audit,
        Change::new("unit.update", "unit", id.0)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(())
}

/// Deactivates or reactivates a unit; its sections, posts and history stay.
pub async fn set_unit_active(
    tx: &mut Tx,
    audit: &Audit,
    id: UnitId,
    active: bool,
) -> Result<(), StoreError> {
    let before = get_unit(tx, id).await?;
    sql("UPDATE units SET active = $1, updated_at = $2 WHERE id = $3")
        .bind(active)
        .bind(audit.at)
        .bind(id)
        .execute(tx)
        .await?;
    let action = if active {
        "unit.activate"
    } else {
        "unit.deactivate"
    };
    let after = get_unit(tx, id).await?;
    ledger::append(
        tx,
        audit,
        Change::new(action, "unit", id.0)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Section {
    pub id: i64,
    pub unit_id: i64,
    pub name: String,
    pub sort_order: i64,
    pub active: bool,
}

pub async fn list_sections(
    tx: &mut Tx,
    unit: UnitId,
    include_inactive: bool,
) -> Result<Vec<Section>, StoreError> {
    let q = if include_inactive {
        sql(
            "SELECT id, unit_id, name, sort_order, active FROM sections WHERE unit_id = $1 ORDER BY sort_order, id",
        )
    } else {
        sql(
            "SELECT id, unit_id, name, sort_order, active FROM sections WHERE unit_id = $1 AND active ORDER BY sort_order, id",
        )
    };
    q.bind(unit).fetch_all(tx).await
}

pub async fn get_section(tx: &mut Tx, id: SectionId) -> Result<Section, StoreError> {
    sql("SELECT id, unit_id, name, sort_order, active FROM sections WHERE id = $1")
        .bind(id)
        .fetch_one(tx)
        .await
}

pub async fn insert_section(
    tx: &mut Tx,
    audit: &Audit,
    unit: UnitId,
    name: &str,
) -> Result<SectionId, StoreError> {
    let (id,): (i64,) = sql(
        "INSERT INTO sections (unit_id, name, sort_order, active, created_at, updated_at)
         VALUES ($1, $2, (SELECT COUNT(*) FROM sections WHERE unit_id = $1), TRUE, $3, $3) RETURNING id",
    )
    .bind(unit)
    .bind(name)
    .bind(audit.at)
    .fetch_one(tx)
    .await?;
    let after = get_section(tx, SectionId(id)).await?;
    ledger::append(
        tx,
        audit,
        Change::new("section.create", "section", id).after(&after),
    )
    .await?;
    Ok(SectionId(id))
}

/// Renames a section and/or (re)activates it.
pub async fn update_section(
    tx: &mut Tx,
    audit: &Audit,
    id: SectionId,
    name: &str,
    active: bool,
) -> Result<(), StoreError> {
    let before = get_section(tx, id).await?;
    sql("UPDATE sections SET name = $1, active = $2, updated_at = $3 WHERE id = $4")
        .bind(name)
        .bind(active)
        .bind(audit.at)
        .bind(id)
        .execute(tx)
        .await?;
    let after = get_section(tx, id).await?;
    ledger::append(
        tx,
        audit,
        Change::new("section.update", "section", id.0)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Post {
    pub id: i64,
    pub unit_id: i64,
    pub section_id: Option<i64>,
    pub name: String,
    pub active: bool,
}

pub async fn list_posts(
    tx: &mut Tx,
    unit: UnitId,
    include_inactive: bool,
) -> Result<Vec<Post>, StoreError> {
    let q = if include_inactive {
        sql(
            "SELECT id, unit_id, section_id, name, active FROM posts WHERE unit_id = $1 ORDER BY section_id, id",
        )
    } else {
        sql(
            "SELECT id, unit_id, section_id, name, active FROM posts WHERE unit_id = $1 AND active ORDER BY section_id, id",
        )
    };
    q.bind(unit).fetch_all(tx).await
}

pub async fn get_post(tx: &mut Tx, id: PostId) -> Result<Post, StoreError> {
    sql("SELECT id, unit_id, section_id, name, active FROM posts WHERE id = $1")
        .bind(id)
        .fetch_one(tx)
        .await
}

pub async fn insert_post(
    tx: &mut Tx,
    audit: &Audit,
    unit: UnitId,
    section: Option<SectionId>,
    name: &str,
) -> Result<PostId, StoreError> {
    let (id,): (i64,) = sql(
        "INSERT INTO posts (unit_id, section_id, name, active, created_at, updated_at)
         VALUES ($1, $2, $3, TRUE, $4, $4) RETURNING id",
    )
    .bind(unit)
    .bind(section)
    .bind(name)
    .bind(audit.at)
    .fetch_one(tx)
    .await?;
    let after = get_post(tx, PostId(id)).await?;
    ledger::append(
        tx,
        audit,
        Change::new("post.create", "post", id).after(&after),
    )
    .await?;
    Ok(PostId(id))
}

pub async fn update_post(
    tx: &mut Tx,
    audit: &Audit,
    id: PostId,
    section: Option<SectionId>,
    name: &str,
    active: bool,
) -> Result<(), StoreError> {
    let before = get_post(tx, id).await?;
    sql("UPDATE posts SET section_id = $1, name = $2, active = $3, updated_at = $4 WHERE id = $5")
        .bind(section)
        .bind(name)
        .bind(active)
        .bind(audit.at)
        .bind(id)
        .execute(tx)
        .await?;
    let after = get_post(tx, id).await?;
    ledger::append(
        tx,
        audit,
        Change::new("post.update", "post", id.0)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(())
}
