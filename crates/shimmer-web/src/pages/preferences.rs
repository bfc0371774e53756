//! Preferences: theme, chat timestamps, mature content and language. They live in cookies for
//! everyone (so pages read them without a database query) and, for signed-in people, also in
//! the database, from which the cookies are restored at every log-in.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;
use shimmer_platform::chat::colors::{self, ChatColor, PALETTE};
use shimmer_platform::preferences::checked;
use shimmer_platform::views::Preferences;

use super::{render, NoticeQuery};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::ParsedForm;
use crate::middleware::{LOCALE_COOKIE, MATURE_COOKIE, THEME_COOKIE, TIMESTAMPS_COOKIE};
use crate::templates::PageContext;
use crate::AppState;

#[derive(Template)]
#[template(path = "accounts/preferences.html")]
struct PreferencesPage {
    page: PageContext,
    signed_in: bool,
    preferences: Preferences,
    /// (value, catalogue key of its label)
    themes: &'static [(&'static str, &'static str)],
    colors: &'static [ChatColor],
    /// The palette key of the colour picked from the account id.
    account_color: &'static str,
}

fn on_off(value: bool) -> &'static str {
    if value {
        "on"
    } else {
        "off"
    }
}

/// Adds the preference cookies to a response. The timestamps cookie is readable by scripts
/// (chat.js shows times from it); the others are not.
pub(crate) fn append_cookies(response: &mut Response, preferences: &Preferences, secure: bool) {
    let cookie = |name: &'static str, value: String, http_only: bool| {
        Cookie::build((name, value))
            .path("/")
            .same_site(SameSite::Lax)
            .secure(secure)
            .http_only(http_only)
            .max_age(time::Duration::days(365))
            .build()
    };
    for cookie in [
        cookie(THEME_COOKIE, preferences.theme.clone(), false),
        cookie(
            TIMESTAMPS_COOKIE,
            on_off(preferences.chat_timestamps).into(),
            false,
        ),
        cookie(MATURE_COOKIE, on_off(preferences.show_mature).into(), true),
        cookie(LOCALE_COOKIE, preferences.locale.clone(), true),
    ] {
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
}

pub async fn page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let preferences = match context.user() {
        Some(user) => state.platform.preferences(user.id).await?,
        None => checked(
            context.theme.as_str(),
            context.chat_timestamps,
            context.show_mature,
            context.locale.code(),
        ),
    };
    let page = PageContext::new("title-preferences", &context, state.config.dev_mode)
        .with_notice(notice.message());
    Ok(render(
        StatusCode::OK,
        &PreferencesPage {
            page,
            signed_in: context.signed_in.is_some(),
            preferences,
            themes: &[
                ("system", "theme-system"),
                ("light", "theme-light"),
                ("dark", "theme-dark"),
            ],
            colors: PALETTE,
            account_color: context
                .user()
                .and_then(|user| colors::palette_color(colors::color_for(user.id, None)))
                .map_or("", |color| color.key),
        },
    ))
}

#[derive(Deserialize)]
pub struct PreferencesForm {
    #[serde(default)]
    theme: String,
    #[serde(default)]
    chat_timestamps: Option<String>,
    #[serde(default)]
    show_mature: Option<String>,
    #[serde(default)]
    locale: String,
    /// A palette key; empty: the colour picked from the account.
    #[serde(default)]
    chat_color: String,
}

pub async fn save(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<PreferencesForm>,
) -> Result<Response, WebError> {
    let mut preferences = checked(
        &form.theme,
        form.chat_timestamps.is_some(),
        form.show_mature.is_some(),
        &form.locale,
    );
    preferences.chat_color = Some(form.chat_color).filter(|key| !key.is_empty());
    if let Some(user) = context.user() {
        state
            .platform
            .save_preferences(user.id, &preferences)
            .await?;
    }
    let mut response = Redirect::to("/preferences?notice=preferences_saved").into_response();
    append_cookies(&mut response, &preferences, state.config.secure_cookies);
    Ok(response)
}
