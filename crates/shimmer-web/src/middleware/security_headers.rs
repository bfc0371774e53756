//! Headers that make the browser refuse injected scripts, framing and MIME sniffing. Pages use
//! no inline scripts or styles, so the content security policy can forbid them. A site served
//! over HTTPS also tells browsers to use nothing else (HSTS).

use axum::body::Body;
use axum::http::{header, HeaderName, HeaderValue, Response};
use tower::layer::util::{Identity, Stack};
use tower::ServiceBuilder;
use tower_http::set_header::SetResponseHeaderLayer;

/// The policy of pages meant to be embedded by this site (the pop-out chat): the same, but
/// framable by the site's own pages.
pub const EMBEDDABLE_CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; \
    object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

/// Pages may frame YouTube's privacy-enhanced player (profile intro videos) and nothing else.
/// The OAuth consent page widens `form-action` to the app's redirect origin.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; \
    frame-src 'self' https://www.youtube-nocookie.com; \
    base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

type Header = SetResponseHeaderLayer<HeaderValue>;

#[allow(clippy::type_complexity)]
pub fn layer(
) -> ServiceBuilder<Stack<Header, Stack<Header, Stack<Header, Stack<Header, Identity>>>>> {
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    ServiceBuilder::new()
        .layer(set(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::REFERRER_POLICY, "same-origin"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
}

/// How long a browser keeps to HTTPS after seeing the site once: a year, the usual choice.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

/// `Strict-Transport-Security` on every response when the site's base URL is `https` (never
/// over plain HTTP, where browsers ignore it and a development site must stay reachable).
pub fn strict_transport(
    https: bool,
) -> SetResponseHeaderLayer<impl Fn(&Response<Body>) -> Option<HeaderValue> + Clone> {
    let value = https.then(|| HeaderValue::from_static(STRICT_TRANSPORT_SECURITY));
    SetResponseHeaderLayer::if_not_present(
        header::STRICT_TRANSPORT_SECURITY,
        move |_: &Response<Body>| value.clone(),
    )
}
