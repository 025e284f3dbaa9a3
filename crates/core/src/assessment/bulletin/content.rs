//! What a bulletin says: the frozen [`Content`] taken from the data when the draft was made
//! (figures, lists, rankings, mentions, charts as SVG), and the [`Commentary`] the office
//! writes around it. Both are stored as JSON with the bulletin; [`digest`] is the hash put in
//! the ledger when it is issued, over exactly what was issued.

use super::BulletinError;
use crate::assessment::{Centi, fmt_points};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The data of a bulletin as it was when the draft was generated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Content {
    /// 关于2026年10月全市重点工作推进情况的通报.
    pub title: String,
    /// The covered period's key (2026-10) and name (2026年10月).
    pub period: String,
    pub period_name: String,
    /// The issuing office (发文机关).
    pub issuer: String,
    /// The day the figures were taken.
    pub as_of: Date,
    pub tasks: TaskFigures,
    /// Tasks past their deadline and not done, by lead unit.
    pub overdue: Vec<UnitItems>,
    /// Tasks showing a red light, by lead unit.
    pub red: Vec<UnitItems>,
    /// The ranking of the assessment period (none when the year has no scheme).
    pub ranking: Option<Ranking>,
    /// Units praised (领导批示肯定) and criticised (通报批评, 弄虚作假) in the period: the
    /// approved manual score events.
    pub praised: Vec<Mention>,
    pub criticised: Vec<Mention>,
    /// The dashboards' charts, as SVG text.
    pub charts: Vec<Chart>,
}

/// Counts of the year's approved tasks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskFigures {
    pub total: i64,
    pub green: i64,
    pub yellow: i64,
    pub red: i64,
    pub overdue: i64,
    /// Weighted average progress and 序时进度, in percent with one decimal (tenths).
    pub progress_tenths: i64,
    pub expected_tenths: i64,
}

/// A unit and its listed items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitItems {
    pub unit: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub title: String,
    pub due: Option<Date>,
    /// Progress in percent (whole).
    pub progress: i64,
}

/// The ranking table of one assessment period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    /// The assessment period ranked (2026-10) and the scheme version that judged it.
    pub period: String,
    pub scheme_version: i64,
    pub groups: Vec<RankGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankGroup {
    pub name: String,
    pub rows: Vec<RankLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankLine {
    pub rank: u32,
    pub unit: String,
    pub total: Centi,
    /// Places moved up since the previous period (negative: down).
    pub change: Option<i64>,
    pub stars: u8,
}

impl RankLine {
    /// "↑2", "↓1", "—" (no change), "" (no previous period).
    pub fn change_text(&self) -> String {
        match self.change {
            None => String::new(),
            Some(0) => "—".into(),
            Some(n) if n > 0 => format!("↑{n}"),
            Some(n) => format!("↓{}", -n),
        }
    }

    /// "★★★" for three stars; empty for none.
    pub fn stars_text(&self) -> String {
        "★".repeat(usize::from(self.stars))
    }

    pub fn total_text(&self) -> String {
        fmt_points(self.total)
    }
}

/// A unit named for praise or criticism, with the reason given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub unit: String,
    pub day: Date,
    pub reason: String,
    pub points: Centi,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    pub title: String,
    pub svg: String,
}

/// The office's paragraphs: the overview that opens the bulletin, the problems it names and
/// what it requires next. Each is plain text; blank lines separate paragraphs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commentary {
    pub overview: String,
    pub problems: String,
    pub requirements: String,
}

/// The longest paragraph block accepted, in characters.
pub const MAX_COMMENTARY: usize = 4000;

impl Commentary {
    /// Trimmed and checked; nothing longer than [`MAX_COMMENTARY`].
    pub fn checked(self) -> Result<Commentary, BulletinError> {
        let check = |field: &'static str, s: String| {
            let t = s.trim().replace("\r\n", "\n");
            if t.chars().count() > MAX_COMMENTARY {
                Err(BulletinError::TooLong {
                    field,
                    max: MAX_COMMENTARY,
                })
            } else {
                Ok(t)
            }
        };
        Ok(Commentary {
            overview: check("overview", self.overview)?,
            problems: check("problems", self.problems)?,
            requirements: check("requirements", self.requirements)?,
        })
    }

    /// A first text the office edits, written from the figures.
    pub fn suggested(c: &Content) -> Commentary {
        let t = &c.tasks;
        let pct = |tenths: i64| {
            if tenths % 10 == 0 {
                format!("{}%", tenths / 10)
            } else {
                format!("{}.{}%", tenths / 10, tenths % 10)
            }
        };
        let overview = format!(
            "截至{}，全市纳入督查的重点工作任务共{}项，其中绿灯{}项、黄灯{}项、红灯{}项，\
             平均进度{}（序时进度{}）。",
            date_zh(c.as_of),
            t.total,
            t.green,
            t.yellow,
            t.red,
            pct(t.progress_tenths),
            pct(t.expected_tenths)
        );
        let named = |lists: &[UnitItems]| {
            lists
                .iter()
                .map(|u| format!("{}（{}项）", u.unit, u.items.len()))
                .collect::<Vec<_>>()
                .join("、")
        };
        let mut problems = String::new();
        if t.overdue > 0 {
            problems.push_str(&format!(
                "逾期未完成任务{}项，涉及{}。",
                t.overdue,
                named(&c.overdue)
            ));
        }
        if t.red > 0 {
            problems.push_str(&format!("亮红灯任务{}项，涉及{}。", t.red, named(&c.red)));
        }
        if problems.is_empty() {
            problems.push_str("本期无逾期和亮红灯任务。");
        }
        Commentary {
            overview,
            problems,
            requirements: "各地各部门（单位）要对照本通报，逐项分析原因，制定整改措施，\
                           确保逾期和亮红灯任务按期销号，并于5个工作日内将整改情况书面报送市督查考核办公室。"
                .into(),
        }
    }
}

/// "2026年10月31日", as dates are printed in official documents.
pub fn date_zh(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The SHA-256 (hex) of what is issued: the content, the commentary and the number, as
/// canonical JSON in that order. Anyone holding the stored JSON recomputes it.
pub fn digest(content: &Content, commentary: &Commentary, number: &str) -> String {
    let mut h = Sha256::new();
    for part in [
        serde_json::to_vec(content).expect("plain data serialises"),
        serde_json::to_vec(commentary).expect("plain data serialises"),
        number.as_bytes().to_vec(),
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(&part);
    }
    format!("{:x}", h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    pub(crate) fn sample() -> Content {
        Content {
            title: "关于2026年10月全市重点工作推进情况的通报".into(),
            period: "2026-10".into(),
            period_name: "2026年10月".into(),
            issuer: "永康市督查考核办公室".into(),
            as_of: date(2026, 11, 4),
            tasks: TaskFigures {
                total: 20,
                green: 14,
                yellow: 4,
                red: 2,
                overdue: 1,
                progress_tenths: 725,
                expected_tenths: 800,
            },
            overdue: vec![UnitItems {
                unit: "市交通局".into(),
                items: vec![Item {
                    title: "城区道路改造".into(),
                    due: Some(date(2026, 9, 30)),
                    progress: 60,
                }],
            }],
            red: vec![],
            ranking: None,
            praised: vec![],
            criticised: vec![],
            charts: vec![],
        }
    }

    #[test]
    fn the_suggested_commentary_reads_the_figures() {
        let c = Commentary::suggested(&sample());
        assert!(
            c.overview
                .contains("共20项，其中绿灯14项、黄灯4项、红灯2项"),
            "{}",
            c.overview
        );
        assert!(
            c.overview.contains("平均进度72.5%（序时进度80%）"),
            "{}",
            c.overview
        );
        assert!(c.problems.contains("市交通局（1项）"), "{}", c.problems);
    }

    #[test]
    fn commentary_is_trimmed_and_limited() {
        let ok = Commentary {
            overview: "  概述\r\n第二段 ".into(),
            ..Default::default()
        }
        .checked()
        .unwrap();
        assert_eq!(ok.overview, "概述\n第二段");
        let long = Commentary {
            problems: "字".repeat(MAX_COMMENTARY + 1),
            ..Default::default()
        };
        assert_eq!(
            long.checked(),
            Err(BulletinError::TooLong {
                field: "problems",
                max: MAX_COMMENTARY
            })
        );
    }

    #[test]
    fn the_digest_changes_with_every_part_and_survives_a_round_trip() {
        let c = sample();
        let m = Commentary::suggested(&c);
        let d = digest(&c, &m, "永督通〔2026〕5号");
        assert_eq!(d.len(), 64);
        assert_ne!(d, digest(&c, &m, "永督通〔2026〕6号"));
        let mut m2 = m.clone();
        m2.requirements.push('。');
        assert_ne!(d, digest(&c, &m2, "永督通〔2026〕5号"));
        let back: Content = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(d, digest(&back, &m, "永督通〔2026〕5号"));
    }

    #[test]
    fn rank_lines_print_changes_and_stars() {
        let l = |change| RankLine {
            rank: 1,
            unit: "x".into(),
            total: 9850,
            change,
            stars: 3,
        };
        assert_eq!(l(Some(2)).change_text(), "↑2");
        assert_eq!(l(Some(-1)).change_text(), "↓1");
        assert_eq!(l(Some(0)).change_text(), "—");
        assert_eq!(l(None).change_text(), "");
        assert_eq!(l(None).stars_text(), "★★★");
        assert_eq!(l(None).total_text(), "98.5");
    }
}
