//! The demo's commitments (双承诺) and livelihood projects (民生实事), played through the real
//! services in February–November 2026 like `cases`: the six vice-mayors and a dozen unit
//! heads draft commitments tied to their tasks, the office approves them, each committer signs
//! (亮诺) and the office opens 践诺 tracking; 经信局's head amends the deadline with a public
//! reason (a second signed version); 统计局's head waits for review; the first vice-mayor's
//! commitment is under year-end evaluation with evaluations from deputies, members and the
//! public. Three livelihood projects get the deputies' votes.

use crate::auth::load_actor;
use crate::error::AppError;
use crate::service::commitments::{self as svc, CommitmentInput, EvaluationInput, StepInput};
use crate::service::livelihood::{self, ProjectInput, VoteInput};
use crate::state::AppState;
use duban_core::commitments::CommitmentId;
use duban_core::org::UnitId;
use duban_core::policy::Actor;
use duban_store::lists::browse::{TaskFilter, list_tasks};
use jiff::civil::{Date, date};
use jiff::tz::TimeZone;

/// Vice-mayors commit on the tasks of the first unit of their portfolio.
const LEADERS: [(&str, &str); 6] = [
    ("fsz1", "fgj"),
    ("fsz2", "jxj"),
    ("fsz3", "zjj"),
    ("fsz4", "wglt"),
    ("fsz5", "kjj"),
    ("fsz6", "nyncj"),
];

/// Unit heads who commit on their own unit's tasks.
const HEADS: [&str; 12] = [
    "jxj", "fgj", "czj", "zjj", "zrzyj", "jtysj", "kjj", "rsj", "wglt", "sthj", "scjg", "swj",
];

struct Play {
    state: AppState,
    tz: TimeZone,
}

impl Play {
    async fn actor(&self, username: &str, day: Date) -> Result<(AppState, Actor), AppError> {
        let at = day
            .at(10, 0, 0, 0)
            .to_zoned(self.tz.clone())
            .map_err(|e| AppError::Internal(e.to_string()))?
            .timestamp();
        let state = self.state.at(at);
        let mut tx = state.store.begin_read().await?;
        let user = duban_store::accounts::find_user_for_login(&mut tx, username)
            .await?
            .ok_or_else(|| AppError::Internal(format!("demo user {username} is missing")))?;
        drop(tx);
        let (_, actor) = load_actor(&state, duban_core::org::UserId(user.id))
            .await?
            .ok_or_else(|| AppError::Internal(format!("demo user {username} is inactive")))?;
        Ok((state, actor))
    }

    async fn step(
        &self,
        who: &str,
        day: Date,
        id: CommitmentId,
        step: &str,
        note: &str,
    ) -> Result<(), AppError> {
        let (state, actor) = self.actor(who, day).await?;
        let input = StepInput {
            step: step.into(),
            note: note.into(),
        };
        svc::act(&state, &actor, id, &input).await?;
        Ok(())
    }

    /// The first two top-level tasks of a unit's list, with their titles.
    async fn tasks_of(&self, code: &str) -> Result<Vec<(i64, String)>, AppError> {
        let mut tx = self.state.store.begin_read().await?;
        let Some(unit) = duban_store::org::find_unit_by_code(&mut tx, code).await? else {
            return Ok(Vec::new());
        };
        let (rows, _) = list_tasks(
            &mut tx,
            &TaskFilter {
                lead_unit: Some(UnitId(unit.id)),
                top_level: true,
                limit: 2,
                ..Default::default()
            },
        )
        .await?;
        Ok(rows.into_iter().map(|r| (r.id, r.title)).collect())
    }

    async fn person(&self, username: &str) -> Result<i64, AppError> {
        let mut tx = self.state.store.begin_read().await?;
        let user = duban_store::accounts::find_user_for_login(&mut tx, username)
            .await?
            .ok_or_else(|| AppError::Internal(format!("demo user {username} is missing")))?;
        user.person_id
            .ok_or_else(|| AppError::Internal(format!("demo user {username} has no person")))
    }

    /// Drafts, has approved, signs and tracks one commitment. `None` when the unit has no
    /// tasks (a demo loaded without lists).
    async fn commit(
        &self,
        who: &str,
        unit: &str,
        n: usize,
        publish: bool,
    ) -> Result<Option<CommitmentId>, AppError> {
        let tasks = self.tasks_of(unit).await?;
        let Some((_, first_title)) = tasks.first().cloned() else {
            return Ok(None);
        };
        let supervisors = vec![
            self.person(&format!("deputy{}", n % 6 + 1)).await?,
            self.person(&format!("deputy{}", (n + 3) % 6 + 1)).await?,
        ];
        let target = 80 + (n as i64 % 4) * 5;
        let input = CommitmentInput {
            title: format!("确保“{first_title}”按期完成"),
            content: format!(
                "围绕“{first_title}”等重点任务，逐月调度、挂图作战，按序时推进，确保年底前全面完成。"
            ),
            target_text: format!("年度任务完成率达到 {target}% 以上"),
            target_value: Some(target as f64),
            target_unit: "%".into(),
            deadline: "2026-12-31".into(),
            task_ids: tasks.iter().map(|(id, _)| *id).collect(),
            supervisor_ids: supervisors,
            reason: String::new(),
        };
        let (state, actor) = self.actor(who, date(2026, 2, 2)).await?;
        let id = svc::draft(&state, &actor, &input).await?;
        self.step(who, date(2026, 2, 3), id, "submit", "").await?;
        if !publish {
            return Ok(Some(id));
        }
        self.step("dkb2", date(2026, 2, 5), id, "approve", "")
            .await?;
        self.step(who, date(2026, 2, 6), id, "sign", "").await?;
        self.step("dkb2", date(2026, 2, 10), id, "track", "")
            .await?;
        Ok(Some(id))
    }
}

/// Plays the commitments and projects. Returns the number of commitments made.
pub async fn play(state: &AppState) -> Result<usize, AppError> {
    let play = Play {
        state: state.clone(),
        tz: state.config.timezone.clone(),
    };
    let mut made = Vec::new();
    for (n, (leader, unit)) in LEADERS.iter().enumerate() {
        if let Some(id) = play.commit(leader, unit, n, true).await? {
            made.push((leader.to_string(), id));
        }
    }
    for (n, unit) in HEADS.iter().enumerate() {
        let who = format!("{unit}-head");
        if let Some(id) = play.commit(&who, unit, n + 6, true).await? {
            made.push((who, id));
        }
    }
    // 统计局's head has sent a draft that waits for review.
    if let Some(id) = play.commit("tjj-head", "tjj", 20, false).await? {
        made.push(("tjj-head".into(), id));
    }
    if made.is_empty() {
        return Ok(0);
    }
    // 经信局's head amends: the deadline moves and the target is restated, with the reason.
    if let Some((who, id)) = made.iter().find(|(w, _)| w == "jxj-head").cloned() {
        let (s, actor) = play.actor(&who, date(2026, 7, 15)).await?;
        let c = crate::service::commitments::view::detail(&s, &actor, id).await?;
        let cur = c.commitment.current().expect("signed").content.clone();
        let input = CommitmentInput {
            title: cur.title,
            content: cur.content,
            target_text: "年度任务完成率达到 85% 以上，技改项目竣工顺延至次年一季度".into(),
            target_value: Some(85.0),
            target_unit: cur.target_unit,
            deadline: "2027-03-31".into(),
            task_ids: cur.task_ids,
            supervisor_ids: cur.supervisor_ids,
            reason:
                "受上半年原材料价格上涨影响，两个技改项目设备到货延迟，经市政府同意调整完成时限。"
                    .into(),
        };
        svc::amend(&s, &actor, id, &input).await?;
        play.step(&who, date(2026, 7, 16), id, "submit", "").await?;
        play.step("dkb2", date(2026, 7, 20), id, "approve", "")
            .await?;
        play.step(&who, date(2026, 7, 21), id, "sign", "").await?;
    }
    // The first vice-mayor reports early; deputies, a member and the public evaluate.
    if let Some((who, id)) = made.iter().find(|(w, _)| w == "fsz1").cloned() {
        play.step(
            &who,
            date(2026, 11, 10),
            id,
            "self_report",
            "承诺事项已基本完成：重点项目全部开工，年度投资完成率 92%。",
        )
        .await?;
        for (evaluator, verdict, score) in [
            ("deputy1", "fulfilled", 90),
            ("deputy2", "partly_fulfilled", 78),
            ("deputy4", "fulfilled", 88),
            ("dkb2", "fulfilled", 85),
        ] {
            let (s, actor) = play.actor(evaluator, date(2026, 11, 12)).await?;
            let input = EvaluationInput {
                verdict: verdict.into(),
                score: Some(score),
                comment: String::new(),
            };
            svc::evaluate(&s, &actor, id, &input).await?;
        }
    }
    // 民生实事: three projects tied to tasks, and the deputies' votes.
    let projects = [
        (
            "老旧小区改造提升",
            "zjj",
            "改造老旧小区 12 个，惠及居民 3000 余户。",
        ),
        (
            "城乡公交一体化",
            "jtysj",
            "新增公交线路 5 条，实现行政村公交全覆盖。",
        ),
        (
            "新建普惠性托育机构",
            "wjj",
            "新增托位 300 个，每千人口托位数达到 4.5 个。",
        ),
    ];
    for (i, (title, unit, description)) in projects.iter().enumerate() {
        let tasks = play.tasks_of(unit).await?;
        let lead = {
            let mut tx = state.store.begin_read().await?;
            duban_store::org::find_unit_by_code(&mut tx, unit)
                .await?
                .map(|u| u.id)
        };
        let (s, office) = play.actor("dkb2", date(2026, 1, 20)).await?;
        let id = livelihood::create(
            &s,
            &office,
            &ProjectInput {
                year: Some(2026),
                title: (*title).into(),
                description: (*description).into(),
                lead_unit_id: lead,
                milestones: vec![
                    duban_store::livelihood::Milestone {
                        due: date(2026, 6, 30),
                        title: "完成过半".into(),
                    },
                    duban_store::livelihood::Milestone {
                        due: date(2026, 12, 31),
                        title: "全面完成".into(),
                    },
                ],
                task_ids: tasks.into_iter().take(1).map(|(t, _)| t).collect(),
            },
        )
        .await?;
        let votes = [
            ["satisfied", "satisfied", "basically_satisfied"],
            ["satisfied", "dissatisfied", "abstain"],
            ["basically_satisfied", "satisfied", "satisfied"],
        ][i];
        for (d, vote) in votes.iter().enumerate() {
            let (s, deputy) = play
                .actor(&format!("deputy{}", d + 1), date(2026, 11, 14))
                .await?;
            livelihood::vote(
                &s,
                &deputy,
                id.0,
                &VoteInput {
                    vote: (*vote).into(),
                },
            )
            .await?;
        }
    }
    Ok(made.len())
}
