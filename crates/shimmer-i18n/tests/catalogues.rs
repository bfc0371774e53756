//! Every shipped locale is complete and sound: each catalogue parses, has exactly the messages
//! English has (no key missing, none extra), and every message formats in its own language with
//! no unresolved variable, message or function; a message a translator left in English fails
//! unless it is only product names, codes or words that read the same.

use std::collections::{BTreeMap, BTreeSet};

use fluent_bundle::{FluentArgs, FluentValue};
use fluent_syntax::ast;
use shimmer_i18n::{bundle, message_ids, sources, Locale, CATALOGUE_FILES};

/// The variables a message's value uses, by name.
fn variables(source: &str) -> BTreeMap<String, BTreeSet<String>> {
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(resource) | Err((resource, _)) => resource,
    };
    let mut out = BTreeMap::new();
    for entry in &resource.body {
        if let ast::Entry::Message(message) = entry {
            let mut names = BTreeSet::new();
            if let Some(pattern) = &message.value {
                pattern_variables(pattern, &mut names);
            }
            out.insert(message.id.name.to_owned(), names);
        }
    }
    out
}

fn pattern_variables(pattern: &ast::Pattern<&str>, names: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, names);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, names: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Inline(inline) => inline_variables(inline, names),
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, names);
            for variant in variants {
                pattern_variables(&variant.value, names);
            }
        }
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, names: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            names.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, names);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, names),
        _ => {}
    }
}

/// Every message of a locale with the variables it uses.
fn catalogue(locale: Locale) -> BTreeMap<String, BTreeSet<String>> {
    let mut all = BTreeMap::new();
    for (file, source) in CATALOGUE_FILES.iter().zip(sources(locale)) {
        for (id, names) in variables(source) {
            assert!(
                all.insert(id.clone(), names).is_none(),
                "{}: `{id}` is defined twice ({file}.ftl)",
                locale.code()
            );
        }
    }
    all
}

#[test]
fn every_catalogue_parses() {
    for locale in Locale::ALL {
        for (file, source) in CATALOGUE_FILES.iter().zip(sources(locale)) {
            if let Err((_, errors)) = fluent_syntax::parser::parse(*source) {
                panic!("{}/{file}.ftl does not parse: {errors:?}", locale.code());
            }
            assert!(
                !message_ids(source).is_empty(),
                "{}/{file}.ftl is empty",
                locale.code()
            );
        }
    }
}

#[test]
fn every_locale_has_exactly_the_english_keys() {
    let english: BTreeSet<String> = catalogue(Locale::En).into_keys().collect();
    for locale in Locale::ALL.into_iter().skip(1) {
        let keys: BTreeSet<String> = catalogue(locale).into_keys().collect();
        let missing: Vec<_> = english.difference(&keys).collect();
        let extra: Vec<_> = keys.difference(&english).collect();
        assert!(
            missing.is_empty(),
            "{} lacks {} keys: {missing:?}",
            locale.code(),
            missing.len()
        );
        assert!(
            extra.is_empty(),
            "{} has keys English does not: {extra:?}",
            locale.code()
        );
    }
}

#[test]
fn every_message_formats_without_unresolved_references() {
    let english = catalogue(Locale::En);
    for locale in Locale::ALL {
        let bundle = bundle(locale);
        for (id, names) in catalogue(locale) {
            let known = english.get(&id).cloned().unwrap_or_default();
            let unknown: Vec<_> = names.difference(&known).collect();
            assert!(
                unknown.is_empty(),
                "{}: `{id}` uses variables English does not give it: {unknown:?}",
                locale.code()
            );
            // Every plural form is reached: each count from 0 to 1000 formats cleanly.
            for count in [0, 1, 2, 5, 21, 1000] {
                let mut args = FluentArgs::new();
                for name in &known {
                    args.set(name.as_str(), FluentValue::from(count));
                }
                let message = bundle.get_message(&id).expect("listed messages exist");
                let pattern = message
                    .value()
                    .unwrap_or_else(|| panic!("{}: `{id}` has no value", locale.code()));
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(
                    errors.is_empty(),
                    "{}: `{id}` does not format: {errors:?}",
                    locale.code()
                );
                assert!(
                    !text.trim().is_empty(),
                    "{}: `{id}` is empty",
                    locale.code()
                );
            }
        }
    }
}

/// Words that read the same in a translation as in English: product and protocol names, codes,
/// and loanwords each of these languages uses as they are.
const SAME_IN_EVERY_LANGUAGE: &[&str] = &[
    "Shimmer",
    "FTL",
    "RTMP",
    "WHIP",
    "WebRTC",
    "OAuth",
    "OBS",
    "URL",
    "API",
    "ID",
    "IRL",
    "Chat",
    "Live",
    "Emotes",
    "Streamer",
    "Mod",
    "Sub",
    "Volume",
    "Magenta",
    "Indigo",
    "Cyan",
    "Orange",
    "Olive",
    "Art",
    "Pink",
    "Support",
    "Stats",
    "Offline",
    "LIVE",
    "Tags",
    "Tech",
    "Streams",
    "Team",
    "Staff",
    "Message",
    "Modération",
    "Moderation",
    "Profil",
    "Erreur",
    "Error",
    "Emote",
    "Logo",
    "Sim",
    "Total",
    "Status",
    "Streaming",
    "Code",
    "Token",
    "Tokens",
    "Client",
    "Secret",
    "Stream",
    "Login",
    "App",
    "Apps",
    "E-Mail",
    "Email",
    "Dashboard",
    "Follower",
    "Followers",
    "Poster",
    "Avatar",
    "Bio",
    "Admin",
    "Payout",
    "Payouts",
    "live",
    "in",
    "Hindi",
    "Text",
    "Panel",
    "Action",
    "Ingest",
    "Name",
    "No",
    "Links",
    "Minutes",
    "Page",
    "Image",
    "Streamers",
    "Website",
    "Applications",
    "est",
    "no",
    "Re",
    "HLS",
    "audio",
    "mode",
];

#[test]
fn no_message_is_left_in_english() {
    let english_text = |id: &str| Locale::En.t(id);
    let mut untranslated = Vec::new();
    for locale in Locale::ALL.into_iter().skip(1) {
        for id in catalogue(locale).into_keys() {
            let text = locale.t(&id);
            if text != english_text(&id) {
                continue;
            }
            let mut outside_placeholders = String::new();
            let mut depth = 0;
            // Placeables and markup are not words a translator writes.
            for c in text.chars() {
                match c {
                    '{' | '<' => depth += 1,
                    '}' | '>' => depth -= 1,
                    _ if depth == 0 => outside_placeholders.push(c),
                    _ => {}
                }
            }
            let words: Vec<&str> = outside_placeholders
                .split(|c: char| !c.is_alphabetic())
                .filter(|word| word.chars().count() > 1)
                .filter(|word| !SAME_IN_EVERY_LANGUAGE.contains(word))
                .collect();
            if words.iter().any(|word| word.is_ascii()) {
                untranslated.push(format!("{}: {id} = {text}", locale.code()));
            }
        }
    }
    assert!(
        untranslated.is_empty(),
        "{} messages are left in English:\n{}",
        untranslated.len(),
        untranslated.join("\n")
    );
}
