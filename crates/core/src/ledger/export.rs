//! Checking an exported range of the ledger offline (`duban verify --ledger-export`).
//!
//! An export holds every hashed field of each entry as stored, oldest first. A filtered
//! export has gaps: every entry's hash is still recomputed from its fields, and where seqs
//! are consecutive each entry must name the one before as its `prev_hash`; across a gap
//! nothing links, so the gap is reported, never glossed over. A run that starts at seq 1
//! must start from [`super::GENESIS`].

use super::{Entry, GENESIS, entry_hash};

/// Why one line of an export does not verify. `line` is 1-based, as editors show it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error("line {line}: not an exported ledger entry: {why}")]
    Unreadable { line: usize, why: String },
    #[error(
        "line {line} (entry {seq}): its content does not match its hash (changed after export or before)"
    )]
    Tampered { line: usize, seq: i64 },
    #[error("line {line} (entry {seq}): prev_hash is not the hash of entry {} on the line before", seq - 1)]
    BrokenLink { line: usize, seq: i64 },
    #[error(
        "line {line} (entry {seq}): comes after entry {after}; an export is in ascending order"
    )]
    OutOfOrder { line: usize, seq: i64, after: i64 },
}

impl LineError {
    pub fn line(&self) -> usize {
        match self {
            LineError::Unreadable { line, .. }
            | LineError::Tampered { line, .. }
            | LineError::BrokenLink { line, .. }
            | LineError::OutOfOrder { line, .. } => *line,
        }
    }
}

/// Entries missing between two lines: `after` and `before` are present, the seqs between
/// them are not in the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    pub after: i64,
    pub before: i64,
}

impl Gap {
    /// How many entries the gap leaves out.
    pub fn missing(&self) -> i64 {
        self.before - self.after - 1
    }
}

/// Checks an export's entries in file order; keeps going after a bad line so every bad line
/// is named.
#[derive(Debug, Clone, Default)]
pub struct ExportVerifier {
    last: Option<(i64, String)>,
    entries: usize,
    runs: usize,
    first: Option<i64>,
    gaps: Vec<Gap>,
}

impl ExportVerifier {
    /// Checks the entry read from `line`.
    pub fn push(&mut self, line: usize, e: &Entry) -> Result<(), LineError> {
        let seq = e.seq;
        let last = self.last.replace((seq, e.hash.clone()));
        self.entries += 1;
        self.first.get_or_insert(seq);
        let expected_prev = match last {
            Some((after, _)) if seq <= after => {
                // Keep the higher seq as the point of comparison.
                self.last = Some((after, String::new()));
                return Err(LineError::OutOfOrder { line, seq, after });
            }
            Some((after, prev_hash)) if seq == after + 1 => Some(prev_hash),
            Some((after, _)) => {
                self.gaps.push(Gap { after, before: seq });
                self.runs += 1;
                None
            }
            None => {
                self.runs += 1;
                None
            }
        };
        let expected_prev = expected_prev.or_else(|| (seq == 1).then(|| GENESIS.to_string()));
        if entry_hash(&e.prev_hash, e) != e.hash {
            return Err(LineError::Tampered { line, seq });
        }
        match expected_prev {
            Some(p) if p != e.prev_hash => Err(LineError::BrokenLink { line, seq }),
            _ => Ok(()),
        }
    }

    /// Lines checked (good or bad).
    pub fn entries(&self) -> usize {
        self.entries
    }

    /// Consecutive runs (a gap starts a new one).
    pub fn runs(&self) -> usize {
        self.runs
    }

    /// The first and last seq seen.
    pub fn range(&self) -> Option<(i64, i64)> {
        Some((self.first?, self.last.as_ref()?.0))
    }

    pub fn gaps(&self) -> &[Gap] {
        &self.gaps
    }
}

#[cfg(test)]
mod tests;
