//! Site pages (copyright, terms, privacy, guidelines, FAQ): Markdown with defaults built into
//! the binary, which an operator overrides by placing `<data dir>/pages/<name>.md`.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::render;
use crate::context::RequestContext;
use crate::templates::PageContext;
use crate::AppState;

#[derive(Template)]
#[template(path = "accounts/site_page.html")]
struct SitePage {
    page: PageContext,
    html: String,
}

/// Each page: name (path and override file), title, and built-in text.
const PAGES: &[(&str, &str, &str)] = &[
    (
        "copyright",
        "Copyright and DMCA",
        include_str!("../../content/copyright.md"),
    ),
    (
        "terms",
        "Terms of service",
        include_str!("../../content/terms.md"),
    ),
    (
        "privacy",
        "Privacy",
        include_str!("../../content/privacy.md"),
    ),
    (
        "guidelines",
        "Community guidelines",
        include_str!("../../content/guidelines.md"),
    ),
    ("faq", "FAQ", include_str!("../../content/faq.md")),
];

/// Override files larger than this are ignored (and the default shown), to bound rendering.
const OVERRIDE_MAX_BYTES: u64 = 512 * 1024;

async fn show(state: &AppState, context: &RequestContext, name: &str) -> Response {
    let (_, title, default) = PAGES
        .iter()
        .find(|(page, _, _)| *page == name)
        .copied()
        .unwrap_or(("", "Page", ""));
    let path = state
        .platform
        .settings
        .data_dir
        .join("pages")
        .join(format!("{name}.md"));
    let overridden = match tokio::fs::metadata(&path).await {
        Ok(metadata) if metadata.len() <= OVERRIDE_MAX_BYTES => {
            tokio::fs::read_to_string(&path).await.ok()
        }
        Ok(_) => {
            tracing::warn!(path = %path.display(), "site page override too large; showing the default");
            None
        }
        Err(_) => None,
    };
    let markdown = overridden.as_deref().unwrap_or(default);
    let page = PageContext::new(title, context, state.config.dev_mode);
    render(
        StatusCode::OK,
        &SitePage {
            page,
            html: shimmer_platform::markdown::render_markdown(markdown),
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
