//! The demo's session of suggestions and proposals (人大代表建议 · 政协提案), of the seed's
//! size: 322 suggestions and 364 proposals, 654 of them handed to government units. Titles
//! come from topic templates × the city's places (the same every time). The offices register
//! the session in January; 督考办 hands it out at the 交办会 on 26 February; units sign in
//! (a few ask for an adjustment — some granted, some refused), record their 报到/现场/回访,
//! draft, countersign, have the office review and their head sign; the proposers rate (a few
//! leave it unrated, some are dissatisfied and the item is re-handled); B and C items get
//! follow-ups, some reported solved. A handful of session items are still unanswered
//! (overdue), and a batch of items filed between sessions was handed out in October and is
//! at every step of handling.
//!
//! Every step goes through the service (`steps::act_in`), at its own instant, inside one
//! transaction for the whole session: the load stays fast, and a failure leaves nothing.

use crate::error::AppError;
use crate::service::proposals::steps::{self, StepInput};
use crate::service::proposals::{self as svc, ProposalInput};
use crate::state::AppState;
use duban_core::demo::proposals::{CATEGORIES, FALLBACK_CO, HANDED_OUT, Seed, seeds};
use duban_core::policy::Actor;
use duban_core::proposals::ProposalId;
use jiff::civil::{Date, date};
use std::collections::HashMap;

/// The demo's actors, loaded once.
struct Cast {
    actors: HashMap<String, Actor>,
    people: HashMap<String, i64>,
    units: HashMap<String, i64>,
}

impl Cast {
    fn get(&self, username: &str) -> Result<&Actor, AppError> {
        self.actors
            .get(username)
            .ok_or_else(|| AppError::Internal(format!("demo user {username} is missing")))
    }
    fn unit(&self, code: &str) -> Result<i64, AppError> {
        self.units
            .get(code)
            .copied()
            .ok_or_else(|| AppError::Internal(format!("demo unit {code} is missing")))
    }
}

async fn cast(state: &AppState, units: &[&str]) -> Result<Cast, AppError> {
    let mut names: Vec<String> = [
        "npc-office",
        "cppcc-office",
        "dkb2",
        "deputy1",
        "deputy2",
        "deputy3",
        "deputy4",
        "deputy5",
        "deputy6",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for u in units {
        names.push(format!("{u}-head"));
        names.push(format!("{u}-liaison"));
    }
    let mut actors = HashMap::new();
    let mut people = HashMap::new();
    for n in names {
        let mut tx = state.store.begin_read().await?;
        let user = duban_store::accounts::find_user_for_login(&mut tx, &n)
            .await?
            .ok_or_else(|| AppError::Internal(format!("demo user {n} is missing")))?;
        drop(tx);
        let (_, actor) = crate::auth::load_actor(state, duban_core::org::UserId(user.id))
            .await?
            .ok_or_else(|| AppError::Internal(format!("demo user {n} is inactive")))?;
        if let Some(p) = actor.person {
            people.insert(n.clone(), p.0);
        }
        actors.insert(n, actor);
    }
    let mut tx = state.store.begin_read().await?;
    let all =
        duban_store::org::list_units(&mut tx, &duban_store::org::UnitFilter::default()).await?;
    let units = all.into_iter().map(|u| (u.code, u.id)).collect();
    Ok(Cast {
        actors,
        people,
        units,
    })
}

/// The state at 10:00 on `day` (the demo's zone).
fn at(state: &AppState, day: Date, hour: i8) -> Result<AppState, AppError> {
    let ts = day
        .at(hour, 0, 0, 0)
        .to_zoned(state.config.timezone.clone())
        .map_err(|e| AppError::Internal(e.to_string()))?
        .timestamp();
    Ok(state.at(ts))
}

/// Plays one step at `day`.
struct Stepper<'a> {
    tx: &'a mut duban_store::Tx,
    state: &'a AppState,
    cast: &'a Cast,
    steps: usize,
}

impl Stepper<'_> {
    async fn step(
        &mut self,
        who: &str,
        id: ProposalId,
        day: Date,
        input: StepInput,
    ) -> Result<(), AppError> {
        let s = at(self.state, day, 10)?;
        let actor = self.cast.get(who)?;
        steps::act_in(self.tx, &s, actor, id, &input)
            .await
            .map_err(|e| AppError::Internal(format!("{} on {id:?} by {who}: {e:?}", input.step)))?;
        self.steps += 1;
        Ok(())
    }
}

fn input(step: &str) -> StepInput {
    StepInput {
        step: step.into(),
        ..StepInput::default()
    }
}

fn with_note(step: &str, note: &str) -> StepInput {
    StepInput {
        note: note.into(),
        ..input(step)
    }
}

fn d(m: i8, day: i8) -> Date {
    date(duban_core::demo::DEMO_YEAR, m, day)
}

/// A working day `n` days into a month's span (skipping weekends by moving to Monday).
fn workday(m: i8, day: i8) -> Date {
    let mut x = d(m, day);
    while matches!(
        x.weekday(),
        jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
    ) {
        x = x.tomorrow().unwrap_or(x);
    }
    x
}

const REPLY_A: &str = "经研究，该事项已纳入年度重点工作并基本完成：相关工程已竣工投用，配套管理制度已出台。感谢您对我市工作的关心和支持。";
const REPLY_B: &str = "经研究，该事项正在推进：已完成前期调研和方案编制，资金已列入年度预算，预计明年上半年完成。我们将及时向您续报进展。";
const REPLY_C: &str =
    "经研究，该事项已列入“十五五”相关规划，待条件成熟时分步实施。我们将持续跟踪，及时向您反馈。";
const REPLY_D: &str = "经研究，受用地指标和上位政策限制，该事项目前暂不具备实施条件，具体情况已当面向您作了说明，今后条件具备时优先考虑。";

/// Plays the session. Returns the number of steps taken.
pub(super) async fn play(state: &AppState) -> Result<usize, AppError> {
    let seeds = seeds();
    let mut codes: Vec<&str> = CATEGORIES
        .iter()
        .flat_map(|(_, u, _)| u.iter().copied())
        .collect();
    codes.push(FALLBACK_CO);
    codes.sort_unstable();
    codes.dedup();
    let cast = cast(state, &codes).await?;
    let mut tx = state.store.begin_write().await?;
    // Registration (January) or online submission between sessions (September).
    let mut ids = Vec::with_capacity(seeds.len());
    let mut kinds_seen = [0usize; 2];
    for s in &seeds {
        let k = usize::from(s.kind == "proposal");
        let i = kinds_seen[k];
        kinds_seen[k] += 1;
        let between = i % 29 == 28;
        let input = ProposalInput {
            kind: s.kind.into(),
            title: s.title.clone(),
            content: s.content.clone(),
            proposer_id: cast.people.get(s.proposer).copied(),
            cosigner_ids: s
                .cosigner
                .and_then(|c| cast.people.get(c).copied())
                .into_iter()
                .collect(),
            group_name: s.group.into(),
            category: s.category.into(),
            key_item: false,
            leader_id: None,
            seq: Some(u32::try_from(i + 1).unwrap_or(0)),
        };
        let office = if s.kind == "suggestion" {
            "npc-office"
        } else {
            "cppcc-office"
        };
        let id = if between {
            let st = at(state, workday(9, 7), 9)?;
            let id = svc::submit_in(&mut tx, &st, cast.get(s.proposer)?, &input).await?;
            (id, true)
        } else {
            let st = at(state, workday(1, 20), 9)?;
            (
                svc::register_in(&mut tx, &st, cast.get(office)?, &input).await?,
                false,
            )
        };
        ids.push(id);
    }
    let mut play = Stepper {
        tx: &mut tx,
        state,
        cast: &cast,
        steps: 0,
    };
    // Items that never reach the government: the last ones of each kind filed in session.
    let mut handed = 0usize;
    let mut turned_away = 0usize;
    let mut first_of_kind: HashMap<&str, ProposalId> = HashMap::new();
    for (n, (s, (id, between))) in seeds.iter().zip(ids.iter().copied()).enumerate() {
        let office = if s.kind == "suggestion" {
            "npc-office"
        } else {
            "cppcc-office"
        };
        if between {
            play.step(office, id, workday(9, 14), input("accept"))
                .await?;
        }
        let remaining_items = seeds.len() - n;
        let remaining_away = (seeds.len() - HANDED_OUT) - turned_away;
        let away = remaining_away > 0 && (n % 21 == 20 || remaining_items <= remaining_away);
        if away && !between {
            let day = workday(2, 10);
            let into = first_of_kind.get(s.kind).copied();
            match (turned_away % 4, into) {
                (0, _) | (1, None) => {
                    let reason = if s.kind == "suggestion" {
                        "personal_matter"
                    } else {
                        "turned_into_information"
                    };
                    play.step(
                        office,
                        id,
                        day,
                        StepInput {
                            reason: reason.into(),
                            note: "所提问题属个人诉求，已转有关部门按信访程序办理。".into(),
                            ..input("reject")
                        },
                    )
                    .await?;
                }
                (1, Some(into)) => {
                    play.step(
                        office,
                        id,
                        day,
                        StepInput {
                            into_id: Some(into.0),
                            note: "与同类建议内容相同，并案办理。".into(),
                            ..input("merge")
                        },
                    )
                    .await?;
                }
                (2, _) => {
                    play.step(
                        s.proposer,
                        id,
                        day,
                        with_note("withdraw", "已当面协调解决，申请撤回。"),
                    )
                    .await?;
                }
                _ => {} // registered, waiting for the next hand-out
            }
            turned_away += 1;
            continue;
        }
        first_of_kind.entry(s.kind).or_insert(id);
        let h = handed;
        handed += 1;
        handle(&mut play, s, id, h, between).await?;
    }
    if handed != HANDED_OUT {
        return Err(AppError::Internal(format!(
            "the demo session hands out {handed} items, not {HANDED_OUT}"
        )));
    }
    let n = play.steps;
    tx.commit().await?;
    Ok(n)
}

/// Plays one handed-out item; `h` is its place among them (what happens to it follows).
async fn handle(
    play: &mut Stepper<'_>,
    s: &Seed,
    id: ProposalId,
    h: usize,
    between: bool,
) -> Result<(), AppError> {
    let lead = s.lead;
    let lead_id = play.cast.unit(lead)?;
    let mut co_id = match s.co {
        Some(c) => Some(play.cast.unit(c)?),
        None => None,
    };
    let liaison = format!("{lead}-liaison");
    let head = format!("{lead}-head");
    let out_day = if between { workday(10, 20) } else { d(2, 26) };
    play.step(
        "dkb2",
        id,
        out_day,
        StepInput {
            lead_unit_id: Some(lead_id),
            co_unit_ids: co_id.into_iter().collect(),
            ..input("hand_out")
        },
    )
    .await?;
    if between {
        // Filed between sessions, handed out in October: at every step of handling.
        let stage = h % 6;
        if stage == 0 {
            return Ok(());
        }
        if stage == 1 {
            return play
                .step(
                    &liaison,
                    id,
                    workday(10, 22),
                    with_note(
                        "request_adjustment",
                        "该事项主要涉及其他部门职责，申请调整主办单位。",
                    ),
                )
                .await;
        }
        play.step(&liaison, id, workday(10, 22), input("sign_in"))
            .await?;
        if stage == 2 {
            return Ok(());
        }
        contact(
            play,
            &liaison,
            id,
            "report",
            workday(11, 2),
            "face_to_face",
            false,
        )
        .await?;
        if stage == 3 {
            return Ok(());
        }
        draft(play, &liaison, id, "B", REPLY_B, workday(11, 16)).await?;
        if let Some(c) = s.co {
            play.step(
                &format!("{c}-liaison"),
                id,
                workday(11, 17),
                with_note("countersign", "同意"),
            )
            .await?;
        }
        if stage == 4 {
            return Ok(());
        }
        return play
            .step("dkb2", id, workday(11, 19), input("review"))
            .await;
    }
    // Adjustment stories at the start of the session.
    let mut liaison = liaison;
    let mut head = head;
    if h % 97 == 11 {
        play.step(
            &liaison,
            id,
            d(3, 2),
            with_note("request_adjustment", "该事项属其他部门职责，申请调整。"),
        )
        .await?;
        if h.is_multiple_of(2) {
            let to = if lead == "fgj" { "jxj" } else { "fgj" };
            let to_id = play.cast.unit(to)?;
            co_id = co_id.filter(|c| *c != to_id);
            play.step(
                "dkb2",
                id,
                d(3, 4),
                StepInput {
                    lead_unit_id: Some(to_id),
                    co_unit_ids: co_id.into_iter().collect(),
                    ..input("approve_adjustment")
                },
            )
            .await?;
            liaison = format!("{to}-liaison");
            head = format!("{to}-head");
            play.step(&liaison, id, d(3, 5), input("sign_in")).await?;
        } else {
            play.step(
                "dkb2",
                id,
                d(3, 4),
                with_note(
                    "refuse_adjustment",
                    "经研究，该事项主要职责在你单位，请按时办理。",
                ),
            )
            .await?;
        }
    } else {
        play.step(&liaison, id, d(3, 2), input("sign_in")).await?;
    }
    // 报到 (mostly face to face), 现场 (the head often there), 回访 after the reply.
    if h % 10 != 9 {
        let way = if h.is_multiple_of(3) {
            "phone"
        } else {
            "face_to_face"
        };
        contact(play, &liaison, id, "report", workday(3, 10), way, false).await?;
    }
    if h % 4 != 3 {
        contact(
            play,
            &liaison,
            id,
            "site",
            workday(4, 15),
            "site_visit",
            h % 3 != 2,
        )
        .await?;
    }
    // A handful of session items are still unanswered: overdue.
    if (24..30).contains(&h) {
        return Ok(());
    }
    let (class, body) = match h % 20 {
        0..=8 => ("A", REPLY_A),
        9..=13 => ("B", REPLY_B),
        14..=16 => ("C", REPLY_C),
        _ => ("D", REPLY_D),
    };
    let late = h.is_multiple_of(25);
    let (draft_day, sign_day) = if late {
        (workday(6, 1), workday(6, 10))
    } else {
        let k = i8::try_from(h % 10).unwrap_or(0);
        (workday(5, 4 + k), workday(5, 12 + k))
    };
    draft(play, &liaison, id, class, body, draft_day).await?;
    if let Some(c) = co_id {
        let code = play
            .cast
            .units
            .iter()
            .find(|(_, v)| **v == c)
            .map(|(k, _)| k.clone())
            .unwrap_or_default();
        play.step(
            &format!("{code}-liaison"),
            id,
            draft_day,
            with_note("countersign", "同意答复意见。"),
        )
        .await?;
    }
    play.step(
        "dkb2",
        id,
        draft_day.tomorrow().unwrap_or(draft_day),
        input("review"),
    )
    .await?;
    play.step(&head, id, sign_day, input("sign")).await?;
    if h % 5 != 4 {
        contact(
            play,
            &liaison,
            id,
            "revisit",
            sign_day.tomorrow().unwrap_or(sign_day),
            "face_to_face",
            h.is_multiple_of(7),
        )
        .await?;
    }
    // The proposer rates (some never do: 未评价, counted as missing).
    if h % 17 == 5 {
        return Ok(());
    }
    let rate_day = workday(6, 20);
    let dissatisfied = h % 97 == 7;
    let rating = if dissatisfied {
        "dissatisfied"
    } else if h % 11 == 3 {
        "basically_satisfied"
    } else {
        "satisfied"
    };
    let note = match rating {
        "dissatisfied" => "答复未解决实际问题，现场情况没有改变。",
        "basically_satisfied" => "基本满意，希望加快进度。",
        _ => "满意，感谢承办单位的认真办理。",
    };
    play.step(
        s.proposer,
        id,
        rate_day,
        StepInput {
            rating: rating.into(),
            note: note.into(),
            // Two proposers in three agree to publish a reply they are content with.
            publish: !dissatisfied && h % 3 != 1,
            ..input("rate")
        },
    )
    .await?;
    if dissatisfied {
        // Re-handled: the first such item is still with the unit; the others replied again.
        if h == 7 {
            return Ok(());
        }
        draft(play, &liaison, id, "B", REPLY_B, workday(7, 6)).await?;
        if let Some(c) = co_id {
            let code = play
                .cast
                .units
                .iter()
                .find(|(_, v)| **v == c)
                .map(|(k, _)| k.clone())
                .unwrap_or_default();
            play.step(
                &format!("{code}-liaison"),
                id,
                workday(7, 6),
                with_note("countersign", "同意"),
            )
            .await?;
        }
        play.step("dkb2", id, workday(7, 8), input("review"))
            .await?;
        play.step(&head, id, workday(7, 10), input("sign")).await?;
        play.step(
            s.proposer,
            id,
            workday(7, 20),
            StepInput {
                rating: "basically_satisfied".into(),
                note: "重新办理后有改善，基本满意。".into(),
                ..input("rate")
            },
        )
        .await?;
        return Ok(());
    }
    // 件件有续报: B and C items, some followed up, some reported solved.
    if matches!(class, "B" | "C") && h.is_multiple_of(2) {
        let solved = h.is_multiple_of(4);
        let text = if solved {
            "续报：项目已完工并投入使用，问题已解决。"
        } else {
            "续报：项目已完成招投标，正在施工，预计年底前完成。"
        };
        play.step(
            &liaison,
            id,
            workday(9, 21),
            StepInput {
                solved,
                ..with_note("follow_up", text)
            },
        )
        .await?;
    }
    Ok(())
}

async fn contact(
    play: &mut Stepper<'_>,
    who: &str,
    id: ProposalId,
    stage: &str,
    day: Date,
    way: &str,
    head: bool,
) -> Result<(), AppError> {
    play.step(
        who,
        id,
        day,
        StepInput {
            stage: stage.into(),
            held_on: day.to_string(),
            way: way.into(),
            participants: "承办科室负责人、经办人；领衔代表（委员）".into(),
            head_took_part: head,
            ..input("contact")
        },
    )
    .await
}

async fn draft(
    play: &mut Stepper<'_>,
    who: &str,
    id: ProposalId,
    class: &str,
    body: &str,
    day: Date,
) -> Result<(), AppError> {
    play.step(
        who,
        id,
        day,
        StepInput {
            class: class.into(),
            ..with_note("draft_reply", body)
        },
    )
    .await
}
