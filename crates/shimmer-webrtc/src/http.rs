//! The WHEP HTTP endpoints (draft-ietf-wish-whep), as an axum router with its state applied.
//!
//! | Method  | Path                                         | Result |
//! |---------|----------------------------------------------|--------|
//! | POST    | `/api/whep/{name_or_id}`                     | 201, SDP answer, `Location` of the session (`Shimmer-B-Frames: yes` when the stream has B-frames) |
//! | DELETE  | `/api/whep/{name_or_id}/sessions/{id}`       | 204; 404 for an unknown session |
//! | PATCH   | `/api/whep/{name_or_id}/sessions/{id}`       | 405 (`Allow: DELETE, OPTIONS`): the server is ICE-lite and its answer already has every candidate; clients send theirs in the offer, or none at all (the server learns a client's address from its connectivity checks, so the site's player posts its offer without waiting for ICE gathering). 404 for an unknown session. |
//! | OPTIONS | both                                         | 204 with CORS preflight headers |
//!
//! Every response carries `Access-Control-Allow-Origin: *` and exposes `Location`, so players on
//! other origins work. Errors are JSON `{"error": "..."}`: 404 unknown or offline channel, 415
//! wrong content type (must be `application/sdp`), 413 offer larger than
//! `webrtc.max_offer_bytes`, 400 malformed SDP, no H.264/Opus or a payload type given two
//! formats, 429 too many offers from one IP (governor), 500 str0m failed on the offer (a defect,
//! logged), 503 server full, shutting down, or stream not ready (`Retry-After`).
//!
//! The viewer's identity for viewer counting is passed on in the `ViewerJoined` event: a
//! [`ViewerIdentity`] request extension when the embedding server sets one (from its session
//! or visitor cookie), else the `viewer` query parameter (which a node that redirected the
//! offer to an edge sets), else the optional `X-Shimmer-Viewer` header (at most 64 printable ASCII
//! characters, else ignored). The client IP for rate limiting is
//! taken from a [`ClientIp`] request extension when the embedding server sets one (after its
//! trusted-proxy rule), else from axum's `ConnectInfo<SocketAddr>`.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use async_trait::async_trait;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use shimmer_http::ClientIp;

use crate::config::WebRtcConfig;
use crate::engine::{Engine, SessionError};
use crate::offer::validate_offer;

/// Finds the channel a WHEP URL names. The embedding server implements it over its database
/// (username case-insensitively, or the numeric channel id).
#[async_trait]
pub trait ChannelResolver: Send + Sync + 'static {
    /// The channel id for a username or numeric id, or None if there is no such channel.
    async fn resolve(&self, name_or_id: &str) -> Option<i64>;
}

/// Where a viewer's offer is answered, in a deployment with several edges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// On this node.
    Here,
    /// On another node: the offer is answered `307 Temporary Redirect` to the same path under
    /// this base URL, which the browser follows with the same body.
    Elsewhere(String),
    /// No node has room: 503 with `Retry-After`.
    Full,
}

/// Decides which node serves a channel's viewer (the cluster's edge routing).
#[async_trait]
pub trait ViewerPlacement: Send + Sync + 'static {
    /// Where the next viewer of `channel_id` goes.
    async fn place(&self, channel_id: i64) -> Placement;
}

/// The viewer as identified by the embedding server (signed-in user or per-browser id). Insert
/// it as a request extension; it takes precedence over the `X-Shimmer-Viewer` header.
#[derive(Debug, Clone)]
pub struct ViewerIdentity(pub String);

/// Request header carrying an optional viewer key for viewer counting.
pub const VIEWER_HEADER: &str = "x-shimmer-viewer";
/// The same key as a query parameter: a redirect to another node carries it there, since the
/// browser sends no cookie across origins.
pub const VIEWER_PARAM: &str = "viewer";
/// Set (`yes`) on a WHEP answer when the stream has B-frames, so the site's player switches to
/// HLS (WebRTC players show reordered frames out of order).
pub const B_FRAMES_HEADER: &str = "shimmer-b-frames";
const MAX_NAME_LEN: usize = 64;
const MAX_VIEWER_KEY_LEN: usize = 64;

struct WhepState {
    /// None on a node that serves no viewers itself: every offer is placed elsewhere.
    engine: Option<Engine>,
    max_offer_bytes: usize,
    channels: Arc<dyn ChannelResolver>,
    placement: Option<Arc<dyn ViewerPlacement>>,
    limiter: DefaultKeyedRateLimiter<IpAddr>,
}

/// The WHEP routes with their state applied, ready to `.merge()` into the site router.
pub fn whep_router(engine: Engine, channels: Arc<dyn ChannelResolver>) -> Router {
    placed_whep_router(engine, channels, None)
}

/// The WHEP routes of a node in a cluster: each offer is first placed (served here, or
/// redirected to an edge with room).
pub fn placed_whep_router(
    engine: Engine,
    channels: Arc<dyn ChannelResolver>,
    placement: Option<Arc<dyn ViewerPlacement>>,
) -> Router {
    let config = engine.config().clone();
    routes(Some(engine), &config, channels, placement)
}

/// The WHEP routes of a node that runs no WebRTC engine (a web node in a cluster): every offer
/// is placed on an edge and redirected there, where its session lives; `config` gives the
/// offer limits.
pub fn forwarding_whep_router(
    config: &WebRtcConfig,
    channels: Arc<dyn ChannelResolver>,
    placement: Arc<dyn ViewerPlacement>,
) -> Router {
    routes(None, config, channels, Some(placement))
}

fn routes(
    engine: Option<Engine>,
    cfg: &WebRtcConfig,
    channels: Arc<dyn ChannelResolver>,
    placement: Option<Arc<dyn ViewerPlacement>>,
) -> Router {
    let per_second =
        NonZeroU32::new(cfg.offers_per_ip_per_second.max(1)).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(cfg.offers_per_ip_burst.max(1)).unwrap_or(NonZeroU32::MIN);
    let state = Arc::new(WhepState {
        limiter: RateLimiter::keyed(Quota::per_second(per_second).allow_burst(burst)),
        engine,
        max_offer_bytes: cfg.max_offer_bytes,
        channels,
        placement,
    });
    Router::new()
        .route("/api/whep/{name_or_id}", post(create).options(preflight))
        .route(
            "/api/whep/{name_or_id}/sessions/{session_id}",
            axum::routing::delete(delete_session)
                .patch(patch_session)
                .options(preflight),
        )
        .layer(middleware::from_fn(cors))
        .with_state(state)
}

/// JSON error response.
pub(crate) fn error(status: StatusCode, message: impl Into<String>) -> Response {
    let body = serde_json::json!({ "error": message.into() });
    (status, axum::Json(body)).into_response()
}

async fn cors(req: Request, next: Next) -> Response {
    with_cors(
        next.run(req).await,
        "Location, ETag, Link, Retry-After, Shimmer-B-Frames",
    )
}

/// Lets any origin read a WHEP or WHIP response and the named headers (`expose`).
pub(crate) fn with_cors(mut res: Response, expose: &'static str) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(expose),
    );
    res
}

async fn preflight() -> Response {
    preflight_response("Content-Type, If-Match, X-Shimmer-Viewer")
}

/// The answer to an `OPTIONS` preflight of a WHEP or WHIP endpoint, allowing `allow_headers`.
pub(crate) fn preflight_response(allow_headers: &'static str) -> Response {
    let mut res = StatusCode::NO_CONTENT.into_response();
    let h = res.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("POST, DELETE, PATCH, OPTIONS"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static(allow_headers),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    h.insert("accept-post", HeaderValue::from_static("application/sdp"));
    res
}

fn is_sdp(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/sdp"))
}

fn viewer_key(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    let from_query = || {
        url::form_urlencoded::parse(query?.as_bytes())
            .find(|(name, _)| name == VIEWER_PARAM)
            .map(|(_, value)| value.into_owned())
    };
    // The parameter is what a node of this deployment put there when it redirected the
    // offer, from its own session cookie; the header is the player's own key.
    let v = match from_query() {
        Some(value) => value.trim().to_owned(),
        None => headers.get(VIEWER_HEADER)?.to_str().ok()?.trim().to_owned(),
    };
    let ok =
        !v.is_empty() && v.len() <= MAX_VIEWER_KEY_LEN && v.bytes().all(|b| b.is_ascii_graphic());
    ok.then_some(v)
}

/// `307` to the same WHEP path on another node, carrying the viewer's key.
fn redirect(base_url: &str, name_or_id: &str, viewer: Option<&str>) -> Response {
    let mut location = format!("{}/api/whep/{}", base_url.trim_end_matches('/'), name_or_id);
    if let Some(viewer) = viewer {
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair(VIEWER_PARAM, viewer)
            .finish();
        location.push('?');
        location.push_str(&query);
    }
    let mut res = StatusCode::TEMPORARY_REDIRECT.into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, value);
    }
    res
}

async fn resolve(state: &WhepState, name_or_id: &str) -> Option<i64> {
    if name_or_id.is_empty() || name_or_id.len() > MAX_NAME_LEN {
        return None;
    }
    state.channels.resolve(name_or_id).await
}

async fn create(
    State(state): State<Arc<WhepState>>,
    Path(name_or_id): Path<String>,
    req: Request,
) -> Response {
    let ip = ClientIp::of(req.extensions()).0;
    if state.limiter.check_key(&ip).is_err() {
        let mut res = error(StatusCode::TOO_MANY_REQUESTS, "too many playback requests");
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return res;
    }
    if state.limiter.len() > 10_000 {
        state.limiter.retain_recent();
    }
    if !is_sdp(req.headers()) {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the offer must be sent as Content-Type: application/sdp",
        );
    }
    let viewer = match req.extensions().get::<ViewerIdentity>() {
        Some(ViewerIdentity(identity)) => Some(identity.clone()),
        None => viewer_key(req.headers(), req.uri().query()),
    };
    let limit = state.max_offer_bytes;
    let body = match axum::body::to_bytes(req.into_body(), limit).await {
        Ok(b) => b,
        Err(_) => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the offer is larger than {limit} bytes"),
            )
        }
    };
    let offer = match validate_offer(&body) {
        Ok(o) => o,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let Some(channel_id) = resolve(&state, &name_or_id).await else {
        return error(StatusCode::NOT_FOUND, "no such channel");
    };
    if let Some(placement) = &state.placement {
        match placement.place(channel_id).await {
            Placement::Here => {}
            Placement::Elsewhere(base_url) => {
                return redirect(&base_url, &name_or_id, viewer.as_deref())
            }
            Placement::Full => return session_error(SessionError::Full),
        }
    }
    let Some(engine) = &state.engine else {
        // Placement never answers "here" on a node without an engine.
        return session_error(SessionError::Full);
    };
    match engine.create_session(channel_id, offer, viewer).await {
        Ok(created) => {
            let location = format!("/api/whep/{}/sessions/{}", name_or_id, created.session_id);
            let mut res = Response::new(Body::from(created.answer_sdp));
            *res.status_mut() = StatusCode::CREATED;
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/sdp"),
            );
            if let Ok(v) = HeaderValue::from_str(&location) {
                h.insert(header::LOCATION, v);
            }
            if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", created.session_id)) {
                h.insert(header::ETAG, v);
            }
            if created.b_frames {
                h.insert(B_FRAMES_HEADER, HeaderValue::from_static("yes"));
            }
            res
        }
        Err(e) => session_error(e),
    }
}

fn session_error(e: SessionError) -> Response {
    let status = match e {
        SessionError::Offline => StatusCode::NOT_FOUND,
        SessionError::Negotiation(_) => StatusCode::BAD_REQUEST,
        SessionError::NotReady | SessionError::Full | SessionError::ShuttingDown => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        SessionError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let mut res = error(status, e.to_string());
    if status == StatusCode::SERVICE_UNAVAILABLE {
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
    }
    res
}

async fn find_session(
    state: &WhepState,
    name_or_id: &str,
    session_id: &str,
) -> Result<i64, Response> {
    let not_found = || error(StatusCode::NOT_FOUND, "no such session");
    if session_id.len() != 32 {
        return Err(not_found());
    }
    let channel = resolve(state, name_or_id).await.ok_or_else(not_found)?;
    match state
        .engine
        .as_ref()
        .and_then(|engine| engine.session_channel(session_id))
    {
        Some(c) if c == channel => Ok(channel),
        _ => Err(not_found()),
    }
}

async fn delete_session(
    State(state): State<Arc<WhepState>>,
    Path((name_or_id, session_id)): Path<(String, String)>,
) -> Response {
    match find_session(&state, &name_or_id, &session_id).await {
        Ok(channel) => {
            if state
                .engine
                .as_ref()
                .is_some_and(|engine| engine.end_session(&session_id, Some(channel)))
            {
                StatusCode::NO_CONTENT.into_response()
            } else {
                error(StatusCode::NOT_FOUND, "no such session")
            }
        }
        Err(res) => res,
    }
}

async fn patch_session(
    State(state): State<Arc<WhepState>>,
    Path((name_or_id, session_id)): Path<(String, String)>,
    _method: Method,
) -> Response {
    if let Err(res) = find_session(&state, &name_or_id, &session_id).await {
        return res;
    }
    let mut res = error(
        StatusCode::METHOD_NOT_ALLOWED,
        "trickle ICE and ICE restart are not supported: send all candidates in the offer",
    );
    res.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("DELETE, OPTIONS"));
    res
}
