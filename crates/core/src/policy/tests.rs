use super::*;
use crate::cases::state::CaseState;

const HOME: UnitId = UnitId(10);
const TASK_FORCE: UnitId = UnitId(20);
const PORTFOLIO: UnitId = UnitId(30);
const ELSEWHERE: UnitId = UnitId(99);

fn actor(role: Role) -> Actor {
    let portfolio = if role == Role::PortfolioLeader {
        vec![PORTFOLIO]
    } else {
        vec![]
    };
    let home = (role != Role::Deputy).then_some(HOME);
    Actor {
        user: Some(UserId(1)),
        person: Some(PersonId(1)),
        role: Some(role),
        scope: Scope::new(home, [TASK_FORCE], portfolio),
    }
}

fn unit(id: UnitId) -> Object<'static> {
    Object::Unit { id, active: true }
}

#[test]
fn the_anonymous_public_is_asked_to_sign_in_for_everything_internal() {
    let public = Actor::default();
    for action in [
        Action::ViewHome,
        Action::ViewDirectory,
        Action::ViewUnit,
        Action::ManageOrg,
    ] {
        assert_eq!(
            decide(&public, action, Object::City),
            Err(Denied::NotSignedIn)
        );
    }
}

#[test]
fn whole_city_roles_see_every_unit_even_inactive_ones() {
    for role in [Role::Admin, Role::SupervisionOffice, Role::TopLeader] {
        let a = actor(role);
        assert_eq!(decide(&a, Action::ViewUnit, unit(ELSEWHERE)), Ok(()));
        let inactive = Object::Unit {
            id: ELSEWHERE,
            active: false,
        };
        assert_eq!(decide(&a, Action::ViewUnit, inactive), Ok(()));
    }
}

#[test]
fn unit_roles_see_their_home_unit_and_task_forces_but_not_other_units() {
    for role in [Role::UnitHead, Role::UnitLiaison, Role::SectionStaff] {
        let a = actor(role);
        assert_eq!(decide(&a, Action::ViewUnit, unit(HOME)), Ok(()), "{role}");
        assert_eq!(
            decide(&a, Action::ViewUnit, unit(TASK_FORCE)),
            Ok(()),
            "{role}"
        );
        assert_eq!(
            decide(&a, Action::ViewUnit, unit(PORTFOLIO)),
            Err(Denied::OutOfScope)
        );
        assert_eq!(
            decide(&a, Action::ViewUnit, unit(ELSEWHERE)),
            Err(Denied::OutOfScope)
        );
    }
}

#[test]
fn a_portfolio_leader_sees_the_units_of_the_current_portfolio() {
    let a = actor(Role::PortfolioLeader);
    assert_eq!(decide(&a, Action::ViewUnit, unit(PORTFOLIO)), Ok(()));
    assert_eq!(
        decide(&a, Action::ViewUnit, unit(ELSEWHERE)),
        Err(Denied::OutOfScope)
    );
}

#[test]
fn an_inactive_unit_in_scope_is_hidden_from_unit_roles() {
    let a = actor(Role::UnitHead);
    let inactive = Object::Unit {
        id: HOME,
        active: false,
    };
    assert_eq!(
        decide(&a, Action::ViewUnit, inactive),
        Err(Denied::Inactive)
    );
}

#[test]
fn deputies_see_the_directory_but_no_unit_internals() {
    let a = actor(Role::Deputy);
    assert_eq!(decide(&a, Action::ViewDirectory, Object::City), Ok(()));
    assert_eq!(decide(&a, Action::ViewUnit, unit(HOME)), Err(Denied::Role));
    let someone = Object::Person {
        id: PersonId(5),
        unit: Some(HOME),
        active: true,
    };
    assert_eq!(decide(&a, Action::ViewPerson, someone), Err(Denied::Role));
}

#[test]
fn everyone_signed_in_sees_their_own_person_record() {
    for role in Role::ALL {
        let me = Object::Person {
            id: PersonId(1),
            unit: None,
            active: true,
        };
        assert_eq!(
            decide(&actor(role), Action::ViewPerson, me),
            Ok(()),
            "{role}"
        );
    }
}

#[test]
fn people_are_visible_exactly_where_their_unit_is() {
    let a = actor(Role::UnitLiaison);
    let colleague = Object::Person {
        id: PersonId(2),
        unit: Some(HOME),
        active: true,
    };
    let stranger = Object::Person {
        id: PersonId(3),
        unit: Some(ELSEWHERE),
        active: true,
    };
    let no_unit = Object::Person {
        id: PersonId(4),
        unit: None,
        active: true,
    };
    assert_eq!(decide(&a, Action::ViewPerson, colleague), Ok(()));
    assert_eq!(
        decide(&a, Action::ViewPerson, stranger),
        Err(Denied::OutOfScope)
    );
    assert_eq!(
        decide(&a, Action::ViewPerson, no_unit),
        Err(Denied::OutOfScope)
    );
}

#[test]
fn only_the_admin_manages_the_organisation_and_resets_passwords() {
    for role in Role::ALL {
        let expected = if role == Role::Admin {
            Ok(())
        } else {
            Err(Denied::Role)
        };
        assert_eq!(
            decide(&actor(role), Action::ManageOrg, Object::City),
            expected,
            "{role}"
        );
        let other = Object::Account { id: UserId(2) };
        assert_eq!(
            decide(&actor(role), Action::ResetPassword, other),
            expected,
            "{role}"
        );
    }
}

#[test]
fn the_ledger_is_for_the_admin_the_supervision_office_and_the_auditor() {
    for role in Role::ALL {
        let allowed = matches!(role, Role::Admin | Role::SupervisionOffice | Role::Auditor);
        assert_eq!(
            decide(&actor(role), Action::ViewLedger, Object::City).is_ok(),
            allowed
        );
    }
}

#[test]
fn one_manages_only_ones_own_account() {
    let a = actor(Role::Admin);
    assert_eq!(
        decide(
            &a,
            Action::ManageOwnAccount,
            Object::Account { id: UserId(1) }
        ),
        Ok(())
    );
    let other = Object::Account { id: UserId(2) };
    assert_eq!(
        decide(&a, Action::ManageOwnAccount, other),
        Err(Denied::OutOfScope)
    );
}

#[test]
fn scope_gathers_home_task_forces_and_portfolio_without_duplicates() {
    let s = Scope::new(Some(HOME), [TASK_FORCE, HOME], [PORTFOLIO]);
    assert_eq!(
        s.units.into_iter().collect::<Vec<_>>(),
        vec![HOME, TASK_FORCE, PORTFOLIO]
    );
}

fn task(lead_unit: UnitId, co_units: &[UnitId], state: TaskState) -> Object<'_> {
    Object::Task {
        lead_unit,
        co_units,
        leader: Some(PersonId(50)),
        person: Some(PersonId(51)),
        state,
    }
}

#[test]
fn a_task_is_seen_through_its_lead_unit_its_co_units_or_the_people_it_names() {
    let liaison = actor(Role::UnitLiaison);
    let draft = TaskState::Draft;
    assert_eq!(
        decide(&liaison, Action::ViewTask, task(HOME, &[], draft)),
        Ok(())
    );
    assert_eq!(
        decide(&liaison, Action::ViewTask, task(ELSEWHERE, &[HOME], draft)),
        Ok(())
    );
    assert_eq!(
        decide(&liaison, Action::ViewTask, task(ELSEWHERE, &[], draft)),
        Err(Denied::OutOfScope)
    );
    let mut leader = actor(Role::PortfolioLeader);
    leader.person = Some(PersonId(50));
    assert_eq!(
        decide(&leader, Action::ViewTask, task(ELSEWHERE, &[], draft)),
        Ok(())
    );
    assert_eq!(
        decide(
            &actor(Role::TopLeader),
            Action::ViewTask,
            task(ELSEWHERE, &[], draft)
        ),
        Ok(())
    );
    assert_eq!(
        decide(&actor(Role::Deputy), Action::ViewTasks, Object::City),
        Err(Denied::Role)
    );
}

#[test]
fn the_units_own_liaison_and_head_edit_drafts_but_not_approved_tasks() {
    for role in [Role::UnitLiaison, Role::UnitHead] {
        let a = actor(role);
        for state in [TaskState::Draft, TaskState::Returned] {
            assert_eq!(decide(&a, Action::EditTask, task(HOME, &[], state)), Ok(()));
        }
        assert_eq!(
            decide(&a, Action::EditTask, task(HOME, &[], TaskState::Approved)),
            Err(Denied::Locked)
        );
        assert_eq!(
            decide(&a, Action::EditTask, task(HOME, &[], TaskState::Submitted)),
            Err(Denied::Locked)
        );
        // A co-unit sees the task but does not write the lead unit's list.
        assert_eq!(
            decide(
                &a,
                Action::EditTask,
                task(ELSEWHERE, &[HOME], TaskState::Draft)
            ),
            Err(Denied::OutOfScope)
        );
    }
    assert_eq!(
        decide(
            &actor(Role::SectionStaff),
            Action::EditTask,
            task(HOME, &[], TaskState::Draft)
        ),
        Err(Denied::Role)
    );
}

#[test]
fn change_requests_are_proposed_by_the_lead_unit_and_decided_by_the_office() {
    let approved = TaskState::Approved;
    assert_eq!(
        decide(
            &actor(Role::UnitLiaison),
            Action::ProposeChange,
            task(HOME, &[], approved)
        ),
        Ok(())
    );
    assert_eq!(
        decide(
            &actor(Role::UnitLiaison),
            Action::ProposeChange,
            task(ELSEWHERE, &[], approved)
        ),
        Err(Denied::OutOfScope)
    );
    assert_eq!(
        decide(
            &actor(Role::SupervisionOffice),
            Action::DecideChange,
            Object::City
        ),
        Ok(())
    );
    for role in [
        Role::Admin,
        Role::UnitHead,
        Role::TopLeader,
        Role::PortfolioLeader,
    ] {
        assert_eq!(
            decide(&actor(role), Action::DecideChange, Object::City),
            Err(Denied::Role),
            "{role}"
        );
        assert_eq!(
            decide(&actor(role), Action::ReviewTask, Object::City),
            Err(Denied::Role),
            "{role}"
        );
    }
}

#[test]
fn only_a_unit_head_submits_the_units_lists_and_only_for_units_in_scope() {
    let head = actor(Role::UnitHead);
    assert_eq!(decide(&head, Action::SubmitTasks, unit(HOME)), Ok(()));
    assert_eq!(
        decide(&head, Action::SubmitTasks, unit(ELSEWHERE)),
        Err(Denied::OutOfScope)
    );
    assert_eq!(
        decide(&actor(Role::UnitLiaison), Action::SubmitTasks, unit(HOME)),
        Err(Denied::Role)
    );
}

#[test]
fn the_year_is_set_up_by_the_office_or_the_admin() {
    for role in Role::ALL {
        let expected = match role {
            Role::Admin | Role::SupervisionOffice => Ok(()),
            _ => Err(Denied::Role),
        };
        assert_eq!(
            decide(&actor(role), Action::ManagePlan, Object::City),
            expected,
            "{role}"
        );
    }
}

fn case(lead_unit: Option<UnitId>, units: &[UnitId]) -> Object<'_> {
    Object::Case {
        lead_unit,
        units,
        leader: Some(PersonId(50)),
        handler: Some(PersonId(51)),
        raised_by: Some(PersonId(52)),
        state: CaseState::Handling,
    }
}

#[test]
fn a_case_is_seen_through_its_units_its_leader_handler_and_raiser() {
    let liaison = actor(Role::UnitLiaison);
    assert_eq!(
        decide(&liaison, Action::ViewCase, case(Some(HOME), &[])),
        Ok(())
    );
    assert_eq!(
        decide(&liaison, Action::ViewCase, case(Some(ELSEWHERE), &[HOME])),
        Ok(())
    );
    assert_eq!(
        decide(&liaison, Action::ViewCase, case(Some(ELSEWHERE), &[])),
        Err(Denied::OutOfScope)
    );
    // Not yet assigned: only whole-city roles.
    assert_eq!(
        decide(&liaison, Action::ViewCase, case(None, &[])),
        Err(Denied::OutOfScope)
    );
    assert_eq!(
        decide(
            &actor(Role::SupervisionOffice),
            Action::ViewCase,
            case(None, &[])
        ),
        Ok(())
    );
    let mut deputy = actor(Role::Deputy);
    assert_eq!(
        decide(&deputy, Action::ViewCase, case(Some(HOME), &[])),
        Err(Denied::OutOfScope),
        "a deputy sees only what they raised"
    );
    deputy.person = Some(PersonId(52));
    assert_eq!(
        decide(&deputy, Action::ViewCase, case(Some(ELSEWHERE), &[])),
        Ok(())
    );
    assert_eq!(
        decide(&deputy, Action::RateCase, case(Some(ELSEWHERE), &[])),
        Ok(())
    );
    assert_eq!(
        decide(
            &actor(Role::Deputy),
            Action::RateCase,
            case(Some(HOME), &[])
        ),
        Err(Denied::OutOfScope)
    );
    let mut handler = actor(Role::SectionStaff);
    handler.person = Some(PersonId(51));
    assert_eq!(
        decide(&handler, Action::ViewCase, case(Some(ELSEWHERE), &[])),
        Ok(())
    );
}

#[test]
fn the_lead_unit_handles_its_head_concludes_and_co_units_give_opinions() {
    let lead = case(Some(HOME), &[]);
    let co = case(Some(ELSEWHERE), &[HOME]);
    for role in [Role::UnitHead, Role::UnitLiaison] {
        let a = actor(role);
        assert_eq!(decide(&a, Action::HandleCase, lead), Ok(()));
        assert_eq!(decide(&a, Action::HandleCase, co), Err(Denied::OutOfScope));
        assert_eq!(decide(&a, Action::GiveOpinion, co), Ok(()));
        assert_eq!(
            decide(&a, Action::GiveOpinion, lead),
            Err(Denied::OutOfScope)
        );
    }
    assert_eq!(
        decide(&actor(Role::UnitHead), Action::ConcludeCase, lead),
        Ok(())
    );
    assert_eq!(
        decide(&actor(Role::UnitLiaison), Action::ConcludeCase, lead),
        Err(Denied::Role)
    );
    // The person it was dispatched to reports on it, and concludes nothing.
    let mut staff = actor(Role::SectionStaff);
    assert_eq!(decide(&staff, Action::HandleCase, lead), Err(Denied::Role));
    staff.person = Some(PersonId(51));
    assert_eq!(decide(&staff, Action::HandleCase, lead), Ok(()));
    assert_eq!(
        decide(&staff, Action::ConcludeCase, lead),
        Err(Denied::Role)
    );
    // The office manages but does not act for the unit.
    let office = actor(Role::SupervisionOffice);
    assert_eq!(decide(&office, Action::ManageCase, lead), Ok(()));
    assert_eq!(decide(&office, Action::HandleCase, co), Err(Denied::Role));
}

#[test]
fn cases_are_registered_by_the_office_and_leaders_and_instructed_by_leaders() {
    for (role, registers) in [
        (Role::SupervisionOffice, true),
        (Role::TopLeader, true),
        (Role::PortfolioLeader, true),
        (Role::UnitHead, false),
        (Role::UnitLiaison, false),
        (Role::Deputy, false),
        (Role::Admin, false),
    ] {
        let got = decide(&actor(role), Action::RegisterCase, Object::City);
        assert_eq!(got.is_ok(), registers, "{role:?}");
    }
    let leader = actor(Role::PortfolioLeader);
    assert_eq!(
        decide(&leader, Action::InstructCase, case(Some(PORTFOLIO), &[])),
        Ok(())
    );
    assert_eq!(
        decide(&leader, Action::InstructCase, case(Some(ELSEWHERE), &[])),
        Err(Denied::OutOfScope)
    );
    assert_eq!(
        decide(
            &actor(Role::UnitHead),
            Action::InstructCase,
            case(Some(HOME), &[])
        ),
        Err(Denied::Role)
    );
    assert_eq!(
        decide(
            &actor(Role::UnitHead),
            Action::ManageCase,
            case(Some(HOME), &[])
        ),
        Err(Denied::Role)
    );
}

#[test]
fn progress_is_reported_by_the_lead_unit_or_the_responsible_person_and_approved_by_its_head() {
    let approved = TaskState::Approved;
    let mine = task(HOME, &[], approved);
    let co_only = task(ELSEWHERE, &[HOME], approved);
    for role in [Role::UnitHead, Role::UnitLiaison] {
        let a = actor(role);
        assert_eq!(decide(&a, Action::ReportProgress, mine), Ok(()), "{role}");
        assert_eq!(
            decide(&a, Action::ReportProgress, co_only),
            Err(Denied::OutOfScope),
            "a co-unit does not report for the lead unit ({role})"
        );
    }
    assert_eq!(
        decide(&actor(Role::UnitHead), Action::ApproveReport, mine),
        Ok(())
    );
    assert_eq!(
        decide(&actor(Role::UnitLiaison), Action::ApproveReport, mine),
        Err(Denied::Role)
    );
    // The responsible person named on the task reports whatever their role.
    let mut staff = actor(Role::PortfolioLeader);
    staff.person = Some(PersonId(51));
    assert_eq!(decide(&staff, Action::ReportProgress, co_only), Ok(()));
    assert_eq!(
        decide(&staff, Action::ApproveReport, co_only),
        Err(Denied::Role)
    );
    for role in [Role::SupervisionOffice, Role::TopLeader, Role::Deputy] {
        assert_eq!(
            decide(&actor(role), Action::ReportProgress, mine),
            Err(Denied::Role),
            "{role}"
        );
    }
}

#[test]
fn only_the_office_accepts_reports_and_deputies_have_no_dashboard() {
    for role in Role::ALL {
        let a = actor(role);
        assert_eq!(
            decide(&a, Action::AcceptReport, Object::City).is_ok(),
            role == Role::SupervisionOffice,
            "{role}"
        );
        assert_eq!(
            decide(&a, Action::ViewDashboard, Object::City).is_ok(),
            role != Role::Deputy,
            "{role}"
        );
    }
}

mod commitments {
    use super::*;
    use crate::commitments::state::CommitmentState;

    const ME: PersonId = PersonId(1);
    const SOMEONE: PersonId = PersonId(2);

    fn commitment(committer: PersonId, unit: UnitId, state: CommitmentState) -> Object<'static> {
        Object::Commitment {
            committer,
            unit: Some(unit),
            state,
            supervisors: &[],
        }
    }

    #[test]
    fn leaders_and_unit_heads_draft_commitments_and_nobody_else_does() {
        for role in Role::ALL {
            let want = matches!(
                role,
                Role::TopLeader | Role::PortfolioLeader | Role::UnitHead
            );
            assert_eq!(
                decide(&actor(role), Action::DraftCommitment, Object::City).is_ok(),
                want,
                "{role}"
            );
        }
    }

    #[test]
    fn only_the_committer_edits_signs_and_reports_on_a_commitment() {
        let head = actor(Role::UnitHead);
        let mine = commitment(ME, HOME, CommitmentState::Approved);
        let theirs = commitment(SOMEONE, HOME, CommitmentState::Approved);
        for action in [Action::DraftCommitment, Action::SignCommitment] {
            assert_eq!(decide(&head, action, mine), Ok(()));
            assert_eq!(decide(&head, action, theirs), Err(Denied::OutOfScope));
        }
        // The office reviews but never signs for someone.
        let office = actor(Role::SupervisionOffice);
        assert_eq!(
            decide(&office, Action::SignCommitment, theirs),
            Err(Denied::Role)
        );
        assert_eq!(decide(&office, Action::ReviewCommitment, theirs), Ok(()));
        assert_eq!(
            decide(&head, Action::ReviewCommitment, mine),
            Err(Denied::Role)
        );
    }

    #[test]
    fn a_draft_is_seen_by_its_committer_whole_city_roles_and_its_unit_but_not_deputies() {
        let draft = commitment(SOMEONE, ELSEWHERE, CommitmentState::UnderReview);
        let in_home = commitment(SOMEONE, HOME, CommitmentState::Drafted);
        assert_eq!(
            decide(&actor(Role::TopLeader), Action::ViewCommitment, draft),
            Ok(())
        );
        assert_eq!(
            decide(&actor(Role::UnitLiaison), Action::ViewCommitment, draft),
            Err(Denied::OutOfScope)
        );
        assert_eq!(
            decide(&actor(Role::UnitLiaison), Action::ViewCommitment, in_home),
            Ok(())
        );
        assert_eq!(
            decide(&actor(Role::Deputy), Action::ViewCommitment, draft),
            Err(Denied::OutOfScope)
        );
        let own = commitment(ME, ELSEWHERE, CommitmentState::Drafted);
        assert_eq!(
            decide(&actor(Role::PortfolioLeader), Action::ViewCommitment, own),
            Ok(())
        );
    }

    #[test]
    fn a_published_commitment_is_seen_by_everyone_signed_in_including_deputies() {
        let published = commitment(SOMEONE, ELSEWHERE, CommitmentState::Fulfilling);
        for role in Role::ALL {
            assert_eq!(
                decide(&actor(role), Action::ViewCommitment, published),
                Ok(()),
                "{role}"
            );
        }
        assert_eq!(
            decide(&Actor::default(), Action::ViewCommitment, published),
            Err(Denied::NotSignedIn)
        );
    }

    #[test]
    fn deputies_evaluate_and_vote_and_the_office_records_the_public() {
        let evaluated = commitment(SOMEONE, ELSEWHERE, CommitmentState::UnderEvaluation);
        for role in Role::ALL {
            let evaluates = matches!(role, Role::Deputy | Role::SupervisionOffice);
            assert_eq!(
                decide(&actor(role), Action::EvaluateCommitment, evaluated).is_ok(),
                evaluates,
                "{role}"
            );
            assert_eq!(
                decide(&actor(role), Action::VoteLivelihood, Object::City).is_ok(),
                role == Role::Deputy,
                "{role}"
            );
            assert_eq!(
                decide(&actor(role), Action::ManageLivelihood, Object::City).is_ok(),
                role == Role::SupervisionOffice,
                "{role}"
            );
        }
        let draft = commitment(SOMEONE, ELSEWHERE, CommitmentState::Drafted);
        assert_eq!(
            decide(&actor(Role::Deputy), Action::EvaluateCommitment, draft),
            Err(Denied::OutOfScope)
        );
    }
}

#[test]
fn the_anonymous_public_may_read_the_portal_and_report_but_not_moderate() {
    let public = Actor::default();
    assert_eq!(decide(&public, Action::PublicView, Object::City), Ok(()));
    assert_eq!(decide(&public, Action::PublicReport, Object::City), Ok(()));
    assert_eq!(
        decide(&public, Action::PublicEvaluate, Object::City),
        Ok(())
    );
    assert_eq!(
        decide(&public, Action::ModerateIntake, Object::City),
        Err(Denied::NotSignedIn)
    );
    // Evaluating as a citizen is not evaluating as a supervisor.
    assert_eq!(
        decide(&public, Action::EvaluateCommitment, Object::City),
        Err(Denied::NotSignedIn)
    );
}

#[test]
fn only_the_supervision_office_moderates_the_intake_queue() {
    for role in Role::ALL {
        let want = if role == Role::SupervisionOffice {
            Ok(())
        } else {
            Err(Denied::Role)
        };
        assert_eq!(
            decide(&actor(role), Action::ModerateIntake, Object::City),
            want,
            "{role}"
        );
        assert_eq!(
            decide(&actor(role), Action::PublicReport, Object::City),
            Ok(())
        );
    }
}

mod county;
mod evidence;
mod parts;
