//! Every catalogue key the website uses exists in English (and so, by the catalogue tests of
//! `shimmer-i18n`, in every shipped locale): the keys templates, scripts and handlers name
//! literally, and the families the pages build from data (stream languages, name colours,
//! categories).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use shimmer_i18n::Locale;

fn files(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, extension, out);
        } else if path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
}

fn is_key(text: &str) -> bool {
    text.contains('-')
        && !text.ends_with('-')
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && text.starts_with(|c: char| c.is_ascii_lowercase())
}

/// The quoted keys that follow any of `openers` in `source`, e.g. `t("` or `t('`.
fn keys_after(source: &str, openers: &[&str], out: &mut BTreeSet<String>) {
    for opener in openers {
        let quote = opener.chars().last().unwrap();
        for (start, _) in source.match_indices(opener) {
            let preceded_by_word = source[..start]
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
            if preceded_by_word && opener.starts_with(|c: char| c.is_ascii_alphabetic()) {
                continue;
            }
            let rest = &source[start + opener.len()..];
            if let Some(end) = rest.find(quote) {
                let key = &rest[..end];
                if is_key(key) {
                    out.insert(key.to_owned());
                }
            }
        }
    }
}

fn used_keys() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut keys = BTreeSet::new();
    let mut paths = Vec::new();
    files(&root.join("templates"), "html", &mut paths);
    for path in &paths {
        let source = std::fs::read_to_string(path).unwrap();
        keys_after(&source, &["t(\"", "t1(\"", "t2(\"", "th(\""], &mut keys);
    }
    let mut scripts = Vec::new();
    files(&root.join("static/js"), "js", &mut scripts);
    for path in &scripts {
        let source = std::fs::read_to_string(path).unwrap();
        keys_after(&source, &["t('", "t(\""], &mut keys);
        // Keys kept in tables (the moderation notices) are quoted `js-` strings.
        for (start, _) in source.match_indices("'js-") {
            let rest = &source[start + 1..];
            let key = &rest[..rest.find('\'').unwrap()];
            if !key.ends_with('-') {
                keys.insert(key.to_owned());
            }
        }
        // Plural families: `plural('key', ...)` needs `key-one` and `key-other`.
        let mut families = BTreeSet::new();
        keys_after(&source, &["plural('"], &mut families);
        for family in families {
            keys.remove(&family);
            keys.insert(format!("{family}-one"));
            keys.insert(format!("{family}-other"));
        }
    }
    let mut sources = Vec::new();
    files(&root.join("src"), "rs", &mut sources);
    for path in &sources {
        let source = std::fs::read_to_string(path).unwrap();
        keys_after(&source, &[".t(\"", "message(\""], &mut keys);
        // Keys a handler names as plain strings: notices, error pages, labels.
        for (start, _) in source.match_indices('"') {
            let rest = &source[start + 1..];
            if let Some(end) = rest.find('"') {
                let candidate = &rest[..end];
                let family = candidate.split('-').next().unwrap_or_default();
                if is_key(candidate)
                    && [
                        "notice",
                        "error",
                        "title",
                        "theme",
                        "settings",
                        "channel",
                        "search",
                        "streams",
                        "mature",
                        "chat",
                        "mail",
                        "support",
                        "staff",
                        "account",
                        "auth",
                        "profile",
                        "follows",
                        "dashboard",
                        "report",
                        "apps",
                        "oauth",
                        "emotes",
                        "poster",
                        "payments",
                        "moderation",
                        "security",
                    ]
                    .contains(&family)
                {
                    keys.insert(candidate.to_owned());
                }
            }
        }
    }
    keys
}

#[test]
fn every_key_the_site_uses_is_in_the_english_catalogue() {
    let keys = used_keys();
    assert!(keys.len() > 100, "the scan found only {} keys", keys.len());
    let missing: Vec<&String> = keys
        .iter()
        .filter(|key| !shimmer_i18n::bundle(Locale::En).has_message(key))
        .collect();
    assert!(
        missing.is_empty(),
        "{} keys are used but not in the English catalogue: {missing:?}",
        missing.len()
    );
}

#[test]
fn every_family_built_from_data_is_complete() {
    let english = shimmer_i18n::bundle(Locale::En);
    for (code, _) in shimmer_platform::channels::LANGUAGES {
        assert!(english.has_message(&format!("language-{code}")), "{code}");
    }
    for color in shimmer_platform::chat::colors::PALETTE {
        assert!(
            english.has_message(&format!("color-{}", color.key)),
            "{}",
            color.key
        );
    }
    for slug in ["art", "music", "tech", "irl", "education", "gaming"] {
        assert!(english.has_message(&format!("category-{slug}")), "{slug}");
    }
    for status in [400, 401, 403, 404, 409, 410, 413, 415, 422, 429, 500, 503] {
        assert!(english.has_message(&format!("status-{status}")), "{status}");
    }
}
