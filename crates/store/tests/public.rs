//! Store contract for public problem reports, on SQLite always and on PostgreSQL when
//! configured: a report waits in the queue, only accepted ones are listed publicly (and
//! without contact data), the public status follows the linked case, a report is decided once,
//! and the per-minute counters count across connections and forget old windows.

use duban_core::cases::CaseId;
use duban_core::cases::facts::{CaseKind, Source, Urgency};
use duban_core::public::{Channel, Moderation, PublicStatus, ReportInput, TrackingNumber};
use duban_store::cases::{self, CaseFacts, Handling};
use duban_store::public::{self, NewPublicRequest, PublicFilter};
use duban_store::testing::{TestDb, backends};
use duban_store::{Audit, StoreError, ledger};
use jiff::civil::date;

fn report(description: &str) -> duban_core::public::Report {
    ReportInput {
        category: "roads",
        description,
        address: "人民路 12 号",
        lat: "28.97",
        long: "118.87",
        email: "citizen@example.cn",
        phone: "13912345678",
        name: "王某",
        media_url: "",
    }
    .check(&duban_core::public::default_categories())
    .expect("valid report")
}

async fn new_case(tx: &mut duban_store::Tx, audit: &Audit) -> CaseId {
    let facts = CaseFacts {
        year: 2026,
        kind: CaseKind::Problem,
        source: Source::Public,
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
    cases::insert_case(tx, audit, &facts, &Handling::registered())
        .await
        .unwrap()
}

#[tokio::test]
async fn reports_wait_in_the_queue_and_only_accepted_ones_are_public() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let audit = Audit::system(duban_store::testing::now());
        let mut tx = db.store.begin_write().await.unwrap();
        let mut numbers = Vec::new();
        let mut ids = Vec::new();
        for (i, text) in ["井盖缺失", "路灯不亮", "垃圾未清运"].iter().enumerate() {
            let n = TrackingNumber::new(2026, [i as u8 + 1; 10]);
            let r = report(text);
            let id = public::insert_request(
                &mut tx,
                &audit,
                &NewPublicRequest {
                    tracking: &n,
                    channel: if i == 0 {
                        Channel::Portal
                    } else {
                        Channel::Open311
                    },
                    report: &r,
                    photo_id: None,
                },
            )
            .await
            .unwrap();
            numbers.push(n);
            ids.push(id);
        }
        tx.commit().await.unwrap();
        // A tracking number is unique (in a transaction of its own: PostgreSQL aborts it).
        let mut tx = db.store.begin_write().await.unwrap();
        let again = public::insert_request(
            &mut tx,
            &audit,
            &NewPublicRequest {
                tracking: &numbers[0],
                channel: Channel::Portal,
                report: &report("重复"),
                photo_id: None,
            },
        )
        .await;
        assert!(
            matches!(again, Err(StoreError::Conflict { .. })),
            "{backend}: {again:?}"
        );
        drop(tx);

        let mut tx = db.store.begin_write().await.unwrap();
        let queue = public::list_requests(&mut tx, Moderation::New, 50)
            .await
            .unwrap();
        assert_eq!(queue.len(), 3, "{backend}");
        assert_eq!(queue[0].id, ids[2], "{backend}: newest first");
        let first = public::find_by_tracking(&mut tx, &numbers[0])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(first.contact_phone, "13912345678");
        assert_eq!(first.position, Some((28.97, 118.87)));
        assert_eq!(first.status(), PublicStatus::Received);
        // Nothing is public before the office accepts it.
        let none = public::list_public(
            &mut tx,
            &PublicFilter {
                limit: 100,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(none.is_empty(), "{backend}: {none:?}");

        let case = new_case(&mut tx, &audit).await;
        public::accept(&mut tx, &audit, ids[0], case).await.unwrap();
        public::reject(&mut tx, &audit, ids[1], "不属于本市管辖")
            .await
            .unwrap();
        // Decided once: a second decision is a conflict, not an overwrite.
        let twice = public::reject(&mut tx, &audit, ids[0], "x").await;
        assert!(
            matches!(twice, Err(StoreError::Conflict { .. })),
            "{backend}"
        );
        let other_case = new_case(&mut tx, &audit).await;
        let twice = public::accept(&mut tx, &audit, ids[1], other_case).await;
        assert!(
            matches!(twice, Err(StoreError::Conflict { .. })),
            "{backend}"
        );
        tx.commit().await.unwrap();

        let mut tx = db.store.begin_write().await.unwrap();
        let listed = public::list_public(
            &mut tx,
            &PublicFilter {
                limit: 100,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(listed.len(), 1, "{backend}: only the accepted report");
        assert_eq!(listed[0].tracking, numbers[0].as_str());
        assert_eq!(
            listed[0].status,
            PublicStatus::Received,
            "a registered case"
        );
        let rejected = public::find_by_tracking(&mut tx, &numbers[1])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(rejected.status(), PublicStatus::Declined);
        assert_eq!(rejected.public_row().notes, "不属于本市管辖");

        // The public status follows the case.
        let later = duban_store::testing::now() + jiff::SignedDuration::from_hours(1);
        for (state, want) in [
            ("handling", PublicStatus::InProgress),
            ("closed_out", PublicStatus::Closed),
        ] {
            duban_store::sql("UPDATE cases SET state = $1, updated_at = $2 WHERE id = $3")
                .bind(state)
                .bind(later)
                .bind(case.0)
                .execute(&mut tx)
                .await
                .unwrap();
            let row = &public::list_public(
                &mut tx,
                &PublicFilter {
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap()[0];
            assert_eq!(row.status, want, "{backend}: {state}");
            assert!(
                row.updated_at >= later - jiff::SignedDuration::from_secs(1),
                "{backend}: the case's change is the row's"
            );
        }

        // Filters: by number, by category, by date.
        let by_number = PublicFilter {
            tracking: vec![numbers[2].to_string()],
            limit: 10,
            ..Default::default()
        };
        assert!(
            public::list_public(&mut tx, &by_number)
                .await
                .unwrap()
                .is_empty(),
            "{backend}: not accepted"
        );
        let by_category = PublicFilter {
            categories: vec!["environment".into()],
            limit: 10,
            ..Default::default()
        };
        assert!(
            public::list_public(&mut tx, &by_category)
                .await
                .unwrap()
                .is_empty()
        );
        let by_date = PublicFilter {
            from: Some(duban_store::testing::now() + jiff::SignedDuration::from_hours(2)),
            limit: 10,
            ..Default::default()
        };
        assert!(
            public::list_public(&mut tx, &by_date)
                .await
                .unwrap()
                .is_empty()
        );
        public::set_reply(&mut tx, &audit, ids[0], "已修复")
            .await
            .unwrap();
        let row = &public::list_public(
            &mut tx,
            &PublicFilter {
                tracking: vec![numbers[0].to_string()],
                categories: vec!["roads".into()],
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap()[0];
        assert_eq!(row.notes, "已修复");
        tx.commit().await.unwrap();

        let v = ledger::verify(&db.store).await.unwrap();
        assert!(v.entries > 0, "{backend}");
    }
}

#[tokio::test]
async fn request_counters_count_per_key_and_window_and_forget_old_windows() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let minute = jiff::Timestamp::from_second(1_790_000_040).unwrap();
        let next = minute + jiff::SignedDuration::from_mins(1);
        let old = minute - jiff::SignedDuration::from_hours(1);
        let mut tx = db.store.begin_write().await.unwrap();
        for want in 1..=3 {
            let n = public::count_request(&mut tx, "addr:1.2.3.4", minute, old)
                .await
                .unwrap();
            assert_eq!(n, want, "{backend}");
        }
        assert_eq!(
            public::count_request(&mut tx, "addr:5.6.7.8", minute, old)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            public::count_request(&mut tx, "addr:1.2.3.4", next, old)
                .await
                .unwrap(),
            1
        );
        tx.commit().await.unwrap();
        // A second connection (as another process would) continues the count.
        let other = duban_store::Store::connect(&db.url, 2).await.unwrap();
        let mut tx = other.begin_write().await.unwrap();
        assert_eq!(
            public::count_request(&mut tx, "addr:1.2.3.4", minute, old)
                .await
                .unwrap(),
            4
        );
        // Much later, the old windows are gone.
        let much_later = minute + jiff::SignedDuration::from_hours(3);
        public::count_request(
            &mut tx,
            "all",
            much_later,
            much_later - jiff::SignedDuration::from_hours(1),
        )
        .await
        .unwrap();
        let (rows,): (i64,) = duban_store::sql("SELECT COUNT(*) FROM rate_counters")
            .fetch_one(&mut tx)
            .await
            .unwrap();
        assert_eq!(rows, 1, "{backend}");
        tx.commit().await.unwrap();
    }
}
