//! The layering, each test in a `figment::Jail`: its own scratch directory and environment,
//! run one at a time, so no test sees another's variables (or the developer's).

use super::database_url::redact_url;
use super::*;
use figment::Jail;

#[expect(
    clippy::result_large_err,
    reason = "figment::Jail fixes the closure's error type"
)]
fn jailed(test: impl FnOnce(&mut Jail)) {
    Jail::expect_with(|jail| {
        jail.clear_env();
        test(jail);
        Ok(())
    });
}

#[test]
fn with_no_file_and_no_environment_the_embedded_defaults_apply() {
    jailed(|_| {
        let c = Config::load(&Flags::default()).unwrap();
        assert_eq!(c.server.listen, "127.0.0.1:8080");
        assert_eq!(c.server.public_url, "");
        assert!(!c.server.secure_cookies);
        assert!(!c.server.trust_proxy_headers);
        assert_eq!(c.server.max_body_bytes, 1_048_576);
        assert!(c.database.url.is_empty());
        assert_eq!(c.database.max_connections, 8);
        assert_eq!(c.database.sqlite_cache_kib, 2048);
        assert_eq!(c.database.sqlite_heap_limit_mib, 16);
        assert_eq!(c.data.dir, PathBuf::from("./duban-data"));
        assert_eq!(c.auth.session_idle_minutes, 720);
        assert_eq!(c.auth.max_failures_per_account, 5);
        assert_eq!(c.auth.max_failures_per_address, 30);
        assert_eq!(c.auth.failure_window_minutes, 15);
        assert_eq!(c.time.zone.name(), "Asia/Shanghai");
        assert_eq!(c.log.format, LogFormat::Text);
        assert_eq!(c.log.filter, "info,sqlx=warn");
    });
}

#[test]
fn without_a_database_url_each_database_is_a_sqlite_file_in_the_data_directory() {
    jailed(|_| {
        let c = Config::load(&Flags::default()).unwrap();
        let main = c.database(Db::Main);
        assert_eq!(main.url.expose(), "sqlite://./duban-data/duban.db?mode=rwc");
        assert_eq!(
            main.default_file,
            Some(PathBuf::from("./duban-data/duban.db"))
        );
        let demo = c.database(Db::Demo);
        assert_eq!(demo.url.expose(), "sqlite://./duban-data/demo.db?mode=rwc");
    });
}

#[test]
fn duban_toml_in_the_current_directory_overrides_the_defaults_key_by_key() {
    jailed(|jail| {
        jail.create_file(
            "duban.toml",
            "[server]\nlisten = \"0.0.0.0:9000\"\n[auth]\nsession_idle_minutes = 60\n[time]\nzone = \"UTC\"\n",
        )
        .unwrap();
        let c = Config::load(&Flags::default()).unwrap();
        assert_eq!(c.server.listen, "0.0.0.0:9000");
        assert_eq!(c.auth.session_idle_minutes, 60);
        assert_eq!(c.time.zone.name(), "UTC");
        // Untouched keys keep their defaults.
        assert_eq!(c.server.max_body_bytes, 1_048_576);
        assert_eq!(c.auth.max_failures_per_account, 5);
    });
}

#[test]
fn a_config_flag_reads_that_file_instead_and_a_missing_one_is_an_error() {
    jailed(|jail| {
        jail.create_file("duban.toml", "[server]\nlisten = \"127.0.0.1:1111\"\n")
            .unwrap();
        jail.create_file("other.toml", "[server]\nlisten = \"127.0.0.1:2222\"\n")
            .unwrap();
        let flags = Flags {
            config: Some("other.toml".into()),
            ..Flags::default()
        };
        assert_eq!(
            Config::load(&flags).unwrap().server.listen,
            "127.0.0.1:2222"
        );

        let flags = Flags {
            config: Some("missing.toml".into()),
            ..Flags::default()
        };
        let err = format!("{:#}", Config::load(&flags).unwrap_err());
        assert!(
            err.contains("missing.toml") && err.contains("does not exist"),
            "{err}"
        );
    });
}

#[test]
fn duban_variables_override_the_file_with_double_underscores_for_nesting() {
    jailed(|jail| {
        jail.create_file(
            "duban.toml",
            "[server]\nlisten = \"0.0.0.0:9000\"\nsecure_cookies = false\n",
        )
        .unwrap();
        jail.set_env("DUBAN_SERVER__LISTEN", "0.0.0.0:9100");
        jail.set_env("DUBAN_SERVER__SECURE_COOKIES", "true");
        jail.set_env("DUBAN_AUTH__MAX_FAILURES_PER_ACCOUNT", "3");
        jail.set_env("DUBAN_DATA__DIR", "/var/lib/duban");
        let c = Config::load(&Flags::default()).unwrap();
        assert_eq!(c.server.listen, "0.0.0.0:9100");
        assert!(c.server.secure_cookies);
        assert_eq!(c.auth.max_failures_per_account, 3);
        assert_eq!(c.data.dir, PathBuf::from("/var/lib/duban"));
    });
}

#[test]
fn duban_variables_that_are_not_settings_are_left_alone() {
    jailed(|jail| {
        jail.set_env("DUBAN_TEST_DATABASE_URL", "postgres://u:p@localhost/test");
        jail.set_env("DUBAN_SOMETHING", "x");
        let c = Config::load(&Flags::default()).unwrap();
        assert!(c.database.url.is_empty());
    });
}

#[test]
fn the_log_shorthands_set_the_format_and_the_filter() {
    jailed(|jail| {
        jail.set_env("DUBAN_LOG_FORMAT", "json");
        jail.set_env("DUBAN_LOG", "debug,duban_store=trace");
        let c = Config::load(&Flags::default()).unwrap();
        assert_eq!(c.log.format, LogFormat::Json);
        assert_eq!(c.log.filter, "debug,duban_store=trace");
    });
}

#[test]
fn database_url_overrides_file_and_duban_variable_and_the_flag_overrides_it() {
    jailed(|jail| {
        jail.create_file(
            "duban.toml",
            "[database]\nurl = \"sqlite://from-file.db\"\n",
        )
        .unwrap();
        jail.set_env("DUBAN_DATABASE__URL", "sqlite://from-duban-env.db");
        assert_eq!(
            Config::load(&Flags::default())
                .unwrap()
                .database
                .url
                .expose(),
            "sqlite://from-duban-env.db"
        );

        jail.set_env("DATABASE_URL", "postgres://duban:secret@db/duban");
        let c = Config::load(&Flags::default()).unwrap();
        assert_eq!(c.database.url.expose(), "postgres://duban:secret@db/duban");
        // A configured URL is used for the demo too, and is not a file of ours.
        let demo = c.database(Db::Demo);
        assert!(demo.url.is_postgres());
        assert_eq!(demo.default_file, None);

        let flags = Flags {
            database_url: Some("sqlite://from-flag.db".into()),
            ..Flags::default()
        };
        assert_eq!(
            Config::load(&flags).unwrap().database.url.expose(),
            "sqlite://from-flag.db"
        );
    });
}

#[test]
fn the_data_dir_flag_overrides_the_environment() {
    jailed(|jail| {
        jail.set_env("DUBAN_DATA__DIR", "/from/env");
        let flags = Flags {
            data_dir: Some("/from/flag".into()),
            ..Flags::default()
        };
        let c = Config::load(&flags).unwrap();
        assert_eq!(c.data.dir, PathBuf::from("/from/flag"));
        assert_eq!(
            c.database(Db::Main).url.expose(),
            "sqlite:///from/flag/duban.db?mode=rwc"
        );
    });
}

#[test]
fn the_database_url_can_come_from_a_file() {
    jailed(|jail| {
        jail.create_file("db-url", "postgres://duban:from-file@db/duban\n")
            .unwrap();
        jail.set_env("DUBAN_DATABASE__URL_FILE", "db-url");
        let c = Config::load(&Flags::default()).unwrap();
        assert_eq!(
            c.database.url.expose(),
            "postgres://duban:from-file@db/duban"
        );

        // An explicit URL wins over the file.
        jail.set_env("DATABASE_URL", "sqlite://explicit.db");
        assert_eq!(
            Config::load(&Flags::default())
                .unwrap()
                .database
                .url
                .expose(),
            "sqlite://explicit.db"
        );
    });
}

#[test]
fn an_unknown_time_zone_is_refused_with_its_key_and_a_hint() {
    jailed(|jail| {
        jail.set_env("DUBAN_TIME__ZONE", "Mars/Olympus_Mons");
        let err = format!("{:#}", Config::load(&Flags::default()).unwrap_err());
        assert!(err.contains("Mars/Olympus_Mons"), "{err}");
        // figment names variables' keys in upper case: `TIME.ZONE` in `DUBAN_` variables.
        assert!(err.to_lowercase().contains("time.zone"), "{err}");
        assert!(err.contains("Asia/Shanghai"), "{err}");
    });
}

#[test]
fn a_misspelt_key_in_the_file_is_an_error_not_silently_ignored() {
    jailed(|jail| {
        jail.create_file("duban.toml", "[server]\nlisen = \"0.0.0.0:9000\"\n")
            .unwrap();
        let err = format!("{:#}", Config::load(&Flags::default()).unwrap_err());
        assert!(err.contains("lisen"), "{err}");
    });
}

#[test]
fn bad_values_are_refused_with_the_key_that_holds_them() {
    jailed(|jail| {
        jail.set_env("DUBAN_LOG_FORMAT", "xml");
        let err = format!("{:#}", Config::load(&Flags::default()).unwrap_err());
        assert!(
            err.contains("xml") && err.to_lowercase().contains("log.format"),
            "{err}"
        );
    });
    jailed(|jail| {
        jail.set_env("DUBAN_AUTH__SESSION_IDLE_MINUTES", "0");
        let err = format!("{:#}", Config::load(&Flags::default()).unwrap_err());
        assert!(err.contains("auth.session_idle_minutes"), "{err}");
    });
    jailed(|jail| {
        jail.set_env("DUBAN_LOG", "info,=[");
        let err = format!("{:#}", Config::load(&Flags::default()).unwrap_err());
        assert!(err.contains("log.filter"), "{err}");
    });
}

#[test]
fn the_web_layer_gets_the_auth_server_and_time_settings() {
    jailed(|jail| {
        jail.set_env("DUBAN_SERVER__SECURE_COOKIES", "true");
        jail.set_env("DUBAN_AUTH__FAILURE_WINDOW_MINUTES", "30");
        jail.set_env("DUBAN_TIME__ZONE", "Europe/Berlin");
        let web = Config::load(&Flags::default()).unwrap().web();
        assert!(web.secure_cookies);
        assert_eq!(web.failure_window_minutes, 30);
        assert_eq!(web.session_idle_minutes, 720);
        assert_eq!(web.max_body_bytes, 1_048_576);
        assert_eq!(web.timezone.iana_name(), Some("Europe/Berlin"));
    });
}

#[test]
fn the_printed_url_is_the_public_url_or_an_address_a_browser_can_open() {
    jailed(|jail| {
        let c = Config::load(&Flags::default()).unwrap();
        assert_eq!(
            c.public_url("127.0.0.1:8080".parse().unwrap()),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            c.public_url("0.0.0.0:8080".parse().unwrap()),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            c.public_url("[::]:8080".parse().unwrap()),
            "http://[::1]:8080"
        );
        jail.set_env("DUBAN_SERVER__PUBLIC_URL", "https://duban.example.gov.cn/");
        let c = Config::load(&Flags::default()).unwrap();
        assert_eq!(
            c.public_url("0.0.0.0:8080".parse().unwrap()),
            "https://duban.example.gov.cn"
        );
    });
}

#[test]
fn database_passwords_never_show_in_debug_display_or_the_printed_config() {
    let url =
        DatabaseUrl::from("postgres://duban:hunter2@db:5432/duban?sslmode=require".to_string());
    assert_eq!(
        url.to_string(),
        "postgres://duban:********@db:5432/duban?sslmode=require"
    );
    assert!(!format!("{url:?}").contains("hunter2"));

    let url = DatabaseUrl::from(
        "postgres://db/duban?user=duban&password=hunter2&sslmode=require".to_string(),
    );
    assert_eq!(
        url.to_string(),
        "postgres://db/duban?user=duban&password=********&sslmode=require"
    );

    jailed(|jail| {
        jail.set_env("DATABASE_URL", "postgres://duban:hunter2@db/duban");
        let c = Config::load(&Flags::default()).unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
        let shown = c.to_redacted_toml().unwrap();
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(
            shown.contains("postgres://duban:********@db/duban"),
            "{shown}"
        );
    });
}

#[test]
fn urls_without_a_password_are_shown_as_they_are() {
    for url in [
        "sqlite://./duban-data/duban.db?mode=rwc",
        "postgres://duban@db/duban",
        "postgres://db/duban",
        "",
    ] {
        assert_eq!(redact_url(url), url);
    }
}

#[test]
fn the_printed_config_has_exactly_the_keys_of_the_default_file() {
    jailed(|_| {
        let shown: toml::Table = Config::load(&Flags::default())
            .unwrap()
            .to_redacted_toml()
            .unwrap()
            .parse()
            .unwrap();
        let defaults: toml::Table = DEFAULT_TOML.parse().unwrap();
        assert_eq!(shown, defaults);
    });
}

#[test]
fn by_default_notifications_stay_in_the_inbox() {
    jailed(|_| {
        let c = Config::load(&Flags::default()).unwrap();
        assert!(c.notify.smtp_url.expose().is_empty());
        assert!(c.notify.webhook_urls.is_empty());
        assert_eq!(c.notify.digest_hour, 8);
        assert_eq!(c.notify.jobs_interval_seconds, 30);
        assert_eq!(c.notify.webhook_timeout_seconds, 5);
        let web = c.web().notify;
        assert!(!web.channels().email && web.channels().webhooks.is_empty());
        assert_eq!(web.jobs_interval, std::time::Duration::from_secs(30));
    });
}

#[test]
fn notify_settings_reach_the_web_layer_and_their_secrets_stay_hidden() {
    jailed(|jail| {
        jail.set_env(
            "DUBAN_NOTIFY__SMTP_URL",
            "smtps://duban:hunter2@mail.example.gov.cn:465",
        );
        jail.set_env(
            "DUBAN_NOTIFY__WEBHOOK_URLS",
            r#"["https://oapi.dingtalk.com/robot/send?access_token=t0ken"]"#,
        );
        jail.set_env("DUBAN_NOTIFY__DIGEST_HOUR", "7");
        jail.set_env("DUBAN_SERVER__PUBLIC_URL", "https://duban.example.gov.cn/");
        let c = Config::load(&Flags::default()).unwrap();
        let shown = c.to_redacted_toml().unwrap();
        assert!(
            !shown.contains("hunter2") && !shown.contains("t0ken"),
            "{shown}"
        );
        assert!(shown.contains("smtps://mail.example.gov.cn:465"), "{shown}");
        let debug = format!("{c:?}");
        assert!(!debug.contains("hunter2") && !debug.contains("t0ken"));
        let web = c.web().notify;
        assert_eq!(
            web.smtp_url.as_deref(),
            Some("smtps://duban:hunter2@mail.example.gov.cn:465")
        );
        assert_eq!(
            web.webhook_urls,
            ["https://oapi.dingtalk.com/robot/send?access_token=t0ken"]
        );
        assert_eq!(web.digest_hour, 7);
        assert_eq!(web.public_url, "https://duban.example.gov.cn");
        assert!(web.channels().email);
    });
}

#[test]
fn typed_robots_are_read_from_notify_webhooks_beside_plain_urls() {
    jailed(|jail| {
        jail.create_file(
            "duban.toml",
            r#"[notify]
webhook_urls = ["https://hook.example/plain"]

[[notify.webhooks]]
kind = "dingtalk"
url = "https://oapi.dingtalk.com/robot/send?access_token=d1ng"
secret = "SECs1gn"

[[notify.webhooks]]
kind = "wecom"
url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=w3com"
"#,
        )
        .unwrap();
        let c = Config::load(&Flags::default()).unwrap();
        let shown = format!("{}{c:?}", c.to_redacted_toml().unwrap());
        for secret in ["d1ng", "SECs1gn", "w3com"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        use duban_web::notify::webhook::WebhookKind;
        let web = c.web().notify;
        assert_eq!(web.channels().webhooks.len(), 3);
        let ding = web.webhook("https://oapi.dingtalk.com/robot/send?access_token=d1ng");
        assert_eq!(ding.kind, WebhookKind::DingTalk);
        assert_eq!(ding.secret.as_deref(), Some("SECs1gn"));
        let wecom = web.webhook("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=w3com");
        assert_eq!((wecom.kind, wecom.secret), (WebhookKind::WeCom, None));
        assert_eq!(
            web.webhook("https://hook.example/plain").kind,
            WebhookKind::Generic
        );
    });
}

#[test]
fn a_secret_on_a_robot_that_does_not_sign_is_refused() {
    jailed(|jail| {
        jail.create_file(
            "duban.toml",
            "[[notify.webhooks]]\nkind = \"wecom\"\nurl = \"https://q.example/k\"\nsecret = \"SECx\"\n",
        )
        .unwrap();
        let err = format!("{:#}", Config::load(&Flags::default()).unwrap_err());
        assert!(err.contains("notify.webhooks[0].secret"), "{err}");
        assert!(!err.contains("SECx"), "{err}");
    });
}

#[test]
fn bad_notify_settings_are_refused_with_their_key() {
    for (var, value, key) in [
        ("DUBAN_NOTIFY__DIGEST_HOUR", "24", "notify.digest_hour"),
        (
            "DUBAN_NOTIFY__SMTP_URL",
            "mail.example:25",
            "notify.smtp_url",
        ),
        (
            "DUBAN_NOTIFY__WEBHOOK_URLS",
            r#"["ftp://robot.example/t0ken"]"#,
            "notify.webhook_urls",
        ),
        (
            "DUBAN_NOTIFY__JOBS_INTERVAL_SECONDS",
            "0",
            "notify.jobs_interval_seconds",
        ),
    ] {
        jailed(|jail| {
            jail.set_env(var, value);
            let err = format!("{:#}", Config::load(&Flags::default()).unwrap_err());
            assert!(err.contains(key), "{var}={value}: {err}");
            assert!(!err.contains("t0ken"), "{err}");
        });
    }
}

#[test]
fn the_default_public_categories_are_cores_and_a_bad_code_is_refused() {
    jailed(|jail| {
        let c = Config::load(&Flags::default()).unwrap();
        let web = c.web();
        assert_eq!(
            web.public.categories,
            duban_core::public::default_categories()
        );
        assert_eq!(web.public.per_address_per_minute, 10);
        jail.create_file(
            "duban.toml",
            "[public]\ncategories = [{ code = \"Roads!\", name_zh = \"道路\", name_en = \"Roads\" }]\n",
        )
        .unwrap();
        let err = Config::load(&Flags::default()).unwrap_err().to_string();
        assert!(err.contains("public.categories"), "{err}");
    });
}

#[test]
fn the_clock_is_the_system_clock_unless_pinned_to_an_instant_with_its_offset() {
    jailed(|jail| {
        let c = Config::load(&Flags::default()).unwrap();
        assert_eq!(c.time.pinned.get(), None, "not pinned by default");
        assert_eq!(c.web().pinned_clock, None);

        jail.set_env("DUBAN_TIME__PINNED", "2027-01-01T09:00:00+08:00");
        let c = Config::load(&Flags::default()).unwrap();
        let pin: jiff::Timestamp = "2027-01-01T01:00:00Z".parse().unwrap();
        assert_eq!(c.time.pinned.get(), Some(pin));
        assert_eq!(c.web().pinned_clock, Some(pin));
        assert_eq!(c.now(), pin, "commands read the pinned instant");
        assert_eq!(crate::commands::this_year(&c), 2027);

        // A date alone has no instant and no zone: refused, naming the key and the form.
        jail.set_env("DUBAN_TIME__PINNED", "2027-01-01");
        let err = format!("{:#}", Config::load(&Flags::default()).unwrap_err());
        assert!(err.to_lowercase().contains("time.pinned"), "{err}");
        assert!(err.contains("2026-11-25T10:00:00+08:00"), "{err}");
    });
}

#[test]
fn the_metrics_token_reaches_the_web_layer_and_stays_hidden() {
    jailed(|jail| {
        let c = Config::load(&Flags::default()).unwrap();
        assert!(c.web().metrics_token.is_none(), "no token by default");
        jail.set_env("DUBAN_SERVER__METRICS_TOKEN", "m3trics-s3cret");
        let c = Config::load(&Flags::default()).unwrap();
        assert!(c.web().metrics_token.is_some());
        let shown = c.to_redacted_toml().unwrap();
        assert!(!shown.contains("m3trics-s3cret"), "{shown}");
        assert!(
            shown.contains("metrics_token = \"(set, hidden)\""),
            "{shown}"
        );
        assert!(!format!("{c:?}").contains("m3trics-s3cret"));
        assert!(!format!("{:?}", c.web()).contains("m3trics-s3cret"));
    });
}

#[test]
fn the_metrics_token_can_come_from_a_file() {
    jailed(|jail| {
        jail.create_file("metrics-token", "fr0m-a-file\n").unwrap();
        jail.set_env("DUBAN_SERVER__METRICS_TOKEN_FILE", "metrics-token");
        let c = Config::load(&Flags::default()).unwrap();
        assert_eq!(c.server.metrics_token.expose(), Some("fr0m-a-file"));
        assert!(!c.to_redacted_toml().unwrap().contains("fr0m-a-file"));
        jail.set_env("DUBAN_SERVER__METRICS_TOKEN_FILE", "missing");
        let err = format!("{:#}", Config::load(&Flags::default()).unwrap_err());
        assert!(err.contains("server.metrics_token_file"), "{err}");
    });
}

#[test]
fn sheet_bounds_come_from_the_sheets_section() {
    jailed(|jail| {
        let c = Config::load(&Flags::default()).unwrap();
        let d = duban_docs::Limits::default();
        let got = c.web().sheets;
        assert_eq!(
            (got.max_rows, got.max_columns, got.max_cells),
            (d.max_rows, d.max_columns, d.max_cells),
            "the defaults are the readers' own"
        );
        assert_eq!(got.max_unpacked_bytes, d.max_unpacked_bytes);
        assert_eq!(got.max_time, d.max_time);
        jail.set_env("DUBAN_SHEETS__MAX_ROWS", "500");
        jail.set_env("DUBAN_SHEETS__MAX_UNPACKED_MIB", "8");
        let got = Config::load(&Flags::default()).unwrap().web().sheets;
        assert_eq!(got.max_rows, 500);
        assert_eq!(got.max_unpacked_bytes, 8 * 1024 * 1024);
    });
}
