//! Score events drawn from what already happened: accepted reports, reports owed and never
//! sent, completed tasks, red months, cases closed on time or overdue, rework, escalation steps, concluded commitments,
//! suggestions and proposals answered on time or late and rated 不满意, and published
//! showcase results (scaled by the unit's score out of 100).
//! Each fact gives at most one event per unit (the store's unique key), so harvesting again
//! appends only what is new; a red month repaired since, or a missing report sent late (it
//! then scores as late once accepted), appends a reversing event. Nothing here is typed in by
//! anyone.

use duban_core::assessment::event::{EventKind, Part, of_result};
use duban_store::assessment::{self as store, NewEvent, SchemeVersion, Source, facts};
use duban_store::{Audit, StoreError, Tx};
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// The states in which a case's deadline runs (an open case past its date is overdue).
const RUNNING: [&str; 5] = [
    "assigned",
    "return_requested",
    "handling",
    "ongoing_proposed",
    "defer_proposed",
];

/// A fact before the scheme scored it.
struct Fact {
    day: Date,
    unit: i64,
    kind: EventKind,
    part: Part,
    source: Source,
    title: String,
    href: String,
    /// A result out of 100 (in hundredths) that scales the rule's points
    /// (`EventKind::scaled_by_result`).
    result: Option<i64>,
}

fn src(kind: &'static str, id: i64, reference: String) -> Source {
    Source {
        kind,
        id,
        reference,
    }
}

/// Lead and co-units of one fact.
fn each_unit(out: &mut Vec<Fact>, lead: &[i64], co: &[i64], make: impl Fn(i64, Part) -> Fact) {
    for u in lead {
        out.push(make(*u, Part::Lead));
    }
    for u in co {
        out.push(make(*u, Part::Co));
    }
}

async fn gather(
    tx: &mut Tx,
    year: i16,
    today: Date,
    tz: &TimeZone,
) -> Result<Vec<Fact>, StoreError> {
    let day_of = |t: jiff::Timestamp| t.to_zoned(tz.clone()).date();
    let mut out = Vec::new();
    for r in facts::reports(tx, year).await? {
        out.push(Fact {
            day: r.due_on,
            unit: r.unit,
            kind: if r.on_time {
                EventKind::ReportOnTime
            } else {
                EventKind::ReportLate
            },
            part: Part::Lead,
            source: src("report", r.id, String::new()),
            title: r.title,
            href: format!("/reports/{}", r.id),
            result: None,
        });
    }
    missing_reports(tx, year, tz, &mut out).await?;
    for d in facts::tasks_done(tx, year).await? {
        let day = day_of(d.sent_at);
        let kind = match d.due_date {
            Some(due) if day > due => EventKind::TaskDoneLate,
            _ => EventKind::TaskDoneOnTime,
        };
        let t = &d.task;
        each_unit(&mut out, &[t.lead], &t.co, |unit, part| Fact {
            day,
            unit,
            kind,
            part,
            source: src("task", t.id, String::new()),
            title: t.title.clone(),
            href: format!("/lists/tasks/{}", t.id),
            result: None,
        });
    }
    for m in facts::red_months(tx, year).await? {
        let Some(period) = duban_core::assessment::period::Period::parse(&m.month) else {
            continue;
        };
        let day = period.range().1;
        let t = &m.task;
        each_unit(&mut out, &[t.lead], &t.co, |unit, part| Fact {
            day,
            unit,
            kind: EventKind::RedMonth,
            part,
            source: src("task_month", t.id, m.month.clone()),
            title: t.title.clone(),
            href: format!("/lists/tasks/{}", t.id),
            result: None,
        });
    }
    for c in facts::cases(tx, year).await? {
        let overdue_day = c.due_on.tomorrow().unwrap_or(c.due_on);
        let (kind, day) = match c.closed_on {
            Some(closed) if closed <= c.due_on => (EventKind::CaseClosedOnTime, closed),
            Some(_) => (EventKind::CaseOverdue, overdue_day),
            None if c.due_on < today && RUNNING.contains(&c.state.as_str()) => {
                (EventKind::CaseOverdue, overdue_day)
            }
            None => continue,
        };
        let lead: Vec<i64> = std::iter::once(c.lead)
            .chain(c.split.iter().copied())
            .collect();
        each_unit(&mut out, &lead, &c.co, |unit, part| Fact {
            day,
            unit,
            kind,
            part,
            source: src("case", c.id, String::new()),
            title: c.title.clone(),
            href: format!("/cases/{}", c.id),
            result: None,
        });
    }
    for s in facts::case_steps(tx, year).await? {
        let kind = match s.step.as_str() {
            "urge" => EventKind::EscalationUrge,
            "notice" => EventKind::EscalationNotice,
            "bulletin" => EventKind::EscalationBulletin,
            "interview" => EventKind::EscalationInterview,
            _ => continue,
        };
        let Some(day) = s.day else { continue };
        out.push(Fact {
            day,
            unit: s.lead,
            kind,
            part: Part::Lead,
            source: src("case_step", s.id, String::new()),
            title: s.title,
            href: format!("/cases/{}", s.case_id),
            result: None,
        });
    }
    for r in facts::reworks(tx, year).await? {
        let Some(at) = r.at else { continue };
        out.push(Fact {
            day: day_of(at),
            unit: r.lead,
            kind: EventKind::CaseRework,
            part: Part::Lead,
            source: src("case", r.case_id, format!("rework:{}", r.id)),
            title: r.title,
            href: format!("/cases/{}", r.case_id),
            result: None,
        });
    }
    for c in facts::commitments(tx, year).await? {
        out.push(Fact {
            day: day_of(c.concluded_at),
            unit: c.unit,
            kind: if c.kept {
                EventKind::CommitmentKept
            } else {
                EventKind::CommitmentBroken
            },
            part: Part::Lead,
            source: src("commitment", c.id, String::new()),
            title: c.title,
            href: format!("/commitments/{}", c.id),
            result: None,
        });
    }
    for p in facts::proposals(tx, year).await? {
        let late_day = p.due_on.tomorrow().unwrap_or(p.due_on);
        let answered = match p.first_replied_on {
            Some(on) if on <= p.due_on => Some((EventKind::ProposalRepliedOnTime, on)),
            Some(_) => Some((EventKind::ProposalRepliedLate, late_day)),
            None if p.due_on < today => Some((EventKind::ProposalRepliedLate, late_day)),
            None => None,
        };
        let title = format!("{} {}", p.number, p.title);
        let href = format!("/proposals/{}", p.id);
        if let Some((kind, day)) = answered {
            each_unit(&mut out, &[p.lead], &p.co, |unit, part| Fact {
                day,
                unit,
                kind,
                part,
                source: src("proposal", p.id, String::new()),
                title: title.clone(),
                href: href.clone(),
                result: None,
            });
        }
        if let Some(at) = p.dissatisfied_at {
            out.push(Fact {
                day: day_of(at),
                unit: p.lead,
                kind: EventKind::ProposalDissatisfied,
                part: Part::Lead,
                source: src("proposal", p.id, "rating:1".into()),
                title,
                href,
                result: None,
            });
        }
    }
    showcase_results(tx, year, &mut out).await?;
    Ok(out)
}

/// Each period a reporting task owed a report for and none was sent, from the first whole
/// period of its year until it reached 100 %: one event for the lead unit, the day after the
/// report was due (a period whose day has not come yet is left for a later harvest).
async fn missing_reports(
    tx: &mut Tx,
    year: i16,
    tz: &TimeZone,
    out: &mut Vec<Fact>,
) -> Result<(), StoreError> {
    use crate::service::progress::lights::{cadence_of, plan, year_start};
    use duban_core::progress::period::unsent;
    let plan = plan(tx, year).await?;
    let from = year_start(i64::from(year));
    let last = jiff::civil::date(year, 12, 31);
    for t in facts::reporting_tasks(tx, year).await? {
        let until = t
            .done_at
            .map_or(last, |at| at.to_zoned(tz.clone()).date().min(last));
        let cadence = cadence_of(t.cadence.as_deref(), &plan);
        let sent = |k: &str| t.sent.iter().any(|s| s == k);
        for (period, day) in unsent(cadence, plan.report_day, from, until, sent) {
            out.push(Fact {
                day,
                unit: t.lead,
                kind: EventKind::ReportMissing,
                part: Part::Lead,
                source: src("task_month", t.id, period.key()),
                title: format!("{}（{}）", t.title, period.label_zh()),
                href: format!("/lists/tasks/{}", t.id),
                result: None,
            });
        }
    }
    Ok(())
}

/// Every presenter's final score at the year's published showcases.
async fn showcase_results(tx: &mut Tx, year: i16, out: &mut Vec<Fact>) -> Result<(), StoreError> {
    use duban_core::showcase::state::EventState;
    use duban_store::showcase::{self as shows, CardFilter};
    for listed in shows::list_showcases(tx).await? {
        if listed.state != EventState::Published || listed.held_on.year() != year {
            continue;
        }
        // The listing leaves the presenters out.
        let Some(s) = shows::find_showcase(tx, listed.id).await? else {
            continue;
        };
        let filter = CardFilter {
            submitted_only: true,
            judge: None,
        };
        let cards = shows::list_cards(tx, s.id, filter).await?;
        for st in crate::service::showcase::standings(&s, &cards) {
            let (Some(score), Some(p)) = (st.score, s.presenter(st.presenter)) else {
                continue;
            };
            out.push(Fact {
                day: s.held_on,
                unit: p.unit_id.0,
                kind: EventKind::ShowcaseScore,
                part: Part::Lead,
                source: src("showcase", s.id.0, String::new()),
                title: format!(
                    "{}：{} 分",
                    s.title,
                    duban_core::showcase::tally::format_hundredths(score)
                ),
                href: format!("/showcase/{}/results", s.id.0),
                result: Some(score),
            });
        }
    }
    Ok(())
}

/// Scores one fact under the version in force on its day; `None` when no version is in force
/// yet or the scheme does not score the kind.
fn scored(versions: &[SchemeVersion], f: Fact) -> Option<NewEvent> {
    let v = store::in_force(versions, f.day)?;
    let (module, points) = v.scheme.points(f.kind, f.part)?;
    let points = match f.result {
        Some(r) if f.kind.scaled_by_result() => of_result(points, r),
        _ => points,
    };
    Some(NewEvent {
        day: f.day,
        unit: duban_core::org::UnitId(f.unit),
        kind: f.kind,
        part: f.part,
        module: module.to_string(),
        points,
        scheme_version: v.version,
        source: f.source,
        title: f.title,
        href: f.href,
        reason: String::new(),
        reverses: None,
    })
}

/// Kinds whose fact can cease to hold, and the reason its reversal gives: a red month repaired
/// by a later report, a missing report sent late.
const REVERSIBLE: [(EventKind, &str); 2] = [
    (EventKind::RedMonth, "repaired"),
    (EventKind::ReportMissing, "reported"),
];

/// Appends the year's new events up to `today` (and reversals of facts that no longer hold).
/// Returns how many events were appended.
pub async fn harvest(
    tx: &mut Tx,
    audit: &Audit,
    year: i16,
    today: Date,
    tz: &TimeZone,
) -> Result<usize, StoreError> {
    let versions = store::versions(tx, year).await?;
    if versions.is_empty() {
        return Ok(0);
    }
    let facts = gather(tx, year, today, tz).await?;
    let mut seen = store::keys(tx, year).await?;
    // Facts that still hold, of the kinds that can cease to (any day, due or not).
    let mut holding = std::collections::HashSet::new();
    let mut events = Vec::new();
    for f in facts {
        if REVERSIBLE.iter().any(|(k, _)| *k == f.kind) {
            holding.insert((f.kind, f.source.id, f.source.reference.clone(), f.unit));
        }
        if f.day > today || f.day.year() != year {
            continue;
        }
        let Some(e) = scored(&versions, f) else {
            continue;
        };
        if seen.insert(store::key_of(&e)) {
            events.push(e);
        }
    }
    for (kind, reason) in REVERSIBLE {
        for e in store::standing(tx, year, kind).await? {
            if e.source_kind == "task_month"
                && !holding.contains(&(kind, e.source_id, e.source_ref.clone(), e.unit_id))
            {
                events.push(reversal(&e, reason));
            }
        }
    }
    let n = events.len();
    store::append(tx, audit, year, "assessment.harvest", &events).await?;
    Ok(n)
}

/// The event that cancels `e`: the same points negated, on the same day (so every period's
/// totals net out), pointing at it.
pub fn reversal(e: &store::EventRow, reason: &str) -> NewEvent {
    NewEvent {
        day: e.day,
        unit: duban_core::org::UnitId(e.unit_id),
        kind: EventKind::parse(&e.kind).unwrap_or(EventKind::RedMonth),
        part: Part::parse(&e.part).unwrap_or(Part::Lead),
        module: e.module.clone(),
        points: -e.points,
        scheme_version: e.scheme_version,
        source: src("reversal", e.id, String::new()),
        title: e.title.clone(),
        href: e.href.clone(),
        reason: reason.to_string(),
        reverses: Some(e.id),
    }
}
