//! Score events: what happened, to which unit, on which day, and the points the scheme in
//! force gave it. Events are appended, never edited: an appeal upheld in the unit's favour
//! appends a reversing event.

use super::Centi;
use serde::{Deserialize, Serialize};

/// What an event records. Automatic kinds are drawn from facts already in duban; manual kinds
/// are proposed by one officer and approved by another.
/// Read from a scheme with [`EventKind::parse`], so a scheme naming an activity metric is
/// refused with the reason, not as an unknown word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A progress report sent by its due day.
    ReportOnTime,
    /// A progress report sent after its due day.
    ReportLate,
    /// A period passed with no report from the lead unit.
    ReportMissing,
    /// A task completed by its due date.
    TaskDoneOnTime,
    /// A task completed after its due date.
    TaskDoneLate,
    /// A task's light was red at a month's end.
    RedMonth,
    /// A case closed out by its deadline.
    CaseClosedOnTime,
    /// A case overdue (its deadline passed while it was open).
    CaseOverdue,
    /// A case sent back for rework (返工) after a claimed completion.
    CaseRework,
    /// 催办 reached.
    EscalationUrge,
    /// 督办单 reached.
    EscalationNotice,
    /// 通报 reached.
    EscalationBulletin,
    /// 约谈 reached.
    EscalationInterview,
    /// A commitment kept (兑现).
    CommitmentKept,
    /// A commitment broken (未兑现).
    CommitmentBroken,
    /// 领导批示肯定 (manual).
    LeaderPraise,
    /// 领导批评 / 通报批评 (manual).
    LeaderCriticism,
    /// 弄虚作假 found on site (manual).
    FalseData,
    /// An NPC suggestion or CPPCC proposal answered by its deadline in force (按时办复).
    ProposalRepliedOnTime,
    /// A suggestion or proposal answered after its deadline, or not answered once it passed.
    ProposalRepliedLate,
    /// The proposer rated the first reply 不满意.
    ProposalDissatisfied,
    /// A unit's result at a published half-year showcase (晒拼): the rule's points are full
    /// marks, scaled by the unit's score out of 100.
    ShowcaseScore,
}

impl<'de> Deserialize<'de> for EventKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<EventKind, D::Error> {
        let s = String::deserialize(d)?;
        EventKind::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Why a kind named in a scheme is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KindError {
    #[error("unknown event kind {0:?}")]
    Unknown(String),
    /// Log-ins, time online, clock-ins and photo counts: the 2023 opinion against 指尖上的形式主义
    /// forbids ranking by them, so no scheme may score them.
    #[error(
        "{0:?} measures activity in an app (log-ins, time online, clock-ins, photos), which \
         may not be scored or ranked / 不得按登录、在线时长、打卡、上传照片数量计分排名"
    )]
    Formalism(String),
}

/// Names of activity metrics a scheme may not score, in the forms an officer would type.
const FORBIDDEN: [&str; 14] = [
    "login",
    "logins",
    "log_in",
    "online_time",
    "time_online",
    "clock_in",
    "check_in",
    "photo_count",
    "photos",
    "photos_uploaded",
    "登录",
    "在线时长",
    "打卡",
    "上传照片",
];

impl EventKind {
    pub const ALL: [EventKind; 22] = [
        EventKind::ReportOnTime,
        EventKind::ReportLate,
        EventKind::ReportMissing,
        EventKind::TaskDoneOnTime,
        EventKind::TaskDoneLate,
        EventKind::RedMonth,
        EventKind::CaseClosedOnTime,
        EventKind::CaseOverdue,
        EventKind::CaseRework,
        EventKind::EscalationUrge,
        EventKind::EscalationNotice,
        EventKind::EscalationBulletin,
        EventKind::EscalationInterview,
        EventKind::CommitmentKept,
        EventKind::CommitmentBroken,
        EventKind::LeaderPraise,
        EventKind::LeaderCriticism,
        EventKind::FalseData,
        EventKind::ProposalRepliedOnTime,
        EventKind::ProposalRepliedLate,
        EventKind::ProposalDissatisfied,
        EventKind::ShowcaseScore,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::ReportOnTime => "report_on_time",
            EventKind::ReportLate => "report_late",
            EventKind::ReportMissing => "report_missing",
            EventKind::TaskDoneOnTime => "task_done_on_time",
            EventKind::TaskDoneLate => "task_done_late",
            EventKind::RedMonth => "red_month",
            EventKind::CaseClosedOnTime => "case_closed_on_time",
            EventKind::CaseOverdue => "case_overdue",
            EventKind::CaseRework => "case_rework",
            EventKind::EscalationUrge => "escalation_urge",
            EventKind::EscalationNotice => "escalation_notice",
            EventKind::EscalationBulletin => "escalation_bulletin",
            EventKind::EscalationInterview => "escalation_interview",
            EventKind::CommitmentKept => "commitment_kept",
            EventKind::CommitmentBroken => "commitment_broken",
            EventKind::LeaderPraise => "leader_praise",
            EventKind::LeaderCriticism => "leader_criticism",
            EventKind::FalseData => "false_data",
            EventKind::ProposalRepliedOnTime => "proposal_replied_on_time",
            EventKind::ProposalRepliedLate => "proposal_replied_late",
            EventKind::ProposalDissatisfied => "proposal_dissatisfied",
            EventKind::ShowcaseScore => "showcase_score",
        }
    }

    /// Parses a kind as a scheme names it; refuses activity metrics by name.
    pub fn parse(s: &str) -> Result<EventKind, KindError> {
        let t = s.trim();
        let lower = t.to_lowercase();
        if FORBIDDEN.iter().any(|f| lower == *f || lower.contains(f)) {
            return Err(KindError::Formalism(t.to_string()));
        }
        EventKind::ALL
            .into_iter()
            .find(|k| k.as_str() == lower)
            .ok_or_else(|| KindError::Unknown(t.to_string()))
    }

    /// Proposed by one officer and approved by another.
    pub fn is_manual(self) -> bool {
        matches!(
            self,
            EventKind::LeaderPraise | EventKind::LeaderCriticism | EventKind::FalseData
        )
    }

    /// The module an event of this kind belongs to in the default scheme.
    pub fn default_module(self) -> &'static str {
        use EventKind as K;
        match self {
            K::ReportOnTime
            | K::ReportLate
            | K::ReportMissing
            | K::TaskDoneOnTime
            | K::TaskDoneLate
            | K::RedMonth => "key_work",
            K::CaseClosedOnTime
            | K::CaseOverdue
            | K::CaseRework
            | K::EscalationUrge
            | K::EscalationNotice
            | K::EscalationBulletin
            | K::EscalationInterview => "cases",
            K::CommitmentKept | K::CommitmentBroken => "commitments",
            K::LeaderPraise | K::LeaderCriticism | K::FalseData => "manual",
            K::ProposalRepliedOnTime | K::ProposalRepliedLate | K::ProposalDissatisfied => {
                "proposals"
            }
            K::ShowcaseScore => "showcase",
        }
    }

    /// Points in the default scheme (DOMAIN §3.3's observed values).
    pub fn default_points(self) -> Centi {
        use EventKind as K;
        match self {
            K::ReportOnTime => 10,
            K::ReportLate => -50,
            K::ReportMissing => -100,
            K::TaskDoneOnTime => 100,
            K::TaskDoneLate => -100,
            K::RedMonth => -100,
            K::CaseClosedOnTime => 100,
            K::CaseOverdue => -100,
            K::CaseRework => -200,
            K::EscalationUrge => -50,
            K::EscalationNotice => -100,
            K::EscalationBulletin => -200,
            K::EscalationInterview => -300,
            K::CommitmentKept => 200,
            K::CommitmentBroken => -500,
            K::LeaderPraise => 100,
            K::LeaderCriticism => -200,
            K::FalseData => -300,
            K::ProposalRepliedOnTime => 50,
            K::ProposalRepliedLate => -100,
            K::ProposalDissatisfied => -100,
            K::ShowcaseScore => 500,
        }
    }

    /// Whether a fact of this kind carries a result out of 100 that scales the rule's points
    /// (a showcase score of 86.50 earns 86.5% of them).
    pub fn scaled_by_result(self) -> bool {
        self == EventKind::ShowcaseScore
    }
}

/// Whether the unit led the item or helped (协办).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Lead,
    Co,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Lead => "lead",
            Part::Co => "co",
        }
    }

    pub fn parse(s: &str) -> Option<Part> {
        match s {
            "lead" => Some(Part::Lead),
            "co" => Some(Part::Co),
            _ => None,
        }
    }
}

/// `points × pct / 100`, rounded half away from zero to a hundredth.
pub fn scaled(points: Centi, pct: u32) -> Centi {
    ratio(points, i64::from(pct), 100)
}

/// The share of `points` a result out of 100 earns (`result` in hundredths, 0–10,000):
/// 5 points at a score of 86.50 are 4.33 (4.325 rounded half away from zero).
pub fn of_result(points: Centi, result: Centi) -> Centi {
    ratio(points, result, 10_000)
}

/// `points × num / den` (den > 0), rounded half away from zero to a hundredth.
fn ratio(points: Centi, num: i64, den: i64) -> Centi {
    let n = points * num;
    let (q, r) = (n / den, n % den);
    if r.abs() * 2 >= den {
        q + n.signum()
    } else {
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_scales_the_points() {
        assert_eq!(of_result(500, 8650), 433);
        assert_eq!(of_result(500, 10_000), 500);
        assert_eq!(of_result(500, 0), 0);
        assert_eq!(of_result(-100, 8650), -87);
        assert_eq!(of_result(250, 7310), 183);
        assert_eq!(scaled(-150, 50), -75);
        assert_eq!(scaled(-1, 50), -1);
    }

    #[test]
    fn kinds_round_trip() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Ok(k));
        }
        assert_eq!(
            EventKind::parse("nonsense"),
            Err(KindError::Unknown("nonsense".into()))
        );
    }

    #[test]
    fn activity_metrics_are_refused_by_name() {
        for bad in [
            "login",
            "Online_Time",
            "clock_in",
            "photo_count",
            "每日打卡",
            "上传照片数",
            "daily_logins",
        ] {
            assert!(
                matches!(EventKind::parse(bad), Err(KindError::Formalism(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_scheme_naming_an_activity_metric_does_not_parse() {
        let err = serde_json::from_str::<EventKind>("\"photo_count\"").unwrap_err();
        assert!(err.to_string().contains("不得按"), "{err}");
        assert_eq!(
            serde_json::from_str::<EventKind>("\"case_overdue\"").unwrap(),
            EventKind::CaseOverdue
        );
    }

    #[test]
    fn manual_kinds_are_the_judgements_of_people() {
        let manual: Vec<_> = EventKind::ALL
            .into_iter()
            .filter(|k| k.is_manual())
            .collect();
        assert_eq!(
            manual,
            [
                EventKind::LeaderPraise,
                EventKind::LeaderCriticism,
                EventKind::FalseData
            ]
        );
    }

    #[test]
    fn co_units_get_a_share_rounded_half_away_from_zero() {
        assert_eq!(scaled(-100, 50), -50);
        assert_eq!(scaled(-500, 50), -250);
        assert_eq!(scaled(100, 100), 100);
        assert_eq!(scaled(1, 50), 1);
        assert_eq!(scaled(-1, 50), -1);
        assert_eq!(scaled(-3, 30), -1);
        assert_eq!(scaled(200, 0), 0);
    }
}
