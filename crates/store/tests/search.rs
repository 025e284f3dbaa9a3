//! Store contract for full-text search, on SQLite always and on PostgreSQL when configured:
//! Chinese substrings without spaces, two-character words, several words ANDed, the index kept
//! current by inserts, updates and deletes, and the reader's scope (the lists' rule for tasks
//! and reports, the cases' rule for cases).

use duban_core::cases::facts::{CaseKind, Source, Urgency};
use duban_core::lists::{Due, ListKind, TaskId};
use duban_core::org::{PersonId, UnitId, UnitKind};
use duban_core::search::{Kind, Terms};
use duban_store::cases::browse::CaseScope;
use duban_store::cases::{self, CaseFacts, Handling};
use duban_store::lists::browse::ReaderScope;
use duban_store::lists::{self, TaskFields};
use duban_store::org::{self, UnitFields};
use duban_store::people::{self, PersonFields};
use duban_store::search::{Access, SearchQuery, search};
use duban_store::testing::{TestDb, backends};
use duban_store::{Audit, Store, Tx, sql};
use jiff::civil::date;

fn audit() -> Audit {
    Audit::system(duban_store::testing::now())
}

async fn unit(tx: &mut Tx, code: &str) -> UnitId {
    let f = UnitFields {
        code: code.into(),
        name: format!("{code}局"),
        short_name: code.into(),
        kind: UnitKind::Department,
        parent_id: None,
        sort_order: 0,
    };
    org::insert_unit(tx, &audit(), &f).await.unwrap()
}

fn task(unit: UnitId, path: &str, title: &str, content: &str) -> TaskFields {
    TaskFields {
        year: 2026,
        campaign_id: None,
        list_kind: ListKind::Work,
        parent_id: None,
        path: path.into(),
        title: title.into(),
        content: content.into(),
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
        indicators: vec![],
        milestones: vec![],
        remark: String::new(),
    }
}

fn case(title: &str, content: &str, raised_by: Option<PersonId>) -> CaseFacts {
    CaseFacts {
        year: 2026,
        kind: CaseKind::Problem,
        source: Source::Deputy,
        title: title.into(),
        content: content.into(),
        category: String::new(),
        urgency: Urgency::Normal,
        found_on: date(2026, 3, 2),
        raised_by,
        reopened_from: None,
        meeting_id: None,
        task_ids: vec![],
    }
}

/// A progress report written as the lead's report code will (no Rust code for reports on this
/// branch yet): the triggers must index it all the same.
async fn report(tx: &mut Tx, task: TaskId, unit: UnitId, period: &str, problems: &str) -> i64 {
    let now = duban_store::testing::now();
    let (id,): (i64,) = sql(
        "INSERT INTO progress_reports (task_id, unit_id, period, due_on, state, percent,
            progress_text, problems, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'submitted', 40, '按计划推进', $5, $6, $6) RETURNING id",
    )
    .bind(task)
    .bind(unit)
    .bind(period)
    .bind(date(2026, 11, 5))
    .bind(problems)
    .bind(now)
    .fetch_one(tx)
    .await
    .unwrap();
    id
}

/// Sets a report's last change to `secs` seconds after the test clock's now.
async fn changed(tx: &mut Tx, report: i64, secs: i64) {
    sql("UPDATE progress_reports SET updated_at = $1 WHERE id = $2")
        .bind(duban_store::testing::now() + jiff::SignedDuration::from_secs(secs))
        .bind(report)
        .execute(tx)
        .await
        .unwrap();
}

fn everything(words: &str) -> SearchQuery {
    SearchQuery {
        terms: Terms::parse(words).unwrap(),
        kind: None,
        year: None,
        unit: None,
        tasks: Access::All,
        cases: Access::All,
        proposals: Access::All,
        limit: 50,
        offset: 0,
    }
}

/// `kind:title` of every hit, in order, and the total.
async fn found(store: &Store, q: &SearchQuery) -> (Vec<String>, i64) {
    let mut tx = store.begin_read().await.unwrap();
    let page = search(&mut tx, q).await.unwrap();
    let hits = page
        .items
        .iter()
        .map(|h| match &h.period {
            Some(p) => format!("{}:{}@{p}", h.kind.as_str(), h.title),
            None => format!("{}:{}", h.kind.as_str(), h.title),
        })
        .collect();
    (hits, page.total)
}

async fn titles(store: &Store, words: &str) -> Vec<String> {
    found(store, &everything(words)).await.0
}

#[tokio::test]
async fn words_are_found_inside_chinese_text_and_all_must_match() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let mut tx = db.store.begin_write().await.unwrap();
        let jxj = unit(&mut tx, "jxj").await;
        lists::insert_task(
            &mut tx,
            &audit(),
            &task(jxj, "1", "低效工业用地整治", "完成东城片区腾退"),
        )
        .await
        .unwrap();
        lists::insert_task(
            &mut tx,
            &audit(),
            &task(jxj, "2", "技改投资", "新增工业用地指标三百亩"),
        )
        .await
        .unwrap();
        lists::insert_task(&mut tx, &audit(), &task(jxj, "3", "GDP 增速", "50%_达标"))
            .await
            .unwrap();
        cases::insert_case(
            &mut tx,
            &audit(),
            &case("老旧小区加装电梯", "居民反映用地审批慢", None),
            &Handling::registered(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let store = &db.store;

        // A four-character word inside a longer text, no spaces; the title hit first.
        assert_eq!(
            titles(store, "工业用地").await,
            ["task:低效工业用地整治", "task:技改投资"]
        );
        // Two characters have no trigram: still found, in tasks and cases alike. The title
        // hit first, then the most recently changed (the case was written last).
        assert_eq!(
            titles(store, "用地").await,
            [
                "task:低效工业用地整治",
                "case:老旧小区加装电梯",
                "task:技改投资"
            ],
            "{backend}"
        );
        // Every word must occur, in any of the searched columns.
        assert_eq!(titles(store, "用地 腾退").await, ["task:低效工业用地整治"]);
        assert_eq!(titles(store, "工业用地 三百亩").await, ["task:技改投资"]);
        assert!(titles(store, "工业用地 电梯").await.is_empty());
        // One character, Latin letters in any case, and LIKE's wildcards taken literally.
        assert_eq!(titles(store, "梯").await, ["case:老旧小区加装电梯"]);
        assert_eq!(titles(store, "gdp").await, ["task:GDP 增速"], "{backend}");
        assert_eq!(titles(store, "%_").await, ["task:GDP 增速"]);
        assert!(
            titles(store, "0%达").await.is_empty(),
            "% is not a wildcard"
        );
        // A word spanning two columns is not a match.
        assert!(titles(store, "整治完成").await.is_empty());

        // Filters: kind, and paging with the total of all hits.
        let mut q = everything("用地");
        q.kind = Some(Kind::Case);
        assert_eq!(found(store, &q).await.0, ["case:老旧小区加装电梯"]);
        let mut q = everything("用地");
        q.limit = 2;
        q.offset = 2;
        assert_eq!(
            found(store, &q).await,
            (vec!["task:技改投资".to_string()], 3)
        );
        q.offset = 10;
        assert_eq!(found(store, &q).await, (vec![], 3), "past the end");
        let mut q = everything("用地");
        q.year = Some(2025);
        assert_eq!(found(store, &q).await.1, 0);
    }
}

#[tokio::test]
async fn the_index_follows_inserts_updates_and_deletes() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let mut tx = db.store.begin_write().await.unwrap();
        let jxj = unit(&mut tx, "jxj").await;
        let fields = task(jxj, "1", "低效工业用地整治", "");
        let t = lists::insert_task(&mut tx, &audit(), &fields)
            .await
            .unwrap();
        let r = report(&mut tx, t, jxj, "2026-10", "拆迁补偿资金缺口较大").await;
        let c = cases::insert_case(
            &mut tx,
            &audit(),
            &case("河道保洁不到位", "", None),
            &Handling::registered(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let store = &db.store;
        assert_eq!(
            titles(store, "资金缺口").await,
            ["report:低效工业用地整治@2026-10"]
        );
        assert_eq!(titles(store, "河道保洁").await, ["case:河道保洁不到位"]);

        let mut tx = store.begin_write().await.unwrap();
        let mut renamed = fields.clone();
        renamed.title = "存量建设用地盘活".into();
        lists::update_task(&mut tx, &audit(), t, &renamed)
            .await
            .unwrap();
        sql("UPDATE progress_reports SET problems = $2 WHERE id = $1")
            .bind(r)
            .bind("审批周期长")
            .execute(&mut tx)
            .await
            .unwrap();
        sql("UPDATE cases SET title = $2 WHERE id = $1")
            .bind(c)
            .bind("垃圾分类督导")
            .execute(&mut tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(titles(store, "工业用地").await.is_empty(), "old title gone");
        assert_eq!(titles(store, "建设用地").await, ["task:存量建设用地盘活"]);
        assert!(titles(store, "资金缺口").await.is_empty(), "old text gone");
        assert_eq!(
            titles(store, "审批周期").await,
            ["report:存量建设用地盘活@2026-10"]
        );
        assert!(titles(store, "河道保洁").await.is_empty());
        assert_eq!(titles(store, "垃圾分类").await, ["case:垃圾分类督导"]);

        let mut tx = store.begin_write().await.unwrap();
        sql("DELETE FROM progress_reports WHERE id = $1")
            .bind(r)
            .execute(&mut tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(titles(store, "审批周期").await.is_empty());
        if backend == "sqlite" {
            // Each FTS5 index still agrees with its content table (`rank` 1 asks FTS5 to compare
            // with the content table, not only to check itself): the LIKE recheck hides a stale
            // entry from the results above, this does not.
            let mut tx = store.begin_read().await.unwrap();
            for table in ["search_tasks", "search_reports", "search_cases"] {
                let check =
                    format!("INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)");
                duban_store::Sql::assembled(check)
                    .execute(&mut tx)
                    .await
                    .unwrap();
            }
        }
    }
}

#[tokio::test]
async fn a_reader_finds_only_what_their_scope_shows() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let mut tx = db.store.begin_write().await.unwrap();
        let a = audit();
        let jxj = unit(&mut tx, "jxj").await;
        let zrzy = unit(&mut tx, "zrzy").await;
        let fgj = unit(&mut tx, "fgj").await;
        let deputy = people::insert_person(
            &mut tx,
            &a,
            &PersonFields {
                name: "代表甲".into(),
                title: "市人大代表".into(),
                mobile: None,
                unit_id: None,
                section_id: None,
                post_id: None,
            },
            date(2026, 1, 1),
        )
        .await
        .unwrap();
        let mut own = task(jxj, "1", "低效工业用地整治", "");
        own.co_unit_ids = vec![fgj];
        let own = lists::insert_task(&mut tx, &a, &own).await.unwrap();
        let other = lists::insert_task(&mut tx, &a, &task(zrzy, "1", "工业用地收储", ""))
            .await
            .unwrap();
        report(&mut tx, own, jxj, "2026-10", "工业用地指标不足").await;
        report(&mut tx, other, zrzy, "2026-10", "工业用地报批").await;
        let mut assigned = Handling::registered();
        assigned.lead_unit_id = Some(zrzy);
        cases::insert_case(
            &mut tx,
            &a,
            &case("工业用地闲置", "", Some(deputy)),
            &assigned,
        )
        .await
        .unwrap();
        cases::insert_case(&mut tx, &a, &case("工业用地污染", "", None), &assigned)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let store = &db.store;

        let as_unit = |units: Vec<UnitId>| SearchQuery {
            tasks: Access::Scoped(ReaderScope {
                units: units.clone(),
                person: None,
            }),
            cases: Access::Scoped(CaseScope {
                units,
                person: None,
            }),
            ..everything("工业用地")
        };
        // 经信局 sees its task and its report, not 自然资源局's, nor 自然资源局's cases.
        assert_eq!(
            found(store, &as_unit(vec![jxj])).await,
            (
                vec![
                    "task:低效工业用地整治".to_string(),
                    "report:低效工业用地整治@2026-10".to_string()
                ],
                2
            )
        );
        // A co-unit sees the task (and its report) as the lists do; a two-character word too.
        let mut q = as_unit(vec![fgj]);
        q.terms = Terms::parse("用地").unwrap();
        assert_eq!(found(store, &q).await.1, 2);
        // The unit filter narrows inside the scope, never widens it.
        let mut q = as_unit(vec![jxj]);
        q.unit = Some(zrzy);
        assert_eq!(found(store, &q).await.1, 0);
        let mut q = everything("工业用地");
        q.unit = Some(zrzy);
        assert_eq!(found(store, &q).await.1, 4);

        // A deputy sees no tasks or reports, and only the case they raised.
        let q = SearchQuery {
            tasks: Access::None,
            cases: Access::Scoped(CaseScope {
                units: vec![],
                person: Some(deputy),
            }),
            ..everything("工业用地")
        };
        assert_eq!(
            found(store, &q).await,
            (vec!["case:工业用地闲置".to_string()], 1)
        );
        // The whole city sees all six.
        assert_eq!(found(store, &everything("工业用地")).await.1, 6);
    }
}

/// A word found in over a thousand reports: the count stops at 1,000 and says so, and the
/// pages still hold the most recently changed hits in order, the last page included — for a
/// word the trigram index narrows and for a two-character word it cannot (on SQLite the
/// reports are then walked newest first), with reports that do not match between the hits
/// and a matching draft, which nobody may find, the newest of all.
#[tokio::test]
async fn a_common_word_counts_to_a_thousand_and_pages_stay_in_order() {
    use duban_store::search::COUNT_CAP;
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let mut tx = db.store.begin_write().await.unwrap();
        let jxj = unit(&mut tx, "jxj").await;
        let t = lists::insert_task(&mut tx, &audit(), &task(jxj, "1", "技改投资", ""))
            .await
            .unwrap();
        let mut ids = Vec::new();
        for n in 0..COUNT_CAP + 30 {
            // Each hit changed two seconds after the one before, a report without the word
            // in between every third time.
            let id = report(&mut tx, t, jxj, &format!("P{n:04}"), "资金缺口").await;
            changed(&mut tx, id, 2 * n).await;
            ids.push(id);
            if n % 3 == 0 {
                let other = report(&mut tx, t, jxj, &format!("Q{n:04}"), "资金到位").await;
                changed(&mut tx, other, 2 * n + 1).await;
            }
        }
        let draft = report(&mut tx, t, jxj, "D0001", "资金缺口").await;
        changed(&mut tx, draft, 10_000).await;
        sql("UPDATE progress_reports SET state = 'draft' WHERE id = $1")
            .bind(draft)
            .execute(&mut tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        ids.reverse(); // newest first, the order of the hits

        let mut tx = db.store.begin_read().await.unwrap();
        for word in ["资金缺口", "缺口"] {
            let page = |offset: i64| {
                let mut q = everything(word);
                q.offset = offset;
                q
            };
            let first = search(&mut tx, &page(0)).await.unwrap();
            assert_eq!(
                (first.total, first.capped),
                (COUNT_CAP, true),
                "{backend} {word}"
            );
            assert_eq!(
                first.items.iter().map(|h| h.id).collect::<Vec<_>>(),
                ids[..50],
                "{backend} {word}"
            );
            let tenth = search(&mut tx, &page(450)).await.unwrap();
            assert_eq!(
                tenth.items.iter().map(|h| h.id).collect::<Vec<_>>(),
                ids[450..500],
                "{backend} {word}"
            );
            let last = search(&mut tx, &page(COUNT_CAP)).await.unwrap();
            assert_eq!(
                last.items.iter().map(|h| h.id).collect::<Vec<_>>(),
                ids[COUNT_CAP as usize..],
                "{backend} {word}"
            );
            assert!(last.capped);
        }
        // A word with fewer hits than a page is counted exactly.
        let few = search(&mut tx, &everything("技改投资")).await.unwrap();
        assert_eq!((few.total, few.capped), (1, false));
    }
}
