//! Follows: the follow, unfollow and live-notification forms of the channel page (which its
//! script also sends with `fetch`, asking for JSON), the followers and following lists, and
//! the one-click unsubscribe link of live-notification emails.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde::Deserialize;
use shimmer_platform::community::follows::FollowPage;
use shimmer_platform::ChannelView;
use shimmer_platform::PlatformError;

use super::{render, require_user};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::ParsedForm;
use crate::templates::PageContext;
use crate::AppState;

#[derive(Template)]
#[template(path = "community/follow_list.html")]
pub struct FollowListPage {
    pub page: PageContext,
    pub heading: String,
    pub username: String,
    pub display_name: String,
    pub list: FollowPage,
    pub kind: &'static str,
}

#[derive(Template)]
#[template(path = "community/unsubscribed.html")]
pub struct UnsubscribedPage {
    pub page: PageContext,
    pub streamer: String,
}

async fn channel_named(state: &AppState, username: &str) -> Result<ChannelView, WebError> {
    if username.len() > 64 {
        return Err(WebError::NotFound);
    }
    state
        .platform
        .channel_by_username(username)
        .await?
        .ok_or(WebError::NotFound)
}

/// Whether the script asked for JSON rather than a page.
fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("application/json"))
}

async fn follow_state(
    state: &AppState,
    headers: &HeaderMap,
    channel: &ChannelView,
    follower_id: i64,
) -> Result<Response, WebError> {
    if !wants_json(headers) {
        return Ok(Redirect::to(&format!("/{}", channel.username)).into_response());
    }
    let notifications = state
        .platform
        .live_notifications_enabled(follower_id, channel.user_id)
        .await?;
    Ok(Json(serde_json::json!({
        "following": notifications.is_some(),
        "notifications": notifications.unwrap_or(false),
        "followers": state.platform.follower_count(channel.user_id).await?,
    }))
    .into_response())
}

pub async fn follow(
    State(state): State<AppState>,
    context: RequestContext,
    headers: HeaderMap,
    Path(username): Path<String>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = channel_named(&state, &username).await?;
    state.platform.follow(user.id, channel.user_id).await?;
    follow_state(&state, &headers, &channel, user.id).await
}

pub async fn unfollow(
    State(state): State<AppState>,
    context: RequestContext,
    headers: HeaderMap,
    Path(username): Path<String>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = channel_named(&state, &username).await?;
    state.platform.unfollow(user.id, channel.user_id).await?;
    follow_state(&state, &headers, &channel, user.id).await
}

#[derive(Deserialize)]
pub struct NotificationsForm {
    #[serde(default)]
    enabled: Option<String>,
}

pub async fn notifications(
    State(state): State<AppState>,
    context: RequestContext,
    headers: HeaderMap,
    Path(username): Path<String>,
    ParsedForm(form): ParsedForm<NotificationsForm>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = channel_named(&state, &username).await?;
    let enabled = matches!(form.enabled.as_deref(), Some("on" | "true" | "1"));
    state
        .platform
        .set_live_notifications(user.id, channel.user_id, enabled)
        .await?;
    follow_state(&state, &headers, &channel, user.id).await
}

#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<String>,
}

impl PageQuery {
    fn number(&self) -> i64 {
        self.page
            .as_deref()
            .and_then(|page| page.parse().ok())
            .unwrap_or(1)
    }
}

pub async fn followers(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    let channel = channel_named(&state, &username).await?;
    let list = state
        .platform
        .followers(channel.user_id, query.number())
        .await?;
    let heading = context.message(
        "follows-followers-of",
        &[("name", channel.display_name.as_str().into())],
    );
    list_page(&state, &context, channel, list, heading, "followers")
}

pub async fn following(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    let channel = channel_named(&state, &username).await?;
    let list = state
        .platform
        .following(channel.user_id, query.number())
        .await?;
    let heading = context.message(
        "follows-following-of",
        &[("name", channel.display_name.as_str().into())],
    );
    list_page(&state, &context, channel, list, heading, "following")
}

fn list_page(
    state: &AppState,
    context: &RequestContext,
    channel: ChannelView,
    list: FollowPage,
    heading: String,
    kind: &'static str,
) -> Result<Response, WebError> {
    let page = PageContext::new(heading.clone(), context, state.config.dev_mode);
    Ok(render(
        StatusCode::OK,
        &FollowListPage {
            page,
            heading,
            username: channel.username,
            display_name: channel.display_name,
            list,
            kind,
        },
    ))
}

#[derive(Deserialize)]
pub struct UnsubscribeQuery {
    #[serde(default)]
    user: String,
    #[serde(default)]
    streamer: String,
    #[serde(default)]
    sig: String,
}

/// `GET /follows/unsubscribe?user=&streamer=&sig=`: the emailed one-click link. It only turns
/// an email off, so a link scanner following it does no harm beyond that.
pub async fn unsubscribe(
    State(state): State<AppState>,
    context: RequestContext,
    Query(query): Query<UnsubscribeQuery>,
) -> Result<Response, WebError> {
    let invalid = || {
        WebError::Platform(PlatformError::TokenUnusable {
            message: "follows-unsubscribe-invalid",
        })
    };
    let user: i64 = query.user.parse().map_err(|_| invalid())?;
    let streamer: i64 = query.streamer.parse().map_err(|_| invalid())?;
    let streamer = state
        .platform
        .unsubscribe_live_notifications(user, streamer, &query.sig)
        .await?;
    let page = PageContext::new("title-unsubscribed", &context, state.config.dev_mode);
    Ok(render(StatusCode::OK, &UnsubscribedPage { page, streamer }))
}
