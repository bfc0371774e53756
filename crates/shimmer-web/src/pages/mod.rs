//! Every route of the site, grouped by what a person is doing.

mod account;
mod apps;
mod auth;
mod channel;
mod chat;
mod chat_backgrounds;
mod chatter_cards;
mod dashboard;
mod dev;
mod discovery;
mod emotes;
mod follows;
mod oauth;
pub(crate) mod ops;
mod panels;
mod paydays;
mod payments;
mod posters;
pub(crate) mod preferences;
mod profile;
mod reports;
mod search;
mod settings;
mod site;
mod staff;
mod stream_info;
mod support;
mod thumbnails;
mod two_factor;

pub use ops::metrics_router;

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

/// The two-factor settings page, where staff without it are sent.
pub(crate) const TWO_FACTOR_SETTINGS: &str = "/users/settings/two-factor";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(discovery::home))
        .route("/search", get(search::page))
        .route("/api/search", get(search::api))
        .route("/streams", get(discovery::all_streams))
        .route("/streams/{category}", get(discovery::category_streams))
        .route(
            "/api/categories/{category}/tags",
            get(discovery::tag_suggestions),
        )
        .route(
            "/api/categories/{category}/subcategories",
            get(discovery::subcategory_suggestions),
        )
        .route("/api/channels/{id}/viewers", get(discovery::viewers))
        .route("/follows/unsubscribe", get(follows::unsubscribe))
        .route("/users/settings/dashboard", get(dashboard::page))
        .route(
            "/users/register",
            get(auth::register_page).post(auth::register),
        )
        .route("/users/login", get(auth::login_page).post(auth::login))
        .route(
            "/users/login/link/{token}",
            get(auth::sign_in_link_page).post(auth::sign_in_with_link),
        )
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
            get(profile::settings_page).post(profile::save),
        )
        .route(
            "/users/settings/avatar",
            post(profile::upload_avatar).layer(profile::avatar_upload_limit()),
        )
        .route("/avatars/{user_id}/{file}", get(profile::avatar))
        .route("/{username}/profile", get(profile::public_page))
        .route(
            "/users/login/two-factor",
            get(two_factor::login_code_page).post(two_factor::login_code),
        )
        .route(TWO_FACTOR_SETTINGS, get(two_factor::page))
        .route("/users/settings/two-factor/qr.png", get(two_factor::qr))
        .route(
            "/users/settings/two-factor/confirm",
            post(two_factor::confirm),
        )
        .route(
            "/users/settings/two-factor/disable",
            post(two_factor::disable),
        )
        .route("/users/settings/account", get(account::page))
        .route("/users/settings/account/username", post(account::rename))
        .route("/users/settings/account/export", post(account::export))
        .route("/users/settings/account/delete", post(account::delete))
        .route(
            "/preferences",
            get(preferences::page).post(preferences::save),
        )
        .route("/report", get(reports::form_page).post(reports::submit))
        .route("/staff", get(staff::search))
        .route("/staff/audit", get(staff::audit_page))
        .route("/staff/analytics", get(staff::analytics_page))
        .route("/staff/report", get(staff::report_page))
        .route("/staff/users/{username}", get(staff::account_page))
        .route("/staff/users/{username}/username", post(staff::rename))
        .route("/staff/users/{username}/email", post(staff::set_email))
        .route(
            "/staff/users/{username}/can-stream",
            post(staff::set_can_stream),
        )
        .route(
            "/staff/users/{username}/two-factor/reset",
            post(staff::reset_two_factor),
        )
        .route(
            "/staff/users/{username}/end-stream",
            post(staff::end_stream),
        )
        .route(
            "/staff/users/{username}/discovery",
            post(staff::set_discovery),
        )
        .route("/staff/users/{username}/ban", post(staff::ban))
        .route("/staff/users/{username}/unban", post(staff::unban))
        .route("/staff/reports", get(reports::queue))
        .route("/support", get(support::new_page).post(support::submit))
        .route("/support/tickets", get(support::my_tickets))
        .route("/support/tickets/{id}", get(support::my_ticket))
        .route("/support/tickets/{id}/reply", post(support::answer_mine))
        .route("/support/t/{token}", get(support::linked_ticket))
        .route("/support/t/{token}/reply", post(support::answer_linked))
        .route("/staff/support", get(support::queue))
        .route("/staff/support/{id}", get(support::staff_ticket))
        .route("/staff/support/{id}/assign", post(support::assign))
        .route("/staff/support/{id}/reply", post(support::reply))
        .route("/staff/support/{id}/close", post(support::close))
        .route("/staff/support/{id}/reopen", post(support::reopen))
        .route("/staff/payments", get(payments::staff_events))
        .route("/staff/paydays", get(paydays::list))
        .route("/staff/paydays/prepare", post(paydays::prepare))
        .route("/staff/paydays/{id}", get(paydays::show))
        .route("/staff/paydays/{id}/approve", post(paydays::approve))
        .route("/staff/paydays/{id}/retry", post(paydays::retry))
        .route("/staff/users/{username}/payouts", get(paydays::support))
        .route(
            "/staff/users/{username}/payouts/pause",
            post(paydays::pause),
        )
        .route(
            "/staff/users/{username}/payouts/resume",
            post(paydays::resume),
        )
        .route(
            "/staff/payments/events/{id}/replay",
            post(payments::replay_event),
        )
        .route(
            "/payments/channels/{username}/subscribe",
            post(payments::subscribe),
        )
        .route(
            "/payments/channels/{username}/donate",
            post(payments::donate),
        )
        .route("/payments/channels/{username}/gift", post(payments::gift))
        .route(
            "/users/settings/subscriptions/gifts",
            post(payments::set_gifts),
        )
        .route(
            "/users/settings/subscriptions",
            get(payments::subscriptions_page),
        )
        .route(
            "/users/settings/subscriptions/platform",
            post(payments::subscribe_platform),
        )
        .route(
            "/users/settings/subscriptions/portal",
            post(payments::billing_portal),
        )
        .route("/users/settings/payouts", get(payments::payouts_page))
        .route("/users/settings/payouts/button", post(payments::set_button))
        .route(
            "/users/settings/payouts/onboard",
            post(payments::start_onboarding),
        )
        .route("/staff/reports/{id}/status", post(reports::set_status))
        .route("/copyright", get(site::copyright))
        .route("/terms", get(site::terms))
        .route("/privacy", get(site::privacy))
        .route("/guidelines", get(site::guidelines))
        .route("/faq", get(site::faq))
        .route(
            "/users/settings/channel",
            get(settings::channel_page).post(settings::channel),
        )
        .route(
            "/users/settings/panels",
            get(panels::settings_page)
                .post(panels::save)
                .layer(panels::form_limit()),
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
        .route("/preferences/locale", post(ops::set_locale))
        .route("/dev/mailbox", get(dev::mailbox))
        .route("/dev/mailbox/{id}", get(dev::mail))
        .route("/api/channels/{id}/events", get(channel::events))
        .route(
            "/api/channels/{id}/chatters/{username}",
            get(chatter_cards::card),
        )
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
            "/users/settings/emotes/{id}/subscribers",
            post(emotes::set_subscribers_only),
        )
        .route(
            "/staff/emotes",
            get(emotes::staff_page)
                .post(emotes::staff_upload)
                .layer(emotes::upload_limit()),
        )
        .route("/staff/emotes/{id}/review", post(emotes::review))
        .route("/staff/emotes/{id}/delete", post(emotes::staff_delete))
        .route("/emotes/{file}", get(emotes::file))
        .route(
            "/users/settings/poster",
            get(posters::settings_page)
                .post(posters::upload)
                .layer(posters::upload_limit()),
        )
        .route("/users/settings/poster/remove", post(posters::remove))
        .route(
            "/channels/{id}/thumbnail/{file}",
            get(thumbnails::thumbnail),
        )
        .route("/channels/{id}/poster/{file}", get(thumbnails::poster_file))
        .route(
            "/channels/{id}/chat-background.jpg",
            get(thumbnails::chat_background_file),
        )
        .route(
            "/users/settings/chat-background",
            post(chat_backgrounds::upload).layer(chat_backgrounds::upload_limit()),
        )
        .route(
            "/users/settings/chat-background/remove",
            post(chat_backgrounds::remove),
        )
        .route("/{username}", get(channel::page))
        .route("/{username}/chat", get(chat::popout))
        .route("/{username}/follow", post(follows::follow))
        .route("/{username}/unfollow", post(follows::unfollow))
        .route("/{username}/notifications", post(follows::notifications))
        .route("/{username}/followers", get(follows::followers))
        .route("/{username}/following", get(follows::following))
        .route("/{username}/stream-info", post(stream_info::save))
        .route(
            "/{username}/moderation",
            get(chat::moderation_page).post(chat::moderate),
        )
        .merge(oauth::routes())
        .merge(apps::routes())
        .fallback(ops::not_found)
}

/// Renders a template with a status, or a plain 500 page if rendering itself fails.
pub(crate) fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "template rendering failed");
            crate::error::error_page(StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
        }
    }
}

/// The signed-in user, or a redirect to the log-in page.
pub(crate) fn require_user(context: &RequestContext) -> Result<&SignedIn, WebError> {
    context.signed_in.as_ref().ok_or(WebError::Platform(
        shimmer_platform::PlatformError::Unauthenticated,
    ))
}

/// `?notice=KEY` after a redirect: a fixed catalogue message per key, so the URL cannot inject
/// text.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NoticeQuery {
    #[serde(default)]
    notice: String,
}

impl NoticeQuery {
    /// The catalogue key of the notice, if the key names one.
    pub(crate) fn message(&self) -> Option<&'static str> {
        Some(match self.notice.as_str() {
            "logged_in" => "notice-logged-in",
            "signed_up" => "notice-signed-up",
            "email_change_sent" => "notice-email-change-sent",
            "logged_out" => "notice-logged-out",
            "thanks_subscribed" => "notice-thanks-subscribed",
            "thanks_donated" => "notice-thanks-donated",
            "payday_nothing" => "notice-payday-nothing",
            "payday_paid" => "notice-payday-paid",
            "payday_failures" => "notice-payday-failures",
            "thanks_gifted" => "notice-thanks-gifted",
            "gifts_saved" => "notice-gifts-saved",
            "button_saved" => "notice-button-saved",
            "emote_saved" => "notice-emote-saved",
            "event_replayed" => "notice-event-replayed",
            "profile_saved" => "notice-profile-saved",
            "channel_saved" => "notice-channel-saved",
            "panels_saved" => "notice-panels-saved",
            "stream_saved" => "notice-stream-saved",
            "key_rotated" => "notice-key-rotated",
            "password_changed" => "notice-password-changed",
            "confirmation_sent" => "notice-confirmation-sent",
            "session_revoked" => "notice-session-revoked",
            "chat_saved" => "notice-chat-saved",
            "prefix_saved" => "notice-prefix-saved",
            "emote_uploaded" => "notice-emote-uploaded",
            "emote_deleted" => "notice-emote-deleted",
            "emote_reviewed" => "notice-emote-reviewed",
            "moderator_saved" => "notice-moderator-saved",
            "moderator_removed" => "notice-moderator-removed",
            "moderated" => "notice-moderated",
            "poster_saved" => "notice-poster-saved",
            "poster_removed" => "notice-poster-removed",
            "chat_background_saved" => "notice-chat-background-saved",
            "chat_background_removed" => "notice-chat-background-removed",
            "password_reset" => "notice-password-reset",
            "app_saved" => "notice-app-saved",
            "logo_saved" => "notice-logo-saved",
            "app_deleted" => "notice-app-deleted",
            "authorization_revoked" => "notice-authorization-revoked",
            "avatar_saved" => "notice-avatar-saved",
            "two_factor_disabled" => "notice-two-factor-disabled",
            "login_expired" => "notice-login-expired",
            "username_changed" => "notice-username-changed",
            "account_deleted" => "notice-account-deleted",
            "preferences_saved" => "notice-preferences-saved",
            "report_updated" => "notice-report-updated",
            "support_sent" => "notice-support-sent",
            "staff_done" => "notice-staff-done",
            _ => return None,
        })
    }
}
