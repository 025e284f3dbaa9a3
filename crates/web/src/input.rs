//! Every text a request submits — form fields, JSON strings and keys, query parameters, file
//! names — passes [`duban_core::text::refused`] here, before any handler parses it, so no
//! route can forget to: a NUL, a control character or a bidi override is a 422 naming the
//! field (400 in a query string), on SQLite and PostgreSQL alike.

use crate::error::{ApiError, AppError};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use duban_core::text::{refused, refused_char};

/// Form pairs (urlencoded or multipart fields): the first refused one, as an error.
pub fn check_pairs(pairs: &[(String, String)]) -> Result<(), AppError> {
    for (k, v) in pairs {
        if let Some(r) = refused(k).or_else(|| refused(v)) {
            return Err(AppError::BadText {
                field: printable(k),
                code: r.code(),
            });
        }
    }
    Ok(())
}

/// A file's name as sent.
pub fn check_file_name(name: &str) -> Result<(), AppError> {
    match refused(name) {
        Some(r) => Err(AppError::BadText {
            field: "files".into(),
            code: r.code(),
        }),
        None => Ok(()),
    }
}

/// A parsed JSON body: every key and string, named by its path (`indicators[0].name`).
pub fn check_json(value: &serde_json::Value) -> Result<(), AppError> {
    walk(value, &mut String::new())
}

fn walk(v: &serde_json::Value, path: &mut String) -> Result<(), AppError> {
    use serde_json::Value;
    match v {
        Value::String(s) => match refused(s) {
            Some(r) => Err(AppError::BadText {
                field: if path.is_empty() {
                    "body".into()
                } else {
                    path.clone()
                },
                code: r.code(),
            }),
            None => Ok(()),
        },
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(item, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        Value::Object(map) => {
            for (k, item) in map {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&printable(k));
                if let Some(r) = refused(k) {
                    return Err(AppError::BadText {
                        field: path.clone(),
                        code: r.code(),
                    });
                }
                walk(item, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A field name fit to show back: refused characters become `?`, and it is cut at 64.
fn printable(name: &str) -> String {
    name.chars()
        .take(64)
        .map(|c| if refused_char(c).is_some() { '?' } else { c })
        .collect()
}

/// A query string with a refused character, as the 400 to answer.
fn query_problem(req: &Request) -> Option<AppError> {
    let pairs = serde_urlencoded::from_str::<Vec<(String, String)>>(req.uri().query()?).ok()?;
    match check_pairs(&pairs) {
        Err(AppError::BadText { field, code }) => Some(AppError::BadTextQuery { field, code }),
        _ => None,
    }
}

/// Middleware of the machine-facing routes (`/api/`, `/transparency/`, `/open311/`): a query
/// string with a refused character is a 400 problem naming the parameter. Pages have their
/// own layer, inside the one that renders error pages.
pub async fn check_query_api(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let machine = ["/api/", "/transparency/", "/open311/"]
        .iter()
        .any(|p| path.starts_with(p));
    match machine.then(|| query_problem(&req)).flatten() {
        Some(e) => ApiError(e).into_response(),
        None => next.run(req).await,
    }
}

/// Middleware of the pages: the same check, answered with the error page naming the field.
pub async fn check_query_pages(req: Request, next: Next) -> Response {
    match query_problem(&req) {
        Some(e) => e.into_response(),
        None => next.run(req).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(r: Result<(), AppError>) -> Option<(String, &'static str)> {
        match r {
            Err(AppError::BadText { field, code }) => Some((field, code)),
            _ => None,
        }
    }

    #[test]
    fn json_strings_and_keys_are_named_by_their_path() {
        let body = br#"{"title":"ok","indicators":[{"name":"x"},{"name":"a\u0000b"}]}"#;
        let json = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).expect("json");
        assert_eq!(
            field_of(check_json(&json(body))),
            Some(("indicators[1].name".into(), "text_nul"))
        );
        assert_eq!(
            field_of(check_json(&json("{\"a\u{202E}\":1}".as_bytes()))),
            Some(("a?".into(), "text_bidi"))
        );
        assert!(check_json(&json(br#"{"title":"\u6807\u9898\n\t"}"#)).is_ok());
    }

    #[test]
    fn form_pairs_and_file_names_are_checked() {
        let pairs = vec![
            ("title".to_string(), "好".to_string()),
            ("body".to_string(), "ding\u{7}".to_string()),
        ];
        assert_eq!(
            field_of(check_pairs(&pairs)),
            Some(("body".into(), "text_control"))
        );
        assert_eq!(
            field_of(check_file_name("photo\u{202E}gnp.exe")),
            Some(("files".into(), "text_bidi"))
        );
    }
}
