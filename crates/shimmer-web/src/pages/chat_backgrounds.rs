//! The chat background section of the channel settings: upload (multipart, with the CSRF token
//! in the query like the poster upload) and removal. The domain validates and authorizes; a
//! refusal shows the channel settings again with the reason beside the file field.

use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use shimmer_platform::chat_backgrounds::MAX_CHAT_BACKGROUND_BYTES;
use shimmer_platform::PlatformError;

use super::require_user;
use super::settings::channel_settings_response;
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::{read_file_field, refused, FormState};
use crate::AppState;

/// The form's file field, and the field its refusals are shown beside.
const FIELD: &str = "chat_background";

/// Room for the largest picture plus the multipart framing; a larger body is cut off unread.
pub fn upload_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(MAX_CHAT_BACKGROUND_BYTES + 64 * 1024)
}

/// `POST /users/settings/chat-background`.
pub async fn upload(
    State(state): State<AppState>,
    context: RequestContext,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = state.platform.channel_of_user(user.id).await?;
    let file = match read_file_field(multipart, FIELD).await {
        Ok(file) => file,
        Err(error) => {
            let (status, key) = if error.too_large() {
                (StatusCode::PAYLOAD_TOO_LARGE, "chat-background-too-large")
            } else {
                (StatusCode::BAD_REQUEST, "chat-background-unreadable")
            };
            let form =
                FormState::default().with_error(&PlatformError::invalid(FIELD, context.t(key)));
            return channel_settings_response(&state, &context, status, None, form).await;
        }
    };
    match state
        .platform
        .set_chat_background(user, channel.id, file)
        .await
    {
        Ok(()) => Ok(Redirect::to(
            "/users/settings/channel?notice=chat_background_saved#chat-background",
        )
        .into_response()),
        Err(error) => {
            let (status, form) = refused(error)?;
            channel_settings_response(&state, &context, status, None, form).await
        }
    }
}

/// `POST /users/settings/chat-background/remove`.
pub async fn remove(
    State(state): State<AppState>,
    context: RequestContext,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = state.platform.channel_of_user(user.id).await?;
    state
        .platform
        .remove_chat_background(user, channel.id)
        .await?;
    Ok(
        Redirect::to("/users/settings/channel?notice=chat_background_removed#chat-background")
            .into_response(),
    )
}
