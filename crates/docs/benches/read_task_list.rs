//! How long reading a large task list takes: 10,000 rows in the hand-filled layout (two-row
//! header with quarters, dotted sub-tasks, text deadlines, indicators guessed from targets).

use duban_docs::lists::read_task_list;
use jiff::civil::date;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::sync::LazyLock;

const ROWS: u32 = 10_000;

static SHEET: LazyLock<Vec<u8>> =
    LazyLock::new(|| sheet().expect("the benchmark sheet is written"));

fn sheet() -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let plain = Format::new();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    ws.merge_range(0, 0, 0, 14, "2026年重点工作任务清单", &plain)?;
    let header = [
        "序号",
        "攻坚行动",
        "清单类别",
        "任务名称",
        "年度目标",
        "时间节点",
        "",
        "",
        "",
        "牵头市领导",
        "牵头单位",
        "配合单位",
        "责任科室/责任人",
        "完成时限",
        "权重",
    ];
    for (col, text) in (0u16..).zip(header) {
        if !text.is_empty() && col != 5 {
            ws.merge_range(1, col, 2, col, text, &plain)?;
        }
    }
    ws.merge_range(1, 5, 1, 8, "时间节点", &plain)?;
    for (col, q) in (5u16..).zip(["一季度", "二季度", "三季度", "四季度"]) {
        ws.write_string(2, col, q)?;
    }
    for i in 0..ROWS {
        let row = i + 3;
        let (top, sub) = (i / 5 + 1, i % 5);
        let code = if sub == 0 {
            top.to_string()
        } else {
            format!("{top}.{sub}")
        };
        let cells = [
            code,
            format!("攻坚行动{}", top % 12),
            ["工作清单", "项目清单", "政策清单", "责任清单"][(i % 4) as usize].to_string(),
            format!("第{i}项重点任务：推进某某工程建设"),
            format!(
                "完成投资{}亿元，新建道路{}公里，年底前主体完工",
                i % 9 + 1,
                i % 7 + 1
            ),
            "完成前期工作".to_string(),
            format!("投资累计{}亿元", i % 4 + 1),
            String::new(),
            format!("主体完工，投资累计{}亿元", i % 9 + 1),
            "张某某副市长".to_string(),
            if sub == 0 {
                format!("市第{}局", top % 30)
            } else {
                String::new()
            },
            "市自然资源局、某街道，市财政局".to_string(),
            "项目科/王某".to_string(),
            String::new(),
            format!("{}%", i % 20),
        ];
        for (col, text) in (0u16..).zip(&cells) {
            if !text.is_empty() {
                ws.write_string(row, col, text)?;
            }
        }
        if i % 2 == 0 {
            ws.write_datetime_with_format(row, 13, date(2026, 12, 31), &date_format)?;
        } else {
            ws.write_string(
                row,
                13,
                ["年底前", "12月底", "长期坚持", "2026年12月31日"][(i / 2 % 4) as usize],
            )?;
        }
    }
    wb.save_to_buffer()
}

#[divan::bench(sample_count = 10)]
fn read_10000_rows(bencher: divan::Bencher) {
    let bytes = SHEET.as_slice();
    bencher.bench(|| {
        let sheet = read_task_list(divan::black_box(bytes), 2026).expect("the sheet reads");
        assert_eq!(sheet.rows.len(), ROWS as usize);
        sheet
    });
}

fn main() {
    divan::main();
}
