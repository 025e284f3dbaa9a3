//! Store contract for attachments, on SQLite always and on PostgreSQL when configured: the same
//! content stored twice is one row with both uploaders, links are listed per object and per
//! case, linking twice is a no-op, and the ledger names the hash of what was attached.

use duban_core::attachments::{Format, Kind, LinkedTo, Sha256};
use duban_core::cases::facts::{CaseKind, Source, Urgency};
use duban_core::role::Role;
use duban_store::accounts::{NewUser, insert_user};
use duban_store::attachments::{self, NewAttachment, NewLink};
use duban_store::cases::{self, CaseFacts, Handling};
use duban_store::testing::{TestDb, backends};
use duban_store::{Audit, ledger};
use jiff::civil::date;

fn new_attachment(bytes: &[u8], name: &str) -> NewAttachment {
    NewAttachment {
        sha256: Sha256::of(bytes),
        size: bytes.len() as u64,
        format: Format::Png,
        width: Some(640),
        height: Some(480),
        has_thumb: true,
        file_name: name.into(),
    }
}

#[tokio::test]
async fn attachments_are_stored_once_per_content_and_linked_with_their_hash_in_the_ledger() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let mut tx = db.store.begin_write().await.unwrap();
        let system = Audit::system(duban_store::testing::now());
        let user = |name: &'static str| NewUser {
            person_id: None,
            username: name,
            password_hash: "x",
            role: Role::Admin,
            must_change_password: false,
        };
        let alice = insert_user(&mut tx, &system, &user("alice")).await.unwrap();
        let bob = insert_user(&mut tx, &system, &user("bob")).await.unwrap();
        let by_alice = Audit::new(Some(alice), duban_store::testing::now());
        let by_bob = Audit::new(Some(bob), duban_store::testing::now());

        let photo = new_attachment(b"photo bytes", "现场.png");
        let (a, fresh) = attachments::insert_or_get(&mut tx, &by_alice, &photo)
            .await
            .unwrap();
        assert!(fresh, "{backend}");
        assert_eq!(a.kind, Kind::Image);
        assert_eq!(a.hash(), Sha256::of(b"photo bytes"));
        assert_eq!(
            (a.width, a.height, a.has_thumb),
            (Some(640), Some(480), true)
        );
        assert_eq!(a.created_by, Some(alice.0));

        // The same bytes from someone else: the same row, and Bob counts as an uploader.
        let (again, fresh) = attachments::insert_or_get(&mut tx, &by_bob, &photo)
            .await
            .unwrap();
        assert!(!fresh, "{backend}");
        assert_eq!(again.id, a.id);
        assert_eq!(again.created_by, Some(alice.0));
        assert_eq!(
            attachments::uploaded_name(&mut tx, a.id, bob)
                .await
                .unwrap()
                .as_deref(),
            Some("现场.png")
        );
        let (other, _) =
            attachments::insert_or_get(&mut tx, &by_alice, &new_attachment(b"other", "b.png"))
                .await
                .unwrap();
        assert_eq!(
            attachments::uploaded_name(&mut tx, other.id, bob)
                .await
                .unwrap(),
            None
        );

        // Link to a case event.
        let facts = CaseFacts {
            year: 2026,
            kind: CaseKind::Item,
            source: Source::Instruction,
            title: "路灯不亮".into(),
            content: String::new(),
            category: String::new(),
            urgency: Urgency::Normal,
            found_on: date(2026, 3, 2),
            raised_by: None,
            reopened_from: None,
            meeting_id: None,
            task_ids: vec![],
        };
        let case = cases::insert_case(&mut tx, &system, &facts, &Handling::registered())
            .await
            .unwrap();
        let link = NewLink {
            attachment_id: a.id,
            object_type: LinkedTo::CaseEvent,
            object_id: 77,
            task_id: None,
            case_id: Some(case.0),
            file_name: "现场.png".into(),
        };
        assert!(attachments::link(&mut tx, &by_alice, &link).await.unwrap());
        assert!(
            !attachments::link(&mut tx, &by_alice, &link).await.unwrap(),
            "linking twice changes nothing"
        );
        let listed = attachments::list_for(&mut tx, LinkedTo::CaseEvent, 77)
            .await
            .unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].file_name, "现场.png");
        assert_eq!(listed[0].attachment.id, a.id);
        assert_eq!(listed[0].case_id, Some(case.0));
        assert!(
            attachments::list_for(&mut tx, LinkedTo::Report, 77)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            attachments::list_for_case(&mut tx, case.0)
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            attachments::list_links(&mut tx, a.id).await.unwrap().len(),
            1
        );
        assert!(
            attachments::list_links(&mut tx, other.id)
                .await
                .unwrap()
                .is_empty()
        );
        tx.commit().await.unwrap();

        // The ledger names the content and what it was attached to, and still verifies.
        let mut tx = db.store.begin_read().await.unwrap();
        let (after,): (String,) = duban_store::sql(
            "SELECT after_json FROM ledger WHERE action = 'attachment.link' ORDER BY seq DESC LIMIT 1",
        )
        .fetch_one(&mut tx)
        .await
        .unwrap();
        let after: serde_json::Value = serde_json::from_str(&after).unwrap();
        assert_eq!(after["sha256"], a.sha256.as_str());
        assert_eq!(after["size"], a.size);
        assert_eq!(after["mime"], "image/png");
        assert_eq!(after["file_name"], "现场.png");
        assert_eq!(after["object_type"], "case_event");
        assert_eq!(after["case_id"], case.0);
        let (uploads,): (i64,) =
            duban_store::sql("SELECT COUNT(*) FROM ledger WHERE action = 'attachment.upload'")
                .fetch_one(&mut tx)
                .await
                .unwrap();
        assert_eq!(uploads, 3);
        drop(tx);
        ledger::verify(&db.store).await.unwrap();
    }
}

#[tokio::test]
async fn a_link_must_name_a_task_or_a_case() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let mut tx = db.store.begin_write().await.unwrap();
        let system = Audit::system(duban_store::testing::now());
        let (a, _) = attachments::insert_or_get(&mut tx, &system, &new_attachment(b"x", "x.png"))
            .await
            .unwrap();
        let orphan = NewLink {
            attachment_id: a.id,
            object_type: LinkedTo::Report,
            object_id: 1,
            task_id: None,
            case_id: None,
            file_name: "x.png".into(),
        };
        assert!(
            attachments::link(&mut tx, &system, &orphan).await.is_err(),
            "{backend}"
        );
    }
}
