//! The signed-in user's settings: channel, stream key and security.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use shimmer_platform::channels::LANGUAGES;
use shimmer_platform::community::categories::{split_tags, StreamInfoForm};

use super::{render, require_user, NoticeQuery};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::{refused, FormState, ParsedForm};
use crate::templates::{
    ChannelSettingsPage, PageContext, SecuritySettingsPage, SessionRow, StreamSettingsPage,
};
use crate::AppState;

pub async fn index(context: RequestContext) -> Result<Response, WebError> {
    require_user(&context)?;
    Ok(Redirect::to("/users/settings/profile").into_response())
}

pub async fn channel_page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    channel_settings_response(
        &state,
        &context,
        StatusCode::OK,
        notice.message(),
        FormState::default(),
    )
    .await
}

/// The channel settings as stored, with `background_form` carrying a refused chat background
/// upload's reason (the chat background form sits on this page).
pub(super) async fn channel_settings_response(
    state: &AppState,
    context: &RequestContext,
    status: StatusCode,
    notice: Option<&'static str>,
    background_form: FormState,
) -> Result<Response, WebError> {
    let user = &require_user(context)?.user;
    let channel = state.platform.channel_of_user(user.id).await?;
    let place = state.platform.channel_category(channel.id).await?;
    let tags: Vec<String> = place.tags.into_iter().map(|tag| tag.name).collect();
    let form = FormState::default()
        .with_value("title", &channel.title)
        .with_value("language", &channel.language)
        .with_value(
            "category",
            place.category.as_ref().map_or("", |c| c.slug.as_str()),
        )
        .with_value(
            "subcategory",
            place.subcategory.as_ref().map_or("", |s| s.name.as_str()),
        )
        .with_value("tags", &tags.join(", "))
        .with_value(
            "auto_host",
            &state.platform.auto_hosts(channel.id).await?.join(", "),
        );
    let page = PageContext::new("title-channel-settings", context, state.config.dev_mode)
        .with_notice(notice);
    Ok(render(
        status,
        &ChannelSettingsPage {
            page,
            section: "channel",
            form,
            mature: channel.mature,
            languages: LANGUAGES,
            categories: state.platform.categories().await?,
            hide_viewer_count: state.platform.hides_viewer_count(channel.id).await?,
            chat_background: super::thumbnails::chat_background_src(state, channel.id).await,
            background_form,
            channel_username: channel.username,
        },
    ))
}

/// Only these fields are read: whatever else a request carries (status, stream ids, keys) is
/// never even parsed.
#[derive(Deserialize)]
pub struct ChannelForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    mature: Option<String>,
    #[serde(default)]
    category: String,
    #[serde(default)]
    subcategory: String,
    /// Comma-separated tag names (the tag selector keeps this field up to date).
    #[serde(default)]
    tags: String,
    #[serde(default)]
    hide_viewer_count: Option<String>,
    /// Usernames to host while offline, separated by commas or spaces.
    #[serde(default)]
    auto_host: String,
}

pub async fn channel(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<ChannelForm>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = state.platform.channel_of_user(user.id).await?;
    let info = StreamInfoForm {
        title: form.title.clone(),
        category: form.category.clone(),
        subcategory: form.subcategory.clone(),
        tags: split_tags(&form.tags),
        language: form.language.clone(),
        mature: form.mature.is_some(),
    };
    let hide_viewer_count = form.hide_viewer_count.is_some();
    // Every field is checked before any is written.
    let saved = match state
        .platform
        .check_auto_hosts(user, &channel, &form.auto_host)
        .await
    {
        Ok(hosts) => match state
            .platform
            .update_stream_info(user, channel.id, &info)
            .await
        {
            Ok(_) => match state
                .platform
                .set_hide_viewer_count(user, channel.id, hide_viewer_count)
                .await
            {
                Ok(()) => state.platform.save_auto_hosts(&hosts).await,
                Err(error) => Err(error),
            },
            Err(error) => Err(error),
        },
        Err(error) => Err(error),
    };
    match saved {
        Ok(()) => Ok(Redirect::to("/users/settings/channel?notice=channel_saved").into_response()),
        Err(error) => {
            let (status, form_state) = refused(error)?;
            let form_state = form_state
                .with_value("title", &form.title)
                .with_value("language", &form.language)
                .with_value("category", &form.category)
                .with_value("subcategory", &form.subcategory)
                .with_value("tags", &form.tags)
                .with_value("auto_host", &form.auto_host);
            let page = PageContext::new("title-channel-settings", &context, state.config.dev_mode);
            Ok(render(
                status,
                &ChannelSettingsPage {
                    page,
                    section: "channel",
                    form: form_state,
                    mature: info.mature,
                    languages: LANGUAGES,
                    categories: state.platform.categories().await?,
                    hide_viewer_count,
                    chat_background: super::thumbnails::chat_background_src(&state, channel.id)
                        .await,
                    background_form: FormState::default(),
                    channel_username: channel.username,
                },
            ))
        }
    }
}

pub async fn stream_page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = state.platform.channel_of_user(user.id).await?;
    let stream_key = state.platform.stream_key(user, channel.id).await?;
    let page = PageContext::new("title-stream-key", &context, state.config.dev_mode)
        .with_notice(notice.message());
    Ok(render(
        StatusCode::OK,
        &StreamSettingsPage {
            page,
            section: "stream",
            stream_key,
            email_confirmed: user.email_confirmed(),
            ingest_host: state.config.ingest_host.clone(),
            ingest_port: state.config.ingest_port,
            rtmp_port: state.config.rtmp_port,
            whip_url: state.config.whip_url.clone(),
        },
    ))
}

pub async fn rotate_key(
    State(state): State<AppState>,
    context: RequestContext,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = state.platform.channel_of_user(user.id).await?;
    state.platform.rotate_stream_key(user, channel.id).await?;
    Ok(Redirect::to("/users/settings/stream?notice=key_rotated").into_response())
}

async fn security_response(
    state: &AppState,
    context: &RequestContext,
    status: StatusCode,
    notice: Option<&'static str>,
    password_form: FormState,
    email_form: FormState,
) -> Result<Response, WebError> {
    let signed_in = require_user(context)?;
    let sessions = state
        .platform
        .sessions_of(&signed_in.user)
        .await?
        .into_iter()
        .map(|session| SessionRow {
            id: session.id,
            user_agent: if session.user_agent.is_empty() {
                "Unknown browser".into()
            } else {
                session.user_agent
            },
            last_seen: shimmer_i18n::relative_time(
                context.locale,
                session.last_seen_at,
                shimmer_platform::now_ms(),
            ),
            current: session.id == signed_in.session.id,
            remembered: session.remember,
        })
        .collect();
    let page = PageContext::new("title-security-settings", context, state.config.dev_mode)
        .with_notice(notice);
    Ok(render(
        status,
        &SecuritySettingsPage {
            page,
            section: "security",
            email: signed_in.user.email.clone(),
            email_confirmed: signed_in.user.email_confirmed(),
            password_form,
            email_form,
            sessions,
        },
    ))
}

pub async fn security_page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    security_response(
        &state,
        &context,
        StatusCode::OK,
        notice.message(),
        FormState::default(),
        FormState::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<PasswordForm>,
) -> Result<Response, WebError> {
    let signed_in = require_user(&context)?;
    match state
        .platform
        .change_password(signed_in, &form.current_password, &form.new_password)
        .await
    {
        Ok(()) => {
            Ok(Redirect::to("/users/settings/security?notice=password_changed").into_response())
        }
        Err(error) => {
            let (status, form_state) = refused(error)?;
            security_response(
                &state,
                &context,
                status,
                None,
                form_state,
                FormState::default(),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    current_password: String,
}

pub async fn change_email(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<EmailForm>,
) -> Result<Response, WebError> {
    let signed_in = require_user(&context)?;
    match state
        .platform
        .change_email(signed_in, &form.current_password, &form.email)
        .await
    {
        Ok(_) => {
            Ok(Redirect::to("/users/settings/security?notice=email_change_sent").into_response())
        }
        Err(error) => {
            let (status, form_state) = refused(error)?;
            let form_state = form_state.with_value("email", &form.email);
            security_response(
                &state,
                &context,
                status,
                None,
                FormState::default(),
                form_state,
            )
            .await
        }
    }
}

pub async fn revoke_session(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let signed_in = require_user(&context)?;
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    state.platform.end_session(signed_in.user.id, id).await?;
    Ok(Redirect::to("/users/settings/security?notice=session_revoked").into_response())
}
