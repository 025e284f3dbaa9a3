//! Bulletins (通报) use cases: the office generates a draft for a period — its content taken
//! from the data at once and frozen ([`snapshot`]) — edits the commentary, and issues it: the
//! next number of the year's series, the hash of what was issued in the ledger, a message in
//! every unit's and leader's inbox, all in one transaction. A year's schedule makes drafts
//! appear by themselves ([`run_today`], once across processes). Files (.docx, .pdf, .xlsx)
//! are made on request from the stored content, so they never change after issue.

use super::{Problems, audit};
use crate::error::{AppError, FieldError};
use crate::state::AppState;
use duban_core::assessment::bulletin::content::{
    Chart, Commentary, Content, Item, Mention, RankGroup, RankLine, Ranking, TaskFigures,
    UnitItems, digest,
};
use duban_core::assessment::bulletin::number::parse_prefix;
use duban_core::assessment::bulletin::schedule::Schedule;
use duban_core::assessment::bulletin::{BulletinError, Cadence, Covers, State};
use duban_core::light::Light;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_core::role::Role;
use duban_store::bulletins::{self as store, Bulletin, Listed, Series};
use duban_store::notifications::{Message, notify};
use duban_store::progress::dashboard::{self, Attention, BoardNarrow, DashFilter};
use duban_store::{Audit, StoreError, Tx};
use jiff::civil::Date;
use serde::Deserialize;

/// Where the PDF font is and who issues (from `[bulletins]` of the configuration).
#[derive(Debug, Clone)]
pub struct BulletinConfig {
    /// A TrueType/OpenType file or collection with Chinese glyphs.
    pub font: String,
    /// The face in a collection (.ttc); 0 is the first.
    pub font_index: u32,
    /// 发文机关, printed in red at the head.
    pub issuer: String,
}

impl Default for BulletinConfig {
    fn default() -> Self {
        BulletinConfig {
            font: "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc".into(),
            font_index: 0,
            issuer: crate::service::cases::escalation::ISSUER.into(),
        }
    }
}

/// The schedule's job kind (one `jobs` row per scheduled draft).
pub const BULLETIN_JOB: &str = "bulletin";

/// Items listed per table at most (a bulletin is read, not searched).
const MAX_ITEMS: i64 = 200;

fn refused(e: &BulletinError) -> AppError {
    AppError::Invalid(vec![FieldError::new(e.field(), e.code())])
}

fn may_see(actor: &Actor, b: &Bulletin) -> Result<(), AppError> {
    decide(
        actor,
        Action::ViewBulletin,
        Object::Bulletin {
            issued: b.state == State::Issued,
        },
    )?;
    Ok(())
}

fn group_items(rows: Vec<dashboard::BoardRow>) -> Vec<UnitItems> {
    let mut out: Vec<UnitItems> = Vec::new();
    for r in rows {
        let item = Item {
            title: r.title,
            due: r.due_date.map(|d| d.to_jiff()),
            progress: r.progress.round() as i64,
        };
        match out.iter_mut().find(|u| u.unit == r.lead_unit_name) {
            Some(u) => u.items.push(item),
            None => out.push(UnitItems {
                unit: r.lead_unit_name,
                items: vec![item],
            }),
        }
    }
    out
}

fn mentions(rows: &[store::MentionRow], praise: bool) -> Vec<Mention> {
    rows.iter()
        .filter(|m| (m.kind == "leader_praise") == praise)
        .map(|m| Mention {
            unit: m.unit_name.clone(),
            day: m.day.to_jiff(),
            reason: if m.reason.trim().is_empty() {
                m.title.clone()
            } else {
                m.reason.clone()
            },
            points: m.points,
        })
        .collect()
}

/// The tasks' part of a bulletin: figures, overdue and red items by unit, and the day they
/// stand at. A past month, quarter or half-year is read as it stood when its last month
/// closed (the lights' monthly history), so a bulletin generated later shows that period,
/// not the day it was made; a week, or a period not closed yet, is read as it is `today`.
async fn task_part(
    tx: &mut Tx,
    filter: &DashFilter,
    covers: Covers,
    today: Date,
) -> Result<(TaskFigures, Vec<UnitItems>, Vec<UnitItems>, Date), StoreError> {
    let to = covers.range().1;
    if let Some(month) = covers.closing_month().filter(|_| today > to)
        && let Some(rows) = dashboard::at_month_end(tx, filter, &month).await?
    {
        let (mut t, mut weighted) = (TaskFigures::default(), (0.0, 0.0, 0.0));
        let (mut overdue, mut red) = (Vec::new(), Vec::new());
        for c in rows {
            t.total += 1;
            weighted.0 += c.row.progress * c.weight;
            weighted.1 += c.row.expected * c.weight;
            weighted.2 += c.weight;
            let light = Light::parse(&c.row.light);
            match light {
                Some(Light::Green) => t.green += 1,
                Some(Light::Yellow) => t.yellow += 1,
                Some(Light::Red) => t.red += 1,
                None => {}
            }
            // Overdue as the live list counts it on its day (`Attention::Overdue`).
            if c.row.due_date.is_some_and(|d| d.to_jiff() < to) && c.row.progress < 100.0 {
                t.overdue += 1;
                if overdue.len() < MAX_ITEMS as usize {
                    overdue.push(c.row.clone());
                }
            }
            if light == Some(Light::Red) && red.len() < MAX_ITEMS as usize {
                red.push(c.row);
            }
        }
        set_averages(&mut t, weighted);
        return Ok((t, group_items(overdue), group_items(red), to));
    }
    let as_of = to.min(today);
    let mut t = TaskFigures::default();
    let mut weighted = (0.0, 0.0, 0.0);
    for g in dashboard::groups(tx, filter).await? {
        t.total += g.n;
        match Light::parse(&g.light) {
            Some(Light::Green) => t.green += g.n,
            Some(Light::Yellow) => t.yellow += g.n,
            Some(Light::Red) => t.red += g.n,
            None => {}
        }
        weighted.0 += g.progress_sum;
        weighted.1 += g.expected_sum;
        weighted.2 += g.weight_sum;
    }
    set_averages(&mut t, weighted);
    let overdue = BoardNarrow {
        attention: Some(Attention::Overdue),
        ..BoardNarrow::default()
    };
    let (rows, n) = dashboard::tasks(tx, filter, &overdue, as_of, MAX_ITEMS, 0).await?;
    t.overdue = n;
    let overdue = group_items(rows);
    let red = BoardNarrow {
        light: Some(Light::Red),
        ..BoardNarrow::default()
    };
    let (rows, _) = dashboard::tasks(tx, filter, &red, as_of, MAX_ITEMS, 0).await?;
    Ok((t, overdue, group_items(rows), as_of))
}

/// Weighted average progress and 序时进度 from (Σ progress × weight, Σ expected × weight,
/// Σ weight), in tenths of a percent.
fn set_averages(t: &mut TaskFigures, (progress, expected, weight): (f64, f64, f64)) {
    if weight > 0.0 {
        t.progress_tenths = (progress / weight * 10.0).round() as i64;
        t.expected_tenths = (expected / weight * 10.0).round() as i64;
    }
}

/// The content of a bulletin for `covers`: its tasks as they stood at the period's close
/// (see `task_part`), its ranking, and the praise and criticism approved within it.
pub async fn snapshot(
    tx: &mut Tx,
    config: &BulletinConfig,
    covers: Covers,
    today: Date,
) -> Result<Content, StoreError> {
    let (from, to) = covers.range();
    let filter = DashFilter {
        year: covers.year(),
        ..DashFilter::default()
    };
    let (t, overdue, red, as_of) = task_part(tx, &filter, covers, today).await?;
    let ranking = crate::service::assessment::rankings_at(tx, covers.ranking_period(), today)
        .await?
        .map(|r| Ranking {
            period: r.period,
            scheme_version: r.scheme_version,
            groups: r
                .groups
                .into_iter()
                .map(|g| RankGroup {
                    name: g.name_zh,
                    rows: g
                        .rows
                        .into_iter()
                        .map(|l| RankLine {
                            rank: l.rank,
                            unit: l.unit_name,
                            total: l.total,
                            change: l.change,
                            stars: l.stars,
                        })
                        .collect(),
                })
                .collect(),
        });
    let said = store::mentions(tx, from, to).await?;
    let counts = duban_docs::chart::LightCounts {
        green: u32::try_from(t.green).unwrap_or(u32::MAX),
        yellow: u32::try_from(t.yellow).unwrap_or(u32::MAX),
        red: u32::try_from(t.red).unwrap_or(u32::MAX),
    };
    let chart_title = "任务亮灯情况";
    let charts = vec![Chart {
        title: chart_title.into(),
        svg: duban_docs::chart::light_bar(
            &duban_docs::chart::ChartText::zh(chart_title),
            &counts,
            None,
        ),
    }];
    Ok(Content {
        title: format!("关于{}全市重点工作推进情况的通报", covers.name_zh()),
        period: covers.key(),
        period_name: covers.name_zh(),
        issuer: config.issuer.clone(),
        as_of,
        tasks: t,
        overdue,
        red,
        ranking,
        praised: mentions(&said, true),
        criticised: mentions(&said, false),
        charts,
    })
}

/// Makes a draft: snapshot, suggested commentary, stored with its ledger entry.
async fn draft(
    tx: &mut Tx,
    config: &BulletinConfig,
    audit: &Audit,
    covers: Covers,
    today: Date,
) -> Result<i64, StoreError> {
    let content = snapshot(tx, config, covers, today).await?;
    let commentary = Commentary::suggested(&content);
    store::insert_draft(tx, audit, covers, &content, &commentary).await
}

/// The office generates a draft for a period (`2026-10`, `2026-Q3`, `2026-W45`, `2026-H2`).
pub async fn generate(state: &AppState, actor: &Actor, period: &str) -> Result<i64, AppError> {
    decide(actor, Action::ManageBulletins, Object::City)?;
    let covers = Covers::parse(period).ok_or_else(|| refused(&BulletinError::BadPeriod))?;
    let mut tx = state.store.begin_write().await?;
    let id = draft(
        &mut tx,
        &state.config.bulletins,
        &audit(state, actor),
        covers,
        state.today(),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Once a day across processes: the drafts the years' schedules make due today. Returns how
/// many were made.
pub async fn run_today(state: &AppState, now: jiff::Timestamp) -> Result<usize, StoreError> {
    let today = now.to_zoned(state.config.timezone.clone()).date();
    let mut tx = state.store.begin_write().await?;
    let calendar = duban_store::calendar::load_calendar(&mut tx).await?;
    let mut made = 0;
    for s in store::scheduled(&mut tx).await? {
        let Some(covers) = s.schedule.and_then(|sch| sch.due_on(today, &calendar)) else {
            continue;
        };
        if covers.year() != s.year {
            continue;
        }
        let key = format!("bulletin:{}", covers.key());
        if !duban_store::jobs::claim_once(&mut tx, BULLETIN_JOB, &key, now).await?
            || store::exists_for(&mut tx, covers).await?
        {
            continue;
        }
        draft(
            &mut tx,
            &state.config.bulletins,
            &Audit::system(now),
            covers,
            today,
        )
        .await?;
        made += 1;
    }
    tx.commit().await?;
    Ok(made)
}

/// The bulletins the reader may see: everything for the office, issued ones for others.
pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<Listed>, AppError> {
    decide(
        actor,
        Action::ViewBulletin,
        Object::Bulletin { issued: true },
    )?;
    let drafts = decide(
        actor,
        Action::ViewBulletin,
        Object::Bulletin { issued: false },
    )
    .is_ok();
    let mut tx = state.store.begin_read().await?;
    Ok(store::list(&mut tx, drafts).await?)
}

pub async fn get(state: &AppState, actor: &Actor, id: i64) -> Result<Bulletin, AppError> {
    let mut tx = state.store.begin_read().await?;
    let b = store::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    may_see(actor, &b)?;
    Ok(b)
}

/// The commentary as sent by the office.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct CommentaryInput {
    /// 总体情况: the opening paragraphs.
    #[serde(default)]
    pub overview: String,
    /// 存在问题.
    #[serde(default)]
    pub problems: String,
    /// 下步工作要求.
    #[serde(default)]
    pub requirements: String,
}

/// Replaces a draft's commentary. An issued bulletin is refused, nothing written.
pub async fn edit(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: CommentaryInput,
) -> Result<(), AppError> {
    decide(actor, Action::ManageBulletins, Object::City)?;
    let commentary = Commentary {
        overview: input.overview,
        problems: input.problems,
        requirements: input.requirements,
    }
    .checked()
    .map_err(|e| refused(&e))?;
    let mut tx = state.store.begin_write().await?;
    let b = store::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    b.state.check_edit().map_err(|e| refused(&e))?;
    match store::update_commentary(
        &mut tx,
        &audit(state, actor),
        id,
        &b.commentary,
        &commentary,
    )
    .await
    {
        Err(StoreError::NotFound) => return Err(refused(&BulletinError::Issued)),
        other => other?,
    }
    tx.commit().await?;
    Ok(())
}

/// Who hears of an issued bulletin: every unit's head and liaison, and the leaders.
async fn audience(tx: &mut Tx) -> Result<Vec<duban_core::org::PersonId>, StoreError> {
    use duban_store::cases::steps::people_with_role;
    let mut to = Vec::new();
    for role in [
        Role::UnitHead,
        Role::UnitLiaison,
        Role::TopLeader,
        Role::PortfolioLeader,
    ] {
        to.extend(people_with_role(tx, role).await?);
    }
    Ok(to)
}

/// Issues a draft: the next number of its year, the hash of content, commentary and number
/// in the ledger, the bulletin delivered to every unit's inbox — one transaction.
pub async fn issue(
    state: &AppState,
    actor: &Actor,
    id: i64,
    public: bool,
) -> Result<Bulletin, AppError> {
    decide(actor, Action::ManageBulletins, Object::City)?;
    let audit = audit(state, actor);
    let mut tx = state.store.begin_write().await?;
    let b = store::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    b.state.check_edit().map_err(|e| refused(&e))?;
    let number = store::next_number(&mut tx, b.year).await?;
    let shown = number.to_string();
    let hash = digest(&b.content, &b.commentary, &shown);
    let issue = store::Issue {
        id,
        number: &number,
        hash: &hash,
        public,
        issued_on: state.today(),
    };
    match store::issue(&mut tx, &audit, &issue).await {
        // Another request issued it between our read and our write.
        Err(StoreError::NotFound) => return Err(refused(&BulletinError::Issued)),
        other => other?,
    };
    let to = audience(&mut tx).await?;
    let message = Message {
        kind: "bulletin.issued".into(),
        subject: format!("{shown} {}", b.title),
        body: format!("{}已印发，请认真对照落实。", b.title),
        link: format!("/assessment/bulletins/{id}"),
        case_id: None,
    };
    notify(&mut tx, &audit, &state.channels(), &to, &message).await?;
    let issued = store::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(issued)
}

/// A year's number prefix and schedule as sent.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct SeriesInput {
    /// 机关代字, e.g. 永督通.
    pub prefix: String,
    /// `weekly`, `monthly`, `quarterly`, `half_year`, or empty for no automatic drafts.
    #[serde(default)]
    pub cadence: String,
    /// The n-th working day of the next period (1–10).
    #[serde(default = "third")]
    pub working_day: u8,
}

fn third() -> u8 {
    3
}

pub async fn series(state: &AppState, actor: &Actor, year: i16) -> Result<Series, AppError> {
    decide(actor, Action::ManageBulletins, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    Ok(store::series(&mut tx, year).await?)
}

/// Sets a year's prefix and schedule; every problem reported at once, nothing written.
pub async fn set_series(
    state: &AppState,
    actor: &Actor,
    year: i16,
    input: &SeriesInput,
) -> Result<(), AppError> {
    decide(actor, Action::ManageBulletins, Object::City)?;
    let mut p = Problems::default();
    let prefix = parse_prefix(&input.prefix)
        .map_err(|e| p.add(e.field(), e.code()))
        .ok();
    let schedule = match input.cadence.trim() {
        "" => None,
        c => match Cadence::parse(c) {
            None => {
                p.add("cadence", "bad_choice");
                None
            }
            Some(c) => Schedule::new(c, input.working_day)
                .map_err(|e| p.add(e.field(), e.code()))
                .ok(),
        },
    };
    p.finish()?;
    let prefix = prefix.expect("checked above");
    let mut tx = state.store.begin_write().await?;
    store::set_series(&mut tx, &audit(state, actor), year, &prefix, schedule).await?;
    tx.commit().await?;
    Ok(())
}

/// A file format of a bulletin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Docx,
    Pdf,
    Xlsx,
}

impl Format {
    pub fn parse(ext: &str) -> Option<Format> {
        match ext {
            "docx" => Some(Format::Docx),
            "pdf" => Some(Format::Pdf),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Pdf => "application/pdf",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    fn ext(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Xlsx => "xlsx",
        }
    }
}

/// A bulletin as a file: bytes, content type and a file name (the number, or 草稿).
pub async fn file(
    state: &AppState,
    actor: &Actor,
    id: i64,
    format: Format,
) -> Result<(Vec<u8>, &'static str, String), AppError> {
    let b = get(state, actor, id).await?;
    render_file(state, &b, format)
}

fn render_file(
    state: &AppState,
    b: &Bulletin,
    format: Format,
) -> Result<(Vec<u8>, &'static str, String), AppError> {
    let p = duban_docs::bulletins::Printable {
        content: &b.content,
        commentary: &b.commentary,
        number: b.number.as_deref(),
        issued_on: b.issued_on,
    };
    let internal = |e: String| AppError::Internal(e);
    let bytes = match format {
        Format::Docx => {
            duban_docs::bulletins::write_docx(&p).map_err(|e| internal(e.to_string()))?
        }
        Format::Xlsx => {
            duban_docs::bulletins::write_xlsx(&p).map_err(|e| internal(e.to_string()))?
        }
        Format::Pdf => {
            let font = pdf_font(state)?;
            let doc = duban_docs::bulletins::pdf_document(&p);
            duban_pdf::render(&doc, &font).map_err(|e| internal(e.to_string()))?
        }
    };
    let name = format!(
        "{}-{}.{}",
        b.period,
        b.number.as_deref().unwrap_or("draft"),
        format.ext()
    );
    Ok((bytes, format.content_type(), name))
}

/// The CJK font PDFs are drawn with: the configured one (`[bulletins] font`), else a common
/// free one; a missing font is a logged 500 that names what to install.
pub(crate) fn pdf_font(state: &AppState) -> Result<duban_pdf::FontFile, AppError> {
    let cfg = &state.config.bulletins;
    let mut candidates = vec![duban_pdf::FontFile {
        path: cfg.font.clone(),
        index: cfg.font_index,
    }];
    candidates.extend(duban_pdf::fallback_fonts());
    duban_pdf::find_font(&candidates).ok_or_else(|| {
        tracing::error!(font = %cfg.font, "no CJK font for PDFs; install fonts-wqy-microhei or set bulletins.font");
        AppError::Internal(format!("no CJK font at {} (set bulletins.font)", cfg.font))
    })
}

/// The bulletins the office published on the portal, newest first (anyone may read them).
pub async fn published(state: &AppState, actor: &Actor) -> Result<Vec<Listed>, AppError> {
    decide(actor, Action::PublicView, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    Ok(store::published(&mut tx).await?)
}

/// A published bulletin as a file for the portal; any other bulletin is not found there.
pub async fn published_file(
    state: &AppState,
    actor: &Actor,
    id: i64,
    format: Format,
) -> Result<(Vec<u8>, &'static str, String), AppError> {
    decide(actor, Action::PublicView, Object::City)?;
    let b = {
        let mut tx = state.store.begin_read().await?;
        store::find(&mut tx, id).await?.ok_or(AppError::NotFound)?
    };
    if b.state != State::Issued || !b.public {
        return Err(AppError::NotFound);
    }
    render_file(state, &b, format)
}
