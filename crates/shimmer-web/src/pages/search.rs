//! Site search: `/search?q=` (the header's field, a plain GET form that works without
//! JavaScript) lists channels (live first, then offline streamers who have streamed),
//! categories with their live counts and tags, typos allowed; an empty query shows the
//! browse lists instead. `/api/search?q=` answers the same as JSON.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use shimmer_platform::community::discovery::SEARCH_MAX_CHARS;
use shimmer_platform::community::search::SearchResults;
use shimmer_platform::views::LiveCategory;
use shimmer_platform::PlatformError;

use super::discovery::json_error;
use super::render;
use crate::context::RequestContext;
use crate::error::WebError;
use crate::templates::{ChannelCard, PageContext};
use crate::AppState;

/// The browse list of an empty search shows at most this many channels.
const BROWSE_CHANNELS: i64 = 60;

/// The query string of `/search` and `/api/search`.
#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub page: PageContext,
    /// What was searched for, as typed (kept in the field, also when refused).
    pub query: String,
    pub max_chars: usize,
    pub results: SearchResults,
    /// Why the query was refused.
    pub error: Option<String>,
    /// The browse lists, shown for an empty query.
    pub browse: Option<Browse>,
}

/// What an empty search shows: every category with its live count and the channels that
/// streamed, live ones first.
pub struct Browse {
    pub live_categories: Vec<LiveCategory>,
    pub channels: Vec<ChannelCard>,
}

/// `GET /search?q=`.
pub async fn page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(query): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let trimmed = query.q.trim();
    let (status, results, error) = match state.platform.search(trimmed).await {
        Ok(results) => (StatusCode::OK, results, None),
        Err(error @ PlatformError::Invalid(_)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            SearchResults::default(),
            Some(context.locale.words(&error.to_string())),
        ),
        Err(error) => return Err(error.into()),
    };
    let browse = if trimmed.is_empty() {
        Some(Browse {
            live_categories: state.platform.live_categories().await?,
            channels: state
                .platform
                .channels_that_streamed(BROWSE_CHANNELS)
                .await?
                .into_iter()
                .map(|channel| ChannelCard {
                    live: channel.is_live(),
                    username: channel.username,
                    display_name: channel.display_name,
                    title: channel.title,
                    mature: channel.mature,
                    language: channel.language,
                })
                .collect(),
        })
    } else {
        None
    };
    let title = if trimmed.is_empty() || error.is_some() {
        context.t("search-heading")
    } else {
        context.message("search-title", &[("query", trimmed.into())])
    };
    let mut page = PageContext::new(title, &context, state.config.dev_mode)
        .with_description(context.t("search-description"));
    page.search_page = true;
    Ok(render(
        status,
        &SearchPage {
            page,
            query: query.q,
            max_chars: SEARCH_MAX_CHARS,
            results,
            error,
            browse,
        },
    ))
}

/// `GET /api/search?q=`: the search page's results as JSON (`{"error": ...}` with 422 when
/// the query is refused).
pub async fn api(State(state): State<AppState>, Query(query): Query<SearchQuery>) -> Response {
    match state.platform.search(&query.q).await {
        Ok(results) => Json(serde_json::json!({
            "channels": results.channels.iter().map(|channel| serde_json::json!({
                "username": channel.username,
                "display_name": channel.display_name,
                "title": channel.title,
                "live": channel.live,
                "mature": channel.mature,
                "category": channel.category_name.as_ref().zip(channel.category_slug.as_ref())
                    .map(|(name, slug)| serde_json::json!({ "name": name, "slug": slug })),
                "last_streamed_at": channel.last_streamed_at,
                "url": format!("/{}", channel.username),
                "thumbnail": format!("/channels/{}/thumbnail/416.jpg", channel.channel_id),
            })).collect::<Vec<_>>(),
            "more_channels": results.more_channels,
            "categories": results.categories.iter().map(|category| serde_json::json!({
                "name": category.name,
                "slug": category.slug,
                "live_channels": category.live_channels,
                "url": format!("/streams/{}", category.slug),
            })).collect::<Vec<_>>(),
            "tags": results.tags.iter().map(|tag| serde_json::json!({
                "name": tag.name,
                "slug": tag.slug,
                "category": { "name": tag.category_name, "slug": tag.category_slug },
                "url": format!("/streams/{}?tag={}", tag.category_slug, tag.slug),
            })).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(error) => json_error(error),
    }
}
