//! The one authorization policy: may this actor do this action to this object?
//!
//! Every handler asks [`decide`] and nothing else decides access. The answer depends on the
//! actor's role, the actor's scope (home unit, task forces, current portfolio) and the object's
//! state (an inactive unit is visible only to whole-city roles). Scope is data of the actor,
//! computed once per request by the caller from memberships and dated portfolios with
//! [`Scope::new`].

use crate::cases::state::CaseState;
use crate::commitments::state::CommitmentState;
use crate::lists::state::TaskState;
use crate::org::{PersonId, UnitId, UserId};
use crate::progress::report::ReportState;
use crate::proposals::kind::Kind as ProposalKind;
use crate::role::Role;
use crate::showcase::state::EventState;
use std::collections::BTreeSet;

/// Who is asking. `role == None` is the anonymous public.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub user: Option<UserId>,
    pub person: Option<PersonId>,
    pub role: Option<Role>,
    pub scope: Scope,
}

/// The units an actor may see beyond what is public.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// The person's home unit (primary membership), if any.
    pub home_unit: Option<UnitId>,
    /// Every unit the actor may see: home unit, task forces / command HQs they are members of,
    /// and, for leaders, the units of their current portfolio.
    pub units: BTreeSet<UnitId>,
}

impl Scope {
    /// Builds a scope from the actor's memberships and the units of portfolios valid today.
    pub fn new(
        home_unit: Option<UnitId>,
        member_of: impl IntoIterator<Item = UnitId>,
        portfolio_units: impl IntoIterator<Item = UnitId>,
    ) -> Scope {
        let mut units: BTreeSet<UnitId> = member_of.into_iter().collect();
        units.extend(portfolio_units);
        units.extend(home_unit);
        Scope { home_unit, units }
    }
}

/// What the actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See the signed-in home page ("my work").
    ViewHome,
    /// See the list of units (names and kinds) and who leads the city.
    ViewDirectory,
    /// See a unit's sections, posts, people and leaders.
    ViewUnit,
    /// See a person's details (contact data included).
    ViewPerson,
    /// See the table of leader portfolios (分管).
    ViewPortfolios,
    /// Create, edit, deactivate units, sections, posts, people and portfolios.
    ManageOrg,
    /// Set a new password for someone else's account.
    ResetPassword,
    /// Read the audit ledger (every entry with its before/after), its verification and its
    /// exports — the office, the admin and the auditor.
    ViewLedger,
    /// Change one's own password, manage one's own API tokens.
    ManageOwnAccount,
    /// Set up a year: campaigns, list kinds in use, reporting cadence; name aliases for imports.
    ManagePlan,
    /// Browse the four lists (each row is still filtered by scope).
    ViewTasks,
    /// Open one task.
    ViewTask,
    /// Create, edit, decompose or import a task of a unit's list while it is a draft or returned.
    EditTask,
    /// 报送 — submit a unit's lists to the supervision office (unit head).
    SubmitTasks,
    /// 审定 / 退回 — approve a submitted task or return it with a comment (supervision office).
    ReviewTask,
    /// 调整申请 — propose a change to an approved task's baseline.
    ProposeChange,
    /// Approve or reject a change request (supervision office).
    DecideChange,
    /// Browse cases (each row is still filtered by scope).
    ViewCases,
    /// Open one case with its timeline.
    ViewCase,
    /// 立项 — register a case: a leader's instruction, an inspection finding, a meeting's
    /// decisions (supervision office and leaders).
    RegisterCase,
    /// 交办, decide returns and proposals, verify, rework, 销号, suspend and resume, reopen,
    /// record interviews, set the year's deadline windows (supervision office).
    ManageCase,
    /// 签收, 续报, ask for coordination — the lead unit's head and liaison, and the person the
    /// case was dispatched to.
    HandleCase,
    /// Dispatch inside the unit, ask to return it, declare it done, propose 常态落实 or 挂账 —
    /// the lead unit's head.
    ConcludeCase,
    /// 协办意见 — a co-unit's opinion to the lead unit.
    GiveOpinion,
    /// 批示 — a leader's instruction on a case they can see.
    InstructCase,
    /// Rate the feedback (满意 / 基本满意 / 不满意) — the person who raised the case.
    RateCase,
    /// 填报 — write and send a task's progress report: the lead unit's head and liaison, and
    /// the person the task names as responsible.
    ReportProgress,
    /// Approve a unit's report before it goes out, or send it back — the lead unit's head.
    ApproveReport,
    /// Accept or return a submitted report; set a task's light by hand with a reason
    /// (supervision office).
    AcceptReport,
    /// Read one progress report with its timeline. A report still inside its unit (a draft,
    /// or waiting for the head) is read by those who write or approve it; once sent out, by
    /// everyone who sees the task.
    ViewReport,
    /// Read an evidence file (附件: download, thumbnail, listing): exactly when the actor may
    /// read what it is attached to — the report ([`Action::ViewReport`]), the case whose
    /// timeline holds the step ([`Action::ViewCase`]), the task ([`Action::ViewTask`]) — or
    /// uploaded the same content themselves (they hold the bytes already).
    ViewAttachment,
    /// See the dashboards (the numbers are still limited to the reader's scope).
    ViewDashboard,
    /// Browse commitments (each row is still filtered by [`Action::ViewCommitment`]).
    ViewCommitments,
    /// Open one commitment: published ones are public; drafts are seen by the committer,
    /// whole-city roles and those whose scope holds the committer's unit.
    ViewCommitment,
    /// 承诺起草 — draft a commitment (leaders and unit heads, for themselves), edit one's own
    /// draft, or start an amendment of one's own published commitment.
    DraftCommitment,
    /// Review a draft or an amendment (approve, return with a comment), open 践诺 tracking
    /// and conclude the evaluation (supervision office).
    ReviewCommitment,
    /// 签诺 — sign an approved version, and file the year-end self report: the committer only.
    SignCommitment,
    /// 评诺 — evaluate a commitment under evaluation: deputies and members for themselves,
    /// the supervision office to record the public's evaluations.
    EvaluateCommitment,
    /// See livelihood projects (民生实事) and their vote counts.
    ViewLivelihood,
    /// Create livelihood projects and close their voting (supervision office).
    ManageLivelihood,
    /// 票决 — a deputy's year-end satisfaction vote on a livelihood project.
    VoteLivelihood,
    /// The public portal: published items, open data, the feed, a report's public status.
    /// Allowed to everyone, the anonymous public included; what it shows is public by
    /// construction (only fields marked public are read).
    PublicView,
    /// 我要反映 — file a problem report on the portal or through Open311 (everyone).
    PublicReport,
    /// 评诺 on the portal — a citizen's evaluation of a published commitment under evaluation
    /// (everyone; one per browser, its weight capped by `core::commitments::evaluation`).
    PublicEvaluate,
    /// The intake queue of public reports: read them with their contact data, accept them
    /// into the closed loop or refuse them, publish a reply (supervision office).
    ModerateIntake,
    /// Keep an uploaded file for a later step: a progress sheet to import, an evidence file to
    /// attach. Every signed-in role but the auditor (the step itself is asked about again).
    UploadFile,
    // ── Assessment (督考): rules in `policy::assessment`. ──
    /// A unit's scores with every point behind them: the unit itself, those whose scope holds
    /// it, whole-city roles.
    ViewScores,
    /// The group tables (rankings and stars): the office, leaders and, where the year's
    /// scheme opens them to units, every unit.
    ViewRankings,
    /// Adopt a new version of a year's scheme; refresh the score events (supervision office).
    ManageScheme,
    /// Propose a manual score event (领导批示肯定, 通报批评, 弄虚作假) (supervision office).
    ProposeScore,
    /// Approve or reject a manual event proposed by another officer (supervision office).
    DecideScore,
    /// 申诉 — object to a score event of one's own unit (its head).
    AppealScore,
    /// Grant or refuse an appeal (supervision office).
    DecideAppeal,
    /// Read a bulletin (通报): issued ones every unit and leader, drafts the office only.
    ViewBulletin,
    /// Generate a bulletin's draft, edit its commentary, issue it, set the year's number
    /// prefix and schedule (supervision office).
    ManageBulletins,
    // — Suggestions and proposals (人大代表建议 · 政协提案) —
    /// Browse suggestions and proposals (each row is still filtered by
    /// [`Action::ViewProposal`]).
    ViewProposals,
    /// Open one item with its units, contacts, replies and ratings: whole-city roles, the
    /// office of its kind, its proposer and co-signers, its supervising leader, and anyone
    /// whose scope holds one of its units.
    ViewProposal,
    /// The rates (按时办复率, 满意率 …) and their drill-downs: everyone but deputies.
    ViewProposalRates,
    /// A deputy or member files an item online between sessions, or withdraws their own.
    SubmitProposal,
    /// Register, import, accept (立案), reject and merge items: the office of the item's kind.
    IntakeProposal,
    /// 交办, decide adjustment requests, review replies (may correct the class), approve
    /// extensions, set the year's windows: the government office (the supervision office).
    HandOutProposal,
    /// 签收, ask for an adjustment, record contacts, draft the reply, 续报, ask for an
    /// extension: the head and liaison of the lead unit (or of a split unit).
    HandleProposal,
    /// Sign the reviewed reply: the lead unit's head.
    SignProposalReply,
    /// 协办意见 and 会签: the head and liaison of a co-unit.
    CountersignProposal,
    /// Rate a reply: its proposer or a co-signer, in their own (deputy) account — never a unit.
    RateProposal,
    // — 晒拼 (half-year showcase) —
    /// See showcases: a published one (results, unit pages) by everyone signed in; a draft,
    /// live or locked one by whole-city roles, and a presenter's own page by its unit.
    ViewShowcase,
    /// Read every raw score card (judge, time, scores) and export them: the office (and,
    /// as a read, the auditor).
    ViewShowcaseCards,
    /// Set up a showcase, its panel and guest judge links; open and close scoring; lock and
    /// publish the results (supervision office).
    ManageShowcase,
    /// Write a presenting unit's highlights and 短板与差距: that unit's head and liaison (and
    /// the office).
    FillShowcase,
    /// Score a presenter as a signed-in judge: any signed-in role but the auditor, never for
    /// one's own unit (whether one sits on the panel is data, checked by the service).
    ScoreShowcase,
    /// Score as a guest judge through a one-time judge link: anyone holding a valid link
    /// (the link itself is the gate, checked by the service).
    GuestScoreShowcase,
    // ── County and township as one (县乡一体, issue 19) ─────────────────────────────────────
    /// Browse and search the territorial duty list (属地管理事项责任清单): everyone signed in.
    ViewDuties,
    /// Edit, import and replace entries of the duty list, and set the year's working hours
    /// and report-in window of joint matters (supervision office).
    ManageDuties,
    /// 吹哨 — a town's head or liaison raises a joint matter (联办) for its own town
    /// ([`Object::Unit`]: the town).
    RaiseJoint,
    /// See a joint matter, its report-ins and ratings ([`Object::Joint`]): whole-city roles,
    /// the town and the departments it names; on [`Object::City`], the lists and dashboards
    /// (rows still filtered by scope). Never deputies.
    ViewJoint,
    /// 报到, feedback and rating the town's coordination — a head or liaison of a department
    /// the joint matter names; any other unit is refused with [`Denied::NotNamed`].
    ActAsNamedDepartment,
    /// Coordinate, verify and close a joint matter and rate its departments — the town's head
    /// or liaison.
    CoordinateJoint,
}

impl Action {
    /// Every action, for tests that walk the whole policy.
    pub const ALL: [Action; 77] = [
        Action::ViewHome,
        Action::ViewDirectory,
        Action::ViewUnit,
        Action::ViewPerson,
        Action::ViewPortfolios,
        Action::ManageOrg,
        Action::ResetPassword,
        Action::ViewLedger,
        Action::ManageOwnAccount,
        Action::ManagePlan,
        Action::ViewTasks,
        Action::ViewTask,
        Action::EditTask,
        Action::SubmitTasks,
        Action::ReviewTask,
        Action::ProposeChange,
        Action::DecideChange,
        Action::ViewCases,
        Action::ViewCase,
        Action::RegisterCase,
        Action::ManageCase,
        Action::HandleCase,
        Action::ConcludeCase,
        Action::GiveOpinion,
        Action::InstructCase,
        Action::RateCase,
        Action::ReportProgress,
        Action::ApproveReport,
        Action::AcceptReport,
        Action::ViewReport,
        Action::ViewAttachment,
        Action::ViewDashboard,
        Action::ViewCommitments,
        Action::ViewCommitment,
        Action::DraftCommitment,
        Action::ReviewCommitment,
        Action::SignCommitment,
        Action::EvaluateCommitment,
        Action::ViewLivelihood,
        Action::ManageLivelihood,
        Action::VoteLivelihood,
        Action::PublicView,
        Action::PublicReport,
        Action::PublicEvaluate,
        Action::ModerateIntake,
        Action::UploadFile,
        Action::ViewScores,
        Action::ViewRankings,
        Action::ManageScheme,
        Action::ProposeScore,
        Action::DecideScore,
        Action::AppealScore,
        Action::DecideAppeal,
        Action::ViewBulletin,
        Action::ManageBulletins,
        Action::ViewProposals,
        Action::ViewProposal,
        Action::ViewProposalRates,
        Action::SubmitProposal,
        Action::IntakeProposal,
        Action::HandOutProposal,
        Action::HandleProposal,
        Action::SignProposalReply,
        Action::CountersignProposal,
        Action::RateProposal,
        Action::ViewShowcase,
        Action::ViewShowcaseCards,
        Action::ManageShowcase,
        Action::FillShowcase,
        Action::ScoreShowcase,
        Action::GuestScoreShowcase,
        Action::ViewDuties,
        Action::ManageDuties,
        Action::RaiseJoint,
        Action::ViewJoint,
        Action::ActAsNamedDepartment,
        Action::CoordinateJoint,
    ];

    /// Whether the action only reads. The auditor may take exactly these (and keep their own
    /// account); a new action must be classified here, which the compiler enforces.
    pub fn is_read(self) -> bool {
        match self {
            Action::ViewHome
            | Action::ViewDirectory
            | Action::ViewUnit
            | Action::ViewPerson
            | Action::ViewPortfolios
            | Action::ViewLedger
            | Action::ViewTasks
            | Action::ViewTask
            | Action::ViewCases
            | Action::ViewCase
            | Action::ViewReport
            | Action::ViewAttachment
            | Action::ViewDashboard
            | Action::ViewCommitments
            | Action::ViewCommitment
            | Action::ViewLivelihood
            | Action::ViewScores
            | Action::ViewRankings
            | Action::ViewBulletin
            | Action::PublicView
            | Action::ViewProposals
            | Action::ViewProposal
            | Action::ViewProposalRates
            | Action::ViewShowcase
            | Action::ViewShowcaseCards
            | Action::ViewDuties
            | Action::ViewJoint => true,
            Action::ManageOrg
            | Action::ResetPassword
            | Action::ManageOwnAccount
            | Action::ManagePlan
            | Action::EditTask
            | Action::SubmitTasks
            | Action::ReviewTask
            | Action::ProposeChange
            | Action::DecideChange
            | Action::RegisterCase
            | Action::ManageCase
            | Action::HandleCase
            | Action::ConcludeCase
            | Action::GiveOpinion
            | Action::InstructCase
            | Action::RateCase
            | Action::ReportProgress
            | Action::ApproveReport
            | Action::AcceptReport
            | Action::DraftCommitment
            | Action::ReviewCommitment
            | Action::SignCommitment
            | Action::EvaluateCommitment
            | Action::ManageLivelihood
            | Action::VoteLivelihood
            | Action::PublicReport
            | Action::PublicEvaluate
            | Action::ModerateIntake
            | Action::UploadFile
            | Action::ManageScheme
            | Action::ProposeScore
            | Action::DecideScore
            | Action::AppealScore
            | Action::DecideAppeal
            | Action::ManageBulletins
            | Action::SubmitProposal
            | Action::IntakeProposal
            | Action::HandOutProposal
            | Action::HandleProposal
            | Action::SignProposalReply
            | Action::CountersignProposal
            | Action::RateProposal
            | Action::ManageShowcase
            | Action::FillShowcase
            | Action::ScoreShowcase
            | Action::GuestScoreShowcase
            | Action::ManageDuties
            | Action::RaiseJoint
            | Action::ActAsNamedDepartment
            | Action::CoordinateJoint => false,
        }
    }
}

/// What the action is done to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object<'a> {
    /// The city as a whole (lists, forms that create things).
    City,
    /// One unit, with whether it is still active.
    Unit { id: UnitId, active: bool },
    /// One person, seen through the unit they belong to (`None`: no unit, e.g. a deputy).
    Person {
        id: PersonId,
        unit: Option<UnitId>,
        active: bool,
    },
    /// One login account.
    Account { id: UserId },
    /// A task of the four lists: the units it is assigned to and the people it names. A task
    /// about to be created is asked about as a draft with its intended lead unit.
    Task {
        lead_unit: UnitId,
        co_units: &'a [UnitId],
        leader: Option<PersonId>,
        person: Option<PersonId>,
        state: TaskState,
    },
    /// A case of the closed loop: its lead unit, co- and split units, the leader answerable,
    /// the person it was dispatched to and the person who raised it.
    Case {
        lead_unit: Option<UnitId>,
        units: &'a [UnitId],
        leader: Option<PersonId>,
        handler: Option<PersonId>,
        raised_by: Option<PersonId>,
        state: CaseState,
    },
    /// A commitment: who committed (and their unit), its state and its named supervisors.
    Commitment {
        committer: PersonId,
        unit: Option<UnitId>,
        state: CommitmentState,
        supervisors: &'a [PersonId],
    },
    /// A progress report: the task it reports on (an [`Object::Task`]) and where it is in its
    /// lifecycle.
    Report {
        task: &'a Object<'a>,
        state: ReportState,
    },
    /// The group tables of a year's assessment: whether its scheme opens them to every unit.
    Rankings { open_to_units: bool },
    /// A bulletin (通报): whether it has been issued.
    Bulletin { issued: bool },
    /// An evidence file: what it is attached to (`None`: not attached yet) and the accounts
    /// that uploaded this content.
    Attachment {
        attached_to: Option<&'a Object<'a>>,
        uploaders: &'a [UserId],
    },
    /// A suggestion or proposal: its kind, its units once handed out, its proposer,
    /// co-signers and supervising leader. An item about to be registered is asked about with
    /// its kind and proposer.
    Proposal {
        kind: ProposalKind,
        lead_unit: Option<UnitId>,
        co_units: &'a [UnitId],
        split_units: &'a [UnitId],
        proposer: Option<PersonId>,
        cosigners: &'a [PersonId],
        leader: Option<PersonId>,
    },
    /// A showcase (晒拼) as a whole.
    Showcase { state: EventState },
    /// One presenting unit of a showcase: its page, its statement, the cards about it.
    Presenter { unit: UnitId, state: EventState },
    /// A joint matter (联办): the town that raised it and the departments it names.
    Joint {
        town: UnitId,
        departments: &'a [UnitId],
    },
}

impl Object<'static> {
    /// A split unit's own part of a case (分办, `core::cases::part`), asked about as a case
    /// that unit leads: its head and liaison handle the part and its head concludes it, the
    /// office verifies it as any case; the lead unit and the other split units are out of
    /// scope for it. `state` is the part's own state.
    pub fn case_part(unit: UnitId, state: CaseState) -> Object<'static> {
        Object::Case {
            lead_unit: Some(unit),
            units: &[],
            leader: None,
            handler: None,
            raised_by: None,
            state,
        }
    }
}

/// Why an action was refused, in words for the person refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("please sign in first")]
    NotSignedIn,
    #[error("your role does not allow this")]
    Role,
    #[error("this is outside the units you are responsible for")]
    OutOfScope,
    #[error("this item is no longer active")]
    Inactive,
    #[error("this task is approved: its baseline changes only through a change request")]
    Locked,
    /// A unit acting on a joint matter that does not name it.
    #[error("your unit is not named in this joint matter")]
    NotNamed,
}

/// The single entry point: `Ok(())` to proceed, or the reason for refusal.
pub fn decide(actor: &Actor, action: Action, object: Object<'_>) -> Result<(), Denied> {
    if matches!(
        action,
        Action::PublicView
            | Action::PublicReport
            | Action::PublicEvaluate
            | Action::GuestScoreShowcase
    ) {
        return Ok(());
    }
    let Some(role) = actor.role else {
        return Err(Denied::NotSignedIn);
    };
    if role == Role::Auditor {
        return audit(actor, action, object);
    }
    match action {
        Action::ViewHome | Action::ManageOwnAccount => match object {
            Object::Account { id } if actor.user != Some(id) => Err(Denied::OutOfScope),
            _ => Ok(()),
        },
        Action::ViewDirectory | Action::ViewPortfolios => Ok(()),
        Action::ViewUnit => match object {
            Object::Unit { id, active } => see_unit(actor, role, id, active),
            _ => Ok(()),
        },
        Action::ViewPerson => match object {
            Object::Person { id, .. } if actor.person == Some(id) => Ok(()),
            Object::Person {
                unit: Some(unit),
                active,
                ..
            } => see_unit(actor, role, unit, active),
            Object::Person { unit: None, .. } if role.sees_whole_city() => Ok(()),
            _ => Err(Denied::OutOfScope),
        },
        Action::ManageOrg | Action::ResetPassword => match role {
            Role::Admin => Ok(()),
            _ => Err(Denied::Role),
        },
        Action::ViewLedger | Action::ManagePlan => match role {
            Role::Admin | Role::SupervisionOffice => Ok(()),
            _ => Err(Denied::Role),
        },
        Action::UploadFile => Ok(()),
        Action::ViewScores
        | Action::ViewRankings
        | Action::ManageScheme
        | Action::ProposeScore
        | Action::DecideScore
        | Action::AppealScore
        | Action::DecideAppeal
        | Action::ViewBulletin
        | Action::ManageBulletins => assessment::decide(actor, role, action, object),
        Action::ViewTasks | Action::ViewTask => match (role, object) {
            (Role::Deputy, _) => Err(Denied::Role),
            (_, Object::Task { .. }) => see_task(actor, role, object),
            _ => Ok(()),
        },
        Action::EditTask | Action::ProposeChange => {
            let Object::Task {
                lead_unit, state, ..
            } = object
            else {
                return Err(Denied::OutOfScope);
            };
            match role {
                Role::SupervisionOffice => {}
                Role::UnitHead | Role::UnitLiaison if actor.scope.units.contains(&lead_unit) => {}
                Role::UnitHead | Role::UnitLiaison => return Err(Denied::OutOfScope),
                _ => return Err(Denied::Role),
            }
            match (action, state.editable_by_unit()) {
                (Action::EditTask, false) if state == TaskState::Approved => Err(Denied::Locked),
                (Action::EditTask, false) if role != Role::SupervisionOffice => Err(Denied::Locked),
                _ => Ok(()),
            }
        }
        Action::SubmitTasks => match (role, object) {
            (Role::UnitHead, Object::Unit { id, active }) => see_unit(actor, role, id, active),
            (Role::UnitHead, _) => Err(Denied::OutOfScope),
            _ => Err(Denied::Role),
        },
        Action::ReviewTask
        | Action::DecideChange
        | Action::ManageCase
        | Action::AcceptReport
        | Action::ModerateIntake => match role {
            Role::SupervisionOffice => Ok(()),
            _ => Err(Denied::Role),
        },
        Action::ViewDashboard => match role {
            Role::Deputy => Err(Denied::Role),
            _ => Ok(()),
        },
        Action::ReportProgress | Action::ApproveReport => {
            let Object::Task {
                lead_unit, person, ..
            } = object
            else {
                return Err(Denied::OutOfScope);
            };
            let responsible = action == Action::ReportProgress
                && actor.person.is_some()
                && actor.person == person;
            let unit_roles = match action {
                Action::ApproveReport => &[Role::UnitHead][..],
                _ => &[Role::UnitHead, Role::UnitLiaison][..],
            };
            if responsible {
                Ok(())
            } else if !unit_roles.contains(&role) {
                Err(Denied::Role)
            } else if actor.scope.units.contains(&lead_unit) {
                Ok(())
            } else {
                Err(Denied::OutOfScope)
            }
        }
        Action::ViewReport => {
            let Object::Report { task, state } = object else {
                return Err(Denied::OutOfScope);
            };
            decide(actor, Action::ViewTask, *task)?;
            match state {
                ReportState::Draft | ReportState::UnitReview => {
                    decide(actor, Action::ReportProgress, *task)
                        .or_else(|_| decide(actor, Action::ApproveReport, *task))
                        .map_err(|_| Denied::OutOfScope)
                }
                ReportState::Submitted | ReportState::Accepted | ReportState::Returned => Ok(()),
            }
        }
        Action::ViewAttachment => {
            let Object::Attachment {
                attached_to,
                uploaders,
            } = object
            else {
                return Err(Denied::OutOfScope);
            };
            if actor.user.is_some_and(|u| uploaders.contains(&u)) {
                return Ok(());
            }
            let Some(on) = attached_to else {
                return Err(Denied::OutOfScope);
            };
            match *on {
                Object::Report { .. } => decide(actor, Action::ViewReport, *on),
                Object::Case { .. } => decide(actor, Action::ViewCase, *on),
                Object::Task { .. } => decide(actor, Action::ViewTask, *on),
                Object::Commitment { .. } => decide(actor, Action::ViewCommitment, *on),
                Object::Proposal { .. } => decide(actor, Action::ViewProposal, *on),
                _ => Err(Denied::OutOfScope),
            }
        }
        Action::ViewCases => Ok(()),
        // Answered before the role is looked at (anyone may).
        Action::PublicView | Action::PublicReport | Action::PublicEvaluate => Ok(()),
        Action::ViewCase => see_case(actor, role, object),
        Action::RegisterCase => match role {
            Role::SupervisionOffice | Role::TopLeader | Role::PortfolioLeader => Ok(()),
            _ => Err(Denied::Role),
        },
        Action::HandleCase | Action::ConcludeCase | Action::GiveOpinion => {
            let Object::Case {
                lead_unit,
                units,
                handler,
                ..
            } = object
            else {
                return Err(Denied::OutOfScope);
            };
            let unit_roles = match action {
                Action::ConcludeCase => &[Role::UnitHead][..],
                _ => &[Role::UnitHead, Role::UnitLiaison][..],
            };
            if !unit_roles.contains(&role) {
                let dispatched = action == Action::HandleCase
                    && actor.person.is_some()
                    && actor.person == handler;
                return if dispatched {
                    Ok(())
                } else {
                    Err(Denied::Role)
                };
            }
            let mine = |u: &UnitId| actor.scope.units.contains(u);
            let ok = match action {
                Action::GiveOpinion => units.iter().any(mine),
                _ => lead_unit.as_ref().is_some_and(mine),
            };
            if ok { Ok(()) } else { Err(Denied::OutOfScope) }
        }
        Action::InstructCase => match role {
            Role::TopLeader | Role::PortfolioLeader => see_case(actor, role, object),
            _ => Err(Denied::Role),
        },
        Action::RateCase => match object {
            Object::Case {
                raised_by: Some(p), ..
            } if actor.person == Some(p) => Ok(()),
            Object::Case { .. } => Err(Denied::OutOfScope),
            _ => Err(Denied::Role),
        },
        Action::ViewCommitments | Action::ViewLivelihood => Ok(()),
        Action::ViewCommitment => see_commitment(actor, role, object),
        Action::DraftCommitment => {
            if !matches!(
                role,
                Role::TopLeader | Role::PortfolioLeader | Role::UnitHead
            ) {
                return Err(Denied::Role);
            }
            match object {
                Object::Commitment { committer, .. } if actor.person != Some(committer) => {
                    Err(Denied::OutOfScope)
                }
                _ => Ok(()),
            }
        }
        Action::SignCommitment => match object {
            Object::Commitment { committer, .. } if actor.person == Some(committer) => Ok(()),
            _ if matches!(
                role,
                Role::TopLeader | Role::PortfolioLeader | Role::UnitHead
            ) =>
            {
                Err(Denied::OutOfScope)
            }
            _ => Err(Denied::Role),
        },
        Action::ReviewCommitment | Action::ManageLivelihood => match role {
            Role::SupervisionOffice => Ok(()),
            _ => Err(Denied::Role),
        },
        Action::EvaluateCommitment => match role {
            Role::Deputy | Role::SupervisionOffice => see_commitment(actor, role, object),
            _ => Err(Denied::Role),
        },
        Action::VoteLivelihood => match role {
            Role::Deputy => Ok(()),
            _ => Err(Denied::Role),
        },
        Action::ViewProposals
        | Action::ViewProposal
        | Action::ViewProposalRates
        | Action::SubmitProposal
        | Action::IntakeProposal
        | Action::HandOutProposal
        | Action::HandleProposal
        | Action::SignProposalReply
        | Action::CountersignProposal
        | Action::RateProposal => proposals(actor, role, action, object),
        Action::ViewShowcase
        | Action::ViewShowcaseCards
        | Action::ManageShowcase
        | Action::FillShowcase
        | Action::ScoreShowcase
        | Action::GuestScoreShowcase => showcase(actor, role, action, object),
        Action::ViewDuties
        | Action::ManageDuties
        | Action::RaiseJoint
        | Action::ViewJoint
        | Action::ActAsNamedDepartment
        | Action::CoordinateJoint => county(actor, role, action, object),
    }
}

/// Suggestions and proposals (DOMAIN §2.4, §5): the offices are scoped to their own kind,
/// units to what they are assigned, proposers to their own items.
fn proposals(actor: &Actor, role: Role, action: Action, object: Object<'_>) -> Result<(), Denied> {
    let item = match object {
        Object::Proposal {
            kind,
            lead_unit,
            co_units,
            split_units,
            proposer,
            cosigners,
            leader,
        } => Some((
            kind,
            lead_unit,
            co_units,
            split_units,
            proposer,
            cosigners,
            leader,
        )),
        _ => None,
    };
    let me = actor.person;
    let mine = |u: &UnitId| actor.scope.units.contains(u);
    match action {
        Action::ViewProposals => Ok(()),
        Action::ViewProposalRates => match role {
            Role::Deputy => Err(Denied::Role),
            _ => Ok(()),
        },
        Action::ViewProposal => {
            let Some((kind, lead, co, split, proposer, cosigners, leader)) = item else {
                return Ok(());
            };
            let named = me.is_some()
                && (me == proposer || me == leader || cosigners.iter().any(|c| Some(*c) == me));
            if role.sees_whole_city() || named || role.proposals_office() == Some(kind) {
                return Ok(());
            }
            if role == Role::Deputy || role.proposals_office().is_some() {
                return Err(Denied::OutOfScope);
            }
            if lead.iter().chain(co).chain(split).any(mine) {
                Ok(())
            } else {
                Err(Denied::OutOfScope)
            }
        }
        Action::SubmitProposal => match (role, item) {
            (Role::Deputy, Some((.., proposer, _, _))) if proposer == me && me.is_some() => Ok(()),
            (Role::Deputy, Some(_)) => Err(Denied::OutOfScope),
            (Role::Deputy, None) => Ok(()),
            _ => Err(Denied::Role),
        },
        Action::IntakeProposal => match (role.proposals_office(), item) {
            (None, _) => Err(Denied::Role),
            (Some(k), Some((kind, ..))) if k != kind => Err(Denied::OutOfScope),
            _ => Ok(()),
        },
        Action::HandOutProposal => match role {
            Role::SupervisionOffice => Ok(()),
            _ => Err(Denied::Role),
        },
        Action::HandleProposal | Action::SignProposalReply | Action::CountersignProposal => {
            let roles = match action {
                Action::SignProposalReply => &[Role::UnitHead][..],
                _ => &[Role::UnitHead, Role::UnitLiaison][..],
            };
            if !roles.contains(&role) {
                return Err(Denied::Role);
            }
            let Some((_, lead, co, split, ..)) = item else {
                return Err(Denied::OutOfScope);
            };
            let ok = match action {
                Action::CountersignProposal => co.iter().any(mine),
                Action::HandleProposal => lead.iter().chain(split).any(mine),
                _ => lead.iter().any(mine),
            };
            if ok { Ok(()) } else { Err(Denied::OutOfScope) }
        }
        Action::RateProposal => {
            if role != Role::Deputy {
                return Err(Denied::Role);
            }
            match item {
                Some((.., proposer, cosigners, _))
                    if me.is_some()
                        && (me == proposer || cosigners.iter().any(|c| Some(*c) == me)) =>
                {
                    Ok(())
                }
                _ => Err(Denied::OutOfScope),
            }
        }
        _ => Err(Denied::Role),
    }
}

/// 晒拼: published results are for everyone signed in; before that the whole-city roles see
/// the event and a unit sees its own page; only the office manages and reads raw cards; a
/// judge never scores their own unit.
fn showcase(actor: &Actor, role: Role, action: Action, object: Object<'_>) -> Result<(), Denied> {
    let (unit, state) = match object {
        Object::Presenter { unit, state } => (Some(unit), Some(state)),
        Object::Showcase { state } => (None, Some(state)),
        _ => (None, None),
    };
    let own = |u: Option<UnitId>| u.is_some_and(|u| actor.scope.units.contains(&u));
    match action {
        Action::ViewShowcase => {
            let public = state.is_none_or(|s| s == EventState::Published);
            let own_page = matches!(role, Role::UnitHead | Role::UnitLiaison) && own(unit);
            if role.sees_whole_city() || public || own_page {
                Ok(())
            } else {
                Err(Denied::OutOfScope)
            }
        }
        Action::ViewShowcaseCards | Action::ManageShowcase => match role {
            Role::SupervisionOffice => Ok(()),
            _ => Err(Denied::Role),
        },
        Action::FillShowcase => match role {
            Role::SupervisionOffice => Ok(()),
            Role::UnitHead | Role::UnitLiaison if unit.is_none() || own(unit) => Ok(()),
            Role::UnitHead | Role::UnitLiaison => Err(Denied::OutOfScope),
            _ => Err(Denied::Role),
        },
        Action::ScoreShowcase => match unit {
            Some(u) if actor.scope.home_unit == Some(u) => Err(Denied::OutOfScope),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// The duty list and joint matters (县乡一体、条抓块统).
fn county(actor: &Actor, role: Role, action: Action, object: Object<'_>) -> Result<(), Denied> {
    let unit_desk = matches!(role, Role::UnitHead | Role::UnitLiaison);
    let mine = |u: &UnitId| actor.scope.units.contains(u);
    match action {
        Action::ViewDuties => Ok(()),
        Action::ManageDuties => match role {
            Role::SupervisionOffice => Ok(()),
            _ => Err(Denied::Role),
        },
        Action::RaiseJoint => match object {
            _ if !unit_desk => Err(Denied::Role),
            Object::Unit { id, active: true } if mine(&id) => Ok(()),
            Object::Unit { active: false, .. } => Err(Denied::Inactive),
            _ => Err(Denied::OutOfScope),
        },
        Action::ViewJoint => match (role, object) {
            (Role::Deputy, _) => Err(Denied::Role),
            (_, Object::Joint { town, departments }) => {
                if role.sees_whole_city() || mine(&town) || departments.iter().any(mine) {
                    Ok(())
                } else {
                    Err(Denied::OutOfScope)
                }
            }
            _ => Ok(()),
        },
        Action::ActAsNamedDepartment => match object {
            _ if !unit_desk => Err(Denied::Role),
            Object::Joint { departments, .. } if departments.iter().any(mine) => Ok(()),
            Object::Joint { .. } => Err(Denied::NotNamed),
            _ => Err(Denied::OutOfScope),
        },
        Action::CoordinateJoint => match object {
            _ if !unit_desk => Err(Denied::Role),
            Object::Joint { town, .. } if mine(&town) => Ok(()),
            _ => Err(Denied::OutOfScope),
        },
        _ => Err(Denied::Role),
    }
}

/// 审计员: every read of everything (drafts, inactive units, unattached uploads included), the
/// own account (password, API tokens), and no other write.
fn audit(actor: &Actor, action: Action, object: Object<'_>) -> Result<(), Denied> {
    match action {
        Action::ManageOwnAccount => match object {
            Object::Account { id } if actor.user != Some(id) => Err(Denied::OutOfScope),
            _ => Ok(()),
        },
        a if a.is_read() => Ok(()),
        _ => Err(Denied::Role),
    }
}

/// A published commitment is public. Before that it is seen by its committer, whole-city
/// roles and anyone whose scope holds the committer's unit — deputies never.
fn see_commitment(actor: &Actor, role: Role, object: Object<'_>) -> Result<(), Denied> {
    let Object::Commitment {
        committer,
        unit,
        state,
        ..
    } = object
    else {
        return Ok(());
    };
    if state.is_public() || actor.person == Some(committer) || role.sees_whole_city() {
        return Ok(());
    }
    if role == Role::Deputy {
        return Err(Denied::OutOfScope);
    }
    match unit {
        Some(u) if actor.scope.units.contains(&u) => Ok(()),
        _ => Err(Denied::OutOfScope),
    }
}

/// A case is visible to whole-city roles, to anyone whose scope holds its lead unit or one of
/// its other units, and to the leader, the handler and the person who raised it. A deputy
/// sees only the cases they raised.
fn see_case(actor: &Actor, role: Role, case: Object<'_>) -> Result<(), Denied> {
    let Object::Case {
        lead_unit,
        units,
        leader,
        handler,
        raised_by,
        ..
    } = case
    else {
        return Ok(());
    };
    let me = actor.person;
    if me.is_some() && (me == raised_by || me == handler || me == leader) {
        return Ok(());
    }
    if role == Role::Deputy {
        return Err(Denied::OutOfScope);
    }
    let in_scope = lead_unit
        .iter()
        .chain(units)
        .any(|u| actor.scope.units.contains(u));
    if role.sees_whole_city() || in_scope {
        Ok(())
    } else {
        Err(Denied::OutOfScope)
    }
}

/// A task is visible to whole-city roles, to anyone whose scope holds its lead unit or a
/// co-unit, and to the leader and the person it names.
fn see_task(actor: &Actor, role: Role, task: Object<'_>) -> Result<(), Denied> {
    let Object::Task {
        lead_unit,
        co_units,
        leader,
        person,
        ..
    } = task
    else {
        return Err(Denied::OutOfScope);
    };
    let named = actor.person.is_some() && (actor.person == leader || actor.person == person);
    let in_scope = std::iter::once(&lead_unit)
        .chain(co_units)
        .any(|u| actor.scope.units.contains(u));
    if role.sees_whole_city() || named || in_scope {
        Ok(())
    } else {
        Err(Denied::OutOfScope)
    }
}

fn see_unit(actor: &Actor, role: Role, unit: UnitId, active: bool) -> Result<(), Denied> {
    if role.sees_whole_city() {
        return Ok(());
    }
    if role == Role::Deputy {
        return Err(Denied::Role);
    }
    if !actor.scope.units.contains(&unit) {
        return Err(Denied::OutOfScope);
    }
    if !active {
        return Err(Denied::Inactive);
    }
    Ok(())
}

mod assessment;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod auditor_tests;

#[cfg(test)]
mod proposal_tests;

#[cfg(test)]
mod showcase_tests;
