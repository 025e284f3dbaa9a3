//! Attachments (附件): one row per distinct content (by SHA-256), who uploaded it, and what it is
//! attached to. The bytes are either in the database ([`blobs`], written in the same
//! transaction) or files in a directory, written by the web layer before the row's
//! transaction commits; the rows here are the same either way.

pub mod blobs;

use crate::{Audit, StoreError, Tx, ledger, sql};
use duban_core::attachments::{Format, Kind, LinkedTo, Sha256};
use duban_core::org::UserId;
use serde::Serialize;

/// A stored attachment (one per content).
#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub id: i64,
    /// 64 lowercase hex digits (checked when read).
    pub sha256: String,
    /// Bytes.
    pub size: i64,
    pub mime: String,
    pub kind: Kind,
    /// Upright size of a photo, in pixels.
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub has_thumb: bool,
    pub created_by: Option<i64>,
    #[serde(skip)]
    pub created_at: jiff::Timestamp,
}

impl Attachment {
    /// The parsed content hash.
    pub fn hash(&self) -> Sha256 {
        Sha256::parse(&self.sha256).expect("hashes are checked when read")
    }

    /// The format, from the stored media type.
    pub fn format(&self) -> Option<Format> {
        Format::from_mime(&self.mime)
    }
}

/// What to store for new content (checked and sniffed by the caller).
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub sha256: Sha256,
    pub size: u64,
    pub format: Format,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub has_thumb: bool,
    /// The name it was uploaded under (for the ledger; the link keeps its own).
    pub file_name: String,
}

/// One attachment linked to an object.
#[derive(Debug, Clone)]
pub struct NewLink {
    pub attachment_id: i64,
    pub object_type: LinkedTo,
    pub object_id: i64,
    /// The task whose policy decides who may see it (reports and tasks).
    pub task_id: Option<i64>,
    /// The case whose policy decides who may see it (case events).
    pub case_id: Option<i64>,
    pub file_name: String,
}

/// A link as read, with the attachment it points to.
#[derive(Debug, Clone, Serialize)]
pub struct Linked {
    pub attachment: Attachment,
    pub object_type: String,
    pub object_id: i64,
    pub task_id: Option<i64>,
    pub case_id: Option<i64>,
    pub file_name: String,
    pub linked_by: Option<i64>,
    #[serde(skip)]
    pub linked_at: jiff::Timestamp,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    sha256: String,
    size: i64,
    mime: String,
    kind: String,
    width: Option<i64>,
    height: Option<i64>,
    has_thumb: bool,
    created_by: Option<i64>,
    created_at: jiff_sqlx::Timestamp,
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    #[sqlx(flatten)]
    a: Row,
    object_type: String,
    object_id: i64,
    task_id: Option<i64>,
    case_id: Option<i64>,
    file_name: String,
    linked_by: Option<i64>,
    linked_at: jiff_sqlx::Timestamp,
}

fn bad(what: &str) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        format!("{what} in the attachments table").into(),
    ))
}

impl TryFrom<Row> for Attachment {
    type Error = StoreError;

    fn try_from(r: Row) -> Result<Self, StoreError> {
        Sha256::parse(&r.sha256).map_err(|_| bad("a malformed hash"))?;
        Ok(Attachment {
            id: r.id,
            sha256: r.sha256,
            size: r.size,
            mime: r.mime,
            kind: Kind::parse(&r.kind).ok_or_else(|| bad("an unknown kind"))?,
            width: r.width,
            height: r.height,
            has_thumb: r.has_thumb,
            created_by: r.created_by,
            created_at: r.created_at.to_jiff(),
        })
    }
}

impl TryFrom<LinkRow> for Linked {
    type Error = StoreError;

    fn try_from(r: LinkRow) -> Result<Self, StoreError> {
        Ok(Linked {
            attachment: r.a.try_into()?,
            object_type: r.object_type,
            object_id: r.object_id,
            task_id: r.task_id,
            case_id: r.case_id,
            file_name: r.file_name,
            linked_by: r.linked_by,
            linked_at: r.linked_at.to_jiff(),
        })
    }
}

const COLUMNS: &str = "a.id, a.sha256, a.size, a.mime, a.kind, a.width, a.height, a.has_thumb, a.created_by, a.created_at";

/// Stores new content or finds the row of the same content uploaded before, records the
/// uploader, and appends an `attachment.upload` ledger entry (hash, size, type, name).
/// Returns the attachment and whether its row is new. Two processes storing the same content
/// at once end with one row (`ON CONFLICT DO NOTHING`, then read).
#[tracing::instrument(skip_all, fields(attachment.sha256 = %new.sha256))]
pub async fn insert_or_get(
    tx: &mut Tx,
    audit: &Audit,
    new: &NewAttachment,
) -> Result<(Attachment, bool), StoreError> {
    let size = i64::try_from(new.size).map_err(|_| bad("a size beyond i64"))?;
    let inserted: Option<(i64,)> = sql(
        "INSERT INTO attachments (sha256, size, mime, kind, width, height, has_thumb, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (sha256) DO NOTHING RETURNING id",
    )
    .bind(new.sha256.hex())
    .bind(size)
    .bind(new.format.mime())
    .bind(new.format.kind().as_str())
    .bind(new.width.map(i64::from))
    .bind(new.height.map(i64::from))
    .bind(new.has_thumb)
    .bind(audit.actor)
    .bind(audit.at)
    .fetch_optional(tx)
    .await?;
    let is_new = inserted.is_some();
    let attachment = find_by_hash(tx, &new.sha256)
        .await?
        .ok_or(StoreError::NotFound)?;
    if let Some(user) = audit.actor {
        sql("INSERT INTO attachment_uploads (attachment_id, user_id, uploaded_at, file_name) VALUES ($1, $2, $3, $4)
             ON CONFLICT (attachment_id, user_id) DO UPDATE SET uploaded_at = $3, file_name = $4")
        .bind(attachment.id)
        .bind(user)
        .bind(audit.at)
        .bind(new.file_name.as_str())
        .execute(tx)
        .await?;
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("attachment.upload", "attachment", attachment.id).after(
            &serde_json::json!({
                "sha256": attachment.sha256,
                "size": attachment.size,
                "mime": attachment.mime,
                "kind": attachment.kind,
                "file_name": new.file_name,
                "new": is_new,
            }),
        ),
    )
    .await?;
    Ok((attachment, is_new))
}

/// Links an attachment to an object, with an `attachment.link` ledger entry naming the
/// content (hash, size, type, name) and what it is attached to. Linking the same attachment
/// to the same object again changes nothing and returns `false`.
#[tracing::instrument(skip_all, fields(attachment.id = link.attachment_id, object.type = link.object_type.as_str(), object.id = link.object_id))]
pub async fn link(tx: &mut Tx, audit: &Audit, link: &NewLink) -> Result<bool, StoreError> {
    let a = get_attachment(tx, link.attachment_id).await?;
    let n = sql(
        "INSERT INTO attachment_links (attachment_id, object_type, object_id, task_id, case_id, file_name, linked_by, linked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (attachment_id, object_type, object_id) DO NOTHING",
    )
    .bind(link.attachment_id)
    .bind(link.object_type.as_str())
    .bind(link.object_id)
    .bind(link.task_id)
    .bind(link.case_id)
    .bind(link.file_name.as_str())
    .bind(audit.actor)
    .bind(audit.at)
    .execute(tx)
    .await?;
    if n == 0 {
        return Ok(false);
    }
    ledger::append(
        tx,
        audit,
        ledger::Change::new("attachment.link", "attachment", a.id).after(&serde_json::json!({
            "sha256": a.sha256,
            "size": a.size,
            "mime": a.mime,
            "kind": a.kind,
            "file_name": link.file_name,
            "object_type": link.object_type.as_str(),
            "object_id": link.object_id,
            "task_id": link.task_id,
            "case_id": link.case_id,
        })),
    )
    .await?;
    Ok(true)
}

/// One attachment, or [`StoreError::NotFound`].
pub async fn get_attachment(tx: &mut Tx, id: i64) -> Result<Attachment, StoreError> {
    let row: Row = sql(
        "SELECT a.id, a.sha256, a.size, a.mime, a.kind, a.width, a.height, a.has_thumb, a.created_by, a.created_at
         FROM attachments a WHERE a.id = $1",
    )
    .bind(id)
    .fetch_one(tx)
    .await?;
    row.try_into()
}

/// The attachment with this content, if stored.
pub async fn find_by_hash(tx: &mut Tx, hash: &Sha256) -> Result<Option<Attachment>, StoreError> {
    let row: Option<Row> = sql(
        "SELECT a.id, a.sha256, a.size, a.mime, a.kind, a.width, a.height, a.has_thumb, a.created_by, a.created_at
         FROM attachments a WHERE a.sha256 = $1",
    )
    .bind(hash.hex())
    .fetch_optional(tx)
    .await?;
    row.map(Attachment::try_from).transpose()
}

/// The name under which `user` last uploaded this content; `None` if they never did.
pub async fn uploaded_name(
    tx: &mut Tx,
    id: i64,
    user: UserId,
) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> =
        sql("SELECT file_name FROM attachment_uploads WHERE attachment_id = $1 AND user_id = $2")
            .bind(id)
            .bind(user)
            .fetch_optional(tx)
            .await?;
    Ok(row.map(|(n,)| n))
}

/// Every account that uploaded this content (they hold its bytes already).
pub async fn list_uploaders(tx: &mut Tx, id: i64) -> Result<Vec<UserId>, StoreError> {
    let rows: Vec<(i64,)> =
        sql("SELECT user_id FROM attachment_uploads WHERE attachment_id = $1 ORDER BY user_id")
            .bind(id)
            .fetch_all(tx)
            .await?;
    Ok(rows.into_iter().map(|(u,)| UserId(u)).collect())
}

fn linked_sql(filter: &str) -> String {
    format!(
        "SELECT {COLUMNS}, l.object_type, l.object_id, l.task_id, l.case_id, l.file_name, l.linked_by, l.linked_at
         FROM attachment_links l JOIN attachments a ON a.id = l.attachment_id
         WHERE {filter} ORDER BY l.linked_at, a.id"
    )
}

async fn fetch_linked(q: crate::Sql, tx: &mut Tx) -> Result<Vec<Linked>, StoreError> {
    let rows: Vec<LinkRow> = q.fetch_all(tx).await?;
    rows.into_iter().map(Linked::try_from).collect()
}

/// Every link of one attachment (to decide who may download it).
pub async fn list_links(tx: &mut Tx, id: i64) -> Result<Vec<Linked>, StoreError> {
    let q = crate::Sql::assembled(linked_sql("l.attachment_id = $1")).bind(id);
    fetch_linked(q, tx).await
}

/// The attachments of one object, in the order they were attached.
pub async fn list_for(
    tx: &mut Tx,
    object_type: LinkedTo,
    object_id: i64,
) -> Result<Vec<Linked>, StoreError> {
    let q = crate::Sql::assembled(linked_sql("l.object_type = $1 AND l.object_id = $2"))
        .bind(object_type.as_str())
        .bind(object_id);
    fetch_linked(q, tx).await
}

/// Every attachment linked under a case (its timeline's events), for the case page.
pub async fn list_for_case(tx: &mut Tx, case_id: i64) -> Result<Vec<Linked>, StoreError> {
    let q = crate::Sql::assembled(linked_sql("l.case_id = $1")).bind(case_id);
    fetch_linked(q, tx).await
}
