//! The formal notices of the escalation ladder (DOMAIN.md §2.1): the 催办通知书 issued the day
//! after a deadline passes and the 督办单 that follows, as .docx files to print, seal and send.
//!
//! The layout follows Chinese official documents (GB/T 9704 in spirit, not to the millimetre):
//! A4 with the usual margins, the issuer and the notice's name in red 方正小标宋简体 over a red
//! rule with the number (永督〔2026〕12号) above it, the addressee, body text in 3号仿宋_GB2312
//! with a fixed 28 pt line, a table of the case's facts, the issuer and date at the bottom
//! right, and the 抄送 / 印发 lines between rules. Chinese fonts are set as the East Asian font
//! of every run, with Times New Roman for digits and Latin letters, so a machine without the
//! official fonts still shows the text in its own Chinese fallback. What to write (the
//! requirement, who is copied) is the caller's; this module only lays it out.

pub(crate) mod layout;

use crate::FileError;
use jiff::civil::Date;
use layout::{Fact, Style, facts_table, paragraph};

/// Which notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    /// 催办通知书 — a reminder once the deadline has passed.
    Urge,
    /// 督办单 — formal supervision, a step up from 催办.
    Supervise,
}

impl NoticeKind {
    /// The notice's name as printed under the issuer.
    pub fn label_zh(self) -> &'static str {
        match self {
            NoticeKind::Urge => "催办通知书",
            NoticeKind::Supervise => "督办单",
        }
    }

    /// The verb of the body: 催办 or 督办.
    fn verb(self) -> &'static str {
        match self {
            NoticeKind::Urge => "催办",
            NoticeKind::Supervise => "督办",
        }
    }
}

/// Everything printed on a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    /// 文号, e.g. 永督〔2026〕12号.
    pub number: String,
    /// The unit the notice is addressed to (主送).
    pub addressee: String,
    /// The case's code in the system.
    pub case_code: String,
    pub title: String,
    /// What the case asks for; several lines become several paragraphs.
    pub content: String,
    /// Where the case came from (领导批示, 会议纪要 …); may be empty.
    pub source: String,
    /// 交办日期.
    pub assigned_on: Date,
    /// 办理时限.
    pub due: Date,
    /// Working days past `due` on `issued_on`; 0 or less prints no overdue sentence.
    pub overdue_workdays: i64,
    /// What the unit must do, e.g. "请于3个工作日内书面说明逾期原因及整改计划".
    pub requirement: String,
    /// The issuing office, e.g. 永康市督查考核办公室.
    pub issuer: String,
    pub issued_on: Date,
    /// 抄送: usually the unit's portfolio leader.
    pub copy_to: Vec<String>,
}

/// "2026年7月3日", as dates are printed in official documents.
fn date_zh(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The notice as a .docx file.
pub fn write_notice_docx(n: &Notice) -> Result<Vec<u8>, FileError> {
    let mut doc = layout::document(n.issued_on)
        .add_paragraph(paragraph(Style::Issuer, n.issuer.trim()))
        .add_paragraph(paragraph(Style::Name, n.kind.label_zh()))
        .add_paragraph(paragraph(Style::Number, n.number.trim()))
        .add_paragraph(paragraph(
            Style::Addressee,
            &format!("{}：", n.addressee.trim()),
        ))
        .add_paragraph(paragraph(Style::Body, &body(n)))
        .add_table(facts_table(&facts(n)))
        .add_paragraph(paragraph(Style::Body, &sentence(&n.requirement)))
        .add_paragraph(paragraph(Style::Body, "特此通知。"))
        .add_paragraph(paragraph(Style::Signature { first: true }, n.issuer.trim()))
        .add_paragraph(paragraph(
            Style::Signature { first: false },
            &date_zh(n.issued_on),
        ));
    let copy_to: Vec<&str> = n
        .copy_to
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if !copy_to.is_empty() {
        let line = format!("\u{3000}抄送：{}。", copy_to.join("，"));
        doc = doc.add_paragraph(paragraph(Style::CopyTo, &line));
    }
    let printed = format!("\u{3000}{}\t{}印发", n.issuer.trim(), date_zh(n.issued_on));
    let alone = copy_to.is_empty();
    doc = doc.add_paragraph(paragraph(Style::Printed { alone }, &printed));

    let mut out = std::io::Cursor::new(Vec::new());
    doc.pack(&mut out)
        .map_err(|e| FileError::Write(e.to_string()))?;
    Ok(out.into_inner())
}

/// The body before the table: what the case is, since when, and how late.
fn body(n: &Notice) -> String {
    let late = if n.overdue_workdays > 0 {
        format!("已逾期{}个工作日，", n.overdue_workdays)
    } else {
        String::new()
    };
    format!(
        "你单位承办的“{}”事项，于{}交办，办理时限为{}。截至{}，该事项{}尚未办结。\
         根据督查督办工作有关规定，现予{}。事项基本情况如下：",
        n.title.trim(),
        date_zh(n.assigned_on),
        date_zh(n.due),
        date_zh(n.issued_on),
        late,
        n.kind.verb(),
    )
}

/// The rows of the facts table, one or two facts each.
fn facts(n: &Notice) -> Vec<Vec<Fact>> {
    let overdue = if n.overdue_workdays > 0 {
        format!("{}个工作日", n.overdue_workdays)
    } else {
        "未逾期".to_string()
    };
    let code = ("事项编号", n.case_code.trim().to_string());
    let mut rows = vec![match n.source.trim() {
        "" => vec![code],
        source => vec![code, ("事项来源", source.to_string())],
    }];
    rows.push(vec![("事项名称", n.title.trim().to_string())]);
    if !n.content.trim().is_empty() {
        rows.push(vec![("事项内容", n.content.trim().to_string())]);
    }
    rows.push(vec![
        ("交办日期", date_zh(n.assigned_on)),
        ("办理时限", date_zh(n.due)),
    ]);
    rows.push(vec![
        ("承办单位", n.addressee.trim().to_string()),
        ("逾期工作日", overdue),
    ]);
    rows
}

/// The text ending in a full stop (the requirement is often written without one).
fn sentence(text: &str) -> String {
    let t = text.trim();
    if t.is_empty() || t.ends_with(['。', '！', '；', '.']) {
        t.to_string()
    } else {
        format!("{t}。")
    }
}

#[cfg(test)]
mod tests;
