//! The poster section of the channel settings: upload (multipart, with the CSRF token in the
//! query like the emote upload) and removal. The domain validates and authorizes.

use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use shimmer_platform::posters::MAX_POSTER_BYTES;
use shimmer_platform::PlatformError;

use super::{render, require_user, NoticeQuery};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::{read_file_field, refused, FormState};
use crate::templates::{PageContext, PosterSettingsPage};
use crate::AppState;

/// Room for the largest poster plus the multipart framing; a larger body is cut off unread.
pub fn upload_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(MAX_POSTER_BYTES + 64 * 1024)
}

const TOO_LARGE: &str = "That file is too large: posters are at most 4 MB.";
const UNREADABLE: &str = "The upload could not be read. Try again.";

async fn settings_response(
    state: &AppState,
    context: &RequestContext,
    status: StatusCode,
    notice: Option<&'static str>,
    form: FormState,
) -> Result<Response, WebError> {
    let user = &require_user(context)?.user;
    let channel = state.platform.channel_of_user(user.id).await?;
    let poster = super::thumbnails::poster_src(state, channel.id).await;
    let page = PageContext::new("title-poster", context, state.config.dev_mode).with_notice(notice);
    Ok(render(
        status,
        &PosterSettingsPage {
            page,
            section: "poster",
            form,
            poster,
            channel_username: channel.username,
        },
    ))
}

pub async fn settings_page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    settings_response(
        &state,
        &context,
        StatusCode::OK,
        notice.message(),
        FormState::default(),
    )
    .await
}

/// The `poster` file of the upload form; Err(message) when the body could not be read whole.
async fn read_file(multipart: Multipart) -> Result<Vec<u8>, &'static str> {
    read_file_field(multipart, "poster").await.map_err(|error| {
        if error.too_large() {
            TOO_LARGE
        } else {
            UNREADABLE
        }
    })
}

pub async fn upload(
    State(state): State<AppState>,
    context: RequestContext,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = state.platform.channel_of_user(user.id).await?;
    let file = match read_file(multipart).await {
        Ok(file) => file,
        Err(message) => {
            let status = if message == TOO_LARGE {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::BAD_REQUEST
            };
            let form = FormState::default().with_error(&PlatformError::invalid("poster", message));
            return settings_response(&state, &context, status, None, form).await;
        }
    };
    match state.platform.set_poster(user, channel.id, file).await {
        Ok(()) => Ok(Redirect::to("/users/settings/poster?notice=poster_saved").into_response()),
        Err(error) => {
            let (status, form) = refused(error)?;
            settings_response(&state, &context, status, None, form).await
        }
    }
}

pub async fn remove(
    State(state): State<AppState>,
    context: RequestContext,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = state.platform.channel_of_user(user.id).await?;
    state.platform.remove_poster(user, channel.id).await?;
    Ok(Redirect::to("/users/settings/poster?notice=poster_removed").into_response())
}
