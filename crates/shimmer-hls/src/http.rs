//! The HLS routes.
//!
//! | method | path | answer |
//! | --- | --- | --- |
//! | GET | `/hls/{name}/index.m3u8` | the multivariant playlist; 404 when the channel is not live |
//! | GET | `/hls/{name}/stream.m3u8` | the media playlist; `_HLS_msn`/`_HLS_part` block until that part exists (at most [`HlsConfig::hold`](crate::HlsConfig), then 503), `_HLS_skip=YES` gives a delta update |
//! | GET | `/hls/{name}/{run}-init.mp4` | the init segment |
//! | GET | `/hls/{name}/{run}-{msn}.m4s` | a segment (the one being filled: held until complete) |
//! | GET | `/hls/{name}/{run}-{msn}.{part}.m4s` | a part (the next one, as the preload hint names it: held until it exists); single byte ranges |
//!
//! A node that packages nothing (a web node of a cluster) answers every HLS request `307` to an
//! edge ([`redirect_router`]); players resolve the playlists' relative URIs against the edge.
//!
//! Playlists are not cached (blocking requests, whose URLs name what they wait for, for a few
//! seconds); segments, parts and the init segment are immutable: their names carry the
//! packaging run's id. Every answer allows any origin, so players on other sites and CDNs work.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use metrics::counter;
use serde::Deserialize;
use shimmer_http::ClientIp;

use crate::playlist::{self, MEDIA_PLAYLIST};
use crate::service::{HlsService, LiveStream};

const PLAYLIST_TYPE: &str = "application/vnd.apple.mpegurl";
const MEDIA_TYPE: &str = "video/mp4";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Where a node without streams of its own sends HLS players.
#[async_trait::async_trait]
pub trait EdgeRedirect: Send + Sync + 'static {
    /// The channel id a URL's name stands for.
    async fn channel(&self, name: &str) -> Option<i64>;
    /// The base URL of the edge that should serve the channel's HLS, or None when no edge has
    /// room or the channel is not live.
    async fn edge(&self, channel_id: i64) -> Option<String>;
}

/// The HLS routes of a node that packages nothing: every request `307` to an edge.
pub fn redirect_router(edges: std::sync::Arc<dyn EdgeRedirect>) -> Router {
    Router::new()
        .route("/hls/{name}/{*rest}", get(redirect).options(preflight))
        .with_state(edges)
}

async fn redirect(
    State(edges): State<std::sync::Arc<dyn EdgeRedirect>>,
    Path((name, _)): Path<(String, String)>,
    uri: axum::http::Uri,
) -> Response {
    let Some(channel_id) = edges.channel(&name).await else {
        return refuse(StatusCode::NOT_FOUND, "No such channel.");
    };
    let Some(base) = edges.edge(channel_id).await else {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "No edge can serve this channel now.",
        );
    };
    let target = format!(
        "{}{}",
        base.trim_end_matches('/'),
        uri.path_and_query().map_or("/", |path| path.as_str())
    );
    let Ok(location) = HeaderValue::from_str(&target) else {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "No edge can serve this channel now.",
        );
    };
    counter!("shimmer_hls_requests_total", "kind" => "redirect").increment(1);
    let mut response = StatusCode::TEMPORARY_REDIRECT.into_response();
    let headers = response.headers_mut();
    cors(headers);
    headers.insert(header::LOCATION, location);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The HLS routes over a service.
pub fn router(service: HlsService) -> Router {
    Router::new()
        .route(
            "/hls/{name}/index.m3u8",
            get(multivariant).options(preflight),
        )
        .route("/hls/{name}/{file}", get(file).options(preflight))
        .with_state(service)
}

async fn preflight() -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    cors(headers);
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, OPTIONS"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("Range"),
    );
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("86400"),
    );
    response
}

fn cors(headers: &mut HeaderMap) {
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Content-Length, Content-Range"),
    );
}

/// A plain-text answer for refusals, with CORS so players can read it.
fn refuse(status: StatusCode, message: &'static str) -> Response {
    counter!("shimmer_hls_requests_total", "kind" => "refused").increment(1);
    let mut response = (status, message).into_response();
    let headers = response.headers_mut();
    cors(headers);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if status == StatusCode::SERVICE_UNAVAILABLE {
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

fn answer(kind: &'static str, content_type: &'static str, cache: &str, body: Bytes) -> Response {
    counter!("shimmer_hls_requests_total", "kind" => kind).increment(1);
    counter!("shimmer_hls_bytes_total").increment(body.len() as u64);
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    cors(headers);
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(cache) = HeaderValue::from_str(cache) {
        headers.insert(header::CACHE_CONTROL, cache);
    }
    response
}

/// Who asks, as a number: the client's address and browser (no cookie, nothing stored).
fn viewer_of(request_headers: &HeaderMap, ip: ClientIp) -> u64 {
    let mut hasher = DefaultHasher::new();
    ip.0.hash(&mut hasher);
    request_headers
        .get(header::USER_AGENT)
        .map(HeaderValue::as_bytes)
        .hash(&mut hasher);
    hasher.finish()
}

async fn live_stream(
    service: &HlsService,
    name: &str,
    headers: &HeaderMap,
    ip: ClientIp,
) -> Result<std::sync::Arc<LiveStream>, Response> {
    let Some(channel_id) = service.source().channel(name).await else {
        return Err(refuse(StatusCode::NOT_FOUND, "No such channel."));
    };
    service
        .stream(channel_id, viewer_of(headers, ip))
        .await
        .ok_or_else(|| refuse(StatusCode::NOT_FOUND, "This channel is not live."))
}

async fn multivariant(
    State(service): State<HlsService>,
    Path(name): Path<String>,
    ip: ClientIp,
    headers: HeaderMap,
) -> Response {
    let stream = match live_stream(&service, &name, &headers, ip).await {
        Ok(stream) => stream,
        Err(response) => return response,
    };
    let hold = service.config().hold;
    let progress = stream
        .wait_until(hold, |progress| {
            progress.init && (progress.parts > 0 || progress.msn > 0)
        })
        .await;
    if !progress.init {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "The stream has not sent a keyframe yet.",
        );
    }
    let body = playlist::multivariant(&stream.packager());
    answer("multivariant", PLAYLIST_TYPE, "no-cache", Bytes::from(body))
}

/// A media playlist request's query.
#[derive(Debug, Default, Deserialize)]
struct PlaylistQuery {
    #[serde(rename = "_HLS_msn")]
    msn: Option<String>,
    #[serde(rename = "_HLS_part")]
    part: Option<String>,
    #[serde(rename = "_HLS_skip")]
    skip: Option<String>,
}

async fn file(
    State(service): State<HlsService>,
    Path((name, file)): Path<(String, String)>,
    Query(query): Query<PlaylistQuery>,
    ip: ClientIp,
    headers: HeaderMap,
) -> Response {
    let stream = match live_stream(&service, &name, &headers, ip).await {
        Ok(stream) => stream,
        Err(response) => return response,
    };
    if file == MEDIA_PLAYLIST {
        return media_playlist(&service, &stream, query).await;
    }
    let Some(rest) = file
        .strip_prefix(stream.names.run.as_str())
        .and_then(|rest| rest.strip_prefix('-'))
    else {
        return refuse(
            StatusCode::NOT_FOUND,
            "No such file (the stream may have restarted: reload the playlist).",
        );
    };
    let hold = service.config().hold;
    if rest == "init.mp4" {
        stream.wait_until(hold, |progress| progress.init).await;
        let init = stream.packager().init().cloned();
        return match init {
            Some(init) => answer("init", MEDIA_TYPE, IMMUTABLE, init),
            None => refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "The stream has not sent a keyframe yet.",
            ),
        };
    }
    let Some(media) = rest.strip_suffix(".m4s") else {
        return refuse(StatusCode::NOT_FOUND, "No such file.");
    };
    let (msn, part) = match media.split_once('.') {
        Some((msn, part)) => (msn.parse::<u64>(), Some(part.parse::<usize>())),
        None => (media.parse::<u64>(), None),
    };
    let Ok(msn) = msn else {
        return refuse(StatusCode::NOT_FOUND, "No such file.");
    };
    match part {
        Some(Ok(index)) => serve_part(&stream, hold, msn, index, &headers).await,
        Some(Err(_)) => refuse(StatusCode::NOT_FOUND, "No such file."),
        None => serve_segment(&stream, hold, msn).await,
    }
}

async fn serve_part(
    stream: &LiveStream,
    hold: std::time::Duration,
    msn: u64,
    index: usize,
    headers: &HeaderMap,
) -> Response {
    let now = stream.progress();
    let is_next = (msn == now.msn && index == now.parts) || (msn == now.msn + 1 && index == 0);
    if is_next {
        stream
            .wait_until(hold, |progress| progress.has_part(msn, index))
            .await;
    }
    let data = stream
        .packager()
        .segment(msn)
        .and_then(|segment| segment.parts.get(index))
        .map(|part| part.data.clone());
    let Some(data) = data else {
        return refuse(StatusCode::NOT_FOUND, "No such part (it left the window).");
    };
    match headers
        .get(header::RANGE)
        .map(|range| byte_range(range, data.len()))
    {
        None => answer("part", MEDIA_TYPE, IMMUTABLE, data),
        Some(Some((start, end))) => {
            let length = data.len();
            let mut response = answer("part", MEDIA_TYPE, IMMUTABLE, data.slice(start..=end));
            *response.status_mut() = StatusCode::PARTIAL_CONTENT;
            if let Ok(value) = HeaderValue::from_str(&format!("bytes {start}-{end}/{length}")) {
                response.headers_mut().insert(header::CONTENT_RANGE, value);
            }
            response
        }
        Some(None) => {
            let mut response = refuse(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "The range is outside the part.",
            );
            if let Ok(value) = HeaderValue::from_str(&format!("bytes */{}", data.len())) {
                response.headers_mut().insert(header::CONTENT_RANGE, value);
            }
            response
        }
    }
}

/// One `bytes=` range of a body of `length` bytes, as inclusive bounds; None when it cannot be
/// satisfied or is not one simple range.
fn byte_range(value: &HeaderValue, length: usize) -> Option<(usize, usize)> {
    let spec = value.to_str().ok()?.trim().strip_prefix("bytes=")?;
    if spec.contains(',') || length == 0 {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        let suffix: usize = last.parse().ok()?;
        if suffix == 0 {
            return None;
        }
        return Some((length.saturating_sub(suffix), length - 1));
    }
    let start: usize = first.parse().ok()?;
    let end = if last.is_empty() {
        length - 1
    } else {
        last.parse::<usize>().ok()?.min(length - 1)
    };
    (start <= end).then_some((start, end))
}

async fn serve_segment(stream: &LiveStream, hold: std::time::Duration, msn: u64) -> Response {
    if msn == stream.progress().msn {
        stream.wait_until(hold, |progress| progress.msn > msn).await;
    }
    let data = stream
        .packager()
        .segment(msn)
        .and_then(|segment| segment.data.clone());
    match data {
        Some(data) => answer("segment", MEDIA_TYPE, IMMUTABLE, data),
        None => refuse(
            StatusCode::NOT_FOUND,
            "No such segment (it left the window).",
        ),
    }
}

async fn media_playlist(
    service: &HlsService,
    stream: &LiveStream,
    query: PlaylistQuery,
) -> Response {
    let hold = service.config().hold;
    let msn = match query.msn.as_deref().map(str::parse::<u64>) {
        None => None,
        Some(Ok(msn)) => Some(msn),
        Some(Err(_)) => return refuse(StatusCode::BAD_REQUEST, "_HLS_msn must be a number."),
    };
    let part = match query.part.as_deref().map(str::parse::<usize>) {
        None => None,
        Some(Ok(part)) => Some(part),
        Some(Err(_)) => return refuse(StatusCode::BAD_REQUEST, "_HLS_part must be a number."),
    };
    let skip = match query.skip.as_deref() {
        None => false,
        Some("YES" | "v2") => true,
        Some(_) => return refuse(StatusCode::BAD_REQUEST, "_HLS_skip must be YES or v2."),
    };
    let blocking = match (msn, part) {
        (None, Some(_)) => {
            return refuse(StatusCode::BAD_REQUEST, "_HLS_part needs _HLS_msn.");
        }
        (None, None) => {
            stream
                .wait_until(hold, |progress| {
                    progress.init && (progress.parts > 0 || progress.msn > 0)
                })
                .await;
            false
        }
        (Some(msn), part) => {
            let now = stream.progress();
            if msn > now.msn + 1 {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "_HLS_msn is more than one segment ahead of the stream.",
                );
            }
            let ready = |progress: &crate::service::Progress| match part {
                Some(index) => progress.has_part(msn, index),
                None => progress.msn > msn,
            };
            let reached = stream.wait_until(hold, ready).await;
            if !ready(&reached) {
                return refuse(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The requested part did not come in time.",
                );
            }
            true
        }
    };
    let progress = stream.progress();
    if !progress.init || (progress.parts == 0 && progress.msn == 0) {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "The stream has not sent a keyframe yet.",
        );
    }
    let body = playlist::media(&stream.packager(), &stream.names, skip);
    let cache = if blocking {
        "public, max-age=6"
    } else {
        "no-cache"
    };
    answer("playlist", PLAYLIST_TYPE, cache, Bytes::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges_follow_rfc_9110() {
        let range = |text: &'static str| byte_range(&HeaderValue::from_static(text), 100);
        assert_eq!(range("bytes=0-9"), Some((0, 9)));
        assert_eq!(range("bytes=90-"), Some((90, 99)));
        assert_eq!(range("bytes=-10"), Some((90, 99)));
        assert_eq!(range("bytes=50-500"), Some((50, 99)));
        assert_eq!(range("bytes=100-"), None);
        assert_eq!(range("bytes=5-2"), None);
        assert_eq!(range("bytes=0-1,3-4"), None);
        assert_eq!(range("items=0-1"), None);
        assert_eq!(range("bytes=-0"), None);
    }
}
