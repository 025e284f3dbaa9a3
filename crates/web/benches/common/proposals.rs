//! A province-sized year of suggestions and proposals added to the demo in bulk SQL (SQLite),
//! never through the HTTP: `n` items of the demo's year, each handed out, with 10 contacts
//! with its proposer and 2 signed replies (a first one rated 不满意, a second one after
//! re-handling), the ratings behind them and a follow-up for B and C items. The facts the rates
//! read are written on the item rows as the steps would keep them, and the rates' maintained
//! counts recomputed from them by the migration's back-fill. The shape is made for
//! volume, not for a story: every item is at the end of its second round.

use duban_core::demo::DEMO_YEAR;
use duban_core::demo::proposals::CATEGORIES;
use duban_store::{Param, Sql, Store, sql};

/// How the generated items are numbered (the demo's are J2026-001 / T2026-001 …).
pub const NUMBER_PREFIX: &str = "G";

/// Adds `n` generated items of [`DEMO_YEAR`] to a store the demo was loaded into. Returns the
/// number of (items, contacts, replies) written.
pub async fn generate_year(store: &Store, n: usize) -> (u64, u64, u64) {
    let mut tx = store.begin_write().await.expect("a write transaction");
    let year = i64::from(DEMO_YEAR);
    // The lead units are the units the demo's categories name; proposers the demo's deputies
    // (suggestions) and members (proposals).
    let categories: Vec<String> = CATEGORIES
        .iter()
        .map(|(c, _, _)| format!("'{c}'"))
        .collect();
    let cat_values: Vec<String> = categories
        .iter()
        .enumerate()
        .map(|(k, c)| format!("({k}, {c})"))
        .collect();
    // Working tables for the generation; dropped at the end.
    for ddl in [
        "CREATE TEMP TABLE g_cat (k INTEGER PRIMARY KEY, name TEXT NOT NULL)",
        "CREATE TEMP TABLE g_unit (k INTEGER PRIMARY KEY, id INTEGER NOT NULL)",
        "CREATE TEMP TABLE g_person (kind TEXT NOT NULL, k INTEGER NOT NULL, id INTEGER NOT NULL)",
    ] {
        Sql::assembled(ddl.into())
            .execute(&mut tx)
            .await
            .expect("a working table");
    }
    Sql::assembled(format!(
        "INSERT INTO g_cat (k, name) VALUES {}",
        cat_values.join(", ")
    ))
    .execute(&mut tx)
    .await
    .expect("categories");
    sql("INSERT INTO g_unit (k, id)
         SELECT row_number() OVER (ORDER BY id) - 1, id FROM units WHERE kind = 'department'")
    .execute(&mut tx)
    .await
    .expect("units");
    sql(
        "INSERT INTO g_person (kind, k, id)
         SELECT CASE WHEN u.username <= 'deputy3' THEN 'suggestion' ELSE 'proposal' END,
                (CAST(substr(u.username, 7) AS INTEGER) - 1) % 3, u.person_id
         FROM users u WHERE u.username IN ('deputy1', 'deputy2', 'deputy3', 'deputy4', 'deputy5', 'deputy6')",
    )
    .execute(&mut tx)
    .await
    .expect("proposers");
    let (units,): (i64,) = sql("SELECT COUNT(*) FROM g_unit")
        .fetch_one(&mut tx)
        .await
        .expect("count");
    let (people,): (i64,) = sql("SELECT COUNT(*) FROM g_person")
        .fetch_one(&mut tx)
        .await
        .expect("count");
    assert!(
        units > 0 && people == 6,
        "the demo has units and six proposers"
    );
    let cats = i64::try_from(categories.len()).expect("a few");
    let at = "2026-01-20T01:00:00.000000Z";
    // The items: i alternates the kinds; class by i % 20 as in the demo (A 9, B 5, C 3, D 3 of
    // 20); every 10th item's second reply still waits for its rating (past the window), and
    // every 25th first reply was late.
    let items = Sql::with_params(
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $1),
             g AS (SELECT i,
                     CASE WHEN i % 2 = 0 THEN 'suggestion' ELSE 'proposal' END AS kind,
                     CASE WHEN i % 20 < 9 THEN 'A' WHEN i % 20 < 14 THEN 'B'
                          WHEN i % 20 < 17 THEN 'C' ELSE 'D' END AS class
                   FROM n)
             INSERT INTO proposals (year, kind, seq, number, title, content, proposer_id,
                group_name, category, key_item, state, lead_unit_id, handed_out_on, reply_rule,
                original_due_on, reply_due_on, round, rehandling_due_on, follow_up_due_on,
                first_replied_on, class, solved, follow_ups, first_rating, rating,
                rating_pending, evaluation_due_on, reported, site, revisit, face_to_face, head,
                created_at, updated_at)
             SELECT $2, g.kind, 1000 + g.i,
                '{NUMBER_PREFIX}' || $2 || '-' || printf('%06d', g.i),
                '关于第' || g.i || '号民生实事' || c.name || '问题的' ||
                    CASE g.kind WHEN 'suggestion' THEN '建议' ELSE '提案' END,
                '群众反映' || c.name || '方面的问题较为突出，建议相关部门深入调研、明确分工、加大保障。',
                p.id, '', c.name, g.i % 50 = 0,
                CASE WHEN g.i % 10 = 7 THEN 'replied'
                     WHEN g.class IN ('B', 'C') AND g.i % 4 <> 0 THEN 'follow_up_owed'
                     ELSE 'closed' END,
                u.id, '2026-02-26', '3m', '2026-05-26', '2026-05-26', 2, '2026-07-24',
                CASE WHEN g.class IN ('B', 'C') AND g.i % 4 <> 0 THEN '2026-12-20' END,
                CASE WHEN g.i % 25 = 0 THEN '2026-06-10'
                     ELSE date('2026-05-04', '+' || (g.i % 20) || ' days') END,
                g.class, g.class IN ('B', 'C') AND g.i % 4 = 0,
                CASE WHEN g.class IN ('B', 'C') THEN 1 ELSE 0 END,
                'dissatisfied',
                CASE WHEN g.i % 10 = 7 THEN NULL WHEN g.i % 11 = 3 THEN 'basically_satisfied'
                     ELSE 'satisfied' END,
                g.i % 10 = 7, CASE WHEN g.i % 10 = 7 THEN '2026-08-21' END,
                TRUE, TRUE, TRUE, TRUE, g.i % 3 <> 2,
                '{at}', '{at}'
             FROM g
             JOIN g_cat c ON c.k = g.i % {cats}
             JOIN g_unit u ON u.k = g.i % {units}
             JOIN g_person p ON p.kind = g.kind AND p.k = (g.i / 2) % 3"
        ),
        vec![
            Param::from(i64::try_from(n).expect("n fits")),
            Param::from(year),
        ],
    )
    .execute(&mut tx)
    .await
    .expect("the items");
    let generated = format!("p.number LIKE '{NUMBER_PREFIX}{year}-%'");
    // A co-unit for every third item.
    Sql::assembled(format!(
        "INSERT INTO proposal_units (proposal_id, unit_id, role)
         SELECT p.id, u.id, 'co' FROM proposals p
         JOIN g_unit u ON u.k = (p.seq + 1) % {units}
         WHERE {generated} AND p.seq % 3 = 0 AND u.id <> p.lead_unit_id"
    ))
    .execute(&mut tx)
    .await
    .expect("co-units");
    // 10 contacts each: 报到, 现场 and 回访 in turn, the ways in turn, the head at some.
    let contacts = Sql::assembled(format!(
        "WITH RECURSIVE m(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM m WHERE j < 9)
         INSERT INTO proposal_contacts (proposal_id, unit_id, stage, held_on, way, participants,
            head_took_part, note, created_at)
         SELECT p.id, p.lead_unit_id,
            CASE m.j % 3 WHEN 0 THEN 'report' WHEN 1 THEN 'site' ELSE 'revisit' END,
            date('2026-03-02', '+' || (m.j * 14) || ' days'),
            CASE m.j % 3 WHEN 0 THEN 'face_to_face' WHEN 1 THEN 'site_visit' ELSE 'phone' END,
            '承办科室负责人、经办人；领衔代表（委员）', m.j = 1 AND p.head, '', '{at}'
         FROM proposals p CROSS JOIN m WHERE {generated}"
    ))
    .execute(&mut tx)
    .await
    .expect("the contacts");
    // 2 signed replies each: the first (rated 不满意), the second after re-handling.
    let replies = Sql::assembled(format!(
        "WITH RECURSIVE r(round) AS (SELECT 1 UNION ALL SELECT round + 1 FROM r WHERE round < 2)
         INSERT INTO proposal_replies (proposal_id, round, unit_id, class, body, drafted_at,
            reviewed_class, reviewed_at, signed_on)
         SELECT p.id, r.round, p.lead_unit_id, CASE r.round WHEN 1 THEN 'D' ELSE p.class END,
            CASE r.round WHEN 1 THEN '经研究，该事项目前暂不具备实施条件，已当面作了说明。'
                 ELSE '经重新研究办理，相关工作已纳入年度计划并加快推进，感谢您的关心和支持。' END,
            '{at}', NULL, '{at}',
            CASE r.round WHEN 1 THEN p.first_replied_on ELSE '2026-07-10' END
         FROM proposals p CROSS JOIN r WHERE {generated}"
    ))
    .execute(&mut tx)
    .await
    .expect("the replies");
    Sql::assembled(format!(
        "INSERT INTO proposal_ratings (proposal_id, round, person_id, rating, comment, rated_at)
         SELECT p.id, 1, p.proposer_id, 'dissatisfied', '答复未解决实际问题。', '{at}'
         FROM proposals p WHERE {generated}
         UNION ALL
         SELECT p.id, 2, p.proposer_id, p.rating, '重新办理后有改善。', '{at}'
         FROM proposals p WHERE {generated} AND p.rating IS NOT NULL"
    ))
    .execute(&mut tx)
    .await
    .expect("the ratings");
    Sql::assembled(format!(
        "INSERT INTO proposal_follow_ups (proposal_id, reported_on, body, solved, created_at)
         SELECT p.id, '2026-09-21', '续报：项目正在推进，预计年底前完成。', p.solved, '{at}'
         FROM proposals p WHERE {generated} AND p.follow_ups > 0"
    ))
    .execute(&mut tx)
    .await
    .expect("the follow-ups");
    for ddl in [
        "DROP TABLE g_cat",
        "DROP TABLE g_unit",
        "DROP TABLE g_person",
    ] {
        Sql::assembled(ddl.into())
            .execute(&mut tx)
            .await
            .expect("a working table goes");
    }
    // The rates' maintained counts, as the migration's back-fill computes them.
    duban_store::proposals::counts::rebuild(&mut tx)
        .await
        .expect("the rate counts");
    tx.commit().await.expect("the year commits");
    (items, contacts, replies)
}
