//! The auditor's ledger: reading the audit ledger page by page with filters and names, one
//! entry with its before/after compared field by field, and exports of a filtered range
//! (.xlsx to read, JSON lines to verify offline with `duban verify --ledger-export`).
//!
//! Every call asks the policy for [`Action::ViewLedger`] (office, admin, auditor). Nothing
//! here writes. Filters are described in `duban_store::ledger::browse`.

use crate::error::AppError;
use crate::state::AppState;
use duban_core::org::UnitId;
use duban_core::policy::{Action, Actor, Object, decide};
use duban_store::ledger::{self as store, ActorFilter, LedgerFilter, NamedEntry};
use serde::{Deserialize, Serialize};

/// Entries per page on the page (the API takes `per_page`).
pub const PAGE_SIZE: i64 = 50;
/// The most entries one export holds; a wider range is refused with the count, so the
/// reader narrows it (by time, most simply) instead of getting a silently cut file.
pub const EXPORT_MAX_ROWS: i64 = 20_000;

/// The ledger's filters as query parameters, all optional; blank values are ignored.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    /// The acting account's id, or `system` for entries written without one.
    pub actor: Option<String>,
    /// A unit id: entries by its people or about it, its sections, posts, people, the tasks,
    /// cases and projects it leads, its commitments and reports.
    pub unit: Option<String>,
    /// The object type, e.g. `case`, `task`, `unit`.
    pub object_type: Option<String>,
    /// The object id (with `object_type`).
    pub object_id: Option<String>,
    /// Actions starting with this text, e.g. `case.` or `user.create`.
    pub action: Option<String>,
    /// From this date (inclusive, YYYY-MM-DD in the city's time zone).
    pub from: Option<String>,
    /// To this date (inclusive, YYYY-MM-DD in the city's time zone).
    pub to: Option<String>,
    /// Entries up to this seq only, so the pages of one listing stay the same while new
    /// entries arrive (every list answer says which `upto` it used).
    pub upto: Option<String>,
    /// The page (pages only; the API takes `page` and `per_page`).
    #[param(ignore)]
    pub page: Option<i64>,
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn bad(name: &str, v: &str) -> AppError {
    AppError::BadRequest(format!("`{name}`: `{v}` is not a valid value"))
}

fn number(name: &str, v: Option<&str>) -> Result<Option<i64>, AppError> {
    v.map(|v| v.parse::<i64>().map_err(|_| bad(name, v)))
        .transpose()
}

impl LedgerQuery {
    /// The store filter, or the first unusable value as a 400 naming it.
    pub fn to_filter(&self, tz: &jiff::tz::TimeZone) -> Result<LedgerFilter, AppError> {
        let actor = match blank(&self.actor) {
            None => None,
            Some("system") => Some(ActorFilter::System),
            Some(v) => Some(ActorFilter::User(v.parse().map_err(|_| bad("actor", v))?)),
        };
        let day = |name: &str, v: Option<&str>| -> Result<Option<i64>, AppError> {
            let Some(v) = v else { return Ok(None) };
            let date: jiff::civil::Date = v.parse().map_err(|_| bad(name, v))?;
            let date = if name == "to" {
                date.tomorrow().map_err(|_| bad(name, v))?
            } else {
                date
            };
            let start = date.to_zoned(tz.clone()).map_err(|_| bad(name, v))?;
            Ok(Some(start.timestamp().as_microsecond()))
        };
        let object_type = blank(&self.object_type).map(str::to_string);
        if let Some(t) = &object_type
            && !t.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        {
            return Err(bad("object_type", t));
        }
        let f = LedgerFilter {
            actor,
            unit: number("unit", blank(&self.unit))?.map(UnitId),
            object_type,
            object_id: number("object_id", blank(&self.object_id))?,
            action_prefix: blank(&self.action).map(str::to_string),
            from_us: day("from", blank(&self.from))?,
            to_us: day("to", blank(&self.to))?,
            upto: number("upto", blank(&self.upto))?,
        };
        if let (Some(a), Some(b)) = (f.from_us, f.to_us)
            && b <= a
        {
            return Err(AppError::BadRequest(
                "`to`: the end date is before the start date".into(),
            ));
        }
        Ok(f)
    }

    /// The filters as a query string (blank ones left out), for links that keep them.
    pub fn filter_query(&self) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for (k, v) in [
            ("actor", &self.actor),
            ("unit", &self.unit),
            ("object_type", &self.object_type),
            ("object_id", &self.object_id),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
            ("upto", &self.upto),
        ] {
            if let Some(v) = blank(v) {
                pairs.push((k, v));
            }
        }
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }

    pub fn filtered(&self) -> bool {
        [
            &self.actor,
            &self.unit,
            &self.object_type,
            &self.object_id,
            &self.action,
            &self.from,
            &self.to,
        ]
        .into_iter()
        .any(|v| blank(v).is_some())
    }
}

/// One entry as listed: the stored fields, the names, the time in the city's zone and where
/// the object can be opened.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LedgerEntry {
    pub seq: i64,
    /// Microseconds since the Unix epoch (UTC), as hashed.
    pub at_us: i64,
    /// The time in the city's zone, e.g. `2026-11-24 10:15:00 +08:00`.
    pub at: String,
    /// The acting account's id; `null` for the system.
    pub actor: Option<i64>,
    pub actor_username: Option<String>,
    /// The actor's name (the person's, else the user name); `null` for the system.
    pub actor_name: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i64>,
    /// The object's name or title as it is now, where it has one.
    pub object_name: Option<String>,
    /// The page that shows the object, where there is one.
    pub object_link: Option<String>,
    /// The JSON text before and after the change, exactly as stored and hashed.
    pub before: String,
    pub after: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Where an object of this type is shown.
fn object_link(object_type: &str, id: Option<i64>) -> Option<String> {
    let id = id?;
    let base = match object_type {
        "unit" => "/org/units",
        "person" => "/org/people",
        "task" => "/lists/tasks",
        "case" => "/cases",
        "commitment" => "/commitments",
        "livelihood_project" => "/livelihood",
        "progress_report" => "/reports",
        "attachment" => "/attachments",
        "public_request" => "/intake",
        _ => return None,
    };
    Some(format!("{base}/{id}"))
}

fn local(tz: &jiff::tz::TimeZone, at_us: i64) -> String {
    jiff::Timestamp::from_microsecond(at_us)
        .map(|t| {
            t.to_zoned(tz.clone())
                .strftime("%Y-%m-%d %H:%M:%S %:z")
                .to_string()
        })
        .unwrap_or_default()
}

impl LedgerEntry {
    fn from_named(e: NamedEntry, tz: &jiff::tz::TimeZone) -> LedgerEntry {
        LedgerEntry {
            at: local(tz, e.at_us),
            object_link: object_link(&e.object_type, e.object_id),
            actor_name: e.actor_name.or_else(|| e.actor_username.clone()),
            seq: e.seq,
            at_us: e.at_us,
            actor: e.actor_id,
            actor_username: e.actor_username,
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            object_name: e.object_name,
            before: e.before_json,
            after: e.after_json,
            prev_hash: e.prev_hash,
            hash: e.hash,
        }
    }
}

/// One page of the ledger.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LedgerPage {
    pub items: Vec<LedgerEntry>,
    /// How many entries match the filters (up to `upto`).
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// The newest seq this listing reads; pass it back to page through the same entries.
    pub upto: i64,
}

/// A page of matching entries, newest first. `page` is 1-based.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    q: &LedgerQuery,
    page: i64,
    per_page: i64,
) -> Result<LedgerPage, AppError> {
    decide(actor, Action::ViewLedger, Object::City)?;
    let mut f = q.to_filter(&state.config.timezone)?;
    let mut tx = state.store.begin_read().await?;
    let upto = match f.upto {
        Some(u) => u,
        None => store::head_seq(&mut tx).await?,
    };
    f.upto = Some(upto);
    let page = page.max(1);
    let (rows, total) = store::list_entries(&mut tx, &f, per_page, (page - 1) * per_page).await?;
    let tz = &state.config.timezone;
    Ok(LedgerPage {
        items: rows
            .into_iter()
            .map(|e| LedgerEntry::from_named(e, tz))
            .collect(),
        total,
        page,
        per_page,
        upto,
    })
}

/// A top-level field of the before/after JSON, compared.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FieldChange {
    pub field: String,
    /// The value before (JSON text), `null` when the field was absent.
    pub before: Option<String>,
    pub after: Option<String>,
    pub changed: bool,
}

/// One entry with its fields compared.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LedgerEntryDetail {
    #[serde(flatten)]
    pub entry: LedgerEntry,
    /// The top-level fields of `before` and `after` side by side (objects only; otherwise
    /// one row named `(value)`).
    pub fields: Vec<FieldChange>,
}

/// Compares two JSON texts field by field (top level). Values that are not objects compare
/// as a whole.
pub fn compare(before: &str, after: &str) -> Vec<FieldChange> {
    use serde_json::Value;
    let parse = |s: &str| serde_json::from_str::<Value>(s).unwrap_or(Value::String(s.into()));
    let (b, a) = (parse(before), parse(after));
    let show = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
    match (&b, &a) {
        (Value::Object(_) | Value::Null, Value::Object(_) | Value::Null)
            if !(b.is_null() && a.is_null()) =>
        {
            let empty = serde_json::Map::new();
            let bm = b.as_object().unwrap_or(&empty);
            let am = a.as_object().unwrap_or(&empty);
            let mut keys: Vec<&String> = bm.keys().chain(am.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .map(|k| {
                    let (bv, av) = (bm.get(k), am.get(k));
                    FieldChange {
                        field: k.clone(),
                        before: bv.map(show),
                        after: av.map(show),
                        changed: bv != av,
                    }
                })
                .collect()
        }
        _ => vec![FieldChange {
            field: "(value)".into(),
            before: (!b.is_null()).then(|| show(&b)),
            after: (!a.is_null()).then(|| show(&a)),
            changed: b != a,
        }],
    }
}

/// One entry, or 404.
pub async fn entry(
    state: &AppState,
    actor: &Actor,
    seq: i64,
) -> Result<LedgerEntryDetail, AppError> {
    decide(actor, Action::ViewLedger, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    let e = store::find_entry(&mut tx, seq)
        .await?
        .ok_or(AppError::NotFound)?;
    let entry = LedgerEntry::from_named(e, &state.config.timezone);
    Ok(LedgerEntryDetail {
        fields: compare(&entry.before, &entry.after),
        entry,
    })
}

/// The whole ledger's verification (full recomputation), for the page's first screen.
pub async fn verification(
    state: &AppState,
    actor: &Actor,
) -> Result<Result<store::Verified, String>, AppError> {
    decide(actor, Action::ViewLedger, Object::City)?;
    Ok(store::verify(&state.store).await.map_err(|e| e.to_string()))
}

/// The choices of the page's filters: accounts, units and object types.
pub struct FilterChoices {
    pub actors: Vec<store::LedgerActor>,
    pub units: Vec<duban_store::org::Unit>,
    pub object_types: Vec<String>,
}

pub async fn filter_choices(state: &AppState, actor: &Actor) -> Result<FilterChoices, AppError> {
    decide(actor, Action::ViewLedger, Object::City)?;
    let mut tx = state.store.begin_read().await?;
    Ok(FilterChoices {
        actors: store::actors(&mut tx).await?,
        units: duban_store::org::list_units(&mut tx, &duban_store::org::UnitFilter::default())
            .await?,
        object_types: store::object_types(&mut tx).await?,
    })
}

/// Every matching entry in chain order (oldest first), at most [`EXPORT_MAX_ROWS`]; more is
/// a 400 saying how many matched.
async fn export_rows(
    state: &AppState,
    actor: &Actor,
    q: &LedgerQuery,
) -> Result<Vec<LedgerEntry>, AppError> {
    decide(actor, Action::ViewLedger, Object::City)?;
    let mut f = q.to_filter(&state.config.timezone)?;
    let mut tx = state.store.begin_read().await?;
    if f.upto.is_none() {
        f.upto = Some(store::head_seq(&mut tx).await?);
    }
    let total = store::count_entries(&mut tx, &f).await?;
    if total > EXPORT_MAX_ROWS {
        return Err(AppError::BadRequest(format!(
            "{total} entries match; an export holds at most {EXPORT_MAX_ROWS}: narrow the range (from/to dates, unit, action)"
        )));
    }
    let tz = &state.config.timezone;
    let mut out = Vec::with_capacity(usize::try_from(total).unwrap_or(0));
    let mut after = 0;
    loop {
        let batch = store::export_batch(&mut tx, &f, after, 2_000).await?;
        let Some(last) = batch.last() else { break };
        after = last.seq;
        out.extend(batch.into_iter().map(|e| LedgerEntry::from_named(e, tz)));
    }
    Ok(out)
}

/// One line of the JSON-lines export: the hashed fields under the names
/// `duban_core::ledger::Entry` gives them (`before`/`after` are the stored JSON *texts*),
/// then names for people to read, which the verifier ignores.
#[derive(Serialize)]
struct ExportLine<'a> {
    seq: i64,
    at_us: i64,
    actor: Option<i64>,
    action: &'a str,
    object_type: &'a str,
    object_id: Option<i64>,
    before: &'a str,
    after: &'a str,
    prev_hash: &'a str,
    hash: &'a str,
    at: &'a str,
    actor_username: Option<&'a str>,
    actor_name: Option<&'a str>,
    object_name: Option<&'a str>,
}

/// The matching entries as JSON lines, oldest first, one entry per line.
pub async fn export_jsonl(
    state: &AppState,
    actor: &Actor,
    q: &LedgerQuery,
) -> Result<Vec<u8>, AppError> {
    let rows = export_rows(state, actor, q).await?;
    let mut out = Vec::new();
    for e in &rows {
        let line = ExportLine {
            seq: e.seq,
            at_us: e.at_us,
            actor: e.actor,
            action: &e.action,
            object_type: &e.object_type,
            object_id: e.object_id,
            before: &e.before,
            after: &e.after,
            prev_hash: &e.prev_hash,
            hash: &e.hash,
            at: &e.at,
            actor_username: e.actor_username.as_deref(),
            actor_name: e.actor_name.as_deref(),
            object_name: e.object_name.as_deref(),
        };
        serde_json::to_writer(&mut out, &line)
            .map_err(|e| AppError::Internal(format!("writing the export: {e}")))?;
        out.push(b'\n');
    }
    Ok(out)
}

/// The matching entries as an .xlsx sheet, oldest first.
pub async fn export_xlsx(
    state: &AppState,
    actor: &Actor,
    q: &LedgerQuery,
) -> Result<Vec<u8>, AppError> {
    let rows = export_rows(state, actor, q).await?;
    let sheet: Vec<duban_docs::ledger::LedgerSheetRow> = rows
        .into_iter()
        .map(|e| duban_docs::ledger::LedgerSheetRow {
            seq: e.seq,
            at: e.at,
            actor: e
                .actor_name
                .map(|n| match &e.actor_username {
                    Some(u) if *u != n => format!("{n} ({u})"),
                    _ => n,
                })
                .unwrap_or_else(|| "系统".into()),
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            object_name: e.object_name.unwrap_or_default(),
            before: e.before,
            after: e.after,
            prev_hash: e.prev_hash,
            hash: e.hash,
        })
        .collect();
    duban_docs::ledger::write_ledger_xlsx(&sheet)
        .map_err(|e| AppError::Internal(format!("writing the ledger sheet: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_fields_are_marked_and_unchanged_ones_are_not() {
        let rows = compare(
            r#"{"name":"经信局","code":"jxj"}"#,
            r#"{"name":"经信厅","code":"jxj","active":true}"#,
        );
        let changed: Vec<(&str, bool)> =
            rows.iter().map(|r| (r.field.as_str(), r.changed)).collect();
        assert_eq!(
            changed,
            vec![("active", true), ("code", false), ("name", true)]
        );
        assert_eq!(rows[0].before, None);
    }

    #[test]
    fn a_creation_compares_against_nothing_and_scalars_compare_whole() {
        let rows = compare("null", r#"{"a":1}"#);
        assert_eq!(rows.len(), 1);
        assert!(rows[0].changed);
        let rows = compare("null", "null");
        assert_eq!(rows.len(), 1);
        assert!(!rows[0].changed);
    }

    #[test]
    fn dates_are_read_in_the_city_s_zone_and_to_is_inclusive() {
        let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
        let q = LedgerQuery {
            from: Some("2026-11-24".into()),
            to: Some("2026-11-24".into()),
            ..LedgerQuery::default()
        };
        let f = q.to_filter(&tz).unwrap();
        let start: jiff::Timestamp = "2026-11-23T16:00:00Z".parse().unwrap();
        assert_eq!(f.from_us, Some(start.as_microsecond()));
        assert_eq!(f.to_us, Some(start.as_microsecond() + 86_400_000_000));
    }

    #[test]
    fn an_unreadable_filter_names_itself() {
        let tz = jiff::tz::TimeZone::UTC;
        for (q, name) in [
            (
                LedgerQuery {
                    actor: Some("bob".into()),
                    ..Default::default()
                },
                "`actor`",
            ),
            (
                LedgerQuery {
                    from: Some("2026-13-01".into()),
                    ..Default::default()
                },
                "`from`",
            ),
            (
                LedgerQuery {
                    unit: Some("x".into()),
                    ..Default::default()
                },
                "`unit`",
            ),
            (
                LedgerQuery {
                    object_type: Some("a;b".into()),
                    ..Default::default()
                },
                "`object_type`",
            ),
        ] {
            match q.to_filter(&tz) {
                Err(AppError::BadRequest(m)) => assert!(m.contains(name), "{m}"),
                other => panic!("{other:?}"),
            }
        }
    }
}
