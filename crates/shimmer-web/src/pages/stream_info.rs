//! The stream edit menu of the channel page: the streamer (or staff) sets title, category,
//! subcategory, tags, language and the mature flag; moderators marked as editors set title and
//! tags only (the platform logs their edits in the moderation log).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use shimmer_platform::community::categories::{split_tags, StreamInfoForm};
use shimmer_platform::{Platform, PlatformError};

use super::require_user;
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::ParsedForm;
use crate::AppState;

/// Only these fields are read; the live state and the key are never parsed.
#[derive(Deserialize)]
pub struct StreamInfoFields {
    #[serde(default)]
    title: String,
    category: Option<String>,
    #[serde(default)]
    subcategory: String,
    /// Comma-separated tag names (the tag selector keeps this field up to date).
    #[serde(default)]
    tags: String,
    language: Option<String>,
    mature: Option<String>,
}

pub async fn save(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    ParsedForm(form): ParsedForm<StreamInfoFields>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    if username.len() > 64 {
        return Err(WebError::NotFound);
    }
    let channel = state
        .platform
        .channel_by_username(&username)
        .await?
        .ok_or(WebError::NotFound)?;
    let tags = split_tags(&form.tags);
    let manager = Platform::may_manage_channel(user, &channel);
    let result = if manager && form.category.is_some() {
        let info = StreamInfoForm {
            title: form.title,
            category: form.category.unwrap_or_default(),
            subcategory: form.subcategory,
            tags,
            language: form.language.unwrap_or_else(|| channel.language.clone()),
            mature: form.mature.is_some(),
        };
        state
            .platform
            .update_stream_info(user, channel.id, &info)
            .await
    } else {
        state
            .platform
            .edit_title_and_tags(user, channel.id, &form.title, &tags)
            .await
    };
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/{}?notice=stream_saved", channel.username)).into_response())
        }
        Err(error @ PlatformError::Invalid(_)) => Err(WebError::Status(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("{error} Go back to change it."),
        )),
        Err(error) => Err(error.into()),
    }
}
