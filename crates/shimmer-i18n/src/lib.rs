//! Shimmer in every language it ships: one Fluent catalogue per locale (`locales/<code>/*.ftl`,
//! embedded in the binary), the choice of a visitor's locale (a saved preference, else the
//! browser's `Accept-Language`, else English), and numbers, dates and relative times written the
//! way each locale writes them.
//!
//! Messages whose id starts with `js-` are for the site's scripts: [`Locale::script_catalogue`]
//! hands them over with their variables left as `{$name}` for the script to fill in.

mod format;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The catalogue files every locale has, in the order they are loaded.
pub const CATALOGUE_FILES: &[&str] = &[
    "site",
    "accounts",
    "channel",
    "chat",
    "community",
    "settings",
    "support",
    "staff",
    "mail",
    "payments",
    "commands",
    "errors",
    "player",
    "pages",
];

macro_rules! catalogue {
    ($dir:literal) => {
        &[
            include_str!(concat!("../locales/", $dir, "/site.ftl")),
            include_str!(concat!("../locales/", $dir, "/accounts.ftl")),
            include_str!(concat!("../locales/", $dir, "/channel.ftl")),
            include_str!(concat!("../locales/", $dir, "/chat.ftl")),
            include_str!(concat!("../locales/", $dir, "/community.ftl")),
            include_str!(concat!("../locales/", $dir, "/settings.ftl")),
            include_str!(concat!("../locales/", $dir, "/support.ftl")),
            include_str!(concat!("../locales/", $dir, "/staff.ftl")),
            include_str!(concat!("../locales/", $dir, "/mail.ftl")),
            include_str!(concat!("../locales/", $dir, "/payments.ftl")),
            include_str!(concat!("../locales/", $dir, "/commands.ftl")),
            include_str!(concat!("../locales/", $dir, "/errors.ftl")),
            include_str!(concat!("../locales/", $dir, "/player.ftl")),
            include_str!(concat!("../locales/", $dir, "/pages.ftl")),
        ]
    };
}

/// A locale Shimmer ships, with a complete catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    En,
    De,
    Es,
    Fr,
    PtBr,
}

impl Locale {
    /// Every shipped locale, English (the source language) first.
    pub const ALL: [Locale; 5] = [Self::En, Self::De, Self::Es, Self::Fr, Self::PtBr];

    /// The BCP 47 code (`<html lang>`, the preference cookie, the catalogue folder).
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::De => "de",
            Self::Es => "es",
            Self::Fr => "fr",
            Self::PtBr => "pt-BR",
        }
    }

    /// The locale's name in its own language, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::De => "Deutsch",
            Self::Es => "Español",
            Self::Fr => "Français",
            Self::PtBr => "Português (Brasil)",
        }
    }

    /// Every shipped locale is written left to right.
    pub fn direction(self) -> &'static str {
        "ltr"
    }

    /// The shipped locale a language tag asks for: exact codes, any case, `_` for `-`, a bare
    /// language for its regional variant (`pt` and `pt-PT` get Brazilian Portuguese) and a
    /// regional variant for its language (`de-AT` gets German).
    pub fn from_tag(tag: &str) -> Option<Self> {
        let tag = tag.trim().replace('_', "-").to_ascii_lowercase();
        let language = tag.split('-').next().unwrap_or_default();
        Self::ALL.into_iter().find(|locale| {
            let code = locale.code().to_ascii_lowercase();
            code == tag || code.split('-').next() == Some(language)
        })
    }

    /// The best shipped locale for an `Accept-Language` header: ranges by their `q` weight
    /// (ties keep the header's order), `*` and weight 0 ignored; `None` when none is shipped.
    pub fn negotiate(accept_language: &str) -> Option<Self> {
        let mut ranges: Vec<(f32, usize, &str)> = accept_language
            .split(',')
            .enumerate()
            .filter_map(|(position, range)| {
                let mut parts = range.split(';');
                let tag = parts.next()?.trim();
                let weight = parts
                    .filter_map(|parameter| parameter.trim().strip_prefix("q="))
                    .find_map(|value| value.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (!tag.is_empty() && tag != "*" && weight > 0.0).then_some((weight, position, tag))
            })
            .collect();
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranges
            .into_iter()
            .find_map(|(_, _, tag)| Self::from_tag(tag))
    }

    /// The message `key` with no arguments.
    pub fn t(self, key: &str) -> String {
        self.message(key, &[])
    }

    /// The message `key` with its arguments. A key this locale lacks falls back to English,
    /// and one English lacks shows as itself (the catalogue tests keep both from shipping).
    pub fn message(self, key: &str, args: &[(&str, Arg)]) -> String {
        let fluent_args = (!args.is_empty()).then(|| {
            let mut fluent_args = FluentArgs::new();
            for (name, value) in args {
                fluent_args.set(*name, value.to_fluent());
            }
            fluent_args
        });
        for locale in [self, Self::En] {
            let bundle = bundle(locale);
            if let Some(pattern) = bundle.get_message(key).and_then(|message| message.value()) {
                let mut errors = Vec::new();
                return bundle
                    .format_pattern(pattern, fluent_args.as_ref(), &mut errors)
                    .into_owned();
            }
        }
        key.to_owned()
    }

    /// A catalogue key, or words the domain wrote in English (a refusal, a form error), in this
    /// locale: a key is looked up; English words `errors.ftl` knows are written in this locale
    /// with the values they carried; anything else shows as it is.
    pub fn words(self, key_or_words: &str) -> String {
        if bundle(Self::En).has_message(key_or_words) {
            return self.t(key_or_words);
        }
        if self == Self::En {
            return key_or_words.to_owned();
        }
        domain_words(key_or_words)
            .map_or_else(|| key_or_words.to_owned(), |words| words.in_locale(self))
    }

    /// The messages for scripts (ids starting with `js-`) as a JSON object of id to text, each
    /// variable left as `{$name}`.
    pub fn script_catalogue(self) -> String {
        let bundle = bundle(self);
        let mut messages = BTreeMap::new();
        for source in sources(self) {
            for id in message_ids(source) {
                if id.starts_with("js-") {
                    if let Some(pattern) = bundle.get_message(&id).and_then(|m| m.value()) {
                        let mut unfilled = Vec::new();
                        let text = bundle.format_pattern(pattern, None, &mut unfilled);
                        messages.insert(id, text.into_owned());
                    }
                }
            }
        }
        // Safe inside a `<script type="application/json">` block: nothing can close it early.
        serde_json::to_string(&messages)
            .map_or_else(|_| "{}".into(), |json| json.replace('<', "\\u003c"))
    }
}

/// A value for a message's variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    /// A count: chooses plural forms and is written with the locale's separators.
    Number(i64),
}

impl Arg {
    fn to_fluent(&self) -> FluentValue<'static> {
        match self {
            Self::Text(text) => FluentValue::from(text.clone()),
            Self::Number(number) => FluentValue::from(*number),
        }
    }
}

/// Words for a reader not known yet: a catalogue key and its arguments, written in a locale
/// when someone reads them ([`Words::in_locale`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Words {
    pub fn new(key: &'static str, args: Vec<(&'static str, Arg)>) -> Self {
        Self { key, args }
    }

    /// The words in `locale`.
    pub fn in_locale(&self, locale: Locale) -> String {
        locale.message(self.key, &self.args)
    }
}

impl std::fmt::Display for Words {
    /// The words in English, the API's language.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.in_locale(Locale::En))
    }
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Self::Text(value.to_owned())
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Self::Text(value)
    }
}

impl From<&String> for Arg {
    fn from(value: &String) -> Self {
        Self::Text(value.clone())
    }
}

macro_rules! number_args {
    ($($number:ty),*) => {$(
        impl From<$number> for Arg {
            fn from(value: $number) -> Self {
                Self::Number(value as i64)
            }
        }
        impl From<&$number> for Arg {
            fn from(value: &$number) -> Self {
                Self::Number(*value as i64)
            }
        }
    )*};
}

number_args!(i32, i64, u16, u32, u64, usize);

pub use format::{date, datetime, decimal, number, relative_time};

/// The catalogue source files of a locale, as shipped.
pub fn sources(locale: Locale) -> &'static [&'static str] {
    match locale {
        Locale::En => catalogue!("en"),
        Locale::De => catalogue!("de"),
        Locale::Es => catalogue!("es"),
        Locale::Fr => catalogue!("fr"),
        Locale::PtBr => catalogue!("pt-BR"),
    }
}

/// The ids of the messages (not terms) a catalogue source defines, in order.
pub fn message_ids(source: &str) -> Vec<String> {
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(resource) | Err((resource, _)) => resource,
    };
    resource
        .body
        .iter()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(message) => Some(message.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

/// One piece of an English message: words as they are, or a variable's place.
enum Piece {
    Text(String),
    Variable(&'static str),
}

/// The English messages of `errors.ftl` as pieces, for reading the domain's words back.
static DOMAIN_MESSAGES: LazyLock<Vec<(&'static str, Vec<Piece>)>> = LazyLock::new(|| {
    let source = CATALOGUE_FILES
        .iter()
        .position(|file| *file == "errors")
        .map_or("", |index| sources(Locale::En)[index]);
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(resource) | Err((resource, _)) => resource,
    };
    resource
        .body
        .into_iter()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(message) => {
                let pieces = message
                    .value?
                    .elements
                    .into_iter()
                    .map(|element| match element {
                        fluent_syntax::ast::PatternElement::TextElement { value } => {
                            Some(Piece::Text(value.to_owned()))
                        }
                        fluent_syntax::ast::PatternElement::Placeable {
                            expression:
                                fluent_syntax::ast::Expression::Inline(
                                    fluent_syntax::ast::InlineExpression::VariableReference { id },
                                ),
                        } => Some(Piece::Variable(id.name)),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some((message.id.name, pieces))
            }
            _ => None,
        })
        .collect()
});

/// Variables whose values are people's own words even when they are digits.
const TEXT_VARIABLES: &[&str] = &["name", "username", "value"];

/// The catalogue words behind English text the domain wrote (`errors.ftl`), with the values
/// it carried; `None` when the catalogue does not know the text.
pub fn domain_words(text: &str) -> Option<Words> {
    DOMAIN_MESSAGES.iter().find_map(|(key, pieces)| {
        let mut values = Vec::new();
        read_pieces(text, pieces, &mut values).then(|| {
            let args = values
                .into_iter()
                .map(|(name, value): (&'static str, &str)| {
                    let number = value.len() <= 12
                        && value.bytes().all(|byte| byte.is_ascii_digit())
                        && !TEXT_VARIABLES.contains(&name);
                    let arg = match value.parse::<i64>() {
                        Ok(number_value) if number => Arg::Number(number_value),
                        _ => Arg::Text(value.to_owned()),
                    };
                    (name, arg)
                })
                .collect();
            Words::new(key, args)
        })
    })
}

/// Whether `text` is `pieces` with some value in each variable's place (collected in
/// `values`): the shortest value that lets the rest match, trying longer ones after.
fn read_pieces<'t>(
    text: &'t str,
    pieces: &[Piece],
    values: &mut Vec<(&'static str, &'t str)>,
) -> bool {
    match pieces {
        [] => text.is_empty(),
        [Piece::Text(words), rest @ ..] => text
            .strip_prefix(words.as_str())
            .is_some_and(|after| read_pieces(after, rest, values)),
        [Piece::Variable(name), rest @ ..] => {
            let ends: Vec<usize> = match rest.first() {
                None => vec![text.len()],
                Some(Piece::Text(next)) => text
                    .match_indices(next.as_str())
                    .map(|(index, _)| index)
                    .collect(),
                Some(Piece::Variable(_)) => (1..=text.len())
                    .filter(|index| text.is_char_boundary(*index))
                    .collect(),
            };
            for end in ends.into_iter().filter(|end| *end > 0) {
                values.push((name, &text[..end]));
                if read_pieces(&text[end..], rest, values) {
                    return true;
                }
                values.pop();
            }
            false
        }
    }
}

/// The loaded bundle of `locale`, built once; a file that does not parse loads what it can
/// (the catalogue tests refuse any parse error).
pub fn bundle(locale: Locale) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: LazyLock<Vec<FluentBundle<FluentResource>>> =
        LazyLock::new(|| Locale::ALL.into_iter().map(build_bundle).collect());
    &BUNDLES[Locale::ALL
        .iter()
        .position(|known| *known == locale)
        .unwrap_or(0)]
}

fn build_bundle(locale: Locale) -> FluentBundle<FluentResource> {
    let language = locale
        .code()
        .parse()
        .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
    let mut bundle = FluentBundle::new_concurrent(vec![language]);
    // Pages escape what they show; the isolation marks would show as stray characters in
    // attributes and emails.
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(match locale {
        Locale::En => format::fluent_number::<_, 0>,
        Locale::De => format::fluent_number::<_, 1>,
        Locale::Es => format::fluent_number::<_, 2>,
        Locale::Fr => format::fluent_number::<_, 3>,
        Locale::PtBr => format::fluent_number::<_, 4>,
    }));
    for source in sources(locale) {
        let resource = match FluentResource::try_new((*source).to_owned()) {
            Ok(resource) | Err((resource, _)) => resource,
        };
        bundle.add_resource_overriding(resource);
    }
    bundle
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_is_negotiated_by_weight() {
        assert_eq!(
            Locale::negotiate("fr-FR,fr;q=0.9,en;q=0.8"),
            Some(Locale::Fr)
        );
        assert_eq!(
            Locale::negotiate("ja, de;q=0.5, es;q=0.7"),
            Some(Locale::Es)
        );
        assert_eq!(Locale::negotiate("pt"), Some(Locale::PtBr));
        assert_eq!(
            Locale::negotiate("pt-PT;q=0.9, en;q=0.1"),
            Some(Locale::PtBr)
        );
        assert_eq!(Locale::negotiate("de-AT"), Some(Locale::De));
        assert_eq!(Locale::negotiate("en;q=0.5, es"), Some(Locale::Es));
        assert_eq!(Locale::negotiate("de;q=0, fr;q=0.1"), Some(Locale::Fr));
        assert_eq!(Locale::negotiate("ja, zh-CN, *"), None);
        assert_eq!(Locale::negotiate(""), None);
        assert_eq!(Locale::negotiate("en;q=abc, de;q=0.5"), Some(Locale::En));
    }

    #[test]
    fn tags_find_their_locale() {
        assert_eq!(Locale::from_tag("pt-BR"), Some(Locale::PtBr));
        assert_eq!(Locale::from_tag("pt_br"), Some(Locale::PtBr));
        assert_eq!(Locale::from_tag("EN-gb"), Some(Locale::En));
        assert_eq!(Locale::from_tag("it"), None);
        assert_eq!(Locale::from_tag(""), None);
        for locale in Locale::ALL {
            assert_eq!(Locale::from_tag(locale.code()), Some(locale));
        }
    }

    #[test]
    fn messages_fill_their_variables_and_plurals() {
        let one = Locale::De.message("time-days-ago", &[("count", 1.into())]);
        let many = Locale::De.message("time-days-ago", &[("count", 12345.into())]);
        assert_eq!(one, "vor 1 Tag");
        assert_eq!(many, "vor 12.345 Tagen");
        assert_eq!(
            Locale::En.message("time-days-ago", &[("count", 12345.into())]),
            "12,345 days ago"
        );
        assert_eq!(Locale::Fr.t("no-such-key"), "no-such-key");
    }

    #[test]
    fn the_domains_english_words_are_read_back_and_translated() {
        assert_eq!(
            Locale::De.words("That username is already taken."),
            "Dieser Benutzername ist schon vergeben."
        );
        assert_eq!(
            Locale::Fr.words("A channel can have at most 10 tags."),
            "Une chaîne peut avoir au plus 10 tags."
        );
        // Values a person typed stay as they are, digits included.
        let words = domain_words("There is no channel named 2024.").unwrap();
        assert_eq!(words.args, vec![("name", Arg::Text("2024".into()))]);
        assert_eq!(
            Locale::Es.words("Tag “a” must be 2 to 18 characters long."),
            "La etiqueta «a» debe tener entre 2 y 18 caracteres."
        );
        // Keys are looked up, unknown words and English stay as they are.
        assert_eq!(
            Locale::De.words("error-forbidden"),
            Locale::De.t("error-forbidden")
        );
        assert_eq!(
            Locale::De.words("Something nobody wrote."),
            "Something nobody wrote."
        );
        assert_eq!(
            Locale::En.words("That username is already taken."),
            "That username is already taken."
        );
    }

    #[test]
    fn scripts_get_their_messages_with_variables_left_open() {
        let catalogue: BTreeMap<String, String> =
            serde_json::from_str(&Locale::Es.script_catalogue()).unwrap();
        assert!(!catalogue.is_empty());
        assert!(catalogue.keys().all(|key| key.starts_with("js-")));
        assert!(catalogue.values().any(|text| text.contains("{$")));
    }
}
