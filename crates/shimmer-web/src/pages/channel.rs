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
use shimmer_platform::PlatformError;

use super::render;
use crate::context::RequestContext;
use crate::error::WebError;
use crate::templates::{ChannelPage, PageContext};
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
) -> Result<Response, WebError> {
    if username.len() > 64 {
        return Err(WebError::NotFound);
    }
    let channel = state
        .platform
        .store
        .channel_by_username(&username)
        .await
        .map_err(PlatformError::from)?
        .ok_or(WebError::NotFound)?;
    let is_owner = context
        .user()
        .is_some_and(|user| user.id == channel.user_id);
    if channel.mature && !is_owner && !context.show_mature && query.mature != "continue" {
        let page = PageContext::new(
            format!("{} (mature)", channel.display_name),
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
    let page = PageContext::new(
        channel.display_name.clone(),
        &context,
        state.config.dev_mode,
    );
    Ok(render(
        StatusCode::OK,
        &ChannelPage {
            page,
            channel_id: channel.id,
            live: channel.is_live(),
            username: channel.username,
            display_name: channel.display_name,
            title: channel.title,
            mature: channel.mature,
            is_owner,
            can_moderate,
            transparent: false,
            chat_timestamps: context.chat_timestamps,
            poster,
        },
    ))
}

/// Server-sent events for one channel: first its current status, then its stream status events
/// (stream started or ended, settings changed) as the bus's JSON.
pub async fn events(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let lookup = || async {
        state
            .platform
            .store
            .channel_by_id(id)
            .await
            .map_err(PlatformError::from)?
            .ok_or(WebError::NotFound)
    };
    // Only existing channels get a room; the status is read after subscribing, so no
    // transition falls between the two.
    lookup().await?;
    let updates = state.fanout.subscribe_status(id);
    let channel = lookup().await?;
    let status = serde_json::json!({
        "type": "status",
        "channel_id": channel.id,
        "live": channel.is_live(),
        "stream_id": channel.current_stream_id,
    });
    let first = stream::once(async move { status.to_string() });
    let rest = futures::stream::unfold(updates, |mut updates| async move {
        loop {
            match updates.recv().await {
                Ok(frame) => return Some((frame.to_string(), updates)),
                // A lagging page skips ahead; its next status event corrects it.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    let feed: std::pin::Pin<Box<dyn Stream<Item = Result<SseEvent, Infallible>> + Send>> = Box::pin(
        first
            .chain(rest)
            .map(|data| Ok(SseEvent::default().data(data))),
    );
    Ok(Sse::new(feed)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}
