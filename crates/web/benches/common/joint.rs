//! A year of joint matters (吹哨报到) added to the demo in bulk SQL (SQLite), never through
//! the HTTP: `n` matters of the demo's year, each a case led by one of the demo's towns and
//! naming two departments (every fifth, three), with their report-ins (one in nine late, one
//! in forty still missing), feedback, and — for the four in five that are closed — the
//! ratings both ways. Made for volume, not for a story.

use duban_core::demo::DEMO_YEAR;
use duban_store::{Param, Sql, Store, sql};

/// How the generated matters' titles begin.
pub const TITLE_PREFIX: &str = "生成联办事项";

/// Adds `n` generated joint matters of [`DEMO_YEAR`] to a store the demo was loaded into.
/// Returns the number of (matters, named departments) written.
pub async fn generate_year(store: &Store, n: usize) -> (u64, u64) {
    let mut tx = store.begin_write().await.expect("a write transaction");
    let year = i64::from(DEMO_YEAR);
    for ddl in [
        "CREATE TEMP TABLE g_town (k INTEGER PRIMARY KEY, id INTEGER NOT NULL)",
        "CREATE TEMP TABLE g_dept (k INTEGER PRIMARY KEY, id INTEGER NOT NULL)",
    ] {
        Sql::assembled(ddl.into())
            .execute(&mut tx)
            .await
            .expect("a working table");
    }
    for (table, kind) in [("g_town", "town"), ("g_dept", "department")] {
        Sql::assembled(format!(
            "INSERT INTO {table} (k, id)
             SELECT row_number() OVER (ORDER BY id) - 1, id FROM units WHERE kind = '{kind}'"
        ))
        .execute(&mut tx)
        .await
        .expect("units");
    }
    let (towns,): (i64,) = sql("SELECT COUNT(*) FROM g_town")
        .fetch_one(&mut tx)
        .await
        .expect("count");
    let (depts,): (i64,) = sql("SELECT COUNT(*) FROM g_dept")
        .fetch_one(&mut tx)
        .await
        .expect("count");
    assert!(
        towns > 0 && depts >= 15,
        "the demo has towns and departments"
    );
    let (base,): (i64,) = sql("SELECT COALESCE(MAX(id), 0) FROM cases")
        .fetch_one(&mut tx)
        .await
        .expect("max id");
    let n = i64::try_from(n).expect("n fits");
    let at = "2026-06-15T01:00:00.000000Z";
    let later = "2026-06-15T03:00:00.000000Z";
    // The cases: led by the town, four in five closed out.
    Sql::with_params(
        format!(
            "WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i + 1 < $1)
             INSERT INTO cases (id, year, kind, source, title, content, category, found_on, state,
                lead_unit_id, closed_on, created_at, updated_at)
             SELECT $2 + 1 + g.i, $3, 'problem', 'inspection',
                '{TITLE_PREFIX}' || g.i, '镇街吹哨，部门报到联合处置。', '联办',
                date('2026-01-05', '+' || (g.i % 330) || ' days'),
                CASE WHEN g.i % 5 = 4 THEN 'handling' ELSE 'closed_out' END,
                t.id,
                CASE WHEN g.i % 5 = 4 THEN NULL ELSE date('2026-01-12', '+' || (g.i % 330) || ' days') END,
                '{at}', '{at}'
             FROM g JOIN g_town t ON t.k = g.i % {towns}"
        ),
        vec![Param::from(n), Param::from(base), Param::from(year)],
    )
    .execute(&mut tx)
    .await
    .expect("the cases");
    let matters = Sql::with_params(
        format!(
            "INSERT INTO joint_matters (case_id, town_id, year, raised_at, report_in_hours, closed_at)
             SELECT c.id, c.lead_unit_id, c.year, '{at}', 4,
                CASE WHEN c.state = 'closed_out' THEN '{later}' END
             FROM cases c WHERE c.id > $1 AND c.title LIKE '{TITLE_PREFIX}%'"
        ),
        vec![Param::from(base)],
    )
    .execute(&mut tx)
    .await
    .expect("the joint matters");
    // Departments j = 0, 1 (and 2 for every fifth matter), 5 apart so never the same twice.
    Sql::with_params(
        format!(
            "WITH RECURSIVE m(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM m WHERE j < 2)
             INSERT INTO case_units (case_id, unit_id, role)
             SELECT c.id, d.id, 'co' FROM cases c CROSS JOIN m
             JOIN g_dept d ON d.k = (c.id + m.j * 5) % {depts}
             WHERE c.id > $1 AND c.title LIKE '{TITLE_PREFIX}%' AND (m.j < 2 OR c.id % 5 = 0)"
        ),
        vec![Param::from(base)],
    )
    .execute(&mut tx)
    .await
    .expect("the co-units");
    let units = Sql::with_params(
        format!(
            "INSERT INTO joint_units (case_id, unit_id, report_due_at, reported_at, late,
                flagged_at, feedback, feedback_at, speed, effect, attitude, rating_comment,
                rated_at, coordination, coordination_comment, coordination_at)
             SELECT cu.case_id, cu.unit_id, '{at}',
                CASE WHEN (cu.case_id + cu.unit_id) % 40 = 0 AND c.state <> 'closed_out' THEN NULL
                     ELSE '{at}' END,
                (cu.case_id + cu.unit_id) % 9 = 0,
                CASE WHEN (cu.case_id + cu.unit_id) % 9 = 0 THEN '{at}' END,
                '已到场处置。', '{later}',
                CASE WHEN c.state = 'closed_out' THEN 1 + (cu.case_id + cu.unit_id) % 5 END,
                CASE WHEN c.state = 'closed_out' THEN 1 + (cu.case_id * 3 + cu.unit_id) % 5 END,
                CASE WHEN c.state = 'closed_out' THEN 1 + (cu.case_id + cu.unit_id * 7) % 5 END,
                '', CASE WHEN c.state = 'closed_out' THEN '{later}' END,
                CASE WHEN c.state = 'closed_out' AND cu.case_id % 3 <> 0
                     THEN 1 + (cu.case_id + 2 * cu.unit_id) % 5 END,
                '', CASE WHEN c.state = 'closed_out' AND cu.case_id % 3 <> 0 THEN '{later}' END
             FROM case_units cu JOIN cases c ON c.id = cu.case_id
             WHERE c.id > $1 AND c.title LIKE '{TITLE_PREFIX}%'"
        ),
        vec![Param::from(base)],
    )
    .execute(&mut tx)
    .await
    .expect("the named departments");
    for ddl in ["DROP TABLE g_town", "DROP TABLE g_dept"] {
        Sql::assembled(ddl.into())
            .execute(&mut tx)
            .await
            .expect("a working table goes");
    }
    tx.commit().await.expect("the year commits");
    (matters, units)
}
