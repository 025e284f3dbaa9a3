//! Store contract for the four lists, on SQLite always and on PostgreSQL when configured:
//! tasks with units, indicators and milestones; paths and subtrees; filters and reader scope;
//! state changes that refuse a stale state; change requests with their history.

use duban_core::lists::baseline::ChangeState;
use duban_core::lists::state::TaskState;
use duban_core::lists::{Cadence, Due, Indicator, ListKind, Milestone, TaskId};
use duban_core::org::{UnitId, UnitKind};
use duban_store::lists::browse::{ReaderScope, TaskFilter, list_subtree, list_tasks};
use duban_store::lists::{self, TaskFields, review};
use duban_store::org::{self, UnitFields};
use duban_store::testing::{TestDb, backends};
use duban_store::{Audit, StoreError, ledger};
use jiff::civil::date;

fn audit() -> Audit {
    Audit::system(duban_store::testing::now())
}

fn task(unit: UnitId, path: &str, parent: Option<TaskId>, title: &str) -> TaskFields {
    TaskFields {
        year: 2026,
        campaign_id: None,
        list_kind: ListKind::Work,
        parent_id: parent,
        path: path.into(),
        title: title.into(),
        content: String::new(),
        lead_leader_id: None,
        lead_unit_id: unit,
        co_unit_ids: vec![],
        section_id: None,
        post_id: None,
        person_id: None,
        due: Due::By {
            date: date(2026, 12, 31),
        },
        weight: 1.0,
        indicators: vec![Indicator {
            name: "整治".into(),
            target: 100.0,
            unit: "亩".into(),
        }],
        milestones: vec![Milestone {
            due: date(2026, 6, 30),
            target_text: "过半".into(),
            values: vec![Some(50.0)],
        }],
        remark: String::new(),
    }
}

#[tokio::test]
async fn a_list_is_stored_browsed_by_scope_reviewed_and_changed_with_history() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let mut tx = db.store.begin_write().await.unwrap();
        let a = audit();
        let mk = |code: &str| UnitFields {
            code: code.into(),
            name: format!("{code}局"),
            short_name: code.into(),
            kind: UnitKind::Department,
            parent_id: None,
            sort_order: 0,
        };
        let jxj = org::insert_unit(&mut tx, &a, &mk("jxj")).await.unwrap();
        let fgj = org::insert_unit(&mut tx, &a, &mk("fgj")).await.unwrap();
        let zrzy = org::insert_unit(&mut tx, &a, &mk("zrzy")).await.unwrap();

        let mut root = task(jxj, "1", None, "低效工业用地整治");
        root.co_unit_ids = vec![fgj];
        let root_id = lists::insert_task(&mut tx, &a, &root).await.unwrap();
        assert_eq!(
            lists::next_path(&mut tx, 2026, jxj, None).await.unwrap(),
            "2"
        );
        assert_eq!(
            lists::next_path(&mut tx, 2026, jxj, Some("1"))
                .await
                .unwrap(),
            "1.1"
        );
        let child = lists::insert_task(&mut tx, &a, &task(jxj, "1.1", Some(root_id), "东城片区"))
            .await
            .unwrap();
        let mut ongoing = task(jxj, "1.10", Some(root_id), "常态巡查");
        ongoing.due = Due::Ongoing {
            cadence: Cadence::Quarterly,
        };
        lists::insert_task(&mut tx, &a, &ongoing).await.unwrap();
        lists::insert_task(&mut tx, &a, &task(jxj, "2", None, "技改投资"))
            .await
            .unwrap();
        lists::insert_task(&mut tx, &a, &task(zrzy, "1", None, "土地收储"))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        // The same 序号 in the same unit's list is a conflict; in another unit's it is not.
        let mut tx = db.store.begin_write().await.unwrap();
        let dup = lists::insert_task(&mut tx, &a, &task(jxj, "2", None, "重复")).await;
        assert!(
            matches!(dup, Err(StoreError::Conflict { ref constraint }) if constraint == "tasks_year_lead_unit_id_path_key"),
            "{dup:?}"
        );
        drop(tx);

        let mut tx = db.store.begin_write().await.unwrap();
        let read = lists::get_task(&mut tx, root_id).await.unwrap();
        assert_eq!(read.fields, root, "everything written reads back");
        assert_eq!(read.state, TaskState::Draft);
        assert_eq!(read.co_unit_names, vec!["fgj"]);

        // Subtree in list order: 1, 1.1, 1.10 (1.10 sorts after 1.1, not between 1 and 1.1).
        let sub: Vec<String> = list_subtree(&mut tx, root_id)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.path)
            .collect();
        assert_eq!(sub, vec!["1", "1.1", "1.10"]);

        // A co-unit finds the task under its unit; a reader's scope limits the list.
        let f = |unit: Option<UnitId>, scope: Option<ReaderScope>| TaskFilter {
            year: Some(2026),
            unit,
            scope,
            limit: 50,
            ..Default::default()
        };
        let (rows, total) = list_tasks(&mut tx, &f(Some(fgj), None)).await.unwrap();
        assert_eq!((rows.len(), total), (1, 1));
        assert_eq!(rows[0].title, "低效工业用地整治");
        let (_, total) = list_tasks(
            &mut tx,
            &f(
                None,
                Some(ReaderScope {
                    units: vec![zrzy],
                    person: None,
                }),
            ),
        )
        .await
        .unwrap();
        assert_eq!(total, 1);
        let (_, total) = list_tasks(&mut tx, &f(None, Some(ReaderScope::default())))
            .await
            .unwrap();
        assert_eq!(total, 0, "an empty scope sees nothing");
        let (rows, total) = list_tasks(
            &mut tx,
            &TaskFilter {
                text: Some("用地".into()),
                limit: 1,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!((rows.len(), total), (1, 1));

        // State changes refuse a stale "from" state; approval freezes the baseline once.
        review::set_task_state(
            &mut tx,
            &a,
            root_id,
            TaskState::Draft,
            TaskState::Submitted,
            "",
            None,
        )
        .await
        .unwrap();
        let stale = review::set_task_state(
            &mut tx,
            &a,
            root_id,
            TaskState::Draft,
            TaskState::Approved,
            "",
            None,
        )
        .await;
        assert!(
            matches!(stale, Err(StoreError::Conflict { .. })),
            "the task is no longer a draft"
        );
        let base = root.baseline();
        review::set_task_state(
            &mut tx,
            &a,
            root_id,
            TaskState::Submitted,
            TaskState::Approved,
            "",
            Some(&base),
        )
        .await
        .unwrap();
        assert_eq!(
            lists::get_task(&mut tx, root_id).await.unwrap().baseline,
            Some(base.clone())
        );
        let events: Vec<String> = review::list_task_events(&mut tx, root_id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(events, vec!["submitted", "approved"]);

        // A change request: one pending per task (also a unique index), history on approval.
        let mut proposed = base.clone();
        proposed.due = Due::By {
            date: date(2027, 3, 31),
        };
        let changes = base.changes_to(&proposed);
        let cid = review::insert_change(&mut tx, &a, root_id, "征地延期", &proposed, &changes)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut tx = db.store.begin_write().await.unwrap();
        let second =
            review::insert_change(&mut tx, &a, root_id, "again", &proposed, &changes).await;
        assert!(
            matches!(second, Err(StoreError::Conflict { .. })),
            "{second:?}"
        );
        drop(tx);

        let mut tx = db.store.begin_write().await.unwrap();
        let change = review::get_change(&mut tx, cid).await.unwrap();
        let fields = root.with_baseline(&change.proposed().unwrap());
        lists::update_task(&mut tx, &a, root_id, &fields)
            .await
            .unwrap();
        review::decide_change(&mut tx, &a, &change, ChangeState::Approved, "同意")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut tx = db.store.begin_write().await.unwrap();
        let again = review::decide_change(&mut tx, &a, &change, ChangeState::Rejected, "").await;
        assert!(
            matches!(again, Err(StoreError::Conflict { .. })),
            "a decided request stays decided"
        );
        drop(tx);
        let mut tx = db.store.begin_write().await.unwrap();
        let history = review::list_task_history(&mut tx, root_id).await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(
            (history[0].field.as_str(), history[0].reason.as_deref()),
            ("due", Some("征地延期"))
        );
        assert!(
            history[0].before.contains("2026-12-31") && history[0].after.contains("2027-03-31")
        );
        let t = lists::get_task(&mut tx, root_id).await.unwrap();
        assert_eq!(
            t.fields.due,
            Due::By {
                date: date(2027, 3, 31)
            }
        );
        assert_eq!(
            t.baseline.unwrap().due,
            Due::By {
                date: date(2026, 12, 31)
            },
            "the baseline stays as approved"
        );
        // The child still hangs under its parent after the update.
        assert_eq!(
            lists::get_task(&mut tx, child)
                .await
                .unwrap()
                .fields
                .parent_id,
            Some(root_id)
        );
        tx.commit().await.unwrap();
        ledger::verify(&db.store)
            .await
            .expect("the ledger chain holds");
    }
}
