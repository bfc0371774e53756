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
use shimmer_platform::community::search::{Paging, SearchResults};
use shimmer_platform::views::LiveCategory;
use shimmer_platform::PlatformError;

use super::discovery::json_error;
use super::render;
use crate::context::RequestContext;
use crate::error::WebError;
use crate::templates::{ChannelCard, PageContext};
use crate::AppState;

/// The query string of `/search` and `/api/search`.
#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    /// The page, from 1; read by [`page_number`] so a bad value gets a clear refusal.
    #[serde(default)]
    page: Option<String>,
}

/// The page number a `page` parameter asks for: absent or empty is the first page; a number
/// too large for any list is clamped (it shows as a page past the end). Err for anything that
/// is not a whole number from 1.
pub fn page_number(raw: Option<&str>) -> Result<u32, ()> {
    let raw = raw.map(str::trim).unwrap_or_default();
    if raw.is_empty() {
        return Ok(1);
    }
    if !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(());
    }
    let digits = raw.trim_start_matches('0');
    if digits.is_empty() {
        return Err(());
    }
    Ok(digits.parse::<u32>().unwrap_or(u32::MAX))
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
    /// The links between the channels' pages, when there are channels to page through.
    pub pager: Option<Pager>,
}

/// What an empty search shows: every category with its live count and the channels that
/// streamed, live ones first.
pub struct Browse {
    pub live_categories: Vec<LiveCategory>,
    pub channels: Vec<ChannelCard>,
}

/// The paging of a list of channels as the page shows it.
pub struct Pager {
    /// "Channels 31–60 of 75", or the empty-page message past the end.
    pub summary: String,
    /// Whether the page lies past the last channel.
    pub past_end: bool,
    /// The first page's address.
    pub first_href: String,
    pub previous_href: Option<String>,
    pub next_href: Option<String>,
}

impl Pager {
    fn new(context: &RequestContext, query: &str, paging: Paging) -> Self {
        let href = |number: u32| {
            let mut params = url::form_urlencoded::Serializer::new(String::new());
            if !query.is_empty() {
                params.append_pair("q", query);
            }
            if number > 1 {
                params.append_pair("page", &number.to_string());
            }
            let params = params.finish();
            match params.is_empty() {
                true => "/search".to_owned(),
                false => format!("/search?{params}"),
            }
        };
        let past_end = paging.past_end();
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let summary = if past_end {
            context.message(
                "search-page-past-end",
                &[
                    ("page", i64::from(paging.number).into()),
                    ("total", count(paging.total).into()),
                ],
            )
        } else {
            context.message(
                "search-page-count",
                &[
                    ("first", count(paging.first_shown()).into()),
                    ("last", count(paging.last_shown()).into()),
                    ("total", count(paging.total).into()),
                ],
            )
        };
        Self {
            summary,
            past_end,
            first_href: href(1),
            previous_href: paging.previous().map(href),
            next_href: paging.next().map(href),
        }
    }
}

/// `GET /search?q=&page=`.
pub async fn page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(query): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let trimmed = query.q.trim();
    let number = page_number(query.page.as_deref());
    let (status, results, error) = match number {
        Err(()) => (
            StatusCode::BAD_REQUEST,
            SearchResults::default(),
            Some(context.t("search-bad-page")),
        ),
        Ok(number) => match state.platform.search(trimmed, number).await {
            Ok(results) => (StatusCode::OK, results, None),
            Err(error @ PlatformError::Invalid(_)) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                SearchResults::default(),
                Some(context.locale.words(&error.to_string())),
            ),
            Err(error) => return Err(error.into()),
        },
    };
    let mut pager = None;
    let browse = match number {
        Ok(number) if trimmed.is_empty() => {
            let (channels, paging) = state.platform.browse_channels(number).await?;
            if paging.total > 0 {
                pager = Some(Pager::new(&context, "", paging));
            }
            Some(Browse {
                live_categories: state.platform.live_categories().await?,
                channels: channels
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
        }
        _ => None,
    };
    if error.is_none() && browse.is_none() && results.total_channels > 0 {
        pager = Some(Pager::new(&context, trimmed, results.page));
    }
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
            pager,
        },
    ))
}

/// `GET /api/search?q=&page=`: the search page's results as JSON (`{"error": ...}` with 422
/// when the query is refused, 400 for a page that is not a whole number from 1).
pub async fn api(State(state): State<AppState>, Query(query): Query<SearchQuery>) -> Response {
    let Ok(number) = page_number(query.page.as_deref()) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({ "error": "page must be a whole number from 1." })),
        )
            .into_response();
    };
    match state.platform.search(&query.q, number).await {
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
            "total_channels": results.total_channels,
            "page": results.page.number,
            "pages": results.page.pages(),
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

#[cfg(test)]
mod tests {
    use super::page_number;

    #[test]
    fn page_numbers_are_whole_numbers_from_one() {
        assert_eq!(page_number(None), Ok(1));
        assert_eq!(page_number(Some("")), Ok(1));
        assert_eq!(page_number(Some("3")), Ok(3));
        assert_eq!(page_number(Some(" 007 ")), Ok(7));
        assert_eq!(page_number(Some("99999999999999999999")), Ok(u32::MAX));
        for bad in ["0", "000", "-1", "2.5", "two", "1e3", "+1"] {
            assert_eq!(page_number(Some(bad)), Err(()), "{bad}");
        }
    }
}
