//! Store contract for the closed loop, on SQLite always and on PostgreSQL when configured:
//! cases with their units and timeline, a stale step refused, escalation steps taken once,
//! document numbers without gaps or repeats, and list filters whose lights agree with the
//! pure rules in `core::cases::timeliness`.

use duban_core::calendar::Calendar;
use duban_core::cases::CaseId;
use duban_core::cases::facts::{CaseKind, Source, Urgency};
use duban_core::cases::ladder::Step;
use duban_core::cases::state::CaseState;
use duban_core::cases::timeliness::{self, Clock, Light};
use duban_core::org::{UnitId, UnitKind};
use duban_store::cases::browse::{CaseFilter, CaseScope, LightFilter, count_cases, list_cases};
use duban_store::cases::steps::{next_document_number, record_step};
use duban_store::cases::{self, CaseFacts, Handling, NewEvent};
use duban_store::org::{self, UnitFields};
use duban_store::testing::{TestDb, backends};
use duban_store::{Audit, StoreError, Tx, ledger};
use jiff::civil::{Date, date};

fn audit() -> Audit {
    Audit::system(duban_store::testing::now())
}

fn facts(title: &str) -> CaseFacts {
    CaseFacts {
        year: 2026,
        kind: CaseKind::Item,
        source: Source::Instruction,
        title: title.into(),
        content: String::new(),
        category: String::new(),
        urgency: Urgency::Normal,
        found_on: date(2026, 3, 2),
        raised_by: None,
        reopened_from: None,
        meeting_id: None,
        task_ids: vec![],
    }
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

fn assigned(lead: UnitId, due: Date, ack_due: Date, state: CaseState) -> Handling {
    Handling {
        state,
        lead_unit_id: Some(lead),
        deadline_rule: Some(due.to_string()),
        deadline_from: Some(date(2026, 3, 2)),
        due_on: Some(due),
        ack_due_on: Some(ack_due),
        ..Handling::registered()
    }
}

#[tokio::test]
async fn a_case_is_stored_stepped_and_refuses_a_stale_step() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let mut tx = db.store.begin_write().await.unwrap();
        let a = audit();
        let jxj = unit(&mut tx, "jxj").await;
        let czj = unit(&mut tx, "czj").await;
        let fgj = unit(&mut tx, "fgj").await;
        let id = cases::insert_case(&mut tx, &a, &facts("技改进度"), &Handling::registered())
            .await
            .unwrap();
        let registered = cases::get_case(&mut tx, id).await.unwrap().unwrap();
        assert_eq!(registered.handling, Handling::registered());

        let mut h = assigned(
            jxj,
            date(2026, 3, 20),
            date(2026, 3, 4),
            CaseState::Assigned,
        );
        h.co_unit_ids = vec![czj];
        h.split_unit_ids = vec![fgj];
        cases::save_step(
            &mut tx,
            &a,
            id,
            &registered.handling,
            &h,
            &NewEvent::new("assign", ""),
        )
        .await
        .unwrap();
        cases::set_opinion(&mut tx, &a, id, czj, "资金已预拨")
            .await
            .unwrap();
        let c = cases::get_case(&mut tx, id).await.unwrap().unwrap();
        assert_eq!(c.handling, h, "every handling field round-trips");
        assert_eq!(
            c.units.iter().find(|u| u.role == "co").unwrap().opinion,
            "资金已预拨"
        );

        // A step from a state the case is no longer in is refused and writes nothing.
        let stale = cases::save_step(
            &mut tx,
            &a,
            id,
            &Handling::registered(),
            &h,
            &NewEvent::new("assign", ""),
        )
        .await;
        assert!(
            matches!(stale, Err(StoreError::Conflict { .. })),
            "{stale:?}"
        );

        // Replacing the co-units keeps the opinion of a unit that stays.
        let mut next = h.clone();
        next.state = CaseState::Handling;
        next.split_unit_ids.clear();
        cases::save_step(
            &mut tx,
            &a,
            id,
            &h,
            &next,
            &NewEvent::new("acknowledge", ""),
        )
        .await
        .unwrap();
        let c = cases::get_case(&mut tx, id).await.unwrap().unwrap();
        assert_eq!(c.units.len(), 1);
        assert_eq!(c.units[0].opinion, "资金已预拨");
        let kinds: Vec<String> = cases::list_events(&mut tx, id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(kinds, ["register", "assign", "opinion", "acknowledge"]);

        // Escalation steps are taken once per step and deadline; numbers never repeat.
        let s1 = record_step(
            &mut tx,
            &a,
            id,
            Step::Urge,
            date(2026, 3, 20),
            date(2026, 3, 21),
        )
        .await
        .unwrap();
        let again = record_step(
            &mut tx,
            &a,
            id,
            Step::Urge,
            date(2026, 3, 20),
            date(2026, 3, 22),
        )
        .await
        .unwrap();
        assert!(s1.is_some() && again.is_none());
        let later = record_step(
            &mut tx,
            &a,
            id,
            Step::Urge,
            date(2026, 4, 30),
            date(2026, 5, 1),
        )
        .await
        .unwrap();
        assert!(later.is_some(), "a new deadline climbs the ladder anew");
        let numbers = [
            next_document_number(&mut tx, "永督", 2026).await.unwrap(),
            next_document_number(&mut tx, "永督", 2026).await.unwrap(),
            next_document_number(&mut tx, "永督催", 2026).await.unwrap(),
            next_document_number(&mut tx, "永督", 2027).await.unwrap(),
        ];
        assert_eq!(numbers, [1, 2, 1, 1]);
        tx.commit().await.unwrap();
        ledger::verify(&db.store)
            .await
            .expect("the ledger verifies");
    }
}

#[tokio::test]
async fn the_light_filter_agrees_with_the_rules_and_scope_limits_rows() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let mut tx = db.store.begin_write().await.unwrap();
        let a = audit();
        let jxj = unit(&mut tx, "jxj").await;
        let fgj = unit(&mut tx, "fgj").await;
        let today = date(2026, 3, 16);
        let calendar = Calendar::new(duban_core::calendar::official_schedule(2026));
        let soon_until = calendar
            .add_workdays(today.yesterday().unwrap(), 3)
            .unwrap();
        // A spread of deadlines and states around today.
        let mut made: Vec<(CaseId, Handling)> = Vec::new();
        for (i, (due, ack, state)) in [
            (date(2026, 3, 13), date(2026, 3, 4), CaseState::Handling),
            (date(2026, 3, 16), date(2026, 3, 4), CaseState::Handling),
            (date(2026, 3, 18), date(2026, 3, 4), CaseState::Handling),
            (date(2026, 3, 19), date(2026, 3, 4), CaseState::Handling),
            (date(2026, 4, 30), date(2026, 3, 4), CaseState::Assigned),
            (date(2026, 4, 30), date(2026, 3, 20), CaseState::Assigned),
            (date(2026, 4, 30), date(2026, 3, 4), CaseState::Handling),
            (
                date(2026, 3, 1),
                date(2026, 2, 20),
                CaseState::CompletionClaimed,
            ),
            (date(2026, 3, 1), date(2026, 2, 20), CaseState::Deferred),
            (date(2026, 3, 1), date(2026, 2, 20), CaseState::Ongoing),
            (date(2026, 3, 1), date(2026, 2, 20), CaseState::Suspended),
        ]
        .into_iter()
        .enumerate()
        {
            let lead = if i % 2 == 0 { jxj } else { fgj };
            let mut h = assigned(lead, due, ack, state);
            // Periodic reports: the deferred case is late with its 续报, the ongoing one not.
            h.report_due_on = match state {
                CaseState::Deferred => Some(date(2026, 3, 10)),
                CaseState::Ongoing => Some(date(2026, 4, 10)),
                _ => None,
            };
            let id = cases::insert_case(&mut tx, &a, &facts(&format!("事项{i}")), &h)
                .await
                .unwrap();
            made.push((id, h));
        }
        for light in [Light::Red, Light::Yellow, Light::Green] {
            let f = CaseFilter {
                light: Some(LightFilter {
                    light,
                    today,
                    soon_until,
                }),
                limit: 100,
                ..CaseFilter::default()
            };
            let (rows, total) = list_cases(&mut tx, &f).await.unwrap();
            let mut got: Vec<i64> = rows.iter().map(|r| r.id).collect();
            got.sort();
            let want: Vec<i64> = made
                .iter()
                .filter(|(_, h)| {
                    let flags = timeliness::flags(
                        &Clock {
                            state: h.state,
                            ack_due: h.ack_due_on,
                            due: h.due_on,
                            report_due: h.report_due_on,
                            due_soon_workdays: 3,
                        },
                        today,
                        &calendar,
                    );
                    timeliness::light(h.state, &flags) == Some(light)
                })
                .map(|(id, _)| id.0)
                .collect();
            assert_eq!(got, want, "{backend}: {light:?}");
            assert_eq!(total, want.len() as i64);
        }
        let in_scope = CaseFilter {
            scope: Some(CaseScope {
                units: vec![fgj],
                person: None,
            }),
            limit: 100,
            ..CaseFilter::default()
        };
        assert_eq!(count_cases(&mut tx, &in_scope).await.unwrap(), 5);
        let nobody = CaseFilter {
            scope: Some(CaseScope::default()),
            ..CaseFilter::default()
        };
        assert_eq!(count_cases(&mut tx, &nobody).await.unwrap(), 0);
        tx.commit().await.unwrap();
    }
}
