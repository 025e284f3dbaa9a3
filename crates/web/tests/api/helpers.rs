use duban_store::Store;
use duban_web::{AppState, WebConfig};
use reqwest::StatusCode;
use reqwest::cookie::CookieStore;
use std::sync::Arc;

pub const PASSWORD: &str = duban_core::demo::DEMO_PASSWORD;

/// A running duban with the demo city loaded.
pub struct TestApp {
    pub base: String,
    pub store: Store,
    _dir: tempfile::TempDir,
}

/// The backends to run a test on: SQLite always, PostgreSQL when configured.
pub fn backends() -> Vec<&'static str> {
    let mut v = vec!["sqlite"];
    if std::env::var("DUBAN_TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres")) {
        v.push("postgres");
    }
    v
}

impl TestApp {
    pub async fn spawn(backend: &str) -> TestApp {
        Self::spawn_with(backend, WebConfig::default()).await
    }

    pub async fn spawn_with(backend: &str, config: WebConfig) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = match backend {
            "postgres" => fresh_postgres_database().await,
            _ => format!("sqlite://{}/test.db?mode=rwc", dir.path().display()),
        };
        let store = Store::connect(&url, 5).await.expect("connect");
        store.migrate().await.expect("migrate");
        duban_web::demo::load_demo(&store)
            .await
            .expect("demo loads");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let state = AppState::new(store.clone(), config);
        tokio::spawn(duban_web::serve(listener, state, std::future::pending()));
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            store,
            _dir: dir,
        }
    }

    /// A browser-like client: cookies kept, redirects not followed.
    pub fn client(&self) -> Client {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Client {
            http,
            jar,
            base: self.base.clone(),
        }
    }

    /// A client signed in as a demo account.
    pub async fn signed_in(&self, username: &str) -> Client {
        let c = self.client();
        let res = c.login(username, PASSWORD).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in of {username}");
        c
    }

    pub async fn unit_id(&self, code: &str) -> i64 {
        let mut tx = self.store.begin_read().await.expect("tx");
        duban_store::org::find_unit_by_code(&mut tx, code)
            .await
            .expect("query")
            .expect("unit exists")
            .id
    }

    pub async fn person_id(&self, username: &str) -> i64 {
        let mut tx = self.store.begin_read().await.expect("tx");
        let u = duban_store::accounts::find_user_for_login(&mut tx, username)
            .await
            .expect("query")
            .expect("user exists");
        u.person_id.expect("demo users are people")
    }

    pub async fn ledger_len(&self) -> i64 {
        duban_store::ledger::verify(&self.store)
            .await
            .expect("ledger verifies")
            .entries
    }
}

async fn fresh_postgres_database() -> String {
    let admin_url = std::env::var("DUBAN_TEST_DATABASE_URL").expect("set");
    let name = format!("duban_test_{}", duban_web_test_suffix());
    let admin = Store::connect(&admin_url, 1)
        .await
        .expect("connect to postgres");
    let Store::Postgres(pool) = &admin else {
        panic!("DUBAN_TEST_DATABASE_URL must be postgres")
    };
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"
    )))
    .execute(pool)
    .await
    .expect("create test database");
    admin.close().await;
    let (prefix, _) = admin_url.rsplit_once('/').expect("url has a database");
    format!("{prefix}/{name}")
}

fn duban_web_test_suffix() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .subsec_nanos();
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::SeqCst)
    )
}

pub struct Client {
    pub http: reqwest::Client,
    jar: Arc<reqwest::cookie::Jar>,
    pub base: String,
}

impl Client {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// The CSRF cookie's value (fetching a page first if there is none yet).
    pub async fn csrf(&self) -> String {
        if let Some(v) = self.cookie("duban_csrf") {
            return v;
        }
        self.get("/login").await;
        self.cookie("duban_csrf")
            .expect("the server sets a CSRF cookie")
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        let url = self.base.parse().expect("url");
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .ok()?
            .split("; ")
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")).map(str::to_string))
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.expect("request")
    }

    /// Posts a form with the right CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let csrf = self.csrf().await;
        let mut form: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        self.http
            .post(self.url(path))
            .form(&form)
            .send()
            .await
            .expect("request")
    }

    pub async fn login(&self, login: &str, password: &str) -> reqwest::Response {
        self.post_form("/login", &[("login", login), ("password", password)])
            .await
    }
}
