//! The SQLite pool's memory settings. `PRAGMA soft_heap_limit` is one value for the whole
//! process, so this test has a binary of its own: any other test opening a store would set it
//! to its own tuning's value at the same moment.

use duban_store::{Store, sql};

#[tokio::test]
async fn an_sqlite_pool_takes_its_page_cache_and_heap_limit_from_the_tuning() {
    let store = Store::connect_tuned(
        "sqlite::memory:",
        duban_store::Tuning {
            max_connections: 1,
            sqlite_cache_kib: 1234,
            sqlite_heap_limit_mib: 7,
        },
    )
    .await
    .unwrap();
    let mut tx = store.begin_read().await.unwrap();
    let (cache,): (i64,) = sql("PRAGMA cache_size").fetch_one(&mut tx).await.unwrap();
    assert_eq!(cache, -1234, "KiB, as a negative cache_size");
    let (limit,): (i64,) = sql("PRAGMA soft_heap_limit")
        .fetch_one(&mut tx)
        .await
        .unwrap();
    assert_eq!(limit, 7 * 1024 * 1024);
}
