//! Open311 GeoReport v2 (<https://wiki.open311.org/GeoReport_v2>) under `/open311/v2`: the
//! problem categories are the services, a posted request lands in the supervision office's
//! intake queue like a portal report, and its `service_request_id` is its tracking number.
//! Lists show published (accepted) requests only; one request read by its id shows its status
//! whatever the moderation, since only its reporter knows the id. Errors are the spec's
//! `[{"code": 400, "description": "…"}]` with the same HTTP status. Contact data is never
//! returned.

use crate::auth;
use crate::error::AppError;
use crate::service::public::{self as svc, PublicConfig};
use crate::state::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use duban_core::policy::Actor;
use duban_core::public::{Channel, ReportInput};
use duban_store::public::{PublicFilter, PublicRow};
use serde_json::{Value, json};
use std::net::SocketAddr;

/// Most requests in one list (the spec's suggested maximum).
const MAX_LIST: i64 = 1000;
/// Most ids in one `service_request_id` filter (each is a lookup).
const MAX_IDS: usize = 50;
/// Widest date range of a list, and the default window, in days (the spec's 90).
const MAX_DAYS: i64 = 90;

fn routes() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![
        ("GET", "/open311/v2/discovery.json", get(discovery)),
        ("GET", "/open311/v2/services.json", get(services_json)),
        ("GET", "/open311/v2/services.xml", get(services_xml)),
        (
            "GET",
            "/open311/v2/services/{file}",
            get(service_definition),
        ),
        (
            "GET",
            "/open311/v2/requests.json",
            get(list_requests).post(post_request),
        ),
        (
            "POST",
            "/open311/v2/requests.json",
            get(list_requests).post(post_request),
        ),
        ("GET", "/open311/v2/requests/{file}", get(get_request)),
    ]
}

/// Every Open311 route as (method, path template), for the policy matrix.
pub fn route_list() -> Vec<(&'static str, &'static str)> {
    routes().into_iter().map(|(m, p, _)| (m, p)).collect()
}

pub fn router() -> Router<AppState> {
    let mut seen = std::collections::HashSet::new();
    routes()
        .into_iter()
        .filter(|(_, path, _)| seen.insert(*path))
        .fold(Router::new(), |r, (_, path, handler)| {
            r.route(path, handler)
        })
}

/// An error in the spec's shape.
pub struct Open311Error {
    status: StatusCode,
    errors: Vec<String>,
}

impl Open311Error {
    fn new(status: StatusCode, description: impl Into<String>) -> Open311Error {
        Open311Error {
            status,
            errors: vec![description.into()],
        }
    }

    fn bad(description: impl Into<String>) -> Open311Error {
        Open311Error::new(StatusCode::BAD_REQUEST, description)
    }
}

impl From<AppError> for Open311Error {
    fn from(e: AppError) -> Self {
        let english = crate::i18n::Catalogs::english();
        match e {
            AppError::Invalid(fields) => Open311Error {
                status: StatusCode::BAD_REQUEST,
                errors: fields
                    .iter()
                    .map(|f| {
                        format!(
                            "{}: {}",
                            open311_field(f.field),
                            english.get(&format!("err.{}", f.code))
                        )
                    })
                    .collect(),
            },
            AppError::Internal(cause) => {
                tracing::error!(error = %cause, "open311 request failed");
                Open311Error::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    english.get("err.internal"),
                )
            }
            other => Open311Error::new(other.status(), english.get(other.message_key())),
        }
    }
}

/// Our field names in the spec's words.
fn open311_field(field: &str) -> &str {
    match field {
        "category" => "service_code",
        "address" => "address_string",
        "location" => "lat/long or address_string",
        "name" => "first_name/last_name",
        other => other,
    }
}

impl IntoResponse for Open311Error {
    fn into_response(self) -> Response {
        let code = self.status.as_u16();
        let body: Vec<Value> = self
            .errors
            .iter()
            .map(|d| json!({ "code": code, "description": d }))
            .collect();
        (self.status, json_headers(), Value::from(body).to_string()).into_response()
    }
}

fn json_headers() -> [(header::HeaderName, HeaderValue); 1] {
    [(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    )]
}

fn json_ok(status: StatusCode, v: Value) -> Response {
    (status, json_headers(), v.to_string()).into_response()
}

/// The file part of `/services/{code}.json` or `/requests/{id}.json`: JSON only.
fn json_name(file: &str) -> Result<&str, Open311Error> {
    file.strip_suffix(".json").ok_or_else(|| {
        Open311Error::new(
            StatusCode::NOT_FOUND,
            "only the .json format is offered here",
        )
    })
}

/// `GET /open311/v2/discovery.json`
async fn discovery(State(state): State<AppState>) -> Response {
    let base = state.config.notify.public_url.trim_end_matches('/');
    json_ok(
        StatusCode::OK,
        json!({
            "changeset": "2026-11-01T00:00:00Z",
            "contact": "supervision office (督查督办办公室)",
            "key_service": "",
            "endpoints": [{
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": format!("{base}/open311/v2"),
                "changeset": "2026-11-01T00:00:00Z",
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }],
        }),
    )
}

fn service_json(c: &duban_core::public::Category) -> Value {
    json!({
        "service_code": c.code,
        "service_name": c.name_zh,
        "description": c.name_en,
        "metadata": false,
        "type": "realtime",
        "keywords": "",
        "group": "",
    })
}

/// `GET /open311/v2/services.json`
async fn services_json(State(state): State<AppState>) -> Response {
    let list: Vec<Value> = state
        .config
        .public
        .categories
        .iter()
        .map(service_json)
        .collect();
    json_ok(StatusCode::OK, Value::from(list))
}

/// `GET /open311/v2/services.xml`
async fn services_xml(State(state): State<AppState>) -> Response {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<services>");
    for c in &state.config.public.categories {
        xml.push_str(&format!(
            "<service><service_code>{}</service_code><service_name>{}</service_name><description>{}</description><metadata>false</metadata><type>realtime</type><keywords></keywords><group></group></service>",
            xml_escape(&c.code),
            xml_escape(&c.name_zh),
            xml_escape(&c.name_en)
        ));
    }
    xml.push_str("</services>\n");
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/xml; charset=utf-8"),
        )],
        xml,
    )
        .into_response()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// `GET /open311/v2/services/{code}.json` — our services take no extra attributes.
async fn service_definition(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, Open311Error> {
    let code = json_name(&file)?;
    let c = state.config.public.category(code).ok_or_else(|| {
        Open311Error::new(
            StatusCode::NOT_FOUND,
            format!("no service with service_code {code}"),
        )
    })?;
    Ok(json_ok(
        StatusCode::OK,
        json!({ "service_code": c.code, "attributes": [] }),
    ))
}

/// `POST /open311/v2/requests.json` — form-encoded standard fields; unknown fields (such
/// as `attribute[…]`, `device_id`, `api_key`) are ignored.
async fn post_request(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Open311Error> {
    let address = auth::client_address(&headers, Some(peer), state.config.trust_proxy_headers);
    svc::check_rate(&state, &address).await?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|_| Open311Error::bad("the body must be application/x-www-form-urlencoded"))?;
    if let Err(e) = crate::input::check_pairs(&pairs) {
        let detail = crate::i18n::Catalogs::english().get(e.message_key());
        let field = match &e {
            AppError::BadText { field, .. } => field.as_str(),
            _ => "",
        };
        return Err(Open311Error::bad(format!("{field}: {detail}")));
    }
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    if field("service_code").trim().is_empty() {
        return Err(Open311Error::bad("service_code: is required"));
    }
    if !field("address_id").trim().is_empty()
        && field("address_string").trim().is_empty()
        && field("lat").is_empty()
    {
        return Err(Open311Error::bad(
            "address_id: not supported; send lat/long or address_string",
        ));
    }
    let name = format!(
        "{} {}",
        field("first_name").trim(),
        field("last_name").trim()
    );
    let (category, description, address_string, lat, long, email, phone, media_url) = (
        field("service_code"),
        field("description"),
        field("address_string"),
        field("lat"),
        field("long"),
        field("email"),
        field("phone"),
        field("media_url"),
    );
    let input = ReportInput {
        category: &category,
        description: &description,
        address: &address_string,
        lat: &lat,
        long: &long,
        email: &email,
        phone: &phone,
        name: name.trim(),
        media_url: &media_url,
    };
    let tracking = svc::submit(&state, &Actor::default(), &input, Channel::Open311, None).await?;
    Ok(json_ok(
        StatusCode::CREATED,
        json!([{
            "service_request_id": tracking.as_str(),
            "service_notice": "Received into the supervision office's intake queue; it is published once accepted.",
            "account_id": null,
        }]),
    ))
}

/// The query of `GET /open311/v2/requests.json`.
#[derive(Debug, Default, serde::Deserialize)]
pub struct RequestsQuery {
    #[serde(default)]
    service_request_id: String,
    #[serde(default)]
    service_code: String,
    #[serde(default)]
    start_date: String,
    #[serde(default)]
    end_date: String,
    #[serde(default)]
    status: String,
}

fn comma_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

fn parse_datetime(field: &str, raw: &str) -> Result<Option<jiff::Timestamp>, Open311Error> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<jiff::Timestamp>().map(Some).map_err(|_| {
        Open311Error::bad(format!(
            "{field}: must be a W3C date-time with a zone, e.g. 2026-11-05T08:15:30+08:00"
        ))
    })
}

/// `GET /open311/v2/requests.json`
async fn list_requests(
    State(state): State<AppState>,
    query: Result<Query<RequestsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Open311Error> {
    let Query(q) = query.map_err(|_| Open311Error::bad("the query string cannot be read"))?;
    let statuses = comma_list(&q.status);
    if let Some(bad) = statuses.iter().find(|s| *s != "open" && *s != "closed") {
        return Err(Open311Error::bad(format!(
            "status: {bad} is neither open nor closed"
        )));
    }
    let ids = comma_list(&q.service_request_id);
    let rows: Vec<PublicRow> = if ids.is_empty() {
        let mut from = parse_datetime("start_date", &q.start_date)?;
        let mut until = parse_datetime("end_date", &q.end_date)?;
        let span = jiff::SignedDuration::from_hours(24 * MAX_DAYS);
        match (from, until) {
            (Some(f), Some(u)) if u.duration_since(f) > span => {
                return Err(Open311Error::bad(
                    "start_date and end_date may not span more than 90 days",
                ));
            }
            (None, None) => from = Some(state.now() - span),
            (Some(f), None) => until = Some(f + span),
            (None, Some(u)) => from = Some(u - span),
            _ => {}
        }
        let filter = PublicFilter {
            tracking: vec![],
            categories: comma_list(&q.service_code),
            from,
            until,
            terms: None,
            by_update: false,
            limit: MAX_LIST,
        };
        svc::list_published(&state, &filter).await?
    } else {
        if ids.len() > MAX_IDS {
            return Err(Open311Error::bad(format!(
                "service_request_id: at most {MAX_IDS} ids at once"
            )));
        }
        let mut rows = Vec::new();
        for id in &ids {
            match svc::track(&state, id).await {
                Ok(r) => rows.push(r),
                Err(AppError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        rows
    };
    let list: Vec<Value> = rows
        .iter()
        .filter(|r| statuses.is_empty() || statuses.iter().any(|s| s == r.status.open311()))
        .map(|r| request_json(&state.config.public, &state.config.timezone, r))
        .collect();
    Ok(json_ok(StatusCode::OK, Value::from(list)))
}

/// `GET /open311/v2/requests/{id}.json`
async fn get_request(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, Open311Error> {
    let id = json_name(&file)?;
    let row = svc::track(&state, id).await.map_err(|e| match e {
        AppError::NotFound => {
            Open311Error::new(StatusCode::NOT_FOUND, format!("no service request {id}"))
        }
        other => other.into(),
    })?;
    Ok(json_ok(
        StatusCode::OK,
        Value::from(vec![request_json(
            &state.config.public,
            &state.config.timezone,
            &row,
        )]),
    ))
}

/// A service request in the spec's fields; public fields only.
fn request_json(config: &PublicConfig, tz: &jiff::tz::TimeZone, r: &PublicRow) -> Value {
    let w3c = |t: jiff::Timestamp| {
        t.to_zoned(tz.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    };
    json!({
        "service_request_id": r.tracking,
        "status": r.status.open311(),
        "status_notes": if r.notes.is_empty() { Value::Null } else { Value::from(r.notes.clone()) },
        "service_name": config.category(&r.category).map_or(r.category.clone(), |c| c.name_zh.clone()),
        "service_code": r.category,
        "description": r.description,
        "agency_responsible": "督查督办办公室",
        "service_notice": Value::Null,
        "requested_datetime": w3c(r.requested_at),
        "updated_datetime": w3c(r.updated_at),
        "expected_datetime": Value::Null,
        "address": r.address,
        "address_id": Value::Null,
        "zipcode": Value::Null,
        "lat": r.position.map(|p| p.0),
        "long": r.position.map(|p| p.1),
        "media_url": Value::Null,
    })
}
