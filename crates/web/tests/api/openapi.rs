//! The API as a client generator sees it: a document openapi-spec-validator accepts (checked
//! here for what it would flag; `scripts/check-openapi.sh` runs the real validator over the
//! file the first test writes), and a server that answers every 4xx as problem+json.

use crate::helpers::{TestApp, backends};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

const METHODS: [&str; 6] = ["get", "put", "post", "delete", "patch", "head"];

fn document() -> Value {
    serde_json::to_value(duban_web::openapi()).expect("the document serialises")
}

/// Every operation as (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for m in METHODS {
            if let Some(op) = item.get(m) {
                ops.push((m.to_string(), path.clone(), op.clone()));
            }
        }
    }
    ops
}

/// Every `$ref` anywhere in the document.
fn refs(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => {
                        out.insert(r.clone());
                    }
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn the_openapi_document_is_one_a_generator_can_use() {
    let doc = document();
    // For scripts/check-openapi.sh, which runs openapi-spec-validator over it.
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("openapi.json");
    std::fs::write(&out, serde_json::to_string_pretty(&doc).unwrap()).expect("write document");

    assert!(
        duban_web::openapi_schema_clashes().is_empty(),
        "schemas sharing a component name: {:?}",
        duban_web::openapi_schema_clashes()
    );
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    let mut problems = Vec::new();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for (method, path, op) in operations(&doc) {
        let at = format!("{} {path}", method.to_uppercase());
        match op["operationId"].as_str() {
            None => problems.push(format!("{at}: no operationId")),
            Some(id) => {
                if let Some(other) = ids.insert(id.to_string(), at.clone()) {
                    problems.push(format!("{at}: operationId `{id}` also names {other}"));
                }
            }
        }
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        let mut seen = BTreeSet::new();
        for p in &params {
            if !seen.insert((p["name"].to_string(), p["in"].to_string())) {
                problems.push(format!("{at}: parameter {} twice", p["name"]));
            }
        }
        let in_path: BTreeSet<String> = params
            .iter()
            .filter(|p| p["in"] == "path")
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect();
        let in_template: BTreeSet<String> = path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name.to_string()))
            .collect();
        if in_path != in_template {
            problems.push(format!(
                "{at}: path parameters {in_path:?}, template names {in_template:?}"
            ));
        }
        let responses = op["responses"].as_object().expect("responses");
        for (status, r) in responses {
            if r["description"]
                .as_str()
                .is_none_or(|d| d.trim().is_empty())
            {
                problems.push(format!("{at}: response {status} has no description"));
            }
            if status.starts_with('4') || status.starts_with('5') {
                let content = r["content"].as_object();
                let only_problem = content.is_some_and(|c| {
                    c.len() == 1
                        && c["application/problem+json"]["schema"]["$ref"]
                            == "#/components/schemas/Problem"
                });
                if !only_problem {
                    problems.push(format!("{at}: {status} is not a Problem"));
                }
            }
        }
        let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
        let has_body = op.get("requestBody").is_some();
        let has_params = op["parameters"].as_array().is_some_and(|p| !p.is_empty());
        let mut wanted = Vec::new();
        if secured {
            wanted.extend(["401", "403"]);
        }
        if path.contains('{') {
            wanted.extend(["400", "404"]);
        }
        if has_body {
            wanted.extend(["400", "413", "422"]);
        }
        if has_params {
            wanted.push("400");
        }
        for status in wanted {
            if !responses.contains_key(status) {
                problems.push(format!("{at}: {status} undocumented"));
            }
        }
    }
    let mut all_refs = BTreeSet::new();
    refs(&doc, &mut all_refs);
    for r in all_refs {
        let known = r
            .strip_prefix("#/components/schemas/")
            .is_some_and(|name| schemas.contains_key(name));
        if !known {
            problems.push(format!("dangling $ref {r}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The two step bodies are different schemas, each where it belongs.
    let body = |path: &str| {
        doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            .clone()
    };
    assert_eq!(
        body("/api/v1/cases/{id}/steps"),
        "#/components/schemas/CaseStepInput"
    );
    assert_eq!(
        body("/api/v1/commitments/{id}/steps"),
        "#/components/schemas/CommitmentStepInput"
    );
    assert!(schemas["CaseStepInput"]["properties"]["lead_unit_id"].is_object());
    assert!(schemas["CommitmentStepInput"]["properties"]["lead_unit_id"].is_null());
    // The bounds the server enforces are in the document.
    let per_page = doc["paths"]["/api/v1/tasks"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "per_page")
        .expect("per_page")
        .clone();
    assert_eq!(per_page["schema"]["minimum"], 1, "{per_page}");
    assert_eq!(per_page["schema"]["maximum"], 200, "{per_page}");
    // A sheet is uploaded as raw bytes, not as an array of numbers.
    let sheet = &doc["paths"]["/api/v1/imports"]["post"]["requestBody"]["content"]["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
        ["schema"];
    assert_eq!(sheet["format"], "binary", "{sheet}");
    // A unit id in the query that names no unit is a 404 (people?unit=…).
    assert!(doc["paths"]["/api/v1/people"]["get"]["responses"]["404"].is_object());
}

/// Status, content type and body of a GET with the client's session.
async fn get(c: &crate::helpers::Client, path: &str) -> (StatusCode, String, Value) {
    let res = c.get(path).await;
    let status = res.status();
    let ct = res.headers()["content-type"].to_str().unwrap().to_string();
    let body = res.json().await.unwrap_or(Value::Null);
    (status, ct, body)
}

#[tokio::test]
async fn unreadable_path_and_query_parameters_are_problems_naming_them() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let c = app.signed_in("dkb2").await;
        for path in [
            "/api/v1/tasks/abc",
            "/api/v1/units/1.5",
            "/api/v1/cases/99999999999999999999",
            "/api/v1/cases/1/documents/x",
        ] {
            let (status, ct, body) = get(&c, path).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
            assert_eq!(ct, "application/problem+json", "{path}");
            assert_eq!(body["status"], 400, "{path}");
            assert!(
                body["detail"].as_str().unwrap().contains("Cannot parse"),
                "{path}: {body}"
            );
        }
        let (status, ct, body) = get(&c, "/api/v1/inbox?before=soon").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(ct, "application/problem+json");
        assert!(
            body["detail"].as_str().unwrap().contains("before"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn paging_out_of_range_is_a_400_naming_the_parameter() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let c = app.signed_in("dkb2").await;
        for (path, field) in [
            ("/api/v1/tasks?per_page=0", "per_page"),
            ("/api/v1/tasks?per_page=201", "per_page"),
            ("/api/v1/tasks?page=0", "page"),
            ("/api/v1/tasks?page=-3&per_page=10", "page"),
            ("/api/v1/cases?per_page=1000", "per_page"),
            ("/api/v1/cases?page=0", "page"),
            ("/api/v1/people?per_page=0", "per_page"),
            ("/api/v1/inbox?limit=500", "limit"),
            ("/api/v1/search?q=道路&per_page=101", "per_page"),
            ("/api/v1/search?q=道路&page=0", "page"),
        ] {
            let (status, ct, body) = get(&c, path).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
            assert_eq!(ct, "application/problem+json", "{path}");
            assert_eq!(body["errors"][0]["field"], field, "{path}: {body}");
            assert!(
                body["detail"].as_str().unwrap().starts_with(field),
                "{path}: {body}"
            );
        }
        let (status, _, body) = get(&c, "/api/v1/tasks?page=2&per_page=200").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["per_page"], 200);
        assert_eq!(body["page"], 2);
        for list in ["tasks", "cases"] {
            let (status, _, body) = get(&c, &format!("/api/v1/{list}?per_page=1")).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            assert_eq!(body["per_page"], 1, "{list}");
            assert_eq!(body["items"].as_array().unwrap().len(), 1, "{list}");
            assert!(body["total"].as_i64().unwrap() > 1, "{list}");
        }
    }
}

#[tokio::test]
async fn a_session_write_without_the_csrf_header_is_told_so_in_words() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let c = app.signed_in("admin").await;
        let before = app.ledger_len().await;
        let body = json!({"code": "xfj", "name": "信访局", "kind": "department"});
        let res = c
            .http
            .post(c.url("/api/v1/units"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        let problem: Value = res.json().await.unwrap();
        assert_eq!(
            problem["detail"], "missing X-CSRF-Token header",
            "{problem}"
        );
        assert!(
            !problem.to_string().contains("expired"),
            "not a page that expired: {problem}"
        );
        let res = c
            .http
            .post(c.url("/api/v1/units"))
            .header("x-csrf-token", "forged")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let problem: Value = res.json().await.unwrap();
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("does not match"),
            "{problem}"
        );
        assert_eq!(app.ledger_len().await, before, "nothing written");
        let (status, v) = c.api(Method::POST, "/api/v1/units", Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
    }
}

#[tokio::test]
async fn a_refused_case_step_speaks_of_the_case_not_a_task() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let office = app.signed_in("dkb2").await;
        let (s, v) = office
            .api(
                Method::POST,
                "/api/v1/cases",
                Some(json!({"source": "instruction", "title": "路灯维修", "content": "批示内容"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let id = v["id"].as_i64().unwrap();
        let (s, v) = office
            .api(
                Method::POST,
                &format!("/api/v1/cases/{id}/steps"),
                Some(json!({"step": "verify_ok"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(v["errors"][0]["field"], "step", "{v}");
        assert_eq!(v["errors"][0]["code"], "wrong_state", "{v}");
        let text = v.to_string().to_lowercase();
        assert!(!text.contains("task"), "{v}");
    }
}
