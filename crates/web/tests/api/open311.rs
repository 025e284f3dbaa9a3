//! Open311 GeoReport v2, black-box: the spec's shapes and errors, a client written to the
//! spec (Python, standard library only) filing and reading back, and the XML documents
//! (Atom feed, services.xml) parsing whatever the public typed.

use crate::helpers::{TestApp, backends};
use crate::portal::{OFFICE, file_open311, get_json, intake_item};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn open311_follows_the_georeport_v2_shapes_and_errors() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let c = app.client();
        let (s, services) = get_json(&c, "/open311/v2/services.json").await;
        assert_eq!(s, StatusCode::OK);
        let first = &services[0];
        for key in [
            "service_code",
            "service_name",
            "description",
            "metadata",
            "type",
            "keywords",
            "group",
        ] {
            assert!(first.get(key).is_some(), "{key} in {first}");
        }
        assert_eq!(first["type"], "realtime");
        let xml = c
            .get("/open311/v2/services.xml")
            .await
            .text()
            .await
            .unwrap();
        assert!(xml.contains("<service_code>roads</service_code>"), "{xml}");
        let (s, def) = get_json(&c, "/open311/v2/services/roads.json").await;
        assert_eq!(
            (s, def["service_code"].clone()),
            (StatusCode::OK, json!("roads"))
        );
        let (s, err) = get_json(&c, "/open311/v2/services/weather.json").await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert_eq!(err[0]["code"], 404);
        let (s, d) = get_json(&c, "/open311/v2/discovery.json").await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            d["endpoints"][0]["specification"],
            "http://wiki.open311.org/GeoReport_v2"
        );

        // Errors are a list of {code, description} with the same status.
        let (s, err) = file_open311(
            &c,
            &[
                ("service_code", "weather"),
                ("lat", "28.9"),
                ("long", "118.8"),
                ("description", "x"),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_eq!(err[0]["code"], 400);
        assert!(
            err[0]["description"]
                .as_str()
                .unwrap()
                .starts_with("service_code"),
            "{err}"
        );
        let (s, err) = file_open311(&c, &[("service_code", "roads"), ("description", "坑")]).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "a location is required: {err}");
        let (s, _) = file_open311(&c, &[("description", "坑"), ("address_string", "x")]).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "service_code is required");
        let long = "字".repeat(2001);
        let (s, err) = file_open311(
            &c,
            &[
                ("service_code", "roads"),
                ("address_string", "x"),
                ("description", &long),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(
            err[0]["description"]
                .as_str()
                .unwrap()
                .starts_with("description"),
            "{err}"
        );
        let (s, err) = get_json(&c, "/open311/v2/requests.json?status=pending").await;
        assert_eq!(
            (s, err[0]["code"].clone()),
            (StatusCode::BAD_REQUEST, json!(400))
        );
        let (s, _) = get_json(&c, "/open311/v2/requests.json?start_date=yesterday").await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        let (s, _) = get_json(&c, "/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z").await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "more than 90 days");
        let (s, err) = get_json(&c, "/open311/v2/requests/YK-2026-0000000000000000.json").await;
        assert_eq!(
            (s, err[0]["code"].clone()),
            (StatusCode::NOT_FOUND, json!(404))
        );

        // A good request with every standard field; unknown fields are ignored.
        let (s, v) = file_open311(
            &c,
            &[
                ("api_key", "anything"),
                ("jurisdiction_id", "duban.invalid"),
                ("service_code", "public_facilities"),
                ("lat", "28.9355"),
                ("long", "118.8712"),
                ("address_string", "西区公交站"),
                ("description", "候车亭顶棚破损漏雨"),
                ("email", "li@example.cn"),
                ("first_name", "Li"),
                ("last_name", "Ming"),
                ("phone", "13811112222"),
                ("media_url", "https://example.cn/photo.jpg"),
                ("device_id", "abc"),
                ("attribute[WHISPER]", "x"),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let id = v[0]["service_request_id"].as_str().unwrap().to_string();
        assert!(v[0]["service_notice"].is_string());
        let (s, one) = get_json(&c, &format!("/open311/v2/requests/{id}.json")).await;
        assert_eq!(s, StatusCode::OK);
        let r = &one[0];
        for key in [
            "service_request_id",
            "status",
            "status_notes",
            "service_name",
            "service_code",
            "description",
            "agency_responsible",
            "service_notice",
            "requested_datetime",
            "updated_datetime",
            "expected_datetime",
            "address",
            "address_id",
            "zipcode",
            "lat",
            "long",
            "media_url",
        ] {
            assert!(r.get(key).is_some(), "{key} in {r}");
        }
        assert_eq!(r["status"], "open");
        assert_eq!(r["lat"], 28.9355);
        assert!(
            r["requested_datetime"]
                .as_str()
                .unwrap()
                .ends_with("+08:00"),
            "{r}"
        );
        let text = one.to_string();
        assert!(
            !text.contains("13811112222")
                && !text.contains("li@example.cn")
                && !text.contains("Ming"),
            "{text}"
        );
        // Listed by its id before it is published (only its reporter knows the id), not in
        // the general list until accepted.
        let (_, by_id) = get_json(
            &c,
            &format!("/open311/v2/requests.json?service_request_id={id}"),
        )
        .await;
        assert_eq!(by_id.as_array().unwrap().len(), 1);
        let (_, all) = get_json(&c, "/open311/v2/requests.json").await;
        assert!(
            !all.as_array()
                .unwrap()
                .iter()
                .any(|r| r["service_request_id"] == id.as_str()),
            "{all}"
        );
        let office = app.signed_in(OFFICE).await;
        let item = intake_item(&office, &id, "new").await;
        assert_eq!(item["contact_name"], "Li Ming");
        assert_eq!(item["media_url"], "https://example.cn/photo.jpg");
        let (s, _) = office
            .api(
                Method::POST,
                &format!("/api/v1/intake/{}/accept", item["id"]),
                Some(json!({"title": "西区公交站候车亭破损"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        for q in [
            "",
            "?status=open",
            "?service_code=public_facilities",
            "?service_code=roads,public_facilities&status=open,closed",
        ] {
            let (_, all) = get_json(&c, &format!("/open311/v2/requests.json{q}")).await;
            assert_eq!(
                all[0]["service_request_id"],
                id.as_str(),
                "{backend} {q}: {all}"
            );
        }
        for q in [
            "?status=closed",
            "?service_code=roads",
            "?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00%2B08:00",
        ] {
            let (_, other) = get_json(&c, &format!("/open311/v2/requests.json{q}")).await;
            assert!(
                !other
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r["service_request_id"] == id.as_str()),
                "{backend} {q}: {other}"
            );
        }
    }
}

/// A client written to the GeoReport v2 specification, not to this code: the Python script
/// in `e2e/open311_client.py` (standard library only) lists services, files a request with
/// the standard form fields and reads it back with its status. The request then appears in
/// the office's intake queue.
#[tokio::test]
async fn a_client_written_to_the_open311_spec_files_and_reads_back_a_request() {
    let app = TestApp::spawn("sqlite").await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../e2e/open311_client.py");
    let endpoint = format!("{}/open311/v2", app.base);
    // Off the test's thread: the server answers on it meanwhile.
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("python3")
            .arg(script)
            .arg(endpoint)
            .output()
    })
    .await
    .expect("join")
    .expect("python3 runs (the CI image has it)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the spec client failed:\n{stdout}\n{stderr}"
    );
    let id = stdout
        .lines()
        .find_map(|l| l.strip_prefix("service_request_id="))
        .expect("the client prints the id")
        .trim()
        .to_string();
    let office = app.signed_in(OFFICE).await;
    let item = intake_item(&office, &id, "new").await;
    assert_eq!(item["channel"], "open311");
    assert_eq!(item["contact_email"], "spec-client@example.org");
}

/// Parses XML with Python's standard library and checks the elements a spec requires;
/// returns the script's complaint, if any.
async fn python_xml_check(xml: String, script: &'static str) -> Result<(), String> {
    let out = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut child = std::process::Command::new("python3")
            .arg("-c")
            .arg(script)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(xml.as_bytes())
            .expect("write");
        child.wait_with_output().expect("wait")
    })
    .await
    .expect("join");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// The Atom feed (RFC 4287) and services.xml are well-formed XML whatever the public typed,
/// and the feed has the elements Atom requires of a feed and of each entry.
#[tokio::test]
async fn the_feed_and_services_xml_are_well_formed_whatever_was_typed() {
    let app = TestApp::spawn("sqlite").await;
    let c = app.client();
    // A control character never gets in (it could not be written into XML 1.0 at all): the
    // spec's error shape names the field.
    let (s, v) = file_open311(
        &c,
        &[
            ("service_code", "roads"),
            ("description", "路灯 \u{1} 不亮"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        v[0]["description"]
            .as_str()
            .is_some_and(|d| d.starts_with("description:")),
        "{v}"
    );
    let (s, v) = file_open311(
        &c,
        &[
            ("service_code", "roads"),
            ("address_string", "\"A&B\" <路口> ]]> 'x'"),
            (
                "description",
                "a < b && c > d ]]> &amp; <![CDATA[x]]> 'quote' \"dq\"",
            ),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let tracking = v[0]["service_request_id"].as_str().unwrap().to_string();
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
    let feed = c.get("/public/feed.atom").await.text().await.unwrap();
    let atom = r#"
import sys, xml.etree.ElementTree as E
ns = {"a": "http://www.w3.org/2005/Atom"}
root = E.fromstring(sys.stdin.buffer.read())
assert root.tag == "{http://www.w3.org/2005/Atom}feed", root.tag
for tag in ("a:id", "a:title", "a:updated", "a:author/a:name"):
    assert root.find(tag, ns) is not None, "feed lacks " + tag
entries = root.findall("a:entry", ns)
for e in entries:
    for tag in ("a:id", "a:title", "a:updated", "a:summary", "a:link"):
        assert e.find(tag, ns) is not None, "entry lacks " + tag
    assert e.find("a:id", ns).text.startswith("urn:"), "entry ids are absolute"
# The report just published (the newest) besides the demo's; the commitments' moments too.
reports = [e for e in entries if e.find("a:id", ns).text.startswith("urn:duban:public-request:")]
assert len(reports) >= 1, len(reports)
assert any(e.find("a:id", ns).text.startswith("urn:duban:commitment-event:") for e in entries)
text = reports[0].find("a:summary", ns).text
assert "a < b && c > d ]]>" in text, text
"#;
    python_xml_check(feed.clone(), atom)
        .await
        .unwrap_or_else(|e| panic!("the feed is not valid Atom: {e}\n{feed}"));
    let services = c
        .get("/open311/v2/services.xml")
        .await
        .text()
        .await
        .unwrap();
    let xml = r#"
import sys, xml.etree.ElementTree as E
root = E.fromstring(sys.stdin.buffer.read())
assert root.tag == "services"
assert all(s.find("service_code") is not None for s in root.findall("service"))
"#;
    python_xml_check(services.clone(), xml)
        .await
        .unwrap_or_else(|e| panic!("services.xml: {e}\n{services}"));
}
