//! Store contract for commitments and livelihood projects, on SQLite always and on
//! PostgreSQL when configured: a signed version cannot be changed — not through the store's
//! functions and not by SQL sent straight to the database — and amendments keep every
//! version; the sign entry in the ledger carries the signed text byte for byte; a deputy's
//! vote is one row, changed until voting closes.

use duban_core::commitments::livelihood::Vote;
use duban_core::commitments::state::{CommitmentState as S, VersionState as V};
use duban_core::commitments::{CommitmentContent, VersionId, canonical_json};
use duban_core::lists::{Due, ListKind};
use duban_core::org::{PersonId, UnitId, UnitKind};
use duban_store::commitments::{self as store, NewCommitment, Step};
use duban_store::lists::TaskFields;
use duban_store::livelihood::{self, Milestone, NewProject};
use duban_store::testing::{TestDb, backends};
use duban_store::{Audit, StoreError, Tx, ledger, org, people, sql};
use jiff::civil::date;

fn audit() -> Audit {
    Audit::system(duban_store::testing::now())
}

async fn setup(tx: &mut Tx) -> (UnitId, PersonId, i64, i64) {
    let a = audit();
    let unit = org::insert_unit(
        tx,
        &a,
        &org::UnitFields {
            code: "jxj".into(),
            name: "经信局".into(),
            short_name: "经信局".into(),
            kind: UnitKind::Department,
            parent_id: None,
            sort_order: 0,
        },
    )
    .await
    .unwrap();
    let person = people::insert_person(
        tx,
        &a,
        &people::PersonFields {
            name: "王局长".into(),
            title: "局长".into(),
            mobile: None,
            unit_id: Some(unit),
            section_id: None,
            post_id: None,
        },
        date(2026, 1, 1),
    )
    .await
    .unwrap();
    let mut tasks = Vec::new();
    for path in ["1", "2"] {
        let f = TaskFields {
            year: 2026,
            campaign_id: None,
            list_kind: ListKind::Work,
            parent_id: None,
            path: path.into(),
            title: format!("任务{path}"),
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
            indicators: vec![],
            milestones: vec![],
            remark: String::new(),
        };
        tasks.push(duban_store::lists::insert_task(tx, &a, &f).await.unwrap().0);
    }
    (unit, person, tasks[0], tasks[1])
}

fn content(task: i64) -> CommitmentContent {
    CommitmentContent {
        title: "新增规上工业企业".into(),
        content: "培育小升规企业".into(),
        target_text: "新增 30 家".into(),
        target_value: Some(30.0),
        target_unit: "家".into(),
        deadline: date(2026, 12, 31),
        task_ids: vec![task],
        supervisor_ids: vec![],
    }
}

fn step(kind: &'static str, v: VersionId, vs: (V, V), cs: Option<(S, S)>) -> Step {
    Step {
        kind,
        version: Some((v, vs.0, vs.1)),
        commitment: cs,
        note: String::new(),
        review_comment: None,
        self_report: None,
        result_score: None,
    }
}

/// Drafts, submits, approves and signs a first version; returns the ids and the signed text.
async fn signed(
    tx: &mut Tx,
    person: PersonId,
    unit: UnitId,
    task: i64,
) -> (duban_core::commitments::CommitmentId, VersionId, String) {
    let a = audit();
    let new = NewCommitment {
        year: 2026,
        committer: person,
        unit: Some(unit),
    };
    let (id, v) = store::insert_commitment(tx, &a, &new, &content(task))
        .await
        .unwrap();
    store::save_step(
        tx,
        &a,
        id,
        &step(
            "submit",
            v,
            (V::Drafted, V::UnderReview),
            Some((S::Drafted, S::UnderReview)),
        ),
    )
    .await
    .unwrap();
    store::save_step(
        tx,
        &a,
        id,
        &step(
            "approve",
            v,
            (V::UnderReview, V::Approved),
            Some((S::UnderReview, S::Approved)),
        ),
    )
    .await
    .unwrap();
    let text = canonical_json(
        &serde_json::json!({ "commitment": id.0, "version": 1, "content": content(task) }),
    );
    store::sign_version(tx, &a, id, v, Some((S::Approved, S::Published)), &text)
        .await
        .unwrap();
    (id, v, text)
}

#[tokio::test]
async fn a_signed_version_cannot_be_changed_by_the_store_or_by_direct_sql() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let mut tx = db.store.begin_write().await.unwrap();
        let (unit, person, t1, t2) = setup(&mut tx).await;
        let (id, v, text) = signed(&mut tx, person, unit, t1).await;
        // The store refuses to edit it or move it back.
        let edit = store::update_draft(&mut tx, &audit(), id, v, &content(t1), &content(t2)).await;
        assert!(
            matches!(&edit, Err(StoreError::Conflict { constraint }) if constraint == "commitment_versions_state_changed"),
            "{backend}: {edit:?}"
        );
        let back = store::save_step(
            &mut tx,
            &audit(),
            id,
            &step("return", v, (V::Signed, V::Returned), None),
        )
        .await;
        assert!(
            matches!(back, Err(StoreError::Conflict { .. })),
            "{backend}"
        );
        tx.commit().await.unwrap();

        // SQL sent straight to the database is refused by the triggers, each in its own
        // transaction (PostgreSQL aborts a transaction on error).
        let tamper: [(&str, &'static str); 6] = [
            (
                "update title",
                "UPDATE commitment_versions SET title = '改过的' WHERE id = $1",
            ),
            (
                "update deadline",
                "UPDATE commitment_versions SET deadline = '2027-06-30' WHERE id = $1",
            ),
            (
                "delete version",
                "DELETE FROM commitment_versions WHERE id = $1",
            ),
            (
                "unlink a task",
                "DELETE FROM commitment_version_tasks WHERE version_id = $1",
            ),
            (
                "link a task",
                "INSERT INTO commitment_version_tasks (version_id, task_id) SELECT $1, MAX(id) FROM tasks",
            ),
            (
                "add a supervisor",
                "INSERT INTO commitment_version_supervisors (version_id, person_id) SELECT $1, MAX(id) FROM people",
            ),
        ];
        for (what, q) in tamper {
            let mut tx = db.store.begin_write().await.unwrap();
            let r = sql(q).bind(v.0).execute(&mut tx).await;
            assert!(
                r.is_err(),
                "{backend}: {what} of a signed version went through"
            );
            drop(tx);
        }
        // Still as signed, and the ledger's entry is the signed text byte for byte.
        let mut tx = db.store.begin_read().await.unwrap();
        let c = store::get_commitment(&mut tx, id).await.unwrap().unwrap();
        assert_eq!(c.state, S::Published);
        let cur = c.current().unwrap();
        assert_eq!(cur.content, content(t1));
        assert_eq!(cur.state, V::Signed);
        assert_eq!(cur.signed_json.as_deref(), Some(text.as_str()));
        let (after,): (String,) = sql(
            "SELECT after_json FROM ledger WHERE action = 'commitment.sign' AND object_type = 'commitment_version' AND object_id = $1",
        )
        .bind(v.0)
        .fetch_one(&mut tx)
        .await
        .unwrap();
        assert_eq!(after, text, "{backend}");
        drop(tx);
        ledger::verify(&db.store)
            .await
            .expect("the ledger verifies");
    }
}

#[tokio::test]
async fn an_amendment_is_a_new_version_and_every_old_one_stays_readable() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let mut tx = db.store.begin_write().await.unwrap();
        let (unit, person, t1, t2) = setup(&mut tx).await;
        let (id, v1, _) = signed(&mut tx, person, unit, t1).await;
        let a = audit();
        let amended = CommitmentContent {
            deadline: date(2027, 3, 31),
            task_ids: vec![t1, t2],
            ..content(t1)
        };
        let v2 = store::insert_amendment(&mut tx, &a, id, &amended, "受汛期影响延期")
            .await
            .unwrap();
        // Edit the amendment draft, then take it through to signature.
        store::update_draft(&mut tx, &a, id, v2, &amended, &amended)
            .await
            .unwrap();
        store::save_step(
            &mut tx,
            &a,
            id,
            &step("submit", v2, (V::Drafted, V::UnderReview), None),
        )
        .await
        .unwrap();
        // A stale step (decided from drafted, but it is under review now) is refused.
        let stale = store::save_step(
            &mut tx,
            &a,
            id,
            &step("submit", v2, (V::Drafted, V::UnderReview), None),
        )
        .await;
        assert!(
            matches!(stale, Err(StoreError::Conflict { .. })),
            "{backend}"
        );
        store::save_step(
            &mut tx,
            &a,
            id,
            &step("approve", v2, (V::UnderReview, V::Approved), None),
        )
        .await
        .unwrap();
        let c = store::get_commitment(&mut tx, id).await.unwrap().unwrap();
        assert_eq!(
            c.current().unwrap().id,
            v1,
            "in force until the amendment is signed"
        );
        assert_eq!(c.pending_amendment().map(|v| v.id), Some(v2));
        store::sign_version(&mut tx, &a, id, v2, None, "{\"v\":2}")
            .await
            .unwrap();
        let c = store::get_commitment(&mut tx, id).await.unwrap().unwrap();
        assert_eq!(c.versions.len(), 2);
        assert_eq!(c.current().unwrap().id, v2);
        assert_eq!(
            c.state,
            S::Published,
            "an amendment leaves the state as it is"
        );
        assert_eq!(
            c.versions[0].content,
            content(t1),
            "the first version is kept as signed"
        );
        assert_eq!(c.versions[0].state, V::Signed);
        assert_eq!(c.versions[1].reason, "受汛期影响延期");
        assert_eq!(c.versions[1].content.task_ids, vec![t1, t2]);
        let events: Vec<String> = store::list_events(&mut tx, id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            events,
            [
                "draft", "submit", "approve", "sign", "amend", "edit", "submit", "approve", "sign"
            ]
        );
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn a_deputy_has_one_vote_per_project_and_year_until_voting_closes() {
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let mut tx = db.store.begin_write().await.unwrap();
        let (unit, person, t1, _) = setup(&mut tx).await;
        let a = audit();
        let p = livelihood::insert_project(
            &mut tx,
            &a,
            &NewProject {
                year: 2026,
                title: "老旧小区改造".into(),
                description: String::new(),
                lead_unit: Some(unit),
                milestones: vec![Milestone {
                    due: date(2026, 6, 30),
                    title: "开工".into(),
                }],
                task_ids: vec![t1],
            },
        )
        .await
        .unwrap();
        livelihood::save_vote(&mut tx, &a, p, person, 2026, Vote::Dissatisfied)
            .await
            .unwrap();
        livelihood::save_vote(&mut tx, &a, p, person, 2026, Vote::Satisfied)
            .await
            .unwrap();
        let votes = livelihood::list_votes(&mut tx, p).await.unwrap();
        assert_eq!(votes, vec![(person, 2026, Vote::Satisfied)], "{backend}");
        livelihood::close_voting(&mut tx, &a, p).await.unwrap();
        let late = livelihood::save_vote(&mut tx, &a, p, person, 2026, Vote::Abstain).await;
        assert!(
            matches!(late, Err(StoreError::Conflict { .. })),
            "{backend}"
        );
        let got = livelihood::get_project(&mut tx, p).await.unwrap().unwrap();
        assert!(got.voting_closed);
        assert_eq!(got.task_ids, vec![t1]);
        assert_eq!(got.milestones.len(), 1);
        tx.commit().await.unwrap();
    }
}
