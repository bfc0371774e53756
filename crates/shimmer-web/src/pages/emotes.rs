//! Emote pages: a channel's emotes and prefix, the staff review queue and global emotes, and
//! the emote images themselves.

use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use shimmer_platform::emotes::{emote_src, EmoteTarget};
use shimmer_platform::views::{Emote, EmoteStatus};
use shimmer_platform::PlatformError;

use super::{render, require_user, NoticeQuery};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::{refused, FormState, ParsedForm};
use crate::templates::{EmoteRow, EmoteSettingsPage, PageContext, StaffEmotesPage};
use crate::AppState;

/// Uploads may be larger than ordinary forms: an animated emote is up to 1 MB.
pub fn upload_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(1536 * 1024)
}

fn row(emote: &Emote) -> EmoteRow {
    EmoteRow {
        id: emote.id,
        name: emote.name.clone(),
        src: emote_src(emote),
        status: emote.status.as_str(),
        reason: emote.rejected_reason.clone(),
        subscribers_only: emote.subscribers_only,
    }
}

/// The `name` and `file` fields of an upload form.
async fn read_upload(mut multipart: Multipart) -> Result<(String, Vec<u8>), WebError> {
    let mut name = String::new();
    let mut file = Vec::new();
    let unreadable = |_| WebError::Status(StatusCode::PAYLOAD_TOO_LARGE, "emotes-too-large".into());
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| WebError::bad_request("error-upload-unreadable"))?
    {
        match field.name() {
            Some("name") => {
                name = field
                    .text()
                    .await
                    .map_err(unreadable)?
                    .chars()
                    .take(64)
                    .collect()
            }
            Some("file") => file = field.bytes().await.map_err(unreadable)?.to_vec(),
            _ => {}
        }
    }
    Ok((name, file))
}

async fn settings_response(
    state: &AppState,
    context: &RequestContext,
    status: StatusCode,
    notice: Option<&'static str>,
    form: FormState,
) -> Result<Response, WebError> {
    let user = &require_user(context)?.user;
    let channel = state.platform.channel_of_user(user.id).await?;
    let prefix = state.platform.emote_prefix(channel.id).await?;
    let form = match (&prefix, form.value("prefix").is_empty()) {
        (Some(prefix), true) => form.with_value("prefix", prefix),
        _ => form,
    };
    let emotes = state.platform.emotes_of(Some(channel.id)).await?;
    let page = PageContext::new("title-emotes", context, state.config.dev_mode).with_notice(notice);
    Ok(render(
        status,
        &EmoteSettingsPage {
            page,
            section: "emotes",
            form,
            has_prefix: prefix.is_some(),
            emotes: emotes.iter().map(row).collect(),
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

#[derive(Deserialize)]
pub struct PrefixForm {
    #[serde(default)]
    prefix: String,
}

pub async fn set_prefix(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<PrefixForm>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = state.platform.channel_of_user(user.id).await?;
    match state
        .platform
        .set_emote_prefix(user, channel.id, &form.prefix)
        .await
    {
        Ok(()) => Ok(Redirect::to("/users/settings/emotes?notice=prefix_saved").into_response()),
        Err(error) => {
            let (status, form_state) = refused(error)?;
            settings_response(
                &state,
                &context,
                status,
                None,
                form_state.with_value("prefix", &form.prefix),
            )
            .await
        }
    }
}

pub async fn upload(
    State(state): State<AppState>,
    context: RequestContext,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = state.platform.channel_of_user(user.id).await?;
    let (name, file) = read_upload(multipart).await?;
    match state
        .platform
        .upload_emote(user, EmoteTarget::Channel(channel.id), &name, &file)
        .await
    {
        Ok(_) => Ok(Redirect::to("/users/settings/emotes?notice=emote_uploaded").into_response()),
        Err(error) => {
            let (status, form_state) = refused(error)?;
            settings_response(
                &state,
                &context,
                status,
                None,
                form_state.with_value("name", &name),
            )
            .await
        }
    }
}

pub async fn delete(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    state.platform.delete_emote(user, id).await?;
    Ok(Redirect::to("/users/settings/emotes?notice=emote_deleted").into_response())
}

/// Makes a channel emote subscriber-only, or usable by everyone again.
pub async fn set_subscribers_only(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<String>,
    ParsedForm(form): ParsedForm<super::payments::ToggleForm>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    state
        .platform
        .set_emote_subscribers_only(user, id, form.is_on())
        .await?;
    Ok(Redirect::to("/users/settings/emotes?notice=emote_saved").into_response())
}

async fn staff_response(
    state: &AppState,
    context: &RequestContext,
    status: StatusCode,
    notice: Option<&'static str>,
    form: FormState,
) -> Result<Response, WebError> {
    let user = &require_user(context)?.user;
    shimmer_platform::Platform::authorize_staff(user, shimmer_platform::staff::Permission::Emotes)?;
    let pending = state.platform.pending_emotes().await?;
    let global = state.platform.emotes_of(None).await?;
    let page =
        PageContext::new("title-emote-review", context, state.config.dev_mode).with_notice(notice);
    Ok(render(
        status,
        &StaffEmotesPage {
            page,
            form,
            pending: pending.iter().map(row).collect(),
            global: global.iter().map(row).collect(),
        },
    ))
}

pub async fn staff_page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    staff_response(
        &state,
        &context,
        StatusCode::OK,
        notice.message(),
        FormState::default(),
    )
    .await
}

pub async fn staff_upload(
    State(state): State<AppState>,
    context: RequestContext,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let (name, file) = read_upload(multipart).await?;
    match state
        .platform
        .upload_emote(user, EmoteTarget::Global, &name, &file)
        .await
    {
        Ok(_) => Ok(Redirect::to("/staff/emotes?notice=emote_uploaded").into_response()),
        Err(error @ (PlatformError::Forbidden | PlatformError::Denied(_))) => Err(error.into()),
        Err(error) => {
            let (status, form_state) = refused(error)?;
            staff_response(
                &state,
                &context,
                status,
                None,
                form_state.with_value("name", &name),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

pub async fn review(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<String>,
    ParsedForm(form): ParsedForm<ReviewForm>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let approve = match form.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(WebError::bad_request(context.t("emotes-choose-review"))),
    };
    match state
        .platform
        .review_emote(user, id, approve, &form.reason)
        .await
    {
        Ok(()) => Ok(Redirect::to("/staff/emotes?notice=emote_reviewed").into_response()),
        Err(
            error @ (PlatformError::Forbidden
            | PlatformError::Denied(_)
            | PlatformError::NotFound(_)),
        ) => Err(error.into()),
        Err(error) => {
            let (status, form_state) = refused(error)?;
            staff_response(&state, &context, status, None, form_state).await
        }
    }
}

pub async fn staff_delete(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    state.platform.delete_emote(user, id).await?;
    Ok(Redirect::to("/staff/emotes?notice=emote_deleted").into_response())
}

/// An emote image. Approved emotes are public; pending or rejected ones only for their
/// channel's owner and staff (so they can review them).
pub async fn file(
    State(state): State<AppState>,
    context: RequestContext,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let (path, content_type, emote) = state.platform.emote_file(&file).await?;
    if !state.platform.may_see_emote(context.user(), &emote).await {
        return Err(WebError::NotFound);
    }
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|_| WebError::NotFound)?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    let caching = if emote.status == EmoteStatus::Approved {
        "public, max-age=86400"
    } else {
        "private, no-store"
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(caching));
    Ok(response)
}
