//! Sessions and CSRF protection for every request.
//!
//! The session cookie holds a random token whose hash names a database session. Every
//! state-changing request outside `/api/` (which authenticates with tokens, never cookies) must
//! carry the CSRF token in an `_csrf` form field, an `x-csrf-token` header, or (for multipart
//! uploads) the `_csrf` query parameter. Signed-in visitors use their session's token; anonymous
//! ones a random cookie (double submit), so the log-in and sign-up forms are covered too.
//! Checking here, once, means no handler can forget.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use shimmer_http::ClientIp;
use shimmer_i18n::Locale;
use subtle::ConstantTimeEq;

use crate::context::{RequestContext, Theme};
use crate::error::{render_error_page, title_for, ErrorPageMarker, WebError};
use crate::templates::PageContext;
use crate::AppState;

pub(crate) const SESSION_COOKIE: &str = "shimmer_session";
pub(crate) const VISITOR_CSRF_COOKIE: &str = "shimmer_csrf";
pub(crate) const THEME_COOKIE: &str = "shimmer_theme";
pub(crate) const TIMESTAMPS_COOKIE: &str = "shimmer_chat_timestamps";
pub(crate) const MATURE_COOKIE: &str = "shimmer_show_mature";
pub(crate) const LOCALE_COOKIE: &str = "shimmer_locale";
const CSRF_FIELD: &str = "_csrf";
const CSRF_HEADER: &str = "x-csrf-token";

pub async fn attach(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match attach_inner(state, request, next).await {
        Ok(response) | Err(response) => response,
    }
}

async fn attach_inner(
    state: AppState,
    mut request: Request,
    next: Next,
) -> Result<Response, Response> {
    // Decided once here for every route, WHEP and the API included (they read the extension).
    let peer = ClientIp::peer(request.extensions());
    let client = ClientIp::resolve(peer, request.headers(), &state.config.trusted_proxies);
    request.extensions_mut().insert(client);
    let client_ip = client.0;
    if is_token_api(request.uri().path()) || request.uri().path().starts_with("/hls/") {
        request
            .extensions_mut()
            .insert(RequestContext::token_only(client_ip));
        return Ok(next.run(request).await);
    }
    let jar = CookieJar::from_headers(request.headers());

    let mut stale_session_cookie = false;
    let signed_in = match jar.get(SESSION_COOKIE) {
        Some(cookie) => {
            let resolved = state
                .platform
                .resolve_session(cookie.value())
                .await
                .map_err(|error| WebError::from(error).into_response())?;
            stale_session_cookie = resolved.is_none();
            resolved
        }
        None => None,
    };
    let (visitor_token, new_visitor_token) = match jar.get(VISITOR_CSRF_COOKIE) {
        Some(cookie) if cookie.value().len() >= 16 => (cookie.value().to_owned(), false),
        _ => (shimmer_platform::random_token(24), true),
    };
    let csrf_token = signed_in.as_ref().map_or_else(
        || visitor_token.clone(),
        |signed_in| signed_in.session.csrf_token.clone(),
    );

    let request = if needs_csrf_check(&request) {
        verify_csrf(request, &csrf_token, state.config.max_form_bytes).await?
    } else {
        request
    };

    let user_agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    // A signed-in person's saved preferences win over this browser's cookies on every page,
    // so a theme saved on one device reaches the sessions already open on the others.
    let saved = match &signed_in {
        Some(signed_in) if is_page_request(&request) => state
            .platform
            .saved_preferences(signed_in.user.id)
            .await
            .ok()
            .flatten(),
        _ => None,
    };
    let cookie = |name: &str| jar.get(name).map(Cookie::value);
    let stale_preference_cookies = saved.as_ref().is_some_and(|saved| {
        cookie(THEME_COOKIE) != Some(saved.theme.as_str())
            || (cookie(TIMESTAMPS_COOKIE) == Some("on")) != saved.chat_timestamps
            || (cookie(MATURE_COOKIE) == Some("on")) != saved.show_mature
            || cookie(LOCALE_COOKIE) != Some(saved.locale.as_str())
    });
    let locale = saved
        .as_ref()
        .map(|saved| saved.locale.as_str())
        .or(cookie(LOCALE_COOKIE))
        .and_then(Locale::from_tag)
        .or_else(|| {
            request
                .headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|value| value.to_str().ok())
                .and_then(Locale::negotiate)
        })
        .unwrap_or_default();
    let context = RequestContext {
        signed_in,
        csrf_token,
        client_ip,
        theme: Theme::from_cookie(
            saved
                .as_ref()
                .map_or(cookie(THEME_COOKIE), |saved| Some(saved.theme.as_str())),
        ),
        user_agent,
        chat_timestamps: saved
            .as_ref()
            .map_or(cookie(TIMESTAMPS_COOKIE) == Some("on"), |saved| {
                saved.chat_timestamps
            }),
        show_mature: saved
            .as_ref()
            .map_or(cookie(MATURE_COOKIE) == Some("on"), |saved| {
                saved.show_mature
            }),
        payments: state.platform.payments_config().is_some(),
        locale,
    };
    if context
        .signed_in
        .as_ref()
        .is_some_and(|signed_in| signed_in.needs_two_factor)
        && !allowed_before_enrolment(request.uri().path())
    {
        return Ok(Redirect::to(crate::pages::TWO_FACTOR_SETTINGS).into_response());
    }
    let mut request = request;
    request.extensions_mut().insert(context.clone());
    let mut response = next.run(request).await;
    if let Some(marker) = response.extensions_mut().remove::<ErrorPageMarker>() {
        response = personalised_error_page(response, &marker, &context, state.config.dev_mode);
    }

    if let Some(saved) = saved.filter(|_| stale_preference_cookies && is_html(&response)) {
        crate::pages::preferences::append_cookies(
            &mut response,
            &saved,
            state.config.secure_cookies,
        );
    }
    let mut cookies = CookieJar::new();
    // Only pages carry forms; a cookie on images or API answers would keep shared caches from
    // storing them.
    if new_visitor_token && is_html(&response) {
        cookies = cookies.add(visitor_cookie(visitor_token, state.config.secure_cookies));
    }
    if stale_session_cookie && !response.headers().contains_key(header::SET_COOKIE) {
        cookies = cookies.add(removal(SESSION_COOKIE));
    }
    for cookie in cookies.iter() {
        if let Ok(value) = cookie.encoded().to_string().parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}

/// A browser navigating to a page (not a script's fetch, an image or a form post).
fn is_page_request(request: &Request) -> bool {
    request.method() == axum::http::Method::GET
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"))
}

/// Renders an error page again for this visitor (theme, account links), keeping its headers.
fn personalised_error_page(
    response: Response,
    marker: &ErrorPageMarker,
    context: &RequestContext,
    dev_mode: bool,
) -> Response {
    let status = response.status();
    let page = PageContext::new(title_for(context.locale, status), context, dev_mode);
    let mut personalised = render_error_page(status, &marker.message, page);
    let (parts, _) = response.into_parts();
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_LENGTH && name != header::CONTENT_TYPE {
            // Append: a response may carry several Set-Cookie headers.
            personalised
                .headers_mut()
                .append(name.clone(), value.clone());
        }
    }
    personalised
}

/// What a staff account without two-factor sign-in may still reach: the enrolment itself,
/// logging out, and the assets those pages need.
fn allowed_before_enrolment(path: &str) -> bool {
    path.starts_with(crate::pages::TWO_FACTOR_SETTINGS)
        || path == "/users/logout"
        || path.starts_with("/static/")
        || path == "/healthz"
}

/// The GraphQL endpoints and their sockets, which authenticate with tokens and never read a
/// cookie: they skip the session lookup and the CSRF machinery, the busiest part of this
/// middleware. (Other routes under `/api/`, such as viewer counts, still get a full context.)
fn is_token_api(path: &str) -> bool {
    matches!(
        path,
        "/api" | "//api" | "/api/graph" | "/api/graph/websocket" | "/api/socket/websocket"
    )
}

fn needs_csrf_check(request: &Request) -> bool {
    let state_changing = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    // `//api` is how some clients spell `/api`; the API routes serve it too.
    let path = request.uri().path().trim_start_matches('/');
    let api = path == "api" || path.starts_with("api/");
    state_changing && !api
}

/// Verifies the request's CSRF token, buffering a form body (within the size limit) to read it
/// and handing the handler an identical body.
async fn verify_csrf(
    request: Request,
    expected: &str,
    max_bytes: usize,
) -> Result<Request, Response> {
    let matches = |presented: &str| bool::from(presented.as_bytes().ct_eq(expected.as_bytes()));
    if let Some(presented) = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|value| value.to_str().ok())
    {
        return if matches(presented) {
            Ok(request)
        } else {
            Err(csrf_failure())
        };
    }
    if let Some(query) = request.uri().query() {
        let from_query = serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .ok()
            .and_then(|pairs| pairs.into_iter().find(|(key, _)| key == CSRF_FIELD))
            .map(|(_, value)| value);
        if let Some(presented) = from_query {
            return if matches(&presented) {
                Ok(request)
            } else {
                Err(csrf_failure())
            };
        }
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(csrf_failure());
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, max_bytes)
        .await
        .map_err(|_| WebError::PayloadTooLarge.into_response())?;
    let presented = form_urlencoded_value(&bytes, CSRF_FIELD);
    if !presented.is_some_and(|presented| matches(&presented)) {
        return Err(csrf_failure());
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn form_urlencoded_value(body: &[u8], field: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(key, _)| key == field)
        .map(|(_, value)| value)
}

fn csrf_failure() -> Response {
    WebError::Status(
        StatusCode::FORBIDDEN,
        "This form has expired or was sent from another site. Go back, reload the page and try again.".into(),
    )
    .into_response()
}

fn visitor_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((VISITOR_CSRF_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build()
}

/// The `Set-Cookie` value that signs the browser out.
pub(crate) fn session_removal_cookie() -> Cookie<'static> {
    removal(SESSION_COOKIE)
}

/// A cookie that deletes `name` from the browser.
fn removal(name: &'static str) -> Cookie<'static> {
    let mut cookie = Cookie::build((name, "")).path("/").build();
    cookie.make_removal();
    cookie
}
