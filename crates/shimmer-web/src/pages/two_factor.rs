//! Two-factor sign-in pages: enrolment (QR image and manual key), recovery codes, turning it
//! off, and the second step of logging in. The pending log-in lives in its own cookie and grants
//! nothing: the session middleware never reads it, so every other page still sees a visitor.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::Deserialize;
use shimmer_platform::accounts::two_factor::PENDING_LOGIN_TTL;
use shimmer_platform::PlatformError;

use super::auth::{carrying_return_to, local_path, ReturnTo};
use super::{render, require_user, NoticeQuery};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::{refused, FormState, ParsedForm};
use crate::templates::PageContext;
use crate::AppState;

const PENDING_COOKIE: &str = "shimmer_pending_login";
const PENDING_PATH: &str = "/users/login/two-factor";

#[derive(Template)]
#[template(path = "accounts/login_code.html")]
struct LoginCodePage {
    page: PageContext,
    form: FormState,
    /// Where the log-in began (a checked local path), carried to the page after the code.
    return_to: String,
    /// The password step again, with the same destination.
    restart_href: String,
}

impl LoginCodePage {
    fn new(page: PageContext, form: FormState, return_to: Option<&str>) -> Self {
        Self {
            page,
            form,
            return_to: return_to.unwrap_or_default().to_owned(),
            restart_href: carrying_return_to("/users/login", return_to),
        }
    }
}

#[derive(Template)]
#[template(path = "accounts/two_factor.html")]
struct TwoFactorPage {
    page: PageContext,
    section: &'static str,
    form: FormState,
    enabled: bool,
    required: bool,
    recovery_left: i64,
    /// The manual key while enrolling.
    enrolment: Option<String>,
    qr_size: u32,
}

#[derive(Template)]
#[template(path = "accounts/recovery_codes.html")]
struct RecoveryCodesPage {
    page: PageContext,
    section: &'static str,
    codes: Vec<String>,
}

/// After a correct password on an account with two-factor sign-in: the pending cookie and a
/// redirect to the code form, still carrying where the log-in should end (a path already
/// checked by the password step).
pub(crate) fn pending_login_response(
    state: &AppState,
    pending_token: String,
    return_to: Option<&str>,
) -> Response {
    let cookie = Cookie::build((PENDING_COOKIE, pending_token))
        .path(PENDING_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.config.secure_cookies)
        .max_age(time::Duration::seconds(PENDING_LOGIN_TTL.as_secs() as i64))
        .build();
    let mut response = Redirect::to(&carrying_return_to(PENDING_PATH, return_to)).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

fn pending_token(jar: &CookieJar) -> String {
    jar.get(PENDING_COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .unwrap_or_default()
}

pub async fn login_code_page(
    State(state): State<AppState>,
    context: RequestContext,
    jar: CookieJar,
    Query(back): Query<ReturnTo>,
) -> Result<Response, WebError> {
    let return_to = local_path(&back.return_to);
    if context.signed_in.is_some() {
        return Ok(Redirect::to(return_to.unwrap_or("/")).into_response());
    }
    if !state
        .platform
        .pending_login_valid(&pending_token(&jar))
        .await?
    {
        return Ok(Redirect::to(&carrying_return_to("/users/login", return_to)).into_response());
    }
    let page = PageContext::new("title-enter-your-code", &context, state.config.dev_mode);
    Ok(render(
        StatusCode::OK,
        &LoginCodePage::new(page, FormState::default(), return_to),
    ))
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// The second step's form: the code and where the log-in should end.
#[derive(Deserialize)]
pub struct LoginCodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    return_to: String,
}

pub async fn login_code(
    State(state): State<AppState>,
    context: RequestContext,
    jar: CookieJar,
    ParsedForm(form): ParsedForm<LoginCodeForm>,
) -> Result<Response, WebError> {
    let token = pending_token(&jar);
    let return_to = local_path(&form.return_to);
    match state
        .platform
        .complete_login(&token, &form.code, &context.user_agent)
        .await
    {
        Ok(new_session) => {
            let remember = new_session.session.remember;
            let mut response = super::auth::signed_in_response(
                &state,
                new_session,
                remember,
                return_to.unwrap_or("/?notice=logged_in"),
            )
            .await?;
            let mut removal = Cookie::build((PENDING_COOKIE, ""))
                .path(PENDING_PATH)
                .build();
            removal.make_removal();
            if let Ok(value) = HeaderValue::from_str(&removal.to_string()) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            Ok(response)
        }
        Err(PlatformError::TokenUnusable { .. }) => Ok(Redirect::to(&carrying_return_to(
            "/users/login?notice=login_expired",
            return_to,
        ))
        .into_response()),
        Err(error) => {
            let rate_limited = matches!(error, PlatformError::RateLimited { .. });
            let (status, form) = refused(error)?;
            let page = PageContext::new("title-enter-your-code", &context, state.config.dev_mode);
            let mut response = render(status, &LoginCodePage::new(page, form, return_to));
            if rate_limited {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
            }
            Ok(response)
        }
    }
}

async fn settings_page(
    state: &AppState,
    context: &RequestContext,
    status: StatusCode,
    form: FormState,
    notice: Option<&'static str>,
) -> Result<Response, WebError> {
    let signed_in = require_user(context)?;
    let user = &signed_in.user;
    let enabled = state.platform.two_factor_enabled(user.id).await?;
    let (enrolment, recovery_left) = if enabled {
        (None, state.platform.recovery_codes_left(user.id).await?)
    } else {
        let enrolment = state.platform.begin_two_factor(user).await?;
        (Some(enrolment.manual_key), 0)
    };
    let page = PageContext::new("title-two-factor-sign-in", context, state.config.dev_mode)
        .with_notice(notice);
    Ok(render(
        status,
        &TwoFactorPage {
            page,
            section: "two-factor",
            form,
            enabled,
            required: signed_in.needs_two_factor,
            recovery_left,
            enrolment,
            qr_size: 240,
        },
    ))
}

pub async fn page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    settings_page(
        &state,
        &context,
        StatusCode::OK,
        FormState::default(),
        notice.message(),
    )
    .await
}

/// The enrolment's QR code as a PNG; never cached, since it carries the secret.
pub async fn qr(
    State(state): State<AppState>,
    context: RequestContext,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let enrolment = state.platform.begin_two_factor(user).await?;
    let mut response = enrolment.qr_png.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

pub async fn confirm(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<CodeForm>,
) -> Result<Response, WebError> {
    let signed_in = require_user(&context)?;
    match state
        .platform
        .confirm_two_factor(signed_in, &form.code)
        .await
    {
        Ok(codes) => {
            let page = PageContext::new("title-recovery-codes", &context, state.config.dev_mode);
            let mut response = render(
                StatusCode::OK,
                &RecoveryCodesPage {
                    page,
                    section: "two-factor",
                    codes,
                },
            );
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(response)
        }
        Err(error) => {
            let (status, form) = refused(error)?;
            settings_page(&state, &context, status, form, None).await
        }
    }
}

#[derive(Deserialize)]
pub struct DisableForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    code: String,
}

pub async fn disable(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<DisableForm>,
) -> Result<Response, WebError> {
    let signed_in = require_user(&context)?;
    if signed_in.user.is_admin {
        return Err(WebError::Status(
            StatusCode::FORBIDDEN,
            context.t("two-factor-staff-keep"),
        ));
    }
    match state
        .platform
        .disable_two_factor(signed_in, &form.current_password, &form.code)
        .await
    {
        Ok(()) => Ok(
            Redirect::to("/users/settings/two-factor?notice=two_factor_disabled").into_response(),
        ),
        Err(error) => {
            let (status, form) = refused(error)?;
            settings_page(&state, &context, status, form, None).await
        }
    }
}
