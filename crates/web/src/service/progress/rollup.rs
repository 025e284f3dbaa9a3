//! Decomposed work counts once: a task with approved sub-tasks holds the figures rolled up
//! from them (`core::lists::rollup`), kept when a sub-task's report is accepted, when a
//! sub-task is approved, and for the whole year by the daily light run. Its light follows.

use super::lights;
use duban_core::lists::rollup::{Figures, Node, roll_up};
use duban_core::lists::{Indicator, TaskId};
use duban_store::progress::rollup::{self as store, IndicatorRow};
use duban_store::{StoreError, Tx};
use jiff::civil::Date;

/// Rolls one parent up from its approved children's stored figures; says whether it has any
/// (a task without approved sub-tasks keeps its own reported figures).
async fn roll_up_one(tx: &mut Tx, parent: TaskId, at: jiff::Timestamp) -> Result<bool, StoreError> {
    let children = store::children(tx, parent).await?;
    if children.is_empty() {
        return Ok(false);
    }
    let indicators = store::indicators_of_family(tx, parent).await?;
    let of = |task: i64| -> Vec<(Indicator, Option<f64>)> {
        indicators
            .iter()
            .filter(|i| i.task_id == task)
            .map(|i| (indicator(i), i.actual))
            .collect()
    };
    let node = Node {
        own: Figures {
            weight: 0.0,
            progress: 0.0,
            indicators: of(parent.0),
        },
        children: children
            .iter()
            .map(|c| Node {
                own: Figures {
                    weight: c.weight,
                    progress: c.progress,
                    indicators: of(c.id),
                },
                children: Vec::new(),
            })
            .collect(),
    };
    let rolled = roll_up(&node);
    let own: Vec<&IndicatorRow> = indicators
        .iter()
        .filter(|i| i.task_id == parent.0)
        .collect();
    let changed: Vec<(i64, Option<f64>)> = own
        .iter()
        .zip(&rolled.indicators)
        .filter(|(stored, (_, value))| stored.actual != *value)
        .map(|(stored, (_, value))| (stored.position, *value))
        .collect();
    store::set_figures(tx, parent, rolled.progress, &changed, at).await?;
    Ok(true)
}

fn indicator(i: &IndicatorRow) -> Indicator {
    Indicator {
        name: i.name.clone(),
        target: i.target,
        unit: i.unit.clone(),
    }
}

/// After a task's figures changed: rolls its ancestors up, nearest first, and recomputes
/// their lights.
pub async fn roll_up_ancestors(
    tx: &mut Tx,
    task: TaskId,
    today: Date,
    at: jiff::Timestamp,
) -> Result<(), StoreError> {
    let mut next = store::parent_of(tx, task).await?;
    while let Some(parent) = next {
        if roll_up_one(tx, parent, at).await? {
            lights::refresh_task(tx, parent, today, at).await?;
        }
        next = store::parent_of(tx, parent).await?;
    }
    Ok(())
}

/// Rolls up every parent of a year, deepest first (before the year's lights are computed).
pub async fn roll_up_year(
    tx: &mut Tx,
    year: i16,
    at: jiff::Timestamp,
) -> Result<usize, StoreError> {
    let parents = store::parents_of_year(tx, year).await?;
    for p in &parents {
        roll_up_one(tx, *p, at).await?;
    }
    Ok(parents.len())
}
