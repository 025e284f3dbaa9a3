//! Answers read from the database and kept in this process until the data change: each is
//! kept with the ledger's head (`ledger_head.seq`) read in the same transaction, and served
//! again only while the head is still there. Every write appends to the ledger (no write skips
//! it, the daily recomputation of lights included), so a kept answer is never older than the
//! last write — made by this process or by any other on the same database. Nothing is shared
//! between processes but the database; each keeps its own few answers.
//!
//! Used where one answer is read far more often than the data change and costs many queries
//! to build: the dashboards. Bounded: the least recently used answer goes first.

use hashlink::LruCache;
use std::any::Any;
use std::sync::{Arc, Mutex};

/// How many answers a process keeps (a city dashboard is some tens of KiB).
const CAPACITY: usize = 128;

type Kept = (i64, Arc<dyn Any + Send + Sync>);

#[derive(Clone)]
pub struct ReadCache(Arc<Mutex<LruCache<String, Kept>>>);

impl Default for ReadCache {
    fn default() -> Self {
        ReadCache(Arc::new(Mutex::new(LruCache::new(CAPACITY))))
    }
}

impl ReadCache {
    /// The answer kept under `key` when it was read at ledger head `head`.
    pub fn get<T: Any + Send + Sync>(&self, key: &str, head: i64) -> Option<Arc<T>> {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match kept.get(key) {
            Some((at, v)) if *at == head => Arc::clone(v).downcast::<T>().ok(),
            _ => None,
        }
    }

    /// Keeps `value`, read at ledger head `head`, under `key`.
    pub fn put<T: Any + Send + Sync>(&self, key: String, head: i64, value: Arc<T>) {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        kept.insert(key, (head, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_served_only_at_the_head_it_was_read_at() {
        let cache = ReadCache::default();
        cache.put("city".into(), 7, Arc::new(41_i64));
        assert_eq!(cache.get::<i64>("city", 7).as_deref(), Some(&41));
        assert_eq!(cache.get::<i64>("city", 8), None, "a write moved the head");
        assert_eq!(cache.get::<String>("city", 7), None, "another type");
        assert_eq!(cache.get::<i64>("unit", 7), None);
    }

    #[test]
    fn the_least_recently_used_answer_goes_first() {
        let cache = ReadCache::default();
        for n in 0..CAPACITY + 1 {
            cache.put(format!("k{n}"), 1, Arc::new(n));
            // k0 is read each time, so it stays.
            assert!(cache.get::<usize>("k0", 1).is_some());
        }
        assert!(cache.get::<usize>("k1", 1).is_none());
        assert_eq!(cache.get::<usize>("k2", 1).as_deref(), Some(&2));
    }
}
