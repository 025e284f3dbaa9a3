//! Every user-facing string lives in a catalog: `i18n/zh-CN.toml` (the default) and
//! `i18n/en.toml`, embedded in the binary. Templates call `ctx.t("key")`; a missing key shows
//! the key itself (and a test fails on it).

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Accepts `zh`, `zh-CN`, `en`, `en-US` …; anything else is `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// One language's strings, flattened to dotted keys.
#[derive(Debug, Default)]
pub struct Catalog(HashMap<String, String>);

impl Catalog {
    fn parse(text: &str) -> Catalog {
        let table: toml::Table = text
            .parse()
            .expect("the embedded catalogs are valid TOML (tested)");
        let mut map = HashMap::new();
        flatten("", &table, &mut map);
        Catalog(map)
    }

    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.0.get(key).map(String::as_str).unwrap_or(key)
    }

    #[cfg(test)]
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.keys()
    }
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut HashMap<String, String>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            other => {
                out.insert(key, other.to_string());
            }
        }
    }
}

#[derive(Debug)]
pub struct Catalogs {
    zh: Catalog,
    en: Catalog,
}

impl Catalogs {
    pub fn load() -> Catalogs {
        Catalogs {
            zh: Catalog::parse(include_str!("../i18n/zh-CN.toml")),
            en: Catalog::parse(include_str!("../i18n/en.toml")),
        }
    }

    pub fn get(&self, lang: Lang) -> &Catalog {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// The English catalog, for API problem texts.
    pub fn english() -> &'static Catalog {
        static CATALOGS: OnceLock<Catalogs> = OnceLock::new();
        &CATALOGS.get_or_init(Catalogs::load).en
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn both_catalogs_have_the_same_keys() {
        let c = Catalogs::load();
        let zh: BTreeSet<_> = c.zh.keys().collect();
        let en: BTreeSet<_> = c.en.keys().collect();
        let only_zh: Vec<_> = zh.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&zh).collect();
        assert!(
            only_zh.is_empty() && only_en.is_empty(),
            "only zh: {only_zh:?}; only en: {only_en:?}"
        );
    }

    /// Scans templates and Rust sources for `t("…")` and `"err.…"` keys and checks each is in
    /// the catalog, so a page never shows a raw key.
    #[test]
    fn every_key_used_in_templates_and_code_is_in_the_catalog() {
        let c = Catalogs::load();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/");
        let mut missing = Vec::new();
        // Every file under templates/ and src/, however deep.
        let mut dirs: Vec<std::path::PathBuf> = ["templates", "src"]
            .iter()
            .map(|d| format!("{root}{d}").into())
            .collect();
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for key in used_keys(&text) {
                    if !c.zh.0.contains_key(&key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys missing from the catalog:\n{}",
            missing.join("\n")
        );
    }

    fn used_keys(text: &str) -> Vec<String> {
        let mut keys = Vec::new();
        for marker in ["t(\"", "key: \"", "_key(\""] {
            let mut rest = text;
            while let Some(i) = rest.find(marker) {
                rest = &rest[i + marker.len()..];
                if let Some(end) = rest.find('"') {
                    let key = &rest[..end];
                    let plain = key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.');
                    if plain && key.contains('.') && !key.starts_with('.') && !key.ends_with('.') {
                        keys.push(key.to_string());
                    }
                }
            }
        }
        keys
    }

    #[test]
    fn languages_parse_from_common_tags() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en-US"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }

    /// Keys built at run time from enum values (states, steps, sources, flags) exist too.
    #[test]
    fn every_case_label_is_in_the_catalog() {
        use duban_core::cases::facts::{CaseKind, Source};
        use duban_core::cases::ladder::Step;
        use duban_core::cases::state::{CaseState, Rating};
        let c = Catalogs::load();
        let mut keys: Vec<String> = Vec::new();
        keys.extend(
            CaseState::ALL
                .iter()
                .map(|s| format!("case_state.{}", s.as_str())),
        );
        keys.extend(
            crate::service::cases::steps::StepKind::ALL
                .iter()
                .map(|s| format!("case_step.{}", s.as_str())),
        );
        keys.extend(
            Step::ALL
                .iter()
                .map(|s| format!("case_step.{}", s.as_str())),
        );
        keys.push("case_step.register".into());
        keys.extend(
            Source::ALL
                .iter()
                .map(|s| format!("case_source.{}", s.as_str())),
        );
        keys.extend(
            CaseKind::ALL
                .iter()
                .map(|s| format!("case_kind.{}", s.as_str())),
        );
        keys.extend(Rating::ALL.iter().map(|r| format!("rating.{}", r.as_str())));
        keys.extend(
            ["ack_overdue", "report_overdue", "due_soon", "overdue"]
                .map(|f| format!("case_flag.{f}")),
        );
        keys.extend(["red", "yellow", "green"].map(|l| format!("light.{l}")));
        let missing: Vec<&String> = keys.iter().filter(|k| !c.zh.0.contains_key(*k)).collect();
        assert!(missing.is_empty(), "missing: {missing:?}");
    }
}
