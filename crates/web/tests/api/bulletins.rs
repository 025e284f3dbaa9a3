//! Bulletins (通报) over HTTP on the demo year, one story: the demo's two issued bulletins are
//! numbered 1 and 2; the office generates a draft, edits its commentary and issues it as
//! No. 3; an issued bulletin refuses edits and writes nothing; a unit neither generates nor
//! reads drafts but finds the issued bulletin in its inbox and downloads it in three formats,
//! the PDF naming the units and the number; the schedule makes a draft once.

use crate::helpers::{TestApp, backends};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn code(v: &Value) -> Option<&str> {
    v["errors"][0]["code"].as_str()
}

#[tokio::test]
async fn the_office_generates_edits_and_issues_and_every_unit_receives_it() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb3").await;
        let (s, list) = office
            .api(Method::GET, "/api/v1/assessment/bulletins", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{list}");
        let numbers: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|b| b["number"].as_str())
            .collect();
        assert_eq!(
            numbers,
            ["永督通〔2026〕2号", "永督通〔2026〕1号"],
            "{list}"
        );
        let draft = list
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["state"] == "draft")
            .expect("the demo's November draft")["id"]
            .as_i64()
            .unwrap();

        // A draft for September, its commentary edited.
        let (s, v) = office
            .api(
                Method::POST,
                "/api/v1/assessment/bulletins",
                Some(json!({"period": "2026-09"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let id = v["id"].as_i64().unwrap();
        let (s, v) = office
            .api(
                Method::POST,
                "/api/v1/assessment/bulletins",
                Some(json!({"period": "2026-13"})),
            )
            .await;
        assert_eq!(
            (s, code(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_period"))
        );
        let path = format!("/api/v1/assessment/bulletins/{id}");
        let commentary = json!({"overview": "九月份全市重点工作总体平稳。", "problems": "个别单位进度滞后。", "requirements": "请于十日内整改。"});
        let (s, v) = office
            .api(
                Method::PUT,
                &format!("{path}/commentary"),
                Some(commentary.clone()),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
        let (_, b) = office.api(Method::GET, &path, None).await;
        assert_eq!(b["state"], "draft");
        assert_eq!(b["commentary"], commentary);
        assert!(
            b["content"]["ranking"]["groups"].as_array().unwrap().len() >= 2,
            "{b}"
        );

        // A unit may neither generate, edit, issue nor read a draft.
        let head = app.signed_in("jxj-head").await;
        let (s, _) = head
            .api(
                Method::POST,
                "/api/v1/assessment/bulletins",
                Some(json!({"period": "2026-09"})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        for (m, p, body) in [
            (Method::GET, path.clone(), None),
            (Method::POST, format!("{path}/issue"), Some(json!({}))),
            (Method::PUT, format!("{path}/commentary"), Some(json!({}))),
        ] {
            let (s, _) = head.api(m, &p, body).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{p}");
        }

        // Issued: No. 3, its hash in the ledger, immutable.
        let (s, b) = office
            .api(
                Method::POST,
                &format!("{path}/issue"),
                Some(json!({"public": true})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["number"], "永督通〔2026〕3号");
        let hash = b["content_hash"].as_str().unwrap().to_string();
        assert_eq!(hash.len(), 64);
        let seq = b["ledger_seq"].as_i64().unwrap();
        let (_, entry) = office
            .api(Method::GET, &format!("/api/v1/ledger/{seq}"), None)
            .await;
        assert!(entry.to_string().contains(&hash), "{entry}");
        let ledger = app.ledger_len().await;
        let (s, v) = office
            .api(
                Method::PUT,
                &format!("{path}/commentary"),
                Some(json!({"overview": "改"})),
            )
            .await;
        assert_eq!(
            (s, code(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("bulletin_issued")),
            "{v}"
        );
        let (s, v) = office
            .api(Method::POST, &format!("{path}/issue"), Some(json!({})))
            .await;
        assert_eq!(
            (s, code(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("bulletin_issued"))
        );
        assert_eq!(app.ledger_len().await, ledger, "nothing written");
        let (_, b) = office.api(Method::GET, &path, None).await;
        assert_eq!(b["commentary"], commentary);

        // The unit reads it, finds it in its inbox, but not the draft.
        let (s, _) = head.api(Method::GET, &path, None).await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = head
            .api(
                Method::GET,
                &format!("/api/v1/assessment/bulletins/{draft}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (_, list) = head
            .api(Method::GET, "/api/v1/assessment/bulletins", None)
            .await;
        assert!(
            list.as_array()
                .unwrap()
                .iter()
                .all(|b| b["state"] == "issued"),
            "{list}"
        );
        let (_, inbox) = head.api(Method::GET, "/api/v1/inbox", None).await;
        assert!(inbox.to_string().contains("永督通〔2026〕3号"), "{inbox}");

        // Downloads, with their content types; the PDF names units and the number.
        for (ext, media) in [
            (
                "docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            (
                "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            ("pdf", "application/pdf"),
        ] {
            let res = head
                .get(&format!("/assessment/bulletins/{id}/files/{ext}"))
                .await;
            assert_eq!(res.status(), StatusCode::OK, "{ext}");
            assert_eq!(res.headers()["content-type"], media);
            let bytes = res.bytes().await.unwrap();
            if ext == "pdf" {
                assert!(bytes.starts_with(b"%PDF-"));
                pdf_names_units(&bytes, &b);
            }
        }

        // Published on the portal for anyone; a draft is not there.
        let public = app.client();
        let page = public.get("/public/bulletins").await.text().await.unwrap();
        assert!(
            page.contains("永督通〔2026〕3号") && page.contains("永督通〔2026〕2号"),
            "{page}"
        );
        let res = public
            .get(&format!("/public/bulletins/{id}/files/docx"))
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let res = public
            .get(&format!("/public/bulletins/{draft}/files/pdf"))
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);

        // The schedule: quarterly on the 1st working day makes the fourth quarter's draft
        // once, on one day of January, however often the runner comes by.
        let (s, v) = office
            .api(
                Method::PUT,
                "/api/v1/assessment/bulletins/series/2026",
                Some(json!({"prefix": "永督通", "cadence": "quarterly", "working_day": 1})),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
        let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
        let mut made = 0;
        for d in 1..=8 {
            let t = jiff::civil::date(2027, 1, d)
                .at(9, 0, 0, 0)
                .to_zoned(tz.clone())
                .unwrap()
                .timestamp();
            for _ in 0..2 {
                made += duban_web::jobs::scheduled_bulletins(&app.state_at(t), t)
                    .await
                    .unwrap();
            }
        }
        assert_eq!(made, 1);
        let (_, list) = office
            .api(Method::GET, "/api/v1/assessment/bulletins", None)
            .await;
        assert!(list.to_string().contains("2026-Q4"), "{list}");
    }
}

/// The PDF's text (pdftotext) holds the number and the ranked units' names.
fn pdf_names_units(bytes: &[u8], b: &Value) {
    let dir = std::env::temp_dir().join(format!("duban-bulletin-http-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bulletin.pdf");
    std::fs::write(&file, bytes).unwrap();
    let Ok(out) = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
    else {
        println!("pdftotext is not installed (poppler-utils): the PDF's text is not checked");
        return;
    };
    let text: String = String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(text.contains("永督通〔2026〕3号"), "{text}");
    for g in b["content"]["ranking"]["groups"].as_array().unwrap() {
        for row in g["rows"].as_array().unwrap() {
            let unit = row["unit"].as_str().unwrap();
            assert!(text.contains(unit), "{unit} not in the PDF");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_past_quarter_is_read_as_it_closed_and_a_week_as_it_is_today() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb3").await;
        let content = |period: &'static str| {
            let office = &office;
            async move {
                let (s, v) = office
                    .api(
                        Method::POST,
                        "/api/v1/assessment/bulletins",
                        Some(json!({ "period": period })),
                    )
                    .await;
                assert_eq!(s, StatusCode::CREATED, "{v}");
                let path = format!("/api/v1/assessment/bulletins/{}", v["id"]);
                let (s, v) = office.api(Method::GET, &path, None).await;
                assert_eq!(s, StatusCode::OK, "{v}");
                v["content"].clone()
            }
        };
        // The lights as September closed, counted straight from the month's history.
        let mut tx = app.store.begin_read().await.unwrap();
        let closed: Vec<(String, i64)> = duban_store::sql(
            "SELECT h.light, COUNT(*) FROM task_light_history h JOIN tasks t ON t.id = h.task_id
             WHERE h.period = '2026-09' AND t.year = 2026 AND t.state = 'approved'
                AND t.parent_id IS NULL
             GROUP BY h.light",
        )
        .fetch_all(&mut tx)
        .await
        .unwrap();
        let live: Vec<(String, i64)> = duban_store::sql(
            "SELECT t.light, COUNT(*) FROM tasks t
             WHERE t.year = 2026 AND t.state = 'approved' AND t.parent_id IS NULL
             GROUP BY t.light",
        )
        .fetch_all(&mut tx)
        .await
        .unwrap();
        drop(tx);
        let of = |rows: &[(String, i64)], light: &str| {
            rows.iter().find(|(l, _)| l == light).map_or(0, |(_, n)| *n)
        };
        assert_ne!(closed, live, "the demo's lights moved since September");

        let q3 = content("2026-Q3").await;
        assert_eq!(q3["as_of"], "2026-09-30", "{q3}");
        for light in ["green", "yellow", "red"] {
            assert_eq!(q3["tasks"][light], of(&closed, light), "{light}: {q3}");
        }
        let listed_red: usize = q3["red"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["items"].as_array().unwrap().len())
            .sum();
        assert_eq!(
            listed_red as i64,
            of(&closed, "red"),
            "every red task listed"
        );

        // A week ends mid-month: it is read as the data stands today (25 November).
        let week = content("2026-W48").await;
        assert_eq!(week["as_of"], "2026-11-25", "{week}");
        for light in ["green", "yellow", "red"] {
            assert_eq!(week["tasks"][light], of(&live, light), "{light}: {week}");
        }
    }
}
