//! Every refusal and form error the domain writes in fixed English words is in the catalogue
//! (`errors.ftl`), so pages and chat show it in the reader's language: the sentences in the
//! domain's source are read back through the catalogue, and a few real refusals are checked in
//! German and Brazilian Portuguese while their English (the API's words) stays as it was.

use std::path::Path;

use shimmer_i18n::{domain_words, Locale};
use shimmer_platform::PlatformError;

/// Sources whose sentences are not refusals shown on pages: the OAuth protocol's errors (the
/// API's, in English), emails (worded by `mail.ftl`), the report's labels.
const NOT_REFUSALS: &[&str] = &["oauth", "mail.rs", "growth_report.rs", "channels.rs"];

fn sentences(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if NOT_REFUSALS.contains(&name.as_str()) {
            continue;
        }
        if path.is_dir() {
            sentences(&path, out);
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let source = source.split("#[cfg(test)]").next().unwrap_or_default();
        for line in source.lines() {
            let code = line.split("//").next().unwrap_or_default();
            if code.contains("#[error(") || code.contains("format!(") {
                continue;
            }
            let mut rest = code;
            while let Some(start) = rest.find('"') {
                let after = &rest[start + 1..];
                let Some(end) = after.find('"') else { break };
                let literal = &after[..end];
                let sentence = literal.starts_with(|c: char| c.is_ascii_uppercase())
                    && literal.contains(' ')
                    && literal.ends_with(['.', '!', '?'])
                    && !literal.contains(['{', '\\']);
                if sentence {
                    out.push((path.display().to_string(), literal.to_owned()));
                }
                rest = &after[end + 1..];
            }
        }
    }
}

#[test]
fn every_fixed_refusal_of_the_domain_is_in_the_catalogue() {
    let mut found = Vec::new();
    sentences(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    assert!(
        found.len() > 100,
        "the scan found only {} sentences",
        found.len()
    );
    let unknown: Vec<_> = found
        .iter()
        .filter(|(_, sentence)| domain_words(sentence).is_none())
        .collect();
    assert!(
        unknown.is_empty(),
        "{} sentences are not in errors.ftl: {unknown:#?}",
        unknown.len()
    );
}

#[test]
fn refusals_read_in_the_readers_language_and_the_api_keeps_english() {
    let taken = PlatformError::invalid("username", "That username is already taken.");
    assert_eq!(taken.to_string(), "That username is already taken.");
    assert_eq!(
        Locale::De.words(&taken.to_string()),
        "Dieser Benutzername ist schon vergeben."
    );
    let too_many = PlatformError::invalid("tags", "A channel can have at most 10 tags.");
    assert_eq!(
        Locale::PtBr.words(&too_many.to_string()),
        "Um canal pode ter no máximo 10 tags."
    );
    let live = PlatformError::Refused(
        "Your channel is live. End the stream before deleting your account.".into(),
    );
    assert_eq!(
        Locale::Fr.words(&live.to_string()),
        "Votre chaîne est en direct. Arrêtez le direct avant de supprimer votre compte."
    );
    let channel = PlatformError::Refused("There is no channel named bob_2024.".into());
    assert_eq!(
        Locale::Es.words(&channel.to_string()),
        "No hay ningún canal llamado bob_2024."
    );
}
