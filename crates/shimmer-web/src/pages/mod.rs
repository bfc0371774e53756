//! Every route of the site, grouped by what a person is doing.

mod auth;
mod channel;
mod chat;
mod dev;
mod emotes;
mod home;
mod oauth;
mod ops;
mod settings;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use shimmer_platform::accounts::SignedIn;

use crate::context::RequestContext;
use crate::error::WebError;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::page))
        .route(
            "/users/register",
            get(auth::register_page).post(auth::register),
        )
        .route("/users/login", get(auth::login_page).post(auth::login))
        .route("/users/logout", post(auth::logout))
        .route("/users/confirm/resend", post(auth::resend_confirmation))
        .route(
            "/users/confirm/{token}",
            get(auth::confirm_page).post(auth::confirm),
        )
        .route(
            "/users/reset-password",
            get(auth::reset_request_page).post(auth::reset_request),
        )
        .route(
            "/users/reset-password/{token}",
            get(auth::reset_page).post(auth::reset),
        )
        .route("/users/settings", get(settings::index))
        .route(
            "/users/settings/profile",
            get(settings::profile_page).post(settings::profile),
        )
        .route(
            "/users/settings/channel",
            get(settings::channel_page).post(settings::channel),
        )
        .route("/users/settings/stream", get(settings::stream_page))
        .route("/users/settings/stream/rotate", post(settings::rotate_key))
        .route("/users/settings/security", get(settings::security_page))
        .route("/users/settings/password", post(settings::change_password))
        .route("/users/settings/email", post(settings::change_email))
        .route(
            "/users/settings/sessions/{id}/revoke",
            post(settings::revoke_session),
        )
        .route("/preferences/theme", post(ops::set_theme))
        .route("/dev/mailbox", get(dev::mailbox))
        .route("/dev/mailbox/{id}", get(dev::mail))
        .route("/api/channels/{id}/events", get(channel::events))
        .route("/chat/{id}/socket", get(crate::chat::socket::upgrade))
        .route("/healthz", get(ops::healthz))
        .route("/metrics", get(ops::metrics))
        .route("/static/{*path}", get(crate::assets::serve))
        .route(
            "/users/settings/chat",
            get(chat::settings_page).post(chat::save_settings),
        )
        .route(
            "/users/settings/moderators",
            get(chat::moderators_page).post(chat::save_moderator),
        )
        .route(
            "/users/settings/moderators/{id}/remove",
            post(chat::remove_moderator),
        )
        .route(
            "/users/settings/emotes",
            get(emotes::settings_page)
                .post(emotes::upload)
                .layer(emotes::upload_limit()),
        )
        .route("/users/settings/emotes/prefix", post(emotes::set_prefix))
        .route("/users/settings/emotes/{id}/delete", post(emotes::delete))
        .route(
            "/staff/emotes",
            get(emotes::staff_page)
                .post(emotes::staff_upload)
                .layer(emotes::upload_limit()),
        )
        .route("/staff/emotes/{id}/review", post(emotes::review))
        .route("/staff/emotes/{id}/delete", post(emotes::staff_delete))
        .route("/emotes/{file}", get(emotes::file))
        .route("/{username}", get(channel::page))
        .route("/{username}/chat", get(chat::popout))
        .route(
            "/{username}/moderation",
            get(chat::moderation_page).post(chat::moderate),
        )
        .merge(oauth::routes())
        .fallback(ops::not_found)
}

/// Renders a template with a status, or a plain 500 page if rendering itself fails.
pub(crate) fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "template rendering failed");
            crate::error::error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side.",
            )
        }
    }
}

/// The signed-in user, or a redirect to the log-in page.
pub(crate) fn require_user(context: &RequestContext) -> Result<&SignedIn, WebError> {
    context.signed_in.as_ref().ok_or(WebError::Platform(
        shimmer_platform::PlatformError::Unauthenticated,
    ))
}

/// `?notice=KEY` after a redirect: a fixed message per key, so the URL cannot inject text.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NoticeQuery {
    #[serde(default)]
    notice: String,
}

impl NoticeQuery {
    pub(crate) fn message(&self) -> Option<&'static str> {
        Some(match self.notice.as_str() {
            "logged_in" => "Welcome back! You are logged in.",
            "logged_out" => "You are logged out.",
            "profile_saved" => "Your profile is saved.",
            "channel_saved" => "Your channel settings are saved.",
            "key_rotated" => "Your stream key was rotated. Update your encoder with the new key.",
            "password_changed" => "Your password was changed. Other devices were logged out.",
            "email_changed" => {
                "Your email was changed. We sent a confirmation link to the new address."
            }
            "confirmation_sent" => "We sent you a new confirmation link.",
            "session_revoked" => "That device was logged out.",
            "chat_saved" => "Your chat settings are saved.",
            "prefix_saved" => "Your emote prefix is saved.",
            "emote_uploaded" => "Your emote is uploaded.",
            "emote_deleted" => "The emote was deleted.",
            "emote_reviewed" => "The review is saved.",
            "moderator_saved" => "The moderator's permissions are saved.",
            "moderator_removed" => "The moderator was removed.",
            "moderated" => "Done. The action is in the moderation log.",
            "password_reset" => "Your password was changed. Log in with the new one.",
            _ => return None,
        })
    }
}
