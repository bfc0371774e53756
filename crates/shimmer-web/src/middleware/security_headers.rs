//! Headers that make the browser refuse injected scripts, framing and MIME sniffing. Pages use
//! no inline scripts or styles, so the content security policy can forbid them. A site served
//! over HTTPS also tells browsers to use nothing else (HSTS).

use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Response};
use axum::middleware::Next;
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

/// Origins besides the site's own that its pages may connect to: the edges a WHEP offer may be
/// redirected to in a cluster. The binary keeps it current from the node registry, on top of
/// the sources the operator fixed (`edge_origins`, which may name every future edge with a
/// wildcard host); it stays empty on a single node, where the policy is exactly
/// [`CONTENT_SECURITY_POLICY`].
#[derive(Debug, Clone, Default)]
pub struct PlaybackOrigins {
    fixed: Arc<[String]>,
    current: Arc<RwLock<Arc<str>>>,
}

impl PlaybackOrigins {
    /// Origins that always stay in the list, each `http(s)://host[:port]` where the host may
    /// start with `*.`; anything else is refused by name.
    pub fn with_fixed(sources: &[String]) -> Result<Self, String> {
        if let Some(bad) = sources.iter().find(|source| !is_host_source(source)) {
            return Err(format!(
                "{bad:?} is not an origin such as https://edge.example.com or https://*.example.com"
            ));
        }
        let origins = Self {
            fixed: sources
                .iter()
                .map(|source| source.to_ascii_lowercase())
                .collect(),
            current: Arc::default(),
        };
        origins.set([]);
        Ok(origins)
    }

    /// Replaces the learned list (the fixed sources stay). Anything that is not a plain
    /// `http(s)://host[:port]` origin is dropped, so nothing else can reach the policy.
    pub fn set(&self, base_urls: impl IntoIterator<Item = String>) {
        let mut origins: Vec<String> = base_urls
            .into_iter()
            .filter_map(|base| {
                let url = url::Url::parse(&base).ok()?;
                matches!(url.scheme(), "http" | "https").then(|| url.origin().ascii_serialization())
            })
            .filter(|origin| origin != "null")
            .chain(self.fixed.iter().cloned())
            .collect();
        origins.sort();
        origins.dedup();
        let extra: String = origins.iter().map(|origin| format!(" {origin}")).collect();
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = extra.into();
    }

    fn extra(&self) -> Arc<str> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// A CSP host source this module lets through: `http(s)://`, a host name (optionally `*.`
/// first) of letters, digits, dots and hyphens, and an optional port. Nothing else (no path,
/// no quote, no space, no semicolon) can reach the policy.
fn is_host_source(source: &str) -> bool {
    let Some(rest) = source
        .strip_prefix("https://")
        .or_else(|| source.strip_prefix("http://"))
    else {
        return false;
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    let host = host.strip_prefix("*.").unwrap_or(host);
    !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && port.is_none_or(|port| {
            !port.is_empty() && port.len() <= 5 && port.chars().all(|c| c.is_ascii_digit())
        })
}

/// Lets a page's forms lead to `origins` besides the site (`form-action`; browsers check it on
/// redirects too): the payment processor's hosted checkout, portal and onboarding pages, which
/// the money forms redirect to. Anything that is not a plain origin is dropped.
pub fn allow_form_action(response: &mut Response<Body>, origins: &[String]) {
    let extra: String = origins
        .iter()
        .filter_map(|origin| {
            let url = url::Url::parse(origin).ok()?;
            matches!(url.scheme(), "http" | "https").then(|| url.origin().ascii_serialization())
        })
        .filter(|origin| origin != "null")
        .map(|origin| format!(" {origin}"))
        .collect();
    if extra.is_empty() {
        return;
    }
    let policy = CONTENT_SECURITY_POLICY.replacen(
        "form-action 'self';",
        &format!("form-action 'self'{extra};"),
        1,
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Adds the playback origins to `connect-src` of a response's policy.
pub async fn widen_connect_src(
    State(origins): State<PlaybackOrigins>,
    request: Request,
    next: Next,
) -> Response<Body> {
    let mut response = next.run(request).await;
    let extra = origins.extra();
    if extra.is_empty() {
        return response;
    }
    let widened = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|value| value.to_str().ok())
        .filter(|policy| policy.contains("connect-src 'self';"))
        .map(|policy| {
            policy.replacen(
                "connect-src 'self';",
                &format!("connect-src 'self'{extra};"),
                1,
            )
        })
        .and_then(|policy| HeaderValue::from_str(&policy).ok());
    if let Some(policy) = widened {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_pages_may_post_to_the_processor_only() {
        let mut response = Response::new(Body::empty());
        allow_form_action(
            &mut response,
            &[
                "https://checkout.stripe.com".into(),
                "javascript:alert(1)".into(),
                "https://x.example/ 'unsafe-inline'".into(),
            ],
        );
        let policy = response.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned();
        // Only origins reach the policy: the path (with its injected source) is dropped.
        assert!(
            policy.contains("form-action 'self' https://checkout.stripe.com https://x.example;"),
            "{policy}"
        );
        assert!(!policy.contains("unsafe-inline") && !policy.contains("javascript"));
    }

    #[test]
    fn fixed_sources_stay_and_must_be_plain_host_sources() {
        let origins = PlaybackOrigins::with_fixed(&[
            "https://*.Edge.example.com".to_owned(),
            "http://10.0.0.7:8082".to_owned(),
        ])
        .unwrap();
        assert_eq!(
            &*origins.extra(),
            " http://10.0.0.7:8082 https://*.edge.example.com"
        );
        origins.set(["https://a.example.net/".to_owned()]);
        assert_eq!(
            &*origins.extra(),
            " http://10.0.0.7:8082 https://*.edge.example.com https://a.example.net"
        );
        for bad in [
            "https://*.example.com/path",
            "https://example.com; script-src *",
            "*.example.com",
            "https://",
            "https://*",
            "https://a..b",
            "https://example.com:99999x",
            "javascript:alert(1)",
        ] {
            assert!(
                PlaybackOrigins::with_fixed(&[bad.to_owned()]).is_err(),
                "{bad} refused"
            );
        }
    }

    #[test]
    fn only_plain_origins_reach_the_policy() {
        let origins = PlaybackOrigins::default();
        origins.set([
            "http://127.0.0.1:8082/".to_owned(),
            "https://edge.example.com/some/path".to_owned(),
            "https://edge.example.com".to_owned(),
            "javascript:alert(1)".to_owned(),
            "http://evil.example; script-src *".to_owned(),
        ]);
        assert_eq!(
            &*origins.extra(),
            " http://127.0.0.1:8082 https://edge.example.com"
        );
    }
}
