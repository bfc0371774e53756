//! Site pages (copyright, terms, privacy, guidelines, FAQ): Markdown with defaults built into
//! the binary in English and every other shipped language (`content/<code>/`), which
//! an operator overrides by placing `<data dir>/pages/<name>.md` (or `<name>.<code>.md` for
//! one language).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shimmer_i18n::Locale;

use super::render;
use crate::context::RequestContext;
use crate::templates::PageContext;
use crate::AppState;

#[derive(Template)]
#[template(path = "accounts/site_page.html")]
struct SitePage {
    page: PageContext,
    html: String,
    /// Whether the text is in the page's language (else English, with a notice).
    translated: bool,
    /// Whether the English text is the binding one (terms, privacy, copyright), so a
    /// translation says so.
    legal: bool,
}

/// One built-in page: its name (path and override file), title key, whether its English is
/// binding, and its text in English and in the other languages it is translated into.
struct BuiltIn {
    name: &'static str,
    title: &'static str,
    legal: bool,
    english: &'static str,
    translations: &'static [(Locale, &'static str)],
}

/// Every language's text of a page, `content/<code>/<name>.md`.
macro_rules! translations {
    ($name:literal) => {
        &[
            (
                Locale::De,
                include_str!(concat!("../../content/de/", $name, ".md")),
            ),
            (
                Locale::Es,
                include_str!(concat!("../../content/es/", $name, ".md")),
            ),
            (
                Locale::Fr,
                include_str!(concat!("../../content/fr/", $name, ".md")),
            ),
            (
                Locale::PtBr,
                include_str!(concat!("../../content/pt-BR/", $name, ".md")),
            ),
        ]
    };
}

const PAGES: &[BuiltIn] = &[
    BuiltIn {
        name: "copyright",
        title: "title-copyright-and-dmca",
        legal: true,
        english: include_str!("../../content/copyright.md"),
        translations: translations!("copyright"),
    },
    BuiltIn {
        name: "terms",
        title: "title-terms-of-service",
        legal: true,
        english: include_str!("../../content/terms.md"),
        translations: translations!("terms"),
    },
    BuiltIn {
        name: "privacy",
        title: "title-privacy",
        legal: true,
        english: include_str!("../../content/privacy.md"),
        translations: translations!("privacy"),
    },
    BuiltIn {
        name: "guidelines",
        title: "title-community-guidelines",
        legal: false,
        english: include_str!("../../content/guidelines.md"),
        translations: translations!("guidelines"),
    },
    BuiltIn {
        name: "faq",
        title: "title-faq",
        legal: false,
        english: include_str!("../../content/faq.md"),
        translations: translations!("faq"),
    },
];

/// Override files larger than this are ignored (and the default shown), to bound rendering.
const OVERRIDE_MAX_BYTES: u64 = 512 * 1024;

/// An operator's override file, when it exists and is small enough.
async fn read_override(path: &std::path::Path) -> Option<String> {
    match tokio::fs::metadata(path).await {
        Ok(metadata) if metadata.len() <= OVERRIDE_MAX_BYTES => {
            tokio::fs::read_to_string(path).await.ok()
        }
        Ok(_) => {
            tracing::warn!(path = %path.display(), "site page override too large; showing the default");
            None
        }
        Err(_) => None,
    }
}

/// The page `name` in the visitor's language: the operator's `pages/<name>.<code>.md`, else
/// their `pages/<name>.md` (as written), else the built-in text in the visitor's language, else
/// the built-in English.
async fn show(state: &AppState, context: &RequestContext, name: &str) -> Response {
    let Some(built_in) = PAGES.iter().find(|page| page.name == name) else {
        return crate::error::WebError::NotFound.into_response();
    };
    let locale = context.locale;
    let pages = state.platform.settings.data_dir.join("pages");
    let (markdown, translated) = if let Some(text) =
        read_override(&pages.join(format!("{name}.{}.md", locale.code()))).await
    {
        (text, true)
    } else if let Some(text) = read_override(&pages.join(format!("{name}.md"))).await {
        (text, locale == Locale::En)
    } else {
        match built_in
            .translations
            .iter()
            .find(|(language, _)| *language == locale)
        {
            Some((_, text)) => ((*text).to_owned(), true),
            None => (built_in.english.to_owned(), locale == Locale::En),
        }
    };
    let page = PageContext::new(built_in.title, context, state.config.dev_mode);
    render(
        StatusCode::OK,
        &SitePage {
            page,
            html: shimmer_platform::markdown::render_markdown(&markdown),
            translated,
            legal: built_in.legal,
        },
    )
}

pub async fn copyright(State(state): State<AppState>, context: RequestContext) -> Response {
    show(&state, &context, "copyright").await
}

pub async fn terms(State(state): State<AppState>, context: RequestContext) -> Response {
    show(&state, &context, "terms").await
}

pub async fn privacy(State(state): State<AppState>, context: RequestContext) -> Response {
    show(&state, &context, "privacy").await
}

pub async fn guidelines(State(state): State<AppState>, context: RequestContext) -> Response {
    show(&state, &context, "guidelines").await
}

pub async fn faq(State(state): State<AppState>, context: RequestContext) -> Response {
    show(&state, &context, "faq").await
}
