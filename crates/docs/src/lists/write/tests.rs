use super::*;
use crate::lists::{TaskRow, read_task_list};
use calamine::{Data, Reader, Xlsx};
use duban_core::lists::Cadence;
use jiff::civil::date;
use std::io::Cursor;

fn ind(name: &str, target: f64, unit: &str) -> Indicator {
    Indicator {
        name: name.into(),
        target,
        unit: unit.into(),
    }
}

fn task(path: &str, title: &str) -> ExportRow {
    ExportRow {
        path: path.into(),
        campaign: "工业发展提质".into(),
        list_kind: ListKind::Project,
        title: title.into(),
        content: String::new(),
        indicators: Vec::new(),
        milestones: Vec::new(),
        lead_leader: "张某某副市长".into(),
        lead_unit: "市经信局".into(),
        co_units: Vec::new(),
        section: String::new(),
        post: String::new(),
        person: String::new(),
        due: Due::By {
            date: date(2026, 12, 31),
        },
        weight: 0.0,
        state: "实施中".into(),
        progress: None,
    }
}

/// Sub-tasks three deep, an ongoing task, two indicators with monthly milestones, and text
/// with newlines and characters that need escaping.
fn tasks() -> Vec<ExportRow> {
    let mut parent = task("1", "某智能制造产业园一期竣工");
    parent.content = "完成投资5亿元，年底前主体完工\n（含配套道路）".into();
    parent.indicators = vec![ind("投资", 5.0, "亿元"), ind("开工小区", 12.0, "个")];
    parent.milestones = (1..=12)
        .map(|m| Milestone {
            due: date(2026, m, 1).last_of_month(),
            target_text: format!("第{m}月节点"),
            values: vec![
                Some(f64::from(m) * 0.4),
                (m % 3 == 0).then_some(f64::from(m)),
            ],
        })
        .collect();
    parent.co_units = vec!["市自然资源局".into(), "某街道".into()];
    parent.section = "项目科".into();
    parent.post = "科长".into();
    parent.person = "王某".into();
    parent.weight = 12.5;
    parent.progress = Some(35.5);

    let mut child = task("1.1", "桩基施工 <一期> & \"二期\"、配套");
    child.list_kind = ListKind::Work;
    child.content = "第一行\n第二行：带冒号\n第三行".into();
    child.indicators = vec![ind("", 95.0, "%")];
    child.milestones = vec![Milestone {
        due: date(2026, 6, 30),
        target_text: "过半\n继续推进".into(),
        values: vec![Some(50.0)],
    }];
    child.due = Due::By {
        date: date(2026, 9, 30),
    };
    child.weight = 5.0;

    let mut grandchild = task("1.1.1", "桩基检测");
    grandchild.lead_unit = "市住建局".into();
    grandchild.co_units = vec!["各镇（街道、区）".into()];
    grandchild.due = Due::By {
        date: date(2026, 8, 31),
    };

    let mut ongoing = task("2", "安全生产常态化检查");
    ongoing.campaign = "平安建设".into();
    ongoing.list_kind = ListKind::Responsibility;
    ongoing.lead_leader = "李副市长".into();
    ongoing.lead_unit = "市应急管理局".into();
    ongoing.due = Due::Ongoing {
        cadence: Cadence::Monthly,
    };
    let mut half_yearly = task("3", "政策兑现");
    half_yearly.list_kind = ListKind::Policy;
    half_yearly.due = Due::Ongoing {
        cadence: Cadence::HalfYearly,
    };
    half_yearly.milestones = vec![Milestone {
        due: date(2026, 6, 30),
        target_text: String::new(),
        values: Vec::new(),
    }];
    vec![parent, child, grandchild, ongoing, half_yearly]
}

/// What importing must give back for an exported task.
fn imported(row: &TaskRow) -> ExportRow {
    ExportRow {
        path: row.path.clone(),
        campaign: row.campaign.clone(),
        list_kind: row.list_kind.expect("every exported task has a list kind"),
        title: row.title.clone(),
        content: row.content.clone(),
        indicators: row.indicators.clone(),
        milestones: row.milestones.clone(),
        lead_leader: row.lead_leader.clone(),
        lead_unit: row.lead_unit.clone(),
        co_units: row.co_units.clone(),
        section: row.section.clone(),
        post: row.post.clone(),
        person: row.person.clone(),
        due: row.due.expect("every exported task has a deadline"),
        weight: row.weight.expect("every exported task has a weight"),
        state: String::new(),
        progress: None,
    }
}

#[test]
fn an_exported_task_list_imports_as_the_same_tasks_without_problems() {
    let rows = tasks();
    let bytes = write_task_list_xlsx("2026年重点工作任务清单", &rows).unwrap();
    let sheet = read_task_list(&bytes, 2026).unwrap();
    assert_eq!(sheet.sheet_name, "任务清单");
    assert_eq!(sheet.header_row, 2);
    assert!(
        sheet.ignored_columns.is_empty(),
        "{:?}",
        sheet.ignored_columns
    );
    assert_eq!(
        sheet.problem_count(),
        0,
        "{:#?}",
        sheet.rows.iter().map(|r| &r.problems).collect::<Vec<_>>()
    );
    let back: Vec<ExportRow> = sheet.rows.iter().map(imported).collect();
    let want: Vec<ExportRow> = rows
        .into_iter()
        .map(|r| ExportRow {
            state: String::new(),
            progress: None,
            ..r
        })
        .collect();
    assert_eq!(back, want);
    assert_eq!(sheet.rows[1].parent_path.as_deref(), Some("1"));
    assert_eq!(sheet.rows[2].parent_path.as_deref(), Some("1.1"));
    assert!(sheet.rows.iter().all(|r| r.inherited.is_empty()));
}

#[test]
fn the_xlsx_has_a_title_banner_a_header_real_dates_and_cadence_words() {
    let bytes = write_task_list_xlsx("2026年重点工作任务清单", &tasks()).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.as_slice())).unwrap();
    assert_eq!(wb.sheet_names(), vec!["任务清单"]);
    let range = wb.worksheet_range("任务清单").unwrap();
    assert_eq!(
        range.get_value((0, 0)),
        Some(&Data::String("2026年重点工作任务清单".into()))
    );
    let header: Vec<String> = (0..17)
        .map(|c| range.get_value((1, c)).unwrap().to_string())
        .collect();
    assert_eq!(
        header.join("|"),
        "序号|攻坚行动|清单类别|任务名称|目标内容|量化指标|节点目标|牵头市领导|牵头单位|配合单位|责任科室|责任岗位|责任人|完成时限|权重|状态|完成率"
    );
    assert!(matches!(range.get_value((2, 13)), Some(Data::DateTime(d)) if d.is_datetime()));
    assert_eq!(range.get_value((5, 13)), Some(&Data::String("每月".into())));
    assert_eq!(
        range.get_value((2, 5)),
        Some(&Data::String("投资：5亿元\n开工小区：12个".into()))
    );
    assert_eq!(
        range.get_value((2, 9)),
        Some(&Data::String("市自然资源局、某街道".into()))
    );
    assert_eq!(
        range.get_value((2, 16)),
        Some(&Data::String("35.5%".into()))
    );
    let first_milestone = range.get_value((2, 6)).unwrap().to_string();
    assert_eq!(
        first_milestone.lines().next(),
        Some("2026-01-31：第1月节点〔投资=0.4亿元〕")
    );
    let merges = wb.merge_cells_by_sheet_name("任务清单").unwrap();
    assert_eq!(merges.len(), 1);
    assert_eq!((merges[0].start, merges[0].end), ((0, 0), (0, 16)));
}

#[test]
fn the_csv_has_a_byte_order_mark_the_same_columns_and_plain_dates() {
    let csv = write_task_list_csv(&tasks());
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header[0], "序号");
    assert_eq!(header.len(), 17);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 5);
    assert_eq!(&records[0][13], "2026-12-31");
    assert_eq!(&records[0][14], "12.5");
    assert_eq!(&records[1][3], "桩基施工 <一期> & \"二期\"、配套");
    assert_eq!(&records[1][4], "第一行\n第二行：带冒号\n第三行");
    assert_eq!(&records[3][13], "每月");
    assert_eq!(&records[4][13], "每半年");
}
