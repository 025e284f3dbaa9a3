//! `duban verify --ledger-export FILE.jsonl`: an exported range of the ledger checked
//! offline. The rules are `duban_core::ledger::export`; this reads the lines and prints.

use anyhow::Context;
use duban_core::ledger::Entry;
use duban_core::ledger::export::{ExportVerifier, LineError};
use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;

/// The hashed fields of one exported line; other keys (names, the local time) are for
/// people and are ignored.
#[derive(serde::Deserialize)]
struct Line {
    seq: i64,
    at_us: i64,
    actor: Option<i64>,
    action: String,
    object_type: String,
    object_id: Option<i64>,
    before: String,
    after: String,
    prev_hash: String,
    hash: String,
}

impl From<Line> for Entry {
    fn from(l: Line) -> Entry {
        Entry {
            seq: l.seq,
            at_us: l.at_us,
            actor: l.actor,
            action: l.action,
            object_type: l.object_type,
            object_id: l.object_id,
            before: l.before,
            after: l.after,
            prev_hash: l.prev_hash,
            hash: l.hash,
        }
    }
}

/// How many gaps are listed one by one before the rest are counted.
const GAPS_LISTED: usize = 20;

pub fn run(file: &Path) -> anyhow::Result<ExitCode> {
    let f = std::fs::File::open(file)
        .with_context(|| format!("could not open the ledger export {}", file.display()))?;
    let mut reader = std::io::BufReader::new(f);
    let mut v = ExportVerifier::default();
    let mut errors: Vec<LineError> = Vec::new();
    let mut buf = Vec::new();
    let mut line = 0usize;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .with_context(|| format!("could not read {}", file.display()))?;
        if n == 0 {
            break;
        }
        line += 1;
        let text = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let parsed = std::str::from_utf8(text)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<Line>(t).map_err(|e| e.to_string()));
        let result = match parsed {
            Ok(l) => v.push(line, &l.into()),
            Err(why) => Err(LineError::Unreadable { line, why }),
        };
        if let Err(e) = result {
            errors.push(e);
        }
    }
    let Some((first, last)) = v.range() else {
        if errors.is_empty() {
            println!("ledger export EMPTY: {} holds no entries", file.display());
            return Ok(ExitCode::FAILURE);
        }
        for e in &errors {
            println!("ledger export BROKEN at {e}");
        }
        return Ok(ExitCode::FAILURE);
    };
    for gap in v.gaps().iter().take(GAPS_LISTED) {
        let (from, to) = (gap.after + 1, gap.before - 1);
        if from == to {
            println!("gap: entry {from} is not in the export");
        } else {
            println!(
                "gap: entries {from}–{to} are not in the export ({} entries)",
                gap.missing()
            );
        }
    }
    if v.gaps().len() > GAPS_LISTED {
        println!("… and {} more gaps", v.gaps().len() - GAPS_LISTED);
    }
    if first > 1 {
        println!(
            "note: the export starts at entry {first}; its prev_hash is checked against the database only (duban verify)"
        );
    }
    if errors.is_empty() {
        println!(
            "ledger export OK: {} entries ({first}–{last}) in {} consecutive run(s), {} gap(s); every hash recomputes and each run chains",
            v.entries(),
            v.runs(),
            v.gaps().len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        for e in &errors {
            println!("ledger export BROKEN at {e}");
        }
        println!(
            "ledger export BROKEN: {} of {} lines do not verify",
            errors.len(),
            v.entries()
                + errors
                    .iter()
                    .filter(|e| matches!(e, LineError::Unreadable { .. }))
                    .count()
        );
        Ok(ExitCode::FAILURE)
    }
}
