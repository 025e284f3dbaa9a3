//! The transparency log's storage: the tree kept up to the ledger, roots and proofs from
//! stored nodes agreeing with a tree rebuilt from the rows, signed heads, and the offline
//! check catching edited entries, damaged nodes and foreign signatures. SQLite always,
//! PostgreSQL when `DUBAN_TEST_DATABASE_URL` is set.

use duban_core::transparency::merkle::{self, MemoryTree};
use duban_core::transparency::{
    InclusionProof, ProofError, SigningKey, TreeHead, leaf_hash, sth, verify_inclusion,
};
use duban_store::ledger::{self, Change};
use duban_store::testing::{TestDb, backends};
use duban_store::transparency::{self as tlog, LogError};
use duban_store::{Audit, Store, sql};

async fn append(store: &Store, from: i64, n: i64) {
    let mut tx = store.begin_write().await.unwrap();
    let changes = (from..from + n)
        .map(|i| {
            Change::new("unit.update", "unit", i)
                .before(&serde_json::json!({ "name": format!("局{i}") }))
                .after(&serde_json::json!({ "name": format!("局{i}·新") }))
        })
        .collect();
    ledger::append_many(
        &mut tx,
        &Audit::system(duban_store::testing::now()),
        changes,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// Signs and stores the head of the tree extended to the ledger head.
async fn publish(store: &Store, key: &SigningKey) -> TreeHead {
    let mut tx = store.begin_write().await.unwrap();
    let head = tlog::head_to_sign(&mut tx, 1_780_000_000_000)
        .await
        .unwrap()
        .expect("the tree grew");
    let sth = head.sign(key);
    assert!(
        tlog::insert_tree_head(&mut tx, &sth, &sth::key_id(&key.verifying_key()))
            .await
            .unwrap()
    );
    assert!(
        !tlog::insert_tree_head(&mut tx, &sth, &sth::key_id(&key.verifying_key()))
            .await
            .unwrap(),
        "one head per size"
    );
    tx.commit().await.unwrap();
    head
}

async fn leaf_bytes(store: &Store, seq: i64) -> Vec<u8> {
    let mut tx = store.begin_read().await.unwrap();
    let (_, leaf) = tlog::find_leaf(&mut tx, seq).await.unwrap().unwrap();
    leaf.encode()
}

async fn tamper(store: &Store, statement: &'static str) {
    let mut tx = store.begin_write().await.unwrap();
    assert_eq!(sql(statement).execute(&mut tx).await.unwrap(), 1);
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn the_stored_tree_follows_the_ledger_and_its_proofs_verify() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let store = &db.store;
        let key = SigningKey::from_bytes(&[7; 32]);
        let pk = key.verifying_key();
        assert_eq!(
            tlog::check(store, Some(&pk), "").await.unwrap().entries,
            0,
            "{backend}"
        );

        append(store, 1, 20).await;
        append(store, 21, 1).await;
        append(store, 22, 16).await;
        let first = publish(store, &key).await;
        assert_eq!(first.tree_size, 37);
        // Nothing new: nothing to sign.
        let mut tx = store.begin_write().await.unwrap();
        assert_eq!(tlog::head_to_sign(&mut tx, 1).await.unwrap(), None);
        drop(tx);

        // The stored tree is the tree of the rows' leaves.
        let mut memory = MemoryTree::default();
        for seq in 1..=37 {
            memory.push(leaf_hash(&leaf_bytes(store, seq).await));
        }
        assert_eq!(first.root_hash, memory.root(), "{backend}");
        let mut tx = store.begin_read().await.unwrap();
        for index in [0, 1, 17, 31, 36] {
            let path = tlog::inclusion_path(&mut tx, index, 37).await.unwrap();
            assert_eq!(path, merkle::inclusion_path(&memory, index, 37).unwrap());
        }
        let proof = tlog::consistency_proof(&mut tx, 10, 37).await.unwrap();
        let r10 = tlog::root_at(&mut tx, 10).await.unwrap();
        assert!(merkle::verify_consistency(
            10,
            37,
            &r10,
            &first.root_hash,
            &proof
        ));
        assert!(matches!(
            tlog::root_at(&mut tx, 38).await,
            Err(duban_store::StoreError::NotFound)
        ));
        drop(tx);

        append(store, 38, 5).await;
        let second = publish(store, &key).await;
        assert_eq!(second.tree_size, 42);
        let ok = tlog::check(store, Some(&pk), "").await.unwrap();
        assert_eq!((ok.entries, ok.tree_heads, ok.signed_size), (42, 2, 42));
        // A further entry not yet signed is fine.
        append(store, 43, 1).await;
        assert_eq!(tlog::check(store, Some(&pk), "").await.unwrap().entries, 43);

        // Heads that this key did not sign, or no key at all.
        let other = SigningKey::from_bytes(&[8; 32]).verifying_key();
        assert!(matches!(
            tlog::check(store, Some(&other), "").await,
            Err(LogError::OtherKey { size: 37, .. })
        ));
        assert!(matches!(
            tlog::check(store, None, "data/key.pem").await,
            Err(LogError::NoKey { count: 2, .. })
        ));
    }
}

#[tokio::test]
async fn an_entry_edited_in_the_database_fails_the_check_and_its_inclusion_proof() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let store = &db.store;
        let key = SigningKey::from_bytes(&[7; 32]);
        let pk = key.verifying_key();
        append(store, 1, 12).await;
        let head = publish(store, &key).await;
        let sth = head.sign(&key);
        let mut tx = store.begin_read().await.unwrap();
        let proof = InclusionProof {
            leaf_index: 6,
            tree_size: 12,
            path: tlog::inclusion_path(&mut tx, 6, 12).await.unwrap(),
        };
        drop(tx);
        let leaf = verify_inclusion(&leaf_bytes(store, 7).await, &proof, &sth, &pk).unwrap();
        assert_eq!((leaf.seq, leaf.action.as_str()), (7, "unit.update"));

        tamper(
            store,
            "UPDATE ledger SET after_json = replace(after_json, '新', '旧') WHERE seq = 7",
        )
        .await;
        assert_eq!(
            verify_inclusion(&leaf_bytes(store, 7).await, &proof, &sth, &pk),
            Err(ProofError::NotIncluded { seq: 7 }),
            "{backend}"
        );
        let err = tlog::check(store, Some(&pk), "").await.unwrap_err();
        assert!(matches!(err, LogError::LeafChanged { seq: 7 }), "{err}");
        assert_eq!(err.seq(), Some(7));

        // Someone who also rewrites the stored leaf is caught by the signed root.
        let fake = leaf_hash(&leaf_bytes(store, 7).await).to_vec();
        let mut tx = store.begin_write().await.unwrap();
        sql("UPDATE tree_nodes SET hash = $1 WHERE level = 0 AND idx = 6")
            .bind(fake)
            .execute(&mut tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let err = tlog::check(store, Some(&pk), "").await.unwrap_err();
        assert!(matches!(err, LogError::RootMismatch { size: 12 }), "{err}");
    }
}

#[tokio::test]
async fn damaged_tree_nodes_or_a_forged_head_are_named() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let store = &db.store;
        let key = SigningKey::from_bytes(&[7; 32]);
        let pk = key.verifying_key();
        append(store, 1, 9).await;
        publish(store, &key).await;
        tamper(
            store,
            "UPDATE tree_nodes SET hash = hash || hash WHERE level = 2 AND idx = 1",
        )
        .await;
        let err = tlog::check(store, Some(&pk), "").await.unwrap_err();
        assert!(
            matches!(err, LogError::StoredNodeWrong { level: 2, index: 1 }),
            "{err}"
        );
        tamper(store, "DELETE FROM tree_nodes WHERE level = 2 AND idx = 1").await;
        let err = tlog::check(store, Some(&pk), "").await.unwrap_err();
        assert!(
            matches!(
                err,
                LogError::StoredNodesMissing {
                    size: 9,
                    missing: 1
                }
            ),
            "{err}"
        );

        let db = TestDb::new(backend).await.unwrap();
        let store = &db.store;
        append(store, 1, 9).await;
        publish(store, &key).await;
        tamper(
            store,
            "UPDATE tree_heads SET timestamp_ms = timestamp_ms + 1 WHERE tree_size = 9",
        )
        .await;
        let err = tlog::check(store, Some(&pk), "").await.unwrap_err();
        assert!(matches!(err, LogError::BadSignature { size: 9 }), "{err}");
    }
}

/// Figures for docs/ARCHITECTURE.md: `cargo test -p duban-store --test transparency --
/// --ignored --nocapture` (set TLOG_LEAVES to change the size).
#[tokio::test]
#[ignore = "a measurement, not a test"]
async fn measure_a_large_tree() {
    let n: i64 = std::env::var("TLOG_LEAVES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let store = &db.store;
        let t = std::time::Instant::now();
        for from in (1..=n).step_by(5000) {
            append(store, from, 5000.min(n - from + 1)).await;
        }
        eprintln!("{backend}: {n} ledger entries written in {:?}", t.elapsed());
        let key = SigningKey::from_bytes(&[7; 32]);
        let t = std::time::Instant::now();
        publish(store, &key).await;
        eprintln!(
            "{backend}: tree built and first head signed in {:?}",
            t.elapsed()
        );
        append(store, n + 1, 100).await;
        let t = std::time::Instant::now();
        publish(store, &key).await;
        eprintln!(
            "{backend}: 100 more entries, next head in {:?}",
            t.elapsed()
        );
        let size = (n + 100) as u64;
        let mut tx = store.begin_read().await.unwrap();
        let t = std::time::Instant::now();
        for i in 0..100u64 {
            tlog::root_at(&mut tx, size - i).await.unwrap();
        }
        eprintln!(
            "{backend}: root of a {size}-leaf tree: {:?} each",
            t.elapsed() / 100
        );
        let t = std::time::Instant::now();
        for i in 0..100u64 {
            tlog::inclusion_path(&mut tx, i * 1999 % size, size)
                .await
                .unwrap();
        }
        eprintln!("{backend}: inclusion proof: {:?} each", t.elapsed() / 100);
        let t = std::time::Instant::now();
        for i in 1..=100u64 {
            tlog::consistency_proof(&mut tx, i * 1777, size)
                .await
                .unwrap();
        }
        eprintln!("{backend}: consistency proof: {:?} each", t.elapsed() / 100);
        drop(tx);
        let t = std::time::Instant::now();
        tlog::check(store, Some(&key.verifying_key()), "")
            .await
            .unwrap();
        eprintln!(
            "{backend}: offline check of the whole log: {:?}",
            t.elapsed()
        );
    }
}
