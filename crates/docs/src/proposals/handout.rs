//! The hand-out sheet (建议提案交办表, DOMAIN §4.3) as .xlsx: [`read_handout_sheet_within`]
//! reads it as the offices keep it (banners above, headers in any order, 案由 or 标题, a
//! 领衔代表 or 提案者 column), giving each row with its Excel row number, the header of every
//! cell and the texts as written; [`write_handout_xlsx`] writes the same layout.
//!
//! Opening the workbook, its bounds and refusals (size, rows, CSV/WPS) are the task lists'
//! (`sheet::read::first_sheet_with_header`). Names, numbers and the yes/no of 是否重点督办 stay
//! as written: matching them to people, units and free numbers is the web service's job.

use crate::FileError;
use crate::lists::grid::Grid;
use crate::lists::read::row_number;
use crate::lists::units::split_units;
use crate::sheet::Styles;
use crate::sheet::read::{Layout, column_named, first_sheet_with_header};
use rust_xlsxwriter::{Workbook, XlsxError};
use serde::Serialize;

/// A column of the hand-out sheet that the reader understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HandoutColumn {
    /// 编号 (建议号 / 提案号)
    Number,
    /// 标题 (案由)
    Title,
    /// 领衔代表 / 提案者
    Proposer,
    /// 联名人
    Cosigners,
    /// 代表团 / 界别
    Group,
    /// 类别
    Category,
    /// 主办单位
    LeadUnit,
    /// 协办 (会办) 单位
    CoUnits,
    /// 分办单位
    SplitUnits,
    /// 是否重点督办
    KeyItem,
    /// 督办领导
    Leader,
    /// 交办日期
    HandedOutOn,
    /// 答复期限
    ReplyDue,
    /// 承办联系人
    Contact,
    /// 主要内容 (not in every sheet)
    Content,
}

impl HandoutColumn {
    /// The columns in the order [`write_handout_xlsx`] writes them (DOMAIN §4.3, then 主要内容).
    pub const WRITTEN: [HandoutColumn; 15] = [
        HandoutColumn::Number,
        HandoutColumn::Title,
        HandoutColumn::Proposer,
        HandoutColumn::Cosigners,
        HandoutColumn::Group,
        HandoutColumn::Category,
        HandoutColumn::LeadUnit,
        HandoutColumn::CoUnits,
        HandoutColumn::SplitUnits,
        HandoutColumn::KeyItem,
        HandoutColumn::Leader,
        HandoutColumn::HandedOutOn,
        HandoutColumn::ReplyDue,
        HandoutColumn::Contact,
        HandoutColumn::Content,
    ];

    /// The usual Chinese header of the column.
    pub fn label_zh(self) -> &'static str {
        match self {
            HandoutColumn::Number => "编号",
            HandoutColumn::Title => "标题（案由）",
            HandoutColumn::Proposer => "领衔代表/提案者",
            HandoutColumn::Cosigners => "联名人",
            HandoutColumn::Group => "代表团/界别",
            HandoutColumn::Category => "类别",
            HandoutColumn::LeadUnit => "主办单位",
            HandoutColumn::CoUnits => "协办（会办）单位",
            HandoutColumn::SplitUnits => "分办单位",
            HandoutColumn::KeyItem => "是否重点督办",
            HandoutColumn::Leader => "督办领导",
            HandoutColumn::HandedOutOn => "交办日期",
            HandoutColumn::ReplyDue => "答复期限",
            HandoutColumn::Contact => "承办联系人",
            HandoutColumn::Content => "主要内容",
        }
    }

    fn width(self) -> f64 {
        match self {
            HandoutColumn::Title | HandoutColumn::Content => 36.0,
            HandoutColumn::Number | HandoutColumn::HandedOutOn | HandoutColumn::ReplyDue => 12.0,
            HandoutColumn::KeyItem | HandoutColumn::Category => 10.0,
            _ => 14.0,
        }
    }

    /// Recognises a header cell, or `None` for a column the reader does not know.
    fn recognise(text: &str) -> Option<HandoutColumn> {
        column_named(NAMES, text)
    }
}

/// Headers are compared after `lists::columns::normalise_header` (folded, a bracketed suffix
/// dropped: 标题（案由） is 标题), and exactly.
const NAMES: &[(&[&str], HandoutColumn)] = &[
    (&["编号", "建议号", "提案号", "案号"], HandoutColumn::Number),
    (
        &["标题", "案由", "建议标题", "提案标题", "题目"],
        HandoutColumn::Title,
    ),
    (
        &[
            "领衔代表/提案者",
            "领衔代表",
            "提案者",
            "提案人",
            "领衔人",
            "代表",
            "提出人",
        ],
        HandoutColumn::Proposer,
    ),
    (&["联名人", "联名代表", "附议人"], HandoutColumn::Cosigners),
    (
        &["代表团/界别", "代表团", "界别", "所在代表团"],
        HandoutColumn::Group,
    ),
    (&["类别", "分类", "内容分类"], HandoutColumn::Category),
    (
        &["主办单位", "承办单位", "牵头单位"],
        HandoutColumn::LeadUnit,
    ),
    (
        &["协办（会办）单位", "协办单位", "会办单位", "协办"],
        HandoutColumn::CoUnits,
    ),
    (&["分办单位", "分办"], HandoutColumn::SplitUnits),
    (
        &["是否重点督办", "重点督办", "是否重点"],
        HandoutColumn::KeyItem,
    ),
    (&["督办领导", "领办领导"], HandoutColumn::Leader),
    (&["交办日期", "交办时间"], HandoutColumn::HandedOutOn),
    (
        &["答复期限", "办理期限", "办复期限"],
        HandoutColumn::ReplyDue,
    ),
    (&["承办联系人", "联系人"], HandoutColumn::Contact),
    (&["主要内容", "内容"], HandoutColumn::Content),
];

/// One row of the sheet with every text as written (trimmed); names lists split.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HandoutText {
    pub number: String,
    pub title: String,
    /// The lead proposer as written (王某, or 王某（领衔）).
    pub proposer: String,
    pub cosigners: Vec<String>,
    pub group: String,
    pub category: String,
    pub lead_unit: String,
    pub co_units: Vec<String>,
    pub split_units: Vec<String>,
    /// 是/否 as written.
    pub key_item: String,
    pub leader: String,
    /// A date cell as `2026-03-20`, other text as written.
    pub handed_out_on: String,
    pub reply_due: String,
    pub contact: String,
    pub content: String,
}

/// One row as read: where it is, the header each column had, and what it says.
#[derive(Debug, Clone, Serialize)]
pub struct HandoutRow {
    /// Excel row number (1-based).
    pub row: u32,
    pub text: HandoutText,
    /// The header as written of each recognised column.
    pub headers: Vec<(HandoutColumn, String)>,
}

impl HandoutRow {
    /// The header of a column as the sheet wrote it, else its usual name.
    pub fn header(&self, c: HandoutColumn) -> String {
        self.headers
            .iter()
            .find(|(col, _)| *col == c)
            .map_or_else(|| c.label_zh().to_string(), |(_, h)| h.clone())
    }
}

/// The hand-out sheet as read from the first worksheet with its header.
#[derive(Debug, Clone, Serialize)]
pub struct HandoutSheet {
    pub sheet_name: String,
    /// Headers of columns the reader does not use, as written.
    pub ignored_columns: Vec<String>,
    pub rows: Vec<HandoutRow>,
}

/// Reads the first worksheet whose top rows hold a hand-out header (标题/案由 and 领衔代表/
/// 提案者 at least), within `limits` — the same opening, bounds and refusals as every sheet
/// reader: [`FileError::TooLarge`], [`FileError::SaveAsXlsx`] for CSV or WPS .et,
/// [`FileError::NotXlsx`], [`FileError::OverLimit`], [`FileError::MissingColumns`], or
/// [`FileError::NoHandoutHeader`].
pub fn read_handout_sheet_within(
    bytes: &[u8],
    limits: &crate::Limits,
) -> Result<HandoutSheet, FileError> {
    let found = first_sheet_with_header(
        bytes,
        limits,
        |grid| Layout::find(grid, HandoutColumn::recognise),
        |layout: &Layout<HandoutColumn>| {
            [HandoutColumn::Title, HandoutColumn::Proposer]
                .into_iter()
                .filter(|c| !layout.has(*c))
                .map(|c| c.label_zh().to_string())
                .collect()
        },
        |sheets| FileError::NoHandoutHeader { sheets },
    )?;
    Ok(HandoutSheet {
        sheet_name: found.name.clone(),
        ignored_columns: found.header.ignored.clone(),
        rows: read_rows(&found.grid, &found.header),
    })
}

fn read_rows(grid: &Grid, layout: &Layout<HandoutColumn>) -> Vec<HandoutRow> {
    let headers: Vec<(HandoutColumn, String)> = layout.matches(|c, h, _| (c, h));
    layout
        .data_rows(grid, HandoutColumn::Number)
        .into_iter()
        .map(|r| {
            let text = |c: HandoutColumn| layout.text(grid, r, c).to_string();
            let list = |c: HandoutColumn| split_units(layout.text(grid, r, c));
            let date = |c: HandoutColumn| match layout.filled_cell(grid, r, c) {
                Some(cell) => cell
                    .date
                    .map_or_else(|| cell.text.trim().to_string(), |d| d.to_string()),
                None => String::new(),
            };
            HandoutRow {
                row: row_number(r),
                text: HandoutText {
                    number: text(HandoutColumn::Number),
                    title: text(HandoutColumn::Title),
                    proposer: text(HandoutColumn::Proposer),
                    cosigners: list(HandoutColumn::Cosigners),
                    group: text(HandoutColumn::Group),
                    category: text(HandoutColumn::Category),
                    lead_unit: text(HandoutColumn::LeadUnit),
                    co_units: list(HandoutColumn::CoUnits),
                    split_units: list(HandoutColumn::SplitUnits),
                    key_item: text(HandoutColumn::KeyItem),
                    leader: text(HandoutColumn::Leader),
                    handed_out_on: date(HandoutColumn::HandedOutOn),
                    reply_due: date(HandoutColumn::ReplyDue),
                    contact: text(HandoutColumn::Contact),
                    content: text(HandoutColumn::Content),
                },
                headers: headers.clone(),
            }
        })
        .collect()
}

/// The hand-out sheet as .xlsx: `title` as the banner, the header (frozen), one row per item.
pub fn write_handout_xlsx(title: &str, rows: &[HandoutText]) -> Result<Vec<u8>, FileError> {
    write(title, rows).map_err(|e| FileError::Write(e.to_string()))
}

fn write(title: &str, rows: &[HandoutText]) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("建议提案交办表")?;
    let headers = HandoutColumn::WRITTEN.map(|c| (c.label_zh(), c.width()));
    styles.banner_and_header(sheet, title, headers)?;
    for (row, t) in (2u32..).zip(rows) {
        let texts = [
            t.number.clone(),
            t.title.clone(),
            t.proposer.clone(),
            t.cosigners.join("、"),
            t.group.clone(),
            t.category.clone(),
            t.lead_unit.clone(),
            t.co_units.join("、"),
            t.split_units.join("、"),
            t.key_item.clone(),
            t.leader.clone(),
            t.handed_out_on.clone(),
            t.reply_due.clone(),
            t.contact.clone(),
            t.content.clone(),
        ];
        let widths = HandoutColumn::WRITTEN.map(HandoutColumn::width);
        let height = crate::sheet::row_height(texts.iter().map(String::as_str).zip(widths));
        sheet.set_row_height(row, height.min(409.0))?;
        for (col, text) in (0u16..).zip(texts) {
            sheet.write_string_with_format(row, col, text, &styles.base)?;
        }
    }
    sheet.set_freeze_panes(2, 1)?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> HandoutText {
        HandoutText {
            number: "J2026-068".into(),
            title: "关于增设某路口红绿灯的建议".into(),
            proposer: "王某（领衔）".into(),
            cosigners: vec!["李某".into(), "张某".into()],
            group: "某镇代表团".into(),
            category: "城建交通".into(),
            lead_unit: "市公安局交警大队".into(),
            co_units: vec!["市住建局".into()],
            split_units: vec![],
            key_item: "否".into(),
            leader: String::new(),
            handed_out_on: "2026-03-20".into(),
            reply_due: "2026-06-20".into(),
            contact: "交警大队秩序科 陈某".into(),
            content: String::new(),
        }
    }

    #[test]
    fn a_written_sheet_reads_back_row_by_row_with_its_headers() {
        let bytes = write_handout_xlsx("2026年建议交办表", &[example()]).expect("write");
        let sheet = read_handout_sheet_within(&bytes, &crate::Limits::default()).expect("read");
        assert_eq!(sheet.rows.len(), 1);
        let row = &sheet.rows[0];
        assert_eq!(row.row, 3, "banner, header, then the first item");
        assert_eq!(row.text, example());
        assert_eq!(row.header(HandoutColumn::Title), "标题（案由）");
    }

    #[test]
    fn header_variants_name_the_same_column() {
        for (text, column) in [
            ("案由", HandoutColumn::Title),
            ("标题（案由）", HandoutColumn::Title),
            ("提案者", HandoutColumn::Proposer),
            ("领衔代表", HandoutColumn::Proposer),
            ("建议号", HandoutColumn::Number),
            ("协办单位", HandoutColumn::CoUnits),
            ("界别", HandoutColumn::Group),
        ] {
            assert_eq!(HandoutColumn::recognise(text), Some(column), "{text}");
        }
        for column in HandoutColumn::WRITTEN {
            assert_eq!(HandoutColumn::recognise(column.label_zh()), Some(column));
        }
        assert_eq!(HandoutColumn::recognise("2026年建议交办表"), None);
    }

    #[test]
    fn a_sheet_without_a_proposer_column_names_what_it_lacks() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "编号").expect("cell");
        ws.write_string(0, 1, "案由").expect("cell");
        ws.write_string(1, 1, "关于某事的建议").expect("cell");
        let bytes = wb.save_to_buffer().expect("save");
        match read_handout_sheet_within(&bytes, &crate::Limits::default()) {
            Err(FileError::MissingColumns(cols)) => assert_eq!(cols, ["领衔代表/提案者"]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_csv_is_refused_with_the_readers_words() {
        let csv = "编号,案由,领衔代表\nJ2026-001,关于某事的建议,王某\n".as_bytes();
        assert!(matches!(
            read_handout_sheet_within(csv, &crate::Limits::default()),
            Err(FileError::SaveAsXlsx { .. })
        ));
    }
}
