//! `GET /api/channels/<id>/chatters/<username>`: the card a chatter's name opens in chat. Public
//! fields for everyone; the moderation history and current ban or timeout only for the
//! channel's moderators, owner and staff (the domain decides). Limited per reader.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use shimmer_platform::PlatformError;

use super::discovery::json_error;
use crate::context::RequestContext;
use crate::AppState;

pub async fn card(
    State(state): State<AppState>,
    context: RequestContext,
    Path((channel_id, username)): Path<(String, String)>,
) -> Response {
    let Ok(channel_id) = channel_id.parse::<i64>() else {
        return json_error(PlatformError::NotFound("That channel does not exist."));
    };
    let limit_key = match context.user() {
        Some(user) => format!("user:{}", user.id),
        None => format!("ip:{}", context.client_ip),
    };
    let card = match state
        .platform
        .chatter_card(context.user(), &limit_key, channel_id, &username)
        .await
    {
        Ok(card) => card,
        Err(error) => {
            let wait = error.retry_after();
            let mut response = json_error(error);
            if let Some(wait) = wait {
                let seconds = wait.as_secs().max(1).to_string();
                if let Ok(value) = HeaderValue::from_str(&seconds) {
                    response.headers_mut().insert(header::RETRY_AFTER, value);
                }
            }
            return response;
        }
    };
    let moderation = card.moderation.map(|moderation| {
        serde_json::json!({
            "banned": moderation.banned,
            "timed_out_until": moderation.timed_out_until,
            "history": moderation.history.iter().map(|step| serde_json::json!({
                "action": step.action,
                "moderator": step.moderator,
                "created_at": step.created_at,
            })).collect::<Vec<_>>(),
        })
    });
    let mut response = Json(serde_json::json!({
        "user_id": card.user_id,
        "username": card.username,
        "display_name": card.display_name,
        "avatar_url": card.avatar_url,
        "profile_url": format!("/{}/profile", card.username),
        "created_at": card.created_at,
        "followed_at": card.followed_at,
        "badges": card.badges,
        "moderation": moderation,
    }))
    .into_response();
    // The moderation part depends on who asks: never kept by a shared cache.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}
