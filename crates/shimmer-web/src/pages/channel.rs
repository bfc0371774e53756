//! The channel page and its live event feed.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::{stream, Stream, StreamExt};
use shimmer_platform::PlatformError;

use super::render;
use crate::context::RequestContext;
use crate::error::WebError;
use crate::templates::{ChannelPage, PageContext};
use crate::AppState;

pub async fn page(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
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
    let can_moderate = state
        .platform
        .chat_permissions(context.user(), channel.id)
        .await?
        .is_moderator();
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
        },
    ))
}

/// Server-sent events for one channel: first its current status, then every bus event about
/// it (stream started or ended, settings changed, viewers), as JSON.
pub async fn events(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let channel = state
        .platform
        .store
        .channel_by_id(id)
        .await
        .map_err(PlatformError::from)?
        .ok_or(WebError::NotFound)?;
    let bus_events = state.platform.bus.subscribe().await.map_err(|error| {
        tracing::error!(%error, "could not subscribe to the bus");
        WebError::Status(
            StatusCode::SERVICE_UNAVAILABLE,
            "Live updates are unavailable right now.".into(),
        )
    })?;
    let status = serde_json::json!({
        "type": "status",
        "channel_id": channel.id,
        "live": channel.is_live(),
        "stream_id": channel.current_stream_id,
    });
    let first = stream::once(async move { status.to_string() });
    let rest = bus_events
        .filter(move |event| std::future::ready(event.channel_id() == id))
        .filter_map(|event| async move { serde_json::to_string(&event).ok() });
    let feed: std::pin::Pin<Box<dyn Stream<Item = Result<SseEvent, Infallible>> + Send>> = Box::pin(
        first
            .chain(rest)
            .map(|data| Ok(SseEvent::default().data(data))),
    );
    Ok(Sse::new(feed)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}
