//! Discovery: the home page (for visitors a short hero saying what the site is; for signed-in
//! users the followed channels that are live; the featured channel, live channels with
//! followed ones first, categories with their live counts, the channels that streamed), the
//! browse pages (`/streams`, `/streams/{category}` with subcategory,
//! tag, language and search filters), and the JSON the tag selector and players read.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use shimmer_platform::channels::LANGUAGES;
use shimmer_platform::community::discovery::{DiscoveryQuery, LiveCard};
use shimmer_platform::views::{Category, LiveCategory};
use shimmer_platform::PlatformError;

use super::{render, NoticeQuery};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::templates::{ChannelCard, PageContext};
use crate::AppState;

const HOME_CHANNELS: i64 = 60;

/// A live channel as a card shows it.
#[derive(Clone)]
pub struct LiveCardView {
    pub channel_id: i64,
    pub username: String,
    pub display_name: String,
    pub title: String,
    pub mature: bool,
    pub language: String,
    pub category: Option<(String, String)>,
    pub subcategory: Option<(String, String)>,
    /// (name, slug) pairs.
    pub tags: Vec<(String, String)>,
    pub viewers: Option<i64>,
    pub followed: bool,
}

impl From<LiveCard> for LiveCardView {
    fn from(card: LiveCard) -> Self {
        let channel = card.channel;
        Self {
            channel_id: channel.channel_id,
            username: channel.username,
            display_name: channel.display_name,
            title: channel.title,
            mature: channel.mature,
            language: channel.language,
            category: channel.category_name.zip(channel.category_slug),
            subcategory: channel.subcategory_name.zip(channel.subcategory_slug),
            tags: card.tags.into_iter().map(|t| (t.name, t.slug)).collect(),
            viewers: card.viewers,
            followed: channel.followed,
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub page: PageContext,
    pub featured: Option<LiveCardView>,
    /// The live channels the signed-in user follows (the sidebar).
    pub followed: Vec<LiveCardView>,
    pub live: Vec<LiveCardView>,
    pub offline: Vec<ChannelCard>,
    pub live_categories: Vec<LiveCategory>,
}

#[derive(Template)]
#[template(path = "community/streams.html")]
pub struct StreamsPage {
    pub page: PageContext,
    pub heading: String,
    /// The path the filter form submits to.
    pub action: String,
    pub live: Vec<LiveCardView>,
    pub categories: Vec<Category>,
    pub languages: &'static [(&'static str, &'static str)],
    pub filter: BrowseQuery,
    pub error: Option<String>,
}

/// The filters in a browse page's query string.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct BrowseQuery {
    #[serde(default)]
    pub subcategory: String,
    #[serde(default)]
    pub tag: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub q: String,
}

pub async fn home(
    State(state): State<AppState>,
    context: RequestContext,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let cards = state
        .platform
        .discover(context.user(), &DiscoveryQuery::default())
        .await?;
    let featured = state
        .platform
        .featured(&cards)
        .cloned()
        .map(LiveCardView::from);
    let live: Vec<LiveCardView> = cards.into_iter().map(LiveCardView::from).collect();
    let followed = live.iter().filter(|card| card.followed).cloned().collect();
    let offline = state
        .platform
        .channels_that_streamed(HOME_CHANNELS)
        .await?
        .into_iter()
        .filter(|channel| !channel.is_live())
        .map(|channel| ChannelCard {
            live: false,
            username: channel.username,
            display_name: channel.display_name,
            title: channel.title,
            mature: channel.mature,
            language: channel.language,
        })
        .collect();
    let page = PageContext::new("title-live-streams", &context, state.config.dev_mode)
        .with_notice(notice.message());
    Ok(render(
        StatusCode::OK,
        &HomePage {
            page,
            featured,
            followed,
            live,
            offline,
            live_categories: state.platform.live_categories().await?,
        },
    ))
}

/// `/streams`: every live channel, with the language and search filters.
pub async fn all_streams(
    state: State<AppState>,
    context: RequestContext,
    Query(filter): Query<BrowseQuery>,
) -> Result<Response, WebError> {
    browse(state, context, None, filter).await
}

/// `/streams/{category}`: the category's live channels, narrowed by subcategory, tag,
/// language and search.
pub async fn category_streams(
    state: State<AppState>,
    context: RequestContext,
    Path(category): Path<String>,
    Query(filter): Query<BrowseQuery>,
) -> Result<Response, WebError> {
    browse(state, context, Some(category), filter).await
}

async fn browse(
    State(state): State<AppState>,
    context: RequestContext,
    category_slug: Option<String>,
    filter: BrowseQuery,
) -> Result<Response, WebError> {
    let category = match &category_slug {
        Some(slug) => Some(state.platform.category_by_slug(slug).await?),
        None => None,
    };
    let query = DiscoveryQuery {
        category: category_slug.clone().unwrap_or_default(),
        subcategory: filter.subcategory.clone(),
        tag: filter.tag.clone(),
        language: filter.language.clone(),
        search: filter.q.clone(),
    };
    let (status, live, error) = match state.platform.discover(context.user(), &query).await {
        Ok(cards) => (
            StatusCode::OK,
            cards.into_iter().map(LiveCardView::from).collect(),
            None,
        ),
        Err(error @ PlatformError::Invalid(_)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Vec::new(),
            Some(context.locale.words(&error.to_string())),
        ),
        Err(error) => return Err(error.into()),
    };
    let mut heading = match &category {
        Some(category) => context.message(
            "streams-category-heading",
            &[(
                "category",
                crate::templates::category_name(context.locale, &category.slug, &category.name)
                    .into(),
            )],
        ),
        None => context.t("title-live-streams"),
    };
    if let Some(category) = &category {
        if !filter.subcategory.is_empty() {
            let subcategory = state
                .platform
                .subcategory_by_slug(category.id, &filter.subcategory)
                .await?;
            heading = format!("{} · {}", heading, subcategory.name);
        }
        if !filter.tag.is_empty() {
            let tag = state.platform.tag_by_slug(category.id, &filter.tag).await?;
            heading = context.message(
                "streams-tagged-heading",
                &[("heading", heading.into()), ("tag", tag.name.into())],
            );
        }
    }
    let action = match &category {
        Some(category) => format!("/streams/{}", category.slug),
        None => "/streams".to_owned(),
    };
    let page = PageContext::new(heading.clone(), &context, state.config.dev_mode);
    Ok(render(
        status,
        &StreamsPage {
            page,
            heading,
            action,
            live,
            categories: state.platform.categories().await?,
            languages: LANGUAGES,
            filter,
            error,
        },
    ))
}

#[derive(Deserialize)]
pub struct SuggestQuery {
    #[serde(default)]
    q: String,
}

/// `GET /api/categories/{slug}/tags?q=`: the tag selector's suggestions, most used first.
pub async fn tag_suggestions(
    State(state): State<AppState>,
    Path(category): Path<String>,
    Query(query): Query<SuggestQuery>,
) -> Response {
    match state.platform.tag_suggestions(&category, &query.q).await {
        Ok(tags) => Json(serde_json::json!({
            "tags": tags.into_iter().map(|tag| serde_json::json!({
                "name": tag.name, "slug": tag.slug, "count": tag.usage_count,
            })).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(error) => json_error(error),
    }
}

/// `GET /api/categories/{slug}/subcategories?q=`: subcategory suggestions.
pub async fn subcategory_suggestions(
    State(state): State<AppState>,
    Path(category): Path<String>,
    Query(query): Query<SuggestQuery>,
) -> Response {
    match state
        .platform
        .subcategory_suggestions(&category, &query.q)
        .await
    {
        Ok(subcategories) => Json(serde_json::json!({
            "subcategories": subcategories.into_iter().map(|s| serde_json::json!({
                "name": s.name, "slug": s.slug,
            })).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(error) => json_error(error),
    }
}

/// `GET /api/channels/{id}/viewers`: concurrent viewers now, and peak and unique viewers of
/// the current stream; every figure is null when the streamer hides the count.
pub async fn viewers(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return json_error(PlatformError::NotFound("That channel does not exist."));
    };
    let result = async {
        let channel = state
            .platform
            .channel(id)
            .await?
            .ok_or(PlatformError::NotFound("That channel does not exist."))?;
        if state.platform.hides_viewer_count(id).await? {
            return Ok(serde_json::json!({
                "channel_id": id, "live": channel.is_live(), "stream_id": channel.current_stream_id,
                "viewers": null, "peak": null, "unique": null,
            }));
        }
        let stats = match channel.current_stream_id {
            Some(stream_id) => Some(state.platform.stream_viewer_stats(stream_id).await?),
            None => None,
        };
        Ok::<_, PlatformError>(serde_json::json!({
            "channel_id": id,
            "live": channel.is_live(),
            "stream_id": channel.current_stream_id,
            "viewers": state.platform.viewer_count(id),
            "peak": stats.map(|s| s.peak_viewers),
            "unique": stats.map(|s| s.unique_viewers),
        }))
    }
    .await;
    match result {
        Ok(body) => Json(body).into_response(),
        Err(error) => json_error(error),
    }
}

pub(super) fn json_error(error: PlatformError) -> Response {
    let status = match error {
        PlatformError::Unauthenticated => StatusCode::UNAUTHORIZED,
        _ => crate::forms::status_for(&error),
    };
    if error.is_internal() {
        tracing::error!(%error, "request failed");
    }
    let message = if error.is_internal() {
        "Something went wrong on our side.".to_owned()
    } else {
        error.to_string()
    };
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}
