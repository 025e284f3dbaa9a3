//! Evidence follows its report: a file attached to a progress report is downloaded exactly by
//! those who may read the report (a draft, or one waiting for the unit head, stays inside the
//! lead unit even from co-units that see the task); a missing file is a 404 in the form the
//! caller reads (problem+json on the API, the not-found page on pages); API tokens download.

use crate::attachments::{png, upload};
use crate::helpers::{Client, TestApp, backends};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Approved, unfinished tasks `lead` leads with a co-unit that has a liaison account: (task,
/// co-unit code), in id order.
pub async fn tasks_with_a_co_unit(app: &TestApp, lead: &str) -> Vec<(i64, String)> {
    let lead = app.unit_id(lead).await;
    let mut tx = app.store.begin_read().await.expect("tx");
    duban_store::sql(
        "SELECT t.id, MIN(u.code) FROM tasks t
           JOIN task_units tu ON tu.task_id = t.id AND tu.role = 'co'
           JOIN units u ON u.id = tu.unit_id
         WHERE t.lead_unit_id = $1 AND t.state = 'approved' AND t.progress < 100
           AND EXISTS (SELECT 1 FROM users s WHERE s.username = u.code || '-liaison')
         GROUP BY t.id ORDER BY t.id",
    )
    .bind(lead)
    .fetch_all(&mut tx)
    .await
    .expect("query")
}

/// Saves a draft report on `task` as `c` (with these earlier uploads); `None` when this
/// period's report of the task has already left the draft (the server's period decides).
pub async fn save_draft(c: &Client, task: i64, attachment_ids: &[i64]) -> Option<i64> {
    let (s, v) = c
        .api(
            Method::POST,
            &format!("/api/v1/tasks/{task}/reports"),
            Some(
                json!({"percent": 60, "lower_reason": "按新口径重新核算", "progress_text": "按计划推进", "action": "save",
                "attachment_ids": attachment_ids}),
            ),
        )
        .await;
    match s {
        StatusCode::CREATED => {
            assert_eq!(v["state"], "draft", "{v}");
            Some(v["id"].as_i64().expect("id"))
        }
        StatusCode::UNPROCESSABLE_ENTITY => None,
        s => panic!("saving a draft: {s} {v}"),
    }
}

/// Status of a GET.
async fn status(c: &Client, path: &str) -> StatusCode {
    c.get(path).await.status()
}

#[tokio::test]
async fn a_co_unit_cannot_download_the_evidence_of_a_draft_it_cannot_read() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let liaison = app.signed_in("jxj-liaison").await;
        let head = app.signed_in("jxj-head").await;
        let office = app.signed_in("dkb2").await;
        let photo = png(96, 64);
        let (s, v) = upload(&liaison, &[("现场.png", &photo)]).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let aid = v["attachments"][0]["id"].as_i64().expect("id");
        let mut drafted = None;
        for (task, co) in tasks_with_a_co_unit(&app, "jxj").await {
            if let Some(report) = save_draft(&liaison, task, &[aid]).await {
                drafted = Some((task, co, report));
                break;
            }
        }
        let (task, co, report) = drafted.expect("a task of 经信局 with a co-unit takes a draft");
        let co = app.signed_in(&format!("{co}-liaison")).await;

        // The co-unit sees the task, but not the draft — nor its evidence.
        assert_eq!(
            status(&co, &format!("/lists/tasks/{task}")).await,
            StatusCode::OK
        );
        let (s, _) = co
            .api(Method::GET, &format!("/api/v1/reports/{report}"), None)
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{backend}");
        for path in [
            format!("/attachments/{aid}"),
            format!("/attachments/{aid}/thumb"),
            format!("/api/v1/attachments/{aid}"),
            format!("/api/v1/attachments/{aid}/thumb"),
        ] {
            assert_eq!(
                status(&co, &path).await,
                StatusCode::FORBIDDEN,
                "{backend} {path}"
            );
            assert_eq!(
                status(&office, &path).await,
                StatusCode::FORBIDDEN,
                "{backend} {path}"
            );
            assert_eq!(
                status(&head, &path).await,
                StatusCode::OK,
                "{backend} {path}"
            );
        }

        // Sent to the head: still the unit's own.
        let (s, v) = liaison
            .api(
                Method::POST,
                &format!("/api/v1/tasks/{task}/reports"),
                Some(json!({"percent": 60, "lower_reason": "按新口径重新核算", "action": "send"})),
            )
            .await;
        assert_eq!(
            (s, v["state"].as_str()),
            (StatusCode::CREATED, Some("unit_review")),
            "{v}"
        );
        assert_eq!(
            status(&co, &format!("/attachments/{aid}")).await,
            StatusCode::FORBIDDEN
        );

        // Approved by the head, it has left the unit: every reader of the task reads it.
        let (s, v) = head
            .api(
                Method::POST,
                &format!("/api/v1/reports/{report}/review"),
                Some(json!({"action": "approve"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (s, v) = co
            .api(Method::GET, &format!("/api/v1/reports/{report}"), None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["attachments"][0]["id"], aid, "{v}");
        let res = co.get(&format!("/attachments/{aid}")).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.bytes().await.expect("bytes").as_ref(), photo.as_slice());
        assert_eq!(
            status(&office, &format!("/attachments/{aid}/thumb")).await,
            StatusCode::OK
        );
        let outsider = app.signed_in("town-dongcheng-liaison").await;
        if status(&outsider, &format!("/lists/tasks/{task}")).await == StatusCode::FORBIDDEN {
            assert_eq!(
                status(&outsider, &format!("/attachments/{aid}")).await,
                StatusCode::FORBIDDEN
            );
        }
    }
}

#[tokio::test]
async fn a_missing_attachment_is_a_problem_on_the_api_and_the_not_found_page_on_pages() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let head = app.signed_in("jxj-head").await;
        for path in [
            "/api/v1/attachments/999999",
            "/api/v1/attachments/999999/thumb",
        ] {
            let res = head.get(path).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
            assert_eq!(
                res.headers()["content-type"],
                "application/problem+json",
                "{path}"
            );
            let v: Value = res.json().await.expect("json");
            assert_eq!(v["status"], 404, "{v}");
        }
        for path in ["/attachments/999999", "/attachments/999999/thumb"] {
            let res = head.get(path).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
            let ct = res.headers()["content-type"]
                .to_str()
                .expect("ascii")
                .to_string();
            assert!(ct.starts_with("text/html"), "{path}: {ct}");
            let page = res.text().await.expect("page");
            assert!(page.contains("<html"), "{path}: the site's page");
        }
        // A photo without a thumbnail asked for one: the same 404s.
        let (s, v) = upload(&head, &[("报告.pdf", crate::attachments::PDF)]).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let pdf = v["attachments"][0]["id"].as_i64().expect("id");
        let res = head.get(&format!("/api/v1/attachments/{pdf}/thumb")).await;
        assert_eq!(
            (res.status(), res.headers()["content-type"].to_str().ok()),
            (StatusCode::NOT_FOUND, Some("application/problem+json"))
        );
    }
}

#[tokio::test]
async fn an_api_token_downloads_what_its_owner_may_read_and_nothing_else() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let head = app.signed_in("jxj-head").await;
        let photo = png(80, 60);
        let (s, v) = upload(&head, &[("现场.png", &photo)]).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let aid = v["attachments"][0]["id"].as_i64().expect("id");
        let token = |c: Client| async move {
            let (s, v) = c
                .api(
                    Method::POST,
                    "/api/v1/tokens",
                    Some(json!({"name": "下载脚本"})),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            v["token"].as_str().expect("token").to_string()
        };
        let mine = token(head).await;
        let theirs = token(app.signed_in("zjj-liaison").await).await;
        // A client without cookies: only the token speaks for it.
        let bare = app.client();
        let get = |path: String, token: String| {
            let req = bare
                .http
                .get(bare.url(&path))
                .header("authorization", format!("Bearer {token}"));
            async move { req.send().await.expect("request") }
        };
        for path in [
            format!("/api/v1/attachments/{aid}"),
            format!("/attachments/{aid}"),
        ] {
            let res = get(path.clone(), mine.clone()).await;
            assert_eq!(res.status(), StatusCode::OK, "{backend} {path}");
            assert_eq!(res.headers()["content-type"], "image/png");
            assert_eq!(res.bytes().await.expect("bytes").as_ref(), photo.as_slice());
            let res = get(format!("{path}/thumb"), mine.clone()).await;
            assert_eq!(res.status(), StatusCode::OK, "{backend} {path}/thumb");
            assert_eq!(res.headers()["content-type"], "image/jpeg");

            // Someone else's unattached upload reads as missing, in the API's words.
            let res = get(path.clone(), theirs.clone()).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
            assert_eq!(res.headers()["content-type"], "application/problem+json");
            // A wrong token is refused as such, not sent to a sign-in page.
            let res = get(path.clone(), "not-a-token".into()).await;
            assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path}");
            assert_eq!(res.headers()["content-type"], "application/problem+json");
        }
        // Without a token or a session: the API asks for one, pages send to sign in.
        assert_eq!(
            status(&bare, &format!("/api/v1/attachments/{aid}")).await,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            status(&bare, &format!("/attachments/{aid}")).await,
            StatusCode::SEE_OTHER
        );
    }
}
