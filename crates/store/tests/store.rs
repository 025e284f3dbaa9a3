//! Store contract: one story per area, run on SQLite always and on PostgreSQL when
//! `DUBAN_TEST_DATABASE_URL` is set, each in a fresh database.

use duban_core::org::{PersonId, UnitId, UnitKind};
use duban_store::org::{UnitFields, UnitFilter};
use duban_store::people::{PersonFields, PersonFilter};
use duban_store::portfolios::PortfolioFilter;
use duban_store::testing::{TestDb, backends};
use duban_store::{Audit, Store, StoreError, ledger, org, people, portfolios, sql};
use jiff::civil::date;

fn audit() -> Audit {
    Audit::system(duban_store::testing::now())
}

fn unit(code: &str, kind: UnitKind) -> UnitFields {
    UnitFields {
        code: code.into(),
        name: format!("{code} 全称"),
        short_name: code.into(),
        kind,
        parent_id: None,
        sort_order: 0,
    }
}

#[test]
fn both_backends_have_the_same_migrations() {
    let names = |dir: &str| -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
        v.sort();
        v
    };
    assert_eq!(names("sqlite"), names("postgres"));
}

/// Tables and columns of a migrated schema, lowercased and sorted.
async fn schema(store: &Store) -> Vec<(String, String)> {
    let mut tx = store.begin_read().await.unwrap();
    let q = match store {
        Store::Sqlite(..) => sql(
            // Ordinary tables only: the FTS5 search tables (virtual, with their shadow tables)
            // are SQLite's search index; PostgreSQL indexes the same columns with pg_trgm.
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p
             JOIN pragma_table_list l ON l.name = m.name AND l.schema = 'main'
             WHERE m.type = 'table' AND l.type = 'table'
               AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'",
        ),
        Store::Postgres(_) => sql(
            "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'",
        ),
    };
    let mut rows: Vec<(String, String)> = q.fetch_all(&mut tx).await.unwrap();
    rows.sort();
    rows
}

#[tokio::test]
async fn both_migrated_schemas_have_the_same_tables_and_columns() {
    if backends().len() < 2 {
        return; // needs PostgreSQL; scripts/test.sh always provides it in CI
    }
    let a = TestDb::new("sqlite").await.unwrap();
    let b = TestDb::new("postgres").await.unwrap();
    assert_eq!(schema(&a.store).await, schema(&b.store).await);
}

#[tokio::test]
async fn units_are_created_listed_updated_and_deactivated_never_deleted() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let mut tx = db.store.begin_write().await.unwrap();
        let jxj = org::insert_unit(&mut tx, &audit(), &unit("jxj", UnitKind::Department))
            .await
            .unwrap();
        let town = org::insert_unit(&mut tx, &audit(), &unit("town-a", UnitKind::Town))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        // A conflict fails the write (on PostgreSQL it aborts the whole transaction).
        let mut tx = db.store.begin_write().await.unwrap();
        let dup = org::insert_unit(&mut tx, &audit(), &unit("jxj", UnitKind::Department)).await;
        assert!(
            matches!(dup, Err(StoreError::Conflict { ref constraint }) if constraint == "units_code_key"),
            "{dup:?}"
        );
        drop(tx);

        let mut tx = db.store.begin_write().await.unwrap();
        let towns = org::list_units(
            &mut tx,
            &UnitFilter {
                kind: Some(UnitKind::Town),
                include_inactive: false,
            },
        )
        .await
        .unwrap();
        assert_eq!(
            towns.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(),
            ["town-a"]
        );
        let mut renamed = unit("jxj", UnitKind::Department);
        renamed.name = "永康市经济和信息化局".into();
        org::update_unit(&mut tx, &audit(), jxj, &renamed)
            .await
            .unwrap();
        org::set_unit_active(&mut tx, &audit(), town, false)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let mut tx = db.store.begin_read().await.unwrap();
        assert_eq!(
            org::list_units(&mut tx, &UnitFilter::default())
                .await
                .unwrap()
                .len(),
            1
        );
        let all = org::list_units(
            &mut tx,
            &UnitFilter {
                kind: None,
                include_inactive: true,
            },
        )
        .await
        .unwrap();
        assert_eq!(all.len(), 2, "deactivated units stay");
        assert_eq!(
            org::get_unit(&mut tx, jxj).await.unwrap().name,
            "永康市经济和信息化局"
        );
        assert!(matches!(
            org::get_unit(&mut tx, UnitId(9999)).await,
            Err(StoreError::NotFound)
        ));
        let history = ledger::list_recent(&mut tx, Some(("unit", jxj.0)), 10)
            .await
            .unwrap();
        assert_eq!(
            history
                .iter()
                .map(|e| e.action.as_str())
                .collect::<Vec<_>>(),
            ["unit.update", "unit.create"]
        );
        assert!(
            history[0].before_json.contains("jxj 全称")
                && history[0].after_json.contains("经济和信息化局")
        );
    }
}

#[tokio::test]
async fn a_failed_transaction_leaves_no_row_and_no_ledger_entry() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let mut tx = db.store.begin_write().await.unwrap();
        org::insert_unit(&mut tx, &audit(), &unit("jxj", UnitKind::Department))
            .await
            .unwrap();
        drop(tx); // no commit: as if the request failed half-way
        let mut tx = db.store.begin_read().await.unwrap();
        assert!(
            org::find_unit_by_code(&mut tx, "jxj")
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(ledger::verify(&db.store).await.unwrap().entries, 0);
    }
}

#[tokio::test]
async fn moving_a_person_to_another_unit_keeps_the_old_membership_as_history() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let mut tx = db.store.begin_write().await.unwrap();
        let a = org::insert_unit(&mut tx, &audit(), &unit("a", UnitKind::Department))
            .await
            .unwrap();
        let b = org::insert_unit(&mut tx, &audit(), &unit("b", UnitKind::Department))
            .await
            .unwrap();
        let tf = org::insert_unit(&mut tx, &audit(), &unit("tf", UnitKind::TaskForce))
            .await
            .unwrap();
        let fields = |u: UnitId| PersonFields {
            name: "王某某".into(),
            title: "科员".into(),
            mobile: Some("13905790001".into()),
            unit_id: Some(u),
            section_id: None,
            post_id: None,
        };
        let p = people::insert_person(&mut tx, &audit(), &fields(a), date(2026, 1, 1))
            .await
            .unwrap();
        people::join_unit(&mut tx, &audit(), p, tf, date(2026, 1, 1))
            .await
            .unwrap();
        people::update_person(&mut tx, &audit(), p, &fields(b), date(2026, 5, 1))
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let mut tx = db.store.begin_read().await.unwrap();
        assert_eq!(
            people::get_person(&mut tx, p).await.unwrap().unit_id,
            Some(b.0)
        );
        assert_eq!(
            people::member_units(&mut tx, p, date(2026, 3, 1))
                .await
                .unwrap(),
            vec![(a, true), (tf, false)]
        );
        assert_eq!(
            people::member_units(&mut tx, p, date(2026, 6, 1))
                .await
                .unwrap(),
            vec![(b, true), (tf, false)]
        );
        let in_a = people::list_people(
            &mut tx,
            &PersonFilter {
                unit: Some(a),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(in_a.is_empty(), "lists show the current home unit");
        let found = people::list_people(
            &mut tx,
            &PersonFilter {
                text: Some("王某".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(found.len(), 1);
        let scoped = people::list_people(
            &mut tx,
            &PersonFilter {
                units_in: Some(vec![a]),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(scoped.is_empty());
    }
}

#[tokio::test]
async fn portfolios_are_listed_by_the_day_they_hold_on() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let mut tx = db.store.begin_write().await.unwrap();
        let swj = org::insert_unit(&mut tx, &audit(), &unit("swj", UnitKind::Department))
            .await
            .unwrap();
        let fields = PersonFields {
            name: "李副市长".into(),
            title: "副市长".into(),
            mobile: None,
            unit_id: None,
            section_id: None,
            post_id: None,
        };
        let old = people::insert_person(&mut tx, &audit(), &fields, date(2025, 1, 1))
            .await
            .unwrap();
        let new = people::insert_person(&mut tx, &audit(), &fields, date(2025, 1, 1))
            .await
            .unwrap();
        let pf = portfolios::insert_portfolio(&mut tx, &audit(), old, swj, date(2025, 1, 1), None)
            .await
            .unwrap();
        portfolios::end_portfolio(&mut tx, &audit(), pf, date(2026, 3, 31))
            .await
            .unwrap();
        portfolios::insert_portfolio(&mut tx, &audit(), new, swj, date(2026, 4, 1), None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut tx = db.store.begin_read().await.unwrap();
        let holder = |d| PortfolioFilter {
            leader: None,
            unit: Some(swj),
            on: Some(d),
        };
        let leaders = |v: Vec<portfolios::Portfolio>| {
            v.into_iter()
                .map(|p| PersonId(p.leader_id))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            leaders(
                portfolios::list_portfolios(&mut tx, &holder(date(2026, 3, 31)))
                    .await
                    .unwrap()
            ),
            [old]
        );
        assert_eq!(
            leaders(
                portfolios::list_portfolios(&mut tx, &holder(date(2026, 4, 1)))
                    .await
                    .unwrap()
            ),
            [new]
        );
        let all = PortfolioFilter {
            leader: None,
            unit: Some(swj),
            on: None,
        };
        assert_eq!(
            portfolios::list_portfolios(&mut tx, &all)
                .await
                .unwrap()
                .len(),
            2
        );
    }
}

/// Many writers at once (as several processes would be) still build one gap-free chain.
#[tokio::test]
async fn concurrent_writers_build_one_unbroken_ledger_chain() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let mut handles = Vec::new();
        for w in 0..8 {
            let store = db.store.clone();
            handles.push(tokio::spawn(async move {
                for i in 0..10 {
                    let mut tx = store.begin_write().await.unwrap();
                    org::insert_unit(
                        &mut tx,
                        &audit(),
                        &unit(&format!("u{w}-{i}"), UnitKind::Department),
                    )
                    .await
                    .unwrap();
                    tx.commit().await.unwrap();
                }
            }));
        }
        for h in handles {
            h.await.unwrap();
        }
        let v = ledger::verify(&db.store).await.unwrap();
        assert_eq!(v.entries, 80, "{backend}");
    }
}

#[tokio::test]
async fn the_seeded_calendar_is_the_official_schedule_and_edits_are_ledgered() {
    use duban_core::calendar::{SpecialDay, official_schedule};
    use duban_store::calendar;
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let mut tx = db.store.begin_read().await.unwrap();
        let seeded = calendar::list_special_days(&mut tx, date(2025, 1, 1), date(2026, 12, 31))
            .await
            .unwrap();
        let official: Vec<SpecialDay> = official_schedule(2025)
            .into_iter()
            .chain(official_schedule(2026))
            .collect();
        assert_eq!(seeded, official, "{backend}");
        let cal = calendar::load_calendar(&mut tx).await.unwrap();
        assert_eq!(
            cal.add_workdays(date(2026, 2, 13), 1),
            Ok(date(2026, 2, 14))
        );
        drop(tx);

        // An admin adds a local make-up day and later removes it; both are in the ledger.
        let extra = SpecialDay {
            day: date(2026, 12, 26),
            workday: true,
            name: "补班".into(),
        };
        let mut tx = db.store.begin_write().await.unwrap();
        calendar::set_day(&mut tx, &audit(), &extra).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = db.store.begin_read().await.unwrap();
        assert!(
            calendar::load_calendar(&mut tx)
                .await
                .unwrap()
                .is_workday(date(2026, 12, 26))
        );
        drop(tx);
        let mut tx = db.store.begin_write().await.unwrap();
        calendar::clear_day(&mut tx, &audit(), date(2026, 12, 26))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut tx = db.store.begin_read().await.unwrap();
        assert!(
            !calendar::load_calendar(&mut tx)
                .await
                .unwrap()
                .is_workday(date(2026, 12, 26))
        );
        let recent = ledger::list_recent(&mut tx, None, 2).await.unwrap();
        assert_eq!(
            recent.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["calendar.clear", "calendar.set"]
        );
    }
}

/// SQLite's writers take turns in the order they asked (the store's write gate), not in the
/// order SQLite's busy handler happens to wake them; none fails while another holds the lock.
#[tokio::test]
async fn sqlite_writers_take_turns_in_the_order_they_asked() {
    let db = TestDb::new("sqlite").await.unwrap();
    let mut tx = db.store.begin_write().await.unwrap();
    sql("CREATE TABLE turns (n INTEGER NOT NULL)")
        .execute(&mut tx)
        .await
        .unwrap();
    let mut waiting = Vec::new();
    for n in 1..=6_i64 {
        let store = db.store.clone();
        waiting.push(tokio::spawn(async move {
            let mut tx = store.begin_write().await?;
            sql("INSERT INTO turns (n) VALUES ($1)")
                .bind(n)
                .execute(&mut tx)
                .await?;
            tx.commit().await
        }));
        // The test's runtime has one thread: the writer just spawned runs up to its wait
        // for a turn before the next one is spawned.
        tokio::task::yield_now().await;
    }
    tx.commit().await.unwrap();
    for w in waiting {
        w.await.unwrap().unwrap();
    }
    let mut tx = db.store.begin_read().await.unwrap();
    let order: Vec<(i64,)> = sql("SELECT n FROM turns ORDER BY rowid")
        .fetch_all(&mut tx)
        .await
        .unwrap();
    assert_eq!(
        order.into_iter().map(|(n,)| n).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5, 6]
    );
}
