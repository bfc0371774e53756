//! Card pictures: `/channels/{id}/thumbnail/{416,832}.jpg` (while live, the newest of the
//! rendered frame and the picture an external ingest uploaded for the current stream; else the
//! poster, else the live placeholder; offline, the poster, else the placeholder) and `/channels/{id}/poster/{416,832}.jpg` (the poster only, for
//! the offline player).
//!
//! Each answer carries a strong `ETag` and `Last-Modified` and is revalidated with
//! `If-None-Match` (304 without a body). Thumbnails live briefly in caches because what the URL
//! shows changes with the stream; poster URLs carry the poster's version (`?v=`) on pages, so
//! they may be cached for a day.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use shimmer_images::ThumbnailSize;

use crate::conditional::not_modified;
use crate::AppState;

/// Cache lifetime of a live thumbnail (a new one is made every 30–60 s).
const LIVE_MAX_AGE: &str = "public, max-age=15";
/// Cache lifetime of the poster or placeholder behind a thumbnail URL: short, because the
/// channel may go live (or change its poster) at any moment.
const OFFLINE_MAX_AGE: &str = "public, max-age=60";
/// Cache lifetime of a versioned poster URL.
const POSTER_MAX_AGE: &str = "public, max-age=86400";

/// A picture to send.
struct Picture {
    bytes: Bytes,
    etag: String,
    modified: SystemTime,
    cache_control: &'static str,
}

fn not_found(what: &'static str) -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        what,
    )
        .into_response()
}

fn unavailable() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::RETRY_AFTER, "5"),
        ],
        "The picture cannot be read right now.",
    )
        .into_response()
}

/// The channel id and size named by the path, if both are valid.
fn parse(id: &str, file: &str) -> Option<(i64, ThumbnailSize)> {
    let id = id.parse().ok()?;
    let size = ThumbnailSize::from_width(file.strip_suffix(".jpg")?)?;
    Some((id, size))
}

fn from_ms(ms: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}

/// `Last-Modified` in the HTTP date format (RFC 9110 IMF-fixdate).
fn http_date(time: SystemTime) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::OffsetDateTime::from(time)
        .format(&format)
        .unwrap_or_default()
}

fn send(picture: Picture, request: &HeaderMap) -> Response {
    let mut response = if not_modified(request, &picture.etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = Response::new(Body::from(picture.bytes));
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
        response
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(picture.cache_control),
    );
    if let Ok(value) = HeaderValue::from_str(&picture.etag) {
        headers.insert(header::ETAG, value);
    }
    if let Ok(value) = HeaderValue::from_str(&http_date(picture.modified)) {
        headers.insert(header::LAST_MODIFIED, value);
    }
    response
}

/// The stored poster as a picture, if the channel has one.
async fn poster(
    state: &AppState,
    channel_id: i64,
    size: ThumbnailSize,
    cache_control: &'static str,
) -> Result<Option<Picture>, Response> {
    let stored = state
        .platform
        .poster(channel_id, size)
        .await
        .map_err(|error| {
            tracing::error!(%error, channel_id, "could not read a poster");
            unavailable()
        })?;
    Ok(stored.map(|poster| Picture {
        bytes: Bytes::from(poster.bytes),
        etag: poster.etag,
        modified: from_ms(poster.updated_at),
        cache_control,
    }))
}

/// `GET /channels/{id}/thumbnail/{416,832}.jpg`.
pub async fn thumbnail(
    State(state): State<AppState>,
    Path((id, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let Some((channel_id, size)) = parse(&id, &file) else {
        return not_found("No such thumbnail: sizes are 416.jpg and 832.jpg.");
    };
    let channel = match state.platform.channel(channel_id).await {
        Ok(Some(channel)) => channel,
        Ok(None) => return not_found("No such channel."),
        Err(error) => {
            tracing::error!(%error, channel_id, "could not look up a channel");
            return unavailable();
        }
    };
    // A live channel's first frame is seconds away: whatever stands in for it is cached briefly.
    let fallback_max_age = if channel.is_live() {
        LIVE_MAX_AGE
    } else {
        OFFLINE_MAX_AGE
    };
    if channel.is_live() {
        // An uploaded picture counts only for the stream it was sent for, so a late upload for
        // an ended stream never shows on the next one.
        let current = state.thumbnails.get(channel_id).filter(|live| {
            live.stream_id
                .is_none_or(|stream_id| channel.current_stream_id == Some(stream_id))
        });
        if let Some(live) = current {
            let jpeg = live.renditions.get(size);
            let picture = Picture {
                bytes: jpeg.bytes.clone(),
                etag: jpeg.etag.clone(),
                modified: live.made_at,
                cache_control: LIVE_MAX_AGE,
            };
            return send(picture, &headers);
        }
    }
    let picture = match poster(&state, channel_id, size, fallback_max_age).await {
        Ok(Some(picture)) => picture,
        Ok(None) => {
            let placeholder = if channel.is_live() {
                state.thumbnails.live_placeholder()
            } else {
                state.thumbnails.placeholder()
            };
            let jpeg = placeholder.get(size);
            Picture {
                bytes: jpeg.bytes.clone(),
                etag: jpeg.etag.clone(),
                modified: state.thumbnails.placeholder_made_at(),
                cache_control: fallback_max_age,
            }
        }
        Err(response) => return response,
    };
    send(picture, &headers)
}

/// `GET /channels/{id}/poster/{416,832}.jpg`: the poster alone, 404 without one.
pub async fn poster_file(
    State(state): State<AppState>,
    Path((id, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let Some((channel_id, size)) = parse(&id, &file) else {
        return not_found("No such poster: sizes are 416.jpg and 832.jpg.");
    };
    match poster(&state, channel_id, size, POSTER_MAX_AGE).await {
        Ok(Some(picture)) => send(picture, &headers),
        Ok(None) => not_found("This channel has no poster."),
        Err(response) => response,
    }
}

/// `GET /channels/{id}/chat-background.jpg`: the channel's chat background, 404 without one.
/// Pages ask for it with a version in the query, so it is cached for a day.
pub async fn chat_background_file(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Ok(channel_id) = id.parse::<i64>() else {
        return not_found("No such channel.");
    };
    match state.platform.chat_background(channel_id).await {
        Ok(Some(stored)) => send(
            Picture {
                bytes: stored.bytes.into(),
                etag: stored.etag,
                modified: from_ms(stored.updated_at),
                cache_control: POSTER_MAX_AGE,
            },
            &headers,
        ),
        Ok(None) => not_found("This channel has no chat background."),
        Err(error) => {
            tracing::error!(%error, channel_id, "could not read a chat background");
            unavailable()
        }
    }
}

/// The versioned chat background URL for pages, or None when the channel has none (or it
/// cannot be looked up now: the chat shows without it).
pub(crate) async fn chat_background_src(state: &AppState, channel_id: i64) -> Option<String> {
    match state.platform.chat_background_src(channel_id).await {
        Ok(src) => src,
        Err(error) => {
            tracing::error!(%error, channel_id, "could not look up a chat background");
            None
        }
    }
}

/// The versioned poster URL for pages, or None when the channel has none.
pub(crate) async fn poster_src(state: &AppState, channel_id: i64) -> Option<String> {
    match state.platform.poster_updated_at(channel_id).await {
        Ok(Some(version)) => Some(format!("/channels/{channel_id}/poster/832.jpg?v={version}")),
        Ok(None) => None,
        Err(error) => {
            tracing::error!(%error, channel_id, "could not look up a poster");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_a_channel_and_a_size() {
        assert_eq!(parse("12", "416.jpg"), Some((12, ThumbnailSize::Small)));
        assert_eq!(parse("12", "832.jpg"), Some((12, ThumbnailSize::Large)));
        assert_eq!(parse("12", "100.jpg"), None);
        assert_eq!(parse("12", "416.png"), None);
        assert_eq!(parse("x", "416.jpg"), None);
    }

    #[test]
    fn dates_are_http_dates() {
        assert_eq!(
            http_date(UNIX_EPOCH + Duration::from_secs(784_111_777)),
            "Sun, 06 Nov 1994 08:49:37 GMT"
        );
    }
}
