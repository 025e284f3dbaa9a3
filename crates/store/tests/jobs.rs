//! Store contract for background jobs and notifications, on SQLite always and on PostgreSQL
//! when `DUBAN_TEST_DATABASE_URL` is set. The clock is a parameter: tests move it instead of
//! sleeping.

use duban_core::org::PersonId;
use duban_store::jobs::{self, Job, MAX_ATTEMPTS};
use duban_store::notifications::{
    self, Channels, DeliveryFilter, Message, NotificationId, Prefs, Which,
};
use duban_store::people::{self, PersonFields};
use duban_store::testing::{TestDb, backends};
use duban_store::{Audit, Store, ledger};
use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeSet;

fn t0() -> Timestamp {
    "2026-12-01T00:00:00Z".parse().unwrap()
}

fn mins(n: i64) -> SignedDuration {
    SignedDuration::from_mins(n)
}

const LEASE: SignedDuration = SignedDuration::from_mins(5);

async fn enqueue(store: &Store, key: &str, due_at: Timestamp) -> bool {
    let mut tx = store.begin_write().await.unwrap();
    let new = jobs::enqueue(
        &mut tx,
        "test",
        key,
        due_at,
        &serde_json::json!({ "key": key }),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    new
}

async fn complete(store: &Store, job: &Job, now: Timestamp) -> bool {
    let mut tx = store.begin_write().await.unwrap();
    let ok = jobs::complete(&mut tx, job, now).await.unwrap();
    tx.commit().await.unwrap();
    ok
}

async fn state_of(store: &Store, key: &str) -> jobs::JobRecord {
    let mut tx = store.begin_read().await.unwrap();
    jobs::find_job(&mut tx, key)
        .await
        .unwrap()
        .expect("job exists")
}

#[tokio::test]
async fn enqueueing_the_same_key_twice_makes_one_job() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        assert!(enqueue(&db.store, "case:12:remind:2026-12-01", t0()).await);
        assert!(!enqueue(&db.store, "case:12:remind:2026-12-01", t0() + mins(9)).await);
        let job = state_of(&db.store, "case:12:remind:2026-12-01").await;
        assert_eq!(job.due_at.to_jiff(), t0(), "{backend}: the first one stays");
        assert_eq!(job.state, "pending");
        assert_eq!(job.payload, r#"{"key":"case:12:remind:2026-12-01"}"#);
    }
}

#[tokio::test]
async fn a_job_is_claimed_only_once_it_is_due_and_then_by_one_worker() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        enqueue(&db.store, "later", t0() + mins(60)).await;
        enqueue(&db.store, "sooner", t0() + mins(10)).await;
        let none = jobs::claim(&db.store, "w1", t0(), LEASE, 10).await.unwrap();
        assert!(none.is_empty(), "{backend}: nothing is due yet");

        let now = t0() + mins(10);
        let got = jobs::claim(&db.store, "w1", now, LEASE, 10).await.unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].key, "sooner");
        assert_eq!(got[0].attempts, 1);
        assert_eq!(got[0].payload["key"], "sooner");
        assert!(
            jobs::claim(&db.store, "w2", now, LEASE, 10)
                .await
                .unwrap()
                .is_empty()
        );

        assert!(complete(&db.store, &got[0], now).await);
        assert_eq!(state_of(&db.store, "sooner").await.state, "done");

        let now = t0() + mins(61);
        let got = jobs::claim(&db.store, "w2", now, LEASE, 10).await.unwrap();
        assert_eq!(
            got.iter().map(|j| j.key.as_str()).collect::<Vec<_>>(),
            ["later"],
            "{backend}: a done job is never claimed again"
        );
        assert!(complete(&db.store, &got[0], now).await);
        assert_eq!(state_of(&db.store, "later").await.state, "done");

        // Finished jobs are purged by the time they were due.
        let mut tx = db.store.begin_write().await.unwrap();
        assert_eq!(jobs::purge_done(&mut tx, t0() + mins(30)).await.unwrap(), 1);
        assert!(jobs::find_job(&mut tx, "sooner").await.unwrap().is_none());
        assert!(jobs::find_job(&mut tx, "later").await.unwrap().is_some());
        tx.commit().await.unwrap();
    }
}

/// A process that claimed a job and died: its lease runs out and a restarted process (any
/// worker) claims the job again; the dead worker's late completion is refused.
#[tokio::test]
async fn a_job_whose_worker_died_is_claimed_again_when_its_lease_expires() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        enqueue(&db.store, "remind", t0()).await;
        let dead = jobs::claim(&db.store, "dead", t0(), LEASE, 10)
            .await
            .unwrap();
        assert_eq!(dead.len(), 1);

        let early = jobs::claim(&db.store, "restarted", t0() + mins(4), LEASE, 10)
            .await
            .unwrap();
        assert!(early.is_empty(), "{backend}: the lease still holds");

        let now = t0() + mins(5);
        let again = jobs::claim(&db.store, "restarted", now, LEASE, 10)
            .await
            .unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].attempts, 2);
        assert_eq!(again[0].locked_by, "restarted");
        assert!(
            !complete(&db.store, &dead[0], now).await,
            "{backend}: stale claim"
        );
        assert!(complete(&db.store, &again[0], now).await);
    }
}

#[tokio::test]
async fn a_failing_job_is_retried_with_backoff_then_fails_for_good() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        enqueue(&db.store, "flaky", t0()).await;
        let mut now = t0();
        let mut waits = Vec::new();
        for attempt in 1..=MAX_ATTEMPTS {
            let got = jobs::claim(&db.store, "w", now, LEASE, 10).await.unwrap();
            assert_eq!(got.len(), 1, "{backend}: attempt {attempt} is due at {now}");
            assert_eq!(got[0].attempts, attempt);
            let retry = jobs::retry_at(now, attempt);
            let mut tx = db.store.begin_write().await.unwrap();
            assert!(
                jobs::fail(&mut tx, &got[0], now, "HTTP 500", retry)
                    .await
                    .unwrap()
            );
            tx.commit().await.unwrap();
            let stored = state_of(&db.store, "flaky").await;
            assert_eq!(stored.last_error, "HTTP 500");
            match retry {
                Some(at) => {
                    assert_eq!(stored.state, "pending");
                    assert_eq!(stored.due_at.to_jiff(), at);
                    // Not a moment before.
                    let early = at - SignedDuration::from_secs(1);
                    assert!(
                        jobs::claim(&db.store, "w", early, LEASE, 10)
                            .await
                            .unwrap()
                            .is_empty()
                    );
                    waits.push(at.duration_since(now).as_secs() / 60);
                    now = at;
                }
                None => assert_eq!(stored.state, "failed"),
            }
        }
        assert_eq!(waits, [1, 5, 30, 120]);
        let later = now + SignedDuration::from_hours(48);
        assert!(
            jobs::claim(&db.store, "w", later, LEASE, 10)
                .await
                .unwrap()
                .is_empty()
        );
        let mut tx = db.store.begin_read().await.unwrap();
        assert_eq!(
            jobs::list_jobs(&mut tx, "failed", 10).await.unwrap().len(),
            1
        );
    }
}

/// Two processes on one database (two pools), four workers each, racing to claim: every job
/// is claimed exactly once.
#[tokio::test]
async fn two_processes_claiming_at_once_never_get_the_same_job() {
    const JOBS: usize = 120;
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let mut tx = db.store.begin_write().await.unwrap();
        for i in 0..JOBS {
            let due = t0() + SignedDuration::from_secs(i as i64 % 7);
            jobs::enqueue(
                &mut tx,
                "test",
                &format!("job:{i}"),
                due,
                &serde_json::json!({}),
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        let other_process = Store::connect(&db.url, 5).await.unwrap();
        let mut handles = Vec::new();
        for w in 0..8 {
            let store = if w % 2 == 0 {
                db.store.clone()
            } else {
                other_process.clone()
            };
            handles.push(tokio::spawn(async move {
                let worker = format!("w{w}");
                let mut mine = Vec::new();
                loop {
                    let got = jobs::claim(&store, &worker, t0() + mins(1), LEASE, 3)
                        .await
                        .unwrap();
                    if got.is_empty() {
                        break;
                    }
                    for job in got {
                        assert!(complete(&store, &job, t0() + mins(1)).await);
                        mine.push(job.key);
                    }
                }
                mine
            }));
        }
        let mut all = Vec::new();
        let mut workers_that_ran = 0;
        for h in handles {
            let mine = h.await.unwrap();
            workers_that_ran += usize::from(!mine.is_empty());
            all.extend(mine);
        }
        let distinct: BTreeSet<&String> = all.iter().collect();
        assert_eq!(all.len(), JOBS, "{backend}: claimed {} times", all.len());
        assert_eq!(distinct.len(), JOBS, "{backend}: duplicates");
        assert!(workers_that_ran > 1, "{backend}: the workers did race");
        let mut tx = db.store.begin_read().await.unwrap();
        assert_eq!(
            jobs::list_jobs(&mut tx, "done", 1000).await.unwrap().len(),
            JOBS
        );
        drop(tx);
        other_process.close().await;
    }
}

async fn person(store: &Store, name: &str, email: Option<&str>, digest: bool) -> PersonId {
    let audit = Audit::system(t0());
    let mut tx = store.begin_write().await.unwrap();
    let fields = PersonFields {
        name: name.into(),
        title: String::new(),
        mobile: None,
        unit_id: None,
        section_id: None,
        post_id: None,
    };
    let p = people::insert_person(
        &mut tx,
        &audit,
        &fields,
        t0().to_zoned(jiff::tz::TimeZone::UTC).date(),
    )
    .await
    .unwrap();
    let prefs = Prefs {
        email: true,
        digest,
        address: email.map(str::to_string),
    };
    notifications::set_prefs(&mut tx, &audit, p, &prefs)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    p
}

fn message(subject: &str) -> Message {
    Message {
        kind: "case.assigned".into(),
        subject: subject.into(),
        body: "请于 12 月 8 日前签收。".into(),
        link: "/cases/12".into(),
        case_id: Some(12),
    }
}

async fn notify(
    store: &Store,
    channels: &Channels,
    to: &[PersonId],
    m: &Message,
) -> Vec<NotificationId> {
    let mut tx = store.begin_write().await.unwrap();
    let ids = notifications::notify(&mut tx, &Audit::system(t0()), channels, to, m)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    ids
}

#[tokio::test]
async fn the_inbox_counts_unread_pages_newest_first_and_marks_only_ones_own_read() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let wang = person(&db.store, "王某某", None, false).await;
        let li = person(&db.store, "李某某", None, false).await;
        let off = Channels::default();
        let first = notify(&db.store, &off, &[wang, li, wang], &message("交办 1")).await;
        assert_eq!(first.len(), 2, "{backend}: duplicates are ignored");
        let second = notify(&db.store, &off, &[wang], &message("交办 2")).await;
        let third = notify(&db.store, &off, &[wang], &message("交办 3")).await;

        let mut tx = db.store.begin_write().await.unwrap();
        assert_eq!(notifications::unread_count(&mut tx, wang).await.unwrap(), 3);
        let page = notifications::inbox(&mut tx, wang, 2, None).await.unwrap();
        assert_eq!(
            page.iter().map(|n| n.subject.as_str()).collect::<Vec<_>>(),
            ["交办 3", "交办 2"]
        );
        let rest = notifications::inbox(&mut tx, wang, 2, Some(NotificationId(page[1].id)))
            .await
            .unwrap();
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0].id, first[0].0);
        assert_eq!(rest[0].case_id, Some(12));
        assert_eq!(rest[0].link, "/cases/12");

        // 李's notification among the ids is not 王's to mark.
        let n = notifications::mark_read(&mut tx, wang, Which::Ids(&[second[0], first[1]]), t0())
            .await
            .unwrap();
        assert_eq!(n, 1);
        assert_eq!(notifications::unread_count(&mut tx, wang).await.unwrap(), 2);
        assert_eq!(notifications::unread_count(&mut tx, li).await.unwrap(), 1);
        let n = notifications::mark_read(&mut tx, wang, Which::All, t0() + mins(1))
            .await
            .unwrap();
        assert_eq!(n, 2);
        assert_eq!(notifications::unread_count(&mut tx, wang).await.unwrap(), 0);
        let page = notifications::inbox(&mut tx, wang, 10, None).await.unwrap();
        assert_eq!(page[0].id, third[0].0);
        assert_eq!(page[0].read_at.map(|t| t.to_jiff()), Some(t0() + mins(1)));
        assert_eq!(
            page[1].read_at.map(|t| t.to_jiff()),
            Some(t0()),
            "read earlier"
        );
        tx.commit().await.unwrap();
        assert_eq!(ledger::verify(&db.store).await.unwrap().entries, 7);
    }
}

#[tokio::test]
async fn preferences_default_to_email_without_digest_and_are_ledgered() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let audit = Audit::system(t0());
        let mut tx = db.store.begin_write().await.unwrap();
        let p = people::insert_person(
            &mut tx,
            &audit,
            &PersonFields {
                name: "赵某某".into(),
                title: String::new(),
                mobile: None,
                unit_id: None,
                section_id: None,
                post_id: None,
            },
            jiff::civil::date(2026, 12, 1),
        )
        .await
        .unwrap();
        let defaults = notifications::prefs(&mut tx, p).await.unwrap();
        assert_eq!(
            defaults,
            Prefs {
                email: true,
                digest: false,
                address: None
            }
        );
        let new = Prefs {
            email: false,
            digest: true,
            address: Some("zhao@example.gov.cn".into()),
        };
        notifications::set_prefs(&mut tx, &audit, p, &new)
            .await
            .unwrap();
        assert_eq!(notifications::prefs(&mut tx, p).await.unwrap(), new);
        tx.commit().await.unwrap();
        let mut tx = db.store.begin_read().await.unwrap();
        let history = ledger::list_recent(&mut tx, Some(("person", p.0)), 5)
            .await
            .unwrap();
        assert_eq!(history[0].action, "notification_prefs.set", "{backend}");
        assert!(history[0].after_json.contains("zhao@example.gov.cn"));
    }
}

#[tokio::test]
async fn a_digest_preference_holds_back_immediate_deliveries_for_the_daily_digest() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let daily = person(&db.store, "每日摘要", Some("daily@example.gov.cn"), true).await;
        let now_please = person(&db.store, "即时", Some("now@example.gov.cn"), false).await;
        let no_address = person(&db.store, "无邮箱", None, false).await;
        let channels = Channels {
            email: true,
            webhooks: vec!["http://127.0.0.1:9/robot".into()],
        };
        let ids = notify(
            &db.store,
            &channels,
            &[daily, now_please, no_address],
            &message("新交办事项"),
        )
        .await;

        let mut tx = db.store.begin_write().await.unwrap();
        let all = notifications::list_deliveries(
            &mut tx,
            &DeliveryFilter {
                limit: 50,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let mut seen: Vec<(String, String)> = all
            .iter()
            .map(|d| (d.channel.clone(), d.target.clone()))
            .collect();
        seen.sort();
        assert_eq!(
            seen,
            [
                ("email".to_string(), "now@example.gov.cn".to_string()),
                (
                    "webhook".to_string(),
                    "http://127.0.0.1:9/robot".to_string()
                )
            ],
            "{backend}: nothing immediate for the digest reader, no e-mail without an address"
        );
        let hook = all.iter().find(|d| d.channel == "webhook").unwrap();
        let names: serde_json::Value = serde_json::from_str(&hook.payload).unwrap();
        assert_eq!(names["recipients"], serde_json::json!(["即时", "无邮箱"]));
        assert_eq!(hook.notification_id, None, "one post for several people");
        let mail = all.iter().find(|d| d.channel == "email").unwrap();
        assert_eq!(mail.notification_id, Some(ids[1].0));
        assert_eq!(mail.state, "pending");
        assert_eq!(
            jobs::list_jobs(&mut tx, "pending", 10).await.unwrap().len(),
            2
        );
        assert!(
            jobs::find_job(&mut tx, &format!("deliver:{}", mail.id))
                .await
                .unwrap()
                .is_some()
        );

        // The digest reader's notification waits for the digest; the job is scheduled once.
        let items = notifications::digest_items(&mut tx, daily).await.unwrap();
        assert_eq!(items.len(), 1);
        assert!(
            notifications::digest_items(&mut tx, now_please)
                .await
                .unwrap()
                .is_empty()
        );
        let day = jiff::civil::date(2026, 12, 1);
        let due = t0() + SignedDuration::from_hours(8);
        assert_eq!(
            notifications::schedule_digests(&mut tx, day, due, t0())
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            notifications::schedule_digests(&mut tx, day, due, t0())
                .await
                .unwrap(),
            0
        );
        let job = jobs::find_job(&mut tx, &format!("digest:{}:2026-12-01", daily.0))
            .await
            .unwrap()
            .expect("digest job");
        assert_eq!(job.due_at.to_jiff(), due);
        let payload: serde_json::Value = serde_json::from_str(&job.payload).unwrap();
        assert_eq!(
            payload,
            serde_json::json!({ "person": daily.0, "day": "2026-12-01" })
        );
        assert_eq!(
            notifications::clear_digest(&mut tx, daily, Some(ids[0]))
                .await
                .unwrap(),
            1
        );
        assert!(
            notifications::digest_items(&mut tx, daily)
                .await
                .unwrap()
                .is_empty()
        );
        tx.commit().await.unwrap();

        // When everyone reads the digest, the group chat is not told either.
        let only_daily = notify(&db.store, &channels, &[daily], &message("再一件")).await;
        assert_eq!(only_daily.len(), 1);
        let mut tx = db.store.begin_read().await.unwrap();
        let after = notifications::list_deliveries(
            &mut tx,
            &DeliveryFilter {
                limit: 50,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(after.len(), 2, "{backend}");
    }
}

#[tokio::test]
async fn every_attempt_at_a_delivery_is_recorded() {
    use notifications::{Attempt, DeliveryId};
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let p = person(&db.store, "钱某某", Some("qian@example.gov.cn"), false).await;
        let channels = Channels {
            email: true,
            webhooks: vec![],
        };
        let ids = notify(&db.store, &channels, &[p], &message("提醒")).await;
        let mut tx = db.store.begin_write().await.unwrap();
        let f = DeliveryFilter {
            notification: Some(ids[0]),
            channel: Some("email".into()),
            limit: 5,
        };
        let d = notifications::list_deliveries(&mut tx, &f).await.unwrap();
        assert_eq!(d.len(), 1, "{backend}");
        let id = DeliveryId(d[0].id);
        let failed = Attempt {
            status: Some(451),
            error: "451 try again later".into(),
            outcome: "pending",
        };
        notifications::record_attempt(&mut tx, id, t0(), &failed)
            .await
            .unwrap();
        let ok = Attempt {
            status: Some(250),
            error: String::new(),
            outcome: "sent",
        };
        notifications::record_attempt(&mut tx, id, t0() + mins(1), &ok)
            .await
            .unwrap();
        let d = notifications::get_delivery(&mut tx, id).await.unwrap();
        assert_eq!(
            (d.state.as_str(), d.attempts, d.last_status),
            ("sent", 2, Some(250))
        );
        assert_eq!(d.sent_at.map(|t| t.to_jiff()), Some(t0() + mins(1)));
        let attempts = notifications::list_attempts(&mut tx, id).await.unwrap();
        assert_eq!(
            attempts
                .iter()
                .map(|a| (a.status, a.error.as_str()))
                .collect::<Vec<_>>(),
            [(Some(451), "451 try again later"), (Some(250), "")]
        );
        let none = DeliveryFilter {
            channel: Some("webhook".into()),
            limit: 5,
            ..Default::default()
        };
        assert!(
            notifications::list_deliveries(&mut tx, &none)
                .await
                .unwrap()
                .is_empty()
        );
    }
}
