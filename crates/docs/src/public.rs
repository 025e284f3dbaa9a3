//! Open data of the public portal as CSV: UTF-8 with a byte-order mark (so Excel and WPS show
//! the Chinese), and cells that a spreadsheet would run as a formula (starting with `=`, `+`,
//! `-`, `@`, a tab or a carriage return) prefixed with `'`, since their text comes from the
//! public.

/// Writes a header and rows; every row should have the header's length.
pub fn write_csv(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let record_error = "writing CSV to memory cannot fail";
    out.write_record(header).expect(record_error);
    for row in rows {
        out.write_record(row.iter().map(|c| defuse(c).into_owned()))
            .expect(record_error);
    }
    out.into_inner().expect(record_error)
}

/// A cell's text made inert for spreadsheets.
fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_would_run_as_formulas_are_defused_and_quotes_escaped() {
        let bytes = write_csv(
            &["a", "b"],
            &[
                vec!["=HYPERLINK(\"x\")".into(), "路灯, \"坏\"".into()],
                vec!["-1".into(), "ok".into()],
            ],
        );
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(&rows[0][0], "'=HYPERLINK(\"x\")");
        assert_eq!(&rows[0][1], "路灯, \"坏\"");
        assert_eq!(&rows[1][0], "'-1");
    }
}
