//! The parts of the OpenAPI document no single handler owns: the `Problem` schema, the error
//! responses every operation can give (derived from its shape, so they cannot be forgotten on
//! the next route), and the guard that no two schemas take the same component name.
//!
//! What a handler knows best (a 403 "not an admin", a 422 "not allowed in this state") stays in
//! its own `#[utoipa::path]`; this module adds what follows from the extractors alone.

use crate::state::AppState;
use axum::Router;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::Response;
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Schema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

/// Media type of every error the API answers (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error, as every 4xx and 5xx of `/api` answers it (RFC 9457).
#[derive(Serialize, ToSchema)]
pub struct Problem {
    /// `https://duban.invalid/problems/<code>`: stable, for programs.
    #[serde(rename = "type")]
    pub kind: String,
    /// The kind of problem, in English.
    pub title: String,
    /// The HTTP status code.
    #[schema(minimum = 400, maximum = 599)]
    pub status: u16,
    /// What was wrong with this request (the field, the value, the bound).
    pub detail: Option<String>,
    /// Each field at fault (422, and 400 for query parameters).
    pub errors: Option<Vec<ProblemField>>,
}

/// One field at fault.
#[derive(Serialize, ToSchema)]
pub struct ProblemField {
    /// The field or parameter as sent (`per_page`, `indicators[0].target`).
    pub field: String,
    /// A stable code (`empty`, `bad_choice`, `per_page_range` …).
    pub code: String,
    /// The code explained, in English.
    pub detail: String,
    /// Uploads: the file the problem is in.
    pub file: Option<String>,
}

/// `OpenApiRouter` that also notices when two different schemas claim one component name:
/// utoipa keeps one of them silently, and the other body is then documented wrongly.
pub struct Routes {
    router: OpenApiRouter<AppState>,
    seen: BTreeMap<String, RefOr<Schema>>,
    clashes: Vec<String>,
}

impl Routes {
    pub fn new(doc: OpenApi) -> Routes {
        let seen = doc
            .components
            .as_ref()
            .map(|c| c.schemas.clone().into_iter().collect())
            .unwrap_or_default();
        Routes {
            router: OpenApiRouter::with_openapi(doc),
            seen,
            clashes: Vec::new(),
        }
    }

    pub fn routes(mut self, route: UtoipaMethodRouter<AppState>) -> Routes {
        for (name, schema) in &route.0 {
            match self.seen.get(name) {
                Some(before) if before != schema => {
                    if !self.clashes.contains(name) {
                        self.clashes.push(name.clone());
                    }
                }
                Some(_) => {}
                None => {
                    self.seen.insert(name.clone(), schema.clone());
                }
            }
        }
        self.router = self.router.routes(route);
        self
    }

    pub fn split_for_parts(self) -> (Router<AppState>, OpenApi, Vec<String>) {
        let (router, doc) = self.router.split_for_parts();
        (router, doc, self.clashes)
    }
}

/// String fields the server checks against a closed list, with the list taken from what
/// parses them, so the document cannot drift from the check. An unknown value is a 422
/// `bad_choice` naming the field.
fn choices() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    use crate::service::cases::steps::StepKind;
    use duban_core::cases::facts::{CaseKind, Source, Urgency};
    use duban_core::cases::state::Rating;
    use duban_core::commitments::evaluation::Verdict;
    vec![
        (
            "CaseStepInput",
            "step",
            StepKind::ALL.iter().map(|k| k.as_str()).collect(),
        ),
        (
            "CaseStepInput",
            "rating",
            Rating::ALL.iter().map(|r| r.as_str()).collect(),
        ),
        (
            "CaseInput",
            "kind",
            CaseKind::ALL.iter().map(|k| k.as_str()).collect(),
        ),
        (
            "CaseInput",
            "source",
            Source::ALL.iter().map(|s| s.as_str()).collect(),
        ),
        (
            "CaseInput",
            "urgency",
            Urgency::ALL.iter().map(|u| u.as_str()).collect(),
        ),
        (
            "CommitmentStepInput",
            "step",
            crate::service::commitments::STEPS
                .iter()
                .map(|(name, _)| *name)
                .collect(),
        ),
        (
            "EvaluationInput",
            "verdict",
            Verdict::ALL.iter().map(|v| v.as_str()).collect(),
        ),
    ]
}

fn add_choices(doc: &mut OpenApi) {
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    for (schema, field, values) in choices() {
        let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(schema) else {
            panic!("choices for `{schema}`, which is not an object schema in the document");
        };
        let Some(RefOr::T(Schema::Object(property))) = object.properties.get_mut(field) else {
            panic!("choices for `{schema}.{field}`, which is not a string property");
        };
        property.enum_values = Some(values.into_iter().map(Into::into).collect());
    }
}

/// Adds to every operation the errors its extractors can answer, each as problem+json:
/// 400 (unreadable path, query or body), 401 and 403 (when it needs credentials; a session
/// write without `X-CSRF-Token` is a 403 too), 404 (an id in the path), 413 and 422 (a body).
/// Responses a handler described keep their words; any left without a description get one.
pub fn complete(doc: &mut OpenApi) {
    add_choices(doc);
    for (path, item) in doc.paths.paths.iter_mut() {
        let has_id = path.contains('{');
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
            &mut item.head,
        ]
        .into_iter()
        .flatten()
        {
            complete_operation(op, has_id);
        }
    }
}

fn complete_operation(op: &mut Operation, has_id: bool) {
    let has_params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
    // An id in the query (`?unit=…`) that names no record is a 404 like one in the path.
    let id_in_query = op.parameters.iter().flatten().any(|p| {
        let RefOr::T(p) = p else { return false };
        let integer = serde_json::to_value(&p.schema)
            .is_ok_and(|v| v["type"] == "integer" || v["type"][0] == "integer");
        integer && !matches!(p.name.as_str(), "page" | "per_page" | "limit" | "year")
    });
    if let Some(RefOr::T(body)) = op.request_body.as_mut() {
        for (media_type, content) in body.content.iter_mut() {
            if let (false, RefOr::T(content)) = (is_structured(media_type), content) {
                content.schema = Some(binary());
            }
        }
    }
    let has_body = op.request_body.is_some();
    let secured = op.security.as_ref().is_some_and(|reqs| {
        !reqs.is_empty()
            && reqs
                .iter()
                .all(|r| serde_json::to_value(r).is_ok_and(|v| v != serde_json::json!({})))
    });
    let mut wanted: Vec<(&str, &str)> = Vec::new();
    if has_params || has_body || has_id {
        wanted.push((
            "400",
            "the request cannot be read: a path or query parameter that does not parse or is out of range, or a malformed body",
        ));
    }
    if secured {
        wanted.push(("401", "no valid bearer token or session"));
        wanted.push((
            "403",
            "refused by the policy (role, scope, a locked record), or a session write without a matching X-CSRF-Token header",
        ));
    }
    if has_id || id_in_query {
        wanted.push(("404", "no such record (or not visible to you)"));
    }
    if has_body {
        wanted.push(("413", "the body is larger than this route accepts"));
        wanted.push((
            "422",
            "the body was read but a field is not valid (`errors` names each)",
        ));
    }
    let responses = &mut op.responses.responses;
    for (status, description) in wanted {
        responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::T(Response::new(description)));
    }
    for (status, response) in responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        let error = status.starts_with('4') || status.starts_with('5');
        if response.description.trim().is_empty() {
            response.description = default_description(status).to_string();
        }
        if error {
            response.content = [(
                PROBLEM_JSON.to_string(),
                RefOr::T(Content::new(Some(Ref::from_schema_name("Problem")))),
            )]
            .into_iter()
            .collect();
        }
    }
}

/// JSON and form bodies have a schema of their own; anything else (an .xlsx) is raw bytes.
fn is_structured(media_type: &str) -> bool {
    media_type.contains("json") || media_type.starts_with("multipart/")
}

/// A raw body: a string of bytes (`format: binary`), not an array of integers.
fn binary() -> RefOr<Schema> {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
        .into()
}

fn default_description(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "created",
        "204" => "done; no content",
        "400" => "the request cannot be read",
        "401" => "not signed in",
        "403" => "refused",
        "404" => "no such record",
        "413" => "the body is too large",
        "422" => "a field is not valid",
        "429" => "too many requests; try again later",
        _ => "see the status code",
    }
}
