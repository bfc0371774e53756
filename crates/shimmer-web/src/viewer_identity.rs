//! Who is watching, for viewer counting: the signed-in user, else the browser. Never the IP
//! address, which would merge every viewer of a household or office into one.

use axum::extract::Request;
use axum_extra::extract::cookie::CookieJar;

use crate::context::RequestContext;
use crate::middleware::VISITOR_CSRF_COOKIE;

/// Header a player outside the site (or a load generator) may send to name itself.
const VIEWER_HEADER: &str = "x-shimmer-viewer";

/// The viewer key of a playback request: `u:<user id>` when signed in; `v:<digest>` from the
/// visitor's random per-browser cookie (a digest, so the cookie's value never leaves this
/// process); `x:<header>` from the `X-Shimmer-Viewer` header of cookie-less clients. Each
/// namespace is separate, so no client can pass for a signed-in user. None when none applies.
pub fn viewer_identity(request: &Request) -> Option<String> {
    if let Some(user) = request
        .extensions()
        .get::<RequestContext>()
        .and_then(RequestContext::user)
    {
        return Some(format!("u:{}", user.id));
    }
    let jar = CookieJar::from_headers(request.headers());
    if let Some(cookie) = jar.get(VISITOR_CSRF_COOKIE) {
        if cookie.value().len() >= 16 {
            let digest = shimmer_platform::hash_token(&format!("viewer:{}", cookie.value()));
            return Some(format!("v:{}", &digest[..32]));
        }
    }
    let header = request.headers().get(VIEWER_HEADER)?.to_str().ok()?.trim();
    let usable =
        !header.is_empty() && header.len() <= 62 && header.bytes().all(|b| b.is_ascii_graphic());
    usable.then(|| format!("x:{header}"))
}
