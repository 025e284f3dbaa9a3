//! One error type for the web layer. Pages turn it into an error page (rendered by the
//! `error_pages` middleware, which knows the language) or a sign-in redirect; the API wraps
//! it in [`ApiError`] and writes RFC 9457 `application/problem+json`. A 5xx never shows its
//! cause: the cause goes into the response extensions and is logged once by the middleware.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::org::OrgError;
use duban_core::policy::Denied;
use duban_store::StoreError;

/// A problem with one input field: the field name and a catalog key (`err.<code>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
}

impl FieldError {
    pub fn new(field: &'static str, code: &'static str) -> FieldError {
        FieldError { field, code }
    }

    pub fn from_org(field: &'static str, e: &OrgError) -> FieldError {
        let code = match e {
            OrgError::Empty => "empty",
            OrgError::TooLong { .. } => "too_long",
            OrgError::BadCode => "bad_code",
            OrgError::BadMobile => "bad_mobile",
            OrgError::BadUsername => "bad_username",
            OrgError::EndsBeforeStart => "ends_before_start",
        };
        FieldError { field, code }
    }
}

#[derive(Debug)]
pub enum AppError {
    NotSignedIn,
    Forbidden(Denied),
    NotFound,
    /// Invalid input: every problem at once.
    Invalid(Vec<FieldError>),
    /// A malformed request (body that does not parse, a missing CSRF token), in words.
    BadRequest(String),
    /// A query-string parameter that cannot be used (an empty search): a 400 naming the field,
    /// where `Invalid` (422) is for submitted data.
    BadQuery(FieldError),
    CsrfMismatch,
    /// An API write on a session cookie without a matching `X-CSRF-Token`: what was wrong
    /// with the header, in words (a program, not a person with a page, reads it).
    CsrfHeader(&'static str),
    TooLarge,
    TooManyAttempts,
    /// Too many public submissions from this address or from everyone this minute.
    RateLimited,
    /// An uploaded file refused: which file, and why.
    FileRefused(FileRefusal),
    /// A submitted text with a character no field may hold (NUL, a control character, a bidi
    /// override): the field as sent and `text_*` (`duban_core::text::Refused::code`).
    BadText {
        field: String,
        code: &'static str,
    },
    /// The same in a query string (400, like other unusable parameters).
    BadTextQuery {
        field: String,
        code: &'static str,
    },
    /// An uploaded sheet past a bound of the sheet readers (`duban_docs::Limits`): 422 with
    /// the bound named, in Chinese and English.
    SheetRefused(String),
    /// One item of a batch (a report of a batch review) could not take the step: the batch is
    /// refused, naming the item, with what was wrong with it.
    InBatch {
        report: i64,
        inner: Box<AppError>,
    },
    Internal(String),
}

/// An uploaded file that was refused, with the name it was sent under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRefusal {
    pub file: String,
    pub refusal: duban_core::attachments::Refusal,
}

impl FileRefusal {
    /// `「name」：reason` in the catalog's language (`err.file_type` …; `{limit}` filled in).
    pub fn text(&self, t: impl Fn(&str) -> String) -> String {
        use duban_core::attachments::Refusal;
        let limit = match self.refusal {
            Refusal::TooLarge { limit } => format!("{} MiB", limit.div_ceil(1024 * 1024)),
            Refusal::TooMany { limit } => limit.to_string(),
            _ => String::new(),
        };
        let reason = t(&format!("err.{}", self.refusal.code())).replace("{limit}", &limit);
        format!(
            "{}{}",
            t("err.file_named").replace("{file}", &self.file),
            reason
        )
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotSignedIn => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) | AppError::CsrfMismatch | AppError::CsrfHeader(_) => {
                StatusCode::FORBIDDEN
            }
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Invalid(_) | AppError::BadText { .. } | AppError::SheetRefused(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            AppError::BadRequest(_) | AppError::BadQuery(_) | AppError::BadTextQuery { .. } => {
                StatusCode::BAD_REQUEST
            }
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyAttempts | AppError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            AppError::FileRefused(r) => match r.refusal {
                duban_core::attachments::Refusal::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            },
            AppError::InBatch { inner, .. } => inner.status(),
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The catalog key of the message a person sees.
    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::NotSignedIn => "err.not_signed_in",
            AppError::Forbidden(Denied::NotSignedIn) => "err.not_signed_in",
            AppError::Forbidden(Denied::Role) => "err.forbidden_role",
            AppError::Forbidden(Denied::OutOfScope) => "err.out_of_scope",
            AppError::Forbidden(Denied::Inactive) => "err.inactive",
            AppError::Forbidden(Denied::Locked) => "err.locked",
            AppError::Forbidden(Denied::NotNamed) => "err.not_named",
            AppError::NotFound => "err.not_found",
            AppError::Invalid(_) => "err.invalid",
            AppError::BadRequest(_) | AppError::BadQuery(_) => "err.bad_request",
            AppError::CsrfMismatch => "err.csrf",
            AppError::CsrfHeader(_) => "err.csrf_header",
            AppError::TooLarge => "err.too_large",
            AppError::TooManyAttempts => "err.too_many_attempts",
            AppError::RateLimited => "err.rate_limited",
            AppError::FileRefused(_) => "err.file_refused",
            AppError::BadText { code, .. } | AppError::BadTextQuery { code, .. } => match *code {
                "text_nul" => "err.text_nul",
                "text_control" => "err.text_control",
                _ => "err.text_bidi",
            },
            AppError::SheetRefused(_) => "err.sheet_refused",
            AppError::InBatch { inner, .. } => inner.message_key(),
            AppError::Internal(_) => "err.internal",
        }
    }
}

impl From<Denied> for AppError {
    fn from(d: Denied) -> Self {
        match d {
            Denied::NotSignedIn => AppError::NotSignedIn,
            other => AppError::Forbidden(other),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { constraint } => {
                AppError::Invalid(vec![conflict_field(&constraint)])
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

/// Maps a unique constraint to the form field a person can change.
fn conflict_field(constraint: &str) -> FieldError {
    let field = match constraint {
        "units_code_key" => "code",
        "users_username_key" => "username",
        "people_mobile_key" => "mobile",
        "users_person_id_key" => "username",
        "sections_unit_id_name_key" => "name",
        "tasks_year_lead_unit_id_path_key" => "path",
        "campaigns_year_code_key" => "code",
        "unit_aliases_pkey" | "unit_aliases_alias_key" => "alias",
        "person_aliases_pkey" | "person_aliases_alias_key" => "alias",
        c if c.ends_with("_state_changed") || c == "progress_reports_task_id_period_key" => {
            return FieldError::new("state", "stale");
        }
        _ => "form",
    };
    FieldError {
        field,
        code: "taken",
    }
}

/// Marks a page response that the `error_pages` middleware renders in the visitor's language.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub key: &'static str,
    /// The field the problem is in, when one is to blame (shown under the message).
    pub field: Option<String>,
}

/// The cause of a 5xx, for the request log only.
#[derive(Debug, Clone)]
pub struct InternalCause(pub String);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::NotSignedIn = self {
            return Redirect::to("/login").into_response();
        }
        let mut res = self.status().into_response();
        res.extensions_mut().insert(ErrorPage {
            key: self.message_key(),
            field: match &self {
                AppError::BadText { field, .. } | AppError::BadTextQuery { field, .. } => {
                    Some(field.clone())
                }
                _ => None,
            },
        });
        if let AppError::Internal(cause) = self {
            res.extensions_mut().insert(InternalCause(cause));
        }
        res
    }
}

/// An error answered as `application/problem+json` (API routes).
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (e, report) = match self.0 {
            AppError::InBatch { report, inner } => (*inner, Some(report)),
            e => (e, None),
        };
        let status = e.status();
        let catalogs = crate::i18n::Catalogs::english();
        let mut body = serde_json::json!({
            "type": format!("https://duban.invalid/problems/{}", e.message_key().trim_start_matches("err.")),
            "title": catalogs.get(e.message_key()),
            "status": status.as_u16(),
        });
        match &e {
            AppError::Invalid(fields) => {
                let errors: Vec<_> = fields
                    .iter()
                    .map(|f| {
                        let key = format!("err.{}", f.code);
                        serde_json::json!({ "field": f.field, "code": f.code, "detail": catalogs.get(&key) })
                    })
                    .collect();
                body["errors"] = errors.into();
                if let Some(first) = fields.first() {
                    body["detail"] = format!(
                        "{}: {}",
                        first.field,
                        catalogs.get(&format!("err.{}", first.code))
                    )
                    .into();
                }
            }
            AppError::BadRequest(detail) | AppError::SheetRefused(detail) => {
                body["detail"] = detail.clone().into()
            }
            AppError::CsrfHeader(detail) => body["detail"] = (*detail).into(),
            AppError::BadQuery(f) => {
                let key = format!("err.{}", f.code);
                let detail = catalogs.get(&key);
                body["errors"] =
                    serde_json::json!([{ "field": f.field, "code": f.code, "detail": detail }]);
                body["detail"] = format!("{}: {detail}", f.field).into();
            }
            AppError::BadText { field, code } | AppError::BadTextQuery { field, code } => {
                let detail = catalogs.get(e.message_key());
                body["errors"] =
                    serde_json::json!([{ "field": field, "code": code, "detail": detail }]);
                body["detail"] = format!("{field}: {detail}").into();
            }
            AppError::FileRefused(r) => {
                let detail = r.text(|k| catalogs.get(k).to_string());
                body["errors"] = serde_json::json!([{
                    "field": "files", "file": r.file, "code": r.refusal.code(), "detail": detail,
                }]);
                body["detail"] = detail.into();
            }
            _ => {}
        }
        if let Some(report) = report {
            // The batch was refused because of this report: say which, first.
            let detail = body["detail"].as_str().unwrap_or_default().to_string();
            body["report"] = report.into();
            body["detail"] = format!("report {report}: {detail}")
                .trim_end_matches(": ")
                .into();
        }
        let mut res = (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body.to_string(),
        )
            .into_response();
        if let AppError::Internal(cause) = e {
            res.extensions_mut().insert(InternalCause(cause));
        }
        res
    }
}

/// After a small form fails validation, back to `url` with the first problem named
/// (`err=field.code`, shown by the page); other errors render as usual.
pub fn back_with_problem(url: &str, e: AppError) -> Result<Response, AppError> {
    match e {
        AppError::Invalid(fields) if !fields.is_empty() => {
            let f = &fields[0];
            let flag = format!("err={}.{}", f.field, f.code);
            Ok(Redirect::to(&with_flag(url, &flag)).into_response())
        }
        other => Err(other),
    }
}

/// `url` with `flag` added to its query (`?flag`, or `&flag` when it has one already).
pub fn with_flag(url: &str, flag: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{flag}")
}

#[cfg(test)]
mod tests {
    use super::with_flag;

    #[test]
    fn a_flag_joins_the_query_the_url_already_has() {
        assert_eq!(with_flag("/joint/3", "err=a.b"), "/joint/3?err=a.b");
        assert_eq!(
            with_flag("/assessment/scheme?year=2026", "err=reason.reason_required"),
            "/assessment/scheme?year=2026&err=reason.reason_required"
        );
    }
}
