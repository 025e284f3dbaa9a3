//! The office's 月度进展汇总表: every unit's reports of one period on one sheet. Its columns
//! are the 月度进展报送表's (so it reads back with [`super::read_progress_sheet`] as the same
//! reports) with 上期采纳比例 (the accepted percentage before this report) and 状态 beside
//! them; 累计完成 holds the indicator actuals the report states, one per line.

use super::ProgressSheetRow;
use super::columns::ProgressColumn;
use super::values::pace_label_zh;
use crate::FileError;
use crate::sheet::{Styles, row_height};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

const SHEET_NAME: &str = "进展汇总";
const HEADER_ROW: u32 = 2;

/// A report of the period as the summary shows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SummarySheetRow {
    pub report: ProgressSheetRow,
    /// 上期采纳比例: the task's accepted percentage before this report, in percent.
    pub previous: Option<f64>,
    /// 状态: where the report stands (已采纳, 待审核 …), as the reader should see it.
    pub state: String,
}

/// What each column of the summary holds.
#[derive(Clone, Copy)]
enum Col {
    Sheet(ProgressColumn),
    Previous,
    State,
}

const COLUMNS: [(Col, f64); 15] = [
    (Col::Sheet(ProgressColumn::Seq), 6.0),
    (Col::Sheet(ProgressColumn::TaskCode), 9.0),
    (Col::Sheet(ProgressColumn::TaskName), 24.0),
    (Col::Sheet(ProgressColumn::LeadUnit), 12.0),
    (Col::Sheet(ProgressColumn::NoChange), 8.0),
    (Col::Sheet(ProgressColumn::Progress), 32.0),
    (Col::Sheet(ProgressColumn::Cumulative), 18.0),
    (Col::Sheet(ProgressColumn::Percent), 9.0),
    (Col::Previous, 9.0),
    (Col::Sheet(ProgressColumn::LowerReason), 14.0),
    (Col::Sheet(ProgressColumn::Pace), 9.0),
    (Col::Sheet(ProgressColumn::Issues), 22.0),
    (Col::Sheet(ProgressColumn::NextSteps), 22.0),
    (Col::Sheet(ProgressColumn::Coordination), 16.0),
    (Col::State, 9.0),
];

fn header(col: Col) -> &'static str {
    match col {
        Col::Sheet(c) => c.label_zh(),
        Col::Previous => "上期采纳比例",
        Col::State => "状态",
    }
}

/// An .xlsx workbook with one sheet, 进展汇总: `title` and `period_label` as the banner, the
/// header, one row per report.
pub fn write_progress_summary(
    title: &str,
    period_label: &str,
    rows: &[SummarySheetRow],
) -> Result<Vec<u8>, FileError> {
    write(title, period_label, rows).map_err(|e| FileError::Write(e.to_string()))
}

fn text(row: &SummarySheetRow, col: Col) -> &str {
    let r = &row.report;
    match col {
        Col::Sheet(c) => match c {
            ProgressColumn::Seq => &r.seq,
            ProgressColumn::TaskCode => &r.task_code,
            ProgressColumn::TaskName => &r.task_name,
            ProgressColumn::LeadUnit => &r.lead_unit,
            ProgressColumn::NoChange if r.no_change => "是",
            ProgressColumn::Progress => &r.progress,
            ProgressColumn::Cumulative => &r.cumulative,
            ProgressColumn::LowerReason => &r.lower_reason,
            ProgressColumn::Pace => r.pace.map_or("", pace_label_zh),
            ProgressColumn::Issues => &r.issues,
            ProgressColumn::NextSteps => &r.next_steps,
            ProgressColumn::Coordination => &r.coordination,
            _ => "",
        },
        Col::Previous => "",
        Col::State => &row.state,
    }
}

fn write(title: &str, period_label: &str, rows: &[SummarySheetRow]) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let percent_format = |p: f64| -> Format {
        let code = if p.fract() == 0.0 { "0%" } else { "0.0#%" };
        styles.centred.clone().set_num_format(code)
    };
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET_NAME)?;
    let headers = COLUMNS.iter().map(|(c, w)| (header(*c), *w));
    styles.banner_subtitle_and_header(sheet, title, period_label, headers)?;
    for (row, report) in (HEADER_ROW + 1..).zip(rows) {
        let height = row_height(COLUMNS.iter().map(|(c, w)| (text(report, *c), *w)));
        sheet.set_row_height(row, height)?;
        for (col, (column, _)) in (0u16..).zip(COLUMNS) {
            let percent = match column {
                Col::Sheet(ProgressColumn::Percent) => Some(report.report.percent),
                Col::Previous => Some(report.previous),
                _ => None,
            };
            match percent {
                Some(Some(p)) => {
                    sheet.write_number_with_format(row, col, p / 100.0, &percent_format(p))?;
                }
                Some(None) => {
                    sheet.write_blank(row, col, &styles.centred)?;
                }
                None => {
                    let format = match column {
                        Col::Sheet(
                            ProgressColumn::Seq
                            | ProgressColumn::TaskCode
                            | ProgressColumn::NoChange
                            | ProgressColumn::Pace,
                        )
                        | Col::State => &styles.centred,
                        _ => &styles.base,
                    };
                    let t = text(report, column);
                    if t.is_empty() {
                        sheet.write_blank(row, col, format)?;
                    } else {
                        sheet.write_string_with_format(row, col, t, format)?;
                    }
                }
            }
        }
    }
    let last_col = u16::try_from(COLUMNS.len() - 1).expect("15 columns");
    let last_row = u32::try_from(rows.len()).map_or(u32::MAX, |n| n + HEADER_ROW);
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    sheet.autofilter(HEADER_ROW, 0, last_row.max(HEADER_ROW + 1), last_col)?;
    crate::sheet::print::setup(sheet, HEADER_ROW)?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::read_progress_sheet;
    use duban_core::progress::schedule::Pace;

    fn report(seq: &str, code: &str, percent: f64, no_change: bool) -> SummarySheetRow {
        SummarySheetRow {
            report: ProgressSheetRow {
                seq: seq.into(),
                task_code: code.into(),
                task_name: format!("{seq} 任务{code}"),
                lead_unit: "市经信局".into(),
                progress: if no_change {
                    "无变化".into()
                } else {
                    "完成主体结构".into()
                },
                cumulative: "投资：1.6亿元".into(),
                percent: Some(percent),
                no_change,
                pace: Some(Pace::OnPace),
                issues: "资金紧".into(),
                ..ProgressSheetRow::default()
            },
            previous: Some(60.0),
            state: "已采纳".into(),
        }
    }

    #[test]
    fn the_summary_reads_back_as_the_same_reports() {
        let rows = vec![
            report("1", "11", 73.5, false),
            report("2", "12", 60.0, true),
        ];
        let bytes = write_progress_summary("2026年重点工作进展汇总表", "2026-11", &rows).unwrap();
        let sheet = read_progress_sheet(&bytes, 2026).unwrap();
        assert_eq!(sheet.problem_count(), 0, "{:?}", sheet.rows);
        assert_eq!(sheet.period_label.as_deref(), Some("2026-11"));
        assert_eq!(sheet.ignored_columns, vec!["上期采纳比例", "状态"]);
        let back: Vec<&ProgressSheetRow> = sheet.rows.iter().map(|r| &r.parsed).collect();
        assert_eq!(back.len(), 2);
        for (read, written) in back.iter().zip(&rows) {
            assert_eq!(read.task_code, written.report.task_code);
            assert_eq!(read.percent, written.report.percent);
            assert_eq!(read.no_change, written.report.no_change);
            assert_eq!(read.cumulative, written.report.cumulative);
            assert_eq!(read.pace, written.report.pace);
            assert_eq!(read.issues, written.report.issues);
        }
    }
}
