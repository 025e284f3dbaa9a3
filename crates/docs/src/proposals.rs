//! Suggestions and proposals (人大代表建议 · 政协提案) on paper: the reply letter (答复函) a
//! unit signs and sends, the feedback form (征询意见表) that goes with it for the proposer to
//! return, both as .docx in the layout of the 督办单 (`notice::layout`: 仿宋 body, 小标宋
//! title, Chinese fonts as the East Asian font of every run); and the handling summary
//! (办理情况汇总表, DOMAIN §4.3) as .xlsx; the hand-out sheet (建议提案交办表) read and
//! written by [`handout`].

mod handout;

pub use handout::{
    HandoutColumn, HandoutRow, HandoutSheet, HandoutText, read_handout_sheet_within,
    write_handout_xlsx,
};

use crate::FileError;
use crate::notice::layout::{Fact, Style, document, facts_table, paragraph};
use crate::sheet::Styles;
use jiff::civil::Date;
use rust_xlsxwriter::{Workbook, XlsxError};

/// Everything printed on a reply letter and its feedback form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyLetter {
    /// 建议 or 提案.
    pub noun: String,
    /// 代表 or 委员.
    pub proposer_word: String,
    /// J2026-068
    pub number: String,
    pub title: String,
    /// The lead proposer and co-signers, lead first.
    pub proposers: Vec<String>,
    /// The unit replying (the letter's issuer).
    pub unit: String,
    /// Co-units whose opinions the reply includes.
    pub co_units: Vec<String>,
    /// "A类（已解决或基本解决）".
    pub class: String,
    /// The reply's text; several lines become several paragraphs.
    pub body: String,
    pub signed_on: Date,
    /// 1 for the first reply; 2 after a dissatisfied rating.
    pub round: u32,
    /// Who receives copies: 人大代表工委 / 政协提案委, 市政府办公室.
    pub copy_to: Vec<String>,
}

/// "2026年7月3日".
fn date_zh(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn pack(doc: docx_rs::Docx) -> Result<Vec<u8>, FileError> {
    let mut out = std::io::Cursor::new(Vec::new());
    doc.pack(&mut out)
        .map_err(|e| FileError::Write(e.to_string()))?;
    Ok(out.into_inner())
}

impl ReplyLetter {
    fn heading(&self) -> String {
        let again = if self.round > 1 {
            "（重新办理）"
        } else {
            ""
        };
        format!(
            "关于第{}号{}的答复{again}",
            self.number.trim(),
            self.noun.trim()
        )
    }

    fn addressee(&self) -> String {
        let names: Vec<&str> = self
            .proposers
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        format!("{}{}：", names.join("、"), self.proposer_word.trim())
    }
}

/// The reply letter (答复函) as a .docx file.
pub fn write_reply_docx(r: &ReplyLetter) -> Result<Vec<u8>, FileError> {
    let mut doc = document(r.signed_on)
        .add_paragraph(paragraph(Style::Issuer, r.unit.trim()))
        .add_paragraph(paragraph(Style::Name, "答复函"))
        .add_paragraph(paragraph(Style::Number, &r.heading()))
        .add_paragraph(paragraph(Style::Addressee, &r.addressee()))
        .add_paragraph(paragraph(
            Style::Body,
            &format!(
                "您提出的《{}》（第{}号）收悉。我单位高度重视，经认真研究，现答复如下：",
                r.title.trim(),
                r.number.trim()
            ),
        ));
    for line in r.body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        doc = doc.add_paragraph(paragraph(Style::Body, line));
    }
    if !r.co_units.is_empty() {
        doc = doc.add_paragraph(paragraph(
            Style::Body,
            &format!("本答复已征求{}（协办单位）意见。", r.co_units.join("、")),
        ));
    }
    doc = doc
        .add_paragraph(paragraph(
            Style::Body,
            &format!("办理结果类别：{}。", r.class.trim()),
        ))
        .add_paragraph(paragraph(
            Style::Body,
            "感谢您对我们工作的关心和支持，欢迎继续提出宝贵意见。请对本答复填写所附征询意见表。",
        ))
        .add_paragraph(paragraph(Style::Signature { first: true }, r.unit.trim()))
        .add_paragraph(paragraph(
            Style::Signature { first: false },
            &date_zh(r.signed_on),
        ));
    let copy_to: Vec<&str> = r
        .copy_to
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if !copy_to.is_empty() {
        let line = format!("\u{3000}抄送：{}。", copy_to.join("，"));
        doc = doc.add_paragraph(paragraph(Style::CopyTo, &line));
    }
    pack(doc)
}

/// The proposer's feedback form (征询意见表) for the reply, as a .docx file.
pub fn write_feedback_docx(r: &ReplyLetter) -> Result<Vec<u8>, FileError> {
    let tick = "□满意　□基本满意　□不满意";
    let rows: Vec<Vec<Fact>> = vec![
        vec![
            ("编号", r.number.trim().to_string()),
            ("承办单位", r.unit.trim().to_string()),
        ],
        vec![("案由", r.title.trim().to_string())],
        vec![
            ("领衔人", r.proposers.first().cloned().unwrap_or_default()),
            ("答复日期", date_zh(r.signed_on)),
        ],
        vec![("办理结果类别", r.class.trim().to_string())],
        vec![("办理前后是否联系见面", "□是　□否".to_string())],
        vec![("对办理工作的评价", tick.to_string())],
        vec![("对办理结果的评价", tick.to_string())],
        vec![("具体意见和建议", "\n\n\n".to_string())],
        vec![
            ("签名", String::new()),
            ("日期", "　　年　　月　　日".to_string()),
        ],
    ];
    let doc = document(r.signed_on)
        .add_paragraph(paragraph(
            Style::Name,
            &format!("{}办理征询意见表", r.noun.trim()),
        ))
        .add_paragraph(paragraph(Style::Number, &r.heading()))
        .add_table(facts_table(&rows))
        .add_paragraph(paragraph(
            Style::Body,
            &format!(
                "请于收到答复后20个工作日内填写并反馈承办单位，也可在“掌上督”中直接评价。评价须由{}本人作出，承办单位不得代为填写。",
                r.proposer_word.trim()
            ),
        ));
    pack(doc)
}

/// One row of the handling summary (办理情况汇总表), every cell as text.
pub type SummaryRow = [String; SUMMARY_COLUMNS.len()];

/// The summary's columns (DOMAIN §4.3: the hand-out sheet's, then what handling added), with
/// their widths.
pub const SUMMARY_COLUMNS: [(&str, f64); 22] = [
    ("编号", 12.0),
    ("标题（案由）", 36.0),
    ("领衔代表/提案者", 12.0),
    ("联名人", 14.0),
    ("代表团/界别", 12.0),
    ("类别", 10.0),
    ("主办单位", 12.0),
    ("协办（会办）单位", 14.0),
    ("分办单位", 12.0),
    ("是否重点督办", 8.0),
    ("督办领导", 10.0),
    ("交办日期", 12.0),
    ("答复期限", 12.0),
    ("状态", 12.0),
    ("见面（三个一）记录", 18.0),
    ("一把手参与", 8.0),
    ("答复日期", 12.0),
    ("答复文号", 14.0),
    ("办理结果类别", 10.0),
    ("满意度", 10.0),
    ("是否不满意重办", 10.0),
    ("续报日期", 14.0),
];

/// The handling summary as .xlsx, one row per item under a banner.
pub fn write_summary_xlsx(title: &str, rows: &[SummaryRow]) -> Result<Vec<u8>, FileError> {
    summary(title, rows).map_err(|e| FileError::Write(e.to_string()))
}

fn summary(title: &str, rows: &[SummaryRow]) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("办理情况汇总表")?;
    styles.banner_and_header(sheet, title, SUMMARY_COLUMNS.iter().copied())?;
    for (row, r) in (2u32..).zip(rows) {
        for (col, text) in (0u16..).zip(r.iter()) {
            sheet.write_string_with_format(row, col, text, &styles.base)?;
        }
    }
    sheet.set_freeze_panes(2, 1)?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests;
