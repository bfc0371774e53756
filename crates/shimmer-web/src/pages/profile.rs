//! Public profiles (`/<username>/profile`), their settings form, and avatar upload and serving.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use shimmer_platform::profiles::{ProfileForm, ProfileView, LINK_KINDS};
use shimmer_platform::UserView;

use super::{render, require_user, NoticeQuery};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::{read_file_field, refused, refused_with, FormState, ParsedForm, UploadError};
use crate::templates::PageContext;
use crate::AppState;

#[derive(Template)]
#[template(path = "accounts/profile.html")]
struct PublicProfilePage {
    page: PageContext,
    username: String,
    display_name: String,
    profile: ProfileView,
    avatar_src: Option<String>,
    live: bool,
    can_report: bool,
    followers: i64,
    following: i64,
}

#[derive(Template)]
#[template(path = "settings/profile.html")]
struct ProfileSettingsPage {
    page: PageContext,
    section: &'static str,
    form: FormState,
    username: String,
    avatar_src: Option<String>,
    link_kinds: Vec<(&'static str, &'static str)>,
}

/// Avatar uploads: the 2 MB image plus room for the multipart framing.
pub fn avatar_upload_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(2 * 1024 * 1024 + 16 * 1024)
}

/// A profile's description for search engines and shared links: the start of the bio (its
/// Markdown source, on one line), else who this is.
fn profile_description(display_name: &str, bio: &str) -> String {
    const MAX_CHARS: usize = 160;
    let bio = bio.split_whitespace().collect::<Vec<_>>().join(" ");
    if bio.is_empty() {
        return format!("{display_name} on Shimmer.");
    }
    match bio.char_indices().nth(MAX_CHARS) {
        Some((end, _)) => format!("{}…", &bio[..end]),
        None => bio,
    }
}

pub async fn public_page(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
) -> Result<Response, WebError> {
    if username.len() > 64 {
        return Err(WebError::NotFound);
    }
    let user = state
        .platform
        .user_by_username(&username)
        .await?
        .ok_or(WebError::NotFound)?;
    let profile = state.platform.profile_view(&user).await?;
    let live = state
        .platform
        .channel_by_user(user.id)
        .await?
        .is_some_and(|channel| channel.is_live());
    let page = PageContext::new(
        format!("{} · profile", user.display_name),
        &context,
        state.config.dev_mode,
    )
    .with_description(profile_description(&user.display_name, &profile.bio));
    let can_report = context.user().is_some_and(|viewer| viewer.id != user.id);
    let followers = state.platform.follower_count(user.id).await?;
    let following = state.platform.following_count(user.id).await?;
    Ok(render(
        StatusCode::OK,
        &PublicProfilePage {
            page,
            avatar_src: profile.avatar_url(user.id, 256),
            username: user.username,
            display_name: user.display_name,
            profile,
            live,
            can_report,
            followers,
            following,
        },
    ))
}

fn filled_form(user: &UserView, profile: &ProfileView) -> FormState {
    let mut form = FormState::default()
        .with_value("display_name", &user.display_name)
        .with_value("pronouns", &profile.pronouns)
        .with_value("bio", &profile.bio)
        .with_value("live_message", &profile.live_message)
        .with_value("youtube_intro", &profile.youtube_intro);
    for (kind, _, _) in LINK_KINDS {
        form = form.with_value(kind, profile.link(kind));
    }
    form
}

async fn settings_response(
    state: &AppState,
    context: &RequestContext,
    status: StatusCode,
    form: Option<FormState>,
    notice: Option<&'static str>,
) -> Result<Response, WebError> {
    let user = &require_user(context)?.user;
    let profile = state.platform.profile_view(user).await?;
    let form = form.unwrap_or_else(|| filled_form(user, &profile));
    let page = PageContext::new("title-profile-settings", context, state.config.dev_mode)
        .with_notice(notice);
    Ok(render(
        status,
        &ProfileSettingsPage {
            page,
            section: "profile",
            form,
            username: user.username.clone(),
            avatar_src: profile.avatar_url(user.id, 256),
            link_kinds: LINK_KINDS
                .iter()
                .map(|(kind, label, _)| (*kind, *label))
                .collect(),
        },
    ))
}

pub async fn settings_page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    settings_response(&state, &context, StatusCode::OK, None, notice.message()).await
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    pronouns: String,
    #[serde(default)]
    bio: String,
    #[serde(default)]
    live_message: String,
    #[serde(default)]
    youtube_intro: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    youtube: String,
    #[serde(default)]
    instagram: String,
    #[serde(default)]
    twitch: String,
    #[serde(default)]
    twitter: String,
    #[serde(default)]
    guilded: String,
    #[serde(default)]
    discord: String,
}

impl SettingsForm {
    fn links(&self) -> Vec<(String, String)> {
        [
            ("website", &self.website),
            ("youtube", &self.youtube),
            ("instagram", &self.instagram),
            ("twitch", &self.twitch),
            ("twitter", &self.twitter),
            ("guilded", &self.guilded),
            ("discord", &self.discord),
        ]
        .into_iter()
        .map(|(kind, value)| (kind.to_owned(), value.clone()))
        .collect()
    }

    fn echoed(&self) -> FormState {
        let mut form = FormState::default()
            .with_value("display_name", &self.display_name)
            .with_value("pronouns", &self.pronouns)
            .with_value("bio", &self.bio)
            .with_value("live_message", &self.live_message)
            .with_value("youtube_intro", &self.youtube_intro);
        for (kind, value) in self.links() {
            if let Some((known, _, _)) = LINK_KINDS.iter().find(|(k, _, _)| *k == kind) {
                form = form.with_value(known, &value);
            }
        }
        form
    }
}

pub async fn save(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<SettingsForm>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let profile = ProfileForm {
        pronouns: form.pronouns.clone(),
        bio: form.bio.clone(),
        links: form.links(),
        youtube_intro: form.youtube_intro.clone(),
        live_message: form.live_message.clone(),
    };
    let result = match state
        .platform
        .update_display_name(user, &form.display_name)
        .await
    {
        Ok(()) => state.platform.save_profile(user, &profile).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/users/settings/profile?notice=profile_saved").into_response()),
        Err(error) => {
            let (status, echoed) = refused_with(error, form.echoed())?;
            settings_response(&state, &context, status, Some(echoed), None).await
        }
    }
}

pub async fn upload_avatar(
    State(state): State<AppState>,
    context: RequestContext,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let file = read_file_field(multipart, "avatar")
        .await
        .map_err(|error| match error {
            UploadError::Form { .. } => WebError::bad_request(context.t("error-upload-unreadable")),
            UploadError::File { .. } => WebError::Status(
                StatusCode::PAYLOAD_TOO_LARGE,
                context.t("profile-avatar-too-large"),
            ),
        })?;
    match state.platform.upload_avatar(user, file).await {
        Ok(()) => Ok(Redirect::to("/users/settings/profile?notice=avatar_saved").into_response()),
        Err(error) => {
            let (status, form) = refused(error)?;
            settings_response(&state, &context, status, Some(form), None).await
        }
    }
}

/// `/avatars/<user id>/<size>.png`: public, cached for a day (URLs carry a version that
/// changes with every upload).
pub async fn avatar(
    State(state): State<AppState>,
    Path((user_id, file)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let user_id: i64 = user_id.parse().map_err(|_| WebError::NotFound)?;
    let size: u32 = file
        .strip_suffix(".png")
        .and_then(|size| size.parse().ok())
        .ok_or(WebError::NotFound)?;
    let path = state
        .platform
        .avatar_path(user_id, size)
        .ok_or(WebError::NotFound)?;
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|_| WebError::NotFound)?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::profile_description;

    #[test]
    fn a_profile_is_described_by_the_start_of_its_bio_on_one_line() {
        assert_eq!(profile_description("Ann", " \n "), "Ann on Shimmer.");
        assert_eq!(
            profile_description("Ann", "I paint\n\nbirds."),
            "I paint birds."
        );
        let long = "é".repeat(200);
        let described = profile_description("Ann", &long);
        assert_eq!(described.chars().count(), 161);
        assert!(described.ends_with('…'));
    }
}
