//! Chat pages: the pop-out chat, the channel's chat settings, its moderators, and the
//! moderation page (bans, timeouts and the log).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use shimmer_platform::chat::ModerationKind;
use shimmer_platform::views::{ChatSettings, ModeratorPermissions};
use shimmer_platform::ChannelView;
use shimmer_platform::PlatformError;

use super::{render, require_user, NoticeQuery};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::{refused, FormState, ParsedForm};
use crate::templates::{
    format_time, BanRow, ChatPopoutPage, ChatSettingsPage, LogRow, ModerationPage, ModeratorsPage,
    PageContext,
};
use crate::AppState;

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

#[derive(Deserialize, Default)]
pub struct PopoutQuery {
    #[serde(default)]
    transparent: Option<String>,
}

/// `/<username>/chat`: the chat alone, for a second window, an OBS dock or an overlay
/// (`?transparent=1` drops the background).
pub async fn popout(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    Query(query): Query<PopoutQuery>,
) -> Result<Response, WebError> {
    let channel = channel_named(&state, &username).await?;
    let transparent = query
        .transparent
        .is_some_and(|value| value != "0" && value != "false");
    let page = PageContext::new(
        format!("Chat · {}", channel.display_name),
        &context,
        state.config.dev_mode,
    );
    // The overlay stays transparent over the streamer's video: no picture behind it.
    let chat_background = match transparent {
        true => None,
        false => super::thumbnails::chat_background_src(&state, channel.id).await,
    };
    let mut response = render(
        StatusCode::OK,
        &ChatPopoutPage {
            page,
            channel_id: channel.id,
            display_name: channel.display_name,
            transparent,
            chat_timestamps: context.chat_timestamps,
            chat_background,
        },
    );
    // The pop-out may be framed by the site's own pages (OBS docks and overlays load it as a
    // top-level page, which needs nothing).
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::X_FRAME_OPTIONS,
        axum::http::HeaderValue::from_static("SAMEORIGIN"),
    );
    headers.insert(
        axum::http::header::CONTENT_SECURITY_POLICY,
        axum::http::HeaderValue::from_static(
            crate::middleware::security_headers::EMBEDDABLE_CONTENT_SECURITY_POLICY,
        ),
    );
    Ok(response)
}

fn settings_form(settings: &ChatSettings) -> FormState {
    FormState::default()
        .with_value(
            "min_account_age_hours",
            &settings.min_account_age_hours.to_string(),
        )
        .with_value("slow_mode_seconds", &settings.slow_mode_seconds.to_string())
}

pub async fn settings_page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = state.platform.channel_of_user(user.id).await?;
    let settings = state.platform.chat_settings(channel.id).await?;
    let page = PageContext::new("title-chat-settings", &context, state.config.dev_mode)
        .with_notice(notice.message());
    Ok(render(
        StatusCode::OK,
        &ChatSettingsPage {
            page,
            section: "chat",
            form: settings_form(&settings),
            settings,
        },
    ))
}

#[derive(Deserialize)]
pub struct ChatSettingsForm {
    #[serde(default)]
    min_account_age_hours: String,
    #[serde(default)]
    slow_mode_seconds: String,
    #[serde(default)]
    require_verified_email: Option<String>,
    #[serde(default)]
    block_links: Option<String>,
    #[serde(default)]
    links_clickable: Option<String>,
    #[serde(default)]
    recent_only: Option<String>,
    #[serde(default)]
    subscribers_only: Option<String>,
    #[serde(default)]
    accept_raids: Option<String>,
}

fn whole_number(value: &str, field: &'static str, label: &str) -> Result<i64, PlatformError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(0);
    }
    value
        .parse()
        .map_err(|_| PlatformError::invalid(field, format!("{label} must be a whole number.")))
}

pub async fn save_settings(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<ChatSettingsForm>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = state.platform.channel_of_user(user.id).await?;
    let parsed = whole_number(
        &form.min_account_age_hours,
        "min_account_age_hours",
        "The minimum account age",
    )
    .and_then(|age| {
        whole_number(&form.slow_mode_seconds, "slow_mode_seconds", "Slow mode")
            .map(|slow| (age, slow))
    });
    let settings = ChatSettings {
        min_account_age_hours: parsed.as_ref().map_or(0, |(age, _)| *age),
        slow_mode_seconds: parsed.as_ref().map_or(0, |(_, slow)| *slow),
        require_verified_email: form.require_verified_email.is_some(),
        block_links: form.block_links.is_some(),
        links_clickable: form.links_clickable.is_some(),
        recent_only: form.recent_only.is_some(),
        subscribers_only: form.subscribers_only.is_some(),
        accept_raids: form.accept_raids.is_some(),
    };
    let result = match parsed {
        Ok(_) => {
            state
                .platform
                .update_chat_settings(user, channel.id, &settings)
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/users/settings/chat?notice=chat_saved").into_response()),
        Err(error) => {
            let (status, form_state) = refused(error)?;
            let form_state = form_state
                .with_value("min_account_age_hours", &form.min_account_age_hours)
                .with_value("slow_mode_seconds", &form.slow_mode_seconds);
            let page = PageContext::new("title-chat-settings", &context, state.config.dev_mode);
            Ok(render(
                status,
                &ChatSettingsPage {
                    page,
                    section: "chat",
                    form: form_state,
                    settings,
                },
            ))
        }
    }
}

async fn moderators_response(
    state: &AppState,
    context: &RequestContext,
    status: StatusCode,
    notice: Option<&'static str>,
    form: FormState,
) -> Result<Response, WebError> {
    let user = &require_user(context)?.user;
    let channel = state.platform.channel_of_user(user.id).await?;
    let moderators = state.platform.moderators(user, channel.id).await?;
    let mut editors = Vec::new();
    for moderator in &moderators {
        if state
            .platform
            .is_channel_editor(channel.id, moderator.user_id)
            .await?
        {
            editors.push(moderator.user_id);
        }
    }
    let page =
        PageContext::new("title-moderators", context, state.config.dev_mode).with_notice(notice);
    Ok(render(
        status,
        &ModeratorsPage {
            page,
            section: "moderators",
            form,
            moderators,
            channel_username: channel.username,
            editors,
        },
    ))
}

pub async fn moderators_page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    moderators_response(
        &state,
        &context,
        StatusCode::OK,
        notice.message(),
        FormState::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct ModeratorForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    short_timeout: Option<String>,
    #[serde(default)]
    long_timeout: Option<String>,
    #[serde(default)]
    ban: Option<String>,
    #[serde(default)]
    unban: Option<String>,
    #[serde(default)]
    delete: Option<String>,
    /// May also edit the stream's title and tags.
    #[serde(default)]
    editor: Option<String>,
}

pub async fn save_moderator(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<ModeratorForm>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = state.platform.channel_of_user(user.id).await?;
    let permissions = ModeratorPermissions {
        short_timeout: form.short_timeout.is_some(),
        long_timeout: form.long_timeout.is_some(),
        ban: form.ban.is_some(),
        unban: form.unban.is_some(),
        delete: form.delete.is_some(),
    };
    let saved = match state
        .platform
        .set_moderator(user, channel.id, &form.username, permissions)
        .await
    {
        Ok(()) => {
            set_editor(
                &state,
                user,
                channel.id,
                &form.username,
                form.editor.is_some(),
            )
            .await
        }
        Err(error) => Err(error),
    };
    match saved {
        Ok(()) => {
            Ok(Redirect::to("/users/settings/moderators?notice=moderator_saved").into_response())
        }
        Err(error) => {
            let (status, form_state) = refused(error)?;
            let form_state = form_state.with_value("username", &form.username);
            moderators_response(&state, &context, status, None, form_state).await
        }
    }
}

/// Marks the just-saved moderator as editor or not (the moderator form carries the flag).
async fn set_editor(
    state: &AppState,
    user: &shimmer_platform::UserView,
    channel_id: i64,
    username: &str,
    editor: bool,
) -> Result<(), shimmer_platform::PlatformError> {
    let moderator = state
        .platform
        .user_by_username(username.trim())
        .await?
        .ok_or(shimmer_platform::PlatformError::NotFound(
            "There is no user with that name.",
        ))?;
    state
        .platform
        .set_channel_editor(user, channel_id, moderator.id, editor)
        .await
}

pub async fn remove_moderator(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let channel = state.platform.channel_of_user(user.id).await?;
    state
        .platform
        .remove_moderator(user, channel.id, id)
        .await?;
    Ok(Redirect::to("/users/settings/moderators?notice=moderator_removed").into_response())
}

async fn moderation_response(
    state: &AppState,
    context: &RequestContext,
    channel: ChannelView,
    status: StatusCode,
    notice: Option<&'static str>,
    form: FormState,
) -> Result<Response, WebError> {
    let user = &require_user(context)?.user;
    let permissions = state
        .platform
        .chat_permissions(Some(user), channel.id)
        .await?;
    let now = shimmer_platform::now_ms();
    let bans = state
        .platform
        .channel_bans(user, channel.id)
        .await?
        .into_iter()
        .map(|ban| BanRow {
            username: ban.username,
            until: match ban.expires_at {
                None => context.t("moderation-banned"),
                Some(until) => context.message(
                    "moderation-timed-out-for",
                    &[("minutes", (((until - now).max(0) + 59_999) / 60_000).into())],
                ),
            },
        })
        .collect();
    let log = state
        .platform
        .moderation_log(user, channel.id)
        .await?
        .into_iter()
        .map(|entry| LogRow {
            when: format_time(context.locale, entry.created_at),
            moderator: entry
                .moderator
                .unwrap_or_else(|| context.t("moderation-deleted-user")),
            action: moderation_action_words(context.locale, &entry.action),
            target: entry.target.unwrap_or_else(|| "—".into()),
        })
        .collect();
    let page = PageContext::new(
        context.message(
            "moderation-title",
            &[("name", channel.display_name.as_str().into())],
        ),
        context,
        state.config.dev_mode,
    )
    .with_notice(notice);
    Ok(render(
        status,
        &ModerationPage {
            page,
            form,
            channel_username: channel.username,
            channel_display_name: channel.display_name,
            permissions,
            bans,
            log,
        },
    ))
}

pub async fn moderation_page(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    require_user(&context)?;
    let channel = channel_named(&state, &username).await?;
    moderation_response(
        &state,
        &context,
        channel,
        StatusCode::OK,
        notice.message(),
        FormState::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct ModerateForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    action: String,
}

pub async fn moderate(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    ParsedForm(form): ParsedForm<ModerateForm>,
) -> Result<Response, WebError> {
    let user = require_user(&context)?.user.clone();
    let channel = channel_named(&state, &username).await?;
    let result = async {
        let kind = ModerationKind::parse(&form.action)
            .ok_or_else(|| PlatformError::invalid("action", "Choose an action from the list."))?;
        let target = state
            .platform
            .user_by_username(form.username.trim())
            .await?
            .ok_or_else(|| {
                PlatformError::invalid("username", "There is no user with that name.")
            })?;
        // The page offers Unban only beside someone banned or timed out; a lifted or expired
        // one is said so rather than logged and announced as an unban.
        if kind == ModerationKind::Unban
            && !state
                .platform
                .channel_bans(&user, channel.id)
                .await?
                .iter()
                .any(|ban| ban.user_id == target.id)
        {
            return Err(PlatformError::Refused(format!(
                "{} is not banned or timed out in this chat.",
                target.username
            )));
        }
        state
            .platform
            .moderate_user(&user, channel.id, target.id, kind)
            .await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!(
            "/{}/moderation?notice=moderated",
            channel.username
        ))
        .into_response()),
        Err(PlatformError::Forbidden) => Err(PlatformError::Forbidden.into()),
        Err(error) => {
            let (status, form_state) = refused(error)?;
            let form_state = form_state.with_value("username", &form.username);
            moderation_response(&state, &context, channel, status, None, form_state).await
        }
    }
}

/// A moderation action in `locale`'s words; an action the catalogue does not name yet reads as
/// its own name.
pub(crate) fn moderation_action_words(locale: shimmer_i18n::Locale, action: &str) -> String {
    let key = format!("moderation-action-{}", action.replace('_', "-"));
    match locale.t(&key) {
        words if words != key => words,
        _ => action.replace('_', " "),
    }
}
