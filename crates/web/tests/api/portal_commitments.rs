//! The portal's commitments, black-box: the list by leader and unit with its filters, the
//! search over commitments, projects and published reports, a 民生实事 project's page, the
//! citizens' 评诺 (once per browser, refused outside evaluation, its weight capped at 30%) and
//! the Atom feed carrying signings, amendments and results.

use crate::commitments::demo_commitment_of;
use crate::helpers::{Client, TestApp, backends};
use crate::portal::{OFFICE, file_open311, intake_item};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn page(c: &Client, path: &str) -> String {
    let res = c.get(path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.expect("body")
}

/// The rows of `commitment_evaluations` of a commitment: (kind, score, has a voter key).
async fn evaluations(app: &TestApp, id: i64) -> Vec<(String, i64, bool)> {
    let mut tx = app.store.begin_read().await.expect("tx");
    duban_store::sql(
        "SELECT evaluator_kind, score, voter_key IS NOT NULL FROM commitment_evaluations
         WHERE commitment_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut tx)
    .await
    .expect("evaluations")
}

/// A server that takes the client's address from `X-Forwarded-For`, as behind a proxy.
fn behind_proxy() -> duban_web::WebConfig {
    duban_web::WebConfig {
        trust_proxy_headers: true,
        ..duban_web::WebConfig::default()
    }
}

/// A form post from the client address `addr` (through the proxy's header).
async fn post_from(
    c: &Client,
    path: &str,
    fields: &[(&str, &str)],
    addr: &str,
) -> reqwest::Response {
    let csrf = c.csrf().await;
    let mut form: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    c.http
        .post(c.url(path))
        .header("x-forwarded-for", addr)
        .form(&form)
        .send()
        .await
        .expect("request")
}

/// The public mean the portal shows for a commitment (`None` before any citizen's).
async fn public_mean(c: &Client, id: i64) -> Option<f64> {
    let res = c.get(&format!("/api/v1/public/commitments/{id}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let v: serde_json::Value = res.json().await.expect("json");
    v["evaluation"]["public_mean"].as_f64()
}

/// Ten browsers from one address are one voice: the public mean moves by one evaluation at
/// most. A burst past the year's threshold is flagged; the office sets one aside with a
/// reason (ledgered), it stops counting, and the portal shows how many were set aside.
#[tokio::test]
async fn one_voice_per_address_and_bursts_are_flagged_for_the_office_to_set_aside() {
    for backend in backends() {
        let config = duban_web::WebConfig {
            public: duban_web::PublicConfig {
                per_address_per_minute: 1000,
                evaluation_burst_per_hour: 3,
                ..duban_web::PublicConfig::default()
            },
            ..behind_proxy()
        };
        let app = TestApp::spawn_with(backend, config).await;
        let id = demo_commitment_of(&app, "fsz1").await;
        let form = format!("/public/commitments/{id}/evaluate");
        let reader = app.client();
        let start = public_mean(&reader, id).await;
        let rows = evaluations(&app, id).await.len();
        // Ten fresh browsers from one address, each scoring 0.
        for _ in 0..10 {
            let c = app.client();
            c.get(&form).await;
            let res = post_from(
                &c,
                &form,
                &[("verdict", "not_fulfilled"), ("score", "0")],
                "198.51.100.9",
            )
            .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{backend}");
        }
        assert_eq!(evaluations(&app, id).await.len(), rows + 1, "{backend}");
        let after = public_mean(&reader, id).await.expect("a public mean");
        // At most one evaluation's weight: one zero among the public's earlier ones.
        let n = evaluations(&app, id)
            .await
            .iter()
            .filter(|e| e.0 == "public")
            .count() as f64;
        let bound = start.map_or(100.0, |m| m / n + 0.05);
        assert!(
            start.map_or(0.0, |m| m) - after <= bound,
            "{backend}: {start:?} -> {after} (bound {bound})"
        );

        // Three more addresses: the evaluations past three within the hour are flagged.
        for addr in ["192.0.2.1", "192.0.2.2", "192.0.2.3"] {
            let c = app.client();
            c.get(&form).await;
            let res = post_from(
                &c,
                &form,
                &[("verdict", "fulfilled"), ("score", "100")],
                addr,
            )
            .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{backend}");
        }
        let flagged: Vec<(i64,)> = {
            let mut tx = app.store.begin_read().await.expect("tx");
            duban_store::sql(
                "SELECT id FROM commitment_evaluations WHERE commitment_id = $1 AND flagged
                 ORDER BY id",
            )
            .bind(id)
            .fetch_all(&mut tx)
            .await
            .expect("flagged")
        };
        assert!(!flagged.is_empty(), "{backend}: a burst is flagged");
        let before_aside = public_mean(&reader, id).await.expect("mean");

        // Only the office sets aside, with a reason; it is ledgered and stops counting.
        let deputy = app.signed_in("deputy1").await;
        let body = json!({"evaluation_id": flagged[0].0, "reason": "同一时段集中提交"});
        let path = format!("/api/v1/commitments/{id}/evaluations/set-aside");
        let (s, _) = deputy.api(Method::POST, &path, Some(body.clone())).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{backend}");
        let office = app.signed_in(OFFICE).await;
        let (s, p) = office
            .api(
                Method::POST,
                &path,
                Some(json!({"evaluation_id": flagged[0].0, "reason": " "})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{backend}: {p}");
        let ledger = app.ledger_len().await;
        let (s, p) = office.api(Method::POST, &path, Some(body.clone())).await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{backend}: {p}");
        assert_eq!(app.ledger_len().await, ledger + 1, "{backend}");
        // Twice is not possible: it is no longer waiting.
        let (s, _) = office.api(Method::POST, &path, Some(body)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{backend}");
        let after_aside = public_mean(&reader, id).await.expect("mean");
        assert!(
            after_aside < before_aside,
            "{backend}: a 100 set aside lowers the mean: {before_aside} -> {after_aside}"
        );
        let shown = page(&reader, &format!("/public/commitments/{id}")).await;
        assert!(shown.contains("经核查搁置（不计分） 1"), "{backend}");
    }
}

/// A commitment the public may not see (the demo's 统计局 draft waits for review).
async fn a_draft(app: &TestApp) -> i64 {
    let mut tx = app.store.begin_read().await.unwrap();
    let (d,): (i64,) = duban_store::sql(
        "SELECT MIN(id) FROM commitments WHERE state IN ('drafted', 'under_review')",
    )
    .fetch_one(&mut tx)
    .await
    .unwrap();
    d
}

#[tokio::test]
async fn the_portal_lists_commitments_by_leader_and_unit_and_searches_everything_public() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let citizen = app.client();

        // Leaders first, then units; the six vice-mayors' commitments are there.
        let all = page(&citizen, "/public/commitments").await;
        let (leaders, units) = all.split_once("id=\"units\"").expect("two sections");
        for n in 1..=6 {
            let id = demo_commitment_of(&app, &format!("fsz{n}")).await;
            assert!(
                leaders.contains(&format!("/public/commitments/{id}\"")),
                "{backend}: fsz{n}'s commitment {id} is under the leaders"
            );
        }
        let jxj = demo_commitment_of(&app, "jxj-head").await;
        assert!(units.contains(&format!("/public/commitments/{jxj}\"")));

        // By unit: only 经信局's; by leader: only the first vice-mayor's.
        let unit = app.unit_id("jxj").await;
        let by_unit = page(&citizen, &format!("/public/commitments?unit={unit}")).await;
        assert!(by_unit.contains(&format!("/public/commitments/{jxj}\"")));
        let fsz1 = demo_commitment_of(&app, "fsz1").await;
        assert!(!by_unit.contains(&format!("/public/commitments/{fsz1}\"")));
        let person = app.person_id("fsz1").await;
        let by_leader = page(&citizen, &format!("/public/commitments?committer={person}")).await;
        assert!(by_leader.contains(&format!("/public/commitments/{fsz1}\"")));
        assert!(!by_leader.contains(&format!("/public/commitments/{jxj}\"")));
        // The filter's choices name the committers and units of the year, whatever is chosen.
        assert!(by_leader.contains(&format!("<option value=\"{unit}\"")));
        // A stale or nonsense filter shows the list rather than an error.
        page(&citizen, "/public/commitments?unit=abc&year=x").await;

        // Search: words of the amended commitment's restated target find it (every word must
        // occur; Chinese needs no spaces), and an unknown word finds nothing.
        let found = page(&citizen, "/public/search?q=技改项目 顺延").await;
        let (commitments, rest) = found.split_once("id=\"found-projects\"").expect("sections");
        assert!(
            commitments.contains(&format!("/public/commitments/{jxj}\"")),
            "{backend}"
        );
        assert!(!commitments.contains(&format!("/public/commitments/{fsz1}\"")));
        assert!(!rest.contains("/public/projects/"));
        let projects = page(&citizen, "/public/search?q=托育").await;
        let project_link = projects
            .split("href=\"/public/projects/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("the 托育 project is found")
            .to_string();
        let none = page(&citizen, "/public/search?q=不存在的词语").await;
        assert!(!none.contains("class=\"task\""), "{backend}");
        // Too many words: said on the page, not a 500.
        let many = page(&citizen, "/public/search?q=a b c d e f g h i").await;
        assert!(many.contains("role=\"alert\""), "{backend}");

        // Reports: only published ones are found, by any word of their description.
        let (s, v) = file_open311(
            &citizen,
            &[
                ("service_code", "roads"),
                ("address_string", "胜利街"),
                ("description", "路灯不亮已一周"),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::CREATED);
        let tracking = v[0]["service_request_id"].as_str().unwrap().to_string();
        let before = page(&citizen, "/public/search?q=路灯").await;
        assert!(
            !before.contains(&tracking),
            "{backend}: not before moderation"
        );
        let office = app.signed_in(OFFICE).await;
        let item = intake_item(&office, &tracking, "new").await;
        let (s, _) = office
            .api(
                Method::POST,
                &format!("/api/v1/intake/{}/accept", item["id"]),
                Some(json!({})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let after = page(&citizen, "/public/search?q=路灯 胜利街").await;
        assert!(after.contains(&tracking), "{backend}: found once published");
        // A LIKE wildcard is a character, not a wildcard.
        let wild = page(&citizen, "/public/search?q=路%25一周").await;
        assert!(!wild.contains(&tracking), "{backend}");

        // The project's page: milestones, progress, votes; an unknown one is 404.
        let p = page(&citizen, &format!("/public/projects/{project_link}")).await;
        assert!(p.contains("托育"), "{backend}");
        assert_eq!(
            citizen.get("/public/projects/999999").await.status(),
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn a_citizen_evaluates_once_per_browser_and_the_public_weighs_thirty_percent() {
    for backend in backends() {
        // Behind a proxy: the client address comes from X-Forwarded-For.
        let app = TestApp::spawn_with(backend, behind_proxy()).await;
        // The demo's first vice-mayor's commitment is under evaluation.
        let id = demo_commitment_of(&app, "fsz1").await;
        let form = format!("/public/commitments/{id}/evaluate");
        let citizen = app.client();
        let res = citizen.get(&form).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers()["cache-control"],
            "no-store",
            "the form carries a token"
        );
        let before = evaluations(&app, id).await;
        let ledger = app.ledger_len().await;

        // No token: refused, nothing written.
        let res = citizen
            .http
            .post(citizen.url(&form))
            .form(&[("verdict", "fulfilled"), ("score", "90")])
            .send()
            .await
            .unwrap();
        assert!(res.status().is_client_error(), "{backend}");
        // Bad input: every problem named, nothing written.
        let res = citizen
            .post_form(&form, &[("verdict", "maybe"), ("score", "120")])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert_eq!(body.matches("class=\"field-error\"").count(), 2, "{body}");
        let long = "长".repeat(501);
        let res = citizen
            .post_form(
                &form,
                &[
                    ("verdict", "fulfilled"),
                    ("score", "90"),
                    ("comment", &long),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(evaluations(&app, id).await, before, "{backend}");
        assert_eq!(app.ledger_len().await, ledger, "{backend}");

        // A good one: recorded anonymously, with markup stripped.
        let res = citizen
            .post_form(
                &form,
                &[
                    ("verdict", "not_fulfilled"),
                    ("score", "20"),
                    ("comment", "<script>x</script>路还没修好"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{backend}");
        assert_eq!(
            res.headers()["location"],
            format!("/public/commitments/{id}?evaluated=1")
        );
        {
            let mut tx = app.store.begin_read().await.unwrap();
            let (comment, actor): (String, Option<i64>) = duban_store::sql(
                "SELECT e.comment, l.actor_id FROM commitment_evaluations e, ledger l
                 WHERE e.commitment_id = $1 AND e.voter_key IS NOT NULL
                   AND l.action = 'commitment.evaluate' AND l.object_id = $1
                 ORDER BY e.id, l.seq DESC LIMIT 1",
            )
            .bind(id)
            .fetch_one(&mut tx)
            .await
            .unwrap();
            assert_eq!(comment, "路还没修好", "{backend}: markup stripped");
            assert_eq!(actor, None, "{backend}: nobody's account");
        }
        // The same browser again replaces its evaluation; another browser elsewhere adds one.
        citizen
            .post_form(&form, &[("verdict", "not_fulfilled"), ("score", "30")])
            .await;
        let neighbour = app.client();
        neighbour.get(&form).await;
        let res = post_from(
            &neighbour,
            &form,
            &[("verdict", "partly_fulfilled"), ("score", "50")],
            "203.0.113.7",
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let after = evaluations(&app, id).await;
        let portal: Vec<_> = after.iter().filter(|e| e.2).collect();
        assert_eq!(after.len(), before.len() + 2, "{backend}: {after:?}");
        assert_eq!(
            portal
                .iter()
                .map(|e| (e.0.as_str(), e.1))
                .collect::<Vec<_>>(),
            [("public", 30), ("public", 50)]
        );
        let shown = page(&citizen, &format!("/public/commitments/{id}?evaluated=1")).await;
        assert!(shown.contains("role=\"status\""));

        // The office concludes: deputies' and members' mean 70%, the public's 30%.
        let mean = |kinds: &[&str]| {
            let s: Vec<f64> = after
                .iter()
                .filter(|e| kinds.contains(&e.0.as_str()))
                .map(|e| e.1 as f64)
                .collect();
            s.iter().sum::<f64>() / s.len() as f64
        };
        let want = mean(&["deputy", "member"]) * 0.7 + mean(&["public"]) * 0.3;
        let office = app.signed_in(OFFICE).await;
        let (s, b) = office
            .api(
                Method::POST,
                &format!("/api/v1/commitments/{id}/steps"),
                Some(json!({"step": "conclude"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{backend}: {b}");
        let (s, data) = {
            let res = citizen
                .get(&format!("/public/data/commitments/{id}.json"))
                .await;
            (res.status(), res.json::<serde_json::Value>().await.unwrap())
        };
        assert_eq!(s, StatusCode::OK);
        let got = data["result_score"].as_f64().expect("a result score");
        assert!((got - want).abs() < 1e-6, "{backend}: {got} vs {want}");

        // Evaluation is closed now: the form says so, a post is refused and writes nothing.
        let closed = page(&citizen, &form).await;
        assert!(!closed.contains("name=\"score\""), "{backend}");
        let n = evaluations(&app, id).await.len();
        let res = neighbour
            .post_form(&form, &[("verdict", "fulfilled"), ("score", "100")])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(evaluations(&app, id).await.len(), n);
        // A commitment the public cannot see is not found, not forbidden.
        let draft = a_draft(&app).await;
        let res = neighbour
            .post_form(
                &format!("/public/commitments/{draft}/evaluate"),
                &[("verdict", "fulfilled"), ("score", "100")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{backend}");
    }
}

#[tokio::test]
async fn the_feed_carries_commitments_signed_amended_and_judged() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let citizen = app.client();
        let fsz1 = demo_commitment_of(&app, "fsz1").await;
        let jxj = demo_commitment_of(&app, "jxj-head").await;
        let office = app.signed_in(OFFICE).await;
        let (s, _) = office
            .api(
                Method::POST,
                &format!("/api/v1/commitments/{fsz1}/steps"),
                Some(json!({"step": "conclude"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let res = citizen.get("/public/feed.atom").await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/atom+xml")
        );
        let feed = res.text().await.unwrap();
        let entries: Vec<&str> = feed.split("<entry>").skip(1).collect();
        assert!(!entries.is_empty() && entries.len() <= 50, "{backend}");
        assert_eq!(feed.matches("</entry>").count(), entries.len());
        let about = |id: i64| {
            entries
                .iter()
                .filter(move |e| e.contains(&format!("/public/commitments/{id}\"")))
                .copied()
                .collect::<Vec<_>>()
        };
        // The amendment, with its public reason; the original signing; the result.
        let jxj_entries = about(jxj);
        assert!(
            jxj_entries
                .iter()
                .any(|e| e.contains("承诺变更") && e.contains("原材料价格上涨")),
            "{backend}: {jxj_entries:?}"
        );
        assert!(jxj_entries.iter().any(|e| e.contains("<title>亮诺")));
        let fsz1_entries = about(fsz1);
        assert!(
            fsz1_entries.first().is_some_and(|e| e.contains("评诺结果")),
            "{backend}: the newest entry of fsz1's is its result: {fsz1_entries:?}"
        );
        // Newest first: the result (concluded now) leads the whole feed.
        assert!(entries[0].contains("评诺结果"), "{backend}");
        // The English feed speaks English.
        citizen.get("/lang/en?next=/public").await;
        let en = citizen.get("/public/feed.atom").await.text().await.unwrap();
        assert!(en.contains("Amended") && en.contains("xml:lang=\"en\""));
    }
}

#[tokio::test]
async fn the_public_api_answers_anyone_with_what_the_portal_shows_and_bad_queries_as_problems() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let anyone = app.client();
        let get = |path: &'static str| {
            let c = &anyone;
            async move {
                let res = c.get(path).await;
                let status = res.status();
                let kind = res
                    .headers()
                    .get("content-type")
                    .map(|v| v.to_str().unwrap().to_string())
                    .unwrap_or_default();
                let cache = res
                    .headers()
                    .get("cache-control")
                    .map(|v| v.to_str().unwrap().to_string())
                    .unwrap_or_default();
                let body: serde_json::Value = res.json().await.unwrap_or_default();
                (status, kind, cache, body)
            }
        };
        let unit = app.unit_id("jxj").await;
        let jxj = demo_commitment_of(&app, "jxj-head").await;
        let res = anyone
            .get(&format!("/api/v1/public/commitments?unit={unit}"))
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["cache-control"], "public, max-age=60");
        let list: serde_json::Value = res.json().await.unwrap();
        let ids: Vec<i64> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, [jxj], "{backend}");
        // Two signed versions, both intact; no contact data anywhere.
        assert_eq!(list[0]["versions"].as_array().unwrap().len(), 2);
        assert_eq!(list[0]["current"]["intact"], true);
        let text = list.to_string();
        for p in duban_core::demo::demo_city().people {
            assert!(!text.contains(&p.mobile), "{backend}: {}", p.mobile);
        }
        let (s, _, _, found) = get("/api/v1/public/commitments?q=顺延").await;
        assert_eq!(
            (s, found.as_array().map(Vec::len)),
            (StatusCode::OK, Some(1))
        );
        let (s, _, _, projects) = get("/api/v1/public/livelihood?year=2026").await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(projects.as_array().unwrap().len(), 3, "{backend}");
        let (s, _, _, hits) = get("/api/v1/public/search?q=托育").await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(hits["projects"].as_array().unwrap().len(), 1, "{hits}");

        // A draft is not found; bad parameters are 400 problems, not plain text.
        let draft = a_draft(&app).await;
        let res = anyone
            .get(&format!("/api/v1/public/commitments/{draft}"))
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{backend}");
        for path in [
            "/api/v1/public/search?q=",
            "/api/v1/public/commitments?unit=abc",
            "/api/v1/public/livelihood?year=twenty",
            "/api/v1/transparency/proof/inclusion?seq=abc",
            "/api/v1/transparency/proof/consistency?first=1",
            "/api/v1/transparency/entries/abc",
            "/api/v1/transparency/sth/-1",
        ] {
            let (s, kind, _, body) = get(path).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{backend} {path}");
            assert!(
                kind.starts_with("application/problem+json"),
                "{path}: {kind}"
            );
            assert_eq!(body["status"], 400, "{path}: {body}");
        }
        // The documented API has the public routes.
        let (_, _, _, doc) = get("/api/openapi.json").await;
        for p in [
            "/api/v1/public/commitments",
            "/api/v1/public/commitments/{id}",
            "/api/v1/public/livelihood",
            "/api/v1/public/search",
        ] {
            assert!(doc["paths"].get(p).is_some(), "{p} is documented");
        }
    }
}
