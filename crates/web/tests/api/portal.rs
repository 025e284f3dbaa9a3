//! The public portal and its intake, black-box: a citizen reports on the portal (with a
//! photo) and follows the report by its tracking number; the office accepts it into the
//! closed loop (a case with source `public`) and the public status follows the case; a
//! rejection shows its reason; rate limits answer 429 across the form and Open311; markup is
//! stripped; and no public page or file shows a demo person's name or mobile, or a
//! reporter's contact data. Open311 itself: `open311.rs`.

use crate::attachments::{multipart, png};
use crate::helpers::{Client, TestApp, backends};
use duban_web::{PublicConfig, WebConfig};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub(crate) const OFFICE: &str = "dkb2";

/// Files a report on the portal form (multipart, with the CSRF token of this browser) and
/// returns the response.
async fn file_on_portal(
    c: &Client,
    fields: &[(&str, &str)],
    photo: Option<&[u8]>,
) -> reqwest::Response {
    let page = c.get("/public/report").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(
        header(&page, "cache-control"),
        "no-store",
        "the form carries a token"
    );
    let csrf = c.csrf().await;
    let mut all = vec![("_csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let files: Vec<(&str, &[u8])> = photo.map(|p| ("现场.png", p)).into_iter().collect();
    let (ct, body) = multipart(&all, &files);
    c.http
        .post(c.url("/public/report"))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .expect("request")
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// The tracking number from a `303 /public/requests/{n}?filed=1`.
fn tracking_from(res: &reqwest::Response) -> String {
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let loc = header(res, "location");
    let n = loc
        .strip_prefix("/public/requests/")
        .and_then(|r| r.strip_suffix("?filed=1"))
        .unwrap_or_else(|| panic!("unexpected location {loc}"));
    n.to_string()
}

/// Files a request through Open311 with the standard form fields.
pub(crate) async fn file_open311(c: &Client, fields: &[(&str, &str)]) -> (StatusCode, Value) {
    let res = c
        .http
        .post(c.url("/open311/v2/requests.json"))
        .form(fields)
        .send()
        .await
        .expect("request");
    let status = res.status();
    (status, res.json().await.expect("json body"))
}

pub(crate) async fn get_json(c: &Client, path: &str) -> (StatusCode, Value) {
    let res = c.get(path).await;
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn intake_item(office: &Client, tracking: &str, state: &str) -> Value {
    let (s, list) = office
        .api(Method::GET, &format!("/api/v1/intake?state={state}"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    list.as_array()
        .expect("array")
        .iter()
        .find(|i| i["tracking"] == tracking)
        .cloned()
        .unwrap_or_else(|| panic!("{tracking} not in the {state} queue: {list}"))
}

#[tokio::test]
async fn a_portal_report_becomes_a_public_case_and_its_public_status_follows_the_case() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let citizen = app.client();
        let photo = png(64, 48);
        let res = file_on_portal(
            &citizen,
            &[
                ("category", "roads"),
                (
                    "description",
                    "人民路<script>alert(1)</script>路灯 <b>不亮</b>",
                ),
                ("address", "人民路 88 号"),
                ("lat", "28.970"),
                ("long", "118.870"),
                ("email", "citizen@example.cn"),
                ("phone", "13700001111"),
            ],
            Some(&photo),
        )
        .await;
        let tracking = tracking_from(&res);
        assert!(
            tracking.starts_with("YK-2026-") || tracking.starts_with("YK-20"),
            "{tracking}"
        );
        assert_eq!(tracking.len(), 24);

        // The citizen follows it: 已受理, markup gone, contact data not shown.
        let page = citizen
            .get(&format!("/public/requests/{tracking}?filed=1"))
            .await;
        assert_eq!(page.status(), StatusCode::OK);
        assert_eq!(header(&page, "cache-control"), "public, max-age=60");
        let fresh = app
            .client()
            .get(&format!("/public/requests/{tracking}"))
            .await;
        assert!(
            fresh.headers().get("set-cookie").is_none(),
            "{backend}: a cacheable page sets no cookie"
        );
        let html = page.text().await.unwrap();
        assert!(html.contains("已受理"), "{backend}");
        assert!(html.contains("人民路路灯 不亮"), "{backend}: stripped text");
        assert!(!html.contains("<script>alert"), "{backend}");
        assert!(!html.contains("13700001111") && !html.contains("citizen@example.cn"));
        // Typed in lower case, it is found too.
        let lower = citizen
            .get(&format!("/public/track?n={}", tracking.to_lowercase()))
            .await;
        assert_eq!(
            header(&lower, "location"),
            format!("/public/requests/{tracking}")
        );

        // Not published before the office decides (the demo's accepted reports are).
        let (_, data) = get_json(&citizen, "/public/data/requests.json").await;
        assert!(!data.to_string().contains(&tracking), "{backend}: {data}");

        // The office sees it in the queue, with contact data and photo.
        let office = app.signed_in(OFFICE).await;
        let item = intake_item(&office, &tracking, "new").await;
        assert_eq!(item["contact_phone"], "13700001111");
        assert_eq!(item["channel"], "portal");
        assert_eq!(item["description"], "人民路路灯 不亮");
        let id = item["id"].as_i64().unwrap();
        let photo_res = office.get(&format!("/intake/{id}/photo")).await;
        assert_eq!(photo_res.status(), StatusCode::OK);
        assert_eq!(photo_res.bytes().await.unwrap().as_ref(), photo.as_slice());
        // Nobody else may: a unit head is refused, the public asked to sign in.
        let head = app.signed_in("jxj-head").await;
        assert_eq!(
            head.get(&format!("/intake/{id}/photo")).await.status(),
            StatusCode::FORBIDDEN
        );
        let (s, _) = head.api(Method::GET, "/api/v1/intake", None).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let anon = citizen.get(&format!("/intake/{id}")).await;
        assert!(header(&anon, "location").starts_with("/login"), "{backend}");

        // Accepting registers a case of the closed loop with source public.
        let (s, v) = office
            .api(
                Method::POST,
                &format!("/api/v1/intake/{id}/accept"),
                Some(json!({"urgency": "urgent"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{backend}: {v}");
        let case = v["case_id"].as_i64().unwrap();
        let (s, c) = office
            .api(Method::GET, &format!("/api/v1/cases/{case}"), None)
            .await;
        assert_eq!(s, StatusCode::OK, "{c}");
        let text = c.to_string();
        assert!(text.contains("\"public\""), "{backend}: source public: {c}");
        assert!(text.contains("registered"), "{backend}: {c}");
        assert!(
            text.contains(&tracking),
            "{backend}: the case names the report"
        );
        assert!(
            !text.contains("13700001111"),
            "{backend}: contact stays on the intake desk"
        );
        // Its photo is on the case's registration.
        let case_page = office
            .get(&format!("/cases/{case}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            case_page.contains("/attachments/"),
            "{backend}: the photo is on the case"
        );
        // Deciding twice is refused.
        let (s, _) = office
            .api(
                Method::POST,
                &format!("/api/v1/intake/{id}/reject"),
                Some(json!({"reason": "x"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

        // Now it is published, still 已受理 while the case waits for 交办.
        let (_, data) = get_json(&citizen, "/public/data/requests.json").await;
        assert_eq!(data[0]["tracking"], tracking.as_str(), "{backend}: {data}");
        assert_eq!(data[0]["status"], "received");
        assert!(data[0].get("contact_phone").is_none());

        // 交办: the public sees 处理中, Open311 "open".
        let unit = app.unit_id("jxj").await;
        let (s, v) = office
            .api(
                Method::POST,
                &format!("/api/v1/cases/{case}/steps"),
                Some(json!({"step": "assign", "lead_unit_id": unit, "deadline": "15d"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let html = citizen
            .get(&format!("/public/requests/{tracking}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("处理中"), "{backend}");
        let (_, one) = get_json(&citizen, &format!("/open311/v2/requests/{tracking}.json")).await;
        assert_eq!(one[0]["status"], "open");

        // A public reply shows on the page, the feed and the data.
        let (s, _) = office
            .api(
                Method::PUT,
                &format!("/api/v1/intake/{id}/reply"),
                Some(json!({"public_reply": "已交经信局办理 & 跟进"})),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let feed = citizen.get("/public/feed.atom").await;
        assert_eq!(
            header(&feed, "content-type"),
            "application/atom+xml; charset=utf-8"
        );
        let xml = feed.text().await.unwrap();
        assert!(xml.starts_with("<?xml"), "{xml}");
        assert!(xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
        assert!(xml.contains(&format!("urn:duban:public-request:{tracking}")));
        assert!(xml.contains("处理中"));
        assert!(
            xml.contains("<id>urn:duban:public-feed</id>"),
            "an absolute IRI: {xml}"
        );
        let summary = xml
            .split("<summary type=\"text\">")
            .nth(1)
            .and_then(|s| s.split("</summary>").next())
            .expect("an entry's summary");
        assert!(
            summary.contains("已交经信局办理 &#38; 跟进"),
            "{backend}: escaped: {summary}"
        );
        assert!(
            !summary.contains('<') && !summary.contains("& "),
            "{backend}: {summary}"
        );
        let csv = citizen
            .get("/public/data/requests.csv")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            csv.contains(&tracking) && csv.contains("in_progress"),
            "{csv}"
        );

        // 销号: 已办结, Open311 "closed".
        let mut tx = app.store.begin_write().await.unwrap();
        duban_store::sql("UPDATE cases SET state = 'closed_out' WHERE id = $1")
            .bind(case)
            .execute(&mut tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let html = citizen
            .get(&format!("/public/requests/{tracking}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("已办结"), "{backend}");
        let (_, one) = get_json(&citizen, &format!("/open311/v2/requests/{tracking}.json")).await;
        assert_eq!(one[0]["status"], "closed");
        // And in English.
        citizen.get("/lang/en?next=/public").await;
        let html = citizen
            .get(&format!("/public/requests/{tracking}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("Resolved"), "{backend}");
    }
}

#[tokio::test]
async fn a_rejected_report_shows_its_reason_and_is_never_published() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let citizen = app.client();
        let (s, v) = file_open311(
            &citizen,
            &[
                ("service_code", "environment"),
                ("address_string", "江滨公园"),
                ("description", "广告：低价代办证件 请加微信"),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let tracking = v[0]["service_request_id"].as_str().unwrap().to_string();
        let office = app.signed_in(OFFICE).await;
        let item = intake_item(&office, &tracking, "new").await;
        assert_eq!(item["channel"], "open311");
        let id = item["id"].as_i64().unwrap();
        // A reason is required.
        let res = office
            .post_form(&format!("/intake/{id}/reject"), &[("reason", " ")])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let res = office
            .post_form(
                &format!("/intake/{id}/reject"),
                &[("reason", "与政务事项无关的广告信息")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        intake_item(&office, &tracking, "rejected").await;

        let html = citizen
            .get(&format!("/public/requests/{tracking}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("不予受理") && html.contains("与政务事项无关的广告信息"),
            "{backend}"
        );
        let (_, one) = get_json(&citizen, &format!("/open311/v2/requests/{tracking}.json")).await;
        assert_eq!(one[0]["status"], "closed");
        assert_eq!(one[0]["status_notes"], "与政务事项无关的广告信息");
        let (_, list) = get_json(&citizen, "/open311/v2/requests.json").await;
        assert!(
            !list.to_string().contains(&tracking),
            "{backend}: rejected requests are not listed: {list}"
        );
        let (_, data) = get_json(&citizen, "/public/data/requests.json").await;
        assert!(!data.to_string().contains(&tracking), "{backend}: {data}");
        // Accepting it afterwards is refused.
        let (s, _) = office
            .api(
                Method::POST,
                &format!("/api/v1/intake/{id}/accept"),
                Some(json!({})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn submissions_over_the_limit_get_429_across_the_form_and_open311() {
    for backend in backends() {
        let config = WebConfig {
            public: PublicConfig {
                per_address_per_minute: 2,
                global_per_minute: 100,
                ..PublicConfig::default()
            },
            ..WebConfig::default()
        };
        let app = TestApp::spawn_with(backend, config).await;
        let c = app.client();
        let fields = [
            ("service_code", "roads"),
            ("address_string", "x"),
            ("description", "坑"),
        ];
        assert_eq!(file_open311(&c, &fields).await.0, StatusCode::CREATED);
        let res = file_on_portal(
            &c,
            &[
                ("category", "roads"),
                ("address", "x"),
                ("description", "坑"),
            ],
            None,
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{backend}");
        let (s, err) = file_open311(&c, &fields).await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{backend}");
        assert_eq!(err[0]["code"], 429);
        let res = file_on_portal(
            &c,
            &[
                ("category", "roads"),
                ("address", "x"),
                ("description", "坑"),
            ],
            None,
        )
        .await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "{backend}");
        // Only two landed (besides the demo's reports, filed days ago).
        let office = app.signed_in(OFFICE).await;
        let (_, list) = office.api(Method::GET, "/api/v1/intake", None).await;
        let mine = list
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["description"] == "坑")
            .count();
        assert_eq!(mine, 2, "{backend}: {list}");
        // The count is in the database: a second server on it refuses too.
        let other = app
            .second_server(WebConfig {
                public: PublicConfig {
                    per_address_per_minute: 2,
                    global_per_minute: 100,
                    ..PublicConfig::default()
                },
                ..WebConfig::default()
            })
            .await;
        let (s, _) = file_open311(&other, &fields).await;
        assert_eq!(
            s,
            StatusCode::TOO_MANY_REQUESTS,
            "{backend}: across processes"
        );
    }
}

#[tokio::test]
async fn the_portal_form_refuses_a_missing_token_and_bad_input_with_every_problem() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let c = app.client();
        let office = app.signed_in(OFFICE).await;
        let (_, queued) = office.api(Method::GET, "/api/v1/intake", None).await;
        let res = c
            .http
            .post(c.url("/public/report"))
            .form(&[
                ("category", "roads"),
                ("address", "x"),
                ("description", "坑"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "{backend}: no CSRF token"
        );
        let res = file_on_portal(
            &c,
            &[
                ("category", "weather"),
                ("description", ""),
                ("lat", "100"),
                ("long", "1"),
                ("email", "nope"),
            ],
            None,
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        for message in [
            "请从列表中选择",
            "必填",
            "经纬度须为数字",
            "这不是有效的电子邮箱地址",
        ] {
            assert!(html.contains(message), "{backend}: {message}");
        }
        // A PDF is not a photo.
        let pdf =
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
        let res = file_on_portal(
            &c,
            &[
                ("category", "roads"),
                ("address", "x"),
                ("description", "坑"),
            ],
            Some(pdf),
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{backend}");
        let (_, list) = office.api(Method::GET, "/api/v1/intake", None).await;
        assert_eq!(list, queued, "{backend}: nothing filed");
    }
}

/// Every public page and file, scanned for the demo's people (names and mobiles) and the
/// reporters' contact data. The office's own queue is scanned too, as a control: it must
/// show a reporter's phone, or the scan proves nothing.
#[tokio::test]
async fn no_public_page_or_file_shows_internal_people_or_reporters_contact_data() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let citizen = app.client();
        let mut trackings = Vec::new();
        for (i, phone) in ["13700002222", "13700003333"].iter().enumerate() {
            let email = format!("r{i}@example.cn");
            let (s, v) = file_open311(
                &citizen,
                &[
                    ("service_code", "roads"),
                    ("address_string", "解放路"),
                    ("description", "井盖松动"),
                    ("email", &email),
                    ("phone", phone),
                    ("first_name", "赵"),
                    ("last_name", "小七"),
                ],
            )
            .await;
            assert_eq!(s, StatusCode::CREATED);
            trackings.push(v[0]["service_request_id"].as_str().unwrap().to_string());
        }
        let office = app.signed_in(OFFICE).await;
        let first = intake_item(&office, &trackings[0], "new").await;
        let (s, v) = office
            .api(
                Method::POST,
                &format!("/api/v1/intake/{}/accept", first["id"]),
                Some(json!({})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let case = v["case_id"].as_i64().unwrap();
        let unit = app.unit_id("jxj").await;
        office
            .api(
                Method::POST,
                &format!("/api/v1/cases/{case}/steps"),
                Some(json!({"step": "assign", "lead_unit_id": unit, "deadline": "15d"})),
            )
            .await;
        office
            .api(
                Method::PUT,
                &format!("/api/v1/intake/{}/reply", first["id"]),
                Some(json!({"public_reply": "已交办"})),
            )
            .await;

        let mut pages = vec![
            "/public".to_string(),
            "/public/report".into(),
            "/public/data/requests.json".into(),
            "/public/data/requests.csv".into(),
            "/public/feed.atom".into(),
            "/open311/v2/discovery.json".into(),
            "/open311/v2/services.json".into(),
            "/open311/v2/services.xml".into(),
            "/open311/v2/services/roads.json".into(),
            "/open311/v2/requests.json".into(),
            "/public/data/commitments.json".into(),
            "/public/data/commitments.csv".into(),
            "/public/commitments".into(),
            "/public/search?q=井盖".into(),
            "/public/search?q=承诺".into(),
        ];
        {
            let mut tx = app.store.begin_read().await.expect("tx");
            let ids: Vec<(i64,)> = duban_store::sql(
                "SELECT id FROM commitments WHERE state NOT IN
                     ('drafted', 'under_review', 'returned', 'approved') ORDER BY id",
            )
            .fetch_all(&mut tx)
            .await
            .expect("ids");
            assert!(!ids.is_empty(), "the demo publishes commitments");
            for (id,) in ids {
                pages.push(format!("/public/commitments/{id}"));
                pages.push(format!("/public/commitments/{id}/evaluate"));
            }
            let projects: Vec<(i64,)> =
                duban_store::sql("SELECT id FROM livelihood_projects ORDER BY id")
                    .fetch_all(&mut tx)
                    .await
                    .expect("projects");
            assert!(!projects.is_empty(), "the demo has 民生实事");
            for (id,) in projects {
                pages.push(format!("/public/projects/{id}"));
            }
            // Replies their proposers agreed to publish: the lists (every page) and each one.
            let published: Vec<(i64,)> = duban_store::sql(
                "SELECT DISTINCT r.proposal_id FROM proposal_ratings r
                 JOIN proposals p ON p.id = r.proposal_id AND p.proposer_id = r.person_id
                 WHERE r.publish ORDER BY r.proposal_id",
            )
            .fetch_all(&mut tx)
            .await
            .expect("published replies");
            assert!(published.len() > 20, "the demo publishes replies");
            for page in 1..=published.len().div_ceil(100) {
                pages.push(format!("/api/v1/public/proposals?per_page=100&page={page}"));
            }
            for page in 1..=published.len().div_ceil(20) {
                pages.push(format!("/public/proposals?page={page}"));
            }
            // The portal's search finding many of them (a phrase of the demo's class-A reply,
            // and a two-character word).
            for q in ["%E7%9B%B8%E5%85%B3%E5%B7%A5%E7%A8%8B", "%E5%BB%BA%E8%AE%AE"] {
                pages.push(format!("/public/search?q={q}"));
                pages.push(format!("/api/v1/public/search?q={q}"));
            }
            // The JSON pages carry every published reply whole; a sample of item pages.
            for (id,) in published.into_iter().take(20) {
                pages.push(format!("/public/proposals/{id}"));
                pages.push(format!("/api/v1/public/proposals/{id}"));
            }
        }
        {
            let mut tx = app.store.begin_read().await.expect("tx");
            let demo: Vec<(String,)> = duban_store::sql(
                "SELECT tracking FROM public_requests WHERE contact_phone <> '' ORDER BY id",
            )
            .fetch_all(&mut tx)
            .await
            .expect("demo reports");
            assert!(demo.len() > 2, "the demo has reports with contacts");
            trackings.extend(demo.into_iter().map(|(t,)| t));
        }
        for t in &trackings {
            pages.push(format!("/public/requests/{t}"));
            pages.push(format!("/open311/v2/requests/{t}.json"));
            pages.push(format!("/open311/v2/requests.json?service_request_id={t}"));
        }
        let city = duban_core::demo::demo_city();
        // Committers and supervisors of published commitments are named there by design (a
        // public commitment is a leader's, in their name); their contact data is still secret.
        let public_figures: Vec<String> = {
            let mut tx = app.store.begin_read().await.expect("tx");
            duban_store::sql(
                "SELECT p.name FROM people p WHERE p.id IN (
                     SELECT committer_id FROM commitments WHERE state NOT IN
                         ('drafted', 'under_review', 'returned', 'approved')
                     UNION SELECT s.person_id FROM commitment_version_supervisors s
                         JOIN commitment_versions v ON v.id = s.version_id
                         WHERE v.state = 'signed')",
            )
            .fetch_all::<(String,)>(&mut tx)
            .await
            .expect("names")
            .into_iter()
            .map(|(n,)| n)
            .collect()
        };
        let mut secrets: Vec<String> = city
            .people
            .iter()
            .flat_map(|p| {
                let named = public_figures.contains(&p.name);
                [Some(p.mobile.clone()), (!named).then(|| p.name.clone())]
            })
            .flatten()
            .collect();
        {
            let mut tx = app.store.begin_read().await.expect("tx");
            let contacts: Vec<(String, String)> =
                duban_store::sql("SELECT contact_phone, contact_email FROM public_requests")
                    .fetch_all(&mut tx)
                    .await
                    .expect("contacts");
            secrets.extend(
                contacts
                    .into_iter()
                    .flat_map(|(p, e)| [p, e])
                    .filter(|s| !s.is_empty()),
            );
        }
        secrets.extend(
            [
                "13700002222",
                "13700003333",
                "r0@example.cn",
                "r1@example.cn",
                "小七",
            ]
            .map(String::from),
        );
        let mut leaks = Vec::new();
        for lang in ["zh-CN", "en"] {
            citizen.get(&format!("/lang/{lang}?next=/public")).await;
            for path in &pages {
                let res = citizen.get(path).await;
                assert_eq!(res.status(), StatusCode::OK, "{backend} {path}");
                let body = res.text().await.unwrap();
                for s in &secrets {
                    if body.contains(s.as_str()) {
                        leaks.push(format!("{path} [{lang}] shows {s}"));
                    }
                }
            }
        }
        assert!(leaks.is_empty(), "{backend}: {}", leaks.join("\n"));
        // The control: the same scan finds the reporter's phone on the office's own page.
        let desk = office
            .get(&format!("/intake/{}", first["id"]))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            desk.contains("13700002222"),
            "{backend}: the scan would see a leak"
        );
    }
}
