//! What a published showcase becomes: score events of the assessment scheme's showcase module
//! (one per presenting unit, its points the rule's full marks scaled by the unit's result;
//! harvesting again changes nothing), each unit's page with its rank in its assessment group,
//! and that page as an A4 PDF whose Chinese text reads back intact.

use crate::helpers::{Client, TestApp, backends, today};
use crate::showcase::{card, setup};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn ok(c: &Client, method: Method, path: &str, body: Option<Value>) -> Value {
    let (s, v) = c.api(method, path, body).await;
    assert!(s.is_success(), "{path}: {s} {v}");
    v
}

/// Showcase events of one showcase, per unit: (unit id, points in hundredths), sorted.
async fn events_of(app: &TestApp, showcase: i64) -> Vec<(i64, i64)> {
    let mut tx = app.store.begin_read().await.unwrap();
    let mut rows: Vec<(i64, i64)> = duban_store::sql(
        "SELECT unit_id, points FROM score_events
         WHERE kind = 'showcase_score' AND source_kind = 'showcase' AND source_id = $1",
    )
    .bind(showcase)
    .fetch_all(&mut tx)
    .await
    .unwrap();
    rows.sort();
    rows
}

/// The showcase module's full marks for a lead unit's result in the scheme in force today
/// (hundredths).
async fn full_marks(office: &Client) -> i64 {
    let view = ok(office, Method::GET, "/api/v1/assessment/scheme", None).await;
    let scheme = &view["versions"].as_array().unwrap().last().unwrap()["scheme"];
    let rules = &scheme["rules"];
    let rule = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "showcase_score")
        .unwrap_or_else(|| panic!("the demo scheme scores showcase results: {rules}"));
    rule["points"].as_i64().unwrap() * scheme["lead_pct"].as_i64().unwrap() / 100
}

#[tokio::test]
async fn a_published_showcase_scores_its_units_once_and_their_pages_show_rank_and_print() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb").await;
        let units = [
            (app.unit_id("jxj").await, "部门"),
            (app.unit_id("fgj").await, "部门"),
            (app.unit_id("town-dongcheng").await, "乡镇街道"),
        ];
        let mut input = setup(&units);
        // Held yesterday, in the year the demo's scheme scores.
        input["held_on"] = json!(today().yesterday().unwrap().to_string());
        let created = ok(&office, Method::POST, "/api/v1/showcases", Some(input)).await;
        let id = created["id"].as_i64().unwrap();
        let base = format!("/api/v1/showcases/{id}");
        let detail = ok(&office, Method::GET, &base, None).await;
        let presenters: Vec<i64> = detail["presenters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect();
        // 经信局 writes its statement while the showcase is a draft.
        let liaison = app.signed_in("jxj-liaison").await;
        let statement = json!({"highlights": "规上工业增加值增速全市第一", "shortfalls": "项目开工率偏低，要素保障仍有差距。"});
        let path = format!("{base}/presenters/{}/statement", presenters[0]);
        ok(&liaison, Method::PUT, &path, Some(statement)).await;
        let judges = ["shuji", "shizhang", "fsz1", "fsz2", "fsz3"];
        for u in judges {
            let body = json!({"username": u, "judge_group": 0});
            ok(&office, Method::POST, &format!("{base}/judges"), Some(body)).await;
        }
        ok(
            &office,
            Method::POST,
            &format!("{base}/state"),
            Some(json!({"command": "open"})),
        )
        .await;
        for p in &presenters {
            let path = format!("{base}/presenters/{p}/scoring");
            ok(
                &office,
                Method::POST,
                &path,
                Some(json!({"command": "open"})),
            )
            .await;
        }
        for (j, u) in judges.iter().enumerate() {
            let c = app.signed_in(u).await;
            for (i, p) in presenters.iter().enumerate() {
                let v = 70 + ((j * 7 + i * 11) % 25) as i64;
                let body = card(*p, [v, v + 1, v - 2, v + 3], true);
                ok(&c, Method::POST, &format!("{base}/cards"), Some(body)).await;
            }
        }
        ok(
            &office,
            Method::POST,
            &format!("{base}/state"),
            Some(json!({"command": "lock"})),
        )
        .await;

        // Locked, not published: no event yet.
        ok(&office, Method::POST, "/api/v1/assessment/refresh", None).await;
        assert_eq!(events_of(&app, id).await, vec![], "{backend}");

        // Published: one event per unit, the rule's full marks scaled by its result.
        ok(
            &office,
            Method::POST,
            &format!("{base}/state"),
            Some(json!({"command": "publish"})),
        )
        .await;
        ok(&office, Method::POST, "/api/v1/assessment/refresh", None).await;
        let points = full_marks(&office).await;
        let results = ok(&office, Method::GET, &format!("{base}/results"), None).await;
        let mut want: Vec<(i64, i64)> = results["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                let h = l["score_hundredths"].as_i64().unwrap();
                let unit = detail["presenters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|p| p["id"] == l["presenter_id"])
                    .unwrap()["unit_id"]
                    .as_i64()
                    .unwrap();
                // points × h / 10 000, half away from zero (h ≥ 0)
                (unit, (points * h + 5_000) / 10_000)
            })
            .collect();
        want.sort();
        assert_eq!(want.len(), 3, "{backend}: {results}");
        assert_eq!(events_of(&app, id).await, want, "{backend}");

        // Harvesting again changes nothing: no event, the same tables.
        let tables = ok(
            &office,
            Method::GET,
            "/api/v1/assessment/rankings?period=2026-H2",
            None,
        )
        .await;
        let again = ok(&office, Method::POST, "/api/v1/assessment/refresh", None).await;
        assert_eq!(again["events"], 0, "{backend}");
        assert_eq!(events_of(&app, id).await, want, "{backend}");
        let after = ok(
            &office,
            Method::GET,
            "/api/v1/assessment/rankings?period=2026-H2",
            None,
        )
        .await;
        assert_eq!(tables, after, "{backend}");

        // Each unit's page shows its rank in its assessment group for the half-year.
        for (i, p) in presenters.iter().enumerate() {
            let page = ok(
                &office,
                Method::GET,
                &format!("{base}/presenters/{p}"),
                None,
            )
            .await;
            let unit = units[i].0;
            let (group, row) = tables["groups"]
                .as_array()
                .unwrap()
                .iter()
                .find_map(|g| {
                    let row = g["rows"]
                        .as_array()?
                        .iter()
                        .find(|r| r["unit_id"] == unit)?;
                    Some((g, row))
                })
                .expect("every presenting unit is in an assessment group");
            let place = &page["assessment"];
            assert_eq!(place["period"], "2026-H2", "{backend}");
            assert_eq!(place["rank"], row["rank"], "{backend}: {place}");
            assert_eq!(place["group_zh"], group["name_zh"]);
            assert_eq!(
                place["of"].as_u64(),
                Some(group["rows"].as_array().unwrap().len() as u64)
            );
            // ... and on the HTML page.
            let html = office
                .get(&format!("/showcase/{id}/presenters/{p}"))
                .await
                .text()
                .await
                .unwrap();
            assert!(html.contains("考核分组排名"), "{backend}");
        }

        // The page as a PDF: A4, its Chinese text intact, for whoever may read the page.
        let p = presenters[0];
        for path in [
            format!("{base}/presenters/{p}/pdf"),
            format!("/showcase/{id}/presenters/{p}/pdf"),
        ] {
            let res = liaison.get(&path).await;
            assert_eq!(res.status(), StatusCode::OK, "{backend}: {path}");
            assert_eq!(res.headers()["content-type"], "application/pdf");
            let bytes = res.bytes().await.unwrap();
            assert!(bytes.starts_with(b"%PDF"), "{backend}");
            let page = ok(
                &office,
                Method::GET,
                &format!("{base}/presenters/{p}"),
                None,
            )
            .await;
            pdf_reads(&bytes, &page);
        }
        // Not for someone who may not read the page (a draft is the office's and the units').
        let anonymous = app.client();
        let res = anonymous.get(&format!("{base}/presenters/{p}/pdf")).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{backend}");
    }
}

/// The PDF's text (pdftotext) holds the unit, the event and the section headings in Chinese;
/// its pages are A4 (pdfinfo). Skipped with a note when poppler-utils is not installed.
fn pdf_reads(bytes: &[u8], page: &Value) {
    let dir = std::env::temp_dir().join(format!(
        "duban-showcase-pdf-{}-{}",
        std::process::id(),
        page["presenter_id"]
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("unit.pdf");
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
    for want in [
        page["unit_name"].as_str().unwrap(),
        page["title"].as_str().unwrap(),
        "加权进度与序时进度",
        "关键指标",
        "短板与差距",
        "考核分组排名",
        "项目开工率偏低，要素保障仍有差距。",
    ] {
        let want: String = want.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(text.contains(&want), "{want} not in the PDF: {text}");
    }
    let info = std::process::Command::new("pdfinfo")
        .arg(&file)
        .output()
        .expect("pdfinfo comes with pdftotext");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("(A4)"), "{info}");
    let _ = std::fs::remove_dir_all(&dir);
}
