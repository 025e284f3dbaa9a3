//! Evidence follows what it is attached to: a file on a progress report is read exactly by the
//! report's readers (a draft or a report waiting for the unit head stays inside the lead
//! unit), a file on a case step by the case's readers.

use super::*;
use crate::progress::report::ReportState;

const LEAD: UnitId = UnitId(1);
const CO: UnitId = UnitId(2);
const SPLIT: UnitId = UnitId(3);
const OUTSIDE: UnitId = UnitId(4);

/// Who looks, as (label, actor).
fn viewers() -> Vec<(&'static str, Actor)> {
    let member = |user: i64, role: Role, unit: UnitId| Actor {
        user: Some(UserId(user)),
        person: Some(PersonId(user)),
        role: Some(role),
        scope: Scope::new(Some(unit), [], []),
    };
    vec![
        ("lead head", member(1, Role::UnitHead, LEAD)),
        ("lead liaison", member(2, Role::UnitLiaison, LEAD)),
        ("lead staff", member(3, Role::SectionStaff, LEAD)),
        ("co-unit head", member(4, Role::UnitHead, CO)),
        ("co-unit liaison", member(5, Role::UnitLiaison, CO)),
        ("split-unit liaison", member(6, Role::UnitLiaison, SPLIT)),
        ("outsider head", member(7, Role::UnitHead, OUTSIDE)),
        ("office", member(8, Role::SupervisionOffice, OUTSIDE)),
        ("anonymous", Actor::default()),
    ]
}

/// A file attached to a report of the lead unit's task (co-unit `CO`) in `state`, as seen by
/// each viewer.
fn report_evidence(state: ReportState) -> Vec<(&'static str, Result<(), Denied>)> {
    let co = [CO];
    let task = Object::Task {
        lead_unit: LEAD,
        co_units: &co,
        leader: None,
        person: None,
        state: TaskState::Approved,
    };
    let report = Object::Report { task: &task, state };
    let file = Object::Attachment {
        attached_to: Some(&report),
        uploaders: &[],
    };
    viewers()
        .into_iter()
        .map(|(who, a)| {
            let got = decide(&a, Action::ViewAttachment, file);
            assert_eq!(
                got,
                decide(&a, Action::ViewReport, report),
                "{who}: the file and its report answer alike ({state:?})"
            );
            (who, got)
        })
        .collect()
}

const OK: Result<(), Denied> = Ok(());
const OUT: Result<(), Denied> = Err(Denied::OutOfScope);
const ANON: Result<(), Denied> = Err(Denied::NotSignedIn);

#[test]
fn evidence_on_a_draft_or_a_report_waiting_for_the_head_stays_in_the_lead_unit() {
    for state in [ReportState::Draft, ReportState::UnitReview] {
        assert_eq!(
            report_evidence(state),
            vec![
                ("lead head", OK),
                ("lead liaison", OK),
                ("lead staff", OUT),
                ("co-unit head", OUT),
                ("co-unit liaison", OUT),
                ("split-unit liaison", OUT),
                ("outsider head", OUT),
                ("office", OUT),
                ("anonymous", ANON),
            ],
            "{state:?}"
        );
    }
}

#[test]
fn evidence_on_a_sent_accepted_or_returned_report_is_read_by_every_reader_of_the_task() {
    for state in [
        ReportState::Submitted,
        ReportState::Accepted,
        ReportState::Returned,
    ] {
        assert_eq!(
            report_evidence(state),
            vec![
                ("lead head", OK),
                ("lead liaison", OK),
                ("lead staff", OK),
                ("co-unit head", OK),
                ("co-unit liaison", OK),
                ("split-unit liaison", OUT),
                ("outsider head", OUT),
                ("office", OK),
                ("anonymous", ANON),
            ],
            "{state:?}"
        );
    }
}

#[test]
fn the_person_responsible_for_a_task_reads_the_evidence_of_its_draft() {
    let task = Object::Task {
        lead_unit: LEAD,
        co_units: &[],
        leader: None,
        person: Some(PersonId(42)),
        state: TaskState::Approved,
    };
    let report = Object::Report {
        task: &task,
        state: ReportState::Draft,
    };
    let file = Object::Attachment {
        attached_to: Some(&report),
        uploaders: &[],
    };
    let mut responsible = actor(Role::PortfolioLeader);
    responsible.person = Some(PersonId(42));
    assert_eq!(decide(&responsible, Action::ViewAttachment, file), Ok(()));
    let deputy = actor(Role::Deputy);
    assert_eq!(
        decide(&deputy, Action::ViewAttachment, file),
        Err(Denied::Role)
    );
}

#[test]
fn evidence_on_a_case_step_is_read_by_every_reader_of_the_case() {
    let others = [CO, SPLIT];
    let case = Object::Case {
        lead_unit: Some(LEAD),
        units: &others,
        leader: None,
        handler: None,
        raised_by: None,
        state: CaseState::Handling,
    };
    let file = Object::Attachment {
        attached_to: Some(&case),
        uploaders: &[],
    };
    let got: Vec<_> = viewers()
        .into_iter()
        .map(|(who, a)| {
            let got = decide(&a, Action::ViewAttachment, file);
            assert_eq!(got, decide(&a, Action::ViewCase, case), "{who}");
            (who, got)
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("lead head", OK),
            ("lead liaison", OK),
            ("lead staff", OK),
            ("co-unit head", OK),
            ("co-unit liaison", OK),
            ("split-unit liaison", OK),
            ("outsider head", OUT),
            ("office", OK),
            ("anonymous", ANON),
        ]
    );
}

#[test]
fn evidence_on_a_task_is_read_by_the_readers_of_the_task() {
    let task = Object::Task {
        lead_unit: LEAD,
        co_units: &[CO],
        leader: None,
        person: None,
        state: TaskState::Approved,
    };
    let file = Object::Attachment {
        attached_to: Some(&task),
        uploaders: &[],
    };
    for (who, a) in viewers() {
        assert_eq!(
            decide(&a, Action::ViewAttachment, file),
            decide(&a, Action::ViewTask, task),
            "{who}"
        );
    }
}

#[test]
fn an_upload_not_attached_yet_is_read_by_its_uploaders_only() {
    let file = Object::Attachment {
        attached_to: None,
        uploaders: &[UserId(5), UserId(9)],
    };
    let got: Vec<_> = viewers()
        .into_iter()
        .map(|(who, a)| (who, decide(&a, Action::ViewAttachment, file).is_ok()))
        .filter(|(_, ok)| *ok)
        .collect();
    assert_eq!(got, vec![("co-unit liaison", true)]);
    // Holding the bytes already, an uploader reads the same content wherever it is attached.
    let task = Object::Task {
        lead_unit: LEAD,
        co_units: &[],
        leader: None,
        person: None,
        state: TaskState::Approved,
    };
    let draft = Object::Report {
        task: &task,
        state: ReportState::Draft,
    };
    let co_liaison = &viewers()[4].1;
    let attached = |uploaders| Object::Attachment {
        attached_to: Some(&draft),
        uploaders,
    };
    assert_eq!(
        decide(co_liaison, Action::ViewAttachment, attached(&[UserId(5)])),
        Ok(())
    );
    assert_eq!(
        decide(co_liaison, Action::ViewAttachment, attached(&[])),
        Err(Denied::OutOfScope)
    );
}
