//! The benchmark city's bulk: history and cases added to the generated demo, shared by the
//! benches that measure against the issues' 20,000-task city.

use duban_core::cases::facts::{CaseKind, Source, Urgency};
use duban_core::cases::state::CaseState;
use duban_core::lists::TaskId;
use duban_core::org::UnitId;
use duban_store::cases::{CaseFacts, Handling, insert_case};
use duban_store::progress::{PastReport, write_past};
use duban_store::{Audit, Store, sql};

/// Tops up the accepted reports to `wanted` with earlier months (last year's periods of the
/// same tasks): history the dashboards must not read. Returns how many there are.
pub async fn top_up_reports(store: &Store, wanted: i64) -> i64 {
    let accepted = "SELECT COUNT(*) FROM progress_reports WHERE state = 'accepted'";
    let mut have = {
        let mut tx = store.begin_read().await.expect("tx");
        let (n,): (i64,) = sql(accepted).fetch_one(&mut tx).await.expect("count");
        n
    };
    let tasks: Vec<(i64, i64)> = {
        let mut tx = store.begin_read().await.expect("tx");
        sql("SELECT id, lead_unit_id FROM tasks WHERE state = 'approved' ORDER BY id")
            .fetch_all(&mut tx)
            .await
            .expect("tasks")
    };
    let mut month = 12;
    while have < wanted && month > 0 {
        let period = format!("2025-{month:02}");
        let due = jiff::civil::date(2025, month, 28);
        let at = due
            .at(10, 0, 0, 0)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .expect("at")
            .timestamp();
        let rows: Vec<PastReport> = tasks
            .iter()
            .take((wanted - have) as usize)
            .map(|(t, u)| PastReport {
                task: TaskId(*t),
                unit: UnitId(*u),
                period: period.clone(),
                due_on: due,
                percent: 50.0,
                progress_text: "上年度进展".into(),
                sent_at: at,
                decided_at: at,
                on_time: true,
            })
            .collect();
        let mut tx = store.begin_write().await.expect("tx");
        have += write_past(&mut tx, &Audit::system(at), &rows)
            .await
            .expect("seed") as i64;
        tx.commit().await.expect("commit");
        month -= 1;
    }
    have
}

/// `n` cases across the city's units, with deadlines spread from two months ago to two
/// months ahead, a co-unit each, states from assigned to closed out. Returns a case of 经信局
/// being handled.
pub async fn generate_cases(store: &Store, n: usize) -> i64 {
    let mut tx = store.begin_write().await.expect("a write transaction");
    let audit = Audit::system(jiff::Timestamp::now());
    let units: Vec<i64> = duban_store::sql("SELECT id FROM units ORDER BY id")
        .fetch_all::<(i64,)>(&mut tx)
        .await
        .expect("units")
        .into_iter()
        .map(|(id,)| id)
        .collect();
    let jxj = duban_store::org::find_unit_by_code(&mut tx, "jxj")
        .await
        .expect("query")
        .expect("jxj")
        .id;
    let today = jiff::Zoned::now().date();
    let states = [
        CaseState::Assigned,
        CaseState::Handling,
        CaseState::Handling,
        CaseState::CompletionClaimed,
        CaseState::ClosedOut,
    ];
    let mut handling_case = 0;
    for i in 0..n {
        let lead = if i % 10 == 0 {
            jxj
        } else {
            units[i % units.len()]
        };
        let co = units[(i * 7 + 3) % units.len()];
        let due = today
            .checked_add(jiff::Span::new().days((i % 120) as i64 - 60))
            .expect("a date");
        let state = states[i % states.len()];
        let facts = CaseFacts {
            year: today.year(),
            kind: if i % 3 == 0 {
                CaseKind::Problem
            } else {
                CaseKind::Item
            },
            source: Source::ALL[i % Source::ALL.len()],
            title: format!("第{i}号督办事项：低效工业用地整治进度"),
            content: "按期完成整治任务，逐月报送进展。".into(),
            category: String::new(),
            urgency: Urgency::Normal,
            found_on: today,
            raised_by: None,
            reopened_from: None,
            meeting_id: None,
            task_ids: vec![],
        };
        let h = Handling {
            state,
            lead_unit_id: Some(UnitId(lead)),
            co_unit_ids: if co == lead { vec![] } else { vec![UnitId(co)] },
            deadline_rule: Some(due.to_string()),
            deadline_from: Some(today),
            due_on: Some(due),
            ack_due_on: Some(today),
            ..Handling::registered()
        };
        let id = insert_case(&mut tx, &audit, &facts, &h)
            .await
            .expect("a case");
        if lead == jxj && state == CaseState::Handling {
            handling_case = id.0;
        }
    }
    tx.commit().await.expect("the cases commit");
    handling_case
}
