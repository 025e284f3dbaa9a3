//! Black-box tests of `duban import tasks` and `duban export tasks`: the built binary against
//! SQLite files in a temporary directory, with the demo city loaded by `duban demo --load-only`.
//! The sheets are read back with calamine, as a spreadsheet program would.

mod common;
use calamine::{Data, Reader, Xlsx};
use common::{assert_success, stderr, stdout};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A scratch directory holding the data directory, the databases and the sheets.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `duban --data-dir <tmp>/data --database-url sqlite://<tmp>/<db>?mode=rwc ARGS…`, with no
    /// `DUBAN_…` or `DATABASE_URL` from the developer's environment.
    fn run(&self, db: &str, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_duban"));
        cmd.current_dir(self.dir.path())
            .arg("--data-dir")
            .arg(self.path("data"))
            .arg("--database-url")
            .arg(format!("sqlite://{}?mode=rwc", self.path(db).display()))
            .args(args)
            .stdin(Stdio::null());
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy();
            if key.starts_with("DUBAN_") || key == "DATABASE_URL" {
                cmd.env_remove(key.as_ref());
            }
        }
        let log = if std::env::var_os("TEST_LOG").is_some() {
            "info,sqlx=warn"
        } else {
            "warn"
        };
        cmd.env("DUBAN_LOG", log);
        cmd.output().expect("duban runs")
    }

    /// Loads the demo city into `db`: its lists, or with `Some(0)` none at all.
    fn load_demo(&self, db: &str, tasks: Option<usize>) {
        let n = tasks.map(|n| n.to_string());
        let mut args = vec!["demo", "--load-only"];
        if let Some(n) = &n {
            args.extend(["--tasks", n]);
        }
        assert_success(&self.run(db, &args));
    }

    /// Exports the tasks matching `filters` of 2026 from `db` to `file`; returns the count
    /// the command printed.
    fn export(&self, db: &str, filters: &[&str], file: &str) -> usize {
        let out_path = self.path(file);
        let mut args = vec!["export", "tasks", "--year", "2026", "--out"];
        let out_arg = out_path.to_str().expect("a UTF-8 temp path");
        args.push(out_arg);
        args.extend(filters);
        let out = self.run(db, &args);
        assert_success(&out);
        let text = stdout(&out);
        let count = text
            .trim()
            .strip_prefix("wrote ")
            .and_then(|rest| rest.strip_suffix(&format!(" tasks to {out_arg}")))
            .unwrap_or_else(|| panic!("unexpected output: {text}"));
        count.parse().expect("a number of tasks")
    }

    /// How many tasks of 2026 `db` holds, as the export counts them.
    fn count_tasks(&self, db: &str) -> usize {
        self.export(db, &[], "count.csv")
    }

    fn import(&self, db: &str, file: &str, extra: &[&str]) -> Output {
        let path = self.path(file);
        let mut args = vec!["import", "tasks", path.to_str().expect("a UTF-8 temp path")];
        args.extend(["--year", "2026"]);
        args.extend(extra);
        self.run(db, &args)
    }
}

/// A task-list sheet as calamine reads it: the header row and the data rows under it.
struct Sheet {
    header: Vec<String>,
    rows: Vec<Vec<Data>>,
}

impl Sheet {
    fn read(path: &Path) -> Sheet {
        let bytes = std::fs::read(path).expect("the export exists");
        let mut book = Xlsx::new(Cursor::new(bytes)).expect("the export is an .xlsx workbook");
        let name = book.sheet_names().first().cloned().expect("one sheet");
        let range = book.worksheet_range(&name).expect("the sheet reads");
        let mut rows = range.rows();
        let header: Vec<String> = rows
            .by_ref()
            .find(|r| r.first().is_some_and(|c| *c == "序号"))
            .expect("a header row starting with 序号")
            .iter()
            .map(|c| c.to_string())
            .collect();
        let rows = rows
            .filter(|r| r.iter().any(|c| *c != Data::Empty))
            .map(<[Data]>::to_vec)
            .collect();
        Sheet { header, rows }
    }

    fn column(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header))
    }
}

#[test]
fn an_export_is_a_real_xlsx_with_the_header_and_one_row_per_task() {
    let s = Scratch::new();
    s.load_demo("demo.db", None);
    let count = s.export("demo.db", &["--unit", "jxj"], "a.xlsx");
    assert!(count > 0, "jxj has tasks in the demo");
    let sheet = Sheet::read(&s.path("a.xlsx"));
    for column in ["序号", "任务名称", "牵头单位", "完成时限"] {
        sheet.column(column);
    }
    assert_eq!(sheet.rows.len(), count);
    let lead = sheet.column("牵头单位");
    assert!(
        sheet.rows.iter().any(|r| r[lead] == "经信局"),
        "jxj's own tasks are in its export"
    );
}

#[test]
fn an_export_to_stdout_as_csv_has_the_same_rows() {
    let s = Scratch::new();
    s.load_demo("demo.db", None);
    let count = s.export("demo.db", &["--unit", "jxj"], "a.xlsx");
    let out = s.run(
        "demo.db",
        &[
            "export", "tasks", "--year", "2026", "--unit", "jxj", "--out", "-", "--format", "csv",
        ],
    );
    assert_success(&out);
    let text = stdout(&out);
    assert!(
        text.trim_start_matches('\u{feff}').starts_with("序号,"),
        "{text}"
    );
    assert!(stderr(&out).contains(&format!("wrote {count} tasks to stdout")));
}

/// Export a unit's tasks from the demo, import the file into a second demo city without tasks,
/// export again: every cell but 状态 and 完成率 (not imported) is the same.
fn assert_round_trip(unit: &str) {
    let s = Scratch::new();
    s.load_demo("demo.db", None);
    s.load_demo("fresh.db", Some(0));
    let exported = s.export("demo.db", &["--unit", unit], "a.xlsx");
    assert!(exported > 0, "{unit} has tasks in the demo");

    let started = std::time::Instant::now();
    let out = s.import("fresh.db", "a.xlsx", &[]);
    let took = started.elapsed();
    assert_success(&out);
    eprintln!(
        "importing {exported} tasks of {unit} took {took:?}: {}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains(&format!("{exported} rows, {exported} created, 0 updated")),
        "{}",
        stdout(&out)
    );

    assert_eq!(s.export("fresh.db", &["--unit", unit], "b.xlsx"), exported);
    let (a, b) = (
        Sheet::read(&s.path("a.xlsx")),
        Sheet::read(&s.path("b.xlsx")),
    );
    assert_eq!(a.header, b.header);
    let skip = [a.column("状态"), a.column("完成率")];
    assert_eq!(a.rows.len(), b.rows.len());
    for (i, (ra, rb)) in a.rows.iter().zip(&b.rows).enumerate() {
        for (c, header) in a.header.iter().enumerate() {
            if skip.contains(&c) {
                continue;
            }
            assert_eq!(
                ra.get(c),
                rb.get(c),
                "data row {} (序号 {}), column {header}: exported from the demo vs after import",
                i + 1,
                ra[0]
            );
        }
    }

    // Importing the same file again finds every task as it is: nothing created or written.
    let out = s.import("fresh.db", "a.xlsx", &[]);
    assert_success(&out);
    assert!(
        stdout(&out).contains(&format!(
            "{exported} rows, 0 created, 0 updated, {exported} unchanged"
        )),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_units_export_imports_back_as_the_same_tasks() {
    assert_round_trip("jxj");
}

#[test]
fn help_lists_import_and_export_tasks() {
    let s = Scratch::new();
    let out = s.run("x.db", &["--help"]);
    assert_success(&out);
    for command in ["import", "export"] {
        assert!(
            stdout(&out)
                .lines()
                .any(|l| l.trim_start().starts_with(command)),
            "{command} missing from:\n{}",
            stdout(&out)
        );
        let out = s.run("x.db", &[command, "--help"]);
        assert_success(&out);
        assert!(stdout(&out).contains("tasks"), "{}", stdout(&out));
    }
}

/// Writes a sheet with the header 序号 / 任务名称 / 牵头单位 / 完成时限 and these rows.
fn write_sheet(path: &Path, rows: &[[&str; 4]]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in [["序号", "任务名称", "牵头单位", "完成时限"]]
        .iter()
        .chain(rows)
        .enumerate()
    {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
            ws.write_string(r, c, *cell).unwrap();
        }
    }
    book.save(path).unwrap();
}

#[test]
fn a_dry_run_of_a_clean_sheet_says_what_would_happen_and_writes_nothing() {
    let s = Scratch::new();
    s.load_demo("demo.db", None);
    // 经信局's demo tasks are numbered 1 to 8 and approved; these are new.
    write_sheet(
        &s.path("new.xlsx"),
        &[
            ["21", "工业设计中心建设", "经信局", "2026年12月31日"],
            ["21.1", "申报省级工业设计中心", "经信局", "2026年9月30日"],
        ],
    );
    let before = s.count_tasks("demo.db");

    let out = s.import("demo.db", "new.xlsx", &["--kind", "work", "--dry-run"]);
    assert_success(&out);
    assert!(stdout(&out).contains("dry run"), "{}", stdout(&out));
    assert!(stdout(&out).contains("would create 2"), "{}", stdout(&out));
    assert_eq!(s.count_tasks("demo.db"), before);

    let out = s.import("demo.db", "new.xlsx", &["--kind", "work"]);
    assert_success(&out);
    assert_eq!(s.count_tasks("demo.db"), before + 2);
}

#[test]
fn a_sheet_with_problems_names_every_bad_row_and_writes_nothing() {
    let s = Scratch::new();
    s.load_demo("demo.db", None);
    write_sheet(
        &s.path("bad.xlsx"),
        &[
            ["21", "不存在单位的任务", "市不存在局", "2026年12月31日"],
            ["22", "日期不对的任务", "经信局", "2026年2月30日"],
            ["23", "没有问题的任务", "经信局", "2026年6月30日"],
        ],
    );
    let before = s.count_tasks("demo.db");

    let out = s.import("demo.db", "bad.xlsx", &["--kind", "work"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);
    let line = |prefix: &str| {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line starting {prefix} in:\n{text}"))
            .to_string()
    };
    assert!(line("第2行【牵头单位】").contains("市不存在局"), "{text}");
    assert!(
        line("第3行【完成时限】").contains("2026年2月30日"),
        "{text}"
    );
    assert!(!text.contains("第4行"), "row 4 is fine:\n{text}");
    assert!(text.contains("nothing was written"), "{text}");
    assert_eq!(s.count_tasks("demo.db"), before);

    let out = s.import("demo.db", "bad.xlsx", &["--kind", "work", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("row 3 [完成时限]: "),
        "{}",
        stdout(&out)
    );

    // A dry run of a sheet with problems fails the same way.
    let out = s.import("demo.db", "bad.xlsx", &["--kind", "work", "--dry-run"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(s.count_tasks("demo.db"), before);
}

#[test]
fn a_file_that_is_not_a_workbook_is_a_clear_failure() {
    let s = Scratch::new();
    s.load_demo("demo.db", Some(0));
    std::fs::write(s.path("notes.xlsx"), "序号,任务名称\n1,x\n").unwrap();
    let out = s.import("demo.db", "notes.xlsx", &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("notes.xlsx") && err.contains("save it as .xlsx"),
        "{err}"
    );

    let out = s.import("demo.db", "missing.xlsx", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("could not read") && stderr(&out).contains("missing.xlsx"));

    // Too large: refused from its size, before it is read (a sparse file costs nothing).
    let big = std::fs::File::create(s.path("big.xlsx")).unwrap();
    big.set_len(11 * 1024 * 1024).unwrap();
    let out = s.import("demo.db", "big.xlsx", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("over 10 MB"), "{}", stderr(&out));
}

#[test]
fn import_and_export_refuse_a_missing_database_instead_of_creating_one() {
    let s = Scratch::new();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_duban"));
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("DUBAN_") || key == "DATABASE_URL" {
            cmd.env_remove(key.as_ref());
        }
    }
    let out = cmd
        .current_dir(s.dir.path())
        .args(["--data-dir", "data", "export", "tasks", "--out", "x.xlsx"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no database"), "{}", stderr(&out));
    assert!(!s.path("data/duban.db").exists());
}
