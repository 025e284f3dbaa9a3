//! Black-box tests of the `duban` binary: each runs the built executable in its own temporary
//! directory, with `--data-dir` pointing inside it and no `DUBAN_…` or `DATABASE_URL` from the
//! developer's environment, so nothing touches ./duban-data or a real database.

mod common;
use common::{assert_success, stderr, stdout};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A scratch installation: a working directory with the data directory inside it.
struct Duban {
    dir: tempfile::TempDir,
}

impl Duban {
    fn new() -> Duban {
        Duban {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn database_file(&self) -> PathBuf {
        self.data_dir().join("duban.db")
    }

    /// `duban --data-dir <tmp>/data ARGS…`, run in the scratch directory with a clean
    /// environment for duban's own variables.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_duban"));
        cmd.current_dir(self.dir.path())
            .arg("--data-dir")
            .arg(self.data_dir())
            .args(args);
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy();
            if key.starts_with("DUBAN_") || key == "DATABASE_URL" {
                cmd.env_remove(key.as_ref());
            }
        }
        // Quiet unless TEST_LOG=1, as in the other crates' tests.
        let log = if std::env::var_os("TEST_LOG").is_some() {
            "debug,sqlx=warn"
        } else {
            "warn"
        };
        cmd.env("DUBAN_LOG", log);
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args)
            .stdin(Stdio::null())
            .output()
            .expect("duban runs")
    }

    fn run_with_stdin(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("duban starts");
        child
            .stdin
            .take()
            .expect("piped stdin")
            .write_all(input.as_bytes())
            .expect("stdin accepts the input");
        child.wait_with_output().expect("duban runs")
    }

    fn add_user(&self, name: &str) -> Output {
        self.run_with_stdin(
            &["user", "add", name, "--admin", "--password-stdin"],
            "abcd1234\n",
        )
    }

    /// Runs `sql` against the SQLite database directly, as someone with file access could.
    /// Runs SQL on one of the data directory's databases (`demo.db` …) behind duban's back:
    /// statements return the rows changed, a query its first column of its first row.
    fn sql_on(&self, file: &str, sql: String, query: bool) -> i64 {
        let url = format!("sqlite://{}", self.data_dir().join(file).display());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let store = duban_store::Store::connect(&url, 1)
                .await
                .expect("the database opens");
            let mut tx = store.begin_write().await.expect("a transaction");
            let q = duban_store::Sql::assembled(sql);
            let n = if query {
                let (n,): (i64,) = q.fetch_one(&mut tx).await.expect("the query runs");
                n
            } else {
                q.execute(&mut tx).await.expect("the statement runs") as i64
            };
            tx.commit().await.expect("it commits");
            store.close().await;
            n
        })
    }

    fn tamper(&self, sql: &'static str) -> u64 {
        let url = format!("sqlite://{}", self.database_file().display());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let store = duban_store::Store::connect(&url, 1)
                .await
                .expect("the database opens");
            let mut tx = store.begin_write().await.expect("a transaction");
            let changed = duban_store::sql(sql)
                .execute(&mut tx)
                .await
                .expect("the update runs");
            tx.commit().await.expect("the update commits");
            store.close().await;
            changed
        })
    }
}

#[test]
fn help_lists_every_sub_command() {
    let out = Duban::new().run(&["--help"]);
    assert_success(&out);
    let help = stdout(&out);
    for command in [
        "serve", "demo", "migrate", "user", "verify", "calendar", "config",
    ] {
        assert!(
            help.lines().any(|l| l.trim_start().starts_with(command)),
            "{command} missing from:\n{help}"
        );
    }
    let out = Duban::new().run(&["user", "--help"]);
    assert_success(&out);
    assert!(stdout(&out).contains("add") && stdout(&out).contains("reset-password"));
}

#[test]
fn wrong_usage_exits_with_2() {
    let duban = Duban::new();
    let out = duban.run(&["user", "add", "bob"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--admin"), "{}", stderr(&out));
    let out = duban.run(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn config_default_prints_the_commented_defaults_as_valid_toml() {
    let out = Duban::new().run(&["config", "default"]);
    assert_success(&out);
    let text = stdout(&out);
    let table: toml::Table = text.parse().expect("config default prints TOML");
    for section in ["server", "database", "data", "auth", "time", "log"] {
        assert!(table.contains_key(section), "[{section}] missing");
    }
    assert_eq!(table["server"]["listen"].as_str(), Some("127.0.0.1:8080"));
    assert!(
        text.lines().filter(|l| l.starts_with('#')).count() > 40,
        "the defaults are explained"
    );
}

#[test]
fn config_show_prints_the_effective_settings_with_the_password_hidden() {
    let duban = Duban::new();
    std::fs::write(
        duban.dir.path().join("duban.toml"),
        "[auth]\nsession_idle_minutes = 60\n",
    )
    .unwrap();
    let out = duban
        .command(&["config", "show"])
        .env("DATABASE_URL", "postgres://duban:hunter2@db.example/duban")
        .env("DUBAN_SERVER__LISTEN", "0.0.0.0:9000")
        .output()
        .unwrap();
    assert_success(&out);
    let text = stdout(&out);
    assert!(!text.contains("hunter2"), "{text}");
    let table: toml::Table = text.parse().expect("config show prints TOML");
    assert_eq!(
        table["database"]["url"].as_str(),
        Some("postgres://duban:********@db.example/duban")
    );
    assert_eq!(table["server"]["listen"].as_str(), Some("0.0.0.0:9000"));
    assert_eq!(table["auth"]["session_idle_minutes"].as_integer(), Some(60));
    assert_eq!(table["data"]["dir"].as_str(), duban.data_dir().to_str());
}

#[test]
fn a_missing_config_file_or_a_bad_setting_is_a_clear_failure() {
    let duban = Duban::new();
    let out = duban.run(&["--config", "nowhere.toml", "migrate"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nowhere.toml"), "{}", stderr(&out));

    let out = duban
        .command(&["migrate"])
        .env("DUBAN_TIME__ZONE", "Mars/Base")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Mars/Base"), "{}", stderr(&out));
    assert!(
        !duban.database_file().exists(),
        "nothing is created when the configuration is wrong"
    );
}

#[test]
fn migrate_creates_the_sqlite_database_in_the_data_dir() {
    let duban = Duban::new();
    assert!(!duban.data_dir().exists());
    let out = duban.run(&["migrate"]);
    assert_success(&out);
    assert!(stdout(&out).contains("database is up to date"));
    assert!(duban.database_file().is_file());
    // Running it again changes nothing and still succeeds.
    assert_success(&duban.run(&["migrate"]));
}

#[test]
fn a_user_name_can_be_taken_only_once() {
    let duban = Duban::new();
    let out = duban.add_user("alice");
    assert_success(&out);
    assert!(
        !stdout(&out).contains("abcd1234"),
        "a password typed in is not echoed"
    );

    let out = duban.add_user("Alice");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("user name alice is already taken"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_weak_password_or_a_bad_user_name_is_refused() {
    let duban = Duban::new();
    let out = duban.run_with_stdin(
        &["user", "add", "bob", "--admin", "--password-stdin"],
        "short1\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("too short"), "{}", stderr(&out));

    let out = duban.run_with_stdin(
        &["user", "add", "b b", "--admin", "--password-stdin"],
        "abcd1234\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("user name"), "{}", stderr(&out));
}

#[test]
fn generated_and_reset_passwords_are_printed_once_and_differ() {
    let duban = Duban::new();
    let out = duban.run(&["user", "add", "bob", "--role", "unit_head"]);
    assert_success(&out);
    let first = printed_password(&stdout(&out), "bob");

    // A script's token of bob's (made on the account page; here straight into the table).
    assert_eq!(
        duban.tamper(
            "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at)
             SELECT id, 'script', 'abc', 'dbn_abc', '2026-11-25T02:00:00.000000Z' FROM users WHERE username = 'bob'"
        ),
        1
    );
    let out = duban.run(&["user", "reset-password", "bob"]);
    assert_success(&out);
    let second = printed_password(&stdout(&out), "bob");
    assert_ne!(first, second);
    assert!(
        stdout(&out).contains("Signed out 0 session(s) and revoked 1 API token(s) of bob."),
        "{}",
        stdout(&out)
    );
    let live = "SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NULL";
    assert_eq!(duban.sql_on("duban.db", live.into(), true), 0);

    let out = duban.run(&["user", "reset-password", "nobody"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no user named nobody"),
        "{}",
        stderr(&out)
    );
}

fn printed_password(stdout: &str, user: &str) -> String {
    let prefix = format!("Password for {user}: ");
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no password in:\n{stdout}"));
    assert_eq!(line.chars().count(), 16, "{line}");
    line.to_string()
}

#[test]
fn verify_on_a_fresh_database_reports_an_empty_good_ledger() {
    let duban = Duban::new();
    assert_success(&duban.run(&["migrate"]));
    let out = duban.run(&["verify"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("ledger OK: 0 entries"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn verify_without_a_database_fails_instead_of_creating_one() {
    let duban = Duban::new();
    let out = duban.run(&["verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no database"), "{}", stderr(&out));
    assert!(!duban.database_file().exists());
}

#[test]
fn verify_names_the_entry_that_was_changed_behind_duban_s_back() {
    let duban = Duban::new();
    assert_success(&duban.add_user("alice"));
    let out = duban.run(&["verify"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("ledger OK: 1 entries"),
        "{}",
        stdout(&out)
    );

    let changed = duban.tamper(
        "UPDATE ledger SET after_json = replace(after_json, 'alice', 'alicf') WHERE seq = 1",
    );
    assert_eq!(changed, 1, "entry 1 records alice's account");

    let out = duban.run(&["verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("ledger BROKEN at entry 1"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn demo_reset_refuses_to_delete_a_configured_postgres_database() {
    let duban = Duban::new();
    let out = duban.run(&[
        "demo",
        "--reset",
        "--database-url",
        "postgres://duban:hunter2@localhost:1/duban",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("PostgreSQL") && err.contains("--reset"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");
}

/// A `duban serve` or `duban demo` running in the background, stopped with SIGTERM on drop.
#[cfg(unix)]
struct Server {
    child: Child,
    /// Everything printed to stdout up to and including the "running at" line.
    banner: String,
    url: String,
}

#[cfg(unix)]
impl Server {
    fn start(duban: &Duban, args: &[&str]) -> Server {
        Server::start_with(duban, args, &[])
    }

    fn start_with(duban: &Duban, args: &[&str], env: &[(&str, &str)]) -> Server {
        let child = duban
            .command(args)
            .envs(env.iter().copied())
            .env("DUBAN_SERVER__LISTEN", "127.0.0.1:0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("duban starts");
        // Owned by `Server` from here on, so a failed expectation below still stops it.
        let mut server = Server {
            child,
            banner: String::new(),
            url: String::new(),
        };
        let (lines, received) = mpsc::channel();
        let stdout = server.child.stdout.take().expect("piped stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        loop {
            let line = received
                .recv_timeout(Duration::from_secs(60))
                .expect("the server prints its URL");
            server.banner.push_str(&line);
            server.banner.push('\n');
            if let Some(rest) = line.strip_prefix("duban is running at ") {
                server.url = rest.split_whitespace().next().expect("a URL").to_string();
                return server;
            }
        }
    }

    /// `GET path` over a plain socket; returns the status line.
    fn get(&self, path: &str) -> String {
        let addr = self.url.strip_prefix("http://").expect("an http URL");
        let mut stream =
            std::net::TcpStream::connect(addr).expect("the server accepts connections");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response.lines().next().unwrap_or_default().to_string()
    }

    /// Sends SIGTERM and waits for a clean exit.
    fn stop(mut self) -> std::process::ExitStatus {
        self.terminate();
        self.child.wait().expect("the server exits")
    }

    fn terminate(&self) {
        let pid = rustix::process::Pid::from_child(&self.child);
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
    }
}

#[cfg(unix)]
impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.terminate();
            let _ = self.child.wait();
        }
    }
}

#[cfg(unix)]
#[test]
fn serve_starts_on_a_fresh_directory_explains_the_first_step_and_stops_on_sigterm() {
    let duban = Duban::new();
    let server = Server::start(&duban, &["serve"]);
    assert!(
        server.banner.contains("duban user add --admin"),
        "{}",
        server.banner
    );
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    assert!(
        !server.url.ends_with(":0"),
        "the printed URL has the real port"
    );
    assert!(duban.database_file().is_file());
    assert!(server.get("/healthz").contains("200"));
    assert!(server.stop().success());

    // With an account, the hint is gone.
    assert_success(&duban.add_user("alice"));
    let server = Server::start(&duban, &["serve"]);
    assert!(
        !server.banner.contains("duban user add"),
        "{}",
        server.banner
    );
    assert!(server.stop().success());
}

#[cfg(unix)]
#[test]
fn demo_loads_the_city_once_prints_its_accounts_and_reset_starts_afresh() {
    let duban = Duban::new();
    let server = Server::start(&duban, &["demo"]);
    assert!(
        server.banner.contains("Demo city loaded"),
        "{}",
        server.banner
    );
    assert!(
        server.banner.contains(duban_core::demo::DEMO_PASSWORD),
        "{}",
        server.banner
    );
    assert!(
        server
            .banner
            .lines()
            .any(|l| l.trim_start().starts_with("admin ")),
        "{}",
        server.banner
    );
    assert!(server.banner.contains(&server.url));
    assert!(server.stop().success());
    let demo_file = duban.data_dir().join("demo.db");
    assert!(demo_file.is_file());
    assert!(
        !duban.database_file().exists(),
        "the demo keeps out of the real database"
    );

    let server = Server::start(&duban, &["demo"]);
    assert!(server.banner.contains("already has"), "{}", server.banner);
    assert!(server.stop().success());

    let server = Server::start(&duban, &["demo", "--reset"]);
    assert!(
        server.banner.contains("Demo city loaded"),
        "{}",
        server.banner
    );
    assert!(server.stop().success());
}

#[test]
fn the_calendar_answers_with_the_published_2026_schedule() {
    let duban = Duban::new();
    let out = duban.run(&["calendar", "add-workdays", "2026-02-13", "1"]);
    assert_success(&out);
    assert_eq!(stdout(&out).trim(), "2026-02-14", "a make-up Saturday");
    let out = duban.run(&["calendar", "workdays", "2026-02-01", "2026-02-28"]);
    assert_success(&out);
    assert_eq!(stdout(&out).trim(), "16");
    let out = duban.run(&["calendar", "add-workdays", "2026-10-08", "-3"]);
    assert_eq!(
        stdout(&out).trim(),
        "2026-09-28",
        "back over National Day: 30, 29, 28 Sep"
    );
    let out = duban.run(&["calendar", "list", "2026"]);
    assert!(
        stdout(&out).contains("2026-09-20  Sun  workday  国庆节补班"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn an_admin_edits_the_calendar_and_bad_input_is_refused() {
    let duban = Duban::new();
    // A local extra day off (e.g. a typhoon day) shifts the answer, and clearing restores it.
    assert_success(&duban.run(&[
        "calendar",
        "set",
        "2026-11-25",
        "holiday",
        "--name",
        "台风停工",
    ]));
    let out = duban.run(&["calendar", "add-workdays", "2026-11-24", "1"]);
    assert_eq!(stdout(&out).trim(), "2026-11-26");
    assert_success(&duban.run(&["calendar", "clear", "2026-11-25"]));
    let out = duban.run(&["calendar", "add-workdays", "2026-11-24", "1"]);
    assert_eq!(stdout(&out).trim(), "2026-11-25");
    let out = duban.run(&["verify"]);
    assert!(
        stdout(&out).contains("ledger OK: 2 entries"),
        "both edits are in the ledger: {}",
        stdout(&out)
    );

    let out = duban.run(&["calendar", "workdays", "2026-03-01", "2026-02-01"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("end date is before the start date"),
        "{}",
        stderr(&out)
    );
    let out = duban.run(&["calendar", "add-workdays", "2026-02-30", "1"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an impossible date is a usage error"
    );
    let out = duban.run(&["calendar", "set", "2026-11-25", "weekend"]);
    assert_eq!(out.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn an_entry_edited_behind_duban_s_back_fails_verify_offline_and_against_the_live_server() {
    use std::os::unix::fs::PermissionsExt;
    let duban = Duban::new();
    for name in ["alice", "bob", "carol"] {
        assert_success(&duban.add_user(name));
    }
    let server = Server::start(&duban, &["serve"]);
    let key = duban.data_dir().join("transparency-ed25519.pem");
    let mode = std::fs::metadata(&key)
        .expect("the signing key is created at start")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the signing key is the owner's only");

    let url = server.url.clone();
    let out = duban.run(&["verify", "--url", &url, "--entry", "2"]);
    assert_success(&out);
    assert!(
        stdout(&out).starts_with("entry 2 OK: user.create"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("signed tree of 3 entries"),
        "{}",
        stdout(&out)
    );
    let out = duban.run(&["verify", "--url", &url, "--entry", "3", "--sth-size", "3"]);
    assert_success(&out);
    let out = duban.run(&["verify"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("transparency log OK: 3 leaves, 1 signed tree heads"),
        "{}",
        stdout(&out)
    );

    // A key the server did not sign with, pinned by the checker, is refused.
    let other = duban.dir.path().join("other.pem");
    let other_key = duban_core::transparency::SigningKey::from_bytes(&[1; 32]);
    std::fs::write(
        &other,
        duban_core::transparency::sth::public_key_pem(&other_key.verifying_key()),
    )
    .unwrap();
    let out = duban.run(&[
        "verify",
        "--url",
        &url,
        "--entry",
        "2",
        "--public-key",
        other.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("different public key"),
        "{}",
        stdout(&out)
    );

    let changed = duban
        .tamper("UPDATE ledger SET after_json = replace(after_json, 'bob', 'bop') WHERE seq = 2");
    assert_eq!(changed, 1, "entry 2 records bob's account");
    let out = duban.run(&["verify", "--url", &url, "--entry", "2"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("entry 2 FAILED: entry 2 is NOT in the signed tree"),
        "{}",
        stdout(&out)
    );
    assert_success(&duban.run(&["verify", "--url", &url, "--entry", "3"]));
    assert!(server.stop().success());

    let out = duban.run(&["verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    for line in [
        "ledger BROKEN at entry 2",
        "transparency log BROKEN at entry 2",
    ] {
        assert!(stdout(&out).contains(line), "{}", stdout(&out));
    }
}

#[cfg(unix)]
#[test]
fn an_entry_newer_than_the_signed_head_is_named_as_not_yet_signed_with_when_the_next_is_due() {
    let duban = Duban::new();
    for name in ["alice", "bob", "carol"] {
        assert_success(&duban.add_user(name));
    }
    let server = Server::start(&duban, &["serve"]);
    let url = server.url.clone();
    // Written after the head the server signed at start; the next is due five minutes later.
    assert_success(&duban.add_user("dave"));
    let out = duban.run(&["verify", "--url", &url, "--entry", "4"]);
    assert_eq!(out.status.code(), Some(3), "{}", stdout(&out));
    let said = stdout(&out);
    let rest = said
        .strip_prefix(
            "entry 4 is not yet in a signed head: the newest head covers entries 1–3, signed at ",
        )
        .unwrap_or_else(|| panic!("{said}"));
    let (signed, due) = rest
        .trim_end()
        .split_once("; the next is due by ")
        .unwrap_or_else(|| panic!("{said}"));
    let signed: jiff::Timestamp = signed.parse().unwrap();
    let due: jiff::Timestamp = due.parse().unwrap();
    assert_eq!(
        due.duration_since(signed),
        jiff::SignedDuration::from_mins(5),
        "{said}"
    );

    let out = duban.run(&["verify", "--url", &url, "--entry", "99"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("entry 99 FAILED: there is no entry 99 on this server"),
        "{}",
        stdout(&out)
    );
    let out = duban.run(&["verify", "--url", &url, "--entry", "3", "--sth-size", "2"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("no signed tree head of 2 entries"),
        "{}",
        stdout(&out)
    );
    assert_success(&duban.run(&["verify", "--url", &url, "--entry", "3"]));
    assert!(server.stop().success());
}

#[cfg(unix)]
#[test]
fn a_signed_commitment_is_proved_against_the_live_log_and_an_edit_behind_its_back_is_caught() {
    let duban = Duban::new();
    let server = Server::start(&duban, &["demo"]);
    let url = server.url.clone();
    let id = duban.sql_on(
        "demo.db",
        "SELECT id FROM commitments WHERE state IN ('published', 'fulfilling') ORDER BY id LIMIT 1"
            .into(),
        true,
    );
    let out = duban.run(&["verify", "--url", &url, "--commitment", &id.to_string()]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("version 1 OK: the text shown is the text signed"),
        "{}",
        stdout(&out)
    );

    // The shown text edited in the database (past the triggers that forbid it): caught.
    duban.sql_on(
        "demo.db",
        "DROP TRIGGER commitment_versions_signed_no_update".into(),
        false,
    );
    let changed = duban.sql_on(
        "demo.db",
        format!(
            "UPDATE commitment_versions SET signed_json = replace(signed_json, '\"deadline\":\"2026', '\"deadline\":\"2027')
             WHERE commitment_id = {id} AND state = 'signed'"
        ),
        false,
    );
    assert!(changed >= 1, "the signed deadline is in the text");
    let out = duban.run(&["verify", "--url", &url, "--commitment", &id.to_string()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("differs from the text signed"),
        "{}",
        stdout(&out)
    );
    let page = std::process::Command::new("curl")
        .args(["-s", &format!("{url}/public/commitments/{id}")])
        .output()
        .expect("curl runs");
    assert!(
        String::from_utf8_lossy(&page.stdout).contains("与审计日志中的签署原文不一致"),
        "the portal shows the broken proof"
    );

    // Offline, the same edit is named (the demo's database, checked with its key).
    let demo_db = format!("sqlite://{}", duban.data_dir().join("demo.db").display());
    let out = duban.run(&["--database-url", &demo_db, "verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains(&format!(
            "commitment {id} BROKEN: version 1 differs from what was signed"
        )),
        "{}",
        stdout(&out)
    );

    // The ledger entry edited to match it: then the entry is no longer in the signed log.
    duban.sql_on(
        "demo.db",
        format!(
            "UPDATE ledger SET after_json = (SELECT v.signed_json FROM commitment_versions v
                 WHERE v.id = ledger.object_id)
             WHERE action = 'commitment.sign' AND object_id IN
                 (SELECT id FROM commitment_versions WHERE commitment_id = {id})"
        ),
        false,
    );
    let out = duban.run(&["verify", "--url", &url, "--commitment", &id.to_string()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("is NOT in the signed tree"),
        "{}",
        stdout(&out)
    );
    assert!(server.stop().success());
}

/// Runs a command that is expected to end by itself (a refused start), killing it after 60 s
/// so a server that starts after all fails the test instead of hanging it.
#[cfg(unix)]
fn run_to_exit(mut cmd: Command) -> Output {
    let mut child = cmd
        .env("DUBAN_SERVER__LISTEN", "127.0.0.1:0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("duban starts");
    let started = std::time::Instant::now();
    while child.try_wait().expect("the child can be polled").is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("duban kept running: it should have refused to start");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("its output")
}

#[cfg(unix)]
#[test]
fn a_second_node_on_the_same_database_starts_only_with_the_log_s_key() {
    let first = Duban::new();
    assert_success(&first.add_user("alice"));
    let server = Server::start(&first, &["serve"]);
    assert!(server.stop().success());
    let original = first.data_dir().join("transparency-ed25519.pem");
    let pem = std::fs::read_to_string(&original).expect("the first node made the key");
    let db = format!("sqlite://{}", first.database_file().display());

    // A node with a data directory of its own and no key: refused, and no second key made.
    let second = Duban::new();
    let out = run_to_exit(second.command(&["--database-url", &db, "serve"]));
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("will not create a second key"), "{err}");
    assert!(err.contains("transparency.key"), "{err}");
    assert!(err.contains("DUBAN_TRANSPARENCY__KEY"), "{err}");
    assert!(err.contains("transparency-ed25519.pem"), "{err}");
    assert!(
        !second.data_dir().join("transparency-ed25519.pem").exists(),
        "no second key"
    );

    // A node with another key: refused, naming both key ids and the settings.
    let other = second.dir.path().join("other.pem");
    let other_key = duban_core::transparency::SigningKey::from_bytes(&[7; 32]);
    std::fs::write(
        &other,
        duban_core::transparency::sth::private_key_pem(&other_key),
    )
    .unwrap();
    let mut cmd = second.command(&["--database-url", &db, "serve"]);
    cmd.env("DUBAN_TRANSPARENCY__KEY_FILE", &other);
    let out = run_to_exit(cmd);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    let other_id = hex::encode(duban_core::transparency::sth::key_id(
        &other_key.verifying_key(),
    ));
    assert!(err.contains(&other_id), "{err}");
    assert!(err.contains("is not the key the transparency log"), "{err}");
    assert!(err.contains("transparency.key_file"), "{err}");

    // The original key, given as the setting's PEM text: it serves, and the log verifies,
    // from its configuration and from the key recorded in the database.
    let server = Server::start_with(
        &second,
        &["--database-url", &db, "serve"],
        &[("DUBAN_TRANSPARENCY__KEY", pem.as_str())],
    );
    assert!(server.stop().success());
    let mut cmd = second.command(&["--database-url", &db, "verify"]);
    cmd.env("DUBAN_TRANSPARENCY__KEY", &pem);
    let out = cmd.stdin(Stdio::null()).output().expect("verify runs");
    assert_success(&out);
    assert!(
        stdout(&out).contains("transparency log OK"),
        "{}",
        stdout(&out)
    );
    let out = second.run(&["--database-url", &db, "verify"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("public key recorded in the database"),
        "{}",
        stdout(&out)
    );
}

/// An auditor's script token (`dbn_auditorscripttoken`), stored as its SHA-256 like the
/// account page stores one.
#[cfg(unix)]
const AUDIT_TOKEN_HASH: &str = "100b61aa6d0056add4f4e4bbb017679172d42d3f85ed6e232b663f15169bfc38";

#[cfg(unix)]
#[test]
fn a_ledger_export_verifies_offline_and_a_changed_byte_is_named_by_line_and_seq() {
    let duban = Duban::new();
    for name in ["alice", "bob", "carol"] {
        assert_success(&duban.add_user(name));
    }
    assert_success(&duban.run(&[
        "calendar",
        "set",
        "2026-11-25",
        "holiday",
        "--name",
        "台风停工",
    ]));
    assert_success(&duban.run(&["user", "add", "audrey", "--role", "auditor"]));
    assert_eq!(
        duban.sql_on(
            "duban.db",
            format!(
                "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at)
                 SELECT id, 'audit', '{AUDIT_TOKEN_HASH}', 'dbn_audito', '2026-11-25T02:00:00.000000Z'
                   FROM users WHERE username = 'audrey'"
            ),
            false
        ),
        1
    );
    let server = Server::start(&duban, &["serve"]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let export = |query: &str| -> String {
        let url = format!("{}/api/v1/ledger/export.jsonl{query}", server.url);
        runtime.block_on(async {
            let res = reqwest::Client::new()
                .get(url)
                .bearer_auth("dbn_auditorscripttoken")
                .send()
                .await
                .expect("the server answers");
            assert_eq!(res.status(), reqwest::StatusCode::OK);
            res.text().await.expect("the export")
        })
    };
    let write = |name: &str, text: &str| -> String {
        let path = duban.dir.path().join(name);
        std::fs::write(&path, text).expect("the export is saved");
        path.display().to_string()
    };

    // The whole ledger: one run from the genesis.
    let whole = export("");
    assert_eq!(whole.lines().count(), 5, "{whole}");
    let out = duban.run(&["verify", "--ledger-export", &write("whole.jsonl", &whole)]);
    assert_success(&out);
    assert!(
        stdout(&out)
            .contains("ledger export OK: 5 entries (1–5) in 1 consecutive run(s), 0 gap(s)"),
        "{}",
        stdout(&out)
    );

    // The accounts only: the calendar's entry is a gap, reported as such.
    let accounts = export("?action=user.");
    let out = duban.run(&[
        "verify",
        "--ledger-export",
        &write("users.jsonl", &accounts),
    ]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("gap: entry 4 is not in the export")
            && stdout(&out).contains("4 entries (1–5) in 2 consecutive run(s), 1 gap(s)"),
        "{}",
        stdout(&out)
    );

    // One byte changed on the second line (bob's name): that line and entry are named.
    let mut lines: Vec<String> = whole.lines().map(str::to_string).collect();
    assert!(lines[1].contains("bob"), "{}", lines[1]);
    lines[1] = lines[1].replacen("bob", "bog", 1);
    let out = duban.run(&[
        "verify",
        "--ledger-export",
        &write("tampered.jsonl", &(lines.join("\n") + "\n")),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("ledger export BROKEN at line 2 (entry 2)"),
        "{}",
        stdout(&out)
    );
    // Nothing else was blamed.
    assert_eq!(
        stdout(&out).matches("BROKEN at line").count(),
        1,
        "{}",
        stdout(&out)
    );

    let out = duban.run(&["verify", "--ledger-export", "missing.jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("could not open the ledger export"),
        "{}",
        stderr(&out)
    );
    drop(server);
}
