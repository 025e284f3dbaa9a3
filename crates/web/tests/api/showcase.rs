//! The half-year showcase (晒拼) over HTTP: the office sets it up, units write 短板与差距,
//! signed-in and guest judges score on their phones, bad cards are refused with nothing
//! written, and the ranking equals the one computed here from the raw cards.

use crate::helpers::{Client, TestApp, backends};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub(crate) fn setup(app_units: &[(i64, &str)]) -> Value {
    json!({
        "title": "2026年下半年大晒拼（测试）",
        "held_on": "2026-12-20",
        "half_year": "2026-H2",
        "minutes": 8,
        "trim": true,
        "criteria": [
            {"name": "工作实绩", "weight": 40}, {"name": "特色亮点", "weight": 30},
            {"name": "直面短板", "weight": 20}, {"name": "精神面貌", "weight": 10}
        ],
        "judge_groups": [{"name": "市领导"}, {"name": "群众代表"}],
        "presenters": app_units.iter().map(|(id, g)| json!({"unit_id": id, "group": g})).collect::<Vec<_>>(),
    })
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    app.count(sql).await
}

/// A guest opens a link on their phone (claims it) and posts a card through the form.
async fn guest_card(
    c: &Client,
    path: &str,
    presenter: i64,
    scores: [i64; 4],
    submit: bool,
) -> reqwest::Response {
    let p = presenter.to_string();
    let s: Vec<String> = scores.iter().map(|v| v.to_string()).collect();
    let mut fields = vec![("presenter_id", p.as_str())];
    for v in &s {
        fields.push(("score", v.as_str()));
    }
    if submit {
        fields.push(("submit", "1"));
    }
    c.post_form(path, &fields).await
}

pub(crate) fn card(presenter: i64, scores: [i64; 4], submit: bool) -> Value {
    json!({"presenter_id": presenter, "scores": scores, "submit": submit})
}

/// The trimmed mean of one presenter's submitted raw cards, computed here independently:
/// drop one highest and one lowest from five cards on, average, round half up (hundredths).
fn expected_from_raw(cards: &[Value], presenter: i64) -> (Option<i64>, usize) {
    let mut totals: Vec<i64> = cards
        .iter()
        .filter(|c| c["presenter_id"] == presenter && !c["submitted_at"].is_null())
        .map(|c| c["total"].as_i64().unwrap())
        .collect();
    let n = totals.len();
    if n == 0 {
        return (None, 0);
    }
    totals.sort();
    let kept: &[i64] = if n >= 5 { &totals[1..n - 1] } else { &totals };
    let sum: i64 = kept.iter().sum();
    let k = kept.len() as i64;
    (Some((2 * sum + k) / (2 * k)), n)
}

#[tokio::test]
async fn judges_score_live_and_the_ranking_is_the_trimmed_mean_of_the_raw_cards() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb").await;
        let jxj = app.unit_id("jxj").await;
        let fgj = app.unit_id("fgj").await;
        let dongcheng = app.unit_id("town-dongcheng").await;
        let xicheng = app.unit_id("town-xicheng").await;
        let units = [
            (jxj, "部门"),
            (fgj, "部门"),
            (dongcheng, "乡镇街道"),
            (xicheng, "乡镇街道"),
        ];

        // Only the office sets up, and a probe with no body is refused before it is read.
        let head = app.signed_in("jxj-head").await;
        let (s, _) = head
            .api(Method::POST, "/api/v1/showcases", Some(json!({})))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{backend}");
        // Weights that do not add up to 100: refused, nothing written.
        let mut bad = setup(&units);
        bad["criteria"][0]["weight"] = json!(30);
        let (s, body) = office
            .api(Method::POST, "/api/v1/showcases", Some(bad))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{backend}: {body}");
        assert_eq!(body["errors"][0]["code"], "showcase.weights_sum");
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM showcases WHERE title LIKE '%测试%'"
            )
            .await,
            0
        );

        let (s, created) = office
            .api(Method::POST, "/api/v1/showcases", Some(setup(&units)))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{backend}: {created}");
        let id = created["id"].as_i64().unwrap();
        let base = format!("/api/v1/showcases/{id}");
        let (_, detail) = office.api(Method::GET, &base, None).await;
        let presenter = |i: usize| detail["presenters"][i]["id"].as_i64().unwrap();
        let (p_jxj, p_fgj, p_xicheng) = (presenter(0), presenter(1), presenter(3));

        // A unit cannot go on without 短板与差距; another unit cannot write it.
        let liaison = app.signed_in("jxj-liaison").await;
        let statement = format!("{base}/presenters/{p_jxj}/statement");
        let (s, body) = liaison
            .api(
                Method::PUT,
                &statement,
                Some(json!({"highlights": "亮点", "shortfalls": " "})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{backend}: {body}");
        assert_eq!(body["errors"][0]["code"], "showcase.shortfalls_missing");
        let fgj_head = app.signed_in("fgj-head").await;
        let text = json!({"highlights": "规上工业增加值增速全市第一", "shortfalls": "项目开工率偏低，要素保障仍有差距。"});
        let (s, _) = fgj_head
            .api(Method::PUT, &statement, Some(text.clone()))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{backend}");
        let (s, _) = liaison.api(Method::PUT, &statement, Some(text)).await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{backend}");
        // The same through the page's form (and refused there too without 短板与差距).
        let form_path = format!("/showcase/{id}/presenters/{p_jxj}/statement");
        let res = liaison
            .post_form(&form_path, &[("highlights", "亮点"), ("shortfalls", "")])
            .await;
        assert!(
            res.headers()["location"]
                .to_str()
                .unwrap()
                .contains("err=shortfalls.showcase.shortfalls_missing"),
            "{backend}"
        );
        let res = liaison
            .post_form(
                &form_path,
                &[
                    ("highlights", "规上工业增加值增速全市第一"),
                    ("shortfalls", "项目开工率偏低，要素保障仍有差距。"),
                ],
            )
            .await;
        assert!(
            res.headers()["location"]
                .to_str()
                .unwrap()
                .ends_with("?ok=saved"),
            "{backend}"
        );
        // The page is filled from the unit's own data, with the statement.
        let (s, page) = liaison
            .api(Method::GET, &format!("{base}/presenters/{p_jxj}"), None)
            .await;
        assert_eq!(s, StatusCode::OK, "{backend}: {page}");
        assert_eq!(page["complete"], true);
        assert_eq!(page["period_start"], "2026-07-01");

        // The panel: four accounts (one from 经信局) and three guest links.
        for (u, g) in [("shuji", 0), ("shizhang", 0), ("fsz1", 0), ("jxj-head", 0)] {
            let (s, b) = office
                .api(
                    Method::POST,
                    &format!("{base}/judges"),
                    Some(json!({"username": u, "judge_group": g})),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{backend}: {u} {b}");
        }
        let (s, links) = office
            .api(
                Method::POST,
                &format!("{base}/guest-links"),
                Some(json!({"judge_group": 1, "count": 3})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{backend}: {links}");
        let link = |i: usize| links[i]["path"].as_str().unwrap().to_string();

        // Nothing can be scored before the day opens.
        let shuji = app.signed_in("shuji").await;
        let (s, _) = shuji
            .api(
                Method::POST,
                &format!("{base}/cards"),
                Some(card(p_jxj, [90; 4], true)),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{backend}");
        for (path, cmd) in [
            (format!("{base}/state"), "open"),
            (format!("{base}/presenters/{p_jxj}/scoring"), "open"),
            (format!("{base}/presenters/{p_fgj}/scoring"), "open"),
        ] {
            let (s, b) = office
                .api(Method::POST, &path, Some(json!({"command": cmd})))
                .await;
            assert_eq!(s, StatusCode::OK, "{backend}: {path} {b}");
        }

        // Signed-in judges on their phones.
        let shizhang = app.signed_in("shizhang").await;
        let fsz1 = app.signed_in("fsz1").await;
        for (c, scores) in [(&shuji, [90; 4]), (&shizhang, [80; 4]), (&fsz1, [85; 4])] {
            let (s, b) = c
                .api(
                    Method::POST,
                    &format!("{base}/cards"),
                    Some(card(p_jxj, scores, true)),
                )
                .await;
            assert_eq!(s, StatusCode::NO_CONTENT, "{backend}: {b}");
        }
        // Guests: each phone claims its link and scores.
        let phones: Vec<Client> = (0..3).map(|_| app.client()).collect();
        for (i, scores) in [[70; 4], [95; 4], [90, 85, 88, 86]].into_iter().enumerate() {
            let res = phones[i].get(&link(i)).await;
            assert_eq!(res.status(), StatusCode::OK, "{backend}: guest {i}");
            let form = res.text().await.unwrap();
            assert!(
                form.contains(&format!("name=\"presenter_id\" value=\"{p_jxj}\"")),
                "{backend}"
            );
            let res = guest_card(&phones[i], &link(i), p_jxj, scores, i != 2).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{backend}: guest {i}");
            assert!(
                res.headers()["location"]
                    .to_str()
                    .unwrap()
                    .ends_with("?ok=saved")
            );
        }
        // The third guest saved a draft and may still change it, then submits.
        let res = guest_card(&phones[2], &link(2), p_jxj, [90, 85, 88, 86], true).await;
        assert!(
            res.headers()["location"]
                .to_str()
                .unwrap()
                .ends_with("?ok=saved"),
            "{backend}"
        );

        let fsz2 = app.signed_in("fsz2").await;
        let cards_before = count(&app, "SELECT COUNT(*) FROM showcase_cards").await;
        let ledger_before = app.ledger_len().await;
        // Bad input, each refused with nothing written.
        // A score out of range.
        let (s, b) = fsz1
            .api(
                Method::POST,
                &format!("{base}/cards"),
                Some(card(p_fgj, [101, 80, 80, 80], true)),
            )
            .await;
        assert_eq!(
            (s, b["errors"][0]["code"].as_str()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("showcase.score_range")
            ),
            "{backend}"
        );
        // A card for one's own unit: the policy refuses it.
        let (s, _) = head
            .api(
                Method::POST,
                &format!("{base}/cards"),
                Some(card(p_jxj, [100; 4], true)),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{backend}");
        // ... and the form does not offer it.
        let (_, form) = head.api(Method::GET, &format!("{base}/form"), None).await;
        let offered: Vec<i64> = form["open"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["presenter_id"].as_i64().unwrap())
            .collect();
        assert_eq!(offered, vec![p_fgj], "{backend}");
        // A second submit.
        let (s, b) = shuji
            .api(
                Method::POST,
                &format!("{base}/cards"),
                Some(card(p_jxj, [60; 4], true)),
            )
            .await;
        assert_eq!(
            (s, b["errors"][0]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("showcase.submitted")),
            "{backend}"
        );
        // A card for a presenter whose scoring is not open.
        let (s, b) = shuji
            .api(
                Method::POST,
                &format!("{base}/cards"),
                Some(card(p_xicheng, [60; 4], true)),
            )
            .await;
        assert_eq!(
            (s, b["errors"][0]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("showcase.not_open")),
            "{backend}"
        );
        // A replayed guest link on another phone: refused, the link stays with its phone.
        let thief = app.client();
        let res = thief.get(&link(0)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{backend}");
        let res = guest_card(&thief, &link(0), p_fgj, [99; 4], true).await;
        assert!(
            res.headers()["location"]
                .to_str()
                .unwrap()
                .contains("err=link.showcase.link_used"),
            "{backend}"
        );
        // Someone not on the panel.
        let (s, _) = fsz2
            .api(
                Method::POST,
                &format!("{base}/cards"),
                Some(card(p_fgj, [60; 4], true)),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{backend}");
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM showcase_cards").await,
            cards_before,
            "{backend}"
        );
        assert_eq!(app.ledger_len().await, ledger_before, "{backend}");

        // 发改局 gets three cards (provisional, not trimmed); 经信局's head scores it.
        let (s, _) = head
            .api(
                Method::POST,
                &format!("{base}/cards"),
                Some(card(p_fgj, [80; 4], true)),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{backend}");
        let (s, _) = shuji
            .api(
                Method::POST,
                &format!("{base}/cards"),
                Some(card(p_fgj, [90; 4], true)),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{backend}");
        // A draft that is still open when scoring closes does not count, and cannot be sent after.
        let (s, _) = fsz1
            .api(
                Method::POST,
                &format!("{base}/cards"),
                Some(card(p_fgj, [10; 4], false)),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{backend}");
        let res = guest_card(&phones[0], &link(0), p_fgj, [60; 4], true).await;
        assert!(
            res.headers()["location"]
                .to_str()
                .unwrap()
                .ends_with("?ok=saved"),
            "{backend}"
        );
        let (s, _) = office
            .api(
                Method::POST,
                &format!("{base}/presenters/{p_fgj}/scoring"),
                Some(json!({"command": "close"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{backend}");
        let (s, b) = fsz1
            .api(
                Method::POST,
                &format!("{base}/cards"),
                Some(card(p_fgj, [10; 4], true)),
            )
            .await;
        assert_eq!(
            (s, b["errors"][0]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("showcase.not_open")),
            "{backend}"
        );

        // The ranking, live, for the office; not for a deputy before publication.
        let deputy = app.signed_in("deputy1").await;
        let (s, _) = deputy
            .api(Method::GET, &format!("{base}/results"), None)
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{backend}");
        let (s, results) = office
            .api(Method::GET, &format!("{base}/results"), None)
            .await;
        assert_eq!(s, StatusCode::OK, "{backend}: {results}");
        let (s, raw) = office
            .api(Method::GET, &format!("{base}/cards"), None)
            .await;
        assert_eq!(s, StatusCode::OK, "{backend}");
        let raw = raw.as_array().unwrap().clone();
        assert_eq!(results["submitted"], 9, "{backend}");
        for line in results["lines"].as_array().unwrap() {
            let p = line["presenter_id"].as_i64().unwrap();
            let (score, n) = expected_from_raw(&raw, p);
            assert_eq!(
                line["score_hundredths"].as_i64(),
                score,
                "{backend}: {line}"
            );
            assert_eq!(line["cards"].as_u64().unwrap() as usize, n, "{backend}");
        }
        let line = |p: i64| {
            results["lines"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["presenter_id"] == p)
                .unwrap()
                .clone()
        };
        // By hand: 经信局's six cards 90, 80, 85, 70, 95 and 90×40+85×30+88×20+86×10 = 87.70;
        // drop 70.00 and 95.00, keep (80 + 85 + 87.70 + 90) / 4 = 85.675 → 85.68.
        let j = line(p_jxj);
        assert_eq!(
            (
                j["score"].as_str(),
                j["cards"].as_u64(),
                j["dropped_sum"].as_str(),
                j["provisional"].as_bool()
            ),
            (Some("85.68"), Some(6), Some("165.00"), Some(false)),
            "{backend}"
        );
        // 发改局: 80, 90, 60 → 76.67, provisional; ranked below 经信局 in its group.
        let f = line(p_fgj);
        assert_eq!(
            (
                f["score"].as_str(),
                f["provisional"].as_bool(),
                f["rank"].as_u64()
            ),
            (Some("76.67"), Some(true), Some(2)),
            "{backend}"
        );
        assert_eq!(j["rank"].as_u64(), Some(1));

        // The results page without JavaScript shows the same numbers.
        let html = office
            .get(&format!("/showcase/{id}/results"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("85.68") && html.contains("76.67"),
            "{backend}"
        );

        // Lock: links end with the event; publish: everyone signed in sees the results.
        for cmd in ["lock", "publish"] {
            let (s, b) = office
                .api(
                    Method::POST,
                    &format!("{base}/state"),
                    Some(json!({"command": cmd})),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{backend}: {cmd} {b}");
        }
        let res = phones[1].get(&link(1)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{backend}");
        let (s, after) = deputy
            .api(Method::GET, &format!("{base}/results"), None)
            .await;
        assert_eq!(s, StatusCode::OK, "{backend}");
        let view = |r: &Value| -> Vec<(Value, Value, Value, Value)> {
            r["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| {
                    (
                        l["presenter_id"].clone(),
                        l["score"].clone(),
                        l["cards"].clone(),
                        l["rank"].clone(),
                    )
                })
                .collect()
        };
        assert_eq!(view(&after), view(&results), "{backend}");
        // Raw cards: the office and the auditor, nobody else.
        let (s, _) = head.api(Method::GET, &format!("{base}/cards"), None).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{backend}");
        let auditor = app.signed_in("auditor").await;
        let (s, _) = auditor
            .api(Method::GET, &format!("{base}/cards"), None)
            .await;
        assert_eq!(s, StatusCode::OK, "{backend}");
        let res = office.get(&format!("/showcase/{id}/cards.xlsx")).await;
        assert_eq!(res.status(), StatusCode::OK, "{backend}");
        let bytes = res.bytes().await.unwrap();
        assert_eq!(&bytes[..2], b"PK", "{backend}");
    }
}
