//! Reads one sheet file with `read_task_list` and prints the outcome, the time taken and the
//! process's peak resident memory (VmHWM). For measuring readers on hostile files:
//! `cargo run --release -p duban-docs --example read_peak -- FILE`.

fn main() {
    let path = std::env::args().nth(1).expect("usage: read_peak FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    let started = std::time::Instant::now();
    let outcome = match duban_docs::lists::read_task_list(&bytes, 2026) {
        Ok(sheet) => format!("ok, {} rows", sheet.rows.len()),
        Err(e) => format!("refused: {e}"),
    };
    let elapsed = started.elapsed();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: ?");
    println!("{path}\t{outcome}\t{} ms\t{peak}", elapsed.as_millis());
}
