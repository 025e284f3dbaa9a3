//! Many nodes, one truth: several servers on one database, each with a data directory of its
//! own, as on separate machines. An attachment uploaded through one is served by the other
//! (bytes in the database, or in a directory every node mounts), and the transparency log
//! they sign together verifies — while a node with another key signs nothing.

use crate::attachments::{PDF, blob_rows, files_under, png, upload};
use crate::helpers::{TestApp, backends};
use duban_core::attachments::Storage;
use duban_core::transparency::SigningKey;
use duban_core::transparency::log_key::RecordedKey;
use duban_web::WebConfig;
use duban_web::transparency::{LogKey, SignError, admit_key, publish};
use reqwest::StatusCode;

/// A PDF of `len` bytes that is not all one byte (so parts differ), for uploads of several
/// stored parts.
fn big_pdf(len: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%".to_vec();
    let mut x: u32 = 12345;
    while out.len() < len - PDF.len() - 1 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        out.push(b'a' + (x >> 16) as u8 % 26);
    }
    out.push(b'\n');
    out.extend_from_slice(&PDF[9..]);
    out
}

async fn download(c: &crate::helpers::Client, path: &str) -> (StatusCode, Vec<u8>) {
    let res = c.get(path).await;
    let status = res.status();
    (status, res.bytes().await.expect("body").to_vec())
}

#[tokio::test]
async fn a_file_uploaded_through_one_node_downloads_from_another_from_the_database() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let other = app.second_node(WebConfig::default(), None).await;
        let photo = png(400, 300);
        let big = big_pdf(2 * 1024 * 1024 + 12_345);

        let here = app.signed_in("jxj-liaison").await;
        let (s, v) = upload(&here, &[("现场.png", &photo), ("报告.pdf", &big)]).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let photo_id = v["attachments"][0]["id"].as_i64().expect("id");
        let pdf_id = v["attachments"][1]["id"].as_i64().expect("id");
        // The PDF is kept in three parts of at most 1 MiB, the photo in one, its thumb in one.
        assert_eq!(blob_rows(&app, "file").await, 4);
        assert_eq!(blob_rows(&app, "thumb").await, 1);

        let there = other.signed_in("jxj-liaison").await;
        let (s, bytes) = download(&there, &format!("/attachments/{photo_id}")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(bytes, photo);
        let (s, bytes) = download(&there, &format!("/attachments/{photo_id}/thumb")).await;
        assert_eq!(s, StatusCode::OK);
        let thumb = image::load_from_memory(&bytes).expect("a jpeg");
        assert_eq!((thumb.width(), thumb.height()), (320, 240));
        let (s, bytes) = download(&there, &format!("/attachments/{pdf_id}")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(bytes.len(), big.len());
        assert!(bytes == big, "the parts come back whole and in order");

        // Neither node wrote a file of its own.
        assert_eq!(files_under(&app.data_dir), 0);
        assert_eq!(files_under(&other.data_dir), 0);

        // The same content uploaded through the other node is the same attachment, stored once.
        let (s, v) = upload(&there, &[("again.pdf", &big)]).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["attachments"][0]["id"], pdf_id);
        assert_eq!(blob_rows(&app, "file").await, 4);
    }
}

#[tokio::test]
async fn in_directory_mode_nodes_share_the_attachment_directory_and_nothing_else() {
    for backend in backends() {
        let directory = WebConfig {
            attachment_store: Storage::Directory,
            ..WebConfig::default()
        };
        let app = TestApp::spawn_with(backend, directory.clone()).await;
        // The first node's attachment directory stands for the shared filesystem.
        let other = app
            .second_node(directory.clone(), Some(app.data_dir.as_path()))
            .await;
        let alone = app.second_node(directory, None).await;
        let photo = png(200, 100);

        let there = other.signed_in("jxj-liaison").await;
        let (s, v) = upload(&there, &[("现场.png", &photo)]).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let id = v["attachments"][0]["id"].as_i64().expect("id");
        assert_eq!(blob_rows(&app, "file").await, 0, "nothing in the database");
        assert_eq!(files_under(&app.data_dir), 2, "the file and its thumbnail");

        let here = app.signed_in("jxj-liaison").await;
        let (s, bytes) = download(&here, &format!("/attachments/{id}")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(bytes, photo);

        // A node that does not mount the directory cannot serve it: why "database" is the
        // default.
        let lonely = alone.signed_in("jxj-liaison").await;
        let (s, _) = download(&lonely, &format!("/attachments/{id}")).await;
        assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
    }
}

#[tokio::test]
async fn files_kept_in_the_directory_before_the_switch_are_still_served_in_database_mode() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        // Written as files into the data directory, as before the bytes moved.
        let id = crate::attachments::on_first_case_of(&app, "jxj").await;
        assert_eq!(blob_rows(&app, "file").await, 0);
        let office = app.signed_in("dkb2").await;
        let (s, bytes) = download(&office, &format!("/attachments/{id}")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(bytes, png(64, 48));
    }
}

#[tokio::test]
async fn heads_signed_by_two_nodes_with_the_shared_key_verify_and_another_key_signs_nothing() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let other = app.second_node(WebConfig::default(), None).await;
        let key = LogKey::new(SigningKey::from_bytes(&[42; 32]));
        let t = crate::helpers::now();

        // The first node records the key and signs; the other, configured with the same key,
        // is admitted and signs the next head after the ledger grew through it.
        admit_key(&app.store, &key, t).await.expect("recorded");
        let mut tx = app.store.begin_read().await.expect("tx");
        let recorded = duban_store::transparency::recorded_key(&mut tx)
            .await
            .expect("read");
        drop(tx);
        assert_eq!(recorded, RecordedKey::Key(key.public()));
        let first = publish(&app.store, &key, t).await.expect("signed");
        assert!(first.is_some());
        admit_key(&other.store, &key, t)
            .await
            .expect("the same key");
        let there = other.signed_in("jxj-liaison").await;
        let (s, v) = upload(&there, &[("p.png", &png(30, 20))]).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let later = t + jiff::SignedDuration::from_mins(61);
        let second = publish(&other.store, &key, later).await.expect("signed");
        let second = second.expect("the ledger grew");
        assert!(second.head.tree_size > first.expect("first").head.tree_size);

        // A node with another key is refused before it signs, and signs nothing.
        let stranger = LogKey::new(SigningKey::from_bytes(&[7; 32]));
        let refused = admit_key(&other.store, &stranger, later).await;
        assert!(
            matches!(refused, Err(SignError::OtherKey(_))),
            "{refused:?}"
        );
        let (s, v) = upload(&there, &[("q.png", &png(31, 20))]).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let refused = publish(&other.store, &stranger, later).await;
        assert!(
            matches!(refused, Err(SignError::OtherKey(_))),
            "{refused:?}"
        );

        // What `duban verify` checks: every leaf, node, head, signature and consistency.
        let verified = duban_store::transparency::check(&app.store, Some(&key.public()), "")
            .await
            .expect("the log verifies");
        assert_eq!(verified.tree_heads, 2);
        assert_eq!(verified.signed_size, second.head.tree_size);
    }
}
