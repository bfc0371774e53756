//! The channel page and its live event feed.

use std::convert::Infallible;
use std::time::Duration;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::{stream, Stream, StreamExt};
use serde::Deserialize;
use shimmer_platform::{ChannelView, Platform};

use super::{render, NoticeQuery};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::middleware::security_headers::allow_form_action;
use crate::templates::{ChannelCommunity, ChannelPage, PageContext, ShareCard};
use crate::AppState;

#[derive(Template)]
#[template(path = "accounts/mature.html")]
struct MaturePage {
    page: PageContext,
    username: String,
    display_name: String,
}

/// `?mature=continue`: the viewer chose to see a mature channel this once.
#[derive(Deserialize, Default)]
pub struct ChannelQuery {
    #[serde(default)]
    mature: String,
}

pub async fn page(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    Query(query): Query<ChannelQuery>,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    if username.len() > 64 {
        return Err(WebError::NotFound);
    }
    let channel = state
        .platform
        .channel_by_username(&username)
        .await?
        .ok_or(WebError::NotFound)?;
    let is_owner = context
        .user()
        .is_some_and(|user| user.id == channel.user_id);
    if channel.mature && !is_owner && !context.show_mature && query.mature != "continue" {
        let page = PageContext::new(
            context.message(
                "mature-title",
                &[("name", channel.display_name.as_str().into())],
            ),
            &context,
            state.config.dev_mode,
        );
        return Ok(render(
            StatusCode::OK,
            &MaturePage {
                page,
                username: channel.username,
                display_name: channel.display_name,
            },
        ));
    }
    let can_moderate = state
        .platform
        .chat_permissions(context.user(), channel.id)
        .await?
        .is_moderator();
    let poster = super::thumbnails::poster_src(&state, channel.id).await;
    let community = community(&state, &context, &channel).await?;
    let support = state
        .platform
        .support_offer(context.user(), &channel)
        .await?;
    let page = PageContext::new(
        channel.display_name.clone(),
        &context,
        state.config.dev_mode,
    )
    .with_notice(notice.message())
    .with_description(share_description(&context, &channel))
    .with_share(share_card(&state, &channel));
    let hosting = match channel.is_live() {
        true => None,
        false => state.platform.hosted_channel(channel.id).await?,
    };
    let offers_support = support.is_some();
    let panels = state.platform.channel_panels(channel.id).await?;
    let avatar = state
        .platform
        .avatar_urls(&[channel.user_id], AVATAR_SIZE)
        .await?
        .remove(&channel.user_id)
        .flatten();
    let live_since = live_since(&state, &channel).await?;
    let chat_background = super::thumbnails::chat_background_src(&state, channel.id).await;
    let share_url = share_url(&state, &channel);
    let mut response = render(
        StatusCode::OK,
        &ChannelPage {
            page,
            channel_id: channel.id,
            live: channel.is_live(),
            username: channel.username,
            avatar_initial: channel
                .display_name
                .chars()
                .next()
                .map(|first| first.to_uppercase().collect())
                .unwrap_or_default(),
            display_name: channel.display_name,
            title: channel.title,
            mature: channel.mature,
            is_owner,
            can_moderate,
            transparent: false,
            chat_timestamps: context.chat_timestamps,
            poster,
            community,
            support,
            hosting,
            panels,
            chat_background,
            avatar,
            uptime: live_since
                .map(|since| uptime(shimmer_platform::now_ms() - since))
                .unwrap_or_default(),
            live_since,
            share_url,
        },
    );
    if offers_support {
        allow_form_action(&mut response, &state.config.payment_page_origins);
    }
    Ok(response)
}

/// The avatar size beside the channel's title (shown at 48 CSS pixels, sharp on dense screens).
const AVATAR_SIZE: u32 = 64;

/// When the channel's current stream started, while it is live.
async fn live_since(state: &AppState, channel: &ChannelView) -> Result<Option<i64>, WebError> {
    let Some(stream_id) = channel.current_stream_id.filter(|_| channel.is_live()) else {
        return Ok(None);
    };
    Ok(state
        .platform
        .stream(stream_id)
        .await?
        .map(|stream| stream.started_at))
}

/// A stream's running time as `h:mm:ss` (never negative), as the page's script writes it.
fn uptime(elapsed_ms: i64) -> String {
    let seconds = elapsed_ms.max(0) / 1000;
    format!(
        "{}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// The channel's absolute address on the site's public URL.
fn share_url(state: &AppState, channel: &ChannelView) -> String {
    format!(
        "{}/{}",
        state.platform.settings.base_url.trim_end_matches('/'),
        channel.username
    )
}

/// What a shared link to the channel says: the stream title and who streams it.
fn share_description(context: &RequestContext, channel: &ChannelView) -> String {
    let key = if channel.is_live() {
        "channel-share-live"
    } else {
        "channel-share-offline"
    };
    context.message(
        key,
        &[
            ("name", channel.display_name.as_str().into()),
            ("title", channel.title.as_str().into()),
        ],
    )
}

/// The stream title and streamer as a headline, the channel's address and its current live
/// thumbnail (the poster or placeholder while offline), absolute on the site's public URL. A
/// live picture's URL names the stream, so sites that keep a shared link's picture fetch a new
/// one for each stream.
fn share_card(state: &AppState, channel: &ChannelView) -> ShareCard {
    let base = state.platform.settings.base_url.trim_end_matches('/');
    let stream = channel
        .current_stream_id
        .filter(|_| channel.is_live())
        .map(|id| format!("?stream={id}"))
        .unwrap_or_default();
    ShareCard {
        title: format!("{} · {}", channel.title, channel.display_name),
        url: share_url(state, channel),
        image: format!("{base}/channels/{}/thumbnail/832.jpg{stream}", channel.id),
    }
}

async fn community(
    state: &AppState,
    context: &RequestContext,
    channel: &ChannelView,
) -> Result<ChannelCommunity, WebError> {
    let platform = &state.platform;
    let place = platform.channel_category(channel.id).await?;
    let viewer = context.user();
    let notifications = match viewer {
        Some(user) if user.id != channel.user_id => {
            platform
                .live_notifications_enabled(user.id, channel.user_id)
                .await?
        }
        _ => None,
    };
    let edit = match viewer {
        Some(user) if Platform::may_manage_channel(user, channel) => "all",
        Some(user) if platform.is_channel_editor(channel.id, user.id).await? => "title_tags",
        _ => "",
    };
    let viewers = (!platform.hides_viewer_count(channel.id).await?)
        .then(|| platform.viewer_count(channel.id));
    Ok(ChannelCommunity {
        category: place.category.map(|c| (c.name, c.slug)),
        subcategory: place.subcategory.map(|s| (s.name, s.slug)),
        tags: place.tags.into_iter().map(|t| (t.name, t.slug)).collect(),
        language: channel.language.clone(),
        followers: platform.follower_count(channel.user_id).await?,
        can_follow: viewer.is_some_and(|user| user.id != channel.user_id),
        following: notifications.is_some(),
        notifications: notifications.unwrap_or(false),
        viewers,
        edit,
        categories: if edit.is_empty() {
            Vec::new()
        } else {
            platform.categories().await?
        },
        languages: shimmer_platform::channels::LANGUAGES,
    })
}

/// Server-sent events for one channel: first its current status (with `started_at`, the live
/// stream's start in milliseconds since the epoch, else null), then its stream status events
/// (stream started or ended, settings changed) as the bus's JSON, and its concurrent viewers as
/// `{"type": "viewers", ...}` whenever they change (unless the streamer hides the count).
pub async fn events(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let lookup = || async { state.platform.channel(id).await?.ok_or(WebError::NotFound) };
    // Only existing channels get a room; the status is read after subscribing, so no
    // transition falls between the two.
    lookup().await?;
    let updates = state.fanout.subscribe_status(id);
    let counts = state.platform.subscribe_viewer_counts();
    let channel = lookup().await?;
    let hidden = state.platform.hides_viewer_count(id).await?;
    let started_at = live_since(&state, &channel).await?;
    let status = serde_json::json!({
        "type": "status",
        "channel_id": channel.id,
        "live": channel.is_live(),
        "stream_id": channel.current_stream_id,
        "started_at": started_at,
        "viewers": (!hidden).then(|| state.platform.viewer_count(channel.id)),
    });
    let first = stream::once(async move { status.to_string() });
    let statuses = futures::stream::unfold(updates, |mut updates| async move {
        loop {
            match updates.recv().await {
                Ok(frame) => return Some((frame.to_string(), updates)),
                // A lagging page skips ahead; its next status event corrects it.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    let viewers = futures::stream::unfold(counts, move |mut counts| async move {
        loop {
            match counts.recv().await {
                Ok(count) if count.channel_id == id && !hidden => {
                    let frame = serde_json::json!({
                        "type": "viewers",
                        "channel_id": id,
                        "viewers": count.viewers,
                    });
                    return Some((frame.to_string(), counts));
                }
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    let rest = futures::stream::select(statuses, viewers);
    // At shutdown the stream ends (a graceful shutdown waits for every open response) with a
    // last event that tells the page to reconnect soon.
    let restarting = SseEvent::default()
        .retry(Duration::from_secs(2))
        .data(r#"{"type":"restarting"}"#);
    let feed: std::pin::Pin<Box<dyn Stream<Item = Result<SseEvent, Infallible>> + Send>> = Box::pin(
        first
            .chain(rest)
            .map(|data| SseEvent::default().data(data))
            .take_until(state.shutdown.clone().cancelled_owned())
            .chain(stream::once(async move { restarting }))
            .map(Ok),
    );
    Ok(Sse::new(feed)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::uptime;

    #[test]
    fn uptimes_are_hours_minutes_and_seconds() {
        assert_eq!(uptime(0), "0:00:00");
        assert_eq!(uptime(-5_000), "0:00:00");
        assert_eq!(uptime(59_999), "0:00:59");
        assert_eq!(uptime(5_025_000), "1:23:45");
        assert_eq!(uptime(100 * 3_600_000), "100:00:00");
    }
}
