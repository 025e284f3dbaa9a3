//! The organisation through pages and API: bad input is explained and writes nothing,
//! deactivating keeps history, the ledger records every write and detects tampering.

use crate::helpers::{TestApp, backends};
use duban_web::WebConfig;
use reqwest::StatusCode;

#[tokio::test]
async fn a_bad_unit_form_comes_back_with_every_problem_and_writes_nothing() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let c = app.signed_in("admin").await;
        let before = app.ledger_len().await;
        let res = c
            .post_form(
                "/admin/units",
                &[("code", "经信"), ("name", ""), ("kind", "ministry")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = res.text().await.unwrap();
        for msg in ["只能包含小写字母", "不能为空", "请从列表中选择"] {
            assert!(page.contains(msg), "missing `{msg}`");
        }
        assert!(page.contains("value=\"经信\""), "what was typed is kept");
        // A taken code is a field error too, not a crash.
        let res = c
            .post_form(
                "/admin/units",
                &[("code", "jxj"), ("name", "重复局"), ("kind", "department")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains("已被占用"));
        assert_eq!(app.ledger_len().await, before, "nothing was written");
    }
}

#[tokio::test]
async fn an_admin_creates_a_unit_and_deactivating_it_keeps_its_history() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let c = app.signed_in("admin").await;
        let res = c
            .post_form(
                "/admin/units",
                &[
                    ("code", "xfj"),
                    ("name", "永康市信访局"),
                    ("short_name", "信访局"),
                    ("kind", "department"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let id = app.unit_id("xfj").await;
        assert_eq!(
            c.post_form(
                &format!("/admin/units/{id}/sections"),
                &[("name", "办信科")]
            )
            .await
            .status(),
            StatusCode::SEE_OTHER
        );
        let page = c
            .get(&format!("/org/units/{id}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("永康市信访局") && page.contains("办信科"));
        assert_eq!(
            c.post_form(&format!("/admin/units/{id}/active"), &[("active", "0")])
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
        // Gone from everyday lists, still there with its history for the admin.
        assert!(!c.get("/org").await.text().await.unwrap().contains("信访局"));
        assert!(
            c.get("/org?inactive=1")
                .await
                .text()
                .await
                .unwrap()
                .contains("信访局")
        );
        let mut tx = app.store.begin_read().await.unwrap();
        let history = duban_store::ledger::list_recent(&mut tx, Some(("unit", id)), 10)
            .await
            .unwrap();
        let actions: Vec<_> = history.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["unit.deactivate", "unit.create"]);
        assert!(
            history[0].before_json.contains("\"active\":true")
                && history[0].after_json.contains("\"active\":false")
        );
    }
}

#[tokio::test]
async fn scope_limits_what_a_unit_head_sees_of_people() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let c = app.signed_in("jxj-head").await;
        let people: serde_json::Value = c
            .get("/api/v1/people?per_page=200")
            .await
            .json()
            .await
            .unwrap();
        let jxj = app.unit_id("jxj").await;
        let units: std::collections::BTreeSet<i64> = people
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["unit_id"].as_i64().unwrap())
            .collect();
        assert!(units.contains(&jxj));
        let me: serde_json::Value = c.get("/api/v1/me").await.json().await.unwrap();
        let scope: std::collections::BTreeSet<i64> = me["scope_unit_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect();
        assert!(
            units.is_subset(&scope),
            "people outside the scope leaked: {units:?} vs {scope:?}"
        );
        let town = app.unit_id("town-dongcheng").await;
        let res = c.get(&format!("/api/v1/people?unit={town}")).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let page = c.get("/org/people?q=东城").await.text().await.unwrap();
        assert!(
            !page.contains("东城街道"),
            "search must not reach outside the scope"
        );
    }
}

#[tokio::test]
async fn malformed_json_is_a_400_naming_the_field_and_writes_nothing() {
    let app = TestApp::spawn("sqlite").await;
    let c = app.signed_in("admin").await;
    let before = app.ledger_len().await;
    let csrf = c.csrf().await;
    let post = |body: &'static str| {
        c.http
            .post(c.url("/api/v1/units"))
            .header("content-type", "application/json")
            .header("x-csrf-token", csrf.clone())
            .body(body)
            .send()
    };
    let res = post(r#"{"code": "abc", "name": 5, "kind": "department"}"#)
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let problem: serde_json::Value = res.json().await.unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains("`name`"),
        "{problem}"
    );
    let res = post(r#"{"code": "abc", "#).await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = post(r#"{"code": "Bad Code", "name": "某局", "kind": "department"}"#)
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: serde_json::Value = res.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "code");
    assert_eq!(app.ledger_len().await, before);
    let res = post(r#"{"code": "xfj", "name": "信访局", "kind": "department"}"#)
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn oversized_bodies_get_413_and_unknown_paths_a_404_page() {
    let app = TestApp::spawn("sqlite").await;
    let c = app.signed_in("admin").await;
    let big = "x".repeat(2 * 1024 * 1024);
    let res = c.post_form("/admin/units", &[("name", big.as_str())]).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let res = c.get("/no/such/page").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("页面或记录不存在"));
    let res = c.get("/api/v1/nothing").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
}

#[tokio::test]
async fn health_metrics_and_openapi_answer() {
    let app = TestApp::spawn("sqlite").await;
    let c = app.client();
    let health: serde_json::Value = c.get("/healthz").await.json().await.unwrap();
    assert_eq!(health["database"], "ok");
    let doc: serde_json::Value = c.get("/api/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["paths"]["/api/v1/units/{id}"]["get"].is_object());
    let metrics = c.get("/metrics").await.text().await.unwrap();
    assert!(metrics.contains("duban_http_requests_total"), "{metrics}");
}

#[tokio::test]
async fn changing_one_byte_of_a_ledger_row_is_detected_and_named() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let n = app.ledger_len().await;
        assert!(n > 500, "seeding is in the ledger ({n} entries)");
        let mut tx = app.store.begin_write().await.unwrap();
        duban_store::sql("UPDATE ledger SET after_json = replace(after_json, '经济', '经洛') WHERE seq = (SELECT MIN(seq) FROM ledger WHERE after_json LIKE '%经济%')")
            .execute(&mut tx)
            .await
            .unwrap();
        let (seq,): (i64,) =
            duban_store::sql("SELECT MIN(seq) FROM ledger WHERE after_json LIKE '%经洛%'")
                .fetch_one(&mut tx)
                .await
                .unwrap();
        tx.commit().await.unwrap();
        let err = duban_store::ledger::verify(&app.store).await.unwrap_err();
        assert!(
            matches!(err, duban_store::ledger::VerifyError::Chain(ref e) if e.seq() == seq),
            "{err}"
        );
        let c = app.signed_in("dkb").await;
        let page = c.get("/ledger").await.text().await.unwrap();
        assert!(
            page.contains("校验失败") && page.contains(&format!("entry {seq}")),
            "the ledger page shows the break"
        );
    }
}

#[tokio::test]
async fn an_admin_manages_task_force_members_and_inline_mistakes_are_explained() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let c = app.signed_in("admin").await;
        let tf = app.unit_id("tf-tourism").await;
        let res = c
            .post_form(
                &format!("/admin/units/{tf}/members"),
                &[("login", "jxj-staff1")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let person = app.person_id("jxj-staff1").await;
        let page = c
            .get(&format!("/org/units/{tf}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(&format!("/org/people/{person}\"")),
            "the new member is listed"
        );
        // The member now sees the task force.
        let member = app.signed_in("jxj-staff1").await;
        assert_eq!(
            member.get(&format!("/org/units/{tf}")).await.status(),
            StatusCode::OK
        );

        // Mistakes in the small forms come back to the unit page, named.
        let res = c
            .post_form(
                &format!("/admin/units/{tf}/members"),
                &[("login", "nobody-here")],
            )
            .await;
        let back = res.headers()["location"].to_str().unwrap().to_string();
        let page = c.get(&back).await.text().await.unwrap();
        assert!(
            page.contains("找不到这个用户名或手机号对应的在职人员"),
            "{back}"
        );
        let jxj = app.unit_id("jxj").await;
        let res = c
            .post_form(
                &format!("/admin/units/{jxj}/members"),
                &[("login", "fgj-liaison")],
            )
            .await;
        let page = c
            .get(res.headers()["location"].to_str().unwrap())
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("该单位不是专班或指挥部"));
        let res = c
            .post_form(&format!("/admin/units/{jxj}/sections"), &[("name", "")])
            .await;
        let page = c
            .get(res.headers()["location"].to_str().unwrap())
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("不能为空"));
        // A crafted err= that names nothing known shows nothing.
        let page = c
            .get(&format!("/org/units/{jxj}?err=name.%3Cscript%3E"))
            .await
            .text()
            .await
            .unwrap();
        assert!(!page.contains("<script>") && !page.contains("role=\"alert\""));

        // Removing ends the membership; the task force is out of scope again, history stays.
        let res = c
            .post_form(&format!("/admin/units/{tf}/members/{person}/end"), &[])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            member.get(&format!("/org/units/{tf}")).await.status(),
            StatusCode::FORBIDDEN
        );
        // Added and removed the same day: the membership never held, so its row goes; the
        // ledger keeps both events.
        let mut tx = app.store.begin_read().await.unwrap();
        let (n,): (i64,) = duban_store::sql(
            "SELECT COUNT(*) FROM ledger WHERE action IN ('membership.create', 'membership.end') AND after_json LIKE $1",
        )
        .bind(format!("%\"person_id\":{person},\"unit_id\":{tf},%"))
        .fetch_one(&mut tx)
        .await
        .unwrap();
        assert_eq!(n, 2, "both events are in the ledger");
    }
}

#[tokio::test]
async fn a_malformed_id_in_a_path_gets_an_error_page_not_plain_text() {
    let app = TestApp::spawn("sqlite").await;
    let c = app.signed_in("dkb").await;
    let res = c.get("/org/units/abc").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(res.text().await.unwrap().contains("请求格式有误"));
}

#[tokio::test]
async fn an_admin_keeps_the_working_day_calendar_on_a_page() {
    let app = TestApp::spawn("sqlite").await;
    let c = app.signed_in("admin").await;
    let page = c
        .get("/admin/calendar?year=2026")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("2026-02-14") && page.contains("春节补班"));
    // 2026: 261 weekdays − 19 holidays on weekdays (元旦 2, 春节 6, 清明 1, 劳动节 3, 端午 1,
    // 中秋 1, 国庆 5) + 6 make-up days.
    assert!(
        page.contains("<strong>248</strong>"),
        "working days in 2026"
    );
    let res = c
        .post_form(
            "/admin/calendar",
            &[("day", "2026-02-30"), ("kind", "holiday"), ("name", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("请输入日期"));
    let res = c
        .post_form(
            "/admin/calendar",
            &[("day", "2027-01-01"), ("kind", "holiday"), ("name", "元旦")],
        )
        .await;
    assert_eq!(
        res.headers()["location"],
        "/admin/calendar?year=2027&ok=saved"
    );
    let page = c
        .get("/admin/calendar?year=2027")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("2027-01-01") && page.contains("元旦"));
    let res = c.post_form("/admin/calendar/2027-01-01/clear", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        c.get("/admin/calendar?year=2027")
            .await
            .text()
            .await
            .unwrap()
            .contains("本年尚未录入节假日安排")
    );
}

#[tokio::test]
async fn metrics_are_for_this_machine_or_the_holder_of_the_metrics_token() {
    // No token configured: loopback clients only. Through a trusted proxy the client is the
    // forwarded address, so a visitor from elsewhere finds nothing there.
    let app = TestApp::spawn_with(
        "sqlite",
        WebConfig {
            trust_proxy_headers: true,
            ..Default::default()
        },
    )
    .await;
    let http = reqwest::Client::new();
    let url = format!("{}/metrics", app.base);
    let res = http.get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "loopback needs no token");
    assert!(res.text().await.unwrap().ends_with("# EOF\n"));
    for forwarded in ["203.0.113.7", "10.1.2.3, 127.0.0.1", "not-an-address"] {
        let res = http
            .get(&url)
            .header("x-forwarded-for", forwarded)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{forwarded}");
    }
    let res = http
        .get(&url)
        .header("x-forwarded-for", "::1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // A token configured: everyone, this machine too, must send it.
    let app = TestApp::spawn_with(
        "sqlite",
        WebConfig {
            metrics_token: Some(duban_web::MetricsToken::new("s3cret-metrics")),
            ..Default::default()
        },
    )
    .await;
    let url = format!("{}/metrics", app.base);
    let res = http.get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    let res = http.get(&url).bearer_auth("wrong").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = http
        .get(&url)
        .bearer_auth("s3cret-metrics")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.text().await.unwrap().contains("duban_http_requests"),
        "counted by now"
    );
}
