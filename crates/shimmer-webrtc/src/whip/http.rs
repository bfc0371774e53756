//! The WHIP HTTP endpoints (RFC 9725), as an axum router with its state applied.
//!
//! | Method  | Path                         | Result |
//! |---------|------------------------------|--------|
//! | POST    | `/api/whip` (`Authorization: Bearer <stream key>`) | 201, `Content-Type: application/sdp`, the answer, `Location` of the resource |
//! | POST    | `/api/whip/{stream key}`     | the same, for encoders without a bearer field |
//! | DELETE  | `/api/whip/sessions/{id}`    | 200, the stream ends; 404 unknown; 401 when a bearer is sent and is not the resource's key |
//! | PATCH   | `/api/whip/sessions/{id}`    | `application/trickle-ice-sdpfrag`: 204 for candidates (the server is ICE-lite: the encoder's checks reach it from its addresses, nothing to add); 405 for an ICE restart (publish again); 415 other types; 404 unknown |
//! | OPTIONS | all                          | 204 with CORS preflight headers and `Accept-Post: application/sdp` |
//!
//! Errors are JSON `{"error": "..."}`: 401 missing or wrong stream key, 403 the channel may not
//! stream now (the platform's reason), 400 bad SDP or no usable codec (named), 413 offer too
//! large, 415 not `application/sdp`, 429 too many offers from one address, 500 str0m failed on
//! the offer (a defect, logged), 503 shutting down or the platform unreachable. A publish for a
//! channel that is live replaces the live session (the FTL and RTMP rule), so there is no 409.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use shimmer_ftl::ingest_control::parse_stream_key;
use shimmer_ftl::StartError;
use shimmer_http::ClientIp;
use shimmer_media::StreamInfo;
use subtle::ConstantTimeEq;
use tokio_util::sync::CancellationToken;

use super::offer::validate_publish_offer;
use super::session::{self, PublisherParts, HUB_AUDIO_PT, HUB_VIDEO_PT};
use super::{Inner, Resource, WhipIngest};
use crate::http::{error, preflight_response, with_cors};

/// Longest stream key accepted in a path or header.
const MAX_KEY_LEN: usize = 256;
const TRICKLE: &str = "application/trickle-ice-sdpfrag";

struct WhipState {
    inner: Arc<Inner>,
    limiter: DefaultKeyedRateLimiter<IpAddr>,
}

/// The WHIP routes with their state applied, ready to `.merge()` into the site router.
pub fn whip_router(ingest: WhipIngest) -> Router {
    let state = Arc::new(WhipState {
        // Offers per address: an encoder publishes once; retries after errors stay well below.
        limiter: RateLimiter::keyed(
            Quota::per_second(NonZeroU32::new(2).unwrap_or(NonZeroU32::MIN))
                .allow_burst(NonZeroU32::new(10).unwrap_or(NonZeroU32::MIN)),
        ),
        inner: ingest.inner,
    });
    Router::new()
        .route("/api/whip", post(create_bearer).options(preflight))
        .route("/api/whip/{key}", post(create_in_path).options(preflight))
        .route(
            "/api/whip/sessions/{id}",
            axum::routing::delete(delete_resource)
                .patch(patch_resource)
                .options(preflight),
        )
        .layer(middleware::from_fn(cors))
        .with_state(state)
}

async fn cors(req: Request, next: Next) -> Response {
    with_cors(
        next.run(req).await,
        "Location, ETag, Link, Accept-Patch, Retry-After",
    )
}

async fn preflight() -> Response {
    preflight_response("Authorization, Content-Type, If-Match")
}

fn content_type_is(headers: &HeaderMap, wanted: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(wanted))
}

/// The bearer token, if the request has one (`Bearer` case-insensitive; some clients forget
/// the word on later requests, so a bare token is taken too).
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let token = match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        Some(_) => return None,
        None => value,
    };
    (!token.is_empty() && token.len() <= MAX_KEY_LEN).then(|| token.to_owned())
}

async fn create_bearer(State(state): State<Arc<WhipState>>, req: Request) -> Response {
    let key = bearer(req.headers());
    create(state, key, req).await
}

async fn create_in_path(
    State(state): State<Arc<WhipState>>,
    Path(key): Path<String>,
    req: Request,
) -> Response {
    let key = bearer(req.headers()).or(Some(key));
    create(state, key, req).await
}

const UNKNOWN_KEY: &str =
    "unknown stream key: send the channel's stream key as the bearer token (Authorization: Bearer <key>)";

async fn create(state: Arc<WhipState>, key: Option<String>, req: Request) -> Response {
    let inner = &state.inner;
    let ip = ClientIp::of(req.extensions()).0;
    if state.limiter.check_key(&ip).is_err() {
        let mut res = error(StatusCode::TOO_MANY_REQUESTS, "too many publish requests");
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return res;
    }
    if state.limiter.len() > 10_000 {
        state.limiter.retain_recent();
    }
    if inner.closing.is_cancelled() || inner.engine.is_shutting_down() {
        return unavailable("the server is shutting down");
    }
    let Some(key) = key.filter(|k| k.len() <= MAX_KEY_LEN) else {
        return error(
            StatusCode::UNAUTHORIZED,
            "missing stream key: send it as the bearer token (Authorization: Bearer <key>)",
        );
    };
    if !content_type_is(req.headers(), "application/sdp") {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the offer must be sent as Content-Type: application/sdp",
        );
    }
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(session::vendor_from_user_agent)
        .unwrap_or_default();
    let limit = inner.config.max_offer_bytes;
    let body = match axum::body::to_bytes(req.into_body(), limit).await {
        Ok(b) => b,
        Err(_) => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the offer is larger than {limit} bytes"),
            )
        }
    };
    let offer = match validate_publish_offer(&body) {
        Ok(o) => o,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.to_string()),
    };

    let Some((channel_id, secret)) = parse_stream_key(&key) else {
        return error(StatusCode::UNAUTHORIZED, UNKNOWN_KEY);
    };
    let call = inner.config.call_timeout;
    match tokio::time::timeout(call, inner.control.channel_secret(channel_id)).await {
        Ok(Ok(Some(expected))) if bool::from(expected.as_bytes().ct_eq(secret.as_bytes())) => {}
        Ok(Ok(_)) => return error(StatusCode::UNAUTHORIZED, UNKNOWN_KEY),
        Ok(Err(e)) => {
            tracing::warn!(channel_id, error = %e, "stream key lookup failed");
            return unavailable("the server could not check the stream key");
        }
        Err(_) => return unavailable("the server could not check the stream key"),
    }

    let (cert, candidates) = inner.engine.identity();
    let answered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        session::answer_offer(Some(cert), candidates, offer.sdp, &offer.summary.mids)
    }));
    let answered = match answered {
        Ok(Ok(a)) => a,
        Ok(Err(reason)) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("cannot answer the offer: {reason}"),
            )
        }
        Err(_) => {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the server could not answer this offer (an internal error, logged)",
            )
        }
    };

    // The replacement rule of FTL and RTMP: the newest authenticated publisher wins.
    let previous = {
        let registry = inner.registry();
        registry
            .by_channel
            .get(&channel_id)
            .and_then(|id| registry.resources.get(id).cloned())
    };
    if let Some(previous) = previous {
        tracing::info!(channel_id, "new WHIP publish replaces the live session");
        previous.replace.cancel();
        let _ = tokio::time::timeout(call * 2, previous.done.cancelled()).await;
    }

    let (video_ssrc, audio_ssrc) = (rand::random::<u32>(), rand::random::<u32>());
    let announce = shimmer_ftl::control::MediaAnnounce {
        protocol_version: None,
        vendor_name: user_agent.0.clone(),
        vendor_version: user_agent.1.clone(),
        video: Some(shimmer_ftl::control::TrackAnnounce {
            codec: "H264".into(),
            payload_type: HUB_VIDEO_PT,
            ssrc: video_ssrc,
        }),
        audio: answered.audio.map(|_| shimmer_ftl::control::TrackAnnounce {
            codec: "OPUS".into(),
            payload_type: HUB_AUDIO_PT,
            ssrc: audio_ssrc,
        }),
    };
    let info = shimmer_ftl::StreamStartInfo {
        channel_id,
        client_addr: SocketAddr::new(ip, 0),
        announce,
    };
    let stream_id =
        match tokio::time::timeout(call, inner.control.start_stream(channel_id, &info)).await {
            Ok(Ok(id)) => id,
            Ok(Err(StartError::NotAuthorized(why) | StartError::Blocked(why))) => {
                tracing::info!(channel_id, reason = %why, "platform refused the WHIP stream");
                return error(
                    StatusCode::FORBIDDEN,
                    format!("the channel may not stream now: {why}"),
                );
            }
            Ok(Err(StartError::Internal(why))) => {
                tracing::warn!(channel_id, reason = %why, "could not start the WHIP stream");
                return unavailable("the server could not start the stream");
            }
            Err(_) => return unavailable("the server could not start the stream"),
        };

    let hub = inner.hubs.create(
        channel_id,
        StreamInfo {
            video: Some(StreamInfo::h264(HUB_VIDEO_PT, video_ssrc)),
            audio: answered
                .audio
                .map(|_| StreamInfo::opus(HUB_AUDIO_PT, audio_ssrc, 2)),
        },
    );
    let resource_id = format!("{:032x}", rand::random::<u128>());
    let resource = Resource {
        channel_id,
        secret: secret.to_owned(),
        delete: CancellationToken::new(),
        replace: CancellationToken::new(),
        done: CancellationToken::new(),
    };
    let Some(transport) = inner.engine.attach(answered.ufrag.clone()).await else {
        inner.hubs.remove(&hub);
        let _ = inner
            .control
            .end_stream(
                channel_id,
                stream_id,
                shimmer_ftl::ingest_control::StreamEndReason::Shutdown,
            )
            .await;
        return unavailable("the server is shutting down");
    };
    {
        let mut registry = inner.registry();
        registry
            .resources
            .insert(resource_id.clone(), resource.clone());
        if let Some(old) = registry.by_channel.insert(channel_id, resource_id.clone()) {
            // A publish that raced this one: it is replaced as well.
            if let Some(r) = registry.resources.get(&old) {
                r.replace.cancel();
            }
        }
    }
    metrics::gauge!("shimmer_whip_sessions").increment(1.0);
    metrics::counter!("shimmer_whip_streams_started_total").increment(1);
    tracing::info!(channel_id, stream_id, %ip, "WHIP stream started");
    let answer = answered.answer.clone();
    let parts = PublisherParts {
        resource_id: resource_id.clone(),
        resource,
        stream_id,
        hub,
        answered,
        transport,
        video_ssrc,
        audio_ssrc,
        vendor: user_agent,
    };
    inner
        .tracker
        .spawn(session::run(Arc::clone(&state.inner), parts));

    let mut res = Response::new(Body::from(answer));
    *res.status_mut() = StatusCode::CREATED;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/sdp"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("/api/whip/sessions/{resource_id}")) {
        h.insert(header::LOCATION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("\"{resource_id}\"")) {
        h.insert(header::ETAG, v);
    }
    h.insert("accept-patch", HeaderValue::from_static(TRICKLE));
    res
}

fn unavailable(message: &str) -> Response {
    let mut res = error(StatusCode::SERVICE_UNAVAILABLE, message);
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
    res
}

/// The live resource with this id (None for an unknown or malformed id: a 404).
fn find(state: &WhipState, id: &str) -> Option<Resource> {
    if id.len() != 32 {
        return None;
    }
    state.inner.registry().resources.get(id).cloned()
}

fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "no such WHIP session")
}

async fn delete_resource(
    State(state): State<Arc<WhipState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(resource) = find(&state, &id) else {
        return not_found();
    };
    // The resource URL is the capability; a bearer, when sent, must be this stream's key.
    if let Some(token) = bearer(&headers) {
        let matches = parse_stream_key(&token).is_some_and(|(channel, secret)| {
            channel == resource.channel_id
                && bool::from(secret.as_bytes().ct_eq(resource.secret.as_bytes()))
        });
        if !matches {
            return error(
                StatusCode::UNAUTHORIZED,
                "the bearer token is not this stream's key",
            );
        }
    }
    resource.delete.cancel();
    // Answer once the stream has ended, so the channel is offline when the encoder hears 200.
    let wait = state.inner.config.call_timeout * 2;
    let _ = tokio::time::timeout(wait, resource.done.cancelled()).await;
    StatusCode::OK.into_response()
}

async fn patch_resource(
    State(state): State<Arc<WhipState>>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    if find(&state, &id).is_none() {
        return not_found();
    }
    if !content_type_is(req.headers(), TRICKLE) {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("PATCH takes {TRICKLE}"),
        );
    }
    let Ok(body) = axum::body::to_bytes(req.into_body(), 16 * 1024).await else {
        return error(StatusCode::PAYLOAD_TOO_LARGE, "the fragment is too large");
    };
    let restart = String::from_utf8_lossy(&body)
        .lines()
        .any(|l| l.starts_with("a=ice-ufrag:") || l.starts_with("a=ice-pwd:"));
    if restart {
        let mut res = error(
            StatusCode::METHOD_NOT_ALLOWED,
            "ICE restart is not supported: end the session (DELETE) and publish again",
        );
        res.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("DELETE, OPTIONS"));
        return res;
    }
    StatusCode::NO_CONTENT.into_response()
}
