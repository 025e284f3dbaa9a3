use super::*;

fn chain(n: i64) -> Vec<Entry> {
    let mut prev = GENESIS.to_string();
    (1..=n)
        .map(|seq| {
            let mut e = Entry {
                seq,
                at_us: 1_700_000_000_000_000 + seq,
                actor: Some(3),
                action: "case.step".into(),
                object_type: "case".into(),
                object_id: Some(seq),
                before: "null".into(),
                after: format!(r#"{{"n":{seq}}}"#),
                prev_hash: prev.clone(),
                hash: String::new(),
            };
            e.hash = entry_hash(&prev, &e);
            prev = e.hash.clone();
            e
        })
        .collect()
}

fn check(entries: &[Entry]) -> (ExportVerifier, Vec<LineError>) {
    let mut v = ExportVerifier::default();
    let errors = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| v.push(i + 1, e).err())
        .collect();
    (v, errors)
}

#[test]
fn a_whole_export_verifies_as_one_run_without_gaps() {
    let (v, errors) = check(&chain(6));
    assert_eq!(errors, vec![]);
    assert_eq!((v.entries(), v.runs(), v.range()), (6, 1, Some((1, 6))));
    assert!(v.gaps().is_empty());
}

#[test]
fn a_filtered_export_verifies_each_entry_and_reports_its_gaps() {
    let all = chain(9);
    let picked: Vec<Entry> = [2, 3, 4, 7, 9]
        .iter()
        .map(|&s| all[s - 1].clone())
        .collect();
    let (v, errors) = check(&picked);
    assert_eq!(errors, vec![]);
    assert_eq!(v.runs(), 3);
    assert_eq!(
        v.gaps(),
        &[
            Gap {
                after: 4,
                before: 7
            },
            Gap {
                after: 7,
                before: 9
            }
        ]
    );
    assert_eq!(v.gaps()[0].missing(), 2);
}

#[test]
fn a_changed_byte_names_its_line_and_seq_and_the_rest_still_checks() {
    let mut c = chain(5);
    c[2].after = c[2].after.replace('3', "4");
    let (_, errors) = check(&c);
    assert_eq!(errors, vec![LineError::Tampered { line: 3, seq: 3 }]);
}

#[test]
fn a_rehashed_line_breaks_the_link_to_the_next_consecutive_line() {
    let mut c = chain(4);
    c[1].after = "{}".into();
    c[1].hash = entry_hash(&c[1].prev_hash.clone(), &c[1]);
    let (_, errors) = check(&c);
    assert_eq!(errors, vec![LineError::BrokenLink { line: 3, seq: 3 }]);
}

#[test]
fn the_first_entry_must_start_from_genesis() {
    let mut c = chain(2);
    c[0].prev_hash = "ab".repeat(32);
    c[0].hash = entry_hash(&c[0].prev_hash.clone(), &c[0]);
    let (_, errors) = check(&c);
    assert!(
        errors.contains(&LineError::BrokenLink { line: 1, seq: 1 }),
        "{errors:?}"
    );
}

#[test]
fn lines_out_of_order_are_refused() {
    let mut c = chain(3);
    c.swap(1, 2);
    let (_, errors) = check(&c);
    assert_eq!(
        errors,
        vec![LineError::OutOfOrder {
            line: 3,
            seq: 2,
            after: 3
        }]
    );
}
