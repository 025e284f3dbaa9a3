//! Exporting filtered lists as .xlsx (the layout the import reads back) and CSV.

use duban_docs::lists::{self as sheet, ExportRow};
use duban_store::lists::Task;

/// The export row of a stored task: names as people write them, so the file imports back.
pub fn export_row(t: &Task, state_label: &str) -> ExportRow {
    ExportRow {
        path: t.fields.path.clone(),
        campaign: t.campaign_name.clone().unwrap_or_default(),
        list_kind: t.fields.list_kind,
        title: t.fields.title.clone(),
        content: t.fields.content.clone(),
        indicators: t.fields.indicators.clone(),
        milestones: t.fields.milestones.clone(),
        lead_leader: t.lead_leader_name.clone().unwrap_or_default(),
        lead_unit: t.lead_unit_name.clone(),
        co_units: t.co_unit_names.clone(),
        section: t.section_name.clone().unwrap_or_default(),
        post: t.post_name.clone().unwrap_or_default(),
        person: t.person_name.clone().unwrap_or_default(),
        due: t.fields.due,
        weight: t.fields.weight,
        state: state_label.to_string(),
        progress: Some(t.progress),
    }
}

/// The .xlsx file of `tasks`; `label` turns a state code into its display label.
pub fn xlsx(
    title: &str,
    tasks: &[Task],
    label: impl Fn(&str) -> String,
) -> Result<Vec<u8>, crate::error::AppError> {
    let rows: Vec<ExportRow> = tasks
        .iter()
        .map(|t| export_row(t, &label(t.state.as_str())))
        .collect();
    sheet::write_task_list_xlsx(title, &rows)
        .map_err(|e| crate::error::AppError::Internal(format!("xlsx: {e}")))
}

pub fn csv(tasks: &[Task], label: impl Fn(&str) -> String) -> Vec<u8> {
    let rows: Vec<ExportRow> = tasks
        .iter()
        .map(|t| export_row(t, &label(t.state.as_str())))
        .collect();
    sheet::write_task_list_csv(&rows)
}
