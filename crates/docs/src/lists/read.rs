//! Rows of a task-list sheet → [`TaskRow`]s: values, hierarchy, inheritance and problems.
//!
//! Rules: fully empty rows and note rows (every filled cell starts with 注：/说明：/填报/审核…)
//! are skipped. A section heading — one text merged across the row, like “一、工业发展提质” —
//! is no task: its text (without the 一、) is the 攻坚行动 of the rows below that leave theirs
//! blank, and as numbering restarts under each heading, each unit's top-level tasks are
//! renumbered 1, 2, 3 … across the sheet (the 序号 as written stays in `code_text`). Units are read as in [`super::units`]. A sub-task that leaves 攻坚行动, 清单类别,
//! 牵头市领导, 牵头单位 or 完成时限 blank takes them from its parent row (when the parent comes
//! earlier in the sheet). Indicators come from 量化指标 when the sheet has that column, else they
//! are guessed from 年度目标 (or 目标内容).

use super::codes::{Code, number_rows, parse_code};
use super::columns::Column;
use super::due::parse_due;
use super::grid::{Grid, Header};
use super::milestones::{month_end, parse_milestone_lines, period_milestone, quarter_end};
use super::numbers::{extract_indicators, parse_indicator_list, parse_number};
use super::problems::{Problem, ProblemKind};
use super::units::{split_section_person, units};
use super::{TaskRow, TaskSheet};
use duban_core::lists::{Due, ListKind};
use std::collections::HashMap;

pub(crate) fn read_rows(sheet: &str, grid: &Grid, header: &Header, year: i16) -> TaskSheet {
    // Section headings: the heading text in force for each kept row (its block).
    let mut kept: Vec<usize> = Vec::new();
    let mut block_of: Vec<(usize, String)> = Vec::new();
    let mut block = (0usize, String::new());
    for r in header.data_start..grid.rows.len() {
        if let Some(h) = heading_text(&grid.rows[r]) {
            block = (block.0 + 1, h);
        } else if !is_blank_or_note(&grid.rows[r]) {
            kept.push(r);
            block_of.push(block.clone());
        }
    }
    let has_headings = block.0 > 0;
    let text = |r: usize, col: Column| header.find(col).map_or("", |m| grid.text(r, m.index));
    let codes: Vec<Code> = kept
        .iter()
        .map(|&r| parse_code(text(r, Column::Code)))
        .collect();
    let places = number_rows(&codes);

    let mut rows: Vec<TaskRow> = Vec::with_capacity(kept.len());
    // A 序号 is unique within its lead unit's list: a city-wide sheet may number every unit's
    // list from 1. A row's parent is the nearest row above with the parent's 序号 (and the
    // row's own lead unit, when it names one).
    let mut first_row_of: HashMap<(String, String), usize> = HashMap::new();
    let mut latest_of_path: HashMap<(usize, String), usize> = HashMap::new();
    let mut all_paths: std::collections::HashSet<(usize, String)> =
        std::collections::HashSet::new();
    // Under headings: (block, top number as written) → the unit's renumbered top number.
    let mut renumbered: HashMap<(usize, String), String> = HashMap::new();
    let mut next_top: HashMap<String, u32> = HashMap::new();
    let mut parents_as_written: Vec<(usize, Option<String>)> = Vec::new();
    for (((&r, code), place), (b, heading)) in kept.iter().zip(&codes).zip(places).zip(&block_of) {
        let mut row = read_row(grid, header, r, year);
        if row.campaign.is_empty() && !heading.is_empty() {
            row.campaign.clone_from(heading);
            row.inherited.push(Column::Campaign);
        }
        row.path = place.path;
        row.parent_path = place.parent;
        if *code == Code::Unreadable {
            let text = row.code_text.trim().to_string();
            row.problem(header, Column::Code, ProblemKind::BadCode { text });
        }
        let parent = row
            .parent_path
            .as_ref()
            .and_then(|pp| latest_of_path.get(&(*b, pp.clone())).copied());
        if let Some(p) = parent {
            inherit(&mut row, &rows[p], grid, header, r);
        }
        let (written_path, written_parent) = (row.path.clone(), row.parent_path.clone());
        if has_headings {
            let (top, rest) = match written_path.split_once('.') {
                Some((t, rest)) => (t.to_string(), Some(rest.to_string())),
                None => (written_path.clone(), None),
            };
            let new_top = match renumbered.get(&(*b, top.clone())) {
                Some(n) if rest.is_some() => n.clone(),
                _ => {
                    let n = next_top.entry(row.lead_unit.clone()).or_insert(0);
                    *n += 1;
                    let n = n.to_string();
                    renumbered.insert((*b, top.clone()), n.clone());
                    n
                }
            };
            row.path = with_top(&written_path, &new_top);
            row.parent_path = written_parent.as_deref().map(|p| with_top(p, &new_top));
        }
        let key = (row.lead_unit.clone(), row.path.clone());
        match first_row_of.get(&key) {
            Some(&first) => {
                let kind = ProblemKind::DuplicateCode {
                    path: row.path.clone(),
                    first_row: rows[first].row,
                };
                row.problem(header, Column::Code, kind);
            }
            None => {
                first_row_of.insert(key, rows.len());
            }
        }
        latest_of_path.insert((*b, written_path.clone()), rows.len());
        all_paths.insert((*b, written_path));
        parents_as_written.push((*b, written_parent));
        check(&mut row, header, grid, r);
        rows.push(row);
    }
    // A parent may be missing, or come later in the sheet (then nothing is inherited).
    let problems: Vec<(usize, String)> = parents_as_written
        .iter()
        .enumerate()
        .filter_map(|(i, (b, parent))| {
            let parent = parent.as_ref()?;
            (!all_paths.contains(&(*b, parent.clone()))).then(|| (i, parent.clone()))
        })
        .collect();
    for (i, parent) in problems {
        rows[i].problem(header, Column::Code, ProblemKind::MissingParent { parent });
    }
    TaskSheet {
        sheet_name: sheet.to_string(),
        header_row: row_number(header.row),
        columns: header.columns.clone(),
        ignored_columns: header.ignored.clone(),
        rows,
    }
}

pub(crate) fn row_number(index: usize) -> u32 {
    u32::try_from(index + 1).expect("a sheet has at most 1,048,576 rows")
}

const NOTE_PREFIXES: [&str; 9] = [
    "注：",
    "注:",
    "说明：",
    "说明:",
    "填报",
    "填表",
    "审核",
    "制表",
    "备注：",
];

/// `path` with its first number replaced: `with_top("2.1", "5")` is `5.1`.
fn with_top(path: &str, top: &str) -> String {
    match path.split_once('.') {
        Some((_, rest)) => format!("{top}.{rest}"),
        None => top.to_string(),
    }
}

/// A section heading: one text filling the whole row (merged across), e.g. “一、工业发展提质”
/// or “（一）城市品质提升”; returns the text without its numbering.
pub(crate) fn heading_text(cells: &[super::grid::Cell]) -> Option<String> {
    let filled: Vec<&str> = cells
        .iter()
        .map(|c| c.text.trim())
        .filter(|t| !t.is_empty())
        .collect();
    let first = *filled.first()?;
    if filled.len() < 3 || filled.iter().any(|t| *t != first) {
        return None;
    }
    let stripped = first
        .trim_start_matches(|c: char| "（(一二三四五六七八九十0123456789）)、.． ".contains(c))
        .trim();
    Some(if stripped.is_empty() { first } else { stripped }.to_string())
}

pub(crate) fn is_blank_or_note(cells: &[super::grid::Cell]) -> bool {
    let filled: Vec<&str> = cells
        .iter()
        .map(|c| c.text.trim())
        .filter(|t| !t.is_empty())
        .collect();
    filled.iter().all(|t| {
        NOTE_PREFIXES.iter().any(|p| t.starts_with(p))
            || (t.starts_with('注') && t.chars().nth(1).is_some_and(|c| c.is_ascii_digit()))
    })
}

impl TaskRow {
    fn problem(&mut self, header: &Header, col: Column, kind: ProblemKind) {
        self.problems.push(Problem {
            row: self.row,
            column: header.find(col).map(|m| m.header.clone()),
            kind,
        });
    }
}

fn read_row(grid: &Grid, header: &Header, r: usize, year: i16) -> TaskRow {
    let text = |col: Column| {
        header
            .find(col)
            .map_or("", |m| grid.text(r, m.index).trim())
    };
    let mut problems = Vec::new();
    let mut problem = |col: Column, kind: ProblemKind| {
        problems.push(Problem {
            row: row_number(r),
            column: header.find(col).map(|m| m.header.clone()),
            kind,
        });
    };

    let list_kind = match text(Column::ListKind) {
        "" => None,
        t => ListKind::parse(t).or_else(|| {
            let text = t.to_string();
            problem(Column::ListKind, ProblemKind::UnknownListKind { text });
            None
        }),
    };

    let annual_target = text(Column::AnnualTarget).to_string();
    let content = text(Column::Content).to_string();
    let indicators = if header.find(Column::Indicators).is_some() {
        let (found, bad) = parse_indicator_list(text(Column::Indicators));
        for text in bad {
            problem(Column::Indicators, ProblemKind::BadIndicator { text });
        }
        found
    } else if annual_target.is_empty() {
        extract_indicators(&content)
    } else {
        extract_indicators(&annual_target)
    };

    let mut milestones = Vec::new();
    for m in &header.columns {
        let cell = grid.text(r, m.index);
        match m.column {
            Column::Quarter(q) => {
                milestones.extend(period_milestone(quarter_end(year, q), cell, &indicators))
            }
            Column::Month(n) => {
                milestones.extend(period_milestone(month_end(year, n), cell, &indicators))
            }
            Column::Milestones => {
                let (found, bad) = parse_milestone_lines(cell, year, &indicators);
                milestones.extend(found);
                for text in bad {
                    problem(Column::Milestones, ProblemKind::BadMilestone { text });
                }
            }
            _ => {}
        }
    }

    let (lead_unit, co_units) = units(
        header
            .find(Column::LeadUnit)
            .map(|_| text(Column::LeadUnit)),
        text(Column::CoUnits),
        text(Column::ResponsibleUnits),
    );

    let (mut section, mut person) = (
        text(Column::Section).to_string(),
        text(Column::Person).to_string(),
    );
    if section.is_empty() && person.is_empty() {
        (section, person) = split_section_person(text(Column::SectionPerson));
    }

    let deadline = header
        .find(Column::Deadline)
        .and_then(|m| grid.cell(r, m.index));
    let due = match deadline {
        Some(cell) if cell.date.is_some() => cell.date.map(|date| Due::By { date }),
        Some(cell) if !cell.text.trim().is_empty() => match parse_due(&cell.text, year) {
            Ok(due) => Some(due),
            Err(e) => {
                problem(Column::Deadline, ProblemKind::BadDeadline(e));
                None
            }
        },
        _ => None,
    };

    let weight = match text(Column::Weight) {
        "" => None,
        t => parse_number(t).map(|(v, _)| v).or_else(|| {
            let text = t.to_string();
            problem(Column::Weight, ProblemKind::BadWeight { text });
            None
        }),
    };

    TaskRow {
        row: row_number(r),
        raw: header
            .columns
            .iter()
            .map(|m| (m.column, grid.text(r, m.index).to_string()))
            .collect(),
        code_text: text(Column::Code).to_string(),
        path: String::new(),
        parent_path: None,
        campaign: text(Column::Campaign).to_string(),
        list_kind,
        title: text(Column::Title).to_string(),
        content,
        annual_target,
        indicators,
        milestones,
        lead_leader: text(Column::LeadLeader).to_string(),
        lead_unit,
        co_units,
        section,
        post: text(Column::Post).to_string(),
        person,
        contact: text(Column::Contact).to_string(),
        due,
        weight,
        remark: text(Column::Remark).to_string(),
        inherited: Vec::new(),
        problems,
    }
}

/// Fills blank inheritable values from the parent row.
fn inherit(row: &mut TaskRow, parent: &TaskRow, grid: &Grid, header: &Header, r: usize) {
    let blank = |col: Column| {
        header
            .find(col)
            .is_none_or(|m| grid.text(r, m.index).trim().is_empty())
    };
    if row.campaign.is_empty() && !parent.campaign.is_empty() {
        row.campaign.clone_from(&parent.campaign);
        row.inherited.push(Column::Campaign);
    }
    if blank(Column::ListKind) && parent.list_kind.is_some() {
        row.list_kind = parent.list_kind;
        row.inherited.push(Column::ListKind);
    }
    if row.lead_leader.is_empty() && !parent.lead_leader.is_empty() {
        row.lead_leader.clone_from(&parent.lead_leader);
        row.inherited.push(Column::LeadLeader);
    }
    if row.lead_unit.is_empty() && !parent.lead_unit.is_empty() {
        row.lead_unit.clone_from(&parent.lead_unit);
        row.co_units.retain(|u| *u != parent.lead_unit);
        row.inherited.push(Column::LeadUnit);
    }
    if blank(Column::Deadline) && parent.due.is_some() {
        row.due = parent.due;
        row.inherited.push(Column::Deadline);
    }
}

/// Problems that depend on the values after inheritance.
fn check(row: &mut TaskRow, header: &Header, grid: &Grid, r: usize) {
    if row.title.is_empty() {
        row.problem(header, Column::Title, ProblemKind::MissingTitle);
    }
    if row.lead_unit.is_empty() {
        let col = if header.find(Column::LeadUnit).is_some() {
            Column::LeadUnit
        } else {
            Column::ResponsibleUnits
        };
        row.problem(header, col, ProblemKind::MissingLeadUnit);
    }
    let deadline_blank = header
        .find(Column::Deadline)
        .is_none_or(|m| grid.text(r, m.index).trim().is_empty());
    if row.due.is_none() && deadline_blank {
        row.problem(header, Column::Deadline, ProblemKind::MissingDeadline);
    }
    let Some(deadline) = row.due.and_then(Due::date) else {
        return;
    };
    let late: Vec<_> = row
        .milestones
        .iter()
        .filter(|m| m.due > deadline)
        .map(|m| m.due)
        .collect();
    for milestone in late {
        let col = milestone_column(header, row, milestone);
        row.problems.push(Problem {
            row: row.row,
            column: col,
            kind: ProblemKind::MilestoneAfterDeadline {
                milestone,
                deadline,
            },
        });
    }
}

/// The header of the column a milestone came from: its quarter or month column if that
/// column's period ends on the date and the cell is filled, else 节点目标.
fn milestone_column(header: &Header, row: &TaskRow, due: jiff::civil::Date) -> Option<String> {
    let filled = |col: Column| {
        row.raw
            .iter()
            .any(|(c, text)| *c == col && !text.trim().is_empty())
    };
    header
        .columns
        .iter()
        .find(|m| match m.column {
            Column::Quarter(q) => quarter_end(due.year(), q) == due && filled(m.column),
            Column::Month(n) => month_end(due.year(), n) == due && filled(m.column),
            _ => false,
        })
        .or_else(|| header.find(Column::Milestones))
        .map(|m| m.header.clone())
}

#[cfg(test)]
mod tests;
