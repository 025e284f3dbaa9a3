//! 审计员: reads everything, writes nothing but their own account.

use super::*;
use crate::cases::state::CaseState;
use crate::commitments::state::CommitmentState;

const SOMEWHERE: UnitId = UnitId(77);

fn auditor() -> Actor {
    Actor {
        user: Some(UserId(9)),
        person: Some(PersonId(9)),
        role: Some(Role::Auditor),
        scope: Scope::default(),
    }
}

/// One object of every kind, none of them the auditor's own or in their (empty) scope, each
/// in the state most closed to outsiders.
fn objects() -> Vec<Object<'static>> {
    static TASK: Object<'static> = Object::Task {
        lead_unit: SOMEWHERE,
        co_units: &[],
        leader: Some(PersonId(50)),
        person: Some(PersonId(51)),
        state: TaskState::Draft,
    };
    static CASE: Object<'static> = Object::Case {
        lead_unit: Some(SOMEWHERE),
        units: &[],
        leader: Some(PersonId(50)),
        handler: Some(PersonId(51)),
        raised_by: Some(PersonId(52)),
        state: CaseState::Handling,
    };
    vec![
        Object::City,
        Object::Unit {
            id: SOMEWHERE,
            active: false,
        },
        Object::Person {
            id: PersonId(50),
            unit: Some(SOMEWHERE),
            active: false,
        },
        Object::Account { id: UserId(1) },
        TASK,
        CASE,
        Object::Commitment {
            committer: PersonId(50),
            unit: Some(SOMEWHERE),
            state: CommitmentState::Drafted,
            supervisors: &[],
        },
        Object::Report {
            task: &TASK,
            state: ReportState::Draft,
        },
        Object::Attachment {
            attached_to: Some(&CASE),
            uploaders: &[],
        },
        Object::Attachment {
            attached_to: None,
            uploaders: &[],
        },
    ]
}

#[test]
fn the_auditor_may_read_everything_drafts_and_inactive_units_included() {
    let a = auditor();
    for action in Action::ALL.into_iter().filter(|a| a.is_read()) {
        for object in objects() {
            assert_eq!(decide(&a, action, object), Ok(()), "{action:?} {object:?}");
        }
    }
}

#[test]
fn the_auditor_may_write_nothing_of_anyone_elses() {
    let a = auditor();
    // The portal's two forms are open to everyone, signed in or not (a role cannot take
    // them away); the own account is the next test's.
    let not_here = [
        Action::PublicReport,
        Action::PublicEvaluate,
        Action::ManageOwnAccount,
        // A guest judge link is its own gate, like the portal's forms.
        Action::GuestScoreShowcase,
    ];
    for action in Action::ALL
        .into_iter()
        .filter(|a| !a.is_read() && !not_here.contains(a))
    {
        for object in objects() {
            assert!(
                decide(&a, action, object).is_err(),
                "{action:?} {object:?} is allowed"
            );
        }
    }
}

#[test]
fn the_auditor_keeps_their_own_account_and_only_that() {
    let a = auditor();
    let mine = Object::Account { id: UserId(9) };
    assert_eq!(decide(&a, Action::ManageOwnAccount, mine), Ok(()));
    assert_eq!(
        decide(
            &a,
            Action::ManageOwnAccount,
            Object::Account { id: UserId(1) }
        ),
        Err(Denied::OutOfScope)
    );
}

#[test]
fn reads_and_writes_are_told_apart_for_every_action_once() {
    let mut seen = std::collections::HashSet::new();
    for action in Action::ALL {
        assert!(seen.insert(action), "{action:?} is listed twice");
    }
    // The writes every role but the auditor has in some form.
    for write in [
        Action::EditTask,
        Action::ManageCase,
        Action::ReportProgress,
        Action::ManageOrg,
        Action::UploadFile,
        Action::SignCommitment,
    ] {
        assert!(!write.is_read(), "{write:?}");
    }
}

#[test]
fn other_roles_may_keep_uploads_and_the_auditor_may_not() {
    for role in Role::ALL {
        let actor = Actor {
            role: Some(role),
            user: Some(UserId(1)),
            ..Actor::default()
        };
        assert_eq!(
            decide(&actor, Action::UploadFile, Object::City).is_ok(),
            role != Role::Auditor,
            "{role}"
        );
    }
}
