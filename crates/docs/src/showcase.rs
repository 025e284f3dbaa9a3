//! The raw score cards of a showcase (晒拼评分原始记录) as an .xlsx sheet, for the audit:
//! one row per card — presenter, judge, judge group, guest or not, each criterion's score,
//! the weighted total and when it was submitted. Nothing is aggregated here; the ranking is
//! recomputed from these rows by anyone who wants to check it.

use crate::FileError;
use crate::sheet::Styles;
use rust_xlsxwriter::{Workbook, XlsxError};

/// Excel's paper size code for A4.
const A4: u8 = 9;

/// One card as the sheet shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CardSheetRow {
    pub position: i64,
    pub unit: String,
    pub judge: String,
    pub judge_group: String,
    pub guest: bool,
    pub scores: Vec<u32>,
    /// The weighted total in points (two decimals).
    pub total: f64,
    /// The submission time in the city's zone, or empty for a card not submitted.
    pub submitted_at: String,
}

/// The workbook: one sheet, titled with the event, the criteria as columns.
pub fn write_cards_xlsx(
    title: &str,
    criteria: &[(String, u32)],
    rows: &[CardSheetRow],
) -> Result<Vec<u8>, FileError> {
    write(title, criteria, rows).map_err(|e| FileError::Write(e.to_string()))
}

fn write(
    title: &str,
    criteria: &[(String, u32)],
    rows: &[CardSheetRow],
) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("评分原始记录")?;
    let criteria_headers: Vec<String> = criteria
        .iter()
        .map(|(n, w)| format!("{n}（{w}%）"))
        .collect();
    let mut headers: Vec<(&str, f64)> = vec![
        ("出场", 6.0),
        ("单位", 18.0),
        ("评委", 14.0),
        ("评委组", 12.0),
        ("来宾", 6.0),
    ];
    headers.extend(criteria_headers.iter().map(|h| (h.as_str(), 12.0)));
    headers.push(("加权得分", 10.0));
    headers.push(("提交时间", 18.0));
    styles.banner_subtitle_and_header(
        sheet,
        title,
        "评分原始记录（每张评分卡一行）",
        headers.iter().copied(),
    )?;
    for (row, c) in (3u32..).zip(rows) {
        sheet.write_number_with_format(row, 0, c.position as f64, &styles.centred)?;
        sheet.write_string_with_format(row, 1, &c.unit, &styles.base)?;
        sheet.write_string_with_format(row, 2, &c.judge, &styles.base)?;
        sheet.write_string_with_format(row, 3, &c.judge_group, &styles.base)?;
        sheet.write_string_with_format(row, 4, if c.guest { "是" } else { "" }, &styles.centred)?;
        let mut col = 5u16;
        for s in &c.scores {
            sheet.write_number_with_format(row, col, f64::from(*s), &styles.centred)?;
            col += 1;
        }
        sheet.write_number_with_format(row, col, c.total, &styles.centred)?;
        sheet.write_string_with_format(row, col + 1, &c.submitted_at, &styles.centred)?;
    }
    let last_row = u32::try_from(rows.len()).map_or(u32::MAX, |n| n + 2).max(2);
    let last_col = u16::try_from(headers.len() - 1).unwrap_or(u16::MAX);
    sheet.set_freeze_panes(3, 0)?;
    sheet.autofilter(2, 0, last_row, last_col)?;
    sheet.set_landscape();
    sheet.set_paper_size(A4);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 2)?;
    sheet.set_footer("&C第 &P 页，共 &N 页");
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_card_is_a_row_with_its_scores_and_total() {
        let rows = vec![CardSheetRow {
            position: 1,
            unit: "东城街道".into(),
            judge: "群众代表 1".into(),
            judge_group: "群众代表".into(),
            guest: true,
            scores: vec![90, 80, 70, 60],
            total: 80.0,
            submitted_at: "2026-07-31 10:02".into(),
        }];
        let criteria: Vec<(String, u32)> = [
            ("工作实绩", 40),
            ("特色亮点", 30),
            ("直面短板", 20),
            ("精神面貌", 10),
        ]
        .into_iter()
        .map(|(n, w)| (n.to_string(), w))
        .collect();
        let bytes = write_cards_xlsx("2026年上半年大晒拼", &criteria, &rows).unwrap();
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = calamine::Reader::worksheet_range(&mut book, "评分原始记录").unwrap();
        let cell = |r: u32, c: u32| {
            range
                .get_value((r, c))
                .map(|v| v.to_string())
                .unwrap_or_default()
        };
        assert_eq!(cell(2, 5), "工作实绩（40%）");
        assert_eq!(cell(3, 1), "东城街道");
        assert_eq!(cell(3, 4), "是");
        assert_eq!(cell(3, 5), "90");
        assert_eq!(cell(3, 9), "80");
        assert_eq!(cell(3, 10), "2026-07-31 10:02");
    }
}
