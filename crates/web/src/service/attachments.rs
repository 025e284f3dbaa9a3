//! Evidence files: check an upload (`duban_docs::attachments`: size, type by content, photo
//! thumbnail), keep its bytes content-addressed — in the database (`attachments.store =
//! "database"`, the default) or in a directory —, record it and link it to what it evidences
//! (the store appends the ledger entries), and decide who may download it — through what it
//! is attached to, with `core::policy`; there is no second rule.
//!
//! In the database the bytes are written in the transaction that records the row. In a
//! directory they are written *before* the transaction commits: a file without a row is
//! harmless (the same content will reuse it), a row without its file must never exist.

use crate::error::{AppError, FileRefusal};
use crate::service::cases::case_object;
use crate::service::lists::task_object;
use crate::service::progress::report_object;
use crate::state::AppState;
use duban_core::attachments::{LinkedTo, Refusal, Sha256, Storage, Variant};
use duban_core::cases::CaseId;
use duban_core::lists::TaskId;
use duban_core::org::UnitId;
use duban_core::policy::{Action, Actor, Denied, Object, decide};
use duban_core::progress::report::ReportState;
use duban_store::attachments::{self as store, Attachment, Linked, NewAttachment, NewLink};
use duban_store::cases::Case;
use duban_store::lists::Task;
use duban_store::{Audit, StoreError, Tx};
use std::path::{Path, PathBuf};

/// One file as it came in a form or request: the name it was sent under and its bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    pub bytes: axum::body::Bytes,
}

/// A stored upload, ready to be linked.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AttachmentRef {
    pub id: i64,
    /// SHA-256 of the content, 64 hex digits.
    pub sha256: String,
    /// Bytes.
    pub size: i64,
    pub mime: String,
    /// image | pdf | office
    pub kind: String,
    /// The name it was uploaded under, cleaned (no path, with an extension).
    pub file_name: String,
    pub has_thumb: bool,
}

/// What an attachment is linked to, and the task or case whose policy guards it.
#[derive(Debug, Clone)]
pub struct Link {
    pub object_type: LinkedTo,
    pub object_id: i64,
    pub task_id: Option<TaskId>,
    pub case_id: Option<CaseId>,
    pub file_name: String,
}

/// An attachment as a page or the API shows it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AttachmentView {
    pub id: i64,
    pub file_name: String,
    pub size: i64,
    pub mime: String,
    pub kind: String,
    pub sha256: String,
    /// The object it is linked to (`case_event` 12 …).
    pub object_type: String,
    pub object_id: i64,
    /// `/attachments/{id}`
    pub url: String,
    /// `/attachments/{id}/thumb` for photos.
    pub thumb_url: Option<String>,
}

impl AttachmentView {
    fn from_link(l: Linked) -> AttachmentView {
        let a = l.attachment;
        AttachmentView {
            id: a.id,
            url: format!("/attachments/{}", a.id),
            thumb_url: a.has_thumb.then(|| format!("/attachments/{}/thumb", a.id)),
            file_name: l.file_name,
            size: a.size,
            mime: a.mime,
            kind: a.kind.as_str().to_string(),
            sha256: a.sha256,
            object_type: l.object_type,
            object_id: l.object_id,
        }
    }

    /// The size for people: `812 KB`, `3.4 MB`.
    pub fn size_text(&self) -> String {
        let b = self.size as f64;
        if b >= 1024.0 * 1024.0 {
            format!("{:.1} MB", b / (1024.0 * 1024.0))
        } else {
            format!("{} KB", ((b / 1024.0).ceil() as i64).max(1))
        }
    }
}

/// Checks one file, stores its bytes (and thumbnail) where `attachments.store` says and records it
/// (with an `attachment.upload` ledger entry). Not linked yet: until it is, only its
/// uploaders may download or link it. The same content uploaded again is the same attachment.
pub async fn save_upload(
    state: &AppState,
    tx: &mut Tx,
    _actor: &Actor,
    audit: &Audit,
    file_name: &str,
    bytes: &[u8],
) -> Result<AttachmentRef, AppError> {
    let refused = |refusal| {
        AppError::FileRefused(FileRefusal {
            file: shown_name(file_name),
            refusal,
        })
    };
    let limits = state.config.attachments;
    // Decoding a photo takes a while: off the async threads.
    let owned = bytes.to_vec();
    let (inspected, owned) = tokio::task::spawn_blocking(move || {
        (duban_docs::attachments::inspect(&owned, &limits), owned)
    })
    .await
    .map_err(|e| AppError::Internal(format!("inspecting an upload: {e}")))?;
    let inspected = inspected.map_err(refused)?;
    let hash = Sha256::of(&owned);
    let clean = duban_core::attachments::clean_file_name(file_name, inspected.format);
    match state.config.attachment_store {
        Storage::Database => {
            store::blobs::insert_blob(tx, &hash, Variant::File, &owned).await?;
            if let Some(t) = &inspected.thumb {
                store::blobs::insert_blob(tx, &hash, Variant::Thumb, t).await?;
            }
        }
        Storage::Directory => {
            let dir = state.config.attachment_dir.clone();
            let thumb = inspected.thumb.clone();
            tokio::task::spawn_blocking(move || {
                write_content_addressed(&dir.join("blobs"), &hash, "", &owned)?;
                if let Some(t) = thumb {
                    write_content_addressed(&dir.join("thumbs"), &hash, ".jpg", &t)?;
                }
                Ok::<_, std::io::Error>(())
            })
            .await
            .map_err(|e| AppError::Internal(format!("writing an upload: {e}")))?
            .map_err(|e| AppError::Internal(format!("writing an upload: {e}")))?;
        }
    }
    let new = NewAttachment {
        sha256: hash,
        size: bytes.len() as u64,
        format: inspected.format,
        width: inspected.width,
        height: inspected.height,
        has_thumb: inspected.thumb.is_some(),
        file_name: clean.clone(),
    };
    let (a, _) = store::insert_or_get(tx, audit, &new).await?;
    tracing::info!(
        attachment.id = a.id,
        attachment.size = a.size,
        attachment.kind = a.kind.as_str(),
        "attachment stored"
    );
    Ok(AttachmentRef {
        id: a.id,
        sha256: a.sha256,
        size: a.size,
        mime: a.mime,
        kind: a.kind.as_str().to_string(),
        file_name: clean,
        has_thumb: a.has_thumb,
    })
}

/// The name of a refused file as the person sent it (path dropped, cut to 120 characters).
fn shown_name(sent: &str) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = last.chars().filter(|c| !c.is_control()).take(120).collect();
    if name.is_empty() { "?".into() } else { name }
}

/// Links a stored attachment, with an `attachment.link` ledger entry carrying its hash, size,
/// type and name and what it is now attached to. Linking it to the same object twice is a
/// no-op. The caller has checked that the actor may write to that object.
pub async fn link(
    tx: &mut Tx,
    audit: &Audit,
    attachment_id: i64,
    link: Link,
) -> Result<(), AppError> {
    let new = NewLink {
        attachment_id,
        object_type: link.object_type,
        object_id: link.object_id,
        task_id: link.task_id.map(|t| t.0),
        case_id: link.case_id.map(|c| c.0),
        file_name: link.file_name,
    };
    store::link(tx, audit, &new).await?;
    Ok(())
}

/// The attachments of one object, for pages (thumbnail grid and file links).
pub async fn list_for(
    tx: &mut Tx,
    object_type: LinkedTo,
    object_id: i64,
) -> Result<Vec<AttachmentView>, StoreError> {
    Ok(store::list_for(tx, object_type, object_id)
        .await?
        .into_iter()
        .map(AttachmentView::from_link)
        .collect())
}

/// Every attachment on a case's timeline (the case page groups them by event).
pub async fn list_for_case(tx: &mut Tx, case: CaseId) -> Result<Vec<AttachmentView>, StoreError> {
    Ok(store::list_for_case(tx, case.0)
        .await?
        .into_iter()
        .map(AttachmentView::from_link)
        .collect())
}

/// An attachment the actor may link to something of theirs, with the name they uploaded it
/// under: one they uploaded (the same content uploaded first by someone else counts, since
/// they had the bytes). Anything else reads as missing.
pub async fn load_linkable(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
) -> Result<(Attachment, String), AppError> {
    let Some(user) = actor.user else {
        return Err(AppError::NotFound);
    };
    let a = store::get_attachment(tx, id).await?;
    match store::uploaded_name(tx, id, user).await? {
        Some(name) => Ok((a, name)),
        None => Err(AppError::NotFound),
    }
}

/// An attachment the actor may download, and the name to offer it under: the name of a link
/// whose object the actor may read, else the name they uploaded it under. Every answer is
/// `core::policy`'s [`Action::ViewAttachment`] on what the file is attached to (the report,
/// the case of the step, the task). Not linked and not theirs reads as missing; linked only
/// to things the actor may not read is refused.
pub async fn load_for_download(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(Attachment, String), AppError> {
    let mut tx = state.store.begin_read().await?;
    let a = store::get_attachment(&mut tx, id).await?;
    let links = store::list_links(&mut tx, id).await?;
    let mut refused = None;
    for l in &links {
        let owner = Owner::load(&mut tx, l).await?;
        match owner.decide(actor) {
            Ok(()) => return Ok((a, l.file_name.clone())),
            Err(denied) => refused = refused.or(Some(denied)),
        }
    }
    let uploaders = store::list_uploaders(&mut tx, id).await?;
    let mine = Object::Attachment {
        attached_to: None,
        uploaders: &uploaders,
    };
    if decide(actor, Action::ViewAttachment, mine).is_ok() {
        let user = actor.user.expect("an uploader is signed in");
        let name = store::uploaded_name(&mut tx, id, user).await?;
        return name.map(|n| (a, n)).ok_or(AppError::NotFound);
    }
    match refused {
        Some(denied) => Err(denied.into()),
        None => Err(AppError::NotFound),
    }
}

/// What one link attaches a file to, loaded so the policy can be asked about it.
enum Owner {
    Report(Task, ReportState),
    Case(Case, Vec<UnitId>),
    Task(Task),
    /// The object is gone (or of a kind no one reads): the link opens nothing.
    Nothing,
}

impl Owner {
    async fn load(tx: &mut Tx, l: &Linked) -> Result<Owner, AppError> {
        Ok(match LinkedTo::parse(&l.object_type) {
            Some(LinkedTo::Report) => {
                match duban_store::progress::get_report(tx, l.object_id).await? {
                    Some(r) => match find_task(tx, r.task_id).await? {
                        Some(t) => Owner::Report(t, r.state),
                        None => Owner::Nothing,
                    },
                    None => Owner::Nothing,
                }
            }
            Some(LinkedTo::CaseEvent) => match l.case_id {
                Some(c) => match duban_store::cases::get_case(tx, CaseId(c)).await? {
                    Some(case) => {
                        let units = crate::service::cases::other_units(&case);
                        Owner::Case(case, units)
                    }
                    None => Owner::Nothing,
                },
                None => Owner::Nothing,
            },
            Some(LinkedTo::Task) => match find_task(tx, TaskId(l.object_id)).await? {
                Some(t) => Owner::Task(t),
                None => Owner::Nothing,
            },
            None => Owner::Nothing,
        })
    }

    /// `ViewAttachment` on a file attached to this (its uploaders are asked about apart).
    fn decide(&self, actor: &Actor) -> Result<(), Denied> {
        let ask = |on: &Object<'_>| {
            let file = Object::Attachment {
                attached_to: Some(on),
                uploaders: &[],
            };
            decide(actor, Action::ViewAttachment, file)
        };
        match self {
            Owner::Report(task, state) => {
                let task = task_object(task);
                ask(&report_object(&task, *state))
            }
            Owner::Case(case, units) => ask(&case_object(case, units)),
            Owner::Task(task) => ask(&task_object(task)),
            Owner::Nothing => decide(
                actor,
                Action::ViewAttachment,
                Object::Attachment {
                    attached_to: None,
                    uploaders: &[],
                },
            ),
        }
    }
}

async fn find_task(tx: &mut Tx, id: TaskId) -> Result<Option<Task>, StoreError> {
    match duban_store::lists::get_task(tx, id).await {
        Ok(t) => Ok(Some(t)),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The stored bytes of an attachment (`thumb`: its JPEG thumbnail) as a response body. From
/// the database the first part is read now (so a missing blob is an error, not a cut-off
/// download) and the others one by one as the client takes them, each in its own short
/// read; nothing holds a connection while a slow client downloads. In database mode a
/// content not in the database is looked for in the directory, where files uploaded before
/// the switch are.
pub async fn read_content(
    state: &AppState,
    a: &Attachment,
    thumb: bool,
) -> Result<axum::body::Body, AppError> {
    if thumb && !a.has_thumb {
        return Err(AppError::NotFound);
    }
    let variant = if thumb { Variant::Thumb } else { Variant::File };
    if state.config.attachment_store == Storage::Database
        && let Some(body) = stream_from_database(state, a.hash(), variant).await?
    {
        return Ok(body);
    }
    let (dir, file) = a.hash().blob_path();
    let root = &state.config.attachment_dir;
    let path = if thumb {
        root.join("thumbs").join(dir).join(format!("{file}.jpg"))
    } else {
        root.join("blobs").join(dir).join(file)
    };
    let bytes = tokio::fs::read(&path).await.map_err(|e| {
        AppError::Internal(format!(
            "attachment {} missing at {} ({} store): {e}",
            a.id,
            path.display(),
            state.config.attachment_store.as_str()
        ))
    })?;
    Ok(axum::body::Body::from(bytes))
}

/// The content's parts from the database, `None` when it has none.
async fn stream_from_database(
    state: &AppState,
    hash: Sha256,
    variant: Variant,
) -> Result<Option<axum::body::Body>, AppError> {
    let mut tx = state.store.begin_read().await?;
    let parts = store::blobs::count_parts(&mut tx, &hash, variant).await?;
    let Some(first) = store::blobs::read_part(&mut tx, &hash, variant, 0).await? else {
        return Ok(None);
    };
    drop(tx);
    let db = state.store.clone();
    let rest = futures_util::stream::try_unfold(1_i64, move |part| {
        let db = db.clone();
        async move {
            if part >= parts {
                return Ok(None);
            }
            let mut tx = db.begin_read().await?;
            match store::blobs::read_part(&mut tx, &hash, variant, part).await? {
                Some(bytes) => Ok(Some((axum::body::Bytes::from(bytes), part + 1))),
                None => Err(StoreError::NotFound),
            }
        }
    });
    let first = futures_util::stream::once(async move { Ok(axum::body::Bytes::from(first)) });
    use futures_util::StreamExt;
    Ok(Some(axum::body::Body::from_stream(first.chain(rest))))
}

/// Writes `bytes` to `<root>/ab/cdef…<suffix>` unless that file exists: first to a temporary
/// file in the same directory, flushed to disk, then renamed into place (atomic on one
/// filesystem), so a reader never sees half a file and a crash leaves at most a stray temp.
fn write_content_addressed(
    root: &Path,
    hash: &Sha256,
    suffix: &str,
    bytes: &[u8],
) -> std::io::Result<()> {
    use std::io::Write;
    let (dir, file) = hash.blob_path();
    let dir: PathBuf = root.join(dir);
    let target = dir.join(format!("{file}{suffix}"));
    if target.exists() {
        return Ok(());
    }
    std::fs::create_dir_all(&dir)?;
    let tmp = dir.join(format!(
        ".{file}{suffix}.{}.{}.tmp",
        std::process::id(),
        rand::random::<u32>()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &target)?;
        // The rename itself is durable once the directory is synced.
        std::fs::File::open(&dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A refusal for the `n`-th file of a request (1-based) beyond the limit.
pub fn too_many(file_name: &str, limit: usize) -> AppError {
    AppError::FileRefused(FileRefusal {
        file: shown_name(file_name),
        refusal: Refusal::TooMany { limit },
    })
}

/// A refusal for a file found too large while it was still arriving.
pub fn too_large(file_name: &str, limit: u64) -> AppError {
    AppError::FileRefused(FileRefusal {
        file: shown_name(file_name),
        refusal: Refusal::TooLarge { limit },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blob_is_written_once_under_its_hash() {
        let dir = tempfile::tempdir().unwrap();
        let h = Sha256::of(b"content");
        write_content_addressed(dir.path(), &h, "", b"content").unwrap();
        let (d, f) = h.blob_path();
        let path = dir.path().join(d).join(f);
        assert_eq!(std::fs::read(&path).unwrap(), b"content");
        // Present already: left as it is (and no temporary files stay behind).
        write_content_addressed(dir.path(), &h, "", b"other").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"content");
        let entries = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(entries, 1);
    }
}
