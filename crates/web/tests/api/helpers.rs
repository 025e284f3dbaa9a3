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
    /// The server's data directory (attachments' `blobs/` and `thumbs/` in directory mode, or
    /// older files in database mode), a fresh temp dir.
    pub data_dir: std::path::PathBuf,
    _db: duban_store::testing::TestDb,
    _data: tempfile::TempDir,
}

pub use duban_store::testing::backends;

/// Serves `state` on a free loopback port; the base URL.
async fn serve_on_free_port(state: AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(duban_web::serve(listener, state, std::future::pending()));
    format!("http://127.0.0.1:{port}")
}

/// A browser-like client of `base`: cookies kept, redirects not followed.
fn browser(base: String) -> Client {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let http = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    Client { http, jar, base }
}

/// The tests' "today": the demo's day (`DEMO_TODAY`), never the real date. Every server a
/// test starts has its clock pinned to [`now`], so what a test expects does not depend on
/// the day it runs.
pub fn today() -> jiff::civil::Date {
    duban_core::demo::DEMO_TODAY
}

/// The instant the test servers' clocks start at: 10:00 on [`today`] in Asia/Shanghai.
pub fn now() -> jiff::Timestamp {
    duban_core::demo::demo_now(&WebConfig::default().timezone)
}

/// `day` at `hour` o'clock in Asia/Shanghai (for [`TestApp::server_at`]).
pub fn at(day: jiff::civil::Date, hour: i8) -> jiff::Timestamp {
    day.at(hour, 0, 0, 0)
        .to_zoned(WebConfig::default().timezone)
        .expect("instant")
        .timestamp()
}

/// A configuration with the clock pinned at [`now`] (the base of every test server's).
pub fn pinned(config: WebConfig) -> WebConfig {
    WebConfig {
        pinned_clock: config.pinned_clock.or(Some(now())),
        ..config
    }
}

impl TestApp {
    pub async fn spawn(backend: &str) -> TestApp {
        Self::spawn_with(backend, WebConfig::default()).await
    }

    /// The demo city with empty lists (for importing into).
    pub async fn spawn_without_tasks(backend: &str) -> TestApp {
        Self::spawn_inner(backend, WebConfig::default(), Some(0)).await
    }

    pub async fn spawn_with(backend: &str, config: WebConfig) -> TestApp {
        Self::spawn_inner(backend, config, None).await
    }

    async fn spawn_inner(backend: &str, config: WebConfig, tasks: Option<usize>) -> TestApp {
        // The demo is loaded once per backend in this process and copied for each test (it
        // is deterministic: its clock is the demo's, not the day the tests run).
        let db = duban_store::testing::TestDb::from_template(
            backend,
            &format!("demo-{tasks:?}"),
            |store| async move {
                duban_web::demo::load_demo_with(&store, tasks)
                    .await
                    .expect("demo loads");
            },
        )
        .await
        .expect("fresh database");
        let store = db.store.clone();
        let data = tempfile::tempdir().expect("data dir");
        let config = WebConfig {
            attachment_dir: data.path().to_path_buf(),
            ..pinned(config)
        };
        let base = serve_on_free_port(AppState::new(store.clone(), config)).await;
        TestApp {
            base,
            store,
            data_dir: data.path().to_path_buf(),
            _db: db,
            _data: data,
        }
    }

    /// A browser-like client: cookies kept, redirects not followed.
    pub fn client(&self) -> Client {
        browser(self.base.clone())
    }

    /// A client signed in as a demo account.
    pub async fn signed_in(&self, username: &str) -> Client {
        let c = self.client();
        let res = c.login(username, PASSWORD).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in of {username}");
        c
    }

    /// The first top-level task of a unit's demo list.
    pub async fn first_task_of(&self, code: &str) -> i64 {
        let unit = self.unit_id(code).await;
        let mut tx = self.store.begin_read().await.expect("tx");
        let (rows, _) = duban_store::lists::browse::list_tasks(
            &mut tx,
            &duban_store::lists::browse::TaskFilter {
                lead_unit: Some(duban_core::org::UnitId(unit)),
                top_level: true,
                limit: 1,
                ..Default::default()
            },
        )
        .await
        .expect("query");
        rows.first().expect("the unit has a task").id
    }

    /// The first demo case a unit leads.
    pub async fn first_case_of(&self, code: &str) -> i64 {
        let unit = self.unit_id(code).await;
        let mut tx = self.store.begin_read().await.expect("tx");
        let (id,): (i64,) = duban_store::sql("SELECT MIN(id) FROM cases WHERE lead_unit_id = $1")
            .bind(unit)
            .fetch_one(&mut tx)
            .await
            .expect("the unit leads a demo case");
        id
    }

    /// The codes of a task's units and the user names of the people it names.
    pub async fn task_units_and_people(&self, id: i64) -> (Vec<String>, Vec<String>) {
        let mut tx = self.store.begin_read().await.expect("tx");
        let t = duban_store::lists::get_task(&mut tx, duban_core::lists::TaskId(id))
            .await
            .expect("task");
        let mut units = Vec::new();
        for u in std::iter::once(t.fields.lead_unit_id).chain(t.fields.co_unit_ids.iter().copied())
        {
            units.push(
                duban_store::org::get_unit(&mut tx, u)
                    .await
                    .expect("unit")
                    .code,
            );
        }
        let mut people = Vec::new();
        for p in [t.fields.lead_leader_id, t.fields.person_id]
            .into_iter()
            .flatten()
        {
            if let Some(name) = duban_store::people::get_person(&mut tx, p)
                .await
                .expect("person")
                .username
            {
                people.push(name);
            }
        }
        (units, people)
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

    /// A second server on the same database with its own pool, as a second process would
    /// be; a browser-like client of it.
    pub async fn second_server(&self, config: WebConfig) -> Client {
        let store = Store::connect(self.db_url(), 2).await.expect("second pool");
        let config = WebConfig {
            attachment_dir: self.data_dir.clone(),
            ..pinned(config)
        };
        browser(serve_on_free_port(AppState::new(store, config)).await)
    }

    /// A second node, as on another machine: the same database through a pool of its own,
    /// and a data directory of its own — nothing else shared, unless `shared_dir` names the
    /// attachment directory both mount (directory mode on a shared filesystem).
    pub async fn second_node(
        &self,
        config: WebConfig,
        shared_dir: Option<&std::path::Path>,
    ) -> Node {
        let store = Store::connect(self.db_url(), 2).await.expect("second pool");
        let data = tempfile::tempdir().expect("the node's own data dir");
        let config = WebConfig {
            attachment_dir: shared_dir.unwrap_or(data.path()).to_path_buf(),
            ..pinned(config)
        };
        let client = browser(serve_on_free_port(AppState::new(store.clone(), config)).await);
        Node {
            client,
            store,
            data_dir: data.path().to_path_buf(),
            _data: data,
        }
    }

    /// The database URL (to open a second pool on it, as a second process would).
    pub fn db_url(&self) -> &str {
        &self._db.url
    }

    /// The application over this database with its clock stopped at `now` (jobs, services).
    pub fn state_at(&self, now: jiff::Timestamp) -> AppState {
        AppState::new(self.store.clone(), WebConfig::default()).at(now)
    }

    /// The one number a query answers (`SELECT COUNT(*) …`), with no parameters.
    pub async fn count(&self, sql: &'static str) -> i64 {
        let mut tx = self.store.begin_read().await.expect("tx");
        let (n,): (i64,) = duban_store::sql(sql)
            .fetch_one(&mut tx)
            .await
            .expect("count");
        n
    }

    pub async fn ledger_len(&self) -> i64 {
        duban_store::ledger::verify(&self.store)
            .await
            .expect("ledger verifies")
            .entries
    }
}

/// A second node of [`TestApp::second_node`]: a client of it, its own pool on the shared
/// database and its own data directory.
pub struct Node {
    pub client: Client,
    pub store: Store,
    pub data_dir: std::path::PathBuf,
    _data: tempfile::TempDir,
}

impl Node {
    /// A client of this node signed in as a demo account.
    pub async fn signed_in(&self, username: &str) -> Client {
        let c = self.client.fresh();
        let res = c.login(username, PASSWORD).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in of {username}");
        c
    }
}

pub struct Client {
    pub http: reqwest::Client,
    jar: Arc<reqwest::cookie::Jar>,
    pub base: String,
}

impl Client {
    /// A new browser (empty cookie jar) on the same server.
    pub fn fresh(&self) -> Client {
        browser(self.base.clone())
    }

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

    /// A JSON API call with the session's CSRF token; the status and the JSON body (`Null`
    /// when empty).
    pub async fn api(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (StatusCode, serde_json::Value) {
        let csrf = self.csrf().await;
        let mut req = self
            .http
            .request(method, self.url(path))
            .header("x-csrf-token", csrf);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let text = res.text().await.expect("body");
        let json = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
        (status, json)
    }

    /// Posts raw bytes (a file) to an API route.
    pub async fn api_bytes(&self, path: &str, bytes: Vec<u8>) -> (StatusCode, serde_json::Value) {
        let csrf = self.csrf().await;
        let res = self
            .http
            .post(self.url(path))
            .header("x-csrf-token", csrf)
            .header(
                "content-type",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            .body(bytes)
            .send()
            .await
            .expect("request");
        let status = res.status();
        let json = serde_json::from_str(&res.text().await.expect("body"))
            .unwrap_or(serde_json::Value::Null);
        (status, json)
    }

    pub async fn login(&self, login: &str, password: &str) -> reqwest::Response {
        self.post_form("/login", &[("login", login), ("password", password)])
            .await
    }
}

impl TestApp {
    /// Another server on this database with its clock stopped at `now`, so its pages and API
    /// work on that day whatever the wall clock says; returns its base URL.
    pub async fn server_at(&self, now: jiff::Timestamp) -> String {
        let config = WebConfig {
            attachment_dir: self.data_dir.clone(),
            ..WebConfig::default()
        };
        serve_on_free_port(AppState::new(self.store.clone(), config).at(now)).await
    }

    /// A client of the server at `base` (see [`TestApp::server_at`]) signed in as a demo
    /// account.
    pub async fn signed_in_on(&self, base: &str, username: &str) -> Client {
        let mut c = self.client();
        c.base = base.to_string();
        let res = c.login(username, PASSWORD).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in of {username}");
        c
    }
}
